"""Stories in Streamlit apps.

>>> import ipyreport.streamlit
>>> callable(ipyreport.streamlit.story)
True

In an app (``streamlit run app.py``)::

    import ipyreport.streamlit
    where = ipyreport.streamlit.story(story, key="sales")
    st.write(f"The viewer is on slide {where['slide']}")

The player is the notebook widget's own module in a Streamlit component
frame, its files served by the app's server: it plays offline with the same
keys, buttons and cross-filters. What the viewer does comes back as the
function's value, and ``slide=``/``step=`` move the story when they change.
``layout="scroll"`` shows the self-contained article page instead (one way).
"""

from __future__ import annotations

import functools
import json
import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, cast

from ipyreport import assets, document
from ipyreport._errors import IpyreportError, closest

if TYPE_CHECKING:
    from ipyreport.story import Story

__all__ = ["Position", "story"]

# The layouts a story can be shown in.
LAYOUTS = ("slides", "scroll")

_folder: tempfile.TemporaryDirectory[str] | None = None


class Position(TypedDict):
    """Where the viewer of a story is, as :func:`story` returns it (1-based)."""

    slide: int
    step: int
    selection: dict[str, str]  # the dashboard's cross-filter, {dimension: category}
    playing: bool
    clicked: dict[str, Any] | None  # the last clicked mark: categories, values and chart


def story(
    story: Story,
    *,
    height: int = 540,
    slide: int = 1,
    step: int = 1,
    key: str | None = None,
    layout: str = "slides",
) -> Position:
    """Show ``story`` in the running Streamlit app; return where the viewer is.

    ``slide`` and ``step`` are where the story opens, and move it when the app
    changes them.

    Parameters
    ----------
    story : Story
        The story to show.
    height : int, default 540
        The chart's height in pixels, from 100 to 10,000.
    slide : int, default 1
        The slide to show, 1-based.
    step : int, default 1
        The step on that slide, 1-based.
    key : str, optional
        Tells two stories on one page apart (as Streamlit's ``key`` does).
    layout : {"slides", "scroll"}, default "slides"
        ``"scroll"`` shows the self-contained article page instead, which
        reports nothing back.

    Returns
    -------
    Position
        ``{"slide": n, "step": n, "selection": {...}, "playing": bool,
        "clicked": {...} or None}`` (1-based; ``selection`` is a dashboard's
        cross-filter; ``clicked`` the last clicked mark's ``categories``,
        ``values`` and dashboard ``chart``, as ``StoryPlayer.on_click`` gives
        it).

    Raises
    ------
    IpyreportError
        When Streamlit is not installed, ``story`` is not a Story, or
        ``layout``, ``height``, ``slide`` or ``step`` is out of range.

    Examples
    --------
    >>> from ipyreport import Slide, Story, presets
    >>> sales = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]},
    ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))])
    >>> story(sales, step=2)
    Traceback (most recent call last):
    ...
    ipyreport._errors.IpyreportError: slide 1 has steps 1 to 1, got step 2
    """
    try:
        from streamlit.components.v1 import html
    except ImportError:
        msg = "ipyreport.streamlit needs Streamlit; install it with: pip install 'ipyreport[streamlit]'"
        raise IpyreportError(msg) from None
    from ipyreport.story import Story as Shown

    if not isinstance(story, Shown):
        msg = f"story is an ipyreport Story, got {type(story).__name__} {story!r:.40}"
        raise IpyreportError(msg)
    if layout not in LAYOUTS:
        msg = f"layout is {' or '.join(map(repr, LAYOUTS))}, got {layout!r:.40}{closest(str(layout), LAYOUTS)}"
        raise IpyreportError(msg)
    try:
        document.player_height(height)
    except ValueError as error:
        raise IpyreportError(str(error)) from None
    start: Position = {
        "slide": slide,
        "step": step,
        "selection": {},
        "playing": False,
        "clicked": None,
    }
    if layout == "scroll":
        html(story.to_html(layout=layout), height=height, scrolling=True)
        return start
    text = story.to_json()
    positions = document.Positions(document.load(text))
    try:
        positions.step(positions.slide(slide), step)
    except ValueError as error:
        raise IpyreportError(str(error)) from None
    where = _component()(
        story=text.decode("utf-8"), height=height, slide=slide, step=step, key=key, default=start
    )
    return cast(Position, dict(where)) if where else start


@functools.cache
def _component() -> Any:
    from streamlit.components.v1 import declare_component

    return declare_component("ipyreport_story", path=str(_files()))


@functools.cache
def _files() -> Path:
    """A folder of what the component frame loads: its page, the player's Streamlit
    host (the bundle of hosts/streamlit.js), and the engine the notebook widget sends
    (its wasm as a file of its own), written once per process."""
    from ipyreport.notebook.widget import engine_state

    global _folder  # noqa: PLW0603 - kept for the process, removed when it ends
    _folder = tempfile.TemporaryDirectory(prefix="ipyreport-streamlit-")
    folder = Path(_folder.name)
    package = resources.files("ipyreport")
    (folder / "index.html").write_bytes(package.joinpath("static/streamlit.html").read_bytes())
    (folder / "streamlit.js").write_text(assets.player_bundle("streamlit"), encoding="utf-8")
    engine = engine_state()
    (folder / "cvizzu.wasm").write_bytes(engine.pop("wasm"))
    (folder / "engine.json").write_text(json.dumps(engine), encoding="utf-8")
    return folder
