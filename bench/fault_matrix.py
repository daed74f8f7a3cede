"""The fault matrix: every operation of the command line run against a failing disk.

For each operation (start-up, save, JSON import and export, PDF export, backup, restore, encrypt,
passphrase change) and each fault (the disk full with 8 KB left, the volume read-only, the key
file missing, the process killed part-way, the disk nearly full), the real ``logbook-cli`` runs
in a subprocess on a small tmpfs volume. After the fault is taken away, the logbook must open,
hold every record committed before, and no output may contain a traceback.

"Nearly full" leaves enough space for the logbook to open but not for the operation to finish,
so the disk fills up part-way through it. It works on a larger logbook (a three-year demo with
an attachment, a backup and earlier exports; a JSON export of another demo logbook to import),
finds the free space at which the logbook first opens and the one at which the operation first
completes, and runs the operation at a handful of levels in between. Each must fail with the
app's own message (no traceback, no database driver's text), lose nothing committed before,
leave no partial file behind (an export it would replace stays the old, complete file), never
set the logbook aside as damaged, and leave every backup complete.

Run as root (it mounts tmpfs volumes)::

    uv run python bench/fault_matrix.py                          # every fault (~30 minutes)
    uv run python bench/fault_matrix.py --faults "nearly full"
    uv run python bench/fault_matrix.py --faults "nearly full" --operations backup,encrypt
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from logbook.domain.records import RecordKind
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.storage.snapshots import MANIFEST_SUFFIX, file_sha256, read_snapshot
from tests.disk_support import free_kb, leave_free, tmpfs

PASSPHRASE = "correct horse battery"
VOLUME_MB = 24
KILL_AFTER_MS = (60, 150, 300, 600, 1200)


@dataclass(frozen=True)
class Operation:
    name: str
    args: Callable[[Path, Path], list[str]]  # (data folder, scratch folder) -> CLI arguments
    encrypted: bool = False


OPERATIONS = [
    Operation("start-up", lambda d, s: ["list", "supervision"]),
    Operation(
        "save",
        lambda d, s: ["add", "supervision", "date=2026-03-20", "duration=1:00", "type=clinical"],
    ),
    Operation("import JSON", lambda d, s: ["import-json", str(s / "export.json")]),
    Operation("export JSON", lambda d, s: ["export-json", str(d / "out.json")]),
    Operation("export PDF", lambda d, s: ["export-pdf", "--compact", str(d / "out.pdf")]),
    Operation("backup", lambda d, s: ["backup", "now"]),
    Operation("restore", lambda d, s: ["backup", "restore", "1"]),
    Operation("encrypt", lambda d, s: ["encrypt", "--save-recovery-key", str(s / "key.txt")]),
    Operation(
        "change passphrase",
        lambda d, s: ["change-passphrase", "--save-recovery-key", str(s / "key2.txt")],
        encrypted=True,
    ),
]
NEARLY_FULL = "nearly full"
FAULTS = ["disk full", "read-only", "key file missing", "killed", NEARLY_FULL]


def cli(data: Path, args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "logbook.cli.main", "--data-dir", str(data), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def run(data: Path, args: list[str], env: dict[str, str]) -> tuple[int, str]:
    process = cli(data, args, env)
    out, err = process.communicate(timeout=300)
    return process.returncode, out + err


def environment(encrypted: bool, new_passphrase: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRACTICE_LOGBOOK")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PRACTICE_LOGBOOK_NEW_PASSPHRASE"] = new_passphrase
    if encrypted:
        env["PRACTICE_LOGBOOK_PASSPHRASE"] = PASSPHRASE
    return env


def prepare(data: Path, scratch: Path, encrypted: bool) -> int:
    """A logbook with records, a backup and an export to import; returns its record count."""
    env = environment(False, PASSPHRASE)
    for day in range(1, 11):
        run(data, ["add", "supervision", f"date=2026-03-{day:02d}", "duration=1:00"], env)
    run(data, ["export-json", str(scratch / "export.json")], env)
    run(data, ["backup", "now"], env)
    if encrypted:
        run(data, ["encrypt", "--save-recovery-key", str(scratch / "first-key.txt")], env)
    return count(data, environment(encrypted, PASSPHRASE))


def count(data: Path, env: dict[str, str]) -> int:
    status, output = run(data, ["list", "supervision", "--limit", "1000"], env)
    if status != 0:
        return -1
    for line in output.splitlines():
        if "supervision record(s)" in line:
            return int(line.split()[0])
    return -1


def one(operation: Operation, fault: str, kill_after: int = 0) -> tuple[str, str]:
    """Run one cell; returns (outcome, detail)."""
    scratch = Path(tempfile.mkdtemp(prefix="logbook-scratch-"))
    try:
        with tmpfs(VOLUME_MB) as mount:
            data = mount / "logbook"
            encrypted = operation.encrypted or fault == "key file missing"
            before = prepare(data, scratch, encrypted)
            env = environment(encrypted, "a new passphrase here")
            keys = data / "logbook.sqlite.keys"
            if fault == "disk full":
                leave_free(mount, 8)
            elif fault == "read-only":
                subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
            elif fault == "key file missing":
                keys.unlink(missing_ok=True)
            if fault == "killed":
                process = cli(data, operation.args(data, scratch), env)
                time.sleep(kill_after / 1000)
                process.send_signal(signal.SIGKILL)
                out, err = process.communicate()
                status, output = -9, out + err
            else:
                status, output = run(data, operation.args(data, scratch), env)
            if fault == "read-only":
                subprocess.run(["mount", "-o", "remount,rw", str(mount)], check=True)
            (mount / "filler").unlink(missing_ok=True)
            if "Traceback" in output:
                return "TRACEBACK", output[-600:]
            # Take the fault away and look: everything committed before must still be there.
            after_env = environment(True, PASSPHRASE)
            key_file = scratch / "key2.txt"
            if key_file.exists() and count(data, after_env) < 0:
                after_env.pop("PRACTICE_LOGBOOK_PASSPHRASE")
                after_env["PRACTICE_LOGBOOK_RECOVERY_KEY"] = key_file.read_text().strip()
            after = count(data, after_env if encrypted or operation.name == "encrypt" else env)
            if after < 0:
                after = count(data, environment(False, PASSPHRASE))
            if after < before:
                return (
                    "LOST",
                    f"{before} records before, {after} after; exit {status}: {output[-400:]}",
                )
            damaged = list(data.glob("*damaged*"))
            if damaged:
                return "SET ASIDE", f"{[p.name for p in damaged]}; exit {status}: {output[-300:]}"
            return ("ok" if status == 0 else "refused"), output.strip().splitlines()[-1:][0][
                :160
            ] if output.strip() else ""
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# --- nearly full: the disk fills up part-way through the operation --------------------------

NEARLY_FULL_VOLUME_MB = 48
NEW_PASSPHRASE = "a new passphrase here"
SEARCH_STEP_KB = 16
# Free space just below the level at which the operation first completes, and a few fractions
# of the way up from the level at which the logbook first opens.
BELOW_KB = (4, 16, 64, 256, 1024)
FRACTIONS = (0, 1, 2, 3)
# The database driver's or the operating system's own words, which the user must never see.
RAW_TEXT = (
    "Traceback",
    "sqlite3.",
    "OperationalError",
    "DatabaseError",
    "(Background on this error",
    "[SQL:",
    "[Errno",
    "database or disk is full",
    "disk I/O error",
)
OPEN_REFUSED = "cannot be opened just now"
TARGETS = {"export JSON": "out.json", "export PDF": "out.pdf"}
# What may go wrong in a nearly-full cell, worst first.
BAD = ("LOST", "SET ASIDE", "CHANGED", "TRACEBACK", "LEFTOVER", "RAW TEXT", "NO MESSAGE", "SILENT")


@dataclass(frozen=True)
class Template:
    """A prepared data folder, copied onto a fresh volume for every run."""

    data: Path
    encrypted: bool
    revisions: dict[str, int]  # uid -> revision of every record committed


@dataclass(frozen=True)
class Cell:
    level_kb: int  # free space on the volume when the operation started
    status: int
    outcome: str
    detail: str
    open_refused: bool  # the logbook itself did not open (that is the "disk full" fault)
    done: bool  # the operation completed
    output: str = ""


def _checked(data: Path, args: list[str], env: dict[str, str]) -> str:
    status, output = run(data, args, env)
    if status != 0:
        raise RuntimeError(f"preparing the logbook failed: {' '.join(args)}: {output}")
    return output


def _attach(data: Path, size_kb: int, seed: int) -> None:
    """Attach an incompressible file to the first supervision record."""
    evidence = data.parent / f"certificate-{seed}.pdf"
    evidence.write_bytes(b"%PDF-1.4\n" + random.Random(seed).randbytes(size_kb * 1024))
    with Logbook.open(DataLocation(data), auto_backup=False) as book:
        owner = book.records.all(RecordKind.SUPERVISION)[0]
        book.attachments.add_file(owner, evidence, "certificate")
    evidence.unlink()


def build_templates(root: Path) -> tuple[Template, Template]:
    """A plain and an encrypted larger logbook, and ``root/export.json`` to import."""
    env = environment(False, PASSPHRASE)
    source = root / "source" / "logbook"
    _checked(source, ["demo", "--persona", "supervisor", "--years", "3", "--seed", "7"], env)
    _attach(source, 384, seed=1)
    _checked(source, ["export-json", str(root / "export.json")], env)

    plain = root / "plain" / "logbook"
    _checked(plain, ["demo", "--years", "3"], env)
    _attach(plain, 512, seed=2)
    _checked(plain, ["backup", "now"], env)
    _checked(plain, ["export-json", str(plain / "out.json")], env)
    _checked(plain, ["export-pdf", "--compact", str(plain / "out.pdf")], env)
    revisions = revisions_in(plain / "out.json")

    encrypted = root / "encrypted" / "logbook"
    shutil.copytree(plain, encrypted)
    _checked(encrypted, ["encrypt", "--save-recovery-key", str(root / "first-key.txt")], env)
    return Template(plain, False, revisions), Template(encrypted, True, revisions)


def revisions_in(export: Path) -> dict[str, int]:
    document = json.loads(export.read_text(encoding="utf-8"))
    return {r["uid"]: int(r.get("revision", 0)) for r in document["records"]}


def records_after(
    data: Path, scratch: Path, encrypted: bool
) -> tuple[dict[str, int], str] | tuple[None, None]:
    """The records the logbook holds, and what opened it ("as before", "new passphrase" or a
    recovery key file); ``(None, None)`` when nothing does.

    Tried in turn: the passphrase of before (or none), the new one, then any recovery key.
    """
    tries = [("as before", environment(encrypted, PASSPHRASE))]
    tries.append(("new passphrase", environment(True, NEW_PASSPHRASE)))
    tries[1][1]["PRACTICE_LOGBOOK_PASSPHRASE"] = NEW_PASSPHRASE
    for name in ("key.txt", "key2.txt", "first-key.txt"):
        if (scratch / name).exists():
            env = environment(False, PASSPHRASE)
            env["PRACTICE_LOGBOOK_RECOVERY_KEY"] = (scratch / name).read_text().strip()
            tries.append((f"recovery key {name}", env))
    export = scratch / "after.json"
    for how, env in tries:
        status, _ = run(data, ["export-json", str(export)], env)
        if status == 0:
            found = revisions_in(export)
            export.unlink()
            return found, how
    return None, None


def _inventory(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative name -> size and SHA-256)."""
    return {
        str(path.relative_to(folder)): f"{path.stat().st_size} bytes, {file_sha256(path)}"
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _complete_backup(path: Path) -> bool:
    snapshot = read_snapshot(path.with_suffix(MANIFEST_SUFFIX))
    return snapshot is not None and not snapshot.damage()


def _complete_export(path: Path) -> bool:
    data = path.read_bytes()
    if path.suffix == ".pdf":
        return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


def _file_problems(
    data: Path, before: dict[str, str], after: dict[str, str], target: str | None, done: bool
) -> list[str]:
    """Partial files left behind, an export replaced by a broken one, a backup broken."""
    problems = []
    for name in sorted(after.keys() - before.keys()):
        path = data / name
        if name in ("logbook.sqlite-wal", "logbook.sqlite-shm") or (name == target and done):
            continue
        if name.startswith("backups/") and _complete_backup(path):
            continue
        if done and name == "logbook.sqlite.keys":
            continue  # encrypting writes the key file
        problems.append(f"left {name} ({after[name].split(',')[0]})")
    for name in sorted(before.keys() - after.keys()):
        if not name.startswith("backups/"):  # rotation may delete an old backup
            problems.append(f"removed {name}")
    if target is not None and target in after:
        if not done and target in before and after[target] != before[target]:
            problems.append(f"{target} was replaced although the export failed")
        elif not _complete_export(data / target):
            problems.append(f"{target} is incomplete")
    for manifest in sorted((data / "backups").glob("*.json")):
        if not _complete_backup(manifest):
            problems.append(f"backup {manifest.stem} is incomplete or damaged")
    return problems


def _age_backups(data: Path) -> None:
    """Make every backup two days old, so opening takes the daily backup."""
    for manifest in (data / "backups").glob("*.json"):
        document = json.loads(manifest.read_text(encoding="utf-8"))
        taken = datetime.fromisoformat(document["created_at"]) - timedelta(days=2)
        document["created_at"] = taken.isoformat()
        manifest.write_text(json.dumps(document, indent=1), encoding="utf-8")


def nearly_full_cell(
    operation: Operation, template: Template, level_kb: int, import_file: Path
) -> Cell:
    """Run ``operation`` on a copy of ``template`` with ``level_kb`` of the volume left free."""
    scratch = Path(tempfile.mkdtemp(prefix="logbook-scratch-"))
    try:
        shutil.copy(import_file, scratch / "export.json")
        with tmpfs(NEARLY_FULL_VOLUME_MB) as mount:
            data = mount / "logbook"
            shutil.copytree(template.data, data)
            target = TARGETS.get(operation.name)
            # Half the levels replace an earlier export, half write a new one.
            if target is not None and (level_kb // 4) % 2:
                (data / target).unlink()
            if operation.name == "start-up":
                _age_backups(data)
            before = _inventory(data)
            leave_free(mount, level_kb)
            level = free_kb(mount)
            env = environment(template.encrypted, NEW_PASSPHRASE)
            status, output = run(data, operation.args(data, scratch), env)
            after = _inventory(data)
            (mount / "filler").unlink(missing_ok=True)

            done = status == 0
            if operation.name == "start-up":
                done = done and any("-daily." in name for name in after.keys() - before.keys())
            text = output.strip()
            message = text.splitlines()[-1] if text else ""
            open_refused = OPEN_REFUSED in output

            found: list[tuple[str, str]] = []
            if "Traceback" in output:
                found.append(("TRACEBACK", text.splitlines()[-1]))
            elif raw := [mark for mark in RAW_TEXT if mark in output]:
                found.append(("RAW TEXT", f"{raw[0]!r} in the output"))
            elif status != 0 and not message.startswith("error: "):
                found.append(("NO MESSAGE", f"exit {status}"))
            if status == 0 and not done and "warning: " not in output:
                found.append(("SILENT", "the daily backup was not taken, and nothing said so"))
            # Take the fault away and look: everything committed before must still be there.
            records, how = records_after(data, scratch, template.encrypted)
            if records is None:
                found.append(("LOST", "the logbook does not open"))
            elif lost := [u for u, r in template.revisions.items() if records.get(u, -1) < r]:
                found.append(("LOST", f"{len(lost)} record(s) missing"))
            if records is not None and status != 0 and how != "as before":
                found.append(("CHANGED", f"it failed, yet only the {how} opens the logbook"))
            if damaged := sorted(p.name for p in data.glob("*damaged*")):
                found.append(("SET ASIDE", ", ".join(damaged)))
            if problems := _file_problems(data, before, after, target, done):
                found.append(("LEFTOVER", "; ".join(problems)))
            if found:
                worst = min(found, key=lambda f: BAD.index(f[0]))[0]
                details = "; ".join(f"{o}: {d}" for o, d in found)
                return Cell(
                    level,
                    status,
                    worst,
                    f"{details}; exit {status}: {message[:200]}",
                    open_refused,
                    done,
                    output,
                )
            outcome = "ok" if done else "refused" if status else "warned"
            return Cell(level, status, outcome, message[:200], open_refused, done, output)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _page(kb: int) -> int:
    return max(0, kb // 4 * 4)


def nearly_full(operation: Operation, template: Template, import_file: Path) -> list[Cell]:
    """Every run for one operation: the searches for where the logbook opens and where the
    operation completes, then levels in between (the nearly-full cells)."""
    runs: dict[int, Cell] = {}

    def probe(level: int) -> Cell:
        level = _page(level)
        if level not in runs:
            runs[level] = nearly_full_cell(operation, template, level, import_file)
        return runs[level]

    # Where the operation first completes.
    low, high = 0, 256
    while not probe(high).done:
        low, high = high, high * 2
        if high > NEARLY_FULL_VOLUME_MB * 1024:
            return list(runs.values())
    while high - low > SEARCH_STEP_KB:
        middle = _page((low + high) // 2)
        low, high = (low, middle) if probe(middle).done else (middle, high)
    completes = high
    # Where the logbook first opens.
    refused = [level for level, c in runs.items() if c.open_refused]
    opened = [level for level, c in runs.items() if not c.open_refused]
    low, high = max(refused, default=0), min(opened)
    while high - low > SEARCH_STEP_KB:
        middle = _page((low + high) // 2)
        low, high = (low, middle) if not probe(middle).open_refused else (middle, high)
    opens = high
    for below in BELOW_KB:
        if completes - below >= opens:
            probe(completes - below)
    for fraction in FRACTIONS:
        probe(opens + (completes - opens) * fraction // len(FRACTIONS))
    return [runs[level] for level in sorted(runs)]


def run_nearly_full(
    operations: list[Operation],
    tally: Counter[str],
    bad: list[Any],
    levels: list[int] | None = None,
    verbose: bool = False,
) -> None:
    """Run the nearly-full cells (at ``levels`` KB free only, when given, without searching)."""
    root = Path(tempfile.mkdtemp(prefix="logbook-templates-"))
    try:
        plain, encrypted = build_templates(root)
        for operation in operations:
            template = encrypted if operation.encrypted else plain
            if levels:
                cells = [
                    nearly_full_cell(operation, template, level, root / "export.json")
                    for level in levels
                ]
            else:
                cells = nearly_full(operation, template, root / "export.json")
            between = [c for c in cells if not c.open_refused and not c.done]
            opens = min((c.level_kb for c in cells if not c.open_refused), default=None)
            completes = min((c.level_kb for c in cells if c.done), default=None)
            for c in cells:
                if c in between or c.outcome in BAD or levels:
                    label = f"{NEARLY_FULL} @{c.level_kb} KB"
                    print(f"{operation.name:<18} {label:<22} {c.outcome:<9} {c.detail}")
                    if verbose and c.outcome in BAD:
                        print("    " + c.output.strip().replace("\n", "\n    "))
                if c in between:
                    tally[c.outcome] += 1
                if c.outcome in BAD:
                    bad.append((operation.name, f"{NEARLY_FULL} @{c.level_kb} KB", c.outcome))
            print(
                f"{operation.name:<18} {'':<22} ({len(cells)} runs; opens from {opens} KB free, "
                f"completes from {completes} KB free; {len(between)} nearly-full cells)"
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--faults",
        default=",".join(FAULTS),
        help=f"comma-separated faults to run (default: all of {', '.join(FAULTS)})",
    )
    parser.add_argument(
        "--operations",
        default=",".join(o.name for o in OPERATIONS),
        help="comma-separated operations to run (default: all)",
    )
    parser.add_argument(
        "--levels",
        help="nearly full: run only at these comma-separated free-space levels (KB), no search",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="nearly full: print the output of failing cells"
    )
    args = parser.parse_args()
    faults = [f.strip() for f in args.faults.split(",") if f.strip()]
    wanted = [o.strip() for o in args.operations.split(",") if o.strip()]
    unknown = [f for f in faults if f not in FAULTS] + [
        o for o in wanted if o not in {op.name for op in OPERATIONS}
    ]
    if unknown:
        parser.error(f"unknown fault or operation: {', '.join(unknown)}")
    operations = [o for o in OPERATIONS if o.name in wanted]
    if os.geteuid() != 0:
        sys.exit("The fault matrix mounts tmpfs volumes: run it as root.")
    tally: Counter[str] = Counter()
    bad: list[Any] = []
    print(f"{'operation':<18} {'fault':<22} outcome")
    for operation in operations:
        for fault in faults:
            if fault == NEARLY_FULL:
                continue
            cells = [(kill,) for kill in KILL_AFTER_MS] if fault == "killed" else [(0,)]
            for (kill,) in cells:
                outcome, detail = one(operation, fault, kill)
                tally[outcome] += 1
                label = f"{fault} @{kill} ms" if fault == "killed" else fault
                print(f"{operation.name:<18} {label:<22} {outcome:<9} {detail}")
                if outcome in ("LOST", "TRACEBACK", "SET ASIDE"):
                    bad.append((operation.name, label, outcome))
    if NEARLY_FULL in faults:
        levels = [int(kb) for kb in args.levels.split(",")] if args.levels else None
        run_nearly_full(operations, tally, bad, levels, args.verbose)
    print()
    print("cells:", sum(tally.values()), dict(tally))
    print("failures:", bad or "none")


if __name__ == "__main__":
    main()
