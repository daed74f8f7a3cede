"""Every key a window answers to, read from the window itself, and the clashes among them.

``actions.ACTIONS`` declares the main window's actions; dialogs bind keys of their own (a
button's or a label's mnemonic, a ``QShortcut``, a wizard's buttons). Two bindings of one key in
one window make Qt fire neither (or only move the focus between them), so the tests walk every
window and dialog the app shows and fail on any clash found here.

A binding counts while its widget is shown in the window (a hidden wizard page or list section
answers to nothing); disabled ones count, as they may be enabled at any moment.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenu, QMenuBar, QTabBar, QWidget

from logbook.ui.actions import plain_text

# Contexts in which a binding answers anywhere in its window (not only with the focus on it).
WINDOW_WIDE = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)


@dataclass(frozen=True)
class Binding:
    """One key a window answers to, and what answers."""

    key: str
    what: str


def _text(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget is window or widget.isVisibleTo(window)


def mnemonic(text: str) -> str:
    """The Alt+letter that ``text`` marks with "&" ("" if none)."""
    return _text(QKeySequence.mnemonic(text))


def bindings(window: QWidget) -> list[Binding]:
    """Every key ``window`` answers to as it is shown now: actions, shortcuts and mnemonics."""
    found: list[Binding] = []
    widgets = [window, *(w for w in window.findChildren(QWidget) if w.window() is window)]
    for widget in widgets:
        if not _shown(widget, window):
            continue
        found += _action_keys(widget)
        found += _mnemonics(widget)
    for shortcut in window.findChildren(QShortcut):
        if _answers(shortcut, window):
            found.append(Binding(_text(shortcut.key()), f"shortcut of {_name(shortcut.parent())}"))
    return list(dict.fromkeys(found))


def _answers(shortcut: QShortcut, window: QWidget) -> bool:
    parent = shortcut.parent()
    return (
        isinstance(parent, QWidget)
        and parent.window() is window
        and _shown(parent, window)
        and shortcut.isEnabled()
        and shortcut.context() in WINDOW_WIDE
    )


def _action_keys(widget: QWidget) -> list[Binding]:
    if isinstance(widget, QMenu):
        return []  # a menu's actions are the window's too, and counted there
    return [
        Binding(_text(key), f"action “{plain_text(action.text())}”")
        for action in widget.actions()
        if action.shortcutContext() in WINDOW_WIDE
        for key in action.shortcuts()
        if not key.isEmpty()
    ]


def _mnemonics(widget: QWidget) -> list[Binding]:
    texts: list[tuple[str, str]] = []
    if isinstance(widget, QAbstractButton):
        texts.append((widget.text(), "button"))
    elif isinstance(widget, QLabel) and widget.buddy() is not None:
        texts.append((widget.text(), "label"))
    elif isinstance(widget, QGroupBox):
        texts.append((widget.title(), "group"))
    elif isinstance(widget, QTabBar):
        texts += [(widget.tabText(i), "tab") for i in range(widget.count())]
    elif isinstance(widget, QMenuBar):
        texts += [(action.text(), "menu") for action in widget.actions()]
    return [
        Binding(key, f"{kind} “{plain_text(text)}”")
        for text, kind in texts
        if (key := mnemonic(text))
    ]


def _name(widget: QObject | None) -> str:
    return (widget.objectName() if widget is not None else "") or type(widget).__name__


def clashes(window: QWidget) -> list[str]:
    """Each key bound twice in ``window`` (or twice in one of its menus), in words."""
    found = _clashing(bindings(window), window.windowTitle() or _name(window))
    for menu in window.findChildren(QMenu):
        letters = [
            Binding(key, f"menu item “{plain_text(action.text())}”")
            for action in menu.actions()
            if action.isVisible() and (key := mnemonic(action.text()))
        ]
        found += _clashing(letters, f"menu {plain_text(menu.title())}")
    return found


def _clashing(found: list[Binding], where: str) -> list[str]:
    by_key: dict[str, list[str]] = {}
    for binding in found:
        by_key.setdefault(binding.key, []).append(binding.what)
    return [
        f"{where}: {key} is bound to {' and '.join(whats)}"
        for key, whats in by_key.items()
        if len(whats) > 1
    ]


__all__ = ["Binding", "bindings", "clashes", "mnemonic"]
