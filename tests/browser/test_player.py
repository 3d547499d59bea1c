"""The exported HTML story, opened from file:// in Chromium, as an audience sees it."""

import base64
import io
import json
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from PIL import Image

from ipyreport import presets, samples
from ipyreport.data import encode
from ipyreport.story import Slide, Story

from .pages import MARK, open_story, wait_idle, wait_ready

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "player"
SALES = encode(samples.sales())
XSS = "a</script><script>window.pwned=1</script>"

# How much of the chart canvas is not background, and a coarse fingerprint.
# How much of what the viewer sees of the charts differs from the background,
# overall and in an 8 x 8 grid of cells (a dashboard's charts count together).
INK = """async () => {
  const image = new Image();
  image.src = document.getElementById("ipyreport").ipyreport.snapshot();
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  const background = [data[0], data[1], data[2]];
  let ink = 0;
  const cells = new Array(64).fill(0);
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i] - background[0]) + Math.abs(data[i + 1] - background[1]) + Math.abs(data[i + 2] - background[2]) > 30) {
      ink += 1;
      const p = i / 4;
      cells[Math.floor((Math.floor(p / canvas.width) / canvas.height) * 8) * 8 + Math.floor(((p % canvas.width) / canvas.width) * 8)] += 1;
    }
  }
  return { ink: ink / (canvas.width * canvas.height), cells, background };
}"""


def sales_story(**options):
    return Story(
        SALES,
        title="Sales 2021 to 2024",
        slides=[
            Slide(
                presets.morph(
                    SALES,
                    ["stacked_column", "grouped_column", "pie"],
                    x="Region",
                    y="Revenue",
                    color="Product",
                    duration=0.4,
                ),
                title="Revenue by region",
                notes="Start with the big picture.",
            ),
            Slide(
                presets.zoom(
                    SALES, ["Region", "Country"], ["Europe"], y="Revenue", back=False, duration=0.4
                ),
                title="Europe up close",
            ),
            Slide(
                presets.chart(kind="line", x="Month", y="Revenue", color="Region", duration=0.4),
                title="Over time",
            ),
        ],
        **options,
    )


@pytest.fixture(scope="module")
def sales_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("story") / "sales.html"
    story = sales_story()
    story.save_html(path)
    return path, json.loads(story.to_json())


def shown(page):
    return page.evaluate(
        """() => { const root = document.getElementById("ipyreport");
        return { slide: Number(root.dataset.slide), step: Number(root.dataset.step), hash: location.hash,
                 title: root.querySelector(".ipyreport-title").textContent,
                 alt: root.querySelector(".ipyreport-alt").textContent,
                 progress: root.querySelector(".ipyreport-progress-text").textContent }; }"""
    )


def expected_positions(document):
    return [
        (s + 1, k + 1, slide["title"], step["alt"], len(slide["steps"]))
        for s, slide in enumerate(document["slides"])
        for k, step in enumerate(slide["steps"])
    ]


def test_every_step_by_keyboard_shows_its_title_text_and_a_changing_chart(open_file, sales_file):
    path, document = sales_file
    watch, page = open_story(open_file, path)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    previous = None
    positions = expected_positions(document)
    for number, (slide, step, title, alt, _steps) in enumerate(positions):
        if number:
            page.keyboard.press("ArrowRight")
            wait_idle(page)
        state = shown(page)
        assert (state["slide"], state["step"]) == (slide, step)
        assert state["title"] == title
        assert state["alt"] == alt
        assert state["progress"] == f"Slide {slide} / 3"
        assert state["hash"] == f"#{slide}.{step}"
        ink = page.evaluate(INK)
        assert ink["ink"] > 0.01, f"slide {slide} step {step} looks blank"
        assert ink["cells"] != previous, f"slide {slide} step {step} did not change the chart"
        previous = ink["cells"]
        page.screenshot(path=ARTIFACTS / f"slide-{slide}-step-{step}.png")
    assert watch.errors == []
    assert watch.network_requests() == []


def test_a_link_to_slide_and_step_opens_there(browser, sales_file):
    path, document = sales_file
    page = browser.new_page()
    page.goto(path.resolve().as_uri() + "#2.2")
    wait_ready(page)
    state = shown(page)
    assert (state["slide"], state["step"], state["title"]) == (2, 2, "Europe up close")
    assert state["alt"] == document["slides"][1]["steps"][1]["alt"]
    assert page.evaluate(INK)["ink"] > 0.01
    page.close()


def test_a_one_step_slides_link_is_its_article_blocks_and_both_forms_open_it(
    browser, sales_file, tmp_path
):
    path, document = sales_file
    assert len(document["slides"][2]["steps"]) == 1
    article = sales_story().save_html(tmp_path / "article.html", layout="scroll")
    page = browser.new_page()
    for link in ("#3", "#3.1"):
        page.goto(path.resolve().as_uri() + link)
        wait_ready(page)
        state = shown(page)
        assert (state["slide"], state["step"], state["hash"]) == (3, 1, "#3.1")
        page.goto(article.resolve().as_uri() + link)
        wait_ready(page)
        wait_idle(page)
        assert page.evaluate(
            "() => { const r = document.getElementById('ipyreport');"
            " return [`${r.dataset.slide}.${r.dataset.step}`, document.querySelector('.ipyreport-block[id=\"3.1\"] a').hash]; }"
        ) == ["3.1", "#3.1"]
    page.close()


def test_back_home_and_end_jump_cleanly(open_file, sales_file):
    path, _ = sales_file
    watch, page = open_story(open_file, path)
    page.keyboard.press("End")
    wait_idle(page)
    assert shown(page)["hash"] == "#3.1"
    end = page.evaluate(INK)
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    assert shown(page)["hash"] == "#2.2"
    page.keyboard.press("Home")
    wait_idle(page)
    assert shown(page)["hash"] == "#1.1"
    page.keyboard.press("End")
    wait_idle(page)
    assert page.evaluate(INK)["cells"] == end["cells"]
    assert watch.errors == []


QUIET = """() => { const seen = (s) => { const e = document.querySelector(s);
  const style = getComputedStyle(e); const box = e.getBoundingClientRect();
  return style.visibility !== 'hidden' && style.display !== 'none' && box.width > 0 ? Number(style.opacity) : 0; };
  return Object.fromEntries(['.ipyreport-prev', '.ipyreport-next', '.ipyreport-play', '.ipyreport-table-toggle',
    '.ipyreport-presenter-toggle', '.ipyreport-info-toggle', '.ipyreport-footer'].map((s) => [s.slice(11), seen(s)])); }"""


def test_the_audience_sees_only_the_controls_a_step_needs_and_no_build_metadata(
    open_file, sales_file
):
    """On the first step there is no Back to press, on the last no Next; the presenter's
    tools (table, presenter view, info) stand quieter than the arrows; the line that says
    when and by what the page was made is in the info panel, not on a slide."""
    path, _ = sales_file
    watch, page = open_story(open_file, path)
    first = page.evaluate(QUIET)
    assert first["prev"] == 0
    assert first["next"] == 1
    assert first["footer"] == 0
    tools = ("table-toggle", "presenter-toggle", "info-toggle")
    assert all(0 < first[tool] < first["next"] for tool in tools), first
    assert "Made with ipyreport" not in page.locator("#ipyreport").evaluate(
        "(player) => player.innerText"
    )
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert page.evaluate(QUIET)["prev"] == 1
    page.keyboard.press("End")
    wait_idle(page)
    last = page.evaluate(QUIET)
    assert last["prev"] == 1
    assert last["next"] == 0
    page.keyboard.press("i")
    footer = page.locator(".ipyreport-footer")
    assert footer.is_visible()
    assert footer.inner_text().startswith("Made with ipyreport")
    assert watch.errors == []


def test_fast_key_presses_never_leave_the_player_stuck(open_file, sales_file):
    path, _ = sales_file
    watch, page = open_story(open_file, path)
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert shown(page)["hash"] == "#2.2"
    page.keyboard.press("PageUp")
    page.keyboard.press("PageUp")
    wait_idle(page)
    assert shown(page)["hash"] == "#1.3"
    assert page.evaluate(INK)["ink"] > 0.01
    assert watch.errors == []


def test_buttons_are_keyboard_reachable_and_work(open_file, sales_file):
    path, _ = sales_file
    watch = open_file(path)
    page = watch.page
    wait_ready(page)
    page.focus(".ipyreport-next")
    page.keyboard.press("Enter")
    wait_idle(page)
    assert shown(page)["hash"] == "#1.2"
    page.click(".ipyreport-prev")
    wait_idle(page)
    assert shown(page)["hash"] == "#1.1"
    outline = page.evaluate(
        "() => getComputedStyle(document.querySelector('.ipyreport-next')).outlineStyle"
    )
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert focused.startswith("ipyreport-")
    assert outline in ("none", "solid")


def test_play_mode_advances_on_its_own(open_file, tmp_path):
    story = Story(
        SALES,
        slides=[
            Slide(presets.chart(kind=kind, x="Region", y="Revenue", duration=0.1))
            for kind in ("column", "pie", "treemap")
        ],
    )
    path = story.save_html(tmp_path / "play.html")
    watch, page = open_story(open_file, path)
    page.keyboard.press("p")
    assert (
        page.evaluate(
            "() => document.querySelector('.ipyreport-play').getAttribute('aria-pressed')"
        )
        == "true"
    )
    time.sleep(2.6)
    assert shown(page)["slide"] >= 2
    page.keyboard.press("p")
    assert page.evaluate("() => document.querySelector('.ipyreport-play').textContent") == "Play"
    assert watch.errors == []


def slides_reached(page, seconds):
    """Every slide play mode shows within ``seconds`` of pressing P."""
    reached = set()
    page.keyboard.press("p")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        reached.add(shown(page)["slide"])
        time.sleep(0.05)
    return reached


def test_play_mode_rests_as_long_as_the_story_slide_and_step_say(open_file, tmp_path):
    # Story: 0.1 s; slide 2 rests 5 s on its own; the last slide's step 0.1 s again.
    slides = [
        Slide(presets.chart(kind="column", x="Region", y="Revenue", duration=0.1)),
        Slide(presets.chart(kind="pie", x="Region", y="Revenue", duration=0.1), hold=5),
        Slide(presets.chart(kind="treemap", x="Region", y="Revenue", duration=0.1)),
    ]
    path = Story(SALES, slides=slides, hold=0.1, loop=False).save_html(tmp_path / "hold.html")
    watch, page = open_story(open_file, path)
    # 0.2 s on slide 1, then 5.1 s on slide 2: after 2.5 s it is still on slide 2.
    assert slides_reached(page, 2.5) == {1, 2}
    assert watch.errors == []


def test_a_timeline_plays_its_moments_briskly(open_file, tmp_path):
    # 6 monthly moments of 0.2 s: with the timeline's short rest all play within 3 s;
    # with the story's 2 s rest on each they would take over 10 s.
    steps = presets.timeline(SALES, time="Month", x="Region", y="Revenue", duration=0.2)[:6]
    path = Story(SALES, slides=[Slide(*steps)], loop=False).save_html(tmp_path / "months.html")
    watch, page = open_story(open_file, path)
    reached = slides_reached(page, 3.5)
    assert shown(page)["step"] == 6, reached
    assert watch.errors == []


def test_reduced_motion_jumps_instead_of_animating(open_file, tmp_path):
    story = Story(
        SALES,
        slides=[
            Slide(presets.morph(SALES, ["column", "pie"], x="Region", y="Revenue", duration=5))
        ],
    )
    path = story.save_html(tmp_path / "motion.html")
    watch, page = open_story(open_file, path, reduced_motion="reduce")
    started = time.monotonic()
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert time.monotonic() - started < 2.0, "a 5 s transition should not play with reduced motion"
    assert shown(page)["hash"] == "#1.2"
    assert page.evaluate(INK)["ink"] > 0.01
    assert watch.errors == []


def test_data_table_shows_the_numbers_behind_the_step(open_file, sales_file):
    path, document = sales_file
    watch, page = open_story(open_file, path)
    page.keyboard.press("t")
    rows = page.evaluate(
        """() => [...document.querySelectorAll(".ipyreport-table tbody tr")].map((tr) =>
             [...tr.children].map((cell) => cell.textContent))"""
    )
    expected = document["slides"][0]["steps"][0]["table"]
    assert len(rows) == len(expected["rows"]) == 16
    assert rows[0][:2] == expected["rows"][0][:2]
    assert page.is_visible(".ipyreport-table")
    assert watch.errors == []


def test_without_a_second_window_the_presenter_view_is_a_panel(open_file, sales_file):
    path, _ = sales_file
    watch = open_file(path)
    watch.page.add_init_script("window.open = () => null")  # as a browser that blocks windows
    watch.page.reload()
    wait_ready(watch.page)
    page = watch.page
    page.keyboard.press("s")
    time.sleep(1.5)
    assert page.text_content(".ipyreport-notes") == "Start with the big picture."
    assert page.text_content(".ipyreport-next-title") == "Next: Revenue by region (next step)"
    assert page.text_content(".ipyreport-timer") in ("0:01", "0:02")
    assert page.evaluate("() => !!document.querySelector('.ipyreport-preview canvas')")
    assert watch.errors == []


def test_markup_in_data_and_titles_is_shown_as_text_and_never_runs(open_file, tmp_path):
    table = pa.table({"Name": [XSS, "plain"], "Value": [3.0, 1.0]})
    story = Story(
        table,
        title='<img src=x onerror="window.pwned=2">',
        slides=[Slide(presets.chart(kind="column", x="Name", y="Value"), title=XSS, notes=XSS)],
    )
    page_text = story.to_html()
    assert XSS not in page_text
    path = tmp_path / "xss.html"
    path.write_text(page_text, encoding="utf-8")
    watch = open_file(path)
    page = watch.page
    wait_ready(page)
    assert page.evaluate("() => window.pwned") is None
    assert page.text_content(".ipyreport-title") == XSS
    assert page.title() == '<img src=x onerror="window.pwned=2">'
    page.keyboard.press("t")
    cells = page.evaluate(
        "() => [...document.querySelectorAll('.ipyreport-table tbody th')].map((c) => c.textContent)"
    )
    assert cells == [XSS, "plain"]
    assert watch.network_requests() == []


def test_dark_theme_paints_a_dark_chart(open_file, tmp_path):
    path = sales_story(theme="dark").save_html(tmp_path / "dark.html")
    watch = open_file(path)
    wait_ready(watch.page)
    background = watch.page.evaluate(INK)["background"]
    assert sum(background) < 120
    # No light stripes or lines glare from the dark chart: only text and marks are bright.
    shot = watch.page.locator(".ipyreport-chart").screenshot()
    picture = np.asarray(Image.open(io.BytesIO(shot)).convert("L"))
    assert (picture > 200).mean() < 0.03  # was 19% with the engine's light stripes
    assert watch.errors == []


def test_imported_ipyvizzu_story_plays_with_its_javascript_filter(open_file, tmp_path):
    from ipyvizzu import Config, Data
    from ipyvizzustory import Slide as StorySlide
    from ipyvizzustory import Step as StoryStep
    from ipyvizzustory import Story as IpyvizzuStory

    data = Data()
    data.add_series("Genre", ["Pop", "Rock", "Pop", "Jazz"], type="dimension")
    data.add_series("Popularity", [10, 20, 30, 5], type="measure")
    original = IpyvizzuStory(data=data)
    first = StorySlide(
        StoryStep(Data.filter("record.Genre == 'Pop'"), Config({"x": "Genre", "y": "Popularity"}))
    )
    first.add_step(StoryStep(Config.pie({"angle": "Popularity", "by": "Genre"}), duration=0.2))
    original.add_slide(first)
    original.add_slide(
        StorySlide(StoryStep(Data.filter(None), Config.column({"x": "Genre", "y": "Popularity"})))
    )
    path = Story.from_ipyvizzu_story(original, title="Imported").save_html(
        tmp_path / "imported.html"
    )
    watch, page = open_story(open_file, path)
    only_pop = page.evaluate(INK)
    for _ in range(2):
        page.keyboard.press("ArrowRight")
        wait_idle(page)
    all_genres = page.evaluate(INK)
    assert only_pop["ink"] > 0.005
    assert all_genres["ink"] > only_pop["ink"]
    assert watch.errors == []
    assert watch.network_requests() == []


def test_compacted_and_raw_data_draw_the_same_charts(open_file, tmp_path):
    slides = sales_story().slides
    fingerprints = []
    for compact in (True, False):
        story = Story(SALES, title="Same", slides=slides, compact=compact)
        path = story.save_html(tmp_path / f"compact-{compact}.html")
        watch, page = open_story(open_file, path, reduced_motion="reduce")
        seen = [page.evaluate(INK)["cells"]]
        for _ in range(5):
            page.keyboard.press("ArrowRight")
            wait_idle(page)
            seen.append(page.evaluate(INK)["cells"])
        assert watch.errors == []
        fingerprints.append(seen)
    for step, (small, raw) in enumerate(zip(*fingerprints, strict=True)):
        difference = sum(abs(a - b) for a, b in zip(small, raw, strict=True))
        assert difference <= 0.01 * sum(raw), f"step {step + 1} looks different"


def test_a_lazy_story_with_means_plays_across_its_own_tables(open_file, tmp_path):
    from ipyreport import Filter
    from ipyreport.lazy import lazy

    samples.write_orders(tmp_path / "orders", rows=20_000, parts=2)
    source = lazy(tmp_path / "orders")
    story = Story(
        source,
        slides=[
            Slide(presets.chart(kind="column", x="Region", y="Revenue")),
            Slide(
                presets.chart(
                    kind="column",
                    x="Region",
                    y="mean(Units)",
                    filter=Filter.isin("Channel", ["Online"]),
                )
            ),
            Slide(presets.chart(kind="bar", x="Product", y="count(Units)")),
        ],
    )
    watch, page = open_story(
        open_file, story.save_html(tmp_path / "lazy.html"), reduced_motion="reduce"
    )
    seen = [page.evaluate(INK)["cells"]]
    for _ in range(2):
        page.keyboard.press("ArrowRight")
        wait_idle(page)
        assert page.evaluate(INK)["ink"] > 0.01
        seen.append(page.evaluate(INK)["cells"])
    assert seen[0] != seen[1] != seen[2]
    assert watch.errors == []


def test_direction_controls_in_the_info_panel_are_shown_not_obeyed(open_file, tmp_path):
    story = Story(
        {"Region": ["\u202eevil", "North"], "Revenue": [1.0, 3.0]},
        slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))],
    )
    story = story.replace(provenance={"spec": "\u202eevil.yaml"})
    watch, page = open_story(open_file, story.save_html(tmp_path / "bidi.html"))
    shown = page.evaluate("() => document.querySelector('.ipyreport-provenance').textContent")
    assert "\\u202eevil.yaml" in shown
    assert "\u202e" not in shown
    assert watch.errors == []


def test_the_info_panel_shows_how_a_spec_built_story_was_made(open_file, tmp_path, monkeypatch):
    from ipyreport.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    (tmp_path / "sales.csv").write_text("Region,Revenue\nEurope,10\nAsia,3\n")
    spec = tmp_path / "story.yaml"
    spec.write_text(
        "params: {region: Europe}\n"
        "data: {sql: \"select * from 'sales.csv' where Region = ${params.region}\"}\n"
        "slides:\n  - steps:\n      - chart: {kind: column, x: Region, y: Revenue}\n"
    )
    deck = tmp_path / "deck.html"
    assert main(["build", str(spec), "-q", "-o", str(deck), "--set", "params.region=Asia"]) == 0
    digest = json.loads(deck.read_text().split('id="ipyreport-story">')[1].split("</script>")[0])[
        "provenance"
    ]["data"]["source"]["files"][0]["sha256"]
    watch, page = open_story(open_file, deck)
    panel = page.locator(".ipyreport-provenance")
    assert not panel.is_visible()
    page.keyboard.press("i")
    assert panel.is_visible()
    shown = panel.inner_text()
    assert '"parameters": {\n    "region": "Asia"\n  }' in shown
    assert '"overrides": [\n    "params.region=Asia"\n  ]' in shown
    assert f'"sha256": "{digest}"' in shown
    assert '"built": "2026-01-01T00:00:00Z"' in shown
    # What a reader looks for first; the resolved spec, long, comes last.
    assert shown.index('"parameters"') < shown.index('"data"') < shown.index('"resolved"')
    assert watch.errors == []


def test_a_step_the_engine_refuses_is_said_on_that_step_and_the_story_goes_on(open_file, tmp_path):
    from ipyreport.export.html import render

    story = Story(
        SALES,
        slides=[
            Slide(presets.chart(kind="column", x="Region", y="Revenue"), title="One"),
            Slide(presets.chart(kind="bar", x="Country", y="Revenue"), title="Two"),
            Slide(presets.chart(kind="pie", x="Product", y="Revenue"), title="Three"),
        ],
    )
    document = json.loads(story.to_json())
    # A document the engine refuses where no check could see it (hand-edited, say).
    document["slides"][1]["steps"][0]["config"]["channels"]["y"]["set"] = ["NoSuchSeries"]
    path = tmp_path / "refused.html"
    path.write_text(render(json.dumps(document).encode()), encoding="utf-8")
    watch, page = open_story(open_file, path, reduced_motion="reduce")
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    error = page.locator(".ipyreport-error")
    assert error.is_visible()
    assert error.text_content().startswith("This step could not be drawn")
    assert page.evaluate("() => document.getElementById('ipyreport').dataset.error") is not None
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert not error.is_visible()
    assert page.locator(".ipyreport-title").text_content() == "Three"
    assert page.evaluate(INK)["ink"] > 0.01  # the pie is drawn: the chart is usable again
    assert all("could not show this step" in message for message in watch.errors)


def test_a_refused_dashboard_step_is_said_and_the_dashboard_goes_on(open_file, tmp_path):
    from ipyreport import Dashboard
    from ipyreport.export.html import render

    story = Story(
        SALES,
        slides=[
            Slide(presets.chart(kind="column", x="Region", y="Revenue"), title="One"),
            Dashboard(
                presets.morph(SALES, ["column", "bar", "pie"], x="Region", y="Revenue"),
                presets.morph(SALES, ["column", "bar", "pie"], x="Product", y="Units"),
                title="Board",
            ),
        ],
    )
    document = json.loads(story.to_json())
    document["slides"][1]["steps"][1]["charts"][1]["config"]["channels"]["x"]["set"] = ["Nope"]
    path = tmp_path / "refused-board.html"
    path.write_text(render(json.dumps(document).encode()), encoding="utf-8")
    watch, page = open_story(open_file, path, reduced_motion="reduce")
    for _ in range(2):
        page.keyboard.press("ArrowRight")
        wait_idle(page)
    assert page.locator(".ipyreport-error").is_visible()
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert not page.locator(".ipyreport-error").is_visible()
    assert page.evaluate("() => document.getElementById('ipyreport').dataset.step") == "3"
    canvases = page.locator(".ipyreport-board canvas")
    assert canvases.count() == 2  # one dashboard, made again, both charts drawn
    assert all("could not show this step" in message for message in watch.errors)


@pytest.mark.parametrize("key", ["ArrowRight", "Space", "PageDown"])
def test_a_clicker_works_the_moment_the_file_opens(open_file, sales_file, key):
    path, _ = sales_file
    watch = open_file(path)
    wait_ready(watch.page)  # no click, no focus given by the test
    watch.page.keyboard.press(key)
    wait_idle(watch.page)
    assert watch.page.evaluate("() => document.getElementById('ipyreport').dataset.step") == "2"
    # Focus moved elsewhere on the page: the story still hears the clicker.
    watch.page.evaluate("() => document.activeElement.blur()")
    watch.page.keyboard.press(key)
    wait_idle(watch.page)
    assert watch.page.evaluate("() => document.getElementById('ipyreport').dataset.step") == "3"
    assert watch.errors == []


def test_a_dashboard_list_keeps_its_arrow_keys(open_file, tmp_path):
    from ipyreport import Dashboard

    story = Story(
        SALES,
        slides=[
            Dashboard(
                presets.chart(kind="column", x="Region", y="Revenue"),
                presets.chart(kind="bar", x="Product", y="Revenue"),
            )
        ],
    )
    _, page = open_story(open_file, story.save_html(tmp_path / "board.html"))
    page.focus(".ipyreport-board select")
    page.keyboard.press("ArrowDown")  # the list moves, the story does not
    wait_idle(page)
    assert (
        page.evaluate("() => document.querySelector('.ipyreport-board select').selectedIndex") == 1
    )
    assert page.evaluate("() => document.getElementById('ipyreport').dataset.step") == "1"


def colors_in(page):
    """Each distinct colour covering at least 0.3% of the chart, as #RRGGBB."""
    shot = page.locator(".ipyreport-chart").screenshot()
    pixels = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).reshape(-1, 3)
    found, counts = np.unique(pixels, axis=0, return_counts=True)
    return {
        "#{:02X}{:02X}{:02X}".format(*map(int, c))
        for c, n in zip(found, counts, strict=True)
        if n > 0.003 * len(pixels)
    }


def test_a_category_keeps_its_colour_on_every_slide(open_file, tmp_path):
    slides = [
        Slide(presets.chart(kind="stacked_column", x="Channel", y="Revenue", color="Region")),
        Slide(presets.chart(kind="stacked_column", x="Channel", y="Revenue", color="Product")),
        # Two regions only: the engine alone would paint them in the first two colours.
        Slide(
            presets.chart(
                kind="column",
                x="Region",
                y="Revenue",
                color="Region",
                filter={"Region": ["Africa", "Europe"]},
            )
        ),
        # Colouring by nothing, the marks take no category's colour.
        Slide(presets.chart(kind="column", x="Channel", y="Units")),
    ]
    story = Story(SALES, slides=slides)
    regions, products = story.colors["Region"], story.colors["Product"]
    watch, page = open_story(
        open_file, story.save_html(tmp_path / "colours.html"), reduced_motion="reduce"
    )
    seen = [colors_in(page)]
    for _ in range(3):
        page.keyboard.press("ArrowRight")
        wait_idle(page)
        seen.append(colors_in(page))
    assert set(regions.values()) <= seen[0]
    assert set(products.values()) <= seen[1]
    assert not set(regions.values()) & seen[1]
    assert {regions["Africa"], regions["Europe"]} <= seen[2]
    assert not {regions["Americas"], regions["Asia Pacific"]} & seen[2]
    assert not (set(regions.values()) | set(products.values())) & seen[3]
    assert "#5B6B7F" in seen[3]
    assert watch.errors == []


NOTE = """() => { const note = document.querySelector(".ipyreport-chart .ipyreport-note");
  const box = note.getBoundingClientRect();
  return { hidden: note.hidden, shown: note.dataset.shown, text: note.textContent,
           box: [box.left, box.top, box.right, box.bottom] }; }"""


def column_centres(page):
    """The colour the chart shows at the middle of each column, from the left (where each
    of them is drawn, however wide the plot)."""
    chart = page.locator(".ipyreport-chart")
    picture = np.asarray(Image.open(io.BytesIO(chart.screenshot())).convert("RGB")).astype(int)
    canvas = page.locator(".ipyreport-chart canvas").first.bounding_box()
    frame = chart.bounding_box()
    marks = page.evaluate("() => document.getElementById('ipyreport').ipyreport.marks()[0]")
    centres = sorted((mark["center"]["x"], mark["center"]["y"]) for mark in marks)
    return [
        picture[int(canvas["y"] - frame["y"] + y), int(canvas["x"] - frame["x"] + x)]
        for x, y in centres
    ]


def test_a_highlight_dims_the_other_marks_and_shows_its_note(open_file, tmp_path):
    story = Story(
        SALES,
        slides=[
            Slide(
                presets.chart(kind="column", x="Region", y="Revenue"),
                presets.highlight(
                    where={"Region": "Europe"}, note="Europe: second only to the Americas"
                ),
                presets.chart(kind="column", x="Region", y="Revenue"),
            )
        ],
    )
    watch, page = open_story(
        open_file, story.save_html(tmp_path / "highlight.html"), reduced_motion="reduce"
    )
    assert page.evaluate(NOTE)["hidden"]
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    note = page.evaluate(NOTE)
    assert not note["hidden"]
    assert note["shown"] == "true"
    assert note["text"] == "Europe: second only to the Americas"
    chart_box = page.locator(".ipyreport-chart").bounding_box()
    assert chart_box["x"] <= note["box"][0] < note["box"][2] <= chart_box["x"] + chart_box["width"]
    americas, europe, asia, africa = column_centres(page)
    assert np.abs(europe - MARK).max() < 25  # Europe in full colour
    for dimmed in (americas, asia, africa):
        assert np.abs(dimmed - MARK).max() > 60  # the others faded towards the background
        assert dimmed.sum() > MARK.sum()
    assert "Highlighted: Europe. Europe: second only to the Americas." in shown(page)["alt"]
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert page.evaluate(NOTE)["hidden"]
    assert all(np.abs(colour - MARK).max() < 25 for colour in column_centres(page))
    assert watch.errors == []


def test_a_highlights_note_stands_by_the_mark_whose_value_it_says(open_file, tmp_path):
    """Iowa's renewables highlighted in stacked columns by year, its note "Renewables reach
    21.9K" (2017's) stood over 2010, the tallest stack: the highest mark pointed at, not the
    one the note speaks of. It stands by the mark whose value it says."""
    table = pa.table(
        {
            "Year": ["2010", "2010", "2017", "2017"],
            "Source": ["Fossil", "Renewables", "Fossil", "Renewables"],
            "MWh": [50.0, 10.0, 10.0, 20.0],
        }
    )
    story = Story(
        table,
        slides=[
            Slide(
                presets.chart(kind="stacked_column", x="Year", y="MWh", color="Source"),
                presets.highlight(
                    where={"Source": "Renewables"},
                    note="Renewables reach {max(MWh, Source=Renewables)}",
                ),
            )
        ],
    )
    watch, page = open_story(
        open_file, story.save_html(tmp_path / "said.html"), reduced_motion="reduce"
    )
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    note = page.evaluate(NOTE)
    assert note["text"] == "Renewables reach 20"
    at = page.locator(".ipyreport-chart canvas").first.bounding_box()
    labels = page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()[0]")
    years = {label["text"]: label["box"] for label in labels if label["group"] == "axis-x"}
    middle = (note["box"][0] + note["box"][2]) / 2 - at["x"]

    def away(year: str) -> float:
        return abs(middle - (years[year][0] + years[year][2]) / 2)

    assert away("2017") < away("2010")
    assert watch.errors == []


def test_a_highlights_note_covers_no_thin_column(open_file, tmp_path):
    """us_employment's 120 months of job changes, 8 px columns, the worst losses highlighted:
    the note "Mar 2009 lost most: -802" was tested for marks at a few points across it, which
    fell between the thin columns, and it stood over 2010's. It covers no column at all."""
    from tests.corpus import CASES, source

    from .pages import drawn_boxes, recording_boxes
    from .test_phone import marks_of

    (case,) = [c for c in CASES if c.id == "us_employment-highlight"]
    data = source("us_employment", "eager", tmp_path)
    story = Story(data, slides=case.build(data))
    watch, page = open_story(
        open_file, story.save_html(tmp_path / "losses.html"), reduced_motion="reduce"
    )
    recording_boxes(page)
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    note = page.evaluate(NOTE)
    assert note["text"].endswith("lost most: -802")
    at = page.locator(".ipyreport-chart canvas").first.bounding_box()
    left, top = note["box"][0] - at["x"], note["box"][1] - at["y"]
    right, bottom = note["box"][2] - at["x"], note["box"][3] - at["y"]
    columns = marks_of(drawn_boxes(page)[0])
    assert len(columns) >= 100
    under = [
        box
        for box in columns
        if box[0] < right and box[2] > left and box[1] < bottom and box[3] > top
    ]
    assert under == []
    assert watch.errors == []


def test_a_highlights_note_covers_no_bar_and_no_label(open_file, tmp_path):
    """Barley's six sites in 1931 as bars, the longest second from the top highlighted: its
    note stood above and right of the bar's top, over the bar above it and that bar's value
    ("Waseca yields 962.17" over University Farm's 653.33). It goes where it covers no mark
    and no text of the chart, as near its bar as that allows."""
    sites = ["University Farm", "Waseca", "Morris", "Crookston", "Grand Rapids", "Duluth"]
    table = pa.table({"site": sites, "yield": [653.33, 962.17, 708.0, 748.4, 498.63, 559.93]})
    story = Story(
        table,
        slides=[
            Slide(
                presets.chart(kind="bar", x="site", y="yield"),
                presets.highlight(where={"site": "Waseca"}, note="Waseca yields the most"),
            )
        ],
    )
    watch, page = open_story(
        open_file, story.save_html(tmp_path / "note.html"), reduced_motion="reduce"
    )
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    note = page.evaluate(NOTE)
    assert not note["hidden"]
    canvas = page.locator(".ipyreport-chart canvas").first
    at = canvas.bounding_box()
    left, top, right, bottom = (
        note["box"][0] - at["x"],
        note["box"][1] - at["y"],
        note["box"][2] - at["x"],
        note["box"][3] - at["y"],
    )
    labels = page.evaluate("() => document.getElementById('ipyreport').ipyreport.labels()[0]")
    assert labels
    over = [
        label["text"]
        for label in labels
        if label["box"][0] < right
        and label["box"][2] > left
        and label["box"][1] < bottom
        and label["box"][3] > top
    ]
    assert over == []
    # Under the note (hidden for the picture) the chart is paper and its light stripes only.
    page.evaluate(
        "() => { document.querySelector('.ipyreport-note').style.visibility = 'hidden'; }"
    )
    picture = np.asarray(Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")).astype(int)
    under = picture[int(top) : int(bottom), int(left) : int(right)]
    assert under.size
    assert under.min() >= 225, "a mark under the note"
    assert watch.errors == []


PRESENTER = """() => ({ timer: document.querySelector(".timer").textContent,
  where: document.querySelector(".where").textContent,
  notes: document.querySelector(".notes").textContent,
  next: document.querySelector(".next").textContent })"""


def test_the_presenter_view_opens_in_its_own_window_and_follows_both_ways(open_file, sales_file):
    watch, page = open_story(open_file, sales_file[0])
    with page.context.expect_page() as opened:
        page.keyboard.press("s")
    presenter = opened.value
    presenter.wait_for_load_state()
    deadline = time.monotonic() + 10
    while presenter.evaluate(PRESENTER)["where"] == "" and time.monotonic() < deadline:
        time.sleep(0.05)
    first = presenter.evaluate(PRESENTER)
    assert first["where"].startswith("Slide 1 of")
    assert first["notes"] == "Start with the big picture."
    assert first["next"].startswith("Next:")
    # The audience sees no notes.
    assert not page.locator(".ipyreport-notes").is_visible()
    # The presenter's keys move the audience's story...
    presenter.keyboard.press("ArrowRight")
    wait_idle(page)
    assert shown(page)["step"] == 2
    # ...and the audience's window moves the presenter's view.
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    deadline = time.monotonic() + 5
    while "step 3" not in presenter.evaluate(PRESENTER)["where"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "step 3" in presenter.evaluate(PRESENTER)["where"]
    time.sleep(1.1)
    assert presenter.evaluate(PRESENTER)["timer"] != "0:00"
    # The next step's picture is drawn in the presenter's window.
    picture = presenter.locator("canvas").screenshot()
    pixels = np.asarray(Image.open(io.BytesIO(picture)).convert("RGB")).astype(int)
    assert (np.abs(pixels - pixels[0, 0]).sum(axis=2) > 30).mean() > 0.02
    with presenter.expect_event("close"):
        page.keyboard.press("s")  # S again closes it
    assert watch.errors == []
    assert watch.network_requests() == []


SYSTEM_FONTS = [
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"),
]
# One red pixel.
RED_PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)


def test_a_brand_theme_dresses_the_story_with_its_covers_font_and_logo(open_file, tmp_path):
    font = next((path for path in SYSTEM_FONTS if path.is_file()), None)
    if font is None:
        pytest.skip("no font file to embed on this machine")
    (tmp_path / "brand.ttf").write_bytes(font.read_bytes())
    (tmp_path / "logo.png").write_bytes(RED_PIXEL)
    (tmp_path / "brand.yaml").write_text(
        "base: light\nbackground: '#fbfaf7'\nforeground: '#1f2a37'\naccent: '#0f4c81'\n"
        "font: '\"Brand Serif\", serif'\nfont_file: brand.ttf\nlogo: logo.png\n"
        "title_slide: {subtitle: Board review}\nclosing_slide: true\n"
    )
    story = Story(
        SALES,
        title="Sales in review",
        slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"), title="By region")],
        theme=tmp_path / "brand.yaml",
    )
    watch, page = open_story(
        open_file, story.save_html(tmp_path / "brand.html"), reduced_motion="reduce"
    )
    look = page.evaluate(
        """() => { const root = document.getElementById("ipyreport");
        const logo = root.querySelector(".ipyreport-logo");
        return { background: getComputedStyle(root).backgroundColor, cover: root.dataset.cover,
                 title: root.querySelector(".ipyreport-cover-title").textContent,
                 subtitle: root.querySelector(".ipyreport-cover-subtitle").textContent,
                 chart: getComputedStyle(root.querySelector(".ipyreport-chart")).visibility,
                 logo: !logo.hidden && logo.naturalWidth > 0,
                 font: document.fonts.check('16px "Brand Serif"'),
                 family: getComputedStyle(root).fontFamily }; }"""
    )
    assert look == {
        "background": "rgb(251, 250, 247)",
        "cover": "true",
        "title": "Sales in review",
        "subtitle": "Board review",
        "chart": "hidden",
        "logo": True,
        "font": True,
        "family": '"Brand Serif", serif',
    }
    assert shown(page)["alt"] == "Title slide: Sales in review. Board review."
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert shown(page)["title"] == "By region"
    assert page.evaluate(INK)["ink"] > 0.005
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert page.text_content(".ipyreport-cover-title") == "Thank you"
    assert watch.errors == []
    assert watch.network_requests() == []


def test_destroy_stops_timers_keys_and_engines(open_file, sales_file):
    watch, page = open_story(open_file, sales_file[0])
    page.keyboard.press("p")  # play mode running
    page.keyboard.press("t")
    result = page.evaluate(
        """async () => { const root = document.getElementById("ipyreport");
        const api = root.ipyreport;
        const before = api.live.charts;
        api.destroy();
        return { before, after: api.live.charts, gone: root.ipyreport === undefined,
                 canvases: root.querySelectorAll("canvas").length }; }"""
    )
    assert result["before"] >= 1
    assert result == {"before": result["before"], "after": 0, "gone": True, "canvases": 0}
    where = shown(page)
    page.keyboard.press("ArrowRight")  # keys no longer move it...
    time.sleep(2.5)  # ...and neither does play mode
    assert shown(page) == where
    assert watch.errors == []


def test_the_tooltip_reads_the_mark_in_the_story_formats(open_file, tmp_path):
    story = Story(
        SALES,
        slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"))],
        formats={"Revenue": "$"},
    )
    watch, page = open_story(
        open_file, story.save_html(tmp_path / "tip.html"), reduced_motion="reduce"
    )
    box = page.locator(".ipyreport-chart").bounding_box()
    # The first column (Americas, the tallest) spans the left eighth or so of the plot.
    page.mouse.move(box["x"] + box["width"] * 0.17, box["y"] + box["height"] * 0.7)
    deadline = time.monotonic() + 5
    tip = ""
    while not tip and time.monotonic() < deadline:
        tip = page.evaluate(
            "() => { const t = document.querySelector('.ipyreport-chart .ipyreport-tip'); return t.hidden ? '' : t.textContent; }"
        )
        time.sleep(0.05)
    assert tip == "Region: Americas\nRevenue: $323.8M"
    page.mouse.move(box["x"] + 2, box["y"] + 2)  # off the marks: gone
    deadline = time.monotonic() + 5
    while page.evaluate("() => !document.querySelector('.ipyreport-chart .ipyreport-tip').hidden"):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert watch.errors == []


CONTROLS = """() => Object.fromEntries(["prev", "play", "next", "progress", "table-toggle", "info-toggle"].map(
  (name) => { const box = document.querySelector(`.ipyreport-${name}`).getBoundingClientRect();
    return [name, { top: Math.round(box.top), left: Math.round(box.left), width: Math.round(box.width) }]; }))"""


@pytest.mark.parametrize("width", [390, 700, 1280])
def test_back_and_next_share_a_line_at_any_width_and_the_tools_come_after(
    open_file, sales_file, width
):
    """A phone, an app's column or a screen: a presenter finds Back and Next side by side;
    the tools (table, info) never come between them, and on a phone the bar has its own line
    below one line of icons."""
    path, _ = sales_file
    page = open_file(path, size=(width, 800)).page
    wait_ready(page)
    box = page.evaluate(CONTROLS)
    assert box["prev"]["top"] == box["next"]["top"] == box["play"]["top"]
    assert box["prev"]["left"] < box["play"]["left"] < box["next"]["left"]
    assert box["next"]["left"] < box["table-toggle"]["left"] or (
        box["table-toggle"]["top"] > box["next"]["top"]
    )
    if width < 480:
        assert box["progress"]["top"] > box["next"]["top"]
        assert box["progress"]["width"] > width * 0.8
        assert box["table-toggle"]["top"] == box["next"]["top"]
    else:
        assert box["info-toggle"]["top"] == box["next"]["top"]  # one line


def open_dissolve(open_file, folder):
    """A treemap slide, then a scatter slide (no mark to follow between them: a dissolve),
    opened at 1280x720 on its first step with the player focused."""
    sales = samples.sales()
    story = Story(
        sales,
        formats={"Revenue": "$", "Profit": "$"},
        slides=[
            Slide(presets.chart(kind="treemap", x="Region", y="Revenue", color="Product")),
            Slide(
                presets.chart(
                    kind="scatter", x="Revenue", y="Profit", color="Product", by="Country"
                )
            ),
        ],
    )
    watch = open_file(story.save_html(folder / "dissolve.html"), size=(1280, 720))
    wait_ready(watch.page)
    watch.page.focus("#ipyreport")
    return watch


def test_a_dissolve_rests_only_once_the_chart_before_is_gone(open_file, tmp_path):
    """A treemap into a scatter has no mark to follow: the scatter is drawn at once under a
    picture of the treemap that fades out. The player says it rests when the picture is
    gone, so nothing that waits for rest (a snapshot, the PDF, a test) takes both charts."""
    watch = open_dissolve(open_file, tmp_path)
    page = watch.page
    # Whether the picture was ever laid over the chart, seen however briefly (a busy
    # machine may reach the next look after the dissolve is over).
    page.evaluate(
        """() => { window.leavings = 0; new MutationObserver((changes) => { for (const change
          of changes) for (const node of change.addedNodes) if (node.classList?.contains(
          'ipyreport-leaving')) window.leavings += 1; }).observe(
          document.getElementById('ipyreport'), { childList: true, subtree: true }); }"""
    )
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.getElementById('ipyreport').dataset.slide === '2'")
    wait_idle(page)
    assert page.evaluate("() => window.leavings") == 1  # it dissolved
    assert page.locator("#ipyreport .ipyreport-leaving").count() == 0
    assert watch.errors == []


RECORD_DISSOLVE = """() => { window.dissolving = [];
  const frame = () => {
    const picture = document.querySelector('#ipyreport .ipyreport-leaving');
    const canvas = document.querySelector('#ipyreport .ipyreport-chart canvas');
    if (picture && canvas) window.dissolving.push([Number(getComputedStyle(picture).opacity),
      Number(getComputedStyle(canvas).opacity)]);
    if (!window.dissolved) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame); }"""


def test_a_dissolve_lets_one_chart_give_way_to_the_other_never_both_at_half_strength(
    open_file, tmp_path
):
    """The treemap's picture fades out over the dissolve's first 60% while the scatter fades
    in over its last 60%: where both show each is under a tenth of its strength, so their
    titles, keys and ticks are never read over one another (a plain cross-fade showed both at
    half strength; overlapping 70%, both at a fifth)."""
    watch = open_dissolve(open_file, tmp_path)
    page = watch.page
    page.evaluate(RECORD_DISSOLVE)
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    frames = page.evaluate("() => { window.dissolved = true; return window.dissolving; }")
    assert len(frames) >= 5, frames
    assert frames[0][0] > 0.9, frames[0]  # the treemap, whole at first
    assert frames[0][1] < 0.1, frames[0]  # the scatter not yet
    assert max(min(before, coming) for before, coming in frames) <= 0.1, frames
    assert any(coming > 0.5 for _, coming in frames)  # the scatter comes while it fades
    opacity = "() => getComputedStyle(document.querySelector('#ipyreport .ipyreport-chart canvas')).opacity"
    assert page.evaluate(opacity) == "1"  # and stands whole at rest
    assert watch.errors == []


HEADLINE = """() => { const h = document.querySelector('.ipyreport-headline');
  return { text: h.querySelector('.ipyreport-title').textContent,
           opacity: Number(getComputedStyle(h).opacity) }; }"""


def _run_until_rest(page, limit_ms=6000):
    """Run the paused clock on in small ticks until the player rests (its own state says
    so), so a move whose promise settles a tick late on a busy machine is not read as still
    running when the next key is pressed."""
    for _ in range(limit_ms // 100):
        page.clock.run_for(100)
        if not page.evaluate("() => document.getElementById('ipyreport').ipyreport.state.moving"):
            return
    message = f"the player was still moving {limit_ms} ms into the step"
    raise AssertionError(message)


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_a_new_slides_headline_comes_in_with_its_chart(open_file, tmp_path, motion):
    """Into a new slide the old headline leaves at once and the new one comes in as the
    chart rests (within 600 ms at most), so words and picture never disagree for long; a
    step on the same slide, and a viewer who asks for reduced motion, keep it in view."""
    story = Story(
        SALES,
        slides=[
            Slide(
                *presets.morph(SALES, ["column", "pie"], x="Region", y="Revenue"),
                title="Regions",
            ),
            Slide(presets.chart(SALES, kind="pie", x="Region", y="Revenue"), title="Shares"),
        ],
    )
    path = story.save_html(tmp_path / "headline.html")
    watch, page = open_story(open_file, path, reduced_motion=motion)
    page.clock.install()
    page.clock.pause_at(page.evaluate("() => Date.now()") / 1000 + 0.5)
    seen = {}
    for key, moment in (("ArrowRight", "step"), ("ArrowRight", "slide")):
        page.keyboard.press(key)
        page.clock.run_for(100)
        seen[moment, 100] = page.evaluate(HEADLINE)
        _run_until_rest(page)
        time.sleep(0.5)  # the headline's fade in runs on the page's own time
        seen[moment, "rest"] = page.evaluate(HEADLINE)
    assert seen["step", 100] == {"text": "Regions", "opacity": 1}
    assert seen["slide", 100]["text"] == "Shares"
    assert seen["slide", 100]["opacity"] == (0 if motion == "no-preference" else 1)
    assert seen["slide", "rest"] == {"text": "Shares", "opacity": 1}
    assert watch.errors == []
