"""The story document's TypeScript types are generated from its JSON Schema, and kept so."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "document-types.mjs"
SCHEMA = ROOT / "ipyreport" / "schema" / "story-document.schema.json"
TYPES = ROOT / "ipyreport" / "export" / "document.d.ts"

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js (./dev setup)")


def _generate(*args: str) -> subprocess.CompletedProcess[str]:
    command = ["node", str(SCRIPT), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_checked_in_types_match_the_schema():
    result = _generate("--check")
    assert (result.returncode, result.stderr) == (0, "")


def test_a_schema_change_without_regenerating_fails_the_check(tmp_path):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    schema["properties"]["subtitle"] = {"type": "string"}
    changed = tmp_path / "story-document.schema.json"
    changed.write_text(json.dumps(schema), encoding="utf-8")

    result = _generate("--check", "--schema", str(changed), "--types", str(TYPES))

    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"ipyreport/export/document.d.ts does not match {os.path.relpath(changed, ROOT)}; "
        "regenerate it with ./dev types and commit it"
    )


def test_regenerating_writes_the_new_field(tmp_path):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    schema["properties"]["subtitle"] = {"type": "string", "description": "under the title"}
    changed = tmp_path / "story-document.schema.json"
    changed.write_text(json.dumps(schema), encoding="utf-8")
    written = tmp_path / "document.d.ts"

    assert _generate("--schema", str(changed), "--types", str(written)).returncode == 0

    text = written.read_text(encoding="utf-8")
    assert "   * under the title\n   */\n  subtitle?: string;\n" in text
    assert "export interface StoryDocument {" in text
