"""A story's words: which data each text reads, its captions, and what a player re-reads.

Every text of a story — a slide's title and notes, a chart's title, subtitle
and caption, a highlight's note, an alt text — may be a template (see
:mod:`ipyreport._templates`). :func:`narrate` reads each in the data of its
step (a chart's text its own step; a slide's text every row its steps
draw; a dashboard's text all its data), through :mod:`ipyreport._expressions`,
and writes every step's caption (:mod:`ipyreport._describe`). For a lazy
story each query runs in its source's engine, under the step's own filter.
What a dashboard's texts read is also stood in for as charts
(:func:`text_state`), so the data its player re-reads them over under a
click keeps it exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ipyreport._describe import Caption, caption, words
from ipyreport._errors import StepError
from ipyreport._expressions import (
    Eager,
    Pushed,
    Rendered,
    Rows,
    Scope,
    chart_measure,
    parse_located,
    render,
)
from ipyreport._filters import Filter
from ipyreport._plan import (
    ChartState,
    Planned,
    Played,
    StoryPlan,
    cross_filters,
)
from ipyreport._slides import AnySlide, Dashboard
from ipyreport._templates import Template
from ipyreport.data import Measure, VizzuData
from ipyreport.formats import Display
from ipyreport.lazy import LazySource
from ipyreport.step import Step

__all__ = [
    "AUTO",
    "Narration",
    "board_text_states",
    "narrate",
    "quoted_columns",
    "text_state",
]

# --- a story's words ---------------------------------------------------------------


Position = tuple[int, int | None, int]  # slide, dashboard chart (None: the main chart), step


def needs_of(
    node: Mapping[str, Any], measure: tuple[str, str] | None
) -> tuple[list[str], list[tuple[str, str]]]:
    """The dimensions an expression groups or filters by, and the (measure, aggregator)
    pairs it reads (``measure``: the chart's, which a bare ``D.top`` ranks by)."""
    dims: list[str] = []
    measures: list[tuple[str, str]] = []
    op = node.get("op")
    if op == "rank":
        dims.append(node["dimension"])
        if node["which"] in ("top", "bottom"):
            by = node["by"]
            pair = (by["column"], by["fn"]) if by else measure
            if pair is not None:
                measures.append(pair)
    elif op == "aggregate":
        if node["fn"] == "count":
            dims.append(node["column"])  # a measure's count is told apart by its role later
        else:
            measures.append((node["column"], node["fn"]))
    elif op in ("change", "share"):
        measures.append((node["column"], "sum"))
        if op == "change":
            dims.append(node["along"])
    for column, wanted in node.get("where", []):
        dims.append(column)
        if "op" in wanted:
            more_dims, more = needs_of(wanted, measure)
            dims.extend(more_dims)
            measures.extend(more)
    return list(dict.fromkeys(dims)), list(dict.fromkeys(measures))


def text_state(
    templates: Sequence[Template], state: ChartState, reads: Sequence[str] = ()
) -> ChartState | None:
    """A stand-in chart for what ``templates`` read from ``state``'s data, so the data a
    player re-evaluates them over (a dashboard's, under a click) keeps it exactly."""
    measure = chart_measure(state)
    dims: list[str] = []
    measures: list[tuple[str, str]] = []
    for template in templates:
        for expression in template.expressions:
            more_dims, more = needs_of(expression.node, measure)
            dims.extend(more_dims)
            measures.extend(more)
    known = state.data.names
    counted = [name for name in dims if name in known and isinstance(state.data[name], Measure)]
    measures.extend((name, "count") for name in counted)
    dims = [name for name in dict.fromkeys(dims) if name in known and name not in counted]
    measures = [pair for pair in dict.fromkeys(measures) if pair[0] in known]
    if not dims and not measures:
        return None
    channels: dict[str, list[Any]] = {
        "x": list(dims),
        "y": [{"name": name, "aggregator": fn} for name, fn in measures],
    }
    return ChartState(channels, {}, state.filter, state.data, reads=tuple(reads), text=True)


def templates_of(text: str | None, used: str, field: str) -> list[Template]:
    """``text`` parsed when it holds expressions (none for plain text or ``"auto"``)."""
    from ipyreport._templates import is_template

    if not text or not is_template(text):
        return []
    return [parse_located(text, used, field)]


@dataclass
class Narration:
    """Every text of a story with its expressions computed, and every step's caption."""

    captions: dict[Position, Caption]
    steps: dict[Position, dict[str, Rendered]]  # a step's "title", "note" (its highlight's), "alt"
    slides: dict[
        int, dict[str, Rendered | str]
    ]  # a slide's "title", "dek", "notes" ("auto": captions)
    states: list[tuple[str, ChartState]]  # per dataset, what dashboard texts re-read under a click
    titles: dict[Position, str | None]  # the chart's title as shown after each step


def board_text_states(
    slides: Sequence[AnySlide], played: Sequence[tuple[Played, ChartState]], main: VizzuData
) -> list[ChartState]:
    """What the texts of dashboards that filter on a click read, as stand-in charts (see
    :func:`text_state`): the data the player re-reads them over must keep it."""
    result: list[ChartState] = []
    cross = cross_filters(slides, main)
    for number, slide in enumerate(slides, start=1):
        if number not in cross or not isinstance(slide, Dashboard):
            continue
        where = f"slide {number}"
        own = [
            t
            for name in ("title", "dek", "notes")
            for t in templates_of(getattr(slide, name), where, name)
        ]
        states = [state for p, state in played if p.slide == number]
        if own and states:
            stand_in = text_state(own, replace(states[0], filter=None), cross[number])
            result.extend([stand_in] if stand_in else [])
        for p, state in played:
            if p.slide == number:
                titles = [
                    t
                    for key in CHART_TEXTS
                    for t in templates_of(_own_title(p.item, key), p.where, key)
                ]
                stand_in = text_state(titles, state, cross[number]) if titles else None
                result.extend([stand_in] if stand_in else [])
    return result


def quoted_columns(slides: Sequence[AnySlide]) -> list[str]:
    """Every column the story's texts name (what a lazy story must also label)."""
    names: list[str] = []
    for number, slide in enumerate(slides, start=1):
        texts = [slide.title, slide.dek, slide.notes, slide.alt]
        charts = slide.charts if isinstance(slide, Dashboard) else (slide.steps,)
        for step in (step for chart in charts for step in chart):
            texts += [_own_title(step, key) for key in CHART_TEXTS]
            texts += [step.highlight.note if step.highlight else None]
        for text in texts:
            for template in templates_of(None if text == AUTO else text, f"slide {number}", "text"):
                for expression in template.expressions:
                    dims, measures = needs_of(expression.node, None)
                    names += dims + [name for name, _ in measures]
    return list(dict.fromkeys(names))


def narrate(
    plan: StoryPlan,
    slides: Sequence[AnySlide],
    display: Display,
    lang: str,
    lazy: tuple[LazySource, Mapping[Position, ChartState]] | None = None,
) -> Narration:
    """The story's words: captions for every step, templates read in their step's data.

    ``lazy`` is the source a lazy story reads and each step's state over its
    schema (see :func:`ipyreport._reading.aggregate_lazy`), so queries run in its engine.
    """
    return _Narrator(plan, display, lang, lazy).narrate(slides)


class _Narrator:
    def __init__(
        self,
        plan: StoryPlan,
        display: Display,
        lang: str,
        lazy: tuple[LazySource, Mapping[Position, ChartState]] | None,
    ) -> None:
        self.plan = plan
        self.display = display
        self.lang = lang
        self.source = lazy[0] if lazy else None
        self.originals = lazy[1] if lazy else {}
        self.pushed: Pushed | None = None
        self.captions: dict[Position, Caption] = {}
        for chart in plan.charts:
            previous: tuple[ChartState, dict[str, Any] | None] | None = None
            for planned in chart:
                played = planned.played
                self.captions[played.slide, played.chart, played.step] = caption(
                    planned.state, planned.table, display, lang, previous
                )
                previous = (planned.state, planned.table)
        self.steps: dict[Position, dict[str, Rendered]] = {}
        self.slides: dict[int, dict[str, Rendered | str]] = {}
        self.states: list[tuple[str, ChartState]] = []

    def rows(self) -> Rows:
        if self.pushed is None:
            assert self.source is not None
            self.pushed = Pushed(self.source, self.source.schema())
        return self.pushed

    def scope(
        self, position: Position, state: ChartState, parts: Mapping[str | None, str]
    ) -> Scope:
        if position in self.originals:
            original = self.originals[position]
            measure = chart_measure(original)
            return Scope(self.rows(), original.filter, measure, self.display, self.lang, parts)
        rows = Eager(state.data)
        return Scope(rows, state.filter, chart_measure(state), self.display, self.lang, parts)

    def slide_scope(self, number: int, length: int, parts: Mapping[str | None, str]) -> Scope:
        """A slide's own text reads every row its steps draw: the rows any of their filters
        keeps, in the dataset its first step draws (a timeline's every moment)."""
        first = self.scope((number, None, 1), self.plan.at(number, None, 1).state, parts)
        filters: list[Filter] = []
        for k in range(1, length + 1):
            planned = self.plan.at(number, None, k)
            here = self.scope((number, None, k), planned.state, parts)
            if here.rows.data is not first.rows.data:
                continue
            if here.filter is None:
                return first if first.filter is None else replace(first, filter=None)
            if here.filter not in filters:
                filters.append(here.filter)
        union = filters[0] if len(filters) == 1 else Filter.any_of(*filters)
        return replace(first, filter=union)

    def board_scope(self, state: ChartState, parts: Mapping[str | None, str]) -> Scope:
        """A dashboard's own text reads all its data (a click narrows it in the player)."""
        rows = self.rows() if self.source is not None else Eager(self.plan.datasets[0][1])
        return Scope(rows, None, chart_measure(state), self.display, self.lang, parts)

    def narrate(self, slides: Sequence[AnySlide]) -> Narration:
        for number, slide in enumerate(slides, start=1):
            for chart in self.plan.charts:
                for planned in chart:
                    if planned.played.slide == number:
                        self.step(planned, slide, self.plan.cross_filters.get(number, ()))
            self.slide(number, slide)
        return Narration(self.captions, self.steps, self.slides, self.states, self.titles())

    def step(self, planned: Planned, slide: AnySlide, cross: Sequence[str]) -> None:
        played = planned.played
        position = (played.slide, played.chart, played.step)
        board = isinstance(slide, Dashboard)
        texts = {
            "title": _own_title(played.item),
            "subtitle": _own_title(played.item, "subtitle"),
            "caption": _own_title(played.item, "caption"),
            "note": played.item.highlight.note if played.item.highlight else None,
            "alt": None if board else slide.alt,
        }
        rendered: dict[str, Rendered] = {}
        for name, text in texts.items():
            field_name = "highlight" if name == "note" else name
            try:
                for template in templates_of(
                    text, f"{played.where}, {_FIELD_WORDS[name]}", field_name
                ):
                    if board and cross:
                        _no_caption(template, played.where, name)
                    here = self.scope(position, planned.state, self.captions[position].parts())
                    rendered[name] = render(
                        template, here, f"{played.where}, {_FIELD_WORDS[name]}", fields=field_name
                    )
                    if board and cross and name in CHART_TEXTS:
                        stand_in = text_state([template], planned.state, cross)
                        if stand_in is not None:
                            self.states.append((planned.dataset, stand_in))
            except StepError as error:
                raise error.located(played.slide, played.step, played.chart) from None
        if rendered:
            self.steps[position] = rendered

    def slide(self, number: int, slide: AnySlide) -> None:
        board = isinstance(slide, Dashboard)
        cross = self.plan.cross_filters.get(number, ())
        first = self.plan.at(number, 1 if board else None, 1)
        parts = self.slide_caption(number, slide)
        own: dict[str, Rendered | str] = {}
        if slide.notes == AUTO:
            own["notes"] = parts[None]
        for name in ("title", "dek", "notes"):
            text = getattr(slide, name)
            try:
                for template in templates_of(
                    None if text == AUTO else text, f"slide {number}, {name}", name
                ):
                    if board and cross:
                        _no_caption(template, f"slide {number}", name)
                    here = (
                        self.board_scope(first.state, parts)
                        if board
                        else self.slide_scope(number, slide.length, parts)
                    )
                    own[name] = render(template, here, f"slide {number}, {name}", fields=name)
                    if board and cross:
                        stand_in = text_state([template], replace(first.state, filter=None), cross)
                        if stand_in is not None:
                            self.states.append(("main", stand_in))
            except StepError as error:
                raise error.located(number) from None
        if own:
            self.slides[number] = own

    def slide_caption(self, number: int, slide: AnySlide) -> dict[str | None, str]:
        """What ``{caption}`` reads in a slide's own text: its steps' (or charts') captions."""
        captions = self.captions
        if isinstance(slide, Dashboard):
            whole = " ".join(
                f"{index}: {captions[number, index, 1].text()}"
                for index in range(1, len(slide.charts) + 1)
            )
            return {None: whole, "what": whole, "stats": "", "change": ""}
        texts = [captions[number, None, k].text() for k in range(1, slide.length + 1)]
        step_words = str(words(self.lang)["step"])
        whole = (
            texts[0]
            if len(texts) == 1
            else " ".join(step_words.format(number=k, text=t) for k, t in enumerate(texts, 1))
        )
        return {**captions[number, None, 1].parts(), None: whole}

    def titles(self) -> dict[Position, str | None]:
        """Each step's chart title as shown: its own (read), or the one it keeps."""
        titles: dict[Position, str | None] = {}
        for chart in self.plan.charts:
            shown_title: str | None = None
            for planned in chart:
                played = planned.played
                position = (played.slide, played.chart, played.step)
                if "title" in self.steps.get(position, {}):
                    shown_title = self.steps[position]["title"].text
                elif "title" in played.item.config:
                    own_title = played.item.config["title"]
                    shown_title = (
                        self.display.title(own_title) if isinstance(own_title, str) else None
                    )
                titles[position] = shown_title
        return titles


_FIELD_WORDS = {
    "title": "chart title",
    "subtitle": "chart subtitle",
    "caption": "chart caption",
    "note": "highlight note",
    "alt": "alt",
}
# The texts a chart's config draws.
CHART_TEXTS = ("title", "subtitle", "caption")


def _no_caption(template: Template, where: str, name: str) -> None:
    if any(expression.node["op"] == "caption" for expression in template.expressions):
        msg = (
            f"{where}: {name}: a caption cannot follow a dashboard's clicks (the player re-reads "
            "the numbers, not the sentences); quote numbers such as {sum(Revenue)} instead, or "
            "give the dashboard cross_filter=False"
        )
        raise StepError(msg, field=name)


AUTO = "auto"  # notes="auto": the slide's captions


def _own_title(step: Step, key: str = "title") -> str | None:
    """A chart's own ``title`` (or ``subtitle``, ``caption``) text, when the step sets one."""
    title = step.config.get(key)
    return title if isinstance(title, str) else None
