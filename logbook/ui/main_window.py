"""The main window: sidebar of sections, lists and dashboard, menus, toolbar and status bar.

The window is built in two phases so that it can be drawn before the logbook has opened. The
shell (sidebar, menus, toolbar, status bar and each section's outline) needs only Qt and the
section catalogue; :meth:`MainWindow.attach` then brings in the opened logbook, the storage
stack behind it and the real pages. Until then every action that would reach the logbook is
disabled, and the status bar says the logbook is opening. Modules that need the storage stack
are imported inside the methods that run once the logbook is attached.

The window is also the editors' :class:`~logbook.ui.editors.host.EditorHost`: what an editor
saves goes through the undo history, so every create, edit and delete can be undone.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.catalogue import KINDS, mention
from logbook.domain.errors import LogbookError
from logbook.domain.records import Profile, Record, RecordKind
from logbook.services.changes import Change, Topic
from logbook.ui import theme
from logbook.ui.actions import ActionRegistry
from logbook.ui.outline import section_outline
from logbook.ui.sections import BY_KEY, SECTIONS, Section, section_shortcut
from logbook.ui.settings import Preferences, UiState
from logbook.ui.sidebar import NARROW_WINDOW, Sidebar

if TYPE_CHECKING:
    from logbook.services.logbook import Logbook
    from logbook.ui.columns import NameDirectory
    from logbook.ui.dashboard import DashboardPage
    from logbook.ui.list_page import ListSection, RecordListPage
    from logbook.ui.models import SignoffReader
    from logbook.ui.pages import Page, PageContext
    from logbook.ui.signoff.dialogs import RequestDialog
    from logbook.ui.undo import UndoHistory
    from logbook.ui.unlock_dialog import IdleLock

K = RecordKind

# What works while the logbook is still opening: nothing here reaches the logbook. Going to a
# section shows its outline, and its page once the logbook is open.
SHELL_ACTIONS = frozenset(
    {"file.quit", "view.sidebar", "help.guide", "help.shortcuts"}
    | {f"go.{section.key}" for section in SECTIONS}
)

# A shown window that is not drawn within this long says it was, so the logbook opens anyway.
PAINT_WAIT_MS = 1000

SIDEBAR_COLLAPSED = "window/sidebar_collapsed"
DETAIL_PANE = "lists/detail_pane"
CSV_FOLDER = "lists/csv_folder"


class SectionFrame(QWidget):
    """A section's page: its title and subtitle above the content, with generous margins."""

    def __init__(self, section: Section, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = section.key
        self.content = content
        self.setAccessibleName(section.name)
        layout = QVBoxLayout(self)
        heading = section.heading
        if heading:
            layout.setContentsMargins(24, 18, 24, 12)
        else:
            # A page with its own heading keeps its own margins.
            layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(12)
        if heading:
            titles = QVBoxLayout()
            titles.setSpacing(2)
            title = QLabel(section.name, self)
            title.setObjectName("pageTitle")
            title.setAccessibleName(f"{section.name} heading")
            subtitle = QLabel(section.subtitle, self)
            subtitle.setObjectName("pageSubtitle")
            titles.addWidget(title)
            titles.addWidget(subtitle)
            layout.addLayout(titles)
        layout.addWidget(content, 1)


class HistoryHost:
    """The editors' host: what they save goes through the window's undo history."""

    def __init__(self, history: UndoHistory) -> None:
        self._history = history

    def create(self, records: list[Record]) -> None:
        """Save new records (one entry or a series) as one undoable step.

        Raises:
            LogbookError: nothing was saved; the editor keeps its form.
        """
        self._history.create(records)

    def update(self, record: Record) -> None:
        """Save an edit as one undoable step.

        Raises:
            LogbookError: nothing was saved; the editor keeps its form.
        """
        self._history.update(record)


class MainWindow(QMainWindow):
    """The practitioner's logbook, every section one keystroke away.

    Built without a logbook, the window is its shell: drawn at once, with the logbook's
    actions disabled until :meth:`attach` brings the opened logbook in.

    Args:
        logbook: The open logbook (the window never closes it), or None for the shell.
        preferences: The user's preferences (saved when changed in Preferences).
        ui_state: Where geometry and column layouts are remembered.
        on_theme: Applies a theme to the application (set by the app; tests may omit it).
        today: The date the window treats as today (tests and screenshots fix it).

    Signals:
        first_painted: the window has been drawn for the first time (emitted once the paint
            has finished, so work started from it never delays the first frame; or, where a
            shown window is never drawn, such as behind others on some desktops, a second after
            it was shown).
        opened: the logbook is attached and the current section shows its records.
    """

    section_changed = Signal(str)
    changed = Signal(object)
    first_painted = Signal()
    opened = Signal()

    # Set by attach(); a shell window has none of them yet.
    logbook: Logbook
    names: NameDirectory
    profile: Profile | None
    signoff_reader: SignoffReader
    history: UndoHistory
    editor_host: HistoryHost
    idle_lock: IdleLock

    def __init__(
        self,
        logbook: Logbook | None = None,
        *,
        preferences: Preferences | None = None,
        ui_state: UiState | None = None,
        on_theme: Callable[[str], None] | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.preferences = preferences or Preferences(None)
        self.ui_state = ui_state or UiState(None)
        self._on_theme = on_theme
        self.today = today
        self.setWindowTitle("Practice Logbook")
        self.setObjectName("mainWindow")
        self.setAccessibleName("Practice Logbook")
        self.setMinimumSize(QSize(760, 520))
        self.setUnifiedTitleAndToolBarOnMac(True)
        self.editors: list[QDialog] = []
        self._open = False
        self._painted = False
        self._paint_wait = QTimer(self)
        self._paint_wait.setSingleShot(True)
        self._paint_wait.setInterval(PAINT_WAIT_MS)
        self._paint_wait.timeout.connect(self._announce_painted)

        self.registry = ActionRegistry(self)
        self._build_sections()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._connect_actions()
        if logbook is not None:
            self._take(logbook)
        self._restore_state()
        self._update_actions()

    # --- opening ----------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        """Whether the logbook is attached (False while the window is its shell)."""
        return self._open

    def attach(self, logbook: Logbook) -> None:
        """Bring the opened logbook into the shell: the current section's page is built (and
        reads the first page of its list), and the logbook's actions are enabled."""
        if self._open:
            raise RuntimeError("the window already shows a logbook")
        self._take(logbook)
        self.show_section(self.current_key)
        self._update_actions()
        self.opened.emit()

    def _take(self, logbook: Logbook) -> None:
        """The logbook and what the window keeps of it; no page is built yet."""
        from logbook.ui.columns import NameDirectory
        from logbook.ui.undo import UndoHistory

        self.logbook = logbook
        self.names = NameDirectory(logbook.records)
        self.profile = logbook.records.profile()
        self.signoff_reader = logbook.signoff.states
        self.history = UndoHistory(logbook.records, self._changed, self._undo_failed, self)
        self.editor_host = HistoryHost(self.history)
        self._connect_history()
        self.idle_lock = self._install_idle_lock()
        self._show_logbook_file()
        for _name, action in self.registry:
            action.setEnabled(True)  # those that depend on the selection are set next
        self._open = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._painted:
            self._paint_wait.start()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            # Queued: the children are painted and the frame is shown before anyone hears.
            self._paint_wait.start(0)

    def _announce_painted(self) -> None:
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def _build_sections(self) -> None:
        sections = [(s.name, s.icon, section_shortcut(s)) for s in SECTIONS]
        toggle = self.registry["view.sidebar"]
        keys = toggle.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.sidebar_pane = Sidebar(sections, keys, self)
        self.sidebar = self.sidebar_pane.list
        self.sidebar_pane.toggle_button.clicked.connect(toggle.trigger)
        # None until the user collapses or expands it: till then it follows the window width.
        self.sidebar_chosen: bool | None = None
        self._expanded_sidebar = self.sidebar_pane.expanded_width
        self.stack = QStackedWidget(self)
        self.section_keys = [section.key for section in SECTIONS]
        self.frames: dict[str, SectionFrame] = {}
        self.pages: dict[str, Page] = {}
        self.list_sections: dict[str, ListSection] = {}
        self._outlined: set[str] = set()
        for _key in self.section_keys:
            self.stack.addWidget(QWidget())  # replaced by the real page when first shown
        self.sidebar.currentRowChanged.connect(self._show_row)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.sidebar_pane)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([self.sidebar_pane.expanded_width, 1100])
        self.setCentralWidget(self.splitter)

    def toggle_sidebar(self) -> None:
        """The user collapsed or expanded the sidebar: their choice holds from now on."""
        self.sidebar_chosen = self.registry["view.sidebar"].isChecked()
        self.set_sidebar_collapsed(self.sidebar_chosen)

    def set_sidebar_collapsed(self, collapsed: bool) -> None:
        """Show the sections as icons only, or with their names."""
        self.registry["view.sidebar"].setChecked(collapsed)
        pane = self.sidebar_pane
        if collapsed == pane.collapsed:
            return
        sizes = self.splitter.sizes()
        if collapsed:
            self._expanded_sidebar = sizes[0]
        pane.set_collapsed(collapsed)
        width = pane.minimumWidth() if collapsed else self._expanded_sidebar
        self.splitter.setSizes([width, sum(sizes) - width])

    def _follow_width(self) -> None:
        """Until the user chooses, a narrow window starts with the sidebar collapsed: at 1024
        pixels its names take a quarter of the width, which the lists' columns need more (each
        icon keeps its name in a tooltip and its Ctrl+N key)."""
        if self.sidebar_chosen is None:
            self.set_sidebar_collapsed(self.width() < NARROW_WINDOW)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._follow_width()

    def _make_section(self, section: Section) -> Page:
        if section.lists:
            return self._make_lists(section)
        return section.page_type().build(self._page_context())

    def _page_context(self) -> PageContext:
        from logbook.ui.pages import PageContext

        return PageContext(
            logbook=self.logbook,
            names=self.names,
            preferences=self.preferences,
            profile=self.profile,
            today=self.today,
            report_change=self.apply_external_change,
            show_section=self.show_section,
            say=lambda message: self.statusBar().showMessage(message, 8000),
            open_conflicts=self.open_conflicts,
        )

    def _make_lists(self, section: Section) -> ListSection:
        from logbook.ui.list_page import ListSection, RecordListPage

        pages = []
        for kind, title in section.lists:
            page = RecordListPage(
                self.logbook.records,
                kind,
                self.names,
                profile=self.profile,
                signoff=self.signoff_reader,
                attachments=self.logbook.attachments.list_for,
                title=title,
            )
            if self.today is not None:
                page.filters.set_today(self.today)
                page.filters.set_profile(self.profile)
            page.context_actions = [
                self.registry["edit.open"],
                self.registry["edit.duplicate"],
                None,
                self.registry["edit.request_signoff"],
                self.registry["edit.export_selected"],
                self.registry["file.export_csv"],
                None,
                self.registry["edit.delete"],
            ]
            page.restore_state(self.ui_state)
            page.set_detail_visible(self.registry["view.detail_pane"].isChecked())
            pages.append(page)
        if section.key == "pathways":
            self._add_pathway_panel(pages[0])
        lists = ListSection(pages)
        lists.selection_changed.connect(self._update_actions)
        lists.edit_requested.connect(self.edit_record)
        self.list_sections[section.key] = lists
        return lists

    def section_widget(self, key: str) -> QWidget:
        """The content of section ``key``, created the first time it is needed."""
        if key not in self.frames:
            page = self._make_section(BY_KEY[key])
            assert isinstance(page, QWidget)
            frame = SectionFrame(BY_KEY[key], page)
            self.pages[key] = page
            self._place(key, frame)
            self.frames[key] = frame
        return self.frames[key].content

    def _show_outline(self, key: str) -> None:
        """Until the logbook is open, a section shows its outline: its heading and, for a
        list, the list's empty frame under its column titles."""
        if key not in self._outlined:
            section = BY_KEY[key]
            self._place(key, SectionFrame(section, section_outline(section, self.ui_state)))
            self._outlined.add(key)

    def _place(self, key: str, widget: QWidget) -> None:
        """Put ``widget`` in the stack in place of what showed section ``key`` so far."""
        index = self.section_keys.index(key)
        placeholder = self.stack.widget(index)
        assert placeholder is not None
        current = self.stack.currentIndex() == index
        self.stack.insertWidget(index, widget)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        if current:
            self.stack.setCurrentIndex(index)

    def _build_menus(self) -> None:
        a = self.registry
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        for name in ("file.new", "file.import", "file.conflicts", "file.export"):
            file_menu.addAction(a[name])
        file_menu.addAction(a["file.check_portfolio"])
        file_menu.addAction(a["file.export_csv"])
        file_menu.addSeparator()
        for name in ("file.profile", "file.backups", "file.encryption", "file.lock"):
            file_menu.addAction(a[name])
        file_menu.addSeparator()
        file_menu.addAction(a["file.quit"])
        edit_menu = bar.addMenu("&Edit")
        for item in ("edit.undo", "edit.redo", None, "edit.open", "edit.duplicate", "edit.delete"):
            edit_menu.addAction(a[item]) if item else edit_menu.addSeparator()
        edit_menu.addSeparator()
        edit_menu.addAction(a["edit.request_signoff"])
        edit_menu.addAction(a["edit.export_selected"])
        edit_menu.addSeparator()
        edit_menu.addAction(a["edit.find"])
        edit_menu.addSeparator()
        edit_menu.addAction(a["edit.preferences"])
        view_menu = bar.addMenu("&View")
        for section in SECTIONS:
            view_menu.addAction(a[f"go.{section.key}"])
        view_menu.addSeparator()
        view_menu.addAction(a["view.refresh"])
        view_menu.addAction(a["view.detail_pane"])
        view_menu.addAction(a["view.sidebar"])
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(a["help.guide"])
        help_menu.addAction(a["help.shortcuts"])
        help_menu.addAction(a["help.about"])

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Main toolbar", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setAccessibleName("Main toolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        names = [
            "file.new",
            "edit.open",
            "edit.duplicate",
            "edit.delete",
            "edit.request_signoff",
            None,
            "edit.undo",
            "edit.redo",
            None,
            "edit.find",
            "file.import",
            "file.export",
        ]
        for name in names:
            if name is None:
                toolbar.addSeparator()
                continue
            toolbar.addAction(self.registry[name])
            button = toolbar.widgetForAction(self.registry[name])
            if isinstance(button, QToolButton):
                button.setAccessibleName(self.registry[name].text().replace("&", "").rstrip("…"))
                icon_only = ("edit.duplicate", "edit.request_signoff", "edit.find")
                if name in (*icon_only, "file.import", "file.export"):
                    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.addToolBar(toolbar)
        self.toolbar = toolbar

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        status.setSizeGripEnabled(True)
        self.path_label = QLabel(self)
        self.path_label.setObjectName("muted")
        self.path_label.setAccessibleName("Logbook file")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status.addPermanentWidget(self.path_label)
        # A widget rather than a message: pointing at a menu item would wipe a message out.
        self.opening_label = QLabel("Opening the logbook…", self)
        self.opening_label.setAccessibleName("Opening the logbook")
        status.addWidget(self.opening_label, 1)

    def _show_logbook_file(self) -> None:
        status = self.statusBar()
        status.removeWidget(self.opening_label)  # and hides it
        path = str(self.logbook.path)
        self.path_label.setText(f"Logbook: {path}")
        self.path_label.setToolTip(path)
        warning = self.logbook.backup_warning
        if warning:
            status.showMessage(f"Today's automatic backup could not be made: {warning}")

    def _connect_actions(self) -> None:
        a = self.registry
        a.on("file.new", self.new_entry)
        a.on("file.import", self.import_entries)
        a.on("file.export", self.export_portfolio)
        a.on("file.check_portfolio", self.check_portfolio)
        a.on("file.backups", self.open_backups)
        a.on("file.conflicts", self.open_conflicts)
        a.on("file.encryption", self.open_encryption)
        a.on("file.lock", self.lock_now)
        a.on("file.profile", self.edit_profile)
        a.on("file.quit", self.close)
        a.on("edit.open", self.edit_selected)
        a.on("edit.duplicate", self.duplicate_selected)
        a.on("edit.delete", self.delete_selected)
        a.on("edit.request_signoff", self.request_signoff_selected)
        a.on("edit.export_selected", lambda: self.export_csv(selected=True))
        a.on("file.export_csv", self.export_csv)
        a.on("edit.find", self.find_in_list)
        a.on("edit.save", self._save_hint)
        a.on("edit.preferences", self.open_preferences)
        a.on("view.refresh", self.refresh)
        a.on("view.sidebar", self.toggle_sidebar)
        a.on("help.about", self.about)
        a.on("help.guide", self.show_user_guide)
        a.on("help.shortcuts", self.show_shortcuts)
        for section in SECTIONS:
            a.on(f"go.{section.key}", partial(self.show_section, section.key, focus=True))
        a["view.detail_pane"].setChecked(self.ui_state.load_value(DETAIL_PANE, "1") == "1")
        a["view.detail_pane"].toggled.connect(self.set_detail_pane)
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._system_scheme_changed)

    def _connect_history(self) -> None:
        self.registry.on("edit.undo", self.history.undo)
        self.registry.on("edit.redo", self.history.redo)
        self.history.canUndoChanged.connect(self._update_actions)
        self.history.canRedoChanged.connect(self._update_actions)
        self.history.undoTextChanged.connect(self._update_actions)
        self.history.redoTextChanged.connect(self._update_actions)

    # --- sections ---------------------------------------------------------------------------

    def show_section(self, key: str, focus: bool = False) -> None:
        row = self.section_keys.index(key)
        if self.sidebar.currentRow() != row:
            self.sidebar.setCurrentRow(row)
        else:
            self._show_row(row)
        if focus:
            self.focus_content()

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        key = self.section_keys[row]
        if self._open:
            self.section_widget(key)
        else:
            self._show_outline(key)  # its page is built once the logbook is open
        self.stack.setCurrentIndex(row)
        if self._open:
            self.pages[key].activate()
        self._update_actions()
        self.section_changed.emit(key)

    @property
    def current_key(self) -> str:
        row = self.sidebar.currentRow()
        return self.section_keys[row] if row >= 0 else "dashboard"

    def current_list(self) -> RecordListPage | None:
        lists = self.list_sections.get(self.current_key)
        return lists.current if lists is not None else None

    def list_page(self, kind: RecordKind) -> RecordListPage:
        """The list of ``kind`` (created if needed), for tests and links."""
        for listed in SECTIONS:
            if any(k is kind for k, _title in listed.lists):
                self.section_widget(listed.key)
                for page in self.list_sections[listed.key].pages:
                    if page.kind is kind:
                        return page
        raise KeyError(kind)

    @property
    def dashboard(self) -> DashboardPage:
        from logbook.ui.dashboard import DashboardPage

        page = self.section_widget("dashboard")
        assert isinstance(page, DashboardPage)
        return page

    def focus_content(self) -> None:
        page = self.current_list()
        if page is not None:
            page.focus_list()
        else:
            current = self.stack.currentWidget()
            if current is not None:
                current.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def current_kind(self) -> RecordKind:
        """The kind New creates here (supervision outside the lists: the most logged entry)."""
        page = self.current_list()
        return page.kind if page is not None else K.SUPERVISION

    # --- editing ----------------------------------------------------------------------------

    def _open_editor(
        self, kind: RecordKind, record: Record | None, duplicate: bool
    ) -> QDialog | None:
        from logbook.ui.editors import open_editor

        try:
            dialog = open_editor(
                kind, self.logbook, self.editor_host, record, duplicate=duplicate, parent=self
            )
        except (LogbookError, KeyError, NotImplementedError) as error:
            QMessageBox.warning(self, "This entry cannot be opened", str(error))
            return None
        self.show_editor(dialog)
        return dialog

    def show_editor(self, dialog: QDialog) -> None:
        """Open an editor as one of this window's (it asks before the window closes)."""
        self.editors.append(dialog)
        dialog.finished.connect(lambda _result, d=dialog: self._editor_closed(d))
        dialog.open()

    def _editor_closed(self, dialog: QDialog) -> None:
        if dialog in self.editors:
            self.editors.remove(dialog)
        # Back to the list the user came from, ready for the next key press.
        self.activateWindow()
        self.focus_content()

    def new_entry(self, kind: RecordKind | None = None) -> QDialog | None:
        kind = kind or self.current_kind()
        page = self.current_list()
        if page is None and not BY_KEY[self.current_key].lists:
            # New from the dashboard logs a supervision session, shown in its list afterwards.
            self.show_section("supervision")
        return self._open_editor(kind, None, False)

    def edit_record(self, record: Record) -> QDialog | None:
        return self._open_editor(record.kind, record, False)

    def edit_selected(self) -> QDialog | None:
        page = self.current_list()
        record = page.current_record() if page else None
        return self.edit_record(record) if record else None

    def duplicate_selected(self) -> QDialog | None:
        page = self.current_list()
        record = page.current_record() if page else None
        return self._open_editor(record.kind, record, True) if record else None

    def delete_selected(self, confirm: bool | None = None) -> bool:
        page = self.current_list()
        records = page.selected_records() if page else []
        if not records:
            return False
        ask = self.preferences["confirm_delete"] if confirm is None else confirm
        if ask:
            many = KINDS[records[0].kind].many
            what = mention(records[0]) if len(records) == 1 else f"{len(records):,} {many}"
            answer = QMessageBox.question(
                self,
                "Delete",
                f"Delete {what}?\n\nYou can undo this with {self._undo_keys()}.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            self.history.delete(records)
        except LogbookError as error:
            QMessageBox.warning(self, "Not deleted", str(error))
            return False
        return True

    def _update_list_actions(self, page: RecordListPage | None, selected: list[Record]) -> None:
        """Sign-off and CSV export of a list; a disabled action says why in its tip."""
        a = self.registry
        a["file.export_csv"].setEnabled(page is not None)
        a["edit.export_selected"].setEnabled(bool(selected))
        a["view.detail_pane"].setEnabled(page is not None and page.detail is not None)
        request = a["edit.request_signoff"]
        reason = self._signoff_refusal(page, selected)
        request.setEnabled(not reason)
        tip = reason or self.registry.spec("edit.request_signoff").tip
        request.setToolTip(tip)
        request.setStatusTip(tip)

    def _signoff_refusal(self, page: RecordListPage | None, selected: list[Record]) -> str:
        """Why the selected entries cannot be sent for sign-off ("" when they can)."""
        from logbook.domain.signing import SIGNABLE_KINDS

        if page is not None and page.kind not in SIGNABLE_KINDS:
            return f"{KINDS[page.kind].many.capitalize()} are not signed off: only log entries are."
        if not selected:
            return "Select the entries a supervisor should sign."
        return ""

    def request_signoff_selected(self) -> QDialog | None:
        """Ask a supervisor to sign the selected entries: the request opens with them ticked."""
        page = self.current_list()
        selected = page.selected_records() if page else []
        if page is None or self._signoff_refusal(page, selected):
            return None
        from logbook.ui.signoff.dialogs import RequestDialog

        dialog = RequestDialog(self.logbook, parent=self, entries=selected)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._request_written(dialog))
        dialog.open()
        return dialog

    def _request_written(self, dialog: RequestDialog) -> None:
        request = dialog.request
        if request is None:
            return
        # The sign-off column of the list now reads "Awaiting sign-off".
        self.apply_external_change(dialog.change)
        count = len(request.items)
        self.statusBar().showMessage(
            f"Sign-off request for {count} entr{'y' if count == 1 else 'ies'} written to "
            f"{dialog.file.path()}: send it to {request.supervisor_name}.",
            15000,
        )

    def export_csv(self, selected: bool = False) -> QDialog | None:
        """Save the current list (every row its filters match) or its selected rows as CSV."""
        page = self.current_list()
        if page is None:
            return None
        scope = page.export_scope(selected)
        if selected and not scope.selected:
            return None
        from logbook.ui.list_export_dialog import CsvExportDialog

        folder = self.ui_state.load_value(CSV_FOLDER, "")
        dialog = CsvExportDialog(
            self.logbook.records,
            scope,
            signoff=self.signoff_reader,
            folder=Path(folder) if folder and Path(folder).is_dir() else None,
            today=self.today,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exported.connect(self._csv_exported)
        dialog.open()
        return dialog

    def _csv_exported(self, result: Any) -> None:
        self.ui_state.save_value(CSV_FOLDER, str(result.path.parent))
        rows = f"{result.rows:,} row{'s' if result.rows != 1 else ''}"
        self.statusBar().showMessage(f"Saved {rows} to {result.path}.", 10000)

    def set_detail_pane(self, visible: bool) -> None:
        """Show or hide the details beside every list (remembered for next time)."""
        self.ui_state.save_value(DETAIL_PANE, "1" if visible else "0")
        for lists in self.list_sections.values():
            lists.set_detail_visible(visible)

    def find_in_list(self) -> None:
        page = self.current_list()
        if page is None:
            self.show_section("supervision")
            page = self.current_list()
        if page is not None:
            page.focus_search()

    def _undo_keys(self) -> str:
        keys = self.registry["edit.undo"].shortcut().toString()
        return keys or "Undo"

    def _save_hint(self) -> None:
        self.statusBar().showMessage("Every change is saved as you make it.", 4000)

    # --- changes ----------------------------------------------------------------------------

    def _changed(self, change: Change, source: Page | None = None) -> None:
        """The one path of every change: names, the profile, then each page built so far,
        once, except ``source``, the page that made the change and has shown it already."""
        if not change:
            return
        self.names.forget(change.kinds)
        if change.touches(K.PROFILE):
            self.profile = self.logbook.records.profile()
            for page in self.pages.values():
                page.set_profile(self.profile)
        for page in self.pages.values():
            if page is not source:
                page.apply_change(change)
        self._update_actions()
        self.changed.emit(change)

    def _undo_failed(self, what: str, error: LogbookError) -> None:
        QMessageBox.warning(self, f"{what} failed", f"{error}\n\nThe logbook was not changed.")

    def apply_external_change(self, change: Change, source: Page | None = None) -> None:
        """Refresh after a change made outside the undo history (imports, sign-off, restore)."""
        self._changed(change, source)

    def refresh(self) -> None:
        self.names.forget()
        self.profile = self.logbook.records.profile()
        self._changed(Change(kinds=frozenset(RecordKind), topics=frozenset(Topic)))

    def _update_actions(self) -> None:
        a = self.registry
        if self._open:
            self._update_logbook_actions()
        else:
            for name, action in a:
                action.setEnabled(name in SHELL_ACTIONS)
        history = self.history if self._open else None
        undo_text = history.undoText() if history else ""
        redo_text = history.redoText() if history else ""
        a["edit.undo"].setText(f"&Undo {undo_text}" if undo_text else "&Undo")
        a["edit.redo"].setText(f"&Redo {redo_text}" if redo_text else "&Redo")
        a["edit.undo"].setIconText("Undo")
        a["edit.redo"].setIconText("Redo")
        kind = self.current_kind()
        a["file.new"].setText(f"&New {kind.label.lower()}…")
        a["file.new"].setIconText("New")
        a["edit.open"].setIconText("Edit")
        a["edit.delete"].setIconText("Delete")

    def _update_logbook_actions(self) -> None:
        a = self.registry
        page = self.current_list()
        selected = page.selected_records() if page else []
        a["edit.open"].setEnabled(len(selected) >= 1)
        a["edit.duplicate"].setEnabled(len(selected) == 1)
        a["edit.delete"].setEnabled(bool(selected))
        self._update_list_actions(page, selected)
        a["file.lock"].setEnabled(self.encrypted())
        a["edit.undo"].setEnabled(self.history.canUndo())
        a["edit.redo"].setEnabled(self.history.canRedo())

    # --- other windows ----------------------------------------------------------------------

    def import_entries(self) -> None:
        from logbook.ui import importing

        path = importing.ask_for_file(self)
        if path is None:
            return
        kind: RecordKind | None = None
        if path.suffix.lower() != ".json":
            kind = importing.ask_for_kind(self, path, self.current_kind())
            if kind is None:
                return

        def done(outcome: importing.ImportOutcome) -> None:
            self.apply_external_change(outcome.change)
            self.statusBar().showMessage(outcome.message.splitlines()[0], 8000)
            if outcome.conflicts:
                self._refresh_dashboard()
                self._offer_conflicts(outcome.message)

        self._import_job = importing.start_import(self, self.logbook, path, kind, done)

    def _add_pathway_panel(self, page: RecordListPage) -> None:
        """The pathways list shows the selected pathway's stages and starts new ones."""
        from logbook.ui.pathways import PathwayPanel

        panel = PathwayPanel(self.logbook)
        panel.today = self.today
        page.set_detail(panel)
        panel.open_stage.connect(self.edit_record)

        def started(change: Change) -> None:
            self.apply_external_change(change)
            pathways = [uid for uid in change.created if page.select_uid(uid)]
            self.statusBar().showMessage(
                "Pathway started: its stages are listed below." if pathways else "", 8000
            )

        panel.changed.connect(started)
        self.changed.connect(lambda change: panel.refresh())

    def _offer_conflicts(self, message: str) -> None:
        """An import kept both sides of records changed on both copies: say so, offer to
        choose now."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Imported, with conflicts")
        box.setText(message.splitlines()[0])
        box.setInformativeText("\n".join(message.splitlines()[1:]))
        now = box.addButton("Choose now…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(now)
        box.exec()
        if box.clickedButton() is now:
            self.open_conflicts()

    def open_conflicts(self) -> None:
        from logbook.ui.conflicts_dialog import ConflictsDialog

        dialog = ConflictsDialog(self.logbook, parent=self)
        dialog.changed.connect(self.apply_external_change)
        dialog.exec()
        self._refresh_dashboard()

    def _refresh_dashboard(self) -> None:
        if "dashboard" in self.frames:
            self.dashboard.refresh()

    def export_portfolio(self) -> None:
        from logbook.ui.export_dialog import ExportDialog

        ExportDialog(self.logbook, parent=self).exec()

    def check_portfolio(self) -> QDialog:
        from logbook.ui.portfolio_check_dialog import PortfolioCheckDialog

        dialog = PortfolioCheckDialog(self.logbook, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def open_backups(self) -> None:
        from logbook.ui.backups_dialog import BackupsDialog

        dialog = BackupsDialog(self.logbook, parent=self)
        dialog.restored.connect(self._restored)
        dialog.exec()

    def _restored(self, _change: object = None) -> None:
        """After a restore the logbook is another one: forget the history, reread everything."""
        self.history.clear()
        self.refresh()
        self.statusBar().showMessage("The backup was restored.", 8000)

    def back_up_later(self, delay_ms: int = 2000) -> None:
        """Take the daily backup in the background, once the window is up and settled."""
        QTimer.singleShot(delay_ms, self._back_up_if_due)

    def _back_up_if_due(self) -> None:
        from logbook.ui.worker import Job

        def done(backup: object) -> None:
            if backup is not None:
                self.statusBar().showMessage("Today's backup was made.", 6000)

        def failed(error: BaseException) -> None:
            self.statusBar().showMessage(f"Today's automatic backup could not be made: {error}")

        job = Job(lambda _progress: self.logbook.backups.backup_if_due(), self)
        job.succeeded.connect(done)
        job.failed.connect(failed)
        self._backup_job = job.start()

    def open_encryption(self) -> None:
        from logbook.ui.encryption_dialog import EncryptionDialog

        dialog = EncryptionDialog(self.logbook, parent=self)
        dialog.changed.connect(self._encryption_changed)
        dialog.exec()

    def _encryption_changed(self) -> None:
        self.idle_lock.set_minutes(float(self.preferences["lock_after_minutes"]))
        self._update_actions()

    def _install_idle_lock(self) -> IdleLock:
        from logbook.ui.unlock_dialog import IdleLock

        minutes = float(self.preferences["lock_after_minutes"])
        return IdleLock(self, self.logbook.encryption, minutes=minutes)

    def lock_now(self) -> None:
        self.idle_lock.lock_now()

    def encrypted(self) -> bool:
        return self.logbook.encryption.encrypted

    def edit_profile(self) -> QDialog | None:
        return self._open_editor(K.PROFILE, self.profile, False)

    def open_preferences(self) -> None:
        from logbook.ui.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.preferences, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        changed = dialog.apply_to(self.preferences)
        try:
            self.preferences.save()
        except OSError as error:
            QMessageBox.warning(
                self, "Preferences not saved", f"{error.strerror}: {error.filename}"
            )
        self.apply_preferences(changed)

    def apply_preferences(self, changed: dict[str, Any]) -> None:
        if "lock_after_minutes" in changed:
            self.idle_lock.set_minutes(float(changed["lock_after_minutes"]))
        if "theme" in changed:
            self.apply_theme(str(changed["theme"]))
        if "dashboard" in self.frames and ({"chart_months", "upcoming_days"} & set(changed)):
            self.dashboard.look_ahead_days = int(self.preferences["upcoming_days"])
            self.dashboard.set_chart_months(int(self.preferences["chart_months"]))

    def apply_theme(self, name: str) -> None:
        if self._on_theme is not None:
            self._on_theme(name)
        else:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                theme.apply_theme(app, name)  # type: ignore[arg-type]
        self.restyle()

    def restyle(self) -> None:
        """Redraw what paints itself in theme colours (icons, charts)."""
        self.registry.refresh_icons()
        self.sidebar_pane.restyle()
        if "dashboard" in self.frames:
            self.dashboard.draw_charts()

    def _system_scheme_changed(self, *_args: Any) -> None:
        if self.preferences["theme"] == "system":
            self.apply_theme("system")

    def about(self) -> None:
        from logbook import __version__

        path = html.escape(str(self.logbook.path))
        QMessageBox.about(
            self,
            "About Practice Logbook",
            f"<h3>Practice Logbook {html.escape(__version__)}</h3>"
            "<p>The professional record of the UK mental-health workforce: supervision, "
            "practice, CPD, pathways, sign-off and portfolios. Offline, and yours.</p>"
            f"<p>Logbook file:<br><code>{path}</code></p>"
            f"<p style='color: gray'>Python {sys.version.split()[0]} · Qt for Python "
            f"{html.escape(pyside_version)} · MIT licence</p>",
        )

    def show_user_guide(self) -> None:
        from logbook.ui.user_guide import show_user_guide

        show_user_guide(self)

    def show_shortcuts(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("Keyboard shortcuts")
        dialog.setAccessibleName("Keyboard shortcuts")
        layout = QVBoxLayout(dialog)
        rows = self.registry.shortcut_rows()
        rows += [
            ("Open the selected entry", "Enter"),
            ("Move between filters and the list", "Tab, Shift+Tab"),
            ("Clear the search", "Escape"),
        ]
        table = QTableWidget(len(rows), 2, dialog)
        table.setAccessibleName("Shortcuts")
        table.setHorizontalHeaderLabels(["Action", "Keys"])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        for number, (what, keys) in enumerate(rows):
            table.setItem(number, 0, QTableWidgetItem(what))
            table.setItem(number, 1, QTableWidgetItem(keys))
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.resize(520, 560)
        dialog.exec()

    # --- state ------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.ui_state.load_bytes("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            screen = QGuiApplication.primaryScreen()
            available = screen.availableGeometry() if screen else None
            if available is not None:
                width = min(1360, int(available.width() * 0.9))
                height = min(860, int(available.height() * 0.9))
                self.resize(width, height)
                self.move(
                    available.x() + (available.width() - width) // 2,
                    available.y() + (available.height() - height) // 2,
                )
        state = self.ui_state.load_bytes("window/state")
        if state is not None:
            self.restoreState(state)
        splitter = self.ui_state.load_bytes("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
            self._expanded_sidebar = max(self.splitter.sizes()[0], self.sidebar_pane.expanded_width)
        self.sidebar_chosen = self.ui_state.load_flag(SIDEBAR_COLLAPSED)
        if self.sidebar_chosen is not None:
            self.set_sidebar_collapsed(self.sidebar_chosen)
        key = self.ui_state.load_value("window/section", "dashboard")
        self.show_section(key if key in self.section_keys else "dashboard")

    def save_state(self) -> None:
        self.ui_state.save_bytes("window/geometry", self.saveGeometry())
        self.ui_state.save_bytes("window/state", self.saveState())
        self.ui_state.save_bytes("window/splitter", self.splitter.saveState())
        if self.sidebar_chosen is not None:
            self.ui_state.save_flag(SIDEBAR_COLLAPSED, self.sidebar_chosen)
        self.ui_state.save_value("window/section", self.current_key)
        for page in self.pages.values():
            page.save_state(self.ui_state)
        self.ui_state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        for dialog in list(self.editors):
            dialog.close()
        if self.editors:
            # An editor refused to close (unsaved changes the user chose to keep).
            event.ignore()
            return
        if self._open:
            # A shell closed before the logbook opened has changed nothing worth keeping.
            self.save_state()
        super().closeEvent(event)
