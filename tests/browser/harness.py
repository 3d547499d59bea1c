"""A bare page that loads the packaged Vizzu engine and step runtime offline.

The story player replaces this for stories; data and preset tests only need
the engine, the shared ``steps.js`` and a chart.
"""

import base64
from importlib import resources

from ipyreport import Slide, Story, assets

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vizzu harness</title>
<style>body{{margin:0;background:#fff}}#chart{{width:800px;height:480px}}</style></head>
<body><div id="chart"></div>
<script type="text/plain" id="vizzu-js">{module}</script>
<script type="text/plain" id="vizzu-wasm">{wasm}</script>
<script type="text/plain" id="steps-js">{steps}</script>
<script type="module">
const bytes = (id) => Uint8Array.from(atob(document.getElementById(id).textContent), (c) => c.charCodeAt(0));
const blobUrl = (id, type) => URL.createObjectURL(new Blob([bytes(id)], {{ type }}));
const {{ default: Vizzu }} = await import(blobUrl("vizzu-js", "text/javascript"));
Vizzu.options({{ wasmUrl: blobUrl("vizzu-wasm", "application/wasm") }});
await Vizzu.initialize();
window.Vizzu = Vizzu;
window.steps = await import(blobUrl("steps-js", "text/javascript"));
window.harnessReady = true;
</script></body></html>
"""

# Hands JSON Vizzu data to a chart the way the player does (null measures to
# NaN), then returns what the engine holds: its series metadata and every
# record as the filter callback sees it.
LOAD_DATA = """async (json) => {
  const data = window.steps.prepareData(JSON.parse(json));
  const chart = await new window.Vizzu(document.getElementById("chart")).initializing;
  const records = [];
  data.filter = (record) => {
    const row = {};
    for (const series of data.series) row[series.name] = record[series.name];
    records.push(row);
    return true;
  };
  const dimensions = data.series.filter((s) => s.type === "dimension").map((s) => s.name);
  const measures = data.series.filter((s) => s.type === "measure").map((s) => s.name);
  // Vizzu runs the filter while it builds a plot, so give it something to plot.
  await chart.animate({ data, config: { x: dimensions.slice(0, 1), y: measures.slice(0, 1) } }, 0);
  const encode = (value) => (typeof value === "number" && Number.isNaN(value) ? "NaN" : value);
  return {
    meta: JSON.parse(JSON.stringify(chart.data.series)),
    records: records.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, encode(v)]))),
    measures,
  };
}"""

# Plays every step (shortened) and reports, after each, how many pixels
# differ from the background and a coarse fingerprint of the canvas.
RUN_STEPS = """async ({ json, duration }) => {
  const story = JSON.parse(json);
  const datasets = Object.fromEntries(
    Object.entries(story.datasets).map(([key, data]) => [key, window.steps.prepareData(data, story.placeholders[key])]),
  );
  const element = document.getElementById("chart");
  const chart = await new window.Vizzu(element).initializing;
  chart.on("logo-draw", (event) => event.preventDefault());
  let current = null;
  const results = [];
  for (const step of story.slides.flatMap((slide) => slide.steps)) {
    const { target, options, dataset } = window.steps.stepTarget(step, datasets, current);
    current = dataset;
    await chart.animate(target, { ...options, duration });
    const canvas = element.querySelector("canvas");
    const context = canvas.getContext("2d");
    const { data: pixels } = context.getImageData(0, 0, canvas.width, canvas.height);
    let ink = 0;
    const cells = new Array(64).fill(0);
    for (let i = 0; i < pixels.length; i += 4) {
      const light = pixels[i] + pixels[i + 1] + pixels[i + 2];
      if (light < 740) {
        ink += 1;
        const pixel = i / 4;
        const cx = Math.floor(((pixel % canvas.width) / canvas.width) * 8);
        const cy = Math.floor((Math.floor(pixel / canvas.width) / canvas.height) * 8);
        cells[cy * 8 + cx] += 1;
      }
    }
    results.push({ ink: ink / (canvas.width * canvas.height), cells, title: chart.config.title });
  }
  return results;
}"""


def story_json(data, steps) -> str:
    """Steps as the player receives them: one story slide, data kept row for row."""
    return Story(data, slides=[Slide(*steps)], compact=False).to_json().decode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def harness_html() -> str:
    steps = resources.files("ipyreport").joinpath("static/steps.js").read_bytes()
    return PAGE.format(
        module=_b64(assets.vizzu_module()), wasm=_b64(assets.vizzu_wasm()), steps=_b64(steps)
    )
