"""More fields the professional bodies' forms ask for: a supervision session's arrangement,
settings covered and, for a group, the supervisees contracted and the colleagues in it; the end
of a period of practice, its NMC registration and a reflection on it; an organisation's and a
confirmer's address; a CPD activity's participatory part and whether it was CBT-related; a
retreat agreed with the supervisor; a pathway's training hours; a course taught to a clinical
population; a registration's indemnity; and counselling skills work as a practice activity.

A logbook saved before they existed opens with them empty and keeps its signatures; each is kept
through the form, storage, the JSON export and CSV import; bad values are refused saying where;
a private practice reflection stays out of what is exported.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import random
import re
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, event

from logbook.domain import choices as c
from logbook.domain.catalogue import empty_later_fields
from logbook.domain.codec import encode
from logbook.domain.errors import ConflictError, ValidationError
from logbook.domain.findings import Status
from logbook.domain.periods import Period
from logbook.domain.records import (
    Attestation,
    CpdActivity,
    Organisation,
    Pathway,
    Person,
    PersonalPractice,
    PracticeEntry,
    Profile,
    Record,
    RecordKind,
    Registration,
    SupervisionSession,
    TeachingCourse,
)
from logbook.domain.requirements.model import CoverageParams, Rule, Selector, Source
from logbook.domain.requirements.model import PackSettings as Settings
from logbook.domain.requirements.rules import check_rule
from logbook.domain.signing import record_digest, signed_content
from logbook.domain.validation import validate
from logbook.domain.versions import content_version
from logbook.services import demo
from logbook.services.exchange import export_json, import_json
from logbook.services.imports import import_csv
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.services.privacy import IdentifiersFoundError
from logbook.storage.database import alembic_config, foreign_keys_off
from logbook.ui.editors import RecordEditorDialog, open_editor
from logbook.ui.editors.fields import ReferenceListEditor
from logbook.ui.list_export_dialog import CsvExportDialog
from tests.cli_support import RunCli
from tests.editor_helpers import ServiceHost, show
from tests.ui_helpers import open_window

K = RecordKind
DATA = Path(__file__).parent / "data"
BEFORE = sorted(p for p in DATA.glob("logbook-schema-*.sqlite") if p.stem[-4:] < "0007")
CLIENT = "Helped client Sarah Jones sleep better"
TRUST_ADDRESS = "Fulwood House, Old Fulwood Road, Sheffield S10 3TH"

# Each kind's new fields, with what they hold in a logbook saved before they existed.
EMPTY: dict[RecordKind, dict[str, object]] = {
    K.ORGANISATION: {"address": ""},
    K.SUPERVISION: {
        "arrangement": "",
        "group_contracted_size": None,
        "group_member_uids": (),
        "settings": (),
    },
    K.PRACTICE: {
        "end_date": None,
        "nmc_registration": None,
        "reflection": "",
        "reflection_private": True,
    },
    K.COURSE: {"clinical_population": False},
    K.CPD: {"participatory_minutes": None, "cbt_related": False},
    K.PERSONAL_PRACTICE: {"supervisor_agreed": False},
    K.PATHWAY: {"training_hours": None},
    K.ATTESTATION: {"by_address": ""},
}
# The fields a schema 0006 logbook has, for the migration checks.
ADDED_COLUMNS = {
    "organisation": {"address"},
    "supervision": {"arrangement", "group_contracted_size", "group_member_uids", "settings"},
    "practice": {"end_date", "nmc_registration", "reflection", "reflection_private"},
    "course": {"clinical_population"},
    "cpd": {"participatory_minutes", "cbt_related"},
    "personal_practice": {"supervisor_agreed"},
    "pathway": {"training_hours"},
    "attestation": {"by_address"},
}


def people() -> tuple[Person, Person, Person]:
    """A supervisor and two colleagues in their group."""
    return Person(name="Dr Amira Shah"), Person(name="Kwame Asante"), Person(name="Lucy Brennan")


def filled(members: tuple[Person, ...] = ()) -> list[Record]:
    """One record of each kind with every new field filled in (``members`` are its group)."""
    supervisor, *colleagues = members or people()
    return [
        Organisation(name="Sheffield Health and Social Care NHS FT", address=TRUST_ADDRESS),
        SupervisionSession(
            date=date(2026, 3, 2),
            duration_minutes=90,
            counterpart_uid=supervisor.uid,
            arrangement="Monthly group, A Shah",
            format=c.SupervisionFormat.GROUP,
            group_size=3,
            group_contracted_size=5,
            group_member_uids=tuple(p.uid for p in colleagues),
            setting=c.Setting.COMMUNITY,
            settings=(c.Setting.COMMUNITY, c.Setting.UNIVERSITY),
        ),
        PracticeEntry(
            date=date(2026, 4, 1),
            end_date=date(2026, 6, 30),
            duration_minutes=450 * 60,
            nmc_registration=c.NmcRegistration.NURSE_SCPHN,
            reflection="Full time on the ward; handovers got easier.",
            reflection_private=False,
        ),
        TeachingCourse(title="MBCT spring", start_date=date(2026, 3, 3), clinical_population=True),
        CpdActivity(
            start_date=date(2026, 3, 4),
            title="CBT for insomnia",
            duration_minutes=360,
            participatory_minutes=240,
            cbt_related=True,
        ),
        PersonalPractice(
            start_date=date(2026, 3, 6),
            end_date=date(2026, 3, 7),
            practice_kind=c.PersonalPracticeKind.RETREAT,
            mode=c.RetreatMode.HOME,
            days=2.0,
            supervisor_agreed=True,
        ),
        Pathway(title="Teacher training", training_hours=120.5),
        Attestation(
            date=date(2026, 3, 5),
            attestation_kind=c.AttestationKind.CONFIRMATION,
            by_name="Angela Brooks",
            by_address=TRUST_ADDRESS,
        ),
    ]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _columns(path: Path) -> dict[str, list[str]]:
    with sqlite3.connect(path) as conn:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        found = {t: [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')] for t in tables}
    conn.close()
    return found


# --- what the new fields mean ------------------------------------------------------------------


def test_a_session_covers_its_settings_or_else_its_one_setting() -> None:
    session = SupervisionSession(date=date(2026, 3, 2), duration_minutes=60)
    assert session.effective_settings == ()
    one = dataclasses.replace(session, setting=c.Setting.PRISON)
    assert one.effective_settings == (c.Setting.PRISON,)
    several = dataclasses.replace(one, settings=(c.Setting.SCHOOL, c.Setting.COMMUNITY))
    assert several.effective_settings == (c.Setting.SCHOOL, c.Setting.COMMUNITY)


def test_the_participatory_part_is_all_or_nothing_unless_recorded() -> None:
    activity = CpdActivity(start_date=date(2026, 3, 4), title="Conference", duration_minutes=360)
    assert activity.effective_participatory_minutes == 360
    alone = dataclasses.replace(activity, participatory=False)
    assert alone.effective_participatory_minutes == 0
    part = dataclasses.replace(activity, participatory_minutes=120)
    assert part.effective_participatory_minutes == 120


def test_the_new_vocabularies_read_as_the_bodies_word_them() -> None:
    assert [(m.value, m.label) for m in c.NmcRegistration] == [
        ("registered_nurse", "Registered nurse"),
        ("midwife", "Midwife"),
        ("nursing_associate", "Nursing associate"),
        ("nurse_scphn", "Registered nurse/SCPHN"),
        ("midwife_scphn", "Midwife/SCPHN"),
    ]
    assert [(m.value, m.label) for m in c.Indemnity] == [
        ("employer", "Through my employer"),
        ("professional_body", "Through membership of a professional body"),
        ("private_insurance", "Private insurance arrangement"),
    ]
    assert c.PracticeActivity.COUNSELLING_SKILLS.label == "Counselling skills work"
    assert not c.PracticeActivity.COUNSELLING_SKILLS.contact_only


def test_a_session_covering_two_settings_supervises_both() -> None:
    params = CoverageParams(
        count=Selector(K.PRACTICE, measure="count", label="practice"),
        by=Selector(K.SUPERVISION, measure="count", label="supervision"),
    )
    rule = Rule(
        "rule",
        "Each setting",
        "coverage",
        "Each setting supervised",
        Source("test", "Test", "https://example.org", date(2026, 1, 5)),
        params,
    )
    records: list[Record] = [
        PracticeEntry(date=date(2025, 1, 6), duration_minutes=50, setting=c.Setting.COMMUNITY),
        PracticeEntry(date=date(2025, 2, 6), duration_minutes=50, setting=c.Setting.UNIVERSITY),
        SupervisionSession(
            date=date(2025, 1, 7),
            duration_minutes=60,
            setting=c.Setting.COMMUNITY,
            settings=(c.Setting.COMMUNITY, c.Setting.UNIVERSITY),
        ),
    ]
    findings = check_rule(
        rule, records, today=date(2026, 11, 22), settings=Settings(), requested=Period(), cycle=None
    )
    assert {f.label: f.status for f in findings} == {
        "community / third sector": Status.MET,
        "university": Status.MET,
    }


# --- older logbooks ----------------------------------------------------------------------------


@pytest.mark.parametrize("saved", BEFORE, ids=[p.stem[-4:] for p in BEFORE])
def test_an_older_logbook_opens_with_the_new_fields_empty_and_its_signatures_valid(
    saved: Path, tmp_path: Path
) -> None:
    location = DataLocation(tmp_path / "logbook")
    location.root.mkdir()
    shutil.copyfile(saved, location.database)
    logbook = Logbook.open(location)
    try:
        assert logbook.db.upgraded_from == saved.stem[-4:]
        for kind, empty in EMPTY.items():
            found = logbook.records.all(kind)
            assert found, f"the saved logbook has no {kind.value} to read"
            for record in found:
                assert {name: getattr(record, name) for name in empty} == empty
                assert set(empty) <= empty_later_fields(record)
        profile = logbook.records.profile()
        assert profile is not None
        assert all(r.indemnity is None and not r.indemnity_provider for r in profile.registrations)
        assert "indemnity" not in json.dumps(encode(profile))
        report = logbook.signoff.verify_all()
        assert report.ok, "\n".join(report.lines())
        if saved.stem[-4:] >= "0002":  # sign-off came with schema 0002
            assert report.valid_count >= 1
        assert logbook.integrity.check().ok
    finally:
        logbook.close()


def test_upgrading_a_0006_logbook_only_adds_columns(tmp_path: Path) -> None:
    saved = DATA / "logbook-schema-0006.sqlite"
    path = tmp_path / "logbook.sqlite"
    shutil.copyfile(saved, path)
    engine = create_engine(f"sqlite:///{path}")
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2].upper()))
    try:
        with engine.connect() as conn, foreign_keys_off(conn):
            config = alembic_config(engine)
            config.attributes["connection"] = conn
            with conn.begin():
                command.upgrade(config, "0007")
    finally:
        engine.dispose()
    changes = [
        s
        for s in statements
        if s.lstrip().startswith(("ALTER", "CREATE", "DROP", "INSERT", "UPDATE", "DELETE"))
    ]
    assert changes, "the upgrade ran"
    assert all(s.lstrip().startswith("ALTER TABLE") and "ADD COLUMN" in s for s in changes[:-1])
    assert "UPDATE ALEMBIC_VERSION" in changes[-1]  # the one row written: the schema's revision
    before, after = _columns(saved), _columns(path)
    for table, added in ADDED_COLUMNS.items():
        assert after[table][: len(before[table])] == before[table]
        assert set(after[table]) - set(before[table]) == added
    for table in set(before) - set(ADDED_COLUMNS):
        assert after[table] == before[table]


def test_the_upgrade_can_be_undone_to_schema_0006(tmp_path: Path) -> None:
    saved = DATA / "logbook-schema-0006.sqlite"
    path = tmp_path / "logbook.sqlite"
    shutil.copyfile(saved, path)
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn, foreign_keys_off(conn):
            config = alembic_config(engine)
            config.attributes["connection"] = conn
            with conn.begin():
                command.upgrade(config, "0007")
            assert "group_member_uids" in _columns(path)["supervision"]
            with conn.begin():
                command.downgrade(config, "0006")
    finally:
        engine.dispose()
    assert _columns(path) == _columns(saved)
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT count(*) FROM practice").fetchone() == (2,)
    raw.close()


def test_the_newest_saved_logbook_keeps_the_new_fields(tmp_path: Path) -> None:
    location = DataLocation(tmp_path / "logbook")
    location.root.mkdir()
    shutil.copyfile(DATA / "logbook-schema-0007.sqlite", location.database)
    logbook = Logbook.open(location)
    try:
        assert logbook.db.upgraded_from is None
        [organisation] = [o for o in logbook.records.all(K.ORGANISATION) if o.address]  # type: ignore[attr-defined]
        assert organisation.address.endswith("Edinburgh EH10 5HF")  # type: ignore[attr-defined]
        group = next(
            s
            for s in logbook.records.all(K.SUPERVISION)
            if isinstance(s, SupervisionSession) and s.group_member_uids
        )
        assert group.group_contracted_size == 6
        [member] = group.group_member_uids
        assert logbook.records.get(K.PERSON, member).name == "Sam Okafor"  # type: ignore[attr-defined]
        retreat = next(
            p
            for p in logbook.records.all(K.PERSONAL_PRACTICE)
            if isinstance(p, PersonalPractice) and p.supervisor_agreed
        )
        assert not retreat.teacher_led
        profile = logbook.records.profile()
        assert profile is not None
        assert profile.registrations[0].indemnity is c.Indemnity.PROFESSIONAL_BODY
        # The group session with its members is the one signed in the saved file.
        report = logbook.signoff.verify_all()
        assert report.ok, "\n".join(report.lines())
    finally:
        logbook.close()


# --- signatures, versions and storage ----------------------------------------------------------


def test_empty_new_fields_are_not_signed_and_filled_ones_are() -> None:
    for record in filled():
        emptied = dataclasses.replace(record, **EMPTY[record.kind])  # type: ignore[arg-type]
        assert content_version(record) != content_version(emptied)
        assert not set(EMPTY[record.kind]) & set(encode_without_bookkeeping(emptied, record))
        if record.kind in (K.ORGANISATION,):
            continue  # organisations are not signed
        content = signed_content(record)
        assert not set(EMPTY[record.kind]) & set(signed_content(emptied))
        assert record_digest(record) != record_digest(emptied)
        shown = {k for k in EMPTY[record.kind] if k != "reflection_private"}
        assert shown <= set(content), record.kind


def encode_without_bookkeeping(record: Record, filled_in: Record) -> dict[str, Any]:
    """The fields counted in ``record``'s version that are among ``filled_in``'s new ones."""
    left_out = empty_later_fields(record)
    return {
        k: v for k, v in encode(record).items() if k in EMPTY[filled_in.kind] and k not in left_out
    }


def test_a_private_practice_reflection_is_not_signed() -> None:
    entry = PracticeEntry(date=date(2026, 3, 3), duration_minutes=50, reflection="My own words")
    assert "reflection" not in signed_content(entry)
    shared = dataclasses.replace(entry, reflection_private=False)
    assert signed_content(shared)["reflection"] == "My own words"


def test_a_registration_without_an_indemnity_keeps_the_profiles_version() -> None:
    before = Profile(name="Rebecca Thornton", registrations=(Registration(body="NMC"),))
    assert "indemnity" not in encode(before)["registrations"][0]
    covered = dataclasses.replace(
        before,
        registrations=(Registration(body="NMC", indemnity=c.Indemnity.EMPLOYER),),
    )
    assert encode(covered)["registrations"][0]["indemnity"] == "employer"
    assert content_version(covered) != content_version(before)


def test_every_new_field_is_stored_and_read_back(logbook: Logbook) -> None:
    members = people()
    records = [*members, *filled(members)]
    logbook.records.create_many(records)
    profile = Profile(
        name="Rebecca Thornton",
        registrations=(
            Registration(
                body="NMC",
                number="11A2763E",
                indemnity=c.Indemnity.PRIVATE_INSURANCE,
                indemnity_provider="Medical insurers plc",
            ),
        ),
    )
    logbook.records.create(profile)
    for record in [*records, profile]:
        assert logbook.records.get(record.kind, record.uid) == record


def test_a_group_member_cannot_be_deleted_while_a_session_names_them(logbook: Logbook) -> None:
    members = people()
    logbook.records.create_many([*members, *filled(members)])
    with pytest.raises(ConflictError, match="still used by 1 supervision"):
        logbook.records.delete(K.PERSON, members[1].uid)
    assert logbook.records.get(K.PERSON, members[1].uid) == members[1]


def test_a_session_naming_someone_not_in_the_logbook_is_refused(logbook: Logbook) -> None:
    supervisor, colleague, _ = people()
    logbook.records.create(supervisor)
    session = next(r for r in filled() if isinstance(r, SupervisionSession))
    stray = dataclasses.replace(
        session, counterpart_uid=supervisor.uid, group_member_uids=(colleague.uid,)
    )
    with pytest.raises(ValidationError) as caught:
        logbook.records.create(stray)
    assert [p.field for p in caught.value.problems] == ["group_member_uids"]
    assert "the person it refers to does not exist" in caught.value.problems[0].message


# --- validation --------------------------------------------------------------------------------


def _problems(record: Record) -> dict[str, str]:
    return {p.field: p.message for p in validate(record)}


def test_bad_values_are_refused_with_clear_messages() -> None:
    supervisor, colleague, _ = people()
    session = SupervisionSession(
        date=date(2026, 3, 2), duration_minutes=60, counterpart_uid=supervisor.uid
    )
    assert _problems(dataclasses.replace(session, group_member_uids=(colleague.uid,))) == {
        "group_member_uids": "group members only apply to group supervision"
    }
    assert _problems(dataclasses.replace(session, group_contracted_size=4)) == {
        "group_contracted_size": "supervisees contracted only apply to group supervision"
    }
    group = dataclasses.replace(session, format=c.SupervisionFormat.GROUP, group_size=3)
    assert (
        "leave them out"
        in _problems(dataclasses.replace(group, group_member_uids=(supervisor.uid,)))[
            "group_member_uids"
        ]
    )
    assert _problems(dataclasses.replace(group, group_member_uids=(colleague.uid,) * 2)) == {
        "group_member_uids": "each group member is listed once"
    }
    assert _problems(dataclasses.replace(group, group_contracted_size=51)) == {
        "group_contracted_size": "supervisees contracted must be between 2 and 50"
    }

    entry = PracticeEntry(date=date(2026, 4, 1), duration_minutes=50)
    assert _problems(dataclasses.replace(entry, end_date=date(2026, 3, 31))) == {
        "end_date": "the end of the period is before its first day"
    }
    # A period may hold up to 24 hours a day of it; a single day no more than 24 hours.
    period = dataclasses.replace(entry, end_date=date(2026, 4, 30), duration_minutes=450 * 60)
    assert _problems(period) == {}
    assert "duration" in _problems(dataclasses.replace(entry, duration_minutes=450 * 60))

    activity = CpdActivity(start_date=date(2026, 3, 4), title="Course", duration_minutes=120)
    assert _problems(dataclasses.replace(activity, participatory_minutes=121)) == {
        "participatory_minutes": "the participatory part must be between 0 and the activity's "
        "120 minutes"
    }
    alone = dataclasses.replace(activity, participatory=False, participatory_minutes=60)
    assert _problems(alone) == {
        "participatory_minutes": "an activity that was not participatory has no participatory part"
    }

    retreat = PersonalPractice(
        start_date=date(2026, 3, 6),
        practice_kind=c.PersonalPracticeKind.RETREAT,
        days=1.0,
        teacher_led=True,
        supervisor_agreed=True,
    )
    assert _problems(retreat) == {
        "supervisor_agreed": "only a retreat without a teacher is agreed with your supervisor"
    }
    assert _problems(Pathway(title="Training", training_hours=12.3)) == {
        "training_hours": "training hours must be a whole or half number from 0 to 10,000"
    }
    assert _problems(Pathway(title="Training", training_hours=-1.0)) == {
        "training_hours": "training hours must be a whole or half number from 0 to 10,000"
    }


# --- the forms ---------------------------------------------------------------------------------


def _editor(
    qtbot: QtBot, logbook: Logbook, kind: RecordKind, record: Record | None = None
) -> RecordEditorDialog:
    dialog = open_editor(kind, logbook, ServiceHost(logbook), record)
    assert isinstance(dialog, RecordEditorDialog)
    show(qtbot, dialog)
    return dialog


def _type(qtbot: QtBot, dialog: RecordEditorDialog, name: str, text: str) -> None:
    widget = dialog.form.editor(name).focus_widget
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def _choose(dialog: RecordEditorDialog, name: str, value: c.Choice) -> None:
    combo = dialog.form.editor(name).focus_widget
    combo.setCurrentIndex(combo.findData(value.value))  # type: ignore[attr-defined]


def _tick(dialog: RecordEditorDialog, name: str, on: bool = True) -> None:
    box = dialog.form.editor(name).focus_widget
    box.setChecked(on)  # type: ignore[attr-defined]


def _saved(dialog: RecordEditorDialog) -> Record:
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.banner.text.text()
    (saved,) = dialog.saved
    return saved


def _reopened(qtbot: QtBot, logbook: Logbook, saved: Record) -> Record:
    """The record as stored, after checking its form reads it back unchanged."""
    stored = logbook.records.get(saved.kind, saved.uid)
    assert _editor(qtbot, logbook, saved.kind, stored).form.collect() == (stored, [])
    return stored


def test_a_group_session_keeps_its_arrangement_members_size_and_settings(
    qtbot: QtBot, logbook: Logbook
) -> None:
    supervisor, amy, ben = people()
    logbook.records.create_many([supervisor, amy, ben])
    dialog = _editor(qtbot, logbook, K.SUPERVISION)
    form = dialog.form
    assert not form.rows["group_member_uids"].isVisible()  # a one-to-one session has no group
    _type(qtbot, dialog, "arrangement", "Monthly group, A Shah")
    _choose(dialog, "format", c.SupervisionFormat.GROUP)
    assert form.rows["group_member_uids"].isVisible()
    assert form.rows["group_contracted_size"].isVisible()
    contracted = form.editor("group_contracted_size").focus_widget
    assert contracted.text() == "— not recorded —"  # type: ignore[attr-defined]
    contracted.setValue(6)  # type: ignore[attr-defined]
    members = form.editor("group_member_uids")
    assert isinstance(members, ReferenceListEditor)
    for person in (ben, amy, ben):  # Ben twice: added once
        members.combo.setCurrentIndex(members.combo.findData(person.uid))
        members.add_button.click()
    assert members.combo.currentData() is None  # the picker is ready for the next one
    assert [chip.text() for _, chip in members.chips] == ["Lucy Brennan  ✕", "Kwame Asante  ✕"]
    _type(qtbot, dialog, "settings", "Community / third sector, university")
    stored = _reopened(qtbot, logbook, _saved(dialog))
    assert isinstance(stored, SupervisionSession)
    assert stored.arrangement == "Monthly group, A Shah"
    assert stored.group_contracted_size == 6
    assert stored.group_member_uids == (ben.uid, amy.uid)
    assert stored.settings == (c.Setting.COMMUNITY, c.Setting.UNIVERSITY)
    assert stored.effective_settings == (c.Setting.COMMUNITY, c.Setting.UNIVERSITY)


def test_a_member_is_removed_with_their_button_and_an_individual_session_keeps_none(
    qtbot: QtBot, logbook: Logbook
) -> None:
    members_ = people()
    logbook.records.create_many(list(members_))
    session = next(r for r in filled(members_) if isinstance(r, SupervisionSession))
    logbook.records.create(session)
    dialog = _editor(qtbot, logbook, K.SUPERVISION, session)
    members = dialog.form.editor("group_member_uids")
    assert isinstance(members, ReferenceListEditor)
    [(_, first), _second] = members.chips
    assert first.accessibleName() == "Remove Kwame Asante from Group members"
    first.click()
    assert members.read() == {"group_member_uids": (members_[2].uid,)}
    _choose(dialog, "format", c.SupervisionFormat.INDIVIDUAL)
    stored = _saved(dialog)
    assert isinstance(stored, SupervisionSession)
    assert (stored.group_member_uids, stored.group_contracted_size) == ((), None)


def test_a_period_of_practice_its_registration_and_a_private_reflection_are_kept(
    qtbot: QtBot, logbook: Logbook
) -> None:
    dialog = _editor(qtbot, logbook, K.PRACTICE)
    date_field = dialog.form.editor("date").focus_widget
    date_field.setFocus()
    date_field.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(date_field, "01/04/2026")
    _type(qtbot, dialog, "end_date", "30/06/2026")
    duration = dialog.form.editor("duration_minutes").focus_widget
    duration.clear()  # type: ignore[attr-defined]
    _type(qtbot, dialog, "duration_minutes", "450h")
    _choose(dialog, "activity", c.PracticeActivity.COUNSELLING_SKILLS)
    _choose(dialog, "nmc_registration", c.NmcRegistration.REGISTERED_NURSE)
    _type(qtbot, dialog, "reflection", "Held the silence longer than last week.")
    stored = _reopened(qtbot, logbook, _saved(dialog))
    assert isinstance(stored, PracticeEntry)
    assert (stored.date, stored.end_date) == (date(2026, 4, 1), date(2026, 6, 30))
    assert stored.duration_minutes == 450 * 60
    assert stored.activity is c.PracticeActivity.COUNSELLING_SKILLS
    assert stored.nmc_registration is c.NmcRegistration.REGISTERED_NURSE
    assert stored.reflection == "Held the silence longer than last week."
    assert stored.reflection_private is True, "a reflection starts private"


def test_a_period_ending_in_the_future_is_refused_by_the_form(
    qtbot: QtBot, logbook: Logbook
) -> None:
    dialog = _editor(qtbot, logbook, K.PRACTICE)
    later = date.today() + timedelta(days=10)
    _type(qtbot, dialog, "end_date", later.strftime("%d/%m/%Y"))
    dialog.save_button.click()
    assert "cannot end in the future" in dialog.form.problem_text("end_date")
    assert logbook.records.count(K.PRACTICE) == 0


def test_a_client_named_in_a_practice_reflection_is_refused_by_the_form(
    qtbot: QtBot, logbook: Logbook
) -> None:
    dialog = _editor(qtbot, logbook, K.PRACTICE)
    _type(qtbot, dialog, "reflection", CLIENT)
    dialog.save_button.click()
    assert "may identify a client" in dialog.banner.text.text()
    assert logbook.records.count(K.PRACTICE) == 0


def test_an_organisations_address_with_its_postcode_is_kept_without_a_warning(
    qtbot: QtBot, logbook: Logbook
) -> None:
    dialog = _editor(qtbot, logbook, K.ORGANISATION)
    _type(qtbot, dialog, "name", "Sheffield Health and Social Care NHS FT")
    _type(qtbot, dialog, "address", TRUST_ADDRESS)
    assert "address" not in {guard.field_name for guard in dialog.form.guards}
    stored = _reopened(qtbot, logbook, _saved(dialog))
    assert isinstance(stored, Organisation)
    assert stored.address == TRUST_ADDRESS
    assert logbook.privacy.allowances(stored.uid) == []


def test_a_confirmers_address_is_kept(qtbot: QtBot, logbook: Logbook) -> None:
    dialog = _editor(qtbot, logbook, K.ATTESTATION)
    _type(qtbot, dialog, "by_name", "Angela Brooks")
    _type(qtbot, dialog, "by_address", TRUST_ADDRESS)
    assert "by_address" not in {guard.field_name for guard in dialog.form.guards}
    stored = _reopened(qtbot, logbook, _saved(dialog))
    assert isinstance(stored, Attestation)
    assert stored.by_address == TRUST_ADDRESS


def test_a_course_for_a_clinical_population_is_kept(qtbot: QtBot, logbook: Logbook) -> None:
    dialog = _editor(qtbot, logbook, K.COURSE)
    _type(qtbot, dialog, "title", "MBCT for recurrent depression")
    _tick(dialog, "clinical_population")
    stored = _reopened(qtbot, logbook, _saved(dialog))
    assert isinstance(stored, TeachingCourse)
    assert stored.clinical_population is True


def test_the_participatory_part_and_cbt_flag_are_kept_from_the_cpd_form(
    qtbot: QtBot, logbook: Logbook
) -> None:
    dialog = _editor(qtbot, logbook, K.CPD)
    form = dialog.form
    _type(qtbot, dialog, "title", "BABCP conference")
    _type(qtbot, dialog, "duration_minutes", "6h")
    assert form.rows["participatory_minutes"].isVisible()
    _type(qtbot, dialog, "participatory_minutes", "2:30")
    _tick(dialog, "cbt_related")
    stored = _reopened(qtbot, logbook, _saved(dialog))
    assert isinstance(stored, CpdActivity)
    assert (stored.participatory_minutes, stored.cbt_related) == (150, True)
    assert stored.effective_participatory_minutes == 150

    again = _editor(qtbot, logbook, K.CPD, stored)
    _tick(again, "participatory", on=False)  # not participatory: no participatory part
    assert not again.form.rows["participatory_minutes"].isVisible()
    alone = _saved(again)
    assert isinstance(alone, CpdActivity)
    assert alone.participatory_minutes is None
    assert alone.effective_participatory_minutes == 0


def test_a_participatory_part_longer_than_the_activity_is_refused_by_the_form(
    qtbot: QtBot, logbook: Logbook
) -> None:
    dialog = _editor(qtbot, logbook, K.CPD)
    _type(qtbot, dialog, "title", "Workshop")
    _type(qtbot, dialog, "duration_minutes", "2h")
    _type(qtbot, dialog, "participatory_minutes", "3h")
    dialog.save_button.click()
    assert "between 0 and the activity's 120 minutes" in dialog.form.problem_text(
        "participatory_minutes"
    )
    assert logbook.records.count(K.CPD) == 0


def test_a_solitary_retreat_agreed_with_the_supervisor_is_kept(
    qtbot: QtBot, logbook: Logbook
) -> None:
    dialog = _editor(qtbot, logbook, K.PERSONAL_PRACTICE)
    form = dialog.form
    assert not form.rows["supervisor_agreed"].isVisible()  # daily practice
    _choose(dialog, "practice_kind", c.PersonalPracticeKind.RETREAT)
    assert form.rows["supervisor_agreed"].isVisible()
    _tick(dialog, "teacher_led")
    assert not form.rows["supervisor_agreed"].isVisible()  # a teacher led it
    _tick(dialog, "teacher_led", on=False)
    _tick(dialog, "supervisor_agreed")
    stored = _reopened(qtbot, logbook, _saved(dialog))
    assert isinstance(stored, PersonalPractice)
    assert (stored.teacher_led, stored.supervisor_agreed) == (False, True)


def test_a_pathways_training_hours_are_kept_or_left_unrecorded(
    qtbot: QtBot, logbook: Logbook
) -> None:
    dialog = _editor(qtbot, logbook, K.PATHWAY)
    _type(qtbot, dialog, "title", "Teacher training")
    spin = dialog.form.editor("training_hours").focus_widget
    assert spin.text() == "— not recorded —"  # type: ignore[attr-defined]
    unrecorded = _saved(dialog)
    assert isinstance(unrecorded, Pathway)
    assert unrecorded.training_hours is None

    dialog = _editor(qtbot, logbook, K.PATHWAY, unrecorded)
    spin = dialog.form.editor("training_hours").focus_widget
    spin.setValue(120.5)  # type: ignore[attr-defined]
    stored = _reopened(qtbot, logbook, _saved(dialog))
    assert isinstance(stored, Pathway)
    assert stored.training_hours == 120.5


def test_a_registrations_indemnity_is_kept_from_the_profile_form(
    qtbot: QtBot, logbook: Logbook
) -> None:
    logbook.records.create(
        Profile(name="Rebecca Thornton", registrations=(Registration(body="NMC"),))
    )
    dialog = open_editor(K.PROFILE, logbook, ServiceHost(logbook))
    show(qtbot, dialog)
    assert isinstance(dialog, RecordEditorDialog)
    rows = dialog.form.editor("registrations")
    [(_, editors, _)] = rows.rows  # type: ignore[attr-defined]
    by_name = {e.spec.name: e for e in editors}
    combo = by_name["indemnity"].focus_widget
    combo.setCurrentIndex(combo.findData(c.Indemnity.PROFESSIONAL_BODY.value))
    by_name["indemnity_provider"].focus_widget.setFocus()
    qtbot.keyClicks(by_name["indemnity_provider"].focus_widget, "Union indemnity scheme")
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.banner.text.text()
    profile = logbook.records.profile()
    assert profile is not None
    [registration] = profile.registrations
    assert registration.indemnity is c.Indemnity.PROFESSIONAL_BODY
    assert registration.indemnity_provider == "Union indemnity scheme"


# --- JSON export and import --------------------------------------------------------------------


def test_the_new_fields_travel_through_a_json_export(logbook: Logbook, tmp_path: Path) -> None:
    members = people()
    records = [*members, *filled(members)]
    logbook.records.create_many(records)
    profile = Profile(
        name="Rebecca Thornton",
        registrations=(
            Registration(body="NMC", indemnity=c.Indemnity.EMPLOYER),
            Registration(body="BABCP"),
        ),
    )
    logbook.records.create(profile)
    exported = tmp_path / "export.json"
    export_json(logbook.db, exported)
    document = json.loads(exported.read_text(encoding="utf-8"))
    written = next(r for r in document["records"] if r["kind"] == "profile")
    assert written["registrations"][1] == {
        "body": "BABCP",
        "number": "",
        "registered_on": None,
        "renewal_date": None,
    }

    other = Logbook.open(DataLocation(tmp_path / "other"))
    try:
        import_json(other.db, exported)
        for record in [*records, profile]:
            assert other.records.get(record.kind, record.uid) == record
    finally:
        other.close()


def _export_with(tmp_path: Path, logbook: Logbook, kind: str, **changes: object) -> Path:
    """An export of ``logbook`` whose first record of ``kind`` has ``changes`` made."""
    exported = tmp_path / "export.json"
    export_json(logbook.db, exported)
    document = json.loads(exported.read_text(encoding="utf-8"))
    item = next(r for r in document["records"] if r["kind"] == kind)
    item.update(changes)
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document), encoding="utf-8")
    return edited


@pytest.mark.parametrize(
    ("kind", "changes", "field", "message"),
    [
        ("supervision", {"settings": ["community", "garden"]}, "settings",
         "'garden' is not one of: primary_care"),
        ("supervision", {"group_member_uids": ["not an id"]}, "group_member_uids[1]",
         "'not an id' is not a valid id"),
        ("supervision", {"group_contracted_size": "five"}, "group_contracted_size",
         "expected a whole number"),
        ("practice", {"end_date": "2026-03-31"}, "end_date",
         "the end of the period is before its first day"),
        ("practice", {"nmc_registration": "doctor"}, "nmc_registration",
         "'doctor' is not one of: registered_nurse"),
        ("practice", {"reflection_private": "yes"}, "reflection_private",
         "expected true or false"),
        ("cpd", {"participatory_minutes": 400}, "participatory_minutes",
         "between 0 and the activity's 360 minutes"),
        ("cpd", {"cbt_related": 1}, "cbt_related", "expected true or false"),
        ("personal_practice", {"teacher_led": True}, "supervisor_agreed",
         "only a retreat without a teacher"),
        ("pathway", {"training_hours": -2}, "training_hours",
         "training hours must be a whole or half number"),
        ("course", {"clinical_population": "no"}, "clinical_population",
         "expected true or false"),
        ("organisation", {"address": 12}, "address", "expected text"),
        ("attestation", {"by_address": ["a", "b"]}, "by_address", "expected text"),
    ],
)  # fmt: skip
def test_a_json_file_with_a_bad_new_value_is_refused_naming_record_and_field(
    logbook: Logbook,
    tmp_path: Path,
    kind: str,
    changes: dict[str, object],
    field: str,
    message: str,
) -> None:
    members = people()
    logbook.records.create_many([*members, *filled(members)])
    edited = _export_with(tmp_path, logbook, kind, **changes)
    other = Logbook.open(DataLocation(tmp_path / "other"))
    try:
        with pytest.raises(ValidationError) as caught:
            import_json(other.db, edited)
        [problem] = [p for p in caught.value.problems if p.field == field]
        assert problem.source is not None
        assert problem.source.startswith("edited.json, record ")
        assert message in problem.message
        assert other.records.count(K(kind)) == 0
    finally:
        other.close()


def test_a_json_file_naming_a_group_member_it_does_not_bring_is_refused(
    logbook: Logbook, tmp_path: Path
) -> None:
    members = people()
    logbook.records.create_many([*members, *filled(members)])
    edited = _export_with(
        tmp_path, logbook, "supervision", group_member_uids=[Person(name="x").uid]
    )
    other = Logbook.open(DataLocation(tmp_path / "other"))
    try:
        with pytest.raises(ValidationError) as caught:
            import_json(other.db, edited)
        [problem] = caught.value.problems
        assert problem.field == "group_member_uids"
        assert "refers to a record that is not in the logbook or the file" in problem.message
        assert other.records.count(K.SUPERVISION) == 0
    finally:
        other.close()


def test_a_json_file_naming_a_client_in_a_practice_reflection_is_refused(
    logbook: Logbook, tmp_path: Path
) -> None:
    members = people()
    logbook.records.create_many([*members, *filled(members)])
    edited = _export_with(tmp_path, logbook, "practice", reflection=CLIENT)
    other = Logbook.open(DataLocation(tmp_path / "other"))
    try:
        with pytest.raises(IdentifiersFoundError) as caught:
            import_json(other.db, edited)
        assert [p.field for p in caught.value.problems] == ["reflection"]
        assert other.records.count(K.PRACTICE) == 0
    finally:
        other.close()


# --- CSV import --------------------------------------------------------------------------------


def test_csv_rows_fill_the_new_fields(logbook: Logbook, tmp_path: Path) -> None:
    logbook.records.create(Person(name="Kwame Asante"))
    files = {
        K.ORGANISATION: "name,address\n"
        f'Sheffield Health and Social Care NHS FT,"{TRUST_ADDRESS}"\n',
        K.SUPERVISION: "date,duration,supervisor,arrangement,format,group_size,"
        "group_contracted_size,group_members,setting,settings\n"
        '2026-03-02,90,Dr Amira Shah,"Monthly group, A Shah",group,3,5,'
        "kwame asante;Lucy Brennan,community,Community / third sector;university\n",
        K.PRACTICE: "date,end_date,duration,activity,nmc_registration,reflection\n"
        "01/04/2026,30/06/2026,450h,counselling_skills,Registered nurse/SCPHN,"
        "Settled into the team\n",
        K.COURSE: "title,start_date,clinical_population\nMBCT spring,2026-03-03,yes\n",
        K.CPD: "start_date,title,duration,participatory_minutes,cbt_related\n"
        "2026-03-04,CBT for insomnia,6h,1:30,yes\n",
        K.PERSONAL_PRACTICE: "start_date,end_date,practice_kind,mode,days,supervisor_agreed\n"
        "2026-03-06,2026-03-07,retreat,home,2,yes\n",
        K.PATHWAY: "title,training_hours\nTeacher training,120.5\n",
        K.ATTESTATION: f'date,by_name,by_address\n2026-03-05,Angela Brooks,"{TRUST_ADDRESS}"\n',
    }
    for kind, text in files.items():
        import_csv(logbook.records, kind, _write(tmp_path / f"{kind.value}.csv", text))

    [organisation] = logbook.records.all(K.ORGANISATION)
    assert organisation.address == TRUST_ADDRESS  # type: ignore[attr-defined]
    assert logbook.privacy.allowances(organisation.uid) == []
    [session] = logbook.records.all(K.SUPERVISION)
    assert isinstance(session, SupervisionSession)
    names = [logbook.records.get(K.PERSON, uid).name for uid in session.group_member_uids]  # type: ignore[attr-defined]
    assert names == ["Kwame Asante", "Lucy Brennan"]  # the first found, the second made
    assert session.arrangement == "Monthly group, A Shah"
    assert session.group_contracted_size == 5
    assert session.settings == (c.Setting.COMMUNITY, c.Setting.UNIVERSITY)
    [entry] = logbook.records.all(K.PRACTICE)
    assert isinstance(entry, PracticeEntry)
    assert (entry.date, entry.end_date) == (date(2026, 4, 1), date(2026, 6, 30))
    assert entry.activity is c.PracticeActivity.COUNSELLING_SKILLS
    assert entry.nmc_registration is c.NmcRegistration.NURSE_SCPHN
    assert (entry.reflection, entry.reflection_private) == ("Settled into the team", True)
    [course] = logbook.records.all(K.COURSE)
    assert course.clinical_population is True  # type: ignore[attr-defined]
    [activity] = logbook.records.all(K.CPD)
    assert isinstance(activity, CpdActivity)
    assert (activity.participatory_minutes, activity.cbt_related) == (90, True)
    [retreat] = logbook.records.all(K.PERSONAL_PRACTICE)
    assert retreat.supervisor_agreed is True  # type: ignore[attr-defined]
    [pathway] = logbook.records.all(K.PATHWAY)
    assert pathway.training_hours == 120.5  # type: ignore[attr-defined]
    [attestation] = logbook.records.all(K.ATTESTATION)
    assert attestation.by_address == TRUST_ADDRESS  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("kind", "header", "row", "column", "message"),
    [
        (K.SUPERVISION, "date,duration,settings", "2026-03-09,60,school;garden", "settings",
         "'garden' is not one of: primary_care"),
        (K.SUPERVISION, "date,duration,group_contracted_size", "2026-03-09,60,6",
         "group_contracted_size", "supervisees contracted only apply to group supervision"),
        (K.SUPERVISION, "date,duration,group_members", "2026-03-09,60,Kwame Asante",
         "group_members", "group members only apply to group supervision"),
        (K.PRACTICE, "date,duration,end_date", "2026-03-09,60,2026-03-08", "end_date",
         "the end of the period is before its first day"),
        (K.PRACTICE, "date,duration,nmc_registration", "2026-03-09,60,doctor",
         "nmc_registration", "'doctor' is not one of: registered_nurse"),
        (K.CPD, "start_date,title,duration,participatory_minutes", "2026-03-09,Reading,1h,2h",
         "participatory_minutes", "between 0 and the activity's 60 minutes"),
        (K.CPD, "start_date,title,duration,participatory_minutes", "2026-03-09,Reading,1h,lots",
         "participatory_minutes", "'lots' is not a duration"),
        (K.CPD, "start_date,title,duration,cbt_related", "2026-03-09,Reading,1h,maybe",
         "cbt_related", "'maybe' is not yes or no"),
        (K.PATHWAY, "title,training_hours", "Training,12.3", "training_hours",
         "training hours must be a whole or half number"),
        (K.PERSONAL_PRACTICE, "start_date,practice_kind,duration,supervisor_agreed",
         "2026-03-09,daily_practice,30,yes", "supervisor_agreed",
         "only a retreat without a teacher is agreed with your supervisor"),
    ],
)  # fmt: skip
def test_a_csv_row_with_a_bad_new_value_is_refused_naming_file_row_and_column(
    logbook: Logbook,
    tmp_path: Path,
    kind: RecordKind,
    header: str,
    row: str,
    column: str,
    message: str,
) -> None:
    good = {
        K.SUPERVISION: "2026-03-02,60,",
        K.PRACTICE: "2026-03-02,60,",
        K.CPD: "2026-03-02,Reading,1h,",
        K.PATHWAY: "Training,",
        K.PERSONAL_PRACTICE: "2026-03-02,daily_practice,30,",
    }[kind]
    path = _write(tmp_path / "bad.csv", f"{header}\n{good}\n{row}\n")
    with pytest.raises(ValidationError) as caught:
        import_csv(logbook.records, kind, path)
    [problem] = caught.value.problems
    assert (problem.source, problem.row, problem.field) == ("bad.csv", 3, column)
    assert message in problem.message
    assert logbook.records.count(kind) == 0


def test_a_csv_row_naming_a_client_in_a_practice_reflection_is_refused(
    logbook: Logbook, tmp_path: Path
) -> None:
    path = _write(
        tmp_path / "practice.csv",
        f"date,duration,reflection\n2026-03-02,50,Paced well\n2026-03-09,50,{CLIENT}\n",
    )
    with pytest.raises(IdentifiersFoundError) as caught:
        import_csv(logbook.records, K.PRACTICE, path)
    [problem] = caught.value.problems
    assert (problem.source, problem.row, problem.field) == ("practice.csv", 3, "reflection")
    assert logbook.records.count(K.PRACTICE) == 0


# --- list export -------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def test_a_private_practice_reflection_stays_out_of_a_list_export_unless_asked_for(
    qtbot: QtBot, logbook: Logbook, tmp_path: Path
) -> None:
    logbook.records.create_many(
        [
            Profile(name="Eilidh MacLeod"),
            PracticeEntry(
                date=date(2026, 3, 2),
                duration_minutes=150,
                activity=c.PracticeActivity.COURSE_SESSION,
                reflection="My own doubts about leading the inquiry.",
            ),
            PracticeEntry(
                date=date(2026, 3, 9),
                duration_minutes=150,
                activity=c.PracticeActivity.COURSE_SESSION,
                reflection="Shared: the group settled faster this week.",
                reflection_private=False,
            ),
        ]
    )
    window = open_window(qtbot, logbook)
    window.show_section("practice")
    dialog = window.export_csv()
    assert isinstance(dialog, CsvExportDialog)
    dialog.with_text.setChecked(True)
    dialog.file.set_path(tmp_path / "practice.csv")
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.job is not None and not dialog.job.running)
    text = (tmp_path / "practice.csv").read_text("utf-8-sig")
    assert "Shared: the group settled faster this week." in text
    assert "My own doubts" not in text
    assert "Reflection" in _read_csv(tmp_path / "practice.csv")[0]

    dialog.with_private.setChecked(True)
    dialog.file.set_path(tmp_path / "practice private.csv")
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.job is not None and not dialog.job.running)
    assert "My own doubts" in (tmp_path / "practice private.csv").read_text("utf-8-sig")
    window.close()


# --- the demo logbooks -------------------------------------------------------------------------


def _built(persona: str, years: int = 3) -> list[Record]:
    end = date(2026, 11, 30)
    builder = demo.Builder(random.Random(2026), end.replace(year=end.year - years), end, 1.0)
    demo._BUILDERS[persona](builder)
    assert all(not validate(r) for r in builder.records)
    return builder.records


def _of(records: list[Record], kind: type[Any]) -> list[Any]:
    return [r for r in records if isinstance(r, kind)]


def test_the_nurse_demo_fills_in_what_the_nmc_forms_ask() -> None:
    records = _built("nurse")
    practice = _of(records, PracticeEntry)
    periods = [p for p in practice if p.end_date]
    assert len(periods) == 3
    assert all(p.end_date <= date(2026, 11, 30) for p in periods)
    assert all(p.nmc_registration is c.NmcRegistration.REGISTERED_NURSE for p in practice)
    assert all(o.address for o in _of(records, Organisation))
    assert any(a.participatory_minutes is not None for a in _of(records, CpdActivity))
    assert all(a.by_address for a in _of(records, Attestation) if a.by_email)
    [profile] = _of(records, Profile)
    assert profile.registrations[0].indemnity is c.Indemnity.EMPLOYER


def test_the_counsellor_demo_has_arrangements_groups_settings_and_skills_work() -> None:
    records = _built("counsellor")
    sessions = _of(records, SupervisionSession)
    assert all(s.arrangement for s in sessions)
    groups = [s for s in sessions if s.format is c.SupervisionFormat.GROUP]
    assert groups
    assert all(s.group_contracted_size and s.group_member_uids for s in groups)
    assert all(len(s.group_member_uids) == s.group_size - 1 for s in groups)  # and the counsellor
    people_ = {p.uid for p in _of(records, Person)}
    assert all(set(s.group_member_uids) <= people_ for s in groups)
    assert any(len(s.effective_settings) == 2 for s in sessions)
    skills = [
        p
        for p in _of(records, PracticeEntry)
        if p.activity is c.PracticeActivity.COUNSELLING_SKILLS
    ]
    assert 2 <= len(skills) <= 12


def test_the_cbt_demos_have_group_members_and_cbt_related_cpd() -> None:
    pwp = _built("pwp")
    groups = [s for s in _of(pwp, SupervisionSession) if s.format is c.SupervisionFormat.GROUP]
    assert groups
    assert all(s.group_member_uids for s in groups)
    for persona in ("pwp", "supervisor"):
        activities = _of(_built(persona), CpdActivity)
        assert any(a.cbt_related for a in activities)
        assert not all(a.cbt_related for a in activities)


def test_the_mindfulness_demo_has_training_hours_clinical_courses_and_a_retreat_agreed() -> None:
    records = _built("mindfulness")
    [pathway] = _of(records, Pathway)
    assert pathway.training_hours is not None
    assert pathway.training_hours >= 120
    courses = _of(records, TeachingCourse)
    assert any(c_.clinical_population for c_ in courses)
    assert all(
        not c_.clinical_population for c_ in courses if c_.population == "NHS staff wellbeing"
    )
    agreed = [p for p in _of(records, PersonalPractice) if p.supervisor_agreed]
    assert len(agreed) == 1
    assert not agreed[0].teacher_led
    reflections = [p for p in _of(records, PracticeEntry) if p.reflection]
    assert reflections
    assert all(p.reflection_private for p in reflections)
    assert all(p.activity is c.PracticeActivity.COURSE_SESSION for p in reflections)


def test_the_demos_stay_the_same_from_one_run_to_the_next() -> None:
    def contents(records: list[Record]) -> str:
        """The records as JSON, each id replaced by the order it first appears in."""
        text = json.dumps([encode(r) for r in records])
        ids: dict[str, str] = {}
        for uid in re.findall(
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text
        ):
            ids.setdefault(uid, f"id{len(ids)}")
        return re.sub(r"[0-9a-f-]{36}", lambda m: ids.get(m[0], m[0]), text)

    for persona in ("nurse", "counsellor", "mindfulness", "pwp"):
        assert contents(_built(persona)) == contents(_built(persona))


# --- the profile from the command line and in a file -------------------------------------------


def test_the_command_line_records_a_registrations_indemnity(
    run_cli: RunCli, tmp_path: Path
) -> None:
    data = tmp_path / "logbook"
    assert run_cli("profile", "set", "--name", "Rebecca Thornton", data=data).returncode == 0
    added = run_cli("registration", "add", "NMC", "--indemnity", "Through my employer", data=data)
    assert added.returncode == 0, added.stderr
    assert "indemnity: through my employer" in added.stdout
    refused = run_cli("registration", "set", "1", "--indemnity", "insured", data=data)
    assert refused.returncode == 2
    assert "'insured' is not one of: employer, professional_body" in refused.stderr
    changed = run_cli(
        "registration",
        "set",
        "1",
        "--indemnity",
        "private_insurance",
        "--indemnity-provider",
        "Medical insurers plc",
        data=data,
    )
    assert changed.returncode == 0, changed.stderr
    listed = json.loads(run_cli("registration", "list", "--format", "json", data=data).stdout)
    assert listed[0]["indemnity"] == "private_insurance"
    assert listed[0]["indemnity_provider"] == "Medical insurers plc"
    assert run_cli("registration", "set", "1", "--indemnity", "none", data=data).returncode == 0
    listed = json.loads(run_cli("registration", "list", "--format", "json", data=data).stdout)
    assert "indemnity" not in listed[0]


def test_a_json_file_with_an_indemnity_that_is_not_one_is_refused(
    logbook: Logbook, tmp_path: Path
) -> None:
    logbook.records.create(
        Profile(name="Rebecca Thornton", registrations=(Registration(body="NMC"),))
    )
    exported = tmp_path / "export.json"
    export_json(logbook.db, exported)
    document = json.loads(exported.read_text(encoding="utf-8"))
    profile = next(r for r in document["records"] if r["kind"] == "profile")
    profile["registrations"][0]["indemnity"] = "hope"
    edited = _write(tmp_path / "edited.json", json.dumps(document))
    other = Logbook.open(DataLocation(tmp_path / "other"))
    try:
        with pytest.raises(ValidationError) as caught:
            import_json(other.db, edited)
        [problem] = caught.value.problems
        assert (problem.source, problem.field) == ("edited.json, record 1", "registrations")
        assert "'hope' is not one of: employer, professional_body" in problem.message
        assert other.records.profile() is None
    finally:
        other.close()
