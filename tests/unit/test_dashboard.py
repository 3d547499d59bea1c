"""Dashboard slides: charts that step together and filter each other, exactly."""

import json

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipyreport import Dashboard, Slide, StepError, Story, encode, presets, samples
from ipyreport.data import DataError
from ipyreport.document import step_seconds
from ipyreport.export.video import frame_plan
from ipyreport.lazy import lazy
from ipyreport.spec import SpecError, build, load

SALES_TABLE = samples.sales()
SALES = encode(SALES_TABLE)


def checked(story):
    """The story's findings but the unit reminders ("format"), which these tests are not about."""
    return [finding for finding in story.check() if finding.kind != "format"]


def trend():
    return presets.chart(kind="line", x="Month", y="Revenue", title="Trend")


def regions():
    return presets.chart(kind="bar", x="Region", y="Revenue", title="Regions")


def products():
    return presets.chart(kind="column", x="Product", y="Units", title="Products")


def board_story(*slides, **options):
    return Story(SALES, title="Sales", slides=list(slides), **options)


def test_a_dashboard_holds_two_to_four_charts():
    with pytest.raises(StepError) as one:
        Dashboard(trend(), title="Alone")
    assert str(one.value) == (
        "dashboard 'Alone' has 1 chart(s); it holds 2 to 4 (use Slide for one chart, or two dashboards for more)"
    )
    with pytest.raises(StepError, match="has 5 chart"):
        Dashboard(trend(), regions(), products(), trend(), regions())


def test_the_grid_has_two_columns_unless_told_otherwise():
    assert Dashboard(trend(), regions()).columns == 2
    assert Dashboard(trend(), regions(), products()).columns == 2
    assert Dashboard(trend(), regions(), products(), columns=3).columns == 3
    with pytest.raises(StepError, match="columns must be 1 to 4, got 5"):
        Dashboard(trend(), regions(), columns=5)


def test_cross_filter_takes_names_not_one_string():
    with pytest.raises(StepError, match="cross_filter is True, False or a list of dimension names"):
        Dashboard(trend(), regions(), cross_filter="Region")


def test_charts_step_together_and_a_shorter_chart_holds_its_last_step():
    story = board_story(
        Dashboard(
            [regions(), presets.chart(kind="pie", x="Region", y="Revenue")],
            products(),
            title="Board",
        )
    )
    slide = story.to_dict()["slides"][0]
    assert slide["kind"] == "dashboard"
    assert slide["columns"] == 2
    assert len(slide["steps"]) == 2
    first, second = slide["steps"]
    assert [entry is None for entry in first["charts"]] == [False, False]
    assert [entry is None for entry in second["charts"]] == [False, True]
    assert second["charts"][0]["config"]["coordSystem"] == "polar"
    # the held chart is still described, with its last table
    assert second["tables"][1] == first["tables"][1]
    assert second["alts"][1] == first["alts"][1]
    assert second["shows"] == [["Region"], ["Product"]]
    assert second["names"] == ["chart 1", "Products"]  # the pie has no title of its own
    assert second["alt"].startswith("A dashboard of 2 charts. Chart 1 of 2: A pie chart")
    assert "Chart 2 of 2: Products. A bar chart of Units by Product" in second["alt"]


def test_cross_filter_true_means_every_dimension_the_charts_show():
    story = board_story(Dashboard(trend(), regions(), products()))
    assert story.to_dict()["slides"][0]["crossFilter"] == ["Month", "Region", "Product"]
    assert (
        board_story(Dashboard(trend(), regions(), cross_filter=False)).to_dict()["slides"][0][
            "crossFilter"
        ]
        == []
    )


def test_an_unknown_cross_filter_dimension_names_the_known_ones():
    with pytest.raises(StepError) as error:
        board_story(Dashboard(trend(), regions(), cross_filter=["Regoin"]))
    assert str(error.value) == (
        "slide 1: cross_filter names 'Regoin', which is not a dimension of the data (did you "
        "mean 'Region'?); its dimensions are ['Region', 'Country', 'Product', 'Channel', 'Month']"
    )


def test_a_bad_step_names_its_chart():
    with pytest.raises(StepError, match=r"^slide 2, chart 2, step 1: .*'Revenu'"):
        board_story(
            Slide(regions()),
            Dashboard(trend(), presets.chart(kind="bar", x="Region", y="Revenu")),
        )


def filtered_sums(data, by, where, measure):
    """``measure`` summed per ``by`` over the rows of ``data`` where every column equals its value."""
    table = pa.table(
        {
            # a missing measure stays missing, as Vizzu treats NaN
            series.name: series.labels()
            if hasattr(series, "labels")
            else pa.array(series.values, mask=np.isnan(series.values))
            for series in data.series
        }
    )
    for column, value in where.items():
        table = table.filter(pc.equal(table[column], value))
    grouped = table.group_by(by).aggregate([(measure, "sum")])
    return dict(zip(grouped[by].to_pylist(), grouped[f"{measure}_sum"].to_pylist(), strict=True))


def test_compaction_keeps_the_cross_filter_dimensions_so_filtered_totals_stay_exact():
    story = board_story(Dashboard(regions(), products(), cross_filter=["Region", "Channel"]))
    exported = dict(story._export_datasets())["main"]
    # grouped by what is drawn plus what a click can filter by: far fewer rows, same totals
    assert sorted(exported.names) == ["Channel", "Product", "Region", "Revenue", "Units"]
    assert exported.num_rows < SALES.num_rows / 10
    for where in (
        {"Region": "Europe"},
        {"Channel": "Online"},
        {"Region": "Africa", "Channel": "Retail"},
    ):
        mine = filtered_sums(exported, "Product", where, "Units")
        theirs = filtered_sums(SALES, "Product", where, "Units")
        assert mine.keys() == theirs.keys()
        assert list(mine.values()) == pytest.approx([theirs[key] for key in mine], rel=1e-12)


def test_without_cross_filter_the_data_is_grouped_by_the_charts_alone():
    story = board_story(Dashboard(regions(), products(), cross_filter=False))
    assert sorted(dict(story._export_datasets())["main"].names) == [
        "Product",
        "Region",
        "Revenue",
        "Units",
    ]


def test_a_dashboard_does_not_interrupt_the_main_charts_steps():
    # The main chart goes from slide 1 straight to slide 3; the dashboard plays on its own charts.
    story = board_story(
        Slide(presets.chart(kind="column", x="Region", y="Revenue")),
        Dashboard(
            presets.chart(kind="scatter", x="Revenue", y="Profit", by="Country"),
            presets.chart(kind="pie", x="Channel", y="Units", filter={"Product": ["Phones"]}),
        ),
        Slide(presets.chart(kind="bar", x="Region", y="Revenue")),
    )
    assert checked(story) == []


def test_findings_inside_a_dashboard_name_the_chart():
    story = board_story(
        Dashboard(
            regions(),
            [
                presets.chart(kind="scatter", x="Revenue", y="Profit", by="Country"),
                presets.chart(kind="pie", x="Region", y="Revenue", filter={"Channel": ["Online"]}),
            ],
        )
    )
    findings = checked(story)
    assert [(f.slide, f.chart, f.step, f.kind) for f in findings] == [(1, 2, 2, "everything")]
    assert str(findings[0]).startswith("slide 1, chart 2, step 2: geometry, coordinates")


def test_a_chart_that_cannot_follow_the_cross_filter_is_reported():
    monthly = samples.sales().group_by(["Month"]).aggregate([("Revenue", "sum")])
    monthly = monthly.rename_columns(["Month", "Revenue"])
    story = Story(
        SALES,
        tables={"monthly": monthly},
        slides=[
            Dashboard(
                regions(),
                presets.chart(kind="line", x="Month", y="Revenue").using("monthly"),
                cross_filter=["Region"],
            )
        ],
    )
    findings = checked(story)
    assert [(f.chart, f.kind) for f in findings] == [(2, "crossfilter")]
    assert "clicks in the other charts filter by Region" in findings[0].message


def test_a_lazy_dashboard_keeps_the_cross_filter_dimensions_exactly(tmp_path):
    samples.write_orders(tmp_path, rows=20_000, parts=2, seed=5)
    story = Story(
        lazy(tmp_path),
        slides=[Dashboard(regions(), products(), cross_filter=["Region", "Channel"])],
    )
    assert sorted(story.data.names) == ["Channel", "Product", "Region", "Revenue", "Units"]
    want = duckdb.sql(
        f"select Product, sum(Units) from read_parquet('{tmp_path}/*.parquet') "
        "where Region = 'Europe' group by 1"
    ).fetchall()
    mine = filtered_sums(story.data, "Product", {"Region": "Europe"}, "Units")
    assert mine == pytest.approx(dict(want), rel=1e-12)


def test_a_lazy_mean_that_clicks_would_filter_is_refused_with_the_fix(tmp_path):
    samples.write_orders(tmp_path, rows=5_000, parts=1, seed=5)
    with pytest.raises(DataError) as error:
        Story(
            lazy(tmp_path),
            slides=[
                Dashboard(regions(), presets.chart(kind="column", x="Product", y="mean(Units)")),
            ],
        )
    message = str(error.value)
    assert message.startswith("slide 1, chart 2, step 1 shows mean(Units) from ")
    assert "clicks cannot filter it by ['Region']" in message
    assert "cross_filter=['Product']" in message


def test_video_plans_a_dashboard_step_by_its_longest_chart():
    story = board_story(
        Slide(regions()),
        Dashboard(
            [trend(), presets.chart(kind="area", x="Month", y="Revenue", duration=3)],
            [products(), presets.chart(kind="pie", x="Product", y="Units", duration=2)],
        ),
    )
    assert step_seconds(story.to_dict()) == [1.0, 1.0, 3.0]
    assert frame_plan(story.to_json(), fps=10, hold=0.5) == [5, 10 + 1 + 5, 30 + 1 + 5]


def test_ipyvizzu_story_export_refuses_a_dashboard_by_name():
    story = board_story(Slide(regions()), Dashboard(trend(), products()))
    with pytest.raises(StepError, match="slide 2 is a dashboard"):
        story.to_ipyvizzu_story()


def test_the_story_round_trips_through_json_with_dashboards():
    story = board_story(Slide(regions()), Dashboard(trend(), products()))
    assert json.loads(story.to_json()) == json.loads(json.dumps(story.to_dict()))
    assert repr(story).startswith("Story('Sales': 2 slides, 2 steps")


SPEC = """\
data:
  sample: sales
slides:
  - title: Board
    charts:
      - chart: {kind: line, x: Month, y: Revenue}
      - - chart: {kind: bar, x: Region, y: Revenue}
        - chart: {kind: pie, x: Region, y: Revenue}
    cross_filter: [Region]
"""


def test_a_spec_slide_with_charts_is_a_dashboard(tmp_path):
    path = tmp_path / "board.yaml"
    path.write_text(SPEC)
    story = build(load(path))
    board = story.slides[0]
    assert isinstance(board, Dashboard)
    assert [len(chart) for chart in board.charts] == [1, 2]
    assert board.cross_filter == ("Region",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("    cross_filter: [Region]\n", "    cross_filter: [Region]\n    columns: 9\n"),
            "board.yaml:10:5: slide 1, columns: must be at most 4, got 9",
        ),
        (
            (
                "    charts:\n",
                "    steps: [{chart: {kind: pie, x: Region, y: Revenue}}]\n    charts:\n",
            ),
            "board.yaml:4:5: slide 1: needs exactly one of steps, charts (has steps, charts)",
        ),
    ],
)
def test_spec_dashboard_mistakes_name_the_line_and_field(tmp_path, change, message):
    path = tmp_path / "board.yaml"
    path.write_text(SPEC.replace(*change))
    with pytest.raises(SpecError) as error:
        build(load(path))
    assert str(error.value).removeprefix(str(tmp_path) + "/") == message


def test_values_are_unchanged_by_compaction_for_every_region():
    # The totals a viewer sees after clicking each region equal a filter on the source rows.
    story = board_story(Dashboard(regions(), trend(), products()))
    exported = dict(story._export_datasets())["main"]
    for region in SALES["Region"].categories:
        mine = filtered_sums(exported, "Month", {"Region": region}, "Revenue")
        theirs = filtered_sums(SALES, "Month", {"Region": region}, "Revenue")
        assert np.allclose(
            [mine[key] for key in sorted(mine)], [theirs[key] for key in sorted(mine)], rtol=1e-12
        )


def test_charts_side_by_side_that_colour_by_different_dimensions_are_reported():
    board = Dashboard(
        presets.chart(kind="stacked_column", x="Region", y="Revenue", color="Product"),
        presets.chart(kind="pie", x="Channel", y="Units"),
        presets.chart(kind="stacked_bar", x="Region", y="Units", color="Channel"),
    )
    # Given their own colours (the default), products and channels read apart.
    assert checked(board_story(board)) == []
    shared = "#1b9e77 #d95f02 #7570b3 #e7298a"
    story = Story(SALES, slides=[board], colors={"Product": shared, "Channel": shared})
    findings = checked(story)
    assert [(f.slide, f.step, f.chart, f.kind) for f in findings] == [
        (1, 1, 2, "colors"),
        (1, 1, 3, "colors"),
    ]
    assert str(findings[1]).startswith(
        "slide 1, chart 3, step 1: this chart colours by Channel and chart 1 beside it by Product"
    )


def test_charts_side_by_side_with_one_colour_dimension_or_own_palettes_are_fine():
    same = Dashboard(
        presets.chart(kind="stacked_column", x="Region", y="Revenue", color="Product"),
        presets.chart(kind="pie", x="Product", y="Units"),
    )
    palette = {"plot": {"marker": {"colorPalette": "#1b9e77 #d95f02 #7570b3"}}}
    own = Dashboard(
        presets.chart(kind="stacked_column", x="Region", y="Revenue", color="Product"),
        presets.chart(kind="pie", x="Channel", y="Units", style=palette),
    )
    assert checked(board_story(same)) == []
    assert checked(board_story(own)) == []


DIMENSIONS = ["Region", "Country", "Product", "Channel"]
KINDS = ["column", "bar", "pie", "treemap", "line"]


@settings(max_examples=40, deadline=None)
@given(
    charts=st.lists(
        st.tuples(
            st.sampled_from(KINDS),
            st.sampled_from(DIMENSIONS),
            st.sampled_from(["Revenue", "Units"]),
        ),
        min_size=2,
        max_size=4,
    ),
    cross=st.lists(st.sampled_from(DIMENSIONS), min_size=1, max_size=2, unique=True),
    pick=st.integers(0, 99),
)
def test_any_dashboard_filters_exactly_for_any_pick(charts, cross, pick):
    """Whatever the charts and cross-filter, a filtered chart sums exactly what the rows do."""
    story = board_story(
        Dashboard(
            *(presets.chart(kind=kind, x=dim, y=measure) for kind, dim, measure in charts),
            cross_filter=cross,
        )
    )
    exported = dict(story._export_datasets())["main"]
    column = cross[0]
    categories = SALES[column].categories
    where = {column: categories[pick % len(categories)]}
    for _, dim, measure in charts:
        mine = filtered_sums(exported, dim, where, measure)
        theirs = filtered_sums(SALES, dim, where, measure)
        assert mine.keys() == theirs.keys()
        for key, value in theirs.items():
            assert mine[key] == pytest.approx(value, rel=1e-12, nan_ok=True)
