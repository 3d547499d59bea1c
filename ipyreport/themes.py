"""Brand themes: a story's palette, type, colours, logo and cover slides.

A :class:`Theme` is a dict, a YAML or JSON file, or one of the themes that
ship with ipyreport (``"boardroom"``, light; ``"midnight"``, dark). It
builds on the light or dark defaults (``base``) and sets what a brand sets:
the palette categories are coloured from, the font (a system font stack,
or a font file of your own, embedded in the export so it stays offline),
the background, text and accent colours, a logo shown in a corner, and an
optional title slide and closing slide. The story document carries the
resolved theme (``brand``), so the HTML player, the notebook widget, the
PDF and the video apply it the same way.

>>> boardroom = theme_of("boardroom")
>>> boardroom.base, boardroom.palette[:2]
('light', ('#0F4C81', '#C2610E'))
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypedDict

import yaml

from ipyreport._access import Access
from ipyreport._colors import palette_of
from ipyreport._errors import SpecError, StepError, closest
from ipyreport._yaml import MAX_DEPTH, check_shape

__all__ = ["BASES", "BRAND_THEMES", "Brand", "Theme", "theme_of"]

BASES = ("auto", "light", "dark")
# The light and dark defaults' colours, which the player (look.js, written from
# these by ipyreport._twins), the PDF and the PowerPoint deck all use.
INK = {"light": "#1d2430", "dark": "#e8ecf2"}
# Quieter text (axes, legends, subtitles), still 4.5:1 or more on the background.
SOFT_INK = {"light": "#4a5568", "dark": "#b4bfcc"}
BACKGROUND = {"light": "#ffffff", "dark": "#14181f"}
# A slate that reads as ink, not as any category.
PLAIN_MARKS = {"light": "#5b6b7f", "dark": "#9aa8ba"}
_FONT_TYPES = {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".otf": "font/otf"}
_IMAGE_TYPES = {
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
MAX_ASSET_BYTES = 2_000_000  # a logo or a font, embedded in every file
EMBEDDED_FONT = "ipyreport-brand"  # the family a font file is known by when the theme names none


@dataclass(frozen=True)
class Cover:
    """A title or closing slide: large title, a line under it."""

    title: str
    subtitle: str | None = None


@dataclass(frozen=True)
class Theme:
    """How a story looks: palette, type, colours, logo and cover slides.

    Every field is optional; a theme builds on the light or dark defaults
    (``base``). Pass one as ``Story(theme=...)``, or name a file or a shipped
    theme there (see :func:`theme_of`).

    Parameters
    ----------
    name : str, default "custom"
        How messages and the document name the theme.
    base : {"light", "dark", "auto"}, default "light"
        The defaults it builds on (``"auto"`` follows the viewer's preference).
    palette : tuple of str, default ()
        The colours categories are coloured from, in order (CSS colours).
    font : str, optional
        A CSS font list, such as ``'Georgia, serif'``.
    font_file : str, optional
        A ``.woff2``, ``.woff``, ``.ttf`` or ``.otf`` file, embedded in every
        export so it stays offline (relative to the theme file when it comes
        from one).
    background : str, optional
        The page and chart background colour.
    foreground : str, optional
        The text colour.
    accent : str, optional
        The colour of the player's focus rings, pressed buttons and progress bar.
    logo : str, optional
        A ``.png``, ``.svg`` or ``.jpg`` shown in a corner, embedded too.
    title_slide : bool, str or mapping, optional
        A title slide before the first: ``True`` (the story's title), its
        title as text, or ``{title, subtitle}``.
    closing_slide : bool, str or mapping, optional
        A closing slide after the last: ``True`` ("Thank you"), text, or
        ``{title, subtitle}``.
    folder : Path, default Path()
        The folder ``font_file`` and ``logo`` are relative to.
    access : Access, default Access.everything()
        Which files the logo and font may come from: a spec's theme reads only
        where the spec may read.

    Raises
    ------
    StepError
        When ``base`` is unknown, a colour is not a CSS colour, or ``font`` is
        not a font list; the error's ``field`` is ``"theme"``.

    Examples
    --------
    >>> theme = Theme(name="acme", palette=("#0F4C81", "#C2610E"), title_slide="Q3 in numbers")
    >>> theme.base, theme.palette
    ('light', ('#0F4C81', '#C2610E'))
    >>> Theme(base="sepia")
    Traceback (most recent call last):
    ...
    ipyreport._errors.StepError: theme 'custom': base is one of auto, light, dark, got 'sepia'
    """

    name: str = "custom"
    base: str = "light"
    palette: tuple[str, ...] = ()
    font: str | None = None
    font_file: str | None = None
    background: str | None = None
    foreground: str | None = None
    accent: str | None = None
    logo: str | None = None
    title_slide: Any = None
    closing_slide: Any = None
    folder: Path = field(default=Path(), compare=False, repr=False)
    # Which files the logo and font may come from: a spec's theme reads only
    # where the spec may read (its folder and --allow-path), links resolved.
    access: Access = field(default_factory=Access.everything, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.base not in BASES:
            msg = f"theme {self.name!r}: base is one of {', '.join(BASES)}, got {self.base!r}"
            raise StepError(msg, field="theme")
        if self.palette:
            object.__setattr__(
                self,
                "palette",
                tuple(palette_of(list(self.palette), f"theme {self.name!r}: palette")),
            )
        for name in ("background", "foreground", "accent"):
            value = getattr(self, name)
            if value is not None:
                palette_of([value], f"theme {self.name!r}: {name}")
        if self.font is not None and (
            not isinstance(self.font, str) or any(c in self.font for c in ";{}<>")
        ):
            msg = f"theme {self.name!r}: font is a CSS font list such as 'Georgia, serif', got {self.font!r}"
            raise StepError(msg, field="theme")


class Brand(TypedDict):
    """A theme as the document carries it: everything a player needs, files embedded."""

    name: str
    base: str
    palette: list[str]
    font: str | None
    fontFace: str | None  # a data: URL of the font file
    background: str | None
    foreground: str | None
    accent: str | None
    logo: str | None  # a data: URL
    titleSlide: dict[str, str | None] | None
    closingSlide: dict[str, str | None] | None


BRAND_THEMES: dict[str, Theme] = {
    # Quiet and legible on a projector: off-white, ink-blue type, a calm palette.
    "boardroom": Theme(
        name="boardroom",
        base="light",
        palette=(
            "#0F4C81",
            "#C2610E",
            "#23877B",
            "#C8553D",
            "#6C5B7B",
            "#5B8A4B",
            "#9A7611",
            "#577590",
            "#B56576",
            "#3F7E7C",
        ),
        font='"Segoe UI", "Helvetica Neue", Helvetica, Arial, sans-serif',
        background="#FBFAF7",
        foreground="#1F2A37",
        accent="#0F4C81",
    ),
    # For viewers who need the strongest contrast: black on white, deep marks
    # (every colour 6.5:1 or more against the page, so text could use them too).
    "high-contrast": Theme(
        name="high-contrast",
        base="light",
        palette=(
            "#0B3D91",
            "#B22222",
            "#006400",
            "#6A0DAD",
            "#8B4500",
            "#00607A",
            "#A0005A",
            "#4B4B00",
        ),
        font='"Atkinson Hyperlegible", "Verdana", "Segoe UI", Arial, sans-serif',
        background="#FFFFFF",
        foreground="#000000",
        accent="#0B3D91",
    ),
    # For dark rooms and screens: deep navy, bright but balanced marks.
    "midnight": Theme(
        name="midnight",
        base="dark",
        palette=(
            "#4CC9F0",
            "#F77F00",
            "#B5E48C",
            "#F72585",
            "#9B5DE5",
            "#FFD166",
            "#06D6A0",
            "#EF476F",
            "#8ECAE6",
            "#90BE6D",
        ),
        font='"Inter", "Segoe UI", "Helvetica Neue", Arial, sans-serif',
        background="#0B1320",
        foreground="#E6EDF3",
        accent="#FFD166",
    ),
}


def theme_of(value: Any, *, access: Access | None = None) -> Theme:
    """A :class:`Theme` from itself, a mapping, a shipped theme's name, or a ``.yaml``/``.json`` file.

    The shipped themes are ``"boardroom"`` (light), ``"high-contrast"`` and
    ``"midnight"`` (dark).

    Parameters
    ----------
    value : Theme, mapping, str or os.PathLike
        The theme, its fields, a shipped theme's name, or a theme file.
    access : Access, optional
        The folders a theme file may embed its logo and font from (a spec's
        folders); by default any file, as for a theme a user writes in their
        own notebook.

    Returns
    -------
    Theme
        The theme, its files checked but not yet read.

    Raises
    ------
    StepError
        When the file is missing or not valid YAML or JSON, a field is
        unknown or wrong, or ``value`` is none of the above; the message
        names the fix.

    Examples
    --------
    >>> theme_of("midnight").base
    'dark'
    >>> theme_of({"palette": ["#123456"], "accent": "#abcdef"}).palette
    ('#123456',)
    >>> theme_of("boardrom")
    Traceback (most recent call last):
    ...
    ipyreport._errors.StepError: theme is one of auto, light, dark, boardroom, high-contrast, midnight, a Theme, a mapping or a .yaml/.json file, got 'boardrom' (did you mean 'boardroom'?)
    """
    if isinstance(value, Theme):
        return value
    access = Access.everything() if access is None else access
    if isinstance(value, Mapping):
        return _from_mapping(value, Path(), "custom", access)
    if isinstance(value, str) and value in BRAND_THEMES:
        return BRAND_THEMES[value]
    path = Path(str(value))
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        if not path.is_file():
            msg = f"theme file {str(path)!r} does not exist"
            raise StepError(msg, field="theme")
        try:
            text = path.read_text(encoding="utf-8")
            if path.suffix.lower() == ".json":
                loaded = json.loads(text)
            else:
                check_shape(text, str(path), "theme", syntax=False)
                loaded = yaml.safe_load(text)
        except SpecError as error:
            raise StepError(str(error), field="theme") from None
        except RecursionError:
            msg = f"theme file {str(path)!r} nests too deeply to read; no theme needs more than {MAX_DEPTH} levels"
            raise StepError(msg, field="theme") from None
        except (ValueError, yaml.YAMLError) as error:
            msg = f"theme file {str(path)!r} is not valid {path.suffix[1:].upper()}: {error}"
            raise StepError(msg, field="theme") from None
        if not isinstance(loaded, Mapping):
            msg = f"theme file {str(path)!r} holds {type(loaded).__name__}; write a mapping of theme fields"
            raise StepError(msg, field="theme")
        return _from_mapping(loaded, path.parent, path.stem, access)
    known = [*BASES, *BRAND_THEMES]
    msg = f"theme is one of {', '.join(known)}, a Theme, a mapping or a .yaml/.json file, got {value!r}{closest(str(value), known)}"
    raise StepError(msg, field="theme")


def _from_mapping(value: Mapping[str, Any], folder: Path, name: str, access: Access) -> Theme:
    known = [f.name for f in fields(Theme) if f.name not in ("folder", "access")]
    for key in value:
        if key not in known:
            msg = f"theme {name!r}: no field {key!r}{closest(str(key), known)}; fields are {', '.join(known)}"
            raise StepError(msg, field="theme")
    values = dict(value)
    if "palette" in values:
        values["palette"] = tuple(palette_of(values["palette"], f"theme {name!r}: palette"))
    for key in ("name", "base", "font", "font_file", "background", "foreground", "accent", "logo"):
        if key in values and values[key] is not None and not isinstance(values[key], str):
            msg = f"theme {name!r}: {key} is text, got {type(values[key]).__name__} {values[key]!r:.60}"
            raise StepError(msg, field="theme")
    theme = Theme(**{"name": name, **values, "folder": folder, "access": access})
    for cover in ("title_slide", "closing_slide"):
        _cover(getattr(theme, cover), "", cover, name)  # refused now, not when exported
    for asset in ("font_file", "logo"):
        _asset_path(theme, asset)  # a file the theme may not read is refused now, not at export
    return theme


def _asset_path(theme: Theme, name: str) -> Path | None:
    """Where the theme's ``logo`` or ``font_file`` is, if the theme may read it."""
    value = getattr(theme, name)
    if value is None:
        return None
    path = Path(value) if Path(value).is_absolute() else theme.folder / value
    if not theme.access.allows(path):
        msg = (
            f"theme {theme.name!r}: {name} {value!r} lies outside the folders this spec may read "
            "(its own folder and those given with --allow-path; links are followed); "
            "copy the file next to the spec or pass --allow-path"
        )
        raise StepError(msg, field="theme")
    return path


def _embedded(theme: Theme, name: str, kinds: Mapping[str, str]) -> str | None:
    path = _asset_path(theme, name)
    if path is None:
        return None
    value = getattr(theme, name)
    kind = kinds.get(path.suffix.lower())
    if kind is None:
        msg = f"theme {theme.name!r}: {name} {value!r} must be one of {', '.join(kinds)}"
        raise StepError(msg, field="theme")
    if not path.is_file():
        msg = f"theme {theme.name!r}: {name} {str(path)!r} does not exist"
        raise StepError(msg, field="theme")
    data = path.read_bytes()
    if len(data) > MAX_ASSET_BYTES:
        msg = f"theme {theme.name!r}: {name} {str(path)!r} is {len(data):,} bytes; every exported file carries it, so keep it under {MAX_ASSET_BYTES:,}"
        raise StepError(msg, field="theme")
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _cover(value: Any, default: str, what: str, name: str) -> dict[str, str | None] | None:
    if value in (None, False):
        return None
    if value is True:
        return {"title": default, "subtitle": None}
    if isinstance(value, str):
        return {"title": value, "subtitle": None}
    if isinstance(value, Mapping) and set(value) <= {"title", "subtitle"}:
        for key in ("title", "subtitle"):
            if value.get(key) is not None and not isinstance(value[key], str):
                msg = f"theme {name!r}: {what}.{key} is text, got {type(value[key]).__name__} {value[key]!r:.60}"
                raise StepError(msg, field="theme")
        cover = Cover(**value) if "title" in value else Cover(default, value.get("subtitle"))
        return {"title": cover.title, "subtitle": cover.subtitle}
    msg = f"theme {name!r}: {what} is true, a title, or {{title, subtitle}}, got {value!r}"
    raise StepError(msg, field="theme")


def font_family(theme: Theme) -> str | None:
    """The CSS font list the theme's text uses (a font file's own family first)."""
    if theme.font_file and not theme.font:
        return f'"{EMBEDDED_FONT}", sans-serif'
    return theme.font


def brand(theme: Theme, story_title: str | None) -> Brand:
    """The theme as the document carries it, its files read and embedded."""
    return {
        "name": theme.name,
        "base": theme.base,
        "palette": list(theme.palette),
        "font": font_family(theme),
        "fontFace": _embedded(theme, "font_file", _FONT_TYPES),
        "background": theme.background,
        "foreground": theme.foreground,
        "accent": theme.accent,
        "logo": _embedded(theme, "logo", _IMAGE_TYPES),
        "titleSlide": _cover(theme.title_slide, story_title or "", "title_slide", theme.name),
        "closingSlide": _cover(theme.closing_slide, "Thank you", "closing_slide", theme.name),
    }


def engine_style(theme: Theme) -> dict[str, Any]:
    """The Vizzu style a theme sets (under the story's own style)."""
    style: dict[str, Any] = {}
    if theme.background:
        style["backgroundColor"] = theme.background
    if font_family(theme):
        style["fontFamily"] = font_family(theme)
    if theme.foreground:
        ink = {"color": theme.foreground}
        style["title"] = ink
        style["subtitle"] = ink
        style["legend"] = {"title": ink, "label": ink}
        axis = {"label": ink, "title": ink}
        style["plot"] = {"xAxis": axis, "yAxis": axis}
    if theme.palette:
        style.setdefault("plot", {})["marker"] = {"colorPalette": " ".join(theme.palette)}
    return style
