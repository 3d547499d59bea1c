"""A story in a Streamlit app served by ``streamlit run``, started here on a free port, offline."""

import sys
from pathlib import Path

import pytest

from .lab import free_port, serving
from .pages import CANVAS_INK, hosts, tallest_mark_in, watch

APP = Path(__file__).parent / "apps" / "streamlit_app.py"


@pytest.fixture(scope="module")
def streamlit_app(tmp_path_factory):
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless=true",
        f"--server.port={port}", "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false", "--global.developmentMode=false",
    ]  # fmt: skip
    home = tmp_path_factory.mktemp("streamlit-home")  # no credentials prompt, no user config
    with serving(
        command, "/_stcore/health", port=port, name="streamlit run", env={"HOME": str(home)}
    ) as base:
        yield base


def test_a_story_plays_in_a_streamlit_app_and_its_position_is_two_way(browser, streamlit_app):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, errors = watch(page)
    page.goto(streamlit_app)
    story = page.frame_locator("iframe").first
    story.locator(".ipyreport[data-ready=true]").wait_for(timeout=60_000)
    assert story.locator(".ipyreport-title").text_content() == "One"
    assert story.locator(".ipyreport-chart canvas").evaluate(CANVAS_INK) > 0.01
    # The frame grows to the player: its controls are not cut off.
    frame_height = page.locator("iframe").first.bounding_box()["height"]
    assert frame_height >= story.locator(".ipyreport").bounding_box()["height"]
    # A click on a mark reaches the app's Python.
    page.mouse.click(*tallest_mark_in(story.locator(".ipyreport-chart")))
    page.get_by_text("python saw a click on {'Region': 'South'}").wait_for(timeout=20_000)
    # The viewer moves: the app's Python sees it.
    story.locator(".ipyreport-title").click()
    page.keyboard.press("ArrowRight")
    story.locator(".ipyreport[data-step='2']").wait_for(timeout=20_000)
    page.get_by_text("python sees slide 1 step 2").wait_for(timeout=20_000)
    # The app moves: the story follows.
    page.get_by_text("Python: go to slide 2").click()
    story.locator(".ipyreport[data-slide='2']").wait_for(timeout=20_000)
    assert story.locator(".ipyreport-title").text_content() == "Two"
    page.get_by_text("python sees slide 2 step 1").wait_for(timeout=20_000)
    assert errors == []
    assert hosts(requests) == {"127.0.0.1"}
    page.close()
