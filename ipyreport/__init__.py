"""ipyreport: turn tables into animated data stories that play offline.

>>> import ipyreport
>>> ipyreport.to_vizzu_data({"Region": ["North"], "Revenue": [10.5]})["series"][1]
{'name': 'Revenue', 'type': 'measure', 'values': [10.5]}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ipyreport._version import __version__

if TYPE_CHECKING:
    from ipyreport import check, lake, lazy, presets, samples, spec, themes
    from ipyreport._errors import IpyreportError
    from ipyreport.data import DataError, encode, to_vizzu_data, to_vizzu_json
    from ipyreport.formats import Format
    from ipyreport.step import Filter, Step, StepError
    from ipyreport.story import Dashboard, Slide, Story

__all__ = [
    "Dashboard",
    "DataError",
    "Filter",
    "Format",
    "IpyreportError",
    "Slide",
    "Step",
    "StepError",
    "Story",
    "__version__",
    "check",
    "encode",
    "lake",
    "lazy",
    "load_ipython_extension",
    "presets",
    "samples",
    "spec",
    "themes",
    "to_vizzu_data",
    "to_vizzu_json",
]

# Public names resolve on first use, so `import ipyreport` (and `%load_ext`)
# stays fast and does not pull in pyarrow until data is touched.
_LAZY = {
    "IpyreportError": "ipyreport._errors",
    "DataError": "ipyreport.data",
    "encode": "ipyreport.data",
    "to_vizzu_data": "ipyreport.data",
    "to_vizzu_json": "ipyreport.data",
    "Filter": "ipyreport.step",
    "Format": "ipyreport.formats",
    "Step": "ipyreport.step",
    "StepError": "ipyreport.step",
    "Dashboard": "ipyreport.story",
    "Slide": "ipyreport.story",
    "Story": "ipyreport.story",
}
# Submodules a user reaches as ``ipyreport.presets`` without importing them first.
_SUBMODULES = frozenset({"check", "lake", "lazy", "presets", "samples", "spec", "themes"})


def load_ipython_extension(shell: Any) -> None:
    """``%load_ext ipyreport``: register the ``%%ipyreport`` and ``%ipyreport`` magics.

    It also starts warming the first story's modules and engine in the
    background, so the first story cell does not wait for them.

    Parameters
    ----------
    shell
        The IPython shell loading the extension.

    Examples
    --------
    >>> from IPython.testing.globalipapp import get_ipython  # doctest: +SKIP
    >>> get_ipython().run_line_magic("load_ext", "ipyreport")  # doctest: +SKIP
    """
    from ipyreport.notebook.magics import load_ipython_extension as register

    register(shell)


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None and name not in _SUBMODULES:
        msg = f"module 'ipyreport' has no attribute {name!r}"
        raise AttributeError(msg)
    import importlib

    from ipyreport.notebook import _warm

    _warm.wait()  # after `%load_ext`, the warm-up may be importing this right now
    value: Any
    if module_name is None:
        value = importlib.import_module(f"ipyreport.{name}")
    else:
        value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
