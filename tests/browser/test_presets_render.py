"""Every preset gives a config Vizzu 0.16 accepts and draws, on the sample data."""

import pyarrow as pa
import pytest

from ipyreport import presets, samples
from ipyreport.data import encode
from ipyreport.step import Filter

from .harness import RUN_STEPS, story_json

SALES = encode(samples.sales())


def arguments(kind):
    spec = presets.KINDS[kind]
    if kind in ("scatter", "bubble_plot"):
        return {"x": "Revenue", "y": "Profit", "color": "Region", "by": "Country"}
    found = {"x": "Region", "y": "Revenue"}
    if spec.color == "in_x":
        found["color"] = "Region"
    elif spec.color == "free":
        found["color"] = "Product"
    if "size" in spec.required:
        found["size"] = "Units"
    return found


def play(vizzu, steps, duration=0.05):
    return vizzu.page.evaluate(RUN_STEPS, {"json": story_json(SALES, steps), "duration": duration})


# An empty chart with only its title inks about 0.14% of the canvas; the
# thinnest preset here (lollipop) about 1.4%.
MIN_INK = 0.005


def assert_drawn_and_changing(results):
    for index, result in enumerate(results):
        assert result["ink"] > MIN_INK, f"step {index} looks blank ({result['ink']:.3%} ink)"
        if index:
            assert result["cells"] != results[index - 1]["cells"], (
                f"step {index} did not change the chart"
            )


def test_every_chart_kind_renders_in_turn(vizzu):
    kinds = list(presets.KINDS)
    steps = [presets.chart(kind=kind, data=SALES, title=kind, **arguments(kind)) for kind in kinds]
    results = play(vizzu, steps)
    assert [r["title"] for r in results] == kinds
    assert_drawn_and_changing(results)


def test_morph_stacked_to_grouped_to_pie_to_treemap(vizzu):
    steps = presets.morph(
        SALES,
        ["stacked_column", "grouped_column", "pie", "treemap", "stacked_column"],
        x="Region",
        y="Revenue",
        color="Product",
        duration=0.3,
    )
    assert_drawn_and_changing(play(vizzu, steps, duration=0.3))


def test_zoom_down_the_hierarchy_and_back(vizzu):
    steps = presets.zoom(
        SALES, ["Region", "Country", "Product"], ["Europe", "Germany"], y="Revenue"
    )
    results = play(vizzu, steps)
    assert [r["title"] for r in results] == [
        "Revenue by Region",
        "Revenue by Country in Europe",
        "Revenue by Product in Germany",
        "Revenue by Country in Europe",
        "Revenue by Region",
    ]
    assert_drawn_and_changing(results)
    assert results[0]["cells"] == results[-1]["cells"]


def test_zoom_into_a_value_range(vizzu):
    steps = presets.zoom_range(
        SALES, kind="scatter", x="Revenue", y="Profit", by="Country", low=0, high=50_000, axis="x"
    )
    assert_drawn_and_changing(play(vizzu, steps))


@pytest.mark.parametrize("cumulative", [False, True])
def test_timeline_plays_every_month_including_the_gaps(vizzu, cumulative):
    steps = presets.timeline(
        SALES,
        time="Month",
        kind="bar",
        x="Country",
        y="Revenue",
        color="Region",
        cumulative=cumulative,
    )
    results = play(vizzu, steps, duration=0.02)
    assert len(results) == 48
    gaps = {15, 32}  # April 2022 and September 2023 have no data at all
    assert [results[i]["title"] for i in sorted(gaps)] == ["Apr 2022", "Sep 2023"]
    for index, result in enumerate(results):
        if index in gaps and not cumulative:
            # Every country keeps its row and label but draws no bar.
            before = results[index - 1]["cells"]
            left = sum(result["cells"][row * 8] + result["cells"][row * 8 + 1] for row in range(8))
            left_before = sum(before[row * 8] + before[row * 8 + 1] for row in range(8))
            assert left > 0.5 * left_before, f"gap month {index} lost its country labels"
            assert result["ink"] < 0.5 * results[index - 1]["ink"], f"gap month {index} draws bars"
        else:
            assert result["ink"] > MIN_INK, f"month {index} looks blank"


TRICKY = ['a"b', "</script><script>alert(1)</script>", "ü\u2028x", "it's"]

FILTER_RECORDS = """({ json, filter }) => {
  const data = window.steps.prepareData(JSON.parse(json));
  const keep = window.steps.compileFilter(filter, data);
  const names = data.series.find((s) => s.name === "Name");
  return names.values.map((code) => names.categories[code]).filter((name) => keep({ Name: name }));
}"""


def test_filters_with_quotes_markup_and_unicode_select_exactly_their_rows(vizzu):
    data = encode(pa.table({"Name": TRICKY, "Value": [1.0, 2.0, 3.0, 4.0]}))
    spec = Filter.isin("Name", TRICKY[:3])
    kept = vizzu.page.evaluate(
        FILTER_RECORDS, {"json": data.to_json().decode(), "filter": spec.to_dict()}
    )
    assert kept == TRICKY[:3]
    step = presets.chart(kind="column", x="Name", y="Value", filter=spec, data=data)
    results = vizzu.page.evaluate(RUN_STEPS, {"json": story_json(data, [step]), "duration": 0.05})
    assert results[0]["ink"] > MIN_INK
    assert vizzu.page.evaluate("window.alerted") is None


def test_a_filter_on_an_unknown_series_fails_before_reaching_vizzu(vizzu):
    data = encode(pa.table({"Name": ["a"], "Value": [1.0]}))
    message = vizzu.page.evaluate(
        """({ json }) => { try { window.steps.compileFilter({ in: { column: "Nmae", values: ["a"] } },
             window.steps.prepareData(JSON.parse(json))); return null; } catch (error) { return error.message; } }""",
        {"json": data.to_json().decode()},
    )
    assert message == 'filter: "Nmae" is not a dimension of the data'
