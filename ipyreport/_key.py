"""The colour key above the plot, laid out as the player lays it out.

A chart coloured by one of the story's dimensions names its colours in a key
at the top of its plot: each entry a round swatch and its label, in rows that
wrap at the plot's width (``layKey`` in ``static/steps.js``). Its sizes live
here once; ``python -m ipyreport._twins`` writes them into the player, and
:func:`lay_key` is the twin of ``layKey``, so ``ipyreport check`` can tell how
many rows a key takes on a phone before anyone opens one.

>>> rows_of(["Americas", "Europe", "Asia Pacific", "Africa"], PHONE_PLOT_PX, NARROW_SIZE)
1
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

__all__ = ["KEY", "KEY_TOP", "NARROW_SIZE", "PHONE_CHART_PX", "PHONE_PLOT_PX", "lay_key", "rows_of"]

# The key's type size in pixels, and its line height, swatch and gaps in sizes.
KEY = {"size": 13, "line": 1.7, "swatch": 0.8, "gap": 0.45, "spacing": 1.3}
# The key sits this far into the plot's box from its top and left.
KEY_TOP = 4
# A narrow chart's type size (look.js's SMALLEST), which its key takes.
NARROW_SIZE = 12
# A phone's chart (a 390 x 844 screen), as the player sizes it: width and height in pixels.
PHONE_CHART_PX = (358, 770)
# The width a phone's key wraps at (tracks.js keeps the key inside the chart's padding).
PHONE_PLOT_PX = PHONE_CHART_PX[0] - 2 * KEY_TOP

# A label's advance per character in sizes, as Chromium's canvas measures the key's
# type ("Roboto, sans-serif", which falls back to the system's sans-serif).
_ADVANCE = {"lower": 0.49, "upper": 0.68, "digit": 0.556, "space": 0.278, "other": 0.5}


def text_width(text: str, size: float) -> float:
    """About how wide ``text`` is drawn in the key's type at ``size`` pixels, a little
    wider than the canvas draws it (62 px for this one), so a key is never laid out short.

    >>> round(text_width("Asia Pacific", 12))
    73
    """
    total = 0.0
    for char in text:
        if char.islower():
            total += _ADVANCE["lower"]
        elif char.isupper():
            total += _ADVANCE["upper"]
        elif char.isdigit():
            total += _ADVANCE["digit"]
        elif char.isspace():
            total += _ADVANCE["space"]
        else:
            total += _ADVANCE["other"]
    return total * size


def lay_key(
    labels: Sequence[str], width: float, size: float, measure: Callable[[str], float] | None = None
) -> tuple[list[tuple[float, int]], float]:
    """Where each label's entry goes in rows ``width`` wide (its x and row), and the key's height.

    The twin of ``layKey`` in ``static/steps.js``.

    >>> lay_key(["North", "South"], 40, 10, measure=len)
    ([(0.0, 0), (0.0, 1)], 34.0)
    """
    measured = measure or (lambda text: text_width(text, size))
    swatch = size * KEY["swatch"]
    x, row = 0.0, 0
    placed = []
    for label in labels:
        span = swatch + size * KEY["gap"] + measured(label)
        if x > 0 and x + span > width:
            x, row = 0.0, row + 1
        placed.append((x, row))
        x += span + size * KEY["spacing"]
    return placed, (row + 1) * size * KEY["line"]


def rows_of(labels: Sequence[str], width: float, size: float) -> int:
    """How many rows a key of ``labels`` wraps into at ``width`` pixels."""
    placed, _ = lay_key(labels, width, size)
    return placed[-1][1] + 1 if placed else 0
