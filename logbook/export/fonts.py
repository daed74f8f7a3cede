"""The TrueType fonts every exported page and chart is set in (embedded, never Helvetica).

The fonts ship in ``resources/fonts`` with their licence (DejaVu, Bitstream Vera licence).
ReportLab keeps registered fonts process-wide, so registering twice is harmless and cheap.
Fingerprints and hashes are set in the monospaced face: a reviewer reads them out character by
character, and every character then takes the same room.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from logbook.resources import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
CONDENSED = "DejaVuSansCondensed"
CONDENSED_BOLD = "DejaVuSansCondensed-Bold"
MONO = "DejaVuSansMono"

# The family name people's computers know, for SVG copies of the charts shown in the app.
CSS_FAMILY = "DejaVu Sans"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    CONDENSED: "DejaVuSansCondensed.ttf",
    CONDENSED_BOLD: "DejaVuSansCondensed-Bold.ttf",
    MONO: "DejaVuSansMono.ttf",
}


@dataclass(frozen=True)
class FontSet:
    """Names of the registered fonts, to use in styles and drawings."""

    regular: str = REGULAR
    bold: str = BOLD
    italic: str = ITALIC
    bold_italic: str = BOLD_ITALIC
    condensed: str = CONDENSED
    condensed_bold: str = CONDENSED_BOLD
    mono: str = MONO


def font_file(name: str) -> Path:
    """The shipped TrueType file of a font name above."""
    return resource_path("fonts", _FILES[name])


@cache
def register_fonts() -> FontSet:
    """Register the shipped fonts with ReportLab (once per process) and return their names.

    Raises:
        FileNotFoundError: a font file is missing from the installation.
    """
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name in _FILES:
        path = font_file(name)
        if not path.is_file():
            raise FileNotFoundError(f"The PDF font {path.name} is missing (looked for {path})")
        font = TTFont(name, str(path))
        _mend_advances(font.face.hmetrics)
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
    )
    # Paragraph markup (<b>, <i>) inside condensed table cells resolves through this mapping.
    addMapping(CONDENSED, 0, 0, CONDENSED)
    addMapping(CONDENSED, 1, 0, CONDENSED_BOLD)
    addMapping(CONDENSED, 0, 1, CONDENSED)
    addMapping(CONDENSED, 1, 1, CONDENSED_BOLD)
    return FontSet()


def _mend_advances(hmetrics: list[tuple[float, int]]) -> None:
    """Give glyphs listed after a font's full metrics their advance in font units.

    ReportLab reads those glyphs' advance already scaled to 1000 units per em and writes it
    unscaled into the embedded subset, so in a font such as DejaVu Sans Mono (whose glyphs
    share one advance) the embedded widths disagree with the PDF's, which PDF/A forbids. Its
    own widths are integers; the scaled ones are not.
    """
    raw = next((advance for advance, _ in reversed(hmetrics) if isinstance(advance, int)), None)
    if raw is None:
        return
    for index, (advance, bearing) in enumerate(hmetrics):
        if not isinstance(advance, int):
            hmetrics[index] = (raw, bearing)
