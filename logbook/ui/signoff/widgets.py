"""Small widgets the sign-off screens share: a table model over row objects, a file field, a
message banner, the identity picker and the state badge."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor, QDesktopServices, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.errors import LogbookError
from logbook.domain.identity import PublicIdentity, SealedIdentity
from logbook.domain.signoff import SignoffState
from logbook.services.identity import read_identity_file
from logbook.ui import theme

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex


def state_colour(state: SignoffState) -> QColor:
    """The colour a state is written in: green when verified, red when invalid."""
    colours = theme.current()
    return QColor(
        {
            SignoffState.VERIFIED: colours.success,
            SignoffState.INVALID: colours.danger,
            SignoffState.CHANGED: colours.warning,
            SignoffState.RETURNED: colours.warning,
            SignoffState.PAPER: colours.muted,
            SignoffState.UNCONFIRMED: colours.warning,
            SignoffState.NOT_SUPERVISOR: colours.danger,
            SignoffState.FOREIGN: colours.danger,
        }.get(state, colours.text)
    )


@dataclass(frozen=True)
class Column(Generic[T]):
    """A column of a :class:`RowsModel`: its header and how a row shows in it."""

    header: str
    text: Callable[[T], str]
    colour: Callable[[T], QColor | None] | None = None
    tooltip: Callable[[T], str] | None = None


class RowsModel(QAbstractTableModel, Generic[T]):
    """A read-only table over a list of row objects, optionally with a check box per row."""

    def __init__(
        self, columns: Sequence[Column[T]], *, checkable: bool = False, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.checkable = checkable
        self.rows: list[T] = []
        self.checked: list[bool] = []

    def set_rows(self, rows: Sequence[T], checked: Sequence[bool] | None = None) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.checked = list(checked) if checked is not None else [True] * len(self.rows)
        self.endResetModel()

    def checked_rows(self) -> list[T]:
        return [row for row, on in zip(self.rows, self.checked, strict=True) if on]

    def set_all_checked(self, on: bool) -> None:
        self.checked = [on] * len(self.rows)
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self.rows) - 1, 0),
                [Qt.ItemDataRole.CheckStateRole],
            )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ForegroundRole and column.colour is not None:
            return column.colour(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) if column.tooltip else column.text(row)
        if role == Qt.ItemDataRole.CheckStateRole and self.checkable and index.column() == 0:
            on = self.checked[index.row()]
            return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not self.checkable or index.column() != 0:
            return False
        self.checked[index.row()] = Qt.CheckState(value) == Qt.CheckState.Checked
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.checkable and index.isValid() and index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].header
        return None


def rows_view(
    model: RowsModel[Any],
    parent: QWidget | None = None,
    *,
    stretch: int | tuple[int, ...] = 0,
    name: str = "",
) -> QTableView:
    """A table view for a :class:`RowsModel`: whole rows selected, ``stretch`` columns share
    the width the others leave."""
    stretched = (stretch,) if isinstance(stretch, int) else stretch
    view = QTableView(parent)
    view.setModel(model)
    view.setAccessibleName(name)
    view.horizontalHeader().setAccessibleName(f"{name} columns" if name else "")
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.setShowGrid(False)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    for column in range(model.columnCount()):
        mode = (
            QHeaderView.ResizeMode.Stretch
            if column in stretched
            else QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(column, mode)
    return view


class Banner(QLabel):
    """A one-line message above a screen's content: what just happened, or what went wrong."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setMargin(4)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.linkActivated.connect(lambda link: QDesktopServices.openUrl(QUrl(link)))
        self.hide()

    def success(self, text: str, links: dict[str, QUrl] | None = None) -> None:
        """Show ``text``, followed by ``links`` (their words, and what each opens: a folder,
        an email)."""
        if links:
            anchors = " · ".join(
                f'<a href="{html.escape(url.toString(), quote=True)}">{html.escape(words)}</a>'
                for words, url in links.items()
            )
            text = f"{html.escape(text)}<br>{anchors}"
        self.setTextFormat(Qt.TextFormat.RichText if links else Qt.TextFormat.PlainText)
        self._show(text, "badgeSuccess")

    def problem(self, text: str) -> None:
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._show(text, "badgeWarning")

    def info(self, text: str) -> None:
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._show(text, "badge")

    def clear_message(self) -> None:
        self.setText("")
        self.hide()

    def _show(self, text: str, name: str) -> None:
        self.setObjectName(name)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setText(text)
        self.show()


class PathField(QWidget):
    """A file path typed or chosen with a Browse button (open or save)."""

    changed = Signal(str)

    def __init__(
        self,
        caption: str,
        file_filter: str = "Sign-off files (*.json);;All files (*)",
        *,
        save: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.caption, self.file_filter, self.save = caption, file_filter, save
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(caption)
        self.edit.setPlaceholderText("Choose a file…")
        self.edit.textChanged.connect(self.changed)
        self.browse = QPushButton("Browse…", self)
        self.browse.clicked.connect(self._choose)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.browse)
        self.setAccessibleName(caption)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text).expanduser() if text else None

    def set_path(self, path: Path | str) -> None:
        self.edit.setText(str(path))

    def _choose(self) -> None:
        start = self.edit.text() or str(Path.home())
        if self.save:
            chosen, _ = QFileDialog.getSaveFileName(self, self.caption, start, self.file_filter)
        else:
            chosen, _ = QFileDialog.getOpenFileName(self, self.caption, start, self.file_filter)
        if chosen:
            self.edit.setText(chosen)


def fingerprint_font() -> QFont:
    """A large, bold, fixed-width font, so a fingerprint is easy to read aloud and compare."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), 10.5) * 1.15)
    font.setBold(True)
    return font


class IdentityCard(QFrame):
    """Who is signing: name, registration, organisation and the fingerprint, large."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.name = QLabel(self)
        self.name.setObjectName("sectionTitle")
        self.details = QLabel(self)
        self.details.setObjectName("muted")
        self.fingerprint = QLabel(self)
        self.fingerprint.setFont(fingerprint_font())
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setAccessibleName("Fingerprint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(3)
        layout.addWidget(self.name)
        layout.addWidget(self.details)
        layout.addWidget(self.fingerprint)
        self.show_identity(None)

    def show_identity(self, identity: PublicIdentity | None) -> None:
        if identity is None:
            self.name.setText("No identity chosen")
            self.details.setText(
                "Choose an identity kept on this computer, or load an identity file."
            )
            self.fingerprint.setText("")
            return
        self.name.setText(identity.name)
        self.details.setText(
            " · ".join(p for p in (identity.registration, identity.organisation) if p)
            or "No registration given"
        )
        self.fingerprint.setText(f"Fingerprint  {identity.fingerprint}")


class IdentityPicker(QWidget):
    """Choose who signs: an identity kept on this computer, or an identity file (a USB stick).

    An identity file is read where it is and never copied into this logbook.
    """

    chosen = Signal()

    def __init__(
        self,
        identities: Sequence[SealedIdentity],
        parent: QWidget | None = None,
        *,
        expected: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.expected = expected
        self.combo = QComboBox(self)
        self.combo.setAccessibleName("Signing identity")
        for identity in identities:
            self.combo.addItem(f"{identity.public.name}  ({identity.fingerprint})", identity)
        self.combo.addItem("Load an identity file…", None)
        self.combo.currentIndexChanged.connect(self._changed)
        self.file = PathField(
            "Identity file", "Identity files (*.json);;All files (*)", parent=self
        )
        self.file.changed.connect(self._changed)
        self.card = IdentityCard(self)
        self.error = QLabel(self)
        self.error.setObjectName("badgeWarning")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(self.file)
        layout.addWidget(self.card)
        layout.addWidget(self.error)
        self._identity: SealedIdentity | None = None
        self._changed()

    def identity(self) -> SealedIdentity | None:
        return self._identity

    def load_file(self, path: Path | str) -> None:
        self.combo.setCurrentIndex(self.combo.count() - 1)
        self.file.set_path(path)

    def _changed(self, *_: Any) -> None:
        data = self.combo.currentData()
        from_file = data is None
        self.file.setVisible(from_file)
        self.error.hide()
        self._identity = None
        if not from_file:
            self._identity = data
        elif (path := self.file.path()) is not None:
            try:
                self._identity = read_identity_file(path)
            except LogbookError as error:
                self.error.setText(str(error))
                self.error.show()
        if (
            self._identity is not None
            and self.expected
            and self._identity.fingerprint != self.expected
        ):
            self.error.setText(
                f"This identity's fingerprint is {self._identity.fingerprint}, not the expected "
                f"{self.expected}."
            )
            self.error.show()
        self.card.show_identity(self._identity.public if self._identity else None)
        self.chosen.emit()


def passphrase_field(parent: QWidget | None = None) -> QLineEdit:
    """A field for the signer's passphrase, its characters hidden as they are typed."""
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText("The signer's passphrase")
    field.setAccessibleName("Passphrase")
    return field


def title(text: str, parent: QWidget | None = None, *, name: str = "sectionTitle") -> QLabel:
    """A heading in a sign-off dialog, styled by the theme through its object ``name``."""
    label = QLabel(text, parent)
    label.setObjectName(name)
    return label


def muted(text: str, parent: QWidget | None = None) -> QLabel:
    """An explanatory note in the theme's muted text colour, wrapped to the dialog's width."""
    label = QLabel(text, parent)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label
