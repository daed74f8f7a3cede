"""The safety commands as a user runs them: backup, check, recover, encrypt, decrypt,
change-passphrase. Passphrases come from a prompt or the environment, never the command line."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest

from logbook.cli.main import main
from logbook.storage import encryption
from tests.cli_support import RunCli

PASSPHRASE = "a quiet walk by the sea"


@pytest.fixture(autouse=True)
def quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encryption, "SCRYPT_LOG2_N", 12)


def run(data: Path, *args: str | Path) -> int:
    return main(["--data-dir", str(data), *map(str, args)])


def add(data: Path, day: int) -> None:
    assert run(data, "add", "supervision", f"date=2026-03-{day:02d}", "duration=1:00") == 0


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    add(folder, 1)
    add(folder, 2)
    return folder


def test_backup_now_list_export_and_restore(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data, "backup", "now") == 0
    out = capsys.readouterr().out
    assert "Backed up and checked:" in out
    assert "2 records: 2 Supervision" in out

    add(data, 3)
    capsys.readouterr()
    assert run(data, "backup", "list") == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].lstrip().startswith("1  ")
    assert "Taken by you" in "\n".join(listing)
    assert listing[-1].startswith("2 backup(s); new backups go to")

    target = tmp_path / "exported.sqlite"
    assert run(data, "backup", "export", "1", target) == 0
    assert f"Wrote {target}" in capsys.readouterr().out
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM supervision").fetchone()[0] == 2
    conn.close()

    manual = next(line for line in listing if "Taken by you" in line).split()[0]
    assert run(data, "backup", "restore", manual) == 0
    out = capsys.readouterr().out
    assert "Restored the backup of" in out
    assert "kept as backup" in out
    assert run(data, "list", "supervision") == 0
    assert "2 supervision record(s)" in capsys.readouterr().out


def test_backup_folder_can_be_chosen(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    drive = tmp_path / "other-drive"
    assert run(data, "backup", "folder", drive) == 0
    assert f"New backups will go to {drive}" in capsys.readouterr().out
    assert run(data, "backup", "now") == 0
    assert str(drive) in capsys.readouterr().out
    assert run(data, "backup", "folder", "--default") == 0
    assert run(data, "backup", "folder") == 0
    assert capsys.readouterr().out.strip().endswith(str(data / "backups"))


def test_check_reports_sound_and_broken_logbooks(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data, "check") == 0
    out = capsys.readouterr().out
    assert "[ok] File integrity" in out
    assert "The logbook is sound." in out

    # A reference to a supervisor who does not exist, written behind the app's back.
    with sqlite3.connect(data / "logbook.sqlite") as conn:
        conn.execute("UPDATE supervision SET counterpart_uid = 'no-such-person'")
    conn.close()
    assert run(data, "check") == 1
    out = capsys.readouterr().out
    assert "[PROBLEM] References: 2 reference(s) point to records that do not exist" in out
    assert "supervision row" in out


def test_recover_a_damaged_logbook_from_the_command_line(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data, "backup", "now") == 0
    (data / "logbook.sqlite").write_bytes(os.urandom(20_000))
    capsys.readouterr()

    assert run(data, "list", "supervision") == 1
    err = capsys.readouterr().err
    assert "cannot be used" in err
    assert "The newest good backup is from" in err

    assert run(data, "recover") == 1
    assert "recover --restore" in capsys.readouterr().out
    assert run(data, "recover", "--restore") == 0
    assert "Restored the backup of" in capsys.readouterr().out
    assert run(data, "list", "supervision") == 0
    assert "2 supervision record(s)" in capsys.readouterr().out
    assert list(data.glob("logbook.damaged-*.sqlite"))


def test_start_anew_after_damage_keeps_the_backups(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data, "backup", "now") == 0
    (data / "logbook.sqlite").write_bytes(b"")
    assert run(data, "recover", "--start-new") == 0
    assert "Started a new, empty logbook" in capsys.readouterr().out
    assert run(data, "list", "supervision") == 0
    assert "0 supervision record(s)" in capsys.readouterr().out
    assert list((data / "backups").glob("*.sqlite"))


def test_encryption_commands_take_passphrases_from_the_environment(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PRACTICE_LOGBOOK_NEW_PASSPHRASE", PASSPHRASE)
    saved = data.parent / "recovery-key.txt"
    assert run(data, "encrypt", "--save-recovery-key", str(saved)) == 0
    assert f"The recovery key was written to {saved}" in capsys.readouterr().out
    recovery_key = saved.read_text().strip()
    assert re.fullmatch(r"(?:[0-9A-Z]{4}-){7}[0-9A-Z]{4}", recovery_key)
    monkeypatch.delenv("PRACTICE_LOGBOOK_NEW_PASSPHRASE")

    # No terminal, no passphrase: a clear refusal that names the variable for scripts.
    assert run(data, "backup", "list") == 1
    assert "PRACTICE_LOGBOOK_PASSPHRASE" in capsys.readouterr().err

    monkeypatch.setenv("PRACTICE_LOGBOOK_PASSPHRASE", "wrong passphrase")
    assert run(data, "check") == 1
    assert "does not unlock" in capsys.readouterr().err

    monkeypatch.setenv("PRACTICE_LOGBOOK_PASSPHRASE", PASSPHRASE)
    assert run(data, "check") == 0
    assert "[ok] Encryption" in capsys.readouterr().out

    monkeypatch.setenv("PRACTICE_LOGBOOK_NEW_PASSPHRASE", "the tide comes in")
    new_saved = data.parent / "new-recovery-key.txt"
    assert run(data, "change-passphrase", "--save-recovery-key", str(new_saved)) == 0
    assert "The passphrase has been changed" in capsys.readouterr().out
    monkeypatch.setenv("PRACTICE_LOGBOOK_PASSPHRASE", PASSPHRASE)
    assert run(data, "list", "supervision") == 1
    recovery_key = new_saved.read_text().strip()  # the old one opens only older backups

    monkeypatch.delenv("PRACTICE_LOGBOOK_PASSPHRASE")
    monkeypatch.setenv("PRACTICE_LOGBOOK_RECOVERY_KEY", recovery_key)
    assert run(data, "decrypt", "--recovery-key") == 0
    assert "no longer encrypted" in capsys.readouterr().out
    monkeypatch.delenv("PRACTICE_LOGBOOK_RECOVERY_KEY")
    assert run(data, "list", "supervision") == 0
    assert (data / "logbook.sqlite").read_bytes().startswith(b"SQLite format 3")


def test_a_passphrase_is_never_accepted_as_an_argument(tmp_path: Path, run_cli: RunCli) -> None:
    done = run_cli("encrypt", "--passphrase", "secret words", data=tmp_path)
    assert done.returncode == 2
    assert "unrecognized arguments" in done.stderr
    assert not (tmp_path / "logbook.sqlite.keys").exists()
