"""How numbers and dates read: one format per measure or date column.

A :class:`Format` belongs to a measure (currency or unit, decimals, scale)
or to a date column (its precision). The story resolves every format once,
for its language, into plain values the document carries (``formats`` and
``labels``); every place that shows a number or a date uses them: the
chart's labels, axes and legends (the player's ``formatNumber`` in
``static/steps.js`` is the JavaScript translation of :func:`format_number`,
and a browser test runs both over the same numbers), data tables, text
alternatives, the PDF and the video.

Defaults come from the data: large numbers take a short scale
(``323.8M``), whole numbers show no decimals, dates show at the precision
their values have (``Jan 2021`` for month starts, ``2021`` for years).

>>> resolved = resolve_number(Format(prefix="$"), "en")
>>> format_number(323764017.77, resolved), format_number(845.5, resolved), format_number(1200, resolved)
('$323.8M', '$845.50', '$1.2K')
>>> date_labels(["2021-01-01", "2021-02-01"], None, "en")
{'2021-01-01': 'Jan 2021', '2021-02-01': 'Feb 2021'}
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any, Literal, TypedDict

from ipyreport._errors import StepError, closest
from ipyreport.data import AGGREGATORS, Dimension, Measure, VizzuData

__all__ = [
    "DATE_PRECISIONS",
    "SCALES",
    "Display",
    "Format",
    "NumberFormat",
    "date_labels",
    "format_number",
    "measure_of",
    "parse_format",
    "resolve",
    "resolve_number",
    "scale_factor",
    "scale_of",
    "scale_start",
]

SCALES = ("auto", "none", "K", "M", "bn", "tn")
DATE_PRECISIONS = ("year", "quarter", "month", "day", "iso")
CURRENCIES = ("$", "€", "£", "¥", "₹", "CHF", "kr")
MISSING = "\u2013"  # an en dash: how a missing number reads, in every output

_FACTORS = {"K": 1e3, "M": 1e6, "bn": 1e9, "tn": 1e12}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class _Locale:
    group: str
    point: str
    scales: tuple[str, str, str, str]  # thousands, millions, billions, trillions
    currency_after: bool
    months: tuple[str, ...]
    month: str  # patterns with {year} {quarter} {month} {day}
    quarter: str
    day: str


# The words and separators of each language the formats speak; another
# language is one entry. A language not listed reads as English.
LOCALES: dict[str, _Locale] = {
    "en": _Locale(
        ",",
        ".",
        ("K", "M", "bn", "tn"),
        False,
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        "{month} {year}",
        "{year} Q{quarter}",
        "{month} {day}, {year}",
    ),
    "de": _Locale(
        ".",
        ",",
        ("\u00a0Tsd.", "\u00a0Mio.", "\u00a0Mrd.", "\u00a0Bio."),
        True,
        (
            "Jan.",
            "Feb.",
            "März",
            "Apr.",
            "Mai",
            "Juni",
            "Juli",
            "Aug.",
            "Sept.",
            "Okt.",
            "Nov.",
            "Dez.",
        ),
        "{month} {year}",
        "Q{quarter} {year}",
        "{day}. {month} {year}",
    ),
    "fr": _Locale(
        "\u202f",
        ",",
        ("\u00a0k", "\u00a0M", "\u00a0Md", "\u00a0Bn"),
        True,
        (
            "janv.",
            "févr.",
            "mars",
            "avr.",
            "mai",
            "juin",
            "juil.",
            "août",
            "sept.",
            "oct.",
            "nov.",
            "déc.",
        ),
        "{month} {year}",
        "T{quarter} {year}",
        "{day} {month} {year}",
    ),
    "es": _Locale(
        ".",
        ",",
        ("\u00a0mil", "\u00a0M", "\u00a0mil\u00a0M", "\u00a0B"),
        True,
        ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"),
        "{month} {year}",
        "T{quarter} {year}",
        "{day} {month} {year}",
    ),
}


def locale(lang: str) -> _Locale:
    """The words and separators for a BCP 47 language tag (English when not listed)."""
    return LOCALES.get(lang.split("-", maxsplit=1)[0].lower(), LOCALES["en"])


@dataclass(frozen=True)
class Format:
    """How a measure's numbers or a date column's values read.

    A string is a shorthand for one (see :func:`parse_format`): ``"$"``,
    ``"€"``, ``"%"``, ``"units"``, ``"month"``.

    Parameters
    ----------
    prefix : str, default ""
        Text before a measure's numbers (a currency).
    suffix : str, default ""
        Text after them (a unit, a percent sign).
    decimals : int, optional
        Decimals from 0 to 10 (default: one on scaled numbers, none on whole
        numbers, two otherwise).
    scale : {"auto", "none", "K", "M", "bn", "tn"}, default "auto"
        ``"auto"`` picks K/M/bn/tn per number, ``"none"`` writes every digit,
        ``"M"`` puts every number in millions.
    date : {"year", "quarter", "month", "day", "iso"}, optional
        For a date column, the precision its values read at (default: the
        precision the values have).

    Raises
    ------
    StepError
        When a field is out of its range; the error's ``field`` names it.

    Examples
    --------
    >>> Format(prefix="$", decimals=0)
    Format(prefix='$', suffix='', decimals=0, scale='auto', date=None)
    >>> Format(scale="millions")
    Traceback (most recent call last):
    ...
    ipyreport._errors.StepError: a format's scale is one of auto, none, K, M, bn, tn, got 'millions'
    """

    prefix: str = ""
    suffix: str = ""
    decimals: int | None = None
    scale: str = "auto"
    date: str | None = None

    def __post_init__(self) -> None:
        for name in ("prefix", "suffix"):
            if not isinstance(getattr(self, name), str):
                msg = f"a format's {name} is text such as '$' or ' units', got {getattr(self, name)!r}"
                raise StepError(msg, field=name)
        if self.decimals is not None and (
            isinstance(self.decimals, bool)
            or not isinstance(self.decimals, int)
            or not 0 <= self.decimals <= 10
        ):
            msg = f"a format's decimals is a whole number from 0 to 10, got {self.decimals!r}"
            raise StepError(msg, field="decimals")
        if self.scale not in SCALES:
            msg = f"a format's scale is one of {', '.join(SCALES)}, got {self.scale!r}{closest(str(self.scale), SCALES)}"
            raise StepError(msg, field="scale")
        if self.date is not None and self.date not in DATE_PRECISIONS:
            msg = f"a date format is one of {', '.join(DATE_PRECISIONS)}, got {self.date!r}{closest(str(self.date), DATE_PRECISIONS)}"
            raise StepError(msg, field="date")


def parse_format(value: Any, lang: str = "en") -> Format:
    r"""A :class:`Format` from itself, a mapping of its fields, or a shorthand.

    Shorthands: a currency (``"$"``, ``"€"``, ``"£"``, ``"¥"``, ``"₹"``,
    ``"CHF"``, ``"kr"``) goes before the number in English and after it in
    languages that write it there; ``"%"`` is a percent sign after an unscaled
    number; a date precision (``"month"``...) formats a date column;
    ``"plain"`` writes every digit; any other text is a unit after the number.

    Parameters
    ----------
    value : Format, mapping or str
        The format, its fields, or a shorthand.
    lang : str, default "en"
        The story's language (a BCP 47 tag), which places a currency.

    Returns
    -------
    Format
        The format ``value`` stands for.

    Raises
    ------
    StepError
        When a mapping names a field :class:`Format` lacks, or ``value`` is
        none of the above.

    Examples
    --------
    >>> parse_format("€", "de"), parse_format("units").suffix
    (Format(prefix='', suffix='\xa0€', decimals=None, scale='auto', date=None), ' units')
    """
    if isinstance(value, Format):
        return value
    if isinstance(value, Mapping):
        known = {f.name for f in fields(Format)}
        for key in value:
            if key not in known:
                msg = f"a format has no field {key!r}{closest(str(key), known)}; fields are {sorted(known)}"
                raise StepError(msg, field=str(key))
        return Format(**value)
    if not isinstance(value, str) or not value.strip():
        msg = f"a format is a Format, a mapping or a shorthand such as '$', '%' or 'month', got {value!r}"
        raise StepError(msg)
    if value in CURRENCIES:
        if locale(lang).currency_after:
            return Format(suffix=f"\u00a0{value}")
        return Format(prefix=value if len(value) == 1 else f"{value}\u00a0")
    if value == "%":
        return Format(suffix="%", scale="none")
    if value in DATE_PRECISIONS:
        return Format(date=value)
    if value == "plain":
        return Format(scale="none")
    return Format(suffix=f" {value.strip()}")


class _LogFormat(TypedDict, total=False):
    log: bool  # the numbers are base-10 logarithms of what is shown


class NumberFormat(_LogFormat):
    """A measure's format resolved for the story's language, as the document carries it."""

    prefix: str
    suffix: str
    decimals: int  # on scaled numbers
    fixed: int | None  # on unscaled numbers (None: none for whole numbers, two otherwise)
    scales: list[list[Any]]  # [factor, word], smallest first
    always: bool  # every number in the one scale
    group: str
    point: str


def resolve_number(fmt: Format, lang: str) -> NumberFormat:
    """``fmt`` with the language's separators and scale words filled in.

    Parameters
    ----------
    fmt : Format
        A measure's format.
    lang : str
        The story's language (a BCP 47 tag; English when not known).

    Returns
    -------
    NumberFormat
        The plain values a document carries and every output formats with.

    Examples
    --------
    >>> resolved = resolve_number(Format(prefix="$"), "de")
    >>> resolved["prefix"], resolved["group"], resolved["point"]
    ('$', '.', ',')
    """
    words = locale(lang)
    every = [[_FACTORS[key], word] for key, word in zip(_FACTORS, words.scales, strict=True)]
    if fmt.scale == "auto":
        scales = every
    elif fmt.scale == "none":
        scales = []
    else:
        scales = [pair for pair in every if pair[0] == _FACTORS[fmt.scale]]
    return {
        "prefix": fmt.prefix,
        "suffix": fmt.suffix,
        "decimals": 1 if fmt.decimals is None else fmt.decimals,
        "fixed": fmt.decimals,
        "scales": scales,
        "always": fmt.scale not in ("auto", "none"),
        "group": words.group,
        "point": words.point,
    }


def _fixed(value: float, digits: int) -> str:
    # Exactly JavaScript's Number.prototype.toFixed on a non-negative number:
    # the exact binary value rounded, a tie going up; from 1e21 on, the
    # shortest text that reads back as the number, with an exponent.
    if value >= 1e21:
        return repr(float(value))
    step = Decimal(1).scaleb(-digits)
    return f"{Decimal(value).quantize(step, rounding=ROUND_HALF_UP, context=_WIDE):f}"


_WIDE = Context(prec=60)


def said_trim(fmt: NumberFormat) -> Literal["exact", False]:
    """How a sentence trims a number in ``fmt`` (see :func:`format_number`'s ``trim``).

    The zeros an exact number does not need are dropped, unless the format fixes its
    digits (cents, a share's one decimal, a text's ``| $:2``). The player's twin is
    ``saidNumber``.

    Parameters
    ----------
    fmt : NumberFormat
        The number's format, with any digits a text asks for.

    Returns
    -------
    "exact" or False

    Examples
    --------
    >>> said_trim(resolve_number(Format(prefix="$"), "en")), said_trim(resolve_number(Format(decimals=2), "en"))
    ('exact', False)
    """
    return "exact" if fmt["fixed"] is None else False


def format_number(
    value: float | None, fmt: NumberFormat, *, trim: bool | Literal["exact"] = False
) -> str:
    """``value`` as the audience reads it.

    The player's ``formatNumber`` is the same function in JavaScript, held
    equal to this one by a browser test.

    Parameters
    ----------
    value : float or None
        The number (``None`` or NaN: missing, written as an en dash).
    fmt : NumberFormat
        The resolved format (see :func:`resolve_number`).
    trim : bool or "exact", default False
        Drop trailing zeros, as axis ticks do; ``"exact"`` only when the number is
        exactly what is left, as a sentence says it (1,000,000 orders read "1M",
        999,960 still "1.0M": its zero says it was rounded).

    Returns
    -------
    str
        The number with its sign, prefix, digit groups, scale word and suffix.

    Examples
    --------
    >>> plain = resolve_number(Format(), "en")
    >>> format_number(1234567, plain), format_number(-0.125, plain), format_number(None, plain)
    ('1.2M', '-0.13', '\u2013')
    >>> format_number(2_000_000, plain, trim=True), format_number(999_960, plain)
    ('2M', '1.0M')
    >>> format_number(0.0004, resolve_number(Format(suffix="%", decimals=1), "en"))
    '<0.1%'
    >>> format_number(1_000_000, plain, trim="exact"), format_number(999_960, plain, trim="exact")
    ('1M', '1.0M')
    """
    if value is not None and fmt.get("log") and math.isfinite(value):
        value = 10.0**value if value < 308 else math.inf
    if value is None or not math.isfinite(value):
        return MISSING
    magnitude = abs(float(value))
    symbol = ""
    digits = fmt["fixed"] if fmt["fixed"] is not None else (0 if magnitude.is_integer() else 2)
    scales = fmt["scales"]
    if fmt["always"]:
        factor, symbol = scales[0]
        magnitude, digits = magnitude / factor, fmt["decimals"]
    else:
        for factor, word in reversed(scales):
            if _takes(magnitude, factor, fmt):
                magnitude, digits, symbol = magnitude / factor, fmt["decimals"], word
                break
    text = _fixed(magnitude, digits)
    # A positive number too small for its digits reads as less than the smallest it can
    # show ("<0.1%", "<$0.01"), never as zero.
    below = value > 0 and not text.strip("0.")
    if below:
        text = f"0.{'0' * (digits - 1)}1" if digits > 0 else "1"
    # "Exact" within a billionth: a share computed as 28.000000000000004 is 28.
    exact = not below and abs(float(text) - magnitude) <= 1e-9 * max(1.0, magnitude)
    if "." in text and "e" not in text and (trim is True or (trim == "exact" and exact)):
        text = text.rstrip("0").rstrip(".")
    whole, _, fraction = text.partition(".")
    if len(whole) > 3 and "e" not in text:
        head = len(whole) % 3 or 3
        whole = whole[:head] + "".join(
            fmt["group"] + whole[i : i + 3] for i in range(head, len(whole), 3)
        )
    number = whole + (fmt["point"] + fraction if fraction else "")
    sign = "-" if value < 0 and text.strip("0.") else "<" if below else ""
    return f"{sign}{fmt['prefix']}{number}{symbol}{fmt['suffix']}"


def _takes(magnitude: float, factor: float, fmt: NumberFormat) -> bool:
    # The smallest scale starts at its factor; a larger one as soon as the
    # rounded number reads 1 (999,960 is 1.0M, not 1000.0K).
    return magnitude >= factor or (
        factor != fmt["scales"][0][0] and float(_fixed(magnitude / factor, fmt["decimals"])) >= 1
    )


def scale_factor(symbol: str) -> float:
    """What a scale symbol written after a number multiplies it by.

    The symbols are the ones :func:`format_number` writes (``K``, ``M``, ``bn``, ``tn``),
    and a lower-case ``k`` as people type it.

    Parameters
    ----------
    symbol : str
        The symbol, or ``""`` for none.

    Returns
    -------
    float
        The factor (``1.0`` for none).

    Raises
    ------
    ValueError
        If ``symbol`` is no scale's.

    Examples
    --------
    >>> scale_factor("M"), scale_factor("k"), scale_factor("")
    (1000000.0, 1000.0, 1.0)
    """
    if not symbol:
        return 1.0
    factor = _FACTORS.get("K" if symbol == "k" else symbol)
    if factor is None:
        msg = f"{symbol!r} is not a scale; use one of {', '.join(_FACTORS)} (or k), or none"
        raise ValueError(msg)
    return factor


def scale_of(magnitude: float, fmt: NumberFormat) -> tuple[float, str]:
    """The scale (factor and word) :func:`format_number` writes ``magnitude`` in.

    Parameters
    ----------
    magnitude : float
        A non-negative number.
    fmt : NumberFormat
        The resolved format.

    Returns
    -------
    factor : float
        What the number is divided by (``1.0``: no scale).
    word : str
        What is written after it (``""``: no scale).

    Examples
    --------
    >>> plain = resolve_number(Format(), "en")
    >>> scale_of(999_960, plain), scale_of(999, plain), scale_of(2.5e9, plain)
    ((1000000.0, 'M'), (1.0, ''), (1000000000.0, 'bn'))
    """
    scales = fmt["scales"]
    if fmt["always"]:
        return float(scales[0][0]), str(scales[0][1])
    for factor, word in reversed(scales):
        if _takes(magnitude, factor, fmt):
            return float(factor), str(word)
    return 1.0, ""


def scale_start(factor: float, fmt: NumberFormat) -> float:
    """The smallest magnitude :func:`format_number` writes in the scale ``factor``.

    For a spreadsheet's conditional number format, which picks a scale by a
    threshold where the player rounds first.

    Parameters
    ----------
    factor : float
        One of the format's scale factors (``1e3``, ``1e6``...).
    fmt : NumberFormat
        The resolved format.

    Returns
    -------
    float
        The least number written in that scale.

    Examples
    --------
    >>> plain = resolve_number(Format(), "en")
    >>> scale_start(1e3, plain), scale_start(1e6, plain)
    (1000.0, 950000.0000000001)
    """
    if factor == fmt["scales"][0][0]:
        return float(factor)
    start = factor * (1 - 0.5 * 10.0 ** -fmt["decimals"])
    while not _takes(start, factor, fmt):
        start = math.nextafter(start, math.inf)
    while _takes(below := math.nextafter(start, -math.inf), factor, fmt):
        start = below
    return start


def date_precision(labels: Iterable[str]) -> str | None:
    """The precision ISO dates have (``None``: not all dates)."""
    seen = list(labels)
    if not seen or not all(_ISO_DATE.match(label) for label in seen):
        return None
    if all(label.endswith("-01-01") for label in seen):
        return "year"
    if all(label.endswith("-01") for label in seen):
        return "month"
    return "day"


def date_labels(
    labels: Iterable[str], precision: str | None, lang: str, *, name: str = "the column"
) -> dict[str, str]:
    """How each ISO date label reads at ``precision``.

    Labels that are not ISO dates (the null label) keep their text.

    Parameters
    ----------
    labels : iterable of str
        A date column's category labels (``"2021-01-01"``).
    precision : {"year", "quarter", "month", "day", "iso"} or None
        How precisely they read; ``None``: the precision the values have.
    lang : str
        The story's language, which names months and quarters.
    name : str, default "the column"
        The column, named in the error.

    Returns
    -------
    dict of str to str
        Each ISO date label and its words; empty when nothing changes.

    Raises
    ------
    StepError
        When ``precision`` would give two dates the same words.

    Examples
    --------
    >>> date_labels(["2021-01-01", "2021-04-01"], "quarter", "en")
    {'2021-01-01': '2021 Q1', '2021-04-01': '2021 Q2'}
    """
    labels = list(labels)
    dates = [label for label in labels if _ISO_DATE.match(label)]
    if precision is None:
        precision = date_precision(dates)
    if precision is None or precision == "iso":
        return {}
    words = locale(lang)
    result: dict[str, str] = {}
    taken: dict[str, str] = {}
    for label in dates:
        year, month, day = (int(part) for part in label.split("-"))
        text = {
            "year": str(year),
            "quarter": words.quarter.format(year=year, quarter=(month - 1) // 3 + 1),
            "month": words.month.format(year=year, month=words.months[month - 1]),
            "day": words.day.format(year=year, month=words.months[month - 1], day=day),
        }[precision]
        if text in taken:
            msg = (
                f"{name} has {taken[text]} and {label}, which would both read {text!r} "
                f"as {precision}s; use a finer format such as 'day' or 'iso'"
            )
            raise StepError(msg, field=name)
        taken[text] = label
        result[label] = text
    return result


# Aggregators whose result counts rows or categories: a plain number, not the measure's unit.
_COUNTING = ("count", "distinct")

# How an aggregate of a measure reads, before its display name ("Mean life expectancy").
AGGREGATE_NAMES = {
    "mean": "mean",
    "min": "minimum",
    "max": "maximum",
    "count": "count of",
    "distinct": "distinct count of",
}


def _lower_first(text: str) -> str:
    """``text`` for the middle of a phrase: a capital that starts a word is lowered, an acronym kept."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def measure_of(column: str) -> tuple[str, str]:
    """The measure and aggregator a channel or table column names.

    Parameters
    ----------
    column : str
        A channel entry such as ``"Units"`` or ``"mean(Units)"``.

    Returns
    -------
    measure : str
        The measure's column name.
    aggregator : str
        How it is summed up (``"sum"`` when none is written).

    Examples
    --------
    >>> measure_of("Revenue"), measure_of("count(Revenue)")
    (('Revenue', 'sum'), ('Revenue', 'count'))
    """
    for aggregator in AGGREGATORS:
        if column.startswith(f"{aggregator}(") and column.endswith(")"):
            return column[len(aggregator) + 1 : -1], aggregator
    return column, "sum"


@dataclass(frozen=True)
class Display:
    """Every format of a story, resolved: what a number or a category reads as.

    Built from a document's ``formats``, ``plainFormat``, ``labels`` and
    ``names`` (:meth:`of`) or from the data (:func:`resolve`), so every output
    reads numbers, dates and column names the same way.

    Parameters
    ----------
    numbers : mapping of str to NumberFormat
        Each measure's format.
    plain : NumberFormat
        The format of numbers no measure owns (counts).
    labels : mapping of str to mapping of str to str
        For each date column, how its labels read.
    names : mapping of str to str, default {}
        The display names of columns (``{"pop": "Population"}``) and of the
        aggregates a story shows (``"mean(lifeExp)"``).

    Examples
    --------
    >>> shown = Display({}, resolve_number(Format(), "en"), {}, {"pop": "Population"})
    >>> shown.name("pop"), shown.number("pop", 7_900_000)
    ('Population', '7.9M')
    """

    numbers: Mapping[str, NumberFormat]
    plain: NumberFormat
    labels: Mapping[str, Mapping[str, str]]
    names: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, document: Mapping[str, Any]) -> Display:
        """The display of a story document (documents without formats read plainly).

        Parameters
        ----------
        document : mapping
            A story document (``Story.to_dict()``) or its loaded JSON.

        Returns
        -------
        Display
            Its formats, labels and names.

        Examples
        --------
        >>> Display.of({"lang": "de"}).number("Revenue", 845.5)
        '845,50'
        """
        lang = str(document.get("lang") or "en")
        return cls(
            numbers=document.get("formats") or {},
            plain=document.get("plainFormat") or resolve_number(Format(), lang),
            labels=document.get("labels") or {},
            names=document.get("names") or {},
        )

    def name(self, column: str, *, within: bool = False) -> str:
        """How the column or channel entry ``column`` is called.

        Its display name, or an aggregate in words (``"mean(lifeExp)"`` reads
        "Mean life expectancy").

        Parameters
        ----------
        column : str
            A column or channel entry.
        within : bool, default False
            The name stands within a sentence: it starts in lower case (an
            acronym such as "GDP" stays).

        Returns
        -------
        str
            The name the audience reads.

        Examples
        --------
        >>> shown = Display({}, resolve_number(Format(), "en"), {}, {"lifeExp": "Life expectancy"})
        >>> shown.name("lifeExp"), shown.name("mean(lifeExp)"), shown.name("lifeExp", within=True)
        ('Life expectancy', 'Mean life expectancy', 'life expectancy')
        """
        if column in self.names:
            given = self.names[column]
            return _lower_first(given) if within else given
        name, aggregator = measure_of(column)
        if aggregator == "sum" or aggregator not in AGGREGATE_NAMES:
            return name
        # A name the author gave is a phrase; a column's own name stays as it is written.
        own = _lower_first(self.names[name]) if name in self.names else name
        phrase = f"{AGGREGATE_NAMES[aggregator]} {own}"
        return phrase if within else _upper_first(phrase)

    def number(self, column: str, value: float | None, *, said: bool = False) -> str:
        """``value`` of the table column or channel entry ``column`` (``"mean(Units)"`` too).

        Counts read as plain numbers, without the measure's unit.

        Parameters
        ----------
        column : str
            A measure or channel entry.
        value : float or None
            The number (``None``: missing).
        said : bool, default False
            The number stands in a sentence: the zeros an exact number does not
            need are dropped ("1M orders"; "1.0M" says it was rounded), unless
            the format fixes its digits (cents).

        Returns
        -------
        str
            The number as :func:`format_number` writes it in that column's format.

        Examples
        --------
        >>> shown = Display({"Revenue": resolve_number(Format(prefix="$"), "en")}, resolve_number(Format(), "en"), {})
        >>> shown.number("Revenue", 2500), shown.number("count(Revenue)", 12)
        ('$2.5K', '12')
        >>> shown.number("Revenue", 3_000_000), shown.number("Revenue", 3_000_000, said=True)
        ('$3.0M', '$3M')
        """
        name, aggregator = measure_of(column)
        fmt = self.plain if aggregator in _COUNTING else self.numbers.get(name, self.plain)
        return format_number(value, fmt, trim=said_trim(fmt) if said else False)

    def title(self, text: str) -> str:
        """A chart title: one that is a date category (a timeline's moment) reads like the date.

        Parameters
        ----------
        text : str
            The title as the step holds it.

        Returns
        -------
        str
            The title as the audience reads it.

        Examples
        --------
        >>> Display({}, resolve_number(Format(), "en"), {"Month": {"2021-01-01": "Jan 2021"}}).title("2021-01-01")
        'Jan 2021'
        """
        for shown in self.labels.values():
            if text in shown:
                return shown[text]
        return text

    def label(self, dimension: str, label: str) -> str:
        """How a category of ``dimension`` reads (a date at its precision).

        Parameters
        ----------
        dimension : str
            A dimension's column name.
        label : str
            One of its category labels.

        Returns
        -------
        str
            The words for that category.

        Examples
        --------
        >>> Display({}, resolve_number(Format(), "en"), {"Month": {"2021-01-01": "Jan 2021"}}).label("Month", "2021-01-01")
        'Jan 2021'
        """
        return self.labels.get(dimension, {}).get(label, label)


def resolve(
    formats: Mapping[str, Any],
    datasets: Iterable[VizzuData],
    lang: str,
    names: Mapping[str, Any] | None = None,
) -> Display:
    """Every measure's and date column's format in ``datasets``, resolved for ``lang``.

    A measure without a format reads by its unit (if it has one) and the
    defaults, a dimension of ISO dates at its values' precision.

    Parameters
    ----------
    formats : mapping of str to Format, mapping or str
        Column names and their formats (or shorthands).
    datasets : iterable of VizzuData
        The story's data.
    lang : str
        The story's language.
    names : mapping of str to str, optional
        Column names and the names the audience reads (axis and legend
        titles, table headers, text).

    Returns
    -------
    Display
        Every format the story reads with.

    Raises
    ------
    StepError
        When a format or name is for no column, a number format is given to a
        dimension (or a date format to a measure), or two dates would read the
        same; the error's ``field`` is ``"formats"`` or ``"labels"``.

    Examples
    --------
    >>> from ipyreport import encode
    >>> data = encode({"Month": ["2021-01-01", "2021-02-01"], "Revenue": [5e6, 1e3]})
    >>> display = resolve({"Revenue": "$"}, [data], "en")
    >>> display.number("Revenue", 5e6), display.label("Month", "2021-01-01")
    ('$5.0M', 'Jan 2021')
    """
    measures: dict[str, Measure] = {}
    dimensions: dict[str, list[str]] = {}
    for data in datasets:
        for series in data.series:
            if isinstance(series, Measure):
                measures.setdefault(series.name, series)
            elif isinstance(series, Dimension):
                dimensions.setdefault(series.name, []).extend(series.categories)
    parsed: dict[str, Format] = {}
    for name, value in formats.items():
        if name not in measures and name not in dimensions:
            known = [*measures, *dimensions]
            msg = f"formats: no column named {name!r}{closest(str(name), known)}; columns are {sorted(known)}"
            raise StepError(msg, field="formats")
        try:
            fmt = parse_format(value, lang)
        except StepError as error:
            msg = f"formats: {name!r}: {error.args[0]}"
            raise StepError(msg, field="formats") from None
        if name in measures and fmt.date is not None:
            msg = f"formats: {name!r} is a measure; {fmt.date!r} formats dates; give it a number format such as '$' or 'units'"
            raise StepError(msg, field="formats")
        if name in dimensions and fmt.date is None:
            msg = f"formats: {name!r} is a dimension; number formats are for measures; a date column takes 'year', 'quarter', 'month', 'day' or 'iso'"
            raise StepError(msg, field="formats")
        parsed[name] = fmt
    numbers: dict[str, NumberFormat] = {}
    for name, series in measures.items():
        # A log series reads in the format of the measure it is the logarithm of.
        source = measures.get(series.log_of or name, series)
        chosen = parsed.get(name) or parsed.get(source.name)
        numbers[name] = resolve_number(
            chosen or (Format(suffix=f" {source.unit}") if source.unit else Format()), lang
        )
        if series.log_of is not None:
            numbers[name]["log"] = True
    labels = {}
    for name, categories in dimensions.items():
        wanted = parsed.get(name)
        unique = list(dict.fromkeys(categories))
        if (
            wanted is not None
            and date_precision(unique) is None
            and not any(_ISO_DATE.match(label) for label in unique)
        ):
            msg = f"formats: {name!r} holds no dates (such as {unique[0]!r}); date formats are for date columns"
            raise StepError(msg, field="formats")
        if wanted is None and date_precision(unique) is None:
            continue
        shown = date_labels(unique, wanted.date if wanted else None, lang, name=name)
        if shown:
            labels[name] = shown
    given = _names(names or {}, [*measures, *dimensions])
    for name, series in measures.items():
        # A log series is called what its measure is called, on a log scale.
        if series.log_of in given and name not in given:
            given[name] = f"{given[series.log_of]} (log scale)"
    return Display(
        numbers=numbers,
        plain=resolve_number(Format(), lang),
        labels=labels,
        names=given,
    )


def _names(names: Mapping[str, Any], columns: list[str]) -> dict[str, str]:
    """The display names an author gave, checked: each names a column, as text."""
    if not isinstance(names, Mapping):
        msg = f"labels map column names to what the audience reads, such as {{'pop': 'Population'}}; got {names!r}"
        raise StepError(msg, field="labels")
    checked = {}
    for column, shown in names.items():
        if column not in columns:
            msg = f"labels: no column named {column!r}{closest(str(column), columns)}; columns are {sorted(columns)}"
            raise StepError(msg, field="labels")
        if not isinstance(shown, str) or not shown.strip():
            msg = f"labels: {column!r} is called by some text, such as {column.capitalize()!r}; got {shown!r}"
            raise StepError(msg, field="labels")
        checked[str(column)] = shown.strip()
    return checked
