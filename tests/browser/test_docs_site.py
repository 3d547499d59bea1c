"""The documentation site's gallery plays its stories offline, in a page opened from the file
system: every story draws, steps on a key press, requests nothing and logs no error."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image

from tests.docs_site import DOCS, build_site, gallery_pages

PLAYER = "document.getElementById('ipyreport')"
# What a page may load: itself and its files, and what it makes in memory.
OFFLINE = ("file:", "data:", "blob:", "about:")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    done = build_site(target)
    assert done.returncode == 0, done.stderr[-3000:]
    return target


def _story_frame(page):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for frame in page.frames:
            if ".story.html" in frame.url and frame.evaluate(
                f"() => {PLAYER}?.dataset.ready === 'true'"
            ):
                return frame
        time.sleep(0.05)
    msg = "the gallery's story never became ready"
    raise AssertionError(msg)


def _rest(frame):
    assert frame.evaluate(
        f"""() => new Promise((done) => {{
              {PLAYER}.ipyreport.idle().then(() => done(true));
              setTimeout(() => done(false), 10000);
           }})"""
    ), "the player stayed busy"


def _colours(picture: bytes) -> int:
    return len(Image.open(io.BytesIO(picture)).convert("RGB").getcolors(maxcolors=1 << 20) or [])


@pytest.mark.parametrize("name", gallery_pages())
def test_a_gallery_page_plays_its_story_offline(open_file, site, name):
    watch = open_file(site / "gallery" / f"{name}.html", size=(1280, 1000))
    page = watch.page
    frame = _story_frame(page)
    _rest(frame)
    title = (DOCS / "gallery" / f"{name}.md").read_text(encoding="utf-8").splitlines()[0]
    assert page.title() == f"{title.removeprefix('# ')} - ipyreport"
    heading = frame.evaluate("() => document.title")
    assert heading  # the story's own title names its page
    element = page.locator("iframe.ipyreport-story")
    element.scroll_into_view_if_needed()
    assert element.get_attribute("title") == heading
    first = element.screenshot()
    assert _colours(first) > 40  # a drawn chart, not a blank frame
    # A key press inside the frame steps the story on.
    element.click(position={"x": 20, "y": 20})
    frame.press("body", "ArrowRight")
    frame.wait_for_function(f"() => {PLAYER}.ipyreport.state.index === 1", timeout=10_000)
    _rest(frame)
    assert element.screenshot() != first
    assert watch.errors == []
    assert [url for url in watch.requests if not url.startswith(OFFLINE)] == []


def test_every_page_of_the_site_opens_offline_without_an_error(browser, site):
    pages = sorted(
        path
        for path in site.rglob("*.html")
        if not path.name.endswith(".story.html") and path.name != "404.html"
    )
    assert len(pages) >= 25
    context = browser.new_context()
    try:
        trouble = []
        for path in pages:
            page = context.new_page()
            requests, errors = [], []
            page.on("request", lambda request, seen=requests: seen.append(request.url))
            page.on("pageerror", lambda error, seen=errors: seen.append(str(error)))
            page.on(
                "console",
                lambda message, seen=errors: message.type == "error" and seen.append(message.text),
            )
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            away = [url for url in requests if not url.startswith(OFFLINE)]
            if away or errors:
                trouble.append((str(path.relative_to(site)), away, errors))
            page.close()
        assert trouble == []
    finally:
        context.close()
