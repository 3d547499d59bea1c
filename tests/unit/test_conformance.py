"""One semantics, two languages, one set of fixtures.

Every idea that runs both in Python and in the player (bidi isolation, the
caption words, filters and their ipyvizzu JavaScript form, number formats,
text expressions, the document's rules and the constants the player is
written with) has a fixture in ``tests/conformance/``: inputs and the outputs
Python gives them, written by ``tests/conformance/generate.py`` from
property-test cases. Each is replayed here against Python and, in Node,
against the player's own ES modules (``tests/conformance/replay.mjs``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conformance import generate

FIXTURES = sorted(generate.FIXTURES)
FOLDER = generate.FOLDER


cases = generate.checked_in


@pytest.fixture(scope="module")
def javascript() -> dict[str, list[Any]]:
    """Every fixture replayed by the JavaScript twins, in one Node process."""
    node = shutil.which("node")
    if node is None:  # pragma: no cover - ./dev setup installs Node
        pytest.fail("the conformance fixtures need Node on PATH (./dev setup)")
    done = subprocess.run(
        [node, str(FOLDER / "replay.mjs"), *(str(FOLDER / f"{name}.json") for name in FIXTURES)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, list[Any]] = json.loads(done.stdout)
    return result


def differing(got: list[Any], expected: list[Any], inputs: list[dict[str, Any]]) -> list[Any]:
    """The first few cases where ``got`` is not ``expected``: (input, got, expected)."""
    return [
        (case, have, want)
        for case, have, want in zip(inputs, got, expected, strict=True)
        if have != want
    ][:5]


@pytest.mark.parametrize("name", FIXTURES)
def test_the_checked_in_fixture_is_what_python_writes_now(name):
    """Every case's outputs are Python's today (the replay against Python); an enumerated
    fixture also holds every case there is. Out of date: write it again with
    python -m tests.conformance.generate."""
    assert (FOLDER / f"{name}.json").read_text(encoding="utf-8") == generate.written(name)


def test_a_changed_python_output_leaves_its_fixture_out_of_date(monkeypatch):
    from ipyreport import formats

    monkeypatch.setattr(formats, "format_number", lambda *_, **__: "?")
    assert (FOLDER / "formats.json").read_text(encoding="utf-8") != generate.written("formats")


# --- bidi isolation: _describe.isolate and words.js isolate read one table ------


def test_javascript_isolates_the_texts_python_does(javascript):
    inputs = cases("bidi")
    expected = [case["isolated"] for case in inputs]
    assert differing(javascript["bidi"], expected, inputs) == []


def test_an_arabic_indic_digit_is_not_isolated_and_adlam_is():
    """The drift the fixture caught: U+0663 (class AN) isolated in JS only, Adlam (R) in Python only."""
    by_text = {case["text"]: case["isolated"] for case in cases("bidi")}
    assert by_text["\u0663"] == "\u0663"
    assert by_text["\U0001e900"] == "\u2068\U0001e900\u2069"


def test_the_right_to_left_table_is_this_pythons_unicode_database():
    import unicodedata

    from ipyreport import _bidi, _twins

    if unicodedata.unidata_version != _bidi.UNICODE_VERSION:
        pytest.skip(
            f"the table is Unicode {_bidi.UNICODE_VERSION}, this Python has {unicodedata.unidata_version}"
        )
    assert list(_bidi.NOT_LEFT_TO_RIGHT) == _twins.bidi_ranges()
    assert _twins.stale(unicode=True) == []  # written as ruff formats it


def test_the_javascript_written_from_python_is_up_to_date():
    """tables.js's row limit, look.js's colours, steps.js's key sizes and words.js's right-to-left table:
    python -m ipyreport._twins writes them again."""
    from ipyreport import _twins

    assert _twins.stale() == []


def test_a_colour_or_limit_changed_in_python_leaves_the_javascript_out_of_date(monkeypatch):
    from ipyreport import _key, _plan, _twins, themes

    monkeypatch.setattr(themes, "INK", {"light": "#000000", "dark": "#ffffff"})
    monkeypatch.setattr(_plan, "MAX_TABLE_ROWS", 50)
    monkeypatch.setattr(_key, "KEY_TOP", 6)
    assert sorted(_twins.stale()) == [
        "export/look.js",
        "export/player.css",
        "export/tables.js",
        "static/steps.js",
    ]


# --- captions and their words -------------------------------------------------


def test_javascript_says_the_words_python_says(javascript):
    inputs = cases("captions")
    expected = [case.get("said", case.get("top")) for case in inputs]
    assert differing(javascript["captions"], expected, inputs) == []


def test_a_chart_without_values_says_the_languages_words():
    """The drift the fixture caught: board.js said 'No values are shown.', en.json 'No values are shown here.'"""
    from ipyreport._describe import words

    empty = [case for case in cases("captions") if "table" in case and not case["table"]["rows"]]
    assert empty
    assert [case["top"] for case in empty] == [str(words(case["lang"])["none"]) for case in empty]


# --- filters: the eager mask, the player's compiler, ipyvizzu's JavaScript form ---


def test_the_player_keeps_the_rows_an_eager_story_keeps(javascript):
    inputs = cases("filters")
    got = [result["player"] for result in javascript["filters"]]
    assert differing(got, [case["kept"] for case in inputs], inputs) == []


def test_the_ipyvizzu_javascript_form_keeps_the_rows_an_eager_story_keeps(javascript):
    """The drift the fixture caught: between("v") became (true) and kept missing values,
    any_of() became (true) where the mask and SQL keep nothing."""
    inputs = cases("filters")
    got = [result["javascript"] for result in javascript["filters"]]
    assert differing(got, [case["kept"] for case in inputs], inputs) == []


# --- number formats -----------------------------------------------------------


def test_javascript_formats_every_number_as_python_does(javascript):
    inputs = cases("formats")
    assert differing(javascript["formats"], [case["text"] for case in inputs], inputs) == []


# --- names, numbers and categories as the story shows them --------------------


def test_javascript_shows_names_numbers_and_categories_as_python_does(javascript):
    for case, got in zip(cases("display"), javascript["display"], strict=True):
        expected = [seen["shown"] for seen in case["seen"]]
        assert differing(got, expected, case["seen"]) == []


# --- text expressions ---------------------------------------------------------


def test_javascript_reads_every_text_as_the_story_did(javascript):
    inputs = cases("texts")
    assert differing(javascript["texts"], [case["text"] for case in inputs], inputs) == []


# --- the document's rules and the constants the player is written with ----------


def test_javascript_reads_durations_writes_links_and_is_written_with_pythons_constants(javascript):
    """Also: a chart title that repeats its headline is the same title in both (said once)."""
    inputs = cases("document")
    for case, got in zip(inputs, javascript["document"], strict=True):
        if "constants" in case:
            assert got == case["constants"]
        elif "duration" in case:
            assert got == case["seconds"], case
        elif "position" in case:
            assert got == case["link"], case
        elif "repeats" in case:
            assert got == case["repeats"], case


def test_every_slide_is_named_by_one_rule():
    from ipyreport import Slide, Story, presets, samples

    chart = presets.chart(kind="column", x="Region", y="Revenue")
    untitled = Story(samples.sales(), slides=[Slide(chart), Slide(chart, title="Regions")])
    assert [(s["heading"], s["headingShown"]) for s in untitled.to_dict()["slides"]] == [
        ("Slide 1", False),
        ("Regions", True),
    ]
    titled = Story(samples.sales(), title="Sales", slides=[Slide(chart, title="")])
    assert [(s["heading"], s["headingShown"]) for s in titled.to_dict()["slides"]] == [
        ("Sales", True)
    ]


def test_the_fixture_folder_holds_only_fixtures_this_module_replays():
    names = {path.stem for path in FOLDER.glob("*.json")}
    assert names == set(FIXTURES)
    assert Path(generate.__file__).parent == FOLDER
