"""The story as a scrolled article: the chart follows the block at the middle of the screen,
slowly or fast, after a resize, with reduced motion, from a link, and prints its pictures."""

from __future__ import annotations

import itertools
import os
import time
from pathlib import Path

import pytest

from ipyreport.cli import main

from .pages import axe_violations, wait_idle, wait_ready
from .test_player import INK

ROOT = Path(__file__).resolve().parents[2]
PICTURES = ROOT / "docs" / "pictures"


def scroll_article(folder: Path, story: str) -> Path:
    """The bundled example ``story`` built as a scroll article in ``folder``."""
    out = folder / f"{story}.html"
    spec = ROOT / "stories" / f"{story}.yaml"
    assert main(["build", str(spec), "-o", str(out), "--layout", "scroll", "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def article(tmp_path_factory):
    return scroll_article(tmp_path_factory.mktemp("article"), "sales-overview")


def at(page) -> str:
    return page.evaluate(
        "() => { const r = document.getElementById('ipyreport'); return `${r.dataset.slide}.${r.dataset.step}`; }"
    )


def blocks(page) -> list[str]:
    return page.evaluate(
        "() => [...document.querySelectorAll('.ipyreport-block')].map((b) => b.id)"
    )


def settle(page):
    page.wait_for_timeout(200)  # the next frame's scroll check
    wait_idle(page)


# Scrolls the block's top just past the line a block crosses to play: the middle of the
# screen, or halfway down the words when a phone holds the chart above them.
SCROLL_TO = """(name) => { const block = document.getElementById(name);
  const chart = document.querySelector('.ipyreport-sticky').getBoundingClientRect();
  const top = chart.left < innerWidth / 4 && chart.bottom < innerHeight * 0.75 ? chart.bottom : 0;
  window.scrollBy(0, block.getBoundingClientRect().top - (top ? top + (innerHeight - top) / 2 : innerHeight / 2) + 8); }"""


def scroll_to(page, name: str):
    page.evaluate(SCROLL_TO, name)
    settle(page)


def open_article(open_file, path, **options):
    watch = open_file(path, **options)
    wait_ready(watch.page)
    return watch, watch.page


def test_scrolling_slowly_plays_each_blocks_step(open_file, article):
    watch, page = open_article(open_file, article, size=(1280, 720))
    names = blocks(page)
    assert names[:3] == ["1.1", "1.2", "1.3"]
    assert at(page) == "1.1"
    pictures = []
    for name in names:
        scroll_to(page, name)
        assert at(page) == name
        assert page.evaluate(INK)["ink"] > 0.005, f"{name} looks blank"
        assert page.evaluate(
            f"() => document.getElementById('{name}').classList.contains('ipyreport-active')"
        )
        pictures.append(
            page.evaluate("() => document.getElementById('ipyreport').ipyreport.snapshot()")
        )
        progress = page.evaluate(
            "() => document.querySelector('.ipyreport-article-progress').value"
        )
        assert progress == names.index(name) + 1
    # Every block changes the picture (a zoom coming back up may repeat an earlier one).
    assert all(a != b for a, b in itertools.pairwise(pictures))
    # And back up: backwards plays the steps in reverse.
    scroll_to(page, "2.1")
    assert at(page) == "2.1"
    assert watch.network_requests() == []
    assert watch.errors == []


def test_a_fast_scroll_lands_on_the_last_blocks_step(open_file, article):
    watch, page = open_article(open_file, article, size=(1280, 720))
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    settle(page)
    assert at(page) == blocks(page)[-1]
    page.keyboard.press("Home")  # the page's own key: it scrolls, the story follows
    settle(page)
    assert at(page) == "1.1"
    assert watch.errors == []


def test_after_a_resize_the_block_at_the_middle_is_still_the_step_shown(open_file, article):
    watch, page = open_article(open_file, article, size=(1280, 720))
    scroll_to(page, "3.2")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(400)
    settle(page)
    # On a phone the chart is held above the words: the line is halfway down the rest.
    middle = page.evaluate(
        """() => { const blocks = [...document.querySelectorAll('.ipyreport-block')];
             const top = document.querySelector('.ipyreport-sticky').getBoundingClientRect().bottom;
             const line = top + (innerHeight - top) / 2;
             let found = blocks[0];
             for (const b of blocks) if (b.getBoundingClientRect().top <= line) found = b;
             return found.id; }"""
    )
    assert at(page) == middle
    assert page.evaluate(INK)["ink"] > 0.005
    assert watch.errors == []


def test_with_reduced_motion_a_block_jumps_to_its_step(open_file, article):
    watch, page = open_article(open_file, article, size=(1280, 720), reduced_motion="reduce")
    started = time.monotonic()
    scroll_to(page, "2.3")
    assert at(page) == "2.3"
    assert time.monotonic() - started < 1.5
    assert watch.errors == []


def test_a_link_opens_at_its_block_and_a_dashboard_filters_inside_the_article(open_file, article):
    watch = open_file(Path(str(article)), size=(1280, 720))
    page = watch.page
    page.goto(article.resolve().as_uri() + "#5.1")
    wait_ready(page)
    settle(page)
    assert at(page) == "5.1"
    page.select_option("select[name=Region]", "Europe")
    wait_idle(page)
    assert page.evaluate("() => document.getElementById('ipyreport').ipyreport.selection") == {
        "Region": "Europe"
    }
    assert axe_violations(page) == []
    assert watch.network_requests() == []


def test_printing_shows_every_steps_picture_beside_its_words(open_file, article):
    watch, page = open_article(open_file, article, size=(1280, 720), reduced_motion="reduce")
    page.evaluate("() => { window.print = () => { window.printed = true; }; }")
    page.click(".ipyreport-print")
    deadline = time.monotonic() + 60
    while not page.evaluate("() => window.printed === true"):
        assert time.monotonic() < deadline, "printing never started"
        time.sleep(0.1)
    sources = page.evaluate(
        "() => [...document.querySelectorAll('.ipyreport-block-picture')].map((img) => img.src)"
    )
    assert all(source.startswith("data:image/png") for source in sources)
    page.emulate_media(media="print")
    shown = page.evaluate(
        "() => [...document.querySelectorAll('.ipyreport-block-picture')].map((img) => getComputedStyle(img).display)"
    )
    assert set(shown) == {"block"}
    assert (
        page.evaluate("() => getComputedStyle(document.querySelector('.ipyreport-sticky')).display")
        == "none"
    )
    assert watch.errors == []


@pytest.mark.parametrize("size", [(1280, 720), (390, 844)], ids=["desktop", "phone"])
def test_the_article_reads_on_a_desktop_and_a_phone(open_file, article, size):
    watch, page = open_article(open_file, article, size=size)
    scroll_to(page, "2.1")
    assert page.evaluate(INK)["ink"] > 0.005
    block = page.locator("[id='2.1']").bounding_box()
    assert block["x"] >= 0
    assert block["x"] + block["width"] <= size[0]
    assert page.evaluate("() => document.documentElement.scrollWidth - innerWidth") <= 0
    assert axe_violations(page) == []
    if os.environ.get("IPYREPORT_UPDATE_GOLDENS"):
        page.screenshot(
            path=str(PICTURES / f"article-{'desktop' if size[0] > 600 else 'phone'}.png")
        )
    assert watch.errors == []


def test_every_block_tells_a_sentence_not_only_a_chart_title(article):
    from html.parser import HTMLParser

    class Blocks(HTMLParser):
        def __init__(self):
            super().__init__()
            self.said, self.inside = {}, None

        def handle_starttag(self, tag, attrs):
            found = dict(attrs)
            if tag == "section" and found.get("class") == "ipyreport-block":
                self.block = found["id"]
                self.said[self.block] = []
            self.inside = tag == "p" and found.get("class") == "ipyreport-block-notes"

        def handle_data(self, data):
            if self.inside:
                self.said[self.block].append(data)

    reader = Blocks()
    reader.feed(article.read_text())
    said = {name: " ".join(parts) for name, parts in reader.said.items()}
    assert set(said) >= {"1.1", "1.2", "1.3", "2.2", "4.1"}
    assert all(text.endswith(".") for text in said.values()), said
    # The slide's notes are told along its steps: the drill-down's second sentence
    # comes with Europe, and a step past the notes reads out what it shows.
    assert said["1.1"].startswith("Start with the regions: Americas leads with 39.3%")
    assert said["1.2"] == "Then drill into Europe, then Germany, and back up."
    assert said["1.3"].startswith("Highest Revenue: Laptops $37.5M")


@pytest.fixture(scope="module")
def timeline_article(tmp_path_factory):
    return scroll_article(tmp_path_factory.mktemp("timeline"), "monthly-playback")


def test_a_timeline_is_one_block_whose_slider_plays_its_moments(open_file, timeline_article):
    watch, page = open_article(open_file, timeline_article, size=(1280, 720))
    assert blocks(page) == ["1.1", "2.1", "2.2"]
    assert at(page) == "1.1"
    slider = page.locator("[id='1.1'] .ipyreport-scrub input")
    slider.focus()
    slider.fill("16")  # April 2022, which no report reached
    settle(page)
    assert at(page) == "1.16"
    assert page.locator("[id='1.1'] .ipyreport-scrub output").text_content() == "Apr 2022"
    assert slider.get_attribute("aria-valuetext") == "Apr 2022"
    page.keyboard.press("ArrowRight")  # the slider's key: the next moment, not the next block
    settle(page)
    assert at(page) == "1.17"
    assert axe_violations(page) == []
    assert watch.errors == []


def test_on_a_phone_the_words_scroll_under_the_chart_never_over_it(open_file, article):
    watch, page = open_article(open_file, article, size=(390, 844))
    for name in ("1.1", "2.1", "3.2"):
        page.evaluate(SCROLL_TO, name)
        settle(page)
        assert at(page) == name
        chart = page.locator(".ipyreport-sticky").bounding_box()
        block = page.locator(f"[id='{name}']").bounding_box()
        assert block["y"] >= chart["y"] + chart["height"] - 1
        assert chart["height"] > 844 * 0.4
        # What the reader sees over the chart is the chart.
        covering = page.evaluate(
            """() => { const box = document.querySelector('.ipyreport-sticky').getBoundingClientRect();
                 return document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)
                   .closest('.ipyreport-sticky') !== null; }"""
        )
        assert covering
    assert watch.errors == []


# Where the block the chart shows is on screen, and how much of it is in sight under the chart.
IN_SIGHT = """() => { const chart = document.querySelector('.ipyreport-sticky').getBoundingClientRect();
  const active = document.querySelector('.ipyreport-block.ipyreport-active');
  const box = active.getBoundingClientRect();
  return { id: active.id, top: box.top, seen: Math.min(box.bottom, innerHeight) - Math.max(box.top, chart.bottom),
           under: chart.bottom }; }"""


def test_on_a_phone_the_block_the_chart_shows_is_always_in_sight_under_it(open_file, article):
    watch, page = open_article(open_file, article, size=(390, 844))
    # Down the first slide's blocks (a drill-down of five steps) into the second slide's,
    # a little at a time: wherever the reader stops, the words of the step the chart
    # shows are in sight under the chart, at least a line of them.
    end = page.evaluate("() => document.getElementById('2.2').getBoundingClientRect().top")
    played = []
    for _ in range(int(end // 45)):
        page.evaluate("() => window.scrollBy(0, 45)")
        settle(page)
        shown = page.evaluate(IN_SIGHT)
        assert at(page) == shown["id"]
        assert shown["seen"] >= 24, f"{shown['id']} is hidden under the chart: {shown}"
        if not played or played[-1] != shown["id"]:
            played.append(shown["id"])
    assert played[:7] == ["1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2"]
    assert watch.errors == []


def test_a_notebook_becomes_an_article_of_its_words_and_stories(open_file, tmp_path):
    target = tmp_path / "quickstart.html"
    notebook = ROOT / "notebooks" / "quickstart.ipynb"
    assert main(["build", str(notebook), "-o", str(target), "-q"]) == 0
    watch = open_file(target, size=(1280, 720))
    page = watch.page
    deadline = time.monotonic() + 30
    while page.evaluate(
        "() => [...document.querySelectorAll('[data-ipyreport-story]')].some((r) => r.dataset.ready !== 'true')"
    ):
        assert time.monotonic() < deadline, "the stories never became ready"
        time.sleep(0.1)
    roots = page.evaluate(
        "() => [...document.querySelectorAll('[data-ipyreport-story]')].map((r) => r.id)"
    )
    assert roots == ["ipyreport", "ipyreport-2"]  # the two stories the notebook showed
    prose = page.locator(".ipyreport-prose h1").first.text_content()
    assert prose == "Quickstart: from a DataFrame to a story"
    names = page.evaluate(
        "() => [...document.querySelectorAll('.ipyreport-block')].map((b) => b.id)"
    )
    last_of_first = [name for name in names if name.startswith("1-")][-1]
    page.evaluate(
        "(name) => document.getElementById(name).scrollIntoView({ block: 'center' })", last_of_first
    )
    page.wait_for_timeout(300)
    wait_idle(page)
    slide, step = last_of_first.removeprefix("1-").split(".")
    shown = page.evaluate(
        "() => { const r = document.getElementById('ipyreport'); return [r.dataset.slide, r.dataset.step]; }"
    )
    assert shown == [slide, step]
    assert watch.network_requests() == []
    assert watch.errors == []
