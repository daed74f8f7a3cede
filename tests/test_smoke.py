"""``logbook --smoke-test``: the self-check run on every frozen build, run here from source."""

from __future__ import annotations

from pathlib import Path

import pytest

from logbook.domain.records import Profile
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.smoke import run_smoke_test


def test_the_smoke_test_passes_and_says_what_it_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "smoke"
    assert run_smoke_test(folder) == 0
    out, err = capsys.readouterr()
    assert err == ""
    for checked in (
        "migrated to",
        "supervision session saved",
        "PDF/A-3b",
        "the entry on one page",
        "drew the app icon",
        "smoke test passed",
    ):
        assert checked in out
    assert (folder / "smoke-test.pdf").read_bytes().startswith(b"%PDF-")
    assert list((folder / "backups").iterdir()), "the upgrade was backed up first"


def test_the_smoke_test_never_touches_an_existing_logbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    location = DataLocation(tmp_path / "mine")
    logbook = Logbook.open(location)
    logbook.records.create(Profile(name="Kept As It Was"))
    logbook.close()
    before = location.database.read_bytes()

    assert run_smoke_test(location.root) == 1
    assert "already exists" in capsys.readouterr().err
    assert location.database.read_bytes() == before
    assert not (location.root / "smoke-test.pdf").exists()
