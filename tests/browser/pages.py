"""Waiting on a story in a page, and looking at its dashboard charts, as the browser tests do."""

import io
import re
import time
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image

# The engine's first palette colour, in which single-colour marks are drawn...
MARK = np.array([65, 113, 205])
# ...unless the story's categories own the palette: then they are slate (light theme).
PLAIN = np.array([0x5B, 0x6B, 0x7F])


# Of the smaller of two marks, how much another may cover before the two read as one (piled).
PILED = 0.25

# A box on the page or in a plot: left, top, right, bottom (top < bottom on a page; a plot's
# own coordinates may run upward, which changes nothing below).
Box = tuple[float, float, float, float]


def box_of(left: float, top: float, width: float, height: float) -> Box:
    """The box at ``left``, ``top`` of that size; a negative width or height reaches back."""
    return (
        min(left, left + width),
        min(top, top + height),
        max(left, left + width),
        max(top, top + height),
    )


def overlap(one: Box, other: Box) -> tuple[float, float]:
    """How far two boxes reach into each other across and down (negative: the gap between)."""
    return min(one[2], other[2]) - max(one[0], other[0]), min(one[3], other[3]) - max(
        one[1], other[1]
    )


def area(box: Box) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def piled(one: Box, other: Box) -> bool:
    """Whether two marks lie over one another by more than PILED of the smaller."""
    across, down = overlap(one, other)
    return max(0.0, across) * max(0.0, down) > PILED * min(area(one), area(other)) > 0


# Every text drawn on a canvas since the page (re)set the list: what a frame
# says, read without OCR. Add it with page.add_init_script before the story loads.
RECORD_TEXTS = """(() => {
  window.drawnTexts = [];
  window.drawnFonts = [];
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    window.drawnTexts.push(String(text));
    window.drawnFonts.push([String(text), this.font]);
    return fillText.call(this, text, ...rest);
  };
})();"""

# Where each text and each coloured shape of a chart's last frame went, per canvas, in its
# pixels (CSS pixels at a device pixel ratio of 1, as the tests run): every fillText's box (measureText's ink box, through the canvas's transform) and colour (``ink``), and
# every filled path's bounding box with its colour and whether it is a rectangle. A fill over the whole canvas (the
# engine's background) starts the canvas's frame again. Read it with drawn_boxes().
RECORD_BOXES = """(() => {
  const frames = new Map();
  const frameOf = (canvas) => frames.get(canvas) ?? frames.set(canvas, { texts: [], shapes: [] }).get(canvas);
  const P = CanvasRenderingContext2D.prototype;
  const points = (context, corners) => {
    const m = context.getTransform();
    return corners.map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
  };
  const around = (ps) => [Math.min(...ps.map((p) => p[0])), Math.min(...ps.map((p) => p[1])),
    Math.max(...ps.map((p) => p[0])), Math.max(...ps.map((p) => p[1]))];
  let path = [];
  const beginPath = P.beginPath;
  P.beginPath = function () { path = []; return beginPath.call(this); };
  for (const name of ["moveTo", "lineTo"]) {
    const original = P[name];
    P[name] = function (x, y) { path.push(...points(this, [[x, y]])); return original.call(this, x, y); };
  }
  const rect = P.rect;
  P.rect = function (x, y, w, h) { path.push(...points(this, [[x, y], [x + w, y + h]])); return rect.call(this, x, y, w, h); };
  const fill = P.fill;
  P.fill = function (...rest) {
    if (path.length > 1) {
      const box = around(path);
      const canvas = this.canvas;
      if (box[0] <= 0 && box[1] <= 0 && box[2] >= canvas.clientWidth - 1 && box[3] >= canvas.clientHeight - 1) {
        frames.set(canvas, { texts: [], shapes: [] });
      } else {
        // A rectangle (a bar, a tile), round corners aside: its path fills nearly all its box
        // (a pie's wedge fills about half of its box).
        let area = 0;
        path.forEach(([x, y], i) => { const [u, v] = path[(i + 1) % path.length]; area += x * v - u * y; });
        const rectangle = Math.abs(area) / 2 >= 0.9 * (box[2] - box[0]) * (box[3] - box[1]);
        frameOf(canvas).shapes.push({ box, colour: String(this.fillStyle), alpha: this.globalAlpha, rectangle });
      }
    }
    return fill.apply(this, rest);
  };
  const fillText = P.fillText;
  P.fillText = function (text, x, y, ...rest) {
    const m = this.measureText(String(text));
    const corners = points(this, [[x - m.actualBoundingBoxLeft, y - m.actualBoundingBoxAscent],
      [x + m.actualBoundingBoxRight, y - m.actualBoundingBoxAscent], [x + m.actualBoundingBoxRight, y + m.actualBoundingBoxDescent],
      [x - m.actualBoundingBoxLeft, y + m.actualBoundingBoxDescent]]);
    if (String(text).trim()) frameOf(this.canvas).texts.push({ text: String(text), corners, box: around(corners), alpha: this.globalAlpha, ink: String(this.fillStyle) });
    return fillText.call(this, text, x, y, ...rest);
  };
  // The engine draws a frame off screen, then copies it onto the canvas in the page.
  const shown = new Map();
  const drawImage = P.drawImage;
  P.drawImage = function (source, ...rest) {
    if (source instanceof HTMLCanvasElement) shown.set(this.canvas, source);
    return drawImage.call(this, source, ...rest);
  };
  window.drawnBoxes = () => [...document.querySelectorAll("canvas")].filter((canvas) => canvas.checkVisibility())
    .map((canvas) => ({ width: canvas.clientWidth, height: canvas.clientHeight,
      ...(frames.get(shown.get(canvas) ?? canvas) ?? { texts: [], shapes: [] }) }));
})();"""


def drawn_boxes(page) -> list[dict]:
    """Each visible chart canvas's last frame at rest (RECORD_BOXES): its size, the texts and
    the coloured shapes drawn on it, each with its ``box`` [left, top, right, bottom]."""
    drawn_at_rest(page)
    return page.evaluate("() => window.drawnBoxes()")


def recording_boxes(page):
    """``page`` opened again with RECORD_BOXES at work from its first frame: ready, and
    focused for the keys a presenter presses. Returns it."""
    page.add_init_script(RECORD_BOXES)
    page.reload()
    wait_ready(page)
    page.focus("#ipyreport")
    return page


# The texts drawn over the next few animation frames (the resize lands in the first).
# A frame is awaited at most 200 ms: a page that paints no frame gives an answer, not a hang.
_FRAMES = """async () => {
  const frame = () => new Promise((done) => { requestAnimationFrame(done); setTimeout(done, 200); });
  for (let i = 0; i < 20 && !window.drawnTexts.length; i++) await frame();
  await frame();
  return window.drawnTexts;
}"""


_FORGET = "() => { window.drawnTexts = []; window.drawnFonts = []; }"


def drawn_at_rest(page) -> list[str]:
    """The texts of one frame drawn at rest (RECORD_TEXTS): a one-pixel nudge of the viewport
    redraws it. The texts are those of the frame drawn once the viewport is back to its size,
    so the canvas is whole again when this returns (a resized canvas is blank until redrawn)."""
    page.evaluate(_FORGET)
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"] + 1, "height": size["height"]})
    page.evaluate(_FRAMES)
    page.evaluate(_FORGET)
    page.set_viewport_size(size)
    return page.evaluate(_FRAMES)


def fonts_at_rest(page) -> list[tuple[str, float]]:
    """Each text of one frame drawn at rest (RECORD_TEXTS) with its size in CSS pixels."""
    drawn_at_rest(page)
    found = page.evaluate("() => window.drawnFonts")
    return [(text, _pixels(font)) for text, font in found]


def _pixels(font: str) -> float:
    """The size a canvas font (``"bold 24px Roboto"``) sets, in pixels."""
    size = re.search(r"([\d.]+)px", font)
    if size is None:
        msg = f"a canvas font with no size in pixels: {font!r}"
        raise AssertionError(msg)
    return float(size.group(1))


def wait_ready(page, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate("() => document.getElementById('ipyreport').dataset.ready === 'true'"):
            wait_idle(page)
            return
        time.sleep(0.05)
    msg = "the story never became ready"
    raise AssertionError(msg)


def wait_idle(page, timeout=10.0):
    """Wait for the player's own promise that it rests (``api.idle()``), at most ``timeout`` s."""
    rested = page.evaluate(
        """(ms) => new Promise((done) => {
             const api = document.getElementById('ipyreport').ipyreport;
             if (!api) return done(false);
             api.idle().then(() => done(true));
             setTimeout(() => done(false), ms);
           })""",
        timeout * 1000,
    )
    if not rested:
        msg = "the player stayed busy"
        raise AssertionError(msg)


def go_to(page, slide: int, step: int = 1) -> None:
    """Move the story to ``slide``'s ``step`` as a link to ``#slide.step`` does, and wait until
    it rests there (the move itself, not a guess at when it starts)."""
    page.evaluate("([slide, step]) => { location.hash = `#${slide}.${step}`; }", [slide, step])
    page.wait_for_function(
        "([slide, step]) => { const d = document.getElementById('ipyreport').dataset;"
        " return d.slide === String(slide) && d.step === String(step); }",
        arg=[slide, step],
        timeout=20_000,
    )
    wait_idle(page)


def open_story(open_file, path, **options):
    """Open an exported story, wait until its first step is drawn, and give it the keyboard."""
    watch = open_file(path, **options)
    wait_ready(watch.page)
    watch.page.focus("#ipyreport")
    return watch, watch.page


def _picture(locator):
    """What the viewer sees of an element, as an RGB array."""
    return np.asarray(Image.open(io.BytesIO(locator.screenshot())).convert("RGB")).astype(int)


def panel(page, number):
    """What the viewer sees of one dashboard chart, as an RGB array."""
    return _picture(page.locator(".ipyreport-board:not([hidden]) .ipyreport-panel").nth(number))


def tallest_mark(page, number):
    """Page coordinates of the middle of the tallest mark in a dashboard's column chart."""
    return tallest_mark_in(
        page.locator(".ipyreport-board:not([hidden]) .ipyreport-panel").nth(number)
    )


def tallest_mark_in(chart):
    """Page coordinates of the middle of the tallest mark in the column chart ``chart`` (a locator)."""
    box = chart.bounding_box()
    picture = _picture(chart)
    marks = [(np.abs(picture - colour) < 25).all(axis=2) for colour in (MARK, PLAIN)]
    mark = max(marks, key=lambda found: int(found.sum()))
    column = int(mark.sum(axis=0).argmax())
    rows = np.nonzero(mark[:, column])[0]
    scale = box["width"] / picture.shape[1]
    return box["x"] + column * scale, box["y"] + float(np.median(rows)) * scale


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page) -> list[str]:
    """What axe-core (installed by npm, pinned) finds wrong in the page: ``rule: element`` per node.

    The script goes in through the browser's debugging channel, which the page's
    strict content-security policy does not govern; the page itself fetches nothing.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    found = page.evaluate(
        """async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations
             .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`))"""
    )
    return list(found)


# The share of a chart canvas (the element it runs on) that is not white.
CANVAS_INK = """(canvas) => { const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 740) n += 1;
  return n / (canvas.width * canvas.height); }"""


def watch(page) -> tuple[list[str], list[str]]:
    """The URLs ``page`` requests and the errors it reports, gathered from now on."""
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return requests, errors


def hosts(requests: list[str]) -> set[str]:
    """The hosts of the web requests among ``requests``."""
    from urllib.parse import urlparse

    return {urlparse(url).hostname or "" for url in requests if url.startswith("http")}
