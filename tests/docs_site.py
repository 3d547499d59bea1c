"""Build the documentation site as ``./dev docs`` does, into a folder of the test's own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def build_site(target: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` into ``target``: every example runs, any warning fails it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def gallery_pages() -> list[str]:
    """The gallery's story pages, by name (``gapminder``, ``stocks``...)."""
    return sorted(path.stem for path in (DOCS / "gallery").glob("*.md") if path.stem != "index")
