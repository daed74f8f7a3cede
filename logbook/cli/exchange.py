"""``export-json``, ``import-json``, ``conflicts``, ``import-csv`` and ``demo``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbook.cli.context import CliContext
from logbook.domain.catalogue import describe
from logbook.domain.errors import LogbookError
from logbook.domain.records import RecordKind

if TYPE_CHECKING:
    from logbook.domain.versions import Conflict
    from logbook.services.conflicts import Keep

CSV_KINDS = [k.value for k in RecordKind if k not in (RecordKind.PROFILE, RecordKind.ATTACHMENT)]


def register(sub: Any) -> None:
    export = sub.add_parser("export-json", help="write the whole logbook to a JSON file")
    export.add_argument("file", type=Path)
    export.set_defaults(handler=run_export)

    imported = sub.add_parser("import-json", help="merge a logbook JSON file (all or nothing)")
    imported.add_argument("file", type=Path)
    _allow_identifiers_option(imported)
    imported.set_defaults(handler=run_import)

    conflicts = sub.add_parser(
        "conflicts",
        help="records two copies both changed: list, show, or keep one side",
        description="An import keeps both sides of a record changed on both copies; until you "
        "choose, only this copy's side counts. With no action, lists them.",
    )
    actions = conflicts.add_subparsers(dest="action", metavar="ACTION")
    show = actions.add_parser("show", help="show what differs between the two sides")
    show.add_argument("id", type=int)
    actions.add_parser(
        "resolve", help="keep one side (the other is not kept)", prepare=_resolve_arguments
    )
    conflicts.set_defaults(handler=run_conflicts)

    csv = sub.add_parser(
        "import-csv",
        help="import rows of one record kind from a CSV file (all or nothing)",
        description="Columns per kind are listed by 'import-csv KIND --columns' and in "
        "docs/import-formats.md.",
    )
    csv.add_argument("kind", choices=CSV_KINDS)
    csv.add_argument("file", type=Path, nargs="?")
    csv.add_argument("--columns", action="store_true", help="list the columns for KIND and exit")
    _allow_identifiers_option(csv)
    csv.set_defaults(handler=run_import_csv)

    demo = sub.add_parser(
        "demo",
        help="fill an empty logbook with a realistic demo record",
        prepare=_demo_arguments,
    )
    demo.set_defaults(handler=run_demo)


def _resolve_arguments(resolve: argparse.ArgumentParser) -> None:
    from logbook.services.conflicts import Keep

    resolve.add_argument("id", type=int)
    resolve.add_argument(
        "--keep",
        choices=[k.value for k in Keep],
        required=True,
        help="'here': this copy's side; 'other': the side that arrived in the import",
    )


def _demo_arguments(demo: argparse.ArgumentParser) -> None:
    from logbook.services.demo import PERSONAS

    demo.add_argument("--persona", choices=PERSONAS, default="mindfulness")
    demo.add_argument("--years", type=int, default=3, help="years of history (1-40)")
    demo.add_argument("--scale", type=float, default=1.0, help="multiply every rate (0.1-20)")
    demo.add_argument("--seed", type=int, default=2026)


def _allow_identifiers_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-identifiers",
        action="store_true",
        help="import text that looks like a client's details (the choice is recorded on each "
        "entry); without it such a file is refused",
    )


def run_export(args: argparse.Namespace, ctx: CliContext) -> int:
    from logbook.services.exchange import export_json

    count = export_json(ctx.open().db, args.file)
    ctx.print(f"Exported {count} records to {args.file}")
    return 0


def run_import(args: argparse.Namespace, ctx: CliContext) -> int:
    from logbook.services.privacy import CLI_HINT, IdentifiersFoundError

    try:
        summary = ctx.open().import_json(args.file, allow_identifiers=args.allow_identifiers)
    except IdentifiersFoundError as error:
        raise error.with_hint(CLI_HINT) from None
    ctx.print(summary.describe(args.file.name))
    if summary.conflicts:
        ctx.print("See them with 'logbook-cli conflicts'.")
    return 0


def run_conflicts(args: argparse.Namespace, ctx: CliContext) -> int:
    from logbook.services.conflicts import Keep

    service = ctx.open().conflicts
    if args.action == "resolve":
        service.resolve(args.id, Keep(args.keep))
        ctx.print(f"Conflict {args.id} decided: kept the side from {_side(Keep(args.keep))}.")
        return 0
    waiting = service.all()
    if args.action == "show":
        conflict = next((c for c in waiting if c.id == args.id), None)
        if conflict is None:
            raise LogbookError(f"No conflict {args.id} (it may have been decided already)")
        ctx.print(_heading(conflict))
        rows = [("Field", "Here", f"In {conflict.source}")] + [
            (d.label, d.here, d.there) for d in service.differences(conflict)
        ]
        width = max(len(label) for label, _, _ in rows)
        here_width = min(40, max(len(here) for _, here, _ in rows))
        for label, here, there in rows:
            ctx.print(f"  {label:<{width}}  {here[:40]:<{here_width}}  {there[:60]}")
        return 0
    if not waiting:
        ctx.print("No conflicts: every merged record is settled.")
        return 0
    for conflict in waiting:
        ctx.print(_heading(conflict))
    ctx.print("Show one with 'conflicts show ID'; keep a side with 'conflicts resolve ID --keep'.")
    return 0


def _heading(conflict: Conflict) -> str:
    record = conflict.ours or conflict.theirs
    title = describe(record, dated=True, detail=False) if record is not None else conflict.uid
    return f"#{conflict.id}  {title}: {conflict.reason.explain(conflict.source)}"


def _side(keep: Keep) -> str:
    from logbook.services.conflicts import Keep

    return "this copy" if keep is Keep.HERE else "the other copy"


def run_import_csv(args: argparse.Namespace, ctx: CliContext) -> int:
    from logbook.services.privacy import CLI_HINT, IdentifiersFoundError
    from logbook.services.tabular import columns

    kind = RecordKind(args.kind)
    if args.columns:
        ctx.print(", ".join(columns(kind)))
        return 0
    if args.file is None:
        raise SystemExit("import-csv: a FILE is required (or --columns)")
    try:
        result = ctx.open().import_csv(kind, args.file, allow_identifiers=args.allow_identifiers)
    except IdentifiersFoundError as error:
        raise error.with_hint(CLI_HINT) from None
    extra = (
        f" (and {result.created_references} new people/organisations)"
        if result.created_references
        else ""
    )
    ctx.print(
        f"Imported {result.imported} {kind.label.lower()} record(s) from {args.file.name}{extra}"
    )
    return 0


def run_demo(args: argparse.Namespace, ctx: CliContext) -> int:
    from logbook.services.demo import (
        DEMO_SUPERVISOR_FOLDER,
        DEMO_SUPERVISOR_PASSPHRASE,
        generate_demo,
    )

    result = generate_demo(ctx.open(), args.persona, args.years, args.scale, args.seed)
    ctx.print(
        f"Created a {args.years}-year demo logbook for the {args.persona} persona: "
        f"{result.total:,} records in {ctx.location.database}"
    )
    for kind, n in sorted(result.counts.items(), key=lambda item: -item[1]):
        ctx.print(f"  {RecordKind(kind).label:<30} {n:>7,}")
    if result.signoff:
        ways = ", ".join(f"{n} {way.replace('_', ' ')}" for way, n in result.signoff.items())
        ctx.print(f"Sign-off: {ways}.")
        ctx.print(
            f"The supervisor's identity is in {ctx.location.root / DEMO_SUPERVISOR_FOLDER} "
            f"(passphrase: {DEMO_SUPERVISOR_PASSPHRASE})."
        )
    return 0
