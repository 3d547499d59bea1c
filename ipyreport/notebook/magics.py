"""``%%ipyreport`` and ``%ipyreport``: stories from a notebook cell.

The cell magic takes a story spec in YAML (the same format as spec files);
its data may name a variable of the notebook::

    %%ipyreport --name story --export sales.html
    title: Sales
    data: {variable: df}
    slides:
      - steps:
          - chart: {kind: column, x: Region, y: Revenue}

The line magic is for quick looks:
``%ipyreport morph df x=Region y=Revenue kinds=column,pie``; text takes
templates as written (``title="{Region.top} leads"``, ``notes=auto``).
"""

from __future__ import annotations

import argparse
import shlex
from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class

if TYPE_CHECKING:
    from ipyreport.story import Story


def _cell_options(line: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="%%ipyreport", add_help=False)
    parser.add_argument("--export", metavar="PATH")
    parser.add_argument("--name", metavar="VAR")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    try:
        options, extra = parser.parse_known_args(shlex.split(line))
    except SystemExit:
        msg = "usage: %%ipyreport [--export PATH] [--name VAR] [--set KEY=VALUE ...]"
        raise UsageError(msg) from None
    if extra:
        msg = f"%%ipyreport: unknown option(s) {' '.join(extra)}; use --export PATH, --name VAR and --set KEY=VALUE"
        raise UsageError(msg)
    return options


def _value(text: str) -> Any:
    import yaml

    value = yaml.safe_load(text)
    return value if value is not None else text


def _list_kind(kind: Any) -> Any:
    """The list type a preset parameter accepts (``kinds=column,pie``), or None."""
    from ipyreport._schema import AnyOf, ListOf

    if isinstance(kind, AnyOf):
        return next((option for option in kind.options if isinstance(option, ListOf)), None)
    return kind if isinstance(kind, ListOf) else None


def _formats(raw: str) -> dict[str, str]:
    """``Revenue:$,Units:units`` as ``{"Revenue": "$", "Units": "units"}``."""
    formats = {}
    for item in raw.split(","):
        column, colon, shorthand = item.partition(":")
        if not colon:
            msg = f"%ipyreport: write format=COLUMN:FORMAT (such as format=Revenue:$), got {item!r}"
            raise UsageError(msg)
        formats[column] = shorthand
    return formats


@magics_class
class StoryMagics(Magics):
    """The ``%ipyreport`` line magic and ``%%ipyreport`` cell magic.

    ``%load_ext ipyreport`` registers them; make one yourself only to call a
    magic from Python.

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell, optional
        The shell whose variables the magics read and write.
    **kwargs
        Passed to IPython's ``Magics``.

    Examples
    --------
    >>> from IPython.core.interactiveshell import InteractiveShell
    >>> shell = InteractiveShell.instance()
    >>> shell.user_ns["df"] = {"Region": ["North", "South"], "Revenue": [3.0, 5.0]}
    >>> StoryMagics(shell).ipyreport("chart df x=Region y=Revenue").title
    'chart of df'
    """

    @property
    def namespace(self) -> dict[str, Any]:
        """The notebook's variables, which a spec's ``data: {variable: name}`` names."""
        if self.shell is None:  # pragma: no cover - magics always run in a shell
            msg = "%ipyreport needs an IPython shell"
            raise UsageError(msg)
        names: dict[str, Any] = self.shell.user_ns
        return names

    @line_cell_magic
    def ipyreport(self, line: str, cell: str | None = None) -> Story:
        """Build a story from a YAML spec (the cell) or from one preset (the line).

        The cell magic takes a story spec, its data possibly a notebook variable;
        ``--name VAR`` keeps the story in that variable, ``--export PATH`` saves
        it as HTML, ``--set KEY=VALUE`` overrides a field. The line magic is
        ``PRESET VARIABLE key=value ...``, with ``format=COLUMN:FORMAT,...``,
        ``theme=NAME`` and ``notes=TEXT`` for the story and its slide.

        Parameters
        ----------
        line : str
            The magic's line: the options, or the preset and its arguments.
        cell : str, optional
            The cell's spec (``None`` for the line magic).

        Returns
        -------
        Story
            The story, shown as the cell's output.

        Raises
        ------
        IPython.core.error.UsageError
            For a wrong option, an unknown preset or variable, or any mistake in
            the spec or the data (the message is the story's own error).

        Examples
        --------
        >>> from IPython.core.interactiveshell import InteractiveShell
        >>> shell = InteractiveShell.instance()
        >>> shell.user_ns["df"] = {"Region": ["North", "South"], "Revenue": [3.0, 5.0]}
        >>> magics = StoryMagics(shell)
        >>> spec = '''
        ... title: Sales
        ... data: {variable: df}
        ... slides:
        ...   - steps: [{chart: {kind: column, x: Region, y: Revenue}}]
        ... '''
        >>> story = magics.ipyreport("--name sales", spec)
        >>> shell.user_ns["sales"] is story, story.title
        (True, 'Sales')
        >>> magics.ipyreport("chart orders x=Region")
        Traceback (most recent call last):
        ...
        IPython.core.error.UsageError: %ipyreport: no variable named 'orders' in this notebook
        """
        from ipyreport.notebook import _warm

        _warm.wait()
        if cell is None:
            return self._line(line)
        return self._cell(line, cell)

    def _cell(self, line: str, cell: str) -> Story:
        from ipyreport._errors import IpyreportError
        from ipyreport.spec import build, loads

        options = _cell_options(line)
        try:
            story = build(loads(cell, "<cell>", options.overrides), namespace=self.namespace)
        except IpyreportError as error:
            raise UsageError(str(error)) from None
        if options.export:
            path = story.save_html(options.export)
            print(f"wrote {path}")
        if options.name:
            self.namespace[options.name] = story
        return story

    def _line(self, line: str) -> Story:
        # %ipyreport PRESET VARIABLE key=value ... [format=Revenue:$,Units:units] [theme=boardroom]
        from ipyreport import presets
        from ipyreport._errors import IpyreportError
        from ipyreport._schema import Scalar
        from ipyreport.story import Slide, Story

        words = shlex.split(line)
        if len(words) < 2 or words[0] not in presets.REGISTRY:
            msg = (
                f"usage: %ipyreport PRESET VARIABLE key=value ...; PRESET is one of {', '.join(presets.REGISTRY)}, "
                "for example: %ipyreport morph df x=Region y=Revenue kinds=column,pie"
            )
            raise UsageError(msg)
        preset, variable, *pairs = words
        if variable not in self.namespace:
            msg = f"%ipyreport: no variable named {variable!r} in this notebook"
            raise UsageError(msg)
        data = self.namespace[variable]
        arguments: dict[str, Any] = {}
        story_options: dict[str, Any] = {}
        slide_options: dict[str, Any] = {}
        for pair in pairs:
            key, sep, raw = pair.partition("=")
            if not sep:
                msg = f"%ipyreport: write key=value, got {pair!r}"
                raise UsageError(msg)
            if key == "format":  # format=Revenue:$,Units:units
                story_options.setdefault("formats", {}).update(_formats(raw))
                continue
            if key == "theme":
                story_options["theme"] = raw
                continue
            if key == "notes":  # the slide's notes: text, a template, or auto
                slide_options["notes"] = raw
                continue
            kind = presets.REGISTRY[preset].parameters.fields.get(key)
            listed = _list_kind(kind)
            if listed is not None and ("," in raw or not listed.single):
                arguments[key] = raw.split(",")
            elif isinstance(kind, Scalar) and kind.kind == "string":
                arguments[key] = raw  # text as written: "{Region.top} leads" is a template
            else:
                arguments[key] = _value(raw)
        try:
            vizzu_data = presets.as_vizzu_data(data)
            if preset == "chart":
                arguments.setdefault("kind", "column")
            if preset == "morph":
                arguments.setdefault("kinds", ["column"])
            steps = presets.make(preset, vizzu_data, arguments)
            return Story(
                vizzu_data,
                title=f"{preset} of {variable}",
                slides=[Slide(steps, **slide_options)],
                **story_options,
            )
        except IpyreportError as error:
            msg = f"%ipyreport {preset}: {error}"
            raise UsageError(msg) from None


def load_ipython_extension(shell: Any) -> None:
    """Register the magics (``%load_ext ipyreport``) and make the first story's work ready.

    The modules, the engine's scripts and the engine widget the first story
    needs are made in the background, so it shows sooner.

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell
        The shell to register the magics with.

    Examples
    --------
    >>> from IPython.core.interactiveshell import InteractiveShell
    >>> shell = InteractiveShell.instance()
    >>> load_ipython_extension(shell)
    >>> "ipyreport" in shell.magics_manager.magics["cell"]
    True
    """
    from ipyreport.notebook import _warm

    shell.register_magics(StoryMagics)
    _warm.start()
