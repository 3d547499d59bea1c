"""The embedded sample data is deterministic and has the flaws it promises."""

import datetime as dt

import pyarrow.compute as pc

from ipyreport import samples


def test_sales_is_deterministic():
    assert samples.sales().equals(samples.sales())
    assert samples.sales(rows=1000).equals(samples.sales(rows=1000))


def test_sales_has_the_documented_columns_and_size():
    table = samples.sales()
    assert table.column_names == [
        "Region",
        "Country",
        "Product",
        "Channel",
        "Month",
        "Revenue",
        "Units",
        "Profit",
    ]
    # 12 countries x 4 products x 3 channels x 46 months, less Kenya's first 18 months
    assert table.num_rows == 12 * 4 * 3 * 46 - 4 * 3 * 17


def test_two_months_are_missing_entirely():
    months = set(table_months())
    assert len(months) == 46
    for missing in samples.MISSING_MONTHS:
        assert missing not in months


def test_kenya_starts_selling_in_july_2022():
    table = samples.sales()
    kenya = table.filter(pc.equal(table["Country"], "Kenya"))
    assert min(kenya["Month"].to_pylist()) == dt.date(2022, 7, 1)


def test_a_few_units_are_null_but_revenue_never_is():
    table = samples.sales()
    assert 0 < table["Units"].null_count < 0.01 * table.num_rows
    assert table["Revenue"].null_count == 0


def test_december_outsells_february():
    table = samples.sales()
    month = pc.month(table["Month"])
    december = pc.sum(table.filter(pc.equal(month, 12))["Revenue"]).as_py()
    february = pc.sum(table.filter(pc.equal(month, 2))["Revenue"]).as_py()
    assert december > 1.5 * february


def test_orders_generator_gives_the_asked_rows_with_positive_revenue():
    table = samples.sales(rows=10_000, seed=1)
    assert table.num_rows == 10_000
    assert pc.min(table["Revenue"]).as_py() > 0
    assert not samples.sales(rows=100, seed=1).equals(samples.sales(rows=100, seed=2))


def table_months():
    return samples.sales()["Month"].to_pylist()
