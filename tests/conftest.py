"""Shared fixtures. Qt runs offscreen so the suite needs no screen; no test touches the real
user profile (every logbook lives in pytest's temporary folder)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from logbook.services.locations import ENV_DATA_DIR, DataLocation
from logbook.services.logbook import Logbook


@pytest.fixture(autouse=True)
def _isolated_profile(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point every default location at a throwaway folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv(ENV_DATA_DIR, str(home / "data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))


@pytest.fixture
def location(tmp_path: Path) -> DataLocation:
    return DataLocation(tmp_path / "logbook")


@pytest.fixture
def logbook(location: DataLocation) -> Iterator[Logbook]:
    """A new, empty logbook in a temporary folder."""
    opened = Logbook.open(location)
    yield opened
    opened.close()
