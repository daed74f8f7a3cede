"""Creating, editing, deleting, listing and totalling records through the services."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date

import pytest

from logbook.domain.choices import Direction, SupervisionType
from logbook.domain.errors import ConflictError, NotFoundError, ValidationError
from logbook.domain.periods import Period
from logbook.domain.queries import RecordQuery
from logbook.domain.records import (
    Attachment,
    Milestone,
    Organisation,
    Pathway,
    Person,
    PracticeEntry,
    RecordKind,
    SupervisionSession,
)
from logbook.services.logbook import Logbook
from logbook.storage import repository as repo


def _session(day: int, minutes: int = 60, **kw: object) -> SupervisionSession:
    return SupervisionSession(date=date(2026, 3, day), duration_minutes=minutes, **kw)  # type: ignore[arg-type]


def test_edit_makes_a_new_revision_and_a_stale_edit_is_refused(logbook: Logbook) -> None:
    saved = logbook.records.create(_session(2)).record
    edited = logbook.records.update(dataclasses.replace(saved, duration_minutes=90)).record
    assert (edited.revision, edited.duration_minutes) == (2, 90)
    with pytest.raises(ConflictError, match="changed elsewhere"):
        logbook.records.update(dataclasses.replace(saved, duration_minutes=30))
    assert logbook.records.get(RecordKind.SUPERVISION, saved.uid).duration_minutes == 90


def test_invalid_edit_leaves_the_stored_record_unchanged(logbook: Logbook) -> None:
    saved = logbook.records.create(_session(2)).record
    with pytest.raises(ValidationError, match="duration must be between"):
        logbook.records.update(dataclasses.replace(saved, duration_minutes=0))
    assert logbook.records.get(RecordKind.SUPERVISION, saved.uid) == saved


def test_reference_to_a_missing_supervisor_is_rejected(logbook: Logbook) -> None:
    with pytest.raises(
        ValidationError, match="counterpart_uid: the person it refers to does not exist"
    ):
        logbook.records.create(_session(2, counterpart_uid=str(uuid.uuid4())))
    assert logbook.records.count(RecordKind.SUPERVISION) == 0


def test_a_supervisor_with_sessions_cannot_be_deleted(logbook: Logbook) -> None:
    ana = logbook.records.create(Person(name="Ana Silva")).record
    logbook.records.create(_session(2, counterpart_uid=ana.uid))
    with pytest.raises(ConflictError, match="Person 'Ana Silva' is still used by 1 supervision"):
        logbook.records.delete(RecordKind.PERSON, ana.uid)


def test_deleting_a_pathway_takes_milestones_and_attachments_and_restore_puts_them_back(
    logbook: Logbook,
) -> None:
    pathway = logbook.records.create(Pathway(title="PWP training")).record
    milestone = logbook.records.create(Milestone(pathway_uid=pathway.uid, title="Induction")).record
    with logbook.db.transaction() as session:
        repo.store_blob(session, "a" * 64, b"certificate")
        repo.insert(
            session, Attachment(owner_uid=milestone.uid, filename="cert.pdf", sha256="a" * 64)
        )
    deleted = logbook.records.delete(RecordKind.PATHWAY, pathway.uid)
    assert len(deleted.milestones) == 1
    assert len(deleted.attachments) == 1
    with pytest.raises(NotFoundError):
        logbook.records.get(RecordKind.MILESTONE, milestone.uid)
    logbook.records.restore(deleted)
    assert logbook.records.get(RecordKind.MILESTONE, milestone.uid) == milestone
    assert logbook.records.count(RecordKind.ATTACHMENT) == 1


def test_create_many_is_all_or_nothing(logbook: Logbook) -> None:
    good, bad = _session(2), _session(3, minutes=0)
    with pytest.raises(ValidationError, match="Supervision 2, duration"):
        logbook.records.create_many([good, bad])
    assert logbook.records.count(RecordKind.SUPERVISION) == 0


@pytest.fixture
def filled(logbook: Logbook) -> tuple[Logbook, Person, Organisation]:
    trust = logbook.records.create(Organisation(name="Leeds NHS Talking Therapies")).record
    ana = logbook.records.create(Person(name="Ana Silva", organisation_uid=trust.uid)).record
    ben = logbook.records.create(Person(name="Ben Carter")).record
    logbook.records.create_many(
        [
            _session(
                2,
                60,
                counterpart_uid=ana.uid,
                organisation_uid=trust.uid,
                supervision_type=SupervisionType.CASE_MANAGEMENT,
                themes=("caseload review",),
            ),
            _session(
                9,
                90,
                counterpart_uid=ana.uid,
                supervision_type=SupervisionType.CLINICAL_SKILLS,
                themes=("exposure", "panic"),
            ),
            _session(
                16,
                45,
                counterpart_uid=ben.uid,
                direction=Direction.GIVEN,
                action_points="Review risk plan",
            ),
            SupervisionSession(date=date(2026, 4, 6), duration_minutes=60, counterpart_uid=ana.uid),
        ]
    )
    return logbook, ana, trust


def test_filters_and_search_give_the_right_rows_and_totals(
    filled: tuple[Logbook, Person, Organisation],
) -> None:
    logbook, ana, trust = filled
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    cases = {
        RecordQuery(RecordKind.SUPERVISION, period=march): (3, 195),
        RecordQuery(RecordKind.SUPERVISION, person_uid=ana.uid): (3, 210),
        RecordQuery(RecordKind.SUPERVISION, organisation_uid=trust.uid): (1, 60),
        RecordQuery(RecordKind.SUPERVISION, subtypes=frozenset({"clinical_skills"})): (1, 90),
        RecordQuery(RecordKind.SUPERVISION, direction=Direction.GIVEN): (1, 45),
        RecordQuery(RecordKind.SUPERVISION, text="pan"): (1, 90),
        RecordQuery(RecordKind.SUPERVISION, text="silva case"): (1, 60),
        RecordQuery(RecordKind.SUPERVISION, text="risk"): (1, 45),
    }
    for query, (count, minutes) in cases.items():
        total = logbook.records.summarise(query)
        assert (total.count, total.minutes) == (count, minutes), query
        assert len(logbook.records.query(query)) == count


def test_sorting_and_paging_happen_in_the_query(
    filled: tuple[Logbook, Person, Organisation],
) -> None:
    logbook, _, _ = filled
    newest = logbook.records.query(RecordQuery(RecordKind.SUPERVISION, limit=2))
    assert [r.date.day for r in newest] == [6, 16]  # type: ignore[attr-defined]
    page_two = logbook.records.query(RecordQuery(RecordKind.SUPERVISION, offset=2, limit=2))
    assert [r.date.day for r in page_two] == [9, 2]  # type: ignore[attr-defined]
    by_length = logbook.records.query(
        RecordQuery(RecordKind.SUPERVISION, sort="duration_minutes", descending=False)
    )
    assert [r.duration_minutes for r in by_length] == [45, 60, 60, 90]  # type: ignore[attr-defined]
    by_person = logbook.records.query(RecordQuery(RecordKind.SUPERVISION, sort="person", limit=1))
    assert by_person[0].counterpart_uid != filled[1].uid  # "Ben Carter" sorts after "Ana Silva"


def test_totals_by_month_and_person(filled: tuple[Logbook, Person, Organisation]) -> None:
    logbook, ana, _ = filled
    query = RecordQuery(RecordKind.SUPERVISION)
    months = {t.key: (t.count, t.minutes) for t in logbook.records.totals(query, "month")}
    assert months == {"2026-03": (3, 195), "2026-04": (1, 60)}
    people = {t.key: t.minutes for t in logbook.records.totals(query, "person")}
    assert people[ana.uid] == 210


def test_did_not_attend_sessions_are_listed_but_not_counted(logbook: Logbook) -> None:
    logbook.records.create_many(
        [
            PracticeEntry(date=date(2026, 3, 2), duration_minutes=50),
            PracticeEntry(date=date(2026, 3, 3), duration_minutes=50, did_not_attend=True),
        ]
    )
    total = logbook.records.summarise(RecordQuery(RecordKind.PRACTICE))
    assert (total.count, total.minutes) == (2, 50)
