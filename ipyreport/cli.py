"""The ``ipyreport`` command.

``main(argv) -> int`` runs in process, so tests call it directly. Exit codes:
0 success, 1 failure (the message says why), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ipyreport._version import __version__

DEFAULT_DEMO_DIR = Path("build") / "demo"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ipyreport",
        description="Turn tables into animated data stories that play offline.",
    )
    parser.add_argument("--version", action="version", version=f"ipyreport {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo",
        help="build the bundled examples on the embedded sample data",
        description="Build the bundled examples on the embedded sample data and print where they are.",
    )
    demo.add_argument(
        "-o",
        "--out",
        type=Path,
        default=DEFAULT_DEMO_DIR,
        help=f"output folder (default: {DEFAULT_DEMO_DIR})",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``).

    >>> main(["--version"])  # doctest: +ELLIPSIS
    ipyreport ...
    0
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    if args.command is None:
        parser.print_usage(sys.stderr)
        return 2
    if args.command == "demo":
        return _demo(args.out)
    return 2  # pragma: no cover - argparse rejects unknown commands first


def _demo(out: Path) -> int:
    from ipyreport import samples
    from ipyreport.data import encode

    out.mkdir(parents=True, exist_ok=True)
    table = samples.sales()
    data = encode(table, units={"Revenue": "USD", "Profit": "USD"})
    target = out / "sales.vizzu.json"
    target.write_bytes(data.to_json())
    print(
        f"wrote {target} ({data.num_rows:,} rows, {len(data.series)} series, {target.stat().st_size:,} bytes)"
    )
    return 0
