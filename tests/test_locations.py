"""Where the logbook lives: explicit folders win, and a demo never lands in the real logbook."""

from __future__ import annotations

from pathlib import Path

import pytest

from logbook.services.locations import ENV_DATA_DIR, resolve_location


def test_an_explicit_folder_wins_over_the_environment(tmp_path: Path) -> None:
    assert resolve_location(tmp_path / "mine").database == tmp_path / "mine" / "logbook.sqlite"


def test_the_environment_variable_chooses_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "env"))
    assert resolve_location().root == tmp_path / "env"


def test_a_demo_gets_its_own_folder_beside_the_real_logbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "env"))
    demo = resolve_location(demo=True)
    assert demo.database == tmp_path / "env" / "demo" / "logbook.sqlite"
    assert demo.database != resolve_location().database
    assert resolve_location(tmp_path / "chosen", demo=True).root == tmp_path / "chosen"


def test_a_temporary_folder_is_new_each_time() -> None:
    first, second = resolve_location(temporary=True), resolve_location(temporary=True)
    assert first.temporary
    assert first.root != second.root
    assert first.root.is_dir()
    for location in (first, second):
        location.root.rmdir()
