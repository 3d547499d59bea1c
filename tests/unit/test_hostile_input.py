"""Hostile input ends in one located line: no traceback, no hang, no gigabytes.

Each test here is a case that once ended otherwise: a sample asked for
millions of orders, a query DuckDB cannot fit in its memory limit, errors
raised inside a spec's SQL, corrupt files, pipes named as data, folders
that do not exist given to --allow-path.
"""

import gc
import os
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from traitlets import TraitError

from ipyreport import samples
from ipyreport._access import Access, locked_connection
from ipyreport.cli import main
from ipyreport.lazy import lazy
from ipyreport.spec import SpecError, build, load

CHART = "slides:\n  - steps: [{chart: {kind: column, x: Region, y: Revenue}}]\n"


def _spec(folder: Path, data: str, steps: str = CHART) -> Path:
    path = folder / "story.yaml"
    path.write_text(f"data: {data}\n{steps}")
    return path


def _one_line_error(spec: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert main(["validate", str(spec), *extra]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err, err
    assert "Traceback" not in err
    return err


# --- memory ---------------------------------------------------------------------


def test_too_many_sample_orders_are_refused_before_any_is_made(monkeypatch, tmp_path):
    def generated(*args, **kwargs):
        msg = "orders were generated"
        raise AssertionError(msg)

    monkeypatch.setattr(samples, "_orders", generated)
    spec = _spec(tmp_path, "{sample: orders, rows: 50000000}")
    with pytest.raises(SpecError) as caught:
        build(load(spec))
    assert str(caught.value) == (
        f"{spec}:1:24: data.rows: 50,000,000 orders is more than max_rows (1,000,000) allows "
        "in memory; lower rows, or raise max_rows (false: no limit)"
    )


def test_sample_orders_beyond_the_generator_are_refused_without_max_rows(monkeypatch, tmp_path):
    monkeypatch.setattr(samples, "_orders", None)  # calling it would fail with a TypeError
    spec = _spec(tmp_path, "{sample: orders, rows: 100000000000000000000000000, max_rows: false}")
    with pytest.raises(SpecError) as caught:
        build(load(spec))
    assert str(caught.value) == (
        f"{spec}:1:24: data.rows: 100,000,000,000,000,000,000,000,000 orders is more than the "
        "sample generator makes (20,000,000); for more, write them to Parquet with "
        "ipyreport.samples.write_orders and read them with path:"
    )


def test_the_sample_generator_refuses_more_than_its_limit():
    with pytest.raises(ValueError, match=r"^rows must be from 0 to 20,000,000, got 20,000,001$"):
        samples.sales(rows=samples.MAX_ORDERS + 1)


def test_a_negative_sample_seed_is_refused_at_its_line(tmp_path, capsys):
    spec = _spec(tmp_path, "{sample: orders, rows: 10, seed: -1}")
    assert _one_line_error(spec, capsys) == f"{spec}:1:34: data.seed: must be at least 0, got -1"


def _customers(folder: Path, rows: int = 20_000) -> None:
    """A file where grouping by customer needs more than a few megabytes."""
    table = pa.table(
        {
            "Customer": [f"customer-{i:06d}" for i in range(rows)],
            "Region": ["North", "South", "East", "West"] * (rows // 4),
            "Revenue": np.arange(rows, dtype=float),
        }
    )
    pq.write_table(table, folder / "orders.parquet")


FILTERED = (
    "slides:\n  - steps:\n      - chart: {kind: column, x: Region, y: Revenue}\n"
    "      - chart: {kind: column, x: Region, y: Revenue}\n"
    "        filter: {Customer: [customer-000042]}\n"
)


def test_a_story_duckdb_cannot_fit_in_memory_fails_in_one_line_saying_what_to_do(tmp_path):
    _customers(tmp_path)
    spec = _spec(tmp_path, "{path: orders.parquet}", FILTERED)
    assert build(load(spec)).slides[0].length == 2  # fits the default limit
    with pytest.raises(SpecError) as caught:
        build(load(spec), access=Access.for_spec(spec, memory_limit="4MB"))
    message = str(caught.value)
    assert message.startswith(f"{spec}:1:8: data.path: DuckDB ran out of memory reading ")
    assert message.endswith(
        "even spilling to disk: raise the limit (ipyreport build --memory-limit 2GB, or "
        "lazy(..., memory_limit='2GB')) or pre-aggregate the data (group it in the query to "
        "fewer rows)"
    )
    assert "\n" not in message


def test_the_memory_limit_is_a_command_line_option(tmp_path, capsys):
    _customers(tmp_path)
    spec = _spec(tmp_path, "{path: orders.parquet}", FILTERED)
    assert "ran out of memory" in _one_line_error(spec, capsys, "--memory-limit", "4MB")
    assert main(["validate", str(spec), "--memory-limit", "64MB"]) == 0
    assert main(["validate", str(spec), "--memory-limit", "lots"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "ipyreport validate: error: argument --memory-limit: 'lots' is not a size; "
        "write it like 512MB or 2GB"
    )


def _spill_folder(connection) -> Path:
    return Path(connection.execute("select current_setting('temp_directory')").fetchone()[0])


def test_a_spec_connection_spills_to_a_folder_of_its_own_removed_with_it(tmp_path):
    connection = locked_connection(Access.for_spec(tmp_path / "story.yaml"))
    folder = _spill_folder(connection)
    assert folder.is_dir()
    assert folder.name.startswith("ipyreport-spill-")
    assert not folder.is_relative_to(tmp_path)
    connection.close()
    del connection
    gc.collect()
    assert not folder.exists()


def test_lazy_files_spill_to_a_folder_of_their_own_removed_with_them(tmp_path):
    _customers(tmp_path, rows=8)
    source = lazy(tmp_path / "orders.parquet")
    folder = _spill_folder(source._connection)
    assert folder.is_dir()
    assert folder.name.startswith("ipyreport-spill-")
    del source
    gc.collect()
    assert not folder.exists()


# --- tracebacks and hangs -------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "select 'A' as Region, 1 + error('boom')::INT as Revenue",
            "reading the DuckDB relation failed: Invalid Input Error: boom",
        ),
        (
            "select 'A' as Region, 'x'::DOUBLE as Revenue",
            "reading the DuckDB relation failed: Conversion Error: Could not convert string 'x' to DOUBLE",
        ),
        (
            "select Delimiter as Region, 1 as Revenue from sniff_csv('/etc/passwd')",
            'reading the DuckDB relation was refused (Cannot access file "/etc/passwd" - file '
            "system operations are disabled by configuration); keep the data next to the spec, "
            "or allow its folder with --allow-path DIR",
        ),
    ],
)
def test_errors_raised_inside_a_spec_query_are_one_located_line(tmp_path, capsys, sql, message):
    spec = _spec(tmp_path, f'{{sql: "{sql}"}}')
    assert _one_line_error(spec, capsys) == f"{spec}:1:8: data.sql: {message}"


def test_a_query_too_big_for_memory_is_one_located_line(tmp_path, capsys):
    spec = _spec(
        tmp_path,
        "{sql: \"select repeat('x', 2000000) || range as Region, 1 as Revenue from range(20)\"}",
    )
    err = _one_line_error(spec, capsys, "--memory-limit", "16MB")
    assert err.startswith(f"{spec}:1:8: data.sql: DuckDB ran out of memory reading ")


def test_a_corrupt_parquet_file_is_one_located_line(tmp_path, capsys):
    (tmp_path / "bad.parquet").write_bytes(b"\x00" * 3000 + b"PAR1")
    spec = _spec(tmp_path, "{path: bad.parquet}")
    err = _one_line_error(spec, capsys)
    assert err.startswith(
        f"{spec}:1:8: data.path: '{tmp_path / 'bad.parquet'}' is not a Parquet file that can be read ("
    )
    assert err.endswith("); write it again, or point at another file")


def test_a_pipe_named_as_data_is_refused_without_reading_it(tmp_path, capsys):
    os.mkfifo(tmp_path / "orders.csv")
    spec = _spec(tmp_path, "{path: orders.csv}")
    assert _one_line_error(spec, capsys) == (
        f"{spec}:1:8: data.path: data file '{tmp_path / 'orders.csv'}' is not a regular file (a pipe, "
        "socket or device); point at a file"
    )


def test_a_pipe_named_as_the_spec_is_refused_without_reading_it(tmp_path, capsys):
    os.mkfifo(tmp_path / "story.yaml")
    assert _one_line_error(tmp_path / "story.yaml", capsys) == (
        f"{tmp_path / 'story.yaml'}: is not a regular file (a pipe, socket or device); "
        "name a spec file"
    )


def test_a_deeply_nested_template_expression_is_one_located_line(tmp_path, capsys):
    deep = "Region.top(Revenue, Region=" * 2000 + "Region.top" + ")" * 2000
    spec = _spec(
        tmp_path,
        "{sample: sales}",
        f"slides:\n  - title: '{{{deep}}}'\n    steps: [{{chart: {{kind: column, x: Region, y: Revenue}}}}]\n",
    )
    err = _one_line_error(spec, capsys)
    assert err.startswith(
        f"{spec}:3:41: slide 1, title: conditions nest deeper than 8 levels; no sentence needs "
        "that (at character 245 of "
    )


@pytest.mark.parametrize(
    ("theme", "message"),
    [
        (
            "title_slide: " + "[" * 5000 + "]" * 5000,
            "theme: {folder}/look.yaml:1:77: the theme nests deeper than 64 levels; no story needs that",
        ),
        (
            "colors: &a [*a, *a]",
            "theme: {folder}/look.yaml:1:13: YAML aliases (*a) are not allowed in a theme; write the value out",
        ),
        (
            "title_slide: {title: [a, b]}",
            "theme: theme 'look': title_slide.title is text, got list ['a', 'b']",
        ),
    ],
)
def test_hostile_themes_are_one_located_line(tmp_path, capsys, theme, message):
    (tmp_path / "look.yaml").write_text(theme + "\n")
    spec = tmp_path / "story.yaml"
    spec.write_text("data: {sample: sales}\ntheme: look.yaml\n" + CHART)
    expected = f"{spec}:2:1: " + message.format(folder=tmp_path)
    assert _one_line_error(spec, capsys) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "style=&a {x: *a}",
            "--set 'style=&a {x: *a}': YAML aliases (*a) are not allowed in a --set value; "
            "write the value out",
        ),
        (
            "style=" + "[" * 3000 + "]" * 3000,
            "--set 'style=" + "[" * 54 + "': the --set value nests deeper than 64 levels; "
            "no story needs that",
        ),
    ],
)
def test_hostile_set_values_are_one_line(tmp_path, capsys, value, message):
    spec = _spec(tmp_path, "{sample: sales}")
    assert _one_line_error(spec, capsys, "--set", value) == message


NOTEBOOKS = {
    "not JSON": "not json {",
    "empty": "",
    "a list": "[1, 2]",
    "no cells": '{"nbformat": 4}',
    "cells a mapping": '{"cells": {}, "nbformat": 4}',
    "nbformat 3": '{"worksheets": [{"cells": []}], "nbformat": 3}',
    "nested 5,000 deep": "[" * 5000 + "]" * 5000,
    "a cell a string": '{"cells": ["x"], "nbformat": 4}',
    "a cell type a number": '{"cells": [{"cell_type": 7, "source": ""}], "nbformat": 4}',
    "source a number": '{"cells": [{"cell_type": "markdown", "source": 5}], "nbformat": 4}',
    "source lines not text": '{"cells": [{"cell_type": "markdown", "source": [1, null]}]}',
    "outputs a mapping": '{"cells": [{"cell_type": "code", "source": "", "outputs": {}}]}',
    "an output a string": '{"cells": [{"cell_type": "code", "source": "", "outputs": ["x"]}]}',
    "output data a string": '{"cells": [{"cell_type": "code", "outputs": [{"data": "x"}]}]}',
    "a story a number": '{"cells": [{"cell_type": "code", "outputs": [{"data": '
    '{"application/vnd.ipyreport.story+json": 5}}]}]}',
    "metadata a list": '{"cells": [], "metadata": [], "nbformat": 4}',
}


@pytest.mark.parametrize("kind", list(NOTEBOOKS))
def test_malformed_notebooks_are_one_line(tmp_path, capsys, kind):
    notebook = tmp_path / "damaged.ipynb"
    notebook.write_text(NOTEBOOKS[kind])
    assert main(["build", str(notebook), "-o", str(tmp_path / "out.html")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{notebook}: ")
    assert "\n" not in err
    assert not (tmp_path / "out.html").exists()


def test_a_pipe_named_as_a_notebook_is_refused_without_reading_it(tmp_path, capsys):
    os.mkfifo(tmp_path / "damaged.ipynb")
    assert main(["build", str(tmp_path / "damaged.ipynb")]) == 1
    assert capsys.readouterr().err.strip() == (
        f"{tmp_path / 'damaged.ipynb'}: is not a regular file (a folder, pipe or device); "
        "name a .ipynb file"
    )


# --- smaller ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["enum", "categorical"])
def test_first_and_last_of_a_polars_category_with_a_null_read_as_in_memory(kind):
    pl = pytest.importorskip("polars")
    from ipyreport import Slide, Story, presets

    dtype = pl.Enum(["Low", "Mid", "High"]) if kind == "enum" else pl.Categorical
    frame = pl.DataFrame(
        {"Level": ["High", None, "Low", "Mid", "High"], "Revenue": [1.0, 2.0, 3.0, 4.0, 5.0]},
        schema={"Level": dtype, "Revenue": pl.Float64},
    )
    titles = []
    for source in (frame, lazy(frame)):
        chart = presets.chart(kind="column", x="Level", y="Revenue")
        story = Story(source, slides=[Slide(chart, title="{Level.first} to {Level.last}")])
        titles.append(story.to_dict()["slides"][0]["title"])
    first = "Low" if kind == "enum" else "High"
    assert titles == [f"{first} to (missing)", f"{first} to (missing)"]


def test_a_ratio_read_with_a_misspelt_pct_says_did_you_mean(capsys, tmp_path):
    spec = _spec(
        tmp_path,
        "{sample: sales}",
        "slides:\n  - title: '{share(Revenue, Region=Europe) | pcnt}'\n"
        "    steps: [{chart: {kind: column, x: Region, y: Revenue}}]\n",
    )
    assert _one_line_error(spec, capsys) == (
        f"{spec}:3:13: slide 1, title: {{share(Revenue, Region=Europe)}}: 'pcnt' would read "
        "this ratio as a number with the unit 'pcnt' (did you mean 'pct'?)"
    )


def test_allow_path_must_name_a_folder_that_exists(tmp_path, capsys):
    spec = _spec(tmp_path, "{sample: sales}")
    missing = tmp_path / "nonexistent"
    assert main(["validate", str(spec), "--allow-path", str(missing)]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"ipyreport validate: error: argument --allow-path: '{missing}' does not exist; "
        "name a folder the specs read data from"
    )
    with pytest.raises(SpecError, match=r"^--allow-path '.*nonexistent': does not exist; "):
        Access.for_spec(spec, folders=[missing])


# How each player refuses a value: traitlets' error, or param's ValueError.
REFUSED = (TraitError, ValueError)


def _board():
    from ipyreport import Dashboard, Slide, Story, presets

    return Story(
        samples.sales(),
        slides=[
            Slide(presets.chart(kind="column", x="Region", y="Revenue")),
            Dashboard(
                presets.chart(kind="column", x="Region", y="Revenue"),
                presets.chart(kind="pie", x="Product", y="Units"),
            ),
        ],
    )


def _players():
    from ipyreport.notebook.widget import StoryPlayer as Widget
    from ipyreport.panel import StoryPlayer as PanelPlayer

    board = _board()
    return [(Widget(board), "height"), (PanelPlayer(board), "player_height")]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "story",
            "not json",
            "story is a story document's JSON (Story.to_json()), and this is not JSON",
        ),
        ("story", '{"slides": 3}', "a mapping whose slides each hold steps"),
        (
            "story",
            '{"slides": [{"title": "Old", "steps": [{"config": {}}]}]}',
            "story is a story document without the rests, headings and words a player reads",
        ),
        ("height", 2**64, None),
        ("slide", "2", None),
        ("slide", True, None),
        ("step", True, None),
        ("slide", 3, None),
        ("selection", {"Region": 5}, None),
        ("selection", {"Region": "Europa"}, "'Region' has no category 'Europa'"),
    ],
)
def test_players_refuse_a_bad_value_and_keep_the_one_they_had(name, value, message):
    for player, height in _players():
        player.go(2)
        player.selection = {"Region": "Europe"}
        field = height if name == "height" else name
        before = getattr(player, field)
        with pytest.raises(REFUSED, match=None if message is None else re.escape(message)):
            setattr(player, field, value)
        assert getattr(player, field) == before, type(player).__module__
        assert (player.slide, player.selection) == (2, {"Region": "Europe"})


def test_a_player_takes_another_story_from_its_first_slide():
    from ipyreport import Slide, Story, presets

    for player, _ in _players():
        player.go(2)
        other = Story(
            samples.sales(), slides=[Slide(presets.chart(kind="bar", x="Region", y="Revenue"))]
        )
        player.story = other.to_json().decode("utf-8")
        assert (player.slide, player.step, player.selection) == (1, 1, {})
        with pytest.raises(REFUSED, match=r"1 to 1, got 2|at most 1, not 2"):
            player.slide = 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"story": "not json"}, "story is an ipyreport Story, got str 'not json'"),
        ({"layout": "bogus"}, "layout is 'slides' or 'scroll', got 'bogus'"),
        (
            {"height": 2**64},
            "height is the player's height in pixels, from 100 to 10,000; got 18446744073709551616",
        ),
        ({"slide": "2"}, "slide is a number from 1 to 2, got '2'"),
    ],
)
def test_streamlit_refuses_bad_arguments_in_one_line(arguments, message):
    import ipyreport.streamlit
    from ipyreport import IpyreportError

    with pytest.raises(IpyreportError) as caught:
        ipyreport.streamlit.story(**{"story": _board(), **arguments})
    assert str(caught.value) == message


def test_quiet_builds_print_no_warnings(tmp_path, capsys):
    spec = _spec(tmp_path, "{sample: sales}")
    assert main(["build", str(spec)]) == 0
    assert capsys.readouterr().err.startswith(f"warning: {spec}: slide 1, step 1: Revenue reads")
    assert main(["build", "-q", str(spec)]) == 0
    assert capsys.readouterr() == ("", "")
