"""The story's plan: what every chart plays, step by step, and what each dataset must hold.

A story is walked once, here. :func:`plan_story` follows each chart
through its steps the way a player does — the main chart across the
ordinary slides, each dashboard chart through its own steps — applying
partial configs and filters like Vizzu, and records for every step the
chart's state after it, the dataset it draws and the numbers it draws
(one row per mark). It checks on the way what would only fail later: a
series or label the data lacks, a dashboard's cross-filter, more marks
than a chart can show. From the same states :func:`needs` says what a
dataset must hold — the dimensions to group by and how each measure is
aggregated, or why every row is needed — which export-time compaction
and lazy reading both follow.

Everything downstream takes the plan: the document's descriptions and
tables, the checker, compaction and lazy reading.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ipyreport._errors import DataError, IpyreportError, StepError, closest
from ipyreport._filters import KEEP_FILTER, Filter
from ipyreport._filters import mask as filter_mask
from ipyreport._slides import AnySlide, Dashboard
from ipyreport.data import MAX_SAFE_INTEGER, Dimension, Measure, VizzuData, inexact_sum, is_whole
from ipyreport.formats import measure_of
from ipyreport.step import Step, check_step, data_of

__all__ = [
    "MAX_MARKS",
    "ChartState",
    "Needs",
    "Planned",
    "Played",
    "StoryPlan",
    "chains",
    "channel_series",
    "cross_filters",
    "needs",
    "plan_story",
    "shown",
    "table",
    "walk",
]

CHANNELS = ("x", "y", "color", "lightness", "size", "noop", "label")
# Rows a data table shows a reader (the words about a step read every row).
MAX_TABLE_ROWS = 100
# More marks than this cannot be read (or drawn smoothly) in one chart.
MAX_MARKS = 20_000
# Prefix of the columns that add whole numbers exactly, as integers.
EXACT = "\x00exact:"
ARROW_AGGREGATES = {
    "sum": "sum",
    "mean": "mean",
    "min": "min",
    "max": "max",
    "count": "count",
    "distinct": "count_distinct",
}


# --- the chart's state, step by step ------------------------------------------


@dataclass
class ChartState:
    """The chart as a player holds it after some steps: config, filter, dataset."""

    channels: dict[str, list[Any]]
    config: dict[str, Any]
    filter: Filter | None
    data: VizzuData
    palette: str | None = None  # the style's plot.marker.colorPalette, when set
    # Dimensions the player may filter the chart by besides its own filter
    # (a dashboard's cross-filter), so compaction keeps them.
    reads: tuple[str, ...] = ()
    # A stand-in for what a text's expressions read (see ipyreport._narrate), not a chart.
    text: bool = False
    # Each channel's range as the steps so far set it (``{"min": 0, "max": 2e9}``;
    # "auto" or a percentage where the engine fits it): a fixed axis.
    ranges: dict[str, dict[str, Any]] = field(default_factory=dict)


def walk(steps: Sequence[Step], main: VizzuData) -> list[ChartState]:
    """The chart state after each step, applying partial configs like Vizzu does."""
    states = []
    channels: dict[str, list[Any]] = {}
    config: dict[str, Any] = {}
    current_filter: Filter | None = None
    palette: str | None = None
    ranges: dict[str, dict[str, Any]] = {}
    for step in steps:
        marker = ((step.style or {}).get("plot") or {}).get("marker") or {}
        palette = marker.get("colorPalette", palette)
        for key, value in step.config.items():
            if key == "channels":
                for name, channel in value.items():
                    channels[name] = _entries(channel)
                    if isinstance(channel, Mapping) and isinstance(channel.get("range"), Mapping):
                        ranges[name] = {**ranges.get(name, {}), **channel["range"]}
            elif key in CHANNELS:
                channels[key] = _entries(value)
            else:
                config[key] = value
        if step.filter is not KEEP_FILTER:
            current_filter = step.filter
        # A step without a dataset of its own draws the main data again, as the
        # player does: a dataset does not carry over to the steps after it.
        data = data_of(step, main)
        states.append(
            ChartState(
                dict(channels),
                dict(config),
                current_filter,
                data,
                palette,
                ranges={name: dict(limits) for name, limits in ranges.items()},
            )
        )
    return states


def _entries(channel: Any) -> list[Any]:
    entries = channel.get("set", None) if isinstance(channel, Mapping) else channel
    if entries is None:
        return []
    if isinstance(entries, (str, Mapping)):
        return [entries]
    return list(entries)


def name_and_aggregator(entry: Any) -> tuple[str, str]:
    if isinstance(entry, Mapping):
        return str(entry.get("name")), str(entry.get("aggregator") or "sum")
    return measure_of(str(entry))


def channel_series(
    state: ChartState, *, labels: bool = True
) -> tuple[list[str], list[tuple[str, str]]]:
    """The dimensions, and the (measure, aggregator) pairs, on a chart's channels, in order."""
    dims: list[str] = []
    measures: list[tuple[str, str]] = []
    for channel in CHANNELS:
        if channel == "label" and not labels:
            continue
        for entry in state.channels.get(channel, []):
            name, aggregator = name_and_aggregator(entry)
            if name not in state.data.names:
                continue
            if isinstance(state.data[name], Dimension):
                if name not in dims:
                    dims.append(name)
            elif (name, aggregator) not in measures:
                measures.append((name, aggregator))
    return dims, measures


def read_as(data: VizzuData, name: str) -> str:
    """The measure a reader reads for the drawn series ``name``: itself, or for a log
    series (see :attr:`Measure.log_of`) the measure it is the logarithm of."""
    series = data[name] if name in data.names else None
    if isinstance(series, Measure) and series.log_of is not None and series.log_of in data.names:
        return series.log_of
    return name


def table(state: ChartState) -> dict[str, Any] | None:
    """The numbers the chart draws: one row per mark (every mark), dimensions then measures.

    What a reader's data table shows of it is :func:`shown`.
    """
    if state.filter is not None and state.filter.uses_javascript:
        return None
    data = state.data
    dims, drawn = channel_series(state, labels=False)
    if not dims and not drawn:
        return None
    # A log axis draws logarithms; the table (and the words read from it) holds the measure.
    measures = list(dict.fromkeys((read_as(data, name), agg) for name, agg in drawn))
    mask = filter_mask(state.filter, data)
    arrays = {}
    for name in dims:
        series = data[name]
        assert isinstance(series, Dimension)
        arrays[name] = pa.DictionaryArray.from_arrays(
            pa.array(series.codes[mask]), pa.array(series.categories, pa.string())
        )
    exact: list[str] = []  # sums of whole numbers, added as integers
    for name, aggregator in measures:
        series = data[name]
        assert isinstance(series, Measure)
        values = series.values[mask].astype(np.float64)
        missing = np.isnan(values)
        arrays[name] = pa.array(values, pa.float64(), mask=missing)
        if aggregator == "sum" and is_whole(series.values) and name not in exact:
            exact.append(name)
            whole = np.where(missing, 0, values).astype(np.int64)
            arrays[EXACT + name] = pa.array(whole, pa.int64(), mask=missing)
    rows_table = pa.table(arrays) if arrays else pa.table({})
    aggregations = [(name, ARROW_AGGREGATES.get(agg, "sum")) for name, agg in measures]
    aggregations += [(EXACT + name, "sum") for name in exact]
    if dims:
        grouped = rows_table.group_by(dims, use_threads=False).aggregate(aggregations)
        sort_keys = [(name, "ascending") for name in dims]
        order = pc.sort_indices(_category_order(grouped, dims, data), sort_keys=sort_keys)
        grouped = grouped.take(order)
        columns = dims + [label(name, agg) for name, agg in measures]
        result_names = dims + [
            f"{name}_{ARROW_AGGREGATES.get(agg, 'sum')}" for name, agg in measures
        ]
    else:
        grouped = pa.table(
            {f"{name}_{agg}": [_scalar(rows_table[name], agg)] for name, agg in measures}
        )
        columns = [label(name, agg) for name, agg in measures]
        result_names = [f"{name}_{agg}" for name, agg in measures]
    for name in exact:
        # The integer sum is the exact value; the float sum tells an integer
        # overflow (far past 2**53) from a true result.
        precise = (
            grouped[f"{EXACT}{name}_sum"]
            if dims
            else pa.array([pc.sum(rows_table[EXACT + name]).as_py()], pa.int64())
        )
        rough = pc.max(pc.abs(grouped[f"{name}_sum"])).as_py() or 0
        largest = pc.max(pc.abs_checked(precise)).as_py() if rough < 2.0**62 else rough
        if largest is not None and largest > MAX_SAFE_INTEGER:
            raise inexact_sum(name, largest)
        column = f"{name}_sum"
        grouped = grouped.set_column(grouped.column_names.index(column), column, precise)
    rows = [list(row) for row in zip(*(_plain(grouped[n]) for n in result_names), strict=True)]
    return {"columns": columns, "rows": rows, "total": grouped.num_rows, "measures": len(measures)}


def shown(rows: dict[str, Any] | None) -> dict[str, Any] | None:
    """A step's table as a reader's data table shows it: its first ``MAX_TABLE_ROWS`` rows
    (``total`` still counts every mark). Words about the step read :func:`table`'s every row."""
    if rows is None or len(rows["rows"]) <= MAX_TABLE_ROWS:
        return rows
    return {**rows, "rows": rows["rows"][:MAX_TABLE_ROWS]}


def _category_order(grouped: pa.Table, dims: Sequence[str], data: VizzuData) -> pa.Table:
    """Each dimension's position in its category list, so rows follow the chart's order."""
    columns = {}
    for name in dims:
        series = data[name]
        assert isinstance(series, Dimension)
        position = {category: index for index, category in enumerate(series.categories)}
        labels = grouped[name].cast(pa.string()).to_pylist()
        columns[name] = pa.array([position[label] for label in labels], pa.int32())
    return pa.table(columns)


def _scalar(column: pa.ChunkedArray, aggregator: str) -> float | None:
    function = {
        "sum": pc.sum,
        "mean": pc.mean,
        "min": pc.min,
        "max": pc.max,
        "count": pc.count,
        "distinct": pc.count_distinct,
    }
    value = function.get(aggregator, pc.sum)(column).as_py()
    return None if value is None else float(value)


def _plain(column: pa.ChunkedArray) -> list[Any]:
    if pa.types.is_dictionary(column.type):
        labels: list[Any] = column.cast(pa.string()).to_pylist()
        return labels
    values = column.to_pylist()
    return [None if isinstance(v, float) and not np.isfinite(v) else v for v in values]


def label(name: str, aggregator: str) -> str:
    return name if aggregator == "sum" else f"{aggregator}({name})"


# --- what each chart plays ---------------------------------------------------


@dataclass(frozen=True)
class Played:
    """A step where it plays: 1-based slide and step, and the dashboard chart (``None``: the main chart)."""

    slide: int
    step: int
    chart: int | None
    item: Step

    @property
    def where(self) -> str:
        """The position as messages name it: ``slide 3, chart 2, step 1``."""
        chart = f", chart {self.chart}" if self.chart is not None else ""
        return f"slide {self.slide}{chart}, step {self.step}"


def chains(slides: Sequence[AnySlide]) -> list[list[Played]]:
    """What each chart plays, in order: the main chart across the ordinary slides, then each dashboard chart."""
    main: list[Played] = []
    boards: list[list[Played]] = []
    for number, slide in enumerate(slides, start=1):
        if isinstance(slide, Dashboard):
            for chart, steps in enumerate(slide.charts, start=1):
                boards.append(
                    [Played(number, k, chart, step) for k, step in enumerate(steps, start=1)]
                )
        else:
            main.extend(
                Played(number, k, None, step) for k, step in enumerate(slide.steps, start=1)
            )
    return [main, *boards] if main else boards


def cross_filters(slides: Sequence[AnySlide], main: VizzuData) -> dict[int, tuple[str, ...]]:
    """Per dashboard (by 1-based slide number), the dimensions a click filters the other charts by."""
    result: dict[int, tuple[str, ...]] = {}
    for number, slide in enumerate(slides, start=1):
        if not isinstance(slide, Dashboard) or slide.cross_filter is False:
            continue
        states = [state for chart in slide.charts for state in walk(chart, main)]
        if slide.cross_filter is True:
            names: list[str] = []
            for state in states:
                dims, _ = channel_series(state, labels=False)
                names.extend(name for name in dims if name not in names)
            result[number] = tuple(names)
            continue
        known: list[str] = []
        for data in [main, *(state.data for state in states)]:
            known.extend(
                series.name
                for series in data.series
                if isinstance(series, Dimension) and series.name not in known
            )
        for name in slide.cross_filter:
            if name not in known:
                msg = (
                    f"slide {number}: cross_filter names {name!r}, which is not a dimension of "
                    f"the data{closest(name, known)}; its dimensions are {known}"
                )
                raise StepError(msg, field="cross_filter").located(number)
        result[number] = slide.cross_filter
    return result


def chain_states(
    slides: Sequence[AnySlide], main: VizzuData, cross: Mapping[int, tuple[str, ...]]
) -> list[list[tuple[Played, ChartState]]]:
    """Each chart's steps (see ``chains``) with the state of the chart after each."""
    result = []
    for chain in chains(slides):
        states = []
        for played, state in zip(chain, walk([p.item for p in chain], main), strict=True):
            names = cross.get(played.slide, ()) if played.chart is not None else ()
            reads = tuple(name for name in names if name in state.data.names)
            states.append((played, replace(state, reads=reads) if reads else state))
        result.append(states)
    return result


def played_states(
    slides: Sequence[AnySlide], main: VizzuData, cross: Mapping[int, tuple[str, ...]]
) -> list[tuple[Played, ChartState]]:
    """Every step with the state of its chart after it, chart by chart."""
    return [pair for chain in chain_states(slides, main, cross) for pair in chain]


# --- what each dataset must hold ----------------------------------------------


# Aggregators whose re-aggregation over groups gives the same result.
DECOMPOSABLE = ("sum", "min", "max")


@dataclass(frozen=True)
class Needs:
    """What a dataset must hold for its steps: grouped by ``dimensions``, one aggregator
    per measure — or, with a ``reason``, every row."""

    dimensions: tuple[str, ...]
    measures: dict[str, str]
    reason: str | None = None  # why it cannot be compacted, when it cannot


def needs(data: VizzuData, states: Sequence[ChartState]) -> Needs:
    """What the steps showing ``data`` need from it."""
    dimensions: list[str] = []
    measures: dict[str, str] = {}
    for state in states:
        dims, used = channel_series(state)
        if not used and not state.text:
            return Needs((), {}, "a chart without a measure counts records")
        dimensions.extend(name for name in dims if name not in dimensions)
        dimensions.extend(
            name
            for name in state.reads
            if name not in dimensions and name in data.names and isinstance(data[name], Dimension)
        )
        for name, aggregator in used:
            if aggregator not in DECOMPOSABLE:
                return Needs((), {}, f"{aggregator}({name}) does not decompose over groups")
            if measures.setdefault(name, aggregator) != aggregator:
                return Needs(
                    (), {}, f"{name!r} is used with both {measures[name]} and {aggregator}"
                )
        if state.filter is not None:
            reason = _filter_columns(state.filter, data, dimensions)
            if reason:
                return Needs((), {}, reason)
    return Needs(tuple(dimensions), measures)


def _filter_columns(spec: Filter, data: VizzuData, dimensions: list[str]) -> str | None:
    if spec.uses_javascript:
        return "a JavaScript filter may read any column"
    for name in spec.columns():
        if isinstance(data[name], Measure):
            return f"a filter reads {name!r} row by row"
        if name not in dimensions:
            dimensions.append(name)
    return None


# --- the plan -------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """One step where it plays, its chart's state after it, the numbers it draws and its dataset."""

    played: Played
    state: ChartState
    table: dict[str, Any] | None  # every mark it draws
    dataset: str

    @property
    def shown(self) -> dict[str, Any] | None:
        """The data table a reader sees: the first rows of ``table`` (see :func:`shown`)."""
        return shown(self.table)


@dataclass(frozen=True)
class StoryPlan:
    """Every chart's steps with their states and tables, and the datasets they draw."""

    charts: tuple[tuple[Planned, ...], ...]
    cross_filters: Mapping[int, tuple[str, ...]]
    datasets: tuple[tuple[str, VizzuData], ...]
    # The datasets made with stand-ins (see ipyreport._gaps), by the dataset they are made from.
    stand_ins: Mapping[str, str] = field(default_factory=dict)

    def steps(self) -> list[Planned]:
        """Every step, chart by chart."""
        return [step for chart in self.charts for step in chart]

    @functools.cached_property
    def _index(self) -> dict[tuple[int, int | None, int], Planned]:
        return {(p.played.slide, p.played.chart, p.played.step): p for p in self.steps()}

    def at(self, slide: int, chart: int | None, step: int) -> Planned:
        """The step at 1-based ``slide`` and ``step`` (``chart``: a dashboard's chart, or None)."""
        return self._index[slide, chart, step]

    def states(self, key: str) -> list[ChartState]:
        """The states of every step that draws the dataset ``key``, or a dataset made from it
        with stand-ins (as if it drew ``key``: what it holds serves those steps too)."""
        data = dict(self.datasets)[key]
        return [
            planned.state if planned.dataset == key else replace(planned.state, data=data)
            for planned in self.steps()
            if key in (planned.dataset, self.stand_ins.get(planned.dataset))
        ]


def plan_story(
    slides: Sequence[AnySlide], main: VizzuData, tables: Mapping[str, VizzuData] | None = None
) -> StoryPlan:
    """Walk ``slides`` over ``main`` (and the named ``tables`` steps may draw) once.

    Raises the first mistake found, located at its slide, chart and step.
    """
    keys = {id(main): "main"}
    named = {id(data): name for name, data in (tables or {}).items()}
    datasets: list[tuple[str, VizzuData]] = [("main", main)]
    for chain in chains(slides):
        for played in chain:
            step = played.item
            try:
                check_step(step, data_of(step, main), where=played.where)
            except IpyreportError as error:
                raise error.located(played.slide, played.step, played.chart) from None
            if step.data is not None and id(step.data) not in keys:
                key = named.get(id(step.data)) or f"data{len(datasets)}"
                keys[id(step.data)] = key
                datasets.append((key, data_of(step, main)))
    cross = cross_filters(slides, main)
    # Bars, lines and areas along a dimension keep a mark's place where the data has
    # no value (ipyreport._gaps): such a step draws its data with stand-ins, one
    # dataset per data and dimensions they are made over.
    from ipyreport._gaps import with_stand_ins

    filled: dict[tuple[int, tuple[str, ...]], tuple[str, VizzuData]] = {}
    stand_ins: dict[str, str] = {}
    charts = []
    for states in chain_states(slides, main, cross):
        planned = []
        for played, plain in states:
            key = keys[id(played.item.data)] if played.item.data is not None else "main"
            state = plain
            stood_in = with_stand_ins(plain)
            if stood_in is not None:
                over, data = stood_in
                if (id(plain.data), over) not in filled:
                    filled[id(plain.data), over] = (f"data{len(datasets)}", data)
                    datasets.append(filled[id(plain.data), over])
                stand_ins[filled[id(plain.data), over][0]] = key
                key, data = filled[id(plain.data), over]
                state = replace(plain, data=data)
            rows = table(state)
            try:
                _check_marks(rows, state.data, played.where)
                _check_highlight(played.item, state, played.where)
            except IpyreportError as error:
                raise error.located(played.slide, played.step, played.chart) from None
            planned.append(Planned(played, state, rows, key))
        charts.append(tuple(planned))
    return StoryPlan(tuple(charts), cross, tuple(datasets), stand_ins)


def _check_highlight(step: Step, state: ChartState, where: str) -> None:
    """A highlight names what the chart's marks show: their dimensions, or a measure they draw."""
    if step.highlight is None:
        return
    if step.highlight.filter.uses_javascript:
        msg = f"{where}: highlight takes categories or value ranges, not JavaScript; write it as {{'Region': 'Europe'}}"
        raise StepError(msg, field="highlight")
    dims, measures = channel_series(state, labels=False)
    shown = [*dims, *(label(name, aggregator) for name, aggregator in measures)]
    for column in step.highlight.filter.columns():
        if column not in shown:
            msg = (
                f"{where}: highlight names {column!r}, but this chart's marks show {shown}; "
                f"highlight by one of those, or draw {column!r} on a channel"
            )
            raise StepError(msg, field="highlight")


def _check_marks(rows: dict[str, Any] | None, data: VizzuData, where: str) -> None:
    if rows is None or rows["total"] <= MAX_MARKS:
        return
    dims = rows["columns"][: len(rows["columns"]) - rows["measures"]]
    series = [data[name] for name in dims]
    sizes = {item.name: len(item.categories) for item in series if isinstance(item, Dimension)}
    finest = max(sizes, key=lambda name: sizes[name])
    msg = (
        f"{where} draws {rows['total']:,} marks, more than the {MAX_MARKS:,} a chart can show; "
        f"drop {finest!r} ({sizes[finest]:,} categories) from it or filter it"
    )
    raise DataError(msg)
