"""Story specs: validation messages, overrides, data sources, determinism, schema."""

import json
import re
import textwrap
from pathlib import Path

import jsonschema
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
import yaml

from ipyreport import encode, samples
from ipyreport.cli import main
from ipyreport.spec import Access, SpecError, build, json_schema, load, loads

ROOT = Path(__file__).resolve().parents[2]
BROKEN = sorted((ROOT / "tests" / "specs" / "broken").glob("*.yaml"))
EXAMPLES = sorted((ROOT / "stories").glob("*.yaml"))
SMALL = textwrap.dedent(
    """\
    title: Small
    data:
      sample: sales
    slides:
      - title: One
        steps:
          - chart: {kind: column, x: Region, y: Revenue}
    """
)


@pytest.mark.parametrize("spec", BROKEN, ids=[path.stem for path in BROKEN])
def test_broken_specs_fail_with_the_golden_message(spec):
    expected = spec.with_suffix(".txt").read_text().rstrip("\n")
    with pytest.raises(SpecError) as caught:
        build(load(spec))
    assert str(caught.value) == expected.replace("{spec}", str(spec)).replace(
        "{dir}", str(spec.parent)
    )


@pytest.mark.parametrize(
    "spec", [p for p in EXAMPLES if p.stem != "orders-at-scale"], ids=lambda p: p.stem
)
def test_example_specs_build(spec):
    story = build(load(spec))
    assert story.slides


def test_large_example_reads_generated_parquet_through_duckdb(tmp_path):
    (tmp_path / "orders-at-scale.yaml").write_text(
        (ROOT / "stories" / "orders-at-scale.yaml").read_text()
    )
    samples.write_orders(tmp_path / "data" / "orders", rows=20_000, parts=2)
    story = build(load(tmp_path / "orders-at-scale.yaml"))
    orders = story.data["Orders"].values
    assert int(orders.sum()) == 20_000


def test_overrides_change_any_field():
    loaded = loads(SMALL, overrides=["title=Overridden", "slides.0.title=First", "data.seed=7"])
    assert loaded.value["title"] == "Overridden"
    assert loaded.value["slides"][0]["title"] == "First"
    assert build(loaded).provenance["resolved"]["data"] == {"sample": "sales", "seed": 7}


def test_overrides_are_validated_like_the_file():
    with pytest.raises(SpecError) as caught:
        loads(SMALL, "small.yaml", overrides=["loop=sometimes"])
    assert str(caught.value) == "small.yaml:1:1: loop: must be a boolean, got 'sometimes'"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("title", "--set 'title': write key=value, for example --set data.path=q3.parquet"),
        ("slides.5.title=x", "--set 'slides.5.title=x': the spec has no 'slides.5' to set inside"),
        ("title.x=1", "--set 'title.x=1': 'title' is not a mapping"),
    ],
)
def test_bad_overrides_say_why(override, message):
    with pytest.raises(SpecError) as caught:
        loads(SMALL, overrides=[override])
    assert str(caught.value) == message


def test_data_from_files_relative_to_the_spec(tmp_path):
    (tmp_path / "parts").mkdir()
    table = samples.sales()
    pq.write_table(table.slice(0, 3000), tmp_path / "parts" / "a.parquet")
    pq.write_table(table.slice(3000), tmp_path / "parts" / "b.parquet")
    spec = tmp_path / "story.yaml"
    spec.write_text(SMALL.replace("sample: sales", "path: parts/*.parquet"))
    story = build(load(spec))
    # Only what the slide draws is read: revenue by region.
    assert story.data.names == ["Region", "Revenue"]
    # In order of first appearance, as the same table in Python gives them.
    assert story.data["Region"].categories == encode(table)["Region"].categories
    assert story.data["Revenue"].values.sum() == pytest.approx(
        pc.sum(table["Revenue"]).as_py(), rel=1e-12
    )


def test_data_from_a_python_function(tmp_path):
    (tmp_path / "mydata.py").write_text(
        "def load():\n    return {'Region': ['A', 'B'], 'Revenue': [1.0, 2.0]}\n"
    )
    spec = tmp_path / "story.yaml"
    spec.write_text(SMALL.replace("sample: sales", "python: mydata:load"))
    trusted = Access.for_spec(spec, code=True)
    assert build(load(spec), access=trusted).data["Region"].categories == ("A", "B")


def test_python_data_runs_only_when_code_is_allowed(tmp_path, capsys):
    (tmp_path / "mydata.py").write_text(
        "import pathlib\npathlib.Path('ran').touch()\ndef load():\n    return {'a': ['x'], 'v': [1.0]}\n"
    )
    spec = tmp_path / "story.yaml"
    spec.write_text(SMALL.replace("sample: sales", "python: mydata:load"))
    assert main(["validate", str(spec)]) == 1
    assert not (tmp_path / "ran").exists()
    assert capsys.readouterr().err == (
        f"{spec}:3:3: data.python: 'mydata:load' runs Python code, which a spec may do only "
        "when you trust it: pass --allow-code to ipyreport (or access=Access.for_spec(path, "
        "code=True) to spec.build)\n"
    )


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("COPY (SELECT 42 AS a) TO 'x.csv'", "the query is refused: it must be a single SELECT"),
        ("SELECT 1 AS a; SELECT 2 AS a", "the query holds 2 statements"),
        ("SELECT * FROM read_text('/etc/hostname')", "the query reads outside the spec's folder"),
        (
            "SELECT * FROM read_csv('https://example.com/a.csv')",
            "the query reads outside the spec's folder",
        ),
        (
            "SELECT * FROM read_csv('../secret/secret.csv')",
            "the query reads outside the spec's folder",
        ),
        ("INSTALL httpfs", "the query is refused"),
        ("ATTACH 'other.duckdb'", "the query is refused"),
    ],
    ids=["copy", "two", "read_text", "https", "parent", "install", "attach"],
)
def test_a_spec_query_cannot_reach_outside_its_folder(tmp_path, sql, message):
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "secret.csv").write_text("Region,Revenue\nX,1\n")
    (tmp_path / "story").mkdir()
    spec = tmp_path / "story" / "story.yaml"
    spec.write_text(SMALL.replace("sample: sales", "sql: " + json.dumps(sql)))
    with pytest.raises(SpecError) as caught:
        build(load(spec))
    assert str(caught.value).startswith(f"{spec}:3:3: data.sql: {message}")
    assert sorted(p.name for p in (tmp_path / "story").iterdir()) == [
        "story.yaml"
    ]  # nothing written


def test_a_spec_reads_files_next_to_it_and_allowed_folders(tmp_path):
    (tmp_path / "shared").mkdir()
    pq.write_table(samples.sales(), tmp_path / "shared" / "sales.parquet")
    (tmp_path / "story").mkdir()
    spec = tmp_path / "story" / "story.yaml"
    for data in ("path: ../shared/sales.parquet", "sql: select * from '../shared/sales.parquet'"):
        spec.write_text(SMALL.replace("sample: sales", data))
        with pytest.raises(SpecError, match="outside the spec's folder"):
            build(load(spec))
        allowed = Access.for_spec(spec, folders=[tmp_path / "shared"])
        story = build(load(spec), access=allowed)
        assert story.data["Region"].categories == encode(samples.sales())["Region"].categories


def test_a_symbolic_link_cannot_lead_a_spec_outside_its_folder(tmp_path):
    (tmp_path / "secret").mkdir()
    pq.write_table(samples.sales(), tmp_path / "secret" / "sales.parquet")
    (tmp_path / "story").mkdir()
    (tmp_path / "story" / "sales.parquet").symlink_to(tmp_path / "secret" / "sales.parquet")
    spec = tmp_path / "story" / "story.yaml"
    spec.write_text(SMALL.replace("sample: sales", "path: sales.parquet"))
    with pytest.raises(SpecError, match="outside the spec's folder"):
        build(load(spec))


def test_a_failing_query_names_the_field(tmp_path):
    spec = tmp_path / "story.yaml"
    spec.write_text(SMALL.replace("sample: sales", "sql: select * from nowhere_table"))
    with pytest.raises(
        SpecError, match=r"story.yaml:3:3: data.sql: the query failed: Catalog Error"
    ):
        build(load(spec))


def test_rebuilds_are_byte_identical_with_a_pinned_time(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    spec = tmp_path / "story.yaml"
    spec.write_text(SMALL)
    first = build(load(spec)).to_html()
    second = build(load(spec)).to_html()
    assert first == second
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1767225600 + 3600))
    third = build(load(spec)).to_html()
    assert third != first

    # Only the build time differs: in the footer, and in the provenance the story records
    # (so the footer's hash of the story differs too).
    def timeless(page: str, moment: str) -> str:
        page = page.replace(f"{moment.replace('T', ' ')[:16]} UTC", "").replace(f"{moment}Z", "")
        return re.sub(r"story [0-9a-f]{12}</footer>", "", page)

    assert timeless(third, "2026-01-01T01:00:00") == timeless(first, "2026-01-01T00:00:00")


def test_the_built_file_records_its_resolved_spec_and_data_fingerprint(tmp_path):
    spec = tmp_path / "story.yaml"
    spec.write_text(SMALL)
    story = build(load(spec, overrides=["title=From CLI"]))
    provenance = json.loads(story.to_json())["provenance"]
    assert provenance["spec"] == "story.yaml"
    assert provenance["resolved"]["title"] == "From CLI"
    assert provenance["data"]["rows"] == 6420
    assert len(provenance["data"]["sha256"]) == 64


def test_shipped_schema_is_the_generated_one():
    shipped = json.loads((ROOT / "ipyreport" / "schema" / "story-spec.schema.json").read_text())
    assert shipped == json_schema()


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.stem)
def test_schema_accepts_the_examples(spec):
    jsonschema.validate(yaml.safe_load(spec.read_text()), json_schema())


def test_schema_rejects_unknown_fields():
    spec = yaml.safe_load((ROOT / "tests" / "specs" / "broken" / "unknown-key.yaml").read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(spec, json_schema())


def test_duckdb_sources_rebuild_byte_identically(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    (tmp_path / "orders.yaml").write_text((ROOT / "stories" / "orders-at-scale.yaml").read_text())
    samples.write_orders(tmp_path / "data" / "orders", rows=50_000, parts=2)
    first = build(load(tmp_path / "orders.yaml")).to_html()
    assert build(load(tmp_path / "orders.yaml")).to_html() == first


def test_an_absolute_path_outside_the_folder_is_refused(tmp_path):
    (tmp_path / "story").mkdir()
    pq.write_table(samples.sales(), tmp_path / "sales.parquet")
    spec = tmp_path / "story" / "story.yaml"
    spec.write_text(SMALL.replace("sample: sales", f"path: {tmp_path / 'sales.parquet'}"))
    with pytest.raises(SpecError, match="is outside the spec's folder"):
        build(load(spec))


def test_path_data_honours_the_options_python_data_does(tmp_path):
    (tmp_path / "sales.csv").write_text("Region,Year,Revenue,Note\nNorth,2023,1.5,a\n,2024,2.5,b\n")
    spec = tmp_path / "story.yaml"
    options = "{path: sales.csv, null_label: '(none)', columns: [Region, Year, Revenue], dimensions: [Year]}"
    spec.write_text(SMALL.replace("data:\n  sample: sales", "data: " + options))
    story = build(load(spec))
    assert story.data["Region"].categories == ("North", "(none)")
    assert "Note" not in story.lazy_source.roles
    assert story.lazy_source.roles["Year"] == "dimension"
    spec.write_text(
        SMALL.replace("data:\n  sample: sales", "data: {path: sales.csv, max_rows: 10}")
    )
    with pytest.raises(SpecError, match="max_rows limits the rows read into memory"):
        build(load(spec))


# --- one filter vocabulary: beside a preset or inside it ------------------------------------

PRESET_STEPS = {
    "chart": "{kind: column, x: Region, y: Revenue}",
    "morph": "{kinds: [column, pie], x: Region, y: Revenue}",
    "zoom": "{levels: [Region, Country], path: [Europe], y: Revenue}",
    "zoom_range": "{kind: column, x: Region, y: Revenue, low: 0, high: 9900000000}",
    "highlight": "{where: {Region: Europe}}",
    "timeline": "{time: Month, x: Region, y: Revenue}",
    "compare": "{x: Region, y: Revenue, by: Channel, change: Profit}",
}


def _one_step(step, data="{sample: sales}"):
    lead = (
        "      - chart: {kind: column, x: Region, y: Revenue}\n"
        if step.startswith("highlight")
        else ""
    )
    return f"data: {data}\nslides:\n  - steps:\n{lead}      - {step}\n"


def _inside(name, filter):
    return f"{name}: {PRESET_STEPS[name][:-1]}, filter: {filter}}}"


def test_every_preset_of_the_registry_has_a_step_here():
    from ipyreport import presets

    assert sorted(PRESET_STEPS) == sorted(presets.REGISTRY)


@pytest.mark.parametrize("name", sorted(PRESET_STEPS))
def test_a_filter_inside_a_preset_is_the_filter_beside_it(name):
    beside = build(
        loads(_one_step(f"{name}: {PRESET_STEPS[name]}\n        filter: {{Product: Laptops}}"))
    )
    inside = build(loads(_one_step(_inside(name, "{Product: Laptops}"))))
    one, other = inside.to_dict(), beside.to_dict()
    assert one.pop("provenance") != other.pop("provenance")  # the specs differ, not the stories
    assert one == other
    unfiltered = build(loads(_one_step(f"{name}: {PRESET_STEPS[name]}"))).to_dict()
    unfiltered.pop("provenance")
    assert one != unfiltered


@pytest.mark.parametrize("name", ["chart", "timeline"])
def test_a_filter_inside_a_preset_reads_a_path_lazily_as_beside_it(tmp_path, name):
    pq.write_table(samples.sales(), tmp_path / "sales.parquet")
    data = "{path: sales.parquet}"
    beside = tmp_path / "beside.yaml"
    beside.write_text(
        _one_step(f"{name}: {PRESET_STEPS[name]}\n        filter: {{Region: Europe}}", data)
    )
    inside = tmp_path / "inside.yaml"
    inside.write_text(_one_step(_inside(name, "{Region: Europe}"), data))
    one, other = build(load(inside)).to_dict(), build(load(beside)).to_dict()
    one.pop("provenance"), other.pop("provenance")
    assert one == other


def test_the_schema_takes_a_filter_inside_every_preset():
    from ipyreport import presets

    step = json_schema()["$defs"]["step"]["properties"]
    for name in presets.REGISTRY:
        assert step[name]["properties"]["filter"] == step["filter"]
    spec = yaml.safe_load(_one_step(_inside("timeline", "{Region: [Europe, Asia]}")))
    jsonschema.validate(spec, json_schema())


def test_a_wrong_label_inside_a_preset_filter_is_reported_there(tmp_path):
    spec = tmp_path / "story.yaml"
    spec.write_text(_one_step(_inside("morph", "{Region: Erope}")))
    with pytest.raises(SpecError) as caught:
        build(load(spec))
    assert str(caught.value) == (
        f"{spec}:4:62: slide 1, step 1, morph.filter: the filter keeps 'Region' == 'Erope', "
        "which never occurs (did you mean 'Europe'?)"
    )


def test_a_filter_inside_and_beside_a_preset_is_one_too_many(tmp_path):
    spec = tmp_path / "story.yaml"
    spec.write_text(
        _one_step(_inside("chart", "{Region: Europe}") + "\n        filter: {Region: Asia}")
    )
    with pytest.raises(SpecError) as caught:
        build(load(spec))
    assert str(caught.value) == (
        f"{spec}:5:9: slide 1, step 1, filter: chart has a filter both inside it and beside "
        "it; write it once, as chart.filter or as the step's filter"
    )


def test_a_wrong_label_inside_a_preset_filter_over_a_path_is_reported_there(tmp_path):
    pq.write_table(samples.sales(), tmp_path / "sales.parquet")
    spec = tmp_path / "story.yaml"
    spec.write_text(_one_step(_inside("chart", "{Region: Erope}"), "{path: sales.parquet}"))
    with pytest.raises(SpecError) as caught:
        build(load(spec))
    assert str(caught.value) == (
        f"{spec}:4:54: slide 1, step 1: the filter keeps 'Region' == 'Erope', "
        "which never occurs (did you mean 'Europe'?)"
    )


def test_a_dek_and_source_are_carried_to_every_slide(tmp_path):
    spec = tmp_path / "story.yaml"
    spec.write_text(
        SMALL.replace("title: Small\n", "title: Small\nsource: Sales ledger\n").replace(
            "  - title: One\n",
            "  - title: One\n    dek: '{Region.top} sells {sum(Revenue, Region=Region.top)}'\n",
        )
        + "  - title: Two\n    source: 'Sources: the regions'\n    steps:\n"
        + "      - chart: {kind: bar, x: Channel, y: Units}\n"
    )
    first, second = build(load(spec)).to_dict()["slides"]
    totals = samples.sales().to_pandas().groupby("Region")["Revenue"].sum()
    assert first["dek"].startswith(f"{totals.idxmax()} sells ")
    assert first["text"]["dek"][0]["value"] == totals.idxmax()
    assert first["source"] == "Source: Sales ledger"
    assert second["source"] == "Sources: the regions"
    assert "dek" not in second


def test_the_bundled_stories_give_a_category_one_colour_across_the_deck(tmp_path):
    # Laid out as `ipyreport demo` lays them out: the orders spec beside its sample files.
    for example in EXAMPLES:
        (tmp_path / example.name).write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
    samples.write_orders(tmp_path / "data" / "orders", rows=2_000)
    colours: dict[tuple[str, str], dict[str, str]] = {}
    for example in EXAMPLES:
        story = build(load(tmp_path / example.name))
        for dimension, categories in story.colors.items():
            for category, colour in categories.items():
                colours.setdefault((dimension, category), {})[example.stem] = colour.lower()
    shared = {key: by_story for key, by_story in colours.items() if len(by_story) > 1}
    assert ("Product", "Accessories") in shared  # the sales and orders stories both colour it
    assert {key: by for key, by in shared.items() if len(set(by.values())) > 1} == {}
    # Nor does a colour stand for two things: a channel is never a region's blue.
    meanings: dict[str, set[tuple[str, str]]] = {}
    for key, by_story in colours.items():
        for colour in by_story.values():
            meanings.setdefault(colour, set()).add(key)
    assert {colour: keys for colour, keys in meanings.items() if len(keys) > 1} == {}
