"""An open logbook and the services that work on it, wired once for the app or the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from logbook.services.attachments import AttachmentService
from logbook.services.locations import DataLocation
from logbook.services.records import RecordService
from logbook.services.signoff import SignoffService
from logbook.storage.database import Database, open_database


@dataclass
class Logbook:
    """The services of one open logbook file. Close it when done."""

    db: Database
    location: DataLocation | None = None
    records: RecordService = field(init=False)
    signoff: SignoffService = field(init=False)
    attachments: AttachmentService = field(init=False)

    def __post_init__(self) -> None:
        self.records = RecordService(self.db)
        self.signoff = SignoffService(self.db, self.location)
        self.attachments = AttachmentService(self.db)

    @classmethod
    def open(cls, location: DataLocation) -> Logbook:
        """Open (creating or migrating) the logbook in ``location``."""
        return cls(open_database(location.database, backup_dir=location.backups), location)

    @classmethod
    def open_file(cls, path: Path) -> Logbook:
        return cls(open_database(path))

    @property
    def path(self) -> Path:
        return self.db.path

    def close(self) -> None:
        self.db.close()
