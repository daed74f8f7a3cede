"""A portfolio PDF proves itself to someone holding only the file, and every attack on it shows.

Real logbooks, real supervisor signatures, a real practitioner signing identity; each attack
changes a copy of a real export the way a person with a PDF editor (or pikepdf, or pyHanko)
would, and ``verify-portfolio`` must give the right verdict in words, never a traceback.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf
import pikepdf.pdfa
import pypdf
import pytest

from logbook.domain.errors import WrongPassphraseError
from logbook.domain.periods import Period
from logbook.domain.proof import (
    EVIDENCE_FILENAME,
    EvidenceError,
    PrintedTotal,
    document_fingerprint,
    parse_evidence,
)
from logbook.domain.proof_check import (
    DocumentSignature,
    assess_portfolio,
    check_totals,
    read_pages,
)
from logbook.domain.signing import canonical
from logbook.services.export import ExportOptions, export_portfolio
from logbook.services.portfolio_check import (
    PortfolioFileError,
    check_portfolio,
    evidence_in,
    page_texts,
)
from tests.cli_support import run_cli
from tests.proof_support import (
    MY_PASSPHRASE,
    NOW,
    YEAR,
    change_a_total,
    export_signed,
    signed_logbook,
)
from tests.signoff_support import (
    add_entries,
    confirm_supervisor,
    light_kdf,
    new_identity,
    open_book,
)


@dataclass(frozen=True)
class Exports:
    """Real exports to attack: the practitioner's signed portfolio, another practitioner's, and
    an unsigned one, with the data folders they came from."""

    folder: Path
    signed: Path
    other: Path
    unsigned: Path
    practitioner_data: Path
    supervisor_key: str

    def copy(self, name: str, data: bytes | None = None) -> Path:
        """A copy of the signed portfolio (or ``data``) to change, named ``name``."""
        target = self.folder / "attacks" / name
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(self.signed.read_bytes() if data is None else data)
        return target


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Exports:
    folder = tmp_path_factory.mktemp("proof")
    with open_book(folder / "supervisor") as supervisor:
        key = new_identity(supervisor).fingerprint
    with signed_logbook(folder / "practitioner", "Morag Stewart", folder / "supervisor") as book:
        export_signed(book, folder / "signed.pdf")
        export_signed(book, folder / "unsigned.pdf", sign=False)
    with signed_logbook(folder / "other", "Ewan Other", folder / "supervisor") as book:
        export_signed(book, folder / "other.pdf")
    return Exports(
        folder,
        folder / "signed.pdf",
        folder / "other.pdf",
        folder / "unsigned.pdf",
        folder / "practitioner",
        key,
    )


def _verify(path: Path, *args: str) -> tuple[int, str]:
    ran = run_cli("verify-portfolio", path, *args)
    assert "Traceback" not in ran.stdout + ran.stderr
    return ran.returncode, ran.stdout + ran.stderr


def _evidence(path: Path) -> bytes:
    found = evidence_in(path.read_bytes()).data
    assert found is not None
    return found


# --- the happy path ----------------------------------------------------------------------------


def test_a_signed_portfolio_checks_out(exports: Exports) -> None:
    report = check_portfolio(exports.signed)
    assert report.ok, report.problems
    assert report.document.intact
    assert report.document.valid
    assert report.document.whole_file
    assert report.practitioner == "Morag Stewart"
    signatures = [c for c in report.signoffs if not c.paper]
    assert len(signatures) == 2
    assert all(c.valid and c.covers_printed and not c.problem for c in signatures)
    [signer] = report.signers
    assert signer.fingerprint == exports.supervisor_key
    assert signer.confirmed_by_practitioner.startswith("in person")
    assert report.totals
    assert all(t.equal for t in report.totals)
    assert not report.unbacked
    [supervision] = [c for c in report.coverage if c.kind == "supervision"]
    assert (supervision.entries, supervision.printed_signed, supervision.backed) == (3, 2, 2)

    status, said = _verify(exports.signed)
    assert status == 0
    assert "CHECKS OUT" in said
    assert "Supervision: 2 of 3 printed as signed, each backed by a valid signature inside" in said
    assert "not checked against your own confirmed keys" in said
    assert "does not prove that the sessions happened" in said


def test_every_page_prints_the_fingerprint_of_the_evidence_inside(exports: Exports) -> None:
    fingerprint = document_fingerprint(_evidence(exports.signed))
    texts = page_texts(exports.signed.read_bytes(), "signed.pdf")
    for number, text in enumerate(texts, 1):
        assert f"Document fingerprint {fingerprint}" in text
        assert f"Page {number} of {len(texts)}" in text
    assert "How to check this document" in texts[-1]
    assert "signed by Morag Stewart" in " ".join(texts[-1].split())
    assert exports.supervisor_key in read_pages(texts).key_fingerprints


def test_the_evidence_is_an_associated_file_and_holds_no_private_reflection(
    exports: Exports,
) -> None:
    with pikepdf.open(exports.signed) as pdf:
        [associated] = list(pdf.Root.AF)
        assert associated.AFRelationship == pikepdf.Name.Data
        assert associated.UF == EVIDENCE_FILENAME
        assert pdf.Root.AcroForm.Fields[0].T == "Signature of Morag Stewart"
    evidence = parse_evidence(_evidence(exports.signed))
    assert "Felt unsure about the risk plan" not in _evidence(exports.signed).decode()
    supervision = [e for (kind, _), e in evidence.entries.items() if kind == "supervision"]
    assert len(supervision) == 3
    assert all("reflection" not in e for e in supervision)  # marked private, never signed
    assert evidence.practitioner.document_key is not None


def test_the_reviewer_sees_whether_they_confirmed_each_signer(
    exports: Exports, tmp_path: Path
) -> None:
    with open_book(tmp_path / "reviewer") as reviewer:
        add_entries(reviewer, 1)
        with open_book(exports.folder / "supervisor") as theirs:
            confirm_supervisor(reviewer, theirs.signoff.identities.list()[0])
    status, said = _verify(exports.signed, "--logbook")
    assert status == 1  # the default data folder holds no logbook: said so, not created
    assert "no logbook" in said
    ran = run_cli(
        "verify-portfolio", exports.signed, "--logbook", "--json", data=tmp_path / "reviewer"
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    report = json.loads(ran.stdout)
    assert report["ok"] is True
    assert report["signers"][0]["confirmed_by_you"] is True


def test_verify_portfolio_runs_as_a_program(exports: Exports, tmp_path: Path) -> None:
    tampered = exports.copy("appended.pdf", exports.signed.read_bytes() + b"\n% more\n%%EOF\n")
    command = [sys.executable, "-m", "logbook.cli.main", "verify-portfolio"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    good = subprocess.run([*command, str(exports.signed)], capture_output=True, text=True, env=env)
    assert good.returncode == 0, good.stderr
    assert "CHECKS OUT" in good.stdout
    bad = subprocess.run([*command, str(tampered)], capture_output=True, text=True, env=env)
    assert bad.returncode == 1
    assert "DOES NOT CHECK OUT" in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr


# --- attacks -----------------------------------------------------------------------------------


def test_a_number_edited_in_a_content_stream_is_found(exports: Exports) -> None:
    path = exports.copy("edited.pdf")
    change_a_total(path)
    assert "30.0" in " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
    report = check_portfolio(path)
    assert not report.ok
    assert any(
        "changed after it was signed" in p or "cannot be checked" in p for p in report.problems
    )
    status, said = _verify(path)
    assert status == 1
    assert "DOES NOT CHECK OUT" in said


def test_a_removed_page_is_found(exports: Exports) -> None:
    path = exports.copy("short.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        del pdf.pages[3]
        pdf.save(path)
    report = check_portfolio(path)
    assert not report.ok
    assert any("pages were removed or added" in p for p in report.problems)
    assert any("signed" in p for p in report.problems)
    assert _verify(path)[0] == 1


def test_pages_put_in_another_order_are_found_even_unsigned(exports: Exports) -> None:
    path = exports.copy("unsigned-shuffled.pdf", exports.unsigned.read_bytes())
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages.reverse()
        pdf.save(path)
    report = check_portfolio(path)
    assert not report.ok
    assert any("says it is page" in p for p in report.problems), report.problems
    assert _verify(path)[0] == 1


def test_a_removed_page_shows_even_in_a_file_that_is_not_signed(exports: Exports) -> None:
    path = exports.copy("unsigned-short.pdf", exports.unsigned.read_bytes())
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        del pdf.pages[2]
        pdf.save(path)
    problems = check_portfolio(path).problems
    assert any("not signed" in p for p in problems)
    assert any("pages were removed or added" in p for p in problems)


def _replace_evidence(path: Path, evidence: bytes) -> None:
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        spec = pdf.attachments[EVIDENCE_FILENAME]
        spec.get_file().obj.write(evidence)
        pdf.save(path)


def test_a_replaced_attachment_is_found(exports: Exports) -> None:
    data = json.loads(_evidence(exports.signed))
    data["totals"] = [dict(t, minutes=t["minutes"] * 3) for t in data["totals"]]
    path = exports.copy("replaced.pdf")
    _replace_evidence(path, canonical(data))
    report = check_portfolio(path)
    assert not report.ok
    assert any("do not belong together" in p for p in report.problems)
    assert any("changed after it was signed" in p for p in report.problems)
    assert any("entries inside add up to" in p for p in report.problems)


def test_an_attachment_that_is_not_evidence_is_refused_in_words(exports: Exports) -> None:
    path = exports.copy("garbage.pdf")
    _replace_evidence(path, b'{"format": "something else", "x": [1, 2')
    status, said = _verify(path)
    assert status == 1
    assert "the evidence inside the file cannot be used: it is not JSON" in said


def test_another_practitioners_evidence_swapped_in_is_found(exports: Exports) -> None:
    path = exports.copy("swapped.pdf")
    _replace_evidence(path, _evidence(exports.other))
    report = check_portfolio(path)
    assert not report.ok
    assert report.practitioner == "Ewan Other"
    assert any("do not belong together" in p for p in report.problems)
    assert any(
        "not with the practitioner's key" in p or "changed after" in p for p in report.problems
    )


def test_an_annotation_added_after_signing_is_found(exports: Exports) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(exports.signed.read_bytes()))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    note = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Annot"),
                generic.NameObject("/Subtype"): generic.NameObject("/Text"),
                generic.NameObject("/Rect"): generic.ArrayObject(
                    [generic.FloatObject(v) for v in (50, 50, 80, 80)]
                ),
                generic.NameObject("/Contents"): generic.TextStringObject("All hours verified"),
            }
        )
    )
    page[generic.NameObject("/Annots")] = generic.ArrayObject([note])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    path = exports.copy("annotated.pdf", out.getvalue())
    report = check_portfolio(path)
    assert report.document.intact
    assert not report.document.whole_file
    assert any("added to the file after it was signed" in p for p in report.problems)
    status, said = _verify(path)
    assert status == 1
    assert "added to the file after it was signed" in said


def test_an_object_appended_after_signing_is_found(exports: Exports) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(exports.signed.read_bytes()))
    writer.add_object(generic.TextStringObject("appended after signing"))
    out = io.BytesIO()
    writer.write(out)
    report = check_portfolio(exports.copy("appended-object.pdf", out.getvalue()))
    assert any("added to the file after it was signed" in p for p in report.problems)


@pytest.mark.parametrize(
    "appended",
    [b"\n99 0 obj\n(unsigned)\nendobj\n%%EOF\n", b"\n" + b"unsigned text " * 400],
    ids=["object-without-xref", "kilobytes-of-text"],
)
def test_bytes_appended_after_the_signature_are_found(exports: Exports, appended: bytes) -> None:
    report = check_portfolio(exports.copy("trailing.pdf", exports.signed.read_bytes() + appended))
    assert report.document.intact
    assert report.document.valid
    assert report.problems == [
        "something was added to the file after it was signed (an update appended after the "
        "signature)"
    ]


def _strip_signature(path: Path) -> None:
    """Remove the signature field and its widget, and save the file anew."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        del pdf.Root["/AcroForm"]
        for page in pdf.pages:
            if "/Annots" in page.obj:
                del page.obj["/Annots"]
        pdf.save(path)


def test_a_stripped_signature_is_found(exports: Exports) -> None:
    path = exports.copy("stripped.pdf")
    _strip_signature(path)
    report = check_portfolio(path)
    assert report.document.count == 0
    assert any("the signature was removed" in p for p in report.problems)
    status, said = _verify(path)
    assert status == 1
    assert "the signature was removed" in said


def test_a_file_re_signed_with_another_key_is_found(exports: Exports) -> None:
    from logbook.domain.identity import create_identity
    from logbook.services.pdf_signing import sign_pdf

    path = exports.copy("re-signed.pdf")
    _strip_signature(path)
    forger = create_identity("Morag Stewart", MY_PASSPHRASE, kdf=light_kdf())
    path.write_bytes(sign_pdf(path.read_bytes(), forger.unlock(MY_PASSPHRASE)))
    report = check_portfolio(path)
    assert report.document.intact
    assert report.document.whole_file
    assert any(f"signed with the key {forger.fingerprint}" in p for p in report.problems)


def test_an_unsigned_export_carries_its_evidence_and_says_it_is_not_signed(
    exports: Exports,
) -> None:
    texts = page_texts(exports.unsigned.read_bytes(), "unsigned.pdf")
    assert "This document is not signed" in " ".join(texts[-1].split())
    report = check_portfolio(exports.unsigned)
    assert report.fingerprint
    assert report.totals
    assert report.problems == [
        "the file is not signed: nothing shows who made it or that it was not changed "
        "(it was exported without a signature)"
    ]


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"", "is empty: it is not a PDF"),
        (b"Dear assessor, here are my hours.\n", "is not a PDF"),
        (None, "is incomplete: it ends before the PDF does"),
    ],
    ids=["empty", "not-a-pdf", "truncated"],
)
def test_files_that_are_not_whole_pdfs_are_refused_in_words(
    exports: Exports, content: bytes | None, said: str
) -> None:
    whole = exports.signed.read_bytes()
    path = exports.copy("broken.pdf", whole[: len(whole) // 2] if content is None else content)
    with pytest.raises(PortfolioFileError, match=said):
        check_portfolio(path)
    status, printed = _verify(path)
    assert status == 1
    assert f"error: broken.pdf {said}" in printed


def test_a_file_too_large_to_be_a_portfolio_is_refused_unread(exports: Exports) -> None:
    path = exports.folder / "attacks" / "huge.pdf"
    path.parent.mkdir(exist_ok=True)
    with path.open("wb") as handle:
        handle.truncate(600 * 1024 * 1024)  # sparse: nothing is written to the disk
    status, said = _verify(path)
    assert status == 1
    assert "too large to be a portfolio" in said


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    status, said = _verify(tmp_path / "nowhere.pdf")
    assert status == 1
    assert "nowhere.pdf does not exist" in said


# --- what the pages print against what is inside -----------------------------------------------


def test_a_printed_signer_with_no_signature_inside_is_named(exports: Exports) -> None:
    pdf = exports.signed.read_bytes()
    texts = page_texts(pdf, "signed.pdf")
    texts[4] += "\nSigned by Dr Nobody, key 7K2M-QX4R-ABCD-EFGH\n"
    from logbook.services.pdf_signing import read_signature

    report = assess_portfolio(
        "signed.pdf", read_signature(pdf), _evidence(exports.signed), read_pages(texts)
    )
    assert report.unbacked == ["7K2M-QX4R-ABCD-EFGH"]
    assert any("7K2M-QX4R-ABCD-EFGH as a signer" in p for p in report.problems)


def test_totals_are_recounted_from_the_entries_inside(exports: Exports) -> None:
    evidence = parse_evidence(_evidence(exports.signed))
    assert all(t.equal for t in check_totals(evidence))
    inflated = tuple(
        PrintedTotal(t.kind, t.count, t.minutes + 60) if t.kind == "supervision" else t
        for t in evidence.totals
    )
    [wrong] = [
        t for t in check_totals(dataclasses.replace(evidence, totals=inflated)) if not t.equal
    ]
    assert (wrong.printed.minutes, wrong.recounted.minutes) == (240, 180)


def test_a_sign_off_altered_inside_the_evidence_is_found(exports: Exports) -> None:
    data = json.loads(_evidence(exports.signed))
    data["signoffs"][0]["actor_name"] = "Someone Grander"
    texts = page_texts(exports.signed.read_bytes(), "signed.pdf")
    report = assess_portfolio("signed.pdf", DocumentSignature(), canonical(data), read_pages(texts))
    assert any("was altered after it was recorded" in p for p in report.problems)


def _printed_problems(exports: Exports, change: Callable[[dict[str, Any]], None]) -> list[str]:
    """What the check of printed sign-offs finds in the signed portfolio's evidence once
    ``change`` has been made to it."""
    from logbook.domain.proof_signoffs import check_printed, check_signoffs

    data = json.loads(_evidence(exports.signed))
    change(data)
    evidence = parse_evidence(canonical(data))
    checked = check_signoffs(evidence)
    return check_printed(evidence, checked.checks, checked.confirmed).problems


def _claim_unsigned_entry(data: dict[str, Any], state: str) -> None:
    claimed = {s["uid"] for s in data["printed_signoffs"]}
    entry = next(
        e for e in data["entries"] if e["kind"] == "supervision" and e["uid"] not in claimed
    )
    data["printed_signoffs"].append({"kind": "supervision", "uid": entry["uid"], "state": state})


@pytest.mark.parametrize(
    ("state", "said"),
    [
        ("verified", "as “Signed (verified)”, but no signature inside that holds signs what"),
        ("key_not_confirmed", "but no signature inside that holds signs what it prints"),
        ("changed_since_signed", "but no signature inside that holds signs an earlier version"),
        ("returned", "as “Returned by supervisor”, but no return of it is inside"),
        ("paper_unverified", "but no paper evidence of it is inside"),
    ],
)
def test_an_entry_printed_as_signed_with_nothing_inside_behind_it_is_named(
    exports: Exports, state: str, said: str
) -> None:
    [problem] = _printed_problems(exports, lambda data: _claim_unsigned_entry(data, state))
    assert problem.startswith("the document prints Supervision 2026-")
    assert said in problem


def test_entries_printed_as_signed_whose_signatures_were_taken_out_are_named(
    exports: Exports,
) -> None:
    def take_out_signatures(data: dict[str, Any]) -> None:
        data["signoffs"] = [e for e in data["signoffs"] if e["event_type"] != "signed"]

    problems = _printed_problems(exports, take_out_signatures)
    assert len(problems) == 2
    assert all("but no signature inside that holds signs what it prints" in p for p in problems)


def test_entries_printed_as_verified_need_a_key_the_practitioner_confirmed(
    exports: Exports,
) -> None:
    def forget_confirmations(data: dict[str, Any]) -> None:
        data["key_confirmations"] = []

    problems = _printed_problems(exports, forget_confirmations)
    assert len(problems) == 2
    assert all("the practitioner confirmed none of the keys that signed it" in p for p in problems)


@pytest.mark.parametrize(
    ("evidence", "said"),
    [
        (b"\xff\xfe", "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"format":"practice-logbook-portfolio-evidence/1"}', "practitioner is missing"),
        (b'{"format": "practice-logbook-portfolio-evidence/1"}', "not in the exact form"),
        (b'{"a":NaN}', "not a number JSON allows"),
    ],
)
def test_evidence_of_the_wrong_shape_is_refused_in_words(evidence: bytes, said: str) -> None:
    with pytest.raises(EvidenceError, match=said):
        parse_evidence(evidence)


# --- exporting ---------------------------------------------------------------------------------


def test_signing_needs_the_right_passphrase_and_writes_nothing_without_it(
    exports: Exports, tmp_path: Path
) -> None:
    with open_book(exports.practitioner_data) as book:
        [mine] = book.signoff.identities.list()
        options = ExportOptions(
            YEAR, sign_with=mine.fingerprint, passphrase=lambda _: "wrong words"
        )
        with pytest.raises(WrongPassphraseError):
            export_portfolio(book, tmp_path / "p.pdf", options, now=NOW)
    assert not list(tmp_path.iterdir())


def test_export_pdf_signs_with_a_passphrase_file(exports: Exports, tmp_path: Path) -> None:
    with open_book(exports.practitioner_data) as book:
        [mine] = book.signoff.identities.list()
    secret = tmp_path / "passphrase.txt"
    secret.write_text(MY_PASSPHRASE + "\n")
    out = tmp_path / "cli.pdf"
    ran = run_cli(
        "export-pdf",
        out,
        "--year",
        "2026",
        "--pdfa",
        "--layout",
        "supervision",
        "--sign-with",
        mine.fingerprint.lower(),
        "--passphrase-file",
        secret,
        data=exports.practitioner_data,
    )
    assert ran.returncode == 0, ran.stderr
    assert f"Signed by Morag Stewart (key {mine.fingerprint})" in ran.stdout
    assert check_portfolio(out).ok
    # PDF/A-3b before the signature; the signature adds only what pikepdf does not check.
    report = pikepdf.pdfa.validate_written(out, "3b")
    assert not report.violations, report.findings

    missing = run_cli(
        "export-pdf",
        tmp_path / "x.pdf",
        "--year",
        "2026",
        "--sign-with",
        mine.fingerprint,
        "--passphrase-file",
        tmp_path / "none.txt",
        data=exports.practitioner_data,
    )
    assert missing.returncode == 1
    assert "none.txt does not exist" in missing.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_demo_logbook_with_every_kind_of_sign_off_checks_out(tmp_path: Path) -> None:
    """Signatures in person, in a batch, remote and of a period summary; a return, a request
    still open and a signature withdrawn: all inside, each checked, and the file checks out."""
    from logbook.services.demo import generate_demo

    with open_book(tmp_path / "demo") as book:
        made = generate_demo(book, persona="pwp", years=1, today=date(2026, 4, 30))
        assert made.signoff.get("revoked")
        assert made.signoff.get("returned")
        mine = book.signoff.identities.create("Priya Shah", MY_PASSPHRASE, kdf=light_kdf())
        options = ExportOptions(
            Period(date(2025, 10, 1), date(2026, 4, 30)),
            sign_with=mine.fingerprint,
            passphrase=lambda _: MY_PASSPHRASE,
            pdfa=True,
        )
        export_portfolio(book, tmp_path / "demo.pdf", options)
    evidence = parse_evidence(_evidence(tmp_path / "demo.pdf"))
    kinds = {r.event.event_type.value for r in evidence.signoffs}
    assert {"signed", "revoked", "returned", "requested"} <= kinds
    report = check_portfolio(tmp_path / "demo.pdf")
    assert report.ok, report.problems
    assert any(c.withdrawn for c in report.signoffs)
    assert any(c.target_kind == "period_summary" and c.holds for c in report.signoffs)


def _upgraded_portfolio(folder: Path) -> Path:
    """A portfolio of a logbook from an earlier release, whose signatures name no practitioner
    (recorded in it before statements did)."""
    import shutil

    from logbook.services.locations import DataLocation

    location = DataLocation(folder / "upgraded")
    location.root.mkdir()
    shutil.copyfile(
        Path(__file__).parent / "data" / "logbook-schema-0002.sqlite", location.database
    )
    with open_book(location.root) as book:
        mine = book.signoff.identities.create("Priya Shah", MY_PASSPHRASE, kdf=light_kdf())
        options = ExportOptions(
            Period(date(2026, 1, 1), date(2026, 12, 31)),
            sign_with=mine.fingerprint,
            passphrase=lambda _: MY_PASSPHRASE,
        )
        export_portfolio(book, folder / "upgraded.pdf", options)
    return folder / "upgraded.pdf"


def test_signatures_from_before_statements_named_the_practitioner_count_and_say_so(
    tmp_path: Path,
) -> None:
    report = check_portfolio(_upgraded_portfolio(tmp_path))
    assert report.ok, report.problems
    signed = [c for c in report.signoffs if c.valid]
    assert len(signed) == 2
    assert all(c.holds and c.note.startswith("made before signatures named") for c in signed)


def test_a_signature_naming_no_practitioner_brought_in_from_elsewhere_does_not_hold(
    tmp_path: Path,
) -> None:
    from logbook.domain.audit import Origin
    from logbook.domain.proof_signoffs import check_signoffs

    evidence = parse_evidence(_evidence(_upgraded_portfolio(tmp_path)))
    imported = tuple(
        dataclasses.replace(r, event=dataclasses.replace(r.event, origin=Origin.IMPORTED))
        for r in evidence.signoffs
    )
    checked = check_signoffs(dataclasses.replace(evidence, signoffs=imported))
    assert [c.holds for c in checked.checks if c.valid] == [False, False]
    assert all("does not show whom it was for" in p for p in checked.problems)


def test_hostile_statements_inside_the_evidence_are_judged_not_crashed_on(
    exports: Exports,
) -> None:
    data = json.loads(_evidence(exports.signed))
    data["signoffs"][0]["payload"] = "[" * 100_000
    data["key_confirmations"][0]["payload"] = "{" * 100_000
    data["entries"][0]["revision"] = -1
    texts = page_texts(exports.signed.read_bytes(), "signed.pdf")
    with pytest.raises(EvidenceError, match=r"entries\[0\].revision must be a whole number"):
        parse_evidence(canonical(data))
    data["entries"][0]["revision"] = 1
    report = assess_portfolio("x.pdf", DocumentSignature(), canonical(data), read_pages(texts))
    assert any("confirmation of a signer's key" in p for p in report.problems)
    assert any("the signed statement is not JSON" in p for p in report.problems)


def test_an_attachment_that_inflates_beyond_the_bound_is_refused_unread(exports: Exports) -> None:
    import zlib

    path = exports.copy("bomb.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        stream = pdf.attachments[EVIDENCE_FILENAME].get_file().obj
        stream.write(zlib.compress(b" " * (70 * 2**20), 9), filter=pikepdf.Name.FlateDecode)
        pdf.save(path)
    status, said = _verify(path)
    assert status == 1
    assert "the evidence inside the file cannot be used: it is larger than the 64 MB" in said
