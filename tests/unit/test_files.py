"""Outputs are written whole: readers see the old file or the new one, never a part."""

import threading

import pytest

from ipyreport import Slide, Story, presets, samples
from ipyreport._files import replacing, write_atomic


def test_a_failed_write_leaves_the_old_file_and_no_part_behind(tmp_path):
    target = tmp_path / "deck.pptx"
    target.write_bytes(b"old deck")

    def stopped_half_way() -> None:
        with replacing(target) as part:
            part.write_bytes(b"half a d")
            msg = "engine stopped"
            raise RuntimeError(msg)

    with pytest.raises(RuntimeError, match="engine stopped"):
        stopped_half_way()
    assert target.read_bytes() == b"old deck"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pptx"]


def test_the_part_keeps_the_suffix_tools_read_the_format_from(tmp_path):
    with replacing(tmp_path / "story.mp4") as part:
        assert part.parent == tmp_path
        assert part.suffix == ".mp4"
        part.write_bytes(b"frames")
    assert (tmp_path / "story.mp4").read_bytes() == b"frames"


def test_a_new_file_gets_ordinary_permissions(tmp_path):
    import os

    mask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.html", "<!doctype html>")
    finally:
        os.umask(mask)
    assert (tmp_path / "a.html").stat().st_mode & 0o777 == 0o644


def test_readers_never_see_a_part_of_a_story_being_saved_again_and_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the footer's minute is not a part
    sales = samples.sales()
    stories = [
        Story(sales, title=title, slides=[Slide(presets.chart(kind=kind, x="Region", y="Revenue"))])
        for title, kind in (("One", "column"), ("Two", "pie"))
    ]
    pages = {story.to_html() for story in stories}
    target = tmp_path / "story.html"
    stories[0].save_html(target)
    done = threading.Event()
    seen: list[str] = []

    def read() -> None:
        while not done.is_set():
            seen.append(target.read_text(encoding="utf-8"))

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    for round_ in range(30):
        stories[round_ % 2].save_html(target)
    done.set()
    for reader in readers:
        reader.join()
    assert len(seen) > 30
    assert {page in pages for page in seen} == {True}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.html"]
