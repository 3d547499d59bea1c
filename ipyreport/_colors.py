"""One colour per category for the whole story.

The chart engine colours a mark by its category's position in the data,
so on its own blue is the first region on one slide and the first product
on the next. The story instead gives every dimension that colours marks
its own run of the palette, in the order the slides first colour by them
(regions take the first four colours, products the next four), and every
chart that colours by that dimension uses those colours: a category keeps
its colour across slides, zoom levels, morphs and dashboard charts. The
document carries the result (``colors``); the player turns it into each
step's palette. Authors can set a dimension's colours themselves.

>>> from ipyreport import encode
>>> data = encode({"Region": ["N", "S"], "Product": ["a", "b"], "v": [1, 2]})
>>> assign(["Region", "Product"], [data], {}, ["#111111", "#222222", "#333333"])
{'Region': {'N': '#111111', 'S': '#222222'}, 'Product': {'a': '#333333', 'b': '#111111'}}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ipyreport._errors import StepError, closest
from ipyreport._plan import ChartState, channel_series
from ipyreport.data import Dimension, VizzuData

__all__ = ["DEFAULT_PALETTE", "assign", "color_dimension", "color_dimensions", "palette_of"]

# ipyreport's own palette: twelve hues, each at least 3:1 against the light
# theme's white and the dark theme's near-black (WCAG 2.2 AA for graphics), so
# a mark is as visible in either; the engine's own palette has yellows and
# light greens under 2:1 on white. Its first colour is the engine's blue.
DEFAULT_PALETTE = [
    "#4171CD",
    "#0E8A5F",
    "#D0650E",
    "#9B59B6",
    "#D6404E",
    "#8C7A00",
    "#1B87A8",
    "#C23B8C",
    "#A8622A",
    "#7A6AE0",
    "#5C8A2E",
    "#B8860B",
]

_COLOR = re.compile(r"^(?:#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})|rgba?\([0-9., ]+\))$")


def palette_of(value: Any, where: str) -> list[str]:
    """A palette from a space-separated string or a list of ``#rrggbb`` colours."""
    colors = value.split() if isinstance(value, str) else value
    if not isinstance(colors, (list, tuple)) or not colors:
        msg = (
            f"{where}: a palette is a list of colours such as ['#1b9e77', '#d95f02'], got {value!r}"
        )
        raise StepError(msg, field="colors")
    for color in colors:
        if not isinstance(color, str) or not _COLOR.match(color):
            msg = f"{where}: {color!r} is not a colour; write colours as '#rrggbb'"
            raise StepError(msg, field="colors")
    return list(colors)


def color_dimension(state: ChartState) -> list[str]:
    """The dimensions on a state's colour channel."""
    dims, _ = channel_series(
        ChartState({"color": state.channels.get("color", [])}, {}, None, state.data)
    )
    return dims


def color_dimensions(states: Iterable[ChartState]) -> list[str]:
    """The dimensions marks are coloured by, in the order the story first does."""
    found: list[str] = []
    for state in states:
        dims = color_dimension(state)
        if len(dims) == 1 and dims[0] not in found:
            found.append(dims[0])
    return found


def assign(
    dimensions: Sequence[str],
    datasets: Iterable[VizzuData],
    chosen: Mapping[str, Any],
    palette: Sequence[str] = DEFAULT_PALETTE,
) -> dict[str, dict[str, str]]:
    """Each dimension's category colours: the author's, else the next run of ``palette``.

    ``chosen`` maps a dimension to a palette (string or list, in category
    order) or to ``{category: colour}`` (the rest from the palette).
    """
    categories: dict[str, list[str]] = {}
    for data in datasets:
        for series in data.series:
            if isinstance(series, Dimension):
                categories.setdefault(series.name, []).extend(series.categories)
    for name in chosen:
        if name not in categories:
            msg = f"colors: no dimension named {name!r}{closest(str(name), categories)}; dimensions are {sorted(categories)}"
            raise StepError(msg, field="colors")
    result: dict[str, dict[str, str]] = {}
    turn = 0
    for name in [*dimensions, *(n for n in chosen if n not in dimensions)]:
        labels = list(dict.fromkeys(categories.get(name, [])))
        own = chosen.get(name)
        given: dict[str, str] = {}
        if isinstance(own, Mapping):
            for label, color in own.items():
                if label not in labels:
                    msg = f"colors: {name!r} has no category {label!r}{closest(str(label), labels)}"
                    raise StepError(msg, field="colors")
                given[label] = palette_of([color], f"colors: {name!r}")[0]
        elif own is not None:
            run = palette_of(own, f"colors: {name!r}")
            given = {label: run[i % len(run)] for i, label in enumerate(labels)}
        shown: dict[str, str] = {}
        for label in labels:
            if label in given:
                shown[label] = given[label]
            else:
                shown[label] = palette[turn % len(palette)]
                turn += 1
        result[name] = shown
    return result
