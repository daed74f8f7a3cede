"""Setting up a whole logbook from an empty folder with ``logbook-cli`` alone, one persona at a
time: profile, roles, registrations, organisations, people, packs and their settings, leave,
a few entries; then what the app reads back (the profile, the packs' checks, an export) is
what was typed.

Commands run through the real entry point (``main(argv)``) in this process, which is what the
console script calls; one test also runs it as a separate process."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from logbook.domain.dates import short_date
from logbook.domain.periods import Period
from logbook.domain.records import Organisation, Person, Profile, RecordKind
from logbook.domain.requirements import PackSettings
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from tests.cli_support import RunCli


@dataclass(frozen=True)
class Done:
    code: int
    out: str
    err: str


class Cli:
    """``logbook-cli --data-dir FOLDER …`` for one logbook folder."""

    def __init__(self, folder: Path, run_cli: RunCli) -> None:
        self.folder = folder
        self.run_cli = run_cli

    def run(self, *args: str) -> Done:
        ran = self.run_cli(*args, data=self.folder)
        return Done(ran.returncode, ran.stdout, ran.stderr)

    def ok(self, *args: str) -> str:
        done = self.run(*args)
        assert done.code == 0, f"{args}: {done.err}"
        assert "Traceback" not in done.err
        return done.out

    def fails(self, *args: str, code: int = 1) -> str:
        done = self.run(*args)
        assert done.code == code, f"{args} exited {done.code}: {done.out}{done.err}"
        assert "Traceback" not in done.err
        return done.err


@pytest.fixture
def cli(tmp_path: Path, run_cli: RunCli) -> Cli:
    folder = tmp_path / "logbook"
    assert not folder.exists()  # every persona starts from nothing
    return Cli(folder, run_cli)


def opened(cli: Cli) -> Logbook:
    """The logbook as the app opens it, to read back what the commands saved (close it
    before the next command: a logbook is open in one place at a time)."""
    return Logbook.open(DataLocation(cli.folder))


# --- personas ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Persona:
    """What one practitioner types to set up their logbook, and what that means.

    Dates are typed as people in the UK type them; ``expected`` holds what they mean.
    """

    name: str
    email: str
    qualified: str
    client_groups: str
    organisations: list[list[str]]
    people: list[list[str]]
    roles: list[list[str]]
    registrations: list[list[str]]
    packs: list[str]
    settings: dict[str, list[str]]
    leave: list[list[str]]
    entries: list[list[str]]
    period: tuple[str, str]  # the months the status check looks at (ISO, as status takes)
    expected: dict[str, Any] = field(default_factory=dict)


MINDFULNESS = Persona(
    name="Morag Campbell",
    email="morag.campbell@example.org",
    qualified="15/06/2019",
    client_groups="adults; people with long-term conditions",
    organisations=[["NHS Lothian", "--kind", "nhs", "--employer", "--supervising"]],
    people=[
        ["Dr Ruth Adair", "--organisation", "nhs lothian", "--role", "supervisor"],
        ["Iain Ross", "--organisation", "NHS Lothian", "--role", "co-teacher"],
    ],
    roles=[
        ["Clinical psychologist", "--from", "1 Sep 2019", "--to", "31/03/2021"],
        ["Mindfulness therapist", "--from", "01/04/2021", "--organisation", "NHS Lothian"],
    ],
    registrations=[
        ["HCPC", "--number", "PYL12345", "--since", "01/09/2019", "--renewal", "31/05/2027"],
        ["BAMBA", "--number", "listed teacher", "--renewal", "31 Dec 2026"],
    ],
    packs=["bamba_teacher", "scottish_nhs_mindfulness"],
    settings={"bamba_teacher": ["--working-pattern", "80%"]},
    leave=[["--from", "01/07/2026", "--to", "31/07/2026"]],
    entries=[
        [
            "course",
            "title=MBCT spring 2026",
            "start_date=2026-04-14",
            "end_date=2026-06-02",
            "co_teacher=Iain Ross",
            "organisation=NHS Lothian",
            "role=lead",
        ],
        [
            "supervision",
            "date=2026-05-05",
            "duration=1:30",
            "supervisor=Dr Ruth Adair",
            "type=mindfulness",
        ],
        [
            "personal_practice",
            "start_date=2026-03-09",
            "end_date=2026-03-13",
            "practice_kind=retreat",
            "mode=residential",
            "days=5",
            "silence_percent=60",
            "teacher_led=yes",
        ],
    ],
    period=("2026-03-01", "2026-08-31"),
    expected={
        "qualified": date(2019, 6, 15),
        "roles": [
            ("Clinical psychologist", date(2019, 9, 1), date(2021, 3, 31), None),
            ("Mindfulness therapist", date(2021, 4, 1), None, "NHS Lothian"),
        ],
        "registrations": [
            ("HCPC", "PYL12345", date(2019, 9, 1), date(2027, 5, 31)),
            ("BAMBA", "listed teacher", None, date(2026, 12, 31)),
        ],
        "settings": {"bamba_teacher": PackSettings(working_fraction=0.8)},
        "leave": {
            "bamba_teacher": [Period(date(2026, 7, 1), date(2026, 7, 31))],
            "scottish_nhs_mindfulness": [Period(date(2026, 7, 1), date(2026, 7, 31))],
        },
    },
)

PWP = Persona(
    name="Priya Shah",
    email="priya.shah@example.org",
    qualified="01/09/2024",
    client_groups="adults",
    organisations=[["NHS Fife", "--kind", "NHS board or trust", "--employer", "--supervising"]],
    people=[
        ["Dr Ann Lee", "--organisation", "NHS Fife"],
        ["Mark Duncan", "--organisation", "nhs fife", "--role", "supervisor"],
    ],
    roles=[
        ["Trainee PWP", "--from", "01/09/2023", "--to", "31/08/2024", "--organisation", "NHS Fife"],
        ["PWP", "--from", "01/09/2024", "--organisation", "NHS Fife"],
    ],
    registrations=[
        ["BABCP", "--number", "PWP-0042", "--since", "01/10/2024", "--renewal", "30/09/2027"],
    ],
    packs=["nhs_tt_pwp", "babcp_pwp"],
    settings={"nhs_tt_pwp": ["--working-pattern", "3 days"]},
    leave=[["--from", "03/08/2026", "--to", "30/08/2026"]],
    entries=[
        [
            "supervision",
            "date=2026-07-06",
            "duration=1:00",
            "supervisor=Dr Ann Lee",
            "type=case management",
        ],
        [
            "supervision",
            "date=2026-07-08",
            "duration=1:00",
            "supervisor=Mark Duncan",
            "type=clinical skills",
        ],
        [
            "practice",
            "date=2026-07-06",
            "duration=2:00",
            "activity=guided self-help",
            "setting=primary care",
        ],
    ],
    period=("2026-07-01", "2026-09-30"),
    expected={
        "qualified": date(2024, 9, 1),
        "roles": [
            ("Trainee PWP", date(2023, 9, 1), date(2024, 8, 31), "NHS Fife"),
            ("PWP", date(2024, 9, 1), None, "NHS Fife"),
        ],
        "registrations": [("BABCP", "PWP-0042", date(2024, 10, 1), date(2027, 9, 30))],
        "settings": {"nhs_tt_pwp": PackSettings(working_fraction=0.6)},
        "leave": {
            "nhs_tt_pwp": [Period(date(2026, 8, 3), date(2026, 8, 30))],
            "babcp_pwp": [Period(date(2026, 8, 3), date(2026, 8, 30))],
        },
    },
)

MHWP = Persona(
    name="Tomasz Nowak",
    email="tomasz.nowak@example.org",
    qualified="none",
    client_groups="adults; people who use drugs and alcohol",
    organisations=[
        ["NHS Greater Glasgow and Clyde", "--kind", "nhs", "--employer", "--supervising"],
        ["University of Glasgow", "--kind", "education"],
        ["Glasgow Alcohol and Drug Recovery Service", "--kind", "nhs", "--supervising"],
    ],
    people=[
        ["Dr Fiona Hart", "--organisation", "NHS Greater Glasgow and Clyde"],
        ["Sam Reid", "--organisation", "glasgow alcohol and drug recovery service"],
        ["Prof Jane Wood", "--organisation", "University of Glasgow", "--role", "assessor"],
    ],
    roles=[
        [
            "Trainee MHWP",
            "--from",
            "01/09/2025",
            "--organisation",
            "NHS Greater Glasgow and Clyde",
        ],
    ],
    registrations=[],
    packs=["mhwp_training"],
    settings={"mhwp_training": ["--cycle-start", "01/09/2025", "--qualified", "31/08/2026"]},
    leave=[["--from", "22/12/2025", "--to", "02/01/2026"]],
    entries=[
        [
            "practice",
            "date=2026-02-10",
            "duration=0:50",
            "activity=one to one",
            "setting=drug and alcohol",
        ],
        ["supervision", "date=2026-02-11", "duration=1:00", "supervisor=Sam Reid"],
        ["supervision", "date=2026-02-18", "duration=1:00", "supervisor=Dr Fiona Hart"],
    ],
    period=("2025-09-01", "2026-08-31"),
    expected={
        "qualified": None,
        "roles": [("Trainee MHWP", date(2025, 9, 1), None, "NHS Greater Glasgow and Clyde")],
        "registrations": [],
        "settings": {
            "mhwp_training": PackSettings(
                cycle_start=date(2025, 9, 1), qualified_on=date(2026, 8, 31)
            )
        },
        "leave": {"mhwp_training": [Period(date(2025, 12, 22), date(2026, 1, 2))]},
    },
)

PEER = Persona(
    name="Alex Morgan",
    email="",
    qualified="none",
    client_groups="adults",
    organisations=[
        ["Fife Mind", "--kind", "charity", "--employer", "--supervising"],
        ["NHS Fife", "--kind", "nhs", "--supervising"],
    ],
    people=[
        ["Kirsty Brown", "--organisation", "Fife Mind"],
        ["Dr Omar Said", "--organisation", "NHS Fife"],
    ],
    roles=[["Peer support worker", "--from", "06/01/2026", "--organisation", "Fife Mind"]],
    registrations=[],
    packs=["peer_support_induction"],
    settings={"peer_support_induction": ["--working-pattern", "18.75 hours"]},
    leave=[["--from", "06/04/2026", "--to", "17/04/2026"]],
    entries=[
        ["practice", "date=2026-02-03", "activity=peer-support contact", "setting=community"],
        ["supervision", "date=2026-02-04", "duration=1:00", "supervisor=Kirsty Brown"],
        ["supervision", "date=2026-02-18", "duration=0:45", "supervisor=Dr Omar Said"],
    ],
    period=("2026-01-01", "2026-06-30"),
    expected={
        "qualified": None,
        "roles": [("Peer support worker", date(2026, 1, 6), None, "Fife Mind")],
        "registrations": [],
        "settings": {"peer_support_induction": PackSettings(working_fraction=0.5)},
        "leave": {"peer_support_induction": [Period(date(2026, 4, 6), date(2026, 4, 17))]},
    },
)

COUNSELLOR = Persona(
    name="Grace Okafor",
    email="grace@okafor-counselling.example",
    qualified="01/07/2023",
    client_groups="adults; young people",
    organisations=[
        ["Northside Community Counselling", "--kind", "charity", "--employer"],
        ["Okafor Counselling", "--kind", "private", "--employer"],
    ],
    people=[["Helen Price", "--role", "supervisor", "--body", "BACP", "--number", "S-778"]],
    roles=[
        ["Student counsellor", "--from", "01/09/2021", "--to", "30/06/2023"],
        ["Counsellor", "--from", "1/7/2023", "--organisation", "Northside Community Counselling"],
    ],
    registrations=[["BACP", "--number", "00123456", "--renewal", "30/09/2027"]],
    packs=["bacp_accreditation"],
    settings={"bacp_accreditation": ["--qualified", "14/07/2023"]},
    leave=[["--from", "01/08/2026", "--to", "31/08/2026"]],
    entries=[
        ["supervision", "date=2026-06-10", "duration=1:30", "supervisor=Helen Price"],
        ["supervision", "date=2026-07-08", "duration=1:30", "supervisor=Helen Price"],
        ["supervision", "date=2026-09-09", "duration=1:30", "supervisor=Helen Price"],
        ["practice", "date=2026-06-11", "duration=5:00", "activity=one to one"],
        ["practice", "date=2026-09-10", "duration=5:00", "activity=one to one"],
    ],
    period=("2026-06-01", "2026-09-30"),
    expected={
        "qualified": date(2023, 7, 1),
        "roles": [
            ("Student counsellor", date(2021, 9, 1), date(2023, 6, 30), None),
            ("Counsellor", date(2023, 7, 1), None, "Northside Community Counselling"),
        ],
        "registrations": [("BACP", "00123456", None, date(2027, 9, 30))],
        "settings": {"bacp_accreditation": PackSettings(qualified_on=date(2023, 7, 14))},
        "leave": {"bacp_accreditation": [Period(date(2026, 8, 1), date(2026, 8, 31))]},
    },
)

NURSE = Persona(
    name="Daniel Evans",
    email="daniel.evans@example.org",
    qualified="2016-06-01",
    client_groups="adults; older adults",
    organisations=[["Cardiff and Vale University Health Board", "--kind", "nhs", "--employer"]],
    people=[
        [
            "Sian Jones",
            "--organisation",
            "Cardiff and Vale University Health Board",
            "--role",
            "supervisor",
            "--role",
            "confirmer",
            "--body",
            "NMC",
        ],
    ],
    roles=[
        [
            "Community mental health nurse",
            "--from",
            "01/06/2016",
            "--organisation",
            "Cardiff and Vale University Health Board",
        ],
    ],
    registrations=[
        ["NMC", "--number", "12A3456E", "--since", "01/06/2016", "--renewal", "31/05/2028"],
    ],
    packs=["nmc_revalidation"],
    settings={"nmc_revalidation": ["--pro-rata", "0.8"]},
    leave=[["--from", "01/02/2026", "--to", "28/02/2026"]],
    entries=[
        [
            "cpd",
            "start_date=2026-03-10",
            "title=Suicide prevention workshop",
            "duration=6:00",
            "participatory=yes",
        ],
        ["practice", "date=2026-03-11", "duration=7:30", "activity=assessment"],
        ["feedback", "date=2026-03-12", "source=colleague", "summary=Clear risk formulation"],
    ],
    period=("2025-06-01", "2026-11-30"),
    expected={
        "qualified": date(2016, 6, 1),
        "roles": [
            (
                "Community mental health nurse",
                date(2016, 6, 1),
                None,
                "Cardiff and Vale University Health Board",
            )
        ],
        "registrations": [("NMC", "12A3456E", date(2016, 6, 1), date(2028, 5, 31))],
        "settings": {"nmc_revalidation": PackSettings(working_fraction=0.8)},
        "leave": {"nmc_revalidation": [Period(date(2026, 2, 1), date(2026, 2, 28))]},
    },
)

SUPERVISOR = Persona(
    name="Dr Helen Marsh",
    email="helen.marsh@example.org",
    qualified="12/09/2008",
    client_groups="adults",
    organisations=[["NHS Tayside", "--kind", "nhs", "--employer", "--supervising"]],
    people=[
        ["Priya Shah", "--organisation", "NHS Tayside", "--role", "supervisee"],
        ["Tom Clark", "--organisation", "NHS Tayside", "--role", "supervisee"],
        ["Prof Alan Reid", "--role", "supervisor"],
    ],
    roles=[
        [
            "Consultant clinical psychologist",
            "--from",
            "01/04/2015",
            "--organisation",
            "NHS Tayside",
        ]
    ],
    registrations=[
        ["HCPC", "--number", "PYL98765", "--renewal", "31/05/2027"],
        ["BABCP", "--number", "654321", "--renewal", "31/03/2027"],
    ],
    packs=["babcp_accreditation", "hcpc_cpd"],
    settings={"hcpc_cpd": ["--cycle-start", "01/06/2025"]},
    leave=[["--from", "15/07/2026", "--to", "05/08/2026", "--pack", "babcp_accreditation"]],
    entries=[
        [
            "supervision",
            "date=2026-03-02",
            "duration=1:00",
            "direction=given",
            "supervisee=Priya Shah",
            "type=clinical",
        ],
        [
            "supervision",
            "date=2026-03-09",
            "duration=1:30",
            "direction=given",
            "supervisee=Tom Clark",
        ],
        [
            "supervision",
            "date=2026-03-16",
            "duration=1:00",
            "supervisor=Prof Alan Reid",
            "type=supervision of supervision",
        ],
        ["cpd", "start_date=2026-04-20", "title=CBT for psychosis update", "duration=6:00"],
    ],
    period=("2026-01-01", "2026-11-30"),
    expected={
        "qualified": date(2008, 9, 12),
        "roles": [("Consultant clinical psychologist", date(2015, 4, 1), None, "NHS Tayside")],
        "registrations": [
            ("HCPC", "PYL98765", None, date(2027, 5, 31)),
            ("BABCP", "654321", None, date(2027, 3, 31)),
        ],
        "settings": {"hcpc_cpd": PackSettings(cycle_start=date(2025, 6, 1))},
        "leave": {"babcp_accreditation": [Period(date(2026, 7, 15), date(2026, 8, 5))]},
    },
)

PERSONAS = {
    "mindfulness therapist": MINDFULNESS,
    "PWP": PWP,
    "MHWP": MHWP,
    "peer worker": PEER,
    "counsellor": COUNSELLOR,
    "nurse": NURSE,
    "supervisor": SUPERVISOR,
}


def set_up(cli: Cli, persona: Persona) -> None:
    """Everything the persona types, in the order a new user would."""
    cli.ok(
        "profile",
        "set",
        "--name",
        persona.name,
        "--email",
        persona.email,
        "--qualified",
        persona.qualified,
        "--client-groups",
        persona.client_groups,
    )
    for organisation in persona.organisations:
        assert "Added organisation" in cli.ok("organisation", "add", *organisation)
    for person in persona.people:
        assert "Added person" in cli.ok("person", "add", *person)
    for role in persona.roles:
        assert "Added role" in cli.ok("role", "add", *role)
    for registration in persona.registrations:
        assert "Added registration" in cli.ok("registration", "add", *registration)
    assert "Now following" in cli.ok("packs", "follow", *persona.packs)
    for pack_id, options in persona.settings.items():
        assert f"Saved the settings of {pack_id}" in cli.ok("packs", "settings", pack_id, *options)
    for spell in persona.leave:
        assert "marked for" in cli.ok("leave", "add", *spell)
    for entry in persona.entries:
        cli.ok("add", *entry)


@pytest.mark.parametrize("persona", PERSONAS.values(), ids=PERSONAS.keys())
def test_a_complete_logbook_is_set_up_with_the_command_line_alone(
    cli: Cli, persona: Persona, tmp_path: Path
) -> None:
    set_up(cli, persona)
    with opened(cli) as logbook:
        check_profile(logbook, persona)
        check_people_and_organisations(logbook, persona)
        settings = check_packs(logbook, persona)

    # What the checks see: every followed pack, with the working pattern and leave typed.
    start, end = persona.period
    checked = json.loads(cli.ok("status", "--from", start, "--to", end, "--format", "json"))
    assert [result["pack"] for result in checked] == persona.packs
    for result in checked:
        notes = " ".join(result["notes"])
        fraction = settings[result["pack"]].working_fraction
        if fraction < 1:
            assert f"Working pattern: {fraction:g} of full time." in notes
        for spell in settings[result["pack"]].leave:
            assert _span(spell) in notes

    # An export carries the profile and the entries as set up.
    exported = tmp_path / "export.json"
    cli.ok("export-json", str(exported))
    records = json.loads(exported.read_text())["records"]
    (saved,) = [r for r in records if r["kind"] == "profile"]
    assert saved["name"] == persona.name
    assert saved["followed_packs"] == persona.packs
    logged = [r for r in records if r["kind"] not in ("profile", "person", "organisation")]
    assert len(logged) == len(persona.entries)


def check_profile(logbook: Logbook, persona: Persona) -> None:
    expected = persona.expected
    profile = logbook.records.profile()
    assert profile is not None
    assert (profile.name, profile.email) == (persona.name, persona.email)
    assert profile.qualified_on == expected["qualified"]
    assert "; ".join(profile.client_groups) == persona.client_groups
    assert _roles(logbook, profile) == expected["roles"]
    registrations = [
        (r.body, r.number, r.registered_on, r.renewal_date) for r in profile.registrations
    ]
    assert registrations == expected["registrations"]


def check_people_and_organisations(logbook: Logbook, persona: Persona) -> None:
    organisations = _by_name(logbook, RecordKind.ORGANISATION)
    assert sorted(organisations) == sorted(o[0] for o in persona.organisations)
    for typed in persona.organisations:
        organisation = organisations[typed[0]]
        assert isinstance(organisation, Organisation)
        assert organisation.employer == ("--employer" in typed)
        assert organisation.supervising == ("--supervising" in typed)
    people = _by_name(logbook, RecordKind.PERSON)
    # Entries logged with `add` named these people, and no one new was made from the names.
    assert sorted(people) == sorted(p[0] for p in persona.people)
    for typed in persona.people:
        person = people[typed[0]]
        assert isinstance(person, Person)
        assert list(person.roles) == (_options(typed, "--role") or ["supervisor"])
        if "--organisation" in typed:
            wanted = _options(typed, "--organisation")[0].casefold()
            assert _organisation_name(logbook, person.organisation_uid).casefold() == wanted


def check_packs(logbook: Logbook, persona: Persona) -> dict[str, PackSettings]:
    """The followed packs and their settings are those typed; returns the settings."""
    requirements = logbook.requirements
    assert requirements.followed() == persona.packs
    found = {}
    for pack_id in persona.packs:
        typed = persona.expected["settings"].get(pack_id, PackSettings())
        leave = tuple(persona.expected["leave"].get(pack_id, ()))
        found[pack_id] = requirements.settings(pack_id)
        assert found[pack_id] == replace(typed, leave=leave)
    return found


def test_pwp_leave_weeks_are_not_checked_and_targets_are_pro_rata(cli: Cli) -> None:
    set_up(cli, PWP)
    start, end = PWP.period
    (result,) = json.loads(
        cli.ok("status", "--pack", "nhs_tt_pwp", "--from", start, "--to", end, "--format", "json")
    )
    weekly = next(r for r in result["rules"] if r["rule"].startswith("weekly-case-management"))
    on_leave = [f for f in weekly["findings"] if "on leave" in f["explanation"].lower()]
    # 3–30 August holds four whole weeks (Monday to Sunday).
    assert [f["start"] for f in on_leave] == [
        "2026-08-03",
        "2026-08-10",
        "2026-08-17",
        "2026-08-24",
    ]
    assert all(f["status"] == "not_applicable" for f in on_leave)
    worked = next(f for f in weekly["findings"] if f["start"] == "2026-07-06")
    assert worked["status"] == "met"
    assert worked["required"] == pytest.approx(0.6)  # one hour full time, three days a week


def test_counsellor_month_on_leave_is_not_checked_but_the_months_around_it_are(cli: Cli) -> None:
    set_up(cli, COUNSELLOR)
    text = cli.ok(
        "status", "--pack", "bacp_accreditation", "--from", "2026-06-01", "--to", "2026-09-30"
    )
    assert "Leave: 1 Aug 2026 – 31 Aug 2026." in text
    (result,) = json.loads(
        cli.ok(
            "status",
            "--pack",
            "bacp_accreditation",
            "--from",
            "2026-06-01",
            "--to",
            "2026-09-30",
            "--format",
            "json",
        )
    )
    monthly = next(r for r in result["rules"] if r["rule"] == "monthly-supervision")
    by_month = {f["start"]: f for f in monthly["findings"]}
    assert "on leave" in by_month["2026-08-01"]["explanation"].lower()
    assert by_month["2026-08-01"]["status"] == "not_applicable"
    assert by_month["2026-06-01"]["status"] == "met"
    assert by_month["2026-09-01"]["status"] == "met"


def test_registration_renewal_and_cycle_start_set_the_cycle_checked(cli: Cli) -> None:
    set_up(cli, NURSE)
    nurse = cli.ok("status", "--pack", "nmc_revalidation", "--to", "2026-11-30")
    # The three-year cycle ends the day before the NMC renewal date typed (31/05/2028).
    assert "Cycle 31 May 2025 – 30 May 2028 (ending the day before your NMC renewal date)" in nurse
    cli.ok("registration", "set", "1", "--renewal", "31/05/2029")
    moved = cli.ok("status", "--pack", "nmc_revalidation", "--to", "2026-11-30")
    assert "Cycle 31 May 2026 – 30 May 2029" in moved


def test_supervisor_cycle_start_and_supervision_given(cli: Cli) -> None:
    set_up(cli, SUPERVISOR)
    hcpc = cli.ok("status", "--pack", "hcpc_cpd", "--to", "2026-11-30")
    assert "Cycle 1 Jun 2025 – 31 May 2027 (from the cycle start in the pack settings)" in hcpc
    supervisees = cli.ok("person", "list", "--role", "supervisee")
    assert "Priya Shah (supervisee; at NHS Tayside)" in supervisees
    assert "Tom Clark (supervisee; at NHS Tayside)" in supervisees
    assert "2 person(s)" in supervisees
    given = cli.ok("list", "supervision", "--search", "Clark")
    assert "1.50 h" in given


# --- reading and changing what was set up -------------------------------------------------------


def test_profile_show_reads_back_what_was_typed(cli: Cli) -> None:
    set_up(cli, PWP)
    shown = cli.ok("profile", "show")
    assert "Name:          Priya Shah" in shown
    assert "Qualified:     1 Sep 2024" in shown
    assert "1. Trainee PWP, from 1 Sep 2023 to 31 Aug 2024, at NHS Fife" in shown
    assert "2. PWP, from 1 Sep 2024 (current), at NHS Fife" in shown
    assert "1. BABCP, PWP-0042, since 1 Oct 2024, renews 30 Sep 2027" in shown
    assert "Packs followed: nhs_tt_pwp, babcp_pwp" in shown
    data = json.loads(cli.ok("profile", "show", "--format", "json"))
    assert data["registrations"][0]["renewal_date"] == "2027-09-30"
    settings = cli.ok("packs", "settings", "nhs_tt_pwp")
    assert "Qualified on:    1 Sep 2024 (from your profile)" in settings
    assert "Working pattern: 60% of full time" in settings
    assert "Leave:           3 Aug 2026 – 30 Aug 2026" in settings


def test_roles_registrations_and_profile_fields_change_one_at_a_time(cli: Cli) -> None:
    set_up(cli, PWP)
    cli.ok("role", "set", "2", "--to", "31/03/2027", "--title", "Senior PWP")
    cli.ok("role", "remove", "1")
    cli.ok("registration", "set", "1", "--renewal", "30/09/2030", "--since", "none")
    cli.ok("profile", "set", "--email", "p.shah@example.org", "--qualified", "none")
    with opened(cli) as logbook:
        profile = logbook.records.profile()
    assert profile is not None
    assert profile.name == "Priya Shah"  # untouched by the changes
    assert profile.email == "p.shah@example.org"
    assert profile.qualified_on is None
    (role,) = profile.roles
    assert (role.title, role.start, role.end) == ("Senior PWP", date(2024, 9, 1), date(2027, 3, 31))
    (registration,) = profile.registrations
    assert (registration.number, registration.registered_on, registration.renewal_date) == (
        "PWP-0042",
        None,
        date(2030, 9, 30),
    )


def test_following_unfollowing_and_leave_removal(cli: Cli) -> None:
    set_up(cli, PWP)
    assert "Already following nhs_tt_pwp" in cli.ok("packs", "follow", "nhs_tt_pwp")
    assert "No longer following babcp_pwp" in cli.ok("packs", "unfollow", "babcp_pwp")
    listed = cli.ok("packs", "list")
    assert " * nhs_tt_pwp" in listed
    assert " * babcp_pwp" not in listed
    cli.ok("leave", "add", "--from", "21/12/2026", "--to", "1 Jan 2027", "--pack", "babcp_pwp")
    leave = cli.ok("leave", "list")
    assert "1. 3 Aug 2026 – 30 Aug 2026  (babcp_pwp, nhs_tt_pwp)" in leave
    assert "2. 21 Dec 2026 – 1 Jan 2027  (babcp_pwp)" in leave
    assert "removed from: nhs_tt_pwp" in cli.ok("leave", "remove", "1", "--pack", "nhs_tt_pwp")
    cli.ok("leave", "remove", "2")
    with opened(cli) as logbook:
        followed = logbook.requirements.followed()
        pwp, babcp = (logbook.requirements.settings(p) for p in ("nhs_tt_pwp", "babcp_pwp"))
    assert followed == ["nhs_tt_pwp"]
    assert pwp.leave == ()
    assert pwp.working_fraction == 0.6  # kept
    assert babcp.leave == (Period(date(2026, 8, 3), date(2026, 8, 30)),)


def test_people_and_organisations_are_renamed_moved_and_removed(cli: Cli) -> None:
    set_up(cli, PEER)
    cli.ok("organisation", "set", "fife mind", "--name", "Mind in Fife", "--no-supervising")
    cli.ok("person", "set", "kirsty brown", "--organisation", "Mind in Fife", "--role", "mentor")
    cli.ok("person", "set", "Dr Omar Said", "--organisation", "none")
    cli.ok("person", "add", "Lee Grant")
    assert "Removed person Lee Grant" in cli.ok("person", "remove", "lee grant")
    # Still named by supervision entries: refused, and kept.
    refused = cli.fails("person", "remove", "Kirsty Brown")
    assert "Kirsty Brown" in refused
    with opened(cli) as logbook:
        people = _by_name(logbook, RecordKind.PERSON)
    assert sorted(people) == ["Dr Omar Said", "Kirsty Brown"]
    kirsty, omar = people["Kirsty Brown"], people["Dr Omar Said"]
    assert isinstance(kirsty, Person)
    assert isinstance(omar, Person)
    assert kirsty.roles == ("mentor",)
    assert omar.organisation_uid is None
    organisations = cli.ok("organisation", "list")
    assert "Mind in Fife (Charity / third sector; employer)" in organisations


# --- mistakes ----------------------------------------------------------------------------------


def test_names_must_resolve_and_a_missing_one_says_how_to_add_it(cli: Cli) -> None:
    cli.ok("profile", "set", "--name", "Sam Carter")
    err = cli.fails("person", "add", "Dr Ann Lee", "--organisation", "NHS Lothain")
    assert "--organisation: no organisation called 'NHS Lothain'" in err
    assert 'logbook-cli organisation add "NHS Lothain"' in err
    err = cli.fails("role", "add", "PWP", "--from", "01/09/2024", "--organisation", "Nowhere")
    assert "--organisation: no organisation called 'Nowhere'" in err
    assert "0 person(s)" in cli.ok("person", "list")
    assert "none yet" in cli.ok("role", "list")


def test_two_people_with_one_name_are_told_apart_by_id(cli: Cli) -> None:
    # Entries logged with `add` create people by name, so two can share one.
    cli.ok("add", "person", "name=Sam Reid")
    cli.ok("add", "person", "name=Sam Reid", "notes=the other one")
    err = cli.fails("person", "set", "sam reid", "--email", "sam@example.org")
    assert "2 records are called 'sam reid'" in err
    listed = json.loads(cli.ok("person", "list", "--format", "json"))
    first = listed[0]["uid"]
    cli.ok("person", "set", first, "--email", "sam@example.org")
    again = json.loads(cli.ok("person", "list", "--format", "json"))
    assert [p["email"] for p in again if p["uid"] == first] == ["sam@example.org"]


def test_a_name_already_used_is_refused(cli: Cli) -> None:
    cli.ok("organisation", "add", "NHS Fife")
    err = cli.fails("organisation", "add", "nhs fife")
    assert "another organisation is called 'nhs fife'" in err
    assert "1 organisation(s)" in cli.ok("organisation", "list")


def test_bad_dates_and_shares_name_the_option_and_change_nothing(cli: Cli) -> None:
    cli.ok("profile", "set", "--name", "Sam Carter", "--qualified", "01/09/2024")
    err = cli.fails("profile", "set", "--qualified", "31/02/2025", code=2)
    assert "argument --qualified: 31/02/2025 is not a date: February 2025 has 28 days" in err
    err = cli.fails("registration", "add", "BACP", "--renewal", "next year", code=2)
    assert "argument --renewal" in err
    cli.ok("packs", "follow", "bacp_accreditation")
    err = cli.fails("packs", "settings", "bacp_accreditation", "--pro-rata", "1.5", code=2)
    assert "argument --working-pattern/--pro-rata: '1.5' is 1.5 of full time" in err
    err = cli.fails("packs", "settings", "bacp_accreditation", "--working-pattern", "half", code=2)
    assert "'half' is not a working pattern" in err
    err = cli.fails("leave", "add", "--from", "14/08/2026", "--to", "01/08/2026")
    assert "--to is before --from" in err
    err = cli.fails("role", "remove", "1")
    assert "there is no role 1 (your roles: none yet)" in err
    with opened(cli) as logbook:
        profile = logbook.records.profile()
        settings = logbook.requirements.settings("bacp_accreditation")
    assert profile is not None
    assert profile.qualified_on == date(2024, 9, 1)
    assert profile.registrations == ()
    assert settings == PackSettings()


def test_set_up_needs_a_profile_first_and_says_how(cli: Cli) -> None:
    for args in (
        ["role", "add", "PWP", "--from", "01/09/2024"],
        ["registration", "add", "BABCP"],
        ["packs", "follow", "babcp_pwp"],
        ["profile", "show"],
    ):
        err = cli.fails(*args)
        assert 'create it first with logbook-cli profile set --name "Your Name"' in err
    err = cli.fails("profile", "set", "--email", "sam@example.org")
    assert "give --name" in err
    err = cli.fails("leave", "add", "--from", "01/08/2026", "--to", "14/08/2026")
    assert "follow them first (logbook-cli packs follow ID) or name one with --pack ID" in err
    err = cli.fails("packs", "follow", "bacp")
    assert "No requirement pack 'bacp' is installed" in err


def test_notes_that_look_client_identifiable_are_refused_unless_kept(cli: Cli) -> None:
    err = cli.fails("person", "add", "Jo Bell", "--notes", "Saw client at EH11 4AB")
    assert "looks like a UK postcode" in err
    assert "--allow-identifiers" in err
    err = cli.fails("organisation", "add", "Mind", "--notes", "call 07700 900123")
    assert "looks like a UK phone number" in err
    assert "0 person(s)" in cli.ok("person", "list")
    cli.ok("organisation", "add", "Mind")
    err = cli.fails("organisation", "set", "mind", "--notes", "call 07700 900123")
    assert "looks like a UK phone number" in err
    cli.ok("organisation", "set", "mind", "--notes", "call 07700 900123", "--allow-identifiers")
    with opened(cli) as logbook:
        (mind,) = logbook.records.all(RecordKind.ORGANISATION)
        kept = logbook.privacy.allowances(mind.uid)
    assert isinstance(mind, Organisation)
    assert mind.notes == "call 07700 900123"
    assert [a.door.value for a in kept] == ["cli"]


SETUP_COMMANDS = {
    "profile": ["show", "set"],
    "role": ["add", "list", "set", "remove"],
    "registration": ["add", "list", "set", "remove"],
    "organisation": ["add", "list", "set", "remove"],
    "person": ["add", "list", "set", "remove"],
    "packs": ["list", "follow", "unfollow", "settings"],
    "leave": ["add", "list", "remove"],
}


@pytest.mark.parametrize("command", SETUP_COMMANDS)
def test_every_set_up_command_explains_itself_with_examples(cli: Cli, command: str) -> None:
    help_text = cli.ok(command, "--help")
    assert "examples:" in help_text
    assert f"logbook-cli {command} " in help_text
    for action in SETUP_COMMANDS[command]:
        assert action in help_text
        action_help = cli.ok(command, action, "--help")
        assert "examples:" in action_help
        assert f"logbook-cli {command} {action}" in action_help
    assert not cli.folder.exists()  # asking for help writes nothing


def test_the_installed_command_sets_up_a_profile_in_its_own_process(tmp_path: Path) -> None:
    folder = tmp_path / "logbook"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "logbook.cli.main", "--data-dir", str(folder), *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            stdin=subprocess.DEVNULL,
        )

    made = run("profile", "set", "--name", "Ana Silva", "--qualified", "3 Mar 2025")
    assert made.returncode == 0, made.stderr
    shown = run("profile", "show")
    assert "Ana Silva" in shown.stdout
    assert "Qualified:     3 Mar 2025" in shown.stdout
    wrong = run("registration", "add", "HCPC", "--renewal", "32/01/2027")
    assert wrong.returncode == 2
    assert "argument --renewal" in wrong.stderr
    assert "Traceback" not in wrong.stderr


# --- helpers -----------------------------------------------------------------------------------


def _roles(logbook: Logbook, profile: Profile) -> list[tuple[str, date, date | None, str | None]]:
    return [
        (r.title, r.start, r.end, _organisation_name(logbook, r.organisation_uid) or None)
        for r in profile.roles
    ]


def _organisation_name(logbook: Logbook, uid: str | None) -> str:
    if uid is None:
        return ""
    return str(getattr(logbook.records.get(RecordKind.ORGANISATION, uid), "name", ""))


def _by_name(logbook: Logbook, kind: RecordKind) -> dict[str, Any]:
    return {str(getattr(r, "name", "")): r for r in logbook.records.all(kind)}


def _options(typed: list[str], option: str) -> list[str]:
    return [typed[i + 1] for i, word in enumerate(typed) if word == option]


def _span(period: Period) -> str:
    assert period.start is not None
    assert period.end is not None
    return f"{short_date(period.start)} – {short_date(period.end)}"
