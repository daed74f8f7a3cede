"""Tagged PDF: the logical structure a screen reader follows, recorded as the pages are drawn.

ReportLab writes no structure tree, so the document records one as it draws. Each piece of
real content is enclosed in a marked-content sequence (``BDC`` … ``EMC``) with an MCID, a
number unique on its page, and the element it belongs to (a heading, a paragraph, a table
cell, a figure) remembers the page and MCID; running headers and footers, backgrounds, rules
and repeated table headers are marked as artifacts, which a reader skips. When ReportLab
writes the file, :mod:`logbook.export.structure_tree` writes what was recorded as the
structure tree.

Hooks: :class:`TaggedFrame` (the document's frames) marks every flowable it places, by kind;
tables are marked cell by cell through ReportLab's table render callback (:class:`TableTags`),
which the split parts of a table share, so a table that runs over several pages is one
``Table`` element. Flowables that mark their own parts (the contents lines) say so with
``marks_itself``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Flowable, Frame, Paragraph, Spacer, Table

LANGUAGE = "en-GB"
# Paragraph styles that are headings, by the role they take in the structure tree.
HEADING_STYLES = {"h1": 1, "cover_title": 1, "h2": 2, "h3": 3}


@dataclass(frozen=True, slots=True)
class Marked:
    """A marked-content sequence: the page (from 0) it is on and its MCID there."""

    page: int
    mcid: int


@dataclass(frozen=True, slots=True)
class LinkArea:
    """A link annotation that belongs to an element: its page, its rectangle on the page (which
    finds it among the page's annotations), and the words that say where it goes."""

    page: int
    rect: tuple[float, float, float, float]
    description: str


@dataclass(eq=False, slots=True)
class Element:
    """A structure element: its role, its parts in reading order, and its attributes.

    Attributes:
        role: A standard structure type ("H1", "P", "Table", "TH", "Figure", …).
        kids: Child elements, marked sequences and link annotations, in reading order.
        alt: Alternative text (figures).
        attributes: Attribute dictionary entries without the slash ({"O": "Table",
            "Scope": "Column"}).
    """

    role: str
    kids: list[Element | Marked | LinkArea] = field(default_factory=list)
    alt: str = ""
    attributes: dict[str, Any] | None = None


class Tags:
    """What one document marks as it is drawn (written with the file: see structure_tree)."""

    def __init__(self) -> None:
        self.document = Element("Document")
        self._parents: list[Element] = [self.document]
        self._next_mcid: dict[int, int] = {}
        # For each sequence begun and not yet ended: whether it was written. One begun inside
        # another is not: marked content does not nest, and what is drawn inside a sequence
        # belongs to it already (a table drawn inside a flowable of a kind not known here).
        self._open: list[bool] = []

    @property
    def parent(self) -> Element:
        """The element that new elements join (the document, or a table cell being drawn)."""
        return self._parents[-1]

    def enter(self, element: Element) -> None:
        """New elements join ``element`` until :meth:`leave`."""
        self._parents.append(element)

    def leave(self) -> None:
        """New elements join the parent they joined before the last :meth:`enter`."""
        self._parents.pop()

    def add(self, role: str, **details: Any) -> Element:
        """A new element of ``role``, the last child of the current parent."""
        element = Element(role, **details)
        self.parent.kids.append(element)
        return element

    # --- marking the page content ------------------------------------------------------------

    def begin(self, canvas: Any, element: Element) -> None:
        """Open a marked-content sequence for ``element`` at this point of the page."""
        written = not any(self._open)
        self._open.append(written)
        if written:
            page = canvas.getPageNumber() - 1
            mcid = self._next_mcid.get(page, 0)
            self._next_mcid[page] = mcid + 1
            element.kids.append(Marked(page, mcid))
            canvas._code.append(f"/{element.role} <</MCID {mcid}>> BDC")

    def begin_artifact(self, canvas: Any, kind: str = "Layout", subtype: str = "") -> None:
        """Open an artifact sequence: what it draws is decoration or page furniture."""
        written = not any(self._open)
        self._open.append(written)
        if written:
            extra = f" /Subtype /{subtype}" if subtype else ""
            canvas._code.append(f"/Artifact <</Type /{kind}{extra}>> BDC")

    def end(self, canvas: Any) -> None:
        """Close the sequence begun last."""
        if self._open.pop():
            canvas._code.append("EMC")

    @contextmanager
    def marked(self, canvas: Any, element: Element) -> Iterator[None]:
        """Everything drawn in the block is content of ``element``."""
        self.begin(canvas, element)
        try:
            yield
        finally:
            self.end(canvas)

    @contextmanager
    def artifact(self, canvas: Any, kind: str = "Layout", subtype: str = "") -> Iterator[None]:
        """Everything drawn in the block is an artifact."""
        self.begin_artifact(canvas, kind, subtype)
        try:
            yield
        finally:
            self.end(canvas)

    def link(
        self,
        canvas: Any,
        element: Element,
        rect: tuple[float, float, float, float],
        description: str,
    ) -> None:
        """Note that the link annotation just made over ``rect`` (in the canvas's current
        coordinates) belongs to ``element``, and what it does in words."""
        page = canvas.getPageNumber() - 1
        element.kids.append(LinkArea(page, _on_page(canvas, rect), description))

    def contents_link(self) -> Element:
        """A new line of the contents list the current parent ends with (or starts): its
        ``TOCI`` is added, and the ``Link`` inside it, to mark, returned."""
        last = self.parent.kids[-1] if self.parent.kids else None
        contents = last if isinstance(last, Element) and last.role == "TOC" else self.add("TOC")
        link = Element("Link")
        contents.kids.append(Element("TOCI", [link]))
        return link

    # --- flowables ---------------------------------------------------------------------------

    def arm(self, flowable: Flowable) -> None:
        """Make ``flowable`` mark itself when it is drawn (once; a second call changes nothing).

        The drawing is wrapped on the instance rather than the class, so split parts and
        flowables inside table cells are each marked as they reach the page.
        """
        if "drawOn" in vars(flowable):
            return
        if isinstance(flowable, Table):
            if not getattr(flowable, "_renderCB", None):
                flowable._renderCB = TableTags.guess(flowable)
            return
        if getattr(flowable, "marks_itself", False) or isinstance(flowable, Spacer):
            return
        draw = flowable.drawOn
        tags = self

        def draw_marked(canvas: Any, x: float, y: float, _sW: float = 0) -> None:
            role, details = _role_of(flowable)
            element = tags.add(role, **details)
            if element.role == "Figure":
                width, height = getattr(flowable, "width", 0), getattr(flowable, "height", 0)
                box = _on_page(canvas, (x, y, x + width, y + height))
                element.attributes = {"O": "Layout", "BBox": list(box)}
            with tags.marked(canvas, element):
                draw(canvas, x, y, _sW)

        # Into the instance's dictionary: drawings refuse attributes their class does not list.
        vars(flowable)["drawOn"] = draw_marked


def tags_of(canvas: Any) -> Tags | None:
    """The tags of the document ``canvas`` draws, if it is a tagged one."""
    return getattr(canvas, "tags", None)


class TaggedFrame(Frame):  # type: ignore[misc]
    """A frame that has every flowable it places mark itself (see :meth:`Tags.arm`)."""

    def _add(self, flowable: Flowable, canv: Any, trySplit: int = 0) -> int:
        tags = tags_of(canv)
        if tags is not None:
            tags.arm(flowable)
        return int(super()._add(flowable, canv, trySplit))

    add = _add


def _role_of(flowable: Flowable) -> tuple[str, dict[str, Any]]:
    """The role (and details) of the element a flowable drawn by itself becomes."""
    if isinstance(flowable, Paragraph):
        level = HEADING_STYLES.get(getattr(flowable.style, "name", ""))
        return (f"H{level}" if level else "P"), {}
    alt = getattr(flowable, "alt_text", "")
    if alt or isinstance(flowable, Drawing):
        return "Figure", {"alt": alt or "Chart"}
    # Content of a kind not named above is still content, in reading order.
    return "Div", {}


def _on_page(
    canvas: Any, rect: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """``rect`` in the canvas's current coordinates as a rectangle on the page."""
    left, bottom, right, top = rect
    corners = [
        canvas.absolutePosition(x, y)
        for x, y in ((left, bottom), (right, bottom), (left, top), (right, top))
    ]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    return (round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2))


# --- tables ------------------------------------------------------------------------------------


class TableTags:
    """How a table reads, as ReportLab's table render callback: a data table (``Table``, one
    ``TR`` per row, header cells ``TH`` with their scope, data cells ``TD``) or, for a table
    used only to lay things out, its cells' contents as they are.

    A table that runs over several pages is one ``Table`` element: its split parts share this
    callback. The header row a later page repeats is marked as a pagination artifact, not as
    header cells again: the first page's header cells already name every column of the whole
    table, and a screen reader would otherwise read the column names again in the middle of
    the data, once per page.

    Args:
        header_rows: Rows at the top that are column headers.
        header_columns: Columns at the left that are row headers (label and value tables).
        layout: The table only lays content out; it is no data table.
        every_part_has_header: Each part starts with the header rows (a long log cut into one
            table per page); otherwise a later part has them only when the table repeats them.
    """

    def __init__(
        self,
        header_rows: int = 0,
        header_columns: int = 0,
        *,
        layout: bool = False,
        every_part_has_header: bool = False,
    ) -> None:
        self.header_rows = header_rows
        self.header_columns = header_columns
        self.layout = layout
        self.every_part_has_header = every_part_has_header
        self._tags: Tags | None = None
        self._table: Element | None = None
        self._part_headers = 0
        self._header_seen = False
        self._row: Element | None = None
        self._row_is_artifact = False
        self._cell_open = False
        self._cell_entered = False
        # Looked up once: a long log calls back twice for every cell.
        self._handlers: dict[str, Callable[..., None]] = {
            name[1:]: getattr(self, name)
            for name in dir(type(self))
            if name.startswith(("_start", "_end"))
        }

    @classmethod
    def guess(cls, table: Table) -> TableTags:
        """The reading of a table built without one: a table that repeats its top rows on
        every page has those as its header, any other is for layout."""
        repeated = int(getattr(table, "repeatRows", 0) or 0)
        return cls(repeated) if repeated else cls(layout=True)

    def __call__(self, table: Table, event: str, *args: Any) -> None:
        """ReportLab calls this at each step of drawing a table (or a split part of one)."""
        tags = tags_of(table.canv)
        if tags is None:
            return
        if tags is not self._tags:
            # Another document draws the same table: start its structure afresh.
            self._tags, self._table, self._header_seen = tags, None, False
        handler = self._handlers.get(event)
        if handler is not None:
            handler(tags, table, *args)

    def _startTable(self, tags: Tags, table: Table) -> None:
        if self.layout:
            return
        if self._table is None:
            self._table = tags.add("Table")
            self._part_headers = self.header_rows
        elif self.every_part_has_header:
            self._part_headers = self.header_rows
        else:
            self._part_headers = min(self.header_rows, int(table.repeatRows or 0))

    def _startBG(self, tags: Tags, table: Table) -> None:
        tags.begin_artifact(table.canv)

    def _endBG(self, tags: Tags, table: Table) -> None:
        tags.end(table.canv)

    _startLines = _startBG
    _endLines = _endBG

    def _startRow(self, tags: Tags, table: Table, row: int) -> None:
        if self.layout or self._table is None:
            return
        header = row < self._part_headers
        self._row_is_artifact = header and self._header_seen
        if self._row_is_artifact:
            tags.begin_artifact(table.canv, "Pagination")
            self._row = None
            return
        self._row = Element("TR")
        self._table.kids.append(self._row)

    def _endRow(self, tags: Tags, table: Table, *_: Any) -> None:
        if self._row_is_artifact:
            tags.end(table.canv)
        self._row_is_artifact = False

    def _endTable(self, tags: Tags, table: Table) -> None:
        if self._part_headers:
            self._header_seen = True

    def _startCell(
        self, tags: Tags, table: Table, row: int, column: int, value: Any, *_: Any
    ) -> None:
        self._cell_open = self._cell_entered = False
        flowables = _flowables_in(value)
        canvas = table.canv
        if self.layout:
            if flowables is None:
                if str(value).strip():
                    tags.begin(canvas, tags.add("P"))
                    self._cell_open = True
            else:
                for flowable in flowables:
                    tags.arm(flowable)
            return
        if self._row is None:
            return  # a repeated header row: all of it is inside the artifact
        cell = self._cell(row, column)
        self._row.kids.append(cell)
        if flowables is None or all(isinstance(f, Paragraph) for f in flowables):
            tags.begin(canvas, cell)
            self._cell_open = True
        else:
            tags.enter(cell)
            self._cell_entered = True
            for flowable in flowables:
                tags.arm(flowable)

    def _cell(self, row: int, column: int) -> Element:
        if row < self._part_headers:
            return Element("TH", attributes={"O": "Table", "Scope": "Column"})
        if column < self.header_columns:
            return Element("TH", attributes={"O": "Table", "Scope": "Row"})
        return Element("TD")

    def _endCell(self, tags: Tags, table: Table, *_: Any) -> None:
        if self._cell_open:
            tags.end(table.canv)
        if self._cell_entered:
            tags.leave()
        self._cell_open = self._cell_entered = False


def _flowables_in(value: Any) -> Sequence[Flowable] | None:
    """The flowables of a table cell, or None for a cell of plain text."""
    if isinstance(value, Flowable):
        return [value]
    if isinstance(value, list | tuple):
        return list(value)
    return None
