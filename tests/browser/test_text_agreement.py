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
            presets.chart(kind="line", x="Month", y="Revenue", title="Revenue {sum(Revenue)}"),
            presets.chart(kind="bar", x="Region", y="Revenue"),
            title="{count(Country)} countries",
            notes="{Product.top(Units)} sells {sum(Units, Product=Product.top(Units))} units",
            cross_filter=["Region"],
        )

    story = Story(
        sales,
        formats={"Revenue": "$"},
        slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue")), board()],
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


def test_the_chart_titles_the_player_shows_are_the_ones_every_other_output_reads(
    open_file, tmp_path
):
    from ipyreport import Dashboard, Step, samples
    from ipyreport.document import chart_titles

    from .pages import open_story, wait_idle

    story = Story(
        samples.sales(),
        slides=[
            Slide(
                presets.chart(kind="column", x="Region", y="Revenue", title="Revenue by region"),
                Step(config={"y": "Units"}),  # sets no title: the last one stays
                Step(config={"title": ""}),  # an empty title clears it
            ),
            Dashboard(
                presets.chart(kind="bar", x="Product", y="Units", title="Units by product"),
                presets.chart(kind="column", x="Region", y="Revenue", title="Revenue by region"),
            ),
        ],
    )
    document = story.to_dict()
    expected = [[title] for title in chart_titles(document["slides"][0])]
    board = document["slides"][1]
    expected.append([chart_titles(board, c)[0] for c in range(len(board["steps"][0]["charts"]))])
    watch, page = open_story(open_file, story.save_html(tmp_path / "titles.html"))
    shown = []
    for row in expected:
        wait_idle(page)
        titles = page.evaluate("() => document.getElementById('ipyreport').ipyreport.titles()")
        # The charts in view come last (under a dashboard, the hidden main chart is first).
        shown.append([title or None for title in titles[-len(row) :]])
        page.keyboard.press("ArrowRight")
    assert (
        shown
        == expected
        == [
            ["Revenue by region"],
            ["Revenue by region"],
            [None],
            ["Units by product", "Revenue by region"],
        ]
    )
    assert watch.errors == []
