"""Everything SQLite-specific: connection pragmas, encryption (SQLCipher), the full-text index,
online backup and integrity checks.

Kept in one module so the rest of storage stays portable to a shared PostgreSQL server.
A plain logbook goes through Python's ``sqlite3``; an encrypted one through ``sqlcipher3`` (the
same SQLite with SQLCipher inside), with the same pragmas, queries and checks.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbook.storage.encryption import sqlcipher_key_pragma

# The first bytes of every plain SQLite file.
SQLITE_MAGIC = b"SQLite format 3\x00"

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import Connection

# FULL makes every commit durable across power loss in WAL mode; NORMAL could lose the last
# transactions. Measured well above a thousand commits a second, so durability costs little.
SYNCHRONOUS = "FULL"
BUSY_TIMEOUT_MS = 5000

SEARCH_TABLE = "record_search"
CREATE_SEARCH = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5("
    "uid UNINDEXED, kind UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')"
)


# Pages copied per step of an online backup: small enough to report progress, large enough
# that a 50 MB logbook takes a few dozen steps.
BACKUP_STEP_PAGES = 1024
PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")

Progress = Callable[[int, int], None]
"""Called with (pages done, pages in all) while a database is copied."""


def create_sqlite_engine(path: Path, key: bytes | None = None) -> Engine:
    """An engine with exactly one connection: the single writer (and reader) of the logbook.

    With ``key`` the file is opened through SQLCipher (SQLAlchemy's ``sqlite+pysqlcipher``
    dialect on ``sqlcipher3``), which sets the key before anything else touches the file.
    """
    # SQLAlchemy is imported by what uses it, so the standard library's sqlite3 work here
    # (backups, checks, the reader of ``reader.py``) can be done without it.
    from sqlalchemy import URL, create_engine, event
    from sqlalchemy.pool import QueuePool

    if key is None:
        url: str | URL = f"sqlite:///{path}"
        connect_args: dict[str, Any] = {"check_same_thread": False}
        module: dict[str, Any] = {}
    else:
        import sqlcipher3

        url = URL.create(
            "sqlite+pysqlcipher", password=sqlcipher_key_pragma(key)[1:-1], database=str(path)
        )
        connect_args = {"check_same_thread": False}
        module = {"module": sqlcipher3}
        _quiet_sqlcipher(sqlcipher3)
    engine = create_engine(
        url,
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=0,
        connect_args=connect_args,
        **module,
    )
    event.listen(engine, "connect", _on_connect)
    if key is not None:
        event.listen(engine, "connect", _on_encrypted_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


# Pages read from an encrypted file are decrypted and authenticated on every cache miss (the
# operating system caches only ciphertext), so the app keeps more of them: up to 64 MB, taken
# only as pages are read.
ENCRYPTED_CACHE_KIB = 65536


def _on_encrypted_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA cache_size = -{ENCRYPTED_CACHE_KIB}")
    cursor.close()


def _quiet_sqlcipher(module: Any) -> None:
    # SQLCipher logs every failed page decryption to stderr; a wrong key is reported to the
    # user in words instead.
    conn = module.connect(":memory:")
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
    finally:
        conn.close()


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy own transactions instead of the driver's implicit BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.close()


def _on_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def create_search_index(connection: Connection) -> None:
    """Create the full-text search index of records, unless the logbook has one already."""
    from sqlalchemy import text

    connection.execute(text(CREATE_SEARCH))


def index_record(connection: Connection, uid: str, kind: str, body: str) -> None:
    """Replace the searchable text of record ``uid`` with ``body`` (none is kept when empty)."""
    from sqlalchemy import text

    connection.execute(text(f"DELETE FROM {SEARCH_TABLE} WHERE uid = :uid"), {"uid": uid})
    if body:
        connection.execute(
            text(f"INSERT INTO {SEARCH_TABLE} (uid, kind, body) VALUES (:uid, :kind, :body)"),
            {"uid": uid, "kind": kind, "body": body},
        )


def unindex_record(connection: Connection, uid: str) -> None:
    """Remove record ``uid`` from the search index, so a deleted record is no longer found."""
    from sqlalchemy import text

    connection.execute(text(f"DELETE FROM {SEARCH_TABLE} WHERE uid = :uid"), {"uid": uid})


def search_match_sql(kind: str) -> str:
    """A subquery of the uids of ``kind`` whose text matches the bound ``:search``."""
    return f"SELECT uid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :search AND kind = '{kind}'"


def match_expression(query: str) -> str:
    """Turn what a person types into an FTS5 query: every word must appear, as a prefix."""
    words = [w.replace('"', "") for w in query.split()]
    return " ".join(f'"{w}"*' for w in words if w)


# --- connections outside SQLAlchemy (backups, checks, conversions) ------------------------------


def connect(path: Path, key: bytes | None = None, *, read_only: bool = False) -> Any:
    """A DB-API connection to a logbook file (through SQLCipher when ``key`` is given).

    Used for work that must not go through the app's single writer connection: backups,
    checks and conversions. A read-only connection never changes the file.
    """
    target = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
    if key is None:
        conn: Any = sqlite3.connect(target, uri=read_only, check_same_thread=False)
    else:
        import sqlcipher3

        _quiet_sqlcipher(sqlcipher3)
        conn = sqlcipher3.connect(target, uri=read_only, check_same_thread=False)
        conn.execute(f"PRAGMA key = {sqlcipher_key_pragma(key)}")
    conn.isolation_level = None
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


@contextmanager
def connection(path: Path, key: bytes | None = None, *, read_only: bool = False) -> Iterator[Any]:
    """:func:`connect` as a context manager that always closes the connection."""
    conn = connect(path, key, read_only=read_only)
    try:
        yield conn
    finally:
        conn.close()


def is_database_error(error: BaseException) -> bool:
    """Whether ``error`` is a database error from either driver (plain or SQLCipher)."""
    if isinstance(error, sqlite3.Error):
        return True
    try:
        import sqlcipher3
    except ImportError:  # pragma: no cover - sqlcipher3 is a runtime dependency
        return False
    return isinstance(error, sqlcipher3.Error)


def create_private_file(path: Path) -> None:
    """Create an empty file only its owner can read (SQLite's side files copy its mode)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    os.close(fd)


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` (and missing parents) readable by its owner only.

    Folders that already exist are left as they are: they may be the user's own (a USB drive,
    Documents), whose permissions are theirs to choose.
    """
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    for created in reversed(missing):
        created.mkdir(mode=PRIVATE_FOLDER_MODE, exist_ok=True)
        os.chmod(created, PRIVATE_FOLDER_MODE)


def make_private(path: Path) -> None:
    """Take group and world access away from a logbook file and its side files."""
    for candidate in (path, *(path.with_name(path.name + s) for s in SQLITE_SIDE_FILES)):
        try:
            if candidate.stat().st_mode & 0o077:
                os.chmod(candidate, PRIVATE_FILE_MODE)
        except FileNotFoundError:
            pass


def side_files(path: Path) -> list[Path]:
    """The write-ahead log, shared-memory and journal files SQLite keeps beside ``path``."""
    return [path.with_name(path.name + suffix) for suffix in SQLITE_SIDE_FILES]


def backup_database(
    source: Path,
    target: Path,
    key: bytes | None = None,
    *,
    progress: Progress | None = None,
) -> None:
    """Copy a live database with the online backup API, then prove the copy is sound.

    The copy is written to ``target`` (which must not exist), created readable by its owner
    only, encrypted with the same ``key`` as the source, and left as one self-contained file
    (rollback journal, no write-ahead log). Writers may keep working during the copy.

    Raises:
        sqlite3.DatabaseError: the copy failed its integrity check (it has been removed).
    """
    create_private_file(target)
    try:
        with connection(source, key) as src, connection(target, key) as dst:

            def report(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            src.backup(dst, pages=BACKUP_STEP_PAGES, progress=report)
            dst.execute("PRAGMA journal_mode = DELETE")
        with connection(target, key, read_only=True) as check:
            problems = integrity_problems(check) + cipher_problems(check, key)
        if problems:
            raise sqlite3.DatabaseError(f"the copy failed its integrity check: {problems[0]}")
        fsync_file(target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def export_converted(
    source: Path, source_key: bytes | None, target: Path, target_key: bytes | None
) -> None:
    """Write a copy of ``source`` to ``target`` under a different key (or none).

    Uses SQLCipher's ``sqlcipher_export``, which rebuilds every table, index and the search
    index in the target; the target ends in rollback-journal mode and is checked before return.

    Raises:
        sqlite3.DatabaseError: the copy failed its integrity check (it has been removed).
    """
    import sqlcipher3

    _quiet_sqlcipher(sqlcipher3)
    create_private_file(target)
    try:
        src = sqlcipher3.connect(str(source), check_same_thread=False)
        try:
            src.isolation_level = None
            if source_key is not None:
                src.execute(f"PRAGMA key = {sqlcipher_key_pragma(source_key)}")
            attach_key = sqlcipher_key_pragma(target_key) if target_key is not None else "''"
            src.execute("ATTACH DATABASE ? AS converted KEY " + attach_key, (str(target),))
            # sqlcipher_export commits table by table; syncing each would cost a second on a
            # small logbook. The copy is synced once when complete, and a copy interrupted
            # half-way is never used (it is deleted), so nothing is lost by not syncing sooner.
            src.execute("PRAGMA converted.synchronous = OFF")
            src.execute("PRAGMA converted.journal_mode = MEMORY")
            src.execute("SELECT sqlcipher_export('converted')")
            src.execute("DETACH DATABASE converted")
        finally:
            src.close()
        with connection(target, target_key) as dst:
            dst.execute("PRAGMA journal_mode = DELETE")
        with connection(target, target_key, read_only=True) as check:
            problems = integrity_problems(check) + cipher_problems(check, target_key)
        if problems:
            raise sqlite3.DatabaseError(f"the copy failed its integrity check: {problems[0]}")
        fsync_file(target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def settle(path: Path, key: bytes | None = None) -> None:
    """Fold the write-ahead log into the database file and remove it, so the file stands alone.

    Needs every other connection closed (the app's engine disposed): before a file is moved
    or replaced its log must go with it, or a stale log would be replayed into the new file.

    Raises:
        sqlite3.OperationalError: another connection still has the file open.
    """
    with connection(path, key) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    if str(mode).lower() != "delete":
        raise sqlite3.OperationalError(f"{path.name} is still in use; its log was not folded in")


def fsync_file(path: Path) -> None:
    """Make the content of the file at ``path`` durable: written to the disk, not only cached."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- checks ------------------------------------------------------------------------------------


def integrity_problems(conn: Any, *, quick: bool = False, limit: int = 100) -> list[str]:
    """What ``PRAGMA integrity_check`` (or the faster ``quick_check``) finds; empty when sound."""
    pragma = "quick_check" if quick else "integrity_check"
    rows = conn.execute(f"PRAGMA {pragma}({limit})").fetchall()
    found = [str(row[0]) for row in rows]
    return [] if found == ["ok"] else found


def foreign_key_problems(conn: Any) -> list[str]:
    """References to rows that do not exist, from ``PRAGMA foreign_key_check``."""
    rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    return [
        f"{table} row {rowid} refers to a missing {parent} row" for table, rowid, parent, _ in rows
    ]


def cipher_problems(conn: Any, key: bytes | None) -> list[str]:
    """Pages of an encrypted file whose authentication code does not match (tampering, rot)."""
    if key is None:
        return []
    return [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check").fetchall()]


def undecodable_text(conn: Any, limit: int = 20) -> list[str]:
    """Tables holding text that is not valid UTF-8 (damage ``integrity_check`` cannot see:
    the file's structure is sound, but a value inside it is not)."""
    found = []
    for table in user_tables(conn):
        try:
            for _row in conn.execute(f'SELECT * FROM "{table}"'):
                pass
        except Exception as error:
            if not is_database_error(error):
                raise
            found.append(f"table {table}: {error}")
            if len(found) >= limit:
                break
    return found


def table_counts(conn: Any, tables: list[str]) -> dict[str, int]:
    """Rows in each of ``tables`` (names come from the schema, never from users)."""
    return {t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}


def user_tables(conn: Any) -> list[str]:
    """Every ordinary table of the file (no SQLite internals, no full-text shadow tables)."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        f"AND name NOT LIKE '{SEARCH_TABLE}%' ORDER BY name"
    ).fetchall()
    return [str(row[0]) for row in rows]


def month_key(column: str) -> str:
    """SQL for 'YYYY-MM' of the date column named ``column`` (dates are ISO text in SQLite)."""
    return f"substr({column}, 1, 7)"


def year_key(column: str) -> str:
    """SQL for 'YYYY' of the date column named ``column`` (dates are ISO text in SQLite)."""
    return f"substr({column}, 1, 4)"


def is_search_table(name: str | None) -> bool:
    """The full-text index and its shadow tables, which migrations manage by hand."""
    return bool(name) and str(name).startswith(SEARCH_TABLE)
