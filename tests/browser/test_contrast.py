"""Every theme meets WCAG 2.2 AA contrast as the player draws it (4.5:1 for text, 3:1 for
marks and the focus outline), and the player works at 200% zoom and on a 390 px phone."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from ipyreport import Slide, Story, presets, samples
from ipyreport._colors import DEFAULT_PALETTE
from ipyreport.themes import BRAND_THEMES

from .pages import axe_violations, open_story, wait_idle

TEXT = 4.5
GRAPHICS = 3.0
THEMES = [("auto", "light"), ("auto", "dark"), *((name, "light") for name in BRAND_THEMES)]


def _lightness_of_pixels(pixels) -> np.ndarray:
    """The relative luminance of each RGB pixel (WCAG's formula)."""
    values = np.asarray(pixels, dtype=float) / 255
    linear = np.where(values <= 0.04045, values / 12.92, ((values + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def luminance(color: str) -> float:
    color = color.strip()
    if color.startswith("rgb"):
        parts = [
            float(p) for p in color[color.index("(") + 1 : -1].replace("/", ",").split(",")[:3]
        ]
    else:
        digits = color.lstrip("#")
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits[:3])
        parts = [int(digits[i : i + 2], 16) for i in (0, 2, 4)]
    return float(_lightness_of_pixels([parts])[0])


def contrast(first: str, second: str) -> float:
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_the_contrast_formula_reads_as_wcag_does():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("rgb(255, 255, 255)", "#fff") == pytest.approx(1.0)


def test_the_default_palette_keeps_3_to_1_against_both_default_backgrounds():
    for color in DEFAULT_PALETTE:
        assert contrast(color, "#ffffff") >= GRAPHICS, color
        assert contrast(color, "#14181f") >= GRAPHICS, color


def test_the_high_contrast_theme_keeps_6_5_to_1_for_every_mark():
    theme = BRAND_THEMES["high-contrast"]
    assert contrast(theme.foreground, theme.background) >= 7
    for color in theme.palette:
        assert contrast(color, theme.background) >= 6.5, color


@pytest.fixture(scope="module")
def themed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("themes")
    sales = samples.sales()
    paths = {}
    for theme, _ in THEMES:
        story = Story(
            sales,
            theme=theme,
            formats={"Revenue": "$"},
            slides=[
                Slide(
                    presets.chart(kind="stacked_column", x="Region", y="Revenue", color="Product")
                )
            ],
        )
        paths[theme] = story.save_html(folder / f"{theme}.html")
    return paths


@pytest.mark.parametrize(("theme", "scheme"), THEMES, ids=[f"{t}-{s}" for t, s in THEMES])
def test_each_theme_draws_text_marks_and_focus_with_enough_contrast(
    open_file, themed, theme, scheme
):
    watch, page = open_story(open_file, themed[theme], size=(1280, 720), color_scheme=scheme)
    style = page.evaluate("() => document.getElementById('ipyreport').ipyreport.style()")
    page_colors = page.evaluate(
        """() => {
          const root = getComputedStyle(document.getElementById("ipyreport"));
          return { bg: root.getPropertyValue("--ipyreport-bg"), fg: root.getPropertyValue("--ipyreport-fg"),
                   accent: root.getPropertyValue("--ipyreport-accent") };
        }"""
    )
    background = style["backgroundColor"]
    texts = {
        "title": style["title"]["color"],
        "subtitle": style["subtitle"]["color"],
        "legend label": style["legend"]["label"]["color"],
        "legend title": style["legend"]["title"]["color"],
        "x axis label": style["plot"]["xAxis"]["label"]["color"],
        "y axis label": style["plot"]["yAxis"]["label"]["color"],
        "x axis title": style["plot"]["xAxis"]["title"]["color"],
        "y axis title": style["plot"]["yAxis"]["title"]["color"],
        "page text": page_colors["fg"],
    }
    low = {
        name: round(contrast(color, background), 2)
        for name, color in texts.items()
        if contrast(color, background) < TEXT
    }
    assert low == {}
    palette = style["plot"]["marker"]["colorPalette"].split()
    assert palette
    weak = {
        color: round(contrast(color, background), 2)
        for color in palette
        if contrast(color, background) < GRAPHICS
    }
    assert weak == {}
    assert contrast(page_colors["accent"], page_colors["bg"]) >= GRAPHICS  # the focus outline
    assert (
        contrast(page_colors["bg"], background) < 1.2
    )  # the page and the chart share a background
    assert axe_violations(page) == []
    assert watch.errors == []


@pytest.mark.parametrize("size", [(640, 360), (390, 844)], ids=["200% zoom", "phone"])
def test_the_player_is_usable_at_200_percent_zoom_and_390_px(open_file, themed, size):
    # A 1280x720 screen at 200% zoom lays the page out in 640x360 CSS pixels.
    watch, page = open_story(open_file, themed["auto"], size=size)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0  # nothing to scroll sideways
    for control in (
        ".ipyreport-prev",
        ".ipyreport-play",
        ".ipyreport-next",
        ".ipyreport-table-toggle",
    ):
        box = page.locator(control).bounding_box()
        assert box is not None, control
        assert box["x"] >= 0, control
        assert box["x"] + box["width"] <= size[0] + 1, control
    chart = page.locator(".ipyreport-chart").bounding_box()
    assert chart["width"] > size[0] * 0.8
    assert chart["height"] > 150
    page.focus(".ipyreport-chart")
    page.keyboard.press("Enter")
    assert "Revenue $" in page.locator(".ipyreport-live").text_content()
    page.keyboard.press("Escape")
    page.keyboard.press("t")  # the data table opens and fits too
    wait_idle(page)
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert axe_violations(page) == []
    assert watch.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("coloured", [False, True], ids=["palette", "plain marks"])
def test_a_heatmaps_values_read_at_4_5_to_1_and_more_stands_out_from_the_page(
    open_file, tmp_path, scheme, coloured
):
    """Each value on a shaded cell reads at AA (the lightest and darkest pixels of its box:
    its ink and the cell, or the halo a cell of middle lightness gives it), and the cells
    of more units stand further from the page: darker on a light one, lighter on a dark one."""
    sales = samples.sales()
    heat = presets.chart(kind="heatmap", x="Country", y="Units", color="Product")
    slides = [Slide(heat)]
    if coloured:  # the products own the palette's colours: the heatmap's cells are plain
        slides.insert(0, Slide(presets.chart(kind="pie", x="Product", y="Units")))
    story = Story(sales, formats={"Units": "units"}, slides=slides)
    watch, page = open_story(
        open_file, story.save_html(tmp_path / "heat.html"), size=(1280, 720), color_scheme=scheme
    )
    if coloured:
        page.keyboard.press("ArrowRight")
        wait_idle(page)
    labels = [
        label
        for label in page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()")[
            0
        ]
        if label["group"] == "marker"
    ]
    canvas = page.locator("#ipyreport canvas").first.bounding_box()
    shot = np.asarray(Image.open(io.BytesIO(page.screenshot())).convert("RGB")).astype(int)
    cells = []
    low = {}
    for label in labels:
        left, top, right, bottom = (
            round(value + canvas[axis])
            for value, axis in zip(label["box"], ("x", "y", "x", "y"), strict=True)
        )
        box = _lightness_of_pixels(shot[top:bottom, left:right].reshape(-1, 3))
        ratio = (box.max() + 0.05) / (box.min() + 0.05)
        if ratio < TEXT:
            low[label["text"]] = round(ratio, 2)
        amount = float(label["text"].rstrip("K")) * (1000 if label["text"].endswith("K") else 1)
        cells.append((amount, _lightness_of_pixels(shot[top - 3, (left + right) // 2])))
    assert len(cells) == 48  # twelve countries, four products
    assert low == {}
    paper = _lightness_of_pixels(shot[5, 5])
    (_, least), (_, most) = min(cells), max(cells)
    assert abs(most - paper) > abs(least - paper) + 0.2
    assert watch.errors == []
