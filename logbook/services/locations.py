"""Where a logbook lives: platformdirs by default, overridable for tests, demos and USB drives."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "Practice Logbook"
ENV_DATA_DIR = "PRACTICE_LOGBOOK_DATA_DIR"
PORTABLE_MARKER = "portable.txt"
DATABASE_NAME = "logbook.sqlite"
DEMO_FOLDER = "demo"


@dataclass(frozen=True)
class DataLocation:
    """The folder holding one logbook, its backups and its settings."""

    root: Path
    temporary: bool = False

    @property
    def database(self) -> Path:
        """The logbook's SQLite database file."""
        return self.root / DATABASE_NAME

    @property
    def backups(self) -> Path:
        """Where backups go unless the user chooses another folder."""
        return self.root / "backups"

    @property
    def settings(self) -> Path:
        """The app's preferences file, kept with the logbook so each logbook has its own."""
        return self.root / "settings.json"


def resolve_location(
    data_dir: str | os.PathLike[str] | None = None, *, temporary: bool = False, demo: bool = False
) -> DataLocation:
    """Choose the data folder: ``--temp-data-dir``, ``--data-dir``, the environment, portable
    mode (a marker file beside the executable), then the platform's user data folder.

    A demo without an explicit folder gets a ``demo`` folder inside the default one, so trying
    the demo never puts demo records into the user's own logbook.
    """
    if temporary:
        return DataLocation(Path(tempfile.mkdtemp(prefix="practice-logbook-")), temporary=True)
    if data_dir:
        return DataLocation(Path(data_dir).expanduser().resolve())
    if env := os.environ.get(ENV_DATA_DIR):
        root = Path(env).expanduser().resolve()
    elif portable := portable_root():
        root = portable
    else:
        import platformdirs  # only here: a command given its folder starts without it

        root = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return DataLocation(root / DEMO_FOLDER if demo else root)


def portable_root() -> Path | None:
    """``data/`` beside the executable when a portable marker file sits next to it."""
    executable_dir = Path(sys.executable).resolve().parent
    if getattr(sys, "frozen", False) and (executable_dir / PORTABLE_MARKER).exists():
        return executable_dir / "data"
    return None
