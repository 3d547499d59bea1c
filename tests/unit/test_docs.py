"""The documentation site builds strictly, every example in it runs, and what it says about
the code (API, spec format, benchmarks, gallery) is generated from the code."""

from __future__ import annotations

import importlib.util
import inspect
import json
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from ipyreport.spec import json_schema
from tests.corpus import CASES
from tests.docs_site import DOCS, ROOT, build_site, gallery_pages

_spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "scripts" / "docs_hooks.py")
assert _spec is not None
assert _spec.loader is not None
hooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hooks)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    done = build_site(target)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "WARNING" not in done.stderr, done.stderr
    return target


def test_the_site_builds_strictly_with_every_page_of_the_nav(site):
    pages = sorted(str(path.relative_to(DOCS).with_suffix(".html")) for path in DOCS.rglob("*.md"))
    built = [page for page in pages if (site / page).is_file()]
    assert built == pages


def test_docstring_roles_read_as_code_in_the_api_reference(site):
    assert hooks.without_roles("see :func:<code>lazy</code> and :class:<code>Format</code>") == (
        "see <code>lazy</code> and <code>Format</code>"
    )
    page = (site / "reference" / "api.html").read_text(encoding="utf-8")
    assert "<code>ipyreport.lazy.lazy</code>" in page
    assert not re.search(r":(func|class|meth|mod|attr|data):<code>", page)


def test_a_page_example_that_raises_stops_the_build_naming_the_page_and_example():
    page = "```python\nx = 1\n```\n\nText.\n\n```python\nx + undefined_name\n```\n"
    with pytest.raises(PluginError) as error:
        hooks.run_examples(page, "guide/broken.md")
    assert str(error.value) == (
        "guide/broken.md, example 2 failed: NameError: name 'undefined_name' is not defined"
    )


def test_a_page_example_that_warns_stops_the_build():
    page = "```python\nimport warnings\nwarnings.warn('old keyword')\n```\n"
    with pytest.raises(PluginError, match="example 1 failed: UserWarning: old keyword"):
        hooks.run_examples(page, "guide/warns.md")


def test_examples_run_in_order_in_one_namespace_and_other_fences_do_not_run(tmp_path):
    page = (
        "```python\nsteps = ['first']\n```\n"
        "```ipython\n%load_ext ipyreport\n```\n"
        "```text\nraise SystemExit\n```\n"
        "```python\nsteps.append('second')\n```\n"
    )
    namespace = hooks.run_examples(page, "guide/order.md")
    assert namespace["steps"] == ["first", "second"]


def test_every_corpus_dataset_has_a_gallery_page_that_embeds_its_built_story(site):
    datasets = sorted({case.dataset.replace("_", "-") for case in CASES})
    assert gallery_pages() == datasets
    for name in datasets:
        page = (site / "gallery" / f"{name}.html").read_text(encoding="utf-8")
        assert f'<iframe class="ipyreport-story" src="{name}.story.html"' in page
        story = (site / "gallery" / f"{name}.story.html").read_text(encoding="utf-8")
        assert story.startswith("<!doctype html>")
        assert 'http-equiv="Content-Security-Policy"' in story
        # The page shows the code that made the story.
        assert 'story</span> <span class="o">=</span> <span class="n">Story</span>' in page


def test_the_spec_reference_lists_every_field_and_step_kind_of_the_schema(site):
    page = (site / "reference" / "spec.html").read_text(encoding="utf-8")
    schema = json_schema()
    for field in schema["properties"]:
        assert f"<code>{field}</code>" in page
    for field in schema["properties"]["data"]["properties"]:
        assert f"<code>{field}</code>" in page
    for kind, step in schema["$defs"]["step"]["properties"].items():
        assert f'id="{kind}"' in page
        for parameter in step.get("properties", {}):
            assert f"<code>{parameter}</code>" in page
    kinds = schema["$defs"]["step"]["properties"]["chart"]["properties"]["kind"]["enum"]
    assert all(f"<code>{kind}</code>" in page for kind in kinds)


def test_the_api_reference_documents_every_public_name(site):
    import ipyreport

    page = (site / "reference" / "api.html").read_text(encoding="utf-8")
    documented = set(re.findall(r'id="(ipyreport\.[\w.]+)"', page))
    # The submodules ipyreport reaches (presets, samples...) are documented by their members.
    public = {
        name
        for name in ipyreport.__all__
        if not name.startswith("_") and not inspect.ismodule(getattr(ipyreport, name))
    }
    public.discard("load_ipython_extension")  # %load_ext: the front-ends guide
    named = {anchor.rsplit(".", 1)[-1] for anchor in documented}
    assert sorted(public - named) == []


def test_the_benchmarks_page_shows_each_results_file_with_its_date_machine_and_command(site):
    page = (site / "benchmarks.html").read_text(encoding="utf-8")
    results = sorted((ROOT / "bench" / "results").glob("*.json"))
    assert results, "python -m bench writes bench/results/NAME.json"
    for path in results:
        record = json.loads(path.read_text(encoding="utf-8"))
        assert f"Measured {record['date']}" in page
        assert f"<code>{record['command']}</code>" in page
        assert record["machine"]["cpu"] in page
        rows = [line for line in record["report"].splitlines() if line.startswith("| ")]
        if len(rows) > 1:  # a table: its heading, then the figures
            cells = [cell.strip() for cell in rows[1].strip("|").split("|")]
            assert f">{cells[-1]}</td>" in page


def test_a_benchmark_never_run_says_which_command_measures_it(tmp_path):
    assert hooks.bench_report("video", folder=tmp_path) == (
        "*Not measured yet: `python -m bench video` writes `bench/results/video.json`.*\n"
    )


def test_nothing_in_the_site_loads_from_a_network(site):
    fetched = re.compile(
        r"""<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=["']?(?:https?:)?//"""
        r"""|<link\b[^>]*\bhref=["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import\s+["']?https?:"""
    )
    offenders = []
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css") and not path.name.endswith(".story.html"):
            for match in fetched.finditer(path.read_text(encoding="utf-8", errors="replace")):
                offenders.append(f"{path.relative_to(site)}: {match.group(0)}")
    assert offenders == []


def test_the_site_search_works_from_the_file_system(site):
    # The theme reads its index from a script when a page is opened from file://.
    index = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert index.startswith("var __index = {")
    assert "Words bound to data" in index


def _spec_examples() -> list[tuple[str, str]]:
    """The pages' YAML blocks that are whole specs (they name data and slides)."""
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        for block in re.findall(
            r"^```yaml\n(.*?)^```", page.read_text(encoding="utf-8"), re.S | re.M
        ):
            if re.search(r"^data:", block, re.M) and re.search(r"^slides:", block, re.M):
                found.append((str(page.relative_to(DOCS)), block))
    return found


def test_every_spec_the_pages_show_builds(tmp_path):
    from ipyreport import spec

    examples = _spec_examples()
    assert len(examples) >= 3
    for number, (page, text) in enumerate(examples):
        loaded = spec.loads(text, tmp_path / f"{number}.yaml")
        story = spec.build(loaded)
        assert story.slides, page
