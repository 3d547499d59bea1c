"""PowerPoint decks of native charts, read back with python-pptx (no browser: every chart is native)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree
from pptx import Presentation

from ipyreport import Slide, Story, encode, presets

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "=cmd|' /C calc'!A0",
    "=SUM(A1:A9)",
    "+1+2",
    "-3+4",
    "@SUM(A1)",
    "\tTabbed",
    "\rReturned",
    "http://evil.example/",
]


def workbooks(path: Path) -> list[str]:
    """The sheet XML of every workbook embedded in the deck (its charts' data)."""
    sheets = []
    with zipfile.ZipFile(path) as deck:
        for name in deck.namelist():
            if name.endswith(".xlsx"):
                with zipfile.ZipFile(deck.open(name)) as book:
                    sheets.extend(
                        book.read(part).decode()
                        for part in book.namelist()
                        if part.startswith("xl/worksheets/") or part == "xl/sharedStrings.xml"
                    )
    return sheets


def charts(slide):
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def test_labels_that_look_like_formulas_are_written_as_text_cells(tmp_path):
    measure = "=SUM(B1:B9)"
    data = encode({"Name": HOSTILE, "Kind": ["a", "b", "c"] * 3, measure: list(range(1, 10))})
    story = Story(
        data,
        slides=[
            Slide(presets.chart("bar", x="Name", y=measure)),
            Slide(presets.chart("stacked_column", x="Kind", y=measure, color="Name")),
        ],
    )
    path = story.save_pptx(tmp_path / "deck.pptx")
    sheets = workbooks(path)
    assert len(sheets) >= 2
    for sheet in sheets:
        assert not re.search(r"<f[ >]", sheet), sheet
        assert "<hyperlink" not in sheet
    strings = {
        re.sub(r"_x([0-9A-F]{4})_", lambda m: chr(int(m.group(1), 16)), node.text or "")
        for sheet in sheets
        if "<sst" in sheet
        for node in etree.fromstring(sheet.encode()).iter(f"{{{MAIN}}}t")
    }
    assert strings >= {*HOSTILE, measure}
    deck = Presentation(str(path))
    bar, stacked = charts(deck.slides[0])[0], charts(deck.slides[1])[0]
    assert list(bar.plots[0].categories) == HOSTILE
    assert [series.name for series in bar.plots[0].series] == [measure]
    assert sorted(series.name for series in stacked.plots[0].series) == sorted(HOSTILE)
