"""``reminders``: what is due, as the dashboard's "Coming up" lists it."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from logbook.cli.context import CliContext


def register(sub: Any) -> None:
    command = sub.add_parser(
        "reminders",
        help="what is due: renewals, milestones, sign-off, supervision to log",
        description="List what is due, soonest first: registration renewals, pathway "
        "milestones, sign-off requests with no answer, and supervision a followed pack asks "
        "for in this week, fortnight or month that is not logged yet. Urgent ones are marked !",
        prepare=_arguments,
    )
    command.set_defaults(handler=run_reminders)


def _arguments(command: argparse.ArgumentParser) -> None:
    from logbook.services.reminders import LOOK_AHEAD_DAYS

    command.add_argument(
        "--days",
        type=int,
        default=LOOK_AHEAD_DAYS,
        metavar="N",
        help=f"how far ahead to list renewals and milestones (default {LOOK_AHEAD_DAYS})",
    )
    command.add_argument("--urgent", action="store_true", help="only what is due now")
    command.add_argument("--format", choices=["text", "json"], default="text")


def run_reminders(args: argparse.Namespace, ctx: CliContext) -> int:
    from logbook.services.reminders import reminders

    logbook = ctx.open()
    found = reminders(logbook, logbook.records.profile(), look_ahead_days=args.days)
    if args.urgent:
        found = [r for r in found if r.urgent]
    if args.format == "json":
        listed = [
            {
                "due": r.when.isoformat() if r.when else None,
                "title": r.title,
                "detail": r.detail,
                "urgent": r.urgent,
                "section": r.section,
            }
            for r in found
        ]
        ctx.print(json.dumps(listed, indent=2, ensure_ascii=False))
        return 0
    if not found:
        ctx.print("Nothing due." if args.urgent else f"Nothing due in the next {args.days} days.")
        return 0
    for reminder in found:
        mark = "!" if reminder.urgent else " "
        ctx.print(f"{mark} {_when(reminder.when):<11}  {reminder.title}")
        ctx.print(f"  {'':<11}  {reminder.detail}")
    return 0


def _when(value: date | None) -> str:
    from logbook.domain.requirements.text import day

    return day(value) if value else ""
