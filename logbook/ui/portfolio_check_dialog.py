"""Check a portfolio…: what a portfolio PDF someone sent proves, with nothing but the file.

Works with or without a logbook of one's own: with one, each signer's key is also looked up
among the keys its practitioner confirmed. The check reads the whole file, so it runs on a
worker thread; every word of the verdict comes from the domain's report.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.errors import LogbookError
from logbook.domain.proof_check import PortfolioReport, TotalCheck, figures
from logbook.domain.proof_report import (
    PROVES,
    Verdict,
    confirmation_words,
    printed_signoffs_words,
    sentence,
    shown_totals,
    signature_words,
    signer_words,
    signoff_notes,
    signoff_summary,
    total_agreement,
    verdict_of,
    verdict_reason,
)
from logbook.domain.proof_signoffs import SignerCheck
from logbook.services.logbook import Logbook
from logbook.services.portfolio_check import check_portfolio
from logbook.ui import theme
from logbook.ui.layouts import fit_to_screen, scrolling
from logbook.ui.worker import Job, Progress

MAX_PROBLEMS_SHOWN = 50
ICON_SIZE = 40


def verdict_colour(verdict: Verdict) -> QColor:
    """The theme colour a verdict is drawn in (its words and icon say it too)."""
    colours = theme.current()
    return QColor(
        {
            Verdict.CHECKS_OUT: colours.success,
            Verdict.ALTERED: colours.danger,
            Verdict.NOT_SIGNED: colours.warning,
            Verdict.CANNOT_BE_CHECKED: colours.muted,
        }[verdict]
    )


def verdict_icon(verdict: Verdict, size: int, ratio: float = 1.0) -> QPixmap:
    """A round badge whose mark differs by verdict: a tick, a cross, "!" or "?"."""
    pixmap = QPixmap(QSize(size, size) * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(verdict_colour(verdict))
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    ink = QColor(theme.current().surface)
    pen = QPen(ink)
    pen.setWidthF(size / 10)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    s = size / 100
    if verdict is Verdict.CHECKS_OUT:
        mark = QPainterPath(QPointF(28 * s, 52 * s))
        mark.lineTo(44 * s, 68 * s)
        mark.lineTo(73 * s, 35 * s)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(mark)
    elif verdict is Verdict.ALTERED:
        painter.drawLine(QPointF(34 * s, 34 * s), QPointF(66 * s, 66 * s))
        painter.drawLine(QPointF(66 * s, 34 * s), QPointF(34 * s, 66 * s))
    else:
        font = QFont(painter.font())
        font.setPixelSize(int(size * 0.62))
        font.setBold(True)
        painter.setFont(font)
        mark_text = "!" if verdict is Verdict.NOT_SIGNED else "?"
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, mark_text)
    painter.end()
    return pixmap


def mono_font() -> QFont:
    """The system's fixed-width font, for fingerprints a reviewer compares character by
    character."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), 10.0))
    return font


def _label(text: str, *, name: str = "", mono: bool = False, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    if mono:
        label.setFont(mono_font())
    return label


class VerdictBanner(QFrame):
    """The headline: a coloured frame, an icon whose mark says the verdict, the verdict in
    words and the reason in a sentence."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdictBanner")
        self.icon = QLabel(self)
        self.icon.setFixedSize(ICON_SIZE, ICON_SIZE)
        self.headline = _label("")
        self.headline.setObjectName("verdictHeadline")
        self.headline.setAccessibleName("Verdict")
        self.reason = _label("")
        self.reason.setAccessibleName("Why")
        words = QVBoxLayout()
        words.setSpacing(4)
        words.addWidget(self.headline)
        words.addWidget(self.reason)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 12, 14, 12)
        row.setSpacing(14)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(words, 1)
        self.verdict: Verdict | None = None

    def show_verdict(self, verdict: Verdict, reason: str) -> None:
        self.verdict = verdict
        colour = verdict_colour(verdict)
        rgb = f"{colour.red()}, {colour.green()}, {colour.blue()}"
        self.setStyleSheet(
            f"QFrame#verdictBanner {{ border: 1px solid rgb({rgb}); border-radius: 10px; "
            f"background: rgba({rgb}, 28); }}"
            f"QLabel#verdictHeadline {{ color: rgb({rgb}); font-size: 15pt; font-weight: 600; }}"
        )
        self.icon.setPixmap(verdict_icon(verdict, ICON_SIZE, self.devicePixelRatioF()))
        self.icon.setAccessibleName(verdict.value)
        self.headline.setText(verdict.value)
        self.reason.setText(reason)
        self.show()


class ReportView(QWidget):
    """What was checked, row by row: the fingerprint, practitioner, signature, signers,
    printed sign-offs, totals, what is wrong, and what a valid result proves."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(2, 4, 2, 4)
        self.column.addStretch(1)  # rows stay at the top, however few
        self.body: QWidget | None = None
        self.fingerprint: QLabel | None = None
        self.clear()

    def clear(self) -> None:
        """Start afresh: a new grid replaces the rows of the last report."""
        if self.body is not None:
            self.column.removeWidget(self.body)
            self.body.deleteLater()
        self.body = QWidget(self)
        self.grid = QGridLayout(self.body)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(10)
        self.grid.setColumnStretch(1, 1)
        self.column.insertWidget(0, self.body)
        self.fingerprint = None

    def show_report(self, report: PortfolioReport) -> None:
        self.clear()
        fingerprint = _label(report.fingerprint or "(no evidence inside)", mono=True)
        fingerprint.setAccessibleName("Document fingerprint")
        self.fingerprint = fingerprint
        self._row("Document fingerprint", fingerprint)
        self._row("Practitioner", _label(report.practitioner or "(unknown)"))
        self._row("Document signature", _label(signature_words(report)))
        self._row("Pages", _label(str(report.pages)))
        if report.signoffs:
            self._row("Sign-offs", _label("\n".join(signoff_summary(report))))
        for signer in report.signers:
            self._row("Signer", self._signer(report, signer_words(signer), signer))
        if notes := signoff_notes(report):
            self._row("Notes", _label("\n".join(notes), name="muted"))
        if printed := printed_signoffs_words(report):
            self._row("Printed sign-offs", _label("\n".join(sentence(line) for line in printed)))
        if totals := shown_totals(report.totals):
            self._row("Totals", self._totals(totals))
        if report.problems:
            self._row("What is wrong", self._problems(report.problems))
        self._row("What it proves", _label(PROVES, name="muted"))

    def show_words(self, text: str) -> None:
        self.clear()
        self._row("What it proves", _label(PROVES, name="muted"))
        if text:
            self._row("Details", _label(text))

    def _row(self, caption: str, value: QWidget) -> None:
        row = self.grid.rowCount()
        heading = QLabel(caption)
        heading.setObjectName("muted")
        heading.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(heading, row, 0, Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(value, row, 1)

    @staticmethod
    def _signer(report: PortfolioReport, words: str, signer: SignerCheck) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(_label(signer.name, name="sectionTitle"))
        key = _label(f"Key {signer.fingerprint} · {signer.signatures} valid", mono=True)
        key.setAccessibleName(f"Key of {signer.name}")
        column.addWidget(key)
        confirmed = confirmation_words(signer, report.reviewer_checked)
        column.addWidget(_label(confirmed[:1].upper() + confirmed[1:] + ".", name="muted"))
        box.setAccessibleName(words)
        return box

    @staticmethod
    def _totals(totals: list[TotalCheck]) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(3)
        for column, text in enumerate(("", "Printed", "Recounted from the entries", "")):
            grid.addWidget(_label(text, name="muted", wrap=False), 0, column)
        for row, total in enumerate(totals, 1):
            grid.addWidget(_label(total.label, wrap=False), row, 0)
            grid.addWidget(_label(figures(total.printed), wrap=False), row, 1)
            grid.addWidget(_label(figures(total.recounted), wrap=False), row, 2)
            agreement = _label(total_agreement(total), wrap=False)
            agreement.setObjectName("badgeSuccess" if total.equal else "badgeWarning")
            grid.addWidget(agreement, row, 3, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(4, 1)
        return box

    @staticmethod
    def _problems(problems: list[str]) -> QLabel:
        shown = [f"• {p[:1].upper()}{p[1:]}." for p in problems[:MAX_PROBLEMS_SHOWN]]
        if len(problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"… and {len(problems) - MAX_PROBLEMS_SHOWN} more")
        return _label("\n".join(shown))


class PortfolioCheckDialog(QDialog):
    """Choose a portfolio PDF and see whether it checks out, and what that proves.

    ``reviewer`` is the reviewer's own logbook (None: none is open), whose confirmed keys each
    signer is looked up among.
    """

    def __init__(self, reviewer: Logbook | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reviewer = reviewer
        self.job: Job[PortfolioReport] | None = None
        self.report: PortfolioReport | None = None
        self.setWindowTitle("Check a portfolio")
        self.setAccessibleName("Check a portfolio")
        self.setMinimumSize(640, 460)
        fit_to_screen(self, 820, 640)

        intro = _label(
            "Check a portfolio PDF made with Practice Logbook: who signed it, whether anything "
            "in it changed since, and whether every sign-off it prints is backed inside it.",
            name="muted",
        )
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Portfolio file")
        self.path_edit.setPlaceholderText("The portfolio PDF to check")
        self.path_edit.returnPressed.connect(self.start_check)
        self.choose_button = QPushButton("&Choose…")
        self.choose_button.setAccessibleName("Choose the portfolio to check")
        self.choose_button.clicked.connect(self._choose_file)
        self.check_button = QPushButton("C&heck")
        self.check_button.setObjectName("primary")
        self.check_button.clicked.connect(self.start_check)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.check_button)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.hide()
        self.status = _label("", name="muted")
        self.banner = VerdictBanner(self)
        self.banner.hide()
        self.details = ReportView()
        self.details_area = scrolling(self.details, self)
        self.details_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.details_area.hide()

        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(close)

        root = QVBoxLayout(self)
        root.setContentsMargins(18, 16, 18, 14)
        root.setSpacing(10)
        root.addWidget(intro)
        root.addLayout(file_row)
        root.addWidget(self.progress)
        root.addWidget(self.banner)
        root.addWidget(self.details_area, 1)
        root.addStretch(0)
        root.addLayout(buttons)
        self.path_edit.setFocus()

    @property
    def verdict(self) -> Verdict | None:
        return self.banner.verdict

    def check_file(self, path: Path | str) -> None:
        """Check ``path``, as choosing it in the file chooser does."""
        self.path_edit.setText(str(path))
        self.start_check()

    def _choose_file(self) -> None:
        start = self.path_edit.text() or str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Choose the portfolio to check", start, "PDF documents (*.pdf);;All files (*)"
        )
        if chosen:
            self.check_file(chosen)

    def start_check(self) -> None:
        """Check the file named in the path field on a worker thread."""
        if self.job is not None and self.job.running:
            return
        text = self.path_edit.text().strip()
        if not text:
            self.status.setText("Choose the portfolio PDF to check.")
            return
        path = Path(text).expanduser()
        reviewer = self.reviewer

        def work(progress: Progress) -> PortfolioReport:
            return check_portfolio(path, reviewer=reviewer, progress=progress.share)

        self._busy(True, f"Checking {path.name}…")
        job: Job[PortfolioReport] = Job(work, self)
        job.progressed.connect(self._progressed)
        job.succeeded.connect(self._checked)
        job.failed.connect(self._failed)
        job.finished.connect(lambda: self._busy(False))
        self.job = job.start()

    def _progressed(self, done: int, total: int, message: str) -> None:
        self.status.setText(f"{message}…")
        self.progress.setValue(done)

    def _busy(self, busy: bool, text: str = "") -> None:
        self.progress.setValue(0)
        self.progress.setVisible(busy)
        self.check_button.setEnabled(not busy)
        self.choose_button.setEnabled(not busy)
        if busy or text:
            self.status.setText(text)

    def _checked(self, report: PortfolioReport) -> None:
        self.report = report
        self.banner.show_verdict(verdict_of(report), verdict_reason(report))
        self.details.show_report(report)
        self.details_area.show()
        self.details_area.verticalScrollBar().setValue(0)
        self.status.setText(f"Checked {report.file}.")

    def _failed(self, error: BaseException) -> None:
        self.report = None
        if isinstance(error, LogbookError):
            words = str(error)
        else:
            words = f"The file could not be checked: {error}"
        self.banner.show_verdict(Verdict.CANNOT_BE_CHECKED, words)
        self.details.show_words("")
        self.details_area.show()
        self.status.setText("")
