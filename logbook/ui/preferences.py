"""The Preferences dialog, built from the preference declarations in ``settings``."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from logbook.ui.settings import PREFERENCES, Preference, Preferences
from logbook.ui.theme import THEME_LABELS

_CHOICE_LABELS: dict[str, dict[Any, str]] = {
    "theme": dict(THEME_LABELS),
    "chart_months": {12: "Last 12 months", 24: "Last 24 months"},
}
_SUFFIXES = {
    "upcoming_days": " days",
    "lock_after_minutes": " minutes",
}


class PreferencesDialog(QDialog):
    """Edits a :class:`Preferences`; the caller applies and saves them when accepted."""

    def __init__(self, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")
        self._preferences = preferences
        self.editors: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(12)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(12)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for preference in PREFERENCES:
            editor = self._editor(preference, preferences[preference.key])
            editor.setAccessibleName(preference.label)
            editor.setToolTip(preference.description)
            editor.setMinimumWidth(200 if not isinstance(editor, QCheckBox) else 0)
            self.editors[preference.key] = editor
            label = QLabel(preference.label)
            label.setBuddy(editor)
            form.addRow(label, editor)
        layout.addLayout(form)
        note = QLabel("Preferences are kept with this logbook's data folder.")
        note.setObjectName("muted")
        layout.addWidget(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _editor(self, preference: Preference, value: Any) -> QWidget:
        if preference.type is bool:
            box = QCheckBox(preference.description)
            box.setChecked(bool(value))
            return box
        if preference.choices:
            combo = QComboBox()
            labels = _CHOICE_LABELS.get(preference.key, {})
            for choice in preference.choices:
                combo.addItem(labels.get(choice, str(choice)), choice)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            return combo
        if preference.type is int:
            spin = QSpinBox()
            spin.setRange(preference.minimum or 0, preference.maximum or 100_000)
            spin.setValue(int(value))
            spin.setSuffix(_SUFFIXES.get(preference.key, ""))
            return spin
        raise TypeError(f"no editor for preference {preference.key}")

    def values(self) -> dict[str, Any]:
        """What the dialog shows now, by preference key."""
        result: dict[str, Any] = {}
        for key, editor in self.editors.items():
            if isinstance(editor, QCheckBox):
                result[key] = editor.isChecked()
            elif isinstance(editor, QComboBox):
                result[key] = editor.currentData()
            elif isinstance(editor, QSpinBox):
                result[key] = editor.value()
        return result

    def apply_to(self, preferences: Preferences) -> dict[str, Any]:
        """Copy the dialog's values into ``preferences``; returns the keys that changed."""
        changed = {}
        for key, value in self.values().items():
            if preferences[key] != value:
                preferences.set(key, value)
                changed[key] = value
        return changed
