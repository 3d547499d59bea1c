"""``python -m bench [NAME ...]`` runs the named benchmarks (default: all)."""

import argparse
import sys

from bench import (
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
    args = parser.parse_args(argv)
    for name in args.names or list(BENCHMARKS):
        if name == "large" and args.rows:
            large_bench.main(quick=args.quick, sizes_asked=args.rows)
        else:
            BENCHMARKS[name](quick=args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
