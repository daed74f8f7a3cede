"""The records a pack is checked against, indexed once per evaluation.

``Evidence`` sorts every kind by date (then id), so results never depend on the order records
were given in. ``Evidence.select`` applies a rule's ``Selector`` and measures each record
(crediting group supervision, the 50-minute hour, retreat days …); selections are cached, so
rules that count the same thing share the work.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate, islice
from operator import attrgetter, le
from typing import Any

from logbook.domain.catalogue import KINDS
from logbook.domain.choices import Choice, Direction
from logbook.domain.findings import Credit
from logbook.domain.periods import Period
from logbook.domain.records import (
    CpdActivity,
    PersonalPractice,
    Profile,
    Record,
    RecordKind,
    SupervisionSession,
    TeachingCourse,
)
from logbook.domain.requirements.credit import credit_minutes
from logbook.domain.requirements.model import Selector

# Kinds whose dates make up "the recorded period".
ACTIVITY_KINDS = (
    RecordKind.SUPERVISION,
    RecordKind.PRACTICE,
    RecordKind.CPD,
    RecordKind.PERSONAL_PRACTICE,
    RecordKind.COURSE,
    RecordKind.FEEDBACK,
    RecordKind.REFLECTIVE_ACCOUNT,
    RecordKind.ATTESTATION,
)

# A course with no end date is taken to run for eight weekly sessions.
COURSE_DAYS = 49


@dataclass(frozen=True)
class Exclusion:
    """Records left out of a selection for one reason (e.g. "assessment"), with their amount."""

    reason: str
    count: int
    amount: float


# One record with its first and last day (ordinals) and its minutes, computed once per logbook.
Row = tuple[int, int, int, Record]
# One filtering step: the filters applied so far (a cache key), the rows before it, its test.
Step = tuple[tuple[Any, ...], list[Row], Callable[[Any], bool]]
_UID = attrgetter("uid")


@dataclass
class Selection:
    """The records a selector keeps, in date order, each with the amount it counts for.

    ``starts``/``ends`` are day ordinals of each record's first and last day; ``prefix`` holds
    running totals so any window's total is two lookups. What the selector left out is kept
    (``dropped``, by the filter that dropped it) so explanations can say what did not count.
    """

    selector: Selector
    records: list[Record]
    starts: list[int]
    ends: list[int]
    amounts: list[float]
    notes: dict[int, str] = field(default_factory=dict)
    values: list[str] = field(default_factory=list)
    members: list[tuple[Record, ...]] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    reasons: list[Callable[[Any], str]] = field(default_factory=list)
    extra_dropped: list[tuple[int, Row]] = field(default_factory=list)
    complement: Callable[[Step], list[tuple[int, Row]]] | None = None
    prefix: list[float] = field(default_factory=list)
    _noted: list[int] = field(default_factory=list)
    _uids: list[str] | None = None

    def __post_init__(self) -> None:
        self.prefix = [0.0, *accumulate(self.amounts)]
        self._noted = sorted(self.notes)

    def dropped_by_step(self) -> list[list[tuple[int, Row]]]:
        """What each filter left out, as (first day, row) in date order.

        Worked out only when an explanation asks for it: most checks never need it.
        """
        found = [self.complement(step) for step in self.steps] if self.complement else []
        if self.extra_dropped:
            found.append(self.extra_dropped)
        return found

    def __len__(self) -> int:
        return len(self.records)

    def bounds(self, period: Period) -> tuple[int, int]:
        """Index range of the records that start within ``period``."""
        lo = 0 if period.start is None else bisect_left(self.starts, period.start.toordinal())
        hi = (
            len(self.starts)
            if period.end is None
            else bisect_right(self.starts, period.end.toordinal())
        )
        return lo, max(lo, hi)

    def total(self, lo: int, hi: int) -> float:
        if self.selector.measure == "distinct":
            return float(len(set(self.values[lo:hi])))
        return self.prefix[hi] - self.prefix[lo]

    def total_in(self, period: Period) -> float:
        return self.total(*self.bounds(period))

    def any_in(self, period: Period) -> bool:
        """Whether a kept record starts within ``period``."""
        lo, hi = self.bounds(period)
        return hi > lo

    def uids(self, lo: int, hi: int) -> tuple[str, ...]:
        if self.members:
            return tuple(r.uid for group in self.members[lo:hi] for r in group)
        if self._uids is None:
            self._uids = list(map(_UID, self.records))
        return tuple(self._uids[lo:hi])

    def credits(self, lo: int, hi: int) -> tuple[Credit, ...]:
        """How the records in range were credited, where that differs from their length."""
        if not self.notes:
            return ()
        noted = self._noted[bisect_left(self._noted, lo) : bisect_left(self._noted, hi)]
        return tuple(
            Credit(
                uid=self.records[i].uid,
                day=date.fromordinal(self.starts[i]),
                counted=self.amounts[i],
                note=self.notes[i],
            )
            for i in noted
        )

    def noted(self, lo: int, hi: int) -> list[int]:
        """Indexes in ``lo``..``hi`` whose credit comes with a note."""
        return self._noted[bisect_left(self._noted, lo) : bisect_left(self._noted, hi)]

    def day(self, index: int) -> date:
        return date.fromordinal(self.starts[index])

    def excluded_in(self, period: Period | None = None) -> list[Exclusion]:
        """What the selector left out (within ``period``), by reason, most frequent first."""
        counts: Counter[str] = Counter()
        amounts: dict[str, float] = {}
        for reason, dropped in zip(self.reasons, self.dropped_by_step(), strict=True):
            if period is not None:
                days = [item[0] for item in dropped]
                lo = 0 if period.start is None else bisect_left(days, period.start.toordinal())
                hi = len(days) if period.end is None else bisect_right(days, period.end.toordinal())
                dropped = dropped[lo:hi]
            for _, row in dropped:
                why = reason(row[3])
                counts[why] += 1
                amounts[why] = amounts.get(why, 0.0) + _row_amount(row, self.selector)
        return [Exclusion(why, n, amounts[why]) for why, n in counts.most_common()]

    def excluded_text(self, period: Period | None = None) -> str:
        """What was left out, e.g. "Not counted: 12 assessment (9.00 hours)."."""
        excluded = self.excluded_in(period)
        if not excluded:
            return ""
        unit = self.selector.unit
        parts = []
        for item in excluded:
            extra = f" ({item.amount:.2f} hours)" if unit == "hours" else ""
            parts.append(f"{item.count} {item.reason}{extra}")
        return "Not counted: " + ", ".join(parts) + "."


class Evidence:
    """Every record of a logbook, by kind and in date order, ready for the rules.

    Args:
        records: Any records, in any order (profile, people and organisations are ignored
            except the first profile, kept for registrations and the qualification date).
        today: The day the check is made; periods after it are not checked.
    """

    def __init__(self, records: Iterable[Record], today: date) -> None:
        self.today = today
        self.profile: Profile | None = None
        grouped: dict[RecordKind, list[Record]] = {}
        profile_kind = RecordKind.PROFILE
        for record in records:
            if record.kind is profile_kind and isinstance(record, Profile):
                if self.profile is None or (record.created_at, record.uid) < (
                    self.profile.created_at,
                    self.profile.uid,
                ):
                    self.profile = record
                continue
            grouped.setdefault(record.kind, []).append(record)
        self._by_kind: dict[RecordKind, list[Record]] = {}
        self._rows: dict[RecordKind, list[Row]] = {}
        for kind, batch in grouped.items():
            self._by_kind[kind] = _in_order(kind, batch)
        self._cache: dict[Selector, Selection] = {}
        # Rows left after each chain of filters, shared by the selectors that begin alike.
        self.filtered: dict[tuple[Any, ...], list[Row]] = {}
        self._complements: dict[tuple[Any, ...], list[tuple[int, Row]]] = {}
        self._by_uid: dict[str, Record] | None = None

    def of(self, kind: RecordKind) -> list[Record]:
        """Records of one kind, oldest first."""
        return self._by_kind.get(kind, [])

    def rows(self, kind: RecordKind) -> list[Row]:
        """Records of one kind with their first day, last day and minutes (computed once)."""
        rows = self._rows.get(kind)
        if rows is None:
            rows = self._rows[kind] = _rows(kind, self.of(kind))
        return rows

    def get(self, uid: str) -> Record | None:
        if self._by_uid is None:
            self._by_uid = {r.uid: r for batch in self._by_kind.values() for r in batch}
        return self._by_uid.get(uid)

    def first_day(self) -> date | None:
        """The earliest dated activity in the logbook."""
        firsts = []
        for kind in ACTIVITY_KINDS:
            batch = self._by_kind.get(kind)
            if batch:
                firsts.append(getattr(batch[0], KINDS[kind].date_field or ""))
        return min(firsts) if firsts else None

    def recorded_period(self) -> Period:
        first = self.first_day() or self.today
        return Period(min(first, self.today), self.today)

    def complement(self, step: Step) -> list[tuple[int, Row]]:
        """The rows a filtering step dropped, in date order (computed once per step)."""
        path, before, keep = step
        found = self._complements.get(path)
        if found is None:
            found = self._complements[path] = [(row[0], row) for row in before if not keep(row[3])]
        return found

    def select(self, selector: Selector) -> Selection:
        """The records ``selector`` keeps, measured; computed once per selector."""
        cached = self._cache.get(selector)
        if cached is None:
            cached = self._cache[selector] = _select(selector, self)
        return cached


def _in_order(kind: RecordKind, batch: list[Record]) -> list[Record]:
    """Records by date, then id: one order whatever the input's, so results never depend on it.

    The database already returns records in this order, so sorting is skipped when it holds.
    """
    date_field = KINDS[kind].date_field
    uid = _UID
    if date_field is None:
        keys: list[Any] = list(map(uid, batch))
    elif KINDS[kind].has_minutes:
        keys = list(zip(map(attrgetter(date_field), batch), map(uid, batch), strict=True))
    else:
        get = attrgetter(date_field)
        # Undated records (a milestone with no due date) sort first.
        keys = [(get(r) or date.min, uid(r)) for r in batch]
    if all(map(le, keys, islice(keys, 1, None))):
        return batch
    order = sorted(range(len(batch)), key=keys.__getitem__)
    return [batch[i] for i in order]


def _rows(kind: RecordKind, records: list[Record]) -> list[Row]:
    if kind is RecordKind.COURSE:
        return [
            (
                r.start_date.toordinal(),
                (r.end_date or r.start_date + timedelta(days=COURSE_DAYS)).toordinal(),
                0,
                r,
            )
            for r in records
            if isinstance(r, TeachingCourse)
        ]
    if kind in (RecordKind.CPD, RecordKind.PERSONAL_PRACTICE):
        rows: list[Row] = []
        for r in records:
            assert isinstance(r, CpdActivity | PersonalPractice)
            first = r.start_date.toordinal()
            last = r.end_date.toordinal() if r.end_date else first
            rows.append((first, max(first, last), r.duration_minutes, r))
        return rows
    date_field = KINDS[kind].date_field
    if date_field is None:
        return [(0, 0, 0, r) for r in records]
    get = attrgetter(date_field)
    if KINDS[kind].has_minutes:
        # zip/map keep the per-record work in C: practice logs run to tens of thousands.
        ords = list(map(date.toordinal, map(get, records)))
        minutes = map(attrgetter("duration_minutes"), records)
        return list(zip(ords, ords, minutes, records, strict=True))
    ords = [(get(r) or date.min).toordinal() for r in records]
    return list(zip(ords, ords, [0] * len(ords), records, strict=True))


# --- selecting ---------------------------------------------------------------------------------

# A condition of a selector: a key saying what it tests (so the same filtering is done once per
# logbook, whichever rules ask for it), the test, and the reason a dropped record gives.
Filter = tuple[tuple[Any, ...], Callable[[Any], bool], Callable[[Any], str]]


def _label(value: object) -> str:
    return value.label.lower() if isinstance(value, Choice) else str(value)


def _filters(selector: Selector, today: date) -> list[Filter]:
    """Each condition of ``selector`` as (key, keep, reason-when-dropped)."""
    s = selector
    kind = s.records
    found: list[Filter] = []
    subtype = KINDS[kind].subtype_field
    if kind is RecordKind.PRACTICE:
        found.append((("attended",), lambda r: not r.did_not_attend, lambda r: "did not attend"))
    if kind is RecordKind.SUPERVISION:
        wanted = Direction(s.direction or Direction.RECEIVED)
        found.append(
            (("direction", wanted), lambda r: r.direction is wanted, lambda r: _label(r.direction))
        )
    if subtype and s.types:
        found.append(_in_filter("types", subtype, frozenset(s.types), "{}"))
    if subtype and s.exclude_types:
        excluded = frozenset(s.exclude_types)
        get = attrgetter(subtype)
        found.append(
            (
                ("exclude", excluded),
                lambda r: get(r) not in excluded,
                lambda r: _label(get(r)),
            )
        )
    if s.formats:
        found.append(_in_filter("formats", "format", frozenset(s.formats), "{} sessions"))
    if s.settings:
        found.append(_in_filter("settings", "setting", frozenset(s.settings), "in {}"))
    if s.delivery:
        found.append(_in_filter("delivery", "delivery", frozenset(s.delivery), "by {}"))
    if s.roles:
        found.append(_in_filter("roles", "role", frozenset(s.roles), "as {}"))
    for name, reason in (
        ("live", "not live"),
        ("supervised", "not supervised"),
        ("participatory", "not participatory"),
        ("skills_focused", "not skills-focused"),
        ("teacher_led", "not teacher-led"),
    ):
        wanted_flag = getattr(s, name)
        if wanted_flag is not None:
            flag_reason = reason if wanted_flag else reason.replace("not ", "")
            found.append(_flag_filter(name, bool(wanted_flag), flag_reason))
    if s.with_reflection is not None:
        want = s.with_reflection
        found.append(
            (
                ("reflection", want),
                lambda r: bool(r.reflection.strip()) is want,
                lambda r: "without a reflection" if want else "with a reflection",
            )
        )
    if s.with_code_themes is not None:
        themes = s.with_code_themes
        found.append(
            (
                ("code", themes),
                lambda r: bool(r.code_themes) is themes,
                lambda r: "not linked to the Code",
            )
        )
    if s.completed is not None:
        done = s.completed
        found.append(
            (
                ("completed", done),
                lambda r: _course_done(r, today) is done,
                lambda r: "not completed" if done else "completed",
            )
        )
    for name, attribute, words in (
        ("min_silence_percent", "silence_percent", "with less than {}% silence"),
        ("min_days", "days", "shorter than {} days"),
        ("min_share_percent", "share_percent", "with less than {}% responsibility"),
        ("min_minutes", "duration_minutes", "shorter than {} minutes"),
    ):
        least = getattr(s, name)
        if least is not None:
            found.append(_at_least_filter(attribute, least, words.format(f"{least:g}")))
    return found


def _in_filter(name: str, attribute: str, allowed: frozenset[str], words: str) -> Filter:
    get = attrgetter(attribute)
    return (
        (name, allowed),
        lambda r: get(r) in allowed,
        lambda r: words.format(_label(get(r))),
    )


def _flag_filter(attribute: str, wanted: bool, reason: str) -> Filter:
    get = attrgetter(attribute)
    return ((attribute, wanted), lambda r: bool(get(r)) is wanted, lambda r: reason)


def _at_least_filter(attribute: str, least: float, reason: str) -> Filter:
    get = attrgetter(attribute)
    return ((attribute, ">=", least), lambda r: get(r) >= least, lambda r: reason)


def _course_done(course: TeachingCourse, today: date) -> bool:
    if course.end_date is not None:
        return course.end_date <= today
    return course.sessions_delivered >= course.sessions_planned > 0


def _row_amount(row: Row, selector: Selector) -> float:
    if selector.measure in ("count", "distinct", "active_days"):
        return 1.0
    if selector.measure == "days":
        return float(getattr(row[3], "days", 0.0))
    return row[2] / 60


def _select(selector: Selector, evidence: Evidence) -> Selection:
    kept = evidence.rows(selector.records)
    steps: list[Step] = []
    reasons: list[Callable[[Any], str]] = []
    path: tuple[Any, ...] = (selector.records,)
    for key, keep, reason in _filters(selector, evidence.today):
        path = (*path, key)
        passing = evidence.filtered.get(path)
        if passing is None:
            passing = evidence.filtered[path] = [row for row in kept if keep(row[3])]
        if len(passing) != len(kept):
            steps.append((path, kept, keep))
            reasons.append(reason)
        kept = passing
    if selector.measure == "active_days":
        selection = _by_active_day(kept, selector, steps, reasons)
        selection.complement = evidence.complement
        return selection
    records = [row[3] for row in kept]
    starts = [row[0] for row in kept]
    ends = [row[1] for row in kept]
    notes: dict[int, str] = {}
    measure = selector.measure
    if measure == "hours" and selector.records is RecordKind.SUPERVISION:
        amounts = []
        for i, r in enumerate(records):
            assert isinstance(r, SupervisionSession)
            minutes, note = credit_minutes(r, selector.group_credit)
            minutes, rounded = _clinical_hour(minutes, selector)
            if rounded:
                note = f"{note}; {rounded}" if note else rounded
            if note:
                notes[i] = note
            amounts.append(minutes / 60)
    elif measure == "hours" and selector.clinical_hour_minutes is not None:
        amounts = []
        for i, row in enumerate(kept):
            minutes, rounded = _clinical_hour(float(row[2]), selector)
            if rounded:
                notes[i] = rounded
            amounts.append(minutes / 60)
    elif measure == "hours":
        amounts = [row[2] / 60 for row in kept]
    elif measure == "days":
        amounts = [float(getattr(r, "days", 0.0)) for r in records]
    else:
        amounts = [1.0] * len(kept)
    values: list[str] = []
    if measure == "distinct":
        values = [_label(v) for v in map(attrgetter(selector.distinct_field), records)]
    return Selection(
        selector,
        records,
        starts,
        ends,
        amounts,
        notes,
        values,
        [],
        steps,
        reasons,
        complement=evidence.complement,
    )


def _clinical_hour(minutes: float, selector: Selector) -> tuple[float, str]:
    """The 50-minute hour: a session of at least that length (and under 60) counts as 60."""
    least = selector.clinical_hour_minutes
    if least is not None and least <= minutes < 60:
        return 60.0, f"a {round(minutes)}-minute session counts as one hour"
    return minutes, ""


def _by_active_day(
    kept: list[Row],
    selector: Selector,
    steps: list[Step],
    reasons: list[Callable[[Any], str]],
) -> Selection:
    """One item per day whose minutes reach ``day_minimum_minutes``."""
    days: dict[int, list[Row]] = {}
    for row in kept:
        days.setdefault(row[0], []).append(row)
    least = selector.day_minimum_minutes
    records: list[Record] = []
    starts: list[int] = []
    members: list[tuple[Record, ...]] = []
    short_rows: list[tuple[int, Row]] = []
    for ordinal, group in days.items():
        if sum(row[2] for row in group) >= least:
            records.append(group[0][3])
            starts.append(ordinal)
            members.append(tuple(row[3] for row in group))
        else:
            short_rows.extend((ordinal, row) for row in group)
    if short_rows:
        reasons = [*reasons, lambda r: f"on days with under {least} minutes"]
    amounts = [1.0] * len(records)
    return Selection(
        selector,
        records,
        starts,
        list(starts),
        amounts,
        {},
        [],
        members,
        steps,
        reasons,
        short_rows,
    )
