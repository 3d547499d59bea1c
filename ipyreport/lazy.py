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

import glob
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from ipyreport._errors import DataError, closest
from ipyreport._sources import FILE_FORMATS
from ipyreport.data import Dimension, Measure, VizzuData

__all__ = ["AGGREGATES", "LazySource", "lazy"]

AGGREGATES = {
    "sum": "sum",
    "min": "min",
    "max": "max",
    "count": "count",
    "mean": "avg",
    "distinct": "count(distinct",
}
DEFAULT_MEMORY_LIMIT = "256MB"


class LazySource:
    """A table known by its schema; rows are only ever read to aggregate them."""

    def __init__(
        self, relation: Any, label: str, *, ibis_table: Any = None, dimensions: Sequence[str] = ()
    ) -> None:
        self._relation = relation
        self._ibis = ibis_table
        self.label = label
        schema = self._schema()
        self.roles: dict[str, str] = {name: _role(schema.field(name).type) for name in schema.names}
        for name in dimensions:
            if name not in self.roles:
                msg = f"dimensions= names {name!r}, which is not a column of {label}{closest(name, self.roles)}"
                raise DataError(msg)
            self.roles[name] = "dimension"

    def _schema(self) -> pa.Schema:
        if self._ibis is not None:
            return self._ibis.schema().to_pyarrow()
        return self._relation.limit(0).to_arrow_table().schema

    @property
    def names(self) -> list[str]:
        """Column names in order."""
        return list(self.roles)

    def aggregate(self, dimensions: Sequence[str], measures: Mapping[str, str]) -> pa.Table:
        """One row per combination of ``dimensions``, each measure aggregated as asked.

        Groups come back ordered by the dimensions, so rebuilds are identical.
        """
        for name in [*dimensions, *measures]:
            if name not in self.roles:
                msg = f"{name!r} is not a column of {self.label}{closest(name, self.roles)}; columns are {self.names}"
                raise DataError(msg)
        for name, aggregator in measures.items():
            if aggregator not in AGGREGATES:
                msg = f"unknown aggregator {aggregator!r} for {name!r}; use one of {', '.join(AGGREGATES)}"
                raise DataError(msg)
        if self._ibis is not None:
            return self._aggregate_ibis(dimensions, measures)
        quoted = [_quote(name) for name in dimensions]
        columns = [*quoted]
        for name, aggregator in measures.items():
            function = AGGREGATES[aggregator]
            call = (
                f"{function} {_quote(name)})"
                if function.endswith("distinct")
                else f"{function}({_quote(name)})"
            )
            columns.append(f"{call} as {_quote(name)}")
        group = f" group by {', '.join(quoted)} order by {', '.join(quoted)}" if quoted else ""
        query = f"select {', '.join(columns)} from source{group}"
        return self._relation.query("source", query).to_arrow_table()

    def _aggregate_ibis(self, dimensions: Sequence[str], measures: Mapping[str, str]) -> pa.Table:
        table = self._ibis
        metrics = {}
        for name, aggregator in measures.items():
            column = table[name]
            metrics[name] = {
                "sum": column.sum,
                "min": column.min,
                "max": column.max,
                "count": column.count,
                "mean": column.mean,
                "distinct": column.nunique,
            }[aggregator]()
        if dimensions:
            result = (
                table.group_by(list(dimensions)).aggregate(**metrics).order_by(list(dimensions))
            )
        else:
            result = table.aggregate(**metrics)
        return result.to_pyarrow()

    def schema(self) -> VizzuData:
        """A data object with no rows: the names and roles, for checking steps."""
        series: list[Dimension | Measure] = []
        for name, role in self.roles.items():
            if role == "dimension":
                series.append(
                    Dimension(name=name, categories=(), codes=np.empty(0, dtype=np.int32))
                )
            else:
                series.append(Measure(name=name, values=np.empty(0)))
        return VizzuData(series=tuple(series), num_rows=0)

    def determines(self, names: Sequence[str], other: str) -> bool:
        """Whether each combination of ``names`` has a single value of ``other``."""
        return bool(
            self.aggregate([*names, other], {}).num_rows == self.aggregate(list(names), {}).num_rows
        )

    def categories(self, name: str, *, limit: int = 10_000) -> list[str]:
        """Distinct values of a dimension, as text (for checking filters and paths)."""
        table = self.aggregate([name], {})
        if table.num_rows > limit:
            msg = f"{name!r} has more than {limit:,} distinct values; it is too fine to chart as categories"
            raise DataError(msg)
        return [str(value) if value is not None else "" for value in table.column(0).to_pylist()]

    def __repr__(self) -> str:
        return f"LazySource({self.label})"


def lazy(
    source: Any, *, dimensions: Sequence[str] = (), memory_limit: str = DEFAULT_MEMORY_LIMIT
) -> LazySource:
    """Wrap ``source`` so that only aggregates of it are ever read.

    Files, folders and globs (Parquet, CSV, Arrow IPC) are scanned by DuckDB
    with ``memory_limit``; DuckDB relations stay in their database; Ibis
    tables aggregate in their own backend; Arrow tables, datasets and
    anything with ``__arrow_c_stream__`` are scanned by DuckDB in place.
    ``dimensions`` makes numeric columns (years, say) dimensions.
    """
    if isinstance(source, LazySource):
        return source
    module = type(source).__module__.split(".", 1)[0]
    if module == "ibis":
        return LazySource(None, "the Ibis table", ibis_table=source, dimensions=dimensions)
    import duckdb

    connection = duckdb.connect()
    connection.execute("SET memory_limit = ?", [memory_limit])
    # Parallel float sums add in a varying order; one thread keeps every
    # rebuild byte-identical.
    connection.execute("SET threads = 1")
    if isinstance(source, duckdb.DuckDBPyRelation):
        return LazySource(source, "the DuckDB relation", dimensions=dimensions)
    if isinstance(source, (str, os.PathLike)):
        relation = connection.sql(f"select * from {_scan(source)}")
        return LazySource(relation, repr(os.fspath(source)), dimensions=dimensions)
    if module == "pandas":
        return LazySource(connection.from_df(source), "the DataFrame", dimensions=dimensions)
    if isinstance(source, (pa.Table, pa.RecordBatchReader)) or hasattr(
        source, "__arrow_c_stream__"
    ):
        table = (
            source
            if isinstance(source, pa.Table)
            else pa.RecordBatchReader.from_stream(source).read_all()
        )
        return LazySource(connection.from_arrow(table), "the Arrow table", dimensions=dimensions)
    msg = f"cannot read {type(source).__name__} lazily; pass files, a folder, a glob, a DuckDB relation, an Ibis table or an Arrow table"
    raise DataError(msg)


def _scan(path: str | os.PathLike[str]) -> str:
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
        pattern, suffix = text, target.suffix.lower()
    else:
        msg = f"data file {text!r} does not exist"
        raise DataError(msg)
    literal = "'" + pattern.replace("'", "''") + "'"
    kind = FILE_FORMATS.get(suffix)
    if kind == "parquet":
        return f"read_parquet({literal}, hive_partitioning = true)"
    if kind == "csv":
        return f"read_csv({literal}, hive_partitioning = true)"
    msg = f"cannot scan {text!r} lazily: use Parquet or CSV files (Arrow IPC files can be read eagerly with ipyreport.encode)"
    raise DataError(msg)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _role(kind: pa.DataType) -> str:
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return "measure"
    return "dimension"
