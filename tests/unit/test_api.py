"""The public API as a user meets it: what `import ipyreport` reaches, one keyword order for
every preset, renamed keywords that still work with a warning, stories that cannot go stale,
and reprs that read."""

import subprocess
import sys

import pytest

PUBLIC_SUBMODULES = ("check", "lake", "lazy", "presets", "samples", "spec", "themes")

SUBMODULE_PROBE = """
import sys
import ipyreport
before = sorted(m for m in ("pyarrow", "ipyreport.presets", "ipyreport.story") if m in sys.modules)
listed = [name for name in {names!r} if name in dir(ipyreport)]
reached = [getattr(ipyreport, name).__name__ for name in {names!r}]
print(before)
print(listed)
print(reached)
"""


def test_public_submodules_are_attributes_listed_by_dir_and_imported_on_first_use():
    """In a fresh process: `import ipyreport` imports none of them (nor pyarrow), `dir`
    lists them, and `ipyreport.presets` is the module."""
    probe = SUBMODULE_PROBE.format(names=PUBLIC_SUBMODULES)
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines() == [
        "[]",
        str(list(PUBLIC_SUBMODULES)),
        str([f"ipyreport.{name}" for name in PUBLIC_SUBMODULES]),
    ]


def test_an_unknown_attribute_is_still_an_attribute_error():
    import ipyreport

    with pytest.raises(AttributeError) as caught:
        ipyreport.prests  # noqa: B018
    assert str(caught.value) == "module 'ipyreport' has no attribute 'prests'"


# --- a story that cannot go stale ----------------------------------------------------------


def _covered_story(tmp_path, title):
    from ipyreport import Slide, Story, presets, samples

    (tmp_path / "covers.yaml").write_text("base: light\ntitle_slide: true\n")
    slides = [Slide(presets.chart("column", x="Region", y="Revenue"), title="By region")]
    return Story(samples.sales(), title=title, slides=slides, theme=tmp_path / "covers.yaml")


def test_a_story_title_cannot_be_changed_in_place(tmp_path):
    story = _covered_story(tmp_path, "Old")
    with pytest.raises(AttributeError) as caught:
        story.title = "New"
    assert str(caught.value) == (
        "a Story cannot be changed in place (what it shows is worked out from all of it at "
        "once); make a new one with story.replace(title='New')"
    )
    assert story.to_dict()["slides"][0]["title"] == "Old"


def test_replace_gives_a_story_whose_cover_and_document_agree_on_the_new_title(tmp_path):
    old = _covered_story(tmp_path, "Old")
    new = old.replace(title="New")
    document = new.to_dict()
    assert document["title"] == "New"
    assert (document["slides"][0]["kind"], document["slides"][0]["title"]) == ("cover", "New")
    assert document["slides"][0]["steps"][0]["alt"] == "Title slide: New."
    # The old story is left as it was, and its data was not read again.
    assert old.to_dict()["slides"][0]["title"] == "Old"
    assert new.data is old.data


def test_replace_reads_again_what_new_slides_draw():
    from ipyreport import Slide, Story, presets, samples

    story = Story(samples.sales(), slides=[Slide(presets.chart("column", x="Region", y="Revenue"))])
    other = story.replace(slides=[Slide(presets.chart("column", x="Channel", y="Profit"))])
    assert other.to_dict()["slides"][0]["steps"][0]["table"]["columns"] == ["Channel", "Profit"]
    assert story.to_dict()["slides"][0]["steps"][0]["table"]["columns"] == ["Region", "Revenue"]


def test_replace_names_the_keywords_a_story_takes():
    from ipyreport import Slide, Story, presets, samples

    story = Story(samples.sales(), slides=[Slide(presets.chart("column", x="Region", y="Revenue"))])
    with pytest.raises(TypeError, match=r"unknown keyword 'titel' \(did you mean 'title'\?\)"):
        story.replace(titel="New")


def test_slides_dashboards_and_steps_are_frozen_and_replaced():
    from dataclasses import FrozenInstanceError

    from ipyreport import Dashboard, Slide, presets

    slide = Slide(presets.chart("column", x="Region", y="Revenue"), title="Old")
    with pytest.raises(AttributeError, match=r"slide\.replace\(title=\.\.\.\)"):
        slide.title = "New"
    assert (slide.replace(title="New").title, slide.title) == ("New", "Old")
    assert slide.replace(title="New").steps == slide.steps
    board = Dashboard(
        presets.chart("line", x="Month", y="Revenue"), presets.chart("bar", x="Region", y="Revenue")
    )
    with pytest.raises(AttributeError, match=r"dashboard\.replace\(columns=\.\.\.\)"):
        board.columns = 1
    assert board.replace(columns=1).charts == board.charts
    step = presets.chart("column", x="Region", y="Revenue")
    with pytest.raises(FrozenInstanceError):
        step.hold = 2.0
    assert step.replace(hold=2.0).hold == 2.0


# --- reprs a notebook user reads -----------------------------------------------------------


def test_a_story_repr_names_its_title_and_counts():
    from ipyreport import Dashboard, Slide, Story, presets, samples

    slides = [
        Slide(presets.morph(None, ["column", "pie"], x="Region", y="Revenue"), title="Regions"),
        Slide(presets.chart("line", x="Month", y="Revenue")),
        Dashboard(
            presets.chart("line", x="Month", y="Revenue"),
            presets.chart("bar", x="Region", y="Revenue"),
            title="Overview",
        ),
    ]
    story = Story(samples.sales(), title="Sales overview", slides=slides)
    assert repr(story) == "Story('Sales overview': 3 slides, 4 steps, 6,420 rows)"
    assert repr(story.replace(title=None, slides=slides[1:2])) == (
        "Story(untitled: 1 slide, 1 step, 6,420 rows)"
    )
    assert repr(slides[0]) == "Slide('Regions': 2 steps)"
    assert repr(slides[2]) == "Dashboard('Overview': 2 charts, 1 step)"


def test_a_lazy_story_repr_says_where_it_reads_from(tmp_path):
    import pyarrow.parquet as pq

    from ipyreport import Slide, Story, presets, samples

    (tmp_path / "orders").mkdir()
    pq.write_table(samples.sales(), tmp_path / "orders" / "part-0.parquet")
    slides = [Slide(presets.chart("column", x="Region", y="Revenue"))]
    story = Story(tmp_path / "orders", title="Orders", slides=slides)
    assert repr(story) == "Story('Orders': 1 slide, 1 step, 4 rows aggregated, lazy from orders/)"


def test_a_step_repr_names_its_kind_and_channels_in_one_short_line():
    from ipyreport import Step, presets, samples

    step = presets.chart(
        "stacked_column", x="Region", y="Revenue", color="Product", title="By region"
    )
    assert repr(step) == (
        "Step(stacked_column: x=Region, y=Revenue+Product, color=Product, label=Revenue, "
        "title='By region')"
    )
    moment = presets.timeline(
        samples.sales(), time="Month", kind="column", x="Region", y="Revenue"
    )[1]
    assert repr(moment) == (
        "Step(column: x=Region, y=Revenue, label=Revenue, title='2021-02-01', "
        "filtered, hold=0.25s, own data)"
    )
    pointed = presets.highlight(where={"Region": "Europe"}, note="Europe leads")
    assert repr(pointed) == "Step(highlight: note='Europe leads')"
    assert repr(Step(config={"geometry": "area", "x": "Month"})) == "Step(area: x=Month)"
    assert len(repr(step)) < 120
