"""The page machinery every layout shares: styles, page frame, headings, contents, long tables.

The document is laid out in a single pass. "Page x of y" and the page numbers in the contents
are PDF form objects drawn where they belong and defined once the page count is known, so no
second layout pass is needed (a second pass would double the time of a long portfolio). Long
logs are :class:`PagedTable` flowables that cut themselves into one table per page with fixed
column widths and a repeated header; one table of thousands of rows would split in quadratic
time.

The document is a tagged PDF (see :mod:`logbook.export.tagging`): its frames mark what they
place, its tables say how they read, the page furniture is marked as artifacts, and the file
written is the one with its structure tree. Text is set at 9 points or more everywhere, tables
in the condensed face, which keeps a log's columns on a portrait page.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import IO, Any

from reportlab.graphics.barcode.qr import QrCode as BaseQrCode
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from logbook.export import fonts
from logbook.export.data import Cancelled, ExportCancelled, Progress
from logbook.export.structure_tree import write_structure_with
from logbook.export.tagging import Element, TableTags, TaggedFrame, Tags, tags_of

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = RIGHT = 18 * mm
TOP = 24 * mm
BOTTOM = 20 * mm
FRAME_WIDTH = PAGE_WIDTH - LEFT - RIGHT
FRAME_HEIGHT = PAGE_HEIGHT - TOP - BOTTOM

NAVY = colors.HexColor("#1F3A5F")
ACCENT = colors.HexColor("#2A6F97")
INK = colors.HexColor("#1F2A36")
MUTED = colors.HexColor("#5B6770")
RULE = colors.HexColor("#C5CDD5")
ZEBRA = colors.HexColor("#F2F5F8")
PALE = colors.HexColor("#E8EEF4")
WARNING = colors.HexColor("#9B2C1F")
WARNING_BG = colors.HexColor("#FBEDEA")
MET = colors.HexColor("#2E6B3F")
NOT_MET = colors.HexColor("#9B2C1F")

TABLE_FONT_SIZE = 9.0
FURNITURE_FONT_SIZE = 9.0
FINGERPRINT_LABEL = "Document fingerprint "
SHORT_COLUMN = 64.0
TABLE_LEADING = 11.0
CELL_PAD = 2.6


# --- styles ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Styles:
    """Paragraph styles of every layout, all in the embedded font."""

    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    cover_kicker: ParagraphStyle
    cover_title: ParagraphStyle
    cover_name: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    contents_1: ParagraphStyle
    contents_2: ParagraphStyle
    notice: ParagraphStyle


def make_styles() -> Styles:
    """The paragraph styles every layout uses, registering the embedded fonts first."""
    fonts.register_fonts()
    # 9 points is the least any text is set in; secondary text keeps that size and is set apart
    # by its tighter leading and its colour instead.
    body = ParagraphStyle(
        "body", fontName=fonts.REGULAR, fontSize=9, leading=12.6, textColor=INK, alignment=TA_LEFT
    )
    return Styles(
        body=body,
        small=ParagraphStyle("small", body, fontSize=9, leading=11.5),
        muted=ParagraphStyle("muted", body, fontSize=9, leading=11.5, textColor=MUTED),
        h1=ParagraphStyle(
            "h1",
            body,
            fontName=fonts.BOLD,
            fontSize=15,
            leading=19,
            textColor=NAVY,
            spaceBefore=0,
            spaceAfter=8,
        ),
        h2=ParagraphStyle(
            "h2",
            body,
            fontName=fonts.BOLD,
            fontSize=11.5,
            leading=14.5,
            textColor=NAVY,
            spaceBefore=10,
            spaceAfter=5,
        ),
        h3=ParagraphStyle(
            "h3", body, fontName=fonts.BOLD, fontSize=10, leading=12.5, spaceBefore=6, spaceAfter=3
        ),
        cover_kicker=ParagraphStyle(
            "kicker", body, fontName=fonts.BOLD, fontSize=9, leading=12, textColor=ACCENT
        ),
        cover_title=ParagraphStyle(
            "cover_title", body, fontName=fonts.BOLD, fontSize=26, leading=31, textColor=NAVY
        ),
        cover_name=ParagraphStyle("cover_name", body, fontSize=15, leading=20, textColor=INK),
        cell=ParagraphStyle(
            "cell", body, fontName=fonts.CONDENSED, fontSize=TABLE_FONT_SIZE, leading=TABLE_LEADING
        ),
        cell_bold=ParagraphStyle(
            "cell_bold",
            body,
            fontName=fonts.CONDENSED_BOLD,
            fontSize=TABLE_FONT_SIZE,
            leading=TABLE_LEADING,
        ),
        contents_1=ParagraphStyle("contents_1", body, fontName=fonts.BOLD, fontSize=9.5),
        contents_2=ParagraphStyle("contents_2", body, fontSize=9, leftIndent=14),
        notice=ParagraphStyle("notice", body, fontSize=9, leading=12),
    )


def table_style(commands: Sequence[tuple[Any, ...]]) -> TableStyle:
    """A table style that starts from the embedded font.

    ReportLab's tables select Helvetica for every cell before drawing it, even for Paragraph
    cells, which would put a non-embedded font into the file.
    """
    return TableStyle([("FONT", (0, 0), (-1, -1), fonts.REGULAR, 9), *commands])


def escape(text: str) -> str:
    """Text made safe for Paragraph markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(markup: str) -> str:
    """The text that :func:`escape` made ``markup`` from."""
    return markup.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# --- web addresses -----------------------------------------------------------------------------

# A web address may break after "/", "?", "&", "-" or "." where the next part starts (so never
# inside "//" or a word).
_URL_BREAK = re.compile(r"(?<=[/?&.\-])(?=[^/?&.\-])")
_URL_IN_MARKUP = re.compile(r"https?://[^\s<>\"']+")


def url_lines(url: str, width: float, font: str, size: float) -> list[str]:
    """``url`` cut into lines no wider than ``width`` points, each break after "/", "?", "&",
    "-" or "." before the next part; only a part wider than a whole line is cut inside."""
    lines: list[str] = []
    line = ""
    for part in _URL_BREAK.split(url):
        if line and stringWidth(line + part, font, size) > width:
            lines.append(line)
            line = ""
        line += part
        while len(line) > 1 and stringWidth(line, font, size) > width:
            cut = _fitting_prefix(line, font, size, width)
            lines.append(line[:cut])
            line = line[cut:]
    return [*lines, line]


def break_urls(markup: str, width: float, font: str, size: float) -> str:
    """Paragraph ``markup`` with each web address in it set as lines of :func:`url_lines`.

    ReportLab would otherwise cut an address that does not fit a line after whichever
    character reaches the edge, in the middle of a word.
    """

    def lines(match: re.Match[str]) -> str:
        found = url_lines(unescape(match[0]), width, font, size)
        return "<br/>".join(escape(line) for line in found)

    return _URL_IN_MARKUP.sub(lines, markup)


def with_urls_broken(cell: Any, width: float) -> Any:
    """A table cell's Paragraph with its web addresses broken for a column ``width`` points
    wide (inside the padding); any other cell as it is."""
    if not isinstance(cell, Paragraph) or "://" not in cell.text:
        return cell
    style = cell.style
    markup = break_urls(cell.text, width - 2 * CELL_PAD, style.fontName, style.fontSize)
    return Paragraph(markup, style)


# --- text in table cells -----------------------------------------------------------------------


def wrap_cell(text: str, width: float, font: str, size: float, max_lines: int = 30) -> list[str]:
    """Lines of ``text`` that fit ``width`` points (long words are broken, not overflowed).

    Cells are pre-wrapped plain strings rather than Paragraphs: a portfolio can hold tens of
    thousands of rows and a Paragraph per cell would dominate the build time.
    """
    if not text:
        return [""]
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        for line in _split_words(paragraph, font, size, width) or [""]:
            while stringWidth(line, font, size) > width and len(line) > 1:
                cut = _fitting_prefix(line, font, size, width)
                hyphen = line.rfind("-", 0, cut)
                if hyphen > 0:
                    cut = hyphen + 1
                lines.append(line[:cut])
                line = line[cut:]
            lines.append(line)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1].rstrip() + " …"]
    return lines


def _split_words(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken between words into lines no wider than ``width`` (a word wider than
    that on a line of its own), as ReportLab's ``simpleSplit`` breaks it; words are measured
    once each, since a log repeats the same words row after row."""
    space = _word_width(" ", font, size)
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for word in text.split():
        wide = _word_width(word, font, size)
        if line and used + space + wide > width:
            lines.append(" ".join(line))
            line, used = [word], wide
        else:
            used += space + wide if line else wide
            line.append(word)
    if line:
        lines.append(" ".join(line))
    return lines


@lru_cache(maxsize=1 << 16)
def _word_width(text: str, font: str, size: float) -> float:
    """The width of a word (or a cell's whole text), remembered: logs repeat them."""
    return float(stringWidth(text, font, size))


@lru_cache(maxsize=1 << 14)
def _wrapped_cell(text: str, width: float, face: str, max_lines: int) -> tuple[str, int]:
    """A log cell's text wrapped to ``width`` (as its lines joined, and how many), remembered:
    a log repeats the same organisations, settings and themes row after row."""
    lines = wrap_cell(text, width, face, TABLE_FONT_SIZE, max_lines)
    return "\n".join(lines), len(lines)


def _fitting_prefix(text: str, font: str, size: float, width: float) -> int:
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle], font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return low


# --- long tables -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a log table.

    Attributes:
        title: Header text.
        width: Width in points (the table's widths should add up to the frame width).
        value: The cell text of one row object.
        align: "LEFT", "RIGHT" or "CENTRE".
        bold: Set in the bold condensed face.
        max_lines: Longer text is cut with an ellipsis so a row never outgrows a page.
    """

    title: str
    width: float
    value: Callable[[Any], str]
    align: str = "LEFT"
    bold: bool = False
    max_lines: int = 30


def scale_columns(columns: Sequence[Column], width: float = FRAME_WIDTH) -> list[Column]:
    """The columns with their widths scaled to fill ``width`` exactly."""
    total = sum(c.width for c in columns)
    return [
        Column(c.title, c.width * width / total, c.value, c.align, c.bold, c.max_lines)
        for c in columns
    ]


def fit_columns(
    columns: Sequence[Column], rows: Sequence[Any], width: float = FRAME_WIDTH, sample: int = 400
) -> list[Column]:
    """Column widths that fit the content, filling ``width`` exactly.

    A column whose widest cell (in a sample of rows) fits within its share keeps that natural
    width; the room left goes to the columns that must wrap, in proportion to their weights
    (``Column.width``). Headers take one line when the widths allow, two at most, and no
    column gets narrower than the longest word of its header; a column that must wrap is kept
    as wide as its longest word where the room allows it (see :func:`_whole_words`). The
    widths are fixed for the whole table, so every page of a long log lines up.
    """
    step = max(1, len(rows) // sample)
    picked = rows[::step]
    natural: list[float] = []
    one_line: list[float] = []
    floor: list[float] = []
    words: list[float] = []
    samples: list[list[str]] = []
    for column in columns:
        face = fonts.CONDENSED_BOLD if column.bold else fonts.CONDENSED
        values = [column.value(row) for row in picked]
        samples.append(values)
        widest = max(
            (_word_width(line, face, TABLE_FONT_SIZE) for v in values for line in v.split("\n")),
            default=0.0,
        )
        longest_word = max(
            (_word_width(word, face, TABLE_FONT_SIZE) for v in values for word in v.split()),
            default=0.0,
        )
        # A header may take two lines, never more, and never breaks inside a word.
        header = max(
            stringWidth(column.title, fonts.CONDENSED_BOLD, TABLE_FONT_SIZE) / 2 + 4,
            *(
                stringWidth(word, fonts.CONDENSED_BOLD, TABLE_FONT_SIZE)
                for word in column.title.split() or [""]
            ),
        )
        natural.append(max(widest, header) + 2 * CELL_PAD + 0.5)
        title = stringWidth(column.title, fonts.CONDENSED_BOLD, TABLE_FONT_SIZE)
        one_line.append(max(widest, title) + 2 * CELL_PAD + 0.5)
        floor.append(header + 2 * CELL_PAD + 0.5)
        words.append(max(longest_word, header) + 2 * CELL_PAD + 0.5)
    if sum(natural) <= width:
        # Headers read best on one line: the widest columns' first, while everything fits (a
        # figure column's unit reads well enough under its name).
        for i in sorted(range(len(columns)), key=lambda i: -columns[i].width):
            if sum(natural) - natural[i] + one_line[i] <= width:
                natural[i] = one_line[i]
        extra = width - sum(natural)
        weights = sum(c.width for c in columns)
        sizes = [n + extra * c.width / weights for n, c in zip(natural, columns, strict=True)]
    else:
        fixed: dict[int, float] = {}
        while True:
            free = [i for i in range(len(columns)) if i not in fixed]
            room = width - sum(fixed.values())
            weights = sum(columns[i].width for i in free) or 1.0
            # Short columns (dates, figures, names) are never wrapped if they can help it.
            settled = {
                i: natural[i]
                for i in free
                if natural[i] <= max(SHORT_COLUMN, room * columns[i].width / weights)
            }
            if not settled:
                break
            fixed.update(settled)
        sizes = _share_room(
            columns, fixed, _whole_words(columns, fixed, floor, words, width), width
        )
        sizes = _uncut(columns, sizes, natural, words, samples)
    return [
        Column(c.title, size, c.value, c.align, c.bold, c.max_lines)
        for c, size in zip(columns, sizes, strict=True)
    ]


def _whole_words(
    columns: Sequence[Column],
    fixed: dict[int, float],
    floor: Sequence[float],
    words: Sequence[float],
    width: float,
) -> list[float]:
    """The floors of the columns that must wrap, each raised to the width of its longest word
    while the others can still have their floors: name columns (bold) first, then by weight.

    A word cut in two is harder to read than a line wrapped between words, and a name or title
    cut in two is the hardest; a column that cannot have its longest word whole still wraps it.
    """
    floors = list(floor)
    room = width - sum(fixed.values())
    free = [i for i in range(len(columns)) if i not in fixed]
    for i in sorted(free, key=lambda i: (not columns[i].bold, -columns[i].width)):
        wanted = max(floors[i], words[i])
        if sum(floors[j] for j in free if j != i) + wanted <= room:
            floors[i] = wanted
    return floors


def _uncut(
    columns: Sequence[Column],
    sizes: Sequence[float],
    natural: Sequence[float],
    words: Sequence[float],
    samples: Sequence[Sequence[str]],
) -> list[float]:
    """``sizes`` with each column whose sampled text would be cut (more lines than its
    ``max_lines``) widened as far as it needs, with width that text columns can spare without
    cutting a word; short columns (dates, figures) keep theirs.

    Weights suit the usual text of a column; an unusually long entry (a reason for signing in
    another's place) should still print whole when the table has room for it elsewhere.
    """
    sizes = list(sizes)
    for i, column in enumerate(columns):
        face = fonts.CONDENSED_BOLD if column.bold else fonts.CONDENSED
        cut = [v for v in samples[i] if _line_count(v, sizes[i], face) > column.max_lines]
        if not cut:
            continue
        slack = {
            j: sizes[j] - words[j]
            for j in range(len(columns))
            if j != i and natural[j] > SHORT_COLUMN and sizes[j] > words[j]
        }
        spare = sum(slack.values())
        if spare <= 0:
            continue
        low, high = sizes[i], sizes[i] + spare
        for _ in range(12):
            middle = (low + high) / 2
            if all(_line_count(v, middle, face) <= column.max_lines for v in cut):
                high = middle
            else:
                low = middle
        taken = high - sizes[i]
        for j, room in slack.items():
            sizes[j] -= taken * room / spare
        sizes[i] = high
    return sizes


def _line_count(text: str, width: float, face: str) -> int:
    """The lines ``text`` takes in a column ``width`` points wide (with its padding)."""
    return len(wrap_cell(text, width - 2 * CELL_PAD, face, TABLE_FONT_SIZE, max_lines=10**6))


def _share_room(
    columns: Sequence[Column], fixed: dict[int, float], floor: Sequence[float], width: float
) -> list[float]:
    """Widths for the columns that must wrap, sharing what ``fixed`` leaves of ``width`` by
    weight, none below its floor; the columns that need not wrap keep their width unless the
    floors leave no room for it, when every column gives up the same share."""
    sizes = dict(fixed)
    free = [i for i in range(len(columns)) if i not in fixed]
    while free:
        room = width - sum(sizes.values())
        weights = sum(columns[i].width for i in free) or 1.0
        share = {i: room * columns[i].width / weights for i in free}
        floored = [i for i in free if floor[i] > share[i]]
        if not floored:
            sizes.update(share)
            break
        sizes.update((i, floor[i]) for i in floored)
        free = [i for i in free if i not in floored]
    ordered = [sizes[i] for i in range(len(columns))]
    scale = min(1.0, width / sum(ordered))
    return [size * scale for size in ordered]


class PagedTable(Flowable):  # type: ignore[misc]
    """Rows laid out as one table per page, each with the header row repeated.

    Cell text is wrapped once up front, so every row height is known and a page's worth of
    rows is found by bisection over running heights: laying out N rows costs O(N) in total.
    The tables it draws mark their own cells (one structure element for the whole log).

    Args:
        columns: Column definitions (widths already fitted to the frame).
        rows: Row objects; each column's ``value`` turns one into cell text.
        row_styles: Extra table style commands per row index (e.g. a flagged gap row).
    """

    marks_itself = True

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Any],
        row_styles: dict[int, list[tuple[Any, ...]]] | None = None,
        *,
        _shared: _TableBody | None = None,
        _start: int = 0,
    ) -> None:
        super().__init__()
        self.body = _shared or _TableBody.build(columns, rows, row_styles or {})
        self.start = _start
        self.end = len(self.body.cells)

    @property
    def row_count(self) -> int:
        """Rows still to be laid out from here, which the progress report counts."""
        return self.end - self.start

    def _height(self, start: int, end: int) -> float:
        prefix = self.body.prefix
        return self.body.header_height + prefix[end] - prefix[start]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """The size of the remaining rows with their header, whatever the room offered."""
        self.width = self.body.width
        self.height = self._height(self.start, self.end)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """The rows that fit in ``available_height`` as one table, then the rest still to place.

        Returns:
            The tables to place: [] when not even one row fits, so the table starts on the
            next page.
        """
        prefix = self.body.prefix
        room = available_height - self.body.header_height
        end = bisect_right(prefix, prefix[self.start] + room + 0.01) - 1
        if end <= self.start:
            return []  # not even one row fits here: start on the next page
        if end >= self.end:
            return [_TablePart(self.body, self.start, self.end)]
        return [
            _TablePart(self.body, self.start, end),
            PagedTable((), (), _shared=self.body, _start=end),
        ]

    def draw(self) -> None:
        """Draw the remaining rows as one table (ReportLab calls this once they fit)."""
        self.body.draw(self.canv, self.start, self.end)


# What a log's row may ask for of its own look (see _TableBody._row_look).
ROW_LOOKS = frozenset({"BACKGROUND", "TEXTCOLOR", "FONT", "LINEABOVE"})
# The looks of the rows of a page, each by style command name.
Looks = Sequence[dict[str, tuple[Any, ...]]]


class _TablePart(Flowable):  # type: ignore[misc]
    """One page's rows of a :class:`PagedTable`, under the header row."""

    marks_itself = True

    def __init__(self, body: _TableBody, start: int, end: int) -> None:
        super().__init__()
        self.body, self.start, self.end = body, start, end
        self.row_count = end - start

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        prefix = self.body.prefix
        self.width = self.body.width
        self.height = self.body.header_height + prefix[self.end] - prefix[self.start]
        return self.width, self.height

    def draw(self) -> None:
        self.body.draw(self.canv, self.start, self.end)


@dataclass
class _TableBody:
    columns: list[Column]
    header: list[str]
    cells: list[list[str]]
    heights: list[float]
    prefix: list[float]
    header_height: float
    row_styles: dict[int, list[tuple[Any, ...]]]
    width: float
    faces: list[str] = field(default_factory=list)
    # The log's Table element in the structure tree of the document drawing it: one for the
    # whole log, whose header cells are those of its first page.
    _element: tuple[Tags, Element] | None = None

    @classmethod
    def build(
        cls,
        columns: Sequence[Column],
        rows: Sequence[Any],
        row_styles: dict[int, list[tuple[Any, ...]]],
    ) -> _TableBody:
        cols = list(columns)
        inner = [c.width - 2 * CELL_PAD for c in cols]
        faces = [fonts.CONDENSED_BOLD if c.bold else fonts.CONDENSED for c in cols]
        header_lines = [
            wrap_cell(c.title, w, fonts.CONDENSED_BOLD, TABLE_FONT_SIZE, 3)
            for c, w in zip(cols, inner, strict=True)
        ]
        header = ["\n".join(lines) for lines in header_lines]
        header_height = max(len(lines) for lines in header_lines) * TABLE_LEADING + 2 * CELL_PAD
        cells: list[list[str]] = []
        heights: list[float] = []
        prefix = [0.0]
        for row in rows:
            texts, most = [], 1
            for column, width, face in zip(cols, inner, faces, strict=True):
                value = column.value(row)
                if (
                    "\n" not in value and _word_width(value, face, TABLE_FONT_SIZE) <= width
                ) or not value:
                    texts.append(value)
                    continue
                text, count = _wrapped_cell(value, width, face, column.max_lines)
                most = max(most, count)
                texts.append(text)
            height = most * TABLE_LEADING + 2 * CELL_PAD
            cells.append(texts)
            heights.append(height)
            prefix.append(prefix[-1] + height)
        return cls(
            cols,
            header,
            cells,
            heights,
            prefix,
            header_height,
            row_styles,
            sum(c.width for c in cols),
            faces,
        )

    def draw(self, canvas: Canvas, start: int, end: int) -> None:
        """Draw the header and rows ``start`` to ``end`` with the top left at (0, height).

        Drawn directly rather than as a ReportLab table: a long log is tens of thousands of
        cells, and a table's per-cell machinery (a style object, a text object and two
        callbacks per cell) cost more than the text itself. Each cell's text is one text
        object, marked as the table cell it is.
        """
        tags = tags_of(canvas)
        table = self._table_element(tags)
        heights = [self.header_height, *self.heights[start:end]]
        tops = [self.header_height + self.prefix[end] - self.prefix[start]]
        for height in heights:
            tops.append(tops[-1] - height)
        looks = [self._row_look(index) for index in range(start, end)]
        canvas.saveState()
        with _artifact(tags, canvas):
            self._draw_backgrounds(canvas, looks, tops)
        first_part = table is not None and not table.kids
        header_cells = Element("TR") if first_part else None
        with nullcontext() if first_part or tags is None else tags.artifact(canvas, "Pagination"):
            self._draw_row(
                canvas,
                tags,
                header_cells,
                self.header,
                tops[0],
                colors.white,
                fonts.CONDENSED_BOLD,
                header=True,
            )
        if table is not None and header_cells is not None:
            table.kids.append(header_cells)
        for offset, index in enumerate(range(start, end), 1):
            row = Element("TR") if table is not None else None
            if table is not None and row is not None:
                table.kids.append(row)
            look = looks[offset - 1]
            (colour,) = look.get("TEXTCOLOR", (INK,))
            face = look.get("FONT", (None,))[0]
            self._draw_row(canvas, tags, row, self.cells[index], tops[offset], colour, face)
        with _artifact(tags, canvas):
            self._draw_rules(canvas, looks, tops)
        canvas.restoreState()

    def _table_element(self, tags: Tags | None) -> Element | None:
        if tags is None:
            return None
        if self._element is None or self._element[0] is not tags:
            self._element = (tags, tags.add("Table"))
        return self._element[1]

    def _row_look(self, index: int) -> dict[str, tuple[Any, ...]]:
        """A row's own look (a flagged or total row): its style commands by name, each with
        its arguments: ``BACKGROUND`` colour, ``TEXTCOLOR`` colour, ``FONT`` face, and
        ``LINEABOVE`` width and colour."""
        look = {name: tuple(rest) for name, *rest in self.row_styles.get(index, ())}
        unknown = set(look) - ROW_LOOKS
        if unknown:
            raise ValueError(f"a log row cannot be styled with {', '.join(sorted(unknown))}")
        return look

    def _draw_backgrounds(self, canvas: Canvas, looks: Looks, tops: Sequence[float]) -> None:
        """The header's ground, then each row's own or its stripe (every other row)."""
        canvas.setFillColor(NAVY)
        canvas.rect(0, tops[1], self.width, tops[0] - tops[1], stroke=0, fill=1)
        for offset, look in enumerate(looks):
            (colour,) = look.get("BACKGROUND", (ZEBRA if offset % 2 else None,))
            if colour is not None:
                canvas.setFillColor(colour)
                top, bottom = tops[offset + 1], tops[offset + 2]
                canvas.rect(0, bottom, self.width, top - bottom, stroke=0, fill=1)

    def _draw_rules(self, canvas: Canvas, looks: Looks, tops: Sequence[float]) -> None:
        """A hairline under every row, and a row's own rule above it where it asks for one."""
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.25)
        for top in tops[1:]:
            canvas.line(0, top, self.width, top)
        for offset, look in enumerate(looks, 1):
            rule = look.get("LINEABOVE")
            if rule is not None:
                width, colour = rule
                canvas.setStrokeColor(colour)
                canvas.setLineWidth(width)
                canvas.line(0, tops[offset], self.width, tops[offset])

    def _draw_row(
        self,
        canvas: Canvas,
        tags: Tags | None,
        row: Element | None,
        texts: Sequence[str],
        top: float,
        colour: Any,
        face: str | None = None,
        *,
        header: bool = False,
    ) -> None:
        """One row's cells as one text object, in ``face`` or each column's own, each cell a
        ``TH`` (``header``) or ``TD`` element of ``row`` when marked."""
        baseline = top - (CELL_PAD - 0.6) - TABLE_FONT_SIZE
        most = max(text.count("\n") for text in texts) + 1
        baselines = [f"{baseline - line * TABLE_LEADING:.2f}" for line in range(most)]
        writer = _CellText.of(canvas)
        canvas.setFillColor(colour)
        code = canvas._code
        code.append("BT")
        writer.font = ""
        left = 0.0
        for column, own_face, text in zip(self.columns, self.faces, texts, strict=True):
            cell = None
            if row is not None and tags is not None:
                cell = (
                    Element("TH", attributes={"O": "Table", "Scope": "Column"})
                    if header
                    else Element("TD")
                )
                row.kids.append(cell)
                tags.begin(canvas, cell)
            if text:
                writer.lines(code, text, face or own_face, column, left, baselines)
            if cell is not None and tags is not None:
                tags.end(canvas)
            left += column.width
        code.append("ET")


@dataclass(frozen=True, slots=True)
class _PlacedLine:
    """A cell line's operators, but for its baseline: the font subset it starts in, the text
    matrix up to the baseline, the text (with any change of subset inside it), and the subset
    it ends in."""

    first_font: str
    matrix: str
    shown: str
    last_font: str


class _CellText:
    """Writes table cells' lines straight into a page's content, inside a text object.

    A long log prints tens of thousands of lines, most of them seen before in the same column
    (dates, settings, counts): each distinct line of a column is encoded (its font subsets and
    escaped codes), measured and placed once per document, and written without a text object
    per cell.
    """

    def __init__(self, canvas: Canvas) -> None:
        self.document = canvas._doc
        self.escape = canvas._escape
        self.size = f"{TABLE_FONT_SIZE:g}"
        self.placed: dict[tuple[str, str, float, float, str], _PlacedLine] = {}
        self.font = ""  # the font subset selected in the text object being written

    @classmethod
    def of(cls, canvas: Canvas) -> _CellText:
        """The writer of the document ``canvas`` draws (one per document: subsets are)."""
        writer: _CellText | None = vars(canvas).get("_cell_text")
        if writer is None:
            writer = vars(canvas)["_cell_text"] = cls(canvas)
        return writer

    def lines(
        self, code: list[str], text: str, face: str, column: Column, left: float, ys: list[str]
    ) -> None:
        """A cell's lines, aligned in its column as ``column.align`` says, on the baselines
        ``ys`` (already written as PDF numbers)."""
        placed = self.placed
        for line, y in zip(text.split("\n"), ys, strict=False):
            key = (face, line, left, column.width, column.align)
            found = placed.get(key) or self._place(key)
            if found.first_font != self.font:
                code.append(f"{found.first_font} {self.size} Tf")
            code.append(f"{found.matrix}{y} Tm {found.shown}")
            self.font = found.last_font

    def _place(self, key: tuple[str, str, float, float, str]) -> _PlacedLine:
        face, line, left, width, align = key
        font = getFont(face)
        pieces = [
            (font.getSubsetInternalName(subset, self.document), f"({self.escape(codes)}) Tj")
            for subset, codes in font.splitString(line, self.document)
        ] or [(font.getSubsetInternalName(0, self.document), "")]
        shown = [pieces[0][1]]
        for (previous, _), (subset, codes) in pairwise(pieces):
            shown.append(codes if subset == previous else f"{subset} {self.size} Tf {codes}")
        room = width - 2 * CELL_PAD - font.stringWidth(line, TABLE_FONT_SIZE)
        x = left + CELL_PAD + (room if align == "RIGHT" else 0 if align == "LEFT" else room / 2)
        found = _PlacedLine(pieces[0][0], f"1 0 0 1 {x:.2f} ", " ".join(shown), pieces[-1][0])
        self.placed[key] = found
        return found


def key_value_table(
    pairs: Sequence[tuple[str, str]], styles: Styles, label_width: float = 42 * mm
) -> Table:
    """A two-column table of labels and values (cover details, figures)."""
    data = [
        [
            Paragraph(escape(label), styles.cell_bold),
            Paragraph("<br/>".join(escape(line) for line in value.split("\n")), styles.body),
        ]
        for label, value in pairs
    ]
    table = Table(
        data,
        colWidths=[label_width, FRAME_WIDTH - label_width],
        hAlign="LEFT",
        renderCB=TableTags(header_columns=1),
    )
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


class QrCode(BaseQrCode):  # type: ignore[misc]
    """A QR code drawn as black squares straight onto the page (a phone reads it off paper)."""

    def draw(self) -> None:
        """Draw the code's dark modules in black, whatever colour the page was drawing in."""
        self.canv.setFillColor(colors.black)
        super().draw()


def qr_code(text: str, size: float, alt_text: str = "") -> QrCode:
    """A QR code of ``text``, ``size`` points square, described by ``alt_text`` for someone
    who cannot see it (by default, the text it holds)."""
    code = QrCode(text, width=size, height=size, qrLevel="M", qrBorder=2)
    code.alt_text = alt_text or f"QR code of {text}"
    return code


def figures_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    styles: Styles,
    *,
    total_row: bool = False,
    align_right_from: int = 1,
) -> Table:
    """A small table of figures (wrapping cells); the last row is bold when ``total_row``."""
    header_left = _header_style(styles)
    header_right = ParagraphStyle("header_right", header_left, alignment=2)
    plain_right = ParagraphStyle("cell_right", styles.cell, alignment=2)
    bold_right = ParagraphStyle("cell_bold_right", styles.cell_bold, alignment=2)

    def line(cells: Sequence[str], left: ParagraphStyle, right: ParagraphStyle) -> list[Any]:
        return [
            Paragraph(escape(cell), right if index >= align_right_from else left)
            for index, cell in enumerate(cells)
        ]

    data = [line(header, header_left, header_right)]
    for index, row in enumerate(rows):
        last = total_row and index == len(rows) - 1
        data.append(
            line(
                row, styles.cell_bold if last else styles.cell, bold_right if last else plain_right
            )
        )
    scale = FRAME_WIDTH / sum(widths)
    table = Table(
        data,
        colWidths=[w * scale for w in widths],
        repeatRows=1,
        hAlign="LEFT",
        renderCB=TableTags(1),
    )
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD - 0.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD + 0.6),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
    ]
    if total_row and rows:
        commands += [
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, NAVY),
            ("BACKGROUND", (0, -1), (-1, -1), PALE),
        ]
    table.setStyle(table_style(commands))
    return table


def _header_style(styles: Styles) -> ParagraphStyle:
    return ParagraphStyle("table_header", styles.cell_bold, textColor=colors.white)


# --- headings and contents ---------------------------------------------------------------------


_KEY = re.compile(r"[^A-Za-z0-9_]")


class Heading(Paragraph):  # type: ignore[misc]
    """A section heading that is bookmarked, put in the outline and listed in the contents."""

    def __init__(
        self, text: str, style: ParagraphStyle, key: str, level: int = 0, contents: bool = True
    ) -> None:
        super().__init__(escape(text), style)
        self.title = text
        self.key = _KEY.sub("_", key)
        self.level = level
        self.in_contents = contents


@dataclass(frozen=True)
class ContentsLine:
    """A heading as the contents lists it: its title, bookmark key and level (0 or 1)."""

    title: str
    key: str
    level: int


class ContentsEntry(Flowable):  # type: ignore[misc]
    """One line of the contents: title, dotted leader and the page number (a form object).

    The page number is drawn from a form defined when the document is finished, so the
    contents can come before the sections without a second layout pass. In the structure
    tree the line is an item of the contents list holding a link: its title, its page number
    and the link annotation; the leader dots are decoration.
    """

    marks_itself = True

    def __init__(self, line: ContentsLine, styles: Styles) -> None:
        super().__init__()
        self.line = line
        self.style = styles.contents_1 if line.level == 0 else styles.contents_2
        self.height_ = 17.0 if line.level == 0 else 14.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """The line takes the full width and a fixed height (taller for a section)."""
        self.width = available_width
        return available_width, self.height_

    def draw(self) -> None:
        """Draw the title (shortened to fit), the dotted leader and the page number, all one
        link to the heading."""
        canvas = self.canv
        tags = tags_of(canvas)
        link = tags.contents_link() if tags else None
        style = self.style
        indent = style.leftIndent
        baseline = 4.0
        text = self.line.title
        room = self.width - indent - 40
        while text and stringWidth(text, style.fontName, style.fontSize) > room:
            text = text[:-2] + "…"
        with _content_of(tags, canvas, link):
            canvas.setFont(style.fontName, style.fontSize)
            canvas.setFillColor(INK)
            canvas.drawString(indent, baseline, text)
        title_end = indent + stringWidth(text, style.fontName, style.fontSize) + 4
        with _artifact(tags, canvas):
            canvas.setFillColor(RULE)
            canvas.setFont(fonts.REGULAR, style.fontSize)
            dot = stringWidth(". ", fonts.REGULAR, style.fontSize)
            count = int((self.width - 26 - title_end) / dot)
            if count > 0:
                canvas.drawString(title_end, baseline, ". " * count)
        with _content_of(tags, canvas, link):
            canvas.saveState()
            canvas.translate(self.width, baseline)
            canvas.doForm(page_form_name(self.line.key))
            canvas.restoreState()
        area = (0.0, 0.0, self.width, self.height_ - 2)
        canvas.linkRect("", self.line.key, area, relative=1, thickness=0)
        if tags and link:
            tags.link(canvas, link, area, f"Go to {self.line.title}")


def _content_of(tags: Tags | None, canvas: Canvas, element: Element | None) -> Any:
    """What is drawn in the block is content of ``element`` (when the document is tagged)."""
    return tags.marked(canvas, element) if tags and element else nullcontext()


def _artifact(tags: Tags | None, canvas: Canvas, kind: str = "Layout", subtype: str = "") -> Any:
    """What is drawn in the block is an artifact (when the document is tagged)."""
    return tags.artifact(canvas, kind, subtype) if tags else nullcontext()


def page_form_name(key: str) -> str:
    """The name of the form that prints the page number of the heading with ``key``."""
    return f"plpage_{key}"


def footer_form_name(page: int) -> str:
    """The name of the form that prints "Page x of y" on page ``page``."""
    return f"plfooter_{page}"


# --- the document ------------------------------------------------------------------------------


@dataclass
class PageFrame:
    """What the running header and footer print.

    Attributes:
        document_id: The document fingerprint, printed in every footer ("" prints none).
    """

    document_title: str
    person: str
    document_id: str


class PortfolioCanvas(Canvas):  # type: ignore[misc]
    """A canvas that defines the deferred page-number forms before the file is written."""

    document: PortfolioDocument
    tags: Tags

    def save(self) -> None:
        """Define every page-number form, now the page count is known, then write the file."""
        document = self.document
        total = document.pages
        size = FURNITURE_FONT_SIZE
        for page in range(1, total + 1):
            self.beginForm(footer_form_name(page), -200, -4, 0, 12)
            self.setFont(fonts.CONDENSED, size)
            self.setFillColor(MUTED)
            self.drawRightString(0, 0, f"Page {page} of {total}")
            self.endForm()
        for key in document.contents_keys:
            page_number = document.heading_pages.get(key)
            self.beginForm(page_form_name(key), -60, -4, 0, 14)
            self.setFont(fonts.REGULAR, 9)
            self.setFillColor(INK)
            self.drawRightString(0, 0, str(page_number) if page_number else "–")
            self.endForm()
        super().save()


class PortfolioDocument(BaseDocTemplate):  # type: ignore[misc]
    """A4 document with a cover template and a body template with running header/footer,
    written as a tagged PDF.

    Args:
        output: File path or binary file object to write to (once the document is finished).
        frame: Header and footer texts.
        progress: Called as tables are laid out, with the fraction of rows done.
        cancelled: Polled between flowables; when it returns True the build stops.
        total_rows: Rows of every long table, to report progress against.
        first_template: "cover" for a portfolio, "body" for a compact document.
    """

    def __init__(
        self,
        output: str | IO[bytes],
        frame: PageFrame,
        *,
        title: str,
        author: str,
        subject: str,
        creator: str,
        keywords: Sequence[str] = (),
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
        total_rows: int = 0,
        invariant: bool = False,
        first_template: str = "cover",
    ) -> None:
        self.target = output
        self.buffer = io.BytesIO()
        self.tags = Tags()
        super().__init__(
            self.buffer,
            pagesize=A4,
            leftMargin=LEFT,
            rightMargin=RIGHT,
            topMargin=TOP,
            bottomMargin=BOTTOM,
            title=title,
            author=author,
            subject=subject,
            creator=creator,
            producer=creator,
            keywords=list(keywords),
            invariant=1 if invariant else 0,
            initialFontName=fonts.REGULAR,
            initialFontSize=9,
            lang="en-GB",
            displayDocTitle=1,
        )
        self.frame_info = frame
        self.progress = progress
        self.cancelled = cancelled
        self.total_rows = max(1, total_rows)
        self.rows_done = 0
        self.pages = 0
        self.heading_pages: dict[str, int] = {}
        self.contents_keys: list[str] = []
        body = TaggedFrame(LEFT, BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, id="body", showBoundary=0)
        cover = TaggedFrame(LEFT, BOTTOM, FRAME_WIDTH, FRAME_HEIGHT + 8 * mm, id="cover")
        templates = [
            PageTemplate(id="cover", frames=[cover], onPage=self._cover_page),
            PageTemplate(id="body", frames=[body], onPage=self._body_page),
        ]
        # The first template is the one the first page uses.
        templates.sort(key=lambda template: template.id != first_template)
        self.addPageTemplates(templates)

    # page furniture: artifacts, which a screen reader passes over

    @contextmanager
    def _furniture(self, canvas: Canvas, subtype: str) -> Iterator[None]:
        canvas.saveState()
        with _artifact(tags_of(canvas), canvas, "Pagination", subtype):
            yield
        canvas.restoreState()

    def _footer(self, canvas: Canvas) -> None:
        info = self.frame_info
        with self._furniture(canvas, "Footer"):
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.5)
            canvas.line(LEFT, BOTTOM - 8 * mm, PAGE_WIDTH - RIGHT, BOTTOM - 8 * mm)
            canvas.setFillColor(MUTED)
            if info.document_id:
                # The verification line: the fingerprint of the evidence inside, on every page
                # (condensed, so that it and the page number share the line at 9 points).
                canvas.setFont(fonts.CONDENSED, FURNITURE_FONT_SIZE)
                canvas.drawString(LEFT, BOTTOM - 12 * mm, FINGERPRINT_LABEL + info.document_id)
            canvas.translate(PAGE_WIDTH - RIGHT, BOTTOM - 12 * mm)
            canvas.doForm(footer_form_name(canvas.getPageNumber()))

    def _cover_page(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        with _artifact(tags_of(canvas), canvas):
            canvas.saveState()
            canvas.setFillColor(NAVY)
            canvas.rect(0, PAGE_HEIGHT - 9 * mm, PAGE_WIDTH, 9 * mm, stroke=0, fill=1)
            canvas.setFillColor(ACCENT)
            canvas.rect(0, PAGE_HEIGHT - 10.2 * mm, PAGE_WIDTH, 1.2 * mm, stroke=0, fill=1)
            canvas.restoreState()
        self._footer(canvas)

    def _body_page(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        info = self.frame_info
        with self._furniture(canvas, "Header"):
            canvas.setFont(fonts.BOLD, FURNITURE_FONT_SIZE)
            canvas.setFillColor(NAVY)
            y = PAGE_HEIGHT - TOP + 9 * mm
            canvas.drawString(LEFT, y, info.document_title)
            canvas.setFont(fonts.REGULAR, FURNITURE_FONT_SIZE)
            canvas.setFillColor(MUTED)
            canvas.drawRightString(PAGE_WIDTH - RIGHT, y, info.person)
            canvas.setStrokeColor(NAVY)
            canvas.setLineWidth(0.8)
            canvas.line(LEFT, y - 3.5, PAGE_WIDTH - RIGHT, y - 3.5)
        self._footer(canvas)

    # build hooks

    def afterPage(self) -> None:
        """Count the page just finished, so the page-number forms know the total."""
        self.pages = self.canv.getPageNumber()

    def afterFlowable(self, flowable: Flowable) -> None:
        """Bookmark each heading and note its page, report rows laid out, and stop when asked.

        Raises:
            ExportCancelled: ``cancelled`` returned True.
        """
        if isinstance(flowable, Heading):
            canvas = self.canv
            canvas.bookmarkPage(flowable.key)
            canvas.addOutlineEntry(flowable.title, flowable.key, flowable.level, closed=False)
            self.heading_pages.setdefault(flowable.key, canvas.getPageNumber())
        rows = getattr(flowable, "row_count", 0)
        if rows:
            self.rows_done += rows
            if self.progress:
                self.progress(min(1.0, self.rows_done / self.total_rows), "Laying out pages")
        if self.cancelled and self.cancelled():
            raise ExportCancelled()

    def build_story(self, story: list[Flowable]) -> None:
        """Lay out ``story`` (one pass), give the file its structure tree and write it."""
        self.contents_keys = [f.line.key for f in story if isinstance(f, ContentsEntry)]

        def canvas_maker(*args: Any, **kwargs: Any) -> PortfolioCanvas:
            canvas = PortfolioCanvas(*args, **kwargs)
            canvas.document = self
            canvas.tags = self.tags
            canvas.showOutline()
            write_structure_with(canvas, self.tags.document, title=self.title)
            return canvas

        self.build(story, canvasmaker=canvas_maker)
        if isinstance(self.target, str):
            with open(self.target, "wb") as file:
                file.write(self.buffer.getvalue())
        else:
            self.target.write(self.buffer.getvalue())


def contents_lines(story: Sequence[Flowable]) -> list[ContentsLine]:
    """The contents lines of every heading in ``story`` that asks to be listed."""
    return [
        ContentsLine(f.title, f.key, f.level)
        for f in story
        if isinstance(f, Heading) and f.in_contents
    ]
