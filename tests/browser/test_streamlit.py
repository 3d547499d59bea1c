"""A story in a Streamlit app served by ``streamlit run``, started here on a free port, offline."""

import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .lab import free_port, serving

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


def test_a_story_plays_in_a_streamlit_app(browser, streamlit_app):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(streamlit_app)
    story = page.frame_locator("iframe").first
    story.locator(".ipyreport[data-ready=true]").wait_for(timeout=60_000)
    assert story.locator(".ipyreport-title").text_content() == "One"
    ink = story.locator(".ipyreport-chart canvas").evaluate(
        """(c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 740) n += 1;
        return n / (c.width * c.height); }"""
    )
    assert ink > 0.01
    story.locator(".ipyreport-title").click()
    page.keyboard.press("ArrowRight")
    story.locator(".ipyreport[data-step='2']").wait_for(timeout=20_000)
    page.keyboard.press("ArrowRight")
    story.locator(".ipyreport[data-slide='2']").wait_for(timeout=20_000)
    assert story.locator(".ipyreport-title").text_content() == "Two"
    assert errors == []
    assert {urlparse(url).hostname for url in requests if url.startswith("http")} == {"127.0.0.1"}
    page.close()
