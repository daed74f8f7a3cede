"""Portfolio export on a 50,000-entry logbook, against a bare ReportLab baseline of the same rows.

Run from the repository root:

    uv run python bench/bench_export.py            # 50,000 entries (and 25,000 for memory)
    uv run python bench/bench_export.py --entries 10000 --repeat 1

What is measured, each in the same run:

- the full generic portfolio (every section, all dates) with ``export_portfolio``, against a
  baseline that reads the same records and lays the same number of rows out as page-sized
  tables in a bare ReportLab document (standard font, no cover, contents, charts or footers);
- a one-year supervision log, against the same kind of baseline for that year's sessions;
- peak traced memory of the full portfolio at two logbook sizes, to show it grows no more than
  linearly with the rows.

Targets: full portfolio within 1.5x of its baseline; one-year supervision log under 1 s.

With ``--logs`` it measures, on the shared 50,000-entry logbook and in one run, the full
portfolio as exported by default (practice and personal practice month by month) and with those
logs entry by entry as well: the whole export, and its rendering against a bare ReportLab
document of exactly the tables it prints (taken from the layout's own story), in the same
embedded font (a portfolio must embed its fonts, for PDF/A and PDF/UA and for the scripts its
users write; the same document in unembedded Helvetica is printed alongside for reference):

    uv run python bench/bench_export.py --logs

With ``--proof`` it measures instead, on the shared 50,000-entry logbook of ``bench/common.py``
and in one run: the full portfolio rendered without evidence or signature, against the same
export with its evidence inside and signed with the practitioner's identity (and as PDF/A-3b),
then ``verify-portfolio``'s check of the signed file:

    uv run python bench/bench_export.py --proof
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Table, TableStyle

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import big_logbook, timed
from logbook.domain.catalogue import KINDS
from logbook.domain.periods import ALL_TIME, Period
from logbook.domain.queries import RecordQuery
from logbook.domain.records import RecordKind
from logbook.export import fonts
from logbook.export.cells import monthly_rows
from logbook.export.data import PortfolioData
from logbook.export.document import PagedTable
from logbook.export.layouts import LAYOUTS
from logbook.export.layouts.portfolio import MONTHLY_KINDS
from logbook.services.demo import generate_demo
from logbook.services.export import (
    UNDATED_KINDS,
    ExportOptions,
    export_portfolio,
    gather_portfolio,
    render_portfolio,
    renderer_for,
)
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.services.portfolio_check import check_portfolio

TODAY = date(2026, 4, 30)
ROWS_PER_TABLE = 40


def build_logbook(folder: Path, entries: int) -> Logbook:
    """A demo PWP career scaled to about ``entries`` records."""
    logbook = Logbook.open(DataLocation(folder))
    # Twenty years of a PWP's record holds about 18,500 entries at scale 1.
    result = generate_demo(
        logbook, persona="pwp", years=20, scale=entries / 18_500, seed=7, today=TODAY
    )
    print(f"  logbook of {result.total:,} records in {folder}")
    return logbook


def baseline(
    logbook: Logbook,
    kinds: list[RecordKind],
    period: Period,
    out: Path,
    monthly: frozenset[RecordKind] = frozenset(),
) -> int:
    """Read the same records and lay them out as page-sized tables in a bare document; the
    kinds in ``monthly`` as the portfolio summarises them, a row per month and setting."""
    story = []
    rows_total = 0
    width = A4[0] - 72
    for kind in kinds:
        if kind in UNDATED_KINDS:
            records = logbook.records.all(kind)
        else:
            records = logbook.records.query(
                RecordQuery(kind, period=period, limit=None, descending=False)
            )
        if kind in monthly:
            header = ["month", "group", "entries", "minutes"]
            rows = [
                [r.month, r.group, str(len(r.records)), str(r.minutes)]
                for r in monthly_rows(records)
            ]
        else:
            names = [
                n
                for n in KINDS[kind].field_names
                if n not in ("uid", "created_at", "updated_at", "revision")
            ][:8]
            header = names
            rows = [[str(getattr(r, n))[:40] for n in names] for r in records]
        rows_total += len(rows)
        names = header
        widths = [width / len(names)] * len(names)
        for start in range(0, len(rows), ROWS_PER_TABLE):
            table = Table(
                [header, *rows[start : start + ROWS_PER_TABLE]], colWidths=widths, repeatRows=1
            )
            table.setStyle(TableStyle([("FONTSIZE", (0, 0), (-1, -1), 6)]))
            story.append(table)
    SimpleDocTemplate(str(out), pagesize=A4).build(story)
    return rows_total


def peak_memory(action: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


PROOF_PASSPHRASE = "a bench practitioner's passphrase"


def logs(repeat: int) -> None:
    """The full portfolio with its long logs month by month (as exported by default) and entry
    by entry (the appendix added): the whole export, and its rendering against a bare document
    of exactly the tables it prints."""
    logbook = Logbook.open(big_logbook(), auto_backup=False)
    fonts.register_fonts()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pages: dict[str, int] = {}
        gathered = {
            name: gather_portfolio(logbook, ExportOptions(ALL_TIME, entry_by_entry=appendix))
            for name, appendix in (("monthly", False), ("entries", True))
        }

        def export(name: str) -> Callable[[], None]:
            def run() -> None:
                options = ExportOptions(ALL_TIME, entry_by_entry=name == "entries")
                pages[name] = export_portfolio(logbook, root / f"{name}.pdf", options).pages

            return run

        def render(name: str) -> Callable[[], None]:
            def run() -> None:
                with (root / f"{name}-render.pdf").open("wb") as stream:
                    render_portfolio(gathered[name], "portfolio", stream)

            return run

        def bare(name: str, font: str = fonts.CONDENSED) -> Callable[[], None]:
            tables = printed_tables(gathered[name])
            return lambda: bare_document(tables, root / f"{name}-bare.pdf", font)

        def standard(name: str) -> Callable[[], None]:
            return bare(name, "Helvetica")

        print(f"Timing (median of {repeat}) on {big_logbook().root} …")
        times = {
            f"{name}-{step}": timed(action(name), repeat)
            for name in ("monthly", "entries")
            for step, action in (
                ("export", export),
                ("render", render),
                ("bare", bare),
                ("standard", standard),
            )
        }
        for name, title in (
            ("monthly", "Long logs month by month (the default)"),
            ("entries", "Long logs entry by entry as well (the appendix added)"),
        ):
            rows = sum(len(table) for table in printed_tables(gathered[name]))
            ratio = times[f"{name}-render"] / times[f"{name}-bare"]
            print(f"{title}: {pages[name]:,} pages, {rows:,} table rows")
            print(
                f"  export_portfolio (read, check, render, seal) {times[f'{name}-export']:7.2f} s"
            )
            print(
                f"  rendering the data read                      {times[f'{name}-render']:7.2f} s"
            )
            print(f"  bare ReportLab document of the same tables   {times[f'{name}-bare']:7.2f} s")
            print(f"  ratio, rendering to bare                     {ratio:7.2f}x (target <= 1.5x)")
            sizes = [(root / f"{name}{end}.pdf").stat().st_size / 2**20 for end in ("", "-render")]
            print(f"  file saved {sizes[0]:.1f} MiB; as rendered, unsealed {sizes[1]:.1f} MiB")
            standard = times[f"{name}-standard"]
            print(
                f"  (the bare document in Helvetica, which is not embedded and prints only "
                f"Latin text: {standard:.2f} s, {times[f'{name}-render'] / standard:.2f}x)"
            )
    logbook.close()


def printed_tables(data: PortfolioData) -> list[list[list[str]]]:
    """Every table the generic portfolio prints for ``data``, as rows of cell text."""
    tables: list[list[list[str]]] = []
    for flowable in renderer_for("portfolio")().story(data):
        tables += tables_in(flowable)
    return tables


def tables_in(flowable: Any) -> list[list[list[str]]]:
    """The tables in a flowable (and in what it keeps together), as rows of cell text."""
    if isinstance(flowable, PagedTable):
        return [[flowable.body.header, *flowable.body.cells]]
    if isinstance(flowable, Table):
        return [[[cell_text(cell) for cell in row] for row in flowable._cellvalues]]
    if isinstance(flowable, KeepTogether):
        return [table for inner in flowable._content for table in tables_in(inner)]
    return []


def cell_text(cell: Any) -> str:
    if isinstance(cell, Paragraph):
        return str(cell.getPlainText())
    return cell if isinstance(cell, str) else ""


def bare_document(tables: list[list[list[str]]], out: Path, font: str = "Helvetica") -> None:
    """The tables in a bare ReportLab document: one font, equal columns, the header row
    repeated on every page; no cover, contents, charts, footers, fitting or tags."""
    story = []
    width = A4[0] - 72
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), font, 9),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    for header, *rows in tables:
        widths = [width / max(1, len(header))] * len(header)
        for start in range(0, max(1, len(rows)), ROWS_PER_TABLE):
            table = Table(
                [header, *rows[start : start + ROWS_PER_TABLE]], colWidths=widths, repeatRows=1
            )
            table.setStyle(style)
            story.append(table)
    SimpleDocTemplate(str(out), pagesize=A4).build(story)


def proof(repeat: int) -> None:
    """Export with evidence and signature against without, and the check of the signed file."""
    logbook = Logbook.open(big_logbook(), auto_backup=False)
    store = logbook.signoff.identities
    made = store.list()
    identity = made[0] if made else store.create("Bench Practitioner", PROOF_PASSPHRASE)
    signed = ExportOptions(
        ALL_TIME, sign_with=identity.fingerprint, passphrase=lambda _: PROOF_PASSPHRASE
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)

        def plain() -> None:
            data = gather_portfolio(logbook, ExportOptions(ALL_TIME))
            with (root / "plain.pdf").open("wb") as stream:
                render_portfolio(data, "portfolio", stream)

        def sealed() -> None:
            export_portfolio(logbook, root / "signed.pdf", signed)

        def archived() -> None:
            export_portfolio(logbook, root / "signed-a.pdf", replace(signed, pdfa=True))

        def verify() -> None:
            report = check_portfolio(root / "signed.pdf")
            assert report.ok, report.problems[:3]

        print(f"Timing (median of {repeat}) on {big_logbook().root} …")
        times = {
            name: timed(action, repeat)
            for name, action in (
                ("plain", plain),
                ("signed", sealed),
                ("archived", archived),
                ("verify", verify),
            )
        }
        pages = check_portfolio(root / "signed.pdf").pages
        print(f"Full generic portfolio, {pages} pages")
        print(f"  rendered, no evidence or signature   {times['plain']:7.2f} s")
        print(
            f"  evidence inside and signed           {times['signed']:7.2f} s "
            f"({times['signed'] / times['plain']:.2f}x)"
        )
        print(
            f"  the same as PDF/A-3b                 {times['archived']:7.2f} s "
            f"({times['archived'] / times['plain']:.2f}x)"
        )
        print(f"  verify-portfolio on the signed file  {times['verify']:7.2f} s")
        for name in ("plain.pdf", "signed.pdf", "signed-a.pdf"):
            print(f"  {name:<14} {(root / name).stat().st_size / 2**20:7.1f} MiB")
    logbook.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--proof", action="store_true", help="evidence and signature against none, and the check"
    )
    parser.add_argument(
        "--logs",
        action="store_true",
        help="long logs month by month against entry by entry, each against its baseline",
    )
    args = parser.parse_args()
    if args.proof:
        proof(args.repeat)
        return
    if args.logs:
        logs(args.repeat)
        return

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"Building a logbook of about {args.entries:,} entries …")
        logbook = build_logbook(root / "big", args.entries)
        full_kinds = sorted(LAYOUTS["portfolio"].kinds_needed(None))
        counted = sum(logbook.records.count(k) for k in full_kinds)
        year = Period(date(2025, 1, 1), date(2025, 12, 31))
        year_sessions = logbook.records.summarise(
            RecordQuery(RecordKind.SUPERVISION, period=year)
        ).count

        results = {}
        pages = {}

        def full() -> None:
            result = export_portfolio(logbook, root / "full.pdf", ExportOptions(ALL_TIME))
            pages["full"] = result.pages

        def full_base() -> None:
            baseline(
                logbook, full_kinds, ALL_TIME, root / "full-base.pdf", frozenset(MONTHLY_KINDS)
            )

        def log() -> None:
            result = export_portfolio(
                logbook, root / "log.pdf", ExportOptions(year, layout="supervision")
            )
            pages["log"] = result.pages

        def log_base() -> None:
            baseline(logbook, [RecordKind.SUPERVISION], year, root / "log-base.pdf")

        print(f"Timing (median of {args.repeat}) …")
        for name, action in (
            ("full", full),
            ("full-base", full_base),
            ("log", log),
            ("log-base", log_base),
        ):
            results[name] = timed(action, args.repeat)

        print()
        print(f"Full generic portfolio, {counted:,} entries, {pages['full']} pages")
        print(f"  export_portfolio        {results['full']:7.2f} s")
        print(f"  bare ReportLab baseline {results['full-base']:7.2f} s")
        print(
            f"  ratio                   {results['full'] / results['full-base']:7.2f}x "
            "(target <= 1.5x)"
        )
        print(f"One-year supervision log, {year_sessions:,} sessions, {pages['log']} pages")
        print(f"  export_portfolio        {results['log']:7.2f} s (target < 1 s)")
        print(f"  bare ReportLab baseline {results['log-base']:7.2f} s")
        print(f"  ratio                   {results['log'] / results['log-base']:7.2f}x")

        logbook.close()
        print()
        print("Peak traced memory of the full portfolio at two sizes …")
        sizes = []
        for entries in (args.entries // 2, args.entries):
            folder = root / f"mem-{entries}"
            book = build_logbook(folder, entries)
            rows = sum(book.records.count(k) for k in full_kinds)
            peak = peak_memory(
                lambda book=book: export_portfolio(book, root / "mem.pdf", ExportOptions(ALL_TIME))
            )
            book.close()
            sizes.append((rows, peak))
            print(
                f"  {rows:>7,} entries: peak {peak / 2**20:7.1f} MiB "
                f"({peak / rows / 1024:5.1f} KiB per entry)"
            )
        (small_rows, small_peak), (big_rows, big_peak) = sizes
        growth = (big_peak / small_peak) / (big_rows / small_rows)
        print(
            f"  memory grows {big_peak / small_peak:.2f}x for {big_rows / small_rows:.2f}x "
            f"the entries (ratio {growth:.2f}; at most 1.0 is linear or better)"
        )


if __name__ == "__main__":
    main()
