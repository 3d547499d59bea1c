"""The bundled examples' words: every number they quote is a query on their source, and
their captions read as the golden files say."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ipyreport import samples
from ipyreport.spec import build, load

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(path.stem for path in (ROOT / "stories").glob("*.yaml"))
CAPTIONS = ROOT / "tests" / "goldens" / "captions"
ORDERS = 20_000


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("stories")
    for name in EXAMPLES:
        shutil.copy(ROOT / "stories" / f"{name}.yaml", folder)
    samples.write_orders(folder / "data" / "orders", rows=ORDERS, parts=2)
    return {name: (build(load(folder / f"{name}.yaml")), folder) for name in EXAMPLES}


def source(story, folder: Path) -> duckdb.DuckDBPyConnection:
    """A connection where ``data`` is the example's source, as its spec reads it."""
    connection = duckdb.connect()
    spec = story.provenance["resolved"]["data"]
    if "sql" in spec:
        query = spec["sql"].replace("'data/", f"'{folder}/data/")
        connection.execute(f"CREATE VIEW data AS {query}")
    else:
        table = samples.sales()
        connection.register("data", table)
    return connection


def expressions(document: dict[str, Any]):
    """Every computed expression of a document's words, with the words it is in."""
    for number, slide in enumerate(document["slides"], start=1):
        for field, parts in slide.get("text", {}).items():
            yield from ((number, slide[field], part) for part in parts)
        for step in slide["steps"]:
            entries = [step, *(chart for chart in step.get("charts") or [] if chart)]
            for entry in entries:
                shown = {
                    "title": entry.get("config", {}).get("title"),
                    "note": (entry.get("highlight") or {}).get("note"),
                    "alt": entry.get("alt"),
                }
                for field, parts in entry.get("text", {}).items():
                    yield from ((number, shown[field], part) for part in parts)


def queried(connection, part: dict[str, Any]) -> Any:
    """The expression's value, from its queries run by DuckDB over the source."""
    results = [connection.execute(query["sql"]).fetchall() for query in part["queries"]]
    node = part["expr"]
    last = results[-1]
    if node["op"] == "aggregate":
        if node["fn"] == "count" and part["queries"][-1]["sql"].startswith("SELECT DISTINCT"):
            return len(last)
        return last[0][0]
    if node["op"] == "share":
        return last[0][0] / results[0][0][0]
    if node["op"] == "change":
        ordered = sorted((row for row in last if row[1] is not None), key=lambda row: str(row[0]))
        return (ordered[-1][1] - ordered[0][1]) / abs(ordered[0][1])
    assert node["op"] == "rank"
    values = {str(row[0]): row[-1] for row in last}
    if node["which"] in ("first", "last"):
        ordered = sorted(values)  # the examples rank dates, which sort as text
        return ordered[0] if node["which"] == "first" else ordered[-1]
    best = (max if node["which"] == "top" else min)(v for v in values.values() if v is not None)
    assert values[part["value"]] == pytest.approx(best)
    return part["value"]


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_number_in_an_examples_words_is_a_duckdb_query_on_its_source(built, name):
    story, folder = built[name]
    connection = source(story, folder)
    document = story.to_dict()
    found = [found for found in expressions(document) if not isinstance(found[2], str)]
    found = [
        (n, words, part)
        for n, words, part in found
        if part["expr"]["op"] not in ("caption", "name")
    ]
    assert found, f"{name} quotes no computed numbers"
    for number, words, part in found:
        got = queried(connection, part)
        if isinstance(got, str):
            assert part["value"] == got, (number, part["source"])
        else:
            assert part["value"] == pytest.approx(got), (number, part["source"])
        assert part["text"] in words  # and the words show that value


def test_the_examples_notes_compute_the_numbers_they_quote(built):
    for name, (story, _) in built.items():
        typed = [finding for finding in story.check() if finding.kind == "typed"]
        assert typed == [], name


def captions_of(story) -> str:
    lines = []
    for (slide, chart, step), caption in story.narration.captions.items():
        where = f"slide {slide}" + (f", chart {chart}" if chart else "") + f", step {step}"
        lines.append(
            f"{where}\n  what:   {caption.what}\n  stats:  {caption.stats}\n  change: {caption.change}\n"
        )
    return "\n".join(lines)


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_examples_captions_read_as_the_golden_file(built, name):
    story, _ = built[name]
    text = captions_of(story)
    golden = CAPTIONS / f"{name}.txt"
    if os.environ.get("IPYREPORT_UPDATE_GOLDENS"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
