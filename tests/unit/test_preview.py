"""The live preview's parts that need no browser: what it watches, building from files
that hold still, what its server answers, and its command's errors."""

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ipyreport.cli import main
from ipyreport.preview import PAGE_POLICY, Inputs, Preview, build_stable, inputs_of

SLIDES = "slides: [{steps: [{chart: {kind: column, x: Region, y: Revenue}}]}]\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def test_a_spec_is_watched_with_its_data_file_its_theme_and_the_logo_and_font_the_theme_embeds(
    tmp_path,
):
    spec = write(
        tmp_path / "story.yaml",
        """\
        theme: brand/acme.yaml
        data: {path: data/sales.csv}
        slides: [{steps: [{chart: {kind: column, x: Region, y: Revenue}}]}]
        """,
    )
    write(tmp_path / "brand" / "acme.yaml", "logo: logo.png\nfont_file: ../fonts/acme.woff2\n")
    assert inputs_of(spec) == Inputs(
        files=frozenset(
            {
                spec,
                tmp_path / "data" / "sales.csv",
                tmp_path / "brand" / "acme.yaml",
                tmp_path / "brand" / "logo.png",
                tmp_path / "fonts" / "acme.woff2",
            }
        )
    )


def test_sql_data_is_watched_through_the_files_and_globs_its_query_reads(tmp_path):
    spec = write(
        tmp_path / "story.yaml",
        """\
        data:
          sql: >
            select o.*, r.Manager from read_parquet('data/orders/*.parquet') o
            join 'regions.csv' r using (Region) where o.Channel <> 'Web shop'
        slides: []
        """,
    )
    inputs = inputs_of(spec)
    assert inputs == Inputs(
        files=frozenset({spec, tmp_path / "regions.csv"}),
        patterns=frozenset({str(tmp_path / "data" / "orders" / "*.parquet")}),
    )
    assert inputs.covers(tmp_path / "data" / "orders" / "part-3.parquet")
    assert not inputs.covers(tmp_path / "data" / "orders" / "notes.txt")
    assert not inputs.covers(tmp_path / "Web shop")


def test_a_data_folder_is_watched_with_every_file_and_folder_inside_it(tmp_path):
    spec = write(tmp_path / "story.yaml", "data: {path: lake}\nslides: []\n")
    write(tmp_path / "lake" / "year=2024" / "part-0.parquet", "x")
    write(tmp_path / "lake" / "year=2025" / "part-0.parquet", "x")
    inputs = inputs_of(spec)
    assert inputs == Inputs(files=frozenset({spec}), folders=frozenset({tmp_path / "lake"}))
    assert inputs.covers(tmp_path / "lake" / "year=2026" / "part-0.parquet")
    assert inputs.listing() == [
        tmp_path / "lake" / "year=2024" / "part-0.parquet",
        tmp_path / "lake" / "year=2025" / "part-0.parquet",
        spec,
    ]
    # Watched folder by folder, so a spec in a big folder does not watch all of it.
    assert inputs.roots() == {
        tmp_path,
        tmp_path / "lake",
        tmp_path / "lake" / "year=2024",
        tmp_path / "lake" / "year=2025",
    }


def test_included_spec_files_are_watched_with_the_files_they_name(tmp_path):
    spec = write(
        tmp_path / "story.yaml", "defaults: [shared/brand.yaml, shared/orders.yaml]\n" + SLIDES
    )
    write(tmp_path / "shared" / "brand.yaml", "theme: shared/acme.json\n")
    write(tmp_path / "shared" / "acme.json", '{"logo": "logo.svg"}')
    write(tmp_path / "shared" / "orders.yaml", "data: {path: orders.csv}\n")
    # Paths in an included file are relative to the spec, as the build reads them.
    assert inputs_of(spec).files == {
        spec,
        tmp_path / "shared" / "brand.yaml",
        tmp_path / "shared" / "acme.json",
        tmp_path / "shared" / "logo.svg",
        tmp_path / "shared" / "orders.yaml",
        tmp_path / "orders.csv",
    }


def test_a_parameter_names_the_data_file_watched(tmp_path):
    spec = write(
        tmp_path / "story.yaml",
        "params: {region: Europe}\ndata: {path: 'sales-${params.region}.csv'}\n" + SLIDES,
    )
    assert inputs_of(spec).files == {spec, tmp_path / "sales-Europe.csv"}
    assert inputs_of(spec, ["params.region=Asia"]).files == {spec, tmp_path / "sales-Asia.csv"}


def test_a_python_source_is_watched_through_its_module_file(tmp_path):
    spec = write(tmp_path / "story.yaml", "data: {python: 'loaders.sales:load'}\nslides: []\n")
    module = write(tmp_path / "loaders" / "sales.py", "def load(): ...\n")
    assert inputs_of(spec).files == {spec, module}


def test_an_override_changes_the_data_file_watched(tmp_path):
    spec = write(tmp_path / "story.yaml", "data: {path: q2.csv}\n" + SLIDES)
    assert inputs_of(spec, ["data.path=q3.csv"]).files == {spec, tmp_path / "q3.csv"}


def test_a_spec_that_cannot_be_read_yet_and_a_notebook_are_watched_alone(tmp_path):
    half_typed = write(tmp_path / "story.yaml", "data: {path: sales.csv\nslides: [\n")
    notebook = write(tmp_path / "article.ipynb", '{"cells": []}')
    assert inputs_of(half_typed) == Inputs(files=frozenset({half_typed}))
    assert inputs_of(notebook) == Inputs(files=frozenset({notebook}))


def test_a_spec_that_parses_but_does_not_load_is_watched_with_what_it_names_as_written(tmp_path):
    spec = write(
        tmp_path / "story.yaml",
        "defaults: [brand.yaml]\ndata: {path: sales.csv}\nslides: [{steps: [{chrat: {}}]}]\n",
    )
    write(tmp_path / "brand.yaml", "theme: acme.yaml\n")
    assert inputs_of(spec).files == {
        spec,
        tmp_path / "brand.yaml",
        tmp_path / "acme.yaml",
        tmp_path / "sales.csv",
    }


def test_a_build_whose_data_changed_while_it_was_read_is_made_again_from_the_whole_file(
    tmp_path,
):
    data = write(tmp_path / "sales.csv", "Region,Revenue\nEurope,1\n")
    reads: list[str] = []

    def make() -> str:
        reads.append(data.read_text())
        if len(reads) == 1:  # a writer finishes the file while this build reads it
            data.write_text("Region,Revenue\nEurope,1\nAsia,2\n")
        return f"story of {reads[-1]!r}"

    outcome = build_stable(make, lambda: Inputs(files=frozenset({data})), settle=0.01)
    assert outcome.page == "story of 'Region,Revenue\\nEurope,1\\nAsia,2\\n'"
    assert (outcome.error, outcome.tries) == (None, 2)


def test_a_build_whose_files_never_hold_still_is_not_shown(tmp_path):
    data = write(tmp_path / "sales.csv", "0")

    def make() -> str:
        data.write_text(str(int(data.read_text()) + 1))
        return "a story of a moving file"

    outcome = build_stable(make, lambda: Inputs(files=frozenset({data})), tries=3, settle=0.01)
    assert outcome.page is None
    assert outcome.error == (
        "the story's files kept changing while they were read (3 tries); "
        "it is built again at the next save"
    )


def test_a_failed_build_keeps_the_last_good_page_and_says_why(tmp_path):
    pages = iter(["first", ValueError("story.yaml:3:5: slides: bad"), "third"])

    def make() -> str:
        page = next(pages)
        if isinstance(page, Exception):
            raise page
        return page

    preview = Preview(tmp_path / "story.yaml", make, Inputs)
    try:
        assert (preview.rebuild().error, preview.state.version) == (None, 1)
        assert preview.rebuild().error == "ValueError: story.yaml:3:5: slides: bad"
        assert (preview.state.page, preview.state.version) == ("first", 1)
        assert preview.rebuild().error is None
        assert (preview.state.page, preview.state.version, preview.state.error) == (
            "third",
            2,
            None,
        )
    finally:
        preview.stop()


def test_a_save_made_before_the_watch_begins_is_built_too(tmp_path):
    import threading

    spec = write(tmp_path / "story.yaml", "first")
    preview = Preview(spec, spec.read_text, lambda: Inputs(files=frozenset({spec})))
    reports: list[str | None] = []
    stop = threading.Event()
    try:
        preview.rebuild()
        spec.write_text("second, saved while the first page was being shown")
        watching = threading.Thread(
            target=preview.watch, args=(lambda outcome: reports.append(outcome.page), stop)
        )
        watching.start()
        deadline = time.monotonic() + 30
        while not reports and time.monotonic() < deadline:
            time.sleep(0.05)
        stop.set()
        watching.join()
        assert reports[:1] == ["second, saved while the first page was being shown"]
        assert preview.state.page == "second, saved while the first page was being shown"
    finally:
        stop.set()
        preview.stop()


@pytest.fixture
def serving(tmp_path):
    page = (
        "<!doctype html><meta http-equiv='Content-Security-Policy' content=\"default-src 'none'\">"
    )
    preview = Preview(tmp_path / "story.yaml", lambda: page, Inputs)
    preview.rebuild()
    preview.start()
    yield preview, page
    preview.stop()


def test_the_story_is_served_as_built_and_the_page_around_it_has_its_own_policy(serving):
    preview, page = serving
    with urllib.request.urlopen(preview.url + "story.html") as answer:
        assert answer.read().decode() == page
    with urllib.request.urlopen(preview.url) as answer:
        assert answer.headers["Content-Security-Policy"] == PAGE_POLICY
    assert "connect-src 'self'; frame-src 'self'" in PAGE_POLICY
    assert preview.url.startswith("http://127.0.0.1:")


def test_the_server_answers_only_to_its_own_address(serving):
    preview, _ = serving
    asked = urllib.request.Request(
        preview.url, headers={"Host": f"attacker.example:{preview.port}"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(asked)
    assert refused.value.code == 403
    refused.value.close()


def test_preview_of_a_missing_spec_is_a_one_line_error(tmp_path, capsys):
    assert main(["preview", str(tmp_path / "nope.yaml")]) == 1
    assert capsys.readouterr().err == (
        f"error: {tmp_path / 'nope.yaml'}: does not exist; name a story spec (.yaml) or a "
        "notebook (.ipynb) to preview\n"
    )


def test_preview_on_a_port_in_use_says_how_to_pick_another(tmp_path, capsys):
    spec = write(tmp_path / "story.yaml", "data: {sample: sales}\nslides: []\n")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["preview", str(spec), "--port", str(port)]) == 1
    assert capsys.readouterr().err == (
        f"error: port {port} on 127.0.0.1 is in use; pick another with --port, "
        "or leave --port out for a free one\n"
    )


def test_preview_refuses_a_port_that_is_not_one(tmp_path, capsys):
    assert main(["preview", "story.yaml", "--port", "http"]) == 2
    assert "'http' is not a port; give a number from 1 to 65535, or 0 for any free port" in (
        capsys.readouterr().err
    )


def test_a_saved_python_source_is_imported_afresh_for_the_next_build(tmp_path, monkeypatch):
    from ipyreport._access import Access
    from ipyreport.preview import _maker

    monkeypatch.syspath_prepend(str(tmp_path))  # modules imported while the test runs are undone
    spec = write(
        tmp_path / "story.yaml",
        """\
        data: {python: 'preview_sales_source:load'}
        slides:
          - title: "Revenue {sum(Revenue)}"
            steps: [{chart: {kind: column, x: Region, y: Revenue}}]
        """,
    )
    source = tmp_path / "preview_sales_source.py"
    loader = "import pandas\ndef load():\n    return pandas.DataFrame({{'Region': ['A'], 'Revenue': [{}]}})\n"
    make = _maker(spec, overrides=(), layout="slides", access=Access.for_spec(spec, code=True))
    source.write_text(loader.format(5))
    assert "Revenue 5" in make()
    source.write_text(loader.format(7))
    assert "Revenue 7" in make()
    monkeypatch.delitem(sys.modules, "preview_sales_source")


def test_the_inputs_are_read_again_when_the_spec_is_saved_and_not_when_the_data_is(tmp_path):
    from ipyreport.preview import InputsOf

    spec = write(tmp_path / "story.yaml", "data: {path: q2.csv}\n" + SLIDES)
    data = write(tmp_path / "q2.csv", "Region,Revenue\nEurope,1\n")
    inputs = InputsOf(spec)
    first = inputs()
    data.write_text("Region,Revenue\nEurope,1\nAsia,2\n")
    assert inputs() is first
    spec.write_text("data: {path: q3.csv}\n" + SLIDES)
    assert inputs().files == {spec, tmp_path / "q3.csv"}


def test_ctrl_c_during_a_build_whose_reader_swallows_it_still_stops_the_preview(tmp_path):
    # DuckDB turns Ctrl-C during a query into RuntimeError("Query interrupted"); so does this reader.
    write(
        tmp_path / "slow_source.py",
        f"""\
        import pathlib, time
        import pandas

        def load():
            if pathlib.Path({str(tmp_path / "slow")!r}).exists():
                pathlib.Path({str(tmp_path / "reading")!r}).touch()
                try:
                    time.sleep(30)
                except KeyboardInterrupt:
                    raise RuntimeError("Query interrupted") from None
            return pandas.DataFrame({{"Region": ["A"], "Revenue": [1]}})
        """,
    )
    spec = write(tmp_path / "story.yaml", "data: {python: 'slow_source:load'}\n" + SLIDES)
    log = tmp_path / "preview.log"
    with log.open("w") as out:
        preview = subprocess.Popen(
            [sys.executable, "-m", "ipyreport", "preview", str(spec), "--allow-code"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120  # a loaded machine imports slowly
        while "previewing" not in log.read_text():
            assert preview.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        deadline = time.monotonic() + 120
        (tmp_path / "slow").touch()
        with (tmp_path / "slow_source.py").open(
            "a"
        ) as saved:  # a save: the next build reads slowly
            saved.write("# saved again\n")
        while not (tmp_path / "reading").exists():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        os.kill(preview.pid, signal.SIGINT)
        assert preview.wait(timeout=10) == 0
    finally:
        if preview.poll() is None:
            preview.kill()
            preview.wait()
    assert log.read_text().splitlines()[-1] == "preview stopped"
