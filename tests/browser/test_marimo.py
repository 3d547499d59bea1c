"""The story in marimo: as a cell's output, as a reactive player other cells read, and in
``marimo export html`` — against a ``marimo run`` server started here, offline."""

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import marimo
import pytest

from .lab import free_port, serving
from .pages import CANVAS_INK, hosts, watch

APP = Path(__file__).parent / "apps" / "marimo_app.py"
# The locator reaches into the shadow roots marimo draws each output in.
READY = ".ipyreport[data-ready=true]"
# marimo's exported page loads marimo's own front end from this CDN; the test serves it
# from the installed package instead, so nothing leaves the machine.
FRONT_END = f"https://cdn.jsdelivr.net/npm/@marimo-team/frontend@{marimo.__version__}/dist/"


@pytest.fixture(scope="module")
def marimo_app():
    port = free_port()
    command = [
        sys.executable, "-m", "marimo", "run", str(APP), "--headless", "--no-token",
        f"--port={port}", "--host=127.0.0.1",
    ]  # fmt: skip
    with serving(command, "/", port=port, name="marimo run") as base:
        yield base


def test_a_story_and_its_player_play_in_marimo_and_other_cells_see_the_step(browser, marimo_app):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, errors = watch(page)
    page.goto(marimo_app)
    page.locator(READY).nth(1).wait_for(timeout=60_000)
    assert page.locator(".ipyreport").count() == 2
    for number in range(2):
        assert (
            page.locator(".ipyreport")
            .nth(number)
            .locator(".ipyreport-chart canvas")
            .evaluate(CANVAS_INK)
            > 0.01
        )
    # The page's styles reach into marimo's shadow roots: the title is a heading, not body text.
    assert (
        page.locator(".ipyreport .ipyreport-title").first.evaluate(
            "(e) => parseFloat(getComputedStyle(e).fontSize)"
        )
        > 20
    )
    assert page.get_by_text("python sees slide 1 step 1").count() == 1
    page.locator(".ipyreport .ipyreport-title").nth(1).click()
    page.keyboard.press("ArrowRight")
    page.get_by_text("python sees slide 1 step 2").wait_for(timeout=20_000)
    assert page.locator(".ipyreport").nth(1).get_attribute("data-step") == "2"
    assert errors == []
    assert hosts(requests) == {"127.0.0.1"}
    page.close()


def test_marimo_export_html_keeps_a_playable_story(browser, tmp_path):
    exported = tmp_path / "app.html"
    subprocess.run(
        [sys.executable, "-m", "marimo", "export", "html", str(APP), "-o", str(exported)],
        check=True,
        capture_output=True,
    )
    static = Path(marimo.__file__).parent / "_static"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, errors = watch(page)

    def from_the_package(route):
        path = static / urlparse(route.request.url).path.split("/dist/", 1)[1]
        if path.is_file():
            route.fulfill(path=str(path))
        else:
            route.abort()

    page.route(FRONT_END + "**", from_the_package)
    page.goto(exported.as_uri())
    page.locator(READY).nth(1).wait_for(timeout=60_000)
    assert (
        page.locator(".ipyreport").first.locator(".ipyreport-chart canvas").evaluate(CANVAS_INK)
        > 0.01
    )
    page.locator(".ipyreport .ipyreport-title").first.click()
    page.keyboard.press("ArrowRight")
    page.locator(".ipyreport[data-step='2']").first.wait_for(timeout=20_000)
    assert errors == []
    assert hosts(requests) <= {"cdn.jsdelivr.net"}  # only marimo's own files, served here
    page.close()
