"""Real-browser fixtures: Debian's Chromium, headless, driven by Playwright."""

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

# Apps the tests serve (marimo, Panel, Streamlit): their servers run them, pytest must not import them.
collect_ignore = ["apps"]

# Flags that keep Chromium from phoning home, so any request we see is ours.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed; `./dev test` installs it from Debian's packages")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageWatch:
    """What a page asked of the network and said on its console."""

    def __init__(self, page: Page, allowed_url: str) -> None:
        self.page = page
        self.allowed_url = allowed_url
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on(
            "console",
            lambda message: message.type == "error" and self.errors.append(message.text),
        )
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def network_requests(self) -> list[str]:
        """Requests that are neither the page itself nor in-memory blob/data URLs."""
        return [
            url
            for url in self.requests
            if url != self.allowed_url and not url.startswith(("blob:", "data:"))
        ]


@pytest.fixture
def open_file(browser: Browser):
    """Open a local HTML file from file:// and watch its requests and errors."""
    contexts = []

    def opener(
        path, *, reduced_motion="no-preference", size=(1000, 640), color_scheme="light"
    ) -> PageWatch:
        context = browser.new_context(
            viewport={"width": size[0], "height": size[1]},
            reduced_motion=reduced_motion,
            color_scheme=color_scheme,
        )
        contexts.append(context)
        page = context.new_page()
        url = path.resolve().as_uri()
        watch = PageWatch(page, url)
        page.goto(url)
        return watch

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture
def vizzu(open_file, tmp_path):
    """The harness page with Vizzu and steps.js loaded; checks it stayed offline and error-free."""
    from .harness import harness_html

    path = tmp_path / "harness.html"
    path.write_text(harness_html(), encoding="utf-8")
    watch = open_file(path)
    watch.page.wait_for_function("window.harnessReady === true", timeout=20_000)
    yield watch
    assert watch.network_requests() == []
    assert watch.errors == []
