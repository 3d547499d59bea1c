"""Morphs between chart kinds as an audience sees them: into and out of a pie, and a pie
into a treemap, every frame a clean picture — never a see-through chart bending through
another, always some mark to follow, and the step at rest within its time budget.

The engine hands every mark to a ``plot-marker-draw`` event just before it fills it; the
page records each mark's outline (the path it fills, through the canvas's transform) and
whether it is a rectangle: its outline fills nearly all of its box, where a pie's wedge or
a bent strip fills much less of it — and how opaque it is drawn.
"""

from __future__ import annotations

import itertools
import re

import pytest

from ipyreport import Slide, Story, encode, presets, samples, spec
from ipyreport.formats import scale_factor
from tests.corpus import CASES, source

from .pages import box_of, piled, wait_ready

# Each frame a chart draws: its marks' outlines, as rectangles or not, and how visible.
RECORD_OUTLINES = """(() => {
  window.outlineFrames = [];
  let frame = null;
  let pending = false;
  let marker = null;
  let path = [];
  let curved = false;
  const P = CanvasRenderingContext2D.prototype;
  const at = (context, x, y) => { const m = context.getTransform(); return [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]; };
  const beginPath = P.beginPath;
  P.beginPath = function () { path = []; curved = false; return beginPath.call(this); };
  for (const name of ["moveTo", "lineTo"]) {
    const own = P[name];
    P[name] = function (x, y) { path.push(at(this, x, y)); return own.call(this, x, y); };
  }
  // An arc's points along it, so a disc or a slice has its extent.
  const arc = P.arc;
  P.arc = function (x, y, r, from, to, ...rest) {
    curved = true;
    const turn = to - from;
    for (let i = 0; i <= 16; i += 1) {
      const angle = from + (turn * i) / 16;
      path.push(at(this, x + r * Math.cos(angle), y + r * Math.sin(angle)));
    }
    return arc.call(this, x, y, r, from, to, ...rest);
  };
  for (const name of ["arcTo", "ellipse", "bezierCurveTo", "quadraticCurveTo"]) {
    const own = P[name];
    P[name] = function (...args) { curved = true; return own.apply(this, args); };
  }
  const rect = P.rect;
  P.rect = function (x, y, w, h) { path.push(at(this, x, y), at(this, x + w, y), at(this, x + w, y + h), at(this, x, y + h)); return rect.call(this, x, y, w, h); };
  // The mark being filled: its outline so far, as the engine draws it or as the player
  // fills it itself (a bar held where it stood: one rectangle).
  const taken = (context) => {
    if (pending && frame && path.length > 2) {
      const xs = path.map((p) => p[0]);
      const ys = path.map((p) => p[1]);
      const width = Math.max(...xs) - Math.min(...xs);
      const height = Math.max(...ys) - Math.min(...ys);
      let area = 0;
      path.forEach(([x, y], i) => { const [u, v] = path[(i + 1) % path.length]; area += x * v - u * y; });
      const paint = /^rgba\\([^,]+,[^,]+,[^,]+,\\s*([\\d.]+)\\)$/.exec(String(context.fillStyle));
      frame.push({
        left: Math.min(...xs), bottom: Math.max(...ys), width, height,
        rectangle: !curved && Math.abs(area) / 2 >= 0.9 * width * height,
        opacity: context.globalAlpha * (paint ? Number(paint[1]) : 1),
        mark: marker,
      });
    }
    pending = false;
  };
  const fill = P.fill;
  P.fill = function (...rest) {
    taken(this);
    return fill.apply(this, rest);
  };
  const fillRect = P.fillRect;
  P.fillRect = function (x, y, w, h) {
    if (pending) {
      path = [at(this, x, y), at(this, x + w, y), at(this, x + w, y + h), at(this, x, y + h)];
      curved = false;
    }
    taken(this);
    return fillRect.call(this, x, y, w, h);
  };
  // And the texts each frame writes, by their middle: window.textFrames, frame for frame.
  window.textFrames = [];
  let texts = [];
  const fillText = P.fillText;
  P.fillText = function (text, x, y, ...rest) {
    if (frame) {
      const [middle, top] = at(this, x + this.measureText(text).width / 2, y);
      texts.push({ text: String(text), x: middle, y: top, alpha: this.globalAlpha });
    }
    return fillText.call(this, text, x, y, ...rest);
  };
  const heard = (event) => {
    if (event.type === "draw-begin") { frame = []; texts = []; }
    if (event.type === "plot-marker-draw") {
      pending = true;
      marker = JSON.stringify(event.target?.categories ?? null);
    }
    if (event.type === "draw-complete" && frame) {
      window.outlineFrames.push(frame);
      window.textFrames.push(texts);
      frame = null;
    }
  };
  Object.defineProperty(Object.prototype, "renderingContext", {
    configurable: true,
    set(value) {
      Object.defineProperty(this, "renderingContext", { value, writable: true, configurable: true, enumerable: true });
      if (typeof this.type === "string") heard(this);
    },
  });
})();"""

SAMPLE_MS = 100  # the clock moves this far between reads
BUDGET_MS = 1500
# A mark one can see and tell the shape of: some opacity, a few pixels each way.
SEEN_OPACITY = 0.05
SEEN_PIXELS = 3
OPAQUE = 0.95  # a mark less opaque than this shows what is under it


def _gapminder(folder) -> Story:
    cases = [c for c in CASES if c.dataset == "gapminder"]
    cases = [next(c for c in cases if c.preset == p) for p in ("bar", "pie", "morph")]
    data = source("gapminder", "eager", folder)
    return Story(data, slides=[slide for case in cases for slide in case.build(data)])


def _sales(folder) -> Story:
    from .test_motion import EXAMPLE_SPECS

    return spec.build(spec.load(EXAMPLE_SPECS / "sales-overview.yaml"))


# Story: the 1-based steps played from the step before, each a morph into or out of a pie.
MORPHS = {
    # 100% columns into a pie; the pie into a treemap.
    "sales-overview": (_sales, (9, 10)),
    # Bars into a pie; the pie into columns; columns into a pie; the pie into a treemap.
    "gapminder": (_gapminder, (2, 3, 4, 5)),
}


def _recording(browser, width: int, height: int):
    """A page of ``width`` x ``height`` that records every frame's outlines, on a fake clock."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.add_init_script(RECORD_OUTLINES)
    page.clock.install()
    yield page
    context.close()


@pytest.fixture(scope="module")
def page(browser):
    yield from _recording(browser, 1280, 720)


@pytest.fixture(scope="module")
def phone(browser):
    yield from _recording(browser, 390, 844)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("morphs")


def _open(page, story: Story, path) -> None:
    """Show ``story`` in ``page``, its clock then standing still until moved on."""
    story.save_html(path)
    page.clock.resume()
    page.goto(path.resolve().as_uri())
    wait_ready(page)
    page.focus("#ipyreport")
    page.clock.pause_at(page.evaluate("() => Date.now()") / 1000 + 0.5)


def _frames(page, step: int) -> tuple[list[list[dict]], int]:
    """Every frame drawn while step ``step`` (1-based) plays from the one before, and the
    ms after the key when the player said it rests."""
    frames, _, rested = _played(page, step)
    return frames, rested


def _played(page, step: int) -> tuple[list[list[dict]], list[list[dict]], int]:
    """As :func:`_frames`, with the texts each frame wrote (``text``, and ``x``, ``y`` of
    its middle and top) beside its marks."""
    page.evaluate("(k) => { document.getElementById('ipyreport').ipyreport.go(k); }", step - 2)
    page.clock.run_for(3000)
    page.evaluate("() => { window.outlineFrames = []; window.textFrames = []; }")
    page.keyboard.press("ArrowRight")
    frames, texts, ms, rested = [], [], 0, None
    take = """() => {
      const taken = [window.outlineFrames, window.textFrames];
      window.outlineFrames = []; window.textFrames = [];
      return taken;
    }"""
    while ms < 3000 and rested is None:
        page.clock.run_for(SAMPLE_MS)
        ms += SAMPLE_MS
        marks, written = page.evaluate(take)
        frames += marks
        texts += written
        if not page.evaluate("() => document.getElementById('ipyreport').ipyreport.state.moving"):
            rested = ms
    return frames, texts, rested or ms


def _seen(frames: list[list[dict]]) -> list[list[dict]]:
    """Each frame's marks one can see: some opacity, a few pixels wide."""
    return [
        [m for m in marks if m["opacity"] >= SEEN_OPACITY and m["width"] >= SEEN_PIXELS]
        for marks in frames
    ]


def _problems(frames: list[list[dict]]) -> list[str]:
    """Frames with nothing to follow, or with bent marks one sees through: a chart bending
    while another shows through it (a cross-fade that switches coordinates midway draws the
    leaving and arriving marks as one see-through fan). A staged morph bends opaque marks,
    all of a piece; the only marks it fades are straight-sided (tiles splitting)."""
    problems = []
    for number, marks in enumerate(frames):
        seen = [
            mark
            for mark in marks
            if mark["opacity"] >= SEEN_OPACITY and min(mark["width"], mark["height"]) >= SEEN_PIXELS
        ]
        if not seen:
            problems.append(f"frame {number}: no mark one can see")
            continue
        through = [m for m in seen if not m["rectangle"] and m["opacity"] < OPAQUE]
        if through:
            problems.append(
                f"frame {number}: {len(through)} of {len(seen)} marks bent and see-through"
            )
    return problems


@pytest.mark.parametrize(
    ("name", "step"), [(name, step) for name, (_, steps) in MORPHS.items() for step in steps]
)
def test_a_morph_into_or_out_of_a_pie_never_bends_one_chart_through_another(
    page, folder, name, step
):
    make, _ = MORPHS[name]
    if getattr(page, "story", None) != name:
        _open(page, make(folder), folder / f"{name}.html")
        page.story = name
    frames, rested = _frames(page, step)
    assert len(frames) >= 5, "the step drew too few frames to judge"
    assert _problems(frames) == []
    assert rested <= BUDGET_MS + SAMPLE_MS


def test_the_rule_sees_a_cross_fade_that_bends_while_both_charts_show(page, folder):
    """100% columns faded into a pie as they were before staging: the coordinates switch
    while the leaving columns and the arriving wedges both show, see-through."""
    sales = encode(samples.sales())
    fade = {
        "duration": 1.0,
        "regroupStrategy": "fade",
        "hide": {"delay": 0.0, "duration": 0.6},
        "show": {"delay": 0.4, "duration": 0.6},
        "coordSystem": {"delay": 0.45, "duration": 0.1},
    }
    story = Story(
        sales,
        slides=[
            Slide(
                presets.chart(kind="percentage_column", x="Region", y="Revenue", color="Product"),
                presets.chart(kind="pie", x="Region", y="Revenue").with_animation(**fade),
            )
        ],
        formats={"Revenue": "$"},
    )
    _open(page, story, folder / "fade.html")
    page.story = "fade"
    frames, _ = _frames(page, 2)
    found = _problems(frames)
    assert found
    assert all(problem.endswith("bent and see-through") for problem in found)
    # From the switch (about 450 ms) until the columns have faded: a dozen frames or more.
    assert len(found) >= 10


def _shapes(frames: list[list[dict]]) -> str:
    """Each frame as a letter: ``S`` a strip (every mark seen a rectangle of one height, and
    that at least half the tallest mark of the move: a pie's strip fills the plot's height
    where bars are thin), ``R`` other rectangles, ``b`` some mark bent."""
    tallest = max((m["height"] for marks in frames for m in marks), default=0)
    letters = []
    for seen in _seen(frames):
        heights = [m["height"] for m in seen]
        if not all(m["rectangle"] for m in seen):
            letters.append("b")
        elif seen and max(heights) - min(heights) <= 1 and min(heights) >= tallest / 2:
            letters.append("S")
        else:
            letters.append("R")
    return "".join(letters)


def test_on_a_phone_columns_drawn_as_bars_go_into_a_pie_and_out_of_it_staged(phone, folder):
    """A phone draws sixteen countries' columns as bars; into a pie they queue up along one
    strip, close ranks and only then bend, and out of it they unbend first, as on a desktop
    (played as one move, the pie fanned out and bent its wedges into bars nearly all the way)."""
    sales = samples.sales()
    steps = presets.morph(
        sales, ["column", "pie", "column"], x="Country", y="Revenue", color="Country"
    )
    story = Story(sales, slides=[Slide(*steps)], formats={"Revenue": "$"})
    _open(phone, story, folder / "phone.html")
    into, rested_into = _frames(phone, 2)
    out, rested_out = _frames(phone, 3)
    into, out = _shapes(into), _shapes(out)
    # Into the pie: rectangles, the strip, then the bend; out of it, the other way round.
    assert re.fullmatch(r"R*S+b+", into), into
    assert re.fullmatch(r"b+S+R+", out), out
    assert out.count("b") <= len(out) // 2, out
    assert max(rested_into, rested_out) <= BUDGET_MS + SAMPLE_MS


def test_on_a_phone_stacked_bars_step_apart_before_they_land(phone, folder):
    """Stacked columns grouped are staged so no part lies over another: the parts step
    sideways into their own places, keeping their heights on one scale (a waterfall that
    still adds up to its whole), then land. A phone draws the columns as bars, so the
    stages turn with them; played the other way round, the parts would pile up at the left
    edge, each country's largest product hiding the rest."""
    sales = samples.sales()
    story = Story(
        sales,
        slides=[
            Slide(
                presets.chart(kind="stacked_column", x="Country", y="Revenue", color="Product"),
                presets.chart(kind="grouped_column", x="Country", y="Revenue", color="Product"),
            )
        ],
        formats={"Revenue": "$"},
    )
    _open(phone, story, folder / "grouped.html")
    frames, rested = _frames(phone, 2)
    seen = [[m for m in marks if m["opacity"] >= SEEN_OPACITY] for marks in frames]
    assert len(seen) >= 5, "the step drew too few frames to judge"
    baseline = min(m["left"] for m in seen[-1])
    # Bars, not columns: a part for each country's each product, from one left edge at rest.
    parts = set(zip(sales["Country"].to_pylist(), sales["Product"].to_pylist(), strict=True))
    assert len(seen[-1]) == len(parts)
    assert all(abs(m["left"] - baseline) <= 1 for m in seen[-1])
    assert [number for number, marks in enumerate(seen) if _piles(marks)] == []
    stepping = [marks for marks in seen if any(m["left"] > baseline + 1 for m in marks)]
    assert stepping, "no frame showed the parts on their way: nothing judged"
    assert rested <= BUDGET_MS + SAMPLE_MS


def test_a_drill_down_steps_the_parts_apart_as_a_waterfall_then_lands_them(page, folder):
    """Regions, then Europe's countries: the other regions leave, Europe's column breaks
    into its countries, which step apart at their heights in the column (a waterfall that
    adds up to Europe), then land as the axis takes their scale. No part ever lies over
    another: dropped first onto one baseline, the three read as one column of Germany's
    revenue standing over the name "Europe". No number is written until they land."""
    story = _sales(folder)
    _open(page, story, folder / "drill.html")
    page.story = "drill"
    frames, texts, rested = _played(page, 2)
    seen = _seen(frames)
    assert len(seen) >= 5, "the step drew too few frames to judge"
    baseline = max(m["bottom"] for m in seen[-1])
    assert len(seen[-1]) == 3  # Germany, France, the United Kingdom
    assert [number for number, marks in enumerate(seen) if _piles(marks)] == []
    floating = [n for n, marks in enumerate(seen) if any(m["bottom"] < baseline - 1 for m in marks)]
    assert floating, "no frame showed the waterfall: nothing judged"
    written = [t["text"] for n in floating for t in texts[n] if VALUE.match(t["text"])]
    assert written == []
    assert rested <= BUDGET_MS + SAMPLE_MS


def test_a_drill_to_a_sibling_level_splits_the_part_it_keeps(page, folder):
    """Europe's countries, then Germany's products: the other countries leave, Germany's
    column breaks into its products, which step apart and land, none ever lying over
    another (the engine merged the countries into one "Europe" column first)."""
    story = _sales(folder)
    _open(page, story, folder / "sibling.html")
    page.story = "sibling"
    frames, texts, rested = _played(page, 3)
    seen = _seen(frames)
    assert len(seen) >= 5, "the step drew too few frames to judge"
    assert len(seen[-1]) == 4  # Germany's four products
    axis = {t["text"] for frame in texts for t in frame}
    assert "Europe" not in axis  # the countries never merge into their region
    assert [number for number, marks in enumerate(seen) if _piles(marks)] == []
    assert rested <= BUDGET_MS + SAMPLE_MS


def test_an_axis_whose_title_changes_shows_one_title_at_a_time(page, folder):
    """Grouped columns into 100% columns: the value axis's title turns from "Revenue" into
    "Share of revenue". The engine cross-fades the two in one place, and mid-move they were
    printed through each other ("ShaRevenue..."); the old one now leaves before the new one
    comes, so no frame writes both."""
    story = _sales(folder)
    _open(page, story, folder / "titles.html")
    page.story = "titles"
    _, texts, rested = _played(page, 8)  # "Products side by side" into "Product mix by region"
    titles = [{t["text"] for t in frame} & {"Revenue", "Share of revenue"} for frame in texts]
    assert {"Revenue"} in titles, "the old title was never seen: nothing judged"
    assert {"Share of revenue"} in titles
    assert [number for number, both in enumerate(titles) if len(both) == 2] == []
    assert rested <= BUDGET_MS + SAMPLE_MS


# A number on an axis as a story writes Revenue or Profit ("$1.5M", "-$200K", "$0").
AXIS_NUMBER = re.compile(r"^(-?)\$([\d.]+)([KM]?)$")


def _amount(text: str) -> float | None:
    found = AXIS_NUMBER.match(text)
    if not found:
        return None
    sign, digits, scale = found.groups()
    return (-1 if sign else 1) * float(digits) * scale_factor(scale)


def test_a_label_whose_value_a_step_keeps_stays_written_through_it(page, folder):
    """A highlight keeps every column and its value. Europe's "$237.2M" is written at full
    strength in every frame of the move. A move over the same marks makes labels take turns
    at half-way (a timeline's next moment) only where their values change."""
    sales = encode(samples.sales())
    story = Story(
        sales,
        slides=[
            Slide(
                presets.chart(kind="column", x="Region", y="Revenue"),
                presets.highlight(where={"Region": "Europe"}, note="Europe"),
            )
        ],
        formats={"Revenue": "$"},
    )
    _open(page, story, folder / "kept.html")
    _, texts, _ = _played(page, 2)
    assert len(texts) >= 4
    europe = [[t["alpha"] for t in written if t["text"] == "$237.2M"] for written in texts]
    assert all(europe), [
        (k, [t["text"] for t in texts[k]]) for k, alphas in enumerate(europe) if not alphas
    ]
    assert min(alpha for written in europe for alpha in written) >= 0.9, europe


def test_an_axis_whose_range_changes_shows_one_set_of_ticks_at_a_time(page, folder):
    """A scatter zooms into a range of profit: the engine cross-fades the axis's old ticks
    and its new ones in one place, and mid-move both sets were written at once ("$400K"
    beside "$500K" beside "$300K"). The old set now leaves before the new one comes: every
    frame's value-axis numbers are one evenly spaced set."""
    sales = samples.sales()
    story = Story(
        sales,
        formats={"Revenue": "$", "Profit": "$"},
        slides=[
            Slide(
                *presets.zoom_range(
                    sales,
                    kind="scatter",
                    x="Revenue",
                    y="Profit",
                    by="Country",
                    low=0,
                    high=3e6,
                )
            )
        ],
    )
    _open(page, story, folder / "ticks.html")
    page.story = "ticks"
    _, texts, rested = _played(page, 2)
    plot_left = 80  # the value axis's numbers stand left of the plot
    sets = []
    for frame in texts:
        values = sorted(
            {v for t in frame if t["x"] < plot_left and (v := _amount(t["text"])) is not None}
        )
        if len(values) >= 3:
            sets.append(values)
    assert len(sets) >= 5, "too few frames wrote the axis: nothing judged"
    uneven = [
        values
        for values in sets
        if len({round(b - a, 6) for a, b in itertools.pairwise(values)}) > 1
    ]
    assert uneven == []
    assert sets[0] != sets[-1], "the axis never changed its range: nothing judged"
    assert rested <= BUDGET_MS + SAMPLE_MS


def test_labels_a_step_takes_away_fade_out_as_they_stood_at_rest(page, folder):
    """120 months of job changes, each column labelled (the crowded ones left out at rest),
    then the same changes as a line with no labels. On the way the labels fade out as they
    stood: mid-move the engine offered them afresh and the player chose others ("282" over
    January 2006 where "312" stood over February)."""
    data = source("us_employment", "eager", folder)
    story = Story(
        data,
        slides=[
            Slide(
                presets.chart(kind="column", x="month", y="nonfarm_change"),
                presets.chart(kind="line", x="month", y="nonfarm_change", label=False),
            )
        ],
    )
    _open(page, story, folder / "labels.html")
    page.story = "labels"
    # The columns at rest, drawn once more.
    page.evaluate("() => { window.textFrames = []; window.dispatchEvent(new Event('resize')); }")
    page.clock.run_for(SAMPLE_MS)
    before = page.evaluate("() => window.textFrames")
    _, texts, rested = _played(page, 2)
    numbers = re.compile(r"^-?\d[\d,]*$")
    at_rest = {t["text"] for t in before[-1] if numbers.match(t["text"])}
    assert len(at_rest) > 20, "the columns were not labelled at rest: nothing judged"
    leaving = [{t["text"] for t in frame if numbers.match(t["text"])} for frame in texts]
    assert any(len(shown & at_rest) > 20 for shown in leaving), "no label faded out"
    # (the axis's numbers, "400", stand at rest before and after)
    assert [sorted(shown - at_rest)[:5] for shown in leaving if shown - at_rest] == []
    assert rested <= BUDGET_MS + SAMPLE_MS


def test_labels_that_change_measure_wait_for_rest(page, folder):
    """Each origin's mean miles per gallon, then its cars' total weight: mid-move the
    engine kept writing the miles per gallon ("20.08") on bars already grown toward their
    weights. Numbers of a measure the marks are leaving, or not yet sized by, are written at
    rest only: no frame of the move writes a number not written at rest (the axis's measure
    changes too)."""
    cases = [c for c in CASES if c.dataset == "cars" and c.preset in ("column_mean", "morph")]
    data = source("cars", "eager", folder)
    story = Story(data, slides=[slide for case in cases for slide in case.build(data)])
    _open(page, story, folder / "remeasured.html")
    page.story = "remeasured"
    _, texts, rested = _played(page, 2)
    number = re.compile(r"^-?[\d.,]+[KM]?$")
    written = [{t["text"] for t in frame if number.match(t["text"])} for frame in texts]
    moving, rest = written[:-1], written[-1]
    assert len(moving) >= 5, "too few frames to judge"
    assert rest, "nothing written at rest"
    # (the last frames may draw the resting axis a frame before its labels)
    assert [sorted(shown - rest) for shown in moving if shown - rest] == []
    assert rested <= BUDGET_MS + SAMPLE_MS


def test_a_pie_into_bubbles_dissolves_and_never_draws_a_lump(page, folder):
    """The engine blends a slice into a disc through strips and lumpy barrels; the player
    draws the bubbles at once under a fading picture of the pie, so every mark the engine
    draws after the key is a disc."""
    sales = samples.sales()
    story = Story(
        sales,
        formats={"Revenue": "$"},
        slides=[Slide(*presets.morph(sales, ["pie", "bubble"], x="Region", y="Revenue"))],
    )
    _open(page, story, folder / "bubbles.html")
    page.story = "bubbles"
    frames, rested = _frames(page, 2)
    seen = _seen(frames)
    assert seen, "the step drew no frame to judge"
    assert len(seen[-1]) == 4  # a bubble for each region
    lumps = [
        f"frame {number}: {m['width']:.0f} x {m['height']:.0f}, "
        + ("straight" if m["rectangle"] else "curved")
        for number, marks in enumerate(seen)
        for m in marks
        if m["rectangle"] or abs(m["width"] - m["height"]) > 2
    ]
    assert lumps == []
    assert rested <= BUDGET_MS + SAMPLE_MS


VALUE = re.compile(r"^\$[\d.]+[KMB]?$")


def _piles(marks: list[dict]) -> list[tuple[float, float]]:
    """The horizontal spans of marks lying over one another by more than PILED."""
    boxes = [box_of(m["left"], m["bottom"], m["width"], -m["height"]) for m in marks]
    return [
        (max(a[0], b[0]), min(a[2], b[2]))
        for k, a in enumerate(boxes)
        for b in boxes[k + 1 :]
        if piled(a, b)
    ]


def test_columns_after_a_pie_stand_apart_as_they_did_before_it(open_file, tmp_path):
    """Into a pie, the marks first line up as a strip of touching parts, then bend. The strip's
    touching (the engine's spacing, which stays set until it is set again) outlived the pie:
    every column of the story after it touched its neighbours, Gapminder's Europe as one
    green skyline. Back out of the pie, the regions stand apart as they did before it."""
    from .pages import drawn_boxes, recording_boxes, wait_idle
    from .test_phone import marks_of

    sales = samples.sales()
    column = presets.chart(kind="column", x="Region", y="Revenue")
    pie = presets.chart(kind="pie", x="Region", y="Revenue")
    story = Story(sales, slides=[Slide(column), Slide(pie), Slide(column)])
    assert "via" in story.to_dict()["slides"][1]["steps"][0]["animation"]  # through a strip
    watch = open_file(story.save_html(tmp_path / "pie.html"), size=(1280, 720))
    page = recording_boxes(watch.page)

    def gaps() -> list[float]:
        marks = sorted(marks_of(drawn_boxes(page)[0]))
        assert len(marks) == 4
        return [marks[k + 1][0] - marks[k][2] for k in range(3)]

    before = gaps()
    assert min(before) > 20  # columns apart
    for _ in range(2):
        page.keyboard.press("ArrowRight")
        wait_idle(page)
    assert page.evaluate("() => document.getElementById('ipyreport').dataset.slide") == "3"
    assert gaps() == pytest.approx(before, abs=1)
    assert watch.errors == []
