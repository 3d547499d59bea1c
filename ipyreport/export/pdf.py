"""A story as a PDF handout, drawn by headless Chromium from the same HTML.

Each step that carries the story becomes one page (or each slide one page,
with ``per="slide"``, those steps side by side): every view a slide moves
through once (the way back to an earlier view adds no page) and a timeline's
first, last and two moments between. Each picture is captioned by its own
sentence: the part of the slide's notes the article tells at that step, then
the step's caption. The slide title is real text; the charts are sharp
images (drawn at twice the page resolution by the very player the HTML
file uses); an appendix holds the data table behind every picture. Chromium comes from the system (Debian's ``chromium``) and is
driven by Playwright, an optional dependency: ``pip install 'ipyreport[pdf]'``.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

from ipyreport._files import write_atomic
from ipyreport._provenance import PDF_PROVENANCE, made_from
from ipyreport._version import __version__
from ipyreport.document import Document, chart_titles, load
from ipyreport.export._browser import in_own_thread, story_page
from ipyreport.export.html import PAGE_FONT, _blocks, _own_words, _told, source_date
from ipyreport.formats import MISSING, Display
from ipyreport.themes import INK

__all__ = ["PAGE_SIZES", "save_pdf"]

# Page size name -> (width, height) in inches (A4 landscape is 297 x 210 mm).
PAGE_SIZES = {"16:9": (10.0, 5.625), "A4": (297 / 25.4, 210 / 25.4)}

SHOW = """async ([slide, step]) => {
  const root = document.getElementById("ipyreport");
  await root.ipyreport.goTo(slide, step);  // resolves once the step is on screen
  return { image: root.ipyreport.snapshot(), error: root.dataset.error ?? null };
}"""

# At most this many steps of a slide side by side on its page.
STRIP = 4

HANDOUT_CSS = """
@page {{ size: {width:.4f}in {height:.4f}in; margin: 0.35in; }}
body {{ font-family: {font}; color: {ink}; margin: 0; }}
section {{ break-after: page; height: calc({height:.4f}in - 0.7in); display: flex; flex-direction: column; }}
section:last-child {{ break-after: auto; height: auto; }}
h1 {{ font-size: 18pt; margin: 0 0 0.1in; }}
h2 {{ font-size: 13pt; margin: 0.15in 0 0.05in; }}
.dek {{ font-size: 12pt; margin: -0.04in 0 0.1in; color: #4a5568; }}
.source {{ font-size: 7.5pt; margin: 0.05in 0 0; color: #5a6373; }}
h3 {{ font-size: 10pt; margin: 0.08in 0 0.03in; }}
.chart {{ flex: 1 1 auto; min-height: 0; display: grid; gap: 0.12in; grid-auto-rows: minmax(0, 1fr); }}
.strip-1 {{ grid-template-columns: 1fr; }}
.strip-2, .strip-3, .strip-4 {{ grid-template-columns: 1fr 1fr; }}
.strip-3 figure:last-child {{ grid-column: span 2; }}
figure {{ margin: 0; min-height: 0; display: flex; flex-direction: column; justify-content: center; }}
figure img {{ min-height: 0; max-height: calc(100% - 1.5em); width: 100%; object-fit: contain; }}
figcaption {{ font-size: 8.5pt; margin: 0.03in 0 0; text-align: center; }}
.strip-1 figcaption {{ font-size: 10pt; }}
table {{ align-self: flex-start; border-collapse: collapse; font-size: 8pt; margin-bottom: 0.1in; break-inside: auto; }}
th, td {{ unicode-bidi: isolate; padding: 1pt 6pt; border-bottom: 0.5pt solid #c5ccd8; text-align: left; font-weight: normal; }}
thead th {{ font-weight: 600; border-bottom-width: 1pt; }}
.number {{ text-align: right; font-variant-numeric: tabular-nums; }}
footer {{ font-size: 7pt; color: #5a6373; }}
"""


def save_pdf(document: bytes, path: str | Path, *, per: str = "step", page: str = "16:9") -> Path:
    """Write a story document as a PDF handout.

    Each page shows a step that carries the story (``per="slide"``: a slide,
    with those steps side by side, at most four), its heading and its own
    sentence of the notes; an appendix holds the numbers behind its charts. What ``Story.save_pdf()`` writes; Chromium draws
    the charts, as the player does.

    Parameters
    ----------
    document : bytes
        A story document's JSON (``Story.to_json()``).
    path : str or Path
        The ``.pdf`` file to write.
    per : {"step", "slide"}, default "step"
        A page per step that carries the story, or a page per slide.
    page : {"16:9", "A4"}, default "16:9"
        The paper (both landscape).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ValueError
        When ``per`` or ``page`` is unknown.
    RuntimeError
        When Playwright is not installed (``pip install 'ipyreport[pdf]'``).

    Examples
    --------
    >>> save_pdf(b"{}", "sales.pdf", page="Letter")
    Traceback (most recent call last):
    ...
    ValueError: page must be one of 16:9, A4, got 'Letter'
    """
    if per not in ("step", "slide"):
        msg = f"per must be 'step' or 'slide', got {per!r}"
        raise ValueError(msg)
    if page not in PAGE_SIZES:
        msg = f"page must be one of {', '.join(PAGE_SIZES)}, got {page!r}"
        raise ValueError(msg)
    if importlib.util.find_spec("playwright") is None:
        msg = "PDF handouts need Playwright: pip install 'ipyreport[pdf]'"
        raise RuntimeError(msg)
    contents = load(document)
    pages = [
        (s, strip)
        for s, slide in enumerate(contents["slides"], start=1)
        for strip in (
            [[k] for k in _story_steps(slide)] if per == "step" else [_spread(_story_steps(slide))]
        )
    ]
    target = Path(path)
    in_own_thread(lambda: _draw(document, contents, pages, target, size=page))
    return target


def _view(step: Any) -> str:
    """What a step shows, as text: two steps showing the same are the same picture."""
    shown = {
        key: step.get(key) for key in ("config", "filter", "data", "highlight", "style", "charts")
    }
    return json.dumps(shown, sort_keys=True)


def _story_steps(slide: Any) -> list[int]:
    """The steps (1-based) that carry a slide's story: each view it moves through once (a
    step that goes back to an earlier view adds nothing new), and of a timeline (the
    article's one block with a scrubber) its start, two moments between and its end.

    >>> step = lambda title: {"config": {"title": title}}
    >>> _story_steps({"steps": [step("World"), step("Europe"), step("Germany"), step("Europe"), step("World")]})
    [1, 2, 3]
    >>> moment = lambda year: {"config": {"title": str(year)}, "filter": {"year": year}}
    >>> _story_steps({"steps": [step("World"), *[moment(y) for y in range(2000, 2010)]]})
    [1, 2, 5, 8, 11]
    """
    seen: set[str] = set()
    views = []
    for first, last in _blocks(slide["steps"]):
        run = list(range(first, last + 1))
        for k in _spread(run) if len(run) > 1 else run:
            view = _view(slide["steps"][k - 1])
            if view not in seen:
                seen.add(view)
                views.append(k)
    return views


def _spread(steps: list[int]) -> list[int]:
    """At most ``STRIP`` of ``steps``, evenly spread from the first to the last.

    >>> _spread([1, 2, 3]), _spread(list(range(1, 11)))
    ([1, 2, 3], [1, 4, 7, 10])
    """
    if len(steps) <= STRIP:
        return steps
    return [steps[round(i * (len(steps) - 1) / (STRIP - 1))] for i in range(STRIP)]


def _captions(slide: Any, shown: list[int]) -> dict[int, str]:
    """Each pictured step's words: the sentences of the slide's notes the article tells
    at its block, then its own caption (or the note it points with). A step left out of
    the pictures (a way back to a view already shown, a timeline's moment between) gives
    its words to the picture before it, so every sentence of the notes is printed once,
    in order.

    >>> step = lambda title: {"config": {"title": title}}
    >>> slide = {"notes": "The world. Then Europe. And back.", "steps": [step("W"), step("E"), step("W")]}
    >>> _captions(slide, [1, 2])
    {1: 'The world.', 2: 'Then Europe. And back.'}
    """
    steps = slide["steps"]
    runs = _blocks(steps)
    told = _told(str(slide.get("notes") or ""), len(runs))
    words: dict[int, list[str]] = {k: [] for k in shown}
    into = shown[0]
    for (first, last), notes in zip(runs, told, strict=True):
        for k in range(first, last + 1):
            if k in words:
                into = k
            said = [
                text for text in (notes if k == first else "", _own_words(steps[k - 1])) if text
            ]
            words[into].extend(said)
    return {k: " ".join(said) for k, said in words.items()}


Page = tuple[int, list[int]]  # a slide (1-based) and the steps its page shows


def _draw(
    document: bytes, contents: Document, pages: list[Page], target: Path, *, size: str
) -> None:
    width, height = PAGE_SIZES[size]
    # The chart is drawn at the page's aspect ratio and twice its resolution.
    with story_page(document, width=int(width * 96), height=int(height * 96), scale=2) as (
        browser,
        page,
    ):
        images: list[list[str]] = []
        for s, strip in pages:
            images.append([])
            for k in strip:
                shown = page.evaluate(SHOW, [s, k])
                if shown["error"]:
                    # A page that shows another step's picture would mislead: stop here.
                    msg = f"slide {s}, step {k} could not be drawn: {shown['error']}"
                    raise RuntimeError(msg)
                images[-1].append(shown["image"])
        handout = browser.new_page()
        handout.set_content(_handout(contents, pages, images, width, height))
        if size == "A4":
            pdf = handout.pdf(format="A4", landscape=True, print_background=True)
        else:
            pdf = handout.pdf(
                width=f"{width:.4f}in", height=f"{height:.4f}in", print_background=True
            )
    write_atomic(target, _described(_pinned(pdf), contents))


def _pdf_text(text: str) -> bytes:
    """``text`` as a PDF text string: UTF-16BE with its byte order mark, in hex (any
    character, nothing to escape)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _described(pdf: bytes, document: Document) -> bytes:
    """``pdf`` with its document information saying what the handout is and how it was
    made: the story's title, ``made_from`` as its subject, the parameters as keywords and
    the whole provenance record (which ``ipyreport build --check-fresh`` reads back).

    Written as an incremental update (a new information dictionary, an xref section
    and a trailer appended), so nothing Chromium wrote moves.
    """
    trailer = pdf.rfind(b"trailer")
    root = re.search(rb"/Root (\d+) 0 R", pdf[trailer:])
    size = re.search(rb"/Size (\d+)", pdf[trailer:])
    previous = re.search(rb"startxref\s+(\d+)", pdf[trailer:])
    dates = re.search(rb"/CreationDate \(([^)]*)\)", pdf)
    if trailer < 0 or not (root and size and previous):
        return pdf  # not the plain cross-reference table this was written for
    provenance = document.get("provenance")
    info = {
        "Title": document.get("title") or "Data story",
        "Subject": made_from(provenance),
        "Creator": f"ipyreport {__version__}",
    }
    if provenance is not None:
        info["Keywords"] = ", ".join(f"{k}={v}" for k, v in provenance["parameters"].items())
        info[PDF_PROVENANCE] = json.dumps(provenance, separators=(",", ":"), sort_keys=True)
    entries = b"".join(
        b"/" + key.encode("ascii") + b" " + _pdf_text(value) + b"\n" for key, value in info.items()
    )
    if dates:
        entries += b"/CreationDate (" + dates.group(1) + b")\n/ModDate (" + dates.group(1) + b")\n"
    number = int(size.group(1))
    body = pdf if pdf.endswith(b"\n") else pdf + b"\n"
    where = len(body)
    body += b"%d 0 obj\n<<" % number + entries + b">>\nendobj\n"
    xref = len(body)
    body += b"xref\n%d 1\n%010d 00000 n \n" % (number, where)
    body += b"trailer\n<</Size %d\n/Root %s 0 R\n/Info %d 0 R\n/Prev %s>>\n" % (
        number + 1,
        root.group(1),
        number,
        previous.group(1),
    )
    return body + b"startxref\n%d\n%%%%EOF\n" % xref


def _pinned(pdf: bytes) -> bytes:
    """``pdf`` with its creation and modification dates set to ``SOURCE_DATE_EPOCH``, if set.

    The dates are rewritten in place at the same length, so no offset moves.
    """
    moment = source_date()
    if moment is None:
        return pdf
    stamp = moment.strftime("D:%Y%m%d%H%M%S+00'00'").encode("ascii")

    def pin(match: re.Match[bytes]) -> bytes:
        old = match.group(2)
        return match.group(1) + (stamp if len(stamp) == len(old) else old) + b")"

    return re.sub(rb"(/(?:CreationDate|ModDate) \()(D:[^)]*)\)", pin, pdf)


def _handout(
    document: Document,
    pages: list[Page],
    images: list[list[str]],
    width: float,
    height: float,
) -> str:
    title = html.escape(document.get("title") or "Data story")
    style = HANDOUT_CSS.format(width=width, height=height, ink=INK["light"], font=PAGE_FONT)
    parts = [
        f'<!doctype html><html lang="{html.escape(document.get("lang") or "en")}"><head><meta charset="utf-8">',
        f"<title>{title}</title><style>{style}</style></head><body>",
    ]
    by_step = len(pages) > len(document["slides"])
    for (s, strip), pictures in zip(pages, images, strict=True):
        slide = document["slides"][s - 1]
        heading = html.escape(_headline(slide, strip[0]))
        if by_step:
            heading += f" <small>(step {strip[0]} of {len(slide['steps'])})</small>"
        # A picture is captioned by the words of the steps up to the next picture's.
        shown = [k for t, ks in pages if t == s for k in ks]
        captions = _captions(slide, shown)
        figures = []
        for k, image in zip(strip, pictures, strict=True):
            step = slide["steps"][k - 1]
            words = captions[k]
            caption = f"<figcaption>{html.escape(words)}</figcaption>" if words else ""
            figures.append(
                f'<figure><img src="{image}" alt="{html.escape(step.get("alt") or "", quote=True)}">{caption}</figure>'
            )
        # The page of a graphics desk: headline, dek, chart, source line at its foot.
        dek = f'<p class="dek">{html.escape(slide["dek"])}</p>' if slide.get("dek") else ""
        source = (
            f'<p class="source">{html.escape(slide["source"])}</p>' if slide.get("source") else ""
        )
        parts.append(
            f'<section><h1>{heading}</h1>{dek}<div class="chart strip-{len(strip)}">{"".join(figures)}</div>'
            f"{source}</section>"
        )
    display = Display.of(document)
    parts.append("<section><h1>Data behind the charts</h1>")
    for s, strip in pages:
        slide = document["slides"][s - 1]
        if slide.get("kind") == "cover":
            continue  # a title or closing slide has no data behind it
        for k in strip:
            step = slide["steps"][k - 1]
            heading = html.escape(slide["heading"])
            if by_step or len(strip) > 1:
                named = None if "charts" in step else chart_titles(slide)[k - 1]
                heading += f" — {html.escape(named) if isinstance(named, str) else f'step {k}'}"
            parts.append(f"<h2>{heading}</h2>")
            tables = step["tables"] if "tables" in step else [step.get("table")]
            for name, rows in zip(step.get("names") or [None], tables, strict=False):
                if name:
                    parts.append(f"<h3>{html.escape(name[:1].upper() + name[1:])}</h3>")
                parts.append(_table(rows, display))
    parts.append(
        f"<footer>{html.escape(made_from(document.get('provenance')))}</footer></section></body></html>"
    )
    return "".join(parts)


def _headline(slide: Any, step: int) -> str:
    """A page's headline: the slide's shown heading, else the finding its chart's title
    states at the first step pictured (an untitled slide's heading, 'Slide 3', says nothing
    a reader can search for)."""
    if slide.get("headingShown"):
        return str(slide["heading"])
    title = None if slide.get("kind") == "dashboard" else chart_titles(slide)[step - 1]
    return title if title and title.strip() else str(slide["heading"])


def _table(rows: dict[str, Any] | None, display: Display) -> str:
    if not rows:
        return "<p>No table for this step (it uses a custom JavaScript filter).</p>"
    dims = len(rows["columns"]) - rows["measures"]
    number = ' class="number"'
    head = "".join(
        f'<th scope="col"{number if i >= dims else ""}>{html.escape(display.name(str(c)))}</th>'
        for i, c in enumerate(rows["columns"])
    )
    body = []
    columns = rows["columns"]
    for row in rows["rows"]:
        cells = [
            f'<th scope="row">{html.escape(display.label(columns[i], str(v)) if v is not None else MISSING)}</th>'
            if i < dims
            else f'<td class="number">{html.escape(display.number(columns[i], v))}</td>'
            for i, v in enumerate(row)
        ]
        body.append(f"<tr>{''.join(cells)}</tr>")
    more = (
        f"<p>First {len(rows['rows'])} of {rows['total']} rows.</p>"
        if rows["total"] > len(rows["rows"])
        else ""
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"
