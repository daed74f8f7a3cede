"""Crash test: kill the app with SIGKILL at random moments, then prove nothing committed is lost.

A child process opens a logbook and adds and edits entries in a loop (single entries, batches
of up to 200 in one transaction, edits that raise the revision, and now and then a backup),
printing each transaction's entries on stdout only after the commit returned. The parent kills
it with SIGKILL at a random moment, at least 200 times, and after every kill checks that:

- every entry reported committed is in the logbook, at least at the reported revision;
- SQLite's ``integrity_check`` says ok and ``foreign_key_check`` finds nothing;
- the app opens the logbook again (the dead process's lock does not keep it out), and every
  backup it lists is complete.

    uv run python bench/crash_test.py            # 200 kills
    uv run python bench/crash_test.py --kills 500
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from logbook.domain.records import Person, RecordKind, SupervisionSession
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook

READY = "READY"


# --- the child: a busy user ---------------------------------------------------------------------


def child(folder: Path) -> None:
    rng = random.Random(os.getpid() ^ time.time_ns())
    logbook = Logbook.open(DataLocation(folder), auto_backup=False)
    people = logbook.records.all(RecordKind.PERSON)
    recent = list(logbook.records.all(RecordKind.SUPERVISION))[-300:]
    out = sys.stdout
    out.write(READY + "\n")
    out.flush()
    start = date(2020, 1, 1)
    while True:
        roll = rng.random()
        if roll < 0.45 or not recent:
            made = [_session(rng, start, people)]
            logbook.records.create(made[0])
        elif roll < 0.6:
            made = [_session(rng, start, people) for _ in range(rng.randint(2, 200))]
            logbook.records.create_many(made)
        elif roll < 0.98:
            index = rng.randrange(len(recent))
            edited = replace(recent[index], duration_minutes=rng.randint(15, 180))
            saved = logbook.records.update(edited).record
            made = [saved]
            recent[index] = saved
        else:
            logbook.backups.backup_now("manual", rotate=False)
            continue
        # Reported only once the commit has returned: these must survive any kill from now on.
        out.write("".join(f"C {r.uid} {r.revision}\n" for r in made) + "T\n")
        out.flush()
        recent.extend(r for r in made if r.revision == 1)
        del recent[:-300]


def _session(rng: random.Random, start: date, people: list[object]) -> SupervisionSession:
    person = rng.choice(people) if people else None
    return SupervisionSession(
        date=start + timedelta(days=rng.randrange(2400)),
        duration_minutes=rng.randint(15, 180),
        counterpart_uid=getattr(person, "uid", None),
        themes=("risk", "formulation")[: rng.randint(0, 2)],
        reflection="Crash-test entry " + "x" * rng.randint(0, 400),
    )


# --- the parent: kill and check ----------------------------------------------------------------


@dataclass
class Totals:
    kills: int = 0
    transactions_reported: int = 0
    entries_reported: int = 0
    entries_checked: int = 0
    killed_before_ready: int = 0
    failures: list[str] = field(default_factory=list)
    backups_checked: set[str] = field(default_factory=set)


def _reader(stream: object, lines: list[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.append(line)


def one_round(folder: Path, rng: random.Random, totals: Totals, committed: dict[str, int]) -> None:
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=_reader, args=(process.stdout, lines), daemon=True)
    reader.start()
    # Most kills land while entries are being written; some during start-up.
    if rng.random() < 0.1:
        time.sleep(rng.uniform(0.0, 0.8))
    else:
        deadline = time.monotonic() + 30
        while READY + "\n" not in lines and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 1.5))
    process.send_signal(signal.SIGKILL)
    process.wait()
    reader.join(timeout=10)
    if process.stdout is not None:
        process.stdout.close()
    totals.kills += 1
    if READY + "\n" not in lines:
        totals.killed_before_ready += 1
    for line in lines:
        if line.startswith("C ") and line.endswith("\n"):
            _, uid, revision = line.split()
            committed[uid] = max(committed.get(uid, 0), int(revision))
            totals.entries_reported += 1
        elif line == "T\n":
            totals.transactions_reported += 1
    check(folder, committed, totals)


def check(folder: Path, committed: dict[str, int], totals: Totals) -> None:
    database = folder / "logbook.sqlite"
    conn = sqlite3.connect(database)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        stored = dict(conn.execute("SELECT uid, revision FROM supervision").fetchall())
    finally:
        conn.close()
    if integrity != "ok":
        totals.failures.append(f"kill {totals.kills}: integrity_check: {integrity}")
    if broken:
        totals.failures.append(f"kill {totals.kills}: {len(broken)} broken references")
    lost = [uid for uid, rev in committed.items() if stored.get(uid, 0) < rev]
    if lost:
        totals.failures.append(
            f"kill {totals.kills}: {len(lost)} committed entries lost or rolled back, "
            f"e.g. {lost[0]} (reported revision {committed[lost[0]]}, "
            f"stored {stored.get(lost[0])})"
        )
    totals.entries_checked = len(committed)
    try:
        logbook = Logbook.open(DataLocation(folder), auto_backup=False)
    except Exception as error:
        totals.failures.append(f"kill {totals.kills}: the app did not open: {error}")
        return
    try:
        for backup in logbook.backups.all():
            if backup.id in totals.backups_checked:
                continue  # a complete backup is never written again; check each new one once
            totals.backups_checked.add(backup.id)
            if problems := backup.snapshot.problems():
                totals.failures.append(f"kill {totals.kills}: backup {backup.id}: {problems[0]}")
    finally:
        logbook.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="crash-test-") as work:
        folder = Path(work) / "logbook"
        logbook = Logbook.open(DataLocation(folder))
        logbook.records.create_many([Person(name=f"Supervisor {n}") for n in range(5)])
        logbook.close()
        totals = Totals()
        committed: dict[str, int] = {}
        started = time.perf_counter()
        for round_number in range(1, args.kills + 1):
            one_round(folder, rng, totals, committed)
            if round_number % 25 == 0:
                print(
                    f"{round_number} kills, {totals.transactions_reported:,} transactions "
                    f"reported committed, {len(totals.failures)} failures",
                    flush=True,
                )
        size = (folder / "logbook.sqlite").stat().st_size
    seconds = time.perf_counter() - started
    print(
        f"Crash test: {totals.kills} SIGKILLs ({totals.killed_before_ready} during start-up) in "
        f"{seconds:.0f} s; {totals.transactions_reported:,} transactions reported committed "
        f"({totals.entries_reported:,} entries written), {totals.entries_checked:,} distinct "
        f"entries and {len(totals.backups_checked)} backups checked; "
        f"final logbook {size / 1e6:.1f} MB"
    )
    for failure in totals.failures[:20]:
        print("FAILURE " + failure)
    if totals.failures:
        print(f"{len(totals.failures)} FAILURES")
        return 1
    print("after every kill: every reported commit present, integrity_check ok, the app opens")
    return 0


if __name__ == "__main__":
    sys.exit(main())
