"""``export-pdf``: the portfolio PDF from the command line (same options as the export dialog),
signed with the practitioner's signing identity when asked."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbook.cli.arguments import day
from logbook.cli.context import CliContext, prompt_secret
from logbook.cli.signoff import ENV_SIGNING_PASSPHRASE
from logbook.domain.errors import LogbookError, ValidationError
from logbook.domain.periods import Period, year_of

if TYPE_CHECKING:
    from logbook.domain.identity import PublicIdentity

# A passphrase file holds one line; anything much larger is not one.
MAX_PASSPHRASE_FILE = 4096
# A statement is a few thousand words at most.
MAX_STATEMENT_FILE = 64 * 1024


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "export-pdf",
        help="export the portfolio (or a body's layout) as a PDF",
        prepare=_arguments,
    )
    parser.set_defaults(handler=run_export)


def _arguments(parser: argparse.ArgumentParser) -> None:
    # The layouts are listed from their renderers, which need ReportLab: only export-pdf loads it.
    from logbook.services.export import layout_choices

    layouts = "; ".join(f"{key}: {title}" for key, title, _ in layout_choices())
    parser.description = "Export a portfolio PDF for a period. Layouts: " + layouts + "."
    parser.add_argument("output", type=Path, metavar="OUT.pdf", help="file to write")
    parser.add_argument(
        "--layout",
        default="portfolio",
        choices=[key for key, _, _ in layout_choices()],
        help="document layout (default: portfolio); with no dates given, each covers the "
        "period its body asks about: nmc the revalidation cycle, hcpc two years, supervision "
        "twelve months, the portfolio everything",
    )
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--year", type=int, help="a calendar year")
    when.add_argument(
        "--cycle",
        nargs="?",
        const="",
        metavar="BODY",
        help="the current registration cycle (of BODY, e.g. NMC, when you have several)",
    )
    parser.add_argument("--from", dest="start", type=day, help="first date, e.g. 1/4/2026")
    parser.add_argument("--to", dest="end", type=day, help="last date, e.g. 31/3/2027")
    parser.add_argument(
        "--sections",
        help="comma-separated sections to include (default: all); "
        "see --list-sections for a layout's sections",
    )
    parser.add_argument(
        "--list-sections", action="store_true", help="list the layout's sections and stop"
    )
    parser.add_argument(
        "--include-private-reflections",
        action="store_true",
        help="include reflections marked private (the cover then carries a warning)",
    )
    parser.add_argument("--pdfa", action="store_true", help="write PDF/A-3b for archiving")
    parser.add_argument(
        "--compact", action="store_true", help="no cover or contents page (a short summary)"
    )
    parser.add_argument(
        "--entry-by-entry",
        action="store_true",
        help="add the long logs (practice, personal practice) entry by entry as an appendix, "
        "beside their month-by-month summaries",
    )
    parser.add_argument(
        "--statement",
        action="append",
        default=[],
        metavar="SECTION=FILE",
        help="your own words for a section that asks for them, from a UTF-8 text file (e.g. "
        "practice_summary=summary.txt for the HCPC layout); see --list-sections",
    )
    parser.add_argument(
        "--sign-with",
        metavar="FINGERPRINT",
        help="sign the PDF with your signing identity kept on this computer (see 'identity "
        "list'); its passphrase is asked for, or read from --passphrase-file or "
        f"${ENV_SIGNING_PASSPHRASE}",
    )
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FILE",
        help="a file whose first line is the signing identity's passphrase (for scripts)",
    )


def _period(args: argparse.Namespace, ctx: CliContext) -> Period:
    from logbook.services.export import default_period, registration_cycles

    if (args.year or args.cycle is not None) and (args.start or args.end):
        raise ValidationError([], "Give either --year, --cycle or --from/--to, not several")
    if args.year:
        return year_of(date(args.year, 1, 1))
    if args.cycle is not None:
        cycles = registration_cycles(ctx.open().records.profile())
        wanted = args.cycle.strip().lower()
        matching = [c for c in cycles if c.label.lower().startswith(wanted)] if wanted else cycles
        if not matching:
            known = (
                ", ".join(c.label for c in cycles) or "none (add a renewal date to a registration)"
            )
            raise ValidationError(
                [], f"No registration cycle matches '{args.cycle}'. Cycles: {known}"
            )
        if len(matching) > 1:
            names = ", ".join(c.label for c in matching)
            raise ValidationError([], f"Several cycles match; name the body with --cycle: {names}")
        return matching[0].period
    if args.start and args.end and args.end < args.start:
        raise ValidationError([], "--to is before --from")
    if args.start or args.end:
        return Period(args.start, args.end)
    found = default_period(args.layout, ctx.open().records.profile())
    return found.period if found is not None else Period()


def run_export(args: argparse.Namespace, ctx: CliContext) -> int:
    from logbook.services.export import ExportOptions, export_portfolio, renderer_for

    renderer = renderer_for(args.layout)
    if args.list_sections:
        for section in renderer.sections():
            asked = "  (only when asked for)" if section.on_request else ""
            if section.statement:
                asked = f"  (your own words: --statement {section.key}=FILE)"
            ctx.print(f"{section.key:22} {section.title}{asked}")
        return 0
    sections = (
        frozenset(s.strip() for s in args.sections.split(",") if s.strip())
        if args.sections
        else None
    )
    if args.passphrase_file and not args.sign_with:
        raise ValidationError([], "--passphrase-file needs --sign-with FINGERPRINT")
    options = ExportOptions(
        period=_period(args, ctx),
        layout=args.layout,
        sections=sections,
        include_private=args.include_private_reflections,
        pdfa=args.pdfa,
        compact=args.compact,
        entry_by_entry=args.entry_by_entry,
        statements=dict(read_statement(given) for given in args.statement),
        sign_with=args.sign_with,
        passphrase=_passphrase_source(args.passphrase_file),
    )
    result = export_portfolio(ctx.open(), args.output, options)
    ctx.print(
        f"Wrote {result.path} ({result.pages} pages, {renderer.title}, "
        f"{result.period.describe()}" + (", PDF/A-3b" if result.pdfa else "") + ")"
    )
    ctx.print(f"Document fingerprint {result.document_id}")
    if result.signed_by is None:
        ctx.print("Not signed: give --sign-with FINGERPRINT to sign it as yours.")
    else:
        ctx.print(f"Signed by {result.signed_by.name} (key {result.signed_by.fingerprint}).")
    if options.include_private:
        ctx.print("Note: this PDF includes private reflections.")
    return 0


def _passphrase_source(path: Path | None) -> Callable[[PublicIdentity], str]:
    """Where the signing passphrase comes from: the file given, else the environment or a
    prompt on the terminal (never the command line itself)."""
    if path is not None:
        return lambda identity: read_passphrase_file(path)

    def ask(identity: PublicIdentity) -> str:
        if value := os.environ.get(ENV_SIGNING_PASSPHRASE):
            return value
        question = f"Passphrase of {identity.name} ({identity.fingerprint}): "
        return prompt_secret(question, ENV_SIGNING_PASSPHRASE)

    return ask


def read_statement(given: str) -> tuple[str, str]:
    """A section's key and the statement written for it, from "SECTION=FILE".

    Raises:
        LogbookError: the argument has no "=", or the file is missing, unreadable, too large
            or not text.
    """
    key, sep, name = given.partition("=")
    if not sep or not key.strip() or not name.strip():
        raise LogbookError(f"--statement {given}: give it as SECTION=FILE.")
    path = Path(name.strip()).expanduser()
    text = read_small_text(path, "statement file", MAX_STATEMENT_FILE)
    return key.strip(), text.strip()


def read_small_text(path: Path, what: str, limit: int) -> str:
    """The UTF-8 text of a small file given on the command line (``what`` names it in
    messages), refused unread when larger than ``limit`` bytes.

    Raises:
        LogbookError: the file is missing, unreadable, too large or not UTF-8 text.
    """
    try:
        if path.stat().st_size > limit:
            raise LogbookError(f"The {what} {path} is too large to be one.")
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise LogbookError(f"The {what} {path} does not exist.") from None
    except UnicodeDecodeError:
        raise LogbookError(f"The {what} {path} is not UTF-8 text.") from None
    except OSError as problem:
        raise LogbookError(f"{path} cannot be read: {problem.strerror or problem}.") from None


def read_passphrase_file(path: Path) -> str:
    """The first line of a passphrase file.

    Raises:
        LogbookError: the file is missing, unreadable, too large, not text or empty.
    """
    text = read_small_text(path, "passphrase file", MAX_PASSPHRASE_FILE)
    first = text.splitlines()[0] if text else ""
    if not first:
        raise LogbookError(
            f"The passphrase file {path} is empty: put the passphrase on its first line."
        )
    return first
