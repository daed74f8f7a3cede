"""The privacy detector: what it flags, what it leaves alone, and that it never fails."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logbook.domain.privacy import IdentifierKind, find_identifiers, nhs_number_is_valid

NHS = IdentifierKind.NHS_NUMBER
DOB = IdentifierKind.DATE_OF_BIRTH
POSTCODE = IdentifierKind.POSTCODE
PHONE = IdentifierKind.PHONE
EMAIL = IdentifierKind.EMAIL
NAME = IdentifierKind.NAME

# (text, expected (kind, matched text) pairs in order)
FLAGGED = [
    # NHS numbers that pass the Modulus 11 check, in the ways people type them
    ("Referral for 943 476 5919 received", [(NHS, "943 476 5919")]),
    ("nhs no 9434765919.", [(NHS, "9434765919")]),
    ("NHS: 943-476-5919", [(NHS, "943-476-5919")]),
    ("ref 401 023 2137 today", [(NHS, "401 023 2137")]),
    # dates of birth: a date beside DOB, born or date of birth
    ("DOB 03/04/1987", [(DOB, "DOB 03/04/1987")]),
    ("d.o.b. 3.4.87 noted", [(DOB, "d.o.b. 3.4.87")]),
    ("client was born 3 April 1987", [(DOB, "born 3 April 1987")]),
    ("born on the 3rd of April 1987", [(DOB, "born on the 3rd of April 1987")]),
    ("Date of birth: 1987-04-03", [(DOB, "Date of birth: 1987-04-03")]),
    ("born in March 1990", [(DOB, "born in March 1990")]),
    ("birthday April 3, 1987", [(DOB, "birthday April 3, 1987")]),
    ("03/04/1987 (DOB)", [(DOB, "03/04/1987 (DOB")]),
    # UK postcodes
    ("lives near SW1A 1AA", [(POSTCODE, "SW1A 1AA")]),
    ("lives near the clinic, EH3 9HA", [(POSTCODE, "EH3 9HA")]),
    ("moved to m1 1ae last week", [(POSTCODE, "m1 1ae")]),
    ("postcode G128QQ", [(POSTCODE, "G128QQ")]),
    # UK phone numbers
    ("mobile 07700 900123", [(PHONE, "07700 900123")]),
    ("call 07700900123 after 5", [(PHONE, "07700900123")]),
    ("tel +44 7700 900123", [(PHONE, "+44 7700 900123")]),
    ("office +44 (0)20 7946 0000", [(PHONE, "+44 (0)20 7946 0000")]),
    ("(0161) 496 0000 is the GP", [(PHONE, "(0161) 496 0000")]),
    ("ring 0131-496-0000", [(PHONE, "0131-496-0000")]),
    # email addresses
    ("wrote to jo.bloggs@example.co.uk about it", [(EMAIL, "jo.bloggs@example.co.uk")]),
    ("sam+work@mail.example.org", [(EMAIL, "sam+work@mail.example.org")]),
    # names after client, patient, service user
    ("Saw client John Smith today", [(NAME, "client John Smith")]),
    ("patient Mrs Jones attended", [(NAME, "patient Mrs Jones")]),
    ("patient mrs jones attended", [(NAME, "patient mrs jones")]),
    ("service user Tom said", [(NAME, "service user Tom")]),
    ("Service-user Aisha", [(NAME, "Service-user Aisha")]),
    ("my client, Sarah, was late", [(NAME, "client, Sarah")]),
    ("a client called Peter", [(NAME, "client called Peter")]),
    ("client J. Smith", [(NAME, "client J. Smith")]),
    ("patient Dr. O'Brien", [(NAME, "patient Dr. O'Brien")]),
    ("Discussed patient Siobhán.", [(NAME, "patient Siobhán")]),
    # names in lower case, after a title, a young person, or with a role after them
    ("client sarah jones", [(NAME, "client sarah jones")]),
    ("Mrs Patel (client) rang", [(NAME, "Mrs Patel (client)")]),
    ("Sarah, my client, was late", [(NAME, "Sarah, my client")]),
    ("young person Jack", [(NAME, "young person Jack")]),
    ("Explored client Rosie's fear", [(NAME, "client Rosie")]),
    # names of a client's relatives
    ("her son Jack", [(NAME, "son Jack")]),
    ("client's husband Tom", [(NAME, "husband Tom")]),
    ("mum of Aisha", [(NAME, "mum of Aisha")]),
    ("Her partner Dave called", [(NAME, "partner Dave")]),
    ("Jack's mum rang", [(NAME, "Jack's mum")]),
    ("NHS 943.476.5919", [(NHS, "943.476.5919")]),
    # several at once, in order
    (
        "client Ann Lee, DOB 01/02/1990, 07700 900123",
        [(NAME, "client Ann Lee"), (DOB, "DOB 01/02/1990"), (PHONE, "07700 900123")],
    ),
]

CLEAN = [
    # ten digits failing the check, or not ten digits
    "Referral 943 476 5918",
    "ten ones 1111111111 is a placeholder",
    "0000000000",
    "invoice 12345",
    "94347659190 eleven digits",
    # dates that are not dates of birth
    "met on 03/04/2024 for supervision",
    "Course started 3 April 2025",
    "the idea was born in 2019",
    "born out of a need for more groups",
    # postcode look-alikes
    "PHQ9 score 12, GAD7 9",
    "Step 2 work 3 days a week",
    "session 1 of 8 at 10am",
    "ab12cd is a code name",
    # a venue's postcode, named as one
    "Clinic at EH3 9HA",
    "venue: EH1 2AB",
    # not phone numbers
    "2024-2025 cohort",
    "scores 10 12 14 16 18 20",
    "0.5 hours of reading",
    # not email addresses
    "Email the team @ lunchtime",
    # role words without a name
    "client group supervision",
    "Client Group Supervision",
    "client work this week",
    "Client Work",
    "patient safety huddle",
    "Patient Safety",
    "Patient Advice and Liaison Service",
    "Patient Experience team",
    "Service User Involvement",
    "Service User Network",
    "the client. Then we reviewed",
    "client CBT protocol",
    "CLIENT GROUP",
    "client's mother",
    "A client In crisis",
    "The client Was anxious",
    "Patient Health Questionnaire",
    "be patient with yourself",
    # supervisors, colleagues and the practitioner's own family
    "Mrs Patel supervised me",
    "Dr Patel (supervisor) signed",
    "Sister Jones on ward 3",
    "my son Jack was ill",
    "young people's service",
    "partner agencies met",
    # venues, helplines
    "at the centre, G12 8QQ",
    "Breathing Space 0800 83 85 87",
    "",
]


@pytest.mark.parametrize(("text", "expected"), FLAGGED)
def test_identifiable_text_is_flagged(
    text: str, expected: list[tuple[IdentifierKind, str]]
) -> None:
    found = find_identifiers(text)
    assert [(w.kind, w.text) for w in found] == expected
    for warning in found:
        assert text[warning.start : warning.end] == warning.text
        assert warning.span == (warning.start, warning.end)


@pytest.mark.parametrize("text", CLEAN)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert find_identifiers(text) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("943 476 5919", ["NHS number", "Modulus 11"]),
        ("DOB 03/04/1987", ["date of birth"]),
        ("SW1A 1AA", ["postcode"]),
        ("07700 900123", ["phone number"]),
        ("a@b.org", ["email address"]),
        ("client John", ["name", "'client'"]),
        ("service user Tom", ["name", "'service user'"]),
    ],
)
def test_each_warning_says_why(text: str, words: list[str]) -> None:
    (warning,) = find_identifiers(text)
    for word in words:
        assert word in warning.reason
    assert warning.kind.label


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("9434765919", True),
        ("4010232137", True),
        ("9434765918", False),  # wrong check digit
        ("1234567881", True),
        ("1234567890", False),  # remainder gives 10: never issued
        ("943476591", False),
        ("94347659a9", False),
    ],
)
def test_modulus_11_check(digits: str, valid: bool) -> None:
    assert nhs_number_is_valid(digits) is valid


def test_an_email_address_wins_over_the_name_inside_it() -> None:
    found = find_identifiers("client john.smith@example.com")
    assert [(w.kind, w.text) for w in found] == [(EMAIL, "john.smith@example.com")]


@given(st.text(max_size=400))
@settings(max_examples=400, deadline=None)
def test_never_raises_and_spans_match_the_text(text: str) -> None:
    found = find_identifiers(text)
    starts = [w.start for w in found]
    assert starts == sorted(starts)
    for warning in found:
        assert 0 <= warning.start < warning.end <= len(text)
        assert text[warning.start : warning.end] == warning.text
        assert warning.reason


digits_and_separators = st.text(alphabet="0123456789 -+()/.:@abcDOBborn", max_size=120)


@given(digits_and_separators)
@settings(max_examples=400, deadline=None)
def test_never_raises_on_number_like_text(text: str) -> None:
    for warning in find_identifiers(text):
        assert text[warning.start : warning.end] == warning.text


@given(st.from_regex(r"\A[1-9]\d{8}\Z"))
def test_every_valid_nhs_number_is_found_however_it_is_spaced(first_nine: str) -> None:
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    if check == 10:
        return  # no valid number starts with these nine digits
    digits = first_nine + str(check)
    if len(set(digits)) == 1:
        return
    spaced = f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    for text in (digits, spaced, spaced.replace(" ", "-")):
        assert [w.kind for w in find_identifiers(f"ref {text} noted")] == [NHS]


def test_a_megabyte_of_adversarial_text_is_checked_to_the_end() -> None:
    # Patterns with nested repetition could take hours on text like this; ours run in
    # linear time (timings are measured in bench/bench_privacy.py, not asserted here).
    pieces = [
        "1 " * 100_000,
        "a@" + "b." * 100_000,
        "client " * 30_000,
        "her son " * 25_000,
        "Mrs Patel, the client's " * 8_000,
        "LS1 4AP venue " * 15_000,
        "DOB 12/03/19" * 15_000,
    ]
    text = "".join(pieces)
    assert len(text) > 1_000_000
    found = find_identifiers(text)
    assert all(text[w.start : w.end] == w.text for w in found)
    assert any(w.kind is POSTCODE for w in found)


def test_the_guarded_fields_are_the_ones_the_forms_watch() -> None:
    from logbook.domain.allowances import GUARDED_FIELDS
    from logbook.ui.editors.kinds import FORMS

    for kind, form in FORMS.items():
        watched = {
            spec.name
            for section in form.sections
            for spec in section.fields
            if spec.guard and spec.editor in ("line", "text", "reflection", "list")
        }
        assert watched == set(GUARDED_FIELDS[kind]), kind
