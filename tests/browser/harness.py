"""A bare page that loads the packaged Vizzu engine offline, for data tests.

The story player replaces this for stories; data tests only need the engine
and a chart to hand data to.
"""

import base64

from ipyreport import assets

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vizzu data harness</title></head>
<body><div id="chart" style="width:800px;height:480px"></div>
<script type="text/plain" id="vizzu-js">{module}</script>
<script type="text/plain" id="vizzu-wasm">{wasm}</script>
<script type="module">
const bytes = (id) => Uint8Array.from(atob(document.getElementById(id).textContent), (c) => c.charCodeAt(0));
const moduleUrl = URL.createObjectURL(new Blob([bytes("vizzu-js")], {{ type: "text/javascript" }}));
const {{ default: Vizzu }} = await import(moduleUrl);
Vizzu.options({{ wasmUrl: URL.createObjectURL(new Blob([bytes("vizzu-wasm")], {{ type: "application/wasm" }})) }});
await Vizzu.initialize();
window.Vizzu = Vizzu;
window.harnessReady = true;
</script></body></html>
"""

# Hands JSON Vizzu data to a chart the way the player does (null measures to
# NaN, since Vizzu reads null as 0), then returns what the engine holds: its
# series metadata and every record as the filter callback sees it.
LOAD_DATA = """async (json) => {
  const data = JSON.parse(json);
  for (const series of data.series) {
    if (series.type === "measure") series.values = series.values.map((v) => (v === null ? NaN : v));
  }
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


def harness_html() -> str:
    return PAGE.format(
        module=base64.b64encode(assets.vizzu_module()).decode("ascii"),
        wasm=base64.b64encode(assets.vizzu_wasm()).decode("ascii"),
    )
