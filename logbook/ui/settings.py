"""Preferences and window state, each kept in its own file in the logbook's data folder.

Preferences are what the user chooses in the Preferences dialog. They are declared once, below,
with their type, default and meaning, and saved as JSON with a version number so a later
version of the app can upgrade them (the file is copied aside before an upgrade rewrites it).

Window state (geometry, splitter positions, column layout) is remembered separately, in an INI
file through QSettings: losing it costs nothing, and it never mixes with what the user chose.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from logbook.services.locations import DataLocation

SETTINGS_VERSION = 1
UI_STATE_FILE = "ui-state.ini"


@dataclass(frozen=True)
class Preference:
    """One user preference: its key, type, default, label and allowed values."""

    key: str
    type: type
    default: Any
    label: str
    description: str = ""
    choices: tuple[Any, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    def coerce(self, value: Any) -> Any:
        """``value`` if it fits this preference, else the default (hand-edited files)."""
        if self.type is bool:
            return value if isinstance(value, bool) else self.default
        if self.type is int:
            if isinstance(value, bool) or not isinstance(value, int):
                return self.default
            if self.minimum is not None and value < self.minimum:
                return self.default
            if self.maximum is not None and value > self.maximum:
                return self.default
        elif not isinstance(value, self.type):
            return self.default
        if self.choices and value not in self.choices:
            return self.default
        return value


# Every preference of the app, in the order the Preferences dialog shows them.
PREFERENCES: tuple[Preference, ...] = (
    Preference(
        "theme",
        str,
        "system",
        "Appearance",
        "Follow the system's light or dark setting, or choose one; high contrast is black "
        "and white with a thick focus ring.",
        choices=("system", "light", "dark", "high_contrast"),
    ),
    Preference(
        "chart_months",
        int,
        12,
        "Dashboard chart",
        "How many months the hours chart on the dashboard covers.",
        choices=(12, 24),
    ),
    Preference(
        "confirm_delete",
        bool,
        True,
        "Deleting",
        "Ask before deleting entries (deleting can always be undone)",
    ),
    Preference(
        "lock_after_minutes",
        int,
        10,
        "Lock after",
        "Lock an encrypted logbook after this many idle minutes (0: never).",
        minimum=0,
        maximum=240,
    ),
    Preference(
        "upcoming_days",
        int,
        90,
        "Look ahead",
        "How many days ahead the dashboard lists renewals and milestones due.",
        minimum=7,
        maximum=730,
    ),
)
_BY_KEY = {p.key: p for p in PREFERENCES}

# Upgrades from each older version to the next: ``UPGRADES[n]`` turns version n into n + 1.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class Preferences:
    """The user's preferences for one data folder, read from and saved to ``settings.json``.

    Unknown keys in the file (written by other parts of the app or a newer version) are kept.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._values: dict[str, Any] = {p.key: p.default for p in PREFERENCES}
        self._document: dict[str, Any] = {}
        if path is not None:
            self._load(path)

    @classmethod
    def for_location(cls, location: DataLocation | None) -> Preferences:
        return cls(location.settings if location is not None else None)

    def __getitem__(self, key: str) -> Any:
        return self._values[_BY_KEY[key].key]

    def get(self, key: str) -> Any:
        return self[key]

    def set(self, key: str, value: Any) -> None:
        preference = _BY_KEY[key]
        coerced = preference.coerce(value)
        if coerced != value:
            raise ValueError(f"{preference.label}: {value!r} is not allowed")
        self._values[key] = value

    def values(self) -> dict[str, Any]:
        return dict(self._values)

    def save(self) -> None:
        """Write the preferences (atomically: a half-written file never replaces a good one)."""
        if self.path is None:
            return
        document = dict(self._document)
        document["version"] = SETTINGS_VERSION
        document["preferences"] = self._values
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".partial")
        partial.write_text(json.dumps(document, indent=2, sort_keys=True), encoding="utf-8")
        partial.replace(self.path)

    def _load(self, path: Path) -> None:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError):
            # An unreadable file is set aside, never silently overwritten.
            shutil.copyfile(path, path.with_suffix(".unreadable.json"))
            return
        if not isinstance(document, dict):
            return
        version = document.get("version", SETTINGS_VERSION)
        if isinstance(version, int) and version < SETTINGS_VERSION:
            shutil.copyfile(path, path.with_suffix(f".v{version}.json"))
            while version < SETTINGS_VERSION:
                document = UPGRADES[version](document)
                version += 1
        self._document = document
        stored = document.get("preferences", {})
        if isinstance(stored, dict):
            for preference in PREFERENCES:
                if preference.key in stored:
                    self._values[preference.key] = preference.coerce(stored[preference.key])


class UiState:
    """Window geometry, splitter positions and column layouts (kept apart from preferences)."""

    def __init__(self, location: DataLocation | None) -> None:
        if location is not None:
            location.root.mkdir(parents=True, exist_ok=True)
            path = str(location.root / UI_STATE_FILE)
            self._settings: QSettings | None = QSettings(path, QSettings.Format.IniFormat)
        else:
            self._settings = None
        self._memory: dict[str, QByteArray] = {}

    def save_bytes(self, key: str, value: QByteArray) -> None:
        if self._settings is None:
            self._memory[key] = value
        else:
            self._settings.setValue(key, value)

    def load_bytes(self, key: str) -> QByteArray | None:
        if self._settings is None:
            return self._memory.get(key)
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) else None

    def save_value(self, key: str, value: str | int) -> None:
        if self._settings is not None:
            self._settings.setValue(key, value)

    def load_value(self, key: str, default: str = "") -> str:
        if self._settings is None:
            return default
        value = self._settings.value(key, default)
        return str(value)

    def save_flag(self, key: str, value: bool) -> None:
        self.save_value(key, "true" if value else "false")

    def load_flag(self, key: str) -> bool | None:
        """A flag saved with :meth:`save_flag`; None if it never was (or is unreadable)."""
        return {"true": True, "false": False}.get(self.load_value(key, "").lower())

    def sync(self) -> None:
        if self._settings is not None:
            self._settings.sync()
