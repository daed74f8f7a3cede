"""Cold start of the command line: ``logbook-cli`` launches timed beside ``python -c pass``.

Run: ``uv run python bench/bench_cli.py`` (options: ``--runs N``, default 9 of each).

Each launch is a new process, timed from outside from its start to its exit, on a copy of the
20-year, ~50,000-entry logbook of the other benchmarks (the command line writes a lock file
beside the logbook, so the shared one is left as it is):

* ``logbook-cli summary --by month``: totals by month of every kind that has hours;
* ``logbook-cli --help``: building the whole parser;
* ``logbook-cli list supervision``: the newest 50 supervision entries and the kind's total;
* ``python -c pass``: the interpreter's own start, the floor of any command.

Launches run with ``PYTHONDONTWRITEBYTECODE`` unset and a bytecode cache of their own
(``PYTHONPYCACHEPREFIX``), as after an installation: the first launch compiles the modules it
loads into it and is reported apart, as "first launch (compiles bytecode)"; one untimed launch
of each other command then compiles the rest. Runs rotate between the commands so that a busy
machine slows all alike; the figures are medians. Target: ``summary --by month`` under 300 ms.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import big_logbook
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook

TARGET_SECONDS = 0.300


def launch(command: list[str], env: dict[str, str]) -> float:
    """Run ``command`` to its end and return how long it took; it must succeed with nothing
    on stderr."""
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    took = time.perf_counter() - start
    if done.returncode != 0 or done.stderr:
        raise SystemExit(
            f"{' '.join(command)}: exit status {done.returncode}\n{done.stderr.decode()}"
        )
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="launches of each (default 9)")
    args = parser.parse_args()

    cli = Path(sys.executable).with_name("logbook-cli")
    if not cli.is_file():
        raise SystemExit(f"{cli} is missing: run uv sync")
    source = big_logbook()
    work = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    try:
        data = work / "logbook"
        shutil.copytree(source.root, data)
        # Opened once here, as the app opens it each day: the daily backup is taken now if due,
        # so that no timed launch takes it.
        Logbook.open(DataLocation(data)).close()
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("PYTHONDONTWRITEBYTECODE", "PRACTICE_LOGBOOK_DATA_DIR")
        }
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        on_logbook = [str(cli), "--data-dir", str(data)]
        commands = {
            "logbook-cli summary --by month": [*on_logbook, "summary", "--by", "month"],
            "logbook-cli --help": [str(cli), "--help"],
            "logbook-cli list supervision": [*on_logbook, "list", "supervision"],
            "python -c pass": [sys.executable, "-c", "pass"],
        }
        names = list(commands)
        first = launch(commands[names[0]], env)
        for name in names[1:]:
            launch(commands[name], env)
        times: dict[str, list[float]] = {name: [] for name in names}
        for run in range(args.runs):
            for name in names[run % len(names) :] + names[: run % len(names)]:
                times[name].append(launch(commands[name], env))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    floor = statistics.median(times["python -c pass"])
    print(f"Command-line start, {source.root.name} logbook, median of {args.runs} launches each")
    print(f"{names[0] + ', first launch (compiles bytecode)':<60} {first * 1000:7.0f} ms")
    for name in names:
        median = statistics.median(times[name])
        print(f"{name:<60} {median * 1000:7.0f} ms   {median / floor:5.1f}x python -c pass")
    summary = statistics.median(times[names[0]])
    verdict = "met" if summary < TARGET_SECONDS else "NOT met"
    print(f"Target: {names[0]} under {TARGET_SECONDS * 1000:.0f} ms: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
