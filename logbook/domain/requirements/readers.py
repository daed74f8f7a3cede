"""Reading each rule kind's parameters from its table of a pack, with the selectors (what
counts) and windows (where a rule looks) they share.

Every reader takes the rule's ``Table`` and returns the kind's parameters, or None when a
problem was found (each problem is recorded on the table with its line and field).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import Any

from logbook.domain.catalogue import KINDS
from logbook.domain.choices import (
    AttestationKind,
    Choice,
    ConversionRoute,
    CpdType,
    Curriculum,
    Delivery,
    Direction,
    FacilitationRole,
    FeedbackSource,
    PathwayKind,
    PersonalPracticeKind,
    PracticeActivity,
    Setting,
    SupervisionFormat,
    SupervisionType,
    TeachingRole,
)
from logbook.domain.records import RECORD_TYPES, RecordKind
from logbook.domain.requirements.model import (
    COUNTABLE,
    FULL_CREDIT,
    MEASURES,
    PERIODS,
    WINDOWS,
    AverageParams,
    CoverageParams,
    EveryPeriodParams,
    GapParams,
    GroupCredit,
    MilestonesParams,
    MilestoneSpec,
    PerItemParams,
    RatioParams,
    Selector,
    Share,
    SpanParams,
    Tier,
    TimingParams,
    TotalParams,
    Window,
)
from logbook.domain.requirements.tables import MISSING, Table, not_one_of

MAX_MONTHS = 1200  # windows, gaps, dues and spans: a hundred years
MAX_DAYS = 36_500

SUBTYPES: dict[RecordKind, type[Choice]] = {
    RecordKind.SUPERVISION: SupervisionType,
    RecordKind.PRACTICE: PracticeActivity,
    RecordKind.COURSE: Curriculum,
    RecordKind.CPD: CpdType,
    RecordKind.PERSONAL_PRACTICE: PersonalPracticeKind,
    RecordKind.FEEDBACK: FeedbackSource,
    RecordKind.ATTESTATION: AttestationKind,
}

_S, _P, _C = RecordKind.SUPERVISION, RecordKind.PRACTICE, RecordKind.COURSE
_CPD, _PP = RecordKind.CPD, RecordKind.PERSONAL_PRACTICE

# Selector filters, the record kinds each applies to, and the vocabulary of list filters.
FILTER_KINDS: dict[str, tuple[RecordKind, ...]] = {
    "direction": (_S,),
    "formats": (_S,),
    "settings": (_S, _P, _C),
    "delivery": (_P,),
    "roles": (_P, _C),
    "live": (_S,),
    "supervised": (_P,),
    "participatory": (_CPD,),
    "skills_focused": (_CPD,),
    "with_reflection": (_CPD,),
    "teacher_led": (_PP,),
    "min_silence_percent": (_PP,),
    "min_days": (_PP,),
    "with_code_themes": (RecordKind.REFLECTIVE_ACCOUNT,),
    "completed": (_C,),
    "min_share_percent": (_C,),
    "min_minutes": (_S, _P, _CPD, _PP),
    "group_credit": (_S,),
    "clinical_hour_minutes": (_S, _P),
    "day_minimum_minutes": (_P, _PP),
}
LIST_CHOICES: dict[str, type[Choice]] = {
    "formats": SupervisionFormat,
    "settings": Setting,
    "delivery": Delivery,
}
SELECTOR_KEYS = (
    "records",
    "measure",
    "label",
    "types",
    "exclude_types",
    "distinct_field",
    *FILTER_KINDS,
)


@dataclass(frozen=True)
class PackContext:
    """What a rule's reader needs from the rest of its pack."""

    credits: dict[str, GroupCredit]
    cycle_years: int | None


# --- what counts and where a rule looks --------------------------------------------------------


def _selector(
    table: Table | None, ctx: PackContext, base: Selector | None = None
) -> Selector | None:
    """A selector from ``table``; with ``base``, only the filters it changes are read."""
    if table is None:
        return None
    if base is None:
        name = table.choice("records", [k.value for k in COUNTABLE], "", required=True)
        if not name:
            _mark_selector_keys(table)
            table.close()
            return None
        records = RecordKind(name)
        selector = Selector(records)
    else:
        records = base.records
        selector = base
    changes: dict[str, Any] = {}
    if table.has("measure") or base is None:
        measure = table.choice("measure", MEASURES, "hours" if _has_minutes(records) else "count")
        if measure not in COUNTABLE[records]:
            table.problem(
                "measure",
                f"'{measure}' does not apply to {records.label.lower()} records "
                f"(use {', '.join(COUNTABLE[records])})",
            )
        changes["measure"] = measure
    if table.has("label"):
        changes["label"] = table.text("label")
    subtype = SUBTYPES.get(records)
    for key in ("types", "exclude_types"):
        if table.has(key):
            if subtype is None:
                table.raw(key)
                table.problem(key, f"{records.label.lower()} records have no sub-kinds")
            else:
                changes[key] = table.texts(key, subtype)
    for key, kinds in FILTER_KINDS.items():
        if not table.has(key):
            continue
        if records not in kinds:
            table.raw(key)
            allowed = ", ".join(k.value for k in kinds)
            table.problem(key, f"does not apply to {records.value} records (only to {allowed})")
            continue
        changes[key] = _filter_value(table, key, records, ctx)
    if table.has("distinct_field"):
        names = {f.name for f in fields(RECORD_TYPES[records]) if f.init}
        value = table.choice("distinct_field", sorted(names), "")
        changes["distinct_field"] = value
    measure = changes.get("measure", selector.measure)
    if measure == "distinct" and not changes.get("distinct_field", selector.distinct_field):
        table.problem("distinct_field", "is required when measure is 'distinct'", near="measure")
    if base is None:
        # A narrowing table (a share) holds other fields too; its reader closes it.
        table.close()
    return replace(selector, **changes)


def _mark_selector_keys(table: Table) -> None:
    for key in SELECTOR_KEYS:
        table.used.add(key)


def _has_minutes(kind: RecordKind) -> bool:
    return KINDS[kind].has_minutes


def _filter_value(table: Table, key: str, records: RecordKind, ctx: PackContext) -> Any:
    if key == "direction":
        return table.choice(key, [d.value for d in Direction], "received")
    if key == "roles":
        role = FacilitationRole if records is RecordKind.PRACTICE else TeachingRole
        return table.texts(key, role)
    if key in LIST_CHOICES:
        return table.texts(key, LIST_CHOICES[key])
    if key == "group_credit":
        name = table.text(key)
        if name not in ctx.credits:
            table.problem(key, not_one_of(name, ctx.credits))
            return FULL_CREDIT
        return ctx.credits[name]
    if key in ("min_days",):
        return table.number(key, high=366)
    if key.startswith(("min_", "clinical_", "day_")):
        value = table.whole(key)
        return 0 if key == "day_minimum_minutes" and value is None else value
    return table.flag(key)


def _window(table: Table, ctx: PackContext, default: str = "all") -> Window:
    kind = table.choice("window", WINDOWS, default)
    months = table.whole("window_months", None, low=1, high=MAX_MONTHS)
    if kind == "rolling" and months is None:
        table.problem("window_months", "is required for a rolling window", near="window")
    if kind != "rolling" and months is not None:
        table.problem("window_months", "only applies to window = 'rolling'")
    if kind == "cycle" and not ctx.cycle_years:
        table.problem("window", "needs cycle_years at the top of the pack")
    return Window(kind, months)


def _count(table: Table, ctx: PackContext, key: str = "count") -> Selector | None:
    return _selector(table.table(key, required=True), ctx)


def _minimum(table: Table, key: str = "minimum") -> float:
    value = table.number(key, None, required=True)
    if value is not None and value <= 0:
        table.problem(key, "must be more than 0")
    return value or 0.0


# --- the rule kinds ----------------------------------------------------------------------------


def read_total(table: Table, ctx: PackContext) -> TotalParams | None:
    """A ``total`` rule's parameters: what counts, the minimum, the window and any share; or
    None after a problem."""
    count = _count(table, ctx)
    minimum = _minimum(table)
    window = _window(table, ctx)
    share = None
    share_table = table.table("share")
    if share_table is not None and count is not None:
        share_minimum = _minimum(share_table)
        label = share_table.text("label", required=True)
        after = bool(share_table.flag("after_qualification", False))
        narrowed = _selector(share_table, ctx, base=count) if _narrows(share_table) else None
        share_table.close()
        share = Share(share_minimum, label, narrowed, after)
    if count is None:
        return None
    return TotalParams(count, minimum, window, share)


def _narrows(table: Table) -> bool:
    return any(table.has(k) for k in SELECTOR_KEYS if k != "records")


def _every(table: Table, options: Iterable[str] = PERIODS, required: bool = True) -> str:
    return table.choice("every", options, "", required=required)


def read_every_period(table: Table, ctx: PackContext) -> EveryPeriodParams | None:
    """An ``every_period`` rule's parameters: what counts, how often, the minimum and when it
    applies; or None after a problem."""
    count = _count(table, ctx)
    every = _every(table)
    minimum = _minimum(table)
    window = _window(table, ctx)
    only_when = _selector(table.table("only_when"), ctx)
    pro_rata = bool(table.flag("pro_rata", False))
    full_from = table.number("full_from_fraction", 1.0, low=0.01) or 1.0
    if full_from > 1:
        table.problem("full_from_fraction", "must be between 0 and 1")
    exclude_leave = bool(table.flag("exclude_leave", True))
    start = table.whole("from_months_after_qualification", None, high=MAX_MONTHS)
    until = table.whole("until_months_after_qualification", None, low=1, high=MAX_MONTHS)
    if start is not None and until is not None and until <= start:
        table.problem("until_months_after_qualification", "must be after the 'from' month")
    if count is None or not every:
        return None
    return EveryPeriodParams(
        count, every, minimum, window, only_when, pro_rata, full_from, exclude_leave, start, until
    )


def read_average(table: Table, ctx: PackContext) -> AverageParams | None:
    """An ``average`` rule's parameters (weeks, fortnights or months only); or None after a
    problem."""
    count = _count(table, ctx)
    every = _every(table, ("week", "fortnight", "month"))
    minimum = _minimum(table)
    window = _window(table, ctx)
    pro_rata = bool(table.flag("pro_rata", False))
    full_from = table.number("full_from_fraction", 1.0, low=0.01) or 1.0
    if count is None or not every:
        return None
    return AverageParams(count, every, minimum, window, pro_rata, full_from)


def read_ratio(table: Table, ctx: PackContext) -> RatioParams | None:
    """A ``ratio`` rule's parameters: a ``denominator`` or rising ``tiers`` (only the last
    without ``up_to``); or None after a problem."""
    count = _count(table, ctx)
    per = _count(table, ctx, "per")
    every = _every(table, ("", *PERIODS), required=False)
    tiers = []
    for tier_table in table.tables("tiers"):
        up_to = tier_table.number("up_to", None)
        tiers.append(Tier(up_to, _minimum(tier_table)))
        tier_table.close()
    for earlier, later in itertools.pairwise(tiers):
        if earlier.up_to is None or (later.up_to is not None and later.up_to <= earlier.up_to):
            table.problem("tiers", "tiers must rise, and only the last may leave out 'up_to'")
            break
    numerator = table.number("numerator", 1.0) or 1.0
    denominator = table.number("denominator", None)
    if not tiers and not denominator:
        table.problem("denominator", "give 'denominator' (e.g. 8 for 1 hour per 8) or 'tiers'")
    minimum = table.number("minimum", 0.0) or 0.0
    window = _window(table, ctx)
    if count is None or per is None:
        return None
    return RatioParams(
        count, per, numerator, denominator or 1.0, tuple(tiers), every, minimum, window
    )


def read_gap(table: Table, ctx: PackContext) -> GapParams | None:
    """A ``gap`` rule's parameters, with the longest gap in months or in days (one of them);
    or None after a problem."""
    count = _count(table, ctx)
    months = table.whole("max_gap_months", None, low=1, high=MAX_MONTHS)
    days = table.whole("max_gap_days", None, low=1, high=MAX_DAYS)
    if (months is None) == (days is None):
        table.problem("max_gap_months", "give either max_gap_months or max_gap_days")
    window = _window(table, ctx)
    within = _selector(table.table("within"), ctx)
    if count is None:
        return None
    return GapParams(count, months, days, window, within)


def read_timing(table: Table, ctx: PackContext) -> TimingParams | None:
    """A ``timing`` rule's parameters (the pack must have a cycle); or None after a problem."""
    count = _count(table, ctx)
    months = table.whole("final_months", None, low=1, high=MAX_MONTHS, required=True)
    minimum = table.number("minimum", 1.0) or 1.0
    if not ctx.cycle_years:
        table.problem("kind", "a timing rule needs cycle_years at the top of the pack")
    if count is None or months is None:
        return None
    return TimingParams(count, months, minimum)


def read_span(table: Table, ctx: PackContext) -> SpanParams | None:
    """A ``span`` rule's parameters; or None after a problem."""
    count = _count(table, ctx)
    months = table.whole("minimum_months", None, low=1, high=MAX_MONTHS, required=True)
    window = _window(table, ctx)
    if count is None or months is None:
        return None
    return SpanParams(count, months, window)


def read_coverage(table: Table, ctx: PackContext) -> CoverageParams | None:
    """A ``coverage`` rule's parameters, with a ``field`` both kinds of record have; or None
    after a problem."""
    count = _count(table, ctx)
    by = _count(table, ctx, "by")
    name = table.text("field", "setting")
    window = _window(table, ctx)
    if count is None or by is None:
        return None
    for selector in (count, by):
        names = {f.name for f in fields(RECORD_TYPES[selector.records]) if f.init}
        if name not in names:
            table.problem("field", f"{selector.records.value} records have no field '{name}'")
    return CoverageParams(count, by, name, window)


def read_per_item(table: Table, ctx: PackContext) -> PerItemParams | None:
    """A ``per_item`` rule's parameters, with a ``link_field`` the counted records have; or
    None after a problem."""
    items = _count(table, ctx, "items")
    count = _count(table, ctx)
    minimum = _minimum(table)
    link = table.text("link_field", "course_uid")
    window = _window(table, ctx)
    if items is None or count is None:
        return None
    names = {f.name for f in fields(RECORD_TYPES[count.records]) if f.init}
    if link not in names:
        table.problem("link_field", f"{count.records.value} records have no field '{link}'")
    return PerItemParams(items, count, minimum, link, window)


def read_milestones(table: Table, ctx: PackContext) -> MilestonesParams | None:
    """A ``milestones`` rule's parameters: the template, its milestones (or conversion routes)
    and whether they must be reached in order; or None after a problem."""
    template = table.text("template", required=True)
    kind = table.choice("pathway_kind", [k.value for k in PathwayKind], "training")
    ordered = bool(table.flag("ordered", False))
    minimum_routes = table.whole("minimum_routes", 0) or 0
    specs = []
    for entry in table.tables("milestones", required=True):
        route = entry.raw("route")
        if route is not MISSING and route not in [r.value for r in ConversionRoute]:
            entry.problem("route", not_one_of(route, [r.value for r in ConversionRoute]))
            route = MISSING
        specs.append(
            MilestoneSpec(
                title=entry.text("title", required=True),
                description=entry.text("description"),
                due_months=entry.whole("due_months", None, high=MAX_MONTHS),
                route=None if route is MISSING else str(route),
                aliases=entry.texts("aliases"),
                optional=bool(entry.flag("optional", False)),
            )
        )
        entry.close()
    if not specs and table.has("milestones"):
        table.problem("milestones", "list at least one milestone")
    if minimum_routes and kind != PathwayKind.CONVERSION.value:
        table.problem("minimum_routes", "only applies to pathway_kind = 'conversion'")
    if not template or not specs:
        return None
    return MilestonesParams(template, tuple(specs), kind, ordered, minimum_routes)
