"""Items and milestones: a minimum for each course (or other item), and a pathway's milestones
reached, in order and on time.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from logbook.domain.choices import MilestoneStatus, PathwayKind
from logbook.domain.findings import Advice, Finding
from logbook.domain.periods import Period, add_months
from logbook.domain.records import Milestone, Pathway, RecordKind
from logbook.domain.requirements import text
from logbook.domain.requirements.checking import (
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    Context,
    Outcome,
    between,
    cannot_check,
    entries_text,
    is_met,
    nothing_recorded,
    plain,
    resolve_window,
    shown_part,
)
from logbook.domain.requirements.evidence import Evidence
from logbook.domain.requirements.model import MilestonesParams, MilestoneSpec, PerItemParams

# --- per item ----------------------------------------------------------------------------------


def check_per_item(p: PerItemParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """A minimum for each item (e.g. three hours of supervision for each course taught)."""
    unit = p.count.unit
    span, why = resolve_window(p.window, ctx)
    if span is None:
        return Outcome((cannot_check(rule_id, ctx, why, unit),))
    window = shown_part(span, ctx)
    if window is None:
        return Outcome((nothing_recorded(rule_id, ctx, unit),), span, unit=unit)
    items, sel = ev.select(p.items), ev.select(p.count)
    per_item: dict[str, list[int]] = {}
    for i, record in enumerate(sel.records):
        link = getattr(record, p.link_field, None)
        if link:
            per_item.setdefault(link, []).append(i)
    lo, hi = items.bounds(window)
    findings = []
    for k in range(lo, hi):
        item = items.records[k]
        name = str(getattr(item, "title", "") or item.kind.label)
        indexes = per_item.get(item.uid, [])
        actual = sum(sel.amounts[i] for i in indexes)
        met = is_met(actual, p.minimum)
        period = Period(items.day(k), date.fromordinal(items.ends[k]))
        running = items.ends[k] >= ctx.today.toordinal()
        explanation = (
            f"{text.cap(text.quantity(actual, p.count))} linked to it from "
            f"{entries_text(len(indexes))}; at least {text.target(p.minimum, unit)} needed."
        )
        notes = [f"{text.short_day(sel.day(i))}: {sel.notes[i]}" for i in indexes if i in sel.notes]
        if notes:
            explanation += " Credited: " + "; ".join(notes[:6]) + "."
        findings.append(
            Finding(
                rule_id,
                MET if met else NOT_MET,
                period,
                p.minimum,
                round(actual, 4),
                unit,
                explanation,
                ""
                if met
                else f"{text.cap(text.amount(p.minimum - actual, unit))} more {p.count.noun} "
                f"for {name} (link the sessions to the {p.items.noun} when you log them).",
                (item.uid, *(sel.records[i].uid for i in indexes)),
                label=name,
                in_progress=running and not met,
                credits=tuple(c for i in indexes for c in sel.credits(i, i + 1)),
                advice=()
                if met
                else (
                    Advice(
                        "record",
                        f"Link {text.amount(p.minimum - actual, unit)} more {p.count.noun} "
                        f"to {name}.",
                        p.minimum - actual,
                        period,
                    ),
                ),
            )
        )
    if not findings:
        findings.append(
            Finding(
                rule_id,
                NOT_APPLICABLE,
                window,
                None,
                None,
                unit,
                f"No {p.items.noun} recorded in {text.span(window)}.",
                label=text.span(window),
            )
        )
    return Outcome(tuple(findings), window, unit=unit)


# --- milestones --------------------------------------------------------------------------------


def _matches(spec: MilestoneSpec, milestone: Milestone) -> bool:
    if spec.route is not None and milestone.route is not None:
        return str(milestone.route) == spec.route
    wanted = [plain(spec.title), *(plain(a) for a in spec.aliases)]
    have = plain(milestone.title)
    return any(w and (have == w or have.startswith(w) or w.startswith(have)) for w in wanted)


def check_milestones(p: MilestonesParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """Each milestone of the pathway reached, on time and (when asked) in order."""
    kind = PathwayKind(p.pathway_kind)
    pathways = [
        r
        for r in ev.of(RecordKind.PATHWAY)
        if isinstance(r, Pathway) and r.template_key == p.template and r.pathway_kind is kind
    ]
    if not pathways:
        return Outcome(tuple(_no_pathway(p, ctx, rule_id)))
    pathway = max(pathways, key=lambda r: (r.started_on or date.min, r.uid))
    milestones = sorted(
        (
            m
            for m in ev.of(RecordKind.MILESTONE)
            if isinstance(m, Milestone) and m.pathway_uid == pathway.uid
        ),
        key=lambda m: (m.sequence, m.title, m.uid),
    )
    taken: set[str] = set()
    matched: list[Milestone | None] = []
    for spec in p.milestones:
        found = next((m for m in milestones if m.uid not in taken and _matches(spec, m)), None)
        if found is not None:
            taken.add(found.uid)
        matched.append(found)
    findings = []
    if kind is PathwayKind.CONVERSION and p.minimum_routes:
        findings.append(_route_plan(p, matched, pathway, ctx, rule_id))
    latest: tuple[str, date] | None = None
    for spec, milestone in zip(p.milestones, matched, strict=True):
        finding = _milestone_finding(spec, milestone, pathway, ctx, rule_id, kind)
        if p.ordered and milestone is not None and finding.status is MET:
            done_on = milestone.completed_on
            earlier = _earlier_open(p, matched, spec)
            if earlier is not None:
                finding = replace(
                    finding,
                    status=NOT_MET,
                    explanation=finding.explanation
                    + f" It is recorded as complete before '{earlier}', which comes first.",
                    to_close_gap=f"Complete '{earlier}' first, or check the records.",
                )
            elif latest is not None and done_on is not None and done_on < latest[1]:
                finding = replace(
                    finding,
                    status=NOT_MET,
                    explanation=finding.explanation
                    + f" That is before '{latest[0]}' ({text.day(latest[1])}), which comes "
                    "first.",
                    to_close_gap="Check the completion dates: the stages follow in order.",
                )
            if done_on is not None and (latest is None or done_on > latest[1]):
                latest = (spec.title, done_on)
        findings.append(finding)
    return Outcome(tuple(findings), between(pathway.started_on, ctx.today))


def _earlier_open(
    p: MilestonesParams, matched: list[Milestone | None], spec: MilestoneSpec
) -> str | None:
    """The first required milestone before ``spec`` that is not complete."""
    for other, milestone in zip(p.milestones, matched, strict=True):
        if other is spec:
            return None
        if other.optional:
            continue
        if milestone is None or milestone.status not in _DONE:
            return other.title
    return None


_DONE = (MilestoneStatus.COMPLETE, MilestoneStatus.WAIVED)


def _milestone_finding(
    spec: MilestoneSpec,
    milestone: Milestone | None,
    pathway: Pathway,
    ctx: Context,
    rule_id: str,
    kind: PathwayKind,
) -> Finding:
    due = None
    if milestone is not None and milestone.due_date is not None:
        due = milestone.due_date
    elif spec.due_months is not None and pathway.started_on is not None:
        due = add_months(pathway.started_on, spec.due_months)
    base = Period(pathway.started_on, None)
    described = f" {spec.description}" if spec.description else ""
    if milestone is None:
        if spec.optional:
            return Finding(
                rule_id,
                NOT_APPLICABLE,
                base,
                None,
                None,
                "",
                f"{spec.title}: not part of your {_plan_word(kind)}.{described}",
                label=spec.title,
            )
        return Finding(
            rule_id,
            NOT_MET,
            Period(due, due) if due else base,
            1.0,
            0.0,
            "",
            f"{spec.title}: not in your {_plan_word(kind)} '{pathway.title}' yet.{described}",
            f"Add '{spec.title}' to the {_plan_word(kind)} and record when it is complete.",
            label=spec.title,
            in_progress=due is None or due >= ctx.today,
        )
    if milestone.status in _DONE:
        when = milestone.completed_on
        how = "waived" if milestone.status is MilestoneStatus.WAIVED else "completed"
        on = f" on {text.day(when)}" if when else " (no date recorded)"
        return Finding(
            rule_id,
            MET,
            Period(when, when) if when else base,
            1.0,
            1.0,
            "",
            f"{spec.title}: {how}{on}.{described}",
            entries=(milestone.uid,),
            label=spec.title,
        )
    status_word = milestone.status.label.lower()
    if due is not None and due < ctx.today:
        return Finding(
            rule_id,
            NOT_MET,
            Period(due, due),
            1.0,
            0.0,
            "",
            f"{spec.title}: {status_word}, due by {text.day(due)} (overdue).{described}",
            f"Complete '{spec.title}' and record the date, or agree a new date with your assessor.",
            (milestone.uid,),
            label=spec.title,
        )
    due_text = f", due by {text.day(due)}" if due else ""
    return Finding(
        rule_id,
        NOT_MET,
        Period(due, due) if due else base,
        1.0,
        0.0,
        "",
        f"{spec.title}: {status_word}{due_text}.{described}",
        f"Complete '{spec.title}'{f' by {text.day(due)}' if due else ''}.",
        (milestone.uid,),
        label=spec.title,
        in_progress=True,
    )


def _plan_word(kind: PathwayKind) -> str:
    return "plan" if kind is PathwayKind.CONVERSION else "pathway"


def _route_plan(
    p: MilestonesParams,
    matched: list[Milestone | None],
    pathway: Pathway,
    ctx: Context,
    rule_id: str,
) -> Finding:
    planned = [s.title for s, m in zip(p.milestones, matched, strict=True) if m is not None]
    met = len(planned) >= p.minimum_routes
    listing = ", ".join(planned) if planned else "none yet"
    return Finding(
        rule_id,
        MET if met else NOT_MET,
        between(pathway.started_on, ctx.today),
        float(p.minimum_routes),
        float(len(planned)),
        "routes",
        f"Routes in your plan '{pathway.title}': {listing}; at least {p.minimum_routes} needed.",
        "" if met else "Add a route to the plan (agree it with your mentor or lead).",
        label="routes planned",
        in_progress=not met,
    )


def _no_pathway(p: MilestonesParams, ctx: Context, rule_id: str) -> list[Finding]:
    word = _plan_word(PathwayKind(p.pathway_kind))
    return [
        Finding(
            rule_id,
            NOT_APPLICABLE if spec.optional else NOT_MET,
            Period(None, ctx.today),
            1.0,
            0.0,
            "",
            f"{spec.title}: no {word} started from this pack yet.",
            f"Start the {word} from this pack to track its milestones.",
            label=spec.title,
            in_progress=True,
        )
        for spec in p.milestones
    ]
