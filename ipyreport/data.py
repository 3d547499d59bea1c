"""Arrow → Vizzu data: exact, column-wise, with an explicit null and type policy.

Any table-like source becomes a :class:`VizzuData`: one series per column,
dimensions in Vizzu's index form (``categories`` + integer ``values``) and
measures as numbers, with missing measures kept missing. ``to_dict()`` gives
the Vizzu 0.16 data object, ``to_json()`` the same object as compact JSON
written straight from NumPy buffers.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal, TypedDict, TypeVar

import numpy as np
import numpy.typing as npt
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from ipyreport._errors import DataError, RowLimitError, closest
from ipyreport._sources import read_table

__all__ = [
    "AGGREGATORS",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_NULL_LABEL",
    "DataError",
    "Dimension",
    "Measure",
    "RowLimitError",
    "VizzuData",
    "VizzuDataDict",
    "VizzuDimension",
    "VizzuMeasure",
    "category_values",
    "column_roles",
    "encode",
    "to_vizzu_data",
    "to_vizzu_json",
]

# How a measure is summed up over the rows of a mark, as Vizzu names it.
AGGREGATORS = ("sum", "count", "min", "max", "mean", "distinct")
DEFAULT_MAX_ROWS = 1_000_000
DEFAULT_NULL_LABEL = "(missing)"
# Integers beyond this lose precision as JavaScript numbers.
MAX_SAFE_INTEGER = 2**53
# Decimals of up to this many digits survive a trip through float64 exactly.
FLOAT64_SAFE_DIGITS = 15
# Below this many rows, starting threads costs more than it saves.
PARALLEL_ROWS = 50_000

Role = Literal["dimension", "measure"]
T = TypeVar("T")


class VizzuDimension(TypedDict):
    """A dimension in Vizzu's index form, as :meth:`Dimension.to_dict` gives it."""

    name: str
    type: Literal["dimension"]
    categories: list[str]
    values: list[int]  # each row's index into categories


class _Unit(TypedDict, total=False):
    unit: str


class VizzuMeasure(_Unit):
    """A measure as Vizzu reads it, as :meth:`Measure.to_dict` gives it (``unit`` when set)."""

    name: str
    type: Literal["measure"]
    values: list[float | int | None]  # None: missing


class VizzuDataDict(TypedDict):
    """The Vizzu 0.16 data object, as :meth:`VizzuData.to_dict` gives it."""

    series: list[VizzuDimension | VizzuMeasure]


@dataclass(frozen=True, eq=False)
class Dimension:
    """A categorical series in index form: ``categories[codes[i]]`` is row i.

    Made by :func:`encode`; not usually built by hand.

    Parameters
    ----------
    name : str
        The column's name.
    categories : tuple of str
        Each distinct value as text, in the order colours are given.
    codes : numpy.ndarray of int32
        For each row, the index of its value in ``categories``.

    Examples
    --------
    >>> dimension = encode({"Region": ["North", "South", "North"]})["Region"]
    >>> dimension.categories, dimension.codes.tolist()
    (('North', 'South'), [0, 1, 0])
    """

    name: str
    categories: tuple[str, ...]
    codes: npt.NDArray[np.int32]

    def labels(self) -> list[str]:
        """The value of every row as text.

        Returns
        -------
        list of str
            One label per row, in row order.

        Examples
        --------
        >>> encode({"a": ["x", "y", "x"]})["a"].labels()
        ['x', 'y', 'x']
        """
        table = np.array(self.categories, dtype=object)
        return list(table[self.codes]) if len(table) else []

    def to_dict(self) -> VizzuDimension:
        """This series as a Vizzu index-form dimension.

        Returns
        -------
        VizzuDimension
            ``{"name", "type": "dimension", "categories", "values"}``, ready for JSON.

        Examples
        --------
        >>> encode({"a": ["x", "y", "x"]})["a"].to_dict()
        {'name': 'a', 'type': 'dimension', 'categories': ['x', 'y'], 'values': [0, 1, 0]}
        """
        return {
            "name": self.name,
            "type": "dimension",
            "categories": list(self.categories),
            "values": self.codes.tolist(),
        }

    def _to_json(self) -> bytes:
        head = orjson.dumps({"name": self.name, "type": "dimension", "categories": self.categories})
        return head[:-1] + b',"values":' + _dump_array(self.codes) + b"}"


@dataclass(frozen=True, eq=False)
class Measure:
    """A numeric series; ``NaN`` in ``values`` marks a missing value.

    Made by :func:`encode`; not usually built by hand.

    Parameters
    ----------
    name : str
        The column's name.
    values : numpy.ndarray of float64 or int64
        One number per row.
    unit : str, optional
        The unit Vizzu writes after the numbers (``"$"``, ``"kg"``).
    log_of : str, optional
        The measure whose base-10 logarithms ``values`` are (a log axis drawn
        on a linear engine): numbers read as ``10 ** value`` in that measure's
        format, and tables and words read that measure itself.

    Examples
    --------
    >>> measure = encode({"Revenue": [1.5, None]}, units={"Revenue": "$"})["Revenue"]
    >>> measure.unit, measure.to_list()
    ('$', [1.5, None])
    """

    name: str
    values: npt.NDArray[np.float64] | npt.NDArray[np.int64]
    unit: str | None = None
    log_of: str | None = None

    def to_list(self) -> list[float | int | None]:
        """The values as Python numbers, ``None`` where missing.

        Returns
        -------
        list of float, int or None
            One number per row.

        Examples
        --------
        >>> encode({"m": [1.5, None]})["m"].to_list()
        [1.5, None]
        """
        result: list[float | int | None] = self.values.tolist()
        if self.values.dtype.kind == "f":
            for index in np.flatnonzero(np.isnan(self.values)):
                result[index] = None
        return result

    def to_dict(self) -> VizzuMeasure:
        """This series as a Vizzu measure (missing values are ``None``).

        Returns
        -------
        VizzuMeasure
            ``{"name", "type": "measure", "values"}``, and ``"unit"`` when it has one.

        Examples
        --------
        >>> encode({"m": [1.5, None]})["m"].to_dict()
        {'name': 'm', 'type': 'measure', 'values': [1.5, None]}
        """
        result: VizzuMeasure = {"name": self.name, "type": "measure", "values": self.to_list()}
        if self.unit is not None:
            result["unit"] = self.unit
        return result

    def _to_json(self) -> bytes:
        head: dict[str, Any] = {"name": self.name, "type": "measure"}
        if self.unit is not None:
            head["unit"] = self.unit
        return orjson.dumps(head)[:-1] + b',"values":' + _dump_array(self.values) + b"}"


Series = Dimension | Measure


@dataclass(frozen=True, eq=False)
class VizzuData:
    """Vizzu data, column by column, ready to serialize.

    Made by :func:`encode`. ``data["Region"]`` is the series of that name.

    Parameters
    ----------
    series : tuple of Dimension or Measure
        The columns, in order.
    num_rows : int
        How many rows every series holds.
    placeholders_from : int, optional
        Marks rows from that index on as placeholders added for gaps (by a
        timeline, or as a chart's stand-ins): their measures are missing, and
        players draw them as empty (zero-size) marks so categories keep their
        places. Set, the data's gaps are settled and no stand-ins are added;
        equal to ``num_rows``, it has none on purpose.

    Examples
    --------
    >>> data = encode({"Region": ["North", "South"], "Revenue": [1.5, 2.0]})
    >>> data.names, data.num_rows
    (['Region', 'Revenue'], 2)
    """

    series: tuple[Series, ...]
    num_rows: int
    placeholders_from: int | None = None

    def __getitem__(self, name: str) -> Series:
        for series in self.series:
            if series.name == name:
                return series
        names = [series.name for series in self.series]
        msg = f"no series named {name!r}{closest(name, names)}; series are {names}"
        raise KeyError(msg)

    @property
    def roles(self) -> dict[str, str]:
        """Each series' role, ``"dimension"`` or ``"measure"``, in order."""
        return {s.name: "dimension" if isinstance(s, Dimension) else "measure" for s in self.series}

    @property
    def has_placeholders(self) -> bool:
        """Whether some rows are placeholders for gaps (see ``placeholders_from``)."""
        return self.placeholders_from is not None and self.placeholders_from < self.num_rows

    @property
    def names(self) -> list[str]:
        """Series names in order."""
        return [series.name for series in self.series]

    def take(self, rows: npt.NDArray[np.intp]) -> VizzuData:
        """These rows, in this order; categories stay as they are (and so do colours).

        Parameters
        ----------
        rows : numpy.ndarray of intp
            The indices of the rows to keep.

        Returns
        -------
        VizzuData
            A new object holding only those rows.

        Examples
        --------
        >>> encode({"a": ["x", "y"], "m": [1, 2]}).take(np.array([1]))["a"].labels()
        ['y']
        """
        series: list[Series] = [
            Dimension(name=s.name, categories=s.categories, codes=s.codes[rows])
            if isinstance(s, Dimension)
            else Measure(name=s.name, values=s.values[rows], unit=s.unit, log_of=s.log_of)
            for s in self.series
        ]
        return VizzuData(series=tuple(series), num_rows=len(rows))

    def to_dict(self) -> VizzuDataDict:
        """The Vizzu 0.16 data object ``{"series": [...]}``, ready for any JSON library.

        Returns
        -------
        VizzuDataDict
            ``{"series": [...]}``, each series as its ``to_dict()`` gives it.

        Examples
        --------
        >>> encode({"m": [2.0]}).to_dict()
        {'series': [{'name': 'm', 'type': 'measure', 'values': [2.0]}]}
        """
        return {"series": [series.to_dict() for series in self.series]}

    def to_json(self) -> bytes:
        """The same object as ``to_dict()``, as compact standard JSON (UTF-8).

        Missing measures are ``null``, never ``NaN``; a measure whose values
        are all whole numbers is written without trailing ``.0``.

        Returns
        -------
        bytes
            The JSON text, encoded as UTF-8.

        Examples
        --------
        >>> encode({"a": ["x"], "m": [2.0]}).to_json()
        b'{"series":[{"name":"a","type":"dimension","categories":["x"],"values":[0]},{"name":"m","type":"measure","values":[2]}]}'
        """
        return _json_document([series._to_json() for series in self.series])


def encode(
    source: Any,
    *,
    columns: Sequence[str] | None = None,
    dimensions: Sequence[str] = (),
    measures: Sequence[str] = (),
    null_label: str = DEFAULT_NULL_LABEL,
    precision: int | Mapping[str, int] | None = None,
    units: Mapping[str, str] | None = None,
    max_rows: int | None = DEFAULT_MAX_ROWS,
) -> VizzuData:
    """Read ``source`` and encode every column as a Vizzu series.

    Roles are inferred from Arrow types (numbers are measures; text,
    categoricals, booleans, dates and times are dimensions). More than
    ``max_rows`` rows is an error, never a sample.

    Parameters
    ----------
    source : table-like
        A pyarrow Table or RecordBatch, a pandas or polars DataFrame, a
        mapping of column names to sequences, or a path to a CSV, Parquet or
        Arrow file.
    columns : sequence of str, optional
        The columns to keep, in this order (default: all).
    dimensions : sequence of str, default ()
        Columns read as dimensions whatever their type.
    measures : sequence of str, default ()
        Columns read as measures; they must hold numbers or booleans.
    null_label : str, default "(missing)"
        The category that missing dimension values are shown as.
    precision : int or mapping of str to int, optional
        Round measures (every one, or those named) to this many significant
        digits (default: lossless).
    units : mapping of str to str, optional
        Each measure's unit.
    max_rows : int or None, default 1_000_000
        The most rows ``source`` may have; ``None`` for no limit.

    Returns
    -------
    VizzuData
        One series per column.

    Raises
    ------
    DataError
        When an option names no column, a forced measure holds no numbers, or
        the data cannot be encoded exactly; the message says the fix.
    RowLimitError
        When ``source`` has more than ``max_rows`` rows.

    Examples
    --------
    >>> data = encode({"Region": ["North", None], "Revenue": [1.5, None]})
    >>> data["Region"].categories, data["Revenue"].to_list()
    (('North', '(missing)'), [1.5, None])
    """
    table, encode_column = _column_encoder(
        source,
        columns=columns,
        dimensions=dimensions,
        measures=measures,
        null_label=null_label,
        precision=precision,
        units=units,
        max_rows=max_rows,
    )
    return VizzuData(series=tuple(_map_columns(table, encode_column)), num_rows=table.num_rows)


def to_vizzu_data(source: Any, **options: Any) -> VizzuDataDict:
    """The Vizzu data object for ``source``, as Python values.

    Parameters
    ----------
    source : table-like
        Anything :func:`encode` reads.
    **options
        :func:`encode`'s keywords (``columns``, ``dimensions``, ``measures``,
        ``null_label``, ``precision``, ``units``, ``max_rows``).

    Returns
    -------
    VizzuDataDict
        ``{"series": [...]}``, as :meth:`VizzuData.to_dict` gives it.

    Raises
    ------
    DataError
        As :func:`encode` raises it.

    Examples
    --------
    >>> to_vizzu_data({"Region": ["North", "South", "North"]})
    {'series': [{'name': 'Region', 'type': 'dimension', 'categories': ['North', 'South'], 'values': [0, 1, 0]}]}
    """
    return encode(source, **options).to_dict()


def to_vizzu_json(source: Any, **options: Any) -> bytes:
    """The Vizzu data object for ``source`` as JSON bytes (the fast path).

    Each column is encoded and written in parallel for large tables.

    Parameters
    ----------
    source : table-like
        Anything :func:`encode` reads.
    **options
        :func:`encode`'s keywords (``columns``, ``dimensions``, ``measures``,
        ``null_label``, ``precision``, ``units``, ``max_rows``).

    Returns
    -------
    bytes
        The same JSON as :meth:`VizzuData.to_json` writes.

    Raises
    ------
    DataError
        As :func:`encode` raises it.

    Examples
    --------
    >>> to_vizzu_json({"Units": [3, None]})
    b'{"series":[{"name":"Units","type":"measure","values":[3,null]}]}'
    """
    table, encode_column = _column_encoder(source, **options)
    # Each worker encodes and serializes its column, so Arrow work on one
    # column overlaps JSON writing of another.
    return _json_document(_map_columns(table, lambda name: encode_column(name)._to_json()))


def _column_encoder(
    source: Any,
    *,
    columns: Sequence[str] | None = None,
    dimensions: Sequence[str] = (),
    measures: Sequence[str] = (),
    null_label: str = DEFAULT_NULL_LABEL,
    precision: int | Mapping[str, int] | None = None,
    units: Mapping[str, str] | None = None,
    max_rows: int | None = DEFAULT_MAX_ROWS,
) -> tuple[pa.Table, Callable[[str], Series]]:
    """Read the source, settle every option, and return a per-column encoder."""
    # The options are checked before a large source is read, and again over what it holds.
    _forced_roles(dimensions, measures, columns)
    table = read_table(source, columns=columns, max_rows=max_rows)
    roles = column_roles(
        {field.name: field.type for field in table.schema},
        dimensions=dimensions,
        measures=measures,
        columns=columns,
    )
    digits = _per_measure(precision, roles, "precision", _check_digits)
    unit_of = _per_measure(units, roles, "units", _check_unit)

    def encode_column(name: str) -> Series:
        column = table.column(name)
        if roles[name] == "dimension":
            return _encode_dimension(name, column, null_label)
        return _encode_measure(name, column, digits.get(name), unit_of.get(name))

    return table, encode_column


def _map_columns(table: pa.Table, task: Callable[[str], T]) -> list[T]:
    names = table.column_names
    workers = min(len(names), os.cpu_count() or 1)
    if table.num_rows < PARALLEL_ROWS or workers < 2:
        return [task(name) for name in names]
    # Arrow kernels release the GIL while JSON writing holds it: interleave
    # text columns (Arrow-bound) with number columns (JSON-bound) so one
    # thread's Arrow work overlaps the other's JSON.
    text = [n for n in names if not is_number(table.column(n).type)]
    numbers = [n for n in names if is_number(table.column(n).type)]
    order = [n for pair in itertools.zip_longest(numbers, text) for n in pair if n is not None]
    done = dict(zip(order, _pool().map(task, order), strict=True))
    return [done[name] for name in names]


@functools.cache
def _pool() -> ThreadPoolExecutor:
    """Worker threads for column encoding, started once: starting them costs
    about as much as encoding 100,000 rows."""
    return ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="ipyreport")


def is_number(kind: pa.DataType) -> bool:
    return bool(
        pa.types.is_floating(kind) or pa.types.is_integer(kind) or pa.types.is_decimal(kind)
    )


# --- roles -----------------------------------------------------------------


def _forced_roles(
    dimensions: Sequence[str], measures: Sequence[str], columns: Sequence[str] | None
) -> dict[str, Role]:
    for argument, value in (("dimensions", dimensions), ("measures", measures)):
        if isinstance(value, str):
            msg = f"{argument}= takes a list of column names, got the string {value!r}; write {argument}=[{value!r}]"
            raise DataError(msg)
    both = sorted(set(dimensions) & set(measures))
    if both:
        msg = f"column {both[0]!r} is listed in both dimensions= and measures=; keep it in one"
        raise DataError(msg)
    forced: dict[str, Role] = dict.fromkeys(dimensions, "dimension")
    forced.update(dict.fromkeys(measures, "measure"))
    if columns is not None:
        for name, role in forced.items():
            if name not in columns:
                msg = f"column {name!r} is forced to be a {role} but is not in columns={list(columns)}; add it there"
                raise DataError(msg)
    return forced


def _check_names(names: Sequence[str], forced: Mapping[str, Role]) -> None:
    if not names:
        msg = "the data has no columns"
        raise DataError(msg)
    seen: set[str] = set()
    for name in names:
        if name == "":
            msg = "the data has a column with an empty name; Vizzu needs every series named"
            raise DataError(msg)
        if name in seen:
            msg = f"the data has two columns named {name!r}; rename one"
            raise DataError(msg)
        seen.add(name)
    for name, role in forced.items():
        if name not in seen:
            msg = f"column {name!r} (forced to be a {role}) is not in the data{closest(name, names)}; columns are {list(names)}"
            raise DataError(msg)


def column_roles(
    types: Mapping[str, pa.DataType],
    *,
    dimensions: Sequence[str] = (),
    measures: Sequence[str] = (),
    columns: Sequence[str] | None = None,
) -> dict[str, Role]:
    """Each column's role, from its Arrow type and the roles forced on it.

    The one rule for every source, read eagerly or lazily: numbers are
    measures; text, categoricals, booleans, dates and times are dimensions
    (:func:`infer_role`). A forced measure must hold numbers (or booleans,
    counted as 1 and 0).

    Parameters
    ----------
    types : mapping of str to pyarrow.DataType
        Each column's type.
    dimensions : sequence of str, default ()
        Columns that are dimensions whatever their type.
    measures : sequence of str, default ()
        Columns that are measures.
    columns : sequence of str, optional
        The columns kept; a forced role must name one of them.

    Returns
    -------
    dict of str to {"dimension", "measure"}
        Each column's role, in the order of ``types``.

    Raises
    ------
    DataError
        When a role names no column, a column is forced both ways, or a
        forced measure does not hold numbers.

    Examples
    --------
    >>> column_roles({"Year": pa.int64(), "Sales": pa.float64()}, dimensions=["Year"])
    {'Year': 'dimension', 'Sales': 'measure'}
    """
    forced = _forced_roles(dimensions, measures, columns)
    _check_names(list(types), forced)
    for name, role in forced.items():
        if role == "measure" and not _can_be_measure(types[name]):
            msg = (
                f"column {name!r} has type {types[name]}, which cannot be a measure; measures are "
                "numbers (integers, floats, decimals), so convert it or make it a dimension"
            )
            raise DataError(msg)
    return {name: forced.get(name) or infer_role(kind) for name, kind in types.items()}


def _can_be_measure(kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return is_number(kind) or pa.types.is_boolean(kind)


def infer_role(arrow_type: pa.DataType) -> Role:
    if pa.types.is_dictionary(arrow_type):
        return "dimension"
    if (
        pa.types.is_integer(arrow_type)
        or pa.types.is_floating(arrow_type)
        or pa.types.is_decimal(arrow_type)
    ):
        return "measure"
    return "dimension"


def _per_measure(
    option: Any,
    roles: Mapping[str, Role],
    argument: str,
    check: Callable[[str, Any], None],
) -> dict[str, Any]:
    measures = [name for name, role in roles.items() if role == "measure"]
    if option is None:
        return {}
    if not isinstance(option, Mapping):
        check(argument, option)
        return dict.fromkeys(measures, option)
    for name, value in option.items():
        if roles.get(name) != "measure":
            msg = f"{argument}= names {name!r}, which is not a measure{closest(name, measures)}; measures are {measures}"
            raise DataError(msg)
        check(f"{argument}[{name!r}]", value)
    return dict(option)


def _check_digits(argument: str, value: Any) -> None:
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not 1 <= value <= FLOAT64_SAFE_DIGITS
    ):
        msg = f"{argument} must be a number of significant digits from 1 to {FLOAT64_SAFE_DIGITS} (or None for lossless), got {value!r}"
        raise DataError(msg)


def _check_unit(argument: str, value: Any) -> None:
    if not isinstance(value, str):
        msg = f"{argument} must be a string such as 'USD', got {value!r}"
        raise DataError(msg)


# --- measures --------------------------------------------------------------


def _encode_measure(
    name: str, column: pa.ChunkedArray, digits: int | None, unit: str | None
) -> Measure:
    column = _decode_dictionary(column)
    kind = column.type
    values: npt.NDArray[Any]
    if pa.types.is_integer(kind):
        _check_safe_integers(name, column)
        values = column.to_numpy().astype(
            np.int64 if column.null_count == 0 else np.float64, copy=False
        )
    elif pa.types.is_floating(kind):
        if kind != pa.float64():
            # The shortest decimal of a float32 is what users see; widening it bit
            # for bit would turn 0.1 into 0.10000000149011612.
            column = pc.cast(pc.cast(column, pa.string()), pa.float64())
        values = column.to_numpy()
        _check_finite(name, values)
    elif pa.types.is_decimal(kind):
        values = _decimal_to_float(name, column)
    elif pa.types.is_boolean(kind):
        values = column.to_numpy().astype(np.int64 if column.null_count == 0 else np.float64)
    else:
        msg = (
            f"column {name!r} has type {kind}, which cannot be a measure; measures are "
            "numbers (integers, floats, decimals), so convert it or make it a dimension"
        )
        raise DataError(msg)
    if digits is not None:
        values = _round_significant(values.astype(np.float64), digits)
    return Measure(name=name, values=np.ascontiguousarray(values), unit=unit)


def _check_safe_integers(name: str, column: pa.ChunkedArray) -> None:
    if column.null_count == len(column):
        return
    bounds = pc.min_max(column)
    low, high = bounds["min"].as_py(), bounds["max"].as_py()
    if high > MAX_SAFE_INTEGER or low < -MAX_SAFE_INTEGER:
        value = high if high > MAX_SAFE_INTEGER else low
        msg = (
            f"column {name!r} holds {value}, beyond ±2**53, which JavaScript numbers "
            f"cannot hold exactly; pass dimensions=[{name!r}] to keep it as exact text "
            "(an id, say), or scale it down before charting"
        )
        raise DataError(msg)


def inexact_sum(name: str, value: int | float) -> DataError:
    """The error for a sum of whole numbers that a browser's numbers cannot hold exactly."""
    msg = (
        f"the sum of {name!r} reaches {value:,}, beyond ±2**53, which a browser's numbers "
        f"cannot hold exactly; scale {name!r} down (to thousands, say) or show its mean or maximum"
    )
    return DataError(msg)


def is_whole(values: npt.NDArray[Any]) -> bool:
    """Whether a measure holds only whole numbers (integers, or floats without fractions)."""
    return values.dtype.kind in "iu" or (values.dtype.kind == "f" and _all_whole(values))


def _check_finite(name: str, values: npt.NDArray[np.float64]) -> None:
    infinite = np.flatnonzero(np.isinf(values))
    if infinite.size:
        msg = (
            f"column {name!r} has {infinite.size} infinite value(s), the first at row "
            f"{infinite[0]}; charts cannot draw infinity, so replace them with null "
            "(missing) or a finite number"
        )
        raise DataError(msg)


def _decimal_to_float(name: str, column: pa.ChunkedArray) -> npt.NDArray[np.float64]:
    # Parsing the decimal text is correctly rounded; Arrow's direct cast is not.
    floats = pc.cast(pc.cast(column, pa.string()), pa.float64())
    if column.type.precision > FLOAT64_SAFE_DIGITS and not _round_trips(floats, column):
        msg = (
            f"column {name!r} has type {column.type} and holds values that a float64 "
            f"cannot represent exactly; pass precision={{{name!r}: {FLOAT64_SAFE_DIGITS}}} "
            "to accept rounding to 15 significant digits, or cast it yourself"
        )
        raise DataError(msg)
    values: npt.NDArray[np.float64] = floats.to_numpy()
    return values


def _round_trips(floats: pa.ChunkedArray, original: pa.ChunkedArray) -> bool:
    try:
        back = pc.cast(pc.cast(floats, pa.string()), original.type)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    same = pc.all(pc.equal(back, original)).as_py()
    return same is None or bool(same)


def _round_significant(values: npt.NDArray[np.float64], digits: int) -> npt.NDArray[np.float64]:
    """Round to ``digits`` significant digits so the shortest repr is that decimal."""
    result: npt.NDArray[np.float64] = values.copy()
    finite = np.isfinite(values) & (values != 0)
    magnitude = np.floor(np.log10(np.abs(values[finite])))
    decimals = digits - 1 - magnitude
    x = values[finite]
    # Scale by an exact power of ten on the side that keeps it exact.
    up = decimals >= 0
    scale_up = 10.0 ** np.clip(decimals, 0, 300)
    scale_down = 10.0 ** np.clip(-decimals, 0, 300)
    result[finite] = np.where(
        up, np.round(x * scale_up) / scale_up, np.round(x / scale_down) * scale_down
    )
    return result


# --- dimensions ------------------------------------------------------------


def _encode_dimension(name: str, column: pa.ChunkedArray, null_label: str) -> Dimension:
    kind = column.type
    if pa.types.is_dictionary(kind) and is_text(kind.value_type):
        codes, categories = _dictionary_codes(column)
    else:
        column = _decode_dictionary(column)
        kind = column.type
        if pa.types.is_string_view(kind):
            column = pc.cast(column, pa.large_string())
            kind = column.type
        if is_text(kind):
            codes, categories = _dictionary_codes(pc.dictionary_encode(column))
        elif pa.types.is_null(kind):
            codes, categories = np.full(len(column), -1, dtype=np.int32), []
        else:
            formatter = _sorted_formatter(name, kind)
            if pa.types.is_floating(kind):
                column = pc.if_else(pc.is_nan(column), pa.scalar(None, kind), column)
            codes, uniques = _dictionary_codes(pc.dictionary_encode(column), as_text=False)
            codes, categories = _sort_categories(codes, uniques, formatter)
    return _with_null_label(name, codes, categories, null_label)


def is_text(kind: pa.DataType) -> bool:
    return bool(
        pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)
    )


def _decode_dictionary(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if not pa.types.is_dictionary(column.type):
        return column
    return pa.chunked_array(
        [chunk.dictionary_decode() for chunk in column.chunks],
        type=column.type.value_type,
    )


def _dictionary_codes(
    column: pa.ChunkedArray, *, as_text: bool = True
) -> tuple[npt.NDArray[np.int32], Any]:
    """Codes (``-1`` for null) and the dictionary of a dictionary-typed column."""
    column = column.unify_dictionaries()
    if column.num_chunks == 0:
        return np.empty(0, dtype=np.int32), [] if as_text else pa.array([], column.type.value_type)
    dictionary = column.chunk(0).dictionary
    # Unsigned indices (polars Enum and Categorical) cannot hold -1 until widened.
    indices = pc.cast(pa.chunked_array([chunk.indices for chunk in column.chunks]), pa.int64())
    codes = pc.fill_null(indices, -1).to_numpy().astype(np.int32, copy=False)
    if dictionary.null_count:
        # A null stored inside the dictionary is a missing value too.
        null_codes = np.flatnonzero(dictionary.is_null().to_numpy(zero_copy_only=False))
        codes = np.where(np.isin(codes, null_codes), -1, codes).astype(np.int32)
    if not as_text:
        return codes, dictionary
    return codes, [value if value is not None else "" for value in dictionary.to_pylist()]


def _sort_categories(
    codes: npt.NDArray[np.int32],
    uniques: pa.Array,
    formatter: Callable[[pa.Array], pa.Array],
) -> tuple[npt.NDArray[np.int32], list[str]]:
    """Order categories by value (time, number, false < true) instead of appearance."""
    order = pc.array_sort_indices(uniques).to_numpy()
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    present = codes >= 0
    sorted_codes = codes.copy()
    sorted_codes[present] = rank[codes[present]]
    categories: list[str] = formatter(uniques.take(pa.array(order, pa.int64()))).to_pylist()
    return sorted_codes, categories


def _sorted_formatter(name: str, kind: pa.DataType) -> Callable[[pa.Array], pa.Array]:
    if pa.types.is_boolean(kind):
        return lambda values: pc.if_else(values, "true", "false")
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return lambda values: pc.cast(values, pa.string())
    if pa.types.is_time(kind):
        return _format_time
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        return lambda values: _format_temporal(_in_calendar(name, values))
    msg = (
        f"column {name!r} has type {kind}, which ipyreport cannot chart; supported "
        "types are numbers, text, categoricals, booleans, dates, timestamps and "
        f"times, so drop it with columns=[...] or convert it"
    )
    raise DataError(msg)


# ISO 8601 writes years 0001 to 9999 with four digits; a player parses nothing else.
_FIRST_DAY = -719_162  # 0001-01-01, in days from 1970-01-01
_LAST_DAY = 2_932_896  # 9999-12-31


def _in_calendar(name: str, values: pa.Array) -> pa.Array:
    """``values``, or a :class:`DataError` if one lies outside years 1 to 9999."""
    kind = values.type
    if pa.types.is_timestamp(kind):
        per_day = 86_400 * {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[kind.unit]
        days = pc.divide(pc.cast(pc.cast(values, pa.timestamp(kind.unit)), pa.int64()), per_day)
    else:
        days = pc.cast(pc.cast(values, pa.date32()), pa.int32())
    bounds = pc.min_max(days)
    low, high = bounds["min"].as_py(), bounds["max"].as_py()
    if low is not None and (low < _FIRST_DAY - 1 or high > _LAST_DAY):
        msg = (
            f"column {name!r} holds a {kind} value outside the years 1 to 9999, which dates "
            "cannot be written in; filter it out, or make it a measure if it is a count of time"
        )
        raise DataError(msg)
    return values


def _format_temporal(values: pa.Array) -> pa.Array:
    """ISO 8601 text at the coarsest precision that keeps every value exact."""
    kind = values.type
    if pa.types.is_date(kind):
        return pc.strftime(pc.cast(pc.cast(values, pa.date32()), pa.timestamp("s")), "%Y-%m-%d")
    per_second = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[kind.unit]
    local = values if kind.tz is None else pc.local_timestamp(values)
    ticks = pc.cast(local, pa.int64()).to_numpy(zero_copy_only=False)
    if not (ticks % (86_400 * per_second)).any():
        return pc.strftime(pc.cast(local, pa.timestamp("s")), "%Y-%m-%d")
    if not (ticks % per_second).any():
        whole = pc.cast(values, pa.timestamp("s", tz=kind.tz))
        pattern = "%Y-%m-%dT%H:%M" if not (ticks % (60 * per_second)).any() else "%Y-%m-%dT%H:%M:%S"
    else:
        whole, pattern = values, "%Y-%m-%dT%H:%M:%S"
    if kind.tz is None:
        return pc.strftime(whole, pattern)
    text = pc.strftime(whole, pattern + "%z")
    return pc.replace_substring_regex(text, r"([+-]\d\d)(\d\d)$", r"\1:\2")


def labelled_like(dimension: Dimension, values: pa.Array, whole: pa.Array) -> Dimension:
    """``dimension``, encoded from some of a date or timestamp column's values (``values``,
    say the rows a filter keeps), labelled as the whole column (``whole``) labels them.

    A time is written at the coarsest precision that keeps every value of its column
    exact: a column with an 01:00 writes midnight ``2021-01-01T00:00``, even where a filter
    keeps midnights only. An engine that reads just the kept rows labels them so too.

    >>> day = Dimension(name="t", categories=("1970-01-02",), codes=np.zeros(1, dtype=np.int32))
    >>> at = pa.array([86_400, 90_000], pa.timestamp("s"))
    >>> labelled_like(day, at[:1], at).categories
    ('1970-01-02T00:00',)
    """
    kind = values.type
    if not (pa.types.is_timestamp(kind) or pa.types.is_date(kind)):
        return dimension
    present = pc.unique(pc.drop_null(values))
    if len(present) == 0:
        return dimension
    if isinstance(present, pa.ChunkedArray):
        present = present.combine_chunks()
    others = pc.drop_null(pc.cast(whole, kind))
    if isinstance(others, pa.ChunkedArray):
        others = others.combine_chunks()
    alone = _format_temporal(present).to_pylist()
    together = _format_temporal(pa.concat_arrays([present, others])).to_pylist()[: len(alone)]
    relabel = dict(zip(alone, together, strict=True))
    categories = tuple(relabel.get(label, label) for label in dimension.categories)
    return Dimension(name=dimension.name, categories=categories, codes=dimension.codes)


def _format_time(values: pa.Array) -> pa.Array:
    """``HH:MM:SS``, with a fraction only when some value has one."""
    with contextlib.suppress(pa.ArrowInvalid):  # sub-second values keep their unit
        values = pc.cast(values, pa.time32("s"))
    return pc.cast(values, pa.string())


def category_values(
    name: str, labels: Sequence[str], kind: pa.DataType, null_label: str = DEFAULT_NULL_LABEL
) -> tuple[pa.Array, bool]:
    """The values of type ``kind`` whose labels are ``labels``, and whether the null label is one.

    The inverse of how a dimension's categories are written (text as is,
    ``true``/``false``, numbers, ISO 8601 dates, times and timestamps at any
    precision, an instant's offset or its column's zone), so an engine can
    compare typed values instead of text.

    Parameters
    ----------
    name : str
        The column, named in the error.
    labels : sequence of str
        Category labels, as a filter keeps them.
    kind : pyarrow.DataType
        The column's type.
    null_label : str, default "(missing)"
        The label that stands for a missing value.

    Returns
    -------
    values : pyarrow.Array
        The labels other than ``null_label``, as values of type ``kind``.
    missing : bool
        Whether ``null_label`` was among the labels.

    Raises
    ------
    DataError
        When a label is no value a column of type ``kind`` could hold.

    Examples
    --------
    >>> values, missing = category_values("Day", ["2021-01-01", "(missing)"], pa.date32())
    >>> values.to_pylist(), missing
    ([datetime.date(2021, 1, 1)], True)
    """
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    present = [label for label in labels if label != null_label]
    missing = len(present) < len(labels)
    values = []
    for label in present:
        try:
            values.append(_parse_label(label, kind))
        except (ValueError, TypeError, ArithmeticError) as error:
            msg = f"the filter keeps {name!r} == {label!r}, which a {kind} column cannot hold ({error})"
            raise DataError(msg) from None
    return pa.array(values, kind), missing


def _parse_label(label: str, kind: pa.DataType) -> Any:
    import datetime as dt
    import decimal

    if is_text(kind) or pa.types.is_null(kind):
        return label
    if pa.types.is_boolean(kind):
        if label not in ("true", "false"):
            msg = "booleans are labelled true or false"
            raise ValueError(msg)
        return label == "true"
    if pa.types.is_integer(kind):
        return int(label)
    if pa.types.is_floating(kind):
        return float(label)
    if pa.types.is_decimal(kind):
        return decimal.Decimal(label)
    if pa.types.is_date(kind):
        return dt.date.fromisoformat(label)
    if pa.types.is_time(kind):
        return dt.time.fromisoformat(label)
    if pa.types.is_timestamp(kind):
        import pandas as pd

        stamp = pd.Timestamp(label)
        if kind.tz is not None and stamp.tzinfo is None:
            stamp = stamp.tz_localize(kind.tz)
        elif kind.tz is None and stamp.tzinfo is not None:
            msg = "the column's timestamps have no time zone"
            raise ValueError(msg)
        return stamp
    msg = f"{kind} columns are not categories"
    raise TypeError(msg)


def _with_null_label(
    name: str, codes: npt.NDArray[np.int32], categories: list[str], null_label: str
) -> Dimension:
    missing = codes < 0
    if missing.any():
        if null_label in categories:
            msg = (
                f"column {name!r} has missing values and also a real value {null_label!r}, "
                "the label for missing ones; pass another null_label= so the two stay apart"
            )
            raise DataError(msg)
        categories = [*categories, null_label]
        codes = np.where(missing, len(categories) - 1, codes).astype(np.int32)
    return Dimension(name=name, categories=tuple(categories), codes=np.ascontiguousarray(codes))


# --- JSON ------------------------------------------------------------------


def _all_whole(values: npt.NDArray[np.float64]) -> bool:
    """Whether every present value is a whole number within ±2**53."""
    head = values[:64]
    if not np.array_equal(head, np.trunc(head), equal_nan=True):
        return False  # the usual case for money and ratios, decided cheaply
    finite = values[~np.isnan(values)]
    return bool(
        finite.size
        and np.array_equal(finite, np.trunc(finite))
        and np.abs(finite).max() <= MAX_SAFE_INTEGER
    )


def _json_document(series: list[bytes]) -> bytes:
    return b'{"series":[' + b",".join(series) + b"]}"


def _dump_array(values: npt.NDArray[Any]) -> bytes:
    if values.dtype.kind == "f" and _all_whole(values):
        if not np.isnan(values).any():
            values = values.astype(np.int64)
        else:
            # Whole numbers with gaps (integers with nulls): orjson writes
            # NaN as null and 2.0 as "2.0"; drop the ".0". A JSON array of
            # numbers holds no strings, so this cannot touch text.
            text = orjson.dumps(values, option=orjson.OPT_SERIALIZE_NUMPY)
            text = text.replace(b".0,", b",")
            return text[:-3] + b"]" if text.endswith(b".0]") else text
    return orjson.dumps(values, option=orjson.OPT_SERIALIZE_NUMPY)
