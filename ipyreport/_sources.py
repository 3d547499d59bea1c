"""Turn whatever the user hands us into an Arrow table.

Every source ends as a ``pyarrow.Table`` holding only the requested columns,
read with a row limit so that a source far too big to draw fails fast
instead of filling memory first.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from ipyreport._errors import DataError, RowLimitError, closest

if TYPE_CHECKING:
    import pyarrow.dataset as ds

# File suffix -> pyarrow.dataset format name.
FILE_FORMATS = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".tsv": "csv",
    ".arrow": "ipc",
    ".feather": "ipc",
    ".ipc": "ipc",
}


def read_table(source: Any, *, columns: Sequence[str] | None, max_rows: int | None) -> pa.Table:
    """Read ``source`` into an Arrow table of ``columns`` (all when None).

    >>> read_table({"a": [1, 2]}, columns=None, max_rows=None).num_rows
    2
    """
    reader = _open(source, columns)
    if isinstance(reader, pa.Table):
        _check_rows(reader.num_rows, max_rows)
        return _select(reader, columns)
    return _select(_read_limited(reader, max_rows), columns)


def _open(source: Any, columns: Sequence[str] | None) -> pa.Table | pa.RecordBatchReader:
    if isinstance(source, pa.Table):
        return source
    if isinstance(source, pa.RecordBatch):
        return pa.Table.from_batches([source])
    if isinstance(source, pa.RecordBatchReader):
        return source
    if isinstance(source, (str, os.PathLike)):
        return _open_path(source, columns)
    from ipyreport.lake import LakeTable

    if isinstance(source, LakeTable):
        return _open_lake(source, columns)
    # pyarrow.dataset brings pandas with it (0.3 s): imported only when a folder or
    # file is read, and a Dataset can only exist once something imported it.
    datasets = sys.modules.get("pyarrow.dataset")
    if datasets is not None and isinstance(source, datasets.Dataset):
        return _scan(source, columns, str(source))
    module = type(source).__module__.split(".", 1)[0]
    if module == "pandas":
        return _from_pandas(source, columns)
    if module == "polars":
        frame = source.collect() if hasattr(source, "collect") else source
        if columns is not None:
            frame = frame.select(_known(columns, frame.columns, "the polars frame"))
        return frame.to_arrow()
    if isinstance(source, Mapping):
        return _from_mapping(source)
    if hasattr(source, "__arrow_c_stream__"):
        # DuckDB relations, polars, nanoarrow, and any other Arrow C stream producer.
        return pa.RecordBatchReader.from_stream(source)
    if hasattr(source, "to_arrow_table"):
        return source.to_arrow_table()
    msg = (
        f"cannot read data from a {type(source).__module__}.{type(source).__qualname__}; "
        "pass a pyarrow Table/RecordBatch/RecordBatchReader, a pandas or polars "
        "DataFrame, a DuckDB relation, an object with __arrow_c_stream__, an ipyvizzu "
        "Data object, or a path to Parquet/CSV/Arrow IPC files"
    )
    raise DataError(msg)


def _from_pandas(frame: Any, columns: Sequence[str] | None) -> pa.Table:
    import pandas as pd

    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    if not isinstance(frame, pd.DataFrame):
        msg = f"cannot read data from a pandas {type(frame).__name__}; pass a DataFrame"
        raise DataError(msg)
    names = [str(name) for name in frame.columns]
    if len(set(names)) != len(names):
        duplicated = sorted({name for name in names if names.count(name) > 1})
        msg = f"the DataFrame has duplicate column names {duplicated}; rename them first"
        raise DataError(msg)
    # A named index is data the user set up on purpose; a default RangeIndex is not.
    keep_index = any(name is not None for name in frame.index.names)
    if keep_index:
        frame = frame.reset_index()
    frame = frame.rename(columns=str)
    if columns is not None:
        frame = frame[_known(columns, list(frame.columns), "the DataFrame")]
    # A period is the date it starts on (a month reads "Jan 2021"; a quarter's
    # start needs formats={"Quarter": "quarter"} to read "2021 Q1").
    periods = [name for name in frame.columns if isinstance(frame[name].dtype, pd.PeriodDtype)]
    if periods:
        frame = frame.assign(**{name: frame[name].dt.start_time.dt.date for name in periods})
    # Columns are mostly zero-copy; conversion threads cost more than they save.
    return pa.Table.from_pandas(frame, preserve_index=False, nthreads=1)


def _from_mapping(data: Mapping[str, Any]) -> pa.Table:
    series = data.get("series")
    if isinstance(series, list) and all(isinstance(s, Mapping) and "name" in s for s in series):
        return _from_vizzu_data(data)
    if "records" in data or "dimensions" in data:
        return _from_vizzu_data(data)
    try:
        return pa.table(dict(data))
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError) as error:
        msg = f"cannot read the mapping as columns of equal length: {error}"
        raise DataError(msg) from error


def _from_vizzu_data(data: Mapping[str, Any]) -> pa.Table:
    """Read a Vizzu/ipyvizzu data object (series form, optionally with records)."""
    if "dimensions" in data or "measures" in data:
        msg = (
            "ipyvizzu data in cube form (dimensions + measures) is not supported; "
            "build it from a DataFrame or in series form instead"
        )
        raise DataError(msg)
    if data.get("filter") is not None:
        msg = (
            "this ipyvizzu Data object carries a filter; a filter belongs on a step "
            "(Step(filter=...)), so pass the data without it"
        )
        raise DataError(msg)
    series: list[Mapping[str, Any]] = list(data.get("series", []))
    records = data.get("records")
    columns: dict[str, list[Any]] = {s["name"]: list(s.get("values", [])) for s in series}
    if records:
        names = [s["name"] for s in series]
        for number, record in enumerate(records):
            if isinstance(record, Mapping):
                row = [record.get(name) for name in names]
            elif len(record) == len(names):
                row = list(record)
            else:
                msg = (
                    f"record {number} has {len(record)} values but the data declares "
                    f"{len(names)} series {names}"
                )
                raise DataError(msg)
            for name, value in zip(names, row, strict=True):
                columns[name].append(value)
    arrays = {}
    for spec in series:
        name = spec["name"]
        values = columns[name]
        kind = spec.get("type") or _vizzu_type_of(values)
        if kind == "measure":
            arrays[name] = pa.array(values, pa.float64())
        elif "categories" in spec:
            categories = list(spec["categories"])
            arrays[name] = pa.DictionaryArray.from_arrays(
                pa.array(values, pa.int32()), pa.array(categories, pa.string())
            )
        else:
            arrays[name] = pa.array(values, pa.string())
    lengths = {len(values) for values in arrays.values()}
    if len(lengths) > 1:
        msg = f"the series of this data object have different lengths {sorted(lengths)}"
        raise DataError(msg)
    return pa.table(arrays)


def _vizzu_type_of(values: list[Any]) -> str:
    first = next((value for value in values if value is not None), None)
    return "measure" if isinstance(first, (int, float)) else "dimension"


def _open_path(path: str | os.PathLike[str], columns: Sequence[str] | None) -> pa.RecordBatchReader:
    import pyarrow.dataset as ds

    text = os.fspath(path)
    if glob.has_magic(text):
        matches = sorted(glob.glob(text, recursive=True))
        if not matches:
            msg = f"no files match {text!r}"
            raise DataError(msg)
        if _format_of(Path(matches[0])) == "csv":
            return _read_csv(text, columns, text)
        dataset = ds.dataset(matches, format=_format_of(Path(matches[0])))
        return _scan(dataset, columns, text)
    target = Path(text)
    if not target.exists():
        msg = f"data file {text!r} does not exist"
        raise DataError(msg)
    if target.is_dir():
        files = sorted(
            p for p in target.rglob("*") if p.is_file() and p.suffix.lower() in FILE_FORMATS
        )
        if not files:
            msg = (
                f"folder {text!r} holds no data files; expected one of "
                f"{', '.join(sorted(FILE_FORMATS))}"
            )
            raise DataError(msg)
        if _format_of(files[0]) == "csv":
            return _read_csv(str(target / "**" / f"*{files[0].suffix}"), columns, text)
        dataset = ds.dataset(target, format=_format_of(files[0]), partitioning="hive")
    else:
        dataset = ds.dataset(target, format=_format_of(target))
        if FILE_FORMATS.get(target.suffix.lower()) == "csv":
            return _read_csv(str(target), columns, text)
    return _scan(dataset, columns, text)


def _open_lake(table: Any, columns: Sequence[str] | None) -> pa.RecordBatchReader:
    """A Delta or Iceberg table's rows at the version asked for, as DuckDB scans them lazily."""
    import duckdb

    connection = duckdb.connect()
    connection.execute("SET threads = 1")  # rows in file order
    relation = table.open().relation(connection)
    if columns is not None:
        selected = _known(columns, relation.columns, table.label)
        relation = relation.project(", ".join('"' + n.replace('"', '""') + '"' for n in selected))
    reader: pa.RecordBatchReader = relation.to_arrow_reader(100_000)
    return reader


def csv_scan(pattern: str) -> str:
    """The DuckDB table function that reads CSV files: one inference of types and
    missing values (``NA`` stays text, ``007`` keeps its zeros) for every path."""
    literal = "'" + pattern.replace("'", "''") + "'"
    return f"read_csv({literal}, hive_partitioning = true)"


def _read_csv(pattern: str, columns: Sequence[str] | None, label: str) -> pa.RecordBatchReader:
    """CSV files read in order, as a stream, the way a lazy story reads them."""
    import duckdb

    connection = duckdb.connect()
    connection.execute("SET threads = 1")  # rows in file order
    relation = connection.sql(f"select * from {csv_scan(pattern)}")
    if columns is not None:
        selected = _known(columns, relation.columns, label)
        relation = relation.project(", ".join('"' + n.replace('"', '""') + '"' for n in selected))
    return relation.to_arrow_reader(100_000)


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FILE_FORMATS:
        msg = (
            f"cannot tell the format of {str(path)!r} from its suffix {suffix!r}; "
            f"use one of {', '.join(sorted(FILE_FORMATS))}"
        )
        raise DataError(msg)
    return FILE_FORMATS[suffix]


def _scan(dataset: ds.Dataset, columns: Sequence[str] | None, label: str) -> pa.RecordBatchReader:
    names = dataset.schema.names
    selected = None if columns is None else _known(columns, names, label)
    return dataset.scanner(columns=selected).to_reader()


def _read_limited(reader: pa.RecordBatchReader, max_rows: int | None) -> pa.Table:
    batches = []
    rows = 0
    for batch in reader:
        rows += batch.num_rows
        _check_rows(rows, max_rows, at_least=True)
        batches.append(batch)
    return pa.Table.from_batches(batches, schema=reader.schema)


def _check_rows(rows: int, max_rows: int | None, *, at_least: bool = False) -> None:
    if max_rows is None or rows <= max_rows:
        return
    count = f"at least {rows:,}" if at_least else f"{rows:,}"
    msg = (
        f"the data has {count} rows, more than the limit of max_rows={max_rows:,}; "
        "ipyreport never samples, so read it with ipyreport.lazy.lazy(...) (only the "
        "aggregates the story draws leave the engine), aggregate it yourself, or raise "
        "the limit explicitly with max_rows=... (None for no limit)"
    )
    raise RowLimitError(msg)


def _select(table: pa.Table, columns: Sequence[str] | None) -> pa.Table:
    if columns is None:
        return table
    return table.select(_known(columns, table.column_names, "the data"))


def _known(columns: Iterable[str], names: Sequence[str], label: str) -> list[str]:
    wanted = list(columns)
    for name in wanted:
        if name not in names:
            msg = f"column {name!r} is not in {label}{closest(name, names)}; columns are {list(names)}"
            raise DataError(msg)
    return wanted
