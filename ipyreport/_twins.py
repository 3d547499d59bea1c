"""Rules the player's JavaScript shares with Python, written into its files from one source.

A few constants and tables are needed on both sides: which characters read
right to left (``_describe.isolate`` and ``words.js``'s ``isolate``), how many
rows a table shows (``_plan.MAX_TABLE_ROWS`` and ``tables.js``), the light and
dark ink and background colours (``themes.INK`` … and ``look.js``, ``player.css``), the colour
key's sizes (``_key.KEY`` and ``steps.js``). Python holds
each once; this module writes it into the JavaScript between marker comments
(``// <twins:name>`` … ``// </twins:name>``), so neither side is edited by
hand. The right-to-left table itself is checked in (``_bidi.py``, read by
both isolates) and written from Python's Unicode database only when asked
(``--unicode``), since each Python version carries its own Unicode version.
``python -m ipyreport._twins`` rewrites the blocks; a test fails while any
checked-in block differs from what this module writes.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

__all__ = ["BIDI_CLASSES", "bidi_ranges", "blocks", "main", "stale"]

ROOT = Path(__file__).parent

# Bidirectional classes of right-to-left letters and of the explicit controls:
# text holding any of them is isolated so it cannot turn the sentence around it.
BIDI_CLASSES = frozenset({"R", "AL", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI"})


def bidi_ranges() -> list[tuple[int, int]]:
    """Code point ranges (inclusive) whose bidirectional class is in ``BIDI_CLASSES``,
    by the running Python's Unicode database."""
    ranges: list[tuple[int, int]] = []
    start = None
    for point in range(sys.maxunicode + 2):
        inside = point <= sys.maxunicode and unicodedata.bidirectional(chr(point)) in BIDI_CLASSES
        if inside and start is None:
            start = point
        elif not inside and start is not None:
            ranges.append((start, point - 1))
            start = None
    return ranges


def _js_point(point: int) -> str:
    return f"\\u{{{point:x}}}"


def _bidi_js() -> str:
    from ipyreport import _bidi

    body = "".join(
        _js_point(a) if a == b else f"{_js_point(a)}-{_js_point(b)}"
        for a, b in _bidi.NOT_LEFT_TO_RIGHT
    )
    return (
        f"// Characters of bidi class {', '.join(sorted(BIDI_CLASSES))} (Unicode {_bidi.UNICODE_VERSION}, _bidi.py).\n"
        f"const NOT_LEFT_TO_RIGHT = /[{body}]/u;\n"
    )


def _bidi_py() -> str:
    # As ruff formats it: upper-case hex digits, double quotes.
    rows = "".join(f"    (0x{a:X}, 0x{b:X}),\n" for a, b in bidi_ranges())
    return (
        f'UNICODE_VERSION = "{unicodedata.unidata_version}"\n'
        f"NOT_LEFT_TO_RIGHT: tuple[tuple[int, int], ...] = (\n{rows})\n"
    )


def _table_rows_js() -> str:
    from ipyreport._plan import MAX_TABLE_ROWS

    return f"export const MAX_TABLE_ROWS = {MAX_TABLE_ROWS}; // rows a table shows, as many as the story's own tables hold\n"


def _colours_js() -> str:
    from ipyreport import themes

    return "".join(
        f"export const {name} = {json.dumps(getattr(themes, name), separators=(', ', ': '))};\n"
        for name in ("INK", "SOFT_INK", "BACKGROUND", "PLAIN_MARKS")
    )


def _key_js() -> str:
    from ipyreport import _key

    return (
        f"export const KEY = {json.dumps(_key.KEY, separators=(', ', ': '))};\n"
        f"export const KEY_TOP = {_key.KEY_TOP};\n"
    )


def _css_colours(theme: str) -> Callable[[], str]:
    def write() -> str:
        from ipyreport import themes

        return (
            f"  --ipyreport-fg: {themes.INK[theme]};\n"
            f"  --ipyreport-bg: {themes.BACKGROUND[theme]};\n"
        )

    return write


# Each file, and the blocks written into it: the comment that opens a marker, and what writes the block.
# _bidi.py is written from the running Python's Unicode database only when asked
# (``--unicode``): Python versions carry different Unicode versions, and the
# checked-in table is the one both languages read.
BLOCKS: dict[str, tuple[str, dict[str, Callable[[], str]]]] = {
    "export/words.js": ("//", {"bidi": _bidi_js}),
    "export/tables.js": ("//", {"table-rows": _table_rows_js}),
    "export/look.js": ("//", {"colours": _colours_js}),
    "static/steps.js": ("//", {"key": _key_js}),
    "export/player.css": ("/*", {"light": _css_colours("light"), "dark": _css_colours("dark")}),
}
UNICODE_BLOCKS: dict[str, tuple[str, dict[str, Callable[[], str]]]] = {
    "_bidi.py": ("#", {"bidi": _bidi_py}),
}


def _marked(comment: str, name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?P<open>^[ \t]*{re.escape(comment)} <twins:{name}>[^\n]*\n)(?P<body>.*?)(?P<close>^[ \t]*{re.escape(comment)} </twins:{name}>)",
        re.MULTILINE | re.DOTALL,
    )


def blocks(*, unicode: bool = False) -> dict[Path, str]:
    """Every file with its generated blocks written in as they should read
    (``unicode``: the right-to-left table, from this Python's Unicode database)."""
    result: dict[Path, str] = {}
    for relative, (comment, parts) in (UNICODE_BLOCKS if unicode else BLOCKS).items():
        path = ROOT / relative
        text = path.read_text(encoding="utf-8")
        for name, write in parts.items():
            pattern = _marked(comment, name)
            found = pattern.search(text)
            if not found:
                msg = f"{relative}: the marker comments '{comment} <twins:{name}>' … '{comment} </twins:{name}>' are missing; put them back around the block"
                raise ValueError(msg)
            text = text[: found.start("body")] + write() + text[found.end("body") :]
        result[path] = text
    return result


def stale(*, unicode: bool = False) -> list[str]:
    """Files whose generated blocks differ from what :func:`blocks` writes (relative paths)."""
    return [
        str(path.relative_to(ROOT))
        for path, text in blocks(unicode=unicode).items()
        if path.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    """Rewrite every generated block in place (``--unicode``: first the right-to-left
    table, from this Python's Unicode database); print the files that changed."""
    args = sys.argv[1:] if argv is None else argv
    if "--unicode" in args:
        _rewrite(blocks(unicode=True))
    _rewrite(blocks())
    return 0


def _rewrite(written: dict[Path, str]) -> None:
    for path, text in written.items():
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"rewrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    raise SystemExit(main())
