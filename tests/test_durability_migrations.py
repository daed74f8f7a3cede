"""Upgrades keep every row: saved logbooks of every earlier schema (with data in every table)
are opened by this version and compared row by row; migrations run with foreign keys off."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Integer, create_engine

from logbook.domain.records import RecordKind
from logbook.services.backups import location_backups
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.storage.database import SCHEMA_HEAD, foreign_keys_off, known_revisions
from logbook.storage.sqlite import is_search_table

DATA = Path(__file__).parent / "data"
SAVED = sorted(DATA.glob("logbook-schema-*.sqlite"))

Rows = dict[str, list[dict[str, Any]]]
# Rows an upgrade adds, by the revision that adds them: table → the new rows' keys.
ADDED = {"0003": {"logbook_meta": {"practitioner_key", "signoff_chain_head"}}}


def _revision_of(path: Path) -> str:
    return path.stem.removeprefix("logbook-schema-")


def _all_rows(path: Path) -> Rows:
    """Every row of every table (search index included), as column → value."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            if not is_search_table(r[0]) or r[0] == "record_search"
        ]
        rows: Rows = {}
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            rows[table] = [dict(zip(names, row, strict=True)) for row in cursor]
        return rows
    finally:
        conn.close()


def test_every_earlier_schema_has_a_saved_logbook() -> None:
    saved = {_revision_of(p) for p in SAVED}
    earlier = known_revisions() - {SCHEMA_HEAD}
    assert earlier <= saved, f"save a logbook of schema(s) {sorted(earlier - saved)}"


@pytest.mark.parametrize("saved", SAVED, ids=[_revision_of(p) for p in SAVED])
def test_saved_logbooks_have_rows_in_every_table(saved: Path) -> None:
    empty = [table for table, rows in _all_rows(saved).items() if not rows]
    assert empty == []


@pytest.mark.parametrize("saved", SAVED, ids=[_revision_of(p) for p in SAVED])
def test_upgrading_a_saved_logbook_loses_nothing(saved: Path, tmp_path: Path) -> None:
    location = DataLocation(tmp_path / "logbook")
    location.root.mkdir()
    shutil.copyfile(saved, location.database)
    before = _all_rows(location.database)

    logbook = Logbook.open(location)
    try:
        upgraded_from = logbook.db.upgraded_from
        report = logbook.integrity.check()
        practice = logbook.records.count(RecordKind.PRACTICE)
        signatures = logbook.signoff.verify_all()
    finally:
        logbook.close()
    after = _all_rows(location.database)

    if _revision_of(saved) != SCHEMA_HEAD:
        assert upgraded_from == _revision_of(saved)
        assert after["alembic_version"] == [{"version_num": SCHEMA_HEAD}]
        # The backup taken before the upgrade is listed, and is the old file's content.
        [backup] = location_backups(location)
        assert backup.snapshot.schema == _revision_of(saved)
        assert _all_rows(backup.path) == before
    for table, rows in before.items():
        if table == "alembic_version":
            continue
        assert table in after, f"table {table} was dropped"
        kept = [{k: row.get(k) for k in rows[0]} for row in after[table]] if rows else []
        for row in rows:
            assert row in kept, f"{table}: a row was lost or changed: {row}"
        added = _added_keys(_revision_of(saved), table)
        assert len(after[table]) == len(rows) + len(added)
        if added:
            assert {r["key"] for r in after[table]} - {r["key"] for r in rows} == added
    # Integrity, references and every signature carried over from the saved file.
    assert report.ok, report.text()
    assert signatures.ok, "\n".join(signatures.lines())
    assert signatures.valid_count == len(
        [e for e in before.get("signoff_event", []) if e["event_type"] == "signed"]
    )
    assert practice == len(before["practice"])


def _added_keys(saved_revision: str, table: str) -> set[str]:
    """The keys of the rows upgrading from ``saved_revision`` adds to ``table``."""
    return {
        key
        for revision, tables in ADDED.items()
        if saved_revision < revision <= SCHEMA_HEAD
        for key in tables.get(table, set())
    }


# --- the migration pitfall: batch mode recreates tables ------------------------------------


def _logbook_with_a_pathway(tmp_path: Path) -> Path:
    saved = next(p for p in SAVED if _revision_of(p) == "0001")
    path = tmp_path / "logbook.sqlite"
    shutil.copyfile(saved, path)
    return path


def _recreate_pathway_table(conn: Any) -> None:
    """What a batch migration does to a parent table: copy, drop, rename."""
    context = MigrationContext.configure(conn)
    with Operations.context(context) as op, op.batch_alter_table("pathway", recreate="always") as b:
        b.add_column(Column("extra", Integer(), nullable=True))


def _milestones(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM milestone").fetchone()[0])


def test_recreating_a_parent_table_keeps_child_rows_with_foreign_keys_off(tmp_path: Path) -> None:
    path = _logbook_with_a_pathway(tmp_path)
    assert _milestones(path) == 2
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys = ON")
        conn.commit()
        with foreign_keys_off(conn), conn.begin():
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
            _recreate_pathway_table(conn)
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
    assert _milestones(path) == 2


def test_with_foreign_keys_on_the_same_change_would_delete_child_rows(tmp_path: Path) -> None:
    # The hazard the upgrade guards against is real: milestones cascade away with their pathway.
    path = _logbook_with_a_pathway(tmp_path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys = ON")
        conn.commit()
        with conn.begin():
            _recreate_pathway_table(conn)
    engine.dispose()
    assert _milestones(path) == 0


def test_foreign_keys_cannot_be_switched_inside_a_transaction(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with (
        engine.connect() as conn,
        conn.begin(),
        pytest.raises(RuntimeError, match="outside a transaction"),
        foreign_keys_off(conn),
    ):
        pass
    engine.dispose()
