"""The magics and the player widget, in an IPython shell."""

import gzip

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from traitlets import TraitError

from ipyreport import Dashboard, Slide, Story, presets, samples
from ipyreport.notebook.widget import Engine, StoryPlayer

SPEC = """\
title: From a cell
data: {variable: df}
slides:
  - title: One
    steps:
      - chart: {kind: column, x: Region, y: Revenue}
      - chart: {kind: pie, x: Region, y: Revenue}
  - steps:
      - chart: {kind: treemap, x: Region, y: Revenue}
"""


@pytest.fixture(scope="module")
def shell():
    # The shell a doctest made already, if one did (the magics' examples make one), else a new one.
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "ipyreport")
    ip.user_ns["df"] = samples.sales().to_pandas()
    return ip


@pytest.fixture
def story():
    sales = samples.sales()
    return Story(
        sales,
        slides=[
            Slide(presets.morph(sales, ["column", "pie"], x="Region", y="Revenue"), title="A"),
            Slide(presets.chart(kind="treemap", x="Region", y="Revenue"), title="B"),
        ],
    )


def test_cell_magic_builds_the_story_from_a_notebook_variable(shell):
    story = shell.run_cell_magic("ipyreport", "--name built", SPEC)
    assert isinstance(story, Story)
    assert shell.user_ns["built"] is story
    assert [slide.title for slide in story.slides] == ["One", None]
    assert story.data.num_rows == 6420


def test_cell_magic_exports_html(shell, tmp_path):
    target = tmp_path / "cell.html"
    shell.run_cell_magic("ipyreport", f"--export {target}", SPEC)
    assert target.read_text().startswith("<!doctype html>")


def test_cell_magic_errors_are_short_messages_with_the_line(shell):
    with pytest.raises(UsageError) as caught:
        shell.run_cell_magic(
            "ipyreport",
            "",
            SPEC.replace(
                "x: Region, y: Revenue}\n      - chart: {kind: pie",
                "x: Regoin, y: Revenue}\n      - chart: {kind: pie",
            ),
        )
    assert str(caught.value).startswith(
        "<cell>:6:31: slide 1, step 1, chart.x: x='Regoin' is not in the data (did you mean 'Region'?)"
    )


def test_cell_magic_names_a_missing_variable(shell):
    with pytest.raises(
        UsageError, match=r"no variable named 'dff' in this notebook \(did you mean 'df'\?\)"
    ):
        shell.run_cell_magic("ipyreport", "", SPEC.replace("variable: df", "variable: dff"))


def test_cell_magic_sets_a_parameter(shell):
    spec = "params: {region: Europe}\n" + SPEC.replace(
        "title: One", 'title: "Only ${params.region}"'
    )
    story = shell.run_cell_magic("ipyreport", "--set params.region=Africa", spec)
    assert story.slides[0].title == "Only Africa"
    assert story.provenance["parameters"] == {"region": "Africa"}
    with pytest.raises(UsageError) as caught:
        shell.run_cell_magic("ipyreport", "--set params.regio=Africa", spec)
    assert str(caught.value).startswith(
        "--set 'params.regio=Africa': the spec declares no parameter 'regio' (did you mean 'region'?)"
    )


def test_cell_magic_rejects_unknown_options(shell):
    with pytest.raises(UsageError, match="unknown option"):
        shell.run_cell_magic("ipyreport", "--exprot x.html", SPEC)


def test_line_magic_morphs_a_dataframe(shell):
    story = shell.run_line_magic("ipyreport", "morph df x=Region y=Revenue kinds=column,pie")
    assert [step.config["coordSystem"] for step in story.slides[0].steps] == ["cartesian", "polar"]


def test_line_magic_takes_formats_and_a_theme(shell):
    story = shell.run_line_magic(
        "ipyreport", "chart df x=Region y=Revenue format=Revenue:$,Month:month theme=boardroom"
    )
    document = story.to_dict()
    assert document["formats"]["Revenue"]["prefix"] == "$"
    assert document["brand"]["name"] == "boardroom"
    assert "Americas $323.8M" in document["slides"][0]["steps"][0]["alt"]
    with pytest.raises(
        UsageError, match=r"write format=COLUMN:FORMAT \(such as format=Revenue:\$\), got 'Revenue'"
    ):
        shell.run_line_magic("ipyreport", "chart df x=Region y=Revenue format=Revenue")


def test_line_magic_usage(shell):
    with pytest.raises(UsageError, match="usage: %ipyreport PRESET VARIABLE"):
        shell.run_line_magic("ipyreport", "")
    with pytest.raises(UsageError, match="no variable named 'nope'"):
        shell.run_line_magic("ipyreport", "chart nope x=a y=b")


def test_story_shows_a_widget_an_html_fallback_and_text(story, monkeypatch):
    import ipyreport.notebook
    from ipyreport.story import Story

    monkeypatch.setattr(ipyreport.notebook, "_engine_shown", False)
    built = []
    to_json = Story.to_json
    monkeypatch.setattr(Story, "to_json", lambda self: built.append(1) or to_json(self))
    bundle = story._repr_mimebundle_()
    assert len(built) == 1  # one document for the widget and the fallback
    assert set(bundle) == {"application/vnd.jupyter.widget-view+json", "text/html", "text/plain"}
    assert bundle["text/plain"] == "Story(untitled: 2 slides, 3 steps, 6,420 rows)"
    # The kernel's first story output carries the engine for the page; later ones do not.
    assert bundle["text/html"].startswith('<script type="text/plain" id="ipyreport-shared-vizzu"')
    later = story._repr_mimebundle_()["text/html"]
    assert later.startswith("<iframe srcdoc=")
    assert len(bundle["text/html"]) - len(later) > 150_000
    assert len(later) < 100_000


def test_players_share_one_engine_per_kernel(story):
    first, second = StoryPlayer(story), StoryPlayer(story)
    assert first.engine is second.engine is Engine.shared()
    assert gzip.decompress(first.engine.wasm)[:4] == b"\x00asm"  # sent gzipped


def test_slide_and_step_are_validated_and_move_together(story):
    player = story.player()
    player.go(1, 2)
    assert (player.slide, player.step) == (1, 2)
    player.go(2)
    assert (player.slide, player.step) == (2, 1)
    with pytest.raises(TraitError, match="slide must be from 1 to 2, got 3"):
        player.slide = 3
    with pytest.raises(TraitError, match="slide 2 has steps 1 to 1, got step 2"):
        player.step = 2


def test_clicks_from_the_page_reach_python_handlers(story):
    player = story.player()
    seen = []
    player.on_click(seen.append)
    player._handle_message(
        player,
        {"type": "click", "categories": {"Region": "Europe"}, "values": {"Revenue": 1.5}},
        [],
    )
    player._handle_message(
        player,
        {"type": "click", "categories": {"Region": "Asia"}, "values": {}, "chart": 2},
        [],
    )
    assert seen == [
        {"categories": {"Region": "Europe"}, "values": {"Revenue": 1.5}, "chart": None},
        {"categories": {"Region": "Asia"}, "values": {}, "chart": 2},
    ]


def test_controls_follow_the_player_and_move_it(story):
    player = story.player()
    slides, steps = player.controls().children
    slides.value = 2
    assert (player.slide, player.step) == (2, 1)
    assert steps.max == 1
    player.go(1, 2)
    assert (slides.value, steps.value, steps.max) == (1, 2, 2)


def test_the_cross_filter_is_a_trait_checked_against_the_dashboard_in_view():
    board = Story(
        samples.sales(),
        slides=[
            Slide(presets.chart(kind="column", x="Region", y="Revenue")),
            Dashboard(
                presets.chart(kind="column", x="Region", y="Revenue"),
                presets.chart(kind="pie", x="Product", y="Units"),
            ),
        ],
    )
    player = board.player()
    assert player.selection == {}
    with pytest.raises(TraitError, match="slide 1 is not a dashboard"):
        player.selection = {"Region": "Europe"}
    player.go(2)
    player.selection = {"Region": "Europe"}
    assert player.selection == {"Region": "Europe"}
    with pytest.raises(TraitError) as error:
        player.selection = {"Channel": "Online"}
    assert str(error.value) == "slide 2 cross-filters by ['Region', 'Product'], not by ['Channel']"
    player.selection = {}
    assert player.selection == {}


def test_a_move_never_leaves_the_player_in_an_impossible_state():
    board = Story(
        samples.sales(),
        slides=[
            Slide(presets.morph(None, ["column", "bar", "pie"], x="Region", y="Revenue")),
            Dashboard(
                presets.chart(kind="column", x="Region", y="Revenue"),
                presets.chart(kind="pie", x="Product", y="Units"),
            ),
            Slide(presets.chart(kind="column", x="Region", y="Revenue")),
        ],
    )
    player = board.player()
    player.step = 3
    player.slide = 2  # a slide of one step: it starts at its step 1
    assert (player.slide, player.step) == (2, 1)
    player.selection = {"Region": "Europe"}
    player.slide = 3  # leaving the dashboard leaves its cross-filter behind
    assert player.selection == {}
    player.go(2)
    with pytest.raises(TraitError) as error:
        player.selection = {"Region": "Europa"}
    assert str(error.value) == "'Region' has no category 'Europa' (did you mean 'Europe'?)"
    with pytest.raises(TraitError, match="from 100 to 10,000; got -5"):
        player.height = -5


WARM_PROBE = """
import sys
from IPython.core.interactiveshell import InteractiveShell
from ipyreport.export import html
from ipyreport.notebook import _warm, widget
InteractiveShell.instance().run_line_magic("load_ext", "ipyreport")
_warm.wait()
print(sorted(m for m in ("ipyreport.story", "pyarrow.acero", "anywidget") if m in sys.modules))
print(html._engine_scripts.cache_info().currsize, widget.Engine._shared is not None)
"""


def test_load_ext_warms_the_first_story_in_the_background():
    """In a fresh process, `%load_ext` leaves the story modules imported, the engine's
    inlined scripts written and the engine widget made, for the first story to use."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", WARM_PROBE], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines() == [
        "['anywidget', 'ipyreport.story', 'pyarrow.acero']",
        "1 True",
    ]


def test_streamlit_refuses_a_height_that_shows_nothing(story):
    import ipyreport.streamlit
    from ipyreport import IpyreportError

    with pytest.raises(IpyreportError, match=r"from 100 to 10,000; got 40"):
        ipyreport.streamlit.story(story, height=40)
    with pytest.raises(IpyreportError, match=r"slide 2 has steps 1 to 1, got step 3"):
        ipyreport.streamlit.story(story, slide=2, step=3)


def test_pn_panel_of_a_story_is_its_two_way_player(story):
    import panel as pn

    import ipyreport.panel

    player = pn.panel(story)
    assert isinstance(player, ipyreport.panel.StoryPlayer)
    player.go(1, 2)
    assert (player.slide, player.step) == (1, 2)
    player.slide = 2  # a slide of one step: the player starts it at its first
    assert (player.slide, player.step) == (2, 1)
    with pytest.raises(ValueError, match="slide must be from 1 to 2, got 3"):
        player.go(3)
    with pytest.raises(ValueError, match="slide 2 has steps 1 to 1, got step 2"):
        player.go(2, 2)
    with pytest.raises(ValueError, match="slide 2 is not a dashboard"):
        player.selection = {"Region": "Europe"}
    assert player.selection == {}


def test_the_output_bundle_has_what_vs_code_and_colab_read(story):
    """VS Code and Colab show the widget view (the anywidget code comes from the kernel's
    environment) or, failing that, the HTML: an offline player needing nothing outside it."""
    import html
    import re
    import sys
    from pathlib import Path

    bundle = story._repr_mimebundle_()
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["version_major"] == 2
    assert view["model_id"]
    # VS Code loads a widget's code from the kernel environment's nbextensions.
    assert (Path(sys.prefix) / "share/jupyter/nbextensions/anywidget/index.js").is_file()
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', bundle["text/html"]).group(1))
    assert srcdoc.startswith("<!doctype html>")
    assert "Content-Security-Policy" in srcdoc
    assert re.findall(r"""(?:src|href)=["']?https?:""", srcdoc) == []


def test_output_html_shows_the_offline_player_alone(story):
    from ipyreport import notebook

    notebook.output("html")
    try:
        bundle = story._repr_mimebundle_()
    finally:
        notebook.output("widget")
    assert set(bundle) == {"text/html", "text/plain"}
    with pytest.raises(ValueError, match="output must be one of 'widget', 'html', got 'vscode'"):
        notebook.output("vscode")


def test_pn_panel_of_a_notebook_player_is_a_panel_player_linked_both_ways(story):
    import panel as pn

    import ipyreport.panel

    player = story.player()
    view = pn.panel(player)
    assert isinstance(view, ipyreport.panel.StoryPlayer)
    player.go(1, 2)
    assert (view.slide, view.step) == (1, 2)
    view.go(2)
    assert (player.slide, player.step) == (2, 1)
    player.go(1, 2)  # to a slide of more steps than the one in view
    assert (view.slide, view.step) == (1, 2)
