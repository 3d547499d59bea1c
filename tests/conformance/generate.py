"""The conformance fixtures: inputs and the outputs Python gives them, one JSON file per idea
that runs in both Python and the player (tests/conformance/*.json).

Cases come from the property tests' strategies (Hypothesis) plus enumerated
edge cases; ``tests/unit/test_conformance.py`` replays every case against
Python and, through ``replay.mjs`` in Node, against the JavaScript twins, and
fails while a checked-in fixture differs from what this module writes now.
Write them again with ``python -m tests.conformance.generate`` (a drawn
fixture keeps its cases and gets Python's outputs again; ``--redraw`` draws
new cases).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

FOLDER = Path(__file__).parent


def drawn(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """``count`` examples of ``strategy`` (a fixed seed: mostly the same ones from run to
    run; the replay tests hold whatever cases the checked-in fixtures carry)."""
    found: list[Any] = []

    @settings(
        derandomize=True,
        database=None,
        max_examples=count,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    return found


# --- bidi isolation -------------------------------------------------------------


def bidi_inputs() -> list[str]:
    from ipyreport._bidi import NOT_LEFT_TO_RIGHT

    named = [
        "Europe",
        "Zürich",
        "東京",
        "",
        "\u0663",  # ARABIC-INDIC DIGIT THREE: an Arabic number, not a right-to-left letter
        "\U0001e900",  # ADLAM CAPITAL LETTER ALIF: right to left, outside the BMP
        "\u05e2\u05d1",  # Hebrew
        "\u0627\u0644",  # Arabic
        "\u0710",  # Syriac
        "\u0780",  # Thaana
        "\u07ca",  # N'Ko
        "\u0800",  # Samaritan
        "\ufb1d",  # Hebrew presentation form (class R)
        "\ufe70",  # Arabic presentation form (class AL)
        "\ufeff",  # ZERO WIDTH NO-BREAK SPACE: not right to left
        "\u200f",  # RIGHT-TO-LEFT MARK: class R
        "\u200e",  # LEFT-TO-RIGHT MARK: class L
        "\u202eevil",
        "a\u2067b",
        "\u2066x\u2069",
        "12 \U00010900",  # Phoenician
        "\U0001f600",
    ]
    # Every range's ends and the code points just outside them.
    edges = []
    for start, end in NOT_LEFT_TO_RIGHT:
        edges += [chr(start), chr(end), f"x{chr(end + 1)}", f"{chr(max(start - 1, 0x20))}y"]
    letters = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=4)
    return named + edges + drawn(letters, 200)


def bidi_outputs(case: dict[str, Any]) -> dict[str, Any]:
    from ipyreport._describe import isolate

    return {"text": case["text"], "isolated": isolate(case["text"])}


def bidi() -> list[dict[str, Any]]:
    return [bidi_outputs({"text": text}) for text in bidi_inputs()]


# --- words and captions ---------------------------------------------------------


def captions() -> list[dict[str, Any]]:
    """Every sentence of every language's words, filled as the player fills it, and the
    words a chart's numbers are said in (its highest marks, or that none are shown)."""
    from ipyreport._describe import isolate, words
    from ipyreport.formats import Display

    cases: list[dict[str, Any]] = []
    for path in sorted((FOLDER.parent.parent / "ipyreport" / "words").glob("*.json")):
        lang = path.stem
        said = words(lang)
        for key, template in said.items():
            if not isinstance(template, str):
                continue
            names = sorted(set(_fields(template)))
            values = {name: f"<{name} \u05e2>" for name in names}
            cases.append(
                {"say": template, "values": values, "said": template.format(**values), "key": key}
            )
        shown = Display.of({"lang": lang})
        for rows in (
            [],
            [["North", None]],
            [["North", 5.0], ["South", 7.5], ["East", None]],
            # A sentence drops the zeros an exact number does not need, and only those.
            [["North", 1_000_000.0], ["South", 999_960.0], ["East", 2_500.0]],
        ):
            table = {
                "columns": ["Region", "Sales"],
                "rows": rows,
                "measures": 1,
                "total": len(rows),
            }
            given = [row for row in rows if row[1] is not None]
            given.sort(key=lambda row: -row[1])
            if not given:
                expected = str(said["none"])
            else:
                entries = [
                    str(said["entry"]).format(
                        label=isolate(row[0]), value=shown.number("Sales", row[1], said=True)
                    )
                    for row in given[:3]
                ]
                expected = str(said["highest"]).format(
                    measure="Sales", values=str(said["and"]).join(entries)
                )
            cases.append(
                {
                    "lang": lang,
                    "table": table,
                    "words": dict(said),
                    "plainFormat": shown.plain,
                    "top": expected,
                }
            )
    return cases


def _fields(template: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


# --- filters --------------------------------------------------------------------


def filters() -> list[dict[str, Any]]:
    """Which rows a filter keeps: ``mask`` (the eager story) against the player's
    compiler and ipyvizzu's JavaScript form (``_filters.javascript``)."""
    from ipyreport._filters import Filter
    from ipyreport.data import encode
    from tests.filter_cases import NULL_LABEL, cases, eager_rows

    found = drawn(cases(), 80)
    import pyarrow as pa

    from tests.filter_cases import Case

    edge_table = pa.table(
        {
            "__row": pa.array(range(5), pa.int64()),
            "text": ["a", "b", None, "a", "c"],
            "value": pa.array([1.0, None, 3.5, float("nan"), -2.0], pa.float64()),
        }
    )
    edges = [
        Filter.between("value"),
        Filter.between("value", 1e300),
        Filter.between("value", 3, 1),
        Filter.between("value", 1, 3.5),
        Filter.any_of(),
        Filter.all_of(),
        ~Filter.any_of(),
        ~Filter.between("value"),
        Filter.isin("text", []),
        Filter.isin("text", [NULL_LABEL, "a"]),
        Filter.any_of(Filter.between("value", 0), Filter.isin("text", ["c"])),
    ]
    found += [Case(edge_table, (), spec) for spec in edges]
    result = []
    for case in found:
        data = encode(case.table, dimensions=list(case.dimensions), null_label=NULL_LABEL)
        written = {"data": json.loads(data.to_json()), "filter": case.filter.to_dict()}
        result.append(filter_outputs(written))
        assert result[-1]["kept"] == eager_rows(case)  # the data's JSON holds what the table did
    return result


def filter_of(spec: dict[str, Any]) -> Any:
    """A filter from its JSON form (``Filter.to_dict``)."""
    from ipyreport._filters import Filter

    ((op, value),) = spec.items()
    if op == "in":
        return Filter.isin(value["column"], value["values"])
    if op == "range":
        return Filter.between(value["column"], value["min"], value["max"])
    if op == "not":
        return ~filter_of(value)
    parts = [filter_of(part) for part in value]
    return Filter.all_of(*parts) if op == "and" else Filter.any_of(*parts)


def data_of(spec: dict[str, Any]) -> Any:
    """Vizzu data (its JSON) as Python holds it."""
    import numpy as np

    from ipyreport.data import Dimension, Measure, VizzuData

    series = [
        Dimension(s["name"], tuple(s["categories"]), np.array(s["values"], np.int32))
        if s["type"] == "dimension"
        else Measure(s["name"], np.array([np.nan if v is None else v for v in s["values"]], float))
        for s in spec["series"]
    ]
    return VizzuData(tuple(series), len(spec["series"][0]["values"]))


def filter_outputs(case: dict[str, Any]) -> dict[str, Any]:
    """The rows ``mask`` keeps (by ``__row``) and the JavaScript form of the case's filter."""
    import numpy as np

    from ipyreport._filters import javascript, mask

    spec = filter_of(case["filter"])
    data = data_of(case["data"])
    kept = np.asarray(data["__row"].values)[mask(spec, data)]
    return {
        "data": case["data"],
        "filter": case["filter"],
        "javascript": javascript(spec),
        "kept": [int(row) for row in kept],
    }


# --- number formats -------------------------------------------------------------


def formats() -> list[dict[str, Any]]:
    from ipyreport.formats import LOCALES, SCALES, Format, resolve_number

    numbers = st.one_of(
        st.floats(min_value=-1e15, max_value=1e15, allow_nan=False),
        st.integers(min_value=-(10**15), max_value=10**15),
        st.sampled_from(
            [
                999.5,
                999.96,
                999_950,
                999_960,
                0.125,
                2.5,
                -0.005,
                1e3,
                1e6 - 1,
                1e6,
                2.5e9,
                45.0,
                0.28 * 100,  # 28.000000000000004: exact within a billionth
                2.5e30,  # written with an exponent, whose zeros are never trimmed
                0.0,
            ]
        ),
        st.just(None),
        st.just(math.nan),
    )
    shapes = st.builds(
        Format,
        prefix=st.sampled_from(["", "$", "CHF\u00a0"]),
        suffix=st.sampled_from(["", "%", " units", "\u00a0€"]),
        decimals=st.one_of(st.none(), st.integers(0, 4)),
        scale=st.sampled_from(SCALES),
    )
    trims = st.sampled_from([False, True, "exact"])
    plain = st.tuples(numbers, shapes, st.sampled_from(sorted(LOCALES)), trims, st.just(False))
    logs = st.tuples(
        st.one_of(st.floats(min_value=-6, max_value=15, allow_nan=False), st.just(None)),
        shapes,
        st.just("en"),
        trims,
        st.just(True),
    )
    result = []
    for value, shape, lang, trim, log in drawn(plain, 400) + drawn(logs, 100):
        resolved = dict(resolve_number(shape, lang))
        if log:
            resolved["log"] = True
        nan = isinstance(value, float) and math.isnan(value)
        case = {"value": None if nan else value, "nan": nan, "format": resolved, "trim": trim}
        result.append(format_outputs(case))
    return result


def format_outputs(case: dict[str, Any]) -> dict[str, Any]:
    from ipyreport.formats import format_number

    value = math.nan if case["nan"] else case["value"]
    return {**case, "text": format_number(value, case["format"], trim=case["trim"])}


# --- text expressions -----------------------------------------------------------

LABELS = ["North", "South", 'Q"uote', "<b>ü</b>", "\u05e2\u05d1", "\u0663 East"]
TEAMS = ["a", "b", "c"]
MONTHS = ["2021-01-01", "2021-02-01", "2021-03-01", "2021-04-01"]


def _quote(label: str) -> str:
    return '"' + label + '"' if '"' not in label else "'" + label + "'"


@st.composite
def text_cases(draw: Any) -> dict[str, Any]:
    rows = draw(st.integers(min_value=1, max_value=12))
    region = draw(st.lists(st.sampled_from(LABELS), min_size=rows, max_size=rows))
    team = draw(st.lists(st.sampled_from(TEAMS), min_size=rows, max_size=rows))
    month = draw(st.lists(st.sampled_from(MONTHS), min_size=rows, max_size=rows))
    sales = draw(
        st.lists(
            st.one_of(
                st.none(),
                st.floats(-1e7, 1e7, allow_nan=False, allow_subnormal=False),
                st.integers(-1000, 10**6).map(float),
            ),
            min_size=rows,
            max_size=rows,
        )
    )
    units = draw(st.lists(st.integers(0, 10**9), min_size=rows, max_size=rows))
    picked = _quote(draw(st.sampled_from(region)))
    expressions = [
        "{sum(Sales)}",
        "{mean(Sales) | pct:+}",
        "{min(Sales)} {max(Units) | $:0}",
        "{count(Region)} {count(Sales)}",
        f"{{sum(Sales, Region={picked})}}",
        f"{{share(Units, Region={picked})}}",
        "{Region.top} {Region.bottom} {Team.first} {Team.last}",
        "{Team.top(mean(Sales))} {Month.top(Units)}",
        "{change(Sales, Month)} {change(Units, Month) | pct:0}",
        "{sum(Units, Team=Team.top(Units), Region=Region.bottom)}",
    ]
    chosen = draw(st.lists(st.sampled_from(expressions), min_size=1, max_size=4))
    return {
        "columns": {"Region": region, "Team": team, "Month": month, "Sales": sales, "Units": units},
        "template": " · ".join(chosen),
        "filter": draw(st.sampled_from([None, {"Team": [team[0]]}, {"Units": [0, 5 * 10**8]}])),
        "formats": draw(st.sampled_from([{}, {"Sales": "$"}, {"Sales": "€", "Units": "units"}])),
        "lang": draw(st.sampled_from(["en", "de", "fr"])),
    }


def text_story(case: dict[str, Any]) -> Any:
    """The story a text case describes: one column chart whose notes are the template."""
    import pyarrow as pa

    from ipyreport import Slide, Story, presets

    columns = case["columns"]
    data = pa.table(
        {
            "Region": columns["Region"],
            "Team": columns["Team"],
            "Month": columns["Month"],
            "Sales": pa.array(columns["Sales"], pa.float64()),
            "Units": pa.array(columns["Units"], pa.int64()),
        }
    )
    step = presets.chart(kind="column", x="Region", y="Sales", filter=case["filter"])
    return Story(
        data,
        formats=case["formats"],
        lang=case["lang"],
        compact=False,
        slides=[Slide(step, notes=case["template"])],
    )


READ_KEYS = ("lang", "formats", "plainFormat", "labels", "names", "placeholders", "datasets")


def texts() -> list[dict[str, Any]]:
    return [text_outputs({"story": case}) for case in drawn(text_cases(), 40)]


def text_outputs(case: dict[str, Any]) -> dict[str, Any]:
    """The story's document (what the player reads), the notes' pieces and the notes as read."""
    document = json.loads(text_story(case["story"]).to_json())
    slide = document["slides"][0]
    return {
        "story": case["story"],
        "document": {key: document[key] for key in READ_KEYS},
        "parts": slide["text"]["notes"],
        "filter": slide["steps"][0].get("filter"),
        "text": slide["notes"],
    }


# --- how the story shows names, numbers and categories -------------------------


def display_stories() -> list[Any]:
    import datetime as dt

    import pyarrow as pa

    from ipyreport import Slide, Story, presets, samples

    sales = samples.sales()
    hours = [dt.datetime(2021, 3, 1, h, tzinfo=dt.timezone.utc) for h in (0, 6, 12, 18)]
    odd = pa.table(
        {
            "At": pa.array(hours * 2, pa.timestamp("s", tz="UTC")),
            "Day": pa.array([dt.date(2021, 1, d) for d in (1, 2, 3, 4)] * 2),
            "Open": [True, False, None, True] * 2,
            "Team": ["a", None, "\u05e2\u05d1", "d"] * 2,
            "lifeExp": [70.5, None, 1e6, -3.25, 0.004, 2.5, 999_950.0, 12.0],
        }
    )
    return [
        Story(
            sales,
            formats={"Revenue": "$"},
            slides=[
                Slide(presets.chart(kind="column", x="Month", y="Revenue")),
                Slide(presets.chart(kind="bar", x="Region", y="mean(Units)")),
                Slide(presets.chart(kind="column", x="Product", y="count(Country)")),
            ],
        ),
        Story(
            odd,
            lang="de",
            formats={"lifeExp": {"suffix": " years", "decimals": 2}},
            labels={"lifeExp": "Life expectancy"},
            slides=[
                Slide(presets.chart(kind="column", x=dim, y=f"{agg}(lifeExp)"))
                for dim, agg in (("At", "mean"), ("Day", "sum"), ("Open", "max"), ("Team", "min"))
            ],
        ),
    ]


def displays() -> list[dict[str, Any]]:
    """Each column's name, each number and each category of the steps' tables, as Python
    shows them (``formats.Display``); the player's ``display`` must show them alike."""
    from ipyreport.formats import Display

    result = []
    for story in display_stories():
        document = story.to_dict()
        shown = Display.of(document)
        seen: list[dict[str, Any]] = []
        for slide in document["slides"]:
            table = slide["steps"][0]["table"]
            count = len(table["columns"]) - table["measures"]
            for column in table["columns"]:
                seen.append({"name": column, "shown": shown.name(column)})
            for row in table["rows"]:
                for column, value in zip(table["columns"], row, strict=True):
                    if table["columns"].index(column) < count:
                        seen.append(
                            {"label": column, "value": value, "shown": shown.label(column, value)}
                        )
                    else:
                        seen.append(
                            {"number": column, "value": value, "shown": shown.number(column, value)}
                        )
        keys = ("lang", "formats", "plainFormat", "labels", "names")
        result.append({"document": {key: document[key] for key in keys}, "seen": seen})
    return result


# --- document rules -------------------------------------------------------------


def document_rules() -> list[dict[str, Any]]:
    """What the document decides once for every output (headings, rests, durations)
    and the constants the player is written with (table rows, colours)."""
    from ipyreport import themes
    from ipyreport._plan import MAX_TABLE_ROWS
    from ipyreport.document import (
        duration_seconds,
        heading,
        link_to,
        repeats_headline,
        rest_seconds,
    )

    cases: list[dict[str, Any]] = [
        {
            "constants": {
                "MAX_TABLE_ROWS": MAX_TABLE_ROWS,
                "INK": themes.INK,
                "SOFT_INK": themes.SOFT_INK,
                "BACKGROUND": themes.BACKGROUND,
                "PLAIN_MARKS": themes.PLAIN_MARKS,
            }
        }
    ]
    durations = [0, 1, 2.5, 0.5, "1.5s", "500ms", "2", " 3 s ", "1 min", "-1", -1, None, True]
    durations += ["abc", "0.25", "60s", "250ms", " 1.5 s", ".5s", "1e3ms", "-1s", "2S", "", "10ms "]
    for value in durations:
        cases.append({"duration": value, "seconds": duration_seconds(value)})
    titles = [None, "", "Sales"]
    kinds = [None, "dashboard", "cover"]
    for title in titles:
        for slide_title in titles:
            for kind in kinds:
                slide = {"title": slide_title, "kind": kind}
                text, shown = heading(slide, title, 3)
                cases.append(
                    {"story": title, "slide": slide, "number": 3, "heading": text, "shown": shown}
                )
    said = [
        None,
        "",
        "  ",
        "Sales",
        " sales ",
        "SALES",
        "Sales.",
        "Straße",
        "STRASSE",
        "ΟΔΟΣ",
        "οδος",
    ]
    for title in said:
        for headline in said:
            cases.append(
                {"title": title, "headline": headline, "repeats": repeats_headline(title, headline)}
            )
    for slide, step in [(1, 1), (3, 1), (3, 2), (12, 48)]:
        cases.append(
            {"position": {"slide": slide - 1, "step": step - 1}, "link": link_to(slide, step)}
        )
    holds = [None, 0, 0.5, 4]
    for story_hold in holds:
        for slide_hold in holds:
            for step_hold in holds:
                step = {} if step_hold is None else {"hold": step_hold}
                slides = [
                    {"hold": slide_hold, "steps": [step, {}]},
                    {
                        "hold": slide_hold,
                        "kind": "dashboard",
                        "steps": [{"charts": [step, None]}, {"charts": [None, None]}],
                    },
                ]
                outline = {"hold": story_hold, "slides": slides}
                cases.append({"outline": outline, "rests": rest_seconds(outline)})
    return cases


FIXTURES: dict[str, Callable[[], list[dict[str, Any]]]] = {
    "bidi": bidi,
    "captions": captions,
    "filters": filters,
    "formats": formats,
    "texts": texts,
    "display": displays,
    "document": document_rules,
}


# The fixtures of drawn cases, and what writes a case's outputs from its inputs: these
# keep their cases when written again (``--redraw`` draws new ones); the others are
# enumerated and written whole.
OUTPUTS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "bidi": bidi_outputs,
    "filters": filter_outputs,
    "formats": format_outputs,
    "texts": text_outputs,
}


def _text(name: str, cases: list[dict[str, Any]]) -> str:
    return (
        json.dumps({"idea": name, "cases": cases}, ensure_ascii=False, indent=1, sort_keys=True)
        + "\n"
    )


def checked_in(name: str) -> list[dict[str, Any]]:
    """The cases of a checked-in fixture."""
    loaded: dict[str, Any] = json.loads((FOLDER / f"{name}.json").read_text(encoding="utf-8"))
    assert loaded["idea"] == name
    cases: list[dict[str, Any]] = loaded["cases"]
    return cases


def written(name: str, *, redraw: bool = False) -> str:
    """A fixture file's text, as this module writes it: an enumerated fixture whole, a
    drawn one with its checked-in cases' outputs written again (``redraw``: new cases)."""
    if name in OUTPUTS and not redraw and (FOLDER / f"{name}.json").is_file():
        return _text(name, [OUTPUTS[name](case) for case in checked_in(name)])
    return _text(name, FIXTURES[name]())


def main(argv: list[str] | None = None) -> int:
    """Write every fixture again (``--check``: only say which differ, and fail if any does;
    ``--redraw``: draw new cases for the drawn fixtures)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    check, redraw = "--check" in args, "--redraw" in args
    stale = []
    for name in FIXTURES:
        path = FOLDER / f"{name}.json"
        text = written(name, redraw=redraw)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(path.name)
            if not check:
                path.write_text(text, encoding="utf-8")
                print(f"wrote {path.name}")
    if check and stale:
        print(
            f"out of date: {', '.join(stale)}; write them again: python -m tests.conformance.generate"
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
