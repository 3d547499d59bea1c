"""No function in the player's JavaScript is longer than 80 lines, but for the ones
listed here, which are being taken apart and may only shrink (measured with
TypeScript's own parser, from the line a function starts on to the line it ends on)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MEASURE = Path(__file__).with_name("function_lengths.mjs")
LIMIT = 80
# Functions still to be taken apart, with their length today (none left: a new one is a failure).
LONGER: dict[tuple[str, str], int] = {}
pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")


def player_sources() -> list[str]:
    package = ROOT / "ipyreport"
    files = [*package.joinpath("export").glob("*.js"), package / "static" / "steps.js"]
    return sorted(path.relative_to(ROOT).as_posix() for path in files)


def longer_than(limit: int) -> dict[tuple[str, str], int]:
    node = shutil.which("node")
    assert node is not None
    result = subprocess.run(
        [node, str(MEASURE), str(limit), *player_sources()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return {(found["file"], found["name"]): found["lines"] for found in json.loads(result.stdout)}


def test_no_function_in_the_player_grows_past_80_lines():
    found = longer_than(LIMIT)
    new = {key: lines for key, lines in found.items() if key not in LONGER}
    grown = {key: lines for key, lines in found.items() if lines > LONGER.get(key, LIMIT)}
    assert new == {}
    assert grown == {}


def test_the_list_of_long_functions_names_only_long_ones():
    # A function split below the limit leaves the list (and its length there is its length now).
    assert longer_than(LIMIT).keys() == LONGER.keys()


def test_the_measure_sees_a_long_function(tmp_path):
    long = tmp_path / "long.js"
    long.write_text("function long() {\n" + "  f();\n" * 80 + "}\nconst short = () => 1;\n")
    node = shutil.which("node")
    assert node is not None
    result = subprocess.run(
        [node, str(MEASURE), str(LIMIT), str(long)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout) == [
        {"file": str(long), "name": "long", "line": 1, "lines": 82}
    ]
