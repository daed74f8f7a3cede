"""``export-json``, ``import-json``, ``import-csv`` and ``demo``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from logbook.cli.context import CliContext
from logbook.domain.records import RecordKind
from logbook.services.demo import (
    DEMO_SUPERVISOR_FOLDER,
    DEMO_SUPERVISOR_PASSPHRASE,
    PERSONAS,
    generate_demo,
)
from logbook.services.exchange import export_json
from logbook.services.tabular import columns

CSV_KINDS = [k.value for k in RecordKind if k not in (RecordKind.PROFILE, RecordKind.ATTACHMENT)]


def register(sub: Any) -> None:
    export = sub.add_parser("export-json", help="write the whole logbook to a JSON file")
    export.add_argument("file", type=Path)
    export.set_defaults(handler=run_export)

    imported = sub.add_parser("import-json", help="merge a logbook JSON file (all or nothing)")
    imported.add_argument("file", type=Path)
    imported.set_defaults(handler=run_import)

    csv = sub.add_parser(
        "import-csv",
        help="import rows of one record kind from a CSV file (all or nothing)",
        description="Columns per kind are listed by 'import-csv KIND --columns' and in "
        "docs/import-formats.md.",
    )
    csv.add_argument("kind", choices=CSV_KINDS)
    csv.add_argument("file", type=Path, nargs="?")
    csv.add_argument("--columns", action="store_true", help="list the columns for KIND and exit")
    csv.set_defaults(handler=run_import_csv)

    demo = sub.add_parser("demo", help="fill an empty logbook with a realistic demo record")
    demo.add_argument("--persona", choices=PERSONAS, default="mindfulness")
    demo.add_argument("--years", type=int, default=3, help="years of history (1-40)")
    demo.add_argument("--scale", type=float, default=1.0, help="multiply every rate (0.1-20)")
    demo.add_argument("--seed", type=int, default=2026)
    demo.set_defaults(handler=run_demo)


def run_export(args: argparse.Namespace, ctx: CliContext) -> int:
    count = export_json(ctx.open().db, args.file)
    ctx.print(f"Exported {count} records to {args.file}")
    return 0


def run_import(args: argparse.Namespace, ctx: CliContext) -> int:
    summary = ctx.open().import_json(args.file)
    ctx.print(
        f"Imported {args.file.name}: {summary.added} added, {summary.updated} updated, "
        f"{summary.unchanged} already up to date"
    )
    return 0


def run_import_csv(args: argparse.Namespace, ctx: CliContext) -> int:
    kind = RecordKind(args.kind)
    if args.columns:
        ctx.print(", ".join(columns(kind)))
        return 0
    if args.file is None:
        raise SystemExit("import-csv: a FILE is required (or --columns)")
    result = ctx.open().import_csv(kind, args.file)
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
