"""What each step shows, in words and as a table, for people who cannot see the chart.

For every step the story computes, from its config, filter and data, the
numbers the chart draws (grouped and aggregated exactly as Vizzu does) and
a sentence naming the chart type, its series and the top values. The
player announces the sentence and can show the table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ipyreport._filters import KEEP_FILTER, Filter
from ipyreport._filters import mask as filter_mask
from ipyreport.data import Dimension, Measure, VizzuData
from ipyreport.step import Step, data_of

CHANNELS = ("x", "y", "color", "lightness", "size", "noop", "label")
MAX_TABLE_ROWS = 100
TOP_VALUES = 3
ARROW_AGGREGATES = {
    "sum": "sum",
    "mean": "mean",
    "min": "min",
    "max": "max",
    "count": "count",
    "distinct": "count_distinct",
}


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


def walk(steps: Sequence[Step], main: VizzuData) -> list[ChartState]:
    """The chart state after each step, applying partial configs like Vizzu does."""
    states = []
    channels: dict[str, list[Any]] = {}
    config: dict[str, Any] = {}
    current_filter: Filter | None = None
    palette: str | None = None
    data = main
    for step in steps:
        marker = ((step.style or {}).get("plot") or {}).get("marker") or {}
        palette = marker.get("colorPalette", palette)
        for key, value in step.config.items():
            if key == "channels":
                for name, channel in value.items():
                    channels[name] = _entries(channel)
            elif key in CHANNELS:
                channels[key] = _entries(value)
            else:
                config[key] = value
        if step.filter is not KEEP_FILTER:
            current_filter = step.filter
        if step.data is not None:
            data = data_of(step, main)
        states.append(ChartState(dict(channels), dict(config), current_filter, data, palette))
    return states


def _entries(channel: Any) -> list[Any]:
    entries = channel.get("set", None) if isinstance(channel, Mapping) else channel
    if entries is None:
        return []
    if isinstance(entries, (str, Mapping)):
        return [entries]
    return list(entries)


def _name_and_aggregator(entry: Any) -> tuple[str, str]:
    if isinstance(entry, Mapping):
        return str(entry.get("name")), str(entry.get("aggregator") or "sum")
    text = str(entry)
    for aggregator in ARROW_AGGREGATES:
        if text.startswith(f"{aggregator}(") and text.endswith(")"):
            return text[len(aggregator) + 1 : -1], aggregator
    return text, "sum"


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
            name, aggregator = _name_and_aggregator(entry)
            if name not in state.data.names:
                continue
            if isinstance(state.data[name], Dimension):
                if name not in dims:
                    dims.append(name)
            elif (name, aggregator) not in measures:
                measures.append((name, aggregator))
    return dims, measures


def table(state: ChartState) -> dict[str, Any] | None:
    """The numbers the chart draws: one row per mark, dimensions then measures."""
    if state.filter is not None and state.filter.uses_javascript:
        return None
    data = state.data
    dims, measures = channel_series(state, labels=False)
    if not dims and not measures:
        return None
    mask = filter_mask(state.filter, data)
    arrays = {}
    for name in dims:
        series = data[name]
        assert isinstance(series, Dimension)
        arrays[name] = pa.DictionaryArray.from_arrays(
            pa.array(series.codes[mask]), pa.array(series.categories, pa.string())
        )
    for name, _ in measures:
        series = data[name]
        assert isinstance(series, Measure)
        values = series.values[mask].astype(np.float64)
        arrays[name] = pa.array(values, pa.float64(), mask=np.isnan(values))
    rows_table = pa.table(arrays) if arrays else pa.table({})
    aggregations = [(name, ARROW_AGGREGATES.get(agg, "sum")) for name, agg in measures]
    if dims:
        grouped = rows_table.group_by(dims, use_threads=False).aggregate(aggregations)
        sort_keys = [(name, "ascending") for name in dims]
        order = pc.sort_indices(_category_order(grouped, dims, data), sort_keys=sort_keys)
        grouped = grouped.take(order)
        columns = dims + [_label(name, agg) for name, agg in measures]
        result_names = dims + [
            f"{name}_{ARROW_AGGREGATES.get(agg, 'sum')}" for name, agg in measures
        ]
    else:
        grouped = pa.table(
            {f"{name}_{agg}": [_scalar(rows_table[name], agg)] for name, agg in measures}
        )
        columns = [_label(name, agg) for name, agg in measures]
        result_names = [f"{name}_{agg}" for name, agg in measures]
    total = grouped.num_rows
    shown = grouped.slice(0, MAX_TABLE_ROWS)
    rows = [list(row) for row in zip(*(_plain(shown[n]) for n in result_names), strict=True)]
    return {"columns": columns, "rows": rows, "total": total, "measures": len(measures)}


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


def _label(name: str, aggregator: str) -> str:
    return name if aggregator == "sum" else f"{aggregator}({name})"


def chart_type(config: Mapping[str, Any], channels: Mapping[str, list[Any]]) -> str:
    """A reader's name for the chart a config draws."""
    geometry = config.get("geometry", "rectangle")
    polar = config.get("coordSystem") == "polar"
    has_axes = bool(channels.get("x") or channels.get("y"))
    stretched = config.get("align") == "stretch"
    if geometry == "line":
        return "line chart"
    if geometry == "area":
        return "percentage area chart" if stretched else "area chart"
    if geometry == "circle":
        return "scatter plot" if has_axes else "bubble chart"
    if not has_axes:
        return "treemap"
    if polar:
        return "pie chart" if not channels.get("y") else "radial chart"
    return "percentage bar chart" if stretched else "bar chart"


def alt_text(state: ChartState, rows: dict[str, Any] | None) -> str:
    """One or two sentences: chart type, what it shows, and its top values."""
    title = state.config.get("title")
    measures: list[str] = []
    dims: list[str] = []
    for channel in ("x", "y", "color", "size", "lightness"):
        for entry in state.channels.get(channel, []):
            name, aggregator = _name_and_aggregator(entry)
            if name not in state.data.names:
                continue
            if isinstance(state.data[name], Measure):
                measures.append(_label(name, aggregator))
            else:
                dims.append(name)
    kind = chart_type(state.config, state.channels)
    what = f"A {kind}"
    if measures:
        what += f" of {', '.join(dict.fromkeys(measures))}"
    if dims:
        what += f" by {', '.join(dict.fromkeys(dims))}"
    sentences = [f"{title}." if title else "", what + "."]
    if rows and rows["rows"] and rows["measures"]:
        dim_count = len(rows["columns"]) - rows["measures"]
        value_at = dim_count
        ranked = sorted(
            (row for row in rows["rows"] if row[value_at] is not None),
            key=lambda row: row[value_at],
            reverse=True,
        )
        if dim_count and ranked:
            top = ", ".join(
                f"{' '.join(map(str, row[:dim_count]))} {_short(row[value_at])}"
                for row in ranked[:TOP_VALUES]
            )
            sentences.append(f"Highest {rows['columns'][value_at]}: {top}.")
            if len(ranked) > TOP_VALUES:
                low = ranked[-1]
                sentences.append(
                    f"Lowest: {' '.join(map(str, low[:dim_count]))} {_short(low[value_at])}."
                )
        elif ranked:
            sentences.append(f"Total {rows['columns'][value_at]}: {_short(ranked[0][value_at])}.")
        else:
            sentences.append("No values are shown here.")
    return " ".join(s for s in sentences if s)


def _short(value: float) -> str:
    """3 significant digits with a k/M/B suffix: 323764017.77 -> '324M'."""
    magnitude = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if magnitude >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}"
