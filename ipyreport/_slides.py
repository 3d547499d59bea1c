"""Slides: the steps one chart plays, or a dashboard of charts that step together.

A story's ordinary slides all play on one chart, which morphs from slide
to slide. A :class:`Dashboard` brings its own two to four charts; each
plays its own steps, in lockstep with the others. What every chart plays,
step by step, is worked out once, by the story's plan (:mod:`ipyreport._plan`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ipyreport.step import Step, StepError, hold_problem

__all__ = ["AnySlide", "Dashboard", "Slide", "map_steps"]

MIN_CHARTS = 2
MAX_CHARTS = 4


def _steps(items: Iterable[Any], what: str) -> tuple[Step, ...]:
    flat: list[Step] = []
    for item in items:
        if isinstance(item, Step):
            flat.append(item)
        elif isinstance(item, Iterable) and not isinstance(item, (str, Mapping)):
            flat.extend(_as_step(part) for part in item)
        else:
            flat.append(_as_step(item))
    if not flat:
        msg = f"{what} has no steps; give it at least one (for example presets.chart(...))"
        raise StepError(msg)
    return tuple(flat)


class _Frozen:
    """Attributes set while ``__init__`` runs, read-only after: ``replace`` makes a changed copy."""

    _frozen = False

    def __setattr__(self, name: str, value: Any) -> None:
        if self._frozen:
            kind = type(self).__name__
            msg = f"a {kind} cannot be changed in place; make a new one with {kind.lower()}.replace({name}=...)"
            raise AttributeError(msg)
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        kind = type(self).__name__
        msg = f"a {kind} cannot be changed in place; make a new one with {kind.lower()}.replace({name}=...)"
        raise AttributeError(msg)

    def _given(self) -> dict[str, Any]:
        raise NotImplementedError

    def replace(self, **changes: Any) -> Any:
        given = self._given()
        unknown = [name for name in changes if name not in given]
        if unknown:
            kind = type(self).__name__
            msg = f"{kind}.replace() got an unknown keyword {unknown[0]!r}; {kind} takes {', '.join(given)}"
            raise TypeError(msg)
        given.update(changes)
        parts = given.pop("steps" if "steps" in given else "charts")
        return type(self)(*parts, **given)


def _as_step(item: Any) -> Step:
    if isinstance(item, Step):
        return item
    msg = f"a slide holds Step values (from ipyreport.presets or Step(...)), got {type(item).__name__}"
    raise StepError(msg)


class Slide(_Frozen):
    """One slide: steps that play in turn on one chart, with a headline, a dek and speaker notes.

    A slide is frozen: :meth:`replace` makes a changed copy.

    Parameters
    ----------
    *steps
        Steps one by one, or lists of them (what presets return).
    title
        The slide's headline, best the finding it shows (``{expressions}``
        are computed from its data).
    dek
        A sentence under the headline, in lighter type (``{expressions}``
        are computed as in the title).
    source
        The line under the chart naming where the data comes from ("Source:
        ..."), in place of the story's.
    notes
        Speaker notes, or ``"auto"`` for the slide's captions.
    alt
        A text alternative for every step, in place of the one written
        from the data.
    hold
        Seconds play mode rests on each of its steps after it settles.

    Raises
    ------
    StepError
        If there are no steps, an item is not a step, or ``hold`` is not
        seconds from 0 to 3600.

    Examples
    --------
    >>> from ipyreport import presets
    >>> Slide(presets.morph(None, ["column", "pie"], x="Region", y="Revenue"), title="Regions")
    Slide('Regions': 2 steps)
    """

    def __init__(
        self,
        *steps: Step | Iterable[Step],
        title: str | None = None,
        dek: str | None = None,
        source: str | None = None,
        notes: str | None = None,
        alt: str | None = None,
        hold: float | None = None,
    ) -> None:
        self.steps: tuple[Step, ...] = _steps(steps, f"slide {title!r}")
        self.title = title
        self.dek = dek
        self.source = source
        self.notes = notes
        self.alt = alt
        self.hold = _hold(hold, title)
        self._frozen = True

    def _given(self) -> dict[str, Any]:
        return {
            "steps": self.steps,
            "title": self.title,
            "dek": self.dek,
            "source": self.source,
            "notes": self.notes,
            "alt": self.alt,
            "hold": self.hold,
        }

    def replace(self, **changes: Any) -> Slide:
        """A new slide with some of its arguments changed (a slide cannot change in place).

        Parameters
        ----------
        **changes
            ``steps`` (a sequence of steps), ``title``, ``dek``, ``source``, ``notes``,
            ``alt`` or ``hold``.

        Returns
        -------
        Slide
            The new slide; this one is left as it was.

        Raises
        ------
        TypeError
            If a keyword is not one of those.
        StepError
            If the new arguments do not make a slide.

        Examples
        --------
        >>> from ipyreport import presets
        >>> slide = Slide(presets.chart(kind="column", x="Region", y="Revenue"), title="Old")
        >>> slide.replace(title="New").title, slide.title
        ('New', 'Old')
        """
        result: Slide = super().replace(**changes)
        return result

    @property
    def length(self) -> int:
        """How many times the viewer presses Next to get through the slide."""
        return len(self.steps)

    def __repr__(self) -> str:
        title = "untitled" if self.title is None else repr(self.title)
        return f"Slide({title}: {_counted(len(self.steps), 'step')})"


class Dashboard(_Frozen):
    """A slide of two to four charts over the same data that step and filter together.

    Step *k* of the slide plays step *k* of every chart at once; a chart
    with fewer steps holds its last one. Clicking a mark filters the other
    charts to that mark's categories (a second click on it, Escape or the
    Clear button removes the filter; a keyboard user picks a category from
    a list instead). A dashboard is frozen: :meth:`replace` makes a changed
    copy.

    Parameters
    ----------
    *charts
        Two to four charts, each a step or a list of steps.
    title
        The slide's headline.
    dek
        A sentence under the headline, in lighter type.
    source
        The line under the charts naming where the data comes from, in
        place of the story's.
    notes
        Speaker notes.
    alt
        A text alternative for the whole dashboard.
    columns
        The grid's columns, 1 to 4 (default 2: two charts side by side,
        three with the first across the top, four in 2 x 2); when the charts
        do not fill the last row, the first spans the spare cells.
    cross_filter
        ``True`` for every dimension the charts show, a list of dimension
        names, or ``False``.
    hold
        Seconds play mode rests on each of its steps after it settles.

    Raises
    ------
    StepError
        If there are not two to four charts, a chart has no steps,
        ``columns`` is not 1 to 4, or ``cross_filter`` is not one of those.

    Examples
    --------

    >>> from ipyreport import presets
    >>> board = Dashboard(
    ...     presets.chart(kind="line", x="Month", y="Revenue"),
    ...     presets.chart(kind="bar", x="Region", y="Revenue"),
    ...     title="Overview",
    ... )
    >>> board.length, board.columns
    (1, 2)
    """

    def __init__(
        self,
        *charts: Step | Iterable[Step],
        title: str | None = None,
        dek: str | None = None,
        source: str | None = None,
        notes: str | None = None,
        alt: str | None = None,
        columns: int | None = None,
        cross_filter: bool | Sequence[str] = True,
        hold: float | None = None,
    ) -> None:
        self.hold = _hold(hold, title)
        if not MIN_CHARTS <= len(charts) <= MAX_CHARTS:
            msg = (
                f"dashboard {title!r} has {len(charts)} chart(s); it holds {MIN_CHARTS} to "
                f"{MAX_CHARTS} (use Slide for one chart, or two dashboards for more)"
            )
            raise StepError(msg)
        self.charts: tuple[tuple[Step, ...], ...] = tuple(
            _steps([chart], f"chart {number} of dashboard {title!r}")
            for number, chart in enumerate(charts, start=1)
        )
        if columns is None:
            columns = 2
        if not isinstance(columns, int) or isinstance(columns, bool) or not 1 <= columns <= 4:
            msg = f"dashboard {title!r}: columns must be 1 to 4, got {columns!r}"
            raise StepError(msg)
        if isinstance(cross_filter, str) or not (
            isinstance(cross_filter, bool) or all(isinstance(name, str) for name in cross_filter)
        ):
            msg = (
                f"dashboard {title!r}: cross_filter is True, False or a list of dimension names, "
                f"got {cross_filter!r}"
            )
            raise StepError(msg)
        self.title = title
        self.dek = dek
        self.source = source
        self.notes = notes
        self.alt = alt
        self.columns = columns
        self.cross_filter: bool | tuple[str, ...] = (
            cross_filter if isinstance(cross_filter, bool) else tuple(cross_filter)
        )
        self._frozen = True

    def _given(self) -> dict[str, Any]:
        return {
            "charts": self.charts,
            "title": self.title,
            "dek": self.dek,
            "source": self.source,
            "notes": self.notes,
            "alt": self.alt,
            "columns": self.columns,
            "cross_filter": self.cross_filter,
            "hold": self.hold,
        }

    def replace(self, **changes: Any) -> Dashboard:
        """A new dashboard with some of its arguments changed (it cannot change in place).

        Parameters
        ----------
        **changes
            ``charts`` (a sequence of charts, each a step or steps), ``title``, ``dek``,
            ``source``, ``notes``, ``alt``, ``columns``, ``cross_filter`` or ``hold``.

        Returns
        -------
        Dashboard
            The new dashboard; this one is left as it was.

        Raises
        ------
        TypeError
            If a keyword is not one of those.
        StepError
            If the new arguments do not make a dashboard.

        Examples
        --------
        >>> from ipyreport import presets
        >>> board = Dashboard(presets.chart(kind="line", x="Month", y="Revenue"),
        ...                   presets.chart(kind="bar", x="Region", y="Revenue"))
        >>> board.replace(columns=1).columns, board.columns
        (1, 2)
        """
        result: Dashboard = super().replace(**changes)
        return result

    @property
    def length(self) -> int:
        """How many times the viewer presses Next to get through the slide."""
        return max(len(chart) for chart in self.charts)

    def __repr__(self) -> str:
        title = "untitled" if self.title is None else repr(self.title)
        return f"Dashboard({title}: {len(self.charts)} charts, {_counted(self.length, 'step')})"


AnySlide = Slide | Dashboard


def map_steps(slide: AnySlide, change: Callable[[Step], Step | Sequence[Step]]) -> AnySlide:
    """The same slide with every step passed through ``change`` (which may give several)."""
    if isinstance(slide, Dashboard):
        return Dashboard(
            *(_steps([change(step) for step in chart], "a chart") for chart in slide.charts),
            title=slide.title,
            dek=slide.dek,
            source=slide.source,
            notes=slide.notes,
            alt=slide.alt,
            columns=slide.columns,
            cross_filter=slide.cross_filter,
            hold=slide.hold,
        )
    return Slide(
        *(change(step) for step in slide.steps),
        title=slide.title,
        dek=slide.dek,
        source=slide.source,
        notes=slide.notes,
        alt=slide.alt,
        hold=slide.hold,
    )


def _counted(count: int, thing: str) -> str:
    return f"{count:,} {thing}{'' if count == 1 else 's'}"


def _hold(hold: float | None, title: str | None) -> float | None:
    problem = hold_problem(hold)
    if problem:
        msg = f"slide {title!r}: hold: {problem}"
        raise StepError(msg, field="hold")
    return hold
