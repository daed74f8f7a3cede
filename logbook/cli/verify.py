"""``verify-portfolio``: check a portfolio PDF with nothing but the file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from logbook.cli.context import CliContext
from logbook.domain.errors import LogbookError


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "verify-portfolio",
        help="check a portfolio PDF someone sent you (exit status 1 if it does not check out)",
        description="Check a portfolio PDF with nothing but the file: its signature, the "
        "evidence inside it against the fingerprint on every page, every sign-off signature, "
        "the signers printed, and the totals. Exits with 0 only when everything checks out.",
    )
    parser.add_argument("file", type=Path, metavar="FILE.pdf", help="the portfolio to check")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--logbook",
        action="store_true",
        help="also say whether you confirmed each signer's key in your own logbook "
        "(the one --data-dir names, or your usual one)",
    )
    parser.set_defaults(handler=run_verify_portfolio)


def run_verify_portfolio(args: argparse.Namespace, ctx: CliContext) -> int:
    from logbook.domain.proof_report import report_json, report_lines
    from logbook.services.portfolio_check import check_portfolio

    reviewer = None
    if args.logbook:
        if not ctx.location.database.exists():
            raise LogbookError(
                f"There is no logbook in {ctx.location.root} to compare the signers' keys with; "
                "leave out --logbook, or name your logbook's folder with --data-dir."
            )
        reviewer = ctx.open()
    report = check_portfolio(args.file, reviewer=reviewer)
    if args.json:
        ctx.print(json.dumps(report_json(report), indent=2, ensure_ascii=False))
    else:
        for line in report_lines(report):
            ctx.print(line)
    return 0 if report.ok else 1
