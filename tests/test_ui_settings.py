"""Preferences (declared once, versioned, in the data folder) and window state kept apart."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.ui import theme
from logbook.ui.preferences import PreferencesDialog
from logbook.ui.settings import PREFERENCES, SETTINGS_VERSION, Preferences, UiState
from tests.ui_helpers import open_window, when_modal


def test_defaults_then_saved_values_come_back(tmp_path: Path) -> None:
    location = DataLocation(tmp_path)
    preferences = Preferences.for_location(location)
    assert preferences.values() == {p.key: p.default for p in PREFERENCES}
    preferences.set("theme", "dark")
    preferences.set("chart_months", 24)
    preferences.save()
    document = json.loads(location.settings.read_text(encoding="utf-8"))
    assert document["version"] == SETTINGS_VERSION
    again = Preferences.for_location(location)
    assert (again["theme"], again["chart_months"]) == ("dark", 24)


def test_other_settings_in_the_file_are_kept(tmp_path: Path) -> None:
    location = DataLocation(tmp_path)
    location.settings.write_text(
        json.dumps({"version": 1, "backups": {"folder": "/media/usb"}, "preferences": {}}),
        encoding="utf-8",
    )
    preferences = Preferences.for_location(location)
    preferences.set("confirm_delete", False)
    preferences.save()
    document = json.loads(location.settings.read_text(encoding="utf-8"))
    assert document["backups"] == {"folder": "/media/usb"}
    assert document["preferences"]["confirm_delete"] is False


def test_values_a_person_mistyped_fall_back_to_defaults(tmp_path: Path) -> None:
    location = DataLocation(tmp_path)
    location.settings.write_text(
        json.dumps(
            {
                "version": 1,
                "preferences": {"theme": "purple", "chart_months": 13, "upcoming_days": 30},
            }
        ),
        encoding="utf-8",
    )
    preferences = Preferences.for_location(location)
    assert preferences["theme"] == "system"
    assert preferences["chart_months"] == 12
    assert preferences["upcoming_days"] == 30


def test_an_unreadable_file_is_set_aside_not_overwritten(tmp_path: Path) -> None:
    location = DataLocation(tmp_path)
    location.settings.write_text("{ not json", encoding="utf-8")
    preferences = Preferences.for_location(location)
    assert preferences["theme"] == "system"
    assert (tmp_path / "settings.unreadable.json").read_text(encoding="utf-8") == "{ not json"


def test_window_state_lives_in_its_own_file(qtbot: QtBot, tmp_path: Path) -> None:
    location = DataLocation(tmp_path)
    state = UiState(location)
    state.save_bytes("window/geometry", QByteArray(b"\x01\x02"))
    state.save_value("window/section", "cpd")
    state.sync()
    assert (tmp_path / "ui-state.ini").exists()
    assert not location.settings.exists()
    again = UiState(location)
    assert again.load_bytes("window/geometry") == QByteArray(b"\x01\x02")
    assert again.load_value("window/section") == "cpd"


def test_the_dialog_changes_and_saves_the_theme(
    qtbot: QtBot, logbook: Logbook, location: DataLocation
) -> None:
    window = open_window(qtbot, logbook, location)

    def choose_dark(dialog: QWidget) -> None:
        assert isinstance(dialog, PreferencesDialog)
        combo = dialog.editors["theme"]
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData("dark"))
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    when_modal(choose_dark)
    try:
        window.registry.trigger("edit.preferences")
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        assert app.palette().window().color().name() == theme.DARK.window
        assert Preferences.for_location(location)["theme"] == "dark"
    finally:
        window.apply_theme("light")
