"""Shared fixtures. Qt runs offscreen so the suite needs no screen; no test touches the real
user profile (every logbook lives in pytest's temporary folder)."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from logbook.services.locations import ENV_DATA_DIR, DataLocation
from logbook.services.logbook import Logbook
from tests.signoff_support import identity, practitioner, supervisor_book  # noqa: F401

if TYPE_CHECKING:
    from tests.cli_support import RunCli


@pytest.fixture(autouse=True)
def _isolated_profile(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point every default location at a throwaway folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv(ENV_DATA_DIR, str(home / "data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))


def _finish_background_work() -> None:
    """Wait for work a test left running, so it never runs into (or holds up) the next one."""
    if "PySide6.QtCore" not in sys.modules:
        return
    from PySide6.QtCore import QThreadPool

    assert QThreadPool.globalInstance().waitForDone(60_000), "background work never finished"


@pytest.fixture(autouse=True)
def _no_leftover_background_work() -> Iterator[None]:
    yield
    _finish_background_work()
    _let_go_of_modifier_keys()
    # Widgets a test dropped may sit in reference cycles; collected later on a worker thread,
    # PySide would delete Qt objects off the main thread. Collect them here, on the main one.
    gc.collect()


def _let_go_of_modifier_keys() -> None:
    """A test that ends on a chord (Ctrl+0) leaves Qt believing Ctrl is still held; the next
    test's clicks would then add rows to a selection instead of choosing one. Let go of it."""
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    if QApplication.instance() is not None and QApplication.keyboardModifiers() != (
        Qt.KeyboardModifier.NoModifier
    ):
        QTest.keyRelease(QWidget(), Qt.Key.Key_Control)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """A test may end with typing in a form: pytest-qt then closes it, and the form must not
    wait for an answer to "Discard changes?" that nobody will give."""
    _let_forms_go()
    return (yield)


def _let_forms_go() -> None:
    drafts = sys.modules.get("logbook.ui.drafts")
    for keeper in drafts.open_keepers() if drafts is not None else ():
        keeper.rebase()


@pytest.fixture
def run_cli() -> RunCli:
    """``logbook-cli`` run in this process: ``run_cli("list", "cpd", data=folder)`` gives its
    exit status and what it printed (see tests/cli_support.py)."""
    from tests.cli_support import run_cli

    return run_cli


@pytest.fixture
def location(tmp_path: Path) -> DataLocation:
    return DataLocation(tmp_path / "logbook")


@pytest.fixture
def logbook(location: DataLocation) -> Iterator[Logbook]:
    """A new, empty logbook in a temporary folder."""
    opened = Logbook.open(location)
    yield opened
    # A job still waiting for the logbook's one connection when it closes would wait out the
    # connection pool's 30-second timeout.
    _finish_background_work()
    opened.close()
