"""What the Vizzu engine accepts: configs, styles and animation options checked against its
own types, and the story's language tag.

The engine's ``.d.ts`` files are turned into JSON Schemas when the package is
built (``hatch_build.py``) and read here by a small checker of the few
schema words they use (a full JSON Schema library costs seconds to import);
a value the engine would refuse is found here,
when the story is built, with the field at fault and what is allowed, rather
than in front of an audience, where one refused step would stop every step
after it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from ipyreport import assets
from ipyreport._engine_values import GRAMMARS, TAKE_NUMBERS

__all__ = ["engine_problem", "language_problem"]

# A BCP 47 language tag, as HTML's lang and Intl's number formats read it:
# language, optional script, region and variants (en, en-GB, zh-Hant-TW, de-CH-1996).
LANGUAGE_TAG = re.compile(
    r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|\d{3}))?(-([A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*$"
)


_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list, tuple),
    "null": (type(None),),
}


@dataclass(frozen=True)
class _Problem:
    path: tuple[str | int, ...]
    message: str


def _of_type(value: Any, kind: str) -> bool:
    if isinstance(value, bool) and kind in ("number", "integer"):
        return False
    return isinstance(value, _TYPES[kind])


def _check(
    value: Any, schema: dict[str, Any], root: dict[str, Any], path: tuple[str | int, ...]
) -> _Problem | None:
    """The first way ``value`` breaks ``schema`` (the JSON Schema subset the engine's types use)."""
    grammar = schema.get("grammar")
    if grammar is not None and (
        isinstance(value, str) or (_of_type(value, "number") and grammar in TAKE_NUMBERS)
    ):
        message = GRAMMARS[grammar](value)
        return None if message is None else _Problem(path, message)
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _check(value, root["definitions"][name], root, path)
    if "anyOf" in schema:
        problems = []
        for option in schema["anyOf"]:
            problem = _check(value, option, root, path)
            if problem is None:
                return None
            problems.append(problem)
        # The alternative that got furthest says most about what was meant.
        return max(problems, key=lambda problem: len(problem.path))
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_of_type(value, kind) for kind in kinds):
            return _Problem(path, f"{value!r} is not {' or '.join(_article(k) for k in kinds)}")
    if "const" in schema and value != schema["const"]:
        return _Problem(path, f"{value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        return _Problem(path, f"{value!r} is not one of {schema['enum']}")
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        return _Problem(path, f"{value!r} is not in the form the engine reads")
    if "minimum" in schema and _of_type(value, "number") and value < schema["minimum"]:
        return _Problem(path, f"{value!r} is less than {schema['minimum']}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                return _Problem(path, f"{key!r} is required")
        for key, item in value.items():
            if key in properties:
                problem = _check(item, properties[key], root, (*path, key))
                if problem is not None:
                    return problem
            elif schema.get("additionalProperties") is False:
                known = ", ".join(sorted(properties))
                return _Problem(
                    path, f"{key!r} is not something the engine knows here; it knows {known}"
                )
    if isinstance(value, (list, tuple)) and "items" in schema:
        for index, item in enumerate(value):
            problem = _check(item, schema["items"], root, (*path, index))
            if problem is not None:
                return problem
    return None


def _article(kind: str) -> str:
    return {"array": "a list", "object": "a mapping", "null": "null", "integer": "an integer"}.get(
        kind, f"a {kind}"
    )


def engine_problem(part: str, value: Any) -> str | None:
    """Why the engine would refuse ``value`` as a step's ``part`` (config, style, animation), or None.

    >>> engine_problem("config", {"geometry": "hexagon"})
    "geometry: 'hexagon' is not one of ['rectangle', 'circle', 'area', 'line']"
    >>> engine_problem("animation", {"duration": "2s", "easing": "ease-in"}) is None
    True
    """
    if part == "animation" and isinstance(value, dict) and "crossFade" in value:
        # The player's own cross-fade of a move with nothing to follow (see ipyreport._motion).
        if not isinstance(value["crossFade"], bool):
            return f"crossFade: {value['crossFade']!r} is not true or false"
        return engine_problem(
            part, {key: item for key, item in value.items() if key != "crossFade"}
        )
    if part == "animation" and isinstance(value, dict) and "via" in value:
        # A staged morph's in-between states (see ipyreport._motion): each leg is the
        # player's, played as a config and style reached with its own animation.
        return _via_problem(value["via"]) or engine_problem(
            part, {key: item for key, item in value.items() if key != "via"}
        )
    schema = _schema(part)
    problem = _check(value, schema, schema, ())
    if problem is None:
        return _too_long(value, ()) if part == "animation" else None
    message = problem.message
    if problem.path and problem.path[-1] in ("duration", "delay"):
        written = _at(value, problem.path)
        message = f"{written!r} is not a duration: write seconds (1.5), '1.5s' or '500ms'"
    where = ".".join(str(key) for key in problem.path)
    return f"{where}: {message}" if where else message


def _via_problem(legs: Any) -> str | None:
    if not isinstance(legs, list):
        return f"via: {legs!r} is not a list"
    for index, leg in enumerate(legs):
        if not isinstance(leg, dict) or set(leg) - {"animation", "config", "style", "side"}:
            return f"via.{index}: {leg!r} is not a leg (animation, config, style and side)"
        if leg.get("side", "after") not in ("before", "after"):
            return f"via.{index}.side: {leg['side']!r} is not 'before' or 'after'"
        for key, item in leg.items():
            if key == "side":
                continue
            problem = engine_problem(key, item)
            if problem is not None:
                return f"via.{index}.{key}.{problem}"
    return None


# A step's transition (or a delay) longer than this is a mistake, not a story:
# the player would rest mid-move and the video would record every frame of it.
MAX_STEP_SECONDS = 600.0


def _too_long(value: Any, path: tuple[str, ...]) -> str | None:
    """Where a duration or delay of the animation ``value`` runs past :data:`MAX_STEP_SECONDS`."""
    from ipyreport.document import duration_seconds

    if not isinstance(value, dict):
        return None
    for key, item in value.items():
        if key in ("duration", "delay"):
            seconds = duration_seconds(item)
            if seconds is not None and seconds > MAX_STEP_SECONDS:
                where = ".".join((*path, key))
                return (
                    f"{where}: {item!r} is {seconds:,.0f} s; a step's {key} is at most "
                    f"{MAX_STEP_SECONDS:,.0f} s (ten minutes): give the slide a hold, or more steps"
                )
        elif (found := _too_long(item, (*path, str(key)))) is not None:
            return found
    return None


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


@functools.cache
def _schema(part: str) -> dict[str, Any]:
    schema: dict[str, Any] = assets.vizzu_types()[part]  # type: ignore[assignment]
    annotated: dict[str, Any] = _with_grammars(schema, colors_by_name=part == "style")
    return annotated


# The engine's .d.ts names its text forms (Length, Color, Angle, ...) as type
# aliases whose doc comment the schema generator copies into every field of
# that type: those comments say which of the engine's grammars a field follows.
_ALIAS_DOCS = {
    "Length can be set in pixels": "length",
    "The following CSS color formats are available": "color",
    "Angle can be set in radians": "angle",
    "Color gradient is specified by": "gradient",
    "Color palette is a list of colors": "palette",
    "The following CSS like filters": "filter",
    "Units:\n- no unit: the same unit as in the data": "extremum",
}


def _with_grammars(node: Any, name: str = "", *, colors_by_name: bool = False) -> Any:
    """A copy of the schema whose fields carry ``grammar``: the engine's text form they follow."""
    if isinstance(node, list):
        return [_with_grammars(item, colors_by_name=colors_by_name) for item in node]
    if not isinstance(node, dict):
        return node
    result = {
        key: (
            {
                field: _with_grammars(value, field, colors_by_name=colors_by_name)
                for field, value in item.items()
            }
            if key == "properties"
            else _with_grammars(item, colors_by_name=colors_by_name)
        )
        for key, item in node.items()
    }
    if not name:
        return result
    grammar = _grammar_of(node)
    # Two tooltip colours are typed as plain strings, without the Color alias.
    if grammar is None and colors_by_name and (name == "color" or name.endswith("Color")):
        grammar = "color"
    if grammar is not None:
        result["grammar"] = grammar
    return result


def _grammar_of(node: Any) -> str | None:
    """The grammar named by an alias comment on ``node`` or its alternatives (not its fields)."""
    if not isinstance(node, dict):
        return None
    description = node.get("description", "")
    for start, named in _ALIAS_DOCS.items():
        if description.startswith(start):
            return named
    for option in node.get("anyOf", []):
        found = _grammar_of(option)
        if found is not None:
            return found
    return None


def language_problem(tag: Any) -> str | None:
    """Why ``tag`` is not a language tag (BCP 47) a browser reads, or None.

    >>> language_problem("en_US")
    "lang must be a BCP 47 language tag such as 'en' or 'en-US', got 'en_US' (did you mean 'en-US'?)"
    """
    if isinstance(tag, str) and LANGUAGE_TAG.match(tag):
        return None
    hint = ""
    if isinstance(tag, str) and LANGUAGE_TAG.match(tag.replace("_", "-")):
        hint = f" (did you mean {tag.replace('_', '-')!r}?)"
    return f"lang must be a BCP 47 language tag such as 'en' or 'en-US', got {tag!r}{hint}"
