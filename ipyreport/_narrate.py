"""Templates evaluated: every number in the words computed from the data the step draws.

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
the two to the same text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np
import pyarrow as pa

from ipyreport._describe import Caption, caption, isolate, words
from ipyreport._errors import StepError, closest
from ipyreport._filters import Filter, check_labels, sql
from ipyreport._filters import mask as filter_mask
from ipyreport._plan import (
    ChartState,
    Planned,
    Played,
    StoryPlan,
    channel_series,
    cross_filters,
    played_states,
)
from ipyreport._slides import AnySlide, Dashboard
from ipyreport._templates import Expression, Template, TemplateError, TextFormat, parse
from ipyreport.data import Dimension, Measure, VizzuData
from ipyreport.formats import (
    Display,
    Format,
    NumberFormat,
    format_number,
    parse_format,
    resolve_number,
)
from ipyreport.lazy import LazySource
from ipyreport.step import Step

__all__ = [
    "AUTO",
    "Eager",
    "Narration",
    "Pushed",
    "Query",
    "Scope",
    "evaluate",
    "narrate",
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

    def grouped(self, query: Query) -> list[Group]:
        dims = [query.dimension] if query.dimension else []
        measures = {query.measure: query.fn} if query.measure else {}
        read = self.source.read(dims, measures, where=query.where)
        labels: list[str | None] = [None] * read.num_rows
        if query.dimension:
            series = read[query.dimension]
            assert isinstance(series, Dimension)
            labels = list(series.labels())
        if not query.measure:
            return [(label, None) for label in labels]
        measure = read[query.measure]
        assert isinstance(measure, Measure)
        numbers = measure.to_list()
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


def _first(data: VizzuData, kind: type) -> str | None:
    return next((series.name for series in data.series if isinstance(series, kind)), None)


def _where(scope: Scope, conditions: Sequence[Any], used: str, value: Value) -> Filter | None:
    parts = [scope.filter] if scope.filter is not None else []
    for column, wanted in conditions:
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
    return {"number": number, "scale": scale, "signed": signed}


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
    text = format_number(scaled, number)
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


def rows_for(state: ChartState, pushed: Callable[[], Pushed] | None) -> Rows:
    """Where a step's queries run: its own rows, or the lazy source its rows came from."""
    if pushed is not None and state.data.num_rows == 0:
        return pushed()
    return Eager(state.data)


# --- a story's words ---------------------------------------------------------------


Position = tuple[int, int | None, int]  # slide, dashboard chart (None: the main chart), step


def needs_of(
    node: Mapping[str, Any], measure: tuple[str, str] | None
) -> tuple[list[str], list[tuple[str, str]]]:
    """The dimensions an expression groups or filters by, and the (measure, aggregator)
    pairs it reads (``measure``: the chart's, which a bare ``D.top`` ranks by)."""
    dims: list[str] = []
    measures: list[tuple[str, str]] = []
    op = node.get("op")
    if op == "rank":
        dims.append(node["dimension"])
        if node["which"] in ("top", "bottom"):
            by = node["by"]
            pair = (by["column"], by["fn"]) if by else measure
            if pair is not None:
                measures.append(pair)
    elif op == "aggregate":
        if node["fn"] == "count":
            dims.append(node["column"])  # a measure's count is told apart by its role later
        else:
            measures.append((node["column"], node["fn"]))
    elif op in ("change", "share"):
        measures.append((node["column"], "sum"))
        if op == "change":
            dims.append(node["along"])
    for column, wanted in node.get("where", []):
        dims.append(column)
        if "op" in wanted:
            more_dims, more = needs_of(wanted, measure)
            dims.extend(more_dims)
            measures.extend(more)
    return list(dict.fromkeys(dims)), list(dict.fromkeys(measures))


def text_state(
    templates: Sequence[Template], state: ChartState, reads: Sequence[str] = ()
) -> ChartState | None:
    """A stand-in chart for what ``templates`` read from ``state``'s data, so the data a
    player re-evaluates them over (a dashboard's, under a click) keeps it exactly."""
    measure = chart_measure(state)
    dims: list[str] = []
    measures: list[tuple[str, str]] = []
    for template in templates:
        for expression in template.expressions:
            more_dims, more = needs_of(expression.node, measure)
            dims.extend(more_dims)
            measures.extend(more)
    known = state.data.names
    counted = [name for name in dims if name in known and isinstance(state.data[name], Measure)]
    measures.extend((name, "count") for name in counted)
    dims = [name for name in dict.fromkeys(dims) if name in known and name not in counted]
    measures = [pair for pair in dict.fromkeys(measures) if pair[0] in known]
    if not dims and not measures:
        return None
    channels: dict[str, list[Any]] = {
        "x": list(dims),
        "y": [{"name": name, "aggregator": fn} for name, fn in measures],
    }
    return ChartState(channels, {}, state.filter, state.data, reads=tuple(reads), text=True)


def templates_of(text: str | None, used: str, field: str) -> list[Template]:
    """``text`` parsed when it holds expressions (none for plain text or ``"auto"``)."""
    from ipyreport._templates import is_template

    if not text or not is_template(text):
        return []
    return [parse_located(text, used, field)]


@dataclass
class Narration:
    """Every text of a story with its expressions computed, and every step's caption."""

    captions: dict[Position, Caption]
    steps: dict[Position, dict[str, Rendered]]  # a step's "title", "note" (its highlight's), "alt"
    slides: dict[int, dict[str, Rendered | str]]  # a slide's "title" and "notes" ("auto": captions)
    states: list[tuple[str, ChartState]]  # per dataset, what dashboard texts re-read under a click
    titles: dict[Position, str | None]  # the chart's title as shown after each step


def board_text_states(
    slides: Sequence[AnySlide], played: Sequence[tuple[Played, ChartState]], main: VizzuData
) -> list[ChartState]:
    """What the texts of dashboards that filter on a click read, as stand-in charts (see
    :func:`text_state`): the data the player re-reads them over must keep it."""
    result: list[ChartState] = []
    cross = cross_filters(slides, main)
    for number, slide in enumerate(slides, start=1):
        if number not in cross or not isinstance(slide, Dashboard):
            continue
        where = f"slide {number}"
        own = [
            t
            for name in ("title", "notes")
            for t in templates_of(getattr(slide, name), where, name)
        ]
        states = [state for p, state in played if p.slide == number]
        if own and states:
            stand_in = text_state(own, replace(states[0], filter=None), cross[number])
            result.extend([stand_in] if stand_in else [])
        for p, state in played:
            if p.slide == number:
                titles = [
                    t
                    for key in CHART_TEXTS
                    for t in templates_of(_own_title(p.item, key), p.where, key)
                ]
                stand_in = text_state(titles, state, cross[number]) if titles else None
                result.extend([stand_in] if stand_in else [])
    return result


def quoted_columns(slides: Sequence[AnySlide]) -> list[str]:
    """Every column the story's texts name (what a lazy story must also label)."""
    names: list[str] = []
    for number, slide in enumerate(slides, start=1):
        texts = [slide.title, slide.notes, slide.alt]
        charts = slide.charts if isinstance(slide, Dashboard) else (slide.steps,)
        for step in (step for chart in charts for step in chart):
            texts += [_own_title(step, key) for key in CHART_TEXTS]
            texts += [step.highlight.note if step.highlight else None]
        for text in texts:
            for template in templates_of(None if text == AUTO else text, f"slide {number}", "text"):
                for expression in template.expressions:
                    dims, measures = needs_of(expression.node, None)
                    names += dims + [name for name, _ in measures]
    return list(dict.fromkeys(names))


def pushed_states(source: LazySource, slides: Sequence[AnySlide]) -> dict[Position, ChartState]:
    """Each step of a lazy story over its source's schema, with its own filter: what its
    texts' queries run under (before the story reads what its charts draw)."""
    schema = source.schema()
    return {
        (p.slide, p.chart, p.step): state
        for p, state in played_states(slides, schema, cross_filters(slides, schema))
        if p.item.data is None
    }


def narrate(
    plan: StoryPlan,
    slides: Sequence[AnySlide],
    display: Display,
    lang: str,
    lazy: tuple[LazySource, Mapping[Position, ChartState]] | None = None,
) -> Narration:
    """The story's words: captions for every step, templates read in their step's data.

    ``lazy`` is the source a lazy story reads and each step's state over its
    schema (see :func:`pushed_states`), so queries run in its engine.
    """
    return _Narrator(plan, display, lang, lazy).narrate(slides)


class _Narrator:
    def __init__(
        self,
        plan: StoryPlan,
        display: Display,
        lang: str,
        lazy: tuple[LazySource, Mapping[Position, ChartState]] | None,
    ) -> None:
        self.plan = plan
        self.display = display
        self.lang = lang
        self.source = lazy[0] if lazy else None
        self.originals = lazy[1] if lazy else {}
        self.pushed: Pushed | None = None
        self.captions: dict[Position, Caption] = {}
        for chart in plan.charts:
            previous: tuple[ChartState, dict[str, Any] | None] | None = None
            for planned in chart:
                played = planned.played
                self.captions[played.slide, played.chart, played.step] = caption(
                    planned.state, planned.table, display, lang, previous
                )
                previous = (planned.state, planned.table)
        self.steps: dict[Position, dict[str, Rendered]] = {}
        self.slides: dict[int, dict[str, Rendered | str]] = {}
        self.states: list[tuple[str, ChartState]] = []

    def rows(self) -> Rows:
        if self.pushed is None:
            assert self.source is not None
            self.pushed = Pushed(self.source, self.source.schema())
        return self.pushed

    def scope(
        self, position: Position, state: ChartState, parts: Mapping[str | None, str]
    ) -> Scope:
        if position in self.originals:
            original = self.originals[position]
            measure = chart_measure(original)
            return Scope(self.rows(), original.filter, measure, self.display, self.lang, parts)
        rows = Eager(state.data)
        return Scope(rows, state.filter, chart_measure(state), self.display, self.lang, parts)

    def slide_scope(self, number: int, length: int, parts: Mapping[str | None, str]) -> Scope:
        """A slide's own text reads every row its steps draw: the rows any of their filters
        keeps, in the dataset its first step draws (a timeline's every moment)."""
        first = self.scope((number, None, 1), self.plan.at(number, None, 1).state, parts)
        filters: list[Filter] = []
        for k in range(1, length + 1):
            planned = self.plan.at(number, None, k)
            here = self.scope((number, None, k), planned.state, parts)
            if here.rows.data is not first.rows.data:
                continue
            if here.filter is None:
                return first if first.filter is None else replace(first, filter=None)
            if here.filter not in filters:
                filters.append(here.filter)
        union = filters[0] if len(filters) == 1 else Filter.any_of(*filters)
        return replace(first, filter=union)

    def board_scope(self, state: ChartState, parts: Mapping[str | None, str]) -> Scope:
        """A dashboard's own text reads all its data (a click narrows it in the player)."""
        rows = self.rows() if self.source is not None else Eager(self.plan.datasets[0][1])
        return Scope(rows, None, chart_measure(state), self.display, self.lang, parts)

    def narrate(self, slides: Sequence[AnySlide]) -> Narration:
        for number, slide in enumerate(slides, start=1):
            for chart in self.plan.charts:
                for planned in chart:
                    if planned.played.slide == number:
                        self.step(planned, slide, self.plan.cross_filters.get(number, ()))
            self.slide(number, slide)
        return Narration(self.captions, self.steps, self.slides, self.states, self.titles())

    def step(self, planned: Planned, slide: AnySlide, cross: Sequence[str]) -> None:
        played = planned.played
        position = (played.slide, played.chart, played.step)
        board = isinstance(slide, Dashboard)
        texts = {
            "title": _own_title(played.item),
            "subtitle": _own_title(played.item, "subtitle"),
            "caption": _own_title(played.item, "caption"),
            "note": played.item.highlight.note if played.item.highlight else None,
            "alt": None if board else slide.alt,
        }
        rendered: dict[str, Rendered] = {}
        for name, text in texts.items():
            field_name = "highlight" if name == "note" else name
            try:
                for template in templates_of(
                    text, f"{played.where}, {_FIELD_WORDS[name]}", field_name
                ):
                    if board and cross:
                        _no_caption(template, played.where, name)
                    here = self.scope(position, planned.state, self.captions[position].parts())
                    rendered[name] = render(
                        template, here, f"{played.where}, {_FIELD_WORDS[name]}", fields=field_name
                    )
                    if board and cross and name in CHART_TEXTS:
                        stand_in = text_state([template], planned.state, cross)
                        if stand_in is not None:
                            self.states.append((planned.dataset, stand_in))
            except StepError as error:
                raise error.located(played.slide, played.step, played.chart) from None
        if rendered:
            self.steps[position] = rendered

    def slide(self, number: int, slide: AnySlide) -> None:
        board = isinstance(slide, Dashboard)
        cross = self.plan.cross_filters.get(number, ())
        first = self.plan.at(number, 1 if board else None, 1)
        parts = self.slide_caption(number, slide)
        own: dict[str, Rendered | str] = {}
        if slide.notes == AUTO:
            own["notes"] = parts[None]
        for name in ("title", "notes"):
            text = getattr(slide, name)
            try:
                for template in templates_of(
                    None if text == AUTO else text, f"slide {number}, {name}", name
                ):
                    if board and cross:
                        _no_caption(template, f"slide {number}", name)
                    here = (
                        self.board_scope(first.state, parts)
                        if board
                        else self.slide_scope(number, slide.length, parts)
                    )
                    own[name] = render(template, here, f"slide {number}, {name}", fields=name)
                    if board and cross:
                        stand_in = text_state([template], replace(first.state, filter=None), cross)
                        if stand_in is not None:
                            self.states.append(("main", stand_in))
            except StepError as error:
                raise error.located(number) from None
        if own:
            self.slides[number] = own

    def slide_caption(self, number: int, slide: AnySlide) -> dict[str | None, str]:
        """What ``{caption}`` reads in a slide's own text: its steps' (or charts') captions."""
        captions = self.captions
        if isinstance(slide, Dashboard):
            whole = " ".join(
                f"{index}: {captions[number, index, 1].text()}"
                for index in range(1, len(slide.charts) + 1)
            )
            return {None: whole, "what": whole, "stats": "", "change": ""}
        texts = [captions[number, None, k].text() for k in range(1, slide.length + 1)]
        step_words = str(words(self.lang)["step"])
        whole = (
            texts[0]
            if len(texts) == 1
            else " ".join(step_words.format(number=k, text=t) for k, t in enumerate(texts, 1))
        )
        return {**captions[number, None, 1].parts(), None: whole}

    def titles(self) -> dict[Position, str | None]:
        """Each step's chart title as shown: its own (read), or the one it keeps."""
        titles: dict[Position, str | None] = {}
        for chart in self.plan.charts:
            shown_title: str | None = None
            for planned in chart:
                played = planned.played
                position = (played.slide, played.chart, played.step)
                if "title" in self.steps.get(position, {}):
                    shown_title = self.steps[position]["title"].text
                elif "title" in played.item.config:
                    own_title = played.item.config["title"]
                    shown_title = (
                        self.display.title(own_title) if isinstance(own_title, str) else None
                    )
                titles[position] = shown_title
        return titles


_FIELD_WORDS = {
    "title": "chart title",
    "subtitle": "chart subtitle",
    "caption": "chart caption",
    "note": "highlight note",
    "alt": "alt",
}
# The texts a chart's config draws.
CHART_TEXTS = ("title", "subtitle", "caption")


def _no_caption(template: Template, where: str, name: str) -> None:
    if any(expression.node["op"] == "caption" for expression in template.expressions):
        msg = (
            f"{where}: {name}: a caption cannot follow a dashboard's clicks (the player re-reads "
            "the numbers, not the sentences); quote numbers such as {sum(Revenue)} instead, or "
            "give the dashboard cross_filter=False"
        )
        raise StepError(msg, field=name)


AUTO = "auto"  # notes="auto": the slide's captions


def _own_title(step: Step, key: str = "title") -> str | None:
    """A chart's own ``title`` (or ``subtitle``, ``caption``) text, when the step sets one."""
    title = step.config.get(key)
    return title if isinstance(title, str) else None
