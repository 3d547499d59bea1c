"""Every kind of source reaches the same Vizzu data."""

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from ipyvizzu import Data
from pyarrow import feather

from ipyreport.data import DataError, RowLimitError, encode, to_vizzu_data

TABLE = pa.table({"Region": ["North", "South", "North"], "Revenue": [1.5, 2.0, None]})
EXPECTED = {
    "series": [
        {
            "name": "Region",
            "type": "dimension",
            "categories": ["North", "South"],
            "values": [0, 1, 0],
        },
        {"name": "Revenue", "type": "measure", "values": [1.5, 2.0, None]},
    ]
}


class StreamOnly:
    """Anything that speaks the Arrow C stream protocol and nothing else."""

    def __init__(self, table):
        self._table = table

    def __arrow_c_stream__(self, requested_schema=None):
        return self._table.__arrow_c_stream__(requested_schema)


@pytest.mark.parametrize(
    "make",
    [
        lambda: TABLE,
        lambda: TABLE.to_batches()[0],
        lambda: pa.RecordBatchReader.from_batches(TABLE.schema, TABLE.to_batches()),
        TABLE.to_pandas,
        lambda: pl.from_arrow(TABLE),
        lambda: pl.from_arrow(TABLE).lazy(),
        lambda: duckdb.sql(
            "select * from (values ('North', 1.5), ('South', 2.0), ('North', NULL)) t(Region, Revenue)"
        ),
        lambda: StreamOnly(TABLE),
        lambda: {"Region": ["North", "South", "North"], "Revenue": [1.5, 2.0, None]},
    ],
    ids=[
        "table",
        "batch",
        "reader",
        "pandas",
        "polars",
        "polars-lazy",
        "duckdb",
        "c-stream",
        "dict",
    ],
)
def test_every_source_gives_the_same_vizzu_data(make):
    assert to_vizzu_data(make()) == EXPECTED


def test_pandas_default_index_is_dropped_and_named_index_kept():
    frame = TABLE.to_pandas()
    assert encode(frame).names == ["Region", "Revenue"]
    assert encode(frame.set_index("Region")).names == ["Region", "Revenue"]


def test_pandas_source_frame_is_not_modified():
    frame = pd.DataFrame({1: ["a"], 2: [1.0]})
    assert encode(frame).names == ["1", "2"]
    assert list(frame.columns) == [1, 2]


def test_pandas_duplicate_column_names_are_an_error():
    frame = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(DataError, match=r"duplicate column names \['a'\]"):
        encode(frame)


def test_ipyvizzu_data_in_series_form():
    data = Data()
    data.add_series("Region", ["North", "South", "North"])
    data.add_series("Revenue", [1.5, 2.0, None], type="measure")
    assert to_vizzu_data(data) == EXPECTED


def test_ipyvizzu_data_in_record_form():
    data = Data()
    data.add_series("Region", type="dimension")
    data.add_series("Revenue", type="measure")
    data.add_records([["North", 1.5], ["South", 2.0], ["North", None]])
    assert to_vizzu_data(data) == EXPECTED


def test_ipyvizzu_data_with_a_filter_is_an_error():
    data = Data.filter("record.Region == 'North'")
    data.add_series("Region", ["North"])
    with pytest.raises(DataError, match="a filter belongs on a step"):
        encode(data)


def test_vizzu_index_form_reads_back():
    assert to_vizzu_data(EXPECTED) == EXPECTED


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".arrow"])
def test_files_by_suffix(tmp_path, suffix):
    path = tmp_path / f"sales{suffix}"
    writers = {
        ".parquet": pq.write_table,
        ".csv": pacsv.write_csv,
        ".arrow": feather.write_feather,
    }
    writers[suffix](TABLE, path)
    assert to_vizzu_data(path) == EXPECTED
    assert to_vizzu_data(str(path)) == EXPECTED


def test_hive_partitioned_folder_reads_partition_columns(tmp_path):
    pq.write_to_dataset(TABLE, tmp_path / "sales", partition_cols=["Region"])
    data = encode(tmp_path / "sales", columns=["Region", "Revenue"])
    totals = {}
    for region, value in zip(data["Region"].labels(), data["Revenue"].to_list(), strict=True):
        totals[region] = totals.get(region, 0) + (value or 0)
    assert totals == {"North": 1.5, "South": 2.0}


def test_glob_of_parquet_files(tmp_path):
    pq.write_table(TABLE.slice(0, 2), tmp_path / "part-1.parquet")
    pq.write_table(TABLE.slice(2), tmp_path / "part-2.parquet")
    assert to_vizzu_data(str(tmp_path / "part-*.parquet")) == EXPECTED


def test_file_columns_are_projected(tmp_path):
    pq.write_table(TABLE, tmp_path / "sales.parquet")
    assert encode(tmp_path / "sales.parquet", columns=["Revenue"]).names == ["Revenue"]


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(DataError, match=r"data file '.*nope\.parquet' does not exist"):
        encode(tmp_path / "nope.parquet")


def test_unknown_suffix_is_an_error(tmp_path):
    path = tmp_path / "sales.xlsx"
    path.write_bytes(b"")
    with pytest.raises(DataError, match=r"cannot tell the format of .* from its suffix '\.xlsx'"):
        encode(path)


def test_glob_without_matches_is_an_error(tmp_path):
    with pytest.raises(DataError, match="no files match"):
        encode(str(tmp_path / "*.parquet"))


def test_unreadable_object_is_an_error():
    with pytest.raises(DataError, match=r"cannot read data from a builtins\.int"):
        encode(42)


def test_too_many_rows_is_an_error_never_a_sample():
    with pytest.raises(RowLimitError) as caught:
        encode(pa.table({"m": list(range(11))}), max_rows=10)
    assert str(caught.value) == (
        "the data has 11 rows, more than the limit of max_rows=10; ipyreport never "
        "samples, so read it with ipyreport.lazy.lazy(...) (only the aggregates the story "
        "draws leave the engine), aggregate it yourself, or raise the limit explicitly "
        "with max_rows=... (None for no limit)"
    )


def test_streams_stop_reading_once_past_the_limit():
    pulled = []

    def batches():
        for start in range(0, 100, 10):
            pulled.append(start)
            yield pa.record_batch({"m": list(range(start, start + 10))})

    reader = pa.RecordBatchReader.from_batches(pa.schema({"m": pa.int64()}), batches())
    with pytest.raises(RowLimitError, match="at least 30 rows"):
        encode(reader, max_rows=25)
    assert pulled == [0, 10, 20]


def test_no_row_limit_when_asked():
    assert encode(pa.table({"m": list(range(11))}), max_rows=None).num_rows == 11
