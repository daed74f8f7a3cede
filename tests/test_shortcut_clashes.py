"""No key is bound twice in one window: every window and dialog the app can show is walked, in
each of its states (sections, wizard pages, stacked pages, tabs), and every action, shortcut
and mnemonic in it is read back (``logbook.ui.shortcuts``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QCheckBox, QDialog, QStackedWidget, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from logbook.domain.identity import SealedIdentity
from logbook.domain.records import Profile, RecordKind
from logbook.domain.signoff import SignoffMode
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.storage.database import DamagedLogbookError
from logbook.ui.backups_dialog import BackupsDialog
from logbook.ui.conflicts_dialog import ConflictsDialog
from logbook.ui.editors import RecordEditorDialog, open_editor
from logbook.ui.editors.kinds import FORMS
from logbook.ui.encryption_dialog import EncryptionDialog
from logbook.ui.export_dialog import ExportDialog
from logbook.ui.first_run import FirstRunWizard
from logbook.ui.pathways import StartPathwayDialog
from logbook.ui.portfolio_check_dialog import PortfolioCheckDialog
from logbook.ui.preferences import PreferencesDialog
from logbook.ui.recovery_dialog import RecoveryDialog
from logbook.ui.settings import Preferences
from logbook.ui.shortcuts import bindings, clashes, mnemonic
from logbook.ui.signoff.dialogs import (
    ApplyResponseDialog,
    ConfirmKeyDialog,
    IdentityDialog,
    PaperDialog,
    PeriodSummaryDialog,
    RequestDialog,
    SignDialog,
)
from logbook.ui.unlock_dialog import UnlockDialog
from tests.editor_helpers import ServiceHost
from tests.encryption_support import encrypt
from tests.signoff_support import PASSPHRASE, SUPERVISOR, add_entries
from tests.ui_helpers import open_window


def shown(qtbot: QtBot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def states(window: QWidget) -> Iterator[str]:
    """Show each page of each stack and tab set in turn (one level deep), naming it."""
    yield "as opened"
    for stack in window.findChildren(QStackedWidget):
        if isinstance(stack.parent(), QTabWidget) or not stack.isVisibleTo(window):
            continue
        first = stack.currentIndex()
        for index in range(stack.count()):
            stack.setCurrentIndex(index)
            yield f"page {index + 1} of {stack.objectName() or 'a stack'}"
        stack.setCurrentIndex(first)
    for tabs in window.findChildren(QTabWidget):
        if not tabs.isVisibleTo(window):
            continue
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            yield f"tab {tabs.tabText(index)}"


def every_clash(window: QWidget) -> list[str]:
    found: list[str] = []
    for state in states(window):
        found += [f"{clash} ({state})" for clash in clashes(window)]
    return list(dict.fromkeys(found))


def test_the_checker_sees_a_clash(qtbot: QtBot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    QCheckBox("&Next", dialog)
    QCheckBox("&Name", dialog)
    assert mnemonic("&Name") == "Alt+N"
    assert [b.key for b in bindings(dialog)] == ["Alt+N", "Alt+N"]
    assert clashes(dialog)


def test_the_main_window_in_every_section(qtbot: QtBot, logbook: Logbook) -> None:
    logbook.records.create(Profile(name="Sam Carter"))
    window = open_window(qtbot, logbook)
    found: list[str] = []
    for key in window.section_keys:
        window.show_section(key)
        found += [f"{clash} (section {key})" for clash in every_clash(window)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("kind", [k.value for k in FORMS])
def test_every_entry_form(qtbot: QtBot, logbook: Logbook, kind: str) -> None:
    dialog = open_editor(RecordKind(kind), logbook, ServiceHost(logbook))
    assert isinstance(dialog, RecordEditorDialog)
    shown(qtbot, dialog)
    if dialog.series is not None:
        dialog.series.setChecked(True)
    found = every_clash(dialog)
    assert not found, "\n".join(found)


def test_every_page_of_the_welcome(qtbot: QtBot, logbook: Logbook) -> None:
    wizard = shown(qtbot, FirstRunWizard(logbook))
    assert isinstance(wizard, FirstRunWizard)
    wizard.about.name.setText("Sam Carter")
    found: list[str] = []
    for _page in wizard.pageIds():
        found += [f"{clash} (page {wizard.currentPage().title()})" for clash in clashes(wizard)]
        wizard.next()
    assert not found, "\n".join(found)


def test_the_logbook_dialogs(qtbot: QtBot, logbook: Logbook, location: DataLocation) -> None:
    logbook.records.create(Profile(name="Sam Carter"))
    dialogs: list[QWidget] = [
        PreferencesDialog(Preferences(None)),
        BackupsDialog(logbook),
        EncryptionDialog(logbook),
        ExportDialog(logbook),
        PortfolioCheckDialog(logbook),
        PortfolioCheckDialog(None),
        ConflictsDialog(logbook),
        StartPathwayDialog(logbook),
        UnlockDialog(lambda _unlock: None),
    ]
    found: list[str] = []
    for dialog in dialogs:
        shown(qtbot, dialog)
        found += [f"{type(dialog).__name__}: {clash}" for clash in every_clash(dialog)]
    encrypt(logbook, PASSPHRASE)
    changing = shown(qtbot, EncryptionDialog(logbook))
    found += [f"EncryptionDialog (encrypted): {clash}" for clash in every_clash(changing)]
    assert not found, "\n".join(found)


def test_the_recovery_dialog(qtbot: QtBot, location: DataLocation) -> None:
    first = Logbook.open(location)
    first.records.create(Profile(name="Sam Carter"))
    first.backups.backup_now()
    first.close()
    location.database.write_bytes(os.urandom(30_000))
    with pytest.raises(DamagedLogbookError) as raised:
        Logbook.open(location)
    dialog = shown(qtbot, RecoveryDialog(raised.value, location))
    found = every_clash(dialog)
    assert not found, "\n".join(found)


def test_the_signoff_dialogs(
    qtbot: QtBot, practitioner: Logbook, identity: SealedIdentity, tmp_path: Path
) -> None:
    entries = add_entries(practitioner, 2)
    practitioner.signoff.sign(
        entries[:1], identity, PASSPHRASE, confirm_for=entries[0].counterpart_uid
    )
    dialogs: list[QWidget] = [
        SignDialog(practitioner, mode=SignoffMode.IN_PERSON, targets=entries[1:]),
        SignDialog(practitioner, mode=SignoffMode.BATCH),
        PaperDialog(practitioner, entries[1:], SUPERVISOR),
        PeriodSummaryDialog(practitioner),
        RequestDialog(practitioner),
        ApplyResponseDialog(practitioner),
        IdentityDialog(practitioner),
        IdentityDialog(practitioner, for_supervisor=True),
        ConfirmKeyDialog(practitioner, identity.public),
    ]
    found: list[str] = []
    for dialog in dialogs:
        shown(qtbot, dialog)
        found += [f"{type(dialog).__name__}: {clash}" for clash in every_clash(dialog)]
    window = open_window(qtbot, practitioner)
    window.show_section("signoff")
    page = window.section_widget("signoff")
    page.tabs.setCurrentWidget(page.signed)  # type: ignore[attr-defined]
    signed = page.signed  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: signed.view.model().rowCount() > 0)
    signed.view.selectRow(0)
    qtbot.waitUntil(lambda: signed.current is not None)  # its detail is read off the GUI thread
    revoke = signed.revoke_newest()
    assert isinstance(revoke, QDialog)
    found += [f"RevokeDialog: {clash}" for clash in every_clash(revoke)]
    revoke.close()
    assert not found, "\n".join(found)
