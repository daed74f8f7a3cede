"""Every field of BACP's individual accreditation application that docs/layouts.md lists under
"BACP accreditation" (Parts B, E, F and G, the hours not counted, the monthly supervision table
and the supervisors' confirmation), read back from the PDF: its printed label and the value the
records give it.

The counsellor demo is exported in the BACP layout for the layout's default period. ``FIELDS``
is the doc's tables, line by line: each form field with the check that finds its label and value
in the text. Every value is worked out here from the demo's records, never with the layout's own
code and never as a fixed number. Fields the demo cannot show (peer supervision, unsupervised and
PWP work, an entry covering a period, a month where counting the supervisees contracted to a
group changes the verdict, the criteria written in the practitioner's words, a year without CPD)
are read from a small logbook built here.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
from pypdf import PdfReader

from logbook.domain.choices import (
    Delivery,
    Mode,
    PracticeActivity,
    Setting,
    SupervisionFormat,
    SupervisionType,
)
from logbook.domain.errors import ValidationError
from logbook.domain.periods import Period, add_months
from logbook.domain.records import (
    CpdActivity,
    Organisation,
    Person,
    PracticeEntry,
    Profile,
    RecordKind,
    Registration,
    RoleSpell,
    SupervisionSession,
)
from logbook.domain.requirements import PackSettings
from logbook.export.layouts import LAYOUTS
from logbook.services.export import ExportOptions, export_portfolio
from logbook.services.portfolio_data import check_statements
from tests.layout_support import TODAY, Exported, day, export_demo
from tests.signoff_support import open_book

K = RecordKind
A = PracticeActivity
PACK = "bacp_accreditation"
# The work BACP does not count, as the doc's table of excluded hours lists it, with the words of
# BACP's reason the layout prints for each.
EXCLUDED = {
    A.ASSESSMENT: "You cannot use hours completed through: assessment interviews",
    A.HELPLINE: "assessment interviews, helpline or counselling skills work",
    A.COUNSELLING_SKILLS: "helpline or counselling skills work",
    A.GUIDED_SELF_HELP: "work as a psychological wellbeing practitioner",
    A.TEXT_OR_EMAIL: "asynchronous support such as texting or email",
}
FORMULA = (
    "Groups of four supervisees or fewer: half the time counts. Five or more: the time divided "
    "by the number of supervisees."
)
CONTRACTED = "BACP counts the supervisees “contracted to the group”"
# The sections of the document, in order, as they are headed.
SECTIONS = (
    "1 Summary",
    "2 Current practice",
    "3 Practice log (supervised client hours)",
    "4 Hours not counted",
    "5 Supervision arrangements",
    "6 Supervision month by month",
    "7 Continuing professional development",
    "8 Criterion 7: self-awareness",
    "9 Criterion 8: knowledge and understanding",
    "10 Criterion 9: practice and the use of supervision",
    "11 Requirement status",
    "12 Supervisors' confirmation",
    "13 Sign-off evidence",
    "Declaration",
)


# --- the records, read as BACP reads them ------------------------------------------------------


def hours(minutes: float) -> str:
    return f"{minutes / 60:.2f}"


def last_day(entry: PracticeEntry) -> date:
    return entry.end_date or entry.date


def share_before(entry: PracticeEntry, day: date) -> int:
    """An entry's minutes on the days before ``day``, its time spread evenly over its days."""
    span = (last_day(entry) - entry.date).days + 1
    days = min(max((day - entry.date).days, 0), span)
    return int(entry.duration_minutes * days / span + 0.5)


def months_of(entry: PracticeEntry) -> list[date]:
    """The first day of each month an entry covers."""
    found, month = [], entry.date.replace(day=1)
    while month <= last_day(entry):
        found.append(month)
        month = add_months(month, 1)
    return found


def in_month(entry: PracticeEntry, month: date) -> int:
    return share_before(entry, add_months(month, 1)) - share_before(entry, month)


def counts(entry: PracticeEntry) -> bool:
    """Supervised, attended, and none of the kinds of work BACP excludes."""
    return entry.supervised and not entry.did_not_attend and entry.activity not in EXCLUDED


def credit(session: SupervisionSession) -> float:
    """BACP's formula by hand, counting the supervisees contracted to a group when recorded."""
    minutes = float(session.duration_minutes)
    if session.format is not SupervisionFormat.GROUP:
        return minutes
    size = session.group_contracted_size or session.group_size or 0
    return minutes / 2 if size <= 4 else minutes / size


def span(first: date, last: date) -> str:
    return day(first) if first == last else f"{day(first)} – {day(last)}"


def frequency(sessions: Sequence[SupervisionSession]) -> str:
    if len(sessions) < 2:
        return "Once"
    days = statistics.median((b.date - a.date).days for a, b in pairwise(sessions))
    if days <= 8:
        return "Weekly"
    if days <= 17:
        return "Fortnightly"
    if days <= 24:
        return "Every three weeks"
    return "Monthly" if days <= 38 else f"About every {round(days / 7)} weeks"


def sizes(values: Sequence[int]) -> str:
    found = sorted(set(values))
    return f"{found[0]}" if found[0] == found[-1] else f"{found[0]}–{found[-1]}"


@dataclass(frozen=True)
class Book:
    """A logbook exported in the BACP layout: its records, period and text by section."""

    profile: Profile
    period: Period
    text: str
    practice: list[PracticeEntry]
    received: list[SupervisionSession]
    cpd: list[CpdActivity]
    people: dict[str, Person]
    organisations: dict[str, Organisation]

    def section(self, title: str) -> str:
        """The text from the heading ``title`` to the next section's."""
        start = self.text.rindex(title)
        following = [t for t in SECTIONS[SECTIONS.index(title) + 1 :] if t in self.text[start:]]
        end = self.text.index(following[0], start + len(title)) if following else len(self.text)
        return self.text[start:end]

    @property
    def counted(self) -> list[PracticeEntry]:
        return [e for e in self.practice if counts(e)]

    @property
    def arrangements(self) -> dict[str, list[SupervisionSession]]:
        found: dict[str, list[SupervisionSession]] = defaultdict(list)
        for session in self.received:
            found[session.arrangement].append(session)
        return found

    def counted_sessions(self) -> list[SupervisionSession]:
        return [s for s in self.received if s.supervision_type is not SupervisionType.MANAGEMENT]

    def name(self, uid: str | None) -> str:
        return self.people[uid].name if uid else ""

    def place(self, uid: str | None) -> str:
        return self.organisations[uid].name if uid else ""

    def registration(self, uid: str | None) -> str:
        person = self.people[uid or ""]
        return f"{person.registration_body} {person.registration_number}"


def read_book(profile: Profile, records: dict[RecordKind, list], period: Period, text: str) -> Book:
    def dated(kind: RecordKind, day_of: Callable[[object], date]) -> list:
        return sorted((r for r in records[kind] if period.contains(day_of(r))), key=day_of)

    return Book(
        profile,
        period,
        text,
        dated(K.PRACTICE, lambda r: r.date),  # type: ignore[attr-defined]
        dated(K.SUPERVISION, lambda r: r.date),  # type: ignore[attr-defined]
        dated(K.CPD, lambda r: r.start_date),  # type: ignore[attr-defined]
        {p.uid: p for p in records[K.PERSON]},
        {o.uid: o for o in records[K.ORGANISATION]},
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Book:
    exported: Exported = export_demo(tmp_path_factory.mktemp("bacp"), "counsellor", "bacp")
    return read_book(exported.profile, exported.records, exported.period, exported.text)


# --- the default period --------------------------------------------------------------------------


def check_default_period(book: Book) -> None:
    # The six years to the day of export, from the day after the same date six years before.
    start = TODAY.replace(year=TODAY.year - 6) + timedelta(days=1)
    assert book.period == Period(start, TODAY)
    assert f"Period {day(start)} – {day(TODAY)}" in book.text
    assert f"recorded between {day(start)} and {day(TODAY)}" in book.section("1 Summary")


# --- Part B: current practice --------------------------------------------------------------------


def current(book: Book) -> dict[str, dict[str, str]]:
    """Each setting with counted practice in the last three months: its row's cells by label."""
    end = book.period.end
    assert end is not None
    months = [add_months(end.replace(day=1), -i) for i in (3, 2, 1)]
    since = add_months(end, -3)
    groups: dict[tuple[str, Setting], list[PracticeEntry]] = defaultdict(list)
    for entry in book.counted:
        groups[(entry.organisation_uid or "", entry.setting)].append(entry)
    rows = {}
    for (uid, setting), found in groups.items():
        if max(map(last_day, found)) <= since:
            continue
        spells = [r for r in book.profile.roles if r.organisation_uid == uid]
        minutes = sum(in_month(e, m) for e in found for m in months)
        rows[f"{setting.label} {book.place(uid)}"] = {
            "Role": max(spells, key=lambda r: r.start).title,
            "Client hours a month": hours(round(minutes / 3)),
            "Client groups": ", ".join(sorted({e.client_group for e in found})),
            "Ways of working": ", ".join(
                way for way, _ in Counter(e.delivery.label for e in found).most_common()
            ),
        }
    return dict(sorted(rows.items()))


def row_texts(section: str, keys: Sequence[str]) -> dict[str, str]:
    """Each row's text, from its key (its first cell) to the next row's key, in printed order."""
    at = [section.index(key) for key in keys]
    assert at == sorted(at), "rows in the order printed"
    ends = [*at[1:], len(section)]
    return {key: section[a:b] for key, a, b in zip(keys, at, ends, strict=True)}


def check_current(label: str) -> Callable[[Book], None]:
    def check(book: Book) -> None:
        section = book.section("2 Current practice")
        rows = current(book)
        assert len(rows) >= 2  # the voluntary service and the NHS post
        assert label in section
        for key, text in row_texts(section, list(rows)).items():
            value = rows[key].get(label, key)
            assert f"{key} {rows[key]['Role']} {rows[key]['Client hours a month']}" in text
            assert value in text, (label, key)

    return check


def check_profile_client_groups(book: Book) -> None:
    named = ", ".join(book.profile.client_groups)
    assert f"Client groups named in the profile: {named}." in book.section("2 Current practice")


# --- Part E: the practice log -------------------------------------------------------------------


def practice_lines(book: Book) -> dict[str, list[PracticeEntry]]:
    """Counted practice by setting and organisation, a new line after a break of over two
    months, keyed by its first two cells as printed, oldest first."""
    groups: dict[tuple[str, str], list[PracticeEntry]] = defaultdict(list)
    for entry in book.counted:
        groups[(entry.setting.label, book.place(entry.organisation_uid))].append(entry)
    lines: list[tuple[date, str, list[PracticeEntry]]] = []
    for (setting, where), found in groups.items():
        run: list[PracticeEntry] = []
        for entry in found:
            if run and entry.date > add_months(max(map(last_day, run)), 2):
                lines.append((run[0].date, f"{setting} {where}", run))
                run = []
            run.append(entry)
        lines.append((run[0].date, f"{setting} {where}", run))
    lines.sort(key=lambda line: (line[0], line[1]))
    return {f"{key} {span(run[0].date, max(map(last_day, run)))}": run for _, key, run in lines}


def split(book: Book, entries: Sequence[PracticeEntry]) -> tuple[str, str, str]:
    qualified = book.profile.qualified_on
    assert qualified is not None
    before = sum(share_before(e, qualified) for e in entries)
    total = sum(e.duration_minutes for e in entries)
    return hours(before), hours(total - before), hours(total)


def supervisors(book: Book, entries: Sequence[PracticeEntry]) -> str:
    first, last = entries[0].date, max(map(last_day, entries))
    setting = entries[0].setting
    names = {
        book.name(s.counterpart_uid)
        for s in book.counted_sessions()
        if first <= s.date <= last and setting in s.effective_settings
    }
    return ", ".join(sorted(names))


def check_practice_lines(
    label: str, value: Callable[[Book, list[PracticeEntry]], str]
) -> Callable[[Book], None]:
    def check(book: Book) -> None:
        section = book.section("3 Practice log (supervised client hours)")
        lines = practice_lines(book)
        assert len(lines) >= 3  # two placements, then the NHS post
        assert label in section
        for key, text in row_texts(section, [*lines, "All settings"]).items():
            if key in lines:
                assert value(book, lines[key]) in text, (label, key)

    return check


def check_practice_total(book: Book) -> None:
    section = book.section("3 Practice log (supervised client hours)")
    counted = book.counted
    before, after, total = split(book, counted)
    dates = span(counted[0].date, max(map(last_day, counted)))
    assert "Total hours" in section
    assert f"All settings {dates} {before} {after} {total}" in section
    qualified = book.profile.qualified_on
    assert f"{total} hours counted: {before} h before qualifying on {day(qualified)}" in section
    assert float(total) >= 450
    assert float(after) >= 150


def check_years_in_practice(book: Book) -> None:
    counted = book.counted
    first, last = counted[0].date, max(map(last_day, counted))
    whole = (last.year - first.year) * 12 + last.month - first.month - (last.day < first.day)
    words = f"{span(first, last)} ({whole // 12} years {whole % 12} months)"
    assert f"Years in practice: {words}." in book.section(
        "3 Practice log (supervised client hours)"
    )
    assert f"Years in practice (counted practice, first to last) {words}" in book.section(
        "1 Summary"
    )


# --- the hours not counted -------------------------------------------------------------------


def check_not_counted(activity: PracticeActivity) -> Callable[[Book], None]:
    def check(book: Book) -> None:
        section = book.section("4 Hours not counted")
        found = [e for e in book.practice if e.activity is activity and not e.did_not_attend]
        assert found, activity
        minutes = sum(e.duration_minutes for e in found)
        dates = span(found[0].date, max(map(last_day, found)))
        assert "Why BACP does not count it" in section
        assert f"{activity.label} {len(found)} {hours(minutes)} {dates}" in section
        text = section[section.index(f"{activity.label} {len(found)}") :]
        assert EXCLUDED[activity] in text[:600]

    return check


def check_did_not_attend(book: Book) -> None:
    section = book.section("4 Hours not counted")
    missed = [e for e in book.practice if e.did_not_attend]
    dates = span(missed[0].date, max(map(last_day, missed)))
    assert f"Did not attend {len(missed)} 0.00 {dates}" in section
    assert "no contact took place" in section


# --- Part F: supervision arrangements -------------------------------------------------------------


def arrangement_rows(book: Book) -> dict[str, str]:
    """Each arrangement's row text, from its name to the next arrangement's."""
    section = book.section("5 Supervision arrangements")
    order = sorted(book.arrangements.items(), key=lambda i: (i[1][0].date, i[1][0].counterpart_uid))
    return row_texts(section, [name for name, _ in order])


def group_words(sessions: Sequence[SupervisionSession]) -> str:
    first = sessions[0]
    if first.format is not SupervisionFormat.GROUP:
        return "Individual"
    kind = "Peer group" if first.supervision_type is SupervisionType.PEER else "Group"
    contracted = [s.group_contracted_size for s in sessions if s.group_contracted_size]
    present = sizes([s.group_size for s in sessions if s.group_size])
    if contracted:
        return f"{kind} of {sizes(contracted)} contracted ({present} present)"
    return f"{kind} of {present} present"


def months_run(sessions: Sequence[SupervisionSession]) -> int:
    first, last = sessions[0].date, sessions[-1].date
    return (last.year - first.year) * 12 + last.month - first.month + 1


def arrangement_value(field: str, book: Book, sessions: list[SupervisionSession]) -> str:
    first = sessions[0]
    if field == "Dates":
        return span(first.date, sessions[-1].date)
    if field == "Frequency and length":
        usual = Counter(s.duration_minutes for s in sessions).most_common(1)[0][0]
        return f"{frequency(sessions)} {hours(usual)} h"
    if field == "Individual / group / peer":
        return group_words(sessions).split(" of ")[0]
    if field == "Number in group":
        return group_words(sessions)
    if field == "Mode":
        return ", ".join(sorted({s.mode.label for s in sessions}))
    if field == "Settings covered":
        found = Counter(x.label for s in sessions for x in s.effective_settings)
        return " ".join(name for name, _ in found.most_common())
    if field == "Credited (h)":
        counted = first.supervision_type is not SupervisionType.MANAGEMENT
        minutes = sum(credit(s) for s in sessions) if counted else 0.0
        return f"{hours(minutes)} {hours(minutes / months_run(sessions))} a month"
    raise AssertionError(field)


def check_arrangement(field: str, label: str) -> Callable[[Book], None]:
    def check(book: Book) -> None:
        section = book.section("5 Supervision arrangements")
        assert label in section
        rows = arrangement_rows(book)
        assert len(rows) >= 5
        for name, sessions in book.arrangements.items():
            assert arrangement_value(field, book, sessions) in rows[name], (field, name)

    return check


def check_arrangement_names(book: Book) -> None:
    section = book.section("5 Supervision arrangements")
    assert "Arrangement" in section
    assert all(book.arrangements)  # every session of the demo names its arrangement
    assert f"{len(book.arrangements)} supervision arrangements" in section
    assert (
        "Not counted by the BACP pack"
        in arrangement_rows(book)[
            next(n for n, s in book.arrangements.items() if s[0].supervision_type == "management")
        ]
    )


def check_supervisor(book: Book) -> None:
    section = book.section("5 Supervision arrangements")
    assert "Supervisor" in section
    for name, sessions in book.arrangements.items():
        uid = sessions[0].counterpart_uid
        who = f"{book.name(uid)} {book.registration(uid).strip()}".strip()
        assert f"{who} {book.place(sessions[0].organisation_uid)}" in section, name


def check_line_manager(book: Book) -> None:
    section = book.section("5 Supervision arrangements")
    managers = [
        (name, s)
        for name, s in book.arrangements.items()
        if "manager" in book.people[s[0].counterpart_uid or ""].roles
    ]
    assert managers
    for name, sessions in managers:
        where = book.place(sessions[0].organisation_uid)
        assert book.organisations[sessions[0].organisation_uid or ""].employer
        assert (
            f"{book.name(sessions[0].counterpart_uid)} {where} Line manager (employer) {name}"
            in (section)
        )


def check_formula_named(book: Book) -> None:
    for title in ("5 Supervision arrangements", "6 Supervision month by month"):
        section = book.section(title)
        assert "BACP group supervision credit." in section
        assert FORMULA in section
        assert CONTRACTED in section
        sample = next(
            s
            for s in book.counted_sessions()
            if (s.group_contracted_size or 0) > (s.group_size or 0)
        )
        size = sample.group_contracted_size
        assert (
            f"Worked example, the session of {day(sample.date)}: {size} contracted to the group, "
            f"{sample.group_size} present: group of {size}: "
        ) in section


# --- the monthly supervision table --------------------------------------------------------------


def check_months(book: Book) -> None:
    section = book.section("6 Supervision month by month")
    for label in ("Counted practice (h)", "Supervision recorded (h)", "Supervision credited (h)"):
        assert label in section
    worked = {m for e in book.counted for m in months_of(e)}
    for month in sorted(worked):
        practice = sum(in_month(e, month) for e in book.counted)
        recorded = sum(s.duration_minutes for s in book.received if s.date.replace(day=1) == month)
        credited = sum(credit(s) for s in book.counted_sessions() if s.date.replace(day=1) == month)
        verdict = "Yes" if credited >= 90 else "No"
        row = f"{month:%b %Y} {hours(practice)} {hours(recorded)} {hours(credited)} {verdict}"
        assert row in section, month
    assert "No client work this month: on leave" in section


# --- Part G: CPD and the reflective practice criteria ---------------------------------------------


def check_criterion_6(book: Book) -> None:
    end = book.period.end
    assert end is not None
    recent = [a for a in book.cpd if a.start_date > add_months(end, -12)]
    chosen = max(recent, key=lambda a: (bool(a.impact), a.start_date))
    assert chosen.impact
    section = book.section("7 Continuing professional development")
    assert "Criterion 6: one CPD activity from the 12 months before applying" in section
    assert (
        f"Activity {chosen.title} "
        f"Dates {span(chosen.start_date, chosen.end_date or chosen.start_date)} "
        f"Provider {chosen.provider} Type and hours {chosen.cpd_type.label}, "
        f"{hours(chosen.duration_minutes)} h What I learned {chosen.learning_outcomes} "
        f"Impact on my practice {chosen.impact}"
    ) in section


def check_cpd_log(book: Book) -> None:
    section = book.section("7 Continuing professional development")
    for label in ("Dates", "Activity", "Hours", "What I learned", "Impact on my practice"):
        assert label in section
    end = book.period.end
    assert end is not None
    for activity in book.cpd:
        recent = " Yes" if activity.start_date > add_months(end, -12) else ""
        assert (
            f"{day(activity.start_date)} {activity.title} {activity.provider} "
            f"{activity.cpd_type.label} {hours(activity.duration_minutes)}{recent} "
            f"{activity.learning_outcomes} {activity.impact}"
        ) in section, activity.title


def check_criteria_unwritten(book: Book) -> None:
    for title, words in (
        ("8 Criterion 7: self-awareness", "900"),
        ("9 Criterion 8: knowledge and understanding", "1,400"),
        ("10 Criterion 9: practice and the use of supervision", "3,000"),
    ):
        section = book.section(title)
        assert "BACP asks" in section
        assert f"Not yet written. BACP allows at most {words} words." in section


def check_supervisors_report(book: Book) -> None:
    section = book.section("12 Supervisors' confirmation")
    assert "contract dates match the supervisor's report" in section


def check_supervisor_boxes(book: Book) -> None:
    section = book.section("12 Supervisors' confirmation")
    assert "minimum of 1.5 hours per month" in section  # the Register term, as context
    by_supervisor: dict[str, list[tuple[str, list[SupervisionSession]]]] = defaultdict(list)
    for name, sessions in book.arrangements.items():
        if sessions[0].supervision_type is not SupervisionType.MANAGEMENT:
            by_supervisor[sessions[0].counterpart_uid or ""].append((name, sessions))
    assert len(by_supervisor) >= 4
    for uid, found in by_supervisor.items():
        listed = " ".join(
            f"{name}: {span(s[0].date, s[-1].date)}"
            for name, s in sorted(found, key=lambda i: i[1][0].date)
        )
        assert (
            f"Supervisor {book.name(uid)} Registration {book.registration(uid)} "
            f"Arrangements {listed} Signature Date"
        ) in section, book.name(uid)


# --- the form's fields, as docs/layouts.md lists them ---------------------------------------------

FIELDS: list[tuple[str, Callable[[Book], None]]] = [
    ("Default period: six years to the export date", check_default_period),
    ("B: Setting / organisation", check_current("Setting")),
    ("B: Role", check_current("Role")),
    ("B: Client hours per month", check_current("Client hours a month")),
    ("B: Client groups (practice)", check_current("Client groups")),
    ("B: Client groups (profile)", check_profile_client_groups),
    ("B: Ways of working", check_current("Ways of working")),
    (
        "E: Setting / organisation",
        check_practice_lines("Setting and organisation", lambda b, e: ""),
    ),
    (
        "E: Dates from – to",
        check_practice_lines("Dates", lambda b, e: span(e[0].date, max(map(last_day, e)))),
    ),
    (
        "E: Hours before qualifying",
        check_practice_lines("Hours before qualifying", lambda b, e: " ".join(split(b, e))),
    ),
    (
        "E: Hours after qualifying",
        check_practice_lines("Hours from qualifying", lambda b, e: " ".join(split(b, e)[1:])),
    ),
    ("E: Total", check_practice_total),
    ("E: Supervisor(s) for this setting", check_practice_lines("Supervised by", supervisors)),
    ("E: Years in practice", check_years_in_practice),
    ("Not counted: assessment interviews", check_not_counted(A.ASSESSMENT)),
    ("Not counted: helpline", check_not_counted(A.HELPLINE)),
    ("Not counted: counselling skills work", check_not_counted(A.COUNSELLING_SKILLS)),
    ("Not counted: asynchronous text or email", check_not_counted(A.TEXT_OR_EMAIL)),
    ("Not counted: did not attend", check_did_not_attend),
    ("F: Supervisor", check_supervisor),
    ("F: Arrangement", check_arrangement_names),
    ("F: Dates from – to", check_arrangement("Dates", "Dates")),
    (
        "F: Frequency and duration",
        check_arrangement("Frequency and length", "Frequency and length"),
    ),
    ("F: Individual / group / peer", check_arrangement("Individual / group / peer", "Arrangement")),
    ("F: Number in group", check_arrangement("Number in group", "Arrangement")),
    ("F: Mode", check_arrangement("Mode", "Arrangement")),
    ("F: Settings covered", check_arrangement("Settings covered", "Settings covered")),
    ("F: Hours claimed per month", check_arrangement("Credited (h)", "Credited (h)")),
    ("F: Line-management note", check_line_manager),
    ("F: BACP group supervision credit, named with an example", check_formula_named),
    ("F: Monthly supervision table", check_months),
    ("G: Criterion 6, one CPD activity with its impact", check_criterion_6),
    ("G: CPD log with impact", check_cpd_log),
    ("G: Criteria 7–9, word limits", check_criteria_unwritten),
    ("G: Supervisor's report", check_supervisors_report),
    ("Closing: one box per supervisor", check_supervisor_boxes),
]


@pytest.mark.parametrize(("field", "check"), FIELDS, ids=[f for f, _ in FIELDS])
def test_the_demo_prints_the_form_field(
    demo: Book, field: str, check: Callable[[Book], None]
) -> None:
    check(demo)


def test_every_section_is_headed_in_order(demo: Book) -> None:
    at = [demo.text.rindex(title) for title in SECTIONS]
    assert at == sorted(at)


# --- what the demo cannot show, from a small logbook --------------------------------------------

QUALIFIED = date(2026, 3, 16)
EDGE_END = date(2026, 6, 30)
STATEMENTS = {
    "criterion_7": "Personal therapy in my second year showed me how I rush to fix things.",
    "criterion_8": "I work in a person-centred way.\n\nI notice difference in the room.",
    "criterion_9": "With one client, supervision helped me slow down and stay with silence.",
}


@pytest.fixture(scope="module")
def edge(tmp_path_factory: pytest.TempPathFactory) -> Book:
    """A counsellor's five months: an entry for a period of practice across the qualifying date,
    unsupervised and PWP work, a group where fewer are present than contracted, a peer group, a
    supervisor who is also the line manager, the criteria written, and no CPD."""
    folder = tmp_path_factory.mktemp("bacp-edge")
    with open_book(folder / "logbook") as book:
        add = book.records.create
        service = add(
            Organisation(name="Riverside Counselling Service", employer=True, supervising=True)
        ).record
        manager = add(
            Person(
                name="Sam Patel",
                organisation_uid=service.uid,
                roles=("supervisor", "manager"),
                registration_body="BACP",
                registration_number="MBACP (Accred) 111111",
            )
        ).record
        add(
            Profile(
                name="Alex Morgan",
                roles=(
                    RoleSpell(title="Counsellor", organisation_uid=service.uid, start=QUALIFIED),
                ),
                registrations=(Registration(body="BACP", number="MBACP 222222"),),
                followed_packs=(PACK,),
                client_groups=("adults",),
                qualified_on=QUALIFIED,
            )
        )
        book.requirements.follow([PACK])
        book.requirements.save_settings(PACK, PackSettings(qualified_on=QUALIFIED))
        period_entry = PracticeEntry(
            date=date(2026, 2, 1),
            end_date=date(2026, 4, 30),
            duration_minutes=89 * 60,  # an hour a day over the 89 days
            setting=Setting.COMMUNITY,
            client_group="adults",
            organisation_uid=service.uid,
        )
        for entry in (
            period_entry,
            PracticeEntry(
                date=date(2026, 5, 5),
                duration_minutes=60,
                setting=Setting.COMMUNITY,
                client_group="adults",
                organisation_uid=service.uid,
            ),
            PracticeEntry(
                date=date(2026, 5, 6),
                duration_minutes=50,
                supervised=False,
                setting=Setting.COMMUNITY,
                organisation_uid=service.uid,
            ),
            PracticeEntry(
                date=date(2026, 5, 7),
                duration_minutes=30,
                setting=Setting.COMMUNITY,
                activity=A.GUIDED_SELF_HELP,
                delivery=Delivery.TELEPHONE,
                organisation_uid=service.uid,
            ),
        ):
            add(entry)
        individual = "Monthly individual, S Patel"
        for when in (date(2026, 2, 10), date(2026, 3, 10)):
            add(
                SupervisionSession(
                    date=when,
                    duration_minutes=90,
                    counterpart_uid=manager.uid,
                    organisation_uid=service.uid,
                    arrangement=individual,
                    setting=Setting.COMMUNITY,
                    settings=(Setting.COMMUNITY, Setting.PRIVATE_PRACTICE),
                )
            )
        add(
            SupervisionSession(
                date=date(2026, 5, 12),
                duration_minutes=180,
                counterpart_uid=manager.uid,
                organisation_uid=service.uid,
                arrangement="Group, S Patel",
                format=SupervisionFormat.GROUP,
                group_size=4,
                group_contracted_size=6,
                mode=Mode.VIDEO,
                setting=Setting.COMMUNITY,
            )
        )
        add(
            SupervisionSession(
                date=date(2026, 5, 20),
                duration_minutes=60,
                organisation_uid=service.uid,
                supervision_type=SupervisionType.PEER,
                format=SupervisionFormat.GROUP,
                group_size=3,
                setting=Setting.COMMUNITY,
            )
        )
        export_portfolio(
            book,
            folder / "bacp.pdf",
            ExportOptions(Period(date(2026, 2, 1), EDGE_END), "bacp", statements=STATEMENTS),
            now=datetime(2026, 6, 30, 17, 0),
        )
        profile = book.records.profile()
        assert profile is not None
        records = {kind: list(book.records.all(kind)) for kind in RecordKind}
    pages = PdfReader(folder / "bacp.pdf").pages
    text = " ".join(" ".join(page.extract_text() or "" for page in pages).split())
    return read_book(profile, records, Period(date(2026, 2, 1), EDGE_END), text)


def test_an_entry_covering_a_period_counts_over_its_whole_span(edge: Book) -> None:
    [period_entry] = [e for e in edge.practice if e.end_date]
    assert period_entry.end_date
    # Its hours, month by month, in the grid: an hour a day.
    grid = edge.section("6 Supervision month by month")
    for month in (date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)):
        days = (add_months(month, 1) - month).days
        assert in_month(period_entry, month) == days * 60
        assert f"{month:%b %Y} {hours(days * 60)}" in grid
    # April: practice only a period entry begun earlier reaches still needs its supervision.
    assert re.search(r"Apr 2026 30\.00 0\.00 0\.00 No\b", grid)
    assert re.search(r"Mar 2026 31\.00 1\.50 1\.50 Yes\b", grid)
    # Split at the qualifying date, before and from it.
    log = edge.section("3 Practice log (supervised client hours)")
    before, after, total = split(edge, edge.counted)
    assert share_before(period_entry, QUALIFIED) == (QUALIFIED - period_entry.date).days * 60
    assert f"{span(period_entry.date, date(2026, 5, 5))} {before} {after} {total}" in log
    # Its span in the appendix-free log, and the years in practice to its last day.
    assert f"Years in practice: {span(period_entry.date, date(2026, 5, 5))}" in log
    # Current practice: its share of each of the last three whole months (March to May).
    months = [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]
    minutes = sum(in_month(e, m) for e in edge.counted for m in months)
    assert f"Counsellor {hours(round(minutes / 3))} adults" in edge.section("2 Current practice")


def test_peer_groups_unsupervised_and_pwp_work(edge: Book) -> None:
    arrangements = edge.section("5 Supervision arrangements")
    [peer] = [s for s in edge.received if s.supervision_type is SupervisionType.PEER]
    assert (
        f"Supervisor not recorded {edge.place(peer.organisation_uid)} Peer group of "
        f"{peer.group_size} present {peer.mode.label} {day(peer.date)} Once {hours(60)} h "
        f"{Setting.COMMUNITY.label} 1 {hours(60)} {hours(credit(peer))}"
    ) in arrangements
    assert "Group of 6 contracted (4 present)" in arrangements
    # One session covering two settings lists both.
    assert "Community / third sector Private practice" in arrangements
    assert "Sam Patel BACP MBACP (Accred) 111111 Riverside Counselling Service Line manager" in (
        arrangements
    )
    excluded = edge.section("4 Hours not counted")
    assert "Unsupervised practice 1 0.83" in excluded
    assert "Only supervised practice counts" in excluded
    assert f"{A.GUIDED_SELF_HELP.label} 1 0.50" in excluded
    assert EXCLUDED[A.GUIDED_SELF_HELP] in excluded


def test_a_month_the_contracted_number_decides_reads_the_same_in_the_pack(edge: Book) -> None:
    grid = edge.section("6 Supervision month by month")
    may = [s for s in edge.received if s.date.month == 5]
    credited = sum(credit(s) for s in may)
    # Counting those present, half of 3 h (four supervisees) and half of the peer hour would
    # meet the minimum; contracted to a group of six, 3 h ÷ 6 and half the peer hour do not,
    # and the pack counts those contracted as the layout does.
    assert credited < 90
    row = f"May 2026 1.00 {hours(sum(s.duration_minutes for s in may))} {hours(credited)} No"
    assert re.search(re.escape(row) + r"\b(?! Requirement pack)", grid)
    assert "reads differently" not in grid


def test_the_criteria_are_printed_as_written_with_their_word_counts(edge: Book) -> None:
    for title, key, limit in (
        ("8 Criterion 7: self-awareness", "criterion_7", "900"),
        ("9 Criterion 8: knowledge and understanding", "criterion_8", "1,400"),
        ("10 Criterion 9: practice and the use of supervision", "criterion_9", "3,000"),
    ):
        section = edge.section(title)
        written = STATEMENTS[key]
        assert " ".join(written.split()) in section
        assert f"{len(written.split())} words (BACP allows at most {limit} words)." in section
        assert "Not yet written" not in section


def test_a_year_without_cpd_leaves_criterion_6_to_complete(edge: Book) -> None:
    section = edge.section("7 Continuing professional development")
    assert not edge.cpd
    assert "Activity Dates Provider Type and hours What I learned Impact on my practice" in section
    assert "complete the box by hand" in section


def test_a_statement_over_bacps_word_limit_is_refused() -> None:
    with pytest.raises(ValidationError, match="900"):
        check_statements(LAYOUTS["bacp"], {"criterion_7": "word " * 901})


def test_month_names_are_read_as_dates(demo: Book) -> None:
    grid = demo.section("6 Supervision month by month")
    months = [
        datetime.strptime(m, "%b %Y").date() for m in re.findall(r"([A-Z][a-z]{2} \d{4}) \d", grid)
    ]
    assert months == sorted(months)
    assert max(months) <= TODAY
