"""An open logbook and the services that work on it, wired once for the app or the CLI.

Services that opening a logbook and showing its lists do not need (requirements, imports) are
imported when first used: the desktop app reads the first rows of a list without them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from logbook.domain.errors import DamagedLogbookError, StorageError
from logbook.domain.records import RecordKind
from logbook.services.attachments import AttachmentService
from logbook.services.backups import BackupService, newest_good_backup
from logbook.services.conflicts import ConflictService
from logbook.services.drafts import DraftService
from logbook.services.encryption import EncryptionService
from logbook.services.integrity import IntegrityService
from logbook.services.locations import DataLocation
from logbook.services.pathways import PathwayService
from logbook.services.privacy import PrivacyService
from logbook.services.records import RecordService
from logbook.services.signed_by_me import SignedByMeService
from logbook.services.signoff import SignoffService
from logbook.storage import snapshots
from logbook.storage.database import Database, open_database
from logbook.storage.encryption import Unlock

if TYPE_CHECKING:
    from logbook.services.exchange import ImportSummary
    from logbook.services.imports import ImportResult
    from logbook.services.requirements import RequirementService


@dataclass
class Logbook:
    """The services of one open logbook file. Close it when done."""

    db: Database
    location: DataLocation | None = None
    records: RecordService = field(init=False)
    signoff: SignoffService = field(init=False)
    signed_by_me: SignedByMeService = field(init=False)
    attachments: AttachmentService = field(init=False)
    backups: BackupService = field(init=False)
    encryption: EncryptionService = field(init=False)
    integrity: IntegrityService = field(init=False)
    conflicts: ConflictService = field(init=False)
    drafts: DraftService = field(init=False)
    pathways: PathwayService = field(init=False)
    privacy: PrivacyService = field(init=False)
    # Why the backup at start failed (a full disk, a missing drive), for the app to show.
    backup_warning: str | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.records = RecordService(self.db)
        self.privacy = PrivacyService(self.db)
        self.signoff = SignoffService(self.db, self.location)
        self.signed_by_me = SignedByMeService(self.db, self.signoff.identities)
        self.attachments = AttachmentService(self.db)
        self.conflicts = ConflictService(self.db)
        self.pathways = PathwayService(self.db)
        self.drafts = DraftService(self.db)
        self.backups = BackupService(self.db, self.location)
        self.encryption = EncryptionService(self.db, self.backups)
        self.integrity = IntegrityService(
            self.db, lambda: getattr(getattr(self, "signoff", None), "verify_all", None)
        )

    @cached_property
    def requirements(self) -> RequirementService:
        """Requirement packs and progress against them (made on first use)."""
        from logbook.services.requirements import RequirementService

        packs = self.location.root / "packs" if self.location else None
        return RequirementService(self.db, self.records, packs)

    @classmethod
    def open(
        cls,
        location: DataLocation,
        unlock: Unlock | None = None,
        *,
        auto_backup: bool = True,
        start_new: bool = False,
    ) -> Logbook:
        """Open (creating or migrating) the logbook in ``location``.

        Takes the daily backup when the newest is more than a day old (``auto_backup``).
        ``start_new`` creates an empty logbook even where a damaged or missing one has
        backups (the user chose to start again; the backups stay).

        Raises:
            LogbookInUseError: another copy of the app has it open.
            LockedLogbookError, WrongPassphraseError: it is encrypted; ``unlock`` is needed.
            DamagedLogbookError: it is damaged and was set aside, or missing while backups
                exist (``MissingLogbookError``); ``offer`` is the newest good backup (or
                ``None``), to restore with ``backups.restore_location``.
            NewerSchemaError: it was written by a newer version of the app.
        """
        try:
            db = open_database(
                location.database,
                backup_dir=location.backups,
                unlock=unlock,
                start_new=start_new,
            )
        except DamagedLogbookError as error:
            error.offer = newest_good_backup(location)
            raise
        logbook = cls(db, location)
        logbook.remove_leftovers()
        if auto_backup and not db.created:
            try:
                logbook.backups.backup_if_due()
            except StorageError as error:
                logbook.backup_warning = str(error)
        return logbook

    @classmethod
    def open_file(cls, path: Path, unlock: Unlock | None = None) -> Logbook:
        """Open a logbook database file on its own, outside a data folder (a copy set aside
        or written elsewhere, say): no backup is taken at start, and its backups go in a
        ``backups`` folder beside it.

        Raises:
            LogbookInUseError: another copy of the app has it open.
            LockedLogbookError, WrongPassphraseError: it is encrypted; ``unlock`` is needed.
            DamagedLogbookError: it is damaged or not a logbook, and was set aside.
            NewerSchemaError: it was written by a newer version of the app.
        """
        logbook = cls(open_database(path, unlock=unlock))
        logbook.remove_leftovers()
        return logbook

    def remove_leftovers(self) -> None:
        """Delete temporary files an interrupted backup or save left in the app's folders
        (partial copies and their journals may hold personal data)."""
        for folder in {self.backups.default_folder, self.backups.folder}:
            snapshots.remove_leftovers(folder)
        self.signoff.identities.remove_leftovers()

    def import_json(self, source: Path, *, allow_identifiers: bool = False) -> ImportSummary:
        """Merge a logbook JSON file, after a checked backup of the logbook as it was.

        Text that may identify a client is refused unless ``allow_identifiers`` keeps it.
        """
        from logbook.services.exchange import import_json

        self.backups.backup_now("before-import")
        return import_json(self.db, source, allow_identifiers=allow_identifiers)

    def import_csv(
        self, kind: RecordKind, source: Path, *, allow_identifiers: bool = False
    ) -> ImportResult:
        """Import a CSV file of one kind, after a checked backup of the logbook as it was.

        Text that may identify a client is refused unless ``allow_identifiers`` keeps it.
        """
        from logbook.services.imports import import_csv

        self.backups.backup_now("before-import")
        return import_csv(self.records, kind, source, allow_identifiers=allow_identifiers)

    @property
    def path(self) -> Path:
        """The logbook's database file."""
        return self.db.path

    def close(self) -> None:
        """Close the database; the services cannot be used afterwards."""
        self.db.close()

    def __enter__(self) -> Logbook:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
