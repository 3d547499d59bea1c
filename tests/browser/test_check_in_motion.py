"""The story checker and the player agree: what ``ipyreport check`` says of a transition
(a chart left empty in between, a key that covers a phone's chart, a colour another
category wore) is what the player then draws, and a story it passes draws none of it.
Where the checker warns of colours that come to mean something else, the player still
keeps each colour to one meaning while the marks move."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from ipyreport import Slide, Story, encode, presets, samples
from ipyreport._key import NARROW_SIZE, PHONE_PLOT_PX, rows_of
from tests.corpus import CASES, source

from .pages import RECORD_TEXTS, drawn_at_rest, wait_ready
from .test_motion import (
    MOMENTS,
    RECORD_MARKS,
    blank_frames,
    borrowed_colours,
    colours_changing_meaning,
    play,
    unkeyed_colours,
)

SALES = encode(samples.sales())
FORMATS = {"Revenue": "$"}
# Twelve colours none of which the regions wear.
OWN = "#1b9e77 #d95f02 #7570b3 #e7298a #66a61e #e6ab02 #a6761d #b15928 #8dd3c7 #bebada #fb8072 #80b1d3"


@pytest.fixture(scope="module")
def moving(browser):
    """A laptop's page whose clock the harness moves, marks and texts recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.add_init_script(RECORD_TEXTS)
    page.add_init_script(RECORD_MARKS)
    page.clock.install()
    yield page
    context.close()


def kinds(story: Story) -> list[tuple[int, str]]:
    return [(finding.step, finding.kind) for finding in story.check()]


def one_set_then_another(
    first: list[str], second: list[str], animation: dict[str, Any] | None = None
) -> Story:
    then = presets.chart(kind="column", x="Country", y="Revenue", filter={"Region": second})
    return Story(
        SALES,
        slides=[
            Slide(
                presets.chart(kind="column", x="Country", y="Revenue", filter={"Region": first}),
                replace(then, animation=animation) if animation else then,
            )
        ],
        formats=FORMATS,
    )


# The old marks go in the first half of the step, the new ones come in the second.
ONE_THEN_THE_OTHER = {
    "hide": {"delay": 0, "duration": 0.5},
    "show": {"delay": 0.5, "duration": 0.5},
}


def test_a_step_the_checker_calls_blank_draws_frames_with_no_mark_to_see(moving, tmp_path):
    story = one_set_then_another(["Europe"], ["Asia Pacific"], ONE_THEN_THE_OTHER)
    assert kinds(story) == [(2, "blank")]
    assert blank_frames(play(moving, "blank", story, tmp_path)) != []


def test_other_categories_come_as_the_old_ones_go_and_the_checker_agrees(moving, tmp_path):
    """Europe's countries for Asia Pacific's: the engine shrank every column away before it
    grew the new ones, through empty frames; played as ipyreport stages such a step, the old
    go as the new come, and the checker finds nothing."""
    story = one_set_then_another(["Europe"], ["Asia Pacific"])
    assert kinds(story) == []
    assert blank_frames(play(moving, "blank", story, tmp_path)) == []


def test_a_step_the_checker_passes_keeps_marks_in_sight(moving, tmp_path):
    story = one_set_then_another(["Europe", "Africa"], ["Asia Pacific", "Africa"])
    assert kinds(story) == []
    assert blank_frames(play(moving, "kept", story, tmp_path)) == []


def regions_then_countries(**options) -> Story:
    return Story(
        SALES,
        slides=[
            Slide(presets.chart(kind="stacked_column", x="Channel", y="Revenue", color="Region")),
            Slide(presets.chart(kind="stacked_column", x="Channel", y="Revenue", color="Country")),
        ],
        formats=FORMATS,
        **options,
    )


def test_the_colour_the_checker_names_is_worn_once_the_old_meaning_has_gone(moving, tmp_path):
    story = regions_then_countries()
    [finding] = story.check()
    assert "Australia (Country) wears the colour Americas (Region) had" in finding.message
    played = play(moving, "borrowed", story, tmp_path)
    # At rest Australia's stacks (one in each channel) wear the Americas' blue, as the checker says...
    [step] = played.frames
    australia = {
        m["paint"] for m in step.rest["marks"] if m["categories"].get("Country") == "Australia"
    }
    assert australia == {"#4171cd"}
    # ...but the regions' blue leaves the screen first: the marks go through a neutral.
    assert borrowed_colours(played) == []
    assert colours_changing_meaning(played) == []
    assert unkeyed_colours(played) == []


def barley_by_site_then_by_variety(folder) -> Story:
    """Barley's yields stacked by site, then grouped by variety (tests/corpus.py): six sites
    and ten varieties outnumber the palette, so four varieties wear sites' colours."""
    data = source("barley", "eager", folder)
    cases = [
        next(c for c in CASES if c.dataset == "barley" and c.preset == preset)
        for preset in ("stacked_bar", "grouped_column")
    ]
    return Story(data, slides=[slide for case in cases for slide in case.build(data)])


def test_a_new_colour_dimension_takes_the_old_ones_colours_only_through_a_neutral(moving, tmp_path):
    story = barley_by_site_then_by_variety(tmp_path)
    # The checker names the colours that come round again...
    [finding] = story.check()
    assert (finding.slide, finding.kind) == (2, "colors")
    assert "No. 462 (variety) wears the colour University Farm (site) had" in finding.message
    played = play(moving, "barley", story, tmp_path)
    # ...and in motion no site's colour comes to mean a variety while the sites' are shown.
    assert colours_changing_meaning(played) == []
    assert borrowed_colours(played) == []
    # Half way, the marks wear no category's colour: neither a site's nor a variety's.
    [step] = played.frames
    owned = {colour.lower() for colours in story.colors.values() for colour in colours.values()}
    halfway = {m["paint"] for m in step.marks[MOMENTS[1]] if m["alpha"] > 0}
    assert halfway
    assert not halfway & owned


def test_the_key_changes_as_the_marks_colours_do(moving, tmp_path):
    """Region columns stacked by product: the key of products comes in as the marks take
    the products' colours, not while they still wear the regions'."""
    story = Story(
        SALES,
        slides=[
            Slide(
                presets.chart(kind="column", x="Region", y="Revenue", color="Region", label=False)
            ),
            Slide(
                presets.chart(
                    kind="stacked_column", x="Region", y="Revenue", color="Product", label=False
                )
            ),
        ],
        formats=FORMATS,
    )
    played = play(moving, "keyed", story, tmp_path)
    assert unkeyed_colours(played) == []
    # The key is read in motion: the regions' first, then the products'.
    [step] = played.frames
    first, last = step.keys[MOMENTS[0]], step.keys[MOMENTS[-1]]
    assert {entry["text"] for entry in first} >= {"Americas", "Europe"}
    assert {entry["text"] for entry in last} >= {"Laptops", "Phones"}


def test_countries_in_colours_of_their_own_wear_no_regions_colour(moving, tmp_path):
    story = regions_then_countries(colors={"Country": OWN})
    assert story.check() == []
    assert borrowed_colours(play(moving, "own", story, tmp_path)) == []


@pytest.mark.parametrize(("dimension", "rows"), [("Month", 12), ("Country", 3), ("Region", 1)])
def test_a_phones_key_wraps_into_the_rows_the_checker_counts(browser, tmp_path, dimension, rows):
    story = Story(
        SALES,
        slides=[Slide(presets.chart(kind="pie", x=dimension, y="Revenue", label=False))],
        formats=FORMATS,
    )
    labels = [story.display.label(dimension, category) for category in story.colors[dimension]]
    assert rows_of(labels, PHONE_PLOT_PX, NARROW_SIZE) == rows
    # Past a dozen categories the palette's colours come round again, too.
    assert [f.kind for f in story.check()] == (["legend", "colors"] if rows > 10 else [])
    context = browser.new_context(viewport={"width": 390, "height": 844}, reduced_motion="reduce")
    try:
        page = context.new_page()
        page.goto(story.save_html(tmp_path / f"{dimension}.html").resolve().as_uri())
        wait_ready(page)
        drawn = page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()")
        key = [label for label in drawn[0] if label["group"] == "legend"]
        assert sorted(label["text"] for label in key) == sorted(labels)
        assert len({round(label["box"][1]) for label in key}) == rows
    finally:
        context.close()


def columns_then_pie(**animation) -> Story:
    pie = presets.chart(kind="pie", x="Product", y="Revenue", color="Product")
    return Story(
        SALES,
        slides=[
            Slide(
                presets.chart(kind="stacked_column", x="Channel", y="Revenue", color="Product"),
                pie.with_animation(**animation),
            )
        ],
        formats=FORMATS,
    )


def test_a_step_the_checker_calls_slow_for_its_untimed_parts_outlasts_the_budget(moving, tmp_path):
    story = columns_then_pie(coordSystem={"delay": 0.5, "duration": 0.5})
    assert kinds(story) == [(2, "slow")]
    [step] = play(moving, "parts", story, tmp_path).frames
    assert step.settled_ms > 2500


def test_groups_timed_within_a_whole_duration_settle_in_it(moving, tmp_path):
    story = columns_then_pie(duration=1, coordSystem={"delay": 0.5, "duration": 0.5})
    assert kinds(story) == []
    [step] = play(moving, "whole", story, tmp_path).frames
    assert step.settled_ms <= 1500


def teams(count: int) -> Story:
    """A pie of ``count`` teams' points, then the same without the last team."""
    names = [f"Team {i}" for i in range(1, count + 1)]
    data = encode({"Team": names, "Points": [float(10 + i) for i in range(count)]})
    steps = [
        presets.chart(kind="pie", x="Team", y="Points", label=False),
        presets.chart(kind="pie", x="Team", y="Points", label=False, filter={"Team": names[:-1]}),
    ]
    return Story(data, slides=[Slide(*steps)], formats={"Points": "points"})


def test_two_teams_the_checker_finds_in_one_colour_are_painted_alike(moving, tmp_path):
    story = teams(14)
    assert kinds(story) == [(1, "colors")]
    borrowed = borrowed_colours(play(moving, "teams", story, tmp_path))
    assert any("{'Team': 'Team 13'} in Team 1's colour" in found for found in borrowed)


def test_a_dozen_teams_each_wear_their_own_colour(moving, tmp_path):
    story = teams(12)
    assert kinds(story) == []
    assert borrowed_colours(play(moving, "dozen", story, tmp_path)) == []


def revenue_then_units() -> Story:
    return Story(
        SALES,
        slides=[
            Slide(
                presets.chart(kind="column", x="Region", y="Revenue", label=False),
                presets.chart(kind="column", x="Region", y="Units", label=False),
            )
        ],
        formats={"Revenue": "$", "Units": "units"},
    )


def test_an_axis_that_changes_measure_writes_no_tick_while_it_moves(moving, tmp_path):
    """Why the checker's ``untrue`` is about value labels only: ticks of a measure that
    changes (revenue in dollars into units sold) are not written until the chart rests."""
    story = revenue_then_units()
    assert kinds(story) == []
    [step] = play(moving, "remeasured", story, tmp_path).frames
    moving_texts = {text for moment in MOMENTS for text in step.texts.get(moment, [])}
    assert [text for text in moving_texts if re.search(r"\d", text)] == []
    assert {"400K", "800K", "1.2M"} <= set(drawn_at_rest(moving))


def test_an_axis_that_changes_measure_is_titled_truly_while_it_moves(moving, tmp_path):
    """The leaving title keeps the leaving measure's unit, the coming one takes its own."""
    [step] = play(moving, "retitled", revenue_then_units(), tmp_path).frames
    moving_texts = {text for moment in MOMENTS for text in step.texts.get(moment, [])}
    assert "Revenue (units)" not in moving_texts
    assert "Units (units)" not in moving_texts
    assert any(text.startswith("Units") for text in moving_texts), moving_texts


def test_stacked_columns_grouped_write_no_number_while_they_move(moving, tmp_path):
    """Stacked into grouped and back: mid-move a bar's value neither tops it nor reads on
    the axis, which rescales, so values and ticks are written at rest only."""
    story = Story(
        SALES,
        slides=[
            Slide(
                presets.chart(kind="stacked_column", x="Region", y="Revenue", color="Product"),
                presets.chart(kind="grouped_column", x="Region", y="Revenue", color="Product"),
                presets.chart(kind="stacked_column", x="Region", y="Revenue", color="Product"),
            )
        ],
        formats={"Revenue": "$"},
    )
    steps = play(moving, "regrouped", story, tmp_path).frames
    assert len(steps) == 2
    for step in steps:
        moving_texts = {text for moment in MOMENTS for text in step.texts.get(moment, [])}
        assert [text for text in moving_texts if re.search(r"\d", text)] == []
    assert any(text.startswith("$") for text in drawn_at_rest(moving))


def test_a_pie_that_changes_measure_writes_no_share_while_it_moves(moving, tmp_path):
    """Why the checker finds no ``untrue`` step in a pie of revenue turned into one of
    profit: the player writes a pie's shares at rest only."""
    story = Story(
        SALES,
        slides=[
            Slide(
                presets.chart(kind="pie", x="Region", y="Revenue"),
                presets.chart(kind="pie", x="Region", y="Profit"),
            )
        ],
        formats={"Revenue": "$", "Profit": "$"},
    )
    assert kinds(story) == []
    [step] = play(moving, "pie-remeasured", story, tmp_path).frames
    moving_texts = {text for moment in MOMENTS for text in step.texts.get(moment, [])}
    assert [text for text in moving_texts if re.search(r"\d", text)] == []
    assert any(text.endswith("%") for text in drawn_at_rest(moving))
