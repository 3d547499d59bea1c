"""Expressions evaluated: every number in the words computed from the data a step draws.

An expression (see :mod:`ipyreport._templates`) becomes one or more
:class:`Query` values — a measure aggregated over the rows a step draws,
perhaps by one dimension, under the step's filter and the expression's
conditions. A query runs on the story's data as the plan holds it
(:class:`Eager`, over the encoded columns) or in the engine a lazy source
lives in (:class:`Pushed`, one grouped aggregate per query), so the words
read the same numbers as the chart. Each query is kept with its result as
the expression's trace, written as the SQL that reproduces it over the
story's data (``FROM data``).

The numbers read in the story's formats; the player's ``evaluateText`` (in
``static/steps.js``) is the JavaScript translation of :func:`evaluate`, used
where a dashboard's click re-filters the data, and a browser test holds
the two to the same text. Which text reads which step is
:mod:`ipyreport._narrate`'s business.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pyarrow as pa

from ipyreport._describe import isolate
from ipyreport._errors import StepError, closest
from ipyreport._filters import Filter, check_labels, sql
from ipyreport._filters import mask as filter_mask
from ipyreport._plan import ChartState, channel_series
from ipyreport._templates import RANKS, Expression, Template, TemplateError, TextFormat, parse
from ipyreport.data import Dimension, Measure, VizzuData
from ipyreport.formats import (
    Display,
    Format,
    NumberFormat,
    format_number,
    measure_of,
    parse_format,
    resolve_number,
    said_trim,
)
from ipyreport.lazy import LazySource

__all__ = [
    "Eager",
    "Pushed",
    "Query",
    "Rendered",
    "Scope",
    "chart_measure",
    "evaluate",
    "parse_located",
    "render",
]

Group = tuple[str | None, float | int | None]


@dataclass(frozen=True)
class Query:
    """``fn`` of ``measure`` (or, with no measure, the categories of ``dimension``) over
    the rows ``where`` keeps, by ``dimension`` when given."""

    dimension: str | None
    measure: str | None
    fn: str
    where: Filter | None

    def sql(self, types: Mapping[str, pa.DataType]) -> str:
        """This query in DuckDB's SQL over the story's data, named ``data``."""
        condition = f" WHERE {sql(self.where, types)}" if self.where is not None else ""
        if self.measure is None:
            assert self.dimension is not None
            column = _quote(self.dimension)
            return f"SELECT DISTINCT {column} FROM data{condition}"
        value = f"{ {'mean': 'avg'}.get(self.fn, self.fn) }({_quote(self.measure)})"
        if self.dimension is None:
            return f"SELECT {value} FROM data{condition}"
        column = _quote(self.dimension)
        return f"SELECT {column}, {value} FROM data{condition} GROUP BY {column}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Rows(Protocol):
    """Where queries run: one group per category (or one group), in the chart's category order."""

    @property
    def data(self) -> VizzuData:
        """The columns' names, roles and categories."""

    def grouped(self, query: Query) -> list[Group]: ...

    def types(self) -> Mapping[str, pa.DataType]: ...


@dataclass(frozen=True)
class Eager:
    """Queries over encoded data (placeholder rows a timeline added are no rows)."""

    data: VizzuData

    def grouped(self, query: Query) -> list[Group]:
        data = self.data
        keep = filter_mask(query.where, data)
        if data.placeholders_from is not None:
            keep[data.placeholders_from :] = False
        values: np.ndarray[Any, Any] | None = None
        if query.measure is not None:
            measure = data[query.measure]
            assert isinstance(measure, Measure)
            values = measure.values[keep]
        if query.dimension is None:
            assert values is not None
            return [(None, _aggregate(values, query.fn))]
        dimension = data[query.dimension]
        assert isinstance(dimension, Dimension)
        codes = dimension.codes[keep]
        result: list[Group] = []
        present = np.zeros(len(dimension.categories), dtype=bool)
        present[codes] = True
        if values is None:
            return [(dimension.categories[code], None) for code in np.flatnonzero(present)]
        order = np.argsort(codes, kind="stable")
        sorted_codes = codes[order]
        bounds = np.searchsorted(sorted_codes, np.arange(len(dimension.categories) + 1))
        for code in np.flatnonzero(present):
            group = values[order[bounds[code] : bounds[code + 1]]]
            result.append((dimension.categories[code], _aggregate(group, query.fn)))
        return result

    def types(self) -> Mapping[str, pa.DataType]:
        return {
            series.name: pa.string() if isinstance(series, Dimension) else pa.float64()
            for series in self.data.series
        }


@dataclass
class Pushed:
    """Queries run where a lazy source lives: one grouped aggregate each."""

    source: LazySource
    data: VizzuData  # the source's schema
    # Each query runs once: a story's words often ask the same thing twice.
    answered: dict[str, list[Group]] = field(default_factory=dict)

    def grouped(self, query: Query) -> list[Group]:
        key = repr(query)
        if key not in self.answered:
            self.answered[key] = self._run(query)
        return self.answered[key]

    def _run(self, query: Query) -> list[Group]:
        dims = [query.dimension] if query.dimension else []
        measures = {query.measure: query.fn} if query.measure else {}
        read = self.source.read(dims, measures, where=query.where)
        labels: list[str | None] = [None] * read.num_rows
        # Groups in the order of their categories, as the eager data holds them
        # (an engine may sort a missing value or a categorical's values otherwise).
        order = np.arange(read.num_rows)
        if query.dimension:
            series = read[query.dimension]
            assert isinstance(series, Dimension)
            order = np.argsort(series.codes, kind="stable")
            every = series.labels()
            labels = [every[row] for row in order]
        if not query.measure:
            return [(label, None) for label in labels]
        measure = read[query.measure]
        assert isinstance(measure, Measure)
        every_number = measure.to_list()
        numbers = [every_number[row] for row in order]
        if not query.dimension and not numbers:
            return [(None, 0 if query.fn == "count" else None)]
        return list(zip(labels, numbers, strict=True))

    def types(self) -> Mapping[str, pa.DataType]:
        return dict(self.source.types)


def _aggregate(values: np.ndarray[Any, Any], fn: str) -> float | int | None:
    if values.dtype.kind == "f":
        values = values[~np.isnan(values)]
    if fn == "count":
        return len(values)
    if not len(values):
        return None
    if fn == "sum":
        total = values.sum()
        return int(total) if values.dtype.kind in "iu" else float(total)
    if fn == "mean":
        return float(values.mean())
    result = values.min() if fn == "min" else values.max()
    return int(result) if values.dtype.kind in "iu" else float(result)


# --- evaluating ----------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a text reads: the rows, the step's filter, the chart's measure and captions."""

    rows: Rows
    filter: Filter | None
    measure: tuple[str, str] | None  # the chart's first measure and its aggregator
    display: Display
    lang: str
    captions: Mapping[str | None, str] = field(default_factory=dict)


@dataclass
class Value:
    """An expression's result: a number, a ratio, a category or a caption's text."""

    kind: str  # number, ratio, category, text
    value: Any
    column: str | None = None  # the measure (number) or dimension (category)
    fn: str | None = None
    queries: list[tuple[Query, list[Group]]] = field(default_factory=list)


def _columns(scope: Scope, name: str, *, role: str | None, used: str) -> None:
    data = scope.rows.data
    if name not in data.names:
        msg = f"{used} names {name!r}, which is not a column{closest(name, data.names)}; columns are {data.names}"
        raise StepError(msg)
    series = data[name]
    if role == "dimension" and not isinstance(series, Dimension):
        msg = f"{used}: {name!r} is a measure; this takes a dimension such as {_first(data, Dimension)!r}"
        raise StepError(msg)
    if role == "measure" and not isinstance(series, Measure):
        msg = f"{used}: {name!r} is a dimension; this takes a measure such as {_first(data, Measure)!r} (count({name}) counts its categories)"
        raise StepError(msg)


def _named(scope: Scope, column: str, used: str) -> Value:
    """``C.name``: the column's display name (a column the story draws or reads)."""
    display = scope.display
    known = [*scope.rows.data.names, *display.names, *display.numbers, *display.labels]
    if measure_of(column)[0] not in known:
        msg = f"{used} names {column!r}, which is not a column{closest(column, known)}; columns are {sorted(set(known))}"
        raise StepError(msg)
    return Value("text", display.name(column))


def _first(data: VizzuData, kind: type) -> str | None:
    return next((series.name for series in data.series if isinstance(series, kind)), None)


def _where(scope: Scope, conditions: Sequence[Any], used: str, value: Value) -> Filter | None:
    parts = [scope.filter] if scope.filter is not None else []
    for column, wanted in conditions:
        _moment(scope, column, wanted, used)
        _columns(scope, column, role="dimension", used=used)
        if "text" in wanted:
            label = wanted["text"]
            series = scope.rows.data[column]
            assert isinstance(series, Dimension)
            if series.categories:
                check_labels(column, [label], series.categories, used)
        else:
            ranked = _rank(scope, wanted, used)
            value.queries.extend(ranked.queries)
            label = ranked.value
            if label is None:
                return Filter.isin(column, [])
        parts.append(Filter.isin(column, [label]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Filter.all_of(*parts)


def _moment(scope: Scope, column: str, wanted: Mapping[str, Any], used: str) -> None:
    """A condition written the way a moment is said, not as a column narrowed: ``at=Date.last``
    (no column ``at``) or ``Date=last`` (no category ``last``) means ``Date=Date.last``."""
    data = scope.rows.data
    if "op" in wanted and column not in data.names and wanted["dimension"] in data.names:
        dimension, which = wanted["dimension"], wanted["which"]
        msg = (
            f"{used} names {column!r}, which is not a column; a condition names the column it "
            f"narrows: write {dimension}={dimension}.{which}"
        )
        raise StepError(msg)
    label = wanted.get("text")
    if label in RANKS and column in data.names:
        series = data[column]
        if isinstance(series, Dimension) and series.categories and label not in series.categories:
            msg = f"{used}: {column} has no category {label!r}; the {label} {column} is written {column}={column}.{label}"
            raise StepError(msg)


def _run(scope: Scope, query: Query, value: Value) -> list[Group]:
    groups = scope.rows.grouped(query)
    value.queries.append((query, groups))
    return groups


def _rank(scope: Scope, node: Mapping[str, Any], used: str) -> Value:
    dimension = node["dimension"]
    _columns(scope, dimension, role="dimension", used=used)
    value = Value("category", None, dimension)
    where = _where(scope, node["where"], used, value)
    which = node["which"]
    if which in ("first", "last"):
        drawn = _run(scope, Query(dimension, None, "count", where), value)
        if drawn:
            value.value = drawn[0 if which == "first" else -1][0]
        return value
    by = node["by"]
    measure = (by["column"], by["fn"]) if by else scope.measure
    if measure is None:
        msg = f"{used}: this chart draws no measure to rank {dimension!r} by; name one: {dimension}.{which}(Revenue)"
        raise StepError(msg)
    _columns(scope, measure[0], role="measure", used=used)
    query = Query(dimension, measure[0], measure[1], where)
    labels: list[str | None] = []
    numbers: list[float] = []
    for label, number in _run(scope, query, value):
        if number is not None:
            labels.append(label)
            numbers.append(number)
    if numbers:
        # Ties go to the first category in the chart's order.
        target = max(numbers) if which == "top" else min(numbers)
        value.value = labels[numbers.index(target)]
    return value


def evaluate(scope: Scope, expression: Expression, used: str) -> Value:
    """The value of one expression in ``scope`` (``used`` names the text in messages)."""
    node = expression.node
    op = node["op"]
    if op == "caption":
        return Value("text", scope.captions.get(node["part"], ""))
    if op == "name":
        return _named(scope, node["column"], used)
    if op == "rank":
        return _rank(scope, node, used)
    column = node["column"]
    if op == "aggregate" and node["fn"] == "count":
        _columns(scope, column, role=None, used=used)
        value = Value("number", None, column, "count")
        where = _where(scope, node["where"], used, value)
        if isinstance(scope.rows.data[column], Dimension):
            value.value = len(_run(scope, Query(column, None, "count", where), value))
        else:
            value.value = _run(scope, Query(None, column, "count", where), value)[0][1]
        return value
    _columns(scope, column, role="measure", used=used)
    if op == "aggregate":
        value = Value("number", None, column, node["fn"])
        where = _where(scope, node["where"], used, value)
        value.value = _run(scope, Query(None, column, node["fn"], where), value)[0][1]
        return value
    if op == "change":
        along = node["along"]
        _columns(scope, along, role="dimension", used=used)
        value = Value("ratio", None, column, "change")
        where = _where(scope, node["where"], used, value)
        groups = [
            g for g in _run(scope, Query(along, column, "sum", where), value) if g[1] is not None
        ]
        if len(groups) >= 2 and groups[0][1]:
            first, last = float(groups[0][1] or 0), float(groups[-1][1] or 0)
            value.value = (last - first) / abs(first)
        return value
    value = Value("ratio", None, column, "share")
    whole = _run(scope, Query(None, column, "sum", scope.filter), value)[0][1]
    where = _where(scope, node["where"], used, value)
    part = _run(scope, Query(None, column, "sum", where), value)[0][1]
    if whole:
        value.value = float(part or 0) / float(whole)
    return value


# --- reading ---------------------------------------------------------------------


def number_format(
    value: Value, fmt: TextFormat, display: Display, lang: str, used: str
) -> dict[str, Any]:
    """How ``value`` reads: ``{"number": NumberFormat, "scale": 1|100, "signed": bool}``."""
    if value.kind in ("category", "text"):
        if fmt != TextFormat():
            msg = f"{used}: a format applies to numbers, and this is {'a category' if value.kind == 'category' else 'a caption'}; remove the '| ...'"
            raise StepError(msg)
        return {"category": value.column} if value.kind == "category" else {}
    base = fmt.base
    if base is None and value.kind == "ratio":
        base = "pct"
    signed = fmt.signed or (fmt.base is None and value.fn == "change")
    scale = 1
    if base == "pct":
        number = resolve_number(
            Format(suffix="%", scale="none", decimals=1 if fmt.decimals is None else fmt.decimals),
            lang,
        )
        scale = 100
    elif base is not None:
        if value.kind == "ratio" and closest(base, ["pct"]):
            msg = f"{used}: {base!r} would read this ratio as a number with the unit {base!r}{closest(base, ['pct'])}"
            raise StepError(msg)
        try:
            parsed = parse_format(base, lang)
        except StepError as error:
            msg = f"{used}: {error.args[0]}"
            raise StepError(msg) from None
        if parsed.date is not None:
            msg = f"{used}: {base!r} formats dates; a number takes 'pct', '$', 'units', 'plain'..."
            raise StepError(msg)
        if fmt.decimals is not None:
            parsed = Format(parsed.prefix, parsed.suffix, fmt.decimals, parsed.scale)
        number = resolve_number(parsed, lang)
    else:
        counting = value.fn == "count"
        own = (
            display.plain
            if counting or value.column is None
            else display.numbers.get(value.column, display.plain)
        )
        number = NumberFormat(**own)
        if fmt.decimals is not None:
            number["decimals"] = number["fixed"] = fmt.decimals
    # A sentence drops the zeros an exact number does not need, unless its digits are
    # asked for: by the text ("{sum(Revenue) | $:2}") or by a format that fixes them
    # (cents, a share's one decimal).
    # (Digits a text asks for are fixed digits: `number` carries them.)
    exact = said_trim(number) == "exact"
    return {"number": number, "scale": scale, "signed": signed, "exact": exact}


def shown(value: Value, how: Mapping[str, Any], display: Display) -> str:
    """``value`` in words, read as ``how`` says."""
    if value.kind == "text":
        return str(value.value)
    if value.kind == "category":
        if value.value is None:
            return "\u2013"
        return isolate(display.label(str(value.column), str(value.value)))
    number: NumberFormat = how["number"]
    raw = value.value
    scaled = None if raw is None else raw * how["scale"]
    # A sentence says a number with the digits it needs: "1M orders" when there are
    # exactly a million, "1.0M" when the zero says it was rounded.
    text = format_number(scaled, number, trim="exact" if how.get("exact") else False)
    if how["signed"] and scaled is not None and scaled > 0 and any(c in "123456789" for c in text):
        text = "+" + text
    return text


@dataclass(frozen=True)
class Rendered:
    """A text with its expressions computed: the words, and per expression its trace."""

    text: str
    parts: list[Any]  # literal text, or {source, expr, format, value, text, queries}

    def to_dict(self) -> dict[str, Any]:
        return {"parts": self.parts}


def render(
    template: Template | str, scope: Scope, used: str, *, fields: str | None = None
) -> Rendered:
    """``template`` read in ``scope``; a mistake names ``used`` and where in the text it is."""
    if isinstance(template, str):
        template = parse_located(template, used, fields)
    words: list[str] = []
    parts: list[Any] = []
    types = scope.rows.types()
    for part in template.parts:
        if isinstance(part, str):
            words.append(part)
            parts.append(part)
            continue
        try:
            value = evaluate(scope, part, f"{used}: {{{part.source}}}")
            how = number_format(
                value, part.format, scope.display, scope.lang, f"{used}: {{{part.source}}}"
            )
        except TemplateError:
            raise
        except StepError as error:
            raise TemplateError(
                str(error), offset=part.offset, text=template.text, field=fields
            ) from None
        text = shown(value, how, scope.display)
        words.append(text)
        raw = value.value
        if isinstance(raw, float) and not math.isfinite(raw):
            raw = None
        parts.append(
            {
                "source": part.source,
                "expr": _explicit(part.node, scope.measure),
                "format": how,
                "value": raw if value.kind != "text" else None,
                "text": text,
                "queries": [
                    {"sql": query.sql(types), "rows": [list(group) for group in groups[:12]]}
                    for query, groups in value.queries
                ],
            }
        )
    return Rendered("".join(words), parts)


def _explicit(node: Mapping[str, Any], measure: tuple[str, str] | None) -> dict[str, Any]:
    """``node`` with the chart's measure written into every bare ``D.top``, so a player
    re-evaluating it needs nothing but the tree."""
    result = dict(node)
    if node.get("op") == "rank" and node["which"] in ("top", "bottom") and not node["by"]:
        result["by"] = {"column": measure[0], "fn": measure[1]} if measure else None
    if "where" in node:
        result["where"] = [
            [column, _explicit(wanted, measure) if "op" in wanted else wanted]
            for column, wanted in node["where"]
        ]
    return result


def parse_located(text: str, used: str, fields: str | None) -> Template:
    """:func:`parse`, its error naming the text it is in."""
    try:
        return parse(text)
    except TemplateError as error:
        msg = f"{used}: {error.args[0]} (at character {error.offset + 1} of {text!r:.80})"
        raise TemplateError(msg, offset=error.offset, text=text, field=fields) from None


def chart_measure(state: ChartState) -> tuple[str, str] | None:
    """The measure a chart draws first (on y, x, then size...), with its aggregator."""
    _, measures = channel_series(state, labels=False)
    return measures[0] if measures else None
