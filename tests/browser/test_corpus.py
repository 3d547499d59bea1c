"""The corpus (tests/corpus.py) as an audience meets it: the player, the article, PDF,
PowerPoint and video, on public datasets nobody here wrote.

Every text the player draws goes through the canvas; an init script that
wraps ``fillText`` records them (as ``test_missing`` does), and a one-pixel
nudge of the viewport redraws each step at rest.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from ipyreport import Filter, Slide, Story, presets
from ipyreport.formats import Display
from tests.corpus import CASES, frame, source

from .pages import RECORD_TEXTS, drawn_at_rest, wait_idle, wait_ready, watch

# Each dataset's cases as one story of many slides, read from the frame or from a file (a
# path handed to the story is read lazily); Gapminder's timelines play as a story of their own
# in the README's order (after another slide: see the last test), and the unit tests hold
# the timelines the race and bubble chart repeat.
TIMELINES = {"timeline", "timeline_then_slide", "bubble_timeline", "race"}
PLAYED = {
    "gapminder": ("eager", lambda case: case.preset not in TIMELINES),
    "gapminder-timelines": ("parquet", ["race", "bubble_timeline"]),
    "stocks": ("parquet", None),
    "us_employment": ("eager", None),
    "seattle_weather": ("csv", None),
    "barley": ("eager", None),
    "cars": ("eager", None),
    "iowa_electricity": ("parquet", None),
}
# Steps whose marks include one with no value, at least (a check that cannot go unused).
MISSING = {"stocks": 7, "cars": 1}
# A number the audience should never read: too many digits to be formatted.
RAW = re.compile("^[-\u2212]?\\d{5,}(\\.\\d+)?$|^[-\u2212]?\\d*\\.\\d{3,}$")


def dataset_story(name: str, folder) -> Story:
    mode, keep = PLAYED[name]
    dataset = name.split("-", maxsplit=1)[0]
    cases = [case for case in CASES if case.dataset == dataset]
    if isinstance(keep, list):  # these presets, in this order
        cases = [next(case for case in cases if case.preset == preset) for preset in keep]
    elif keep is not None:
        cases = [case for case in cases if keep(case)]
    data = source(dataset, mode, folder)
    return Story(data, slides=[slide for case in cases for slide in case.build(data)])


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("corpus")


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(viewport={"width": 1000, "height": 640}, reduced_motion="reduce")
    page = context.new_page()
    page.add_init_script(RECORD_TEXTS)
    _, page.errors = watch(page)  # type: ignore[attr-defined]
    yield page
    context.close()


def played(page, story: Story, path) -> list[tuple[dict[str, Any], list[str]]]:
    """Each step of ``story`` with the texts the player draws for it at rest."""
    story.save_html(path)
    page.goto(path.resolve().as_uri())
    wait_ready(page)
    page.focus("#ipyreport")
    steps = [step for slide in story.to_dict()["slides"] for step in slide["steps"]]
    seen = []
    for number, step in enumerate(steps):
        if number:
            page.keyboard.press("ArrowRight")
            time.sleep(0.05)
            wait_idle(page)
        seen.append((step, drawn_at_rest(page)))
    return seen


def labelled_bars(step: dict[str, Any]) -> bool:
    """Whether every mark of ``step`` carries its value as a label (a few bars or columns;
    a treemap, with no axis to name its tiles, labels them with category and value)."""
    config, table = step["config"], step["table"]
    channels = config.get("channels") or {}
    label = (channels.get("label") or {}).get("set") or []
    axes = [(channels.get(axis) or {}).get("set") for axis in ("x", "y")]
    return (
        all(axes)
        and config.get("geometry") == "rectangle"
        and config.get("coordSystem") == "cartesian"
        and len(table["columns"]) == 2
        and table["columns"][1] in label
        and len(table["rows"]) <= 12
    )


@pytest.mark.parametrize("name", list(PLAYED))
def test_the_player_draws_no_zero_for_missing_and_every_number_formatted(page, folder, name):
    page.errors.clear()
    story = dataset_story(name, folder)
    display = Display.of(story.to_dict())
    with_missing = 0
    for number, (step, texts) in enumerate(played(page, story, folder / f"{name}.html")):
        where = f"step {number + 1} ({step['config'].get('title')})"
        assert texts, where
        assert [text for text in texts if RAW.match(text)] == [], where
        table = step["table"]
        first = len(table["columns"]) - table["measures"]
        for k, measure in enumerate(table["columns"][first:], start=first):
            values = [row[k] for row in table["rows"]]
            if None in values and 0 not in values:
                with_missing += 1
                assert display.number(measure, 0) not in texts, f"{where}: {measure}"
        if labelled_bars(step):
            # A plain bar's label is its value, however short the bar ('24.5M' for Oceania),
            # never its category again ('Asia 3.8bn': the axis names it).
            shown = [
                display.number(table["columns"][1], row[1])
                for row in table["rows"]
                if row[1] is not None
            ]
            assert [text for text in shown if text not in texts] == [], where
            named = [text for text in texts if any(text.endswith(" " + value) for value in shown)]
            assert named == [], where
    assert with_missing >= MISSING.get(name, 0)
    assert page.errors == []


def test_a_timeline_after_a_slide_that_holds_its_time_as_a_measure(page, folder):
    page.errors.clear()
    countries = frame("gapminder")
    story = Story(
        countries,
        slides=[
            Slide(
                presets.chart(
                    kind="bar", x="continent", y="pop", filter=Filter.between("year", 2007, 2007)
                )
            ),
            Slide(presets.timeline(countries, time="year", x="country", y="pop", top=10)),
        ],
    )
    seen = played(page, story, folder / "after.html")
    # Each moment says its year (large, in the plot), not the last slide's.
    years = [
        sorted({text for text in texts if re.fullmatch(r"\d{4}", text)}) for _, texts in seen[1:3]
    ]
    assert years == [["1952"], ["1957"]]
    assert page.errors == []


def case(name: str):
    return next(case for case in CASES if case.id == name)


def words_of(text: str) -> str:
    return " ".join(text.split())


def test_a_pdf_handout_prints_the_words_computed_over_every_row(folder):
    from pypdf import PdfReader

    data = source("cars", "parquet", folder)
    slides = [*case("cars-bar_missing").build(data), *case("cars-column_mean").build(data)]
    story = Story(data, slides=slides)
    steps = [slide["steps"][0] for slide in story.to_dict()["slides"]]
    reader = PdfReader(story.save_pdf(folder / "cars.pdf", per="slide"))
    pages = [words_of(page.extract_text()) for page in reader.pages]
    # The weakest car with a horsepower: the Renault 18i has none, so it is not the weakest.
    # An untitled slide's page is headed by the finding its chart's title computes.
    assert pages[0].startswith(steps[0]["config"]["title"])
    assert pages[1].startswith(steps[1]["config"]["title"])
    # The numbers behind each chart are printed as text, computed over every row.
    assert "vw pickup 52" in pages[-1]
    assert "Japan 30.45" in pages[-1]


def test_a_powerpoint_deck_holds_the_steps_numbers_and_words(folder):
    from pptx import Presentation

    data = frame("gapminder")
    slides = [*case("gapminder-bar").build(data), *case("gapminder-bubble_plot").build(data)]
    story = Story(data, slides=slides)
    steps = [slide["steps"][0] for slide in story.to_dict()["slides"]]
    deck = Presentation(str(story.save_pptx(folder / "gapminder.pptx")))
    bar, bubbles = (
        next(shape for shape in deck.slides[number].shapes if shape.has_chart) for number in (0, 1)
    )
    table = steps[0]["table"]
    (series,) = bar.chart.plots[0].series
    assert dict(zip(bar.chart.plots[0].categories, series.values, strict=True)) == {
        continent: pytest.approx(pop) for continent, pop in table["rows"]
    }
    for shape, step in ((bar, steps[0]), (bubbles, steps[1])):
        assert shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr") == step["alt"]
    # 142 countries, one bubble each, in the native chart.
    assert sum(len(list(s.values)) for s in bubbles.chart.plots[0].series) == 142


def test_a_short_gif_of_public_data_is_the_size_asked(folder):
    from PIL import Image

    data = frame("iowa_electricity")
    story = Story(data, slides=case("iowa_electricity-morph").build(data))
    path = story.save_video(folder / "iowa.gif", fps=5, size=(320, 180), hold=0.2)
    with Image.open(path) as image:
        assert image.size == (320, 180)
        assert image.n_frames >= 2


def test_an_article_shows_the_words_computed_over_every_row(page, folder):
    page.errors.clear()
    data = source("seattle_weather", "csv", folder)
    story = Story(data, slides=case("seattle_weather-line").build(data))
    path = story.save_html(folder / "article.html", layout="scroll")
    page.goto(path.resolve().as_uri())
    wait_ready(page)
    rows = frame("seattle_weather")
    hottest = rows.loc[rows["temp_max"].idxmax(), "date"]  # 2014-08-11, row 1,318 of 1,461
    title = story.to_dict()["slides"][0]["steps"][0]["config"]["title"]
    assert title == f"Hottest: {hottest:%b} {hottest.day}, {hottest.year}"
    assert title in page.inner_text("#ipyreport")
    assert page.errors == []


def test_a_race_after_a_log_scale_bubble_timeline(browser, folder):
    # The log axis steps one decade a tick; the race's population axis must not
    # inherit that step (1.5bn ticks aborted the engine).
    countries = frame("gapminder")
    bubbles = presets.timeline(
        countries, time="year", kind="bubble_plot", x="gdpPercap", y="lifeExp",
        size="pop", by="country", log="x",
    )  # fmt: skip
    race = presets.timeline(countries, time="year", x="country", y="pop", top=10)
    path = Story(countries, slides=[Slide(bubbles[-1]), Slide(*race[:2])]).save_html(
        folder / "bubbles-then-race.html"
    )
    context = browser.new_context(reduced_motion="reduce")  # its own: the engine may abort
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.goto(path.resolve().as_uri())
        wait_ready(page)
        page.focus("#ipyreport")
        for _ in range(2):
            page.keyboard.press("ArrowRight")
            page.evaluate(  # the step drawn (the player rests), or 3 s gone by
                """(ms) => new Promise((done) => {
                     document.getElementById('ipyreport').ipyreport.idle().then(done);
                     setTimeout(done, ms);
                   })""",
                3000,
            )
        assert errors == []
    finally:
        context.close()
