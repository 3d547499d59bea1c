"""Errors ipyreport raises, and the helper that suggests the closest name.

Every mistake a user can make is an :class:`IpyreportError`; its message
names what is wrong, where, and the fix. Errors raised while a story is
being built also carry where in the story they happened (``slide``,
``chart``, ``step``, 1-based), so a spec can point at the line that wrote
that step and the command line can print one line instead of a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class IpyreportError(ValueError):
    """A user's mistake: bad data, a step that does not fit it, or a bad spec."""

    slide: int | None = None
    chart: int | None = None
    step: int | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        # The argument or spec field at fault, when one is (``x``, ``cross_filter``).
        self.field = field

    def located(
        self, slide: int, step: int | None = None, chart: int | None = None
    ) -> IpyreportError:
        """This error, marked as raised at ``slide``/``chart``/``step`` (kept if already set).

        Parameters
        ----------
        slide : int
            The 1-based slide the error happened on.
        step : int, optional
            The 1-based step on that slide.
        chart : int, optional
            The 1-based chart of a dashboard slide.

        Returns
        -------
        IpyreportError
            This same error, so ``raise error.located(...)`` reads as one line.

        Examples
        --------
        >>> error = IpyreportError("no such column").located(2, step=3)
        >>> error.slide, error.step, error.chart
        (2, 3, None)
        """
        if self.slide is None:
            self.slide, self.step, self.chart = slide, step, chart
        return self


class DataError(IpyreportError):
    """The data cannot be turned into Vizzu data as asked; the message says why and how to fix it."""


class RowLimitError(DataError):
    """The data has more rows than the safety limit allows."""


class StepError(IpyreportError):
    """A step does not fit its data; the message names the field and the fix."""


class SpecError(IpyreportError):
    """A spec is invalid; the message names the file, line, field and fix."""


def closest(name: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the nearest choice, or ``""``.

    >>> closest("Revenu", ["Region", "Revenue"])
    " (did you mean 'Revenue'?)"
    """
    match = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""
