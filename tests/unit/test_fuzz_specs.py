"""Fuzzing specs: any YAML tree either builds or fails with one located message, never a traceback.

Trees are drawn from the spec's own vocabulary (its fields, step kinds,
preset parameters, the sample's columns and chart kinds) mixed with
wrong types, huge and non-finite numbers, dates, unicode and nesting, so
most of them reach deep into building a story rather than stopping at the
first unknown key.
"""

import copy
import datetime as dt
import html
import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ipyreport import presets
from ipyreport._errors import IpyreportError
from ipyreport.spec import STEP_KINDS, build, load, loads

COLUMNS = ["Region", "Country", "Product", "Channel", "Month", "Revenue", "Units", "Profit", "Nope"]
WORDS = sorted(
    {
        *COLUMNS,
        *presets.KINDS,
        *STEP_KINDS,
        *(name for preset in presets.REGISTRY.values() for name in preset.parameters.fields),
        "Europe",
        "Laptops",
        "2021-01-01",
        "mean(Revenue)",
        "count(Units)",
        "\u202eevil",
        "</script>",
    }
)

scalars = st.one_of(
    st.sampled_from(WORDS),
    st.integers(-(10**25), 10**25),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.text(max_size=6),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(WORDS), inner, max_size=4),
    ),
    max_leaves=12,
)


def _argument(draw, name):
    """Mostly a plausible value for a preset parameter, sometimes anything at all."""
    if draw(st.integers(0, 19)) == 0:
        return draw(values)
    if name == "kind":
        return draw(st.sampled_from(["column", "bar", "pie", "line", "stacked_column", "treemap"]))
    if name in ("kinds", "levels", "path", "titles"):
        pool = list(presets.KINDS) if name == "kinds" else [*COLUMNS, "Europe", "Germany"]
        return draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3))
    if name in ("low", "high", "duration"):
        return draw(st.one_of(st.floats(-10, 1e6), st.integers(-5, 10**6)))
    if name in ("sort", "reverse", "back", "cumulative", "fill"):
        return draw(st.booleans())
    if name in ("y", "size"):
        return draw(
            st.sampled_from(["Revenue", "Units", "mean(Revenue)", "count(Units)", "Region"])
        )
    return draw(st.sampled_from(COLUMNS))


@st.composite
def steps(draw):
    kind = draw(st.sampled_from([*presets.REGISTRY, "chart", "chart", "morph", "config"]))
    if kind == "config":
        step = {kind: draw(st.dictionaries(st.sampled_from(WORDS), values, max_size=3))}
    else:
        fields = STEP_KINDS[kind]
        names = set(fields.required) | set(
            draw(st.lists(st.sampled_from(sorted(fields.fields)), max_size=4))
        )
        if draw(st.integers(0, 19)) == 0:
            names.add(draw(st.sampled_from(WORDS)))  # a typo now and then
        step = {kind: {name: _argument(draw, name) for name in sorted(names)}}
    if draw(st.integers(0, 2)) == 0:
        column = draw(st.sampled_from(COLUMNS))
        label = draw(st.sampled_from(["Europe", "Laptops", "Online", "2021-01-01", "Nope"]))
        step["filter"] = {column: draw(st.one_of(st.just([label]), st.just([0, 1e6]), values))}
    if draw(st.integers(0, 9)) == 0:
        step[draw(st.sampled_from(["style", "animation"]))] = draw(values)
    return step


@st.composite
def specs(draw):
    slide = {"steps": draw(st.lists(steps(), min_size=1, max_size=2))}
    if draw(st.integers(0, 3)) == 0:
        slide = {"charts": draw(st.lists(steps(), min_size=2, max_size=4))}
        if draw(st.integers(0, 3)) == 0:
            slide["cross_filter"] = draw(
                st.one_of(st.booleans(), st.lists(st.sampled_from(COLUMNS)))
            )
    spec = {"data": {"sample": "sales"}, "slides": [slide]}
    if draw(st.integers(0, 9)) == 0:
        spec[draw(st.sampled_from(["title", "style", "lang", "theme", "data"]))] = draw(values)
    return spec


def _yaml(spec):
    return yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs())
def test_any_spec_builds_or_fails_with_one_located_message(spec):
    text = _yaml(spec)
    try:
        story = build(loads(text, "fuzz.yaml"))
    except IpyreportError as error:
        message = str(error)
        assert message.startswith("fuzz.yaml"), message
        assert "Traceback" not in message
        return
    story.to_json()  # what builds also exports


# --- every other input a shared story reads ---------------------------------------

# Each fuzz test below is derandomized with a fixed number of examples, so CI
# sees the same inputs on every run and each stays within a few seconds.
FIXED = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
SALES = {
    "data": {"sample": "sales"},
    "slides": [{"steps": [{"chart": {"kind": "column", "x": "Region", "y": "Revenue"}}]}],
}


def _one_located_line(error: Exception, *starts: str) -> None:
    message = str(error)
    # A spec's schema problems come one per line, each with its own place.
    for line in message.splitlines():
        assert line.startswith(starts), message
    assert "Traceback" not in message


def _nested(draw, depth_max: int = 5000) -> str:
    """YAML text nested far deeper than any story needs, or an alias bomb."""
    # Just past the limit, past where a recursive reader gives up, and far past it.
    depth = draw(st.sampled_from([65, 1100, depth_max]))
    opener, closer = draw(st.sampled_from([("[", "]"), ("{a: ", "}")]))
    if draw(st.booleans()):
        return "&a [*a, *a]"
    return opener * depth + "1" + closer * depth


THEME_FIELDS = [
    "name",
    "base",
    "palette",
    "font",
    "font_file",
    "background",
    "foreground",
    "accent",
    "logo",
    "title_slide",
    "closing_slide",
    "title",
    "subtitle",
    "colors",
]


@st.composite
def theme_texts(draw):
    if draw(st.integers(0, 5)) == 0:
        return f"{draw(st.sampled_from(THEME_FIELDS))}: {_nested(draw)}\n"
    fields = draw(
        st.dictionaries(
            st.sampled_from(THEME_FIELDS),
            st.one_of(
                values,
                st.sampled_from(["#ff0000", "red", "light", "dark", "logo.png", "../x.png"]),
                st.dictionaries(st.sampled_from(["title", "subtitle"]), values, max_size=2),
            ),
            max_size=4,
        )
    )
    return _yaml(fields)


@settings(FIXED, max_examples=25)
@given(text=theme_texts())
@example(text="title_slide: " + "[" * 5000 + "]" * 5000)  # the deepest, always tried
@example(text="palette: &a [*a, *a]")
def test_any_theme_file_builds_or_fails_with_one_located_line(text):
    from ipyreport.themes import brand, engine_style, theme_of

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "look.yaml").write_text(text, encoding="utf-8")
        spec = Path(folder) / "fuzz.yaml"
        spec.write_text(_yaml({**SALES, "theme": "look.yaml"}), encoding="utf-8")
        try:
            story = build(load(spec))
            theme = theme_of(Path(folder) / "look.yaml")
            brand(theme, "A title")
            engine_style(theme)
        except IpyreportError as error:
            _one_located_line(error, str(spec))
            return
        story.to_json()


SPEC_KEYS = [
    "title",
    "style",
    "lang",
    "theme",
    "data.sample",
    "data.rows",
    "data.max_rows",
    "data.path",
    "slides.0.title",
    "slides.0.steps.0.chart.kind",
    "slides.0.steps.0.chart",
    "slides.5.title",
    "slides.0.steps",
    "loop",
    "hold",
    "formats.Revenue",
    "nope.deeper",
]


@st.composite
def assignments(draw):
    key = draw(st.sampled_from(SPEC_KEYS))
    if draw(st.integers(0, 4)) == 0:
        return f"{key}={_nested(draw)}"
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=12))  # no '=' at all, now and then
    raw = draw(
        st.one_of(
            st.sampled_from(["", "{", "[1, 2", "'x", "!!python/object:os.system x", "*a", "&a x"]),
            st.just(_yaml(draw(values)).strip()),
        )
    )
    return f"{key}={raw}"


@settings(FIXED, max_examples=40)
@given(overrides=st.lists(assignments(), min_size=1, max_size=2))
@example(overrides=["style=" + "[" * 3000 + "]" * 3000])  # the deepest, always tried
@example(overrides=["style=&a {x: *a}"])
def test_any_set_value_builds_or_fails_with_one_located_line(overrides):
    try:
        story = build(loads(_yaml(SALES), "fuzz.yaml", overrides))
    except IpyreportError as error:
        _one_located_line(error, "fuzz.yaml", "--set")
        return
    story.to_json()


TEMPLATE_WORDS = [
    "{",
    "}",
    "{{",
    "}}",
    "(",
    ")",
    ",",
    "=",
    ".",
    "|",
    ":",
    "+",
    "'",
    '"',
    "`",
    " ",
    "sum",
    "mean",
    "count",
    "change",
    "share",
    "caption",
    "what",
    "top",
    "first",
    "last",
    "Revenue",
    "Region",
    "Month",
    "Units",
    "Europe",
    "pct",
    "pcnt",
    "$",
    "2",
    "99",
]


@st.composite
def templates(draw):
    if draw(st.integers(0, 5)) == 0:
        depth = draw(st.integers(1, 2000))
        return "{" + "Region.top(Revenue, Region=" * depth + "Region.top" + ")" * depth + "}"
    return "".join(draw(st.lists(st.sampled_from(TEMPLATE_WORDS), max_size=16)))


@settings(FIXED, max_examples=40)
@given(title=templates(), notes=templates())
@example(
    title="{" + "Region.top(Revenue, Region=" * 2000 + "Region.top" + ")" * 2000 + "}", notes=""
)
def test_any_template_builds_or_fails_with_one_located_line(title, notes):
    spec = copy.deepcopy(SALES)
    spec["slides"][0].update(title=title, notes=notes)
    try:
        story = build(loads(_yaml(spec), "fuzz.yaml"))
    except IpyreportError as error:
        _one_located_line(error, "fuzz.yaml")
        return
    story.to_json()


NOTEBOOK_KEYS = [
    "cells",
    "cell_type",
    "source",
    "outputs",
    "data",
    "text/html",
    "metadata",
    "nbformat",
]
notebook_trees = st.recursive(
    st.one_of(scalars, st.sampled_from(["markdown", "code", "# Title", "display_data"])),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(NOTEBOOK_KEYS), inner, max_size=4),
    ),
    max_leaves=14,
)


@st.composite
def notebook_texts(draw):
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return _nested(draw).replace("{a: ", "[").replace("}", "]").replace("&a [*a, *a]", "[")
    if kind == 1:
        return draw(st.text(max_size=20))
    document = draw(st.one_of(values, st.just({"version": 1, "slides": draw(values)})))
    page = (
        '<iframe srcdoc="'
        + html.escape(
            '<script type="application/json" id="ipyreport-story">'
            + json.dumps(document, default=str)
            + "</script>"
        )
        + '"></iframe>'
    )
    cell = {"cell_type": "code", "source": "", "outputs": [{"data": {"text/html": page}}]}
    tree = draw(notebook_trees)
    if kind == 2:
        return json.dumps(tree, default=str)
    return json.dumps(
        {"cells": [cell, tree] if isinstance(tree, dict) else [cell], "nbformat": 4}, default=str
    )


@FIXED
@given(text=notebook_texts())
@example(text="[" * 5000 + "]" * 5000)  # the deepest, always tried
def test_any_notebook_builds_or_fails_with_one_located_line(text):
    from ipyreport.export.notebook_article import notebook_parts

    with tempfile.TemporaryDirectory() as folder:
        notebook = Path(folder) / "fuzz.ipynb"
        notebook.write_text(text, encoding="utf-8")
        try:
            notebook_parts(notebook)
        except IpyreportError as error:
            _one_located_line(error, str(notebook))
