"""The engine's own types: what presets make passes, what the engine refuses does not."""

import pytest

from ipyreport import presets
from ipyreport._engine import engine_problem, language_problem


@pytest.mark.parametrize("kind", list(presets.KINDS))
def test_every_preset_makes_a_config_the_engine_takes(kind):
    spec = presets.KINDS[kind]
    roles = {"x": "Region", "y": "Revenue", "color": "Product", "size": "Units", "by": "Country"}
    wanted = {role: roles[role] for role in spec.required}
    if spec.color == "free":
        wanted["color"] = "Product"
    step = presets.chart(kind, **wanted)
    assert engine_problem("config", step.config) is None


def test_staged_transitions_are_animation_options_the_engine_takes():
    before = {"coordSystem": "cartesian", "geometry": "rectangle"}
    after = {"coordSystem": "polar", "geometry": "circle"}
    assert engine_problem("animation", presets.transition(before, after, 1.5)) is None


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
