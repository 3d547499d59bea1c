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

# A filter in its JSON form ({"in": ...}, {"range": ...}, {"and": [...]}, ...),
# as ipyreport.step.Filter.to_dict() writes it.
FilterSpec = Mapping[str, Any]

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
    """A table known by its schema; rows are only ever read to aggregate them.

    ``engine`` is where the aggregation runs: ``"duckdb"`` (a relation),
    ``"ibis"``, ``"polars"`` (a LazyFrame) or ``"spark"`` (a DataFrame).
    """

    def __init__(
        self, engine: str, handle: Any, label: str, *, dimensions: Sequence[str] = ()
    ) -> None:
        self.engine = engine
        self._handle = handle
        self.label = label
        self.roles: dict[str, str] = dict(self._schema())
        for name in dimensions:
            if name not in self.roles:
                msg = f"dimensions= names {name!r}, which is not a column of {label}{closest(name, self.roles)}"
                raise DataError(msg)
            self.roles[name] = "dimension"

    def _schema(self) -> list[tuple[str, str]]:
        if self.engine == "ibis":
            schema = self._handle.schema().to_pyarrow()
            return [(name, _role(schema.field(name).type)) for name in schema.names]
        if self.engine == "polars":
            return [
                (name, "measure" if kind.is_numeric() else "dimension")
                for name, kind in self._handle.collect_schema().items()
            ]
        if self.engine == "spark":
            from pyspark.sql.types import NumericType

            return [
                (f.name, "measure" if isinstance(f.dataType, NumericType) else "dimension")
                for f in self._handle.schema.fields
            ]
        schema = self._handle.limit(0).to_arrow_table().schema
        return [(name, _role(schema.field(name).type)) for name in schema.names]

    @property
    def names(self) -> list[str]:
        """Column names in order."""
        return list(self.roles)

    def aggregate(
        self,
        dimensions: Sequence[str],
        measures: Mapping[str, str],
        where: FilterSpec | None = None,
    ) -> pa.Table:
        """One row per combination of ``dimensions``, each measure aggregated as asked,
        over the rows ``where`` keeps (a declarative filter, run in the engine).

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
        run = {"ibis": _aggregate_ibis, "polars": _aggregate_polars, "spark": _aggregate_spark}.get(
            self.engine, _aggregate_duckdb
        )
        if where is not None:
            for name in _filter_columns(where):
                if name not in self.roles:
                    msg = f"the filter reads {name!r}, which is not a column of {self.label}{closest(name, self.roles)}"
                    raise DataError(msg)
        table: pa.Table = run(self._handle, list(dimensions), dict(measures), where)
        return table

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


def _filter_columns(spec: FilterSpec) -> list[str]:
    if "in" in spec:
        return [spec["in"]["column"]]
    if "range" in spec:
        return [spec["range"]["column"]]
    if "not" in spec:
        return _filter_columns(spec["not"])
    return [name for part in spec.get("and", spec.get("or", [])) for name in _filter_columns(part)]


def _unsupported(spec: FilterSpec) -> DataError:
    return DataError(
        f"the filter {dict(spec)!r} cannot run in the engine; use the declarative filters (Filter.isin, Filter.between)"
    )


def _sql_filter(spec: FilterSpec) -> str:
    """A filter as a DuckDB condition; category values compare as text, as charts show them."""
    if "in" in spec:
        column, values = spec["in"]["column"], spec["in"]["values"]
        listed = ", ".join("'" + str(value).replace("'", "''") + "'" for value in values)
        return f"CAST({_quote(column)} AS VARCHAR) IN ({listed})" if values else "FALSE"
    if "range" in spec:
        column, low, high = spec["range"]["column"], spec["range"]["min"], spec["range"]["max"]
        parts = [
            f"{_quote(column)} >= {float(low)!r}" if low is not None else "",
            f"{_quote(column)} <= {float(high)!r}" if high is not None else "",
        ]
        return "(" + " AND ".join(p for p in parts if p) + ")" if any(parts) else "TRUE"
    if "not" in spec:
        return f"NOT ({_sql_filter(spec['not'])})"
    for op in ("and", "or"):
        if op in spec:
            joined = f" {op.upper()} ".join(f"({_sql_filter(part)})" for part in spec[op])
            return joined or ("TRUE" if op == "and" else "FALSE")
    raise _unsupported(spec)


def _expression(spec: FilterSpec, column: Any) -> Any:
    """A filter as an expression of a dataframe library (ibis, polars, Spark): ``column(name, as_text)``."""
    if "in" in spec:
        values = list(spec["in"]["values"])
        text = column(spec["in"]["column"], True)
        # polars spells it is_in; ibis and Spark isin (a Spark column answers any attribute).
        return (
            text.is_in(values) if type(text).__module__.startswith("polars") else text.isin(values)
        )
    if "range" in spec:
        name, low, high = spec["range"]["column"], spec["range"]["min"], spec["range"]["max"]
        parts = []
        if low is not None:
            parts.append(column(name, False) >= low)
        if high is not None:
            parts.append(column(name, False) <= high)
        return _combine("and", parts)
    if "not" in spec:
        return ~_expression(spec["not"], column)
    for op in ("and", "or"):
        if op in spec:
            return _combine(op, [_expression(part, column) for part in spec[op]])
    raise _unsupported(spec)


def _combine(op: str, parts: list[Any]) -> Any:
    result = parts[0]
    for part in parts[1:]:
        result = (result & part) if op == "and" else (result | part)
    return result


def _aggregate_duckdb(
    relation: Any, dimensions: list[str], measures: dict[str, str], where: FilterSpec | None
) -> pa.Table:
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
    condition = f" where {_sql_filter(where)}" if where is not None else ""
    query = f"select {', '.join(columns)} from source{condition}{group}"
    return relation.query("source", query).to_arrow_table()


def _aggregate_ibis(
    table: Any, dimensions: list[str], measures: dict[str, str], where: FilterSpec | None
) -> pa.Table:
    if where is not None:
        table = table.filter(
            _expression(where, lambda n, text: table[n].cast("string") if text else table[n])
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
    frame: Any, dimensions: list[str], measures: dict[str, str], where: FilterSpec | None
) -> pa.Table:
    import polars as pl

    if where is not None:
        frame = frame.filter(
            _expression(where, lambda n, text: pl.col(n).cast(pl.String) if text else pl.col(n))
        )

    methods = {
        "sum": "sum",
        "min": "min",
        "max": "max",
        "count": "count",
        "mean": "mean",
        "distinct": "n_unique",
    }
    metrics = [
        getattr(pl.col(name), methods[aggregator])().alias(name)
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
    frame: Any, dimensions: list[str], measures: dict[str, str], where: FilterSpec | None
) -> pa.Table:
    from pyspark.sql import functions as f

    if where is not None:
        frame = frame.filter(
            _expression(where, lambda n, text: f.col(n).cast("string") if text else f.col(n))
        )

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
    source: Any, *, dimensions: Sequence[str] = (), memory_limit: str = DEFAULT_MEMORY_LIMIT
) -> LazySource:
    """Wrap ``source`` so that only aggregates of it are ever read.

    Files, folders and globs (Parquet, CSV, Arrow IPC) are scanned by DuckDB
    with ``memory_limit``; DuckDB relations stay in their database; Ibis tables
    aggregate in their own backend (DuckDB, Spark, Trino, BigQuery...),
    polars LazyFrames in polars and Spark DataFrames in Spark; pandas and
    Arrow tables are scanned by DuckDB in place.
    ``dimensions`` makes numeric columns (years, say) dimensions.
    """
    if isinstance(source, LazySource):
        return source
    module = type(source).__module__.split(".", 1)[0]
    if module == "ibis":
        return LazySource("ibis", source, "the Ibis table", dimensions=dimensions)
    if module == "polars":
        frame = source.lazy() if hasattr(source, "lazy") else source
        return LazySource("polars", frame, "the polars frame", dimensions=dimensions)
    if module == "pyspark":
        return LazySource("spark", source, "the Spark DataFrame", dimensions=dimensions)
    import duckdb

    connection = duckdb.connect()
    connection.execute("SET memory_limit = ?", [memory_limit])
    # Parallel float sums add in a varying order; one thread keeps every
    # rebuild byte-identical.
    connection.execute("SET threads = 1")
    # DuckDB shows a progress bar (in a terminal or a notebook) for reads over two seconds.
    connection.execute("SET enable_progress_bar = true")
    if isinstance(source, duckdb.DuckDBPyRelation):
        return LazySource("duckdb", source, "the DuckDB relation", dimensions=dimensions)
    if isinstance(source, (str, os.PathLike)):
        scan = _scan(source)
        relation = (
            connection.sql(f"select * from {scan}")
            if isinstance(scan, str)
            else connection.from_arrow(scan)
        )
        return LazySource("duckdb", relation, repr(os.fspath(source)), dimensions=dimensions)
    if module == "pandas":
        return LazySource(
            "duckdb", connection.from_df(source), "the DataFrame", dimensions=dimensions
        )
    if isinstance(source, (pa.Table, pa.RecordBatchReader)) or hasattr(
        source, "__arrow_c_stream__"
    ):
        table = (
            source
            if isinstance(source, pa.Table)
            else pa.RecordBatchReader.from_stream(source).read_all()
        )
        return LazySource(
            "duckdb", connection.from_arrow(table), "the Arrow table", dimensions=dimensions
        )
    msg = f"cannot read {type(source).__name__} lazily; pass files, a folder, a glob, a DuckDB relation, an Ibis table or an Arrow table"
    raise DataError(msg)


def _scan(path: str | os.PathLike[str]) -> str | Any:
    """The DuckDB table function that scans ``path``, or for Arrow IPC files an
    Arrow dataset, which DuckDB scans batch by batch with projections pushed down."""
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
    if kind != "ipc":
        msg = f"cannot scan {text!r} lazily: use Parquet, CSV or Arrow IPC files"
        raise DataError(msg)
    import pyarrow.dataset as ds

    if target.is_dir() and not glob.has_magic(text):
        return ds.dataset(text, format="ipc", partitioning="hive", exclude_invalid_files=True)
    return ds.dataset(sorted(glob.glob(pattern, recursive=True)), format="ipc")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _role(kind: pa.DataType) -> str:
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return "measure"
    return "dimension"
