"""Fields the professional bodies' forms ask for: a supervision session's methods, the NMC work
setting and scope of practice, a CPD activity's HCPC type, NMC Code themes and benefit to the
people worked with, and the email and category of whoever confirmed a revalidation.

Every logbook saved before they existed opens with them empty and keeps its signatures; each is
kept through the form, the JSON export and CSV import, and the free text is checked for client
identifiers like the rest.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
import uuid
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine

from logbook.domain import choices as c
from logbook.domain.catalogue import empty_later_fields
from logbook.domain.errors import ValidationError
from logbook.domain.queries import RecordQuery
from logbook.domain.records import (
    Attestation,
    CpdActivity,
    PracticeEntry,
    Record,
    RecordKind,
    SupervisionSession,
)
from logbook.domain.signing import record_digest, signed_content
from logbook.domain.versions import content_version
from logbook.services.exchange import export_json, import_json
from logbook.services.imports import import_csv
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.services.privacy import IdentifiersFoundError
from logbook.storage.database import alembic_config, foreign_keys_off
from logbook.ui.editors import RecordEditorDialog, open_editor
from logbook.ui.record_detail import record_sections
from tests.editor_helpers import ServiceHost, show

K = RecordKind
DATA = Path(__file__).parent / "data"
OLDER = sorted(p for p in DATA.glob("logbook-schema-*.sqlite") if p.stem[-4:] < "0006")
CLIENT = "Helped client Sarah Jones sleep better"

# Each kind's new fields, with what they hold in a logbook saved before they existed.
EMPTY: dict[RecordKind, dict[str, object]] = {
    K.SUPERVISION: {"methods": ()},
    K.PRACTICE: {"nmc_work_setting": None, "nmc_scope": None},
    K.CPD: {"learning_type": None, "code_themes": (), "impact": ""},
    K.ATTESTATION: {"confirmer_category": None, "by_email": ""},
}


def filled() -> list[Record]:
    """One record of each kind with every new field filled in."""
    return [
        SupervisionSession(
            date=date(2026, 3, 2),
            duration_minutes=60,
            methods=(c.SupervisionMethod.ROLE_PLAY, c.SupervisionMethod.RECORDING_REVIEW),
        ),
        PracticeEntry(
            date=date(2026, 3, 3),
            duration_minutes=50,
            nmc_work_setting=c.NmcWorkSetting.COMMUNITY,
            nmc_scope=c.NmcScope.QUALITY_ASSURANCE,
        ),
        CpdActivity(
            start_date=date(2026, 3, 4),
            title="Trauma-informed care",
            duration_minutes=180,
            learning_type=c.HcpcLearningType.PROFESSIONAL,
            code_themes=(c.CodeTheme.PRESERVE_SAFETY, c.CodeTheme.PROMOTE_PROFESSIONALISM),
            impact="Safety plans are now agreed at the first appointment",
        ),
        Attestation(
            date=date(2026, 3, 5),
            attestation_kind=c.AttestationKind.CONFIRMATION,
            by_name="Fiona Brown",
            confirmer_category=c.ConfirmerCategory.OVERSEAS_PROFESSIONAL,
            by_email="fiona.brown@example.org",
        ),
    ]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- vocabularies ------------------------------------------------------------------------------


def test_the_nmc_vocabularies_are_the_nmcs_in_its_words() -> None:
    assert [m.label for m in c.NmcWorkSetting] == [
        "Ambulance service",
        "Care home sector",
        "Community setting (including district nursing and community psychiatric nursing)",
        "Consultancy",
        "Cosmetic or aesthetic sector",
        "Governing body or other leadership",
        "GP practice or other primary care",
        "Hospital or other secondary care",
        "Inspectorate or regulator",
        "Insurance or legal",
        "Maternity unit or birth centre",
        "Military",
        "Occupational health",
        "Police",
        "Policy organisation",
        "Prison",
        "Private domestic setting",
        "Public health organisation",
        "School",
        "Specialist or other tertiary care including hospice",
        "Telephone or e-health advice",
        "Trade union or professional body",
        "University or other research facility",
        "Voluntary or charity sector",
        "Other",
    ]
    assert [m.label for m in c.NmcScope] == [
        "Direct clinical care",
        "Education",
        "Research",
        "Management",
        "Leadership",
        "Policy",
        "Commissioning",
        "Consultancy",
        "Quality assurance or inspection",
    ]
    assert [m.label for m in c.CodeTheme] == [
        "Prioritise people",
        "Practise effectively",
        "Preserve safety",
        "Promote professionalism and trust",
    ]
    assert [m.value for m in c.ConfirmerCategory] == [
        "nmc_line_manager",
        "line_manager",
        "nmc_registrant",
        "regulated_professional",
        "overseas_professional",
    ]


def test_an_activity_without_an_hcpc_type_takes_the_one_its_cpd_type_implies() -> None:
    L = c.HcpcLearningType
    expected = {
        "workshop": L.FORMAL_EDUCATIONAL,
        "course": L.FORMAL_EDUCATIONAL,
        "conference": L.FORMAL_EDUCATIONAL,
        "specialist_training": L.FORMAL_EDUCATIONAL,
        "e_learning": L.FORMAL_EDUCATIONAL,
        "supervision_training": L.FORMAL_EDUCATIONAL,
        "peer_learning": L.WORK_BASED,
        "practice_session": L.WORK_BASED,
        "reading": L.SELF_DIRECTED,
        "retreat": L.OTHER,
        "other": L.OTHER,
    }
    assert {t.value: c.default_learning_type(t) for t in c.CpdType} == expected
    reading = CpdActivity(
        start_date=date(2026, 1, 5),
        title="Reading",
        duration_minutes=60,
        cpd_type=c.CpdType.READING,
    )
    assert reading.hcpc_learning_type is L.SELF_DIRECTED
    chosen = dataclasses.replace(reading, learning_type=L.PROFESSIONAL)
    assert chosen.hcpc_learning_type is L.PROFESSIONAL


# --- older logbooks ----------------------------------------------------------------------------


@pytest.mark.parametrize("saved", OLDER, ids=[p.stem[-4:] for p in OLDER])
def test_an_older_logbook_opens_with_the_new_fields_empty(saved: Path, tmp_path: Path) -> None:
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
                assert set(empty) <= empty_later_fields(record)  # and any added since
        assert logbook.signoff.verify_all().ok
    finally:
        logbook.close()


def test_the_newest_saved_logbook_keeps_the_new_fields() -> None:
    saved = DATA / "logbook-schema-0006.sqlite"
    with sqlite3.connect(f"{saved.as_uri()}?mode=ro", uri=True) as conn:
        methods = dict(conn.execute("SELECT uid, methods FROM supervision").fetchall())
        practice = conn.execute(
            "SELECT nmc_work_setting, nmc_scope FROM practice WHERE nmc_scope IS NOT NULL"
        ).fetchall()
        cpd = conn.execute("SELECT learning_type, code_themes, impact FROM cpd").fetchall()
        attestation = conn.execute(
            "SELECT confirmer_category, by_email FROM attestation"
        ).fetchall()
    conn.close()
    assert json.loads(methods[str(uuid.UUID(int=7))]) == ["case_discussion", "role_play"]
    assert json.loads(methods[str(uuid.UUID(int=8))]) == ["live_observation"]
    assert practice == [("primary_care", "direct_clinical_care")]
    assert [(t, json.loads(k), bool(i)) for t, k, i in cpd] == [
        ("formal_educational", ["practise_effectively", "preserve_safety"], True)
    ]
    assert attestation == [("nmc_line_manager", "fiona.brown@example.org")]


def _columns(path: Path) -> dict[str, list[str]]:
    with sqlite3.connect(path) as conn:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        found = {t: [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')] for t in tables}
    conn.close()
    return found


def test_the_upgrade_can_be_undone_to_the_previous_schema(tmp_path: Path) -> None:
    saved = DATA / "logbook-schema-0005.sqlite"
    path = tmp_path / "logbook.sqlite"
    shutil.copyfile(saved, path)
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn, foreign_keys_off(conn):
            config = alembic_config(engine)
            config.attributes["connection"] = conn
            with conn.begin():
                command.upgrade(config, "0006")
            assert "methods" in _columns(path)["supervision"]
            with conn.begin():
                command.downgrade(config, "0005")
    finally:
        engine.dispose()
    assert _columns(path) == _columns(saved)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM cpd").fetchone() == (1,)
    conn.close()


# --- signatures and versions -------------------------------------------------------------------


def test_empty_new_fields_are_not_signed_and_filled_ones_are() -> None:
    for record in filled():
        emptied = dataclasses.replace(record, **EMPTY[record.kind])  # type: ignore[arg-type]
        assert not set(EMPTY[record.kind]) & set(signed_content(emptied))
        assert set(EMPTY[record.kind]) <= set(signed_content(record))
        assert record_digest(record) != record_digest(emptied)
        assert content_version(record) != content_version(emptied)


# --- the form ----------------------------------------------------------------------------------


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


def _saved(dialog: RecordEditorDialog) -> Record:
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.banner.text.text()
    (saved,) = dialog.saved
    return saved


def test_supervision_methods_are_typed_as_a_list_and_live_observation_ticks_live(
    qtbot: QtBot, logbook: Logbook
) -> None:
    dialog = _editor(qtbot, logbook, K.SUPERVISION)
    live = dialog.form.editor("live").focus_widget
    assert not live.isChecked()  # type: ignore[attr-defined]
    _type(qtbot, dialog, "methods", "role play, Live observation")
    assert live.isChecked()  # type: ignore[attr-defined]
    saved = _saved(dialog)
    stored = logbook.records.get(K.SUPERVISION, saved.uid)
    assert isinstance(stored, SupervisionSession)
    assert stored.methods == (
        c.SupervisionMethod.ROLE_PLAY,
        c.SupervisionMethod.LIVE_OBSERVATION,
    )
    assert stored.live is True

    again = _editor(qtbot, logbook, K.SUPERVISION, stored)
    shown = again.form.editor("methods").focus_widget.text()  # type: ignore[attr-defined]
    assert shown == "Role-play or skills rehearsal, Live observation"
    assert again.form.collect() == (stored, [])


def test_live_is_left_as_the_user_set_it_whatever_the_methods(
    qtbot: QtBot, logbook: Logbook
) -> None:
    dialog = _editor(qtbot, logbook, K.SUPERVISION)
    live = dialog.form.editor("live").focus_widget
    _type(qtbot, dialog, "methods", "Recording reviewed")
    assert not live.isChecked()  # type: ignore[attr-defined]
    live.click()  # type: ignore[attr-defined]
    live.click()  # type: ignore[attr-defined]
    _type(qtbot, dialog, "methods", ", live observation")
    assert not live.isChecked()  # type: ignore[attr-defined]
    saved = _saved(dialog)
    assert isinstance(saved, SupervisionSession)
    assert saved.live is False
    assert c.SupervisionMethod.LIVE_OBSERVATION in saved.methods


def test_a_method_that_is_not_one_is_refused_in_the_form(qtbot: QtBot, logbook: Logbook) -> None:
    dialog = _editor(qtbot, logbook, K.SUPERVISION)
    _type(qtbot, dialog, "methods", "Case presentation or discussion, interpretive dance")
    dialog.save_button.click()
    assert "“interpretive dance” is not one of" in dialog.form.problem_text("methods")
    assert logbook.records.count(K.SUPERVISION) == 0


def test_the_nmc_work_setting_and_scope_are_chosen_in_the_practice_form(
    qtbot: QtBot, logbook: Logbook
) -> None:
    dialog = _editor(qtbot, logbook, K.PRACTICE)
    assert dialog.form.current_values()["nmc_work_setting"] is None  # empty until chosen
    _choose(dialog, "nmc_work_setting", c.NmcWorkSetting.TERTIARY_CARE)
    _choose(dialog, "nmc_scope", c.NmcScope.LEADERSHIP)
    saved = _saved(dialog)
    stored = logbook.records.get(K.PRACTICE, saved.uid)
    assert isinstance(stored, PracticeEntry)
    assert (stored.nmc_work_setting, stored.nmc_scope) == (
        c.NmcWorkSetting.TERTIARY_CARE,
        c.NmcScope.LEADERSHIP,
    )
    assert _editor(qtbot, logbook, K.PRACTICE, stored).form.collect() == (stored, [])


def test_the_hcpc_type_code_themes_and_benefit_are_kept_from_the_cpd_form(
    qtbot: QtBot, logbook: Logbook
) -> None:
    dialog = _editor(qtbot, logbook, K.CPD)
    _type(qtbot, dialog, "title", "Working with chronic pain")
    _type(qtbot, dialog, "duration_minutes", "6h")
    _choose(dialog, "learning_type", c.HcpcLearningType.WORK_BASED)
    _type(qtbot, dialog, "code_themes", "Preserve safety, prioritise_people")
    _type(qtbot, dialog, "impact", "Pain diaries now start at assessment")
    saved = _saved(dialog)
    stored = logbook.records.get(K.CPD, saved.uid)
    assert isinstance(stored, CpdActivity)
    assert stored.learning_type is c.HcpcLearningType.WORK_BASED
    assert stored.code_themes == (c.CodeTheme.PRESERVE_SAFETY, c.CodeTheme.PRIORITISE_PEOPLE)
    assert stored.impact == "Pain diaries now start at assessment"
    assert _editor(qtbot, logbook, K.CPD, stored).form.collect() == (stored, [])


def test_a_client_named_in_the_benefit_is_refused_by_the_form(
    qtbot: QtBot, logbook: Logbook
) -> None:
    dialog = _editor(qtbot, logbook, K.CPD)
    _type(qtbot, dialog, "title", "Sleep hygiene")
    _type(qtbot, dialog, "duration_minutes", "2h")
    _type(qtbot, dialog, "impact", CLIENT)
    dialog.save_button.click()
    assert "may identify a client" in dialog.banner.text.text()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert logbook.records.count(K.CPD) == 0


def test_a_confirmation_keeps_the_confirmers_category_and_email(
    qtbot: QtBot, logbook: Logbook
) -> None:
    dialog = _editor(qtbot, logbook, K.ATTESTATION)
    form = dialog.form
    assert not form.rows["confirmer_category"].isVisible()  # a discussion has no confirmer
    _choose(dialog, "attestation_kind", c.AttestationKind.CONFIRMATION)
    assert form.rows["confirmer_category"].isVisible()
    _type(qtbot, dialog, "by_name", "Morag Campbell")
    _choose(dialog, "confirmer_category", c.ConfirmerCategory.NMC_REGISTRANT)
    _type(qtbot, dialog, "by_email", "morag.campbell@nhs.net")
    assert "by_email" not in {guard.field_name for guard in form.guards}
    saved = _saved(dialog)
    stored = logbook.records.get(K.ATTESTATION, saved.uid)
    assert isinstance(stored, Attestation)
    assert stored.confirmer_category is c.ConfirmerCategory.NMC_REGISTRANT
    assert stored.by_email == "morag.campbell@nhs.net"
    assert _editor(qtbot, logbook, K.ATTESTATION, stored).form.collect() == (stored, [])


def test_the_detail_pane_reads_the_new_choices_by_their_labels() -> None:
    class Names:
        def name(self, uid: str | None) -> str:
            return ""

    session, _practice, cpd, attestation = filled()
    lines = {
        line.label: line.value
        for record in (session, cpd, attestation)
        for section in record_sections(record, Names())  # type: ignore[arg-type]
        for line in section.lines
    }
    assert lines["Methods"] == "Role-play or skills rehearsal, Recording reviewed"
    assert lines["NMC Code themes"] == "Preserve safety, Promote professionalism and trust"
    assert lines["Confirmer category"] == "Overseas regulated healthcare professional"


# --- JSON export and import --------------------------------------------------------------------


def test_the_new_fields_travel_through_a_json_export(logbook: Logbook, tmp_path: Path) -> None:
    records = filled()
    logbook.records.create_many(records)
    exported = tmp_path / "export.json"
    export_json(logbook.db, exported)

    other = Logbook.open(DataLocation(tmp_path / "other"))
    try:
        import_json(other.db, exported)
        for record in records:
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


def test_a_json_file_with_a_method_that_is_not_one_is_refused(
    logbook: Logbook, tmp_path: Path
) -> None:
    logbook.records.create_many(filled())
    edited = _export_with(tmp_path, logbook, "supervision", methods=["role_play", "telepathy"])
    other = Logbook.open(DataLocation(tmp_path / "other"))
    try:
        with pytest.raises(ValidationError) as caught:
            import_json(other.db, edited)
        [problem] = caught.value.problems
        assert (problem.source, problem.field) == ("edited.json, record 1", "methods")
        assert "'telepathy' is not one of" in problem.message
        assert other.records.count(K.SUPERVISION) == 0
    finally:
        other.close()


def test_a_json_file_naming_a_client_in_the_benefit_is_refused(
    logbook: Logbook, tmp_path: Path
) -> None:
    logbook.records.create_many(filled())
    edited = _export_with(tmp_path, logbook, "cpd", impact=CLIENT)
    other = Logbook.open(DataLocation(tmp_path / "other"))
    try:
        with pytest.raises(IdentifiersFoundError) as caught:
            import_json(other.db, edited)
        assert [p.field for p in caught.value.problems] == ["impact"]
        assert other.records.count(K.CPD) == 0
    finally:
        other.close()


# --- CSV import --------------------------------------------------------------------------------


def test_csv_rows_fill_the_new_fields_by_value_or_label(logbook: Logbook, tmp_path: Path) -> None:
    sessions = _write(
        tmp_path / "sessions.csv",
        "date,duration,methods\n2026-03-02,60,case_discussion;Live observation\n2026-03-09,60,\n",
    )
    practice = _write(
        tmp_path / "practice.csv",
        "date,duration,nmc_work_setting,nmc_scope\n"
        "2026-03-03,50,GP practice or other primary care,direct_clinical_care\n",
    )
    cpd = _write(
        tmp_path / "cpd.csv",
        "start_date,title,duration,cpd_type,learning_type,code_themes,impact\n"
        "2026-03-04,Risk workshop,3h,workshop,,Prioritise people;preserve_safety,"
        "Risk plans are shorter and shared\n",
    )
    attestations = _write(
        tmp_path / "attestations.csv",
        "date,attestation_kind,by_name,confirmer_category,by_email\n"
        "2026-03-05,confirmation,Fiona Brown,line_manager,fiona.brown@example.org\n",
    )
    for kind, path in (
        (K.SUPERVISION, sessions),
        (K.PRACTICE, practice),
        (K.CPD, cpd),
        (K.ATTESTATION, attestations),
    ):
        import_csv(logbook.records, kind, path)

    with_methods, without = sorted(logbook.records.all(K.SUPERVISION), key=lambda r: r.date)  # type: ignore[attr-defined]
    assert with_methods.methods == (  # type: ignore[attr-defined]
        c.SupervisionMethod.CASE_DISCUSSION,
        c.SupervisionMethod.LIVE_OBSERVATION,
    )
    assert with_methods.live is False, "live is never set from the methods"  # type: ignore[attr-defined]
    assert without.methods == ()  # type: ignore[attr-defined]
    [entry] = logbook.records.all(K.PRACTICE)
    assert (entry.nmc_work_setting, entry.nmc_scope) == (  # type: ignore[attr-defined]
        c.NmcWorkSetting.PRIMARY_CARE,
        c.NmcScope.DIRECT_CLINICAL_CARE,
    )
    [activity] = logbook.records.all(K.CPD)
    assert isinstance(activity, CpdActivity)
    assert activity.learning_type is None
    assert activity.hcpc_learning_type is c.HcpcLearningType.FORMAL_EDUCATIONAL
    assert activity.code_themes == (c.CodeTheme.PRIORITISE_PEOPLE, c.CodeTheme.PRESERVE_SAFETY)
    assert activity.impact == "Risk plans are shorter and shared"
    [confirmation] = logbook.records.all(K.ATTESTATION)
    assert isinstance(confirmation, Attestation)
    assert confirmation.confirmer_category is c.ConfirmerCategory.LINE_MANAGER
    assert confirmation.by_email == "fiona.brown@example.org"
    # A colleague's email is their contact, not a client's: nothing was flagged or kept.
    assert logbook.privacy.allowances(confirmation.uid) == []
    found = logbook.records.query(RecordQuery(K.CPD, text="shorter shared"))
    assert [r.uid for r in found] == [activity.uid]


@pytest.mark.parametrize(
    ("kind", "header", "row", "column", "message"),
    [
        (K.SUPERVISION, "date,duration,methods", "2026-03-09,60,role_play;telepathy", "methods",
         "'telepathy' is not one of: case_discussion, role_play"),
        (K.PRACTICE, "date,duration,nmc_scope", "2026-03-09,60,caring", "nmc_scope",
         "'caring' is not one of: direct_clinical_care"),
        (K.CPD, "start_date,title,duration,learning_type", "2026-03-09,Reading,1h,reading",
         "learning_type", "'reading' is not one of: work_based"),
        (K.CPD, "start_date,title,duration,code_themes", "2026-03-09,Reading,1h,Be kind",
         "code_themes", "'Be kind' is not one of: prioritise_people"),
        (K.ATTESTATION, "date,by_name,confirmer_category", "2026-03-09,Fiona Brown,boss",
         "confirmer_category", "'boss' is not one of: nmc_line_manager"),
        (K.ATTESTATION, "date,by_name,by_email", "2026-03-09,Fiona Brown,fiona at work",
         "by_email", "'fiona at work' is not an email address"),
    ],
)  # fmt: skip
def test_a_csv_row_with_a_bad_value_is_refused_naming_file_row_and_column(
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
        K.ATTESTATION: "2026-03-02,Fiona Brown,",
    }[kind]
    path = _write(tmp_path / "bad.csv", f"{header}\n{good}\n{row}\n")
    with pytest.raises(ValidationError) as caught:
        import_csv(logbook.records, kind, path)
    [problem] = caught.value.problems
    assert (problem.source, problem.row, problem.field) == ("bad.csv", 3, column)
    assert message in problem.message
    assert logbook.records.count(kind) == 0


def test_a_csv_row_naming_a_client_in_the_benefit_is_refused(
    logbook: Logbook, tmp_path: Path
) -> None:
    path = _write(
        tmp_path / "cpd.csv",
        "start_date,title,duration,impact\n"
        "2026-03-02,Sleep workshop,3h,Sleep plans for the whole caseload\n"
        f"2026-03-09,Sleep workshop,3h,{CLIENT}\n",
    )
    with pytest.raises(IdentifiersFoundError) as caught:
        import_csv(logbook.records, K.CPD, path)
    [problem] = caught.value.problems
    assert (problem.source, problem.row, problem.field) == ("cpd.csv", 3, "impact")
    assert "client Sarah Jones" in problem.message
    assert logbook.records.count(K.CPD) == 0
