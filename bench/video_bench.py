"""Video memory: peak RSS of ``save_video`` for a 20- and a 200-slide story.

Each recording runs in a fresh Python process; its own peak RSS (``VmHWM``)
is reported with the frame count and the time. The story alternates a
column chart and a pie chart of revenue by region, one step per slide,
recorded at 640x360 and 10 frames a second with 0.3 s steps and holds (so
200 slides stay a short benchmark; memory per frame, not frame count, is
what a longer or larger recording changes). The baseline, in the same run,
holds every frame before encoding it, as ``save_video`` did before frames
streamed to the encoder: its peak grows with the story's length.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

RECORD = textwrap.dedent(
    """
    import io, json, sys, time
    from ipyreport import Slide, Story, presets, samples
    from ipyreport.export import video
    slides = int(sys.argv[2])
    sales = samples.sales()
    story = Story(sales, slides=[
        Slide(presets.chart(kind="column" if n % 2 else "pie", x="Region", y="Revenue", duration=0.3))
        for n in range(slides)
    ])
    document = story.to_json()
    options = {"fps": 10, "size": (640, 360), "hold": 0.3}
    start = time.perf_counter()
    if sys.argv[3] == "held":
        # The baseline: every frame decoded and held, then encoded.
        from PIL import Image
        frames = video.in_own_thread(lambda: list(video._frames(document, **options)))
        pictures = [Image.open(io.BytesIO(data)).convert("RGB") for data in frames]
        count = len(pictures)
    else:
        video.save_video(document, sys.argv[1], **options)
        import imageio_ffmpeg
        count, _ = imageio_ffmpeg.count_frames_and_secs(sys.argv[1])
    seconds = time.perf_counter() - start
    peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    print(json.dumps({"seconds": seconds, "rss_mb": peak / 1024, "frames": count}))
    """
)


def record(slides: int, way: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "story.mp4"
        result = subprocess.run(
            [sys.executable, "-c", RECORD, str(target), str(slides), way],
            capture_output=True,
            text=True,
            check=True,
        )
    answer: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return answer


def main(*, quick: bool = False) -> None:
    sizes = [4, 20] if quick else [20, 200]
    print("\nVideo memory, fresh process each (python -m bench video)\n")
    print("| slides | frames | streamed: peak RSS | time | frames held (baseline): peak RSS |")
    print("|---:|---:|---:|---:|---:|")
    for slides in sizes:
        streamed = record(slides, "streamed")
        held = record(slides, "held")
        print(
            f"| {slides} | {streamed['frames']:,} | {streamed['rss_mb']:.0f} MB | "
            f"{streamed['seconds']:.1f} s | {held['rss_mb']:.0f} MB |"
        )
