"""Notebook: cost of ``%load_ext ipyreport`` and time to the first drawn story.

``%load_ext`` is timed in fresh Python processes (median of 5) with IPython
already imported, against ``import ipyvizzu`` in the same kind of process.
The first render is timed in a JupyterLab started locally, from pressing
Shift+Enter on a cell that shows a one-slide story to its first drawn
chart, against the same press on a cell that only prints (the kernel round
trip every cell pays); the first story includes importing ipyreport and
pyarrow in the kernel and loading the engine into the page, a second one
shows what every later story costs.
"""

from __future__ import annotations

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
      slides=[Slide(presets.chart("column", x="Region", y="Revenue", duration=0))])"""
PRINT_CELL = 'print("round trip")'


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


def lab_seconds() -> tuple[float, float, float]:
    root = Path(tempfile.mkdtemp())
    write_notebook(root / "bench.ipynb", [PRINT_CELL, STORY_CELL, STORY_CELL])
    with running_lab(root) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=["--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(f"{base}/lab/tree/bench.ipynb?token={TOKEN}")
        wait_for_kernel(page)
        time.sleep(2)  # let the front end settle before timing
        page.click(".jp-Notebook .jp-Cell >> nth=0")
        start = time.perf_counter()
        page.keyboard.press("Shift+Enter")
        wait_for(page, "() => document.body.textContent.includes('round trip')")
        printed = time.perf_counter() - start
        start = time.perf_counter()
        page.keyboard.press("Shift+Enter")
        wait_for(page, "() => document.querySelector('.ipyreport')?.dataset.ready === 'true'")
        rendered = time.perf_counter() - start
        start = time.perf_counter()
        page.keyboard.press("Shift+Enter")
        wait_for(
            page, "() => document.querySelectorAll('.ipyreport[data-ready=\"true\"]').length === 2"
        )
        again = time.perf_counter() - start
        browser.close()
    return printed, rendered, again


def main(*, quick: bool = False) -> dict[str, Any]:
    load_ext = fresh_process_seconds(
        "shell.run_line_magic('load_ext', 'ipyreport')", runs=3 if quick else 5
    )
    import_ipyvizzu = fresh_process_seconds("import ipyvizzu", runs=3 if quick else 5)
    printed, rendered, again = lab_seconds()
    print("\nNotebook (python -m bench notebook)\n")
    print("| measure | ipyreport | baseline |")
    print("|---|---:|---:|")
    print(
        f"| `%load_ext ipyreport` vs `import ipyvizzu` (fresh process, median) | {load_ext * 1000:.0f} ms | {import_ipyvizzu * 1000:.0f} ms |"
    )
    print(
        f"| first story drawn after Shift+Enter vs a cell that prints (JupyterLab) | {rendered:.2f} s | {printed:.2f} s |"
    )
    print(
        f"| a second story in the same notebook (engine already loaded) | {again:.2f} s | {printed:.2f} s |"
    )
    return {
        "again": again,
        "load_ext": load_ext,
        "import_ipyvizzu": import_ipyvizzu,
        "printed": printed,
        "rendered": rendered,
    }
