"""The files shipped with the app (fonts, rule packs, icons) are found wherever it runs.

A source checkout reads ``resources/`` at the top of the repository; a frozen build reads the
copy PyInstaller unpacks under ``sys._MEIPASS``. The installed wheel is covered by
``tests/test_wheel.py``, which installs it into a fresh virtual environment.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from logbook.export.fonts import font_file, register_fonts
from logbook.resources import resource_path, resource_root

REPOSITORY = Path(__file__).resolve().parent.parent
TRUETYPE_MAGIC = b"\x00\x01\x00\x00"


def test_a_source_checkout_reads_the_repository_resources() -> None:
    assert resource_root() == REPOSITORY / "resources"
    font = resource_path("fonts", "DejaVuSans.ttf")
    assert font.read_bytes()[:4] == TRUETYPE_MAGIC
    assert resource_path("icons", "logbook.svg").read_text().lstrip().startswith("<svg")
    packs = [p for p in resource_path("packs").iterdir() if p.is_file()]
    assert packs, "the rule packs ship in resources/packs"


def test_the_pdf_fonts_are_the_shipped_ones() -> None:
    fonts = register_fonts()
    assert font_file(fonts.regular) == REPOSITORY / "resources" / "fonts" / "DejaVuSans.ttf"


def test_a_frozen_build_reads_the_bundled_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "_internal"
    (bundle / "resources" / "fonts").mkdir(parents=True)
    shutil.copy(REPOSITORY / "resources" / "fonts" / "DejaVuSans.ttf", bundle / "resources/fonts")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)

    assert resource_root() == bundle / "resources"
    assert resource_path("fonts", "DejaVuSans.ttf") == bundle / "resources/fonts/DejaVuSans.ttf"
