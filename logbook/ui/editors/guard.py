"""The privacy guard: an inline, accessible warning under a text field that looks identifiable.

It checks the text a moment after the user stops typing, names what it found and why, and
offers "Keep anyway". A kept finding stays quiet for that exact text (and is recorded on the
entry when it is saved, so it stays quiet when the entry is opened again); typing another
identifier warns again. The warning uses an icon, a bold heading and words, never colour alone.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
)

from logbook.domain.privacy import PrivacyWarning, find_identifiers
from logbook.ui.editors.style import palette_colours

DEBOUNCE_MS = 400


def _excerpt(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def describe(warnings: list[PrivacyWarning]) -> str:
    """One sentence per finding: what was matched and why it looks identifiable."""
    return " ".join(f"“{_excerpt(w.text)}” {w.reason}." for w in warnings)


class PrivacyNotice(QFrame):
    """The warning panel shown under one text input."""

    def __init__(self, field_label: str) -> None:
        super().__init__()
        self.setObjectName("privacyNotice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        colours = palette_colours(self)
        self.setStyleSheet(
            f"#privacyNotice {{ background: {colours.warning_bg}; border: 1px solid "
            f"{colours.warning_border}; border-left: 4px solid {colours.warning_border}; "
            "border-radius: 4px; }"
            f"#privacyNotice QLabel {{ color: {colours.warning_text}; background: transparent; }}"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(10)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(icon)
        text_box = QVBoxLayout()
        text_box.setSpacing(2)
        self.heading = QLabel("<b>This may identify a client</b>")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.advice = QLabel("Keep client details out of the logbook: edit the text, or keep it.")
        self.advice.setWordWrap(True)
        text_box.addWidget(self.heading)
        text_box.addWidget(self.message)
        text_box.addWidget(self.advice)
        layout.addLayout(text_box, 1)
        self.keep_button = QPushButton("Keep anyway")
        self.keep_button.setAutoDefault(False)
        self.keep_button.setAccessibleName(f"Keep the text of {field_label} anyway")
        layout.addWidget(self.keep_button, 0, Qt.AlignmentFlag.AlignTop)
        self.setAccessibleName(f"Privacy warning for {field_label}")
        self.hide()

    def show_warnings(self, warnings: list[PrivacyWarning], *, pressing: bool = False) -> None:
        self.message.setText(describe(warnings))
        self.heading.setText(
            "<b>Check before saving: this may identify a client</b>"
            if pressing
            else "<b>This may identify a client</b>"
        )
        self.setAccessibleDescription(self.message.text())
        self.show()


class PrivacyGuard:
    """Watches one text input and drives its notice.

    Attributes:
        acknowledged: Matched texts the user chose to keep.
        warnings: What the current text contains that was not kept.
    """

    def __init__(
        self,
        edit: QLineEdit | QPlainTextEdit,
        notice: PrivacyNotice,
        on_keep: Callable[[], None] | None = None,
    ) -> None:
        self.edit = edit
        self.notice = notice
        self.on_keep = on_keep
        self.field_name = ""
        self.acknowledged: set[str] = set()
        self.warnings: list[PrivacyWarning] = []
        self._base_description = edit.accessibleDescription()
        self.timer = QTimer(edit)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.check)
        edit.textChanged.connect(self.timer.start)
        notice.keep_button.clicked.connect(self.keep)

    def text(self) -> str:
        if isinstance(self.edit, QLineEdit):
            return self.edit.text()
        return self.edit.toPlainText()

    def check(self, *, pressing: bool = False) -> list[PrivacyWarning]:
        """Look at the text now (the timer does this as the user types)."""
        self.timer.stop()
        self.warnings = [
            w for w in find_identifiers(self.text()) if w.text not in self.acknowledged
        ]
        if self.warnings:
            self.notice.show_warnings(self.warnings, pressing=pressing)
            self.edit.setAccessibleDescription(
                "Privacy warning: " + describe(self.warnings) + " " + self._base_description
            )
        else:
            self.notice.hide()
            self.edit.setAccessibleDescription(self._base_description)
        return self.warnings

    def kept_texts(self) -> set[str]:
        """The matched texts the user chose to keep that are still in the text (to be recorded
        on the entry when it is saved)."""
        return {w.text for w in find_identifiers(self.text()) if w.text in self.acknowledged}

    def keep(self) -> None:
        """Accept the current findings; the same text does not warn again."""
        self.acknowledged.update(w.text for w in self.warnings)
        self.warnings = []
        self.notice.hide()
        self.edit.setAccessibleDescription(self._base_description)
        self.edit.setFocus()
        if self.on_keep is not None:
            self.on_keep()
