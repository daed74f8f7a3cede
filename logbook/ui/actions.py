"""The one registry of named actions: menus, toolbar, shortcuts and tests all use these names.

Shortcuts follow the platform (``QKeySequence.StandardKey``) where Qt has a standard one, with a
fallback where a platform defines none (Preferences has no standard key on Linux or Windows).
Dialogs bind keys of their own (mnemonics, a form's Save keys); ``logbook.ui.shortcuts`` reads
every key a window answers to, so the tests find any key bound twice in one window or menu.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QWidget

from logbook.ui.sections import SECTIONS, section_shortcut
from logbook.ui.theme import icon

Shortcut = QKeySequence.StandardKey | str


@dataclass(frozen=True)
class ActionSpec:
    """What an action is called, how it is reached, and what it looks like.

    Attributes:
        name: The registry name, e.g. ``"edit.undo"``.
        text: The menu text, with ``&`` before the mnemonic letter.
        shortcuts: Standard keys or portable strings, the first one shown in menus.
        icon: The icon name in ``resources/icons``, if any.
        tip: A sentence for tooltips and the status bar.
    """

    name: str
    text: str
    shortcuts: tuple[Shortcut, ...] = ()
    icon: str = ""
    tip: str = ""
    checkable: bool = False


def _section_specs() -> list[ActionSpec]:
    return [
        ActionSpec(
            f"go.{section.key}",
            section.title,
            (section_shortcut(section),),
            section.icon,
            f"Show {section.name.lower()}",
        )
        for section in SECTIONS
    ]


SK = QKeySequence.StandardKey
ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("file.new", "&New entry…", (SK.New,), "new", "Log a new entry in this section"),
    ActionSpec(
        "file.import", "&Import…", ("Ctrl+I",), "import", "Import entries from a CSV or JSON file"
    ),
    ActionSpec(
        "file.conflicts",
        "&Conflicts from merging…",
        (),
        "",
        "Records changed on this computer and in another copy: choose which side to keep",
    ),
    ActionSpec(
        "file.export", "&Export portfolio…", ("Ctrl+E",), "export", "Export a PDF portfolio"
    ),
    ActionSpec(
        "file.check_portfolio",
        "Chec&k a portfolio…",
        (),
        "signoff",
        "Check a portfolio PDF someone sent you: who signed it and whether it changed since",
    ),
    ActionSpec(
        "file.export_csv",
        "Export this &view as CSV…",
        (),
        "",
        "Save every entry this list shows, with its filters and order, as a spreadsheet file",
    ),
    ActionSpec("file.backups", "&Backups…", (), "backup", "Back up or restore the logbook"),
    ActionSpec(
        "file.encryption",
        "Encr&yption…",
        (),
        "lock",
        "Protect the logbook with a passphrase, or change it",
    ),
    ActionSpec("file.lock", "&Lock now", ("Ctrl+L",), "lock", "Lock the encrypted logbook now"),
    ActionSpec(
        "file.profile",
        "Your &profile…",
        (),
        "people",
        "Your name, roles, registrations and renewal dates",
    ),
    ActionSpec("file.quit", "&Quit", (SK.Quit, "Ctrl+Q"), "quit", "Close the logbook"),
    ActionSpec("edit.undo", "&Undo", (SK.Undo,), "undo", "Undo the last change"),
    ActionSpec("edit.redo", "&Redo", (SK.Redo, "Ctrl+Y"), "redo", "Redo what was undone"),
    ActionSpec("edit.open", "&Edit…", (), "edit", "Edit the selected entry (Enter)"),
    ActionSpec(
        "edit.duplicate",
        "Dup&licate…",  # U is Undo's in the Edit menu
        ("Ctrl+D",),
        "duplicate",
        "Start a new entry from the selected one",
    ),
    ActionSpec("edit.delete", "&Delete", (SK.Delete,), "delete", "Delete the selected entries"),
    ActionSpec(
        "edit.request_signoff",
        "Request si&gn-off…",
        (),
        "signoff",
        "Ask a supervisor to sign the selected entries, with a request file",
    ),
    ActionSpec(
        "edit.export_selected",
        "E&xport selected as CSV…",
        (),
        "",
        "Save the selected entries as a spreadsheet file",
    ),
    ActionSpec("edit.find", "&Find", (SK.Find,), "find", "Search this list"),
    ActionSpec(
        "edit.save",
        "&Save",
        (SK.Save,),
        "",
        "Every change is saved as you make it; in a form, Save stores the entry",
    ),
    ActionSpec(
        "edit.preferences",
        "&Preferences…",
        (SK.Preferences, "Ctrl+,"),
        "preferences",
        "Appearance, defaults and the dashboard",
    ),
    ActionSpec("view.refresh", "&Refresh", (SK.Refresh, "F5"), "refresh", "Reload this view"),
    ActionSpec(
        "view.detail_pane",
        "&Detail pane",
        (),
        "",
        "Show the selected entry's details beside the list",
        checkable=True,
    ),
    ActionSpec(
        "view.sidebar",
        "Collapse &sidebar",
        ("Ctrl+\\",),
        "",
        "Show the sections as icons only, leaving the page more room",
        checkable=True,
    ),
    *_section_specs(),
    ActionSpec(
        "help.guide",
        "&User guide",
        (SK.HelpContents, "F1"),
        "guide",
        "How to use Practice Logbook, from the first start to a portfolio",
    ),
    ActionSpec(
        "help.shortcuts",
        "&Keyboard shortcuts",
        ("Ctrl+/",),
        "keyboard",
        "Every keyboard shortcut",
    ),
    ActionSpec("help.about", "&About Practice Logbook", (), "about", "Version and licence"),
)


def key_sequences(spec: ActionSpec) -> list[QKeySequence]:
    """The shortcuts of ``spec`` on this platform, without duplicates or empty ones."""
    result: list[QKeySequence] = []
    for shortcut in spec.shortcuts:
        if isinstance(shortcut, QKeySequence.StandardKey):
            found = QKeySequence.keyBindings(shortcut)
        else:
            found = [QKeySequence(shortcut)]
        for sequence in found:
            if not sequence.isEmpty() and sequence not in result:
                result.append(sequence)
    return result


class ActionRegistry(QObject):
    """Creates every action once, on ``window``, so its shortcuts work anywhere inside it."""

    def __init__(self, window: QWidget, specs: tuple[ActionSpec, ...] = ACTIONS) -> None:
        super().__init__(window)
        self._actions: dict[str, QAction] = {}
        self._specs: dict[str, ActionSpec] = {}
        for spec in specs:
            action = QAction(icon(spec.icon) if spec.icon else QIcon(), spec.text, window)
            sequences = key_sequences(spec)
            action.setShortcuts(sequences)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setCheckable(spec.checkable)
            tip = spec.tip
            if sequences:
                shown = sequences[0].toString(QKeySequence.SequenceFormat.NativeText)
                tip = f"{spec.tip} ({shown})" if spec.tip else shown
            action.setToolTip(tip)
            action.setStatusTip(spec.tip)
            action.setObjectName(spec.name)
            window.addAction(action)
            self._actions[spec.name] = action
            self._specs[spec.name] = spec

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def __contains__(self, name: str) -> bool:
        return name in self._actions

    def __iter__(self) -> Iterator[tuple[str, QAction]]:
        return iter(self._actions.items())

    def spec(self, name: str) -> ActionSpec:
        return self._specs[name]

    def on(self, name: str, slot: Callable[[], object]) -> None:
        """Run ``slot`` when the action is triggered (whatever the trigger passes is dropped)."""
        self._actions[name].triggered.connect(lambda _checked=False: slot())

    def trigger(self, name: str) -> None:
        self._actions[name].trigger()

    def refresh_icons(self) -> None:
        """Redraw icons in the current theme's colours (after switching light and dark)."""
        for name, action in self._actions.items():
            spec = self._specs[name]
            if spec.icon:
                action.setIcon(icon(spec.icon))

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(what, keys) for the keyboard shortcuts help: the keys on a keyboard, two at most."""
        rows = []
        for name, spec in self._specs.items():
            shown = [
                text
                for key in self._actions[name].shortcuts()
                if _on_a_keyboard(text := key.toString(QKeySequence.SequenceFormat.NativeText))
                and "Backspace" not in text
            ]
            if shown:
                rows.append((plain_text(spec.text), ", ".join(shown[:2])))
        return rows


def _on_a_keyboard(text: str) -> bool:
    """Leave out media keys some keyboards have ("Undo", "Find"): help names usual keys."""
    return (
        "+" in text
        or text in ("Del", "Delete", "Return", "Enter", "Esc")
        or (text.startswith("F") and text[1:].isdigit())
    )


def plain_text(text: str) -> str:
    """Menu text without mnemonics or a trailing ellipsis: "&New entry…" -> "New entry"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")
