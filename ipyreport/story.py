"""Stories: slides of steps over data, with one serialization for every output.

>>> from ipyreport import presets
>>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]}, title="Sales",
...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"), title="By region")])
>>> story.to_dict()["slides"][0]["title"]
'By region'
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from ipyreport._colors import DEFAULT_PALETTE, assign, color_dimensions, palette_of
from ipyreport._compact import compact
from ipyreport._describe import alt_text, words
from ipyreport._engine import engine_problem, language_problem
from ipyreport._errors import closest
from ipyreport._files import write_atomic
from ipyreport._motion import animations
from ipyreport._narrate import Narration, narrate, quoted_columns
from ipyreport._plan import (
    Planned,
    StoryPlan,
    chains,
    channel_series,
    label,
    name_and_aggregator,
    plan_story,
)
from ipyreport._reading import aggregate_lazy, read_pending
from ipyreport._slides import AnySlide, Dashboard, Slide, map_steps
from ipyreport.data import Measure, VizzuData, encode
from ipyreport.document import DEFAULT_HOLD_SECONDS, Document, heading, rest_seconds
from ipyreport.formats import Display, resolve
from ipyreport.lake import LakeTable
from ipyreport.lazy import LazySource, lazy
from ipyreport.step import (
    KEEP_FILTER,
    Filter,
    Step,
    StepError,
    config_from_preset_call,
    hold_problem,
)
from ipyreport.themes import Theme, brand, engine_style, theme_of

if TYPE_CHECKING:
    from ipyvizzustory import Story as IpyvizzuStory

    from ipyreport.check import Finding
    from ipyreport.notebook.widget import StoryPlayer

__all__ = ["THEMES", "Dashboard", "Slide", "Story"]

# "auto" follows the viewer's light or dark preference.
THEMES = ("auto", "light", "dark")
DEFAULT_HOLD = DEFAULT_HOLD_SECONDS  # seconds play mode rests on a step


def _check_fits(slides: Sequence[AnySlide], main: Mapping[str, str]) -> None:
    """Each step a preset made before its data names columns in the roles it wants: of its
    own table, else of the story's data (``main``: each column's role)."""
    for played in (played for chain in chains(slides) for played in chain):
        step = played.item
        if step.fits is None:
            continue
        try:
            step.fits(step.data.roles if isinstance(step.data, VizzuData) else main)
        except StepError as error:
            located = StepError(f"{played.where}: {error}", field=error.field)
            raise located.located(played.slide, played.step, played.chart) from None


def _placeholders(datasets: list[tuple[str, VizzuData]]) -> dict[str, int]:
    return {
        key: data.placeholders_from for key, data in datasets if data.placeholders_from is not None
    }


def _imported_step(step: Mapping[str, Any], where: str) -> Step:
    config: Any = step.get("config") or {}
    if type(config).__name__ == "RawJavaScript":
        config = config_from_preset_call(config.raw)
    if "filter" not in step:
        step_filter: Filter | None = KEEP_FILTER
    elif step["filter"] is None:
        step_filter = None
    elif type(step["filter"]).__name__ == "RawJavaScript":
        step_filter = Filter.raw(step["filter"].raw)
    else:
        msg = f"{where}: cannot read the filter {step['filter']!r}"
        raise StepError(msg)
    style = step.get("style")
    return Step(
        config=dict(config),
        style=dict(style) if style else None,
        filter=step_filter,
        animation=step.get("animOptions"),
    )


def _merged(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra`` laid over it, key by key (styles nest)."""
    result = dict(base)
    for key, value in extra.items():
        inner = result.get(key)
        if isinstance(value, Mapping) and isinstance(inner, Mapping):
            result[key] = _merged(inner, value)
        else:
            result[key] = value
    return result


def _named_tables(tables: Mapping[str, Any]) -> dict[str, VizzuData]:
    """The tables steps may name, encoded; their names must not look like the story's own."""
    for name in tables:
        if name == "main" or name.startswith("data"):
            msg = f"table name {name!r} is reserved; name it after what it holds, such as 'costs'"
            raise StepError(msg)
    return {
        name: table if isinstance(table, VizzuData) else encode(table)
        for name, table in tables.items()
    }


def source_line(source: str, lang: str) -> str:
    """The line under a slide's chart naming where its data comes from.

    Parameters
    ----------
    source : str
        The story's (or the slide's) ``source``.
    lang : str
        The story's language.

    Returns
    -------
    str
        ``"Source: ..."`` in the story's language, or the text as written
        when it already names itself a source.

    Examples
    --------
    >>> source_line("World Bank", "en"), source_line("Sources: WHO, UN", "en")
    ('Source: World Bank', 'Sources: WHO, UN')
    """
    line = str(words(lang)["source"])
    named = line.split("{", 1)[0].strip().rstrip(":").lower()
    if named and source.lower().startswith(named):
        return source
    return line.format(source=source)


def _add_covers(slides: list[dict[str, Any]], look: Mapping[str, Any] | None) -> None:
    """A theme's title and closing slides, around ``slides``."""
    # The closing slide first, so the title slide's insertion does not move it.
    for place, cover in (
        (len(slides), look and look["closingSlide"]),
        (0, look and look["titleSlide"]),
    ):
        if cover:
            words = ". ".join(text for text in (cover["title"], cover["subtitle"]) if text)
            slides.insert(
                place,
                {
                    "title": cover["title"],
                    "notes": None,
                    "alt": None,
                    "kind": "cover",
                    "subtitle": cover["subtitle"],
                    "steps": [{"alt": f"{'Title' if place == 0 else 'Closing'} slide: {words}."}],
                },
            )


class Story:
    """A titled sequence of slides over one table, with one document behind every output.

    Every step is checked against the data when the story is built, so a
    typo fails here, not in front of an audience. A story is frozen: what it
    shows is worked out from all of its arguments at once (the title is on
    the cover slide, formats and labels are in every sentence), so
    :meth:`replace` makes a changed copy instead of setting attributes.

    Parameters
    ----------
    data
        Any source :func:`ipyreport.encode` reads (or an encoded
        :class:`~ipyreport.data.VizzuData`); a path, folder, glob or lake
        table is read lazily, like :func:`ipyreport.lazy.lazy`, so only what
        the slides draw leaves the file.
    title
        The story's title (the page's, and a theme's cover slide's).
    style
        A Vizzu style for the whole story (fonts, palette, background).
    slides
        The :class:`Slide` and :class:`Dashboard` values, in order.
    lang
        The language of the words the story writes (a BCP 47 tag).
    theme
        ``"auto"`` (follow the viewer), ``"light"``, ``"dark"``, a shipped
        brand theme's name or a theme file.
    tooltips
        Show values on hover.
    loop
        Play mode starts again at the end (kiosk mode).
    provenance
        How the story was made (a spec records it), shown in the player's
        info panel.
    compact
        Aggregate each dataset on export exactly to what its steps draw, so
        a file grows with what is shown, not with the source's rows.
    tables
        Other tables steps may draw by name (``step.using("costs")``).
    formats
        How measures and dates read in every output (see
        :class:`ipyreport.Format`): ``{"Revenue": "$", "Month": "quarter"}``.
    colors
        Colours of some categories: ``{"Region": {"Europe": "#1b9e77"}}`` or
        ``{"Product": "#1b9e77 #d95f02"}``; every other category keeps one
        colour of the palette across the whole story.
    hold
        Seconds play mode rests on each step after its transition settles
        (a slide or step can set its own; a timeline's moments rest briefly).
    labels
        The names the audience reads for columns, in every output:
        ``{"pop": "Population"}``; an aggregate reads in words from it.
    source
        Where the data comes from, the quiet line under the chart on every
        slide ("Source: ..."); a slide's own ``source`` wins.

    Raises
    ------
    StepError
        If there are no slides, a step names a column, table or value the
        data lacks, or an argument is not one the story takes.

    Examples
    --------
    >>> from ipyreport import presets, samples
    >>> story = Story(samples.sales(), title="Sales overview",
    ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))])
    >>> story
    Story('Sales overview': 1 slide, 1 step, 6,420 rows)
    >>> story.replace(title="Sales").title
    'Sales'
    """

    data: VizzuData
    title: str | None
    style: dict[str, Any] | None
    slides: tuple[AnySlide, ...]
    lang: str
    theme: str
    look: Theme | None
    brand: dict[str, Any] | None
    tooltips: bool
    loop: bool
    provenance: dict[str, Any] | None
    compact: bool
    hold: float
    tables: dict[str, VizzuData]
    lazy_source: LazySource | None
    source: str | None
    plan: StoryPlan
    cross_filters: dict[int, tuple[str, ...]]
    display: Display
    formatted: frozenset[str]
    narration: Narration
    colors: dict[str, dict[str, str]]
    _given: dict[str, Any]
    _lazy_text: tuple[LazySource, Any] | None

    def __init__(
        self,
        data: Any,
        *,
        title: str | None = None,
        style: Mapping[str, Any] | None = None,
        slides: Sequence[Slide | Dashboard] = (),
        lang: str = "en",
        theme: str = "auto",
        tooltips: bool = True,
        loop: bool = True,
        provenance: Mapping[str, Any] | None = None,
        compact: bool = True,
        tables: Mapping[str, Any] | None = None,
        formats: Mapping[str, Any] | None = None,
        colors: Mapping[str, Any] | None = None,
        hold: float = DEFAULT_HOLD,
        labels: Mapping[str, str] | None = None,
        source: str | None = None,
    ) -> None:
        given = {
            "data": data,
            "title": title,
            "style": style,
            "slides": tuple(slides),
            "lang": lang,
            "theme": theme,
            "tooltips": tooltips,
            "loop": loop,
            "provenance": provenance,
            "compact": compact,
            "tables": tables,
            "formats": formats,
            "colors": colors,
            "hold": hold,
            "labels": labels,
            "source": source,
        }
        self._set("_given", given)
        self._read(given)
        self._derive(given, None)
        self._set("_frozen", True)

    def _set(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_frozen", False):
            shown = "..." if name.startswith("_") else f"{value!r:.40}"
            msg = (
                f"a Story cannot be changed in place (what it shows is worked out from all "
                f"of it at once); make a new one with story.replace({name}={shown})"
            )
            raise AttributeError(msg)
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        msg = f"a Story cannot be changed in place; story.replace({name}=None) makes a new one"
        raise AttributeError(msg)

    def replace(self, **changes: Any) -> Story:
        """A new story with some of the arguments it was made with changed.

        A story is worked out from all of its arguments at once (its title is
        on the cover slide, its formats and labels are in every sentence), so
        it cannot be changed in place; ``replace`` builds the new one. The
        data is read again only when ``data``, ``slides`` or ``tables``
        change.

        Parameters
        ----------
        **changes
            Any keyword :class:`Story` takes, with its new value.

        Returns
        -------
        Story
            The new story; this one is left as it was.

        Raises
        ------
        TypeError
            If a keyword is not one :class:`Story` takes.
        StepError
            If the new arguments do not make a story (as :class:`Story` raises).

        Examples
        --------
        >>> from ipyreport import presets
        >>> old = Story({"Region": ["North"], "Revenue": [1.0]}, title="Old",
        ...             slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))])
        >>> new = old.replace(title="New")
        >>> new.title, old.title
        ('New', 'Old')
        """
        unknown = [name for name in changes if name not in self._given]
        if unknown:
            msg = (
                f"Story.replace() got an unknown keyword {unknown[0]!r}"
                f"{closest(unknown[0], self._given)}; Story takes {', '.join(self._given)}"
            )
            raise TypeError(msg)
        given = {**self._given, **changes}
        if "slides" in changes:
            given["slides"] = tuple(changes["slides"])
        story = object.__new__(Story)
        story._set("_given", given)
        if any(name in changes for name in ("data", "slides", "tables")):
            story._read(given)
        else:
            for name in ("tables", "lazy_source", "slides", "data", "plan", "cross_filters"):
                story._set(name, getattr(self, name))
            story._set("_lazy_text", self._lazy_text)
        story._derive(given, None if story.plan is not self.plan else self)
        story._set("_frozen", True)
        return story

    def _read(self, given: Mapping[str, Any]) -> None:
        """What the data, slides and tables make: the steps bound, the data read, the plan."""
        self._set("tables", _named_tables(given["tables"] or {}))
        slides = given["slides"]
        if not slides:
            msg = (
                "a story needs at least one slide: Story(data, slides=[Slide(presets.chart(...))])"
            )
            raise StepError(msg)
        for number, slide in enumerate(slides, start=1):
            if not isinstance(slide, (Slide, Dashboard)):
                msg = f"slide {number} is a {type(slide).__name__}; wrap steps in Slide(...) or Dashboard(...)"
                raise StepError(msg)
        data = given["data"]
        if isinstance(data, (str, os.PathLike, LakeTable)):
            # Files, folders, globs and lake tables are read like lazy() reads them.
            data = lazy(data)
        self._set("lazy_source", data if isinstance(data, LazySource) else None)
        # Steps a preset left to read with the story (a timeline's moments), made now.
        bound = read_pending([map_steps(slide, self._bind) for slide in slides], self.lazy_source)
        if not isinstance(data, LazySource):
            data = data if isinstance(data, VizzuData) else encode(data)
        _check_fits(bound, data.roles)
        lazy_text = None
        if isinstance(data, LazySource):
            # Its texts query the source too, under each step's own filter.
            source = data
            data, bound, originals = aggregate_lazy(source, bound)
            lazy_text = (source, originals)
        self._set("slides", tuple(bound))
        self._set("_lazy_text", lazy_text)
        self._set("data", data if isinstance(data, VizzuData) else encode(data))
        # Walked once: every output, the checker and the description read this.
        self._set("plan", plan_story(list(self.slides), self.data, self.tables))
        self._set("cross_filters", self.plan.cross_filters)

    def _derive(self, given: Mapping[str, Any], same_plan: Story | None) -> None:
        """Everything else, from the arguments and the plan (``same_plan``: a story over the
        same plan whose words may be kept when the language, formats and labels agree)."""
        hold = given["hold"]
        problem = hold_problem(hold)
        if problem:
            msg = f"the story's hold: {problem}"
            raise StepError(msg, field="hold")
        self._set("hold", hold)
        self._set("title", given["title"])
        self._set("source", given.get("source"))
        style = given["style"]
        style = dict(style) if style is not None else None
        problem = engine_problem("style", style) if style else None
        if problem is not None:
            msg = f"the story's style: the chart engine cannot take it: {problem}"
            raise StepError(msg, field="style")
        lang = given["lang"]
        problem = language_problem(lang)
        if problem is not None:
            raise StepError(problem, field="lang")
        self._set("lang", lang)
        theme = given["theme"]
        self._set("look", None if theme in THEMES else theme_of(theme))
        # Read once: its logo and font file are embedded in every output.
        self._set("brand", brand(self.look, self.title) if self.look else None)
        self._set("theme", self.look.base if self.look else theme)
        if self.look is not None:
            style = _merged(engine_style(self.look), style or {})
        self._set("style", style)
        self._set("tooltips", given["tooltips"])
        self._set("loop", given["loop"])
        provenance = given["provenance"]
        self._set("provenance", dict(provenance) if provenance is not None else None)
        self._set("compact", given["compact"])
        formats, labels = given["formats"] or {}, given["labels"] or {}
        self._set("formatted", frozenset(formats))  # the columns the author gave a format
        words_kept = same_plan is not None and all(
            given[name] == same_plan._given[name] for name in ("lang", "formats", "labels")
        )
        if same_plan is not None and words_kept:
            self._set("display", same_plan.display)
            self._set("narration", same_plan.narration)
        else:
            self._set("display", self._display(formats, lang, labels))
            # Every text's expressions, computed once from the data its step draws.
            self._set(
                "narration",
                narrate(self.plan, list(self.slides), self.display, lang, self._lazy_text),
            )
        # A palette set by the story's style or theme, else the engine's.
        marker = ((self.style or {}).get("plot") or {}).get("marker") or {}
        palette = palette_of(marker.get("colorPalette") or DEFAULT_PALETTE, "the story's palette")
        in_order = sorted(
            self.plan.steps(), key=lambda p: (p.played.slide, p.played.chart or 0, p.played.step)
        )
        self._set(
            "colors",
            assign(
                color_dimensions(planned.state for planned in in_order),
                [data for _, data in self.plan.datasets],
                given["colors"] or {},
                palette,
            ),
        )

    def _display(self, formats: Mapping[str, Any], lang: str, labels: Mapping[str, str]) -> Display:
        """Every format of the story, resolved over what it draws and what its words quote."""
        read = [data for _, data in self.plan.datasets]
        if self.lazy_source is not None:
            # Dates the words quote read like the chart's, though no chart draws them.
            roles = self.lazy_source.roles
            quoted = [n for n in quoted_columns(self.slides) if roles.get(n) == "dimension"]
            read.append(self.lazy_source.schema(labelled=quoted))
        return resolve(formats, read, lang, labels)

    def _bind(self, step: Step) -> Step:
        """``step``, pointing at the story's table when it names one."""
        if not isinstance(step.data, str):
            return step
        if step.data not in self.tables:
            msg = f"a step uses the table {step.data!r}, but the story's tables are {sorted(self.tables)}; pass Story(tables={{{step.data!r}: ...}})"
            raise StepError(msg)
        return replace(step, data=self.tables[step.data])

    def _export_datasets(self) -> list[tuple[str, VizzuData]]:
        """The datasets as the outputs carry them: compacted when exact."""
        datasets = list(self.plan.datasets)
        if not self.compact:
            return datasets
        result = []
        for key, data in datasets:
            states = self.plan.states(key)
            states += [state for name, state in self.narration.states if name == key]
            result.append((key, compact(data, states) if states else data))
        return result

    @functools.cached_property
    def _animations(self) -> dict[tuple[int, int | None, int], dict[str, Any]]:
        """How each step moves, staged against the step its chart shows before."""
        return animations(self.plan)

    def _entry(self, planned: Planned) -> dict[str, Any]:
        """One step as the document carries it: its words read, its caption, its table."""
        narration = self.narration
        played = planned.played
        position = (played.slide, played.chart, played.step)
        result = played.item.to_dict()
        result["animation"] = self._animations[position]
        if planned.dataset != "main":
            result["data"] = planned.dataset
        texts = narration.steps.get(position, {})
        title = result["config"].get("title")
        for key in ("subtitle", "caption"):
            if key in texts:
                result["config"][key] = texts[key].text
        if result["config"].get("subtitle") == words("en")["unreported"]:
            # A timeline's moment no row reports says so in the story's language.
            result["config"]["subtitle"] = words(self.lang)["unreported"]
        if "title" in texts:
            result["config"]["title"] = texts["title"].text
        elif isinstance(title, str):
            result["config"]["title"] = self.display.title(title)
        highlight = played.item.highlight
        if "note" in texts and highlight is not None:
            highlight = replace(highlight, note=texts["note"].text)
            result["highlight"]["note"] = highlight.note
        result["alt"] = (
            texts["alt"].text
            if "alt" in texts
            else alt_text(
                planned.state,
                planned.table,
                display=self.display,
                highlight=highlight,
                described=narration.captions[position],
                lang=self.lang,
                title=narration.titles[position] or "",
            )
        )
        if texts:
            result["text"] = {name: rendered.parts for name, rendered in texts.items()}
        result["table"] = planned.shown
        self._title_channels(result["config"], planned)
        return result

    def _title_channels(self, config: dict[str, Any], planned: Planned) -> None:
        """Each axis and legend the step sets, titled by its measure's display name.

        The engine titles a channel by its measure's column name (``mean(lifeExp)``)
        and forgets a title whenever the channel's series are set again, so each
        step that sets a channel says its title (only where the name differs).
        """
        channels = config.get("channels")
        if not isinstance(channels, dict):
            return
        for channel in ("x", "y", "color", "lightness", "size"):
            own = channels.get(channel)
            if own is None or (isinstance(own, Mapping) and "set" not in own):
                continue
            if isinstance(own, Mapping) and "title" in own:
                continue  # the author's own title
            measures = []
            for entry in planned.state.channels.get(channel, []):
                name, aggregator = name_and_aggregator(entry)
                if name in planned.state.data.names and isinstance(
                    planned.state.data[name], Measure
                ):
                    measures.append(label(name, aggregator))
            if not measures or self.display.name(measures[0]) == measures[0]:
                continue
            titled = dict(own) if isinstance(own, Mapping) else {"set": own}
            titled["title"] = self.display.name(measures[0])
            channels[channel] = titled

    def _names(self) -> dict[str, str]:
        """The display name of every column the document's tables and charts name, where it
        differs from the column's own (so every output reads the same words)."""
        columns: set[str] = set(self.display.names)
        for planned in self.plan.steps():
            if planned.table is not None:
                columns.update(planned.table["columns"])
            for entries in planned.state.channels.values():
                for entry in entries:
                    columns.add(label(*name_and_aggregator(entry)))
        return {
            column: self.display.name(column)
            for column in sorted(columns)
            if self.display.name(column) != column
        }

    def _outline(self) -> dict[str, Any]:
        """Everything but the datasets, as plain values, with each step's text alternative and table."""
        plan = self.plan

        narration = self.narration

        entry = self._entry

        slides: list[dict[str, Any]] = []
        for number, slide in enumerate(self.slides, start=1):
            own = narration.slides.get(number, {})
            text: dict[str, Any] = {"title": slide.title, "notes": slide.notes, "alt": slide.alt}
            bound: dict[str, Any] = {}
            for name, rendered in own.items():
                text[name] = rendered if isinstance(rendered, str) else rendered.text
                if not isinstance(rendered, str):
                    bound[name] = rendered.parts
            if bound:
                text["text"] = bound
            # The page around the chart: a dek under the headline, a source line under the chart.
            if slide.dek:
                text.setdefault("dek", slide.dek)
            else:
                text.pop("dek", None)
            source = slide.source if slide.source is not None else self.source
            if source:
                text["source"] = source_line(source, self.lang)
            if slide.hold is not None:
                text["hold"] = slide.hold
            if isinstance(slide, Slide):
                steps = [entry(plan.at(number, None, k)) for k in range(1, slide.length + 1)]
                for step in steps:
                    if slide.alt and "alt" not in step.get("text", {}):
                        step["alt"] = slide.alt
                slides.append({**text, "steps": steps})
                continue
            charts = len(slide.charts)
            # Each chart's steps, described once: a chart with fewer steps holds
            # its last one (no entry in later frames, the same description).
            played = [
                [
                    (entry(plan.at(number, c, k)), plan.at(number, c, k).state)
                    for k in range(1, len(steps) + 1)
                ]
                for c, steps in enumerate(slide.charts, start=1)
            ]
            frames = []
            for k in range(slide.length):
                current = [chart[min(k, len(chart) - 1)] for chart in played]
                alts = [step["alt"] for step, _ in current]
                described = " ".join(
                    f"Chart {c} of {charts}: {alt}" for c, alt in enumerate(alts, start=1)
                )
                frames.append(
                    {
                        "charts": [
                            {
                                key: value
                                for key, value in step.items()
                                if key not in ("alt", "table")
                            }
                            if k < len(chart)
                            else None
                            for (step, _), chart in zip(current, played, strict=True)
                        ],
                        "alts": alts,
                        "tables": [step["table"] for step, _ in current],
                        "names": [
                            step["config"].get("title") or f"chart {c}"
                            for c, (step, _) in enumerate(current, start=1)
                        ],
                        # The dimensions each chart draws by: a pick from the lists highlights them there.
                        "shows": [channel_series(state, labels=False)[0] for _, state in current],
                        "alt": slide.alt or f"A dashboard of {charts} charts. {described}",
                    }
                )
            slides.append(
                {
                    **text,
                    "kind": "dashboard",
                    "columns": slide.columns,
                    "crossFilter": list(self.cross_filters.get(number, ())),
                    "steps": frames,
                }
            )
        look = self.brand
        _add_covers(slides, look)
        for number, entry_of_slide in enumerate(slides, start=1):
            named, shown = heading(entry_of_slide, self.title, number)
            entry_of_slide["heading"], entry_of_slide["headingShown"] = named, shown
        return {
            "title": self.title,
            "lang": self.lang,
            "style": self.style,
            "theme": self.theme,
            "tooltips": self.tooltips,
            "loop": self.loop,
            "hold": self.hold,
            "provenance": self.provenance,
            "formats": dict(self.display.numbers),
            "plainFormat": self.display.plain,
            "labels": {name: dict(shown) for name, shown in self.display.labels.items()},
            "names": self._names(),
            "colors": self.colors,
            "brand": look,
            "slides": slides,
            "rests": rest_seconds({"hold": self.hold, "slides": slides}),
            "words": dict(words(self.lang)),
        }

    def to_dict(self) -> Document:
        """The story document as plain values (see :mod:`ipyreport.document`).

        Returns
        -------
        Document
            The settings, slides, steps and datasets every output renders.

        Examples
        --------
        >>> from ipyreport import presets
        >>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]}, title="Sales",
        ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))])
        >>> document = story.to_dict()
        >>> document["title"], len(document["slides"])
        ('Sales', 1)
        """
        datasets = self._export_datasets()
        document: Document = {
            **self._outline(),  # type: ignore[typeddict-item]
            "placeholders": _placeholders(datasets),
            "datasets": {key: data.to_dict() for key, data in datasets},
        }
        return document

    def to_json(self) -> bytes:
        """The story document as compact JSON, what every output renders.

        The data is written straight from its buffers.

        Returns
        -------
        bytes
            :meth:`to_dict` as UTF-8 JSON.

        Examples
        --------
        >>> from ipyreport import presets
        >>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]}, title="Sales",
        ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))])
        >>> story.to_json().startswith(b"{")
        True
        """
        datasets = self._export_datasets()
        parts = b",".join(orjson.dumps(key) + b":" + data.to_json() for key, data in datasets)
        outline = orjson.dumps({**self._outline(), "placeholders": _placeholders(datasets)})
        return outline[:-1] + b',"datasets":{' + parts + b"}}"

    def to_html(self, *, layout: str = "slides") -> str:
        """One self-contained HTML document that plays the story offline.

        Parameters
        ----------
        layout
            ``"slides"``, or ``"scroll"``: an article whose chart follows the
            reader's scrolling.

        Returns
        -------
        str
            The page, with the player, the engine and the data inlined.

        Examples
        --------
        >>> from ipyreport import presets
        >>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]}, title="Sales",
        ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))])
        >>> page = story.to_html()
        >>> page.startswith("<!doctype html>"), "<title>Sales</title>" in page
        (True, True)
        """
        from ipyreport.export.html import render

        return render(self.to_json(), layout=layout)

    def save_html(self, path: str | Path, *, layout: str = "slides") -> Path:
        """Write :meth:`to_html` to ``path`` (UTF-8).

        Parameters
        ----------
        path
            Where to write the ``.html`` file (replaced whole, never half-written).
        layout
            ``"slides"`` or ``"scroll"`` (see :meth:`to_html`).

        Returns
        -------
        pathlib.Path
            ``path``.

        Examples
        --------
        >>> from ipyreport import presets
        >>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]}, title="Sales",
        ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))])
        >>> import pathlib, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = story.save_html(pathlib.Path(folder, "sales.html"))
        ...     path.name, path.read_text(encoding="utf-8").startswith("<!doctype html>")
        ('sales.html', True)
        """
        target = Path(path)
        write_atomic(target, self.to_html(layout=layout))
        return target

    def check(self) -> list[Finding]:
        """What would confuse an audience: transitions, unreadable marks, slow steps.

        Returns
        -------
        list of Finding
            One finding per problem, each saying where and what to do (see
            :mod:`ipyreport.check`); empty when there is none.

        Examples
        --------
        >>> from ipyreport import presets
        >>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]}, title="Sales",
        ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))])
        >>> story.check()
        []
        """
        from ipyreport.check import check

        return check(self)

    def save_pdf(
        self, path: str | Path, *, per: str = "step", page: str = "16:9", **renamed: Any
    ) -> Path:
        """Write a PDF handout: a page per step (or per slide), notes, and the data tables.

        Drawn by headless Chromium from the same HTML the player plays.

        Parameters
        ----------
        path
            Where to write the ``.pdf`` file.
        per
            ``"step"`` (the default of every export): a page per step;
            ``"slide"``: a page per slide, showing each view the slide moves
            through once.
        page
            The paper: ``"16:9"`` (a slide's shape) or ``"A4"`` (landscape).
        **renamed
            ``steps=`` and ``size=``, the former names of ``per=`` and ``page=``,
            still work and warn.

        Returns
        -------
        pathlib.Path
            ``path``.

        Raises
        ------
        ValueError
            If ``per`` or ``page`` is not one of those.
        RuntimeError
            If Playwright (the ``pdf`` extra) is not installed.

        Examples
        --------
        >>> from ipyreport import presets
        >>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]}, title="Sales",
        ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))])
        >>> story.save_pdf("sales.pdf", page="Letter")
        Traceback (most recent call last):
        ...
        ValueError: page must be one of 16:9, A4, got 'Letter'
        """
        from ipyreport.export.pdf import save_pdf

        per, page = _renamed_export(
            "save_pdf", renamed, per=per, page=page, defaults={"per": "step", "page": "16:9"}
        )
        return save_pdf(self.to_json(), path, per=per, page=page)

    def save_pptx(
        self, path: str | Path, *, per: str = "step", appendix: bool | None = None
    ) -> Path:
        """Write a PowerPoint deck with native, editable charts.

        The charts are in the story's colours and formats, with notes, alt
        text and Morph between the steps of one chart (see
        :mod:`ipyreport.export.pptx`).

        Parameters
        ----------
        path
            Where to write the ``.pptx`` file.
        per
            ``"step"`` (the default of every export): a slide per step;
            ``"slide"``: a slide per story slide, showing its last step.
        appendix
            Add slides of the data tables behind the charts: ``True``,
            ``False``, or ``None`` to add them when they are a few slides long.

        Returns
        -------
        pathlib.Path
            ``path``.

        Raises
        ------
        ValueError
            If ``per`` is not ``"step"`` or ``"slide"``.

        Examples
        --------
        >>> from ipyreport import presets
        >>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]}, title="Sales",
        ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))])
        >>> import pathlib, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     story.save_pptx(pathlib.Path(folder, "sales.pptx"), appendix=False).suffix
        '.pptx'
        """
        from ipyreport.export.pptx import save_pptx

        return save_pptx(self.to_json(), self.plan, path, per=per, appendix=appendix)

    def save_video(
        self,
        path: str | Path,
        *,
        fps: int = 25,
        size: tuple[int, int] = (1280, 720),
        hold: float | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Path:
        """Record the story frame by frame to an ``.mp4`` or ``.gif`` file.

        Parameters
        ----------
        path
            Where to write the video; its suffix picks the format.
        fps
            Frames per second.
        size
            The picture's width and height in pixels.
        hold
            Seconds every step rests after its transition settles (default:
            as long as play mode rests on it).
        progress
            Called as ``progress(done, total)`` after each frame.

        Returns
        -------
        pathlib.Path
            ``path``.

        Examples
        --------
        >>> from ipyreport import presets
        >>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]}, title="Sales",
        ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))])
        >>> story.save_video("sales.mov")
        Traceback (most recent call last):
        ...
        ValueError: save_video writes .mp4 or .gif files, got 'sales.mov'
        """
        from ipyreport.export.video import save_video

        return save_video(self.to_json(), path, fps=fps, size=size, hold=hold, progress=progress)

    def player(self, **options: Any) -> StoryPlayer:
        """This story as a notebook widget whose slide and step Python can read and set.

        Parameters
        ----------
        **options
            Keywords of :class:`ipyreport.notebook.widget.StoryPlayer` (``height``...).

        Returns
        -------
        StoryPlayer
            The widget.

        Examples
        --------
        >>> from ipyreport import presets
        >>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]}, title="Sales",
        ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))])
        >>> player = story.player(height=400)
        >>> player.slide, player.step, player.height
        (1, 1, 400)
        """
        from ipyreport.notebook.widget import StoryPlayer

        return StoryPlayer(self, **options)

    def __panel__(self) -> Any:
        """What ``pn.panel(story)`` shows in a Panel app: :class:`ipyreport.panel.StoryPlayer`."""
        from ipyreport.panel import StoryPlayer

        return StoryPlayer(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """The live widget, an HTML fallback and plain text, from one build of the document.

        Front ends with a widget manager (JupyterLab, Notebook 7, VS Code)
        show the widget; without one (nbconvert, a notebook saved without
        widget state) the HTML player plays offline instead. Its engine is
        shared: the kernel's first story output carries it, later ones only
        their story. ``ipyreport.notebook.output("html")`` leaves the widget
        out, and each output is then a whole page of its own (Colab shows
        every output in a frame of its own).
        """
        from ipyreport.export.html import iframe, notebook_fallback, render
        from ipyreport.notebook import _first_fallback, shown_as
        from ipyreport.notebook.widget import StoryPlayer

        text = self.to_json()
        title = self.title or "ipyreport story"
        bundle: dict[str, Any] = {}
        if shown_as() != "widget":
            bundle["text/html"] = iframe(render(text), title=title)
            bundle["text/plain"] = repr(self)
            return bundle
        try:
            player = StoryPlayer(text)
            player._name = repr(self)  # it was made from this story's document
            widget_bundle = player._repr_mimebundle_(include=include, exclude=exclude)
        except Exception as error:
            bundle["text/plain"] = f"{self!r}\n(the notebook player could not start: {error})"
        else:
            # anywidget may answer (data, metadata); ipywidgets answers data.
            data = widget_bundle[0] if isinstance(widget_bundle, tuple) else widget_bundle
            bundle.update(data or {})
        bundle["text/html"] = notebook_fallback(text, title=title, engine=_first_fallback())
        bundle["text/plain"] = repr(self)
        return bundle

    @classmethod
    def from_ipyvizzu_story(cls, story: Any, *, title: str | None = None) -> Story:
        """Import an ipyvizzu-story ``Story``: its data, style, slides, steps and animations.

        Steps keep ipyvizzu-story's meaning: configs update the chart, a step
        without a filter keeps the current one, and ``Data.filter("...")``
        expressions stay the author's JavaScript (a raw filter). Config
        presets such as ``Config.stackedArea({...})`` become plain configs.

        Parameters
        ----------
        story
            An ``ipyvizzustory.Story``.
        title
            The title of the story made.

        Returns
        -------
        Story
            The same story in ipyreport.

        Raises
        ------
        StepError
            If ``story`` is not an ipyvizzu-story story, or a step cannot be read.

        Examples
        --------
        >>> import pandas as pd
        >>> from ipyvizzu import Config, Data
        >>> from ipyvizzustory import Slide as VizzuSlide, Step as VizzuStep, Story as VizzuStory
        >>> data = Data()
        >>> data.add_df(pd.DataFrame({"Region": ["North", "South"], "Revenue": [3.0, 5.0]}))
        >>> vizzu = VizzuStory(data=data)
        >>> vizzu.add_slide(VizzuSlide(VizzuStep(Config({"x": "Region", "y": "Revenue"}))))
        >>> imported = Story.from_ipyvizzu_story(vizzu, title="Sales")
        >>> imported.title, len(imported.slides)
        ('Sales', 1)
        """
        if not isinstance(story, Mapping) or "slides" not in story:
            msg = f"expected an ipyvizzustory.Story, got {type(story).__name__}"
            raise StepError(msg)
        data = encode(story.get("data") or {})
        slides = []
        for number, slide in enumerate(story["slides"], start=1):
            steps = [
                _imported_step(step, f"slide {number}, step {index}")
                for index, step in enumerate(slide, start=1)
            ]
            slides.append(Slide(*steps))
        style = story.get("style")
        return cls(data, title=title, style=dict(style) if style else None, slides=slides)

    def to_ipyvizzu_story(self) -> IpyvizzuStory:
        """The same story as an ``ipyvizzustory.Story`` (declarative filters become JavaScript).

        Returns
        -------
        ipyvizzustory.Story
            The story, ready for ipyvizzu-story's own player.

        Raises
        ------
        StepError
            If a slide is a dashboard or a step plays a dataset of its own
            (ipyvizzu-story shows one chart over one table).

        Examples
        --------
        >>> from ipyreport import presets
        >>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]}, title="Sales",
        ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))])
        >>> type(story.to_ipyvizzu_story()).__name__
        'Story'
        """
        for number, slide in enumerate(self.slides, start=1):
            if isinstance(slide, Dashboard):
                msg = f"slide {number} is a dashboard; an ipyvizzu-story story shows one chart at a time, so it cannot be exported"
                raise StepError(msg)
        from ipyvizzu import Data, Style
        from ipyvizzustory import Slide as StorySlide
        from ipyvizzustory import Step as StoryStep
        from ipyvizzustory import Story as IpyvizzuStory

        data = Data()
        for series in self.data.series:
            if isinstance(series, Measure):
                data.add_series(series.name, series.values.astype(float).tolist(), type="measure")
            else:
                data.add_series(series.name, series.labels(), type="dimension")
        result = IpyvizzuStory(data=data, style=Style(self.style) if self.style else None)
        for number, slide in enumerate(self.slides, start=1):
            assert isinstance(slide, Slide)
            exported = StorySlide()
            for index, step in enumerate(slide.steps, start=1):
                if step.data is not None and step.data is not self.data:
                    msg = (
                        f"slide {number}, step {index} plays its own dataset (a timeline's filled "
                        "data); an ipyvizzu-story story holds one table, so it cannot be exported"
                    )
                    raise StepError(msg)
                exported.add_step(StoryStep(*step.to_ipyvizzu(), **dict(step.animation or {})))
            result.add_slide(exported)
        return result

    def __repr__(self) -> str:
        steps = sum(slide.length for slide in self.slides)
        title = "untitled" if self.title is None else repr(self.title)
        parts = [
            _counted(len(self.slides), "slide"),
            _counted(steps, "step"),
            _counted(self.data.num_rows, "row"),
        ]
        if self.lazy_source is not None:
            # Only aggregates leave a lazy source: the rows are those the story holds.
            parts[-1] += f" aggregated, lazy from {_source_name(self.lazy_source.label)}"
        return f"Story({title}: {', '.join(parts)})"


# Export keywords renamed so every export says the same thing the same way: old -> new.
_RENAMED_EXPORT = {"steps": "per", "size": "page"}


def _renamed_export(
    method: str, renamed: Mapping[str, Any], *, defaults: Mapping[str, Any], **current: Any
) -> tuple[Any, ...]:
    """``current`` with any former keyword in ``renamed`` moved to its new name, with a
    DeprecationWarning naming it."""
    values = dict(current)
    for old, value in renamed.items():
        new = _RENAMED_EXPORT.get(old)
        if new is None or new not in current:
            msg = f"Story.{method}() got an unexpected keyword argument {old!r}"
            raise TypeError(msg)
        if values[new] != defaults[new]:
            msg = f"Story.{method}() got both {old}= and {new}=; write {new}= only"
            raise TypeError(msg)
        spelled = ("step" if value else "slide") if old == "steps" else value
        warnings.warn(
            f"Story.{method}({old}={value!r}) is now Story.{method}({new}={spelled!r})",
            DeprecationWarning,
            stacklevel=3,
        )
        values[new] = spelled
    return tuple(values[name] for name in current)


def _counted(count: int, thing: str) -> str:
    """``1 slide``, ``6,420 rows``."""
    return f"{count:,} {thing}{'' if count == 1 else 's'}"


def _source_name(label: str) -> str:
    """A lazy source as a repr names it: a path by its last part (a folder ending in ``/``),
    anything else as the source calls itself."""
    if len(label) < 2 or label[0] not in "'\"" or label[-1] != label[0]:
        return label
    path = Path(label[1:-1])
    return f"{path.name}/" if path.is_dir() else path.name
