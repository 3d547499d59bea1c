"""What a spec may reach: the files in its folder (and folders the user allows), and no code.

A spec is data that people share; building one must not read a file the
author should not see, write anything, reach a network or run code unless
the person building it says so. :class:`Access` says what is allowed:
``folders`` (the spec's own, plus any given with ``--allow-path``) and
``code`` (``python:`` data sources, ``--allow-code``).

SQL runs in a DuckDB connection that can read only inside those folders
and cannot write, attach, install or load extensions, or change its own
settings; the query must be a single ``SELECT``, and relative file names
in it are taken relative to the spec's folder. It holds at most
``memory_limit`` in memory and spills what does not fit to a temporary
folder of its own, removed when the connection goes.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import tempfile
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ipyreport._errors import SpecError

__all__ = ["DEFAULT_MEMORY_LIMIT", "Access", "locked_connection", "select_only", "spill_folder"]

# What DuckDB may hold in memory while it reads a lazy source; the rest spills to disk.
DEFAULT_MEMORY_LIMIT = "256MB"


@dataclass(frozen=True)
class Access:
    """The folders a spec's data may come from, and whether it may run code.

    Parameters
    ----------
    folders : tuple of Path or None
        The folders files may be read from; ``None`` allows every file (what
        a notebook's own cell may read).
    code : bool, default False
        Whether ``python:`` data sources may run.
    memory_limit : str, default "256MB"
        What DuckDB may hold in memory while it reads the spec's ``path:`` or
        ``sql:`` data (a DuckDB size: ``"256MB"``, ``"2GB"``).
    progress : bool, default True
        Whether DuckDB may draw its progress bar for a long read (the command
        line asks for it only in a terminal, and not with ``-q``).

    Examples
    --------
    >>> from pathlib import Path
    >>> shared = Access(folders=(Path("/data/shared"),))
    >>> shared.allows(Path("/data/shared/q3.parquet")), shared.allows(Path("/etc/passwd"))
    (True, False)
    """

    folders: tuple[Path, ...] | None
    code: bool = False
    memory_limit: str = DEFAULT_MEMORY_LIMIT
    progress: bool = True

    @classmethod
    def everything(cls) -> Access:
        """Anything: for specs a user writes in their own notebook.

        Returns
        -------
        Access
            Every file, and code.

        Examples
        --------
        >>> Access.everything().code
        True
        """
        return cls(folders=None, code=True)

    @classmethod
    def for_spec(
        cls,
        spec: Path,
        *,
        folders: Sequence[str | os.PathLike[str]] = (),
        code: bool = False,
        memory_limit: str = DEFAULT_MEMORY_LIMIT,
        progress: bool = True,
    ) -> Access:
        """The spec's own folder, plus ``folders``; code only when ``code``.

        What ``ipyreport build`` allows, with ``--allow-path`` and
        ``--allow-code``.

        Parameters
        ----------
        spec : Path
            The spec file.
        folders : sequence of str or os.PathLike, default ()
            Further folders the data may come from.
        code : bool, default False
            Whether ``python:`` data sources may run.
        memory_limit : str, default "256MB"
            What DuckDB may hold in memory.
        progress : bool, default True
            Whether DuckDB may draw its progress bar.

        Returns
        -------
        Access
            The folders resolved to absolute paths.

        Raises
        ------
        SpecError
            When one of ``folders`` does not exist or is not a folder.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     access = Access.for_spec(Path(folder, "sales.yaml"))
        ...     access.allows(Path(folder, "q3.parquet")), access.allows(Path(folder).parent), access.code
        (True, False, False)
        """
        for folder in folders:
            if not Path(folder).is_dir():
                what = "does not exist" if not Path(folder).exists() else "is not a folder"
                msg = f"--allow-path {os.fspath(folder)!r}: {what}; name a folder the spec reads data from"
                raise SpecError(msg)
        roots = [spec.parent, *map(Path, folders)]
        return cls(
            folders=tuple(root.resolve() for root in roots),
            code=code,
            memory_limit=memory_limit,
            progress=progress,
        )

    def allows(self, path: Path) -> bool:
        """Whether ``path`` (a file, folder or glob) lies inside an allowed folder.

        Symbolic links inside an allowed folder must not lead out of it.

        Parameters
        ----------
        path : Path
            What the spec would read.

        Returns
        -------
        bool
            ``True`` when every file it names is inside an allowed folder.

        Examples
        --------
        >>> from pathlib import Path
        >>> Access(folders=(Path("/data"),)).allows(Path("/data/../etc/*.conf"))
        False
        """
        if self.folders is None:
            return True
        fixed = Path(*_fixed_part(path)).resolve()
        if not any(fixed.is_relative_to(root) for root in self.folders):
            return False
        # Symbolic links inside an allowed folder must not lead out of it.
        matches = glob.glob(str(path), recursive=True) if glob.has_magic(str(path)) else [path]
        return all(
            any(Path(match).resolve().is_relative_to(root) for root in self.folders)
            for match in matches
        )


def _fixed_part(path: Path) -> list[str]:
    parts = []
    for part in path.parts:
        if glob.has_magic(part):
            break
        parts.append(part)
    return parts or ["."]


def spill_folder(connection: Any) -> None:
    """Let ``connection`` spill what does not fit its memory limit to a folder of its own.

    The folder is made now, private to this process, and removed with
    everything in it when the connection is closed and collected.
    """
    folder = tempfile.mkdtemp(prefix="ipyreport-spill-")
    connection.execute("SET temp_directory = ?", [folder])
    weakref.finalize(connection, shutil.rmtree, folder, ignore_errors=True)


def locked_connection(access: Access, memory_limit: str | None = None) -> Any:
    """A DuckDB connection that reads only inside ``access.folders`` and changes nothing.

    It holds at most ``memory_limit`` (default: ``access.memory_limit``) and
    spills the rest to a temporary folder of its own (see :func:`spill_folder`).
    """
    import duckdb

    connection = duckdb.connect()
    try:
        connection.execute("SET memory_limit = ?", [memory_limit or access.memory_limit])
    except duckdb.Error:
        msg = f"memory limit {memory_limit or access.memory_limit!r} is not a size; write it as DuckDB does, for example 512MB or 2GB"
        raise SpecError(msg) from None
    spill_folder(connection)
    # Parallel float sums add in a varying order; one thread keeps rebuilds identical.
    connection.execute("SET threads = 1")
    connection.execute("SET TimeZone = 'UTC'")
    connection.execute(f"SET enable_progress_bar = {'true' if access.progress else 'false'}")
    if access.folders is not None:
        folders = [str(folder) + os.sep for folder in access.folders]
        connection.execute("SET allowed_directories = ?", [folders])
        connection.execute("SET enable_external_access = false")
    connection.execute("SET autoinstall_known_extensions = false")
    connection.execute("SET autoload_known_extensions = false")
    connection.execute("SET lock_configuration = true")
    return connection


def select_only(connection: Any, sql: str, base: Path) -> str:
    """``sql`` checked to be one ``SELECT``, with relative file names made absolute from ``base``.

    Raises :class:`SpecError` (without a location; the caller adds it).
    """
    parsed = json.loads(connection.execute("SELECT json_serialize_sql(?)", [sql]).fetchall()[0][0])
    if parsed.get("error"):
        problem = parsed.get("error_message", "")
        if "Only SELECT" in problem:
            problem = "it must be a single SELECT; a spec's query cannot write, attach, install or change settings"
        msg = f"the query is refused: {problem}"
        raise SpecError(msg)
    if len(parsed["statements"]) != 1:
        msg = f"the query holds {len(parsed['statements'])} statements; a spec's query is a single SELECT"
        raise SpecError(msg)
    _anchor(parsed, base.resolve())
    rewritten: str = connection.execute(
        "SELECT json_deserialize_sql(?)", [json.dumps(parsed)]
    ).fetchall()[0][0]
    return rewritten


def _absolute(text: str, base: Path) -> str:
    if "://" in text or os.path.isabs(text):
        return text
    candidate = base / text
    if candidate.exists() or (glob.has_magic(text) and glob.glob(str(candidate), recursive=True)):
        return os.path.normpath(candidate)
    return text


def file_names(parsed: Any) -> list[tuple[dict[str, Any], str]]:
    """Where a parsed query (``json_serialize_sql``) names files: ``(holder, key)`` pairs whose
    ``holder[key]`` is a string given to a table function or a file-like table name."""
    found: list[tuple[dict[str, Any], str]] = []

    def walk(node: Any, inside: bool) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, inside)
            return
        if not isinstance(node, dict):
            return
        literal = node.get("literal")
        if (
            inside
            and node.get("class") == "CONSTANT"
            and isinstance(literal, dict)
            and literal.get("kind") == "STRING"
        ):
            found.append((literal, "text"))
        if node.get("type") == "BASE_TABLE" and "." in str(node.get("table_name")):
            found.append((node, "table_name"))
        for value in node.values():
            walk(value, inside or node.get("type") == "TABLE_FUNCTION")

    walk(parsed, inside=False)
    return found


def _anchor(parsed: Any, base: Path) -> None:
    """Make file names in table functions and file-like table names absolute, in place."""
    for holder, key in file_names(parsed):
        name = _absolute(str(holder[key]), base)
        holder[key] = name
        if key == "table_name" and isinstance(holder.get("qualified_name"), dict):
            holder["qualified_name"]["path"] = [name]
