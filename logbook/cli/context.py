"""What every command receives: where the logbook is, and a way to open it."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO

from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook


@dataclass
class CliContext:
    location: DataLocation
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _logbook: Logbook | None = None

    def open(self) -> Logbook:
        """The logbook, opened (and created or migrated) on first use."""
        if self._logbook is None:
            self._logbook = Logbook.open(self.location)
        return self._logbook

    def close(self) -> None:
        if self._logbook is not None:
            self._logbook.close()
            self._logbook = None

    def print(self, text: str = "") -> None:
        print(text, file=self.out)
