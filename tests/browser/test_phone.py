"""The example stories as a graphics desk would publish them: on a phone (390x844), type a
reader can read at every step; on their dashboards, months read by year, units named once,
one engine logo, charts tall enough on a phone."""

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import numpy as np
import pytest

from .conftest import PageWatch
from .pages import (
    RECORD_BOXES,
    RECORD_TEXTS,
    _picture,
    drawn_boxes,
    fonts_at_rest,
    overlap,
    panel,
    wait_idle,
    wait_ready,
)
from .test_examples import EXAMPLES, demo, overlapping  # noqa: F401 (the stories the demo builds)
from .test_motion import CORPUS, _corpus_story, _labels, _shapes

PHONE = (390, 844)
SMALLEST = 12  # pixels: no chart text on a phone is smaller


def play(open_file, path, size):
    """Open a story at ``size`` with its texts recorded, steps jumping (reduced motion)."""
    watch = open_file(path, reduced_motion="reduce", size=size)
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.reload()
    wait_ready(page)
    return watch, page


def steps(page):
    """Go through every step of the story from the first, yielding its number (1-based)."""
    total = page.evaluate("() => document.querySelector('.ipyreport-progress').max")
    for index in range(total):
        if index:
            page.keyboard.press("ArrowRight")
            wait_idle(page)
        yield index + 1


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_chart_text_on_a_phone_is_at_least_12_px(open_file, demo, name):  # noqa: F811
    watch, page = play(open_file, demo / f"{name}.html", PHONE)
    small = []
    for step in steps(page):
        drawn = fonts_at_rest(page)
        assert drawn, f"step {step} drew no text"
        small += [
            f"step {step}: {text!r} at {size:g} px" for text, size in drawn if size < SMALLEST
        ]
    assert small == []
    assert watch.errors == []


def test_on_a_phone_a_timelines_moment_reads_large_and_dark_enough(open_file, demo):  # noqa: F811
    """The race's "Nov 2024" stood 20 px high at the large moment's faint 16%: on a phone it
    takes more of the narrow plot's width, and drawn smaller than a desktop's it is a little
    darker, still a backdrop under the labels."""
    seen = {}
    for size in (PHONE, (1280, 720)):
        watch, page = play(open_file, demo / "monthly-playback.html", size)
        page.add_init_script(RECORD_BOXES)
        page.reload()
        wait_ready(page)
        canvas = drawn_boxes(page)[0]
        [moment] = [t for t in canvas["texts"] if re.fullmatch(r"[A-Z][a-z]{2} \d{4}", t["text"])]
        seen[size] = (moment["box"][3] - moment["box"][1], moment["alpha"])
        assert watch.errors == []
    (phone_height, phone_alpha), (desk_height, desk_alpha) = seen[PHONE], seen[(1280, 720)]
    assert phone_height >= 18, seen  # ink height: about 24 px type
    assert desk_height > phone_height
    assert desk_alpha == pytest.approx(0.16)  # large on a desktop, as light as before
    assert desk_alpha < phone_alpha <= BACKDROP_ALPHA, seen  # darker, yet a backdrop


def last_step(page):
    """Go to the story's last step (the examples end on their dashboard)."""
    for _ in steps(page):
        pass


def board_drawn(page):
    """What the dashboard's three charts drew (the running charts after the main one)."""
    return page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()")[-3:]


def board_labels(page):
    """The texts each dashboard chart drew at rest, by chart: ``{group: [text, ...]}``."""
    charts = []
    for labels in board_drawn(page):
        groups = {}
        for label in labels:
            groups.setdefault(label["group"], []).append(label["text"])
        charts.append(groups)
    return charts


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), PHONE])
def test_a_dashboards_months_read_by_year_with_a_tick_for_each_month(open_file, demo, size):  # noqa: F811
    watch, page = play(open_file, demo / "sales-overview.html", size)
    last_step(page)
    trend = board_labels(page)[0]
    # 48 months from Jan 2021: four years, never a label per month.
    assert trend["axis-x"] == ["2021", "2022", "2023", "2024"]
    years = [label["corners"] for label in board_drawn(page)[0] if label["group"] == "axis-x"]
    assert all(len({round(y) for _, y in box}) == 2 for box in years), "the years are set level"
    assert watch.errors == []


def test_units_are_named_once_in_the_axis_title_not_on_every_tick(open_file, demo):  # noqa: F811
    watch, page = play(open_file, demo / "sales-overview.html", (1280, 720))
    last_step(page)
    units = board_labels(page)[2]  # "Units by product": bars of Units, formatted "units"
    texts = drawn_at_rest_texts(page)
    assert "Units" in texts  # the axis's title says it once
    assert units["axis-x"] == ["600K", "1.2M", "1.8M", "2.4M"]
    assert sorted(units["marker"]) == ["2.3M", "286.5K", "300.4K", "376.9K"]
    assert not [text for text in texts if text.endswith(" units")]
    assert watch.errors == []


def drawn_at_rest_texts(page):
    return [text for text, _ in fonts_at_rest(page)]


def test_a_dashboard_shows_the_engines_logo_once(open_file, demo):  # noqa: F811
    watch, page = play(open_file, demo / "sales-overview.html", (1280, 720))
    last_step(page)
    panels = page.locator(".ipyreport-board:not([hidden]) .ipyreport-panel")
    # The engine draws its logo in a chart's bottom right corner, where these charts draw nothing else.
    corners = []
    for n in range(panels.count()):
        picture = panel(page, n)
        corner = picture[-14:, -60:]
        corners.append(bool((np.abs(corner - picture[0, 0]).sum(axis=2) > 30).any()))
    assert corners == [False, False, True]
    assert watch.errors == []


def test_in_the_dark_the_engines_logo_is_quiet(open_file, demo):  # noqa: F811
    """On the dark page the engine's logo stood pure white, louder than the source line; it
    is a dark grey there now, as its light grey is on a white page, and still there."""
    watch = open_file(demo / "sales-overview.html", size=(1280, 720), color_scheme="dark")
    wait_ready(watch.page)
    picture = _picture(watch.page.locator(".ipyreport-chart"))
    corner = picture[-40:, -90:]  # the logo's corner, where the chart draws nothing else
    background = picture[5, -5]
    assert (np.abs(corner - background).sum(axis=2) > 30).any()  # the logo is drawn
    assert corner.max() <= 96, corner.max()  # and dark: no channel brighter than #606060
    assert watch.errors == []


def board_heights(page):
    """The height of each of the dashboard's charts, in CSS pixels."""
    panels = page.locator(".ipyreport-board:not([hidden]) .ipyreport-panel")
    return [panels.nth(n).bounding_box()["height"] for n in range(panels.count())]


def test_on_a_phone_a_dashboard_stacks_charts_a_reader_can_read(open_file, demo):  # noqa: F811
    watch, page = play(open_file, demo / "sales-overview.html", PHONE)
    last_step(page)
    panels = page.locator(".ipyreport-board:not([hidden]) .ipyreport-panel")
    boxes = [panels.nth(n).bounding_box() for n in range(panels.count())]
    assert len(boxes) == 3
    assert len({round(box["x"]) for box in boxes}) == 1  # one column
    assert all(box["height"] >= 240 for box in boxes), [box["height"] for box in boxes]
    # Each plot takes the chart's height: from its highest value label down to its
    # category labels, at least 45% of the chart (the engine's own margins left 30-40%).
    for number, (height, drawn) in enumerate(
        zip(board_heights(page), board_drawn(page), strict=True), 1
    ):
        top = min(label["box"][1] for label in drawn if label["group"] == "axis-y")
        bottom = min(label["box"][1] for label in drawn if label["group"] == "axis-x")
        assert (bottom - top) / height >= 0.45, (
            f"chart {number}: a plot {bottom - top:.0f} px of {height:.0f}"
        )
    assert watch.errors == []


def test_on_a_phone_a_dashboard_fades_at_its_fold_while_charts_lie_below(open_file, demo):  # noqa: F811
    watch, page = play(open_file, demo / "sales-overview.html", PHONE)
    last_step(page)
    grid = page.locator(".ipyreport-board:not([hidden]) .ipyreport-grid")
    fold = "(grid) => [grid.dataset.more, getComputedStyle(grid).maskImage, grid.scrollHeight > grid.clientHeight]"
    more, mask, scrolls = grid.evaluate(fold)
    assert scrolls, "the phone's dashboard fits its charts without scrolling"
    assert more == "true"
    assert mask.startswith("linear-gradient"), mask
    # Scrolled to its last chart, the grid shows it whole.
    grid.evaluate("(grid) => { grid.scrollTop = grid.scrollHeight; }")
    page.wait_for_function(
        "() => document.querySelector('.ipyreport-board:not([hidden]) .ipyreport-grid').dataset.more === 'false'"
    )
    assert grid.evaluate(fold)[1] == "none"
    # On a laptop every chart is in view: no fade.
    page.set_viewport_size({"width": 1280, "height": 720})
    page.wait_for_function(
        "() => document.querySelector('.ipyreport-board:not([hidden]) .ipyreport-grid').dataset.more === 'false'"
    )
    assert grid.evaluate(fold)[1] == "none"
    assert watch.errors == []


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), PHONE])
def test_a_dashboard_keeps_no_blank_band_under_a_time_axis(open_file, demo, size):  # noqa: F811
    watch, page = play(open_file, demo / "sales-overview.html", size)
    last_step(page)
    # The monthly line's axis has its year labels and no title under them: the chart ends
    # there, no band of nothing before the next chart (the engine kept 47-55 px).
    height = board_heights(page)[0]
    years = [label for label in board_drawn(page)[0] if label["group"] == "axis-x"]
    assert [label["text"] for label in years] == ["2021", "2022", "2023", "2024"]
    below = height - max(label["box"][3] for label in years)
    assert 0 < below <= 16, f"{below:.0f} px under the year labels"
    assert watch.errors == []


def story_document(page):
    """The story document the page plays."""
    return json.loads(page.evaluate("() => document.getElementById('ipyreport-story').textContent"))


def legend_problems(drawn, width, categories, shapes):
    """What is wrong with one chart's legend as drawn: a label cut short or not the data's,
    an entry with no words, a label past the chart's edge, or a legend of one category."""
    legend = [label for label in drawn if label["group"] == "legend"]
    problems = []
    for label in legend:
        text = label["text"]
        whole = text in categories or any(shape.fullmatch(text) for shape in shapes)
        if not text.strip():
            problems.append("an entry with no label")
        elif not whole or text.endswith(("…", "...")):
            problems.append(f"{text!r} is no whole category or number")
        left, _, right, _ = label["box"]
        if left < 0 or right > width:
            problems.append(f"{text!r} runs past the chart ({left:.0f}-{right:.0f} of {width} px)")
    named = [label["text"] for label in legend if label["text"] in categories]
    if len(named) == 1:
        problems.append(f"a legend of one category ({named[0]!r})")
    return problems


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Each public dataset's story (tests/corpus.py, every preset), saved once for the module."""
    folder = tmp_path_factory.mktemp("corpus")

    @cache
    def saved(name: str):
        return _corpus_story(name, folder).save_html(folder / f"{name}.html")

    return saved


KEYLESS = {"us_employment"}


@contextmanager
def opened_once(browser, path, size, *scripts: str) -> Iterator[PageWatch]:
    """A story open in a context of its own at ``size``, steps jumping (reduced motion), with
    ``scripts`` run before its own; the context closed afterwards."""
    context = browser.new_context(
        viewport={"width": size[0], "height": size[1]}, reduced_motion="reduce"
    )
    try:
        watch = PageWatch(context.new_page(), path.resolve().as_uri())
        for script in scripts:
            watch.page.add_init_script(script)
        watch.page.goto(watch.allowed_url)
        wait_ready(watch.page)
        yield watch
    finally:
        context.close()


@pytest.fixture(scope="module")
def labelled(browser, demo, corpus):  # noqa: F811
    """Each story played once at each size, steps jumping: its document; per step, what each
    chart drew (``labels()``) and the widths of the charts in sight; what the page reported."""

    @cache
    def played(name: str, size: tuple[int, int]):
        path = demo / f"{name}.html" if name in EXAMPLES else corpus(name)
        with opened_once(browser, path, size, RECORD_TEXTS) as watch:
            page = watch.page
            document = story_document(page)
            drawn = [
                (
                    step,
                    page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()"),
                    page.evaluate(
                        """() => [...document.querySelectorAll('.ipyreport-chart, .ipyreport-board:not([hidden]) .ipyreport-panel')]
                             .filter((element) => element.checkVisibility()).map((element) => element.clientWidth)"""
                    ),
                )
                for step in steps(page)
            ]
            return document, drawn, list(watch.errors)

    return played


@pytest.mark.parametrize("size", [PHONE, (1280, 720), (1920, 1080)])
@pytest.mark.parametrize("name", EXAMPLES + list(CORPUS))
def test_no_legend_is_clipped_or_says_nothing(labelled, name, size):
    document, drawn, errors = labelled(name, size)
    categories, shapes = _labels(document), _shapes(document)
    problems = []
    legends = 0
    for step, charts, widths in drawn:
        for labels in charts:
            legends += any(label["group"] == "legend" for label in labels)
            problems += [
                f"step {step}: {found}"
                for found in legend_problems(labels, max(widths), categories, shapes)
            ]
    # (us_employment's steps draw one series each: no key to clip)
    assert (legends > 0) is (name not in KEYLESS), legends
    assert problems == []
    assert errors == []


@pytest.mark.parametrize("name", EXAMPLES + list(CORPUS))
def test_on_a_phone_the_legend_sits_above_the_plot(labelled, name):
    document, drawn, errors = labelled(name, PHONE)
    categories = _labels(document)
    beside = []
    for step, charts, _ in drawn:
        for labels in charts:
            key = [
                label
                for label in labels
                if label["group"] == "legend" and label["text"] in categories
            ]
            axes = [label for label in labels if label["group"].startswith("axis")]
            if key and axes:
                lowest = max(label["box"][3] for label in key)
                highest = min(label["box"][1] for label in axes)
                if lowest > highest:
                    beside.append(
                        f"step {step}: the legend reaches {lowest:.0f} px, the axes start at {highest:.0f}"
                    )
    assert beside == []
    assert errors == []


# --- bars and their labels, as a graphics desk sets them --------------------------------
# RECORD_BOXES gives where each text and each coloured shape of a frame went on its canvas.
SIZES = [PHONE, (1280, 720), (1920, 1080)]


def _rgba(colour: str) -> tuple[float, float, float, float]:
    if colour.startswith("#"):
        digits = colour[1:]
        r, g, b = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
        a = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
        return r, g, b, a
    parts = [float(part) for part in re.findall(r"[\d.]+", colour)]
    if not colour.startswith("rgb") or len(parts) < 3:
        return 0, 0, 0, 0  # a gradient or pattern: the engine's own, no mark's
    return parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0


def marks_of(canvas) -> list[list[float]]:
    """The boxes of the rectangular marks a canvas shows (bars, columns, tiles): its
    coloured, visible rectangles (not the grey stripes, the logo or the background)."""
    found = []
    for shape in canvas["shapes"]:
        if not shape["rectangle"]:
            continue
        r, g, b, a = _rgba(shape["colour"])
        if max(r, g, b) - min(r, g, b) > 20 and a * shape["alpha"] > 0.05:
            found.append(shape["box"])
    return found


def _meets(p, q, slack=0.5) -> bool:
    """Whether two boxes [left, top, right, bottom] overlap by more than ``slack`` px each way."""
    return min(overlap(p, q)) > slack


def _within(inner, outer, slack=0.5) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


# A text this faint or fainter is a backdrop (the player draws a timeline's moment at 0.16).
BACKDROP_ALPHA = 0.2


def covered(canvas) -> list[str]:
    """Texts drawn over what they do not label: a text that reaches into a mark without lying
    wholly inside it (its own), or into a second mark, or over another text. A backdrop (a
    timeline's moment, drawn faint under the marks and their labels) labels nothing."""
    marks = marks_of(canvas)
    texts = [text for text in canvas["texts"] if text["alpha"] > BACKDROP_ALPHA]
    problems = []
    for n, text in enumerate(texts):
        under = [mark for mark in marks if _meets(text["box"], mark)]
        if len(under) > 1 or (under and not _within(text["box"], under[0])):
            problems.append(f"{text['text']!r} is drawn over {len(under)} mark(s)")
        problems += [
            f"{text['text']!r} is drawn over {other['text']!r}"
            for other in texts[n + 1 :]
            if _meets(text["box"], other["box"]) and overlapping(text["corners"], other["corners"])
        ]
    return problems


BARLEY = ("barley", "eager")


@pytest.fixture(scope="module")
def barley(tmp_path_factory):
    """The barley yields of the corpus (six sites, ten varieties: 60 columns side by side)."""
    from ipyreport import Story
    from tests.corpus import CASES, source

    folder = tmp_path_factory.mktemp("barley")
    data = source("barley", "eager", folder)
    slides = [slide for case in CASES if case.dataset == "barley" for slide in case.build(data)]
    return Story(data, slides=slides).save_html(folder / "barley.html")


def stories(demo, barley):  # noqa: F811
    return [demo / f"{name}.html" for name in EXAMPLES] + [barley]


@pytest.fixture(scope="module")
def boxed(browser, demo, barley):  # noqa: F811
    """Each story played once at each size, steps jumping: per step, where every text and
    shape of each canvas went (``drawn_boxes``); and what the page reported."""

    @cache
    def played(which: int, size: tuple[int, int]):
        path = stories(demo, barley)[which]
        with opened_once(browser, path, size, RECORD_TEXTS, RECORD_BOXES) as watch:
            drawn = [(step, drawn_boxes(watch.page)) for step in steps(watch.page)]
            return drawn, list(watch.errors)

    return played


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("which", range(len(EXAMPLES) + 1))
def test_no_text_is_drawn_over_another_mark_or_text(boxed, which, size):
    drawn, errors = boxed(which, size)
    problems = []
    marks = 0
    for step, canvases in drawn:
        for canvas in canvases:
            marks += len(marks_of(canvas))
            problems += [f"step {step}: {found}" for found in covered(canvas)]
    assert marks > 0, "no mark was seen"
    assert problems == []
    assert errors == []


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("which", range(len(EXAMPLES) + 1))
def test_every_chart_text_lies_inside_its_canvas(boxed, which, size):
    drawn, errors = boxed(which, size)
    cut = []
    for step, canvases in drawn:
        for canvas in canvases:
            cut += [
                f"step {step}: {text['text']!r} at {[round(v) for v in text['box']]}"
                f" in {canvas['width']}x{canvas['height']}"
                for text in canvas["texts"]
                # A glyph's ink may reach a pixel past the box its type is laid out in.
                if not _within(text["box"], [0, 0, canvas["width"], canvas["height"]], 1.5)
            ]
    assert cut == []
    assert errors == []


def go_to(page, slide, step):
    page.evaluate(f"() => document.getElementById('ipyreport').ipyreport.goTo({slide}, {step})")
    wait_idle(page)


def bars_and_labels(page):
    """The main chart's marks and all it drew: ``(marks, canvas)``."""
    canvas = drawn_boxes(page)[0]
    return marks_of(canvas), canvas


@pytest.mark.parametrize("size", [PHONE, (1280, 720)])
def test_columns_on_categories_take_the_width_the_value_axis_does_not_need(open_file, demo, size):  # noqa: F811
    """The regions' columns: right of the last, only half the gap between two columns and a
    margin, not the engine's 3.75em kept for a value axis's last number (45 px of a phone's
    390, where every name and label stands within its column)."""
    watch, page = play(open_file, demo / "sales-overview.html", size)
    page.add_init_script(RECORD_BOXES)
    page.reload()
    wait_ready(page)
    marks, canvas = bars_and_labels(page)
    assert len(marks) == 4
    marks.sort(key=lambda mark: mark[0])
    gap = marks[1][0] - marks[0][2]
    right = canvas["width"] - marks[-1][2]
    size_px = (
        12
        if size == PHONE
        else page.evaluate(
            "() => parseFloat(document.getElementById('ipyreport').ipyreport.style().fontSize)"
        )
    )
    assert right <= gap / 2 + 1.5 * size_px, (right, gap, size_px)
    names = [
        t for t in canvas["texts"] if t["text"] in {"Americas", "Europe", "Asia Pacific", "Africa"}
    ]
    assert len(names) >= 4
    assert max(t["box"][2] for t in names) <= canvas["width"]
    assert watch.errors == []


@pytest.mark.parametrize("size", [PHONE, (1280, 720)])
def test_a_pie_stands_in_the_middle_of_its_chart(open_file, demo, size):  # noqa: F811
    """The regions' shares: the circle as far from the chart's right edge as from its left
    (the engine kept a y axis's room on the left of a pie that draws none: 23 px off centre
    on a phone)."""
    watch, page = play(open_file, demo / "sales-overview.html", size)
    page.add_init_script(RECORD_BOXES)
    page.reload()
    wait_ready(page)
    go_to(page, 3, 1)
    canvas = drawn_boxes(page)[0]
    slices = [
        shape["box"]
        for shape in canvas["shapes"]
        if not shape["rectangle"]
        and max(_rgba(shape["colour"])[:3]) - min(_rgba(shape["colour"])[:3]) > 20
    ]
    assert len(slices) == 4  # Americas, Europe, Asia Pacific, Africa
    left, right = min(box[0] for box in slices), max(box[2] for box in slices)
    assert abs((left + right) / 2 - canvas["width"] / 2) <= 3, (left, right, canvas["width"])
    assert watch.errors == []


@pytest.mark.parametrize("size", [PHONE, (1280, 720)])
def test_columns_in_groups_stand_apart_with_their_labels(open_file, demo, size):  # noqa: F811
    """ "Products side by side": a region's four columns (a phone's four bars) closer to one
    another than to the next region's, each value label still over (beside) its own mark, the
    region's name under the middle of its group."""
    watch, page = play(open_file, demo / "sales-overview.html", size)
    page.add_init_script(RECORD_BOXES)
    page.reload()
    wait_ready(page)
    go_to(page, 2, 2)
    marks, canvas = bars_and_labels(page)
    assert len(marks) == 16
    along = 1 if size == PHONE else 0  # bars stack down a phone, columns run across
    marks.sort(key=lambda mark: mark[along])
    gaps = [marks[i + 1][along] - marks[i][along + 2] for i in range(15)]
    between = [gaps[i] for i in (3, 7, 11)]
    within = [gap for i, gap in enumerate(gaps) if i not in (3, 7, 11)]
    assert min(between) > 2 * max(within), (between, within)
    values = [t for t in canvas["texts"] if t["text"].startswith("$") and "M" in t["text"]]
    for mark in marks:
        middle = (mark[along] + mark[along + 2]) / 2
        labelled = [
            t for t in values if abs((t["box"][along] + t["box"][along + 2]) / 2 - middle) < 2
        ]
        assert len(labelled) == 1, (mark, [t["text"] for t in values])
    for k, region in enumerate(["Americas", "Europe", "Asia Pacific", "Africa"]):
        group = marks[4 * k : 4 * k + 4]
        middle = (group[0][along] + group[-1][along + 2]) / 2
        name = next(t for t in canvas["texts"] if t["text"] == region and t["box"][1] > 60)
        assert abs((name["box"][along] + name["box"][along + 2]) / 2 - middle) < 3, region
    assert watch.errors == []


_TIP = """() => { const t = document.querySelector('.ipyreport-chart .ipyreport-tip');
  return t.hidden ? '' : t.textContent; }"""


def _tip_at(page, x, y) -> str:
    """The tooltip's words once the pointer rests at page point ``(x, y)`` ('' for none)."""
    page.mouse.move(x, y)
    deadline = time.monotonic() + 2
    tip = page.evaluate(_TIP)
    while not tip and time.monotonic() < deadline:
        time.sleep(0.05)
        tip = page.evaluate(_TIP)
    return tip


def test_a_pointer_finds_a_grouped_column_where_it_is_drawn(open_file, demo):  # noqa: F811
    """Grouped columns stand closer about their group's middle than the engine lays them:
    the pointer answers where a column is drawn. Just inside a group's outermost column it
    names that column (the engine lays a gap there); just past it, in the gap between two
    groups, it names nothing (the engine's hit test found the column's end there)."""
    watch, page = play(open_file, demo / "sales-overview.html", (1280, 720))
    page.add_init_script(RECORD_BOXES)
    page.reload()
    wait_ready(page)
    go_to(page, 2, 2)
    marks, _ = bars_and_labels(page)
    marks.sort(key=lambda mark: mark[0])
    origin = page.locator(".ipyreport-chart canvas").first.bounding_box()
    last = marks[3]  # Americas' last column, the outermost of its group
    low = (last[1] + last[3]) / 2 + origin["y"]
    # Just past its drawn edge, in the gap between the groups, where the engine lays its end.
    assert _tip_at(page, origin["x"] + last[2] + 8, low) == ""
    # Just inside its drawn inner edge, where the engine lays the gap before it.
    inner = _tip_at(page, origin["x"] + last[0] + 2, low)
    assert set(inner.splitlines()[:2]) == {"Region: Americas", "Product: Accessories"}, inner
    assert watch.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_columns_that_would_not_fit_are_drawn_as_bars(open_file, demo, scheme):  # noqa: F811
    # "Products side by side": 16 columns, four products in each of four regions.
    seen = {}
    for size in (PHONE, (1280, 720)):
        watch = open_file(
            demo / "sales-overview.html", reduced_motion="reduce", size=size, color_scheme=scheme
        )
        page = watch.page
        page.add_init_script(RECORD_TEXTS)
        page.add_init_script(RECORD_BOXES)
        page.reload()
        wait_ready(page)
        go_to(page, 2, 2)
        marks, canvas = bars_and_labels(page)
        # A value label lines up with a mark: level with a bar, above a column.
        along = 1 if size == PHONE else 0
        values = {
            text["text"]: text["box"]
            for text in canvas["texts"]
            if text["text"].startswith("$")
            and any(
                mark[along] <= (text["box"][along] + text["box"][along + 2]) / 2 <= mark[along + 2]
                for mark in marks
            )
        }
        colours = sorted({shape["colour"] for shape in canvas["shapes"] if shape["box"] in marks})
        alt = page.locator(".ipyreport-alt").text_content()
        seen[size] = (marks, values, colours, alt)
        assert watch.errors == []
    phone, desktop = seen[PHONE], seen[(1280, 720)]
    assert len(phone[0]) == len(desktop[0]) == 16
    # On the desktop, columns rise from one baseline; on the phone, bars run from one left edge.
    assert len({round(mark[3]) for mark in desktop[0]}) == 1
    assert len({round(mark[0]) for mark in phone[0]}) == 1
    longest = max(phone[0], key=lambda mark: mark[2] - mark[0])
    assert longest[2] - longest[0] > 4 * (longest[3] - longest[1])
    # The same numbers, in the same colours, and the same words.
    assert set(phone[1]) == set(desktop[1])
    assert len(phone[1]) == 16
    assert phone[2] == desktop[2]
    assert len(phone[2]) == 4
    assert phone[3] == desktop[3]
    assert "bar chart" in phone[3]
    # Each value sits just past the end of its bar, level with it.
    for text, box in phone[1].items():
        middle = (box[1] + box[3]) / 2
        bar = next(mark for mark in phone[0] if mark[1] <= middle <= mark[3])
        assert 0 <= box[0] - bar[2] <= 12, (text, box, bar)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_a_treemaps_labels_stay_inside_their_tiles(open_file, demo, scheme):  # noqa: F811
    watch = open_file(
        demo / "sales-overview.html", reduced_motion="reduce", size=PHONE, color_scheme=scheme
    )
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.add_init_script(RECORD_BOXES)
    page.reload()
    wait_ready(page)
    go_to(page, 3, 2)  # "Revenue as area": regions' tiles split by product
    tiles, canvas = bars_and_labels(page)
    assert len(tiles) == 16
    on_tiles = [text for text in canvas["texts"] if any(_meets(text["box"], t) for t in tiles)]
    inside = [text["text"] for text in on_tiles if any(_within(text["box"], t) for t in tiles)]
    # Every labelled tile names its region and says its value: on one line where they fit
    # ("Americas $136.2M"), else on two ("Africa" over "$26.5M"); a tile too small for that
    # says nothing. Africa, whose tiles are all narrow, was named nowhere before.
    assert [text["text"] for text in on_tiles if text["text"] not in inside] == []
    per_tile = [[text["text"] for text in on_tiles if _within(text["box"], t)] for t in tiles]
    labelled = [" ".join(texts) for texts in per_tile if texts]
    assert len(labelled) >= 12, labelled
    region = r"(Americas|Europe|Asia Pacific|Africa)"
    assert [text for text in labelled if not re.fullmatch(rf"{region} \$[\d.]+M", text)] == []
    assert {re.match(region, text).group(1) for text in labelled} == {
        "Americas",
        "Europe",
        "Asia Pacific",
        "Africa",
    }
    assert any(len(texts) == 2 for texts in per_tile), per_tile  # a tile labelled on two lines
    # With no axis to make room for, the tiles take the chart's width but for a margin.
    left, right = min(t[0] for t in tiles), max(t[2] for t in tiles)
    assert right - left >= 0.85 * canvas["width"], (left, right, canvas["width"])
    # The key says what each colour is.
    texts = {text["text"] for text in canvas["texts"]}
    assert {"Laptops", "Phones", "Tablets", "Accessories"} <= texts
    assert watch.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_a_few_names_under_the_x_axis_read_level_on_two_lines_if_need_be(
    open_file,
    demo,  # noqa: F811
    scheme,
):
    """The orders heatmap's four regions: the engine turns them 45° on a phone; they read
    level instead, each centred under its column, "Asia Pacific" as "Asia" over "Pacific"."""
    seen = {}
    for size in (PHONE, (1280, 720)):
        watch = open_file(
            demo / "orders-at-scale.html", reduced_motion="reduce", size=size, color_scheme=scheme
        )
        page = watch.page
        page.add_init_script(RECORD_TEXTS)
        page.add_init_script(RECORD_BOXES)
        page.reload()
        wait_ready(page)
        go_to(page, 2, 2)  # "Units sold": regions along x, products along y
        texts = drawn_boxes(page)[0]["texts"]
        marks = page.evaluate("() => document.getElementById('ipyreport').ipyreport.marks()[0]")
        columns = {}
        for mark in marks:
            columns.setdefault(mark["categories"]["Region"], []).append(mark["center"]["x"])
        words = {"Africa": "Africa", "Americas": "Americas", "Asia": "Asia Pacific"}
        words |= {"Pacific": "Asia Pacific", "Asia Pacific": "Asia Pacific", "Europe": "Europe"}
        below = max(mark["center"]["y"] for mark in marks)
        seen[size] = {
            text["text"]: text["box"]
            for text in texts
            if text["text"] in words and text["box"][1] > below
        }
        for text, box in seen[size].items():
            middle = sum(columns[words[text]]) / len(columns[words[text]])
            # Level: a box as high as a line of type (a turned one is about as high as wide).
            assert box[3] - box[1] < 20, (size, text, box)
            assert abs((box[0] + box[2]) / 2 - middle) <= 2, (size, text, box, middle)
        assert watch.errors == []
    phone, desktop = seen[PHONE], seen[(1280, 720)]
    assert set(phone) == {"Africa", "Americas", "Asia", "Pacific", "Europe"}
    assert phone["Pacific"][1] >= phone["Asia"][3] - 1  # one line under the other
    assert set(desktop) == {"Africa", "Americas", "Asia Pacific", "Europe"}


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), PHONE])
def test_a_long_axis_title_starts_within_the_canvas(open_file, tmp_path, size):
    """Mean miles per gallon by origin: the engine started the value axis's title before
    the canvas at 1920 px ("an Miles_per_Gallon"); it now starts at the canvas's edge."""
    from ipyreport import Slide, Story, presets
    from tests.corpus import source

    data = source("cars", "eager", tmp_path)
    story = Story(
        data,
        slides=[Slide(presets.chart(kind="column", x="Origin", y="mean(Miles_per_Gallon)"))],
    )
    watch, page = play(open_file, story.save_html(tmp_path / "title.html"), size)
    titles = [
        label
        for drawn in page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()")
        for label in drawn
        if label["group"] == "title-y"
    ]
    assert [label["text"] for label in titles] == ["Mean Miles_per_Gallon"]
    assert titles[0]["box"][0] >= -0.5, titles
    assert watch.errors == []
