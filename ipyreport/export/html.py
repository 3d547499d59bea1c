"""A story as one self-contained HTML document that plays offline.

The Vizzu module, its WebAssembly and the player's bundle (all
gzip-compressed, inflated by the browser's ``DecompressionStream``) and the
story travel inside the file. A strict Content-Security-Policy allows
only the one bootstrap script (by hash), ``blob:`` modules and WebAssembly,
so the page can reach no network and runs no injected script.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import gzip
import hashlib
import html
import json
import os
import re
from collections.abc import Sequence
from importlib import resources
from typing import Any

from ipyreport import assets
from ipyreport._errors import IpyreportError
from ipyreport._version import __version__
from ipyreport.document import Document, link_to, load, repeats_headline
from ipyreport.export._dense import DECODE_JS, encode
from ipyreport.themes import BACKGROUND, INK

__all__ = ["PAGE_FONT", "iframe", "notebook_fallback", "render"]

# The chart engine's own type (its default style's fontFamily), so a page's words and
# its charts read in one family; player.css sets the same on the player.
PAGE_FONT = "Roboto, sans-serif"

BOOTSTRAP = (
    DECODE_JS
    + """
// Each packed script: densely written gzip, unpacked by the browser.
const unpack = (id) => {
  const element = document.getElementById(id);
  const gzipped = new Blob([dense(element.textContent, Number(element.dataset.length))]);
  return new Response(gzipped.stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
};
const [engine, wasm, code] = ["ipyreport-vizzu", "ipyreport-wasm", "ipyreport-code"].map(unpack);
// The player's style and its bundle (hosts/page.js: the page as the player's host).
const { css, player } = JSON.parse(new TextDecoder().decode(await code));
const page = await import(URL.createObjectURL(new Blob([player], { type: "text/javascript" })));
await page.play({ css, engine, wasm });
"""
)

# A notebook output's frame: the engine and the player's code come once per notebook, in the
# first story output (SHARED_ENGINE, outside its frame); each frame asks the page around it.
FRAME_BOOTSTRAP = (
    DECODE_JS
    + """
const shared = await new Promise((resolve) => {
  const ask = () => window.parent.postMessage({ type: "ipyreport-engine?" }, "*");
  const asking = setInterval(ask, 250);
  const missing = setTimeout(() => document.body.prepend(NOTICE), 8000);
  const answer = (event) => {
    if (event.source !== window.parent || event.data?.type !== "ipyreport-engine") return;
    removeEventListener("message", answer);
    clearInterval(asking);
    clearTimeout(missing);
    resolve(event.data);
  };
  addEventListener("message", answer);
  ask();
});
// Base64 here: a notebook stores outputs as JSON, which writes most of dense's characters as \\u escapes.
const unpack = (text) => {
  const gzipped = new Blob([Uint8Array.from(atob(text), (letter) => letter.charCodeAt(0))]);
  return new Response(gzipped.stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
};
const [engine, wasm, code] = [shared.vizzu, shared.wasm, shared.code].map(unpack);
const { css, player } = JSON.parse(new TextDecoder().decode(await code));
const page = await import(URL.createObjectURL(new Blob([player], { type: "text/javascript" })));
await page.play({ css, engine, wasm });
""".replace(
        "NOTICE",
        json.dumps(
            "This story's player comes with the first story this notebook's kernel showed; "
            "run the notebook from the top to show it here."
        ),
    )
)
# Beside the first story output of a notebook: the engine and the player's code, and what
# hands them to every story frame of the page that asks.
SHARED_ENGINE = """<script type="text/plain" id="ipyreport-shared-vizzu">{vizzu}</script>
<script type="text/plain" id="ipyreport-shared-wasm">{wasm}</script>
<script type="text/plain" id="ipyreport-shared-code">{code}</script>
<script>(() => {{
  if (window.ipyreportEngine) return;
  const read = (id) => document.getElementById(id).textContent.trim();
  const engine = {{ type: "ipyreport-engine", vizzu: read("ipyreport-shared-vizzu"),
    wasm: read("ipyreport-shared-wasm"), code: read("ipyreport-shared-code") }};
  window.ipyreportEngine = engine;
  addEventListener("message", (event) => {{
    if (event.data?.type === "ipyreport-engine?" && event.source) event.source.postMessage(engine, "*");
  }});
}})();</script>
"""

# What every page the player makes shares: its head (the policy, hidden until
# styled), the engine, the player's code, and the bootstrap that starts it.
_HEAD = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="generator" content="ipyreport {version}">
<title>{title}</title>
<style>.ipyreport {{ visibility: hidden; }}{page_style}</style>
</head>
<body>
"""
_ENGINE = """<script type="text/plain" id="ipyreport-vizzu" {vizzu}</script>
<script type="text/plain" id="ipyreport-wasm" {wasm}</script>
<script type="text/plain" id="ipyreport-code" {code}</script>
"""
_END = """<script type="module">{bootstrap}</script>
</body>
</html>
"""
_STORY = """<main id="ipyreport" class="ipyreport" tabindex="0" aria-roledescription="data story" aria-label="{title}" data-theme="{theme}" data-layout="{layout}" data-ipyreport-story="ipyreport-story" data-table="false" data-presenter="false" data-info="false">
{markup}
</main>
<noscript>This story needs JavaScript to play.</noscript>
"""
_STORY_JSON = """<script type="application/json" id="ipyreport-story">{story}</script>
"""
PAGE = _HEAD + _STORY + _ENGINE + _STORY_JSON + _END
# A notebook output's page: the same, its engine asked of the notebook page (FRAME_BOOTSTRAP).
FRAME_PAGE = _HEAD + _STORY + _STORY_JSON + _END

# JSON inside <script>: nothing here may close the element or start markup.
JSON_ESCAPES = (
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    (b"&", b"\\u0026"),
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
)


def script_json(document: bytes) -> str:
    """JSON made safe to sit inside a ``<script>`` element.

    >>> script_json(b'{"a":"</script>"}')
    '{"a":"\\\\u003c/script\\\\u003e"}'
    """
    for raw, escaped in JSON_ESCAPES:
        document = document.replace(raw, escaped)
    return document.decode("utf-8")


def _static(name: str) -> str:
    return resources.files("ipyreport").joinpath(name).read_text(encoding="utf-8")


def _raw_script(name: str, source: str) -> str:
    lowered = source.lower()
    if "</script" in lowered or "<!--" in lowered:
        msg = f"{name} cannot be inlined: it contains '</script' or '<!--'"
        raise ValueError(msg)
    return source


def _packed(data: bytes) -> str:
    """The rest of a script element holding ``data`` gzipped (deterministic: no timestamp)."""
    return _dense_script(gzip.compress(data, 9, mtime=0))


@functools.cache
def _engine_scripts() -> tuple[str, str]:
    """The engine's module and wasm as script contents: the same for every story,
    so written once per process (densely writing 180 KB takes a while)."""
    _raw_script("vizzu.min.js", assets.vizzu_module().decode("utf-8"))
    return (
        _dense_script(assets.vizzu_packed("vizzu.min.js")),
        _dense_script(assets.vizzu_packed("cvizzu.wasm")),
    )


def _dense_script(packed: bytes) -> str:
    """The rest of a script element: the gzip's length, then the gzip densely
    written (see ``_dense``); the page inflates it itself."""
    return f'data-length="{len(packed)}">{encode(packed)}'


def _csp(bootstrap: str = BOOTSTRAP) -> str:
    digest = base64.b64encode(hashlib.sha256(bootstrap.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; "
        f"script-src 'sha256-{digest}' blob: 'wasm-unsafe-eval'; "
        "connect-src data: blob:; img-src data: blob:; font-src data:; style-src 'unsafe-inline'; "
        "base-uri 'none'; form-action 'none'"
    )


def source_date() -> dt.datetime | None:
    """The build time pinned by ``SOURCE_DATE_EPOCH`` (reproducible builds), or None."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        msg = (
            f"SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC (such as "
            f"1767225600), got {epoch!r}; fix or unset it"
        )
        raise IpyreportError(msg) from None


def _made_at() -> str:
    moment = source_date() or dt.datetime.now(dt.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


LAYOUTS = ("slides", "scroll")


def render(document: bytes, *, layout: str = "slides") -> str:
    """The complete HTML page that plays a story document, offline.

    What ``Story.to_html()`` and ``Story.save_html()`` write.

    Parameters
    ----------
    document : bytes
        A story document's JSON (``Story.to_json()``).
    layout : {"slides", "scroll"}, default "slides"
        ``"slides"``: slides that step by key or click; ``"scroll"``: an
        article the reader scrolls, its text beside a chart that follows it.

    Returns
    -------
    str
        The page, with the chart engine, the player and the story inside it.

    Raises
    ------
    ValueError
        When ``layout`` is unknown.

    Examples
    --------
    >>> from ipyreport import Slide, Story, presets
    >>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]}, title="Sales",
    ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))])
    >>> page = render(story.to_json())
    >>> page.startswith("<!doctype html>"), "<title>Sales</title>" in page
    (True, True)
    """
    if layout not in LAYOUTS:
        msg = f"layout is one of {', '.join(LAYOUTS)}, got {layout!r}"
        raise ValueError(msg)
    return _page(document, layout, framed=False)


def _page(document: bytes, layout: str, *, framed: bool) -> str:
    """A story's page: whole, or (``framed``) for a notebook frame whose engine is shared."""
    settings = load(document)
    title = settings["title"] or "Data story"
    engine, wasm = _engine_scripts()
    bootstrap = FRAME_BOOTSTRAP if framed else BOOTSTRAP
    return (FRAME_PAGE if framed else PAGE).format(
        lang=html.escape(settings["lang"], quote=True),
        csp=_csp(bootstrap),
        version=__version__,
        title=html.escape(title, quote=True),
        theme=html.escape(settings["theme"], quote=True),
        layout=layout,
        page_style="",
        markup=_markup(settings, _footer(document), layout),
        vizzu=engine,
        wasm=wasm,
        code=_code(),
        story=script_json(document),
        bootstrap=bootstrap,
    )


def notebook_fallback(document: bytes, *, title: str, engine: bool) -> str:
    """A story output's HTML for front ends that show no widgets, its engine shared.

    nbconvert's HTML, or an editor without a widget manager, shows this
    instead of the live widget: the story in a sandboxed frame, like
    :func:`iframe` of :func:`render`, but without the chart engine and the
    player's code (about 230 KB). Those come once per notebook, beside the
    first story output (``engine=True``), and every frame on the page asks
    for them there; so a notebook of many stories carries them once.

    Parameters
    ----------
    document : bytes
        A story document's JSON (``Story.to_json()``).
    title : str
        The frame's title, which screen readers announce.
    engine : bool
        Carry the engine and the player's code for every story of the page.

    Returns
    -------
    str
        The HTML: the shared engine when asked, then the story's frame.

    Examples
    --------
    >>> from ipyreport import Slide, Story, presets
    >>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]}, title="Sales",
    ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))])
    >>> first = notebook_fallback(story.to_json(), title="Sales", engine=True)
    >>> later = notebook_fallback(story.to_json(), title="Sales", engine=False)
    >>> first.startswith('<script type="text/plain" id="ipyreport-shared-vizzu"'), later.startswith("<iframe")
    (True, True)
    >>> len(first) - len(later) > 150_000
    True
    """
    frame = iframe(_page(document, "slides", framed=True), title=title)
    if not engine:
        return frame
    return _shared_engine() + frame


@functools.cache
def _shared_engine() -> str:
    """The engine and the player's code as a notebook's first story output carries them."""

    def packed(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    sources = {"css": _static("export/player.css"), "player": assets.player_bundle("page")}
    code = gzip.compress(json.dumps(sources).encode("utf-8"), 9, mtime=0)
    return SHARED_ENGINE.format(
        vizzu=packed(assets.vizzu_packed("vizzu.min.js")),
        wasm=packed(assets.vizzu_packed("cvizzu.wasm")),
        code=packed(code),
    )


def _code() -> str:
    """The player's style and its bundle (``assets.player_bundle``), packed as one."""
    sources = {"css": _static("export/player.css"), "player": assets.player_bundle("page")}
    return _packed(json.dumps(sources).encode("utf-8"))


# A notebook's article: its prose between the stories.
CHAPTERS_STYLE = f"""
body {{ margin: 0; font-family: {PAGE_FONT}; color: {INK["light"]}; background: {BACKGROUND["light"]}; }}
.ipyreport-prose {{ max-width: 42rem; margin: 0 auto; padding: 1rem; line-height: 1.55; }}
.ipyreport-prose img {{ display: none; }}
"""
CHAPTERS = (
    _HEAD
    + """<main class="ipyreport-notebook">
{content}
</main>
"""
    + _ENGINE
    + "{stories}\n"
    + _END
)


def render_chapters(parts: Sequence[str | bytes], *, title: str, lang: str = "en") -> str:
    """One article from prose and stories in turn (a notebook's markdown cells and the
    stories its code cells showed): ``str`` parts are safe HTML, ``bytes`` story
    documents, each scrolled beside its own chart."""
    content = []
    scripts = []
    stories = 0
    for part in parts:
        if isinstance(part, str):
            content.append(f'<div class="ipyreport-prose">{part}</div>')
            continue
        stories += 1
        settings = load(part)
        root = "ipyreport" if stories == 1 else f"ipyreport-{stories}"
        label = html.escape(settings["title"] or f"Data story {stories}", quote=True)
        content.append(
            f'<section id="{root}" class="ipyreport" tabindex="-1" aria-roledescription="data story" '
            f'aria-label="{label}" data-theme="{html.escape(settings["theme"], quote=True)}" '
            f'data-layout="scroll" data-ipyreport-story="ipyreport-story-{stories}" '
            'data-table="false" data-presenter="false" data-info="false">'
            f"{_markup(settings, _footer(part), 'scroll', prefix=f'{stories}-')}</section>"
        )
        scripts.append(
            f'<script type="application/json" id="ipyreport-story-{stories}">{script_json(part)}</script>'
        )
    if not stories:
        msg = "an article needs at least one story"
        raise ValueError(msg)
    engine, wasm = _engine_scripts()
    return CHAPTERS.format(
        lang=html.escape(lang, quote=True),
        csp=_csp(),
        version=__version__,
        title=html.escape(title, quote=True),
        page_style=CHAPTERS_STYLE,
        content="\n".join(content),
        vizzu=engine,
        wasm=wasm,
        code=_code(),
        stories="\n".join(scripts),
        bootstrap=BOOTSTRAP,
    )


def _footer(document: bytes) -> str:
    """When and by what a story's page was made, and a short hash of the story."""
    fingerprint = hashlib.sha256(document).hexdigest()[:12]
    return f"Made with ipyreport {__version__} on {_made_at()} · story {fingerprint}"


def _markup(document: Document, footer: str, layout: str, prefix: str = "") -> str:
    """The player's markup; for an article, the story's words in blocks beside it
    (``prefix`` keeps block ids apart when one page holds several stories)."""
    player = _static("export/player.html").replace(
        '<footer class="ipyreport-footer"></footer>',
        f'<footer class="ipyreport-footer">{html.escape(footer)}</footer>',
    )
    if layout != "scroll":
        return player
    esc = html.escape
    parts = [
        '<div class="ipyreport-article-bar"><progress class="ipyreport-article-progress" '
        'aria-label="Progress through the story" value="0" max="1"></progress>'
        '<button type="button" class="ipyreport-print">Print with pictures</button></div>',
        '<div class="ipyreport-article"><article class="ipyreport-blocks">',
    ]
    if document["title"]:
        parts.append(f'<h1 class="ipyreport-article-title">{esc(document["title"])}</h1>')
    for s, slide in enumerate(document["slides"], start=1):
        runs = _blocks(slide["steps"])
        told = _told(str(slide.get("notes") or ""), len(runs))
        for (first, last), notes in zip(runs, told, strict=True):
            step = slide["steps"][first - 1]
            name = prefix + link_to(s, first).removeprefix("#")
            words = []
            if first == 1 and slide.get("title"):
                words.append(f"<h2>{esc(str(slide['title']))}</h2>")
            if first == 1 and slide.get("subtitle"):
                words.append(f"<p>{esc(str(slide['subtitle']))}</p>")
            if first == 1 and slide.get("dek"):
                words.append(f'<p class="ipyreport-dek">{esc(str(slide["dek"]))}</p>')
            titles = [chart["config"].get("title") for chart in step.get("charts") or [] if chart]
            if first == last:
                titles.append((step.get("config") or {}).get("title"))
            # A chart title that repeats the slide's headline is said once, by the headline.
            for title in dict.fromkeys(
                t
                for t in titles
                if isinstance(t, str) and t.strip() and not repeats_headline(t, slide.get("title"))
            ):
                words.append(f"<h3>{esc(title)}</h3>")
            said = [text for text in (notes, _own_words(step)) if text]
            for sentence in said or [_read_out(step, document["words"])]:
                words.append(f'<p class="ipyreport-block-notes">{esc(sentence)}</p>')
            if first != last:
                words.append(_scrubber(slide["steps"], first, last))
            parts.append(
                f'<section class="ipyreport-block" id="{name}" data-slide="{s}" data-step="{first}">'
                f'<a class="ipyreport-anchor" href="#{name}" aria-label="Link to step {name}">#{name}</a>'
                f"{''.join(words)}"
                f'<img class="ipyreport-block-picture" alt="{esc(step.get("alt") or "", quote=True)}" hidden>'
                "</section>"
            )
    parts.append(f'</article><div class="ipyreport-sticky">{player}</div></div>')
    return "".join(parts)


# A run of at least this many steps that differ only in their title and filter (a
# timeline's moments) is one block of the article, with a scrubber.
_RUN = 3


def _blocks(steps: Sequence[Any]) -> list[tuple[int, int]]:
    """The article's blocks of a slide: each step (1-based) on its own, and each
    timeline (a run of steps that change only their title and filter) as one.

    >>> moment = lambda year: {"config": {"title": str(year), "x": "pop"}, "filter": {"year": year}}
    >>> _blocks([{"config": {"title": "World"}}, *[moment(y) for y in range(1952, 1967, 5)]])
    [(1, 1), (2, 4)]
    """

    def frame(step: Any) -> Any:
        config = {
            k: v for k, v in (step.get("config") or {}).items() if k not in ("title", "subtitle")
        }
        # What a moment may change beside its title and filter: its words, its pace.
        own = ("config", "filter", "alt", "table", "text", "animation", "hold")
        rest = {k: v for k, v in step.items() if k not in own}
        return (config, rest) if "filter" in step and "highlight" not in step else None

    runs: list[tuple[int, int]] = []
    k = 1
    while k <= len(steps):
        last = k
        while (
            last < len(steps)
            and frame(steps[k - 1]) is not None
            and frame(steps[last]) == frame(steps[k - 1])
        ):
            last += 1
        if last - k + 1 >= _RUN:
            runs.append((k, last))
        else:
            runs.extend((own, own) for own in range(k, last + 1))
        k = last + 1
    return runs


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=\S)")


def _told(notes: str, blocks: int) -> list[str]:
    """A slide's notes told along its blocks, in order: its sentences shared out (the
    first block tells the first), a block past the last sentence telling none.

    >>> _told("One. Two. Three.", 2), _told("One. Two.", 3)
    (['One.', 'Two. Three.'], ['One.', 'Two.', ''])
    """
    sentences = [part for part in _SENTENCE.split(" ".join(notes.split())) if part]
    if len(sentences) <= blocks:
        return sentences + [""] * (blocks - len(sentences))
    share = [len(sentences) * b // blocks for b in range(blocks + 1)]
    return [" ".join(sentences[share[b] : share[b + 1]]) for b in range(blocks)]


def _own_words(step: Any) -> str:
    """A step's own sentence: its caption, else the note it points with."""
    config = step.get("config") or {}
    for words in (config.get("caption"), (step.get("highlight") or {}).get("note")):
        if isinstance(words, str) and words.strip():
            return words
    return ""


def _read_out(step: Any, words: dict[str, Any]) -> str:
    """What a step shows in numbers, from its text alternative: without the title and
    the sentence naming the chart's kind, which the chart says itself."""
    alt = " ".join(str(step.get("alt") or "").split())
    kinds = tuple(str(kind) for kind in (words.get("kinds") or {}).values())
    title = str((step.get("config") or {}).get("title") or "")
    kept = [
        sentence
        for sentence in _SENTENCE.split(alt)
        if sentence.rstrip(".") != title and not (kinds and sentence.startswith(kinds))
    ]
    return " ".join(kept)


def _scrubber(steps: Sequence[Any], first: int, last: int) -> str:
    """A timeline's moments as one slider: each position a step, named by its title."""
    moments = [
        str((steps[k - 1].get("config") or {}).get("title") or k) for k in range(first, last + 1)
    ]
    return (
        '<div class="ipyreport-scrub">'
        f'<input type="range" min="{first}" max="{last}" step="1" value="{first}" '
        f'aria-label="Moment" aria-valuetext="{html.escape(moments[0], quote=True)}" '
        f'data-moments="{html.escape(json.dumps(moments), quote=True)}">'
        f'<output aria-hidden="true">{html.escape(moments[0])}</output></div>'
    )


def iframe(document: str, *, title: str, height: int = 540) -> str:
    """An ``<iframe srcdoc>`` that shows a rendered story inside a notebook.

    The frame may run the player's scripts but gets an origin of its own, so
    nothing in it can reach the notebook page around it.

    Parameters
    ----------
    document : str
        A page, as :func:`render` writes it.
    title : str
        The frame's title, which screen readers announce.
    height : int, default 540
        The frame's height in pixels (its width is the output's).

    Returns
    -------
    str
        The ``<iframe>`` element, the page escaped into its ``srcdoc``.

    Examples
    --------
    >>> iframe("<p>Hi</p>", title="Sales", height=300)
    '<iframe srcdoc="&lt;p&gt;Hi&lt;/p&gt;" title="Sales" style="width:100%;height:300px;border:0" sandbox="allow-scripts" allow="fullscreen"></iframe>'
    """
    return (
        f'<iframe srcdoc="{html.escape(document, quote=True)}" title="{html.escape(title, quote=True)}" '
        f'style="width:100%;height:{height}px;border:0" sandbox="allow-scripts" allow="fullscreen"></iframe>'
    )
