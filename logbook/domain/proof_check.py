"""Checking a portfolio PDF with nothing but the file: what its signature, the evidence inside
and the printed pages say together, in words a reviewer can act on.

The services read the file (its signature through a PDF validator, the evidence attachment, the
text of every page); everything here is plain reasoning over what they found:

* the document signature: present, intact, valid, covering every byte of the file (nothing
  appended after it), and made with the key the evidence names as the practitioner's, which the
  practitioner's logbook key vouches for;
* the pages: each prints the fingerprint of the evidence inside and "Page x of y" with the
  right x and y (a removed page shows here even in a file that is not signed);
* each sign-off inside: recorded as the logbook's audit chain says, its signature valid, about
  the entry content printed, and naming this practitioner; its signer's key, whether the
  practitioner confirmed it and whether the reviewer did;
* every sign-off state the document prints for an entry ("signed", "returned", "changed since
  signed", paper) is backed by what is inside, and every key fingerprint the pages print as a
  signer by a valid signature inside;
* the totals the document prints, recounted from the entries inside.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from logbook.domain.audit import Binding, check_action, link_hash
from logbook.domain.durations import hours
from logbook.domain.identity import PublicIdentity, fingerprint_of
from logbook.domain.proof import (
    DOCUMENT_FINGERPRINT,
    KEY_LINK_FORMAT,
    Evidence,
    EvidenceError,
    PrintedTotal,
    RecordedEvent,
    document_fingerprint,
    parse_evidence,
    recount,
)
from logbook.domain.proof_signoffs import (
    CoverageCheck,
    SignerCheck,
    SignoffCheck,
    check_printed,
    check_signoffs,
    unbacked_fingerprints,
)
from logbook.domain.records import RecordKind

KEY_FINGERPRINT = re.compile(r"(?<![0-9A-Z-])((?:[0-9A-Z]{4}-){3}[0-9A-Z]{4})(?![0-9A-Z-])")
# Only where the document labels it: an entry's own text cannot pass for it.
PRINTED_FINGERPRINT = re.compile(r"Document fingerprint:?\s+" + DOCUMENT_FINGERPRINT.pattern)
PAGE_NUMBER = re.compile(r"Page (\d+) of (\d+)")
# A cell that wraps a fingerprint breaks the line after one of its dashes.
_BROKEN_AFTER_DASH = re.compile(r"-[ \t]*\r?\n[ \t]*")

# --- what the services found in the file -------------------------------------------------------


@dataclass(frozen=True)
class DocumentSignature:
    """The PDF's own signature, as a PDF validator found it.

    Attributes:
        count: Signatures in the file (the first is the practitioner's).
        signer_key: The raw Ed25519 key of the signing certificate (b"" for another kind).
        intact: The bytes the signature covers are those that were signed.
        valid: The signature over them verifies with the certificate's key.
        whole_file: It covers every byte of the file: nothing was appended after it.
        problem: Why the signature could not be checked at all ("" when it could).
    """

    count: int = 0
    signer_name: str = ""
    signer_key: bytes = b""
    signed_at: datetime | None = None
    intact: bool = False
    valid: bool = False
    whole_file: bool = False
    problem: str = ""


@dataclass(frozen=True)
class PagesRead:
    """What the pages print that the check uses.

    Attributes:
        fingerprints: Per page, the document fingerprints it prints.
        numbers: Per page, its "Page x of y" (None when it prints none).
        key_fingerprints: Every key fingerprint printed anywhere.
    """

    count: int
    fingerprints: tuple[frozenset[str], ...]
    numbers: tuple[tuple[int, int] | None, ...]
    key_fingerprints: frozenset[str]


def read_pages(texts: Sequence[str]) -> PagesRead:
    """Pick out of each page's text its document fingerprints, page number and key
    fingerprints."""
    fingerprints, numbers, keys = [], [], set()
    for text in texts:
        joined = _BROKEN_AFTER_DASH.sub("-", text)
        fingerprints.append(frozenset(PRINTED_FINGERPRINT.findall(joined)))
        # The footer is drawn before the page's content, so its number comes first.
        found = PAGE_NUMBER.search(joined)
        numbers.append((int(found[1]), int(found[2])) if found else None)
        keys.update(KEY_FINGERPRINT.findall(joined))
    return PagesRead(len(texts), tuple(fingerprints), tuple(numbers), frozenset(keys))


# --- the verdict -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TotalCheck:
    """A total the document prints beside the same total counted from the entries inside."""

    label: str
    printed: PrintedTotal
    recounted: PrintedTotal

    @property
    def equal(self) -> bool:
        """Whether the printed count and hours are those of the entries."""
        return (self.printed.count, self.printed.minutes) == (
            self.recounted.count,
            self.recounted.minutes,
        )


@dataclass
class PortfolioReport:
    """Everything the check found, and whether the file checks out (no ``problems``)."""

    file: str
    pages: int = 0
    fingerprint: str = ""
    practitioner: str = ""
    signing_key: str = ""
    document: DocumentSignature = field(default_factory=DocumentSignature)
    problems: list[str] = field(default_factory=list)
    signoffs: list[SignoffCheck] = field(default_factory=list)
    signers: list[SignerCheck] = field(default_factory=list)
    unbacked: list[str] = field(default_factory=list)
    coverage: list[CoverageCheck] = field(default_factory=list)
    totals: list[TotalCheck] = field(default_factory=list)
    reviewer_checked: bool = False

    @property
    def ok(self) -> bool:
        """Whether the file is signed, unchanged, and everything in it checks out."""
        return not self.problems


def assess_portfolio(
    name: str,
    signature: DocumentSignature,
    evidence: bytes | None,
    pages: PagesRead,
    reviewer_keys: frozenset[str] | None = None,
    evidence_problem: str = "",
) -> PortfolioReport:
    """What a file proves, from its signature, the evidence inside (None: none) and its pages.

    Args:
        name: The file's name, as the report shows it.
        signature: The file's own signature, as the PDF validator found it.
        evidence: The bytes of the evidence attachment (None: the file has none).
        pages: What the pages print.
        reviewer_keys: Fingerprints the reviewer's own logbook confirmed (None: not checked).
        evidence_problem: Why the evidence attachment could not be taken out of the file.
    """
    report = PortfolioReport(name, pages.count, reviewer_checked=reviewer_keys is not None)
    found = _read_evidence(evidence, evidence_problem, report)
    if evidence is not None:
        report.fingerprint = document_fingerprint(evidence)
    report.document = signature
    report.problems += signature_problems(signature, found)
    report.problems += page_problems(pages, report.fingerprint)
    if found is None:
        return report
    report.practitioner = found.practitioner.name
    if found.practitioner.document_key is not None:
        report.signing_key = found.practitioner.document_key.fingerprint
    report.problems += key_link_problems(found)
    report.problems += history_problems(found)
    checked = check_signoffs(found, reviewer_keys)
    report.signoffs, report.signers = checked.checks, checked.signers
    report.problems += checked.problems
    printed = check_printed(found, report.signoffs, checked.confirmed)
    report.coverage = printed.coverage
    report.problems += printed.problems
    report.unbacked = unbacked_fingerprints(pages.key_fingerprints, found, report.signoffs)
    report.problems += [
        f"the pages print the key fingerprint {key} as a signer, but no valid signature by "
        "that key is inside the file"
        for key in report.unbacked
    ]
    report.totals = check_totals(found)
    report.problems += [_total_problem(total) for total in report.totals if not total.equal]
    return report


def _read_evidence(
    evidence: bytes | None, problem: str, report: PortfolioReport
) -> Evidence | None:
    if problem:
        report.problems.append(f"the evidence inside the file cannot be used: {problem}")
        return None
    if evidence is None:
        report.problems.append(
            "the file carries no evidence (portfolio-evidence.json): it was not made by "
            "Practice Logbook, or the evidence was removed"
        )
        return None
    try:
        return parse_evidence(evidence)
    except EvidenceError as error:
        report.problems.append(f"the evidence inside the file cannot be used: {error}")
        return None


# --- the document signature --------------------------------------------------------------------


def signature_problems(signature: DocumentSignature, evidence: Evidence | None) -> list[str]:
    """What is wrong with the file's own signature, in words ([] when nothing is)."""
    if signature.problem:
        return [f"the document's signature cannot be checked: {signature.problem}"]
    expected = evidence.practitioner.document_key if evidence is not None else None
    if signature.count == 0:
        if expected is not None:
            return [
                f"the file is not signed, yet the evidence inside says {expected.name} signed "
                "it: the signature was removed"
            ]
        return [
            "the file is not signed: nothing shows who made it or that it was not changed "
            "(it was exported without a signature)"
        ]
    problems = []
    if not signature.intact:
        problems.append(
            "the file was changed after it was signed: the signed bytes are not those signed"
        )
    elif not signature.valid:
        problems.append("the document's signature does not verify")
    if signature.intact and not signature.whole_file:
        problems.append(
            "something was added to the file after it was signed (an update appended after "
            "the signature)"
        )
    problems += _key_problems(signature, expected, evidence)
    return problems


def _key_problems(
    signature: DocumentSignature, expected: PublicIdentity | None, evidence: Evidence | None
) -> list[str]:
    if evidence is None:
        return []
    if expected is None:
        return ["the file is signed, but the evidence inside names no key it is signed with"]
    if signature.signer_key != expected.public_key:
        used = fingerprint_of(signature.signer_key) if len(signature.signer_key) == 32 else "?"
        return [
            f"the file is signed with the key {used}, not with the practitioner's key "
            f"{expected.fingerprint} that the evidence inside names"
        ]
    return []


# --- the pages ---------------------------------------------------------------------------------


def page_problems(pages: PagesRead, fingerprint: str) -> list[str]:
    """Pages that do not print this document's fingerprint, or whose numbering is broken."""
    if pages.count == 0:
        return ["the file has no pages that can be read"]
    problems = []
    if fingerprint:
        missing = [n for n, seen in enumerate(pages.fingerprints, 1) if not seen]
        other = [n for n, seen in enumerate(pages.fingerprints, 1) if seen - {fingerprint}]
        if missing:
            problems.append(f"{_pages_text(missing)} print no document fingerprint")
        if other:
            problems.append(
                f"{_pages_text(other)} print another document fingerprint than the evidence "
                "inside has: the pages and the evidence do not belong together"
            )
    return problems + numbering_problems(pages)


def numbering_problems(pages: PagesRead) -> list[str]:
    """Pages whose "Page x of y" is missing, out of order, or counts another number of pages."""
    unnumbered = [n for n, found in enumerate(pages.numbers, 1) if found is None]
    totals = {found[1] for found in pages.numbers if found is not None}
    misplaced = next(
        ((n, found[0]) for n, found in enumerate(pages.numbers, 1) if found and found[0] != n),
        None,
    )
    problems = []
    if unnumbered:
        problems.append(f"{_pages_text(unnumbered)} print no page number")
    if totals - {pages.count}:
        counts = ", ".join(str(t) for t in sorted(totals))
        problems.append(
            f"the pages say the document has {counts} pages, but the file has {pages.count}: "
            "pages were removed or added"
        )
    if misplaced:
        place, number = misplaced
        problems.append(
            f"page {place} of the file says it is page {number}: from there on, pages are "
            "missing, added or out of order"
        )
    return problems


def _pages_text(numbers: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    more = f" and {len(numbers) - 10} more" if len(numbers) > 10 else ""
    return f"page {shown}{more}" if len(numbers) == 1 else f"pages {shown}{more}"


# --- the practitioner's keys -------------------------------------------------------------------


def key_link_problems(evidence: Evidence) -> list[str]:
    """Whether the practitioner's logbook key vouches for the key the document is signed with."""
    keys = evidence.practitioner
    if keys.document_key is None:
        return []
    if keys.key_link is None:
        return [
            "nothing from the practitioner's logbook vouches for the key the file is signed with"
        ]
    checked = check_action(keys.key_link.payload, keys.key_link.signature, KEY_LINK_FORMAT)
    statement = checked.statement or {}
    vouched: PublicIdentity | None = None
    made_for: Binding | None = None
    try:
        vouched = PublicIdentity.from_json(statement.get("document_key"), "document_key")
        made_for = Binding.from_json(statement.get("for"))
    except ValueError:
        pass  # reported below as not vouching
    if (
        not checked.valid
        or checked.signer is None
        or checked.signer.fingerprint != keys.logbook_key.fingerprint
        or made_for is None
        or not made_for.same_owner(keys.binding)
        or vouched is None
        or vouched.public_key != keys.document_key.public_key
    ):
        return [
            "the practitioner's logbook key does not vouch for the key the file is signed with"
            + (f" ({checked.reason})" if checked.reason else "")
        ]
    return []


def history_problems(evidence: Evidence) -> list[str]:
    """Whether the sign-off history head is the practitioner's, and every event inside is
    recorded as its audit chain says and within that history."""
    head = evidence.history
    keys = evidence.practitioner
    events = [*evidence.signoffs, *evidence.confirmations]
    if head is None:
        return ["the sign-offs inside come with no sign-off history"] if events else []
    problems = []
    if not keys.logbook_key.verify(head.signature, head.payload(keys.logbook_id)):
        problems.append("the sign-off history inside is not signed by the practitioner's logbook")
    for recorded in events:
        problems += _event_problems(recorded, head.count)
    return problems


def _event_problems(recorded: RecordedEvent, count: int) -> list[str]:
    event = recorded.event
    what = f"the sign-off event {event.seq} ({event.event_type.value.replace('_', ' ')})"
    problems = []
    if link_hash(event.chain_prev, recorded.fields) != event.chain_hash:
        problems.append(f"{what} was altered after it was recorded")
    if event.seq > count:
        problems.append(f"{what} is not part of the sign-off history the document names")
    return problems


# --- totals ------------------------------------------------------------------------------------


def check_totals(evidence: Evidence) -> list[TotalCheck]:
    """Each total the document prints beside the same total counted from the entries inside."""
    entries = list(evidence.entries.values())
    return [
        TotalCheck(kind_label(total.kind), total, recount(entries, total.kind))
        for total in evidence.totals
    ]


def kind_label(kind: str) -> str:
    """A record kind's label ("Supervision"), or the kind as written when it is none we know."""
    try:
        return RecordKind(kind).label
    except ValueError:
        return kind


def _total_problem(total: TotalCheck) -> str:
    return (
        f"the document prints {figures(total.printed)} for {total.label}, but the entries "
        f"inside add up to {figures(total.recounted)}"
    )


def figures(total: PrintedTotal) -> str:
    """A total in words: "12 entries and 18.00 h"."""
    entries = "entry" if total.count == 1 else "entries"
    return f"{total.count} {entries} and {hours(total.minutes)} h"
