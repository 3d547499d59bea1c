"""Hooks of the documentation build (named in mkdocs.yml).

- Every ```python block of a page runs, in order, in one namespace per page and in a folder
  of its own, as a reader would run them; an example that raises (or warns) stops the build,
  naming the page and the block.
- A page's ``<!-- play -->`` (each gallery page, the home page) becomes the story its examples
  built (the variable ``story``), saved as one self-contained HTML file next to the page and
  shown in a frame.
- ``<!-- spec-reference -->`` becomes the spec format's reference, written from
  ipyreport/schema/story-spec.schema.json.
- Doctest blocks in docstrings (``>>>`` lines and their output, up to a blank line) read as
  code in the API reference, not as Markdown (where ``x["y"]`` would be a link).
- ``<!-- bench: NAME -->`` becomes the report ``python -m bench NAME`` wrote to
  bench/results/NAME.json, with its date, machine and command.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import os
import re
import tempfile
import warnings
from pathlib import Path
from typing import Any

from markdown import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "ipyreport" / "schema" / "story-spec.schema.json"
RESULTS = ROOT / "bench" / "results"

EXAMPLE = re.compile(r"^```python\n(.*?)^```[ \t]*$", re.S | re.M)
# Markers stand alone on their line (a page may quote one in backticks).
PLAY = re.compile(r"^<!-- play -->$", re.M)
SPEC = re.compile(r"^<!-- spec-reference -->$", re.M)
BENCH = re.compile(r"^<!-- bench: ([a-z]+) -->$", re.M)

_stories: dict[str, str] = {}  # site path of a gallery story -> its HTML


def examples(markdown: str) -> list[str]:
    """The page's Python examples, in the order a reader meets them."""
    return EXAMPLE.findall(markdown)


def run_examples(markdown: str, where: str) -> dict[str, Any]:
    """Run every example of a page in order, in a fresh folder; the namespace they leave."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    blocks = examples(markdown)
    if not blocks:
        return namespace
    here = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="ipyreport-docs-") as folder:
        os.chdir(folder)
        try:
            for number, code in enumerate(blocks, start=1):
                label = f"{where}, example {number}"
                try:
                    # A warning an example raises is a mistake in the example, as in the tests.
                    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                        warnings.simplefilter("error")
                        exec(compile(code, label, "exec"), namespace)
                except Exception as error:
                    msg = f"{label} failed: {type(error).__name__}: {error}"
                    raise PluginError(msg) from error
        finally:
            os.chdir(here)
    return namespace


def _story_frame(page_url: str, namespace: dict[str, Any], where: str) -> str:
    story = namespace.get("story")
    if story is None or not hasattr(story, "to_html"):
        msg = (
            f"{where}: a page that plays a story needs its examples to make a Story called `story`"
        )
        raise PluginError(msg)
    name = Path(page_url).stem + ".story.html"
    folder = str(Path(page_url).parent)
    _stories[os.path.join(folder, name)] = str(story.to_html())
    title = html.escape(str(story.title or "The story"), quote=True)
    return (
        f'<iframe class="ipyreport-story" src="{name}" title="{title}" '
        'style="width: 100%; aspect-ratio: 16 / 10; border: 0;" '
        'allow="fullscreen" loading="eager"></iframe>\n\n'
        f'<p><a href="{name}">Open the story on its own page</a> (one file, plays offline: '
        "arrows step it, P plays it, T shows the numbers).</p>"
    )


# --- the spec format's reference -------------------------------------------------------------


def _code(value: Any) -> str:
    return (
        f"`{json.dumps(value, ensure_ascii=False)}`" if not isinstance(value, str) else f"`{value}`"
    )


def _type(node: dict[str, Any]) -> str:
    if "enum" in node:
        if node.get("description") == "chart kind":
            return "a [chart kind](#chart-kinds)"
        return "one of " + ", ".join(_code(value) for value in node["enum"])
    if "const" in node:
        return _code(node["const"])
    for word in ("anyOf", "oneOf"):
        if word in node:
            kinds = [_type(part) for part in node[word]]
            return " or ".join(dict.fromkeys(kind for kind in kinds if kind))
    kind = node.get("type")
    if kind == "array":
        inner = _type(node.get("items", {}))
        return f"a list of {inner}" if inner else "a list"
    if isinstance(kind, list):
        return " or ".join(kind)
    limits = []
    if "minimum" in node:
        limits.append(f"≥ {node['minimum']}")
    if "maximum" in node:
        limits.append(f"≤ {node['maximum']}")
    if kind == "object" and "properties" not in node:
        return "a mapping"
    words = {
        "string": "text",
        "number": "number",
        "integer": "whole number",
        "boolean": "true or false",
    }
    text = words.get(str(kind), str(kind) if kind else "")
    return f"{text} ({', '.join(limits)})" if limits else text


def _cell(text: str) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return re.sub(r"([{}<*_])", r"\\\1", text)


def _fields(node: dict[str, Any], required: list[str] | None = None) -> list[str]:
    required = required if required is not None else node.get("required", [])
    rows = ["| field | takes | meaning |", "|---|---|---|"]
    for name, field in node.get("properties", {}).items():
        mark = " (required)" if name in required else ""
        description = field.get("description", "")
        if "description" not in field and "items" in field:
            description = field["items"].get("description", "")
        if description == "chart kind":  # the type column links the list already
            description = ""
        rows.append(f"| `{name}`{mark} | {_cell(_type(field))} | {_cell(description)} |")
    return rows


def spec_reference(schema: dict[str, Any]) -> str:
    """The spec format, as Markdown, from its JSON Schema."""
    out = [schema.get("description", "").capitalize() + ": the top level of a spec file.", ""]
    out += _fields(schema)
    data = schema["properties"]["data"]
    out += ["", "## `data`", "", data.get("description", "").capitalize() + ".", ""]
    choices = [
        ", ".join(f"`{name}`" for name in part["required"]) for part in data.get("oneOf", [])
    ]
    if choices:
        out += ["Exactly one of " + "; ".join(choices) + " names the source.", ""]
    out += _fields(data)
    slide = schema["properties"]["slides"]["items"]
    out += ["", "## `slides`", "", slide.get("description", "").capitalize() + ".", ""]
    out += _fields(slide)
    params = schema["properties"].get("params")
    if params:
        out += ["", "## `params`", "", params.get("description", "").capitalize() + ".", ""]
        for name, entry in (
            params.get("additionalProperties", {})
            .get("anyOf", [{}])[-1]
            .get("properties", {})
            .items()
        ):
            out.append(
                f"- `{name}`: {_cell(_type(entry))}. {entry.get('description', '')}".rstrip()
            )
    step = schema["$defs"]["step"]
    out += ["", "## Steps", "", step.get("description", "A step.").capitalize(), ""]
    kinds: list[str] = []
    for name, kind in step["properties"].items():
        out += ["", f"### `{name}`", ""]
        if kind.get("description"):
            out += [kind["description"][0].upper() + kind["description"][1:] + ".", ""]
        if "properties" in kind:
            out += _fields(kind)
        else:
            out.append(f"Takes {_type(kind)}.")
        for field in kind.get("properties", {}).values():
            candidates = [field, field.get("items", {})]
            for candidate in candidates:
                if candidate.get("description") == "chart kind" and not kinds:
                    kinds = list(candidate["enum"])
    if kinds:
        out += ["", "## Chart kinds", "", ", ".join(f"`{kind}`" for kind in kinds) + "."]
    return "\n".join(out) + "\n"


# --- benchmarks ------------------------------------------------------------------------------


def bench_report(name: str, folder: Path = RESULTS) -> str:
    """A benchmark's last results file as Markdown: when, where, the command, its report."""
    path = folder / f"{name}.json"
    if not path.is_file():
        return f"*Not measured yet: `python -m bench {name}` writes `bench/results/{name}.json`.*\n"
    record = json.loads(path.read_text(encoding="utf-8"))
    machine = record["machine"]
    where = (
        f"{machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, "
        f"{machine['system']}, Python {machine['python']}"
    )
    if machine.get("load_average") is not None:
        where += f"; load average {machine['load_average']} when it began"
    report = record["report"].strip("\n") + "\n"
    # Indented detail lines read as code, as the terminal shows them.
    report = re.sub(
        r"(?:^ {2,}\S.*\n)+", lambda block: f"```text\n{block.group(0)}```\n", report, flags=re.M
    )
    return f"Measured {record['date']} with `{record['command']}` on {where}.\n\n{report}\n"


# --- doctest blocks in docstrings ----------------------------------------------------------


class _DoctestBlocks(Preprocessor):
    """Fence each doctest block (``>>>`` up to a blank line) that is not fenced already."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        fenced = in_doctest = False
        for line in lines:
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            if in_doctest and not line.strip():
                out += ["```", line]
                in_doctest = False
                continue
            if not fenced and not in_doctest and line.startswith(">>> "):
                out += ["", "```pycon"]
                in_doctest = True
            out.append(line)
        if in_doctest:
            out.append("```")
        return out


class DoctestBlocks(Extension):
    def extendMarkdown(self, md: Any) -> None:  # noqa: N802 (Markdown's name)
        # Before the fenced-code preprocessors (priority 25 and up), so they render it.
        md.preprocessors.register(_DoctestBlocks(md), "doctest_blocks", 40)


# --- hooks -----------------------------------------------------------------------------------


@event_priority(100)  # before mkdocstrings reads the Markdown extensions
def on_config(config: Any) -> Any:
    config.markdown_extensions.append(DoctestBlocks())
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    where = page.file.src_uri
    namespace = run_examples(markdown, where)
    if PLAY.search(markdown):
        frame = _story_frame(page.file.dest_uri, namespace, where)
        markdown = PLAY.sub(lambda _: frame, markdown)
    if SPEC.search(markdown):
        schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
        markdown = SPEC.sub(lambda _: spec_reference(schema), markdown)
    return BENCH.sub(lambda match: bench_report(match.group(1)), markdown)


# A docstring's Sphinx role (:func:`lazy`), which the API reference does not resolve.
ROLE = re.compile(r":(?:func|class|meth|mod|attr|data|obj|exc):(?=<code>)")


def without_roles(content: str) -> str:
    """The page with each docstring's role marker dropped, its name kept as code."""
    return ROLE.sub("", content)


def on_page_content(content: str, page: Any, config: Any, files: Any) -> str:
    return without_roles(content)


def on_post_build(config: Any) -> None:
    site = Path(config["site_dir"])
    for path, text in _stories.items():
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
