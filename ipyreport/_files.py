"""Writing outputs whole: a reader sees the old file or the new one, never half of one.

Every output (HTML, PDF, PowerPoint, video, article) is written to a
temporary file beside its target and renamed onto it once complete; a
rename within one folder is atomic. A build that fails leaves the old
file as it was and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["replacing", "write_atomic"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def replacing(target: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``target`` (same suffix) that replaces it when the block succeeds.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with replacing(folder / "story.html") as part:
    ...     _ = part.write_text("whole")
    >>> (folder / "story.html").read_text(), sorted(p.name for p in folder.iterdir())
    ('whole', ['story.html'])
    """
    final = Path(target)
    handle, name = tempfile.mkstemp(
        prefix=f".{final.stem}.", suffix=f".part{final.suffix}", dir=final.parent
    )
    os.close(handle)
    part = Path(name)
    try:
        yield part
        os.chmod(part, 0o666 & ~_umask())  # as an ordinary new file, not mkstemp's 0600
        os.replace(part, final)
    finally:
        part.unlink(missing_ok=True)


def write_atomic(target: str | os.PathLike[str], content: str | bytes) -> Path:
    """Write ``content`` (text as UTF-8) to ``target`` whole, through :func:`replacing`."""
    with replacing(target) as part:
        if isinstance(content, str):
            part.write_text(content, encoding="utf-8")
        else:
            part.write_bytes(content)
    return Path(target)
