"""Marks with no value keep their place: a chart shows a gap where the data has none.

The engine drops a mark whose value is missing, and with it a category no
other mark holds: a bar with no value leaves no slot, a month nobody
reported closes up on a time axis ("Mar 2022, May 2022" side by side) and a
line or area bridges it. For a chart of bars, lines or areas along a
dimension, :func:`with_stand_ins` adds a stand-in row for each mark the
chart would lose — every category combination the data lists with no value
there, and on a date axis every period of the calendar at the column's own
cadence — after the real rows (``placeholders_from``). A stand-in's measures
are missing: totals, means and counts read the real rows only, the player
keeps the slot without drawing a value in it, and says there is no data.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ipyreport._calendar import fill_periods, is_calendar
from ipyreport._plan import ChartState, channel_series, name_and_aggregator
from ipyreport.data import Dimension, Measure, Series, VizzuData
from ipyreport.presets import _with_periods

__all__ = ["with_stand_ins"]

# Geometries whose marks stand in a row along a dimension axis.
ALONG = ("rectangle", "line", "area")


def with_stand_ins(state: ChartState) -> tuple[tuple[str, ...], VizzuData] | None:
    """The data a chart's state draws with a stand-in row for each mark it would lose.

    Parameters
    ----------
    state
        A chart's state after a step (see :func:`ipyreport._plan.walk`).

    Returns
    -------
    tuple or None
        The dimensions the stand-ins are made over (the chart's, its filter's and
        those a dashboard filters it by) and the data with the stand-ins after its
        rows; ``None`` when the chart loses no mark (or is not bars, lines or areas
        along a dimension, or its data is a timeline's, filled already).
    """
    data = state.data
    keys = _keys(state)
    if keys is None:
        return None
    _, drawn = channel_series(state, labels=False)
    measures = [data[name] for name in dict.fromkeys(name for name, _ in drawn)]
    time = _time_axis(state, data)
    calendar = fill_periods(list(_dimension(data, time).categories)) if time else None
    if time is not None and calendar is not None:
        data = _with_periods(data, time, calendar)
    codes = np.stack([_dimension(data, name).codes for name in keys], axis=1)
    valued = np.zeros(data.num_rows, dtype=bool)
    for measure in measures:
        if isinstance(measure, Measure):
            valued |= ~np.isnan(measure.values.astype(np.float64))
    have = {tuple(row) for row in np.unique(codes[valued], axis=0).tolist()}
    wanted = _wanted(codes, keys, time, calendar)
    missing = sorted(combo for combo in wanted if combo not in have)
    if not missing:
        return None
    return tuple(keys), _appended(data, keys, np.array(missing, dtype=np.int32))


def _keys(state: ChartState) -> list[str] | None:
    """The dimensions a mark of ``state`` is told apart by (with its filter's and the
    dashboard's), or None when stand-ins do not apply to it."""
    config, data = state.config, state.data
    if data.placeholders_from is not None or state.text:
        return None
    if config.get("coordSystem", "cartesian") != "cartesian":
        return None
    if config.get("geometry", "rectangle") not in ALONG:
        return None
    spec = state.filter
    if spec is not None and (
        spec.uses_javascript or any(isinstance(data[name], Measure) for name in spec.columns())
    ):
        return None  # a stand-in would be judged by a value it does not have
    if not _axis_dimensions(state, data):
        return None
    dims, drawn = channel_series(state, labels=False)
    if not drawn:
        return None
    keys = list(dims)
    extra = [*(spec.columns() if spec is not None else ()), *state.reads]
    keys.extend(name for name in extra if name not in keys and name in data.names)
    if any(not isinstance(data[name], Dimension) for name in keys):
        return None
    if any(not _dimension(data, name).categories for name in keys):
        return None
    return keys


def _axis_dimensions(state: ChartState, data: VizzuData) -> list[str]:
    """The dimensions on the chart's axes, x first."""
    names = []
    for channel in ("x", "y"):
        for entry in state.channels.get(channel, []):
            name, _ = name_and_aggregator(entry)
            if name in data.names and isinstance(data[name], Dimension) and name not in names:
                names.append(name)
    return names


def _time_axis(state: ChartState, data: VizzuData) -> str | None:
    """The axis dimension of dates whose calendar has periods the data lacks, if any."""
    for name in _axis_dimensions(state, data):
        categories = list(_dimension(data, name).categories)
        if is_calendar(categories) and len(fill_periods(categories)) > len(categories):
            return name
    return None


def _wanted(
    codes: npt.NDArray[np.int32],
    keys: Sequence[str],
    time: str | None,
    calendar: Sequence[str] | None,
) -> set[tuple[int, ...]]:
    """The marks the chart should show: those the rows list, and on a date axis each
    combination of the other dimensions at every period of the calendar."""
    listed = {tuple(row) for row in np.unique(codes, axis=0).tolist()}
    if time is None or calendar is None:
        return listed
    at = list(keys).index(time)
    others = {combo[:at] + combo[at + 1 :] for combo in listed}
    return {
        (*combo[:at], period, *combo[at:]) for combo in others for period in range(len(calendar))
    }


def _appended(data: VizzuData, keys: Sequence[str], rows: npt.NDArray[np.int32]) -> VizzuData:
    """``data`` with a stand-in row per row of ``rows`` (codes of ``keys``) after its own:
    missing measures, and the first category of any other dimension (nothing reads it)."""
    count = len(rows)
    series: list[Series] = []
    for item in data.series:
        if isinstance(item, Dimension):
            added = rows[:, keys.index(item.name)] if item.name in keys else np.zeros(count)
            codes = np.concatenate([item.codes, added]).astype(np.int32)
            series.append(Dimension(name=item.name, categories=item.categories, codes=codes))
        else:
            values = np.concatenate([item.values.astype(np.float64), np.full(count, np.nan)])
            series.append(
                Measure(name=item.name, values=values, unit=item.unit, log_of=item.log_of)
            )
    return VizzuData(
        series=tuple(series), num_rows=data.num_rows + count, placeholders_from=data.num_rows
    )


def _dimension(data: VizzuData, name: str) -> Dimension:
    series = data[name]
    assert isinstance(series, Dimension)
    return series
