"""Save a logbook file at a given schema revision, with rows in every table.

The upgrade test (tests/test_durability_migrations.py) opens a copy of every saved file with the
current app and proves that no row is lost. Save one file per schema, when that schema is the
newest, so later versions are always tested against real files of every earlier schema:

    uv run python tests/data/build_schema_file.py 0001

The file is built with Alembic (``upgrade`` to the revision on an empty file) and filled through
the repository, so it holds exactly what that version of the app would have written.
"""

from __future__ import annotations

import hashlib
import sys
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from logbook.domain import choices as c
from logbook.domain.records import (
    Attachment,
    Attestation,
    CpdActivity,
    FeedbackEntry,
    Milestone,
    Organisation,
    Pathway,
    Person,
    PersonalPractice,
    PracticeEntry,
    Profile,
    Record,
    ReflectiveAccount,
    Registration,
    RoleSpell,
    SupervisionSession,
    TeachingCourse,
)
from logbook.storage import repository as repo
from logbook.storage import sqlite
from logbook.storage.database import Database, upgrade

HERE = Path(__file__).parent
WHEN = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)


def uid(n: int) -> str:
    return str(uuid.UUID(int=n))


def records() -> list[Record]:
    """One or more records of every kind, with unusual text, empty and NULL values (fields a
    schema adds are filled in, so a later upgrade is tested against them)."""
    stamp = {"created_at": WHEN, "updated_at": WHEN}
    org = Organisation(
        uid=uid(1),
        name="NHS Lothian – Psychology",
        organisation_kind=c.OrganisationKind.NHS,
        employer=True,
        supervising=True,
        address="Royal Edinburgh Building\nMorningside Terrace\nEdinburgh EH10 5HF",  # 0007
        notes="Main employer",
        **stamp,
    )
    charity = Organisation(
        uid=uid(2), name="Mind in Leeds", organisation_kind=c.OrganisationKind.CHARITY, **stamp
    )
    supervisor = Person(
        uid=uid(3),
        name="Dr Aoife Ní Bhriain",
        organisation_uid=org.uid,
        roles=("supervisor", "assessor"),
        registration_body="HCPC",
        registration_number="PYL01234",
        email="supervisor@example.org",
        notes="Fortnightly on Tuesdays",
        **stamp,
    )
    co_teacher = Person(uid=uid(4), name="Sam Okafor", **stamp)
    course = TeachingCourse(
        uid=uid(5),
        title="MBCT spring course",
        curriculum=c.Curriculum.MBCT,
        role=c.TeachingRole.CO_TEACHER,
        share_percent=50,
        population="Adults with recurrent depression",
        organisation_uid=org.uid,
        co_teacher_uid=co_teacher.uid,
        start_date=date(2026, 1, 12),
        end_date=date(2026, 3, 2),
        sessions_delivered=8,
        participants=12,
        clinical_population=True,  # schema 0007
        reflection="Private reflection: pacing of the body scan.",
        **stamp,
    )
    pathway = Pathway(
        uid=uid(6),
        title="Mindfulness teacher pathway",
        pathway_kind=c.PathwayKind.TRAINING,
        template_key="scottish-nhs-mindfulness",
        started_on=date(2025, 9, 1),
        training_hours=120.5,  # schema 0007
        **stamp,
    )
    cpd = CpdActivity(
        uid=uid(12),
        start_date=date(2026, 2, 14),
        end_date=date(2026, 2, 15),
        title="Compassion-focused therapy skills",
        provider="BABCP",
        duration_minutes=720,
        skills_focused=True,
        standard_link="NMC Code 22",
        learning_outcomes="Formulation\nwith emoji 🌱",
        reflection="",
        learning_type=c.HcpcLearningType.FORMAL_EDUCATIONAL,  # schema 0006
        code_themes=(c.CodeTheme.PRACTISE_EFFECTIVELY, c.CodeTheme.PRESERVE_SAFETY),
        impact="Formulations shared with the team sooner",
        participatory_minutes=540,  # schema 0007
        cbt_related=True,
        **stamp,
    )
    return [
        Profile(
            uid=uid(100),
            name="Alex Practitioner",
            email="alex@example.org",
            qualified_on=date(2020, 7, 1),
            roles=(RoleSpell(title="PWP", start=date(2020, 9, 1), organisation_uid=org.uid),),
            registrations=(
                Registration(
                    body="BABCP",
                    number="123456",
                    renewal_date=date(2027, 1, 1),
                    indemnity=c.Indemnity.PROFESSIONAL_BODY,  # schema 0007
                    indemnity_provider="Professional body scheme",
                ),
            ),
            client_groups=("adults",),
            followed_packs=("babcp-pwp",),
            **stamp,
        ),
        org,
        charity,
        supervisor,
        co_teacher,
        course,
        pathway,
        SupervisionSession(
            uid=uid(7),
            date=date(2026, 3, 2),
            duration_minutes=60,
            counterpart_uid=supervisor.uid,
            organisation_uid=org.uid,
            supervision_type=c.SupervisionType.CASE_MANAGEMENT,
            mode=c.Mode.VIDEO,
            setting=c.Setting.PRIMARY_CARE,
            themes=("risk", "endings"),
            methods=(c.SupervisionMethod.CASE_DISCUSSION, c.SupervisionMethod.ROLE_PLAY),
            arrangement="Fortnightly individual, A Ní Bhriain",  # schema 0007
            settings=(c.Setting.PRIMARY_CARE, c.Setting.SCHOOL),
            action_points="Review step-up criteria",
            reflection="Shareable reflection",
            reflection_private=False,
            **stamp,
        ),
        SupervisionSession(
            uid=uid(8),
            date=date(2026, 2, 16),
            duration_minutes=90,
            format=c.SupervisionFormat.GROUP,
            group_size=4,
            group_contracted_size=6,  # schema 0007
            group_member_uids=(co_teacher.uid,),
            course_uid=course.uid,
            live=True,
            methods=(c.SupervisionMethod.LIVE_OBSERVATION,),
            **stamp,
        ),
        PracticeEntry(
            uid=uid(9),
            date=date(2026, 3, 1),
            duration_minutes=50,
            activity=c.PracticeActivity.GUIDED_SELF_HELP,
            delivery=c.Delivery.TELEPHONE,
            client_group="Adults",
            intervention="Behavioural activation",
            organisation_uid=org.uid,
            nmc_work_setting=c.NmcWorkSetting.PRIMARY_CARE,
            nmc_scope=c.NmcScope.DIRECT_CLINICAL_CARE,
            end_date=date(2026, 3, 2),  # schema 0007
            nmc_registration=c.NmcRegistration.REGISTERED_NURSE,
            **stamp,
        ),
        PracticeEntry(
            uid=uid(10),
            date=date(2026, 3, 3),
            duration_minutes=120,
            activity=c.PracticeActivity.COURSE_SESSION,
            role=c.FacilitationRole.CO_FACILITATOR,
            clients=12,
            course_uid=course.uid,
            did_not_attend=False,
            notes="Session 8",
            reflection="Stayed with the silence after the body scan.",  # schema 0007
            **stamp,
        ),
        PracticeEntry(
            uid=uid(11), date=date(2026, 3, 4), duration_minutes=30, did_not_attend=True, **stamp
        ),
        cpd,
        PersonalPractice(
            uid=uid(13),
            start_date=date(2026, 1, 3),
            end_date=date(2026, 1, 8),
            practice_kind=c.PersonalPracticeKind.RETREAT,
            mode=c.RetreatMode.RESIDENTIAL,
            days=5.5,
            silence_percent=80,
            teacher_led=True,
            title="Winter retreat",
            **stamp,
        ),
        PersonalPractice(
            uid=uid(20),
            start_date=date(2026, 2, 6),
            end_date=date(2026, 2, 8),
            practice_kind=c.PersonalPracticeKind.RETREAT,
            mode=c.RetreatMode.HOME,
            days=3.0,
            silence_percent=100,
            supervisor_agreed=True,  # schema 0007
            title="Solitary retreat at home",
            **stamp,
        ),
        Milestone(
            uid=uid(14),
            pathway_uid=pathway.uid,
            title="Complete an 8-week course as a participant",
            sequence=1,
            status=c.MilestoneStatus.COMPLETE,
            completed_on=date(2025, 11, 30),
            assessor_uid=supervisor.uid,
            evidence="Certificate attached",
            **stamp,
        ),
        Milestone(
            uid=uid(15),
            pathway_uid=pathway.uid,
            title="Co-teach with a mentor",
            sequence=2,
            route=c.ConversionRoute.CO_TEACHING,
            due_date=date(2026, 6, 30),
            **stamp,
        ),
        FeedbackEntry(
            uid=uid(16),
            date=date(2026, 2, 20),
            source=c.FeedbackSource.COLLEAGUE,
            summary="Clear risk plans",
            **stamp,
        ),
        ReflectiveAccount(
            uid=uid(17),
            date=date(2026, 2, 21),
            title="Managing endings",
            experience="A planned ending",
            learning="Name endings early",
            change_in_practice="Flag endings from session one",
            code_themes=("Practise effectively", "Preserve safety"),
            private=True,
            **stamp,
        ),
        Attestation(
            uid=uid(18),
            date=date(2026, 2, 28),
            attestation_kind=c.AttestationKind.CONFIRMATION,
            by_name="Dr Fiona Brown",
            by_role="Line manager",
            by_registration="NMC 12A3456E",
            confirmer_category=c.ConfirmerCategory.NMC_LINE_MANAGER,
            by_email="fiona.brown@example.org",
            by_address="Royal Infirmary, 51 Little France Crescent, Edinburgh EH16 4SA",  # 0007
            **stamp,
        ),
    ]


CERTIFICATE = b"%PDF-1.4\n% a small certificate stand-in\n" + bytes(range(256))


def attachment() -> Attachment:
    return Attachment(
        uid=uid(19),
        owner_uid=uid(12),
        filename="certificate.pdf",
        media_type="application/pdf",
        size=len(CERTIFICATE),
        sha256=hashlib.sha256(CERTIFICATE).hexdigest(),
        label="CPD certificate",
        created_at=WHEN,
        updated_at=WHEN,
    )


def add_signoff(db: Database) -> None:
    """Sign-off rows (schema 0002): signatures in person, a signed period summary, a request."""
    import os
    import tempfile

    from logbook.domain.identity import KdfParameters
    from logbook.domain.periods import Period
    from logbook.domain.records import RecordKind
    from logbook.services.locations import DataLocation
    from logbook.services.logbook import Logbook

    with tempfile.TemporaryDirectory() as folder:
        logbook = Logbook(db, DataLocation(Path(folder)))
        passphrase = "schema file passphrase"
        identity = logbook.signoff.identities.create(
            "Dr Aoife Ní Bhriain",
            passphrase,
            registration_body="HCPC",
            registration_number="PYL01234",
            organisation="NHS Lothian",
            kdf=KdfParameters(salt=os.urandom(16), memory_kib=8192, iterations=1),
        )
        sessions = logbook.records.all(RecordKind.SUPERVISION)
        logbook.signoff.sign(sessions[:1], identity, passphrase)
        summary = logbook.signoff.create_summary(
            RecordKind.PRACTICE, Period(date(2026, 3, 1), date(2026, 3, 31))
        ).summary
        logbook.signoff.sign([summary], identity, passphrase)
        logbook.signoff.create_request(
            sessions[1:], Path(folder) / "request.json", supervisor_name="Dr Aoife Ní Bhriain"
        )
        if db_revision(db) >= "0003":
            receipt = _receipt_from_someone_else(Path(folder), identity, passphrase)
            logbook.signed_by_me.import_receipt(receipt)


def _receipt_from_someone_else(folder: Path, identity: Any, passphrase: str) -> Path:
    """The owner, as a supervisor, signs a session in another practitioner's logbook in person
    (schema 0003: the "signed by me" register)."""
    from logbook.services.locations import DataLocation
    from logbook.services.logbook import Logbook

    other = Logbook.open(DataLocation(folder / "other"))
    try:
        other.records.create(Profile(name="Morag Stewart"))
        person = other.records.create(Person(name="Dr Aoife Ní Bhriain")).record
        session = SupervisionSession(
            date=date(2026, 3, 2), duration_minutes=60, counterpart_uid=person.uid
        )
        entry = other.records.create(session).record
        result = other.signoff.sign([entry], identity, passphrase, confirm_for=person.uid)
        receipt = folder / "receipt.signoff-receipt.json"
        other.signoff.save_receipt(result, receipt)
        return receipt
    finally:
        other.close()


def add_histories(db: Database) -> None:
    """Histories, a deletion and a merge conflict (schema 0004): a feedback entry edited on
    another copy as well as here, and a practice entry deleted."""
    import dataclasses

    from logbook.domain.codec import encode
    from logbook.domain.records import RecordKind
    from logbook.domain.versions import ConflictReason, content_version
    from logbook.storage import history_repository as history

    with db.transaction() as session:
        feedback = repo.get(session, RecordKind.FEEDBACK, uid(16))
        earlier = dataclasses.replace(feedback, summary="Clear plans")
        history.remember(session, feedback.uid, [content_version(earlier)])
        theirs = dataclasses.replace(feedback, summary="Clear risk plans, well documented")
        history.add_conflict(
            session,
            kind=RecordKind.FEEDBACK,
            uid=feedback.uid,
            reason=ConflictReason.EDITED_ON_BOTH,
            version=content_version(theirs),
            history=[content_version(earlier)],
            theirs=encode(theirs),
            deleted_at=None,
            source="laptop-export.json",
            arrived_at=WHEN,
        )
        repo.delete(session, RecordKind.PRACTICE, uid(11), at=WHEN)


def add_allowances(db: Database) -> None:
    """A privacy finding kept on an entry (schema 0005)."""
    from logbook.domain.allowances import Allowance, Door, fingerprint
    from logbook.storage import allowance_repository as allowances

    digest = fingerprint(uid(7), "reflection", "client Sarah")
    with db.transaction() as session:
        allowances.add(session, [Allowance(uid(7), "reflection", digest, "name", Door.FORM, WHEN)])


def db_revision(db: Database) -> str:
    with db.reading() as session:
        return str(session.execute(text("SELECT version_num FROM alembic_version")).scalar())


def build(revision: str, target: Path) -> None:
    target.unlink(missing_ok=True)
    sqlite.create_private_file(target)
    engine = sqlite.create_sqlite_engine(target)
    try:
        # The logbook's id comes first: later migrations sign with it.
        upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO logbook_meta (key, value) VALUES "
                f"('logbook_id', '{uid(999)}'), ('created_at', '{WHEN.isoformat()}')"
            )
        upgrade(engine, revision)
        db = Database(target, engine, uid(999))
        with db.transaction() as session:
            repo.insert_many(session, records())
            repo.store_blob(session, attachment().sha256, CERTIFICATE)
            repo.insert_many(session, [attachment()])
        if revision >= "0002":
            add_signoff(db)
        if revision >= "0004":
            add_histories(db)
        if revision >= "0005":
            add_allowances(db)
    finally:
        engine.dispose()
    sqlite.settle(target)
    with sqlite.connection(target, read_only=True) as conn:
        empty = [t for t, n in sqlite.table_counts(conn, sqlite.user_tables(conn)).items() if not n]
    if empty:
        sys.exit(f"{target.name}: no rows in {', '.join(empty)}; add them to this script")
    print(f"saved {target}")


if __name__ == "__main__":
    wanted = sys.argv[1] if len(sys.argv) > 1 else "0001"
    build(wanted, HERE / f"logbook-schema-{wanted}.sqlite")
