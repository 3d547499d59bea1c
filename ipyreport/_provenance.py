"""Where a built story came from: its spec, parameters, data fingerprint, versions and time.

Every story built from a spec records its provenance in its document (the
player's Info panel shows it) so that anyone holding the file can say
later what it was made from. The data's fingerprint names the files read,
with their size and content hash (or modification time, for data over
:data:`HASH_LIMIT`), and the SQL run with its bound parameters; a source
kind that knows more (a lake table's version) fills its own entry through
:data:`FINGERPRINTS`. :func:`changes` compares a recorded fingerprint with
the data as it is now (``ipyreport build --check-fresh``).
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os
import platform
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ipyreport._access import file_names
from ipyreport._errors import IpyreportError

__all__ = [
    "FINGERPRINTS",
    "HASH_LIMIT",
    "PDF_PROVENANCE",
    "built_at",
    "changes",
    "fingerprint",
    "made_from",
    "provenance_of",
    "recorded",
    "versions",
]

# A source's files are hashed when together they hold at most this many bytes;
# beyond, each file's size and modification time stand for its content.
HASH_LIMIT = 64 * 1024 * 1024

Fingerprint = Callable[[Mapping[str, Any], Path], dict[str, Any]]


def _files(paths: list[Path], base: Path) -> list[dict[str, Any]]:
    """Each file's path (relative to ``base``), size and content hash or modification time."""
    found = sorted({path.resolve() for path in paths if path.is_file()})
    total = sum(path.stat().st_size for path in found)
    entries = []
    for path in found:
        status = path.stat()
        entry: dict[str, Any] = {
            "path": Path(os.path.relpath(path, base.resolve())).as_posix(),
            "size": status.st_size,
        }
        if total <= HASH_LIMIT:
            entry["sha256"] = _sha256(path)
        else:
            entry["mtime"] = _instant(status.st_mtime_ns / 1e9)
        entries.append(entry)
    return entries


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _instant(seconds: float) -> str:
    moment = dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def _expand(pattern: Path) -> list[Path]:
    """The files a path, folder or glob names (hidden files left out, as readers do)."""
    text = str(pattern)
    if glob.has_magic(text):
        matches = [Path(match) for match in glob.glob(text, recursive=True)]
    elif pattern.is_dir():
        matches = [path for path in pattern.rglob("*") if path.is_file()]
    else:
        matches = [pattern]
    return [path for path in matches if not any(part.startswith(".") for part in path.parts[-1:])]


def _path_source(spec: Mapping[str, Any], base: Path) -> dict[str, Any]:
    return {
        "kind": "path",
        "path": spec["path"],
        "files": _files(_expand(base / spec["path"]), base),
    }


def _sql_source(spec: Mapping[str, Any], base: Path) -> dict[str, Any]:
    from ipyreport._params import bind_sql

    sql = spec["sql"]
    # The query with its parameters as bound (not their values): the files it names.
    written, _ = bind_sql(sql, _Anything())
    return {
        "kind": "sql",
        "sql": sql,
        "parameters": dict(spec.get("parameters") or {}),
        "files": _files(_sql_files(written, base), base),
    }


class _Anything(dict[str, Any]):
    """Every parameter name, bound to nothing: enough to find the files a query reads."""

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: str) -> Any:
        return None


def _sql_files(sql: str, base: Path) -> list[Path]:
    """The files a query reads: the strings its table functions are given, and table names
    that are file names, taken relative to ``base``."""
    import duckdb

    connection = duckdb.connect()
    try:
        parsed = json.loads(
            connection.execute("SELECT json_serialize_sql(?)", [sql]).fetchall()[0][0]
        )
    finally:
        connection.close()
    names = [str(holder[key]) for holder, key in file_names(parsed.get("statements", []))]
    paths: list[Path] = []
    for name in names:
        if "://" in name:
            continue
        paths.extend(_expand(Path(name) if os.path.isabs(name) else base / name))
    return paths


def _sample_source(spec: Mapping[str, Any], base: Path) -> dict[str, Any]:
    return {
        "kind": "sample",
        **{key: spec[key] for key in ("sample", "rows", "seed") if key in spec},
    }


def _python_source(spec: Mapping[str, Any], base: Path) -> dict[str, Any]:
    return {"kind": "python", "function": spec["python"]}


def _variable_source(spec: Mapping[str, Any], base: Path) -> dict[str, Any]:
    return {"kind": "variable", "variable": spec["variable"]}


def _lake_source(spec: Mapping[str, Any], base: Path) -> dict[str, Any]:
    from ipyreport.lake import spec_fingerprint

    return spec_fingerprint(spec, base)


# Per data source kind (the key that names it under data:), what stands for its content
# now: a mapping with "kind", the spec's own fields for the source (so that it can be
# taken again to compare), and "files" (path, size, sha256 or mtime) where files are
# read. A source kind added later registers its own, under names of its own for what it
# measures (a lake table: the version or snapshot it read, beside the spec's pinned one).
FINGERPRINTS: dict[str, Fingerprint] = {
    "path": _path_source,
    "sql": _sql_source,
    "sample": _sample_source,
    "python": _python_source,
    "variable": _variable_source,
    "delta": _lake_source,
    "iceberg": _lake_source,
}


def fingerprint(data: Mapping[str, Any], base: Path) -> dict[str, Any]:
    """What stands for the content of the spec's ``data:`` now (paths relative to ``base``)."""
    kind = next((key for key in FINGERPRINTS if key in data), None)
    if kind is None:
        return {"kind": "unknown"}
    return FINGERPRINTS[kind](data, base)


def versions() -> dict[str, str]:
    """The versions of what made the story: ipyreport, the Vizzu engine, DuckDB, Arrow, Python."""
    import duckdb
    import pyarrow

    from ipyreport._version import __version__
    from ipyreport.assets import VIZZU_VERSION

    return {
        "ipyreport": __version__,
        "vizzu": VIZZU_VERSION,
        "duckdb": duckdb.__version__,
        "pyarrow": pyarrow.__version__,
        "python": platform.python_version(),
    }


def built_at() -> str:
    """The build time, ISO 8601 in UTC: ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    from ipyreport.export.html import source_date

    moment = source_date() or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


def provenance_of(
    *,
    spec: str,
    resolved: Mapping[str, Any],
    parameters: Mapping[str, Any],
    overrides: list[str],
    data: Mapping[str, Any],
) -> dict[str, Any]:
    """A story's provenance record, as its document holds it: what a reader of the Info
    panel looks for first, the resolved spec (long) last."""
    return {
        "spec": spec,
        "built": built_at(),
        "parameters": dict(parameters),
        "overrides": overrides,
        "data": dict(data),
        "versions": versions(),
        "resolved": resolved,
    }


def changes(recorded: Mapping[str, Any], base: Path) -> list[str]:
    """What differs between a recorded data fingerprint (``provenance["data"]["source"]``)
    and the data as it is now, in words; empty when nothing has changed.

    Raises :class:`IpyreportError` when the source cannot be compared (Python code, a
    notebook variable).
    """
    kind = recorded.get("kind")
    if kind in ("python", "variable"):
        msg = f"the data comes from {kind} code, which cannot be re-read to compare; rebuild to be sure"
        raise IpyreportError(msg)
    if kind not in FINGERPRINTS:
        msg = f"the data's kind {kind!r} is not one this ipyreport can read; rebuild with it to compare"
        raise IpyreportError(msg)
    # A fingerprint holds the spec's own fields for its source, so it can be taken again.
    current = FINGERPRINTS[str(kind)](
        {key: value for key, value in recorded.items() if key not in ("kind", "files")}, base
    )
    said: list[str] = []
    before = {entry["path"]: entry for entry in recorded.get("files", [])}
    after = {entry["path"]: entry for entry in current.get("files", [])}
    for path in sorted(before.keys() | after.keys()):
        old, new = before.get(path), after.get(path)
        if new is None:
            said.append(f"{path} is gone")
        elif old is None:
            said.append(f"{path} is new")
        elif old["size"] != new["size"]:
            said.append(f"{path} changed size ({old['size']:,} → {new['size']:,} bytes)")
        elif "sha256" in old:
            now = new.get("sha256") or _sha256(base / path)
            if now != old["sha256"]:
                said.append(f"{path} changed content (sha256 {old['sha256'][:12]} → {now[:12]})")
        elif old.get("mtime") != new.get("mtime", old.get("mtime")):
            said.append(f"{path} was modified ({old.get('mtime')} → {new.get('mtime')})")
    for key in sorted((recorded.keys() | current.keys()) - {"files"}):
        if recorded.get(key) != current.get(key):
            said.append(f"{key}: {recorded.get(key)!r:.60} → {current.get(key)!r:.60}")
    return said


# The key of a PDF handout's document information that holds its provenance record.
PDF_PROVENANCE = "IpyreportProvenance"


def _from_pdf(path: Path, handout: bytes) -> dict[str, Any] | None:
    """The provenance a handout's document information holds (the last one written)."""
    found = re.findall(rb"/" + PDF_PROVENANCE.encode("ascii") + rb" <FEFF([0-9A-F]*)>", handout)
    if not found:
        return None
    try:
        record = json.loads(bytes.fromhex(found[-1].decode("ascii")).decode("utf-16-be"))
    except ValueError:
        msg = f"{path}: its provenance cannot be read; build it again"
        raise IpyreportError(msg) from None
    return record if isinstance(record, dict) else None


def made_from(provenance: Mapping[str, Any] | None) -> str:
    """One line on how a story was made, for outputs without an Info panel (a handout,
    a deck's properties): its spec, parameters, data hash and build time."""
    if provenance is None:
        return "Made with ipyreport from the ipyreport Python API."
    said = f"Made with ipyreport from {provenance['spec']}"
    if provenance.get("parameters"):
        said += " (" + ", ".join(f"{k}={v}" for k, v in provenance["parameters"].items()) + ")"
    data = provenance.get("data")
    if data:
        said += f", data sha256 {data['sha256'][:12]}"
    if provenance.get("built"):
        said += f", built {provenance['built']}"
    return said + "."


def recorded(path: Path) -> list[tuple[Path, dict[str, Any]]]:
    """The provenance each deck at ``path`` records: an HTML file, a PDF handout (its
    document information), or a multirun folder (its ``provenance.json``). Raises :class:`IpyreportError` saying why it cannot be read."""
    if path.is_dir():
        record = path / "provenance.json"
        try:
            listed = json.loads(record.read_text(encoding="utf-8"))["decks"]
        except (OSError, ValueError, KeyError, TypeError):
            msg = f"{path}: is not a multirun folder (no readable provenance.json); name a deck or such a folder"
            raise IpyreportError(msg) from None
        return [(path / deck["file"], deck["provenance"]) for deck in listed if deck.get("file")]
    try:
        content = path.read_bytes()
        page = "" if content.startswith(b"%PDF-") else content.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        msg = f"{path}: cannot be read ({getattr(error, 'strerror', None) or error}); name a deck built by ipyreport"
        raise IpyreportError(msg) from None
    if not page:
        return _checkable(path, _from_pdf(path, content))
    opening = re.search(r'<script type="application/json" id="ipyreport-story[^"]*">', page)
    if opening is None:
        msg = f"{path}: holds no ipyreport story; name a deck built by ipyreport build"
        raise IpyreportError(msg)
    end = page.find("</script>", opening.end())
    try:
        provenance = json.loads(page[opening.end() : end]).get("provenance")
    except ValueError:
        msg = f"{path}: its story cannot be read; build it again"
        raise IpyreportError(msg) from None
    return _checkable(path, provenance)


def _checkable(path: Path, provenance: Any) -> list[tuple[Path, dict[str, Any]]]:
    if not provenance or "specPath" not in provenance:
        msg = (
            f"{path}: records no spec it was built from (made with the Python API, or an "
            "ipyreport before 0.2), so its data cannot be checked; build it with ipyreport build"
        )
        raise IpyreportError(msg)
    return [(path, provenance)]
