"""Demo logbooks made for a body and exported in its layout with the layout's default period,
read back as text: what the layout tests check each form's fields against."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from pypdf import PdfReader

from logbook.domain.periods import Period
from logbook.domain.records import Organisation, Person, Profile, Record, RecordKind
from logbook.services.demo import generate_demo
from logbook.services.export import ExportOptions, default_period, export_portfolio
from tests.signoff_support import open_book

R = TypeVar("R", bound=Record)
TODAY = date(2026, 11, 30)
EXPORTED = datetime(2026, 11, 30, 17, 0)  # made on the demo's last day


@dataclass(frozen=True)
class Exported:
    """A demo logbook's records and profile, the period exported and the PDF's text (words
    separated by single spaces)."""

    profile: Profile
    records: dict[RecordKind, list[Record]]
    period: Period
    text: str

    def section(self, title: str, following: str | None) -> str:
        """The text from the section headed ``title`` to the next one (past the contents)."""
        start = self.text.rindex(title)
        end = self.text.index(following, start) if following else len(self.text)
        return self.text[start:end]

    def of(self, kind: RecordKind) -> list[Record]:
        return self.records[kind]

    def in_period(self, kind: RecordKind, cls: type[R]) -> list[R]:
        """The records of ``kind`` dated within the period exported, oldest first."""
        found = (r for r in self.records[kind] if isinstance(r, cls))
        return sorted((r for r in found if self.period.contains(first_day(r))), key=first_day)

    def person(self, uid: str | None) -> Person:
        return next(p for p in self.of(RecordKind.PERSON) if isinstance(p, Person) and p.uid == uid)

    def organisation(self, uid: str | None) -> Organisation:
        return next(
            o
            for o in self.of(RecordKind.ORGANISATION)
            if isinstance(o, Organisation) and o.uid == uid
        )


def first_day(record: Record) -> date:
    """The day a dated record is filed under (its date, or the first day of what it covers)."""
    found = getattr(record, "date", None) or getattr(record, "start_date", None)
    assert isinstance(found, date)
    return found


def flat(path: Path) -> str:
    """The text of a PDF, its words separated by single spaces."""
    pages = PdfReader(path).pages
    return " ".join(" ".join(page.extract_text() or "" for page in pages).split())


def day(value: date) -> str:
    return value.strftime("%d %b %Y")


def export_demo(folder: Path, persona: str, layout: str) -> Exported:
    """The demo of ``persona`` made in ``folder``, exported in ``layout`` for its default period."""
    with open_book(folder / "logbook") as book:
        generate_demo(book, persona=persona, years=3, today=TODAY)
        profile = book.records.profile()
        assert profile is not None
        chosen = default_period(layout, profile, TODAY)
        assert chosen is not None
        export_portfolio(
            book, folder / f"{layout}.pdf", ExportOptions(chosen.period, layout), now=EXPORTED
        )
        records = {kind: list(book.records.all(kind)) for kind in RecordKind}
    return Exported(profile, records, chosen.period, flat(folder / f"{layout}.pdf"))
