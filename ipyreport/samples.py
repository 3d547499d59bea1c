"""The embedded default data: a made-up electronics retailer's sales.

Everything is generated deterministically from a seed, so examples, tests
and benchmarks need no download and always see the same numbers.

``sales()`` is the monthly table the example stories use: four regions,
twelve countries, four products and three channels from January 2021 to
December 2024, with seasonality (a December peak, a summer dip) and growth.
Like real data it has flaws that a chart tool must not hide: two months are
missing entirely (a reporting outage in April 2022 and September 2023),
Kenya only starts selling in July 2022, and a few ``Units`` are null.

``sales(rows=n)`` draws ``n`` individual orders from the same business, for
benchmarks and large-data examples.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa

__all__ = [
    "CHANNELS",
    "MAX_ORDERS",
    "MISSING_MONTHS",
    "PRODUCTS",
    "REGIONS",
    "sales",
    "write_orders",
]

REGIONS: dict[str, tuple[str, ...]] = {
    "Americas": ("United States", "Canada", "Brazil"),
    "Europe": ("Germany", "France", "United Kingdom"),
    "Asia Pacific": ("Japan", "India", "Australia"),
    "Africa": ("South Africa", "Nigeria", "Kenya"),
}
# Relative market size of each country, in REGIONS order.
MARKET_SIZE = (10.0, 2.2, 2.8, 4.1, 3.3, 3.6, 4.4, 3.0, 1.9, 1.4, 1.1, 0.6)
# Product -> (unit price, share of a country's revenue, profit margin).
PRODUCTS: dict[str, tuple[float, float, float]] = {
    "Laptops": (1150.0, 0.42, 0.12),
    "Phones": (720.0, 0.33, 0.18),
    "Tablets": (430.0, 0.15, 0.10),
    "Accessories": (35.0, 0.10, 0.30),
}
CHANNELS: dict[str, float] = {"Online": 0.45, "Retail": 0.35, "Partner": 0.20}
FIRST_MONTH = dt.date(2021, 1, 1)
MONTHS = 48
MISSING_MONTHS = (dt.date(2022, 4, 1), dt.date(2023, 9, 1))
LATE_START = {"Kenya": dt.date(2022, 7, 1)}
# Monthly seasonality factor, January to December.
SEASON = np.array([0.82, 0.78, 0.9, 0.92, 0.95, 0.9, 0.85, 0.88, 1.0, 1.04, 1.22, 1.55])
# Scale so a mid-sized country sells a few million a month.
REVENUE_SCALE = 400_000.0
# Most orders ``sales(rows=...)`` makes: about 3 GB in memory.
MAX_ORDERS = 20_000_000
UNITS_NULL_RATE = 0.004


def sales(rows: int | None = None, *, seed: int = 2024) -> pa.Table:
    """The sample sales table: monthly, or ``rows`` individual orders.

    Columns: Region, Country, Product, Channel (text), Month (date), Revenue,
    Profit (float, 2 decimals) and Units (integer, with a few nulls).

    Parameters
    ----------
    rows : int, optional
        Draw this many orders (0 to ``MAX_ORDERS``) instead of the monthly
        table's 6,420 rows.
    seed : int, default 2024
        The seed every number is drawn from.

    Returns
    -------
    pyarrow.Table
        The same table for the same arguments, on every machine.

    Raises
    ------
    ValueError
        When ``rows`` is out of range.

    Examples
    --------
    >>> table = sales()
    >>> table.column_names, table.num_rows
    (['Region', 'Country', 'Product', 'Channel', 'Month', 'Revenue', 'Units', 'Profit'], 6420)
    >>> sales(rows=5).num_rows
    5
    """
    rng = np.random.default_rng(seed)
    if rows is None:
        return _monthly(rng)
    if not 0 <= rows <= MAX_ORDERS:
        msg = f"rows must be from 0 to {MAX_ORDERS:,}, got {rows:,}"
        raise ValueError(msg)
    return _orders(rng, rows)


def _countries() -> tuple[list[str], list[str]]:
    regions = [region for region, countries in REGIONS.items() for _ in countries]
    countries = [country for names in REGIONS.values() for country in names]
    return regions, countries


def _month_dates() -> list[dt.date]:
    months = []
    for offset in range(MONTHS):
        year, month = divmod(FIRST_MONTH.month - 1 + offset, 12)
        months.append(dt.date(FIRST_MONTH.year + year, month + 1, 1))
    return months


def _growth(month_index: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    # About 9% a year, with a slow patch in the second year.
    slowdown = np.where((month_index >= 12) & (month_index < 24), -0.004, 0.0)
    return np.exp((0.0075 + slowdown) * month_index)


def _monthly(rng: np.random.Generator) -> pa.Table:
    _, countries = _countries()
    products = list(PRODUCTS)
    channels = list(CHANNELS)
    months = _month_dates()
    grid = np.array(
        np.meshgrid(
            np.arange(len(months)),
            np.arange(len(countries)),
            np.arange(len(products)),
            np.arange(len(channels)),
            indexing="ij",
        )
    ).reshape(4, -1)
    month_i, country_i, product_i, channel_i = grid
    keep = np.ones(month_i.size, dtype=bool)
    month_array = np.array(months, dtype="datetime64[D]")
    for missing in MISSING_MONTHS:
        keep &= month_array[month_i] != np.datetime64(missing)
    for country, start in LATE_START.items():
        keep &= ~(
            (country_i == countries.index(country)) & (month_array[month_i] < np.datetime64(start))
        )
    month_i, country_i, product_i, channel_i = (
        part[keep] for part in (month_i, country_i, product_i, channel_i)
    )
    return _build(
        rng,
        month_i=month_i,
        country_i=country_i,
        product_i=product_i,
        channel_i=channel_i,
        month_array=month_array,
        scale=REVENUE_SCALE,
    )


def _orders(rng: np.random.Generator, rows: int) -> pa.Table:
    _, countries = _countries()
    months = _month_dates()
    weights = np.array(MARKET_SIZE) / sum(MARKET_SIZE)
    country_i = rng.choice(len(countries), size=rows, p=weights)
    product_i = rng.choice(
        len(PRODUCTS), size=rows, p=_normalized([v[1] for v in PRODUCTS.values()])
    )
    channel_i = rng.choice(len(CHANNELS), size=rows, p=_normalized(list(CHANNELS.values())))
    month_i = rng.integers(0, len(months), size=rows)
    month_array = np.array(months, dtype="datetime64[D]")
    # One order is a handful of units, not a country's month.
    return _build(
        rng,
        month_i=month_i,
        country_i=country_i,
        product_i=product_i,
        channel_i=channel_i,
        month_array=month_array,
        scale=None,
    )


def _normalized(values: list[float]) -> npt.NDArray[np.float64]:
    array = np.array(values)
    result: npt.NDArray[np.float64] = array / array.sum()
    return result


def _build(
    rng: np.random.Generator,
    *,
    month_i: npt.NDArray[np.int64],
    country_i: npt.NDArray[np.int64],
    product_i: npt.NDArray[np.int64],
    channel_i: npt.NDArray[np.int64],
    month_array: npt.NDArray[np.datetime64],
    scale: float | None,
) -> pa.Table:
    regions, countries = _countries()
    products = list(PRODUCTS)
    price = np.array([v[0] for v in PRODUCTS.values()])[product_i]
    margin = np.array([v[2] for v in PRODUCTS.values()])[product_i]
    calendar_month = month_array[month_i].astype("datetime64[M]").astype(np.int64) % 12
    season = SEASON[calendar_month]
    size = month_i.size
    noise = rng.lognormal(0.0, 0.08, size)
    if scale is None:
        units = np.maximum(1, np.round(rng.gamma(1.6, 2.0, size) * season)).astype(np.int64)
        revenue = units * price * rng.uniform(0.85, 1.05, size)
    else:
        share = (
            np.array([v[1] for v in PRODUCTS.values()])[product_i]
            * np.array(list(CHANNELS.values()))[channel_i]
        )
        revenue = (
            scale * np.array(MARKET_SIZE)[country_i] * share * season * _growth(month_i) * noise
        )
        units = np.round(revenue / price).astype(np.int64)
    revenue = np.round(revenue, 2)
    profit = np.round(revenue * (margin + rng.normal(0.0, 0.06, size)), 2)
    units_missing = rng.random(size) < UNITS_NULL_RATE
    return pa.table(
        {
            "Region": pa.array(regions).take(pa.array(country_i)),
            "Country": pa.array(countries).take(pa.array(country_i)),
            "Product": pa.array(products).take(pa.array(product_i)),
            "Channel": pa.array(list(CHANNELS)).take(pa.array(channel_i)),
            "Month": pa.array(month_array[month_i], pa.date32()),
            "Revenue": pa.array(revenue, pa.float64()),
            "Units": pa.array(units, pa.int64(), mask=units_missing),
            "Profit": pa.array(profit, pa.float64()),
        }
    )


def write_orders(folder: str | Path, *, rows: int, parts: int = 4, seed: int = 2024) -> list[Path]:
    """Write ``rows`` sample orders as ``parts`` Parquet files in ``folder``.

    The files are what a large-data story reads; each part is drawn with its
    own seed, so the set is deterministic.

    Parameters
    ----------
    folder : str or Path
        Where the files go (made if missing); files of the same names are
        replaced.
    rows : int
        How many orders in all.
    parts : int, default 4
        How many files they are split into, ``part-0.parquet`` onwards.
    seed : int, default 2024
        The first part's seed; each further part takes the next.

    Returns
    -------
    list of Path
        The files written, in order.

    Raises
    ------
    ValueError
        When a part would have more than ``MAX_ORDERS`` rows.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [path.name for path in write_orders(folder, rows=10, parts=2)]
    ['part-0.parquet', 'part-1.parquet']
    """
    import pyarrow.parquet as pq

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for part in range(parts):
        size = rows // parts + (1 if part < rows % parts else 0)
        path = target / f"part-{part}.parquet"
        pq.write_table(sales(rows=size, seed=seed + part), path)
        written.append(path)
    return written
