"""SQLAlchemy models: one table per record kind, columns named as the domain fields.

Because each column carries the domain field's name and a type that returns domain values,
a row converts to its record (and back) field by field; see ``repository.py``.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from logbook.domain import choices as c
from logbook.domain.records import Registration, RoleSpell
from logbook.storage.types import (
    ChoiceTuple,
    ChoiceType,
    RegistrationsType,
    RolesType,
    StringTuple,
    UtcDateTime,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The base of every table: constraint names that migrations can refer to, and column types
    for UTC times and tuples of text."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime(), tuple[str, ...]: StringTuple()}  # noqa: RUF012


class RecordRow(Base):
    """Identity and history columns shared by every record table."""

    __abstract__ = True

    uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    revision: Mapped[int] = mapped_column(default=1)


def _ref(table: str, *, cascade: bool = False) -> Mapped[str | None]:
    action = "CASCADE" if cascade else "SET NULL"
    return mapped_column(String(36), ForeignKey(f"{table}.uid", ondelete=action), index=True)


def _choice(choice: type[c.Choice], *, nullable: bool = False) -> Any:
    return mapped_column(ChoiceType(choice), nullable=nullable)


class LogbookMeta(Base):
    """Key/value facts about this logbook file (its identity, the app that last wrote it)."""

    __tablename__ = "logbook_meta"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ProfileRow(RecordRow):
    """The practitioner's profile (one row): roles, registrations and the packs they follow."""

    __tablename__ = "profile"
    name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str] = mapped_column(String(300), default="")
    qualified_on: Mapped[date | None]
    roles: Mapped[tuple[RoleSpell, ...]] = mapped_column(RolesType())
    registrations: Mapped[tuple[Registration, ...]] = mapped_column(RegistrationsType())
    client_groups: Mapped[tuple[str, ...]]
    followed_packs: Mapped[tuple[str, ...]]


class OrganisationRow(RecordRow):
    """An organisation the practitioner works for, trains with or is supervised through."""

    __tablename__ = "organisation"
    name: Mapped[str] = mapped_column(String(300), index=True)
    organisation_kind: Mapped[c.OrganisationKind] = _choice(c.OrganisationKind)
    employer: Mapped[bool]
    supervising: Mapped[bool]
    address: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text, default="")


class PersonRow(RecordRow):
    """A supervisor, supervisee, mentor, assessor or co-teacher, with their public signing key."""

    __tablename__ = "person"
    name: Mapped[str] = mapped_column(String(300), index=True)
    organisation_uid: Mapped[str | None] = _ref("organisation")
    roles: Mapped[tuple[str, ...]]
    registration_body: Mapped[str] = mapped_column(String(100), default="")
    registration_number: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(300), default="")
    public_key: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class SupervisionRow(RecordRow):
    """A supervision session received or given."""

    __tablename__ = "supervision"
    date: Mapped[date] = mapped_column(index=True)
    duration_minutes: Mapped[int]
    direction: Mapped[c.Direction] = _choice(c.Direction)
    counterpart_uid: Mapped[str | None] = _ref("person")
    organisation_uid: Mapped[str | None] = _ref("organisation")
    arrangement: Mapped[str] = mapped_column(String(300))
    supervision_type: Mapped[c.SupervisionType] = _choice(c.SupervisionType)
    format: Mapped[c.SupervisionFormat] = _choice(c.SupervisionFormat)
    group_size: Mapped[int | None]
    group_contracted_size: Mapped[int | None]
    # People's ids as a JSON list (no foreign key: the repository checks them).
    group_member_uids: Mapped[tuple[str, ...]]
    mode: Mapped[c.Mode] = _choice(c.Mode)
    setting: Mapped[c.Setting | None] = _choice(c.Setting, nullable=True)
    settings: Mapped[tuple[c.Setting, ...]] = mapped_column(ChoiceTuple(c.Setting))
    course_uid: Mapped[str | None] = _ref("course")
    live: Mapped[bool]
    methods: Mapped[tuple[c.SupervisionMethod, ...]] = mapped_column(
        ChoiceTuple(c.SupervisionMethod)
    )
    themes: Mapped[tuple[str, ...]]
    action_points: Mapped[str] = mapped_column(Text)
    reflection: Mapped[str] = mapped_column(Text)
    reflection_private: Mapped[bool]


class PracticeRow(RecordRow):
    """Time spent in practice (what happened, never with whom)."""

    __tablename__ = "practice"
    date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[dt.date | None]  # (``date`` is the column above here, not the type)
    duration_minutes: Mapped[int]
    activity: Mapped[c.PracticeActivity] = _choice(c.PracticeActivity)
    setting: Mapped[c.Setting] = _choice(c.Setting)
    nmc_work_setting: Mapped[c.NmcWorkSetting | None] = _choice(c.NmcWorkSetting, nullable=True)
    nmc_scope: Mapped[c.NmcScope | None] = _choice(c.NmcScope, nullable=True)
    nmc_registration: Mapped[c.NmcRegistration | None] = _choice(c.NmcRegistration, nullable=True)
    delivery: Mapped[c.Delivery] = _choice(c.Delivery)
    client_group: Mapped[str] = mapped_column(String(200))
    intervention: Mapped[str] = mapped_column(String(200))
    supervised: Mapped[bool]
    role: Mapped[c.FacilitationRole] = _choice(c.FacilitationRole)
    clients: Mapped[int]
    did_not_attend: Mapped[bool]
    organisation_uid: Mapped[str | None] = _ref("organisation")
    course_uid: Mapped[str | None] = _ref("course")
    notes: Mapped[str] = mapped_column(Text)
    reflection: Mapped[str] = mapped_column(Text)
    reflection_private: Mapped[bool]


class CourseRow(RecordRow):
    """A mindfulness-based course taught."""

    __tablename__ = "course"
    title: Mapped[str] = mapped_column(String(300))
    curriculum: Mapped[c.Curriculum] = _choice(c.Curriculum)
    role: Mapped[c.TeachingRole] = _choice(c.TeachingRole)
    share_percent: Mapped[int]
    population: Mapped[str] = mapped_column(String(300))
    clinical_population: Mapped[bool]
    setting: Mapped[c.Setting] = _choice(c.Setting)
    organisation_uid: Mapped[str | None] = _ref("organisation")
    co_teacher_uid: Mapped[str | None] = _ref("person")
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date | None]
    sessions_planned: Mapped[int]
    sessions_delivered: Mapped[int]
    participants: Mapped[int]
    notes: Mapped[str] = mapped_column(Text)
    reflection: Mapped[str] = mapped_column(Text)
    reflection_private: Mapped[bool]


class CpdRow(RecordRow):
    """A continuing professional development activity."""

    __tablename__ = "cpd"
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date | None]
    title: Mapped[str] = mapped_column(String(300))
    provider: Mapped[str] = mapped_column(String(300))
    duration_minutes: Mapped[int]
    cpd_type: Mapped[c.CpdType] = _choice(c.CpdType)
    learning_type: Mapped[c.HcpcLearningType | None] = _choice(c.HcpcLearningType, nullable=True)
    participatory: Mapped[bool]
    participatory_minutes: Mapped[int | None]
    skills_focused: Mapped[bool]
    cbt_related: Mapped[bool]
    standard_link: Mapped[str] = mapped_column(String(300))
    code_themes: Mapped[tuple[c.CodeTheme, ...]] = mapped_column(ChoiceTuple(c.CodeTheme))
    learning_outcomes: Mapped[str] = mapped_column(Text)
    impact: Mapped[str] = mapped_column(Text)
    reflection: Mapped[str] = mapped_column(Text)
    reflection_private: Mapped[bool]


class PersonalPracticeRow(RecordRow):
    """Personal meditation practice or a retreat."""

    __tablename__ = "personal_practice"
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date | None]
    practice_kind: Mapped[c.PersonalPracticeKind] = _choice(c.PersonalPracticeKind)
    mode: Mapped[c.RetreatMode] = _choice(c.RetreatMode)
    duration_minutes: Mapped[int]
    days: Mapped[float]
    silence_percent: Mapped[int]
    teacher_led: Mapped[bool]
    supervisor_agreed: Mapped[bool]
    title: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(Text)


class PathwayRow(RecordRow):
    """A training pathway or a conversion plan (its milestones are rows of ``milestone``)."""

    __tablename__ = "pathway"
    title: Mapped[str] = mapped_column(String(300))
    pathway_kind: Mapped[c.PathwayKind] = _choice(c.PathwayKind)
    template_key: Mapped[str] = mapped_column(String(100))
    started_on: Mapped[date | None] = mapped_column(index=True)
    completed_on: Mapped[date | None]
    training_hours: Mapped[float | None]
    notes: Mapped[str] = mapped_column(Text)


class MilestoneRow(RecordRow):
    """One stage of a pathway; deleted with its pathway."""

    __tablename__ = "milestone"
    pathway_uid: Mapped[str] = mapped_column(
        String(36), ForeignKey("pathway.uid", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    sequence: Mapped[int]
    status: Mapped[c.MilestoneStatus] = _choice(c.MilestoneStatus)
    route: Mapped[c.ConversionRoute | None] = _choice(c.ConversionRoute, nullable=True)
    due_date: Mapped[date | None]
    completed_on: Mapped[date | None]
    assessor_uid: Mapped[str | None] = _ref("person")
    evidence: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text)


class FeedbackRow(RecordRow):
    """Feedback received, in a summary with the practitioner's reflection."""

    __tablename__ = "feedback"
    date: Mapped[date] = mapped_column(index=True)
    source: Mapped[c.FeedbackSource] = _choice(c.FeedbackSource)
    summary: Mapped[str] = mapped_column(Text)
    reflection: Mapped[str] = mapped_column(Text)
    reflection_private: Mapped[bool]


class ReflectiveAccountRow(RecordRow):
    """A written reflective account."""

    __tablename__ = "reflective_account"
    date: Mapped[date] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(300))
    experience: Mapped[str] = mapped_column(Text)
    learning: Mapped[str] = mapped_column(Text)
    change_in_practice: Mapped[str] = mapped_column(Text)
    code_themes: Mapped[tuple[str, ...]]
    private: Mapped[bool]


class AttestationRow(RecordRow):
    """A reflective discussion, confirmation or appraisal by another person."""

    __tablename__ = "attestation"
    date: Mapped[date] = mapped_column(index=True)
    attestation_kind: Mapped[c.AttestationKind] = _choice(c.AttestationKind)
    by_name: Mapped[str] = mapped_column(String(300))
    by_role: Mapped[str] = mapped_column(String(300))
    confirmer_category: Mapped[c.ConfirmerCategory | None] = _choice(
        c.ConfirmerCategory, nullable=True
    )
    by_registration: Mapped[str] = mapped_column(String(100))
    by_email: Mapped[str] = mapped_column(String(300))
    by_address: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text)


class AttachmentBlob(Base):
    """Attachment content, stored once per distinct SHA-256."""

    __tablename__ = "attachment_blob"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class AttachmentRow(RecordRow):
    """An attachment's details; its content is an ``attachment_blob`` row, found by its hash."""

    __tablename__ = "attachment"
    owner_uid: Mapped[str] = mapped_column(String(36), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("attachment_blob.sha256"))
    label: Mapped[str] = mapped_column(String(300))


# Composite indexes for the list queries: a kind's rows by date within a person or organisation.
Index("ix_supervision_counterpart_date", SupervisionRow.counterpart_uid, SupervisionRow.date)
Index("ix_practice_organisation_date", PracticeRow.organisation_uid, PracticeRow.date)


# --- sign-off ----------------------------------------------------------------------------------
# Events are append-only (the repository offers no update or delete); the other tables hold what
# events refer to. None of them has a foreign key to a record table: a sign-off event outlives an
# edit or a deletion of its record, and is checked against whatever the record is now.


class SignoffEventRow(Base):
    """One sign-off event: requested, signed, returned, paper evidence attached, or revoked."""

    __tablename__ = "signoff_event"
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    event_type: Mapped[str] = mapped_column(String(20))
    target_kind: Mapped[str] = mapped_column(String(40))
    target_uid: Mapped[str] = mapped_column(String(36), index=True)
    target_revision: Mapped[int]
    content_sha256: Mapped[str] = mapped_column(String(64), default="")
    occurred_at: Mapped[datetime]
    mode: Mapped[str | None] = mapped_column(String(20))
    actor_name: Mapped[str] = mapped_column(String(300), default="")
    fingerprint: Mapped[str] = mapped_column(String(19), default="")
    payload: Mapped[str] = mapped_column(Text, default="")
    signature: Mapped[str] = mapped_column(String(100), default="")
    request_uid: Mapped[str | None] = mapped_column(String(36), index=True)
    batch_uid: Mapped[str | None] = mapped_column(String(36))
    batch_label: Mapped[str] = mapped_column(String(300), default="")
    refers_to: Mapped[str | None] = mapped_column(String(36))
    comment: Mapped[str] = mapped_column(Text, default="")
    attachment_uid: Mapped[str | None] = mapped_column(String(36))
    origin: Mapped[str] = mapped_column(String(10), default="here")
    chain_prev: Mapped[str] = mapped_column(String(64), default="")
    chain_hash: Mapped[str] = mapped_column(String(64), default="")


class SignoffSnapshotRow(Base):
    """The exact content of a signed revision (canonical JSON), kept by its digest."""

    __tablename__ = "signoff_snapshot"
    content_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(40))
    target_uid: Mapped[str] = mapped_column(String(36), index=True)
    target_revision: Mapped[int]
    content: Mapped[str] = mapped_column(Text)
    captured_at: Mapped[datetime]


class SignoffIdentityRow(Base):
    """A signer's public identity seen by this logbook (never a private key).

    ``confirmed_at`` is kept for older logbooks only: trust in a key comes from the practitioner's
    signed key-confirmation events, never from this table.
    """

    __tablename__ = "signoff_identity"
    fingerprint: Mapped[str] = mapped_column(String(19), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    registration_body: Mapped[str] = mapped_column(String(100), default="")
    registration_number: Mapped[str] = mapped_column(String(100), default="")
    organisation: Mapped[str] = mapped_column(String(300), default="")
    person_uid: Mapped[str | None] = mapped_column(String(36))
    added_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    source: Mapped[str] = mapped_column(String(40), default="")


class SignoffRequestRow(Base):
    """A sign-off request sent from this logbook, or received into this supervisor's inbox."""

    __tablename__ = "signoff_request"
    uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    direction: Mapped[str] = mapped_column(String(10), index=True)
    created_at: Mapped[datetime]
    received_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20))
    logbook_id: Mapped[str] = mapped_column(String(36))
    practitioner_name: Mapped[str] = mapped_column(String(300), default="")
    supervisor_name: Mapped[str] = mapped_column(String(300), default="")
    supervisor_fingerprint: Mapped[str | None] = mapped_column(String(19))
    message: Mapped[str] = mapped_column(Text, default="")
    item_count: Mapped[int]
    document_sha256: Mapped[str] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(Text)
    response_uid: Mapped[str | None] = mapped_column(String(36), unique=True)
    responded_at: Mapped[datetime | None]
    response_document: Mapped[str] = mapped_column(Text, default="")


class SignoffSummaryRow(Base):
    """A period summary to be signed, with the totals it states (fixed when it was made)."""

    __tablename__ = "signoff_summary"
    uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]
    record_kind: Mapped[str] = mapped_column(String(40))
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    subtypes: Mapped[tuple[str, ...]]
    count: Mapped[int]
    minutes: Mapped[int]
    statement: Mapped[str] = mapped_column(Text)


class SignedByMeRow(Base):
    """A signature made by this logbook's owner as a supervisor: the "signed by me" register,
    fed by their own responses and by receipts of what they signed on someone else's computer.
    Each row carries its signed statement, so it proves itself."""

    __tablename__ = "signed_by_me"
    statement_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(40))
    target_uid: Mapped[str] = mapped_column(String(36), index=True)
    target_revision: Mapped[int]
    content_sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    practitioner_name: Mapped[str] = mapped_column(String(300))
    practitioner_key: Mapped[str] = mapped_column(String(19))
    logbook_id: Mapped[str] = mapped_column(String(36))
    signer_fingerprint: Mapped[str] = mapped_column(String(19), index=True)
    signed_at: Mapped[datetime] = mapped_column(index=True)
    mode: Mapped[str] = mapped_column(String(20))
    payload: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[datetime]


class SignoffStatusRow(Base):
    """What the events of a record say, kept current with them so lists can filter in SQL."""

    __tablename__ = "signoff_status"
    target_uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(40), index=True)
    workflow: Mapped[str | None] = mapped_column(String(20))
    workflow_revision: Mapped[int | None]
    signed_revision: Mapped[int | None]
    paper_revision: Mapped[int | None]


class RecordVersionRow(Base):
    """A version a record has been in (see ``domain/versions.py``): its history, kept after the
    record is deleted so a deletion can be told from an edit made elsewhere."""

    __tablename__ = "record_version"
    uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[str] = mapped_column(String(64), primary_key=True)


class DeletionRow(Base):
    """A record deleted here (or in another copy merged here): its kind, its deletion version
    and when. A restore removes the row; the history keeps the deletion version."""

    __tablename__ = "deletion"
    uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(64))
    deleted_at: Mapped[datetime]


class MergeConflictRow(Base):
    """The other copy's side of a record both copies changed, waiting for the user to decide.

    It is kept apart from the record tables, so it counts nowhere until chosen. ``content`` is
    the other copy's record (JSON), empty when the other copy deleted it.
    """

    __tablename__ = "merge_conflict"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(20))
    version: Mapped[str] = mapped_column(String(64))
    history: Mapped[tuple[str, ...]]
    content: Mapped[str] = mapped_column(Text, default="")
    deleted_at: Mapped[datetime | None]
    source: Mapped[str] = mapped_column(String(300))
    arrived_at: Mapped[datetime]


class PrivacyAllowanceRow(Base):
    """A privacy finding the user chose to keep on an entry (see ``domain/allowances.py``).

    Only a fingerprint of the matched text is stored, so the allowance copies no identifier.
    Rows of a deleted entry stay, harmless, so an undone deletion keeps its allowances.
    """

    __tablename__ = "privacy_allowance"
    record_uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    field: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(40))
    door: Mapped[str] = mapped_column(String(20))
    allowed_at: Mapped[datetime]
