"""The story document: every output renders it, and it keeps to its JSON Schema."""

from pathlib import Path

import jsonschema
import pytest

from ipyreport import Dashboard, Filter, Slide, Step, Story, document, presets, samples
from ipyreport._engine import engine_problem
from ipyreport.lazy import lazy
from ipyreport.spec import build, load

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = [p for p in sorted((ROOT / "stories").glob("*.yaml")) if p.stem != "orders-at-scale"]
VALIDATOR = jsonschema.Draft202012Validator(document.schema())


def every_feature() -> Story:
    sales = samples.sales()
    return Story(
        sales,
        title="Everything",
        slides=[
            Slide(presets.chart(kind="column", x="Region", y="Revenue"), title="Plain", notes="n"),
            Slide(
                presets.chart(kind="column", x="Region", y="Revenue", title="{Region.top} leads"),
                presets.highlight(
                    where={"Region": "Europe"}, note="{share(Revenue, Region=Europe)}"
                ),
                title="{count(Country)} countries",
                notes="{caption}",
                alt="{sum(Revenue)} in all",
            ),
            Slide(presets.chart(kind="bar", x="Product", y="Revenue"), notes="auto"),
            Slide(
                presets.chart(
                    kind="column", x="Region", y="mean(Units)", filter={"Channel": "Online"}
                )
            ),
            Slide(presets.timeline(sales, time="Month", x="Region", y="Revenue")),
            Slide(Step(config={"x": "Region"}, filter=Filter.raw("r => true"))),
            Dashboard(
                presets.chart(kind="line", x="Month", y="Revenue"),
                [
                    presets.chart(kind="bar", x="Product", y="Revenue"),
                    presets.chart(kind="pie", x="Product", y="Revenue"),
                ],
                title="Board: {sum(Revenue)}",
            ),
        ],
    )


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(document.schema())


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.stem)
def test_example_documents_keep_to_the_schema(spec):
    VALIDATOR.validate(build(load(spec)).to_dict())


def test_a_document_with_every_feature_keeps_to_the_schema():
    made = every_feature().to_dict()
    VALIDATOR.validate(made)
    kinds = [slide.get("kind", "slide") for slide in made["slides"]]
    assert kinds == ["slide", "slide", "slide", "slide", "slide", "slide", "dashboard"]
    assert set(made["slides"][1]["text"]) == {"title", "notes"}
    assert set(made["slides"][1]["steps"][1]["text"]) == {"note", "alt"}
    assert "data1" in made["datasets"]
    assert made["placeholders"]


def test_a_lazily_read_document_keeps_to_the_schema():
    story = Story(
        lazy(samples.sales()),
        slides=[
            Slide(
                presets.chart(
                    kind="column", x="Region", y="mean(Units)", filter={"Channel": "Online"}
                )
            )
        ],
    )
    VALIDATOR.validate(story.to_dict())


def test_the_schema_refuses_what_a_player_could_not_play():
    made = every_feature().to_dict()
    made["slides"][0]["steps"][0]["filter"] = {"in": {"column": "Region", "values": [5]}}
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(made)


def test_json_and_dict_are_the_same_document():
    story = every_feature()
    assert document.load(story.to_json()) == story.to_dict()


def test_durations_and_lengths_are_read_from_the_document():
    made = every_feature().to_dict()
    assert document.slide_lengths(made) == [1, 2, 1, 1, 48, 1, 2]
    seconds = document.step_seconds(made)
    assert seconds[5:53] == [0.8] * 48
    assert len(seconds) == 56
    assert document.cross_filters(made) == {7: ["Month", "Product"]}


def test_a_duration_written_in_seconds_or_milliseconds_lasts_that_long_in_the_video():
    from ipyreport.export.video import frame_plan

    step = presets.chart(kind="column", x="Region", y="Revenue")
    story = Story(
        samples.sales(),
        slides=[
            Slide(
                step,
                step.with_animation(duration="60s"),
                step.with_animation(duration="250ms"),
                step.with_animation(duration=2),
                step.with_animation(duration=" 0.5 s"),
            )
        ],
    )
    made = story.to_json()
    assert document.step_seconds(document.load(made)) == [1.0, 60.0, 0.25, 2.0, 0.5]
    # 10 frames a second: 600 frames (and the end) for the 60 s step, not 10.
    assert frame_plan(made, fps=10, hold=0) == [1, 601, 3, 21, 6]
    written = ["1500ms", "3", "1 min", ".5s", "1e3ms", "-1s", "2S", True, None, -1]
    assert [document.duration_seconds(value) for value in written] == [1.5, 3.0] + [None] * 8
    # What the parser reads is what validate lets through, no more, no less.
    for value in written:
        refused = engine_problem("animation", {"duration": value}) is not None
        assert refused == (document.duration_seconds(value) is None), value


@pytest.mark.parametrize(
    "size", [(1280,), (1280, 720, 3), (1280.0, 720), (True, 720), (32, 720), "1280x720"]
)
def test_a_video_size_that_is_not_two_whole_pixel_counts_is_refused(tmp_path, size):
    from ipyreport.export.video import save_video

    with pytest.raises(ValueError, match=r"a video's size is \(width, height\) in whole pixels"):
        save_video(b"{}", tmp_path / "v.mp4", size=size)
