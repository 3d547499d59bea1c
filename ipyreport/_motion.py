"""How a step moves: the default durations, and the staging of each change, in one place.

A step's transition changes one thing at a time, each stage eased and short: marks
leaving or arriving (a filter), then where they sit (their axes), then their shape
(geometry), then their coordinates (cartesian ↔ polar) — reversed when leaving a pie.
A change the eye cannot follow mark by mark (bars into a treemap, a pie into bubbles of
other categories) is a clean cross-fade. The whole step stays within
:data:`BUDGET_SECONDS` unless its author asks for longer, and ``ipyreport check`` says so
when one does (:func:`problems`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from ipyreport._plan import Planned, StoryPlan, channel_series, name_and_aggregator

# The seconds a step's transition takes when nothing says otherwise.
STEP_SECONDS = 1.0
# A morph between chart kinds (presets.morph), staged within it.
MORPH_SECONDS = 1.2
# One moment of a timeline (presets.timeline), at a steady pace.
MOMENT_SECONDS = 0.8
# A step within a slide that zooms or drills (presets.zoom, presets.zoom_range).
ZOOM_SECONDS = 1.0
# A highlight of some marks (presets.highlight).
HIGHLIGHT_SECONDS = 0.5
# The longest a step may take by default; longer is the author's choice, and the checker names it.
BUDGET_SECONDS = 1.5

# The animation groups an author may time themselves: such a step is played as written.
GROUPS = (
    "style",
    "title",
    "subtitle",
    "caption",
    "legend",
    "show",
    "hide",
    "color",
    "coordSystem",
    "geometry",
    "x",
    "y",
    "tooltip",
    "connection",
)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|ms)?\s*$")


def duration_seconds(value: Any) -> float | None:
    """The seconds an engine duration means.

    The player's twin is ``durationSeconds`` in ``static/steps.js``; both read
    the forms the engine reads (and ``validate`` lets through).

    Parameters
    ----------
    value : object
        A number of seconds, or text such as ``"1.5s"``, ``"500ms"`` or ``"2"``.

    Returns
    -------
    float or None
        The seconds, or ``None`` when ``value`` is none of these.

    Examples
    --------
    >>> duration_seconds(2), duration_seconds("60s"), duration_seconds("250ms"), duration_seconds("1 min")
    (2.0, 60.0, 0.25, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) and value >= 0 else None
    if isinstance(value, str) and (found := _DURATION.match(value)):
        number = float(found.group(1))
        return number / 1000 if found.group(2) == "ms" else number
    return None


# Whole-step options besides the groups.
_WHOLE = ("duration", "delay", "easing")


def _stage(start: float, length: float, seconds: float) -> dict[str, Any]:
    return {"delay": round(start * seconds, 3), "duration": round(length * seconds, 3)}


def _axes(channels: Mapping[str, Any]) -> bool:
    """Whether a config's channels (lists of series, or the engine's ``{"set": [...]}``) draw axes."""

    def series(channel: Any) -> Any:
        return channel.get("set") if isinstance(channel, Mapping) else channel

    return bool(series(channels.get("x")) or series(channels.get("y")))


def _moved(before: Mapping[str, Any], after: Mapping[str, Any], source: str, target: str) -> bool:
    """Whether a series leaves channel ``source`` for ``target`` (stacked columns grouped:
    the stacking dimension leaves y for x)."""

    def series(channels: Mapping[str, Any], name: str) -> list[str]:
        channel = channels.get(name)
        entries = channel.get("set") if isinstance(channel, Mapping) else channel
        return [repr(entry) for entry in entries or ()]

    return any(
        entry not in series(after, source)
        and entry in series(after, target)
        and entry not in series(before, target)
        for entry in series(before, source)
    )


# How long each kind of leg of a staged morph takes, relative to the others.
_LEG_WEIGHTS = {"unbend": 1.0, "merge": 0.8, "layout": 1.0, "split": 1.0, "bend": 1.0, "label": 0.4}
# The channels a staged morph's in-between states set (all of them, so none is left as it was).
_LAYOUT = ("x", "y", "color", "lightness", "size", "noop")


def _series(channels: Mapping[str, Any], name: str) -> list[Any]:
    channel = channels.get(name)
    entries = channel.get("set") if isinstance(channel, Mapping) else channel
    return list(entries or ())


def _stacking(channels: Mapping[str, Any], dimensions: Collection[str]) -> str | None:
    """The channel a chart's marks stack along (their sizes add up there): the one axis that
    holds a measure (columns, bars, a pie's angle), or a treemap's size; None for a scatter
    or bubble plot (both axes measured), whose marks merged would sit at sums of positions."""

    def measured(name: str) -> bool:
        return any(
            name_and_aggregator(entry)[0] not in dimensions for entry in _series(channels, name)
        )

    axes = [axis for axis in ("x", "y") if measured(axis)]
    if len(axes) == 1:
        return axes[0]
    if not axes and measured("size"):
        return "size"
    return None


# A pie's layout drawn in cartesian coordinates, on its way to bend or as it unbends: one
# strip of touching marks across the plot, no axis drawn (a pie draws none).
_BARE = {
    "title": None,
    "axis": False,
    "labels": False,
    "ticks": False,
    "interlacing": False,
    "guides": False,
}
STRIP_STYLE = {"plot": {"marker": {"rectangleSpacing": 0}}}


def _strip(config: dict[str, Any]) -> dict[str, Any]:
    channels = config.get("channels") or {}
    bare = {axis: {**(channels.get(axis) or {}), **_BARE} for axis in ("x", "y")}
    return {**config, "channels": {**channels, **bare}, "style": STRIP_STYLE}


def _dims(
    channels: Mapping[str, Any], dimensions: Collection[str], names: Sequence[str] = _LAYOUT
) -> list[str]:
    """The dimensions on ``channels`` (those named ``names``), in order, once each."""
    found = [
        name_and_aggregator(entry)[0]
        for name in names
        for entry in _series(channels, name)
        if name_and_aggregator(entry)[0] in dimensions
    ]
    return list(dict.fromkeys(found))


def _measures(channels: Mapping[str, Any], dimensions: Collection[str]) -> set[str]:
    """The measures ``channels`` lay out (those not in ``dimensions``)."""
    return {
        name_and_aggregator(entry)[0]
        for name in _LAYOUT
        for entry in _series(channels, name)
        if name_and_aggregator(entry)[0] not in dimensions
    }


def _stacked(channels: Mapping[str, Any], axis: str, extra: Sequence[str]) -> dict[str, Any]:
    """``channels`` with the dimensions ``extra`` stacked along ``axis`` too."""
    result = {name: _series(channels, name) for name in _LAYOUT}
    result[axis] = [*result[axis], *extra]
    return result


def _drawn_between(config: Mapping[str, Any]) -> bool:
    """Whether a chart's marks are drawn between its points (an area or a line), not as shapes."""
    return config.get("geometry") in ("area", "line")


def _round(config: Mapping[str, Any]) -> bool:
    """Whether a chart's marks are discs (bubbles, a scatter's points)."""
    return config.get("geometry") == "circle"


def _untraceable(
    before: Mapping[str, Any], after: Mapping[str, Any], dimensions: Collection[str]
) -> bool:
    """Whether two charts have no marks in common the eye could follow from one to the other."""
    channels_before = before.get("channels") or {}
    channels_after = after.get("channels") or {}
    if not set(_dims(channels_before, dimensions)) & set(_dims(channels_after, dimensions)):
        return True
    # Bars and an area (or a line): an area's marks are drawn between points, so half-way it
    # is a strip of no width. Slices and bubbles: the engine blends a box into a disc
    # through lumpy shapes.
    if _drawn_between(before) != _drawn_between(after) or _round(before) != _round(after):
        return True
    # Parts of another kind in another measure (orders by channel, then revenue by
    # product): only the wholes are shared, and their sizes change meaning too.
    removed, added = _changed(channels_before, channels_after, dimensions)
    return bool(removed and added) and _measures(channels_before, dimensions) != _measures(
        channels_after, dimensions
    )


def _changed(
    before: Mapping[str, Any], after: Mapping[str, Any], dimensions: Collection[str]
) -> tuple[list[str], list[str]]:
    """The dimensions the marks lose on the way from channels ``before`` to ``after``, and those they gain."""
    old, new = _dims(before, dimensions), _dims(after, dimensions)
    return [name for name in old if name not in new], [name for name in new if name not in old]


def _colours(channels: Mapping[str, Any], dimensions: Collection[str]) -> list[Any]:
    """The dimensions a chart's marks are coloured by."""
    return [e for e in _series(channels, "color") if name_and_aggregator(e)[0] in dimensions]


def _colour_between(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    dimensions: Collection[str],
    removed: Collection[str],
    added: Collection[str],
) -> list[Any]:
    """The colour marks wear in between (channels ``before`` and ``after``): the old one while
    it names a category both charts draw (a region's parts split in its colour), else the new
    one if it does, else none. Marks of no colour take the new one at once where it names what
    each mark already is (continents coloured on their way into a pie): a strip of touching
    parts in one grey read as one block."""
    colour = _colours(before, dimensions)
    coming = _colours(after, dimensions)
    if set(_dims({"color": before.get("color")}, dimensions)) & set(removed):
        colour = [e for e in coming if name_and_aggregator(e)[0] not in added]
    named = {name_and_aggregator(e)[0] for e in coming}
    if not colour and coming and named <= set(_dims(before, dimensions)):
        colour = coming
    return colour


def _legs(
    before: Mapping[str, Any], after: Mapping[str, Any], dimensions: Collection[str]
) -> list[tuple[str, dict[str, Any] | None]] | None:
    """The states a morph between chart kinds passes through, each named by what changes on
    the way to it, one thing at a time: out of a pie's coordinates (unbend); marks merging
    into fewer (merge) or splitting into more (split), always where they stack, so each part
    sits inside the whole it joins, in a colour both charts give the same category (the
    parent's); the new chart's layout; into a pie's coordinates (bend). The last state is
    the step's own (``None``). None when the two charts share no category to follow, or
    their parts cannot stack on the way.

    >>> dims = {"Region", "Product"}
    >>> shares = {"align": "stretch", "channels": {"x": ["Region"], "y": ["Revenue", "Product"], "color": ["Product"]}}
    >>> pie = {"coordSystem": "polar", "channels": {"x": ["Revenue", "Region"], "color": ["Region"]}}
    >>> [(name, config and config["align"]) for name, config in _legs(shares, pie, dims)]
    [('merge', 'none'), ('layout', 'none'), ('bend', None)]
    >>> columns = {"channels": {"x": ["Region"], "y": ["Revenue"]}}
    >>> [config["channels"]["color"]["set"] for _, config in _legs(columns, pie, dims)[:-1]]
    [['Region']]
    >>> treemap = {"channels": {"size": ["Revenue", "Product"], "color": ["Product"], "noop": ["Region"]}}
    >>> [name for name, _ in _legs(pie, treemap, dims)]
    ['unbend', 'layout', 'split']
    >>> race = {"channels": {"x": ["Revenue"], "y": ["Region"], "color": ["Region"]}}
    >>> area = {"geometry": "area", "channels": {"x": ["Month"], "y": ["Revenue", "Region"], "color": ["Region"]}}
    >>> _legs(race, area, {"Region", "Month"}) is None
    True
    >>> bubbles = {"geometry": "circle", "channels": {"size": ["Revenue", "Region"], "color": ["Region"]}}
    >>> _legs(pie, bubbles, dims) is None
    True
    >>> by_channel = {"channels": {"x": ["Orders", "Channel"], "y": ["Region"], "color": ["Channel"]}}
    >>> _legs(by_channel, treemap, {"Region", "Product", "Channel"}) is None
    True
    """
    if _untraceable(before, after, dimensions):
        return None
    channels_before = before.get("channels") or {}
    channels_after = after.get("channels") or {}
    removed, added = _changed(channels_before, channels_after, dimensions)
    stack_before = _stacking(channels_before, dimensions)
    stack_after = _stacking(channels_after, dimensions)

    def stacks(channels: Mapping[str, Any], axis: str | None, names: Sequence[str]) -> bool:
        return axis is not None and set(names) <= set(_dims(channels, dimensions, (axis,)))

    colour = _colour_between(channels_before, channels_after, dimensions, removed, added)

    def state(
        config: Mapping[str, Any],
        channels: Mapping[str, Any],
        drop: Collection[str] = (),
        paint: Sequence[Any] | None = None,
    ) -> dict[str, Any]:
        """``config``'s layout in cartesian coordinates, unlabelled, without the dimensions
        ``drop``, its marks in the in-between colour (or ``paint``)."""
        kept = {
            name: [e for e in _series(channels, name) if name_and_aggregator(e)[0] not in drop]
            for name in _LAYOUT
        }
        kept["color"] = list(colour if paint is None else paint)
        kept["label"] = []
        # No axis title in between: an axis the marks are leaving or not yet on is not named.
        # Its order too: a bar chart's categories read from the top in every leg it lays out.
        result = {
            "coordSystem": "cartesian",
            "geometry": config.get("geometry", "rectangle"),
            "align": config.get("align", "none"),
            "reverse": config.get("reverse", False),
            "sort": config.get("sort", "none"),
            "channels": {
                name: {"set": entries or None, **({"title": None} if name in ("x", "y") else {})}
                for name, entries in kept.items()
            },
        }
        return _strip(result) if config.get("coordSystem") == "polar" else result

    legs: list[tuple[str, dict[str, Any] | None]] = []
    if before.get("coordSystem") == "polar" and after.get("coordSystem") != "polar":
        legs.append(("unbend", _strip({"coordSystem": "cartesian"})))
    layout = channels_after
    merged: Sequence[str] = ()
    if removed:
        if stacks(channels_before, stack_before, removed):
            merging = state(before, channels_before, removed)
            # A 100% chart's parts merged are each 100%: equal columns, read as equal wholes.
            # The wholes take their own sizes as they form.
            merging["align"] = "none" if merging["align"] == "stretch" else merging["align"]
            legs.append(("merge", merging))
            merged = removed
        elif stack_after is not None:
            # The parts fly to their places in the new chart's stacks, then merge there.
            layout = _stacked(channels_after, stack_after, removed)
        else:
            return None
    split_early = bool(added) and not stacks(channels_after, stack_after, added)
    if split_early:
        # The new chart does not stack its parts (a bubble plot): they split where the old one does.
        if stack_before is None:
            return None
        # The parts merged on the way stay merged: the marks split by the new dimension only.
        legs.append(
            ("split", state(before, _stacked(channels_before, stack_before, added), merged))
        )
    late = [] if split_early else added
    legs.append(("layout", state(after, layout, late)))
    if layout is not channels_after:
        legs.append(("merge", state(after, channels_after, late)))
    final = _colours(channels_after, dimensions)
    if late:
        # Each new part wears its own colour at once (the player paints a mark by its
        # category while the colour channel changes).
        legs.append(("split", state(after, channels_after, paint=final)))
    polar = after.get("coordSystem") == "polar" and before.get("coordSystem") != "polar"
    # The step's own state ends the path: a last leg that only unlabels it is that state.
    if not polar and legs and legs[-1][1] == state(after, channels_after, paint=final):
        legs[-1] = (legs[-1][0], None)
    else:
        legs.append(("bend" if polar else "label", None))
    path: list[tuple[str, dict[str, Any] | None]] = []
    for name, config in legs:
        if path and path[-1][1] == config and config is not None:
            continue
        path.append((name, config))
    return path


def _via(
    legs: Sequence[tuple[str, dict[str, Any] | None]],
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    seconds: float,
) -> list[dict[str, Any]]:
    """The legs of a staged morph (see :func:`_legs`) as the player plays them: each the
    state it reaches, in what style, and its options, eased and short, all in ``seconds``;
    and whose layout that state draws (``side``: the chart the step leaves, ``"before"``,
    until the new layout, then the step's own, ``"after"``), so a player that draws a chart
    otherwise (a phone's columns turned into bars) draws each state as it draws that chart."""
    weights = [_LEG_WEIGHTS[name] for name, _ in legs]
    polar = before.get("coordSystem") != after.get("coordSystem")
    via = []
    side = "before"
    for (name, config), weight in zip(legs, weights, strict=True):
        if name == "layout":
            side = "after"
        length = round(seconds * weight / sum(weights), 3)
        animation: dict[str, Any] = {"duration": length}
        into = after.get("coordSystem") == "polar"
        if name == "layout" and polar:
            # Into a pie's strip, marks slide along it to their places first, then take its
            # height (bars queue up, then close ranks; tiles leave their rows, then stretch);
            # out of one, the other way round: each tile (or bar) takes its height in its own
            # band of the strip, then slides to its place, never across another.
            first, then = ("x", "y") if into else ("y", "x")
            animation[first] = _stage(0.0, 0.5, length)
            animation[then] = _stage(0.5, 0.5, length)
        leg: dict[str, Any] = {"animation": animation, "side": side}
        if config is not None:
            leg["config"] = {key: value for key, value in config.items() if key != "style"}
            if "style" in config:
                leg["style"] = config["style"]
        via.append(leg)
    return via


def stages(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    seconds: float,
    *,
    regrouped: bool = False,
    remeasured: bool = False,
    dimensions: Collection[str] = (),
) -> dict[str, Any]:
    """The animation options that stage the change from config ``before`` to ``after``.

    ``before`` and ``after`` are configs (``coordSystem``, ``geometry`` and
    ``channels``, each channel a list of series); ``regrouped`` says the marks
    stand for other categories after (their dimensions changed), ``remeasured``
    that they draw other measures.

    >>> stages({"coordSystem": "cartesian"}, {"coordSystem": "polar"}, 1.0)["coordSystem"]
    {'delay': 0.5, 'duration': 0.5}
    >>> stages({"coordSystem": "polar"}, {"coordSystem": "cartesian"}, 1.0)["coordSystem"]
    {'delay': 0.0, 'duration': 0.5}
    >>> stacked = {"channels": {"x": ["Region"], "y": ["Revenue", "Product"]}}
    >>> grouped = {"channels": {"x": ["Region", "Product"], "y": ["Revenue"]}}
    >>> [stages(stacked, grouped, 1.0)[axis] for axis in ("x", "y")]
    [{'delay': 0.0, 'duration': 0.5}, {'delay': 0.5, 'duration': 0.5}]
    >>> [stages(grouped, stacked, 1.0)[axis] for axis in ("y", "x")]
    [{'delay': 0.0, 'duration': 0.5}, {'delay': 0.5, 'duration': 0.5}]
    >>> moment = {"channels": {"x": ["site"], "y": ["yield"]}}
    >>> stages(moment, moment, 0.8)["y"]
    {'delay': 0.0, 'duration': 0.8}
    """
    options: dict[str, Any] = {"duration": seconds}
    if before is None:
        return options
    channels_before = before.get("channels") or {}
    channels_after = after.get("channels") or {}
    polar = before.get("coordSystem") != after.get("coordSystem")
    reshaped = before.get("geometry") != after.get("geometry")
    staged = _axes(channels_before) != _axes(channels_after) or (
        regrouped and (polar or remeasured or reshaped)
    )
    if not (staged or polar or reshaped or regrouped) and channels_before == channels_after:
        # The same marks on the same axes over other rows (a timeline's next moment, a
        # filter): every mark moves, comes and goes over the whole step at once (the engine
        # would hold them still for its first half), so a bar is half-way between its two
        # values at half-way, where the player's labels turn from one to the other.
        return {
            **options,
            **{group: _stage(0.0, 1.0, seconds) for group in ("x", "y", "show", "hide")},
        }
    if staged or polar:
        legs = _legs(before, after, dimensions) if dimensions else None
        if legs is not None and len(legs) == 1:
            # The same marks, laid out anew: they move straight there, or, between tiles
            # and a row of bars, one axis at a time, so that none crosses another on the way.
            order = _tiling(channels_before, channels_after, dimensions)
            if order is not None:
                options[order[0]] = _stage(0.0, 0.5, seconds)
                options[order[1]] = _stage(0.5, 0.5, seconds)
            return options
        if legs is not None:
            return {"duration": seconds, "via": _via(legs, before, after, seconds)}
    if staged:
        # Nothing to follow mark by mark: one chart fades out as the other fades in. The
        # player lays a picture of the old chart over the new one, drawn at once, and fades
        # it out (``crossFade``), so each is whole and true at every moment; a recording,
        # which plays the engine's own frames, fades the marks instead, switching the
        # coordinates and shapes in between so no mark is seen bent or warped.
        options["crossFade"] = True
        options["regroupStrategy"] = "fade"
        options["hide"] = _stage(0.0, 0.6, seconds)
        options["show"] = _stage(0.4, 0.6, seconds)
        for group, changes in (("coordSystem", polar), ("geometry", reshaped)):
            if changes:
                options[group] = _stage(0.45, 0.1, seconds)
        return options
    if polar:
        into = after.get("coordSystem") == "polar"
        # Into a pie: marks line up first, then bend; out of one: they unbend first.
        moves, bends = (0.0, 0.5) if into else (0.5, 0.0)
        options["x"] = _stage(moves, 0.5, seconds)
        options["y"] = _stage(moves, 0.5, seconds)
        options["coordSystem"] = _stage(bends, 0.5, seconds)
    elif _moved(channels_before, channels_after, "y", "x") != _moved(
        channels_before, channels_after, "x", "y"
    ):
        # A dimension moving between the axes (stacked columns grouped, or grouped stacked):
        # the parts keep their heights on one scale while they step sideways, stacked as a
        # waterfall that still adds up to its whole, then land on the baseline; grouped
        # stacked, the other way round. Never a part lying over another at the same place:
        # piled on one baseline, the tallest hides the rest, and the column reads as its size.
        first, then = (
            ("x", "y") if _moved(channels_before, channels_after, "y", "x") else ("y", "x")
        )
        options[first] = _stage(0.0, 0.5, seconds)
        options[then] = _stage(0.5, 0.5, seconds)
    elif _split_along(channels_before, channels_after, "x"):
        # A drill-down: the marks not drilled into leave, the one drilled into breaks into its
        # parts, which step apart as a waterfall (each its own height, on the whole's scale),
        # then land on the baseline as the value axis takes their scale.
        options["hide"] = _stage(0.0, 0.3, seconds)
        options["x"] = _stage(0.25, 0.35, seconds)
        options["y"] = _stage(0.6, 0.4, seconds)
    elif _split_along(channels_after, channels_before, "x"):
        # Back up: the parts rise into a waterfall, then step together into their whole
        # as the others return beside it (after it, the whole stood alone over the plot
        # for most of the move and the others came in a rush at its end).
        options["y"] = _stage(0.0, 0.35, seconds)
        options["x"] = _stage(0.35, 0.4, seconds)
        options["show"] = _stage(0.35, 0.65, seconds)
    if reshaped:
        options["geometry"] = _stage(0.25, 0.5, seconds)
    shade = _shade_stage(channels_before, channels_after, dimensions)
    if shade is not None:
        options["color"] = _stage(*shade, seconds)
    return options


def _shade_stage(
    before: Mapping[str, Any], after: Mapping[str, Any], dimensions: Collection[str]
) -> tuple[float, float] | None:
    """The half of a move in which the engine changes its colours (start and length, as
    shares of the move), when they go from categories to a measure's shades alone (a
    marimekko by product into a heatmap of units) or back; None for other moves.

    The player draws such a move through a neutral grey: from the categories' colours to
    it, then from it to the shades (or the other way). Its shades are the engine's own, so
    the engine must have them whole in that half, not blended with the categories' colours.

    >>> product, units = {"color": ["Product"]}, {"lightness": ["Units"]}
    >>> _shade_stage(product, units, {"Product"}), _shade_stage(units, product, {"Product"})
    ((0.0, 0.5), (0.5, 0.5))
    >>> _shade_stage(product, {"color": ["Region"]}, {"Product", "Region"}) is None
    True
    """

    def shaded(channels: Mapping[str, Any]) -> bool:
        measures = [
            e for e in _series(channels, "lightness") if name_and_aggregator(e)[0] not in dimensions
        ]
        return bool(measures) and not _colours(channels, dimensions)

    if _colours(before, dimensions) and shaded(after):
        return (0.0, 0.5)
    if shaded(before) and _colours(after, dimensions):
        return (0.5, 0.5)
    return None


def _tiling(
    before: Mapping[str, Any], after: Mapping[str, Any], dimensions: Collection[str]
) -> tuple[str, str] | None:
    """The order of the axes along which tiles (a treemap, no axes) move into a row of marks
    laid side by side along one axis, or such a row into tiles; None for other changes.

    Out of tiles, each first takes its own band along that axis (its bar's or column's),
    where no other is, and then its place across it; into tiles, each first takes its place
    across the axis, still in its own band, then moves along it. Moved straight, tiles
    slide across one another on the way (a treemap's Europe over Asia Pacific's tile).

    >>> tiles = {"size": ["pop", "continent"], "color": ["continent"]}
    >>> columns = {"x": ["continent"], "y": ["pop"], "color": ["continent"]}
    >>> _tiling(tiles, columns, {"continent"}), _tiling(columns, tiles, {"continent"})
    (('x', 'y'), ('y', 'x'))
    >>> _tiling(columns, {"x": ["pop"], "y": ["continent"]}, {"continent"}) is None
    True
    """
    if _axes(before) == _axes(after):
        return None
    row = after if _axes(after) else before
    along = [axis for axis in ("x", "y") if _dims(row, dimensions, (axis,))]
    if len(along) != 1:
        return None
    across = "y" if along[0] == "x" else "x"
    return (along[0], across) if row is after else (across, along[0])


def _split_along(before: Mapping[str, Any], after: Mapping[str, Any], axis: str) -> bool:
    """Whether marks split along ``axis``: it keeps its series and gains more (a drill-down).

    >>> _split_along({"x": ["Region"]}, {"x": ["Country", "Region"]}, "x")
    True
    >>> _split_along({"x": ["Region"]}, {"x": ["Product"]}, "x")
    False
    """
    old = [repr(entry) for entry in _series(before, axis)]
    new = [repr(entry) for entry in _series(after, axis)]
    return bool(old) and len(new) > len(old) and set(old) <= set(new)


def staged(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    animation: Mapping[str, Any] | None,
    *,
    regrouped: bool = False,
    remeasured: bool = False,
    dimensions: Collection[str] = (),
) -> dict[str, Any]:
    """A step's animation options as the player plays them: its own, completed.

    A step that times its groups itself plays as written; otherwise its
    duration (:data:`STEP_SECONDS` when it names none) is staged by
    :func:`stages`, its easing kept.

    >>> staged(None, {}, None)
    {'duration': 1.0}
    >>> staged(None, {}, {"x": {"duration": 3}})
    {'x': {'duration': 3}}
    """
    own = dict(animation or {})
    if any(key in own for key in GROUPS) or "regroupStrategy" in own:
        return own
    seconds = duration_seconds(own.get("duration"))
    result = stages(
        before,
        after,
        STEP_SECONDS if seconds is None else seconds,
        regrouped=regrouped,
        remeasured=remeasured,
        dimensions=dimensions,
    )
    return {**result, **{key: own[key] for key in _WHOLE if key in own and key != "duration"}}


def total_seconds(animation: Mapping[str, Any]) -> float:
    """How long a step with these options moves: its delay and duration (the engine fits
    its groups into them), or else its latest group's end.

    >>> total_seconds({"duration": 1, "x": {"delay": 0.5, "duration": 1.5}})
    1.0
    >>> total_seconds({"x": {"delay": 0.5, "duration": 1.5}})
    2.0
    """
    whole = duration_seconds(animation.get("duration"))
    start = duration_seconds(animation.get("delay")) or 0.0
    if whole is not None:
        return start + whole
    ends = [STEP_SECONDS]
    for key in GROUPS:
        group = animation.get(key)
        if isinstance(group, Mapping):
            delay = duration_seconds(group.get("delay")) or 0.0
            length = duration_seconds(group.get("duration"))
            ends.append(delay + (STEP_SECONDS if length is None else length))
    return start + max(ends)


def _shape(planned: Planned) -> dict[str, Any]:
    state = planned.state
    return {**state.config, "channels": state.channels}


def animations(plan: StoryPlan) -> dict[tuple[int, int | None, int], dict[str, Any]]:
    """Every step's animation options as played (see :func:`staged`), by slide, chart and step.

    Each step is staged against the one its chart shows before it.
    """

    def same_data(before: Planned | None, after: Planned) -> bool:
        # (a data set made with stand-ins holds only the series its charts draw)
        return before is None or before.dataset == after.dataset

    result = {}
    for chain in plan.charts:
        before: Planned | None = None
        for planned in chain:
            played = planned.played
            dims, measures = channel_series(planned.state, labels=False)
            old = channel_series(before.state, labels=False) if before else (dims, measures)
            result[played.slide, played.chart, played.step] = staged(
                None if before is None else _shape(before),
                _shape(planned),
                played.item.animation,
                regrouped=old[0] != dims,
                remeasured=sorted(old[1]) != sorted(measures),
                # Staged only within one data set: its in-between states name the series of
                # the data the chart draws, which a move to another data set has not loaded yet.
                dimensions={*old[0], *dims} if same_data(before, planned) else (),
            )
            before = planned
    return result
