"""One step of a story: a chart state to animate to, as plain JSON-ready values.

A :class:`Step` holds a Vizzu config, an optional style, an optional
declarative :class:`Filter`, animation options, and optionally a dataset of
its own (presets such as ``timeline`` fill gaps in a copy of the data).
Nothing here is JavaScript: the player compiles filters into functions
without ``eval``.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ipyreport._engine import engine_problem
from ipyreport._errors import StepError, closest
from ipyreport._filters import KEEP_FILTER, Filter, javascript
from ipyreport._filters import check as check_filter
from ipyreport._schema import format_path, json_problems
from ipyreport._vizzu_presets import PRESETS, build_config
from ipyreport.data import AGGREGATORS, VizzuData

if TYPE_CHECKING:
    from ipyvizzu import Config, Data, Style

__all__ = [
    "KEEP_FILTER",
    "Filter",
    "Highlight",
    "Step",
    "StepError",
    "check_step",
    "hold_problem",
]

MAX_HOLD = 3600.0


def hold_problem(hold: object) -> str | None:
    """What is wrong with a play-mode rest in seconds, in words.

    Parameters
    ----------
    hold
        A rest as given: seconds from 0 to 3600, or ``None`` (not given).

    Returns
    -------
    str or None
        What is wrong with it, or ``None`` when nothing is.

    Examples
    --------
    >>> hold_problem(0.5), hold_problem(-1)
    (None, 'seconds from 0 to 3600, got -1')
    """
    if hold is None:
        return None
    if isinstance(hold, bool) or not isinstance(hold, (int, float)) or not 0 <= hold <= MAX_HOLD:
        return f"seconds from 0 to {MAX_HOLD:g}, got {hold!r}"
    return None


MAX_NOTE = 280  # characters: a note is a sentence, not a paragraph


@dataclass(frozen=True)
class Highlight:
    """Marks a step points at, and a sentence shown next to them.

    What :func:`ipyreport.presets.highlight` puts on its step: the marks
    ``where`` keeps stay in full colour, the rest dim.

    Parameters
    ----------
    where
        A :class:`Filter` or a mapping such as ``{"Region": "Europe"}``.
    note
        A sentence of at most 280 characters.

    Raises
    ------
    StepError
        If ``note`` is not a sentence of at most 280 characters.

    Examples
    --------
    >>> Highlight({"Region": "Europe"}, note="Europe leads").to_dict()
    {'filter': {'in': {'column': 'Region', 'values': ['Europe']}}, 'note': 'Europe leads'}
    """

    where: Filter | Mapping[str, Any]
    note: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.where, Filter):
            object.__setattr__(self, "where", Filter.from_mapping(self.where))
        if self.note is not None and (not isinstance(self.note, str) or len(self.note) > MAX_NOTE):
            msg = f"a highlight's note is a sentence of at most {MAX_NOTE} characters, got {self.note!r:.60}"
            raise StepError(msg, field="note")

    @classmethod
    def from_mapping(cls, value: Mapping[str, Any]) -> Highlight:
        """A highlight from its spec form, ``{"where": {...}, "note": "..."}``, its keys checked.

        Parameters
        ----------
        value
            The mapping, with ``where`` and optionally ``note``.

        Returns
        -------
        Highlight
            The highlight.

        Raises
        ------
        StepError
            If a key is not ``where`` or ``note``, or ``where`` is missing.

        Examples
        --------
        >>> Highlight.from_mapping({"where": {"Region": "North"}, "note": "The leader"}).note
        'The leader'
        >>> Highlight.from_mapping({"region": "North"})
        Traceback (most recent call last):
        ...
        ipyreport._errors.StepError: a highlight has no field 'region'; it takes where and note
        """
        for key in value:
            if key not in ("where", "note"):
                msg = f"a highlight has no field {key!r}{closest(str(key), ['where', 'note'])}; it takes where and note"
                raise StepError(msg, field="highlight")
        if "where" not in value:
            msg = "a highlight needs where: the marks to point at, such as {'Region': 'Europe'}"
            raise StepError(msg, field="highlight")
        return cls(value["where"], value.get("note"))

    @property
    def filter(self) -> Filter:
        """The marks highlighted, as a filter."""
        assert isinstance(self.where, Filter)
        return self.where

    def to_dict(self) -> dict[str, Any]:
        """The JSON form the players read.

        Returns
        -------
        dict
            ``{"filter": ..., "note": ...}``.

        Examples
        --------
        >>> Highlight.from_mapping({"where": {"Region": "North"}}).to_dict()
        {'filter': {'in': {'column': 'Region', 'values': ['North']}}, 'note': None}
        """
        return {"filter": self.filter.to_dict(), "note": self.note}


@dataclass(frozen=True)
class Step:
    """A chart state to animate to, frozen: :meth:`replace` makes a changed copy.

    Presets make steps; build one yourself for a raw Vizzu config.
    ipyvizzu ``Config``/``Style`` objects are accepted.

    Parameters
    ----------
    config
        A Vizzu config (channels, geometry, coordSystem, align, split, sort,
        title...).
    style
        A Vizzu style.
    filter
        A :class:`Filter` (or a mapping, see :meth:`Filter.from_mapping`);
        ``None`` shows every row, ``KEEP_FILTER`` keeps the current one.
    animation
        Vizzu animation options (``duration``, ``delay``, ``easing`` and
        per-part options such as ``x``, ``y``, ``color``, ``show``, ``hide``).
    data
        A dataset of its own (a timeline's filled table), or the name of one
        of the story's tables.
    hold
        Seconds play mode rests on the step after its transition settles
        (default: the slide's, else the story's).
    highlight
        Marks it points at (what :func:`ipyreport.presets.highlight` sets):
        a :class:`Highlight` or ``{"where": ..., "note": ...}``.
    ends
        Write each value label only at the last point of its series (a
        line's name at its right end, see ``presets.chart(..., ends=True)``).
    kind
        The chart kind a preset made it as, for its repr.
    fits
        For a preset made without its data: checks that the columns it names
        have the roles it wants (``{column: "dimension" | "measure"}``), raising
        :class:`StepError`; the story calls it with its data's roles.

    Raises
    ------
    StepError
        If a part is not plain JSON the engine can take, ``hold`` is not
        seconds from 0 to 3600, or ``filter`` or ``highlight`` cannot be read.

    Examples
    --------
    >>> Step(config={"x": "Region"}, animation={"duration": 1}).to_dict()
    {'config': {'x': 'Region'}, 'filter': None, 'animation': {'duration': 1}}
    """

    config: Mapping[str, Any] = field(default_factory=dict)
    style: Mapping[str, Any] | None = None
    filter: Filter | None = None
    animation: Mapping[str, Any] | None = None
    data: VizzuData | str | None = field(default=None, compare=False, repr=False)
    hold: float | None = None
    highlight: Highlight | None = None
    ends: bool = False
    # The chart kind a preset made it as (``"stacked_column"``), for its repr only.
    kind: str | None = field(default=None, compare=False)
    # A preset made without its data: checks that each column it names has the role it
    # wants (``{column: "dimension" | "measure"}``), raising StepError; the story calls it.
    fits: Callable[[Mapping[str, str]], None] | None = field(
        default=None, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        if not isinstance(self.ends, bool):
            msg = f"a step's ends is true or false (labels only at each series' last point), got {self.ends!r}"
            raise StepError(msg, field="ends")
        if self.highlight is not None and not isinstance(self.highlight, Highlight):
            if not isinstance(self.highlight, Mapping):
                msg = f"Step(highlight=...) takes a Highlight or a mapping such as {{'where': {{'Region': 'Europe'}}, 'note': '...'}}, got {self.highlight!r}"
                raise StepError(msg, field="highlight")
            object.__setattr__(self, "highlight", Highlight.from_mapping(self.highlight))
        problem = hold_problem(self.hold)
        if problem:
            msg = f"a step's hold: {problem}"
            raise StepError(msg, field="hold")
        object.__setattr__(self, "config", _plain_config(self.config))
        if self.style is not None:
            object.__setattr__(self, "style", _plain(self.style, "style"))
        if self.animation is not None:
            object.__setattr__(self, "animation", _plain_animation(self.animation))
        for part in ("config", "style", "animation"):
            problems = json_problems(getattr(self, part) or {}, (part,))
            if problems:
                first = problems[0]
                msg = f"a step's {format_path(first.path)}: {first.message}"
                raise StepError(msg, field=part)
        if self.filter is not None and not isinstance(self.filter, Filter):
            if isinstance(self.filter, Mapping):
                object.__setattr__(self, "filter", Filter.from_mapping(self.filter))
            else:
                msg = f"Step(filter=...) takes a Filter or a mapping such as {{'Region': ['Europe']}}, got {self.filter!r}"
                raise StepError(msg)

    def __repr__(self) -> str:
        kind = self.kind or self.config.get("geometry")
        if kind is None:
            kind = "highlight" if self.highlight is not None and not self.config else "step"
        shown = [
            f"{name}={'+'.join(series)}"
            for name, series in channel_series(self.config).items()
            if series
        ]
        title = self.config.get("title")
        if isinstance(title, str):
            shown.append(f"title={title!r:.40}")
        if self.filter is not None and self.filter is not KEEP_FILTER:
            shown.append("filtered")
        if self.highlight is not None and self.highlight.note is not None:
            shown.append(f"note={self.highlight.note!r:.40}")
        elif self.highlight is not None and kind != "highlight":
            shown.append("highlight")
        if self.hold is not None:
            shown.append(f"hold={self.hold:g}s")
        if isinstance(self.data, str):
            shown.append(f"table={self.data!r}")
        elif self.data is not None:
            shown.append("own data")
        return f"Step({kind}{': ' if shown else ''}{', '.join(shown)})"

    def replace(self, **changes: Any) -> Step:
        """A new step with some fields changed (a step is frozen: it cannot change in place).

        Parameters
        ----------
        **changes
            Any field of :class:`Step` (``config``, ``style``, ``filter``, ``animation``,
            ``data``, ``hold``, ``highlight``, ``ends``) with its new value.

        Returns
        -------
        Step
            The new step, checked as :class:`Step` checks its arguments.

        Raises
        ------
        TypeError
            If a keyword is not a field of :class:`Step`.
        StepError
            If a new value is not one a step takes.

        Examples
        --------
        >>> Step(config={"x": "Region"}).replace(hold=2.0).hold
        2.0
        """
        return replace(self, **changes)

    def using(self, table: str) -> Step:
        """A copy that draws the story's table named ``table``.

        Parameters
        ----------
        table
            A name given in ``Story(tables=...)``.

        Returns
        -------
        Step
            The copy.

        Examples
        --------
        >>> Step(config={"x": "Region", "y": "Units"}).using("orders").data
        'orders'
        """
        return replace(self, data=table)

    def with_animation(self, **options: Any) -> Step:
        """A copy with these animation options added.

        Parameters
        ----------
        **options
            Vizzu animation options (``duration``, ``easing``, ``x``...).

        Returns
        -------
        Step
            The copy.

        Examples
        --------
        >>> Step(config={"x": "Region"}).with_animation(duration=2).animation
        {'duration': 2}
        """
        return replace(self, animation={**(self.animation or {}), **options})

    def to_dict(self) -> dict[str, Any]:
        """The JSON form every output uses (``data`` is referenced by the story).

        Returns
        -------
        dict
            ``config``, and what is set of ``style``, ``filter`` (``null``
            shows every row; a missing one keeps the current filter),
            ``animation``, ``hold``, ``highlight`` and ``ends``;
            ``"complete": true`` marks a step that sets the whole chart
            state, so a player may jump straight to it.

        Examples
        --------
        >>> Step(config={"x": "Region", "y": "Revenue"}, hold=3).to_dict()["hold"]
        3
        """
        result: dict[str, Any] = {"config": dict(self.config)}
        if self.style is not None:
            result["style"] = dict(self.style)
        if self.filter is not KEEP_FILTER:
            result["filter"] = None if self.filter is None else self.filter.to_dict()
        if self.animation is not None:
            result["animation"] = dict(self.animation)
        if self.is_complete():
            result["complete"] = True
        if self.hold is not None:
            result["hold"] = self.hold
        if self.highlight is not None:
            result["highlight"] = self.highlight.to_dict()
        if self.ends:
            result["ends"] = True
        return result

    def highlighting(self, where: Filter | Mapping[str, Any], note: str | None = None) -> Step:
        """Deprecated: point at marks with :func:`ipyreport.presets.highlight` instead.

        Parameters
        ----------
        where
            The marks to point at, as :class:`Highlight` takes them.
        note
            A sentence shown beside them.

        Returns
        -------
        Step
            A copy of this step that points at the marks ``where`` keeps.

        Warns
        -----
        DeprecationWarning
            Always, naming ``presets.highlight(where=..., note=...)``.

        Examples
        --------
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as heard:
        ...     warnings.simplefilter("always")
        ...     step = Step(config={"x": "Region", "y": "Revenue"}).highlighting({"Region": "North"})
        >>> step.highlight.note, heard[0].category.__name__
        (None, 'DeprecationWarning')
        """
        warnings.warn(
            "step.highlighting(where, note) is deprecated: point at marks with "
            "presets.highlight(where=..., note=...), a step of its own after the chart",
            DeprecationWarning,
            stacklevel=2,
        )
        return replace(self, highlight=Highlight(where, note))

    def is_complete(self) -> bool:
        """Whether this step alone fixes the chart (all channels, layout and filter).

        Returns
        -------
        bool
            True when a player may jump straight to it.

        Examples
        --------
        >>> Step(config={"x": "Region"}).is_complete()
        False
        """
        config = self.config
        channels = config.get("channels")
        return (
            self.filter is not KEEP_FILTER
            and isinstance(channels, Mapping)
            and all(
                name in channels
                for name in ("x", "y", "color", "lightness", "size", "noop", "label")
            )
            and all(
                key in config
                for key in (
                    "geometry",
                    "coordSystem",
                    "align",
                    "split",
                    "sort",
                    "reverse",
                    "title",
                    "legend",
                )
            )
        )

    def to_ipyvizzu(self) -> list[Data | Config | Style]:
        """The same step as ipyvizzu objects to pass to ``chart.animate``.

        The filter becomes the equivalent JavaScript expression over records.

        Returns
        -------
        list
            ``[Data.filter, Config, Style]`` (the filter only when the step
            sets one, the style only when it has one).

        Examples
        --------
        >>> [type(part).__name__ for part in Step(config={"x": "Region", "y": "Revenue"}).to_ipyvizzu()]
        ['Data', 'Config']
        """
        from ipyvizzu import Config, Data, Style
        from ipyvizzu.json import RawJavaScript

        objects: list[Data | Config | Style] = []
        if self.filter is None:
            objects.append(Data.filter(None))
        elif self.filter.op == "raw":
            raw = Data()
            raw.update({"filter": RawJavaScript(self.filter.args[0])})
            objects.append(raw)
        elif self.filter is not KEEP_FILTER:
            objects.append(Data.filter(javascript(self.filter)))
        objects.append(Config(dict(self.config)))
        if self.style is not None:
            objects.append(Style(dict(self.style)))
        return objects


def _plain(value: Any, what: str) -> dict[str, Any]:
    """Accept a mapping, or an ipyvizzu object carrying one."""
    if hasattr(value, "build") and type(value).__module__.startswith("ipyvizzu"):
        built = value.build()
        inner = built.get(what, built) if isinstance(built, Mapping) else built
        if type(inner).__name__ == "RawJavaScript":
            msg = (
                f"this ipyvizzu {what} is JavaScript code ({inner.raw!r}); pass the "
                f"{what} as a dict, or use ipyreport.presets for chart presets"
            )
            raise StepError(msg)
        return dict(inner)
    if not isinstance(value, Mapping):
        msg = f"a step's {what} must be a mapping (dict), got {type(value).__name__}"
        raise StepError(msg)
    return dict(value)


def _plain_config(value: Any) -> dict[str, Any]:
    if hasattr(value, "build") and type(value).__module__.startswith("ipyvizzu"):
        inner = value.build().get("config")
        if type(inner).__name__ == "RawJavaScript":
            return config_from_preset_call(inner.raw)
    return _plain(value, "config")


PRESET_CALL = re.compile(r"^\s*lib\.presets\.(\w+)\((.*)\)\s*$", re.DOTALL)


def config_from_preset_call(code: str) -> dict[str, Any]:
    """The plain config of an ipyvizzu preset such as ``Config.stackedArea({...})``.

    ipyvizzu writes these as ``lib.presets.NAME(ARGS)`` with ARGS the Python
    ``repr`` of a dict; it is read back as a literal, never run.

    >>> config_from_preset_call("lib.presets.pie({'angle': 'Revenue', 'by': 'Region'})")["coordSystem"]
    'polar'
    """
    match = PRESET_CALL.match(code)
    if match is None or match.group(1) not in PRESETS:
        known = ", ".join(sorted(PRESETS))
        msg = f"cannot read the ipyvizzu config {code!r}; expected a preset call lib.presets.NAME({{...}}) with NAME one of {known}"
        raise StepError(msg)
    try:
        arguments = ast.literal_eval(match.group(2))
    except (ValueError, SyntaxError) as error:
        msg = f"the arguments of {code!r} are not a plain dict literal: {error}"
        raise StepError(msg) from error
    if not isinstance(arguments, Mapping):
        msg = f"the arguments of {code!r} must be a dict"
        raise StepError(msg)
    return build_config(match.group(1), arguments)


def _plain_animation(value: Any) -> dict[str, Any]:
    if type(value).__module__.startswith("ipyvizzu") and hasattr(value, "build"):
        return dict(value.build())
    return _plain(value, "animation")


def channel_series(config: Mapping[str, Any]) -> dict[str, list[str]]:
    """Series names on each channel of a config (aggregators stripped).

    >>> channel_series({"channels": {"x": {"set": ["Region"]}, "y": "Revenue"}})
    {'x': ['Region'], 'y': ['Revenue']}
    """
    channels: dict[str, Any] = dict(config.get("channels") or {})
    for name in ("x", "y", "color", "lightness", "size", "label", "noop"):
        if name in config:
            channels[name] = config[name]
    result = {}
    for name, channel in channels.items():
        entries = channel.get("set") if isinstance(channel, Mapping) else channel
        if entries is None:
            continue
        if isinstance(entries, (str, Mapping)):
            entries = [entries]
        result[name] = [_series_name(entry) for entry in entries]
    return result


def _series_name(entry: Any) -> str:
    if isinstance(entry, Mapping):
        return str(entry.get("name"))
    text = str(entry)
    for aggregator in AGGREGATORS:
        if text.startswith(f"{aggregator}(") and text.endswith(")"):
            return text[len(aggregator) + 1 : -1]
    return text


def check_step(step: Step, data: VizzuData, *, where: str = "step") -> None:
    """Check a step against the data it draws, as a story does when it is built.

    Parameters
    ----------
    step
        The step.
    data
        The data it draws.
    where
        How error messages name the step (``"slide 2, step 1"``).

    Raises
    ------
    StepError
        If the engine would refuse the step, or it names series or values
        its data lacks.

    Examples
    --------
    >>> from ipyreport import encode
    >>> check_step(Step(config={"x": "Region"}), encode({"Region": ["North"], "Revenue": [1.0]}))
    >>> check_step(Step(config={"x": "Regoin"}), encode({"Region": ["North"], "Revenue": [1.0]}))
    Traceback (most recent call last):
    ...
    ipyreport._errors.StepError: step: channel 'x' uses 'Regoin', which is not in the data (did you mean 'Region'?); series are ['Region', 'Revenue']
    """
    for part in ("config", "style", "animation"):
        value = getattr(step, part)
        problem = engine_problem(part, value) if value else None
        if problem is not None:
            msg = f"{where}: the chart engine cannot take this {part}: {problem}"
            raise StepError(msg, field=part)
    names = data.names
    for channel, series in channel_series(step.config).items():
        for name in series:
            if name and name not in names:
                msg = f"{where}: channel {channel!r} uses {name!r}, which is not in the data{closest(name, names)}; series are {names}"
                raise StepError(msg)
    if step.filter is not None:
        check_filter(step.filter, data, where)
    if step.highlight is not None:
        check_filter(step.highlight.filter, data, f"{where}: highlight")


def data_of(step: Step, default: VizzuData) -> VizzuData:
    """The data a step draws: its own dataset, or ``default`` (the story's main data)."""
    if isinstance(step.data, str):
        msg = f"this step names the table {step.data!r}; only a Story with tables={{{step.data!r}: ...}} can draw it"
        raise StepError(msg)
    return default if step.data is None else step.data
