"""Spotting client-identifiable details in free text before they are saved.

The logbook records *that* work happened, never who it was with. This detector looks for the
identifiers people most often type by habit (an NHS number, a date of birth, a postcode, a phone
number, an email address, a name after "client", "patient" or "service user") and explains each
finding, so the editor can warn while the user types. It errs towards saying nothing when the
text is ambiguous ("client group", a session date): a warning that cries wolf gets ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


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
        return (self.start, self.end)


def find_identifiers(text: str) -> list[PrivacyWarning]:
    """Every stretch of ``text`` that looks client-identifiable, in order of position.

    Overlapping findings are resolved in favour of the more specific one (an email address
    over the name inside it, an NHS number over a phone number with the same digits).
    """
    found: list[PrivacyWarning] = []
    for detector in _DETECTORS:
        for warning in detector(text):
            if not any(_overlaps(warning, kept) for kept in found):
                found.append(warning)
    return sorted(found, key=lambda w: w.start)


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


def _overlaps(a: PrivacyWarning, b: PrivacyWarning) -> bool:
    return a.start < b.end and b.start < a.end


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

# Ten digits, optionally grouped with single spaces or dashes (943 476 5919, 943-476-5919),
# and not part of a longer run of digits.
_TEN_DIGITS = re.compile(r"(?<!\d)(?<!\d[ -])\d(?:[ -]?\d){9}(?![ -]?\d)")


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
    rf"\b{_DOB_WORD}[\s:=\-–(]*(?:(?:on|in|is|was|the)\s+){{0,2}}(?<!\w){_DATE}(?!\w)",
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
        # UK numbers: 0 then 10 digits (or 9 for a few old area codes), never 00 or 04/06.
        if len(digits) in (10, 11) and digits[1] in "123578":
            found.append(_warning(IdentifierKind.PHONE, match, "looks like a UK phone number"))
    return found


# --- postcode ----------------------------------------------------------------------------------

# Outward code (area letters without Q, V, X first or I, J, Z second, then a district) and inward
# code (a digit and two letters from the set Royal Mail uses).
_POSTCODE = re.compile(
    r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)\s?\d[ABD-HJLNP-UW-Z]{2}\b|\bGIR\s?0AA\b",
    re.IGNORECASE,
)


def _postcodes(text: str) -> list[PrivacyWarning]:
    found = []
    for match in _POSTCODE.finditer(text):
        code = match.group()
        # Lower-case without a space ("ab12cd") is more often a code name than a postcode.
        if code.isupper() or " " in code:
            # The outward code needs its district digit straight after the area letters.
            outward = code.split()[0] if " " in code else code[:-3]
            if re.fullmatch(r"[A-Za-z]{1,2}\d[A-Za-z\d]?", outward):
                found.append(_warning(IdentifierKind.POSTCODE, match, "looks like a UK postcode"))
    return found


# --- name after client / patient / service user ------------------------------------------------

_ROLE = re.compile(r"\b(client|patient|service[\s-]user)(?![\w'’-])", re.IGNORECASE)
_GAP = re.compile(r"[,:]?[ \t]+(?:(?:called|named)[ \t]+)?", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'’\-]*\.?")
_SPACE = re.compile(r"[ \t]+")
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "master"})
# Capitalised words that commonly follow "client" or "patient" without being a name (headings
# in title case, the start of the next clause).
_NOT_NAME_WORDS = """
    a an and or but so as if not no yes all both each some many most other another there here
    what how why when where while which who whose that this these those the of for to in on at
    with by from into about after before because during since although though therefore however
    also then again today yesterday now next finally first last was is are were be been has had
    have does did do will would could should may might must can i we he she they it his her their
    my our your me us him them

    group groups work works worker workers hours hour contact contacts session sessions care
    centred centered centre center led facing feedback safety record records notes note load
    caseload satisfaction experience experiences involvement voice participation outcome outcomes
    assessment assessments information confidentiality consent journey journeys pathway pathways
    population populations service services user users need needs base list lists file files
    data demographics focused focussed story stories perspective perspectives advice liaison
    reported rated identifiable details survey surveys portal engagement numbers number team
    teams material materials case cases review reviews meeting meetings progress risk risks
    consultation consultations questionnaire questionnaires goals goal health network forum
    panel council representative representatives charter rights partnership reference advisory
    relations access leaflet leaflets handbook guide guidance agreement contract plan plans
    choice choices flow education safeguarding support supports therapy treatment welfare
    wellbeing views view confidential anonymised anonymous profile profiles demographic mix
    presentation presentations material

    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december
    """
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())


def _is_name_word(word: str) -> bool:
    bare = word.rstrip(".")
    return (
        bare[:1].isupper()
        and not bare.isupper()  # "CBT", "PHQ": acronyms, not names
        and bare.lower() not in _NOT_NAMES
        and bare.lower() not in _TITLES
    )


def _words_after(text: str, position: int, limit: int) -> list[re.Match[str]]:
    """Up to ``limit`` words following ``position``, separated by spaces on one line."""
    words = []
    for _ in range(limit):
        match = _WORD.match(text, position)
        if match is None:
            break
        words.append(match)
        bare = match.group()[:-1]
        if match.group().endswith(".") and len(bare) > 1 and bare.lower() not in _TITLES:
            break  # a full stop ends the sentence ("client Jones. Then..."), unlike "Dr."
        gap = _SPACE.match(text, match.end())
        if gap is None:
            break
        position = gap.end()
    return words


def _names(text: str) -> list[PrivacyWarning]:
    found = []
    for role in _ROLE.finditer(text):
        gap = _GAP.match(text, role.end())
        if gap is None:
            continue
        words = _words_after(text, gap.end(), 3)
        if not words:
            continue
        first = words[0].group()
        name: list[re.Match[str]] = []
        if first.rstrip(".").lower() in _TITLES and len(words) > 1:
            # A title makes the next word a name, whatever its case ("patient mrs jones").
            name = [words[0], words[1]]
            if len(words) > 2 and _is_name_word(words[2].group()):
                name.append(words[2])
        elif len(first) <= 2 and first.endswith(".") and len(words) > 1:
            # An initial ("client J. Smith").
            if first[0].isupper() and _is_name_word(words[1].group()):
                name = [words[0], words[1]]
        elif _is_name_word(first):
            name = [words[0]]
            if len(words) > 1 and _is_name_word(words[1].group()):
                name.append(words[1])
        if not name:
            continue
        end = name[-1].end()
        if text[end - 1] == "." and name[-1].group().rstrip(".").lower() not in _TITLES:
            end -= 1  # the full stop ends the sentence, not the name
        kind = re.sub(r"[\s-]+", " ", role.group().lower())
        found.append(
            PrivacyWarning(
                IdentifierKind.NAME,
                role.start(),
                end,
                text[role.start() : end],
                f"looks like a person's name after '{kind}'",
            )
        )
    return found


# Most specific first: an email beats the name inside it, an NHS number beats a phone number.
_DETECTORS = (_emails, _nhs_numbers, _dates_of_birth, _phones, _postcodes, _names)
