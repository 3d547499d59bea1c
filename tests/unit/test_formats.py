"""Numbers and dates read the same in every output: one format per measure or date column."""

import pytest

from ipyreport import Format, Slide, StepError, Story, presets, samples
from ipyreport.formats import MISSING, date_labels, format_number, parse_format, resolve_number


def shown(value, fmt=None, lang="en", **options):
    return format_number(
        value, resolve_number(parse_format(fmt or Format(), lang), lang), **options
    )


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (323_764_017.77, "$", "$323.8M"),
        (1_234_567_890, "$", "$1.2bn"),
        (845.5, "$", "$845.50"),
        (845, "units", "845 units"),
        (12_500, "units", "12.5K units"),
        (999_960, None, "1.0M"),  # not 1000.0K
        (999.96, None, "999.96"),
        (-2_500_000, "$", "-$2.5M"),
        (-0.001, None, "0.00"),  # no minus on a number that rounds to zero
        # A positive number too small for its digits is less than the smallest they show.
        (0.04, "%", "0.04%"),
        (0.004, Format(suffix="%", decimals=1), "<0.1%"),
        (0.001, "$", "<$0.01"),
        (0.4, Format(decimals=0), "<1"),
        (0.0, Format(suffix="%", decimals=1), "0.0%"),
        (2.5, Format(decimals=0), "3"),  # a tie goes up, as in JavaScript
        (12.5, "%", "12.50%"),
        (1_234_567.891, "plain", "1,234,567.89"),
        (323_764_017.77, Format(prefix="$", scale="M", decimals=0), "$324M"),
        (None, "$", MISSING),
        (float("nan"), "$", MISSING),
    ],
)
def test_numbers_read_like_a_report(value, fmt, text):
    assert shown(value, fmt) == text


def test_axis_ticks_drop_trailing_zeros():
    assert shown(2_000_000, "$", trim=True) == "$2M"
    assert shown(2_500_000, "$", trim=True) == "$2.5M"


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "1,234.57 units"), ("de", "1.234,57 units"), ("fr", "1\u202f234,57 units")],
)
def test_separators_follow_the_story_language(lang, text):
    assert shown(1234.567, Format(suffix=" units", scale="none"), lang) == text


def test_a_currency_goes_where_the_language_writes_it():
    assert shown(5e6, "€", "en") == "€5.0M"
    assert shown(5e6, "€", "de") == "5,0\u00a0Mio.\u00a0€"


@pytest.mark.parametrize(
    ("labels", "precision", "first"),
    [
        (["2021-01-01", "2021-02-01"], None, "Jan 2021"),
        (["2021-01-01", "2022-01-01"], None, "2021"),
        (["2021-01-05", "2021-02-01"], None, "Jan 5, 2021"),
        (["2021-01-01", "2021-04-01"], "quarter", "2021 Q1"),
        (["2021-01-01", "2021-02-01"], "iso", None),
    ],
)
def test_dates_read_at_their_precision(labels, precision, first):
    shown_labels = date_labels(labels, precision, "en")
    assert shown_labels.get(labels[0]) == first


def test_a_precision_that_merges_two_dates_is_refused():
    with pytest.raises(
        StepError,
        match=r"Month has 2021-01-01 and 2021-02-01, which would both read '2021 Q1' as quarters",
    ):
        date_labels(["2021-01-01", "2021-02-01"], "quarter", "en", name="Month")


def story(**formats):
    return Story(
        samples.sales(),
        slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))],
        formats=formats,
    )


def test_a_story_reads_its_measures_and_dates_in_their_formats():
    document = story(Revenue="$").to_dict()
    assert document["formats"]["Revenue"]["prefix"] == "$"
    assert document["labels"]["Month"]["2021-03-01"] == "Mar 2021"
    assert "Americas $323.8M" in document["slides"][0]["steps"][0]["alt"]


def test_a_timeline_step_title_reads_like_its_date():
    timeline = presets.timeline(samples.sales(), time="Month", x="Region", y="Revenue")
    document = Story(samples.sales(), slides=[Slide(*timeline[:2])]).to_dict()
    titles = [step["config"]["title"] for step in document["slides"][0]["steps"]]
    assert titles == ["Jan 2021", "Feb 2021"]


@pytest.mark.parametrize(
    ("formats", "message"),
    [
        ({"Revenu": "$"}, "formats: no column named 'Revenu' (did you mean 'Revenue'?)"),
        ({"Revenue": "month"}, "formats: 'Revenue' is a measure; 'month' formats dates"),
        ({"Region": "$"}, "formats: 'Region' is a dimension; number formats are for measures"),
        ({"Region": "month"}, "formats: 'Region' holds no dates (such as 'Americas')"),
        ({"Revenue": {"decimal": 2}}, "a format has no field 'decimal' (did you mean 'decimals'?)"),
        ({"Revenue": {"scale": "millions"}}, "a format's scale is one of auto, none, K, M, bn, tn"),
    ],
)
def test_a_wrong_format_names_the_column_and_the_fix(formats, message):
    with pytest.raises(StepError) as caught:
        story(**formats)
    assert message in str(caught.value)


def test_a_measure_unit_is_its_default_suffix():
    data = {"Region": ["a", "b"], "Weight": [1500.0, 20.0]}
    from ipyreport import encode

    document = Story(
        encode(data, units={"Weight": "kg"}),
        slides=[Slide(presets.chart(kind="column", x="Region", y="Weight"))],
    ).to_dict()
    assert "a 1.5K kg" in document["slides"][0]["steps"][0]["alt"]


def test_a_pandas_period_is_the_date_it_starts_on():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "Month": pd.period_range("2021-01", periods=3, freq="M"),
            "Quarter": pd.PeriodIndex(["2021Q1", None, "2021Q3"], freq="Q"),
            "Revenue": [1.0, 2.0, 3.0],
        }
    )
    story = Story(
        frame,
        slides=[Slide(presets.chart(kind="column", x="Month", y="Revenue"))],
        formats={"Quarter": "quarter"},
    )
    document = story.to_dict()
    assert document["labels"]["Month"] == {
        "2021-01-01": "Jan 2021",
        "2021-02-01": "Feb 2021",
        "2021-03-01": "Mar 2021",
    }
    assert document["labels"]["Quarter"] == {"2021-01-01": "2021 Q1", "2021-07-01": "2021 Q3"}


def test_a_log_series_reads_as_the_number_it_is_the_logarithm_of():
    resolved = {**resolve_number(Format(prefix="$"), "en"), "log": True}
    assert [format_number(v, resolved, trim=True) for v in (2, 3, 4, 5, 6)] == [
        "$100",
        "$1K",
        "$10K",
        "$100K",
        "$1M",
    ]
    assert format_number(None, resolved) == "\u2013"
