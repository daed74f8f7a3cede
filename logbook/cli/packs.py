"""``packs`` and ``leave``: which requirement packs you follow, each pack's settings (cycle
start, qualification date, working pattern) and periods of leave, as the app's "Pack
settings…" dialog sets them."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from logbook.cli import arguments as a
from logbook.cli.context import CliContext
from logbook.domain.errors import LogbookError, ValidationError
from logbook.domain.periods import Period

if TYPE_CHECKING:
    from logbook.domain.requirements import PackSettings
    from logbook.services.profile import ProfileService

SETTING_FIELDS = ("cycle_start", "qualified_on", "working_fraction")


def register(sub: Any) -> None:
    _pack_commands(sub)
    _leave_commands(sub)


def _pack_commands(sub: Any) -> None:
    packs = a.command(
        sub,
        "packs",
        "list, follow or unfollow requirement packs, and set each pack's settings",
        """
  logbook-cli packs list
  logbook-cli packs follow nhs_tt_pwp babcp_pwp
  logbook-cli packs settings nhs_tt_pwp --working-pattern "3 days" --cycle-start 01/04/2026
  logbook-cli packs settings nmc_revalidation --qualified 15/09/2019 --pro-rata 0.8
  logbook-cli packs unfollow babcp_pwp
""",
    )
    commands = a.actions(packs)
    listing = a.action(
        commands,
        "list",
        "installed packs; * marks those you follow",
        "logbook-cli packs list",
    )
    a.format_option(listing)
    listing.set_defaults(handler=a.friendly(run_list))
    follow = a.action(
        commands,
        "follow",
        "follow packs (status and reminders check them)",
        "logbook-cli packs follow bacp_accreditation",
    )
    follow.add_argument("pack_ids", nargs="+", metavar="ID", help="pack id, as packs list shows")
    follow.set_defaults(handler=a.friendly(run_follow))
    unfollow = a.action(
        commands,
        "unfollow",
        "stop following packs (settings are kept)",
        "logbook-cli packs unfollow babcp_pwp",
    )
    unfollow.add_argument("pack_ids", nargs="+", metavar="ID")
    unfollow.set_defaults(handler=a.friendly(run_unfollow))
    settings = a.action(
        commands,
        "settings",
        "show a pack's settings, or change those given",
        "logbook-cli packs settings nhs_tt_pwp",
        "logbook-cli packs settings nhs_tt_pwp --pro-rata 60% --qualified none",
        description="Show a pack's settings, or change the ones given (others stay). Dates "
        "are read day first (25/11/2026, 25 Nov 2026 or 2026-11-25); 'none' clears one. "
        "Leave is set with 'logbook-cli leave'.",
    )
    settings.add_argument("pack_id", metavar="ID")
    settings.add_argument(
        "--cycle-start",
        type=a.day_or_none,
        default=argparse.SUPPRESS,
        metavar="DATE",
        help="first day of the current registration or revalidation cycle",
    )
    settings.add_argument(
        "--qualified",
        dest="qualified_on",
        type=a.day_or_none,
        default=argparse.SUPPRESS,
        metavar="DATE",
        help="qualification date for this pack (when not set, your profile's is used)",
    )
    settings.add_argument(
        "--working-pattern",
        "--pro-rata",
        dest="working_fraction",
        type=a.working_fraction,
        default=argparse.SUPPRESS,
        metavar="SHARE",
        help="share of full time, for pro-rata targets: 0.6, 60%%, '3 days' (of 5), "
        "'22.5 hours' (of 37.5) or 'full time'",
    )
    a.format_option(settings)
    settings.set_defaults(handler=a.friendly(run_settings))


def _leave_commands(sub: Any) -> None:
    leave = a.command(
        sub,
        "leave",
        "add, list or remove periods of leave (months mostly on leave are not checked)",
        """
  logbook-cli leave add --from 01/08/2026 --to 14/08/2026
  logbook-cli leave add --from "1 Dec 2026" --to "3 Jan 2027" --pack bacp_accreditation
  logbook-cli leave list
  logbook-cli leave remove 1
""",
    )
    commands = a.actions(leave)
    add = a.action(
        commands,
        "add",
        "leave for every followed pack (or those named)",
        "logbook-cli leave add --from 01/08/2026 --to 14/08/2026",
    )
    add.add_argument(
        "--from", dest="start", type=a.day, required=True, metavar="DATE", help="first day"
    )
    add.add_argument("--to", dest="end", type=a.day, required=True, metavar="DATE", help="last day")
    _pack_option(add)
    add.set_defaults(handler=a.friendly(run_leave_add))
    listing = a.action(
        commands, "list", "every period of leave, numbered", "logbook-cli leave list"
    )
    a.format_option(listing)
    listing.set_defaults(handler=a.friendly(run_leave_list))
    remove = a.action(
        commands,
        "remove",
        "remove leave N (as numbered by list), from every pack or those named",
        "logbook-cli leave remove 1 --pack nhs_tt_pwp",
    )
    remove.add_argument("row", type=a.number, metavar="N")
    _pack_option(remove)
    remove.set_defaults(handler=a.friendly(run_leave_remove))


def _pack_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pack",
        dest="pack_ids",
        action="append",
        default=[],
        metavar="ID",
        help="only for this pack (repeatable)",
    )


# --- handlers ----------------------------------------------------------------------------------


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    service = a.profiles(ctx).requirements
    followed = set(service.followed())
    infos = service.pack_infos()
    if args.format == "json":
        rows = [
            {"id": i.id, "title": i.title, "body": i.body, "followed": i.id in followed}
            for i in infos
        ]
        ctx.print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    width = max((len(i.id) for i in infos), default=10)
    for info in infos:
        mark = "*" if info.id in followed else " "
        ctx.print(f" {mark} {info.id:<{width}}  {info.title}")
    ctx.print("(* = followed)" if followed else "You follow none yet: logbook-cli packs follow ID")
    return 0


def run_follow(args: argparse.Namespace, ctx: CliContext) -> int:
    service = a.profiles(ctx)
    new = service.follow(args.pack_ids)
    for pack_id in args.pack_ids:
        done = "Now following" if pack_id in new else "Already following"
        ctx.print(f"{done} {pack_id}: {service.requirements.pack(pack_id).title}")
    return 0


def run_unfollow(args: argparse.Namespace, ctx: CliContext) -> int:
    service = a.profiles(ctx)
    dropped = service.unfollow(args.pack_ids) if service.records.profile() else []
    for pack_id in args.pack_ids:
        done = "No longer following" if pack_id in dropped else "Was not following"
        ctx.print(f"{done} {pack_id}")
    return 0


def run_settings(args: argparse.Namespace, ctx: CliContext) -> int:
    from logbook.services.requirements import settings_to_json

    service = a.profiles(ctx)
    requirements = service.requirements
    pack = requirements.pack(args.pack_id)
    changes = a.given(args, *SETTING_FIELDS)
    settings = requirements.settings(pack.id)
    if changes:
        settings = replace(settings, **changes)
        requirements.save_settings(pack.id, settings)
        ctx.print(f"Saved the settings of {pack.id}")
    if args.format == "json":
        ctx.print(json.dumps({"pack": pack.id, **settings_to_json(settings)}, indent=2))
        return 0
    _print_settings(ctx, service, pack.title, settings)
    return 0


def run_leave_add(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.end < args.start:
        raise ValidationError([], "--to is before --from: the leave ends before it starts")
    period = Period(args.start, args.end)
    service = a.profiles(ctx)
    if not args.pack_ids and not service.requirements.followed():
        raise LogbookError(
            "You follow no packs, so the leave would be marked nowhere: follow them first "
            "(logbook-cli packs follow ID) or name one with --pack ID"
        )
    marked = service.add_leave(period, args.pack_ids)
    ctx.print(f"Leave {_span(period)} marked for: {', '.join(marked)}")
    return 0


def run_leave_list(args: argparse.Namespace, ctx: CliContext) -> int:
    spells = a.profiles(ctx).leave()
    if args.format == "json":
        rows = [
            {"start": s.period.start, "end": s.period.end, "packs": list(s.pack_ids)}
            for s in spells
        ]
        ctx.print(json.dumps(rows, indent=2, default=str))
        return 0
    for n, spell in enumerate(spells, 1):
        ctx.print(f"  {n}. {_span(spell.period)}  ({', '.join(spell.pack_ids)})")
    if not spells:
        ctx.print("No leave recorded (add it with: logbook-cli leave add --from DATE --to DATE)")
    return 0


def run_leave_remove(args: argparse.Namespace, ctx: CliContext) -> int:
    service = a.profiles(ctx)
    spells = service.leave()
    if not 1 <= args.row <= len(spells):
        listed = f"numbered 1 to {len(spells)}" if spells else "none recorded"
        raise LogbookError(f"There is no leave {args.row} (leave periods: {listed})")
    period = spells[args.row - 1].period
    removed = service.remove_leave(period, args.pack_ids)
    ctx.print(f"Leave {_span(period)} removed from: {', '.join(removed)}")
    return 0


def _print_settings(
    ctx: CliContext, service: ProfileService, title: str, settings: PackSettings
) -> None:
    profile = service.records.profile()
    qualified = a.show_day(settings.qualified_on)
    if settings.qualified_on is None and profile is not None and profile.qualified_on:
        qualified = f"{a.show_day(profile.qualified_on)} (from your profile)"
    ctx.print(title)
    ctx.print(f"  Cycle starts:    {a.show_day(settings.cycle_start)}")
    ctx.print(f"  Qualified on:    {qualified}")
    ctx.print(f"  Working pattern: {settings.working_fraction * 100:g}% of full time")
    leave = "; ".join(_span(p) for p in settings.leave) or "none"
    ctx.print(f"  Leave:           {leave}")


def _span(period: Period) -> str:
    # The requirement texts load the packs' model: imported by the commands that show them.
    from logbook.domain.requirements.text import span

    return span(period)
