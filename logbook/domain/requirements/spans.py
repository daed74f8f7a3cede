"""Spread and coverage: activity spread over enough months, and every work setting covered by
supervision.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from operator import attrgetter
from typing import Any

from logbook.domain.findings import Finding
from logbook.domain.periods import Period, add_months
from logbook.domain.records import SupervisionSession
from logbook.domain.requirements import text
from logbook.domain.requirements.checking import (
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    Context,
    Outcome,
    cannot_check,
    entries_text,
    not_counted,
    nothing_recorded,
    resolve_window,
    shown_part,
)
from logbook.domain.requirements.evidence import Evidence
from logbook.domain.requirements.model import CoverageParams, SpanParams

# --- span --------------------------------------------------------------------------------------


def check_span(p: SpanParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """Activity spread over at least ``minimum_months`` (e.g. three years in practice)."""
    span, why = resolve_window(p.window, ctx)
    if span is None:
        return Outcome((cannot_check(rule_id, ctx, why, "months"),))
    window = shown_part(span, ctx)
    if window is None:
        return Outcome((nothing_recorded(rule_id, ctx, "months"),), span, unit="months")
    sel = ev.select(p.count)
    lo, hi = sel.bounds(window)
    noun = p.count.noun
    # A span can still grow while the window reaches today.
    running = window.end is not None and window.end >= ctx.today
    if hi <= lo:
        finding = Finding(
            rule_id,
            NOT_MET,
            window,
            float(p.minimum_months),
            0.0,
            "months",
            f"No {noun} recorded in {text.span(window)}.",
            "",
            label=text.span(window),
            in_progress=running,
            not_counted=not_counted(sel, window),
        )
        return Outcome((finding,), window, unit="months")
    first = sel.day(lo)
    last = date.fromordinal(max(sel.ends[lo:hi]))
    needed_until = add_months(first, p.minimum_months) - timedelta(days=1)
    met = last >= needed_until
    months = (last.year - first.year) * 12 + last.month - first.month
    explanation = (
        f"{text.cap(noun)} recorded from {text.day(first)} to {text.day(last)} "
        f"({text.months_between(first, last + timedelta(days=1))}); at least "
        f"{p.minimum_months} months needed."
    )
    to_close = ""
    if not met and running:
        to_close = (
            f"The span reaches {p.minimum_months} months on {text.day(needed_until)} at the "
            f"earliest, with {noun} recorded on or after that day."
        )
    finding = Finding(
        rule_id,
        MET if met else NOT_MET,
        Period(first, last),
        float(p.minimum_months),
        float(months),
        "months",
        explanation,
        to_close,
        sel.uids(lo, hi),
        label=text.span(window),
        in_progress=running and not met,
        not_counted=not_counted(sel, window),
    )
    return Outcome((finding,), window, unit="months")


# --- coverage ----------------------------------------------------------------------------------


def check_coverage(p: CoverageParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """Every value of ``field`` in practice (e.g. each work setting) has supervision."""
    span, why = resolve_window(p.window, ctx)
    if span is None:
        return Outcome((cannot_check(rule_id, ctx, why, ""),))
    window = shown_part(span, ctx)
    if window is None:
        return Outcome((nothing_recorded(rule_id, ctx, ""),), span)
    practice, supervision = ev.select(p.count), ev.select(p.by)
    plo, phi = practice.bounds(window)
    slo, shi = supervision.bounds(window)
    get = attrgetter(p.field)
    # map/count/index run in C: this rule looks at every practice entry of the window.
    values = list(map(get, practice.records[plo:phi]))
    used: dict[Any, list[int]] = {}
    backwards = values[::-1]
    for value in set(values):
        first_pos = values.index(value)
        last_pos = len(values) - 1 - backwards.index(value)
        used[value] = [plo + first_pos, plo + last_pos, values.count(value)]
    covering: dict[Any, list[int]] = {}
    covers = _covered_by(p.field)
    for i, record in enumerate(supervision.records[slo:shi], start=slo):
        for value in covers(record):
            covering.setdefault(value, []).append(i)
    unnamed = covering.get(None, [])
    findings = []
    for value, (first_index, last_index, count) in sorted(used.items(), key=lambda kv: str(kv[0])):
        if value is None:
            continue
        name = _value_label(value)
        own = covering.get(value, [])
        by_default = not own and len(used) == 1 and bool(unnamed)
        met = bool(own) or by_default
        if own:
            how = f"{text.counted(len(own), p.by.noun + ' sessions')} recorded for {name}."
        elif by_default:
            how = (
                f"{text.counted(len(unnamed), p.by.noun + ' sessions')} with no {p.field} "
                f"recorded, counted for {name} because it is your only {p.field}."
            )
        else:
            how = f"No {p.by.noun} recorded for {name}."
        first, last = practice.day(first_index), practice.day(last_index)
        findings.append(
            Finding(
                rule_id,
                MET if met else NOT_MET,
                # The window checked: supervision anywhere in it covers the setting.
                window,
                1.0,
                float(len(own) or (len(unnamed) if by_default else 0)),
                "sessions",
                f"{entries_text(count)} of {p.count.noun} in {name} from "
                f"{text.day(first)} to {text.day(last)}. {how}",
                ""
                if met
                else f"Record the {p.field} on the {p.by.noun} that covers {name}, or arrange "
                f"{p.by.noun} for it.",
                tuple(supervision.records[i].uid for i in (own or (unnamed if by_default else []))),
                label=name,
                not_counted=not_counted(supervision, window),
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
                "",
                f"No {p.count.noun} recorded in {text.span(window)}.",
                label=text.span(window),
            )
        )
    return Outcome(tuple(findings), window)


def _covered_by(field: str) -> Callable[[Any], tuple[Any, ...]]:
    """The values of ``field`` a covering record stands for: a supervision session covers
    every setting it records (``effective_settings``), and none is ``(None,)``."""
    get = attrgetter(field)

    def covered(record: Any) -> tuple[Any, ...]:
        if field == "setting" and isinstance(record, SupervisionSession):
            return record.effective_settings or (None,)
        return (get(record),)

    return covered


def _value_label(value: Any) -> str:
    label = getattr(value, "label", None)
    return str(label if label else value).lower()
