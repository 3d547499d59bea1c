"""Stories in Streamlit apps.

>>> import ipyreport.streamlit
>>> callable(ipyreport.streamlit.story)
True

In an app (``streamlit run app.py``)::

    import ipyreport.streamlit
    ipyreport.streamlit.story(story, height=560)

The player is the exported page (:meth:`Story.to_html`) in a frame of its
own: it plays offline and keeps its keys, buttons and cross-filters, and
nothing in it can reach the app around it. What the viewer does in it does
not travel back to Python; for that, serve the story with Panel
(``pn.panel(story)``), whose player is two-way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipyreport._errors import IpyreportError

if TYPE_CHECKING:
    from ipyreport.story import Story

__all__ = ["story"]

# Less than this shows no chart at all (the notebook widget's limit too).
MIN_HEIGHT = 100


def story(story: Story, *, height: int = 560, layout: str = "slides") -> None:
    """Show ``story`` in the running Streamlit app, ``height`` pixels tall.

    ``layout="scroll"`` shows the article the reader scrolls instead of slides.
    """
    try:
        from streamlit.components.v1 import html
    except ImportError:
        msg = "ipyreport.streamlit needs Streamlit; install it with: pip install 'ipyreport[streamlit]'"
        raise IpyreportError(msg) from None
    if isinstance(height, bool) or not isinstance(height, int) or height < MIN_HEIGHT:
        msg = f"height is the player's height in pixels, at least {MIN_HEIGHT}; got {height!r}"
        raise IpyreportError(msg)
    html(story.to_html(layout=layout), height=height, scrolling=layout == "scroll")
