"""Every field of every record kind survives SQLite and the JSON exchange format unchanged."""

from __future__ import annotations

import dataclasses
import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logbook.domain.codec import decode, encode
from logbook.domain.records import Attachment, Milestone, Pathway, RecordKind
from logbook.services.logbook import Logbook
from logbook.storage import repository as repo
from tests.strategies import records

SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("kind", list(RecordKind), ids=str)
@SETTINGS
@given(data=st.data())
def test_json_round_trip_keeps_every_field(kind: RecordKind, data: st.DataObject) -> None:
    record = data.draw(records(kind))
    text = json.dumps(encode(record), ensure_ascii=False)
    assert decode(kind, json.loads(text)) == record


@pytest.mark.parametrize("kind", list(RecordKind), ids=str)
@SETTINGS
@given(data=st.data())
def test_sqlite_round_trip_keeps_every_field(
    kind: RecordKind, data: st.DataObject, logbook: Logbook
) -> None:
    # Examples share one logbook, so each gets an id of its own.
    record = dataclasses.replace(data.draw(records(kind)), uid=str(uuid.uuid4()))
    with logbook.db.transaction() as session:
        if isinstance(record, Milestone) and not repo.find(
            session, RecordKind.PATHWAY, record.pathway_uid
        ):
            repo.insert(session, Pathway(uid=record.pathway_uid, title="Pathway"))
        if isinstance(record, Attachment):
            repo.store_blob(session, record.sha256, b"content")
        repo.insert(session, record)
    assert logbook.records.get(kind, record.uid) == record


def test_whole_logbook_round_trips_through_json_export(logbook: Logbook, tmp_path) -> None:
    from logbook.services.demo import generate_demo
    from logbook.services.exchange import export_json, import_json
    from logbook.services.locations import DataLocation

    generate_demo(logbook, "mindfulness", years=2)
    exported = tmp_path / "export.json"
    count = export_json(logbook.db, exported)
    other = Logbook.open(DataLocation(tmp_path / "other"))
    try:
        summary = import_json(other.db, exported)
        assert (summary.added, summary.updated) == (count, 0)
        for kind in RecordKind:
            assert other.records.all(kind) == logbook.records.all(kind), kind
    finally:
        other.close()
