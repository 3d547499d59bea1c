"""One pass over a lazy source answers every step that reads it (see LazySource.scans)."""

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from bench import large_bench
from ipyreport import Filter, Slide, Story, encode, presets, samples
from ipyreport.lazy import lazy


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("orders")
    samples.write_orders(path, rows=30_000, parts=3, seed=5)
    return path


@pytest.fixture(scope="module")
def rows(folder):
    return encode(str(folder), max_rows=None)


def slides():
    return [
        Slide(presets.chart(kind="stacked_bar", x="Country", y="Revenue", color="Channel")),
        Slide(
            presets.chart(
                kind="column",
                x="Region",
                y="mean(Units)",
                filter=Filter.isin("Channel", ["Online"]),
            )
        ),
        Slide(presets.chart(kind="bar", x="Product", y="count(Units)")),
        Slide(presets.chart(kind="column", x="Channel", y="max(Profit)")),
    ]


def tables(story):
    return [step["table"] for slide in story.to_dict()["slides"] for step in slide["steps"]]


def test_every_step_over_a_source_is_answered_by_one_pass(folder, rows):
    source = lazy(folder)
    story = Story(source, slides=slides())
    assert [scan.why for scan in source.scans] == ["one pass for the story's steps"]
    # The first rows hold few combinations of the charts' dimensions: one grouping of them all.
    assert source.scans[0].sql.endswith('group by "Region", "Channel", "Country", "Product"')
    # The same tables, in the same order, as the rows read into memory.
    eager = Story(rows, slides=slides(), compact=False)
    for mine, theirs in zip(tables(story), tables(eager), strict=True):
        assert mine["columns"] == theirs["columns"]
        assert [row[:-1] for row in mine["rows"]] == [row[:-1] for row in theirs["rows"]]
        assert [row[-1] for row in mine["rows"]] == pytest.approx(
            [row[-1] for row in theirs["rows"]], rel=1e-12
        )


def test_one_pass_equals_pandas_over_every_row(folder):
    frame = pd.concat(pd.read_parquet(part) for part in sorted(folder.glob("*.parquet")))
    source = lazy(folder)
    by_country, mean_units, counts, maxima = tables(Story(source, slides=slides()))
    truth = frame.groupby(["Country", "Channel"])["Revenue"].sum()
    country, channel = (
        by_country["columns"].index("Country"),
        by_country["columns"].index("Channel"),
    )
    shown = {(row[country], row[channel]): row[-1] for row in by_country["rows"]}
    assert shown == pytest.approx(truth.to_dict(), rel=1e-12)
    online = frame[frame["Channel"] == "Online"].groupby("Region")["Units"].mean()
    assert dict(map(tuple, mean_units["rows"])) == pytest.approx(online.to_dict(), rel=1e-12)
    assert dict(map(tuple, counts["rows"])) == frame.groupby("Product")["Units"].count().to_dict()
    assert dict(map(tuple, maxima["rows"])) == frame.groupby("Channel")["Profit"].max().to_dict()
    # Categories in order of first appearance, learned in the same pass.
    assert [row[0] for row in counts["rows"]] == list(dict.fromkeys(frame["Product"]))
    assert len(source.scans) == 1


def test_a_distinct_count_says_it_needs_a_pass_of_its_own(folder):
    source = lazy(folder)
    story = Story(
        source,
        slides=[
            Slide(presets.chart(kind="bar", x="Region", y="Revenue")),
            Slide(presets.chart(kind="bar", x="Region", y="distinct(Units)")),
        ],
    )
    assert source.scans[0].sql.endswith('group by "Region"')
    assert [scan.why for scan in source.scans] == [
        "one pass for the story's steps",
        "slide 2, step 1: distinct(Units) needs a pass of its own: "
        "a distinct count does not roll up from groups",
    ]
    frame = pd.concat(pd.read_parquet(part) for part in sorted(folder.glob("*.parquet")))
    distinct = tables(story)[1]
    assert (
        dict(map(tuple, distinct["rows"])) == frame.groupby("Region")["Units"].nunique().to_dict()
    )


def test_reads_covered_by_an_earlier_pass_are_rolled_up_not_scanned(folder):
    source = lazy(folder)
    source.read(["Region", "Channel"], {"Revenue": "sum"})
    by_region = source.aggregate(["Region"], {"Revenue": "sum"})
    assert len(source.scans) == 1
    direct = duckdb.sql(
        f"select Region, sum(Revenue) from read_parquet('{folder}/*.parquet') group by 1 order by 1"
    ).fetchall()
    assert by_region.column("Region").to_pylist() == [region for region, _ in direct]
    assert by_region.column("Revenue").to_pylist() == pytest.approx(
        [total for _, total in direct], rel=1e-12
    )


def test_the_large_bench_story_reads_its_source_once(folder):
    source = lazy(folder)
    made = large_bench.slides(source)
    # The bar chart's colour check and the timeline's moments are not read while they are made...
    assert source.scans == []
    story = Story(source, slides=made)
    # ...but with the story's own steps, in one pass.
    assert [scan.why for scan in source.scans] == ["one pass for the story's steps"]
    # One grouping of every column the story reads, as the bench's plain GROUP BY has.
    assert source.scans[0].sql.endswith('group by "Channel", "Region", "Country", "Month"')
    pattern = f"{folder}/*.parquet"
    by_country = tables(story)[2]
    country = dict(
        duckdb.sql(
            f"select Country, sum(Revenue) from read_parquet('{pattern}') group by 1"
        ).fetchall()
    )
    assert by_country["columns"] == ["Country", "Region", "Revenue"]
    assert {row[0]: row[2] for row in by_country["rows"]} == pytest.approx(country, rel=1e-12)
    months = duckdb.sql(
        f"select strftime(Month, '%b %Y'), Region, sum(Revenue) from read_parquet('{pattern}') "
        "group by all"
    ).fetchall()
    timeline = story.to_dict()["slides"][2]["steps"]
    assert len(timeline) == len({month for month, _, _ in months})
    shown = {
        (step["config"]["title"], region): total
        for step in timeline
        for region, total in step["table"]["rows"]
    }
    assert shown == pytest.approx({(m, r): total for m, r, total in months}, rel=1e-12)


def test_a_colour_not_one_per_x_is_refused_after_the_one_pass(folder):
    source = lazy(folder)
    with pytest.raises(presets.StepError, match="use stacked_bar or grouped_bar") as caught:
        Story(
            source,
            slides=[
                Slide(presets.timeline(source, time="Month", x="Region", y="Revenue")),
                Slide(
                    presets.chart(kind="bar", x="Region", y="Revenue", color="Channel", data=source)
                ),
            ],
        )
    assert (caught.value.slide, caught.value.step) == (2, 1)
    assert [scan.why for scan in source.scans] == ["one pass for the story's steps"]


def test_charts_by_many_combinations_are_grouped_apart_in_the_one_pass(tmp_path):
    # Each order its own row: grouping the orders by region and product too would
    # multiply the charts' groups, so each chart gets a grouping of its own. (The
    # charts aggregate differently, so the story does not share one table between them.)
    frame = pd.DataFrame(
        {
            "Order": [f"o{number}" for number in range(5_000)],
            "Region": [["North", "South", "East"][number % 3] for number in range(5_000)],
            "Product": [["Tea", "Coffee"][number % 7 % 2] for number in range(5_000)],
            "Revenue": [float(number % 97) for number in range(5_000)],
        }
    )
    frame.to_parquet(tmp_path / "orders.parquet")
    source = lazy(tmp_path / "orders.parquet")
    story = Story(
        source,
        slides=[
            Slide(presets.chart(kind="bar", x="Order", y="Revenue")),
            Slide(
                presets.chart(kind="stacked_column", x="Product", y="max(Revenue)", color="Region")
            ),
        ],
    )
    assert [scan.why for scan in source.scans] == ["one pass for the story's steps"]
    assert source.scans[0].sql.endswith('group by grouping sets (("Product", "Region"), ("Order"))')
    by_order, by_product = tables(story)
    # Every order, in the rows' order (the document shows the first 100 of them).
    assert by_order["total"] == 5_000
    assert by_order["rows"] == frame[["Order", "Revenue"]].head(100).values.tolist()
    truth = frame.groupby(["Product", "Region"])["Revenue"].max().to_dict()
    product, region = by_product["columns"].index("Product"), by_product["columns"].index("Region")
    assert {(row[product], row[region]): row[-1] for row in by_product["rows"]} == truth
    # Categories in order of first appearance, as in the rows.
    assert list(dict.fromkeys(row[product] for row in by_product["rows"])) == ["Tea", "Coffee"]


def test_a_nan_in_a_summed_measure_reads_the_pass_again_with_nan_missing(tmp_path):
    revenue = [1.0, float("nan"), 2.5, 4.0, float("nan"), 8.0]
    frame = pd.DataFrame(
        {
            "Region": ["North", "South", "North", "South", "East", "East"],
            "Channel": ["Web", "Shop", "Shop", "Web", "Web", "Shop"],
            "Revenue": revenue,
        }
    )
    # Written by Arrow from the floats themselves: NaN stays NaN in the file (pandas
    # would write it as a null).
    columns = {name: pa.array(frame[name].tolist()) for name in frame.columns}
    assert pc.sum(pc.is_nan(columns["Revenue"])).as_py() == 2
    pq.write_table(pa.table(columns), tmp_path / "orders.parquet")
    source = lazy(tmp_path / "orders.parquet")
    story = Story(
        source,
        slides=[
            Slide(presets.chart(kind="bar", x="Region", y="Revenue")),
            Slide(presets.chart(kind="bar", x="Channel", y="Revenue")),
        ],
    )
    assert [scan.why for scan in source.scans] == [
        "one pass for the story's steps",
        "the story's steps, read again: 'Revenue' holds NaN, a missing value",
    ]
    by_region, by_channel = tables(story)
    # pandas leaves NaN out of a sum, as an eager story does.
    assert dict(map(tuple, by_region["rows"])) == frame.groupby("Region")["Revenue"].sum().to_dict()
    assert (
        dict(map(tuple, by_channel["rows"])) == frame.groupby("Channel")["Revenue"].sum().to_dict()
    )
    eager = Story(frame, slides=[Slide(presets.chart(kind="bar", x="Region", y="Revenue"))])
    assert tables(eager)[0]["rows"] == by_region["rows"]
