"""The player's store (export/store.js), run by Node: the one mutable state, changed by
named actions, and the promise that the player rests."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

STORE = Path(__file__).resolve().parents[2] / "ipyreport" / "export" / "store.js"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="needs Node.js")


def run(script: str) -> object:
    """What ``script`` (an ES module with ``store`` imported) prints, read as JSON."""
    module = f"import * as store from {json.dumps(STORE.as_uri())};\n{script}"
    assert NODE is not None
    result = subprocess.run(
        [NODE, "--input-type=module", "-e", module],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return json.loads(result.stdout)


def test_idle_resolves_only_once_the_last_move_asked_for_is_drawn():
    seen = run(
        """
        const s = store.createStore();
        const log = [];
        await s.idle();
        log.push("resting at first");
        s.dispatch({ type: "moving" });
        s.idle().then(() => log.push(`rested at ${s.state.index}`));
        s.dispatch({ type: "arrived", index: 1 });
        s.dispatch({ type: "queued", target: 4 });
        await null;
        s.dispatch({ type: "dequeued" });
        await null;
        s.dispatch({ type: "arrived", index: 4 });
        log.push("drawn, not yet rested");
        s.dispatch({ type: "rested" });
        await null;
        console.log(JSON.stringify(log));
        """
    )
    assert seen == ["resting at first", "drawn, not yet rested", "rested at 4"]


def test_subscribers_get_the_new_state_and_the_one_before_and_can_leave():
    seen = run(
        """
        const s = store.createStore();
        const log = [];
        const stop = s.subscribe((state, previous) => log.push([previous.panels.table, state.panels.table]));
        s.dispatch({ type: "panel", panel: "table", open: true });
        stop();
        s.dispatch({ type: "panel", panel: "table", open: false });
        console.log(JSON.stringify({ log, frozen: Object.isFrozen(s.state) }));
        """
    )
    assert seen == {"log": [[False, True]], "frozen": True}


def test_a_selection_is_kept_per_dashboard_slide():
    seen = run(
        """
        const s = store.createStore();
        s.dispatch({ type: "selected", slide: 2, selection: { from: 0, where: { Region: "Asia" } } });
        s.dispatch({ type: "selected", slide: 5, selection: null });
        console.log(JSON.stringify(s.state.selections));
        """
    )
    assert seen == {"2": {"from": 0, "where": {"Region": "Asia"}}, "5": None}


def test_engines_on_the_page_are_those_of_players_not_yet_destroyed_holding_none():
    seen = run(
        """
        const [a, b] = [store.createStore(), store.createStore()];
        store.register(a);
        store.register(b);
        a.dispatch({ type: "engines", by: 2 });
        b.dispatch({ type: "engines", by: 3 });
        const counts = [store.enginesOnPage()];
        a.dispatch({ type: "destroyed" });
        counts.push(store.enginesOnPage());  // destroyed, but still holding two
        a.dispatch({ type: "engines", by: -2 });
        counts.push(store.enginesOnPage());
        a.dispatch({ type: "engines", by: 1 });  // gone from the page: no longer counted
        counts.push(store.enginesOnPage());
        console.log(JSON.stringify(counts));
        """
    )
    assert seen == [5, 5, 3, 3]


def test_an_action_a_subscriber_dispatches_runs_once_every_subscriber_has_seen_the_one_before():
    seen = run(
        """
        const s = store.createStore();
        const log = [];
        // The first subscriber starts a cross-filter whenever a selection arrives.
        s.subscribe((state, previous) => {
          if (state.selections !== previous.selections) s.dispatch({ type: "filtering", by: 1 });
        });
        s.subscribe((state, previous) => log.push([previous.filtering, state.filtering, Object.keys(state.selections)]));
        s.dispatch({ type: "selected", slide: 1, selection: { from: -1, where: { Region: "Asia" } } });
        let rested = false;
        s.idle().then(() => (rested = true));
        await null;
        console.log(JSON.stringify({ log, filtering: s.state.filtering, rested }));
        """
    )
    assert seen == {"log": [[0, 0, ["1"]], [0, 1, ["1"]]], "filtering": 1, "rested": False}
