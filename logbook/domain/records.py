"""The record kinds of the logbook as immutable values.

Every record carries a stable UUID, created/updated timestamps (UTC) and a revision that goes up
by one with each saved edit, so copies of a logbook can exchange records without clashing.
Durations are whole minutes everywhere.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

from logbook.domain.choices import (
    AttestationKind,
    CodeTheme,
    ConfirmerCategory,
    ConversionRoute,
    CpdType,
    Curriculum,
    Delivery,
    Direction,
    FacilitationRole,
    FeedbackSource,
    HcpcLearningType,
    Indemnity,
    MilestoneStatus,
    Mode,
    NmcRegistration,
    NmcScope,
    NmcWorkSetting,
    OrganisationKind,
    PathwayKind,
    PersonalPracticeKind,
    PracticeActivity,
    RetreatMode,
    Setting,
    SupervisionFormat,
    SupervisionMethod,
    SupervisionType,
    TeachingRole,
    default_learning_type,
)


def new_uid() -> str:
    """A fresh random id for a new record, unique across every copy of every logbook."""
    return str(uuid.uuid4())


def utc_now() -> datetime:
    """The time now in UTC, to the second, as records are stamped."""
    return datetime.now(UTC).replace(microsecond=0)


class RecordKind(StrEnum):
    """Every kind of record the logbook stores, as named in files and on the command line."""

    PROFILE = "profile"
    ORGANISATION = "organisation"
    PERSON = "person"
    SUPERVISION = "supervision"
    PRACTICE = "practice"
    COURSE = "course"
    CPD = "cpd"
    PERSONAL_PRACTICE = "personal_practice"
    PATHWAY = "pathway"
    MILESTONE = "milestone"
    FEEDBACK = "feedback"
    REFLECTIVE_ACCOUNT = "reflective_account"
    ATTESTATION = "attestation"
    ATTACHMENT = "attachment"

    @property
    def label(self) -> str:
        """Its name in menus, headings and lists, from its descriptor."""
        from logbook.domain.catalogue import KINDS  # the catalogue is built from these kinds

        return KINDS[self].label


@dataclass(frozen=True, kw_only=True)
class Record:
    """Identity and history shared by every record kind."""

    uid: str = field(default_factory=new_uid)
    created_at: datetime = field(default_factory=utc_now)
    updated_at: datetime = field(default_factory=utc_now)
    revision: int = 1

    kind: RecordKind = field(init=False, repr=False, default=RecordKind.PROFILE)


# --- people and places -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class RoleSpell:
    """A role held for a while, e.g. "Trainee PWP" from 2024-09-01 to 2025-08-31."""

    title: str
    start: date
    end: date | None = None
    organisation_uid: str | None = None


@dataclass(frozen=True, kw_only=True)
class Registration:
    """Membership of a professional register, with the date it must next be renewed and how
    the practice it covers is indemnified."""

    body: str
    number: str = ""
    registered_on: date | None = None
    renewal_date: date | None = None
    # The professional indemnity arrangement the NMC asks to be declared (and its provider's
    # name when it is not the employer).
    indemnity: Indemnity | None = None
    indemnity_provider: str = ""


@dataclass(frozen=True, kw_only=True)
class Profile(Record):
    """The practitioner the logbook belongs to: their roles, registrations and the requirement
    packs they follow."""

    kind: RecordKind = field(init=False, repr=False, default=RecordKind.PROFILE)
    name: str
    email: str = ""
    qualified_on: date | None = None
    roles: tuple[RoleSpell, ...] = ()
    registrations: tuple[Registration, ...] = ()
    client_groups: tuple[str, ...] = ()
    followed_packs: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Organisation(Record):
    """An organisation the practitioner works for, trains with or is supervised through."""

    kind: RecordKind = field(init=False, repr=False, default=RecordKind.ORGANISATION)
    name: str
    organisation_kind: OrganisationKind = OrganisationKind.OTHER
    employer: bool = False
    supervising: bool = False
    # Its professional address with the postcode, which the NMC's forms ask for.
    address: str = ""
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class Person(Record):
    """A supervisor, supervisee, mentor, assessor or co-teacher (never a client)."""

    kind: RecordKind = field(init=False, repr=False, default=RecordKind.PERSON)
    name: str
    organisation_uid: str | None = None
    roles: tuple[str, ...] = ()
    registration_body: str = ""
    registration_number: str = ""
    email: str = ""
    public_key: str = ""
    notes: str = ""


# --- the logs ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SupervisionSession(Record):
    """A supervision session received or given.

    ``counterpart_uid`` is the supervisor for received sessions and the supervisee for given
    ones. ``group_size`` counts the supervisees present, not the facilitator;
    ``group_contracted_size`` those contracted to the group, present or not. ``group_member_uids``
    names colleagues in the group (people, never clients), the facilitator excluded.
    """

    kind: RecordKind = field(init=False, repr=False, default=RecordKind.SUPERVISION)
    date: date
    duration_minutes: int
    direction: Direction = Direction.RECEIVED
    counterpart_uid: str | None = None
    organisation_uid: str | None = None
    # The supervision contract the session belongs to ("Fortnightly individual, A Shah").
    arrangement: str = ""
    supervision_type: SupervisionType = SupervisionType.CLINICAL
    format: SupervisionFormat = SupervisionFormat.INDIVIDUAL
    group_size: int | None = None
    group_contracted_size: int | None = None
    group_member_uids: tuple[str, ...] = ()
    mode: Mode = Mode.IN_PERSON
    setting: Setting | None = None
    # Every setting the session covered, when it covered more than one. Empty means just
    # ``setting``: sessions saved before this field existed are read that way, not rewritten.
    settings: tuple[Setting, ...] = ()
    course_uid: str | None = None
    live: bool = False
    # How the session worked. Rules keep reading ``live``, which the methods never set.
    methods: tuple[SupervisionMethod, ...] = ()
    themes: tuple[str, ...] = ()
    action_points: str = ""
    reflection: str = ""
    reflection_private: bool = True

    @property
    def effective_settings(self) -> tuple[Setting, ...]:
        """The settings the session covered: ``settings`` when recorded, else ``setting`` alone
        (none when neither is recorded)."""
        if self.settings:
            return self.settings
        return (self.setting,) if self.setting is not None else ()


@dataclass(frozen=True, kw_only=True)
class PracticeEntry(Record):
    """Time spent in practice; what happened, never with whom.

    An entry may stand for a period ("full time, 1 Apr to 30 Jun", as the NMC allows): its
    ``end_date`` is the last day, and its duration the hours of the whole period.
    """

    kind: RecordKind = field(init=False, repr=False, default=RecordKind.PRACTICE)
    date: date
    end_date: dt.date | None = None  # (``date`` is the field above here, not the type)
    # 0 only for a contact-only activity (validation refuses it for the rest), so a peer-support
    # contact can be added from the command line or a CSV row without a duration.
    duration_minutes: int = 0
    activity: PracticeActivity = PracticeActivity.ONE_TO_ONE
    setting: Setting = Setting.PRIMARY_CARE
    nmc_work_setting: NmcWorkSetting | None = None
    nmc_scope: NmcScope | None = None
    nmc_registration: NmcRegistration | None = None
    delivery: Delivery = Delivery.FACE_TO_FACE
    client_group: str = ""
    intervention: str = ""
    supervised: bool = True
    role: FacilitationRole = FacilitationRole.SOLE
    clients: int = 1
    did_not_attend: bool = False
    organisation_uid: str | None = None
    course_uid: str | None = None
    notes: str = ""
    # A reflective log entry on the session (a course session's, say): private unless the
    # practitioner shares it, like every reflection.
    reflection: str = ""
    reflection_private: bool = True

    @property
    def contact_only(self) -> bool:
        """Records only that contact took place: counted as contacts, adding no hours."""
        return self.activity.contact_only and self.duration_minutes == 0


@dataclass(frozen=True, kw_only=True)
class TeachingCourse(Record):
    """A mindfulness-based course taught (typically eight weekly sessions)."""

    kind: RecordKind = field(init=False, repr=False, default=RecordKind.COURSE)
    title: str
    curriculum: Curriculum = Curriculum.MBCT
    role: TeachingRole = TeachingRole.LEAD
    share_percent: int = 100
    population: str = ""
    # Taught to patients, or to the client group the teacher works with (not, say, to staff).
    clinical_population: bool = False
    setting: Setting = Setting.PRIMARY_CARE
    organisation_uid: str | None = None
    co_teacher_uid: str | None = None
    start_date: date
    end_date: date | None = None
    sessions_planned: int = 8
    sessions_delivered: int = 0
    participants: int = 0
    notes: str = ""
    reflection: str = ""
    reflection_private: bool = True


@dataclass(frozen=True, kw_only=True)
class CpdActivity(Record):
    """Continuing professional development: a workshop, course, conference, reading and the
    like, in hours, with what was learned."""

    kind: RecordKind = field(init=False, repr=False, default=RecordKind.CPD)
    start_date: date
    end_date: date | None = None
    title: str
    provider: str = ""
    duration_minutes: int
    cpd_type: CpdType = CpdType.WORKSHOP
    learning_type: HcpcLearningType | None = None
    participatory: bool = True
    # The participatory part, when only part of a participatory activity was; empty means
    # all of it (see ``effective_participatory_minutes``).
    participatory_minutes: int | None = None
    skills_focused: bool = False
    # Specific to CBT (BABCP and the BPS PWP register count CBT-related activities).
    cbt_related: bool = False
    standard_link: str = ""
    code_themes: tuple[CodeTheme, ...] = ()
    learning_outcomes: str = ""
    # Shareable like the learning outcomes: the bodies ask for it in the portfolio.
    impact: str = ""
    reflection: str = ""
    reflection_private: bool = True

    @property
    def hcpc_learning_type(self) -> HcpcLearningType:
        """The HCPC type of the activity: as chosen, else the one its ``cpd_type`` implies."""
        return self.learning_type or default_learning_type(self.cpd_type)

    @property
    def effective_participatory_minutes(self) -> int:
        """The participatory minutes of the activity: as recorded, else all of it when it was
        participatory and none when it was not."""
        if self.participatory_minutes is not None:
            return self.participatory_minutes
        return self.duration_minutes if self.participatory else 0


@dataclass(frozen=True, kw_only=True)
class PersonalPractice(Record):
    """Personal meditation practice (minutes) or a retreat (days, with a share in silence)."""

    kind: RecordKind = field(init=False, repr=False, default=RecordKind.PERSONAL_PRACTICE)
    start_date: date
    end_date: date | None = None
    practice_kind: PersonalPracticeKind = PersonalPracticeKind.DAILY_PRACTICE
    mode: RetreatMode = RetreatMode.HOME
    duration_minutes: int = 0
    days: float = 0.0
    silence_percent: int = 0
    teacher_led: bool = False
    # An un-guided solitary retreat agreed with the supervisor (BAMBA counts one as a retreat).
    supervisor_agreed: bool = False
    title: str = ""
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class Pathway(Record):
    """A training pathway or a conversion plan; its milestones (or routes) are records too."""

    kind: RecordKind = field(init=False, repr=False, default=RecordKind.PATHWAY)
    title: str
    pathway_kind: PathwayKind = PathwayKind.TRAINING
    template_key: str = ""
    started_on: date | None = None
    completed_on: date | None = None
    # Hours of teacher training, personal practice and retreats not counted (BAMBA asks for 120).
    training_hours: float | None = None
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class Milestone(Record):
    """One stage of a pathway (or a route of a conversion plan), with its status and evidence."""

    kind: RecordKind = field(init=False, repr=False, default=RecordKind.MILESTONE)
    pathway_uid: str
    title: str
    sequence: int = 0
    status: MilestoneStatus = MilestoneStatus.NOT_STARTED
    route: ConversionRoute | None = None
    due_date: date | None = None
    completed_on: date | None = None
    assessor_uid: str | None = None
    evidence: str = ""
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class FeedbackEntry(Record):
    """Feedback received from a client, colleague, manager, student or supervisor, in a summary
    that names no client."""

    kind: RecordKind = field(init=False, repr=False, default=RecordKind.FEEDBACK)
    date: date
    source: FeedbackSource = FeedbackSource.COLLEAGUE
    summary: str
    reflection: str = ""
    reflection_private: bool = True


@dataclass(frozen=True, kw_only=True)
class ReflectiveAccount(Record):
    """A written reflective account (NMC asks for five, each linked to the Code)."""

    kind: RecordKind = field(init=False, repr=False, default=RecordKind.REFLECTIVE_ACCOUNT)
    date: date
    title: str
    experience: str = ""
    learning: str = ""
    change_in_practice: str = ""
    code_themes: tuple[str, ...] = ()
    private: bool = False


@dataclass(frozen=True, kw_only=True)
class Attestation(Record):
    """A reflective discussion, confirmation or appraisal by another person."""

    kind: RecordKind = field(init=False, repr=False, default=RecordKind.ATTESTATION)
    date: date
    attestation_kind: AttestationKind = AttestationKind.REFLECTIVE_DISCUSSION
    by_name: str
    by_role: str = ""
    confirmer_category: ConfirmerCategory | None = None
    by_registration: str = ""
    # Their professional contact, which the NMC's forms ask for.
    by_email: str = ""
    # Their professional address and postcode, which the NMC's forms ask for too.
    by_address: str = ""
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class Attachment(Record):
    """Evidence (a certificate, a scanned signature page) kept inside the logbook by hash."""

    kind: RecordKind = field(init=False, repr=False, default=RecordKind.ATTACHMENT)
    owner_uid: str
    filename: str
    media_type: str = "application/octet-stream"
    size: int = 0
    sha256: str
    label: str = ""


LogRecord = (
    SupervisionSession
    | PracticeEntry
    | TeachingCourse
    | CpdActivity
    | PersonalPractice
    | Pathway
    | Milestone
    | FeedbackEntry
    | ReflectiveAccount
    | Attestation
)
AnyRecord = LogRecord | Profile | Organisation | Person | Attachment

RECORD_TYPES: dict[RecordKind, type[Record]] = {
    RecordKind.PROFILE: Profile,
    RecordKind.ORGANISATION: Organisation,
    RecordKind.PERSON: Person,
    RecordKind.SUPERVISION: SupervisionSession,
    RecordKind.PRACTICE: PracticeEntry,
    RecordKind.COURSE: TeachingCourse,
    RecordKind.CPD: CpdActivity,
    RecordKind.PERSONAL_PRACTICE: PersonalPractice,
    RecordKind.PATHWAY: Pathway,
    RecordKind.MILESTONE: Milestone,
    RecordKind.FEEDBACK: FeedbackEntry,
    RecordKind.REFLECTIVE_ACCOUNT: ReflectiveAccount,
    RecordKind.ATTESTATION: Attestation,
    RecordKind.ATTACHMENT: Attachment,
}


def entry_date(record: Record) -> date | None:
    """The date a record is filed under in lists, periods and totals."""
    for name in ("date", "start_date", "started_on"):
        value = getattr(record, name, None)
        if isinstance(value, date):
            return value
    return None


def minutes_of(record: Record) -> int:
    """Minutes a record contributes to hour totals (did-not-attend practice counts nothing)."""
    if isinstance(record, PracticeEntry) and record.did_not_attend:
        return 0
    return int(getattr(record, "duration_minutes", 0) or 0)
