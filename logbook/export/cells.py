"""Texts of table cells and the record selections that several layouts print."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter

from logbook.domain.catalogue import KINDS, filed_on
from logbook.domain.choices import Direction
from logbook.domain.periods import Period, add_months
from logbook.domain.privacy import find_identifiers
from logbook.domain.records import (
    Attachment,
    Milestone,
    PersonalPractice,
    PracticeEntry,
    Record,
    RecordKind,
    SupervisionSession,
    TeachingCourse,
    minutes_of,
)
from logbook.domain.requirements.credit import credit_minutes
from logbook.domain.signing import PERIOD_SUMMARY
from logbook.domain.signoff import SignoffEvidence, SignoffMode, SignoffState
from logbook.export import text as t
from logbook.export.data import EntrySignoff, PortfolioData

# --- selections ----------------------------------------------------------------------------------


def supervision(data: PortfolioData, direction: str) -> list[SupervisionSession]:
    """Supervision sessions of one direction ("received" or "given"), oldest first."""
    return [
        s
        for s in data.typed(RecordKind.SUPERVISION, SupervisionSession)
        if s.direction == direction
    ]


def received(data: PortfolioData) -> list[SupervisionSession]:
    """Supervision the practitioner received in the period, oldest first."""
    return supervision(data, "received")


def given(data: PortfolioData) -> list[SupervisionSession]:
    """Supervision the practitioner gave to others in the period, oldest first."""
    return supervision(data, "given")


def minutes_total(sessions: Sequence[SupervisionSession]) -> int:
    """Time spent in ``sessions``, in full (group time not divided)."""
    return sum(s.duration_minutes for s in sessions)


def credited_minutes(session: SupervisionSession, data: PortfolioData) -> float:
    """Supervision time credited to the supervisee by the group formula the data names."""
    return credit_minutes(session, data.group_credit)[0]


def credited_total(sessions: Sequence[SupervisionSession], data: PortfolioData) -> float:
    """Supervision minutes credited for ``sessions``, group time divided as the data says."""
    return sum(credited_minutes(s, data) for s in sessions)


def credited_hours_text(minutes: float) -> str:
    """Credited minutes (a fraction when group time is divided) as hours to two decimals."""
    return f"{minutes / 60:.2f}"


def current_stage(milestones: Sequence[Milestone]) -> str:
    """The latest completed milestone of a pathway, or the first one in progress."""
    complete = [m for m in milestones if m.status == "complete"]
    if complete:
        return complete[-1].title
    going = [m for m in milestones if m.status == "in_progress"]
    return going[0].title if going else ""


# --- cell texts ----------------------------------------------------------------------------------


def supervision_type_text(session: SupervisionSession) -> str:
    """The type of supervision, marked when it was given rather than received or was live,
    then how it worked (its methods)."""
    parts = [session.supervision_type.label]
    if session.direction == "given":
        parts.append("(given)")
    if session.live:
        parts.append("Live")
    parts += [method.label for method in session.methods]
    return "\n".join(parts)


def supervision_format_text(session: SupervisionSession) -> str:
    """Individual or group (with its size when known), over the mode it was held in."""
    if session.format == "group":
        size = f" of {session.group_size}" if session.group_size else ""
        return f"Group{size}\n{session.mode.label}"
    return f"Individual\n{session.mode.label}"


def twelve_months_back(period: Period) -> list[Period]:
    """The twelve-month periods that end on ``period``'s last day and step back to its first,
    oldest first (the first may be shorter)."""
    assert period.start is not None
    assert period.end is not None
    spans, end = [], period.end
    while end >= period.start:
        start = max(period.start, add_months(end, -12) + timedelta(days=1))
        spans.append(Period(start, end))
        end = start - timedelta(days=1)
    return spans[::-1]


def counterpart_text(session: SupervisionSession, data: PortfolioData) -> str:
    """The other person in a session: the supervisor, or the supervisee when it was given."""
    name = data.person_name(session.counterpart_uid)
    if session.direction == "given" and name:
        return f"{name} (supervisee)"
    return name


def practice_hours_text(entry: PracticeEntry) -> str:
    """A practice entry's hours; a missed session reads "DNA", a contact-only entry its count."""
    if entry.did_not_attend:
        return "DNA\n(0.00)"
    if entry.contact_only:  # recorded that contact took place, never for how long
        plural = "" if entry.clients == 1 else "s"
        return f"{entry.clients} contact{plural}\n(no hours)"
    return t.hours_text(entry.duration_minutes)


def practice_role_text(entry: PracticeEntry) -> str:
    """The practitioner's role in a practice entry, and whether it was supervised."""
    supervised = "supervised" if entry.supervised else "unsupervised"
    return f"{entry.role.label}\n{supervised}"


def course_role_text(course: TeachingCourse) -> str:
    """The practitioner's teaching role on a course and their share of the teaching."""
    return f"{course.role.label}\n{course.share_percent} % share"


def course_sessions_text(course: TeachingCourse) -> str:
    """Sessions of a course delivered out of those planned ("7 of 8")."""
    return f"{course.sessions_delivered} of {course.sessions_planned}"


def reflection_text(record: Record) -> str:
    """An entry's reflection, marked when it is private (included on request)."""
    reflection = str(getattr(record, "reflection", ""))
    if not reflection:
        return ""
    prefix = "PRIVATE – " if getattr(record, "reflection_private", False) else ""
    return prefix + reflection


def fingerprint_text(fingerprint: str) -> str:
    """A fingerprint as it is read aloud: groups of four joined by dashes (e.g. 7K2M-QX4R-…)."""
    clean = fingerprint.replace(":", "").replace(" ", "").replace("-", "")
    return "-".join(clean[i : i + 4] for i in range(0, len(clean), 4))


# --- sign-off ------------------------------------------------------------------------------------

S = SignoffState

# An entry's sign-off state in a word or two, as a log column shows it.
SHORT_STATE = {
    S.VERIFIED: "Signed",
    S.UNCONFIRMED: "Signed, key not confirmed",
    S.NOT_SUPERVISOR: "Signed",  # the note under it names the signer
    S.CHANGED: "Changed since signed",
    S.INVALID: "Signature invalid",
    S.RETURNED: "Returned",
    S.AWAITING: "Awaiting",
    S.UNSIGNED: "Not signed",
    # A signature made for another practitioner is no evidence here, and is never listed.
    S.FOREIGN: "Not signed",
    S.PAPER: "Paper, unverified",
}
REVOKED = "Revoked"
# States in which what the entry says now carries a valid signature.
SIGNED_STATES = frozenset({S.VERIFIED, S.UNCONFIRMED, S.NOT_SUPERVISOR})
# The sign-off column's weight among a log's columns when it wraps (a supervisor's comment, why a
# signature was withdrawn).
SIGNOFF_WEIGHT = 44
# What a coverage line adds, in this order: signed entries that prove less, then entries
# not signed that are on their way to a signature or back from one.
COVERAGE_NOTES = (
    (S.NOT_SUPERVISOR.value, "signed by someone other than the supervisor named"),
    (S.UNCONFIRMED.value, "signed with a key not yet confirmed"),
    (S.CHANGED.value, "changed since signed"),
    (S.RETURNED.value, "returned"),
    (S.AWAITING.value, "awaiting sign-off"),
    (REVOKED, "revoked"),
    (S.PAPER.value, "with paper evidence only"),
    (S.INVALID.value, "with a signature that is not valid"),
)


@dataclass(frozen=True)
class Listed:
    """Entries a layout lists, under the label its coverage line gives them."""

    label: str
    kind: RecordKind
    records: Sequence[Record]


# An entry's uid, as counting by uid reads it (without a Python call per entry).
_uid = attrgetter("uid")


class SignoffIndex:
    """The sign-off of each entry of a document, looked up by uid."""

    def __init__(self, data: PortfolioData) -> None:
        self.entries: Mapping[str, EntrySignoff] = data.entry_signoffs
        self.latest: dict[str, SignoffEvidence] = {}
        for evidence in data.signoffs:
            known = self.latest.get(evidence.target_uid)
            if known is None or evidence.signed_at > known.signed_at:
                self.latest[evidence.target_uid] = evidence
        # Coverage lines count every entry of a long log, several times over: one lookup each.
        self._states = {uid: evidence.state for uid, evidence in self.latest.items()}
        self._states.update((uid, entry.state) for uid, entry in self.entries.items())
        self._revoked = {uid for uid, entry in self.entries.items() if _is_revoked(entry)}
        self._signed = {uid for uid, state in self._states.items() if state in SIGNED_STATES}
        # The counting key of every entry that has one other than "Unsigned".
        self._keys = {uid: state.value for uid, state in self._states.items()}
        self._keys.update((uid, REVOKED) for uid in self._revoked)

    def state(self, uid: str) -> SignoffState:
        """The entry's checked state (from its newest signature when no state was gathered)."""
        return self._states.get(uid, S.UNSIGNED)

    def revoked(self, uid: str) -> bool:
        """Whether the entry is unsigned because its signature was withdrawn."""
        return uid in self._revoked

    def signed_among(self, records: Iterable[Record]) -> int:
        """How many of ``records`` carry a valid signature of what they say now."""
        return sum(map(self._signed.__contains__, map(_uid, records)))

    def counted(self, records: Iterable[Record]) -> Counter[str | None]:
        """How many of ``records`` are in each state, by its value ("Revoked" for a withdrawn
        signature; None for unsigned)."""
        return Counter(map(self._keys.get, map(_uid, records)))


def _is_revoked(entry: EntrySignoff) -> bool:
    return entry.state is S.UNSIGNED and bool(entry.revocations)


def named_supervisor(record: Record, data: PortfolioData) -> str:
    """The person an entry names as the one to sign it: the supervisor of supervision received,
    the assessor of a milestone ("" when it names no one)."""
    if isinstance(record, SupervisionSession) and record.direction is Direction.RECEIVED:
        return data.person_name(record.counterpart_uid)
    if isinstance(record, Milestone):
        return data.person_name(record.assessor_uid)
    return ""


def same_person(a: str, b: str) -> bool:
    """Names compared as people read them (case, full stops and spacing aside)."""

    def fold(name: str) -> str:
        return " ".join(name.casefold().replace(".", " ").split())

    return fold(a) == fold(b)


def not_the_supervisor(evidence: SignoffEvidence, supervisor: str) -> str:
    """Who signed, when it was not the supervisor the entry names (else ""): the person the
    key is confirmed for, or for a key not confirmed, the name in the signature."""
    holder = evidence.key_holder
    if evidence.state is S.NOT_SUPERVISOR:
        return holder or evidence.signer_name
    if evidence.cosign_reason or holder or not supervisor:
        return ""
    return "" if same_person(evidence.signer_name, supervisor) else evidence.signer_name


def signer_note(evidence: SignoffEvidence, supervisor: str) -> str:
    """Who signed, and how they stand to the supervisor the entry names: in their place (with
    the reason), or not the supervisor named."""
    if evidence.cosign_reason:
        return f"by {evidence.signer_name}, in the supervisor's place: {evidence.cosign_reason}"
    other = not_the_supervisor(evidence, supervisor)
    return f"by {other}, not the supervisor named" if other else evidence.signer_name


def signature_status(evidence: SignoffEvidence, supervisor: str) -> str:
    """A signature's checked state, with its signer's reason for signing in the supervisor's
    place, or a note that they are not the supervisor the entry names (``supervisor``)."""
    label = evidence.state.label
    if evidence.cosign_reason:
        return f"{label}\nin the supervisor's place: {evidence.cosign_reason}"
    other = not_the_supervisor(evidence, supervisor)
    if not other:
        return label
    named = f" ({supervisor})" if supervisor else ""
    note = f"signed by {other}, not the supervisor named{named}"
    if evidence.state is S.NOT_SUPERVISOR:  # its label says no more than the note
        return note[0].upper() + note[1:]
    return f"{label}\n{note}"


def signoff_text(record: Record, data: PortfolioData, index: SignoffIndex) -> str:
    """An entry's sign-off cell: its state in a word or two, then who signed it, or the
    supervisor's comment on a returned entry, or why its signature was withdrawn."""
    uid = record.uid
    entry = index.entries.get(uid)
    if index.revoked(uid) and entry is not None:
        last = entry.revocations[-1]
        return f"{REVOKED}\n“{last.reason}”" if last.reason else REVOKED
    state = index.state(uid)
    if state is S.RETURNED and entry is not None:
        by = f"\nby {entry.returned_by}" if entry.returned_by else ""
        return f"Returned{by}\n“{entry.comment}”" if entry.comment else f"Returned{by}"
    evidence = index.latest.get(uid)
    short = SHORT_STATE[state]
    if evidence is None or state in (S.AWAITING, S.UNSIGNED):
        return short
    return f"{short}\n{signer_note(evidence, named_supervisor(record, data))}"


def signed_count(records: Iterable[Record], index: SignoffIndex) -> int:
    """How many of ``records`` carry a valid signature of what they say now."""
    return index.signed_among(records)


def signed_share_text(records: Sequence[Record], index: SignoffIndex) -> str:
    """ "3 of 40": the entries of a summarised row that are signed."""
    return f"{signed_count(records, index):,} of {len(records):,}"


def percent_text(part: int, whole: int) -> str:
    """A share as a whole percentage that never rounds to none or all when it is not."""
    share = 100 * part / whole if whole else 0.0
    if 0 < share < 1:
        figure = "<1"
    elif 99 < share < 100:
        figure = "99"
    else:
        figure = str(round(share))
    return f"{figure}\u00a0%"  # a no-break space keeps the figure and its sign together


def signed_percent_text(records: Sequence[Record], index: SignoffIndex) -> str:
    """ "8 (13 %)": how many of ``records`` are signed, and what share."""
    signed = signed_count(records, index)
    return f"{signed:,} ({percent_text(signed, len(records))})"


def coverage_notes(records: Iterable[Record], index: SignoffIndex) -> str:
    """ "1 returned, 1 awaiting sign-off": the signed entries that prove less, and the
    entries on their way to a signature or back from one ("" when there are none)."""
    counts = index.counted(records)
    return ", ".join(f"{counts[key]:,} {words}" for key, words in COVERAGE_NOTES if counts[key])


def noun(listed: Listed) -> str:
    """What the entries listed are called, as their count reads ("session", "sessions")."""
    info = KINDS[listed.kind]
    return info.one if len(listed.records) == 1 else info.many


def coverage_text(listed: Listed, index: SignoffIndex) -> str:
    """ "Supervision: 12 of 218 sessions signed (6 %); 1 returned, 1 awaiting sign-off" """
    records = listed.records
    signed = signed_count(records, index)
    text = (
        f"{listed.label}: {signed:,} of {len(records):,} {noun(listed)} signed "
        f"({percent_text(signed, len(records))})"
    )
    notes = coverage_notes(records, index)
    return f"{text}; {notes}" if notes else text


# --- month by month, for the logs kept many times a week ---

# What a monthly summary groups each month's entries by.
MONTHLY_GROUP_TITLE = {
    RecordKind.PRACTICE: "Setting and delivery",
    RecordKind.PERSONAL_PRACTICE: "Kind of practice",
}


@dataclass(frozen=True)
class MonthlyRow:
    """The entries of one month in one setting (or of one kind of practice)."""

    month: str
    group: str
    records: tuple[Record, ...]

    @property
    def minutes(self) -> int:
        """Their time, as hour totals count it (sessions not attended count none)."""
        return sum(minutes_of(r) for r in self.records)

    @property
    def contacts(self) -> int:
        """Contacts recorded without their length (a peer worker's record that contact took
        place)."""
        return sum(
            r.clients for r in self.records if isinstance(r, PracticeEntry) and r.contact_only
        )

    @property
    def missed_text(self) -> str:
        """How many were not attended ("" when none were, or the kind has no such thing)."""
        missed = sum(1 for r in self.records if isinstance(r, PracticeEntry) and r.did_not_attend)
        return f"{missed:,}" if missed else ""


def monthly_rows(records: Iterable[Record]) -> list[MonthlyRow]:
    """Entries grouped by month, oldest first, then by setting and delivery (practice) or
    kind of practice (personal practice); the month is named on its first row only."""
    grouped: dict[tuple[date, str], list[Record]] = {}
    for record in records:
        day = filed_on(record)
        if day is not None:
            grouped.setdefault((day.replace(day=1), monthly_group(record)), []).append(record)
    rows, named = [], None
    for (month, group), found in sorted(grouped.items()):
        rows.append(MonthlyRow(f"{month:%b %Y}" if month != named else "", group, tuple(found)))
        named = month
    return rows


def monthly_group(record: Record) -> str:
    """What a monthly summary groups an entry under."""
    if isinstance(record, PracticeEntry):
        return f"{record.setting.label} · {record.delivery.label}"
    if isinstance(record, PersonalPractice):
        return record.practice_kind.label
    return ""


# --- signings, for the appendix ---


@dataclass(frozen=True)
class Signing:
    """Signatures made together: one request answered, one batch, one sitting with the
    supervisor, or one period summary; in the order of the entries' dates."""

    title: str
    signatures: tuple[SignoffEvidence, ...]

    @property
    def first(self) -> SignoffEvidence:
        """The signature that opens it (its signer, key and time stand for all of them)."""
        return min(self.signatures, key=lambda e: (e.signed_at, e.target_uid))


def signing_key(evidence: SignoffEvidence) -> tuple[str, ...]:
    """What the signatures of one signing share (and no other signing does)."""
    if evidence.target_kind == PERIOD_SUMMARY:
        return (
            "summary",
            evidence.target_uid,
            evidence.fingerprint,
            evidence.signed_at.isoformat(),
        )
    if evidence.request_uid:
        return ("request", evidence.request_uid, evidence.fingerprint)
    if evidence.batch_uid:
        return ("batch", evidence.batch_uid)
    day = evidence.signed_at.date().isoformat()
    return ("sitting", evidence.mode.value, evidence.fingerprint, evidence.signer_name, day)


def signing_title(evidence: SignoffEvidence, together: int) -> str:
    """What kind of signing it was, in words ("Batch: supervision in March 2026")."""
    if evidence.target_kind == PERIOD_SUMMARY:
        return "Period summary"
    if evidence.request_uid:
        return "Remote sign-off of a request"
    if evidence.mode is SignoffMode.PAPER:
        return "Paper evidence (unverified)"
    if evidence.mode is SignoffMode.BATCH:
        return f"Batch: {evidence.batch_label}" if evidence.batch_label else "Batch"
    if evidence.mode is SignoffMode.IN_PERSON:
        return "In person, signed together" if together > 1 and evidence.batch_uid else "In person"
    return evidence.mode.label


def signings(evidence: Iterable[SignoffEvidence], dated: Mapping[str, date]) -> list[Signing]:
    """The signatures grouped by the signing they were made in, oldest signing first (of
    signings made the same minute, the one with the oldest entries); each signing's entries
    by their dates (``dated``: an entry's date by uid)."""

    def when(e: SignoffEvidence) -> tuple[date, str]:
        return (dated.get(e.target_uid) or e.signed_at.date(), e.target_uid)

    groups: dict[tuple[str, ...], list[SignoffEvidence]] = {}
    for found in evidence:
        groups.setdefault(signing_key(found), []).append(found)
    made = []
    for members in groups.values():
        ordered = tuple(sorted(members, key=when))
        made.append(Signing(signing_title(ordered[0], len(ordered)), ordered))
    return sorted(made, key=lambda s: (s.first.signed_at.replace(second=0), when(s.signatures[0])))


def entry_dates(data: PortfolioData) -> dict[str, date]:
    """The date each entry of the document is filed under, by uid."""
    return {r.uid: day for found in data.records.values() for r in found if (day := filed_on(r))}


def attachments_by_owner(data: PortfolioData) -> dict[str, list[Attachment]]:
    """The files attached to each entry the document holds, by the entry's uid, in the order
    of their names."""
    found: dict[str, list[Attachment]] = defaultdict(list)
    files = data.typed(RecordKind.ATTACHMENT, Attachment)
    for attachment in sorted(files, key=lambda a: ((a.label or a.filename).casefold(), a.uid)):
        found[attachment.owner_uid].append(attachment)
    return found


def attachment_name(attachment: Attachment, people: str) -> str:
    """An attached file by its label, else its file name; a name that may identify one of the
    ``people`` the practitioner works with ("a client") is withheld."""
    name: str = attachment.label.strip() or attachment.filename
    if find_identifiers(name):
        return f"a file whose name is withheld (it may identify {people})"
    return name
