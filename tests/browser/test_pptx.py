"""A story as a PowerPoint deck: python-pptx reads back native charts whose series are the
step's numbers, in the story's colours and formats, with notes, alt text and Morph."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from ipyreport import Dashboard, Slide, Story, presets, samples
from ipyreport.cli import main

ROOT = Path(__file__).resolve().parents[2]
GOLDENS = ROOT / "tests" / "goldens" / "pptx"
SALES = samples.sales()


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    story = Story(
        SALES,
        formats={"Revenue": "$", "Profit": "$"},
        slides=[
            Slide(
                presets.morph(
                    SALES,
                    ["stacked_column", "grouped_column", "percentage_column"],
                    x="Region",
                    y="Revenue",
                    color="Product",
                ),
                title="Morphs",
                notes="{Region.top} leads.",
            ),
            Slide(presets.chart(kind="line", x="Month", y="Revenue"), title="Trend"),
            Slide(
                presets.chart(kind="pie", x="Region", y="Revenue"),
                presets.chart(kind="treemap", x="Product", y="Revenue"),
                title="Shares",
            ),
            Slide(
                presets.chart(
                    kind="scatter", x="Revenue", y="Profit", color="Product", by="Country"
                ),
                title="Points",
            ),
            Dashboard(
                presets.chart(kind="bar", x="Product", y="Units"),
                presets.chart(kind="column", x="Region", y="Revenue"),
                title="Board",
            ),
        ],
    )
    path = story.save_pptx(tmp_path_factory.mktemp("deck") / "story.pptx", appendix=True)
    return story, story.to_dict(), Presentation(str(path))


def charts(slide):
    return [shape for shape in slide.shapes if shape.has_chart]


def morphs(slide) -> bool:
    return b"p159:morph" in etree.tostring(slide._element)


def test_each_step_is_a_slide_with_a_native_chart_of_its_kind(deck):
    _, _, pptx = deck
    kinds = [[shape.chart.chart_type for shape in charts(slide)] for slide in pptx.slides][:9]
    assert kinds == [
        [XL_CHART_TYPE.COLUMN_STACKED],
        [XL_CHART_TYPE.COLUMN_CLUSTERED],
        [XL_CHART_TYPE.COLUMN_STACKED_100],
        [XL_CHART_TYPE.LINE_MARKERS],
        [XL_CHART_TYPE.PIE],
        [],  # the treemap: a picture
        [XL_CHART_TYPE.XY_SCATTER],
        [XL_CHART_TYPE.BAR_CLUSTERED, XL_CHART_TYPE.COLUMN_CLUSTERED],
        [],  # the data appendix begins
    ]
    treemap = pptx.slides[5]
    assert [shape.shape_type for shape in treemap.shapes if shape.shape_type == 13]  # a picture
    assert (
        "a picture: PowerPoint has no chart of this kind"
        in treemap.notes_slide.notes_text_frame.text
    )


def test_series_values_are_the_steps_numbers_in_the_storys_colours_and_format(deck):
    story, document, pptx = deck
    table = document["slides"][0]["steps"][0]["table"]
    chart = charts(pptx.slides[0])[0].chart
    expected = {}
    for region, product, revenue in table["rows"]:
        expected.setdefault(product, {})[region] = revenue
    regions = list(dict.fromkeys(row[0] for row in table["rows"]))
    for series in chart.plots[0].series:
        assert list(series.values) == pytest.approx([expected[series.name].get(r) for r in regions])
        color = story.colors["Product"][series.name]
        assert str(series.format.fill.fore_color.rgb) == color.lstrip("#").upper()
    assert list(chart.plots[0].categories) == regions
    assert chart.plots[0].series[0].values  # the workbook holds them too
    # Revenue's one format in the deck: millions, and thousands below $950K, as the player writes them.
    number_format = chart._chartSpace.xpath(".//c:numCache/c:formatCode")[0].text
    assert number_format == '[>=950000.0000000001]"$"#,##0.0,,"M";"$"#,##0.0,"K"'


def test_notes_alt_text_and_morph_come_from_the_story(deck):
    _, document, pptx = deck
    first = pptx.slides[0]
    assert first.notes_slide.notes_text_frame.text == "Americas leads."
    descr = charts(first)[0]._element.xpath("./*[1]/p:cNvPr")[0].get("descr")
    assert descr == document["slides"][0]["steps"][0]["alt"]
    assert [morphs(slide) for slide in pptx.slides][:8] == [
        False,
        True,
        True,
        True,
        True,
        True,
        True,
        False,
    ]
    assert [shape.name for shape in charts(first)] == ["!!ipyreport chart"]


def test_the_data_appendix_is_tables_of_the_numbers(deck):
    _, _, pptx = deck
    appendix = [slide for slide in pptx.slides if slide.shapes.title.text.startswith("Data: ")]
    assert appendix
    table = next(shape for shape in appendix[0].shapes if shape.has_table).table
    assert [cell.text for cell in table.rows[0].cells] == ["Region", "Product", "Revenue"]
    assert table.cell(1, 2).text.startswith("$")


def summary(path: Path) -> str:
    lines = []
    for number, slide in enumerate(Presentation(str(path)).slides, start=1):
        parts = [f"{number}. {slide.shapes.title.text}"]
        for shape in slide.shapes:
            if shape.has_chart:
                chart = shape.chart
                plot = chart.plots[0]
                names = [series.name for series in plot.series]
                title = chart.chart_title.text_frame.text if chart.has_title else ""
                scatter = chart.chart_type.name in ("XY_SCATTER", "BUBBLE")
                categories = [] if scatter else list(plot.categories)[:4]
                count = len(list(plot.series[0].values))
                parts.append(f"{chart.chart_type.name} {title!r} {names} x{count} {categories}")
            elif shape.shape_type == 13:
                parts.append("picture")
            elif shape.has_table:
                parts.append(f"table {len(shape.table.rows) - 1} rows")
        if morphs(slide):
            parts.append("morph")
        notes = slide.notes_slide.notes_text_frame.text.split("\n")[0]
        lines.append(" | ".join(parts) + (f"\n   notes: {notes}" if notes else ""))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", ["sales-overview", "monthly-playback", "orders-at-scale"])
def test_the_examples_decks_read_as_the_golden_files(tmp_path, name):
    out = tmp_path / "out"
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / f"{name}.yaml").write_text(
        (ROOT / "stories" / f"{name}.yaml").read_text()
    )
    samples.write_orders(tmp_path / "stories" / "data" / "orders", rows=20_000, parts=2)
    assert (
        main(["build", str(tmp_path / "stories" / f"{name}.yaml"), "-o", str(out), "--pptx", "-q"])
        == 0
    )
    text = summary(out / f"{name}.pptx")
    golden = GOLDENS / f"{name}.txt"
    if os.environ.get("IPYREPORT_UPDATE_GOLDENS"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_per_slide_gives_a_slide_per_story_slide_and_a_donut_is_a_doughnut(tmp_path):
    story = Story(
        SALES,
        slides=[
            Slide(
                presets.morph(SALES, ["column", "pie"], x="Region", y="Revenue"), title="Two steps"
            ),
            Slide(presets.chart(kind="donut", x="Product", y="Revenue"), title="Ring"),
        ],
    )
    pptx = Presentation(str(story.save_pptx(tmp_path / "deck.pptx", per="slide")))
    chart_slides = [slide for slide in pptx.slides if charts(slide)]
    assert [slide.shapes.title.text for slide in chart_slides] == ["Two steps", "Ring"]
    assert [charts(slide)[0].chart.chart_type for slide in chart_slides] == [
        XL_CHART_TYPE.PIE,
        XL_CHART_TYPE.DOUGHNUT,
    ]
    with pytest.raises(ValueError, match="per must be 'step' or 'slide'"):
        story.save_pptx(tmp_path / "x.pptx", per="page")
