"""The record selected in a list, read-only: its fields under the labels of its form.

The pane reads the same sections and labels as the record's form (``editors.kinds.FORMS``),
so a field is called the same thing where it is typed and where it is read. Dates read as
running text (25 Nov 2026), durations as hours, linked people, organisations and courses by
name. Several selected rows read as their count and total hours.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.catalogue import KINDS, name_of
from logbook.domain.choices import Choice
from logbook.domain.dates import short_date
from logbook.domain.durations import hours
from logbook.domain.records import Attachment, PracticeEntry, Record, RecordKind, entry_date
from logbook.domain.signoff import SignoffState
from logbook.ui import theme
from logbook.ui.columns import NameDirectory

if TYPE_CHECKING:
    from logbook.ui.editors.fields import FieldSpec
    from logbook.ui.editors.kinds import KindForm

PRIVATE_NOTE = "Kept out of exports and sign-off requests unless you include it."
# Free text reads best across the pane's whole width, under its label.
LONG_EDITORS = frozenset({"text", "reflection"})


@dataclass(frozen=True)
class DetailLine:
    """One field as the pane shows it.

    Attributes:
        label: The field's label on its form.
        value: The value in words.
        private: A private reflection or account (shown marked, kept out of exports).
        long: Free text, shown under its label rather than beside it.
    """

    label: str
    value: str
    private: bool = False
    long: bool = False


@dataclass(frozen=True)
class DetailSection:
    """One titled section of the record's form, with the lines that have something to show."""

    title: str
    lines: tuple[DetailLine, ...]


def form_of(kind: RecordKind) -> KindForm | None:
    """The form a kind is edited in (imported on first use: the editors are not needed to
    start the app)."""
    from logbook.ui.editors.kinds import FORMS

    return FORMS.get(kind)


def takes_attachments(kind: RecordKind) -> bool:
    """Whether records of ``kind`` can have files attached (their form offers it)."""
    form = form_of(kind)
    return form is not None and form.attachments


def record_sections(record: Record, names: NameDirectory) -> list[DetailSection]:
    """The record's filled-in fields, in its form's sections and order."""
    form = form_of(record.kind)
    if form is None:
        return []
    values = {name: getattr(record, name) for name in KINDS[record.kind].field_names}
    sections = []
    for section in form.sections:
        lines = [
            line
            for spec in section.fields
            if (spec.visible is None or spec.visible(values))
            and (line := _line(spec, record, values, names)) is not None
        ]
        if lines:
            sections.append(DetailSection(section.title, tuple(lines)))
    return sections


def _line(
    spec: FieldSpec, record: Record, values: dict[str, Any], names: NameDirectory
) -> DetailLine | None:
    text = field_text(spec, values.get(spec.name), record, names)
    if not text:
        return None
    label = spec.dynamic_label(values) if spec.dynamic_label else spec.label
    label = label.removesuffix(" (optional)")  # a form's hint, not a reader's
    if spec.editor == "privacy":
        return DetailLine(label, text, private=bool(values.get(spec.name)))
    private = bool(spec.private_field and values.get(spec.private_field))
    return DetailLine(label, text, private, long=spec.editor in LONG_EDITORS)


def field_text(spec: FieldSpec, value: Any, record: Record, names: NameDirectory) -> str:
    """A field's value in words ("" when there is nothing worth showing)."""
    editor = spec.editor
    if editor == "rows" or value is None:
        return ""
    if editor in ("date", "optional_date") and isinstance(value, date):
        return short_date(value)
    if editor == "duration":
        return _duration(int(value or 0), record, spec.optional)
    if editor == "optional_duration":
        return f"{hours(int(value))} hours"
    if editor == "reference":
        return names.name(value) or ("(no longer in the logbook)" if value else "")
    if editor == "references":
        return ", ".join(names.name(uid) or "(no longer in the logbook)" for uid in value)
    if editor == "bool":
        return "Yes" if value else "No"
    if editor == "privacy":
        return "Private" if value else "Shareable"
    if isinstance(value, Choice):
        return value.label
    if isinstance(value, float):
        return f"{value:g}{spec.suffix}" if value else ""
    if isinstance(value, int):
        return f"{value}{spec.suffix}"
    if isinstance(value, tuple):
        return ", ".join(v.label if isinstance(v, Choice) else str(v) for v in value)
    return str(value).strip()


def _duration(minutes: int, record: Record, optional: bool) -> str:
    if isinstance(record, PracticeEntry) and record.contact_only:
        return "Contact only (no hours)"
    if minutes == 0 and optional:
        return ""
    return f"{hours(minutes)} hours"


def heading(record: Record, names: NameDirectory) -> tuple[str, str]:
    """(title, what it is): ("Supervision skills", "CPD activity · 30 Jun 2026"), or for an
    entry without a title ("Supervision session", "4 Jun 2026")."""
    noun = KINDS[record.kind].noun
    noun = noun[:1].upper() + noun[1:]
    title = name_of(record)
    day = entry_date(record)
    when = short_date(day) if day else ""
    if title:
        return title, f"{noun} · {when}" if when else noun
    return noun, when


def attachment_text(attachments: Sequence[Attachment]) -> str:
    """The attached files in a line: how many, and the names of the first three."""
    if not attachments:
        return "None"
    count = len(attachments)
    files = ", ".join(a.filename for a in attachments[:3])
    more = f" and {count - 3} more" if count > 3 else ""
    return f"{count} file{'s' if count > 1 else ''}: {files}{more}"


def signoff_text(state: SignoffState) -> str:
    """A sign-off state as the detail pane words it ("Not signed" rather than "Unsigned")."""
    return "Not signed" if state is SignoffState.UNSIGNED else state.label


# --- the pane ----------------------------------------------------------------------------------


class RecordDetailPane(QFrame):
    """The selected record's fields; the selection's count and hours when there are several.

    A widget given to :meth:`set_overview` is shown below the message when nothing is
    selected (the supervision list shows its totals by supervisor and organisation there).
    """

    MINIMUM_WIDTH = 240

    def __init__(self, names: NameDirectory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setAccessibleName("Details of the selected entry")
        self.setMinimumWidth(self.MINIMUM_WIDTH)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._names = names
        self.record: Record | None = None
        self.overview: QWidget | None = None
        # A text browser wraps long values to the pane's width and scrolls by itself.
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("detailText")
        self.browser.setAccessibleName("Details of the selected entry")
        self.browser.setFrameShape(QFrame.Shape.NoFrame)
        self.browser.setOpenLinks(False)
        self.browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.browser.document().setDocumentMargin(12)
        self.message = QLabel(self)
        self.message.setObjectName("muted")
        self.message.setWordWrap(True)
        empty = QWidget(self)
        self._empty_column = QVBoxLayout(empty)
        self._empty_column.setContentsMargins(14, 12, 14, 12)
        self._empty_column.setSpacing(14)
        self._empty_column.addWidget(self.message)
        self._empty_column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(empty)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.browser)
        self.stack.addWidget(scroll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def set_overview(self, widget: QWidget) -> None:
        """Show ``widget`` when nothing is selected, under the word of help."""
        self.overview = widget
        self._empty_column.insertWidget(1, widget)

    def plain_text(self) -> str:
        """What the pane says, as plain text."""
        if self.stack.currentIndex() == 0:
            return self.browser.toPlainText()
        return self.message.text()

    # --- what it shows ----------------------------------------------------------------------

    def show_record(
        self,
        record: Record,
        *,
        state: SignoffState | None = None,
        attachments: Sequence[Attachment] | None = None,
    ) -> None:
        """Show one record; its sign-off state and attachments when they are known."""
        self.record = record
        title, subtitle = heading(record, self._names)
        sections = record_sections(record, self._names)
        about: list[DetailLine] = []
        if state is not None:
            about.append(DetailLine("Sign-off", signoff_text(state)))
        if attachments is not None:
            about.append(DetailLine("Attachments", attachment_text(attachments)))
        about.append(DetailLine("Last changed", short_date(record.updated_at.date())))
        sections.append(DetailSection("Record", tuple(about)))
        self._render(title, subtitle, sections)

    def show_selection(self, count: int, noun: str, minutes: int | None, hint: str = "") -> None:
        """Several rows: their count, and their total hours when the kind has hours."""
        self.record = None
        lines = (DetailLine("Total", f"{hours(minutes)} hours"),) if minutes is not None else ()
        self._render(f"{count:,} {noun} selected", "", [DetailSection("", lines)], hint)

    def show_message(self, text: str, *, overview: bool = True) -> None:
        """Nothing selected: a word of help, and the overview if there is one."""
        self.record = None
        self.message.setText(text)
        self.message.setVisible(bool(text))
        if self.overview is not None:
            self.overview.setVisible(overview)
        self.stack.setCurrentIndex(1)

    # --- drawing ----------------------------------------------------------------------------

    def _render(
        self, title: str, subtitle: str, sections: list[DetailSection], note: str = ""
    ) -> None:
        colours = theme.current()
        parts = [f"<div style='font-size:12pt; font-weight:600'>{_esc(title)}</div>"]
        if subtitle:
            parts.append(f"<div style='color:{colours.muted}'>{_esc(subtitle)}</div>")
        rows = "".join(_section_rows(section, colours) for section in sections)
        parts.append(f"<table width='100%' cellspacing='0' cellpadding='2'>{rows}</table>")
        if note:
            parts.append(f"<p style='color:{colours.muted}'>{_esc(note)}</p>")
        self.browser.setHtml("".join(parts))
        self.stack.setCurrentIndex(0)


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _section_rows(section: DetailSection, colours: theme.Colours) -> str:
    """A section as rows of the pane's one table, so labels line up from top to bottom."""
    rows = []
    if section.title:
        rows.append(
            "<tr><td colspan='2' style='padding-top:12px; font-weight:600; "
            f"color:{colours.muted}'>{_esc(section.title.upper())}</td></tr>"
        )
    for line in section.lines:
        label, value = _esc(line.label), _esc(line.value)
        if line.private:
            label += f" <span style='color:{colours.warning}; font-weight:600'>· Private</span>"
            value += f"<br><span style='color:{colours.muted}'>{_esc(PRIVATE_NOTE)}</span>"
        muted = f"color:{colours.muted}; white-space:nowrap; padding-right:10px"
        if line.long:
            rows.append(f"<tr><td colspan='2' style='{muted}; padding-top:6px'>{label}</td></tr>")
            rows.append(f"<tr><td colspan='2'>{value}</td></tr>")
        else:
            rows.append(f"<tr><td style='{muted}'>{label}</td><td width='100%'>{value}</td></tr>")
    return "".join(rows)
