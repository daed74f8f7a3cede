"""Encrypted against plain: open, search and export on the 20-year, ~50,000-entry logbook.

Run: ``uv run python bench/bench_encryption.py``. The plain logbook is the shared benchmark
logbook (``bench/common.py``); the encrypted one is a copy of it encrypted by the app (SQLCipher,
AES-256 with per-page authentication). Both are timed in the same run, and each encrypted
figure is reported as a ratio against the plain one.

Opening is timed with the recovery key, so it measures the storage cost of encryption; the
passphrase's deliberate scrypt stretching (paid once per unlock) is timed on its own.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT, big_logbook, median_seconds, report
from logbook.domain.periods import year_of
from logbook.domain.queries import RecordQuery
from logbook.domain.records import RecordKind
from logbook.services.encryption import new_recovery_key
from logbook.services.exchange import export_json
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.storage.database import open_database
from logbook.storage.encryption import Unlock, read_envelope

PASSPHRASE = "benchmark passphrase words"


def encrypted_copy(plain: DataLocation) -> tuple[DataLocation, str]:
    """The benchmark logbook encrypted by the app (made once, kept with its recovery key)."""
    location = DataLocation(OUT / "big-20y-encrypted")
    key_file = location.root / "recovery-key.txt"
    if not key_file.exists():
        shutil.rmtree(location.root, ignore_errors=True)
        location.root.mkdir(parents=True)
        shutil.copyfile(plain.database, location.database)
        logbook = Logbook.open(location, auto_backup=False)
        try:
            recovery = new_recovery_key()
            result = logbook.encryption.encrypt(PASSPHRASE, recovery, recovery.last_group)
        finally:
            logbook.close()
        shutil.rmtree(location.backups, ignore_errors=True)
        key_file.write_text(result.recovery_key)
    return location, key_file.read_text().strip()


def main() -> None:
    plain = big_logbook()
    encrypted, recovery_key = encrypted_copy(plain)
    unlock = Unlock(recovery_key=recovery_key)
    size = plain.database.stat().st_size / 1e6
    print(
        f"Logbook: {plain.database.parent.name} ({size:.1f} MB) plain, and an encrypted copy "
        f"({encrypted.database.stat().st_size / 1e6:.1f} MB)\n"
    )
    print(f"{'':<34} {'encrypted':>12}   {'baseline':<26} {'':>12}")

    def opener(location: DataLocation, key: Unlock | None) -> None:
        db = open_database(location.database, unlock=key)
        with db.reading() as session:
            session.execute(text("SELECT count(*) FROM practice")).one()
        db.close()

    report(
        "open + first query",
        median_seconds(lambda: opener(encrypted, unlock)),
        median_seconds(lambda: opener(plain, None)),
        "plain logbook",
    )
    envelope = read_envelope(encrypted.database.with_name("logbook.sqlite.keys"))
    started = time.perf_counter()
    envelope.unseal(PASSPHRASE)
    stretch = time.perf_counter() - started
    print(
        f"{'  + passphrase stretching (scrypt)':<34} {stretch * 1000:9.2f} ms   once per unlock, "
        "by design"
    )

    books = {
        "plain": Logbook.open(plain, auto_backup=False),
        "encrypted": Logbook.open(encrypted, unlock, auto_backup=False),
    }
    try:
        queries = {
            "search practice (full text)": RecordQuery(
                RecordKind.PRACTICE, text="behavioural", limit=100
            ),
            "search supervision, one year": RecordQuery(
                RecordKind.SUPERVISION,
                period=year_of(date.today().replace(year=date.today().year - 3)),
                text="risk",
                limit=200,
            ),
            "list practice, newest 500": RecordQuery(RecordKind.PRACTICE, limit=500),
        }
        for name, query in queries.items():

            def run(book: Logbook, q: RecordQuery = query) -> None:
                book.records.query(q)
                book.records.summarise(q)

            report(
                name,
                median_seconds(lambda: run(books["encrypted"])),
                median_seconds(lambda: run(books["plain"])),
                "plain logbook",
            )
        with tempfile.TemporaryDirectory() as work:
            target = Path(work) / "export.json"
            report(
                "export JSON (whole logbook)",
                median_seconds(lambda: export_json(books["encrypted"].db, target), repeat=3),
                median_seconds(lambda: export_json(books["plain"].db, target), repeat=3),
                "plain logbook",
            )
            report(
                "backup now (checked copy)",
                median_seconds(
                    lambda: books["encrypted"].backups.backup_now(rotate=True), repeat=3
                ),
                median_seconds(lambda: books["plain"].backups.backup_now(rotate=True), repeat=3),
                "plain logbook",
            )
    finally:
        for book in books.values():
            book.close()


if __name__ == "__main__":
    main()
