"""The migration history: one head, in step with the models, and applied safely at open."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from logbook.domain.errors import NewerSchemaError
from logbook.storage.database import MIGRATIONS, SCHEMA_HEAD, open_database, upgrade
from logbook.storage.models import Base
from logbook.storage.sqlite import is_search_table


def test_the_history_has_a_single_head_that_the_app_creates() -> None:
    heads = ScriptDirectory(str(MIGRATIONS)).get_heads()
    assert heads == [SCHEMA_HEAD]


def test_migrating_an_empty_file_gives_exactly_the_models(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'migrated.sqlite'}")
    upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_object": lambda _o, name, type_, *_: (
                    not (type_ == "table" and is_search_table(name))
                ),
            },
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_new_and_migrated_logbooks_have_the_same_tables(tmp_path: Path) -> None:
    created = open_database(tmp_path / "created.sqlite")
    created.close()
    engine = create_engine(f"sqlite:///{tmp_path / 'migrated.sqlite'}")
    upgrade(engine)
    engine.dispose()

    def tables(path: Path) -> set[str]:
        with sqlite3.connect(path) as conn:
            return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}

    assert tables(tmp_path / "created.sqlite") == tables(tmp_path / "migrated.sqlite")


def test_a_logbook_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "logbook.sqlite"
    open_database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(NewerSchemaError, match="written by a newer version of Practice Logbook"):
        open_database(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not (tmp_path / "backups").exists()


def test_pragmas_make_commits_durable(tmp_path: Path) -> None:
    db = open_database(tmp_path / "logbook.sqlite")
    try:
        with db.engine.connect() as conn:
            pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert (pragma("journal_mode"), pragma("synchronous"), pragma("foreign_keys")) == (
                "wal",
                2,
                1,
            )
    finally:
        db.close()
