"""A slide as a graphics desk's page: the headline (the finding), the dek under it in lighter
type, the chart, then a quiet source line at its foot; none of them over the chart or the
controls, on a phone and on wide screens, light and dark."""

import pytest

from ipyreport import presets, samples
from ipyreport.export.html import PAGE_FONT
from ipyreport.story import Slide, Story

from .pages import RECORD_TEXTS, fonts_at_rest, wait_ready

SIZES = [(390, 844), (1280, 720), (1920, 1080)]


def story() -> Story:
    return Story(
        samples.sales(),
        title="Sales",
        formats={"Revenue": "$"},
        source="Company ledger, 2022 to 2024",
        slides=[
            Slide(
                presets.chart(kind="column", x="Region", y="Revenue", title="Revenue by region"),
                title="{Region.top} brings the most revenue",
                dek="{Region.top} sells {sum(Revenue, Region=Region.top)} of {sum(Revenue)}.",
            ),
            Slide(
                presets.chart(kind="bar", x="Channel", y="Revenue"),
                title="Channels",
                source="Channel reports",
            ),
        ],
    )


# Each part of the page as drawn: its box, its type, whether it shows.
_PAGE = """() => {
  const root = document.getElementById('ipyreport');
  const part = (name) => {
    const element = root.querySelector(name);
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return {
      text: element.textContent,
      shown: !element.hidden && style.display !== 'none' && style.visibility !== 'hidden' && box.height > 0,
      top: box.top, bottom: box.bottom, left: box.left, right: box.right,
      size: parseFloat(style.fontSize), weight: Number(style.fontWeight), family: style.fontFamily,
    };
  };
  return {
    title: part('.ipyreport-title'), dek: part('.ipyreport-dek'), source: part('.ipyreport-source'),
    chart: part('.ipyreport-chart'), controls: part('.ipyreport-controls'),
  };
}"""


def _open(open_file, tmp_path, size, scheme):
    path = story().save_html(tmp_path / "page.html")
    watch = open_file(path, reduced_motion="reduce", size=size, color_scheme=scheme)
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.reload()
    wait_ready(page)
    return watch, page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_headline_dek_chart_and_source_line_stack_without_overlapping(
    open_file, tmp_path, size, scheme
):
    watch, page = _open(open_file, tmp_path, size, scheme)
    drawn = page.evaluate(_PAGE)
    title, dek, source, chart, controls = (
        drawn[name] for name in ("title", "dek", "source", "chart", "controls")
    )
    data = samples.sales()
    totals = data.to_pandas().groupby("Region")["Revenue"].sum()
    top = totals.idxmax()
    assert title["text"] == f"{top} brings the most revenue"
    assert dek["text"].startswith(f"{top} sells $")
    assert source["text"] == "Source: Company ledger, 2022 to 2024"
    for name, part in (("dek", dek), ("source", source)):
        assert part["shown"], f"the {name} is not shown"
    # Stacked, top to bottom: headline, dek, chart, source line, controls.
    assert title["bottom"] <= dek["top"] + 0.5
    assert dek["bottom"] <= chart["top"] + 0.5
    assert chart["bottom"] <= source["top"] + 0.5
    assert source["bottom"] <= controls["top"] + 0.5
    assert source["bottom"] <= size[1]
    # The headline is loudest, the dek lighter and smaller in the same family, the source quietest.
    assert title["size"] > dek["size"] > source["size"]
    assert title["weight"] > dek["weight"]
    assert dek["family"] == title["family"] == source["family"]
    # The chart's own title is drawn smaller than the dek under the headline.
    chart_title = [px for text, px in fonts_at_rest(page) if text == "Revenue by region"]
    assert chart_title, "the chart's title was not drawn"
    assert max(chart_title) < dek["size"]
    # A slide's own source wins over the story's; a slide with no dek shows none.
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.ipyreport-title').textContent === 'Channels'"
    )
    again = page.evaluate(_PAGE)
    assert again["source"]["text"] == "Source: Channel reports"
    assert not again["dek"]["shown"]
    assert watch.errors == []


def test_the_article_puts_each_dek_under_its_heading_and_says_a_repeated_chart_title_once():
    page = story().to_html(layout="scroll")
    document = story().to_dict()
    headline, dek = document["slides"][0]["title"], document["slides"][0]["dek"]
    assert f'<h2>{headline}</h2><p class="ipyreport-dek">{dek.replace("$", "$")}</p>' in page
    # The chart's own title is kept under the dek: it does not repeat the headline.
    assert "<h3>Revenue by region</h3>" in page
    same = Story(
        samples.sales(),
        slides=[
            Slide(
                presets.chart(kind="column", x="Region", y="Revenue", title="By region"),
                title="By region",
            )
        ],
    ).to_html(layout="scroll")
    assert "<h2>By region</h2>" in same
    assert "<h3>By region</h3>" not in same


def test_the_pdf_prints_the_dek_under_the_headline_and_the_source_at_the_foot(tmp_path):
    from pypdf import PdfReader

    document = story().to_dict()
    path = story().save_pdf(tmp_path / "page.pdf")
    first, second = (" ".join(p.extract_text().split()) for p in PdfReader(path).pages[:2])
    headline, dek = document["slides"][0]["title"], document["slides"][0]["dek"]
    assert first.index(headline) < first.index(dek) < first.index("Source: Company ledger")
    assert "Source: Channel reports" in second


def test_a_powerpoint_slide_has_the_dek_under_its_title_and_the_source_under_its_chart(tmp_path):
    from pptx import Presentation

    document = story().to_dict()
    deck = Presentation(str(story().save_pptx(tmp_path / "page.pptx")))
    first = deck.slides[0]
    shapes = {shape.name: shape for shape in first.shapes}
    title, dek, source = first.shapes.title, shapes["Dek"], shapes["Source"]
    chart = next(shape for shape in first.shapes if shape.name.startswith("!!ipyreport chart"))
    assert dek.text_frame.text == document["slides"][0]["dek"]
    assert source.text_frame.text == "Source: Company ledger, 2022 to 2024"
    # Top to bottom, none over the next: title, dek, chart, source line.
    assert title.top + title.height <= dek.top
    assert dek.top + dek.height <= chart.top
    assert chart.top + chart.height <= source.top
    assert source.top + source.height <= deck.slide_height
    assert dek.text_frame.paragraphs[0].font.size > source.text_frame.paragraphs[0].font.size
    assert "Dek" not in {shape.name for shape in deck.slides[1].shapes}


@pytest.mark.parametrize("size", [(390, 844), (1280, 720)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_player_leaves_off_a_chart_title_that_repeats_the_headline(open_file, tmp_path, size):
    chart = presets.chart(kind="column", x="Region", y="Revenue", title="Revenue by region")
    story = Story(
        samples.sales(),
        slides=[
            Slide(chart, title="Revenue by Region "),
            Slide(chart, title="Europe leads"),
        ],
    )
    watch = open_file(story.save_html(tmp_path / "same.html"), reduced_motion="reduce", size=size)
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.reload()
    wait_ready(page)
    assert page.locator(".ipyreport-title").text_content() == "Revenue by Region "
    drawn = [text for text, _ in fonts_at_rest(page)]
    assert "Europe" in drawn  # the chart is drawn...
    assert "Revenue by region" not in drawn  # ...under the headline that says its title
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.ipyreport-title').textContent === 'Europe leads'"
    )
    wait_ready(page)
    assert "Revenue by region" in [text for text, _ in fonts_at_rest(page)]
    assert watch.errors == []


def _luminance(colour: str) -> float:
    """WCAG's relative luminance of a canvas colour ("#rrggbb" or "rgba(r, g, b, a)")."""
    if colour.startswith("#"):
        rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    else:
        rgb = [float(part) for part in colour[colour.index("(") + 1 : -1].split(",")[:3]]
    linear = [
        v / 255 / 12.92 if v / 255 <= 0.03928 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in rgb
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    low, high = sorted((_luminance(a), _luminance(b)))
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [(390, 844), (1280, 720)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_heat_maps_cells_say_their_values_where_they_fit_in_a_readable_ink(
    open_file, tmp_path, size, scheme
):
    import duckdb

    from ipyreport.formats import Display

    from .pages import RECORD_BOXES, drawn_boxes

    sales = samples.sales()
    cells = presets.chart(sales, kind="heatmap", x="Region", y="Units", color="Product")
    months = presets.chart(sales, kind="heatmap", x="Month", y="Units", color="Region")
    story = Story(sales, slides=[Slide(cells, title="Units"), Slide(months, title="By month")])
    path = story.save_html(tmp_path / "heat.html")
    watch = open_file(path, reduced_motion="reduce", size=size, color_scheme=scheme)
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.add_init_script(RECORD_BOXES)
    page.reload()
    wait_ready(page)
    display = Display.of(story.to_dict())
    totals = (
        duckdb.connect()
        .sql("SELECT Region, Product, sum(Units) FROM sales GROUP BY ALL")
        .fetchall()
    )
    expected = sorted(display.number("Units", total) for _, _, total in totals)
    (drawn,) = drawn_boxes(page)
    cells_drawn = [shape for shape in drawn["shapes"] if shape["rectangle"]]

    def cell_of(text):
        left, top, right, bottom = text["box"]
        return [
            shape
            for shape in cells_drawn
            if shape["box"][0] <= left
            and right <= shape["box"][2]
            and shape["box"][1] <= top
            and bottom <= shape["box"][3]
        ]

    values = [text for text in drawn["texts"] if text["text"] in expected and cell_of(text)]
    # Each region and product's cell says its total, in the story's format, inside the cell...
    assert sorted(text["text"] for text in values) == expected
    for text in values:
        (cell,) = cell_of(text)
        # ...in the ink of the two (dark text, white) that reads better on the cell's shade.
        ink = _contrast(text["ink"], cell["colour"])
        assert ink >= 3.0, (text, cell)
        assert ink >= _contrast(
            "#1d2430" if text["ink"] == "#ffffff" else "#ffffff", cell["colour"]
        )
    # Months are cells too narrow for a number: none is written over its neighbours.
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.ipyreport-title').textContent === 'By month'"
    )
    wait_ready(page)
    (drawn,) = drawn_boxes(page)
    cells_drawn = [shape for shape in drawn["shapes"] if shape["rectangle"]]

    def overlaps(text, shape):
        (left, top, right, bottom), (start, high, end, low) = text["box"], shape["box"]
        return left < end - 1 and start + 1 < right and top < low - 1 and high + 1 < bottom

    crossing = [
        text["text"]
        for text in drawn["texts"]
        if any(overlaps(text, cell) for cell in cells_drawn) and not cell_of(text)
    ]
    assert crossing == []
    assert len(cells_drawn) > 100  # the months' cells were drawn
    assert watch.errors == []


def test_a_themes_font_is_the_one_family_of_the_page_and_every_chart_text(open_file, tmp_path):
    """A brand's font sets the headline and every text the chart draws: axes, value labels
    and the colour key the player draws itself (which kept the engine's Roboto)."""
    from ipyreport.themes import Theme

    brand = Story(
        samples.sales(),
        formats={"Revenue": "$"},
        theme=Theme(font="Georgia, serif"),
        slides=[
            Slide(
                presets.chart(kind="stacked_column", x="Region", y="Revenue", color="Product"),
                title="Revenue by region and product",
            )
        ],
    )
    watch = open_file(brand.save_html(tmp_path / "brand.html"), reduced_motion="reduce")
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.reload()
    wait_ready(page)
    headline = page.evaluate(
        "() => getComputedStyle(document.querySelector('.ipyreport-title')).fontFamily"
    )
    assert headline.startswith("Georgia")
    fonts_at_rest(page)
    drawn = page.evaluate("() => window.drawnFonts")
    key = [font for text, font in drawn if text in ("Laptops", "Phones", "Tablets")]
    assert key, "the key was not drawn"
    assert [(text, font) for text, font in drawn if "Georgia" not in font] == []
    assert watch.errors == []
    # With no font of its own, the key is in the engine's (and the page's) family too.
    plain = Story(samples.sales(), slides=brand.slides)
    watch = open_file(plain.save_html(tmp_path / "plain.html"), reduced_motion="reduce")
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.reload()
    wait_ready(page)
    fonts_at_rest(page)
    drawn = page.evaluate("() => window.drawnFonts")
    assert [font for text, font in drawn if text == "Laptops"], "the key was not drawn"
    assert [(text, font) for text, font in drawn if not font.endswith(PAGE_FONT)] == []
    assert watch.errors == []
