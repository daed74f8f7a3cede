"""New signing identities and confirming a signer's key by reading its fingerprint aloud."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.audit import ConfirmMethod
from logbook.domain.errors import LogbookError
from logbook.domain.identity import PublicIdentity, SealedIdentity, create_identity
from logbook.domain.records import Record
from logbook.domain.signing import (
    PeriodSummary,
)
from logbook.services.identity import write_identity_file
from logbook.services.logbook import Logbook
from logbook.ui.layouts import fit_to_screen
from logbook.ui.signoff.dialogs.base import ActionDialog, buttons
from logbook.ui.signoff.widgets import (
    Banner,
    IdentityCard,
    IdentityPicker,
    PathField,
    muted,
    passphrase_field,
    title,
)


class IdentityDialog(ActionDialog):
    """Create a signing identity: one's own, kept on this computer, or, ``for_supervisor``, a
    supervisor's made on the spot while signing in person and written only to the file they
    choose (their USB stick); this computer keeps none of it."""

    created = Signal(object)
    saved = Signal(object)

    def __init__(
        self, logbook: Logbook, parent: QWidget | None = None, *, for_supervisor: bool = False
    ) -> None:
        super().__init__(parent)
        self.logbook = logbook
        self.for_supervisor = for_supervisor
        self.identity: SealedIdentity | None = None
        self.destination = PathField(
            "Save the identity file to",
            "Identity files (*.identity.json);;All files (*)",
            save=True,
            parent=self,
        )
        self.destination.setVisible(for_supervisor)
        self.setWindowTitle("New signing identity")
        fit_to_screen(self, 520, 420)
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Your name")
        self.body = QLineEdit(self)
        self.body.setAccessibleName("Registration body")
        self.body.setPlaceholderText("e.g. HCPC, BACP, BABCP, NMC")
        self.number = QLineEdit(self)
        self.number.setAccessibleName("Registration number")
        self.organisation = QLineEdit(self)
        self.organisation.setAccessibleName("Organisation")
        self.passphrase = passphrase_field(self)
        self.passphrase.setPlaceholderText("At least 8 characters; a few words are best")
        self.again = passphrase_field(self)
        self.again.setAccessibleName("Passphrase again")
        self.again.setPlaceholderText("The same again")
        self.banner = Banner(self)
        box, self.create_button = buttons(self, "Create identity")
        self.create_button.clicked.connect(self.create_identity)
        form = QFormLayout()
        form.addRow("Your name", self.name)
        form.addRow("Registration body", self.body)
        form.addRow("Registration number", self.number)
        form.addRow("Organisation", self.organisation)
        form.addRow("Passphrase", self.passphrase)
        form.addRow("Passphrase again", self.again)
        if for_supervisor:
            form.addRow("Save to (your USB stick)", self.destination)
        layout = QVBoxLayout(self)
        layout.addWidget(title("Your signing identity", self, name="pageTitle"))
        if for_supervisor:
            layout.addWidget(
                muted(
                    "For the supervisor, at the keyboard: your identity file is written only "
                    "where you choose, sealed under your passphrase. This computer keeps your "
                    "public key and nothing else. Note your fingerprint when it is shown.",
                    self,
                )
            )
        layout.addWidget(
            muted(
                "Supervisors sign with an identity: their name and registration, and a key "
                "protected by their passphrase. Nobody can sign in your name without both the "
                "identity file and the passphrase. If you forget the passphrase, create a new "
                "identity and tell your supervisees its fingerprint.",
                self,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.banner)
        layout.addStretch(1)
        layout.addWidget(box)

    def create_identity(self) -> None:
        if self.passphrase.text() != self.again.text():
            self.banner.problem("The two passphrases differ.")
            return
        destination = self.destination.path()
        if self.for_supervisor and destination is None:
            self.banner.problem("Choose where to save your identity file (your USB stick).")
            return
        details: dict[str, Any] = {
            "registration_body": self.body.text(),
            "registration_number": self.number.text(),
            "organisation": self.organisation.text(),
        }
        try:
            if destination is not None and self.for_supervisor:
                self.identity = create_identity(self.name.text(), self.passphrase.text(), **details)
                write_identity_file(self.identity, destination)
            else:
                made = self.logbook.signoff.create_identity(
                    self.name.text(), self.passphrase.text(), **details
                )
                self.identity, self.change = made.identity, made.change
        except LogbookError as error:
            self.banner.problem(str(error))
            return
        finally:
            self.passphrase.clear()
            self.again.clear()
        self.created.emit(self.identity)
        if destination is not None and self.for_supervisor:
            self.saved.emit(destination)
        self.accept()


class KeyConfirmation(QFrame):
    """Pin the signer's key, once the supervisor has compared its fingerprint with theirs.

    Shown only for a key this logbook has not confirmed: a key is never trusted because it was
    made or loaded here, only on the practitioner's word, recorded with how and when.
    """

    def __init__(self, logbook: Logbook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.logbook = logbook
        self.check = QCheckBox(self)
        self.check.setAccessibleName("The supervisor confirmed the fingerprint")
        self.person = QComboBox(self)
        self.person.setAccessibleName("Whose key it is")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.addWidget(title("Confirm the key", self))
        layout.addWidget(self.check)
        form = QFormLayout()
        form.addRow("It is the key of", self.person)
        layout.addLayout(form)
        self.hide()

    def show_for(
        self, signer: PublicIdentity | None, targets: Sequence[Record | PeriodSummary]
    ) -> None:
        pinned = {k.fingerprint for k in self.logbook.signoff.known_signers() if k.confirmed_at}
        if signer is None or signer.fingerprint in pinned:
            self.check.setChecked(False)
            self.hide()
            return
        self.check.setText(
            f"{signer.name} compared {signer.fingerprint} with their own screen or card, "
            "here with me: it matches"
        )
        self.person.clear()
        people = self.logbook.signoff.people_who_could_sign(targets, signer.name)
        for person in people:
            self.person.addItem(person.name, person.uid)
        self.show()

    def person_uid(self) -> str | None:
        if not self.isVisible() or not self.check.isChecked():
            return None
        uid = self.person.currentData()
        return str(uid) if uid else None


class ConfirmKeyDialog(ActionDialog):
    """The practitioner confirms that a key is a supervisor's, having checked it with them."""

    def __init__(
        self, logbook: Logbook, key: PublicIdentity, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.logbook, self.key = logbook, key
        self.setWindowTitle("Confirm a supervisor's key")
        fit_to_screen(self, 560, 340)
        self.person = QComboBox(self)
        self.person.setAccessibleName("Whose key it is")
        for person in logbook.signoff.people_who_could_sign([], key.name):
            self.person.addItem(person.name, person.uid)
        self.method = QComboBox(self)
        self.method.setAccessibleName("How you checked it")
        for method in ConfirmMethod:
            self.method.addItem(method.label, method)
        self.check = QCheckBox(
            f"The fingerprint they gave me is {key.fingerprint}, exactly as shown here", self
        )
        self.check.setAccessibleName("The fingerprints are the same")
        self.banner = Banner(self)
        box, self.confirm_button = buttons(self, "Confirm key")
        self.confirm_button.clicked.connect(self.confirm)
        self.check.toggled.connect(self.confirm_button.setEnabled)
        self.confirm_button.setEnabled(False)
        form = QFormLayout()
        form.addRow("Key of", self.person)
        form.addRow("Checked", self.method)
        layout = QVBoxLayout(self)
        layout.addWidget(title(f"Confirm the key of {key.name}", self, name="pageTitle"))
        card = IdentityCard(self)
        card.show_identity(key)
        layout.addWidget(card)
        layout.addWidget(
            muted(
                "Ask the supervisor to read their fingerprint from their own app, card or "
                "screen (not from a file they sent). Only then are their signatures shown as "
                "verified. Your confirmation is recorded, signed, with how and when.",
                self,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.check)
        layout.addWidget(self.banner)
        layout.addWidget(box)

    def confirm(self) -> None:
        uid = self.person.currentData()
        if not uid:
            self.banner.problem("Add the supervisor under People first; the key is pinned to them.")
            return
        try:
            method = ConfirmMethod(self.method.currentData())
            confirmed = self.logbook.signoff.confirm_key(str(uid), self.key, method)
        except LogbookError as error:
            self.banner.problem(str(error))
            return
        self.change = confirmed.change
        self.accept()


class SignerBox(QFrame):
    """Who signs, and their passphrase (typed by them, never kept)."""

    changed = Signal()
    retyped = Signal()

    def __init__(
        self, logbook: Logbook, parent: QWidget | None = None, *, in_person: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.logbook = logbook
        self.picker = IdentityPicker(logbook.signoff.identities.list(), self)
        self.passphrase = passphrase_field(self)
        form = QFormLayout()
        form.addRow("Passphrase", self.passphrase)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.addWidget(title("Signed by", self))
        layout.addWidget(self.picker)
        if in_person:
            self.new_identity = QPushButton("The supervisor has no identity yet: create one…", self)
            self.new_identity.setAccessibleName("Create an identity for the supervisor")
            self.new_identity.clicked.connect(self.create_for_supervisor)
            row = QHBoxLayout()
            row.addWidget(self.new_identity)
            row.addStretch(1)
            layout.addLayout(row)
        layout.addLayout(form)
        layout.addWidget(
            muted(
                "The private key is unlocked in memory for this signature only. "
                "It is never stored in this logbook.",
                self,
            )
        )
        self.picker.chosen.connect(self.changed)
        self.passphrase.textChanged.connect(self.changed)
        self.passphrase.textEdited.connect(self.retyped)

    def ready(self) -> bool:
        return self.picker.identity() is not None and bool(self.passphrase.text())

    def create_for_supervisor(self) -> IdentityDialog:
        """Let the supervisor make their identity here, saved only where they choose."""
        dialog = IdentityDialog(self.logbook, self, for_supervisor=True)
        dialog.saved.connect(self.picker.load_file)
        dialog.open()
        return dialog
