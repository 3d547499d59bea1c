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
