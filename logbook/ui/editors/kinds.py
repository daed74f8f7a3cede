"""One form per record kind, declared as data: its sections, fields and new-record defaults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from logbook.domain import choices as c
from logbook.domain.catalogue import KINDS
from logbook.domain.records import (
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
    RecordKind,
    ReflectiveAccount,
    Registration,
    RoleSpell,
    SupervisionSession,
    TeachingCourse,
)
from logbook.services.logbook import Logbook
from logbook.ui.editors.defaults import (
    completion_date,
    course_details,
    live_from_methods,
    recent,
    retreat_days,
    supervisor_usuals,
    usual_minutes,
)
from logbook.ui.editors.fields import KEEP, FieldSpec, RowsSpec, Values
from logbook.ui.editors.form import Section
from logbook.ui.editors.links import Link

K = RecordKind


@dataclass(frozen=True)
class KindForm:
    """How one kind of record is edited.

    Each field reads its label from the kind's descriptor unless the form gives its own.

    Attributes:
        new_record: A new record with the defaults that make logging quick.
        attachments: Whether evidence files can be attached.
        series: Whether a recurring series can be created at once.
        links: Fields filled from a choice made in the form, until the user changes them.
    """

    kind: RecordKind
    sections: tuple[Section, ...]
    new_record: Callable[[Logbook], Record]
    attachments: bool = True
    series: bool = False
    links: tuple[Link, ...] = ()

    def __post_init__(self) -> None:
        labels = KINDS[self.kind].labels
        labelled = tuple(
            Section(
                section.title,
                tuple(replace(f, label=f.label or labels[f.name]) for f in section.fields),
            )
            for section in self.sections
        )
        object.__setattr__(self, "sections", labelled)  # frozen: settled once, as made

    @property
    def noun(self) -> str:
        """What one record is called in titles ("supervision session")."""
        return KINDS[self.kind].noun


def F(name: str, editor: str, **options: Any) -> FieldSpec:
    """A field of a form, under the label its kind's descriptor gives it."""
    return FieldSpec(name, "", editor, **options)


def _is(name: str, *values: Any) -> Callable[[Values], bool]:
    return lambda v: v.get(name) in values


def _not(name: str, *values: Any) -> Callable[[Values], bool]:
    return lambda v: v.get(name) not in values


def _reflection(
    name: str = "reflection",
    flag: str = "reflection_private",
    hint: str = "What you learned, what you will do differently…",
) -> FieldSpec:
    return F(name, "reflection", private_field=flag, hint=hint)


# --- supervision -------------------------------------------------------------------------------

_GROUP = _is("format", c.SupervisionFormat.GROUP)

THEMES = (
    "case formulation",
    "risk",
    "safeguarding",
    "endings",
    "therapeutic relationship",
    "outcome measures",
    "caseload",
    "self-care",
    "ethics",
    "group process",
    "inquiry",
    "teaching skills",
)


def new_supervision(logbook: Logbook) -> Record:
    """Today, with the last supervisor (and their organisation, type and mode) and the usual
    duration of recent sessions."""
    received = recent(logbook, K.SUPERVISION, direction=c.Direction.RECEIVED)
    last = received[0] if received else None
    assert last is None or isinstance(last, SupervisionSession)
    return SupervisionSession(
        date=date.today(),
        duration_minutes=usual_minutes(received),
        counterpart_uid=last.counterpart_uid if last else None,
        organisation_uid=last.organisation_uid if last else None,
        supervision_type=last.supervision_type if last else c.SupervisionType.CLINICAL,
        format=last.format if last else c.SupervisionFormat.INDIVIDUAL,
        group_size=last.group_size if last else None,
        mode=last.mode if last else c.Mode.IN_PERSON,
        setting=last.setting if last else None,
    )


SUPERVISION = KindForm(
    K.SUPERVISION,
    (
        Section(
            "Session",
            (
                F("date", "date"),
                F("duration_minutes", "duration"),
                F("direction", "choice", choices=c.Direction),
                F(
                    "counterpart_uid",
                    "reference",
                    ref_kind=K.PERSON,
                    optional=True,
                    dynamic_label=lambda v: (
                        "Supervisee" if v.get("direction") is c.Direction.GIVEN else "Supervisor"
                    ),
                ),
                F(
                    "organisation_uid",
                    "reference",
                    ref_kind=K.ORGANISATION,
                    optional=True,
                ),
                F("arrangement", "line", hint="e.g. Fortnightly individual, A Shah"),
                F("supervision_type", "choice", choices=c.SupervisionType),
                F("format", "choice", choices=c.SupervisionFormat),
                F(
                    "group_size",
                    "int",
                    minimum=2,
                    maximum=50,
                    hint="not counting the facilitator",
                    visible=_GROUP,
                    when_hidden=None,
                ),
                F(
                    "group_contracted_size",
                    "int",
                    optional=True,
                    minimum=2,
                    maximum=50,
                    hint="in the group's contract, present or not",
                    visible=_GROUP,
                    when_hidden=None,
                ),
                F(
                    "group_member_uids",
                    "references",
                    ref_kind=K.PERSON,
                    hint="Colleagues in the group, not the facilitator",
                    visible=_GROUP,
                    when_hidden=(),
                ),
                F("mode", "choice", choices=c.Mode),
                F("setting", "choice", choices=c.Setting, optional=True),
                F(
                    "settings",
                    "choices",
                    choices=c.Setting,
                    hint="When it covered more than one, e.g. Primary care, School",
                ),
                F("course_uid", "reference", ref_kind=K.COURSE, optional=True),
                F("live", "bool", hint="Live supervision or live assessment"),
                F(
                    "methods",
                    "choices",
                    choices=c.SupervisionMethod,
                    hint="e.g. Case presentation or discussion, Role-play or skills rehearsal",
                ),
            ),
        ),
        Section(
            "Content",
            (
                F(
                    "themes",
                    "list",
                    hint="Separate with commas, e.g. risk, endings",
                    completions=THEMES,
                ),
                F("action_points", "text", hint="What you agreed to do"),
                _reflection(),
            ),
        ),
    ),
    new_supervision,
    series=True,
    links=(
        Link(("counterpart_uid",), supervisor_usuals),
        Link(("methods",), live_from_methods),
    ),
)


# --- practice ----------------------------------------------------------------------------------


def new_practice(logbook: Logbook) -> Record:
    """Today, with the setting, delivery and organisation of the last entry and its usual
    duration (none after a contact-only entry: peer workers log contact after contact)."""
    last_entries = recent(logbook, K.PRACTICE)
    last = last_entries[0] if last_entries else None
    assert last is None or isinstance(last, PracticeEntry)
    if last is None:
        return PracticeEntry(date=date.today(), duration_minutes=usual_minutes([]))
    return PracticeEntry(
        date=date.today(),
        duration_minutes=0 if last.contact_only else usual_minutes(last_entries),
        activity=last.activity,
        setting=last.setting,
        delivery=last.delivery,
        client_group=last.client_group,
        intervention=last.intervention,
        supervised=last.supervised,
        role=last.role,
        organisation_uid=last.organisation_uid,
    )


def _therapy(values: Values) -> bool:
    """Whether the activity is therapy, with a client group and a model (not a contact)."""
    activity = values.get("activity")
    return not (isinstance(activity, c.PracticeActivity) and activity.contact_only)


PRACTICE = KindForm(
    K.PRACTICE,
    (
        Section(
            "Practice",
            (
                F("date", "date"),
                F(
                    "duration_minutes",
                    "duration",
                    optional=True,  # a contact may leave it empty; validation refuses the rest
                    dynamic_label=lambda v: "Duration" if _therapy(v) else "Duration (optional)",
                ),
                F("activity", "choice", choices=c.PracticeActivity),
                F("setting", "choice", choices=c.Setting),
                F("delivery", "choice", choices=c.Delivery),
                F(
                    "organisation_uid",
                    "reference",
                    ref_kind=K.ORGANISATION,
                    optional=True,
                ),
                F(
                    "client_group",
                    "line",
                    hint="A group, never a person: e.g. adults with anxiety",
                    visible=_therapy,
                    when_hidden=KEEP,  # an older entry's value is not lost by hiding it
                ),
                F(
                    "intervention",
                    "line",
                    hint="e.g. CBT, guided self-help",
                    visible=_therapy,
                    when_hidden=KEEP,  # an older entry's value is not lost by hiding it
                ),
                F(
                    "clients",
                    "int",
                    minimum=1,
                    maximum=500,
                    dynamic_label=lambda v: "Clients present" if _therapy(v) else "Contacts",
                ),
                F("role", "choice", choices=c.FacilitationRole),
                F("course_uid", "reference", ref_kind=K.COURSE, optional=True),
                F("supervised", "bool", hint="Supervised practice"),
                F(
                    "did_not_attend",
                    "bool",
                    hint="Did not attend (kept in the log, not counted)",
                ),
                F("notes", "text", hint="What happened, never with whom"),
                replace(
                    _reflection(hint="A reflective log entry on the session, never naming anyone"),
                    visible=_therapy,  # a contact is recorded, never its content
                    when_hidden=KEEP,
                ),
            ),
        ),
        Section(
            "NMC revalidation",
            (
                F("end_date", "optional_date", hint="Last day, when the entry covers a period"),
                F("nmc_work_setting", "choice", choices=c.NmcWorkSetting, optional=True),
                F("nmc_scope", "choice", choices=c.NmcScope, optional=True),
                F("nmc_registration", "choice", choices=c.NmcRegistration, optional=True),
            ),
        ),
    ),
    new_practice,
    links=(Link(("course_uid",), course_details),),
)


# --- teaching ----------------------------------------------------------------------------------

COURSE = KindForm(
    K.COURSE,
    (
        Section(
            "Course",
            (
                F("title", "line", hint="e.g. MBCT for recurrent depression, spring"),
                F("curriculum", "choice", choices=c.Curriculum),
                F("role", "choice", choices=c.TeachingRole),
                F(
                    "share_percent",
                    "int",
                    minimum=1,
                    maximum=100,
                    suffix=" %",
                ),
                F(
                    "co_teacher_uid",
                    "reference",
                    ref_kind=K.PERSON,
                    optional=True,
                ),
                F("population", "line", hint="e.g. adults with chronic pain"),
                F(
                    "clinical_population",
                    "bool",
                    hint="Taught to patients or the client group I work with",
                ),
                F("setting", "choice", choices=c.Setting),
                F(
                    "organisation_uid",
                    "reference",
                    ref_kind=K.ORGANISATION,
                    optional=True,
                ),
            ),
        ),
        Section(
            "Dates and sessions",
            (
                F("start_date", "date"),
                F("end_date", "optional_date", hint="Finished on"),
                F("sessions_planned", "int", minimum=1, maximum=52),
                F("sessions_delivered", "int", minimum=0, maximum=52),
                F("participants", "int", minimum=0, maximum=500),
            ),
        ),
        Section("Notes", (F("notes", "text"), _reflection())),
    ),
    lambda logbook: TeachingCourse(title="", start_date=date.today()),
)


# --- CPD ---------------------------------------------------------------------------------------

CPD = KindForm(
    K.CPD,
    (
        Section(
            "Activity",
            (
                F("title", "line", hint="e.g. Working with chronic pain"),
                F("provider", "line", hint="Who ran it"),
                F("cpd_type", "choice", choices=c.CpdType),
                F("learning_type", "choice", choices=c.HcpcLearningType, optional=True),
                F("start_date", "date"),
                F("end_date", "optional_date", hint="Ran over several days"),
                F("duration_minutes", "duration", hint="e.g. 6h or 6:30"),
                F("participatory", "bool", hint="Participatory (with others)"),
                F(
                    "participatory_minutes",
                    "optional_duration",
                    hint="Empty if all of it",
                    visible=_is("participatory", True),
                    when_hidden=None,
                ),
                F("skills_focused", "bool", hint="Focused on clinical skills"),
                F("cbt_related", "bool", hint="Specific to CBT"),
                F(
                    "standard_link",
                    "line",
                    hint="e.g. NMC Code: Practise effectively",
                ),
                F(
                    "code_themes",
                    "choices",
                    choices=c.CodeTheme,
                    hint="e.g. Practise effectively, Preserve safety",
                ),
            ),
        ),
        Section(
            "Learning",
            (
                F("learning_outcomes", "text"),
                F(
                    "impact",
                    "text",
                    hint="How it changed your work and benefited the people you work with, "
                    "without naming anyone",
                ),
                _reflection(),
            ),
        ),
    ),
    lambda logbook: CpdActivity(start_date=date.today(), title="", duration_minutes=0),
)


# --- personal practice and retreats ------------------------------------------------------------

_RETREAT = c.PersonalPracticeKind.RETREAT
_DAILY = c.PersonalPracticeKind.DAILY_PRACTICE


def new_personal_practice(logbook: Logbook) -> Record:
    last_entries = [
        r
        for r in recent(logbook, K.PERSONAL_PRACTICE)
        if isinstance(r, PersonalPractice) and r.practice_kind is _DAILY
    ]
    return PersonalPractice(
        start_date=date.today(), duration_minutes=usual_minutes(last_entries, fallback=30)
    )


PERSONAL_PRACTICE = KindForm(
    K.PERSONAL_PRACTICE,
    (
        Section(
            "Practice",
            (
                F("practice_kind", "choice", choices=c.PersonalPracticeKind),
                F("title", "line", hint="e.g. Silent retreat, Gaia House"),
                F("start_date", "date"),
                F(
                    "end_date",
                    "optional_date",
                    hint="Several days",
                    visible=_is("practice_kind", _RETREAT),
                    when_hidden=None,
                ),
                F("mode", "choice", choices=c.RetreatMode),
                F(
                    "duration_minutes",
                    "duration",
                    visible=_is("practice_kind", _DAILY),
                    when_hidden=0,
                ),
                F(
                    "days",
                    "float",
                    minimum=0,
                    maximum=365,
                    suffix=" days",
                    visible=_is("practice_kind", _RETREAT),
                    when_hidden=0.0,
                ),
                F(
                    "silence_percent",
                    "int",
                    minimum=0,
                    maximum=100,
                    suffix=" %",
                    visible=_is("practice_kind", _RETREAT),
                    when_hidden=0,
                ),
                F(
                    "teacher_led",
                    "bool",
                    hint="Led by a teacher",
                    visible=_is("practice_kind", _RETREAT),
                    when_hidden=False,
                ),
                F(
                    "supervisor_agreed",
                    "bool",
                    hint="A solitary retreat agreed with my supervisor",
                    visible=lambda v: (
                        v.get("practice_kind") is _RETREAT and not v.get("teacher_led")
                    ),
                    when_hidden=False,
                ),
                F("notes", "text"),
            ),
        ),
    ),
    new_personal_practice,
    links=(Link(("practice_kind", "start_date", "end_date"), retreat_days, derived=True),),
)


# --- pathways and milestones -------------------------------------------------------------------

PATHWAY = KindForm(
    K.PATHWAY,
    (
        Section(
            "Pathway",
            (
                F("title", "line", hint="e.g. Scottish NHS Mindfulness pathway"),
                F("pathway_kind", "choice", choices=c.PathwayKind),
                F("started_on", "optional_date", hint="Started on"),
                F("completed_on", "optional_date", hint="Completed on"),
                F(
                    "training_hours",
                    "float",
                    optional=True,
                    minimum=0,
                    maximum=10_000,
                    suffix=" h",
                    hint="training itself, not practice or retreats",
                ),
                F("notes", "text"),
            ),
        ),
    ),
    lambda logbook: Pathway(title="", started_on=date.today()),
)


def new_milestone(logbook: Logbook) -> Record:
    pathways = recent(logbook, K.PATHWAY)
    return Milestone(pathway_uid=pathways[0].uid if pathways else "", title="")


MILESTONE = KindForm(
    K.MILESTONE,
    (
        Section(
            "Milestone",
            (
                F("pathway_uid", "reference", ref_kind=K.PATHWAY),
                F("title", "line", hint="e.g. Co-teach a first MBCT course"),
                F(
                    "route",
                    "choice",
                    choices=c.ConversionRoute,
                    optional=True,
                ),
                F("sequence", "int", minimum=0, maximum=999),
                F("status", "choice", choices=c.MilestoneStatus),
                F("due_date", "optional_date", hint="Due by"),
                F(
                    "completed_on",
                    "optional_date",
                    hint="Completed on",
                    visible=_is("status", c.MilestoneStatus.COMPLETE),
                    when_hidden=None,
                ),
                F("assessor_uid", "reference", ref_kind=K.PERSON, optional=True),
                F("evidence", "text", hint="What shows it was done"),
                F("notes", "text"),
            ),
        ),
    ),
    new_milestone,
    links=(Link(("status",), completion_date),),
)


# --- feedback, reflective accounts, discussions ------------------------------------------------

FEEDBACK = KindForm(
    K.FEEDBACK,
    (
        Section(
            "Feedback",
            (
                F("date", "date"),
                F("source", "choice", choices=c.FeedbackSource),
                F("summary", "text", hint="What was said, without names"),
                _reflection(),
            ),
        ),
    ),
    lambda logbook: FeedbackEntry(date=date.today(), summary=""),
)

CODE_THEMES = (
    "Prioritise people",
    "Practise effectively",
    "Preserve safety",
    "Promote professionalism and trust",
)

REFLECTIVE_ACCOUNT = KindForm(
    K.REFLECTIVE_ACCOUNT,
    (
        Section(
            "Account",
            (
                F("date", "date"),
                F("title", "line"),
                F("experience", "text"),
                F("learning", "text"),
                F(
                    "change_in_practice",
                    "text",
                    hint="How it changed what you do",
                ),
                F(
                    "code_themes",
                    "list",
                    hint="e.g. Practise effectively, Preserve safety",
                    completions=CODE_THEMES,
                ),
                F("private", "privacy"),
            ),
        ),
    ),
    # Reflections are private until the user says otherwise.
    lambda logbook: ReflectiveAccount(date=date.today(), title="", private=True),
)

ATTESTATION = KindForm(
    K.ATTESTATION,
    (
        Section(
            "Discussion or confirmation",
            (
                F("date", "date"),
                F("attestation_kind", "choice", choices=c.AttestationKind),
                F("by_name", "line", hint="Name of the registrant", guard=False),
                F("by_role", "line", guard=False),
                F(
                    "confirmer_category",
                    "choice",
                    choices=c.ConfirmerCategory,
                    optional=True,
                    visible=_is("attestation_kind", c.AttestationKind.CONFIRMATION),
                    when_hidden=KEEP,  # an older entry's value is not lost by hiding it
                ),
                F("by_registration", "line", guard=False),
                # Their professional contact and address, asked for by the NMC: meant to be
                # there (a postcode in them is where they work, not where a client lives).
                F("by_email", "line", guard=False, hint="Their work email"),
                F("by_address", "text", guard=False, hint="Their work address and postcode"),
                F("notes", "text"),
            ),
        ),
    ),
    lambda logbook: Attestation(date=date.today(), by_name=""),
)


# --- people, organisations, profile ------------------------------------------------------------

PERSON = KindForm(
    K.PERSON,
    (
        Section(
            "Person",
            (
                F("name", "line", guard=False, hint="A supervisor, mentor or colleague"),
                F(
                    "roles",
                    "list",
                    guard=False,
                    hint="e.g. supervisor, mentor",
                    completions=("supervisor", "supervisee", "mentor", "assessor", "co-teacher"),
                ),
                F(
                    "organisation_uid",
                    "reference",
                    ref_kind=K.ORGANISATION,
                    optional=True,
                ),
                F("registration_body", "line", guard=False),
                F("registration_number", "line", guard=False),
                F("email", "line", guard=False),
                F("notes", "text"),
            ),
        ),
    ),
    lambda logbook: Person(name="", roles=("supervisor",)),
    attachments=False,
)

ORGANISATION = KindForm(
    K.ORGANISATION,
    (
        Section(
            "Organisation",
            (
                F("name", "line", guard=False, hint="e.g. NHS Lothian, Edinburgh Mind"),
                F("organisation_kind", "choice", choices=c.OrganisationKind),
                F("employer", "bool", hint="I work for them"),
                F("supervising", "bool", hint="They supervise me"),
                # Where the organisation is, postcode included: not read by the privacy guard.
                F("address", "text", guard=False, hint="Professional address with postcode"),
                F("notes", "text"),
            ),
        ),
    ),
    lambda logbook: Organisation(name=""),
    attachments=False,
)

ROLE_ROWS = RowsSpec(
    "Role",
    (
        FieldSpec("title", "Role", "line", guard=False, hint="e.g. Trainee PWP"),
        FieldSpec("start", "From", "date"),
        FieldSpec("end", "Until", "optional_date", hint="Until"),
        FieldSpec(
            "organisation_uid",
            "At",
            "reference",
            ref_kind=K.ORGANISATION,
            optional=True,
        ),
    ),
    RoleSpell,
    add_text="Add a role",
    first_line=1,
)

REGISTRATION_ROWS = RowsSpec(
    "Registration",
    (
        FieldSpec("body", "Body", "line", guard=False, hint="e.g. BABCP, HCPC, NMC"),
        FieldSpec("number", "Number", "line", guard=False),
        FieldSpec("registered_on", "Since", "optional_date", hint="Since"),
        FieldSpec("renewal_date", "Renewal", "optional_date", hint="Renews on"),
        FieldSpec("indemnity", "Indemnity", "choice", choices=c.Indemnity, optional=True),
        FieldSpec(
            "indemnity_provider",
            "Provider",
            "line",
            guard=False,
            hint="Indemnity provider, if not your employer",
        ),
    ),
    Registration,
    add_text="Add a registration",
    first_line=2,
)

PROFILE = KindForm(
    K.PROFILE,
    (
        Section(
            "You",
            (
                F("name", "line", guard=False),
                F("email", "line", guard=False),
                F("qualified_on", "optional_date", hint="Qualified on"),
                F(
                    "client_groups",
                    "list",
                    guard=False,
                    hint="Groups your qualification covers, e.g. adults, older adults",
                ),
            ),
        ),
        Section(
            "Roles and registrations",
            (
                F("roles", "rows", rows=ROLE_ROWS),
                F("registrations", "rows", rows=REGISTRATION_ROWS),
            ),
        ),
    ),
    lambda logbook: logbook.records.profile() or Profile(name=""),
    attachments=False,
)


FORMS: dict[RecordKind, KindForm] = {
    form.kind: form
    for form in (
        SUPERVISION,
        PRACTICE,
        COURSE,
        CPD,
        PERSONAL_PRACTICE,
        PATHWAY,
        MILESTONE,
        FEEDBACK,
        REFLECTIVE_ACCOUNT,
        ATTESTATION,
        PERSON,
        ORGANISATION,
        PROFILE,
    )
}

__all__ = ["FORMS", "KindForm"]
