"""Hostile files and failing disks: attachments are what they say, ids are ids, CSV columns are
not silently merged, a failed save is explained in words, and every file the app writes with
personal data is owner-only, with no temporary or journal file left behind."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import stat
import sys
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from logbook.domain.errors import ConflictError, StorageError, ValidationError
from logbook.domain.periods import Period
from logbook.domain.records import (
    Attachment,
    CpdActivity,
    Person,
    RecordKind,
    SupervisionSession,
)
from logbook.services import filetypes
from logbook.services.exchange import export_json
from logbook.services.export import ExportOptions, export_portfolio
from logbook.services.imports import import_csv
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.services.signoff.inbox import Decision
from logbook.storage import repository as repo
from logbook.ui.editors import RecordEditorDialog, open_editor
from tests.editor_helpers import ServiceHost, show
from tests.signoff_support import (
    PASSPHRASE,
    SUPERVISOR,
    add_entries,
    new_identity,
    open_book,
)

# The start of a Windows program: what a hostile "certificate" really is.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(50) + b"This program cannot be run in DOS mode"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64)
HOSTILE_UID = "../../etc/passwd"


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
DOCM = _zip({"[Content_Types].xml": b"<Types/>", "word/vbaProject.bin": b"\x00macro"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


@pytest.fixture
def course(logbook: Logbook) -> CpdActivity:
    record = CpdActivity(
        start_date=date(2026, 2, 9), title="Trauma-informed practice", duration_minutes=360
    )
    return logbook.records.create(record).record


@pytest.fixture
def disguised_program(tmp_path: Path) -> Path:
    path = tmp_path / "CPD certificate.pdf"
    path.write_bytes(EXE)
    return path


def _blob_count(logbook: Logbook) -> int:
    with logbook.db.reading() as session:
        return int(session.execute(text("SELECT count(*) FROM attachment_blob")).scalar_one())


# --- attachments are what they say -------------------------------------------------------------


def test_a_program_named_as_a_pdf_is_refused_by_the_service(
    logbook: Logbook, course: CpdActivity, disguised_program: Path
) -> None:
    with pytest.raises(ValidationError) as caught:
        logbook.attachments.add_file(course, disguised_program)
    message = str(caught.value)
    assert "'CPD certificate.pdf' was not attached" in message
    assert "looks like a Windows program" in message
    assert "PDF, PNG and JPEG" in message
    assert logbook.attachments.list_for(course.uid) == []
    assert _blob_count(logbook) == 0


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    [
        ("certificate.pdf", PDF, "application/pdf"),
        ("scan.PNG", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("notes.md", "Reflection – café\n".encode(), "text/markdown"),
        ("hours.csv", b"date,hours\n2026-03-02,3\n", "text/csv"),
        ("plan.docx", DOCX, filetypes.ALLOWED[".docx"].media_type),
        ("hours.xlsx", XLSX, filetypes.ALLOWED[".xlsx"].media_type),
        ("essay.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("old.doc", OLE + "WordDocument".encode("utf-16-le"), "application/msword"),
    ],
)
def test_allowed_types_are_kept_with_their_media_type(
    logbook: Logbook, course: CpdActivity, tmp_path: Path, name: str, data: bytes, media_type: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    attachment = logbook.attachments.add_file(course, path)
    assert attachment.media_type == media_type
    assert logbook.attachments.content(attachment) == data


@pytest.mark.parametrize(
    ("name", "data", "looks_like"),
    [
        ("certificate.jpg", PNG, "a PNG image"),
        ("certificate.pdf", b"just some words\n", "plain text"),
        ("notes.txt", b"binary\x00data", "an unrecognised binary file"),
        ("hours.xlsx", DOCX, "a Word document"),
        ("plan.docx", _zip({"a.txt": b"x"}), "a ZIP archive"),
        ("plan.docx", DOCM, "an Office document with macros"),
        ("old.xls", OLE + "WordDocument".encode("utf-16-le"), "a Word 97-2003 document"),
        ("install.sh", b"#!/bin/sh\nrm -rf ~\n", "a script"),
        ("badge.gif", b"GIF89a" + bytes(20), "a GIF image"),
        ("certificate", PDF, "a PDF document"),
    ],
)
def test_content_that_is_not_what_the_name_says_is_refused(
    name: str, data: bytes, looks_like: str
) -> None:
    with pytest.raises(filetypes.FileTypeRefused) as caught:
        filetypes.check(name, data)
    assert f"'{name}'" in str(caught.value)
    assert looks_like in str(caught.value)
    assert "Allowed:" in str(caught.value)


def edit_course(qtbot: QtBot, logbook: Logbook, course: CpdActivity) -> RecordEditorDialog:
    dialog = open_editor(RecordKind.CPD, logbook, ServiceHost(logbook), course)
    assert isinstance(dialog, RecordEditorDialog)
    show(qtbot, dialog)
    return dialog


def test_a_program_named_as_a_pdf_is_refused_in_the_editor(
    qtbot: QtBot, logbook: Logbook, course: CpdActivity, disguised_program: Path
) -> None:
    dialog = edit_course(qtbot, logbook, course)
    assert dialog.attachments is not None
    dialog.attachments.add_files([disguised_program])
    assert not dialog.banner.isHidden()
    assert "CPD certificate.pdf" in dialog.banner.text.text()
    assert "looks like a Windows program" in dialog.banner.text.text()
    assert dialog.attachments.list.count() == 0
    assert logbook.attachments.list_for(course.uid) == []


def test_a_program_chosen_for_a_new_record_is_refused_at_once(
    qtbot: QtBot, logbook: Logbook, disguised_program: Path
) -> None:
    dialog = open_editor(RecordKind.CPD, logbook, ServiceHost(logbook))
    assert isinstance(dialog, RecordEditorDialog)
    show(qtbot, dialog)
    assert dialog.attachments is not None
    dialog.attachments.add_files([disguised_program])
    assert "looks like a Windows program" in dialog.banner.text.text()
    assert dialog.attachments.pending == []
    assert dialog.attachments.list.count() == 0


@pytest.fixture
def desktop(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    """What the app hands to the system to open, recorded instead of opened."""
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return opened


def _store_directly(logbook: Logbook, owner: CpdActivity, name: str, data: bytes) -> Attachment:
    """An attachment kept before content was checked (or arriving in an import)."""
    sha = hashlib.sha256(data).hexdigest()
    attachment = Attachment(owner_uid=owner.uid, filename=name, size=len(data), sha256=sha)
    with logbook.db.transaction() as session:
        repo.store_blob(session, sha, data)
        repo.insert(session, attachment)
    return attachment


def test_open_refuses_a_stored_file_that_is_not_what_it_says(
    qtbot: QtBot, logbook: Logbook, course: CpdActivity, desktop: list[QUrl]
) -> None:
    _store_directly(logbook, course, "CPD certificate.pdf", EXE)
    dialog = edit_course(qtbot, logbook, course)
    panel = dialog.attachments
    assert panel is not None
    assert panel.list.count() == 1  # still listed (and removable)
    panel.list.setCurrentRow(0)

    panel.open_button.click()

    assert desktop == []
    assert "'CPD certificate.pdf' was not opened" in dialog.banner.text.text()
    assert "looks like a Windows program" in dialog.banner.text.text()


def test_open_hands_an_allowed_stored_file_to_the_system(
    qtbot: QtBot, logbook: Logbook, course: CpdActivity, desktop: list[QUrl]
) -> None:
    _store_directly(logbook, course, "certificate.pdf", PDF)
    dialog = edit_course(qtbot, logbook, course)
    assert dialog.attachments is not None
    dialog.attachments.list.setCurrentRow(0)
    dialog.attachments.open_button.click()
    (url,) = desktop
    assert Path(url.toLocalFile()).read_bytes() == PDF


# --- ids are ids -------------------------------------------------------------------------------


def _csv(tmp_path: Path, content: str, name: str = "sessions.csv") -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_a_path_as_a_uid_in_a_csv_is_refused_naming_row_and_column(
    logbook: Logbook, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path,
        "uid,date,duration\n"
        "5d2a4c1e-7b0f-4c55-9d3e-2f6a8b9c0d1e,2026-03-02,60\n"
        f"{HOSTILE_UID},2026-03-09,60\n",
    )
    with pytest.raises(ValidationError) as caught:
        import_csv(logbook.records, RecordKind.SUPERVISION, path)
    assert [(p.row, p.field) for p in caught.value.problems] == [(3, "uid")]
    assert f"sessions.csv, row 3, uid: '{HOSTILE_UID}' is not a valid id" in str(caught.value)
    assert logbook.records.count(RecordKind.SUPERVISION) == 0


def test_the_same_uid_twice_in_a_csv_is_refused_naming_both_rows(
    logbook: Logbook, tmp_path: Path
) -> None:
    uid = "5d2a4c1e-7b0f-4c55-9d3e-2f6a8b9c0d1e"
    path = _csv(tmp_path, f"uid,date,duration\n{uid},2026-03-02,60\n{uid},2026-03-09,60\n")
    with pytest.raises(ValidationError) as caught:
        import_csv(logbook.records, RecordKind.SUPERVISION, path)
    assert "sessions.csv, row 3, uid: the same id as row 2" in str(caught.value)
    assert logbook.records.count(RecordKind.SUPERVISION) == 0


def test_a_path_as_the_owner_of_an_attachment_is_refused_naming_the_field(
    logbook: Logbook, course: CpdActivity, tmp_path: Path
) -> None:
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(PDF)
    hostile = dataclasses.replace(course, uid=HOSTILE_UID)
    with pytest.raises(ValidationError) as caught:
        logbook.attachments.add_file(hostile, certificate)
    assert f"owner_uid: '{HOSTILE_UID}' is not a valid id" in str(caught.value)
    assert logbook.records.count(RecordKind.ATTACHMENT) == 0


# --- CSV columns -------------------------------------------------------------------------------


def test_a_duplicated_csv_column_is_refused_naming_it(logbook: Logbook, tmp_path: Path) -> None:
    path = _csv(tmp_path, "date,duration,date\n2026-03-02,60,2026-03-05\n")
    with pytest.raises(ValidationError) as caught:
        import_csv(logbook.records, RecordKind.SUPERVISION, path)
    assert "sessions.csv, row 1, date: the column 'date' appears 2 times" in str(caught.value)
    assert logbook.records.count(RecordKind.SUPERVISION) == 0


def test_a_row_filling_two_columns_for_one_field_is_refused_naming_both(
    logbook: Logbook, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path,
        "date,duration,direction,supervisor,supervisee\n"
        "2026-03-02,60,received,Sarah Whitfield,\n"
        "2026-03-09,60,given,,Tom Reid\n"
        "2026-03-16,60,given,Sarah Whitfield,Tom Reid\n",
    )
    with pytest.raises(ValidationError) as caught:
        import_csv(logbook.records, RecordKind.SUPERVISION, path)
    assert [str(p) for p in caught.value.problems] == [
        "sessions.csv, row 4, supervisee: 'supervisor' and 'supervisee' set the same field; "
        "fill in only one"
    ]
    path.write_text(path.read_text(encoding="utf-8").rsplit("2026-03-16", 1)[0])
    assert import_csv(logbook.records, RecordKind.SUPERVISION, path).imported == 2


def test_a_csv_with_a_byte_order_mark_is_still_read(logbook: Logbook, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffdate,duration\n2026-03-02,60\n".encode())
    assert import_csv(logbook.records, RecordKind.SUPERVISION, path).imported == 1


# --- failed saves are explained in words -------------------------------------------------------


def _fill_the_disk(logbook: Logbook) -> None:
    # SQLite refuses to grow the file past max_page_count, exactly as on a full disk.
    with logbook.db.reading() as session:
        pages = session.execute(text("PRAGMA page_count")).scalar_one()
        session.execute(text(f"PRAGMA max_page_count = {pages}"))


def test_a_full_disk_is_explained_and_nothing_is_saved(
    logbook: Logbook, course: CpdActivity
) -> None:
    _fill_the_disk(logbook)
    with pytest.raises(StorageError) as caught:
        logbook.records.update(dataclasses.replace(course, reflection="x" * 19_000))
    message = str(caught.value)
    assert message.startswith("The disk is full. Nothing was saved.")
    assert "sqlite" not in message.lower()
    assert "SQL" not in message
    assert logbook.records.get(RecordKind.CPD, course.uid) == course


def test_a_full_disk_in_the_editor_shows_our_words(
    qtbot: QtBot, logbook: Logbook, course: CpdActivity
) -> None:
    dialog = edit_course(qtbot, logbook, course)
    _fill_the_disk(logbook)
    dialog.form.editor("reflection").focus_widget.setPlainText("x" * 19_000)  # type: ignore[attr-defined]
    dialog.save_button.click()
    banner = dialog.banner.text.text()
    assert "Nothing was saved. The disk is full." in banner
    assert "sqlalchemy" not in banner.lower()
    assert "INSERT" not in banner
    assert dialog.isVisible()


def test_bringing_back_an_entry_whose_supervisor_was_deleted_is_explained(
    logbook: Logbook,
) -> None:
    person = logbook.records.create(Person(name="Ana Silva")).record
    session = SupervisionSession(
        date=date(2026, 3, 2), duration_minutes=60, counterpart_uid=person.uid
    )
    logbook.records.create(session)
    deleted = logbook.records.delete(RecordKind.SUPERVISION, session.uid)
    logbook.records.delete(RecordKind.PERSON, person.uid)
    with pytest.raises(StorageError, match="refers to a record that no longer exists"):
        logbook.records.restore(deleted)
    assert logbook.records.count(RecordKind.SUPERVISION) == 0


def test_two_records_with_one_id_in_a_batch_are_refused_in_words(logbook: Logbook) -> None:
    first = SupervisionSession(date=date(2026, 3, 2), duration_minutes=60)
    twin = dataclasses.replace(first, date=date(2026, 3, 9))
    with pytest.raises(ConflictError, match="share an id with another in the same batch"):
        logbook.records.create_many([first, twin])
    assert logbook.records.count(RecordKind.SUPERVISION) == 0


# --- files written are owner-only --------------------------------------------------------------

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="no POSIX permissions")


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The common default (group and world may read new files), so modes are set on purpose."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
@pytest.mark.usefixtures("usual_umask")
def test_every_file_with_personal_data_is_owner_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with (
        open_book(tmp_path / "practitioner") as practitioner,
        open_book(tmp_path / "supervisor") as supervisor,
    ):
        entries = add_entries(practitioner, 2)
        identity = new_identity(supervisor)
        identities = supervisor.signoff.identities.folder
        [identity_file] = identities.glob("*.identity.json")

        export_portfolio(
            practitioner, out / "portfolio.pdf", ExportOptions(Period(date(2026, 1, 1)))
        )
        export_json(practitioner.db, out / "logbook.json")
        practitioner.signoff.create_request(
            entries, out / "request.json", supervisor_name=SUPERVISOR
        )
        inbox = supervisor.signoff.open_request(out / "request.json").entry
        supervisor.signoff.respond(
            inbox.uid,
            {item.uid: Decision.signed() for item in inbox.request.items},
            identity,
            PASSPHRASE,
            out / "response.json",
        )
        result = practitioner.signoff.sign(
            entries, identity, PASSPHRASE, confirm_for=entries[0].counterpart_uid
        )
        practitioner.signoff.save_receipt(result, out / "receipt.json")
        backup = practitioner.backups.backup_now()

        written = {
            "portfolio PDF": out / "portfolio.pdf",
            "JSON export": out / "logbook.json",
            "request": out / "request.json",
            "response": out / "response.json",
            "receipt": out / "receipt.json",
            "identity": identity_file,
            "backup": backup.path,
            "backup manifest": backup.snapshot.manifest_path,
        }
        assert {what: oct(_mode(path)) for what, path in written.items()} == {
            what: oct(0o600) for what in written
        }
        folders = {"identities": identities, "backups": backup.path.parent}
        assert {what: oct(_mode(path)) for what, path in folders.items()} == {
            what: oct(0o700) for what in folders
        }
        assert json.loads((out / "receipt.json").read_text())  # still a readable file


@posix_only
def test_an_identities_folder_made_by_an_older_version_is_tightened(logbook: Logbook) -> None:
    folder = logbook.signoff.identities.folder
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    new_identity(logbook)
    assert oct(_mode(folder)) == oct(0o700)


# --- no temporary or journal file stays behind -------------------------------------------------


def _leave_an_interrupted_backup(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    left = [
        folder / ".logbook-20260301T090000Z-daily.sqlite.partial",
        folder / ".logbook-20260301T090000Z-daily.sqlite.partial-journal",
    ]
    for path in left:
        path.write_bytes(b"half a copy of somebody's logbook")
    return left


def test_an_interrupted_backups_leftovers_are_removed_at_the_next_start(
    location: DataLocation,
) -> None:
    Logbook.open(location).close()
    left = _leave_an_interrupted_backup(location.backups)
    identity_partial = location.root / "identities" / ".partial-k3j2"
    identity_partial.parent.mkdir()
    identity_partial.write_text("{")

    reopened = Logbook.open(location, auto_backup=False)
    reopened.close()

    assert [p.name for p in left if p.exists()] == []
    assert not identity_partial.exists()


def test_an_interrupted_backups_leftovers_are_removed_by_the_next_backup(
    logbook: Logbook,
) -> None:
    left = _leave_an_interrupted_backup(logbook.backups.folder)
    backup = logbook.backups.backup_now()
    assert [p.name for p in left if p.exists()] == []
    assert sorted(p.name for p in backup.path.parent.iterdir()) == sorted(
        [backup.path.name, backup.snapshot.manifest_path.name]
    )
