"""Part-to-whole charts and the other kinds as a graphics desk draws them, read from
what the chart writes on its canvas: a 100% chart in shares, a marimekko with gaps
and no labels on its slivers, a nested and valued treemap, a stream with no value
axis, a scatter that names its outliers."""

import re
from dataclasses import replace

import pyarrow as pa
import pytest

from ipyreport import Slide, Story, presets, samples
from tests.corpus import CASES, source

from .pages import RECORD_TEXTS, drawn_at_rest, go_to, wait_idle, wait_ready

SALES = samples.sales()
SHARE = re.compile(r"^\d{1,3}\.\d%$")


def _sums(table, *keys):
    """Revenue summed by ``keys``: {(key values...): total}."""
    grouped = table.group_by(list(keys)).aggregate([("Revenue", "sum")]).to_pylist()
    return {tuple(row[key] for key in keys): row["Revenue_sum"] for row in grouped}


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    # One product a sliver in every region: 0.4% of its revenue.
    mix = pa.table(
        {
            "Region": [
                "North",
                "North",
                "North",
                "South",
                "South",
                "South",
                "East",
                "East",
                "East",
            ],
            "Product": ["Big", "Mid", "Tiny"] * 3,
            "Revenue": [600.0, 396.0, 4.0, 300.0, 198.0, 2.0, 900.0, 594.0, 6.0],
        }
    )
    story = Story(
        SALES,
        formats={"Revenue": "$", "Profit": "$"},
        tables={"mix": mix},
        slides=[
            Slide(
                presets.chart(kind="percentage_column", x="Region", y="Revenue", color="Product")
            ),
            Slide(presets.chart(kind="percentage_bar", x="Region", y="Revenue", color="Product")),
            Slide(
                replace(
                    presets.chart(
                        kind="marimekko", x="Region", y="Revenue", color="Product", size="Revenue"
                    ),
                    data="mix",
                )
            ),
            Slide(presets.chart(kind="treemap", x="Region", y="Revenue", color="Product")),
            Slide(presets.chart(kind="stream", x="Month", y="Revenue", color="Region")),
            Slide(
                presets.chart(
                    kind="scatter", x="Revenue", y="Profit", color="Product", by="Country"
                )
            ),
            Slide(presets.chart(kind="pie", x="Region", y="Revenue")),
            Slide(replace(presets.chart(kind="pie", x="Product", y="Revenue"), data="mix")),
        ],
    )
    path = story.save_html(tmp_path_factory.mktemp("parts") / "parts.html")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.add_init_script(RECORD_TEXTS)
    page.goto(f"{path.resolve().as_uri()}#1.1")
    wait_ready(page)
    yield page
    assert page.errors == []
    context.close()


def at_rest(page, slide):
    """What slide ``slide`` draws at rest: (every text on the canvas, the labels by group)."""
    go_to(page, slide)
    texts = drawn_at_rest(page)
    wait_idle(page)
    drawn = page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()")[0]
    groups = {}
    for label in drawn:
        groups.setdefault(label["group"], []).append(label)
    return texts, groups


def test_a_100_percent_chart_labels_each_mark_with_its_share_and_titles_its_axis_share(page):
    texts, groups = at_rest(page, 1)
    labels = [label["text"] for label in groups["marker"]]
    assert len(labels) == 16
    assert all(SHARE.match(text) for text in labels), labels
    # Europe's laptops: their share of Europe's revenue, as the story writes a share.
    by_cell, by_region = _sums(SALES, "Region", "Product"), _sums(SALES, "Region")
    europe = by_cell[("Europe", "Laptops")] / by_region[("Europe",)]
    assert f"{europe * 100:.1f}%" in labels
    assert "Share of revenue" in texts
    assert "Revenue" not in texts
    assert not any(text.startswith("$") for text in texts)

    texts, groups = at_rest(page, 2)  # the bars lie along x: so does the share
    assert all(SHARE.match(label["text"]) for label in groups["marker"])
    assert "Share of revenue" in texts


def test_a_marimekko_leaves_gaps_between_its_columns_and_no_label_on_a_sliver(page):
    texts, groups = at_rest(page, 3)
    labels = sorted(label["text"] for label in groups["marker"])
    # Big is 60% and Mid 39.6% of every column; Tiny's 0.4% is too thin for a label.
    assert labels == ["39.6%"] * 3 + ["60.0%"] * 3
    assert "Share of revenue" in texts
    # Across the middle of the Big cells: three columns, with the background between them.
    big = [label for label in groups["marker"] if label["text"] == "60.0%"]
    row = round(max(label["box"][3] for label in big)) + 6
    runs = page.evaluate(
        """(row) => {
          const canvas = document.querySelector('#ipyreport canvas');
          const scale = canvas.width / canvas.clientWidth;
          const { data } = canvas.getContext('2d').getImageData(0, Math.round(row * scale), canvas.width, 1);
          const paper = (x) => data[4 * x] + data[4 * x + 1] + data[4 * x + 2] > 740;
          const runs = [];
          for (let x = 0; x < canvas.width; x += 1) {
            if (!paper(x) && (x === 0 || paper(x - 1))) runs.push([x, x]);
            if (!paper(x)) runs[runs.length - 1][1] = x;
          }
          return runs.filter(([start, end]) => end - start > 20 * scale).length;
        }""",
        row,
    )
    assert runs == 3


def test_a_treemap_nests_its_tiles_by_x_and_writes_their_values_with_a_legend(page):
    _, groups = at_rest(page, 4)
    labels = groups["marker"]
    regions = sorted(set(SALES["Region"].to_pylist()))
    values = _sums(SALES, "Region", "Product")
    written = {label["text"] for label in labels}
    assert f"Americas ${values[('Americas', 'Laptops')] / 1e6:.1f}M" in written
    assert all(
        re.fullmatch(r"(Africa|Americas|Asia Pacific|Europe) \$\d+\.\dM", t) for t in written
    )
    # Nested: the tiles of one region lie together, apart from every other region's.
    extents = {}
    for region in regions:
        boxes = [label["box"] for label in labels if label["text"].startswith(region + " ")]
        assert boxes, region
        middles = [((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in boxes]
        extents[region] = (
            min(x for x, _ in middles),
            min(y for _, y in middles),
            max(x for x, _ in middles),
            max(y for _, y in middles),
        )
    for one in regions:
        for other in regions:
            a, b = extents[one], extents[other]
            if one < other:
                assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1], (one, other)
    # The colours are the products: the legend names them.
    assert sorted(label["text"] for label in groups["legend"]) == sorted(
        set(SALES["Product"].to_pylist())
    )


def test_a_stream_draws_no_value_axis(page):
    texts, groups = at_rest(page, 5)
    assert "axis-y" not in groups
    assert not any(text.startswith(("$", "-$")) for text in texts)
    assert "Revenue" not in texts
    assert {"2021", "Africa", "Europe"} <= set(texts)  # the time axis and legend remain


def test_a_scatter_names_its_outliers_only(page, tmp_path):
    _, groups = at_rest(page, 6)
    names = [label["text"] for label in groups["marker"]]
    countries = set(SALES["Country"].to_pylist())
    assert 1 <= len(names) <= 5
    # Each point is a country and product, named by its country; two named points of one
    # country say their products too ("United States, Phones"), so no name repeats.
    parts = [name.split(", ") for name in names]
    assert {part[0] for part in parts} <= countries
    twice = {country for country in countries if sum(p[0] == country for p in parts) > 1}
    assert [
        name
        for name, part in zip(names, parts, strict=True)
        if (len(part) == 2) != (part[0] in twice)
    ] == []
    assert {part[1] for part in parts if len(part) == 2} <= set(SALES["Product"].to_pylist())
    assert len(set(names)) == len(names), names
    assert twice, names  # this sample's outliers hold one country twice
    # The point farthest out (the most revenue of any country and product) is named.
    cells = _sums(SALES, "Country", "Product")
    country, product = max(cells, key=cells.get)
    assert country in names or f"{country}, {product}" in names


def test_a_bubble_plot_names_no_point_hidden_under_another_bubble(open_file, tmp_path):
    """Gapminder's 2007 bubble plot: Nicaragua's point lies under China's bubble, and its
    name stood beside China as if it named that bubble (Comoros's did so over India's).
    A point under a disc drawn after it is not named; the bubbles over it are. Nor does a
    small point's name lie across a bubble ("Syria" over China's, "Korea, Dem. Rep." over
    India's), though a bubble's own name may lie over smaller ones."""
    # The corpus's own case: its bubble plot of 2007, by country.
    (case,) = [c for c in CASES if c.dataset == "gapminder" and c.preset == "bubble_plot"]
    data = source("gapminder", "eager", tmp_path)
    story = Story(data, slides=case.build(data))
    watch = open_file(story.save_html(tmp_path / "bubbles.html"))
    page = watch.page
    drawn_at_rest(page)
    wait_idle(page)
    drawn = page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()")[0]
    names = {label["text"] for label in drawn if label["group"] == "marker"}
    assert {"China", "Norway", "United States"} <= names
    assert not {"Nicaragua", "Comoros", "Syria", "Korea, Dem. Rep."} & names
    assert watch.errors == []


def test_on_a_phone_no_name_lies_across_a_bubble_bigger_than_its_point(open_file, tmp_path):
    """The same bubble plot on a phone's tall, narrow plot: the engine gives a bubble's box as
    a share of each side of the plot, and China's bubble, 62 px across, was taken for 25 px
    wide; "Mongolia", "Peru" and "Libya" were written across it, "Mongolia" read as the name
    of the largest bubble. A bubble's box is as wide as it is tall, and no small point's name
    lies across it."""
    (case,) = [c for c in CASES if c.dataset == "gapminder" and c.preset == "bubble_plot"]
    data = source("gapminder", "eager", tmp_path)
    story = Story(data, slides=case.build(data))
    watch = open_file(story.save_html(tmp_path / "bubbles.html"), size=(390, 844))
    page = watch.page
    drawn_at_rest(page)
    wait_idle(page)
    drawn = page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()")[0]
    names = {label["text"] for label in drawn if label["group"] == "marker"}
    assert {"Norway", "United States"} <= names
    assert not {"Mongolia", "Peru", "Libya"} & names
    assert watch.errors == []


def test_a_pie_labels_each_slice_with_its_share_of_the_circle_and_has_no_axis_title(page):
    texts, groups = at_rest(page, 7)
    labels = [label["text"] for label in groups["marker"]]
    assert len(labels) == 4
    assert all(SHARE.match(text) for text in labels), labels
    by_region, total = _sums(SALES, "Region"), SALES["Revenue"].to_pylist()
    americas = by_region[("Americas",)] / sum(total)
    assert f"{americas * 100:.1f}%" in labels
    assert "Revenue" not in texts
    assert not any(text.startswith("$") for text in texts), texts


def test_a_slice_too_thin_for_its_label_is_named_outside_the_pie_by_a_leader_line(page):
    texts, groups = at_rest(page, 8)
    labels = {label["text"]: label["box"] for label in groups["marker"]}
    # Tiny's 12 of the 3,000 dollars: 0.4%, named, as its colour is far from it.
    assert "Tiny 0.4%" in labels, sorted(labels)
    assert "Tiny 0.4%" in texts
    assert {"60.0%", "39.6%"} <= set(labels)  # the wide slices keep their share inside
    outside = labels["Tiny 0.4%"]
    for text, box in labels.items():
        overlap = (
            min(box[2], outside[2]) - max(box[0], outside[0]),
            min(box[3], outside[3]) - max(box[1], outside[1]),
        )
        assert text == "Tiny 0.4%" or min(overlap) <= 0, (text, box, outside)
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    left, top, right, bottom = outside
    assert min(left, top) >= 0, outside
    assert right <= width, outside
    assert bottom <= height, outside


def test_a_value_inside_its_tile_is_written_in_white(open_file, tmp_path):
    """A treemap's values stood in the theme's dark ink on a white halo, a sticker on every
    tile. Written inside its own tile a value is white, as every colour of the palette
    carries it (each at 3:1 or more against a white page), with a halo of the dark ink only
    where white reads under 4.5:1."""
    from .pages import drawn_boxes, recording_boxes

    treemap = presets.chart(kind="treemap", x="Region", y="Revenue", color="Product")
    story = Story(SALES, formats={"Revenue": "$"}, slides=[Slide(treemap)])
    watch = open_file(story.save_html(tmp_path / "tiles.html"), size=(1280, 720))
    page = recording_boxes(watch.page)
    canvas = drawn_boxes(page)[0]
    tiles = [shape["box"] for shape in canvas["shapes"] if shape["rectangle"]]
    value = re.compile(r"(Africa|Americas|Asia Pacific|Europe) \$\d+\.\dM")
    values = [text for text in canvas["texts"] if value.fullmatch(text["text"])]
    assert len(values) == len(_sums(SALES, "Region", "Product")) == 16
    for text in values:
        left, top, right, bottom = text["box"]
        assert any(
            tile[0] <= left and right <= tile[2] and tile[1] <= top and bottom <= tile[3]
            for tile in tiles
        ), text["text"]
        assert text["ink"] == "#ffffff", text["text"]
    assert watch.errors == []


def test_a_value_inside_a_dimmed_tile_keeps_the_pages_ink(open_file, tmp_path):
    """A highlight dims the marks it does not pick, and their tiles read as pale tints: white
    on them could not be read. Their values keep the page's ink on its halo; the values of
    the marks it picks are white."""
    from .pages import drawn_boxes, recording_boxes

    stacked = presets.chart(kind="stacked_column", x="Region", y="Revenue", color="Product")
    laptops = presets.highlight(where={"Product": "Laptops"})
    story = Story(SALES, formats={"Revenue": "$"}, slides=[Slide(stacked, laptops)])
    watch = open_file(story.save_html(tmp_path / "dimmed.html"), size=(1280, 720))
    page = recording_boxes(watch.page)
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    inks = {text["text"]: text["ink"] for text in drawn_boxes(page)[0]["texts"]}
    sums = _sums(SALES, "Region", "Product")
    said = {key: f"${value / 1e6:.1f}M" for key, value in sums.items()}
    picked = [said[key] for key in said if key[1] == "Laptops"]
    dimmed = [said[key] for key in said if key[1] != "Laptops" and said[key] in inks]
    assert [inks[text] for text in picked] == ["#ffffff"] * 4
    assert dimmed
    assert "#ffffff" not in {inks[text] for text in dimmed}
    assert watch.errors == []


@pytest.mark.parametrize("kind", ["column", "bar"])
def test_a_value_below_zero_stands_past_its_bars_end(open_file, tmp_path, kind):
    """The engine writes a value at its bar's top: below zero that is the zero line the bar
    hangs from, where each negative month's value stood in a row with its neighbours', on
    the positive side and away from its bar (us_employment's "-802"). It stands past its
    bar's own end: under a column, left of a bar."""
    from .pages import drawn_boxes, recording_boxes
    from .test_phone import marks_of

    change = {"Month": ["Jan", "Feb", "Mar", "Apr"], "Change": [3.0, -5.0, 4.0, -2.0]}
    story = Story(change, slides=[Slide(presets.chart(kind=kind, x="Month", y="Change"))])
    watch = open_file(story.save_html(tmp_path / "change.html"), size=(1280, 720))
    page = recording_boxes(watch.page)
    marks = marks_of(drawn_boxes(page)[0])
    labels = page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()[0]")
    values = {label["text"]: label["box"] for label in labels if label["group"] == "marker"}
    assert sorted(values) == ["-2", "-5", "3", "4"]
    along = 0 if kind == "column" else 1  # the axis the bars stand side by side along
    for text in ("-5", "-2"):
        left, top, right, bottom = values[text]
        middle = ((left + right) / 2, (top + bottom) / 2)[along]
        (bar,) = [box for box in marks if box[along] <= middle <= box[along + 2]]
        if kind == "column":
            assert top >= bar[3], text  # under the column's end
        else:
            assert right <= bar[0], text  # left of the bar's end
    assert watch.errors == []
