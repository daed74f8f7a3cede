"""The practitioner's own words for the statements a layout asks for (the HCPC's summary of
practice history, its personal statement): each starts as a draft from the records, which the
practitioner rewrites; the word count is kept against the body's limit as they type."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from logbook.services.export import StatementAsked


class StatementsDialog(QDialog):
    """One text box per statement, prefilled with what was written before or else the draft.

    ``texts()`` gives what the practitioner wrote, by section key; OK is refused while a
    statement is over the body's limit.
    """

    def __init__(
        self,
        asked: Sequence[StatementAsked],
        written: Mapping[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your own words")
        self.resize(720, 620)
        self.asked = list(asked)
        self.edits: dict[str, QPlainTextEdit] = {}
        self.counts: dict[str, QLabel] = {}
        column = QVBoxLayout(self)
        intro = QLabel(
            "The body asks for these in your own words. Each starts as a draft from your "
            "records: rewrite it as yours. What you write is checked for anything that could "
            "identify a client before the portfolio is made."
        )
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        column.addWidget(intro)
        for statement in self.asked:
            column.addWidget(QLabel(f"<b>{statement.title}</b>"))
            edit = QPlainTextEdit(written.get(statement.key) or statement.draft)
            edit.setAccessibleName(statement.title)
            edit.textChanged.connect(self._counted)
            count = QLabel("")
            self.edits[statement.key] = edit
            self.counts[statement.key] = count
            column.addWidget(edit, 1)
            column.addWidget(count)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        column.addWidget(self.buttons)
        self._counted()

    def texts(self) -> dict[str, str]:
        """What is written for each statement (empty ones left out)."""
        found = {key: edit.toPlainText().strip() for key, edit in self.edits.items()}
        return {key: text for key, text in found.items() if text}

    def _counted(self) -> None:
        """Show each statement's word count against its limit; refuse OK while one is over."""
        over = False
        for statement in self.asked:
            words = len(self.edits[statement.key].toPlainText().split())
            limit = statement.words
            too_many = bool(limit) and words > limit
            over = over or too_many
            label = self.counts[statement.key]
            label.setText(f"{words:,} words" + (f" of at most {limit:,}" if limit else ""))
            label.setStyleSheet("color: #9B2C1F; font-weight: 600;" if too_many else "")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not over)
