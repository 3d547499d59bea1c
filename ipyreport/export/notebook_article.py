"""A notebook as an article: its markdown cells are the words, its stories the charts.

The notebook is read as saved, with the outputs its cells showed: each
story a code cell displayed carries its whole document in its output (the
HTML player every ``Story`` output holds), so nothing is run here. Markdown
is rendered with its raw HTML escaped, and pictures it links to are left
out, their alternative text kept (the article fetches nothing).

Saved outputs are untrusted: anyone can edit a notebook file. Each story
document is checked against the document schema, and one that carries an
author's own JavaScript (a ``raw`` filter) is refused unless the person
building says they trust it (``allow_code``, ``--allow-code``). Needs
``mistune`` and ``jsonschema`` (``pip install 'ipyreport[article]'``).
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

from ipyreport._engine import engine_problem
from ipyreport._errors import IpyreportError
from ipyreport._files import write_atomic
from ipyreport.document import schema

__all__ = ["notebook_parts", "save_notebook_article"]

_SRCDOC = re.compile(r'srcdoc="([^"]*)"')
_STORY = re.compile(
    r'<script type="application/json" id="ipyreport-story">(.*?)</script>', re.DOTALL
)


def _stories_in(output: dict[str, Any]) -> list[bytes]:
    """The story documents an output holds (in its HTML player, if it has one)."""
    data = output.get("data")
    page = data.get("text/html") if isinstance(data, dict) else None
    if not page:
        return []
    text = _text(page)
    found = []
    for frame in _SRCDOC.findall(text):
        for document in _STORY.findall(html.unescape(frame)):
            found.append(document.encode("utf-8"))
    return found


def _needs(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        msg = f"an article from a notebook needs {module}: pip install 'ipyreport[article]'"
        raise IpyreportError(msg)


def _markdown() -> Any:
    _needs("mistune")
    import mistune

    class Offline(mistune.HTMLRenderer):
        """Markdown without pictures from elsewhere: the article fetches nothing."""

        def image(self, text: str, url: str, title: str | None = None) -> str:
            return f'<span class="ipyreport-dropped-picture">{text}</span>' if text else ""

    return mistune.create_markdown(escape=True, renderer=Offline(escape=True))


def _raw_filters(node: Any) -> list[str]:
    """The JavaScript of every ``raw`` filter inside a step's filter."""
    if isinstance(node, list):
        return [code for part in node for code in _raw_filters(part)]
    if not isinstance(node, dict):
        return []
    found = [node["raw"]] if isinstance(node.get("raw"), str) else []
    for key in ("and", "or", "not"):
        found += _raw_filters(node.get(key))
    return found


def _filters(node: Any) -> list[Any]:
    """Every filter a document holds (steps', charts' and highlights')."""
    if isinstance(node, list):
        return [found for item in node for found in _filters(item)]
    if not isinstance(node, dict):
        return []
    found = [node["filter"]] if "filter" in node else []
    for key, value in node.items():
        if key not in ("datasets", "filter"):
            found += _filters(value)
    return found


def _engine_problem(document: dict[str, Any]) -> str | None:
    """The first style, config or animation in a story document that the engine would refuse
    (one unreadable value stops every chart on the article's page)."""
    found = engine_problem("style", document["style"]) if document.get("style") else None
    if found is not None:
        return f"style: {found}"
    stack: list[tuple[str, Any]] = [("slides", document["slides"])]
    while stack:
        where, node = stack.pop()
        if isinstance(node, list):
            stack.extend(
                (f"{where}/{index}", item) for index, item in reversed(list(enumerate(node)))
            )
        elif isinstance(node, dict):
            for part in ("config", "style", "animation"):
                value = node.get(part)
                found = engine_problem(part, value) if isinstance(value, dict) and value else None
                if found is not None:
                    return f"{where}/{part}: {found}"
            stack.extend((f"{where}/{key}", item) for key, item in reversed(node.items()))
    return None


def checked_document(raw: bytes, where: str, *, allow_code: bool = False) -> bytes:
    """A story document taken from a saved output, once it holds only what a story may.

    Raises :class:`IpyreportError` naming ``where`` when it is not a story
    document, or when it runs the author's own JavaScript and ``allow_code``
    is false.
    """
    _needs("jsonschema")
    import jsonschema

    try:
        document = json.loads(raw)
        problem = jsonschema.exceptions.best_match(
            jsonschema.Draft202012Validator(schema()).iter_errors(document)
        )
        slides = document.get("slides") if problem is None else None
        codes = [code for spec in _filters(slides) for code in _raw_filters(spec)]
    except RecursionError:
        msg = f"{where}: the saved story nests too deeply to be a story document; run the notebook again and save it"
        raise IpyreportError(msg) from None
    except ValueError as error:
        msg = f"{where}: the saved story is not JSON ({error}); run the notebook again and save it"
        raise IpyreportError(msg) from None
    if problem is not None:
        field = "/".join(str(part) for part in problem.absolute_path) or "the document"
        msg = f"{where}: the saved story is not a story document ({field}: {problem.message:.200}); run the notebook again and save it"
        raise IpyreportError(msg)
    engine = _engine_problem(document)
    if engine is not None:
        msg = f"{where}: the saved story holds a value the chart engine cannot take ({engine}); run the notebook again and save it"
        raise IpyreportError(msg)
    if codes and not allow_code:
        msg = (
            f"{where}: the saved story runs its own JavaScript (a raw filter: {codes[0]!r:.80}); "
            "a notebook file can be edited by anyone, so this is refused; build with --allow-code "
            "only if you trust the notebook"
        )
        raise IpyreportError(msg)
    # What goes on is the JSON as parsed, never the bytes as found.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def notebook_parts(path: str | Path, *, allow_code: bool = False) -> tuple[str, list[str | bytes]]:
    """The notebook's title (its first heading) and its parts: rendered markdown, story documents.

    Each story shown in a saved output is taken from its HTML player and
    checked (see :func:`checked_document`).

    Parameters
    ----------
    path : str or Path
        A Jupyter notebook saved with its outputs.
    allow_code : bool, default False
        Let its stories run their own JavaScript filters; leave it off for a
        notebook you did not write.

    Returns
    -------
    title : str
        The first ``#`` heading, else the file's name.
    parts : list of str or bytes
        Each markdown cell as HTML (``str``) and each story document
        (``bytes``), in notebook order.

    Raises
    ------
    IpyreportError
        When the file is not a readable notebook, holds no story in its saved
        outputs, or a story is not a story document (or runs code that was
        not allowed).

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> from ipyreport import Slide, Story, presets
    >>> from ipyreport.export.html import iframe, render
    >>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]},
    ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))])
    >>> shown = {"data": {"text/html": iframe(render(story.to_json()), title="Sales")}}
    >>> cells = [{"cell_type": "markdown", "source": "# Q3 sales"},
    ...          {"cell_type": "code", "source": "story", "outputs": [shown]}]
    >>> folder = tempfile.TemporaryDirectory()
    >>> notebook = pathlib.Path(folder.name, "q3.ipynb")
    >>> _ = notebook.write_text(json.dumps({"cells": cells}))
    >>> title, parts = notebook_parts(notebook)
    >>> title, [type(part).__name__ for part in parts]
    ('Q3 sales', ['str', 'bytes'])
    >>> folder.cleanup()
    """
    source = Path(path)
    if source.exists() and not source.is_file():
        msg = f"{source}: is not a regular file (a folder, pipe or device); name a .ipynb file"
        raise IpyreportError(msg)
    try:
        notebook = json.loads(source.read_text(encoding="utf-8"))
    except RecursionError:
        msg = f"{source}: not a readable notebook (its JSON nests too deeply); the file is damaged"
        raise IpyreportError(msg) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        msg = f"{source}: not a readable notebook ({error})"
        raise IpyreportError(msg) from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        msg = (
            f"{source}: not a readable notebook (no list of cells, as a Jupyter notebook of "
            "format 4 holds); open and save it in Jupyter, or check it is a notebook"
        )
        raise IpyreportError(msg)
    render = _markdown()
    parts: list[str | bytes] = []
    title = source.stem
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            msg = f"{source}: cell {number} is not a notebook cell; the file is damaged"
            raise IpyreportError(msg)
        text = _text(cell.get("source"))
        if cell.get("cell_type") == "markdown" and text.strip():
            heading = re.match(r"\s*#\s+(.+)", text)
            if heading and title == source.stem:
                title = heading.group(1).strip()
            parts.append(str(render(text)))
        elif cell.get("cell_type") == "code":
            for output in cell.get("outputs") or []:
                if not isinstance(output, dict):
                    continue
                for document in _stories_in(output):
                    where = f"{source}: cell {number}"
                    parts.append(checked_document(document, where, allow_code=allow_code))
    if not any(isinstance(part, bytes) for part in parts):
        msg = (
            f"{source}: no story is shown in its saved outputs; run it and save it with its "
            "outputs (jupyter nbconvert --to notebook --execute --inplace NOTEBOOK), then build again"
        )
        raise IpyreportError(msg)
    return title, parts


def _text(source: Any) -> str:
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    return ""


def save_notebook_article(
    path: str | Path, target: str | Path, *, allow_code: bool = False
) -> Path:
    """Write the notebook at ``path`` as one scrolled article to ``target``.

    Its prose between its stories, each story playing as the reader scrolls
    to it; what ``ipyreport build NOTEBOOK.ipynb`` writes.

    Parameters
    ----------
    path : str or Path
        A Jupyter notebook saved with its outputs.
    target : str or Path
        The ``.html`` file to write.
    allow_code : bool, default False
        Let its stories run their own JavaScript filters; leave it off for a
        notebook you did not write.

    Returns
    -------
    Path
        ``target``.

    Raises
    ------
    IpyreportError
        As :func:`notebook_parts` raises it.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> notebook = pathlib.Path(folder.name, "empty.ipynb")
    >>> _ = notebook.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": "# Notes"}]}))
    >>> try:
    ...     save_notebook_article(notebook, pathlib.Path(folder.name, "empty.html"))
    ... except IpyreportError as error:
    ...     print(str(error).split(": ", 1)[1][:48])
    no story is shown in its saved outputs; run it a
    >>> folder.cleanup()
    """
    from ipyreport.export.html import render_chapters

    title, parts = notebook_parts(path, allow_code=allow_code)
    out = Path(target)
    write_atomic(out, render_chapters(parts, title=title))
    return out
