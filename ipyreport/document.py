"""The story document: the one JSON every output renders.

:meth:`ipyreport.Story.to_json` writes it once; the HTML player, the
notebook widget, the PDF handout and the video read it and nothing else,
the way Vega-Altair's outputs render ``Chart.to_dict()``. Its shape is
written down twice, as types here (for the code that reads it) and as a
JSON Schema shipped next to the package
(``ipyreport/schema/story-document.schema.json``, for anyone else), and a
test checks documents against the schema.

A document holds the story's settings (title, language, theme, style,
tooltips, loop, provenance), its slides — each a list of steps, or a
dashboard whose steps are frames of its charts — and its datasets in
Vizzu's data format. Every step carries what it shows for people who
cannot see it: a text alternative and the table of numbers it draws.

>>> from ipyreport import Slide, Story, presets
>>> story = Story({"r": ["a", "b"], "v": [1.0, 2.0]}, slides=[Slide(presets.chart(kind="column", x="r", y="v"))])
>>> document = story.to_dict()
>>> slide_lengths(document), step_seconds(document)
([1], [1.0])
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from typing import Any, TypedDict

import orjson

from ipyreport._motion import STEP_SECONDS as DEFAULT_STEP_SECONDS
from ipyreport._motion import duration_seconds
from ipyreport.formats import NumberFormat
from ipyreport.themes import Brand

__all__ = [
    "MAX_HEIGHT",
    "MIN_HEIGHT",
    "DataProvenance",
    "Document",
    "FileFingerprint",
    "Frame",
    "Provenance",
    "SlideEntry",
    "StepEntry",
    "Table",
    "categories",
    "chart_titles",
    "cross_filters",
    "duration_seconds",
    "heading",
    "link_to",
    "load",
    "playable",
    "player_height",
    "repeats_headline",
    "rest_seconds",
    "schema",
    "slide_lengths",
    "step_seconds",
]

# How long play mode rests on a step when the story, its slide and the step say nothing.
DEFAULT_HOLD_SECONDS = 2.0
# A player's height in pixels: less shows no chart, more than any screen is a mistake.
MIN_HEIGHT = 100
MAX_HEIGHT = 10_000


class Table(TypedDict):
    """The numbers a step draws: one row per mark, dimensions first (at most 100 rows kept)."""

    columns: list[str]
    rows: list[list[Any]]
    total: int
    measures: int


class StepEntry(TypedDict, total=False):
    """One step: what the player animates to, and what it shows in words and numbers."""

    config: dict[str, Any]
    style: dict[str, Any]
    filter: dict[str, Any] | None  # absent: keep the chart's filter; null: show every row
    animation: dict[str, Any]
    complete: bool
    data: str  # a dataset other than "main"
    hold: float
    text: dict[str, list[Any]]  # templated texts: literal pieces and computed expressions
    alt: str
    table: Table | None


class Frame(TypedDict):
    """One step of a dashboard: each chart's step (None: it holds its last one)."""

    charts: list[StepEntry | None]
    alts: list[str]
    tables: list[Table | None]
    names: list[str]
    shows: list[list[str]]
    alt: str


class SlideEntry(TypedDict, total=False):
    """A slide: ``steps`` are steps, or frames when ``kind`` is ``"dashboard"``."""

    title: str | None
    dek: str  # a sentence under the headline
    source: str  # the line under the chart: where the data comes from
    notes: str | None
    alt: str | None
    kind: str  # "dashboard", or "cover" (a theme's title or closing slide: no chart)
    subtitle: str | None
    hold: float
    heading: str  # the words naming the slide wherever it is named (see ``heading``)
    headingShown: bool  # whether a page shows the heading (else screen readers only)
    text: dict[str, list[Any]]  # templated title, dek and notes: pieces and computed expressions
    columns: int
    crossFilter: list[str]
    steps: list[Any]


class FileFingerprint(TypedDict, total=False):
    """A file a story's data was read from: its path, size and content hash.

    The path is relative to the spec; data too large to hash is known by its
    modification time instead.
    """

    path: str
    size: int
    sha256: str
    mtime: str


class DataProvenance(TypedDict):
    """The data a story holds (rows, hash) and what stands for its source's content."""

    rows: int
    sha256: str
    source: dict[str, Any]  # kind, the spec's fields for it, files: list[FileFingerprint], sql...


class _Placed(TypedDict, total=False):
    specPath: str  # the spec, relative to the output's folder (written by ``ipyreport build``)


class Provenance(_Placed):
    """How a story built from a spec was made (``ipyreport build --check-fresh`` reads it)."""

    spec: str
    resolved: dict[str, Any]
    parameters: dict[str, str | int | float | bool]
    overrides: list[str]
    data: DataProvenance
    versions: dict[str, str]
    built: str


class Document(TypedDict):
    """The whole story, as every output reads it."""

    title: str | None
    lang: str
    style: dict[str, Any] | None
    theme: str
    tooltips: bool
    loop: bool
    hold: float  # seconds play mode rests on a step (a slide's or step's own "hold" wins)
    rests: list[float]  # seconds play mode rests on each step, in playing order (``rest_seconds``)
    words: dict[str, Any]  # the caption words of the story's language (``words/<lang>.json``)
    provenance: Provenance | None
    formats: dict[str, NumberFormat]
    plainFormat: NumberFormat
    labels: dict[str, dict[str, str]]
    names: dict[str, str]  # display names of columns and aggregates, where they differ
    colors: dict[str, dict[str, str]]  # per dimension that colours marks, each category's colour
    brand: Brand | None  # the story's theme, its files embedded
    slides: list[SlideEntry]
    placeholders: dict[str, int]
    datasets: dict[str, Any]


def load(document: Document | bytes | str) -> Document:
    """A document from its JSON text or bytes (or itself).

    Parameters
    ----------
    document : Document, bytes or str
        A story document, or its JSON (``Story.to_json()``).

    Returns
    -------
    Document
        The document as Python values; not checked (see :func:`playable`).

    Examples
    --------
    >>> load(b'{"title": "Sales", "slides": []}')["title"]
    'Sales'
    """
    if isinstance(document, (bytes, str)):
        loaded: Document = orjson.loads(document)
        return loaded
    return document


def playable(text: str | bytes) -> Document:
    """``text`` as a document a player can stand in: JSON holding slides, each with steps.

    A player refuses such a story and keeps the one it plays.

    Parameters
    ----------
    text : str or bytes
        A story document's JSON (``Story.to_json()``).

    Returns
    -------
    Document
        The loaded document.

    Raises
    ------
    ValueError
        Saying what is missing: the text is not JSON, has no slides with
        steps, or lacks the rests, headings and words a player reads (an
        older ipyreport's document).

    Examples
    --------
    >>> text = '{"slides": [{"heading": "Sales", "steps": [{}]}], "rests": [2.0], "words": {}}'
    >>> playable(text)["slides"][0]["heading"]
    'Sales'
    >>> playable('{"slides": []}')
    Traceback (most recent call last):
    ...
    ValueError: story is a story document's JSON (Story.to_json()): a mapping whose slides each hold steps
    """
    try:
        loaded = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        msg = f"story is a story document's JSON (Story.to_json()), and this is not JSON: {error}"
        raise ValueError(msg) from None
    slides = loaded.get("slides") if isinstance(loaded, dict) else None
    if (
        not isinstance(slides, list)
        or not slides
        or not all(isinstance(s, dict) and isinstance(s.get("steps"), list) for s in slides)
    ):
        msg = "story is a story document's JSON (Story.to_json()): a mapping whose slides each hold steps"
        raise ValueError(msg)
    steps = sum(len(s["steps"]) for s in slides)
    rests = loaded.get("rests")
    if (
        not isinstance(rests, list)
        or len(rests) != steps
        or not all(isinstance(s.get("heading"), str) for s in slides)
        or not isinstance(loaded.get("words"), dict)
    ):
        msg = "story is a story document without the rests, headings and words a player reads (an older ipyreport's?); write it again with Story.to_json()"
        raise ValueError(msg)
    document: Document = loaded
    return document


def player_height(value: Any) -> int:
    """``value`` if it is a player's height in pixels.

    Parameters
    ----------
    value : object
        What a user gave as a height.

    Returns
    -------
    int
        ``value``, a whole number from ``MIN_HEIGHT`` to ``MAX_HEIGHT``.

    Raises
    ------
    ValueError
        Saying the range, when ``value`` is not such a number.

    Examples
    --------
    >>> player_height(540)
    540
    >>> player_height(50)
    Traceback (most recent call last):
    ...
    ValueError: height is the player's height in pixels, from 100 to 10,000; got 50
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not MIN_HEIGHT <= value <= MAX_HEIGHT
    ):
        msg = f"height is the player's height in pixels, from {MIN_HEIGHT} to {MAX_HEIGHT:,}; got {value!r:.40}"
        raise ValueError(msg)
    return value


def schema() -> dict[str, Any]:
    """The document's JSON Schema (draft 2020-12).

    Returns
    -------
    dict
        The schema, as shipped in ``ipyreport/schema/story-document.schema.json``.

    Examples
    --------
    >>> schema()["$schema"]
    'https://json-schema.org/draft/2020-12/schema'
    """
    text = resources.files("ipyreport").joinpath("schema/story-document.schema.json").read_text()
    result: dict[str, Any] = json.loads(text)
    return result


def is_dashboard(slide: Mapping[str, Any]) -> bool:
    """Whether a slide entry is a dashboard (its steps are frames)."""
    return slide.get("kind") == "dashboard"


def slide_lengths(document: Document) -> list[int]:
    """How many steps each slide has.

    Parameters
    ----------
    document : Document
        A story document.

    Returns
    -------
    list of int
        One count per slide, in order.

    Examples
    --------
    >>> slide_lengths({"slides": [{"steps": [{}, {}]}, {"steps": [{}]}]})
    [2, 1]
    """
    return [len(slide["steps"]) for slide in document["slides"]]


def cross_filters(document: Document) -> dict[int, list[str]]:
    """Per dashboard, the dimensions a click filters by.

    Parameters
    ----------
    document : Document
        A story document.

    Returns
    -------
    dict of int to list of str
        Each dashboard's 1-based slide number and its cross-filter dimensions
        (empty when clicks filter nothing).

    Examples
    --------
    >>> cross_filters({"slides": [{"steps": []}, {"kind": "dashboard", "crossFilter": ["Region"], "steps": []}]})
    {2: ['Region']}
    """
    return {
        number: list(slide.get("crossFilter", []))
        for number, slide in enumerate(document["slides"], start=1)
        if is_dashboard(slide)
    }


def categories(document: Document, name: str) -> set[str]:
    """Every category of the dimension ``name`` in any of the document's datasets.

    Parameters
    ----------
    document : Document
        A story document.
    name : str
        A dimension's column name.

    Returns
    -------
    set of str
        Its category labels (empty when no dataset has that dimension).

    Examples
    --------
    >>> series = {"name": "Region", "type": "dimension", "categories": ["North", "South"], "values": [0, 1]}
    >>> sorted(categories({"datasets": {"main": {"series": [series]}}}, "Region"))
    ['North', 'South']
    """
    found: set[str] = set()
    for data in document["datasets"].values():
        for series in data["series"]:
            if series["name"] == name and series["type"] == "dimension":
                found.update(series["categories"])
    return found


class Positions:
    """Where a player of a document can stand: a slide, one of its steps, and on a
    dashboard a cross-filter. Every player (the notebook widget, Panel's) checks
    a move here; a wrong one is a ``ValueError`` that says what would be right.
    """

    def __init__(self, document: Document) -> None:
        self._document = document
        self.lengths = slide_lengths(document)
        self._cross_filters = cross_filters(document)

    def slide(self, value: int) -> int:
        """``value`` if the document has that slide (1-based)."""
        if isinstance(value, bool) or not isinstance(value, int):
            msg = f"slide is a number from 1 to {len(self.lengths)}, got {value!r:.40}"
            raise ValueError(msg)  # noqa: TRY004 - every wrong move is one ValueError
        if not 1 <= value <= len(self.lengths):
            msg = f"slide must be from 1 to {len(self.lengths)}, got {value}"
            raise ValueError(msg)
        return value

    def step(self, slide: int, value: int) -> int:
        """``value`` if ``slide`` has that step (1-based)."""
        count = self.lengths[slide - 1]
        if isinstance(value, bool) or not isinstance(value, int):
            msg = f"step is a number from 1 to {count}, got {value!r:.40}"
            raise ValueError(msg)  # noqa: TRY004 - every wrong move is one ValueError
        if not 1 <= value <= count:
            msg = f"slide {slide} has steps 1 to {count}, got step {value}"
            raise ValueError(msg)
        return value

    def arriving(
        self, slide: int, step: int, selection: Mapping[str, str]
    ) -> tuple[int, dict[str, str]]:
        """The step and cross-filter a player keeps on moving to ``slide``: its step if the
        slide has it (else the first), its cross-filter if the slide filters by it (else none)."""
        names = self._cross_filters.get(slide)
        kept = not selection or (names is not None and all(n in names for n in selection))
        return (step if step <= self.lengths[slide - 1] else 1), (dict(selection) if kept else {})

    def selection(self, slide: int, value: Mapping[str, str]) -> dict[str, str]:
        """``value`` if it is a cross-filter of the dashboard ``slide`` by its categories."""
        from ipyreport._errors import closest

        value = dict(value)
        if not value:
            return value
        for name, label in value.items():
            if not isinstance(name, str) or not isinstance(label, str):
                msg = f"a cross-filter maps a dimension to one of its categories, as text; got {name!r}: {label!r:.40}"
                raise ValueError(msg)  # noqa: TRY004 - every wrong move is one ValueError
        names = self._cross_filters.get(slide)
        if names is None:
            msg = f"slide {slide} is not a dashboard, so it has no cross-filter; go to a dashboard slide first"
            raise ValueError(msg)
        unknown = [name for name in value if name not in names]
        if unknown:
            msg = f"slide {slide} cross-filters by {list(names)}, not by {unknown}"
            raise ValueError(msg)
        for name, label in value.items():
            known = categories(self._document, name)
            if label not in known:
                hint = closest(label, known) or f"; its categories are {sorted(known)[:10]}"
                msg = f"{name!r} has no category {label!r}{hint}"
                raise ValueError(msg)
        return value


# The engine's text form of a duration (its types' pattern): seconds unless "ms".
def _seconds(step: Mapping[str, Any] | None) -> float | None:
    if step is None:
        return None
    duration = duration_seconds((step.get("animation") or {}).get("duration"))
    return DEFAULT_STEP_SECONDS if duration is None else duration


def step_seconds(document: Document) -> list[float]:
    """Seconds each step's transition takes, in playing order.

    A dashboard frame takes as long as its longest chart's transition; a step
    that says nothing takes the engine's default.

    Parameters
    ----------
    document : Document
        A story document.

    Returns
    -------
    list of float
        One duration per step, slide after slide.

    Examples
    --------
    >>> step_seconds({"slides": [{"steps": [{"animation": {"duration": "500ms"}}, {"animation": {"duration": 2}}]}]})
    [0.5, 2.0]
    """
    result: list[float] = []
    for slide in document["slides"]:
        for step in slide["steps"]:
            if is_dashboard(slide):
                playing = [s for s in map(_seconds, step["charts"]) if s is not None]
                result.append(max(playing, default=DEFAULT_STEP_SECONDS))
            else:
                result.append(_seconds(step) or DEFAULT_STEP_SECONDS)
    return result


def chart_titles(slide: Mapping[str, Any], chart: int | None = None) -> list[str | None]:
    """The title a slide's chart shows after each of its steps.

    The step's own, else the one shown before it, as the engine keeps a title
    until a step sets another; an empty title clears it. The player's engine
    holds titles so; every other output (PowerPoint, the PDF handout) reads
    them here.

    Parameters
    ----------
    slide : mapping
        A slide entry of a document.
    chart : int, optional
        On a dashboard, the chart (0-based).

    Returns
    -------
    list of str or None
        One title per step (``None``: no title shown).

    Examples
    --------
    >>> step = lambda **config: {"config": config}
    >>> chart_titles({"steps": [step(title="World"), step(x="pop"), step(title=""), step()]})
    ['World', 'World', None, None]
    >>> board = {"steps": [{"charts": [step(title="Sales"), None]}, {"charts": [None, step(title="Units")]}]}
    >>> chart_titles(board, 0), chart_titles(board, 1)
    (['Sales', 'Sales'], [None, 'Units'])
    """
    shown: str | None = None
    titles: list[str | None] = []
    for step in slide["steps"]:
        entry = step if chart is None else step["charts"][chart]
        config = (entry or {}).get("config") or {}
        if "title" in config:
            title = config["title"]
            shown = str(title) if title else None
        titles.append(shown)
    return titles


def link_to(slide: int, step: int) -> str:
    """The link to a step: ``#3.1``, even where the slide has one step.

    The player writes it in the address as the story moves (``controllers.js``'s
    ``linkTo``, held to this by the conformance fixtures) and the article names
    its blocks with it, so a link copied from either opens the same step.

    Parameters
    ----------
    slide : int
        The slide, 1-based.
    step : int
        The step on that slide, 1-based.

    Returns
    -------
    str
        The fragment, with its ``#``.

    Examples
    --------
    >>> link_to(3, 1)
    '#3.1'
    """
    return f"#{slide}.{step}"


def heading(slide: Mapping[str, Any], title: str | None, number: int) -> tuple[str, bool]:
    """The words that name a slide wherever it is named, and whether a page shows them.

    The slide's title, else the story's ``title``, else "Slide 3". The
    player's heading, its presenter view, the video's title band, the PDF
    handout and the next-slide hint all read this (the document carries it as
    ``heading`` and ``headingShown``). A page shows it when the slide or the
    story has a title and the slide is not a cover (a cover shows its title
    large); otherwise it is there for screen readers only.

    Parameters
    ----------
    slide : mapping
        A slide entry of a document.
    title : str or None
        The story's title.
    number : int
        The slide's number, 1-based.

    Returns
    -------
    words : str
        The heading.
    shown : bool
        Whether a page shows it.

    Examples
    --------
    >>> heading({"title": ""}, "Sales", 2), heading({"title": None}, None, 3)
    (('Sales', True), ('Slide 3', False))
    """
    named = slide.get("title") or title
    return named or f"Slide {number}", bool(named) and slide.get("kind") != "cover"


def repeats_headline(title: Any, headline: Any) -> bool:
    """Whether a chart's title says what the headline above it says, so it is said once.

    Titles compare with spaces at their ends and letter case set aside. The
    article leaves such a title out of its block, and the player leaves it off
    the chart (``words.js``'s ``repeatsHeadline`` is the twin).

    Parameters
    ----------
    title : str or None
        The chart's title.
    headline : str or None
        The words above the chart: the slide's headline.

    Returns
    -------
    bool
        True when both are words and the same words.

    Examples
    --------
    >>> repeats_headline("Revenue by region ", "revenue by Region"), repeats_headline("", "")
    (True, False)
    """
    if not isinstance(title, str) or not isinstance(headline, str) or not title.strip():
        return False
    return title.strip().casefold() == headline.strip().casefold()


def rest_seconds(document: Mapping[str, Any]) -> list[float]:
    """Seconds play mode (and the video) rests on each step once its transition has played.

    The step's own hold, else its slide's, else the story's, else
    ``DEFAULT_HOLD_SECONDS`` (a dashboard frame: its playing charts' longest).

    Parameters
    ----------
    document : mapping
        A story document (its ``hold`` and ``slides``).

    Returns
    -------
    list of float
        One rest per step, in playing order.

    Examples
    --------
    >>> rest_seconds({"hold": None, "slides": [{"hold": 0.5, "steps": [{}, {"hold": 3}]}]})
    [0.5, 3.0]
    """

    def said(value: Any) -> float | None:
        return None if value is None else float(value)

    result: list[float] = []
    for slide in document["slides"]:
        fallback = said(slide.get("hold"))
        if fallback is None:
            fallback = said(document.get("hold"))
        if fallback is None:
            fallback = DEFAULT_HOLD_SECONDS
        for step in slide["steps"]:
            playing = [c for c in step["charts"] if c] if is_dashboard(slide) else [step]
            rests = [said(entry.get("hold")) for entry in playing]
            result.append(max((fallback if r is None else r for r in rests), default=fallback))
    return result
