"""The ipyreport command, run in process."""

import json

from ipyreport import __version__
from ipyreport.cli import main


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"ipyreport {__version__}\n"


def test_no_command_is_a_usage_error(capsys):
    assert main([]) == 2
    assert "usage: ipyreport" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error(capsys):
    assert main(["frobnicate"]) == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err


def test_demo_writes_the_sample_data_and_says_where(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path)]) == 0
    target = tmp_path / "sales.vizzu.json"
    assert capsys.readouterr().out.startswith(f"wrote {target} (6,420 rows, 8 series")
    data = json.loads(target.read_bytes())
    assert [series["name"] for series in data["series"]][:2] == ["Region", "Country"]
