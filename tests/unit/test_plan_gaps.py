"""Marks with no value keep their place (ipyreport._gaps), and change no number a story shows.

Bars, lines and areas along a dimension get a stand-in row for each mark the
engine would drop: a month nobody reported on a time axis, a bar whose value
is missing. Every number is checked against DuckDB over every row.
"""

import duckdb
import pytest

from ipyreport import Slide, Story, presets, samples
from ipyreport.formats import Display
from tests.corpus import CASES, frame

SALES = samples.sales()


def duck(sql, **tables):
    connection = duckdb.connect()
    for name, table in tables.items():
        connection.register(name, table)
    return connection.sql(sql).fetchall()


def calendar():
    """Every month from the sales' first to their last, as the story names them."""
    rows = duck(
        """SELECT strftime(m, '%Y-%m-%d') FROM (
             SELECT unnest(generate_series(min("Month")::TIMESTAMP, max("Month")::TIMESTAMP,
                                           INTERVAL 1 MONTH)) AS m FROM sales) ORDER BY m""",
        sales=SALES,
    )
    return [row[0] for row in rows]


def monthly(how):
    return dict(duck(f"SELECT strftime(Month, '%Y-%m-%d'), {how} FROM s GROUP BY 1", s=SALES))


@pytest.mark.parametrize(
    ("measure", "how"), [("Revenue", "sum(Revenue)"), ("mean(Units)", "avg(Units)")]
)
def test_a_line_over_months_holds_every_month_and_no_value_where_none_was_reported(measure, how):
    story = Story(SALES, slides=[Slide(presets.chart(kind="line", x="Month", y=measure))])
    step = story.to_dict()["slides"][0]["steps"][0]
    table = step["table"]
    reported = monthly(how)
    assert [row[0] for row in table["rows"]] == calendar()
    assert sorted(month for month in calendar() if month not in reported) == [
        "2022-04-01",
        "2023-09-01",
    ]
    for month, value in table["rows"]:
        if month in reported:
            assert value == pytest.approx(reported[month], rel=1e-12)
        else:
            assert value is None  # no report: no value, not 0


def test_the_stand_ins_travel_as_placeholders_with_no_value():
    story = Story(
        SALES,
        slides=[Slide(presets.chart(kind="stacked_area", x="Month", y="Revenue", color="Region"))],
    )
    document = story.to_dict()
    key = document["slides"][0]["steps"][0]["data"]
    data = {series["name"]: series for series in document["datasets"][key]["series"]}
    first = document["placeholders"][key]
    months = [data["Month"]["categories"][code] for code in data["Month"]["values"]]
    regions = [data["Region"]["categories"][code] for code in data["Region"]["values"]]
    revenue = data["Revenue"]["values"]
    # Each region in each month nobody reported, once, after the real rows.
    assert sorted(zip(months[first:], regions[first:], strict=True)) == sorted(
        (month, region)
        for month in ("2022-04-01", "2023-09-01")
        for (region,) in duck("SELECT DISTINCT Region FROM s", s=SALES)
    )
    assert revenue[first:] == [None] * 8
    # The real rows hold the same sums as every row does.
    assert sum(revenue[:first]) == pytest.approx(duck("SELECT sum(Revenue) FROM s", s=SALES)[0][0])


def test_stand_ins_change_no_total_mean_or_count_the_story_shows():
    notes = (
        "{sum(Revenue)} over {count(Month)} months; {mean(Units)} units an order line, "
        "at least {min(Revenue)}"
    )
    story = Story(
        SALES,
        slides=[
            Slide(presets.chart(kind="line", x="Month", y="Revenue"), notes=notes),
            Slide(
                presets.chart(kind="stacked_column", x="Month", y="Revenue", color="Region"),
                presets.chart(kind="column", x="Region", y="mean(Units)"),
                notes=notes,
            ),
        ],
        formats={"Revenue": "$"},
    )
    document = story.to_dict()
    display = Display.of(document)
    total, months, units, least = duck(
        "SELECT sum(Revenue), count(DISTINCT Month), avg(Units), min(Revenue) FROM s", s=SALES
    )[0]
    said = (
        f"{display.number('Revenue', total)} over {display.number('count(Month)', months)} months; "
        f"{display.number('mean(Units)', units)} units an order line, "
        f"at least {display.number('Revenue', least)}"
    )
    assert months == 46
    assert [slide["notes"] for slide in document["slides"]] == [said, said]
    # The column of means after the stacked months draws the story's own rows, as DuckDB reads them.
    means = dict(duck("SELECT Region, avg(Units) FROM s GROUP BY Region", s=SALES))
    table = document["slides"][1]["steps"][1]["table"]
    assert "data" not in document["slides"][1]["steps"][1]
    assert {row[0]: pytest.approx(row[1], rel=1e-12) for row in table["rows"]} == means


def test_a_bar_with_no_value_keeps_its_place():
    case = next(case for case in CASES if case.id == "cars-bar_missing")
    cars = frame("cars")
    document = Story(cars, slides=case.build(cars)).to_dict()
    rows = document["slides"][0]["steps"][0]["table"]["rows"]
    expected = duck(
        "SELECT Name, sum(Horsepower) FROM cars WHERE Origin = 'Europe' "
        "AND Year = DATE '1982-01-01' GROUP BY Name",
        cars=cars,
    )
    assert sorted(rows, key=str) == sorted([list(row) for row in expected], key=str)
    assert ["renault 18i", None] in rows


def test_charts_that_lose_no_mark_draw_the_story_data_itself():
    story = Story(
        SALES,
        slides=[
            Slide(presets.chart(kind="column", x="Region", y="Revenue")),
            Slide(presets.chart(kind="pie", x="Month", y="Revenue")),
            Slide(presets.chart(kind="scatter", x="Revenue", y="Profit", by="Country")),
        ],
    )
    document = story.to_dict()
    assert [step.get("data") for slide in document["slides"] for step in slide["steps"]] == [
        None,
        None,
        None,
    ]
    assert document["placeholders"] == {}
