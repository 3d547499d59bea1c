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

# The texts drawn over the next few animation frames (the resize lands in the first).
_FRAMES = """async () => {
  for (let i = 0; i < 20 && !window.drawnTexts.length; i++) {
    await new Promise((done) => requestAnimationFrame(done));
  }
  await new Promise((done) => requestAnimationFrame(done));
  return window.drawnTexts;
}"""


def drawn_at_rest(page) -> list[str]:
    """The texts of one frame drawn at rest (RECORD_TEXTS): a one-pixel nudge of the viewport redraws it."""
    page.evaluate("() => { window.drawnTexts = []; window.drawnFonts = []; }")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"] + 1, "height": size["height"]})
    texts = page.evaluate(_FRAMES)
    page.set_viewport_size(size)
    return texts


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
