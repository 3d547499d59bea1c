"""The filter language: which rows a step shows, defined once, translated per back-end.

A :class:`Filter` is a typed value: ``in`` (a dimension's categories),
``range`` (a measure between two numbers), ``not``, ``and``, ``or``,
``raw`` (an author's own JavaScript) and ``keep`` (leave the chart's
filter as it is). Categories are named by their *labels*, the text the
audience sees (see :func:`ipyreport.data.category_values` for how a label
maps back to the column's own type), and missing values follow one rule
in every back-end:

- a row whose dimension is missing is in the category named by the null
  label (``"(missing)"``), so ``Filter.isin(col, ["(missing)"])`` keeps
  exactly the missing rows;
- a missing measure (null or NaN) lies in no range;
- ``not`` keeps exactly the rows its operand drops: logic is two-valued,
  never SQL's three-valued ``NULL``.

Each back-end gets one translation here: :func:`mask` (NumPy, over the
encoded data, the eager path and the tables), :func:`sql` (DuckDB),
:func:`expression` (polars, Ibis and Spark), :func:`javascript`
(ipyvizzu's ``Data.filter``). The players compile :meth:`Filter.to_dict`
in ``static/steps.js``. Engines compare typed values (a date, an instant,
``IS NULL``), never text casts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from ipyreport._errors import StepError, closest
from ipyreport.data import DEFAULT_NULL_LABEL, Dimension, Measure, VizzuData, category_values

__all__ = ["KEEP_FILTER", "Filter", "expression", "javascript", "mask", "sql"]


@dataclass(frozen=True)
class Filter:
    """A declarative record filter: which rows a step shows.

    Build filters with the class methods and combine them with ``&``, ``|`` and
    ``~``; the constructor is the JSON form's own spelling.

    Parameters
    ----------
    op : {"in", "range", "not", "and", "or", "raw", "keep"}
        What kind of filter this is.
    args : tuple, default ()
        Its operands: ``(column, labels)`` for ``in``, ``(column, low, high)``
        for ``range``, the filters combined for ``not``/``and``/``or``, the
        code for ``raw``.

    Examples
    --------
    >>> f = Filter.isin("Region", ["Europe"]) & Filter.between("Revenue", 0, 100)
    >>> f.to_dict()
    {'and': [{'in': {'column': 'Region', 'values': ['Europe']}}, {'range': {'column': 'Revenue', 'min': 0, 'max': 100}}]}
    >>> (~Filter.equals("Region", "Asia")).to_dict()
    {'not': {'in': {'column': 'Region', 'values': ['Asia']}}}
    """

    op: str
    args: tuple[Any, ...] = ()

    @classmethod
    def isin(cls, column: str, values: Iterable[str]) -> Filter:
        """Rows whose dimension ``column`` shows one of the labels ``values``.

        Parameters
        ----------
        column : str
            A dimension of the step's data.
        values : iterable of str
            Category labels, as the audience reads them (``"(missing)"`` for
            missing values); a single string is one label.

        Returns
        -------
        Filter
            An ``in`` filter.

        Examples
        --------
        >>> Filter.isin("Region", ["Europe", "Asia"]).to_dict()
        {'in': {'column': 'Region', 'values': ['Europe', 'Asia']}}
        """
        if isinstance(values, str):
            values = [values]
        return cls("in", (column, tuple(str(value) for value in values)))

    @classmethod
    def equals(cls, column: str, value: str) -> Filter:
        """Rows whose dimension ``column`` shows the label ``value``.

        Parameters
        ----------
        column : str
            A dimension of the step's data.
        value : str
            One category label.

        Returns
        -------
        Filter
            An ``in`` filter with one label.

        Examples
        --------
        >>> Filter.equals("Region", "Europe") == Filter.isin("Region", ["Europe"])
        True
        """
        return cls.isin(column, [value])

    @classmethod
    def between(cls, column: str, low: float | None = None, high: float | None = None) -> Filter:
        """Rows whose measure ``column`` lies in ``[low, high]``.

        A missing measure lies in no range.

        Parameters
        ----------
        column : str
            A measure of the step's data.
        low : float, optional
            The least value kept (default: no lower end).
        high : float, optional
            The greatest value kept (default: no upper end).

        Returns
        -------
        Filter
            A ``range`` filter.

        Raises
        ------
        StepError
            When an end is not a finite number or ``None``.

        Examples
        --------
        >>> Filter.between("Revenue", 10).to_dict()
        {'range': {'column': 'Revenue', 'min': 10, 'max': None}}
        """
        for bound in (low, high):
            if bound is not None and not (
                isinstance(bound, (int, float))
                and not isinstance(bound, bool)
                and math.isfinite(bound)
            ):
                msg = f"Filter.between({column!r}, ...) needs finite numbers or None, got {bound!r}"
                raise StepError(msg)
        return cls("range", (column, low, high))

    @classmethod
    def raw(cls, code: str) -> Filter:
        """An author's own JavaScript record filter, such as ipyvizzu's ``Data.filter(...)``.

        It runs as written (``record => ...``); ipyreport never builds one from
        data values. Prefer the declarative filters, which are checked against the
        data and run in every engine.

        Parameters
        ----------
        code : str
            A JavaScript function of one record that returns whether to keep it.

        Returns
        -------
        Filter
            A ``raw`` filter, which only a player can run.

        Raises
        ------
        StepError
            When ``code`` is not a non-empty string.

        Examples
        --------
        >>> Filter.raw("record => record.Region == 'Europe'").uses_javascript
        True
        """
        if not isinstance(code, str) or not code.strip():
            msg = f"Filter.raw needs JavaScript code such as \"record => record.Region == 'Europe'\", got {code!r}"
            raise StepError(msg)
        return cls("raw", (code,))

    @classmethod
    def all_of(cls, *filters: Filter) -> Filter:
        """Rows that pass every filter (what ``a & b`` builds).

        Parameters
        ----------
        *filters : Filter
            The filters a row must all pass.

        Returns
        -------
        Filter
            An ``and`` filter.

        Examples
        --------
        >>> Filter.all_of(Filter.equals("Region", "Asia"), Filter.between("Units", 1)).columns()
        ['Region', 'Units']
        """
        return cls("and", filters)

    @classmethod
    def any_of(cls, *filters: Filter) -> Filter:
        """Rows that pass at least one filter (what ``a | b`` builds).

        Parameters
        ----------
        *filters : Filter
            The filters a row may pass.

        Returns
        -------
        Filter
            An ``or`` filter.

        Examples
        --------
        >>> Filter.any_of(Filter.equals("Region", "Asia"), Filter.equals("Region", "Europe")).op
        'or'
        """
        return cls("or", filters)

    @classmethod
    def from_mapping(cls, spec: Mapping[str, Any]) -> Filter:
        """All the conditions of a mapping at once, such as ``{"Region": ["Europe"], "Revenue": [0, 100]}``.

        A label or a list of labels keeps rows showing one of them; a pair of
        numbers ``[low, high]`` keeps rows in that range (``None`` leaves an end
        open).

        Parameters
        ----------
        spec : mapping of str to str, list of str or [low, high]
            Each column and what it keeps.

        Returns
        -------
        Filter
            The one condition, or an ``and`` of them all.

        Raises
        ------
        StepError
            When ``spec`` is empty or not a mapping, or a value is neither labels
            nor a pair of numbers.

        Examples
        --------
        >>> Filter.from_mapping({"Region": "Europe"}).to_dict()
        {'in': {'column': 'Region', 'values': ['Europe']}}
        >>> Filter.from_mapping({"Revenue": [0, None]}).to_dict()
        {'range': {'column': 'Revenue', 'min': 0, 'max': None}}
        """
        if not isinstance(spec, Mapping) or not spec:
            msg = f"a filter mapping names columns, such as {{'Region': ['Europe']}}, got {spec!r}"
            raise StepError(msg)
        parts = []
        for column, values in spec.items():
            items: list[Any] = [values] if not isinstance(values, (list, tuple)) else list(values)
            numbers = [
                v is None or (isinstance(v, (int, float)) and not isinstance(v, bool))
                for v in items
            ]
            if len(items) == 2 and all(numbers) and any(v is not None for v in items):
                parts.append(cls.between(column, items[0], items[1]))
                continue
            for value in items:
                if not isinstance(value, str):
                    msg = (
                        f"filter {column!r}: {value!r} is not a category label; write the labels "
                        f"as text, such as {{{column!r}: ['Europe']}}, or [low, high] for a range"
                    )
                    raise StepError(msg)
            parts.append(cls.isin(column, items))
        return parts[0] if len(parts) == 1 else cls.all_of(*parts)

    def __and__(self, other: Filter) -> Filter:
        return Filter.all_of(self, other)

    def __or__(self, other: Filter) -> Filter:
        return Filter.any_of(self, other)

    def __invert__(self) -> Filter:
        return Filter("not", (self,))

    def leaves(self) -> Iterator[Filter]:
        """The ``in``, ``range``, ``raw`` and ``keep`` parts, depth first.

        Yields
        ------
        Filter
            Each part that is not ``and``, ``or`` or ``not``.

        Examples
        --------
        >>> f = Filter.equals("Region", "Asia") & ~Filter.between("Units", 1)
        >>> [leaf.op for leaf in f.leaves()]
        ['in', 'range']
        """
        return (part for part in self.parts() if part.op not in ("and", "or", "not"))

    def parts(self) -> Iterator[Filter]:
        """The filter and every filter inside it, depth first.

        Yields
        ------
        Filter
            Itself, then each ``and``, ``or`` or ``not`` part's parts in turn.

        Examples
        --------
        >>> f = Filter.equals("Region", "Asia") & ~Filter.between("Units", 1)
        >>> [part.op for part in f.parts()]
        ['and', 'in', 'not', 'range']
        """
        yield self
        if self.op in ("and", "or", "not"):
            for part in self.args:
                yield from part.parts()

    def columns(self) -> list[str]:
        """Every column the filter reads (a raw filter's are unknown: none).

        Returns
        -------
        list of str
            Column names, each once, in the order they first appear.

        Examples
        --------
        >>> (Filter.equals("Region", "Asia") | Filter.equals("Region", "Europe")).columns()
        ['Region']
        """
        names = [leaf.args[0] for leaf in self.leaves() if leaf.op in ("in", "range")]
        return list(dict.fromkeys(names))

    @property
    def uses_javascript(self) -> bool:
        """Whether some part is an author's JavaScript, which only a player can run."""
        return any(leaf.op == "raw" for leaf in self.leaves())

    def to_dict(self) -> dict[str, Any]:
        """The JSON form the players compile.

        Returns
        -------
        dict
            One key, the kind of filter (``"in"``, ``"range"``, ``"not"``,
            ``"and"``, ``"or"``, ``"raw"`` or ``"keep"``), mapped to its operands.

        Examples
        --------
        >>> Filter.between("Revenue", 0, 100).to_dict()
        {'range': {'column': 'Revenue', 'min': 0, 'max': 100}}
        """
        if self.op == "in":
            return {"in": {"column": self.args[0], "values": list(self.args[1])}}
        if self.op == "range":
            column, low, high = self.args
            return {"range": {"column": column, "min": low, "max": high}}
        if self.op == "not":
            return {"not": self.args[0].to_dict()}
        if self.op == "raw":
            return {"raw": self.args[0]}
        return {self.op: [part.to_dict() for part in self.args]}


# A step with this filter leaves the chart's current filter as it is (how
# partial steps imported from ipyvizzu-story behave); ``None`` shows all rows.
KEEP_FILTER = Filter("keep")


def check(spec: Filter, data: VizzuData, where: str) -> None:
    """Raise :class:`StepError` unless every column and label of ``spec`` is in ``data``."""
    names = data.names
    for leaf in spec.leaves():
        if leaf.op not in ("in", "range"):
            continue  # the author's own JavaScript cannot be checked here
        column = leaf.args[0]
        if column not in names:
            msg = f"{where}: the filter uses {column!r}, which is not in the data{closest(column, names)}; series are {names}"
            raise StepError(msg, field="filter")
        series = data[column]
        if leaf.op == "in":
            if not isinstance(series, Dimension):
                msg = f"{where}: Filter.isin({column!r}, ...) needs a dimension, but {column!r} is a measure; use Filter.between for a range"
                raise StepError(msg, field="filter")
            if data.num_rows == 0 and not series.categories:
                continue  # a lazy source's schema: its labels are checked when it is read
            check_labels(column, leaf.args[1], series.categories, where)
        elif isinstance(series, Dimension):
            msg = f"{where}: Filter.between({column!r}, ...) needs a measure, but {column!r} is a dimension; use Filter.isin"
            raise StepError(msg, field="filter")


def check_labels(column: str, values: Iterable[str], categories: Iterable[str], where: str) -> None:
    """Raise :class:`StepError` for the first of ``values`` that is not one of ``categories``."""
    known = list(categories)
    present = set(known)
    for value in values:
        if value not in present:
            hint = closest(value, known)
            if not hint:
                shown = known[:10] + (["..."] if len(known) > 10 else [])
                hint = f"; its categories are {shown}"
            msg = f"{where}: the filter keeps {column!r} == {value!r}, which never occurs{hint}"
            raise StepError(msg, field="filter")


# --- NumPy: the encoded data (eager stories, tables, descriptions) -----------


def mask(spec: Filter | None, data: VizzuData) -> npt.NDArray[np.bool_]:
    """The rows of ``data`` that ``spec`` keeps (``keep`` and ``None``: all)."""
    if spec is None or spec.op == "keep":
        return np.ones(data.num_rows, dtype=bool)
    if spec.op == "in":
        series = data[spec.args[0]]
        assert isinstance(series, Dimension)
        wanted = [series.categories.index(v) for v in spec.args[1] if v in series.categories]
        return np.isin(series.codes, wanted)
    if spec.op == "range":
        series = data[spec.args[0]]
        assert isinstance(series, Measure)
        values = series.values.astype(np.float64)
        low = -np.inf if spec.args[1] is None else spec.args[1]
        high = np.inf if spec.args[2] is None else spec.args[2]
        # NaN (missing) compares false both ways: in no range.
        return (values >= low) & (values <= high)
    if spec.op == "not":
        return ~mask(spec.args[0], data)
    if spec.op == "raw":
        msg = "a JavaScript filter runs only in a player; use Filter.isin or Filter.between"
        raise StepError(msg)
    parts = [mask(part, data) for part in spec.args]
    if spec.op == "and":
        return np.logical_and.reduce(parts) if parts else np.ones(data.num_rows, dtype=bool)
    return np.logical_or.reduce(parts) if parts else np.zeros(data.num_rows, dtype=bool)


# --- engines: typed values, two-valued logic -----------------------------------


def _unsupported(spec: Filter) -> StepError:
    return StepError(
        f"the filter {spec.to_dict()!r} cannot run in a database engine; use the declarative "
        "filters (Filter.isin, Filter.between)"
    )


def _typed(
    spec: Filter, types: Mapping[str, pa.DataType], null_label: str
) -> tuple[pa.Array, bool]:
    column, labels = spec.args
    return category_values(column, labels, types[column], null_label)


def sql(
    spec: Filter, types: Mapping[str, pa.DataType], null_label: str = DEFAULT_NULL_LABEL
) -> str:
    """``spec`` as a DuckDB condition over columns of the given Arrow types.

    >>> sql(Filter.isin("Day", ["2021-01-01", "(missing)"]), {"Day": pa.date32()})
    '(COALESCE("Day" IN (CAST(\\'2021-01-01\\' AS DATE)), FALSE) OR "Day" IS NULL)'
    """
    if spec.op == "in":
        column = _quote(spec.args[0])
        values, missing = _typed(spec, types, null_label)
        kind = types[spec.args[0]]
        parts = []
        if len(values):
            listed = ", ".join(_sql_literal(value, kind) for value in values.to_pylist())
            parts.append(f"COALESCE({column} IN ({listed}), FALSE)")
        if missing:
            parts.append(f"{column} IS NULL")
            if pa.types.is_floating(kind):
                parts.append(f"isnan({column})")
        return "(" + " OR ".join(parts) + ")" if parts else "FALSE"
    if spec.op == "range":
        name, low, high = spec.args
        column = _quote(name)
        parts = [f"{column} IS NOT NULL"]
        if pa.types.is_floating(types[name]):
            parts.append(f"NOT isnan({column})")
        if low is not None:
            parts.append(f"{column} >= {float(low)!r}")
        if high is not None:
            parts.append(f"{column} <= {float(high)!r}")
        return "(" + " AND ".join(parts) + ")"
    if spec.op == "not":
        return f"(NOT {sql(spec.args[0], types, null_label)})"
    if spec.op in ("and", "or"):
        if not spec.args:
            return "TRUE" if spec.op == "and" else "FALSE"
        joined = f" {spec.op.upper()} ".join(sql(part, types, null_label) for part in spec.args)
        return f"({joined})"
    raise _unsupported(spec)


def _sql_literal(value: Any, kind: pa.DataType) -> str:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if pa.types.is_boolean(kind):
        return "TRUE" if value else "FALSE"
    if pa.types.is_integer(kind):
        return str(int(value))
    if pa.types.is_floating(kind):
        return f"CAST('{float(value)!r}' AS DOUBLE)"
    if pa.types.is_decimal(kind):
        return f"CAST('{value}' AS DECIMAL({kind.precision}, {kind.scale}))"
    if pa.types.is_date(kind):
        return f"CAST('{value.isoformat()}' AS DATE)"
    if pa.types.is_time(kind):
        return f"CAST('{value.isoformat()}' AS TIME)"
    if pa.types.is_timestamp(kind):
        text = _instant_text(value, kind)
        sql_type = "TIMESTAMPTZ" if kind.tz is not None else "TIMESTAMP"
        if kind.unit == "ns":
            sql_type = "TIMESTAMP_NS" if kind.tz is None else sql_type
        return f"CAST('{text}' AS {sql_type})"
    return "'" + str(value).replace("'", "''") + "'"


def _instant_text(value: Any, kind: pa.TimestampType) -> str:
    """A timestamp as DuckDB reads it; an instant in a zone is written in UTC."""
    import pandas as pd

    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC")
        return str(stamp.strftime("%Y-%m-%d %H:%M:%S")) + f".{stamp.microsecond:06d}+00:00"
    digits = (
        f".{stamp.microsecond:06d}{stamp.nanosecond:03d}"
        if kind.unit == "ns"
        else f".{stamp.microsecond:06d}"
    )
    return str(stamp.strftime("%Y-%m-%d %H:%M:%S")) + digits


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def expression(
    spec: Filter,
    engine: str,
    column: Callable[[str], Any],
    types: Mapping[str, pa.DataType],
    null_label: str = DEFAULT_NULL_LABEL,
) -> Any:
    """``spec`` as a boolean column expression of ``engine`` (``polars``, ``ibis``, ``spark``).

    ``column(name)`` returns the engine's column; every leaf is made
    two-valued (a null comparison counts as false) before it is combined.
    """
    if spec.op == "in":
        name = spec.args[0]
        values, missing = _typed(spec, types, null_label)
        kind = types[name]
        col = column(name)
        parts = []
        if len(values):
            parts.append(_fill_false(engine, _isin(engine, col, values)))
        if missing:
            parts.append(_is_missing(engine, col, kind))
        if not parts:
            return _constant(engine, value=False)
        return _combine("or", parts)
    if spec.op == "range":
        name, low, high = spec.args
        col = column(name)
        kind = types[name]
        parts = [~_is_missing(engine, col, kind)]
        if low is not None:
            parts.append(_fill_false(engine, col >= low))
        if high is not None:
            parts.append(_fill_false(engine, col <= high))
        return _combine("and", parts)
    if spec.op == "not":
        return ~expression(spec.args[0], engine, column, types, null_label)
    if spec.op in ("and", "or"):
        if not spec.args:
            return _constant(engine, value=spec.op == "and")
        return _combine(
            spec.op, [expression(part, engine, column, types, null_label) for part in spec.args]
        )
    raise _unsupported(spec)


def _isin(engine: str, col: Any, values: pa.Array) -> Any:
    if engine == "polars":
        import polars as pl

        series = pl.from_arrow(values)
        assert isinstance(series, pl.Series)
        return col.is_in(series.implode())
    return col.isin(values.to_pylist())


def _is_missing(engine: str, col: Any, kind: pa.DataType) -> Any:
    floating = pa.types.is_floating(kind)
    if engine == "polars":
        return (col.is_null() | col.is_nan()) if floating else col.is_null()
    if engine == "ibis":
        return (col.isnull() | col.isnan().fill_null(False)) if floating else col.isnull()
    from pyspark.sql import functions as f

    return (col.isNull() | f.isnan(col)) if floating else col.isNull()


def _fill_false(engine: str, condition: Any) -> Any:
    if engine in ("polars", "ibis"):
        return condition.fill_null(False)
    from pyspark.sql import functions as f

    return f.coalesce(condition, f.lit(False))


def _constant(engine: str, *, value: bool) -> Any:
    if engine == "polars":
        import polars as pl

        return pl.lit(value)
    if engine == "ibis":
        import ibis

        return ibis.literal(value)
    from pyspark.sql import functions as f

    return f.lit(value)


def _combine(op: str, parts: list[Any]) -> Any:
    result = parts[0]
    for part in parts[1:]:
        result = (result & part) if op == "and" else (result | part)
    return result


# --- JavaScript, for ipyvizzu users ------------------------------------------


def javascript(spec: Filter) -> str:
    """A JavaScript expression over ``record`` equivalent to ``spec`` (ipyvizzu's ``Data.filter``).

    Values are written as JSON string literals, so quotes and markup in
    category names stay data. It keeps the rows :func:`mask` keeps: a missing
    measure (null or NaN) is in no range, even one without bounds; an empty
    ``any_of`` keeps nothing and an empty ``all_of`` everything (the
    conformance fixture ``tests/conformance/filters.json`` holds it to that).

    >>> javascript(Filter.isin("Region", ["Europe"]))
    '(record["Region"] == "Europe")'
    >>> javascript(Filter.between("Sales", 0))
    '(typeof record["Sales"] === "number" && record["Sales"] >= 0 && record["Sales"] <= Infinity)'
    """
    if spec.op == "in":
        column, values = spec.args
        if not values:
            return "false"
        tests = " || ".join(f"record[{json.dumps(column)}] == {json.dumps(v)}" for v in values)
        return f"({tests})"
    if spec.op == "range":
        column, low, high = spec.args
        value = f"record[{json.dumps(column)}]"
        # A number within both bounds: NaN (missing) compares false both ways, and
        # null, which would compare as 0, is not a number.
        low = -math.inf if low is None else low
        high = math.inf if high is None else high
        return f'(typeof {value} === "number" && {value} >= {_number(low)} && {value} <= {_number(high)})'
    if spec.op == "not":
        return f"!{javascript(spec.args[0])}"
    if spec.op == "raw":
        return f"({spec.args[0]})(record)"
    if spec.op == "keep":
        return "true"
    if not spec.args:
        return "true" if spec.op == "and" else "false"
    joiner = " && " if spec.op == "and" else " || "
    return "(" + joiner.join(javascript(part) for part in spec.args) + ")"


def _number(value: float) -> str:
    """A bound as a JavaScript number literal (infinities included)."""
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return json.dumps(value)
