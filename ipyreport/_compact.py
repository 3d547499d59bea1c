"""Aggregate a story's data exactly to what its steps draw, before export.

Vizzu draws one mark per combination of the dimensions on a chart's
channels and aggregates the measure over the records in it. If every step
of a dataset only sums, or only takes minima or maxima of, each measure,
then grouping the records by every dimension any step uses (on a channel or
in a filter) and aggregating the same way gives Vizzu exactly the numbers it
would compute from the raw rows — from far fewer rows. Anything that does
not decompose like that (means, counts, distinct counts, a measure used
with two aggregators, a filter on a measure's raw values, or a JavaScript
filter whose columns are unknown) keeps the dataset as it is, and
:func:`ipyreport._plan.needs` says why.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ipyreport._plan import ChartState, Needs, needs
from ipyreport.data import Dimension, Measure, VizzuData, is_whole


def compact(data: VizzuData, states: Sequence[ChartState]) -> VizzuData:
    """``data`` grouped and aggregated to what ``states`` draw, or ``data`` itself if that is not exact."""
    wanted = needs(data, states)
    if wanted.reason is not None:
        return data
    cut = data.placeholders_from if data.placeholders_from is not None else data.num_rows
    real = _aggregate(data, wanted, slice(0, cut))
    if cut == data.num_rows:
        return real
    placeholders = _aggregate(data, wanted, slice(cut, data.num_rows))
    series = tuple(
        _concatenate(a, b) for a, b in zip(real.series, placeholders.series, strict=True)
    )
    return VizzuData(
        series=series,
        num_rows=real.num_rows + placeholders.num_rows,
        placeholders_from=real.num_rows,
    )


def _aggregate(data: VizzuData, wanted: Needs, rows: slice) -> VizzuData:
    dims = [data[name] for name in wanted.dimensions]
    if dims:
        keys = np.stack([d.codes[rows] for d in dims if isinstance(d, Dimension)], axis=1)
        groups, inverse = np.unique(keys, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
    else:
        size = len(range(*rows.indices(data.num_rows)))
        groups, inverse = (
            np.zeros((1 if size else 0, 0), dtype=np.int32),
            np.zeros(size, dtype=np.intp),
        )
    count = len(groups)
    series: list[Dimension | Measure] = []
    for position, dim in enumerate(dims):
        assert isinstance(dim, Dimension)
        series.append(
            Dimension(
                name=dim.name, categories=dim.categories, codes=groups[:, position].astype(np.int32)
            )
        )
    for name, aggregator in wanted.measures.items():
        measure = data[name]
        assert isinstance(measure, Measure)
        values = measure.values[rows].astype(np.float64)
        reduced = _reduce(values, inverse, count, aggregator)
        if aggregator == "sum" and is_whole(measure.values):
            reduced = _exact_sums(values, inverse, reduced)
        series.append(Measure(name=name, values=reduced, unit=measure.unit, log_of=measure.log_of))
    return VizzuData(series=tuple(series), num_rows=count)


def _reduce(
    values: npt.NDArray[np.float64], groups: npt.NDArray[np.intp], count: int, aggregator: str
) -> npt.NDArray[np.float64]:
    present = ~np.isnan(values)
    seen = np.bincount(groups[present], minlength=count)
    if aggregator == "sum":
        result = np.bincount(groups[present], weights=values[present], minlength=count).astype(
            np.float64
        )
    else:
        start = np.inf if aggregator == "min" else -np.inf
        result = np.full(count, start)
        (np.minimum if aggregator == "min" else np.maximum).at(
            result, groups[present], values[present]
        )
    # A group with no values stays missing, as Vizzu would show it.
    result[seen == 0] = np.nan
    return result


def _exact_sums(
    values: npt.NDArray[np.float64], groups: npt.NDArray[np.intp], sums: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Sums of whole numbers added as integers (exact), missing where ``sums`` is missing.

    The story's plan has already refused any sum past 2**53, so each fits a float exactly.
    """
    present = ~np.isnan(values)
    exact = np.zeros(len(sums), dtype=np.int64)
    np.add.at(exact, groups[present], values[present].astype(np.int64))
    return np.where(np.isnan(sums), np.nan, exact.astype(np.float64))


def _concatenate(first: Dimension | Measure, second: Dimension | Measure) -> Dimension | Measure:
    if isinstance(first, Dimension) and isinstance(second, Dimension):
        return Dimension(
            name=first.name,
            categories=first.categories,
            codes=np.concatenate([first.codes, second.codes]),
        )
    assert isinstance(first, Measure)
    assert isinstance(second, Measure)
    return Measure(
        name=first.name,
        values=np.concatenate([first.values, second.values]),
        unit=first.unit,
        log_of=first.log_of,
    )
