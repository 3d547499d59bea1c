"""Large data: a story over 1M and 10M orders in Parquet, against ipyvizzu handed 1M rows.

The orders are generated with ``samples.write_orders`` (10 files). A fresh
Python process builds the story over ``ipyreport.lazy(folder)`` — three
slides: orders by region and channel, revenue by country, a monthly
timeline — and writes the HTML; its wall time and peak RSS (``VmHWM``)
are reported with the file size. Every number the story shows is checked
against a direct DuckDB group-by over all rows. The baseline hands the same
1M rows to ipyvizzu 0.18 as a pandas DataFrame: once as it ships
(``add_df`` samples to 100,000 rows; how far its per-region totals are from
the truth is reported) and once with ``max_rows`` raised (time, payload).
The 1M orders are also rewritten as Arrow IPC files and the story built over
them twice: read lazily, and read eagerly with ``ipyreport.encode`` (the
baseline, and before lazy IPC the only way).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings
from pathlib import Path
from typing import Any

from ipyreport import Slide, presets, samples

# duckdb and pyarrow.dataset (which brings pandas) are imported where they are used:
# the story's build imports this module for its slides, and is timed.

BUILD = textwrap.dedent(
    """
    import json, sys, time
    start = time.perf_counter()
    from ipyreport import Story, encode
    from ipyreport.lazy import lazy
    from bench.large_bench import slides
    # "eager" reads every row into memory first (the only way for Arrow IPC files before).
    source = encode(sys.argv[1], max_rows=None) if sys.argv[3:] == ["eager"] else lazy(sys.argv[1])
    story = Story(source, title="Orders", slides=slides(source))
    story.save_html(sys.argv[2])
    seconds = time.perf_counter() - start
    tables = [step["table"] for slide in story.to_dict()["slides"] for step in slide["steps"]]
    # VmHWM is this process's own peak (ru_maxrss would include the parent's at fork).
    peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    scans = len(source.scans) if hasattr(source, "scans") else 0
    print(json.dumps({"seconds": seconds, "rss_mb": peak / 1024, "scans": scans,
                      "first": tables[0], "by_country": tables[2]}))
    """
)


def slides(source: Any) -> list[Slide]:
    """The story's three slides: orders by region and channel, revenue by country (each
    coloured by its region), a monthly timeline."""
    return [
        Slide(
            presets.morph(
                source, ["stacked_bar", "percentage_bar"], x="Region", y="Revenue", color="Channel"
            )
        ),
        Slide(presets.chart(kind="bar", x="Country", y="Revenue", color="Region", data=source)),
        Slide(presets.timeline(source, time="Month", x="Region", y="Revenue")),
    ]


# The baseline: one plain DuckDB GROUP BY of every column the story reads, over the
# same files, in a fresh process with the same settings as a lazy source (one thread).
SCAN = textwrap.dedent(
    """
    import json, sys, time
    start = time.perf_counter()
    import duckdb
    connection = duckdb.connect()
    connection.execute("SET threads = 1")
    connection.execute("SET memory_limit = '256MB'")
    rows = connection.sql(
        f"select Region, Channel, Country, Month, sum(Revenue) from read_parquet('{sys.argv[1]}/*.parquet') "
        "group by Region, Channel, Country, Month"
    ).fetchall()
    peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    print(json.dumps({"seconds": time.perf_counter() - start, "rss_mb": peak / 1024, "groups": len(rows)}))
    """
)


def scan(folder: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", SCAN, str(folder)], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def build(folder: Path, out: Path, *, eager: bool = False) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", BUILD, str(folder), str(out), *(["eager"] if eager else [])],
        cwd=Path(__file__).parent.parent,  # where the bench package is imported from
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def exact(folder: Path, measured: dict[str, Any]) -> bool:
    import duckdb

    pattern = f"{folder}/*.parquet"
    truth = dict(
        duckdb.sql(
            f"select Region || '/' || Channel, sum(Revenue) from read_parquet('{pattern}') group by 1"
        ).fetchall()
    )
    rows = measured["first"]["rows"]
    by_pair = {
        f"{row[1]}/{row[0]}"
        if row[0] in ("Online", "Retail", "Partner")
        else f"{row[0]}/{row[1]}": row[2]
        for row in rows
    }
    country = dict(
        duckdb.sql(
            f"select Country, sum(Revenue) from read_parquet('{pattern}') group by 1"
        ).fetchall()
    )
    countries = {row[0]: row[-1] for row in measured["by_country"]["rows"]}
    same = lambda a, b: abs(a - b) <= 1e-9 * abs(b)  # noqa: E731
    return (
        set(by_pair) == set(truth)
        and all(same(by_pair[k], truth[k]) for k in truth)
        and set(countries) == set(country)
        and all(same(countries[k], country[k]) for k in country)
    )


def same_table(first: dict[str, Any], second: dict[str, Any]) -> bool:
    """The same marks with the same numbers (to 1e-9), whatever the category order."""
    count = len(first["columns"]) - first["measures"]

    def marks(rows: dict[str, Any]) -> dict[tuple[Any, ...], list[float]]:
        return {tuple(row[:count]): row[count:] for row in rows["rows"]}

    mine, theirs = marks(first), marks(second)
    return (
        first["columns"] == second["columns"]
        and mine.keys() == theirs.keys()
        and all(
            abs(a - b) <= 1e-9 * abs(b)
            for key in mine
            for a, b in zip(mine[key], theirs[key], strict=True)
        )
    )


def arrow_ipc(folder: Path, target: Path) -> Path:
    """The Parquet orders rewritten as Arrow IPC files, one per Parquet file."""
    import pyarrow.dataset as ds

    target.mkdir()
    for number, part in enumerate(sorted(folder.glob("*.parquet"))):
        ds.write_dataset(
            ds.dataset(part),
            target,
            format="ipc",
            basename_template=f"part-{number}-{{i}}.arrow",
            existing_data_behavior="overwrite_or_ignore",
        )
    return target


def ipyvizzu_baseline(folder: Path) -> dict[str, Any]:
    import pyarrow.dataset as ds
    from ipyvizzu import Data
    from ipyvizzu.json import RawJavaScriptEncoder

    frame = (
        ds.dataset(folder)
        .to_table(columns=["Region", "Channel", "Country", "Month", "Revenue"])
        .to_pandas()
    )
    truth = frame.groupby("Region")["Revenue"].sum()
    sampled = Data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sampled.add_df(frame)
    series = {s["name"]: s["values"] for s in sampled["series"]}
    shown: dict[str, float] = {}
    for region, value in zip(series["Region"], series["Revenue"], strict=True):
        shown[region] = shown.get(region, 0.0) + value
    worst = max(abs(shown[region] - total) / total for region, total in truth.items())
    start = time.perf_counter()
    full = Data()
    full.add_df(frame, max_rows=len(frame))
    payload = json.dumps({"data": full}, cls=RawJavaScriptEncoder)
    return {"seconds": time.perf_counter() - start, "bytes": len(payload), "sampled_error": worst}


def main(*, quick: bool = False, sizes_asked: list[int] | None = None) -> list[dict[str, Any]]:
    sizes = sizes_asked or ([1_000_000] if quick else [1_000_000, 10_000_000])
    results = []
    baseline = None
    ipc_runs: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for rows in sizes:
            folder = Path(tmp) / f"orders-{rows}"
            samples.write_orders(folder, rows=rows, parts=10 if rows <= 10_000_000 else 50)
            out = Path(tmp) / f"orders-{rows}.html"
            measured = build(folder, out)
            baseline_scan = scan(folder)
            results.append(
                {
                    "rows": rows,
                    **measured,
                    "bytes": out.stat().st_size,
                    "exact": exact(folder, measured),
                    "scan": baseline_scan,
                }
            )
            if rows == 1_000_000:
                baseline = ipyvizzu_baseline(folder)
                ipc = arrow_ipc(folder, Path(tmp) / "orders-ipc")
                ipc_runs = {
                    mode: build(ipc, Path(tmp) / f"ipc-{mode}.html", eager=mode == "eager")
                    for mode in ("lazy", "eager")
                }
    print("\nLarge data, story over Parquet orders (python -m bench large)\n")
    print(
        "| orders | build (fresh process) | passes over the files | peak RSS | HTML | every total exact "
        "| one DuckDB GROUP BY (baseline) | build / baseline |"
    )
    print("|---:|---:|---:|---:|---:|---|---:|---:|")
    for r in results:
        print(
            f"| {r['rows']:,} | {r['seconds']:.1f} s | {r['scans']} | {r['rss_mb']:.0f} MB | {r['bytes'] / 1e6:.2f} MB "
            f"| {'yes' if r['exact'] else 'NO'} | {r['scan']['seconds']:.1f} s, {r['scan']['rss_mb']:.0f} MB "
            f"| {r['seconds'] / r['scan']['seconds']:.2f}x |"
        )
    if ipc_runs:
        lazy_run, eager_run = ipc_runs["lazy"], ipc_runs["eager"]
        print(
            f"\nThe same 1,000,000 orders as Arrow IPC files: read lazily {lazy_run['seconds']:.1f} s, "
            f"{lazy_run['rss_mb']:.0f} MB peak RSS; read eagerly with ipyreport.encode (the baseline) "
            f"{eager_run['seconds']:.1f} s, {eager_run['rss_mb']:.0f} MB; same numbers: "
            f"{'yes' if all(same_table(lazy_run[k], eager_run[k]) for k in ('first', 'by_country')) else 'NO'}."
        )
    if baseline:
        print(
            f"\nipyvizzu 0.18 with the same 1,000,000 rows as a DataFrame: {baseline['seconds']:.1f} s and "
            f"{baseline['bytes'] / 1e6:.0f} MB of JSON with max_rows raised; as shipped it samples 100,000 rows "
            f"and its per-region revenue totals are off by up to {baseline['sampled_error']:.0%}."
        )
    return results
