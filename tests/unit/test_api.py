"""The public API as a user meets it: what `import ipyreport` reaches, one keyword order for
every preset, renamed keywords that still work with a warning, stories that cannot go stale,
and reprs that read."""

import subprocess
import sys

import pytest

PUBLIC_SUBMODULES = ("check", "lake", "lazy", "presets", "samples", "spec", "themes")

SUBMODULE_PROBE = """
import sys
import ipyreport
before = sorted(m for m in ("pyarrow", "ipyreport.presets", "ipyreport.story") if m in sys.modules)
listed = [name for name in {names!r} if name in dir(ipyreport)]
reached = [getattr(ipyreport, name).__name__ for name in {names!r}]
print(before)
print(listed)
print(reached)
"""


def test_public_submodules_are_attributes_listed_by_dir_and_imported_on_first_use():
    """In a fresh process: `import ipyreport` imports none of them (nor pyarrow), `dir`
    lists them, and `ipyreport.presets` is the module."""
    probe = SUBMODULE_PROBE.format(names=PUBLIC_SUBMODULES)
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines() == [
        "[]",
        str(list(PUBLIC_SUBMODULES)),
        str([f"ipyreport.{name}" for name in PUBLIC_SUBMODULES]),
    ]


def test_an_unknown_attribute_is_still_an_attribute_error():
    import ipyreport

    with pytest.raises(AttributeError) as caught:
        ipyreport.prests  # noqa: B018
    assert str(caught.value) == "module 'ipyreport' has no attribute 'prests'"
