"""Help → User guide: the guide (``docs/user-guide.md``, shipped with the app) in a window of
its own, beside the main window rather than over it.

Links to the other documents (sign-off, data safety, import formats …) open in the same window,
with Back to return; links to a heading scroll to it; web links open in the system browser.
Ctrl+F (or the platform's Find key) searches the page: Enter finds the next match, Shift+Enter
the one before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from logbook.resources import document_path, resource_path

GUIDE = "user-guide.md"
COLUMN_WIDTH = 760  # pixels of text per line: about 90 characters
LINE_HEIGHT = 125  # per cent of the font's line height
OBJECT_NAME = "userGuide"
WEB_SCHEMES = ("http", "https", "mailto")


@dataclass(frozen=True)
class Place:
    """A document shown, and where in it (for Back)."""

    path: Path
    scroll: int = 0


class GuidePage(QTextBrowser):
    """A page of the guide, set in a column of readable width with airy lines."""

    def tidy(self) -> None:
        """Space the lines of the page just shown, and fit its column to the window."""
        cursor = QTextCursor(self.document())
        cursor.select(QTextCursor.SelectionType.Document)
        spacing = QTextBlockFormat()
        proportional = QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
        spacing.setLineHeight(LINE_HEIGHT, proportional)
        cursor.mergeBlockFormat(spacing)
        self._fit_column()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_column()

    def _fit_column(self) -> None:
        # Margins of the page itself, so the background stays one piece and only the text
        # keeps to a column of comfortable line length.
        side = max(0, (self.viewport().width() - COLUMN_WIDTH) // 2)
        root = self.document().rootFrame()
        frame = root.frameFormat()
        if frame.leftMargin() != side:
            frame.setLeftMargin(side)
            frame.setRightMargin(side)
            root.setFrameFormat(frame)


class UserGuideWindow(QDialog):
    """The user guide and the documents it links to, searchable.

    Args:
        start: The document to show first (the user guide when not given).
    """

    def __init__(self, start: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(OBJECT_NAME)
        self.setWindowTitle("User guide")
        self.setAccessibleName("User guide")
        self.setWindowFlag(Qt.WindowType.Window)  # its own window, with minimise and maximise
        self.setModal(False)
        self.resize(900, 720)
        self.history: list[Place] = []
        self.current: Path | None = None

        self.browser = GuidePage(self)
        self.browser.setAccessibleName("User guide text")
        self.browser.setOpenLinks(False)  # every link goes through follow()
        self.browser.anchorClicked.connect(self.follow)
        self.browser.document().setDocumentMargin(22)

        self.back_button = QPushButton("Back", self)
        self.back_button.setToolTip("Back to the page before (Alt+Left)")
        self.back_button.clicked.connect(self.back)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Back), self, self.back)
        self.contents_button = QPushButton("Contents", self)
        self.contents_button.setToolTip("The start of the user guide")
        self.contents_button.clicked.connect(lambda: self.open_document(document_path(GUIDE)))
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Find in this page (Ctrl+F)")
        self.search.setAccessibleName("Find in this page")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.find_next)
        self.search.textChanged.connect(lambda _text: self.find_next(from_start=True))
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self._focus_search)
        previous = QShortcut(QKeySequence("Shift+Return"), self.search, self.find_previous)
        previous.setContext(Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(QKeySequence.StandardKey.FindNext), self, self.find_next)
        QShortcut(QKeySequence(QKeySequence.StandardKey.FindPrevious), self, self.find_previous)
        self.found = QLabel(self)
        self.found.setObjectName("muted")

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.contents_button)
        top.addStretch(1)
        top.addWidget(self.found)
        top.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.browser, 1)
        self.open_document(start or document_path(GUIDE), remember=False)

    # --- showing documents ------------------------------------------------------------------

    def open_document(self, path: Path, fragment: str = "", *, remember: bool = True) -> None:
        """Show the markdown document ``path`` (at the heading ``fragment``, if given)."""
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            text = (
                f"# Not found\n\n{path.name} is not where the app expected it ({path.parent}). "
                "The installation may be incomplete: reinstall Practice Logbook."
            )
        if remember and self.current is not None:
            self.history.append(Place(self.current, self.browser.verticalScrollBar().value()))
        self.current = path
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.setMarkdown(text)
        self.browser.tidy()
        title = _first_heading(text)
        self.setWindowTitle(f"User guide: {title}" if path.name != GUIDE else "User guide")
        self.back_button.setEnabled(bool(self.history))
        if fragment:
            self.scroll_to_heading(fragment)
        self.find_next(from_start=True)

    def follow(self, url: QUrl) -> None:
        """Open a link: a heading of this page, another document, or the browser for the web."""
        if url.scheme() in WEB_SCHEMES:
            QDesktopServices.openUrl(url)
            return
        target, fragment = url.path(), url.fragment()
        if not target:
            self.scroll_to_heading(fragment)
            return
        path = self._resolve(target)
        if path is not None and path.suffix == ".md":
            self.open_document(path, fragment)
        elif path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        else:
            self.found.setText(f"{Path(target).name} is not shipped with the app")

    def back(self) -> None:
        if not self.history:
            return
        place = self.history.pop()
        self.open_document(place.path, remember=False)
        self.browser.verticalScrollBar().setValue(place.scroll)

    def scroll_to_heading(self, fragment: str) -> bool:
        """Scroll so the heading whose anchor (as GitHub makes it) is ``fragment`` is at the
        top; False when the page has no such heading."""
        document = self.browser.document()
        block = document.begin()
        while block.isValid():
            if block.blockFormat().headingLevel() and _anchor(block.text()) == fragment:
                scroll = self.browser.verticalScrollBar()
                cursor = QTextCursor(block)
                self.browser.setTextCursor(cursor)
                # To the bottom first, so the heading ends up at the top rather than anywhere.
                scroll.setValue(scroll.maximum())
                self.browser.ensureCursorVisible()
                return True
            block = block.next()
        return False

    def _resolve(self, target: str) -> Path | None:
        """The file a relative link names: beside the page, or among the shipped resources
        (a link such as ``../resources/packs/README.md``)."""
        base = self.current.parent if self.current is not None else document_path(GUIDE).parent
        beside = (base / target).resolve()
        if beside.exists():
            return beside
        parts = Path(target).parts
        if "resources" in parts:
            shipped = resource_path(*parts[parts.index("resources") + 1 :])
            if shipped.exists():
                return shipped
        named = document_path(Path(target).name)
        return named if named.exists() else None

    # --- searching --------------------------------------------------------------------------

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def find_next(self, from_start: bool = False) -> bool:
        return self._find(QTextDocument.FindFlag(0), from_start)

    def find_previous(self) -> bool:
        return self._find(QTextDocument.FindFlag.FindBackward, False)

    def _find(self, flags: QTextDocument.FindFlag, from_start: bool) -> bool:
        words = self.search.text()
        if not words:
            self.found.setText("")
            return False
        backward = bool(flags & QTextDocument.FindFlag.FindBackward)
        if from_start:
            self.browser.moveCursor(QTextCursor.MoveOperation.Start)
        found = self.browser.find(words, flags)
        if not found:  # go round from the other end, as a browser does
            end = QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start
            self.browser.moveCursor(end)
            found = self.browser.find(words, flags)
        self.found.setText("" if found else "Not found")
        return found


def _first_heading(markdown: str) -> str:
    match = re.search(r"^#\s+(.+)$", markdown, re.MULTILINE)
    return match[1].strip() if match else ""


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: "Backups, encryption" -> "backups-encryption"."""
    words = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return words.replace(" ", "-")


def show_user_guide(parent: QWidget) -> UserGuideWindow:
    """Show the user guide beside ``parent``: one window, raised again when already open."""
    guide = parent.findChild(UserGuideWindow, OBJECT_NAME)
    if guide is None:
        guide = UserGuideWindow(parent=parent)
    guide.show()
    guide.raise_()
    guide.activateWindow()
    return guide
