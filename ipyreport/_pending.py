"""Steps a preset makes from what a lazy source holds, read with the story's one pass.

A preset over a :class:`~ipyreport.lazy.LazySource` does not read it while
it is made: a timeline's moments, a bar chart's question whether its colour
is determined by x, the versions a comparison names. It returns a
:class:`Pending` step instead, which says what it will ask the source
(:class:`~ipyreport.lazy.Request` values) and stands in its slide for the
steps it becomes. A story gathers those requests with its own steps' and
reads them all in one pass over the source (see
:meth:`~ipyreport.lazy.LazySource.prefetch`); each pending step then reads
its answers rolled up from that pass and is replaced by the steps it stands
for (:func:`resolve_pending`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from ipyreport._errors import IpyreportError
from ipyreport._plan import chains
from ipyreport._slides import AnySlide, map_steps
from ipyreport.lazy import LazySource, Request
from ipyreport.step import Step

__all__ = ["Pending", "pending_steps", "resolve_pending"]

# What a spec or a caller may change on a step after a preset made it.
_CHANGEABLE = ("style", "filter", "hold", "highlight", "ends")


@dataclass(frozen=True)
class Pending(Step):
    """A step standing for the steps a preset makes once ``source`` is read.

    ``requests`` are the tables it will ask ``source`` for; ``read`` makes the
    steps from them. The config, style and filter it holds are those the steps
    will have as far as is known without the data (what a story plans its
    one pass from); whatever is changed on it afterwards (a spec's
    ``animation``, ``style``, ``hold`` or ``highlight``) is changed on every
    step it stands for.
    """

    source: LazySource | None = field(default=None, compare=False, repr=False)
    requests: tuple[Request, ...] = field(default=(), compare=False, repr=False)
    read: Callable[[], Sequence[Step]] | None = field(default=None, compare=False, repr=False)
    made: Step | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(
        cls,
        step: Step,
        source: LazySource,
        requests: Sequence[Request],
        read: Callable[[], Sequence[Step]],
    ) -> Pending:
        """``step`` (what is known before reading) pending ``read`` over ``source``."""
        known = {item.name: getattr(step, item.name) for item in fields(Step)}
        return cls(**known, source=source, requests=tuple(requests), read=read, made=step)

    def resolve(self) -> list[Step]:
        """The steps this one stands for, reading ``source`` (rolled up from a pass already
        made when the story read it)."""
        assert self.read is not None
        assert self.made is not None
        return [_with_changes(step, self.made, self) for step in self.read()]


def _with_changes(step: Step, made: Step, now: Step) -> Step:
    """``step`` with what was changed on the pending step since the preset made it."""
    changes: dict[str, Any] = {
        name: getattr(now, name)
        for name in _CHANGEABLE
        if getattr(now, name) != getattr(made, name)
    }
    before, after = made.animation or {}, now.animation or {}
    added = {key: value for key, value in after.items() if before.get(key) != value}
    if added:
        changes["animation"] = {**(step.animation or {}), **added}
    config = {key: value for key, value in now.config.items() if made.config.get(key) != value}
    if config:
        changes["config"] = {**step.config, **config}
    return replace(step, **changes) if changes else step


def pending_steps(slides: Sequence[AnySlide]) -> list[Pending]:
    """Every pending step of ``slides``, in the order they play."""
    return [
        played.item
        for chain in chains(slides)
        for played in chain
        if isinstance(played.item, Pending)
    ]


def resolve_pending(
    slides: Sequence[AnySlide], source: LazySource | None = None, also: Sequence[Request] = ()
) -> list[AnySlide]:
    """``slides`` with every pending step replaced by the steps it stands for.

    Each source's requests are read in one pass; ``source``'s (the story's)
    in the same pass as ``also``, the tables the story's own steps will ask
    for. An error a pending step raises is located at its slide and step.
    """
    waiting = [(played, played.item) for chain in chains(slides) for played in chain]
    pending = [(played, item) for played, item in waiting if isinstance(item, Pending)]
    if not pending:
        return list(slides)
    sources: dict[int, tuple[LazySource, list[Request]]] = {}
    for _, item in pending:
        assert item.source is not None
        _, requests = sources.setdefault(id(item.source), (item.source, []))
        requests.extend(item.requests)
    if source is not None and id(source) in sources:
        sources[id(source)][1].extend(also)
    for reader, requests in sources.values():
        why = "the story's steps" if reader is source else "the steps made from it"
        reader.prefetch(requests, why)
    made: dict[int, list[Step]] = {}
    for played, item in pending:
        try:
            made[id(item)] = item.resolve()
        except IpyreportError as error:
            raise error.located(played.slide, played.step, played.chart) from None
    return [map_steps(slide, lambda step: made.get(id(step), step)) for slide in slides]
