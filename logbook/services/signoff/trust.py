"""What a logbook trusts when it shows a signature: whom it belongs to, which supervisors' keys
its practitioner confirmed, whether its audit trail is whole, and who had to sign each record.

Used by the sign-off service inside its transactions; nothing here opens one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from logbook.domain.audit import (
    Binding,
    ChainProblem,
    ConfirmMethod,
    Pin,
    Trust,
    check_chain,
    confirmation_statement,
    read_pin,
    sign_action,
)
from logbook.domain.catalogue import REFERENCES
from logbook.domain.choices import Direction
from logbook.domain.errors import LogbookError, NotFoundError
from logbook.domain.identity import PublicIdentity, UnlockedIdentity, b64
from logbook.domain.queries import RecordQuery
from logbook.domain.records import (
    Milestone,
    Person,
    Profile,
    Record,
    RecordKind,
    SupervisionSession,
    entry_date,
)
from logbook.domain.signing import EventType, PeriodSummary, SignoffEvent, describe_record
from logbook.services.signoff.files import Practitioner
from logbook.storage import repository as repo
from logbook.storage import signoff_repository as sr
from logbook.storage.database import Session

PERSON_TARGET = "person"
PEOPLE = ("counterpart", "assessor", "co_teacher")


def practitioner(session: Session) -> Practitioner:
    """This logbook's practitioner: the profile's name and registrations, and the logbook key."""
    rows = repo.query(session, RecordQuery(RecordKind.PROFILE, limit=1, sort="created_at"))
    profile = rows[0] if rows else None
    key = sr.practitioner_key(session).public.fingerprint
    if not isinstance(profile, Profile):
        return Practitioner("(practitioner's name not set)", key=key)
    registrations = tuple(
        " ".join(p for p in (r.body, r.number) if p) for r in profile.registrations
    )
    return Practitioner(profile.name, profile.email, registrations, key)


def practitioner_signer(session: Session) -> UnlockedIdentity:
    """The practitioner key with the practitioner's name, for what the practitioner signs."""
    return sr.practitioner_key(session, practitioner(session).name)


def binding(session: Session, logbook_id: str) -> Binding:
    """Whom a signature made now must be for: this logbook, its practitioner and their key."""
    who = practitioner(session)
    return Binding(logbook_id, who.key, who.name, who.registrations)


class ChainCache:
    """The audit chain's check, redone only when the trail changed.

    When only this app appended since the last check (SQLite's ``data_version`` tells whether
    any other connection wrote to the file meanwhile) and the trail was whole, only the new
    events are checked, from the last checked link on; otherwise the whole trail is.
    """

    def __init__(self) -> None:
        self._state: tuple[int, int, str] | None = None
        self._version: int | None = None
        self._problems: tuple[ChainProblem, ...] = ()
        self._checked: tuple[int, str] = (0, "")  # events checked, last link

    def problems(self, session: Session, logbook_id: str) -> tuple[ChainProblem, ...]:
        """Where the sign-off history is broken now (none: it is whole), checked afresh only
        as far as it changed since the last call."""
        state, version = sr.chain_state(session), sr.data_version(session)
        if state == self._state and version == self._version:
            return self._problems
        if version == self._version and not self._problems and self._state is not None:
            old_count, old_top, _ = self._state
            if state[0] > old_count:
                new = list(sr.events_after(session, old_top))
                self._problems = tuple(check(session, logbook_id, new, after=self._checked))
                self._remember(state, version, new)
                return self._problems
        trail = list(sr.all_events(session))
        self._problems = tuple(check(session, logbook_id, trail))
        self._checked = (0, "")
        self._remember(state, version, trail)
        return self._problems

    def _remember(
        self, state: tuple[int, int, str], version: int, events: Sequence[SignoffEvent]
    ) -> None:
        self._state, self._version = state, version
        if events:
            self._checked = (self._checked[0] + len(events), events[-1].chain_hash)


def check(
    session: Session,
    logbook_id: str,
    events: Sequence[SignoffEvent] | None = None,
    *,
    after: tuple[int, str] = (0, ""),
) -> list[ChainProblem]:
    """Every break in this logbook's audit chain, each naming the event where it shows.

    ``events``: the whole trail in recorded order, when the caller has read it already (or,
    with ``after``, the events that follow the part already checked).
    """
    trail = list(sr.all_events(session)) if events is None else events
    links = sr.chain_links(trail)
    by_uid = {e.uid: e for e in trail}

    def describe(link: object) -> str:
        event = by_uid.get(getattr(link, "uid", ""))
        if event is None:
            return "an event"
        what = event.event_type.value.replace("_", " ")
        who = f" by {event.actor_name}" if event.actor_name else ""
        return (
            f"event {event.seq} ({what}{who} of {event.target_kind} {event.target_uid}, "
            f"{event.occurred_at:%d %b %Y %H:%M})"
        )

    return check_chain(
        links,
        sr.chain_head(session),
        logbook_id=logbook_id,
        practitioner=sr.practitioner_key(session).public,
        describe=describe,
        after=after,
    )


def pins(session: Session, bound: Binding) -> dict[str, Pin]:
    """Confirmed supervisors' keys by fingerprint (the newest confirmation of each key)."""
    found: dict[str, Pin] = {}
    revoked = sr.revoked_uids(session)
    for event in sr.confirmation_events(session):
        if event.uid in revoked:
            continue
        pin, _ = read_pin(event.uid, event.payload, event.signature, bound)
        if pin is not None:
            found[pin.fingerprint] = pin
    return found


def trust(session: Session, logbook_id: str, problems: Sequence[ChainProblem]) -> Trust:
    """What this logbook trusts, given the audit chain's problems (see :class:`ChainCache`)."""
    bound = binding(session, logbook_id)
    return Trust(bound, pins(session, bound), tuple(problems))


def confirm_key(
    session: Session,
    logbook_id: str,
    person: Person,
    key: PublicIdentity,
    method: ConfirmMethod,
    now: datetime,
) -> str:
    """Record the practitioner's signed confirmation that ``key`` is ``person``'s; its uid."""
    signer = practitioner_signer(session)
    statement = confirmation_statement(
        person_uid=person.uid,
        person_name=person.name,
        key=key,
        method=method,
        binding=binding(session, logbook_id),
        confirmed_at=now,
    )
    payload, signature = sign_action(statement, signer)
    return sr.append_event(
        session,
        EventType.KEY_CONFIRMED,
        target_kind=PERSON_TARGET,
        target_uid=person.uid,
        target_revision=person.revision,
        occurred_at=now,
        actor_name=signer.public.name,
        fingerprint=key.fingerprint,
        payload=payload.decode("utf-8"),
        signature=b64(signature),
        comment=method.label,
    )


def pin_key(
    session: Session,
    logbook_id: str,
    person_uid: str,
    identity: PublicIdentity,
    method: ConfirmMethod,
    now: datetime,
) -> str:
    """Pin ``identity``'s key to a person on the practitioner's word; the event's uid.

    Raises:
        NotFoundError: there is no such person.
    """
    person = repo.find(session, RecordKind.PERSON, person_uid)
    if not isinstance(person, Person):
        raise NotFoundError("There is no such person in this logbook.")
    sr.remember_signer(session, identity, now=now, source="confirmation")
    return confirm_key(session, logbook_id, person, identity, method, now)


def signed_with(session: Session, fingerprint: str) -> dict[str, str]:
    """The targets (uid to kind) whose state confirming this key may change: those it signed."""
    return sr.signed_with_key(session, fingerprint)


# --- what each record refers to, and who must sign it -------------------------------------------


def contexts(session: Session, records: Iterable[Record]) -> dict[str, dict[str, str]]:
    """For each record, the names of what it refers to, and people's registrations.

    They are signed with the record, so renaming its supervisor (or changing their registration
    or organisation) later shows as "changed since signed". Loaded in one query per kind.
    """
    records = list(records)
    wanted: dict[RecordKind, set[str]] = {}
    for record in records:
        for name, kind in REFERENCES.items():
            uid = getattr(record, name, None)
            if uid:
                wanted.setdefault(kind, set()).add(uid)
    found: dict[str, Record] = {}
    for kind, uids in wanted.items():
        found.update(sr.records_by_uid(session, kind, uids))
    result: dict[str, dict[str, str]] = {}
    for record in records:
        names: dict[str, str] = {}
        for name, _ in REFERENCES.items():
            target = found.get(getattr(record, name, None) or "")
            if target is None:
                continue
            key = name.removesuffix("_uid")
            names[key] = str(getattr(target, "name", None) or getattr(target, "title", ""))
            if isinstance(target, Person) and key in PEOPLE:
                registration = " ".join(
                    p for p in (target.registration_body, target.registration_number) if p
                )
                if registration:
                    names[f"{key}_registration"] = registration
        result[record.uid] = names
    return result


def supervisor_of(record: Record | PeriodSummary) -> str | None:
    """The person who must sign ``record``: the supervisor of supervision received, the
    assessor of a milestone; None when the record names no one."""
    if isinstance(record, SupervisionSession) and record.direction is Direction.RECEIVED:
        return record.counterpart_uid
    if isinstance(record, Milestone):
        return record.assessor_uid
    return None


def same_name(a: str, b: str) -> bool:
    """Names compared as people read them (case, accents and spacing aside)."""

    def fold(text: str) -> str:
        plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return " ".join(plain.casefold().replace(".", " ").split())

    return fold(a) == fold(b)


def signer_problems(
    session: Session,
    targets: Sequence[Record | PeriodSummary],
    signer_name: str,
    fingerprint: str | None,
    trusted: Trust,
) -> dict[str, str]:
    """Why this signer may not sign some of ``targets``: by uid, naming the entry and supervisor.

    A record's recorded supervisor must be the signer: by a key confirmed for them, or, for a
    key not yet confirmed (or a request by name only), by name. A key confirmed for someone
    else, or a supervisor whose confirmed key is another, is refused.
    """
    records = [t for t in targets if isinstance(t, Record)]
    people = people_by_uid(session, {u for r in records if (u := supervisor_of(r))})
    pin = trusted.pins.get(fingerprint or "")
    problems: dict[str, str] = {}
    for record in records:
        person = people.get(supervisor_of(record) or "")
        if not isinstance(person, Person):
            continue
        pinned = trusted.pinned_keys_of(person.uid)
        if pin is not None:
            fits = pin.person_uid == person.uid
        else:
            fits = not (fingerprint and pinned) and same_name(signer_name, person.name)
        if not fits:
            key = f" ({fingerprint})" if fingerprint else ""
            problems[record.uid] = (
                f"{describe_record(record, {'counterpart': person.name})}: the supervisor "
                f"recorded is {person.name}, not {signer_name}{key}"
            )
    return problems


def person_for_signer(
    session: Session, targets: Sequence[Record | PeriodSummary], signer_name: str
) -> Person | None:
    """Whose key a signer's is, when the practitioner confirms it while applying or signing:
    the one supervisor recorded on the entries if they bear the signer's name, otherwise the
    one person of that name."""
    people = people_by_uid(
        session, {u for t in targets if isinstance(t, Record) and (u := supervisor_of(t))}
    )
    named = [p for p in people.values() if isinstance(p, Person) and same_name(p.name, signer_name)]
    if len(named) == 1 and isinstance(named[0], Person):
        return named[0]
    everyone = repo.query(session, RecordQuery(RecordKind.PERSON, limit=None))
    matches = [p for p in everyone if isinstance(p, Person) and same_name(p.name, signer_name)]
    return matches[0] if len(matches) == 1 else None


def future_problems(targets: Sequence[Record | PeriodSummary], today: date) -> list[str]:
    """Entries dated after today, and summaries of periods not yet over, named."""
    problems = []
    for target in targets:
        if isinstance(target, PeriodSummary):
            if target.period.end is None or target.period.end >= today:
                problems.append(f"{target.statement}: the period is not over yet")
            continue
        when = entry_date(target)
        if when is not None and when > today:
            problems.append(f"{describe_record(target)}: it is dated {when:%d %b %Y}, after today")
    return problems


def refuse_other_signer(
    session: Session,
    targets: Sequence[Record | PeriodSummary],
    name: str,
    identity: PublicIdentity | None,
    trusted: Trust,
) -> None:
    """Refuse a signer (or a request's supervisor) other than the supervisor recorded.

    Raises:
        SignerNotSupervisorError: someone other than the recorded supervisor would sign.
    """
    fingerprint = identity.fingerprint if identity else None
    problems = signer_problems(session, targets, name, fingerprint, trusted)
    if problems:
        raise SignerNotSupervisorError(problems)


def refuse_future(targets: Sequence[Record | PeriodSummary]) -> None:
    """Refuse to sign what has not happened yet.

    Raises:
        FutureEntryError: an entry is dated after today, or a period is not over.
    """
    problems = future_problems(targets, date.today())
    if problems:
        raise FutureEntryError(problems)


def _listed(problems: Sequence[str], most: int = 8) -> str:
    """Problems as a list for a message, the first few of a long one and how many more."""
    lines = [f"  - {p}" for p in problems[:most]]
    if len(problems) > most:
        lines.append(f"  … and {len(problems) - most} more")
    return "\n".join(lines)


class SignerNotSupervisorError(LogbookError):
    """Someone other than the recorded supervisor would sign; nothing was signed or sent.

    Attributes:
        problems: Each entry concerned, naming its supervisor.
    """

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = tuple(problems.values())
        listed = _listed(self.problems)
        super().__init__(
            "Only the supervisor recorded on an entry can sign it. Nothing was signed:\n"
            f"{listed}\nIf someone signs in the supervisor's place (deputising during leave, "
            "say), record them as co-signer with the reason; it shows wherever the signature "
            "shows."
        )


class FutureEntryError(LogbookError):
    """An entry dated after today, or a period not yet over, cannot be signed or requested."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        listed = _listed(self.problems)
        super().__init__(
            f"A signature confirms what has happened. Nothing was signed or requested:\n{listed}"
        )


def people_by_uid(session: Session, uids: Iterable[str]) -> Mapping[str, Record]:
    """The people among ``uids`` that are in the logbook, by uid (missing ones left out)."""
    return sr.records_by_uid(session, RecordKind.PERSON, uids)
