r"""Reading JSON from outside: in pieces, each piece checked, every refusal located.

The standard ``json.loads`` turns a whole file into Python objects at once, and a hostile file
can make those objects twenty times larger than itself (``[[],[],…]``), nest them deep enough to
exhaust the stack, or carry numbers and text that nothing downstream can store or sign. This
reader keeps the standard (C) scanner but feeds it one piece at a time from the file: a record,
a sign-off row, or a whole small document. Every piece is checked:

- at most ``MAX_DEPTH`` levels of nesting;
- whole numbers within ±(2^53 − 1), the range every JSON reader agrees on (I-JSON, RFC 7493)
  and RFC 8785 can sign; no NaN or infinity;
- text is valid Unicode: UTF-8, and no unpaired surrogate such as ``"\ud800"``;
- no key twice in one object (readers disagree on which one counts);
- a byte order mark at the start is allowed.

Memory: a piece may hold at most ``max_chars`` of text and about ``max_values`` values (counted
from its commas, colons and brackets before it is parsed), and the file is read in chunks of
``CHUNK_BYTES``; so whatever a file holds, reading it needs a bounded amount of memory beyond what
the caller keeps of it.
"""

from __future__ import annotations

import codecs
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from json.scanner import make_scanner
from typing import Any, BinaryIO, Final, cast

from logbook.domain.errors import LogbookError
from logbook.domain.limits import MAX_DEPTH, MAX_SAFE_INTEGER, describe

JsonPath = tuple[str | int, ...]
Report = Callable[[JsonPath, str], None]

CHUNK_BYTES = 256 * 1024
# Text up to this length is parsed without counting its values first (it makes at most ~12 MB
# of objects); longer text is counted, and refused if it may hold more than ``max_values``.
FREE_CHARS = 512 * 1024
MAX_VALUES = 100_000
MAX_KEY_CHARS = 4096
# Runs of tiny elements (``[0,0,…]``) are parsed this many characters at a time.
BATCH_CHARS = 64 * 1024
_FIRST_TRY_CHARS = 16 * 1024

NUMBER_REFUSED = "holds a number that cannot be signed or stored"

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_PLAIN_TEXT = re.compile(r'[^"\\\x00-\x1f]*')
_SURROGATE = re.compile("[\ud800-\udfff]")
_SIMPLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")


class JsonInputError(LogbookError):
    """The input is not JSON, or a piece of it is too large to read, at ``path``.

    Attributes:
        path: Where in the document (``("records", 12, "revision")``); empty for the whole.
        message: What is wrong, starting with a verb ("is not valid JSON: …").
        line: The line of the file, when known.
        column: The column on that line, when known.
        at_end: The file ended where more was expected (it may have been cut short).
        byte: The byte that is not UTF-8, if that is what is wrong.
    """

    def __init__(
        self,
        path: JsonPath,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        at_end: bool = False,
        byte: int | None = None,
    ) -> None:
        self.path = path
        self.message = message
        self.line = line
        self.column = column
        self.at_end = at_end
        self.byte = byte
        where = path_text(path)
        super().__init__(f"{where}: {message}{self.position}" if where else message + self.position)

    @property
    def position(self) -> str:
        """`` (line 3, column 7)``, or nothing when the line is not known."""
        if self.line is None:
            return ""
        column = f", column {self.column}" if self.column is not None else ""
        return f" (line {self.line}{column})"


def path_text(path: JsonPath) -> str:
    """A path as people read it: ``records[12].revision``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _SIMPLE_KEY.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{describe(part)}]"
    return out


def _raise(path: JsonPath, message: str) -> None:
    raise JsonInputError(path, message)


class _Refused:
    """Stands in for a value the hooks refused; the check after parsing reports it."""

    __slots__ = ("message",)
    made = 0  # how many so far: a parse that made none needs no walk to find them

    def __init__(self, message: str) -> None:
        self.message = message
        _Refused.made += 1


INVALID: Final = object()
"""What ``value`` returns for a piece whose problems were reported."""


def _number_text(text: str) -> str:
    return text if len(text) <= 30 else f"a number of {len(text.lstrip('-')):,} digits"


def _parse_int(text: str) -> int | _Refused:
    # Fifteen digits are always within range; longer texts are converted only when short enough
    # to be worth it (Python refuses more than 4,300 digits, with an exception of its own).
    if len(text) <= 15:
        return int(text)
    if len(text) <= 20:
        value = int(text)
        if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            return value
    return _Refused(
        f"{NUMBER_REFUSED} ({_number_text(text)}; whole numbers must be between "
        f"-{MAX_SAFE_INTEGER:,} and {MAX_SAFE_INTEGER:,})"
    )


def _parse_float(text: str) -> float | _Refused:
    value = float(text)
    if math.isfinite(value):
        return value
    return _Refused(f"{NUMBER_REFUSED} ({_number_text(text)} is beyond the largest number)")


def _parse_constant(text: str) -> _Refused:
    return _Refused(f"{NUMBER_REFUSED} ({text}; numbers must be finite)")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any] | _Refused:
    value = dict(pairs)
    if len(value) == len(pairs):
        return value
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return _Refused(f"has the key {describe(key)} twice (readers disagree on which counts)")
        seen.add(key)
    return value  # pragma: no cover - a shorter dict always has a repeated key


# Two scanners: a careful one that checks every number, and a quicker one (Python's own whole
# numbers) for runs of tiny elements, used when no number in the text can be out of range.
# The C scanner reads its hooks from the decoder it is made from.
_careful_scan = make_scanner(
    cast(
        Any,
        json.JSONDecoder(
            object_pairs_hook=_object,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
            strict=True,
        ),
    )
)
_quick_scan = make_scanner(
    cast(
        Any,
        json.JSONDecoder(
            object_pairs_hook=_object,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
            strict=True,
        ),
    )
)
_LONG_NUMBER = re.compile(r"\d{16}")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89abcdefABCDEF]")


def _parse(text: str, first: int, level: int, *, quick: bool = False) -> tuple[Any, int, bool]:
    """The value at ``text[first]``, where it ends, and whether it may break a limit (only then
    is it walked by ``_clean``).

    Raises:
        StopIteration, json.JSONDecodeError, RecursionError: as the scanner does.
    """
    refused = _Refused.made
    if quick:
        try:
            parsed, end = _quick_scan(text, first)
            careful = _LONG_NUMBER.search(text, first, end) is not None
        except json.JSONDecodeError:
            raise
        except ValueError:  # Python refuses to read whole numbers of more than 4,300 digits
            careful = True
        if careful:
            parsed, end = _careful_scan(text, first)
    else:
        parsed, end = _careful_scan(text, first)
    escapes = text.find("\\u", first, end) >= 0 and _ESCAPED_SURROGATE.search(text, first, end)
    deep = level + text.count("[", first, end) + text.count("{", first, end) > MAX_DEPTH
    return parsed, end, bool(escapes) or deep or _Refused.made != refused


def _structure(text: str, start: int, end: int) -> int:
    """At most how many values parsing ``text[start:end]`` can make (each one follows a comma,
    colon or opening bracket; those inside strings only make the count larger)."""
    return sum(text.count(mark, start, end) for mark in "[{,:")


def _clean(value: Any, level: int) -> bool:
    """Whether ``value`` (inside ``level`` containers) breaks no limit: a quick check, so that
    only a piece with a problem is walked again to locate it."""
    pending: list[tuple[Any, int]] = [(value, level)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            if depth >= MAX_DEPTH or any(_SURROGATE.search(k) for k in item):
                return False
            children: Any = item.values()
        elif isinstance(item, list):
            if depth >= MAX_DEPTH:
                return False
            children = item
        elif isinstance(item, _Refused) or (isinstance(item, str) and _SURROGATE.search(item)):
            return False
        else:
            continue
        for child in children:
            if isinstance(child, dict | list):
                if child or depth + 1 >= MAX_DEPTH:  # an empty one holds nothing to check
                    pending.append((child, depth + 1))
            elif isinstance(child, _Refused | str):
                pending.append((child, depth + 1))
    return True


def _locate(value: Any, path: JsonPath, level: int, report: Report) -> None:
    """Report every problem inside ``value``, each at its own path."""
    if isinstance(value, _Refused):
        report(path, value.message)
    elif isinstance(value, str):
        if found := _SURROGATE.search(value):
            report(
                path,
                f"holds text that is not valid Unicode: an unpaired surrogate "
                f"({describe(found.group())}) at character {found.start() + 1:,}",
            )
    elif isinstance(value, dict | list):
        if level >= MAX_DEPTH:
            report(path, f"is nested more than {MAX_DEPTH} levels deep")
            return
        pairs = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in pairs:
            if isinstance(key, str) and _SURROGATE.search(key):
                report((*path, key), "has a name that is not valid Unicode")
            _locate(child, (*path, key), level + 1, report)


@dataclass(frozen=True)
class Bookmark:
    """A place in a file to read again from: its byte offset, line and column."""

    offset: int
    line: int
    column: int


def _utf8_length(text: str, start: int, end: int) -> int:
    piece = text[start:end]
    return len(piece) if piece.isascii() else len(piece.encode("utf-8"))


class JsonStream:
    """A JSON document read from a binary file a piece at a time.

    Containers the caller walks (``members``, ``values``) are read element by element; every
    element or value it asks for is parsed and checked on its own. A problem inside a piece is
    passed to ``report`` and the piece is left out (``value`` returns ``INVALID``); a problem
    that stops reading (not JSON, too large, not UTF-8) raises ``JsonInputError``.
    """

    def __init__(
        self,
        handle: BinaryIO,
        report: Report = _raise,
        *,
        at: Bookmark | None = None,
    ) -> None:
        self._handle = handle
        self.report = report
        if at is not None:
            handle.seek(at.offset)
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._at_start = at is None or at.offset == 0
        self._bytes_read = at.offset if at else 0
        self._bytes_before = self._bytes_read  # bytes of the text dropped before ``_buf``
        self._chars_before = 0
        self._line = at.line if at else 1  # line and column of ``_buf[0]``
        self._column = at.column if at else 1

    # --- the buffer ------------------------------------------------------------------------

    def _drop(self) -> None:
        """Forget the text before the position (it has been read)."""
        buf, pos = self._buf, self._pos
        if not pos:
            return
        newlines = buf.count("\n", 0, pos)
        if newlines:
            self._line += newlines
            self._column = pos - buf.rfind("\n", 0, pos)
        else:
            self._column += pos
        self._bytes_before += _utf8_length(buf, 0, pos)
        self._chars_before += pos
        self._buf, self._pos = buf[pos:], 0

    def _fill(self, need: int) -> bool:
        """Make ``need`` characters after the position available; False if the file ends first."""
        while len(self._buf) - self._pos < need and not self._eof:
            self._drop()
            data = self._handle.read(max(CHUNK_BYTES, need - len(self._buf)))
            pending = len(self._decoder.getstate()[0])
            try:
                text = self._decoder.decode(data, final=not data)
            except UnicodeDecodeError as error:
                byte = self._bytes_read - pending + error.start
                line = self._line + self._buf.count("\n")
                raise JsonInputError(
                    (), f"is not UTF-8 text at byte {byte + 1:,}", line=line, byte=byte + 1
                ) from None
            self._bytes_read += len(data)
            self._eof = not data
            if self._at_start and text:
                self._at_start = False
                if text.startswith("\ufeff"):  # a byte order mark: allowed, and not part of it
                    text = text[1:]
                    self._bytes_before += 3
            self._buf += text
        return len(self._buf) - self._pos >= need

    def _where(self, at: int) -> tuple[int, int]:
        """Line and column of ``_buf[at]``."""
        line = self._line + self._buf.count("\n", 0, at)
        newline = self._buf.rfind("\n", 0, at)
        return line, (at - newline if newline >= 0 else self._column + at)

    def _skip_space(self) -> str:
        """Skip whitespace; the next character, or "" at the end of the file."""
        while True:
            self._pos = _WHITESPACE.match(self._buf, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._fill(1):
                return ""

    def _invalid(self, path: JsonPath, message: str, at: int | None = None) -> JsonInputError:
        """A syntax error at ``_buf[at]`` (default: the position)."""
        at = self._pos if at is None else at
        line, column = self._where(at)
        at_end = self._eof and (
            at >= len(self._buf.rstrip()) or message.startswith("Unterminated string")
        )
        return JsonInputError(
            path, f"is not valid JSON: {message}", line=line, column=column, at_end=at_end
        )

    def _too_large(
        self, path: JsonPath, max_chars: int, max_values: int | None = None
    ) -> JsonInputError:
        line, column = self._where(self._pos)
        values = f" and {max_values:,} values" if max_values is not None else ""
        return JsonInputError(
            path,
            f"is too large to read: it may hold at most {max_chars:,} characters{values}",
            line=line,
            column=column,
        )

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end), without reading it."""
        return self._skip_space()

    def offset(self) -> int:
        """Characters read before the position (to tell whether a value was consumed)."""
        return self._chars_before + self._pos

    def bookmark(self) -> Bookmark:
        """The position, to read again from with a new stream on the same file."""
        self._skip_space()
        line, column = self._where(self._pos)
        offset = self._bytes_before + _utf8_length(self._buf, 0, self._pos)
        return Bookmark(offset, line, column)

    # --- values ------------------------------------------------------------------------------

    def value(
        self,
        path: JsonPath,
        *,
        level: int,
        max_chars: int,
        max_values: int = MAX_VALUES,
    ) -> Any:
        """The value at the position, parsed and checked; ``INVALID`` if it had problems (they
        were reported).

        Args:
            path: Where the value is, for messages.
            level: How many containers enclose it.
            max_chars: The most text it may take.
            max_values: About how many values it may hold.

        Raises:
            JsonInputError: it is not JSON, or too large.
        """
        if not self._skip_space():
            raise self._invalid(path, "Expecting value")
        want = min(_FIRST_TRY_CHARS, max_chars)
        while True:
            self._fill(want)
            start = self._pos
            # The attempt parses what is buffered: ``want`` characters and at most one more chunk
            # (a bounded copy, if more is buffered from an earlier piece); beyond FREE_CHARS it
            # is counted first.
            limit = want + CHUNK_BYTES
            if len(self._buf) - start > limit:
                text, first, stop, more = self._buf[start : start + limit], 0, limit, True
            else:
                text, first, stop, more = self._buf, start, len(self._buf), not self._eof
            if stop - first > FREE_CHARS and _structure(text, first, stop) > max_values:
                raise self._too_large(path, max_chars, max_values)
            try:
                parsed, end, suspect = _parse(text, first, level)
            except StopIteration as nothing:
                error_at, message = int(nothing.value), "Expecting value"
            except json.JSONDecodeError as error:
                error_at, message = error.pos, error.msg
            except RecursionError:
                line, column = self._where(start)
                raise JsonInputError(
                    path, f"is nested more than {MAX_DEPTH} levels deep", line=line, column=column
                ) from None
            else:
                if end < stop or not more:
                    if end - first > max_chars:
                        raise self._too_large(path, max_chars, max_values)
                    self._pos = start + end - first
                    if not suspect or _clean(parsed, level):
                        return parsed
                    _locate(parsed, path, level, self.report)
                    return INVALID
                error_at, message = end, ""  # a number that ends the text may go on
            cut_short = error_at >= stop - 8 or message.startswith("Unterminated string")
            if not (more and cut_short):
                raise self._invalid(path, message, start + error_at - first)
            if want >= max_chars:
                raise self._too_large(path, max_chars, max_values)
            want = min(want * 2, max_chars)

    def _begin(self, path: JsonPath, opening: str, what: str) -> None:
        found = self._skip_space()
        if found != opening:
            if not found:
                raise self._invalid(path, "Expecting value")
            kinds = {"{": "an object", "[": "a list", '"': "text", "n": "null"}
            kind = kinds.get(found, "true or false" if found in "tf" else "a number")
            line, column = self._where(self._pos)
            raise JsonInputError(path, f"must be {what}, not {kind}", line=line, column=column)
        self._pos += 1

    def members(
        self,
        path: JsonPath,
        *,
        level: int,
        max_members: int | None = None,
        distinct: bool = True,
    ) -> Iterator[str]:
        """The keys of the object at the position, in file order.

        After each key the position is at its value: read it (``value``, ``values``,
        ``members``, ``text_pieces``) before asking for the next key, or it is skipped.

        Args:
            path: Where the object is, for messages.
            level: How many containers enclose it.
            max_members: The most members it may have.
            distinct: Report a key given twice (remembering every key: for objects of a few
                members, or of members whose values check their own keys).

        Raises:
            JsonInputError: it is not an object, not JSON, nested too deeply, or has more
                than ``max_members`` members.
        """
        if level >= MAX_DEPTH:
            raise JsonInputError(path, f"is nested more than {MAX_DEPTH} levels deep")
        self._begin(path, "{", "an object")
        found = self._skip_space()
        if found == "}":
            self._pos += 1
            return
        seen: set[str] = set()
        count = 0
        while True:
            if found != '"':
                raise self._invalid(path, "Expecting property name enclosed in double quotes")
            count += 1
            if max_members is not None and count > max_members:
                line, column = self._where(self._pos)
                raise JsonInputError(
                    path, f"has more than {max_members:,} members", line=line, column=column
                )
            key = self.value(path, level=level + 1, max_chars=MAX_KEY_CHARS)
            if key is INVALID:
                key = "?"
            elif distinct:
                if key in seen:
                    self.report((*path, key), "appears twice in the same object")
                seen.add(key)
            if self._skip_space() != ":":
                raise self._invalid(path, "Expecting ':' delimiter")
            self._pos += 1
            self._skip_space()
            before = self.offset()
            yield key
            if self.offset() == before:
                self.skip((*path, key), level=level + 1)
            found = self._skip_space()
            if found == ",":
                self._pos += 1
                found = self._skip_space()
            elif found == "}":
                self._pos += 1
                return
            else:
                raise self._invalid(path, "Expecting ',' delimiter")

    def values(
        self,
        path: JsonPath,
        *,
        level: int,
        max_chars: int,
        max_values: int = MAX_VALUES,
    ) -> Iterator[tuple[int, Any]]:
        """Each element of the list at the position with its index, parsed and checked one at
        a time; an element with a problem is reported and left out.

        Raises:
            JsonInputError: it is not a list, not JSON, or an element is too large.
        """
        if level >= MAX_DEPTH:
            raise JsonInputError(path, f"is nested more than {MAX_DEPTH} levels deep")
        self._begin(path, "[", "a list")
        if self._skip_space() == "]":
            self._pos += 1
            return
        index, small = 0, 0
        while True:
            if small >= 32:
                batch = self._batch(level)
                if batch is not None:
                    items, suspect = batch
                    if not suspect or _clean(items, level):
                        for item in items:
                            yield index, item
                            index += 1
                    else:
                        for item in items:
                            if _clean(item, level + 1):
                                yield index, item
                            else:
                                _locate(item, (*path, index), level + 1, self.report)
                            index += 1
                    continue
                small = -256  # the run has ended (or nears the list's end): one at a time
            before = self.offset()
            item = self.value(
                (*path, index), level=level + 1, max_chars=max_chars, max_values=max_values
            )
            small = small + 1 if self.offset() - before < 64 else min(small, 0)
            if item is not INVALID:
                yield index, item
            index += 1
            found = self._skip_space()
            if found == ",":
                self._pos += 1
            elif found == "]":
                self._pos += 1
                return
            else:
                raise self._invalid(path, "Expecting ',' delimiter")

    def _batch(self, level: int) -> tuple[list[Any], bool] | None:
        """The next elements of a run of tiny ones, parsed together up to the last comma within
        ``BATCH_CHARS``; None when that does not give whole elements."""
        self._skip_space()
        self._fill(BATCH_CHARS)
        buf, start = self._buf, self._pos
        cut = buf.rfind(",", start, start + BATCH_CHARS)
        if cut <= start:
            return None
        wrapped = "[" + buf[start:cut] + "]"
        try:
            items, end, suspect = _parse(wrapped, 0, level, quick=True)
        except (StopIteration, ValueError, RecursionError):
            return None
        if end != len(wrapped) or not isinstance(items, list):
            return None
        self._pos = cut + 1
        return items, suspect

    def text_pieces(self, path: JsonPath, *, max_chars: int) -> Iterator[str]:
        r"""The text of the string at the position, in pieces, never all of it at once.

        Escapes are passed on as written (``\n`` is two characters), for text such as base64
        that has none.

        Raises:
            JsonInputError: it is not text, not JSON, or longer than ``max_chars``.
        """
        self._begin(path, '"', "text")
        total = 0
        while True:
            end = _PLAIN_TEXT.match(self._buf, self._pos).end()  # type: ignore[union-attr]
            if end > self._pos:
                total += end - self._pos
                if total > max_chars:
                    raise self._too_large(path, max_chars)
                piece, self._pos = self._buf[self._pos : end], end
                yield piece
            if self._pos >= len(self._buf):
                if not self._fill(1):
                    raise self._invalid(path, "Unterminated string")
                continue
            found = self._buf[self._pos]
            if found == '"':
                self._pos += 1
                return
            if found != "\\":
                raise self._invalid(path, "Invalid control character")
            self._fill(6)
            size = 6 if self._buf[self._pos + 1 : self._pos + 2] == "u" else 2
            piece, self._pos = self._buf[self._pos : self._pos + size], self._pos + size
            yield piece

    def skip(self, path: JsonPath, *, level: int) -> None:
        """Read past the value at the position, checking it like any other."""
        found = self._skip_space()
        if found == "[":
            for _ in self.values(path, level=level, max_chars=FREE_CHARS):
                pass
        elif found == "{":
            for _ in self.members(path, level=level):
                pass
        elif found == '"':
            for _ in self.text_pieces(path, max_chars=2**62):
                pass
        else:
            self.value(path, level=level, max_chars=MAX_KEY_CHARS)

    def end(self) -> None:
        """Check that nothing but whitespace follows.

        Raises:
            JsonInputError: something does.
        """
        if self._skip_space():
            raise self._invalid((), "Extra data")


def read_document(
    handle: BinaryIO, *, max_chars: int, max_values: int, report: Report = _raise
) -> Any:
    """A whole JSON document, checked; ``INVALID`` if ``report`` was given problems.

    Raises:
        JsonInputError: it is not JSON, not UTF-8, or too large.
    """
    stream = JsonStream(handle, report)
    value = stream.value((), level=0, max_chars=max_chars, max_values=max_values)
    stream.end()
    return value
