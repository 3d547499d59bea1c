"""The story model, its one serialization, and the HTML document around it."""

import base64
import hashlib
import json
import re

import numpy as np
import pyarrow as pa
import pytest
from ipyvizzu import Config, Data, Style
from ipyvizzustory import Slide as StorySlide
from ipyvizzustory import Step as StoryStep
from ipyvizzustory import Story as IpyvizzuStory

from ipyreport import presets, samples
from ipyreport.data import encode
from ipyreport.export.html import BOOTSTRAP, script_json
from ipyreport.step import KEEP_FILTER, Filter, Step, StepError
from ipyreport.story import Slide, Story

SALES = encode(samples.sales())


def small_story(**options):
    return Story(
        SALES,
        title="Sales",
        slides=[
            Slide(
                presets.morph(SALES, ["column", "pie"], x="Region", y="Revenue"),
                title="One",
                notes="n1",
            ),
            Slide(
                presets.timeline(SALES, time="Month", x="Region", y="Revenue")[:2],
                title="Two",
                alt="Months",
            ),
        ],
        **options,
    )


def test_to_dict_and_to_json_are_the_same_story():
    story = small_story()
    assert json.loads(story.to_json()) == json.loads(json.dumps(story.to_dict()))


def test_datasets_are_written_once_and_steps_refer_to_them():
    document = small_story().to_dict()
    assert list(document["datasets"]) == ["main", "data1"]
    assert [step.get("data") for slide in document["slides"] for step in slide["steps"]] == [
        None,
        None,
        "data1",
        "data1",
    ]


def test_each_step_carries_a_text_alternative_and_its_table():
    document = small_story().to_dict()
    first = document["slides"][0]["steps"][0]
    assert first["alt"] == (
        "A bar chart of Revenue by Region. Highest Revenue: Americas 323.8M, Europe 237.2M, "
        "Asia Pacific 200.5M. Lowest: Africa 62.9M. Together 824.4M."
    )
    assert first["table"]["columns"] == ["Region", "Revenue"]
    assert [row[0] for row in first["table"]["rows"]] == [
        "Americas",
        "Europe",
        "Asia Pacific",
        "Africa",
    ]
    totals = {row[0]: row[1] for row in first["table"]["rows"]}
    region = SALES["Region"]
    revenue = SALES["Revenue"].values
    for name, total in totals.items():
        assert total == pytest.approx(
            revenue[region.codes == region.categories.index(name)].sum(), rel=1e-12
        )
    assert document["slides"][1]["steps"][0]["alt"] == "Months"


def test_table_follows_the_filter_and_the_aggregator():
    story = Story(
        SALES,
        slides=[
            Slide(
                presets.chart(
                    kind="column", x="Country", y="mean(Units)", filter={"Region": ["Africa"]}
                )
            )
        ],
    )
    table = story.to_dict()["slides"][0]["steps"][0]["table"]
    assert table["columns"] == ["Country", "mean(Units)"]
    assert [row[0] for row in table["rows"]] == ["South Africa", "Nigeria", "Kenya"]
    country = SALES["Country"]
    units = SALES["Units"].values
    kenya = units[country.codes == country.categories.index("Kenya")]
    assert table["rows"][2][1] == pytest.approx(float(np.nanmean(kenya)))


def test_a_typo_in_a_step_fails_when_the_story_is_built():
    with pytest.raises(StepError) as caught:
        Story(SALES, slides=[Slide(Step(config={"x": "Region"}, filter={"Region": ["Europa"]}))])
    assert str(caught.value) == (
        "slide 1, step 1: the filter keeps 'Region' == 'Europa', which never occurs (did you mean 'Europe'?)"
    )


def test_an_empty_slide_is_an_error():
    with pytest.raises(StepError, match="slide 'Empty' has no steps"):
        Slide(title="Empty")


def test_unknown_theme_is_an_error():
    with pytest.raises(
        StepError,
        match="theme is one of auto, light, dark, boardroom, high-contrast, midnight, a Theme",
    ):
        small_story(theme="neon")


def test_html_is_a_complete_offline_document():
    page = small_story().to_html()
    assert page.startswith('<!doctype html>\n<html lang="en">')
    assert '<meta charset="utf-8">' in page
    assert '<meta name="viewport"' in page
    assert "<title>Sales</title>" in page
    assert not re.search(r"(src|href)=\"https?:", page)
    assert "https://" not in page.split("<script")[0]


def test_csp_allows_only_the_bootstrap_script_by_its_hash():
    page = small_story().to_html()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    digest = base64.b64encode(hashlib.sha256(BOOTSTRAP.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}' blob: 'wasm-unsafe-eval'" in policy
    assert policy.startswith("default-src 'none';")
    executable = re.findall(
        r"<script(?![^>]*type=\"(?:text/plain|application/json)\")[^>]*>(.*?)</script>", page, re.S
    )
    assert executable == [BOOTSTRAP]


def test_json_in_the_page_cannot_end_the_script_element():
    assert script_json('{"a":"</script><!--&\u2028\u2029"}'.encode()) == (
        '{"a":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029"}'
    )
    story = Story(
        pa.table({"n": ["</script><script>alert(1)</script>"], "v": [1.0]}),
        slides=[Slide(presets.chart(kind="column", x="n", y="v"))],
    )
    page = story.to_html()
    assert "<script>alert(1)" not in page
    # Each script element the page has closes once; the data adds none.
    assert page.count("</script>") == page.count("<script") == 5


def test_footer_records_version_time_and_story_fingerprint(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    story = small_story()
    page = story.to_html()
    fingerprint = hashlib.sha256(story.to_json()).hexdigest()[:12]
    assert f"on 2026-01-01 00:00 UTC · story {fingerprint}</footer>" in page
    assert page == story.to_html()


def test_fixed_cost_of_a_story_stays_within_258_kb():
    # 240 KB until the key above the plot and the part-to-whole marks (marimekko gaps,
    # shares, named outliers) were drawn by the player itself: 241.4 KB with them;
    # 245 KB until the dek and source line, gaps kept on time axes, "No data" bars,
    # sideways bars on a phone and a scale key were too: 245.1 KB with them; 250 KB
    # until staged colours leg by leg, bars fading at a month nobody reported and the
    # headline waiting for its chart: 250.5 KB with them; 252 KB until a phone's few
    # names under an axis read level, a moment said "No data reported" in the plot and a
    # sentence's exact numbers dropped their zeros: 252.6 KB with them; 253.9 KB once
    # grouped columns stood apart, a dissolve let one chart give way to the other and a
    # phone's moment was drawn darker; 254 KB until numbers waited for rest while parts split
    # or merge, a pie stood in the middle of its chart, a pointer found grouped columns where
    # they are drawn and a moment waited for its labels: 254.3 KB with them; 254.7 KB once
    # ticks took turns, leaving labels faded as they stood and the key took the chart's font;
    # 255 KB until a timeline's labels turned with its moment to the values its bars grow
    # to, read from the data, a highlight's note found a clear place and a point under a
    # bubble went unnamed: 255,994 bytes with them; 256 KB until a timeline's moment took
    # the size at which no bar nor value covers it, and a staged morph's last state set
    # back what its legs set and kept the player's key in their legend's place (one walk
    # over a state's rows saved some of it): 256,241 bytes with them; 256,785 once a value
    # stood only on a named row, a crowded axis's turned names hung from their own columns
    # and a heatmap's shades came in while its tiles settled; 257 KB until a value inside
    # its tile was written in white and a row was found where its name stands: 257,179
    # bytes with them; 257,718 once a value below zero stood past its bar's end, a
    # highlight's note by the mark whose value it says, clear of thin columns and lines, and
    # a bubble's box squared.
    tiny = Story(
        {"a": ["x"], "v": [1.0]}, slides=[Slide(presets.chart(kind="column", x="a", y="v"))]
    )
    assert len(tiny.to_html().encode()) <= 258_000


def test_save_html_writes_utf8(tmp_path):
    path = small_story().save_html(tmp_path / "story.html")
    assert path.read_text(encoding="utf-8").startswith("<!doctype html>")


def ipyvizzu_story():
    data = Data()
    data.add_series("Genre", ["Pop", "Rock", "Pop"], type="dimension")
    data.add_series("Popularity", [10, 20, 30], type="measure")
    story = IpyvizzuStory(data=data, style=Style({"legend": {"width": "25%"}}))
    slide = StorySlide(
        StoryStep(Data.filter("record.Genre == 'Pop'"), Config({"x": "Genre", "y": "Popularity"}))
    )
    slide.add_step(
        StoryStep(
            Config.stackedColumn({"x": "Genre", "y": "Popularity", "stackedBy": "Genre"}),
            duration=2,
        )
    )
    story.add_slide(slide)
    story.add_slide(StorySlide(StoryStep(Data.filter(None), Style({"title": {"fontSize": 30}}))))
    return story


def test_import_from_ipyvizzu_story_keeps_its_meaning():
    story = Story.from_ipyvizzu_story(ipyvizzu_story(), title="Imported")
    first, second = story.slides[0].steps
    assert first.filter == Filter.raw("record => { return (record.Genre == 'Pop') }")
    assert first.config == {"x": "Genre", "y": "Popularity"}
    assert second.filter is KEEP_FILTER
    assert second.config["channels"]["y"]["set"] == ["Popularity", "Genre"]
    assert second.animation == {"duration": 2}
    third = story.slides[1].steps[0]
    assert third.filter is None
    assert third.style == {"title": {"fontSize": 30}}
    assert story.style == {"legend": {"width": "25%"}}
    assert "filter" not in second.to_dict()


def test_round_trip_through_ipyvizzu_story():
    story = Story.from_ipyvizzu_story(ipyvizzu_story())
    back = story.to_ipyvizzu_story()
    assert back["slides"][0][0]["filter"].raw == "record => { return (record.Genre == 'Pop') }"
    assert back["slides"][0][1]["animOptions"] == {"duration": 2}
    assert "filter" not in back["slides"][0][1]
    again = Story.from_ipyvizzu_story(back)
    assert again.to_dict()["slides"] == story.to_dict()["slides"]


def test_export_turns_declarative_filters_into_javascript():
    story = Story(
        SALES,
        slides=[
            Slide(
                presets.chart(
                    kind="column", x="Region", y="Revenue", filter=Filter.isin("Region", ["Europe"])
                )
            )
        ],
    )
    exported = story.to_ipyvizzu_story()
    assert (
        exported["slides"][0][0]["filter"].raw
        == 'record => { return ((record["Region"] == "Europe")) }'
    )


def test_export_refuses_steps_with_their_own_dataset():
    story = Story(
        SALES, slides=[Slide(presets.timeline(SALES, time="Month", x="Region", y="Revenue")[:1])]
    )
    with pytest.raises(StepError, match="slide 1, step 1 plays its own dataset"):
        story.to_ipyvizzu_story()


def test_named_tables_let_steps_draw_other_data():
    costs = {"Item": ["Rent", "Staff", "Stock"], "Cost": [10.0, 50.0, 30.0]}
    story = Story(
        SALES,
        tables={"costs": costs},
        slides=[
            Slide(presets.chart(kind="column", x="Region", y="Revenue")),
            Slide(presets.chart(kind="pie", x="Item", y="Cost", data=encode(costs)).using("costs")),
        ],
    )
    document = story.to_dict()
    assert list(document["datasets"]) == ["main", "costs"]
    assert document["slides"][1]["steps"][0]["data"] == "costs"
    assert document["slides"][1]["steps"][0]["table"]["rows"] == [
        ["Rent", 10.0],
        ["Staff", 50.0],
        ["Stock", 30.0],
    ]


def test_an_unknown_table_name_is_an_error():
    with pytest.raises(
        StepError, match=r"uses the table 'cost', but the story's tables are \['costs'\]"
    ):
        Story(
            SALES,
            tables={"costs": {"Item": ["a"], "Cost": [1.0]}},
            slides=[Slide(Step(config={"x": "Item"}).using("cost"))],
        )


def test_a_story_without_slides_is_an_error():
    with pytest.raises(StepError, match="a story needs at least one slide"):
        Story({"a": ["x"], "v": [1.0]}, slides=[])


def test_text_from_the_data_cannot_turn_the_description_around():
    story = Story(
        {
            "Region": ["\u202eevil", "North", "\u05e2\u05d1\u05e8\u05d9\u05ea"],
            "Revenue": [1.0, 3.0, 2.0],
        },
        slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))],
    )
    alt = story.to_dict()["slides"][0]["steps"][0]["alt"]
    assert alt == (
        "A bar chart of Revenue by Region. Highest Revenue: North 3, "
        "\u2068\u05e2\u05d1\u05e8\u05d9\u05ea\u2069 2, \u2068\u202eevil\u2069 1. Together 6."
    )
