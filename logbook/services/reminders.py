"""What is due: the reminders the dashboard lists, the app shows when it starts and
``logbook-cli reminders`` prints.

Registration renewals, pathway milestones, sign-off requests left unanswered, and supervision
not yet logged in the current week, fortnight or month where a followed requirement pack asks
for it. Each is cheap to work out: the supervision reminders read only the records of the
current period and check that one period with the pack's own rule, never a whole pack.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from logbook.domain.choices import MilestoneStatus
from logbook.domain.dates import short_date
from logbook.domain.periods import Period
from logbook.domain.queries import RecordQuery
from logbook.domain.records import Milestone, Pathway, Profile, Record, RecordKind
from logbook.domain.requirements.calendar import intersect, period_containing
from logbook.domain.requirements.evidence import Evidence
from logbook.domain.requirements.model import EveryPeriodParams, Pack, PackSettings, Rule, Selector
from logbook.domain.requirements.rules import check_rule, resolve_cycle
from logbook.domain.requirements.text import cap, short_day
from logbook.services.logbook import Logbook
from logbook.services.signoff.requests import OPEN

K = RecordKind

LOOK_AHEAD_DAYS = 90  # how far ahead renewals and milestones are listed
RENEWAL_SOON_DAYS = 60  # a renewal this close is urgent
UNANSWERED_DAYS = 14  # a sign-off request with no answer this long is worth a reminder
# Days left in the period (today included) from which missing supervision is urgent: the
# last Friday of a week, the last four days of a fortnight, the last week of a month.
URGENT_DAYS_LEFT = {"week": 3, "fortnight": 4, "month": 7}
# Records that run over many days (a course, a retreat) may have begun well before the period
# they make active: read this far back for them.
LOOKBACK_DAYS = {K.COURSE: 365, K.PERSONAL_PRACTICE: 31}
MILESTONES_LISTED = 8
EPSILON = 1e-9


@dataclass(frozen=True)
class Reminder:
    """Something the practitioner should act on soon.

    Attributes:
        when: The date it is due (sorting key); None when it has none.
        urgent: Due or overdue now: shown in the warning colour, and when the app starts.
        section: The part of the app where it is dealt with ("supervision", "pathways",
            "signoff"), or "".
    """

    when: date | None
    title: str
    detail: str
    urgent: bool = False
    section: str = ""


def reminders(
    logbook: Logbook,
    profile: Profile | None,
    today: date | None = None,
    *,
    look_ahead_days: int = LOOK_AHEAD_DAYS,
) -> list[Reminder]:
    """Everything due, soonest first.

    Args:
        logbook: The open logbook, for milestones, sign-off requests and supervision.
        profile: The practitioner's profile (registrations and followed packs), if any.
        today: The date to count from (default: the real today).
        look_ahead_days: How far ahead renewals and milestones are listed.
    """
    today = today or date.today()
    found = [
        *renewals(profile, today, look_ahead_days),
        *milestones_due(logbook, today, look_ahead_days),
        *unanswered_requests(logbook, today),
        *supervision_due(logbook, profile, today),
    ]
    found.sort(key=lambda r: r.when or today)
    return found


def urgent_reminders(
    logbook: Logbook, profile: Profile | None, today: date | None = None
) -> list[Reminder]:
    """The reminders due now (what the app shows when it starts)."""
    return [r for r in reminders(logbook, profile, today) if r.urgent]


# --- renewals, milestones and sign-off ---------------------------------------------------------


def renewals(profile: Profile | None, today: date, days: int) -> list[Reminder]:
    """Every registration's next renewal: worth seeing even when it is months away."""
    found = []
    for registration in profile.registrations if profile else ():
        due = registration.renewal_date
        if due is None:
            continue
        soon = due <= today + timedelta(days=min(days, RENEWAL_SOON_DAYS))
        found.append(Reminder(due, f"{registration.body} renewal", when_due(due, today), soon))
    return found


def milestones_due(logbook: Logbook, today: date, days: int) -> list[Reminder]:
    """Milestones not reached that fall due within ``days`` (or fell due in the last year)."""
    query = RecordQuery(
        K.MILESTONE,
        period=Period(today - timedelta(days=365), today + timedelta(days=days)),
        subtypes=frozenset({MilestoneStatus.NOT_STARTED.value, MilestoneStatus.IN_PROGRESS.value}),
        sort="due_date",
        descending=False,
        limit=MILESTONES_LISTED,
    )
    milestones = [m for m in logbook.records.query(query) if isinstance(m, Milestone)]
    pathways = _pathway_titles(logbook) if milestones else {}
    found = []
    for milestone in milestones:
        detail = when_due(milestone.due_date, today) if milestone.due_date else ""
        pathway = pathways.get(milestone.pathway_uid, "")
        if pathway:
            detail = f"{pathway} · {detail}"
        urgent = milestone.due_date is not None and milestone.due_date < today
        found.append(Reminder(milestone.due_date, milestone.title, detail, urgent, "pathways"))
    return found


def _pathway_titles(logbook: Logbook) -> dict[str, str]:
    return {p.uid: p.title for p in logbook.records.all(K.PATHWAY) if isinstance(p, Pathway)}


def unanswered_requests(logbook: Logbook, today: date) -> list[Reminder]:
    """Sign-off requests sent a fortnight ago or more that have had no answer."""
    found = []
    for request in logbook.signoff.sent_requests():
        stored = request.stored
        sent = stored.created_at.astimezone().date()
        waited = (today - sent).days
        if stored.status != OPEN or waited < UNANSWERED_DAYS:
            continue
        who = stored.supervisor_name or "your supervisor"
        entries = f"{stored.item_count} {'entry' if stored.item_count == 1 else 'entries'}"
        found.append(
            Reminder(
                sent,
                f"No answer from {who} for {waited} days",
                f"Sign-off request of {entries}, sent {short_date(sent)}: "
                "send it again, or ask them",
                True,
                "signoff",
            )
        )
    return found


def when_due(day: date, today: date) -> str:
    """ "in 16 days, 01 Jul 2026", "overdue since 01 Jun 2026"."""
    delta = (day - today).days
    if delta == 0:
        return f"today, {day:%d %b %Y}"
    if delta < 0:
        return f"overdue since {day:%d %b %Y}"
    if delta == 1:
        return f"tomorrow, {day:%d %b %Y}"
    return f"in {delta} days, {day:%d %b %Y}"


# --- supervision this week, fortnight or month -------------------------------------------------


@dataclass(frozen=True)
class _Shortfall:
    """One rule's shortfall in the period running today."""

    title: str
    pack: str
    need: str  # "at least 1.5 h a month"
    end: date
    urgent: bool
    condition: str = ""  # "If you practise this month, " for rules of active periods only


def supervision_due(logbook: Logbook, profile: Profile | None, today: date) -> list[Reminder]:
    """Supervision a followed pack asks for in the current period and not yet logged.

    A period with nothing logged is listed all through it (urgent in its last days); one with
    some logged but not enough only in its last days. Where a rule applies only to periods
    with practice (or a course running) and there is none yet, the reminder says "if you
    practise this month", and only when there was practice in the period before; otherwise
    it stays quiet.
    """
    if profile is None or not profile.followed_packs:
        return []
    service = logbook.requirements
    packs = [service.pack(pack_id) for pack_id in service.followed()]
    rules = [(pack, rule) for pack in packs for rule in pack.rules if _asks_for_supervision(rule)]
    if not rules:
        return []
    reader = _PeriodReader(logbook)
    first_day: list[date | None] = []  # read once, and only when a fortnight needs it

    def anchor(settings: PackSettings) -> date:
        if settings.cycle_start is not None:
            return settings.cycle_start
        if not first_day:
            first_day.append(service.first_recorded_day(packs))
        return first_day[0] or today

    settings_of: dict[str, PackSettings] = {}
    found = []
    for pack, rule in rules:
        if pack.id not in settings_of:
            settings = service.settings(pack.id)
            if settings.qualified_on is None:
                settings = replace(settings, qualified_on=profile.qualified_on)
            settings_of[pack.id] = settings
        settings = settings_of[pack.id]
        shortfall = _shortfall(pack, rule, settings, profile, today, anchor(settings), reader)
        if shortfall is not None:
            found.append(shortfall)
    return _merged(found, today)


def _asks_for_supervision(rule: Rule) -> bool:
    """A rule asking for supervision received in every week, fortnight or month."""
    params = rule.params
    return (
        isinstance(params, EveryPeriodParams)
        and not rule.optional
        and params.every in URGENT_DAYS_LEFT
        and params.count.records is K.SUPERVISION
        and (params.count.direction or "received") == "received"
    )


def _shortfall(
    pack: Pack,
    rule: Rule,
    settings: PackSettings,
    profile: Profile,
    today: date,
    anchor: date,
    reader: _PeriodReader,
) -> _Shortfall | None:
    """What ``rule`` still asks for in the period running today, if it is worth a word."""
    params = rule.params
    assert isinstance(params, EveryPeriodParams)
    period = period_containing(today, params.every, anchor)
    assert period.start is not None
    assert period.end is not None
    figures = _logged_and_required(pack, rule, settings, profile, today, period, reader, anchor)
    if figures is None:
        return None
    actual, required = figures
    days_left = (period.end - today).days + 1
    closing = days_left <= URGENT_DAYS_LEFT[params.every]
    if actual > 0 and not closing:
        return None  # some logged already: worth a word only when the period is ending
    count = params.count
    need = f"at least {_how_much(required, count)} a {params.every}"
    title = _title(actual, required, count, params.every)
    if params.only_when is not None:
        previous = period_containing(period.start - timedelta(days=1), params.every, anchor)
        now, before = _active(reader, params.only_when, period, previous, today)
        if not now:
            if actual > 0 or not before:
                return None
            condition = _if_active(params.only_when, params.every)
            return _Shortfall(title, pack.title, need, period.end, False, condition)
    return _Shortfall(title, pack.title, need, period.end, closing)


def _logged_and_required(
    pack: Pack,
    rule: Rule,
    settings: PackSettings,
    profile: Profile,
    today: date,
    period: Period,
    reader: _PeriodReader,
    anchor: date,
) -> tuple[float, float] | None:
    """What counts towards ``rule`` in ``period`` so far and what it asks for, checked by the
    pack's own rule over that period alone; None when it asks nothing there (on leave, outside
    its months after qualifying, settings needed first) or already has enough."""
    params = rule.params
    assert isinstance(params, EveryPeriodParams)
    # Practice (only_when) is looked at apart, to tell "not yet" from "not this month".
    plain = replace(rule, params=replace(params, only_when=None))
    cycle, _note, _assumed = resolve_cycle(pack, settings, today, period, profile.registrations)
    if cycle is not None:
        cycle = intersect(cycle, period)  # one period of the cycle checked, not all of them
    findings = check_rule(
        plain,
        reader.read(K.SUPERVISION, period),
        today=today,
        settings=settings,
        requested=period,
        cycle=cycle,
        anchor=anchor,  # the rule's own grid: only one period's records are read
    )
    finding = next((f for f in findings if f.period == period), None)
    if finding is None or finding.required is None or finding.actual is None:
        return None
    if finding.actual + EPSILON >= finding.required:
        return None
    return finding.actual, finding.required


def _title(actual: float, required: float, count: Selector, every: str) -> str:
    """ "No supervision logged yet this month", "Supervision this month: 1 h of 1.5 h logged"."""
    if actual <= 0:
        return f"No {count.noun} logged yet this {every}"
    logged = f"{_how_much(actual, count, noun=False)} of {_how_much(required, count, noun=False)}"
    return f"{cap(count.noun)} this {every}: {logged} logged"


def _how_much(value: float, count: Selector, *, noun: bool = True) -> str:
    """ "1.5 h", "1 supervision session" (or "1" without the noun)."""
    number = f"{round(value, 2):g}"
    if count.measure == "hours":
        return f"{number} h"
    if not noun:
        return number
    name = count.noun[:-1] if value == 1 and count.noun.endswith("s") else count.noun
    return f"{number} {name}"


def _if_active(only_when: Selector, every: str) -> str:
    """ "If you practise this month, " and the like, for rules of active periods only."""
    if only_when.records is K.PRACTICE:
        doing = "practise"
    elif only_when.records is K.COURSE:
        doing = "teach a course"
    elif only_when.records is K.SUPERVISION and only_when.direction == "given":
        doing = "supervise"
    else:
        doing = f"log {only_when.noun}"
    return f"If you {doing} this {every}, "


def _active(
    reader: _PeriodReader, only_when: Selector, period: Period, previous: Period, today: date
) -> tuple[bool, bool]:
    """Whether ``period`` and ``previous`` hold a record ``only_when`` selects."""
    assert previous.start is not None
    lookback = timedelta(days=LOOKBACK_DAYS.get(only_when.records, 0))
    span = Period(previous.start - lookback, period.end)
    selection = Evidence(reader.read(only_when.records, span), today).select(only_when)
    spans = list(zip(selection.starts, selection.ends, strict=True))

    def any_in(within: Period) -> bool:
        assert within.start is not None
        assert within.end is not None
        first, last = within.start.toordinal(), within.end.toordinal()
        return any(start <= last and end >= first for start, end in spans)

    return any_in(period), any_in(previous)


def _merged(found: Iterable[_Shortfall], today: date) -> list[Reminder]:
    """One reminder per title: packs asking for the same supervision make one line, and
    packs asking for the same amount one sentence."""
    by_title: dict[str, list[_Shortfall]] = {}
    for shortfall in found:
        by_title.setdefault(shortfall.title, []).append(shortfall)
    merged = []
    for title, group in by_title.items():
        asking: dict[tuple[str, str], list[str]] = {}
        for s in group:
            asking.setdefault((s.condition, s.need), []).append(s.pack)
        sentences = [
            f"{condition}{' and '.join(packs)} {'asks' if len(packs) == 1 else 'ask'} for {need}"
            for (condition, need), packs in asking.items()
        ]
        end = min(s.end for s in group)
        detail = f"{'; '.join(sentences)} · {_time_left(end, today)}"
        merged.append(Reminder(end, title, detail, any(s.urgent for s in group), "supervision"))
    return merged


def _time_left(end: date, today: date) -> str:
    days = (end - today).days + 1
    if days <= 1:
        return "today is the last day"
    return f"{days} days left, to {short_day(end)}"


class _PeriodReader:
    """Records of one kind within a period, each read once in SQL (small: one period)."""

    def __init__(self, logbook: Logbook) -> None:
        self._logbook = logbook
        self._read: dict[tuple[RecordKind, Period], list[Record]] = {}

    def read(self, kind: RecordKind, period: Period) -> list[Record]:
        key = (kind, period)
        if key not in self._read:
            query = RecordQuery(kind, period=period, descending=False, limit=None)
            self._read[key] = self._logbook.records.query(query)
        return self._read[key]
