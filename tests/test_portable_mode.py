"""Portable mode: a ``portable.txt`` beside the app's executable keeps the logbook beside the app.

People who carry the app on an encrypted USB drive put the marker next to the executable; the
logbook, its backups and settings then live in ``data/`` on the drive and nothing is written to
the computer's user profile. The frozen app is imitated by pointing ``sys.executable`` at a file
in a temporary "app folder" and setting ``sys.frozen``, as PyInstaller does.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import pytest

from logbook.domain.records import Profile, SupervisionSession
from logbook.services.locations import ENV_DATA_DIR, PORTABLE_MARKER, resolve_location
from logbook.services.logbook import Logbook


@pytest.fixture
def app_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A frozen app's folder (executable inside), with no data folder chosen any other way."""
    folder = tmp_path / "USB drive" / "Practice Logbook"
    folder.mkdir(parents=True)
    executable = folder / "Practice Logbook"
    executable.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(executable))
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)
    return folder.resolve()


def user_profile_folder() -> Path:
    # The test fixtures point the platform's user data folder at a throwaway XDG_DATA_HOME.
    return Path(os.environ["XDG_DATA_HOME"])


def test_the_marker_keeps_the_logbook_beside_the_app(app_folder: Path) -> None:
    (app_folder / PORTABLE_MARKER).write_text("Keep my logbook on this drive.\n")

    location = resolve_location()
    assert location.root == app_folder / "data"
    logbook = Logbook.open(location)
    try:
        logbook.records.create(Profile(name="Robin Carry"))
        logbook.records.create(SupervisionSession(date=date(2026, 3, 2), duration_minutes=60))
    finally:
        logbook.close()

    assert (app_folder / "data" / "logbook.sqlite").is_file()
    assert location.settings.parent == app_folder / "data"
    assert location.backups.parent == app_folder / "data"
    assert not user_profile_folder().exists(), "nothing may be written to the user profile"

    reopened = Logbook.open(resolve_location())
    try:
        profile = reopened.records.profile()
        assert profile is not None
        assert profile.name == "Robin Carry"
    finally:
        reopened.close()


def test_without_the_marker_the_logbook_is_in_the_user_data_folder(app_folder: Path) -> None:
    location = resolve_location()
    assert location.root != app_folder / "data"
    assert user_profile_folder() in location.root.parents


def test_a_marker_beside_python_does_not_make_a_source_run_portable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    python_folder = tmp_path / "bin"
    python_folder.mkdir()
    (python_folder / PORTABLE_MARKER).write_text("")
    monkeypatch.setattr(sys, "executable", str(python_folder / "python3"))
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)
    assert resolve_location().root != python_folder / "data"


def test_an_explicit_folder_still_wins_in_portable_mode(
    app_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (app_folder / PORTABLE_MARKER).write_text("")
    assert resolve_location(tmp_path / "chosen").root == tmp_path / "chosen"
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "from-env"))
    assert resolve_location().root == tmp_path / "from-env"


def test_a_demo_in_portable_mode_stays_on_the_drive_but_apart(app_folder: Path) -> None:
    (app_folder / PORTABLE_MARKER).write_text("")
    demo = resolve_location(demo=True)
    assert app_folder / "data" in demo.root.parents
    assert demo.database != resolve_location().database
