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
from collections.abc import Mapping
from typing import Any

from ipyreport._plan import Planned, StoryPlan, channel_series

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


def stages(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    seconds: float,
    *,
    regrouped: bool = False,
    remeasured: bool = False,
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
    >>> [stages(stacked, grouped, 1.0)[axis] for axis in ("y", "x")]
    [{'delay': 0.0, 'duration': 0.5}, {'delay': 0.5, 'duration': 0.5}]
    >>> [stages(grouped, stacked, 1.0)[axis] for axis in ("x", "y")]
    [{'delay': 0.0, 'duration': 0.5}, {'delay': 0.5, 'duration': 0.5}]
    """
    options: dict[str, Any] = {"duration": seconds}
    if before is None:
        return options
    channels_before = before.get("channels") or {}
    channels_after = after.get("channels") or {}
    polar = before.get("coordSystem") != after.get("coordSystem")
    reshaped = before.get("geometry") != after.get("geometry")
    if _axes(channels_before) != _axes(channels_after) or (
        regrouped and (polar or remeasured or reshaped)
    ):
        # Nothing to follow mark by mark: one chart fades out as the other fades in, and
        # the coordinates and shapes switch in between, so no mark is seen bent or warped
        # (bars of countries morphed into an area of months pass through frames of no mark).
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
        # the axis it leaves changes first, then the one it joins, so marks stay on the
        # baseline — unstacked, then slid apart; slid together, then stacked — never
        # floating in a staircase on two scales at once.
        first, then = (
            ("y", "x") if _moved(channels_before, channels_after, "y", "x") else ("x", "y")
        )
        options[first] = _stage(0.0, 0.5, seconds)
        options[then] = _stage(0.5, 0.5, seconds)
    if reshaped:
        options["geometry"] = _stage(0.25, 0.5, seconds)
    return options


def staged(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    animation: Mapping[str, Any] | None,
    *,
    regrouped: bool = False,
    remeasured: bool = False,
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
            )
            before = planned
    return result
