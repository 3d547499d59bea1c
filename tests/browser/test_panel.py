"""A story in a Panel app served by ``panel serve``, started here on a free port, offline:
it plays, and its position is two-way between the page and Python."""

import sys
from pathlib import Path

import pytest

from .lab import free_port, serving
from .pages import CANVAS_INK, hosts, tallest_mark_in, watch

APP = Path(__file__).parent / "apps" / "panel_app.py"


@pytest.fixture(scope="module")
def panel_app():
    port = free_port()
    command = [
        sys.executable, "-m", "panel", "serve", str(APP), f"--port={port}",
        "--address=127.0.0.1", f"--allow-websocket-origin=127.0.0.1:{port}",
    ]  # fmt: skip
    with serving(command, "/panel_app", port=port, name="panel serve") as base:
        yield base + "/panel_app"


def test_a_story_plays_in_a_panel_app_and_its_position_is_two_way(browser, panel_app):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, errors = watch(page)
    page.goto(panel_app)
    page.locator(".ipyreport[data-ready=true]").wait_for(timeout=60_000)
    assert page.locator(".ipyreport .ipyreport-title").text_content() == "One"
    ink = page.locator(".ipyreport .ipyreport-chart canvas").evaluate(CANVAS_INK)
    assert ink > 0.01
    assert page.locator(".ipyreport").bounding_box()["width"] > 1000  # as wide as the app
    # A click on a mark reaches Python's handler.
    page.mouse.click(*tallest_mark_in(page.locator(".ipyreport .ipyreport-chart")))
    page.get_by_text("python saw a click on {'Region': 'South'}").wait_for(timeout=20_000)
    # The viewer moves: Python sees it.
    page.locator(".ipyreport .ipyreport-title").click()
    page.keyboard.press("ArrowRight")
    page.get_by_text("python sees slide 1 step 2").wait_for(timeout=20_000)
    # Python moves: the page follows.
    page.get_by_text("Python: go to slide 2").click()
    page.locator(".ipyreport[data-slide='2']").wait_for(timeout=20_000)
    page.get_by_text("python sees slide 2 step 1").wait_for(timeout=20_000)
    assert page.locator(".ipyreport .ipyreport-title").text_content() == "Two"
    assert errors == []
    assert hosts(requests) == {"127.0.0.1"}
    page.close()
