"""Dashboard slides in the HTML player: every chart drawn, stepping together, filtering each other."""

import io
import json
import time

import numpy as np
import pyarrow as pa
import pyarrow.compute
import pytest
from PIL import Image

from ipyreport import Dashboard, Slide, Story, encode, presets, samples
from ipyreport.formats import Format, format_number, resolve_number

from .pages import PLAIN, open_story, panel, tallest_mark, wait_idle, wait_ready

SALES = encode(samples.sales())


def regions(**options):
    return presets.chart(kind="column", x="Region", y="Revenue", title="Regions", **options)


def trend(**options):
    return presets.chart(kind="line", x="Month", y="Revenue", title="Trend", **options)


def products(**options):
    return presets.chart(kind="column", x="Product", y="Units", title="Products", **options)


def board_story(first=None, third=None):
    """Slide 1 on the main chart, the dashboard as slide 2, a two-step dashboard as slide 3."""
    return Story(
        SALES,
        title="Sales",
        slides=[
            Slide(presets.chart(kind="pie", x="Channel", y="Revenue"), title="Channels"),
            Dashboard(
                first or trend(),
                regions(),
                third or products(),
                title="Overview",
                cross_filter=["Region", "Product"],
            ),
            Dashboard(
                [regions(), presets.chart(kind="pie", x="Region", y="Revenue")],
                products(),
                title="Two steps",
            ),
        ],
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dashboard")
    live = board_story().save_html(folder / "board.html")
    # The same dashboard with the other two charts filtered to the Americas from the start.
    americas = {"Region": ["Americas"]}
    reference = board_story(trend(filter=americas), products(filter=americas)).save_html(
        folder / "americas.html"
    )
    return live, reference


def panels(page):
    return [
        panel(page, n)
        for n in range(page.locator(".ipyreport-board:not([hidden]) .ipyreport-panel").count())
    ]


def looks_drawn(picture):
    """Whether a chart's picture has its text and axes and its marks (a line, columns) drawn."""
    ink = (np.abs(picture - picture[0, 0]).sum(axis=2) > 30).mean()
    marks = (np.abs(picture - PLAIN) < 10).all(axis=2).mean()
    return ink > 0.015 and marks > 0.002


def differs(a, b):
    """The share of pixels that differ visibly between two pictures."""
    return float((np.abs(a - b).sum(axis=2) > 30).mean())


def state(page):
    return page.evaluate(
        """() => { const root = document.getElementById("ipyreport");
        return { slide: Number(root.dataset.slide), step: Number(root.dataset.step),
                 title: root.querySelector(".ipyreport-title").textContent,
                 alt: root.querySelector(".ipyreport-alt").textContent,
                 filter: Object.keys(root.ipyreport.selection).length ? JSON.stringify(root.ipyreport.selection) : "",
                 status: root.querySelector(".ipyreport-board:not([hidden]) .ipyreport-filter-status")?.textContent ?? "",
                 labels: [...root.querySelectorAll(".ipyreport-board:not([hidden]) .ipyreport-panel")]
                   .map((p) => p.getAttribute("aria-label")),
                 mainVisible: getComputedStyle(root.querySelector(".ipyreport-chart")).visibility === "visible" }; }"""
    )


def open_dashboard(open_file, path, **options):
    """The story opened at its dashboard (slide 2), drawn, with the mouse out of the way."""
    watch, page = open_story(open_file, path, **options)
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.mouse.move(1, 1)
    return watch, page


def click_and_settle(page, x, y):
    page.mouse.click(x, y)
    page.mouse.move(1, 1)  # away from the marks, so no tooltip stays in the picture
    wait_idle(page)
    page.wait_for_timeout(300)  # the tooltip fades out


def test_a_dashboard_draws_every_chart_offline_with_its_text(open_file, files):
    # Three charts in two columns: the first across the top, two below.
    live, _ = files
    watch, page = open_dashboard(open_file, live)
    shown = state(page)
    assert (shown["slide"], shown["step"], shown["title"]) == (2, 1, "Overview")
    assert not shown["mainVisible"]
    document = json.loads(board_story().to_json())
    frame = document["slides"][1]["steps"][0]
    assert shown["alt"] == frame["alt"]
    assert shown["labels"] == frame["alts"]
    pictures = panels(page)
    assert len(pictures) == 3
    boxes = [
        page.locator(".ipyreport-board:not([hidden]) .ipyreport-panel").nth(n).bounding_box()
        for n in range(3)
    ]
    assert boxes[0]["width"] > 1.9 * boxes[1]["width"]
    assert boxes[1]["y"] == boxes[2]["y"] > boxes[0]["y"] + boxes[0]["height"] - 1
    for number, picture in enumerate(pictures, start=1):
        assert looks_drawn(picture), f"chart {number} looks blank"
    # different charts, not one drawn again
    assert differs(pictures[1], pictures[2]) > 0.02
    assert watch.network_requests() == []
    assert watch.errors == []


def test_clicking_a_mark_filters_the_other_charts_to_it(open_file, files):
    live, reference = files
    watch, page = open_dashboard(open_file, live, reduced_motion="reduce")
    before = panels(page)
    click_and_settle(page, *tallest_mark(page, 1))
    shown = state(page)
    assert shown["filter"] == '{"Region":"Americas"}'
    assert (
        shown["status"]
        == "Filtered to Region = Americas. Press Escape or Clear to show everything."
    )
    after = panels(page)
    # The other two charts now look exactly like the same charts filtered to the Americas.
    check, check_page = open_dashboard(open_file, reference, reduced_motion="reduce")
    expected = panels(check_page)
    for number in (0, 2):
        assert differs(after[number], before[number]) > 0.005, f"chart {number + 1} did not change"
        assert differs(after[number], expected[number]) < 0.002, (
            f"chart {number + 1} is not the filtered chart"
        )
    # The clicked chart keeps every region, so the viewer can pick another; the
    # picked one stays in full colour and the others fade.
    full = (np.abs(after[1] - PLAIN) < 25).all(axis=2).mean()
    assert 0.2 < full / (np.abs(before[1] - PLAIN) < 25).all(axis=2).mean() < 0.6
    faded = PLAIN * 0.3 + 255 * 0.7
    was_faded = (np.abs(before[1] - faded) < 12).all(axis=2).mean()  # edges, antialiased
    assert (np.abs(after[1] - faded) < 12).all(axis=2).mean() > max(0.02, 5 * was_faded)
    # The filter belongs to the dashboard: it is still there after a visit to another slide.
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    assert state(page)["filter"] == ""
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.mouse.move(1, 1)
    assert state(page)["filter"] == '{"Region":"Americas"}'
    # A second click on the same mark shows everything again.
    click_and_settle(page, *tallest_mark(page, 1))
    assert state(page)["filter"] == ""
    again = panels(page)
    for number in (0, 2):
        assert differs(again[number], before[number]) < 0.002
    assert watch.errors == []
    assert check.errors == []
    assert watch.network_requests() == []


def test_a_selection_a_host_makes_is_the_players_state_and_on_screen_when_select_resolves(
    open_file, files
):
    live, reference = files
    # Motion on: the charts take half a second to filter, and `select` waits for them.
    watch, page = open_dashboard(open_file, live, reduced_motion="no-preference")
    before = panels(page)
    seen = page.evaluate(
        """async () => {
            const root = document.getElementById("ipyreport");
            const api = root.ipyreport;
            const changes = [];
            const stop = api.subscribe((state, previous) => {
                if (state.selections !== previous.selections) changes.push(state.selections[1]);
            });
            await api.select({ Region: "Americas" });
            stop();
            const board = root.querySelector(".ipyreport-board:not([hidden])");
            return {
                changes,
                selection: api.state.selections[1],
                filtering: api.state.filtering,
                list: board.querySelector("select[name=Region]").value,
                clearable: !board.querySelector(".ipyreport-clear-filter").disabled,
                status: board.querySelector(".ipyreport-filter-status").textContent,
            };
        }"""
    )
    picked = {"from": -1, "where": {"Region": "Americas"}}
    assert seen == {
        "changes": [picked],
        "selection": picked,
        "filtering": 0,
        "list": "Americas",
        "clearable": True,
        "status": "Filtered to Region = Americas. Press Escape or Clear to show everything.",
    }
    after = panels(page)
    check, check_page = open_dashboard(open_file, reference, reduced_motion="reduce")
    expected = panels(check_page)
    for number in (0, 2):
        assert differs(after[number], before[number]) > 0.005, f"chart {number + 1} did not change"
        assert differs(after[number], expected[number]) < 0.002, (
            f"chart {number + 1} is not the filtered chart"
        )
    # Clear is the same action with no selection: everything shows again.
    page.click(".ipyreport-board:not([hidden]) .ipyreport-clear-filter")
    wait_idle(page)
    assert (
        page.evaluate("() => document.getElementById('ipyreport').ipyreport.state.selections[1]")
        is None
    )
    assert state(page)["status"] == ""
    for number in (0, 2):
        assert differs(panels(page)[number], before[number]) < 0.002
    assert watch.errors == []
    assert check.errors == []


def test_a_keyboard_user_filters_from_the_list_and_escape_clears(open_file, files):
    live, _ = files
    watch, page = open_dashboard(open_file, live, reduced_motion="reduce")
    before = panels(page)
    page.focus(".ipyreport-board:not([hidden]) select[name=Product]")
    page.select_option(".ipyreport-board:not([hidden]) select[name=Product]", "Phones")
    wait_idle(page)
    assert state(page)["filter"] == '{"Product":"Phones"}'
    page.keyboard.press("ArrowDown")  # inside the list, arrows pick the next product, not a slide
    wait_idle(page)
    shown = state(page)
    assert (shown["slide"], shown["filter"]) == (2, '{"Product":"Tablets"}')
    assert shown["status"].startswith("Filtered to Product = Tablets.")
    filtered = panels(page)
    assert all(differs(a, b) > 0.005 for a, b in zip(before, filtered, strict=True))
    # The chart drawn by Product highlights Tablets, as if it had been clicked; the others filter.
    faded = PLAIN * 0.3 + 255 * 0.7
    assert (np.abs(filtered[2] - faded) < 12).all(axis=2).mean() > 0.02
    assert (np.abs(filtered[2] - PLAIN) < 25).all(axis=2).mean() > 0.005
    page.keyboard.press("Escape")
    wait_idle(page)
    assert state(page)["filter"] == ""
    assert (
        page.eval_on_selector(".ipyreport-board:not([hidden]) select[name=Product]", "s => s.value")
        == ""
    )
    assert all(differs(a, b) < 0.002 for a, b in zip(before, panels(page), strict=True))
    assert watch.errors == []


def test_charts_step_together_and_a_finished_chart_holds(open_file, files):
    live, _ = files
    watch, page = open_story(open_file, live, reduced_motion="reduce")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    page.mouse.move(1, 1)
    assert (state(page)["slide"], state(page)["step"]) == (3, 1)
    first = panels(page)
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert (state(page)["slide"], state(page)["step"]) == (3, 2)
    second = panels(page)
    assert differs(first[0], second[0]) > 0.05  # columns became a pie
    assert differs(first[1], second[1]) < 0.002  # the chart without a second step holds
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    assert differs(first[0], panels(page)[0]) < 0.002
    assert watch.errors == []


def test_the_main_chart_comes_back_as_it_was_after_a_dashboard(open_file, files):
    live, _ = files
    watch, page = open_story(open_file, live, reduced_motion="reduce")
    chart = page.locator(".ipyreport-chart")
    start = np.asarray(Image.open(io.BytesIO(chart.screenshot())).convert("RGB")).astype(int)
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    shown = state(page)
    assert (shown["slide"], shown["title"], shown["mainVisible"]) == (1, "Channels", True)
    back = np.asarray(Image.open(io.BytesIO(chart.screenshot())).convert("RGB")).astype(int)
    assert differs(start, back) < 0.002
    assert watch.errors == []


def test_the_data_table_shows_one_table_per_chart(open_file, files):
    live, _ = files
    watch, page = open_dashboard(open_file, live, reduced_motion="reduce")
    page.keyboard.press("t")
    captions = page.eval_on_selector_all(
        ".ipyreport-tables table caption", "cs => cs.map((c) => c.textContent)"
    )
    assert captions == ["Data behind Trend", "Data behind Regions", "Data behind Products"]
    rows = page.eval_on_selector_all(
        ".ipyreport-tables table:nth-child(2) tbody th", "cs => cs.map((c) => c.textContent)"
    )
    assert rows == ["Americas", "Europe", "Asia Pacific", "Africa"]
    assert watch.errors == []


def test_on_a_narrow_screen_the_charts_stack(browser, files):
    live, _ = files
    page = browser.new_context(
        viewport={"width": 420, "height": 900}, reduced_motion="reduce"
    ).new_page()
    page.goto(live.resolve().as_uri() + "#2")
    wait_ready(page)
    boxes = [
        page.locator(".ipyreport-board:not([hidden]) .ipyreport-panel").nth(n).bounding_box()
        for n in range(3)
    ]
    assert len({round(box["x"]) for box in boxes}) == 1
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
    assert all(box["width"] > 300 for box in boxes)
    page.close()


def test_fast_key_presses_through_dashboards_land_on_the_right_step(open_file, files):
    live, _ = files
    watch, page = open_story(open_file, live)
    for _ in range(3):
        page.keyboard.press("ArrowRight")  # into the dashboard, on to the next one, its step 2
    wait_idle(page)
    assert (state(page)["slide"], state(page)["step"]) == (3, 2)
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    shown = state(page)
    assert (shown["slide"], shown["title"]) == (2, "Overview")
    page.mouse.move(1, 1)
    assert all(looks_drawn(picture) for picture in panels(page))
    assert watch.errors == []


def test_the_presenter_view_names_a_dashboard_next_instead_of_previewing_it(open_file, files):
    live, _ = files
    watch, page = open_story(open_file, live, reduced_motion="reduce")
    with page.context.expect_page() as opened:
        page.keyboard.press("s")
    presenter = opened.value
    wait_idle(page)
    next_step = "() => [document.querySelector('.next').textContent, document.querySelector('canvas').hidden]"
    deadline = time.monotonic() + 5
    while presenter.evaluate(next_step)[0] == "" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert presenter.evaluate(next_step) == ["Next: Overview (dashboard)", True]
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # on the last dashboard's first step
    wait_idle(page)
    deadline = time.monotonic() + 5
    while "Two steps" not in presenter.evaluate(next_step)[0] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert presenter.evaluate(next_step)[0] == "Next: Two steps (next step)"
    assert watch.errors == []


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_tables_and_descriptions_follow_the_cross_filter(open_file, files, motion):
    live, _ = files
    watch, page = open_dashboard(open_file, live, reduced_motion=motion)
    click_and_settle(page, *tallest_mark(page, 1))
    page.keyboard.press("t")
    tables = page.evaluate(
        """() => [...document.querySelectorAll(".ipyreport-tables table")].map((t) => ({
            caption: t.querySelector("caption").textContent,
            rows: [...t.querySelectorAll("tbody tr")].map((tr) => [...tr.children].map((c) => c.textContent)),
        }))"""
    )
    assert [table["caption"] for table in tables] == [
        "Data behind Trend, filtered to Region = Americas",
        "Data behind Regions",
        "Data behind Products, filtered to Region = Americas",
    ]
    # The filtered numbers are the source rows' own, filtered and summed.
    rows = samples.sales()
    americas = rows.filter(pa.compute.equal(rows["Region"], "Americas"))
    units = americas.group_by("Product").aggregate([("Units", "sum")])
    want = dict(zip(units["Product"].to_pylist(), units["Units_sum"].to_pylist(), strict=True))
    shown = dict(tables[2]["rows"])
    plain = resolve_number(Format(), "en")
    assert shown == {product: format_number(value, plain) for product, value in want.items()}
    months = americas.group_by("Month").aggregate([("Revenue", "sum")])
    assert len(tables[0]["rows"]) == months.num_rows  # every month the Americas sold in
    labels = state(page)["labels"]
    assert labels[2].startswith(
        "Products, filtered to Region = Americas. Highest Units: Accessories "
    )
    assert not labels[1].startswith("Regions, filtered")
    # Cleared, the tables are the story's own again.
    page.keyboard.press("Escape")
    wait_idle(page)
    captions = page.eval_on_selector_all(
        ".ipyreport-tables table caption", "cs => cs.map((c) => c.textContent)"
    )
    assert captions == ["Data behind Trend", "Data behind Regions", "Data behind Products"]
    assert watch.errors == []


def test_a_filtered_chart_is_described_by_every_mark_it_draws_not_the_first_100(
    open_file, tmp_path
):
    # 150 marks stay after the click; the highest are past the 100 rows a table shows.
    data = {
        "k": [f"k{i:03d}" for i in range(200)],
        "g": ["a"] * 150 + ["b"] * 50,
        "v": [float(i) for i in range(200)],
    }
    story = Story(
        data,
        slides=[
            Slide(presets.chart(kind="column", x="g", y="v"), title="Start"),
            Dashboard(
                presets.chart(kind="column", x="k", y="v", title="Each", label=False),
                presets.chart(kind="column", x="g", y="v", title="Groups"),
                title="Board",
                cross_filter=["g"],
            ),
        ],
    )
    watch, page = open_dashboard(open_file, story.save_html(tmp_path / "many.html"))
    page.evaluate("""() => document.getElementById("ipyreport").ipyreport.select({g: "a"})""")
    wait_idle(page)
    assert state(page)["labels"][0] == (
        "Each, filtered to g = a. Highest v: k149 149, k148 148, k147 147."
    )
    caption = page.eval_on_selector(".ipyreport-tables table caption", "c => c.textContent")
    assert caption == "Data behind Each, filtered to g = a (first 100 of 150 rows)"
    assert (
        page.eval_on_selector_all(".ipyreport-tables table:first-child tbody tr", "r => r.length")
        == 100
    )
    assert watch.errors == []


def test_a_filtered_chart_without_values_says_so_in_the_storys_words(open_file, tmp_path):
    data = {"k": ["k1", "k2", "k3"], "g": ["a", "b", "b"], "v": [1.0, None, None]}
    story = Story(
        data,
        slides=[
            Slide(presets.chart(kind="column", x="g", y="v"), title="Start"),
            Dashboard(
                presets.chart(kind="column", x="k", y="v", title="Each"),
                presets.chart(kind="column", x="g", y="count(k)", title="Groups"),
                title="Board",
                cross_filter=["g"],
            ),
        ],
    )
    watch, page = open_dashboard(open_file, story.save_html(tmp_path / "none.html"))
    page.evaluate("""() => document.getElementById("ipyreport").ipyreport.select({g: "b"})""")
    wait_idle(page)
    # words/en.json's sentence, as the captions Python writes say it.
    assert state(page)["labels"][0] == "Each, filtered to g = b. No values are shown here."
    assert watch.errors == []


def test_a_chart_coloured_by_its_axis_categories_has_no_key_that_repeats_them(open_file, tmp_path):
    # Regions coloured by region: the axis names them, a key above would say it twice.
    # Columns of regions coloured by product keep theirs: there colour says something new.
    story = Story(
        SALES,
        slides=[
            Dashboard(
                presets.chart(kind="column", x="Region", y="Revenue", color="Region"),
                presets.chart(kind="bar", x="Product", y="Units", color="Product"),
                presets.chart(kind="stacked_column", x="Region", y="Revenue", color="Product"),
                title="Coloured",
                cross_filter=["Region", "Product"],
            )
        ],
    )
    watch, page = open_story(
        open_file, story.save_html(tmp_path / "coloured.html"), size=(1280, 720)
    )
    page.mouse.move(1, 1)
    # What each of the dashboard's charts drew (after the main chart, hidden under it).
    drawn = page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()")[-3:]
    keys = [
        sorted(label["text"] for label in chart if label["group"] == "legend") for chart in drawn
    ]
    assert keys == [[], [], sorted(["Laptops", "Phones", "Tablets", "Accessories"])]
    axes = [
        sorted(label["text"] for label in chart if label["group"] in ("axis-x", "axis-y"))
        for chart in drawn
    ]
    assert {"Americas", "Europe", "Asia Pacific", "Africa"} <= set(axes[0])
    assert {"Laptops", "Phones", "Tablets", "Accessories"} <= set(axes[1])
    # The marks keep their colours (the other charts' keys use them): none is drawn plain.
    for number in (0, 1):
        picture = panel(page, number)
        coloured = (picture.max(axis=2) - picture.min(axis=2) > 80).mean()
        plain = (np.abs(picture - PLAIN) < 10).all(axis=2).mean()
        assert coloured > 0.05, f"chart {number + 1}"
        assert plain < 0.001, f"chart {number + 1}"
    # A click on a region still filters the charts by it.
    click_and_settle(page, *tallest_mark_coloured(page, 0))
    assert state(page)["filter"] == '{"Region":"Americas"}'
    assert watch.errors == []


def tallest_mark_coloured(page, number):
    """Page coordinates of the middle of the tallest coloured column in a dashboard chart."""
    chart = page.locator(".ipyreport-board:not([hidden]) .ipyreport-panel").nth(number)
    box = chart.bounding_box()
    picture = panel(page, number)
    mark = picture.max(axis=2) - picture.min(axis=2) > 80
    heights = mark.sum(axis=0)
    column = int(np.median(np.nonzero(heights == heights.max())[0]))
    rows = np.nonzero(mark[:, column])[0]
    scale = box["width"] / picture.shape[1]
    return box["x"] + column * scale, box["y"] + float(np.median(rows)) * scale


@pytest.mark.parametrize("size", [(390, 844), (1280, 720)])
def test_the_engines_logo_sits_under_the_last_charts_labels_not_beside_them(browser, files, size):
    live, _ = files
    page = browser.new_context(
        viewport={"width": size[0], "height": size[1]}, reduced_motion="reduce"
    ).new_page()
    page.goto(live.resolve().as_uri() + "#3")  # regions and products, both in columns
    wait_ready(page)
    page.mouse.move(1, 1)
    drawn = page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()")[-1]
    names = [label for label in drawn if label["group"] == "axis-x"]
    assert sorted(label["text"] for label in names) == [
        "Accessories",
        "Laptops",
        "Phones",
        "Tablets",
    ]
    picture = panel(page, 1)
    # The logo: the ink in the chart's bottom right corner, right of every label.
    right = max(label["box"][2] for label in names)
    corner = picture[-40:, round(right) + 2 :]
    rows = np.nonzero((np.abs(corner - picture[0, 0]).sum(axis=2) > 30).any(axis=1))[0]
    assert rows.size, "no logo drawn"
    top = picture.shape[0] - 40 + int(rows.min())
    assert top > max(label["box"][3] for label in names) + 2
    page.close()
