"""``ipyreport build --multirun`` (a deck per combination, an index, provenance.json) and
``ipyreport build --check-fresh`` (has a deck's data changed since it was built?)."""

import json
import re
import textwrap
from pathlib import Path

import pytest

from ipyreport import Slide, Story, presets
from ipyreport._multirun import GRID_LIMIT, grid, index_page
from ipyreport.cli import GRID_LIMIT as CLI_GRID_LIMIT
from ipyreport.cli import main
from ipyreport.spec import SpecError

SPEC = textwrap.dedent(
    """\
    title: "Revenue, ${params.region}, ${params.quarter}"
    params:
      region: Europe
      quarter: {type: string, choices: [Q1, Q2, Q3, Q4], default: Q1}
    data:
      path: "data/${params.quarter}.csv"
    slides:
      - title: "${params.region} by month"
        steps:
          - chart: {kind: column, x: Month, y: Revenue}
            filter: {Region: "${params.region}"}
    """
)
Q1 = "Region,Month,Revenue\nEurope,Jan,10\nEurope,Feb,12\nAmericas,Jan,5\nAmericas,Feb,9\nAfrica,Jan,2\nAfrica,Feb,3\n"
# Africa has no rows in the second quarter: its deck cannot be built.
Q2 = "\n".join(line for line in Q1.splitlines() if not line.startswith("Africa")) + "\n"
GRID = ["params.region=Europe,Americas,Africa", "params.quarter=Q1,Q2"]
DECKS = [
    "region-Europe_quarter-Q1",
    "region-Europe_quarter-Q2",
    "region-Americas_quarter-Q1",
    "region-Americas_quarter-Q2",
    "region-Africa_quarter-Q1",
    "region-Africa_quarter-Q2",
]


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "Q1.csv").write_text(Q1)
    (tmp_path / "data" / "Q2.csv").write_text(Q1)
    path = tmp_path / "monthly.yaml"
    path.write_text(SPEC)
    return path


def _document(page: str) -> dict:
    start = page.index('id="ipyreport-story">') + len('id="ipyreport-story">')
    return json.loads(page[start : page.index("</script>", start)])


def test_a_3x2_grid_builds_every_deck_but_the_failing_one_and_keeps_its_earlier_deck(
    spec, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    out = tmp_path / "decks"
    # An earlier, good deck of the combination that is about to fail.
    earlier = out / "region-Africa_quarter-Q2.html"
    argv = ["build", str(spec), "-q", "--set", "params.region=Africa", "--set", "params.quarter=Q2"]
    assert main([*argv, "-o", str(earlier)]) == 0
    kept = earlier.read_bytes()
    (spec.parent / "data" / "Q2.csv").write_text(Q2)

    status = main(["build", str(spec), "-o", str(out), "--multirun", *GRID, "--jobs", "2"])

    assert status == 1  # one deck failed
    # A stage that takes over a second also prints a plain progress line; the failure is the rest.
    err = "".join(
        line
        for line in capsys.readouterr().err.splitlines(keepends=True)
        if not line.startswith("[")
    )
    assert err == (
        f"region-Africa_quarter-Q2: {spec}:11:9: slide 1, step 1: the filter keeps 'Region' == "
        "'Africa', which never occurs (did you mean 'Americas'?)\n"
    )
    assert earlier.read_bytes() == kept  # not replaced by a broken or partial file
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*(f"{name}.html" for name in DECKS), "index.html", "provenance.json"]
    )
    for name in DECKS[:5]:
        made = _document((out / f"{name}.html").read_text())
        region, quarter = re.fullmatch(r"region-(\w+)_quarter-(\w+)", name).groups()
        assert made["title"] == f"Revenue, {region}, {quarter}"
        provenance = made["provenance"]
        assert provenance["parameters"] == {"region": region, "quarter": quarter}
        assert provenance["overrides"] == [f"params.region={region}", f"params.quarter={quarter}"]
        assert provenance["specPath"] == "../monthly.yaml"
        assert provenance["built"] == "2026-01-01T00:00:00Z"
        assert [f["path"] for f in provenance["data"]["source"]["files"]] == [f"data/{quarter}.csv"]

    index = (out / "index.html").read_text()
    assert (
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">" in index
    )
    assert "<script" not in index
    assert "5 of 6 decks built, 1 failed" in index
    links = re.findall(r'<a href="([^"]+)">', index)
    assert links == ["provenance.json", *(f"{name}.html" for name in DECKS[:5])]
    assert (
        "<tr><td>Africa</td><td>Q2</td><td class=failed colspan=2>failed: "
        f"{spec}:11:9: slide 1, step 1: the filter keeps &#x27;Region&#x27; == &#x27;Africa&#x27;"
    ) in index

    record = json.loads((out / "provenance.json").read_text())
    assert record["spec"] == "monthly.yaml"
    assert record["built"] == "2026-01-01T00:00:00Z"
    assert record["grid"] == {
        "params.region": ["Europe", "Americas", "Africa"],
        "params.quarter": ["Q1", "Q2"],
    }
    assert [deck["file"] for deck in record["decks"]] == [
        *(f"{name}.html" for name in DECKS[:5]),
        None,
    ]
    assert (
        record["decks"][0]["provenance"]
        == _document((out / "region-Europe_quarter-Q1.html").read_text())["provenance"]
    )
    assert record["decks"][5]["error"].endswith("which never occurs (did you mean 'Americas'?)")


def test_a_grid_above_the_limit_needs_yes(spec, tmp_path, capsys):
    values = ",".join(str(n) for n in range(1001))
    out = tmp_path / "decks"
    status = main(["build", str(spec), "-o", str(out), "--multirun", f"params.region={values}"])
    assert status == 2
    assert capsys.readouterr().err == (
        "--multirun makes 1,001 decks (1001 params.region), more than 1,000; pass --yes to build "
        "them all, or list fewer values\n"
    )
    assert not out.exists()
    assert len(grid([f"params.region={values}"], allow_many=True)) == 1001
    assert GRID_LIMIT == CLI_GRID_LIMIT == 1000


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        (
            "params.quarter=Q1,Q9",
            "--set 'params.quarter=Q9': params.quarter: 'Q9' is not one of ['Q1', 'Q2', 'Q3', 'Q4']",
        ),
        (
            "params.regoin=Europe",
            "--set 'params.regoin=Europe': the spec declares no parameter 'regoin' (did you mean "
            "'region'?); declare it under params: (declared: region, quarter)",
        ),
        (
            "params.region=Europe,,Africa",
            "--multirun 'params.region=Europe,,Africa': write key=value1,value2 (no empty value), "
            "for example --multirun params.region=Europe,Americas",
        ),
        (
            "params.region=Europe,Europe",
            "--multirun 'params.region=Europe,Europe': 'Europe' is listed twice; list each value once",
        ),
    ],
)
def test_a_bad_grid_is_one_line_before_anything_is_built(
    spec, tmp_path, capsys, assignment, message
):
    out = tmp_path / "decks"
    assert main(["build", str(spec), "-o", str(out), "--multirun", assignment]) == 2
    assert capsys.readouterr().err == message + "\n"
    assert not out.exists()


def test_the_index_escapes_what_it_shows():
    page = index_page(
        "<b>t</b>",
        ["params.region"],
        [
            {"ok": True, "values": ["<i>x</i>"], "file": 'a"b.html', "rows": 3},
            {"ok": False, "values": ["y"], "error": "</td><script>alert(1)</script>"},
        ],
    )
    assert "<script" not in page
    assert "<i>" not in page
    assert "<title>&lt;b&gt;t&lt;/b&gt;</title>" in page
    assert '<a href="a&quot;b.html">a&quot;b.html</a>' in page
    assert "failed: &lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_grid_names_stay_apart_and_safe():
    names = [c.name for c in grid(["params.region=a/b,a b,A-B,../x"])]
    assert names == ["region-a-b", "region-a-b-2", "region-A-B-3", "region-x"]
    with pytest.raises(SpecError, match=r"--multirun names 'params\.a' twice"):
        grid(["params.a=1,2", "params.a=3"])


# --- check-fresh ------------------------------------------------------------------------


def test_check_fresh_says_whether_the_data_changed_since_the_build(spec, tmp_path, capsys):
    deck = tmp_path / "out" / "deck.html"
    assert main(["build", str(spec), "-q", "-o", str(deck)]) == 0
    built = _document(deck.read_text())["provenance"]["built"]
    capsys.readouterr()
    assert main(["build", "--check-fresh", str(deck)]) == 0
    assert capsys.readouterr().out == f"{deck}: fresh (its data is as it was on {built})\n"

    data = spec.parent / "data" / "Q1.csv"
    before = data.read_bytes()
    data.write_bytes(before.replace(b"Feb,12", b"Feb,13"))  # same size, new content
    assert main(["build", "--check-fresh", str(deck)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(
        f"{deck}: data changed since it was built on {built}: data/Q1.csv changed content (sha256 "
    )
    data.write_bytes(before)
    assert main(["build", "--check-fresh", str(deck)]) == 0
    capsys.readouterr()
    (spec.parent / "data" / "Q1.csv").unlink()
    assert main(["build", "--check-fresh", str(deck)]) == 1
    assert capsys.readouterr().out.endswith(": data/Q1.csv is gone\n")


def test_check_fresh_reads_a_multirun_folder(spec, tmp_path, capsys):
    out = tmp_path / "decks"
    assert (
        main(
            [
                "build",
                str(spec),
                "-q",
                "-o",
                str(out),
                "--multirun",
                "params.quarter=Q1,Q2",
                "-j",
                "1",
            ]
        )
        == 0
    )
    (spec.parent / "data" / "Q2.csv").write_text(Q1 + "Europe,Mar,1\n")
    capsys.readouterr()
    assert main(["build", "--check-fresh", str(out)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{out / 'quarter-Q1.html'}: fresh")
    assert lines[1].startswith(f"{out / 'quarter-Q2.html'}: data changed")
    assert lines[1].endswith(f"data/Q2.csv changed size ({len(Q1)} → {len(Q1) + 13} bytes)")


def test_check_fresh_cannot_tell_for_a_story_made_in_python(tmp_path, capsys):
    story = Story(
        {"r": ["a"], "v": [1.0]}, slides=[Slide(presets.chart(kind="column", x="r", y="v"))]
    )
    deck = story.save_html(tmp_path / "api.html")
    assert main(["build", "--check-fresh", str(deck)]) == 2
    assert capsys.readouterr().err == (
        f"{deck}: records no spec it was built from (made with the Python API, or an ipyreport "
        "before 0.2), so its data cannot be checked; build it with ipyreport build\n"
    )


def test_builds_with_parameters_are_byte_identical_with_a_pinned_time(spec, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    argv = ["build", str(spec), "-q", "--set", "params.region=Americas"]
    assert main([*argv, "-o", str(tmp_path / "one.html")]) == 0
    assert main([*argv, "-o", str(tmp_path / "two.html")]) == 0
    assert (tmp_path / "one.html").read_bytes() == (tmp_path / "two.html").read_bytes()


def test_check_fresh_of_a_deck_moved_away_from_its_spec_cannot_tell(spec, tmp_path, capsys):
    deck = tmp_path / "out" / "deck.html"
    assert main(["build", str(spec), "-q", "-o", str(deck)]) == 0
    moved = tmp_path / "elsewhere" / "deep" / "deck.html"
    moved.parent.mkdir(parents=True)
    deck.rename(moved)
    assert main(["build", "--check-fresh", str(moved)]) == 2
    assert capsys.readouterr().err == (
        f"{moved}: was built from ../monthly.yaml (relative to the deck), which is not there; "
        "check the deck where it was built, beside its spec and data\n"
    )


def test_multirun_writes_a_folder_for_one_spec(spec, tmp_path, capsys):
    grid_argv = ["--multirun", "params.quarter=Q1,Q2"]
    assert main(["build", str(spec), "-o", str(tmp_path / "x.html"), *grid_argv]) == 2
    assert capsys.readouterr().err == (
        "error: --multirun writes a folder of decks; -o names a folder, not an .html file\n"
    )
    assert main(["build", str(spec), str(spec), *grid_argv]) == 2
    assert capsys.readouterr().err == "error: --multirun builds one spec; name one\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "monthly.yaml"]


@pytest.mark.parametrize(
    ("cores", "load", "workers"), [(2, 0.3, 2), (2, 9.5, 1), (8, 2.2, 4), (16, 10.0, 4)]
)
def test_a_multirun_takes_the_cores_not_already_busy(monkeypatch, cores, load, workers):
    from ipyreport import cli

    monkeypatch.setattr(cli.os, "sched_getaffinity", lambda _: set(range(cores)), raising=False)
    monkeypatch.setattr(cli.os, "getloadavg", lambda: (load, load, load))
    assert cli._free_cores() == workers


def test_an_interrupted_multirun_builds_no_more_and_keeps_the_index(
    spec, tmp_path, capsys, monkeypatch
):
    import concurrent.futures

    out = tmp_path / "decks"
    out.mkdir()
    (out / "index.html").write_text("the earlier index")
    real = concurrent.futures.as_completed

    def interrupted(futures):
        yield next(real(futures))
        raise KeyboardInterrupt

    monkeypatch.setattr(concurrent.futures, "as_completed", interrupted)
    argv = ["build", str(spec), "-o", str(out), "--multirun", *GRID, "--jobs", "1"]
    assert main(argv) == 130
    assert capsys.readouterr().err.endswith(
        "stopped after 1 of 6 decks; the index was not rewritten\n"
    )
    assert (out / "index.html").read_text() == "the earlier index"
    built = sorted(p.name for p in out.iterdir() if p.name != "index.html")
    assert len(built) <= 2  # the deck reported, and at most the one being built then
    assert not [name for name in built if ".part" in name]


def test_the_guide_monthly_workflow_runs_as_written(tmp_path):
    import subprocess
    import sys

    guide = Path(__file__).resolve().parents[2] / "docs" / "guide" / "specs-cli.md"
    section = guide.read_text(encoding="utf-8").split("### Monthly reports")[1]
    script = section.split("```sh\n")[1].split("```")[0]
    # The reader's ipyreport command is this interpreter's.
    wrapper = f'ipyreport() {{ "{sys.executable}" -m ipyreport "$@"; }}\n'
    done = subprocess.run(
        ["bash", "-c", wrapper + script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    lines = done.stdout.splitlines()
    assert done.returncode == 1, done.stderr  # the last check: data/Q1.csv changed
    assert "failed: 1" in lines
    assert sum(": fresh (its data is as it was on " in line for line in lines) == 5
    assert lines[-1].startswith(
        "decks/region-Europe_quarter-Q1.html: data changed since it was built"
    )
    assert lines[-1].endswith("data/Q1.csv changed size (105 → 118 bytes)")
    assert (tmp_path / "monthly" / "decks" / "index.html").is_file()
