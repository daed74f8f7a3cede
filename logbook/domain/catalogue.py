"""What each record kind looks like to lists, filters, totals and imports."""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cached_property

from logbook.domain.records import RECORD_TYPES, Record, RecordKind


@dataclass(frozen=True)
class KindInfo:
    """The fields of a kind that play a common part: its date, its sub-kind, its people.

    Attributes:
        date_field: The date it is filed under.
        subtype_field: The choice that divides it into sub-kinds (the "kind" filter).
        person_field: The person it is about (supervisor, assessor, co-teacher), if any.
        organisation_field: The organisation it happened in, if any.
        text_fields: Free text that full-text search looks in.
        has_minutes: Whether it contributes hours.
    """

    kind: RecordKind
    date_field: str | None
    subtype_field: str | None = None
    person_field: str | None = None
    organisation_field: str | None = None
    text_fields: tuple[str, ...] = ()
    has_minutes: bool = False

    @property
    def record_type(self) -> type[Record]:
        return RECORD_TYPES[self.kind]

    @cached_property  # read for every row a list converts, so worked out once
    def field_names(self) -> tuple[str, ...]:
        """The fields a record of this kind is made from (identity fields first)."""
        return tuple(f.name for f in fields(self.record_type) if f.init)


K = RecordKind
KINDS: dict[RecordKind, KindInfo] = {
    info.kind: info
    for info in (
        KindInfo(K.PROFILE, None, text_fields=("name",)),
        KindInfo(K.ORGANISATION, None, "organisation_kind", text_fields=("name", "notes")),
        KindInfo(K.PERSON, None, None, None, "organisation_uid", ("name", "notes")),
        KindInfo(
            K.SUPERVISION,
            "date",
            "supervision_type",
            "counterpart_uid",
            "organisation_uid",
            ("themes", "action_points", "reflection"),
            has_minutes=True,
        ),
        KindInfo(
            K.PRACTICE,
            "date",
            "activity",
            None,
            "organisation_uid",
            ("client_group", "intervention", "notes"),
            has_minutes=True,
        ),
        KindInfo(
            K.COURSE,
            "start_date",
            "curriculum",
            "co_teacher_uid",
            "organisation_uid",
            ("title", "population", "notes", "reflection"),
        ),
        KindInfo(
            K.CPD,
            "start_date",
            "cpd_type",
            None,
            None,
            ("title", "provider", "standard_link", "learning_outcomes", "reflection"),
            has_minutes=True,
        ),
        KindInfo(
            K.PERSONAL_PRACTICE,
            "start_date",
            "practice_kind",
            text_fields=("title", "notes"),
            has_minutes=True,
        ),
        KindInfo(K.PATHWAY, "started_on", "pathway_kind", text_fields=("title", "notes")),
        KindInfo(
            K.MILESTONE, "due_date", "status", "assessor_uid", None, ("title", "evidence", "notes")
        ),
        KindInfo(K.FEEDBACK, "date", "source", text_fields=("summary", "reflection")),
        KindInfo(
            K.REFLECTIVE_ACCOUNT,
            "date",
            None,
            text_fields=("title", "experience", "learning", "change_in_practice"),
        ),
        KindInfo(K.ATTESTATION, "date", "attestation_kind", text_fields=("by_name", "notes")),
        KindInfo(K.ATTACHMENT, None, text_fields=("filename", "label")),
    )
}

# The kinds that make up the practitioner's logs (as opposed to reference data).
LOG_KINDS = (
    K.SUPERVISION,
    K.PRACTICE,
    K.COURSE,
    K.CPD,
    K.PERSONAL_PRACTICE,
    K.PATHWAY,
    K.MILESTONE,
    K.FEEDBACK,
    K.REFLECTIVE_ACCOUNT,
    K.ATTESTATION,
)

# Reference fields and the kind they point to (``owner_uid`` of attachments points anywhere).
REFERENCES: dict[str, RecordKind] = {
    "counterpart_uid": K.PERSON,
    "co_teacher_uid": K.PERSON,
    "assessor_uid": K.PERSON,
    "organisation_uid": K.ORGANISATION,
    "course_uid": K.COURSE,
    "pathway_uid": K.PATHWAY,
}
