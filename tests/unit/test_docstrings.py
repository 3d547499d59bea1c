"""Every public callable carries a numpydoc docstring that matches its signature.

"Public" is what a user reaches: ``ipyreport.__all__`` and the ``__all__`` of the
public modules below. A function or class needs a one-line summary; a
``Parameters`` section naming exactly its signature's parameters (``self`` and
``cls`` aside, ``*args``/``**kwargs`` with their stars); ``Returns`` (or
``Yields``) unless it returns ``None``; ``Raises`` naming every exception its own
body raises; and an ``Examples`` section with a doctest. Properties need only
their summary; exceptions and plain records (typed dicts) only theirs too. The
examples themselves run as doctests (``pytest --doctest-modules ipyreport``).
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import re
import textwrap
from collections.abc import Callable, Iterator
from typing import Any, is_typeddict

import pytest

MODULES = (
    "ipyreport",
    "ipyreport.presets",
    "ipyreport.samples",
    "ipyreport.lazy",
    "ipyreport.data",
    "ipyreport.formats",
    "ipyreport.themes",
    "ipyreport.lake",
    "ipyreport.spec",
    "ipyreport.check",
    "ipyreport.document",
    "ipyreport.story",
    "ipyreport.step",
    "ipyreport.export.html",
    "ipyreport.export.pdf",
    "ipyreport.export.pptx",
    "ipyreport.export.video",
    "ipyreport.export.notebook_article",
    "ipyreport.panel",
    "ipyreport.streamlit",
    "ipyreport.notebook",
    "ipyreport.notebook.widget",
    "ipyreport.notebook.magics",
    "ipyreport.assets",
    "ipyreport.cli",
    "ipyreport.preview",
)

# Modules whose public API is being reshaped (keyword order, highlights, a story
# that cannot go stale); their docstrings are written with that work, and each
# module leaves this set when they are.
EXEMPT_MODULES: frozenset[str] = frozenset()

SECTION = re.compile(r"^(?P<name>[A-Z][A-Za-z ]+)\n-+$", re.M)
ENTRY = re.compile(r"^(?P<names>\*{0,2}[A-Za-z_][\w., *]*?)(?:\s*:.*)?$")
ERROR_NAME = re.compile(r"^[A-Z]\w*(Error|Exception|Warning|Interrupt|Exit)$")


@dataclasses.dataclass(frozen=True)
class Public:
    """One callable a user reaches, and how it is reached."""

    where: str  # the name it is reached by, e.g. "ipyreport.lazy.lazy" or "...Story.save_html"
    obj: Any
    module: str  # the module that defines it
    reached_from: str  # the public module whose __all__ names it


def _defined_module(obj: Any) -> str:
    return getattr(obj, "__module__", "") or ""


def _walk() -> Iterator[Public]:
    seen: set[int] = set()
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in _public_names(module):
            obj = getattr(module, name)
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue  # constants are documented where they are defined
            if not _defined_module(obj).startswith("ipyreport") or id(obj) in seen:
                continue
            seen.add(id(obj))
            where = f"{module_name}.{name}"
            yield Public(where, obj, _defined_module(obj), module_name)
            if inspect.isclass(obj):
                yield from _methods(obj, where, module_name)


def _public_names(module: Any) -> list[str]:
    """A module's ``__all__``, else the names it defines without a leading underscore."""
    if hasattr(module, "__all__"):
        return list(module.__all__)
    return [
        name
        for name, obj in vars(module).items()
        if not name.startswith("_") and _defined_module(obj) == module.__name__
    ]


def _methods(cls: type, where: str, reached_from: str) -> Iterator[Public]:
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        function = member.__func__ if isinstance(member, classmethod | staticmethod) else member
        if isinstance(function, property) or inspect.isfunction(function):
            yield Public(f"{where}.{name}", member, _defined_module(cls), reached_from)


PUBLIC = list(_walk())


def sections(doc: str) -> dict[str, str]:
    """A numpydoc docstring's sections by title; the text before the first is ``""``."""
    found: dict[str, str] = {}
    matches = list(SECTION.finditer(doc))
    found[""] = doc[: matches[0].start()] if matches else doc
    for match, following in zip(matches, [*matches[1:], None], strict=False):
        end = following.start() if following is not None else len(doc)
        found[match["name"]] = doc[match.end() : end].strip("\n")
    return found


def entries(section: str) -> list[str]:
    """The names a Parameters/Returns/Raises section lists (its unindented lines)."""
    names: list[str] = []
    for line in section.splitlines():
        if not line or line[0].isspace():
            continue
        match = ENTRY.match(line)
        assert match, f"not a numpydoc entry: {line!r}"
        names.extend(part.strip() for part in match["names"].split(","))
    return names


def _function_of(public: Public) -> Callable[..., Any] | None:
    member = public.obj
    if isinstance(member, classmethod | staticmethod):
        return member.__func__
    if isinstance(member, property):
        return None
    return member


def _parameters(target: Any) -> list[str]:
    try:
        signature = inspect.signature(target)
    except (TypeError, ValueError):
        return []
    names = []
    for parameter in signature.parameters.values():
        if parameter.name in {"self", "cls"}:
            continue
        stars = {parameter.VAR_POSITIONAL: "*", parameter.VAR_KEYWORD: "**"}.get(parameter.kind, "")
        names.append(stars + parameter.name)
    return names


def _returns_none(function: Callable[..., Any]) -> bool:
    annotation = inspect.signature(function).return_annotation
    return annotation in (None, "None")


def _raised(function: Callable[..., Any]) -> set[str]:
    """The exception classes the function's own body raises by name."""
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return set()
    raised: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if ERROR_NAME.match(name):
                raised.add(name)
    return raised


def _is_record(cls: type) -> bool:
    """A plain record or an error: built by the library, read by the user."""
    return is_typeddict(cls) or issubclass(cls, BaseException)


def problems(public: Public) -> list[str]:
    """What the docstring of ``public`` lacks, in words; empty when it is complete."""
    doc = inspect.getdoc(
        public.obj.__func__ if isinstance(public.obj, classmethod | staticmethod) else public.obj
    )
    if not doc:
        return ["no docstring"]
    found: list[str] = []
    lines = doc.splitlines()
    if len(lines) > 1 and lines[1].strip():
        found.append("the summary is more than one line")
    parts = sections(doc)
    function = _function_of(public)
    if function is None:  # a property: its summary says what it is
        return found
    is_class = inspect.isclass(public.obj)
    if is_class and _is_record(public.obj):
        return found
    wanted = _parameters(public.obj if is_class else function)
    if wanted or "Parameters" in parts:
        documented = entries(parts.get("Parameters", ""))
        if documented != wanted:
            found.append(f"Parameters lists {documented}, the signature has {wanted}")
    if not is_class and not _returns_none(function) and not ({"Returns", "Yields"} & set(parts)):
        found.append("no Returns section")
    if is_class:  # what building one raises: its __init__ and a dataclass's __post_init__
        own = vars(public.obj)
        raised = set().union(
            *(_raised(own[name]) for name in ("__init__", "__post_init__") if name in own)
        )
    else:
        raised = _raised(function)
    missing = raised - {name.rsplit(".", 1)[-1] for name in entries(parts.get("Raises", ""))}
    if missing:
        found.append(f"Raises does not name {sorted(missing)}")
    if ">>>" not in parts.get("Examples", ""):
        found.append("no Examples section with a doctest")
    return found


CHECKED = [public for public in PUBLIC if public.module not in EXEMPT_MODULES]


@pytest.mark.parametrize("public", CHECKED, ids=[public.where for public in CHECKED])
def test_public_callable_has_a_numpydoc_docstring(public: Public) -> None:
    assert problems(public) == []


def test_the_walk_reaches_the_callables_users_call() -> None:
    reached = {public.where for public in PUBLIC}
    for where in (
        "ipyreport.Story",
        "ipyreport.Story.save_html",
        "ipyreport.presets.morph",
        "ipyreport.lazy.lazy",
        "ipyreport.to_vizzu_data",
        "ipyreport.export.pdf.save_pdf",
        "ipyreport.panel.StoryPlayer",
        "ipyreport.streamlit.story",
        "ipyreport.notebook.widget.StoryPlayer.go",
        "ipyreport.notebook.magics.StoryMagics.ipyreport",
        "ipyreport.cli.main",
    ):
        assert where in reached


def test_the_parser_reads_a_numpydoc_docstring() -> None:
    def sample(path: str, *, rows: int = 1, **options: Any) -> int:
        """Count rows.

        Parameters
        ----------
        path : str
            Where the file is.
        rows, **options
            How many, and the rest.

        Returns
        -------
        int
            The count.

        Raises
        ------
        ValueError
            When ``rows`` is negative.

        Examples
        --------
        >>> 1
        1
        """
        if rows < 0:
            msg = "rows is negative"
            raise ValueError(msg)
        return rows

    public = Public("sample", sample, __name__, __name__)
    assert problems(public) == []
    assert entries(sections(inspect.getdoc(sample) or "")["Parameters"]) == [
        "path",
        "rows",
        "**options",
    ]


def test_the_check_names_what_a_docstring_lacks() -> None:
    def bare(path: str, rows: int) -> int:
        """Count rows
        in a file."""
        if rows < 0:
            msg = "rows is negative"
            raise ValueError(msg)
        return rows

    assert problems(Public("bare", bare, __name__, __name__)) == [
        "the summary is more than one line",
        "Parameters lists [], the signature has ['path', 'rows']",
        "no Returns section",
        "Raises does not name ['ValueError']",
        "no Examples section with a doctest",
    ]
