"""Every field of the general portfolio that docs/layouts.md lists under "General portfolio", read
back from the PDF: its printed label and the value the records give it.

There is no body's form: the doc's table lists what a reviewer wants (cover, key figures,
requirement status, each log with the catalogue's columns, reflections, sign-off evidence, gaps).
The PWP demo is exported in the portfolio layout for the layout's default period, the whole
record. ``FIELDS`` is the doc's table, line by line: each field with the check that finds its
label and value in the text. Every value is worked out here from the demo's records, never with
the layout's own code and never as a fixed number. What the demo cannot show (a formula that
divides group time, no pack at all, contact-only entries, an entry covering a period, a session
covering several settings, a partly participatory activity, a shared reflection on practice) is
read from a small logbook built here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from logbook.domain.choices import (
    Delivery,
    PracticeActivity,
    Setting,
    SupervisionFormat,
    SupervisionMethod,
)
from logbook.domain.periods import Period, add_months
from logbook.domain.records import (
    Attestation,
    CpdActivity,
    FeedbackEntry,
    Organisation,
    Person,
    PracticeEntry,
    Profile,
    Record,
    RecordKind,
    ReflectiveAccount,
    SupervisionSession,
)
from logbook.services.demo import generate_demo
from logbook.services.export import ExportOptions, default_period, export_portfolio
from logbook.services.logbook import Logbook
from logbook.services.portfolio_data import supervision_rules
from tests.layout_support import EXPORTED, TODAY, day
from tests.signoff_support import open_book

K = RecordKind


def hours(minutes: float) -> str:
    return f"{minutes / 60:.2f}"


def span(first: date, last: date | None) -> str:
    return day(first) if last is None or first == last else f"{day(first)} – {day(last)}"


def bacp_credit(session: SupervisionSession) -> float:
    """BACP's formula by hand: half the time for four supervisees or fewer, the time divided by
    the group for five or more."""
    minutes = float(session.duration_minutes)
    if session.format is not SupervisionFormat.GROUP:
        return minutes
    size = session.group_size or 0
    return minutes / 2 if size <= 4 else minutes / size


def pdf_text(path: Path) -> str:
    pages = PdfReader(path).pages
    return " ".join(" ".join(page.extract_text() or "" for page in pages).split())


@dataclass(frozen=True)
class Book:
    """A logbook exported in the portfolio layout: its records in the period and the text.

    Attributes:
        credit: The title of the pack whose group formula the logbook's followed packs apply
            ("" when none counts supervision), as the export service reads it.
    """

    profile: Profile
    period: Period
    text: str
    records: dict[RecordKind, list[Record]]
    people: dict[str, Person]
    organisations: dict[str, Organisation]
    packs: list[tuple[str, list[tuple[str, str]]]]
    credit: str

    def of(self, kind: RecordKind) -> list:  # type: ignore[type-arg]
        return self.records[kind]

    def heading(self, number: int, title: str) -> str:
        return f"{number} {title}"

    def section(self, start: str, end: str | None = None) -> str:
        """The text from ``start`` (a heading with the words after it) to ``end``."""
        at = self.text.index(start)
        return self.text[at : self.text.index(end, at + len(start))] if end else self.text[at:]

    def log(self, title: str) -> str:
        """A numbered log section, from its heading to the next numbered heading."""
        titles = [t for t in LOG_TITLES if self.of(LOG_TITLES[t]) or t == "Supervision"]
        numbered = {t: n for n, t in enumerate(["Summary", "Requirement status", *titles], 1)}
        number = numbered[title]
        count = len(self.of(LOG_TITLES[title]))
        start = f"{number} {title} {count} entr"
        nxt = (
            f"{number + 1} {titles[titles.index(title) + 1]} "
            if titles.index(title) + 1 < len(titles)
            else f"{number + 1} Reflections "
        )
        return self.section(start, nxt)

    def name(self, uid: str | None) -> str:
        return self.people[uid].name if uid else ""

    def place(self, uid: str | None) -> str:
        return self.organisations[uid].name if uid else ""


# The logs in the order printed, by title (those with no entries are left out).
LOG_TITLES = {
    "Supervision": K.SUPERVISION,
    "Practice": K.PRACTICE,
    "Teaching courses": K.COURSE,
    "Continuing professional development": K.CPD,
    "Personal practice and retreats": K.PERSONAL_PRACTICE,
    "Feedback": K.FEEDBACK,
    "Reflective accounts": K.REFLECTIVE_ACCOUNT,
    "Reflective discussions and confirmations": K.ATTESTATION,
}
# A kind's date, for the records of the period.
DAY_OF: dict[RecordKind, Callable[[Record], date | None]] = {
    K.SUPERVISION: lambda r: r.date,  # type: ignore[attr-defined]
    K.PRACTICE: lambda r: r.date,  # type: ignore[attr-defined]
    K.COURSE: lambda r: r.start_date,  # type: ignore[attr-defined]
    K.CPD: lambda r: r.start_date,  # type: ignore[attr-defined]
    K.PERSONAL_PRACTICE: lambda r: r.start_date,  # type: ignore[attr-defined]
    K.FEEDBACK: lambda r: r.date,  # type: ignore[attr-defined]
    K.REFLECTIVE_ACCOUNT: lambda r: r.date,  # type: ignore[attr-defined]
    K.ATTESTATION: lambda r: r.date,  # type: ignore[attr-defined]
}


def export(book: Logbook, folder: Path, period: Period, now: datetime) -> Book:
    """``book`` exported in the portfolio layout for ``period``, read back."""
    export_portfolio(book, folder / "portfolio.pdf", ExportOptions(period, "portfolio"), now=now)
    profile = book.records.profile()
    assert profile is not None
    everything = {kind: list(book.records.all(kind)) for kind in RecordKind}
    dated = [d for kind, day_of in DAY_OF.items() for r in everything[kind] if (d := day_of(r))]
    shown = Period(period.start or min(dated), period.end or now.date())
    records = {
        kind: sorted(
            (r for r in everything[kind] if shown.contains(DAY_OF[kind](r) or date.min)),
            key=lambda r, k=kind: (DAY_OF[k](r), r.uid),  # type: ignore[misc]
        )
        for kind in DAY_OF
    }
    packs = [
        (
            book.requirements.pack(pack_id).title,
            [(r.title, r.source.title) for r in book.requirements.pack(pack_id).rules],
        )
        for pack_id in book.requirements.followed()
    ]
    return Book(
        profile,
        shown,
        pdf_text(folder / "portfolio.pdf"),
        records,
        {p.uid: p for p in everything[K.PERSON] if isinstance(p, Person)},
        {o.uid: o for o in everything[K.ORGANISATION] if isinstance(o, Organisation)},
        packs,
        supervision_rules(book).source,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Book:
    folder = tmp_path_factory.mktemp("portfolio")
    with open_book(folder / "logbook") as book:
        generate_demo(book, persona="pwp", years=3, today=TODAY)
        profile = book.records.profile()
        # The layout has no period of its own: the whole record is exported.
        assert default_period("portfolio", profile, TODAY) is None
        return export(book, folder, Period(), EXPORTED)


# --- cover and summary ---------------------------------------------------------------------------


def check_default_period(book: Book) -> None:
    first = min(DAY_OF[k](r) or date.max for k in DAY_OF for r in book.of(k))
    assert book.period == Period(first, TODAY)
    assert f"Period {day(first)} – {day(TODAY)}" in book.text
    assert f"Entries and hours recorded between {day(first)} and {day(TODAY)}" in book.text


def check_cover(book: Book) -> None:
    cover = book.section("Name ", "Contents")
    assert f"Name {book.profile.name}" in cover
    for spell in book.profile.roles:
        end = f" – {day(spell.end)})" if spell.end else ")"
        since = f"({day(spell.start)}{end}" if spell.end else f"(since {day(spell.start)})"
        assert f"{spell.title}, {book.place(spell.organisation_uid)} {since}" in cover
    for registration in book.profile.registrations:
        assert registration.renewal_date
        assert (
            f"Registrations {registration.body} {registration.number} "
            f"(renewal {day(registration.renewal_date)})"
        ) in cover
    assert "Document fingerprint" in cover


def check_key_figures(book: Book) -> None:
    summary = book.section("1 Summary Entries", "2 Requirement status Each")
    assert "Record Entries Hours Signed" in summary
    for label, kind in (("Supervision", K.SUPERVISION), ("Practice", K.PRACTICE), ("CPD", K.CPD)):
        found = book.of(kind)
        minutes = sum(
            0 if getattr(r, "did_not_attend", False) else r.duration_minutes for r in found
        )
        assert f"{label} {len(found):,} {hours(minutes)}" in summary
    for label, kind in (
        ("Feedback", K.FEEDBACK),
        ("Reflective account", K.REFLECTIVE_ACCOUNT),
        ("Discussion / confirmation", K.ATTESTATION),
    ):
        assert f"{label} {len(book.of(kind)):,} –" in summary


def check_requirement_status(book: Book) -> None:
    section = book.section("2 Requirement status Each", "3 Supervision ")
    assert book.packs
    for number, (title, rules) in enumerate(book.packs, 1):
        assert f"2.{number} {title}" in section
        for rule, source in rules:
            assert rule in section
            assert source in section


# --- the supervision log -------------------------------------------------------------------------


def session_row(book: Book, s: SupervisionSession) -> str:
    kind = [s.supervision_type.label, *(["Live"] if s.live else [])]
    kind += [m.label for m in s.methods]
    group = f"Group of {s.group_size}" if s.format is SupervisionFormat.GROUP else "Individual"
    where = [book.place(s.organisation_uid), ", ".join(x.label for x in s.effective_settings)]
    parts = [
        day(s.date),
        hours(s.duration_minutes),
        *kind,
        group,
        s.mode.label,
        book.name(s.counterpart_uid),
        *[w for w in where if w],
        "; ".join(s.themes),
        s.action_points,
    ]
    return " ".join(p for p in parts if p)


def check_supervision_log(book: Book) -> None:
    section = book.log("Supervision")
    assert (
        "Date Hours Type Format With Organisation and settings Themes Action points Sign-off"
    ) in section
    sessions = book.of(K.SUPERVISION)
    assert sessions
    for session in sessions:
        assert session_row(book, session) in section, session.date
    received = sum(s.duration_minutes for s in sessions if s.direction == "received")
    assert f"Received {hours(received)} h" in section


def check_methods(book: Book) -> None:
    section = book.log("Supervision")
    assert "the type of supervision is followed by the methods used" in section
    used = Counter(m for s in book.of(K.SUPERVISION) for m in s.methods)
    assert SupervisionMethod.ROLE_PLAY in used
    for method in used:
        assert method.label in section


def check_settings_covered(book: Book) -> None:
    section = book.log("Supervision")
    covered = {x for s in book.of(K.SUPERVISION) for x in s.effective_settings}
    assert covered
    for session in book.of(K.SUPERVISION):
        text = ", ".join(x.label for x in session.effective_settings)
        assert f"{book.place(session.organisation_uid)} {text}" in section


def check_formula_named(book: Book) -> None:
    section = book.log("Supervision")
    assert book.credit in [title for title, _ in book.packs]
    [(_, rules)] = [p for p in book.packs if p[0] == book.credit]
    assert f"Group supervision credit, by the formula of {book.credit} ({rules[0][1]}" in section
    # The PWP packs count group time in full: no column of credited time.
    assert "Group supervision counts in full. Credited time is the time recorded." in section
    assert "Credited" not in section.split("Date Hours Type")[1][:60]


def check_gaps(book: Book) -> None:
    practised = {e.date.replace(day=1) for e in book.of(K.PRACTICE) if not e.did_not_attend}
    supervised = {s.date.replace(day=1) for s in book.of(K.SUPERVISION)}
    gaps = sorted(practised - supervised)
    assert gaps  # the record opens on a day of practice before any supervision
    listed = ", ".join(f"{m:%b %Y}" for m in gaps)
    assert f"Months with practice and no supervision received: {listed}." in book.log("Supervision")


# --- the practice log and the other logs ----------------------------------------------------------


def check_practice_log(book: Book) -> None:
    section = book.log("Practice")
    assert "Month Setting and delivery Entries Not attended Hours Signed" in section
    groups: dict[tuple[date, str], list[PracticeEntry]] = defaultdict(list)
    for entry in book.of(K.PRACTICE):
        groups[
            (entry.date.replace(day=1), f"{entry.setting.label} · {entry.delivery.label}")
        ].append(entry)
    named = None
    at = 0
    for (month, group), found in sorted(groups.items()):
        missed = sum(e.did_not_attend for e in found)
        minutes = sum(0 if e.did_not_attend else e.duration_minutes for e in found)
        row = " ".join(
            p
            for p in (
                f"{month:%b %Y}" if month != named else "",
                group,
                f"{len(found):,}",
                f"{missed:,}" if missed else "",
                hours(minutes),
            )
            if p
        )
        found_at = section.find(row, at)
        assert found_at >= 0, row
        at = found_at + len(row)
        named = month
    total = sum(0 if e.did_not_attend else e.duration_minutes for e in book.of(K.PRACTICE))
    assert f"{len(book.of(K.PRACTICE))} entries, {hours(total)} hours" in section


def check_cpd_log(book: Book) -> None:
    section = book.log("Continuing professional development")
    assert "Dates Activity Type Hours Participatory Skills Learning outcomes Sign-off" in section
    participatory = sum(a.effective_participatory_minutes for a in book.of(K.CPD))
    assert f"Participatory learning: {hours(participatory)} hours." in section
    for a in book.of(K.CPD):
        row = " ".join(
            p
            for p in (
                span(a.start_date, a.end_date),
                a.title,
                a.provider,
                a.cpd_type.label,
                hours(a.duration_minutes),
                "Yes" if a.participatory else "No",
                "Yes" if a.skills_focused else "",
                a.learning_outcomes,
            )
            if p
        )
        assert row in section, a.title


def check_feedback_log(book: Book) -> None:
    section = book.log("Feedback")
    assert "Date From Feedback What I take from it Sign-off" in section
    for f in book.of(K.FEEDBACK):
        assert isinstance(f, FeedbackEntry)
        shared = "" if f.reflection_private else f" {f.reflection}"
        assert f"{day(f.date)} {f.source.label} {f.summary}{shared}" in section


def check_reflective_accounts(book: Book) -> None:
    section = book.log("Reflective accounts")
    assert "Date Title What happened What I learned What I changed The Code Sign-off" in section
    for a in book.of(K.REFLECTIVE_ACCOUNT):
        assert isinstance(a, ReflectiveAccount)
        themes = "; ".join(a.code_themes)  # written as the practitioner wrote them
        assert (
            f"{day(a.date)} {a.title} {a.experience} {a.learning} {a.change_in_practice} {themes}"
        ) in section


def check_attestations(book: Book) -> None:
    section = book.log("Reflective discussions and confirmations")
    assert "Date Kind By Role Registration Notes Sign-off" in section
    for a in book.of(K.ATTESTATION):
        assert isinstance(a, Attestation)
        parts = [day(a.date), a.attestation_kind.label, a.by_name, a.by_role, a.by_registration]
        assert " ".join(p for p in [*parts, a.notes] if p) in section


# --- reflections and sign-off evidence ------------------------------------------------------------


def check_reflections(book: Book) -> None:
    section = book.section("Reflections Shareable reflections", "Sign-off evidence Every")
    shared = [
        r
        for kind in (K.SUPERVISION, K.PRACTICE, K.COURSE, K.CPD, K.FEEDBACK)
        for r in book.of(kind)
        if getattr(r, "reflection", "") and not getattr(r, "reflection_private", False)
    ]
    private = [
        r
        for kind in (K.SUPERVISION, K.PRACTICE, K.CPD)
        for r in book.of(kind)
        if getattr(r, "reflection", "") and r.reflection_private  # type: ignore[attr-defined]
    ]
    assert shared
    assert private
    assert "Date Entry Reflection" in section
    # One row per shareable reflection, in date order; none of the private ones.
    rows = section.split("Date Entry Reflection", 1)[1]
    for record in shared:
        assert f"{day(DAY_OF[record.kind](record))} {record.kind.label} · " in rows
    dated = Counter(
        day(DAY_OF[r.kind](r))
        for r in shared  # type: ignore[arg-type]
    )
    for when, count in dated.items():
        assert rows.count(f"{when} ") >= count
    assert "PRIVATE" not in section


def check_signoff_evidence(book: Book) -> None:
    section = book.section("Sign-off evidence Every signature", "Declaration I confirm")
    assert "it does not grade the quality of the work" in section
    signers = [
        p
        for p in book.people.values()
        if f"Signed by {p.name} · {p.registration_body} {p.registration_number}" in section
    ]
    assert signers  # the demo's supervisor, with their registration
    assert "Signed (verified)" in section
    summary = book.section("1 Summary Entries", "2 Requirement status Each")
    assert "Signed counts the entries whose content as printed carries a valid signature." in (
        summary
    )


# --- the doc's table, line by line ----------------------------------------------------------------

FIELDS: list[tuple[str, Callable[[Book], None]]] = [
    ("Default period: the whole record", check_default_period),
    ("Cover: name, roles, registrations, period, document id", check_cover),
    ("Key figures: count and hours per kind", check_key_figures),
    (
        "Requirement status: every followed pack, each rule with its source",
        check_requirement_status,
    ),
    ("Supervision log: catalogue columns", check_supervision_log),
    ("Supervision log: methods", check_methods),
    ("Supervision log: settings covered", check_settings_covered),
    ("Supervision log: the formula of the followed packs, named", check_formula_named),
    ("Practice log: month by month", check_practice_log),
    ("Other logs: CPD, with participatory hours", check_cpd_log),
    ("Other logs: feedback", check_feedback_log),
    ("Other logs: reflective accounts", check_reflective_accounts),
    ("Other logs: discussions and confirmations", check_attestations),
    ("Reflections: shareable only", check_reflections),
    ("Sign-off evidence", check_signoff_evidence),
    ("Gaps: months with practice and no supervision", check_gaps),
]


@pytest.mark.parametrize(("field", "check"), FIELDS, ids=[f for f, _ in FIELDS])
def test_the_demo_prints_the_field(demo: Book, field: str, check: Callable[[Book], None]) -> None:
    check(demo)


# --- what the demo cannot show, from a small logbook ---------------------------------------------

END = date(2026, 6, 30)
NOW = datetime(2026, 6, 30, 17, 0)


def small_logbook(book: Logbook) -> None:
    """A counsellor's spring: a period entry, contact-only peer support, a group session that
    covers two settings, a partly participatory course, and a month of practice unsupervised."""
    add = book.records.create
    service = add(Organisation(name="Riverside Counselling Service", employer=True)).record
    supervisor = add(Person(name="Sam Patel", organisation_uid=service.uid)).record
    add(Profile(name="Alex Morgan", client_groups=("adults",)))
    for entry in (
        PracticeEntry(
            date=date(2026, 3, 1),
            end_date=date(2026, 4, 30),
            duration_minutes=61 * 60,
            setting=Setting.COMMUNITY,
            client_group="adults",
            organisation_uid=service.uid,
            reflection="Holding a full caseload through the spring taught me to pace my week.",
            reflection_private=False,
        ),
        PracticeEntry(
            date=date(2026, 5, 12),
            activity=PracticeActivity.PEER_SUPPORT,
            clients=3,
            setting=Setting.COMMUNITY,
            delivery=Delivery.FACE_TO_FACE,
            organisation_uid=service.uid,
        ),
        PracticeEntry(
            date=date(2026, 6, 3),
            duration_minutes=50,
            setting=Setting.COMMUNITY,
            client_group="adults",
            organisation_uid=service.uid,
        ),
    ):
        add(entry)
    add(
        SupervisionSession(
            date=date(2026, 3, 10),
            duration_minutes=120,
            counterpart_uid=supervisor.uid,
            organisation_uid=service.uid,
            format=SupervisionFormat.GROUP,
            group_size=6,
            setting=Setting.COMMUNITY,
            settings=(Setting.COMMUNITY, Setting.PRIVATE_PRACTICE),
            methods=(SupervisionMethod.CASE_DISCUSSION,),
        )
    )
    add(
        SupervisionSession(
            date=date(2026, 5, 20),
            duration_minutes=60,
            counterpart_uid=supervisor.uid,
            organisation_uid=service.uid,
            setting=Setting.COMMUNITY,
        )
    )
    add(
        CpdActivity(
            start_date=date(2026, 4, 14),
            title="Working with trauma",
            provider="Riverside training",
            duration_minutes=360,
            participatory=True,
            participatory_minutes=240,
        )
    )


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Book, Book]:
    """The small logbook exported following no pack, then following BACP's (whose formula
    divides group time)."""
    folder = tmp_path_factory.mktemp("portfolio-small")
    with open_book(folder / "logbook") as book:
        small_logbook(book)
        first = folder / "no-pack"
        first.mkdir()
        without = export(book, first, Period(), NOW)
        book.requirements.follow(["bacp_accreditation"])
        second = folder / "bacp"
        second.mkdir()
        following = export(book, second, Period(), NOW)
    return without, following


def test_with_no_pack_group_time_is_shown_as_recorded(small: tuple[Book, Book]) -> None:
    without, _ = small
    section = without.log("Supervision")
    assert not without.credit
    assert (
        "No followed requirement pack sets a formula for group supervision, so group time is "
        "shown as recorded, with no credit applied."
    ) in section
    assert "Date Hours Type Format" in section


def test_a_formula_that_divides_group_time_adds_the_credited_column(
    small: tuple[Book, Book],
) -> None:
    _, following = small
    section = following.log("Supervision")
    assert following.credit == "BACP individual accreditation"
    assert "Group supervision credit, by the formula of BACP individual accreditation" in section
    assert "Date Hours Credited Type Format" in section
    for session in following.of(K.SUPERVISION):
        credited = bacp_credit(session)
        assert (
            f"{day(session.date)} {hours(session.duration_minutes)} {hours(credited)} " in section
        )
    received = sum(s.duration_minutes for s in following.of(K.SUPERVISION))
    credited_all = sum(bacp_credit(s) for s in following.of(K.SUPERVISION))
    assert f"Received {hours(received)} h, credited {hours(credited_all)} h" in section


def test_a_session_covering_two_settings_lists_both(small: tuple[Book, Book]) -> None:
    without, _ = small
    [group] = [s for s in without.of(K.SUPERVISION) if s.settings]
    labels = ", ".join(x.label for x in group.settings)
    assert f"Riverside Counselling Service {labels}" in without.log("Supervision")


def test_contacts_and_entries_covering_a_period(small: tuple[Book, Book]) -> None:
    without, _ = small
    section = without.log("Practice")
    [contact] = [e for e in without.of(K.PRACTICE) if e.contact_only]
    assert "Contacts (no hours)" in section
    assert f"{contact.date:%b %Y} {contact.setting.label} · {contact.delivery.label} 1 " in section
    assert f" {contact.clients} 0.00" in section
    [period] = [e for e in without.of(K.PRACTICE) if e.end_date]
    assert (
        f"1 entry covers a period of practice, counted in the month the period starts: "
        f"{span(period.date, period.end_date)}, {hours(period.duration_minutes)} h "
        f"({period.setting.label})."
    ) in section
    # The month after the period's first: practice, and no supervision received.
    gaps = without.log("Supervision")
    months = [add_months(period.date, 1), date(2026, 6, 1)]
    assert (
        f"Months with practice and no supervision received: "
        f"{', '.join(f'{m:%b %Y}' for m in months)}."
    ) in gaps


def test_participatory_hours_and_practice_reflections(small: tuple[Book, Book]) -> None:
    without, _ = small
    [course] = without.of(K.CPD)
    cpd = without.log("Continuing professional development")
    assert f"Participatory learning: {hours(course.effective_participatory_minutes)} hours." in cpd
    assert course.effective_participatory_minutes < course.duration_minutes
    reflections = without.section("Reflections Shareable reflections", "Sign-off evidence")
    [practice] = [e for e in without.of(K.PRACTICE) if e.reflection]
    assert f"{day(practice.date)} Practice · " in reflections
    assert practice.reflection in reflections


def test_the_appendix_gives_a_period_entry_its_span(tmp_path: Path) -> None:
    with open_book(tmp_path / "logbook") as book:
        small_logbook(book)
        path = tmp_path / "portfolio.pdf"
        export_portfolio(
            book, path, ExportOptions(Period(), "portfolio", entry_by_entry=True), now=NOW
        )
        [period] = [
            e for e in book.records.all(K.PRACTICE) if isinstance(e, PracticeEntry) and e.end_date
        ]
    text = pdf_text(path)
    appendix = text[text.rindex("Appendix: practice logs entry by entry") :]
    assert "Dates Hours" in appendix
    assert f"{span(period.date, period.end_date)} {hours(period.duration_minutes)}" in appendix
