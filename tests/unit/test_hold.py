"""How long play mode rests on a step: the story's, a slide's or a step's own."""

import pytest

from ipyreport import Slide, Step, StepError, Story, presets, samples
from ipyreport.document import step_seconds
from ipyreport.spec import build, loads


def column():
    return presets.chart(kind="column", x="Region", y="Revenue")


def test_the_document_carries_each_level_of_hold():
    story = Story(
        samples.sales(),
        slides=[Slide(column()), Slide(column(), hold=4)],
        hold=1.5,
    )
    document = story.to_dict()
    assert document["hold"] == 1.5
    assert "hold" not in document["slides"][0]
    assert document["slides"][1]["hold"] == 4


def test_a_timeline_rests_briefly_on_each_moment():
    steps = presets.timeline(samples.sales(), time="Month", x="Region", y="Revenue")
    assert {step.hold for step in steps} == {0.25}
    slow = presets.timeline(samples.sales(), time="Month", x="Region", y="Revenue", hold=1)
    assert slow[0].to_dict()["hold"] == 1


@pytest.mark.parametrize("hold", [-1, "2s", True, 1e9])
def test_a_hold_that_is_not_seconds_is_refused(hold):
    with pytest.raises(StepError, match=r"hold: seconds from 0 to 3600, got "):
        Step(config={"x": "Region"}, hold=hold)
    with pytest.raises(StepError, match=r"slide 'T': hold: seconds from 0 to 3600"):
        Slide(column(), title="T", hold=hold)
    with pytest.raises(StepError, match=r"the story's hold: seconds from 0 to 3600"):
        Story(samples.sales(), slides=[Slide(column())], hold=hold)


def test_a_spec_sets_hold_for_the_story_a_slide_and_a_step(tmp_path):
    text = """
data: {sample: sales}
hold: 3
slides:
  - hold: 1
    steps:
      - chart: {kind: column, x: Region, y: Revenue}
        hold: 0.5
      - chart: {kind: pie, x: Region, y: Revenue}
"""
    document = build(loads(text, tmp_path / "s.yaml")).to_dict()
    slide = document["slides"][0]
    assert (document["hold"], slide["hold"]) == (3, 1)
    assert [step.get("hold") for step in slide["steps"]] == [0.5, None]


def test_the_video_rests_each_moment_of_a_timeline_as_play_mode_does():
    """48 monthly moments rest 0.25 s each in play mode: 12 s of rests, not 48 s."""
    from ipyreport.export.video import frame_plan

    steps = presets.timeline(samples.sales(), time="Month", x="Region", y="Revenue")
    story = Story(samples.sales(), slides=[Slide(steps)])
    document = story.to_json()
    assert story.to_dict()["rests"] == [0.25] * 48
    fps = 4
    transitions = [max(round(seconds * fps), 1) + 1 for seconds in step_seconds(story.to_dict())]
    rested = sum(frame_plan(document, fps=fps)) - sum(transitions[1:])
    assert rested == 48  # 48 moments x 0.25 s x 4 frames a second: 12 s
    assert sum(frame_plan(document, fps=fps, hold=1)) - sum(transitions[1:]) == 48 * fps


def test_play_mode_and_the_video_rest_by_one_rule():
    story = Story(
        samples.sales(),
        slides=[
            Slide(column()),
            Slide(column(), Step(config={"x": "Product"}, hold=0.5), hold=4),
        ],
        hold=1.5,
    )
    assert story.to_dict()["rests"] == [1.5, 4.0, 0.5]
    assert Story(samples.sales(), slides=[Slide(column())]).to_dict()["rests"] == [2.0]
