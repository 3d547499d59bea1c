"""``python -m bench [NAME ...]`` runs the named benchmarks (default: all).

Each benchmark prints its table and writes it, with the date and the machine, to
``bench/results/NAME.json`` (``--quick`` runs go to ``bench/out/`` instead, so a smoke run
never replaces measured figures); the documentation's benchmarks page is made from those files.
"""

import argparse
import shlex
import sys
from pathlib import Path

from bench import (
    _results,
    data_bench,
    lake_bench,
    large_bench,
    multirun_bench,
    notebook_bench,
    story_bench,
    video_bench,
)

BENCHMARKS = {
    "data": data_bench.main,
    "story": story_bench.main,
    "notebook": notebook_bench.main,
    "large": large_bench.main,
    "lake": lake_bench.main,
    "video": video_bench.main,
    "multirun": multirun_bench.main,
}
QUICK_RESULTS = Path(__file__).resolve().parent / "out"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument(
        "names",
        nargs="*",
        choices=[*BENCHMARKS, []],
        help="benchmarks to run (default: all)",
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument(
        "--rows",
        type=int,
        action="append",
        help="large: build over this many orders (repeatable; e.g. --rows 100000000)",
    )
    parser.add_argument(
        "--results",
        type=Path,
        help="folder for the results files (default: bench/results, or bench/out with --quick)",
    )
    args = parser.parse_args(argv)
    folder = args.results or (QUICK_RESULTS if args.quick else _results.RESULTS)
    for name in args.names or list(BENCHMARKS):
        command = ["python", "-m", "bench", name]
        if args.quick:
            command.append("--quick")
        if name == "large" and args.rows:
            command += [f"--rows={rows}" for rows in args.rows]
            run = lambda: large_bench.main(quick=args.quick, sizes_asked=args.rows)  # noqa: E731
        else:
            run = lambda name=name: BENCHMARKS[name](quick=args.quick)  # noqa: E731
        _results.run(name, run, command=shlex.join(command), folder=folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
