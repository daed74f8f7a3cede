"""``status``: are the requirements of the packs you follow met, and if not, why not."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from logbook.cli.arguments import day as typed_day
from logbook.cli.context import CliContext
from logbook.cli.records import period_from
from logbook.domain.findings import Finding, Granularity, PackResult, RuleResult, Status

if TYPE_CHECKING:
    from logbook.services.requirements import RequirementService

MARKS = {
    Status.MET: "[met]",
    Status.NOT_YET_MET: "[not yet met]",
    Status.NOT_APPLICABLE: "[nothing to check]",
}


def register(sub: Any) -> None:
    status = sub.add_parser(
        "status",
        help="check the requirement packs you follow (BACP, NMC, BABCP …)",
        description="Check requirement packs against the logbook, month by month, and say "
        "why any rule is not yet met. Without --pack, checks the packs you follow.",
    )
    status.add_argument(
        "--pack",
        dest="packs",
        action="append",
        default=[],
        metavar="ID",
        help="check this pack (repeatable); see --list for ids",
    )
    status.add_argument("--from", dest="start", type=typed_day, help="first date, e.g. 1/4/2026")
    status.add_argument("--to", dest="end", type=typed_day, help="last date, e.g. 31/3/2027")
    status.add_argument("--year", type=int, help="a calendar year, instead of --from/--to")
    status.add_argument(
        "--explain",
        action="store_true",
        help="every shortfall with its reasons, the entries that counted and each rule's source",
    )
    status.add_argument("--list", action="store_true", help="list the installed packs and exit")
    status.add_argument("--format", choices=["text", "json"], default="text")
    status.set_defaults(handler=run_status)


def run_status(args: argparse.Namespace, ctx: CliContext) -> int:
    service = ctx.open().requirements
    for problem in service.problems():
        print(f"warning: {problem}", file=ctx.err)
    if args.list:
        _list_packs(service, ctx)
        return 0
    period = period_from(args)
    pack_ids = args.packs or None
    if pack_ids is None and not service.followed():
        ctx.print("You follow no requirement packs yet. Check one with --pack ID, or follow")
        ctx.print("it with `logbook-cli packs follow ID`. Installed packs:")
        _list_packs(service, ctx)
        return 0
    results = service.evaluate(period if (period.start or period.end) else None, pack_ids)
    if args.format == "json":
        ctx.print(json.dumps([_as_json(r) for r in results], indent=2, ensure_ascii=False))
        return 0
    for n, result in enumerate(results):
        if n:
            ctx.print()
        _print_pack(ctx, result, args.explain)
    return 0


def _list_packs(service: RequirementService, ctx: CliContext) -> None:
    followed = set(service.followed())
    width = max((len(p.id) for p in service.pack_infos()), default=10)
    for info in service.pack_infos():
        mark = "*" if info.id in followed else " "
        own = "" if info.shipped else "  (your pack)"
        ctx.print(f" {mark} {info.id:<{width}}  {info.title}{own}")
    if followed:
        ctx.print("(* = followed)")


def _print_pack(ctx: CliContext, result: PackResult, explain: bool) -> None:
    # The requirement texts load the packs' model, so they are imported here and below, by the
    # functions that use them, rather than whenever the command line starts.
    from logbook.domain.requirements.text import span

    counted = [r for r in result.rules if not r.optional]
    met = sum(1 for r in counted if r.status is Status.MET)
    ctx.print(f"{result.title}: {result.status.label} ({met} of {len(counted)} rules met)")
    if result.period is not None:
        ctx.print(f"  Checked: {span(result.period)}")
    for note in result.notes:
        ctx.print(f"  {note}")
    for rule in result.rules:
        ctx.print()
        optional = " (optional stage)" if rule.optional else ""
        ctx.print(f"  {MARKS[rule.status]} {rule.title}{optional}")
        ctx.print(f"      {_summary(rule)}")
        if rule.projection:
            ctx.print(f"      {rule.projection}")
        if explain:
            _explain(ctx, rule)
    if result.not_checked:
        ctx.print()
        ctx.print("  Not checked by the logbook:")
        for item in result.not_checked:
            ctx.print(f"    - {item}")


def _summary(rule: RuleResult) -> str:
    """One line: the single figure, or how many periods fell short."""
    from logbook.domain.requirements.text import counted, finding_line, finding_words

    findings = rule.findings
    if not findings:
        return "Nothing recorded to check."
    short = [f for f in findings if f.status is Status.NOT_YET_MET]
    if rule.granularity is Granularity.MILESTONE:
        done = [f for f in findings if f.status is Status.MET]
        needed = [f for f in findings if f.status is not Status.NOT_APPLICABLE]
        text = f"{len(done)} of {len(needed)} milestones reached."
        if short:
            text += f" Next: {finding_words(short[0]).explanation}"
        return text
    if len(findings) == 1 or not rule.granularity.periodic:
        focus = short[0] if short else findings[-1]
        if len(findings) > 1 and short:
            lead = f"{len(short)} of {len(findings)} not yet met. "
            return lead + finding_line(focus)
        return finding_line(focus)
    checked = [f for f in findings if f.status is not Status.NOT_APPLICABLE]
    if not checked:
        return finding_words(findings[-1]).explanation
    ended_short = [f for f in short if not f.in_progress]
    running = [f for f in short if f.in_progress]
    if not ended_short:
        ended = len(checked) - len(running)
        text = f"{counted(ended, rule.granularity.plural)} checked, all met." if ended else ""
        if running:
            latest = running[-1]
            text += f" {finding_words(latest).title}: {_gap(latest)} still to record."
        return text.strip()
    latest = ended_short[-1]
    return (
        f"{len(ended_short)} of {counted(len(checked), rule.granularity.plural)} short; latest "
        f"{latest.label} ({_gap(latest)} short)."
    )


def _gap(finding: Finding) -> str:
    from logbook.domain.requirements.text import shortfall

    return shortfall(finding) or "something"


def _explain(ctx: CliContext, rule: RuleResult) -> None:
    from logbook.domain.requirements.text import day, finding_line, finding_words

    ctx.print(f"      {rule.description}")
    ctx.print(
        f"      Source: {rule.source_title}, {rule.source_url} (checked {day(rule.checked_on)})"
    )
    if rule.basis:
        ctx.print(f"      {rule.basis}")
    for finding in rule.findings:
        if finding.status is not Status.NOT_YET_MET:
            continue
        words = finding_words(finding)
        ctx.print(f"      - {finding_line(finding)}")
        if words.to_close:
            ctx.print(f"        To close the gap: {words.to_close}")
        for credit in finding.credits:
            ctx.print(f"        {day(credit.day)}: {credit.note}")


def _as_json(result: PackResult) -> dict[str, Any]:
    from logbook.domain.requirements.text import finding_words

    def finding(f: Finding) -> dict[str, Any]:
        return {
            "label": f.label,
            "status": f.status.value,
            "start": f.period.start.isoformat() if f.period.start else None,
            "end": f.period.end.isoformat() if f.period.end else None,
            "required": f.required,
            "actual": f.actual,
            "unit": f.unit,
            "in_progress": f.in_progress,
            "explanation": finding_words(f).explanation,
            "to_close_gap": f.to_close_gap,
            "entries": list(f.entries),
            "credits": [
                {"uid": c.uid, "day": c.day.isoformat(), "counted": c.counted, "note": c.note}
                for c in f.credits
            ],
        }

    return {
        "pack": result.pack_id,
        "title": result.title,
        "status": result.status.value,
        "status_text": result.status.label,
        "notes": list(result.notes),
        "not_checked": list(result.not_checked),
        "rules": [
            {
                "rule": r.rule_id,
                "title": r.title,
                "status": r.status.value,
                "optional": r.optional,
                "description": r.description,
                "source": {
                    "title": r.source_title,
                    "url": r.source_url,
                    "checked_on": r.checked_on.isoformat(),
                },
                "projection": r.projection,
                "basis": r.basis,
                "findings": [finding(f) for f in r.findings],
            }
            for r in result.rules
        ],
    }
