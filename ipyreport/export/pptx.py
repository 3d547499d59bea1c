"""A story as a PowerPoint deck: native, editable charts, notes, alt text and Morph.

One slide per step (or per story slide, ``per="slide"``): the slide's title,
its speaker notes, and its chart as a native PowerPoint chart — the step's
numbers in the embedded workbook, in the story's colours and number
formats — wherever PowerPoint has the kind (column and bar in their
clustered, stacked and 100% forms, line, area, pie, doughnut, XY scatter and
bubble, with every mark the step draws, however many). Other kinds
(treemaps, Marimekko, streams, radial charts...), and charts whose filter is
JavaScript, are pictures made by the same player as the HTML file, and the
notes say which reason. The step's text alternative is the chart's alt text.
Consecutive steps of one chart are joined by PowerPoint's Morph transition;
a dashboard is one slide with its charts side by side.

Each measure has one number format in the whole deck, the player's: its
prefix, suffix and decimals, and the scale (K, M, bn) picked number by
number as the player picks it (see :func:`excel_format`). An axis the story
fixes (a timeline's, a zoom's) has the same minimum and maximum as in the
player, read from the plan's chart state; a measure the player draws on a
log scale (``log=`` in a timeline) is a PowerPoint log axis (base 10) over
the measure's own numbers, and a fixed size range keeps a number's bubble
the same size on every slide. Bubbles sized on a log scale are a picture:
PowerPoint sizes bubbles only linearly. Every workbook cell is a value,
never a formula (see :func:`_chart_data`). The data appendix (tables of the
numbers behind the charts) is added when it is a few slides long, or when
asked for (see :func:`save_pptx`).

The deck reads the story document (titles, notes, alt text, formats,
colours, the numbers each step draws) and the story's plan (each chart's
state after each step, for the kind of chart); it walks no slides itself.
Needs ``python-pptx`` (``pip install 'ipyreport[pptx]'``), and Chromium
only when some chart is a picture.
"""

from __future__ import annotations

import importlib.util
import io
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ipyreport._describe import isolate
from ipyreport._files import replacing
from ipyreport._plan import ChartState, Planned, StoryPlan, label, name_and_aggregator, read_as
from ipyreport._provenance import made_from
from ipyreport.data import Measure, VizzuData
from ipyreport.document import chart_titles, load, repeats_headline
from ipyreport.formats import Display, NumberFormat, measure_of, scale_of, scale_start
from ipyreport.themes import PLAIN_MARKS

if TYPE_CHECKING:
    from ipyreport.document import Document

__all__ = ["NATIVE_KINDS", "save_pptx"]

# PowerPoint chart kinds a step can become (python-pptx's XL_CHART_TYPE names).
NATIVE_KINDS = (
    "COLUMN_CLUSTERED",
    "COLUMN_STACKED",
    "COLUMN_STACKED_100",
    "BAR_CLUSTERED",
    "BAR_STACKED",
    "BAR_STACKED_100",
    "LINE_MARKERS",
    "AREA",
    "AREA_STACKED",
    "AREA_STACKED_100",
    "PIE",
    "DOUGHNUT",
    "XY_SCATTER",
    "BUBBLE",
)
PLAIN, FIRST = PLAIN_MARKS["light"], "#4171CD"  # the player's plain marks and the palette's first
# The shape every step's chart is named, so Morph moves one into the next.
CHART_NAME = "!!ipyreport chart"
WIDTH, HEIGHT = 13.333, 7.5  # inches: a 16:9 slide
TABLE_ROWS = 14  # data rows per appendix slide
APPENDIX_PAGES = 6  # the longest data appendix a deck has unless asked for one

_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_MORPH = (
    '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
    '<mc:Choice xmlns:p159="http://schemas.microsoft.com/office/powerpoint/2015/09/main" Requires="p159">'
    f'<p:transition xmlns:p="{_P}" spd="slow"><p159:morph option="byObject"/></p:transition>'
    "</mc:Choice>"
    f'<mc:Fallback><p:transition xmlns:p="{_P}" spd="slow"><p:fade/></p:transition></mc:Fallback>'
    "</mc:AlternateContent>"
)


@dataclass(frozen=True)
class Native:
    """How a step becomes a PowerPoint chart: its kind and where its numbers are in the table."""

    kind: str
    category: str | None  # the dimension along the axis (None: a scatter plot's points)
    series: str | None  # the dimension that splits it into series
    values: tuple[str, ...]  # table columns: one measure, or x, y (and size) for points
    by_value: bool = False  # categories sorted by their value, smallest first (as the engine sorts)
    # The category axis the other way round (the engine's ``reverse``): a bar chart's first
    # category, and the first bar of each group, on top (PowerPoint, like the engine, starts
    # a bar chart's categories at the bottom).
    reversed: bool = False
    log: tuple[str, ...] = ()  # channels drawn on a log scale (x, y): a log axis in PowerPoint
    ends: bool = False  # each line named at its last point (the step's ends), no legend


def native(state: ChartState, table: Mapping[str, Any] | None) -> Native | None:
    """The PowerPoint chart a step's state can be, or ``None`` (a picture)."""
    if _log_channels(state, ("size",)):
        return None  # PowerPoint sizes bubbles linearly only
    found = _native(state, table)
    if found is not None and found.category is not None and state.config.get("sort") == "byValue":
        found = replace(found, by_value=True)
    if found is not None and found.category is not None and state.config.get("reverse") is True:
        found = replace(found, reversed=True)
    if found is not None:
        found = replace(found, log=_log_channels(state, ("x", "y")))
    return found


def _log_channels(state: ChartState, channels: Sequence[str]) -> tuple[str, ...]:
    """Which of ``channels`` draw a log series (the logarithms of a measure)."""
    data = state.data
    return tuple(
        channel
        for channel in channels
        if any(
            isinstance(series := data[_name(entry)], Measure) and series.log_of is not None
            for entry in state.channels.get(channel, [])
            if _name(entry) in data.names
        )
    )


def _native(state: ChartState, table: Mapping[str, Any] | None) -> Native | None:
    if not table or not table["measures"]:
        return None
    config = state.config
    channels = {
        name: [_name(entry) for entry in state.channels.get(name, [])]
        for name in ("x", "y", "color", "size")
    }
    data = state.data
    labels = {
        name: [_column(entry, data) for entry in state.channels.get(name, [])]
        for name in ("x", "y", "size")
    }

    def measures(channel: str) -> list[str]:
        return [
            label
            for name, label in zip(channels[channel], labels[channel], strict=True)
            if name in data.names and isinstance(data[name], Measure)
        ]

    def dims(channel: str) -> list[str]:
        return [
            name
            for name in channels[channel]
            if name in data.names and not isinstance(data[name], Measure)
        ]

    geometry = config.get("geometry", "rectangle")
    polar = config.get("coordSystem") == "polar"
    align = config.get("align")
    if config.get("split") or align == "center":
        return None
    columns = table["columns"]
    if polar:
        if (
            geometry != "rectangle"
            or measures("y")
            or len(dims("x")) != 1
            or len(measures("x")) != 1
        ):
            return None
        return Native("PIE", dims("x")[0], None, (measures("x")[0],))
    if geometry == "circle":
        if len(measures("x")) == 1 and len(measures("y")) == 1 and not dims("x") and not dims("y"):
            color = dims("color")
            points = (measures("x")[0], measures("y")[0], *measures("size")[:1])
            if not all(point in columns for point in points):
                return None
            return Native(
                "BUBBLE" if len(points) == 3 else "XY_SCATTER",
                None,
                color[0] if color else None,
                points,
            )
        return None
    horizontal = bool(measures("x")) and not measures("y")
    axis, value = ("y", "x") if horizontal else ("x", "y")
    along, stacked = dims(axis), dims(value)
    if len(along) > 2:
        # A drill's levels between its marks and its top hold one value each
        # (Germany's products, in Europe): the chart is the marks by the top.
        along = [along[0], *(name for name in along[1:-1] if not _constant(table, name)), along[-1]]
    if (
        len(measures(value)) != 1
        or measures(axis)
        or not along
        or len(along) > 2
        or len(stacked) > 1
    ):
        return None
    if set(along) & set(stacked):
        return None  # a waterfall
    measure = measures(value)[0]
    if geometry == "line":
        if stacked or len(along) != 1:
            return None
        color = dims("color")
        return Native(
            "LINE_MARKERS",
            along[0],
            color[0] if color and color[0] != along[0] else None,
            (measure,),
        )
    if len(along) == 2 and stacked:
        return None
    share = "_100" if align == "stretch" else ""
    if geometry == "area":
        if len(along) != 1:
            return None
        return Native(
            ("AREA_STACKED" + share) if stacked else "AREA",
            along[0],
            stacked[0] if stacked else None,
            (measure,),
        )
    base = "BAR" if horizontal else "COLUMN"
    if len(along) == 2:
        return Native(f"{base}_CLUSTERED", along[0], along[1], (measure,))
    if stacked:
        return Native(f"{base}_STACKED{share}", along[0], stacked[0], (measure,))
    return Native(f"{base}_CLUSTERED", along[0], None, (measure,))


def _constant(table: Mapping[str, Any], name: str) -> bool:
    """Whether the column ``name`` of a step's ``table`` holds one value in every row."""
    if name not in table["columns"]:
        return False
    at = table["columns"].index(name)
    return len({row[at] for row in table["rows"]}) <= 1


def _name(entry: Any) -> str:
    return name_and_aggregator(entry)[0]


def _column(entry: Any, data: VizzuData) -> str:
    """The table column of a channel entry (a log series: the measure it is the logarithm of)."""
    name, aggregator = name_and_aggregator(entry)
    return label(read_as(data, name), aggregator)


def _chart_data(kind: str, **options: Any) -> Any:
    """python-pptx chart data for ``kind`` whose workbook holds every cell as a value.

    XlsxWriter reads text beginning with ``=`` as a formula and ``http://`` as
    a link; a category label or a measure name is neither. Every cell is
    written as a value (text as a string cell), as OWASP's formula-injection
    guidance asks, and the chart shows the label exactly as written.
    """
    import contextlib

    from pptx.chart import data as chart_data
    from pptx.chart import xlsx
    from xlsxwriter import Workbook

    base, writer = {
        "XY_SCATTER": (chart_data.XyChartData, xlsx.XyWorkbookWriter),
        "BUBBLE": (chart_data.BubbleChartData, xlsx.BubbleWorkbookWriter),
    }.get(kind, (chart_data.CategoryChartData, xlsx.CategoryWorkbookWriter))

    class ValueWriter(writer):  # type: ignore[misc, valid-type]
        @contextlib.contextmanager
        def _open_worksheet(self, xlsx_file: Any) -> Iterator[tuple[Any, Any]]:
            workbook = Workbook(
                xlsx_file,
                {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
            )
            worksheet = workbook.add_worksheet()
            yield workbook, worksheet
            workbook.close()

    class ValueData(base):  # type: ignore[misc, valid-type]
        @property
        def _workbook_writer(self) -> Any:
            return ValueWriter(self)

    return ValueData(**options)


def excel_format(fmt: NumberFormat, values: Iterable[float | None]) -> str:
    """An Excel number format that reads like ``fmt`` for every number in ``values``.

    ``values`` are all the numbers a measure takes in the deck, so the measure
    has this one format on every slide. Scales are picked number by number
    as the player picks them (K, M, bn...), through conditional sections:
    Excel allows two conditions, so up to three scales; below them numbers
    are written in the smallest of the three. When a number is below zero,
    every number takes the scale of the largest (a condition would drop the
    sign).

    >>> from ipyreport.formats import Format, resolve_number
    >>> dollars = resolve_number(Format(prefix="$"), "en")
    >>> excel_format(dollars, [3.2e8, 1.5e8])
    '"$"#,##0.0,,"M"'
    >>> excel_format(dollars, [3.2e8, 1.5e9])
    '[>=950000000.0000001]"$"#,##0.0,,,"bn";"$"#,##0.0,,"M"'
    """
    numbers = [float(v) for v in values if v is not None and math.isfinite(v)]
    whole = all(v.is_integer() for v in numbers)
    plain = fmt["fixed"] if fmt["fixed"] is not None else (0 if whole else 2)

    def quoted(text: str) -> str:
        return '"' + text.replace('"', '"\\""') + '"' if text else ""

    def section(factor: float, word: str) -> str:
        digits = fmt["decimals"] if factor > 1 else plain
        commas = "," * round(math.log10(factor) / 3) if factor > 1 else ""
        number = "#,##0" + ("." + "0" * digits if digits else "") + commas
        return f"{quoted(fmt['prefix'])}{number}{quoted(word)}{quoted(fmt['suffix'])}"

    used = sorted({scale_of(abs(v), fmt) for v in numbers}, reverse=True) or [(1.0, "")]
    if len(used) == 1 or any(v < 0 for v in numbers):
        return section(*used[0])
    used = used[:3]
    conditions = [
        f"[>={scale_start(factor, fmt)!r}]{section(factor, word)}" for factor, word in used[:-1]
    ]
    return ";".join([*conditions, section(*used[-1])])


def save_pptx(
    document: bytes,
    plan: StoryPlan,
    path: str | Path,
    *,
    per: str = "step",
    appendix: bool | None = None,
) -> Path:
    """Write a story document as a PowerPoint deck.

    A step the deck can draw as a native chart (columns, bars, lines, areas,
    pies, scatter) becomes one, with its data editable in PowerPoint; any
    other is the player's picture of it. What ``Story.save_pptx()`` writes.

    Parameters
    ----------
    document : bytes
        A story document's JSON (``Story.to_json()``).
    plan : StoryPlan
        The same story's plan (``Story.plan``): each step's chart and table.
    path : str or Path
        The ``.pptx`` file to write.
    per : {"step", "slide"}, default "step"
        ``"step"``: a slide per step; ``"slide"``: a slide per story slide
        (its last step).
    appendix : bool or None, default None
        The data appendix: after the story, the numbers behind its charts as
        tables, each distinct table once, every row, ``TABLE_ROWS`` rows a
        slide. ``None`` adds it when it takes at most ``APPENDIX_PAGES``
        slides and leaves it out when it would run longer (a 12-moment
        timeline already takes 12); ``True`` always adds it, ``False`` never.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ValueError
        When ``per`` or ``appendix`` is none of the above.
    RuntimeError
        When python-pptx is not installed (``pip install 'ipyreport[pptx]'``).

    Examples
    --------
    >>> import pathlib, tempfile, pptx
    >>> from ipyreport import Slide, Story, presets
    >>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]}, title="Sales",
    ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"),
    ...                             presets.chart(kind="bar", x="Region", y="Revenue"))])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     deck = save_pptx(story.to_json(), story.plan, pathlib.Path(folder, "sales.pptx"), appendix=False)
    ...     len(pptx.Presentation(deck).slides)
    2
    """
    if per not in ("step", "slide"):
        msg = f"per must be 'step' or 'slide', got {per!r}"
        raise ValueError(msg)
    if appendix not in (None, True, False):
        msg = f"appendix must be True, False or None (added when it takes at most {APPENDIX_PAGES} slides), got {appendix!r}"
        raise ValueError(msg)
    if importlib.util.find_spec("pptx") is None:
        msg = "PowerPoint decks need python-pptx: pip install 'ipyreport[pptx]'"
        raise RuntimeError(msg)
    contents = load(document)
    deck = _Deck(contents, plan, per)
    pictures = deck.pictures_needed()
    images = _pictures(document, pictures) if pictures else {}
    target = Path(path)
    deck.write(target, images, appendix)
    return target


def _pictures(document: bytes, wanted: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The player's picture of each (slide, step), 1-based in the document."""
    import base64

    from ipyreport.export._browser import in_own_thread, story_page
    from ipyreport.export.pdf import SHOW

    def draw() -> dict[tuple[int, int], bytes]:
        found = {}
        with story_page(document, width=1280, height=720, scale=2) as (_, page):
            for slide, step in wanted:
                shown = page.evaluate(SHOW, [slide, step])
                if shown["error"]:
                    msg = f"slide {slide}, step {step} could not be drawn: {shown['error']}"
                    raise RuntimeError(msg)
                found[slide, step] = base64.b64decode(shown["image"].split(",", 1)[1])
        return found

    return in_own_thread(draw)


class _Deck:
    """The deck a document and its plan make, slide by slide."""

    def __init__(self, contents: Document, plan: StoryPlan, per: str) -> None:
        self.contents = contents
        self.plan = plan
        self.per = per
        self.display = Display.of(contents)
        self.colors: Mapping[str, Mapping[str, str]] = contents.get("colors") or {}
        # Every number each measure column takes in the story: one format each, deck-wide.
        taken: dict[str, list[float | None]] = {}
        for planned in plan.steps():
            table = planned.table
            if not table or not table["measures"]:
                continue
            first = len(table["columns"]) - table["measures"]
            for c, column in enumerate(table["columns"][first:], start=first):
                taken.setdefault(column, []).extend(row[c] for row in table["rows"])
        self.number_formats = {
            column: excel_format(self._format(column), values) for column, values in taken.items()
        }
        # Document slides (covers included) and the plan's numbers for the others.
        self.numbers: list[int | None] = []
        count = 0
        for slide in contents["slides"]:
            if slide.get("kind") == "cover":
                self.numbers.append(None)
            else:
                count += 1
                self.numbers.append(count)

    def steps_of(self, index: int) -> list[int]:
        total = len(self.contents["slides"][index]["steps"])
        return list(range(1, total + 1)) if self.per == "step" else [total]

    def charts(
        self, index: int, step: int
    ) -> list[tuple[ChartState, dict[str, Any] | None, Native | None]]:
        """The charts a document slide shows at ``step``: its state, numbers and native kind."""
        number = self.numbers[index]
        slide = self.contents["slides"][index]
        if number is None:
            return []
        if slide.get("kind") == "dashboard":
            result = []
            for chart in range(1, len(slide["steps"][0]["charts"]) + 1):
                # A chart with fewer steps holds its last one.
                last = max(
                    k
                    for k in range(1, step + 1)
                    if slide["steps"][k - 1]["charts"][chart - 1] is not None
                )
                planned = self.plan.at(number, chart, last)
                result.append((planned.state, planned.table, _kind_of(planned)))
            return result
        planned = self.plan.at(number, None, step)
        return [(planned.state, planned.table, _kind_of(planned))]

    def pictures_needed(self) -> list[tuple[int, int]]:
        wanted = []
        for index in range(len(self.contents["slides"])):
            for step in self.steps_of(index):
                charts = self.charts(index, step)
                if any(kind is None for _, _, kind in charts):
                    wanted.append((index + 1, step))
        return wanted

    def write(
        self, target: Path, images: Mapping[tuple[int, int], bytes], appendix: bool | None
    ) -> None:
        from pptx import Presentation
        from pptx.util import Inches

        deck = Presentation()
        deck.slide_width, deck.slide_height = Inches(WIDTH), Inches(HEIGHT)
        deck.core_properties.title = self.contents.get("title") or "ipyreport story"
        provenance = self.contents.get("provenance")
        deck.core_properties.comments = made_from(provenance)
        if provenance is not None:
            deck.core_properties.keywords = "; ".join(
                f"{name}={value}" for name, value in provenance["parameters"].items()
            )
        previous_chart = False
        tables: list[tuple[str, dict[str, Any]]] = []
        for index, slide in enumerate(self.contents["slides"]):
            for step in self.steps_of(index):
                page = deck.slides.add_slide(deck.slide_layouts[5])  # title only
                # The slide's heading, as the player shows it (document.heading).
                _place_title(page, slide["heading"] if slide["headingShown"] else "")
                entry = slide["steps"][step - 1]
                charts = self.charts(index, step)
                notes = [slide.get("notes") or ""]
                if slide.get("kind") == "cover":
                    _place_title(page, slide.get("title") or "")
                    if slide.get("subtitle"):
                        box = page.shapes.add_textbox(
                            Inches(0.8), Inches(3.6), Inches(11.7), Inches(1.0)
                        )
                        box.text_frame.text = slide["subtitle"]
                    previous_chart = False
                    continue
                alts = entry.get("alts") or [entry.get("alt", "")]
                boxes = _page_around(page, slide, len(charts))
                for c, ((state, table, kind), box, alt) in enumerate(
                    zip(charts, boxes, alts, strict=False)
                ):
                    name = CHART_NAME if len(charts) == 1 else f"{CHART_NAME} {c + 1}"
                    if kind is None:
                        image = images[index + 1, step]
                        shape = page.shapes.add_picture(io.BytesIO(image), *box)
                        notes.append(_why_a_picture(state, table))
                    else:
                        assert table is not None  # a native chart has its numbers
                        board = c if slide.get("kind") == "dashboard" else None
                        frame_title = _chart_title(slide, board, step)
                        shape = self.chart(page, state, table, kind, box, title=frame_title)
                    shape.name = name
                    _describe_shape(shape, alt)
                    if table:
                        title = (
                            (entry.get("names") or [None])[c]
                            if slide.get("kind") == "dashboard"
                            else chart_titles(slide)[step - 1]
                        )
                        tables.append(
                            (f"{slide.get('title') or 'Slide'} — {title or f'step {step}'}", table)
                        )
                if previous_chart and slide.get("kind") != "dashboard":
                    _morph(page)
                previous_chart = slide.get("kind") != "dashboard"
                page.notes_slide.notes_text_frame.text = "\n\n".join(note for note in notes if note)
        pages = _pages(tables)
        if appendix or (appendix is None and len(pages) <= APPENDIX_PAGES):
            self.appendix(deck, pages)
        with replacing(target) as part:
            deck.save(str(part))

    def chart(
        self,
        page: Any,
        state: ChartState,
        table: dict[str, Any],
        kind: Native,
        box: Sequence[Any],
        *,
        title: str | None,
    ) -> Any:
        """A native chart of the step's numbers on ``page``, in the story's colours and formats."""
        from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
        from pptx.util import Inches, Pt

        data, series_names = self.chart_data(table, kind)
        frame = page.shapes.add_chart(getattr(XL_CHART_TYPE, kind.kind), *box, data)
        chart = frame.chart
        _keep_returns(chart, data)
        chart.has_legend = (bool(kind.series) and not kind.ends) or kind.kind in ("PIE", "DOUGHNUT")
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
        chart.has_title = bool(title)
        if title:
            chart.chart_title.text_frame.text = title
        chart.font.size = Pt(12 if box[2] > Inches(8) else 10)
        self.paint(chart, kind, table, series_names)
        if kind.ends:
            self.name_ends(chart, kind, series_names)
        self.axes(chart, kind, state)
        if kind.kind == "BUBBLE":
            _hold_bubble_sizes(chart, kind, state, table)
        return frame

    def chart_data(self, table: dict[str, Any], kind: Native) -> tuple[Any, list[str]]:
        """The chart's workbook: the step's numbers by category and series (or points)."""
        columns, rows = table["columns"], table["rows"]
        at = {name: columns.index(name) for name in columns}
        label = self.display.label
        series_names: list[str] = []
        if kind.category is None:
            data: Any = _chart_data(kind.kind)
            groups: dict[str, Any] = {}
            for row in rows:
                key = str(row[at[kind.series]]) if kind.series else kind.values[1]
                if key not in groups:
                    shown = isolate(label(kind.series, key)) if kind.series else key
                    groups[key] = data.add_series(shown)
                    series_names.append(key)
                point = [row[at[column]] for column in kind.values]
                if all(value is not None for value in point):
                    groups[key].add_data_point(*point)
            return data, series_names
        categories = list(dict.fromkeys(str(row[at[kind.category]]) for row in rows))
        measure = kind.values[0]
        if kind.by_value:
            totals = dict.fromkeys(categories, 0.0)
            for row in rows:
                totals[str(row[at[kind.category]])] += row[at[measure]] or 0
            categories.sort(key=lambda category: totals[category])
        series = kind.series
        series_names = (
            list(dict.fromkeys(str(row[at[series]]) for row in rows)) if series else [measure]
        )
        cells = {
            (str(row[at[kind.category]]), str(row[at[series]]) if series else measure): row[
                at[measure]
            ]
            for row in rows
        }
        data = _chart_data(kind.kind, number_format=self.number_format(measure))
        data.categories = [label(kind.category, category) for category in categories]
        for name in series_names:
            shown = label(series, name) if series else self.display.name(measure)
            data.add_series(shown, [cells.get((category, name)) for category in categories])
        return data, series_names

    def name_ends(self, chart: Any, kind: Native, names: list[str]) -> None:
        """Each line's name and value at its last point with a value, as the player writes them."""
        from pptx.enum.chart import XL_DATA_LABEL_POSITION

        assert kind.series is not None  # ends are set on lines split into series only
        for series, name in zip(chart.plots[0].series, names, strict=False):
            values = list(series.values)
            last = max((at for at, value in enumerate(values) if value is not None), default=None)
            if last is None:
                continue
            label = series.points[last].data_label
            label.has_text_frame = True
            shown = self.display.label(kind.series, name)
            label.text_frame.text = f"{shown} {self.display.number(kind.values[0], values[last])}"
            label.position = XL_DATA_LABEL_POSITION.RIGHT

    def paint(self, chart: Any, kind: Native, table: dict[str, Any], names: list[str]) -> None:
        """Each series (or a pie's slices) in its category's colour from the story."""
        from pptx.dml.color import RGBColor

        line = kind.kind.startswith("LINE")

        def fill(target: Any, color: str | None) -> None:
            if not color:
                return
            rgb = RGBColor.from_string(color.lstrip("#")[:6].upper())
            if line:
                target.format.line.color.rgb = rgb
                target.marker.format.fill.solid()
                target.marker.format.fill.fore_color.rgb = rgb
                return
            target.format.fill.solid()
            target.format.fill.fore_color.rgb = rgb

        plot = chart.plots[0]
        own = self.colors.get(kind.series, {}) if kind.series else {}
        for series, name in zip(plot.series, names, strict=False):
            # Marks coloured by nothing: the engine's first colour, or slate once
            # the story's categories own the palette (as the player draws them).
            fill(series, own.get(name) if kind.series else (PLAIN if self.colors else FIRST))
        category = kind.category
        if kind.kind in ("PIE", "DOUGHNUT") and category and category in self.colors:
            at = table["columns"].index(category)
            categories = list(dict.fromkeys(str(row[at]) for row in table["rows"]))
            for point, name in zip(plot.series[0].points, categories, strict=False):
                fill(point, self.colors[category].get(name))

    def axes(self, chart: Any, kind: Native, state: ChartState) -> None:
        """Value axes in their measure's format, as the story's labels read, and fixed
        where the chart fixes them (a timeline's axis is the same at every moment)."""
        if kind.kind in ("PIE", "DOUGHNUT"):
            return

        def fix(axis: Any, channel: str) -> None:
            log = channel in kind.log
            if log:
                # The player draws logarithms on a linear axis; PowerPoint has the log axis
                # itself, so the workbook holds the measure and the axis is base 10.
                from lxml import etree
                from pptx.oxml.ns import qn

                axis._element.find(qn("c:scaling")).insert(0, etree.Element(qn("c:logBase")))
                axis._element.find(qn("c:scaling"))[0].set("val", "10")
            limits = state.ranges.get(channel, {})
            for key, scale in (("min", "minimum_scale"), ("max", "maximum_scale")):
                value = limits.get(key)
                # "auto" and percentages of the data's own extent are left to PowerPoint.
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    setattr(axis, scale, 10.0**value if log else float(value))

        def label(axis: Any, column: str) -> None:
            axis.tick_labels.number_format = self.number_format(column)
            axis.tick_labels.number_format_is_linked = False
            # Titled by the measure's display name, as the player's axis is.
            axis.has_title = True
            axis.axis_title.text_frame.text = self.display.name(column)

        if kind.category is None:
            label(chart.category_axis, kind.values[0])  # a scatter plot's x axis holds values
            label(chart.value_axis, kind.values[1])
            fix(chart.category_axis, "x")
            fix(chart.value_axis, "y")
        elif not kind.kind.endswith("_100"):
            label(chart.value_axis, kind.values[0])
            fix(chart.value_axis, "x" if kind.kind.startswith("BAR") else "y")
        if kind.category is not None and kind.reversed:
            _reverse_categories(chart)

    def _format(self, column: str) -> NumberFormat:
        """The story's format of a table column (``"mean(Units)"`` too; counts read plainly)."""
        name, aggregator = measure_of(column)
        if aggregator in ("count", "distinct"):
            return self.display.plain
        return self.display.numbers.get(name, self.display.plain)

    def number_format(self, column: str) -> str:
        """The measure column's Excel format, the same on every slide of the deck."""
        return self.number_formats.get(column) or excel_format(self._format(column), [])

    def appendix(
        self, deck: Any, pages: Sequence[tuple[str, dict[str, Any], list[list[Any]]]]
    ) -> None:
        """The numbers behind the charts, as tables: each ``(title, table, rows)`` a slide."""
        from pptx.util import Inches, Pt

        for title, table, part in pages:
            dims = len(table["columns"]) - table["measures"]
            page = deck.slides.add_slide(deck.slide_layouts[5])
            _place_title(page, f"Data: {title}")
            shape = page.shapes.add_table(
                len(part) + 1,
                len(table["columns"]),
                Inches(0.6),
                Inches(1.5),
                Inches(12.1),
                Inches(0.35 * (len(part) + 1)),
            )
            grid = shape.table
            for c, column in enumerate(table["columns"]):
                grid.cell(0, c).text = self.display.name(column)
            for r, row in enumerate(part, start=1):
                for c, (column, value) in enumerate(zip(table["columns"], row, strict=True)):
                    text = (
                        self.display.label(column, str(value))
                        if c < dims
                        else self.display.number(column, value)
                    )
                    grid.cell(r, c).text = text
            for cell in (
                grid.cell(r, c) for r in range(len(part) + 1) for c in range(len(table["columns"]))
            ):
                for paragraph in cell.text_frame.paragraphs:
                    paragraph.font.size = Pt(11)


def _pages(
    tables: Sequence[tuple[str, dict[str, Any]]],
) -> list[tuple[str, dict[str, Any], list[list[Any]]]]:
    """The appendix's slides: each distinct table once, ``TABLE_ROWS`` rows a slide."""
    seen = set()
    pages = []
    for title, table in tables:
        key = repr((table["columns"], table["rows"]))
        if key in seen:
            continue
        seen.add(key)
        rows = table["rows"]
        for start in range(0, max(len(rows), 1), TABLE_ROWS):
            pages.append((title, table, rows[start : start + TABLE_ROWS]))
    return pages


def _kind_of(planned: Planned) -> Native | None:
    """The step's PowerPoint chart; a pie with a hole (its radius starting below zero) is a doughnut."""
    found = native(planned.state, planned.table)
    if (
        found is not None
        and planned.played.item.ends
        and found.kind.startswith("LINE")
        and found.series
    ):
        return replace(found, ends=True)
    if found is None or found.kind != "PIE":
        return found
    channels = planned.played.item.config.get("channels") or {}
    y = channels.get("y") if isinstance(channels, Mapping) else None
    low = ((y or {}).get("range") or {}).get("min") if isinstance(y, Mapping) else None
    if isinstance(low, str) and low.startswith("-"):
        return replace(found, kind="DOUGHNUT")
    return found


def _hold_bubble_sizes(
    chart: Any, kind: Native, state: ChartState, table: Mapping[str, Any]
) -> None:
    """Bubbles the same size for the same number on every slide, where the chart fixes
    the size range (a timeline does): PowerPoint sizes each chart's bubbles by its own
    largest, so that one is scaled down to where the fixed range puts it."""
    high = state.ranges.get("size", {}).get("max")
    if isinstance(high, bool) or not isinstance(high, (int, float)) or high <= 0:
        return
    at = table["columns"].index(kind.values[2])
    largest = max((abs(row[at]) for row in table["rows"] if row[at] is not None), default=0.0)
    if largest <= 0:
        return
    # Bubble areas follow the numbers: the width of the largest goes as the square root.
    chart.plots[0].bubble_scale = max(1, min(300, round(100 * math.sqrt(largest / high))))


def _chart_title(slide: Any, board: int | None, step: int) -> str | None:
    """The title a native chart shows at ``step`` (1-based): none when the slide's title
    says the same, as on screen (it is said once, by the slide's title)."""
    title = chart_titles(slide, board)[step - 1]
    headline = slide["heading"] if slide["headingShown"] else None
    return None if repeats_headline(title, headline) else title


def _why_a_picture(state: ChartState, table: Mapping[str, Any] | None) -> str:
    """The speaker note saying why a chart is a picture, not a PowerPoint chart."""
    if table is None:
        return "The chart is a picture: its filter is JavaScript, so only the browser knows its numbers."
    if _log_channels(state, ("size",)):
        return "The chart is a picture: its bubbles are sized on a log scale, and PowerPoint sizes bubbles only linearly."
    return "The chart is a picture: PowerPoint has no chart of this kind."


def _reverse_categories(chart: Any) -> None:
    """The category axis the other way round, the value axis still crossing it where its
    labels were (under a bar chart, left of a column chart)."""
    from pptx.oxml.ns import qn

    chart.category_axis.reverse_order = True
    crosses = chart.value_axis._element.find(qn("c:crosses"))
    if crosses is not None:
        crosses.set("val", "max")


def _keep_returns(chart: Any, data: Any) -> None:
    """Labels holding a carriage return keep it in the chart's cached text.

    python-pptx writes the chart as XML text with a bare CR, which any XML
    reader turns into a line feed; set through lxml it is written ``&#13;``.
    """
    names = [series.name for series in data]
    categories = [str(c.label) for c in getattr(data, "categories", [])]
    returned = {text.replace("\r\n", "\n").replace("\r", "\n"): text for text in names + categories}
    returned = {key: text for key, text in returned.items() if key != text}
    if not returned:
        return
    for value in chart._chartSpace.xpath(".//c:strCache/c:pt/c:v"):
        if value.text in returned:
            value.text = returned[value.text]


def _place_title(page: Any, text: str) -> None:
    """The slide's title across the top of a 16:9 slide (the template's is 4:3)."""
    from pptx.util import Inches, Pt

    title = page.shapes.title
    title.left, title.top, title.width, title.height = (
        Inches(0.5),
        Inches(0.25),
        Inches(WIDTH - 1.0),
        Inches(1.0),
    )
    title.text = text
    for paragraph in title.text_frame.paragraphs:
        paragraph.font.size = Pt(30)


def _page_around(page: Any, slide: Mapping[str, Any], count: int) -> list[Any]:
    """A graphics desk's page around the charts: the dek under the headline, the source line
    at the foot; where the charts go between them."""
    from pptx.util import Inches

    dek, source = slide.get("dek"), slide.get("source")
    if dek:
        page.shapes.title.height = Inches(0.8)  # the headline's box ends where the dek's begins
        _place_line(page, "Dek", dek, top=1.05, height=0.45, size=18)
    if source:
        _place_line(page, "Source", source, top=HEIGHT - 0.4, height=0.3, size=10)
    return _grid(count, top=1.55 if dek else 1.4, foot=0.4 if source else 0.3)


def _place_line(page: Any, name: str, text: str, *, top: float, height: float, size: int) -> Any:
    """A line of words across the slide at ``top`` inches: the dek, or the source line."""
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    box = page.shapes.add_textbox(Inches(0.5), Inches(top), Inches(WIDTH - 1.0), Inches(height))
    box.name = name
    box.text_frame.word_wrap = True
    box.text_frame.text = text
    for paragraph in box.text_frame.paragraphs:
        paragraph.font.size = Pt(size)
        paragraph.font.color.rgb = RGBColor.from_string("4A5568" if name == "Dek" else "5A6373")
    return box


def _grid(count: int, *, top: float = 1.4, foot: float = 0.3) -> list[tuple[Any, Any, Any, Any]]:
    """Where charts go: one filling the slide, or two to four side by side, from ``top``
    inches down to ``foot`` inches above the slide's bottom edge."""
    from pptx.util import Inches

    height = HEIGHT - top - foot
    if count <= 1:
        return [(Inches(0.5), Inches(top), Inches(WIDTH - 1.0), Inches(height))]
    columns = 2
    rows = math.ceil(count / columns)
    width = (WIDTH - 1.0) / columns
    cell = height / rows
    # As the player lays a dashboard out: a short last row gives the first chart the width.
    spare = (columns - count % columns) % columns
    boxes = [(0.5, top, WIDTH - 1.0 if spare else width, cell)]
    for i in range(1 + spare, count + spare):
        boxes.append((0.5 + (i % columns) * width, top + (i // columns) * cell, width, cell))
    return [(Inches(x), Inches(y), Inches(w - 0.1), Inches(h - 0.1)) for x, y, w, h in boxes]


def _describe_shape(shape: Any, alt: str) -> None:
    """The shape's alt text (``descr``), as PowerPoint's Alt Text pane shows it."""
    properties = shape._element.xpath("./*[1]/p:cNvPr")
    if properties:
        properties[0].set("descr", alt)


def _morph(page: Any) -> None:
    """PowerPoint's Morph transition into ``page``: its chart moves from the last one."""
    from lxml import etree

    slide = page._element
    transition = etree.fromstring(_MORPH)
    after = slide.find(f"{{{_P}}}clrMapOvr")
    if after is not None:
        after.addnext(transition)
    else:
        slide.append(transition)
