"""A notebook as an article: its markdown cells are the words, its stories the charts.

The notebook is read as saved, with the outputs its cells showed: each
story a code cell displayed carries its whole document in its output (the
HTML player every ``Story`` output holds), so nothing is run here. Markdown
is rendered with its raw HTML escaped, and pictures it links to are left
out (the article fetches nothing). Needs ``mistune``
(``pip install 'ipyreport[article]'``).
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

from ipyreport._errors import IpyreportError

__all__ = ["notebook_parts", "save_notebook_article"]

_SRCDOC = re.compile(r'srcdoc="([^"]*)"')
_STORY = re.compile(
    r'<script type="application/json" id="ipyreport-story">(.*?)</script>', re.DOTALL
)


def _stories_in(output: dict[str, Any]) -> list[bytes]:
    """The story documents an output holds (in its HTML player, if it has one)."""
    page = output.get("data", {}).get("text/html")
    if not page:
        return []
    text = "".join(page) if isinstance(page, list) else str(page)
    found = []
    for frame in _SRCDOC.findall(text):
        for document in _STORY.findall(html.unescape(frame)):
            found.append(document.encode("utf-8"))
    return found


def _markdown() -> Any:
    if importlib.util.find_spec("mistune") is None:
        msg = "an article from a notebook renders its markdown with mistune: pip install 'ipyreport[article]'"
        raise IpyreportError(msg)
    import mistune

    return mistune.create_markdown(escape=True)


def notebook_parts(path: str | Path) -> tuple[str, list[str | bytes]]:
    """The notebook's title (its first heading) and its parts: rendered markdown, story documents."""
    source = Path(path)
    try:
        notebook = json.loads(source.read_text(encoding="utf-8"))
        cells = notebook["cells"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        msg = f"{source}: not a readable notebook ({error})"
        raise IpyreportError(msg) from None
    render = _markdown()
    parts: list[str | bytes] = []
    title = source.stem
    for cell in cells:
        text = "".join(cell.get("source") or [])
        if cell.get("cell_type") == "markdown" and text.strip():
            heading = re.match(r"\s*#\s+(.+)", text)
            if heading and title == source.stem:
                title = heading.group(1).strip()
            parts.append(str(render(text)))
        elif cell.get("cell_type") == "code":
            for output in cell.get("outputs") or []:
                parts.extend(_stories_in(output))
    if not any(isinstance(part, bytes) for part in parts):
        msg = (
            f"{source}: no story is shown in its saved outputs; run it and save it with its "
            "outputs (jupyter nbconvert --to notebook --execute --inplace NOTEBOOK), then build again"
        )
        raise IpyreportError(msg)
    return title, parts


def save_notebook_article(path: str | Path, target: str | Path) -> Path:
    """Write the notebook at ``path`` as one scrolled article to ``target``."""
    from ipyreport.export.html import render_chapters

    title, parts = notebook_parts(path)
    out = Path(target)
    out.write_text(render_chapters(parts, title=title), encoding="utf-8")
    return out
