"""The live preview (`ipyreport preview`), as a writer sees it in a browser while saving files.

One preview server (a subprocess on a free port, stopped by its process id)
serves a copy of a bundled example for the whole module; the tests rewrite
its spec and data as an editor would and look at what the page shows.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from .lab import free_port

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "stories" / "sales-overview.yaml"

# What the page shows: the story frame on top, its version, title and place, and the error over it.
SHOWN = """() => {
  const frame = document.querySelector("iframe.current");
  const root = frame?.contentDocument?.getElementById("ipyreport");
  const error = document.getElementById("preview-error");
  return {
    frames: document.querySelectorAll("iframe").length,
    version: frame ? Number(frame.dataset.version) : 0,
    ready: root?.dataset.ready === "true",
    title: root?.querySelector(".ipyreport-title")?.textContent ?? null,
    heading: frame?.contentDocument?.querySelector(".ipyreport-prose h1")?.textContent ?? null,
    scroll: frame ? frame.contentWindow.scrollY : 0,
    slide: root?.dataset.slide ?? null,
    step: root?.dataset.step ?? null,
    error: error.hidden ? null : error.querySelector("pre").textContent,
  };
}"""


# A story whose title says the total of its data file.
FROM_A_FILE = (
    "title: Sales from a file\n"
    "data:\n  path: sales.csv\n"
    "slides:\n"
    '  - title: "Revenue {sum(Revenue)}"\n'
    "    steps:\n      - chart: {kind: column, x: Region, y: Revenue}\n"
)


class Preview:
    """A preview server started as ``ipyreport preview`` would be from a terminal."""

    def __init__(self, source: Path, log: Path, *options: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        # The "browser" --open starts: a script that notes the address it was asked to open.
        self.opened = log.with_name("opened.txt")
        browser = log.with_name("browser.sh")
        browser.write_text(f'#!/bin/sh\nprintf %s "$1" > "{self.opened}"\n')
        browser.chmod(0o755)
        command = [sys.executable, "-m", "ipyreport", "preview", str(source)]
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [*command, "--port", str(self.port), *options],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                env={**os.environ, "BROWSER": str(browser)},
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.base + "/", timeout=2).close()
            except OSError:
                assert self.process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "the preview did not start within 60 s"
                time.sleep(0.1)
            else:
                return

    def stop(self, how: int = signal.SIGINT) -> int:
        """Stop the server by its process id, as Ctrl-C does; its exit status."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, how)
        try:
            return self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)
            raise


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    folder = tmp_path_factory.mktemp("preview")
    spec = folder / "story.yaml"
    shutil.copyfile(EXAMPLE, spec)
    (folder / "sales.csv").write_text("Region,Revenue\nEurope,100\nAsia,250\n")
    server = Preview(spec, folder / "preview.log", "--open")
    yield server, spec
    server.stop()


@pytest.fixture(scope="module")
def seen(browser, story):
    server, _ = story
    context = browser.new_context(viewport={"width": 1000, "height": 640})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server.base + "/")
    yield page, requests, errors
    context.close()


def shown(page) -> dict:
    return page.evaluate(SHOWN)


def wait_for(page, condition, timeout=15.0) -> tuple[dict, float]:
    """What the page shows once ``condition`` holds of it, and when that was (perf_counter)."""
    deadline = time.monotonic() + timeout
    while True:
        now = shown(page)
        if condition(now):
            return now, time.perf_counter()
        assert time.monotonic() < deadline, f"the page never showed it; it shows {now}"
        time.sleep(0.005)


def step_to(page, slide: str, step: str) -> None:
    """Press → in the story until it is at ``slide``.``step``."""
    wait_for(page, lambda s: s["ready"])
    frame = page.frame_locator("iframe.current")
    for _ in range(12):
        now = shown(page)
        if (now["slide"], now["step"]) == (slide, step):
            return
        frame.locator("#ipyreport").press("ArrowRight")
        wait_for(
            page, lambda s, before=now: (s["slide"], s["step"]) != (before["slide"], before["step"])
        )
    msg = f"never reached {slide}.{step}"
    raise AssertionError(msg)


def test_open_shows_the_preview_in_the_browser(story):
    server, _ = story
    deadline = time.monotonic() + 10
    while not server.opened.exists():
        assert time.monotonic() < deadline, "no browser was opened"
        time.sleep(0.05)
    assert server.opened.read_text() == server.base + "/"


def test_an_edit_reloads_at_the_same_step_with_the_new_title(seen, story):
    page, _, errors = seen
    _, spec = story
    step_to(page, "2", "2")
    before = shown(page)
    assert before["title"] == "Laptops sell the most: $346.8M"
    text = spec.read_text()
    edited = text.replace(
        '- title: "{Product.top} sell the most: {sum(Revenue, Product=Product.top)}"',
        "- title: Revenue, region by region",
    )
    assert edited != text
    written = time.perf_counter()
    spec.write_text(edited)
    after, seen_at = wait_for(page, lambda s: s["title"] == "Revenue, region by region")
    latency = seen_at - written
    print(f"\nsave to reloaded page: {latency:.3f} s")
    assert (after["slide"], after["step"]) == ("2", "2")
    assert after["version"] == before["version"] + 1
    assert after["frames"] == 1
    # Well under a second alone; a bound a busy machine keeps (it took 1.004 s once, with
    # other browsers at work), which a reload left to a timer or a second save still fails.
    assert latency < 3.0
    assert errors == []


def test_a_broken_edit_shows_its_error_over_the_last_good_story_until_it_is_fixed(seen, story):
    page, _, errors = seen
    _, spec = story
    good = wait_for(page, lambda s: s["ready"] and s["error"] is None)[0]
    text = spec.read_text()
    lines = text.splitlines()
    number = next(
        i for i, line in enumerate(lines) if "kinds: [stacked_column, grouped_column" in line
    )
    column = lines[number].index("grouped_column") + 1
    spec.write_text(text.replace("grouped_column,", "grouped_colum,", 1))
    broken, _ = wait_for(page, lambda s: s["error"] is not None)
    assert broken["error"].startswith(
        f"{spec}:{number + 1}:{column}: slide 2, step 1, morph.kinds item 2: 'grouped_colum' is not one of"
    )
    assert broken["error"].endswith("(did you mean 'grouped_column'?)")
    assert page.locator("#preview-error").is_visible()
    # The last good story stays, where it was, under the error.
    assert {k: broken[k] for k in ("version", "title", "slide", "step", "frames")} == {
        k: good[k] for k in ("version", "title", "slide", "step", "frames")
    }
    spec.write_text(text.replace("- title: Revenue, region by region", "- title: Fixed and back"))
    fixed, _ = wait_for(page, lambda s: s["title"] == "Fixed and back")
    assert fixed["error"] is None
    assert not page.locator("#preview-error").is_visible()
    assert (fixed["slide"], fixed["step"]) == (good["slide"], good["step"])
    assert errors == []


def test_a_rewritten_data_file_shows_its_new_numbers(seen, story):
    page, _, errors = seen
    _, spec = story
    spec.write_text(FROM_A_FILE)
    wait_for(page, lambda s: s["title"] == "Revenue 350")
    (spec.parent / "sales.csv").write_text("Region,Revenue\nEurope,100\nAsia,250\nAfrica,75\n")
    after, _ = wait_for(page, lambda s: s["title"] == "Revenue 425")
    assert after["error"] is None
    assert errors == []


def test_a_data_file_written_slowly_never_shows_as_half_a_file(seen, story):
    page, _, errors = seen
    _, spec = story
    data = spec.parent / "sales.csv"
    data.write_text("Region,Revenue\nEurope,1\n")
    spec.write_text(FROM_A_FILE)
    wait_for(page, lambda s: s["title"] == "Revenue 1")
    rows = [f"{'Europe' if n % 2 else 'Asia'},1\n" for n in range(200)]

    def write_slowly() -> None:
        with data.open("w") as out:  # an export that takes its time, flushing as it goes
            out.write("Region,Revenue\n")
            for start in range(0, len(rows), 5):  # 40 writes, 30 ms apart
                out.write("".join(rows[start : start + 5]))
                out.flush()
                time.sleep(0.03)

    writer = threading.Thread(target=write_slowly)
    writer.start()
    shown_meanwhile = set()
    while writer.is_alive():
        now = shown(page)
        shown_meanwhile.add((now["title"], now["error"]))
    writer.join()
    after, _ = wait_for(page, lambda s: s["title"] == "Revenue 200")
    shown_meanwhile.add((after["title"], after["error"]))
    assert shown_meanwhile <= {("Revenue 1", None), ("Revenue 200", None)}
    assert errors == []


def test_no_request_leaves_the_preview(seen, story):
    _, requests, _ = seen
    server, _ = story
    assert requests, "the page made no request at all"
    outside = [url for url in requests if not url.startswith((server.base + "/", "blob:", "data:"))]
    assert outside == []
    assert {
        url.split("?")[0].removeprefix(server.base) for url in requests if url.startswith("http")
    } == {
        "/",
        "/events",
        "/story.html",
    }


def test_ctrl_c_stops_the_preview_and_frees_its_port(story):
    server, _ = story
    assert server.stop(signal.SIGINT) == 0
    assert server.log.read_text().splitlines()[-1] == "preview stopped"
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", server.port), timeout=2)


def notebook_of(title: str) -> dict:
    """A saved notebook: a heading, words, and the bundled example story it showed."""
    from ipyreport.export.html import iframe
    from ipyreport.spec import build, load

    story = build(load(EXAMPLE))
    output = {"text/html": iframe(story.to_html(), title="Sales"), "text/plain": "Story"}
    words = "Each region's revenue, then its products, month by month. " * 12
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": [f"# {title}\n", "\n", words]},
            {"cell_type": "markdown", "metadata": {}, "source": [words]},
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": 1,
                "source": ["story"],
                "outputs": [
                    {
                        "output_type": "execute_result",
                        "execution_count": 1,
                        "metadata": {},
                        "data": output,
                    }
                ],
            },
            {"cell_type": "markdown", "metadata": {}, "source": [words]},
        ],
    }


def test_a_notebook_previews_as_its_article_and_keeps_the_scroll_on_save(browser, tmp_path):
    notebook = tmp_path / "sales.ipynb"
    notebook.write_text(json.dumps(notebook_of("Sales, as written")))
    server = Preview(notebook, tmp_path / "preview.log")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(server.base + "/")
        first, _ = wait_for(page, lambda s: s["ready"], timeout=30)
        assert first["heading"] == "Sales, as written"
        frame = page.frame_locator("iframe.current")
        frame.locator(".ipyreport-block").nth(2).scroll_into_view_if_needed()
        scrolled, _ = wait_for(page, lambda s: s["scroll"] > 300)
        notebook.write_text(json.dumps(notebook_of("Sales, saved again")))
        after, _ = wait_for(page, lambda s: s["heading"] == "Sales, saved again", timeout=30)
        assert after["version"] == first["version"] + 1
        assert abs(after["scroll"] - scrolled["scroll"]) <= 2
        assert all(url.startswith((server.base + "/", "blob:", "data:")) for url in requests)
    finally:
        context.close()
        assert server.stop() == 0
