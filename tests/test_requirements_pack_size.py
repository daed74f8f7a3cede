"""Import pack… refuses a file too large to be a pack before reading it, saying why."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from logbook.services.logbook import Logbook
from logbook.ui.requirements_view import RequirementsView
from tests.ui_helpers import when_modal

TOO_LARGE = "is too large to be a pack (a pack is at most 1,048,576 characters, about 1 MB)"


def _huge(path: Path) -> Path:
    """A file of 5 GB that takes no disk space (sparse): reading it would take 5 GB."""
    with path.open("wb") as handle:
        handle.truncate(5 * 1024**3)
    return path


def _just_over(path: Path) -> Path:
    """A file of 1.5 million characters: under the byte bound, over the character bound."""
    path.write_text('id = "big"\n' + "# padding\n" * 150_000, encoding="utf-8")
    return path


@pytest.mark.parametrize("make", [_huge, _just_over])
def test_a_file_too_large_to_be_a_pack_is_refused_unread(
    qtbot: QtBot,
    logbook: Logbook,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make: object,
) -> None:
    path = make(tmp_path / "huge.toml")  # type: ignore[operator]
    view = RequirementsView(logbook.requirements)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    packs_before = [view.pack_choice.itemText(i) for i in range(view.pack_choice.count())]
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), "*.toml")
    )
    shown: list[tuple[str, str]] = []

    def read_and_close(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        shown.append((box.windowTitle(), box.text()))
        box.accept()

    when_modal(read_and_close)
    tracemalloc.start()
    try:
        qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert shown == [
        (
            "This pack cannot be imported",
            f"The requirement pack huge.toml cannot be used:\n  - huge.toml: {TOO_LARGE}",
        )
    ]
    assert peak < 16 * 1024**2  # at most one pack's worth was read
    assert [view.pack_choice.itemText(i) for i in range(view.pack_choice.count())] == packs_before
    assert not list(logbook.location.root.glob("packs/*"))
