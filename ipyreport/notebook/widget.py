"""The story player as a notebook widget (anywidget), offline.

One hidden :class:`Engine` widget per kernel carries the Vizzu module and
its wasm (about 430 KB, sent once); every :class:`StoryPlayer` refers to it,
and the page loads the engine once for all players. ``slide`` and ``step``
are two-way: set them from Python to move the story, read them to see where
the viewer is. Clicking a mark sends its record back to Python.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import TYPE_CHECKING, Any, TypeVar

import anywidget
import traitlets
from ipywidgets import widget_serialization

from ipyreport import assets, document
from ipyreport._version import __version__

if TYPE_CHECKING:
    import ipywidgets

    from ipyreport.story import Story

__all__ = ["Engine", "StoryPlayer", "click_record", "engine_state"]

_T = TypeVar("_T")


def _static(name: str) -> str:
    return resources.files("ipyreport").joinpath(name).read_text(encoding="utf-8")


def engine_state() -> dict[str, Any]:
    r"""What a page needs to play stories: the Vizzu module and wasm, and the player's bundle.

    Returns
    -------
    dict
        ``version`` (what pages cache the load under), ``vizzu`` (the engine's
        module), ``wasm`` (its WebAssembly, bytes), ``player`` (the player's
        bundle), ``markup`` and ``css`` (the player's page and style).

    Examples
    --------
    >>> state = engine_state()
    >>> sorted(state), state["wasm"][:4]
    (['css', 'markup', 'player', 'version', 'vizzu', 'wasm'], b'\x00asm')
    """
    return {
        "version": f"{assets.VIZZU_VERSION}+{__version__}",  # pages cache the load under it
        "vizzu": assets.vizzu_module().decode("utf-8"),
        "wasm": assets.vizzu_wasm(),
        "player": assets.player_bundle("page"),
        "markup": _static("export/player.html"),
        "css": _static("export/player.css"),
    }


def click_record(message: Any) -> dict[str, Any] | None:
    """The record of a clicked mark, from a player's message.

    Parameters
    ----------
    message : object
        A message a player sent.

    Returns
    -------
    dict or None
        ``{"categories": {...}, "values": {...}, "chart": n}``, or ``None``
        when the message is not a click.

    Examples
    --------
    >>> click_record({"type": "click", "categories": {"Region": "North"}, "values": {"Revenue": 3.0}})
    {'categories': {'Region': 'North'}, 'values': {'Revenue': 3.0}, 'chart': None}
    >>> click_record({"type": "moved"}) is None
    True
    """
    if not isinstance(message, dict) or message.get("type") != "click":
        return None
    return {
        "categories": message.get("categories", {}),
        "values": message.get("values", {}),
        "chart": message.get("chart"),
    }


def _checked(check: Callable[..., _T], *args: Any) -> _T:
    """A position checked by the document's rules, refused as traitlets refuses values."""
    try:
        return check(*args)
    except ValueError as error:
        raise traitlets.TraitError(str(error)) from None


class Engine(anywidget.AnyWidget):
    """The Vizzu engine and the player code, sent to the page once per kernel.

    Use :meth:`shared`; every :class:`StoryPlayer` of the kernel refers to it,
    so a notebook of many stories carries the engine once.

    Parameters
    ----------
    *args
        Passed to ``anywidget.AnyWidget``.
    **kwargs
        The engine's parts, as :func:`engine_state` gives them, and any
        widget keyword.

    Examples
    --------
    >>> Engine.shared() is Engine.shared()
    True
    """

    # The player's module: for this model it only starts loading the engine.
    _esm = assets.player_bundle_file("widget")
    version = traitlets.Unicode().tag(sync=True)
    vizzu = traitlets.Unicode().tag(sync=True)
    wasm = traitlets.Bytes().tag(sync=True)
    player = traitlets.Unicode().tag(sync=True)
    markup = traitlets.Unicode().tag(sync=True)
    css = traitlets.Unicode().tag(sync=True)

    _shared: Engine | None = None

    @classmethod
    def shared(cls) -> Engine:
        """The kernel's one engine widget, made on first use.

        ``%load_ext ipyreport``'s warm-up may be making it; that is waited for,
        so that two threads never make one each.

        Returns
        -------
        Engine
            The same widget every time while its comm is open.

        Examples
        --------
        >>> Engine.shared().version == engine_state()["version"]
        True
        """
        from ipyreport.notebook import _warm

        _warm.wait()
        if cls._shared is None or cls._shared.comm is None:
            # The wasm gzipped: a notebook that saves its widget state keeps it at 40% of its size.
            cls._shared = cls(**{**engine_state(), "wasm": assets.vizzu_packed("cvizzu.wasm")})
        return cls._shared


class StoryPlayer(anywidget.AnyWidget):
    """A story playing in a notebook output, its position two-way.

    A story shown as a cell's output is one. ``slide``, ``step``, ``playing``,
    ``selection`` (a dashboard's cross-filter) and ``height`` are traits:
    set them to move the story, observe them to follow the viewer. A value the
    story does not have is refused with a ``TraitError`` that gives the range.

    Parameters
    ----------
    story : Story or bytes
        The story, or its document's JSON (``Story.to_json()``).
    **kwargs
        Initial traits (``slide``, ``step``, ``height``...) and widget
        keywords.

    Raises
    ------
    ValueError
        When ``story`` is bytes that are not a story document a player can
        play.

    Examples
    --------
    >>> from ipyreport import Slide, Story, presets
    >>> story = Story({"r": ["a", "b"], "v": [1.0, 2.0]}, slides=[Slide(presets.chart(kind="column", x="r", y="v"))])
    >>> StoryPlayer(story).slide
    1
    >>> StoryPlayer(story, height=20)
    Traceback (most recent call last):
    ...
    traitlets.traitlets.TraitError: height is the player's height in pixels, from 100 to 10,000; got 20
    """

    _esm = assets.player_bundle_file("widget")
    engine = traitlets.Instance(Engine).tag(sync=True, **widget_serialization)
    story = traitlets.Unicode().tag(sync=True)
    slide = traitlets.Int(1).tag(sync=True)
    step = traitlets.Int(1).tag(sync=True)
    playing = traitlets.Bool(False).tag(sync=True)
    height = traitlets.Int(540).tag(sync=True)
    # The cross-filter of the dashboard in view, {dimension: category}; {} shows everything.
    selection = traitlets.Dict(value_trait=traitlets.Unicode(), key_trait=traitlets.Unicode()).tag(
        sync=True
    )

    def __init__(self, story: Story | bytes, **kwargs: Any) -> None:
        # The widget plays the story document, as every output does.
        text = story if isinstance(story, bytes) else story.to_json()
        self._document = document.playable(text)
        self._read = text.decode("utf-8")  # checked already: the trait need not read it again
        self._name = repr(story) if not isinstance(story, bytes) else repr(self._document["title"])
        self._positions = document.Positions(self._document)
        self._click_handlers: list[Callable[[dict[str, Any]], None]] = []
        super().__init__(engine=Engine.shared(), story=self._read, **kwargs)
        self.on_msg(self._handle_message)

    @traitlets.validate("story")
    def _valid_story(self, proposal: dict[str, Any]) -> str:
        text: str = proposal["value"]
        if text is not self._read:
            self._document = _checked(document.playable, text)
            self._read = text
        return text

    @traitlets.observe("story")
    def _new_story(self, change: dict[str, Any]) -> None:
        """Another story: its own slides, from its first."""
        self._positions = document.Positions(self._document)
        if change["old"]:
            with self.hold_trait_notifications():
                self.selection = {}
                self.slide = self.step = 1

    @traitlets.validate("slide")
    def _valid_slide(self, proposal: dict[str, Any]) -> int:
        return _checked(self._positions.slide, proposal["value"])

    @traitlets.validate("selection")
    def _valid_selection(self, proposal: dict[str, Any]) -> dict[str, str]:
        return _checked(self._positions.selection, self.slide, proposal["value"])

    @traitlets.validate("height")
    def _valid_height(self, proposal: dict[str, Any]) -> int:
        return _checked(document.player_height, proposal["value"])

    @traitlets.observe("slide")
    def _moved(self, change: dict[str, Any]) -> None:
        """A new slide starts within its steps, and shows no other slide's cross-filter."""
        step, selection = self._positions.arriving(self.slide, self.step, self.selection)
        if selection != self.selection:
            self.selection = selection
        if step != self.step:
            self.step = step

    @traitlets.validate("step")
    def _valid_step(self, proposal: dict[str, Any]) -> int:
        return _checked(self._positions.step, self.slide, proposal["value"])

    def __repr__(self) -> str:
        return f"StoryPlayer({self._name}, slide={self.slide}, step={self.step})"

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
        traitlets.TraitError
            When the story has no such slide or step; the message gives the
            range.

        Examples
        --------
        >>> from ipyreport import Slide, Story, presets
        >>> story = Story({"r": ["a", "b"], "v": [1.0, 2.0]},
        ...               slides=[Slide(presets.chart(kind="column", x="r", y="v"), presets.chart(kind="bar", x="r", y="v"))])
        >>> player = StoryPlayer(story)
        >>> player.go(1, 2); player.slide, player.step
        (1, 2)
        """
        with self.hold_trait_notifications():
            self.slide = slide
            self.step = step

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
        >>> player = StoryPlayer(Story({"r": ["a", "b"], "v": [1.0, 2.0]},
        ...                            slides=[Slide(presets.chart(kind="column", x="r", y="v"))]))
        >>> player.on_click(lambda clicked: print(clicked["categories"]))
        """
        self._click_handlers.append(callback)

    def _handle_message(self, _: Any, content: dict[str, Any], buffers: Any) -> None:
        record = click_record(content)
        if record is not None:
            for handler in self._click_handlers:
                handler(record)

    def __panel__(self) -> Any:
        """What ``pn.panel(player)`` shows in a Panel app: a Panel player linked both
        ways to this one (a move in either is a move in both)."""
        from ipyreport.panel import StoryPlayer as PanelPlayer

        names = ["slide", "step", "playing", "selection"]
        view = PanelPlayer(
            self.story.encode("utf-8"), **{name: getattr(self, name) for name in names}
        )

        def to_view(change: dict[str, Any]) -> None:
            if change["name"] in ("slide", "step"):  # one move, checked against its slide
                if (view.slide, view.step) != (self.slide, self.step):
                    view.go(self.slide, self.step)
            else:
                setattr(view, change["name"], change["new"])

        self.observe(to_view, names=names)

        def from_view(*events: Any) -> None:  # Panel hands over a move's changes together
            with self.hold_trait_notifications():
                for event in events:
                    setattr(self, event.name, event.new)

        view.param.watch(from_view, names)
        return view

    def controls(self) -> ipywidgets.HBox:
        """A slide dropdown and a step slider, linked both ways to this player.

        Returns
        -------
        ipywidgets.HBox
            The two controls side by side; display it next to the player.

        Examples
        --------
        >>> from ipyreport import Slide, Story, presets
        >>> player = StoryPlayer(Story({"r": ["a", "b"], "v": [1.0, 2.0]},
        ...                            slides=[Slide(presets.chart(kind="column", x="r", y="v"), title="Totals")]))
        >>> slides, steps = player.controls().children
        >>> slides.options, steps.max
        ((('Totals', 1),), 1)
        """
        import ipywidgets

        titles = [
            (slide.get("title") or f"Slide {n}", n)
            for n, slide in enumerate(self._document["slides"], start=1)
        ]
        slides = ipywidgets.Dropdown(options=titles, value=self.slide, description="Slide")
        steps = ipywidgets.IntSlider(
            value=self.step, min=1, max=self._positions.lengths[self.slide - 1], description="Step"
        )

        following = False  # True while the controls copy the player's position

        def from_dropdown(change: dict[str, Any]) -> None:
            if not following:
                steps.max = self._positions.lengths[change["new"] - 1]
                self.go(change["new"], 1)

        def from_slider(change: dict[str, Any]) -> None:
            if not following:
                self.go(self.slide, change["new"])

        def from_player(_: Any) -> None:
            nonlocal following
            following = True
            try:
                slides.value = self.slide
                steps.max = self._positions.lengths[self.slide - 1]
                steps.value = self.step
            finally:
                following = False

        slides.observe(from_dropdown, names="value")
        steps.observe(from_slider, names="value")
        self.observe(from_player, names=["slide", "step"])
        return ipywidgets.HBox([slides, steps])
