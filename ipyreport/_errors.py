"""Errors ipyreport raises, and the helper that suggests the closest name."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class DataError(ValueError):
    """The data cannot be turned into Vizzu data as asked; the message says why and how to fix it."""


class RowLimitError(DataError):
    """The data has more rows than the safety limit allows."""


def closest(name: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the nearest choice, or ``""``.

    >>> closest("Revenu", ["Region", "Revenue"])
    " (did you mean 'Revenue'?)"
    """
    match = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""
