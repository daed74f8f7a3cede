"""A practitioner's logbook with signed entries and a signing identity, its signed portfolio,
and a change to a printed number: what the portfolio checks are tried on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import pikepdf

from logbook.domain.periods import Period
from logbook.domain.records import Profile, Registration
from logbook.services.export import ExportOptions, export_portfolio
from logbook.services.logbook import Logbook
from tests.signoff_support import (
    PASSPHRASE,
    add_entries,
    add_practice_and_cpd,
    confirm_supervisor,
    light_kdf,
    open_book,
)

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
NOW = datetime(2026, 4, 1, 10, 0)
MY_PASSPHRASE = "a practitioner's own passphrase"


@contextmanager
def signed_logbook(folder: Path, name: str, supervisor: Path) -> Iterator[Logbook]:
    """A practitioner's logbook: supervision, practice and CPD, two sessions signed by the
    supervisor (whose key the practitioner confirmed), and the practitioner's own identity."""
    with open_book(folder) as book:
        book.records.create(
            Profile(name=name, registrations=(Registration(body="BABCP", number="123456"),))
        )
        entries = add_entries(book, 3)
        add_practice_and_cpd(book)
        with open_book(supervisor) as theirs:
            [identity] = theirs.signoff.identities.list()
        confirm_supervisor(book, identity)
        book.signoff.sign(entries[:2], identity, PASSPHRASE)
        book.signoff.identities.create(name, MY_PASSPHRASE, kdf=light_kdf())
        yield book


def export_signed(book: Logbook, target: Path, *, sign: bool = True, **options: object) -> None:
    [mine] = book.signoff.identities.list()
    chosen = ExportOptions(
        YEAR,
        sign_with=mine.fingerprint if sign else None,
        passphrase=lambda _identity: MY_PASSPHRASE,
        **options,  # type: ignore[arg-type]
    )
    export_portfolio(book, target, chosen, now=NOW)


def change_a_total(path: Path) -> None:
    """Print 30.0 hours where the portfolio printed 3.00 (digits its font already holds), and
    save the file anew."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            operations = pikepdf.parse_content_stream(page)
            found = [
                index
                for index, (operands, operator) in enumerate(operations)
                if str(operator) == "Tj" and bytes(operands[0]) == b"3.00"
            ]
            for index in found:
                operator = operations[index].operator
                operations[index] = pikepdf.ContentStreamInstruction(
                    [pikepdf.String(b"30.0")], operator
                )
            if found:
                page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operations))
                break
        else:
            raise AssertionError("no printed total 3.00 to change")
        pdf.save(path)
