"""A spec's parameters: declared with types and defaults, set with ``--set``, used as ``${params.NAME}``.

A spec declares what may change between builds of one story::

    params:
      region: Europe                       # a default; its type (text) follows from it
      year: {type: integer, default: 2007}
      quarter: {type: string, choices: [Q1, Q2, Q3, Q4]}   # no default: must be set

and uses them anywhere a value is written: titles, notes, filters, paths,
the theme (``"${params.region}"``), resolved by OmegaConf. A whole value
``"${params.year}"`` keeps the parameter's type (an integer stays an
integer, so a filter compares numbers). In SQL a parameter is never pasted
into the query text: ``${params.region}`` becomes DuckDB's bound parameter
``$region``, so a value holding a quote cannot change what the query does.

Only ``${params.NAME}`` may be interpolated: OmegaConf's resolvers (an
environment variable, say) would let a shared spec read what its builder
did not mean to publish, so any other ``${...}`` is an error.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from ipyreport._errors import SpecError, closest
from ipyreport._schema import AnyOf, Enum, ListOf, MapOf, Record, Scalar, Type

__all__ = [
    "KINDS",
    "Parameter",
    "bind_sql",
    "block_type",
    "declared",
    "interpolated",
    "parse_override",
    "resolve",
    "value_of",
]

# A parameter's type, by the name a spec gives it.
KINDS: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
}
_EXAMPLES = {"string": "Europe", "integer": "2007", "number": "0.5", "boolean": "true"}
_FIELDS = ("type", "default", "choices", "description")
NAME = r"[A-Za-z_][A-Za-z0-9_]*"
# ``${`` not escaped with a backslash, and the one form a spec may write after it.
_OPENING = re.compile(r"(?<!\\)\$\{")
_REFERENCE = re.compile(r"\$\{params\.(" + NAME + r")\}")

Path = tuple[str | int, ...]
Raise = Callable[[Path, str], SpecError]


@dataclass(frozen=True)
class Parameter:
    """One declared parameter: its name, type, default (absent: it must be set) and allowed values."""

    name: str
    kind: str
    default: Any = None
    required: bool = False
    choices: tuple[Any, ...] | None = None
    description: str | None = None

    def check(self, value: Any) -> str | None:
        """Why ``value`` cannot be this parameter's value (None: it can)."""
        wanted = KINDS[self.kind]
        if not isinstance(value, wanted) or (self.kind != "boolean" and isinstance(value, bool)):
            article = "an" if self.kind == "integer" else "a"
            return (
                f"{value!r:.60} is not {article} {self.kind}; write one, for example "
                f"params.{self.name}={_EXAMPLES[self.kind]}"
            )
        if isinstance(value, str) and _OPENING.search(value):
            return f"{value!r:.60} holds '${{'; a parameter's value is text, not an interpolation"
        if self.choices is not None and value not in self.choices:
            near = closest(str(value), [str(choice) for choice in self.choices])
            return f"{value!r:.60} is not one of {list(self.choices)}{near}"
        return None


def block_type(description: str = "") -> Type:
    """The ``params:`` block as the spec's JSON Schema describes it (for editors): a name
    and its default, or its declaration. :func:`declared` reads it with located messages."""
    value = AnyOf((Scalar("string"), Scalar("number"), Scalar("boolean")))
    declaration = Record(
        {
            "type": Enum(tuple(KINDS)),
            "default": value,
            "choices": ListOf(value, min_items=1),
            "description": Scalar("string"),
        },
        name="field",
    )
    return MapOf(AnyOf((value, declaration)), names=NAME, description=description)


def declared(block: Any, error: Raise) -> dict[str, Parameter]:
    """The parameters a spec's ``params:`` block declares; ``error(path, message)`` makes the
    located error for a bad declaration."""
    if block is None:
        return {}
    if not isinstance(block, Mapping):
        raise error(
            ("params",),
            f"must be a mapping of names to defaults (region: Europe), got {type(block).__name__}",
        )
    result = {}
    for name, written in block.items():
        here: Path = ("params", name)
        if not re.fullmatch(NAME, name):
            raise error(
                here, f"{name!r} is not a parameter name; use letters, digits and _ (region_2)"
            )
        if isinstance(written, Mapping):
            unknown = [key for key in written if key not in _FIELDS]
            if unknown:
                raise error(
                    (*here, unknown[0]),
                    f"unknown field {unknown[0]!r}{closest(unknown[0], _FIELDS)}; a parameter has {', '.join(_FIELDS)}",
                )
            kind = written.get("type")
            if kind is None and "default" in written:
                kind = _kind_of(written["default"])
            if kind not in KINDS:
                raise error(
                    (*here, "type"),
                    f"type is one of {', '.join(KINDS)}, got {kind!r}{closest(str(kind), KINDS)}",
                )
            choices = written.get("choices")
            if choices is not None and (not isinstance(choices, list) or not choices):
                raise error((*here, "choices"), "choices is a list of the values allowed")
            parameter = Parameter(
                name,
                kind,
                default=written.get("default"),
                required="default" not in written,
                choices=tuple(choices) if choices is not None else None,
                description=written.get("description"),
            )
            for index, choice in enumerate(parameter.choices or ()):
                problem = Parameter(name, kind).check(choice)
                if problem:
                    raise error((*here, "choices", index), problem)
            if not parameter.required:
                problem = parameter.check(parameter.default)
                if problem:
                    raise error((*here, "default"), problem)
        else:
            kind = _kind_of(written)
            if kind is None:
                raise error(
                    here,
                    f"{written!r:.60} cannot be a parameter's default; write text, a number or "
                    f"true/false, or declare it as {{type: string}} to make it required",
                )
            parameter = Parameter(name, kind, default=written)
        result[name] = parameter
    return result


def _kind_of(value: Any) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


def parse_override(assignment: str, parameters: Mapping[str, Parameter]) -> tuple[str, Any]:
    """``params.NAME=value`` as the parameter's name and typed value.

    The value is read as YAML (``2007`` a number, ``true`` a boolean), except
    for a text parameter, which takes the text as written.
    """
    dotted, _, raw = assignment.partition("=")
    name = dotted.removeprefix("params.")
    if "." in name or not name:
        msg = f"--set {assignment!r}: set a parameter by its name, for example --set params.region=Europe"
        raise SpecError(msg)
    if name not in parameters:
        known = ", ".join(parameters) or "none"
        msg = (
            f"--set {assignment!r}: the spec declares no parameter {name!r}"
            f"{closest(name, parameters)}; declare it under params: (declared: {known})"
        )
        raise SpecError(msg)
    parameter = parameters[name]
    try:
        value = yaml.safe_load(raw) if raw else ""
    except yaml.YAMLError:
        value = raw
    if parameter.kind == "string" and not isinstance(value, str):
        value = raw
    if parameter.kind == "number" and isinstance(value, str):
        value = _number(raw)
    if parameter.kind == "number" and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    problem = parameter.check(value)
    if problem:
        msg = f"--set {assignment!r}: params.{name}: {problem}"
        raise SpecError(msg)
    return name, value


def _number(raw: str) -> float | str:
    """``raw`` as a finite number if it is one (YAML 1.1 reads ``1e3`` as text), else as it is."""
    try:
        number = float(raw)
    except ValueError:
        return raw
    return number if math.isfinite(number) else raw


def value_of(
    parameters: Mapping[str, Parameter], given: Mapping[str, Any], error: Raise
) -> dict[str, Any]:
    """Each parameter's value: the one given, else its default (a required one must be given)."""
    values = {}
    for name, parameter in parameters.items():
        if name in given:
            values[name] = given[name]
        elif parameter.required:
            raise error(
                ("params", name),
                f"has no default, so it must be set: --set params.{name}={_EXAMPLES[parameter.kind]}",
            )
        else:
            values[name] = parameter.default
    return values


def interpolated(text: str) -> list[str] | None:
    """The parameters ``text`` names (None when it interpolates nothing); a ``${...}`` other
    than ``${params.NAME}`` raises a ``ValueError`` saying what may be written."""
    names = []
    openings = list(_OPENING.finditer(text))
    if not openings:
        return None
    for opening in openings:
        found = _REFERENCE.match(text, opening.start())
        if found is None:
            written = text[opening.start() : opening.start() + 40].split("}", 1)[0] + "}"
            msg = (
                f"{written!r} cannot be interpolated: a spec may write only ${{params.NAME}} "
                "(a parameter declared under params:); write \\${ for a literal ${"
            )
            raise ValueError(msg)
        names.append(found.group(1))
    return names


# Where a spec's text is not resolved: the declarations themselves, the composition list,
# and SQL (its parameters are bound, see bind_sql).
_KEPT: tuple[Path, ...] = (("params",), ("defaults",), ("data", "sql"))


def resolve(spec: Any, values: Mapping[str, Any], error: Raise, path: Path = ()) -> Any:
    """``spec`` with every ``${params.NAME}`` replaced by its value (through OmegaConf)."""
    from omegaconf import OmegaConf

    config = OmegaConf.create({"params": dict(values)})

    def walk(value: Any, here: Path) -> Any:
        if here in _KEPT:
            return value
        if isinstance(value, dict):
            return {key: walk(item, (*here, key)) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item, (*here, index)) for index, item in enumerate(value)]
        if not isinstance(value, str) or "${" not in value:
            return value
        try:
            names = interpolated(value) or []
        except ValueError as problem:
            raise error(here, str(problem)) from None
        for name in names:
            if name not in values:
                raise error(
                    here,
                    f"${{params.{name}}} names no declared parameter{closest(name, values)}; "
                    f"declare it under params: (declared: {', '.join(values) or 'none'})",
                )
        try:
            config["text"] = value
            return config["text"]
        except Exception as problem:
            reason = str(problem).splitlines()[0] if str(problem) else type(problem).__name__
            raise error(here, f"{value!r:.60} cannot be resolved ({reason})") from None

    return walk(spec, path)


def bind_sql(sql: str, values: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """``sql`` with each ``${params.NAME}`` as DuckDB's bound parameter ``$NAME``, and the
    values to bind. A reference inside quotes is refused: it would be read as text, not bound.

    >>> bind_sql("select * from t where region = ${params.region}", {"region": "Côte d'Ivoire"})
    ('select * from t where region = $region', {'region': "Côte d'Ivoire"})
    """
    names = interpolated(sql)
    if names is None:
        return sql, {}
    bound: dict[str, Any] = {}
    pieces = []
    last = 0
    for found in _REFERENCE.finditer(sql):
        before = sql[: found.start()]
        name = found.group(1)
        if before.count("'") % 2 or before.count('"') % 2:
            msg = (
                f"${{params.{name}}} is inside quotes, where it would be read as text; write it "
                "without quotes (region = ${params.region}): its value is bound as a parameter"
            )
            raise ValueError(msg)
        if name not in values:
            msg = (
                f"${{params.{name}}} names no declared parameter{closest(name, values)}; "
                f"declare it under params: (declared: {', '.join(values) or 'none'})"
            )
            raise ValueError(msg)
        pieces.append(sql[last : found.start()] + f"${name}")
        last = found.end()
        bound[name] = values[name]
    pieces.append(sql[last:])
    return "".join(pieces), bound


def overrides_of(assignments: Sequence[str]) -> tuple[list[str], list[str]]:
    """``--set`` assignments split into parameters (``params.NAME=...``) and other fields."""
    parameters = [a for a in assignments if a.partition("=")[0].startswith("params.")]
    others = [a for a in assignments if a not in parameters]
    return parameters, others
