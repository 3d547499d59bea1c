"""The YAML a spec, a theme or a ``--set`` value may hold: no aliases, no deep nesting.

YAML allows what a story never needs and what turns a few bytes into
gigabytes or a crash: aliases (a "billion laughs" grows a small file into
gigabytes) and nesting deep enough to exhaust Python's recursion. Every
piece of YAML ipyreport reads goes through :func:`check_shape` first.
"""

from __future__ import annotations

import yaml

from ipyreport._errors import SpecError

__all__ = ["MAX_DEPTH", "check_shape"]

# Deeper than any story needs; far below what Python's recursion can read.
MAX_DEPTH = 64


def check_shape(
    source: str, name: str, what: str = "spec", *, located: bool = True, syntax: bool = True
) -> None:
    """Raise :class:`SpecError` if ``source`` (a ``what``: spec, theme...) holds an alias or
    nests deeper than :data:`MAX_DEPTH`; messages start with ``name`` (and
    ``:line:column`` when ``located``). YAML that does not parse is an error too,
    unless ``syntax`` is false (the caller's own parser then says why)."""
    depth = 0
    try:
        for event in yaml.parse(source, Loader=yaml.SafeLoader):
            mark = event.start_mark
            where = f"{name}:{mark.line + 1}:{mark.column + 1}" if located and mark else name
            if isinstance(event, yaml.AliasEvent):
                msg = f"{where}: YAML aliases (*{event.anchor}) are not allowed in a {what}; write the value out"
                raise SpecError(msg)
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    msg = f"{where}: the {what} nests deeper than {MAX_DEPTH} levels; no story needs that"
                    raise SpecError(msg)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError as error:
        if not syntax:
            return
        mark = getattr(error, "problem_mark", None)
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if located and mark else name
        problem = getattr(error, "problem", None) or str(error)
        msg = f"{where}: not valid YAML: {problem}"
        raise SpecError(msg) from None
