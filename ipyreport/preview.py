"""A live preview while a story is written: ``ipyreport preview story.yaml``.

The story is built, served on a local port and shown in a browser; the
spec, its data files, its theme (with the logo and font the theme embeds)
and the spec files it includes are watched, and each save rebuilds the
story and reloads the page where the reader was (the same slide and step,
or the same scroll position in an article). A save that breaks the story
keeps the last good one on screen under a one-line error that names the
file, line and column. A notebook (``preview notebook.ipynb``) is shown as
the article ``build`` makes from it, rebuilt each time it is saved.

The preview page is a small page of its own around the story, which it
shows in a frame exactly as ``build`` writes it (the story's own
Content-Security-Policy untouched): the page hears of new builds from its
server (server-sent events, same origin) and loads the new story in a
second frame behind the first, swapping them once it has drawn, so a save
never shows a blank page. Nothing is fetched from anywhere but the
preview's own address, which is ``127.0.0.1`` unless ``--host`` says
otherwise.

A data file rewritten while the story reads it never makes a story out of
half a file: each input's size, modification time and inode are taken
before and after the build, and a build whose inputs changed meanwhile is
thrown away and made again once they hold still.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import fnmatch
import glob
import hashlib
import html
import http.server
import importlib.util
import json
import os
import re
import signal
import socket
import sys
import threading
import time
import webbrowser
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Inputs", "InputsOf", "Outcome", "Preview", "build_stable", "inputs_of", "serve"]

# How long the watcher waits for a burst of writes (an editor's save, a data
# export) to end before it rebuilds, and the longest it groups writes for.
QUIET_MS = 50
LONGEST_MS = 400
# How often a build is tried again when its inputs changed while it read them.
TRIES = 5
# Suffixes a string in a spec's SQL is taken to name a data file by.
DATA_SUFFIXES = (
    ".csv",
    ".tsv",
    ".txt",
    ".parquet",
    ".json",
    ".jsonl",
    ".ndjson",
    ".arrow",
    ".feather",
    ".ipc",
    ".xlsx",
    ".gz",
    ".zst",
)
SPEC_SUFFIXES = (".yaml", ".yml", ".json")


# --- what a story is made from -------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """The files a story is built from: exact files, folders and glob patterns, all absolute.

    Parameters
    ----------
    files : frozenset of Path, default frozenset()
        Files, each by its own path.
    folders : frozenset of Path, default frozenset()
        Folders, with everything in them.
    patterns : frozenset of str, default frozenset()
        Glob patterns (``**`` reaches into subfolders).

    Examples
    --------
    >>> inputs = Inputs(files=frozenset({Path("/s/story.yaml")}), patterns=frozenset({"/s/data/*.csv"}))
    >>> inputs.covers(Path("/s/data/2024.csv")), inputs.covers(Path("/s/notes.md"))
    (True, False)
    """

    files: frozenset[Path] = frozenset()
    folders: frozenset[Path] = frozenset()
    patterns: frozenset[str] = frozenset()

    def __or__(self, other: Inputs) -> Inputs:
        return Inputs(
            self.files | other.files, self.folders | other.folders, self.patterns | other.patterns
        )

    def covers(self, path: Path) -> bool:
        """Whether a change to ``path`` can change the story.

        Parameters
        ----------
        path : Path
            An absolute path that changed.

        Returns
        -------
        bool
            ``True`` when it is one of the files or folders, inside a folder, or
            matches a pattern.

        Examples
        --------
        >>> Inputs(folders=frozenset({Path("/s/data")})).covers(Path("/s/data/2024/q1.parquet"))
        True
        """
        if path in self.files or path in self.folders:
            return True
        if any(path.is_relative_to(folder) for folder in self.folders):
            return True
        return any(fnmatch.fnmatchcase(str(path), pattern) for pattern in self.patterns)

    def listing(self) -> list[Path]:
        """Every file the inputs name or hold now (a named file that is missing too).

        Returns
        -------
        list of Path
            Sorted.

        Examples
        --------
        >>> Inputs(files=frozenset({Path("/no/such/story.yaml")})).listing()
        [PosixPath('/no/such/story.yaml')]
        """
        found = set(self.files)
        for folder in self.folders:
            for parent, _, names in os.walk(folder):
                found.update(Path(parent, name) for name in names)
        for pattern in self.patterns:
            found.update(Path(match) for match in glob.glob(pattern, recursive=True))
        return sorted(found)

    def roots(self) -> frozenset[Path]:
        """The folders to watch, each on its own (not recursively).

        The folder of each file, every folder inside a data folder, and the
        fixed part of each pattern.

        Returns
        -------
        frozenset of Path
            The folders.

        Examples
        --------
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> (folder / "data").mkdir()
        >>> roots = Inputs(files=frozenset({folder / "story.yaml"}), patterns=frozenset({f"{folder}/data/*.csv"})).roots()
        >>> sorted(root.relative_to(folder).as_posix() for root in roots)
        ['.', 'data']
        """
        roots = {file.parent for file in self.files}
        for folder in self.folders:
            roots.add(folder)
            for parent, names, _ in os.walk(folder):
                roots.update(Path(parent, name) for name in names)
        for pattern in self.patterns:
            fixed = _fixed_part(pattern)
            roots.add(fixed)
            for match in glob.glob(str(fixed / "**"), recursive=True):
                if os.path.isdir(match):
                    roots.add(Path(match))
        return frozenset(_existing(root) for root in roots)


def _fixed_part(pattern: str) -> Path:
    """The folder a glob pattern starts in: its folders before the first wildcard.

    >>> str(_fixed_part("/s/data/*/2024-*.parquet"))
    '/s/data'
    """
    fixed: list[str] = []
    for part in Path(pattern).parts[:-1]:
        if glob.has_magic(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(os.sep)


def _existing(folder: Path) -> Path:
    """``folder``, or its nearest ancestor that exists (a data folder not made yet)."""
    while not folder.is_dir() and folder.parent != folder:
        folder = folder.parent
    return folder


def _named(base: Path, written: str) -> Inputs:
    """What a path written in a spec (a file, folder or glob, relative to ``base``) names."""
    target = Path(os.path.abspath(base / written))
    if glob.has_magic(written):
        return Inputs(patterns=frozenset({str(target)}))
    if target.is_dir():
        return Inputs(folders=frozenset({target}))
    return Inputs(files=frozenset({target}))


_SQL_TEXT = re.compile(r"'((?:[^']|'')*)'")


def _sql_files(base: Path, sql: str) -> Inputs:
    """The files a DuckDB query reads: its quoted strings that name files or globs."""
    found = Inputs()
    for literal in _SQL_TEXT.findall(sql):
        text = literal.replace("''", "'")
        if not text or "\n" in text or len(text) > 4096:
            continue
        looks_like_file = text.lower().endswith(DATA_SUFFIXES) or glob.has_magic(text)
        if looks_like_file or (base / text).exists():
            found |= _named(base, text)
    return found


def _theme_files(theme: Path) -> Inputs:
    """A theme file and the logo and font file it embeds (relative to the theme file)."""
    found = Inputs(files=frozenset({theme}))
    try:
        if theme.suffix.lower() == ".json":
            value = json.loads(theme.read_text(encoding="utf-8"))
        else:
            value = yaml.safe_load(theme.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError, RecursionError):
        return found
    if isinstance(value, dict):
        for asset in ("logo", "font_file"):
            if isinstance(value.get(asset), str):
                found |= _named(theme.parent, value[asset])
    return found


def inputs_of(
    source: str | os.PathLike[str], overrides: Sequence[str] = (), *, access: Any = None
) -> Inputs:
    """The files the story at ``source`` is made from, as far as they can be read now.

    A spec's own file, the spec files it includes (``defaults:``), its
    ``data:`` (``path:``, the files its ``sql:`` reads, the module its
    ``python:`` names) and its ``theme:`` file with the logo and font that
    theme embeds, read from the spec as ``build`` resolves it (parameters
    and overrides applied). A spec that does not load yet (a half-typed
    line) is read as written, as far as it parses. A notebook is made from
    itself only.

    Parameters
    ----------
    source : path
        A story spec (``.yaml``) or a notebook (``.ipynb``).
    overrides : sequence of str
        ``--set key=value`` overrides, as ``build`` takes them.
    access : Access, optional
        The folders the spec may read (default: its own folder).

    Returns
    -------
    Inputs
        The files, folders and glob patterns to watch.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "story.yaml").write_text("data: {path: sales.csv}\\nslides: []\\n")
    >>> sorted(p.name for p in inputs_of(folder / "story.yaml").files)
    ['sales.csv', 'story.yaml']
    """
    spec = Path(os.path.abspath(source))
    if spec.suffix.lower() == ".ipynb":
        return Inputs(files=frozenset({spec}))
    from ipyreport.spec import load

    try:
        loaded = load(spec, overrides, access=access)
    except Exception:  # any spec that does not load is read as written
        return _written(spec, spec.parent, set())
    included = {Path(os.path.abspath(file)) for file in loaded.files.values()}
    return Inputs(files=frozenset({spec, *included})) | _named_by(loaded.value, spec.parent)


class InputsOf:
    r""":func:`inputs_of` for one story, read again only when a file that names others changed.

    A spec is parsed and validated to be read, so only a change to the spec,
    a spec it includes or its theme file reads it again; a saved data file
    names nothing. Call it for the inputs now.

    Parameters
    ----------
    source, overrides, access
        As for :func:`inputs_of`.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "story.yaml").write_text("data: {path: sales.csv}\nslides: []\n")
    >>> inputs = InputsOf(folder / "story.yaml")
    >>> inputs() is inputs()
    True
    """

    def __init__(
        self, source: str | os.PathLike[str], overrides: Sequence[str] = (), access: Any = None
    ) -> None:
        self.source = source
        self.overrides = tuple(overrides)
        self.access = access
        self._last: tuple[Snapshot, Inputs] | None = None

    def __call__(self) -> Inputs:
        """The story's inputs now."""
        if self._last is not None:
            taken, found = self._last
            if _stats(taken) == taken:
                return found
        found = inputs_of(self.source, self.overrides, access=self.access)
        # What can name other files: the spec, the specs it includes, its theme file.
        naming = [Path(os.path.abspath(self.source))]
        naming += [path for path in found.files if path.suffix.lower() in SPEC_SUFFIXES]
        self._last = (_stats(dict.fromkeys(naming)), found)
        return found


def _named_by(value: dict[str, Any], base: Path) -> Inputs:
    """The files a spec's ``data:`` and ``theme:`` name (paths relative to ``base``)."""
    found = Inputs()
    data = value.get("data")
    if isinstance(data, dict):
        if isinstance(data.get("path"), str):
            found |= _named(base, data["path"])
        if isinstance(data.get("sql"), str):
            found |= _sql_files(base, data["sql"])
        if isinstance(data.get("python"), str):
            module = data["python"].partition(":")[0].replace(".", os.sep)
            for candidate in (base / f"{module}.py", base / module / "__init__.py"):
                if candidate.is_file():
                    found |= Inputs(files=frozenset({Path(os.path.abspath(candidate))}))
    theme = value.get("theme")
    if isinstance(theme, str) and theme.lower().endswith(SPEC_SUFFIXES):
        found |= _theme_files(Path(os.path.abspath(base / theme)))
    return found


def _written(spec: Path, base: Path, seen: set[Path]) -> Inputs:
    """What a spec that does not load names as written, with the files it includes."""
    found = Inputs(files=frozenset({spec}))
    if spec in seen:
        return found
    seen.add(spec)
    try:
        value = yaml.safe_load(spec.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return found
    if not isinstance(value, dict):
        return found
    found |= _named_by(value, base)
    included = value.get("defaults")
    for name in included if isinstance(included, list) else []:
        if isinstance(name, str):
            found |= _written(Path(os.path.abspath(spec.parent / name)), base, seen)
    return found


# --- building from a stable snapshot ---------------------------------------------

Snapshot = dict[Path, tuple[int, int, int] | None]


def snapshot(inputs: Inputs) -> Snapshot:
    """Each input file's size, modification time and inode (None: missing)."""
    return _stats(dict.fromkeys(inputs.listing()))


def _stats(paths: Iterable[Path]) -> Snapshot:
    taken: Snapshot = {}
    for path in paths:
        try:
            status = path.stat()
        except OSError:
            taken[path] = None
        else:
            taken[path] = (status.st_size, status.st_mtime_ns, status.st_ino)
    return taken


@dataclass(frozen=True)
class Outcome:
    """One build: the page (``None`` if it failed), or the one-line error that stopped it.

    Parameters
    ----------
    page : str or None
        The story's HTML page.
    error : str, optional
        What stopped the build, on one line.
    seconds : float, default 0.0
        How long the build took, tries included.
    tries : int, default 1
        How many times it was built before its inputs held still.
    read : dict, default {}
        Each input file's size, modification time and inode as read.

    Examples
    --------
    >>> outcome = build_stable(lambda: "<html></html>", Inputs)
    >>> outcome.page, outcome.error, outcome.tries
    ('<html></html>', None, 1)
    """

    page: str | None
    error: str | None = None
    seconds: float = 0.0
    tries: int = 1
    read: Snapshot = field(default_factory=dict)


def build_stable(
    make: Callable[[], str],
    inputs: Callable[[], Inputs],
    *,
    tries: int = TRIES,
    settle: float = QUIET_MS / 1000,
) -> Outcome:
    """Build with ``make`` from inputs that held still while they were read.

    The inputs' snapshot is taken before and after each build; when they
    differ (a data file was being rewritten), the build is thrown away, the
    inputs are left to settle and it is made again, up to ``tries`` times.

    Parameters
    ----------
    make : callable
        Builds the page; an exception it raises is the build's error.
    inputs : callable
        The current inputs (asked again after each build: the spec may name
        others now).
    tries : int, default 5
        Builds to try before giving up.
    settle : float, default 0.05
        Seconds the inputs must hold still before another try.

    Returns
    -------
    Outcome
        The page, or the first line of the error (with the spec's
        file:line:column where the error has them).

    Examples
    --------
    >>> build_stable(lambda: "<p>Sales</p>", Inputs).page
    '<p>Sales</p>'
    >>> build_stable(lambda: int("x"), Inputs).error
    "ValueError: invalid literal for int() with base 10: 'x'"
    """
    started = time.perf_counter()
    for attempt in range(1, tries + 1):
        before = snapshot(inputs())
        page: str | None = None
        error: str | None = None
        try:
            page = make()
        except Exception as problem:
            error = _one_line(problem)
        if snapshot(inputs()) == before:
            return Outcome(page, error, time.perf_counter() - started, attempt, before)
        _settle(inputs, settle)
    message = (
        f"the story's files kept changing while they were read ({tries} tries); "
        "it is built again at the next save"
    )
    return Outcome(None, message, time.perf_counter() - started, tries)


def _settle(inputs: Callable[[], Inputs], quiet: float, longest: float = 5.0) -> None:
    """Wait until the inputs hold still for ``quiet`` seconds (at most ``longest``)."""
    deadline = time.monotonic() + longest
    last = snapshot(inputs())
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = snapshot(inputs())
        if now == last:
            return
        last = now


def _one_line(problem: BaseException) -> str:
    from ipyreport._errors import IpyreportError

    text = str(problem).strip() or type(problem).__name__
    if not isinstance(problem, IpyreportError | OSError):
        text = f"{type(problem).__name__}: {text}"
    return text


# --- the page and its server -----------------------------------------------------

# The preview page: the story in a frame, a second frame for the next build,
# and the error of a broken save over the last good story.
_SCRIPT = """
const stage = document.getElementById("preview-stage");
const overlay = document.getElementById("preview-error");
const said = overlay.querySelector("pre");
let current = null;
let pending = null;
// Where the reader is in the story shown: the player's #slide.step, or how far an article is scrolled.
function place(frame) {
  try {
    return { hash: frame.contentWindow.location.hash, scroll: frame.contentWindow.scrollY };
  } catch {
    return { hash: "", scroll: 0 };
  }
}
// A story is shown once it is styled and each of its players has laid out its step
// (its chart then plays its way in, as when the page is opened).
function shown(frame) {
  const view = frame.contentWindow;
  const roots = frame.contentDocument ? [...frame.contentDocument.querySelectorAll("[data-ipyreport-story]")] : [];
  const placed = (root) => root.dataset.slide && view.getComputedStyle(root).visibility === "visible";
  return roots.length > 0 && roots.every(placed);
}
function load(version) {
  pending?.remove();
  const at = current ? place(current) : { hash: location.hash, scroll: 0 };
  const frame = document.createElement("iframe");
  frame.title = "Story preview";
  frame.className = "pending";
  frame.dataset.version = String(version);
  frame.src = `/story.html?v=${version}${at.hash}`;
  pending = frame;
  stage.append(frame);
  const asked = performance.now();
  const swap = () => {
    if (pending !== frame) return;
    if (!shown(frame) && performance.now() - asked < 3000) {
      setTimeout(swap, 10);
      return;
    }
    if (at.scroll) frame.contentWindow.scrollTo(0, at.scroll);
    frame.className = "current";
    current?.remove();
    current = frame;
    pending = null;
    frame.focus();
  };
  frame.addEventListener("load", swap, { once: true });
}
// The page's own address follows the story's, so reloading the preview keeps the place too.
setInterval(() => {
  const hash = current && place(current).hash;
  if (hash && location.hash !== hash) history.replaceState(null, "", hash);
}, 250);
const events = new EventSource("/events");
events.addEventListener("message", (event) => {
  const state = JSON.parse(event.data);
  said.textContent = state.error ?? "";
  overlay.hidden = !state.error;
  document.body.dataset.version = String(state.version);
  const shown = Number((pending ?? current)?.dataset.version ?? 0);
  if (state.version > 0 && state.version !== shown) load(state.version);
});
"""

_STYLE = """
html, body { margin: 0; height: 100%; background: Canvas; color: CanvasText; }
#preview-stage { position: fixed; inset: 0; }
#preview-stage iframe { position: absolute; inset: 0; width: 100%; height: 100%; border: 0; }
#preview-stage iframe.pending { z-index: 0; }
#preview-stage iframe.current { z-index: 1; }
#preview-error { position: fixed; left: 0; right: 0; bottom: 0; z-index: 2; margin: 0;
  padding: 0.8em 1.2em; background: #7f1d1d; color: #fff; font: 15px/1.4 ui-monospace, monospace;
  box-shadow: 0 -2px 12px rgb(0 0 0 / 0.35); }
#preview-error[hidden] { display: none; }
#preview-error pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
#preview-error p { margin: 0 0 0.3em; font-weight: bold; }
"""

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · ipyreport preview</title>
<style>{style}</style>
</head>
<body data-version="0">
<div id="preview-stage"></div>
<div id="preview-error" role="alert" hidden><p>The last save did not build; this is the story before it.</p><pre></pre></div>
<script type="module">{script}</script>
</body>
</html>
"""


def _digest(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


# The preview page's own policy: its one script by hash, frames and events from its own
# address only. The story inside the frame keeps the policy it was built with.
PAGE_POLICY = (
    "default-src 'none'; "
    f"script-src 'sha256-{_digest(_SCRIPT)}'; "
    f"style-src 'sha256-{_digest(_STYLE)}'; "
    "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)

_WAITING = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'"><title>No story yet</title></head>
<body></body></html>
"""


@dataclass
class _State:
    """What the server shows: the last good page, its number, and the last error."""

    version: int = 0
    page: str | None = None
    error: str | None = None
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def event(self) -> bytes:
        return json.dumps({"version": self.version, "error": self.error}).encode("utf-8")


class Preview:
    """A story's preview: its builds, and the HTTP server that shows them.

    Made by :func:`serve`; ``rebuild()`` builds, ``start()`` serves, and
    ``watch()`` rebuilds on every save.

    Parameters
    ----------
    source : path
        A story spec (``.yaml``) or a notebook (``.ipynb``).
    make : callable
        Builds the story's HTML page (raising the error that stops it).
    inputs : callable
        The files the story is made from now (see :func:`inputs_of`).
    host, port : str, int
        Where to listen; port 0 takes a free one.

    Examples
    --------
    >>> import urllib.request
    >>> preview = Preview(Path("story.yaml"), lambda: "<p>Sales</p>", Inputs)
    >>> preview.rebuild().error is None
    True
    >>> _ = preview.start()
    >>> with urllib.request.urlopen(preview.url + "story.html") as answer:
    ...     answer.read()
    b'<p>Sales</p>'
    >>> preview.stop()
    """

    def __init__(
        self,
        source: Path,
        make: Callable[[], str],
        inputs: Callable[[], Inputs],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.source = source
        self.make = make
        self.inputs = inputs
        self.state = _State()
        server = _Server6 if ":" in host else _Server
        self.server = server((host, port), _Handler)
        self.server.preview = self
        self.host = host
        self.port = int(self.server.server_address[1])
        self._watched = Inputs()
        self._built_from: Snapshot = {}
        self._serving: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The address the preview page is served at."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def rebuild(self) -> Outcome:
        """Build the story again; show it if it built, else its error over the last good one.

        Returns
        -------
        Outcome
            The build.

        Examples
        --------
        >>> preview = Preview(Path("story.yaml"), lambda: 1 / 0, Inputs)
        >>> preview.rebuild().error
        'ZeroDivisionError: division by zero'
        >>> preview.stop()
        """
        outcome = build_stable(self.make, self.inputs)
        self._built_from = outcome.read
        with self.state.changed:
            if outcome.page is not None and outcome.page != self.state.page:
                self.state.page = outcome.page
                self.state.version += 1
            self.state.error = outcome.error
            self.state.changed.notify_all()
        return outcome

    def start(self) -> threading.Thread:
        """Serve in a thread of its own; :meth:`stop` ends it.

        Returns
        -------
        threading.Thread
            The server's thread, already started.

        Examples
        --------
        >>> preview = Preview(Path("story.yaml"), lambda: "<p>Sales</p>", Inputs)
        >>> preview.start().is_alive()
        True
        >>> preview.stop()
        """
        thread = threading.Thread(
            target=self.server.serve_forever, name="preview-server", daemon=True
        )
        thread.start()
        self._serving = thread
        return thread

    def stop(self) -> None:
        """Stop serving: event streams end, the port is released.

        Examples
        --------
        >>> preview = Preview(Path("story.yaml"), lambda: "<p>Sales</p>", Inputs)
        >>> _ = preview.start()
        >>> preview.stop(); preview.state.stopping
        True
        """
        with self.state.changed:
            self.state.stopping = True
            self.state.changed.notify_all()
        if self._serving is not None:
            self.server.shutdown()
            self._serving.join()
        self.server.server_close()

    def watch(self, report: Callable[[Outcome], None], stop: threading.Event) -> None:
        """Rebuild on every change to the story's inputs until ``stop`` is set (or Ctrl-C).

        Parameters
        ----------
        report : callable
            Called with each rebuild's :class:`Outcome`.
        stop : threading.Event
            Set it to end watching.

        Examples
        --------
        >>> import threading
        >>> stop = threading.Event(); stop.set()
        >>> preview = Preview(Path("story.yaml"), lambda: "<p>Sales</p>", Inputs)
        >>> preview.watch(print, stop)
        >>> preview.stop()
        """
        import watchfiles

        while not stop.is_set():
            self._watched = self.inputs()
            roots = self._watched.roots()
            for changes in watchfiles.watch(
                *sorted(roots),
                watch_filter=self._relevant,
                debounce=LONGEST_MS,
                step=QUIET_MS,
                stop_event=stop,
                recursive=False,
                rust_timeout=1000,
                yield_on_timeout=True,
            ):
                if not changes and snapshot(self._watched) == self._built_from:
                    continue  # a quiet second; a save made before the watch began shows here
                outcome = self.rebuild()
                if stop.is_set():
                    return
                report(outcome)
                self._watched = self.inputs()
                if self._watched.roots() != roots:
                    break  # the story reads from other folders now: watch those

    def _relevant(self, change: Any, path: str) -> bool:
        return self._watched.covers(Path(path))


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    preview: Preview


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged: the terminal shows builds."""

    def _host_allowed(self) -> bool:
        """Only the addresses the preview is reached at (no DNS rebinding from a web page)."""
        preview = self.server.preview
        if preview.host not in ("127.0.0.1", "localhost", "::1"):
            return True
        given = (self.headers.get("Host") or "").lower()
        return given in {f"{name}:{preview.port}" for name in ("127.0.0.1", "localhost", "[::1]")}

    def _send(self, status: int, kind: str, body: bytes, policy: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if policy:
            self.send_header("Content-Security-Policy", policy)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        preview = self.server.preview
        if not self._host_allowed():
            self._send(
                403, "text/plain; charset=utf-8", b"the preview answers only to its own address\n"
            )
            return
        path = self.path.split("?", 1)[0]
        if path == "/":
            title = html.escape(preview.source.name, quote=True)
            page = _PAGE.format(title=title, style=_STYLE, script=_SCRIPT)
            self._send(200, "text/html; charset=utf-8", page.encode("utf-8"), PAGE_POLICY)
        elif path == "/story.html":
            with preview.state.changed:
                page = preview.state.page or _WAITING
            self._send(200, "text/html; charset=utf-8", page.encode("utf-8"))
        elif path == "/events":
            self._events()
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found\n")

    def _events(self) -> None:
        """Server-sent events: the state now, then each change, until the server stops."""
        state = self.server.preview.state
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        sent: bytes | None = None
        try:
            while True:
                with state.changed:
                    if state.stopping:
                        return
                    event = state.event()
                    if event == sent:
                        state.changed.wait(timeout=15)
                        event = state.event()
                        if state.stopping:
                            return
                if event != sent:
                    self.wfile.write(b"data: " + event + b"\n\n")
                    sent = event
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


# --- the command -------------------------------------------------------------------


def _maker(
    source: Path,
    *,
    overrides: Sequence[str],
    layout: str,
    access: Any,
    inputs: Callable[[], Inputs] | None = None,
) -> Callable[[], str]:
    """What builds the page: a spec's story, or a notebook's article."""
    if source.suffix.lower() == ".ipynb":

        def article() -> str:
            from ipyreport.export.html import render_chapters
            from ipyreport.export.notebook_article import notebook_parts

            title, parts = notebook_parts(source, allow_code=access.code)
            return render_chapters(parts, title=title)

        return article

    def story() -> str:
        from ipyreport.spec import build, load

        _forget_modules(inputs() if inputs else inputs_of(source, overrides, access=access))
        loaded = load(source, overrides, access=access)
        return build(loaded, access=access).to_html(layout=layout)

    return story


def _forget_modules(inputs: Inputs) -> None:
    """Let a spec's ``python:`` module be imported afresh: it may have been saved since."""
    sources = {path for path in inputs.files if path.suffix == ".py"}
    for name, module in list(sys.modules.items()) if sources else []:
        written = getattr(module, "__file__", None)
        if written and Path(os.path.abspath(written)) in sources:
            del sys.modules[name]
            # Bytecode is checked by whole seconds and size: two saves in a second can match.
            with contextlib.suppress(OSError, ValueError, NotImplementedError):
                Path(importlib.util.cache_from_source(written)).unlink(missing_ok=True)


def serve(
    source: str | os.PathLike[str],
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    open_browser: bool = False,
    overrides: Sequence[str] = (),
    layout: str = "slides",
    allowed: Sequence[Path] = (),
    allow_code: bool = False,
    memory_limit: str | None = None,
    out: Any = None,
) -> int:
    """Preview the story at ``source`` until Ctrl-C (or SIGTERM); return the exit status.

    What ``ipyreport preview`` runs.

    Parameters
    ----------
    source : path
        A story spec (``.yaml``) or a notebook (``.ipynb``, shown as its
        article).
    host, port : str, int
        Where to listen (default: a free port on 127.0.0.1).
    open_browser : bool, default False
        Open the preview in the default browser once the story is first
        built.
    overrides, layout, allowed, allow_code, memory_limit
        As for ``ipyreport build``.
    out : file, optional
        Where the address and each build's result are told (default: standard
        error).

    Returns
    -------
    int
        0 once stopped; 1 when the preview cannot start (the message, on
        standard error, says why).

    Examples
    --------
    >>> serve("no-such-story.yaml")
    1
    """
    out = sys.stderr if out is None else out
    if importlib.util.find_spec("watchfiles") is None:
        print(
            "error: the preview needs watchfiles: pip install 'ipyreport[preview]'", file=sys.stderr
        )
        return 1
    spec = Path(source)
    if not spec.is_file():
        what = "is a folder" if spec.is_dir() else "does not exist"
        print(
            f"error: {spec}: {what}; name a story spec (.yaml) or a notebook (.ipynb) to preview",
            file=sys.stderr,
        )
        return 1
    from ipyreport._access import DEFAULT_MEMORY_LIMIT, Access

    access = Access.for_spec(
        spec,
        folders=allowed,
        code=allow_code,
        memory_limit=memory_limit or DEFAULT_MEMORY_LIMIT,
        progress=False,
    )
    inputs = InputsOf(spec, overrides, access)
    make = _maker(
        spec,
        overrides=overrides,
        layout="scroll" if spec.suffix.lower() == ".ipynb" else layout,
        access=access,
        inputs=inputs,
    )
    try:
        preview = Preview(spec, make, inputs, host=host, port=port)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            print(
                f"error: port {port} on {host} is in use; pick another with --port, "
                "or leave --port out for a free one",
                file=sys.stderr,
            )
        else:
            print(
                f"error: cannot listen on {host}:{port} ({error.strerror}); check --host and --port",
                file=sys.stderr,
            )
        return 1

    def report(outcome: Outcome) -> None:
        if outcome.error is None:
            retried = (
                f" (read {outcome.tries} times: its files changed meanwhile)"
                if outcome.tries > 1
                else ""
            )
            print(f"built {spec} in {outcome.seconds:.2f} s{retried}", file=out, flush=True)
        else:
            print(f"error: {outcome.error.splitlines()[0]}", file=out, flush=True)

    stop = threading.Event()
    with _stopping(stop):
        try:
            outcome = preview.rebuild()
            if not stop.is_set():
                report(outcome)
                _show(preview, open_browser=open_browser, out=out)
                preview.watch(report, stop)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            preview.stop()
    print("preview stopped", file=out, flush=True)
    return 0


def _show(preview: Preview, *, open_browser: bool, out: Any) -> None:
    """Serve the preview, say where, and open it if asked."""
    preview.start()
    if preview.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"warning: listening on {preview.host}: others on your network can read the story",
            file=out,
        )
    print(f"previewing {preview.source} at {preview.url} (Ctrl-C stops)", file=out, flush=True)
    if open_browser:
        webbrowser.open(preview.url)


@contextlib.contextmanager
def _stopping(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C and SIGTERM set ``stop`` and interrupt what runs (in the main thread only).

    The flag outlives the interruption: a DuckDB query turns Ctrl-C into an
    error of its own ("Query interrupted"), which a build reports like any
    other, and the watcher still sees that it must stop.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(number: int, frame: Any) -> None:
        stop.set()
        raise KeyboardInterrupt

    previous = {
        number: signal.signal(number, interrupt) for number in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
