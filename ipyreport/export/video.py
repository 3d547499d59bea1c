"""A story as a video (MP4) or an animated GIF, recorded frame by frame.

The player plays each transition paused and seeks through it, reading the
chart at every frame, so the result is smooth and identical however slow
the machine is (no screen recording against the clock). The first step is
held for ``hold`` seconds, then every transition plays at its own duration
and its end is held. MP4 is encoded with the ffmpeg that ``imageio-ffmpeg``
ships; GIF with Pillow. Optional: ``pip install 'ipyreport[video]'``.
"""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ipyreport.document import load, step_seconds
from ipyreport.export._browser import in_own_thread, story_page

__all__ = ["frame_plan", "save_video"]

CANVAS_SIZE = "() => { const c = document.querySelector('.ipyreport-chart canvas'); return [c.width, c.height]; }"


def frame_plan(document: bytes, *, fps: int, hold: float) -> list[int]:
    """Frames of each step: the held first step, then each transition (ends included) plus its hold."""
    held = round(hold * fps)
    plan = [max(held, 1)]
    for seconds in step_seconds(load(document))[1:]:
        plan.append(max(round(seconds * fps), 1) + 1 + held)
    return plan


def _frames(document: bytes, *, fps: int, size: tuple[int, int], hold: float) -> Iterator[bytes]:
    """PNG bytes of every frame, in order."""
    held = round(hold * fps)
    with story_page(document, width=size[0], height=size[1]) as (_, page):
        page.evaluate(
            "() => document.getElementById('ipyreport').classList.add('ipyreport-capture')"
        )
        _settle(page)
        first = _png(
            page.evaluate("() => document.getElementById('ipyreport').ipyreport.snapshot()")
        )
        for _ in range(max(held, 1)):
            yield first
        for seconds in step_seconds(load(document))[1:]:
            count = max(round(seconds * fps), 1)
            urls = page.evaluate(
                "(count) => document.getElementById('ipyreport').ipyreport.capture(count)", count
            )
            pictures = [_png(url) for url in urls]
            yield from pictures
            for _ in range(held):
                yield pictures[-1]


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
    hold: float = 1.0,
) -> Path:
    """Record a story document (``Story.to_json()``) to ``path`` (``.mp4`` or ``.gif``)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".mp4", ".gif"):
        msg = f"save_video writes .mp4 or .gif files, got {target.name!r}"
        raise ValueError(msg)
    try:
        from PIL import Image
    except ImportError as error:
        msg = "videos need Pillow and imageio-ffmpeg: pip install 'ipyreport[video]'"
        raise RuntimeError(msg) from error
    frames = in_own_thread(lambda: list(_frames(document, fps=fps, size=size, hold=hold)))
    pictures = (Image.open(io.BytesIO(data)).convert("RGB") for data in frames)
    if suffix == ".gif":
        first = next(pictures)
        first.save(
            target, save_all=True, append_images=list(pictures), duration=round(1000 / fps), loop=0
        )
        return target
    try:
        import imageio_ffmpeg
    except ImportError as error:
        msg = "MP4 videos need imageio-ffmpeg: pip install 'ipyreport[video]'"
        raise RuntimeError(msg) from error
    first = next(pictures)
    width, height = first.width // 2 * 2, first.height // 2 * 2  # H.264 needs even sides
    writer: Any = imageio_ffmpeg.write_frames(
        str(target),
        (width, height),
        fps=fps,
        codec="libx264",
        pix_fmt_in="rgb24",
        macro_block_size=2,
        quality=8,
    )
    writer.send(None)
    try:
        for picture in (first, *pictures):
            writer.send(picture.crop((0, 0, width, height)).tobytes())
    finally:
        writer.close()
    return target
