"""What is due: supervision a followed pack asks for in this week, fortnight or month and not
yet logged, beside renewals, milestones and unanswered sign-off; and ``logbook-cli reminders``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

from logbook.domain.choices import SupervisionFormat, SupervisionType
from logbook.domain.periods import Period
from logbook.domain.records import PracticeEntry, Profile, Record, Registration, SupervisionSession
from logbook.domain.requirements.model import PackSettings
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.services.reminders import reminders, urgent_reminders
from tests.cli_support import Ran, run_cli

WEDNESDAY = date(2026, 11, 25)  # six days left of November; Sunday 29 ends the week
MONTHLY = "No supervision logged yet this month"
WEEKLY = "No individual case-management supervision logged yet this week"
SKILLS = "No clinical-skills supervision logged yet this fortnight"
CASE_MANAGEMENT = "No case-management supervision logged yet this fortnight"


def practice(day: date) -> PracticeEntry:
    return PracticeEntry(date=day, duration_minutes=50)


def supervision(day: date, minutes: int = 90, **fields: object) -> SupervisionSession:
    return SupervisionSession(date=day, duration_minutes=minutes, **fields)  # type: ignore[arg-type]


def case_management(day: date, **fields: object) -> SupervisionSession:
    return supervision(day, 60, supervision_type=SupervisionType.CASE_MANAGEMENT, **fields)


@dataclass(frozen=True)
class Case:
    packs: tuple[str, ...]
    records: tuple[Record, ...]
    expected: list[tuple[str, bool]]  # (title, urgent) of the supervision reminders
    today: date = WEDNESDAY
    settings: dict[str, PackSettings] = field(default_factory=dict)
    qualified_on: date | None = None


CASES = {
    "monthly pack, practice and no supervision this month": Case(
        ("bacp_accreditation",), (practice(date(2026, 11, 3)),), [(MONTHLY, True)]
    ),
    "monthly pack, early in the month: listed, not urgent": Case(
        ("bacp_accreditation",),
        (practice(date(2026, 11, 3)),),
        [(MONTHLY, False)],
        today=date(2026, 11, 5),
    ),
    "monthly pack, supervision logged": Case(
        ("bacp_accreditation",),
        (practice(date(2026, 11, 3)), supervision(date(2026, 11, 10))),
        [],
    ),
    "pack not followed": Case((), (practice(date(2026, 11, 3)),), []),
    "some logged, month still young: no word yet": Case(
        ("bacp_accreditation",),
        (practice(date(2026, 11, 3)), supervision(date(2026, 11, 4), 60)),
        [],
        today=date(2026, 11, 10),
    ),
    "some logged, month ending: how much is missing": Case(
        ("bacp_accreditation",),
        (practice(date(2026, 11, 3)), supervision(date(2026, 11, 4), 60)),
        [("Supervision this month: 1 h of 1.5 h logged", True)],
    ),
    "no practice yet this month, but last month: a gentle word": Case(
        ("bacp_accreditation",),
        (practice(date(2026, 10, 20)),),
        [(MONTHLY, False)],
        today=date(2026, 11, 2),
    ),
    "no practice for months: quiet": Case(
        ("bacp_accreditation",), (practice(date(2026, 8, 2)),), []
    ),
    "on leave this month: quiet": Case(
        ("bacp_accreditation",),
        (practice(date(2026, 11, 3)),),
        [],
        settings={
            "bacp_accreditation": PackSettings(
                leave=(Period(date(2026, 11, 1), date(2026, 11, 30)),)
            )
        },
    ),
    "weekly rule, nothing this week": Case(("babcp_pwp",), (), [(WEEKLY, False)]),
    "weekly rule, Friday: urgent": Case(
        ("babcp_pwp",), (), [(WEEKLY, True)], today=date(2026, 11, 27)
    ),
    "weekly rule, logged on Monday": Case(
        ("babcp_pwp",), (case_management(date(2026, 11, 23)),), []
    ),
    "weekly rule, logged last week only": Case(
        ("babcp_pwp",), (case_management(date(2026, 11, 20)),), [(WEEKLY, False)]
    ),
    "weekly individual rule: a group session does not count": Case(
        ("babcp_pwp",),
        (case_management(date(2026, 11, 23), format=SupervisionFormat.GROUP, group_size=4),),
        [(WEEKLY, False)],
    ),
    "skills supervision fortnightly in the first six months after qualifying": Case(
        ("cwp_emhp",),
        (),
        [
            (CASE_MANAGEMENT, False),
            ("No clinical-skills supervision logged yet this fortnight", False),
        ],
        qualified_on=date(2026, 9, 1),
    ),
    "then monthly": Case(
        ("cwp_emhp",),
        (),
        # Soonest first: the month ends on 30 Nov, the fortnight on 6 Dec.
        [("No clinical-skills supervision logged yet this month", True), (CASE_MANAGEMENT, False)],
        qualified_on=date(2025, 9, 1),
    ),
    "two packs asking the same: one reminder": Case(
        ("nhs_tt_pwp", "babcp_pwp"), (), [(WEEKLY, False), (SKILLS, False)]
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_supervision_reminders(logbook: Logbook, case: Case) -> None:
    profile = Profile(name="Sam Rivera", qualified_on=case.qualified_on)
    logbook.records.create_many([profile, *case.records])
    logbook.requirements.follow(case.packs)
    for pack_id, settings in case.settings.items():
        logbook.requirements.save_settings(pack_id, settings)

    found = reminders(logbook, logbook.records.profile(), case.today)

    assert [(r.title, r.urgent) for r in found if r.section == "supervision"] == case.expected


def test_the_reminder_says_who_asks_for_what_and_until_when(logbook: Logbook) -> None:
    logbook.records.create_many([Profile(name="Sam Rivera"), practice(date(2026, 11, 3))])
    logbook.requirements.follow(["bacp_accreditation"])

    [reminder] = reminders(logbook, logbook.records.profile(), WEDNESDAY)

    assert reminder.detail == (
        "BACP individual accreditation asks for at least 1.5 h a month · 6 days left, to 30 Nov"
    )
    assert reminder.when == date(2026, 11, 30)


def test_packs_asking_the_same_are_named_in_one_sentence(logbook: Logbook) -> None:
    logbook.records.create(Profile(name="Sam Rivera"))
    logbook.requirements.follow(["nhs_tt_pwp", "babcp_pwp"])

    found = reminders(logbook, logbook.records.profile(), WEDNESDAY)

    [weekly] = [r for r in found if r.title == WEEKLY]
    assert weekly.detail.startswith(
        "NHS Talking Therapies PWP supervision and BABCP PWP registration ask for at least 1 h"
    )


def test_a_part_time_pattern_asks_for_less(logbook: Logbook) -> None:
    logbook.records.create(Profile(name="Sam Rivera"))
    logbook.requirements.follow(["nhs_tt_pwp"])
    logbook.requirements.save_settings("nhs_tt_pwp", PackSettings(working_fraction=0.5))

    found = reminders(logbook, logbook.records.profile(), WEDNESDAY)

    [weekly] = [r for r in found if r.title == WEEKLY]
    assert "at least 0.5 h a week" in weekly.detail


def test_a_rule_of_practice_months_only_says_so_when_none_is_logged_yet(
    logbook: Logbook,
) -> None:
    logbook.records.create_many([Profile(name="Sam Rivera"), practice(date(2026, 10, 20))])
    logbook.requirements.follow(["bacp_accreditation"])

    [reminder] = reminders(logbook, logbook.records.profile(), date(2026, 11, 2))

    assert reminder.detail.startswith(
        "If you practise this month, BACP individual accreditation asks for at least 1.5 h"
    )
    assert not reminder.urgent


def test_urgent_ones_are_what_the_app_shows_at_start(logbook: Logbook) -> None:
    logbook.records.create_many(
        [
            Profile(
                name="Sam Rivera",
                registrations=(
                    Registration(body="BACP", number="1", renewal_date=date(2027, 3, 1)),
                ),
            ),
            practice(date(2026, 11, 3)),
        ]
    )
    logbook.requirements.follow(["bacp_accreditation"])
    profile = logbook.records.profile()

    everything = reminders(logbook, profile, WEDNESDAY)
    due_now = urgent_reminders(logbook, profile, WEDNESDAY)

    assert [r.title for r in everything] == [MONTHLY, "BACP renewal"]  # soonest first
    assert [r.title for r in due_now] == [MONTHLY]


# --- the command line ------------------------------------------------------------------------


def cli(data: Path, *args: str) -> Ran:
    return run_cli(*args, data=data)


def test_the_command_line_lists_what_is_due(tmp_path: Path) -> None:
    soon = date.today() + timedelta(days=10)
    later = date.today() + timedelta(days=80)
    with Logbook.open(DataLocation(tmp_path)) as logbook:
        logbook.records.create(
            Profile(
                name="Sam Rivera",
                registrations=(
                    Registration(body="HCPC", number="PYL1", renewal_date=soon),
                    Registration(body="BABCP", number="2", renewal_date=later),
                ),
            )
        )

    listed = cli(tmp_path, "reminders")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("! ")  # urgent: within 60 days
    assert lines[0].endswith("HCPC renewal")
    assert "in 10 days" in lines[1]
    assert lines[2].startswith("  ")
    assert lines[2].endswith("BABCP renewal")

    urgent = cli(tmp_path, "reminders", "--urgent", "--format", "json")
    assert urgent.returncode == 0, urgent.stderr
    assert [(r["title"], r["due"]) for r in json.loads(urgent.stdout)] == [
        ("HCPC renewal", soon.isoformat())
    ]


def test_the_command_line_says_when_nothing_is_due(tmp_path: Path) -> None:
    with Logbook.open(DataLocation(tmp_path)) as logbook:
        logbook.records.create(Profile(name="Sam Rivera"))
    done = cli(tmp_path, "reminders", "--days", "30")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Nothing due in the next 30 days."
