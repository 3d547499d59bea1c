"""What each step shows, in words, for people who cannot see the chart.

From a step's state and the numbers it draws (both from the story's plan,
see :mod:`ipyreport._plan`), a sentence naming the chart type, its series
and the top values. The player announces it next to the data table.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from ipyreport._plan import ChartState, label, name_and_aggregator
from ipyreport.data import Measure
from ipyreport.formats import Display, resolve
from ipyreport.step import Filter, Highlight

TOP_VALUES = 3


def chart_type(config: Mapping[str, Any], channels: Mapping[str, list[Any]]) -> str:
    """A reader's name for the chart a config draws."""
    geometry = config.get("geometry", "rectangle")
    polar = config.get("coordSystem") == "polar"
    has_axes = bool(channels.get("x") or channels.get("y"))
    stretched = config.get("align") == "stretch"
    if geometry == "line":
        return "line chart"
    if geometry == "area":
        return "percentage area chart" if stretched else "area chart"
    if geometry == "circle":
        return "scatter plot" if has_axes else "bubble chart"
    if not has_axes:
        return "treemap"
    if polar:
        return "pie chart" if not channels.get("y") else "radial chart"
    return "percentage bar chart" if stretched else "bar chart"


def alt_text(
    state: ChartState,
    rows: dict[str, Any] | None,
    display: Display | None = None,
    highlight: Highlight | None = None,
) -> str:
    """One or two sentences: chart type, what it shows, and its top values, in the story's
    formats; then what the step points at and its note."""
    display = display or resolve({}, [], "en")
    title = state.config.get("title")
    measures: list[str] = []
    dims: list[str] = []
    for channel in ("x", "y", "color", "size", "lightness"):
        for entry in state.channels.get(channel, []):
            name, aggregator = name_and_aggregator(entry)
            if name not in state.data.names:
                continue
            if isinstance(state.data[name], Measure):
                measures.append(isolate(label(name, aggregator)))
            else:
                dims.append(isolate(name))
    kind = chart_type(state.config, state.channels)
    what = f"A {kind}"
    if measures:
        what += f" of {', '.join(dict.fromkeys(measures))}"
    if dims:
        what += f" by {', '.join(dict.fromkeys(dims))}"
    sentences = [f"{isolate(display.title(str(title)))}." if title else "", what + "."]
    if rows and rows["rows"] and rows["measures"]:
        dim_count = len(rows["columns"]) - rows["measures"]
        value_at = dim_count
        column = rows["columns"][value_at]

        def shown(row: list[Any]) -> str:
            labels = " ".join(
                isolate(display.label(name, str(value)))
                for name, value in zip(rows["columns"], row[:dim_count], strict=False)
            )
            return f"{labels} {display.number(column, row[value_at])}"

        ranked = sorted(
            (row for row in rows["rows"] if row[value_at] is not None),
            key=lambda row: row[value_at],
            reverse=True,
        )
        if dim_count and ranked:
            top = ", ".join(shown(row) for row in ranked[:TOP_VALUES])
            sentences.append(f"Highest {isolate(rows['columns'][value_at])}: {top}.")
            if len(ranked) > TOP_VALUES:
                low = ranked[-1]
                sentences.append(f"Lowest: {shown(low)}.")
        elif ranked:
            total = display.number(column, ranked[0][value_at])
            sentences.append(f"Total {isolate(rows['columns'][value_at])}: {total}.")
        else:
            sentences.append("No values are shown here.")
    if highlight is not None:
        sentences.append(f"Highlighted: {_pointed_at(highlight.filter, display)}.")
        if highlight.note:
            note = highlight.note.strip()
            sentences.append(isolate(note) + ("" if note.endswith((".", "!", "?")) else "."))
    return " ".join(s for s in sentences if s)


def _pointed_at(where: Filter, display: Display) -> str:
    """A highlight's marks in words: ``Europe, Asia Pacific``; ``Revenue from $1.0M``."""
    if where.op == "in":
        column, values = where.args
        return ", ".join(isolate(display.label(column, value)) for value in values)
    if where.op == "range":
        column, low, high = where.args
        if low is not None and high is not None:
            return f"{isolate(column)} from {display.number(column, low)} to {display.number(column, high)}"
        if low is not None:
            return f"{isolate(column)} from {display.number(column, low)}"
        return f"{isolate(column)} up to {display.number(column, high)}"
    if where.op == "not":
        return f"all but {_pointed_at(where.args[0], display)}"
    joiner = " and " if where.op == "and" else " or "
    return joiner.join(_pointed_at(part, display) for part in where.args)


# Bidirectional classes of right-to-left letters and of the explicit controls.
_NOT_LEFT_TO_RIGHT = {"R", "AL", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI"}


def isolate(text: str) -> str:
    """``text`` from the data, kept from turning the sentence around it.

    Text with right-to-left letters or direction controls (U+202E, say) is
    wrapped in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, the plain-text
    form of HTML's ``<bdi>``; any other text is returned as it is.

    >>> isolate("Europe"), isolate("\u202eevil")
    ('Europe', '\u2068\u202eevil\u2069')
    """
    if any(unicodedata.bidirectional(char) in _NOT_LEFT_TO_RIGHT for char in text):
        return f"\u2068{text}\u2069"
    return text
