"""Exported story: file size and time to the first drawn slide, against ipyvizzu-story.

The same two-slide story (Revenue by Country, then stacked by Product) over
``samples.sales(rows=n)`` is exported by ipyreport (``Story.save_html``)
and by ipyvizzu-story 0.12 (``Story.to_html``, whose page loads its player
and Vizzu from a CDN, so it cannot be timed offline). For time, the
baseline hands the same rows to the same local Vizzu module the way
ipyvizzu does (its JSON: one text value per row and dimension) and draws the
same first chart. Both pages are opened from file:// in headless Chromium;
the time is ``performance.now()`` when the first chart is drawn, best of 3.
"""

from __future__ import annotations

import base64
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from ipyvizzu import Config, Data
from ipyvizzustory import Slide as StorySlide
from ipyvizzustory import Step as StoryStep
from ipyvizzustory import Story as IpyvizzuStory
from playwright.sync_api import Page, sync_playwright

from ipyreport import assets, presets, samples
from ipyreport.data import encode
from ipyreport.story import Slide, Story

COLUMNS = ["Country", "Product", "Month", "Revenue", "Profit"]
FIRST = {"x": "Country", "y": "Revenue"}
SECOND = {"x": "Country", "y": ["Revenue", "Product"], "color": "Product"}

BASELINE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>baseline</title></head>
<body style="margin:0"><div id="chart" style="width:1000px;height:600px"></div>
<script type="text/plain" id="js">{module}</script><script type="text/plain" id="wasm">{wasm}</script>
<script type="application/json" id="data">{data}</script>
<script type="module">
const bytes = (id) => Uint8Array.from(atob(document.getElementById(id).textContent), (c) => c.charCodeAt(0));
const url = (id, type) => URL.createObjectURL(new Blob([bytes(id)], {{ type }}));
const {{ default: Vizzu }} = await import(url("js", "text/javascript"));
Vizzu.options({{ wasmUrl: url("wasm", "application/wasm") }});
const data = JSON.parse(document.getElementById("data").textContent).data;
const chart = await new Vizzu(document.getElementById("chart")).initializing;
await chart.animate({{ data, config: {config} }}, 0);
document.body.dataset.readyMs = String(Math.round(performance.now()));
</script></body></html>
"""


def our_story(rows: int) -> Story:
    data = encode(samples.sales(rows=rows).select(COLUMNS), max_rows=None)
    return Story(
        data,
        title="Revenue",
        slides=[
            Slide(presets.chart(kind="bar", x="Country", y="Revenue", duration=0)),
            Slide(presets.chart(kind="stacked_bar", x="Country", y="Revenue", color="Product")),
        ],
    )


def ipyvizzu_data(rows: int) -> Data:
    data = Data()
    frame = samples.sales(rows=rows).select(COLUMNS).to_pandas(date_as_object=False)
    data.add_df(frame, max_rows=rows)
    return data


def baseline_story_html(data: Data) -> str:
    story = IpyvizzuStory(data=data)
    story.add_slide(StorySlide(StoryStep(Config(FIRST))))
    story.add_slide(StorySlide(StoryStep(Config(SECOND))))
    return str(story.to_html())


def baseline_page(data: Data) -> str:
    payload = json.dumps({"data": data}).replace("<", "\\u003c")
    return BASELINE_PAGE.format(
        module=base64.b64encode(assets.vizzu_module()).decode(),
        wasm=base64.b64encode(assets.vizzu_wasm()).decode(),
        data=payload,
        config=json.dumps(FIRST),
    )


def time_to_first_chart(page: Page, path: Path, selector: str, attribute_owner: str) -> float:
    page.goto(path.resolve().as_uri(), timeout=600_000)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        ready = page.evaluate(
            f"() => document.querySelector('{attribute_owner}')?.dataset.readyMs ?? null"
        )
        if ready is not None:
            return float(ready) / 1000
        time.sleep(0.05)
    msg = f"{path.name} never drew its first chart"
    raise AssertionError(msg)


def run(rows: int, page: Page, workdir: Path, repeats: int) -> dict[str, Any]:
    ours = workdir / f"ours-{rows}.html"
    our_story(rows).save_html(ours)
    data = ipyvizzu_data(rows)
    baseline_file = workdir / f"ipyvizzu-story-{rows}.html"
    baseline_file.write_text(baseline_story_html(data), encoding="utf-8")
    baseline_timed = workdir / f"baseline-{rows}.html"
    baseline_timed.write_text(baseline_page(data), encoding="utf-8")
    our_times, baseline_times = [], []
    for _ in range(repeats):
        our_times.append(time_to_first_chart(page, ours, "#ipyreport", "#ipyreport"))
        baseline_times.append(time_to_first_chart(page, baseline_timed, "body", "body"))
    return {
        "rows": rows,
        "ours_bytes": ours.stat().st_size,
        "ipyvizzu_story_bytes": baseline_file.stat().st_size,
        "ours_s": min(our_times),
        "baseline_s": min(baseline_times),
    }


def main(*, quick: bool = False) -> list[dict[str, Any]]:
    sizes = [10_000] if quick else [10_000, 100_000, 1_000_000]
    repeats = 1 if quick else 3
    results = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1100, "height": 700})
        for rows in sizes:
            results.append(run(rows, page, Path(tmp), repeats))
        browser.close()
    tiny = Story(
        {"a": ["x"], "v": [1.0]}, slides=[Slide(presets.chart(kind="column", x="a", y="v"))]
    )
    fixed = len(tiny.to_html().encode("utf-8"))
    print(
        f"\nFixed cost of an exported story (engine, wasm, player; one-row story): {fixed / 1000:.0f} KB"
    )
    print("\nExported story, same story and rows (python -m bench story)\n")
    print(
        "| source rows | ipyreport file | ipyvizzu-story 0.12 file | smaller | ipyreport first slide | baseline first chart | faster |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['rows']:,} | {r['ours_bytes'] / 1e6:.2f} MB | {r['ipyvizzu_story_bytes'] / 1e6:.2f} MB "
            f"| {r['ipyvizzu_story_bytes'] / r['ours_bytes']:.1f}x | {r['ours_s']:.2f} s | {r['baseline_s']:.2f} s "
            f"| {r['baseline_s'] / r['ours_s']:.1f}x |"
        )
    return results
