"""Exploring a chart by keyboard and hearing it: the marks one by one through a live
region, on a column chart, a pie, a scatter plot and a dashboard; tones ordered like values."""

from __future__ import annotations

import pytest

from ipyreport import Dashboard, Slide, Story, presets, samples

from .pages import open_story, wait_idle, wait_ready

SALES = samples.sales()
REGIONS = ["Americas", "Europe", "Asia Pacific", "Africa"]  # the sample's order


def region_totals():
    grouped = SALES.group_by("Region").aggregate([("Revenue", "sum")])
    return dict(zip(grouped["Region"].to_pylist(), grouped["Revenue_sum"].to_pylist(), strict=True))


@pytest.fixture(scope="module")
def story_file(tmp_path_factory):
    story = Story(
        SALES,
        formats={"Revenue": "$", "Profit": "$"},
        slides=[
            Slide(presets.chart(kind="column", x="Region", y="Revenue"), title="Columns"),
            Slide(presets.chart(kind="pie", x="Region", y="Revenue"), title="Pie"),
            Slide(
                presets.chart(kind="scatter", x="Revenue", y="Profit", by="Country"),
                title="Scatter",
            ),
            Slide(
                presets.chart(kind="stacked_column", x="Region", y="Revenue", color="Product"),
                title="Stacked",
            ),
            Dashboard(
                presets.chart(kind="column", x="Region", y="Revenue", title="By region"),
                presets.chart(kind="bar", x="Product", y="Units", title="By product"),
                title="Board",
            ),
        ],
    )
    return story.save_html(tmp_path_factory.mktemp("explore") / "explore.html")


def live(page) -> str:
    return page.locator(".ipyreport-live").text_content()


def said(page, key: str) -> str:
    """Press ``key`` and return the next thing the live region says: each announcement is a
    new line in it, made once the chart's last frame is drawn at rest."""
    page.evaluate(
        "() => { const line = document.querySelector('.ipyreport-live span'); if (line) line.dataset.heard = ''; }"
    )
    page.keyboard.press(key)
    page.wait_for_function(
        "() => { const line = document.querySelector('.ipyreport-live span'); return line && !('heard' in line.dataset); }",
        timeout=5000,
    )
    return live(page)


def step(page) -> str:
    return page.evaluate("() => document.getElementById('ipyreport').dataset.slide")


def go(page, slide):
    page.evaluate(f"() => document.getElementById('ipyreport').ipyreport.goTo({slide})")
    wait_idle(page)


def marks_read(page, count, key="ArrowRight"):
    heard = [said(page, "Enter")]
    for _ in range(count - 1):
        heard.append(said(page, key))
    return heard


def test_a_column_chart_is_read_mark_by_mark_in_the_storys_words(open_file, story_file):
    watch, page = open_story(open_file, story_file, size=(1280, 720))
    page.keyboard.press("Tab")  # the chart is the first stop
    assert page.evaluate("() => document.activeElement.classList.contains('ipyreport-chart')")
    heard = marks_read(page, 4)
    totals = region_totals()
    whole = sum(totals.values())
    expected = [
        f"{region}: Revenue ${totals[region] / 1e6:.1f}M, {round(totals[region] / whole * 100)}% of the total ({n} of 4)"
        for n, region in enumerate(REGIONS, start=1)
    ]
    assert heard[0] == "Exploring Columns. Arrows move between marks, Escape stops. " + expected[0]
    assert heard[1:] == expected[1:]
    assert said(page, "ArrowRight") == expected[3]  # past the last mark: it stays there
    assert step(page) == "1"  # exploring kept the arrows from the story
    page.keyboard.press("Escape")
    assert live(page) == "Stopped exploring."
    page.keyboard.press("ArrowRight")  # the story's keys again
    wait_idle(page)
    assert step(page) == "2"
    assert watch.network_requests() == []
    assert watch.errors == []


def test_a_pie_is_read_clockwise_and_a_scatter_plot_left_to_right(open_file, story_file):
    _, page = open_story(open_file, story_file, size=(1280, 720))
    go(page, 2)
    page.focus(".ipyreport-chart")
    heard = marks_read(page, 4)
    assert [line.split(": ")[0].rsplit(". ", 1)[-1] for line in heard] == REGIONS
    page.keyboard.press("Escape")
    go(page, 3)
    page.focus(".ipyreport-chart")
    countries = len(set(SALES["Country"].to_pylist()))
    heard = marks_read(page, countries)
    assert heard[-1].endswith(f"({countries} of {countries})")
    revenues = [float(line.split("Revenue $")[1].split("M")[0]) for line in heard]
    assert revenues == sorted(revenues), heard


def test_a_chart_explored_the_moment_it_is_reached_is_read_where_it_rests(open_file, story_file):
    """Enter pressed as the story reaches the chart (no wait: a jump from the first slide,
    then a move from the pie next to it): the marks are read as the chart rests, not from
    the slide before's frame, nor from one drawn mid-move."""
    _, page = open_story(open_file, story_file, size=(1280, 720))
    page.focus(".ipyreport-chart")
    countries = len(set(SALES["Country"].to_pylist()))
    for _ in range(3):
        page.evaluate("() => document.getElementById('ipyreport').ipyreport.goTo(3)")
        heard = marks_read(page, countries)
        revenues = [float(line.split("Revenue $")[1].split("M")[0]) for line in heard]
        assert revenues == sorted(revenues), heard
        assert heard[-1].endswith(f"({countries} of {countries})")
        page.keyboard.press("Escape")
        go(page, 2)


def test_up_and_down_move_across_the_series_of_a_stacked_column(open_file, story_file):
    _, page = open_story(open_file, story_file, size=(1280, 720))
    go(page, 4)
    page.focus(".ipyreport-chart")
    top = said(page, "Enter").rsplit(". ", 1)[-1]
    below = said(page, "ArrowDown")
    beside = said(page, "ArrowRight")
    assert top.startswith("Americas, ")
    assert below.startswith("Americas, ")
    assert below != top
    assert "% of Americas (2 of 16)" in below
    assert beside.startswith("Europe, ")
    assert "(6 of 16)" in beside


def test_tab_moves_between_a_dashboards_charts_each_explored_on_its_own(open_file, story_file):
    watch, page = open_story(open_file, story_file, size=(1280, 720))
    go(page, 5)
    page.focus(".ipyreport-board:not([hidden]) .ipyreport-panel")
    assert said(page, "Enter").startswith("Exploring By region. ")
    assert "Americas: Revenue $" in live(page)
    page.keyboard.press("Tab")
    panels = page.locator(".ipyreport-board:not([hidden]) .ipyreport-panel")
    assert page.evaluate(
        "(second) => document.activeElement === second", panels.nth(1).element_handle()
    )
    assert said(page, "Enter").startswith(
        "Exploring By product. Arrows move between marks, Escape stops. "
    )
    assert "Units " in live(page)
    assert watch.errors == []


def test_h_plays_the_chart_as_tones_whose_pitches_are_ordered_like_the_values(
    open_file, story_file
):
    watch, page = open_story(open_file, story_file, size=(1280, 720))
    page.keyboard.press("h")
    tones = page.evaluate("() => document.getElementById('ipyreport').ipyreport.tones()")
    assert [tone["label"] for tone in tones] == REGIONS
    totals = region_totals()
    assert [tone["value"] for tone in tones] == pytest.approx([totals[r] for r in REGIONS])
    by_value = sorted(tones, key=lambda tone: tone["value"])
    by_pitch = sorted(tones, key=lambda tone: tone["frequency"])
    assert by_value == by_pitch
    assert min(t["frequency"] for t in tones) == pytest.approx(220)
    assert max(t["frequency"] for t in tones) == pytest.approx(880)
    page.wait_for_timeout(400)
    assert live(page).startswith(("Americas", "Europe"))  # each category named as it sounds
    page.keyboard.press("h")  # stops
    assert live(page) == "Sound stopped."
    assert watch.errors == []


# An assignment of one of these names to an object that does not own it yet
# reaches Object.prototype's setter: one made on a chart engine (an object with
# animate, detach and initializing) is recorded, and every assignment still
# lands as an own property. The names are what the player once hung on the engine.
WATCH_ENGINE = """(() => {
  window.engineWrites = [];
  const names = ["pointing", "pointedAt", "exploring", "marks", "note", "drawnLabels", "tones", "expect", "missing", "ends"];
  for (const name of names) {
    Object.defineProperty(Object.prototype, name, {
      configurable: true,
      get: () => undefined,
      set(value) {
        const engine = typeof this.animate === "function" && typeof this.detach === "function" && "initializing" in this;
        if (engine) window.engineWrites.push(name);
        Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
      },
    });
  }
})();"""


def test_exploring_hearing_and_a_dashboard_keep_their_state_off_the_chart_engine(
    browser, story_file
):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        page.add_init_script(WATCH_ENGINE)
        page.goto(story_file.resolve().as_uri())
        wait_ready(page)
        page.focus("#ipyreport")
        page.keyboard.press("Tab")
        heard = marks_read(page, 2)
        page.keyboard.press("Escape")
        page.keyboard.press("h")
        page.keyboard.press("h")
        go(page, 5)
        page.focus(".ipyreport-board:not([hidden]) .ipyreport-panel")
        assert said(page, "Enter").startswith("Exploring By region. ")
        assert heard[1].startswith("Europe: Revenue $")
        assert page.evaluate("() => window.engineWrites") == []
    finally:
        context.close()
