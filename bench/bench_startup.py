"""Cold start of the desktop app: the frozen build against the same launch from source.

Run: ``uv run python bench/bench_startup.py`` after ``scripts/build-and-smoke`` (which builds
``dist/Practice Logbook``). Options: ``--runs N`` (default 7 of each), ``--big`` (the 20-year,
~50,000-entry logbook of the other benchmarks instead of a 3-year one), ``--frozen PATH``.

All launches open the same logbook on a virtual X screen (Xvfb, the xcb platform plugin users
get) and are measured the same way, from outside the process, so neither needs any help from
the app:

* **window**: from starting the process to its main window being mapped on the screen
  (``xdotool search --onlyvisible`` polled every 10 ms);
* **interactive**: from starting the process to the app answering a keypress sent the moment
  the window appeared: Ctrl+/, which opens the "Keyboard shortcuts" dialog, so the dialog shows
  once the event loop has got through the start-up work queued before the key.

The app is then closed with Escape and Ctrl+Q (not timed), and must exit cleanly with nothing
on stderr.

The source launch is the ``logbook`` command of this virtual environment (what ``uv run
logbook`` runs, without uv's own start-up), with Python's bytecode cache as an installation
has it; a third launch compiles every module at each start, as a source checkout does when
``PYTHONDONTWRITEBYTECODE`` is set (it is in some development containers). Runs rotate between
the three so that a busy machine slows all alike; the figures are medians, with the ratio to
the source launch. The first run of each is also shown: for the frozen build it is the closest
to a first start after installing. Needs the Debian packages ``xvfb`` and ``xdotool``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT, big_logbook
from logbook.services.demo import generate_demo
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook

ROOT = Path(__file__).resolve().parent.parent
FROZEN = ROOT / "dist" / "Practice Logbook" / "Practice Logbook"
WINDOW_TITLE = "^Practice Logbook$"
SHORTCUTS_TITLE = "^Keyboard shortcuts$"
POLL_SECONDS = 0.01
TIMEOUT_SECONDS = 60.0


@dataclass
class Launches:
    """The measurements of one way of starting the app."""

    name: str
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)
    window: list[float] = field(default_factory=list)
    interactive: list[float] = field(default_factory=list)


def three_year_logbook() -> DataLocation:
    """A 3-year logbook of a PWP (about 3,000 entries), made once and reused."""
    location = DataLocation(OUT / "startup-3y")
    marker = location.root / ".complete"
    if not marker.exists():
        shutil.rmtree(location.root, ignore_errors=True)
        logbook = Logbook.open(location)
        try:
            result = generate_demo(logbook, "pwp", 3, seed=11)
        finally:
            logbook.close()
        marker.write_text(f"{result.total}\n")
    return location


def start_display() -> tuple[subprocess.Popen[bytes], str]:
    """A virtual screen for the launches, and its DISPLAY name (Xvfb picks a free number)."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write_end),
            "-screen",
            "0",
            "1440x900x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as announced:
        number = announced.readline().strip()
    if not number:
        server.kill()
        raise SystemExit("could not start Xvfb")
    return server, f":{number}"


def visible_window(env: dict[str, str], title: str) -> str | None:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", title],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    ids = found.stdout.split()
    return ids[0] if ids else None


def wait_for_window(
    app: subprocess.Popen[bytes], env: dict[str, str], title: str, start: float, name: str
) -> str:
    """Poll until a visible window titled ``title`` exists; return its id."""
    while True:
        if app.poll() is not None:
            error = app.stderr.read().decode() if app.stderr else ""
            raise SystemExit(f"{name}: the app exited before showing {title}\n{error}")
        if time.perf_counter() - start > TIMEOUT_SECONDS:
            shot = OUT / "startup-timeout.png"
            subprocess.run(["import", "-window", "root", str(shot)], env=env, check=False)
            raise SystemExit(f"{name}: no {title} after {TIMEOUT_SECONDS:.0f} s (screen: {shot})")
        window = visible_window(env, title)
        if window is not None:
            return window
        time.sleep(POLL_SECONDS)


def press(env: dict[str, str], window: str, key: str) -> None:
    subprocess.run(
        ["xdotool", "windowfocus", "--sync", window, "key", "--clearmodifiers", key],
        env=env,
        check=True,
        capture_output=True,
    )


def close_dialog(env: dict[str, str], dialog: str) -> None:
    """Press Escape in the dialog until it has gone (the first press may come too early)."""
    deadline = time.perf_counter() + TIMEOUT_SECONDS
    while visible_window(env, SHORTCUTS_TITLE) is not None:
        if time.perf_counter() > deadline:
            raise SystemExit("the shortcuts dialog did not close on Escape")
        press(env, dialog, "Escape")
        time.sleep(0.2)


def launch_once(launches: Launches, data: Path, env: dict[str, str]) -> None:
    """Start the app, wait for its window, press Ctrl+/ at once, wait for the dialog, then quit."""
    start = time.perf_counter()
    app = subprocess.Popen(
        [*launches.command, "--data-dir", str(data)],
        env={**env, **launches.env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        window = wait_for_window(app, env, WINDOW_TITLE, start, launches.name)
        shown = time.perf_counter()
        press(env, window, "ctrl+slash")
        dialog = wait_for_window(app, env, SHORTCUTS_TITLE, start, launches.name)
        answered = time.perf_counter()
        close_dialog(env, dialog)
        press(env, window, "ctrl+q")
        app.wait(timeout=TIMEOUT_SECONDS)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    stderr = app.stderr.read().decode().strip() if app.stderr else ""
    if app.returncode != 0 or stderr:
        raise SystemExit(f"{launches.name}: exit status {app.returncode}\n{stderr}")
    launches.window.append(shown - start)
    launches.interactive.append(answered - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="launches of each (default 7)")
    parser.add_argument("--big", action="store_true", help="use the 20-year logbook")
    parser.add_argument("--frozen", type=Path, default=FROZEN, help="the frozen executable")
    args = parser.parse_args()

    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install -y xvfb xdotool")
    if not args.frozen.is_file():
        raise SystemExit(f"{args.frozen} is missing: build it with scripts/build-and-smoke")
    source_command = Path(sys.executable).with_name("logbook")
    if not source_command.is_file():
        raise SystemExit(f"{source_command} is missing: run uv sync")

    location = big_logbook() if args.big else three_year_logbook()
    no_cache = tempfile.mkdtemp(prefix="bench-no-pycache-")
    frozen = Launches("frozen build", [str(args.frozen)])
    source = Launches("from source", [str(source_command)])
    uncached = Launches(
        "source, no .pyc",
        [str(source_command)],
        # An empty cache folder that is never written: every module is compiled at each start.
        {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": no_cache},
    )
    every = [frozen, source, uncached]

    server, display = start_display()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("WAYLAND_DISPLAY", "PRACTICE_LOGBOOK_DATA_DIR", "PYTHONDONTWRITEBYTECODE")
    }
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    try:
        # One untimed start writes the bytecode cache the source launch then uses, as an
        # installation does (pip compiles it on install).
        launch_once(Launches("warm-up", [str(source_command)]), location.root, env)
        for run in range(args.runs):
            for launches in every[run % 3 :] + every[: run % 3]:
                launch_once(launches, location.root, env)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(no_cache, ignore_errors=True)

    print(f"Start-up of the desktop app, {location.root.name} logbook, {args.runs} runs each")
    print(f"{'':<16}{'first run':>20}{'median':>22}{'ratio':>9}")
    for launches in every:
        ratio = statistics.median(launches.interactive) / statistics.median(source.interactive)
        print(
            f"{launches.name:<16}"
            f"{launches.window[0]:>7.2f} s / {launches.interactive[0]:>5.2f} s"
            f"{statistics.median(launches.window):>11.2f} s / "
            f"{statistics.median(launches.interactive):>5.2f} s"
            f"{ratio:>8.2f}x"
        )
    print("(window shown / first keypress answered; ratio of the medians, to 'from source')")
    return 0


if __name__ == "__main__":
    sys.exit(main())
