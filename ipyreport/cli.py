"""The ``ipyreport`` command.

``main(argv) -> int`` runs in process, so tests call it directly. Exit codes:
0 success, 1 failure (the message says why), 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from ipyreport._version import __version__

__all__ = ["main"]

# Kept in step with ipyreport._multirun.GRID_LIMIT (a test checks), without importing it here.
GRID_LIMIT = 1000
DEFAULT_DEMO_DIR = Path("build") / "demo"
DEMO_ORDERS = 1_000_000


class Progress:
    """Progress that suits where it goes: a bar redrawn in place on a terminal; in a log or
    CI (stderr not a terminal) one plain line for each stage that took a second or more,
    once it ends; nothing when ``quiet``. ``clock`` tells the time in seconds."""

    # A stage shorter than this is not worth a line in a log.
    LOG_AFTER = 1.0

    def __init__(
        self, total: int, *, quiet: bool = False, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.total = total
        self.done = 0
        self.live = sys.stderr.isatty() and not quiet
        self.quiet = quiet
        self._clock = clock
        self._stage: tuple[str, float] | None = None

    def update(self, label: str) -> None:
        if self.quiet:
            return
        if self.live:
            width = 24
            filled = int(width * self.done / max(self.total, 1))
            bar = "#" * filled + "-" * (width - filled)
            sys.stderr.write(f"\r[{bar}] {self.done}/{self.total} {label[:60]:<60}")
            sys.stderr.flush()
            return
        # A video's frames are one stage: "recording story.mp4".
        stage = label.split(":", 1)[0]
        if self._stage is None or self._stage[0] != stage:
            self._ended()
            self._stage = (stage, self._clock())

    def advance(self) -> None:
        self.done += 1
        if not self.live:
            self._ended()
        elif self.done == self.total:
            sys.stderr.write("\r" + " " * 100 + "\r")
            sys.stderr.flush()

    def _ended(self) -> None:
        """In a log: the stage that just ended, with its time, if it was a slow one."""
        if self._stage is None or self.quiet:
            return
        stage, started = self._stage
        self._stage = None
        seconds = self._clock() - started
        if seconds >= self.LOG_AFTER:
            sys.stderr.write(f"[{self.done}/{self.total}] {stage} ({seconds:.1f} s)\n")
            sys.stderr.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ipyreport",
        description="Turn tables into animated data stories that play offline.",
    )
    parser.add_argument("--version", action="version", version=f"ipyreport {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build story specs into self-contained HTML files")
    build.add_argument(
        "specs", nargs="+", type=Path, metavar="SPEC", help="story spec files (YAML)"
    )
    build.add_argument(
        "-o",
        "--out",
        type=Path,
        help="output file (one spec) or folder (default: next to each spec)",
    )
    _set_option(build)
    build.add_argument(
        "--pdf", action="store_true", help="also write a PDF handout next to each HTML file"
    )
    build.add_argument(
        "--per",
        choices=("step", "slide"),
        default="step",
        help="with --pdf or --pptx: a page or PowerPoint slide per step (default) or per slide",
    )
    build.add_argument(
        "--steps",
        action="store_const",
        const="step",
        dest="per",
        help=argparse.SUPPRESS,  # the former name of --per step
    )
    build.add_argument(
        "--layout",
        choices=("slides", "scroll"),
        default="slides",
        help="slides (default), or scroll: an article whose chart follows the reader's scrolling",
    )
    build.add_argument(
        "--pptx",
        action="store_true",
        help="also write a PowerPoint deck (native charts, notes, Morph) next to each HTML file",
    )
    build.add_argument(
        "--pptx-appendix",
        choices=("auto", "yes", "no"),
        default="auto",
        help="the deck's data appendix of tables: auto adds it when it takes at most 6 slides",
    )
    build.add_argument(
        "--video",
        action="store_true",
        help="also record an MP4 of the transitions next to each HTML file",
    )
    build.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    build.add_argument(
        "--multirun",
        nargs="+",
        default=None,
        metavar="KEY=V1,V2",
        help="build the spec once for every combination of these values "
        "(e.g. params.region=Europe,Americas params.quarter=Q1,Q2) into a folder (-o, default: "
        "next to the spec) with an index.html; the exit status is the number that failed",
    )
    build.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="with --multirun: decks built at once, each in its own process (default: the "
        "cores not already busy, 1 to 4); memory is bounded by N times --memory-limit",
    )
    build.add_argument(
        "--yes",
        action="store_true",
        help=f"with --multirun: build a grid of more than {GRID_LIMIT:,} decks",
    )
    build.add_argument(
        "--check-fresh",
        action="store_true",
        help="do not build: say, for each deck (HTML file, PDF handout or multirun folder) given instead "
        "of a spec, whether its data changed since it was built (exit 0: fresh, 1: changed, "
        "2: cannot tell)",
    )
    _access_options(build)

    validate = commands.add_parser("validate", help="check story specs without building them")
    validate.add_argument("specs", nargs="+", type=Path, metavar="SPEC")
    _set_option(validate)
    _access_options(validate)

    demo = commands.add_parser(
        "demo",
        help="build the bundled example stories on the embedded sample data",
        description="Build the bundled example stories on the embedded sample data and print where they are.",
    )
    demo.add_argument(
        "-o",
        "--out",
        type=Path,
        default=DEFAULT_DEMO_DIR,
        help=f"output folder (default: {DEFAULT_DEMO_DIR})",
    )
    demo.add_argument(
        "--orders",
        type=int,
        default=DEMO_ORDERS,
        help=f"rows of the generated orders dataset (default: {DEMO_ORDERS:,})",
    )

    checker = commands.add_parser(
        "check", help="warn about transitions that would confuse an audience"
    )
    checker.add_argument("specs", nargs="+", type=Path, metavar="SPEC")
    _set_option(checker)
    _access_options(checker)

    commands.add_parser("schema", help="print the JSON Schema of the spec format")

    preview = commands.add_parser(
        "preview",
        help="serve a story locally and rebuild it on every save",
        description="Serve a story spec (or a notebook's article) on a local port, watch its spec, "
        "data, theme and included files, and reload the page at the same slide and step on every "
        "save; a save that breaks it shows the error over the last good story. Ctrl-C stops.",
    )
    preview.add_argument(
        "spec", type=Path, metavar="SPEC", help="a story spec (.yaml) or a notebook (.ipynb)"
    )
    preview.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )
    preview.add_argument(
        "--port", type=_port, default=0, help="port to listen on (default: any free port)"
    )
    preview.add_argument(
        "--open", action="store_true", help="open the preview in the default browser"
    )
    preview.add_argument(
        "--layout",
        choices=("slides", "scroll"),
        default="slides",
        help="slides (default), or scroll: the article layout (a notebook is always an article)",
    )
    _set_option(preview)
    _access_options(preview)
    return parser


def _port(text: str) -> int:
    """A TCP port number (0: any free one), or a usage error."""
    if not text.isdigit() or int(text) > 65535:
        msg = f"{text!r} is not a port; give a number from 1 to 65535, or 0 for any free port"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _set_option(command: argparse.ArgumentParser) -> None:
    """The --set option every command that reads a spec takes."""
    command.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a spec field, e.g. --set data.path=q3.parquet (repeatable)",
    )


def _access_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--allow-path",
        dest="allowed",
        action="append",
        default=[],
        type=_folder,
        metavar="DIR",
        help="let specs read data in DIR too (by default only in the spec's own folder)",
    )
    command.add_argument(
        "--memory-limit",
        type=_size,
        default=None,
        metavar="SIZE",
        help="what DuckDB may hold in memory while it reads path: and sql: data, the rest "
        "spilling to a temporary folder (default: 256MB; e.g. 2GB)",
    )
    command.add_argument(
        "--allow-code",
        action="store_true",
        help="let specs run Python code (data: {python: module:function}); only for specs you trust",
    )


def _size(text: str) -> str:
    """A memory size as DuckDB writes it (``512MB``, ``2GB``), or a usage error."""
    if not re.fullmatch(r"\d+(\.\d+)?\s*([KMGT]i?B|B)", text.strip(), flags=re.IGNORECASE):
        msg = f"{text!r} is not a size; write it like 512MB or 2GB"
        raise argparse.ArgumentTypeError(msg)
    return text.strip()


def _folder(text: str) -> Path:
    """A folder that exists, or a usage error: a mistyped --allow-path would silently allow nothing."""
    path = Path(text)
    if not path.is_dir():
        what = "does not exist" if not path.exists() else "is not a folder"
        msg = f"{text!r} {what}; name a folder the specs read data from"
        raise argparse.ArgumentTypeError(msg)
    return path


def _access(spec: Path, args: argparse.Namespace, *, quiet: bool = False) -> Any:
    from ipyreport._access import DEFAULT_MEMORY_LIMIT, Access

    return Access.for_spec(
        spec,
        folders=args.allowed,
        code=args.allow_code,
        memory_limit=args.memory_limit or DEFAULT_MEMORY_LIMIT,
        # A progress bar redrawn with carriage returns belongs in a terminal, not a log.
        progress=sys.stderr.isatty() and not (quiet or getattr(args, "quiet", False)),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``ipyreport`` command line with ``argv``, in this process.

    Commands: ``build``, ``validate``, ``demo``, ``check``, ``schema`` and
    ``preview`` (``ipyreport COMMAND --help`` tells each one's options).
    Errors are printed as one line each, not raised.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the command's name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit code: 0 success, 1 failure (the message says why), 2 a usage
        error.

    Examples
    --------
    >>> main(["--version"])  # doctest: +ELLIPSIS
    ipyreport ...
    0
    >>> main([])  # no command: the usage goes to stderr
    2
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    if args.command is None:
        parser.print_usage(sys.stderr)
        return 2
    if args.command == "schema":
        from ipyreport.spec import schema_text

        sys.stdout.write(schema_text())
        return 0
    if args.command == "validate":
        return _validate(args.specs, args.overrides, args)
    if args.command == "check":
        return _check(args.specs, args.overrides, args)
    if args.command == "preview":
        from ipyreport.preview import serve

        return serve(
            args.spec,
            host=args.host,
            port=args.port,
            open_browser=args.open,
            overrides=args.overrides,
            layout=args.layout,
            allowed=args.allowed,
            allow_code=args.allow_code,
            memory_limit=args.memory_limit,
        )
    if args.command == "build" and args.check_fresh:
        return _check_fresh(args.specs)
    if args.command == "build" and args.multirun is not None:
        if len(args.specs) != 1:
            print("error: --multirun builds one spec; name one", file=sys.stderr)
            return 2
        if args.out is not None and args.out.suffix == ".html":
            print(
                "error: --multirun writes a folder of decks; -o names a folder, not an .html file",
                file=sys.stderr,
            )
            return 2
        return _multirun(args.specs[0], args.out, args.overrides, args)
    if args.command == "build":
        if args.out is not None and len(args.specs) > 1 and args.out.suffix == ".html":
            print(
                "error: -o names one file but several specs were given; pass a folder",
                file=sys.stderr,
            )
            return 2
        return _build(
            args.specs,
            args.out,
            args.overrides,
            quiet=args.quiet,
            pdf=args.pdf,
            per=args.per,
            video=args.video,
            pptx=args.pptx,
            layout=args.layout,
            options=args,
        )
    return _demo(args.out, args.orders)


def _validate(specs: Sequence[Path], overrides: Sequence[str], args: argparse.Namespace) -> int:
    """Everything ``build`` does but writing: a spec that validates also builds."""
    from ipyreport._errors import IpyreportError
    from ipyreport.spec import build, load

    failed = 0
    for spec in specs:
        try:
            access = _access(spec, args)
            story = build(load(spec, overrides, access=access), access=access)
        except IpyreportError as error:
            print(error, file=sys.stderr)
            failed += 1
            continue
        steps = sum(slide.length for slide in story.slides)
        print(
            f"{spec}: ok ({len(story.slides)} slides, {steps} steps, {story.data.num_rows:,} rows"
            f"{_parameters_said(story)})"
        )
    return 1 if failed else 0


def _parameters_said(story: Any) -> str:
    """``; params region=Europe, quarter=Q1`` for a story built with parameters, else nothing."""
    parameters = (story.provenance or {}).get("parameters") or {}
    if not parameters:
        return ""
    return "; params " + ", ".join(f"{name}={value}" for name, value in parameters.items())


def _check(specs: Sequence[Path], overrides: Sequence[str], args: argparse.Namespace) -> int:
    from ipyreport._errors import IpyreportError
    from ipyreport.spec import build, load

    failed = 0
    for spec in specs:
        try:
            access = _access(spec, args)
            findings = build(load(spec, overrides, access=access), access=access).check()
        except IpyreportError as error:
            print(error, file=sys.stderr)
            failed += 1
            continue
        for finding in findings:
            print(f"{spec}: {finding}")
        if not findings:
            print(f"{spec}: no findings")
    return 1 if failed else 0


def _target(spec: Path, out: Path | None, count: int) -> Path:
    if out is None:
        return spec.with_suffix(".html")
    if count == 1 and out.suffix == ".html":
        return out
    return out / f"{spec.stem}.html"


def _build(
    specs: Sequence[Path],
    out: Path | None,
    overrides: Sequence[str],
    *,
    quiet: bool = False,
    pdf: bool = False,
    per: str = "step",
    video: bool = False,
    pptx: bool = False,
    layout: str = "slides",
    options: argparse.Namespace | None = None,
) -> int:
    from ipyreport._access import Access
    from ipyreport._errors import IpyreportError
    from ipyreport.spec import build, load

    progress = Progress(len(specs) * 3, quiet=quiet)
    failed = 0
    for spec in specs:
        started = time.perf_counter()
        try:
            if spec.suffix == ".ipynb":
                # A notebook becomes an article: its markdown and the stories it showed.
                from ipyreport.export.notebook_article import save_notebook_article

                target = _target(spec, out, len(specs))
                target.parent.mkdir(parents=True, exist_ok=True)
                save_notebook_article(spec, target, allow_code=bool(options and options.allow_code))
                for _ in range(3):
                    progress.advance()
                if not quiet:
                    print(f"{target}  (article from {spec.name})")
                continue
            progress.update(f"reading {spec}")
            access = _access(spec, options) if options is not None else Access.for_spec(spec)
            loaded = load(spec, overrides, access=access)
            progress.advance()
            progress.update(f"aggregating {spec}")
            story = build(loaded, access=access)
            for finding in [] if quiet else story.check():
                print(f"warning: {spec}: {finding}", file=sys.stderr)
            progress.advance()
            target = _target(spec, out, len(specs))
            progress.update(f"writing {target}")
            target.parent.mkdir(parents=True, exist_ok=True)
            story = _placed(story, spec, target)
            story.save_html(target, layout=layout)
            if pdf:
                story.save_pdf(target.with_suffix(".pdf"), per=per)
            if pptx:
                story.save_pptx(target.with_suffix(".pptx"), per=per, appendix=_appendix(options))
            if video:
                movie = target.with_suffix(".mp4")
                story.save_video(movie, progress=_recording(progress, movie.name))
            progress.advance()
        except (IpyreportError, RuntimeError, OSError) as error:
            print(error, file=sys.stderr)
            failed += 1
            continue
        if not quiet:
            size = target.stat().st_size
            print(
                f"{target}  ({size / 1e6:.2f} MB, {story.data.num_rows:,} rows, {time.perf_counter() - started:.1f} s)"
            )
            if pdf:
                print(f"{target.with_suffix('.pdf')}  (handout)")
            if pptx:
                print(f"{target.with_suffix('.pptx')}  (PowerPoint)")
            if video:
                print(f"{target.with_suffix('.mp4')}  (video)")
    return 1 if failed else 0


def _per(options: argparse.Namespace | None) -> str:
    per: str = getattr(options, "per", "step")
    return per


def _appendix(options: argparse.Namespace | None) -> bool | None:
    return {"auto": None, "yes": True, "no": False}[getattr(options, "pptx_appendix", "auto")]


def _placed(story: Any, spec: Path, target: Path) -> Any:
    """The story recording where the spec is from the output's folder, so the output can be
    checked later."""
    if story.provenance is None:
        return story
    where = Path(os.path.relpath(spec.resolve(), target.parent.resolve())).as_posix()
    spec_name, *rest = (item for item in story.provenance.items() if item[0] != "specPath")
    return story.replace(provenance=dict([spec_name, ("specPath", where), *rest]))


def _build_cell(spec: Path, target: Path, overrides: Sequence[str], options: Any) -> dict[str, Any]:
    """Build one combination of a multirun (in a worker process): what the index shows of it."""
    from ipyreport._errors import IpyreportError
    from ipyreport.spec import build, load

    started = time.perf_counter()
    try:
        access = _access(spec, options, quiet=True)
        story = build(load(spec, overrides, access=access), access=access)
        story = _placed(story, spec, target)
        story.save_html(target, layout=options.layout)
        if options.pdf:
            story.save_pdf(target.with_suffix(".pdf"), per=_per(options))
        if options.pptx:
            story.save_pptx(
                target.with_suffix(".pptx"), per=_per(options), appendix=_appendix(options)
            )
    except (IpyreportError, RuntimeError, OSError) as error:
        return {"ok": False, "error": str(error)}
    return {
        "ok": True,
        "rows": story.data.num_rows,
        "provenance": story.provenance,
        "seconds": time.perf_counter() - started,
    }


def _multirun(
    spec: Path, out: Path | None, overrides: Sequence[str], args: argparse.Namespace
) -> int:
    """Build ``spec`` for every combination ``args.multirun`` lists, in a process pool; the exit
    status is how many failed (at most 125)."""
    import concurrent.futures
    import multiprocessing

    from ipyreport._errors import IpyreportError
    from ipyreport._files import write_atomic
    from ipyreport._multirun import grid, index_page, provenance_file
    from ipyreport.spec import load

    try:
        combinations = grid(args.multirun, allow_many=args.yes)
        # Every combination's overrides are checked before anything is built.
        access = _access(spec, args, quiet=True)
        for combination in combinations:
            load(spec, [*overrides, *combination.overrides], access=access)
    except IpyreportError as error:
        print(error, file=sys.stderr)
        return 2
    if args.video:
        print(
            "error: --multirun builds HTML, PDF and PowerPoint; record videos one by one",
            file=sys.stderr,
        )
        return 2
    folder = out if out is not None else spec.with_name(f"{spec.stem}-decks")
    folder.mkdir(parents=True, exist_ok=True)
    jobs = max(1, args.jobs or _free_cores())
    progress = Progress(len(combinations), quiet=args.quiet)
    results: list[dict[str, Any]] = [{} for _ in combinations]
    context = multiprocessing.get_context("spawn")
    pool = concurrent.futures.ProcessPoolExecutor(min(jobs, len(combinations)), mp_context=context)
    try:
        running = {
            pool.submit(
                _build_cell,
                spec,
                folder / f"{combination.name}.html",
                [*overrides, *combination.overrides],
                args,
            ): index
            for index, combination in enumerate(combinations)
        }
        progress.update(f"building {len(combinations)} decks with {jobs} workers")
        for future in concurrent.futures.as_completed(running):
            index = running[future]
            results[index] = _cell_result(future, combinations[index])
            progress.advance()
            said = "built" if results[index]["ok"] else "failed"
            progress.update(f"{combinations[index].name}: {said}")
            if not results[index]["ok"]:
                print(f"{combinations[index].name}: {results[index]['error']}", file=sys.stderr)
    except KeyboardInterrupt:
        # Decks not started are not built; each one built is whole; the index stays as it was.
        pool.shutdown(wait=False, cancel_futures=True)
        done = sum(bool(result) for result in results)
        print(
            f"stopped after {done} of {len(combinations)} decks; the index was not rewritten",
            file=sys.stderr,
        )
        return 130
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    keys = [o.partition("=")[0] for o in combinations[0].overrides]
    axes = {key: list(dict.fromkeys(r["values"][k] for r in results)) for k, key in enumerate(keys)}
    title = f"{spec.name}: {len(combinations)} decks"
    write_atomic(folder / "provenance.json", provenance_file(spec, axes, results))
    write_atomic(folder / "index.html", index_page(title, keys, results))
    failed = sum(not result["ok"] for result in results)
    if not args.quiet:
        print(f"{folder / 'index.html'}  ({len(results) - failed} of {len(results)} decks built)")
    return min(failed, 125)


def _cell_result(future: Any, combination: Any) -> dict[str, Any]:
    """What one finished multirun deck says, with the combination it was."""
    import concurrent.futures.process

    try:
        result: dict[str, Any] = future.result()
    except concurrent.futures.process.BrokenProcessPool:
        result = {
            "ok": False,
            "error": "its worker process stopped (out of memory?); build it alone, or lower --jobs",
        }
    result.update(
        file=f"{combination.name}.html",
        overrides=combination.overrides,
        values=[o.partition("=")[2] for o in combination.overrides],
    )
    return result


def _check_fresh(paths: Sequence[Path]) -> int:
    """Whether each deck's data changed since it was built: 0 fresh, 1 changed, 2 cannot tell."""
    from ipyreport._errors import IpyreportError
    from ipyreport._provenance import changes, recorded

    status = 0
    for path in paths:
        try:
            for deck, provenance in recorded(path):
                said = changes(provenance["data"]["source"], _spec_folder(deck, provenance))
                if said:
                    print(
                        f"{deck}: data changed since it was built on {provenance['built']}: {'; '.join(said)}"
                    )
                    status = max(status, 1)
                else:
                    print(f"{deck}: fresh (its data is as it was on {provenance['built']})")
        except IpyreportError as error:
            print(error, file=sys.stderr)
            status = 2
    return status


def _free_cores() -> int:
    """Workers for a multirun: the cores not already busy (1 to 4). On a machine already
    loaded, more workers than free cores only queue for them (python -m bench multirun)."""
    cores = (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )
    busy = int(os.getloadavg()[0]) if hasattr(os, "getloadavg") else 0
    return min(max(cores - busy, 1), 4)


def _spec_folder(deck: Path, provenance: dict[str, Any]) -> Path:
    """The folder of the spec ``deck`` was built from, where its data paths start."""
    from ipyreport._errors import IpyreportError

    spec = deck.parent / str(provenance["specPath"])
    if not spec.is_file():
        msg = (
            f"{deck}: was built from {provenance['specPath']} (relative to the deck), which is "
            "not there; check the deck where it was built, beside its spec and data"
        )
        raise IpyreportError(msg)
    return spec.parent


def _recording(progress: Progress, name: str) -> Callable[[int, int], None]:
    def heard(done: int, total: int) -> None:
        progress.update(f"recording {name}: frame {done} of {total}")

    return heard


def _example_specs() -> Path:
    bundled = resources.files("ipyreport") / "examples" / "stories"
    if bundled.is_dir():
        return Path(str(bundled))
    checkout = Path(__file__).resolve().parents[1] / "stories"
    if checkout.is_dir():
        return checkout
    msg = "the example stories are missing from this installation; reinstall ipyreport"
    raise FileNotFoundError(msg)


def _demo(out: Path, orders: int) -> int:
    from ipyreport import samples

    try:
        source = _example_specs()
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    specs_dir = out / "stories"
    specs_dir.mkdir(parents=True, exist_ok=True)
    specs = []
    for spec in sorted(source.glob("*.yaml")):
        shutil.copyfile(spec, specs_dir / spec.name)
        specs.append(specs_dir / spec.name)
    orders_dir = specs_dir / "data" / "orders"
    if not orders_dir.is_dir() or _rows_in(orders_dir) != orders:
        shutil.rmtree(orders_dir, ignore_errors=True)
        print(f"generating {orders:,} sample orders in {orders_dir}", file=sys.stderr)
        samples.write_orders(orders_dir, rows=orders)
    status = _build(specs, out, [])
    if status == 0:
        print(f"\nopen them in a browser (they work offline): {out.resolve()}")
    return status


def _rows_in(folder: Path) -> int:
    import pyarrow.dataset as ds

    try:
        return int(ds.dataset(folder, format="parquet").count_rows())
    except (OSError, ValueError):
        return -1
