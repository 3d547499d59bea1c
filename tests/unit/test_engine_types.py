"""The engine's own types: what presets make passes, what the engine refuses does not."""

from pathlib import Path

import pytest

from ipyreport import Slide, Step, StepError, Story, presets, samples
from ipyreport._engine import engine_problem, language_problem
from ipyreport.cli import main
from ipyreport.spec import build, load

OVERVIEW = Path(__file__).parents[2] / "stories" / "sales-overview.yaml"


@pytest.mark.parametrize("kind", list(presets.KINDS))
def test_every_preset_makes_a_config_the_engine_takes(kind):
    spec = presets.KINDS[kind]
    roles = {"x": "Region", "y": "Revenue", "color": "Product", "size": "Units", "by": "Country"}
    wanted = {role: roles[role] for role in spec.required}
    if spec.color == "free":
        wanted["color"] = "Product"
    step = presets.chart(kind=kind, **wanted)
    assert engine_problem("config", step.config) is None


def test_staged_transitions_are_animation_options_the_engine_takes():
    before = {"coordSystem": "cartesian", "geometry": "rectangle"}
    after = {"coordSystem": "polar", "geometry": "circle"}
    assert engine_problem("animation", presets.transition(before, after, 1.5)) is None


def test_a_staged_morph_s_in_between_states_are_what_the_engine_takes():
    # The overview's 100% columns into a pie, as the story stages them (see _motion._legs).
    animations = [
        step["animation"]
        for slide in build(load(OVERVIEW)).to_dict()["slides"]
        for step in slide.get("steps", [])
        if "via" in step.get("animation", {})
    ]
    assert animations
    assert [engine_problem("animation", animation) for animation in animations] == [None] * len(
        animations
    )


@pytest.mark.parametrize(
    ("animation", "problem"),
    [
        (
            {"via": [{"config": {"geometry": "hexagon"}}]},
            "via.0.config.geometry: 'hexagon' is not one of ['rectangle', 'circle', 'area', 'line']",
        ),
        (
            {"via": [{"script": "alert(1)"}]},
            "via.0: {'script': 'alert(1)'} is not a leg (animation, config, style and side)",
        ),
        ({"via": {"config": {}}}, "via: {'config': {}} is not a list"),
    ],
)
def test_a_staged_morph_s_bad_leg_is_named(animation, problem):
    assert engine_problem("animation", animation) == problem


@pytest.mark.parametrize(
    ("part", "value", "problem"),
    [
        (
            "config",
            {"geometry": "hexagon"},
            "geometry: 'hexagon' is not one of ['rectangle', 'circle', 'area', 'line']",
        ),
        (
            "config",
            {"coordSystem": "spherical"},
            "coordSystem: 'spherical' is not one of ['cartesian', 'polar']",
        ),
        (
            "style",
            {"plot": {"marker": {"colorPalette": 5}}},
            "plot.marker.colorPalette: 5 is not a string",
        ),
        (
            "animation",
            {"duration": "abc"},
            "duration: 'abc' is not a duration: write seconds (1.5), '1.5s' or '500ms'",
        ),
        (
            "animation",
            {"easing": 5},
            "easing: 5 is not one of ['none', 'linear', 'step-start', 'step-end', 'ease', 'ease-in', 'ease-out', 'ease-in-out']",
        ),
    ],
)
def test_what_the_engine_refuses_is_named_with_its_field(part, value, problem):
    assert engine_problem(part, value) == problem


@pytest.mark.parametrize(
    "value",
    [
        {"x": "Region", "y": {"set": "Revenue"}},
        {"channels": {"y": ["Revenue", {"name": "Units", "aggregator": "mean"}]}},
        {"channels": {"x": {"set": ["Revenue"], "range": {"min": "10%", "max": "auto"}}}},
    ],
)
def test_the_short_ways_of_writing_channels_are_taken(value):
    assert engine_problem("config", value) is None


def test_animation_durations_and_easings_the_engine_reads():
    assert (
        engine_problem(
            "animation",
            {"duration": "500ms", "delay": 0.2, "easing": "cubic-bezier(0.1, 0.7, 1.0, 0.1)"},
        )
        is None
    )


@pytest.mark.parametrize("tag", ["en", "en-US", "zh-Hant-TW", "de-CH-1996", "es-419"])
def test_language_tags(tag):
    assert language_problem(tag) is None


LENGTH = (
    "write pixels as a number or text such as 12, '12px', '1.2em' (times the font size) or '80%'"
)
COLOR = (
    "write '#rrggbb', '#rgb', '#rrggbbaa', 'rgb(r, g, b)' or 'rgba(r, g, b, a)' "
    "with r, g, b whole numbers from 0 to 255 and a from 0 to 1"
)
EXTREMUM = (
    "write a number in the data's units (100), 'auto', a percentage of the data's range "
    "('110%') or an offset from its min or max ('-10min', '5max')"
)
# The values a review found passing validate and then stopping the engine.
REFUSED = [
    ("style", {"fontSize": "abc"}, f"fontSize: 'abc' is not a length; {LENGTH}"),
    ("style", {"fontSize": "10qq"}, f"fontSize: '10qq' is not a length; {LENGTH}"),
    ("style", {"paddingLeft": "abc"}, f"paddingLeft: 'abc' is not a length; {LENGTH}"),
    ("style", {"legend": {"width": "wide"}}, f"legend.width: 'wide' is not a length; {LENGTH}"),
    (
        "style",
        {"plot": {"marker": {"colorGradient": "red 0, blue"}}},
        "plot.marker.colorGradient: 'red 0, blue' is not a colour gradient; write stops "
        "separated by commas, each a hex colour and a position from 0 to 1, positions rising, "
        "such as '#003f5c 0, #ffa600 1'",
    ),
    (
        "style",
        {"backgroundColor": "rgba(1,2)"},
        f"backgroundColor: 'rgba(1,2)' is not a colour the engine reads; {COLOR}",
    ),
    (
        "style",
        {"plot": {"xAxis": {"label": {"angle": "sideways"}}}},
        "plot.xAxis.label.angle: 'sideways' is not an angle; write radians as a number (1.57) "
        "or text such as '90deg', '0.25turn', '100grad' or '1.57rad'",
    ),
    (
        "config",
        {"y": {"set": "Revenue", "range": {"min": "foo"}}},
        f"y.range.min: 'foo' is not a range end; {EXTREMUM}",
    ),
    (
        "config",
        {"channels": {"y": {"range": {"max": "5%%"}}}},
        f"channels.y.range.max: '5%%' is not a range end; {EXTREMUM}",
    ),
]


@pytest.mark.parametrize(("part", "value", "problem"), REFUSED)
def test_text_forms_the_engine_cannot_read_are_named_with_the_form_to_write(part, value, problem):
    assert engine_problem(part, value) == problem


@pytest.mark.parametrize(("part", "value", "problem"), REFUSED)
def test_a_step_with_a_value_the_engine_cannot_read_is_refused(part, value, problem):
    if part == "config":
        step = Step(config=value)
    else:
        step = Step(config={"x": "Region", "y": "Revenue"}, style=value)
    with pytest.raises(StepError) as raised:
        Story(samples.sales(), slides=[Slide(step)])
    assert str(raised.value) == (
        f"slide 1, step 1: the chart engine cannot take this {part}: {problem}"
    )


def test_a_story_style_the_engine_cannot_read_is_refused():
    with pytest.raises(StepError) as raised:
        Story(
            samples.sales(),
            slides=[Slide(Step(config={"x": "Region", "y": "Revenue"}))],
            style={"tooltip": {"shadowColor": "gray"}},
        )
    assert str(raised.value) == (
        "the story's style: the chart engine cannot take it: tooltip.shadowColor: 'gray' is not "
        f"a colour the engine reads (the engine knows no colour names); {COLOR}"
    )


def test_a_spec_with_a_value_the_engine_cannot_read_fails_validate(tmp_path, capsys):
    spec = tmp_path / "story.yaml"
    spec.write_text(
        "title: Small\ndata:\n  sample: sales\nslides:\n  - steps:\n"
        "      - chart: {kind: column, x: Region, y: Revenue}\n"
        "        style: {fontSize: abc}\n"
    )
    assert main(["validate", str(spec)]) == 1
    assert capsys.readouterr().err == (
        f"{spec}:7:9: slide 1, step 1, style: the chart engine cannot take this style: "
        f"fontSize: 'abc' is not a length; {LENGTH}\n"
    )


@pytest.mark.parametrize(
    ("part", "value"),
    [
        ("style", {"fontSize": 12, "paddingLeft": "1.5em", "legend": {"width": "10px+20%"}}),
        ("style", {"backgroundColor": "#fff", "borderColor": " rgba( 0, 0, 255, 0.5 ) "}),
        ("style", {"plot": {"marker": {"colorGradient": "#003f5c 0, #ffa600 1"}}}),
        ("style", {"plot": {"marker": {"colorPalette": "#003f5c rgb(1, 2, 3) #ffa600cc"}}}),
        ("style", {"plot": {"marker": {"label": {"filter": "color(#ff0000)", "angle": "45deg"}}}}),
        (
            "style",
            {"logo": {"filter": "lightness(-0.5)"}, "plot": {"xAxis": {"label": {"angle": -1}}}},
        ),
        ("style", {"fontSize": None, "backgroundColor": None}),
        ("config", {"y": {"set": "Revenue", "range": {"min": "-10min", "max": "110%"}}}),
        ("config", {"channels": {"x": {"range": {"min": 0, "max": "5 max"}}}, "color": "Region"}),
    ],
)
def test_text_forms_the_engine_reads_are_taken(part, value):
    assert engine_problem(part, value) is None


@pytest.mark.parametrize(
    ("part", "value"),
    [
        # The engine's number reader aborts on what a double cannot hold.
        ("config", {"y": {"set": "Revenue", "range": {"min": -2.225073858507e-311}}}),
        ("style", {"fontSize": "1e-400"}),
        ("style", {"fontSize": 1e300}),
        # Forms C's reader takes but nobody means: digits of other scripts, inf, hex, +.
        ("style", {"fontSize": "\u0661\u0662px"}),
        ("style", {"fontSize": "inf"}),
        ("style", {"paddingLeft": "0x10"}),
        ("style", {"fontSize": "1e+3"}),
        # Read silently as something else: black, a wrapped channel, no colour at all.
        ("style", {"backgroundColor": "rgb(a, 1, 1)"}),
        ("style", {"backgroundColor": "rgb(300, 1, 1)"}),
        ("style", {"backgroundColor": ""}),
        ("style", {"plot": {"marker": {"label": {"filter": "blur"}}}}),
    ],
)
def test_numbers_and_colours_the_engine_misreads_or_cannot_hold_are_refused(part, value):
    assert engine_problem(part, value) is not None


@pytest.mark.parametrize(
    ("written", "field", "seconds"),
    [
        ("100000", "duration", "100,000"),
        ("'700s'", "duration", "700"),
        ("'900000ms'", "delay", "900"),
    ],
)
def test_a_step_longer_than_ten_minutes_fails_validate(tmp_path, capsys, written, field, seconds):
    spec = tmp_path / "story.yaml"
    spec.write_text(
        "data:\n  sample: sales\nslides:\n  - steps:\n"
        "      - chart: {kind: column, x: Region, y: Revenue}\n"
        f"        animation: {{{field}: {written}}}\n"
    )
    assert main(["validate", str(spec)]) == 1
    error = capsys.readouterr().err
    assert f"{field}: {written} is {seconds} s; a step's {field} is at most 600 s" in error
    assert error.count("\n") == 1


def test_a_step_of_ten_minutes_is_taken():
    from ipyreport._engine import engine_problem

    assert engine_problem("animation", {"duration": "600s", "x": {"delay": 600}}) is None
