"""Every preset that suits them over public datasets (see tests/corpus.py), eagerly and lazily
from Parquet and CSV: the document, the HTML player, the article and the notebook widget."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from ipyreport.formats import Display
from tests.corpus import CASES, MODES, Case

LAZY = ("parquet", "csv")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("corpus")


def params(check: str, modes=MODES, cases=CASES) -> list[Any]:
    """Every case in every mode, a known defect of issue 25 marked as a strict xfail."""
    found = []
    for case in cases:
        for mode in modes:
            reason = case.defect(check, mode)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            found.append(pytest.param(case, mode, marks=marks, id=f"{case.id}-{mode}"))
    return found


_documents: dict[tuple[str, str], dict[str, Any]] = {}


def document(case: Case, mode: str, folder) -> dict[str, Any]:
    """The case's story document in ``mode``, built once per module."""
    key = (case.id, mode)
    if key not in _documents:
        _documents[key] = case.story(mode, folder).to_dict()
    return _documents[key]


def steps(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for slide in doc["slides"] for step in slide["steps"]]


def texts(step: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": step["config"].get("title"),
        "note": (step.get("highlight") or {}).get("note"),
        "alt": step.get("alt"),
    }


def same_number(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9)
    return a == b


@pytest.mark.parametrize(("case", "mode"), params("build"))
def test_every_output_builds(case, mode, folder):
    story = case.story(mode, folder)
    doc = story.to_dict()
    _documents[(case.id, mode)] = doc
    assert steps(doc)
    html = story.to_html()
    assert html.startswith("<!doctype html>")
    article = story.to_html(layout="scroll")
    assert 'data-layout="scroll"' in article
    player = story.player()
    assert json.loads(player.story)["slides"] == json.loads(story.to_json())["slides"]
    assert (player.slide, player.step) == (1, 1)
    player.go(len(doc["slides"]), len(doc["slides"][-1]["steps"]))
    assert (player.slide, player.step) == (len(doc["slides"]), len(doc["slides"][-1]["steps"]))


@pytest.mark.parametrize(("case", "mode"), params("equal", LAZY))
def test_lazy_reads_what_eager_reads(case, mode, folder):
    eager, lazy = steps(document(case, "eager", folder)), steps(document(case, mode, folder))
    assert len(lazy) == len(eager)
    for number, (one, other) in enumerate(zip(eager, lazy, strict=True)):
        assert texts(other) == texts(one), f"step {number}"
        a, b = one["table"], other["table"]
        assert (b["columns"], b["total"]) == (a["columns"], a["total"]), f"step {number}"
        assert len(b["rows"]) == len(a["rows"]), f"step {number}"
        for row, again in zip(a["rows"], b["rows"], strict=True):
            assert all(same_number(x, y) for x, y in zip(row, again, strict=True)), (
                f"step {number}: {row} != {again}"
            )


@pytest.mark.parametrize(
    ("case", "mode"), params("words", cases=[case for case in CASES if case.words])
)
def test_words_say_what_pandas_computes_over_every_row(case, mode, folder):
    assert case.words is not None
    doc = document(case, mode, folder)
    said = steps(doc)
    for number, field, expected in case.words(Display.of(doc)):
        text = texts(said[number])[field]
        if field == "alt":
            assert expected in text, f"step {number}"
        else:
            assert text == expected, f"step {number}"
