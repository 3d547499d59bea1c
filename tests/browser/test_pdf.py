"""PDF handouts: a page per slide (or step), real text, sharp non-blank charts, tables."""

import io
import json

import pytest
from PIL import Image
from pypdf import PdfReader

from ipyreport import Dashboard, Slide, Story, encode, presets, samples
from ipyreport.cli import main
from ipyreport.export.pdf import HANDOUT_CSS, _table
from ipyreport.formats import Display

SALES = encode(samples.sales())


def story():
    return Story(
        SALES,
        title="Handout",
        slides=[
            Slide(
                presets.morph(SALES, ["column", "pie"], x="Region", y="Revenue"),
                title="Revenue by region",
                notes="Say hello.",
            ),
            Slide(
                presets.chart(kind="bar", x="Country", y="Revenue", color="Region", data=SALES),
                title="By country",
            ),
        ],
    )


def ink(image_bytes):
    picture = Image.open(io.BytesIO(image_bytes)).convert("L")
    dark = sum(1 for value in picture.get_flattened_data() if value < 246)
    return dark / (picture.width * picture.height)


@pytest.mark.parametrize(
    ("per", "titles"),
    [
        ("slide", ["Revenue by region", "By country"]),
        ("step", ["Revenue by region", "Revenue by region", "By country"]),
    ],
)
def test_handout_has_a_page_per_slide_or_step_and_an_appendix(tmp_path, per, titles):
    steps = per == "step"
    path = story().save_pdf(tmp_path / "handout.pdf", per=per)
    reader = PdfReader(path)
    texts = [page.extract_text() for page in reader.pages]
    slide_pages = len(titles)
    for text, title in zip(texts, titles, strict=False):
        assert text.startswith(title)
    assert "Say hello." in texts[0]
    appendix = "\n".join(texts[slide_pages:])
    assert texts[slide_pages].startswith("Data behind the charts")
    assert "Americas" in appendix
    assert "United States" in appendix
    # A page per slide shows both steps of the morph, the column and the pie.
    pictures = [len(page.images) for page in reader.pages[:slide_pages]]
    assert pictures == ([1, 1, 1] if steps else [2, 1])
    for page in reader.pages[:slide_pages]:
        for image in page.images:
            assert ink(image.data) > 0.02
            assert image.image.width >= 1500  # drawn at twice the page's resolution
    assert all(not page.images for page in reader.pages[slide_pages:])


def test_a4_pages_are_a4_landscape(tmp_path):
    path = story().save_pdf(tmp_path / "a4.pdf", page="A4")
    box = PdfReader(path).pages[0].mediabox
    # 297 x 210 mm is 841.9 x 595.3 pt; Chromium rounds to whole CSS pixels.
    assert float(box.width) == pytest.approx(841.9, abs=1)
    assert float(box.height) == pytest.approx(595.3, abs=1)


def test_cli_build_writes_the_pdf_next_to_the_html_and_says_how_it_was_made(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    spec = tmp_path / "s.yaml"
    spec.write_text(
        "params: {region: Europe}\ndata: {sample: sales}\nslides:\n  - title: One\n    steps:\n      - chart: {kind: column, x: Region, y: Revenue}\n"
    )
    assert main(["build", str(spec), "--pdf", "-q", "--set", "params.region=Africa"]) == 0
    pages = PdfReader(tmp_path / "s.pdf").pages
    assert len(pages) == 2
    page = (tmp_path / "s.html").read_text()
    digest = page.split('"rows":6420,"sha256":"')[1][:12]
    assert " ".join(pages[-1].extract_text().split()).endswith(
        f"Made with ipyreport from s.yaml (region=Africa), data sha256 {digest}, "
        "built 2026-01-01T00:00:00Z."
    )


def test_a_dashboard_page_shows_all_its_charts_and_a_table_for_each(tmp_path):
    board = Story(
        SALES,
        slides=[
            Dashboard(
                presets.chart(kind="line", x="Month", y="Revenue"),
                presets.chart(kind="column", x="Region", y="Revenue"),
                presets.chart(kind="pie", x="Product", y="Units"),
                title="Overview",
                notes="Three views.",
                columns=3,
            )
        ],
    )
    reader = PdfReader(board.save_pdf(tmp_path / "board.pdf", per="slide"))
    first = reader.pages[0]
    assert first.extract_text().startswith("Overview")
    assert "Three views." in first.extract_text()
    (image,) = first.images
    picture = image.image.convert("L")
    # Ink in each third of the page's width: three charts side by side, none cut off.
    third = picture.width // 3
    for number in range(3):
        cell = picture.crop((number * third, 0, (number + 1) * third, picture.height))
        buffer = io.BytesIO()
        cell.save(buffer, format="PNG")
        assert ink(buffer.getvalue()) > 0.02, f"chart {number + 1} is blank on the page"
    appendix = "\n".join(page.extract_text() for page in reader.pages[1:])
    for heading in ("Chart 1", "Chart 2", "Chart 3", "Americas", "Accessories"):
        assert heading in appendix


def test_a_pinned_build_time_makes_the_pdf_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first = story().save_pdf(tmp_path / "a.pdf").read_bytes()
    second = story().save_pdf(tmp_path / "b.pdf").read_bytes()
    assert first == second
    metadata = PdfReader(tmp_path / "a.pdf").metadata
    assert metadata["/CreationDate"] == metadata["/ModDate"] == "D:20260101000000+00'00'"


def refused_document():
    document = json.loads(story().to_json())
    document["slides"][1]["steps"][0]["config"]["channels"]["y"]["set"] = ["NoSuchSeries"]
    return json.dumps(document).encode()


def test_a_step_the_engine_refuses_stops_the_pdf_and_the_video_with_its_reason(tmp_path):
    from ipyreport.export.pdf import save_pdf
    from ipyreport.export.video import save_video

    reason = "could not be drawn: This step could not be drawn (error: dataframe error: series not found: NoSuchSeries)"
    with pytest.raises(
        RuntimeError, match=r"slide 2, step 1 " + reason.replace("(", r"\(").replace(")", r"\)")
    ):
        save_pdf(refused_document(), tmp_path / "refused.pdf")
    assert not (tmp_path / "refused.pdf").exists()
    with pytest.raises(RuntimeError, match=r"step 3 of the story could not be drawn"):
        save_video(refused_document(), tmp_path / "refused.mp4", fps=5, size=(640, 360), hold=0.2)


def test_a_highlight_note_is_printed_on_its_page(tmp_path):
    story = Story(
        SALES,
        slides=[
            Slide(
                presets.chart(kind="column", x="Region", y="Revenue"),
                presets.highlight(where={"Region": "Europe"}, note="Europe came second"),
            )
        ],
        formats={"Revenue": "$"},
    )
    path = story.save_pdf(tmp_path / "notes.pdf")
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]
    assert "Europe came second" in pages[1]
    # The text alternative stays the pictures' own (for screen readers), not printed.
    assert "Highlighted" not in " ".join(pages)
    assert "A bar chart" not in " ".join(pages)
    assert "$237.2M" in pages[-1]  # the appendix table reads numbers in the story's format


def drill_down():
    steps = presets.zoom(
        SALES, levels=["Region", "Country", "Product"], path=["Europe", "Germany"], y="Revenue"
    )
    notes = "The regions first. Then Europe. Then Germany. And back up."
    return Story(SALES, slides=[Slide(*steps, title="Europe up close", notes=notes)])


def test_a_drill_down_prints_each_view_it_moves_through_once_each_under_its_own_sentence(
    tmp_path,
):
    # Down to Germany and back up: five steps, three views.
    assert len(json.loads(drill_down().to_json())["slides"][0]["steps"]) == 5
    reader = PdfReader(drill_down().save_pdf(tmp_path / "steps.pdf"))
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert texts[:3] == [
        "Europe up close (step 1 of 5) The regions first.",
        "Europe up close (step 2 of 5) Then Europe.",
        # The way back up prints no page; its sentence joins the last one printed.
        "Europe up close (step 3 of 5) Then Germany. And back up.",
    ]
    assert texts[3].startswith("Data behind the charts")
    assert [len(page.images) for page in reader.pages[:3]] == [1, 1, 1]
    pictures = {page.images[0].data for page in reader.pages[:3]}
    assert len(pictures) == 3  # the world, Europe and Germany: three different pictures


def test_a_page_per_slide_is_a_strip_of_the_views_each_under_its_own_sentence(tmp_path):
    reader = PdfReader(drill_down().save_pdf(tmp_path / "slide.pdf", per="slide"))
    first = reader.pages[0]
    assert len(first.images) == 3
    text = " ".join(first.extract_text().split())
    assert text.startswith("Europe up close")
    for sentence in ("The regions first.", "Then Europe.", "Then Germany. And back up."):
        assert text.count(sentence) == 1
    assert text.index("The regions first.") < text.index("Then Europe.") < text.index("Germany.")


def test_a_table_reads_its_headers_over_their_numbers_and_no_bold_first_column():
    contents = json.loads(story().to_json())
    table = _table(contents["slides"][0]["steps"][0]["table"], Display.of(contents))
    assert table.startswith(
        '<table><thead><tr><th scope="col">Region</th><th scope="col" class="number">Revenue</th>'
    )
    assert '<tr><th scope="row">Americas</th><td class="number">' in table
    assert ".number {{ text-align: right;" in HANDOUT_CSS
    assert "font-weight: normal" in HANDOUT_CSS.split("thead th")[0]


def test_a_handout_says_what_it_is_and_how_it_was_made_and_can_be_checked_for_fresh_data(
    tmp_path, capsys
):
    (tmp_path / "sales.csv").write_text("Region,Revenue\nEurope,10\nAsia,3\nAsia,4\n")
    spec = tmp_path / "story.yaml"
    spec.write_text(
        "title: 'Revenue in ${params.region}'\n"
        "params: {region: Europe}\n"
        "data: {sql: \"select * from 'sales.csv' where Region = ${params.region}\"}\n"
        "slides: [{steps: [{chart: {kind: column, x: Region, y: Revenue}}]}]\n"
    )
    out = tmp_path / "deck.html"
    argv = ["build", str(spec), "-q", "-o", str(out), "--pdf", "--set", "params.region=Asia"]
    assert main(argv) == 0
    handout = out.with_suffix(".pdf")
    made = json.loads(out.read_text().split('id="ipyreport-story">')[1].split("</script>")[0])
    provenance = made["provenance"]
    info = PdfReader(handout).metadata
    assert info["/Title"] == "Revenue in Asia"
    assert info["/Keywords"] == "region=Asia"
    assert info["/Subject"] == (
        f"Made with ipyreport from story.yaml (region=Asia), data sha256 "
        f"{provenance['data']['sha256'][:12]}, built {provenance['built']}."
    )
    assert json.loads(info["/IpyreportProvenance"]) == provenance
    assert len(PdfReader(handout).pages) == 2  # the slide and the data appendix: nothing lost
    capsys.readouterr()
    assert main(["build", "--check-fresh", str(handout)]) == 0
    assert capsys.readouterr().out.startswith(f"{handout}: fresh")
    (tmp_path / "sales.csv").write_text("Region,Revenue\nEurope,10\nAsia,3\nAsia,5\n")
    assert main(["build", "--check-fresh", str(handout)]) == 1
    assert capsys.readouterr().out.startswith(f"{handout}: data changed since it was built on ")
