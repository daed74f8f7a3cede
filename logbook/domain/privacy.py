"""Spotting client-identifiable details in free text before they are saved.

The logbook records *that* work happened, never who it was with. This detector looks for the
identifiers people most often type by habit (an NHS number, a date of birth, a postcode, a phone
number, an email address, a name beside "client", "patient", "young person" or a relation such
as "her son") and explains each finding, so every way into the logbook (the forms, the command
line, imports, sign-off requests) can warn. It errs towards saying nothing when the text is
ambiguous ("client group", a session date, a venue's postcode): a warning that cries wolf gets
ignored. Supervisors' and colleagues' names belong in a logbook and are left alone.

Every pattern runs in time linear in the text (no nested repetition that could backtrack), so a
large import is checked as fast as it is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from logbook.domain.privacy_words import (
    AMBIGUOUS_NAMES,
    FIRST_NAMES,
    NOT_NAMES,
    RELATIVES,
    SURNAMES,
    TITLES,
)


class IdentifierKind(StrEnum):
    """The kinds of client identifier the detector knows."""

    NHS_NUMBER = "nhs_number"
    DATE_OF_BIRTH = "date_of_birth"
    POSTCODE = "postcode"
    PHONE = "phone"
    EMAIL = "email"
    NAME = "name"

    @property
    def label(self) -> str:
        """Its name as people read it ("NHS number", "Client name")."""
        return _LABELS[self]


_LABELS = {
    IdentifierKind.NHS_NUMBER: "NHS number",
    IdentifierKind.DATE_OF_BIRTH: "Date of birth",
    IdentifierKind.POSTCODE: "Postcode",
    IdentifierKind.PHONE: "Phone number",
    IdentifierKind.EMAIL: "Email address",
    IdentifierKind.NAME: "Client name",
}


@dataclass(frozen=True)
class PrivacyWarning:
    """One stretch of text that looks client-identifiable.

    Attributes:
        kind: What it looks like.
        start: Index of the first character in the text.
        end: Index just past the last character.
        text: The matched text itself (``text == source[start:end]``).
        reason: Why it was flagged, in plain English.
    """

    kind: IdentifierKind
    start: int
    end: int
    text: str
    reason: str

    @property
    def span(self) -> tuple[int, int]:
        """Where it lies in the text, as ``(start, end)`` for slicing or highlighting."""
        return (self.start, self.end)


def find_identifiers(text: str) -> list[PrivacyWarning]:
    """Every stretch of ``text`` that looks client-identifiable, in order of position.

    Overlapping findings are resolved in favour of the more specific one (an email address
    over the name inside it, an NHS number over a phone number with the same digits).
    """
    found: list[PrivacyWarning] = []
    for detector in _DETECTORS:
        found = _merge(found, detector(text))
    return found


def _merge(kept: list[PrivacyWarning], new: list[PrivacyWarning]) -> list[PrivacyWarning]:
    """``kept`` (sorted, not overlapping) with the findings of ``new`` (sorted by start) that
    overlap neither it nor each other, in one pass over both."""
    merged: list[PrivacyWarning] = []
    i = 0
    for warning in new:
        while i < len(kept) and kept[i].end <= warning.start:
            merged.append(kept[i])
            i += 1
        if i < len(kept) and kept[i].start < warning.end:
            continue  # overlaps a more specific finding
        if merged and merged[-1].end > warning.start:
            continue  # overlaps one of its own kind found further left
        merged.append(warning)
    merged.extend(kept[i:])
    return merged


def nhs_number_is_valid(digits: str) -> bool:
    """Whether ten digits pass the NHS Modulus 11 check (weights 10 to 2, check digit last).

    A remainder giving 10 means no valid number exists with those first nine digits.
    """
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _warning(kind: IdentifierKind, match: re.Match[str], reason: str) -> PrivacyWarning:
    return PrivacyWarning(kind, match.start(), match.end(), match.group(), reason)


# --- email -------------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b"
)


def _emails(text: str) -> list[PrivacyWarning]:
    return [
        _warning(IdentifierKind.EMAIL, m, "looks like an email address")
        for m in _EMAIL.finditer(text)
    ]


# --- NHS number --------------------------------------------------------------------------------

# Ten digits, optionally grouped with single spaces, dashes or dots (943 476 5919,
# 943-476-5919, 943.476.5919), and not part of a longer run of digits.
_TEN_DIGITS = re.compile(r"(?<!\d)(?<!\d[ .-])\d(?:[ .-]?\d){9}(?![ .-]?\d)")


def _nhs_numbers(text: str) -> list[PrivacyWarning]:
    found = []
    for match in _TEN_DIGITS.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        # Ten identical digits pass the check arithmetically but are never issued.
        if len(set(digits)) > 1 and nhs_number_is_valid(digits):
            found.append(
                _warning(
                    IdentifierKind.NHS_NUMBER,
                    match,
                    "looks like an NHS number (passes the Modulus 11 check)",
                )
            )
    return found


# --- date of birth -----------------------------------------------------------------------------

_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"  # 03/04/1987, 3.4.87, 03-04-1987
    r"|\d{4}-\d{1,2}-\d{1,2}"  # 1987-04-03
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}"  # 3rd April 1987
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # April 3, 1987
    rf"|(?:{_MONTHS})\.?\s+\d{{4}})"  # April 1987
)
_DOB_WORD = r"(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|birth\s*date|birthday|born)"
# The keyword, then up to a few short words ("DOB:", "born on", "date of birth is"), then a date.
_DOB_BEFORE = re.compile(
    rf"\b{_DOB_WORD}[\s:=\-–(]*(?:(?:on|in|is|was|the|as|of)\s+){{0,2}}(?<!\w){_DATE}(?!\w)",
    re.IGNORECASE,
)
# A date with the keyword just after it: "03/04/1987 (DOB)".
_DOB_AFTER = re.compile(rf"(?<!\w){_DATE}[\s,;:(\[]{{1,3}}{_DOB_WORD}", re.IGNORECASE)


def _dates_of_birth(text: str) -> list[PrivacyWarning]:
    found = []
    for pattern in (_DOB_BEFORE, _DOB_AFTER):
        for match in pattern.finditer(text):
            found.append(
                _warning(
                    IdentifierKind.DATE_OF_BIRTH,
                    match,
                    "looks like a date of birth (a date next to 'DOB', 'born' or 'date of birth')",
                )
            )
    return found


# --- phone -------------------------------------------------------------------------------------

# +44 7700 900123, +44 (0)20 7946 0000, 0044 161 496 0000, (0161) 496 0000, 07700-900-123
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)44[\s\-]?(?:\(0\)[\s\-]?)?|\(0|0)\d(?:[\s\-]?\)?[\s\-]?\d){8,9}(?![\w])"
)


def _phones(text: str) -> list[PrivacyWarning]:
    found = []
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if match.group().lstrip("(").startswith(("+44", "0044")):
            digits = digits[4:] if digits.startswith("0044") else digits[2:]
            digits = digits.removeprefix("0")
            digits = "0" + digits
        # UK numbers: 0 then 10 digits (or 9 for a few old area codes). Only landlines (01, 02)
        # and mobiles (07) belong to people: 03 and 08 numbers are services' and helplines'.
        if len(digits) in (10, 11) and digits[1] in "127":
            found.append(_warning(IdentifierKind.PHONE, match, "looks like a UK phone number"))
    return found


# --- postcode ----------------------------------------------------------------------------------

# Outward code (area letters without Q, V, X first or I, J, Z second, then a district) and inward
# code (a digit and two letters from the set Royal Mail uses).
_POSTCODE = re.compile(
    r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)\s?\d[ABD-HJLNP-UW-Z]{2}\b|\bGIR\s?0AA\b",
    re.IGNORECASE,
)


# A postcode named as a place of work or study ("venue: EH1 2AB", "at the centre, G12 8QQ")
# or a code ("module HS5 1CP") is not a client's, unless the same clause speaks of a home.
_VENUE = re.compile(
    r"\b(?:venue|centre|center|clinic|hospital|surgery|office|offices|hub|hall|hotel|library"
    r"|universit(?:y|ies)|college|campus|school|premises|building|HQ|headquarters|base|room"
    r"|retreat|conference|workshop|training|course|module|unit|code|held)\b",
    re.IGNORECASE,
)
_HOME = re.compile(
    r"\b(?:lives?|living|resides?|resident|home|flat|moved[ \t]+(?:house|home|in))\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.;!?\n](?:\s|$)")
_LOOK_BACK = 60


def _postcodes(text: str) -> list[PrivacyWarning]:
    found = []
    for match in _POSTCODE.finditer(text):
        code = match.group()
        # Lower-case without a space ("ab12cd") is more often a code name than a postcode.
        if not (code.isupper() or " " in code):
            continue
        # The outward code needs its district digit straight after the area letters.
        outward = code.split()[0] if " " in code else code[:-3]
        if not re.fullmatch(r"[A-Za-z]{1,2}\d[A-Za-z\d]?", outward):
            continue
        if _is_venue(text[max(0, match.start() - _LOOK_BACK) : match.start()]):
            continue
        found.append(_warning(IdentifierKind.POSTCODE, match, "looks like a UK postcode"))
    return found


def _is_venue(before: str) -> bool:
    """Whether the clause before a postcode names it as a venue, without a home."""
    ends = list(_CLAUSE_END.finditer(before))
    clause = before[ends[-1].end() :] if ends else before
    return _VENUE.search(clause) is not None and _HOME.search(clause) is None


# --- names of clients and their relatives -------------------------------------------------------

# "pt" is the clinical shorthand for a patient ("PT" is more often physical training).
_ROLE_WORDS = (
    r"client|patient|service[\s-]user|young[\s-]person|child|pupil|participant|(?-i:[Pp]t\.?)"
)
# The lookahead on the first letter lets most positions fail before the alternatives are tried.
_ROLE = re.compile(rf"\b(?=[cpsyCPSY])(?:{_ROLE_WORDS})(?![\w'’-])", re.IGNORECASE)
_RELATIVE = re.compile(
    rf"(?<![\w-])(?=[{''.join(sorted({w[0] for w in RELATIVES.split('|')}))}])(?:{RELATIVES})"
    r"(?![\w'’-])",
    re.IGNORECASE,
)
# Between a role or relation word and the name: "client Sarah", "client, Sarah", "son (Jack)",
# "a client called Peter", "mum of Jack".
_GAP = re.compile(r"[,:]?[ \t]+(?:\([ \t]*)?(?:(?:called|named|known[ \t]+as|of)[ \t]+)?", re.I)
_WORD = re.compile(r"[^\W\d_][\w'’\-]*\.?")
_SPACE = re.compile(r"[ \t]+")
# The practitioner's own family ("my son Jack") is not a client's.
_OWN = re.compile(r"\b(?:my|our)[ \t]+(?:[\w-]+[ \t]+)?$", re.IGNORECASE)
# These capitalised without "her", "his", "client's" before them are titles ("Sister Jones" on
# the ward, "Father O'Neill" the chaplain).
_TITLE_RELATIVES = frozenset({"sister", "brother", "mother", "father"})
_POSSESSIVE = re.compile(r"(?:\b(?:his|her|their|the|a|an|whose)|['’]s)[ \t]+$", re.IGNORECASE)
# "Jack's mum", "Sarah's husband".
_NAME_OF_RELATIVE = re.compile(
    rf"(?<![\w'’-])([^\W\d_][\w-]*)['’]s[ \t]+(?:{RELATIVES})(?![\w'’-])", re.IGNORECASE
)
# What comes between a name and the role word after it: "Mrs Patel (client)",
# "Sarah, my client", "Tom, her husband", "Aisha - a young person".
_BEFORE_ROLE = re.compile(
    r"(?:[ \t]*\([ \t]*|[ \t]*,[ \t]*|[ \t]+[-–—][ \t]+|[ \t]+(?:who[ \t]+)?(?:is|was)[ \t]+)"
    r"(?:(?:the|a|an|my|her|his|their)[ \t]+)?"
    rf"(?:(?:{_ROLE_WORDS})['’]s[ \t]+)?"
    r"(?:(?:new|former|current|young|adult|older)[ \t]+)?$",
    re.IGNORECASE,
)
_LAST_WORDS = re.compile(
    r"(?:(?<![\w'’.-])([^\W\d_][\w'’-]*)\.?[ \t]+)?(?<![\w'’.-])([^\W\d_][\w'’-]*)$"
)


def _capitalised_name(word: str) -> bool:
    bare = word.rstrip(".")
    return (
        bare[:1].isupper()
        and not bare.isupper()  # "CBT", "PHQ": acronyms, not names
        and bare.lower() not in NOT_NAMES
        and bare.lower() not in TITLES
    )


def _first_name(word: str) -> bool:
    """A known first name, in any case (lower case only when it is not also a word)."""
    bare = word.rstrip(".").lower()
    if bare not in FIRST_NAMES:
        return False
    return word[:1].isupper() or bare not in AMBIGUOUS_NAMES


def _surname(word: str) -> bool:
    return _capitalised_name(word) or word.rstrip(".").lower() in SURNAMES


def _words_after(text: str, position: int, limit: int) -> list[re.Match[str]]:
    """Up to ``limit`` words following ``position``, separated by spaces on one line."""
    words = []
    for _ in range(limit):
        match = _WORD.match(text, position)
        if match is None:
            break
        words.append(match)
        bare = match.group()[:-1]
        if match.group().endswith(".") and len(bare) > 1 and bare.lower() not in TITLES:
            break  # a full stop ends the sentence ("client Jones. Then..."), unlike "Dr."
        gap = _SPACE.match(text, match.end())
        if gap is None:
            break
        position = gap.end()
    return words


def _name_after(words: list[re.Match[str]]) -> list[re.Match[str]]:
    """The words that make a name at the start of ``words`` (none if they do not)."""
    if not words:
        return []
    first = words[0].group()
    if first.rstrip(".").lower() in TITLES and len(words) > 1:
        # A title makes the next word a name, whatever its case ("patient mrs jones").
        name = [words[0], words[1]]
        if len(words) > 2 and _capitalised_name(words[2].group()):
            name.append(words[2])
        return name
    if len(first) <= 2 and first.endswith(".") and len(words) > 1:
        # An initial ("client J. Smith").
        if first[0].isupper() and _capitalised_name(words[1].group()):
            return [words[0], words[1]]
        return []
    if _capitalised_name(first) or _first_name(first):
        if len(words) > 1 and _surname(words[1].group()):
            return [words[0], words[1]]
        return [words[0]]
    return []


def _finding(text: str, start: int, end: int, reason: str) -> PrivacyWarning:
    if text[end - 1] == "." and text[start:end].split()[-1].rstrip(".").lower() not in TITLES:
        end -= 1  # the full stop ends the sentence, not the name
    if text[end - 2 : end] in ("'s", "’s") and end - 2 > start:
        end -= 2  # "client Rosie's fear": the name is Rosie
    return PrivacyWarning(IdentifierKind.NAME, start, end, text[start:end], reason)


def _names_after_roles(text: str, roles: list[re.Match[str]]) -> Iterator[PrivacyWarning]:
    """ "client Sarah Jones", "patient mrs jones", "young person, Aisha"."""
    for role in roles:
        gap = _GAP.match(text, role.end())
        if gap is None:
            continue
        name = _name_after(_words_after(text, gap.end(), 3))
        if name:
            word = re.sub(r"[\s-]+", " ", role.group().lower())
            reason = f"looks like a person's name after '{word}'"
            yield _finding(text, role.start(), name[-1].end(), reason)


def _names_after_relatives(text: str, relatives: list[re.Match[str]]) -> Iterator[PrivacyWarning]:
    """ "her son Jack", "client's husband Tom", "mum of Aisha"."""
    for relative in relatives:
        before = text[max(0, relative.start() - 30) : relative.start()]
        if _OWN.search(before):
            continue
        word = relative.group()
        titled = word[0].isupper() and word.lower() in _TITLE_RELATIVES
        if titled and not _POSSESSIVE.search(before):
            continue
        gap = _GAP.match(text, relative.end())
        if gap is None:
            continue
        name = _name_after(_words_after(text, gap.end(), 3))
        if name:
            yield _finding(text, relative.start(), name[-1].end(), _relative_reason(relative))
    for match in _NAME_OF_RELATIVE.finditer(text):
        word = match.group(1)
        if _capitalised_name(word) or _first_name(word):
            reason = "looks like a person's name with a relation of theirs"
            yield _finding(text, match.start(), match.end(), reason)


def _names_before_roles(text: str, triggers: list[re.Match[str]]) -> Iterator[PrivacyWarning]:
    """ "Mrs Patel (client)", "Sarah, my client", "Tom, her husband"."""
    for trigger in triggers:
        window = text[max(0, trigger.start() - 60) : trigger.start()]
        lead = _BEFORE_ROLE.search(window)
        relative = _RELATIVE.fullmatch(trigger.group()) is not None
        if lead is None or (relative and _OWN.search(lead.group())):
            continue
        words = _LAST_WORDS.search(window, 0, lead.start())
        if words is None:
            continue
        offset = trigger.start() - len(window)
        before, last = words.group(1), words.group(2)
        if before and before.lower() in TITLES and last[:1].isupper():
            start = offset + words.start(1)  # "Mrs Patel (client)"
        elif before and _first_name(before) and _surname(last):
            start = offset + words.start(1)  # "Sarah Jones, a patient"
        elif _first_name(last):
            start = offset + words.start(2)  # "Sarah, my client"
        else:
            continue
        end = trigger.end() + (1 if text[trigger.end() : trigger.end() + 1] == ")" else 0)
        word = re.sub(r"[\s-]+", " ", trigger.group().lower())
        reason = _relative_reason(trigger) if relative else f"looks like the name of a {word}"
        yield PrivacyWarning(IdentifierKind.NAME, start, end, text[start:end], reason)


def _relative_reason(word: re.Match[str]) -> str:
    return f"looks like the name of a client's relative (beside '{word.group().lower()}')"


def _names(text: str) -> list[PrivacyWarning]:
    # Ordered by position so overlapping findings resolve left to right.
    roles, relatives = list(_ROLE.finditer(text)), list(_RELATIVE.finditer(text))
    found = [
        *_names_after_roles(text, roles),
        *_names_after_relatives(text, relatives),
        *_names_before_roles(text, roles + relatives),
    ]
    return sorted(found, key=lambda w: (w.start, -w.end))


# Most specific first: an email beats the name inside it, an NHS number beats a phone number.
_DETECTORS = (_emails, _nhs_numbers, _dates_of_birth, _phones, _postcodes, _names)
