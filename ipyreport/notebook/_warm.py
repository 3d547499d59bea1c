"""What a notebook's first story needs, made ready while the notebook waits for its next cell.

``%load_ext ipyreport`` returns at once and starts one background thread
that imports pyarrow and the story modules (which bring pandas), plans
and writes a small story (filling the per-process caches of the engine's
inlined scripts) and imports the widget. Last, it opens the kernel's
engine widget, so the page loads the engine before the story cell runs.
A story cell that comes sooner waits for the thread rather than importing
beside it. If warming fails, the story cell meets the same error itself,
where it can be read.
"""

from __future__ import annotations

import threading

__all__ = ["start", "wait"]

_thread: threading.Thread | None = None


def start() -> None:
    """Start warming in the background (once per process)."""
    global _thread  # noqa: PLW0603 - one warm-up per process
    if _thread is None:
        _thread = threading.Thread(target=_warm, name="ipyreport-warm", daemon=True)
        _thread.start()


def wait() -> None:
    """Let warming finish before importing beside it (a no-op when there is none)."""
    if _thread is not None and _thread.is_alive() and _thread is not threading.current_thread():
        _thread.join()


def _warm() -> None:
    try:
        from ipyreport import presets
        from ipyreport.notebook import widget
        from ipyreport.story import Slide, Story

        story = Story(
            {"Region": ["a", "b"], "Revenue": [1.0, 2.0]},
            slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))],
        )
        story.to_html()
        # Sent now, the engine loads in the page while the next cell is written.
        widget.Engine.shared()
    except Exception:  # the story cell raises it again, visibly
        pass
