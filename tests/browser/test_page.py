"""A slide as a graphics desk's page: the headline (the finding), the dek under it in lighter
type, the chart, then a quiet source line at its foot; none of them over the chart or the
controls, on a phone and on wide screens, light and dark."""

import pytest

from ipyreport import presets, samples
from ipyreport.story import Slide, Story

from .pages import RECORD_TEXTS, fonts_at_rest, wait_ready

SIZES = [(390, 844), (1280, 720), (1920, 1080)]


def story() -> Story:
    return Story(
        samples.sales(),
        title="Sales",
        formats={"Revenue": "$"},
        source="Company ledger, 2022 to 2024",
        slides=[
            Slide(
                presets.chart(kind="column", x="Region", y="Revenue", title="Revenue by region"),
                title="{Region.top} brings the most revenue",
                dek="{Region.top} sells {sum(Revenue, Region=Region.top)} of {sum(Revenue)}.",
            ),
            Slide(
                presets.chart(kind="bar", x="Channel", y="Revenue"),
                title="Channels",
                source="Channel reports",
            ),
        ],
    )


# Each part of the page as drawn: its box, its type, whether it shows.
_PAGE = """() => {
  const root = document.getElementById('ipyreport');
  const part = (name) => {
    const element = root.querySelector(name);
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return {
      text: element.textContent,
      shown: !element.hidden && style.display !== 'none' && style.visibility !== 'hidden' && box.height > 0,
      top: box.top, bottom: box.bottom, left: box.left, right: box.right,
      size: parseFloat(style.fontSize), weight: Number(style.fontWeight), family: style.fontFamily,
    };
  };
  return {
    title: part('.ipyreport-title'), dek: part('.ipyreport-dek'), source: part('.ipyreport-source'),
    chart: part('.ipyreport-chart'), controls: part('.ipyreport-controls'),
  };
}"""


def _open(open_file, tmp_path, size, scheme):
    path = story().save_html(tmp_path / "page.html")
    watch = open_file(path, reduced_motion="reduce", size=size, color_scheme=scheme)
    page = watch.page
    page.add_init_script(RECORD_TEXTS)
    page.reload()
    wait_ready(page)
    return watch, page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_headline_dek_chart_and_source_line_stack_without_overlapping(
    open_file, tmp_path, size, scheme
):
    watch, page = _open(open_file, tmp_path, size, scheme)
    drawn = page.evaluate(_PAGE)
    title, dek, source, chart, controls = (
        drawn[name] for name in ("title", "dek", "source", "chart", "controls")
    )
    data = samples.sales()
    totals = data.to_pandas().groupby("Region")["Revenue"].sum()
    top = totals.idxmax()
    assert title["text"] == f"{top} brings the most revenue"
    assert dek["text"].startswith(f"{top} sells $")
    assert source["text"] == "Source: Company ledger, 2022 to 2024"
    for name, part in (("dek", dek), ("source", source)):
        assert part["shown"], f"the {name} is not shown"
    # Stacked, top to bottom: headline, dek, chart, source line, controls.
    assert title["bottom"] <= dek["top"] + 0.5
    assert dek["bottom"] <= chart["top"] + 0.5
    assert chart["bottom"] <= source["top"] + 0.5
    assert source["bottom"] <= controls["top"] + 0.5
    assert source["bottom"] <= size[1]
    # The headline is loudest, the dek lighter and smaller in the same family, the source quietest.
    assert title["size"] > dek["size"] > source["size"]
    assert title["weight"] > dek["weight"]
    assert dek["family"] == title["family"] == source["family"]
    # The chart's own title is drawn smaller than the dek under the headline.
    chart_title = [px for text, px in fonts_at_rest(page) if text == "Revenue by region"]
    assert chart_title, "the chart's title was not drawn"
    assert max(chart_title) < dek["size"]
    # A slide's own source wins over the story's; a slide with no dek shows none.
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.ipyreport-title').textContent === 'Channels'"
    )
    again = page.evaluate(_PAGE)
    assert again["source"]["text"] == "Source: Channel reports"
    assert not again["dek"]["shown"]
    assert watch.errors == []
