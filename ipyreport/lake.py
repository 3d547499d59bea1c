"""Lake tables as sources: Delta Lake and Apache Iceberg, at a version, a snapshot or a moment.

:func:`delta` names a Delta table's folder, :func:`iceberg` a table in an
Iceberg catalog; either is read like files are — lazily by default, by
DuckDB with its memory limit and pushdown (its Parquet reader over the
version's files, or the version's Arrow dataset where the files alone do
not hold the rows as they are), inside the folders a spec may read — at the table's latest
version, or one given by number (Delta's ``version``, Iceberg's
``snapshot``) or by moment (``timestamp``). ``since`` reads two versions of
one table as one: their rows, a ``Version`` column naming which version each
row is from, and for each numeric column a ``<name> change`` column that
adds up to the change per category (the later version's values, less the
earlier's), which :func:`ipyreport.presets.compare` draws.

>>> delta("lake/sales", version=3)
delta('lake/sales', version=3)
>>> iceberg("db.sales", catalog="lake.db", since="2026-11-01")
iceberg('db.sales', catalog='lake.db', since='2026-11-01')

The packages are an extra: ``pip install 'ipyreport[lake]'``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

import pyarrow as pa

from ipyreport._access import Access
from ipyreport._errors import DataError

if TYPE_CHECKING:
    import duckdb

__all__ = ["VERSION_COLUMN", "LakeTable", "OpenLake", "delta", "iceberg"]

# The column that says which version a row of a two-version read is from.
VERSION_COLUMN = "Version"
CHANGE_SUFFIX = " change"
PACKAGES = {"delta": "deltalake", "iceberg": "pyiceberg"}
NAMES = {"delta": "Delta", "iceberg": "Iceberg"}
# What a version is called in each format's own words, and the spec field it is written in.
VERSION_FIELD = {"delta": "version", "iceberg": "snapshot"}


@dataclass(frozen=True)
class LakeTable:
    """A Delta or Iceberg table at one version (or two, with ``since``), not read yet.

    Made by :func:`delta` and :func:`iceberg`; ``lazy()``, ``Story`` and the
    presets read it as they read files.

    Parameters
    ----------
    kind : {"delta", "iceberg"}
        The table format.
    table : str
        A Delta table's folder, or an Iceberg table's ``namespace.table``.
    version : int, optional
        Delta's version or Iceberg's snapshot id (default: the latest).
    timestamp : str, optional
        Read the version current at this moment (ISO 8601) instead.
    catalog : pyiceberg Catalog or str, optional
        An Iceberg table's catalog, or the path of its SQLite catalog file.
    since : int or str, optional
        An earlier version (a number) or moment, read too, to compare.

    Examples
    --------
    >>> LakeTable("delta", "lake/sales", version=3) == delta("lake/sales", version=3)
    True
    """

    kind: str
    table: str
    version: int | None = None
    timestamp: str | None = None
    catalog: Any = None
    since: int | str | None = None

    def __repr__(self) -> str:
        shown = [repr(self.table)]
        if self.catalog is not None:
            shown.append(
                f"catalog={self.catalog if not isinstance(self.catalog, str) else repr(self.catalog)}"
            )
        if self.version is not None:
            shown.append(f"{VERSION_FIELD[self.kind]}={self.version}")
        if self.timestamp is not None:
            shown.append(f"timestamp={self.timestamp!r}")
        if self.since is not None:
            shown.append(f"since={self.since!r}")
        return f"{self.kind}({', '.join(shown)})"

    @property
    def label(self) -> str:
        """How messages name the table: ``the Delta table 'lake/sales'``."""
        return f"the {NAMES[self.kind]} table {self.table!r}"

    def open(self, access: Access | None = None, base: Path | None = None) -> OpenLake:
        """The table's files at the asked version(s), checked against ``access``.

        Parameters
        ----------
        access : Access, optional
            What may be read (default: everything); a spec's access allows only
            its own folders.
        base : Path, optional
            The folder relative paths are read from (a spec's own; default: the
            working folder).

        Returns
        -------
        OpenLake
            The version(s) found, ready for ``lazy()`` to scan.

        Raises
        ------
        DataError
            Naming the field at fault (``version``, ``snapshot``, ``timestamp``,
            ``since``, ``catalog``) when the table or version cannot be read, or
            the lake package is missing.

        Examples
        --------
        >>> import tempfile, deltalake, pyarrow as pa
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     deltalake.write_deltalake(folder, pa.table({"Region": ["North"], "Revenue": [1.5]}))
        ...     [version.number for version in delta(folder).open().versions]
        [0]
        """
        access = access or Access.everything()
        reader = _open_delta if self.kind == "delta" else _open_iceberg
        return reader(self, access, base or Path())

    def fingerprint(self, access: Access | None = None, base: Path | None = None) -> dict[str, Any]:
        """What was read, for provenance: the version or snapshot the table resolves to now.

        The kind, the table, the version or snapshot id resolved now (the latest,
        or the one a timestamp falls on) and its commit time, such as ``{"kind":
        "delta", "path": "lake/sales", "version": 2, "timestamp":
        "2026-12-01T09:00:00.000Z"}`` (with ``since``, the earlier one under
        ``since``).

        Parameters
        ----------
        access : Access, optional
            What may be read (default: everything).
        base : Path, optional
            The folder relative paths are read from.

        Returns
        -------
        dict
            The fingerprint, ready for JSON.

        Raises
        ------
        DataError
            As :meth:`open` raises it.

        Examples
        --------
        >>> import tempfile, deltalake, pyarrow as pa
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     deltalake.write_deltalake(folder, pa.table({"Revenue": [1.5]}))
        ...     deltalake.write_deltalake(folder, pa.table({"Revenue": [2.5]}), mode="overwrite")
        ...     read = delta(folder, since=0).fingerprint()
        >>> read["version"], read["since"]["version"]
        (1, 0)
        """
        return self.open(access, base).fingerprint


@dataclass(frozen=True)
class Version:
    """One version of a table as read: its Arrow dataset (or table), its number, its time,
    and its local Parquet files when DuckDB can read them as they are (``files``)."""

    data: Any
    number: int
    committed: str
    label: str
    files: tuple[str, ...] = ()

    def scan(self, connection: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
        """The version's rows as a DuckDB relation: DuckDB's own Parquet reader over its
        files (pushdown, statistics, the connection's memory limit) when they hold every
        column under its own name, else a scan of its Arrow dataset."""
        if not self.files:
            return connection.from_arrow(self.data)
        listed = ", ".join("'" + path.replace("'", "''") + "'" for path in self.files)
        columns = ", ".join(_quote(name) for name in self.data.schema.names)
        return connection.sql(f"select {columns} from read_parquet([{listed}])")


@dataclass(frozen=True)
class OpenLake:
    """A lake table opened at its version(s): what ``lazy()`` scans and what provenance records.

    Made by :meth:`LakeTable.open`.

    Parameters
    ----------
    table : LakeTable
        The table as asked for.
    versions : tuple of Version
        The version read, or the earlier and the later with ``since``.
    fingerprint : dict, default {}
        What was read, for provenance (see :meth:`LakeTable.fingerprint`).

    Examples
    --------
    >>> import tempfile, deltalake, pyarrow as pa
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     deltalake.write_deltalake(folder, pa.table({"Region": ["North"], "Revenue": [1.5]}))
    ...     delta(folder).open().schema.names
    ['Region', 'Revenue']
    """

    table: LakeTable
    versions: tuple[Version, ...]
    fingerprint: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How messages name the table: ``the Delta table 'lake/sales'``."""
        return self.table.label

    @property
    def schema(self) -> pa.Schema:
        """The columns and their Arrow types, at the latest version read."""
        schema: pa.Schema = self.versions[-1].data.schema
        return schema

    def relation(self, connection: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
        """The rows as one DuckDB relation over the versions' datasets.

        When two versions are read, only the columns both hold, a ``Version``
        column naming which version each row is from, and for each numeric column
        a ``<name> change`` column (the later version's values count up, the
        earlier's down) that adds up to the change per category.

        Parameters
        ----------
        connection : duckdb.DuckDBPyConnection
            The connection that scans the files (with its memory limit).

        Returns
        -------
        duckdb.DuckDBPyRelation
            The rows, not read yet.

        Raises
        ------
        DataError
            When the table already has a ``Version`` column or a ``<name> change``
            column that ``since`` would add; the error's ``field`` is ``since``.

        Examples
        --------
        >>> import duckdb, tempfile, deltalake, pyarrow as pa
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     deltalake.write_deltalake(folder, pa.table({"Region": ["North"], "Revenue": [1.0]}))
        ...     deltalake.write_deltalake(folder, pa.table({"Region": ["North"], "Revenue": [3.0]}), mode="overwrite")
        ...     delta(folder, since=0).open().relation(duckdb.connect()).fetchall()
        [('North', 1.0, 'version 0', -1.0), ('North', 3.0, 'version 1', 3.0)]
        """
        if len(self.versions) == 1:
            return self.versions[0].scan(connection)
        before, after = self.versions
        # The columns both versions hold (one added or dropped in between is not compared).
        earlier = set(before.data.schema.names)
        names = [name for name in self.schema.names if name in earlier]
        if VERSION_COLUMN in names:
            msg = f"{self.label} has a column named {VERSION_COLUMN!r}, which since= adds to say which version each row is from; rename the column"
            raise DataError(msg, field="since")
        numeric = [
            name
            for name in names
            if pa.types.is_integer(self.schema.field(name).type)
            or pa.types.is_floating(self.schema.field(name).type)
            or pa.types.is_decimal(self.schema.field(name).type)
        ]
        taken = [name + CHANGE_SUFFIX for name in numeric if name + CHANGE_SUFFIX in names]
        if taken:
            msg = f"{self.label} already has a column {taken[0]!r}, which since= adds for the change of {taken[0].removesuffix(CHANGE_SUFFIX)!r}; rename the column"
            raise DataError(msg, field="since")
        columns = ", ".join(_quote(name) for name in names)

        def rows(version: Version, sign: str) -> duckdb.DuckDBPyRelation:
            changes = "".join(
                f", {sign}{_quote(name)} as {_quote(name + CHANGE_SUFFIX)}" for name in numeric
            )
            label = "'" + version.label.replace("'", "''") + "'"
            return version.scan(connection).project(
                f"{columns}, {label} as {_quote(VERSION_COLUMN)}{changes}"
            )

        return rows(before, "-").union(rows(after, ""))


def delta(
    path: str | os.PathLike[str],
    *,
    version: int | None = None,
    timestamp: str | dt.datetime | dt.date | None = None,
    since: int | str | dt.datetime | dt.date | None = None,
) -> LakeTable:
    """A Delta Lake table (its folder), at its latest version or one asked for.

    Parameters
    ----------
    path : str or os.PathLike
        The table's folder (the one holding ``_delta_log``).
    version : int, optional
        The version to read (0 is the first commit).
    timestamp : str, datetime or date, optional
        Read the version that was current at this moment (ISO 8601 text; a
        moment without a zone is UTC).
    since : int, str, datetime or date, optional
        Also read this earlier version (a number) or the one current at this
        moment, to compare the two (see :func:`ipyreport.presets.compare`).

    Returns
    -------
    LakeTable
        What ``lazy()``, ``Story`` and the presets read.

    Raises
    ------
    DataError
        When both ``version`` and ``timestamp`` are given.

    Examples
    --------
    >>> delta("lake/sales", timestamp="2026-11-30")
    delta('lake/sales', timestamp='2026-11-30')
    """
    return _made(
        "delta", os.fspath(path), version=version, timestamp=timestamp, catalog=None, since=since
    )


def iceberg(
    table: str,
    *,
    catalog: Any = None,
    snapshot: int | None = None,
    timestamp: str | dt.datetime | dt.date | None = None,
    since: int | str | dt.datetime | dt.date | None = None,
) -> LakeTable:
    """An Apache Iceberg table in a catalog, at its current snapshot or one asked for.

    Parameters
    ----------
    table : str
        The table's name in the catalog, ``namespace.table``.
    catalog : pyiceberg Catalog, str or os.PathLike
        The catalog: a pyiceberg ``Catalog``, or the path of a SQLite catalog
        file (pyiceberg's SQL catalog, opened read-only).
    snapshot : int, optional
        The snapshot id to read.
    timestamp : str, datetime or date, optional
        Read the snapshot that was current at this moment (ISO 8601; UTC
        when no zone is given).
    since : int, str, datetime or date, optional
        Also read this earlier snapshot (an id) or the one current at this
        moment, to compare the two (see :func:`ipyreport.presets.compare`).

    Returns
    -------
    LakeTable
        What ``lazy()``, ``Story`` and the presets read.

    Raises
    ------
    DataError
        When both ``snapshot`` and ``timestamp`` are given, or no catalog is.

    Examples
    --------
    >>> iceberg("db.sales", catalog="lake.db", snapshot=3051729675574597004)
    iceberg('db.sales', catalog='lake.db', snapshot=3051729675574597004)
    """
    if catalog is None:
        msg = f"iceberg({table!r}) needs catalog=: a pyiceberg Catalog, or the path of a SQLite catalog file"
        raise DataError(msg, field="catalog")
    if isinstance(catalog, os.PathLike):
        catalog = os.fspath(catalog)
    return _made(
        "iceberg", table, version=snapshot, timestamp=timestamp, catalog=catalog, since=since
    )


# Delta reader features under which a version's Parquet files hold its rows as they are.
PLAIN_DELTA_FEATURES = {"timestampNtz", "v2Checkpoint", "vacuumProtocolCheck"}
# A spec's fields that name a lake table and the version(s) it reads.
SPEC_FIELDS = ("delta", "iceberg", "catalog", "version", "snapshot", "timestamp", "since")


def spec_fingerprint(spec: Mapping[str, Any], base: Path) -> dict[str, Any]:
    """What stands for a spec's ``delta:`` or ``iceberg:`` data now: the spec's own fields
    for it, and under ``read`` the version or snapshot they resolve to (the latest moves;
    see :mod:`ipyreport._provenance`)."""
    kind = "delta" if "delta" in spec else "iceberg"
    fields: dict[str, Any] = {
        key: _text(spec[key]) if isinstance(spec[key], (dt.date, dt.datetime)) else spec[key]
        for key in SPEC_FIELDS
        if key in spec
    }
    when = {key: fields[key] for key in ("timestamp", "since") if key in fields}
    if kind == "delta":
        table = delta(fields["delta"], version=fields.get("version"), **when)
    else:
        table = iceberg(
            fields["iceberg"],
            catalog=fields.get("catalog"),
            snapshot=fields.get("snapshot"),
            **when,
        )
    return {"kind": kind, **fields, "read": table.fingerprint(base=base)}


def _made(
    kind: str, table: str, *, version: Any, timestamp: Any, catalog: Any, since: Any
) -> LakeTable:
    name = VERSION_FIELD[kind]
    if version is not None and timestamp is not None:
        msg = f"{kind}({table!r}) got both {name}={version!r} and timestamp={_text(timestamp)!r}; give one"
        raise DataError(msg, field=name)
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        msg = f"{name}={version!r} is not a {name} number; give an integer, such as {name}=3"
        raise DataError(msg, field=name)
    if timestamp is not None:
        _moment(_text(timestamp), "timestamp")
    if since is not None and not (isinstance(since, int) and not isinstance(since, bool)):
        since = _text(since)
        _moment(since, "since")
    return LakeTable(
        kind, table, version, None if timestamp is None else _text(timestamp), catalog, since
    )


def _text(moment: Any) -> str:
    if isinstance(moment, (dt.datetime, dt.date)):
        return moment.isoformat()
    return str(moment)


def _moment(text: str, name: str) -> int:
    """``text`` as milliseconds since the epoch (UTC when it names no zone)."""
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        msg = f"{name}={text!r} is not a moment; write it in ISO 8601, such as 2026-11-30 or 2026-11-30T17:00:00Z"
        raise DataError(msg, field=name) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return int(moment.timestamp() * 1000)


def _iso(milliseconds: int) -> str:
    moment = dt.datetime.fromtimestamp(milliseconds / 1000, tz=dt.timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _needs(kind: str) -> Any:
    import importlib

    try:
        return importlib.import_module(PACKAGES[kind])
    except ImportError:
        msg = f"reading {NAMES[kind]} tables needs the {PACKAGES[kind]} package; install it with pip install 'ipyreport[lake]'"
        raise DataError(msg, field=kind) from None


def _local(location: str) -> Path | None:
    """A local file's path from a path or ``file://`` URI; None for any other scheme."""
    parsed = urlparse(location)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    if parsed.scheme and len(parsed.scheme) > 1:
        return None
    return Path(location)


def _check_files(table: LakeTable, access: Access, locations: Sequence[str]) -> list[str]:
    """The files' local paths, each checked to lie inside the folders ``access`` allows."""
    paths = []
    for location in locations:
        path = _local(location)
        if path is None:
            if access.folders is None:
                paths.append(location)
                continue
            msg = f"{table.label} reads {location!r}, which is not a local file; a spec reads only files in its folder (or --allow-path folders)"
            raise DataError(msg, field=table.kind)
        if not access.allows(path):
            msg = f"{table.label} reads {os.fspath(path)!r}, outside the spec's folder; keep the table next to the spec, or allow its folder with --allow-path DIR"
            raise DataError(msg, field=table.kind)
        paths.append(os.fspath(path))
    return paths


# --- Delta Lake ----------------------------------------------------------------


def _open_delta(table: LakeTable, access: Access, base: Path) -> OpenLake:
    deltalake = _needs("delta")
    folder = base / table.table
    if not access.allows(folder):
        msg = f"{table.table!r} is outside the spec's folder, so a shared spec cannot read it; keep the table next to the spec, or allow its folder with --allow-path DIR"
        raise DataError(msg, field="delta")
    if not folder.is_dir():
        what = "does not exist" if not folder.exists() else "is a file, not a table's folder"
        msg = f"{table.label} {what}; point delta: at the folder that holds its _delta_log"
        raise DataError(msg, field="delta")
    if not access.allows(folder / "_delta_log"):
        msg = f"{table.label} keeps its log outside the spec's folder (its _delta_log is a link out of it); keep the table next to the spec, or allow its folder with --allow-path DIR"
        raise DataError(msg, field="delta")
    if not (folder / "_delta_log").is_dir():
        msg = f"{table.label} is not a Delta table (its folder has no _delta_log); point delta: at a table's folder, or read plain Parquet files with path:"
        raise DataError(msg, field="delta")
    try:
        latest = deltalake.DeltaTable(folder)
        history = {entry["version"]: int(entry["timestamp"]) for entry in latest.history()}
    except deltalake.exceptions.DeltaError as error:
        reason = " ".join(str(error).split())
        msg = f"{table.label} cannot be read as a Delta table ({reason})"
        raise DataError(msg, field="delta") from None
    wanted = _delta_version(table, history, table.version, table.timestamp, "version")
    versions = [wanted]
    if table.since is not None:
        if isinstance(table.since, int):
            earlier = _delta_version(table, history, table.since, None, "since")
        else:
            earlier = _delta_version(table, history, None, table.since, "since")
        if earlier >= wanted:
            msg = f"since={table.since!r} is version {earlier}, not earlier than the version read ({wanted}); compare with an earlier version"
            raise DataError(msg, field="since")
        versions = [earlier, wanted]
    read = []
    for number in versions:
        try:
            opened = deltalake.DeltaTable(folder, version=number)
            paths = _check_files(table, access, opened.file_uris())
            dataset = opened.to_pyarrow_dataset()
        except deltalake.exceptions.DeltaError as error:
            reason = " ".join(str(error).split())
            msg = f"{table.label} cannot be read at version {number} ({reason})"
            raise DataError(msg, field="version") from None
        files = paths if _plain_delta(opened, dataset) else []
        read.append(
            Version(dataset, number, _iso(history[number]), f"version {number}", tuple(files))
        )
    fingerprint: dict[str, Any] = {
        "kind": "delta",
        "path": table.table,
        "version": read[-1].number,
        "timestamp": read[-1].committed,
    }
    if len(read) == 2:
        fingerprint["since"] = {"version": read[0].number, "timestamp": read[0].committed}
    return OpenLake(table, tuple(read), fingerprint)


def _plain_delta(opened: Any, dataset: Any) -> bool:
    """Whether the version's files hold its rows as they are: no partition values kept in
    the log, no renamed (mapped) columns, no deletion vectors, every column in every file."""
    metadata = opened.metadata()
    mapping = metadata.configuration.get("delta.columnMapping.mode", "none")
    # Reader features that change what a file's rows mean (deletion vectors, column
    # mapping, type widening...) send the read through the Arrow dataset.
    features = set(opened.protocol().reader_features or [])
    return (
        not metadata.partition_columns
        and mapping == "none"
        and features <= PLAIN_DELTA_FEATURES
        and all(isinstance(_local(uri), Path) for uri in opened.file_uris())
        and _every_column(dataset)
    )


def _every_column(dataset: Any) -> bool:
    """Whether each file of ``dataset`` holds every column of its schema (by name)."""
    names = set(dataset.schema.names)
    fragments = list(dataset.get_fragments())
    return bool(fragments) and all(
        names <= set(fragment.physical_schema.names) for fragment in fragments
    )


def _delta_version(
    table: LakeTable, history: dict[int, int], version: int | None, moment: str | None, name: str
) -> int:
    first, last = min(history), max(history)
    if version is not None:
        if version not in history:
            msg = f"{name}={version} of {table.label} does not exist; its versions are {first} to {last}"
            raise DataError(msg, field=name)
        return version
    if moment is None:
        return last
    at = _moment(moment, name if name == "since" else "timestamp")
    before = [number for number, written in history.items() if written <= at]
    if not before:
        msg = f"{name if name == 'since' else 'timestamp'}={moment!r} is before {table.label} was written (version {first}, {_iso(history[first])}); give a later moment"
        raise DataError(msg, field=name if name == "since" else "timestamp")
    return max(before)


# --- Apache Iceberg ---------------------------------------------------------------


def _open_iceberg(table: LakeTable, access: Access, base: Path) -> OpenLake:
    _needs("iceberg")
    catalog, where, locations = _catalog(table, access, base)
    from pyiceberg.exceptions import NoSuchNamespaceError, NoSuchTableError, ValidationError

    if table.table in locations:
        # Checked before pyiceberg reads it: a shared catalog may point anywhere.
        _check_files(table, access, [locations[table.table]])
    if "." not in table.table:
        msg = f"{table.label} names no namespace; write it as namespace.table, such as db.{table.table}"
        raise DataError(msg, field="iceberg")
    try:
        loaded = catalog.load_table(table.table)
    except (NoSuchTableError, NoSuchNamespaceError):
        known = _tables(catalog)
        msg = f"{table.label} is not in the catalog {where!r}; its tables are {', '.join(known) or 'none'}"
        raise DataError(msg, field="iceberg") from None
    except (OSError, ValueError, ValidationError) as error:
        raise _unreadable(table, error) from None
    _check_files(table, access, [loaded.metadata_location])
    snapshots = {snapshot.snapshot_id: snapshot for snapshot in loaded.snapshots()}
    if not snapshots:
        msg = (
            f"{table.label} has no snapshot yet (nothing was ever written to it); append rows first"
        )
        raise DataError(msg, field="iceberg")
    wanted = _snapshot(
        table,
        loaded,
        snapshots,
        snapshot_id=table.version,
        moment=table.timestamp,
        name="snapshot",
    )
    chosen = [wanted]
    if table.since is not None:
        if isinstance(table.since, int):
            earlier = _snapshot(
                table, loaded, snapshots, snapshot_id=table.since, moment=None, name="since"
            )
        else:
            earlier = _snapshot(
                table, loaded, snapshots, snapshot_id=None, moment=table.since, name="since"
            )
        if snapshots[earlier].timestamp_ms >= snapshots[wanted].timestamp_ms:
            msg = f"since={table.since!r} is snapshot {earlier}, not earlier than the snapshot read ({wanted}); compare with an earlier snapshot"
            raise DataError(msg, field="since")
        chosen = [earlier, wanted]
    read = []
    for snapshot_id in chosen:
        snapshot = snapshots[snapshot_id]
        try:
            data, files = _iceberg_data(table, loaded, snapshot, access)
        except DataError:
            raise
        except (OSError, ValueError, ValidationError) as error:
            raise _unreadable(table, error) from None
        read.append(
            Version(
                data, snapshot_id, _iso(snapshot.timestamp_ms), f"snapshot {snapshot_id}", files
            )
        )
    fingerprint: dict[str, Any] = {
        "kind": "iceberg",
        "table": table.table,
        "catalog": where,
        "snapshot": read[-1].number,
        "timestamp": read[-1].committed,
    }
    if len(read) == 2:
        fingerprint["since"] = {"snapshot": read[0].number, "timestamp": read[0].committed}
    return OpenLake(table, tuple(read), fingerprint)


def _unreadable(table: LakeTable, error: Exception) -> DataError:
    """A table whose metadata or files cannot be read, said in one line."""
    reason = " ".join(str(error).split("\n", 2)[:2]) if str(error) else type(error).__name__
    msg = f"{table.label} cannot be read ({' '.join(reason.split())}); write it again, or point at another table"
    return DataError(msg, field=table.kind)


def _catalog(table: LakeTable, access: Access, base: Path) -> tuple[Any, str, dict[str, str]]:
    """The catalog object, how messages name it, and (for a catalog file) where each of
    its tables' metadata lies."""
    if not isinstance(table.catalog, str):
        return table.catalog, str(getattr(table.catalog, "name", "catalog")), {}
    try:
        from pyiceberg.catalog.sql import SqlCatalog
    except ImportError:
        msg = "reading an Iceberg SQL catalog needs SQLAlchemy; install it with pip install 'ipyreport[lake]'"
        raise DataError(msg, field="catalog") from None

    file = base / table.catalog
    if not access.allows(file):
        msg = f"{table.catalog!r} is outside the spec's folder, so a shared spec cannot read it; keep the catalog next to the spec, or allow its folder with --allow-path DIR"
        raise DataError(msg, field="catalog")
    if not file.is_file():
        msg = f"catalog {table.catalog!r} does not exist; name the SQLite file of an Iceberg SQL catalog"
        raise DataError(msg, field="catalog")
    import sqlite3

    # Read only: opening a catalog must never create or change anything in it.
    uri = f"file:{file.resolve()}?mode=ro"
    try:
        with sqlite3.connect(uri, uri=True) as connection:
            rows = connection.execute(
                "select catalog_name, table_namespace, table_name, metadata_location "
                "from iceberg_tables order by 1"
            ).fetchall()
    except sqlite3.Error:
        msg = f"catalog {table.catalog!r} is not an Iceberg SQL catalog (a SQLite file with an iceberg_tables table); name the catalog pyiceberg's SqlCatalog wrote"
        raise DataError(msg, field="catalog") from None
    names = sorted({row[0] for row in rows})
    if len(names) != 1:
        msg = f"catalog {table.catalog!r} holds {len(names)} catalogs ({', '.join(names) or 'none'}); pass iceberg(..., catalog=SqlCatalog(name, uri=...)) from Python"
        raise DataError(msg, field="catalog")
    catalog = SqlCatalog(names[0], uri=f"sqlite:///{uri}&uri=true", init_catalog_tables="false")
    locations = {f"{namespace}.{name}": location for _, namespace, name, location in rows}
    return catalog, table.catalog, locations


def _tables(catalog: Any) -> list[str]:
    try:
        return sorted(
            ".".join(identifier)
            for namespace in catalog.list_namespaces()
            for identifier in catalog.list_tables(namespace)
        )
    except Exception:  # naming the tables is a courtesy; the error stands without it
        return []


def _snapshot(
    table: LakeTable,
    loaded: Any,
    snapshots: dict[int, Any],
    *,
    snapshot_id: int | None,
    moment: str | None,
    name: str,
) -> int:
    if snapshot_id is not None:
        if snapshot_id not in snapshots:
            listed = ", ".join(
                f"{number} ({_iso(s.timestamp_ms)})" for number, s in snapshots.items()
            )
            msg = (
                f"{name}={snapshot_id} of {table.label} does not exist; its snapshots are {listed}"
            )
            raise DataError(msg, field=name)
        return snapshot_id
    if moment is None:
        current: int = loaded.metadata.current_snapshot_id
        return current
    field_name = name if name == "since" else "timestamp"
    found = loaded.snapshot_as_of_timestamp(_moment(moment, field_name))
    if found is None:
        first = min(snapshots.values(), key=lambda s: s.timestamp_ms)
        msg = f"{field_name}={moment!r} is before {table.label} was written (snapshot {first.snapshot_id}, {_iso(first.timestamp_ms)}); give a later moment"
        raise DataError(msg, field=field_name)
    number: int = found.snapshot_id
    return number


def _iceberg_data(
    table: LakeTable, loaded: Any, snapshot: Any, access: Access
) -> tuple[Any, tuple[str, ...]]:
    """The snapshot's rows: an Arrow dataset over its Parquet files, and the files, when
    they can be read as they are (no deletes to apply, every column under its own name);
    otherwise pyiceberg's own reader, which applies them, into memory (and no files)."""
    import pyarrow.dataset as ds

    _check_files(table, access, [snapshot.manifest_list])
    _check_files(table, access, [entry.manifest_path for entry in snapshot.manifests(loaded.io)])
    scan = loaded.scan(snapshot_id=snapshot.snapshot_id)
    tasks = list(scan.plan_files())
    schema = loaded.schemas().get(snapshot.schema_id, loaded.schema()).as_arrow()
    locations = [task.file.file_path for task in tasks]
    deletes = [delete.file_path for task in tasks for delete in task.delete_files]
    paths = _check_files(table, access, [*locations, *deletes])[: len(locations)]
    plain = not deletes and all(task.file.file_format.name == "PARQUET" for task in tasks)
    if plain and all(isinstance(_local(location), Path) for location in locations):
        if not paths:
            return schema.empty_table(), ()
        dataset = ds.dataset(paths, format="parquet", schema=schema)
        if _every_column(dataset):
            return dataset, tuple(paths)
    return scan.to_arrow(), ()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
