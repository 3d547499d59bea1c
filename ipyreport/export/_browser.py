"""A story opened in headless Chromium, for outputs drawn by the player (PDF, video)."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    # With subpixel positioning, a page's fonts take their vertical metrics (ascent and
    # descent, a pixel apart) from whichever font settings the page starts with, which
    # vary from one launch to the next: a chart's label then sits a pixel higher or lower
    # and its glyphs are drawn differently. Without it, the same story draws the same
    # pictures every time, so a handout built at a pinned time is byte for byte the same.
    "--disable-font-subpixel-positioning",
]


def in_own_thread(function: Callable[[], T]) -> T:
    """Run ``function`` on a fresh thread: Playwright's sync API refuses to run
    where an asyncio loop is already running (a notebook, another Playwright)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function).result()


def chromium() -> str:
    """The system's Chromium, or an error that says how to install it."""
    executable = (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )
    if executable is None:
        msg = "this output is drawn by Chromium, which was not found; install it (Debian: apt-get install chromium)"
        raise RuntimeError(msg)
    return executable


@contextlib.contextmanager
def story_page(
    document: bytes, *, width: int, height: int, scale: float = 1
) -> Iterator[tuple[Any, Any]]:
    """``(browser, page)`` with the story ``document`` playing, ready, and moving without animation."""
    from playwright.sync_api import sync_playwright

    from ipyreport.export.html import render

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        player_file = Path(folder) / "story.html"
        player_file.write_text(render(document), encoding="utf-8")
        browser = playwright.chromium.launch(
            executable_path=chromium(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(
                viewport={"width": width, "height": height},
                device_scale_factor=scale,
                reduced_motion="reduce",
            )
            page = context.new_page()
            page.goto(player_file.resolve().as_uri())
            _wait_ready(page)
            yield browser, page
        finally:
            browser.close()


def _wait_ready(page: Any, timeout: float = 30.0) -> None:
    # wait_for_function evaluates strings, which the story's CSP forbids.
    deadline = time.monotonic() + timeout
    while not page.evaluate("() => document.getElementById('ipyreport').dataset.ready === 'true'"):
        if time.monotonic() > deadline:
            msg = "the story did not start in Chromium within 30 s"
            raise RuntimeError(msg)
        time.sleep(0.05)
