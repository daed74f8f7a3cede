"""Colours for messages in forms, taken from the app's theme so they suit light and dark."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from logbook.ui import theme


@dataclass(frozen=True)
class FormColours:
    """The colours of a form's errors, warnings, hints, banner and cards, as CSS colour names."""

    error_text: str
    warning_text: str
    warning_bg: str
    warning_border: str
    hint_text: str
    banner_bg: str
    card_bg: str
    card_border: str


def _mix(colour: str, other: str, share: float) -> str:
    a, b = QColor(colour), QColor(other)
    return QColor(
        round(a.red() * share + b.red() * (1 - share)),
        round(a.green() * share + b.green() * (1 - share)),
        round(a.blue() * share + b.blue() * (1 - share)),
    ).name()


def is_dark(widget: QWidget) -> bool:
    """Whether the widget is drawn on a dark background (its own palette, not the app's)."""
    window = widget.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def palette_colours(widget: QWidget) -> FormColours:
    """The message colours that suit the widget's palette, in the theme's hues."""
    c = theme.current()
    if c.dark != is_dark(widget):  # a widget with a palette of its own
        c = theme.DARK if is_dark(widget) else theme.LIGHT
    return FormColours(
        error_text=c.danger,
        warning_text=c.text,
        warning_bg=_mix(c.warning, c.surface, 0.12),
        warning_border=c.warning,
        hint_text=c.muted,
        banner_bg=_mix(c.danger, c.surface, 0.08),
        card_bg=c.surface,
        card_border=c.border,
    )
