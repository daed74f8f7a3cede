"""Checking a portfolio in the app, and signing one in the export dialog, driven as a person
would: a real logbook's signed export, a copy with a printed number changed, a reviewer with no
logbook of their own, and a practitioner typing the right and the wrong passphrase."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QWizard
from pytestqt.qtbot import QtBot

from logbook.domain.audit import ConfirmMethod
from logbook.domain.proof_report import Verdict
from logbook.domain.records import Profile, SupervisionSession
from logbook.services.export import export_portfolio
from logbook.services.logbook import Logbook
from logbook.services.portfolio_check import check_portfolio
from logbook.ui.export_dialog import ExportDialog
from logbook.ui.first_run import FirstRunWizard
from logbook.ui.portfolio_check_dialog import PortfolioCheckDialog
from tests.proof_support import MY_PASSPHRASE, change_a_total, export_signed, signed_logbook
from tests.signoff_support import (
    PASSPHRASE,
    SUPERVISOR,
    add_entries,
    new_identity,
    open_book,
)
from tests.ui_helpers import open_window

PRACTITIONER = "Morag Stewart"


@dataclass(frozen=True)
class Signed:
    """A signed export, and the data folders of its practitioner and supervisor."""

    pdf: Path
    practitioner: Path
    supervisor: Path


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Signed:
    folder = tmp_path_factory.mktemp("signed")
    with open_book(folder / "supervisor") as supervisor:
        new_identity(supervisor)
    with signed_logbook(folder / "practitioner", PRACTITIONER, folder / "supervisor") as book:
        export_signed(book, folder / "signed.pdf")
    return Signed(folder / "signed.pdf", folder / "practitioner", folder / "supervisor")


def shown_dialog(qtbot: QtBot, reviewer: Logbook | None = None) -> PortfolioCheckDialog:
    dialog = PortfolioCheckDialog(reviewer)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def checked(qtbot: QtBot, dialog: PortfolioCheckDialog, path: Path) -> Verdict | None:
    """Choose ``path`` as the file chooser does, and wait for the verdict."""
    dialog.check_file(path)
    qtbot.waitUntil(lambda: dialog.job is not None and not dialog.job.running, timeout=60_000)
    return dialog.verdict


def words(dialog: PortfolioCheckDialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel) if label.isVisible())


def test_a_signed_portfolio_checks_out_and_an_altered_copy_does_not(
    qtbot: QtBot, signed: Signed, tmp_path: Path
) -> None:
    dialog = shown_dialog(qtbot)
    shown: list[str] = []
    dialog.progress.valueChanged.connect(lambda _: shown.append(dialog.status.text()))
    assert checked(qtbot, dialog, signed.pdf) is Verdict.CHECKS_OUT
    assert any(text.startswith("Reading page 1 of ") for text in shown)
    assert "Checking every sign-off inside…" in shown
    assert dialog.banner.headline.text() == "Checks out"
    assert f"This portfolio of {PRACTITIONER}" in dialog.banner.reason.text()
    fingerprint = dialog.details.fingerprint
    assert fingerprint is not None
    assert fingerprint.text() == check_portfolio(signed.pdf).fingerprint
    assert fingerprint.font().fixedPitch() or "mono" in fingerprint.font().family().lower()
    assert fingerprint.textInteractionFlags()
    said = words(dialog)
    assert "not checked against your own confirmed keys" in said
    assert "A valid result proves who signed" in said
    assert "Supervision: 2 of 3 printed as signed, each backed by a valid signature inside." in said
    assert "equal" in said

    altered = tmp_path / "altered.pdf"
    shutil.copy(signed.pdf, altered)
    change_a_total(altered)
    assert checked(qtbot, dialog, altered) is Verdict.ALTERED
    assert dialog.banner.headline.text().startswith("Altered")
    assert "changed after it was signed" in words(dialog)


def test_a_reviewer_sees_whether_they_confirmed_each_signer(qtbot: QtBot, signed: Signed) -> None:
    with open_book(signed.practitioner) as reviewer:
        dialog = shown_dialog(qtbot, reviewer)
        assert checked(qtbot, dialog, signed.pdf) is Verdict.CHECKS_OUT
    assert "you confirmed it too" in words(dialog)


def test_a_file_that_is_not_a_portfolio_is_said_in_words(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = shown_dialog(qtbot)
    text = tmp_path / "notes.pdf"
    text.write_text("not a PDF at all")
    assert checked(qtbot, dialog, text) is Verdict.CANNOT_BE_CHECKED
    assert "notes.pdf is not a PDF" in dialog.banner.reason.text()
    assert checked(qtbot, dialog, tmp_path / "missing.pdf") is Verdict.CANNOT_BE_CHECKED
    assert "does not exist" in dialog.banner.reason.text()


def test_the_welcome_offers_checking_without_a_logbook_of_ones_own(
    qtbot: QtBot, logbook: Logbook, signed: Signed
) -> None:
    wizard = FirstRunWizard(logbook)
    qtbot.addWidget(wizard)
    wizard.show()
    button = wizard.button(QWizard.WizardButton.CustomButton1)
    assert button.isVisible()
    assert "portfolio" in button.text()
    button.click()
    dialog = wizard.check_dialog
    assert isinstance(dialog, PortfolioCheckDialog)
    assert dialog.reviewer is None
    assert checked(qtbot, dialog, signed.pdf) is Verdict.CHECKS_OUT
    dialog.close()
    assert logbook.records.profile() is None


def test_the_file_menu_checks_against_the_open_logbook(qtbot: QtBot, logbook: Logbook) -> None:
    logbook.records.create(Profile(name="Sam Carter"))
    window = open_window(qtbot, logbook)
    window.registry.trigger("file.check_portfolio")
    [dialog] = window.findChildren(PortfolioCheckDialog)
    assert dialog.isVisible()
    assert dialog.reviewer is logbook
    dialog.close()


@pytest.fixture
def practitioner(tmp_path: Path) -> Iterator[Logbook]:
    with open_book(tmp_path / "supervisor") as supervisor:
        new_identity(supervisor)
    with signed_logbook(tmp_path / "practitioner", PRACTITIONER, tmp_path / "supervisor") as book:
        yield book


def export_dialog(qtbot: QtBot, book: Logbook, target: Path, passphrase: str) -> ExportDialog:
    dialog = ExportDialog(book)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.all_radio.setChecked(True)
    dialog.path_edit.setText(str(target))
    assert dialog.signer_combo.currentData() == book.signoff.identities.list()[0].fingerprint
    dialog.passphrase_edit.setText(passphrase)
    dialog.start_export()
    qtbot.waitUntil(lambda: dialog.job is not None and not dialog.job.running, timeout=60_000)
    return dialog


def test_the_export_dialog_signs_with_the_identity_chosen(
    qtbot: QtBot, practitioner: Logbook, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "signed.pdf"
    target.parent.mkdir()
    dialog = export_dialog(qtbot, practitioner, target, MY_PASSPHRASE)
    assert f"signed by {PRACTITIONER}" in dialog.status.text()
    report = check_portfolio(target)
    assert report.ok, report.problems
    assert report.document.signer_name == PRACTITIONER


def test_a_wrong_passphrase_is_said_beside_it_and_nothing_is_written(
    qtbot: QtBot, practitioner: Logbook, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    dialog = export_dialog(qtbot, practitioner, folder / "signed.pdf", "not my passphrase")
    assert dialog.passphrase_error.isVisible()
    assert "does not unlock" in dialog.passphrase_error.text()
    assert "Nothing was written" in dialog.passphrase_error.text()
    assert not list(folder.iterdir())


def test_a_supervisors_identity_kept_here_is_not_offered_and_cannot_sign(
    qtbot: QtBot, practitioner: Logbook, tmp_path: Path
) -> None:
    """A supervisor who signed in person at the practitioner's computer left their identity
    there: the portfolio is the practitioner's to sign, never theirs."""
    from logbook.services.signoff.keys import NotYourIdentityError

    theirs = new_identity(practitioner)
    [entry] = add_entries(practitioner, 1, month=5)
    assert isinstance(entry, SupervisionSession)
    practitioner.signoff.confirm_key(entry.counterpart_uid, theirs.public, ConfirmMethod.IN_PERSON)
    practitioner.signoff.sign([entry], theirs, PASSPHRASE)
    dialog = ExportDialog(practitioner)
    qtbot.addWidget(dialog)
    offered = [dialog.signer_combo.itemData(i) for i in range(dialog.signer_combo.count())]
    assert theirs.fingerprint not in offered
    assert len(offered) == 2  # "Don't sign" and the practitioner's own identity

    options = dataclasses.replace(
        dialog.options(), sign_with=theirs.fingerprint, passphrase=lambda _: PASSPHRASE
    )
    with pytest.raises(NotYourIdentityError, match=f"{SUPERVISOR}, who signs entries"):
        export_portfolio(practitioner, tmp_path / "theirs.pdf", options)
    assert not (tmp_path / "theirs.pdf").exists()


def test_dont_sign_leaves_the_passphrase_aside(qtbot: QtBot, practitioner: Logbook) -> None:
    dialog = ExportDialog(practitioner)
    qtbot.addWidget(dialog)
    dialog.signer_combo.setCurrentIndex(dialog.signer_combo.findData(None))
    assert not dialog.passphrase_edit.isEnabled()
    assert dialog.options().sign_with is None
