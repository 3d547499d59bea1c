"""What a story reads from a lazy source: exactly the aggregates its charts draw.

Steps whose sums, minima and maxima decompose share one table grouped by
every dimension they use (and every dimension a dashboard's clicks filter
by); a step that needs its rows — a mean, a count, a distinct count — gets a
table of its own, filtered in the engine and grouped by exactly its marks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from ipyreport._calendar import is_calendar
from ipyreport._errors import DataError, IpyreportError
from ipyreport._filters import Filter
from ipyreport._narrate import Position, board_text_states
from ipyreport._pending import pending_steps, resolve_pending
from ipyreport._plan import (
    ChartState,
    Played,
    channel_series,
    cross_filters,
    label,
    needs,
    played_states,
)
from ipyreport._slides import AnySlide, map_steps
from ipyreport.data import Dimension, Measure, VizzuData
from ipyreport.lazy import LazySource, Request
from ipyreport.step import Step

__all__ = ["aggregate_lazy", "read_pending"]


def aggregate_lazy(
    source: LazySource, slides: Sequence[AnySlide]
) -> tuple[VizzuData, list[AnySlide], dict[Position, ChartState]]:
    """The story's main data read from ``source``, the slides with their own-table steps, and
    each step drawn from the source with its state over the schema — its own filter — which
    its words' queries run under (see :func:`ipyreport._narrate.narrate`).
    """
    requests, played, alone, shared = _reads(source, slides)
    # Every table the steps draw from the source, read in one pass and rolled up
    # from it (what cannot roll up, a distinct count, says so in source.scans).
    source.prefetch(requests)
    main = source.schema()
    if shared:
        wanted = needs(main, shared)
        main = source.read(list(wanted.dimensions), wanted.measures)
    own = {id(p.item): _own_table_step(source, p, state) for p, state in alone}
    rebuilt = [map_steps(slide, lambda step: own.get(id(step), step)) for slide in slides]
    originals = {(p.slide, p.chart, p.step): state for p, state in played}
    return main, rebuilt, originals


def read_pending(slides: Sequence[AnySlide], source: LazySource | None) -> list[AnySlide]:
    """``slides`` with the steps a preset left pending (a timeline's moments, a colour
    check) made: what they ask of ``source``, the story's, is read in the same pass as
    the tables its own steps will draw (see :func:`aggregate_lazy`)."""
    if source is None or not pending_steps(slides):
        return resolve_pending(slides)
    try:
        planned = _reads(source, slides)[0]
    except IpyreportError:
        planned = []  # raised again, where it belongs, once the pending steps are made
    return resolve_pending(slides, source, planned)


def _reads(
    source: LazySource, slides: Sequence[AnySlide]
) -> tuple[
    list[Request],
    list[tuple[Played, ChartState]],
    list[tuple[Played, ChartState]],
    list[ChartState],
]:
    """What the story's steps ask ``source`` for: the requests, every step drawn from it
    with its state, those among them that get tables of their own, and the states the
    shared table serves."""
    schema = source.schema()
    played = [
        (p, state)
        for p, state in played_states(slides, schema, cross_filters(slides, schema))
        if p.item.data is None
    ]
    shared = [state for _, state in played]
    alone: list[tuple[Played, ChartState]] = []
    if needs(schema, shared).reason is not None:
        # Steps that need their rows (a mean, a count) get tables of their own.
        rows = [needs(schema, [state]).reason is not None for _, state in played]
        alone = [pair for pair, own in zip(played, rows, strict=True) if own]
        shared = [state for (_, state), own in zip(played, rows, strict=True) if not own]
        if needs(schema, shared).reason is not None:
            # Decomposable steps that disagree among themselves (sum here, max there): each alone.
            alone, shared = played, []
    texts = board_text_states(slides, played, schema)
    if texts and needs(schema, [*shared, *texts]).reason is not None:
        reason = needs(schema, [*shared, *texts]).reason
        msg = (
            f"a dashboard's text quotes numbers that its clicks re-read, but {reason} over "
            f"{source.label}, which is read lazily; quote sums, minima, maxima or categories "
            "there, or give the dashboard cross_filter=False"
        )
        raise DataError(msg)
    shared = [*shared, *texts]
    requests = [_own_request(p, state) for p, state in alone]
    if shared:
        wanted = needs(schema, shared)
        requests.append(Request(wanted.dimensions, wanted.measures, place="the shared table"))
    return [request for request in requests if request is not None], played, alone, shared


def _own_request(played: Played, state: ChartState) -> Request | None:
    """What the step's own table asks of the source (None: the step is refused when read)."""
    dims, measures = channel_series(state)
    aggregators = dict(measures)
    if len(aggregators) < len(measures) or any(name not in dims for name in state.reads):
        return None
    if state.filter is not None and state.filter.uses_javascript:
        return None
    return Request(tuple(dims), aggregators, state.filter, played.where)


def _own_table_step(source: LazySource, played: Played, state: ChartState) -> Step:
    """The step drawing a table grouped by exactly its marks and already filtered."""
    try:
        return _read_own_table(source, played, state)
    except IpyreportError as error:
        raise error.located(played.slide, played.step, played.chart) from None


def _read_own_table(source: LazySource, played: Played, state: ChartState) -> Step:
    step = played.item
    dims, measures = channel_series(state)
    aggregators: dict[str, str] = {}
    for name, aggregator in measures:
        if aggregators.setdefault(name, aggregator) != aggregator:
            msg = f"{played.where} shows {name!r} both as {aggregators[name]} and {aggregator}; split it into two steps"
            raise DataError(msg)
    missing = [name for name in state.reads if name not in dims]
    if missing:
        shown = ", ".join(f"{aggregator}({name})" for name, aggregator in measures)
        msg = (
            f"{played.where} shows {shown} from {source.label}, which is computed per mark in the "
            f"database, so clicks cannot filter it by {missing}; show a sum, min or max, add "
            f"{missing[0]!r} to the chart, or give the dashboard cross_filter={dims or False}"
        )
        raise DataError(msg)
    if state.filter is not None and state.filter.uses_javascript:
        msg = f"{played.where}: {source.label} is read lazily, so its steps cannot use a JavaScript filter; use Filter.isin or Filter.between"
        raise DataError(msg)
    if state.filter is not None:
        source.check(state.filter, played.where)
    data = source.read(dims, aggregators, where=state.filter, place=played.where)
    # One row per mark now holds the finished number, named as the chart
    # names it ("mean(Units)"), so axes, tooltips and tables read as they
    # would over the rows: Vizzu only has to show it.
    finished = tuple(
        replace(series, name=label(series.name, aggregators[series.name]))
        if isinstance(series, Measure)
        else series
        for series in data.series
    )
    data = VizzuData(series=finished, num_rows=data.num_rows)
    if state.filter is not None:
        data = _as_read_whole(source, state.filter, data)
    return replace(
        step, config=_finished(step.config), filter=_still_holding(state.filter, data), data=data
    )


def _as_read_whole(source: LazySource, where: Filter, data: VizzuData) -> VizzuData:
    """``data``, read through ``where``, with the gaps an eager story gives it over every row.

    In memory a filter hides rows and a chart fills the gaps of its calendar of days from
    the whole column, so each day of the column keeps a slot whatever rows a filter keeps:
    an axis of days read here holds every day of its column (read once, then remembered).
    A filter on a measure's values leaves no gap to keep (a row it drops has a value, so
    "no data" would be untrue): in memory such a chart gets no stand-ins, nor does it here.
    """
    if any(source.roles.get(name) == "measure" for name in where.columns()):
        return VizzuData(
            series=data.series, num_rows=data.num_rows, placeholders_from=data.num_rows
        )
    series = tuple(
        _on_whole_calendar(source, item) if isinstance(item, Dimension) else item
        for item in data.series
    )
    return VizzuData(series=series, num_rows=data.num_rows)


def _on_whole_calendar(source: LazySource, days: Dimension) -> Dimension:
    """``days`` holding every day of its column when it is an axis of days, else as it is."""
    if not days.categories or not is_calendar(days.categories):
        return days
    whole = source.labels(days.name)
    if not is_calendar(whole) or not set(days.categories) <= set(whole):
        return days
    at = {day: code for code, day in enumerate(whole)}
    remap = np.array([at[day] for day in days.categories], dtype=np.int32)
    return Dimension(name=days.name, categories=whole, codes=remap[days.codes])


def _still_holding(where: Filter | None, data: VizzuData) -> Filter | None:
    """The filter a table read through ``where`` is drawn with: ``where`` itself when it
    only lists categories the table holds (it keeps every row read, and the chart keeps to
    them where it fills a gap in a calendar, as in memory), else none (applied already)."""
    if where is None or any(part.op == "not" for part in where.parts()):
        return None
    for leaf in where.leaves():
        series = data[leaf.args[0]] if leaf.args[0] in data.names else None
        if leaf.op != "in" or not isinstance(series, Dimension):
            return None
        if not set(leaf.args[1]) <= set(series.categories):
            return None
    return where


def _finished(config: Mapping[str, Any]) -> dict[str, Any]:
    """``config`` drawing the finished numbers: ``{"name": "Units", "aggregator": "mean"}``
    becomes ``{"name": "mean(Units)"}``, the series that holds them."""

    def plain(value: Any) -> Any:
        if isinstance(value, Mapping) and "aggregator" in value and "name" in value:
            return {"name": label(str(value["name"]), str(value["aggregator"]))}
        if isinstance(value, Mapping):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    result: dict[str, Any] = plain(config)
    return result
