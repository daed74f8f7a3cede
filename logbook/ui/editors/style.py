"""Colours for messages in forms, chosen to read well on the light or the dark palette."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class FormColours:
    error_text: str
    warning_text: str
    warning_bg: str
    warning_border: str
    hint_text: str
    banner_bg: str


LIGHT = FormColours(
    error_text="#b3261e",
    warning_text="#3d2e00",
    warning_bg="#fff4d6",
    warning_border="#c98a00",
    hint_text="#5f6368",
    banner_bg="#fdecea",
)
DARK = FormColours(
    error_text="#ffb4ab",
    warning_text="#ffe7b3",
    warning_bg="#3b3020",
    warning_border="#e0a526",
    hint_text="#a8adb3",
    banner_bg="#4a2522",
)


def is_dark(widget: QWidget) -> bool:
    window = widget.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def palette_colours(widget: QWidget) -> FormColours:
    """The message colours that suit the widget's current palette."""
    return DARK if is_dark(widget) else LIGHT
