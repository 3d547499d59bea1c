"""Brand themes: palette, type, colours, logo and cover slides, from Python, files and specs."""

import base64

import pytest

from ipyreport import Slide, StepError, Story, presets, samples
from ipyreport.spec import SpecError, build, loads
from ipyreport.themes import BRAND_THEMES

# The smallest PNG: one transparent pixel.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def story(theme, **options):
    slides = [Slide(presets.chart(kind="stacked_column", x="Channel", y="Revenue", color="Region"))]
    return Story(samples.sales(), title="Sales", slides=slides, theme=theme, **options)


@pytest.mark.parametrize("name", sorted(BRAND_THEMES))
def test_a_shipped_theme_sets_base_palette_type_and_colours(name):
    document = story(name).to_dict()
    theme = BRAND_THEMES[name]
    assert document["theme"] == theme.base
    assert document["brand"]["name"] == name
    assert document["style"]["backgroundColor"] == theme.background
    assert document["style"]["fontFamily"] == theme.font
    # Categories are coloured from the theme's palette.
    assert list(document["colors"]["Region"].values()) == list(theme.palette[:4])


def test_the_story_style_wins_over_the_theme():
    document = story("boardroom", style={"backgroundColor": "#000000"}).to_dict()
    assert document["style"]["backgroundColor"] == "#000000"
    assert document["style"]["fontFamily"] == BRAND_THEMES["boardroom"].font


def test_a_theme_file_embeds_its_logo_and_font(tmp_path):
    (tmp_path / "logo.png").write_bytes(PIXEL)
    (tmp_path / "brand.woff2").write_bytes(b"wOF2 not really a font")
    (tmp_path / "brand.yaml").write_text(
        "base: dark\npalette: ['#112233', '#445566']\nfont: '\"Acme\", sans-serif'\n"
        "font_file: brand.woff2\nlogo: logo.png\naccent: '#ffcc00'\n"
        "title_slide: {subtitle: Q4 review}\nclosing_slide: Questions?\n"
    )
    document = story(tmp_path / "brand.yaml").to_dict()
    brand = document["brand"]
    assert brand["name"] == "brand"
    assert brand["logo"] == "data:image/png;base64," + base64.b64encode(PIXEL).decode()
    assert brand["fontFace"].startswith("data:font/woff2;base64,")
    assert [(s.get("kind"), s["title"]) for s in document["slides"]] == [
        ("cover", "Sales"),
        (None, None),
        ("cover", "Questions?"),
    ]
    assert document["slides"][0]["subtitle"] == "Q4 review"
    assert document["slides"][0]["steps"][0]["alt"] == "Title slide: Sales. Q4 review."


@pytest.mark.parametrize(
    ("theme", "message"),
    [
        ("boardrom", "theme is one of auto, light, dark, boardroom, high-contrast, midnight"),
        ({"pallete": ["#111111"]}, "no field 'pallete' (did you mean 'palette'?)"),
        ({"palette": ["red-ish"]}, "'red-ish' is not a colour"),
        ({"base": "sepia"}, "base is one of auto, light, dark, got 'sepia'"),
        ({"logo": "missing.png"}, "logo 'missing.png' does not exist"),
        ({"logo": "logo.gif"}, "logo 'logo.gif' must be one of .png, .svg, .jpg, .jpeg"),
        ({"font": "x; }</style>"}, "font is a CSS font list such as 'Georgia, serif'"),
    ],
)
def test_a_wrong_theme_says_what_and_how_to_fix_it(theme, message):
    with pytest.raises(StepError) as caught:
        story(theme).to_dict()
    assert message in str(caught.value)


def test_a_spec_reads_a_theme_file_next_to_it_and_no_further(tmp_path):
    (tmp_path / "look.yaml").write_text("base: light\npalette: ['#0f4c81', '#e07a1f']\n")
    text = "data: {sample: sales}\ntheme: look.yaml\nslides:\n  - steps:\n      - chart: {kind: column, x: Region, y: Revenue}\n"
    document = build(loads(text, tmp_path / "s.yaml")).to_dict()
    assert document["brand"]["palette"] == ["#0f4c81", "#e07a1f"]
    outside = text.replace("look.yaml", "../look.yaml")
    with pytest.raises(SpecError, match="is outside the spec's folder"):
        build(loads(outside, tmp_path / "inner" / "s.yaml"))


def test_a_themed_document_with_covers_keeps_to_the_schema(tmp_path):
    import jsonschema

    from ipyreport.document import schema

    (tmp_path / "logo.png").write_bytes(PIXEL)
    theme = {
        "base": "dark",
        "logo": str(tmp_path / "logo.png"),
        "title_slide": True,
        "closing_slide": True,
    }
    jsonschema.validate(story(theme).to_dict(), schema())


SPEC_WITH_THEME = "data: {sample: sales}\ntheme: look.yaml\nslides:\n  - steps:\n      - chart: {kind: column, x: Region, y: Revenue}\n"


@pytest.mark.parametrize("field", ["logo", "font_file"])
@pytest.mark.parametrize("how", ["symlink", "parent", "absolute"])
def test_a_spec_theme_embeds_no_file_from_outside_the_spec_folder(tmp_path, field, how):
    spec_folder = tmp_path / "spec"
    spec_folder.mkdir()
    secret = tmp_path / ("secret.png" if field == "logo" else "secret.woff2")
    secret.write_bytes(b"root:x:0:0:root:/root:/bin/bash\n")
    if how == "symlink":
        (spec_folder / secret.name).symlink_to(secret)
        value = secret.name
    elif how == "parent":
        value = f"../{secret.name}"
    else:
        value = str(secret)
    (spec_folder / "look.yaml").write_text(f"base: light\n{field}: '{value}'\n")
    loaded = loads(SPEC_WITH_THEME, spec_folder / "s.yaml")
    with pytest.raises(SpecError) as raised:
        build(loaded)
    message = str(raised.value)
    assert f"{field} {value!r} lies outside the folders this spec may read" in message
    assert "--allow-path" in message
    assert message.count("\n") == 0


def test_a_spec_theme_may_embed_a_file_from_an_allowed_folder(tmp_path):
    from ipyreport.spec import Access

    spec_folder, brand = tmp_path / "spec", tmp_path / "brand"
    spec_folder.mkdir()
    brand.mkdir()
    (brand / "logo.png").write_bytes(PIXEL)
    (spec_folder / "look.yaml").write_text(f"base: light\nlogo: '{brand / 'logo.png'}'\n")
    loaded = loads(SPEC_WITH_THEME, spec_folder / "s.yaml")
    allowed = Access.for_spec(loaded.path, folders=[brand])
    document = build(loaded, access=allowed).to_dict()
    assert document["brand"]["logo"] == "data:image/png;base64," + base64.b64encode(PIXEL).decode()


@pytest.mark.parametrize("field", ["title_slide", "logo", "font", "background"])
def test_a_theme_field_of_the_wrong_type_is_refused_at_once(tmp_path, field):
    (tmp_path / "look.yaml").write_text(f"base: light\n{field}: [1, 2]\n")
    if field == "title_slide":
        with pytest.raises(SpecError, match="title_slide is true, a title, or"):
            build(loads(SPEC_WITH_THEME, tmp_path / "s.yaml")).to_dict()
        return
    with pytest.raises(SpecError, match=f"{field} is text, got list"):
        build(loads(SPEC_WITH_THEME, tmp_path / "s.yaml"))
