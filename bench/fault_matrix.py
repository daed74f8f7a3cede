"""The fault matrix: every operation of the command line run against a failing disk.

For each operation (start-up, save, JSON import and export, PDF export, backup, restore, encrypt,
passphrase change) and each fault (the disk full with 8 KB left, the volume read-only, the key
file missing, the process killed part-way), the real ``logbook-cli`` runs in a subprocess on a
small tmpfs volume. After the fault is taken away, the logbook must open, hold every record
committed before, and no output may contain a traceback.

Run as root (it mounts tmpfs volumes): ``uv run python bench/fault_matrix.py``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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
FAULTS = ["disk full", "read-only", "key file missing", "killed"]


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


@contextmanager
def volume() -> Iterator[Path]:
    mount = Path(tempfile.mkdtemp(prefix="logbook-fault-"))
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={VOLUME_MB}M", "tmpfs", str(mount)], check=True
    )
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
        shutil.rmtree(mount, ignore_errors=True)


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


def fill(mount: Path, leave_kb: int = 8) -> None:
    stat = os.statvfs(mount)
    free_kb = stat.f_bavail * stat.f_frsize // 1024
    with (mount / "filler").open("wb") as out:
        out.write(b"\0" * max(0, free_kb - leave_kb) * 1024)


def one(operation: Operation, fault: str, kill_after: int = 0) -> tuple[str, str]:
    """Run one cell; returns (outcome, detail)."""
    scratch = Path(tempfile.mkdtemp(prefix="logbook-scratch-"))
    try:
        with volume() as mount:
            data = mount / "logbook"
            encrypted = operation.encrypted or fault == "key file missing"
            before = prepare(data, scratch, encrypted)
            env = environment(encrypted, "a new passphrase here")
            keys = data / "logbook.sqlite.keys"
            if fault == "disk full":
                fill(mount)
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


def main() -> None:
    if os.geteuid() != 0:
        sys.exit("The fault matrix mounts tmpfs volumes: run it as root.")
    tally: Counter[str] = Counter()
    bad = []
    print(f"{'operation':<18} {'fault':<17} outcome")
    for operation in OPERATIONS:
        for fault in FAULTS:
            cells = [(kill,) for kill in KILL_AFTER_MS] if fault == "killed" else [(0,)]
            for (kill,) in cells:
                outcome, detail = one(operation, fault, kill)
                tally[outcome] += 1
                label = f"{fault} @{kill} ms" if fault == "killed" else fault
                print(f"{operation.name:<18} {label:<17} {outcome:<9} {detail}")
                if outcome in ("LOST", "TRACEBACK", "SET ASIDE"):
                    bad.append((operation.name, label, outcome))
    print()
    print("cells:", sum(tally.values()), dict(tally))
    print("failures:", bad or "none")


if __name__ == "__main__":
    main()
