"""Writing the structure tree of a tagged PDF as ReportLab writes the file.

What :class:`~logbook.export.tagging.Tags` recorded while the pages were drawn becomes, in the
same file ReportLab writes: the ``StructTreeRoot`` with a ``Document`` element holding every
element in reading order, the ``ParentTree`` that leads from each marked sequence back to its
element, each page's key into it, the link annotations' keys and descriptions, and the catalog
entries and XMP identification of PDF/UA-1.

A long portfolio has tens of thousands of elements (a table cell each). They are written as
text in one run, numbered in a block of object numbers reserved after everything else
ReportLab has registered, rather than as ReportLab objects (a few microseconds of bookkeeping
each) or in a second pass over the finished file (which would parse and write it all again).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import (
    PDFDictionary,
    PDFDocument,
    PDFFile,
    PDFIndirectObject,
    PDFName,
    PDFObjectReference,
    PDFStream,
    PDFTrailer,
)

from logbook.export.tagging import LANGUAGE, Element, LinkArea, Marked

# The catalog's name for the reserved object that is the root of the structure tree.
_ROOT_NAME = "StructTreeRoot"


def write_structure_with(canvas: Any, root: Element, *, title: str) -> None:
    """Have the PDF document of ``canvas`` write the structure tree under ``root`` (and the
    metadata naming ``title``) when it is saved."""
    document = canvas._doc
    # The document is ReportLab's own, made by the canvas; only how it writes itself changes.
    document.__class__ = _TaggedDocument
    document.structure, document.title = root, title


class _TaggedDocument(PDFDocument):  # type: ignore[misc]
    """ReportLab's PDF document, writing the structure tree as well (see the module)."""

    structure: Element
    title: str

    def format(self) -> bytes:
        """The file: ReportLab's objects, the structure tree's block among them, the cross
        reference table and the trailer."""
        self.encrypt.prepare(self)
        _settle_headings(self.structure)
        _mend_to_unicode(self)
        tree = _Tree(self, self.structure)
        self.Catalog.MarkInfo = PDFDictionary({"Marked": "true"})
        self.Catalog.Metadata = _metadata(self.title, self.info)
        return self._written(tree)

    def _written(self, tree: _Tree) -> bytes:
        catalog, info = self.Catalog, self.info
        self.Reference(catalog)
        self.Reference(info)
        file = PDFFile(self._pdfVersion)
        # ReportLab's objects look here for the file they are being written into.
        self.__accum__ = file
        offsets: list[int] = []
        number = 0
        while True:
            number += 1
            if number == tree.first:
                offsets += [file.add(text) for text in tree.objects()]
                number += tree.count - 1
                continue
            name = self.numberToId.get(number)
            if name is None:
                break
            offset = file.add(PDFIndirectObject(name, self.idToObject[name]).format(self))
            self.idToOffset[name] = offset
            offsets.append(offset)
        del self.__accum__
        entries = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        xref = file.add(b"xref\n0 %d\n0000000000 65535 f \n%s" % (len(offsets) + 1, entries))
        trailer = PDFTrailer(
            startxref=xref,
            Size=len(offsets) + 1,
            Root=self.Reference(catalog),
            Info=self.Reference(info),
            ID=self.ID(),
        )
        file.add(trailer.format(self))
        return bytes(file.format(self))


class _Tree:
    """The structure tree of one document as numbered PDF objects, in a block of object
    numbers reserved for it: the root, the parent tree, one array per page of the elements
    its marked sequences belong to, then the elements in reading order."""

    def __init__(self, document: _TaggedDocument, root: Element) -> None:
        self.document = document
        pages = document.Pages.pages
        self.pages = [_number(document, page.__InternalName__) for page in pages]
        self.annotations = [_link_annotations(document, page) for page in pages]
        self.owners: list[list[int | None]] = [[] for _ in pages]
        self.linked: list[tuple[int, int]] = []  # (key, owner) of each link annotation
        self.elements: list[str] = []
        self.first = document.objectcounter + 1
        self.elements_from = self.first + 2 + len(pages)
        self.top = self._element(root, self.first, _first_page(root))
        self.count = 2 + len(pages) + len(self.elements)
        # The block is the tree's: numbers registered from now on come after it.
        document.objectcounter += self.count
        document.idToObjectNumberAndVersion[_ROOT_NAME] = (self.first, 0)
        document.Catalog.StructTreeRoot = PDFObjectReference(_ROOT_NAME)
        for index, page in enumerate(pages):
            page.StructParents = index
            page.Tabs = PDFName("S")  # tab through a page's links in the order of its structure
            page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]

    def objects(self) -> Iterator[bytes]:
        """The block's objects, in number order, as written in the file."""
        number = self.first
        keys = len(self.pages) + len(self.linked)
        yield _object(
            number,
            f"<</Type/StructTreeRoot/K [{self.top} 0 R]/ParentTree {number + 1} 0 R"
            f"/ParentTreeNextKey {keys}>>",
        )
        nums = [f"{index} {number + 2 + index} 0 R" for index in range(len(self.pages))]
        nums += [f"{key} {owner} 0 R" for key, owner in self.linked]
        yield _object(number + 1, f"<</Nums [{' '.join(nums)}]>>")
        for index, owners in enumerate(self.owners):
            refs = " ".join("null" if owner is None else f"{owner} 0 R" for owner in owners)
            yield _object(number + 2 + index, f"[{refs}]")
        for offset, text in enumerate(self.elements):
            yield _object(self.elements_from + offset, text)

    def _element(self, element: Element, parent: int, page: int | None) -> int:
        """Number ``element`` (whose first content is on ``page``) and everything in it, and
        write it; returns its number."""
        number: int = self.elements_from + len(self.elements)
        self.elements.append("")
        kids = [kid for kid in (self._kid(kid, number, page) for kid in element.kids) if kid]
        entries = [f"<</Type/StructElem/S/{element.role}/P {parent} 0 R"]
        if page is not None:
            entries.append(f"/Pg {self.pages[page]} 0 R")
        if kids:
            entries.append(f"/K {kids[0]}" if len(kids) == 1 else f"/K [{' '.join(kids)}]")
        if element.alt:
            entries.append(f"/Alt {_text(element.alt)}")
        if element.attributes:
            attributes = "".join(
                f"/{key}{_value(value)}" for key, value in element.attributes.items()
            )
            entries.append(f"/A <<{attributes}>>")
        entries.append(">>")
        self.elements[number - self.elements_from] = "".join(entries)
        return number

    def _kid(self, kid: Element | Marked | LinkArea, owner: int, page: int | None) -> str:
        """One entry of an element's ``K`` (empty for an element with no content)."""
        if isinstance(kid, Element):
            first = _first_page(kid)
            return "" if first is None else f"{self._element(kid, owner, first)} 0 R"
        if isinstance(kid, Marked):
            owners = self.owners[kid.page]
            owners.extend([None] * (kid.mcid + 1 - len(owners)))
            owners[kid.mcid] = owner
            if kid.page == page:
                return str(kid.mcid)
            return f"<</Type/MCR/Pg {self.pages[kid.page]} 0 R/MCID {kid.mcid}>>"
        return self._link(kid, owner)

    def _link(self, area: LinkArea, owner: int) -> str:
        """The reference to the link annotation at ``area``, which is given its key into the
        parent tree and its description ("" if no annotation of the page is there)."""
        for index, (name, annotation) in enumerate(self.annotations[area.page]):
            if all(
                abs(float(edge) - wanted) < 0.05
                for edge, wanted in zip(annotation.Rect, area.rect, strict=True)
            ):
                del self.annotations[area.page][index]
                key = len(self.pages) + len(self.linked)
                self.linked.append((key, owner))
                annotation.otherkw["StructParent"] = key
                annotation.permitted = (*annotation.permitted, "StructParent")
                annotation.Contents = area.description
                number = _number(self.document, name)
                return f"<</Type/OBJR/Obj {number} 0 R/Pg {self.pages[area.page]} 0 R>>"
        return ""


def _number(document: PDFDocument, name: str) -> int:
    return int(document.idToObjectNumberAndVersion[name][0])


def _link_annotations(document: PDFDocument, page: Any) -> list[tuple[str, Any]]:
    """The link annotations of a page, each with its name in the document."""
    found = []
    for reference in page.Annots or ():
        annotation = document.idToObject.get(getattr(reference, "name", None))
        if annotation is not None and hasattr(annotation, "Destination"):
            found.append((reference.name, annotation))
    return found


def _object(number: int, text: str) -> bytes:
    return f"{number} 0 obj\n{text}\nendobj\n".encode("latin-1")


def _text(text: str) -> str:
    """``text`` as a PDF text string: literal when plain ASCII, otherwise UTF-16 with its
    byte order mark."""
    if text.isascii():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"({escaped})"
    return f"<FEFF{text.encode('utf-16-be').hex().upper()}>"


def _value(value: Any) -> str:
    """An attribute's value: a name for a word, an array for a list, a number otherwise."""
    if isinstance(value, str):
        return f"/{value}"
    if isinstance(value, list | tuple):
        return f"[{' '.join(f'{item:g}' for item in value)}]"
    return f" {value}"


def _first_page(element: Element) -> int | None:
    """The page of the first content the element marks (None when it marks none)."""
    for kid in element.kids:
        if isinstance(kid, Marked | LinkArea):
            return kid.page
        page = _first_page(kid)
        if page is not None:
            return page
    return None


def _settle_headings(element: Element, level: int = 0) -> int:
    """Make heading levels descend one at a time (PDF/UA forbids skipping a level): a
    third-level heading straight under a first-level one reads as a second-level one."""
    for kid in element.kids:
        if not isinstance(kid, Element):
            continue
        if len(kid.role) == 2 and kid.role[0] == "H" and kid.role[1].isdigit():
            wanted = int(kid.role[1])
            level = min(wanted, level + 1)
            kid.role = f"H{level}"
        else:
            level = _settle_headings(kid, level)
    return level


# --- metadata and fonts --------------------------------------------------------------------


def _metadata(title: str, info: Any) -> PDFStream:
    """The XMP packet: the title, language, author and subject, and PDF/UA-1 conformance."""
    author, subject = getattr(info, "author", ""), getattr(info, "subject", "")
    described = [
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt>'
        "</dc:title>",
        f"<dc:language><rdf:Bag><rdf:li>{LANGUAGE}</rdf:li></rdf:Bag></dc:language>",
    ]
    if author:
        described.append(
            f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>"
        )
    if subject:
        described.append(
            '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">'
            f"{escape(subject)}</rdf:li></rdf:Alt></dc:description>"
        )
    described.append("<pdfuaid:part>1</pdfuaid:part>")
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
        f"{''.join(described)}</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    dictionary = PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")})
    # Left uncompressed, as XMP is meant to be found by tools that do not parse the PDF.
    return PDFStream(dictionary, packet.encode("utf-8"), filters=[])


# ReportLab writes a character beyond the Basic Multilingual Plane (an emoji) into a font's
# ToUnicode map as five or six hex digits, which readers cannot read back; PDF wants its UTF-16
# surrogate pair.
_WIDE_TO_UNICODE = re.compile(r"<([0-9A-F]{2})> <([0-9A-F]{5,6})>")


def _mend_to_unicode(document: PDFDocument) -> None:
    """Rewrite the ToUnicode entries of characters beyond U+FFFF as surrogate pairs, so text
    extraction and screen readers get the emoji back."""
    for name, stream in document.idToObject.items():
        if isinstance(name, str) and name.startswith("toUnicodeCMap:"):
            content = stream.content
            if isinstance(content, str) and _WIDE_TO_UNICODE.search(content):
                stream.content = _WIDE_TO_UNICODE.sub(_surrogates, content)


def _surrogates(match: re.Match[str]) -> str:
    code = int(match[2], 16) - 0x10000
    high, low = 0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)
    return f"<{match[1]}> <{high:04X}{low:04X}>"
