"""The Vizzu engine ships inside the package and is checked on read."""

import base64
import hashlib
import json
import shutil

import pytest

from ipyreport import assets


@pytest.fixture
def vendor_copy(tmp_path, monkeypatch):
    target = tmp_path / "vendor"
    shutil.copytree(assets.vendor_dir(), target)
    monkeypatch.setattr(assets, "vendor_dir", lambda: target)
    assets._manifest.cache_clear()
    assets._read.cache_clear()
    yield target
    assets._manifest.cache_clear()
    assets._read.cache_clear()


def test_engine_files_are_the_pinned_version():
    lock = json.loads((assets.vendor_dir().parents[2] / "package-lock.json").read_text())
    source = json.loads((assets.vendor_dir() / "SOURCE.json").read_text())
    assert (
        lock["packages"]["node_modules/vizzu"]["version"]
        == assets.VIZZU_VERSION
        == source["version"]
    )
    assert source["integrity"] == lock["packages"]["node_modules/vizzu"]["integrity"]


def test_engine_files_load():
    assert assets.vizzu_wasm()[:4] == b"\x00asm"
    assert b"export{" in assets.vizzu_module()


def test_engine_module_is_safe_to_inline():
    module = assets.vizzu_module().lower()
    assert b"</script" not in module
    assert b"<!--" not in module


def test_missing_engine_names_the_command_that_restores_it(vendor_copy):
    (vendor_copy / "cvizzu.wasm").unlink()
    with pytest.raises(assets.AssetsMissingError) as caught:
        assets.vizzu_wasm()
    assert str(caught.value) == (
        f"the Vizzu engine file {vendor_copy / 'cvizzu.wasm'} is missing; from a source "
        "checkout run `./dev setup` (it runs `npm ci` and copies the engine), or "
        "reinstall ipyreport from its wheel"
    )


def test_changed_engine_file_is_refused(vendor_copy):
    (vendor_copy / "vizzu.min.js").write_bytes(b"alert(1)")
    with pytest.raises(assets.AssetsMissingError, match="was changed after it was installed"):
        assets.vizzu_module()


def test_wrong_engine_version_is_refused(vendor_copy):
    stamp = vendor_copy / "SOURCE.json"
    stamp.write_text(json.dumps({**json.loads(stamp.read_text()), "version": "0.17.1"}))
    with pytest.raises(
        assets.AssetsMissingError,
        match=r"version 0\.17\.1, but this ipyreport needs 0\.16\.1",
    ):
        assets.vizzu_module()


def test_stamp_hashes_match_the_files():
    source = json.loads((assets.vendor_dir() / "SOURCE.json").read_text())
    assert sorted(source["files"]) == [
        "LICENSE.vizzu",
        "cvizzu.wasm",
        "cvizzu.wasm.gz",
        "vizzu-schema.json",
        "vizzu.min.js",
        "vizzu.min.js.gz",
    ]
    for name, recorded in source["files"].items():
        digest = hashlib.sha256((assets.vendor_dir() / name).read_bytes()).digest()
        assert recorded == "sha256-" + base64.b64encode(digest).decode()


def test_the_engine_types_come_from_its_own_declarations():
    types = assets.vizzu_types()
    assert types["vizzu"] == assets.VIZZU_VERSION
    geometry = types["config"]["definitions"]["Chart"]["properties"]["geometry"]
    assert geometry["enum"] == ["rectangle", "circle", "area", "line"]
