"""Evidence files: stored by hash in the logbook, and added, opened and removed from an editor."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from logbook.domain.errors import LogbookError, NotFoundError, StorageError, ValidationError
from logbook.domain.records import CpdActivity, RecordKind
from logbook.services.attachments import MAX_ATTACHMENT_BYTES
from logbook.services.logbook import Logbook
from logbook.ui.editors import RecordEditorDialog, open_editor
from tests.editor_helpers import ServiceHost, show, when_modal

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def course(logbook: Logbook) -> CpdActivity:
    record = CpdActivity(
        start_date=date(2026, 2, 9), title="Trauma-informed practice", duration_minutes=360
    )
    logbook.records.create(record)
    return record


@pytest.fixture
def certificate(tmp_path: Path) -> Path:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(PDF)
    return path


class UrlCatcher(QObject):
    """Receives what the app asks the desktop to open, instead of a real viewer."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def opened() -> Iterator[UrlCatcher]:
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    yield catcher
    QDesktopServices.unsetUrlHandler("file")


def blob_count(logbook: Logbook) -> int:
    with logbook.db.reading() as session:
        return int(session.execute(text("SELECT count(*) FROM attachment_blob")).scalar_one())


# --- the service -------------------------------------------------------------------------------


def test_a_file_is_stored_by_hash_and_read_back(
    logbook: Logbook, course: CpdActivity, certificate: Path
) -> None:
    attachment = logbook.attachments.add_file(course, certificate)
    assert attachment.filename == "certificate.pdf"
    assert attachment.media_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.owner_uid == course.uid
    assert logbook.attachments.list_for(course.uid) == [attachment]
    assert logbook.attachments.content(attachment) == PDF


def test_removing_deletes_the_content_unless_shared(
    logbook: Logbook, course: CpdActivity, certificate: Path
) -> None:
    first = logbook.attachments.add_file(course, certificate)
    second = logbook.attachments.add_file(course, certificate)
    assert blob_count(logbook) == 1  # the same content is kept once
    logbook.attachments.remove(first)
    assert logbook.attachments.content(second) == PDF
    logbook.attachments.remove(second)
    assert logbook.attachments.list_for(course.uid) == []
    assert blob_count(logbook) == 0
    with pytest.raises(NotFoundError):
        logbook.attachments.content(second)


def test_a_file_over_the_size_limit_is_refused_with_its_size(
    logbook: Logbook, course: CpdActivity, tmp_path: Path
) -> None:
    big = tmp_path / "scan.tiff"
    with big.open("wb") as handle:
        handle.truncate(MAX_ATTACHMENT_BYTES + 5 * 1024 * 1024)
    with pytest.raises(ValidationError) as caught:
        logbook.attachments.add_file(course, big)
    message = str(caught.value)
    assert "scan.tiff" in message
    assert "30 MB" in message
    assert "at most 25 MB" in message
    assert logbook.attachments.list_for(course.uid) == []
    assert blob_count(logbook) == 0


def test_empty_missing_and_orphan_files_are_refused_cleanly(
    logbook: Logbook, course: CpdActivity, tmp_path: Path, certificate: Path
) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(ValidationError, match="empty"):
        logbook.attachments.add_file(course, empty)
    with pytest.raises(LogbookError, match="Cannot read"):
        logbook.attachments.add_file(course, tmp_path / "missing.pdf")
    unsaved = CpdActivity(start_date=date(2026, 3, 1), title="Not saved", duration_minutes=60)
    with pytest.raises(NotFoundError, match="Save this cpd"):
        logbook.attachments.add_file(unsaved, certificate)
    assert blob_count(logbook) == 0


def test_damaged_content_is_reported_not_returned(
    logbook: Logbook, course: CpdActivity, certificate: Path
) -> None:
    attachment = logbook.attachments.add_file(course, certificate)
    with logbook.db.transaction() as session:
        session.execute(text("UPDATE attachment_blob SET data = :d"), {"d": b"%PDF-tampered"})
    with pytest.raises(StorageError, match="damaged"):
        logbook.attachments.content(attachment)


# --- the editor --------------------------------------------------------------------------------


def edit_course(qtbot: QtBot, logbook: Logbook, course: CpdActivity) -> RecordEditorDialog:
    dialog = open_editor(RecordKind.CPD, logbook, ServiceHost(logbook), course)
    assert isinstance(dialog, RecordEditorDialog)
    return show(qtbot, dialog)  # type: ignore[return-value]


def test_add_open_and_remove_a_certificate_from_the_editor(
    qtbot: QtBot,
    logbook: Logbook,
    course: CpdActivity,
    certificate: Path,
    opened: UrlCatcher,
) -> None:
    dialog = edit_course(qtbot, logbook, course)
    panel = dialog.attachments
    assert panel is not None
    assert not panel.empty.isHidden()

    # Add: the file picker opens; the user picks the certificate.
    def pick(modal: QWidget) -> None:
        assert isinstance(modal, QFileDialog)
        modal.selectFile(str(certificate))
        modal.accept()

    when_modal(pick)
    panel.add_button.click()
    (stored,) = logbook.attachments.list_for(course.uid)
    assert stored.filename == "certificate.pdf"
    assert panel.list.count() == 1
    assert "certificate.pdf" in panel.list.item(0).text()

    # Open: a private temporary copy goes to the desktop's viewer.
    panel.open_button.click()
    (url,) = opened.urls
    copy = Path(url.toLocalFile())
    assert copy.name == "certificate.pdf"
    assert copy.read_bytes() == PDF
    assert oct(copy.stat().st_mode & 0o777) == oct(0o600)

    # Remove: asks first; Cancel keeps it, Yes removes it at once.
    when_modal(lambda box: box.button(QMessageBox.StandardButton.Cancel).click())  # type: ignore[attr-defined]
    panel.remove_button.click()
    assert len(logbook.attachments.list_for(course.uid)) == 1
    when_modal(lambda box: box.button(QMessageBox.StandardButton.Yes).click())  # type: ignore[attr-defined]
    panel.remove_button.click()
    assert logbook.attachments.list_for(course.uid) == []
    assert panel.list.count() == 0

    # Attachment changes are immediate: cancelling the editor does not bring it back.
    dialog.reject()
    assert logbook.attachments.list_for(course.uid) == []


def test_files_chosen_for_a_new_record_are_stored_when_it_is_saved(
    qtbot: QtBot, logbook: Logbook, certificate: Path
) -> None:
    dialog = open_editor(RecordKind.CPD, logbook, ServiceHost(logbook))
    assert isinstance(dialog, RecordEditorDialog)
    show(qtbot, dialog)
    panel = dialog.attachments
    assert panel is not None
    panel.add_files([certificate])
    assert "added when you save" in panel.list.item(0).text()
    dialog.form.editor("title").focus_widget.setText("Safeguarding adults level 3")  # type: ignore[attr-defined]
    dialog.form.editor("duration_minutes").focus_widget.setText("3h")  # type: ignore[attr-defined]
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    (saved,) = dialog.saved
    (attachment,) = logbook.attachments.list_for(saved.uid)
    assert logbook.attachments.content(attachment) == PDF


def test_a_file_too_large_for_the_editor_is_explained(
    qtbot: QtBot, logbook: Logbook, course: CpdActivity, tmp_path: Path
) -> None:
    big = tmp_path / "photo.jpg"
    with big.open("wb") as handle:
        handle.truncate(MAX_ATTACHMENT_BYTES + 1024 * 1024)
    dialog = edit_course(qtbot, logbook, course)
    assert dialog.attachments is not None
    dialog.attachments.add_files([big])
    assert not dialog.banner.isHidden()
    assert "photo.jpg" in dialog.banner.text.text()
    assert "at most 25 MB" in dialog.banner.text.text()
    assert logbook.attachments.list_for(course.uid) == []
    assert os.path.exists(big)
