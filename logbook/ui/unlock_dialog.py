"""Unlocking an encrypted logbook: the passphrase, or the recovery key when it is forgotten.

:class:`UnlockDialog` asks for either and hands what was typed to a check function (open the
logbook, unlock it after idle time, open an old backup); a wrong entry is explained in the
dialog, which stays open. :class:`IdleLock` is what the main window installs to lock the
logbook after some minutes without keyboard or mouse activity.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.errors import LogbookError
from logbook.services.encryption import CANNOT_RECOVER, EncryptionService, Unlock
from logbook.services.integrity import KeyFileError, WrongPassphraseError
from logbook.ui import theme

RECOVERY_PLACEHOLDER = "XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX"
# After this many wrong entries the dialog says plainly what happens with neither secret.
ATTEMPTS_BEFORE_WARNING = 3


def warning_style() -> str:
    """A calm warning panel: a coloured edge, not a shout."""
    c = theme.current()
    return (
        f"QLabel {{ border-left: 3px solid {c.warning}; background: {c.surface}; "
        f"color: {c.text}; padding: 6px 10px; }}"
    )


class UnlockDialog(QDialog):
    """Asks for the passphrase (or the recovery key) and checks it before closing.

    Args:
        check: Called with what was typed; returns anything (kept as :attr:`result_value`).
            A wrong passphrase (``WrongPassphraseError``, ``KeyFileError``) is explained and
            the dialog stays open; any other ``LogbookError`` closes it (rejected) and is kept
            in :attr:`failure` for the caller.
        title: The window title.
        message: One sentence above the field: what is being unlocked.
    """

    def __init__(
        self,
        check: Callable[[Unlock], Any],
        parent: QWidget | None = None,
        *,
        title: str = "Unlock logbook",
        message: str = "This logbook is encrypted. Enter its passphrase to open it.",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(460)
        self._check = check
        self._use_recovery = False
        self.attempts = 0
        self.result_value: Any = None
        # An error that is not about the passphrase, which closed the dialog (see try_unlock).
        self.failure: LogbookError | None = None

        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        self.message = QLabel(message)
        self.message.setWordWrap(True)

        self.field_label = QLabel("&Passphrase")
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName("Passphrase")
        self.field.textChanged.connect(self._text_changed)
        self.field_label.setBuddy(self.field)

        self.switch = QPushButton("I have forgotten the passphrase: use the recovery key")
        self.switch.setFlat(True)
        self.switch.setCursor(Qt.CursorShape.PointingHandCursor)
        self.switch.setStyleSheet("text-align: left; text-decoration: underline;")
        self.switch.clicked.connect(self.toggle_recovery)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem")
        self.error.setStyleSheet(warning_style())
        self.error.hide()

        self.no_way_back = QLabel(CANNOT_RECOVER)
        self.no_way_back.setWordWrap(True)
        self.no_way_back.setObjectName("muted")
        self.no_way_back.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.unlock_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.unlock_button.setText("&Unlock")
        self.unlock_button.setEnabled(False)
        self.buttons.accepted.connect(self.try_unlock)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(self.message)
        layout.addSpacing(4)
        layout.addWidget(self.field_label)
        layout.addWidget(self.field)
        layout.addWidget(self.switch, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.error)
        layout.addWidget(self.no_way_back)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.field.setFocus()

    @property
    def using_recovery_key(self) -> bool:
        return self._use_recovery

    def toggle_recovery(self) -> None:
        """Switch between typing the passphrase and typing the recovery key."""
        self._use_recovery = not self._use_recovery
        self.field.clear()
        self.error.hide()
        if self._use_recovery:
            self.field_label.setText("&Recovery key (from your printed or saved copy)")
            self.field.setEchoMode(QLineEdit.EchoMode.Normal)
            self.field.setPlaceholderText(RECOVERY_PLACEHOLDER)
            self.field.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            self.field.setAccessibleName("Recovery key")
            self.switch.setText("Use the passphrase instead")
        else:
            self.field_label.setText("&Passphrase")
            self.field.setEchoMode(QLineEdit.EchoMode.Password)
            self.field.setPlaceholderText("")
            self.field.setFont(QFont())
            self.field.setAccessibleName("Passphrase")
            self.switch.setText("I have forgotten the passphrase: use the recovery key")
        self.field.setFocus()

    def _text_changed(self, text: str) -> None:
        self.unlock_button.setEnabled(bool(text.strip()))

    def unlock_value(self) -> Unlock:
        text = self.field.text()
        return Unlock(recovery_key=text) if self._use_recovery else Unlock(passphrase=text)

    def try_unlock(self) -> None:
        """Check what was typed; close on success, explain and stay open otherwise."""
        if not self.field.text().strip():
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.result_value = self._check(self.unlock_value())
        except (WrongPassphraseError, KeyFileError) as error:
            self.attempts += 1
            self.error.setText(str(error))
            self.error.show()
            self.field.selectAll()
            self.field.setFocus()
            if self.attempts >= ATTEMPTS_BEFORE_WARNING:
                self.no_way_back.show()
            self.adjustSize()
            return
        except LogbookError as error:
            # Not about what was typed (the logbook turned out damaged, say): close and let
            # the caller deal with it, rather than ask for the passphrase again.
            self.failure = error
            self.field.clear()
            self.reject()
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.field.clear()  # nothing secret stays in the widget
        self.accept()


class _LockScreen(QFrame):
    """An opaque cover over the window while the logbook is locked."""

    def __init__(self, parent: QWidget, unlock: Callable[[], None]) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)
        c = theme.current()
        self.setStyleSheet(f"QFrame#lockScreen {{ background: {c.window}; }}")
        title = QLabel("Practice Logbook is locked")
        title.setObjectName("pageTitle")
        note = QLabel(
            "It was locked after a while without use, so nothing in it can be read or changed "
            "until it is unlocked with its passphrase or recovery key."
        )
        note.setWordWrap(True)
        note.setObjectName("muted")
        note.setFixedWidth(440)
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A centred, wrapped label is given one line's height unless told what it needs.
        note.setMinimumHeight(note.heightForWidth(440))
        logo = QLabel()
        logo.setPixmap(theme.app_icon().pixmap(64, 64))
        self.button = QPushButton("Unlock…")
        self.button.setDefault(True)
        self.button.clicked.connect(unlock)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.setSpacing(12)
        for widget in (logo, title, note, self.button):
            layout.addWidget(widget, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.setGeometry(parent.rect())


class IdleLock(QObject):
    """Locks an encrypted logbook after ``minutes`` without keyboard or mouse use.

    While locked, the logbook's connection is closed and its key forgotten (see
    ``EncryptionService.lock``), the window is covered, and an :class:`UnlockDialog` asks for
    the passphrase or recovery key. The main window installs it once::

        self.idle_lock = IdleLock(self, logbook.encryption, minutes=10)

    Signals:
        locked(): the logbook was locked (views should stop refreshing).
        unlocked(): it was unlocked again.
    """

    locked = Signal()
    unlocked = Signal()
    INPUT_EVENTS = frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
            QEvent.Type.TouchBegin,
        }
    )

    def __init__(self, window: QWidget, encryption: EncryptionService, minutes: float = 10) -> None:
        super().__init__(window)
        self.window = window
        self.encryption = encryption
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock_now)
        self.cover: _LockScreen | None = None
        self.dialog: UnlockDialog | None = None
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        window.installEventFilter(self)
        self.set_minutes(minutes)

    @property
    def is_locked(self) -> bool:
        return self.cover is not None

    def set_minutes(self, minutes: float) -> None:
        """Lock after ``minutes`` idle (0 turns idle locking off; :meth:`lock_now` still locks)."""
        self.minutes = minutes
        self.timer.stop()
        if minutes > 0 and self.encryption.encrypted and not self.is_locked:
            self.timer.start(max(1, round(minutes * 60_000)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Resize and self.cover:
            self.cover.setGeometry(self.window.rect())
        elif event.type() in self.INPUT_EVENTS and not self.is_locked and self.timer.isActive():
            self.timer.start()  # activity: start counting again
        return False

    def lock_now(self) -> None:
        """Lock at once (a "Lock now" action). Does nothing for a logbook that is not encrypted."""
        if self.is_locked or not self.encryption.encrypted:
            return
        self.timer.stop()
        self.encryption.lock()
        self.cover = _LockScreen(self.window, self.ask)
        self.cover.show()
        self.cover.raise_()
        self.locked.emit()
        self.ask()

    def ask(self) -> None:
        """Show the unlock dialog (again, if it was dismissed)."""
        if self.dialog is not None:
            self.dialog.raise_()
            return
        self.dialog = UnlockDialog(
            self.encryption.unlock,
            self.window,
            title="Unlock logbook",
            message="The logbook was locked while you were away. Enter its passphrase.",
        )
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.accepted.connect(self._unlocked)
        self.dialog.finished.connect(self._dialog_closed)
        self.dialog.open()

    def _dialog_closed(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None

    def _unlocked(self) -> None:
        if self.cover is not None:
            self.cover.hide()
            self.cover.deleteLater()
            self.cover = None
        self.unlocked.emit()
        self.set_minutes(self.minutes)
