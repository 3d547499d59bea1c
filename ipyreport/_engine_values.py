"""The text forms the chart engine reads for lengths, colours, angles, gradients,
palettes, colour filters and channel range ends.

The engine's types call all of these "string"; its C++ parsers decide. They
are lenient in places that draw nonsense (``rgb(a, 1, 1)`` reads as black,
``'0x10'`` as 16) and abort the whole engine in others (``fontSize: 'abc'``
or a range end of ``'foo'`` end every chart on the page), so the forms
accepted here are the plain ones those parsers read as written:

- number: ``-?digits[.digits][e-?digits]``, 0 or between ``MIN_MAGNITUDE``
  and ``MAX_MAGNITUDE`` in size
  (no ``+``, which a length reads as "plus", no hex, ``inf`` or ``nan``);
- length: a number (pixels) or ``number[px|em|%]``, terms joined by ``+``
  (``'10px+1em'``);
- colour: ``#rgb``, ``#rrggbb``, ``#rrggbbaa``, ``rgb(r, g, b)`` with whole
  numbers 0-255, ``rgba(r, g, b, a)`` with ``a`` from 0 to 1; no names;
- angle: a number (radians) or ``number[rad|deg|grad|turn]``;
- gradient: ``'<hex colour> <position>'`` stops joined by commas, positions
  from 0 to 1 in rising order (the engine splits stops at every comma, so
  ``rgb()`` cannot appear in one);
- palette: colours separated by spaces;
- colour filter: ``none``, ``color(<hex colour>)``, ``lightness(n)``,
  ``grayscale(n)`` or ``opacity(n)``;
- range end: a number, ``auto`` or ``number[%|min|max]``.

Each check returns None or why the value is refused and what to write.

>>> length_problem("10qq")
"'10qq' is not a length; write pixels as a number or text such as 12, '12px', '1.2em' (times the font size) or '80%'"
>>> color_problem("rgba(0, 0, 0, 0.5)") is None
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

__all__ = [
    "GRAMMARS",
    "TAKE_NUMBERS",
    "angle_problem",
    "color_problem",
    "extremum_problem",
    "filter_problem",
    "gradient_problem",
    "length_problem",
    "palette_problem",
]

# Beyond these a size, angle or range end means nothing drawable, and the
# engine's own number reading aborts on numbers it cannot hold (past 1e308,
# or nonzero below about 2e-308).
MAX_MAGNITUDE = 1e15
MIN_MAGNITUDE = 1e-100

NUMBER = r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE]-?[0-9]+)?"
_SPACE = r"[ ]*"
_LENGTH_TERM = re.compile(rf"{_SPACE}({NUMBER}){_SPACE}(px|em|%)?{_SPACE}")
_ANGLE = re.compile(rf"{_SPACE}({NUMBER}){_SPACE}(rad|deg|grad|turn)?{_SPACE}")
_EXTREMUM = re.compile(rf"{_SPACE}({NUMBER}){_SPACE}(%|min|max)?{_SPACE}")
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_INTEGER = re.compile(r"[0-9]{1,3}")
_FUNCTION = re.compile(rf"{_SPACE}([a-z]+){_SPACE}\((.*)\){_SPACE}")
_STOP = re.compile(rf"{_SPACE}(\S+) +({NUMBER}){_SPACE}")

LENGTH_FORMS = (
    "write pixels as a number or text such as 12, '12px', '1.2em' (times the font size) or '80%'"
)
COLOR_FORMS = (
    "write '#rrggbb', '#rgb', '#rrggbbaa', 'rgb(r, g, b)' or 'rgba(r, g, b, a)' "
    "with r, g, b whole numbers from 0 to 255 and a from 0 to 1"
)


def _number(text: str) -> float | None:
    """The value of a written number the engine reads as written, or None."""
    if not re.fullmatch(NUMBER, text):
        return None
    value = float(text)
    if value == 0 and re.search("[1-9]", re.split("[eE]", text)[0]):
        return None  # too small to hold: the engine aborts rather than read 0
    return _finite(value)


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        return None
    if not math.isfinite(number) or not (
        number == 0 or MIN_MAGNITUDE <= abs(number) <= MAX_MAGNITUDE
    ):
        return None
    return number


def _plain_number(value: Any) -> bool:
    return _finite(value) is not None


def length_problem(value: Any) -> str | None:
    """Why ``value`` is not a length the engine reads (pixels, ``em``, ``%``), or None.

    >>> length_problem("1.2em") is None, length_problem(12) is None
    (True, True)
    """
    if _plain_number(value):
        return None
    if isinstance(value, str) and value.strip():
        terms = value.split("+")
        if all(_measured(_LENGTH_TERM, term) for term in terms):
            return None
    return f"{value!r} is not a length; {LENGTH_FORMS}"


def _measured(pattern: re.Pattern[str], text: str) -> bool:
    match = pattern.fullmatch(text)
    return match is not None and _number(match.group(1)) is not None


def _channel(text: str) -> bool:
    return _INTEGER.fullmatch(text.strip(" ")) is not None and int(text) <= 255


def _color(text: str) -> str | None:
    """None if ``text`` is a colour the engine reads, else a hint to add to the message."""
    if _HEX.fullmatch(text):
        return None
    function = _FUNCTION.fullmatch(text)
    if function is not None:
        name, inside = function.groups()
        params = inside.split(",")
        if name == "rgb" and len(params) == 3 and all(_channel(p) for p in params):
            return None
        if name == "rgba" and len(params) == 4 and all(_channel(p) for p in params[:3]):
            alpha = _number(params[3].strip(" "))
            if alpha is not None and 0 <= alpha <= 1:
                return None
        return ""
    if re.fullmatch(r"[A-Za-z]+", text):
        return " (the engine knows no colour names)"
    return ""


def color_problem(value: Any) -> str | None:
    """Why ``value`` is not a colour the engine reads, or None.

    >>> color_problem("red")
    "'red' is not a colour the engine reads (the engine knows no colour names); write '#rrggbb', '#rgb', '#rrggbbaa', 'rgb(r, g, b)' or 'rgba(r, g, b, a)' with r, g, b whole numbers from 0 to 255 and a from 0 to 1"
    """
    hint = _color(value) if isinstance(value, str) else ""
    if hint is None:
        return None
    return f"{value!r} is not a colour the engine reads{hint}; {COLOR_FORMS}"


def angle_problem(value: Any) -> str | None:
    """Why ``value`` is not an angle the engine reads, or None.

    >>> angle_problem("45deg") is None
    True
    """
    if _plain_number(value) or (isinstance(value, str) and _measured(_ANGLE, value)):
        return None
    return (
        f"{value!r} is not an angle; write radians as a number (1.57) "
        "or text such as '90deg', '0.25turn', '100grad' or '1.57rad'"
    )


def gradient_problem(value: Any) -> str | None:
    """Why ``value`` is not a colour gradient the engine reads, or None.

    >>> gradient_problem("#003f5c 0, #ffa600 1") is None
    True
    """
    if isinstance(value, str) and value.strip(" ,"):
        last = -math.inf
        for stop in (part for part in value.split(",") if part):
            match = _STOP.fullmatch(stop)
            if match is None or not _HEX.fullmatch(match.group(1)):
                break
            position = _number(match.group(2))
            if position is None or not last <= position <= 1 or position < 0:
                break
            last = position
        else:
            return None
    return (
        f"{value!r} is not a colour gradient; write stops separated by commas, each a hex colour "
        "and a position from 0 to 1, positions rising, such as '#003f5c 0, #ffa600 1'"
    )


def palette_problem(value: Any) -> str | None:
    """Why ``value`` is not a colour palette the engine reads, or None.

    >>> palette_problem("#003f5c rgb(122, 81, 149) #ffa600") is None
    True
    """
    if isinstance(value, str):
        colors = _palette_colors(value)
        if colors and all(_color(color) is None for color in colors):
            return None
    return (
        f"{value!r} is not a colour palette; write colours separated by spaces, such as "
        f"'#003f5c #7a5195 #ffa600' (each colour: {COLOR_FORMS.removeprefix('write ')})"
    )


def _palette_colors(text: str) -> list[str]:
    """The engine's split of a palette: at spaces outside parentheses."""
    colors, current, depth = [], "", 0
    for char in text:
        depth += (char == "(") - (char == ")")
        if char == " " and depth <= 0:
            if current:
                colors.append(current)
            current = ""
        else:
            current += char
    if current:
        colors.append(current)
    return colors


def filter_problem(value: Any) -> str | None:
    """Why ``value`` is not a colour filter the engine reads, or None.

    >>> filter_problem("lightness(0.4)") is None
    True
    """
    if isinstance(value, str):
        if value.strip(" ") == "none":
            return None
        function = _FUNCTION.fullmatch(value)
        if function is not None and "," not in function.group(2):
            name, inside = function.group(1), function.group(2).strip(" ")
            if name == "color" and _HEX.fullmatch(inside):
                return None
            if name in ("lightness", "grayscale", "opacity") and _number(inside) is not None:
                return None
    return (
        f"{value!r} is not a colour filter; write 'none', 'color(#rrggbb)', "
        "'lightness(0.5)', 'grayscale(1)' or 'opacity(0.5)'"
    )


def extremum_problem(value: Any) -> str | None:
    """Why ``value`` is not an end of a channel's range the engine reads, or None.

    >>> extremum_problem("110%") is None, extremum_problem("auto") is None
    (True, True)
    """
    if _plain_number(value) or value == "auto":
        return None
    if isinstance(value, str) and _measured(_EXTREMUM, value):
        return None
    return (
        f"{value!r} is not a range end; write a number in the data's units (100), 'auto', "
        "a percentage of the data's range ('110%') or an offset from its min or max "
        "('-10min', '5max')"
    )


# Each grammar by the name the engine's style and config schema are tagged with.
GRAMMARS: dict[str, Callable[[Any], str | None]] = {
    "length": length_problem,
    "color": color_problem,
    "angle": angle_problem,
    "gradient": gradient_problem,
    "palette": palette_problem,
    "filter": filter_problem,
    "extremum": extremum_problem,
}

# The grammars whose fields also take a plain number (pixels, radians, data units).
TAKE_NUMBERS = frozenset({"length", "angle", "extremum"})
