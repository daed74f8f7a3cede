"""A portfolio check in words: the verdict first, then what was checked, then what a valid
result does and does not prove; and the same as JSON values."""

from __future__ import annotations

from enum import Enum
from typing import Any

from logbook.domain.proof_check import PortfolioReport, TotalCheck, figures, kind_label
from logbook.domain.proof_signoffs import CoverageCheck, SignerCheck, SignoffCheck

PROVES = (
    "A valid result proves who signed this document and each sign-off in it, and that nothing "
    "in the file changed after the practitioner signed it. It does not prove that the sessions "
    "happened as recorded, or that the signers' keys are the people named, unless you or the "
    "practitioner checked their fingerprints with them."
)


class Verdict(Enum):
    """How a reviewer should take a file, as a headline."""

    CHECKS_OUT = "Checks out"
    ALTERED = "Altered: does not check out"
    NOT_SIGNED = "Not signed"
    CANNOT_BE_CHECKED = "Cannot be checked"


def verdict_of(report: PortfolioReport) -> Verdict:
    """The headline a report earns: an unsigned file with nothing else wrong is "not signed";
    a file with no usable evidence or an unreadable signature "cannot be checked"."""
    if report.ok:
        return Verdict.CHECKS_OUT
    if report.document.problem or not report.fingerprint:
        return Verdict.CANNOT_BE_CHECKED
    unsigned = report.document.count == 0 and not report.signing_key
    if unsigned and len(report.problems) == 1:
        return Verdict.NOT_SIGNED
    return Verdict.ALTERED


def verdict_reason(report: PortfolioReport) -> str:
    """The verdict's reason as a sentence: what the file proves, or the first thing wrong."""
    if not report.ok:
        return sentence(report.problems[0])
    signed_at = report.document.signed_at
    when = f" on {signed_at:%d %b %Y at %H:%M} UTC" if signed_at else ""
    signer = f"{report.document.signer_name} (key {report.signing_key})"
    return (
        f"This portfolio of {report.practitioner} is exactly as {signer} signed it{when}, and "
        "every sign-off it prints is backed by a valid signature inside it."
    )


def sentence(words: str) -> str:
    """Words as a sentence: a capital first, a full stop last."""
    return f"{words[:1].upper()}{words[1:]}."


def report_lines(report: PortfolioReport) -> list[str]:
    """The report for a reviewer: the verdict first, then what was checked, then what it
    proves."""
    lines = [f"Checked {report.file}", *_verdict(report), ""]
    lines += _details(report)
    if report.problems:
        lines += ["", "What is wrong:"]
        lines += [f"  - {problem}" for problem in report.problems[:50]]
        if len(report.problems) > 50:
            lines.append(f"  … and {len(report.problems) - 50} more")
    return [*lines, "", PROVES]


def _verdict(report: PortfolioReport) -> list[str]:
    reason = verdict_reason(report)
    prefix = "CHECKS OUT" if report.ok else "DOES NOT CHECK OUT"
    return [f"{prefix}: {reason[:1].lower()}{reason[1:]}"]


def _details(report: PortfolioReport) -> list[str]:
    lines = [
        f"Document fingerprint  {report.fingerprint or '(no evidence inside)'}",
        f"Practitioner          {report.practitioner or '(unknown)'}",
        f"Document signature    {signature_words(report)}",
        f"Pages                 {report.pages}",
    ]
    lines += _signoff_lines(report)
    return lines + _total_lines(report.totals)


def shown_totals(totals: list[TotalCheck]) -> list[TotalCheck]:
    """The totals worth showing: kinds the document counts but has none of are left out,
    unless they differ."""
    return [t for t in totals if t.printed.count or t.recounted.count or not t.equal]


def total_agreement(total: TotalCheck) -> str:
    """Whether a printed total is the recounted one, in one word."""
    return "equal" if total.equal else "DIFFERENT"


def _total_lines(totals: list[TotalCheck]) -> list[str]:
    shown = shown_totals(totals)
    if not shown:
        return []
    return [
        "Totals                as printed, and recounted from the entries inside:",
        *(
            f"  {t.label:<30} printed {figures(t.printed)}; recounted {figures(t.recounted)}"
            f" – {total_agreement(t)}"
            for t in shown
        ),
    ]


def signature_words(report: PortfolioReport) -> str:
    """The document signature in a line: who signed with which key, and whether it holds."""
    signature = report.document
    if signature.count == 0 or signature.problem:
        return "none that holds"
    if signature.intact and signature.valid and signature.whole_file:
        return (
            f"by {signature.signer_name} (key {report.signing_key or '?'}): intact and valid, "
            "covering the whole file"
        )
    return f"by {signature.signer_name}: NOT intact or not covering the whole file"


def signoff_summary(report: PortfolioReport) -> list[str]:
    """How many sign-off signatures are inside and how many hold; paper evidence apart."""
    signed = [c for c in report.signoffs if not c.paper]
    paper = len(report.signoffs) - len(signed)
    holding = sum(1 for c in signed if c.holds)
    withdrawn = sum(1 for c in signed if c.withdrawn)
    lines = [
        f"{len(signed)} signature(s): {holding} valid and made for this practitioner"
        + (f", {withdrawn} withdrawn since" if withdrawn else "")
    ]
    if paper:
        lines.append(f"{paper} paper evidence (cannot be checked)")
    return lines


def signer_words(signer: SignerCheck) -> str:
    """A signer in a line: name, key and how many of its signatures hold."""
    return f"{signer.name} – key {signer.fingerprint}: {signer.signatures} valid"


def signoff_notes(report: PortfolioReport) -> list[str]:
    """What more the check says about particular sign-offs (no fault), at most twenty."""
    return [f"{c.description}: {c.note}" for c in report.signoffs if c.note and not c.paper][:20]


def printed_signoffs_words(report: PortfolioReport) -> list[str]:
    """For each kind, how many entries the document prints as signed and how many of them a
    signature inside backs; then whether every key printed as a signer is backed."""
    lines = [coverage_words(c) for c in report.coverage if c.printed_signed]
    if none := [c for c in report.coverage if c.entries and not c.printed_signed]:
        lines.append(
            "none printed as signed: "
            + ", ".join(f"{kind_label(c.kind)} ({c.entries:,})" for c in none)
        )
    if report.unbacked:
        lines.append(
            "keys printed as signers with nothing inside behind them: " + ", ".join(report.unbacked)
        )
    elif any(not c.paper for c in report.signoffs):
        lines.append("every key printed as a signer is backed inside")
    return lines


def coverage_words(coverage: CoverageCheck) -> str:
    """ "Supervision: 2 of 3 printed as signed, each backed by a valid signature inside" """
    signed, of = coverage.printed_signed, coverage.entries
    backing = (
        "each backed by a valid signature inside"
        if coverage.backed == signed
        else f"ONLY {coverage.backed:,} backed by a valid signature inside"
    )
    return f"{kind_label(coverage.kind)}: {signed:,} of {of:,} printed as signed, {backing}"


def _signoff_lines(report: PortfolioReport) -> list[str]:
    first, *paper = signoff_summary(report)
    lines = [f"Sign-offs             {first}"]
    lines += [f"                      {line}" for line in paper]
    for signer in report.signers:
        lines.append(f"  {signer_words(signer)}")
        lines.append(f"    {confirmation_words(signer, report.reviewer_checked)}")
    lines += [f"  note: {note}" for note in signoff_notes(report)]
    printed = printed_signoffs_words(report)
    if printed:
        lines.append(f"Printed sign-offs     {printed[0]}")
        lines += [f"                      {line}" for line in printed[1:]]
    return lines


def confirmation_words(signer: SignerCheck, reviewer_checked: bool) -> str:
    """Who confirmed a signer's key with its owner: the practitioner, and the reviewer."""
    practitioner = (
        f"the practitioner confirmed this key ({signer.confirmed_by_practitioner})"
        if signer.confirmed_by_practitioner
        else "the practitioner has not confirmed this key with its owner"
    )
    if not reviewer_checked:
        return f"{practitioner}; not checked against your own confirmed keys"
    yours = "you confirmed it too" if signer.confirmed_by_you else "you have not confirmed it"
    return f"{practitioner}; {yours}"


def report_json(report: PortfolioReport) -> dict[str, Any]:
    """The report as JSON values."""
    signature = report.document
    return {
        "file": report.file,
        "verdict": "checks out" if report.ok else "does not check out",
        "ok": report.ok,
        "document_fingerprint": report.fingerprint,
        "practitioner": report.practitioner,
        "pages": report.pages,
        "document_signature": {
            "signatures": signature.count,
            "signer": signature.signer_name,
            "key": report.signing_key,
            "signed_at": signature.signed_at.isoformat() if signature.signed_at else None,
            "intact": signature.intact,
            "valid": signature.valid,
            "covers_whole_file": signature.whole_file,
        },
        "signoffs": [_signoff_json(c) for c in report.signoffs],
        "signers": [_signer_json(s, report.reviewer_checked) for s in report.signers],
        "printed_without_evidence": report.unbacked,
        "printed_signed": [
            {
                "kind": c.kind,
                "entries": c.entries,
                "printed_as_signed": c.printed_signed,
                "backed": c.backed,
            }
            for c in report.coverage
        ],
        "totals": [_total_json(t) for t in report.totals],
        "problems": report.problems,
        "proves": PROVES,
    }


def _signoff_json(check: SignoffCheck) -> dict[str, Any]:
    return {
        "entry": {"kind": check.target_kind, "uid": check.target_uid, "revision": check.revision},
        "description": check.description,
        "signer": check.signer,
        "fingerprint": check.fingerprint,
        "signed_at": check.signed_at,
        "paper": check.paper,
        "valid": check.valid,
        "covers_printed_entry": check.covers_printed,
        "problem": check.problem,
        "note": check.note,
    }


def _signer_json(signer: SignerCheck, reviewer_checked: bool) -> dict[str, Any]:
    return {
        "name": signer.name,
        "fingerprint": signer.fingerprint,
        "valid_signatures": signer.signatures,
        "confirmed_by_practitioner": signer.confirmed_by_practitioner or None,
        "confirmed_by_you": signer.confirmed_by_you if reviewer_checked else "not checked",
    }


def _total_json(total: TotalCheck) -> dict[str, Any]:
    return {
        "kind": total.printed.kind,
        "printed": {"count": total.printed.count, "minutes": total.printed.minutes},
        "recounted": {"count": total.recounted.count, "minutes": total.recounted.minutes},
        "equal": total.equal,
    }
