"""``add``, ``list`` and ``summary``: logging and reading records from the command line."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from logbook.cli.arguments import day
from logbook.cli.context import CliContext
from logbook.domain.catalogue import KINDS, LOG_KINDS, describe
from logbook.domain.codec import encode
from logbook.domain.durations import hours
from logbook.domain.errors import ValidationError
from logbook.domain.periods import Period, year_of
from logbook.domain.queries import RecordQuery
from logbook.domain.records import Record, RecordKind, entry_date, minutes_of

ENTRY_KINDS = [k.value for k in (RecordKind.PERSON, RecordKind.ORGANISATION, *LOG_KINDS)]


def register(sub: Any) -> None:
    add = sub.add_parser(
        "add",
        help="add a record: logbook-cli add supervision date=2026-03-02 duration=1:00 ...",
        description="Add one record. Fields are given as column=value, with the same columns "
        "as CSV import (see docs/import-formats.md).",
    )
    add.add_argument("kind", choices=ENTRY_KINDS)
    add.add_argument("fields", nargs="*", metavar="column=value")
    add.add_argument(
        "--allow-identifiers",
        action="store_true",
        help="keep text that looks like a client's details (the choice is recorded on the entry)",
    )
    add.set_defaults(handler=run_add)

    listing = sub.add_parser("list", help="list records of one kind, newest first")
    listing.add_argument("kind", choices=ENTRY_KINDS)
    _period_options(listing)
    listing.add_argument("--search", default="", help="words that must all appear")
    listing.add_argument(
        "--type",
        dest="subtypes",
        action="append",
        default=[],
        help="keep this sub-kind (repeatable), e.g. clinical_skills",
    )
    listing.add_argument("--limit", type=_positive, default=50, help="rows to show (default 50)")
    listing.add_argument("--format", choices=["table", "json"], default="table")
    listing.set_defaults(handler=run_list)

    summary = sub.add_parser("summary", help="totals by kind (and by month or year)")
    _period_options(summary)
    summary.add_argument("--by", choices=["kind", "month", "year"], default="kind")
    summary.set_defaults(handler=run_summary)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _period_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", type=day, help="first date, e.g. 1/4/2026")
    parser.add_argument("--to", dest="end", type=day, help="last date, e.g. 31/3/2027")
    parser.add_argument("--year", type=int, help="a calendar year, instead of --from/--to")


def period_from(args: argparse.Namespace) -> Period:
    if args.year:
        return year_of(date(args.year, 1, 1))
    if args.start and args.end and args.end < args.start:
        raise ValidationError([], "--to is before --from")
    return Period(args.start, args.end)


def run_add(args: argparse.Namespace, ctx: CliContext) -> int:
    from logbook.domain.allowances import Door
    from logbook.services.privacy import CLI_HINT, IdentifiersFoundError
    from logbook.services.tabular import NameResolver, columns, parse_row

    kind = RecordKind(args.kind)
    cells: dict[str, str | None] = {}
    for item in args.fields:
        column, sep, value = item.partition("=")
        if not sep:
            raise ValidationError(
                [],
                f"'{item}' is not column=value; columns for {kind.value}: "
                + ", ".join(columns(kind)),
            )
        cells[column.strip()] = value
    logbook = ctx.open()
    resolver = NameResolver(logbook.db)
    record, problems = parse_row(kind, cells, resolver, source="command line")
    if record is None:
        raise ValidationError(problems, f"The {kind.label.lower()} was not added")
    try:
        logbook.records.create_many(
            [*resolver.created, record], guard=Door.CLI, allow_identifiers=args.allow_identifiers
        )
    except IdentifiersFoundError as error:
        raise error.with_hint(CLI_HINT) from None
    ctx.print(f"Added {kind.label.lower()} {record.uid} ({describe(record, kind=False)})")
    return 0


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    kind = RecordKind(args.kind)
    query = RecordQuery(
        kind,
        period=period_from(args),
        text=args.search,
        subtypes=frozenset(args.subtypes),
        limit=args.limit,
    )
    records = ctx.records()
    rows = records.query(query)
    total = records.summarise(query)
    if args.format == "json":
        ctx.print(json.dumps([encode(r) for r in rows], indent=2, ensure_ascii=False))
        return 0
    for record in rows:
        what = describe(record, kind=False)  # the listing names the kind once, below
        ctx.print(f"{_date_text(record):<10}  {hours(minutes_of(record)):>7} h  {what}")
    shown = f"showing {len(rows)} of {total.count}" if total.count > len(rows) else f"{total.count}"
    ctx.print(f"{shown} {kind.label.lower()} record(s); total {hours(total.minutes)} h")
    return 0


def run_summary(args: argparse.Namespace, ctx: CliContext) -> int:
    period = period_from(args)
    records = ctx.records()
    ctx.print(f"Summary for {period.describe()}")
    if args.by == "kind":
        for kind, total in records.summary(period).items():
            if total.count:
                ctx.print(f"  {kind.label:<30} {total.count:>7}  {hours(total.minutes):>9} h")
        return 0
    for kind in (k for k in LOG_KINDS if KINDS[k].has_minutes):
        groups = records.totals(RecordQuery(kind, period=period), args.by)
        if groups:
            ctx.print(f"  {kind.label}")
            for group in groups:
                ctx.print(f"    {group.key:<10} {group.count:>7}  {hours(group.minutes):>9} h")
    return 0


def _date_text(record: Record) -> str:
    day = entry_date(record)
    return day.isoformat() if day else ""
