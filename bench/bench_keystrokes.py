"""Keystrokes and seconds to log a supervision session in the real window.

Run: ``uv run python bench/bench_keystrokes.py`` (needs the Debian packages ``xvfb``,
``xdotool`` and ``imagemagick``). Options: ``--pace MS`` (default 200 ms between keystrokes,
about 60 words a minute), ``--runs N`` (default 5 of each).

The demo logbook is opened on a virtual screen, the Supervision list is shown, and two sessions
are logged by keyboard alone, typed by xdotool at the stated pace:

* **another supervisor** than the last one, the session held yesterday: Ctrl+N, type ``1/12``
  style date, Tab to the supervisor, type the first letter of their name (their organisation,
  usual type, mode and length fill in), Ctrl+S;
* **the same supervisor** again, today: Ctrl+N, Ctrl+S.

A chord (Ctrl+N) counts as one keystroke. Each figure runs from the first key to the entry
being committed to the SQLite file (polled every 20 ms), and the entry read back must have the
expected date, supervisor and organisation. The time a person spends deciding what to type is
not in it; waiting for the form to open is (the script waits for the window as a person would).
Screens of each step are saved under ``bench/out/keystrokes``.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_startup import start_display, visible_window, wait_for_window
from bench.common import OUT

ROOT = Path(__file__).resolve().parent.parent
SHOTS = OUT / "keystrokes"
FORM_TITLE = "^New supervision session$"
WINDOW_TITLE = "^Practice Logbook$"
TIMEOUT = 30.0


@dataclass(frozen=True)
class Step:
    """Keys to press (one keystroke each) or text to type, then optionally a window to await."""

    keys: tuple[str, ...] = ()
    text: str = ""
    await_title: str = ""

    @property
    def keystrokes(self) -> int:
        return len(self.keys) + len(self.text)


class Screen:
    """The virtual screen and the app running on it."""

    def __init__(self, data: Path, pace_ms: int) -> None:
        self.server, display = start_display()
        self.env = {**_base_env(), "DISPLAY": display}
        self.pace = pace_ms
        self.app = subprocess.Popen(
            [str(Path(sys.executable).with_name("logbook")), "--demo", "--data-dir", str(data)],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.window = wait_for_window(self.app, self.env, WINDOW_TITLE, time.perf_counter(), "app")
        self.xdotool("windowfocus", "--sync", self.window)

    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env=self.env, check=True, capture_output=True)

    def run(self, step: Step) -> None:
        for key in step.keys:
            self.xdotool("key", "--clearmodifiers", key)
            time.sleep(self.pace / 1000)
        if step.text:
            self.xdotool("type", "--delay", str(self.pace), step.text)
            time.sleep(self.pace / 1000)
        if step.await_title:
            form = wait_for_window(
                self.app, self.env, step.await_title, time.perf_counter(), "form"
            )
            self.xdotool("windowfocus", "--sync", form)

    def shoot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["import", "-window", "root", str(SHOTS / f"{name}.png")], env=self.env, check=False
        )

    def close(self) -> None:
        try:
            if visible_window(self.env, WINDOW_TITLE):
                self.xdotool("windowfocus", "--sync", self.window, "key", "ctrl+q")
                self.app.wait(timeout=TIMEOUT)
        finally:
            if self.app.poll() is None:
                self.app.kill()
            self.server.kill()


def _base_env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["QT_QPA_PLATFORM"] = "xcb"
    return env


def supervision_rows(database: Path) -> list[tuple[str, str, str, int]]:
    """(date, supervisor, organisation, minutes) of every session received, newest first."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)
    try:
        return connection.execute(
            "SELECT s.date, p.name, o.name, s.duration_minutes FROM supervision s "
            "LEFT JOIN person p ON p.uid = s.counterpart_uid "
            "LEFT JOIN organisation o ON o.uid = s.organisation_uid "
            "WHERE s.direction = 'received' ORDER BY s.date DESC, s.created_at DESC"
        ).fetchall()
    finally:
        connection.close()


def wait_for_new_row(database: Path, before: int, start: float) -> tuple[float, tuple]:
    while time.perf_counter() - start < TIMEOUT:
        rows = supervision_rows(database)
        if len(rows) > before:
            return time.perf_counter() - start, rows[0]
        time.sleep(0.02)
    raise SystemExit("no new supervision session was saved")


def other_supervisor(database: Path) -> tuple[str, str]:
    """A supervisor the practitioner has seen, but not at their last session, with the
    organisation of that supervisor's own last session."""
    rows = supervision_rows(database)
    last = rows[0][1]
    for _day, name, organisation, _minutes in rows:
        if name and name != last:
            return name, organisation
    raise SystemExit("the demo logbook has only one supervisor")


def log_session(
    screen: Screen, database: Path, steps: list[Step], name: str
) -> tuple[int, float, tuple]:
    before = len(supervision_rows(database))
    start = time.perf_counter()
    for number, step in enumerate(steps):
        screen.run(step)
        screen.shoot(f"{name}-{number}")
    seconds, row = wait_for_new_row(database, before, start)
    return sum(s.keystrokes for s in steps), seconds, row


def one_run(pace: int, data_root: Path, run: int) -> list[tuple[str, int, float]]:
    data = data_root / f"run-{run}"
    screen = Screen(data, pace)
    database = data / "logbook.sqlite"
    try:
        screen.run(Step(keys=("ctrl+2",)))
        today = date.today()
        yesterday = today - timedelta(days=1)
        name, organisation = other_supervisor(database)
        typed_date = f"{yesterday.day}/{yesterday.month}"
        other = [
            Step(keys=("ctrl+n",), await_title=FORM_TITLE),
            Step(text=typed_date),
            Step(keys=("Tab", "Tab", "Tab")),
            Step(text=name.split()[0][0]),
            Step(keys=("ctrl+s",)),
        ]
        keys, seconds, row = log_session(screen, database, other, f"{run}-other")
        expect(row, yesterday, name, organisation)
        results = [("another supervisor, yesterday", keys, seconds)]
        same = [Step(keys=("ctrl+n",), await_title=FORM_TITLE), Step(keys=("ctrl+s",))]
        keys, seconds, row = log_session(screen, database, same, f"{run}-same")
        expect(row, today, name, organisation)
        results.append(("same supervisor, today", keys, seconds))
        return results
    finally:
        screen.close()


def expect(row: tuple, day: date, name: str, organisation: str) -> None:
    if (row[0], row[1], row[2]) != (day.isoformat(), name, organisation):
        raise SystemExit(f"saved {row}, expected {day}, {name}, {organisation}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pace", type=int, default=200, help="ms between keystrokes")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for tool in ("Xvfb", "xdotool", "import"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install -y xvfb xdotool imagemagick")
    measured: dict[str, list[tuple[int, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="keystrokes-") as folder:
        for run in range(args.runs):
            for what, keys, seconds in one_run(args.pace, Path(folder), run):
                measured.setdefault(what, []).append((keys, seconds))
    print(f"Typing pace: {args.pace} ms between keystrokes; {args.runs} runs; medians")
    for what, samples in measured.items():
        keys = samples[0][0]
        seconds = statistics.median(s for _k, s in samples)
        worst = max(s for _k, s in samples)
        print(f"{what:<32} {keys:3d} keystrokes  {seconds:5.2f} s  (slowest {worst:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
