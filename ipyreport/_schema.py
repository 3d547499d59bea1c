"""A small typed model of the story spec format: it validates parsed YAML and
writes the JSON Schema editors use, from one description.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ipyreport._errors import closest

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a spec: where, and what to do."""

    path: Path
    message: str


class Type:
    """A value type: checks a value and describes itself as JSON Schema."""

    description: str = ""

    def check(self, value: Any, path: Path) -> list[Problem]:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def _described(self, schema: dict[str, Any]) -> dict[str, Any]:
        if self.description:
            schema["description"] = self.description
        return schema


@dataclass(frozen=True)
class Scalar(Type):
    kind: str  # "string", "integer", "number", "boolean"
    description: str = ""
    minimum: float | None = None
    maximum: float | None = None

    def check(self, value: Any, path: Path) -> list[Problem]:
        python: dict[str, type | tuple[type, ...]] = {
            "string": str,
            "integer": int,
            "number": (int, float),
            "boolean": bool,
        }
        ok = isinstance(value, python[self.kind]) and (
            self.kind == "boolean" or not isinstance(value, bool)
        )
        if not ok:
            article = "an" if self.kind == "integer" else "a"
            return [Problem(path, f"must be {article} {self.kind}, got {_show(value)}")]
        if self.kind == "number" and not math.isfinite(value):
            return [Problem(path, f"must be a finite number, got {value!r}")]
        if self.minimum is not None and value < self.minimum:
            return [Problem(path, f"must be at least {self.minimum:g}, got {value!r}")]
        if self.maximum is not None and value > self.maximum:
            return [Problem(path, f"must be at most {self.maximum:g}, got {value!r}")]
        return []

    def schema(self) -> dict[str, Any]:
        result: dict[str, Any] = {"type": self.kind}
        if self.minimum is not None:
            result["minimum"] = self.minimum
        if self.maximum is not None:
            result["maximum"] = self.maximum
        return self._described(result)


@dataclass(frozen=True)
class Enum(Type):
    values: tuple[Any, ...]
    description: str = ""

    def check(self, value: Any, path: Path) -> list[Problem]:
        # Strict: true is not 1, and 0 is not false.
        if any(type(value) is type(allowed) and value == allowed for allowed in self.values):
            return []
        words = [str(v) for v in self.values]
        hint = closest(str(value), words) if isinstance(value, str) else ""
        return [Problem(path, f"{_show(value)} is not one of {', '.join(words)}{hint}")]

    def schema(self) -> dict[str, Any]:
        return self._described({"enum": list(self.values)})


@dataclass(frozen=True)
class ListOf(Type):
    item: Type
    description: str = ""
    min_items: int = 0
    max_items: int | None = None
    # A single item may be written without the list brackets.
    single: bool = False

    def check(self, value: Any, path: Path) -> list[Problem]:
        if self.single and not isinstance(value, list):
            return self.item.check(value, path)
        if not isinstance(value, list):
            return [Problem(path, f"must be a list, got {_show(value)}")]
        if len(value) < self.min_items:
            return [Problem(path, f"needs at least {self.min_items} item(s)")]
        if self.max_items is not None and len(value) > self.max_items:
            return [Problem(path, f"holds at most {self.max_items} items, got {len(value)}")]
        problems = []
        for index, item in enumerate(value):
            problems += self.item.check(item, (*path, index))
        return problems

    def schema(self) -> dict[str, Any]:
        listed: dict[str, Any] = {"type": "array", "items": self.item.schema()}
        if self.min_items:
            listed["minItems"] = self.min_items
        if self.max_items is not None:
            listed["maxItems"] = self.max_items
        if self.single:
            return self._described({"anyOf": [self.item.schema(), listed]})
        return self._described(listed)


@dataclass(frozen=True)
class Moment(Type):
    """A moment in ISO 8601: text, or the date or timestamp YAML reads from unquoted text."""

    description: str = ""

    def check(self, value: Any, path: Path) -> list[Problem]:
        if isinstance(value, (str, dt.date)):
            return []
        return [
            Problem(
                path,
                f"must be a moment such as 2026-11-30 or 2026-11-30T17:00:00Z, got {_show(value)}",
            )
        ]

    def schema(self) -> dict[str, Any]:
        return self._described({"type": "string"})


@dataclass(frozen=True)
class AnyOf(Type):
    options: tuple[Type, ...]
    description: str = ""

    def check(self, value: Any, path: Path) -> list[Problem]:
        results = [option.check(value, path) for option in self.options]
        if any(not problems for problems in results):
            return []
        return min(results, key=len)

    def schema(self) -> dict[str, Any]:
        return self._described({"anyOf": [option.schema() for option in self.options]})


@dataclass(frozen=True)
class FreeMap(Type):
    """A mapping passed through as it is (Vizzu configs, styles, animation options)."""

    description: str = ""

    def check(self, value: Any, path: Path) -> list[Problem]:
        if not isinstance(value, Mapping):
            return [Problem(path, f"must be a mapping, got {_show(value)}")]
        return json_problems(value, path)

    def schema(self) -> dict[str, Any]:
        return self._described({"type": "object"})


@dataclass(frozen=True)
class MapOf(Type):
    """A mapping from names (each matching ``names``, a regular expression) to values of one type."""

    item: Type
    names: str = r".+"
    description: str = ""

    def check(self, value: Any, path: Path) -> list[Problem]:
        if not isinstance(value, Mapping):
            return [Problem(path, f"must be a mapping, got {_show(value)}")]
        problems = []
        for key, item in value.items():
            if not isinstance(key, str) or not re.fullmatch(self.names, key):
                problems.append(Problem((*path, str(key)), f"{key!r} is not a name here"))
                continue
            problems += self.item.check(item, (*path, key))
        return problems

    def schema(self) -> dict[str, Any]:
        return self._described(
            {
                "type": "object",
                "propertyNames": {"pattern": f"^(?:{self.names})$"},
                "additionalProperties": self.item.schema(),
            }
        )


# Integers beyond this are not exact as JavaScript numbers.
_SAFE_INTEGER = 2**53


def json_problems(value: Any, path: Path = ()) -> list[Problem]:
    """What in ``value`` a player could not be handed as JSON exactly as written.

    >>> json_problems({"plot": {"marker": {"size": 1e400}}})
    [Problem(path=('plot', 'marker', 'size'), message='must be a finite number, got inf')]
    """
    if isinstance(value, Mapping):
        problems = []
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(Problem(path, f"keys must be text, got {key!r}"))
                continue
            problems += json_problems(item, (*path, key))
        return problems
    if isinstance(value, (list, tuple)):
        return [p for index, item in enumerate(value) for p in json_problems(item, (*path, index))]
    if value is None or isinstance(value, (str, bool)):
        return []
    if isinstance(value, int):
        if abs(value) > _SAFE_INTEGER:
            return [Problem(path, f"{value} is too large to be exact in a browser (beyond 2**53)")]
        return []
    if isinstance(value, float):
        return (
            []
            if math.isfinite(value)
            else [Problem(path, f"must be a finite number, got {value!r}")]
        )
    hint = "; write it in quotes" if type(value).__name__ in ("date", "datetime") else ""
    return [
        Problem(path, f"a {type(value).__name__} value cannot be handed to the chart engine{hint}")
    ]


@dataclass(frozen=True)
class Record(Type):
    """A mapping with known keys: unknown keys are errors with the closest match."""

    fields: Mapping[str, Type]
    required: tuple[str, ...] = ()
    description: str = ""
    # Exactly one of these keys must be present (e.g. the kind of data source)...
    one_of: tuple[str, ...] = ()
    name: str = "field"
    # ...or, when none is, this one stands alone (a highlight step, or a highlight on any step).
    otherwise: str = ""

    def check(self, value: Any, path: Path) -> list[Problem]:
        if not isinstance(value, Mapping):
            return [Problem(path, f"must be a mapping, got {_show(value)}")]
        problems = []
        for key in value:
            if key not in self.fields:
                known = ", ".join(self.fields)
                problems.append(
                    Problem(
                        (*path, key),
                        f"unknown {self.name} {key!r}{closest(str(key), self.fields)}; {self.name}s here are {known}",
                    )
                )
        for key in self.required:
            if key not in value:
                problems.append(Problem(path, f"is missing the required {self.name} {key!r}"))
        if self.one_of:
            present = [key for key in self.one_of if key in value]
            alone = not present and self.otherwise in value
            if len(present) != 1 and not alone:
                choices = ", ".join(
                    (*self.one_of, self.otherwise) if self.otherwise else self.one_of
                )
                said = f"has {', '.join(present)}" if present else "has none"
                problems.append(Problem(path, f"needs exactly one of {choices} ({said})"))
        for key, item in value.items():
            if key in self.fields:
                problems += self.fields[key].check(item, (*path, key))
        return problems

    def schema(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "type": "object",
            "properties": {key: item.schema() for key, item in self.fields.items()},
            "additionalProperties": False,
        }
        if self.required:
            result["required"] = list(self.required)
        if self.one_of:
            result["oneOf"] = [{"required": [key]} for key in self.one_of]
            if self.otherwise:
                none = {"anyOf": [{"required": [key]} for key in self.one_of]}
                result["oneOf"].append({"required": [self.otherwise], "not": none})
        return self._described(result)


def _show(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return repr(value)


# Lists whose items a reader counts in words, from 1, as the player and messages do.
_COUNTED = {"slides": "slide", "steps": "step", "charts": "chart"}


def format_path(path: Sequence[str | int]) -> str:
    """A field's place in the user's words, counting from 1.

    >>> format_path(("slides", 0, "steps", 1, "chart", "x"))
    'slide 1, step 2, chart.x'
    >>> format_path(("slides", 2, "charts", 1, 0, "morph", "kinds", 1))
    'slide 3, chart 2, step 1, morph.kinds item 2'
    >>> format_path(("data", "path"))
    'data.path'
    """
    parts: list[str] = []
    field = ""
    index = 0
    while index < len(path):
        part = path[index]
        following = path[index + 1] if index + 1 < len(path) else None
        if isinstance(part, str) and part in _COUNTED and isinstance(following, int):
            if field:
                parts.append(field)
                field = ""
            parts.append(f"{_COUNTED[part]} {following + 1}")
            index += 2
            # A dashboard chart written as a list of steps.
            if part == "charts" and index < len(path) and isinstance(path[index], int):
                parts.append(f"step {int(path[index]) + 1}")
                index += 1
            continue
        if isinstance(part, int):
            field += f" item {part + 1}"
        else:
            field += f".{part}" if field else str(part)
        index += 1
    if field:
        parts.append(field)
    return ", ".join(parts) or "(top level)"
