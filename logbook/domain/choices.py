"""Closed vocabularies of the record kinds, each value with the label people read."""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Choice(StrEnum):
    """A stored value (stable snake_case) with a human label."""

    _label_: str

    def __new__(cls, value: str, label: str = "") -> Self:
        """A member stored as ``value`` and shown as ``label`` (by default the value in words,
        capitalised: ``case_management`` reads "Case management")."""
        member = str.__new__(cls, value)
        member._value_ = value
        member._label_ = label or value.replace("_", " ").capitalize()
        return member

    @property
    def label(self) -> str:
        """What people read for this value in forms, lists and the portfolio."""
        return self._label_

    @classmethod
    def parse(cls, text: str) -> Self:
        """Accept a stored value or a label, case-insensitively (for imports and the CLI)."""

        def key(words: str) -> str:
            return words.strip().lower().replace("-", "_").replace(" ", "_")

        wanted = key(text)
        for member in cls:
            if wanted in (member.value, key(member.label)):
                return member
        options = ", ".join(m.value for m in cls)
        raise ValueError(f"'{text}' is not one of: {options}")


class Direction(Choice):
    """Whether a supervision session was received (as supervisee) or given (as supervisor)."""

    RECEIVED = "received"
    GIVEN = "given"


class SupervisionType(Choice):
    """What a supervision session was for."""

    CLINICAL = "clinical"
    CASE_MANAGEMENT = "case_management"
    CLINICAL_SKILLS = "clinical_skills"
    MANAGEMENT = "management", "Management / line"
    MINDFULNESS = "mindfulness", "Mindfulness-based"
    PEER = "peer"
    GROUP = "group"
    MENTORING = "mentoring"
    SUPERVISION_OF_SUPERVISION = "supervision_of_supervision"


class SupervisionFormat(Choice):
    """Whether a supervision session was one-to-one or in a group."""

    INDIVIDUAL = "individual"
    GROUP = "group"


class Mode(Choice):
    """How the people in a supervision session met."""

    IN_PERSON = "in_person"
    VIDEO = "video"
    TELEPHONE = "telephone"


class SupervisionMethod(Choice):
    """How the work was brought to a supervision session (BABCP asks for the methods used)."""

    CASE_DISCUSSION = "case_discussion", "Case presentation or discussion"
    ROLE_PLAY = "role_play", "Role-play or skills rehearsal"
    RECORDING_REVIEW = "recording_review", "Recording reviewed"
    LIVE_OBSERVATION = "live_observation", "Live observation"
    CO_TEACHING_FEEDBACK = "co_teaching_feedback", "Co-teaching with feedback"
    OTHER = "other"


class PracticeActivity(Choice):
    """The kind of work a practice entry records."""

    ONE_TO_ONE = "one_to_one", "1:1 therapy"
    ASSESSMENT = "assessment"
    GUIDED_SELF_HELP = "guided_self_help"
    GROUP = "group", "Group work"
    COURSE_SESSION = "course_session", "8-week course session"
    WORKSHOP = "workshop"
    PEER_SUPPORT = "peer_support", "Peer-support contact"
    HELPLINE = "helpline"
    TEXT_OR_EMAIL = "text_or_email", "Asynchronous text / email"
    # Using counselling skills within another role (BACP does not count it as practice).
    COUNSELLING_SKILLS = "counselling_skills", "Counselling skills work"

    @property
    def contact_only(self) -> bool:
        """Whether an entry may record only that contact took place: no duration, no client
        group or intervention (peer workers record contact, never its content)."""
        return self is PracticeActivity.PEER_SUPPORT


class Setting(Choice):
    """The service or sector the work took place in."""

    PRIMARY_CARE = "primary_care"
    SECONDARY_CARE = "secondary_care"
    DRUG_AND_ALCOHOL = "drug_and_alcohol", "Drug and alcohol"
    GAMBLING_HARMS = "gambling_harms"
    PRISON = "prison"
    SCHOOL = "school"
    COMMUNITY = "community", "Community / third sector"
    UNIVERSITY = "university"
    PRIVATE_PRACTICE = "private_practice"


class NmcWorkSetting(Choice):
    """The NMC's work settings, as its practice hours log lists them."""

    AMBULANCE_SERVICE = "ambulance_service"
    CARE_HOME = "care_home", "Care home sector"
    COMMUNITY = (
        "community",
        "Community setting (including district nursing and community psychiatric nursing)",
    )
    CONSULTANCY = "consultancy"
    COSMETIC = "cosmetic", "Cosmetic or aesthetic sector"
    GOVERNING_BODY = "governing_body", "Governing body or other leadership"
    PRIMARY_CARE = "primary_care", "GP practice or other primary care"
    SECONDARY_CARE = "secondary_care", "Hospital or other secondary care"
    INSPECTORATE = "inspectorate", "Inspectorate or regulator"
    INSURANCE_OR_LEGAL = "insurance_or_legal", "Insurance or legal"
    MATERNITY = "maternity", "Maternity unit or birth centre"
    MILITARY = "military"
    OCCUPATIONAL_HEALTH = "occupational_health"
    POLICE = "police"
    POLICY_ORGANISATION = "policy_organisation"
    PRISON = "prison"
    PRIVATE_DOMESTIC = "private_domestic", "Private domestic setting"
    PUBLIC_HEALTH = "public_health", "Public health organisation"
    SCHOOL = "school"
    TERTIARY_CARE = "tertiary_care", "Specialist or other tertiary care including hospice"
    TELEPHONE_OR_E_HEALTH = "telephone_or_e_health", "Telephone or e-health advice"
    TRADE_UNION = "trade_union", "Trade union or professional body"
    UNIVERSITY = "university", "University or other research facility"
    VOLUNTARY = "voluntary", "Voluntary or charity sector"
    OTHER = "other"


class NmcScope(Choice):
    """The NMC's scopes of practice (the current template's words)."""

    DIRECT_CLINICAL_CARE = "direct_clinical_care"
    EDUCATION = "education"
    RESEARCH = "research"
    MANAGEMENT = "management"
    LEADERSHIP = "leadership"
    POLICY = "policy"
    COMMISSIONING = "commissioning"
    CONSULTANCY = "consultancy"
    QUALITY_ASSURANCE = "quality_assurance", "Quality assurance or inspection"


class NmcRegistration(Choice):
    """The part of the NMC register a practice entry's work was done under, as the NMC's
    practice hours log asks."""

    REGISTERED_NURSE = "registered_nurse"
    MIDWIFE = "midwife"
    NURSING_ASSOCIATE = "nursing_associate"
    NURSE_SCPHN = "nurse_scphn", "Registered nurse/SCPHN"
    MIDWIFE_SCPHN = "midwife_scphn", "Midwife/SCPHN"


class Delivery(Choice):
    """How a practice entry reached its clients."""

    FACE_TO_FACE = "face_to_face"
    TELEPHONE = "telephone"
    VIDEO = "video"
    ONLINE = "online", "Online (text or programme)"


class FacilitationRole(Choice):
    """The part the practitioner played in a practice entry."""

    SOLE = "sole", "Sole practitioner"
    LEAD = "lead"
    CO_FACILITATOR = "co_facilitator", "Co-facilitator"


class Curriculum(Choice):
    """The mindfulness-based programme a course teaches."""

    MBCT = "mbct", "MBCT"
    MBSR = "mbsr", "MBSR"
    MBLC = "mblc", "Mindfulness Based Living Course"
    BREATHWORKS = "breathworks", "Breathworks"
    OTHER = "other"


class TeachingRole(Choice):
    """The part the practitioner played in teaching a course."""

    LEAD = "lead", "Lead teacher"
    CO_TEACHER = "co_teacher", "Co-teacher"
    TRAINEE = "trainee", "Trainee (closely supervised)"


class CpdType(Choice):
    """The form a CPD activity took."""

    WORKSHOP = "workshop"
    COURSE = "course"
    CONFERENCE = "conference"
    RETREAT = "retreat", "Residential retreat"
    PRACTICE_SESSION = "practice_session"
    SPECIALIST_TRAINING = "specialist_training"
    E_LEARNING = "e_learning", "E-learning"
    READING = "reading"
    PEER_LEARNING = "peer_learning"
    SUPERVISION_TRAINING = "supervision_training"
    OTHER = "other"


class HcpcLearningType(Choice):
    """The HCPC's types of CPD activity."""

    WORK_BASED = "work_based", "Work-based learning"
    PROFESSIONAL = "professional", "Professional activity"
    FORMAL_EDUCATIONAL = "formal_educational", "Formal and educational"
    SELF_DIRECTED = "self_directed", "Self-directed learning"
    OTHER = "other"


_LEARNING_TYPES = {
    CpdType.WORKSHOP: HcpcLearningType.FORMAL_EDUCATIONAL,
    CpdType.COURSE: HcpcLearningType.FORMAL_EDUCATIONAL,
    CpdType.CONFERENCE: HcpcLearningType.FORMAL_EDUCATIONAL,
    CpdType.SPECIALIST_TRAINING: HcpcLearningType.FORMAL_EDUCATIONAL,
    CpdType.E_LEARNING: HcpcLearningType.FORMAL_EDUCATIONAL,
    CpdType.SUPERVISION_TRAINING: HcpcLearningType.FORMAL_EDUCATIONAL,
    CpdType.PEER_LEARNING: HcpcLearningType.WORK_BASED,
    CpdType.PRACTICE_SESSION: HcpcLearningType.WORK_BASED,
    CpdType.READING: HcpcLearningType.SELF_DIRECTED,
    CpdType.RETREAT: HcpcLearningType.OTHER,
    CpdType.OTHER: HcpcLearningType.OTHER,
}


def default_learning_type(cpd_type: CpdType) -> HcpcLearningType:
    """The HCPC type of an activity of ``cpd_type``, for an activity whose HCPC type was not
    chosen."""
    return _LEARNING_TYPES[cpd_type]


class CodeTheme(Choice):
    """The four themes of the NMC Code."""

    PRIORITISE_PEOPLE = "prioritise_people"
    PRACTISE_EFFECTIVELY = "practise_effectively"
    PRESERVE_SAFETY = "preserve_safety"
    PROMOTE_PROFESSIONALISM = "promote_professionalism", "Promote professionalism and trust"


class PersonalPracticeKind(Choice):
    """Whether personal practice is everyday meditation (in minutes) or a retreat (in days)."""

    DAILY_PRACTICE = "daily_practice"
    RETREAT = "retreat"


class RetreatMode(Choice):
    """Where personal practice or a retreat took place."""

    HOME = "home", "At home"
    RESIDENTIAL = "residential"
    ONLINE = "online"
    DAY_RETREAT = "day_retreat"


class PathwayKind(Choice):
    """Whether a pathway is a training programme or a plan for a teacher trained in another
    curriculum to convert, whose milestones may be routes."""

    TRAINING = "training", "Training pathway"
    CONVERSION = "conversion", "Conversion plan"


class MilestoneStatus(Choice):
    """How far a milestone has got; a waived one counts as met."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    WAIVED = "waived"


class ConversionRoute(Choice):
    """A way through a conversion plan that a milestone may stand for."""

    COURSE_PARTICIPANT = "course_participant", "8-week course as participant"
    MENTORING = "mentoring", "Individual mentoring"
    NHS_THERAPIST_TRAINING = "nhs_therapist_training", "NHS therapist training"
    CO_TEACHING = "co_teaching", "Co-teaching with an established therapist"


class FeedbackSource(Choice):
    """Who gave a piece of feedback."""

    CLIENT = "client", "Client or service user"
    COLLEAGUE = "colleague"
    MANAGER = "manager"
    STUDENT = "student"
    SUPERVISOR = "supervisor"
    OTHER = "other"


class AttestationKind(Choice):
    """What another person confirmed in an attestation."""

    REFLECTIVE_DISCUSSION = "reflective_discussion"
    CONFIRMATION = "confirmation", "Revalidation confirmation"
    APPRAISAL = "appraisal"


class ConfirmerCategory(Choice):
    """Who confirmed an NMC revalidation, in the NMC's categories of confirmer."""

    NMC_LINE_MANAGER = "nmc_line_manager", "Line manager, NMC registrant"
    LINE_MANAGER = "line_manager", "Line manager, not NMC-registered"
    NMC_REGISTRANT = "nmc_registrant", "Another NMC registrant"
    REGULATED_PROFESSIONAL = "regulated_professional", "Other UK-regulated healthcare professional"
    OVERSEAS_PROFESSIONAL = "overseas_professional", "Overseas regulated healthcare professional"


class Indemnity(Choice):
    """How a registrant's practice is covered by professional indemnity, in the NMC's words."""

    EMPLOYER = "employer", "Through my employer"
    PROFESSIONAL_BODY = "professional_body", "Through membership of a professional body"
    PRIVATE_INSURANCE = "private_insurance", "Private insurance arrangement"


class OrganisationKind(Choice):
    """The sector an organisation belongs to."""

    NHS = "nhs", "NHS board or trust"
    CHARITY = "charity", "Charity / third sector"
    PRISON_SERVICE = "prison_service"
    LOCAL_AUTHORITY = "local_authority"
    EDUCATION = "education", "University or college"
    PRIVATE = "private", "Private practice"
    OTHER = "other"
