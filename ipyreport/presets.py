"""Chart presets and the animated transitions between them.

Every function returns :class:`~ipyreport.step.Step` values: plain configs,
filters and animation options that the player (HTML or notebook) animates
between. Arguments use the same words for every chart kind, so a morph
keeps its series while the chart changes around them:

- ``x``: the dimension(s) marks are laid out by (bars, slices, rectangles,
  the time axis of a line); for ``scatter`` and ``bubble_plot`` a measure;
- ``y``: the measure shown (bar length, slice angle, rectangle area);
  write ``"mean(Price)"`` for another aggregation than the sum;
- ``color``: a dimension that breaks marks down (stacks, groups, slices,
  lines) and colours them;
- ``size``: a second measure (bubble size, mekko column width);
- ``by``: a dimension that splits marks without colouring them (scatter);
- ``label``: the series written on the marks (default as in Vizzu).

Every preset takes its keywords in one order: ``data`` first, then what it
is about (``chart``'s ``kind``, ``morph``'s ``kinds``, ``zoom``'s
``levels`` and ``path``), the channels ``x``, ``y``, ``color``, ``size``,
``by`` and ``time``, its own options, and last the words every preset
shares: ``title`` (or ``titles``, one per step), ``style``, ``label``,
``sort``, ``duration``, ``hold`` and ``filter``. ``duration=None`` is the
pace ipyreport gives that kind of change (1 s a chart step, 1.2 s a morph
or compare, 1 s a zoom, 0.5 s a highlight, 0.8 s a timeline moment);
``hold`` is the seconds play mode rests on a step after it settles (by
default the slide's, else the story's; 0.25 s for a timeline's moments).
Specs and the ``%ipyreport`` magic read the same keywords from
:data:`REGISTRY`, which is made from these signatures.

>>> step = chart(kind="stacked_column", x="Region", y="Revenue", color="Product")
>>> step.config["channels"]["y"]["set"]
['Revenue', 'Product']
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import math
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, ParamSpec, TypeVar

import numpy as np
import pyarrow as pa

from ipyreport._calendar import fill_periods
from ipyreport._describe import words
from ipyreport._errors import closest
from ipyreport._filters import check as check_filter
from ipyreport._filters import check_labels, mask
from ipyreport._motion import (
    HIGHLIGHT_SECONDS,
    MOMENT_SECONDS,
    MORPH_SECONDS,
    ZOOM_SECONDS,
    stages,
)
from ipyreport._pending import Pending
from ipyreport._schema import AnyOf, Enum, FreeMap, ListOf, Record, Scalar, Type
from ipyreport._templates import TEMPLATE_HELP, literal, name_of
from ipyreport._vizzu_presets import build_config
from ipyreport.data import (
    AGGREGATORS,
    DEFAULT_NULL_LABEL,
    Dimension,
    Measure,
    VizzuData,
    encode,
    is_whole,
)
from ipyreport.lake import CHANGE_SUFFIX, VERSION_COLUMN, LakeTable
from ipyreport.lazy import LazySource, Request, lazy
from ipyreport.step import KEEP_FILTER, Filter, Highlight, Step, StepError
from ipyreport.story import _merged

# The presets a user calls; the registry, make() and transition() serve specs and magics.
__all__ = [
    "chart",
    "compare",
    "highlight",
    "morph",
    "timeline",
    "zoom",
    "zoom_range",
]

ROLES = ("x", "y", "color", "size", "by")
# Seconds play mode rests on each moment of a timeline, so playback flows.
MOMENT_HOLD = 0.25


@dataclass(frozen=True)
class Kind:
    """How our role arguments fill one Vizzu preset's arguments."""

    preset: str
    arguments: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...] = ("x", "y")
    measures: tuple[str, ...] = ("y", "size")
    # "free": color may be any dimension; "in_x": it may only colour the x
    # categories (the chart has one mark per x); "none": not accepted.
    color: str = "free"
    # False where color= names an axis instead (heatmap rows).
    color_channel: bool = True


def _k(preset: str, arguments: Mapping[str, tuple[str, ...]], **rest: Any) -> Kind:
    return Kind(preset=preset, arguments=arguments, **rest)


STACK = ("x", "y", "color")
KINDS: dict[str, Kind] = {
    "column": _k("column", {"x": ("x",), "y": ("y",)}, color="in_x"),
    "stacked_column": _k(
        "stackedColumn", {"x": ("x",), "y": ("y",), "stackedBy": ("color",)}, required=STACK
    ),
    "grouped_column": _k(
        "groupedColumn", {"groupedBy": ("x",), "x": ("color",), "y": ("y",)}, required=STACK
    ),
    "percentage_column": _k(
        "percentageColumn", {"x": ("x",), "y": ("y",), "stackedBy": ("color",)}, required=STACK
    ),
    "splitted_column": _k(
        "splittedColumn", {"x": ("x",), "y": ("y",), "splittedBy": ("color",)}, required=STACK
    ),
    "bar": _k("bar", {"x": ("y",), "y": ("x",)}, color="in_x"),
    "stacked_bar": _k(
        "stackedBar", {"x": ("y",), "y": ("x",), "stackedBy": ("color",)}, required=STACK
    ),
    "grouped_bar": _k(
        "groupedBar", {"x": ("y",), "groupedBy": ("x",), "y": ("color",)}, required=STACK
    ),
    "percentage_bar": _k(
        "percentageBar", {"x": ("y",), "y": ("x",), "stackedBy": ("color",)}, required=STACK
    ),
    "splitted_bar": _k(
        "splittedBar", {"x": ("y",), "y": ("x",), "splittedBy": ("color",)}, required=STACK
    ),
    "lollipop": _k("lollipop", {"x": ("x",), "y": ("y",)}, color="in_x"),
    "waterfall": _k("waterfall", {"x": ("x",), "y": ("y",)}, color="none"),
    "mekko": _k(
        "mekko",
        {"x": ("size",), "groupedBy": ("x",), "y": ("y",), "stackedBy": ("color",)},
        required=("x", "y", "color", "size"),
    ),
    "marimekko": _k(
        "marimekko",
        {"x": ("size",), "groupedBy": ("x",), "y": ("y",), "stackedBy": ("color",)},
        required=("x", "y", "color", "size"),
    ),
    "line": _k("line", {"x": ("x",), "y": ("y",), "dividedBy": ("color",)}),
    "area": _k("area", {"x": ("x",), "y": ("y",)}, color="none"),
    "stacked_area": _k(
        "stackedArea", {"x": ("x",), "y": ("y",), "stackedBy": ("color",)}, required=STACK
    ),
    "percentage_area": _k(
        "percentageArea", {"x": ("x",), "y": ("y",), "stackedBy": ("color",)}, required=STACK
    ),
    "splitted_area": _k(
        "splittedArea", {"x": ("x",), "y": ("y",), "splittedBy": ("color",)}, required=STACK
    ),
    "stream": _k("stream", {"x": ("x",), "y": ("y",), "stackedBy": ("color",)}, required=STACK),
    "violin": _k("violin", {"x": ("x",), "y": ("y",), "splittedBy": ("color",)}, required=STACK),
    "scatter": _k(
        "scatter",
        {"x": ("x",), "y": ("y",), "dividedBy": ("by", "color"), "size": ("size",)},
        measures=("x", "y", "size"),
    ),
    "bubble_plot": _k(
        "bubbleplot",
        {"x": ("x",), "y": ("y",), "color": ("color",), "size": ("size",), "dividedBy": ("by",)},
        measures=("x", "y", "size"),
    ),
    "pie": _k("pie", {"angle": ("y",), "by": ("x", "color")}),
    "donut": _k("donut", {"angle": ("y",), "stackedBy": ("x", "color")}),
    "nested_donut": _k(
        "nestedDonut", {"angle": ("y",), "stackedBy": ("color",), "radius": ("x",)}, required=STACK
    ),
    "radial_bar": _k("radialBar", {"angle": ("y",), "radius": ("x",)}, color="in_x"),
    "polar_column": _k("polarColumn", {"angle": ("x",), "radius": ("y",)}, color="in_x"),
    "treemap": _k("treemap", {"size": ("y",), "color": ("x", "color")}),
    "stacked_treemap": _k(
        "stackedTreemap", {"size": ("y",), "dividedBy": ("x",), "color": ("color",)}, required=STACK
    ),
    "bubble": _k("bubble", {"size": ("y",), "color": ("x", "color")}),
    "stacked_bubble": _k(
        "stackedBubble", {"size": ("y",), "stackedBy": ("x",), "color": ("color",)}, required=STACK
    ),
    "heatmap": _k(
        "heatmap",
        {"x": ("x",), "y": ("color",), "lightness": ("y",)},
        required=STACK,
        color_channel=False,
    ),
}
# Kinds whose colour channel names the x categories themselves by default.
COLOR_FROM_X = {"treemap", "bubble", "pie", "donut"}

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _looks_like_a_kind(value: Any) -> bool:
    return (
        isinstance(value, str)
        and value.replace("_", "").isalpha()
        and value.islower()
        and not os.path.exists(value)
    )


def _kind_first_shim(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Let ``chart("column", ...)``, the order before data came first, still work, with a
    DeprecationWarning naming the spelling that replaced it."""

    @functools.wraps(function)
    def shimmed(*args: Any, **kwargs: Any) -> Any:
        if args and isinstance(args[0], str) and args[0] in KINDS and "kind" not in kwargs:
            warnings.warn(
                f"presets.chart({args[0]!r}, ...) names the kind first; every preset now takes "
                f"its data first: write presets.chart(kind={args[0]!r}, ...) "
                f"(or presets.chart(data, kind={args[0]!r}, ...))",
                DeprecationWarning,
                stacklevel=2,
            )
            kwargs["kind"] = args[0]
            args = args[1:]
        elif "kind" not in kwargs and args and _looks_like_a_kind(args[0]):
            _kind(args[0])  # the old order with a misspelt kind: say which kinds there are
        return function(*args, **kwargs)

    return shimmed


@_kind_first_shim
def chart(
    data: Any = None,
    *,
    kind: str,
    x: str | Sequence[str] | None = None,
    y: str | None = None,
    color: str | None = None,
    size: str | None = None,
    by: str | Sequence[str] | None = None,
    subtitle: str | None = None,
    legend: str | None = None,
    reverse: bool = False,
    ends: bool = False,
    title: str | None = None,
    style: Mapping[str, Any] | None = None,
    label: str | Sequence[str] | bool | None = None,
    sort: bool = False,
    duration: float | None = None,
    hold: float | None = None,
    filter: Filter | Mapping[str, Any] | None = None,
) -> Step:
    """One chart as a step.

    With ``data`` the columns and their roles are checked now; otherwise
    when the step joins a story.

    Parameters
    ----------
    data
        The rows the steps draw: any source :func:`ipyreport.encode` reads, a
        path, folder or glob (read lazily), or ``None`` to check the columns
        when the steps join a story.
    kind
        One of :data:`KINDS`, Vizzu's chart presets in snake case
        (``"stacked_column"``, ``"pie"``, ``"line"``...).
    x
        The dimension(s) marks are laid out by (bars, slices, the time axis of
        a line); a measure for ``scatter`` and ``bubble_plot``.
    y
        The measure shown (bar length, slice angle, rectangle area); write
        ``"mean(Price)"`` for another aggregation than the sum.
    color
        A dimension that breaks marks down (stacks, groups, slices, lines) and
        colours them.
    size
        A second measure (bubble size, mekko column width).
    by
        A dimension that splits marks without colouring them (scatter).
    subtitle
        A line under the title.
    legend
        Which channel the legend explains: ``"color"``, ``"lightness"``,
        ``"size"`` or ``"auto"``.
    reverse
        Reverse the order of the marks. Categories read in the data's order from the left
        along x and from the top down y (a bar chart's first category stands on top);
        reversed, a bar chart's first stands at the bottom.
    ends
        On a line chart with ``color``: each line's name and last value at its
        right end, in place of a legend.
    title
        The chart's title; ``{expressions}`` in it are computed from the data
        the step draws.
    style
        A Vizzu style laid over the story's for these steps.
    label
        The series written on the marks (``False``: none; default as in Vizzu).
    sort
        Sort the marks by value, largest first.
    duration
        Seconds each transition takes. ``None`` (the default of every preset)
        is the pace ipyreport gives this kind of change: 1 s a chart step,
        1.2 s a morph or compare, 1 s a zoom, 0.5 s a highlight, 0.8 s a
        timeline moment.
    hold
        Seconds play mode rests on each step after its transition settles
        (``None``: the slide's, else the story's); the video rests as long.
    filter
        The rows every step keeps: a :class:`~ipyreport.step.Filter` or a
        mapping such as ``{"Region": ["Europe", "Asia"]}``.

    Returns
    -------
    Step
        The chart, ready for a :class:`~ipyreport.story.Slide`.

    Raises
    ------
    StepError
        If the kind is unknown, a required channel is missing, a column is
        not in ``data`` or has the wrong role, or the kind does not take a
        channel given.

    Warns
    -----
    DeprecationWarning
        When the kind comes first (``chart("column", ...)``, the order before
        data came first in every preset).

    Examples
    --------
    >>> chart(kind="pie", x="Region", y="Revenue").config["coordSystem"]
    'polar'
    >>> chart(kind="stacked_column", x="Region", y="Revenue", color="Product")
    Step(stacked_column: x=Region, y=Revenue+Product, color=Product, label=Revenue)
    """
    spec = _kind(kind)
    roles = _roles(x=x, y=y, color=color, size=size, by=by)
    _check_required(kind, spec, roles)
    _check_ends(kind, ends, color, label)
    if color is not None and spec.color == "none":
        similar = [name for name in KINDS if name.endswith(kind) and name != kind]
        hint = f"; use {' or '.join(similar)} to break it down by {color!r}" if similar else ""
        msg = f"{kind} charts do not take color={color!r}{hint}"
        raise StepError(msg, field="color")
    data = as_source(data)
    vizzu_data = None if data is None else as_vizzu_data(data)
    fits = None
    if vizzu_data is not None:
        _check_roles(kind, spec, roles, vizzu_data)
    else:
        # Made before its data: the story checks the roles once it has it.
        fits = functools.partial(_check_roles, kind, spec, {k: list(v) for k, v in roles.items()})
    asked = _color_in_x(kind, spec, roles, color=color, data=data, vizzu_data=vizzu_data)
    arguments: dict[str, Any] = {}
    for argument, sources in spec.arguments.items():
        series = [entry for role in sources for entry in roles.get(role, [])]
        if series:
            arguments[argument] = [_series_entry(entry) for entry in series]
    for option, value in (("title", title), ("subtitle", subtitle), ("legend", legend)):
        if value is not None:
            arguments[option] = value
    if sort:
        arguments["sort"] = "byValue"
    if reverse:
        arguments["reverse"] = True
    config = build_config(spec.preset, arguments)
    channels = config["channels"]
    if color is not None and spec.color_channel:
        channels["color"]["set"] = [color]
    elif kind in COLOR_FROM_X and roles.get("x"):
        channels["color"]["set"] = roles["x"][:1]
    _part_to_whole(kind, channels, config, roles, label=label, legend=legend)
    if label is False:
        channels["label"]["set"] = None
    elif label is not None and label is not True:
        channels["label"]["set"] = [_series_entry(entry) for entry in _as_list(label)]
    if ends:
        # Each line's name and last value at its end, where the legend's colours were.
        channels["label"]["set"] = [_series_entry(entry) for entry in (color, y) if entry]
        config["legend"] = None
        style = _merged({"plot": {"paddingRight": ENDS_ROOM}}, style or {})
    animation = {"duration": duration} if duration is not None else None
    step = Step(
        config=config,
        filter=filter,  # type: ignore[arg-type]
        style=style,
        animation=animation,
        ends=ends,
        hold=hold,
        kind=kind,
        fits=fits,
    )
    if asked is None or color is None or not isinstance(data, LazySource):
        return step
    return _pending_color_check(kind, step, data, asked, color)


def _part_to_whole(
    kind: str,
    channels: dict[str, Any],
    config: dict[str, Any],
    roles: Mapping[str, list[str]],
    *,
    label: Any,
    legend: str | None,
) -> None:
    """The kinds a graphics desk draws its own way. A treemap nests each x's tiles
    together (coloured by ``color``, named by the legend) and labels them with
    their x and value; a stream has no value axis (its middle is no zero); a
    scatter or bubble plot draws no guide from each point to the axes, and names
    the points by ``by`` (the player writes a scatter's outliers' names only)."""
    if kind == "treemap":
        x = [_series_entry(entry) for entry in roles.get("x", [])]
        y = [_series_entry(entry) for entry in roles.get("y", [])]
        own = [entry for entry in channels["color"]["set"] or [] if entry not in x]
        channels["size"]["set"] = [*y, *own] if own else [*y, *x]
        channels["noop"]["set"] = x if own else None
        if label is None:
            channels["label"]["set"] = [*x, *y]
        if legend is None:
            config["legend"] = "color" if own else None
    elif kind == "stream":
        axis = channels["y"]
        axis.update(title=None, labels=False, ticks=False, interlacing=False, axis=False)
    elif kind in ("scatter", "bubble_plot"):
        for name in ("x", "y"):
            channels[name]["markerGuides"] = False
        channels["x"]["interlacing"] = False
        channels["x"]["guides"] = True
        if label is None and roles.get("by"):
            channels["label"]["set"] = [_series_entry(entry) for entry in roles["by"]]


def _color_in_x(
    kind: str,
    spec: Kind,
    roles: dict[str, list[str]],
    *,
    color: str | None,
    data: Any,
    vizzu_data: VizzuData | None,
) -> list[str] | None:
    """Add ``color`` to x when each x has one colour (a country's region), else refuse it,
    for a kind that colours its x categories. Over a lazy source the question is asked of
    it with the story's one pass (see ipyreport._pending): the x it is asked for is returned."""
    if color is None or spec.color != "in_x" or color in roles.get("x", []):
        return None
    asked = list(roles.get("x", []))
    if isinstance(data, LazySource):
        roles["x"] = [*asked, color]
        return asked
    if vizzu_data is not None and _determined_by(vizzu_data, asked, color):
        roles["x"] = [*asked, color]
    else:
        _color_not_in_x(kind, roles, color)
    return None


def _pending_color_check(
    kind: str, step: Step, data: LazySource, x: list[str], color: str
) -> Pending:
    """``step`` (which colours each x by ``color``), once the source says each x has one
    ``color``: the question is answered with the story's one pass."""

    def checked() -> list[Step]:
        if not data.determines(x, color):
            _color_not_in_x(kind, {"x": x}, color)
        return [step]

    return Pending.of(
        step, data, [Request((*x, color), {}, place=f"is {color!r} one per x")], checked
    )


ENDS_ROOM = "9em"  # right of the plot, for the names at the lines' ends


def _check_ends(kind: str, ends: Any, color: str | None, label: Any) -> None:
    """``ends=`` names a line chart's series at their ends: it needs lines and their names."""
    if not isinstance(ends, bool):
        msg = f"ends takes True or False (names at the lines' ends), got {ends!r}"
        raise StepError(msg, field="ends")
    if not ends:
        return
    if _kind(kind).preset not in ("line", "verticalLine"):
        msg = f"ends=True names the ends of lines, and a {kind} chart has none; use kind='line' (or drop ends)"
        raise StepError(msg, field="ends")
    if color is None:
        msg = "ends=True writes each line's name at its end: name the lines with color=, such as color='country'"
        raise StepError(msg, field="ends")
    if label is not None:
        msg = f"ends=True sets the labels (each line's name and last value); drop label={label!r}"
        raise StepError(msg, field="label")


def morph(
    data: Any,
    kinds: Sequence[str],
    *,
    x: str | Sequence[str] | None = None,
    y: str | None = None,
    color: str | None = None,
    size: str | None = None,
    by: str | Sequence[str] | None = None,
    titles: Sequence[str | None] | None = None,
    style: Mapping[str, Any] | None = None,
    label: str | Sequence[str] | bool | None = None,
    sort: bool = False,
    duration: float | None = None,
    hold: float | None = None,
    filter: Filter | Mapping[str, Any] | None = None,
) -> list[Step]:
    """One step per chart kind over the same series, so marks morph into each other.

    Each transition is staged when the story plays it, one change at a
    time: parts merge or split where they stack, marks move to the new
    layout, and into a pie they line up as one strip and then bend (out of
    one, they unbend first).

    Parameters
    ----------
    data
        The rows the steps draw: any source :func:`ipyreport.encode` reads, a
        path, folder or glob (read lazily), or ``None`` to check the columns
        when the steps join a story.
    kinds
        The chart kinds in the order they play (see :func:`chart`).
    x
        The dimension(s) marks are laid out by (bars, slices, the time axis of
        a line); a measure for ``scatter`` and ``bubble_plot``.
    y
        The measure shown (bar length, slice angle, rectangle area); write
        ``"mean(Price)"`` for another aggregation than the sum.
    color
        A dimension that breaks marks down (stacks, groups, slices, lines) and
        colours them.
    size
        A second measure (bubble size, mekko column width).
    by
        A dimension that splits marks without colouring them (scatter).
    titles
        One title per step made (``None`` for an untitled one).
    style
        A Vizzu style laid over the story's for these steps.
    label
        The series written on the marks (``False``: none; default as in Vizzu).
    sort
        Sort the marks by value, largest first.
    duration
        Seconds each transition takes. ``None`` (the default of every preset)
        is the pace ipyreport gives this kind of change: 1 s a chart step,
        1.2 s a morph or compare, 1 s a zoom, 0.5 s a highlight, 0.8 s a
        timeline moment.
    hold
        Seconds play mode rests on each step after its transition settles
        (``None``: the slide's, else the story's); the video rests as long.
    filter
        The rows every step keeps: a :class:`~ipyreport.step.Filter` or a
        mapping such as ``{"Region": ["Europe", "Asia"]}``.

    Returns
    -------
    list of Step
        One step per kind.

    Raises
    ------
    StepError
        If ``kinds`` is empty, ``titles`` does not give one title per kind,
        or a chart cannot be drawn (see :func:`chart`).

    Examples
    --------
    >>> steps = morph(None, ["stacked_column", "grouped_column", "pie"], x="Region", y="Revenue", color="Product")
    >>> [s.config["coordSystem"] for s in steps]
    ['cartesian', 'cartesian', 'polar']
    """
    data = as_source(data)  # a path is opened once, not once per kind
    if not kinds:
        msg = f"morph needs at least one chart kind; kinds are {', '.join(KINDS)}"
        raise StepError(msg)
    if titles is not None and len(titles) != len(kinds):
        msg = f"morph got {len(titles)} titles for {len(kinds)} kinds; give one per kind"
        raise StepError(msg, field="titles")
    seconds = MORPH_SECONDS if duration is None else duration
    steps: list[Step] = []
    for index, kind in enumerate(kinds):
        step = chart(
            data,
            kind=kind,
            x=x,
            y=y,
            color=color,
            size=size,
            by=by,
            title=titles[index] if titles else None,
            style=style,
            label=label,
            sort=sort,
            hold=hold,
            filter=filter,
        )
        # The story stages each change once it knows the data (which series are categories):
        # see ipyreport._motion.stages.
        steps.append(step.with_animation(duration=seconds))
    return steps


def transition(
    before: Mapping[str, Any] | None, after: Mapping[str, Any], duration: float
) -> dict[str, Any]:
    """Animation options that stage a change so the audience can follow it.

    One thing at a time: into a pie, marks line up on their axes first and
    bend after; out of one, they unbend first. A change of geometry
    (rectangles into areas or circles) happens in the middle. Bars into a
    treemap (axes on one side only) cross-fade.

    >>> transition({"coordSystem": "cartesian"}, {"coordSystem": "polar"}, 2.0)["coordSystem"]
    {'delay': 1.0, 'duration': 1.0}
    """
    return stages(before, after, duration)


def zoom(
    data: Any,
    levels: Sequence[str],
    path: Sequence[str],
    *,
    y: str,
    color: str | None = None,
    kind: str = "column",
    back: bool = True,
    style: Mapping[str, Any] | None = None,
    label: str | Sequence[str] | bool | None = None,
    sort: bool = False,
    duration: float | None = None,
    hold: float | None = None,
    filter: Filter | Mapping[str, Any] | None = None,
) -> list[Step]:
    """Drill down a hierarchy along ``path`` and, with ``back``, up again.

    Each level filters to the chosen branch; the colour stays on the top
    level (or on ``color``), so a region keeps its colour all the way down,
    and the value axis rescales to what is shown. Each step is titled by
    the level it shows and the path taken.

    Parameters
    ----------
    data
        The rows the steps draw: any source :func:`ipyreport.encode` reads, a
        path, folder or glob (read lazily), or ``None`` to check the columns
        when the steps join a story.
    levels
        Dimensions from coarse to fine (``["Region", "Country", "Product"]``).
    path
        The category to enter at each level but the last (``["Europe", "Germany"]``).
    y
        The measure shown (bar length, slice angle, rectangle area); write
        ``"mean(Price)"`` for another aggregation than the sum.
    color
        The dimension that colours every level (default: the top level).
    kind
        The chart kind of every level (see :func:`chart`).
    back
        Climb back up to the top level after the deepest one.
    style
        A Vizzu style laid over the story's for these steps.
    label
        The series written on the marks (``False``: none; default as in Vizzu).
    sort
        Sort the marks by value, largest first.
    duration
        Seconds each transition takes. ``None`` (the default of every preset)
        is the pace ipyreport gives this kind of change: 1 s a chart step,
        1.2 s a morph or compare, 1 s a zoom, 0.5 s a highlight, 0.8 s a
        timeline moment.
    hold
        Seconds play mode rests on each step after its transition settles
        (``None``: the slide's, else the story's); the video rests as long.
    filter
        The rows every step keeps: a :class:`~ipyreport.step.Filter` or a
        mapping such as ``{"Region": ["Europe", "Asia"]}``.

    Returns
    -------
    list of Step
        A step per level down (and, with ``back``, per level up).

    Raises
    ------
    StepError
        If there are fewer than two levels, ``path`` does not name one
        category per level but the last, or a category is not in ``data``.

    Examples
    --------
    >>> [s.config["channels"]["x"]["set"] for s in zoom(None, ["Region", "Country"], ["Europe"], y="Revenue")]
    [['Region'], ['Country', 'Region'], ['Region']]
    """
    if len(levels) < 2:
        msg = f"zoom needs at least two levels from coarse to fine, got {list(levels)}"
        raise StepError(msg, field="levels")
    if len(path) != len(levels) - 1:
        msg = (
            f"zoom over {len(levels)} levels {list(levels)} needs a path of {len(levels) - 1} "
            f"categories (one per level but the last), got {list(path)}"
        )
        raise StepError(msg)
    user = as_filter(filter)
    vizzu_data = None if data is None else as_vizzu_data(data)
    if vizzu_data is not None and vizzu_data.num_rows:
        _check_path(vizzu_data, levels, path)
    top = levels[0]
    steps = []
    depths = list(range(len(levels)))
    if back:
        depths += list(range(len(levels) - 2, -1, -1))
    for depth in depths:
        level = levels[depth]
        keep = (
            Filter.all_of(*(Filter.equals(levels[i], path[i]) for i in range(depth)))
            if depth
            else None
        )
        if keep is not None and len(keep.args) == 1:
            keep = keep.args[0]
        if user is not None:
            keep = user if keep is None else user & keep
        # Named by where it is ("in Germany"), not by the way there ("in Europe / Germany").
        crumbs = path[depth - 1] if depth else ""
        # Each level keeps the levels above it on x: they are constant inside a
        # branch, so the branch keeps its colour all the way down, and a drill to
        # the next level splits the marks it keeps (Germany into its products)
        # instead of merging them into their region first.
        step = chart(
            vizzu_data,
            kind=kind,
            x=[levels[i] for i in range(depth, -1, -1)],
            y=y,
            color=None if KINDS[kind].color == "none" else (color or top),
            # Column names read as the story calls them (its labels).
            title=f"{name_of(y)} by {name_of(level)}"
            + (literal(f" in {crumbs}") if crumbs else ""),
            style=style,
            label=label,
            sort=sort,
            hold=hold,
            filter=keep,
        )
        steps.append(step.with_animation(duration=ZOOM_SECONDS if duration is None else duration))
    return steps


def zoom_range(
    data: Any,
    *,
    kind: str,
    x: str | Sequence[str],
    y: str,
    color: str | None = None,
    by: str | Sequence[str] | None = None,
    low: float,
    high: float,
    axis: str = "y",
    back: bool = True,
    title: str | None = None,
    style: Mapping[str, Any] | None = None,
    label: str | Sequence[str] | bool | None = None,
    sort: bool = False,
    duration: float | None = None,
    hold: float | None = None,
    filter: Filter | Mapping[str, Any] | None = None,
) -> list[Step]:
    """Zoom an axis into the value range ``[low, high]`` of its measure, and back.

    On a scatter or bubble plot only the marks inside the range stay.

    Parameters
    ----------
    data
        The rows the steps draw: any source :func:`ipyreport.encode` reads, a
        path, folder or glob (read lazily), or ``None`` to check the columns
        when the steps join a story.
    kind
        The chart kind (see :func:`chart`).
    x
        The dimension(s) marks are laid out by (bars, slices, the time axis of
        a line); a measure for ``scatter`` and ``bubble_plot``.
    y
        The measure shown (bar length, slice angle, rectangle area); write
        ``"mean(Price)"`` for another aggregation than the sum.
    color
        A dimension that breaks marks down (stacks, groups, slices, lines) and
        colours them.
    by
        A dimension that splits marks without colouring them (scatter).
    low
        The lowest value the zoomed axis shows.
    high
        The highest value the zoomed axis shows.
    axis
        The axis zoomed: ``"y"`` or ``"x"``.
    back
        Zoom back out after zooming in.
    title
        The chart's title; ``{expressions}`` in it are computed from the data
        the step draws.
    style
        A Vizzu style laid over the story's for these steps.
    label
        The series written on the marks (``False``: none; default as in Vizzu).
    sort
        Sort the marks by value, largest first.
    duration
        Seconds each transition takes. ``None`` (the default of every preset)
        is the pace ipyreport gives this kind of change: 1 s a chart step,
        1.2 s a morph or compare, 1 s a zoom, 0.5 s a highlight, 0.8 s a
        timeline moment.
    hold
        Seconds play mode rests on each step after its transition settles
        (``None``: the slide's, else the story's); the video rests as long.
    filter
        The rows every step keeps: a :class:`~ipyreport.step.Filter` or a
        mapping such as ``{"Region": ["Europe", "Asia"]}``.

    Returns
    -------
    list of Step
        The whole chart, the zoomed one and (with ``back``) the whole again.

    Raises
    ------
    StepError
        If ``axis`` is not ``"x"`` or ``"y"``, the range is not finite with
        ``low < high``, or the chart cannot be drawn (see :func:`chart`).

    Examples
    --------
    >>> steps = zoom_range(None, kind="scatter", x="Revenue", y="Profit", low=0, high=1e5, by="Country")
    >>> steps[1].config["channels"]["y"]["range"]
    {'min': 0, 'max': 100000.0}
    """
    if axis not in ("x", "y"):
        msg = f"zoom_range axis must be 'x' or 'y', got {axis!r}"
        raise StepError(msg, field="axis")
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        msg = f"zoom_range needs finite low < high, got low={low!r}, high={high!r}"
        raise StepError(msg, field="high")
    user = as_filter(filter)
    seconds = ZOOM_SECONDS if duration is None else duration
    base = chart(
        data,
        kind=kind,
        x=x,
        y=y,
        color=color,
        by=by,
        title=title,
        style=style,
        label=label,
        sort=sort,
        hold=hold,
        filter=user,
    )
    zoomed_config = {**base.config, "channels": {**base.config["channels"]}}
    channel = dict(zoomed_config["channels"][axis])
    channel["range"] = {"min": low, "max": high}
    zoomed_config["channels"][axis] = channel
    measure = _as_list(x)[0] if axis == "x" else y
    inside = (
        Filter.between(_series_name(str(measure)), low, high)
        if kind in ("scatter", "bubble_plot")
        else None
    )
    if user is not None:
        inside = user if inside is None else user & inside
    steps = [
        base.with_animation(duration=seconds),
        replace(base, config=zoomed_config, filter=inside, animation={"duration": seconds}),
    ]
    if back:
        steps.append(base.with_animation(duration=seconds))
    return steps


def highlight(
    data: Any = None,
    *,
    where: Filter | Mapping[str, Any],
    note: str | None = None,
    duration: float | None = None,
    hold: float | None = None,
    filter: Filter | Mapping[str, Any] | None = None,
) -> Step:
    """A step that keeps the chart and points at some of its marks.

    The marks ``where`` keeps stay in full colour, the rest dim, and
    ``note`` appears beside them; the next step takes both away. The text
    alternative reads the note out, and the PDF prints it. This is the one
    way to highlight: place it after the chart step it points into.

    Parameters
    ----------
    data
        Unused (the step draws what the chart already shows); taken so every
        preset is called alike.
    where
        The marks to point at: categories such as ``{"Region": "Europe"}``, or
        a range of the value they draw (``{"Revenue": [200e6, None]}``).
    note
        A sentence shown beside them (``{expressions}`` are computed).
    duration
        Seconds each transition takes. ``None`` (the default of every preset)
        is the pace ipyreport gives this kind of change: 1 s a chart step,
        1.2 s a morph or compare, 1 s a zoom, 0.5 s a highlight, 0.8 s a
        timeline moment.
    hold
        Seconds play mode rests on each step after its transition settles
        (``None``: the slide's, else the story's); the video rests as long.
    filter
        A new filter for the rows shown (default: the chart's own stays).

    Returns
    -------
    Step
        The highlight step.

    Raises
    ------
    StepError
        If ``where`` or ``filter`` is not a filter, or ``note`` is longer
        than a sentence.

    Examples
    --------
    >>> step = highlight(where={"Region": "Europe"}, note="Europe grew fastest")
    >>> step.config, step.to_dict()["highlight"]["note"]
    ({}, 'Europe grew fastest')
    """
    del data  # the step draws what the chart already shows
    user = as_filter(filter)
    return Step(
        config={},
        filter=KEEP_FILTER if user is None else user,
        animation={"duration": HIGHLIGHT_SECONDS if duration is None else duration},
        hold=hold,
        highlight=Highlight(where, note),
    )


def compare(
    data: Any,
    *,
    x: str,
    y: str,
    by: str = VERSION_COLUMN,
    change: str | None = None,
    titles: Sequence[str | None] | None = None,
    style: Mapping[str, Any] | None = None,
    duration: float | None = None,
    hold: float | None = None,
    filter: Filter | Mapping[str, Any] | None = None,
) -> list[Step]:
    """What changed between two versions of a table, step by step.

    First ``y`` per ``x`` in each version side by side, then the bars merge
    into the change per ``x``. Read the table with ``since=``
    (``delta(path, since=3)``; ``since:`` in a spec), which adds ``by``
    (which version a row is from) and ``change`` (the later version's
    values less the earlier's).

    Parameters
    ----------
    data
        The rows the steps draw: any source :func:`ipyreport.encode` reads, a
        path, folder or glob (read lazily), or ``None`` to check the columns
        when the steps join a story.
    x
        The dimension the bars are laid out by.
    y
        The measure compared.
    by
        The dimension naming each row's version (``since=`` adds ``Version``).
    change
        The column holding the change (default ``"<y> change"``, which
        ``since=`` adds).
    titles
        Two titles: the versions side by side, then the change (default:
        named from the versions).
    style
        A Vizzu style laid over the story's for these steps.
    duration
        Seconds each transition takes. ``None`` (the default of every preset)
        is the pace ipyreport gives this kind of change: 1 s a chart step,
        1.2 s a morph or compare, 1 s a zoom, 0.5 s a highlight, 0.8 s a
        timeline moment.
    hold
        Seconds play mode rests on each step after its transition settles
        (``None``: the slide's, else the story's); the video rests as long.
    filter
        The rows every step keeps: a :class:`~ipyreport.step.Filter` or a
        mapping such as ``{"Region": ["Europe", "Asia"]}``.

    Returns
    -------
    list of Step
        The two steps.

    Raises
    ------
    StepError
        If ``titles`` is not two titles, or the data has no ``by`` or
        ``change`` column.

    Examples
    --------
    >>> steps = compare(None, x="continent", y="pop")
    >>> [s.config["channels"]["y"]["set"] for s in steps]
    [['pop'], ['pop change']]
    """
    change = change or f"{y}{CHANGE_SUFFIX}"
    if titles is not None and len(titles) != 2:
        msg = f"compare got {len(titles)} titles; give two, one for the versions side by side and one for the change"
        raise StepError(msg, field="titles")
    data = as_source(data)
    if data is not None:
        known = as_vizzu_data(data)
        for name in (by, change):
            if name not in known.names:
                msg = (
                    f"compare draws {y!r} in two versions of a table, then {change!r}; the data has no "
                    f"{name!r}{closest(name, known.names)}: read the table with since= "
                    f"(delta(path, since=3), or since: in a spec's data), which adds {by!r} and {change!r}"
                )
                raise StepError(msg, field="by" if name == by else "change")

    seconds = MORPH_SECONDS if duration is None else duration

    def made(titles: Sequence[str | None]) -> list[Step]:
        both = chart(
            data,
            kind="grouped_column",
            x=x,
            y=y,
            color=by,
            title=titles[0],
            style=style,
            hold=hold,
            filter=filter,
        )
        difference = chart(
            data,
            kind="column",
            x=x,
            y=change,
            title=titles[1],
            style=style,
            label=change,
            hold=hold,
            filter=filter,
        )
        return [
            both.with_animation(duration=seconds),
            difference.with_animation(**transition(both.config, difference.config, seconds)),
        ]

    def named(versions: Sequence[str]) -> tuple[str, str]:
        if len(versions) == 2:
            return (
                f"{y} by {x}, {versions[0]} and {versions[1]}",
                f"{change[:1].upper()}{change[1:]} since {versions[0]}",
            )
        return (f"{y} by {x} and {by}", f"{change[:1].upper()}{change[1:]} by {x}")

    if titles is not None:
        return made(titles)
    if isinstance(data, LazySource):
        # The versions that name the steps are read with the story's one pass.
        source = data
        first, second = made(named(()))
        asked = [Request((by,), {}, place="the versions compared")]
        return [
            Pending.of(first, source, asked, lambda: [made(named(source.labels(by)))[0]]),
            Pending.of(second, source, asked, lambda: [made(named(source.labels(by)))[1]]),
        ]
    return made(named(_categories(data, by)))


def _categories(data: Any, name: str) -> tuple[str, ...]:
    """The categories of ``name`` (none when there is no data yet)."""
    if data is None:
        return ()
    if isinstance(data, LazySource):
        return data.labels(name)
    series = as_vizzu_data(data)[name]
    return series.categories if isinstance(series, Dimension) else ()


def timeline(
    data: Any,
    *,
    x: str | Sequence[str] | None = None,
    y: str,
    color: str | None = None,
    size: str | None = None,
    by: str | Sequence[str] | None = None,
    time: str,
    kind: str = "bar",
    top: int | None = None,
    log: str | Sequence[str] | None = None,
    cumulative: bool = False,
    fill: bool = True,
    rescale: bool = False,
    style: Mapping[str, Any] | None = None,
    label: str | Sequence[str] | bool | None = None,
    sort: bool = False,
    duration: float | None = None,
    hold: float = MOMENT_HOLD,
    filter: Filter | Mapping[str, Any] | None = None,
) -> list[Step]:
    """One step per moment of ``time``: Gapminder-style playback.

    Moments follow their values (numbers in numeric order, dates, also ISO
    dates written as text, in time order) and other text in the order it
    first appears; each step's title shows its moment. Axes stay the same
    for every step, so growth shows as growth: a bar's value axis runs from
    zero to the largest bar over the whole timeline; a scatter or bubble
    chart fixes both axes and the bubble size over all moments.

    With ``fill`` (the default) gaps do not make marks flicker: a category
    absent at one moment keeps its place (a placeholder row whose measures
    are missing, never zero; the data table and the text alternative report
    it as missing), and periods missing inside the source's own cadence
    (days, weeks, months, quarters, years) are added between kept moments,
    so steps are evenly spaced. The filled table travels with the steps as
    their own dataset.

    Parameters
    ----------
    data
        The rows to play: any source :func:`ipyreport.encode` reads, or a
        path, folder or glob (read lazily, with the story's one pass).
    x
        The dimension(s) marks are laid out by (a measure for ``scatter``
        and ``bubble_plot``).
    y
        The measure shown at each moment.
    color
        A dimension that breaks marks down and colours them.
    size
        A second measure (bubble size).
    by
        A dimension that splits marks without colouring them (a country per
        bubble).
    time
        The column whose values are the moments: integers (years), dates,
        timestamps, or text.
    kind
        The chart kind of every moment (see :func:`chart`).
    top
        A bar chart race: each moment shows only the ``top`` largest x
        categories of that moment, largest first.
    log
        ``"x"``, ``"y"``, ``"size"`` or a list of them: those measures on a
        log10 scale. Vizzu has no log axis, so the chart plots a series
        ``"<measure> (log scale)"`` of base-10 logarithms on an axis from the
        decade below the smallest value to the first of 1, 2 or 5 times a
        power of ten at or above the largest, with a tick at every decade; its
        numbers read as the measure's own. The values must be positive and
        there must be one row per mark and moment.
    cumulative
        Each step adds up everything so far.
    fill
        Keep absent categories in place and add missing periods (see above).
    rescale
        Let each step's axes fit its own values instead of the whole
        timeline's.
    style
        A Vizzu style laid over the story's for these steps.
    label
        The series written on the marks (as for :func:`chart`); a list of
        categories of ``by`` (``label=["China", "India"]``) names only those
        marks.
    sort
        Sort the marks by value, largest first (a race always does).
    duration
        Seconds each moment's transition takes, at a steady pace. ``None``
        (the default of every preset) is the pace ipyreport gives a timeline
        moment: 0.8 s.
    hold
        Seconds play mode rests on each moment after its transition settles
        (0.25 s, so 24 monthly steps play in about 25 s).
    filter
        Play only the rows it keeps, and only the moments they hold (applied
        before gaps are filled, in the engine for a lazy source).

    Returns
    -------
    list of Step
        One step per moment (for a lazy source, one that the story reads
        with its one pass and expands into them).

    Raises
    ------
    StepError
        If a column is missing or has the wrong role, ``top`` is given
        without ``x`` or is not a positive whole number, or ``log`` names a
        measure the chart does not draw or values that are not positive.

    Examples
    --------
    >>> from ipyreport import samples
    >>> steps = timeline(samples.sales(), x="Region", y="Revenue", time="Month")
    >>> len(steps), steps[0].config["title"], steps[15].config["title"]
    (48, '2021-01-01', '2022-04-01')
    """
    spec = _kind(kind)
    user = as_filter(filter)
    measures_of = {
        role: [entry for entry in _as_list(value) if entry]
        for role, value in (("x", x), ("y", y), ("size", size))
        if role in spec.measures
    }
    mark_dims = [
        name
        for role, value in (("x", x), ("color", color), ("by", by))
        if role not in spec.measures
        for name in _as_list(value)
        if name
    ]
    logs = _log_roles(kind, log, measures_of, cumulative=cumulative)
    top = _check_top(kind, spec, top)
    if top is not None and not _as_list(x):
        msg = f"timeline top={top}: a race ranks the x categories; give x=, the dimension to rank (x='country', say)"
        raise StepError(msg, field="x")
    data = as_source(data)

    def made(vizzu_data: VizzuData, source_times: list[str]) -> list[Step]:
        """The steps, from what is drawn and every moment of the whole source."""
        roles = {
            name: role
            for role, value in (("size", size), ("y", y), ("by", by), ("color", color), ("x", x))
            for name in (_series_name(entry) for entry in _as_list(value) if entry)
        }
        keep = [time, *mark_dims, *(_series_name(m) for ms in measures_of.values() for m in ms)]
        projected = VizzuData(
            series=tuple(
                _get(vizzu_data, name, roles.get(name, "time")) for name in dict.fromkeys(keep)
            ),
            num_rows=vizzu_data.num_rows,
        )
        # Roles first: what follows (ranks, logarithms, ranges) reads them.
        asked = _roles(x=x, y=y, color=color, size=size, by=by)
        _check_required(kind, spec, asked)
        _check_roles(kind, spec, asked, projected)
        moments = _moments(projected, time, source_times, fill=fill, filtered=user is not None)
        playback = (
            fill_gaps(projected, time=time, marks=mark_dims, periods=moments)
            if fill
            else _with_periods(projected, time, moments)
        )
        plotted = {role: list(entries) for role, entries in measures_of.items()}
        if logs:
            playback, plotted = _with_logs(playback, time, mark_dims, measures_of, logs)
        marks_label = label
        names = _named_marks(playback, by, label, kind)
        if names is not None:
            playback, marks_label = names
        chart_roles = {
            "x": plotted.get("x", x),
            "y": plotted.get("y", [y])[0],
            "size": (plotted.get("size") or [size])[0],
        }
        ranking = (
            _rankings(playback, time, _as_list(x)[0], y, moments, top=top, cumulative=cumulative)
            if top is not None
            else None
        )
        ranges = _timeline_ranges(
            playback,
            time,
            kind,
            [n for n in _as_list(x) if n] if "x" not in spec.measures else mark_dims,
            plotted,
            cumulative=cumulative,
            logs=logs,
        )
        gaps = _unreported(projected, time, moments)
        steps = []
        for index, moment in enumerate(moments):
            shown = moments[: index + 1] if cumulative else [moment]
            keeps = Filter.isin(time, shown)
            if ranking is not None:
                keeps = keeps & Filter.isin(_as_list(x)[0], ranking[index])
            step = chart(
                playback,
                kind=kind,
                x=chart_roles["x"],
                y=chart_roles["y"],
                color=color,
                size=chart_roles["size"],
                by=by,
                label=marks_label,
                title=literal(moment),
                sort=sort or top is not None,
                filter=keeps,
            )
            animation: dict[str, Any] = {
                "duration": MOMENT_SECONDS if duration is None else duration,
                "easing": "linear" if index else "ease-in-out",
            }
            config = step.config if rescale else _fixed_ranges(step.config, ranges)
            if gaps:
                # Said on the frame itself; every moment keeps the line, so the plot holds still.
                config = {**config, "subtitle": _NO_DATA if moment in gaps else "\u00a0"}
            steps.append(
                Step(
                    config=config,
                    filter=step.filter,
                    style=_merged(_QUIET_MARKS, style or {}) if "x" in spec.measures else style,
                    animation=animation,
                    data=playback,
                    hold=hold,
                    kind=kind,
                )
            )
        return steps

    if isinstance(data, LazySource):
        # Read with the story's one pass (see ipyreport._pending).
        source = data
        requests = _timeline_requests(source, time, mark_dims, measures_of, user)

        def read() -> list[Step]:
            return made(*_read_timeline(source, time, requests, user))

        # Its steps draw a table of their own: the story's steps do not read it.
        return [Pending.of(Step(data=source.schema()), source, requests, read)]
    return made(*_timeline_rows(data, time, user))


def _timeline_rows(data: Any, time: str, user: Filter | None) -> tuple[VizzuData, list[str]]:
    """What an in-memory timeline draws (the rows ``user`` keeps) and every moment of the data."""
    whole = _with_time(as_vizzu_data(data), time)
    vizzu_data = whole
    if user is not None:
        check_filter(user, as_vizzu_data(data), "timeline")
        vizzu_data = whole.take(np.flatnonzero(mask(user, as_vizzu_data(data))))
    return vizzu_data, list(whole[time].categories)  # type: ignore[union-attr]


# What a moment no row reports says under its title (its marks are absent, not zero):
# the words' "unreported", which a story says again in its own language (Story.to_dict).
_NO_DATA = str(words("en")["unreported"])


def _unreported(data: VizzuData, time: str, moments: Sequence[str]) -> set[str]:
    """The moments of a timeline that no row of ``data`` (before gaps are filled) holds."""
    series = data[time]
    assert isinstance(series, Dimension)
    present = {series.categories[code] for code in np.unique(series.codes).tolist() if code >= 0}
    return {moment for moment in moments if moment not in present}


# A scatter or bubble timeline draws no guide line from each mark to the axes:
# with a hundred marks they would hide the chart.
_QUIET_MARKS = {"plot": {"marker": {"guides": {"lineWidth": 0}}}}


def _check_top(kind: str, spec: Kind, top: Any) -> int | None:
    if top is None:
        return None
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        msg = f"timeline top={top!r}: top= is how many of the largest categories each moment shows, a whole number from 1; write top=10, say"
        raise StepError(msg, field="top")
    if "x" in spec.measures or kind not in _RACE_KINDS:
        msg = f"timeline top={top}: a {kind} chart has no ranked categories; a race ranks bars, so use kind='bar' (or {', '.join(k for k in _RACE_KINDS if k != 'bar')})"
        raise StepError(msg, field="top")
    return top


# Kinds whose marks are the x categories, one value each: what a race ranks.
_RACE_KINDS = ("bar", "column", "lollipop", "stacked_bar", "stacked_column")


def _timeline_requests(
    data: LazySource,
    time: str,
    mark_dims: Sequence[str],
    measures_of: Mapping[str, Sequence[str]],
    user: Filter | None,
) -> list[Request]:
    """What a lazy timeline will read: sums by moment and mark (over the rows ``user``
    keeps), and with a filter every moment of the whole source (the cadence of its gaps).
    Checked now against the source's columns; read with the story."""
    wanted = [time, *mark_dims]
    measures: dict[str, str] = {}
    for entries in measures_of.values():
        for entry in entries:
            parsed = _series_entry(entry)
            name = _series_name(entry)
            aggregator = parsed["aggregator"] if isinstance(parsed, dict) else "sum"
            if aggregator not in ("sum", "min", "max"):
                msg = f"a timeline over {data.label} reads sums by time; {entry!r} needs the rows, so encode a smaller source instead"
                raise StepError(msg)
            measures[name] = aggregator
    for name in [*wanted, *measures]:
        if name not in data.roles:
            role = "time" if name == time else "series"
            msg = f"{role}={name!r} is not in the data{closest(name, data.names)}; series are {data.names}"
            raise StepError(msg, field=role)
    if user is not None:
        for name in user.columns():
            if name not in data.roles:
                msg = f"timeline: the filter reads {name!r}, which is not in the data{closest(name, data.names)}; series are {data.names}"
                raise StepError(msg, field="filter")
    drawn = Request(tuple(dict.fromkeys(wanted)), measures, user, "the timeline")
    return [drawn] if user is None else [drawn, Request((time,), {}, place="the timeline")]


def _read_timeline(
    data: LazySource, time: str, requests: Sequence[Request], user: Filter | None
) -> tuple[VizzuData, list[str]]:
    """What a lazy timeline draws (see :func:`_timeline_requests`), read from the engine."""
    drawn = requests[0]
    if user is not None:
        data.check(user, "timeline")
    read = _with_time(data.read(list(drawn.dimensions), drawn.measures, where=user), time)
    if user is None:
        return read, list(read[time].categories)  # type: ignore[union-attr]
    return read, _time_order(list(data.labels(time)))


def _with_time(data: VizzuData, time: str) -> VizzuData:
    """``data`` with ``time`` as a dimension whose categories run in time order.

    Integer (or other numeric) times become categories in numeric order; text
    that reads as ISO dates or numbers is put in that order; other text
    keeps its order.
    """
    series = _get(data, time, "time")
    if isinstance(series, Measure):
        values = series.values
        if not is_whole(values):
            odd = [v for v in values.tolist() if not (math.isfinite(v) and v == int(v))]
            present = [v for v in odd if not math.isnan(v)]
            what = f"fractions such as {present[0]:g}" if present else "no values"
            msg = (
                f"time={time!r} holds {what}, so it does not say when; a timeline steps "
                "through whole numbers (years), dates or text, so pick the column that says when"
            )
            raise StepError(msg, field="time")
        column = (
            pa.array([None if math.isnan(v) else int(v) for v in values.tolist()], pa.int64())
            if values.dtype.kind == "f"
            else pa.array(values, from_pandas=True)
        )
        encoded = encode(pa.table({time: column}), dimensions=[time], max_rows=None)[time]
        assert isinstance(encoded, Dimension)
        dimension = encoded
    else:
        order = _time_order(list(series.categories))
        if order == list(series.categories):
            return data
        position = np.array([order.index(c) for c in series.categories], dtype=np.int32)
        dimension = Dimension(
            name=time, categories=tuple(order), codes=position[series.codes].astype(np.int32)
        )
    return VizzuData(
        series=tuple(dimension if s.name == time else s for s in data.series),
        num_rows=data.num_rows,
        placeholders_from=data.placeholders_from,
    )


def _time_order(categories: list[str]) -> list[str]:
    """Moments in time order: ISO dates and numbers by value, other text as it is."""
    known = [c for c in categories if c != DEFAULT_NULL_LABEL]
    rest = [c for c in categories if c == DEFAULT_NULL_LABEL]
    try:
        stamps = [dt.datetime.fromisoformat(c) for c in known]
    except ValueError:
        pass
    else:
        if len({s.tzinfo is None for s in stamps}) <= 1:
            return [c for _, c in sorted(zip(stamps, known, strict=True))] + rest
    try:
        numbers = [float(c) for c in known]
    except ValueError:
        return categories
    return [c for _, c in sorted(zip(numbers, known, strict=True))] + rest


def _moments(
    data: VizzuData, time: str, source: Sequence[str], *, fill: bool, filtered: bool
) -> list[str]:
    """The moments a timeline plays: those its rows hold, with gaps inside the source's
    cadence filled between kept moments."""
    series = data[time]
    assert isinstance(series, Dimension)
    present = set(np.unique(series.codes).tolist())
    kept = [c for i, c in enumerate(series.categories) if i in present]
    if not kept:
        if filtered:
            msg = (
                f"timeline: the filter keeps no rows, so no {time!r} is left to play; "
                f"the data's {time!r} runs from {source[0]} to {source[-1]}"
                if source
                else f"timeline: the filter keeps no rows, so no {time!r} is left to play"
            )
            raise StepError(msg, field="filter")
        msg = f"timeline: the data has no rows, so no {time!r} to play"
        raise StepError(msg, field="time")
    if not fill:
        return [c for c in source if c in set(kept)] or kept
    full = fill_periods(list(source))
    kept_set, source_set = set(kept), set(source)
    moments = []
    for index, moment in enumerate(full):
        if moment in kept_set:
            moments.append(moment)
        elif moment not in source_set:
            before = next((m for m in reversed(full[:index]) if m in source_set), None)
            after = next((m for m in full[index + 1 :] if m in source_set), None)
            if before in kept_set and after in kept_set:
                moments.append(moment)  # a period missing inside a kept stretch
    return moments


def _log_roles(
    kind: str, log: Any, measures_of: Mapping[str, Sequence[str]], *, cumulative: bool
) -> list[str]:
    roles = _as_list(log)
    if roles and kind not in ("scatter", "bubble_plot"):
        msg = (
            f"timeline log={log!r}: a log scale suits scatter and bubble_plot charts, where each "
            f"mark draws its own value; a {kind} chart's lengths and stacks add up, which "
            "logarithms cannot, so drop log= or use kind='scatter'"
        )
        raise StepError(msg, field="log")
    if roles and cumulative:
        msg = f"timeline log={log!r}: a cumulative timeline adds moments up, which logarithms cannot; drop log= or cumulative="
        raise StepError(msg, field="log")
    for role in roles:
        if role not in measures_of:
            allowed = [r for r in measures_of if measures_of[r]]
            msg = f"timeline log={log!r}: {role!r} is not a measure axis of a {kind} chart; log= takes {' or '.join(repr(r) for r in allowed)}"
            raise StepError(msg, field="log")
        if not measures_of[role]:
            msg = f"timeline log={log!r}: the chart has no {role}= measure to draw on a log scale; give {role}= or drop it from log="
            raise StepError(msg, field="log")
    return list(dict.fromkeys(roles))


def _with_logs(
    data: VizzuData,
    time: str,
    marks: Sequence[str],
    measures_of: Mapping[str, Sequence[str]],
    logs: Sequence[str],
) -> tuple[VizzuData, dict[str, list[str]]]:
    """``data`` with a ``log10(<measure>)`` series per log role, and the roles' new series."""
    dims = [data[name] for name in [time, *marks] if isinstance(data[name], Dimension)]
    real = data.num_rows if data.placeholders_from is None else data.placeholders_from
    keys = np.stack([d.codes[:real] for d in dims], axis=1)  # type: ignore[union-attr]
    if len(np.unique(keys, axis=0)) != real:
        msg = (
            f"timeline log=: a log scale needs one row per mark and moment, but some "
            f"({', '.join(repr(d.name) for d in dims)}) combinations have several rows; "
            f"add the dimension that tells them apart to by="
        )
        raise StepError(msg, field="log")
    plotted = {role: list(entries) for role, entries in measures_of.items()}
    series = list(data.series)
    for role in logs:
        entry = measures_of[role][0]
        name = _series_name(entry)
        measure = data[name]
        assert isinstance(measure, Measure)
        values = measure.values.astype(np.float64)
        bad = values[~np.isnan(values) & (values <= 0)]
        if bad.size:
            msg = (
                f"timeline log={role!r}: {name!r} has {bad.size} value(s) of zero or below "
                f"(lowest {float(bad.min()):g}), which a log scale cannot draw; filter them "
                f"out (filter={{{name!r}: [low, None]}} with low > 0) or drop log="
            )
            raise StepError(msg, field="log")
        logged = f"{name} (log scale)"
        with np.errstate(invalid="ignore", divide="ignore"):
            series.append(Measure(name=logged, values=np.log10(values), log_of=name))
        plotted[role] = [logged]
    return (
        VizzuData(
            series=tuple(series),
            num_rows=data.num_rows,
            placeholders_from=data.placeholders_from,
        ),
        plotted,
    )


def _named_marks(data: VizzuData, by: Any, label: Any, kind: str) -> tuple[VizzuData, str] | None:
    """With ``label`` a list of ``by`` categories, a label series naming only those marks."""
    names = _as_list(by)
    if not names or label is None or isinstance(label, bool):
        return None
    wanted = _as_list(label)
    if any(entry in data.names for entry in wanted):
        return None  # series names: the chart labels them as usual
    series = data[names[0]]
    assert isinstance(series, Dimension)
    check_labels(names[0], wanted, series.categories, f"timeline label= (names of {names[0]!r})")
    column = f"{names[0]} named"
    categories = ("", *wanted)
    lookup = np.array([categories.index(c) if c in wanted else 0 for c in series.categories])
    codes = lookup[series.codes].astype(np.int32) if len(lookup) else series.codes
    named = Dimension(name=column, categories=categories, codes=codes)
    del kind
    return (
        VizzuData(
            series=(*data.series, named),
            num_rows=data.num_rows,
            placeholders_from=data.placeholders_from,
        ),
        column,
    )


def _rankings(
    data: VizzuData,
    time: str,
    x: str,
    y: str,
    moments: Sequence[str],
    *,
    top: int,
    cumulative: bool,
) -> list[list[str]] | None:
    """The ``top`` largest ``x`` categories of each moment (by ``y``), largest first."""
    when = data[time]
    category = _get(data, x, "x")
    measure = _get(data, _series_name(y), "y")
    assert isinstance(when, Dimension)
    if not isinstance(category, Dimension) or not isinstance(measure, Measure):
        return None  # the chart itself says what is wrong with x or y
    present = set(category.codes.tolist())
    if top > len(present):
        msg = (
            f"timeline top={top}: {x!r} has only {len(present)} categories to rank, so "
            f"top= can be at most {len(present)}; lower it or leave top= out to show all"
        )
        raise StepError(msg, field="top")
    values = measure.values.astype(np.float64)
    real = ~np.isnan(values)
    totals = np.zeros((len(when.categories), len(category.categories)))
    seen = np.zeros_like(totals, dtype=bool)
    np.add.at(totals, (when.codes[real], category.codes[real]), values[real])
    seen[when.codes[real], category.codes[real]] = True
    totals[~seen] = np.nan
    result = []
    running = np.full(len(category.categories), np.nan)
    for moment in moments:
        row = totals[when.categories.index(moment)]
        if cumulative:
            running = np.where(np.isnan(running), row, running + np.nan_to_num(row))
            row = running
        order = [int(i) for i in np.argsort(-np.nan_to_num(row, nan=-np.inf), kind="stable")]
        result.append([category.categories[i] for i in order if not np.isnan(row[i])][:top])
    return result


def _timeline_ranges(
    data: VizzuData,
    time: str,
    kind: str,
    groups: Sequence[str],
    plotted: Mapping[str, Sequence[str]],
    *,
    cumulative: bool,
    logs: Sequence[str],
) -> dict[str, dict[str, Any]]:
    """Each plotted measure's fixed range over every moment, as a channel's ``range``
    (and ``step`` for a log axis)."""
    spread = "x" in KINDS[kind].measures  # scatter and bubbles: each mark is its own value
    result: dict[str, dict[str, Any]] = {}
    for role, entries in plotted.items():
        for entry in entries:
            parsed = _series_entry(entry)
            if isinstance(parsed, dict) and parsed["aggregator"] not in ("sum", "min", "max"):
                continue  # a mean or a count does not add up by mark: leave it to the engine
            extent = _timeline_extent(data, time, groups, entry, cumulative=cumulative)
            if extent is None:
                continue
            low, high = extent
            if role in logs:
                # From the decade below the smallest value (a tick at every decade from
                # there) to the round number above the largest (1, 2 or 5 times a power of
                # ten), not the next decade: $113K on an axis to $1M left a quarter of it empty.
                top = math.log10(_nice(10.0**high, _DECADE_STEPS))
                result[_series_name(entry)] = {
                    "range": {
                        "min": math.floor(low),
                        "max": max(round(top, 6), math.floor(low) + 1),
                    },
                    "step": 1,
                }
            elif role == "size":
                result[_series_name(entry)] = {"range": {"min": 0, "max": high}}
            elif spread:
                start, end, step = _nice_span(low, high)
                result[_series_name(entry)] = {"range": {"min": start, "max": end}, "step": step}
            else:
                low, high = min(0.0, low), max(0.0, high)
                result[_series_name(entry)] = {
                    "range": {"min": -_nice(-low) if low < 0 else 0, "max": _nice(high)}
                }
    return result


def _timeline_extent(
    data: VizzuData, time: str, x: Sequence[str], y: str, *, cumulative: bool
) -> tuple[float, float] | None:
    """The lowest and highest a measure's marks reach over all moments, summed by
    moment and ``x`` (so stacks count whole)."""
    measure = data[_series_name(y)] if _series_name(y) in data.names else None
    when = data[time]
    if not isinstance(measure, Measure) or not isinstance(when, Dimension):
        return None  # the chart itself says what is wrong with y
    values = measure.values.astype(np.float64)
    present = ~np.isnan(values)
    if not present.any():
        return None
    keys = [when.codes] + [s.codes for s in (data[n] for n in x) if isinstance(s, Dimension)]
    stacked = np.stack(keys, axis=1)[present]
    groups, inverse = np.unique(stacked, axis=0, return_inverse=True)
    totals = np.bincount(inverse.reshape(-1), weights=values[present], minlength=len(groups))
    if cumulative:
        # Each step adds everything so far: running totals along time, per mark.
        order = np.lexsort([groups[:, 0], *(groups[:, i] for i in range(len(keys) - 1, 0, -1))])
        groups, totals = groups[order], totals[order]
        marks = [tuple(row[1:]) for row in groups]
        running: dict[tuple[int, ...], float] = {}
        for position, mark in enumerate(marks):
            running[mark] = running.get(mark, 0.0) + totals[position]
            totals[position] = running[mark]
    return float(totals.min()), float(totals.max())


# Round numbers an axis may end at: the largest bar fills at least five sixths of it.
_NICE_STEPS = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


# Round numbers a log axis ends at: 1, 2 or 5 times a power of ten.
_DECADE_STEPS = (1, 2, 5, 10)


def _nice(value: float, steps: Sequence[float] = _NICE_STEPS) -> float:
    """A round number at least ``value``, close above it: the first of ``steps`` times a
    power of ten.

    >>> _nice(113_523.1, _DECADE_STEPS), _nice(1000.0, _DECADE_STEPS), _nice(0.03, _DECADE_STEPS)
    (200000.0, 1000.0, 0.05)
    """
    if value <= 0:
        return 0.0
    power = 10.0 ** math.floor(math.log10(value))
    return float(
        next(round(step * power, 12) for step in steps if step * power >= value * (1 - 1e-12))
    )


def _nice_span(low: float, high: float) -> tuple[float, float, float]:
    """``[low, high]`` widened to round ticks, and the tick step (1, 2 or 5 times a
    power of ten, about eight ticks)."""
    if high <= low:
        return low - 1, high + 1, 1.0
    rough = (high - low) / 8
    power = 10.0 ** math.floor(math.log10(rough))
    step = next(s * power for s in _DECADE_STEPS if s * power >= rough)
    return (
        float(round(math.floor(low / step) * step, 12)),
        float(round(math.ceil(high / step) * step, 12)),
        float(round(step, 12)),
    )


def _fixed_ranges(
    config: Mapping[str, Any], ranges: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """``config`` with each channel that draws a measure of ``ranges`` fixed to its range."""
    result = {**config, "channels": {**config["channels"]}}
    for axis in ("x", "y", "size"):
        channel = dict(result["channels"].get(axis) or {})
        shown = [e["name"] if isinstance(e, Mapping) else e for e in channel.get("set") or []]
        for name in shown:
            if name in ranges:
                channel.update(ranges[name])
                result["channels"][axis] = channel
                break
    return result


def fill_gaps(
    data: VizzuData,
    *,
    time: str,
    marks: Sequence[str],
    periods: Sequence[str] | None = None,
) -> VizzuData:
    """Add the rows a smooth timeline needs, with missing measures.

    ``periods`` are the moments to play (default: the time categories, with
    missing periods of a regular series added); every combination of
    ``marks`` seen anywhere gets a row at every period it lacks one.
    Existing rows are untouched, so totals are unchanged.
    """
    time_series = data[time]
    if not isinstance(time_series, Dimension):  # pragma: no cover - checked by the caller
        msg = f"{time!r} must be a dimension"
        raise StepError(msg)
    categories = (
        list(periods) if periods is not None else fill_periods(list(time_series.categories))
    )
    data = _with_periods(data, time, categories)
    time_codes = data[time].codes  # type: ignore[union-attr]
    mark_series = [data[name] for name in marks]
    dims = [s for s in mark_series if isinstance(s, Dimension)]
    if dims:
        combos = np.stack([d.codes for d in dims], axis=1)
        unique_combos = np.unique(combos, axis=0)
    else:
        combos = np.zeros((data.num_rows, 0), dtype=np.int32)
        unique_combos = np.zeros((1, 0), dtype=np.int32)
    present = {(int(t), *map(int, row)) for t, row in zip(time_codes, combos, strict=True)}
    new_rows = [
        (t, *map(int, combo))
        for t in range(len(categories))
        for combo in unique_combos
        if (t, *map(int, combo)) not in present
    ]
    if not new_rows:
        return data
    extra = np.array(new_rows, dtype=np.int32).reshape(len(new_rows), 1 + len(dims))
    series: list[Dimension | Measure] = []
    for item in data.series:
        if item.name == time:
            codes = np.concatenate([time_codes, extra[:, 0]]).astype(np.int32)
            series.append(Dimension(name=time, categories=tuple(categories), codes=codes))
        elif isinstance(item, Dimension) and item in dims:
            column = 1 + dims.index(item)
            series.append(
                Dimension(
                    name=item.name,
                    categories=item.categories,
                    codes=np.concatenate([item.codes, extra[:, column]]).astype(np.int32),
                )
            )
        elif isinstance(item, Measure):
            values = np.concatenate(
                [item.values.astype(np.float64), np.full(len(new_rows), np.nan)]
            )
            series.append(Measure(name=item.name, values=values, unit=item.unit))
        else:
            msg = f"fill_gaps cannot fill {item.name!r}: keep only the time, mark dimensions and measures"
            raise StepError(msg)
    return VizzuData(
        series=tuple(series),
        num_rows=data.num_rows + len(new_rows),
        placeholders_from=data.num_rows,
    )


def _with_periods(data: VizzuData, time: str, periods: Sequence[str]) -> VizzuData:
    """``data`` with ``time``'s categories exactly ``periods`` (each row's moment among them)."""
    series = data[time]
    assert isinstance(series, Dimension)
    if tuple(periods) == series.categories:
        return data
    index = {moment: position for position, moment in enumerate(periods)}
    remap = np.array([index.get(c, -1) for c in series.categories], dtype=np.int32)
    codes = remap[series.codes] if len(remap) else series.codes
    if (codes < 0).any():  # pragma: no cover - the moments hold every kept row's
        msg = f"timeline: rows at {time!r} moments it does not play"
        raise StepError(msg)
    moved = Dimension(name=time, categories=tuple(periods), codes=codes.astype(np.int32))
    return VizzuData(
        series=tuple(moved if s.name == time else s for s in data.series),
        num_rows=data.num_rows,
        placeholders_from=data.placeholders_from,
    )


# --- the registry: one table for the Python API, specs, magics and the schema ---


# A filter as a spec or a magic writes it, on a step or inside any preset: one shape for both.
FILTER = FreeMap(
    description="column -> a label or a list of labels (the categories as shown), or [low, high] for a measure"
)


@dataclass(frozen=True)
class Preset:
    """A preset as every front-end sees it: the function and its parameters' types.

    Every preset takes ``filter=``, so its parameters take ``filter`` too.
    """

    function: Callable[..., Step | list[Step]]
    parameters: Record

    def __post_init__(self) -> None:
        fields = {**self.parameters.fields, "filter": FILTER}
        object.__setattr__(self, "parameters", replace(self.parameters, fields=fields))


_text = Scalar("string")
# Text the audience reads; {expressions} in it are computed from the step's data.
_words = Scalar("string", description=TEMPLATE_HELP)
_flag = Scalar("boolean")
_number = Scalar("number")
_seconds = Scalar("number", description="seconds", minimum=0)
_names = ListOf(_text, single=True, description="a column name, or a list of them")
_kind_type = Enum(tuple(KINDS), description="chart kind")

# Every keyword a preset takes, with the one type it has in every preset (and so in every
# spec and magic): the registry below takes each preset's keywords, their order and which
# are required from the function's own signature, and their types from here.
KEYWORDS: dict[str, Type] = {
    "kind": _kind_type,
    "kinds": ListOf(_kind_type, min_items=1),
    "levels": ListOf(_text, min_items=2, description="dimensions from coarse to fine"),
    "path": ListOf(
        _text, min_items=1, description="the category entered at each level but the last"
    ),
    "x": _names,
    "y": _text,
    "color": _text,
    "size": _text,
    "by": _names,
    "time": Scalar("string", description="the column whose values are the moments"),
    "subtitle": _text,
    "legend": Enum(("color", "lightness", "size", "auto")),
    "reverse": _flag,
    "ends": _flag,
    "low": _number,
    "high": _number,
    "axis": Enum(("x", "y")),
    "back": _flag,
    "top": Scalar(
        "integer",
        description="how many of the largest x categories each moment shows (a race)",
        minimum=1,
    ),
    "log": ListOf(
        Enum(("x", "y", "size")), single=True, description="measure axes drawn on a log10 scale"
    ),
    "cumulative": _flag,
    "fill": _flag,
    "rescale": _flag,
    "where": FreeMap(
        description="the marks to point at: {dimension: label or [labels]} or {measure: [low, high]}"
    ),
    "note": _words,
    "change": Scalar(
        "string",
        description="the column holding the change (default '<y> change', which since: adds)",
    ),
    "title": _words,
    "titles": ListOf(_words, description="one title per step"),
    "style": FreeMap(description="a Vizzu style for the steps"),
    "label": AnyOf((_names, _flag)),
    "sort": _flag,
    "duration": Scalar(
        "number",
        description="seconds each transition takes (default: the pace of this kind of change)",
        minimum=0,
    ),
    "hold": Scalar(
        "number",
        description="seconds play mode rests on each step after it settles",
        minimum=0,
        maximum=3600,
    ),
}
# Where one preset gives a keyword a narrower meaning than the others.
OWN_KEYWORDS: dict[tuple[str, str], Type] = {
    ("compare", "x"): _text,
    ("compare", "by"): Scalar(
        "string",
        description=f"the dimension naming each row's version (default {VERSION_COLUMN}, which since: adds)",
    ),
    ("compare", "titles"): ListOf(
        _words, min_items=2, max_items=2, description="the versions side by side, then the change"
    ),
}
# Not written in a spec: the data is the story's, and a filter is added to every preset.
_NOT_WRITTEN = ("data", "filter")


def _preset(function: Callable[..., Step | list[Step]], description: str) -> Preset:
    """A preset's registry entry, read from its signature: its keywords in order, the
    required ones (those without a default) and each keyword's one type."""
    name = function.__name__
    fields: dict[str, Type] = {}
    required = []
    for parameter in inspect.signature(function).parameters.values():
        if parameter.name in _NOT_WRITTEN:
            continue
        fields[parameter.name] = (
            OWN_KEYWORDS.get((name, parameter.name)) or KEYWORDS[parameter.name]
        )
        if parameter.default is inspect.Parameter.empty:
            required.append(parameter.name)
    record = Record(fields, required=tuple(required), description=f"{description} (presets.{name})")
    return Preset(function, record)


REGISTRY: dict[str, Preset] = {
    preset.function.__name__: preset
    for preset in (
        _preset(chart, "one chart"),
        _preset(morph, "one step per chart kind over the same series"),
        _preset(zoom, "drill down a hierarchy and back"),
        _preset(zoom_range, "zoom an axis into a value range"),
        _preset(highlight, "keep the chart, point at some of its marks with a note"),
        _preset(
            compare,
            "two versions of a table side by side per category, then the change between "
            "them; read the data with since:",
        ),
        _preset(timeline, "one step per time value"),
    )
}


def make(
    name: str,
    data: Any,
    arguments: Mapping[str, Any],
    *,
    filter: Filter | Mapping[str, Any] | None = None,
) -> list[Step]:
    """Run the preset ``name`` with checked ``arguments``: what specs and magics call.

    A ``filter`` may be given beside the arguments or among them (a spec's
    ``timeline: {time: Month, filter: {Region: Europe}}``), not both: it is
    the preset's ``filter=``, the same shape either way.

    >>> [s.config["geometry"] for s in make("morph", None, {"kinds": ["column", "pie"], "x": "Region", "y": "Revenue"})]
    ['rectangle', 'rectangle']
    """
    if name not in REGISTRY:
        msg = f"unknown preset {name!r}{closest(name, REGISTRY)}; presets are {', '.join(REGISTRY)}"
        raise StepError(msg)
    preset = REGISTRY[name]
    problems = preset.parameters.check(arguments, ())
    if problems:
        first = problems[0]
        field = ".".join(str(part) for part in first.path)
        msg = f"{name}{'.' + field if field else ''}: {first.message}"
        raise StepError(msg)
    arguments = dict(arguments)
    if "filter" in arguments:
        if filter is not None:
            msg = f"{name} has a filter both inside it and beside it; write it once, as {name}.filter or as the step's filter"
            raise StepError(msg, field="filter")
        written = arguments.pop("filter")
        try:
            filter = as_filter(written)
        except StepError as error:
            raise StepError(str(error), field="filter") from None
    made = preset.function(data=data, filter=filter, **arguments)
    return [made] if isinstance(made, Step) else list(made)


# --- helpers ---------------------------------------------------------------


def as_filter(value: Filter | Mapping[str, Any] | None) -> Filter | None:
    """A filter from a :class:`Filter`, a mapping (see :meth:`Filter.from_mapping`) or None."""
    if value is None or isinstance(value, Filter):
        return value
    if isinstance(value, Mapping):
        return Filter.from_mapping(value)
    msg = f"filter= takes a Filter or a mapping such as {{'Region': ['Europe']}}, got {value!r}"
    raise StepError(msg)


def as_source(data: Any) -> Any:
    """``data``, with a path, folder, glob or lake table opened lazily (as a story opens it)."""
    if isinstance(data, (str, os.PathLike, LakeTable)):
        return lazy(data)
    return data


def as_vizzu_data(data: Any) -> VizzuData:
    """``data`` as :class:`VizzuData`, encoding any other source.

    A :class:`~ipyreport.lazy.LazySource` (or a path, read lazily) gives its
    schema (no rows): enough to check names and roles; a story aggregates it
    later.
    """
    data = as_source(data)
    if isinstance(data, VizzuData):
        return data
    if isinstance(data, LazySource):
        return data.schema()
    return encode(data)


def _kind(kind: str) -> Kind:
    if kind not in KINDS:
        msg = f"unknown chart kind {kind!r}{closest(kind, KINDS)}; kinds are {', '.join(KINDS)}"
        raise StepError(msg, field="kind")
    return KINDS[kind]


def _usage(kind: str) -> str:
    spec = KINDS[kind]
    parts = []
    for role in ROLES:
        used = (
            role in {r for sources in spec.arguments.values() for r in sources} or role == "color"
        )
        if not used or (role == "color" and spec.color == "none"):
            continue
        what = "measure" if role in spec.measures else "dimension"
        need = "" if role in spec.required else " (optional)"
        parts.append(f"{role}: a {what}{need}")
    return "; ".join(parts)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _roles(**values: Any) -> dict[str, list[str]]:
    return {role: _as_list(value) for role, value in values.items() if _as_list(value)}


def _series_entry(entry: str) -> str | dict[str, str]:
    """``"mean(Price)"`` becomes Vizzu's ``{"name": "Price", "aggregator": "mean"}``."""
    for aggregator in AGGREGATORS:
        if entry.startswith(f"{aggregator}(") and entry.endswith(")"):
            return {"name": entry[len(aggregator) + 1 : -1], "aggregator": aggregator}
    return entry


def _series_name(entry: str) -> str:
    parsed = _series_entry(entry)
    return parsed["name"] if isinstance(parsed, dict) else parsed


def _get(data: VizzuData, name: str, role: str) -> Dimension | Measure:
    if name not in data.names:
        raise _not_in(data.names, name, role)
    return data[name]


def _not_in(names: list[str], name: str, role: str) -> StepError:
    """The error for ``role``'s column ``name``, which is none of the data's ``names``."""
    msg = f"{role}={name!r} is not in the data{closest(name, names)}; series are {names}"
    return StepError(msg, field=role)


def _check_required(kind: str, spec: Kind, roles: Mapping[str, list[str]]) -> None:
    missing = [role for role in spec.required if role not in roles]
    if missing:
        msg = f"{kind} charts need {', '.join(f'{r}=' for r in missing)} ({_usage(kind)})"
        raise StepError(msg)


def _check_roles(
    kind: str, spec: Kind, roles: Mapping[str, list[str]], data: VizzuData | Mapping[str, str]
) -> None:
    """Each column a preset's ``roles`` name is in ``data`` with the role its kind wants
    (``data``: the data itself, or each column's role, as a lazy source has them)."""
    columns = data.roles if isinstance(data, VizzuData) else dict(data)
    dimensions = [name for name, role in columns.items() if role == "dimension"]
    measures = [name for name, role in columns.items() if role == "measure"]
    for role, entries in roles.items():
        for entry in entries:
            name = _series_name(entry)
            if name not in columns:
                raise _not_in(list(columns), name, role)
            want_measure = role in spec.measures
            parsed = _series_entry(entry)
            counted = isinstance(parsed, dict) and parsed["aggregator"] in ("count", "distinct")
            if want_measure and columns[name] != "measure" and not counted:
                msg = f"{role}={name!r} of {kind} charts must be a measure, but {name!r} is a dimension; measures are {measures}"
                raise StepError(msg, field=role)
            if not want_measure and columns[name] != "dimension":
                msg = (
                    f"{role}={name!r} of {kind} charts must be a dimension, but {name!r} is a "
                    f"measure; dimensions are {dimensions} (to read its numbers as categories, "
                    f"years say, read the data with dimensions=[{name!r}]; data.dimensions in a spec)"
                )
                raise StepError(msg, field=role)


def _color_not_in_x(kind: str, roles: Mapping[str, list[str]], color: str) -> None:
    msg = (
        f"{kind} charts draw one mark per x, so color={color!r} can only colour the x "
        f"categories {roles.get('x', [])} (or a dimension each of them has one value of); "
        f"use stacked_{kind} or grouped_{kind} to break marks down by {color!r}"
    )
    raise StepError(msg)


def _determined_by(data: VizzuData, names: Sequence[str], color: str) -> bool:
    """Whether every combination of ``names`` has a single value of ``color``."""
    if color not in data.names or not names or any(n not in data.names for n in names):
        return False
    series = [data[name] for name in [*names, color]]
    if not all(isinstance(item, Dimension) for item in series):
        return False
    dimensions = [item for item in series if isinstance(item, Dimension)]
    # Each row's combination as one integer (codes + 1: a missing value is -1), so one
    # sort of plain integers answers it; np.unique over rows sorts far slower.
    sizes = [len(item.categories) + 2 for item in dimensions]
    if math.prod(sizes) >= 2**62:
        codes = np.stack([item.codes for item in dimensions], axis=1)
        return len(np.unique(codes, axis=0)) == len(np.unique(codes[:, :-1], axis=0))
    key = np.zeros(data.num_rows, dtype=np.int64)
    for item, size in zip(dimensions[:-1], sizes, strict=False):
        key = key * size + (item.codes.astype(np.int64) + 1)
    both = key * sizes[-1] + (dimensions[-1].codes.astype(np.int64) + 1)
    return len(np.unique(both)) == len(np.unique(key))


def _check_path(data: VizzuData, levels: Sequence[str], path: Sequence[str]) -> None:
    mask = np.ones(data.num_rows, dtype=bool)
    for level, value in zip(levels, path, strict=False):
        series = _get(data, level, "level")
        if not isinstance(series, Dimension):
            msg = f"zoom level {level!r} must be a dimension, but it is a measure"
            raise StepError(msg)
        inside = sorted({series.categories[c] for c in np.unique(series.codes[mask])})
        if value not in inside:
            msg = f"zoom path: {level!r} has no {value!r} here{closest(value, inside)}; choose one of {inside}"
            raise StepError(msg, field="path")
        mask &= series.codes == series.categories.index(value)
    last = _get(data, levels[-1], "level")
    if not isinstance(last, Dimension):
        msg = f"zoom level {levels[-1]!r} must be a dimension, but it is a measure"
        raise StepError(msg)
