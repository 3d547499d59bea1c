"""The story checker: transitions that would confuse an audience, found before they meet one.

``Story.check()`` (and ``ipyreport check SPEC``, which ``build`` also runs)
walks the steps the way the player shows them and reports, with the slide,
the step and a suggestion:

- ``flicker``: a category that disappears and comes back on the next step;
- ``colors``: the colour channel switches to another dimension whose
  categories are drawn in colours the first one used (a story gives each
  colour dimension its own colours, so this takes a palette set by hand,
  or more categories than the palette has colours);
- ``everything``: a step changes geometry, coordinates, series and filter
  at once, so nothing stays put for the eye to follow;
- ``axis``: a value axis jumps by more than 4x between two otherwise alike
  steps;
- ``empty``: a step shows nothing, usually because its filter keeps no rows;
- ``marks``: more marks than a chart can show legibly;
- ``crossfilter``: a dashboard chart whose data lacks a dimension that
  clicks filter the other charts by, so it cannot follow them;
- ``colors`` also fires when two charts side by side on a dashboard colour
  different dimensions with shared colours;
- ``labels``: more value labels than fit on a slide (the player hides the
  ones that would overlap): side by side along a column chart's width, one
  above the other down a bar chart's height; or a pie of many small slices;
- ``format``: a measure in the thousands or more shown without a unit or
  currency, so ``323.8M`` could be anything;
- ``twice``: a unit said twice, as a computed number's format writes it and
  again by the words after it (``{sum(Orders)} orders`` reads ``1.0M orders
  orders`` when Orders is formatted as orders);
- ``typed``: a number typed by hand into a title, note or annotation of a
  step that draws a measure: it goes stale when the data changes, so the
  finding gives the expression that computes it (``{sum(Revenue,
  Region=Europe)}``), or says that nothing the step draws reads like it;
- ``slow``: a step that moves longer than the time budget (1.5 s): the
  audience waits, and loses what changed; or one that times some of its
  parts (``coordSystem``, ``x``, ...) but gives no whole duration, so the
  engine plays the rest at its own pace, one part after another;
- ``untrue``: a step whose value labels change to another measure while
  the same marks move (no cross-fade): each mark is written with a number
  of one measure while its size goes to the other's (ticks and legend
  numbers whose measure changes the player hides while the chart moves,
  and shares, of a 100% chart or a pie, it writes at rest only);
- ``blank``: a step that keeps none of the marks of the step before (a
  filter to other categories) and whose own animation options have the old
  marks shrink away before the new ones grow, so in between the chart is
  empty (as ipyreport stages such a move, the two overlap);
- ``legend``: a colour key (laid out as the player lays it, in rows above
  the plot) that would wrap into more than a quarter of a phone's chart; a
  key of one colour, which the player leaves out, so the colour goes
  unexplained; or a key that only repeats an axis's categories;
- ``cut``: a line or area whose points leave the value range a step sets
  (``zoom_range``): the engine draws no segment with an end outside the
  range, so each line breaks into pieces where it leaves and comes back.

``colors`` also names, where colours switch from one dimension to another,
a category that wears the colour another category had a step before (the
player fades the old colours out through a neutral before the new come in,
but the audience may still remember them), and
two categories of one dimension drawn in one colour (more categories than
the palette has colours).

Each chart is checked along what it plays: the main chart across the
ordinary slides, and each dashboard chart through its own steps.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ipyreport._colors import DEFAULT_PALETTE, color_dimension
from ipyreport._errors import IpyreportError
from ipyreport._expressions import Eager, Pushed, Query, Rows
from ipyreport._filters import Filter
from ipyreport._key import KEY, NARROW_SIZE, PHONE_CHART_PX, PHONE_PLOT_PX, rows_of
from ipyreport._motion import BUDGET_SECONDS, GROUPS, animations, duration_seconds, total_seconds
from ipyreport._plan import ChartState, channel_series, name_and_aggregator
from ipyreport._slides import Dashboard
from ipyreport._templates import is_template, parse
from ipyreport.data import Dimension
from ipyreport.formats import measure_of, scale_factor

if TYPE_CHECKING:
    from ipyreport._expressions import Rendered
    from ipyreport.story import Story

__all__ = ["MAX_LEGIBLE_MARKS", "Finding", "check"]

MAX_LEGIBLE_MARKS = 1_000
AXIS_JUMP = 4.0


@dataclass(frozen=True)
class Finding:
    """One warning: where it is, what kind, what is wrong and what to do.

    Made by :func:`check`; ``str(finding)`` is the line ``ipyreport check``
    prints.

    Parameters
    ----------
    slide : int
        The slide, 1-based.
    step : int
        The step on that slide, 1-based.
    kind : str
        What kind of warning: ``"flicker"``, ``"colors"``, ``"everything"``,
        ``"axis"``, ``"empty"``, ``"marks"``, ``"crossfilter"``, ``"labels"``,
        ``"format"``, ``"typed"``, ``"slow"``, ``"untrue"``, ``"blank"``,
        ``"rate"``, ``"legend"`` or ``"cut"``.
    message : str
        What is wrong and what to do about it.
    chart : int, optional
        On a dashboard, the chart, 1-based.

    Examples
    --------
    >>> str(Finding(2, 1, "empty", "the chart shows nothing", chart=3))
    'slide 2, chart 3, step 1: the chart shows nothing'
    """

    slide: int
    step: int
    kind: str
    message: str
    chart: int | None = None

    def __str__(self) -> str:
        chart = f", chart {self.chart}" if self.chart is not None else ""
        return f"slide {self.slide}{chart}, step {self.step}: {self.message}"


@dataclass(frozen=True)
class _Shown:
    slide: int
    step: int
    state: ChartState
    rows: dict[str, Any] | None
    chart: int | None = None


def check(story: Story) -> list[Finding]:
    """Every finding for ``story``, in the order the audience would meet them.

    ``Story.check()`` and ``ipyreport check SPEC`` call this.

    Parameters
    ----------
    story : Story
        A built story.

    Returns
    -------
    list of Finding
        Sorted by slide, step and chart; empty when nothing would confuse an
        audience.

    Examples
    --------
    >>> from ipyreport import Slide, Story, presets
    >>> by_region = presets.chart(kind="column", x="Region", y="Revenue")
    >>> story = Story({"Region": ["North", "South"], "Revenue": [3e6, 5e6]}, formats={"Revenue": "$"},
    ...               slides=[Slide(by_region, presets.chart(kind="column", x="Region", y="Revenue",
    ...                                                      filter={"Revenue": [9e6, None]}))])
    >>> [(finding.step, finding.kind) for finding in check(story)]
    [(2, 'empty')]
    """
    findings: list[Finding] = []
    plan = story.plan
    told: set[str] = set()  # measures already reported as needing a unit
    motion = animations(plan)

    @functools.cache
    def lazy_rows() -> Rows:
        """Where a lazy source lives, its rows, through one reader that caches its answers."""
        assert story._lazy_text is not None
        source = story._lazy_text[0]
        return Pushed(source, source.schema())

    for chain in plan.charts:
        shown = [
            _Shown(p.played.slide, p.played.step, p.state, p.table, p.played.chart) for p in chain
        ]
        findings += _legends(shown, story)
        for index, current in enumerate(shown):
            before = shown[index - 1] if index else None
            after = shown[index + 1] if index + 1 < len(shown) else None
            findings += _empty(current) + _marks(current) + _crowded_labels(current, story)
            findings += _cut_lines(current)
            findings += _summed_rates(current, story, lazy_rows)
            findings += _unformatted(current, story, told)
            findings += _crossfilter(current, plan.cross_filters.get(current.slide, ()))
            if before is not None:
                played = motion[current.slide, current.chart, current.step]
                findings += (
                    _colors(before, current, story.colors)
                    + _everything(before, current)
                    + _axis(before, current)
                    + _slow(before, current, played)
                    + _untrue(before, current, played)
                    + _blank(before, current, played)
                )
                if after is not None:
                    findings += _flicker(before, current, after)
    findings += _typed_numbers(story) + _units_twice(story)
    for number, slide in enumerate(story.slides, start=1):
        if isinstance(slide, Dashboard):
            walked = [
                [plan.at(number, c, k).state for k in range(1, len(steps) + 1)]
                for c, steps in enumerate(slide.charts, start=1)
            ]
            findings += _side_by_side_colors(number, slide, walked, story.colors)
    return sorted(findings, key=lambda found: (found.slide, found.step, found.chart or 0))


def _shared_colors(
    first: ChartState, second: ChartState, colors: Mapping[str, Mapping[str, str]]
) -> bool:
    """Whether two states colour different dimensions with some colour in common."""

    def used(state: ChartState) -> set[str]:
        dims = color_dimension(state)
        if state.palette is not None or not dims or dims[0] not in colors:
            # The engine's own order: the palette from its first colour.
            palette = state.palette.split() if state.palette else list(DEFAULT_PALETTE)
            count = len(state.data[dims[0]].categories) if dims else 0  # type: ignore[union-attr]
            return {palette[i % len(palette)].upper()[:7] for i in range(count)}
        return {color.upper()[:7] for color in colors[dims[0]].values()}

    old, new = color_dimension(first), color_dimension(second)
    return bool(old and new and old != new and used(first) & used(second))


def _side_by_side_colors(
    number: int,
    board: Dashboard,
    walked: Sequence[Sequence[ChartState]],
    colors: Mapping[str, Mapping[str, str]],
) -> list[Finding]:
    """Charts of one dashboard (``walked``: each chart's states) whose same colours mean different dimensions."""
    findings: list[Finding] = []
    reported: set[tuple[int, int]] = set()
    for k in range(board.length):
        states = [chart[min(k, len(chart) - 1)] for chart in walked]
        for second, state in enumerate(states):
            for first in range(second):
                old, new = color_dimension(states[first]), color_dimension(state)
                if not _shared_colors(states[first], state, colors) or (first, second) in reported:
                    continue
                reported.add((first, second))
                findings.append(
                    Finding(
                        number,
                        k + 1,
                        "colors",
                        f"this chart colours by {', '.join(new)} and chart {first + 1} beside it by "
                        f"{', '.join(old)} in shared colours, so one colour means two things on "
                        "this slide; colour both by one dimension, or give one its own colours (Story colors=)",
                        second + 1,
                    )
                )
    return findings


def _where(shown: _Shown, kind: str, message: str) -> Finding:
    return Finding(shown.slide, shown.step, kind, message, shown.chart)


def _crossfilter(current: _Shown, names: Sequence[str]) -> list[Finding]:
    if current.chart is None:
        return []
    missing = [name for name in names if name not in current.state.data.names]
    if not missing:
        return []
    return [
        _where(
            current,
            "crossfilter",
            f"clicks in the other charts filter by {', '.join(missing)}, which this chart's data "
            "does not have, so it keeps showing everything; draw it from the story's data or "
            "leave those dimensions out of cross_filter",
        )
    ]


def _categories(shown: _Shown) -> dict[str, set[str]]:
    """Per dimension, the categories that have a mark with a value."""
    rows = shown.rows
    if not rows:
        return {}
    count = len(rows["columns"]) - rows["measures"]
    found: dict[str, set[str]] = {name: set() for name in rows["columns"][:count]}
    # A timeline's placeholder rows are drawn (as empty marks), so they count.
    placeholders = shown.state.data.has_placeholders
    for row in rows["rows"]:
        if rows["measures"] and not placeholders and all(value is None for value in row[count:]):
            continue
        for name, value in zip(rows["columns"][:count], row[:count], strict=True):
            found[name].add(value)
    return found


def _listed(spec: Filter | None) -> set[str]:
    """The dimensions whose categories a filter names outright (``in``, alone or in an ``and``)."""
    if spec is None:
        return set()
    if spec.op == "in":
        return {spec.args[0]}
    if spec.op == "and":
        return set().union(*(_listed(part) for part in spec.args))
    return set()


def _flicker(before: _Shown, current: _Shown, after: _Shown) -> list[Finding]:
    findings: list[Finding] = []
    if not _series(before.state) == _series(current.state) == _series(after.state):
        return findings  # a different chart (a drill-down, say) may show other categories
    if current.state.ranges != before.state.ranges:
        return findings  # a zoom into a range of values keeps only the marks inside it
    then, now, later = _categories(before), _categories(current), _categories(after)
    # Categories the step's own filter lists are chosen on purpose (a race's top N).
    chosen = _listed(current.state.filter)
    for name in (now.keys() & then.keys() & later.keys()) - chosen:
        gone = sorted((then[name] & later[name]) - now[name])
        if gone:
            listed = ", ".join(repr(c) for c in gone[:3]) + (" and more" if len(gone) > 3 else "")
            findings.append(
                _where(
                    current,
                    "flicker",
                    f"{listed} of {name!r} disappear(s) here and come(s) back on the next step; "
                    "keep the categories in place (presets.timeline fills such gaps) or leave them out throughout",
                )
            )
    return findings


def _painted(state: ChartState, colors: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """The colour each category of a state's colour dimension is drawn in (``#RRGGBB``)."""
    dims = color_dimension(state)
    if not dims:
        return {}
    if state.palette is None and dims[0] in colors:
        return {category: color.upper()[:7] for category, color in colors[dims[0]].items()}
    palette = state.palette.split() if state.palette else list(DEFAULT_PALETTE)
    categories = state.data[dims[0]].categories  # type: ignore[union-attr]
    return {c: palette[i % len(palette)].upper()[:7] for i, c in enumerate(categories)}


def _borrowed(
    before: _Shown, current: _Shown, colors: Mapping[str, Mapping[str, str]]
) -> tuple[str, str] | None:
    """A category drawn now in the colour another category had a step before: (now, then)."""
    old, new = color_dimension(before.state), color_dimension(current.state)
    then, now = _painted(before.state, colors), _painted(current.state, colors)
    shown_then = _categories(before).get(old[0], set())
    for category in sorted(_categories(current).get(new[0], set())):
        owner = next(
            (c for c in sorted(shown_then) if then.get(c) == now.get(category) and c != category),
            None,
        )
        if owner is not None:
            return category, owner
    return None


def _colors(
    before: _Shown, current: _Shown, colors: Mapping[str, Mapping[str, str]]
) -> list[Finding]:
    old, new = color_dimension(before.state), color_dimension(current.state)
    if not _shared_colors(before.state, current.state, colors):
        return []
    borrowed = _borrowed(before, current, colors)
    example = (
        f": once the marks have moved, {borrowed[0]} ({new[0]}) wears the colour "
        f"{borrowed[1]} ({old[0]}) had"
        if borrowed
        else ""
    )
    return [
        _where(
            current,
            "colors",
            f"colours switch from {', '.join(old)} to {', '.join(new)}, so the same colours now mean "
            f"other things{example}; keep one colour dimension across these steps, or give each its "
            "own colours (Story colors=)",
        )
    ]


def _series(state: ChartState) -> set[str]:
    dims, measures = channel_series(state)
    return set(dims) | {name for name, _ in measures}


def _everything(before: _Shown, current: _Shown) -> list[Finding]:
    old, new = before.state, current.state
    changes = [
        old.config.get("geometry") != new.config.get("geometry"),
        old.config.get("coordSystem") != new.config.get("coordSystem"),
        _series(old) != _series(new),
        old.filter != new.filter,
    ]
    if not all(changes):
        return []
    return [
        _where(
            current,
            "everything",
            "geometry, coordinates, series and filter all change at once, so nothing stays put for the eye "
            "to follow; split it into two steps (for example change the filter first)",
        )
    ]


def _slow(before: _Shown, current: _Shown, animation: Mapping[str, Any]) -> list[Finding]:
    seconds = total_seconds(animation)
    if seconds > BUDGET_SECONDS:
        return [
            _where(
                current,
                "slow",
                f"the step moves for {seconds:g} s, longer than {BUDGET_SECONDS:g} s: the audience waits and "
                f"loses what changed; give it a duration of {BUDGET_SECONDS:g} s or less (animation: "
                "{duration: 1}), or split the change into steps",
            )
        ]
    timed = [group for group in GROUPS if group in animation]
    reshaped = (before.state.config, before.state.channels) != (
        current.state.config,
        current.state.channels,
    )
    if not timed or "duration" in animation or not reshaped:
        return []
    # The engine fits the groups into a whole duration when the step gives one; without it,
    # it plays what the step does not time at its own pace, one part after another.
    return [
        _where(
            current,
            "slow",
            f"the step times {', '.join(timed)} itself but not the whole change: the engine plays "
            "the rest at its own pace, one part after another, for up to about 3 s; give the step "
            "a whole duration as well (animation: {duration: 1, ...}) and the parts fit in it",
        )
    ]


def _label_measures(state: ChartState) -> list[str]:
    measures = {name for name, _ in channel_series(state)[1]}
    return [
        name_and_aggregator(entry)[0]
        for entry in state.channels.get("label", [])
        if name_and_aggregator(entry)[0] in measures
    ]


def _shares(state: ChartState) -> bool:
    """Whether a chart's value labels read as shares: a 100% chart's, or a pie's (a measure
    on the angle, none on the radius). The player writes such labels at rest only."""
    if state.config.get("align") == "stretch":
        return True
    if state.config.get("coordSystem") != "polar":
        return False
    measures = {name for name, _ in channel_series(state, labels=False)[1]}

    def measured(axis: str) -> bool:
        return any(
            name_and_aggregator(entry)[0] in measures for entry in state.channels.get(axis, [])
        )

    return measured("x") and not measured("y")


def _untrue(before: _Shown, current: _Shown, animation: Mapping[str, Any]) -> list[Finding]:
    old, new = _label_measures(before.state), _label_measures(current.state)
    # A cross-fade draws no mark of one chart at the other's size; a staged morph (``via``)
    # and shares (of a 100% chart or a pie) are labelled at rest only.
    if not old or not new or old == new or animation.get("regroupStrategy") == "fade":
        return []
    if animation.get("via"):
        return []
    if _shares(before.state) or _shares(current.state):
        return []
    return [
        _where(
            current,
            "untrue",
            f"the value labels change from {', '.join(old)} to {', '.join(new)} while the marks "
            f"move: in between, each mark is written with a number of {old[0]} at a size on its way "
            f"to {new[0]}'s; change the measure in a step without labels (label: false), then label it",
        )
    ]


def _marks_of(shown: _Shown) -> set[tuple[Any, ...]] | None:
    """The marks a step draws with a value, each by its categories (None: no table)."""
    rows = shown.rows
    if rows is None or not rows["measures"]:
        return None
    count = len(rows["columns"]) - rows["measures"]
    placeholders = shown.state.data.has_placeholders
    return {
        tuple(row[:count])
        for row in rows["rows"]
        if placeholders or any(value is not None for value in row[count:])
    }


def _blank(before: _Shown, current: _Shown, animation: Mapping[str, Any]) -> list[Finding]:
    """A step whose marks share none with the step before, played so that the old ones
    shrink and fade away before the new ones grow in: in between the plot shows nothing.
    Played as ipyreport stages such a move (``_motion.stages``: every mark comes and goes
    over the whole step), the two overlap and some marks are always in sight."""
    old, new = _marks_of(before), _marks_of(current)
    if not old or not new or old & new or _overlapping(animation):
        return []
    if before.rows["columns"] != current.rows["columns"]:  # type: ignore[index]
        return []  # other marks altogether: the player stages (or cross-fades) such a change
    return [
        _where(
            current,
            "blank",
            "no mark of the step before stays (its filter keeps none of the same categories): "
            "the old marks shrink away before the new ones grow, and in between the chart is "
            "empty; go through a step whose filter keeps both",
        )
    ]


def _overlapping(animation: Mapping[str, Any]) -> bool:
    """Whether marks coming start to show before the marks going are gone."""
    show, hide = animation.get("show"), animation.get("hide")
    if not isinstance(show, Mapping) or not isinstance(hide, Mapping):
        return False
    gone = (duration_seconds(hide.get("delay")) or 0.0) + (
        duration_seconds(hide.get("duration")) or 0.0
    )
    return (duration_seconds(show.get("delay")) or 0.0) < gone


# The most of a phone's chart a colour key may take before the plot is squeezed.
KEY_SHARE = 0.25


def _key_of(shown: _Shown, story: Story) -> tuple[str, list[str]] | None:
    """The dimension the player's colour key names (``keyDimension`` in ``steps.js``, and
    ``withKey`` in ``tracks.js``) and the categories it lists (those the step draws, in the
    data's order), or None for no key."""
    state = shown.state
    entries = [name_and_aggregator(entry)[0] for entry in state.channels.get("color", [])]
    if len(entries) != 1 or entries[0] not in story.colors or entries[0] not in state.data.names:
        return None
    name = entries[0]
    series = state.data[name]
    legend = state.config.get("legend", "auto")
    if not isinstance(series, Dimension) or legend not in ("color", "auto"):
        return None
    if shown.chart is not None and _on_axis(shown, name):
        return None  # a dashboard's chart names such colours on its axis only
    drawn = _categories(shown).get(name, set())
    return name, [category for category in series.categories if category in drawn]


def _on_axis(shown: _Shown, name: str) -> str | None:
    """The axis (``x`` or ``y``) that names ``name``'s categories, on a cartesian chart."""
    if shown.state.config.get("coordSystem", "cartesian") != "cartesian":
        return None
    data = shown.state.data
    for axis in ("x", "y"):
        names = [name_and_aggregator(e)[0] for e in shown.state.channels.get(axis, [])]
        # Only an axis of this dimension alone reads as its categories: with a measure it
        # is a value axis (the dimensions on it stack, unnamed), with another dimension
        # it names that one's categories, grouped.
        if [n for n in names if n in data.names] == [name]:
            return axis
    return None


def _legends(shown: Sequence[_Shown], story: Story) -> list[Finding]:
    """Colour keys that would crowd a phone's chart, name one colour, or repeat an axis."""
    findings: list[Finding] = []
    keys = [_key_of(step, story) for step in shown]
    crowded: set[str] = set()
    for index, (step, key) in enumerate(zip(shown, keys, strict=True)):
        if key is None:
            continue
        name, categories = key
        labels = [story.display.label(name, category) for category in categories]
        rows = rows_of(labels, PHONE_PLOT_PX, NARROW_SIZE)
        height = rows * NARROW_SIZE * KEY["line"]
        if height > KEY_SHARE * PHONE_CHART_PX[1] and name not in crowded:
            crowded.add(name)
            findings.append(
                _where(
                    step,
                    "legend",
                    f"the colour key names {len(labels)} {name} categories: on a phone it wraps into "
                    f"{rows} rows ({height:.0f} px) over the plot, more than a quarter of the chart; "
                    "colour by a dimension with fewer categories, show the top few, or name the "
                    "marks directly (ends=True on lines)",
                )
            )
        first = index == 0 or keys[index - 1] is None or keys[index - 1][0] != name  # type: ignore[index]
        if first:
            findings += _one_colour_twice(step, name, categories, story)
        if first and len(categories) == 1 and not _several_in_run(keys, index):
            findings.append(
                _where(
                    step,
                    "legend",
                    f"every mark is coloured as {labels[0]!r}, the one {name} shown: a key of one "
                    "colour says nothing, so the player leaves it out and the colour goes "
                    "unexplained; drop color= here, or colour by a dimension with several categories",
                )
            )
    findings += _repeated_axis(shown, keys)
    return findings


def _one_colour_twice(
    step: _Shown, name: str, categories: Sequence[str], story: Story
) -> list[Finding]:
    """Two categories the step draws in one colour (more categories than the palette has)."""
    owner: dict[str, str] = {}
    for category in categories:
        given = story.colors[name].get(category)
        if given is None:
            continue
        color, label = given.upper()[:7], story.display.label(name, category)
        if color in owner:
            return [
                _where(
                    step,
                    "colors",
                    f"{owner[color]!r} and {label!r} of {name} are drawn in one colour (the "
                    f"{len(categories)} categories outnumber the palette's colours), so each "
                    "wears the other's colour; colour by fewer categories, show the top few, or "
                    "give them colours of their own (Story colors=)",
                )
            ]
        owner[color] = label
    return []


def _several_in_run(keys: Sequence[tuple[str, list[str]] | None], start: int) -> bool:
    """Whether a step of the run of keys of one dimension from ``start`` names several colours
    (a drill-down keeps the region's colour on one region's countries, for continuity)."""
    name = keys[start][0]  # type: ignore[index]
    for key in keys[start:]:
        if key is None or key[0] != name:
            return False
        if len(key[1]) > 1:
            return True
    return False


def _repeated_axis(
    shown: Sequence[_Shown], keys: Sequence[tuple[str, list[str]] | None]
) -> list[Finding]:
    """Runs of steps whose colour key names the categories an axis already names, where no
    step next to the run needs the colour (a pie after them, say)."""
    findings: list[Finding] = []
    index = 0
    while index < len(shown):
        key = keys[index]
        axis = _on_axis(shown[index], key[0]) if key and len(key[1]) > 1 else None
        if key is None or axis is None:
            index += 1
            continue
        end = index
        while end + 1 < len(shown) and keys[end + 1] and keys[end + 1][0] == key[0]:  # type: ignore[index]
            if _on_axis(shown[end + 1], key[0]) is None:
                break
            end += 1
        needed = [
            keys[i] is not None and keys[i][0] == key[0]  # type: ignore[index]
            for i in (index - 1, end + 1)
            if 0 <= i < len(shown)
        ]
        if not any(needed):
            findings.append(
                _where(
                    shown[index],
                    "legend",
                    f"the colour key repeats the {axis} axis: both name the {key[0]} categories, so "
                    f"the colour adds nothing to read; drop color={key[0]!r}, or colour by another "
                    "dimension",
                )
            )
        index = end + 1
    return findings


def _measures_on(shown: _Shown, channel: str) -> list[str]:
    """The measures on one channel of the step's chart (its axis's, on ``x`` or ``y``)."""
    entries = shown.state.channels.get(channel) or []
    one = ChartState({channel: entries}, {}, None, shown.state.data)
    return [name for name, _ in channel_series(one)[1]]


def _axis_top(shown: _Shown, channel: str) -> tuple[str, float] | None:
    rows = shown.rows
    measures = _measures_on(shown, channel)
    if not rows or len(measures) != 1:
        return None
    position = len(rows["columns"]) - rows["measures"]
    values = [abs(row[position]) for row in rows["rows"] if row[position] is not None]
    return (measures[0], max(values)) if values else None


def _axis(before: _Shown, current: _Shown) -> list[Finding]:
    findings: list[Finding] = []
    if _series(before.state) != _series(current.state):
        return findings
    for channel in ("x", "y"):
        old, new = _axis_top(before, channel), _axis_top(current, channel)
        if not old or not new or old[0] != new[0] or min(old[1], new[1]) <= 0:
            continue
        ratio = max(old[1], new[1]) / min(old[1], new[1])
        if ratio > AXIS_JUMP:
            findings.append(
                _where(
                    current,
                    "axis",
                    f"the {channel} axis ({old[0]}) jumps {ratio:.0f}x from the previous step; fix its range "
                    f"(config channels.{channel}.range) or show the change in smaller steps",
                )
            )
    return findings


def _cut_lines(current: _Shown) -> list[Finding]:
    """Points of a line or area outside a value range the step sets, on the axis of one
    measure: the engine leaves out every segment with an end outside, so the lines break."""
    rows = current.rows
    if (
        not rows
        or rows["measures"] != 1
        or current.state.config.get("geometry") not in ("line", "area")
    ):
        return []
    findings = []
    position = len(rows["columns"]) - 1
    values = [row[position] for row in rows["rows"] if row[position] is not None]
    for channel, bounds in current.state.ranges.items():
        low, high = (bounds.get(end) for end in ("min", "max"))
        numbers = [end if isinstance(end, int | float) else None for end in (low, high)]
        on_axis = _measures_on(current, channel)
        if numbers == [None, None] or len(on_axis) != 1:
            continue
        outside = [
            value
            for value in values
            if (numbers[0] is not None and value < numbers[0])
            or (numbers[1] is not None and value > numbers[1])
        ]
        if outside:
            message = (
                f"{len(outside):,} of {len(values):,} points of {on_axis[0]} lie outside the "
                f"{channel} axis's range ({low} to {high}): the chart draws no line between a point "
                "inside and one outside, so the lines break into pieces; widen the range, or keep "
                "only the rows it holds (a filter on the time axis)"
            )
            findings.append(_where(current, "cut", message))
    return findings


def _empty(current: _Shown) -> list[Finding]:
    rows = current.rows
    if rows is None or not rows["measures"]:
        return []
    count = len(rows["columns"]) - rows["measures"]
    if rows["rows"] and current.state.data.has_placeholders:
        return []  # a period with no data in a timeline is shown on purpose, as a gap
    if any(any(value is not None for value in row[count:]) for row in rows["rows"]):
        return []
    cause = " (its filter keeps no rows)" if current.state.filter is not None else ""
    return [
        _where(
            current,
            "empty",
            f"the chart shows nothing{cause}; check the filter values or drop the step",
        )
    ]


# A nominal slide: the width and height value labels share, a label character's
# width and a label line's height.
SLIDE_WIDTH_PX = 1100
SLIDE_HEIGHT_PX = 480
LABEL_CHAR_PX = 6.5
LABEL_LINE_PX = 16
MAX_LABELLED_SLICES = 12
UNIT_WORTHY = 10_000  # a measure this large reads as a bare "12.3K" without a unit


def _crowded_labels(current: _Shown, story: Story) -> list[Finding]:
    rows = current.rows
    labelled = current.state.channels.get("label")
    if rows is None or not labelled or not rows["rows"] or not rows["measures"]:
        return []
    if _names_outliers(current.state):
        return []
    value_at = len(rows["columns"]) - rows["measures"]
    column = rows["columns"][value_at]
    if current.state.config.get("coordSystem") == "polar":
        if rows["total"] > MAX_LABELLED_SLICES:
            message = (
                f"{rows['total']} labelled slices: the small ones' labels will not fit and are left out; "
                "label the largest few, or group the rest as 'Other'"
            )
            return [_where(current, "labels", message)]
        return []
    if value_at != 1:
        return []  # stacked or grouped marks share their bar's room: the player thins them
    dimension = rows["columns"][0]
    count = rows["total"]
    if count > 1 and _down_the_height(current.state, dimension):
        # A bar chart: each label at its own bar's end, one above the other.
        need = count * LABEL_LINE_PX
        if need > SLIDE_HEIGHT_PX:
            message = (
                f"{count} value labels need about {need:,.0f} px one above the other, more than a slide has; "
                "the player hides the ones that would overlap: drop label=, or show fewer marks"
            )
            return [_where(current, "labels", message)]
        return []
    widest = max(len(story.display.number(column, row[value_at])) for row in rows["rows"])
    need = count * (widest * LABEL_CHAR_PX + 8)
    if count > 1 and need > SLIDE_WIDTH_PX:
        message = (
            f"{count} value labels need about {need:,.0f} px side by side, more than a slide has; "
            "the player hides the ones that would overlap: drop label=, or show fewer marks"
        )
        return [_where(current, "labels", message)]
    return []


def _names_outliers(state: ChartState) -> bool:
    """Whether the player names only a scatter's outliers (``namesOutliers`` in ``steps.js``):
    circles on cartesian axes of two measures, no size, labelled by dimensions only."""
    if state.config.get("geometry") != "circle" or state.config.get("coordSystem") == "polar":
        return False

    def measures(channel: str) -> list[str]:
        one = ChartState({channel: state.channels.get(channel, [])}, {}, None, state.data)
        return [name for name, _ in channel_series(one)[1]]

    labels = [name_and_aggregator(entry)[0] for entry in state.channels.get("label", [])]
    return (
        bool(measures("x") and measures("y"))
        and not measures("size")
        and bool(labels)
        and all(
            name in state.data.names and isinstance(state.data[name], Dimension) for name in labels
        )
    )


def _down_the_height(state: ChartState, dimension: str) -> bool:
    """Whether a chart lays its marks of ``dimension`` out down its height (a bar chart's
    rows: the dimension on the y axis, not on x), so their labels stack vertically."""

    def names(channel: str) -> list[str]:
        return [name_and_aggregator(entry)[0] for entry in state.channels.get(channel, [])]

    return dimension in names("y") and dimension not in names("x")


def _unformatted(current: _Shown, story: Story, told: set[str]) -> list[Finding]:
    rows = current.rows
    if rows is None or not rows["measures"]:
        return []
    found = []
    for index, column in enumerate(rows["columns"][len(rows["columns"]) - rows["measures"] :]):
        name, aggregator = measure_of(column)
        at = len(rows["columns"]) - rows["measures"] + index
        largest = max((abs(row[at]) for row in rows["rows"] if row[at] is not None), default=0)
        fmt = story.display.numbers.get(name)
        if (
            name in told
            or aggregator in ("count", "distinct")
            or name in story.formatted
            or fmt is None
            or fmt["prefix"]
            or fmt["suffix"]
            or largest < UNIT_WORTHY
        ):
            continue
        told.add(name)
        example = story.display.number(column, largest)
        found.append(
            _where(
                current,
                "format",
                f"{name} reads as {example} with no unit; say what it counts: "
                f"formats={{{name!r}: '$'}} (or '€', '%', 'units', ...)",
            )
        )
    return found


# A measure whose name says it is a rate, a share or an average of something (gapminder's
# "gdpPercap", "unemployment_rate", "avg_price"): its values do not add up.
_RATE_NAME = re.compile(
    r"per[\s_-]?cap|(?<![a-z])(?:per|rate|ratio|percent|percentage|pct|share|avg|average|mean"
    r"|median|expectancy|price|temperature|temp)(?![a-z])",
    re.IGNORECASE,
)


def _rate_word(name: str) -> str | None:
    """The word in a measure's name that says it is no amount ("Percap" in gdpPercap), or None."""
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name)  # gdpPercap -> gdp_Percap
    found = _RATE_NAME.search(words)
    return found.group(0) if found else None


def _summed_rates(current: _Shown, story: Story, lazy_rows: Callable[[], Rows]) -> list[Finding]:
    """Rates and averages added up by the default sum over several rows per mark."""
    rows = current.rows
    state = current.state
    if rows is None or not rows["total"]:
        return []
    # Only a sum nobody wrote: "sum(gdpPercap)" is the author's choice.
    defaults = {
        entry
        for entries in state.channels.values()
        for entry in entries
        if isinstance(entry, str) and measure_of(entry) == (entry, "sum")
    }
    rates = []
    for name, aggregator in channel_series(state)[1]:
        fmt = story.display.numbers.get(name)
        word = _rate_word(name) or ("%" if fmt and fmt["suffix"] == "%" else None)
        if aggregator == "sum" and name in defaults and word is not None:
            rates.append((name, word))
    if not rates:
        return []
    findings = []
    for name, word in rates:
        kept = _rows_summed(current, story, name, lazy_rows)
        if kept <= rows["total"]:
            continue  # one row per mark: its sum is the row's own value
        findings.append(
            _where(
                current,
                "rate",
                f"{name} reads as a rate or an average ({word!r}), yet its {rows['total']:,} "
                f"marks add up {kept:,} rows: such sums mean nothing; write 'mean({name})' "
                f"(or 'min({name})', 'max({name})'), or 'sum({name})' if adding them up is meant",
            )
        )
    return findings


def _rows_summed(current: _Shown, story: Story, name: str, lazy_rows: Callable[[], Rows]) -> int:
    """How many rows hold a value of measure ``name`` under the step's filter: in the
    story's data, or where a lazy source lives (whose steps draw tables already summed
    per mark, so their own rows would hide a sum over many)."""
    lazy = story._lazy_text
    original = lazy[1].get((current.slide, current.chart, current.step)) if lazy else None
    if lazy is not None and original is not None:
        rows, where = lazy_rows(), original.filter
    else:
        rows, where = Eager(current.state.data), current.state.filter
    ((_, count),) = rows.grouped(Query(None, name, "count", where))
    return int(count or 0)


def _marks(current: _Shown) -> list[Finding]:
    rows = current.rows
    if rows is None or rows["total"] <= MAX_LEGIBLE_MARKS:
        return []
    return [
        _where(
            current,
            "marks",
            f"{rows['total']:,} marks are more than a chart can show legibly ({MAX_LEGIBLE_MARKS:,}); "
            "aggregate to a coarser dimension, filter, or show the top values",
        )
    ]


# A number as people type it: an optional currency, digits with separators, a
# scale word or a percent sign ("$1.2M", "12%", "1,234", "3.5bn").
_TYPED = re.compile(
    r"(?<![\w.\-/:])(?P<prefix>[$€£¥])?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"\s?(?P<scale>K|M|bn|tn|%|k)?(?![\w.]*\d)(?![A-Za-z])(?![\-/:]\d)"
)


def _typed_numbers(story: Story) -> list[Finding]:
    """Numbers typed by hand into the words of steps that draw a measure."""
    findings: list[Finding] = []
    plan = story.plan
    for number, slide in enumerate(story.slides, start=1):
        board = isinstance(slide, Dashboard)
        first = plan.at(number, 1 if board else None, 1)
        for name in ("title", "dek", "notes", "alt"):
            text = getattr(slide, name)
            if text and text != "auto":
                findings += _typed_in(text, f"the slide's {name}", first.table, (number, 1, None))
    for planned in plan.steps():
        played = planned.played
        own = played.item.config.get("title")
        highlight = played.item.highlight
        for name, text in (
            ("title", own),
            ("highlight note", highlight.note if highlight else None),
        ):
            if isinstance(text, str) and text:
                findings += _typed_in(
                    text,
                    f"the chart's {name}",
                    planned.table,
                    (played.slide, played.step, played.chart),
                )
    return findings


def _units_twice(story: Story) -> list[Finding]:
    """Words that say a computed number's unit again, right after the number says it."""
    narration = story.narration
    texts: list[tuple[int, int, int | None, str, Rendered | str]] = [
        (number, 1, None, f"the slide's {name}", rendered)
        for number, fields in narration.slides.items()
        for name, rendered in fields.items()
    ]
    texts += [
        (slide, step, chart, f"the chart's {name}", rendered)
        for (slide, chart, step), fields in narration.steps.items()
        for name, rendered in fields.items()
    ]
    findings = []
    for slide, step, chart, field, rendered in texts:
        if isinstance(rendered, str):
            continue
        for part, after in zip(rendered.parts, rendered.parts[1:], strict=False):
            if not isinstance(part, dict) or not isinstance(after, str):
                continue
            unit = part["text"].rsplit(" ", 1)[-1]
            said = re.match(r"\s+(\w+)", after)
            if unit.isalpha() and said and said[1].casefold() == unit.casefold():
                message = (
                    f"{field} says {unit!r} twice: {{{part['source']}}} is written "
                    f"{part['text']!r} (its format's unit), and the words after it say "
                    f"{unit!r} again; drop the word after the expression"
                )
                findings.append(Finding(slide, step, "twice", message, chart))
    return findings


def _literal(text: str) -> str:
    """The words of ``text`` that are not expressions."""
    try:
        template = parse(text) if is_template(text) else None
    except IpyreportError:
        return ""  # the story would not have been built
    if template is None:
        return text
    return " ".join(part for part in template.parts if isinstance(part, str))


def _typed_in(
    text: str, field: str, rows: dict[str, Any] | None, at: tuple[int, int, int | None]
) -> list[Finding]:
    """The hand-typed numbers of ``text``, read at (slide, step, dashboard chart) ``at``."""
    slide, step, chart = at
    if not rows or not rows["measures"] or not rows["rows"]:
        return []
    findings = []
    for match in _TYPED.finditer(_literal(text)):
        digits = match["number"].replace(",", "")
        value = float(digits)
        scale = match["scale"]
        if (
            not match["prefix"]
            and not scale
            and (value < 10 or (value.is_integer() and 1900 <= value <= 2100))
        ):
            continue  # a small count or a year
        typed = match.group(0).strip()
        factor = 0.01 if scale == "%" else scale_factor(scale or "")
        wanted = value * factor
        decimals = len(digits.partition(".")[2])
        tolerance = 0.5 * 10 ** (-decimals) * factor
        source = _source_of(wanted, tolerance, rows, percent=scale == "%")
        if source:
            fix = f"write {{{source}}} so it follows the data"
        else:
            fix = (
                "no number this step draws reads like it, so it may be stale; compute it with "
                "an expression such as {sum(Revenue)}, {share(Revenue, Region=Europe)} or "
                "{change(Revenue, Month)}"
            )
        findings.append(
            Finding(slide, step, "typed", f"{field} quotes {typed!r} by hand; {fix}", chart)
        )
    return findings


def _source_of(
    wanted: float, tolerance: float, rows: dict[str, Any], *, percent: bool
) -> str | None:
    """The expression that gives ``wanted``: a total, a mark's value or its share."""
    dim_count = len(rows["columns"]) - rows["measures"]
    names = rows["columns"][:dim_count]
    for offset, column in enumerate(rows["columns"][dim_count:]):
        measure, aggregator = measure_of(column)
        values = [row[dim_count + offset] for row in rows["rows"]]
        present = [v for v in values if v is not None]
        total = sum(present)
        candidates: list[tuple[float, str]] = []
        if aggregator == "sum" and not percent:
            candidates.append((total, f"sum({measure})"))
        for row, value in zip(rows["rows"], values, strict=True):
            if value is None:
                continue
            where = ", ".join(
                f"{name}={_quoted(str(label))}" for name, label in zip(names, row, strict=False)
            )
            if percent and total:
                candidates.append((value / total, f"share({measure}, {where})"))
            elif not percent:
                candidates.append(
                    (
                        value,
                        f"{aggregator}({measure}, {where})"
                        if where
                        else f"{aggregator}({measure})",
                    )
                )
        for candidate, source in candidates:
            if abs(candidate - wanted) <= tolerance + 1e-9 * abs(wanted):
                return source
    return None


def _quoted(label: str) -> str:
    return label if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", label) else '"' + label + '"'
