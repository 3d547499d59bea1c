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


@pytest.fixture
def checkout_copy(tmp_path, monkeypatch):
    """The player's sources in a checkout of their own, bundled by the real esbuild."""
    builder = assets._checkout_builder()
    assert builder is not None, "these tests run from a source checkout"
    for path in builder.bundle_sources():
        target = tmp_path / path.relative_to(builder.ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    monkeypatch.setattr(builder, "ROOT", tmp_path)
    monkeypatch.setattr(builder, "PACKAGE_DIR", tmp_path / "ipyreport")
    monkeypatch.setattr(builder, "BUNDLE", tmp_path / "ipyreport" / "static" / "bundle")
    monkeypatch.setattr(builder, "BUNDLE_STAMP", builder.BUNDLE / "SOURCE.json")
    monkeypatch.setattr(assets, "_bundle_checked", [None])
    return builder


def test_bundle_is_made_from_the_sources_as_they_are():
    builder = assets._checkout_builder()
    assert builder is not None
    bundle = assets.player_bundle("page")
    assert json.loads(builder.BUNDLE_STAMP.read_text())["sources"] == builder.bundle_hash()
    assert "export{" in bundle
    assert "import " not in bundle.split("export{")[0][:200]  # one module: nothing left to import


def test_edited_source_is_bundled_on_the_next_read(checkout_copy):
    assert "Press Enter to explore its marks" in assets.player_bundle("page")
    chrome = checkout_copy.PACKAGE_DIR / "export" / "chrome.js"
    chrome.write_text(
        chrome.read_text().replace("Press Enter to explore", "Press Return to explore")
    )
    bundle = assets.player_bundle("page")
    assert "Press Return to explore its marks" in bundle
    assert "Press Enter to explore its marks" not in bundle


def test_stale_bundle_without_esbuild_names_the_command_that_rebuilds_it(
    checkout_copy, monkeypatch
):
    assets.player_bundle("page")
    monkeypatch.setattr(checkout_copy, "ESBUILD", checkout_copy.ROOT / "no-esbuild")
    words = checkout_copy.PACKAGE_DIR / "export" / "words.js"
    words.write_text(words.read_text() + "\n")
    with pytest.raises(assets.AssetsMissingError) as caught:
        assets.player_bundle("page")
    assert str(caught.value) == (
        "the player's bundle in ipyreport/static/bundle is missing or older than its "
        "sources, and esbuild is not installed; run `./dev setup` (or "
        "`python hatch_build.py` after `npm ci`) to rebuild it"
    )
