"""Copy the pinned Vizzu engine from npm into ``ipyreport/static/vendor``, and
bundle the player's JavaScript into ``ipyreport/static/bundle``.

The engine is third-party code: it is pinned in ``package-lock.json`` and
never committed. This hook (run by hatchling on every wheel, sdist and
editable build, or by hand with ``python hatch_build.py``) asks npm for the
exact tarball the lock names, checks it against the lock's ``integrity``
hash, and extracts the files ipyreport ships. A stamp file records which
tarball the copies came from, so an up-to-date tree is left alone.

The player's modules import each other; esbuild (pinned in package-lock.json)
bundles each entry of ``ENTRIES`` into one ES module. The bundle records a hash
of the sources it was made from, so a source checkout can tell when it is stale
(``ipyreport.assets.player_bundle`` rebuilds it then, or names the command).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
VENDOR = ROOT / "ipyreport" / "static" / "vendor"
STAMP = VENDOR / "SOURCE.json"
PACKAGE = "vizzu"
# tarball member -> file name in ipyreport/static/vendor
FILES = {
    "package/dist/vizzu.min.js": "vizzu.min.js",
    "package/dist/cvizzu.wasm": "cvizzu.wasm",
    "package/LICENSE": "LICENSE.vizzu",
}
# Engine files also kept compressed (zopfli: gzip a browser inflates, 5% smaller
# than gzip -9), since every exported story carries them.
PACKED = {"vizzu.min.js": "vizzu.min.js.gz", "cvizzu.wasm": "cvizzu.wasm.gz"}
# Strings that would end or confuse the inline <script> the engine is pasted into.
FORBIDDEN_IN_SCRIPT = (b"</script", b"<!--")


class VendorError(RuntimeError):
    """The engine could not be fetched or did not match the lock file."""


def locked_package() -> dict[str, str]:
    """Return the version and integrity hash that package-lock.json pins."""
    lock_path = ROOT / "package-lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    entry = lock.get("packages", {}).get(f"node_modules/{PACKAGE}")
    if not entry or "integrity" not in entry:
        msg = f"{lock_path} does not pin {PACKAGE!r}; run `npm install` to regenerate it"
        raise VendorError(msg)
    return {
        "name": PACKAGE,
        "version": entry["version"],
        "integrity": entry["integrity"],
    }


def _integrity_of(data: bytes, algorithm: str) -> str:
    digest = hashlib.new(algorithm, data).digest()
    return f"{algorithm}-{base64.b64encode(digest).decode('ascii')}"


def _fetch_tarball(spec: dict[str, str], workdir: Path) -> bytes:
    npm = shutil.which("npm")
    if npm is None:
        msg = (
            "npm is needed to fetch the Vizzu engine but was not found on PATH; "
            "install Node.js (with npm), then run `./dev setup`"
        )
        raise VendorError(msg)
    packed = _json_output(
        [npm, "pack", f"{PACKAGE}@{spec['version']}", "--json", "--pack-destination", str(workdir)],
        f"`npm pack {PACKAGE}@{spec['version']}`",
        cwd=workdir,
    )
    filename: str = packed[0]["filename"]
    return (workdir / filename).read_bytes()


def _json_output(command: list[str], what: str, cwd: Path | None = None) -> Any:
    """What ``command`` prints, read as JSON; a failure says what failed and why."""
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        msg = f"{what} failed:\n{result.stderr.strip()}"
        raise VendorError(msg)
    return json.loads(result.stdout)


def _check_script_safe(name: str, data: bytes) -> None:
    lowered = data.lower()
    for needle in FORBIDDEN_IN_SCRIPT:
        if needle in lowered:
            msg = (
                f"{name} contains {needle.decode()!r}, which would break the inline "
                "<script> ipyreport pastes it into; this engine version needs an "
                "escaping step before it can be shipped"
            )
            raise VendorError(msg)


# The engine's own types (its .d.ts files) as JSON Schema, for checking what
# a story will hand the engine before it reaches a browser.
SCHEMA = "vizzu-schema.json"
TYPES = {
    "config": ("config.d.ts", "Chart"),
    "style": ("styles.d.ts", "Chart"),
    "animation": ("anim.d.ts", "Options"),
}
GENERATOR = ROOT / "node_modules" / ".bin" / "ts-json-schema-generator"
# Template-literal types the generator can only call "string", written out.
DURATION = {
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*(s|ms)?\s*$"},
    ]
}
EASING = {
    "anyOf": [
        {
            "enum": [
                "none",
                "linear",
                "step-start",
                "step-end",
                "ease",
                "ease-in",
                "ease-out",
                "ease-in-out",
            ]
        },
        {"type": "string", "pattern": r"^cubic-bezier\(\s*-?[\d.]+\s*(,\s*-?[\d.]+\s*){3}\)$"},
    ]
}


def _engine_types(archive: tarfile.TarFile, version: str) -> bytes:
    """JSON Schemas of the engine's config, style and animation options, from its .d.ts."""
    if not GENERATOR.exists():
        npm = shutil.which("npm")
        if npm is None:
            msg = "npm is needed to read the Vizzu engine's types; install Node.js (with npm)"
            raise VendorError(msg)
        subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=ROOT,
            check=True,
        )
    schemas: dict[str, Any] = {"vizzu": version}
    with tempfile.TemporaryDirectory() as tmp:
        for member in archive.getmembers():
            if (
                member.isfile()
                and member.name.startswith("package/dist/")
                and member.name.endswith(".d.ts")
            ):
                target = Path(tmp) / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                assert source is not None
                target.write_bytes(source.read())
        for part, (file, type_name) in TYPES.items():
            typed = _json_output(
                [
                    str(GENERATOR),
                    "--path",
                    str(Path(tmp) / "package" / "dist" / "types" / file),
                    "--type",
                    type_name,
                    "--no-type-check",
                    "--expose",
                    "none",
                ],
                f"reading the engine's {file}",
            )
            schemas[part] = _as_engine_reads(typed)
    _with_shorthands(schemas["config"])
    return (json.dumps(schemas, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _as_engine_reads(node: Any) -> Any:
    """Fit the typed schema to what the engine accepts: a series may be named by a
    plain string, and durations and easings follow their template-literal types."""
    if isinstance(node, list):
        return [_as_engine_reads(item) for item in node]
    if not isinstance(node, dict):
        return node
    properties = node.get("properties")
    if node.get("type") == "object" and properties and set(properties) <= {"name", "aggregator"}:
        return {"anyOf": [{"type": "string"}, {k: _as_engine_reads(v) for k, v in node.items()}]}
    result = {}
    for key, value in node.items():
        if key != "properties":
            result[key] = _as_engine_reads(value)
            continue
        fields = {}
        for name, field in value.items():
            described = {"description": field["description"]} if "description" in field else {}
            if name in ("duration", "delay") and field.get("type") == ["string", "number"]:
                fields[name] = {**DURATION, **described}
            elif name == "easing" and field.get("type") == "string":
                fields[name] = {**EASING, **described}
            else:
                fields[name] = _as_engine_reads(field)
        result[key] = fields
    return result


def _with_shorthands(config: dict[str, Any]) -> None:
    """Channels written the short ways the engine reads (its docs say so; its types do not):
    ``x: "Region"``, ``x: ["Region", "Product"]``, ``set: "Region"``, and the channels
    directly on the config (``{"x": "Region"}``)."""
    chart = config["definitions"]["Chart"]["properties"]
    channels = chart["channels"]["properties"]
    for name, channel in list(channels.items()):
        fields = channel.get("properties", {})
        listed = next(option for option in fields["set"]["anyOf"] if option.get("type") == "array")
        single = listed["items"]
        for key in ("set", "attach", "detach"):
            if key in fields:
                fields[key] = {"anyOf": [fields[key], single]}
        shorthand = {"anyOf": [channel, single, listed, {"type": "null"}]}
        channels[name] = shorthand
        chart[name] = shorthand


def _zopfli(data: bytes) -> bytes:
    """``data`` as gzip, compressed as hard as zopfli can (deterministic: no timestamp)."""
    try:
        import zopfli.gzip  # type: ignore[import-untyped]
    except ImportError as error:
        msg = "building ipyreport needs zopfli to compress the engine: pip install zopfli"
        raise VendorError(msg) from error
    packed: bytes = zopfli.gzip.compress(data, numiterations=15)
    if gzip.decompress(packed) != data:
        msg = "zopfli's output does not inflate to the engine file"
        raise VendorError(msg)
    return packed


def is_current(spec: dict[str, Any]) -> bool:
    """Whether the vendor folder already holds the files of this locked tarball."""
    names = [*FILES.values(), *PACKED.values(), SCHEMA]
    if not STAMP.exists() or not all((VENDOR / name).exists() for name in names):
        return False
    stamp = json.loads(STAMP.read_text(encoding="utf-8"))
    if stamp.get("integrity") != spec["integrity"]:
        return False
    return all(
        _integrity_of((VENDOR / name).read_bytes(), "sha256") == digest
        for name, digest in stamp.get("files", {}).items()
    )


def vendor() -> bool:
    """Extract the locked engine files into the vendor folder; return True if copied."""
    spec = locked_package()
    if is_current(spec):
        return False
    with tempfile.TemporaryDirectory() as tmp:
        tarball = _fetch_tarball(spec, Path(tmp))
    algorithm = spec["integrity"].split("-", 1)[0]
    actual = _integrity_of(tarball, algorithm)
    if actual != spec["integrity"]:
        msg = (
            f"the {PACKAGE} {spec['version']} tarball npm returned has integrity {actual}, "
            f"but package-lock.json pins {spec['integrity']}; refusing to ship it"
        )
        raise VendorError(msg)
    VENDOR.mkdir(parents=True, exist_ok=True)
    hashes = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member, name in FILES.items():
            extracted = archive.extractfile(member)
            if extracted is None:
                msg = f"{member} is missing from the {PACKAGE} {spec['version']} tarball"
                raise VendorError(msg)
            data = extracted.read()
            if name.endswith(".js"):
                _check_script_safe(name, data)
            (VENDOR / name).write_bytes(data)
            hashes[name] = _integrity_of(data, "sha256")
            if name in PACKED:
                packed = _zopfli(data)
                (VENDOR / PACKED[name]).write_bytes(packed)
                hashes[PACKED[name]] = _integrity_of(packed, "sha256")
        types = _engine_types(archive, spec["version"])
    (VENDOR / SCHEMA).write_bytes(types)
    hashes[SCHEMA] = _integrity_of(types, "sha256")
    stamp = {**spec, "files": hashes}
    STAMP.write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
    return True


# The player's bundles, each one ES module: bundle name -> entry module. A new
# entry (a host) is one line here; it is built to ipyreport/static/bundle/<name>.js.
ENTRIES = {
    # The player, its host the exported page (the other hosts load it for `start`).
    "page": "ipyreport/hosts/page.js",
    # The player's hosts: anywidget (notebooks, marimo), Panel, Streamlit.
    "widget": "ipyreport/notebook/widget.js",
    "panel": "ipyreport/hosts/panel.js",
    "streamlit": "ipyreport/hosts/streamlit.js",
}
PACKAGE_DIR = ROOT / "ipyreport"
BUNDLE = PACKAGE_DIR / "static" / "bundle"
BUNDLE_STAMP = BUNDLE / "SOURCE.json"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
# How esbuild bundles: one ES module per entry, minified names and all, since every
# exported story carries it (its fixed cost is held to 240 KB).
BUNDLE_OPTIONS = (
    "--bundle",
    "--format=esm",
    "--target=es2022",
    "--charset=utf8",
    "--minify",
    "--legal-comments=none",
    "--log-level=warning",
)
REBUILD_HINT = "run `./dev setup` (or `python hatch_build.py` after `npm ci`) to rebuild it"


def bundle_sources() -> list[Path]:
    """The JavaScript the bundles are made from: every ``.js`` in the package but
    the engine and the bundles themselves."""
    skipped = (PACKAGE_DIR / "static" / "vendor", BUNDLE)
    return sorted(
        path
        for path in PACKAGE_DIR.rglob("*.js")
        if not any(path.is_relative_to(folder) for folder in skipped)
    )


def bundle_hash() -> str:
    """A hash of the bundles' sources, entries and options: what a current bundle records."""
    made = {"entries": ENTRIES, "options": BUNDLE_OPTIONS}
    digest = hashlib.sha256(json.dumps(made, sort_keys=True).encode("utf-8"))
    for path in bundle_sources():
        digest.update(path.relative_to(ROOT).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def bundle_is_current() -> bool:
    """Whether every bundle exists and was made from the sources as they are now."""
    if not BUNDLE_STAMP.exists() or not all((BUNDLE / f"{name}.js").exists() for name in ENTRIES):
        return False
    stamp = json.loads(BUNDLE_STAMP.read_text(encoding="utf-8"))
    return bool(stamp.get("sources") == bundle_hash())


def bundle(*, install: bool = True) -> bool:
    """Bundle each entry with esbuild (when the sources changed); return True if built.

    ``install``: run ``npm ci`` first when esbuild is missing (a build from an sdist);
    without it, a missing esbuild is an error naming the command that installs it.
    """
    if bundle_is_current():
        return False
    if not ESBUILD.exists():
        npm = shutil.which("npm")
        if not install or npm is None:
            msg = (
                f"the player's bundle in {BUNDLE.relative_to(ROOT)} is missing or older than "
                f"its sources, and esbuild is not installed; {REBUILD_HINT}"
            )
            raise VendorError(msg)
        subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=ROOT,
            check=True,
        )
    sources = bundle_hash()
    BUNDLE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=BUNDLE) as tmp:
        result = subprocess.run(
            [
                str(ESBUILD),
                *(f"{name}={ROOT / entry}" for name, entry in ENTRIES.items()),
                *BUNDLE_OPTIONS,
                f"--outdir={tmp}",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            msg = f"esbuild could not bundle the player:\n{result.stderr.strip()}"
            raise VendorError(msg)
        files = {}
        for name in ENTRIES:
            data = (Path(tmp) / f"{name}.js").read_bytes()
            files[f"{name}.js"] = _integrity_of(data, "sha256")
            (Path(tmp) / f"{name}.js").replace(BUNDLE / f"{name}.js")
    stamp = {"sources": sources, "entries": ENTRIES, "files": files}
    BUNDLE_STAMP.write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
    return True


try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # run as a plain script, outside a build
    pass
else:

    class VendorBuildHook(BuildHookInterface[Any]):
        """Hatch hook: make sure the engine files exist before packaging."""

        PLUGIN_NAME = "custom"

        def initialize(self, version: str, build_data: dict[str, Any]) -> None:
            vendor()
            bundle()


if __name__ == "__main__":
    try:
        copied = vendor()
    except VendorError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
    state = "copied" if copied else "already up to date"
    print(f"Vizzu engine {state} in {VENDOR.relative_to(ROOT)}")
    try:
        built = bundle()
    except VendorError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
    state = "bundled" if built else "already up to date"
    print(f"player {state} in {BUNDLE.relative_to(ROOT)}")
