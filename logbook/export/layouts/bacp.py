"""What a BACP individual accreditation application asks for, from the records: current
practice, supervised practice before and after qualifying, the hours not counted and why,
supervision arrangements, supervision month by month against BACP's minimum, CPD, the reflective
practice criteria in the practitioner's words and the supervisors' confirmation.

Which hours count is read from the BACP requirement pack's results (the entries each finding
counted), so the document and the pack never disagree on them; the layout adds BACP's reasons
for what does not count, in BACP's words. Supervision is credited here by BACP's group formula
with the supervisees contracted to a group where that number is recorded, as BACP counts them;
the pack credits those present, and the month-by-month table says where that changes a verdict.
An entry covering a period of practice (``end_date``) counts over its whole span: its hours are
spread evenly over its days, month by month and either side of the qualifying date.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import pairwise
from typing import Any, ClassVar, TypeVar

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from logbook.domain.choices import PracticeActivity, SupervisionFormat, SupervisionType
from logbook.domain.findings import Finding, Granularity, PackResult, RuleResult, Status
from logbook.domain.periods import Period, add_months, month_starts
from logbook.domain.records import (
    CpdActivity,
    PracticeEntry,
    Record,
    RecordKind,
    SupervisionSession,
    minutes_of,
)
from logbook.domain.requirements.credit import credit_minutes
from logbook.domain.requirements.model import GroupCredit
from logbook.export import cells, fonts
from logbook.export import text as t
from logbook.export.data import BACP_GROUP_CREDIT, PortfolioData, SectionInfo
from logbook.export.document import (
    FRAME_WIDTH,
    NAVY,
    PALE,
    RULE,
    TABLE_FONT_SIZE,
    Column,
    escape,
    figures_table,
    table_style,
)
from logbook.export.sections import RequirementsSection, SignoffsSection
from logbook.export.tagging import TableTags

K = RecordKind
S = SectionInfo
A = PracticeActivity
REQUIREMENTS = frozenset({"requirements"})
# A dated entry grouped by month.
R = TypeVar("R", PracticeEntry, SupervisionSession)

# Why BACP does not count an activity, in BACP's words (docs/layouts.md, "BACP accreditation").
NOT_COUNTED_QUOTE = (
    "BACP: “You cannot use hours completed through: assessment interviews, helpline or "
    "counselling skills work”; practice must be “a mutually contracted therapeutic relationship”."
)
ACTIVITY_WHY: Mapping[PracticeActivity, str] = {
    A.ASSESSMENT: NOT_COUNTED_QUOTE,
    A.HELPLINE: NOT_COUNTED_QUOTE,
    A.COUNSELLING_SKILLS: NOT_COUNTED_QUOTE,
    A.GUIDED_SELF_HELP: "BACP lists work as a psychological wellbeing practitioner among the "
    "hours that cannot be used.",
    A.TEXT_OR_EMAIL: "BACP: “We don't count hours accumulated through asynchronous support "
    "such as texting or email”.",
}
UNSUPERVISED_WHY = "Only supervised practice counts towards accreditation."
MISSED_WHY = "The client did not attend: no contact took place, so no hours count."
OUTSIDE_WHY = "Dated before {start}, outside the period the requirement pack counts ({span})."
PACK_WHY = "Not counted by the BACP requirement pack."
RECENT_TIP = (
    "BACP's tips for applicants: the “diary of practice must be no more than six months old "
    "when you apply”."
)
CPD_TIP = (
    "BACP's tips for applicants: “Only describe one CPD activity from the 12 months prior to "
    "your application”. Activities from the twelve months before the end of this document are "
    "marked."
)
REGISTER_TERM = (
    "The term accredited members confirm on renewing their place on the BACP Register, printed "
    "as context: “If I'm an accredited member I further confirm that my supervision or "
    "consultancy arrangements are or were appropriate to my caseload and constituted a minimum "
    "of 1.5 hours per month”."
)
FORMULA_NAME = "BACP group supervision credit"
# BACP counts the supervisees contracted to a group, present or not (docs/layouts.md, Part F).
CONTRACTED_NOTE = (
    "BACP counts the supervisees “contracted to the group”: where that number is recorded it is "
    "used in place of those present."
)
# BACP's monthly minimum, in hours, when no requirement result states it.
MONTHLY_MINIMUM = 1.5
# The total row of a table of figures: bold, on a pale ground, ruled off.
TOTAL_STYLE: list[tuple[Any, ...]] = [
    ("FONT", fonts.CONDENSED_BOLD, TABLE_FONT_SIZE),
    ("BACKGROUND", PALE),
    ("LINEABOVE", 0.8, NAVY),
]
NO_PACK = (
    "The BACP individual accreditation requirement pack is not followed in this logbook, so "
    "hours are counted as BACP describes them (supervised, attended, and none of the kinds of "
    "work BACP excludes) without its figures. Follow the pack in the app to check them."
)
NO_AVERAGING = (
    "BACP: “We won't accept supervision time that has been averaged out over the year”. A month "
    "with no client work needs no supervision; BACP asks that such a break be documented."
)
# A group session used to work an example of the formula when the record holds none.
EXAMPLE_GROUP = SupervisionSession(
    date=date(2000, 1, 1),
    duration_minutes=120,
    format=SupervisionFormat.GROUP,
    group_size=6,
)
# The signature box of a supervisor: ruled, its labels on a pale ground.
BOX_STYLE: list[tuple[Any, ...]] = [
    ("BOX", (0, 0), (-1, -1), 0.6, NAVY),
    ("LINEBELOW", (0, 0), (-1, -2), 0.25, RULE),
    ("BACKGROUND", (0, 0), (0, -1), PALE),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
]
# A line of the practice log starts again after a break in the work longer than this.
BREAK_MONTHS = 2
# Where BACP's word limits for the reflective practice criteria are stated: its online
# accreditation workshop ("for criteria 6 and criteria 7 you have a maximum of 900 words for each
# of those sections, for criterion 8 you have a thousand words [now 1,400 words], and for
# criterion 9 which is the case material you have got a total of 3,000 words").
WORKSHOP = "https://www.bacp.co.uk/membership/accredited-membership/online-accreditation-workshop/"


@dataclass(frozen=True)
class Criterion:
    """A reflective practice criterion the practitioner writes about: its section, BACP's
    question in BACP's words, and the most words BACP allows."""

    key: str
    title: str
    asks: str
    words: int


CRITERIA = (
    Criterion(
        "criterion_7",
        "Criterion 7: self-awareness",
        "BACP asks you to tell it about “an experience or an activity that has contributed to "
        "increasing your self-awareness”: why you chose it, and how you use that awareness in "
        "your work with clients.",
        900,
    ),
    Criterion(
        "criterion_8",
        "Criterion 8: knowledge and understanding",
        "BACP asks for a rationale for your client work with reference to the theory that "
        "informs it, the place of self-awareness in your way of working, and how issues of "
        "difference and equality affect the therapeutic relationship; and for an account of any "
        "online or telephone work.",
        1400,
    ),
    Criterion(
        "criterion_9",
        "Criterion 9: practice and the use of supervision",
        "BACP asks for case material showing “how your practice is consistent with your "
        "described way of working”, “how you use your self-awareness in the therapeutic "
        "relationship”, your awareness of “issues of difference and equality”, your use of the "
        "Ethical Framework, “the awareness you have gained through reflection in and on "
        "supervision” and how you apply it. Case material must be anonymised.",
        3000,
    ),
)


@dataclass(frozen=True)
class NotCounted:
    """Practice entries BACP does not count for one reason: what they are, and why not."""

    what: str
    why: str
    entries: tuple[PracticeEntry, ...]


@dataclass(frozen=True)
class PracticeLine:
    """Counted practice in one setting of one organisation without a long break (or, for the
    total line, all of it)."""

    where: str
    setting: str
    entries: tuple[PracticeEntry, ...]
    total: bool = False

    @property
    def dates(self) -> str:
        """From the first day of its first entry to the last day of its latest one."""
        return t.day_range(self.entries[0].date, max(map(last_day, self.entries)))


@dataclass(frozen=True)
class Arrangement:
    """The sessions of one supervision arrangement: those given the same ``arrangement`` name,
    or, where none is named, those with one supervisor in one format and type of supervision.

    Attributes:
        name: The arrangement's name as recorded ("" when the sessions name none).
    """

    name: str
    supervisor_uid: str
    sessions: tuple[SupervisionSession, ...]
    counted: bool

    @property
    def first(self) -> SupervisionSession:
        """The arrangement's first session (its format and type stand for all)."""
        return self.sessions[0]

    @property
    def dates(self) -> str:
        """From the first session to the last."""
        return t.day_range(self.sessions[0].date, self.sessions[-1].date)

    @property
    def months(self) -> int:
        """Calendar months from the first session's to the last's, both included."""
        first, last = self.sessions[0].date, self.sessions[-1].date
        return (last.year - first.year) * 12 + last.month - first.month + 1


@dataclass(frozen=True)
class MonthRow:
    """A month of the supervision grid (or the total of them all).

    Attributes:
        practice: Minutes of counted practice in the month (a period entry's share of them).
        credited: Minutes of supervision credited (None: the month was not checked).
    """

    label: str
    practice: int
    sessions: tuple[SupervisionSession, ...]
    credited: float | None
    met: str
    note: str

    @property
    def credited_text(self) -> str:
        """The credited hours, or a dash for a month not checked."""
        return t.DASH if self.credited is None else cells.credited_hours_text(self.credited)


@dataclass(frozen=True)
class Tally:
    """What the BACP pack's results say about the document's entries, read once.

    Attributes:
        practice_rule: The pack's total of supervised practice hours (None: no BACP pack).
        monthly_rule: The pack's minimum of supervision in every month of practice.
        months: The monthly rule's finding for each month, by its first day.
        reasons: For each practice entry BACP does not count, by uid: what it is and why.
        arrangements: Supervision received, one arrangement per contract.
    """

    practice_rule: RuleResult | None
    monthly_rule: RuleResult | None
    months: Mapping[date, Finding]
    reasons: Mapping[str, tuple[str, str]]
    arrangements: tuple[Arrangement, ...]


def bacp_packs(data: PortfolioData) -> list[PackResult]:
    """The BACP packs checked for the document, accreditation first."""
    own = [p for p in data.requirements if "bacp" in f"{p.pack_id} {p.title}".lower()]
    return sorted(own, key=lambda p: "accreditation" not in f"{p.pack_id} {p.title}".lower())


def find_rule(packs: Sequence[PackResult], test: Callable[[RuleResult], bool]) -> RuleResult | None:
    """The first rule of ``packs`` that passes ``test``."""
    return next((r for p in packs for r in p.rules if test(r)), None)


def is_practice_total(rule: RuleResult) -> bool:
    """The total of supervised practice hours."""
    return rule.kind == "total" and rule.unit == "hours" and "practice" in rule.title.lower()


def is_monthly_supervision(rule: RuleResult) -> bool:
    """The minimum of supervision in every month of practice."""
    monthly = rule.granularity is Granularity.MONTH and rule.kind == "every_period"
    return monthly and "supervision" in rule.title.lower()


def tally_of(data: PortfolioData) -> Tally:
    """What the BACP pack counted in ``data``, from its results for the document's period."""
    packs = bacp_packs(data)
    practice = find_rule(packs, is_practice_total)
    monthly = find_rule(packs, is_monthly_supervision)
    findings = monthly.findings if monthly else ()
    months = {f.period.start: f for f in findings if f.period.start}
    counted = None if practice is None else {u for f in practice.findings for u in f.entries}
    outside = outside_why(practice)
    reasons = {
        e.uid: found
        for e in data.typed(K.PRACTICE, PracticeEntry)
        if (found := reason_for(e, counted, outside))
    }
    checked = {m for m, f in months.items() if f.actual is not None} if monthly else None
    supervised = {u for f in findings for u in f.entries}
    arrangements = arrangements_of(cells.received(data), checked, supervised)
    return Tally(practice, monthly, months, reasons, arrangements)


def reason_for(
    entry: PracticeEntry, counted: set[str] | None, outside: str
) -> tuple[str, str] | None:
    """What an entry BACP does not count is, and why (None when it counts): the pack's
    ``counted`` entries decide, BACP's reasons say why; with no pack, the reasons decide."""
    if entry.did_not_attend:
        return "Did not attend", MISSED_WHY
    if counted is not None and entry.uid in counted:
        return None
    if not entry.supervised:
        return "Unsupervised practice", UNSUPERVISED_WHY
    if entry.activity in ACTIVITY_WHY:
        return entry.activity.label, ACTIVITY_WHY[entry.activity]
    return None if counted is None else ("Outside the period counted", outside)


def outside_why(rule: RuleResult | None) -> str:
    """Why supervised work the pack's window leaves out does not count."""
    window = rule.window if rule else None
    if window is None or window.start is None:
        return PACK_WHY
    return OUTSIDE_WHY.format(start=t.day(window.start), span=t.period_text(window))


def arrangement_key(session: SupervisionSession) -> tuple[str, ...]:
    """What makes sessions one arrangement: its name, or with none named, the supervisor, the
    format and the type of supervision (docs/layouts.md, Part F)."""
    name = " ".join(session.arrangement.split())
    if name:
        return ("named", name.casefold())
    return (
        "unnamed",
        session.counterpart_uid or "",
        session.format.value,
        session.supervision_type,
    )


def arrangements_of(
    received: Sequence[SupervisionSession], checked: set[date] | None, counted: set[str]
) -> tuple[Arrangement, ...]:
    """One arrangement per contract, the earliest first; one counts when the pack counted a
    session of it, or none fell in a month the pack checked (``checked``, None when no pack
    checked any)."""
    groups: dict[tuple[str, ...], list[SupervisionSession]] = defaultdict(list)
    for session in received:
        groups[arrangement_key(session)].append(session)
    made = [
        Arrangement(
            " ".join(found[0].arrangement.split()),
            found[0].counterpart_uid or "",
            tuple(found),
            counts(found, checked, counted),
        )
        for found in groups.values()
    ]
    return tuple(sorted(made, key=lambda a: (a.first.date, a.supervisor_uid, a.name)))


def counts(
    sessions: Sequence[SupervisionSession], checked: set[date] | None, counted: set[str]
) -> bool:
    """Whether the pack counts an arrangement's sessions (see :func:`arrangements_of`); with no
    pack, every arrangement but line management counts, as BACP's pack has it."""
    if checked is None:
        return sessions[0].supervision_type is not SupervisionType.MANAGEMENT
    if any(s.uid in counted for s in sessions):
        return True
    return not any(s.date.replace(day=1) in checked for s in sessions)


def bacp_credit(session: SupervisionSession, formula: GroupCredit) -> tuple[float, str]:
    """The minutes of ``session`` BACP credits, and how: a group counts the supervisees
    contracted to it where that number is recorded, else those present."""
    contracted = session.group_contracted_size
    if session.format is not SupervisionFormat.GROUP or not contracted:
        return credit_minutes(session, formula)
    counted = replace(session, group_size=contracted)
    minutes, how = credit_minutes(counted, replace(formula, count_contracted=False))
    present = f", {session.group_size} present" if session.group_size else ""
    return minutes, f"{contracted} contracted to the group{present}: {how}"


class BacpAccreditationRenderer(RequirementsSection, SignoffsSection):
    """The application material for BACP individual accreditation."""

    key = "bacp"
    title = "BACP accreditation record"
    description = (
        "For BACP individual accreditation: current practice, supervised practice by setting "
        "before and after qualifying, hours not counted and why, supervision arrangements, "
        "supervision month by month, CPD, the reflective practice criteria in your own words "
        "and supervisors' confirmation. Period: the practice you submit, at most the six years "
        "up to the day of export, or three good years within them."
    )
    section_list: ClassVar[tuple[SectionInfo, ...]] = (
        S("summary", "Summary", frozenset({K.PRACTICE, K.SUPERVISION, K.CPD}), REQUIREMENTS),
        S("current", "Current practice", frozenset({K.PRACTICE}), REQUIREMENTS),
        S(
            "practice",
            "Practice log (supervised client hours)",
            frozenset({K.PRACTICE, K.SUPERVISION}),
            REQUIREMENTS,
        ),
        S("excluded", "Hours not counted", frozenset({K.PRACTICE}), REQUIREMENTS),
        S("arrangements", "Supervision arrangements", frozenset({K.SUPERVISION}), REQUIREMENTS),
        S(
            "monthly",
            "Supervision month by month",
            frozenset({K.PRACTICE, K.SUPERVISION}),
            REQUIREMENTS,
        ),
        S("cpd", "Continuing professional development", frozenset({K.CPD})),
        *(S(c.key, c.title, statement=c.title, words=c.words) for c in CRITERIA),
        S("requirements", "Requirement status", uses=REQUIREMENTS),
        S("declaration", "Supervisors' confirmation", frozenset({K.SUPERVISION}), REQUIREMENTS),
        S("signoffs", "Sign-off evidence", uses=frozenset({"signoffs"})),
        S(
            "entries",
            "Appendix: practice log entry by entry",
            frozenset({K.PRACTICE}),
            REQUIREMENTS | {"signoffs"},
            on_request=True,
        ),
    )
    listing: ClassVar[Mapping[str, tuple[RecordKind, ...]]] = {
        "summary": (K.PRACTICE, K.SUPERVISION, K.CPD),
        "practice": (K.PRACTICE,),
        "arrangements": (K.SUPERVISION,),
        "cpd": (K.CPD,),
        "entries": (K.PRACTICE,),
    }
    pack_words = ("bacp",)
    # The document the results were read for, and what they say.
    _tally: tuple[PortfolioData, Tally] | None = None

    # --- what counts -------------------------------------------------------------------------

    def tally(self, data: PortfolioData) -> Tally:
        """What the BACP pack counted in ``data`` (read once per document)."""
        if self._tally is None or self._tally[0] is not data:
            self._tally = (data, tally_of(data))
        return self._tally[1]

    def entries(self, data: PortfolioData, kind: RecordKind) -> Sequence[Record]:
        """Supervision received only: BACP asks for the supervision of the applicant's work."""
        return cells.received(data) if kind is K.SUPERVISION else data.of(kind)

    def practice(self, data: PortfolioData) -> list[PracticeEntry]:
        """Every practice entry of the document, oldest first."""
        return data.typed(K.PRACTICE, PracticeEntry)

    def counted(self, data: PortfolioData) -> list[PracticeEntry]:
        """The supervised practice BACP counts, oldest first."""
        reasons = self.tally(data).reasons
        return [e for e in self.practice(data) if e.uid not in reasons]

    def not_counted(self, data: PortfolioData) -> list[NotCounted]:
        """The entries BACP does not count, grouped by why, the most hours first."""
        reasons = self.tally(data).reasons
        groups: dict[tuple[str, str], list[PracticeEntry]] = defaultdict(list)
        for entry in self.practice(data):
            if entry.uid in reasons:
                groups[reasons[entry.uid]].append(entry)
        made = [NotCounted(what, why, tuple(found)) for (what, why), found in groups.items()]
        return sorted(made, key=lambda g: (-sum(minutes_of(e) for e in g.entries), g.what))

    def split(self, entries: Sequence[PracticeEntry], data: PortfolioData) -> list[str]:
        """Hours before qualifying, from the day of qualifying on (as the pack counts them; an
        entry covering a period is split at that day), and in all; a dash for each part when no
        qualifying date is recorded."""
        qualified = data.profile.qualified_on
        total = sum(minutes_of(e) for e in entries)
        if qualified is None:
            return [t.DASH, t.DASH, t.hours_text(total)]
        before = sum(minutes_before(e, qualified) for e in entries)
        return [t.hours_text(before), t.hours_text(total - before), t.hours_text(total)]

    def formula(self, data: PortfolioData) -> GroupCredit:
        """BACP's group credit as the pack states it (the built-in one when another body's
        formula is the one the logbook follows)."""
        return data.group_credit if data.group_credit.key == "bacp" else BACP_GROUP_CREDIT

    def counted_sessions(self, data: PortfolioData) -> list[SupervisionSession]:
        """Supervision received in the arrangements the pack counts, oldest first."""
        found = [s for a in self.tally(data).arrangements if a.counted for s in a.sessions]
        return sorted(found, key=lambda s: (s.date, s.uid))

    def credited(self, sessions: Iterable[SupervisionSession], data: PortfolioData) -> float:
        """Minutes of ``sessions`` credited by BACP's formula (with the supervisees contracted
        to each group where recorded)."""
        formula = self.formula(data)
        return sum(bacp_credit(s, formula)[0] for s in sessions)

    # --- cover and summary -------------------------------------------------------------------

    def cover_details(self, data: PortfolioData) -> list[tuple[str, str]]:
        """The usual cover details, with the BACP membership and the qualifying date."""
        pairs = super().cover_details(data)
        pairs.insert(1, ("Qualified on", t.day(data.profile.qualified_on) or "Not recorded"))
        found = t.registration_for(data.profile, "BACP")
        if found:
            pairs.insert(1, ("BACP membership", found.number or t.DASH))
        return pairs

    def section_summary(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The figures an assessor looks for first, and where the BACP pack stands on each."""
        story: list[Flowable] = [
            self.para(
                f"Supervised practice and supervision recorded between {t.day(data.start)} and "
                f"{t.day(data.end)}, for BACP individual accreditation. Which hours count is as "
                "the BACP requirement pack counts them; the hours not counted are listed with "
                "BACP's reasons. Supervision is credited by BACP's group formula."
            ),
            self.gap(3 * mm),
            figures_table(["Figure", "Recorded"], self.key_figures(data), [60, 40], self.styles),
            self.gap(4 * mm),
            *self.coverage_box(data),
        ]
        packs = bacp_packs(data)
        if not packs:
            return [*story, self.notice(NO_PACK)]
        for pack in packs:
            story += [self.gap(2 * mm), self.pack_figures(pack)]
        return story

    def key_figures(self, data: PortfolioData) -> list[list[str]]:
        """Practice recorded and counted (before and after qualifying), not counted, years in
        practice, and supervision received and credited."""
        counted = self.counted(data)
        before, after, total = self.split(counted, data)
        left_out = [e for group in self.not_counted(data) for e in group.entries]
        practice = self.practice(data)
        received = cells.received(data)
        credited = self.credited(self.counted_sessions(data), data)
        return [
            ["Qualified on", t.day(data.profile.qualified_on) or "Not recorded"],
            ["Practice recorded", f"{hours(practice)} h in {len(practice):,} entries"],
            ["Supervised practice counted", f"{total} h"],
            ["Counted before qualifying", f"{before} h"],
            ["Counted from qualifying on", f"{after} h"],
            ["Practice not counted", f"{hours(left_out)} h in {len(left_out):,} entries"],
            ["Years in practice (counted practice, first to last)", years_text(counted)],
            ["Supervision received", f"{hours(received)} h in {len(received):,} sessions"],
            [f"Supervision credited ({FORMULA_NAME})", f"{cells.credited_hours_text(credited)} h"],
        ]

    def pack_figures(self, pack: PackResult) -> Table:
        """Each rule of a BACP pack in its own words, the figure recorded and its status."""
        cell = self.styles.cell
        rows = [
            [
                Paragraph(escape(rule.title), cell),
                Paragraph(escape(recorded_text(rule)), cell),
                Paragraph(self.status_markup(rule.status), cell),
            ]
            for rule in pack.rules
        ]
        header = [f"{pack.title}: what it asks", "Recorded", "Status"]
        return self.rich_table(header, rows, [50, 30, 20])

    # --- Part B: current practice ------------------------------------------------------------

    def section_current(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Each setting with counted client work in the last three months of the document: the
        role there, client hours a month, client groups and ways of working."""
        months = [add_months(data.end.replace(day=1), -i) for i in (3, 2, 1)]
        since = add_months(data.end, -3)
        groups: dict[tuple[str, str], list[PracticeEntry]] = defaultdict(list)
        for entry in self.counted(data):
            groups[(entry.organisation_uid or "", entry.setting.label)].append(entry)
        rows = sorted(
            self.current_row(uid, setting, found, data, months)
            for (uid, setting), found in groups.items()
            if max(map(last_day, found)) > since
        )
        intro = (
            "BACP asks for a current practice form “for each role” when you work in more than "
            f"one setting: here, each setting with counted client work after {t.day(since)}. "
            f"Client hours a month are the mean of {months[0]:%B} to {months[-1]:%B %Y}."
        )
        columns = [
            Column("Setting", 110, lambda r: r[0], bold=True),
            Column("Role", 90, lambda r: r[1]),
            Column("Client hours a month", 50, lambda r: r[2], "RIGHT"),
            Column("Client groups", 90, lambda r: r[3]),
            Column("Ways of working", 90, lambda r: r[4]),
        ]
        empty = "No counted client work in the last three months of this document."
        story = [self.para(intro), self.gap(3 * mm), *self.log_table(columns, rows, empty=empty)]
        groups_named = ", ".join(data.profile.client_groups)
        if groups_named:
            story += [
                self.gap(2 * mm),
                self.para(f"Client groups named in the profile: {groups_named}.", "muted"),
            ]
        return story

    def current_row(
        self,
        uid: str,
        setting: str,
        found: Sequence[PracticeEntry],
        data: PortfolioData,
        months: list[date],
    ) -> tuple[str, ...]:
        """One setting of current practice, as its row shows it."""
        minutes = sum(spread(e).get(month, 0) for e in found for month in months)
        roles = [r for r in data.profile.roles if r.organisation_uid == uid]
        role = max(roles, key=lambda r: r.start).title if roles else t.DASH
        ways = Counter(e.delivery.label for e in found)
        return (
            t.join([setting, data.organisation_name(uid)], "\n"),
            role,
            t.hours_text(round(minutes / len(months))),
            ", ".join(sorted({e.client_group for e in found if e.client_group})) or t.DASH,
            ", ".join(way for way, _ in ways.most_common()),
        )

    # --- Part E: practice log and the hours not counted ----------------------------------------

    def section_practice(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Counted practice per setting, split at the qualifying date, with who supervised it,
        and the years in practice."""
        lines = self.practice_lines(data)
        counted = self.counted(data)
        before, after, total = self.split(counted, data)
        qualified = data.profile.qualified_on
        split = (
            f"{before} h before qualifying on {t.day(qualified)} and {after} h from that day on"
            if qualified
            else "no qualifying date is recorded, so the hours are not split"
        )
        latest = t.day(max(map(last_day, counted))) if counted else t.DASH
        note = (
            "One line per setting and organisation; a new line starts after a break of more "
            f"than {BREAK_MONTHS} months. An entry covering a period counts over its whole "
            f"span. {RECENT_TIP} The latest entry counted is of {latest}."
        )
        listed = cells.Listed("Practice", K.PRACTICE, self.practice(data))
        lead = self.signed_lead(
            data,
            f"{total} hours counted: {split}. Years in practice: {years_text(counted)}.",
            note,
            listed,
        )
        index = self.signoffs(data)
        rows = [*lines, PracticeLine("All settings", "", tuple(counted), total=True)]
        return lead + self.log_table(
            [
                Column("Setting and organisation", 120, self.where, bold=True),
                Column("Dates", 70, lambda r: r.dates),
                Column(
                    "Hours before qualifying", 44, lambda r: self.split(r.entries, data)[0], "RIGHT"
                ),
                Column(
                    "Hours from qualifying", 44, lambda r: self.split(r.entries, data)[1], "RIGHT"
                ),
                Column("Total hours", 40, lambda r: self.split(r.entries, data)[2], "RIGHT"),
                Column("Supervised by", 100, lambda r: self.supervisors(r, data)),
                Column("Signed", 36, lambda r: cells.signed_share_text(r.entries, index), "RIGHT"),
            ],
            rows if lines else [],
            {len(lines): TOTAL_STYLE},
        )

    def where(self, line: PracticeLine) -> str:
        """A line's setting and organisation."""
        return t.join([line.setting, line.where], "\n")

    def practice_lines(self, data: PortfolioData) -> list[PracticeLine]:
        """Counted practice by organisation and setting, cut where the work broke off."""
        groups: dict[tuple[str, str], list[PracticeEntry]] = defaultdict(list)
        for entry in self.counted(data):
            where = data.organisation_name(entry.organisation_uid) or "Organisation not recorded"
            groups[(where, entry.setting.label)].append(entry)
        lines = [
            PracticeLine(where, setting, run)
            for (where, setting), found in groups.items()
            for run in runs(found)
        ]
        return sorted(lines, key=lambda line: (line.entries[0].date, line.where))

    def supervisors(self, line: PracticeLine, data: PortfolioData) -> str:
        """Who supervised the work of a line: supervision that covered its setting (any of the
        settings a session records) or, where a session records none, came from its
        organisation, while the line ran."""
        if line.total:
            return ""
        first, last = line.entries[0].date, max(map(last_day, line.entries))
        organisation = line.entries[0].organisation_uid
        names = {
            data.person_name(s.counterpart_uid)
            for s in self.counted_sessions(data)
            if first <= s.date <= last
            and (
                line.setting in {setting.label for setting in s.effective_settings}
                if s.effective_settings
                else s.organisation_uid == organisation
            )
        }
        return ", ".join(sorted(n for n in names if n)) or "None recorded"

    def section_excluded(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The practice BACP does not count, by reason, so the assessor sees nothing is hidden."""
        groups = self.not_counted(data)
        entries = [e for g in groups for e in g.entries]
        lead = f"{hours(entries)} hours in {len(entries):,} entries are not counted."
        note = (
            "Each kind of work BACP does not count, with BACP's reason, so that nothing is "
            "hidden. Sessions the client did not attend add no hours."
        )
        return self.lead(lead, note) + self.log_table(
            [
                Column("Not counted", 70, lambda g: g.what, bold=True),
                Column("Entries", 30, lambda g: f"{len(g.entries):,}", "RIGHT"),
                Column("Hours", 30, lambda g: hours(g.entries), "RIGHT"),
                Column(
                    "Dates",
                    70,
                    lambda g: t.day_range(g.entries[0].date, max(map(last_day, g.entries))),
                ),
                Column("Settings", 80, lambda g: settings_text(g.entries, data)),
                Column("Why BACP does not count it", 170, lambda g: g.why, max_lines=8),
            ],
            groups,
            empty="Every practice entry in this period counts.",
        )

    # --- Part F: supervision -----------------------------------------------------------------

    def formula_note(self, data: PortfolioData) -> list[Flowable]:
        """BACP's group formula in the pack's words, with a worked example from the record."""
        formula = self.formula(data)
        groups = [s for s in self.counted_sessions(data) if s.format is SupervisionFormat.GROUP]
        # A group with fewer present than contracted shows how the contracted number is used.
        sample = next(
            (s for s in groups if (s.group_contracted_size or 0) > (s.group_size or 0)), None
        )
        sample = sample or (groups[0] if groups else EXAMPLE_GROUP)
        where = f"the session of {t.day(sample.date)}" if groups else "for example"
        worked = bacp_credit(sample, formula)[1]
        text = (
            f"<b>{FORMULA_NAME}.</b> {escape(formula.description.strip())} "
            f"{escape(CONTRACTED_NOTE)} Individual sessions count in full. Worked example, "
            f"{escape(where)}: {escape(worked)}."
        )
        return [self.notice(text), self.gap(3 * mm)]

    def section_arrangements(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Each supervision arrangement: supervisor, dates, frequency and length, individual or
        group (with the number contracted and present), mode, settings covered and the time
        recorded and credited."""
        found = self.tally(data).arrangements
        listed = cells.Listed("Supervision received", K.SUPERVISION, cells.received(data))
        lead = f"{len(found)} supervision arrangements, {len(listed.records):,} sessions."
        note = (
            "BACP asks for each arrangement, one supervisor's individual and group supervision "
            "being two; sessions are grouped by the arrangement recorded with them (or, where "
            "none is, by supervisor, format and type). Group sizes count the supervisees "
            "contracted to the group and those present (the facilitator is not counted; in a "
            "peer group everyone is). The time credited a month is spread over the calendar "
            "months the arrangement ran."
        )
        index = self.signoffs(data)
        columns = [
            Column("Supervisor", 96, lambda a: self.supervisor_text(a, data)),
            Column("Arrangement", 90, arrangement_text),
            Column("Dates", 66, lambda a: a.dates),
            Column("Frequency and length", 56, frequency_text),
            Column("Settings covered", 60, lambda a: covered_text(a.sessions)),
            Column("Sessions", 32, lambda a: f"{len(a.sessions):,}", "RIGHT"),
            Column("Hours", 32, lambda a: hours(a.sessions), "RIGHT"),
            Column("Credited (h)", 44, lambda a: self.credited_text(a, data), "RIGHT"),
            Column("Signed", 36, lambda a: cells.signed_share_text(a.sessions, index), "RIGHT"),
        ]
        empty = "No supervision received is recorded in this period."
        return [
            *self.signed_lead(data, lead, note, listed),
            *self.formula_note(data),
            *self.log_table(columns, found, empty=empty),
        ]

    def supervisor_text(self, arrangement: Arrangement, data: PortfolioData) -> str:
        """The supervisor's name, registration and organisation, and whether they are the
        practitioner's line manager."""
        uid = arrangement.supervisor_uid
        name = data.person_name(uid) or "Supervisor not recorded"
        organisation = data.organisation_name(arrangement.first.organisation_uid)
        manager = line_manager_text(uid, arrangement, data)
        return t.join([name, registration_of(uid, data), organisation, manager], "\n")

    def credited_minutes(self, arrangement: Arrangement, data: PortfolioData) -> float:
        """Minutes credited to the arrangement by BACP's formula (none when it does not count)."""
        return self.credited(arrangement.sessions, data) if arrangement.counted else 0.0

    def credited_text(self, arrangement: Arrangement, data: PortfolioData) -> str:
        """Hours credited to the arrangement by BACP's formula, in all and a month (over the
        calendar months it ran)."""
        minutes = self.credited_minutes(arrangement, data)
        each = cells.credited_hours_text(minutes / arrangement.months)
        return f"{cells.credited_hours_text(minutes)}\n{each} a month"

    def section_monthly(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Each month: counted practice hours against supervision recorded and credited, and
        whether BACP's monthly minimum is met."""
        rows = self.month_rows(data)
        checked = [r for r in rows if r.met in ("Yes", "No")]
        met = sum(r.met == "Yes" for r in checked)
        total = MonthRow(
            "All months",
            sum(r.practice for r in rows),
            tuple(s for r in rows for s in r.sessions),
            sum(r.credited or 0.0 for r in rows),
            f"{met} of {len(checked)}",
            "",
        )
        columns = [
            Column("Month", 50, lambda r: r.label, bold=True),
            Column("Counted practice (h)", 48, lambda r: t.hours_text(r.practice), "RIGHT"),
            Column("Supervision recorded (h)", 52, lambda r: hours(r.sessions), "RIGHT"),
            Column("Supervision credited (h)", 52, lambda r: r.credited_text, "RIGHT"),
            Column("Minimum met", 40, lambda r: r.met),
            Column("Note", 130, lambda r: r.note),
        ]
        differ = sum(PACK_DIFFERS in r.note for r in rows)
        note = NO_AVERAGING
        if differ:
            note += (
                f" Credited time counts the supervisees contracted to each group, as BACP does; "
                f"the requirement pack credits those present, so {differ} "
                f"{'month reads' if differ == 1 else 'months read'} differently (see the note)."
            )
        return [
            *self.lead(self.minimum_line(data), note),
            *self.formula_note(data),
            *self.log_table(columns, [*rows, total], {len(rows): TOTAL_STYLE}),
        ]

    def minimum_line(self, data: PortfolioData) -> str:
        """What the pack asks of each month, in its own words."""
        rule = self.tally(data).monthly_rule
        if rule is None:
            return "The BACP requirement pack is not followed, so no monthly minimum is checked."
        return f"{rule.title}: {rule.description.strip()}"

    def minimum_minutes(self, data: PortfolioData) -> float:
        """The monthly minimum the pack checks, in minutes (BACP's 1.5 hours when no checked
        month states it)."""
        rule = self.tally(data).monthly_rule
        required = [f.required for f in rule.findings if f.required] if rule else []
        return 60 * (required[0] if required else MONTHLY_MINIMUM)

    def month_rows(self, data: PortfolioData) -> list[MonthRow]:
        """Each month of the document: practice counted (a period entry's share of it),
        supervision recorded and credited, and whether the minimum is met."""
        tally = self.tally(data)
        practice: Counter[date] = Counter()
        for entry in self.counted(data):
            practice.update(spread(entry))
        # Months only a period entry begun earlier reaches: the pack, counting an entry in the
        # month it starts, leaves them out, so they are checked here.
        reached = practice.keys() - {e.date.replace(day=1) for e in self.counted(data)}
        sessions = by_month(cells.received(data))
        counted = by_month(self.counted_sessions(data))
        worked = {m for e in self.practice(data) for m in spread(e)}
        # From the first month with work or supervision: a six-year period may open years
        # before the record does; to the last month a period entry reaches.
        first = min([*worked, *sessions], default=data.start)
        last = max([data.end, *practice])
        minimum = self.minimum_minutes(data)
        rows = []
        for month in month_starts(Period(max(data.start, first), last)):
            credited = self.credited(counted.get(month, []), data)
            met, note = self.month_check(
                tally.months.get(month), credited, minimum, month in worked, month in reached
            )
            rows.append(
                MonthRow(
                    f"{month:%b %Y}",
                    practice.get(month, 0),
                    tuple(sessions.get(month, [])),
                    None if met == t.DASH and tally.monthly_rule is not None else credited,
                    met,
                    note,
                )
            )
        return rows

    def month_check(
        self,
        finding: Finding | None,
        credited: float,
        minimum: float,
        worked: bool,
        reached: bool,
    ) -> tuple[str, str]:
        """Whether a month met the minimum ("Yes", "No", "Running" or a dash: not checked), and
        why it reads so: the credited time against the minimum for each month the pack checks,
        and for a month of counted practice it leaves out only because the practice is of a
        period entry begun earlier (``reached``)."""
        if finding is None:
            return t.DASH, "No client work this month" if not worked else "Not checked"
        skipped = finding.status is Status.NOT_APPLICABLE
        # The pack's last sentence says why it did not check the month.
        why = finding.explanation.rstrip(".").split(". ")[-1] + "." if skipped else ""
        # Left out for want of practice starting in it (not for leave, nor a part month).
        unpractised = finding.actual is None and "leave" not in finding.explanation
        if skipped and not (reached and unpractised):
            if not worked:
                return t.DASH, "No client work this month" + (
                    ": on leave" if "leave" in why else ""
                )
            return t.DASH, why
        met = credited + 1e-6 >= minimum
        verdict = "Yes" if met else ("Running" if finding.in_progress else "No")
        if skipped:
            return verdict, "Counted practice from an entry covering a period"
        pack_met = finding.status is Status.MET
        if pack_met != met:
            said = "met" if pack_met else "not yet met"
            return verdict, f"{PACK_DIFFERS}: {said}"
        return verdict, "Month still running" if finding.in_progress and not met else ""

    # --- Part G: CPD and the reflective practice criteria --------------------------------------

    def section_cpd(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Criterion 6 (one activity of the last twelve months, with its impact), then the CPD
        log, with the activities of the last twelve months marked."""
        cpd = data.typed(K.CPD, CpdActivity)
        recent = add_months(data.end, -12)
        lead = f"{len(cpd)} activities, {t.hours_text(data.total(K.CPD).minutes)} hours."
        listed = cells.Listed("CPD", K.CPD, cpd)
        return [
            *self.signed_lead(data, lead, CPD_TIP, listed),
            *self.criterion_6(cpd, recent),
            *self.log_table(
                [
                    Column("Dates", 50, lambda r: t.day_range(r.start_date, r.end_date)),
                    Column(
                        "Activity", 100, lambda r: t.join([r.title, r.provider], "\n"), bold=True
                    ),
                    Column("Type", 52, lambda r: r.cpd_type.label),
                    Column("Hours", 30, lambda r: t.hours_text(r.duration_minutes), "RIGHT"),
                    Column("Last 12 months", 36, lambda r: "Yes" if r.start_date > recent else ""),
                    Column("What I learned", 100, lambda r: r.learning_outcomes, max_lines=10),
                    Column("Impact on my practice", 100, lambda r: r.impact, max_lines=10),
                    self.signoff_column(data),
                ],
                cpd,
            ),
        ]

    def criterion_6(self, cpd: Sequence[CpdActivity], recent: date) -> list[Flowable]:
        """The activity for criterion 6: the latest of the last twelve months with its impact
        written (else the latest of them), in a box with BACP's fields; a box to complete when
        none is recorded."""
        found = [a for a in cpd if a.start_date > recent]
        chosen = max(found, key=lambda a: (bool(a.impact), a.start_date), default=None)
        title = Paragraph(
            "Criterion 6: one CPD activity from the 12 months before applying", self.styles.h3
        )
        rows = [
            ("Activity", chosen.title if chosen else ""),
            ("Dates", t.day_range(chosen.start_date, chosen.end_date) if chosen else ""),
            ("Provider", chosen.provider if chosen else ""),
            (
                "Type and hours",
                f"{chosen.cpd_type.label}, {t.hours_text(chosen.duration_minutes)} h"
                if chosen
                else "",
            ),
            ("What I learned", chosen.learning_outcomes if chosen else ""),
            ("Impact on my practice", chosen.impact if chosen else ""),
        ]
        note = (
            "The most recent activity of the twelve months with its impact recorded; the "
            "others are in the log below."
            if chosen
            else "No CPD activity is recorded in the twelve months before the end of this "
            "document: complete the box by hand."
        )
        # Empty, the box has room to complete by hand.
        heights = [None if chosen else 9 * mm for _ in rows]
        return [
            KeepTogether([title, self.labelled_box(rows, heights)]),
            self.gap(1.5 * mm),
            self.para(note, "muted"),
            self.gap(3 * mm),
        ]

    def section_criterion_7(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Criterion 7 in the practitioner's words."""
        return self.criterion(CRITERIA[0], data)

    def section_criterion_8(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Criterion 8 in the practitioner's words."""
        return self.criterion(CRITERIA[1], data)

    def section_criterion_9(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Criterion 9 in the practitioner's words."""
        return self.criterion(CRITERIA[2], data)

    def criterion(self, criterion: Criterion, data: PortfolioData) -> list[Flowable]:
        """What BACP asks, then the practitioner's account as written with its word count, or a
        notice that it is still to be written."""
        story: list[Flowable] = [self.para(criterion.asks, "muted"), self.gap(2 * mm)]
        written = self.written(criterion.key, data)
        limit = f"BACP allows at most {criterion.words:,} words"
        if not written:
            return [
                *story,
                self.notice(
                    f"<b>Not yet written.</b> {escape(limit)}. Write it in the export window, or "
                    f"with --statement {criterion.key}=FILE; it is printed here as written."
                ),
            ]
        words = len(data.statements[criterion.key].split())
        return [
            *story,
            *written,
            self.gap(2 * mm),
            self.para(f"{words:,} words ({limit}).", "muted"),
        ]

    # --- closing -----------------------------------------------------------------------------

    def section_declaration(self, data: PortfolioData, number: str) -> list[Flowable]:
        """A box for each supervisor to sign, naming their arrangements and dates."""
        by_supervisor: dict[str, list[Arrangement]] = defaultdict(list)
        for arrangement in self.tally(data).arrangements:
            if arrangement.counted and arrangement.supervisor_uid:
                by_supervisor[arrangement.supervisor_uid].append(arrangement)
        story: list[Flowable] = [
            self.para(
                "Each supervisor confirms the supervision arrangements recorded with them, on the "
                "dates shown; BACP asks that contract dates match the supervisor's report, which "
                "is signed on BACP's own form and sent with the application. Entries signed in "
                "the app are listed in the sign-off evidence."
            ),
            self.gap(2 * mm),
            self.para(REGISTER_TERM, "muted"),
            self.gap(4 * mm),
        ]
        for uid, found in sorted(by_supervisor.items(), key=lambda i: data.person_name(i[0])):
            story += [KeepTogether([self.signature_box(uid, found, data)]), self.gap(6 * mm)]
        if not by_supervisor:
            story.append(self.para("No supervisor is named in this period.", "muted"))
        return story

    def signature_box(self, uid: str, found: list[Arrangement], data: PortfolioData) -> Table:
        """A supervisor's name, registration and arrangements, with room to sign and date."""
        # An arrangement by its name, or, unnamed, by its format and frequency.
        dates = [
            f"{a.name or f'{group_text(a.sessions)}, {frequency(a.sessions).lower()}'}: {a.dates}"
            for a in found
        ]
        rows = [
            ("Supervisor", data.person_name(uid)),
            ("Registration", registration_of(uid, data) or " "),
            ("Arrangements", "\n".join(dates)),
            ("Signature", " "),
            ("Date", " "),
        ]
        return self.labelled_box(rows, [None, None, None, 14 * mm, None])

    def labelled_box(
        self, rows: Sequence[tuple[str, str]], heights: Sequence[float | None]
    ) -> Table:
        """Labels on a pale ground beside their values (lines kept), ruled and boxed; a row
        given a height keeps at least that much room."""
        table = Table(
            [
                [
                    Paragraph(escape(label), self.styles.cell_bold),
                    Paragraph(escape(value or " ").replace("\n", "<br/>"), self.styles.body),
                ]
                for label, value in rows
            ],
            colWidths=[38 * mm, FRAME_WIDTH - 38 * mm],
            rowHeights=list(heights),
            renderCB=TableTags(header_columns=1),
        )
        table.setStyle(table_style(BOX_STYLE))
        return table

    def section_entries(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Every practice entry: what, where and how, whether BACP counts it, and its sign-off."""
        reasons = self.tally(data).reasons
        columns = [
            Column("Date", 46, lambda e: t.day_range(e.date, e.end_date)),
            Column("Hours", 32, cells.practice_hours_text, "RIGHT"),
            Column("Activity", 62, lambda e: e.activity.label),
            Column("Setting and delivery", 80, lambda e: f"{e.setting.label}\n{e.delivery.label}"),
            Column("Client group", 56, lambda e: e.client_group),
            Column("Organisation", 84, lambda e: data.organisation_name(e.organisation_uid)),
            Column("BACP", 70, lambda e: reasons[e.uid][0] if e.uid in reasons else "Counted"),
            self.signoff_column(data),
        ]
        intro = "Every practice entry, oldest first, with whether BACP counts it."
        return [self.para(intro, "muted"), *self.log_table(columns, self.practice(data))]


# --- words and figures ---------------------------------------------------------------------------

# How a month's note reads where the pack, crediting the supervisees present, decides otherwise.
PACK_DIFFERS = "Requirement pack (crediting those present)"


def last_day(entry: PracticeEntry) -> date:
    """The last day of an entry: its ``end_date`` when it covers a period, else its date."""
    return max(entry.date, entry.end_date) if entry.end_date else entry.date


def minutes_before(entry: PracticeEntry, day: date) -> int:
    """The minutes of an entry on the days before ``day``, its time spread evenly over its days
    (whole minutes, so the parts of an entry always add up to it)."""
    span = (last_day(entry) - entry.date).days + 1
    days = min(max((day - entry.date).days, 0), span)
    return (2 * minutes_of(entry) * days + span) // (2 * span)


def spread(entry: PracticeEntry) -> dict[date, int]:
    """An entry's minutes by the first day of each month it covers (one month for an entry of a
    single day)."""
    found: dict[date, int] = {}
    month = entry.date.replace(day=1)
    while month <= last_day(entry):
        following = add_months(month, 1)
        found[month] = minutes_before(entry, following) - minutes_before(entry, month)
        month = following
    return found


def hours(entries: Iterable[PracticeEntry | SupervisionSession]) -> str:
    """Hours of ``entries`` to two decimals (sessions not attended count none)."""
    return t.hours_text(sum(minutes_of(e) for e in entries))


def by_month(entries: Iterable[R]) -> dict[date, list[R]]:
    """``entries`` by the first day of their month."""
    found: dict[date, list[R]] = defaultdict(list)
    for entry in entries:
        found[entry.date.replace(day=1)].append(entry)
    return found


def runs(entries: Sequence[PracticeEntry]) -> list[tuple[PracticeEntry, ...]]:
    """``entries`` (oldest first) cut wherever the work broke off for over ``BREAK_MONTHS``
    (counted from the last day of an entry covering a period)."""
    found: list[list[PracticeEntry]] = []
    reached = date.min
    for entry in entries:
        if found and entry.date <= add_months(reached, BREAK_MONTHS):
            found[-1].append(entry)
        else:
            found.append([entry])
            reached = date.min
        reached = max(reached, last_day(entry))
    return [tuple(run) for run in found]


def years_text(counted: Sequence[PracticeEntry]) -> str:
    """The span of the counted practice, first day to last, in years and months."""
    if not counted:
        return t.DASH
    first, last = counted[0].date, max(map(last_day, counted))
    whole = (last.year - first.year) * 12 + last.month - first.month - (last.day < first.day)
    years, months = divmod(whole, 12)
    return f"{t.day_range(first, last)} ({years} years {months} months)"


def recorded_text(rule: RuleResult) -> str:
    """A rule's figure: recorded against required, or how many of its periods that have ended
    are met (and how many are still running)."""
    findings = [f for f in rule.findings if f.status is not Status.NOT_APPLICABLE]
    if rule.granularity.periodic:
        ended = [f for f in findings if not f.in_progress]
        met = sum(1 for f in ended if f.status is Status.MET)
        running = len(findings) - len(ended)
        text = f"{met} of {len(ended)} {rule.granularity.plural} met"
        return text + (f", {running} still running" if running else "")
    if len(findings) != 1:
        met = sum(1 for f in findings if f.status is Status.MET)
        return f"{met} of {len(findings)} checks met"
    only = findings[0]
    return f"{t.figure(only.actual, only.unit)} of {t.figure(only.required, only.unit)}"


def line_manager_text(uid: str, arrangement: Arrangement, data: PortfolioData) -> str:
    """ "Line manager" for a supervisor who manages the practitioner: named a manager, or giving
    line management, at an organisation that employs the practitioner ("" when not; the
    organisation is named when it is not the arrangement's)."""
    person = data.people.get(uid)
    if person is None:
        return ""
    named = any("manager" in role.casefold() for role in person.roles)
    manages = any(
        s.counterpart_uid == uid and s.supervision_type is SupervisionType.MANAGEMENT
        for s in cells.received(data)
    )
    where = data.organisations.get(person.organisation_uid or "")
    if not (named or manages) or where is None or not where.employer:
        return ""
    if where.uid == arrangement.first.organisation_uid:
        return "Line manager (employer)"
    return f"Line manager at {where.name} (employer)"


def registration_of(uid: str, data: PortfolioData) -> str:
    """A supervisor's registration ("BACP MBACP (Accred) 123456"), or ""."""
    person = data.people.get(uid)
    return t.join([person.registration_body, person.registration_number], " ") if person else ""


def settings_text(entries: Sequence[PracticeEntry], data: PortfolioData) -> str:
    """The settings and organisations of ``entries``, the most used first."""
    where = Counter(
        t.join([e.setting.label, data.organisation_name(e.organisation_uid)], ", ") for e in entries
    )
    return "\n".join(name for name, _ in where.most_common())


def frequency(sessions: Sequence[SupervisionSession]) -> str:
    """How often sessions were held, from the median interval between them."""
    if len(sessions) < 2:
        return "Once"
    days = statistics.median((b.date - a.date).days for a, b in pairwise(sessions))
    for most, words in ((8, "Weekly"), (17, "Fortnightly"), (24, "Every three weeks")):
        if days <= most:
            return words
    return "Monthly" if days <= 38 else f"About every {round(days / 7)} weeks"


def frequency_text(arrangement: Arrangement) -> str:
    """How often an arrangement met, over its usual length in hours."""
    usual = Counter(s.duration_minutes for s in arrangement.sessions).most_common(1)[0][0]
    return f"{frequency(arrangement.sessions)}\n{t.hours_text(usual)} h"


def span_text(values: Iterable[int]) -> str:
    """ "5" or "5–7" for the distinct ``values`` ("" for none)."""
    found = sorted(set(values))
    if not found:
        return ""
    return f"{found[0]}" if found[0] == found[-1] else f"{found[0]}–{found[-1]}"


def group_text(sessions: Sequence[SupervisionSession]) -> str:
    """ "Individual", or the group with the supervisees contracted to it and present ("Group
    of 7 contracted (5–7 present)")."""
    first = sessions[0]
    if first.format is not SupervisionFormat.GROUP:
        return "Individual"
    kind = "Peer group" if first.supervision_type is SupervisionType.PEER else "Group"
    contracted = span_text(s.group_contracted_size for s in sessions if s.group_contracted_size)
    present = span_text(s.group_size for s in sessions if s.group_size)
    if contracted:
        return f"{kind} of {contracted} contracted" + (f" ({present} present)" if present else "")
    if present:
        return f"{kind} of {present} present"
    return f"{kind}, size not recorded"


def arrangement_text(arrangement: Arrangement) -> str:
    """The arrangement's name, individual or group (with its numbers), its type unless plain
    supervision, its modes, and whether it counts."""
    modes = ", ".join(sorted({s.mode.label for s in arrangement.sessions}))
    kind = arrangement.first.supervision_type
    # BACP says "supervision", never "clinical supervision"; a peer group says it is one.
    peer_group = (
        kind is SupervisionType.PEER and arrangement.first.format is SupervisionFormat.GROUP
    )
    named = "" if kind is SupervisionType.CLINICAL or peer_group else kind.label
    counted = "" if arrangement.counted else "Not counted by the BACP pack"
    parts = [arrangement.name, group_text(arrangement.sessions), named, modes, counted]
    return t.join(parts, "\n")


def covered_text(sessions: Sequence[SupervisionSession]) -> str:
    """The settings an arrangement's sessions covered (each of a session's settings), the most
    first."""
    found = Counter(
        label
        for s in sessions
        for label in ([x.label for x in s.effective_settings] or ["Not recorded"])
    )
    return "\n".join(name for name, _ in found.most_common())
