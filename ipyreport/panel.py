"""Stories in Panel apps: ``pn.panel(story)``, or :class:`StoryPlayer` to use its position.

>>> import ipyreport.panel
>>> ipyreport.panel.StoryPlayer.param.slide.default
1

In an app (``panel serve app.py``)::

    import panel as pn
    player = ipyreport.panel.StoryPlayer(story)
    pn.Column(player, pn.bind(lambda s: f"slide {s}", player.param.slide)).servable()

The player is the notebook widget's own view, with Panel's model as its host
(``hosts/panel.js``), so it plays offline with the same keys, and ``slide``,
``step``, ``playing`` and ``selection`` are two-way parameters: set them to
move the story, watch them to follow the viewer.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ipyreport import assets, document
from ipyreport._errors import IpyreportError

try:
    import param
    from panel.custom import JSComponent
except ImportError:
    msg = "ipyreport.panel needs Panel; install it with: pip install 'ipyreport[panel]'"
    raise IpyreportError(msg) from None

if TYPE_CHECKING:
    from ipyreport.story import Story

__all__ = ["StoryPlayer"]


@functools.cache
def _engine() -> dict[str, Any]:
    """The notebook engine's state with its wasm as base64 (Panel parameters are JSON),
    made once per process for every player."""
    from ipyreport.notebook.widget import engine_state

    engine = engine_state()
    engine["wasm"] = base64.b64encode(engine["wasm"]).decode("ascii")
    return engine


class _DocumentText(param.String[str]):
    """A story document's JSON, refused before it is set unless a player can play it."""

    def _validate_value(self, value: Any, allow_None: bool) -> None:  # noqa: N803 - param's name
        super()._validate_value(value, allow_None)
        if isinstance(value, str) and value:
            document.playable(value)


class _Count(param.Integer[int]):
    """A whole number that is not ``True`` or ``False`` (param takes a bool as 1 or 0)."""

    def _validate_value(self, value: Any, allow_None: bool) -> None:  # noqa: N803 - param's name
        if isinstance(value, bool):
            msg = f"{self.name} is a whole number such as 1, got {value!r}"
            raise ValueError(msg)  # noqa: TRY004 - param reports every refused value so
        super()._validate_value(value, allow_None)


class StoryPlayer(JSComponent):
    """A story playing in a Panel app, its position two-way.

    ``pn.panel(story)`` makes one. ``slide``, ``step``, ``playing`` and
    ``selection`` are parameters: set them to move the story, watch them to
    follow the viewer.

    Parameters
    ----------
    story : Story or bytes
        The story, or its document's JSON (``Story.to_json()``).
    **params
        Panel parameters: ``slide``, ``step``, ``playing``, ``selection``,
        ``player_height`` (pixels), and any layout parameter of a Panel
        component (``sizing_mode`` is ``"stretch_width"`` unless given).

    Examples
    --------
    >>> from ipyreport import Slide, Story, presets
    >>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]},
    ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"),
    ...                             presets.chart(kind="bar", x="Region", y="Revenue"))])
    >>> player = StoryPlayer(story, player_height=400)
    >>> player.slide, player.step, player.param.step.bounds
    (1, 1, (1, 2))
    """

    story = _DocumentText(doc="The story document (JSON).")
    engine = param.Dict(doc="The engine and player code the page loads once.")
    slide = _Count(default=1, bounds=(1, None), doc="The slide in view (1-based).")
    step = _Count(default=1, bounds=(1, None), doc="The step of that slide (1-based).")
    playing = param.Boolean(default=False, doc="Whether the story plays by itself.")
    selection = param.Dict(default={}, doc="The cross-filter of the dashboard in view.")
    player_height = param.Integer(
        default=540,
        bounds=(document.MIN_HEIGHT, document.MAX_HEIGHT),
        doc="The player's height in pixels.",
    )

    _esm = assets.player_bundle_file("panel")

    def __init__(self, story: Story | bytes, **params: Any) -> None:
        text = story if isinstance(story, bytes) else story.to_json()
        self._positions = document.Positions(document.load(text))
        self._click_handlers: list[Callable[[dict[str, Any]], None]] = []
        params.setdefault("sizing_mode", "stretch_width")
        super().__init__(story=text.decode("utf-8"), engine=_engine(), **params)  # type: ignore[no-untyped-call]
        self.param.slide.bounds = (1, len(self._positions.lengths))
        self._follow_slide()
        self.param.watch(self._check_selection, ["selection"])

    @param.depends("slide", watch=True)
    def _follow_slide(self) -> None:
        """A new slide starts within its steps, and shows no other slide's cross-filter."""
        self.param.step.bounds = (1, self._positions.lengths[self.slide - 1])
        step, selection = self._positions.arriving(self.slide, self.step, self.selection)
        if selection != self.selection:
            self.selection = selection
        if step != self.step:
            self.step = step

    def _check_selection(self, event: Any) -> None:
        """A cross-filter the slide does not have is refused, and the one before it kept."""
        try:
            self._positions.selection(self.slide, event.new)
        except ValueError:
            with param.discard_events(self):
                self.selection = event.old
            raise

    @param.depends("story", watch=True)
    def _new_story(self) -> None:
        """Another story: its own slides, from its first."""
        self._positions = document.Positions(document.load(self.story))
        self.param.slide.bounds = (1, len(self._positions.lengths))
        self.param.update(selection={}, slide=1, step=1)

    def on_click(self, callback: Callable[[dict[str, Any]], None]) -> None:
        """Call ``callback`` when a viewer clicks a mark.

        Parameters
        ----------
        callback : callable
            Called with ``{"categories": {...}, "values": {...}, "chart": n}``:
            the clicked mark's categories and values, and the 1-based chart of a
            dashboard slide (``None`` on an ordinary slide).

        Examples
        --------
        >>> from ipyreport import Slide, Story, presets
        >>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]},
        ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))])
        >>> player = StoryPlayer(story)
        >>> player.on_click(lambda clicked: print(clicked["categories"]))
        """
        self._click_handlers.append(callback)

    def _handle_msg(self, data: Any) -> None:
        from ipyreport.notebook.widget import click_record

        record = click_record(data)
        if record is not None:
            for handler in self._click_handlers:
                handler(record)

    def go(self, slide: int, step: int = 1) -> None:
        """Show ``slide``, ``step`` in every view of this player.

        Parameters
        ----------
        slide : int
            The slide, 1-based.
        step : int, default 1
            The step on that slide, 1-based.

        Raises
        ------
        ValueError
            When the story has no such slide or step; the message gives the
            range.

        Examples
        --------
        >>> from ipyreport import Slide, Story, presets
        >>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]},
        ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"),
        ...                             presets.chart(kind="bar", x="Region", y="Revenue"))])
        >>> player = StoryPlayer(story)
        >>> player.go(1, 2); player.step
        2
        >>> player.go(1, 3)
        Traceback (most recent call last):
        ...
        ValueError: slide 1 has steps 1 to 2, got step 3
        """
        self._positions.step(self._positions.slide(slide), step)
        self.param.step.bounds = (1, self._positions.lengths[slide - 1])
        self.param.update(slide=slide, step=step)
