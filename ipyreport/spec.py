"""Story specs: YAML files under version control that build the same ``Story``
the Python API builds.

A spec names its data (the embedded sample, files, a DuckDB query over
files, or a Python function), then slides of steps made with the presets::

    title: Sales overview
    data:
      sample: sales
    slides:
      - title: Revenue by region
        steps:
          - morph: {kinds: [stacked_column, pie], x: Region, y: Revenue, color: Product}

A spec may declare parameters (``params:``, used as ``${params.NAME}``; see
:mod:`ipyreport._params`) and list spec files merged under it
(``defaults: [brand.yaml, data.yaml]``); the story it builds records its
provenance (see :mod:`ipyreport._provenance`).

Every mistake is reported with the file, line and column, the field path,
the bad value and what would be accepted.
"""

from __future__ import annotations

import copy
import hashlib
import importlib
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from pathlib import Path as FilePath
from typing import Any

import yaml

from ipyreport import presets
from ipyreport._access import Access, locked_connection, select_only
from ipyreport._errors import IpyreportError, SpecError, StepError, closest
from ipyreport._params import (
    bind_sql,
    block_type,
    declared,
    overrides_of,
    parse_override,
    resolve,
    value_of,
)
from ipyreport._provenance import fingerprint, provenance_of
from ipyreport._schema import (
    AnyOf,
    Enum,
    FreeMap,
    ListOf,
    Moment,
    Problem,
    Record,
    Scalar,
    format_path,
)
from ipyreport._templates import TEMPLATE_HELP, TemplateError
from ipyreport._yaml import check_shape
from ipyreport.data import DEFAULT_MAX_ROWS, VizzuData, encode
from ipyreport.lazy import lazy
from ipyreport.step import Filter, Step, check_step, data_of
from ipyreport.story import DEFAULT_HOLD, Dashboard, Slide, Story
from ipyreport.themes import theme_of

__all__ = ["SPEC", "Access", "Loaded", "SpecError", "build", "json_schema", "load", "set_value"]

SAMPLES = ("sales", "orders")
# The fields that name where the data comes from (exactly one per spec).
SOURCES = ("sample", "path", "sql", "delta", "iceberg", "python", "variable")
# The fields that pick a lake table's version(s), and the sources each applies to.
LAKE_FIELDS = {
    "version": ("delta",),
    "snapshot": ("iceberg",),
    "catalog": ("iceberg",),
    "timestamp": ("delta", "iceberg"),
    "since": ("delta", "iceberg"),
}

text = Scalar("string")
words = Scalar("string", description=TEMPLATE_HELP)
flag = Scalar("boolean")

# The preset step kinds and their parameters come from the presets' own table.
HOLD = Scalar("number", minimum=0, maximum=3600, description="seconds play mode rests on each step")
STEP_KINDS: dict[str, Record | FreeMap] = {
    **{name: preset.parameters for name, preset in presets.REGISTRY.items()},
    "config": FreeMap(description="a raw Vizzu config"),
}
STEP = Record(
    {
        **STEP_KINDS,
        "filter": presets.FILTER,
        "style": FreeMap(),
        "animation": FreeMap(),
        "hold": HOLD,
    },
    one_of=tuple(kind for kind in STEP_KINDS if kind != "highlight"),
    otherwise="highlight",
    name="step key",
    description="a step: one preset (or a raw config), optionally with a filter, style, animation options, hold or a highlight of its marks",
)
CHART = ListOf(
    STEP,
    min_items=1,
    single=True,
    description="one chart of a dashboard: a step, or a list of steps that play in turn",
)
SLIDE = Record(
    {
        "title": Scalar(
            "string",
            description=f"the slide's headline, best the finding it shows; {TEMPLATE_HELP}",
        ),
        "dek": Scalar(
            "string",
            description=f"a sentence under the headline, in lighter type; {TEMPLATE_HELP}",
        ),
        "source": Scalar(
            "string",
            description="the line under the chart naming where the data comes from, in place of the story's source",
        ),
        "notes": Scalar(
            "string",
            description=f"speaker notes, or 'auto' for the slide's captions; {TEMPLATE_HELP}",
        ),
        "alt": words,
        "hold": HOLD,
        "steps": ListOf(STEP, min_items=1),
        "charts": ListOf(
            CHART,
            min_items=2,
            max_items=4,
            description="a dashboard: two to four charts in a grid that step together",
        ),
        "columns": Scalar(
            "integer", minimum=1, maximum=4, description="a dashboard's grid columns (1-4)"
        ),
        "cross_filter": AnyOf(
            (flag, ListOf(text)),
            description="a dashboard: clicking a mark filters the other charts by these dimensions (true: all shown)",
        ),
    },
    one_of=("steps", "charts"),
    name="slide field",
    description="a slide of steps on one chart, or a dashboard of charts",
)
DATA = Record(
    {
        "sample": Enum(SAMPLES, description="the embedded sample data"),
        "rows": Scalar("integer", minimum=0, description="rows for the 'orders' sample"),
        "seed": Scalar("integer", minimum=0, description="the seed the sample is drawn from"),
        "path": text,
        "sql": text,
        "delta": Scalar(
            "string",
            description="a Delta Lake table's folder, relative to the spec (pip extra: lake)",
        ),
        "iceberg": Scalar(
            "string",
            description="an Apache Iceberg table's name in catalog: (namespace.table; pip extra: lake)",
        ),
        "catalog": Scalar(
            "string",
            description="the SQLite file of the Iceberg SQL catalog that holds iceberg:, relative to the spec",
        ),
        "version": Scalar(
            "integer",
            minimum=0,
            description="the Delta table's version to read (default: the latest)",
        ),
        "snapshot": Scalar(
            "integer", description="the Iceberg snapshot id to read (default: the current one)"
        ),
        "timestamp": Moment(
            description="read the version or snapshot that was current at this moment (ISO 8601; UTC unless a zone is given)"
        ),
        "since": AnyOf(
            (Scalar("integer"), Moment()),
            description="also read this earlier version or snapshot id, or the one current at this moment: adds a Version column and a '<column> change' column per number, for the compare preset",
        ),
        "engine": Enum(
            ("duckdb", "spark"),
            description="where path: data is aggregated: duckdb (default), or spark (a local Spark session; pip install pyspark, needs Java)",
        ),
        "python": text,
        "variable": Scalar(
            "string", description="a variable of the notebook (only in the %%ipyreport cell magic)"
        ),
        "columns": ListOf(text),
        "dimensions": ListOf(text),
        "measures": ListOf(text),
        "null_label": text,
        "max_rows": AnyOf(
            (Scalar("integer", minimum=1), Enum((False,))),
            description="most rows read into memory (false: no limit); not for path or sql, which are read lazily",
        ),
    },
    one_of=SOURCES,
    name="data field",
    description="where the data comes from: sample, path (file, folder or glob, relative to the spec), sql (DuckDB over files), delta (a Delta Lake table), iceberg (an Iceberg table), python (module:function) or variable (in a notebook)",
)
SPEC = Record(
    {
        "title": text,
        "source": Scalar(
            "string",
            description="where the data comes from: a quiet line under the chart on every slide ('Source: ...')",
        ),
        "lang": text,
        "theme": Scalar(
            "string",
            description="auto, light or dark; a shipped brand theme (boardroom, midnight); or a theme file (.yaml/.json) next to the spec",
        ),
        "style": FreeMap(description="a Vizzu style for the whole story"),
        "formats": FreeMap(
            description="how columns read: a measure's currency or unit ('$', '€', '%', 'units', or {prefix, suffix, decimals, scale}), a date column's precision ('year', 'quarter', 'month', 'day', 'iso')"
        ),
        "colors": FreeMap(
            description="a dimension's colours: a palette in category order ('#1b9e77 #d95f02') or {category: colour}"
        ),
        "labels": FreeMap(
            description="the names the audience reads for columns, used by axes, legends, tables, text and every output: {pop: Population}"
        ),
        "tooltips": flag,
        "loop": flag,
        "hold": HOLD,
        "data": DATA,
        "slides": ListOf(SLIDE, min_items=1),
        "params": block_type(
            description="the story's parameters, used as ${params.NAME} in any text (bound, not pasted, in SQL): name: default, or name: {type: string|integer|number|boolean, default, choices, description}; set with --set params.NAME=value"
        ),
        "defaults": ListOf(
            text,
            description="spec files (relative to this one) merged in order under this spec, such as a shared brand and data block",
        ),
    },
    required=("data", "slides"),
    name="top-level field",
    description="an ipyreport story",
)


@dataclass(frozen=True)
class Loaded:
    r"""A parsed spec with where each value was written.

    Made by :func:`load`; :func:`build` makes its story.

    Parameters
    ----------
    path : Path
        The spec file.
    value : dict
        The spec resolved: its ``defaults:`` merged in, overrides applied and
        ``${params.NAME}`` replaced (except in SQL, whose parameters are
        bound).
    marks : dict
        For each field's path, the line and column that wrote it (1-based).
    files : dict, default {}
        For each field a file listed under ``defaults:`` wrote, that file
        (fields ``path`` wrote are not listed).
    parameters : dict, default {}
        Each parameter's value.
    overrides : tuple of str, default ()
        The ``--set`` assignments given.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> spec = pathlib.Path(folder.name, "sales.yaml")
    >>> _ = spec.write_text("title: Sales\ndata: {sample: sales}\nslides:\n  - steps: [{chart: {kind: column, x: Region, y: Revenue}}]\n")
    >>> loaded = load(spec)
    >>> loaded.where(["slides", 0, "steps", 0, "chart", "x"]).endswith("sales.yaml:4:36")
    True
    >>> folder.cleanup()
    """

    path: FilePath
    value: dict[str, Any]
    marks: dict[tuple[str | int, ...], tuple[int, int]]
    files: dict[tuple[str | int, ...], FilePath] = dataclass_field(default_factory=dict)
    parameters: dict[str, Any] = dataclass_field(default_factory=dict)
    overrides: tuple[str, ...] = ()

    def where(self, field: Sequence[str | int]) -> str:
        """``file:line:column`` of the nearest written ancestor of ``field``.

        Parameters
        ----------
        field : sequence of str or int
            A field's path, such as ``["slides", 0, "title"]``.

        Returns
        -------
        str
            Where it (or the nearest field around it) was written.

        Examples
        --------
        >>> from pathlib import Path
        >>> Loaded(Path("sales.yaml"), {}, {("title",): (1, 8)}).where(["title", "text"])
        'sales.yaml:1:8'
        """
        probe = tuple(field)
        while probe not in self.marks and probe:
            probe = probe[:-1]
        line, column = self.marks.get(probe, (1, 1))
        return f"{self.files.get(probe, self.path)}:{line}:{column}"

    def error(self, field: Sequence[str | int], message: str) -> SpecError:
        """A :class:`SpecError` about ``field``, located where it was written.

        Parameters
        ----------
        field : sequence of str or int
            The field at fault.
        message : str
            What is wrong with it and the fix.

        Returns
        -------
        SpecError
            The error, to raise.

        Examples
        --------
        >>> from pathlib import Path
        >>> str(Loaded(Path("sales.yaml"), {}, {("title",): (1, 8)}).error(["title"], "is empty"))
        'sales.yaml:1:8: title: is empty'
        """
        return SpecError(f"{self.where(field)}: {format_path(field)}: {message}")


def load(
    path: str | FilePath, overrides: Sequence[str] = (), *, access: Access | None = None
) -> Loaded:
    """Parse and validate a spec file; apply ``--set key=value`` overrides first.

    Parameters are resolved and files listed under ``defaults:`` merged in;
    no data is read yet (see :func:`build`).

    Parameters
    ----------
    path : str or Path
        The spec, a YAML file.
    overrides : sequence of str, default ()
        Assignments such as ``"data.path=q3.parquet"``, applied in order (see
        :func:`set_value`); ``params.NAME=value`` sets a parameter.
    access : Access, optional
        The folders ``defaults:`` files may lie in (default: the spec's own
        folder).

    Returns
    -------
    Loaded
        The resolved spec, with where each value was written.

    Raises
    ------
    SpecError
        Naming the file, line, column and field of the first mistake, and
        what would be accepted.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> spec = pathlib.Path(folder.name, "sales.yaml")
    >>> _ = spec.write_text('''
    ... title: Sales
    ... data: {sample: sales}
    ... slides:
    ...   - steps: [{chart: {kind: column, x: Region, y: Revenue}}]
    ... ''')
    >>> load(spec, ["title=Sales by region"]).value["title"]
    'Sales by region'
    >>> folder.cleanup()
    """
    file = FilePath(path)
    return loads(_read_spec(file), file, overrides, access=access)


def _read_spec(file: FilePath, named: str | None = None) -> str:
    """A spec file's text; ``named`` says where it was listed (a spec's ``defaults:``)."""
    said = named or str(file)
    if file.exists() and not (file.is_file() or file.is_dir()):
        msg = f"{said}: is not a regular file (a pipe, socket or device); name a spec file"
        raise SpecError(msg)
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        msg = f"{said}: no such spec file"
        raise SpecError(msg) from None
    except IsADirectoryError:
        msg = f"{said}: is a folder; name a spec file inside it, such as {file / 'story.yaml'}"
        raise SpecError(msg) from None
    except UnicodeDecodeError as error:
        msg = f"{said}: is not UTF-8 text (byte {error.start} cannot be read); save it as UTF-8"
        raise SpecError(msg) from None
    except OSError as error:
        msg = f"{said}: cannot be read ({error.strerror})"
        raise SpecError(msg) from None


Marks = dict[tuple[str | int, ...], tuple[int, int]]
Files = dict[tuple[str | int, ...], FilePath]


def _parse(source: str, file: FilePath) -> tuple[dict[str, Any], Marks]:
    """A spec's text as a mapping, with where each value was written."""
    try:
        check_shape(source, str(file), syntax=False)
        node = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{file}:{mark.line + 1}:{mark.column + 1}" if mark else str(file)
        problem = getattr(error, "problem", None) or str(error)
        msg = f"{where}: not valid YAML: {problem}"
        raise SpecError(msg) from None
    if node is None:
        msg = f"{file}: the spec is empty; it needs at least data: and slides:"
        raise SpecError(msg)
    marks: Marks = {}
    try:
        value = _to_python(node, (), marks)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{file}:{mark.line + 1}:{mark.column + 1}" if mark else str(file)
        msg = f"{where}: {getattr(error, 'problem', None) or error}"
        raise SpecError(msg) from None
    if not isinstance(value, dict):
        msg = (
            f"{file}:1:1: a spec is a mapping with data: and slides:, got a {type(value).__name__}"
        )
        raise SpecError(msg)
    return value, marks


def loads(
    source: str,
    path: str | FilePath = "<spec>",
    overrides: Sequence[str] = (),
    *,
    access: Access | None = None,
) -> Loaded:
    """Parse and validate spec text (``path`` is used in messages and for relative data paths).

    The spec's ``defaults:`` are merged in first (in order, the spec itself
    last), then ``overrides`` are applied (``params.NAME=value`` sets a
    declared parameter), then ``${params.NAME}`` is resolved everywhere but
    in SQL.
    """
    file = FilePath(path)
    value, marks = _parse(source, file)
    files: dict[tuple[str | int, ...], FilePath] = {}
    if "defaults" in value:
        allowed = access or Access.for_spec(file)
        value, marks, files = _compose(value, marks, file, allowed, (file.resolve(),))
    loaded = Loaded(file, value, marks, files, overrides=tuple(overrides))
    settings, others = overrides_of(overrides)
    for override in others:
        if override.partition("=")[0] == "params":
            msg = f"--set {override!r}: set one parameter at a time, for example --set params.region=Europe"
            raise SpecError(msg)
        set_value(loaded.value, override)
    parameters = declared(loaded.value.get("params"), loaded.error)
    given = dict(parse_override(setting, parameters) for setting in settings)
    values = value_of(parameters, given, loaded.error)
    loaded.parameters.update(values)
    loaded.value.update(resolve(loaded.value, values, loaded.error))
    problems = SPEC.check(loaded.value, ())
    if problems:
        raise _report(loaded, problems)
    return loaded


def _compose(
    value: dict[str, Any],
    marks: Marks,
    file: FilePath,
    access: Access,
    seen: tuple[FilePath, ...],
) -> tuple[dict[str, Any], Marks, dict[tuple[str | int, ...], FilePath]]:
    """``value`` with the files its ``defaults:`` lists merged under it, in order."""
    listed = value["defaults"]
    here = Loaded(file, value, marks)
    if not isinstance(listed, list) or not all(isinstance(item, str) for item in listed):
        raise here.error(
            ("defaults",),
            "is a list of spec files merged in order, such as [brand.yaml, data.yaml]",
        )
    merged: dict[str, Any] = {}
    merged_marks: Marks = {}
    merged_files: Files = {}
    for index, name in enumerate(listed):
        part = file.parent / name
        if not access.allows(part):
            raise here.error(("defaults", index), _outside(name))
        if part.resolve() in seen:
            raise here.error(
                ("defaults", index), f"{name!r} is already being merged (a cycle); list it once"
            )
        where = here.where(("defaults", index))
        text = _read_spec(part, f"{where}: {format_path(('defaults', index))}: {name!r}")
        part_value, part_marks = _parse(text, part)
        part_files: dict[tuple[str | int, ...], FilePath] = {}
        if "defaults" in part_value:
            part_value, part_marks, part_files = _compose(
                part_value, part_marks, part, access, (*seen, part.resolve())
            )
        part_files = {key: part_files.get(key, part) for key in part_marks}
        _merge((merged, merged_marks, merged_files), (part_value, part_marks, part_files))
    own_files = dict.fromkeys(marks, file)
    _merge((merged, merged_marks, merged_files), (value, marks, own_files))
    return merged, merged_marks, {k: v for k, v in merged_files.items() if v != file}


def _merge(
    into: tuple[dict[str, Any], Marks, Files], value: tuple[dict[str, Any], Marks, Files]
) -> None:
    """Merge ``value`` (a mapping, where its values were written, and in which file) onto
    ``into`` as OmegaConf merges: mappings key by key, anything else replaced whole."""
    merged, marks, files = into
    source, source_marks, source_files = value

    def walk(target: dict[str, Any], given: dict[str, Any], path: tuple[str | int, ...]) -> None:
        for key, item in given.items():
            here = (*path, key)
            if isinstance(item, dict) and isinstance(target.get(key), dict):
                walk(target[key], item, here)
                continue
            target[key] = copy.deepcopy(item)
            for stale in [k for k in marks if k[: len(here)] == here]:
                del marks[stale]
                files.pop(stale, None)
            for written, mark in source_marks.items():
                if written[: len(here)] == here:
                    marks[written] = mark
                    files[written] = source_files[written]

    walk(merged, source, ())
    # What no file wrote is placed at the top of the last file merged: the spec itself.
    marks[()], files[()] = source_marks[()], source_files[()]


def _report(loaded: Loaded, problems: list[Problem]) -> SpecError:
    lines = [f"{loaded.where(p.path)}: {format_path(p.path)}: {p.message}" for p in problems]
    return SpecError("\n".join(lines))


def _to_python(
    node: yaml.Node,
    path: tuple[str | int, ...],
    marks: dict[tuple[str | int, ...], tuple[int, int]],
) -> Any:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.MarkedYAMLError(
                    problem="a key must be a name, not a list or a mapping",
                    problem_mark=key_node.start_mark,
                )
            key = key_node.value
            here = (*path, key)
            if key in result:
                first = marks[here][0]
                raise yaml.MarkedYAMLError(
                    problem=f"{key!r} is written twice (first on line {first}); keep one",
                    problem_mark=key_node.start_mark,
                )
            result[key] = _to_python(value_node, here, marks)
            # Point at the key, where the reader looks for the field.
            marks[here] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, (*path, index), marks) for index, item in enumerate(node.value)]
    loader = yaml.SafeLoader("")
    return loader.construct_object(node, deep=True)


def set_value(spec: dict[str, Any], assignment: str) -> None:
    """Apply ``key.sub=value`` (the value read as YAML) to a parsed spec.

    What ``--set`` does on the command line: a missing mapping on the way is
    made, a list item is named by its index.

    Parameters
    ----------
    spec : dict
        A parsed spec, changed in place.
    assignment : str
        ``dotted.key=value``.

    Raises
    ------
    SpecError
        When there is no ``=``, the value is not YAML, or the path leads
        through something that is not a mapping or past a list's end.

    Examples
    --------
    >>> spec = {"data": {"path": "q2.parquet"}, "slides": [{"title": "Q2"}]}
    >>> set_value(spec, "data.path=q3.parquet"); set_value(spec, "slides.0.title=Q3"); spec
    {'data': {'path': 'q3.parquet'}, 'slides': [{'title': 'Q3'}]}
    >>> set_value(spec, "slides.4.title=Q4")
    Traceback (most recent call last):
    ...
    ipyreport._errors.SpecError: --set 'slides.4.title=Q4': the spec has no 'slides.4' to set inside
    """
    if "=" not in assignment:
        msg = f"--set {assignment!r}: write key=value, for example --set data.path=q3.parquet"
        raise SpecError(msg)
    dotted, raw = assignment.split("=", 1)
    keys: list[str | int] = [int(part) if part.isdigit() else part for part in dotted.split(".")]
    check_shape(raw, f"--set {assignment[:60]!r}", "--set value", located=False, syntax=False)
    try:
        value = yaml.safe_load(raw) if raw else ""
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or str(error)
        msg = f"--set {assignment!r}: the value is not valid YAML ({problem}); quote text, for example --set 'title=\"[draft] Q3\"'"
        raise SpecError(msg) from None
    target: Any = spec
    for position, key in enumerate(keys[:-1]):
        try:
            target = target[key]
        except (KeyError, IndexError, TypeError):
            if isinstance(key, str) and isinstance(target, dict):
                target[key] = {}
                target = target[key]
                continue
            where = ".".join(map(str, keys[: position + 1]))
            msg = f"--set {assignment!r}: the spec has no {where!r} to set inside"
            raise SpecError(msg) from None
    last = keys[-1]
    if isinstance(target, list):
        if not isinstance(last, int) or last >= len(target):
            msg = f"--set {assignment!r}: index {last!r} is not in a list of {len(target)}"
            raise SpecError(msg)
        target[last] = value
    elif isinstance(target, dict):
        target[str(last)] = value
    else:
        msg = f"--set {assignment!r}: {dotted.rsplit('.', 1)[0]!r} is not a mapping"
        raise SpecError(msg)


# --- building ----------------------------------------------------------------


# Where each built step was written: (slide, dashboard chart or None, step), 1-based -> spec path.
Origins = dict[tuple[int, int | None, int], tuple[str | int, ...]]


def build(
    loaded: Loaded, *, namespace: Mapping[str, Any] | None = None, access: Access | None = None
) -> Story:
    """The story a validated spec describes, with its provenance recorded.

    Everything a story is checked for happens here (names, roles, filter
    labels, mark limits, cross-filters), so a spec that builds also exports.

    Parameters
    ----------
    loaded : Loaded
        A spec, as :func:`load` gives it.
    namespace : mapping of str to object, optional
        The variables a ``data: {variable: name}`` may name (the notebook's,
        in the cell magic).
    access : Access, optional
        Which folders the data may come from and whether ``python:`` may run
        (default: the spec's own folder, no code).

    Returns
    -------
    Story
        The story, its ``provenance`` saying how it was made.

    Raises
    ------
    SpecError
        Each mistake, pointing at the file, line and column that wrote it.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> spec = pathlib.Path(folder.name, "sales.yaml")
    >>> _ = spec.write_text('''
    ... title: Sales
    ... data: {sample: sales}
    ... slides:
    ...   - steps: [{chart: {kind: column, x: Regoin, y: Revenue}}]
    ... ''')
    >>> try:
    ...     build(load(spec))
    ... except SpecError as error:
    ...     print(str(error).split(": ", 1)[1])
    slide 1, step 1, chart.x: x='Regoin' is not in the data (did you mean 'Region'?); series are ['Region', 'Country', 'Product', 'Channel', 'Month', 'Revenue', 'Units', 'Profit']
    >>> _ = spec.write_text(spec.read_text().replace("Regoin", "Region"))
    >>> build(load(spec)).provenance["data"]["rows"]
    6420
    >>> folder.cleanup()
    """
    spec = loaded.value
    if access is None:
        access = Access.for_spec(loaded.path)
    data = _read_data(loaded, namespace, access)
    origins: Origins = {}
    # A theme file's errors carry their own place (the theme's line, or the spec's theme:).
    theme = _theme(loaded, spec.get("theme", "auto"), access)
    slides = [
        _build_slide(loaded, data, slide, number, origins)
        for number, slide in enumerate(spec["slides"], start=1)
    ]
    try:
        story = Story(
            data,
            title=spec.get("title"),
            style=spec.get("style"),
            slides=slides,
            lang=spec.get("lang", "en"),
            theme=theme,
            tooltips=spec.get("tooltips", True),
            loop=spec.get("loop", True),
            formats=spec.get("formats"),
            colors=spec.get("colors"),
            labels=spec.get("labels"),
            hold=spec.get("hold", DEFAULT_HOLD),
            source=spec.get("source"),
        )
    except IpyreportError as error:
        raise _located(loaded, error, origins) from None
    # The data a stakeholder's copy was made from, as the story holds it.
    fingerprint = hashlib.sha256(story.data.to_json()).hexdigest()
    source = _fingerprint(loaded)
    if story.lazy_source is not None and story.lazy_source.lake is not None:
        # The lake table's version or snapshot id as read (not as asked: "latest" moves).
        source["read"] = story.lazy_source.lake
    return story.replace(
        provenance=provenance_of(
            spec=str(loaded.path.name),
            resolved=copy.deepcopy(spec),
            parameters=loaded.parameters,
            overrides=list(loaded.overrides),
            data={"rows": story.data.num_rows, "sha256": fingerprint, "source": source},
        )
    )


def _fingerprint(loaded: Loaded) -> dict[str, Any]:
    """The data's fingerprint: for SQL, with the parameters bound to it."""
    data = dict(loaded.value["data"])
    if "sql" in data:
        data["parameters"] = bind_sql(data["sql"], loaded.parameters)[1]
    return fingerprint(data, loaded.path.parent)


def _located(loaded: Loaded, error: IpyreportError, origins: Origins) -> SpecError:
    """A story's error at the line that wrote the step (or slide) it names (a template's,
    at the line and column of the expression at fault)."""
    located = _located_field(loaded, error, origins)
    if isinstance(error, TemplateError):
        written, _, said = str(located).partition(": ")
        line = int(written.rsplit(":", 2)[-2]) if written.count(":") >= 2 else 1
        place = _text_position(loaded.path, error, line)
        if place is not None:
            return SpecError(f"{loaded.path}:{place[0]}:{place[1]}: {said}")
    return located


def _text_position(path: FilePath, error: TemplateError, line: int) -> tuple[int, int] | None:
    """Where in the spec file the template's faulty character is: the text from it to the
    end of its line, found at or after ``line`` (where the field is written)."""
    rest = error.text[error.offset :].split("\n", 1)[0]
    before = error.text[: error.offset].rsplit("\n", 1)[-1][-12:]
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    # Folded text joins lines: look for the text around the mistake, then from it on.
    for lead, piece in ((before, (before + rest)[:40]), ("", rest[:40]), ("", rest[:8])):
        if not piece.strip():
            continue
        for number in range(line - 1, min(len(lines), line + 200)):
            column = lines[number].find(piece)
            if column >= 0:
                return number + 1, column + len(lead) + 1
    return None


def _located_field(loaded: Loaded, error: IpyreportError, origins: Origins) -> SpecError:
    message = str(error)
    if error.slide is None:
        if error.field in loaded.value:
            field = str(error.field)
            return loaded.error((field,), message.removeprefix(f"{field}: "))
        # Otherwise it came from reading the data: point at where the data is named.
        data = loaded.value.get("data")
        named = [key for key in SOURCES if isinstance(data, dict) and key in data]
        return loaded.error(("data", *named[:1]), message)
    slide_path: tuple[str | int, ...] = ("slides", error.slide - 1)
    if error.field is not None and error.step is None:
        said = message.split(": ", 1)[-1].removeprefix(f"{error.field} ")
        return loaded.error((*slide_path, error.field), said)
    path = origins.get((error.slide, error.chart, error.step or 1), slide_path)
    if error.field is not None:
        # The field beside the step's preset, or inside it (a preset's own filter).
        written = [(*path, error.field), *((*path, kind, error.field) for kind in STEP_KINDS)]
        path = next((p for p in written if p in loaded.marks), written[0])
    return SpecError(f"{loaded.where(path)}: {message}")


def _spark_frame(loaded: Loaded, target: FilePath) -> Any:
    """The Parquet or CSV files at ``target`` as a DataFrame of a local Spark session
    (the one already running, if any), which the story's aggregates run in."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise loaded.error(
            ("data", "engine"),
            "engine: spark needs pyspark, which is not installed; pip install 'ipyreport[spark]' (and Java), or remove engine",
        ) from None
    files = sorted(target.rglob("*")) if target.is_dir() else [target]
    suffixes = {
        path.suffix.lower() for path in files if path.suffix.lower() in (".parquet", ".csv")
    }
    if len(suffixes) != 1:
        raise loaded.error(
            ("data", "path"),
            f"engine: spark reads Parquet or CSV files, and {target.name!r} holds {sorted(suffixes) or 'neither'}; point at one kind",
        )
    session = (
        SparkSession.builder.master("local[*]").config("spark.ui.enabled", "false").getOrCreate()
    )
    if suffixes == {".parquet"}:
        return session.read.parquet(str(target))
    return session.read.option("header", True).option("inferSchema", True).csv(str(target))


def _read_data(loaded: Loaded, namespace: Mapping[str, Any] | None, access: Access) -> Any:
    spec = loaded.value["data"]
    base = loaded.path.parent
    used = next(key for key in SOURCES if key in spec)
    options = {
        key: spec[key] for key in ("columns", "dimensions", "measures", "null_label") if key in spec
    }
    try:
        for key, sources in LAKE_FIELDS.items():
            if key in spec and used not in sources:
                raise loaded.error(
                    ("data", key),
                    f"{key} applies to {' and '.join(f'{name}:' for name in sources)} data, not {used}:; remove it",
                )
        if spec.get("engine", "duckdb") != "duckdb" and used != "path":
            raise loaded.error(
                ("data", "engine"),
                f"engine: {spec['engine']} reads path: data, not {used}:; point path: at the files, or remove engine",
            )
        if used in ("delta", "iceberg"):
            if "max_rows" in spec:
                raise loaded.error(
                    ("data", "max_rows"),
                    f"max_rows limits the rows read into memory, but {used}: data is read "
                    "lazily (only the aggregates the slides draw leave the database); remove it",
                )
            return _lake(loaded, spec, used, access, options)
        if used in ("path", "sql"):
            if "max_rows" in spec:
                raise loaded.error(
                    ("data", "max_rows"),
                    f"max_rows limits the rows read into memory, but {used}: data is read "
                    "lazily (only the aggregates the slides draw leave the database); remove it",
                )
            if spec.get("engine") == "spark":
                target = base / spec["path"]
                if not access.allows(target):
                    raise loaded.error(("data", "path"), _outside(spec["path"]))
                return lazy(_spark_frame(loaded, target), **options)
            # Only what the slides draw leaves DuckDB.
            connection = locked_connection(access)
            if used == "path":
                target = base / spec["path"]
                if not access.allows(target):
                    raise loaded.error(("data", "path"), _outside(spec["path"]))
                return lazy(target, connection=connection, **options)
            relation = _duckdb_query(loaded, spec["sql"], base, connection, loaded.parameters)
            return lazy(relation, connection=connection, **options)
        if "max_rows" in spec:
            options["max_rows"] = None if spec["max_rows"] is False else spec["max_rows"]
        if used == "sample":
            from ipyreport import samples

            rows = spec.get("rows")
            if spec["sample"] == "orders":
                rows = 100_000 if rows is None else rows
                _check_sample_rows(loaded, rows, options.get("max_rows", DEFAULT_MAX_ROWS))
                source = samples.sales(rows=rows, seed=spec.get("seed", 2024))
            else:
                if rows is not None:
                    raise loaded.error(("data", "rows"), "rows only applies to the 'orders' sample")
                source = samples.sales(seed=spec.get("seed", 2024))
        elif used == "variable":
            source = _variable(loaded, spec["variable"], namespace)
        else:
            if not access.code:
                raise loaded.error(
                    ("data", "python"),
                    f"{spec['python']!r} runs Python code, which a spec may do only when you "
                    "trust it: pass --allow-code to ipyreport (or access=Access.for_spec(path, "
                    "code=True) to spec.build)",
                )
            source = _python_source(loaded, spec["python"], base)
        return encode(source, **options)
    except SpecError:
        raise
    except IpyreportError as error:
        raise loaded.error(("data", used), str(error)) from None


def _lake(
    loaded: Loaded, spec: Mapping[str, Any], used: str, access: Access, options: dict[str, Any]
) -> Any:
    """A Delta or Iceberg table, read lazily under the spec's access rules."""
    from ipyreport.lake import delta, iceberg

    when = {key: spec[key] for key in ("timestamp", "since") if key in spec}
    try:
        if used == "delta":
            table = delta(spec["delta"], version=spec.get("version"), **when)
        else:
            if "catalog" not in spec:
                raise loaded.error(
                    ("data", "iceberg"),
                    "an iceberg: table needs catalog:, the SQLite file of its Iceberg SQL catalog next to the spec",
                )
            table = iceberg(
                spec["iceberg"], catalog=spec["catalog"], snapshot=spec.get("snapshot"), **when
            )
        opened = table.open(access, loaded.path.parent)
        return lazy(opened, connection=locked_connection(access), **options)
    except SpecError:
        raise
    except IpyreportError as error:
        field = error.field if error.field is not None and error.field in spec else used
        raise loaded.error(("data", field), str(error)) from None


def _check_sample_rows(loaded: Loaded, rows: int, max_rows: int | None) -> None:
    """Refuse more sample orders than may be read, before generating any."""
    from ipyreport.samples import MAX_ORDERS

    if max_rows is not None and rows > max_rows:
        raise loaded.error(
            ("data", "rows"),
            f"{rows:,} orders is more than max_rows ({max_rows:,}) allows in memory; "
            "lower rows, or raise max_rows (false: no limit)",
        )
    if rows > MAX_ORDERS:
        raise loaded.error(
            ("data", "rows"),
            f"{rows:,} orders is more than the sample generator makes ({MAX_ORDERS:,}); "
            "for more, write them to Parquet with ipyreport.samples.write_orders and read them with path:",
        )


def _outside(path: str) -> str:
    return (
        f"{path!r} is outside the spec's folder, so a shared spec cannot read it; keep the data "
        f"next to the spec, or allow its folder with --allow-path DIR"
    )


def _duckdb_query(
    loaded: Loaded, sql: str, base: FilePath, connection: Any, parameters: Mapping[str, Any]
) -> Any:
    import duckdb

    try:
        written, bound = bind_sql(sql, parameters)
    except ValueError as error:
        raise loaded.error(("data", "sql"), str(error)) from None
    try:
        query = select_only(connection, written, base)
        relation = connection.sql(query, params=bound or None)
        relation.limit(0).to_arrow_table()  # fail here, with the spec's line, if the query is wrong
    except SpecError as error:
        raise loaded.error(("data", "sql"), str(error)) from None
    except duckdb.PermissionException as error:
        reason = str(error).split(": ", 1)[-1]
        message = (
            f"the query reads outside the spec's folder ({reason}); keep the data next to the "
            "spec, or allow its folder with --allow-path DIR"
        )
        raise loaded.error(("data", "sql"), message) from None
    except duckdb.Error as error:
        hint = "file names in the query are relative to the spec's folder"
        raise loaded.error(("data", "sql"), f"the query failed: {error} ({hint})") from None
    return relation


def _variable(loaded: Loaded, name: str, namespace: Mapping[str, Any] | None) -> Any:
    if namespace is None:
        raise loaded.error(
            ("data", "variable"),
            "variable: only works in the %%ipyreport cell magic; in a file use path, sql or python",
        )
    if name not in namespace:
        names = [key for key in namespace if not key.startswith("_")]
        raise loaded.error(
            ("data", "variable"),
            f"no variable named {name!r} in this notebook{closest(name, names)}",
        )
    return namespace[name]


def _python_source(loaded: Loaded, target: str, base: FilePath) -> Any:
    module_name, _, function_name = target.partition(":")
    if not module_name or not function_name:
        raise loaded.error(
            ("data", "python"),
            f"{target!r} must be module:function, for example mypackage.data:load",
        )
    sys.path.insert(0, str(base.resolve()))
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise loaded.error(("data", "python"), f"cannot import {module_name!r}: {error}") from None
    finally:
        sys.path.remove(str(base.resolve()))
    function = getattr(module, function_name, None)
    if not callable(function):
        raise loaded.error(("data", "python"), f"{module_name!r} has no function {function_name!r}")
    return function()


def _build_step(
    loaded: Loaded, data: Any, spec: Mapping[str, Any], path: tuple[str | int, ...]
) -> list[Step]:
    # A highlight alone is a step of its own; beside a preset it points at that preset's marks.
    (name,) = [key for key in STEP_KINDS if key in spec and key != "highlight"] or ["highlight"]
    arguments = dict(spec[name])
    for key in ("style", "hold"):
        if key in spec and key in arguments:
            msg = f"{name} has a {key} both inside it and beside it; write it once"
            raise loaded.error((*path, key), msg)
    try:
        step_filter = Filter.from_mapping(spec["filter"]) if "filter" in spec else None
    except IpyreportError as error:
        raise loaded.error((*path, "filter"), str(error)) from None
    try:
        if name == "config":
            made = [Step(config=arguments, filter=step_filter)]
        else:
            made = presets.make(name, data, arguments, filter=step_filter)
        if "animation" in spec:
            made = [step.with_animation(**spec["animation"]) for step in made]
        if "style" in spec:
            made = [replace(step, style=spec["style"]) for step in made]
        if "hold" in spec:
            made = [replace(step, hold=spec["hold"]) for step in made]
        if "highlight" in spec and name != "highlight":
            made = [replace(step, highlight=spec["highlight"]) for step in made]
    except IpyreportError as error:
        if error.field == "filter":
            # A filter written beside the preset, or inside it: the same filter, said the same way.
            said = str(error).removeprefix(f"{name}: ")
            where = (*path, "filter") if "filter" in spec else (*path, name, "filter")
            raise loaded.error(where, said) from None
        field = error.field if error.field in arguments else None
        where = (*path, name, field) if field else (*path, name)
        raise loaded.error(where, str(error)) from None
    # A lazy source is checked by the story, once it holds the aggregated values.
    for step in made if isinstance(data, VizzuData) else []:
        try:
            check_step(step, data_of(step, data), where="the step")
        except IpyreportError as error:
            said = str(error).removeprefix("the step: ")
            if error.field is not None and error.field in spec:
                raise loaded.error((*path, error.field), said) from None
            if error.field is not None and error.field in arguments:
                raise loaded.error((*path, name, error.field), said) from None
            raise loaded.error((*path, name), said) from None
    return made


def _theme(loaded: Loaded, value: str, access: Access) -> Any:
    """A theme name as it is, or a theme file found next to the spec (and allowed)."""
    if not value.lower().endswith((".yaml", ".yml", ".json")):
        return value
    path = loaded.path.parent / value
    if not access.allows(path):
        raise loaded.error(("theme",), _outside(value))
    try:
        return theme_of(path, access=access)
    except StepError as error:
        raise loaded.error(("theme",), str(error)) from None


def _build_slide(
    loaded: Loaded, data: Any, slide: dict[str, Any], number: int, origins: Origins
) -> Slide | Dashboard:
    text = {
        "title": slide.get("title"),
        "dek": slide.get("dek"),
        "source": slide.get("source"),
        "notes": slide.get("notes"),
        "alt": slide.get("alt"),
        "hold": slide.get("hold"),
    }
    here: tuple[str | int, ...] = ("slides", number - 1)
    if "steps" in slide:
        for key in ("columns", "cross_filter"):
            if key in slide:
                message = f"{key} applies to dashboards; list the slide's charts under charts: instead of steps:"
                raise loaded.error((*here, key), message)
        steps: list[Step] = []
        for index, step in enumerate(slide["steps"]):
            path = (*here, "steps", index)
            made = _build_step(loaded, data, step, path)
            for offset in range(len(made)):
                origins[number, None, len(steps) + offset + 1] = path
            steps.extend(made)
        return Slide(*steps, **text)
    charts = []
    for c, chart in enumerate(slide["charts"]):
        items = chart if isinstance(chart, list) else [chart]
        chart_steps: list[Step] = []
        for index, step in enumerate(items):
            path = (*here, "charts", c, index) if isinstance(chart, list) else (*here, "charts", c)
            built = _build_step(loaded, data, step, path)
            for offset in range(len(built)):
                origins[number, c + 1, len(chart_steps) + offset + 1] = path
            chart_steps.extend(built)
        charts.append(chart_steps)
    try:
        return Dashboard(
            *charts,
            **text,
            columns=slide.get("columns"),
            cross_filter=slide.get("cross_filter", True),
        )
    except IpyreportError as error:
        raise loaded.error((*here, error.field or "charts"), str(error)) from None


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the spec format, for editors' autocomplete and checks.

    Returns
    -------
    dict
        A draft 2020-12 schema; ``ipyreport schema`` prints it.

    Examples
    --------
    >>> schema = json_schema()
    >>> schema["title"], "slides" in schema["properties"]
    ('ipyreport story spec', True)
    """
    step = STEP.schema()

    def shared(node: Any) -> Any:
        # A step appears under slides and under each dashboard chart: written once.
        if node == step:
            return {"$ref": "#/$defs/step"}
        if isinstance(node, dict):
            return {key: shared(value) for key, value in node.items()}
        if isinstance(node, list):
            return [shared(value) for value in node]
        return node

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ipyreport story spec",
        **shared(SPEC.schema()),
        "$defs": {"step": step},
    }


def schema_text() -> str:
    """The JSON Schema as formatted text."""
    return json.dumps(json_schema(), indent=2, sort_keys=False) + "\n"
