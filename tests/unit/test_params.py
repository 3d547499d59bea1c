"""A spec's parameters (declared, set with --set, used as ${params.NAME}), its composition
from other spec files (defaults:), and the provenance every spec-built story records."""

import hashlib
import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from ipyreport import document
from ipyreport.cli import main
from ipyreport.spec import SpecError, build, load

SPEC = textwrap.dedent(
    """\
    title: "Revenue in ${params.region}"
    params:
      region: Europe
      year: {type: integer, default: 2024, description: the year shown}
      quarter: {type: string, choices: [Q1, Q2, Q3, Q4], default: Q1}
    data:
      sample: sales
    slides:
      - title: "${params.region}, ${params.quarter} ${params.year}"
        notes: "Only ${params.region}: {sum(Revenue)}"
        steps:
          - chart: {kind: column, x: Region, y: Revenue}
            filter:
              Region: "${params.region}"
    """
)

SALES = 'Region,Revenue\nEurope,10\nEurope,5\n"Côte d\'Ivoire",7\nAsia,3\n'


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "story.yaml"
    path.write_text(SPEC)
    return path


def test_parameters_fill_titles_notes_and_filters_with_their_defaults(spec):
    loaded = load(spec)
    assert loaded.parameters == {"region": "Europe", "year": 2024, "quarter": "Q1"}
    assert loaded.value["title"] == "Revenue in Europe"
    slide = loaded.value["slides"][0]
    assert slide["title"] == "Europe, Q1 2024"
    assert slide["notes"] == "Only Europe: {sum(Revenue)}"
    assert slide["steps"][0]["filter"] == {"Region": "Europe"}
    made = build(loaded).to_dict()
    assert made["title"] == "Revenue in Europe"
    assert made["slides"][0]["steps"][0]["filter"] == {
        "in": {"column": "Region", "values": ["Europe"]}
    }


def test_set_changes_a_parameter_and_a_whole_value_keeps_its_type(spec):
    loaded = load(spec, ["params.region=Asia", "params.year=2007", "params.quarter=Q3"])
    assert loaded.value["title"] == "Revenue in Asia"
    assert loaded.value["slides"][0]["title"] == "Asia, Q3 2007"
    assert loaded.value["slides"][0]["steps"][0]["filter"] == {"Region": "Asia"}
    spec.write_text(SPEC.replace('Region: "${params.region}"', 'Year: "${params.year}"'))
    assert load(spec, ["params.year=2007"]).value["slides"][0]["steps"][0]["filter"] == {
        "Year": 2007
    }


def test_a_text_parameter_takes_a_number_as_written(spec):
    assert load(spec, ["params.region=2007"]).value["title"] == "Revenue in 2007"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (
            "params.regoin=Asia",
            "--set 'params.regoin=Asia': the spec declares no parameter 'regoin' (did you mean "
            "'region'?); declare it under params: (declared: region, year, quarter)",
        ),
        (
            "params.year=last",
            "--set 'params.year=last': params.year: 'last' is not an integer; write one, for "
            "example params.year=2007",
        ),
        (
            "params.quarter=Q5",
            "--set 'params.quarter=Q5': params.quarter: 'Q5' is not one of ['Q1', 'Q2', 'Q3', "
            "'Q4']",
        ),
        (
            "params.region=${oc.env:HOME}",
            "--set 'params.region=${oc.env:HOME}': params.region: '${oc.env:HOME}' holds '${'; "
            "a parameter's value is text, not an interpolation",
        ),
        (
            "params=x",
            "--set 'params=x': set one parameter at a time, for example --set params.region=Europe",
        ),
    ],
)
def test_a_bad_parameter_on_the_command_line_is_one_line_naming_it_and_the_fix(
    spec, override, message, capsys
):
    with pytest.raises(SpecError) as caught:
        load(spec, [override])
    assert str(caught.value) == message
    assert main(["validate", str(spec), "--set", override]) == 1
    assert capsys.readouterr().err == message + "\n"


def test_a_required_parameter_must_be_set(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(SPEC.replace("region: Europe", "region: {type: string}"))
    with pytest.raises(SpecError) as caught:
        load(path)
    assert str(caught.value) == (
        f"{path}:3:3: params.region: has no default, so it must be set: --set params.region=Europe"
    )
    assert load(path, ["params.region=Asia"]).value["title"] == "Revenue in Asia"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '"${params.region}, ${',
            '"${params.regin}, ${',
            "{spec}:9:5: slide 1, title: ${params.regin} names no declared parameter (did you "
            "mean 'region'?); declare it under params: (declared: region, year, quarter)",
        ),
        (
            "Only ${params.region}",
            "Only ${oc.env:HOME}",
            "{spec}:10:5: slide 1, notes: '${oc.env:HOME}' cannot be interpolated: a spec may "
            "write only ${params.NAME} (a parameter declared under params:); write \\${ for a "
            "literal ${",
        ),
        (
            "default: 2024",
            "default: soon",
            "{spec}:4:25: params.year.default: 'soon' is not an integer; write one, for example "
            "params.year=2007",
        ),
        (
            "{type: integer,",
            "{type: int,",
            "{spec}:4:10: params.year.type: type is one of string, integer, number, boolean, got "
            "'int' (did you mean 'integer'?)",
        ),
    ],
)
def test_a_bad_parameter_in_the_spec_names_its_file_line_and_column(spec, old, new, message):
    spec.write_text(SPEC.replace(old, new))
    with pytest.raises(SpecError) as caught:
        load(spec)
    assert str(caught.value) == message.replace("{spec}", str(spec))


def test_an_escaped_interpolation_is_kept_as_text(spec):
    spec.write_text(
        SPEC.replace(
            '"Only ${params.region}: {sum(Revenue)}"', r"'Only \${params.region}: {sum(Revenue)}'"
        )
    )
    assert load(spec).value["slides"][0]["notes"] == "Only ${params.region}: {sum(Revenue)}"


def test_paths_and_the_theme_take_parameters(tmp_path):
    (tmp_path / "q1.csv").write_text(SALES)
    (tmp_path / "q2.csv").write_text(SALES.replace("Asia,3", "Asia,300"))
    path = tmp_path / "story.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            params: {quarter: q1, look: dark}
            theme: "${params.look}"
            data: {path: "${params.quarter}.csv"}
            slides:
              - steps:
                  - chart: {kind: column, x: Region, y: Revenue}
            """
        )
    )
    story = build(load(path, ["params.quarter=q2", "params.look=light"]))
    assert story.to_dict()["theme"] == "light"
    revenue = dict(zip(story.data["Region"].labels(), story.data["Revenue"].values, strict=True))
    assert revenue["Asia"] == 300
    escape = load(path, ["params.quarter=../outside"])
    with pytest.raises(
        SpecError, match=r"data.path: '../outside.csv' is outside the spec's folder"
    ):
        build(escape)


# --- SQL: parameters are bound, never pasted -----------------------------------

SQL_SPEC = textwrap.dedent(
    """\
    params:
      region: Europe
    data:
      sql: select * from 'sales.csv' where Region = ${params.region}
    slides:
      - steps:
          - chart: {kind: column, x: Region, y: Revenue}
    """
)


@pytest.fixture
def sql_spec(tmp_path: Path) -> Path:
    (tmp_path / "sales.csv").write_text(SALES)
    path = tmp_path / "story.yaml"
    path.write_text(SQL_SPEC)
    return path


def test_a_sql_parameter_holding_a_quote_is_bound_as_a_value(sql_spec):
    story = build(load(sql_spec, ["params.region=Côte d'Ivoire"]))
    assert story.data["Region"].labels() == ["Côte d'Ivoire"]
    assert story.data["Revenue"].values.tolist() == [7]
    source = story.provenance["data"]["source"]
    assert source["sql"] == "select * from 'sales.csv' where Region = ${params.region}"
    assert source["parameters"] == {"region": "Côte d'Ivoire"}


def test_a_sql_parameter_cannot_inject_a_condition(sql_spec):
    story = build(load(sql_spec, ["params.region=x' OR '1'='1"]))
    assert story.data.num_rows == 0


def test_a_sql_parameter_inside_quotes_is_refused(sql_spec):
    sql_spec.write_text(SQL_SPEC.replace("= ${params.region}", "= '${params.region}'"))
    with pytest.raises(SpecError) as caught:
        build(load(sql_spec))
    assert str(caught.value) == (
        f"{sql_spec}:4:3: data.sql: ${{params.region}} is inside quotes, where it would be read "
        "as text; write it without quotes (region = ${params.region}): its value is bound as a "
        "parameter"
    )


# --- composition: defaults --------------------------------------------------------


def _composed(tmp_path: Path) -> Path:
    (tmp_path / "brand.yaml").write_text("theme: dark\ntitle: Brand title\nloop: false\n")
    (tmp_path / "data.yaml").write_text(
        "params:\n  region: Europe\ndata:\n  sample: sales\n  seed: 3\n"
    )
    path = tmp_path / "story.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            defaults: [brand.yaml, data.yaml]
            title: "Sales in ${params.region}"
            data: {seed: 5}
            slides:
              - steps:
                  - chart: {kind: column, x: Region, y: Revenue}
                    filter: {Region: "${params.region}"}
            """
        )
    )
    return path


def test_defaults_are_merged_in_order_under_the_spec(tmp_path):
    loaded = load(_composed(tmp_path), ["params.region=Americas"])
    assert loaded.value["theme"] == "dark"
    assert loaded.value["loop"] is False
    assert loaded.value["title"] == "Sales in Americas"
    assert loaded.value["data"] == {"sample": "sales", "seed": 5}
    assert build(loaded).to_dict()["theme"] == "dark"


def test_an_error_names_the_file_that_wrote_the_field(tmp_path):
    path = _composed(tmp_path)
    (tmp_path / "brand.yaml").write_text("theme: dark\ntitle: Brand title\nloop: sometimes\n")
    with pytest.raises(SpecError) as caught:
        load(path)
    assert (
        str(caught.value)
        == f"{tmp_path / 'brand.yaml'}:3:1: loop: must be a boolean, got 'sometimes'"
    )


def test_a_missing_or_outside_defaults_file_is_one_line(tmp_path):
    path = _composed(tmp_path)
    path.write_text(path.read_text().replace("data.yaml]", "dta.yaml]"))
    with pytest.raises(SpecError) as caught:
        load(path)
    assert str(caught.value) == f"{path}:1:24: defaults item 2: 'dta.yaml': no such spec file"
    path.write_text(path.read_text().replace("dta.yaml]", "../elsewhere.yaml]"))
    with pytest.raises(SpecError) as caught:
        load(path)
    assert str(caught.value).startswith(
        f"{path}:1:24: defaults item 2: '../elsewhere.yaml' is outside the spec's folder"
    )


def test_a_defaults_cycle_is_refused(tmp_path):
    path = _composed(tmp_path)
    (tmp_path / "brand.yaml").write_text("defaults: [story.yaml]\ntheme: dark\n")
    with pytest.raises(SpecError, match=r"'story\.yaml' is already being merged"):
        load(path)


# --- provenance ----------------------------------------------------------------------


def test_a_built_story_records_its_inputs(sql_spec, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    story = build(load(sql_spec, ["params.region=Asia"]))
    made = story.to_dict()
    jsonschema.Draft202012Validator(document.schema()).validate(made)
    provenance = made["provenance"]
    assert provenance["spec"] == "story.yaml"
    assert provenance["parameters"] == {"region": "Asia"}
    assert provenance["overrides"] == ["params.region=Asia"]
    assert provenance["built"] == "2026-01-01T00:00:00Z"
    assert provenance["versions"]["vizzu"] == "0.16.1"
    assert provenance["data"]["rows"] == 1
    data = sql_spec.parent / "sales.csv"
    assert provenance["data"]["source"]["files"] == [
        {
            "path": "sales.csv",
            "size": data.stat().st_size,
            "sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
        }
    ]
    assert provenance["resolved"]["params"] == {"region": "Europe"}


def test_a_deck_records_its_provenance_in_its_properties(sql_spec, tmp_path):
    from pptx import Presentation

    story = build(load(sql_spec, ["params.region=Asia"]))
    deck = Presentation(str(story.save_pptx(tmp_path / "deck.pptx")))
    built = story.provenance["built"]
    digest = story.provenance["data"]["sha256"][:12]
    assert deck.core_properties.comments == (
        f"Made with ipyreport from story.yaml (region=Asia), data sha256 {digest}, built {built}."
    )
    assert deck.core_properties.keywords == "region=Asia"


@pytest.mark.parametrize("layout", ["slides", "scroll"])
def test_the_html_file_and_the_article_hold_the_provenance(sql_spec, tmp_path, layout):
    out = tmp_path / "out.html"
    argv = ["build", str(sql_spec), "-q", "-o", str(out), "--layout", layout]
    assert main([*argv, "--set", "params.region=Asia"]) == 0
    page = out.read_text()
    start = page.index('id="ipyreport-story">') + len('id="ipyreport-story">')
    made = json.loads(page[start : page.index("</script>", start)])
    assert made["provenance"]["parameters"] == {"region": "Asia"}
    assert made["provenance"]["data"]["source"]["parameters"] == {"region": "Asia"}


def test_a_number_parameter_reads_exponents_and_refuses_what_is_not_finite(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(SPEC.replace("region: Europe", "region: Europe\n  share: 0.5"))
    assert load(path, ["params.share=1e3"]).parameters["share"] == 1000.0
    assert load(path, ["params.share=2"]).parameters["share"] == 2.0
    with pytest.raises(SpecError) as caught:
        load(path, ["params.share=nan"])
    assert str(caught.value) == (
        "--set 'params.share=nan': params.share: 'nan' is not a number; write one, for example "
        "params.share=0.5"
    )


def test_validate_says_the_parameters_it_built_with(spec, capsys):
    assert main(["validate", str(spec), "--set", "params.region=Africa"]) == 0
    assert capsys.readouterr().out == (
        f"{spec}: ok (1 slides, 1 steps, 6,420 rows; params region=Africa, year=2024, quarter=Q1)\n"
    )


def test_check_fresh_follows_the_files_a_query_reads(sql_spec, tmp_path, capsys):
    deck = tmp_path / "deck.html"
    assert main(["build", str(sql_spec), "-q", "-o", str(deck)]) == 0
    assert main(["build", "--check-fresh", str(deck)]) == 0
    (sql_spec.parent / "sales.csv").write_text(SALES.replace("Asia,3", "Asia,4"))
    capsys.readouterr()
    assert main(["build", "--check-fresh", str(deck)]) == 1
    said = capsys.readouterr().out
    assert said.startswith(f"{deck}: data changed since it was built on ")
    assert ": sales.csv changed content (sha256 " in said


@pytest.mark.parametrize(
    ("block", "valid"),
    [
        ({"region": "Europe", "share": 0.5, "live": True, "year": 2024}, True),
        ({"year": {"type": "integer", "default": 2024, "description": "the year shown"}}, True),
        ({"quarter": {"type": "string", "choices": ["Q1", "Q2"], "default": "Q1"}}, True),
        ({"region": {"type": "string"}}, True),  # required: no default
        ({"region": {"type": "text"}}, False),
        ({"region": {"type": "string", "help": "x"}}, False),
        ({"region": {"type": "string", "choices": []}}, False),
        ({"region": ["Europe"]}, False),
        ({"region": None}, False),
        ({"2nd": "Europe"}, False),
        ({"my-region": "Europe"}, False),
    ],
)
def test_the_schema_describes_the_params_block_as_the_spec_reads_it(tmp_path, block, valid):
    from ipyreport.spec import json_schema

    editor = jsonschema.Draft202012Validator(json_schema()["properties"]["params"]).is_valid(block)
    path = tmp_path / "story.yaml"
    path.write_text(
        yaml.safe_dump({"params": block})
        + "data: {sample: sales}\nslides: [{steps: [{chart: {kind: column, x: Region, y: Revenue}}]}]\n"
    )
    required = [
        f"params.{name}=Europe" for name, said in block.items() if said == {"type": "string"}
    ]
    try:
        load(path, required)
        read = True
    except SpecError:
        read = False
    assert editor == read == valid
