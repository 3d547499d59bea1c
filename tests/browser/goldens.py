"""Golden pictures of the bundled example stories, step by step.

Each step of each example is photographed as a viewer sees it, in four
ways (light and dark, a 1280x720 screen and a 390x844 phone), shrunk to
320 pixels wide and kept in ``tests/goldens``; the words its charts drew
(labels, axis ticks, legends, exactly) are kept beside them, since a
changed number is too small to see in a shrunk picture. The browser tests compare
every step with its golden picture within a tolerance, so a change that
makes a chart look different fails until the pictures are made again
(``./dev goldens``) and the new ones are looked at in review. The same run
writes the documentation's pictures (full size) to ``docs/pictures``.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
GOLDENS = ROOT / "tests" / "goldens"
PICTURES = ROOT / "docs" / "pictures"
VARIANTS = {
    "desktop-light": ((1280, 720), "light"),
    "desktop-dark": ((1280, 720), "dark"),
    "phone-light": ((390, 844), "light"),
    "phone-dark": ((390, 844), "dark"),
}
WIDTH = 320
# Within tolerance: on average no more than this far from the golden picture
# (0-255 per channel), and no more than this share of pixels far off.
MEAN_TOLERANCE = 2.0
FAR = 64
FAR_SHARE = 0.01
# The documentation's pictures (README and docs/): (story, variant, step), 1-based.
README = [
    ("sales-overview", "desktop-light", 1),
    ("sales-overview", "desktop-dark", 12),
    ("monthly-playback", "desktop-light", 20),
    ("sales-overview", "phone-light", 5),
]


def updating() -> bool:
    """Whether this run makes the golden pictures again (``./dev goldens``)."""
    return os.environ.get("IPYREPORT_UPDATE_GOLDENS") == "1"


def photograph(page) -> bytes:
    """The page as its viewer sees it, the footer (build time, fingerprint) masked."""
    return page.screenshot(mask=[page.locator(".ipyreport-footer")], animations="disabled")


def shrink(png: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    height = round(picture.height * WIDTH / picture.width)
    return picture.resize((WIDTH, height), Image.Resampling.LANCZOS)


def compare_words(words: list[list[str]], story: str, variant: str) -> str | None:
    """What differs between the words each step drew and the golden ones."""
    path = GOLDENS / story / f"{variant}.json"
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(words, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return None
    if not path.is_file():
        return f"no golden words {path.relative_to(ROOT)}; make them with ./dev goldens"
    golden = json.loads(path.read_text(encoding="utf-8"))
    for step, (now, then) in enumerate(zip(words, golden, strict=False), start=1):
        if now != then:
            gone = sorted(set(then) - set(now))[:5]
            new = sorted(set(now) - set(then))[:5]
            return f"step {step} of {path.name} draws other words: {new} instead of {gone}; if meant, run ./dev goldens"
    if len(words) != len(golden):
        return f"{path.name}: {len(words)} steps, the golden words have {len(golden)}"
    return None


def golden_path(story: str, variant: str, step: int) -> Path:
    return GOLDENS / story / f"{variant}-{step:02d}.png"


def compare(png: bytes, story: str, variant: str, step: int, page=None) -> str | None:
    """What is wrong with this picture against its golden one (``None``: within tolerance).

    When updating, the picture becomes the golden one instead (and the
    documentation's pictures are written at full size).
    """
    path = golden_path(story, variant, step)
    small = shrink(png)
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        # 64 colours, no dithering: a quarter of the bytes, under a unit of difference.
        small.quantize(64, dither=Image.Dither.NONE).save(path, optimize=True)
        if (story, variant, step) in README:
            PICTURES.mkdir(parents=True, exist_ok=True)
            # As a reader sees it, footer and all.
            full = page.screenshot(animations="disabled") if page is not None else png
            Image.open(io.BytesIO(full)).save(
                PICTURES / f"{story}-{variant}-{step:02d}.png", optimize=True
            )
        return None
    if not path.is_file():
        return f"no golden picture {path.relative_to(ROOT)}; make them with ./dev goldens"
    golden = np.asarray(Image.open(path).convert("RGB")).astype(int)
    now = np.asarray(small).astype(int)
    if golden.shape != now.shape:
        return f"{path.name}: the picture is {now.shape[1]}x{now.shape[0]}, the golden one {golden.shape[1]}x{golden.shape[0]}"
    difference = np.abs(golden - now)
    mean = float(difference.mean())
    far = float((difference.max(axis=2) > FAR).mean())
    if mean > MEAN_TOLERANCE or far > FAR_SHARE:
        return (
            f"{path.name} looks different from its golden picture (mean difference {mean:.2f}, "
            f"{far:.1%} of pixels far off); if the change is meant, run ./dev goldens and review the pictures"
        )
    return None
