"""What a file really is, from its content: the allow-list of evidence formats.

An attachment is kept, and handed to the system's viewer, only when its content (its first
bytes, and for office documents the parts inside the ZIP) matches the type its name claims and
that type is on the allow-list. A program renamed ``certificate.pdf`` is refused, with a
message that says what the file looks like and what is allowed.

ZIP-based documents are inspected through their directory only (no part is extracted), so a
hostile archive costs no more than reading its list of names.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from logbook.domain.errors import LogbookError

_PDF = b"%PDF-"
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The ``mimetype`` part of an OpenDocument file is a few dozen bytes; more is not one.
_MAX_MIMETYPE_BYTES = 200
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}


@dataclass(frozen=True)
class FileType:
    """One allowed evidence format.

    Attributes:
        key: What the content sniffer reports for it.
        name: The format as people call it ("a PDF document").
        media_type: Stored with the attachment.
    """

    key: str
    name: str
    media_type: str


_PDF_TYPE = FileType("pdf", "a PDF document", "application/pdf")
_TEXT = "plain text"

# Allowed extensions and the format each one must hold.
ALLOWED: dict[str, FileType] = {
    ".pdf": _PDF_TYPE,
    ".png": FileType("png", "a PNG image", "image/png"),
    ".jpg": FileType("jpeg", "a JPEG image", "image/jpeg"),
    ".jpeg": FileType("jpeg", "a JPEG image", "image/jpeg"),
    ".txt": FileType("text", _TEXT, "text/plain"),
    ".md": FileType("text", _TEXT, "text/markdown"),
    ".csv": FileType("text", _TEXT, "text/csv"),
    ".docx": FileType(
        "docx",
        "a Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ".xlsx": FileType(
        "xlsx",
        "an Excel workbook",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ".pptx": FileType(
        "pptx",
        "a PowerPoint presentation",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ".odt": FileType("odt", "an OpenDocument text", "application/vnd.oasis.opendocument.text"),
    ".ods": FileType(
        "ods", "an OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet"
    ),
    ".doc": FileType("doc", "a Word 97-2003 document", "application/msword"),
    ".xls": FileType("xls", "an Excel 97-2003 workbook", "application/vnd.ms-excel"),
}

ALLOWED_DESCRIPTION = (
    "PDF, PNG and JPEG files, plain text (.txt, .md, .csv), Word (.docx, .doc), "
    "Excel (.xlsx, .xls), PowerPoint (.pptx) and OpenDocument (.odt, .ods) files"
)

# What other content looks like, for the message (never allowed).
_LOOKS_LIKE = {
    "exe": "a Windows program",
    "elf": "a Linux program",
    "macho": "a macOS program",
    "script": "a script",
    "gif": "a GIF image",
    "tiff": "a TIFF image",
    "webp": "a WebP image",
    "archive": "a compressed archive",
    "zip": "a ZIP archive",
    "ole": "an older Office file of another kind",
    "macros": "an Office document with macros",
    "binary": "an unrecognised binary file",
    "empty": "an empty file",
    **{t.key: t.name for t in ALLOWED.values()},
}

_OTHER_MAGIC = (
    (b"MZ", "exe"),
    (b"\x7fELF", "elf"),
    (b"\xfe\xed\xfa\xce", "macho"),
    (b"\xfe\xed\xfa\xcf", "macho"),
    (b"\xce\xfa\xed\xfe", "macho"),
    (b"\xcf\xfa\xed\xfe", "macho"),
    (b"\xca\xfe\xba\xbe", "macho"),
    (b"#!", "script"),
    (b"GIF8", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"Rar!", "archive"),
    (b"7z\xbc\xaf\x27\x1c", "archive"),
    (b"\x1f\x8b", "archive"),
)


class FileTypeRefused(LogbookError, ValueError):
    """The content is not an allowed type, or not the type its name says; ``str()`` says why.

    Also a ``ValueError``: it says a value (the file) was refused, as reading one does.
    """


def sniff(data: bytes) -> str:
    """What ``data`` is, from its content alone: a key of ``ALLOWED`` types or of others."""
    if not data:
        return "empty"
    if data.startswith(_PDF):
        return "pdf"
    if data.startswith(_PNG):
        return "png"
    if data.startswith(_JPEG):
        return "jpeg"
    if data.startswith(_ZIP):
        return _sniff_zip(data)
    if data.startswith(_OLE):
        return _sniff_ole(data)
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "webp"
    for magic, key in _OTHER_MAGIC:
        if data.startswith(magic):
            return key
    return "text" if _is_text(data) else "binary"


def looks_like(key: str) -> str:
    """A sniffed key in words ("a Windows program")."""
    return _LOOKS_LIKE.get(key, _LOOKS_LIKE["binary"])


def check(name: str, data: bytes) -> FileType:
    """The allowed type of a file called ``name`` holding ``data``.

    Raises:
        FileTypeRefused: the name has no allowed extension, or the content is not what the
            extension says.
    """
    shown = PurePath(name.replace("\\", "/")).name or name
    extension = PurePath(shown).suffix.lower()
    expected = ALLOWED.get(extension)
    found = sniff(data)
    if expected is None:
        named = f"its name ends in '{extension}'" if extension else "its name has no extension"
        matching = [e for e, t in ALLOWED.items() if t.key == found]
        hint = f" If it is, rename it to end in {matching[0]}." if matching else ""
        raise FileTypeRefused(
            f"'{shown}' cannot be attached: {named}, and its content looks like "
            f"{looks_like(found)}.{hint} Allowed: {ALLOWED_DESCRIPTION}."
        )
    if found != expected.key:
        raise FileTypeRefused(
            f"'{shown}' is named as {expected.name}, but its content looks like "
            f"{looks_like(found)}. Allowed: {ALLOWED_DESCRIPTION}, each with its own "
            "extension."
        )
    return expected


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return "macros"
            if "[Content_Types].xml" in names:
                for prefix, key in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
                    if any(n.startswith(prefix) for n in names):
                        return key
                return "zip"
            mimetype = next((i for i in infos if i.filename == "mimetype"), None)
            if mimetype is not None and mimetype.file_size <= _MAX_MIMETYPE_BYTES:
                return _ODF_MIMETYPES.get(archive.read(mimetype).strip(), "zip")
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError):
        return "binary"
    except (NotImplementedError, RuntimeError):  # unknown compression, encrypted parts
        return "zip"
    return "zip"


def _sniff_ole(data: bytes) -> str:
    # The stream names sit in the compound file's directory, in UTF-16.
    if "_VBA_PROJECT".encode("utf-16-le") in data:
        return "macros"
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book\x00".encode("utf-16-le") in data:
        return "xls"
    return "ole"
