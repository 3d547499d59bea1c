"""A line chart naming its series at their ends: the step carries it, specs say it, bad input is one line."""

import json

import pytest

from ipyreport import Slide, Story, presets
from ipyreport._errors import StepError
from ipyreport.step import Step

ROWS = {
    "year": ["2000", "2001", "2002", "2000", "2001"],
    "country": ["A", "A", "A", "B", "B"],
    "lifeExp": [70.0, 71.0, 72.0, 60.0, 61.0],
}


def test_ends_labels_the_series_and_its_value_hides_the_legend_and_makes_room():
    step = presets.chart(kind="line", x="year", y="lifeExp", color="country", ends=True)
    assert step.ends is True
    assert step.config["channels"]["label"]["set"] == ["country", "lifeExp"]
    assert step.config["legend"] is None
    assert step.style == {"plot": {"paddingRight": presets.ENDS_ROOM}}
    assert step.to_dict()["ends"] is True


def test_an_authors_style_is_laid_over_the_room_for_the_names():
    step = presets.chart(
        kind="line",
        x="year",
        y="lifeExp",
        color="country",
        ends=True,
        style={"plot": {"paddingLeft": 10}},
    )
    assert step.style == {"plot": {"paddingRight": presets.ENDS_ROOM, "paddingLeft": 10}}


def test_a_step_without_ends_says_nothing_of_it():
    step = presets.chart(kind="line", x="year", y="lifeExp", color="country")
    assert step.ends is False
    assert "ends" not in step.to_dict()


def test_the_document_carries_ends_to_the_player():
    step = presets.chart(kind="line", x="year", y="lifeExp", color="country", ends=True)
    document = json.loads(Story(ROWS, slides=[Slide(step)]).to_json())
    assert document["slides"][0]["steps"][0]["ends"] is True


def test_a_spec_says_ends_true():
    (step,) = presets.make(
        "chart",
        None,
        {"kind": "line", "x": "year", "y": "lifeExp", "color": "country", "ends": True},
    )
    assert step.ends is True


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"kind": "bar", "x": "country", "y": "lifeExp", "ends": True},
            "ends=True names the ends of lines, and a bar chart has none; use kind='line' (or drop ends)",
        ),
        (
            {"kind": "line", "x": "year", "y": "lifeExp", "ends": True},
            "ends=True writes each line's name at its end: name the lines with color=, such as color='country'",
        ),
        (
            {
                "kind": "line",
                "x": "year",
                "y": "lifeExp",
                "color": "country",
                "ends": True,
                "label": "year",
            },
            "ends=True sets the labels (each line's name and last value); drop label='year'",
        ),
        (
            {"kind": "line", "x": "year", "y": "lifeExp", "color": "country", "ends": "yes"},
            "ends takes True or False (names at the lines' ends), got 'yes'",
        ),
    ],
)
def test_ends_on_what_has_no_line_ends_is_one_line_naming_the_fix(arguments, message):
    kind = arguments.pop("kind")
    with pytest.raises(StepError) as raised:
        presets.chart(kind=kind, **arguments)
    assert str(raised.value) == message


def test_a_spec_with_ends_on_a_bar_chart_is_the_same_one_line():
    with pytest.raises(StepError, match="a bar chart has none; use kind='line'"):
        presets.make("chart", None, {"kind": "bar", "x": "country", "y": "lifeExp", "ends": True})


def test_a_step_takes_ends_as_true_or_false_only():
    with pytest.raises(StepError, match="a step's ends is true or false"):
        Step(config={}, ends="yes")  # type: ignore[arg-type]


def test_powerpoint_names_each_line_at_its_own_last_point_without_a_legend(tmp_path):
    from pptx import Presentation

    step = presets.chart(kind="line", x="year", y="lifeExp", color="country", ends=True)
    path = Story(ROWS, slides=[Slide(step)]).save_pptx(tmp_path / "ends.pptx")
    (chart,) = [
        shape.chart for shape in Presentation(str(path)).slides[0].shapes if shape.has_chart
    ]
    assert chart.has_legend is False
    labelled = {
        series.name: [
            (at, point.data_label.text_frame.text)
            for at, point in enumerate(series.points)
            if point.data_label.has_text_frame
        ]
        for series in chart.plots[0].series
    }
    # B has no 2002: it is named at 2001, its own last point.
    assert labelled == {"A": [(2, "A 72")], "B": [(1, "B 61")]}


def test_powerpoint_keeps_the_legend_of_lines_without_ends(tmp_path):
    from pptx import Presentation

    step = presets.chart(kind="line", x="year", y="lifeExp", color="country")
    path = Story(ROWS, slides=[Slide(step)]).save_pptx(tmp_path / "plain.pptx")
    (chart,) = [
        shape.chart for shape in Presentation(str(path)).slides[0].shapes if shape.has_chart
    ]
    assert chart.has_legend is True
    assert not any(
        point.data_label.has_text_frame
        for series in chart.plots[0].series
        for point in series.points
    )
