"""Fuzzing specs: any YAML tree either builds or fails with one located message, never a traceback.

Trees are drawn from the spec's own vocabulary (its fields, step kinds,
preset parameters, the sample's columns and chart kinds) mixed with
wrong types, huge and non-finite numbers, dates, unicode and nesting, so
most of them reach deep into building a story rather than stopping at the
first unknown key.
"""

import datetime as dt

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipyreport import presets
from ipyreport._errors import IpyreportError
from ipyreport.spec import STEP_KINDS, build, loads

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
