"""A step can point at some of its marks and say something about them."""

import pytest

from ipyreport import Slide, StepError, Story, presets, samples
from ipyreport.spec import SpecError, build, loads

COLUMN = presets.chart(kind="column", x="Region", y="Revenue")


def story(*steps, **options):
    return Story(
        samples.sales(), slides=[Slide(COLUMN, *steps)], formats={"Revenue": "$"}, **options
    )


def test_a_highlight_is_read_out_in_the_text_alternative():
    step = presets.highlight(where={"Region": ["Europe", "Africa"]}, note="Europe grew fastest")
    document = story(step).to_dict()
    entry = document["slides"][0]["steps"][1]
    assert entry["highlight"] == {
        "filter": {"in": {"column": "Region", "values": ["Europe", "Africa"]}},
        "note": "Europe grew fastest",
    }
    assert entry["alt"].endswith("Highlighted: Europe, Africa. Europe grew fastest.")
    assert "highlight" not in document["slides"][0]["steps"][0]


def test_a_value_range_is_said_in_the_measure_format():
    step = presets.highlight(where={"Revenue": [200e6, None]})
    alt = story(step).to_dict()["slides"][0]["steps"][1]["alt"]
    assert alt.endswith("Highlighted: Revenue from $200M.")  # exact: a sentence drops the zero


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (
            {"Country": "Germany"},
            "slide 1, step 2: highlight names 'Country', but this chart's marks show ['Region', 'Revenue']",
        ),
        ({"Region": "Europa"}, "'Region' == 'Europa', which never occurs (did you mean 'Europe'?)"),
    ],
)
def test_a_highlight_must_name_what_the_marks_show(where, message):
    with pytest.raises(StepError) as caught:
        story(presets.highlight(where=where))
    assert message in str(caught.value)


def test_a_note_is_a_sentence():
    with pytest.raises(
        StepError, match="a highlight's note is a sentence of at most 280 characters"
    ):
        presets.highlight(where={"Region": "Europe"}, note="x" * 300)


def test_specs_highlight_as_a_step_or_on_any_step(tmp_path):
    text = """
data: {sample: sales}
slides:
  - steps:
      - chart: {kind: column, x: Region, y: Revenue}
        highlight: {where: {Region: Americas}, note: The largest}
      - highlight: {where: {Region: Europe}, note: Then Europe}
"""
    steps = build(loads(text, tmp_path / "s.yaml")).to_dict()["slides"][0]["steps"]
    assert [step["highlight"]["note"] for step in steps] == ["The largest", "Then Europe"]
    assert steps[1]["config"] == {}


def test_a_misspelt_highlight_field_is_named(tmp_path):
    text = """
data: {sample: sales}
slides:
  - steps:
      - chart: {kind: column, x: Region, y: Revenue}
        highlight: {were: {Region: Americas}}
"""
    with pytest.raises(SpecError) as caught:
        build(loads(text, tmp_path / "s.yaml"))
    assert (
        "s.yaml:6:21: slide 1, step 1, highlight.were: unknown field 'were' (did you mean 'where'?)"
        in str(caught.value)
    )
