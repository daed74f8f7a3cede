"""Long work (imports, exports, backups) off the GUI thread, with a progress dialog to cancel it.

The work is a plain function that receives a :class:`Progress`: it reports how far it got and
checks for cancellation between steps it can stop at. A step that writes to the logbook is one
transaction, so cancelling never leaves half of it behind: the step either finished before the
cancel was seen, or nothing of it was written.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")


class Cancelled(Exception):
    """The user cancelled; raised by :meth:`Progress.check` inside the work function."""


class Progress:
    """What the work function uses to report progress and notice a cancel request."""

    def __init__(self, emit: Callable[[int, int, str], None]) -> None:
        self._emit = emit
        self._cancel = threading.Event()

    def report(self, done: int, total: int = 0, message: str = "") -> None:
        """Say how far the work is (``total`` 0 means "unknown": a busy indicator)."""
        try:
            self._emit(done, total, message)
        except RuntimeError:
            # Nobody is listening any more (the window closed): the work is not wanted.
            self._cancel.set()

    def share(self, fraction: float, message: str = "") -> None:
        """Say what share of the work is done (0 to 1), in thousandths."""
        self.report(int(fraction * 1000), 1000, message)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Stop here if the user cancelled.

        Raises:
            Cancelled: the user asked to stop.
        """
        if self._cancel.is_set():
            raise Cancelled()


class _Signals(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], signals: _Signals, progress: Progress):
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._signals = signals
        self._progress = progress

    def run(self) -> None:
        try:
            try:
                result = self._work(self._progress)
            except Cancelled:
                self._signals.cancelled.emit()
            except BaseException as error:
                self._signals.failed.emit(error)
            else:
                self._signals.succeeded.emit(result)
        except RuntimeError:
            # The window that wanted the result has gone; there is no one left to tell.
            pass


# Qt sizes its shared pool by processor count, so a one-core laptop gets a single thread and a
# long export would hold up the daily backup and the dashboard's checks behind it.
MIN_BACKGROUND_THREADS = 4


def background_pool() -> QThreadPool:
    """The shared pool background work runs on, with room for a few jobs at once."""
    pool = QThreadPool.globalInstance()
    if pool.maxThreadCount() < MIN_BACKGROUND_THREADS:
        pool.setMaxThreadCount(MIN_BACKGROUND_THREADS)
    return pool


class Job(QObject, Generic[T]):
    """A running piece of work; its signals arrive on the GUI thread.

    Signals:
        succeeded(result): the work returned.
        failed(error): the work raised (the exception object).
        cancelled(): the work stopped at a cancellation point.
        finished(): after any of the three.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()
    progressed = Signal(int, int, str)

    def __init__(self, work: Callable[[Progress], T], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._signals = _Signals()
        self.progress = Progress(self._signals.progressed.emit)
        self._signals.progressed.connect(self.progressed)
        self._signals.succeeded.connect(self._on_succeeded)
        self._signals.failed.connect(self._on_failed)
        self._signals.cancelled.connect(self._on_cancelled)
        self._runnable = _Runnable(work, self._signals, self.progress)
        self.running = False
        self.result: T | None = None
        self.error: BaseException | None = None
        self.was_cancelled = False

    def start(self, pool: QThreadPool | None = None) -> Job[T]:
        self.running = True
        (pool or background_pool()).start(self._runnable)
        return self

    def cancel(self) -> None:
        self.progress.cancel()

    def _on_succeeded(self, result: T) -> None:
        self.running = False
        self.result = result
        self.succeeded.emit(result)
        self.finished.emit()

    def _on_failed(self, error: BaseException) -> None:
        self.running = False
        self.error = error
        self.failed.emit(error)
        self.finished.emit()

    def _on_cancelled(self) -> None:
        self.running = False
        self.was_cancelled = True
        self.cancelled.emit()
        self.finished.emit()


class ProgressDialog(QProgressDialog):
    """A window-modal progress dialog for a :class:`Job`, with a working Cancel button.

    It appears only if the work takes longer than a moment, so quick jobs do not flash.
    """

    SHOW_AFTER_MS = 400

    def __init__(self, job: Job[Any], title: str, label: str, parent: QWidget | None) -> None:
        super().__init__(label, "Cancel", 0, 0, parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(self.SHOW_AFTER_MS)
        self.setMinimumWidth(420)
        self._job = job
        self._label = label
        job.progressed.connect(self._progressed)
        job.finished.connect(self._finished)
        self.canceled.connect(self._cancel)
        self.setValue(0)
        # QProgressDialog shows itself after the minimum duration only when setValue is
        # called; a job with no progress reports would never show, so ask explicitly.
        QTimer.singleShot(self.SHOW_AFTER_MS, self._show_if_running)

    def _show_if_running(self) -> None:
        if self._job.running and not self.isVisible():
            self.show()

    def _progressed(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.setMaximum(total)
            self.setValue(min(done, total))
        else:
            self.setMaximum(0)
        if message:
            self.setLabelText(message)

    def _cancel(self) -> None:
        self._job.cancel()
        self.setLabelText("Stopping at the next safe point… nothing half-done will be kept.")
        self.setCancelButtonText("Stopping…")
        self.show()

    def _finished(self) -> None:
        self.canceled.disconnect(self._cancel)
        self.close()
        self.deleteLater()


def run_in_background(
    parent: QWidget | None,
    title: str,
    label: str,
    work: Callable[[Progress], T],
    *,
    on_success: Callable[[T], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_cancel: Callable[[], None] | None = None,
) -> Job[T]:
    """Run ``work`` on a worker thread with a cancellable progress dialog.

    Returns:
        The job, whose ``finished`` signal fires on the GUI thread after the callbacks.
    """
    job: Job[T] = Job(work, parent)
    if on_success is not None:
        job.succeeded.connect(on_success)
    if on_error is not None:
        job.failed.connect(on_error)
    if on_cancel is not None:
        job.cancelled.connect(on_cancel)
    job.dialog = ProgressDialog(job, title, label, parent)  # type: ignore[attr-defined]
    return job.start()
