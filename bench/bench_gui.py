"""Desktop app benchmark on a 20-year, ~50,000-entry logbook, beside bare PySide6 baselines.

Run: ``uv run python bench/bench_gui.py`` (it needs a display or runs offscreen by itself).

Measured in the same run, each beside its baseline:

* **first paint**: from starting a fresh Python process (the ``logbook`` command's own start-up,
  ``logbook.app.main``) to the main window's first paint, which comes before the storage stack
  is loaded; beside a bare PySide6 window (an empty table in a main window) painting for the
  first time. Target: within 1.5x of the bare window.
* **list filled**: from starting the process to the Supervision list painted with its rows;
  beside a bare PySide6 window showing a 50,000-row table from a Python list. Target: within
  2.5x of the bare window. Beside both, the bare window launched after loading SQLAlchemy's ORM
  and SQLite dialect: the floor that any window over the app's storage stack starts from.
* **search filter**: from typing a search (Enter) to the list repainted with the matching rows
  and the totals line; beside the bare window filtering its Python list and repainting.
  Target: under 100 ms.

Launches run with Python's bytecode cache written and read (``PYTHONDONTWRITEBYTECODE`` is
unset for them), each kind of launch into a cache of its own made for the run, so the first
launch of each compiles every module it imports: it is reported on its own, and the figures
are medians of the launches after it. Launches rotate between the kinds so that a busy machine
slows all alike.

The logbook is made once with ``logbook-cli --data-dir DIR demo --persona pwp --years 20
--scale 2.5`` and kept in ``bench/out/gui-50k`` for later runs; every launch uses a fresh copy,
so a run never changes it.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DATA = OUT / "gui-50k"
LAUNCHES = 7
SEARCHES = {
    "supervision": ("risk", "caseload review", "step", "panic sleep", "fidelity"),
    "practice": ("worry", "sleep hygiene", "graded", "behavioural activation", "adults problem"),
}

# A bare main window with an empty table, saying when it has first been painted: the same
# signal, after the same paint, as the app's window gives (MainWindow.first_painted).
BARE_SHELL = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    class Window(QMainWindow):
        painted = False

        def paintEvent(self, event):
            super().paintEvent(event)
            if not self.painted:
                self.painted = True
                QTimer.singleShot(0, done)

    def done():
        print("painted", flush=True)
        sys.stdin.readline()
        app.quit()

    app = QApplication(sys.argv)
    window = Window()
    window.setCentralWidget(QTableView())
    window.resize(1360, 860)
    window.show()
    app.exec()
    """
)

BARE_WINDOW = textwrap.dedent(
    """
    import sys, time
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    ROWS = [(f"2026-01-{i % 28 + 1:02d}", f"{(i % 5 + 1) * 0.5:.2f}", "Clinical",
             f"Supervisor {i % 7}", f"theme {i % 13}") for i in range(50_000)]

    class Model(QAbstractTableModel):
        def __init__(self, rows):
            super().__init__()
            self.rows = rows
        def rowCount(self, parent=QModelIndex()):
            return 0 if parent.isValid() else len(self.rows)
        def columnCount(self, parent=QModelIndex()):
            return 0 if parent.isValid() else 5
        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.rows[index.row()][index.column()]
            return None

    app = QApplication(sys.argv)
    window = QMainWindow()
    view = QTableView()
    view.setModel(Model(ROWS))
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 12)
    window.setCentralWidget(view)
    window.resize(1360, 860)
    window.show()

    def ready():
        view.viewport().repaint()
        print("ready", flush=True)
        sys.stdin.readline()
        app.quit()

    QTimer.singleShot(0, ready)
    app.exec()
    """
)

# The bare window after loading the storage stack the app is built on (SQLAlchemy's ORM and its
# SQLite dialect, one connection): the least any window over this stack can take.
STACK_FLOOR = (
    "import sqlalchemy.orm\n"
    "from sqlalchemy import create_engine\n"
    "create_engine('sqlite://').connect().close()\n"
) + BARE_WINDOW

# The ``logbook`` command itself (``logbook.app.main``), told to say when its window is first
# painted and when the Supervision list has painted its rows.
OUR_WINDOW = textwrap.dedent(
    """
    import sys
    from logbook import app as logbook_app

    def ready(window):
        from logbook.domain.records import RecordKind

        assert window.current_key == "supervision", window.current_key
        page = window.list_page(RecordKind.SUPERVISION)
        page.view.viewport().repaint()
        assert page.model.rowCount() > 1_000, page.model.rowCount()
        print("ready", page.model.rowCount(), flush=True)
        sys.stdin.readline()
        window.close()

    build_shell = logbook_app.build_shell

    def build_and_watch(*args, **kwargs):
        from PySide6.QtCore import QTimer

        window = build_shell(*args, **kwargs)
        window.first_painted.connect(lambda: print("painted", flush=True))
        window.opened.connect(lambda: QTimer.singleShot(0, lambda: ready(window)))
        return window

    logbook_app.build_shell = build_and_watch
    sys.exit(logbook_app.main(["--data-dir", sys.argv[1]]))
    """
)


@dataclass
class Launches:
    """One kind of launch: its script, and the seconds to each line it prints."""

    name: str
    script: str
    lines: tuple[str, ...]
    needs_copy: bool = False
    cache: str = ""
    first: dict[str, float] = field(default_factory=dict)
    times: dict[str, list[float]] = field(default_factory=dict)

    def median(self, line: str) -> float:
        return statistics.median(self.times[line])


def make_logbook() -> int:
    """The big logbook, made once by the command line; returns its number of entries."""
    marker = DATA / ".complete"
    if not marker.exists():
        shutil.rmtree(DATA, ignore_errors=True)
        command = [
            *_uv_run(),
            "logbook-cli",
            "--data-dir",
            str(DATA),
            "demo",
            "--persona",
            "pwp",
            "--years",
            "20",
            "--scale",
            "2.5",
        ]
        subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        from logbook.domain.catalogue import KINDS
        from logbook.services.locations import DataLocation
        from logbook.services.logbook import Logbook

        logbook = Logbook.open(DataLocation(DATA), auto_backup=False)
        total = sum(logbook.records.count(kind) for kind in KINDS)
        logbook.close()
        marker.write_text(f"{total}\n")
    return int(marker.read_text().strip())


def _uv_run() -> list[str]:
    return ["uv", "run", "--quiet"] if shutil.which("uv") else []


def fresh_copy() -> Path:
    """A copy of the big logbook that opens on the Supervision section."""
    folder = Path(tempfile.mkdtemp(prefix="bench-gui-"))
    shutil.copy2(DATA / "logbook.sqlite", folder / "logbook.sqlite")
    (folder / "backups").mkdir()
    (folder / "ui-state.ini").write_text("[window]\nsection=supervision\n")
    return folder


def launch(launches: Launches, record: bool) -> None:
    """Start a fresh Python process and time each line it prints, from the start."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment.setdefault("QT_QPA_PLATFORM", "offscreen")
    environment["PYTHONPYCACHEPREFIX"] = launches.cache
    copy = fresh_copy() if launches.needs_copy else None
    try:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", launches.script, *([str(copy)] if copy else [])],
            cwd=ROOT,
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdin is not None
        watchdog = threading.Timer(60, child.kill)  # a launch that hangs fails the run
        watchdog.start()
        seen: dict[str, float] = {}
        try:
            for expected in launches.lines:
                line = child.stdout.readline()
                seen[expected] = time.perf_counter() - start
                if not line.startswith(expected):
                    child.kill()
                    raise RuntimeError(f"{launches.name}: {line!r} instead of {expected!r}")
            child.stdin.write("\n")
            child.stdin.flush()
            child.wait(timeout=60)
        finally:
            watchdog.cancel()
    finally:
        if copy is not None:
            shutil.rmtree(copy, ignore_errors=True)
    if not record:
        launches.first = seen
        return
    for line, seconds in seen.items():
        launches.times.setdefault(line, []).append(seconds)


def measure_launches() -> list[Launches]:
    """Launch each kind once to compile its bytecode cache, then LAUNCHES times, in turn."""
    every = [
        Launches("bare window", BARE_SHELL, ("painted",)),
        Launches("bare 50,000-row window", BARE_WINDOW, ("ready",)),
        Launches("bare window over SQLAlchemy", STACK_FLOOR, ("ready",)),
        Launches("Practice Logbook", OUR_WINDOW, ("painted", "ready"), needs_copy=True),
    ]
    caches = [tempfile.mkdtemp(prefix="bench-gui-pycache-") for _ in every]
    try:
        for launches, cache in zip(every, caches, strict=True):
            launches.cache = cache
            launch(launches, record=False)  # the first, compiling launch
        for run in range(LAUNCHES):
            for launches in every[run % len(every) :] + every[: run % len(every)]:
                launch(launches, record=True)
    finally:
        for cache in caches:
            shutil.rmtree(cache, ignore_errors=True)
    return every


def measure_filter(kind_name: str) -> tuple[float, float, int, int]:
    """Median seconds for a search and repaint, ours and the bare window's, with row counts."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    from logbook.domain.records import RecordKind
    from logbook.services.locations import DataLocation
    from logbook.services.logbook import Logbook
    from logbook.ui import theme
    from logbook.ui.main_window import MainWindow
    from logbook.ui.settings import Preferences, UiState

    app = QApplication.instance() or QApplication(sys.argv)
    theme.apply_theme(app, "light")  # type: ignore[arg-type]
    folder = fresh_copy()
    location = DataLocation(folder)
    logbook = Logbook.open(location, auto_backup=False)
    window = MainWindow(logbook, preferences=Preferences(None), ui_state=UiState(location))
    window.resize(1360, 860)
    window.show()
    app.processEvents()
    kind = RecordKind(kind_name)
    window.show_section("supervision" if kind is RecordKind.SUPERVISION else "practice")
    page = window.list_page(kind)
    page.view.viewport().repaint()
    listed = page.model.rowCount()

    # The bare window: the same records as a Python list of text rows, filtered in Python.
    rows = [_text_row(r) for r in logbook.records.all(kind)]

    class ListModel(QAbstractTableModel):
        def __init__(self) -> None:
            super().__init__()
            self.rows = rows

        def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else len(self.rows)

        def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else 4

        def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.rows[index.row()][index.column()]
            return None

        def search(self, text: str) -> None:
            words = text.lower().split()
            self.beginResetModel()
            self.rows = [r for r in rows if all(w in r[3].lower() for w in words)]
            self.endResetModel()

    bare_window = QMainWindow()
    bare_view = QTableView()
    bare_model = ListModel()
    bare_view.setModel(bare_model)
    bare_window.setCentralWidget(bare_view)
    bare_window.resize(1360, 860)
    bare_window.show()
    app.processEvents()

    def ours(text: str) -> None:
        page.filters.search.setText(text)
        page.filters.search.returnPressed.emit()
        page.view.viewport().repaint()
        page.totals.repaint()

    def bare(text: str) -> None:
        bare_model.search(text)
        bare_view.viewport().repaint()

    ours_times, bare_times, matched = [], [], 0
    for text in SEARCHES[kind_name] * 3:
        for action, times in ((ours, ours_times), (bare, bare_times)):
            action("")  # back to everything first, so each search starts from the full list
            start = time.perf_counter()
            action(text)
            times.append(time.perf_counter() - start)
        matched = max(matched, page.model.rowCount())
    window.close()
    logbook.close()
    shutil.rmtree(folder, ignore_errors=True)
    return statistics.median(ours_times), statistics.median(bare_times), listed, matched


def _text_row(record: object) -> tuple[str, str, str, str]:
    minutes = getattr(record, "duration_minutes", 0)
    words = [
        *getattr(record, "themes", ()),
        getattr(record, "client_group", ""),
        getattr(record, "intervention", ""),
    ]
    subtype = getattr(record, "supervision_type", None) or getattr(record, "activity", "")
    return (str(record.date), f"{minutes / 60:.2f}", str(subtype), " ".join(words))  # type: ignore[attr-defined]


def main() -> None:
    entries = make_logbook()
    from logbook.domain.records import RecordKind
    from logbook.services.locations import DataLocation
    from logbook.services.logbook import Logbook

    logbook = Logbook.open(DataLocation(DATA), auto_backup=False)
    sessions = logbook.records.count(RecordKind.SUPERVISION)
    logbook.close()
    print(f"Logbook: {entries:,} entries, {sessions:,} supervision sessions ({DATA})")
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(
        f"Platform: {os.environ.get('QT_QPA_PLATFORM', 'offscreen')}, {os.cpu_count()} CPUs, "
        f"load average {load}; launches: median of {LAUNCHES}"
    )
    bare, rows, floor, ours = measure_launches()
    painted, filled = ours.median("painted"), ours.median("ready")
    print(
        f"first paint of the main window        {painted * 1000:8.0f} ms   "
        f"bare PySide6 window, first paint {bare.median('painted') * 1000:6.0f} ms   "
        f"ratio {painted / bare.median('painted'):4.2f}x  (target <= 1.5x)"
    )
    print(
        f"Supervision list filled               {filled * 1000:8.0f} ms   "
        f"bare PySide6 50,000-row window {rows.median('ready') * 1000:8.0f} ms   "
        f"ratio {filled / rows.median('ready'):4.2f}x  (target <= 2.5x)"
    )
    print(
        f"bare window after loading SQLAlchemy  {floor.median('ready') * 1000:8.0f} ms   "
        f"(the stack's floor)            {'':8}      "
        f"ratio {floor.median('ready') / rows.median('ready'):4.2f}x"
    )
    print(
        f"first launch, compiling bytecode: painted {ours.first['painted'] * 1000:.0f} ms, "
        f"filled {ours.first['ready'] * 1000:.0f} ms; bare window "
        f"{bare.first['painted'] * 1000:.0f} ms; bare 50,000-row window "
        f"{rows.first['ready'] * 1000:.0f} ms"
    )
    for kind_name in SEARCHES:
        ours_filter, bare_filter, listed, matched = measure_filter(kind_name)
        print(
            f"search {kind_name:<11} and repaint     {ours_filter * 1000:8.1f} ms   "
            f"bare window, Python list filter {bare_filter * 1000:7.1f} ms   "
            f"ratio {ours_filter / bare_filter:4.2f}x  (target < 100 ms; "
            f"{listed:,} rows, up to {matched:,} matching)"
        )


if __name__ == "__main__":
    main()
