"""Exports carry data aggregated exactly to what the steps draw."""

import numpy as np
import pytest

from ipyreport import Slide, Story, encode, presets, samples
from ipyreport._compact import compact
from ipyreport._plan import needs as plan
from ipyreport._plan import table, walk
from ipyreport.step import Filter, Step

SALES = encode(samples.sales())


def states(steps, data=SALES):
    return walk(steps, data)


def test_sums_are_grouped_by_every_dimension_any_step_uses():
    steps = [
        presets.chart(kind="stacked_column", x="Region", y="Revenue", color="Product"),
        presets.chart(kind="column", x="Country", y="Revenue", filter={"Channel": ["Online"]}),
    ]
    small = compact(SALES, states(steps))
    assert small.names == ["Region", "Product", "Country", "Channel", "Revenue"]
    assert small.num_rows == 12 * 4 * 3  # countries x products x channels (region follows country)
    assert np.nansum(small["Revenue"].values) == pytest.approx(
        np.nansum(SALES["Revenue"].values), rel=1e-12
    )


def test_every_step_shows_the_same_numbers_from_compacted_data():
    steps = [
        *presets.zoom(SALES, ["Region", "Country", "Product"], ["Europe", "Germany"], y="Revenue"),
        presets.chart(kind="bar", x="Product", y="min(Profit)"),
        presets.chart(
            kind="bar", x="Channel", y="max(Units)", filter=Filter.isin("Region", ["Africa"])
        ),
    ]
    raw = states(steps)
    small = compact(SALES, raw)
    assert small.num_rows < SALES.num_rows / 10
    for full, compacted in zip(raw, states(steps, small), strict=True):
        expected, got = table(full), table(compacted)
        assert got["columns"] == expected["columns"]
        assert [row[:-1] for row in got["rows"]] == [row[:-1] for row in expected["rows"]]
        for mine, theirs in zip(got["rows"], expected["rows"], strict=True):
            assert mine[-1] == pytest.approx(theirs[-1], rel=1e-12)


@pytest.mark.parametrize(
    ("step", "reason"),
    [
        (
            presets.chart(kind="column", x="Region", y="mean(Revenue)"),
            "mean(Revenue) does not decompose over groups",
        ),
        (
            presets.chart(kind="column", x="Region", y="count(Units)"),
            "count(Units) does not decompose over groups",
        ),
        (
            presets.chart(
                kind="column", x="Region", y="Revenue", filter=Filter.between("Revenue", 0, 1e5)
            ),
            "a filter reads 'Revenue' row by row",
        ),
        (
            presets.chart(kind="column", x="Region", y="Revenue", filter=Filter.raw("r => true")),
            "a JavaScript filter may read any column",
        ),
        (Step(config={"x": "Region"}), "a chart without a measure counts records"),
    ],
)
def test_what_does_not_decompose_keeps_every_row(step, reason):
    assert plan(SALES, states([step])).reason == reason
    assert compact(SALES, states([step])) is SALES


def test_a_measure_with_two_aggregators_keeps_every_row():
    steps = [
        presets.chart(kind="column", x="Region", y="Revenue"),
        presets.chart(kind="column", x="Region", y="max(Revenue)"),
    ]
    assert plan(SALES, states(steps)).reason == "'Revenue' is used with both sum and max"


def test_groups_without_values_stay_missing():
    data = encode({"d": ["a", "a", "b"], "m": [1.0, 2.0, None]})
    small = compact(data, states([presets.chart(kind="column", x="d", y="m")], data))
    assert small["m"].to_list() == [3.0, None]


def test_timeline_placeholders_survive_compaction():
    steps = presets.timeline(SALES, time="Month", x="Country", y="Revenue")
    filled = steps[0].data
    small = compact(filled, states(steps))
    assert small.num_rows == 48 * 12
    assert small.placeholders_from == 48 * 12 - (12 * 2 + 17)
    assert np.isnan(small["Revenue"].values[small.placeholders_from :]).all()


def test_story_files_grow_with_what_is_shown_not_with_rows():
    big = encode(samples.sales(rows=200_000))
    story = Story(
        big,
        slides=[
            Slide(presets.chart(kind="stacked_bar", x="Country", y="Revenue", color="Product"))
        ],
    )
    raw = Story(big, slides=story.slides, compact=False)
    assert len(story.to_json()) < len(raw.to_json()) / 100
    names = {series["name"] for series in story.to_dict()["datasets"]["main"]["series"]}
    assert names == {"Country", "Product", "Revenue"}
