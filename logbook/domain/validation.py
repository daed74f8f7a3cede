"""Validation of records: every problem, each naming its field, in words a user understands."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from logbook.domain.choices import (
    Direction,
    MilestoneStatus,
    PersonalPracticeKind,
    SupervisionFormat,
)
from logbook.domain.dates import EARLIEST, LATEST
from logbook.domain.errors import Problem, ValidationError
from logbook.domain.limits import MAX_LIST_ITEMS, MAX_SAFE_INTEGER, MAX_STORED_REVISION
from logbook.domain.records import (
    Attachment,
    Attestation,
    CpdActivity,
    FeedbackEntry,
    Milestone,
    Organisation,
    Pathway,
    Person,
    PersonalPractice,
    PracticeEntry,
    Profile,
    Record,
    ReflectiveAccount,
    SupervisionSession,
    TeachingCourse,
)
from logbook.domain.uids import is_uid, not_a_uid, uid_problems

MAX_SESSION_MINUTES = 24 * 60
MAX_CPD_MINUTES = 1000 * 60
MAX_TEXT = 20_000
MAX_TITLE = 300
MAX_RETREAT_MINUTES = 365 * 24 * 60
MAX_SEQUENCE = 10_000
# Supervisees in a group, present or contracted (the facilitator not counted).
MIN_GROUP, MAX_GROUP = 2, 50
MAX_TRAINING_HOURS = 10_000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")

Checks = Iterator[Problem]


def validate(record: Record) -> list[Problem]:
    """Return every problem with ``record``; an empty list means it can be saved."""
    problems = list(_common(record))
    problems.extend(uid_problems(record))
    checker = _CHECKERS.get(type(record))
    if checker is not None:
        problems.extend(checker(record))
    return problems


def ensure_valid(record: Record) -> None:
    """Raise ValidationError listing every problem, if there are any."""
    problems = validate(record)
    if problems:
        raise ValidationError(problems, f"This {record.kind.label.lower()} cannot be saved")


# --- reusable checks ---------------------------------------------------------------------------


def _common(record: Record) -> Checks:
    if not 1 <= record.revision <= MAX_STORED_REVISION:
        yield Problem("revision", f"revision must be between 1 and {MAX_STORED_REVISION:,}")
    if record.updated_at < record.created_at:
        yield Problem("updated_at", "updated time is before created time")
    for name, value in vars(record).items():
        yield from _sane(name, value)


def _sane(name: str, value: Any) -> Checks:
    """Bounds every field meets, whatever its kind: text of at most MAX_TEXT characters, lists
    of at most MAX_LIST_ITEMS entries, and numbers that storage and signing can carry (finite,
    within ±(2^53 - 1)); each kind's own checks then say what is sensible."""
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            yield Problem(
                name, f"text is too long ({len(value):,} characters, at most {MAX_TEXT:,})"
            )
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            yield Problem(name, f"the number is too large (at most {MAX_SAFE_INTEGER:,})")
    elif isinstance(value, float):
        if not math.isfinite(value) or abs(value) > MAX_SAFE_INTEGER:
            yield Problem(name, "must be a finite number")
    elif isinstance(value, tuple):
        if len(value) > MAX_LIST_ITEMS:
            yield Problem(name, f"has {len(value):,} entries (at most {MAX_LIST_ITEMS:,})")
            return
        for index, item in enumerate(value, 1):
            if dataclasses.is_dataclass(item):
                for part in dataclasses.fields(item):
                    yield from _sane(f"{name}[{index}].{part.name}", getattr(item, part.name))
            else:
                yield from _sane(f"{name}[{index}]", item)


def _required(name: str, value: str, label: str) -> Checks:
    if not value.strip():
        yield Problem(name, f"{label} is required")
    elif len(value) > MAX_TITLE:
        yield Problem(name, f"{label} is too long (at most {MAX_TITLE} characters)")


def _minutes(name: str, value: int, low: int = 1, high: int = MAX_SESSION_MINUTES) -> Checks:
    if not low <= value <= high:
        yield Problem(
            "duration" if name == "duration_minutes" else name,
            f"duration must be between {low} and {high} minutes",
        )


def _in_range(name: str, value: date | None, label: str) -> Checks:
    if value is not None and not EARLIEST <= value <= LATEST:
        yield Problem(name, f"{label} must be between {EARLIEST.year} and {LATEST.year}")


def _date_span(start: date | None, end: date | None, end_name: str = "end_date") -> Checks:
    yield from _in_range("start_date", start, "start date")
    yield from _in_range(end_name, end, "end date")
    if start is not None and end is not None and end < start:
        yield Problem(end_name, "end date is before start date")


def _count(name: str, value: int, low: int, high: int, label: str) -> Checks:
    if not low <= value <= high:
        yield Problem(name, f"{label} must be between {low} and {high}")


def _email(name: str, value: str) -> Checks:
    if value and not _EMAIL.match(value):
        yield Problem(name, f"'{value}' is not an email address")


# --- per kind ----------------------------------------------------------------------------------


def _profile(p: Profile) -> Checks:
    yield from _required("name", p.name, "name")
    yield from _email("email", p.email)
    yield from _in_range("qualified_on", p.qualified_on, "qualification date")
    for i, role in enumerate(p.roles, 1):
        if not role.title.strip():
            yield Problem(f"roles[{i}].title", f"role {i}: title is required")
        if role.end is not None and role.end < role.start:
            yield Problem(f"roles[{i}].end", f"role {i}: end date is before start date")
    for i, reg in enumerate(p.registrations, 1):
        if not reg.body.strip():
            yield Problem(f"registrations[{i}].body", f"registration {i}: body is required")
        if reg.registered_on and reg.renewal_date and reg.renewal_date < reg.registered_on:
            yield Problem(
                f"registrations[{i}].renewal_date",
                f"registration {i}: renewal date is before the registration date",
            )


def _organisation(o: Organisation) -> Checks:
    yield from _required("name", o.name, "name")


def _person(p: Person) -> Checks:
    yield from _required("name", p.name, "name")
    yield from _email("email", p.email)


def _supervision(s: SupervisionSession) -> Checks:
    yield from _in_range("date", s.date, "date")
    yield from _minutes("duration_minutes", s.duration_minutes)
    if len(s.arrangement) > MAX_TITLE:
        yield Problem("arrangement", f"arrangement is too long (at most {MAX_TITLE} characters)")
    if s.format is SupervisionFormat.GROUP:
        if s.group_size is None:
            yield Problem("group_size", "group size is required for group supervision")
        elif not MIN_GROUP <= s.group_size <= MAX_GROUP:
            yield Problem(
                "group_size", f"group size must be between {MIN_GROUP} and {MAX_GROUP} supervisees"
            )
        contracted = s.group_contracted_size
        if contracted is not None and not MIN_GROUP <= contracted <= MAX_GROUP:
            yield Problem(
                "group_contracted_size",
                f"supervisees contracted must be between {MIN_GROUP} and {MAX_GROUP}",
            )
        yield from _group_members(s)
    else:
        if s.group_size not in (None, 1):
            yield Problem("group_size", "group size only applies to group supervision")
        if s.group_contracted_size is not None:
            yield Problem(
                "group_contracted_size", "supervisees contracted only apply to group supervision"
            )
        if s.group_member_uids:
            yield Problem("group_member_uids", "group members only apply to group supervision")
    if len(set(s.settings)) < len(s.settings):
        yield Problem("settings", "each setting is listed once")


def _group_members(s: SupervisionSession) -> Checks:
    """Colleagues in a group, each once, at most a full group; the facilitator is the
    supervisor of a session received, never one of its members."""
    members = s.group_member_uids
    if len(set(members)) < len(members):
        yield Problem("group_member_uids", "each group member is listed once")
    if len(members) > MAX_GROUP:
        yield Problem("group_member_uids", f"a group has at most {MAX_GROUP} members")
    received = s.direction is Direction.RECEIVED
    if received and s.counterpart_uid and s.counterpart_uid in members:
        yield Problem(
            "group_member_uids",
            "the supervisor facilitates the group: leave them out of its members",
        )
    for index, uid in enumerate(members, 1):
        if not is_uid(uid):
            yield Problem(f"group_member_uids[{index}]", not_a_uid(uid))


def _practice(p: PracticeEntry) -> Checks:
    yield from _in_range("date", p.date, "date")
    yield from _in_range("end_date", p.end_date, "end date")
    days = 1
    if p.end_date is not None and p.end_date < p.date:
        yield Problem("end_date", "the end of the period is before its first day")
    elif p.end_date is not None:
        days = (p.end_date - p.date).days + 1  # an entry for a period may hold its hours
    contact = p.activity.contact_only
    if p.duration_minutes == 0 and not contact:
        yield Problem(
            "duration", "duration is required (only a peer-support contact may leave it out)"
        )
    else:
        high = MAX_SESSION_MINUTES * days
        yield from _minutes("duration_minutes", p.duration_minutes, 0 if contact else 1, high)
    label = "number of contacts" if contact else "number of clients"
    yield from _count("clients", p.clients, 1, 500, label)


def _course(c: TeachingCourse) -> Checks:
    yield from _required("title", c.title, "title")
    yield from _date_span(c.start_date, c.end_date)
    yield from _count("share_percent", c.share_percent, 1, 100, "share of responsibility (%)")
    yield from _count("sessions_planned", c.sessions_planned, 1, 52, "number of sessions")
    if c.sessions_delivered > c.sessions_planned or c.sessions_delivered < 0:
        yield Problem(
            "sessions_delivered", "sessions delivered must be between 0 and the number planned"
        )
    yield from _count("participants", c.participants, 0, 500, "number of participants")


def _cpd(c: CpdActivity) -> Checks:
    yield from _required("title", c.title, "title")
    yield from _date_span(c.start_date, c.end_date)
    yield from _minutes("duration_minutes", c.duration_minutes, 1, MAX_CPD_MINUTES)
    part = c.participatory_minutes
    if part is not None:
        if not c.participatory and part:
            yield Problem(
                "participatory_minutes",
                "an activity that was not participatory has no participatory part",
            )
        elif not 0 <= part <= c.duration_minutes:
            yield Problem(
                "participatory_minutes",
                f"the participatory part must be between 0 and the activity's "
                f"{c.duration_minutes} minutes",
            )


def _personal_practice(p: PersonalPractice) -> Checks:
    yield from _date_span(p.start_date, p.end_date)
    yield from _count("silence_percent", p.silence_percent, 0, 100, "share in silence (%)")
    if p.practice_kind is PersonalPracticeKind.RETREAT:
        if not 0 < p.days <= 365 or (p.days * 2) != int(p.days * 2):
            yield Problem(
                "days", "retreat days must be a whole or half number of days, more than 0"
            )
        yield from _minutes("duration_minutes", p.duration_minutes, 0, MAX_RETREAT_MINUTES)
    else:
        yield from _minutes("duration_minutes", p.duration_minutes)
        if not 0 <= p.days <= 365:
            yield Problem("days", "days must be between 0 and 365")
    if p.supervisor_agreed and (
        p.practice_kind is not PersonalPracticeKind.RETREAT or p.teacher_led
    ):
        yield Problem(
            "supervisor_agreed",
            "only a retreat without a teacher is agreed with your supervisor",
        )


def _pathway(p: Pathway) -> Checks:
    yield from _required("title", p.title, "title")
    yield from _in_range("started_on", p.started_on, "start date")
    if p.started_on and p.completed_on and p.completed_on < p.started_on:
        yield Problem("completed_on", "completion date is before start date")
    hours = p.training_hours
    if hours is not None and (
        not 0 <= hours <= MAX_TRAINING_HOURS or (hours * 2) != int(hours * 2)
    ):
        yield Problem(
            "training_hours",
            f"training hours must be a whole or half number from 0 to {MAX_TRAINING_HOURS:,}",
        )


def _milestone(m: Milestone) -> Checks:
    yield from _required("title", m.title, "title")
    if not m.pathway_uid:
        yield Problem("pathway_uid", "a milestone belongs to a pathway")
    if m.status is MilestoneStatus.COMPLETE and m.completed_on is None:
        yield Problem("completed_on", "a completed milestone needs its completion date")
    if m.status is not MilestoneStatus.COMPLETE and m.completed_on is not None:
        yield Problem("completed_on", "only a completed milestone has a completion date")
    yield from _in_range("completed_on", m.completed_on, "completion date")
    yield from _count("sequence", m.sequence, 0, MAX_SEQUENCE, "position in the pathway")


def _feedback(f: FeedbackEntry) -> Checks:
    yield from _in_range("date", f.date, "date")
    if not f.summary.strip():
        yield Problem("summary", "summary is required")


def _reflective_account(r: ReflectiveAccount) -> Checks:
    yield from _in_range("date", r.date, "date")
    yield from _required("title", r.title, "title")


def _attestation(a: Attestation) -> Checks:
    yield from _in_range("date", a.date, "date")
    yield from _required("by_name", a.by_name, "name of the person")
    yield from _email("by_email", a.by_email)


def _attachment(a: Attachment) -> Checks:
    yield from _required("filename", a.filename, "file name")
    if not _SHA256.match(a.sha256):
        yield Problem("sha256", "content hash must be 64 hexadecimal characters")
    if a.size < 0:
        yield Problem("size", "size cannot be negative")


_CHECKERS: dict[type[Record], Callable[..., Checks]] = {
    Profile: _profile,
    Organisation: _organisation,
    Person: _person,
    SupervisionSession: _supervision,
    PracticeEntry: _practice,
    TeachingCourse: _course,
    CpdActivity: _cpd,
    PersonalPractice: _personal_practice,
    Pathway: _pathway,
    Milestone: _milestone,
    FeedbackEntry: _feedback,
    ReflectiveAccount: _reflective_account,
    Attestation: _attestation,
    Attachment: _attachment,
}
