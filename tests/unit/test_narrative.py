"""Words bound to the data: templates computed from what each step draws, traced, never stale."""

from __future__ import annotations

import re

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from ipyreport import Dashboard, Slide, Story, presets, samples
from ipyreport._templates import TemplateError, parse
from ipyreport.step import StepError

SALES = samples.sales()


def sales_story(data=SALES, **options):
    return Story(data, formats={"Revenue": "$", "Profit": "$"}, **options)


def notes_of(story: Story) -> list[str]:
    return [slide["notes"] for slide in story.to_dict()["slides"]]


def one_note(text: str, data=SALES, step=None) -> str:
    step = step or presets.chart(kind="column", x="Region", y="Revenue")
    return notes_of(sales_story(data, slides=[Slide(step, notes=text)]))[0]


def total(column: str, **where: str) -> float:
    table = SALES
    for name, value in where.items():
        table = table.filter(pc.equal(table[name], value))
    return pc.sum(table[column]).as_py()


# --- the language ------------------------------------------------------------


def test_an_aggregate_reads_in_its_measures_format():
    assert one_note("{sum(Revenue)}") == "$824.4M"
    assert (
        one_note("{sum(Revenue, Region=Europe)}")
        == f"${total('Revenue', Region='Europe') / 1e6:.1f}M"
    )
    assert one_note("{sum(Units)} units") == f"{total('Units') / 1e6:.1f}M units"


def test_count_counts_the_categories_a_step_draws_and_the_values_of_a_measure():
    europe = presets.chart(kind="column", x="Country", y="Revenue", filter={"Region": "Europe"})
    assert one_note("{count(Country)} countries", step=europe) == "3 countries"
    assert one_note("{count(Country)} countries") == "12 countries"
    assert one_note("{count(Revenue)}") == f"{SALES.num_rows / 1000:.1f}K"


def test_top_bottom_first_and_last_name_categories_as_they_read():
    assert one_note("{Region.top}, {Region.bottom}") == "Americas, Africa"
    assert one_note("{Month.first} to {Month.last}") == "Jan 2021 to Dec 2024"
    means = (
        SALES.group_by("Product")
        .aggregate([("Profit", "mean")])
        .sort_by([("Profit_mean", "descending")])
    )
    best_mean = means["Product"][0].as_py()
    assert (
        one_note("{Product.top(Units)}, {Product.top(mean(Profit))}") == f"Accessories, {best_mean}"
    )


def test_top_ranks_by_the_charts_own_measure_unless_told():
    by_units = presets.chart(kind="column", x="Product", y="Units")
    assert one_note("{Product.top}", step=by_units) == "Accessories"
    assert one_note("{Product.top(Revenue)}", step=by_units) == "Laptops"


def stock_note(text: str) -> str:
    """``text`` as the notes of a line chart of every symbol's price (vega_datasets' stocks)."""
    from vega_datasets import local_data

    line = presets.chart(kind="line", x="date", y="price", color="symbol")
    return notes_of(Story(local_data.stocks(), slides=[Slide(line, notes=text)]))[0]


def test_a_ranking_at_a_moment_names_who_is_highest_then_as_pandas_does():
    from vega_datasets import local_data

    stocks = local_data.stocks()

    def at(day) -> pd.DataFrame:
        return stocks[stocks["date"] == day].set_index("symbol")["price"]

    first, last = stocks["date"].min(), stocks["date"].max()
    assert at(first).idxmax() == "IBM" != stocks.groupby("symbol")["price"].sum().idxmax()
    assert stock_note("{symbol.top(price, date=date.first)}") == at(first).idxmax()
    assert stock_note("{symbol.top(price, date=date.last)}") == at(last).idxmax()
    assert stock_note("{symbol.bottom(price, date=date.last)}") == at(last).idxmin()
    # Alone, conditions rank by the chart's measure; the sum over every date stays the default.
    assert stock_note("{symbol.top(date=date.first)}") == at(first).idxmax()
    assert stock_note("{symbol.top}") == stocks.groupby("symbol")["price"].sum().idxmax()
    # Every month, the leader and its price, as pandas says.
    for day in sorted(stocks["date"].unique())[::17]:
        label = f"{pd.Timestamp(day):%Y-%m-%d}"
        leader = stock_note(
            f'{{symbol.top(price, date="{label}")}} '
            f'{{sum(price, date="{label}", symbol=symbol.top(price, date="{label}"))}}'
        )
        assert leader == f"{at(day).idxmax()} {at(day).max():g}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{symbol.top(sum(price, date=date.last))}",
            "symbol.top(...) ranks by a measure alone; its conditions come after it: "
            "write symbol.top(sum(price), date=date.last)",
        ),
        (
            "{symbol.top(mean(price), date.last)}",
            "a condition names the column it narrows: write date=date.last",
        ),
        (
            "{symbol.top(price, at=date.last)}",
            "{symbol.top(price, at=date.last)} names 'at', which is not a column; "
            "a condition names the column it narrows: write date=date.last",
        ),
        (
            "{symbol.top(price, date=last)}",
            "{symbol.top(price, date=last)}: date has no category 'last'; "
            "the last date is written date=date.last",
        ),
    ],
)
def test_a_moment_written_almost_right_says_what_to_write(text, message):
    with pytest.raises(TemplateError) as error:
        stock_note(text)
    assert str(error.value).startswith(f"slide 1, notes: {message}")


def test_conditions_take_categories_and_ranked_categories():
    leader = one_note("{sum(Revenue, Region=Region.top)}")
    assert leader == f"${total('Revenue', Region='Americas') / 1e6:.1f}M"
    quoted = one_note('{sum(Revenue, Region="Asia Pacific", Product=Phones)}')
    expected = total("Revenue", Region="Asia Pacific", Product="Phones")
    assert quoted == f"${expected / 1e6:.1f}M"


def test_a_sentence_drops_a_zero_only_where_the_number_is_exact():
    """A million orders read "1M orders"; 999,960 still "1.0M", its zero saying it was
    rounded; ten orders of 0.1 are exactly 1, however the sum rounds in binary. Digits a
    format fixes (cents, a share's decimal) or a text asks for are kept, as on the chart."""
    from ipyreport import Format

    def said(orders, text, **formats):
        rows = pa.table({"Region": ["A", "B"] * (len(orders) // 2), "Orders": orders})
        step = presets.chart(kind="column", x="Region", y="Orders")
        return notes_of(Story(rows, formats=formats, slides=[Slide(step, notes=text)]))[0]

    assert said([400_000, 100_000, 250_000, 250_000], "{sum(Orders)} orders") == "1M orders"
    assert said([400_000, 99_960, 250_000, 250_000], "{sum(Orders)} orders") == "1.0M orders"
    assert said([0.1] * 10, "{sum(Orders)}") == "1"  # 0.9999999999999999 in binary
    assert said([0.1] * 10, "{sum(Orders) | plain:2}") == "1.00"
    cents = {"Orders": Format(prefix="$", decimals=2)}
    assert said([6.25, 6.25], "{sum(Orders)}", **cents) == "$12.50"
    assert said([400_000, 100_000, 250_000, 250_000], "{share(Orders, Region=A)}") == "65.0%"


def test_a_chart_described_in_words_says_its_numbers_by_the_sentence_rule():
    """The alt text is a sentence too: a million orders together read "1M orders" there as
    in the notes, an entry rounded to 1.0M keeps its zero, and cents a format fixes stay."""
    from ipyreport import Format

    def alt(orders, **formats):
        rows = pa.table({"Region": ["A", "B", "C", "D"], "Orders": orders})
        step = presets.chart(kind="column", x="Region", y="Orders")
        return Story(rows, formats=formats, slides=[Slide(step)]).to_dict()["slides"][0]["steps"][
            0
        ]["alt"]

    text = alt([999_960, 40, 0, 0])
    assert "Highest Orders: A 1.0M, B 40, C 0." in text
    assert text.endswith("Together 1M.")
    cents = alt([6.25, 6.25, 2.5, 1], Orders=Format(prefix="$", decimals=2))
    assert cents.endswith("Together $16.00.")


def test_change_and_share_read_as_percentages():
    months = SALES.group_by("Month").aggregate([("Revenue", "sum")]).sort_by("Month")
    first, last = months["Revenue_sum"][0].as_py(), months["Revenue_sum"][-1].as_py()
    change = (last - first) / first * 100
    share = total("Revenue", Region="Europe") / total("Revenue") * 100
    text = one_note("{change(Revenue, Month)} and {share(Revenue, Region=Europe)}")
    assert text == f"+{change:.1f}% and {share:.1f}%"


def test_a_format_after_the_bar_changes_how_a_number_reads():
    assert one_note("{sum(Revenue) | plain}") == f"{total('Revenue'):,.2f}"
    assert one_note("{sum(Revenue) | $:2}") == f"${total('Revenue') / 1e6:.2f}M"
    assert one_note("{share(Revenue, Region=Europe) | pct:0}") == "29%"
    assert one_note("{sum(Units) | €}") == f"€{total('Units') / 1e6:.1f}M"
    assert one_note("{{literal}} braces") == "{literal} braces"


def test_numbers_read_in_the_storys_language():
    german = Story(
        SALES,
        lang="de",
        formats={"Revenue": "€"},
        slides=[
            Slide(
                presets.chart(kind="column", x="Region", y="Revenue"),
                notes="{sum(Revenue)}, {share(Revenue, Region=Europe)}",
            )
        ],
    )
    assert german.to_dict()["slides"][0]["notes"] == "824,4\u00a0Mio.\u00a0€, 28,8%"


def test_each_text_reads_the_rows_its_step_draws():
    story = sales_story(
        slides=[
            Slide(
                presets.chart(
                    kind="column",
                    x="Country",
                    y="Revenue",
                    filter={"Region": "Africa"},
                    title="{sum(Revenue)}",
                ),
                presets.chart(
                    kind="column",
                    x="Country",
                    y="Revenue",
                    filter={"Region": "Europe"},
                    title="{sum(Revenue)}",
                ),
            )
        ]
    )
    titles = [step["config"]["title"] for step in story.to_dict()["slides"][0]["steps"]]
    assert titles == [
        f"${total('Revenue', Region='Africa') / 1e6:.1f}M",
        f"${total('Revenue', Region='Europe') / 1e6:.1f}M",
    ]


def test_a_slides_own_text_reads_every_row_its_steps_draw():
    # A timeline's steps each draw one month; its slide's notes read them all.
    steps = presets.timeline(SALES, time="Month", kind="bar", x="Country", y="Revenue")
    notes = notes_of(
        sales_story(slides=[Slide(steps, notes="{Month.first} to {Month.last}: {sum(Revenue)}")])
    )
    assert notes == ["Jan 2021 to Dec 2024: $824.4M"]


def test_a_highlight_note_and_a_slides_alt_are_templates_too():
    step = presets.highlight(
        where={"Region": "Europe"}, note="Europe: {sum(Revenue, Region=Europe)}"
    )
    story = sales_story(
        slides=[
            Slide(
                presets.chart(kind="column", x="Region", y="Revenue"),
                step,
                alt="{count(Region)} regions",
            )
        ]
    )
    steps = story.to_dict()["slides"][0]["steps"]
    assert steps[1]["highlight"]["note"] == "Europe: $237.2M"
    assert [step["alt"] for step in steps] == ["4 regions", "4 regions"]


def test_notes_auto_are_the_slides_captions():
    story = sales_story(
        slides=[Slide(presets.chart(kind="bar", x="Product", y="Revenue"), notes="auto")]
    )
    document = story.to_dict()
    assert document["slides"][0]["notes"] == (
        "A bar chart of Revenue by Product. Highest Revenue: Laptops $346.8M, Phones $271.7M, "
        "Tablets $123.5M. Lowest: Accessories $82.4M. Together $824.4M."
    )


def test_captions_say_what_changed_since_the_previous_step():
    months = presets.timeline(SALES, time="Month", kind="bar", x="Region", y="Revenue")
    alt = sales_story(slides=[Slide(months[:2])]).to_dict()["slides"][0]["steps"][1]["alt"]
    assert "Since the previous step:" in alt
    assert re.search(r"rose most \(\+\$[\d.]+K\)|fell most \(\u2212\$[\d.]+K\)", alt)
    morph = presets.morph(SALES, kinds=["column", "pie"], x="Region", y="Revenue")
    pie = sales_story(slides=[Slide(morph)]).to_dict()["slides"][0]["steps"][1]["alt"]
    assert pie.endswith("The same numbers as the previous step.")


def test_an_overtaking_category_is_named():
    data = {
        "Quarter": ["Q1", "Q1", "Q2", "Q2"],
        "Team": ["A", "B", "A", "B"],
        "Sales": [5.0, 3.0, 4.0, 6.0],
    }
    steps = [
        presets.chart(kind="column", x="Team", y="Sales", filter={"Quarter": quarter})
        for quarter in ("Q1", "Q2")
    ]
    alt = Story(data, slides=[Slide(*steps)]).to_dict()["slides"][0]["steps"][1]["alt"]
    assert alt.endswith(
        "Since the previous step: B rose most (+3); A fell most (\u22121). B overtook A."
    )


# --- mistakes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        ("{summ(Revenue)}", "unknown function 'summ' (did you mean 'sum'?)", 1),
        ("Top: {Region.tpo}", "got 'tpo' (did you mean 'top'?)", 13),
        ("{sum(Revenue}", "expected ',' or ')' in sum(...), found the end", 12),
        ("{sum(Revenue) | pct:x}", "modifier is '+' (a sign) or a number of decimals", 15),
        ("a } b", "write '}}' for a brace in the text", 2),
        ("{Region}", "'Region' alone is not a value", 1),
    ],
)
def test_a_template_that_cannot_be_read_says_where_and_what_was_meant(text, message, offset):
    with pytest.raises(TemplateError) as error:
        parse(text)
    assert message in str(error.value)
    assert error.value.offset == offset


def test_a_name_the_data_lacks_is_an_error_with_the_closest_column():
    with pytest.raises(
        StepError,
        match=r"slide 1, notes: \{sum\(Revenu\)\} names 'Revenu', which is not a column \(did you mean 'Revenue'\?\)",
    ):
        one_note("{sum(Revenu)}")
    with pytest.raises(
        StepError, match=r"'Region' == 'Eurpe', which never occurs \(did you mean 'Europe'\?\)"
    ):
        one_note("{sum(Revenue, Region=Eurpe)}")
    with pytest.raises(StepError, match=r"'Region' is a dimension; this takes a measure"):
        one_note("{sum(Region)}")
    with pytest.raises(StepError, match=r"a format applies to numbers, and this is a category"):
        one_note("{Region.top | pct}")


def test_a_caption_cannot_sit_in_the_text_of_a_dashboard_that_filters():
    board = Dashboard(
        presets.chart(kind="column", x="Region", y="Revenue"),
        presets.chart(kind="bar", x="Product", y="Revenue"),
        notes="{caption}",
    )
    with pytest.raises(StepError, match="a caption cannot follow a dashboard's clicks"):
        sales_story(slides=[board])


def test_labels_from_the_data_in_preset_titles_stay_literal():
    data = {"Group": ["{g}", "{g}"], "Team": ["{a}", "b}"], "Sales": [1.0, 2.0]}
    steps = presets.zoom(data, levels=["Group", "Team"], path=["{g}"], y="Sales")
    story = Story(data, slides=[Slide(steps)])
    titles = [s["config"]["title"] for s in story.to_dict()["slides"][0]["steps"]]
    assert titles == ["Sales by Group", "Sales by Team in {g}", "Sales by Group"]
    timeline = presets.timeline(data, time="Team", kind="bar", x="Team", y="Sales")
    titles = [
        s["config"]["title"]
        for s in Story(data, slides=[Slide(timeline)]).to_dict()["slides"][0]["steps"]
    ]
    assert titles == ["{a}", "b}"]


# --- never stale: a change in the data changes exactly the words that quote it ----


SENTENCES = {
    "total": "{sum(Revenue)}",
    "europe": "{sum(Revenue, Region=Europe)}",
    "africa": "{sum(Revenue, Region=Africa)}",
    "africa share": "{share(Revenue, Region=Africa)}",
    "europe share": "{share(Revenue, Region=Europe)}",
    "leader": "{Region.top} leads with {sum(Revenue, Region=Region.top)}",
    "countries": "{count(Country)} countries",
    "units": "{sum(Units)} units",
    "trend": "{change(Revenue, Month) | pct:3} since {Month.first}",
    # A ratio of Europe's own numbers: 5% more at both ends is the same change.
    "europe trend": "{change(Revenue, Month, Region=Europe) | pct:3}",
    "asia trend": '{change(Revenue, Month, Region="Asia Pacific")}',
    "top product units": "{Product.top(Units)}",
}
DEPENDS_ON_EUROPE = {"total", "europe", "africa share", "europe share", "trend"}


def europe_plus_5_percent() -> pa.Table:
    europe = pc.equal(SALES["Region"], "Europe")
    revenue = pc.if_else(europe, pc.multiply(SALES["Revenue"], 1.05), SALES["Revenue"])
    return SALES.set_column(SALES.schema.get_field_index("Revenue"), "Revenue", revenue)


def sentence_story(data, formats=None):
    slides = [
        Slide(presets.chart(kind="column", x="Region", y="Revenue"), title=name, notes=text)
        for name, text in SENTENCES.items()
    ]
    # Captions: one of a chart that draws Europe's revenue, one of a chart that does not.
    slides.append(
        Slide(
            presets.chart(kind="column", x="Region", y="Revenue"),
            title="caption revenue",
            notes="{caption.stats}",
        )
    )
    slides.append(
        Slide(
            presets.chart(kind="bar", x="Product", y="Units"),
            title="caption units",
            notes="{caption.stats}",
        )
    )
    slides.append(
        Slide(
            presets.chart(
                kind="column",
                x="Country",
                y="Revenue",
                filter={"Region": "Africa"},
                title="{sum(Revenue)}",
            ),
            title="africa chart",
            notes="{caption}",
        )
    )
    return Story(data, formats=formats or {"Revenue": "$"}, slides=slides)


def test_five_percent_more_for_one_region_changes_every_sentence_that_quotes_it_and_no_other():
    before = sentence_story(SALES).to_dict()["slides"]
    after = sentence_story(europe_plus_5_percent()).to_dict()["slides"]
    changed = {
        old["title"]
        for old, new in zip(before, after, strict=True)
        if old["notes"] != new["notes"]
        or old["steps"][0]["config"].get("title") != new["steps"][0]["config"].get("title")
    }
    assert changed == DEPENDS_ON_EUROPE | {"caption revenue"}
    # And the change is the data's: 5% more for Europe.
    europe = {slide["title"]: slide for slide in after}["europe"]
    assert europe["text"]["notes"][0]["value"] == pytest.approx(
        total("Revenue", Region="Europe") * 1.05
    )


# --- traced: each number keeps the query that produced it ---------------------------


def test_every_number_keeps_its_expression_and_the_sql_that_reproduces_it():
    document = sentence_story(SALES).to_dict()
    checked = 0
    for slide in document["slides"]:
        for part in slide.get("text", {}).get("notes", []):
            if isinstance(part, str) or part["expr"]["op"] == "caption":
                continue
            for query in part["queries"]:
                got = (
                    duckdb.connect()
                    .execute(query["sql"].replace("FROM data", "FROM SALES"))
                    .fetchall()
                )
                assert len(got) == len(query["rows"]) or len(query["rows"]) == 12
                if not query["rows"] or (
                    len(query["rows"][0]) == 2 and query["rows"][0][0] is None
                ):
                    assert [row[-1] for row in got] == pytest.approx(
                        [row[-1] for row in query["rows"]]
                    )
                    checked += 1
                    continue
                expected = {tuple(row[:-1]): row[-1] for row in query["rows"]}
                for *labels, value in got:
                    key = tuple(str(label) if label is not None else None for label in labels)
                    if len(query["rows"]) < 12 or key in expected:
                        assert expected[key] == pytest.approx(value)
                checked += 1
    assert checked >= len(SENTENCES)


def test_lazy_sources_compute_the_same_words_in_their_engine(tmp_path):
    path = tmp_path / "sales.parquet"
    pq.write_table(SALES, path)
    eager = sentence_story(SALES)
    lazy = sentence_story(str(path))
    assert notes_of(lazy) == notes_of(eager)
    leader = {s["title"]: s for s in lazy.to_dict()["slides"]}["leader"]["text"]["notes"]
    assert (
        leader[0]["queries"][0]["sql"]
        == 'SELECT "Region", sum("Revenue") FROM data GROUP BY "Region"'
    )


def test_a_dashboards_words_keep_what_they_read_in_the_compacted_data():
    board = Dashboard(
        presets.chart(kind="line", x="Month", y="Revenue", title="Revenue {sum(Revenue)}"),
        presets.chart(kind="bar", x="Region", y="Revenue"),
        notes="{Product.top(Units)} sells the most units",
        cross_filter=["Region"],
    )
    document = sales_story(slides=[board]).to_dict()
    names = [series["name"] for series in document["datasets"]["main"]["series"]]
    assert "Product" in names
    assert "Units" in names
    rows = len(document["datasets"]["main"]["series"][0]["values"])
    assert rows < SALES.num_rows  # still compacted: sums by Month, Region and Product
    assert document["slides"][0]["text"]["notes"][0]["expr"] == {
        "op": "rank",
        "which": "top",
        "dimension": "Product",
        "by": {"column": "Units", "fn": "sum"},
        "where": [],
    }


def test_a_mean_in_a_lazy_dashboards_text_that_clicks_reread_is_refused(tmp_path):
    path = tmp_path / "sales.parquet"
    pq.write_table(SALES, path)
    board = Dashboard(
        presets.chart(kind="line", x="Month", y="Revenue"),
        presets.chart(kind="bar", x="Region", y="Revenue"),
        notes="{mean(Units)} units per row",
        cross_filter=["Region"],
    )
    with pytest.raises(
        Exception, match="a dashboard's text quotes numbers that its clicks re-read"
    ):
        sales_story(str(path), slides=[board])


def test_missing_values_are_no_values():
    data = {"Team": ["A", "A", "B"], "Sales": [1.0, np.nan, None]}
    story = Story(
        data,
        slides=[
            Slide(
                presets.chart(kind="column", x="Team", y="Sales"),
                notes="{count(Sales)} {mean(Sales)} {sum(Sales, Team=B)}",
            )
        ],
    )
    assert story.to_dict()["slides"][0]["notes"] == "1 1 \u2013"


# --- the checker and specs ----------------------------------------------------------


def test_the_checker_finds_numbers_typed_by_hand_and_gives_the_expression():
    story = sales_story(
        slides=[
            Slide(
                presets.chart(kind="column", x="Region", y="Revenue", title="Americas: $323.8M"),
                notes="Europe brings 28.8% of $824.4M in 2021-2024; we grew 12% on {Month.first}.",
            )
        ]
    )
    typed = [str(found) for found in story.check() if found.kind == "typed"]
    assert typed == [
        "slide 1, step 1: the slide's notes quotes '28.8%' by hand; write {share(Revenue, Region=Europe)} so it follows the data",
        "slide 1, step 1: the slide's notes quotes '$824.4M' by hand; write {sum(Revenue)} so it follows the data",
        "slide 1, step 1: the slide's notes quotes '12%' by hand; no number this step draws reads like it, so it may be "
        "stale; compute it with an expression such as {sum(Revenue)}, {share(Revenue, Region=Europe)} or {change(Revenue, Month)}",
        "slide 1, step 1: the chart's title quotes '$323.8M' by hand; write {sum(Revenue, Region=Americas)} so it follows the data",
    ]


def test_a_number_typed_into_a_dek_is_found_like_one_in_the_title():
    story = sales_story(
        slides=[
            Slide(
                presets.chart(kind="column", x="Region", y="Revenue"),
                title="{Region.top} leads",
                dek="Americas brings 39.3% of revenue.",
            )
        ]
    )
    typed = [str(found) for found in story.check() if found.kind == "typed"]
    assert typed == [
        "slide 1, step 1: the slide's dek quotes '39.3%' by hand; write {share(Revenue, Region=Americas)} so it follows the data",
    ]


def test_computed_numbers_and_years_are_not_typed_by_hand():
    story = sales_story(
        slides=[
            Slide(
                presets.chart(kind="column", x="Region", y="Revenue"),
                notes="In 2024 {sum(Revenue)} in 4 regions",
            )
        ]
    )
    assert [found for found in story.check() if found.kind == "typed"] == []


def test_a_spec_template_mistake_points_at_its_line_and_column(tmp_path):
    from ipyreport.spec import SpecError, build, load

    spec = tmp_path / "story.yaml"
    spec.write_text(
        "data: {sample: sales}\n"
        "slides:\n"
        "  - title: By region\n"
        "    notes: >\n"
        "      The top region is {Region.top} with\n"
        "      {sum(Revenue, Region=Eurpe)} in all.\n"
        "    steps:\n"
        '      - chart: {kind: column, x: Region, y: Revenue, title: "Leader {Region.tpo}"}\n'
    )
    with pytest.raises(SpecError) as error:
        build(load(spec))
    assert str(error.value).startswith(
        f"{spec}:8:77: slide 1, step 1, chart title: after 'Region'. comes one of top"
    )
    spec.write_text(spec.read_text().replace("tpo", "top"))
    with pytest.raises(SpecError) as error:
        build(load(spec))
    assert str(error.value).startswith(
        f"{spec}:6:7: slide 1, notes: {{sum(Revenue, Region=Eurpe)}}: the filter keeps 'Region' == 'Eurpe', "
        "which never occurs (did you mean 'Europe'?)"
    )


def test_a_charts_subtitle_is_a_template_too():
    step = presets.chart(
        kind="column", x="Region", y="Revenue", subtitle="{count(Country)} countries"
    )
    document = sales_story(slides=[Slide(step)]).to_dict()
    assert document["slides"][0]["steps"][0]["config"]["subtitle"] == "12 countries"
    assert document["slides"][0]["steps"][0]["text"]["subtitle"][0]["value"] == 12
