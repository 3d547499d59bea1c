"""Notebook: cost of ``%load_ext ipyreport`` and time to the first drawn story, with where it goes.

``%load_ext`` is timed in fresh Python processes (median of 5) with IPython
already imported, against ``import ipyvizzu`` in the same kind of process.
The first render is timed in a JupyterLab started locally, from pressing
Shift+Enter on a cell that shows a one-slide story to its first drawn
chart, against the same press on a cell that only prints (the kernel round
trip every cell pays): in a fresh kernel after a ``%load_ext ipyreport``
cell (and the pause a person takes before the next cell), in a fresh kernel
with nothing of ipyreport loaded, and for a second story. The breakdown
comes from the widget's performance marks in the page (render called,
engine loaded, first step drawn) and from the story cell's kernel work
timed part by part in fresh processes.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from tests.browser.lab import TOKEN, running_lab, wait_for, wait_for_kernel, write_notebook

PROBE = """
import time
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
start = time.perf_counter()
{statement}
print(time.perf_counter() - start)
"""
STORY_CELL = """\
from ipyreport import Slide, Story, presets
Story({"Region": ["North", "South", "East"], "Revenue": [3.0, 5.0, 4.0]},
      slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue", duration=0))])"""
PRINT_CELL = 'print("round trip")'
# What the kernel does for the story cell, step by step, in a fresh process.
KERNEL_PROBE = """
import json, time
from IPython.core.interactiveshell import InteractiveShell
InteractiveShell.instance()
marks = [time.perf_counter()]
from ipyreport import Slide, Story, presets
marks.append(time.perf_counter())
story = Story({"Region": ["North", "South", "East"], "Revenue": [3.0, 5.0, 4.0]},
              slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue", duration=0))])
marks.append(time.perf_counter())
import ipyreport.notebook.widget
marks.append(time.perf_counter())
player = story.player()
marks.append(time.perf_counter())
bundle = story._repr_mimebundle_()
marks.append(time.perf_counter())
print(json.dumps([b - a for a, b in zip(marks, marks[1:])]))
"""
KERNEL_PARTS = (
    "import ipyreport and pyarrow",
    "build the story (plan, data)",
    "import the widget (anywidget, ipywidgets)",
    "the player widget and its engine",
    "the output (widget view + offline HTML fallback)",
)
# Shift+Enter's time in the page, and the widget's performance marks after it.
WATCH_KEYS = """() => window.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && event.shiftKey) window.__ipyreportPressed = performance.now();
}, true)"""
READ_MARKS = """() => {
  const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
  const roots = [...document.querySelectorAll('.ipyreport[data-ready="true"]')];
  return {
    pressed: window.__ipyreportPressed,
    render: performance.getEntriesByName("ipyreport:render").at(-1)?.startTime ?? null,
    engineStart: mark("ipyreport:engine-start"),
    engineReady: mark("ipyreport:engine-ready"),
    drawn: Number(roots.at(-1)?.dataset.readyMs),
  };
}"""


def fresh_process_seconds(statement: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", PROBE.format(statement=statement)],
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(float(result.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def kernel_seconds(runs: int) -> list[float]:
    """The story cell's kernel work, part by part (median of fresh processes)."""
    samples = []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", KERNEL_PROBE], capture_output=True, text=True, check=True
        )
        samples.append(json.loads(result.stdout.strip().splitlines()[-1]))
    return [statistics.median(part) for part in zip(*samples, strict=True)]


def _press(page: Any, done: str) -> tuple[float, dict[str, Any]]:
    """Shift+Enter on the selected cell; seconds until ``done`` holds, and the page's marks."""
    start = time.perf_counter()
    page.keyboard.press("Shift+Enter")
    wait_for(page, done)
    seconds = time.perf_counter() - start
    return seconds, page.evaluate(READ_MARKS)


def lab_seconds() -> dict[str, Any]:
    """Shift+Enter to drawn chart in JupyterLab: cold, a second story, and after ``%load_ext``."""
    root = Path(tempfile.mkdtemp())
    write_notebook(root / "cold.ipynb", [PRINT_CELL, STORY_CELL, STORY_CELL])
    write_notebook(root / "warm.ipynb", [PRINT_CELL, "%load_ext ipyreport", STORY_CELL])
    printed = 'document.body.textContent.includes("round trip")'
    drawn = "document.querySelectorAll('.ipyreport[data-ready=\"true\"]').length === {}"
    idle = "document.querySelector('.jp-Notebook-ExecutionIndicator')?.textContent.includes('Idle')"
    found: dict[str, Any] = {}
    with running_lab(root) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=["--no-sandbox"]
        )
        for name in ("cold", "warm"):
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            # A workspace of its own, so the other notebook's tab is not restored beside it.
            page.goto(f"{base}/lab/workspaces/{name}/tree/{name}.ipynb?reset&token={TOKEN}")
            wait_for_kernel(page)
            time.sleep(2)  # let the front end settle before timing
            page.evaluate(WATCH_KEYS)
            page.click(".jp-Notebook .jp-Cell >> nth=0")
            found[f"{name} printed"], _ = _press(page, f"() => {printed}")
            if name == "cold":
                found["cold"] = _press(page, f"() => {drawn.format(1)}")
                found["again"] = _press(page, f"() => {drawn.format(2)}")
            else:
                page.keyboard.press("Shift+Enter")
                time.sleep(0.5)
                wait_for(page, f"() => {idle}")
                time.sleep(3)  # the pause before the next cell, which a person takes too
                found["warm"] = _press(page, f"() => {drawn.format(1)}")
            page.close()
        browser.close()
    return found


def _page_parts(marks: dict[str, Any]) -> list[tuple[str, float]]:
    """Where a story cell's time went in the page, from its performance marks (seconds)."""
    pressed, render, drawn = marks["pressed"], marks["render"], marks["drawn"]
    parts = [("kernel work and messages, to the widget's render()", render - pressed)]
    engine_start, engine_ready = marks["engineStart"], marks["engineReady"]
    if engine_ready is not None and engine_ready > render:
        # The part of loading the engine that the view waited for.
        parts.append(("loading the engine in the page (module, wasm)", engine_ready - render))
        parts.append(("the player's first drawn step", drawn - engine_ready))
    else:
        if engine_start is not None and engine_start < render:
            parts.append((f"(engine loaded {(render - engine_ready) / 1000:.2f} s before)", 0.0))
        parts.append(("the player's first drawn step", drawn - render))
    return [(name, ms / 1000) for name, ms in parts]


def main(*, quick: bool = False) -> dict[str, Any]:
    runs = 3 if quick else 5
    load_ext = fresh_process_seconds("shell.run_line_magic('load_ext', 'ipyreport')", runs=runs)
    import_ipyvizzu = fresh_process_seconds("import ipyvizzu", runs=runs)
    kernel = kernel_seconds(runs)
    found = lab_seconds()
    printed = found["cold printed"]
    print("\nNotebook (python -m bench notebook)\n")
    print("| measure | ipyreport | baseline |")
    print("|---|---:|---:|")
    print(
        f"| `%load_ext ipyreport` vs `import ipyvizzu` (fresh process, median) | {load_ext * 1000:.0f} ms | {import_ipyvizzu * 1000:.0f} ms |"
    )
    rows = (
        ("first story in a fresh kernel, after a `%load_ext ipyreport` cell", "warm"),
        ("first story in a fresh kernel, nothing of ipyreport loaded before", "cold"),
        ("a second story in the same notebook", "again"),
    )
    for label, key in rows:
        print(
            f"| {label}: Shift+Enter to first drawn chart vs a cell that prints | {found[key][0]:.2f} s | {printed:.2f} s |"
        )
    print("\nWhere the time goes (seconds)\n")
    for label, key in rows:
        print(f"{label}:")
        for name, seconds in _page_parts(found[key][1]):
            print(f"  {seconds:6.3f}  {name}")
    print("the story cell's kernel work in a fresh process (median):")
    for name, seconds in zip(KERNEL_PARTS, kernel, strict=True):
        print(f"  {seconds:6.3f}  {name}")
    return {
        "load_ext": load_ext,
        "import_ipyvizzu": import_ipyvizzu,
        "printed": printed,
        "cold": found["cold"][0],
        "again": found["again"][0],
        "warm": found["warm"][0],
        "kernel": dict(zip(KERNEL_PARTS, kernel, strict=True)),
    }
