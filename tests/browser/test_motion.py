"""Every transition as an audience sees it in motion: what each in-between frame says,
what colour each mark wears, and how long each step takes to settle.

Playwright's clock stands still while a step plays; the harness jumps it to a few moments
of each transition (every quarter second, then its time budget) and the chart draws one
frame at each. Of every frame it records each text the canvas draws (``fillText``) and each
mark's paint (the engine hands every mark to a ``plot-marker-draw`` event just before it
fills it: the next fill is that mark's colour). One page per screen plays every example the
demo builds and every corpus story, each story loaded once and each step played once; all
the rules are then asserted on that one recording.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from ipyreport import Slide, Story, encode, presets, samples, spec
from tests.corpus import CASES, source

from .goldens import GOLDENS, MEAN_TOLERANCE, updating
from .pages import RECORD_TEXTS, box_of, piled, wait_ready, watch

# The paint of each mark drawn: the engine sets ``renderingContext`` on each draw event
# (an assignment a setter on Object.prototype hears) and fills the mark right after. Each
# frame a chart draws (``draw-begin`` to ``draw-complete``) is also tallied: whether it drew
# its plot, how many marks, and how many of those could be seen (some opacity, some size).
# Marks and the key's entries (a round swatch filled, then its label written) are kept with
# the frame that drew them (numbered across the page) and their chart's canvas.
RECORD_MARKS = """(() => {
  window.drawnMarks = [];
  window.drawnFrames = [];
  window.drawnKeys = [];
  let pending = null;
  const tallies = new Map();
  let frames = 0;
  const frameOf = new Map();
  const canvases = new WeakMap();
  let charts = 0;
  const canvasOf = (canvas) => {
    if (!canvases.has(canvas)) canvases.set(canvas, (charts += 1));
    return canvases.get(canvas);
  };
  let arcing = false;
  let swatch = null;
  const opacity = (paint) => {
    const found = /^rgba\\([^,]+,[^,]+,[^,]+,\\s*([\\d.]+)\\)$/.exec(String(paint));
    return found ? Number(found[1]) : 1;
  };
  // How big a mark is drawn: a rectangle's width and height (a share of the plot, or pixels),
  // a line's length in pixels; 0 below what the eye could see.
  const extent = (detail) => {
    const rect = detail?.rect;
    const line = detail?.line;
    const size = rect ? Math.abs(rect.size.x) + Math.abs(rect.size.y) : line ? Math.hypot(line.end.x - line.begin.x, line.end.y - line.begin.y) : 0;
    return size > (rect && detail.relative ? 0.002 : 0.5) ? size : 0;
  };
  // The texts of each canvas's frame being drawn, and of its last complete frame: what is on screen.
  const writing = new Map();
  const shown = new Map();
  window.shownTexts = () => [...shown.values()].flat();
  const write = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    writing.get(this.canvas)?.push(String(text));
    if (swatch && frameOf.has(this.canvas)) {
      window.drawnKeys.push({ frame: frameOf.get(this.canvas), canvas: canvasOf(this.canvas), text: String(text), ...swatch });
    }
    swatch = null;
    return write.call(this, text, ...rest);
  };
  const arc = CanvasRenderingContext2D.prototype.arc;
  CanvasRenderingContext2D.prototype.arc = function (...args) {
    arcing = true;
    return arc.apply(this, args);
  };
  // A fingerprint of the picture on every chart's canvas: it changes when a pixel does.
  window.picture = () => {
    let hash = 0;
    for (const canvas of document.querySelectorAll("#ipyreport canvas")) {
      if (!canvas.width || !canvas.height) continue;
      const pixels = new Uint32Array(canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data.buffer);
      for (let i = 0; i < pixels.length; i++) hash = (Math.imul(hash, 31) + pixels[i]) | 0;
      hash = (Math.imul(hash, 31) + canvas.width * 8191 + canvas.height) | 0;
    }
    return hash;
  };
  const heard = (event) => {
    const canvas = event.renderingContext.canvas;
    if (event.type === "draw-begin") writing.set(canvas, []);
    if (event.type === "draw-begin") frameOf.set(canvas, (frames += 1));
    if (event.type === "draw-complete" && writing.has(canvas)) shown.set(canvas, writing.get(canvas));
    if (event.type === "draw-begin") tallies.set(canvas, { plot: false, marks: 0, seen: 0 });
    const tally = tallies.get(canvas);
    if (!tally) return;
    if (event.type === "plot-area-draw") tally.plot = true;
    if (event.type === "plot-marker-draw") pending = { event, tally };
    if (event.type === "draw-complete") {
      window.drawnFrames.push(tally);
      tallies.delete(canvas);
    }
  };
  Object.defineProperty(Object.prototype, "renderingContext", {
    configurable: true,
    set(value) {
      Object.defineProperty(this, "renderingContext", { value, writable: true, configurable: true, enumerable: true });
      if (typeof this.type === "string") heard(this);
    },
  });
  for (const kind of ["fill", "fillRect", "stroke"]) {
    const own = CanvasRenderingContext2D.prototype[kind];
    CanvasRenderingContext2D.prototype[kind] = function (...args) {
      if (pending) {
        const paint = kind === "stroke" ? this.strokeStyle : this.fillStyle;
        const canvas = pending.event.renderingContext.canvas;
        const { rect, relative } = pending.event.detail ?? {};
        window.drawnMarks.push({
          categories: pending.event.target.categories, paint: String(paint), alpha: this.globalAlpha,
          frame: frameOf.get(canvas), canvas: canvasOf(canvas),
          // Where the engine lays the mark, as a share of the plot: [left, bottom, width, height].
          rect: rect && relative ? [rect.pos.x, rect.pos.y, rect.size.x, rect.size.y] : null,
        });
        pending.tally.marks += 1;
        if (this.globalAlpha * opacity(paint) >= 0.05 && extent(pending.event.detail) > 0) pending.tally.seen += 1;
        pending = null;
      } else if (kind === "fill" && arcing) {
        swatch = { paint: String(this.fillStyle), alpha: this.globalAlpha };
      }
      if (kind === "fill") arcing = false;
      return own.apply(this, args);
    };
  }
})();"""

# The moments the rules read apart (ms after the key): what each frame drew is filed under
# the first of them it came by, else under LONGEST (later, and at rest).
MOMENTS = (250, 500, 750)
LONGEST = 6000  # ms a step may run before the harness stops waiting
BUDGET_MS = 1500  # a whole step settles within this
TIMELINE_BUDGET_MS = 800  # a timeline's moment, much less
# The moments a step is read at: each is one frame, drawn as the fake clock jumps there
# (the engine times a transition by the clock, not by frames), every quarter second up to
# its budget. Each stage that moves marks (_motion.stages: leaving, moving, bending,
# arriving) lasts at least half of a step, a highlight's quarter second included, so every
# stage is read at least once.
SAMPLES = (250, 500, 750, 1000, 1250)
# When a step still moving at its budget is read again, until it rests.
LATE = (2000, 2500, 3000, 4000, LONGEST)
# The first frames after the key, and those just past the budget, are drawn one by one,
# as they come: the engine starts a step on its first frame, and a step that ends on its
# budget writes what it shows at rest on the frame after.
START_MS = 32
SLACK_MS = 50
# How long the clock runs on after the player says a step rests: a text or colour the
# player changes once the engine is done is drawn by then.
LINGER = 300


@dataclass(frozen=True)
class View:
    """A screen the stories play on, and how many of a timeline's moments are read there."""

    name: str
    size: tuple[int, int]
    scheme: str  # the page's colour scheme: "light" or "dark"
    # Steps played in a row with the same chart (a timeline's moments): the first few and the last are read.
    run: int


# The screens of the review: a laptop, a phone and a large screen, light and dark.
# The laptop reads the first two moments of a timeline, the others one (and the last).
VIEWS = {
    view.name: view
    for view in (
        View("desktop-light", (1280, 720), "light", 2),
        View("phone-dark", (390, 844), "dark", 1),
        View("wide-light", (1920, 1080), "light", 1),
    )
}
DESKTOP = VIEWS["desktop-light"]


@dataclass
class Frames:
    """What one step drew while it moved: texts and marks per moment read."""

    index: int
    texts: dict[int, list[str]] = field(default_factory=dict)
    said: dict[int, list[str]] = field(default_factory=dict)  # the texts of each read, by its ms
    marks: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    # The marks of each read, by its ms.
    placed: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    # The key's entries drawn: {frame, canvas, text: the label, paint and alpha: its swatch's}.
    keys: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    # The picture at rest before the key and once the step rests: {"marks": [...], "keys": [...]}.
    before: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rest: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Each frame a chart drew: {plot: drew its plot, marks: marks drawn, seen: marks one can see}.
    drawn: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    # Each frame a chart drew, by the ms (after the key) of the read that took it.
    sampled: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    settled_ms: int = LONGEST  # when the drawn picture stopped changing (ms after the key)
    at_rest: list[str] = field(default_factory=list)  # the texts on screen once it rests
    timeline: bool = False
    photos: list[bytes] = field(default_factory=list)  # at each moment, then at rest

    @property
    def budget_ms(self) -> int:
        return TIMELINE_BUDGET_MS if self.timeline else BUDGET_MS


@dataclass
class Played:
    name: str
    document: dict[str, Any]
    frames: list[Frames]
    errors: list[str] = field(default_factory=list)  # what the page reported, by step


def _press(page) -> None:
    """Press → and wait until the player starts the step (its clock stands still meanwhile)."""
    page.evaluate(
        """() => { const api = document.getElementById('ipyreport').ipyreport;
             window.ipyreportMoving = new Promise((done) => {
               const stop = api.subscribe((state) => { if (state.moving) { stop(); done(true); } });
             }); window.drawnTexts = []; window.drawnMarks = []; window.drawnFrames = [];
             window.drawnKeys = []; }"""
    )
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => window.ipyreportMoving"), "the key was never heard"


# What the frames since the last read drew, whether the step still moves, and (if asked:
# it reads every pixel) the picture.
_TAKE = """(pictured) => { const taken = [window.drawnTexts, window.drawnMarks, window.drawnFrames,
  document.getElementById('ipyreport').ipyreport.state.moving, pictured ? window.picture() : null,
  window.drawnKeys];
  window.drawnTexts = []; window.drawnMarks = []; window.drawnFrames = []; window.drawnKeys = [];
  return taken; }"""


def draw_as_it_stands(page) -> None:
    """Make every chart draw one frame of what it shows now.

    Under the fake clock the engine's last frame of a step is drawn while the step still
    moves (the player keeps value labels, shares and changing ticks off until then), and
    nothing draws the next frame, which in real time comes as the animation completes:
    the canvas keeps a picture no one sees after waiting. The window's ``resize`` event
    has every chart draw its state again, at the size it has.
    """
    page.evaluate("() => window.dispatchEvent(new Event('resize'))")
    page.clock.run_for(START_MS)


def _rest(page) -> dict[str, list[dict[str, Any]]]:
    """The marks and key of the picture at rest, drawn once more."""
    draw_as_it_stands(page)
    taken = page.evaluate(_TAKE, False)
    return {"marks": taken[1], "keys": taken[5]}


def _moments(budget: int) -> list[int]:
    """When a step is read: the samples before its budget, the budget, just past it."""
    return [START_MS, *(ms for ms in SAMPLES if START_MS < ms < budget), budget, budget + SLACK_MS]


def _window(ms: int) -> int:
    """The rules' moment a read at ``ms`` after the key is filed under."""
    return next((moment for moment in MOMENTS if ms <= moment), LONGEST)


def _play_step(
    page,
    index: int,
    timeline: bool,
    photographed: bool = False,
    *,
    before: dict[str, list[dict[str, Any]]] | None = None,
) -> Frames:
    frames = Frames(index, timeline=timeline, before=before or {})
    _press(page)
    ms = 0
    # (ms, picture, moving) at each read; the picture from the last of the rules' moments on.
    pictures: list[tuple[int, int | None, bool]] = []

    def read(at: int, window: int) -> bool:
        nonlocal ms
        if at <= START_MS or at == frames.budget_ms + SLACK_MS:
            page.clock.run_for(at - ms)  # frame by frame
        else:
            page.clock.fast_forward(at - ms)  # one frame, at `at`
        ms = at
        texts, marks, drawn, moving, picture, keys = page.evaluate(_TAKE, at >= MOMENTS[-1])
        frames.texts.setdefault(window, []).extend(texts)
        frames.said.setdefault(at, []).extend(texts)
        frames.marks.setdefault(window, []).extend(marks)
        frames.placed.setdefault(at, []).extend(marks)
        frames.keys.setdefault(window, []).extend(keys)
        frames.drawn.setdefault(window, []).extend(drawn)
        frames.sampled.setdefault(at, []).extend(drawn)
        pictures.append((at, picture, moving))
        if photographed and at in MOMENTS:
            frames.photos.append(page.locator(".ipyreport-chart").first.screenshot())
        return moving

    # Read on until the step rests (each of the rules' moments, whatever happens), then
    # once more after a while.
    for at in sorted({*_moments(frames.budget_ms), *LATE}):
        if not read(at, _window(at)) and at >= MOMENTS[-1]:
            read(at + LINGER, LONGEST)
            break
    # The picture one sees at rest: if the charts draw it otherwise than the canvas holds,
    # that picture is what a viewer got as the step came to rest.
    draw_as_it_stands(page)
    texts, marks, drawn, _, final, keys = page.evaluate(_TAKE, True)
    frames.texts.setdefault(LONGEST, []).extend(texts)
    frames.marks.setdefault(LONGEST, []).extend(marks)
    frames.keys.setdefault(LONGEST, []).extend(keys)
    frames.rest = {"marks": marks, "keys": keys}
    frames.drawn.setdefault(LONGEST, []).extend(drawn)
    frames.at_rest = page.evaluate("() => window.shownTexts()")
    # When the picture came to the one it rests on (the first read that shows it, of the
    # last reads alike), if the player said the step rests.
    rested = next((at for at, _, still in pictures if not still), None)
    if rested is not None:
        settled = pictures[-1][0]
        for at, picture, _ in reversed(pictures):
            if picture != pictures[-1][1]:
                break
            settled = at
        frames.settled_ms = max(settled, rested) if final != pictures[-1][1] else settled
    if photographed:
        frames.photos.append(page.locator(".ipyreport-chart").first.screenshot())
    return frames


def _skip_to(page, index: int) -> dict[str, list[dict[str, Any]]]:
    """Go to step ``index`` (0-based) and let it settle, unread but for its picture at rest:
    a frame when the step starts, then one each budget's length until it rests."""
    page.evaluate("(k) => { document.getElementById('ipyreport').ipyreport.go(k); }", index)
    page.clock.run_for(START_MS)
    for _ in range(LONGEST // BUDGET_MS):
        page.clock.fast_forward(BUDGET_MS)
        if not page.evaluate(_TAKE, False)[3]:
            break
    page.clock.fast_forward(LINGER)
    return _rest(page)


def _steps(document: dict[str, Any]) -> list[tuple[dict[str, Any] | None, bool]]:
    """Each step's entry (a dashboard frame's first chart) and whether it is a timeline moment."""
    result = []
    for slide in document["slides"]:
        for step in slide["steps"]:
            entry = (
                step if "config" in step else next(iter(filter(None, step.get("charts", []))), None)
            )
            result.append(entry)
    marked = []
    for k, entry in enumerate(result):
        before = result[k - 1] if k else None
        same = bool(
            entry
            and before
            and k
            and json.dumps(entry.get("config", {}).get("channels"), sort_keys=True)
            == json.dumps(before.get("config", {}).get("channels"), sort_keys=True)
            and "filter" in entry
            and (entry.get("animation") or {}).get("easing") == "linear"
        )
        marked.append((entry, same))
    return marked


def play(
    page, name: str, story: Story, folder, *, view: View = DESKTOP, photographed: Sequence[int] = ()
) -> Played:
    """Every step of ``story`` played from the first, the clock stopped between reads."""
    path = story.save_html(folder / f"{name}.html")
    document = story.to_dict()
    page.goto(path.resolve().as_uri())
    wait_ready(page)
    page.focus("#ipyreport")
    # A moment comfortably ahead, so the clock is never asked to go back.
    page.clock.pause_at(page.evaluate("() => Date.now()") / 1000 + 0.5)
    steps = _steps(document)
    played = []
    errors: list[str] = []
    run = 0
    try:
        rest = _rest(page)
        for index in range(1, len(steps)):
            timeline = steps[index][1]
            run = run + 1 if timeline else 0
            last_of_run = index + 1 == len(steps) or not steps[index + 1][1]
            if timeline and run > view.run and not last_of_run:
                continue
            at = page.evaluate("() => document.getElementById('ipyreport').ipyreport.index")
            if at != index - 1:
                rest = _skip_to(page, index - 1)
            played.append(_play_step(page, index, timeline, index + 1 in photographed, before=rest))
            rest = played[-1].rest
            reported = getattr(page, "errors", [])
            errors += [f"step {index + 1} reports: {error}" for error in reported[len(errors) :]]
    finally:
        page.clock.resume()
    return Played(name, document, played, errors)


# --- what the frames must say ---------------------------------------------------------

# A number as the engine writes it unformatted: five or more digits in a row, or a long fraction.
RAW_NUMBER = re.compile(r"\d{5,}|\.\d{3,}")
# A text that reads as one number (with a currency, a scale, a unit), not words with a number in them.
NUMBERISH = re.compile(r"[-\u2212]?[^\w\s]{0,2}\s?\d[\d.,\s]*[^\W\d]{0,3}(\s[^\W\d]+)?%?")


def _shapes(document: dict[str, Any]) -> list[re.Pattern[str]]:
    """Every way the story writes a number: each format's prefix, grouping, scale and suffix
    (after a minus, or a "<" for a number too small for its digits: "<0.1%")."""
    shapes = []
    for fmt in [*document["formats"].values(), document["plainFormat"]]:
        group, point = re.escape(fmt["group"]), re.escape(fmt["point"])
        scales = "|".join(re.escape(word) for _, word in fmt["scales"])
        number = rf"\d{{1,3}}({group}\d{{3}})*({point}\d+)?"
        shapes.append(
            re.compile(
                rf"[-<]?{re.escape(fmt['prefix'])}{number}({scales})?{re.escape(fmt['suffix'])}"
            )
        )
    shapes.append(re.compile(r"-?\d{1,3}%"))  # a stretched axis's shares
    # A 100% chart's marks at rest: their shares of the whole, to a tenth, grouped and
    # pointed as the story's plain numbers are.
    plain = document["plainFormat"]
    shapes.append(
        re.compile(
            rf"[-<]?\d{{1,3}}({re.escape(plain['group'])}\d{{3}})*{re.escape(plain['point'])}\d%"
        )
    )
    return shapes


def _labels(document: dict[str, Any]) -> set[str]:
    """Every category the audience may read: the datasets' categories and their labels, and
    the years of its dates (an axis of months reads by year)."""
    found: set[str] = set()
    for data in document["datasets"].values():
        for series in data["series"]:
            if series["type"] == "dimension":
                found.update(map(str, series.get("categories") or series["values"]))
    for shown in document["labels"].values():
        found.update(shown.values())
    found.update(value[:4] for value in list(found) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))
    return found


def untrue_texts(played: Played) -> list[str]:
    """Texts drawn in motion that no format of the story writes: raw or foreign numbers."""
    shapes, labels = _shapes(played.document), _labels(played.document)
    problems = []
    for frames in played.frames:
        for moment, texts in frames.texts.items():
            for text in dict.fromkeys(texts):
                if text in labels:
                    continue
                raw = RAW_NUMBER.search(text)
                foreign = NUMBERISH.fullmatch(text) and not any(s.fullmatch(text) for s in shapes)
                if raw or foreign:
                    problems.append(f"step {frames.index + 1} by {moment} ms: {text!r}")
    return problems


def slow_steps(played: Played) -> list[str]:
    """Steps whose drawn picture still changed after their budget (and the frames just past
    it, where a step ending on its budget writes what it shows at rest)."""
    return [
        f"step {f.index + 1}: {f.settled_ms} ms"
        for f in played.frames
        if f.settled_ms > f.budget_ms + SLACK_MS
    ]


def blank_frames(played: Played) -> list[str]:
    """Frames that show the audience nothing to follow: no plot, or no mark one can see
    (unless the picture the step left showed none either: a month nobody reported, whose
    empty plot stays until the bars of the next come in)."""
    problems = []
    for frames in played.frames:
        before = frames.before.get("marks")
        empty = before is not None and not any(_seen(m["paint"], m["alpha"]) for m in before)
        for moment, drawn in frames.drawn.items():
            for frame in drawn:
                if not frame["plot"]:
                    problems.append(
                        f"step {frames.index + 1} by {moment} ms: a frame without its plot"
                    )
                elif not frame["seen"] and not empty:
                    problems.append(
                        f"step {frames.index + 1} by {moment} ms: a frame of {frame['marks']} marks, "
                        "none of which can be seen (transparent or of no size)"
                    )
    return sorted(set(problems))


def _rgba(paint: str) -> tuple[float, ...] | None:
    """A canvas paint as red, green, blue and opacity."""
    if paint.startswith("#") and len(paint) == 7:
        return (*(int(paint[i : i + 2], 16) for i in (1, 3, 5)), 1.0)
    found = re.fullmatch(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)", paint)
    if not found:
        return None
    return (*(float(found.group(i)) for i in (1, 2, 3)), float(found.group(4) or 1))


CLOSE = 12  # colour distance under which two paints read as the same colour


def _owned(document: dict[str, Any]) -> list[tuple[str, str, str, tuple[float, ...]]]:
    """Each category the story gives a colour: its dimension, category, label and colour."""
    labels = document.get("labels") or {}
    return [
        (dimension, category, labels.get(dimension, {}).get(category, category), rgba)
        for dimension, colours in (document.get("colors") or {}).items()
        for category, colour in colours.items()
        if (rgba := _rgba(colour.lower())) is not None
    ]


Owner = tuple[str, str]  # a category the story colours: (dimension, category)


@dataclass
class _Worn:
    """Something drawn in a story colour: a mark (its categories) or a key's entry (its label)."""

    what: str  # how a problem names it
    colour: str  # the owned colour it wears, as the nearest owner's "#rrggbb"
    owners: list[Owner]  # the categories whose colour that is
    meaning: set[Owner]  # those of them it is: its own categories, or the entry's label


@dataclass
class _Frame:
    """One frame a chart drew: when (the moment read by), and what it drew in story colours."""

    moment: int
    worn: list[_Worn]
    keyed: bool  # whether the frame drew a key
    keys: set[Owner]  # the categories the key names in their colours


def _seen(paint: str, alpha: float) -> tuple[float, ...] | None:
    rgba = _rgba(paint)
    return rgba if rgba is not None and alpha * rgba[3] >= 0.05 else None


def _wearing(rgba, owned) -> list[tuple[str, str, str, str]]:
    """The owned colours a paint reads as, nearest first: (dimension, category, label, colour)."""
    near = []
    for dimension, category, label, colour in owned:
        distance = sum((a - b) ** 2 for a, b in zip(rgba[:3], colour[:3], strict=True)) ** 0.5
        if distance < CLOSE:
            hex_ = "#" + "".join(f"{round(v):02x}" for v in colour[:3])
            near.append((distance, dimension, category, label, hex_))
    near.sort(key=lambda found: found[0])
    return [found[1:] for found in near if found[4] == near[0][4]] if near else []


def _frames(document: dict[str, Any], frames: Frames) -> dict[int, list[_Frame]]:
    """Each chart's frames in the order drawn (the picture at rest before the step first)."""
    owned = _owned(document)
    names = {label for _, _, label, _ in owned}
    drawn: dict[tuple[int, int], _Frame] = {}
    sources = [(-1, frames.before.get("marks", []), frames.before.get("keys", []))]
    sources += [
        (moment, frames.marks.get(moment, []), frames.keys.get(moment, []))
        for moment in frames.marks
    ]
    for moment, marks, keys in sources:
        for mark in marks:
            rgba = _seen(mark["paint"], mark["alpha"])
            frame = drawn.setdefault(
                (mark["canvas"], mark["frame"]), _Frame(moment, [], False, set())
            )
            near = _wearing(rgba, owned) if rgba else []
            if near:
                categories = mark["categories"] or {}
                owners = [(d, c) for d, c, _, _ in near]
                meaning = {(d, c) for d, c in owners if categories.get(d) == c}
                frame.worn.append(_Worn(str(categories), near[0][3], owners, meaning))
        for entry in keys:
            rgba = _seen(entry["paint"], entry["alpha"])
            frame = drawn.setdefault(
                (entry["canvas"], entry["frame"]), _Frame(moment, [], False, set())
            )
            # A key's entry names a category the story colours beside a swatch in a story
            # colour (other texts drawn after a round fill, such as value labels, are no key).
            near = _wearing(rgba, owned) if rgba and entry["text"] in names else []
            if not near:
                continue
            frame.keyed = True
            named = {(d, c) for d, c, label, _ in near if label == entry["text"]}
            frame.keys |= named
            owners = [(d, c) for d, c, _, _ in near]
            frame.worn.append(_Worn(f"the key's {entry['text']!r}", near[0][3], owners, named))
    charts: dict[int, list[_Frame]] = {}
    for (canvas, _), frame in sorted(drawn.items(), key=lambda item: item[0][1]):
        charts.setdefault(canvas, []).append(frame)
    return charts


def _meanings(frame: _Frame) -> dict[str, tuple[list[_Worn], set[Owner]]]:
    """Per colour the frame shows as some category's own: what wears it, and the categories
    all those that are theirs have in common (empty: the colour means two things at once)."""
    found: dict[str, tuple[list[_Worn], set[Owner]]] = {}
    for colour in dict.fromkeys(worn.colour for worn in frame.worn):
        wearing = [worn for worn in frame.worn if worn.colour == colour]
        meanings = [worn.meaning for worn in wearing if worn.meaning]
        if meanings:
            found[colour] = (wearing, set.intersection(*meanings))
    return found


def _name(owner: Owner, document: dict[str, Any]) -> str:
    return (document.get("labels") or {}).get(owner[0], {}).get(owner[1], owner[1])


def borrowed_colours(played: Played) -> list[str]:
    """Marks drawn in the colour of a category they do not belong to, in a frame where that
    colour is shown meaning its category (worn by one of its own marks, or named by the key)."""
    problems = []
    for frames in played.frames:
        for charts in _frames(played.document, frames).values():
            for frame in charts:
                if frame.moment < 0:
                    continue
                for wearing, common in _meanings(frame).values():
                    # The colour means the first of its owners that all its own wearers are
                    # of, else the first any of them is of.
                    owners = wearing[0].owners
                    mean = common or set().union(*(worn.meaning for worn in wearing))
                    owner = next(o for o in owners if o in mean)
                    for worn in wearing:
                        if owner not in worn.meaning:
                            problems.append(
                                f"step {frames.index + 1} by {frame.moment} ms: {worn.what} in "
                                f"{_name(owner, played.document)}'s colour"
                            )
    return sorted(set(problems))


def unkeyed_colours(played: Played) -> list[str]:
    """Marks drawn in their own category's colour in a frame whose key does not name that
    category: the key already names the colours of what comes, or still those of what went."""
    problems = []
    for frames in played.frames:
        for charts in _frames(played.document, frames).values():
            for frame in charts:
                if frame.moment < 0 or not frame.keyed:
                    continue
                for worn in frame.worn:
                    if (
                        worn.meaning
                        and not worn.what.startswith("the key")
                        and not worn.meaning & frame.keys
                    ):
                        owner = min(worn.meaning, key=worn.owners.index)
                        problems.append(
                            f"step {frames.index + 1} by {frame.moment} ms: {worn.what} in "
                            f"{_name(owner, played.document)}'s colour, which the key does not name"
                        )
    return sorted(set(problems))


def colours_changing_meaning(played: Played) -> list[str]:
    """Colours that come to mean another category while on screen: the move should take the
    marks through a neutral (or their parent's colour) so that the old meaning leaves first."""
    problems = []
    for frames in played.frames:
        for charts in _frames(played.document, frames).values():
            held: dict[str, set[Owner]] = {}
            for frame in charts:
                meanings = _meanings(frame)
                for colour, (wearing, common) in meanings.items():
                    was = held.get(colour)
                    if was and common and not was & common and frame.moment >= 0:
                        owners = wearing[0].owners
                        then = _name(next(o for o in owners if o in was), played.document)
                        now = _name(next(o for o in owners if o in common), played.document)
                        problems.append(
                            f"step {frames.index + 1} by {frame.moment} ms: {then}'s colour "
                            f"comes to mean {now} while on screen"
                        )
                    held[colour] = common or was or set()
                for colour in set(held) - set(meanings):
                    del held[colour]
    return sorted(set(problems))


def _boxed(config: dict[str, Any] | None) -> bool:
    """Whether a chart's marks are boxes, each standing for its own value: bars, columns,
    tiles, or a pie's slices (boxes in the plot's own coordinates, bent round its centre)."""
    return bool(config) and (config.get("geometry") or "rectangle") == "rectangle"


def _tiled(config: dict[str, Any] | None) -> bool:
    """Whether a chart's marks are tiles: boxes on no axis (a treemap)."""
    channels = (config or {}).get("channels") or {}
    return not any((channels.get(axis) or {}).get("set") for axis in ("x", "y"))


def _over(one: dict[str, str] | None, other: dict[str, str] | None, tiles: bool) -> bool:
    """Whether two marks may not lie over one another: parts of one whole (they share a
    category and differ in another), or, where tiles move, any two marks neither of which is
    part of the other. (A whole and its own part, one splitting into the other, may; so may
    bars of no common whole passing each other on their way to a new order.)"""
    a, b = (one or {}).items(), (other or {}).items()
    return not (a <= b or b <= a) and (tiles or bool(a & b))


def parts_over_parts(played: Played) -> list[str]:
    """Marks drawn over one another mid-move, in charts of boxes: piled on one place, the
    tallest hides the rest and the pile reads as its size (Europe's three countries dropped
    on one baseline read as one column of Germany's revenue, labelled "Europe"); a tile
    sliding across another leaves the other as slivers either side (Asia Pacific's tile, a
    quarter of the revenue, under Europe's on its way from a pie's strip into a treemap).
    A timeline's moments are not read: bars overtaking one another pass by."""
    entries = [entry for entry, _ in _steps(played.document)]
    problems = []
    for frames in played.frames:
        before, after = entries[frames.index - 1], entries[frames.index]
        if frames.timeline or not _boxed((before or {}).get("config")):
            continue
        if not _boxed((after or {}).get("config")):
            continue
        tiles = _tiled((before or {}).get("config")) or _tiled((after or {}).get("config"))
        drawn: dict[tuple[int, int], list[dict[str, Any]]] = {}
        for moment, marks in frames.marks.items():
            for mark in marks:
                if mark.get("rect") and _seen(mark["paint"], mark["alpha"]):
                    drawn.setdefault((mark["canvas"], mark["frame"]), []).append(
                        {**mark, "moment": moment}
                    )
        for marks in drawn.values():
            for k, one in enumerate(marks):
                for other in marks[k + 1 :]:
                    if not _over(one["categories"], other["categories"], tiles):
                        continue
                    if piled(box_of(*one["rect"]), box_of(*other["rect"])):
                        problems.append(
                            f"step {frames.index + 1} by {one['moment']} ms: "
                            f"{one['categories']} and {other['categories']} lie one over the other"
                        )
    return sorted(set(problems))


# --- the stories ----------------------------------------------------------------------

EXAMPLES = ["sales-overview", "orders-at-scale", "monthly-playback"]
EXAMPLE_SPECS = Path(__file__).resolve().parents[2] / "stories"
# The corpus (tests/corpus.py): each dataset's cases, every preset, as one story, read from
# the frame (Gapminder) or from a Parquet file (the rest), as a story takes them.
CORPUS = {
    "gapminder": "eager",
    "stocks": "parquet",
    "us_employment": "parquet",
    "seattle_weather": "parquet",
    "barley": "parquet",
    "cars": "parquet",
    "iowa_electricity": "parquet",
}
STORIES = EXAMPLES + list(CORPUS)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("motion")


@pytest.fixture(scope="module")
def pages(browser):
    """One page per view, opened on first use and shared by the module's tests."""
    contexts = []

    @cache
    def opening(view: str):
        size, scheme = VIEWS[view].size, VIEWS[view].scheme
        context = browser.new_context(
            viewport={"width": size[0], "height": size[1]}, color_scheme=scheme
        )
        contexts.append(context)
        page = context.new_page()
        page.add_init_script(RECORD_TEXTS)
        page.add_init_script(RECORD_MARKS)
        page.clock.install()
        _, page.errors = watch(page)  # type: ignore[attr-defined]
        return page

    yield opening
    for context in contexts:
        context.close()


def _corpus_story(name: str, folder) -> Story:
    data = source(name, CORPUS[name], folder)
    return Story(
        data, slides=[slide for case in CASES if case.dataset == name for slide in case.build(data)]
    )


@pytest.fixture(scope="module")
def played(pages, folder):
    """Each story played once in each view, on first use."""

    @cache
    def playing(name: str, view: str = DESKTOP.name) -> Played:
        page = pages(view)
        page.errors.clear()
        if name in EXAMPLES:
            # As `ipyreport demo` lays them out (the specs beside 20,000 sample orders),
            # built once here rather than by the demo and again.
            stories = folder / "stories"
            if not stories.is_dir():
                shutil.copytree(EXAMPLE_SPECS, stories)
                samples.write_orders(stories / "data" / "orders", rows=20_000)
            story = spec.build(spec.load(stories / f"{name}.yaml"))
        else:
            story = _corpus_story(name, folder)
        started = time.monotonic()
        photographed = SHEETS.get(name, ()) if view in SHEET_VIEWS else ()
        result = play(page, name, story, folder, view=VIEWS[view], photographed=photographed)
        assert result.frames, (name, view)
        result.seconds = time.monotonic() - started  # type: ignore[attr-defined]
        return result

    return playing


# Every story in every view; the views play one after the other, so each page is filled once.
PLAYS = [(view.name, name) for view in VIEWS.values() for name in STORIES]


class KnownDefectError(Exception):
    """What a rule finds in a story, at the steps of a defect not fixed yet (see KNOWN)."""


# Defects the rules find and the player does not fix yet, by (rule, story): the 1-based
# steps where they show, and what they are. Each is an expected failure that must fail:
# once fixed, its test passes and says so.
KNOWN: dict[tuple[str, str], tuple[tuple[int, ...], str]] = {}


def _plays(rule: str) -> list[Any]:
    return [
        pytest.param(
            view,
            name,
            marks=pytest.mark.xfail(
                raises=KnownDefectError, strict=True, reason=KNOWN[rule, name][1]
            ),
        )
        if (rule, name) in KNOWN
        else (view, name)
        for view, name in PLAYS
    ]


def _none_but_known(rule: str, name: str, problems: list[str]) -> None:
    """No problem, but for the steps of a known defect; those raise KnownDefectError."""
    steps, what = KNOWN.get((rule, name), ((), ""))
    at_steps = tuple(f"step {step} " for step in steps)
    assert [problem for problem in problems if not problem.startswith(at_steps)] == []
    if problems:
        msg = f"{what}: {problems[0]}"
        raise KnownDefectError(msg)


@pytest.mark.parametrize(("view", "name"), _plays("errors"))
def test_every_step_plays_without_an_error(played, view, name):
    _none_but_known("errors", name, played(name, view).errors)


@pytest.mark.parametrize(("view", "name"), _plays("untrue"))
def test_every_in_between_frame_writes_numbers_only_in_the_story_formats(played, view, name):
    _none_but_known("untrue", name, untrue_texts(played(name, view)))


@pytest.mark.parametrize(("view", "name"), _plays("slow"))
def test_every_step_settles_within_its_time_budget(played, view, name):
    _none_but_known("slow", name, slow_steps(played(name, view)))


@pytest.mark.parametrize(("view", "name"), _plays("colours"))
def test_no_mark_wears_another_category_colour_in_motion(played, view, name):
    _none_but_known("colours", name, borrowed_colours(played(name, view)))


@pytest.mark.parametrize(("view", "name"), _plays("unkeyed"))
def test_the_key_names_the_colours_the_marks_wear_in_every_frame(played, view, name):
    _none_but_known("unkeyed", name, unkeyed_colours(played(name, view)))


@pytest.mark.parametrize(("view", "name"), _plays("meaning"))
def test_a_colour_takes_a_new_meaning_only_once_the_old_has_left_the_screen(played, view, name):
    _none_but_known("meaning", name, colours_changing_meaning(played(name, view)))


@pytest.mark.parametrize(("view", "name"), _plays("piled"))
def test_no_mark_is_drawn_over_another_in_motion(played, view, name):
    _none_but_known("piled", name, parts_over_parts(played(name, view)))


@pytest.mark.parametrize(("view", "name"), _plays("blank"))
def test_every_frame_draws_a_plot_with_marks_one_can_see(played, view, name):
    _none_but_known("blank", name, blank_frames(played(name, view)))


# The stories that play a timeline.
TIMELINES = ["monthly-playback", "gapminder", "stocks", "barley", "cars", "iowa_electricity"]


@pytest.mark.parametrize("name", TIMELINES)
def test_a_timelines_labels_and_moment_say_one_moment_in_every_frame(played, name):
    """From one moment of a timeline to the next, the engine hands each bar the values of the
    moment it leaves until the move completes ("Feb 2021" stood over January's "$3.4M" while
    the bars grew to February's). The moment said in the plot and the bars' values now take
    turns: over the first half of the move both say the moment left, over the second both
    the moment coming (values the player reads from the data as the engine hands them at
    rest). A frame just either side of half-way may say neither."""
    result = played(name)
    entries = [entry for entry, _ in _steps(result.document)]
    rests = {frames.index: set(frames.at_rest) for frames in result.frames}
    judged = {"leaving": 0, "coming": 0}
    for frames in result.frames:
        if not frames.timeline or frames.index - 1 not in rests:
            continue
        leaving = entries[frames.index - 1]["config"]["title"]
        coming = entries[frames.index]["config"]["title"]
        before, after = rests[frames.index - 1], set(frames.at_rest)
        # What is written at rest at one of the two moments only: its name, its values.
        only = {
            "leaving": {text for text in before - after if NUMBERISH.fullmatch(text)} | {leaving},
            "coming": {text for text in after - before if NUMBERISH.fullmatch(text)} | {coming},
        }
        seconds = entries[frames.index]["animation"]["duration"]
        for ms, texts in frames.said.items():
            progress = ms / (1000 * seconds)
            if not texts or not 0 < progress < 1 or abs(progress - 0.5) < 0.1:
                continue
            side, other = ("leaving", "coming") if progress < 0.5 else ("coming", "leaving")
            where = (frames.index + 1, ms, side)
            assert only[side] & set(texts), where
            assert not only[other] & set(texts), (*where, sorted(only[other] & set(texts)))
            judged[side] += 1
    assert judged["coming"], judged
    if name != "monthly-playback":  # its moments last 0.4 s: the first read is past half-way
        assert judged["leaving"], judged


def _lengths(marks: list[dict[str, Any]]) -> dict[str, tuple[float, float]]:
    """Each mark of the last frame its chart drew among ``marks``: its width and height (a
    share of the plot), by its chart and categories."""
    last: dict[int, int] = {}
    for mark in marks:
        last[mark["canvas"]] = max(last.get(mark["canvas"], 0), mark["frame"])
    return {
        json.dumps([mark["canvas"], mark["categories"]], sort_keys=True): (
            abs(mark["rect"][2]),
            abs(mark["rect"][3]),
        )
        for mark in marks
        if mark["rect"] and mark["frame"] == last[mark["canvas"]]
    }


# How far a bar may be from its share of the way at a moment of a timeline (linear in time).
HALF_WAY_TOLERANCE = 0.2


@pytest.mark.parametrize("name", TIMELINES)
def test_a_timelines_bars_grow_over_the_whole_moment(played, name):
    """From one moment to the next, every bar is as far along between its two lengths as the
    move is in time: half-way at half-way, where its label turns from one value to the
    other. The engine's own timing of a move between filters held each bar still for the
    move's first half and grew it in the second, so a label of the moment coming stood on a
    bar still at the moment left."""
    result = played(name)
    judged = 0
    for frames in result.frames:
        if not frames.timeline or not frames.before.get("marks"):
            continue
        before, after = _lengths(frames.before["marks"]), _lengths(frames.rest["marks"])
        seconds = _steps(result.document)[frames.index][0]["animation"]["duration"]
        for ms, marks in frames.placed.items():
            progress = ms / (1000 * seconds)
            if not 0.2 <= progress <= 0.8:
                continue
            for key, now in _lengths(marks).items():
                if key not in before or key not in after:
                    continue
                axis = max((0, 1), key=lambda k: abs(after[key][k] - before[key][k]))
                change = after[key][axis] - before[key][axis]
                if abs(change) < 0.01:  # a few pixels: too little to read a share of
                    continue
                along = (now[axis] - before[key][axis]) / change
                assert abs(along - progress) <= HALF_WAY_TOLERANCE, (
                    frames.index + 1,
                    ms,
                    key,
                    round(along, 2),
                    round(progress, 2),
                )
                judged += 1
    assert judged, "no bar of a timeline's moment was read between its rests"


def test_the_harness_reads_frames_between_and_at_rest(played):
    """The harness itself: every sampled step drew texts and marks at each moment it lasted."""
    story = played("sales-overview", DESKTOP.name)
    first = story.frames[0]
    assert all(first.texts.get(moment) for moment in MOMENTS)
    assert all(first.marks.get(moment) for moment in MOMENTS)
    # Regions by 250 ms as the chart zooms into Europe; Europe's countries valued at rest.
    assert "Americas" in first.texts[250]
    assert "$77.8M" in first.texts[LONGEST]
    # Each frame drawn while the step moved is tallied: the plot and the marks seen in it.
    moving = [frame for moment in MOMENTS for frame in first.drawn[moment]]
    assert len(moving) >= len(MOMENTS)
    assert all(frame["plot"] and frame["seen"] > 0 for frame in moving)


# How long a viewer waits, in real time, before the key and once the step rests: a whole
# step's budget (less lets a busy machine show the frames before the last).
WAITED_MS = BUDGET_MS


def _rest_in_real_time(page, index: int) -> list[str]:
    """The texts on screen once step ``index`` (0-based), played from the step before, has
    rested and a viewer has waited, the clock running as it does for a person."""
    page.evaluate("(k) => document.getElementById('ipyreport').ipyreport.go(k)", index - 1)
    page.wait_for_function("() => !document.getElementById('ipyreport').ipyreport.state.moving")
    page.wait_for_timeout(WAITED_MS)
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(k) => { const api = document.getElementById('ipyreport').ipyreport;"
        " return api.index === k && !api.state.moving; }",
        arg=index,
    )
    page.wait_for_timeout(WAITED_MS)
    return page.evaluate("() => window.shownTexts()")


def _step_where(document: dict[str, Any], wanted) -> int:
    steps = [step for slide in document["slides"] for step in slide["steps"]]
    return next(k for k, step in enumerate(steps) if wanted(step.get("config") or {}))


def test_a_staged_move_changes_colours_only_in_the_leg_that_changes_them(played):
    """The pie into a treemap plays in three legs: the pie unrolls into a strip of regions,
    the strip folds into a treemap of regions, and only then do the regions split into
    products. Through the first two (to 667 ms of the 1 s move) every region keeps its own
    colour; the marks fade through grey only in the last. Before, the whole move faded
    regions to grey from its start, and the treemap of regions stood as one grey block."""
    story = played("sales-overview", DESKTOP.name)
    step = _step_where(story.document, lambda config: config.get("title") == "Revenue as area")
    frames = next(f for f in story.frames if f.index == step)
    regions = {("Region", region) for region in story.document["colors"]["Region"]}
    early = [
        frame
        for chart in _frames(story.document, frames).values()
        for frame in chart
        if frame.moment in MOMENTS[:2]
    ]
    assert early
    for frame in early:
        worn = {owner for worn in frame.worn for owner in worn.meaning}
        assert worn == regions, (frame.moment, sorted(worn))


def test_marks_of_no_colour_wear_their_own_on_the_way_into_a_pie(played):
    """Gapminder's continents as plain bars into a pie coloured by continent: the bars line up
    as a strip of touching parts, then bend. The strip was one grey block (five parts in one
    grey, touching) until the bend brought the colours; each part takes its continent's
    colour on the way into the strip, and the key alone names them (the engine's legend,
    which a leg's own state would show, is not drawn beside it)."""
    story = played("gapminder", DESKTOP.name)
    step = _step_where(story.document, lambda config: config.get("coordSystem") == "polar")
    frames = next(f for f in story.frames if f.index == step)
    continents = {("continent", name) for name in story.document["colors"]["continent"]}
    later = [
        frame
        for chart in _frames(story.document, frames).values()
        for frame in chart
        if frame.moment in MOMENTS[1:]
    ]
    assert later
    for frame in later:
        worn = {owner for worn in frame.worn for owner in worn.meaning}
        assert worn == continents, (frame.moment, sorted(worn))
    for ms, texts in frames.said.items():
        if MOMENTS[0] < ms <= MOMENTS[-1]:
            assert texts.count("Oceania") <= 1, (ms, texts.count("Oceania"))


def test_a_100_percent_charts_parts_merge_into_wholes_of_their_own_sizes(played):
    """Sales' product mix by region (100% columns) into a pie of regions: the products merged
    into their regions first, and at 100% each region's merged column was as tall as every
    other, four equal columns reading as four equal regions. The wholes take their own
    sizes as they form: a quarter second in, the regions stand in the order of their
    revenue, Africa's well under half of the Americas'."""
    story = played("sales-overview", DESKTOP.name)
    step = _step_where(story.document, lambda config: config.get("coordSystem") == "polar")
    frames = next(f for f in story.frames if f.index == step)
    marks = frames.marks[250]
    last = max(mark["frame"] for mark in marks)
    tops: dict[str, float] = {}
    for mark in marks:
        if mark["frame"] == last and mark["rect"] is not None:
            bottom, height = mark["rect"][1], mark["rect"][3]
            region = mark["categories"]["Region"]
            tops[region] = max(tops.get(region, 0.0), bottom + height)
    table = [s for slide in story.document["slides"] for s in slide["steps"]][step]["table"]
    region, revenue = (table["columns"].index(name) for name in ("Region", "Revenue"))
    totals: dict[str, float] = {}
    for row in table["rows"]:
        totals[row[region]] = totals.get(row[region], 0.0) + row[revenue]
    assert sorted(tops, key=tops.get) == sorted(totals, key=totals.get)
    assert max(tops.values()) > 2 * min(tops.values())


def test_a_heatmaps_shades_come_in_while_its_tiles_settle(played):
    """The product mix (a marimekko coloured by product) into a heatmap shaded by units: the
    tiles faded to grey by half-way and stayed one flat grey to the end of the move, a
    heatmap saying every region sold as much of every product; the shades came at rest, at
    once. From half-way they come in: at 750 ms each tile is already darker than every tile
    that sold fewer units."""
    story = played("orders-at-scale", DESKTOP.name)

    def shaded(config: dict[str, Any]) -> bool:
        return bool(((config.get("channels") or {}).get("lightness") or {}).get("set"))

    step = _step_where(story.document, shaded)
    frames = next(f for f in story.frames if f.index == step)
    table = [s for slide in story.document["slides"] for s in slide["steps"]][step]["table"]
    region, product, units = (
        table["columns"].index(name) for name in ("Region", "Product", "Units")
    )
    sold = {(row[region], row[product]): row[units] for row in table["rows"]}
    marks = frames.marks[750]
    last = max(mark["frame"] for mark in marks)
    luma = {}
    for mark in marks:
        rgba = _rgba(mark["paint"]) if mark["frame"] == last else None
        if rgba is not None:
            categories = mark["categories"]
            luma[categories["Region"], categories["Product"]] = (
                0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2]
            )
    assert set(luma) == set(sold)
    by_units = sorted(sold, key=sold.get)
    assert max(luma.values()) - min(luma.values()) > 30
    for fewer, more in itertools.pairwise(by_units):
        assert luma[more] <= luma[fewer] + 1, (fewer, more)


def test_a_rest_frame_read_under_the_fake_clock_is_the_one_seen_in_real_time(
    played, browser, folder
):
    """What the harness reads at rest is what a person sees after waiting: Iowa's timeline
    at 2002 (its values and an axis to 50K, not 2001's), the 100% columns' shares and the
    pie's shares, compared text for text with the same steps played in real time."""
    iowa = played("iowa_electricity", DESKTOP.name)
    moment = next(frames.index for frames in iowa.frames if frames.timeline)
    sales = played("sales-overview", DESKTOP.name)
    shares = _step_where(sales.document, lambda config: config.get("align") == "stretch")
    pie = _step_where(sales.document, lambda config: config.get("coordSystem") == "polar")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    faked, real = {}, {}
    try:
        page = context.new_page()
        page.add_init_script(RECORD_TEXTS)
        page.add_init_script(RECORD_MARKS)
        for story, indexes in ((iowa, [moment]), (sales, [shares, pie])):
            page.goto((folder / f"{story.name}.html").resolve().as_uri())
            wait_ready(page)
            page.focus("#ipyreport")
            for index in indexes:
                frames = next(f for f in story.frames if f.index == index)
                faked[story.name, index] = sorted(frames.at_rest)
                real[story.name, index] = sorted(_rest_in_real_time(page, index))
    finally:
        context.close()
    assert faked == real
    # The readings themselves: 2002's values on an axis to 50K; the shares; the pie's shares.
    assert {"36.0K", "4.6K", "2.0K", "50K"} <= set(faked["iowa_electricity", moment])
    assert any(text.endswith("%") for text in faked["sales-overview", shares])
    assert any(text.endswith("%") for text in faked["sales-overview", pie])
    assert not any(text.startswith("$") for text in faked["sales-overview", pie])


def test_the_harness_sees_a_frame_with_nothing_to_see(pages, folder):
    """A cross-fade timed by hand so that the old marks are gone before the new ones come:
    the frames between show an empty plot, and the rule names them."""
    sales = encode(samples.sales())
    gap = {
        "regroupStrategy": "fade",
        "hide": {"duration": 0.3},
        "show": {"delay": 0.7, "duration": 0.3},
    }
    story = Story(
        sales,
        slides=[
            Slide(
                presets.chart(kind="column", x="Region", y="Revenue"),
                presets.chart(kind="column", x="Product", y="Units").with_animation(**gap),
            )
        ],
        formats={"Revenue": "$"},
    )
    played = play(pages(DESKTOP.name), "gap", story, folder)
    found = blank_frames(played)
    # From about 300 ms until the new marks come in after 700 ms (eased, so faint at first),
    # nothing shows: the frames read at 500 and 750 ms say so, the one at 1 s shows the marks.
    assert {problem.split(":")[0] for problem in found} == {"step 2 by 500 ms", "step 2 by 750 ms"}
    assert found[0].startswith("step 2 by 500 ms: a frame of 0 marks, none of which can be seen")
    [frames] = played.frames
    assert [frame["seen"] for frame in frames.sampled[500] + frames.sampled[750]] == [0, 0]
    assert all(frame["seen"] for frame in frames.sampled[1000])


# Transitions kept as golden contact sheets (story: 1-based steps): regions splitting into
# products, 100% columns into a pie, the pie into a treemap. Each sheet shows the chart at
# 250, 500 and 750 ms and at rest, side by side.
SHEETS = {"sales-overview": (6, 9, 10)}
# On a laptop, light, and on a phone, dark (its columns drawn as bars, its pie in the middle).
SHEET_VIEWS = (DESKTOP.name, "phone-dark")
SHEET_WIDTH = 320  # each frame's width in a sheet


def contact_sheet(photos: list[bytes]) -> Image.Image:
    frames = [Image.open(io.BytesIO(photo)).convert("RGB") for photo in photos]
    height = round(frames[0].height * SHEET_WIDTH / frames[0].width)
    sheet = Image.new("RGB", (SHEET_WIDTH * len(frames), height), "white")
    for at, frame in enumerate(frames):
        small = frame.resize((SHEET_WIDTH, height), Image.Resampling.LANCZOS)
        sheet.paste(small, (at * SHEET_WIDTH, 0))
    return sheet


@pytest.mark.parametrize("view", SHEET_VIEWS)
@pytest.mark.parametrize(("name", "step"), [(n, k) for n, steps in SHEETS.items() for k in steps])
def test_transitions_look_as_reviewed_in_between(played, name, step, view):
    frames = next(f for f in played(name, view).frames if f.index + 1 == step)
    assert len(frames.photos) == len(MOMENTS) + 1
    sheet = contact_sheet(frames.photos)
    suffix = "" if view == DESKTOP.name else f"-{view}"
    path = GOLDENS / "motion" / f"{name}-{step:02d}{suffix}.png"
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        sheet.quantize(64, dither=Image.Dither.NONE).save(path, optimize=True)
        return
    assert path.is_file(), f"no golden sheet {path.name}; make them with ./dev goldens"
    golden = np.asarray(Image.open(path).convert("RGB")).astype(int)
    now = np.asarray(sheet).astype(int)
    assert golden.shape == now.shape
    assert float(np.abs(golden - now).mean()) <= MEAN_TOLERANCE, path.name


def test_a_move_that_ends_without_a_frame_of_its_own_still_rests_with_its_axis(browser, folder):
    """The race into the stacked area: the engine draws the move's last frame before it
    says it is complete, and no frame after. The value axis, hidden while its measure
    changes, is written at rest all the same (it stayed blank until something redrew)."""
    story = spec.build(spec.load(EXAMPLE_SPECS / "monthly-playback.yaml"))
    moments = len(story.to_dict()["slides"][0]["steps"])
    path = story.save_html(folder / "rest-axis.html")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        page.clock.install()
        page.goto(path.resolve().as_uri())
        wait_ready(page)
        page.focus("#ipyreport")
        page.evaluate(f"() => document.getElementById('ipyreport').ipyreport.go({moments - 1})")
        page.clock.run_for(2000)
        page.clock.pause_at(page.evaluate("() => Date.now()") / 1000 + 0.5)
        page.keyboard.press("ArrowRight")
        for _ in range(30):
            page.clock.run_for(100)
        assert not page.evaluate(
            "() => document.getElementById('ipyreport').ipyreport.state.moving"
        )
        groups: dict[str, list[str]] = {}
        drawn = page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()")
        for label in drawn[0]:
            groups.setdefault(label["group"], []).append(label["text"])
        assert groups["axis-y"][:3] == ["$10M", "$20M", "$30M"]
        assert groups["axis-x"][:4] == ["2021", "2022", "2023", "2024"]
    finally:
        context.close()
