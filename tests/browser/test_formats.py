"""The player formats numbers exactly as Python does (labels and axes vs tables, text and PDF)."""

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipyreport.formats import LOCALES, SCALES, Format, format_number, resolve_number

numbers = st.one_of(
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False),
    st.integers(min_value=-(10**15), max_value=10**15),
    # Around the scale boundaries and rounding ties, where the two could part.
    st.sampled_from([999.5, 999.96, 999_950, 999_960, 0.125, 2.5, -0.005, 1e3, 1e6 - 1, 0.0]),
    st.just(None),
    st.just(math.nan),
)
formats = st.builds(
    Format,
    prefix=st.sampled_from(["", "$", "CHF\u00a0"]),
    suffix=st.sampled_from(["", "%", " units", "\u00a0€"]),
    decimals=st.one_of(st.none(), st.integers(0, 4)),
    scale=st.sampled_from(SCALES),
)
cases = st.lists(
    st.tuples(numbers, formats, st.sampled_from(sorted(LOCALES)), st.booleans()),
    min_size=300,
    max_size=300,
)


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(cases=cases)
def test_javascript_formats_every_number_as_python_does(vizzu, cases):
    batch = []
    expected = []
    for value, fmt, lang, trim in cases:
        resolved = resolve_number(fmt, lang)
        plain = None if value is None or (isinstance(value, float) and math.isnan(value)) else value
        batch.append({"value": plain, "format": resolved, "trim": trim})
        expected.append(format_number(value, resolved, trim=trim))
    got = vizzu.page.evaluate(
        "(batch) => batch.map(({value, format, trim}) => window.steps.formatNumber(value, format, trim))",
        batch,
    )
    assert got == expected


logs = st.lists(
    st.tuples(
        st.one_of(st.floats(min_value=-6, max_value=15, allow_nan=False), st.just(None)),
        formats,
        st.booleans(),
    ),
    min_size=100,
    max_size=100,
)


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(cases=logs)
def test_javascript_reads_a_log_series_as_python_does(vizzu, cases):
    # A log axis's series holds base-10 logarithms: both read 10 to their power.
    batch = []
    expected = []
    for value, fmt, trim in cases:
        resolved = {**resolve_number(fmt, "en"), "log": True}
        batch.append({"value": value, "format": resolved, "trim": trim})
        expected.append(format_number(value, resolved, trim=trim))
    got = vizzu.page.evaluate(
        "(batch) => batch.map(({value, format, trim}) => window.steps.formatNumber(value, format, trim))",
        batch,
    )
    assert got == expected
