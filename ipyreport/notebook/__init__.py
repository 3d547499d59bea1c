"""Jupyter integration: the story player widget and the %%ipyreport magics.

A story shown as a cell's output is the live player widget, with a
self-contained HTML player beside it for front ends that show no widgets.
:func:`output` chooses the HTML player alone.
"""

from __future__ import annotations

__all__ = ["OUTPUTS", "output", "shown_as"]

OUTPUTS = ("widget", "html")
_shown_as = "widget"
# Whether a story output of this kernel carried the offline player's engine yet.
_engine_shown = False


def output(kind: str) -> None:
    """How stories show as cell outputs from now on in this kernel.

    Parameters
    ----------
    kind : {"widget", "html"}
        ``"widget"`` (the default) is the live, two-way player, with the
        offline HTML player beside it for front ends without widgets
        (nbconvert, GitHub). ``"html"`` is the offline HTML player alone, for
        a front end that cannot load widget code (Colab without its custom
        widget manager, an editor with no widget support); the story still
        plays, but Python cannot move it.

    Raises
    ------
    ValueError
        When ``kind`` is neither.

    Examples
    --------
    >>> output("html"); shown_as()
    'html'
    >>> output("widget")
    """
    global _shown_as  # noqa: PLW0603 - one setting per kernel, like a display format
    if kind not in OUTPUTS:
        msg = f"output must be one of {', '.join(map(repr, OUTPUTS))}, got {kind!r}"
        raise ValueError(msg)
    _shown_as = kind


def shown_as() -> str:
    """The output kind chosen with :func:`output`.

    Returns
    -------
    str
        ``"widget"`` or ``"html"``.

    Examples
    --------
    >>> shown_as()
    'widget'
    """
    return _shown_as


def _first_fallback() -> bool:
    """Whether this story output is the kernel's first (it carries the shared engine)."""
    global _engine_shown  # noqa: PLW0603 - once per kernel, like the engine widget
    first = not _engine_shown
    _engine_shown = True
    return first
