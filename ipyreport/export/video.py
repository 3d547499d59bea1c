"""A story as a video (MP4) or an animated GIF, recorded frame by frame.

The player starts each transition as it does on screen (the same charts, set
up and drawn by the same code: values written at rest, shares, gaps where
data is missing), paused, and seeks through it, reading the charts at every
frame, so the result is smooth, what a viewer sees, and identical however
slow the machine is (no screen recording against the clock). The first step is
held, then every transition plays at its own duration and its end is held,
each step as long as play mode rests on it (the document's ``rests``: a
step's, slide's or story's ``hold``), unless ``hold`` sets one for all. MP4 is encoded with the ffmpeg that ``imageio-ffmpeg``
ships; GIF with Pillow. Optional: ``pip install 'ipyreport[video]'``.
"""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ipyreport._files import replacing
from ipyreport._provenance import made_from
from ipyreport.document import load, step_seconds
from ipyreport.export._browser import in_own_thread, story_page

__all__ = ["frame_plan", "save_video", "title_band"]

BATCH = 8  # frames read from the page at a time
CANVAS_SIZE = "() => { const c = document.querySelector('.ipyreport-chart canvas'); return [c.width, c.height]; }"


def frame_plan(document: bytes, *, fps: int, hold: float | None = None) -> list[int]:
    """How many frames each step of a video takes.

    The held first step, then each transition (both ends included) plus its
    rest: the document's rest on that step, or ``hold`` seconds on every step.

    Parameters
    ----------
    document : bytes
        A story document's JSON (``Story.to_json()``).
    fps : int
        Frames per second.
    hold : float, optional
        Seconds every step rests (default: as play mode rests on each).

    Returns
    -------
    list of int
        Frames per step, in playing order.

    Examples
    --------
    >>> from ipyreport import Slide, Story, presets
    >>> story = Story({"Region": ["North", "South"], "Revenue": [3.0, 5.0]},
    ...               slides=[Slide(presets.chart(kind="column", x="Region", y="Revenue"),
    ...                             presets.chart(kind="bar", x="Region", y="Revenue"))])
    >>> frame_plan(story.to_json(), fps=10), frame_plan(story.to_json(), fps=10, hold=0.5)
    ([20, 31], [5, 16])
    """
    held = _held(document, fps, hold)
    plan = [max(held[0], 1)]
    for seconds, frames in zip(step_seconds(load(document))[1:], held[1:], strict=True):
        plan.append(max(round(seconds * fps), 1) + 1 + frames)
    return plan


def _held(document: bytes, fps: int, hold: float | None) -> list[int]:
    """Frames each step is held once drawn: the document's rests, or ``hold`` seconds for all."""
    rests = load(document)["rests"]
    return [round((rest if hold is None else hold) * fps) for rest in rests]


def title_band(size: tuple[int, int]) -> int:
    """The height of the title band above the charts in a frame: a tenth of it.

    Parameters
    ----------
    size : tuple of int
        The frame's (width, height) in pixels.

    Returns
    -------
    int
        The band's height in pixels.

    Examples
    --------
    >>> title_band((1280, 720))
    72
    """
    return round(size[1] * 0.1)


def _frames(
    document: bytes, *, fps: int, size: tuple[int, int], hold: float | None
) -> Iterator[bytes]:
    """PNG bytes of every frame, in order, each exactly ``size``: the title band and the charts below."""
    held = _held(document, fps, hold)
    band = title_band(size)
    chart = (size[0], size[1] - band)
    with story_page(document, width=chart[0], height=chart[1]) as (_, page):
        page.evaluate(
            "() => document.getElementById('ipyreport').classList.add('ipyreport-capture')"
        )
        _settle(page)
        drawn = page.evaluate(CANVAS_SIZE)
        if tuple(drawn) != chart:  # pragma: no cover - the capture layout fills the page
            msg = f"the chart was drawn {drawn[0]}x{drawn[1]} for a {chart[0]}x{chart[1]} frame"
            raise RuntimeError(msg)
        first = _png(
            page.evaluate(
                "(band) => document.getElementById('ipyreport').ipyreport.snapshot({titled: true, band})",
                band,
            )
        )
        for _ in range(max(held[0], 1)):
            yield first
        for number, seconds in enumerate(step_seconds(load(document))[1:], start=2):
            count = max(round(seconds * fps), 1)
            started = page.evaluate(
                "([count, band]) => document.getElementById('ipyreport').ipyreport.captureStart(count, {titled: true, band})",
                [count, band],
            )
            if started.get("error"):
                # A video that goes on with the wrong picture would mislead: stop here.
                msg = f"step {number} of the story could not be drawn: {started['error']}"
                raise RuntimeError(msg)
            last = first
            # A few frames at a time, however long the step: memory stays flat.
            while urls := page.evaluate(
                "(n) => document.getElementById('ipyreport').ipyreport.captureNext(n)", BATCH
            ):
                for url in urls:
                    last = _png(url)
                    yield last
            for _ in range(held[number - 1]):
                yield last


def _settle(page: Any) -> None:
    """Wait until the chart has re-laid itself out to fill the page (its canvas stops changing size)."""
    size = None
    while (now := page.evaluate(CANVAS_SIZE)) != size:
        size = now
        time.sleep(0.15)


def _png(url: str) -> bytes:
    return base64.b64decode(url.split(",", 1)[1])


def save_video(
    document: bytes,
    path: str | Path,
    *,
    fps: int = 25,
    size: tuple[int, int] = (1280, 720),
    hold: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Record a story document as a video, ``.mp4`` or ``.gif``.

    Each step rests as long as play mode rests on it (the story's, slide's
    or step's ``hold``). Every frame is exactly ``size``: the slide's title in
    a band across the top (a tenth of the height) and the charts below it. A
    GIF's colours come from one palette per frame, made from that frame's own
    colours (up to 256, without dithering), so flat backgrounds and text keep
    their colours. Frames stream from the page to the encoder a few at a time
    (``BATCH``), so memory stays the same however long the story or any one
    step is. What ``Story.save_video()`` writes.

    Parameters
    ----------
    document : bytes
        A story document's JSON (``Story.to_json()``).
    path : str or Path
        The file to write; its suffix, ``.mp4`` or ``.gif``, picks the format.
    fps : int, default 25
        Frames per second.
    size : tuple of int, default (1280, 720)
        Each frame's (width, height) in pixels, each at least 64; an MP4's are
        even (H.264 needs them so).
    hold : float, optional
        Seconds every step rests (default: as play mode rests on each).
    progress : callable, optional
        ``progress(done, total)`` hears of every frame encoded.

    Returns
    -------
    Path
        ``path``, written whole or not at all.

    Raises
    ------
    ValueError
        When the suffix or ``size`` is wrong; the message gives a size that
        works.
    RuntimeError
        When Pillow or imageio-ffmpeg is not installed (``pip install
        'ipyreport[video]'``), or a step cannot be drawn.

    Examples
    --------
    >>> save_video(b"{}", "sales.mp4", size=(1281, 720))
    Traceback (most recent call last):
    ...
    ValueError: size=(1281, 720): an MP4's width and height are even numbers of pixels (H.264 needs them so); use (1282, 720)
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".mp4", ".gif"):
        msg = f"save_video writes .mp4 or .gif files, got {target.name!r}"
        raise ValueError(msg)
    sides = list(size) if isinstance(size, (tuple, list)) else []
    if (
        len(sides) != 2
        or any(isinstance(side, bool) or not isinstance(side, int) for side in sides)
        or min(sides) < 64
    ):
        msg = f"size={size!r}: a video's size is (width, height) in whole pixels, each at least 64, such as (1280, 720)"
        raise ValueError(msg)
    width, height = sides
    size = (width, height)
    if suffix == ".mp4" and (width % 2 or height % 2):
        msg = f"size={size!r}: an MP4's width and height are even numbers of pixels (H.264 needs them so); use ({width + width % 2}, {height + height % 2})"
        raise ValueError(msg)
    try:
        import imageio_ffmpeg  # noqa: F401
        from PIL import Image  # noqa: F401
    except ImportError as error:
        msg = "videos need Pillow and imageio-ffmpeg: pip install 'ipyreport[video]'"
        raise RuntimeError(msg) from error
    with replacing(target) as part:
        in_own_thread(
            lambda: _record(document, part, fps=fps, size=size, hold=hold, progress=progress)
        )
    return target


def _record(
    document: bytes,
    target: Path,
    *,
    fps: int,
    size: tuple[int, int],
    hold: float | None,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Encode every frame as it is drawn (ffmpeg: H.264 for MP4, a palette per frame for GIF), at ``size``."""
    import imageio_ffmpeg
    from PIL import Image

    writer: Any = None
    total = sum(frame_plan(document, fps=fps, hold=hold))
    try:
        for done, data in enumerate(_frames(document, fps=fps, size=size, hold=hold), start=1):
            picture = Image.open(io.BytesIO(data)).convert("RGB")
            if picture.size != size:  # pragma: no cover - the frames are drawn at the size
                msg = f"frame {done} is {picture.width}x{picture.height}, not {size[0]}x{size[1]}"
                raise RuntimeError(msg)
            if writer is None:
                writer = imageio_ffmpeg.write_frames(
                    str(target),
                    size,
                    fps=fps,
                    pix_fmt_in="rgb24",
                    macro_block_size=1,
                    ffmpeg_log_level="error",
                    **_encoding(target.suffix.lower(), load(document)),
                )
                writer.send(None)
            writer.send(picture.tobytes())
            if progress is not None:
                progress(done, total)
    finally:
        if writer is not None:
            writer.close()


def _encoding(suffix: str, contents: Mapping[str, Any]) -> dict[str, Any]:
    if suffix == ".gif":
        # One palette per frame, made from that frame alone, so nothing waits for
        # the end; written as palette images (pal8). Any other output format makes
        # ffmpeg fall back to a fixed 3-3-2 palette (yellow text, blotchy backgrounds).
        palette = (
            "split[a][b];[a]palettegen=stats_mode=single:reserve_transparent=0[p];"
            "[b][p]paletteuse=new=1:dither=none"
        )
        return {
            "codec": "gif",
            "pix_fmt_out": "pal8",
            "output_params": ["-vf", palette, "-loop", "0"],
        }
    # An MP4 says what it is and how it was made, as a handout does (a GIF has no place for it).
    said = {
        "title": contents.get("title") or "Data story",
        "comment": made_from(contents.get("provenance")),
    }
    tags = [part for key, value in said.items() for part in ("-metadata", f"{key}={value}")]
    return {"codec": "libx264", "quality": 8, "output_params": tags}
