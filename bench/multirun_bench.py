"""Building one parameterised spec for every region and channel: ``--multirun`` against a loop.

A spec over ``samples.write_orders`` Parquet files (SQL with the region and
channel bound as parameters) is built for every combination of the four
regions and the channels, three ways, each in fresh processes:

- the baseline: one ``ipyreport build --set …`` command per deck, in turn,
  as a shell loop does it;
- ``ipyreport build --multirun … --jobs 2`` and ``--jobs 1``, interleaved, twice each.

Reported: wall time, and the peak resident memory of the largest process
(the command itself, or one worker), read from ``getrusage`` of the
children.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pyarrow.parquet as pq

from ipyreport import samples

REGIONS = ["Europe", "Americas", "Africa", "Asia Pacific"]
SPEC = textwrap.dedent(
    """\
    title: "Orders, ${params.region}, ${params.channel}"
    params:
      region: Europe
      channel: Online
    data:
      sql: >
        select Month, Product, sum(Revenue) as Revenue, count(*) as Orders
        from read_parquet('data/*.parquet')
        where Region = ${params.region} and Channel = ${params.channel}
        group by all
    slides:
      - title: "${params.region}: revenue by month"
        steps:
          - chart: {kind: line, x: Month, y: Revenue}
      - title: By product
        steps:
          - chart: {kind: bar, x: Product, y: Revenue}
    """
)


def _run(argv: list[str], cwd: Path) -> tuple[float, float, int]:
    """Seconds, peak MB of the largest child process, exit status (in a fresh interpreter,
    so that getrusage counts only this run's children)."""
    probe = textwrap.dedent(
        f"""\
        import resource, subprocess, sys, time
        started = time.perf_counter()
        status = 0
        for argv in {argv!r}:
            status = max(status, subprocess.run(argv, cwd={str(cwd)!r}).returncode)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(seconds, peak, status)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=os.environ
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def main(*, quick: bool = False) -> None:
    rows = 200_000 if quick else 5_000_000
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        samples.write_orders(base / "data", rows=rows, parts=4)
        (base / "orders.yaml").write_text(SPEC)
        channels = sorted(
            set(pq.read_table(base / "data", columns=["Channel"])["Channel"].to_pylist())
        )
        decks = len(REGIONS) * len(channels)
        command = [sys.executable, "-m", "ipyreport", "build", "orders.yaml", "-q"]
        loop = [
            [
                *command,
                "--set",
                f"params.region={r}",
                "--set",
                f"params.channel={c}",
                "-o",
                f"loop/{r}-{c}.html",
            ]
            for r in REGIONS
            for c in channels
        ]
        grid = [
            "--multirun",
            f"params.region={','.join(REGIONS)}",
            f"params.channel={','.join(channels)}",
        ]
        print(
            f"multirun: {decks} decks over {rows:,} orders (Parquet, 4 files), {os.cpu_count()} cores"
        )
        runs = [
            ("one build command per deck", loop),
            *[
                (
                    f"--multirun --jobs {jobs}",
                    [[*command, *grid, "-o", f"jobs{jobs}", "--jobs", str(jobs)]],
                )
                for _ in range(2)  # interleaved, twice: a shared machine's load comes and goes
                for jobs in (2, 1)
            ],
        ]
        for label, argvs in runs:
            seconds, peak, status = _run(argvs, base)
            load = os.getloadavg()[0]
            print(
                f"  {label:<28} {seconds:6.1f} s   peak {peak:6.0f} MB per process   "
                f"exit {status}   load {load:.1f}"
            )


if __name__ == "__main__":
    main()
