"""Without a widget manager (nbconvert to HTML), a story output still plays, offline."""

import time

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

CELL = """\
from ipyreport import Slide, Story, presets
story = Story({"Region": ["North", "South", "East"], "Revenue": [3.0, 5.0, 4.0]}, title="Static",
              slides=[Slide(presets.morph(None, ["column", "pie"], x="Region", y="Revenue"), title="Fallback")])
story"""


def test_nbconvert_html_keeps_a_playable_story(browser, tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(CELL)]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    # The documented recipe: execute without storing widget state.
    NotebookClient(notebook, store_widget_state=False, timeout=120).execute()
    body, _ = HTMLExporter().from_notebook_node(notebook)
    path = tmp_path / "static.html"
    path.write_text(body, encoding="utf-8")
    page = browser.new_page()
    page.goto(path.resolve().as_uri())
    deadline = time.monotonic() + 30
    frame = None
    while time.monotonic() < deadline:
        frames = [f for f in page.frames if f != page.main_frame]
        ready = [
            f
            for f in frames
            if f.evaluate("() => document.getElementById('ipyreport')?.dataset.ready === 'true'")
        ]
        if ready:
            frame = ready[0]
            break
        time.sleep(0.2)
    assert frame is not None, "the story in the exported notebook never became ready"
    assert (
        frame.evaluate("() => document.querySelector('.ipyreport-title').textContent") == "Fallback"
    )
    ink = frame.evaluate(
        """() => { const c = document.querySelector('.ipyreport-chart canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 740) n += 1;
        return n / (c.width * c.height); }"""
    )
    assert ink > 0.01
    # The frame's sandbox means something: the story cannot reach the notebook page.
    reach = frame.evaluate(
        "() => { try { return window.parent.document.title; } catch { return 'refused'; } }"
    )
    assert reach == "refused"
    page.close()


FIVE = [
    "from ipyreport import Slide, Story, presets, samples\nsales = samples.sales()",
    *(
        f'Story(sales, title="Story {n}", slides=[Slide(presets.chart(kind="column", x="Region", '
        f'y="Revenue"), title="Slide {n}")])'
        for n in range(1, 6)
    ),
]


def _executed(cells, **options):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(cell) for cell in cells]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    NotebookClient(notebook, timeout=120, **options).execute()
    return notebook


def _ready_titles(page, count):
    deadline = time.monotonic() + 60
    titles = []
    while time.monotonic() < deadline:
        titles = [
            frame.evaluate("() => document.querySelector('.ipyreport-title')?.textContent")
            for frame in page.frames
            if frame != page.main_frame
            and frame.evaluate(
                "() => document.getElementById('ipyreport')?.dataset.ready === 'true'"
            )
        ]
        if len(titles) == count:
            break
        time.sleep(0.25)
    return titles


def test_a_notebook_of_five_stories_carries_the_engine_once_and_stays_under_a_megabyte():
    """Executed as nbclient does by default (widget state saved), five stories' outputs and
    widget state weigh under 1 MB: the HTML fallback's engine comes with the first story only,
    and the engine widget's wasm is saved gzipped."""
    notebook = _executed(FIVE)
    size = len(nbformat.writes(notebook).encode("utf-8"))
    assert size < 1_000_000, f"{size:,} bytes"
    fallbacks = [cell.outputs[0]["data"]["text/html"] for cell in notebook.cells[1:]]
    assert ["ipyreport-shared-vizzu" in html for html in fallbacks] == [True] + [False] * 4
    assert all(len(html) < 40_000 for html in fallbacks[1:])


def test_every_story_of_the_exported_notebook_plays_with_the_one_engine(browser, tmp_path):
    notebook = _executed(FIVE, store_widget_state=False)
    body, _ = HTMLExporter().from_notebook_node(notebook)
    path = tmp_path / "five.html"
    path.write_text(body, encoding="utf-8")
    page = browser.new_page()
    page.goto(path.resolve().as_uri())
    assert sorted(_ready_titles(page, 5)) == [f"Slide {n}" for n in range(1, 6)]
    page.close()


def test_a_story_whose_engine_is_missing_says_how_to_show_it(browser, tmp_path):
    notebook = _executed(FIVE[:3], store_widget_state=False)
    notebook.cells[1].outputs = []  # the output that carried the engine, cleared
    body, _ = HTMLExporter().from_notebook_node(notebook)
    path = tmp_path / "cleared.html"
    path.write_text(body, encoding="utf-8")
    page = browser.new_page()
    page.goto(path.resolve().as_uri())
    (frame,) = [frame for frame in page.frames if frame != page.main_frame]
    notice = "This story's player comes with the first story this notebook's kernel showed"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if frame.evaluate("() => document.body.textContent").startswith(notice):
            break
        time.sleep(0.5)
    assert frame.evaluate("() => document.body.textContent").startswith(notice)
    page.close()
