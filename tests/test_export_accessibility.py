"""Portfolio PDFs a screen reader can follow and everyone can read.

Every layout is exported from a real logbook and read back: the PDF/UA checks of the ``pdfua``
package, the structure tree (headings, tables, figures) with the text each element marks, the
font size of every piece of text drawn, the fallback faces for characters DejaVu lacks (with
``pdffonts`` and ``pdftotext``), the line breaks of a long web address, and a signed and an
archival (PDF/A-3b) export, which must stay valid and tagged.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf
import pikepdf.pdfa
import pytest
from pdfua import validate

from logbook.domain.findings import PackResult, RuleResult, Status
from logbook.domain.records import Person, Profile, SupervisionSession
from logbook.export.layouts import LAYOUTS
from logbook.export.proof_page import CHECK_TITLE
from logbook.services.export import (
    ExportOptions,
    export_portfolio,
    gather_portfolio,
    render_portfolio,
    renderer_for,
)
from logbook.services.logbook import Logbook
from logbook.services.portfolio_check import check_portfolio
from tests.proof_support import export_signed, signed_logbook
from tests.signoff_support import new_identity, open_book
from tests.test_export_pdf import NOW, YEAR, _fill

CJK_NAME = "山田 花子"
KOREAN_NAME = "김민준"
EMOJI = "🙂"
THEME_EMOJI = "👍"
LONG_URL = (
    "https://www.hcpc-uk.org/standards/standards-of-continuing-professional-development/"
    "meeting-our-standards/?audit=2025&registrant-type=practitioner-psychologist"
)
URL_SEPARATORS = "/?&-."


@dataclass(frozen=True)
class Exported:
    """A folder of exports of one logbook, by layout, and the logbook they came from."""

    folder: Path
    logbook: Logbook

    def path(self, layout: str) -> Path:
        return self.folder / f"{layout}.pdf"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exported]:
    folder = tmp_path_factory.mktemp("accessible")
    with open_book(folder / "logbook") as logbook:
        _fill(logbook)
        for layout in LAYOUTS:
            options = ExportOptions(period=YEAR, layout=layout)
            export_portfolio(logbook, folder / f"{layout}.pdf", options, now=NOW)
        yield Exported(folder, logbook)


# --- reading a PDF back: the text each marked sequence draws, at what size, in which face ------


@dataclass(frozen=True)
class Shown:
    """A piece of text drawn on a page.

    Attributes:
        page: The page, from 0.
        text: The characters, as the font's ToUnicode map gives them.
        size: The size it prints at in points (font size scaled by the text and page matrices).
        font: The font's BaseFont name.
        tags: The tags of the marked-content sequences it is in, outermost first.
        mcid: The MCID of the innermost marked sequence it is in (None outside any).
        new_line: It starts a new line.
        marked_in: How many marked sequences with an MCID it is in (one at most is valid).
    """

    page: int
    text: str
    size: float
    font: str
    tags: tuple[str, ...]
    mcid: int | None
    new_line: bool
    marked_in: int


Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


def _times(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def _scale(m: Matrix) -> float:
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))


def _to_unicode(font: Any, cache: dict[tuple[int, int], dict[int, str]]) -> dict[int, str]:
    """A simple font's codes and the characters they stand for, from its ToUnicode map (read
    once per file into ``cache``)."""
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    key = stream.objgen
    if key not in cache:
        data = stream.read_bytes()
        pairs = b"".join(re.findall(rb"beginbfchar(.*?)endbfchar", data, re.DOTALL))
        found = re.findall(rb"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]+)>", pairs)
        cache[key] = {
            int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be") for code, text in found
        }
    return cache[key]


def _shown(pdf: pikepdf.Pdf) -> list[Shown]:
    shown: list[Shown] = []
    maps: dict[tuple[int, int], dict[int, str]] = {}
    for number, page in enumerate(pdf.pages):
        _read(page.obj, page.obj.Resources, IDENTITY, [], number, shown, maps)
    return shown


def _read(
    holder: Any,
    resources: Any,
    ctm: Matrix,
    marks: list[tuple[str, int | None]],
    page: int,
    shown: list[Shown],
    maps: dict[tuple[int, int], dict[int, str]],
) -> None:
    state: dict[str, Any] = {"ctm": ctm, "font": None, "size": 0.0}
    stack: list[dict[str, Any]] = []
    text_matrix: Matrix = IDENTITY
    new_line = True
    for operands, operator in pikepdf.parse_content_stream(holder):
        op = str(operator)
        if op == "q":
            stack.append(dict(state))
        elif op == "Q":
            state = stack.pop()
        elif op == "cm":
            state["ctm"] = _times(tuple(float(v) for v in operands), state["ctm"])  # type: ignore[arg-type]
        elif op == "BT":
            text_matrix, new_line = IDENTITY, True
        elif op == "Tm":
            text_matrix, new_line = tuple(float(v) for v in operands), True  # type: ignore[assignment]
        elif op in ("Td", "TD", "T*"):
            new_line = True
        elif op == "Tf":
            state["font"], state["size"] = resources.Font[operands[0]], float(operands[1])
        elif op in ("BDC", "BMC"):
            mcid = None
            if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                mcid = operands[1].get("/MCID")
            marks.append((str(operands[0])[1:], None if mcid is None else int(mcid)))
        elif op == "EMC":
            marks.pop()
        elif op in ("Tj", "TJ", "'", '"'):
            strings = operands[0] if op == "TJ" else operands[-1:]
            codes = b"".join(bytes(s) for s in strings if isinstance(s, pikepdf.String))
            font = state["font"]
            table = _to_unicode(font, maps)
            size = state["size"] * _scale(_times(text_matrix, state["ctm"]))
            mcids = [m for _, m in marks if m is not None]
            shown.append(
                Shown(
                    page,
                    "".join(table.get(code, "\ufffd") for code in codes),
                    round(size, 2),
                    str(font.get("/BaseFont", "")),
                    tuple(tag for tag, _ in marks),
                    mcids[-1] if mcids else None,
                    new_line or op in ("'", '"'),
                    len(mcids),
                )
            )
            new_line = False
        elif op == "Do":
            xobject = resources.XObject[operands[0]]
            if xobject.get("/Subtype") == pikepdf.Name.Form:
                matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
                inner = xobject.get("/Resources", resources)
                _read(xobject, inner, _times(matrix, state["ctm"]), marks, page, shown, maps)  # type: ignore[arg-type]


def _marked_text(shown: list[Shown]) -> dict[tuple[int, int], str]:
    """The text of each marked sequence, (page, MCID) -> text, lines joined by newlines."""
    texts: dict[tuple[int, int], str] = {}
    for piece in shown:
        if piece.mcid is None:
            continue
        key = (piece.page, piece.mcid)
        before = texts.get(key, "")
        texts[key] = before + ("\n" if before and piece.new_line else "") + piece.text
    return texts


@dataclass
class Node:
    """A structure element read back: role, attributes, and the text it marks."""

    role: str
    obj: Any
    kids: list[Node]
    marked: list[tuple[int, int]]

    def text(self, texts: dict[tuple[int, int], str]) -> str:
        own = [texts.get(key, "") for key in self.marked]
        return "\n".join([*own, *(kid.text(texts) for kid in self.kids)]).strip()

    def walk(self) -> Iterator[Node]:
        yield self
        for kid in self.kids:
            yield from kid.walk()


def _tree(pdf: pikepdf.Pdf) -> Node:
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}

    def node(obj: Any, page: int | None) -> Node:
        if "/Pg" in obj:
            page = pages[obj.Pg.objgen]
        kids = obj.get("/K")
        items = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
        found = Node(str(obj.get("/S", "/StructTreeRoot"))[1:], obj, [], [])
        for item in items:
            if isinstance(item, int):
                assert page is not None
                found.marked.append((page, int(item)))
            elif item.get("/Type") == pikepdf.Name.MCR:
                found.marked.append((pages[item.Pg.objgen], int(item.MCID)))
            elif item.get("/Type") == pikepdf.Name.OBJR:
                continue
            else:
                found.kids.append(node(item, page))
        return found

    return node(pdf.Root.StructTreeRoot, None)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- PDF/UA -------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_layout_passes_the_pdfua_checks(exported: Exported, layout: str) -> None:
    report = validate(str(exported.path(layout)))
    assert not report.skipped, [(o.rule_id, o.skipped_reason) for o in report.skipped]
    assert report.findings == (), [(f.rule_id, f.message, f.location) for f in report.findings]
    with pikepdf.open(exported.path(layout)) as pdf:
        shown = _shown(pdf)
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        meta = pdf.open_metadata()
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"] == str(pdf.docinfo.Title)
        for page in pdf.pages:
            assert "/StructParents" in page.obj
    # Every piece of text is real content of exactly one element, or an artifact.
    assert all(p.marked_in == 1 or (p.marked_in == 0 and "Artifact" in p.tags) for p in shown)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_headings_tables_and_figures_are_in_the_structure_tree(
    exported: Exported, layout: str
) -> None:
    data = gather_portfolio(exported.logbook, ExportOptions(period=YEAR, layout=layout), now=NOW)
    renderer = renderer_for(layout)()
    sections = renderer.wanted_sections(data)
    with pikepdf.open(exported.path(layout)) as pdf:
        texts = _marked_text(_shown(pdf))
        root = _tree(pdf)
    [document] = root.kids
    assert document.role == "Document"
    elements = list(document.walk())

    headings = [_flat(e.text(texts)) for e in elements if e.role == "H1"]
    numbered = [h for h in headings if h[:1].isdigit()]
    assert numbered == [f"{n} {s.title}" for n, s in enumerate(sections, 1)]
    assert headings[0] == renderer.document_title(data)  # the cover's title
    assert "Contents" in headings
    assert headings[-1] == CHECK_TITLE
    # No heading level is skipped on the way down.
    levels = [int(e.role[1]) for e in elements if re.fullmatch(r"H\d", e.role)]
    assert all(b <= a + 1 for a, b in zip([0, *levels], levels, strict=False))

    tables = [e for e in elements if e.role == "Table"]
    assert tables
    for table in tables:
        rows = [kid for kid in table.kids if kid.role == "TR"]
        assert rows
        assert len(rows) == len(table.kids)
        cells = [cell for row in rows for cell in row.kids]
        assert {cell.role for cell in cells} <= {"TH", "TD"}
        header_cells = [c for c in cells if c.role == "TH"]
        assert header_cells, "a table without header cells"
        assert all(str(c.obj.A.Scope) in ("/Column", "/Row") for c in header_cells)
    column_headers = {
        _flat(c.text(texts))
        for t in tables
        for c in t.kids[0].kids
        if c.role == "TH" and str(c.obj.A.Scope) == "/Column"
    }
    assert "Date" in column_headers or "Dates" in column_headers

    figures = [e for e in elements if e.role == "Figure"]
    assert figures
    for figure in figures:
        assert str(figure.obj.get("/Alt", "")).strip()
    alts = [str(f.obj.Alt) for f in figures]
    assert any(alt.startswith("QR code holding the document fingerprint") for alt in alts)
    if layout == "portfolio":
        [monthly] = [a for a in alts if a.startswith("Supervision received per month")]
        assert "January 2025 to December 2025" in monthly
        assert "Mar 2025 2.5 h" in monthly  # each month's figure, in words


def test_the_contents_are_a_list_of_links(exported: Exported) -> None:
    with pikepdf.open(exported.path("portfolio")) as pdf:
        texts = _marked_text(_shown(pdf))
        root = _tree(pdf)
        [contents] = [e for e in root.walk() if e.role == "TOC"]
        items = [kid for kid in contents.kids if kid.role == "TOCI"]
        assert len(items) >= 5
        first = items[0].kids[0]
        assert first.role == "Link"
        assert _flat(first.text(texts)).startswith("1 Summary")
        links = [a for p in pdf.pages for a in p.obj.get("/Annots", ()) if a.Subtype == "/Link"]
        assert links
        assert all("/StructParent" in a and str(a.Contents).startswith("Go to ") for a in links)


def test_repeated_table_headers_are_artifacts_not_header_cells_again(
    exported: Exported, tmp_path: Path
) -> None:
    supervisor = Person(name="Dr Long Log")
    records: list[object] = [Profile(name="Pat Pages"), supervisor]
    records += [
        SupervisionSession(
            date=date(2025, 1 + i % 12, 1 + i % 28),
            duration_minutes=60,
            counterpart_uid=supervisor.uid,
            themes=(f"row-{i:04d}",),
        )
        for i in range(200)
    ]
    with open_book(tmp_path / "long") as logbook:
        logbook.records.create_many(records)  # type: ignore[arg-type]
        path = tmp_path / "long.pdf"
        options = ExportOptions(period=YEAR, layout="supervision", sections=frozenset({"log"}))
        export_portfolio(logbook, path, options, now=NOW)
    with pikepdf.open(path) as pdf:
        shown = _shown(pdf)
        texts = _marked_text(shown)
        root = _tree(pdf)
    [table] = [
        e for e in root.walk() if e.role == "Table" and "Themes discussed" in _flat(e.text(texts))
    ]
    pages = {page for row in table.kids for cell in row.kids for page, _ in cell.marked}
    assert len(pages) > 3
    header_rows = [row for row in table.kids if row.kids[0].role == "TH"]
    assert len(header_rows) == 1
    assert len(table.kids) == 201
    # Every page of the log still shows the header, as a pagination artifact.
    repeated = {p.page for p in shown if p.text.startswith("Themes") and "Artifact" in p.tags}
    assert repeated == pages - {min(pages)}


# --- type sizes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_text_is_at_least_9_points_and_chart_labels_at_least_8(
    exported: Exported, layout: str
) -> None:
    with pikepdf.open(exported.path(layout)) as pdf:
        shown = [s for s in _shown(pdf) if s.text.strip()]
    in_charts = [s for s in shown if "Figure" in s.tags]
    outside = [s for s in shown if "Figure" not in s.tags]
    assert outside
    smallest = min(outside, key=lambda s: s.size)
    assert smallest.size >= 9, smallest
    if in_charts:
        smallest = min(in_charts, key=lambda s: s.size)
        assert smallest.size >= 8, smallest
    if layout == "portfolio":
        assert in_charts, "the portfolio prints its charts"
    # The log tables are set at 9 points too, not only the prose.
    assert any(s.size == 9 and "Condensed" in s.font and "TD" in s.tags for s in shown)


# --- characters DejaVu lacks --------------------------------------------------------------------


@dataclass(frozen=True)
class Worldwide:
    """A logbook whose practitioner has a Japanese name, whose supervisor has a Korean one and
    whose entries hold emoji (in the supervision log's themes and in a reflection), and its
    portfolio."""

    logbook: Logbook
    folder: Path

    @property
    def portfolio(self) -> Path:
        return self.folder / "portfolio.pdf"


@pytest.fixture(scope="module")
def worldwide(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worldwide]:
    folder = tmp_path_factory.mktemp("worldwide")
    supervisor = Person(name=KOREAN_NAME)
    records: list[object] = [Profile(name=CJK_NAME), supervisor]
    records += [
        SupervisionSession(
            date=date(2025, month, 10),
            duration_minutes=60,
            counterpart_uid=supervisor.uid,
            themes=(f"progress {THEME_EMOJI} month {month}",),
            reflection=f"Felt settled {EMOJI} with {KOREAN_NAME}",
            reflection_private=False,
        )
        for month in (3, 4)
    ]
    with open_book(folder / "logbook") as logbook:
        logbook.records.create_many(records)  # type: ignore[arg-type]
        options = ExportOptions(period=YEAR, layout="portfolio")
        export_portfolio(logbook, folder / "portfolio.pdf", options, now=NOW)
        yield Worldwide(logbook, folder)


def test_chinese_korean_names_and_emoji_print_in_the_fallback_faces(
    worldwide: Worldwide,
) -> None:
    path = worldwide.portfolio
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = listing.stdout.splitlines()[2:]
    for face in ("DroidSansFallback", "NotoEmoji"):
        [row] = [r for r in rows if face in r]
        assert re.search(r"\byes\s+yes\s+yes\b", row), row  # embedded, subset, ToUnicode
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for wanted in (CJK_NAME, KOREAN_NAME, EMOJI, THEME_EMOJI):
        assert wanted in text, wanted
    assert "\ufffd" not in text

    with pikepdf.open(path) as pdf:
        shown = _shown(pdf)
    # Each character is drawn in a face that has it: nothing DejaVu lacks is left to DejaVu,
    # where it would print as an empty box.
    for piece in shown:
        if "DejaVu" in piece.font:
            assert not re.search(r"[\u3000-\u9fff\uac00-\ud7af\U0001F000-\U0001FAFF]", piece.text)
    faces = {c: {p.font.split("+")[-1] for p in shown if c in p.text} for c in "山김🙂👍"}
    assert faces == {
        "山": {"DroidSansFallback"},
        "김": {"DroidSansFallback"},
        "🙂": {"NotoEmoji-Regular"},
        "👍": {"NotoEmoji-Regular"},
    }
    # In the page header (drawn on the canvas), a table cell and a paragraph alike.
    assert {"Artifact", "TD", "P"} <= {
        tag for p in shown if "山" in p.text or "김" in p.text for tag in p.tags
    }


def test_the_fallback_faces_keep_an_archival_export_valid(worldwide: Worldwide) -> None:
    path = worldwide.folder / "archive.pdf"
    options = ExportOptions(period=YEAR, layout="portfolio", pdfa=True)
    export_portfolio(worldwide.logbook, path, options, now=NOW)
    report = pikepdf.pdfa.validate_written(path, "3b")
    assert report.passed, report.findings
    text = subprocess.run(
        ["pdftotext", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert CJK_NAME in text
    assert EMOJI in text


# --- web addresses ------------------------------------------------------------------------------


def test_a_long_web_address_breaks_only_after_its_separators(
    exported: Exported, tmp_path: Path
) -> None:
    data = gather_portfolio(exported.logbook, ExportOptions(YEAR), now=NOW)
    rule = RuleResult(
        rule_id="hcpc.cpd",
        title="Continuing professional development",
        description="A record of CPD activities that meets the standards.",
        source_title="HCPC standards of CPD",
        source_url=LONG_URL,
        checked_on=date(2025, 10, 1),
        status=Status.MET,
        findings=(),
    )
    pack = PackResult("hcpc", "HCPC registration", Status.MET, (rule,))
    data = dataclasses.replace(data, requirements=(pack,))
    path = tmp_path / "requirements.pdf"
    with path.open("wb") as stream:
        render_portfolio(data, "portfolio", stream)
    with pikepdf.open(path) as pdf:
        texts = _marked_text(_shown(pdf))
        root = _tree(pdf)
    [cell] = [e for e in root.walk() if e.role == "TD" and "HCPC standards of CPD" in e.text(texts)]
    lines = cell.text(texts).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("https://"))
    url_lines = lines[start:]
    assert "".join(url_lines) == LONG_URL
    assert len(url_lines) >= 3  # the column is narrow: the address takes several lines
    for line, following in itertools.pairwise(url_lines):
        assert line[-1] in URL_SEPARATORS, (line, following)
        assert following[0] not in URL_SEPARATORS, (line, following)


# --- signed and archival exports ----------------------------------------------------------------


def test_a_signed_and_an_archival_export_stay_valid_and_tagged(tmp_path: Path) -> None:
    with open_book(tmp_path / "supervisor") as supervisor:
        new_identity(supervisor)
    with signed_logbook(
        tmp_path / "practitioner", "Morag Stewart", tmp_path / "supervisor"
    ) as book:
        export_signed(book, tmp_path / "signed.pdf")
        export_signed(book, tmp_path / "signed-archive.pdf", pdfa=True)
        export_signed(book, tmp_path / "archive.pdf", sign=False, pdfa=True)
    for name in ("signed.pdf", "signed-archive.pdf"):
        report = check_portfolio(tmp_path / name)
        assert report.ok, (name, report.problems)
        assert report.document.valid
        assert report.document.whole_file
    assert pikepdf.pdfa.validate_written(tmp_path / "archive.pdf", "3b").passed
    for name in ("signed.pdf", "signed-archive.pdf", "archive.pdf"):
        with pikepdf.open(tmp_path / name) as pdf:
            assert pdf.Root.MarkInfo.Marked is True
            headings = [e for e in _tree(pdf).walk() if e.role == "H1"]
            assert len(headings) > 3
        findings = validate(str(tmp_path / name)).findings
        if "archive" in name:
            # PDF/A-3b's preparation keeps only the XMP properties of the schemas PDF/A
            # predefines, and PDF/UA's identification is not one of them.
            assert [f.rule_id for f in findings] == ["UA-28-004"]
        else:
            assert findings == ()
