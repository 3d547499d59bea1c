"""``python -m bench`` keeps what it printed: a results file per benchmark, with when it ran,
on what machine and by which command, which the documentation's benchmarks page is made from."""

import json

from bench import _results


def test_a_benchmark_run_writes_its_report_figures_command_date_and_machine(tmp_path, capsys):
    def benchmark():
        print("\nSpeed (python -m bench speed)\n")
        print("| rows | seconds |\n|---:|---:|\n| 10 | 0.5 s |")
        return [{"rows": 10, "seconds": 0.5}]

    path = _results.run("speed", benchmark, command="python -m bench speed", folder=tmp_path)

    assert path == tmp_path / "speed.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["benchmark"] == "speed"
    assert record["command"] == "python -m bench speed"
    assert record["report"] == (
        "Speed (python -m bench speed)\n\n| rows | seconds |\n|---:|---:|\n| 10 | 0.5 s |"
    )
    assert record["figures"] == [{"rows": 10, "seconds": 0.5}]
    assert record["date"].endswith(" UTC")
    assert set(record["machine"]) == {
        "cpu",
        "cores",
        "memory_gib",
        "system",
        "python",
        "load_average",
    }
    assert record["machine"]["cores"] >= 1
    # The terminal still sees the table as it is printed.
    assert "| 10 | 0.5 s |" in capsys.readouterr().out


def test_a_quick_run_writes_beside_the_measured_results_not_over_them():
    from bench.__main__ import QUICK_RESULTS

    assert QUICK_RESULTS != _results.RESULTS
    assert QUICK_RESULTS.name == "out"  # git-ignored (bench/out/)
