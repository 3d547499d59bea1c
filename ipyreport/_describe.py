"""What each step shows, in words, for people who cannot see the chart.

From a step's state and the numbers it draws (both from the story's plan,
see :mod:`ipyreport._plan`), a caption at three levels: what the chart is
(its type and series), its key numbers (the highest and lowest marks, the
total) and what changed since the chart's previous step (the largest
movers, a category that overtook another). Deterministic, in the story's
formats, with the sentences in one table per language (``words/en.json``).
The player announces it next to the data table; templates quote it as
``{caption}``.
"""

from __future__ import annotations

import bisect
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ipyreport._bidi import NOT_LEFT_TO_RIGHT
from ipyreport._plan import ChartState, label, name_and_aggregator
from ipyreport.data import Measure
from ipyreport.formats import Display, measure_of, resolve
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


@functools.cache
def words(lang: str) -> Mapping[str, Any]:
    """The caption words of a BCP 47 language (``words/<language>.json``; English when none).

    Another language is one file: the same keys, its own sentences.
    """
    code = lang.split("-", maxsplit=1)[0].lower()
    folder = resources.files("ipyreport") / "words"
    chosen = folder / f"{code}.json"
    if not chosen.is_file():
        chosen = folder / "en.json"
    table: Mapping[str, Any] = json.loads(chosen.read_text(encoding="utf-8"))
    return table


@dataclass(frozen=True)
class Caption:
    """A step in words, at three levels: what the chart is, its key numbers, what changed."""

    what: str
    stats: str
    change: str

    def text(self) -> str:
        return " ".join(part for part in (self.what, self.stats, self.change) if part)

    def parts(self) -> dict[str | None, str]:
        """The parts as ``{caption}`` and ``{caption.what}``... name them."""
        return {None: self.text(), "what": self.what, "stats": self.stats, "change": self.change}


def caption(
    state: ChartState,
    rows: dict[str, Any] | None,
    display: Display,
    lang: str = "en",
    previous: tuple[ChartState, dict[str, Any] | None] | None = None,
) -> Caption:
    """The step's caption, deterministic, from the numbers it draws (see :class:`Caption`).

    ``previous`` is the same chart's state and numbers one step before, if any.
    """
    said = words(lang)
    return Caption(
        _what(state, said, display),
        _stats(state, rows, display, said),
        _change(state, rows, previous, display, said) if previous else "",
    )


def _what(state: ChartState, said: Mapping[str, Any], display: Display) -> str:
    measures: list[str] = []
    dims: list[str] = []
    for channel in ("x", "y", "noop", "color", "size", "lightness"):
        for entry in state.channels.get(channel, []):
            name, aggregator = name_and_aggregator(entry)
            if name not in state.data.names:
                continue
            if isinstance(state.data[name], Measure):
                measures.append(isolate(display.name(label(name, aggregator), within=True)))
            else:
                dims.append(isolate(display.name(name, within=True)))
    kind = said["kinds"].get(chart_type(state.config, state.channels))
    if not measures and not dims:
        return ""
    joined = str(said["and"])
    if dims:
        return (
            str(said["what"])
            .format(
                kind=kind,
                measures=joined.join(dict.fromkeys(measures)) or "?",
                dimensions=joined.join(dict.fromkeys(dims)),
            )
            .replace(" of ? ", " ")
        )
    return str(said["what_plain"]).format(kind=kind, measures=joined.join(dict.fromkeys(measures)))


def _named_marks(
    state: ChartState, rows: dict[str, Any], display: Display
) -> tuple[str, str, list[tuple[str, Any]]] | None:
    """The chart's first measure per thing a reader sees, in the chart's order: the
    dimension naming them (``""``: marks named by several), the measure, (name, value) pairs.

    A sum is added up per stack when one dimension names the stacks and the others
    stack along the measure's own channel (a stacked column per Region, a pie's slices);
    otherwise each mark is its own thing, named by the one dimension telling the marks
    apart when there is one (a bar per Country coloured by Region), else by all of them.
    """
    dim_count = len(rows["columns"]) - rows["measures"]
    if not dim_count or not rows["measures"]:
        return None
    names = rows["columns"][:dim_count]
    column = rows["columns"][dim_count]
    _, aggregator = measure_of(column)
    stacked = _stacked_along(state, column)
    by = [at for at, name in enumerate(names) if name not in stacked] or [0]
    if aggregator == "sum" and len(by) == 1:
        at = by[0]
        totals: dict[str, Any] = {}
        for row in rows["rows"]:
            value, key = row[dim_count], str(row[at])
            if value is not None:
                totals[key] = (totals.get(key) or 0) + value
            else:
                totals.setdefault(key, None)
        return names[at], column, list(totals.items())
    for at in by:
        own = [str(row[at]) for row in rows["rows"]]
        if len(set(own)) == len(own):
            values = [row[dim_count] for row in rows["rows"]]
            return names[at], column, list(zip(own, values, strict=True))
    return (
        "",
        column,
        [
            (
                " ".join(
                    isolate(display.label(name, str(value)))
                    for name, value in zip(names, row[:dim_count], strict=True)
                ),
                row[dim_count],
            )
            for row in rows["rows"]
        ],
    )


def _stacked_along(state: ChartState, column: str) -> set[str]:
    """The dimensions on the channels that draw the measure ``column`` (stacked along it)."""
    stacked: set[str] = set()
    for entries in state.channels.values():
        named = [name_and_aggregator(entry) for entry in entries]
        if any(label(name, aggregator) == column for name, aggregator in named):
            stacked.update(name for name, _ in named)
    return stacked


def _placed_by_measures(state: ChartState) -> bool:
    """Whether both axes carry a measure (a scatter): marks are places, not parts of a total."""

    def measured(channel: str) -> bool:
        names = [name_and_aggregator(entry)[0] for entry in state.channels.get(channel, [])]
        return any(
            name in state.data.names and isinstance(state.data[name], Measure) for name in names
        )

    return measured("x") and measured("y")


def _entry(dimension: str, text: str, display: Display) -> str:
    if dimension:
        return isolate(display.label(dimension, text))
    return text


def _stats(
    state: ChartState, rows: dict[str, Any] | None, display: Display, said: Mapping[str, Any]
) -> str:
    if not rows or not rows["rows"] or not rows["measures"]:
        return ""
    dim_count = len(rows["columns"]) - rows["measures"]
    column = rows["columns"][dim_count]
    values = [row[dim_count] for row in rows["rows"] if row[dim_count] is not None]
    if not values:
        return str(said["none"])
    if not dim_count:
        return str(said["total"]).format(
            measure=isolate(display.name(column, within=True)),
            value=display.number(column, values[0], said=True),
        )
    grouped = _named_marks(state, rows, display)
    assert grouped is not None
    dimension, _, pairs = grouped
    ranked = sorted(
        (pair for pair in pairs if pair[1] is not None), key=lambda pair: pair[1], reverse=True
    )

    def entry(pair: tuple[str, Any]) -> str:
        return str(said["entry"]).format(
            label=_entry(dimension, pair[0], display),
            value=display.number(column, pair[1], said=True),
        )

    sentences = [
        str(said["highest"]).format(
            measure=isolate(display.name(column, within=True)),
            values=str(said["and"]).join(entry(p) for p in ranked[:TOP_VALUES]),
        )
    ]
    if len(ranked) > TOP_VALUES:
        sentences.append(str(said["lowest"]).format(value=entry(ranked[-1])))
    _, aggregator = measure_of(column)
    if (
        aggregator == "sum"
        and len(ranked) > 1
        and rows["total"] <= len(rows["rows"])
        and not _placed_by_measures(state)
    ):
        total = display.number(column, sum(values), said=True)
        sentences.append(str(said["together"]).format(value=total))
    return " ".join(sentences)


def _signed(display: Display, column: str, value: float) -> str:
    text = display.number(column, abs(value), said=True)
    return ("+" if value > 0 else "\u2212" if value < 0 else "") + text


def _change(
    state: ChartState,
    rows: dict[str, Any] | None,
    previous: tuple[ChartState, dict[str, Any] | None],
    display: Display,
    said: Mapping[str, Any],
) -> str:
    before_state, before = previous
    if not rows or not before or not rows["measures"] or not before["measures"]:
        return ""
    kind_now = chart_type(state.config, state.channels)
    kind_was = chart_type(before_state.config, before_state.channels)
    if (rows["columns"], rows["rows"]) == (before["columns"], before["rows"]):
        return str(said["same"]) if kind_now != kind_was else ""
    now, was = _named_marks(state, rows, display), _named_marks(before_state, before, display)
    if now is None or was is None:
        return ""
    (dimension, column, pairs), (old_dimension, old_column, old_pairs) = now, was
    if column != old_column:
        return str(said["remeasured"]).format(
            now=isolate(display.name(column, within=True)),
            was=isolate(display.name(old_column, within=True)),
        )
    if dimension != old_dimension:
        if not dimension or not old_dimension:
            return ""
        return str(said["regrouped"]).format(
            now=isolate(display.name(dimension, within=True)),
            was=isolate(display.name(old_dimension, within=True)),
        )
    old = {name: value for name, value in old_pairs if value is not None}
    shared = [
        (name, value, old[name]) for name, value in pairs if value is not None and name in old
    ]
    if not shared:
        return ""
    # Differences within rounding of the sums are no change.
    moves = [
        (
            name,
            0 if abs(value - earlier) <= 1e-9 * max(abs(value), abs(earlier)) else value - earlier,
        )
        for name, value, earlier in shared
    ]
    if all(move == 0 for _, move in moves) and len(shared) == len(pairs) == len(old_pairs):
        return str(said["same"]) if kind_now != kind_was else ""
    movers = []
    up = max(moves, key=lambda move: move[1])
    down = min(moves, key=lambda move: move[1])
    if up[1] > 0:
        movers.append(
            str(said["rose"]).format(
                label=_entry(dimension, up[0], display), change=_signed(display, column, up[1])
            )
        )
    if down[1] < 0:
        movers.append(
            str(said["fell"]).format(
                label=_entry(dimension, down[0], display), change=_signed(display, column, down[1])
            )
        )
    sentences = (
        [str(said["since"]).format(movers=str(said["movers_and"]).join(movers))] if movers else []
    )
    ahead_now = sorted(shared, key=lambda item: item[1], reverse=True)
    rank_before = {
        name: rank
        for rank, (name, _, _) in enumerate(sorted(shared, key=lambda item: item[2], reverse=True))
    }
    for position, (name, _, _) in enumerate(ahead_now):
        passed = [
            other
            for other, _, _ in ahead_now[position + 1 :]
            if rank_before[other] < rank_before[name]
        ]
        if passed:
            sentences.append(
                str(said["overtook"]).format(
                    first=_entry(dimension, name, display),
                    second=_entry(dimension, passed[0], display),
                )
            )
            break
    return " ".join(sentences)


def alt_text(
    state: ChartState,
    rows: dict[str, Any] | None,
    *,
    display: Display | None = None,
    highlight: Highlight | None = None,
    described: Caption | None = None,
    lang: str = "en",
    title: str | None = None,
) -> str:
    """The step's text alternative: its title (as shown; default the config's), its caption,
    then what it points at and its note."""
    display = display or resolve({}, [], "en")
    said = words(lang)
    described = described or caption(state, rows, display, lang)
    if title is None and isinstance(state.config.get("title"), str):
        title = display.title(state.config["title"])
    sentences = [str(said["title"]).format(title=isolate(title)) if title else ""]
    sentences.append(described.text())
    if highlight is not None:
        sentences.append(
            str(said["highlighted"]).format(what=_pointed_at(highlight.filter, display, said))
        )
        if highlight.note:
            note = highlight.note.strip()
            sentences.append(isolate(note) + ("" if note.endswith((".", "!", "?")) else "."))
    return " ".join(s for s in sentences if s)


def _pointed_at(where: Filter, display: Display, said: Mapping[str, Any]) -> str:
    """A highlight's marks in words: ``Europe, Asia Pacific``; ``Revenue from $1.0M``."""
    if where.op == "in":
        column, values = where.args
        return str(said["and"]).join(isolate(display.label(column, value)) for value in values)
    if where.op == "range":
        column, low, high = where.args
        key = (
            "range_both"
            if low is not None and high is not None
            else "range_low"
            if low is not None
            else "range_high"
        )
        return str(said[key]).format(
            column=isolate(display.name(column)),
            low=display.number(column, low, said=True) if low is not None else "",
            high=display.number(column, high, said=True) if high is not None else "",
        )
    if where.op == "not":
        return str(said["all_but"]).format(what=_pointed_at(where.args[0], display, said))
    joiner = str(said["both"] if where.op == "and" else said["either"])
    return joiner.join(_pointed_at(part, display, said) for part in where.args)


# Where each range of right-to-left characters starts, for a binary search.
_STARTS = [start for start, _ in NOT_LEFT_TO_RIGHT]


def _right_to_left(char: str) -> bool:
    at = bisect.bisect_right(_STARTS, ord(char)) - 1
    return at >= 0 and ord(char) <= NOT_LEFT_TO_RIGHT[at][1]


def isolate(text: str) -> str:
    """``text`` from the data, kept from turning the sentence around it.

    Text with right-to-left letters or direction controls (U+202E, say: the
    characters of ``_bidi.py``, the table the player's ``isolate`` reads too) is
    wrapped in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, the plain-text
    form of HTML's ``<bdi>``; any other text is returned as it is.

    >>> isolate("Europe"), isolate("\u202eevil")
    ('Europe', '\u2068\u202eevil\u2069')
    """
    if any(map(_right_to_left, text)):
        return f"\u2068{text}\u2069"
    return text
