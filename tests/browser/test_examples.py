"""The example stories the demo builds play from start to end in a browser, look as reviewed,
read, and pass axe-core's accessibility rules at every step."""

import re

import pytest

from ipyreport.cli import main

from .goldens import VARIANTS, compare, compare_words, photograph
from .pages import axe_violations, wait_idle, wait_ready
from .test_player import INK, shown

EXAMPLES = ["monthly-playback", "orders-at-scale", "sales-overview"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--out", str(out), "--orders", "20000"]) == 0
    return out


# A number as the engine writes it unformatted: five or more digits in a row,
# or a long fraction ("323764017.77", "88777003.02").
RAW_NUMBER = re.compile(r"\d{5,}|\.\d{3,}")


def overlapping(p, q):
    """Whether two drawn texts (four corners each, rotated or not) overlap: no edge separates them."""
    for shape in (p, q):
        for (x1, y1), (x2, y2) in zip(shape, shape[1:] + shape[:1], strict=True):
            normal = (y1 - y2, x2 - x1)
            a = [x * normal[0] + y * normal[1] for x, y in p]
            b = [x * normal[0] + y * normal[1] for x, y in q]
            slack = (normal[0] ** 2 + normal[1] ** 2) ** 0.5
            if max(a) <= min(b) + slack or max(b) <= min(a) + slack:
                return False
    return True


def unreadable(labels):
    """Problems with the labels a chart drew: two overlapping in one group, or a raw number."""
    problems = []
    for chart, drawn in enumerate(labels, start=1):
        for i, first in enumerate(drawn):
            if RAW_NUMBER.search(first["text"]):
                problems.append(f"chart {chart}: unformatted {first['text']!r}")
            for second in drawn[i + 1 :]:
                if first["group"] == second["group"] and overlapping(
                    first["corners"], second["corners"]
                ):
                    problems.append(f"chart {chart}: {first['text']!r} overlaps {second['text']!r}")
    return problems


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("name", EXAMPLES)
def test_example_story_plays_every_step_readably_and_as_reviewed(open_file, demo, name, variant):
    size, scheme = VARIANTS[variant]
    # Reduced motion makes each step a jump, so a 50-step story plays quickly.
    watch = open_file(
        demo / f"{name}.html", reduced_motion="reduce", size=size, color_scheme=scheme
    )
    page = watch.page
    wait_ready(page)
    total = page.evaluate("() => document.querySelector('.ipyreport-progress').max")
    seen = []
    looks = []
    words = []
    violations = []
    for index in range(total):
        if index:
            page.keyboard.press("ArrowRight")  # no click first: the clicker works from the start
            wait_idle(page)
        state = shown(page)
        seen.append((state["slide"], state["step"]))
        assert page.evaluate(INK)["ink"] > 0.005, f"{name} step {index + 1} looks blank"
        assert state["alt"], f"{name} step {index + 1} has no text alternative"
        labels = page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()")
        assert sum(map(len, labels)) > 0, f"{name} step {index + 1} drew no labels"
        assert unreadable(labels) == [], f"{name} step {index + 1}"
        words.append(sorted(label["text"] for drawn in labels for label in drawn))
        violations += [f"step {index + 1}: {found}" for found in axe_violations(page)]
        looks.append(compare(photograph(page), name, variant, index + 1, page))
    assert len(set(seen)) == total
    assert violations == []  # axe-core at every step, light and dark, desktop and phone
    assert [look for look in looks if look] == []
    assert compare_words(words, name, variant) is None, compare_words(words, name, variant)
    assert watch.errors == []
    assert watch.network_requests() == []
