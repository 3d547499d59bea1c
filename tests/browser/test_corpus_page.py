"""Real-data stories laid out as a graphics desk would: every text the chart draws stays
inside it, over its own mark, and off the plot's lines (read with the canvas recorders)."""

from __future__ import annotations

import re

import pytest

from tests.corpus import CASES

from .pages import RECORD_BOXES, RECORD_TEXTS, drawn_boxes, wait_idle, wait_ready

SIZES = [(390, 844), (1280, 720), (1920, 1080)]


def _open(open_file, tmp_path, case_id, size):
    (case,) = [case for case in CASES if case.id == case_id]
    path = case.story("eager", tmp_path).save_html(tmp_path / f"{case_id}.html")
    watch = open_file(path, reduced_motion="reduce", size=size)
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.add_init_script(RECORD_BOXES)
    page.reload()
    wait_ready(page)
    return watch, page


def _go(page, step):
    page.evaluate("(step) => document.getElementById('ipyreport').ipyreport.goTo(1, step)", step)
    wait_idle(page)


def _outside(chart):
    return [
        text["text"]
        for text in chart["texts"]
        if text["box"][0] < -0.5
        or text["box"][1] < -0.5
        or text["box"][2] > chart["width"] + 0.5
        or text["box"][3] > chart["height"] + 0.5
    ]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_zoomed_scatter_names_no_point_outside_the_chart(open_file, tmp_path, size):
    watch, page = _open(open_file, tmp_path, "cars-zoom_range", size)
    for step in (1, 2, 3):  # every car, the 30 to 50 mpg cars, every car again
        _go(page, step)
        (chart,) = drawn_boxes(page)
        assert chart["texts"], f"step {step} drew nothing"
        assert _outside(chart) == [], f"step {step}"
    assert watch.errors == []


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_pie_writes_a_share_only_inside_its_own_slice(open_file, tmp_path, size):
    import io

    import numpy as np
    from PIL import Image

    watch, page = _open(open_file, tmp_path, "seattle_weather-morph", size)
    _go(page, 2)  # the pie: drizzle's slice is a hairline, snow's and sun's thin
    labels = page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()[0]")
    shares = [label for label in labels if label["group"] == "marker"]
    assert shares, "no slice was labelled"
    # Drizzle's share is under a twentieth of a percent: less than a tenth, not zero.
    drizzle = [label["text"] for label in shares if label["text"].startswith("drizzle")]
    assert drizzle == ["drizzle <0.1%"], drizzle
    canvas = page.locator(".ipyreport-chart canvas").first
    picture = np.asarray(Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")).astype(int)
    background = picture[2, 2]
    for label in shares:
        left, top, right, bottom = label["box"]
        # Just outside the text and its halo, all round: one slice's colour, not two, nor the page.
        ring = [
            picture[round(y), round(x)]
            for x, y in [
                (left - 2, top - 2),
                (right + 2, top - 2),
                (left - 2, bottom + 2),
                (right + 2, bottom + 2),
            ]
        ]
        assert all(np.abs(colour - ring[0]).max() < 30 for colour in ring), label["text"]
        if re.fullmatch(r"\d+\.\d%", label["text"]):
            assert np.abs(ring[0] - background).max() >= 30, label["text"]
        else:
            # A slice too thin for its share is named beside the pie, on the page, by a
            # leader line ("drizzle <0.1%": a share too small for a tenth is not zero).
            assert re.fullmatch(r"\S.* <?\d+\.\d%", label["text"]), label["text"]
            assert np.abs(ring[0] - background).max() < 30, label["text"]
    assert watch.errors == []
