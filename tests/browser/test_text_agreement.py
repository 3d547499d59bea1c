"""A dashboard's words follow a click. The player reads every text expression as the
story did: that is held on random cases by the conformance fixtures
(``tests/conformance/texts.json``, ``tests/unit/test_conformance.py``)."""

from __future__ import annotations

import pyarrow as pa

from ipyreport import Slide, Story, presets


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
