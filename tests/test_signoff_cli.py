"""Sign-off from the command line, between a practitioner's and a supervisor's data folders."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from logbook.cli.main import main as cli
from logbook.cli.signoff import ENV_NEW_SIGNING_PASSPHRASE, ENV_SIGNING_PASSPHRASE
from logbook.domain.records import RecordKind
from logbook.domain.signoff import SignoffState
from tests.signoff_support import PASSPHRASE, SUPERVISOR, add_entries, open_book


def _run(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> tuple[int, str]:
    status = cli(["--data-dir", str(folder), *args])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_the_remote_flow_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    me, supervisor = tmp_path / "me", tmp_path / "supervisor"
    with open_book(me) as book:
        entries = add_entries(book, 3)
    monkeypatch.setenv(ENV_NEW_SIGNING_PASSPHRASE, PASSPHRASE)
    monkeypatch.setenv(ENV_SIGNING_PASSPHRASE, PASSPHRASE)

    status, out = _run(
        capsys, supervisor, "identity", "create", "--name", SUPERVISOR, "--body", "HCPC"
    )
    assert status == 0, out
    fingerprint = re.search(r"Fingerprint: (\S+)", out).group(1)  # type: ignore[union-attr]

    request = tmp_path / "request.json"
    status, out = _run(
        capsys,
        me,
        "request",
        "create",
        "supervision",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--supervisor-name",
        SUPERVISOR,
        "--message",
        "March, please",
        "--out",
        str(request),
    )
    assert status == 0, out
    assert "Wrote a request for 3 entries" in out

    status, out = _run(capsys, supervisor, "inbox", "open", str(request))
    assert status == 0, out
    assert "from Morag Stewart (BABCP 123456)" in out
    assert "Action points: Review the stepped-care plan." in out
    request_id = json.loads(request.read_text())["request_id"]

    response = tmp_path / "response.json"
    status, out = _run(
        capsys,
        supervisor,
        "respond",
        request_id[:8],
        "--identity",
        fingerprint,
        "--sign-all",
        "--return",
        f"{entries[2].uid[:8]}=Wrong date",
        "--out",
        str(response),
    )
    assert status == 0, out
    assert "Signed 2 and returned 1 entry" in out

    status, out = _run(capsys, me, "apply-response", str(response))
    assert status == 1
    assert f"fingerprint {fingerprint}" in out
    status, out = _run(
        capsys, me, "apply-response", str(response), "--trust-fingerprint", fingerprint.lower()
    )
    assert status == 0, out
    assert "signed:   2 entries" in out

    status, out = _run(capsys, me, "verify")
    assert status == 0, out
    assert "Checked 2 signature(s): 2 valid, 0 invalid." in out
    assert "Returned by supervisor" in out

    with open_book(me) as book:
        states = book.signoff.states(book.records.all(RecordKind.SUPERVISION))
    assert sorted(states.values()) == sorted(
        [SignoffState.VERIFIED, SignoffState.VERIFIED, SignoffState.RETURNED]
    )


def test_signing_needs_a_passphrase_and_never_takes_it_as_an_argument(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_NEW_SIGNING_PASSPHRASE, raising=False)
    status, out = _run(capsys, tmp_path / "s", "identity", "create", "--name", SUPERVISOR)

    assert status == 1
    assert f"Set ${ENV_NEW_SIGNING_PASSPHRASE} for scripts" in out


def test_identity_export_and_import_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_NEW_SIGNING_PASSPHRASE, PASSPHRASE)
    _, out = _run(capsys, tmp_path / "a", "identity", "create", "--name", SUPERVISOR)
    fingerprint = re.search(r"Fingerprint: (\S+)", out).group(1)  # type: ignore[union-attr]
    usb = tmp_path / "usb.json"

    assert _run(capsys, tmp_path / "a", "identity", "export", fingerprint, str(usb))[0] == 0
    assert _run(capsys, tmp_path / "b", "identity", "import", str(usb))[0] == 0
    status, out = _run(capsys, tmp_path / "b", "identity", "list")

    assert status == 0
    assert f"{fingerprint}  {SUPERVISOR}" in out


def test_verify_on_an_empty_logbook_reports_nothing_to_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = _run(capsys, tmp_path / "empty", "verify")

    assert status == 0
    assert "Checked 0 signature(s)" in out
