"""Every error a user can meet is a ``LogbookError``, with one class per meaning, and the app's
start-up explains each one that opening a logbook can raise (or asks what it needs)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

import logbook
from logbook import app
from logbook.domain import errors
from logbook.domain.errors import LogbookError, StorageError
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.ui.recovery_dialog import RecoveryDialog
from logbook.ui.unlock_dialog import UnlockDialog
from tests.ui_helpers import when_modal

# Exceptions that never reach a person: they steer work inside the app and are caught there.
NEVER_SHOWN = {
    "logbook.ui.worker.Cancelled": "stops background work the user cancelled; never shown",
    "logbook.smoke.SmokeTestFailure": "reports a failed self-check of a build to its builder",
    "logbook.storage.reader.ReadFailed": "hands a quick read over to the full open; never shown",
}


def every_exception_class() -> dict[str, type[BaseException]]:
    """The public exception classes the package defines, by their full names."""
    found: dict[str, type[BaseException]] = {}
    for module_info in pkgutil.walk_packages(logbook.__path__, "logbook."):
        if ".migrations" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == module.__name__
                and not name.startswith("_")
            ):
                found[f"{module.__name__}.{name}"] = value
    return found


def test_every_error_a_user_can_meet_is_a_logbook_error() -> None:
    found = every_exception_class()
    assert "logbook.domain.errors.WrongPassphraseError" in found
    outside = sorted(
        name
        for name, cls in found.items()
        if not issubclass(cls, LogbookError) and name not in NEVER_SHOWN
    )
    assert outside == []


def test_each_error_has_one_class() -> None:
    by_name: dict[str, list[str]] = {}
    for full_name in every_exception_class():
        by_name.setdefault(full_name.rsplit(".", 1)[1], []).append(full_name)
    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}


def storage_errors() -> list[type[LogbookError]]:
    """Every error opening a logbook can raise: the storage errors and a wrong passphrase."""
    return [
        errors.WrongPassphraseError,
        StorageError,
        *(
            cls
            for cls in vars(errors).values()
            if inspect.isclass(cls) and issubclass(cls, StorageError) and cls is not StorageError
        ),
    ]


def an_instance(cls: type[LogbookError], folder: Path) -> LogbookError:
    if cls is errors.MissingLogbookError:
        return errors.MissingLogbookError(folder / "logbook.sqlite")
    if issubclass(cls, errors.DamagedLogbookError):
        return cls(folder / "logbook.sqlite", None, "it is not a Practice Logbook")
    return cls(f"{cls.__name__} happened while opening.")


# What start-up does with each error: the dialog that handles it, or the advice under its message.
EXPECTED: dict[type[LogbookError], type[QDialog] | str] = {
    errors.WrongPassphraseError: UnlockDialog,
    errors.LockedLogbookError: UnlockDialog,
    errors.DamagedLogbookError: RecoveryDialog,
    errors.MissingLogbookError: RecoveryDialog,
    errors.LogbookInUseError: "Switch to the window that already has it open",
    errors.NewerSchemaError: "Install the newest version of Practice Logbook",
    errors.KeyFileError: "Check that the folder is on a connected drive",
    errors.UnavailableLogbookError: "Check that the folder is on a connected drive",
    StorageError: "Check that the folder is on a connected drive",
}


def test_start_up_knows_every_error_of_opening() -> None:
    assert set(storage_errors()) == set(EXPECTED)


@pytest.mark.parametrize("cls", list(EXPECTED), ids=lambda cls: cls.__name__)
def test_start_up_explains_each_error_of_opening(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cls: type[LogbookError]
) -> None:
    location = DataLocation(tmp_path / "data")
    location.root.mkdir()
    error = an_instance(cls, location.root)

    def fail_to_open(*_args: Any, **_kwargs: Any) -> Logbook:
        raise error

    monkeypatch.setattr(Logbook, "open", fail_to_open)
    seen: list[tuple[type[QWidget], str]] = []

    def read_and_close(modal: QWidget) -> None:
        if isinstance(modal, QMessageBox):
            seen.append((QMessageBox, f"{modal.text()}\n{modal.informativeText()}"))
            modal.close()
        else:
            assert isinstance(modal, QDialog)
            seen.append((type(modal), ""))
            modal.reject()

    when_modal(read_and_close, attempts=1000)
    assert app.open_logbook(location) is None
    expected = EXPECTED[cls]
    assert len(seen) == 1
    shown, text = seen[0]
    if isinstance(expected, str):
        assert shown is QMessageBox
        assert "could not be opened" in text
        assert str(error) in text
        assert expected in text
    else:
        assert shown is expected
