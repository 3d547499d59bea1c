"""Building one spec for every combination of some values: ``ipyreport build --multirun``.

``--multirun params.region=Europe,Americas params.quarter=Q1,Q2`` builds a deck
for each of the four combinations, in a pool of worker processes (each
DuckDB read holds at most ``--memory-limit``, so memory is bounded by the
workers times that), into one folder with an ``index.html`` that links them
and a ``provenance.json`` that says how each was made. A combination that
fails is reported and the others still build; an earlier deck of a failed
combination is left as it was (every file is written whole, then renamed).
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ipyreport._errors import SpecError

__all__ = ["GRID_LIMIT", "Combination", "grid", "index_page"]

# More decks than this in one command need --yes: a typo in a value list multiplies.
GRID_LIMIT = 1000


@dataclass(frozen=True)
class Combination:
    """One deck of a grid: its overrides (``params.region=Europe``) and its file name."""

    overrides: tuple[str, ...]
    name: str


def _axis(assignment: str) -> tuple[str, list[str]]:
    key, equals, values = assignment.partition("=")
    listed = [value.strip() for value in values.split(",")]
    if not equals or not key or not all(listed):
        msg = (
            f"--multirun {assignment!r}: write key=value1,value2 (no empty value), for example "
            "--multirun params.region=Europe,Americas"
        )
        raise SpecError(msg)
    if len(set(listed)) != len(listed):
        twice = next(value for value in listed if listed.count(value) > 1)
        msg = f"--multirun {assignment!r}: {twice!r} is listed twice; list each value once"
        raise SpecError(msg)
    return key, listed


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-.") or "x"


def grid(assignments: Sequence[str], *, allow_many: bool = False) -> list[Combination]:
    """Every combination of the values ``assignments`` list, each with a file name of its own.

    Raises :class:`SpecError` for a malformed assignment, a key given twice, or more
    than :data:`GRID_LIMIT` combinations unless ``allow_many``.

    >>> [c.name for c in grid(["params.region=Europe,Asia", "params.quarter=Q1"])]
    ['region-Europe_quarter-Q1', 'region-Asia_quarter-Q1']
    """
    axes = [_axis(assignment) for assignment in assignments]
    keys = [key for key, _ in axes]
    if len(set(keys)) != len(keys):
        twice = next(key for key in keys if keys.count(key) > 1)
        msg = f"--multirun names {twice!r} twice; list all its values once: {twice}=a,b,c"
        raise SpecError(msg)
    count = 1
    for _, values in axes:
        count *= len(values)
    if count > GRID_LIMIT and not allow_many:
        sizes = " by ".join(f"{len(values)} {key}" for key, values in axes)
        msg = (
            f"--multirun makes {count:,} decks ({sizes}), more than {GRID_LIMIT:,}; pass --yes "
            "to build them all, or list fewer values"
        )
        raise SpecError(msg)
    combinations = []
    taken: set[str] = set()
    for chosen in itertools.product(*(values for _, values in axes)):
        name = "_".join(
            f"{_slug(key.rsplit('.', 1)[-1])}-{_slug(value)}"
            for key, value in zip(keys, chosen, strict=True)
        )
        unique, number = name, 2
        while unique.lower() in taken:
            unique, number = f"{name}-{number}", number + 1
        taken.add(unique.lower())
        overrides = tuple(f"{key}={value}" for key, value in zip(keys, chosen, strict=True))
        combinations.append(Combination(overrides, unique))
    return combinations


# The index links decks and shows text; it runs nothing and loads nothing.
INDEX_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def index_page(title: str, keys: Sequence[str], results: Sequence[dict[str, Any]]) -> str:
    """The multirun folder's ``index.html``: a row per combination, its values, and a link
    to its deck or the reason it failed. Everything shown is escaped."""
    esc = html.escape
    head = "".join(f"<th scope=col>{esc(key)}</th>" for key in keys)
    rows = []
    for result in results:
        cells = "".join(f"<td>{esc(str(value))}</td>" for value in result["values"])
        if result["ok"]:
            link = f'<a href="{esc(result["file"])}">{esc(result["file"])}</a>'
            status = f"<td>{link}</td><td>{result['rows']:,} rows</td>"
        else:
            status = f"<td class=failed colspan=2>failed: {esc(result['error'])}</td>"
        rows.append(f"<tr>{cells}{status}</tr>")
    failed = sum(not result["ok"] for result in results)
    summary = f"{len(results) - failed} of {len(results)} decks built" + (
        f", {failed} failed" if failed else ""
    )
    return (
        "<!doctype html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n"
        f'<meta http-equiv="Content-Security-Policy" content="{INDEX_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;"
        "padding:0 1rem}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px "
        "solid #ccc;padding:.3rem .6rem;text-align:left}.failed{color:#a40000}</style>\n"
        f"</head>\n<body>\n<h1>{esc(title)}</h1>\n<p>{esc(summary)}; how each was made is in "
        '<a href="provenance.json">provenance.json</a>.</p>\n'
        f"<table>\n<thead><tr>{head}<th scope=col>deck</th><th scope=col>data</th></tr></thead>\n"
        f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>\n</body>\n</html>\n"
    )


def provenance_file(
    spec: Path, axes: dict[str, list[str]], results: Sequence[dict[str, Any]]
) -> str:
    """The multirun folder's ``provenance.json``: the grid, and each deck's provenance
    (or why it failed)."""
    from ipyreport._provenance import built_at, versions

    record = {
        "spec": spec.name,
        "grid": axes,
        "built": built_at(),
        "versions": versions(),
        "decks": [
            {
                "file": result["file"] if result["ok"] else None,
                "overrides": list(result["overrides"]),
                **(
                    {"provenance": result["provenance"]}
                    if result["ok"]
                    else {"error": result["error"]}
                ),
            }
            for result in results
        ],
    }
    return json.dumps(record, indent=1, ensure_ascii=False, default=str) + "\n"
