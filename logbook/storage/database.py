"""Opening a logbook file: create it at the schema head, or back it up and migrate it.

Alembic is imported only when an upgrade is due: a logbook already at head opens with one
query of ``alembic_version``.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, insert, inspect, select, text
from sqlalchemy.exc import DatabaseError as SqlDatabaseError
from sqlalchemy.orm import Session, sessionmaker

from logbook.domain.errors import NewerSchemaError, StorageError
from logbook.storage import sqlite
from logbook.storage.models import Base, LogbookMeta

# The newest migration; a test keeps it equal to Alembic's head.
SCHEMA_HEAD = "0002"
MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass
class Database:
    """An open logbook: its file, its engine and a way to run one transaction."""

    path: Path
    engine: Engine
    logbook_id: str
    upgraded_from: str | None = None
    backup_path: Path | None = None

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed as a whole, or rolled back as a whole."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session (rolled back at the end, so it never writes by accident)."""
        with self._sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    def close(self) -> None:
        self.engine.dispose()


def open_database(path: Path, *, backup_dir: Path | None = None) -> Database:
    """Open (or create) the logbook at ``path``, migrating it to the current schema.

    Raises:
        NewerSchemaError: the file was written by a newer version of the app; it is untouched.
        StorageError: the file is not a logbook, or cannot be read.
    """
    path = path.expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    is_new = not path.exists() or path.stat().st_size == 0
    if not is_new:
        _check_sqlite_header(path)
        revision = _read_revision(path)
        if revision != SCHEMA_HEAD:
            _ensure_known(path, revision)
    engine = sqlite.create_sqlite_engine(path)
    try:
        if is_new:
            _create_at_head(engine)
            return Database(path, engine, _logbook_id(engine))
        if revision == SCHEMA_HEAD:
            return Database(path, engine, _logbook_id(engine))
        backup = _backup_before_upgrade(path, revision, backup_dir or path.parent / "backups")
        upgrade(engine)
        return Database(path, engine, _logbook_id(engine), revision, backup)
    except SqlDatabaseError as error:
        engine.dispose()
        raise StorageError(f"{path} could not be opened as a logbook: {error.orig}") from error


def _check_sqlite_header(path: Path) -> None:
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_MAGIC))
    if header != SQLITE_MAGIC:
        raise StorageError(
            f"{path} is not a logbook file (it is not an SQLite database). "
            "It has not been changed. Open a different file, or restore a backup."
        )


def _read_revision(path: Path) -> str:
    """The schema revision of an existing file, read without changing it in any way."""
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables or "logbook_meta" not in tables:
                raise StorageError(
                    f"{path} is an SQLite database but not a Practice Logbook. "
                    "It has not been changed."
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise StorageError(
            f"{path} cannot be read ({error}). The file may be damaged; "
            "it has not been changed. Restore the newest backup."
        ) from error
    if row is None:
        raise StorageError(f"{path} has no schema version; it has not been changed.")
    return str(row[0])


def _ensure_known(path: Path, revision: str) -> None:
    if revision not in known_revisions():
        raise NewerSchemaError(
            f"{path} was written by a newer version of Practice Logbook (schema {revision}). "
            "It has not been changed. Install the newer version to open it."
        )


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(MIGRATIONS))
    return {script.revision for script in scripts.walk_revisions()}


def alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations with foreign keys off (batch mode recreates tables), then check them."""
    from alembic import command

    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        try:
            config = alembic_config(engine)
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise StorageError(f"the upgrade left {len(problems)} broken reference(s)")
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys = ON")


def _create_at_head(engine: Engine) -> None:
    with engine.begin() as conn:
        Base.metadata.create_all(conn)
        sqlite.create_search_index(conn)
        conn.execute(
            text(
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
            )
        )
        conn.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": SCHEMA_HEAD})
        now = datetime.now(UTC).isoformat(timespec="seconds")
        conn.execute(
            insert(LogbookMeta),
            [
                {"key": "logbook_id", "value": str(uuid.uuid4())},
                {"key": "created_at", "value": now},
            ],
        )


def _logbook_id(engine: Engine) -> str:
    with engine.connect() as conn:
        value = conn.execute(select(LogbookMeta.value).where(LogbookMeta.key == "logbook_id"))
        found = value.scalar_one_or_none()
    if found is None:
        raise StorageError("the logbook has no identity record; it may be damaged")
    return str(found)


def _backup_before_upgrade(path: Path, revision: str, backup_dir: Path) -> Path:
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backup_dir / f"{path.stem}-before-upgrade-from-{revision}-{stamp}.sqlite"
    partial = target.with_suffix(".partial")
    sqlite.backup_database(path, partial)
    partial.replace(target)
    return target


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
