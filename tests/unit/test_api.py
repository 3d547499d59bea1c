"""The public API as a user meets it: what `import ipyreport` reaches, one keyword order for
every preset, renamed keywords that still work with a warning, stories that cannot go stale,
and reprs that read."""

import subprocess
import sys

import pytest

PUBLIC_SUBMODULES = ("check", "lake", "lazy", "presets", "samples", "spec", "themes")

SUBMODULE_PROBE = """
import sys
import ipyreport
before = sorted(m for m in ("pyarrow", "ipyreport.presets", "ipyreport.story") if m in sys.modules)
listed = [name for name in {names!r} if name in dir(ipyreport)]
reached = [getattr(ipyreport, name).__name__ for name in {names!r}]
print(before)
print(listed)
print(reached)
"""


def test_public_submodules_are_attributes_listed_by_dir_and_imported_on_first_use():
    """In a fresh process: `import ipyreport` imports none of them (nor pyarrow), `dir`
    lists them, and `ipyreport.presets` is the module."""
    probe = SUBMODULE_PROBE.format(names=PUBLIC_SUBMODULES)
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines() == [
        "[]",
        str(list(PUBLIC_SUBMODULES)),
        str([f"ipyreport.{name}" for name in PUBLIC_SUBMODULES]),
    ]


def test_an_unknown_attribute_is_still_an_attribute_error():
    import ipyreport

    with pytest.raises(AttributeError) as caught:
        ipyreport.prests  # noqa: B018
    assert str(caught.value) == "module 'ipyreport' has no attribute 'prests'"


# --- a story that cannot go stale ----------------------------------------------------------


def _covered_story(tmp_path, title):
    from ipyreport import Slide, Story, presets, samples

    (tmp_path / "covers.yaml").write_text("base: light\ntitle_slide: true\n")
    slides = [Slide(presets.chart(kind="column", x="Region", y="Revenue"), title="By region")]
    return Story(samples.sales(), title=title, slides=slides, theme=tmp_path / "covers.yaml")


def test_a_story_title_cannot_be_changed_in_place(tmp_path):
    story = _covered_story(tmp_path, "Old")
    with pytest.raises(AttributeError) as caught:
        story.title = "New"
    assert str(caught.value) == (
        "a Story cannot be changed in place (what it shows is worked out from all of it at "
        "once); make a new one with story.replace(title='New')"
    )
    assert story.to_dict()["slides"][0]["title"] == "Old"


def test_replace_gives_a_story_whose_cover_and_document_agree_on_the_new_title(tmp_path):
    old = _covered_story(tmp_path, "Old")
    new = old.replace(title="New")
    document = new.to_dict()
    assert document["title"] == "New"
    assert (document["slides"][0]["kind"], document["slides"][0]["title"]) == ("cover", "New")
    assert document["slides"][0]["steps"][0]["alt"] == "Title slide: New."
    # The old story is left as it was, and its data was not read again.
    assert old.to_dict()["slides"][0]["title"] == "Old"
    assert new.data is old.data


def test_replace_reads_again_what_new_slides_draw():
    from ipyreport import Slide, Story, presets, samples

    story = Story(
        samples.sales(), slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))]
    )
    other = story.replace(slides=[Slide(presets.chart(kind="column", x="Channel", y="Profit"))])
    assert other.to_dict()["slides"][0]["steps"][0]["table"]["columns"] == ["Channel", "Profit"]
    assert story.to_dict()["slides"][0]["steps"][0]["table"]["columns"] == ["Region", "Revenue"]


def test_replace_names_the_keywords_a_story_takes():
    from ipyreport import Slide, Story, presets, samples

    story = Story(
        samples.sales(), slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))]
    )
    with pytest.raises(TypeError, match=r"unknown keyword 'titel' \(did you mean 'title'\?\)"):
        story.replace(titel="New")


def test_slides_dashboards_and_steps_are_frozen_and_replaced():
    from dataclasses import FrozenInstanceError

    from ipyreport import Dashboard, Slide, presets

    slide = Slide(presets.chart(kind="column", x="Region", y="Revenue"), title="Old")
    with pytest.raises(AttributeError, match=r"slide\.replace\(title=\.\.\.\)"):
        slide.title = "New"
    assert (slide.replace(title="New").title, slide.title) == ("New", "Old")
    assert slide.replace(title="New").steps == slide.steps
    board = Dashboard(
        presets.chart(kind="line", x="Month", y="Revenue"),
        presets.chart(kind="bar", x="Region", y="Revenue"),
    )
    with pytest.raises(AttributeError, match=r"dashboard\.replace\(columns=\.\.\.\)"):
        board.columns = 1
    assert board.replace(columns=1).charts == board.charts
    step = presets.chart(kind="column", x="Region", y="Revenue")
    with pytest.raises(FrozenInstanceError):
        step.hold = 2.0
    assert step.replace(hold=2.0).hold == 2.0


# --- reprs a notebook user reads -----------------------------------------------------------


def test_a_story_repr_names_its_title_and_counts():
    from ipyreport import Dashboard, Slide, Story, presets, samples

    slides = [
        Slide(presets.morph(None, ["column", "pie"], x="Region", y="Revenue"), title="Regions"),
        Slide(presets.chart(kind="line", x="Month", y="Revenue")),
        Dashboard(
            presets.chart(kind="line", x="Month", y="Revenue"),
            presets.chart(kind="bar", x="Region", y="Revenue"),
            title="Overview",
        ),
    ]
    story = Story(samples.sales(), title="Sales overview", slides=slides)
    assert repr(story) == "Story('Sales overview': 3 slides, 4 steps, 6,420 rows)"
    assert repr(story.replace(title=None, slides=slides[1:2])) == (
        "Story(untitled: 1 slide, 1 step, 6,420 rows)"
    )
    assert repr(slides[0]) == "Slide('Regions': 2 steps)"
    assert repr(slides[2]) == "Dashboard('Overview': 2 charts, 1 step)"


def test_a_lazy_story_repr_says_where_it_reads_from(tmp_path):
    import pyarrow.parquet as pq

    from ipyreport import Slide, Story, presets, samples

    (tmp_path / "orders").mkdir()
    pq.write_table(samples.sales(), tmp_path / "orders" / "part-0.parquet")
    slides = [Slide(presets.chart(kind="column", x="Region", y="Revenue"))]
    story = Story(tmp_path / "orders", title="Orders", slides=slides)
    assert repr(story) == "Story('Orders': 1 slide, 1 step, 4 rows aggregated, lazy from orders/)"


def test_a_step_repr_names_its_kind_and_channels_in_one_short_line():
    from ipyreport import Step, presets, samples

    step = presets.chart(
        kind="stacked_column", x="Region", y="Revenue", color="Product", title="By region"
    )
    assert repr(step) == (
        "Step(stacked_column: x=Region, y=Revenue+Product, color=Product, label=Revenue, "
        "title='By region')"
    )
    moment = presets.timeline(
        samples.sales(), time="Month", kind="column", x="Region", y="Revenue"
    )[1]
    assert repr(moment) == (
        "Step(column: x=Region, y=Revenue, label=Revenue, title='2021-02-01', "
        "filtered, hold=0.25s, own data)"
    )
    pointed = presets.highlight(where={"Region": "Europe"}, note="Europe leads")
    assert repr(pointed) == "Step(highlight: note='Europe leads')"
    assert repr(Step(config={"geometry": "area", "x": "Month"})) == "Step(area: x=Month)"
    assert len(repr(step)) < 120


# --- one keyword order for every preset ----------------------------------------------------

# What each preset is about, right after its data (the one required thing besides data).
SUBJECTS = {
    "chart": ("kind",),
    "morph": ("kinds",),
    "zoom": ("levels", "path"),
    "zoom_range": ("kind",),
}
CHANNELS = ("x", "y", "color", "size", "by", "time")
# The words every preset shares, last and in this order ("titles": one per step it makes).
TAIL = ("title", "titles", "style", "label", "sort", "duration", "hold", "filter")


def _preset_names():
    from ipyreport import presets

    return sorted(presets.__all__)


@pytest.mark.parametrize("name", _preset_names())
def test_every_preset_takes_its_keywords_in_the_one_order(name):
    """data first, then what the preset is about, the channels, its own options, and the
    shared words title, style, label, sort, duration, hold and filter, in that order."""
    import inspect

    from ipyreport import presets

    parameters = list(inspect.signature(getattr(presets, name)).parameters)
    subject = list(SUBJECTS.get(name, ()))
    assert parameters[: 1 + len(subject)] == ["data", *subject]
    rest = parameters[1 + len(subject) :]
    channels = [p for p in rest if p in CHANNELS]
    assert rest[: len(channels)] == sorted(channels, key=CHANNELS.index)
    tail = [p for p in rest if p in TAIL]
    assert tail == sorted(tail, key=TAIL.index)
    assert rest[len(rest) - len(tail) :] == tail
    assert tail[-3:] == ["duration", "hold", "filter"]
    own = rest[len(channels) : len(rest) - len(tail)]
    assert not set(own) & (set(CHANNELS) | set(TAIL))


@pytest.mark.parametrize("name", _preset_names())
def test_every_preset_paces_its_steps_by_one_duration_policy(name):
    """duration=None everywhere: the pace ipyreport gives that kind of change."""
    import inspect

    from ipyreport import presets

    parameters = inspect.signature(getattr(presets, name)).parameters
    assert parameters["duration"].default is None
    assert parameters["hold"].default == (presets.MOMENT_HOLD if name == "timeline" else None)


def test_presets_all_lists_only_what_a_user_calls():
    from ipyreport import presets

    assert sorted(presets.__all__) == sorted(presets.REGISTRY)
    assert all(callable(getattr(presets, name)) for name in presets.__all__)
    assert {"make", "transition", "REGISTRY", "KINDS"}.isdisjoint(presets.__all__)


def test_the_kind_first_chart_still_works_and_says_the_new_spelling():
    from ipyreport import presets, samples

    with pytest.warns(DeprecationWarning, match="names the kind first") as caught:
        old = presets.chart("column", x="Region", y="Revenue", data=samples.sales())
    assert str(caught[0].message) == (
        "presets.chart('column', ...) names the kind first; every preset now takes its data "
        "first: write presets.chart(kind='column', ...) (or presets.chart(data, "
        "kind='column', ...))"
    )
    assert caught[0].filename == __file__
    assert old == presets.chart(samples.sales(), kind="column", x="Region", y="Revenue")


def test_a_misspelt_kind_in_the_old_order_names_the_kinds():
    from ipyreport import StepError, presets

    with pytest.raises(StepError, match=r"unknown chart kind 'colum' \(did you mean 'column'"):
        presets.chart("colum", x="Region", y="Revenue")


@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        ("chart", {"kind": "column", "x": "Region", "y": "Revenue"}),
        ("morph", {"kinds": ["column", "pie"], "x": "Region", "y": "Revenue"}),
        ("zoom", {"levels": ["Region", "Country"], "path": ["Europe"], "y": "Revenue"}),
        ("zoom_range", {"kind": "column", "x": "Region", "y": "Revenue", "low": 0, "high": 9e9}),
        ("highlight", {"where": {"Region": "Europe"}}),
        ("timeline", {"time": "Month", "x": "Region", "y": "Revenue"}),
    ],
)
def test_hold_and_style_reach_every_step_a_preset_makes(name, arguments):
    from ipyreport import presets, samples

    style = {"plot": {"paddingLeft": "5em"}}
    if name != "highlight":
        arguments = {**arguments, "style": style}
    made = getattr(presets, name)(samples.sales(), **arguments, hold=2.5)
    steps = [made] if not isinstance(made, list) else made
    assert [step.hold for step in steps] == [2.5] * len(steps)
    if name != "highlight":
        assert all(step.style["plot"]["paddingLeft"] == "5em" for step in steps)


def test_the_old_ways_to_highlight_warn_and_name_presets_highlight():
    from ipyreport import presets

    step = presets.chart(kind="column", x="Region", y="Revenue")
    with pytest.warns(DeprecationWarning, match=r"presets\.highlight\(where=\.\.\., note=\.\.\.\)"):
        pointed = step.highlighting({"Region": "Europe"}, "Europe leads")
    one_way = presets.highlight(where={"Region": "Europe"}, note="Europe leads")
    assert pointed.highlight == one_way.highlight


# --- one name for per step or per slide, one meaning of size --------------------------------


def _small_story():
    from ipyreport import Slide, Story, presets, samples

    return Story(
        samples.sales(), slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))]
    )


def test_every_export_says_per_step_or_per_slide_with_one_keyword_and_default():
    import inspect

    from ipyreport.story import Story

    pdf = inspect.signature(Story.save_pdf).parameters
    pptx = inspect.signature(Story.save_pptx).parameters
    assert pdf["per"].default == pptx["per"].default == "step"
    # size is a picture's pixels (save_video); a handout's paper is its page.
    assert inspect.signature(Story.save_video).parameters["size"].default == (1280, 720)
    assert pdf["page"].default == "16:9"
    assert "size" not in pdf


def test_the_former_pdf_keywords_warn_and_name_the_new_ones():
    story = _small_story()
    with (
        pytest.warns(
            DeprecationWarning,
            match=r"Story\.save_pdf\(size='B5'\) is now Story\.save_pdf\(page='B5'\)",
        ),
        pytest.raises(ValueError, match="page must be one of 16:9, A4, got 'B5'"),
    ):
        story.save_pdf("never.pdf", size="B5")
    with (
        pytest.warns(
            DeprecationWarning,
            match=r"save_pdf\(steps=False\) is now Story\.save_pdf\(per='slide'\)",
        ),
        pytest.raises(ValueError, match="page must be one of"),
    ):
        story.save_pdf("never.pdf", steps=False, page="B5")
    with pytest.raises(TypeError, match="got both steps= and per=; write per= only"):
        story.save_pdf("never.pdf", steps=True, per="slide")
    with pytest.raises(TypeError, match="unexpected keyword argument 'pages'"):
        story.save_pdf("never.pdf", pages=2)


# --- the spec registry is read from the signatures ------------------------------------------

# The JSON kinds each Python annotation of a preset keyword admits.
_ANNOTATION_KINDS = {
    "str": {"string"},
    "bool": {"boolean"},
    "float": {"number"},
    "int": {"integer"},
    "Sequence[str]": {"array"},
    "Sequence[str | None]": {"array"},
    "Mapping[str, Any]": {"object"},
    "Filter": {"object"},
    "None": set(),
}


def _annotation_kinds(annotation):
    parts, depth, start = [], 0, 0
    for index, letter in enumerate(annotation):
        depth += {"[": 1, "]": -1}.get(letter, 0)
        if letter == "|" and depth == 0:
            parts.append(annotation[start:index])
            start = index + 1
    parts.append(annotation[start:])
    return set().union(*(_ANNOTATION_KINDS[part.strip()] for part in parts))


def _schema_kinds(schema):
    if "anyOf" in schema:
        return set().union(*(_schema_kinds(option) for option in schema["anyOf"]))
    if "enum" in schema:
        return {"string"}
    return {schema["type"]}


@pytest.mark.parametrize("name", _preset_names())
def test_each_preset_s_spec_record_is_its_signature(name):
    """The keywords, their order, which are required, and a type that takes what the
    annotation takes: a spec cannot drift from the Python function."""
    import inspect

    from ipyreport import presets

    record = presets.REGISTRY[name].parameters
    parameters = inspect.signature(getattr(presets, name)).parameters
    written = [p for p in parameters if p != "data"]
    assert list(record.fields) == written
    assert list(record.required) == [
        p for p in written if parameters[p].default is inspect.Parameter.empty
    ]
    for keyword in written:
        assert _schema_kinds(record.fields[keyword].schema()) == _annotation_kinds(
            parameters[keyword].annotation
        ), keyword


def test_a_keyword_has_one_type_in_every_preset():
    from ipyreport import presets

    for (preset, keyword), own in presets.OWN_KEYWORDS.items():
        assert keyword in presets.REGISTRY[preset].parameters.fields
        assert own != presets.KEYWORDS[keyword]
    assert len(presets.OWN_KEYWORDS) == 3  # compare's x, by and titles: say why when adding one


def test_a_style_inside_a_preset_and_beside_it_is_one_too_many():
    from ipyreport.spec import SpecError, build, loads

    text = (
        "data: {sample: sales}\nslides:\n  - steps:\n"
        "      - chart: {kind: column, x: Region, y: Revenue, hold: 1}\n        hold: 2\n"
    )
    with pytest.raises(
        SpecError, match="chart has a hold both inside it and beside it; write it once"
    ):
        build(loads(text))
    inside = "      - chart: {kind: column, x: Region, y: Revenue, hold: 1}\n"
    story = build(loads("data: {sample: sales}\nslides:\n  - steps:\n" + inside))
    assert story.to_dict()["slides"][0]["steps"][0]["hold"] == 1
