"""Lake tables: the large-data story over a Delta table and an Iceberg table, beside the same
orders read as Parquet files.

``samples.write_orders`` writes the orders as 10 Parquet files; the first
five are committed to a Delta table (version 0) and an Iceberg table (its
first snapshot), the other five appended (version 1, the second snapshot).
A fresh Python process builds the three-slide story of ``python -m bench
large`` over ``lazy(folder)`` (the baseline), over ``delta(table)`` and
over ``iceberg(table)`` at their latest version, and over the first
version by ``version=0``; then a compare slide over ``delta(table,
since=0)``. Wall time and peak RSS (``VmHWM``) are reported, and every
total is checked against a DuckDB group-by over the Parquet files that
version holds. The full run also builds the story over five times the
orders, as Parquet files and as a Delta table, to show whether memory
grows with the rows.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.dataset as ds

from ipyreport import samples

BUILD = textwrap.dedent(
    """
    import json, sys, time
    start = time.perf_counter()
    from ipyreport import Slide, Story, presets
    from ipyreport.lake import delta, iceberg
    from ipyreport.lazy import lazy
    kind, where, out = sys.argv[1], sys.argv[2], sys.argv[3]
    if kind == "parquet":
        source = lazy(where)
    elif kind == "delta":
        source = lazy(delta(where))
    elif kind == "delta-v0":
        source = lazy(delta(where, version=0))
    elif kind == "iceberg":
        source = lazy(iceberg("bench.orders", catalog=where))
    else:
        source = lazy(delta(where, since=0))
    if kind == "compare":
        slides = [Slide(*presets.compare(source, x="Region", y="Revenue"))]
    else:
        slides = [
            Slide(presets.morph(source, ["stacked_bar", "percentage_bar"], x="Region", y="Revenue", color="Channel")),
            Slide(presets.chart(kind="bar", x="Country", y="Revenue", color="Region", data=source)),
            Slide(presets.timeline(source, time="Month", x="Region", y="Revenue")),
        ]
    story = Story(source, title="Orders", slides=slides)
    story.save_html(out)
    seconds = time.perf_counter() - start
    tables = [step["table"] for slide in story.to_dict()["slides"] for step in slide["steps"]]
    peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    print(json.dumps({"seconds": seconds, "rss_mb": peak / 1024, "tables": tables}))
    """
)


def build(kind: str, where: Path, out: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", BUILD, kind, str(where), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def import_seconds(modules: str) -> float:
    """How long a fresh process takes to import ``modules`` (part of every lake build)."""
    code = f"import time; s = time.perf_counter(); import {modules}; print(time.perf_counter() - s)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return float(result.stdout.strip().splitlines()[-1])


def truth(files: list[Path], by: str) -> dict[str, float]:
    listed = ", ".join(f"'{path}'" for path in files)
    return dict(
        duckdb.sql(f"select {by}, sum(Revenue) from read_parquet([{listed}]) group by 1").fetchall()
    )


def close(shown: dict[str, float], expected: dict[str, float]) -> bool:
    return shown.keys() == expected.keys() and all(
        abs(shown[key] - expected[key]) <= 1e-9 * abs(expected[key]) for key in expected
    )


def by_country_exact(measured: dict[str, Any], files: list[Path]) -> bool:
    table = measured["tables"][2]
    return close({row[0]: row[-1] for row in table["rows"]}, truth(files, "Country"))


def write_tables(files: list[Path], folder: Path) -> tuple[Path, Path]:
    """The orders as a Delta table and an Iceberg table, each in two commits."""
    from deltalake import write_deltalake
    from pyiceberg.catalog.sql import SqlCatalog

    halves = [files[: len(files) // 2], files[len(files) // 2 :]]
    table = folder / "delta"
    for number, half in enumerate(halves):
        write_deltalake(
            table, ds.dataset(half).to_table(), mode="overwrite" if number == 0 else "append"
        )
    (folder / "warehouse").mkdir()
    catalog = SqlCatalog(
        "bench",
        uri=f"sqlite:///{folder / 'catalog.db'}",
        warehouse=(folder / "warehouse").as_uri(),
    )
    catalog.create_namespace("bench")
    schema = ds.dataset(files[0]).schema
    made = catalog.create_table("bench.orders", schema=schema)
    for half in halves:
        made.append(ds.dataset(half).to_table())
    return table, folder / "catalog.db"


def main(*, quick: bool = False) -> list[dict[str, Any]]:
    rows = 100_000 if quick else 1_000_000
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = samples.write_orders(folder / "orders", rows=rows, parts=10)
        delta_table, catalog = write_tables(files, folder)
        first = files[: len(files) // 2]
        for kind, where, holds in [
            ("parquet", folder / "orders", files),
            ("delta", delta_table, files),
            ("iceberg", catalog, files),
            ("delta-v0", delta_table, first),
        ]:
            measured = build(kind, where, folder / f"{kind}.html")
            runs.append({"kind": kind, **measured, "exact": by_country_exact(measured, holds)})
        compared = build("compare", delta_table, folder / "compare.html")
        change = {row[0]: row[1] for row in compared["tables"][1]["rows"]}
        now, then = truth(files, "Region"), truth(first, "Region")
        runs.append(
            {
                "kind": "compare",
                **compared,
                "exact": close(change, {key: now[key] - then[key] for key in now}),
            }
        )
    names = {
        "parquet": "Parquet files, lazy(folder) (baseline)",
        "delta": "Delta table, latest version",
        "iceberg": "Iceberg table, current snapshot",
        "delta-v0": "Delta table, version=0 (half the rows)",
        "compare": "Delta table, since=0: compare (two versions)",
    }
    print(f"\nLake tables, {rows:,} orders in 10 files, two commits (python -m bench lake)\n")
    print("| source | build (fresh process) | peak RSS | every total exact |")
    print("|---|---:|---:|---|")
    for run in runs:
        print(
            f"| {names[run['kind']]} | {run['seconds']:.1f} s | {run['rss_mb']:.0f} MB | {'yes' if run['exact'] else 'NO'} |"
        )
    if not quick:
        # Five times the rows, one commit: does the lake read's memory grow with them?
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            files = samples.write_orders(folder / "orders", rows=5 * rows, parts=10)
            from deltalake import write_deltalake

            write_deltalake(folder / "delta", ds.dataset(files).to_table())
            larger = {
                kind: build(kind, where, folder / f"{kind}.html")
                for kind, where in [("parquet", folder / "orders"), ("delta", folder / "delta")]
            }
            exact = all(by_country_exact(run, files) for run in larger.values())
        print(
            f"\nAt {5 * rows:,} orders in one commit: Parquet files {larger['parquet']['seconds']:.1f} s, "
            f"{larger['parquet']['rss_mb']:.0f} MB peak; the Delta table {larger['delta']['seconds']:.1f} s, "
            f"{larger['delta']['rss_mb']:.0f} MB; every total exact: {'yes' if exact else 'NO'}."
        )
    imports = {
        "deltalake": import_seconds("deltalake"),
        "pyiceberg": import_seconds("pyiceberg.catalog.sql, pyiceberg.table"),
    }
    print(
        f"\nOf each build, importing deltalake takes {imports['deltalake']:.1f} s and "
        f"pyiceberg (with its SQL catalog) {imports['pyiceberg']:.1f} s in a fresh process."
    )
    return runs
