"""The player reads a text's expressions as the story did: ``evaluateText`` (static/steps.js)
against ``ipyreport._expressions`` on random data, filters and expressions."""

from __future__ import annotations

import json

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipyreport import Slide, Story, presets

LABELS = ["North", "South", 'Q"uote', "<b>ü</b>", "\u05e2\u05d1"]
TEAMS = ["a", "b", "c"]
MONTHS = ["2021-01-01", "2021-02-01", "2021-03-01", "2021-04-01"]

READ = """({ document, parts, filter }) => {
  const data = window.steps.prepareData(document.datasets.main);
  return window.steps.evaluateText(parts, data, {
    filter,
    shownAs: window.steps.display(document),
    isolateText: (text) => (/[\\u0590-\\u08ff]/.test(text) ? `\\u2068${text}\\u2069` : text),
  });
}"""


def quote(label: str) -> str:
    return '"' + label + '"' if '"' not in label else "'" + label + "'"


@st.composite
def stories(draw):
    rows = draw(st.integers(min_value=1, max_value=40))
    region = draw(st.lists(st.sampled_from(LABELS), min_size=rows, max_size=rows))
    team = draw(st.lists(st.sampled_from(TEAMS), min_size=rows, max_size=rows))
    month = draw(st.lists(st.sampled_from(MONTHS), min_size=rows, max_size=rows))
    sales = draw(
        st.lists(
            st.one_of(
                st.none(),
                st.floats(-1e7, 1e7, allow_nan=False),
                st.integers(-1000, 10**6).map(float),
            ),
            min_size=rows,
            max_size=rows,
        )
    )
    units = draw(st.lists(st.integers(0, 10**9), min_size=rows, max_size=rows))
    data = pa.table(
        {
            "Region": region,
            "Team": team,
            "Month": month,
            "Sales": pa.array(sales, pa.float64()),
            "Units": pa.array(units, pa.int64()),
        }
    )
    picked = quote(draw(st.sampled_from(region)))
    expressions = [
        "{sum(Sales)}",
        "{mean(Sales) | pct:+}",
        "{min(Sales)} {max(Units) | $:0}",
        "{count(Region)} {count(Sales)}",
        f"{{sum(Sales, Region={picked})}}",
        f"{{share(Units, Region={picked})}}",
        "{Region.top} {Region.bottom} {Team.first} {Team.last}",
        "{Team.top(mean(Sales))} {Month.top(Units)}",
        "{change(Sales, Month)} {change(Units, Month) | pct:0}",
        "{sum(Units, Team=Team.top(Units), Region=Region.bottom)}",
    ]
    chosen = draw(st.lists(st.sampled_from(expressions), min_size=1, max_size=4))
    step_filter = draw(st.sampled_from([None, {"Team": [team[0]]}, {"Units": [0, 5 * 10**8]}]))
    fmt = draw(st.sampled_from([{}, {"Sales": "$"}, {"Sales": "€", "Units": "units"}]))
    lang = draw(st.sampled_from(["en", "de", "fr"]))
    return data, " · ".join(chosen), step_filter, fmt, lang


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=stories())
def test_the_player_reads_every_expression_as_the_story_did(vizzu, case):
    data, template, step_filter, fmt, lang = case
    step = presets.chart("column", x="Region", y="Sales", filter=step_filter)
    story = Story(data, formats=fmt, lang=lang, compact=False, slides=[Slide(step, notes=template)])
    document = json.loads(story.to_json())
    slide = document["slides"][0]
    got = vizzu.page.evaluate(
        READ,
        {
            "document": document,
            "parts": slide["text"]["notes"],
            "filter": slide["steps"][0].get("filter"),
        },
    )
    assert got == slide["notes"]


def test_a_dashboards_words_follow_a_click_and_the_info_panel_shows_their_queries(
    open_file, tmp_path
):
    from ipyreport import Dashboard, samples

    from .pages import open_story, wait_idle

    sales = samples.sales()

    def board():
        return Dashboard(
            presets.chart("line", x="Month", y="Revenue", title="Revenue {sum(Revenue)}"),
            presets.chart("bar", x="Revenue", y="Region"),
            title="{count(Country)} countries",
            notes="{Product.top(Units)} sells {sum(Units, Product=Product.top(Units))} units",
            cross_filter=["Region"],
        )

    story = Story(
        sales,
        formats={"Revenue": "$"},
        slides=[Slide(presets.chart("column", x="Region", y="Revenue")), board()],
    )
    path = story.save_html(tmp_path / "words.html")
    europe = sales.filter(pa.compute.equal(sales["Region"], "Europe"))
    expected = Story(europe, formats={"Revenue": "$"}, slides=[board()]).to_dict()["slides"][0]
    whole = story.to_dict()["slides"][1]
    assert expected["title"] != whole["title"]
    assert expected["notes"] != whole["notes"]

    watch, page = open_story(open_file, path, size=(1280, 720))
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert page.locator(".ipyreport-title").text_content() == whole["title"]
    page.select_option("select[name=Region]", "Europe")
    wait_idle(page)
    assert page.locator(".ipyreport-title").text_content() == expected["title"]
    assert page.locator(".ipyreport-notes").text_content() == expected["notes"]
    titles = page.evaluate("() => document.getElementById('ipyreport').ipyreport.titles()")
    assert whole["steps"][0]["charts"][0]["config"]["title"] not in titles
    assert (
        expected["steps"][0]["charts"][0]["config"]["title"] in titles
    )  # the line chart, filtered
    page.keyboard.press("Escape")
    wait_idle(page)
    assert page.locator(".ipyreport-title").text_content() == whole["title"]
    page.keyboard.press("i")
    trace = page.locator(".ipyreport-trace").text_content()
    assert "{count(Country)} = 12" in trace
    assert 'SELECT DISTINCT "Country" FROM data' in trace
    assert watch.network_requests() == []
    assert watch.errors == []
