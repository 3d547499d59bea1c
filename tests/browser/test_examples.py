"""The example stories the demo builds play from start to end in a browser."""

import pytest

from ipyreport.cli import main

from .pages import wait_idle, wait_ready
from .test_player import INK, shown

EXAMPLES = ["monthly-playback", "orders-at-scale", "sales-overview"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--out", str(out), "--orders", "20000"]) == 0
    return out


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_story_plays_every_step(open_file, demo, name):
    # Reduced motion makes each step a jump, so a 50-step story plays quickly.
    watch = open_file(demo / f"{name}.html", reduced_motion="reduce")
    page = watch.page
    wait_ready(page)
    page.focus("#ipyreport")
    total = page.evaluate("() => document.querySelector('.ipyreport-progress').max")
    seen = []
    for index in range(total):
        if index:
            page.keyboard.press("ArrowRight")
            wait_idle(page)
        state = shown(page)
        seen.append((state["slide"], state["step"]))
        assert page.evaluate(INK)["ink"] > 0.005, f"{name} step {index + 1} looks blank"
        assert state["alt"], f"{name} step {index + 1} has no text alternative"
    assert len(set(seen)) == total
    assert watch.errors == []
    assert watch.network_requests() == []
