"""Find the Vizzu engine files that ship inside the package.

The files are copied from the npm package pinned in ``package-lock.json`` at
build time (see ``hatch_build.py``); they are never committed. Each read is
checked against the hashes recorded when they were copied.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from pathlib import Path

__all__ = [
    "VIZZU_VERSION",
    "AssetsMissingError",
    "vendor_dir",
    "vizzu_module",
    "vizzu_packed",
    "vizzu_types",
    "vizzu_wasm",
]

VIZZU_VERSION = "0.16.1"
RESTORE_HINT = (
    "from a source checkout run `./dev setup` (it runs `npm ci` and copies the "
    "engine), or reinstall ipyreport from its wheel"
)


class AssetsMissingError(RuntimeError):
    """The Vizzu engine files are missing or do not match what was pinned."""


def vendor_dir() -> Path:
    """The folder holding the engine files (``ipyreport/static/vendor``)."""
    return Path(__file__).resolve().parent / "static" / "vendor"


@functools.cache
def _manifest() -> dict[str, str]:
    stamp = vendor_dir() / "SOURCE.json"
    if not stamp.exists():
        msg = f"the Vizzu engine is not installed: {stamp} is missing; {RESTORE_HINT}"
        raise AssetsMissingError(msg)
    source = json.loads(stamp.read_text(encoding="utf-8"))
    if source.get("version") != VIZZU_VERSION:
        msg = (
            f"the installed Vizzu engine is version {source.get('version')}, but this "
            f"ipyreport needs {VIZZU_VERSION}; {RESTORE_HINT}"
        )
        raise AssetsMissingError(msg)
    files: dict[str, str] = source["files"]
    return files


@functools.cache
def _read(name: str) -> bytes:
    expected = _manifest().get(name)
    path = vendor_dir() / name
    if expected is None or not path.exists():
        msg = f"the Vizzu engine file {path} is missing; {RESTORE_HINT}"
        raise AssetsMissingError(msg)
    data = path.read_bytes()
    actual = "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")
    if actual != expected:
        msg = f"the Vizzu engine file {path} was changed after it was installed (hash {actual}, expected {expected}); {RESTORE_HINT}"
        raise AssetsMissingError(msg)
    return data


def vizzu_module() -> bytes:
    """The Vizzu ES module (``vizzu.min.js``).

    >>> b"export" in vizzu_module()
    True
    """
    return _read("vizzu.min.js")


def vizzu_packed(name: str) -> bytes:
    """An engine file (``"vizzu.min.js"`` or ``"cvizzu.wasm"``) as the gzip the build made of it.

    >>> import gzip
    >>> gzip.decompress(vizzu_packed("cvizzu.wasm")) == vizzu_wasm()
    True
    """
    return _read(f"{name}.gz")


def vizzu_wasm() -> bytes:
    """The Vizzu WebAssembly binary (``cvizzu.wasm``).

    >>> vizzu_wasm()[:4]
    b'\\x00asm'
    """
    return _read("cvizzu.wasm")


@functools.cache
def vizzu_types() -> dict[str, object]:
    """JSON Schemas of the engine's config, style and animation options, made from its own
    ``.d.ts`` files at build time.

    >>> sorted(vizzu_types())
    ['animation', 'config', 'style', 'vizzu']
    """
    types: dict[str, object] = json.loads(_read("vizzu-schema.json"))
    return types
