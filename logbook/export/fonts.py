"""The TrueType fonts every exported page and chart is set in (embedded, never Helvetica).

The fonts ship in ``resources/fonts`` with their licences: DejaVu (Bitstream Vera licence) for
everything, and two fallback faces for the characters DejaVu lacks, Droid Sans Fallback
(Chinese, Japanese and Korean; Apache 2.0) and Noto Emoji (monochrome emoji; SIL OFL 1.1).
ReportLab keeps registered fonts process-wide, so registering twice is harmless and cheap.
Fingerprints and hashes are set in the monospaced face: a reviewer reads them out character by
character, and every character then takes the same room.

ReportLab has no font fallback of its own, so each DejaVu face is a :class:`FallbackFont`: a
TrueType font that hands the runs of characters it lacks to the first fallback face that has
them, both when text is measured and when it is written into the page. Every piece of text,
whether a paragraph, a table cell or a chart label, passes through those two places, so a
name in Chinese or an emoji in a reflection prints in the fallback face wherever it appears,
and lines, columns and right-aligned figures are measured with the widths actually printed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from reportlab.lib.rl_accel import instanceStringWidthTTF
from reportlab.pdfbase.ttfonts import TTFont

from logbook.resources import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
CONDENSED = "DejaVuSansCondensed"
CONDENSED_BOLD = "DejaVuSansCondensed-Bold"
MONO = "DejaVuSansMono"
CJK = "DroidSansFallback"
EMOJI = "NotoEmoji"
# Tried in this order for a character the face in use lacks.
FALLBACKS = (CJK, EMOJI)

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
    CJK: "DroidSansFallback.ttf",
    EMOJI: "NotoEmoji-Regular.ttf",
}
# A fallback face's subsets are numbered from here, apart from the main face's own (a face
# has a few hundred subsets at most).
_SUBSET_SPAN = 1 << 20


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


class FallbackFont(TTFont):  # type: ignore[misc]
    """A TrueType face whose missing characters are set in fallback faces.

    Text is cut into runs, each in the first face that has all its characters: this one, else
    the fallbacks in order (a character no face has stays in this one). Measuring adds up the
    runs' widths in their own faces; writing gives each run the subsets of its own face, whose
    numbers are offset so that ReportLab's text writer, which switches font whenever the subset
    changes, switches to the fallback face and back.

    Args:
        name: The name the font is registered under.
        filename: Its TrueType file.
        fallbacks: The faces to try, in order, for what this one lacks.
    """

    def __init__(self, name: str, filename: str, fallbacks: Sequence[TTFont]) -> None:
        super().__init__(name, filename)
        self.fallbacks = tuple(fallbacks)
        _mend_advances(self.face.hmetrics)
        self.lacks_any = _lacking_search(self.face.charToGlyph)

    def runs(self, text: str) -> list[tuple[int, str]]:
        """``text`` cut into runs of one face each: (0 for this face, or 1 + the index of the
        fallback, the run)."""
        if text.isascii() or self.lacks_any(text) is None:
            return [(0, text)]
        runs: list[tuple[int, list[str]]] = []
        for char in text:
            face = self._face_of(ord(char))
            if runs and runs[-1][0] == face:
                runs[-1][1].append(char)
            else:
                runs.append((face, [char]))
        return [(face, "".join(chars)) for face, chars in runs]

    def _face_of(self, code: int) -> int:
        if code in self.face.charToGlyph:
            return 0
        for index, fallback in enumerate(self.fallbacks, 1):
            if code in fallback.face.charToGlyph:
                return index
        return 0

    def stringWidth(self, text: str | bytes, size: float, encoding: str = "utf8") -> float:
        """The width of ``text`` at ``size`` points, each run measured in the face it prints in."""
        # Layout measures text all the time: text this face has all of costs one C-level check.
        if text.isascii() or (isinstance(text, str) and self.lacks_any(text) is None):
            return float(instanceStringWidthTTF(self, text, size, encoding))
        if isinstance(text, bytes):
            text = text.decode(encoding)
        width = 0.0
        for face, run in self.runs(text):
            font = self if face == 0 else self.fallbacks[face - 1]
            width += float(instanceStringWidthTTF(font, run, size, encoding))
        return width

    def splitString(self, text: str | bytes, doc: Any, encoding: str = "utf-8") -> list[Any]:
        """``text`` as (subset, codes) pieces, as ReportLab writes text: the runs this face
        lacks in the subsets of their fallback face."""
        if text.isascii() or (isinstance(text, str) and self.lacks_any(text) is None):
            return list(super().splitString(text, doc, encoding))
        if isinstance(text, bytes):
            text = text.decode(encoding)
        pieces: list[Any] = []
        for face, run in self.runs(text):
            if face == 0:
                pieces += super().splitString(run, doc, encoding)
            else:
                fallback = self.fallbacks[face - 1]
                offset = face * _SUBSET_SPAN
                pieces += [
                    (offset + subset, codes)
                    for subset, codes in fallback.splitString(run, doc, encoding)
                ]
        return pieces

    def getSubsetInternalName(self, subset: int, doc: Any) -> str:
        """The PDF name of a subset: of this face, or of the fallback face it is offset to."""
        face, own = divmod(subset, _SUBSET_SPAN)
        if face == 0:
            return str(super().getSubsetInternalName(subset, doc))
        return str(self.fallbacks[face - 1].getSubsetInternalName(own, doc))


def _lacking_search(char_to_glyph: dict[int, int]) -> Callable[[str], re.Match[str] | None]:
    """A search for the first character of a text that is not in ``char_to_glyph`` (the
    face's cmap), as one compiled character class: most text has none, and the regular
    expression engine finds that out without a Python loop over the characters."""
    codes = sorted(char_to_glyph)
    if not codes:
        return re.compile(".", re.DOTALL).search
    ranges: list[str] = []
    start = previous = codes[0]
    for code in [*codes[1:], -1]:
        if code == previous + 1:
            previous = code
            continue
        ranges.append(
            re.escape(chr(start))
            if start == previous
            else f"{re.escape(chr(start))}-{re.escape(chr(previous))}"
        )
        start = previous = code
    return re.compile(f"[^{''.join(ranges)}]").search


@cache
def register_fonts() -> FontSet:
    """Register the shipped fonts with ReportLab (once per process) and return their names.

    Raises:
        FileNotFoundError: a font file is missing from the installation.
    """
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics

    for name in _FILES:
        path = font_file(name)
        if not path.is_file():
            raise FileNotFoundError(f"The PDF font {path.name} is missing (looked for {path})")
    fallbacks = []
    for name in FALLBACKS:
        fallback = TTFont(name, str(font_file(name)))
        _mend_advances(fallback.face.hmetrics)
        pdfmetrics.registerFont(fallback)
        # A fallback face has no bold or italic of its own; markup asking for one gets it.
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)
        fallbacks.append(fallback)
    for name in _FILES:
        if name not in FALLBACKS:
            pdfmetrics.registerFont(FallbackFont(name, str(font_file(name)), fallbacks))
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
