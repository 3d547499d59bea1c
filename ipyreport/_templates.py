"""Text bound to the data: the template language of titles, notes and annotations.

A template is text with expressions in braces. Each expression is computed
from the data its step draws (see :mod:`ipyreport._expressions`), so the words
follow the data and never go stale::

    {Region.top} leads with {sum(Revenue, Region=Region.top)}
    Revenue {change(Revenue, Month) | pct:+} since {Month.first}
    {count(Country)} countries; {share(Revenue, Region="Europe")} from Europe
    {caption}

The language, whole:

- ``sum(M)``, ``mean(M)``, ``min(M)``, ``max(M)``: a measure over the rows
  the step draws; ``count(D)`` is how many categories of a dimension it
  draws, ``count(M)`` how many values a measure has there.
- ``D.top`` and ``D.bottom``: the category with the largest (smallest)
  value of the chart's measure, or of the one named: ``Region.top(Units)``,
  ``Product.top(mean(Units))``, over every row the text reads (a slide's
  notes: every moment of its timeline). Conditions after the measure rank
  within the rows they keep, such as one moment: ``Company.top(Price,
  Date=Date.last)`` is who ends highest, ``Company.top(Date=Date.last)``
  the same by the chart's measure. ``D.first`` and ``D.last``: the first
  and last category drawn (dates in time order).
- ``change(M, D)``: the relative change of ``M`` from the first to the last
  category of ``D``; ``share(M, D="x")``: the part of ``M`` the condition keeps.
- Conditions narrow any of them: ``sum(Revenue, Region="Europe",
  Product=Product.top)``; a bare word is a category (``Region=Europe``), a
  category with spaces or punctuation is quoted; a name with spaces is
  written in backticks: ```sum(`Unit price`)```.
- ``C.name``: how the column ``C`` is called (its display name from the
  story's ``labels``, else its own): ``{Revenue.name} by {Region.name}``.
- ``caption`` is the step's generated description; ``caption.what``,
  ``caption.stats`` and ``caption.change`` are its three parts.
- After ``|``, a format: ``pct`` (a ratio as a percentage), a format
  shorthand (``$``, ``€``, ``units``, ``plain``...), then ``:+`` for a sign
  and ``:N`` for decimals: ``| pct:+``, ``| $:0``. By default a number reads
  in its measure's format, a change as ``+12.3%``, a share as ``12.3%``.
- ``{{`` and ``}}`` are literal braces.

Parsing is its own small grammar (no ``eval``); a mistake is a
:class:`TemplateError` with its place in the text and the closest name.

>>> parse("{Region.top} leads").parts[0].source
'Region.top'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ipyreport._errors import StepError, closest

__all__ = [
    "AGGREGATES",
    "CAPTION_PARTS",
    "RANKS",
    "TEMPLATE_HELP",
    "Expression",
    "Template",
    "TemplateError",
    "TextFormat",
    "is_template",
    "literal",
    "name_of",
    "parse",
]

# How the JSON Schema describes a text that may hold expressions.
TEMPLATE_HELP = (
    "text; {expressions} in braces are computed from the data the step draws: "
    "{sum(Revenue)}, {count(Country)}, {Region.top}, {Month.first}, "
    "{change(Revenue, Month) | pct:+}, {share(Revenue, Region=Europe)}, {caption}, "
    "{Revenue.name} (the column's display name); "
    "conditions narrow any of them, so {Company.top(Price, Date=Date.last)} ranks at the "
    "last date (Region.top alone ranks by the total over every row); "
    "{{ and }} are literal braces"
)
AGGREGATES = ("sum", "mean", "min", "max", "count")
RANKS = ("top", "bottom", "first", "last")
CAPTION_PARTS = ("what", "stats", "change")
FUNCTIONS = (*AGGREGATES, "change", "share")
# How deep a rank may sit inside another's conditions (Region.top(Units, Product=Product.top)).
MAX_NESTING = 8


class TemplateError(StepError):
    """A template that cannot be read: ``offset`` is where in the text the mistake is."""

    def __init__(self, message: str, *, offset: int, text: str, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.offset = offset
        self.text = text


@dataclass(frozen=True)
class TextFormat:
    """How an expression's number reads: ``pct``, a format shorthand, a sign, decimals."""

    base: str | None = None  # "pct", a format shorthand, or None: the expression's own
    signed: bool = False
    decimals: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"base": self.base, "signed": self.signed, "decimals": self.decimals}


@dataclass(frozen=True)
class Expression:
    """One ``{...}``: its source text, where it starts in the template, its tree and format."""

    source: str
    offset: int
    node: dict[str, Any]
    format: TextFormat = field(default_factory=TextFormat)


@dataclass(frozen=True)
class Template:
    """A text's literal pieces and expressions, in order."""

    text: str
    parts: tuple[str | Expression, ...]

    @property
    def expressions(self) -> list[Expression]:
        return [part for part in self.parts if isinstance(part, Expression)]


def is_template(text: str | None) -> bool:
    """Whether ``text`` is read as a template: it holds a brace (``{{`` and ``}}`` are
    literal braces, so text written by :func:`literal` reads as itself).

    >>> is_template("Revenue {sum(Revenue)}"), is_template("a {{literal}} brace"), is_template("plain")
    (True, True, False)
    """
    return bool(text) and ("{" in (text or "") or "}" in (text or ""))


def literal(text: str) -> str:
    """``text`` as a template that reads as itself: braces doubled (labels from the data).

    >>> literal("a{b}")
    'a{{b}}'
    """
    return text.replace("{", "{{").replace("}", "}}")


def name_of(column: str) -> str:
    """A template that reads as the display name of ``column`` (``{`Revenue`.name}``).

    >>> name_of("Unit price"), name_of("a{b")
    ('{`Unit price`.name}', 'a{{b')
    """
    if any(c in column for c in "`{}"):
        return literal(column)  # not quotable: it reads as itself
    return f"{{`{column}`.name}}"


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | `(?P<quoted>[^`]*)`
      | "(?P<double>[^"]*)"
      | '(?P<single>[^']*)'
      | (?P<punct>[().,=])
      | (?P<other>\S)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Token:
    kind: str  # name, text, punct, other, end
    value: str
    offset: int  # in the whole template


class _Parser:
    def __init__(self, source: str, start: int, text: str) -> None:
        self.text = text
        self.tokens: list[_Token] = []
        position = 0
        while position < len(source) and source[position:].strip():
            match = _TOKEN.match(source, position)
            assert match is not None  # the pattern matches any non-space character
            kind = match.lastgroup or "other"
            value = match.group(kind)
            offset = start + match.start(kind) - (kind in ("quoted", "double", "single"))
            if kind in ("double", "single"):
                kind = "text"
            elif kind == "quoted":
                kind = "name"
            self.tokens.append(_Token(kind, value, offset))
            position = match.end()
        self.tokens.append(_Token("end", "", start + len(source)))
        self.at = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.at]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def fail(self, token: _Token, message: str) -> TemplateError:
        return TemplateError(message, offset=token.offset, text=self.text)

    def expect(self, punct: str, after: str) -> _Token:
        token = self.take()
        if token.kind != "punct" or token.value != punct:
            shown = repr(token.value) if token.kind != "end" else "the end"
            raise self.fail(token, f"expected {punct!r} {after}, found {shown}")
        return token

    def name(self, what: str) -> str:
        token = self.take()
        if token.kind != "name":
            shown = repr(token.value) if token.kind != "end" else "the end"
            raise self.fail(token, f"expected {what}, found {shown}")
        return token.value

    def expression(self) -> dict[str, Any]:
        token = self.peek()
        if token.kind != "name":
            raise self.fail(token, _HELP)
        word = self.take().value
        following = self.peek()
        if following.kind == "punct" and following.value == "(":
            return self.call(word, token)
        if following.kind == "punct" and following.value == ".":
            self.take()
            part = self.take()
            if word == "caption" and part.value in CAPTION_PARTS:
                return {"op": "caption", "part": part.value}
            if word == "caption":
                raise self.fail(
                    part,
                    f"caption has the parts {', '.join(CAPTION_PARTS)}; got {part.value!r}{_near(part.value, CAPTION_PARTS)}",
                )
            if part.kind == "name" and part.value == "name":
                return {"op": "name", "column": word}
            if part.kind != "name" or part.value not in RANKS:
                raise self.fail(
                    part,
                    f"after {word!r}. comes one of {', '.join((*RANKS, 'name'))}; got {part.value!r}{_near(part.value, RANKS)}",
                )
            return self.rank(word, part.value)
        if word == "caption":
            return {"op": "caption", "part": None}
        raise self.fail(
            token,
            f"{word!r} alone is not a value{_near(word, FUNCTIONS)}; write a function such as "
            f"sum({word}) or a category such as {word}.top",
        )

    def call(self, function: str, token: _Token) -> dict[str, Any]:
        if function not in FUNCTIONS:
            raise self.fail(
                token,
                f"unknown function {function!r}{_near(function, FUNCTIONS)}; the functions are {', '.join(FUNCTIONS)}",
            )
        self.expect("(", f"after {function}")
        column = self.name(f"a column name in {function}(...)")
        node: dict[str, Any] = {"op": function if function in ("change", "share") else "aggregate"}
        if function in AGGREGATES:
            node["fn"] = function
        node["column"] = column
        if function == "change":
            self.expect(",", "and the dimension to follow in change(measure, dimension)")
            node["along"] = self.name("the dimension change(...) follows, such as Month")
        node["where"] = self.conditions(function)
        if function == "share" and not node["where"]:
            raise self.fail(
                token, f'share({column}) needs a condition: share({column}, Region="Europe")'
            )
        return node

    def rank(self, dimension: str, which: str) -> dict[str, Any]:
        node: dict[str, Any] = {
            "op": "rank",
            "which": which,
            "dimension": dimension,
            "by": None,
            "where": [],
        }
        following = self.peek()
        if not (following.kind == "punct" and following.value == "("):
            return node
        opening = self.take()
        closing = self.peek()
        if closing.kind == "punct" and closing.value == ")":
            self.take()
            return node
        if closing.kind == "name" and self._at_punct(1, "="):
            # Conditions alone: ranked by the chart's measure within the rows they keep.
            node["where"] = self.conditions(f"{dimension}.{which}", leading=False)
            return node
        first = self.name(f"the measure {dimension}.{which}(...) ranks by")
        if self.peek().kind == "punct" and self.peek().value == "(":
            if first not in AGGREGATES:
                raise self.fail(
                    self.peek(),
                    f"{first!r} is not an aggregate{_near(first, AGGREGATES)}; use one of {', '.join(AGGREGATES)}",
                )
            self.take()
            measure = self.name(f"a measure in {first}(...)")
            if self._at_punct(0, ","):
                self._conditions_inside(dimension, which, opening, first)
            self.expect(")", f"after {first}({measure}")
            node["by"] = {"column": measure, "fn": first}
        else:
            node["by"] = {"column": first, "fn": "sum"}
        node["where"] = self.conditions(f"{dimension}.{which}")
        return node

    def _at_punct(self, ahead: int, punct: str) -> bool:
        """Whether the token ``ahead`` of the next one is the punctuation ``punct``."""
        at = min(self.at + ahead, len(self.tokens) - 1)
        token = self.tokens[at]
        return token.kind == "punct" and token.value == punct

    def _conditions_inside(self, dimension: str, which: str, opening: _Token, fn: str) -> None:
        """``D.top(sum(M, C=x))``: the conditions belong to the ranking, after its measure."""
        comma = self.peek()
        self.conditions(f"{fn}(...)")
        closing = self.tokens[self.at - 1]
        start, end = comma.offset, closing.offset
        conditions = self.text[start:end]
        measure_text = self.text[opening.offset + 1 : start].strip()
        msg = (
            f"{dimension}.{which}(...) ranks by a measure alone; its conditions come after it: "
            f"write {dimension}.{which}({measure_text}){conditions})"
        )
        raise self.fail(comma, msg)

    def conditions(self, function: str, *, leading: bool = True) -> list[list[Any]]:
        """Conditions up to the closing ``)``; ``leading``: each after a comma (else the
        first comes at once)."""
        result: list[list[Any]] = []
        while True:
            if leading or result:
                token = self.take()
                if token.kind == "punct" and token.value == ")":
                    return result
                if token.kind != "punct" or token.value != ",":
                    shown = repr(token.value) if token.kind != "end" else "the end"
                    raise self.fail(token, f"expected ',' or ')' in {function}(...), found {shown}")
            column = self.name('a condition such as Region="Europe"')
            if self._at_punct(0, "."):
                dot = self.take()
                msg = f"a condition names the column it narrows: write {column}={column}.{self.peek().value}"
                raise self.fail(dot, msg)
            self.expect("=", f'after {column} (conditions read {column}="...")')
            value = self.take()
            if value.kind == "text":
                result.append([column, {"text": value.value}])
            elif value.kind == "name":
                following = self.peek()
                if following.kind == "punct" and following.value == ".":
                    self.take()
                    which = self.take()
                    if which.value not in RANKS:
                        raise self.fail(
                            which,
                            f"after {value.value!r}. comes one of {', '.join(RANKS)}; got {which.value!r}{_near(which.value, RANKS)}",
                        )
                    self.depth += 1
                    if self.depth > MAX_NESTING:
                        raise self.fail(
                            value,
                            f"conditions nest deeper than {MAX_NESTING} levels; no sentence needs that",
                        )
                    result.append([column, self.rank(value.value, which.value)])
                    self.depth -= 1
                else:
                    result.append([column, {"text": value.value}])
            else:
                shown = repr(value.value) if value.kind != "end" else "the end"
                raise self.fail(
                    value,
                    f'expected a category after {column}=, found {shown}; quote it: {column}="..."',
                )


_HELP = (
    "an expression is a function such as sum(Revenue), count(Country), change(Revenue, Month), "
    'share(Revenue, Region="Europe"), a category such as Region.top or Month.first, or caption'
)


def _near(word: str, choices: tuple[str, ...]) -> str:
    return closest(word, choices)


def _format(spec: str, offset: int, text: str) -> TextFormat:
    base, *modifiers = [part.strip() for part in spec.split(":")]
    signed = False
    decimals = None
    for modifier in modifiers:
        if modifier == "+":
            signed = True
        elif modifier.isdigit() and int(modifier) <= 10:
            decimals = int(modifier)
        else:
            msg = f"a format's modifier is '+' (a sign) or a number of decimals (0-10), got {modifier!r}"
            raise TemplateError(msg, offset=offset, text=text)
    if base == "+":
        base, signed = "", True
    if not base and not modifiers and spec.strip() != "+":
        msg = "a format follows '|': pct, a format shorthand such as '$' or 'units', ':+', ':1'"
        raise TemplateError(msg, offset=offset, text=text)
    return TextFormat(base or None, signed, decimals)


def parse(text: str) -> Template:
    """``text`` as literal pieces and expressions.

    >>> template = parse("{count(Country)} countries, {change(Revenue, Month) | pct:+}")
    >>> [part if isinstance(part, str) else part.node["op"] for part in template.parts]
    ['aggregate', ' countries, ', 'change']
    """
    parts: list[str | Expression] = []
    literal: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        if text.startswith("{{", position) or text.startswith("}}", position):
            literal.append(char)
            position += 2
            continue
        if char == "}":
            msg = "a '}' closes no expression; write '}}' for a brace in the text"
            raise TemplateError(msg, offset=position, text=text)
        if char != "{":
            literal.append(char)
            position += 1
            continue
        end = text.find("}", position)
        if end < 0:
            msg = "an expression opened with '{' is not closed with '}'; write '{{' for a brace in the text"
            raise TemplateError(msg, offset=position, text=text)
        inside = text[position + 1 : end]
        if "{" in inside:
            msg = "an expression cannot hold '{'; close the first one with '}'"
            raise TemplateError(msg, offset=position + 1 + inside.index("{"), text=text)
        body, bar, spec = inside.partition("|")
        parser = _Parser(body, position + 1, text)
        node = parser.expression()
        rest = parser.peek()
        if rest.kind != "end":
            msg = f"unexpected {rest.value!r} after the expression; one expression per braces, a format after '|'"
            raise parser.fail(rest, msg)
        fmt = _format(spec, position + 2 + len(body), text) if bar else TextFormat()
        if literal:
            parts.append("".join(literal))
            literal = []
        parts.append(Expression(body.strip(), position, node, fmt))
        position = end + 1
    if literal:
        parts.append("".join(literal))
    return Template(text, tuple(parts))
