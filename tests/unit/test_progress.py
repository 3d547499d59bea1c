"""Build progress that suits where it goes: a live bar on a terminal, plain lines in a log, nothing with -q."""

import sys

import pytest

from ipyreport import samples
from ipyreport.cli import Progress
from ipyreport.lazy import lazy


def run(monkeypatch, capsys, *, terminal: bool, quiet: bool) -> str:
    """A build whose reading takes 0.2 s, aggregating 12 s and 200 video frames 0.1 s each."""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal)
    now = [0.0]
    progress = Progress(3, quiet=quiet, clock=lambda: now[0])
    progress.update("reading story.yaml")
    now[0] += 0.2
    progress.advance()
    progress.update("aggregating story.yaml")
    now[0] += 12
    progress.advance()
    for frame in range(1, 201):
        progress.update(f"recording story.mp4: frame {frame} of 200")
        now[0] += 0.1
    progress.advance()
    return capsys.readouterr().err


def test_a_terminal_gets_a_bar_redrawn_in_place(monkeypatch, capsys):
    err = run(monkeypatch, capsys, terminal=True, quiet=False)
    assert "\n" not in err
    assert err.count("\r[") == 202
    assert "[################--------] 2/3 recording story.mp4: frame 200 of 200" in err


def test_a_log_gets_one_plain_line_per_slow_stage_when_it_ends(monkeypatch, capsys):
    err = run(monkeypatch, capsys, terminal=False, quiet=False)
    assert err == "[2/3] aggregating story.yaml (12.0 s)\n[3/3] recording story.mp4 (20.0 s)\n"


@pytest.mark.parametrize("terminal", [True, False])
def test_quiet_writes_nothing(monkeypatch, capsys, terminal):
    assert run(monkeypatch, capsys, terminal=terminal, quiet=True) == ""


@pytest.mark.parametrize("terminal", [True, False])
def test_duckdbs_own_bar_is_drawn_only_in_a_terminal(monkeypatch, tmp_path, terminal):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal)
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    samples.write_orders(tmp_path, rows=100, parts=1)
    source = lazy(tmp_path)
    setting = source._connection.sql("select current_setting('enable_progress_bar')").fetchall()
    assert setting == [(terminal,)]
