"""The text forms ipyreport lets through for lengths, colours, angles, gradients, palettes,
colour filters and range ends are read by the engine itself (vizzu 0.16.1 in Chromium).

Hypothesis writes values for each grammar, valid and nearly valid. Every value the
Python check takes must be taken by the engine (the step animates without an error);
of the values it refuses, the engine refuses a sample too, or the refusal is one of the
deliberate ones listed in ``on_purpose`` (forms the engine reads, but reads as something
other than what is written).
"""

import re

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ipyreport._engine import engine_problem
from ipyreport._engine_values import MAX_MAGNITUDE, MIN_MAGNITUDE, NUMBER

from .harness import harness_html

# Where each grammar's value goes: the step part and the field's path in it.
FIELDS = {
    "length": [
        ("style", ("fontSize",)),
        ("style", ("paddingLeft",)),
        ("style", ("legend", "width")),
        ("style", ("plot", "xAxis", "ticks", "length")),
    ],
    "color": [
        ("style", ("backgroundColor",)),
        ("style", ("plot", "marker", "label", "color")),
        ("style", ("tooltip", "shadowColor")),
    ],
    "angle": [
        ("style", ("plot", "xAxis", "label", "angle")),
        ("style", ("plot", "marker", "label", "angle")),
    ],
    "gradient": [("style", ("plot", "marker", "colorGradient"))],
    "palette": [("style", ("plot", "marker", "colorPalette"))],
    "filter": [
        ("style", ("plot", "marker", "label", "filter")),
        ("style", ("logo", "filter")),
    ],
    "extremum": [
        ("config", ("y", "range", "min")),
        ("config", ("y", "range", "max")),
    ],
}

# Animates each case on a chart of its own (a colour measure, labels, a legend) and
# returns the engine's error for each, or null. A value the engine cannot parse may
# abort its WebAssembly module ("Aborted()"), which ends every chart on the page: the
# run stops there and says so, and the caller loads a fresh page for the rest.
TRY = """async (cases) => {
  const data = {series: [
    {name: "A", type: "dimension", values: ["a", "b", "c"]},
    {name: "V", type: "measure", values: [1, 2, 3]},
  ]};
  const results = [];
  for (const {config, style} of cases) {
    const element = document.createElement("div");
    element.style.cssText = "width:400px;height:300px";
    document.body.appendChild(element);
    let error = null;
    try {
      const chart = await new window.Vizzu(element).initializing;
      chart.on("logo-draw", (event) => event.preventDefault());
      const base = {x: "A", y: "V", color: "V", label: "V", title: "t"};
      await chart.animate({data, config: {...base, ...config}, style}, {duration: 0});
      chart.feature.rendering.update();
      chart.detach();
    } catch (e) {
      error = String((e && e.message) || e);
    }
    element.remove();
    results.push(error);
    if (error && error.startsWith("Aborted")) break;
  }
  return results;
}"""


@pytest.fixture(scope="module")
def engine(browser, tmp_path_factory):
    """One page for the module: run(cases) -> the engine's error for each case, or None."""
    path = tmp_path_factory.mktemp("engine") / "harness.html"
    path.write_text(harness_html(), encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))

    def load() -> None:
        page.goto(path.as_uri())
        page.wait_for_function("window.harnessReady === true", timeout=20_000)

    def run(cases: list[dict]) -> list[str | None]:
        results: list[str | None] = []
        while len(results) < len(cases):
            got = page.evaluate(TRY, cases[len(results) :])
            results.extend(got)
            if got and got[-1] is not None and got[-1].startswith("Aborted"):
                load()
        return results

    load()
    yield run
    context.close()
    assert page_errors == []


def case(part: str, path: tuple[str, ...], value: object) -> dict:
    nested: object = value
    for key in reversed(path):
        nested = {key: nested}
    config = {"y": {"set": "V", **nested["y"]}} if part == "config" else {}  # type: ignore[index]
    return {"config": config, "style": nested if part == "style" else {}}


# --- values, valid and nearly valid --------------------------------------------------

SPACES = st.sampled_from(["", "", "", " ", "  ", "\t"])
NUMBERS = st.one_of(
    st.integers(-300, 300).map(str),
    st.floats(-1e3, 1e3, allow_nan=False).map(lambda x: f"{x:.4g}"),
    st.from_regex(rf"\A{NUMBER}\Z"),
    st.sampled_from(
        [
            *("0", "1", ".5", "5.", "-0", "1e3", "2E-2", "1e+3", "+5", "inf", "nan", "0x10"),
            *("1e400", "", ".", "-", "e5", "1e", "1..2", "--1", "1e-400", "9" * 20),
        ]
    ),
)
PLAIN_NUMBERS = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e20, max_value=1e20),
)
NOISE = st.text(alphabet="0123456789.-+e %pxmdgrautn#(),abcfl", max_size=12)


def measured(units: list[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda a, number, b, unit, c: f"{a}{number}{b}{unit}{c}",
        SPACES,
        NUMBERS,
        SPACES,
        st.sampled_from(units),
        SPACES,
    )


LENGTHS = st.one_of(
    PLAIN_NUMBERS,
    measured(["", "px", "em", "%", "qq", "e", "pt", "PX", "rem", "%%"]),
    st.lists(measured(["px", "em", "%", ""]), min_size=2, max_size=3).map("+".join),
    NOISE,
)
ANGLES = st.one_of(
    PLAIN_NUMBERS,
    measured(["", "deg", "rad", "grad", "turn", "Deg", "degs", "%", "sideways"]),
    NOISE,
)
EXTREMA = st.one_of(
    PLAIN_NUMBERS,
    measured(["", "%", "min", "max", "%%", "mini", "px", "Max"]),
    st.sampled_from(["auto", " auto", "AUTO", "foo", "null"]),
    NOISE,
)
HEX = st.text(alphabet="0123456789abcdefABCDEFg", min_size=0, max_size=9).map(lambda s: "#" + s)
COMPONENT = st.one_of(st.integers(-5, 300).map(str), NUMBERS)
COLORS = st.one_of(
    HEX,
    HEX,
    st.builds(
        lambda parts, name: f"{name}({', '.join(parts)})",
        st.lists(COMPONENT, min_size=2, max_size=5),
        st.sampled_from(["rgb", "rgba", "rgb", "rgba", "hsl"]),
    ),
    st.builds(lambda a, c: f"{a}{c}", SPACES, HEX),
    st.sampled_from(["red", "transparent", "", "rgba(1,2)", "rgb(1,2,3", "rgb(1,2,3))"]),
)
STOPS = st.builds(lambda color, gap, position: f"{color}{gap}{position}", COLORS, SPACES, NUMBERS)
GRADIENTS = st.one_of(
    st.lists(STOPS, min_size=1, max_size=4).map(", ".join),
    st.lists(
        st.builds(lambda color, position: f"{color} {position}", HEX, st.floats(0, 1)), max_size=4
    ).map(",".join),
    st.sampled_from(["red 0, blue", "#f00 0, #00f 1", "#f00 1, #00f 0"]),
    NOISE,
)
PALETTES = st.one_of(st.lists(COLORS, max_size=4).map(" ".join), NOISE)
FILTERS = st.one_of(
    st.builds(
        lambda name, inside: f"{name}({inside})",
        st.sampled_from(["color", "lightness", "grayscale", "opacity", "blur"]),
        st.one_of(NUMBERS, COLORS),
    ),
    st.sampled_from(["none", " none ", "", "lightness(0.5, 1)", "color(rgb(1,2,3))"]),
    NOISE,
)
VALUES = {
    "length": LENGTHS,
    "color": COLORS,
    "angle": ANGLES,
    "gradient": GRADIENTS,
    "palette": PALETTES,
    "filter": FILTERS,
    "extremum": EXTREMA,
}


# --- refusals made on purpose --------------------------------------------------------

_NUMBER_PREFIX = re.compile(r"[ \t\n\r\f\v]*[-+]?(\d|\.\d)")


def on_purpose(grammar: str, value: object) -> str | None:
    """Why ipyreport refuses a value the engine reads, or None if it has no reason to."""
    if not isinstance(value, str):
        # Plain numbers: past MAX_MAGNITUDE (or nonzero below MIN_MAGNITUDE) a size or angle
        # draws nothing useful.
        size = abs(value)  # type: ignore[arg-type]
        return "size" if size > MAX_MAGNITUDE or 0 < size < MIN_MAGNITUDE else None
    if not value.strip(" ,+"):
        # An empty text reads as 0 px, transparent, no stops or no colours: a slip, not a choice.
        return "empty"
    if value == "null" and grammar != "extremum":
        # The text 'null' resets a style field to its default; YAML's null (unquoted) says so.
        return "null as text"
    if "\t" in value:
        # C's number reader skips tabs; a tab in YAML text is almost always a slip.
        return "tab"
    if re.search(r"inf|nan|0x|\+\d|\+\.|^\+|[ ,(]\+", value, re.IGNORECASE):
        # The engine's number reader (strtod) takes inf, nan, hex and a leading +; none is a
        # size, and a + inside a length means "add".
        return "number form"
    if re.search(r"[0-9]{16}|e-?[0-9]{3}", value, re.IGNORECASE):
        # Past MAX_MAGNITUDE or below MIN_MAGNITUDE.
        return "size"
    if grammar in ("length", "extremum") and re.search(r"\+\s*(\+|$)|^\s*\+", value):
        # Empty terms in a sum are skipped by the engine.
        return "empty term"
    if grammar in ("color", "palette", "gradient", "filter") and re.search(r"rgba?\(", value):
        # rgb()/rgba() parts are read by strtoll/strtod, which take any text (as 0), a number
        # followed by garbage, values past 255 (wrapped) and an alpha past 1.
        return "rgb part read loosely"
    if grammar in ("gradient", "filter") and re.search(r"\d[^\d\s,)]", value):
        # A position or filter amount is read up to its first non-number character.
        return "number read up to garbage"
    called = value.strip()
    if grammar == "filter" and not ("(" in called[1:] and called.endswith(")")):
        # Text that is not a function call (a name, then text in parentheses) is no filter.
        return "not a filter"
    if grammar == "gradient":
        # Positions outside 0..1 are read, but the .d.ts defines them from 0 to 1.
        return "position outside 0..1"
    return None


def refused_by_engine(error: str | None) -> bool:
    return error is not None


@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    # Each run is a batch of browser work; a failure prints its values, unshrunk.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    values=st.fixed_dictionaries(
        {
            grammar: st.lists(strategy, min_size=25, max_size=25)
            for grammar, strategy in VALUES.items()
        }
    )
)
def test_the_engine_reads_every_value_ipyreport_takes(engine, values):
    taken, refused = [], []
    for grammar, written in values.items():
        for index, value in enumerate(written):
            part, path = FIELDS[grammar][index % len(FIELDS[grammar])]
            one = case(part, path, value)
            problem = engine_problem(part, one[part])
            (taken if problem is None else refused).append((grammar, value, one, problem))
    errors = engine([one for _, _, one, _ in taken])
    assert [
        (grammar, value, error)
        for (grammar, value, _, _), error in zip(taken, errors, strict=True)
        if error is not None
    ] == []
    # A sample of the refused: the engine refuses them too, or the refusal is on purpose.
    sample = refused[:: max(1, len(refused) // 25)]
    errors = engine([one for _, _, one, _ in sample])
    unexplained = [
        (grammar, value)
        for (grammar, value, _, _), error in zip(sample, errors, strict=True)
        if error is None and on_purpose(grammar, value) is None
    ]
    assert not unexplained, unexplained


def test_the_engine_itself_refuses_the_values_validate_now_refuses(engine):
    cases = [
        {"config": {"y": {"set": "V", **value["y"]}}, "style": {}}
        if part == "config"
        else {"config": {}, "style": value}
        for part, value in ENGINE_REFUSES
    ]
    errors = engine(cases)
    assert [error is not None for error in errors] == [True] * len(cases), errors


# The values a review found passing validate and then stopping the step in the player.
ENGINE_REFUSES = [
    ("style", {"fontSize": "abc"}),
    ("style", {"fontSize": "10qq"}),
    ("style", {"paddingLeft": "abc"}),
    ("style", {"legend": {"width": "wide"}}),
    ("style", {"plot": {"marker": {"colorGradient": "red 0, blue"}}}),
    ("style", {"backgroundColor": "rgba(1,2)"}),
    ("style", {"plot": {"xAxis": {"label": {"angle": "sideways"}}}}),
    ("config", {"y": {"range": {"min": "foo"}}}),
    ("config", {"y": {"range": {"max": "5%%"}}}),
    ("config", {"y": {"range": {"min": -2.225073858507e-311}}}),
]
