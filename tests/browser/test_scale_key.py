"""A chart coloured by a measure (orders-at-scale's heat map "Units sold") shows its colour
scale as a key on top of the plot, as a category key is: every word of it inside the chart,
the unit named once (by the measure's name), and no side legend column taking the plot's width."""

import re

import pytest

from .pages import RECORD_TEXTS, fonts_at_rest, wait_idle, wait_ready
from .test_examples import demo  # noqa: F401 (the stories the demo builds)

# The scale key's words: the measure's name, then its smallest and largest drawn value.
SCALE = re.compile(r"^Units:$")

# Each running chart's drawn texts, with its canvas's box in CSS pixels.
_CHARTS = """() => {
  const labels = document.getElementById('ipyreport').ipyreport.labels();
  const canvases = [...document.querySelectorAll('canvas')].filter((c) => c.getBoundingClientRect().width > 0);
  return { labels, canvases: canvases.map((c) => c.getBoundingClientRect().width) };
}"""


def heat_map_texts(page):
    """The texts the heat map draws, once its step is reached (None if the story never shows it)."""
    total = page.evaluate("() => document.querySelector('.ipyreport-progress').max")
    for index in range(total):
        if index:
            page.keyboard.press("ArrowRight")
            wait_idle(page)
        found = page.evaluate(_CHARTS)
        for drawn in found["labels"]:
            if any(SCALE.match(label["text"]) for label in drawn):
                return drawn, found["canvases"]
    return None, None


@pytest.mark.parametrize("size", [(390, 844), (1280, 800), (1920, 1080)])
def test_a_heat_map_shows_its_scale_on_top_inside_the_chart(open_file, demo, size):  # noqa: F811
    watch = open_file(demo / "orders-at-scale.html", reduced_motion="reduce", size=size)
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.reload()
    wait_ready(page)
    drawn, canvases = heat_map_texts(page)
    assert drawn, "the heat map drew no scale key"
    width = max(canvases)
    key = [label for label in drawn if label["group"] in ("legend-title", "legend")]
    words = [label["text"] for label in key]
    # The name, the smallest value and the largest: the name says the unit, once ("Units:
    # 24.8K … 525.9K", not "… 525.9K units" after it).
    assert len(words) == 3, words
    assert words[0] == "Units:"
    assert re.fullmatch(r"[\d.]+K?", words[1]), words
    assert re.fullmatch(r"[\d.]+K?", words[2]), words
    assert sum(word.lower().count("units") for word in words) == 1
    for label in key:
        left, top, right, _ = label["box"]
        assert left >= 0, label
        assert top >= 0, label
        assert right <= width, (label, width)
    # No side legend column: the y axis's labels start at the plot's left, where the key does.
    axis = [label["box"] for label in drawn if label["group"] == "axis-y"]
    assert axis, "the heat map drew no y axis labels"
    assert min(box[0] for box in axis) - key[0]["box"][0] < 30, (key[0]["box"], axis)
    # In the theme's type, never smaller than a phone can read.
    sizes = [size for text, size in fonts_at_rest(page) if text in words]
    assert sizes, "the key's words were not drawn at rest"
    assert min(sizes) >= 12, sizes
    assert watch.errors == []
