"""Stories: slides of steps over data, with one serialization for every output.

>>> from ipyreport import presets
>>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]}, title="Sales",
...               slides=[Slide(presets.chart("column", x="Region", y="Revenue"), title="By region")])
>>> story.to_dict()["slides"][0]["title"]
'By region'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson

from ipyreport._compact import compact, plan
from ipyreport._describe import alt_text, channel_series, table, walk
from ipyreport.data import DataError, Dimension, Measure, VizzuData, encode
from ipyreport.lazy import LazySource
from ipyreport.step import (
    KEEP_FILTER,
    Filter,
    Step,
    StepError,
    check_step,
    config_from_preset_call,
    data_of,
)

__all__ = ["THEMES", "Slide", "Story"]

# More marks than this cannot be read (or drawn smoothly) in one chart.
MAX_MARKS = 20_000
# "auto" follows the viewer's light or dark preference.
THEMES = ("auto", "light", "dark")


class Slide:
    """One slide: steps that play in turn, with a title, speaker notes and a text alternative.

    Steps may be given one by one or as lists (what presets return).
    """

    def __init__(
        self,
        *steps: Step | Iterable[Step],
        title: str | None = None,
        notes: str | None = None,
        alt: str | None = None,
    ) -> None:
        flat: list[Step] = []
        for item in steps:
            if isinstance(item, Step):
                flat.append(item)
            elif isinstance(item, Iterable) and not isinstance(item, (str, Mapping)):
                flat.extend(_as_step(part) for part in item)
            else:
                flat.append(_as_step(item))
        if not flat:
            msg = f"slide {title!r} has no steps; give it at least one (for example presets.chart(...))"
            raise StepError(msg)
        self.steps: tuple[Step, ...] = tuple(flat)
        self.title = title
        self.notes = notes
        self.alt = alt

    def __repr__(self) -> str:
        return f"Slide({len(self.steps)} steps, title={self.title!r})"


def _aggregate_lazy(source: LazySource, slides: Sequence[Slide]) -> tuple[VizzuData, list[Slide]]:
    """Read from ``source`` exactly what the slides' steps on it draw, and nothing else.

    Steps whose sums, minima and maxima decompose share one table grouped by
    every dimension they use. A step that needs its rows — a mean, a count,
    a distinct count — gets a table of its own, filtered in the engine and
    grouped by exactly its marks, so its numbers are exact too.
    """
    schema = source.schema()
    steps = [step for slide in slides for step in slide.steps]
    states = walk(steps, schema)
    shared = [state for step, state in zip(steps, states, strict=True) if step.data is None]
    wanted = plan(schema, shared)
    own: dict[int, Step] = {}
    if wanted.reason is not None:
        shared = []
        for step, state in zip(steps, states, strict=True):
            if step.data is not None:
                continue
            if plan(schema, [state]).reason is None:
                shared.append(state)
            else:
                own[id(step)] = _own_table_step(source, step, state)
        wanted = plan(schema, shared)
        if wanted.reason is not None:
            # Decomposable steps that disagree among themselves (sum here, max there): each alone.
            for step, state in zip(steps, states, strict=True):
                if step.data is None and id(step) not in own:
                    own[id(step)] = _own_table_step(source, step, state)
            shared = []
    main = schema
    if shared:
        table = source.aggregate(list(wanted.dimensions), wanted.measures)
        main = encode(table, dimensions=list(wanted.dimensions), max_rows=None)
    rebuilt = [
        Slide(
            *(own.get(id(step), step) for step in slide.steps),
            title=slide.title,
            notes=slide.notes,
            alt=slide.alt,
        )
        for slide in slides
    ]
    return main, rebuilt


def _own_table_step(source: LazySource, step: Step, state: Any) -> Step:
    """``step`` drawing a table grouped by exactly its marks and already filtered."""
    dims, measures = channel_series(state)
    aggregators: dict[str, str] = {}
    for name, aggregator in measures:
        if aggregators.setdefault(name, aggregator) != aggregator:
            msg = f"a step shows {name!r} both as {aggregators[name]} and {aggregator}; split it into two steps"
            raise DataError(msg)
    if state.filter is not None and _uses_javascript(state.filter):
        msg = f"{source.label} is read lazily, so its steps cannot use a JavaScript filter; use Filter.isin or Filter.between"
        raise DataError(msg)
    where = state.filter.to_dict() if state.filter is not None else None
    table = source.aggregate(dims, aggregators, where=where)
    data = encode(table, dimensions=dims, max_rows=None)
    # One row per mark now holds the finished number: Vizzu only has to show it.
    return replace(step, config=_without_aggregators(step.config), filter=None, data=data)


def _uses_javascript(spec: Filter) -> bool:
    return spec.op in ("raw", "keep") or any(
        _uses_javascript(part) for part in spec.args if isinstance(part, Filter)
    )


def _without_aggregators(config: Mapping[str, Any]) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, Mapping) and "aggregator" in value and "name" in value:
            return value["name"]
        if isinstance(value, Mapping):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    result: dict[str, Any] = plain(config)
    return result


def _check_marks(rows: dict[str, Any] | None, data: VizzuData, where: str) -> None:
    if rows is None or rows["total"] <= MAX_MARKS:
        return
    dims = rows["columns"][: len(rows["columns"]) - rows["measures"]]
    series = [data[name] for name in dims]
    sizes = {item.name: len(item.categories) for item in series if isinstance(item, Dimension)}
    finest = max(sizes, key=lambda name: sizes[name])
    msg = (
        f"{where} draws {rows['total']:,} marks, more than the {MAX_MARKS:,} a chart can show; "
        f"drop {finest!r} ({sizes[finest]:,} categories) from it or filter it"
    )
    raise DataError(msg)


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


def _as_step(item: Any) -> Step:
    if isinstance(item, Step):
        return item
    msg = f"a slide holds Step values (from ipyreport.presets or Step(...)), got {type(item).__name__}"
    raise StepError(msg)


class Story:
    """A titled sequence of slides over one table.

    ``data`` is any source :func:`ipyreport.encode` reads (or an encoded
    :class:`~ipyreport.data.VizzuData`). Every step is checked against the
    data when the story is built, so a typo fails here, not in front of an
    audience. ``style`` is a Vizzu style for the whole story (fonts,
    palette, background); ``theme`` picks the light or dark defaults (or
    follows the viewer); ``tooltips`` shows values on hover; ``loop`` makes
    play mode start again at the end (kiosk mode); ``provenance`` records
    how the story was made (a spec builds it), shown in the player's info
    panel. With ``compact`` (the default) each dataset is aggregated, on
    export, exactly to what its steps draw (see ``ipyreport._compact``), so
    a file grows with what is shown, not with the source's rows.
    """

    def __init__(
        self,
        data: Any,
        *,
        title: str | None = None,
        style: Mapping[str, Any] | None = None,
        slides: Sequence[Slide] = (),
        lang: str = "en",
        theme: str = "auto",
        tooltips: bool = True,
        loop: bool = True,
        provenance: Mapping[str, Any] | None = None,
        compact: bool = True,
        tables: Mapping[str, Any] | None = None,
    ) -> None:
        self.tables = {
            name: table if isinstance(table, VizzuData) else encode(table)
            for name, table in (tables or {}).items()
        }
        for name in self.tables:
            if name == "main" or name.startswith("data"):
                msg = (
                    f"table name {name!r} is reserved; name it after what it holds, such as 'costs'"
                )
                raise StepError(msg)
        self.slides = [self._bind(slide) if isinstance(slide, Slide) else slide for slide in slides]
        self.source = data if isinstance(data, LazySource) else None
        if isinstance(data, LazySource):
            data, self.slides = _aggregate_lazy(data, self.slides)
        self.data = data if isinstance(data, VizzuData) else encode(data)
        self.title = title
        self.style = dict(style) if style is not None else None
        self.lang = lang
        if theme not in THEMES:
            msg = f"theme must be one of {', '.join(THEMES)}, got {theme!r}"
            raise StepError(msg)
        self.theme = theme
        self.tooltips = tooltips
        self.loop = loop
        self.provenance = dict(provenance) if provenance is not None else None
        self.compact = compact
        for number, slide in enumerate(self.slides, start=1):
            if not isinstance(slide, Slide):
                msg = f"slide {number} is a {type(slide).__name__}; wrap steps in Slide(...)"
                raise StepError(msg)
            for index, step in enumerate(slide.steps, start=1):
                check_step(step, data_of(step, self.data), where=f"slide {number}, step {index}")

    def _bind(self, slide: Slide) -> Slide:
        """The slide with steps that name a table pointing at that table."""
        steps = []
        for step in slide.steps:
            if not isinstance(step.data, str):
                steps.append(step)
                continue
            if step.data not in self.tables:
                msg = f"a step uses the table {step.data!r}, but the story's tables are {sorted(self.tables)}; pass Story(tables={{{step.data!r}: ...}})"
                raise StepError(msg)
            steps.append(replace(step, data=self.tables[step.data]))
        return Slide(*steps, title=slide.title, notes=slide.notes, alt=slide.alt)

    def _datasets(self) -> tuple[dict[int, str], list[tuple[str, VizzuData]]]:
        keys = {id(self.data): "main"}
        named = {id(table): name for name, table in self.tables.items()}
        ordered = [("main", self.data)]
        for slide in self.slides:
            for step in slide.steps:
                if step.data is not None and id(step.data) not in keys:
                    key = named.get(id(step.data)) or f"data{len(ordered)}"
                    keys[id(step.data)] = key
                    ordered.append((key, data_of(step, self.data)))
        return keys, ordered

    def _export_datasets(self) -> list[tuple[str, VizzuData]]:
        """The datasets as the outputs carry them: compacted when exact."""
        keys, ordered = self._datasets()
        if not self.compact:
            return ordered
        steps = [step for slide in self.slides for step in slide.steps]
        by_key: dict[str, list[Any]] = {key: [] for key, _ in ordered}
        for step, state in zip(steps, walk(steps, self.data), strict=True):
            by_key[keys[id(step.data)] if step.data is not None else "main"].append(state)
        return [(key, compact(data, by_key[key]) if by_key[key] else data) for key, data in ordered]

    def _outline(self) -> dict[str, Any]:
        """Everything but the datasets, as plain values, with each step's text alternative and table."""
        keys, _ = self._datasets()
        all_steps = [step for slide in self.slides for step in slide.steps]
        states = iter(walk(all_steps, self.data))
        slides = []
        for number, slide in enumerate(self.slides, start=1):
            steps = []
            for index, step in enumerate(slide.steps, start=1):
                entry = step.to_dict()
                if step.data is not None and keys[id(step.data)] != "main":
                    entry["data"] = keys[id(step.data)]
                state = next(states)
                rows = table(state)
                _check_marks(rows, state.data, f"slide {number}, step {index}")
                entry["alt"] = slide.alt or alt_text(state, rows)
                entry["table"] = rows
                steps.append(entry)
            slides.append(
                {"title": slide.title, "notes": slide.notes, "alt": slide.alt, "steps": steps}
            )
        return {
            "title": self.title,
            "lang": self.lang,
            "style": self.style,
            "theme": self.theme,
            "tooltips": self.tooltips,
            "loop": self.loop,
            "provenance": self.provenance,
            "slides": slides,
        }

    def to_dict(self) -> dict[str, Any]:
        """The story as plain values: what every output (HTML, notebook) plays."""
        datasets = self._export_datasets()
        return {
            **self._outline(),
            "placeholders": _placeholders(datasets),
            "datasets": {key: data.to_dict() for key, data in datasets},
        }

    def to_json(self) -> bytes:
        """``to_dict()`` as compact JSON, with the data written straight from its buffers."""
        datasets = self._export_datasets()
        parts = b",".join(orjson.dumps(key) + b":" + data.to_json() for key, data in datasets)
        outline = orjson.dumps({**self._outline(), "placeholders": _placeholders(datasets)})
        return outline[:-1] + b',"datasets":{' + parts + b"}}"

    def to_html(self) -> str:
        """One self-contained HTML document that plays the story offline."""
        from ipyreport.export.html import render

        return render(self)

    def save_html(self, path: str | Path) -> Path:
        """Write :meth:`to_html` to ``path`` (UTF-8) and return the path."""
        target = Path(path)
        target.write_text(self.to_html(), encoding="utf-8")
        return target

    def check(self) -> list[Any]:
        """Transitions that would confuse an audience (see :mod:`ipyreport.check`)."""
        from ipyreport.check import check

        return check(self)

    def save_pdf(self, path: str | Path, *, steps: bool = False, size: str = "16:9") -> Path:
        """Write a PDF handout: a page per slide (or per step), notes, and the data tables.

        Drawn by headless Chromium from the same HTML; ``size`` is ``"16:9"`` or ``"A4"``.
        """
        from ipyreport.export.pdf import save_pdf

        return save_pdf(self, path, steps=steps, size=size)

    def save_video(
        self,
        path: str | Path,
        *,
        fps: int = 25,
        size: tuple[int, int] = (1280, 720),
        hold: float = 1.0,
    ) -> Path:
        """Record the story's transitions frame by frame to an ``.mp4`` or ``.gif`` file."""
        from ipyreport.export.video import save_video

        return save_video(self, path, fps=fps, size=size, hold=hold)

    def player(self, **options: Any) -> Any:
        """This story as a notebook widget (:class:`ipyreport.notebook.widget.StoryPlayer`)."""
        from ipyreport.notebook.widget import StoryPlayer

        return StoryPlayer(self, **options)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """The live widget, a self-contained HTML fallback and plain text.

        Front ends with a widget manager (JupyterLab, Notebook 7, VS Code)
        show the widget; without one (nbconvert, a notebook saved without
        widget state) the HTML player plays offline instead.
        """
        from ipyreport.export.html import iframe

        bundle: dict[str, Any] = {}
        try:
            widget_bundle = self.player()._repr_mimebundle_(include=include, exclude=exclude)
        except Exception as error:
            bundle["text/plain"] = f"{self!r}\n(the notebook player could not start: {error})"
        else:
            # anywidget may answer (data, metadata); ipywidgets answers data.
            data = widget_bundle[0] if isinstance(widget_bundle, tuple) else widget_bundle
            bundle.update(data or {})
        bundle["text/html"] = iframe(self.to_html(), title=self.title or "ipyreport story")
        bundle["text/plain"] = repr(self)
        return bundle

    @classmethod
    def from_ipyvizzu_story(cls, story: Any, *, title: str | None = None) -> Story:
        """Import an ipyvizzu-story ``Story``: its data, style, slides, steps and animation options.

        Steps keep ipyvizzu-story's meaning: configs update the chart, a step
        without a filter keeps the current one, and ``Data.filter("...")``
        expressions stay the author's JavaScript (a raw filter). Config
        presets such as ``Config.stackedArea({...})`` become plain configs.
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

    def to_ipyvizzu_story(self) -> Any:
        """The same story as an ``ipyvizzustory.Story`` (declarative filters become JavaScript)."""
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
        steps = sum(len(slide.steps) for slide in self.slides)
        return f"Story({self.title!r}, {len(self.slides)} slides, {steps} steps, {self.data.num_rows:,} rows)"
