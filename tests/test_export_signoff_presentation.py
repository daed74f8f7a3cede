"""How a portfolio shows what is signed: coverage lines, the sign-off column of every log, the
notes a reviewer must see beside an entry, and an appendix grouped by signing.

One logbook holds entries in every sign-off state a reviewer may meet: signed in person, in a
batch and remotely, co-signed in the supervisor's place, signed by someone other than the
supervisor named, changed since signed, returned with a comment, revoked, awaiting and unsigned.
Each signing happens a day after the one before, so the appendix's order can be checked.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pypdf
import pytest

from logbook.domain.identity import SealedIdentity
from logbook.domain.periods import Period
from logbook.domain.queries import RecordQuery
from logbook.domain.records import (
    CpdActivity,
    Person,
    Record,
    RecordKind,
    SupervisionSession,
)
from logbook.domain.signing import EventType
from logbook.export.cells import fingerprint_text
from logbook.export.layouts import LAYOUTS
from logbook.services.export import ExportOptions, export_portfolio
from logbook.services.logbook import Logbook
from logbook.services.signoff import inbox, keys, local, requests, responses
from logbook.services.signoff.inbox import Decision
from tests.signoff_support import PASSPHRASE, confirm_supervisor, new_identity
from tests.test_export_pdf import NOW, YEAR, _fill

K = RecordKind
RHONA = "Dr Rhona Fraser"
LOCUM = "Dr Lee Locum"
RETURN_COMMENT = "Please add the action points we agreed in August."
REVOKE_REASON = "Signed in error: we did not meet that week."
COSIGN_REASON = "Sam was on leave; I ran the group that day."


@dataclasses.dataclass
class Signed:
    """The logbook, and the keys that signed in it."""

    book: Logbook
    rhona: SealedIdentity
    locum: SealedIdentity


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sign-off's clock moves on a day each time it is read."""
    moments = (datetime(2026, 1, 5, 9, 0, tzinfo=UTC) + timedelta(days=d) for d in range(1_000))
    for module in (local, inbox, keys, requests, responses):
        monkeypatch.setattr(module, "utc_now", lambda: next(moments))


def _sessions(book: Logbook, name: str) -> dict[date, SupervisionSession]:
    """Supervision received with the person called ``name``, by date."""
    people = {p.uid for p in book.records.all(K.PERSON) if isinstance(p, Person) and p.name == name}
    found = book.records.query(RecordQuery(K.SUPERVISION, period=YEAR, limit=None))
    return {
        s.date: s
        for s in found
        if isinstance(s, SupervisionSession) and s.counterpart_uid in people
    }


def _cpd(book: Logbook, title: str) -> CpdActivity:
    found = book.records.query(RecordQuery(K.CPD, period=YEAR, limit=None))
    return next(r for r in found if isinstance(r, CpdActivity) and r.title == title)


def _remote(
    book: Logbook,
    supervisor_book: Logbook,
    identity: SealedIdentity,
    signed: Record,
    returned: Record,
    folder: Path,
) -> None:
    """Ask Dr Fraser by file; she signs one entry and returns the other with a comment."""
    request, response = folder / "request.json", folder / "response.json"
    book.signoff.create_request([signed, returned], request, supervisor_name=RHONA)
    entry = supervisor_book.signoff.open_request(request).entry
    decisions = {signed.uid: Decision.signed(), returned.uid: Decision.returned(RETURN_COMMENT)}
    supervisor_book.signoff.respond(entry.uid, decisions, identity, PASSPHRASE, response)
    book.signoff.apply_response(response)


@pytest.fixture
def signed(logbook: Logbook, supervisor_book: Logbook, clock: None, tmp_path: Path) -> Signed:
    """The year of every kind, with entries in every sign-off state."""
    book = logbook
    _fill(book)
    rhona = new_identity(book, RHONA)
    confirm_supervisor(book, rhona, RHONA)
    own, peer = _sessions(book, RHONA), _sessions(book, "Sam Okafor")

    # In person, together; then one more, edited afterwards.
    book.signoff.sign([own[date(2025, 1, 10)], own[date(2025, 2, 10)]], rhona, PASSPHRASE)
    book.signoff.sign([own[date(2025, 4, 10)]], rhona, PASSPHRASE)
    april = book.records.get(K.SUPERVISION, own[date(2025, 4, 10)].uid)
    book.records.update(dataclasses.replace(april, themes=("theme-04", "added later")))

    # A month of practice as a batch; CPD in person, one of them edited afterwards.
    book.signoff.sign_batch(
        K.PRACTICE, Period(date(2025, 3, 1), date(2025, 3, 31)), rhona, PASSPHRASE
    )
    book.signoff.sign([_cpd(book, "cpd-risk-workshop")], rhona, PASSPHRASE)
    book.signoff.sign([_cpd(book, "cpd-compassion-course")], rhona, PASSPHRASE)
    compassion = _cpd(book, "cpd-compassion-course")
    book.records.update(dataclasses.replace(compassion, learning_outcomes="rewritten outcome"))

    # Dr Fraser signs Sam Okafor's group in his place.
    book.signoff.sign([peer[date(2025, 3, 20)]], rhona, PASSPHRASE, cosign_reason=COSIGN_REASON)
    # A key in Sam Okafor's name signs his June group; it is later confirmed as Dr Locum's.
    locum = new_identity(book, "Sam Okafor")
    book.signoff.sign([peer[date(2025, 6, 20)]], locum, PASSPHRASE)
    book.records.create(Person(name=LOCUM))
    confirm_supervisor(book, locum, LOCUM)

    # Remote: July signed, August returned with a comment.
    _remote(book, supervisor_book, rhona, own[date(2025, 7, 10)], own[date(2025, 8, 10)], tmp_path)

    # September signed and then revoked; October awaiting an answer.
    book.signoff.sign([own[date(2025, 9, 10)]], rhona, PASSPHRASE)
    history = book.signoff.history(own[date(2025, 9, 10)].uid)
    event = next(e for e in history if e.event_type is EventType.SIGNED)
    book.signoff.revoke(event.uid, REVOKE_REASON, by=RHONA)
    book.signoff.create_request(
        [own[date(2025, 10, 10)]], tmp_path / "later.json", supervisor_name=RHONA
    )
    return Signed(book, rhona, locum)


def _export(
    book: Logbook, path: Path, layout: str = "portfolio", *, entry_by_entry: bool = False
) -> str:
    options = ExportOptions(YEAR, layout=layout, entry_by_entry=entry_by_entry)
    export_portfolio(book, path, options, now=NOW)
    pages = [page.extract_text() for page in pypdf.PdfReader(path).pages]
    return re.sub(r"\s+", " ", " ".join(pages))


def _section(text: str, heading: str, following: str) -> str:
    """The text of a section, from its numbered heading ("4 Practice") to the next one's; the
    contents page lists both first."""
    start = text.rindex(f" {heading} ")
    end = text.find(f" {following} ", start)
    return text[start : end if end > 0 else len(text)]


# --- coverage ----------------------------------------------------------------------------------


def test_each_log_says_how_many_of_its_entries_are_signed(signed: Signed, tmp_path: Path) -> None:
    text = _export(signed.book, tmp_path / "p.pdf")
    # 17 sessions: Jan, Feb, the co-signed group, June (not the supervisor) and July are
    # signed; April changed, August returned, September revoked, October awaiting.
    assert (
        "Supervision: 5 of 17 sessions signed (29 %); 1 signed by someone other than the "
        "supervisor named, 1 changed since signed, 1 returned, 1 awaiting sign-off, 1 revoked."
    ) in text
    assert "Practice: 2 of 24 entries signed (8 %)." in text
    assert "CPD: 1 of 4 activities signed (25 %); 1 changed since signed." in text
    assert "Teaching course: 0 of 1 course signed (0 %)." in text


def test_the_summary_and_cover_count_what_is_signed(signed: Signed, tmp_path: Path) -> None:
    text = _export(signed.book, tmp_path / "p.pdf")
    summary = _section(text, "1 Summary", "2 Requirement status")
    assert re.search(r"Supervision 17 [\d.]+ 5 \(29 %\)", summary)
    assert re.search(r"Practice 24 [\d.]+ 2 \(8 %\)", summary)
    assert (
        "Supervision: 5 of 17 sessions signed (29 %); 1 signed by someone other than the "
        "supervisor named"
    ) in summary
    assert "CPD: 1 of 4 activities signed (25 %); 1 changed since signed." in summary
    cover = text[: text.index("Contents")]
    assert "Entries signed Supervision: 5 of 17 sessions; Practice: 2 of 24 entries;" in cover


def test_the_supervision_log_counts_received_and_given_apart(
    signed: Signed, tmp_path: Path
) -> None:
    text = _export(signed.book, tmp_path / "s.pdf", layout="supervision")
    assert "Supervision received: 5 of 16 sessions signed (31 %)" in text
    assert "Supervision given: 0 of 1 session signed (0 %)." in text


# --- the sign-off column -----------------------------------------------------------------------


def test_practice_and_cpd_logs_show_each_entrys_sign_off(signed: Signed, tmp_path: Path) -> None:
    text = _export(signed.book, tmp_path / "p.pdf", entry_by_entry=True)
    summary = _section(text, "4 Practice", "5 Teaching courses")
    assert re.search(r"Mar 2025 .{0,80}? 2 of \d+", summary)
    practice = _section(text, "14.1 Practice", "14.2 Personal practice")
    assert "Sign-off" in practice
    assert re.search(r"03 Mar 2025 .{0,160}?Signed Dr Rhona Fraser", practice)
    assert re.search(r"17 Feb 2025 .{0,160}?Not signed", practice)
    assert practice.count("Signed Dr Rhona Fraser") == 2
    cpd = _section(text, "6 Continuing professional development", "7 Personal practice")
    assert re.search(r"cpd-risk-workshop .{0,200}?Signed Dr Rhona Fraser", cpd)
    assert re.search(r"cpd-compassion-course .{0,200}?Changed since signed", cpd)
    assert re.search(r"cpd-chronic-pain .{0,200}?Not signed", cpd)


def test_an_entry_shows_who_signed_it_in_the_supervisors_place_and_why(
    signed: Signed, tmp_path: Path
) -> None:
    log = _section(_export(signed.book, tmp_path / "p.pdf"), "3 Supervision", "4 Practice")
    assert f"by {RHONA}, in the supervisor's place: {COSIGN_REASON}" in log
    assert f"by {LOCUM}, not the supervisor named" in log


def test_a_returned_entry_shows_the_supervisors_comment(signed: Signed, tmp_path: Path) -> None:
    log = _section(
        _export(signed.book, tmp_path / "s.pdf", "supervision"),
        "2 Supervision received",
        "3 Supervision given",
    )
    assert f"Returned by {RHONA} “{RETURN_COMMENT}”" in log
    assert f"Revoked “{REVOKE_REASON}”" in log
    assert re.search(r"10 Oct 2025 .{0,200}?Awaiting", log)
    assert re.search(r"10 Nov 2025 .{0,200}?Not signed", log)


# --- the appendix ------------------------------------------------------------------------------


def _appendix(text: str) -> str:
    return text[text.index("Sign-off evidence Every signature") :]


def test_the_appendix_has_one_block_per_signing_in_date_order(
    signed: Signed, tmp_path: Path
) -> None:
    appendix = _appendix(_export(signed.book, tmp_path / "p.pdf"))
    heads = re.findall(
        r"(\d\d \w{3} \d{4} \d\d:\d\d) · (In person, signed together|In person|Batch: [^·]+?|"
        r"Remote sign-off of a request|Period summary) ·",
        appendix,
    )
    kinds = [kind.strip() for _, kind in heads]
    assert kinds == [
        "In person, signed together",  # January and February
        "In person",  # April, changed since
        "Batch: All practice in 01 Mar 2025 – 31 Mar 2025",
        "In person",  # CPD
        "In person",  # CPD, changed since
        "In person",  # co-signed
        "In person",  # Sam Okafor's key, confirmed as Dr Locum's
        "Remote sign-off of a request",
    ]
    moments = [datetime.strptime(moment, "%d %b %Y %H:%M") for moment, _ in heads]
    assert moments == sorted(moments)
    # A block lists its entries in date order, under its signer and key.
    batch = appendix[appendix.index("Batch:") :]
    assert batch.index("03 Mar 2025") < batch.index("17 Mar 2025")
    assert f"Signed by {RHONA} · HCPC PYL04321 · NHS Lothian" in appendix
    # The revoked signature is not listed as a signature; returns and revocations are.
    assert "Returned entries and withdrawn signatures" in appendix
    assert RETURN_COMMENT in appendix
    assert REVOKE_REASON in appendix


def test_the_appendix_names_the_signer_who_is_not_the_supervisor(
    signed: Signed, tmp_path: Path
) -> None:
    appendix = _appendix(_export(signed.book, tmp_path / "p.pdf"))
    assert f"Signed by {LOCUM}, not the supervisor named (Sam Okafor)" in appendix
    assert f", as the key of {LOCUM}" in appendix
    assert f"in the supervisor's place: {COSIGN_REASON}" in appendix


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_fingerprints_print_whole_in_the_monospaced_face(
    signed: Signed, tmp_path: Path, layout: str
) -> None:
    path = tmp_path / f"{layout}.pdf"
    text = _export(signed.book, path, layout)
    assert re.search(r"\w[\w /&-]*: \d+ of \d+ [\w ]+ signed \(\d+ %\)", text), layout
    plain = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    )
    assert f"Key {fingerprint_text(signed.rhona.fingerprint)} ·" in plain.stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    assert "DejaVuSansMono" in fonts.stdout


def test_a_layout_lists_only_the_signatures_of_entries_it_contains(
    signed: Signed, tmp_path: Path
) -> None:
    # The teacher record lists the supervision of its courses (March and April) only.
    appendix = _appendix(_export(signed.book, tmp_path / "m.pdf", "mindfulness"))
    assert "Supervision 2025-04-10" in appendix
    assert "Supervision 2025-01-10" not in appendix
    assert "Batch:" not in appendix
