"""The records a pack is checked against, indexed once per evaluation.

``Evidence`` sorts every kind by date (then id), so results never depend on the order records
were given in. ``Evidence.select`` applies a rule's ``Selector`` and measures each record
(crediting group supervision, the 50-minute hour, retreat days …); selections are cached, so
rules that count the same thing share the work.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import partial
from itertools import accumulate, compress, groupby, islice, repeat
from operator import attrgetter, itemgetter, le, methodcaller, not_, truth
from typing import Any

from logbook.domain.catalogue import KINDS
from logbook.domain.choices import Choice, Direction, SupervisionFormat
from logbook.domain.findings import Credit
from logbook.domain.periods import Period
from logbook.domain.records import (
    Profile,
    Record,
    RecordKind,
    SupervisionSession,
    TeachingCourse,
)
from logbook.domain.requirements.credit import credit_minutes
from logbook.domain.requirements.model import Selector
from logbook.domain.requirements.text import duration

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


# A filter's test over many records at once: one bool per record, computed in C (map, compress)
# because practice logs run to tens of thousands of entries.
Mask = Callable[[Iterable[Any]], Iterable[Any]]
# One filtering step: the filters applied so far (a cache key), the rows before it, its test.
Step = tuple[tuple[Any, ...], list[Record], Mask]
# Rows a step dropped, with their first days for finding a window's share.
Dropped = tuple[list[int], list[Record]]
# Why a filter drops a record: the same words for all (a constant), or words naming the value
# of one field ("assessment", "helpline"), so dropped records are counted by value in C.
Reason = str | tuple[Callable[[Any], Any], str]
_DURATION = attrgetter("duration_minutes")
_KIND = attrgetter("kind")
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
    reasons: list[Reason] = field(default_factory=list)
    extra_dropped: Dropped | None = None
    complement: Callable[[Step], Dropped] | None = None
    prefix: Sequence[float] = field(default_factory=list)
    _noted: list[int] = field(default_factory=list)
    _uids: list[str] = field(default_factory=list)
    _credits: dict[int, Credit] = field(default_factory=dict)
    _dropped: list[Dropped] | None = None

    def __post_init__(self) -> None:
        if self.selector.measure in ("count", "active_days", "distinct"):
            # Every record counts one: the running total is the index itself.
            self.prefix = range(len(self.amounts) + 1)
        else:
            self.prefix = [0.0, *accumulate(self.amounts)]
        self._noted = sorted(self.notes)

    def dropped_by_step(self) -> list[Dropped]:
        """What each filter left out, in date order.

        Worked out only when an explanation asks for it: most checks never need it.
        """
        if self._dropped is None:
            found = [self.complement(step) for step in self.steps] if self.complement else []
            if self.extra_dropped is not None:
                found.append(self.extra_dropped)
            self._dropped = found
        return self._dropped

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
        """What the records ``lo`` to ``hi`` (end excluded) count for together, in the
        selector's unit; for a ``distinct`` measure, how many different values they have."""
        if self.selector.measure == "distinct":
            return float(len(set(self.values[lo:hi])))
        return self.prefix[hi] - self.prefix[lo]

    def total_in(self, period: Period) -> float:
        """What the records that start within ``period`` count for together."""
        return self.total(*self.bounds(period))

    def any_in(self, period: Period) -> bool:
        """Whether a kept record starts within ``period``."""
        lo, hi = self.bounds(period)
        return hi > lo

    def uids(self, lo: int, hi: int) -> tuple[str, ...]:
        """The ids of the records ``lo`` to ``hi`` (end excluded), every entry of an active day
        included: the entries a finding lists as counted."""
        if self.members:
            return tuple(r.uid for group in self.members[lo:hi] for r in group)
        if not self._uids and self.records:
            # Shared with every selection of the same records: filled once.
            self._uids.extend(map(_UID, self.records))
        return tuple(self._uids[lo:hi])

    def credits(self, lo: int, hi: int) -> tuple[Credit, ...]:
        """How the records in range were credited, where that differs from their length."""
        if not self.notes:
            return ()
        made = self._credits
        found = []
        for i in self._noted[bisect_left(self._noted, lo) : bisect_left(self._noted, hi)]:
            credit = made.get(i)
            if credit is None:
                credit = made[i] = Credit(
                    uid=self.records[i].uid,
                    day=date.fromordinal(self.starts[i]),
                    counted=self.amounts[i],
                    note=self.notes[i],
                )
            found.append(credit)
        return tuple(found)

    def noted(self, lo: int, hi: int) -> list[int]:
        """Indexes in ``lo``..``hi`` whose credit comes with a note."""
        return self._noted[bisect_left(self._noted, lo) : bisect_left(self._noted, hi)]

    def day(self, index: int) -> date:
        """The first day of the record at ``index``."""
        return date.fromordinal(self.starts[index])

    def excluded_in(self, period: Period | None = None) -> list[Exclusion]:
        """What the selector left out (within ``period``), by reason, most frequent first."""
        if not self.reasons:
            return []
        counts: Counter[str] = Counter()
        amounts: dict[str, float] = {}
        hours = self.selector.measure == "hours"
        for reason, (days, rows) in zip(self.reasons, self.dropped_by_step(), strict=True):
            if period is not None:
                lo = 0 if period.start is None else bisect_left(days, period.start.toordinal())
                hi = len(days) if period.end is None else bisect_right(days, period.end.toordinal())
                if hi <= lo:
                    continue
                rows = rows[lo:hi]
            if not rows:
                continue
            if isinstance(reason, str):
                counts[reason] += len(rows)
                if hours:
                    amounts[reason] = amounts.get(reason, 0.0) + sum(map(_DURATION, rows)) / 60
                continue
            get, words = reason
            values = list(map(get, rows))
            minutes: dict[Any, int] = {}
            if hours:
                for value, length in zip(values, map(_DURATION, rows), strict=True):
                    minutes[value] = minutes.get(value, 0) + length
            for value, n in Counter(values).items():
                why = words.format(_label(value))
                counts[why] += n
                amounts[why] = amounts.get(why, 0.0) + minutes.get(value, 0) / 60
        return [Exclusion(why, n, amounts.get(why, 0.0)) for why, n in counts.most_common()]

    def excluded_text(self, period: Period | None = None) -> str:
        """What was left out and why, e.g. "Not counted: assessment, 12 entries (9 h).".

        Hours are amounts of the records as logged (before any group credit).
        """
        excluded = self.excluded_in(period)
        if not excluded:
            return ""
        hours = self.selector.unit == "hours"
        parts = []
        for item in excluded:
            entries = f"{item.count} entr{'y' if item.count == 1 else 'ies'}"
            extra = f" ({duration(item.amount * 60)})" if hours else ""
            parts.append(f"{item.reason}, {entries}{extra}")
        return "Not counted: " + "; ".join(parts) + "."


class Evidence:
    """Every record of a logbook, by kind and in date order, ready for the rules.

    Args:
        records: Any records, in any order (profile, people and organisations are ignored
            except the first profile, kept for registrations and the qualification date).
        today: The day the check is made; periods after it are not checked.
        presorted: The records come from the database, already in date and id order.
    """

    def __init__(self, records: Iterable[Record], today: date, *, presorted: bool = False) -> None:
        self.today = today
        grouped: dict[RecordKind, list[Record]] = {}
        # Records usually arrive kind by kind (as the database reads them): take whole runs.
        for kind, run in groupby(records, _KIND):
            grouped.setdefault(kind, []).extend(run)
        profiles = [r for r in grouped.pop(RecordKind.PROFILE, []) if isinstance(r, Profile)]
        self.profile: Profile | None = min(
            profiles, key=lambda r: (r.created_at, r.uid), default=None
        )
        self._by_kind: dict[RecordKind, list[Record]] = {}
        for kind, batch in grouped.items():
            self._by_kind[kind] = _in_order(kind, batch, presorted)
        self._cache: dict[Selector, Selection] = {}
        # Rows left after each chain of filters, shared by the selectors that begin alike.
        self.filtered: dict[tuple[Any, ...], list[Record]] = {}
        self._complements: dict[tuple[Any, ...], Dropped] = {}
        self._credited: dict[tuple[Any, ...], dict[str, tuple[float, str]]] = {}
        self._individual: dict[str, tuple[float, str]] | None = None
        self._groups: list[Record] = []
        self.measured: dict[tuple[Any, ...], Selection] = {}
        self._columns: dict[
            tuple[Any, ...], tuple[list[Record], list[int], list[int], list[str]]
        ] = {}
        self._by_uid: dict[str, Record] | None = None

    def of(self, kind: RecordKind) -> list[Record]:
        """Records of one kind, oldest first."""
        return self._by_kind.get(kind, [])

    def get(self, uid: str) -> Record | None:
        """The record with id ``uid``, if the logbook holds it."""
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
        """From the earliest dated activity to today (just today when nothing is recorded)."""
        first = self.first_day() or self.today
        return Period(min(first, self.today), self.today)

    def columns(
        self, path: tuple[Any, ...], records: list[Record]
    ) -> tuple[list[Record], list[int], list[int], list[str]]:
        """First days, last days and ids of the records a chain of filters kept, shared by
        every selection made with that chain (they are never modified)."""
        found = self._columns.get(path)
        if found is None:
            starts, ends = _days(path[0], records)
            found = self._columns[path] = (records, starts, ends, [])
        return found

    def ones(self, n: int) -> list[float]:
        """An amount of one for each of ``n`` records, for measures that count records."""
        return [1.0] * n

    def credited(self, selector: Selector) -> dict[str, tuple[float, str]]:
        """Minutes and credit note of every supervision session under the selector's group
        formula and 50-minute-hour setting (worked out once per formula)."""
        key = (selector.group_credit, selector.clinical_hour_minutes)
        found = self._credited.get(key)
        if found is None:
            if self._individual is None:
                sessions = self.of(RecordKind.SUPERVISION)
                # Individual sessions count in full whatever the group formula.
                self._individual = dict(
                    zip(
                        map(_UID, sessions),
                        zip(map(float, map(_DURATION, sessions)), repeat(""), strict=False),
                        strict=True,
                    )
                )
                self._groups = [
                    r
                    for r in sessions
                    if isinstance(r, SupervisionSession) and r.format is SupervisionFormat.GROUP
                ]
            hour = selector.clinical_hour_minutes
            found = dict(self._individual)
            changed = self.of(RecordKind.SUPERVISION) if hour is not None else self._groups
            for session in changed:
                assert isinstance(session, SupervisionSession)
                minutes, note = credit_minutes(session, selector.group_credit)
                minutes, rounded = _clinical_hour(minutes, selector)
                if rounded:
                    note = f"{note}; {rounded}" if note else rounded
                found[session.uid] = (minutes, note)
            self._credited[key] = found
        return found

    def complement(self, step: Step) -> Dropped:
        """The rows a filtering step dropped, in date order (computed once per step)."""
        path, before, mask = step
        found = self._complements.get(path)
        if found is None:
            dropped = list(compress(before, map(not_, mask(before))))
            found = self._complements[path] = (_days(path[0], dropped)[0], dropped)
        return found

    def select(self, selector: Selector) -> Selection:
        """The records ``selector`` keeps, measured; computed once per selector.

        Selectors that differ only in what they call the records share the work.
        """
        cached = self._cache.get(selector)
        if cached is None:
            plain = replace(selector, label="")
            shared = self._cache.get(plain)
            if shared is None:
                shared = self._cache[plain] = _select(plain, self)
            cached = copy(shared)
            cached.selector = selector
            self._cache[selector] = cached
        return cached


def _in_order(kind: RecordKind, batch: list[Record], presorted: bool = False) -> list[Record]:
    """Records by date, then id: one order whatever the input's, so results never depend on it.

    The database already returns records in this order, so sorting is skipped when it holds;
    ``presorted`` (records straight from the database) checks the dates only.
    """
    date_field = KINDS[kind].date_field
    uid = _UID
    if presorted and date_field is not None and KINDS[kind].has_minutes:
        days = list(map(attrgetter(date_field), batch))
        if all(map(le, days, islice(days, 1, None))):
            return batch
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


# Kinds whose records may run over several days, by the field of their first day.
SPANNING_KINDS = {
    RecordKind.CPD: "start_date",
    RecordKind.PERSONAL_PRACTICE: "start_date",
    RecordKind.PRACTICE: "date",
}


def _days(kind: RecordKind, records: list[Record]) -> tuple[list[int], list[int]]:
    """First and last day (ordinals) of each record; the same list for one-day records.

    Built with map() in C and without a container per record, so a big logbook adds little
    for the garbage collector to walk.
    """
    if kind is RecordKind.COURSE:
        starts = [r.start_date.toordinal() for r in records if isinstance(r, TeachingCourse)]
        ends = [
            (r.end_date or r.start_date + timedelta(days=COURSE_DAYS)).toordinal()
            for r in records
            if isinstance(r, TeachingCourse)
        ]
        return starts, ends
    if kind in SPANNING_KINDS:
        # A CPD activity or retreat over several days, or a period of practice ("full time,
        # 1 Apr–30 Jun"), covers every day to its end.
        starts = list(map(date.toordinal, map(attrgetter(SPANNING_KINDS[kind]), records)))
        ends = [
            max(first, r.end_date.toordinal()) if r.end_date else first  # type: ignore[attr-defined]
            for first, r in zip(starts, records, strict=True)
        ]
        return starts, ends
    date_field = KINDS[kind].date_field
    if date_field is None:
        zeros = [0] * len(records)
        return zeros, zeros
    get = attrgetter(date_field)
    if KINDS[kind].has_minutes:
        starts = list(map(date.toordinal, map(get, records)))
    else:
        # Undated records (a milestone with no due date) sort first.
        starts = [(get(r) or date.min).toordinal() for r in records]
    return starts, starts


# --- selecting ---------------------------------------------------------------------------------

# A condition of a selector: a key saying what it tests (so the same filtering is done once per
# logbook, whichever rules ask for it), the test over many records, and the reason a dropped
# record gives.
Filter = tuple[tuple[Any, ...], Mask, Reason]


def _label(value: object) -> str:
    return value.label.lower() if isinstance(value, Choice) else str(value)


def _filters(selector: Selector, today: date) -> list[Filter]:
    """Each condition of ``selector`` as (key, mask, reason-when-dropped)."""
    s = selector
    kind = s.records
    found: list[Filter] = []
    subtype = KINDS[kind].subtype_field
    if kind is RecordKind.PRACTICE:
        found.append(_flag_filter("did_not_attend", False, "did not attend", "attended"))
    if kind is RecordKind.SUPERVISION:
        wanted = Direction(s.direction or Direction.RECEIVED)
        found.append(_in_filter("direction", "direction", frozenset({wanted}), "supervision {}"))
    if subtype and s.types:
        found.append(_in_filter("types", subtype, frozenset(s.types), "{}"))
    if subtype and s.exclude_types:
        found.append(_in_filter("exclude", subtype, frozenset(s.exclude_types), "{}", keep=False))
    if s.formats:
        kept = " or ".join(sorted(s.formats))
        words = f"{{}} sessions, under a rule for {kept} sessions"
        found.append(_in_filter("formats", "format", frozenset(s.formats), words))
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
        has_reflection = methodcaller("strip")
        found.append(
            (
                ("reflection", want),
                lambda records: (
                    bool(text) is want
                    for text in map(has_reflection, map(attrgetter("reflection"), records))
                ),
                "without a reflection" if want else "with a reflection",
            )
        )
    if s.with_code_themes is not None:
        reason_text = "not linked to the Code" if s.with_code_themes else "linked to the Code"
        found.append(_flag_filter("code_themes", s.with_code_themes, reason_text))
    if s.completed is not None:
        done = s.completed
        found.append(
            (
                ("completed", done),
                lambda records: (_course_done(r, today) is done for r in records),
                "not completed" if done else "completed",
            )
        )
    for name, attribute, words in (
        ("min_silence_percent", "silence_percent", "below the {}% silence threshold"),
        ("min_days", "days", "shorter than {} days"),
        ("min_share_percent", "share_percent", "with less than {}% responsibility"),
        ("min_minutes", "duration_minutes", "shorter than {} minutes"),
    ):
        least = getattr(s, name)
        if least is not None:
            found.append(_at_least_filter(attribute, least, words.format(f"{least:g}")))
    return found


def _in_filter(
    name: str, attribute: str, values: frozenset[Any], words: str, keep: bool = True
) -> Filter:
    """Keep records whose ``attribute`` is among ``values`` (or, with ``keep`` False, is not)."""
    get = attrgetter(attribute)
    member = values.__contains__

    def mask(records: Iterable[Any]) -> Iterable[Any]:
        found = map(member, map(get, records))
        return found if keep else map(not_, found)

    return ((name, values), mask, (get, words))


def _flag_filter(attribute: str, wanted: bool, reason: str, key: str = "") -> Filter:
    get = attrgetter(attribute)

    def mask(records: Iterable[Any]) -> Iterable[Any]:
        return map(truth, map(get, records)) if wanted else map(not_, map(get, records))

    return ((key or attribute, wanted), mask, reason)


def _at_least_filter(attribute: str, least: float, reason: str) -> Filter:
    get = attrgetter(attribute)
    # least <= value, as a C call per record.
    at_least = partial(le, least)
    return (
        (attribute, ">=", least),
        lambda records: map(at_least, map(get, records)),
        reason,
    )


def _course_done(course: TeachingCourse, today: date) -> bool:
    if course.end_date is not None:
        return course.end_date <= today
    return course.sessions_delivered >= course.sessions_planned > 0


def _select(selector: Selector, evidence: Evidence) -> Selection:
    kept = evidence.of(selector.records)
    steps: list[Step] = []
    reasons: list[Reason] = []
    path: tuple[Any, ...] = (selector.records,)
    for key, mask, reason in _filters(selector, evidence.today):
        path = (*path, key)
        passing = evidence.filtered.get(path)
        if passing is None:
            passing = list(compress(kept, mask(kept)))
            evidence.filtered[path] = passing
        if len(passing) != len(kept):
            steps.append((path, kept, mask))
            reasons.append(reason)
        kept = passing
    if selector.measure == "active_days":
        selection = _by_active_day(kept, selector, steps, reasons)
        selection.complement = evidence.complement
        return selection
    # Selectors that keep the same records and measure them alike share one selection.
    supervision_hours = selector.measure == "hours" and selector.records is RecordKind.SUPERVISION
    measured = (
        path,
        selector.measure,
        selector.group_credit if supervision_hours else None,
        selector.clinical_hour_minutes,
        selector.distinct_field,
    )
    shared = evidence.measured.get(measured)
    if shared is not None:
        same = copy(shared)
        same.selector = selector
        return same
    records, starts, ends, uids = evidence.columns(path, kept)
    notes: dict[int, str] = {}
    measure = selector.measure
    if supervision_hours:
        pairs = list(map(evidence.credited(selector).__getitem__, map(_UID, records)))
        amounts = [minutes / 60 for minutes, _ in pairs]
        notes = {i: note for i, (_, note) in enumerate(pairs) if note}
    elif measure == "hours" and selector.clinical_hour_minutes is not None:
        amounts = []
        for i, length in enumerate(map(_DURATION, kept)):
            minutes, rounded = _clinical_hour(float(length), selector)
            if rounded:
                notes[i] = rounded
            amounts.append(minutes / 60)
    elif measure == "hours":
        amounts = [minutes / 60 for minutes in map(_DURATION, kept)]
    elif measure == "days":
        amounts = [float(getattr(r, "days", 0.0)) for r in records]
    else:
        amounts = evidence.ones(len(kept))
    values: list[str] = []
    if measure == "distinct":
        values = [_label(v) for v in map(attrgetter(selector.distinct_field), records)]
    selection = Selection(
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
        _uids=uids,
    )
    evidence.measured[measured] = selection
    return selection


def _clinical_hour(minutes: float, selector: Selector) -> tuple[float, str]:
    """The 50-minute hour: a session of at least that length (and under 60) counts as 60."""
    least = selector.clinical_hour_minutes
    if least is not None and least <= minutes < 60:
        return 60.0, f"a {round(minutes)}-minute session counts as one hour"
    return minutes, ""


def _by_active_day(
    kept: list[Record],
    selector: Selector,
    steps: list[Step],
    reasons: list[Reason],
) -> Selection:
    """One item per day whose minutes reach ``day_minimum_minutes``."""
    starts_all, _ = _days(selector.records, kept)
    days: dict[int, list[Record]] = {}
    for ordinal, record in zip(starts_all, kept, strict=True):
        days.setdefault(ordinal, []).append(record)
    least = selector.day_minimum_minutes
    records: list[Record] = []
    starts: list[int] = []
    members: list[tuple[Record, ...]] = []
    short: list[tuple[int, Record]] = []
    for ordinal, group in days.items():
        if sum(map(_DURATION, group)) >= least:
            records.append(group[0])
            starts.append(ordinal)
            members.append(tuple(group))
        else:
            short.extend((ordinal, r) for r in group)
    extra: Dropped | None = None
    if short:
        reasons = [*reasons, f"on days with under {least} minutes"]
        short.sort(key=itemgetter(0))
        extra = ([day for day, _ in short], [r for _, r in short])
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
        extra,
    )
