"""Sources too big to load: read their schema now, aggregate them in an engine later.

:func:`lazy` wraps Parquet/CSV/Arrow files, folders and globs, DuckDB
relations and SQL, Arrow tables and datasets, and Ibis tables. A story built
on one asks it only for what its steps draw — grouped by the dimensions
they use, with each measure aggregated the way they aggregate it — so the
raw rows never enter Python: DuckDB streams over files with a memory limit,
and an Ibis table pushes the aggregation to whatever backend it lives in.

>>> from ipyreport import samples
>>> source = lazy(samples.sales())
>>> source.roles["Revenue"], source.roles["Region"]
('measure', 'dimension')
>>> source.aggregate(["Region"], {"Revenue": "sum"}).num_rows
4
"""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ipyreport import _filters
from ipyreport._access import DEFAULT_MEMORY_LIMIT, spill_folder
from ipyreport._errors import DataError, closest
from ipyreport._filters import Filter
from ipyreport._sources import FILE_FORMATS, csv_scan
from ipyreport.data import (
    DEFAULT_NULL_LABEL,
    MAX_SAFE_INTEGER,
    Dimension,
    Measure,
    VizzuData,
    category_values,
    column_roles,
    encode,
    inexact_sum,
    is_text,
    labelled_like,
)

__all__ = ["AGGREGATES", "DEFAULT_MEMORY_LIMIT", "LazySource", "Request", "Scan", "lazy"]

# Each aggregator as DuckDB spells it.
AGGREGATES = {
    "sum": "sum",
    "min": "min",
    "max": "max",
    "count": "count",
    "mean": "avg",
    "distinct": "count(distinct",
}
# The column that numbers each group's first row, when asked for.
FIRST_ROW = "__ipyreport_first_row"
# Rows read to judge whether grouping by every dimension at once stays small.
PEEK_ROWS = 100_000
# The column that says which grouping of a GROUPING SETS pass a row belongs to.
GROUPING = "__ipyreport_grouping"
# What a grouped table keeps of a measure so that each aggregator rolls up
# from it exactly: sums add, counts add, minima and maxima take theirs, a mean
# is a sum over a count. A distinct count does not roll up.
PARTS = {
    "sum": ("sum",),
    "min": ("min",),
    "max": ("max",),
    "count": ("count",),
    "mean": ("sum", "count"),
}


@dataclass(frozen=True)
class Scan:
    """One pass over a source's rows: the query it ran and why it was needed.

    A DuckDB source lists its passes in :attr:`LazySource.scans`, so a story
    can say what a build cost.

    Parameters
    ----------
    sql : str
        The query, as DuckDB ran it.
    why : str
        What asked for it (a step's place, or the order of categories).

    Examples
    --------
    >>> from ipyreport import samples
    >>> source = lazy(samples.sales())
    >>> table = source.aggregate(["Region"], {"Revenue": "sum"}, place="slide 1")
    >>> [scan.why for scan in source.scans]
    ['one pass for slide 1']
    """

    sql: str
    why: str


@dataclass(frozen=True)
class Request:
    """One table a story will ask a source for.

    Given to :meth:`LazySource.prefetch` so one pass over the rows answers many
    steps.

    Parameters
    ----------
    dimensions : tuple of str
        The columns it is grouped by.
    measures : mapping of str to str
        Each measure and its aggregator (``"sum"``, ``"mean"``...).
    where : Filter, optional
        The rows it is over (default: all).
    place : str, default ""
        The step it is for, as :attr:`LazySource.scans` names it.

    Examples
    --------
    >>> from ipyreport import samples
    >>> source = lazy(samples.sales())
    >>> source.prefetch([Request(("Region",), {"Revenue": "sum"}), Request(("Product",), {"Units": "mean"})])
    >>> len(source.scans)
    1
    """

    dimensions: tuple[str, ...]
    measures: Mapping[str, str]
    where: Filter | None = None
    place: str = ""


@dataclass(frozen=True)
class _Grain:
    """A grouped table read in one pass: every row of the source counted in
    exactly one group of ``dimensions``, with the ``parts`` of each measure
    (``("sum", "Revenue")``) and each group's first row."""

    dimensions: tuple[str, ...]
    parts: frozenset[tuple[str, str]]
    table: pa.Table


class LazySource:
    """A table known by its schema; rows are only ever read to aggregate them.

    Made by :func:`lazy`, which picks the engine; not usually built by hand.
    ``roles`` holds each column's role, ``scans`` every pass over the rows.

    Parameters
    ----------
    engine : {"duckdb", "ibis", "polars", "spark"}
        Where the aggregation runs.
    handle : object
        The engine's own table: a DuckDB relation, an Ibis table, a polars
        LazyFrame or a Spark DataFrame.
    label : str
        How errors name the source (``"'orders/'"``, ``"the Ibis table"``).
    columns : sequence of str, optional
        The columns kept, in order (default: all).
    dimensions : sequence of str, default ()
        Columns that are dimensions whatever their type.
    measures : sequence of str, default ()
        Columns that are measures.
    null_label : str, default "(missing)"
        The category missing dimension values are shown as.
    schema : pyarrow.Schema, optional
        The source's own schema, whose time zones instants are labelled in.

    Raises
    ------
    DataError
        When ``columns`` names a column the source lacks, or the engine
        cannot read the source.

    Examples
    --------
    >>> import duckdb
    >>> relation = duckdb.sql("select 'North' as Region, 2.5 as Revenue")
    >>> LazySource("duckdb", relation, "the query").roles
    {'Region': 'dimension', 'Revenue': 'measure'}
    """

    def __init__(
        self,
        engine: str,
        handle: Any,
        label: str,
        *,
        columns: Sequence[str] | None = None,
        dimensions: Sequence[str] = (),
        measures: Sequence[str] = (),
        null_label: str = DEFAULT_NULL_LABEL,
        schema: pa.Schema | None = None,
    ) -> None:
        self.engine = engine
        self._handle = handle
        self.label = label
        self.null_label = null_label
        with engine_errors(label):
            self.types: dict[str, pa.DataType] = dict(self._schema())
        if columns is not None:
            self._select(columns)
        # The rule an eager story follows over the same columns.
        self.roles: dict[str, str] = dict(
            column_roles(self.types, dimensions=dimensions, measures=measures, columns=columns)
        )
        # An engine may hand instants back in its own zone; the source's own
        # zone (an Arrow schema's, when known) is what an eager story labels by.
        self._zones: dict[str, pa.DataType] = {}
        for field in schema if schema is not None else ():
            name, kind = field.name, field.type
            if name in self.types and pa.types.is_timestamp(kind) and kind.tz is not None:
                self._zones[name] = self.types[name] = kind
        self._orders: dict[str, list[str]] = {}
        self._labels: dict[str, tuple[str, ...]] = {}
        # Each time column's labels read back as its values (see _labelled_as_a_whole).
        self._whole: dict[str, pa.Array] = {}
        # Every pass over the rows, in order (DuckDB sources): what a build cost.
        self.scans: list[Scan] = []
        # Grouped tables already read, which later tables are rolled up from.
        self._grains: list[_Grain] = []
        self._rollups: Any = None
        # The DuckDB connection that scans files, kept as long as the source: its
        # spill folder goes when it does.
        self._connection: Any = None
        # A lake table's version or snapshot as read (see ipyreport.lake), for provenance.
        self.lake: dict[str, Any] | None = None

    def _select(self, columns: Sequence[str]) -> None:
        """Keep only ``columns``, in that order, as ``encode(columns=...)`` does."""
        if isinstance(columns, str):
            msg = f"columns= takes a list of column names, got the string {columns!r}; write columns=[{columns!r}]"
            raise DataError(msg)
        for name in columns:
            if name not in self.types:
                msg = f"columns= names {name!r}, which is not a column of {self.label}{closest(name, self.types)}"
                raise DataError(msg)
        wanted = list(dict.fromkeys(columns))
        if self.engine == "duckdb":
            self._handle = self._handle.project(", ".join(_quote(name) for name in wanted))
        else:
            self._handle = self._handle.select(*wanted)
        self.types = {name: self.types[name] for name in wanted}

    def _schema(self) -> list[tuple[str, pa.DataType]]:
        """Each column's Arrow type, read without reading rows."""
        if self.engine == "ibis":
            schema = self._handle.schema().to_pyarrow()
        elif self.engine == "polars":
            import polars as pl

            schema = pl.DataFrame(schema=self._handle.collect_schema()).to_arrow().schema
        elif self.engine == "spark":
            schema = self._handle.limit(0).toArrow().schema
        else:
            schema = self._handle.limit(0).to_arrow_table().schema
        return [(name, schema.field(name).type) for name in schema.names]

    @property
    def names(self) -> list[str]:
        """Column names in order."""
        return list(self.roles)

    def aggregate(
        self,
        dimensions: Sequence[str],
        measures: Mapping[str, str],
        where: Filter | None = None,
        *,
        number_rows: bool = False,
        place: str = "",
    ) -> pa.Table:
        """One row per combination of ``dimensions``, each measure aggregated as asked.

        Groups come back ordered by the dimensions, so rebuilds are identical. A
        DuckDB source answers from a grouped table it already read when it can.

        Parameters
        ----------
        dimensions : sequence of str
            The columns to group by.
        measures : mapping of str to str
            Each measure and its aggregator: ``"sum"``, ``"min"``, ``"max"``,
            ``"count"``, ``"mean"`` or ``"distinct"``.
        where : Filter, optional
            A declarative filter, run in the engine (default: every row).
        number_rows : bool, default False
            Add a last column, ``FIRST_ROW``, with the number of each group's
            first row in the source (DuckDB only).
        place : str, default ""
            The step the table is for, as :attr:`scans` names it.

        Returns
        -------
        pyarrow.Table
            The dimensions, then the measures, one row per group.

        Raises
        ------
        DataError
            When a name is not a column, an aggregator is unknown, an integer sum
            exceeds what a JavaScript number holds exactly, or the engine fails.

        Examples
        --------
        >>> from ipyreport import samples
        >>> lazy(samples.sales()).aggregate(["Region"], {"Units": "count"}).to_pydict()["Region"]
        ['Africa', 'Americas', 'Asia Pacific', 'Europe']
        """
        for name in [*dimensions, *measures]:
            if name not in self.roles:
                msg = f"{name!r} is not a column of {self.label}{closest(name, self.roles)}; columns are {self.names}"
                raise DataError(msg)
        for name, aggregator in measures.items():
            if aggregator not in AGGREGATES:
                msg = f"unknown aggregator {aggregator!r} for {name!r}; use one of {', '.join(AGGREGATES)}"
                raise DataError(msg)
        run: Callable[..., pa.Table] = {
            "ibis": _aggregate_ibis,
            "polars": _aggregate_polars,
            "spark": _aggregate_spark,
        }.get(self.engine, _aggregate_duckdb)
        condition = None
        if where is not None:
            for name in where.columns():
                if name not in self.roles:
                    msg = f"the filter reads {name!r}, which is not a column of {self.label}{closest(name, self.roles)}"
                    raise DataError(msg)
            condition = self._condition(where)
        # NaN is a missing value, as in an eager story: left out of sums,
        # means, minima, maxima and counts.
        floats = {name for name in measures if pa.types.is_floating(self.types[name])}
        request = Request(tuple(dimensions), dict(measures), where, place)
        with engine_errors(self.label):
            table: pa.Table | None = None
            if self.engine == "duckdb" and self._own_pass(request) is None:
                grain = self._grain_for(request)
                if grain is None:
                    self._read_grain([request], place or "a read")
                    grain = self._grain_for(request)
                if grain is not None:
                    table = self._roll_up(grain, request, condition, number_rows=number_rows)
            if table is None:
                if self.engine == "duckdb":
                    why = self._own_pass(request) or "a read"
                    self.scans.append(
                        Scan(
                            _aggregate_sql(
                                list(dimensions),
                                dict(measures),
                                condition,
                                floats=floats,
                                number_rows=number_rows,
                            ),
                            f"{place}: {why}" if place else why,
                        )
                    )
                table = run(
                    self._handle,
                    list(dimensions),
                    dict(measures),
                    condition,
                    floats=floats,
                    number_rows=number_rows,
                )
        for name, aggregator in measures.items():
            kind = self.types[name]
            if aggregator == "sum" and (pa.types.is_integer(kind) or pa.types.is_boolean(kind)):
                # Engines add integers exactly (DuckDB into 128 bits): exact here, or an error.
                position = table.column_names.index(name)
                largest = pc.max(pc.abs_checked(table.column(position))).as_py()
                if largest is not None and largest > MAX_SAFE_INTEGER:
                    raise inexact_sum(name, int(largest))
                table = table.set_column(position, name, table.column(position).cast(pa.int64()))
        for name in dimensions:
            if name in self._zones:
                position = table.column_names.index(name)
                table = table.set_column(
                    position, name, table.column(position).cast(self._zones[name])
                )
        return table

    def prefetch(self, requests: Sequence[Request], why: str = "the story's steps") -> None:
        """Read, in one pass over the rows, a grouped table that later requests roll up from.

        A request needs a pass of its own when it counts distinct values or
        filters by a measure row by row (:attr:`scans` says so when it runs). Only
        DuckDB sources keep grouped tables; other engines read each request as it
        comes.

        Parameters
        ----------
        requests : sequence of Request
            The tables the story will ask for.
        why : str, default "the story's steps"
            What the pass is for, as :attr:`scans` names it.

        Examples
        --------
        >>> from ipyreport import samples
        >>> source = lazy(samples.sales())
        >>> source.prefetch([Request(("Region",), {"Revenue": "sum"})])
        >>> _ = source.aggregate(["Region"], {"Revenue": "sum"})
        >>> len(source.scans)
        1
        """
        if self.engine != "duckdb":
            return
        rolled = [
            request
            for request in requests
            if self._own_pass(request) is None and self._grain_for(request) is None
        ]
        if rolled:
            with engine_errors(self.label):
                self._read_grain(rolled, why)

    def _own_pass(self, request: Request) -> str | None:
        """Why ``request`` cannot be rolled up from a grouped table, or None."""
        for name, aggregator in request.measures.items():
            if aggregator not in PARTS:
                return f"{aggregator}({name}) needs a pass of its own: a distinct count does not roll up from groups"
        if request.where is not None:
            if request.where.uses_javascript:
                return "a JavaScript filter"
            for name in request.where.columns():
                if self.roles.get(name) == "measure" and name not in request.dimensions:
                    return f"its filter reads the measure {name!r} row by row, which needs a pass of its own"
        return None

    @staticmethod
    def _columns(request: Request) -> tuple[list[str], set[tuple[str, str]]]:
        dims = list(request.dimensions)
        if request.where is not None:
            dims.extend(name for name in request.where.columns() if name not in dims)
        parts = {
            (part, name)
            for name, aggregator in request.measures.items()
            for part in PARTS.get(aggregator, ())
        }
        return dims, parts

    def _grain_for(self, request: Request) -> _Grain | None:
        """A grouped table already read that ``request`` rolls up from."""
        dims, parts = self._columns(request)
        for grain in self._grains:
            if set(dims) <= set(grain.dimensions) and parts <= grain.parts:
                return grain
        return None

    def _read_grain(self, requests: Sequence[Request], why: str) -> None:
        """One pass: the rows grouped by the dimensions the requests use, with each
        measure's parts and each group's first row (which also gives each text
        column's order of first appearance).

        A request whose dimensions lie within another's joins its grouping. The
        rest are grouped together when the first rows show few combinations of
        all their dimensions (see :meth:`_few_combinations`), else each gets a
        grouping of its own in the same pass (``GROUPING SETS``), so unrelated
        charts are not multiplied into one grouping of every combination.
        """
        sets: list[list[str]] = []
        parts: set[tuple[str, str]] = set()
        wanted = [self._columns(request) for request in requests]
        for dims, more in sorted(wanted, key=lambda pair: -len(pair[0])):
            parts |= more
            home = next((found for found in sets if set(dims) <= set(found)), None)
            if home is None:
                sets.append(list(dims))
        every = list(dict.fromkeys(name for found in sets for name in found))
        if len(sets) > 1 and self._few_combinations(every):
            sets = [every]
        ordered = sorted(parts, key=lambda part: (part[1], part[0]))
        floats = {name for _, name in ordered if pa.types.is_floating(self.types[name])}
        # A float measure that is summed is read as it is: a NaN makes its group's
        # sum NaN, which shows it, and only then is the pass read again with NaN
        # as a missing value (the test costs every row a comparison otherwise).
        summed = {name for part, name in ordered if part == "sum" and name in floats}
        query = _grain_sql(sets, every, ordered, floats - summed)
        self.scans.append(Scan(query, f"one pass for {why}"))
        table = self._handle.query("source", query).to_arrow_table()
        found = [
            name
            for name in sorted(summed)
            if pc.any(pc.is_nan(table.column("sum:" + name))).as_py()
        ]
        if found:
            query = _grain_sql(sets, every, ordered, floats)
            named = " and ".join(map(repr, found))
            self.scans.append(Scan(query, f"{why}, read again: {named} holds NaN, a missing value"))
            table = self._handle.query("source", query).to_arrow_table()
        for dims in sets:
            rows = table
            if len(sets) > 1:
                # grouping() sets a column's bit (the first column highest) when it is not grouped by.
                mask = sum(
                    1 << (len(every) - 1 - every.index(name)) for name in every if name not in dims
                )
                rows = table.filter(pc.equal(table.column(GROUPING), mask))
                rows = rows.select(
                    [*dims, *(part + ":" + name for part, name in ordered), FIRST_ROW]
                )
            self._grains.append(_Grain(tuple(dims), frozenset(parts), rows))
            text = [name for name in dims if is_text(self.types[name]) and name not in self._orders]
            if text and rows.num_rows:
                self._orders.update(_orders_from_groups(rows, text))

    def _few_combinations(self, names: Sequence[str]) -> bool:
        """Whether the first rows hold few combinations of ``names`` (at most one
        new combination in ten rows), so that grouping by all of them at once
        stays small: cheaper than a grouping for each chart."""
        quoted = ", ".join(_quote(name) for name in names)
        query = (
            f"select count(*), count(distinct ({quoted})) "
            f"from (select {quoted} from source limit {PEEK_ROWS})"
        )
        rows, combinations = self._handle.query("source", query).fetchall()[0]
        return bool(combinations * 10 <= rows)

    def _roll_up(
        self, grain: _Grain, request: Request, condition: str | None, *, number_rows: bool
    ) -> pa.Table:
        """``request`` answered from ``grain`` exactly: its filter kept, its groups merged."""
        import duckdb

        if self._rollups is None:
            self._rollups = duckdb.connect()
            self._rollups.execute("SET threads = 1")
            self._rollups.execute("SET TimeZone = 'UTC'")
        quoted = [_quote(name) for name in request.dimensions]
        columns = [*quoted]
        for name, aggregator in request.measures.items():
            total, count = _quote("sum:" + name), _quote("count:" + name)
            value = {
                "sum": f"sum({total})",
                "min": f"min({_quote('min:' + name)})",
                "max": f"max({_quote('max:' + name)})",
                "count": f"coalesce(sum({count}), 0)::BIGINT",
                "mean": f"sum({total})::DOUBLE / sum({count})",
            }[aggregator]
            columns.append(f"{value} as {_quote(name)}")
        if number_rows:
            columns.append(f"min({_quote(FIRST_ROW)}) as {_quote(FIRST_ROW)}")
        group = f" group by {', '.join(quoted)} order by {', '.join(quoted)}" if quoted else ""
        where = f" where {condition}" if condition is not None else ""
        query = f"select {', '.join(columns)} from grain{where}{group}"
        relation = self._rollups.from_arrow(grain.table)
        result: pa.Table = relation.query("grain", query).to_arrow_table()
        return result

    def _condition(self, where: Filter) -> Any:
        """The filter in the engine's own terms: SQL text, or a column expression."""
        if self.engine == "duckdb":
            return _filters.sql(where, self.types, self.null_label)
        if self.engine == "polars":
            import polars as pl

            column: Any = pl.col
        elif self.engine == "spark":
            from pyspark.sql import functions as f

            column = f.col
        else:
            handle = self._handle

            def column(name: str) -> Any:
                return handle[name]

        return _filters.expression(where, self.engine, column, self.types, self.null_label)

    def read(
        self,
        dimensions: Sequence[str],
        measures: Mapping[str, str],
        where: Filter | None = None,
        *,
        place: str = "",
    ) -> VizzuData:
        """:meth:`aggregate`, encoded as Vizzu data the way an eager story encodes it.

        The same roles (a column grouped by keeps the role it has in the source),
        the same labels, the same null label, text categories in order of first
        appearance.

        Parameters
        ----------
        dimensions : sequence of str
            The columns to group by.
        measures : mapping of str to str
            Each measure and its aggregator.
        where : Filter, optional
            The rows read (default: all).
        place : str, default ""
            The step it is for, as :attr:`scans` names it.

        Returns
        -------
        VizzuData
            One series per column, one row per group.

        Raises
        ------
        DataError
            As :meth:`aggregate` raises it.

        Examples
        --------
        >>> from ipyreport import samples
        >>> data = lazy(samples.sales()).read(["Channel"], {"Revenue": "sum"})
        >>> data["Channel"].categories
        ('Online', 'Retail', 'Partner')
        """
        categories = [name for name in dimensions if self.roles.get(name) == "dimension"]
        return self._read(dimensions, measures, where, categories, place)

    def _read(
        self,
        dimensions: Sequence[str],
        measures: Mapping[str, str],
        where: Filter | None,
        categories: Sequence[str],
        place: str = "",
    ) -> VizzuData:
        """:meth:`read`, with the grouped columns ``categories`` encoded as dimensions
        and the others as measures."""
        text = [name for name in dimensions if is_text(self.types[name])]
        # An unfiltered read sees every category: it can number the rows as it
        # scans and learn their first appearance on the way, with no scan of its own.
        number_rows = (
            self.engine == "duckdb"
            and where is None
            and any(name not in self._orders for name in text)
        )
        table = self.aggregate(dimensions, measures, where, number_rows=number_rows, place=place)
        if number_rows:
            self._orders.update(_orders_from_groups(table, text))
            table = table.drop_columns([FIRST_ROW])
        data = encode(
            table,
            dimensions=list(categories),
            measures=[name for name in dimensions if name not in categories],
            null_label=self.null_label,
            max_rows=None,
        )
        if where is not None:
            data = self._labelled_as_a_whole(data, table, categories)
        return in_order(data, self.appearance(text))

    def _labelled_as_a_whole(
        self, data: VizzuData, table: pa.Table, categories: Sequence[str]
    ) -> VizzuData:
        """``data`` read from the rows a filter keeps, its times labelled as every row of
        their column labels them (see :func:`ipyreport.data.labelled_like`), as read from
        the column's labels (:meth:`labels`; both read once)."""
        timed = [
            name for name in categories if pa.types.is_timestamp(table.schema.field(name).type)
        ]
        if not timed:
            return data
        series: list[Dimension | Measure] = []
        for item in data.series:
            if item.name in timed and isinstance(item, Dimension):
                if item.name not in self._whole:
                    kind = table.schema.field(item.name).type
                    self._whole[item.name], _ = category_values(
                        item.name, self.labels(item.name), kind, self.null_label
                    )
                series.append(labelled_like(item, table.column(item.name), self._whole[item.name]))
            else:
                series.append(item)
        return VizzuData(series=tuple(series), num_rows=data.num_rows)

    def check(self, where: Filter, place: str) -> None:
        """Check that every column and label ``where`` names is in the source.

        The in-memory check, over the labels of just the columns it filters by.

        Parameters
        ----------
        where : Filter
            A step's filter.
        place : str
            The step, as the error names it.

        Raises
        ------
        StepError
            When a column or label is not in the source; the message names it.

        Examples
        --------
        >>> from ipyreport import Filter, samples
        >>> lazy(samples.sales()).check(Filter.equals("Region", "Antarctica"), "slide 1, step 1")
        Traceback (most recent call last):
        ...
        ipyreport._errors.StepError: slide 1, step 1: the filter keeps 'Region' == 'Antarctica', which never occurs (did you mean 'Africa'?)
        """
        kept = [leaf.args[0] for leaf in where.leaves() if leaf.op == "in"]
        labelled = [name for name in kept if self.roles.get(name) == "dimension"]
        _filters.check(where, self.schema(labelled=labelled), place)

    def labels(self, name: str) -> tuple[str, ...]:
        """The values of a column as categories, labelled as an eager story labels them.

        A measure's too: its values as a dimension, say the years of a timeline.

        Parameters
        ----------
        name : str
            A column.

        Returns
        -------
        tuple of str
            Its distinct values as labels (read once, then remembered).

        Examples
        --------
        >>> from ipyreport import samples
        >>> lazy(samples.sales()).labels("Channel")
        ('Online', 'Retail', 'Partner')
        """
        if name not in self._labels:
            series = self._read([name], {}, None, [name])[name]
            assert isinstance(series, Dimension)
            self._labels[name] = series.categories
        return self._labels[name]

    def appearance(self, names: Sequence[str]) -> dict[str, list[str]]:
        """Each text column's values in order of first appearance in the source.

        DuckDB and polars number the rows as they scan them; an Ibis table or a
        Spark DataFrame has no row order, so its categories stay sorted.

        Parameters
        ----------
        names : sequence of str
            Text columns.

        Returns
        -------
        dict of str to list of str
            Each column the engine can order, and its values in that order.

        Examples
        --------
        >>> from ipyreport import samples
        >>> lazy(samples.sales()).appearance(["Channel"])
        {'Channel': ['Online', 'Retail', 'Partner']}
        """
        wanted = [name for name in dict.fromkeys(names) if name not in self._orders]
        if wanted and self.engine in ("duckdb", "polars"):
            if self.engine == "duckdb":
                self.scans.append(Scan(_first_sql(wanted), f"the order of {wanted}"))
            with engine_errors(self.label):
                self._orders.update(_first_appearance(self.engine, self._handle, wanted))
        return {name: self._orders[name] for name in names if name in self._orders}

    def schema(self, *, labelled: Sequence[str] = ()) -> VizzuData:
        """A data object with no rows: the names and roles, for checking steps.

        Parameters
        ----------
        labelled : sequence of str, default ()
            Dimensions whose categories are read from the source too.

        Returns
        -------
        VizzuData
            One empty series per column.

        Examples
        --------
        >>> from ipyreport import samples
        >>> empty = lazy(samples.sales()).schema()
        >>> empty.names[:3], empty.num_rows
        (['Region', 'Country', 'Product'], 0)
        """
        series: list[Dimension | Measure] = []
        for name, role in self.roles.items():
            if role == "dimension":
                categories = self.labels(name) if name in labelled else ()
                series.append(
                    Dimension(name=name, categories=categories, codes=np.empty(0, dtype=np.int32))
                )
            else:
                series.append(Measure(name=name, values=np.empty(0)))
        return VizzuData(series=tuple(series), num_rows=0)

    def determines(self, names: Sequence[str], other: str) -> bool:
        """Whether each combination of ``names`` has a single value of ``other``.

        Parameters
        ----------
        names : sequence of str
            Columns.
        other : str
            Another column.

        Returns
        -------
        bool
            ``True`` when ``other`` is a function of ``names`` in this data.

        Examples
        --------
        >>> from ipyreport import samples
        >>> source = lazy(samples.sales())
        >>> source.determines(["Country"], "Region"), source.determines(["Region"], "Country")
        (True, False)
        """
        return bool(
            self.aggregate([*names, other], {}).num_rows == self.aggregate(list(names), {}).num_rows
        )

    def __repr__(self) -> str:
        return f"LazySource({self.label})"


@contextlib.contextmanager
def engine_errors(label: str) -> Iterator[None]:
    """Turn DuckDB's errors while reading ``label`` into one-line data errors that say
    what to do (out of memory: raise the limit or pre-aggregate)."""
    import duckdb

    try:
        yield
    except duckdb.OutOfMemoryException as error:
        used = str(error).split("\n", 1)[0].rpartition("(")[2].rstrip(")")
        msg = (
            f"DuckDB ran out of memory reading {label} ({used}), even spilling to disk: raise "
            "the limit (ipyreport build --memory-limit 2GB, or lazy(..., memory_limit='2GB')) "
            "or pre-aggregate the data (group it in the query to fewer rows)"
        )
        raise DataError(msg) from None
    except duckdb.PermissionException as error:
        reason = str(error).split("\n", 1)[0].split(": ", 1)[-1]
        msg = (
            f"reading {label} was refused ({reason}); keep the data next to the spec, "
            "or allow its folder with --allow-path DIR"
        )
        raise DataError(msg) from None
    except duckdb.Error as error:
        reason = " ".join(str(error).split("\n", 1)[0].split())
        msg = f"reading {label} failed: {reason}"
        raise DataError(msg) from None


def _first_appearance(engine: str, handle: Any, names: list[str]) -> dict[str, list[str]]:
    """Per column, its non-null values ordered by the first row holding each."""
    if engine == "polars":
        import polars as pl

        numbered = handle.with_row_index("__row")
        result = {}
        for name in names:
            firsts = (
                numbered.filter(pl.col(name).is_not_null())
                .group_by(name)
                .agg(pl.col("__row").min())
                .sort("__row")
                .collect()
            )
            result[name] = [str(value) for value in firsts.get_column(name).to_list()]
        return result
    rows = handle.query("source", _first_sql(names)).to_arrow_table()
    result = {}
    for name in names:
        values = rows.column(name).to_pylist()
        result[name] = [str(value) for value in values if value is not None]
    return result


def _first_sql(names: Sequence[str]) -> str:
    """The query that finds each of ``names``' values' first row."""
    sets = ", ".join(f"({_quote(name)})" for name in names)
    columns = ", ".join(_quote(name) for name in names)
    return (
        f"select {columns}, min(__row) as __first from "
        f"(select {columns}, row_number() over () as __row from source) "
        f"group by grouping sets ({sets}) order by __first"
    )


def in_order(data: VizzuData, orders: Mapping[str, Sequence[str]]) -> VizzuData:
    """``data`` with the named dimensions' categories put in the given order
    (the null label and unlisted categories after), rows sorted to match."""
    if not orders or data.num_rows == 0:
        return data
    series: list[Dimension | Measure] = []
    for item in data.series:
        order = orders.get(item.name)
        if order is None or not isinstance(item, Dimension):
            series.append(item)
            continue
        rank = {label: index for index, label in enumerate(order)}
        ranked = sorted(
            range(len(item.categories)),
            key=lambda code: (rank.get(item.categories[code], len(rank)), code),
        )
        position = np.empty(len(ranked), dtype=np.int32)
        position[ranked] = np.arange(len(ranked), dtype=np.int32)
        series.append(
            Dimension(
                name=item.name,
                categories=tuple(item.categories[code] for code in ranked),
                codes=position[item.codes],
            )
        )
    keys = [s.codes for s in reversed(series) if isinstance(s, Dimension)]
    rows = np.lexsort(keys) if keys else np.arange(data.num_rows)
    return VizzuData(series=tuple(series), num_rows=data.num_rows).take(rows)


def _orders_from_groups(table: pa.Table, names: Sequence[str]) -> dict[str, list[str]]:
    """Each text column's values by first appearance: a value first appears in the
    earliest first row of the groups that hold it."""
    firsts = table.column(FIRST_ROW).to_pylist()
    result = {}
    for name in names:
        earliest: dict[str, int] = {}
        for value, first in zip(table.column(name).to_pylist(), firsts, strict=True):
            if value is not None and first < earliest.get(value, first + 1):
                earliest[value] = int(first)
        result[name] = sorted(earliest, key=earliest.__getitem__)
    return result


def _grain_sql(
    sets: Sequence[Sequence[str]],
    every: Sequence[str],
    parts: Sequence[tuple[str, str]],
    floats: set[str],
) -> str:
    """The query of one pass: each of ``parts`` (``("sum", "Revenue")``) and each
    group's first row, grouped by ``sets`` (by ``GROUPING SETS`` when more than one).
    A measure in ``floats`` is read with NaN as a missing value."""
    quoted = [_quote(name) for name in every]
    columns = [*quoted]
    for part, name in parts:
        columns.append(f"{part}({_value(name, floats)}) as {_quote(part + ':' + name)}")
    columns.append(f"min(__row) as {_quote(FIRST_ROW)}")
    needed = ", ".join(dict.fromkeys([*quoted, *(_quote(name) for _, name in parts)]))
    group = f" group by {', '.join(quoted)}" if quoted else ""
    if len(sets) > 1:
        columns.append(f"grouping({', '.join(quoted)}) as {_quote(GROUPING)}")
        listed = ", ".join("(" + ", ".join(_quote(name) for name in found) + ")" for found in sets)
        group = f" group by grouping sets ({listed})"
    return (
        f"select {', '.join(columns)} from "
        f"(select {needed}, row_number() over () as __row from source){group}"
    )


def _value(name: str, floats: set[str]) -> str:
    """A measure as aggregated: a float's NaN read as a missing value."""
    column = _quote(name)
    # (isnan, not nullif: NaN read from a file need not equal the literal NaN)
    return f"(CASE WHEN isnan({column}) THEN NULL ELSE {column} END)" if name in floats else column


def _aggregate_sql(
    dimensions: list[str],
    measures: dict[str, str],
    where: str | None,
    *,
    floats: set[str],
    number_rows: bool,
) -> str:
    quoted = [_quote(name) for name in dimensions]
    columns = [*quoted]
    for name, aggregator in measures.items():
        function = AGGREGATES[aggregator]
        value = _value(name, floats)
        call = f"{function} {value})" if function.endswith("distinct") else f"{function}({value})"
        columns.append(f"{call} as {_quote(name)}")
    source = "source"
    if number_rows:
        columns.append(f"min(__row) as {_quote(FIRST_ROW)}")
        needed = ", ".join(dict.fromkeys([*quoted, *(_quote(name) for name in measures)]))
        # Only the columns read, so the scan below keeps its projection.
        source = f"(select {needed}, row_number() over () as __row from source)"
    group = f" group by {', '.join(quoted)} order by {', '.join(quoted)}" if quoted else ""
    condition = f" where {where}" if where is not None else ""
    return f"select {', '.join(columns)} from {source}{condition}{group}"


def _aggregate_duckdb(
    relation: Any,
    dimensions: list[str],
    measures: dict[str, str],
    where: str | None,
    *,
    floats: set[str],
    number_rows: bool,
) -> pa.Table:
    query = _aggregate_sql(dimensions, measures, where, floats=floats, number_rows=number_rows)
    return relation.query("source", query).to_arrow_table()


def _aggregate_ibis(
    table: Any,
    dimensions: list[str],
    measures: dict[str, str],
    where: Any,
    *,
    floats: set[str],
    number_rows: bool,
) -> pa.Table:
    import ibis

    if where is not None:
        table = table.filter(where)
    if floats:
        table = table.mutate(
            **{name: table[name].isnan().ifelse(ibis.null(), table[name]) for name in floats}
        )
    methods = {
        "sum": "sum",
        "min": "min",
        "max": "max",
        "count": "count",
        "mean": "mean",
        "distinct": "nunique",
    }
    metrics = {
        name: getattr(table[name], methods[aggregator])() for name, aggregator in measures.items()
    }
    if dimensions:
        return table.group_by(dimensions).aggregate(**metrics).order_by(dimensions).to_pyarrow()
    return table.aggregate(**metrics).to_pyarrow()


def _aggregate_polars(
    frame: Any,
    dimensions: list[str],
    measures: dict[str, str],
    where: Any,
    *,
    floats: set[str],
    number_rows: bool,
) -> pa.Table:
    import polars as pl

    if where is not None:
        frame = frame.filter(where)
    if floats:
        frame = frame.with_columns([pl.col(name).fill_nan(None) for name in floats])

    methods = {
        "sum": "sum",
        "min": "min",
        "max": "max",
        "count": "count",
        "mean": "mean",
        "distinct": "n_unique",
    }
    # Nulls are missing values, not a distinct value of their own; a group with
    # no values has no sum (polars would say 0).
    metrics = [
        pl.when(pl.col(name).count() > 0)
        .then(getattr(pl.col(name).drop_nulls(), methods[aggregator])())
        .otherwise(None)
        .alias(name)
        if aggregator == "sum"
        else getattr(pl.col(name).drop_nulls(), methods[aggregator])().alias(name)
        for name, aggregator in measures.items()
    ]
    if dimensions:
        grouped = (
            frame.group_by(dimensions).agg(metrics)
            if metrics
            else frame.select(dimensions).unique()
        )
        return grouped.sort(dimensions).collect().to_arrow()
    return frame.select(metrics).collect().to_arrow()


def _aggregate_spark(
    frame: Any,
    dimensions: list[str],
    measures: dict[str, str],
    where: Any,
    *,
    floats: set[str],
    number_rows: bool,
) -> pa.Table:
    from pyspark.sql import functions as f

    if where is not None:
        frame = frame.filter(where)
    for name in floats:
        frame = frame.withColumn(name, f.when(f.isnan(f.col(name)), None).otherwise(f.col(name)))

    methods = {
        "sum": f.sum,
        "min": f.min,
        "max": f.max,
        "count": f.count,
        "mean": f.mean,
        "distinct": f.countDistinct,
    }
    metrics = [methods[aggregator](name).alias(name) for name, aggregator in measures.items()]
    if dimensions:
        grouped = (
            frame.groupBy(*dimensions).agg(*metrics)
            if metrics
            else frame.select(*dimensions).distinct()
        )
        return grouped.orderBy(*dimensions).toArrow()
    return frame.agg(*metrics).toArrow()


def lazy(
    source: Any,
    *,
    columns: Sequence[str] | None = None,
    dimensions: Sequence[str] = (),
    measures: Sequence[str] = (),
    null_label: str = DEFAULT_NULL_LABEL,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    connection: Any = None,
) -> LazySource:
    """Wrap ``source`` so that only aggregates of it are ever read.

    Files, folders and globs (Parquet, CSV, Arrow IPC) and lake tables
    (:func:`ipyreport.lake.delta`, :func:`ipyreport.lake.iceberg`, at the
    version asked for) are scanned by DuckDB with ``memory_limit``; DuckDB
    relations stay in their database; Ibis tables aggregate in their own
    backend (DuckDB, Spark, Trino, BigQuery...), polars LazyFrames in polars
    and Spark DataFrames in Spark; pandas and Arrow tables are scanned by
    DuckDB in place. A :class:`LazySource` is returned as it is.

    Parameters
    ----------
    source : object
        A path, folder or glob, a lake table, a DuckDB relation, an Ibis
        table, a polars frame, a Spark DataFrame, a pandas DataFrame or an
        Arrow table.
    columns : sequence of str, optional
        The columns to keep, in this order (as for :func:`ipyreport.encode`).
    dimensions : sequence of str, default ()
        Columns read as dimensions whatever their type (years, say).
    measures : sequence of str, default ()
        Columns read as measures.
    null_label : str, default "(missing)"
        The category missing dimension values are shown as.
    memory_limit : str, default "256MB"
        The most memory DuckDB uses before it spills to disk, as DuckDB
        writes sizes (``"512MB"``, ``"2GB"``).
    connection : duckdb.DuckDBPyConnection, optional
        The DuckDB connection that scans files (default: a new one, with
        ``memory_limit``), for example one that may read only some folders.

    Returns
    -------
    LazySource
        The source, its schema read, no rows read yet.

    Raises
    ------
    DataError
        When ``source`` cannot be read lazily, ``memory_limit`` is not a size,
        or a file or column is missing.

    Examples
    --------
    >>> import tempfile
    >>> from ipyreport import samples
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = samples.write_orders(folder, rows=1_000, parts=2)
    ...     orders = lazy(f"{folder}/*.parquet", dimensions=["Month"])
    ...     orders.aggregate(["Region"], {"Units": "count"}).num_rows
    4
    """
    if isinstance(source, LazySource):
        return source

    def wrap(engine: str, handle: Any, label: str, schema: pa.Schema | None = None) -> LazySource:
        made = LazySource(
            engine,
            handle,
            label,
            columns=columns,
            dimensions=dimensions,
            measures=measures,
            null_label=null_label,
            schema=schema,
        )
        made._connection = connection
        return made

    module = type(source).__module__.split(".", 1)[0]
    if module == "ibis":
        return wrap("ibis", source, "the Ibis table")
    if module == "polars":
        return wrap(
            "polars", source.lazy() if hasattr(source, "lazy") else source, "the polars frame"
        )
    if module == "pyspark":
        return wrap("spark", source, "the Spark DataFrame")
    import duckdb

    if connection is None:
        connection = duckdb.connect()
        try:
            connection.execute("SET memory_limit = ?", [memory_limit])
        except duckdb.Error:
            msg = f"memory_limit={memory_limit!r} is not a size; write it as DuckDB does, for example '512MB' or '2GB'"
            raise DataError(msg) from None
        # What does not fit spills to a folder of the connection's own, removed with it.
        spill_folder(connection)
        # Parallel float sums add in a varying order; one thread keeps every
        # rebuild byte-identical.
        connection.execute("SET threads = 1")
        # DuckDB shows a progress bar for reads over two seconds: in a terminal or a
        # notebook, never into a log (where it writes a carriage-return frame at a time).
        live = sys.stderr.isatty() or "ipykernel" in sys.modules
        connection.execute(f"SET enable_progress_bar = {'true' if live else 'false'}")
        # Instants come back in one zone whatever the machine's; the source's own
        # zone, when its schema says, is put back on what is read.
        connection.execute("SET TimeZone = 'UTC'")
    if isinstance(source, duckdb.DuckDBPyRelation):
        return wrap("duckdb", source, "the DuckDB relation")
    from ipyreport.lake import LakeTable, OpenLake

    if isinstance(source, LakeTable):
        source = source.open()
    if isinstance(source, OpenLake):
        with engine_errors(source.label):
            made = wrap("duckdb", source.relation(connection), source.label, source.schema)
        made.lake = source.fingerprint
        return made
    if isinstance(source, (str, os.PathLike)):
        scan, schema = _scan(source)
        with engine_errors(repr(os.fspath(source))):
            relation = (
                connection.sql(f"select * from {scan}")
                if isinstance(scan, str)
                else connection.from_arrow(scan)
            )
        return wrap("duckdb", relation, repr(os.fspath(source)), schema)
    if module == "pandas":
        return wrap(
            "duckdb", connection.from_df(source), "the DataFrame", pa.Schema.from_pandas(source)
        )
    if isinstance(source, (pa.Table, pa.RecordBatchReader)) or hasattr(
        source, "__arrow_c_stream__"
    ):
        table = (
            source
            if isinstance(source, pa.Table)
            else pa.RecordBatchReader.from_stream(source).read_all()
        )
        return wrap("duckdb", connection.from_arrow(table), "the Arrow table", table.schema)
    msg = f"cannot read {type(source).__name__} lazily; pass files, a folder, a glob, a Delta or Iceberg table, a DuckDB relation, an Ibis table or an Arrow table"
    raise DataError(msg)


def _scan(path: str | os.PathLike[str]) -> tuple[str | Any, pa.Schema | None]:
    """The DuckDB table function that scans ``path``, or for Arrow IPC files an
    Arrow dataset, which DuckDB scans batch by batch with projections pushed down;
    and the files' own Arrow schema where they carry one."""
    text = os.fspath(path)
    target = Path(text)
    if glob.has_magic(text):
        pattern = text
        suffix = Path(text).suffix.lower()
    elif target.is_dir():
        files = sorted(p for p in target.rglob("*") if p.suffix.lower() in FILE_FORMATS)
        if not files:
            msg = f"folder {text!r} holds no data files; expected one of {', '.join(sorted(FILE_FORMATS))}"
            raise DataError(msg)
        suffix = files[0].suffix.lower()
        pattern = str(target / "**" / f"*{suffix}")
    elif target.exists():
        _regular(target)
        pattern, suffix = text, target.suffix.lower()
    else:
        msg = f"data file {text!r} does not exist"
        raise DataError(msg)
    literal = "'" + pattern.replace("'", "''") + "'"
    kind = FILE_FORMATS.get(suffix)
    matches = sorted(glob.glob(pattern, recursive=True))
    for match in matches:
        _regular(Path(match))
    if kind == "parquet":
        import pyarrow.parquet as pq

        try:
            schema = pq.read_schema(matches[0]) if matches else None
        except (pa.ArrowException, OSError) as error:
            reason = " ".join(str(error).split())
            msg = f"{matches[0]!r} is not a Parquet file that can be read ({reason}); write it again, or point at another file"
            raise DataError(msg) from None
        return f"read_parquet({literal}, hive_partitioning = true)", schema
    if kind == "csv":
        return csv_scan(pattern), None
    if kind != "ipc":
        msg = f"cannot scan {text!r} lazily: use Parquet, CSV or Arrow IPC files"
        raise DataError(msg)
    import pyarrow.dataset as ds

    try:
        if target.is_dir() and not glob.has_magic(text):
            dataset = ds.dataset(
                text, format="ipc", partitioning="hive", exclude_invalid_files=True
            )
        else:
            dataset = ds.dataset(matches, format="ipc")
    except (pa.ArrowException, OSError) as error:
        reason = " ".join(str(error).split())
        msg = f"{text!r} is not an Arrow IPC file that can be read ({reason}); write it again, or point at another file"
        raise DataError(msg) from None
    return dataset, dataset.schema


def _regular(path: Path) -> None:
    """Refuse a pipe, socket or device where a data file should be: reading one can block forever."""
    mode = path.stat().st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        msg = f"data file {os.fspath(path)!r} is not a regular file (a pipe, socket or device); point at a file"
        raise DataError(msg)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
