"""Requirement packs as values: a pack of rules, each with its parameters and its source.

A pack is read from a data file (see ``loader.py``); the engine (``rules.py``, with the rule kinds
in ``registry.py``) turns a pack and the logbook's records into findings. Nothing here knows
about files, Qt or the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from logbook.domain.periods import Period
from logbook.domain.records import RecordKind

PERIODS = ("week", "fortnight", "month", "year")
WINDOWS = ("all", "cycle", "rolling", "since_qualification", "until_qualification")
MEASURES = ("hours", "count", "days", "active_days", "distinct")

# The record kinds a rule can count, and the measures that make sense for each.
COUNTABLE: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.SUPERVISION: ("hours", "count", "distinct"),
    RecordKind.PRACTICE: ("hours", "count", "active_days", "distinct"),
    RecordKind.COURSE: ("count", "distinct"),
    RecordKind.CPD: ("hours", "count", "distinct"),
    RecordKind.PERSONAL_PRACTICE: ("hours", "count", "days", "active_days", "distinct"),
    RecordKind.FEEDBACK: ("count", "distinct"),
    RecordKind.REFLECTIVE_ACCOUNT: ("count",),
    RecordKind.ATTESTATION: ("count",),
}

UNITS = {
    "hours": "hours",
    "count": "",
    "days": "days",
    "active_days": "days",
    "distinct": "kinds",
}


@dataclass(frozen=True)
class Source:
    """Where a rule's numbers come from, and when someone last checked them there."""

    key: str
    title: str
    url: str
    checked_on: date


@dataclass(frozen=True)
class GroupCredit:
    """How much of a group supervision session counts for one supervisee.

    Individual sessions always count in full. For a group of ``size`` supervisees (the
    facilitator not counted; in a peer group everyone present is a supervisee):

    * groups larger than ``max_group_size`` do not count;
    * groups giving less than ``min_minutes_each`` per supervisee do not count;
    * groups of up to ``small_group_max`` count ``small_group_share`` of the time;
    * otherwise, with ``divide_by_size``, the time is divided by the size and multiplied by
      ``multiplier`` (never more than the session itself); without it the time counts in full.

    With ``count_contracted``, the size is the number contracted to the group when it is
    recorded (BACP counts those contracted, not those who came), else the number present.
    """

    key: str
    description: str = "Group supervision counts in full."
    small_group_max: int | None = None
    small_group_share: float = 1.0
    divide_by_size: bool = False
    multiplier: float = 1.0
    max_group_size: int | None = None
    min_minutes_each: int | None = None
    count_contracted: bool = False


FULL_CREDIT = GroupCredit("full")


@dataclass(frozen=True)
class Selector:
    """Which records count towards a rule, and how each is measured.

    Attributes:
        records: The record kind counted.
        measure: ``hours`` (credited minutes), ``count``, ``days`` (retreat days),
            ``active_days`` (days with at least ``day_minimum_minutes``) or ``distinct``
            (number of different values of ``distinct_field``).
        types: Sub-kind values to keep (supervision type, practice activity, CPD type …).
        exclude_types: Sub-kind values that never count (e.g. assessment-only work).
        label: What the counted things are called in explanations.
        group_credit: How group supervision is credited.
        clinical_hour_minutes: Sessions at least this long but under an hour count as one hour
            (the "50-minute hour").
    """

    records: RecordKind
    measure: str = "hours"
    label: str = ""
    types: tuple[str, ...] = ()
    exclude_types: tuple[str, ...] = ()
    direction: str | None = None
    formats: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    delivery: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    live: bool | None = None
    supervised: bool | None = None
    participatory: bool | None = None
    skills_focused: bool | None = None
    teacher_led: bool | None = None
    with_reflection: bool | None = None
    with_code_themes: bool | None = None
    completed: bool | None = None
    min_silence_percent: int | None = None
    min_days: float | None = None
    min_share_percent: int | None = None
    min_minutes: int | None = None
    group_credit: GroupCredit = FULL_CREDIT
    clinical_hour_minutes: int | None = None
    day_minimum_minutes: int = 0
    distinct_field: str = ""

    @property
    def unit(self) -> str:
        """The unit of what it measures ("hours", "days", "kinds"; "" for a count)."""
        return UNITS[self.measure]

    @property
    def noun(self) -> str:
        """What is counted, for sentences ("supervision", "CPD activities" …)."""
        return self.label or self.records.label.lower()


@dataclass(frozen=True)
class Window:
    """Where a rule looks: everything recorded, the registration cycle, or recent months."""

    kind: str = "all"
    months: int | None = None

    def describe(self) -> str:
        """The window in words, for explanations: "the current cycle", "the last 3 years"."""
        if self.kind == "rolling" and self.months:
            years, rest = divmod(self.months, 12)
            span = f"{years} years" if years and not rest else f"{self.months} months"
            return f"the last {span}"
        return {
            "all": "the recorded period",
            "cycle": "the current cycle",
            "since_qualification": "the time since qualifying",
            "until_qualification": "the time before qualifying",
        }.get(self.kind, self.kind)


@dataclass(frozen=True)
class Share:
    """A minimum part of a total that must come from a narrower selection."""

    minimum: float
    label: str
    count: Selector | None = None
    after_qualification: bool = False


@dataclass(frozen=True)
class Tier:
    """Up to ``up_to`` practice hours in a period need ``minimum`` hours of supervision."""

    up_to: float | None
    minimum: float


@dataclass(frozen=True)
class MilestoneSpec:
    """One milestone (or conversion route) a pathway should reach."""

    title: str
    description: str = ""
    due_months: int | None = None
    route: str | None = None
    aliases: tuple[str, ...] = ()
    optional: bool = False


@dataclass(frozen=True)
class RuleParams:
    """The parameters of a rule; each rule kind has its own (see ``registry``)."""


@dataclass(frozen=True)
class TotalParams(RuleParams):
    """At least ``minimum`` of ``count`` in the window, and optionally a ``share`` of it from a
    narrower selection (450 hours of client work, 100 of them one-to-one)."""

    count: Selector
    minimum: float
    window: Window = Window()
    share: Share | None = None


@dataclass(frozen=True)
class EveryPeriodParams(RuleParams):
    """At least ``minimum`` of ``count`` in every period of ``every``, each on its own.

    With ``only_when``, only periods holding such a record are checked (months with practice).
    ``pro_rata`` scales the minimum to a part-time pattern (the full figure from a working
    fraction of ``full_from_fraction``); periods at least half on leave are not checked unless
    ``exclude_leave`` is off; the months after qualifying can bound where the rule applies.
    """

    count: Selector
    every: str
    minimum: float
    window: Window = Window()
    only_when: Selector | None = None
    pro_rata: bool = False
    full_from_fraction: float = 1.0
    exclude_leave: bool = True
    from_months_after_qualification: int | None = None
    until_months_after_qualification: int | None = None


@dataclass(frozen=True)
class AverageParams(RuleParams):
    """At least ``minimum`` of ``count`` per ``every`` on average over the window, scaled to a
    part-time pattern when ``pro_rata``."""

    count: Selector
    every: str
    minimum: float
    window: Window = Window()
    pro_rata: bool = False
    full_from_fraction: float = 1.0


@dataclass(frozen=True)
class RatioParams(RuleParams):
    """``count`` in proportion to ``per`` (supervision to practice): ``numerator`` per
    ``denominator``, or by ``tiers``, never below ``minimum``; in each period of ``every``, or
    over the whole window without it."""

    count: Selector
    per: Selector
    numerator: float = 1.0
    denominator: float = 1.0
    tiers: tuple[Tier, ...] = ()
    every: str = ""
    minimum: float = 0.0
    window: Window = Window()


@dataclass(frozen=True)
class GapParams(RuleParams):
    """No stretch without ``count`` records of ``max_gap_months`` or more, or of more than
    ``max_gap_days`` between two records; only between the first and last ``within`` record
    when given (e.g. supervision at least fortnightly while on placement)."""

    count: Selector
    max_gap_months: int | None = None
    max_gap_days: int | None = None
    window: Window = Window()
    within: Selector | None = None


@dataclass(frozen=True)
class TimingParams(RuleParams):
    """At least ``minimum`` of ``count`` within the final ``final_months`` of each cycle (e.g.
    the NMC confirmation)."""

    count: Selector
    final_months: int
    minimum: float = 1.0


@dataclass(frozen=True)
class SpanParams(RuleParams):
    """``count`` records spread over at least ``minimum_months`` (e.g. three years in practice)."""

    count: Selector
    minimum_months: int
    window: Window = Window()


@dataclass(frozen=True)
class CoverageParams(RuleParams):
    """Every value of ``field`` among the ``count`` records (each work setting of practice) found
    among the ``by`` records too (supervision)."""

    count: Selector
    by: Selector
    field: str = "setting"
    window: Window = Window()


@dataclass(frozen=True)
class PerItemParams(RuleParams):
    """At least ``minimum`` of ``count`` linked by ``link_field`` to each of the ``items`` (e.g.
    three hours of supervision for each course taught)."""

    items: Selector
    count: Selector
    minimum: float
    link_field: str = "course_uid"
    window: Window = Window()


@dataclass(frozen=True)
class MilestonesParams(RuleParams):
    """The milestones of the latest pathway started from ``template`` reached on time and, when
    ``ordered``, in order; a conversion plan must also take ``minimum_routes`` of its routes."""

    template: str
    milestones: tuple[MilestoneSpec, ...]
    pathway_kind: str = "training"
    ordered: bool = False
    minimum_routes: int = 0


@dataclass(frozen=True)
class Rule:
    """One requirement of a pack, with its parameters and where its numbers come from.

    ``optional`` rules (a later stage such as becoming a trainer) are checked and shown but do
    not decide the pack's overall status.
    """

    id: str
    title: str
    kind: str
    description: str
    source: Source
    params: RuleParams
    line: int = 0
    optional: bool = False


@dataclass(frozen=True)
class Pack:
    """The requirements of one scheme (a body's accreditation, a register, a pathway).

    Attributes:
        cycle_years: Length of the registration or revalidation cycle, for ``cycle`` windows.
        not_checked: Requirements of the scheme the logbook cannot check (word counts, case
            numbers …), listed so nobody mistakes the pack for the whole scheme.
        path: The file it was read from; ``shipped`` when it comes with the app.
    """

    id: str
    title: str
    body: str
    description: str
    rules: tuple[Rule, ...]
    version: int = 1
    cycle_years: int | None = None
    not_checked: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    path: Path | None = None
    shipped: bool = False

    def rule(self, rule_id: str) -> Rule:
        """The pack's rule with id ``rule_id``.

        Raises:
            KeyError: the pack has no such rule.
        """
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


@dataclass(frozen=True)
class PackSettings:
    """A practitioner's circumstances for one pack.

    Attributes:
        cycle_start: First day of the current registration or revalidation cycle.
        qualified_on: Date of qualifying (when the pack counts hours before/after it).
        working_fraction: 1.0 full time; 0.6 for three days a week.
        leave: Periods of leave; periods mostly on leave are not checked.
    """

    cycle_start: date | None = None
    qualified_on: date | None = None
    working_fraction: float = 1.0
    leave: tuple[Period, ...] = field(default_factory=tuple)

    def leave_days(self, period: Period) -> int:
        """Days of ``period`` (bounded) that fall in leave, each day counted once."""
        assert period.start is not None
        assert period.end is not None
        days: set[int] = set()
        for spell in self.leave:
            start = max(period.start, spell.start or period.start)
            end = min(period.end, spell.end or period.end)
            if start <= end:
                days.update(range(start.toordinal(), end.toordinal() + 1))
        return len(days)
