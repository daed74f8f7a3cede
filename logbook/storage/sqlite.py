"""Everything SQLite-specific: connection pragmas, the full-text index and online backup.

Kept in one module so the rest of storage stays portable to a shared PostgreSQL server.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import QueuePool

# FULL makes every commit durable across power loss in WAL mode; NORMAL could lose the last
# transactions. Measured well above a thousand commits a second, so durability costs little.
SYNCHRONOUS = "FULL"
BUSY_TIMEOUT_MS = 5000

SEARCH_TABLE = "record_search"
CREATE_SEARCH = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5("
    "uid UNINDEXED, kind UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')"
)


def create_sqlite_engine(path: Path) -> Engine:
    """An engine with exactly one connection: the single writer (and reader) of the logbook."""
    engine = create_engine(
        f"sqlite:///{path}",
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=0,
        connect_args={"check_same_thread": False},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


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
    connection.execute(text(CREATE_SEARCH))


def index_record(connection: Connection, uid: str, kind: str, body: str) -> None:
    connection.execute(text(f"DELETE FROM {SEARCH_TABLE} WHERE uid = :uid"), {"uid": uid})
    if body:
        connection.execute(
            text(f"INSERT INTO {SEARCH_TABLE} (uid, kind, body) VALUES (:uid, :kind, :body)"),
            {"uid": uid, "kind": kind, "body": body},
        )


def unindex_record(connection: Connection, uid: str) -> None:
    connection.execute(text(f"DELETE FROM {SEARCH_TABLE} WHERE uid = :uid"), {"uid": uid})


def search_match_sql(kind: str) -> str:
    """A subquery of the uids of ``kind`` whose text matches the bound ``:search``."""
    return f"SELECT uid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :search AND kind = '{kind}'"


def match_expression(query: str) -> str:
    """Turn what a person types into an FTS5 query: every word must appear, as a prefix."""
    words = [w.replace('"', "") for w in query.split()]
    return " ".join(f'"{w}"*' for w in words if w)


def backup_database(source: Path, target: Path) -> None:
    """Copy a live database with the online backup API, then prove the copy is sound."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    check = sqlite3.connect(target)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        check.close()
    if result != "ok":
        target.unlink(missing_ok=True)
        raise sqlite3.DatabaseError(f"backup failed its integrity check: {result}")


def month_key(column: Any) -> Any:
    """'YYYY-MM' of a date column (dates are ISO text in SQLite)."""
    from sqlalchemy import func

    return func.substr(column, 1, 7)


def year_key(column: Any) -> Any:
    from sqlalchemy import func

    return func.substr(column, 1, 4)


def is_search_table(name: str | None) -> bool:
    """The full-text index and its shadow tables, which migrations manage by hand."""
    return bool(name) and str(name).startswith(SEARCH_TABLE)
