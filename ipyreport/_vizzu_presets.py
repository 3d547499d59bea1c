"""Vizzu 0.16's chart presets, as data: which argument goes on which channel.

Each preset is described in Vizzu's own argument names (``x``, ``y``,
``stackedBy``, ``angle``...), so that ipyvizzu ``Config.stackedArea({...})``
presets can be turned into plain configs, and ``ipyreport.presets`` can map
its own argument names onto them. Every config built here sets every
channel (unused ones to ``None``), so animating from any chart to any other
leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

CHANNELS = ("x", "y", "color", "lightness", "size", "noop", "label")
# The optional arguments every Vizzu preset takes besides its channels.
COMMON_OPTIONS = ("legend", "title", "subtitle", "caption", "reverse", "sort")


@dataclass(frozen=True)
class VizzuPreset:
    """One preset: channels built from arguments, plus fixed settings."""

    channels: Mapping[str, tuple[str, ...]]
    geometry: str = "rectangle"
    coord_system: str = "cartesian"
    align: str = "none"
    split: bool = False
    ranges: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # The axis a part-to-whole chart stretches to 100%: it reads "Share of ...".
    share_axis: str | None = None
    # Axes drawn without a title: a pie's angle reads as shares of the circle, not as an axis.
    untitled: tuple[str, ...] = ()
    # Categories down the y axis: read from the top, as a page is (the engine starts at
    # the bottom), unless sorted by value (the largest then stands at the top).
    downward: bool = False

    @property
    def arguments(self) -> list[str]:
        """Argument names in first-use order."""
        return list(dict.fromkeys(arg for args in self.channels.values() for arg in args))


def _p(channels: Mapping[str, tuple[str, ...]], **settings: Any) -> VizzuPreset:
    return VizzuPreset(channels=channels, **settings)


COLUMN = {"x": ("x",), "y": ("y",), "label": ("y",)}
STACKED_Y = {"x": ("x",), "y": ("y", "stackedBy"), "color": ("stackedBy",)}
SPLIT_Y = {"x": ("x",), "y": ("y", "splittedBy"), "color": ("splittedBy",)}
BAR = {"x": ("x",), "y": ("y",), "label": ("x",)}
STACKED_X = {"x": ("x", "stackedBy"), "y": ("y",), "color": ("stackedBy",), "label": ("x",)}
SPLIT_X = {"x": ("x", "splittedBy"), "y": ("y",), "color": ("splittedBy",), "label": ("x",)}
MEKKO = {"x": ("x", "groupedBy"), "y": ("y", "stackedBy"), "color": ("stackedBy",), "label": ("x",)}
POLAR = {"coord_system": "polar"}

PRESETS: dict[str, VizzuPreset] = {
    "column": _p(COLUMN),
    "groupedColumn": _p({"x": ("groupedBy", "x"), "y": ("y",), "color": ("x",), "label": ("y",)}),
    "stackedColumn": _p({**STACKED_Y, "label": ("y",)}),
    "splittedColumn": _p({**SPLIT_Y, "label": ("y",)}, split=True),
    "percentageColumn": _p({**STACKED_Y, "label": ("y",)}, align="stretch", share_axis="y"),
    "waterfall": _p({"x": ("x",), "y": ("y", "x"), "color": ("y",), "label": ("y",)}),
    "mekko": _p(MEKKO),
    "marimekko": _p(MEKKO, align="stretch", share_axis="y"),
    "bar": _p(BAR, downward=True),
    "groupedBar": _p(
        {"x": ("x",), "y": ("groupedBy", "y"), "color": ("y",), "label": ("x",)}, downward=True
    ),
    "stackedBar": _p(STACKED_X, downward=True),
    "splittedBar": _p(SPLIT_X, split=True, downward=True),
    "percentageBar": _p(STACKED_X, align="stretch", share_axis="x", downward=True),
    "lollipop": _p(COLUMN, geometry="circle"),
    "scatter": _p(
        {"x": ("x",), "y": ("y",), "noop": ("dividedBy",), "size": ("size",)}, geometry="circle"
    ),
    "bubbleplot": _p(
        {
            "x": ("x",),
            "y": ("y",),
            "color": ("color",),
            "size": ("size",),
            "noop": ("dividedBy",),
            "label": ("dividedBy",),
        },
        geometry="circle",
    ),
    "area": _p({"x": ("x",), "y": ("y",)}, geometry="area"),
    "stackedArea": _p(STACKED_Y, geometry="area"),
    "percentageArea": _p(STACKED_Y, geometry="area", align="stretch", share_axis="y"),
    "splittedArea": _p(SPLIT_Y, geometry="area", split=True),
    "stream": _p(STACKED_Y, geometry="area", align="center"),
    "verticalStream": _p(
        {"x": ("x", "stackedBy"), "y": ("y",), "color": ("stackedBy",)},
        geometry="area",
        align="center",
    ),
    "violin": _p(SPLIT_Y, geometry="area", align="center", split=True),
    "verticalViolin": _p(
        {"x": ("x", "splittedBy"), "y": ("y",), "color": ("splittedBy",)},
        geometry="area",
        align="center",
        split=True,
    ),
    "line": _p({"x": ("x",), "y": ("y",), "color": ("dividedBy",)}, geometry="line"),
    "verticalLine": _p({"x": ("x",), "y": ("y",), "color": ("dividedBy",)}, geometry="line"),
    "pie": _p(
        {"x": ("angle", "by"), "color": ("by",), "label": ("angle",)}, untitled=("x",), **POLAR
    ),
    "polarColumn": _p({"x": ("angle",), "y": ("radius",), "label": ("radius",)}, **POLAR),
    "polarStackedColumn": _p(
        {"x": ("angle",), "y": ("radius", "stackedBy"), "color": ("stackedBy",)}, **POLAR
    ),
    "variableRadiusPie": _p(
        {"x": ("angle", "by"), "y": ("radius",), "color": ("by",), "label": ("radius",)}, **POLAR
    ),
    "radialBar": _p(
        {"x": ("angle",), "y": ("radius",), "label": ("angle",)},
        ranges={"y": {"min": "-50%"}},
        **POLAR,
    ),
    "radialStackedBar": _p(
        {
            "x": ("angle", "stackedBy"),
            "y": ("radius",),
            "color": ("stackedBy",),
            "label": ("angle",),
        },
        ranges={"y": {"min": "-50%"}},
        **POLAR,
    ),
    "donut": _p(
        {"x": ("angle", "stackedBy"), "color": ("stackedBy",)},
        ranges={"y": {"min": "-200%", "max": "100%"}},
        untitled=("x",),
        **POLAR,
    ),
    "nestedDonut": _p(
        {
            "x": ("angle", "stackedBy"),
            "y": ("radius",),
            "color": ("stackedBy",),
            "label": ("angle",),
        },
        align="stretch",
        ranges={"y": {"min": "-50%"}},
        **POLAR,
    ),
    "polarScatter": _p(
        {"x": ("angle",), "y": ("radius",), "noop": ("dividedBy",)}, geometry="circle", **POLAR
    ),
    "polarLine": _p(
        {"x": ("angle",), "y": ("radius",), "color": ("dividedBy",)}, geometry="line", **POLAR
    ),
    "treemap": _p({"color": ("color",), "size": ("size", "color"), "label": ("color",)}),
    "stackedTreemap": _p(
        {
            "color": ("color",),
            "lightness": ("size",),
            "size": ("size", "dividedBy"),
            "label": ("dividedBy",),
        }
    ),
    "heatmap": _p({"x": ("x",), "y": ("y",), "lightness": ("lightness",), "label": ("lightness",)}),
    "bubble": _p({"color": ("color",), "size": ("size",), "label": ("color",)}, geometry="circle"),
    "stackedBubble": _p({"color": ("color",), "size": ("size", "stackedBy")}, geometry="circle"),
}


def _names(value: str | Sequence[str] | None) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, Mapping)):
        return [value]
    return list(value)


# What an axis shows (its labels, ticks, stripes, grid, line and the guides from
# each mark) is the engine's choice unless a chart kind decides; every config
# says so, since a chart keeps what the last one set. (A title the engine
# forgets whenever the channel's series are set again.)
AXIS_PARTS = ("labels", "ticks", "interlacing", "guides", "axis", "markerGuides")


def share_title(series: Any) -> str:
    """An axis of shares of ``series`` ("Revenue" reads "Share of revenue", "GDP" "Share of GDP").

    >>> share_title("Revenue"), share_title({"name": "GDP", "aggregator": "sum"})
    ('Share of revenue', 'Share of GDP')
    """
    name = str(series["name"] if isinstance(series, Mapping) else series)
    capitalised = len(name) > 1 and name[0].isupper() and name[1].islower()
    return f"Share of {name[0].lower() + name[1:] if capitalised else name}"


def build_config(name: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The complete Vizzu config a preset gives for these arguments.

    A part-to-whole chart (stretched to 100%) titles its axis by the share it shows;
    a pie's angle has no title; a bar chart's first category stands at the top (``reverse``
    then puts it at the bottom), unless sorted by value.

    >>> build_config("pie", {"angle": "Revenue", "by": "Region"})["channels"]["x"]["set"]
    ['Revenue', 'Region']
    >>> build_config("percentageColumn", {"x": "Region", "y": "Revenue", "stackedBy": "Product"})["channels"]["y"]["title"]
    'Share of revenue'
    >>> build_config("pie", {"angle": "Revenue", "by": "Region"})["channels"]["x"]["title"] is None
    True
    >>> [build_config("bar", {"x": "Revenue", "y": "Region", **more})["reverse"]
    ...  for more in ({}, {"reverse": True}, {"sort": "byValue"})]
    [True, False, False]
    """
    preset = PRESETS[name]
    channels: dict[str, Any] = {}
    for channel in CHANNELS:
        series: list[Any] = []
        for argument in preset.channels.get(channel, ()):
            for entry in _names(arguments.get(argument)):
                if entry not in series:
                    series.append(entry)
        spec: dict[str, Any] = {"set": series or None}
        if channel in ("x", "y"):
            spec["range"] = {"min": "auto", "max": "auto", **preset.ranges.get(channel, {})}
            # A tick step set for one chart (a log axis: one per decade) would
            # divide the next chart's axis into as many ticks as it spans.
            spec["step"] = "auto"
            spec.update(dict.fromkeys(AXIS_PARTS, "auto"))
        channels[channel] = spec
    shared = channels.get(preset.share_axis or "", {}).get("set")
    if preset.share_axis is not None and shared:
        channels[preset.share_axis]["title"] = share_title(shared[0])
    for axis in preset.untitled:
        channels[axis]["title"] = None
    config: dict[str, Any] = {
        "channels": channels,
        "geometry": preset.geometry,
        "coordSystem": preset.coord_system,
        "align": preset.align,
        "split": preset.split,
        "orientation": "auto",
    }
    # Reset ordering and texts too, so a chart never inherits the last one's.
    config["sort"] = "none"
    config["reverse"] = False
    config["title"] = None
    config["subtitle"] = None
    config["caption"] = None
    config["legend"] = "auto"
    for option in COMMON_OPTIONS:
        if option in arguments:
            config[option] = arguments[option]
    if preset.downward and config["sort"] != "byValue":
        config["reverse"] = not config["reverse"]
    return config
