"""Find the Vizzu engine files and the player's bundle that ship inside the package.

The engine files are copied from the npm package pinned in ``package-lock.json``
at build time (see ``hatch_build.py``); they are never committed. Each read is
checked against the hashes recorded when they were copied. The player's bundle
is made by esbuild at build time too; in a source checkout it is checked against
its sources on every read and rebuilt when they changed.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.util
import json
import threading
from pathlib import Path
from types import ModuleType

__all__ = [
    "VIZZU_VERSION",
    "AssetsMissingError",
    "player_bundle",
    "player_bundle_file",
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
    """The folder holding the engine files (``ipyreport/static/vendor``).

    Returns
    -------
    Path
        The folder, whether or not the files are there.

    Examples
    --------
    >>> vendor_dir().parts[-3:]
    ('ipyreport', 'static', 'vendor')
    """
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
    """The Vizzu ES module (``vizzu.min.js``), checked against the pinned hash.

    Returns
    -------
    bytes
        The module's text, UTF-8.

    Raises
    ------
    AssetsMissingError
        When the engine is not installed, is another version, or was changed
        after it was installed; the message says how to restore it.

    Examples
    --------
    >>> b"export" in vizzu_module()
    True
    """
    return _read("vizzu.min.js")


def vizzu_packed(name: str) -> bytes:
    """An engine file as the gzip the build made of it, checked against the pinned hash.

    Parameters
    ----------
    name : {"vizzu.min.js", "cvizzu.wasm"}
        The engine file.

    Returns
    -------
    bytes
        The gzip-compressed file.

    Raises
    ------
    AssetsMissingError
        As :func:`vizzu_module` raises it.

    Examples
    --------
    >>> import gzip
    >>> gzip.decompress(vizzu_packed("cvizzu.wasm")) == vizzu_wasm()
    True
    """
    return _read(f"{name}.gz")


def vizzu_wasm() -> bytes:
    r"""The Vizzu WebAssembly binary (``cvizzu.wasm``), checked against the pinned hash.

    Returns
    -------
    bytes
        The binary.

    Raises
    ------
    AssetsMissingError
        As :func:`vizzu_module` raises it.

    Examples
    --------
    >>> vizzu_wasm()[:4]
    b'\x00asm'
    """
    return _read("cvizzu.wasm")


@functools.cache
def vizzu_types() -> dict[str, object]:
    """JSON Schemas of the engine's config, style and animation options.

    Made from the engine's own ``.d.ts`` files at build time; steps are
    checked against them.

    Returns
    -------
    dict
        ``animation``, ``config``, ``style`` and ``vizzu`` schemas.

    Raises
    ------
    AssetsMissingError
        As :func:`vizzu_module` raises it.

    Examples
    --------
    >>> sorted(vizzu_types())
    ['animation', 'config', 'style', 'vizzu']
    """
    types: dict[str, object] = json.loads(_read("vizzu-schema.json"))
    return types


def _checkout_builder() -> ModuleType | None:
    """``hatch_build.py`` of the source checkout this package runs from (None when
    installed from a wheel: its bundle was made with it and cannot go stale)."""
    root = Path(__file__).resolve().parent.parent
    script = root / "hatch_build.py"
    if not (script.exists() and (root / "pyproject.toml").exists()):
        return None
    return _load_builder(str(script))


@functools.cache
def _load_builder(script: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location("_ipyreport_build", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_bundle_lock = threading.Lock()
_bundle_checked: list[object] = [None]  # what the sources looked like when last found current


def _fresh(builder: ModuleType) -> None:
    """Rebuild the checkout's bundle if its sources changed since it was made (esbuild
    must be installed: ``npm ci``); a stale bundle is never shipped."""
    with _bundle_lock:
        looked = [(str(path), path.stat().st_mtime_ns) for path in builder.bundle_sources()]
        stamp = builder.BUNDLE_STAMP
        looked.append((str(stamp), stamp.stat().st_mtime_ns if stamp.exists() else None))
        if _bundle_checked[0] == looked:
            return
        try:
            builder.bundle(install=False)
        except builder.VendorError as error:
            raise AssetsMissingError(str(error)) from None
        looked[-1] = (str(stamp), stamp.stat().st_mtime_ns)
        _bundle_checked[0] = looked


def player_bundle(name: str = "page") -> str:
    """The player's bundle ``name``: one ES module.

    Parameters
    ----------
    name : str, default "page"
        An entry of ``hatch_build.ENTRIES``: ``"page"`` (the HTML player),
        ``"widget"``, ``"panel"`` or ``"streamlit"``.

    Returns
    -------
    str
        The module's text.

    Raises
    ------
    AssetsMissingError
        As :func:`player_bundle_file` raises it.

    Examples
    --------
    >>> " as start}" in player_bundle()
    True
    """
    return player_bundle_file(name).read_text(encoding="utf-8")


def player_bundle_file(name: str = "page") -> Path:
    """The file of the player's bundle ``name``, current.

    For a host that loads a module from a path, such as anywidget's
    ``_esm``. In a source checkout a bundle older than its sources is built
    again first (esbuild must be installed: ``npm ci``).

    Parameters
    ----------
    name : str, default "page"
        An entry of ``hatch_build.ENTRIES``.

    Returns
    -------
    Path
        The bundle's file.

    Raises
    ------
    AssetsMissingError
        When the bundle is missing or cannot be built again.

    Examples
    --------
    >>> player_bundle_file("widget").name
    'widget.js'
    """
    builder = _checkout_builder()
    folder = Path(__file__).resolve().parent / "static" / "bundle"
    if builder is not None:
        _fresh(builder)
        folder = builder.BUNDLE
    path: Path = folder / f"{name}.js"
    if not path.exists():
        msg = f"the player's bundle {path} is missing; {RESTORE_HINT}"
        raise AssetsMissingError(msg)
    return path
