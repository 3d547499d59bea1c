"""The notebook player inside a real JupyterLab and Notebook 7, started locally by the test."""

import json
from urllib.parse import urlparse

import pytest

from .lab import TOKEN, running_lab, wait_for, wait_for_kernel, write_notebook
from .pages import tallest_mark

SETUP = """\
from ipyreport import Dashboard, Slide, Story, presets, samples
sales = samples.sales()
story = Story(sales, title="Lab test", slides=[
    Slide(presets.morph(sales, ["column", "pie", "treemap"], x="Region", y="Revenue", duration=0.3), title="Morph"),
    Dashboard(
        presets.chart(kind="line", x="Month", y="Revenue"),
        presets.chart(kind="column", x="Region", y="Revenue"),
        presets.chart(kind="column", x="Product", y="Units"),
        title="Board",
    ),
])
player = story.player()
clicks = []
player.on_click(clicks.append)
player"""
READ_BACK = 'print(f"python sees slide {player.slide} step {player.step}")'
MOVE = "player.go(1, 3)"
TO_BOARD = "player.go(2, 1)"
READ_CLICKS = (
    'print("python saw", [(c["chart"], c["categories"]) for c in clicks], player.selection)'
)
SELECT = 'player.selection = {"Product": "Phones"}'
LEAVE = "player.go(1, 1)"
LEFT = 'print("after leaving:", player.selection)'
RETURN = "player.go(2, 1)"
RETURNED = 'print("after returning:", player.selection)'
MORE_VIEWS = """\
import ipywidgets
from IPython.display import display
views = ipywidgets.Output()
display(views)
with views:
    for _ in range(4):
        display(player)"""
CLOSE_VIEWS = "views.clear_output()"
LIVE = "() => document.querySelector('.ipyreport').ipyreport.live.charts"
PANELS_INK = """() => [...document.querySelectorAll('.ipyreport-board:not([hidden]) .ipyreport-panel canvas')].map((c) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 740) n += 1;
  return n / (c.width * c.height); })"""
INK = """() => { const c = document.querySelector('.ipyreport .ipyreport-chart canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 740) n += 1;
  return n / (c.width * c.height); }"""


FRONT_ENDS = {"jupyterlab": "/lab/tree/player.ipynb", "notebook": "/notebooks/player.ipynb"}


@pytest.fixture(scope="module", params=list(FRONT_ENDS))
def lab(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(request.param)
    write_notebook(
        root / "player.ipynb",
        [
            SETUP,
            READ_BACK,
            MOVE,
            TO_BOARD,
            READ_CLICKS,
            SELECT,
            LEFT,
            RETURNED,
            MORE_VIEWS,
            CLOSE_VIEWS,
        ],
    )
    with running_lab(root, app=request.param) as base:
        yield base + FRONT_ENDS[request.param]


def run_cell(page, index):
    page.click(f".jp-Notebook .jp-Cell >> nth={index}")
    page.keyboard.press("Shift+Enter")


def run_first_cell_until_the_player_is_ready(page, attempts=3):
    # Right after the kernel turns idle the front end can still drop a
    # keystroke while it finishes loading; press again if nothing ran.
    for _ in range(attempts):
        run_cell(page, 0)
        try:
            wait_for(
                page,
                "() => document.querySelector('.ipyreport')?.dataset.ready === 'true'",
                timeout=20,
            )
        except AssertionError:
            if page.evaluate("() => document.querySelector('.ipyreport') !== null"):
                raise
            continue
        return
    msg = "the first cell never ran"
    raise AssertionError(msg)


def printed(page, start):
    """The output of the cell that printed a line beginning with ``start``."""
    return wait_for(
        page,
        "(start) => [...document.querySelectorAll('.jp-OutputArea-output')]"
        ".map((o) => o.textContent).find((t) => t.includes(start))",
        arg=start,
    )


def cross_filter_is(where):
    """The player rests with ``where`` (JSON) as the cross-filter in view, as its state holds it."""
    return (
        "() => { const api = document.querySelector('.ipyreport').ipyreport;"
        f" return api && api.idle().then(() => JSON.stringify(api.selection) === {json.dumps(where)}); }}"
    )


def views_that_go_away_let_go_of_their_engines(page):
    """Four more views of the player, then closed: the page holds the engines of one again."""
    single = page.evaluate(LIVE)
    run_cell(page, 8)
    wait_for(
        page, "() => document.querySelectorAll('.ipyreport[data-ready=\"true\"]').length === 5"
    )
    wait_for(
        page,
        "() => Promise.all([...document.querySelectorAll('.ipyreport')].map((r) => r.ipyreport.idle()))"
        ".then(() => true)",
    )
    opened = page.evaluate(LIVE)
    assert opened >= single + 4
    run_cell(page, 9)
    wait_for(page, "() => document.querySelectorAll('.ipyreport').length === 1")
    wait_for(page, f"() => ({LIVE})() === {single}")


def explore_by_keyboard(page):
    """Exploring the marks works in the widget too (Tab from the story reaches the
    chart), and leaves the story's step alone."""
    page.click(".ipyreport .ipyreport-title")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    wait_for(
        page,
        "() => document.querySelector('.ipyreport .ipyreport-live').textContent.includes('(1 of ')",
    )
    page.keyboard.press("ArrowRight")
    wait_for(
        page,
        "() => document.querySelector('.ipyreport .ipyreport-live').textContent.includes('(2 of ')",
    )
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.querySelector('.ipyreport').dataset.step") == "2"


def test_player_renders_and_syncs_both_ways(browser, lab):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    requests = []
    errors = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{lab}?token={TOKEN}")
    wait_for_kernel(page)
    run_first_cell_until_the_player_is_ready(page)
    assert page.evaluate(INK) > 0.01
    assert page.text_content(".ipyreport .ipyreport-title") == "Morph"
    # Keys reach the player, not JupyterLab's shortcuts.
    page.click(".ipyreport .ipyreport-title")
    page.keyboard.press("ArrowRight")
    wait_for(page, "() => document.querySelector('.ipyreport').dataset.step === '2'")
    explore_by_keyboard(page)
    run_cell(page, 1)
    assert "python sees slide 1 step 2" in printed(page, "python sees")
    run_cell(page, 2)
    wait_for(page, "() => document.querySelector('.ipyreport').dataset.step === '3'")
    # A dashboard slide: every chart drawn, and a click filters the others and reaches Python.
    run_cell(page, 3)
    wait_for(page, "() => document.querySelector('.ipyreport').dataset.slide === '2'")
    wait_for(
        page, f"() => ({PANELS_INK})().length === 3 && ({PANELS_INK})().every((ink) => ink > 0.01)"
    )
    wait_for(page, "() => document.querySelector('.ipyreport').ipyreport.idle().then(() => true)")
    page.wait_for_timeout(1200)  # the charts' own entrance animation
    page.mouse.click(*tallest_mark(page, 1))
    wait_for(page, cross_filter_is('{"Region":"Americas"}'))
    run_cell(page, 4)
    expected = "python saw [(2, {'Region': 'Americas'})] {'Region': 'Americas'}"
    assert expected in printed(page, "python saw")
    # ... and Python filters the dashboard in view.
    run_cell(page, 5)
    wait_for(page, cross_filter_is('{"Product":"Phones"}'))
    # The selection belongs to the dashboard: when the viewer steps away Python sees
    # none, and when the viewer comes back, it again.
    page.click(".ipyreport .ipyreport-title")
    page.keyboard.press("ArrowLeft")
    wait_for(page, "() => document.querySelector('.ipyreport').dataset.slide === '1'")
    run_cell(page, 6)
    assert "after leaving: {}" in printed(page, "after leaving:")
    page.click(".ipyreport .ipyreport-title")
    page.keyboard.press("ArrowRight")
    wait_for(page, cross_filter_is('{"Product":"Phones"}'))
    run_cell(page, 7)
    assert "after returning: {'Product': 'Phones'}" in printed(page, "after returning:")
    views_that_go_away_let_go_of_their_engines(page)
    # The front ends log errors of their own; none may come from the player.
    assert [e for e in errors if "ipyreport" in e or "vizzu" in e.lower()] == []
    outside = {urlparse(url).hostname for url in requests if url.startswith("http")} - {"127.0.0.1"}
    assert outside == set()
    context.close()


STORY = """\
from ipyreport import Slide, Story, presets
Story({"Region": ["North", "South", "East"], "Revenue": [3.0, 5.0, 4.0]},
      slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue", duration=0))])"""
ENGINE_LOADS = "() => performance.getEntriesByName('ipyreport:engine-start').length"
STYLES = """() => [...document.head.querySelectorAll('style')]
  .filter((style) => style.textContent.includes('.ipyreport-controls')).length"""
ENGINE_READY = "() => performance.getEntriesByName('ipyreport:engine-ready').length === 1"


def test_load_ext_has_the_engine_loaded_in_the_page_before_the_first_story(browser, tmp_path):
    """`%load_ext ipyreport` sends the engine from its warm-up: the page loads it while no
    story exists yet, and the first story uses that load instead of making its own."""
    write_notebook(tmp_path / "warm.ipynb", ["%load_ext ipyreport", STORY, STORY])
    with running_lab(tmp_path) as base:
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{base}/lab/tree/warm.ipynb?token={TOKEN}")
        wait_for_kernel(page)
        for _ in range(3):  # the front end may drop the first keystroke while it settles
            run_cell(page, 0)
            try:
                wait_for(page, ENGINE_READY, timeout=20)
                break
            except AssertionError:
                continue
        assert page.evaluate("() => document.querySelector('.ipyreport')") is None
        run_cell(page, 1)
        wait_for(page, "() => document.querySelector('.ipyreport')?.dataset.ready === 'true'")
        assert page.evaluate(INK) > 0.01
        assert page.evaluate(ENGINE_LOADS) == 1
        # A second story (a model of its own) adds no second copy of the player's style.
        run_cell(page, 2)
        wait_for(
            page, "() => document.querySelectorAll('.ipyreport[data-ready=\"true\"]').length === 2"
        )
        assert page.evaluate(STYLES) == 1
        assert errors == []
        page.close()
