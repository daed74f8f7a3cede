"""Every field of BABCP's supervision log, read back from the wellbeing practitioner's demo
logbook exported in the supervision layout for its default period (the twelve months to the day
of export), and the supervision given from the supervisor's.

``FIELDS`` below is a table of (part of the log, field, how to find it), in the order of the
"BABCP supervision log" section of docs/layouts.md: each row names the section of the record
that prints the field and works out, from the demo's records, the words that must be printed
there (the field's label and its value). Fields the demo cannot show (a break in supervision and
the practitioner's account of it, a peer group, an evidence file, private reflections asked for)
are read back from a small logbook made in the tests after the table.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

import pytest

from logbook.domain.choices import (
    CpdType,
    Direction,
    SupervisionFormat,
    SupervisionMethod,
    SupervisionType,
)
from logbook.domain.durations import hours
from logbook.domain.periods import Period
from logbook.domain.records import (
    CpdActivity,
    Organisation,
    Person,
    PracticeEntry,
    Profile,
    Record,
    RecordKind,
    Registration,
    RoleSpell,
    SupervisionSession,
    minutes_of,
)
from logbook.domain.requirements.credit import credit_minutes
from logbook.domain.requirements.model import GroupCredit
from logbook.export.cells import SIGNED_STATES
from logbook.services.export import ExportOptions, export_portfolio, gather_portfolio
from logbook.services.logbook import Logbook
from logbook.services.portfolio_data import supervision_rules
from tests.layout_support import EXPORTED, TODAY, Exported, day, export_demo, flat
from tests.signoff_support import open_book

K = RecordKind
R = TypeVar("R", bound=Record)
TWELVE_MONTHS = Period(date(2025, 12, 1), TODAY)
LIVE_METHODS = {SupervisionMethod.LIVE_OBSERVATION, SupervisionMethod.RECORDING_REVIEW}


@dataclass(frozen=True)
class Demo:
    """A demo exported in the supervision layout, with what its logbook says beside the text:
    the group formula its packs name, the entries its supervisors have signed, and the text of
    the same export with private reflections asked for."""

    exported: Exported
    credit: GroupCredit
    source: str
    signed: frozenset[str]
    private_text: str

    @property
    def text(self) -> str:
        return self.exported.text


def made(folder: Path, persona: str) -> Demo:
    """The demo of ``persona`` exported in the supervision layout for its default period; its
    logbook is then opened again to read its formula and sign-off and to export it with private
    reflections."""
    exported = export_demo(folder, persona, "supervision")
    with open_book(folder / "logbook") as book:
        rules = supervision_rules(book)
        options = ExportOptions(exported.period, "supervision", include_private=True)
        data = gather_portfolio(book, options, now=EXPORTED)
        signed = frozenset(u for u, e in data.entry_signoffs.items() if e.state in SIGNED_STATES)
        export_portfolio(book, folder / "private.pdf", options, now=EXPORTED)
    return Demo(exported, rules.group_credit, rules.source, signed, flat(folder / "private.pdf"))


@pytest.fixture(scope="module")
def pwp(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return made(tmp_path_factory.mktemp("pwp-fields"), "pwp")


@pytest.fixture(scope="module")
def supervisor(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return made(tmp_path_factory.mktemp("supervisor-fields"), "supervisor")


# --- what the records say each field holds ------------------------------------------------------


def received(e: Exported) -> list[SupervisionSession]:
    return [
        s
        for s in e.in_period(K.SUPERVISION, SupervisionSession)
        if s.direction is Direction.RECEIVED
    ]


def given(e: Exported) -> list[SupervisionSession]:
    return [
        s for s in e.in_period(K.SUPERVISION, SupervisionSession) if s.direction is Direction.GIVEN
    ]


def name(e: Exported, uid: str | None) -> str:
    return next(p.name for p in e.of(K.PERSON) if isinstance(p, Person) and p.uid == uid)


def counted(count: int, noun: str) -> str:
    return f"{count} {noun if count != 1 else noun.removesuffix('s')}"


def credited(demo: Demo, sessions: list[SupervisionSession]) -> float:
    return sum(credit_minutes(s, demo.credit)[0] for s in sessions)


def h2(minutes: float) -> str:
    return f"{minutes / 60:.2f}"


def is_live(session: SupervisionSession) -> bool:
    return session.live or bool(LIVE_METHODS & set(session.methods))


def session_row(demo: Demo, session: SupervisionSession) -> str:
    """A session's row of the log, from its date to the end of its content."""
    e = demo.exported
    kind = [session.supervision_type.label]
    if session.direction is Direction.GIVEN:
        kind.append("(given)")
    if session.live:
        kind.append("Live")
    kind += [m.label for m in session.methods]
    group = session.format is SupervisionFormat.GROUP
    form = f"Group of {session.group_size}" if group else "Individual"
    who = name(e, session.counterpart_uid)
    if group and session.supervision_type is not SupervisionType.PEER:
        who += " (facilitator)"
    if session.group_member_uids:
        who += " Group members: " + ", ".join(name(e, u) for u in session.group_member_uids)
    content = "; ".join(session.themes)
    if session.action_points:
        content += f" Action points: {session.action_points}"
    return (
        f"{day(session.date)} {hours(session.duration_minutes)} {' '.join(kind)} {form} "
        f"{session.mode.label} {who} {e.organisation(session.organisation_uid).name} "
        f"{h2(credit_minutes(session, demo.credit)[0])} {content}"
    )


def cpd(e: Exported) -> list[CpdActivity]:
    return e.in_period(K.CPD, CpdActivity)


def cpd_heading(number: int, a: CpdActivity) -> str:
    skills = ", skills" if a.skills_focused else ""
    return (
        f"{number}. {a.title} ({day(a.start_date)}, {a.cpd_type.label.lower()}, "
        f"{hours(a.duration_minutes)} h{skills})"
    )


# --- the log, field by field --------------------------------------------------------------------

SUMMARY = ("1 Summary", "2 Supervision received")
LOG = ("2 Supervision received", "3 Breaks in supervision")
BREAKS = ("3 Breaks in supervision", "4 CPD and reflective statements")
CPD = ("4 CPD and reflective statements", "5 Supervisor declaration")
DECLARATION = ("5 Supervisor declaration", "6 Sign-off evidence")
GIVEN = ("3 Supervision given", "4 Breaks in supervision")
WHOLE = ("the whole record", None)

LOG_HEADER = (
    "Date Duration (h) Type and method Format (group size) Supervisor or group members "
    "Credited (h) Themes discussed and action points Sign-off"
)


def default_period(demo: Demo) -> list[str]:
    e = demo.exported
    assert e.period == TWELVE_MONTHS
    return [f"Period {day(TWELVE_MONTHS.start or TODAY)} – {day(TODAY)}"]


def dates_and_durations(demo: Demo) -> list[str]:
    sessions = received(demo.exported)
    minutes = sum(s.duration_minutes for s in sessions)
    return [
        LOG_HEADER,
        f"{len(sessions)} sessions, {hours(minutes)} hours recorded, "
        f"{h2(credited(demo, sessions))} hours credited, {day(TWELVE_MONTHS.start or TODAY)} – "
        f"{day(TODAY)}.",
        *(
            f"{day(s.date)} {hours(s.duration_minutes)} {s.supervision_type.label}"
            for s in sessions
        ),
    ]


def every_row(demo: Demo) -> list[str]:
    return [session_row(demo, s) for s in received(demo.exported)]


def kinds_of_session(demo: Demo) -> list[str]:
    sessions = received(demo.exported)
    group = next(s for s in sessions if s.format is SupervisionFormat.GROUP)
    alone = next(s for s in sessions if s.format is SupervisionFormat.INDIVIDUAL)
    return [
        "Type and method",
        "Format (group size)",
        session_row(demo, group),
        session_row(demo, alone),
    ]


def delivery(demo: Demo) -> list[str]:
    sessions = received(demo.exported)
    modes = {s.mode for s in sessions}
    assert len(modes) > 1  # in person and by video
    return [
        session_row(demo, next(s for s in sessions if s.mode is mode))
        for mode in sorted(modes, key=lambda m: m.value)
    ]


def methods(demo: Demo) -> list[str]:
    sessions = received(demo.exported)
    used = {m for s in sessions for m in s.methods}
    assert len(used) >= 3
    return [
        session_row(demo, next(s for s in sessions if method in s.methods))
        for method in sorted(used, key=lambda m: m.value)
    ]


def group_members(demo: Demo) -> list[str]:
    groups = [s for s in received(demo.exported) if s.format is SupervisionFormat.GROUP]
    assert groups
    assert all(s.group_member_uids for s in groups)
    # Colleagues only: every member is a person of the logbook, never a client.
    assert all(
        demo.exported.person(u).roles == ("colleague",) for s in groups for u in s.group_member_uids
    )
    return ["Supervisor or group members", *(session_row(demo, s) for s in groups)]


def content(demo: Demo) -> list[str]:
    sessions = received(demo.exported)
    assert any(s.action_points for s in sessions)
    return ["Themes discussed and action points", *(session_row(demo, s) for s in sessions)]


def type_totals(demo: Demo) -> list[str]:
    sessions = received(demo.exported)
    found = []
    for kind in (SupervisionType.CASE_MANAGEMENT, SupervisionType.CLINICAL_SKILLS):
        mine = [s for s in sessions if s.supervision_type is kind]
        assert mine
        minutes = sum(s.duration_minutes for s in mine)
        found.append(f"{kind.label} {len(mine)} {hours(minutes)} {h2(credited(demo, mine))}")
    minutes = sum(s.duration_minutes for s in sessions)
    case = sum(
        s.duration_minutes
        for s in sessions
        if s.supervision_type is SupervisionType.CASE_MANAGEMENT
    )
    skills = sum(
        s.duration_minutes
        for s in sessions
        if s.supervision_type is SupervisionType.CLINICAL_SKILLS
    )
    live = sum(1 for s in sessions if is_live(s))
    return [
        "Type of supervision Sessions Hours Credited hours",
        *found,
        "Twelve months Sessions Live Hours Credited hours Credited a month (mean) "
        "Case management (h) Clinical skills (h)",
        f"{day(TWELVE_MONTHS.start or TODAY)} – {day(TODAY)} {len(sessions)} {live} "
        f"{hours(minutes)} {h2(credited(demo, sessions))} {h2(credited(demo, sessions) / 12)} "
        f"{hours(case)} {hours(skills)}",
    ]


def live_assessment(demo: Demo) -> list[str]:
    sessions = received(demo.exported)
    live = [s for s in sessions if is_live(s)]
    verdict = (
        "criteria met for the recorded period"
        if len(live) >= 2
        else (f"not yet met, {2 - len(live)} more needed")
    )
    return [
        *(session_row(demo, s) for s in live),
        f"Live assessments, {day(TWELVE_MONTHS.start or TODAY)} – {day(TODAY)}: {len(live)}; "
        f"BABCP asks for at least 2 a year: {verdict}.",
    ]


def per_supervisor(demo: Demo) -> list[str]:
    e = demo.exported
    groups: dict[tuple[str, str, str], list[SupervisionSession]] = defaultdict(list)
    for s in received(e):
        groups[
            (name(e, s.counterpart_uid), e.organisation(s.organisation_uid).name, s.arrangement)
        ].append(s)
    assert all(arrangement for _, _, arrangement in groups)
    rows = ["Supervisor Organisation Arrangement Sessions Hours Credited hours Signed"]
    for (who, where, arrangement), sessions in sorted(groups.items()):
        signed = sum(1 for s in sessions if s.uid in demo.signed)
        rows.append(
            f"{who} {where} {arrangement} {len(sessions)} "
            f"{hours(sum(s.duration_minutes for s in sessions))} {h2(credited(demo, sessions))} "
            f"{signed} of {len(sessions)}"
        )
    total = sum(1 for s in received(e) if s.uid in demo.signed)
    assert total
    return [*rows]


def cover_signed(demo: Demo) -> list[str]:
    sessions = received(demo.exported)
    signed = sum(1 for s in sessions if s.uid in demo.signed)
    return [f"Entries signed Supervision received: {signed} of {len(sessions)} sessions"]


def monthly_mean(demo: Demo) -> list[str]:
    sessions = received(demo.exported)
    return ["Credited a month (mean)", f" {h2(credited(demo, sessions) / 12)} "]


def areas(demo: Demo) -> list[str]:
    counts = Counter(theme for s in received(demo.exported) for theme in s.themes)
    return [
        "Areas covered in supervision Sessions",
        *(f"{t} {n}" for t, n in counts.most_common(12)),
    ]


def breaks(demo: Demo) -> list[str]:
    e = demo.exported
    practice: dict[date, int] = defaultdict(int)
    for entry in e.in_period(K.PRACTICE, PracticeEntry):
        practice[entry.date.replace(day=1)] += minutes_of(entry)
    supervised = {s.date.replace(day=1) for s in received(e)}
    assert not [m for m, minutes in practice.items() if minutes and m not in supervised]
    return [
        "BABCP asks for “details and reasons for breaks in supervision, including steps taken "
        "to remedy any problems”",
        "No break: every month with practice had supervision.",
    ]


def signatures(demo: Demo) -> list[str]:
    e = demo.exported
    boxes = []
    for uid in {s.counterpart_uid for s in received(e)}:
        mine = [s for s in received(e) if s.counterpart_uid == uid]
        who = e.person(uid)
        boxes.append(
            f"Supervisor {who.name} Registration {who.registration_body} {who.registration_number} "
            f"Organisation {e.organisation(who.organisation_uid).name} Supervised "
            f"{counted(len(mine), 'sessions')}, {hours(sum(s.duration_minutes for s in mine))} h, "
            f"{day(min(s.date for s in mine))} – {day(max(s.date for s in mine))} Signature Date"
        )
    return [
        "One signature from a peer group is sufficient. Electronic signatures are acceptable.",
        *boxes,
    ]


def cpd_numbers(demo: Demo) -> list[str]:
    activities = cpd(demo.exported)
    assert len(activities) >= 5
    return [
        "Numbered in date order; evidence files are numbered to match (CPD EV 1, CPD EV 2 …).",
        *(cpd_heading(n, a) for n, a in enumerate(activities, 1)),
    ]


def cpd_details(demo: Demo) -> list[str]:
    found = []
    for number, a in enumerate(cpd(demo.exported), 1):
        cbt = "yes" if a.cbt_related else "no (not specific to CBT)"
        found.append(
            f"{cpd_heading(number, a)} Provider: {a.provider} · CBT-related: {cbt} · "
            f"Evidence CPD EV {number}: no file attached"
        )
    return found


def cpd_skills(demo: Demo) -> list[str]:
    activities = cpd(demo.exported)
    skills = sum(a.duration_minutes for a in activities if a.skills_focused)
    return [
        f"Six hours of CBT skills development ({day(TWELVE_MONTHS.start or TODAY)} – "
        f"{day(TODAY)}) 6.00 h {hours(skills)} h Criteria met for the recorded period"
    ]


def cbt_related(demo: Demo) -> list[str]:
    activities = cpd(demo.exported)
    cbt = sum(1 for a in activities if a.cbt_related)
    other = [str(n) for n, a in enumerate(activities, 1) if not a.cbt_related]
    assert len(other) > 1  # more than one: BABCP accepts only one of the five
    return [
        f"At most one of the five not specific to CBT 4 CBT-related {cbt} of {len(activities)} "
        "CBT-related",
        f"BPS PWP register: at least three of the five CBT-related 3 CBT-related {cbt} of "
        f"{len(activities)} CBT-related",
        f"{len(other)} of these activities are not CBT-related (numbers {', '.join(other)}). "
        "BABCP allows one non-CBT activity of the five: submit at most one of them among the "
        "five reflective statements.",
    ]


def cpd_five(demo: Demo) -> list[str]:
    activities = cpd(demo.exported)
    span = f"{day(TWELVE_MONTHS.start or TODAY)} – {day(TODAY)}"
    return [
        f"Five CPD activities, each with a reflective statement ({span}) 5 activities "
        f"{len(activities)} activities, {len(activities)} with a statement Criteria met for the "
        "recorded period"
    ]


def statements(demo: Demo) -> list[str]:
    found = []
    for a in cpd(demo.exported):
        assert a.impact
        block = f"What I learnt {a.learning_outcomes} How it changed my work {a.impact}"
        if a.reflection and not a.reflection_private:
            block += f" Reflection {a.reflection}"
        found.append(block)
    return found


def private_left_out(demo: Demo) -> list[str]:
    activities = cpd(demo.exported)
    private = [a for a in activities if a.reflection and a.reflection_private]
    assert private
    assert "Private reflection" not in demo.text
    return []


def given_log(demo: Demo) -> list[str]:
    e = demo.exported
    out = given(e)
    assert out
    minutes = sum(s.duration_minutes for s in out)
    own = [
        s for s in received(e) if s.supervision_type is SupervisionType.SUPERVISION_OF_SUPERVISION
    ]
    own_minutes = sum(s.duration_minutes for s in own)
    people = len({s.counterpart_uid for s in out})
    span = f"{day(TWELVE_MONTHS.start or TODAY)} – {day(TODAY)}"
    return [
        f"{len(out)} sessions, {hours(minutes)} hours given.",
        "(the Provision of Supervision Log)",
        f"Supervision given, {span} 20.00 h a year {hours(minutes)} h to "
        f"{counted(people, 'supervisees')} "
        + ("Criteria met for the recorded period" if minutes >= 20 * 60 else "Not yet met"),
        f"Supervision of supervision, {span} {hours(round(minutes * 5 / 100))} h (5 % of "
        f"supervision given) or 12.00 h (an hour a month) {hours(own_minutes)} h in "
        f"{counted(len(own), 'sessions')} "
        + (
            "Criteria met for the recorded period"
            if own_minutes >= min(minutes * 5 / 100, 12 * 60)
            else "Not yet met"
        ),
        "Date Duration (h) Type and method Format (group size) Supervisee Credited (h)",
        *(session_row(demo, s) for s in out),
    ]


def credit_formula(demo: Demo) -> list[str]:
    assert demo.source
    example = SupervisionSession(
        date=TODAY, duration_minutes=120, format=SupervisionFormat.GROUP, group_size=4
    )
    each = h2(credit_minutes(example, demo.credit)[0])
    words = (
        f"Credited time, by the formula of {demo.source}: individual sessions count in full. "
        f"{' '.join(demo.credit.description.split())} Worked example: two hours of group "
        f"supervision with four supervisees credit {each} h to each."
    )
    sessions = received(demo.exported)
    return [
        words,
        f"{h2(credited(demo, sessions))} h credited by the formula of {demo.source}",
    ]


@dataclass(frozen=True)
class LogField:
    """A field of BABCP's log: where the record prints it, and what it must say."""

    part: str
    field: str
    section: tuple[str, str | None]
    printed: Callable[[Demo], list[str]]


FIELDS = [
    LogField("Default period", "the twelve months to the day of export", WHOLE, default_period),
    LogField("Supervision log", "Date", LOG, dates_and_durations),
    LogField("Supervision log", "Duration (and credited time)", LOG, every_row),
    LogField("Supervision log", "Type: individual, group or peer", LOG, kinds_of_session),
    LogField("Supervision log", "Method of delivery", LOG, delivery),
    LogField("Supervision log", "Methods used", LOG, methods),
    LogField("Supervision log", "Supervisor or members of the group", LOG, group_members),
    LogField("Supervision log", "Content", LOG, content),
    LogField("Supervision log", "Case management / clinical skills", SUMMARY, type_totals),
    LogField("Supervision log", "Live assessment", WHOLE, live_assessment),
    LogField("Supervision log", "Sign-off (signed share per supervisor)", SUMMARY, per_supervisor),
    LogField("Supervision log", "Sign-off (in all)", WHOLE, cover_signed),
    LogField("Summary", "Total hours, per supervisor and in all", SUMMARY, per_supervisor),
    LogField("Summary", "Monthly hours", SUMMARY, monthly_mean),
    LogField("Summary", "Areas covered in supervision", SUMMARY, areas),
    LogField("Summary", "Live sampling", WHOLE, live_assessment),
    LogField("Summary", "Breaks in supervision", BREAKS, breaks),
    LogField("Summary", "Supervisors' signatures", DECLARATION, signatures),
    LogField("CPD", "Number", CPD, cpd_numbers),
    LogField("CPD", "Date and title (and provider)", CPD, cpd_details),
    LogField("CPD", "Type of activity", CPD, cpd_numbers),
    LogField("CPD", "Hours / CBT skills hours", CPD, cpd_skills),
    LogField("CPD", "CBT-related", CPD, cbt_related),
    LogField("CPD", "Five a year with a reflective statement", CPD, cpd_five),
    LogField("CPD", "Reflective statement", CPD, statements),
    LogField("CPD", "Private reflections left out unless asked for", CPD, private_left_out),
    LogField("CPD", "Evidence", CPD, cpd_details),
    LogField("Group supervision credit", "the formula named where credited", WHOLE, credit_formula),
]


def without_furniture(e: Exported, text: str) -> str:
    """``text`` without the page furniture (running head and footer) between its pages, so a
    row or block that runs over a page reads on."""
    heads = (
        "Supervision log: case management and clinical skills",
        "CBT clinical supervision log",
        "Supervision log",
    )
    furniture = (
        r" ?(?:"
        + "|".join(re.escape(h) for h in heads)
        + r") "
        + re.escape(e.profile.name)
        + r" Document fingerprint "
    )
    return re.sub(furniture + r"[0-9A-Z-]+ Page \d+ of \d+", "", text)


@pytest.mark.parametrize("log_field", FIELDS, ids=lambda f: f"{f.part}: {f.field}")
def test_each_field_of_the_babcp_log_is_printed_from_the_records(
    pwp: Demo, log_field: LogField
) -> None:
    e = pwp.exported
    bounds = log_field.section
    text = e.text if bounds is WHOLE else e.section(*bounds)
    text = without_furniture(e, text)
    for printed in log_field.printed(pwp):
        assert printed in text, printed


def test_the_supervision_given_is_the_provision_of_supervision_log(supervisor: Demo) -> None:
    e = supervisor.exported
    text = without_furniture(e, e.section(*GIVEN))
    for printed in given_log(supervisor):
        assert printed in text, printed


def test_the_babcp_formula_is_named_and_worked_where_time_is_credited(supervisor: Demo) -> None:
    # The supervisor follows BABCP accreditation, whose formula divides group time.
    assert supervisor.credit.divide_by_size
    e = supervisor.exported
    words, cover = credit_formula(supervisor)
    assert "credit 1.00 h to each" in words  # 2 h ÷ 4 supervisees × 2
    assert cover in e.text
    for bounds in (SUMMARY, ("2 Supervision received", "3 Supervision given")):
        assert words in without_furniture(e, e.section(*bounds))


def test_private_reflections_are_printed_only_when_asked_for_and_marked(pwp: Demo) -> None:
    private = [a for a in cpd(pwp.exported) if a.reflection and a.reflection_private]
    assert private
    label = "Private reflection (included at the practitioner's request)"
    assert label not in pwp.text
    assert pwp.private_text.count(label) == len(private)
    assert "This portfolio includes private reflections." in pwp.private_text
    for a in private:
        assert f"{label} {a.reflection}" in pwp.private_text


# --- fields the demo cannot show: a small logbook -----------------------------------------------

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))
NOW = datetime(2026, 1, 10, 9, 0)
ACCOUNT = "December 2025: on leave over Christmas; two sessions in January made up the time."
CERTIFICATE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Logbook]:
    """A CBT therapist's year: monthly individual supervision, a peer group, a month with
    practice and no supervision, CPD with a certificate and one activity not specific to CBT."""
    with open_book(tmp_path / "logbook") as book:
        trust = Organisation(name="Sheffield Health NHS FT", employer=True)
        supervisor = Person(
            name="Dr Amal Noor",
            organisation_uid=trust.uid,
            registration_body="BABCP",
            registration_number="ACC-0042",
        )
        peers = [
            Person(name=n, organisation_uid=trust.uid, roles=("colleague",))
            for n in ("Kit Moss", "Lee Park", "Ola Ade")
        ]
        records: list[Record] = [
            Profile(
                name="Sam Reed",
                roles=(RoleSpell(title="CBT therapist", start=date(2024, 1, 1)),),
                registrations=(Registration(body="BABCP", number="ACC-9911"),),
            ),
            trust,
            supervisor,
            *peers,
        ]
        for month in range(1, 12):  # none in December
            records.append(
                SupervisionSession(
                    date=date(2025, month, 8),
                    duration_minutes=90,
                    counterpart_uid=supervisor.uid,
                    organisation_uid=trust.uid,
                    themes=("formulation",),
                )
            )
            records.append(
                PracticeEntry(
                    date=date(2025, month, 15), duration_minutes=600, organisation_uid=trust.uid
                )
            )
        records.append(
            PracticeEntry(date=date(2025, 12, 15), duration_minutes=300, organisation_uid=trust.uid)
        )
        records.append(
            SupervisionSession(
                date=date(2025, 6, 20),
                duration_minutes=60,
                counterpart_uid=peers[0].uid,
                organisation_uid=trust.uid,
                arrangement="Monthly peer group",
                supervision_type=SupervisionType.PEER,
                format=SupervisionFormat.GROUP,
                group_size=4,
                group_member_uids=(peers[1].uid, peers[2].uid),
                themes=("skills practice",),
            )
        )
        workshop = CpdActivity(
            start_date=date(2025, 3, 3),
            title="Imagery rescripting workshop",
            provider="Oxford Cognitive Therapy Centre",
            duration_minutes=420,
            skills_focused=True,
            cbt_related=True,
            learning_outcomes="Rescripting steps.",
            impact="Used with two patients.",
            reflection="A private doubt about my pacing.",
            reflection_private=True,
        )
        records += [
            workshop,
            CpdActivity(
                start_date=date(2025, 5, 5),
                title="Leadership day",
                duration_minutes=360,
                cpd_type=CpdType.COURSE,
                learning_outcomes="Team meetings.",
            ),
            CpdActivity(
                start_date=date(2025, 9, 9),
                title="Safeguarding update",
                duration_minutes=180,
                cpd_type=CpdType.E_LEARNING,
                learning_outcomes="Referral routes.",
            ),
        ]
        for record in records:
            book.records.create(record)
        certificate = tmp_path / "certificate.pdf"
        certificate.write_bytes(CERTIFICATE)
        book.attachments.add_file(workshop, certificate, label="Certificate")
        yield book


def export_small(book: Logbook, path: Path, **options: object) -> str:
    export_portfolio(book, path, ExportOptions(YEAR, "supervision", **options), now=NOW)  # type: ignore[arg-type]
    return flat(path)


def test_a_break_is_listed_with_the_practitioners_reasons_and_remedy(
    small: Logbook, tmp_path: Path
) -> None:
    text = export_small(small, tmp_path / "a.pdf")
    assert "December 2025 5.00 None received" in text
    assert "Reasons and remedies are not yet written by the practitioner" in text
    written = export_small(small, tmp_path / "b.pdf", statements={"breaks": ACCOUNT})
    assert f"Reasons for the breaks, and how they were remedied {ACCOUNT}" in written


def test_a_peer_group_has_its_members_and_one_box_to_sign_for_it(
    small: Logbook, tmp_path: Path
) -> None:
    text = export_small(small, tmp_path / "a.pdf")
    # In a peer group everyone is a member: no facilitator.
    assert "Peer Group of 4 In person Kit Moss Group members: Lee Park, Ola Ade" in text
    assert "Kit Moss (facilitator)" not in text
    assert (
        "Peer group Monthly peer group Members Kit Moss, Lee Park, Ola Ade Supervised 1 "
        "session, 1.00 h, 20 Jun 2025 Signed for the group by Signature Date"
    ) in text
    assert "Supervisor Dr Amal Noor Registration BABCP ACC-0042" in text


def test_evidence_is_numbered_and_one_non_cbt_activity_is_said_to_be_too_many(
    small: Logbook, tmp_path: Path
) -> None:
    text = export_small(small, tmp_path / "a.pdf")
    assert (
        "Provider: Oxford Cognitive Therapy Centre · CBT-related: yes · Evidence CPD EV 1: "
        "Certificate"
    ) in text
    assert "CBT-related: no (not specific to CBT) · Evidence CPD EV 2: no file attached" in text
    assert "2 of these activities are not CBT-related (numbers 2, 3)." in text
    # Three activities, one CBT-related: BABCP's five are not there yet, each with its reason.
    assert (
        "3 activities, 3 with a statement Not yet met 2 more activities with a reflective" in text
    )
    assert "Five activities with at most one non-CBT need 4 that are CBT-related; 3 more" in text
    assert "A private doubt about my pacing." not in text
    private = export_small(small, tmp_path / "p.pdf", include_private=True)
    assert (
        "Private reflection (included at the practitioner's request) A private doubt about my "
        "pacing."
    ) in private
