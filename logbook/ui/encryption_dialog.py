"""Encryption: encrypt the logbook, change the passphrase, or decrypt it.

What encryption protects against, and what it does not, is said in plain words before anything
is changed. A new recovery key (when encrypting, and when changing the passphrase, which gives
the logbook a new key) is shown first, with Copy and Print, and nothing is encrypted with it
until the user types its last four characters to show they kept it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.errors import LogbookError
from logbook.services.encryption import (
    CANNOT_RECOVER,
    MIN_PASSPHRASE_LENGTH,
    EncryptionResult,
    NewRecoveryKey,
    Unlock,
    new_recovery_key,
)
from logbook.services.logbook import Logbook
from logbook.ui.unlock_dialog import warning_style
from logbook.ui.worker import Job, Progress, run_in_background

PROTECTS = (
    "Encryption protects the logbook and its backups if your computer, a backup drive or a "
    "copy of the files is lost or stolen: without the passphrase or recovery key they are "
    "unreadable. It does not protect against someone using your computer while the logbook "
    "is open and unlocked, against malware on your computer, or against copies you export "
    "as PDF or JSON."
)


def _passphrase_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("muted")
    return label


class EncryptionDialog(QDialog):
    """Encrypt, change passphrase or decrypt the open logbook.

    Signals:
        changed(): the logbook was encrypted or decrypted (the window may show a lock icon).
    """

    changed = Signal()

    def __init__(self, logbook: Logbook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.logbook = logbook
        self.job: Job[Any] | None = None
        self.message: QMessageBox | None = None
        # Between choosing a passphrase and confirming the new recovery key (never stored).
        self.pending: NewRecoveryKey | None = None
        self._passphrase = ""
        self._current: Unlock | None = None
        self.setWindowTitle("Encryption")
        self.setMinimumWidth(560)
        self.pages = QStackedWidget()
        self.encrypt_page = self._build_encrypt_page()
        self.key_page = self._build_key_page()
        self.manage_page = self._build_manage_page()
        for page in (self.encrypt_page, self.key_page, self.manage_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self._show_state()

    def _show_state(self) -> None:
        encrypted = self.logbook.encryption.encrypted
        self.pages.setCurrentWidget(self.manage_page if encrypted else self.encrypt_page)

    # --- encrypting ------------------------------------------------------------------------

    def _build_encrypt_page(self) -> QWidget:
        page = QWidget()
        title = QLabel("Encrypt this logbook")
        title.setObjectName("pageTitle")
        self.new_passphrase = _passphrase_field("New passphrase")
        self.repeat_passphrase = _passphrase_field("New passphrase again")
        self.encrypt_hint = QLabel()
        self.encrypt_hint.setObjectName("muted")
        self.encrypt_button = QPushButton("&Next: your recovery key")
        self.encrypt_button.setDefault(True)
        self.encrypt_button.setEnabled(False)
        self.encrypt_button.clicked.connect(self.encrypt)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        for field in (self.new_passphrase, self.repeat_passphrase):
            field.textChanged.connect(self._check_new_passphrase)
        form = QFormLayout()
        form.addRow("&Passphrase:", self.new_passphrase)
        form.addRow("&Again:", self.repeat_passphrase)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.encrypt_button)
        layout = QVBoxLayout(page)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(_note(PROTECTS))
        layout.addWidget(
            _note(
                "Choose a passphrase you will remember: a few unrelated words work well. "
                "Next you get a recovery key to print or keep safe; the logbook is encrypted "
                "once you confirm you have it."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.encrypt_hint)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    def _check_new_passphrase(self) -> None:
        first, again = self.new_passphrase.text(), self.repeat_passphrase.text()
        if len(first) < MIN_PASSPHRASE_LENGTH:
            hint = f"At least {MIN_PASSPHRASE_LENGTH} characters ({len(first)} so far)."
        elif first != again:
            hint = "Type the same passphrase twice."
        else:
            hint = "Ready."
        self.encrypt_hint.setText(hint)
        self.encrypt_button.setEnabled(hint == "Ready." and not self._busy())

    def _busy(self) -> bool:
        return self.job is not None and self.job.running

    def encrypt(self) -> None:
        """Show the new recovery key; the logbook is encrypted once it is confirmed."""
        self._passphrase = self.new_passphrase.text()
        self.new_passphrase.clear()
        self.repeat_passphrase.clear()
        self._show_key(
            "This is the recovery key of your logbook. If you forget the passphrase, it is the "
            "only way in. Print it or write it down now, and keep it somewhere safe, away from "
            "the computer. Nothing is encrypted until you confirm you have it.",
            "&Encrypt",
        )

    def _show_key(self, intro: str, action: str) -> None:
        self.pending = new_recovery_key()
        self.recovery_key.setText(self.pending.text)
        self.key_intro.setText(intro)
        self.done_button.setText(action)
        self.typed_back.clear()
        self.pages.setCurrentWidget(self.key_page)
        self.typed_back.setFocus()

    def _key_typed(self) -> None:
        ready = self.pending is not None and self.pending.confirmed_by(self.typed_back.text())
        self.done_button.setEnabled(ready and not self._busy())

    def _confirmed(self) -> None:
        """Encrypt (or change the passphrase) with the recovery key the user just confirmed."""
        recovery, current = self.pending, self._current
        if recovery is None:
            return
        passphrase, typed = self._passphrase, self.typed_back.text()
        service = self.logbook.encryption

        def backing_up(progress: Progress) -> Any:
            return lambda done, total: progress.report(done, total, "Backing up…")

        if current is None:
            self._run(
                "Encrypting",
                "Encrypting the logbook and its backups…",
                lambda p: service.encrypt(passphrase, recovery, typed, backing_up(p)),
                self._encrypted,
            )
        else:
            self._run(
                "Changing the passphrase",
                "Re-encrypting the logbook with its new key…",
                lambda p: service.change_passphrase(
                    current, passphrase, recovery, typed, backing_up(p)
                ),
                self._changed_passphrase,
            )

    def _run(
        self, title: str, text: str, call: Callable[[Progress], Any], done: Callable[[Any], None]
    ) -> None:
        def work(progress: Progress) -> Any:
            progress.report(0, 0, text)
            return call(progress)

        self.done_button.setEnabled(False)
        self.job = run_in_background(
            self, title, text, work, on_success=done, on_error=self._failed
        )

    def _encrypted(self, result: EncryptionResult) -> None:
        extra = (
            f" {result.backups_encrypted} existing backup(s) were encrypted too."
            if result.backups_encrypted
            else ""
        )
        self._finish("Logbook encrypted", "The logbook is encrypted." + extra)
        self.changed.emit()

    def _finish(self, title: str, text: str) -> None:
        self.pending, self._passphrase, self._current = None, "", None
        self.recovery_key.clear()
        self.typed_back.clear()
        self._show_state()
        self._tell(title, text)

    # --- the recovery key, shown once --------------------------------------------------------

    def _build_key_page(self) -> QWidget:
        page = QWidget()
        title = QLabel("Your recovery key")
        title.setObjectName("pageTitle")
        self.key_intro = _note("")
        self.key_intro.setObjectName("")
        card = QFrame()
        card.setObjectName("card")
        self.recovery_key = QLabel()
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.recovery_key.setFont(font)
        self.recovery_key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recovery_key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.recovery_key.setAccessibleName("Recovery key")
        inside = QVBoxLayout(card)
        inside.setContentsMargins(16, 18, 16, 18)
        inside.addWidget(self.recovery_key)
        copy = QPushButton("&Copy")
        copy.clicked.connect(self.copy_key)
        print_button = QPushButton("&Print…")
        print_button.clicked.connect(self.print_key)
        self.typed_back = QLineEdit()
        self.typed_back.setAccessibleName("The last four characters of the recovery key")
        self.typed_back.setMaxLength(9)
        self.typed_back.setPlaceholderText("XXXX")
        self.typed_back.textChanged.connect(self._key_typed)
        self.done_button = QPushButton("&Encrypt")
        self.done_button.setEnabled(False)
        self.done_button.clicked.connect(self._confirmed)
        back = QPushButton("Cancel")
        back.clicked.connect(self._cancel_key)
        row = QHBoxLayout()
        row.addWidget(copy)
        row.addWidget(print_button)
        row.addStretch(1)
        confirm = QFormLayout()
        confirm.addRow("Its last &four characters:", self.typed_back)
        finish = QHBoxLayout()
        finish.addLayout(confirm)
        finish.addStretch(1)
        finish.addWidget(back)
        finish.addWidget(self.done_button)
        layout = QVBoxLayout(page)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(self.key_intro)
        layout.addWidget(card)
        layout.addLayout(row)
        layout.addWidget(
            _note(
                "If you forget the passphrase, the recovery key opens the logbook and every "
                "backup of it. " + CANNOT_RECOVER
            )
        )
        layout.addStretch(1)
        layout.addLayout(finish)
        return page

    def copy_key(self) -> None:
        QGuiApplication.clipboard().setText(self.recovery_key.text())

    def print_key(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        document = QTextDocument()
        document.setHtml(
            "<h2>Practice Logbook: recovery key</h2>"
            f"<p>Logbook: {self.logbook.path}</p>"
            "<p style='font-size:18pt; font-family:monospace'>"
            f"<b>{self.recovery_key.text()}</b></p>"
            "<p>This key opens the logbook and every backup of it if the passphrase is "
            "forgotten. Keep it safe and private.</p>"
        )
        document.print_(printer)

    def _cancel_key(self) -> None:
        """Back without encrypting anything: the key shown is never used."""
        self.pending, self._passphrase, self._current = None, "", None
        self.recovery_key.clear()
        self.typed_back.clear()
        self._show_state()

    def done(self, result: int) -> None:
        if self._busy():
            return  # encrypting: the dialog stays until it is finished
        self.pending, self._passphrase, self._current = None, "", None
        self.recovery_key.clear()
        super().done(result)

    # --- change passphrase, decrypt ----------------------------------------------------------

    def _build_manage_page(self) -> QWidget:
        page = QWidget()
        title = QLabel("This logbook is encrypted")
        title.setObjectName("pageTitle")
        self.current = _passphrase_field("Current passphrase")
        self.use_recovery = QCheckBox("Use the recovery key instead (forgotten passphrase)")
        self.use_recovery.toggled.connect(self._recovery_toggled)
        self.changed_passphrase = _passphrase_field("New passphrase")
        self.changed_again = _passphrase_field("New passphrase again")
        self.change_button = QPushButton("&Change passphrase")
        self.change_button.clicked.connect(self.change_passphrase)
        self.decrypt_button = QPushButton("&Decrypt…")
        self.decrypt_button.clicked.connect(self.ask_decrypt)
        self.manage_error = QLabel()
        self.manage_error.setStyleSheet(warning_style())
        self.manage_error.setWordWrap(True)
        self.manage_error.hide()
        close = QPushButton("Close")
        close.clicked.connect(self.reject)

        current_form = QFormLayout()
        current_form.addRow("Current &passphrase:", self.current)
        current_form.addRow("", self.use_recovery)
        new_form = QFormLayout()
        new_form.addRow("&New passphrase:", self.changed_passphrase)
        new_form.addRow("&Again:", self.changed_again)
        change_row = QHBoxLayout()
        change_row.addStretch(1)
        change_row.addWidget(self.change_button)
        decrypt_row = QHBoxLayout()
        decrypt_row.addStretch(1)
        decrypt_row.addWidget(self.decrypt_button)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)

        layout = QVBoxLayout(page)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(_note(PROTECTS))
        layout.addLayout(current_form)
        layout.addWidget(self.manage_error)
        layout.addSpacing(6)
        layout.addWidget(_heading("Change the passphrase"))
        layout.addWidget(
            _note(
                "The logbook gets a new key, and you a new recovery key to keep, so the old "
                "passphrase opens nothing written from now on. Backups get the new passphrase "
                "too; the old recovery key still opens backups made before."
            )
        )
        layout.addLayout(new_form)
        layout.addLayout(change_row)
        layout.addSpacing(6)
        layout.addWidget(_heading("Decrypt"))
        layout.addWidget(
            _note(
                "Store the logbook unencrypted from now on. Backups already taken stay "
                "encrypted and still open with the passphrase or recovery key."
            )
        )
        layout.addLayout(decrypt_row)
        layout.addStretch(1)
        layout.addLayout(bottom)
        return page

    def _recovery_toggled(self, on: bool) -> None:
        self.current.clear()
        self.current.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        self.current.setPlaceholderText("XXXX-XXXX-…" if on else "")

    def _current_unlock(self) -> Unlock:
        text = self.current.text()
        return (
            Unlock(recovery_key=text) if self.use_recovery.isChecked() else Unlock(passphrase=text)
        )

    def _show_manage_error(self, text: str) -> None:
        self.manage_error.setText(text)
        self.manage_error.show()

    def change_passphrase(self) -> None:
        """Check what was typed, then show the new recovery key to confirm."""
        new, again = self.changed_passphrase.text(), self.changed_again.text()
        if new != again:
            self._show_manage_error("The two new passphrases differ.")
            return
        if len(new) < MIN_PASSPHRASE_LENGTH:
            self._show_manage_error(
                f"Choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters."
            )
            return
        current = self._current_unlock()
        try:
            self.logbook.encryption.check(current)
        except LogbookError as error:
            self._show_manage_error(str(error))
            return
        for field in (self.current, self.changed_passphrase, self.changed_again):
            field.clear()
        self.manage_error.hide()
        self._current, self._passphrase = current, new
        self._show_key(
            "Changing the passphrase gives the logbook a new key, and this new recovery key. "
            "Print it or write it down now and keep it safe; the old recovery key will only open "
            "backups made before today. Nothing changes until you confirm you have it.",
            "&Change passphrase",
        )

    def _changed_passphrase(self, count: int) -> None:
        also = f" {count} backup(s) open with it too." if count else ""
        self._finish("Passphrase changed", "The new passphrase and recovery key are in use." + also)

    def ask_decrypt(self) -> None:
        try:
            self.logbook.encryption.check(self._current_unlock())
        except LogbookError as error:
            self._show_manage_error(str(error))
            return
        self.manage_error.hide()
        self.confirm = QMessageBox(
            QMessageBox.Icon.Warning,
            "Decrypt the logbook?",
            "The logbook will be stored unencrypted: anyone with a copy of the file can read "
            "it. Backups already taken stay encrypted.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        self.confirm.button(QMessageBox.StandardButton.Yes).setText("Decrypt")
        self.confirm.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.confirm.buttonClicked.connect(self._decrypt_answered)
        self.confirm.open()

    def _decrypt_answered(self, button: Any) -> None:
        if self.confirm.standardButton(button) != QMessageBox.StandardButton.Yes:
            return
        unlock = self._current_unlock()

        def work(progress: Progress) -> None:
            progress.report(0, 0, "Backing up, then decrypting…")
            self.logbook.encryption.decrypt(
                unlock, lambda done, total: progress.report(done, total, "Backing up…")
            )

        self.decrypt_button.setEnabled(False)
        self.job = run_in_background(
            self,
            "Decrypting",
            "Decrypting the logbook…",
            work,
            on_success=self._decrypted,
            on_error=self._failed,
        )

    def _decrypted(self, _result: None) -> None:
        self.current.clear()
        self.decrypt_button.setEnabled(True)
        self.changed.emit()
        self._show_state()
        self._tell("Logbook decrypted", "The logbook is no longer encrypted.")

    def _tell(self, title: str, text: str) -> None:
        self.message = QMessageBox(QMessageBox.Icon.Information, title, text, parent=self)
        self.message.open()

    def _failed(self, error: BaseException) -> None:
        self.decrypt_button.setEnabled(True)
        self._check_new_passphrase()
        self._key_typed()
        text = str(error) if isinstance(error, LogbookError) else f"Unexpected error: {error!r}"
        self.message = QMessageBox(QMessageBox.Icon.Warning, "Encryption", text, parent=self)
        self.message.open()
