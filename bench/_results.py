"""What ``python -m bench`` writes next to its printed tables: one results file per benchmark.

Each file holds the report as printed (Markdown tables and sentences), the figures the
benchmark returned, the command that reproduces it, when it ran and on what machine. The
documentation's benchmarks page is generated from these files, so figures are never typed by
hand.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import platform
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

RESULTS = Path(__file__).resolve().parent / "results"


class _Tee(io.TextIOBase):
    """Writes to the terminal and keeps a copy."""

    def __init__(self, terminal: TextIO) -> None:
        self.terminal = terminal
        self.copy = io.StringIO()

    def write(self, text: str) -> int:
        self.terminal.write(text)
        self.terminal.flush()
        return self.copy.write(text)


@contextlib.contextmanager
def _captured() -> Iterator[_Tee]:
    tee = _Tee(sys.stdout)
    with contextlib.redirect_stdout(tee):  # type: ignore[type-var]
        yield tee


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None
    return round(pages * size / 2**30, 1)


def machine() -> dict[str, Any]:
    """The machine a run measured: processor, cores, memory, system, Python, load."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "cpu": _cpu(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "system": f"{platform.system()} {platform.machine()}",
        "python": platform.python_version(),
        "load_average": round(load[0], 1) if load else None,
    }


def run(name: str, benchmark: Callable[[], Any], *, command: str, folder: Path) -> Path:
    """Run ``benchmark``, print its report as it goes, and write ``folder/NAME.json``."""
    started = datetime.now(timezone.utc)
    before = machine()
    with _captured() as tee:
        figures = benchmark()
    record = {
        "benchmark": name,
        "command": command,
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": before,
        "report": tee.copy.getvalue().strip("\n"),
        "figures": figures,
    }
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.json"
    text = json.dumps(record, indent=1, ensure_ascii=False, default=str)
    target.write_text(text + "\n", encoding="utf-8")
    print(f"\nwrote {target}", file=sys.stderr)
    return target
