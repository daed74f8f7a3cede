"""Import entries from a CSV file (one kind of record) or a logbook JSON file, off the GUI thread.

Each import is one transaction in the services: every problem of every row is reported (file,
row, column) and nothing is written, or everything is. The window refreshes what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from logbook.domain.catalogue import LOG_KINDS
from logbook.domain.errors import LogbookError, ValidationError
from logbook.domain.records import RecordKind
from logbook.services.changes import Change
from logbook.services.logbook import Logbook
from logbook.services.privacy import IdentifiersFoundError
from logbook.ui.worker import Job, Progress, run_in_background

CSV_KINDS: tuple[RecordKind, ...] = (*LOG_KINDS, RecordKind.PERSON, RecordKind.ORGANISATION)
MAX_PROBLEMS_SHOWN = 12


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did, in words, and what it changed."""

    message: str
    change: Change
    conflicts: int = 0  # records both copies changed, waiting for the user's choice


def import_file(
    logbook: Logbook,
    path: Path,
    kind: RecordKind | None,
    progress: Progress,
    *,
    allow_identifiers: bool = False,
) -> ImportOutcome:
    """Import ``path`` (CSV as ``kind``, or logbook JSON) in one transaction.

    Raises:
        ValidationError: every problem found; nothing was imported.
        IdentifiersFoundError: text may identify a client and ``allow_identifiers`` is off.
        Cancelled: the user cancelled before anything was written.
    """
    progress.report(0, 0, f"Reading {path.name}…")
    progress.check()
    if path.suffix.lower() == ".json":
        summary = logbook.import_json(path, allow_identifiers=allow_identifiers)
        return ImportOutcome(summary.describe(path.name), summary.change, len(summary.conflicts))
    if kind is None:
        raise LogbookError("Choose which kind of entry the CSV file holds.")
    result = logbook.import_csv(kind, path, allow_identifiers=allow_identifiers)
    extra = (
        f" (and {result.created_references} new people or organisations)"
        if result.created_references
        else ""
    )
    message = f"Imported {result.imported} {kind.label.lower()} entries from {path.name}{extra}."
    return ImportOutcome(message, result.change)


def problems_text(error: ValidationError) -> tuple[str, str]:
    """The first problems for the message and all of them for the details."""
    lines = [f"• {p}" for p in error.problems]
    shown = "\n".join(lines[:MAX_PROBLEMS_SHOWN])
    if len(lines) > MAX_PROBLEMS_SHOWN:
        shown += f"\n… and {len(lines) - MAX_PROBLEMS_SHOWN} more (see Show Details)."
    return shown, "\n".join(lines)


def show_import_error(parent: QWidget | None, path: Path, error: BaseException) -> None:
    """Tell the user the file was not imported and why (the problems to fix, when it has any)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Import failed")
    box.setText(f"<b>{path.name} was not imported.</b> Nothing in your logbook was changed.")
    if isinstance(error, ValidationError) and error.problems:
        shown, everything = problems_text(error)
        box.setInformativeText(f"Fix these problems in the file, then import it again:\n\n{shown}")
        box.setDetailedText(everything)
    elif isinstance(error, LogbookError):
        box.setInformativeText(str(error))
    else:
        box.setInformativeText(f"Unexpected problem: {error}")
    box.exec()


def confirm_identifiers(parent: QWidget | None, path: Path, error: IdentifiersFoundError) -> bool:
    """Show what may identify a client and ask whether to import anyway (Cancel by default)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Check before importing")
    box.setText(f"<b>Some text in {path.name} may identify a client.</b> Nothing was imported yet.")
    shown, everything = problems_text(error)
    box.setInformativeText(
        f"{shown}\n\nEdit the file and import it again, or import it as it is: keeping these "
        "is recorded on each entry."
    )
    box.setDetailedText(everything)
    anyway = box.addButton("Import anyway", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is anyway


def ask_for_file(parent: QWidget | None, start: str = "") -> Path | None:
    """Ask for a CSV or logbook JSON file to import, opening in the folder ``start`` (``None``
    if the user cancels)."""
    name, _filter = QFileDialog.getOpenFileName(
        parent,
        "Import entries",
        start,
        "Logbook files (*.csv *.json);;CSV files (*.csv);;Logbook JSON (*.json)",
    )
    return Path(name) if name else None


def ask_for_kind(parent: QWidget | None, path: Path, default: RecordKind) -> RecordKind | None:
    """Ask what each row of a CSV file records, offering ``default`` first (``None`` if the
    user cancels)."""
    labels = [k.label for k in CSV_KINDS]
    current = CSV_KINDS.index(default) if default in CSV_KINDS else 0
    chosen, ok = QInputDialog.getItem(
        parent,
        "Import CSV",
        f"What does each row of {path.name} record?",
        labels,
        current,
        False,
    )
    if not ok:
        return None
    return CSV_KINDS[labels.index(chosen)]


def start_import(
    parent: QWidget,
    logbook: Logbook,
    path: Path,
    kind: RecordKind | None,
    on_done: Callable[[ImportOutcome], None],
    *,
    allow_identifiers: bool = False,
) -> Job[ImportOutcome]:
    """Run the import with a progress dialog; ``on_done`` gets the outcome on success.

    Text that may identify a client is shown, and the import runs again if the user chooses
    to import it anyway.
    """

    def failed(error: BaseException) -> None:
        if isinstance(error, IdentifiersFoundError) and not allow_identifiers:
            if confirm_identifiers(parent, path, error):
                start_import(parent, logbook, path, kind, on_done, allow_identifiers=True)
            return
        show_import_error(parent, path, error)

    return run_in_background(
        parent,
        "Importing",
        f"Importing {path.name}…",
        lambda progress: import_file(
            logbook, path, kind, progress, allow_identifiers=allow_identifiers
        ),
        on_success=on_done,
        on_error=failed,
    )
