"""Realistic demo logbooks for seven personas, from three years to a twenty-year career.

The shapes follow the people the product serves: the volumes per week, the supervision
patterns (weekly case management, fortnightly skills, dual supervision for peer workers,
individual and group supervision in each setting for counsellors), courses with their sessions
and supervision, retreats and daily practice. Nothing in a demo logbook is client-identifiable.
``scale`` multiplies every rate, so a larger logbook keeps the proportions of a real one.
Nothing is dated after the demo's today.

Each persona's supervisor has a signing identity (kept apart, in the ``demo-supervisor`` folder)
and signs a bounded share of the entries in every way the app offers: in person, remotely by
request and response files, a month as a batch, and a period summary; one entry is returned
with a comment, one signature revoked and the newest entry left awaiting sign-off.
"""

from __future__ import annotations

import os
import random
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import chain, count, groupby, islice
from pathlib import Path
from typing import TypeVar

from logbook.domain import choices as c
from logbook.domain.audit import ConfirmMethod
from logbook.domain.errors import ConflictError, ValidationError
from logbook.domain.identity import KdfParameters, SealedIdentity, create_identity
from logbook.domain.periods import Period, add_months, month_of
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
    entry_date,
)
from logbook.domain.requirements import PackSettings
from logbook.domain.signing import EventType
from logbook.services.identity import IDENTITY_SUFFIX, write_identity_file
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.services.signoff.inbox import Decision

R = TypeVar("R", bound=Record)

PERSONAS = ("mindfulness", "pwp", "peer", "supervisor", "counsellor", "nurse", "hcpc")

THEMES = {
    "clinical": [
        "risk assessment",
        "formulation",
        "endings",
        "therapeutic alliance",
        "working with shame",
        "cultural humility",
        "self-care",
        "boundaries",
    ],
    "pwp": [
        "caseload review",
        "step-up decisions",
        "risk",
        "low-intensity CBT fidelity",
        "behavioural activation",
        "worry management",
        "sleep",
        "panic",
        "exposure",
    ],
    "mindfulness": [
        "inquiry",
        "embodiment",
        "holding the group",
        "adapting practices",
        "trauma-sensitive teaching",
        "home practice",
        "session 4 turning towards",
    ],
    "peer": [
        "sharing lived experience",
        "boundaries",
        "wellbeing plan",
        "safeguarding process",
        "recovery narratives",
        "team integration",
        "self-care",
    ],
}
REFLECTIONS = [
    "Noticed my urge to fix rather than stay with uncertainty; will slow down next time.",
    "Useful to separate my own reactions from what belongs to the work.",
    "Felt more confident holding silence; supervisor helped me see the progress.",
    "Brought a stuck case; left with two concrete ideas to try.",
    "Reflected on pacing and on not over-preparing.",
]
CPD_TITLES = [
    ("Working with risk in primary care", "NHS Education for Scotland", c.CpdType.WORKSHOP),
    ("Compassion-focused approaches", "Compassionate Mind Foundation", c.CpdType.COURSE),
    (
        "Trauma-informed practice (skilled level)",
        "NHS Education for Scotland",
        c.CpdType.E_LEARNING,
    ),
    ("Annual conference", "BABCP", c.CpdType.CONFERENCE),
    ("Silent teacher-led retreat", "Gaia House", c.CpdType.RETREAT),
    ("Mindfulness for chronic pain", "Breathworks", c.CpdType.SPECIALIST_TRAINING),
    ("Supervision skills", "University of Exeter", c.CpdType.SUPERVISION_TRAINING),
    ("Reading group: behavioural activation", "Service reading group", c.CpdType.READING),
    ("Peer practice session", "Local mindfulness network", c.CpdType.PRACTICE_SESSION),
]
CPD_OUTCOMES = "Applied the approach with two groups; reviewed fidelity."
# The activities above that are specific to CBT (BABCP and the BPS PWP register count them).
CBT_TITLES = frozenset(
    {
        "Compassion-focused approaches",
        "Annual conference",
        "Supervision skills",
        "Reading group: behavioural activation",
    }
)
COUNSELLING_CPD = [
    ("Working with suicidal clients", "BACP", c.CpdType.WORKSHOP),
    ("Counselling for Depression", "Metanoia Institute", c.CpdType.SPECIALIST_TRAINING),
    ("Research conference", "BACP", c.CpdType.CONFERENCE),
    ("Working online and by telephone", "BACP", c.CpdType.E_LEARNING),
    ("Trauma-informed counselling", "The Minster Centre", c.CpdType.WORKSHOP),
    ("Working with bereavement", "Cruse Bereavement Support", c.CpdType.COURSE),
    ("Reading group: person-centred theory", "Service reading group", c.CpdType.READING),
    ("Ethical Framework in practice", "BACP", c.CpdType.E_LEARNING),
]
COUNSELLING_OUTCOMES = "Took the approach to supervision and tried it with two clients."


@dataclass
class Builder:
    """Collects a persona's records, drawing every choice from one seeded generator."""

    rng: random.Random
    start: date
    end: date
    scale: float
    records: list[Record] = field(default_factory=list)
    # The persona's main supervisor: the demo's signing identity is made in their name.
    supervisor: Person | None = None
    # Settings of the packs the persona follows (a qualification date, leave), by pack id.
    settings: dict[str, PackSettings] = field(default_factory=dict)
    # No record is stamped as made later than now (an entry of today is made by now).
    now: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))

    def add(self, record: R) -> R:
        """Keep ``record``, stamped as made on the evening of its date (never after now)."""
        stamp = datetime.combine(_entry_day(record) or self.start, time(18, 0), UTC)
        stamp = min(stamp, self.now)
        record = replace(record, created_at=stamp, updated_at=stamp)
        self.records.append(record)
        return record

    def weekly(
        self, per_week: float, weekdays: tuple[int, ...] = (0, 1, 2, 3, 4), leave_weeks: int = 6
    ) -> Iterator[date]:
        """Dates of an event happening ``per_week`` times a week (scaled), with leave taken."""
        rate = per_week * self.scale
        day = self.start - timedelta(days=self.start.weekday())
        while day <= self.end:
            on_leave = self.rng.random() < leave_weeks / 52
            if not on_leave:
                for _ in range(_poisson(self.rng, rate)):
                    when = day + timedelta(days=self.rng.choice(weekdays))
                    if self.start <= when <= self.end:
                        yield when
            day += timedelta(weeks=1)

    def every(self, days: int) -> Iterator[date]:
        """Regular dates ``days`` apart (scaled to be more frequent), skipping a few."""
        step = max(1, round(days / self.scale))
        day = self.start + timedelta(days=self.rng.randrange(step))
        while day <= self.end:
            if self.rng.random() > 0.06 and self.past(_weekday(day)):
                yield _weekday(day)
            day += timedelta(days=step)

    def past(self, day: date) -> bool:
        """Whether ``day`` has happened by the demo's today (nothing is logged ahead)."""
        return day <= self.end

    def pick(self, options: list[str], k: int = 2) -> tuple[str, ...]:
        """``k`` different ``options`` at random (all of them, if there are fewer)."""
        return tuple(self.rng.sample(options, k=min(k, len(options))))

    def reflection(self) -> tuple[str, bool]:
        """A sample reflection, and whether it is kept private (as most are)."""
        return self.rng.choice(REFLECTIONS), self.rng.random() < 0.6


def _entry_day(record: Record) -> date | None:
    for name in ("date", "start_date", "started_on", "due_date"):
        value = getattr(record, name, None)
        if isinstance(value, date):
            return value
    return None


def _weekday(day: date) -> date:
    return day + timedelta(days=max(0, 7 - day.weekday()) % 7 if day.weekday() > 4 else 0)


def _poisson(rng: random.Random, rate: float) -> int:
    whole = int(rate)
    return whole + (1 if rng.random() < rate - whole else 0)


# --- personas ----------------------------------------------------------------------------------


def _mindfulness(b: Builder) -> None:
    nhs = b.add(
        Organisation(
            name="NHS Lothian",
            organisation_kind=c.OrganisationKind.NHS,
            employer=True,
            supervising=True,
        )
    )
    charity = b.add(
        Organisation(
            name="Edinburgh Mindfulness Centre",
            organisation_kind=c.OrganisationKind.CHARITY,
            supervising=True,
        )
    )
    supervisor = b.add(
        Person(
            name="Dr Alasdair Grant",
            organisation_uid=nhs.uid,
            roles=("supervisor",),
            registration_body="HCPC",
            registration_number="PYL04821",
        )
    )
    b.supervisor = supervisor
    mentor = b.add(Person(name="Rhona Fraser", organisation_uid=charity.uid, roles=("mentor",)))
    co_teacher = b.add(Person(name="Iain Stewart", organisation_uid=nhs.uid, roles=("co_teacher",)))
    _profile(
        b,
        "Eilidh MacLeod",
        [("Trainee mindfulness teacher", nhs), ("Mindfulness therapist", nhs)],
        [
            Registration(body="BACP", number="MBACP 481220"),
            Registration(body="BAMBA", number="listed teacher"),
        ],
        ("bamba_teacher", "scottish_nhs_mindfulness", "bacp_accreditation"),
        ("adults with recurrent depression", "adults with long-term conditions"),
    )
    # Every step draws from the one seeded generator: the order keeps a demo reproducible.
    _daily_practice(b)
    _retreats(b)
    _teaching_courses(b, nhs, co_teacher, supervisor)
    _mentoring(b, mentor, charity)
    _cpd(b, 75)
    _mindfulness_pathway(b, mentor)
    _nmc_like(b)


def _daily_practice(b: Builder) -> None:
    for day in b.weekly(5.5, weekdays=(0, 1, 2, 3, 4, 5, 6), leave_weeks=2):
        b.add(
            PersonalPractice(
                start_date=day,
                duration_minutes=b.rng.choice([20, 30, 30, 40, 45]),
                title=b.rng.choice(
                    ["Body scan", "Sitting practice", "Mindful movement", "Breathing space"]
                ),
            )
        )


def _retreats(b: Builder) -> None:
    """Teacher-led silent retreats about twice a year; the first short one was instead a
    solitary weekend at home, agreed with the supervisor beforehand."""
    solitary_kept = False
    for day in b.every(200):
        days = b.rng.choice([2, 3, 5, 5, 7])
        if not b.past(day + timedelta(days=days - 1)):
            continue  # still on retreat today: logged when it ends
        mode = b.rng.choice([c.RetreatMode.RESIDENTIAL, c.RetreatMode.ONLINE])
        silence = b.rng.choice([50, 70, 90, 100])
        solitary = not solitary_kept and days < 5
        solitary_kept = solitary_kept or solitary
        b.add(
            PersonalPractice(
                start_date=day,
                end_date=day + timedelta(days=days - 1),
                practice_kind=c.PersonalPracticeKind.RETREAT,
                mode=c.RetreatMode.HOME if solitary else mode,
                days=float(days),
                silence_percent=100 if solitary else silence,
                teacher_led=not solitary,
                supervisor_agreed=solitary,
                title="Solitary retreat at home" if solitary else "Teacher-led silent retreat",
                notes="Planned with my supervisor: sitting and walking practice, no teacher."
                if solitary
                else "",
            )
        )


def _teaching_courses(
    b: Builder, nhs: Organisation, co_teacher: Person, supervisor: Person
) -> None:
    for number, day in enumerate(b.every(120), 1):
        course = _teaching_course(b, number, day, nhs, co_teacher)
        _course_assessments(b, course)
        _course_sessions(b, course)
        _course_supervision(b, course, supervisor)


def _teaching_course(
    b: Builder, number: int, day: date, nhs: Organisation, co_teacher: Person
) -> TeachingCourse:
    """The ``number``th course, starting on ``day``: the first two co-taught, then led."""
    populations = [
        "adults with recurrent depression",
        "people living with chronic pain",
        STAFF_POPULATION,
        "adults with anxiety",
    ]
    curriculum = b.rng.choice([c.Curriculum.MBCT, c.Curriculum.MBCT, c.Curriculum.MBSR])
    role = c.TeachingRole.CO_TEACHER if number <= 2 else c.TeachingRole.LEAD
    weeks = [week for week in range(8) if b.past(day + timedelta(weeks=week))]
    last = day + timedelta(weeks=7)
    population = b.rng.choice(populations)
    return b.add(
        TeachingCourse(
            title=f"{curriculum.label} course {number}",
            curriculum=curriculum,
            role=role,
            share_percent=50 if role is c.TeachingRole.CO_TEACHER else 100,
            population=population,
            # Patients of the NHS service; a staff wellbeing course is not a clinical one.
            clinical_population=population != STAFF_POPULATION,
            organisation_uid=nhs.uid,
            co_teacher_uid=co_teacher.uid if role is c.TeachingRole.CO_TEACHER else None,
            start_date=day,
            end_date=last if b.past(last) else None,  # a course still running has no end
            sessions_delivered=len(weeks),
            participants=b.rng.randint(8, 15),
        )
    )


def _course_assessments(b: Builder, course: TeachingCourse) -> None:
    """The orientation interviews in the weeks before a course starts."""
    for _ in range(b.rng.randint(8, 14)):
        b.add(
            PracticeEntry(
                date=course.start_date - timedelta(days=b.rng.randint(7, 21)),
                duration_minutes=45,
                activity=c.PracticeActivity.ASSESSMENT,
                client_group="adults",
                intervention=course.curriculum.label,
                organisation_uid=course.organisation_uid,
                course_uid=course.uid,
            )
        )


def _course_sessions(b: Builder, course: TeachingCourse) -> None:
    """One weekly session for each session delivered so far, some with a private entry in the
    teacher's reflective log."""
    lead = course.role is c.TeachingRole.LEAD
    for week in range(course.sessions_delivered):
        b.add(
            PracticeEntry(
                date=course.start_date + timedelta(weeks=week),
                duration_minutes=150,
                activity=c.PracticeActivity.COURSE_SESSION,
                role=c.FacilitationRole.LEAD if lead else c.FacilitationRole.CO_FACILITATOR,
                clients=course.participants,
                client_group="adults",
                intervention=course.curriculum.label,
                organisation_uid=course.organisation_uid,
                course_uid=course.uid,
                reflection=SESSION_REFLECTIONS.get(week, ""),
            )
        )


STAFF_POPULATION = "NHS staff wellbeing"
# The teacher's reflective log on a course's sessions, by week (private, as every reflection
# starts): what the teaching was like, never who said what.
SESSION_REFLECTIONS = {
    0: "Orientation ran long; I rushed the first body scan and will leave more time for it.",
    3: "Turning towards difficulty: I noticed my pull to reassure and stayed with the inquiry.",
    7: "The last session felt settled; the group named the practices they mean to keep.",
}


def _course_supervision(b: Builder, course: TeachingCourse, supervisor: Person) -> None:
    """Mindfulness supervision of a course: early, midway and at the end."""
    for week in (1, 4, 7):
        day = course.start_date + timedelta(weeks=week, days=2)
        if not b.past(day):
            break
        text, private = b.reflection()
        b.add(
            SupervisionSession(
                date=day,
                duration_minutes=60,
                counterpart_uid=supervisor.uid,
                organisation_uid=course.organisation_uid,
                supervision_type=c.SupervisionType.MINDFULNESS,
                mode=c.Mode.VIDEO,
                course_uid=course.uid,
                # Midway the supervisor reviews a recording of a session; co-teaching is fed back.
                methods=(c.SupervisionMethod.RECORDING_REVIEW,)
                if week == 4
                else (c.SupervisionMethod.CO_TEACHING_FEEDBACK,)
                if course.role is c.TeachingRole.CO_TEACHER
                else (c.SupervisionMethod.CASE_DISCUSSION,),
                themes=b.pick(THEMES["mindfulness"]),
                reflection=text,
                reflection_private=private,
            )
        )


def _mentoring(b: Builder, mentor: Person, charity: Organisation) -> None:
    """Monthly clinical supervision with the mentor at the mindfulness centre."""
    for day in b.every(30):
        text, private = b.reflection()
        b.add(
            SupervisionSession(
                date=day,
                duration_minutes=90,
                counterpart_uid=mentor.uid,
                organisation_uid=charity.uid,
                supervision_type=c.SupervisionType.CLINICAL,
                mode=c.Mode.IN_PERSON,
                themes=b.pick(THEMES["clinical"]),
                action_points="Try a shorter inquiry in session 3.",
                reflection=text,
                reflection_private=private,
            )
        )


def _mindfulness_pathway(b: Builder, mentor: Person) -> None:
    # BAMBA asks for at least 120 hours of teacher training (practice and retreats apart).
    _pathway(
        b,
        "Scottish NHS Mindfulness Training Pathway",
        "scottish_nhs_mindfulness",
        [
            "Participant: 8-week MBCT/MBSR course",
            "One year of daily practice",
            "Teacher training retreat (5 days)",
            "Co-teach first course with a mentor",
            "Reflective log and 500-word essay",
            "Lead a course under close supervision",
            "Trainer: 9 courses taught, 5 with the client group",
            "Supervisor training",
        ],
        mentor,
        training_hours=126.5,
    )


def _pwp(b: Builder) -> None:
    trust = b.add(
        Organisation(
            name="Leeds NHS Talking Therapies",
            organisation_kind=c.OrganisationKind.NHS,
            employer=True,
            supervising=True,
        )
    )
    case_sup = b.add(
        Person(
            name="Sarah Whitfield",
            organisation_uid=trust.uid,
            roles=("supervisor",),
            registration_body="BABCP",
            registration_number="PWP-0091",
        )
    )
    b.supervisor = case_sup
    # Colleagues in the fortnightly skills group (people, never clients).
    colleagues = [
        b.add(Person(name=n, organisation_uid=trust.uid, roles=("colleague",)))
        for n in ("Ellie Robinson", "Marcus Green", "Aisha Begum", "Josh Turner", "Hannah Clarke")
    ]
    skills_sup = b.add(
        Person(
            name="Dr Tomasz Nowak",
            organisation_uid=trust.uid,
            roles=("supervisor",),
            registration_body="HCPC",
            registration_number="PYL19077",
        )
    )
    _profile(
        b,
        "Priya Shah",
        [
            ("Trainee PWP", trust),
            ("Psychological wellbeing practitioner", trust),
            ("Senior PWP", trust),
        ],
        [Registration(body="BABCP", number="PWP-3310")],
        ("babcp_pwp", "nhs_tt_pwp"),
        ("adults with common mental health problems",),
    )
    activities = [
        (c.PracticeActivity.ASSESSMENT, 45, c.Delivery.TELEPHONE),
        (c.PracticeActivity.GUIDED_SELF_HELP, 30, c.Delivery.TELEPHONE),
        (c.PracticeActivity.GUIDED_SELF_HELP, 35, c.Delivery.VIDEO),
        (c.PracticeActivity.GUIDED_SELF_HELP, 30, c.Delivery.FACE_TO_FACE),
        (c.PracticeActivity.GROUP, 90, c.Delivery.FACE_TO_FACE),
    ]
    interventions = [
        "behavioural activation",
        "cognitive restructuring",
        "worry management",
        "sleep hygiene",
        "graded exposure",
        "problem solving",
    ]
    for day in b.weekly(19):
        activity, minutes, delivery = b.rng.choice(activities)
        b.add(
            PracticeEntry(
                date=day,
                duration_minutes=minutes,
                activity=activity,
                delivery=delivery,
                setting=c.Setting.PRIMARY_CARE,
                client_group="adults",
                intervention=b.rng.choice(interventions),
                organisation_uid=trust.uid,
                clients=b.rng.randint(6, 10) if activity is c.PracticeActivity.GROUP else 1,
                did_not_attend=b.rng.random() < 0.08,
            )
        )
    for day in b.weekly(1, weekdays=(1,)):
        b.add(
            SupervisionSession(
                date=day,
                duration_minutes=60,
                counterpart_uid=case_sup.uid,
                organisation_uid=trust.uid,
                arrangement="Weekly case management, S Whitfield",
                supervision_type=c.SupervisionType.CASE_MANAGEMENT,
                mode=b.rng.choice([c.Mode.IN_PERSON, c.Mode.VIDEO]),
                setting=c.Setting.PRIMARY_CARE,
                methods=(c.SupervisionMethod.CASE_DISCUSSION,),
                themes=b.pick(THEMES["pwp"]),
                action_points="Bring the step-up decisions back next week.",
            )
        )
    for number, day in enumerate(b.every(14)):
        group = b.rng.random() < 0.5
        text, private = b.reflection()
        size = b.rng.randint(3, 6) if group else None
        session = SupervisionSession(
            date=day,
            duration_minutes=90 if group else 60,
            counterpart_uid=skills_sup.uid,
            organisation_uid=trust.uid,
            arrangement="Fortnightly clinical skills, T Nowak",
            supervision_type=c.SupervisionType.CLINICAL_SKILLS,
            format=c.SupervisionFormat.GROUP if group else c.SupervisionFormat.INDIVIDUAL,
            group_size=size,
            group_member_uids=_present(colleagues, size, number),
            mode=c.Mode.IN_PERSON,
            setting=c.Setting.PRIMARY_CARE,
            live=b.rng.random() < 0.05,
            themes=b.pick(THEMES["pwp"]),
            reflection=text,
            reflection_private=private,
        )
        # Skills practised in role-play; a recording reviewed when the session was live.
        methods = [c.SupervisionMethod.CASE_DISCUSSION, c.SupervisionMethod.ROLE_PLAY]
        if session.live:
            methods.append(c.SupervisionMethod.RECORDING_REVIEW)
        b.add(replace(session, methods=tuple(methods)))
    first_cpd = len(b.records)
    _cpd(b, 60, skills_share=0.6, cbt=True)
    # What each activity changed in the work (BABCP's reflective statement asks for it),
    # written in after the draws so the rest of the demo stays as it was.
    b.records[first_cpd:] = [
        replace(r, impact="Used it with my next patients and reviewed it in supervision.")
        if isinstance(r, CpdActivity)
        else r
        for r in b.records[first_cpd:]
    ]
    _nmc_like(b)


def _peer(b: Builder) -> None:
    mind = b.add(
        Organisation(
            name="Mind in Salford",
            organisation_kind=c.OrganisationKind.CHARITY,
            employer=True,
            supervising=True,
        )
    )
    trust = b.add(
        Organisation(
            name="Greater Manchester Mental Health NHS FT",
            organisation_kind=c.OrganisationKind.NHS,
            supervising=True,
        )
    )
    line = b.add(Person(name="Dawn Mitchell", organisation_uid=mind.uid, roles=("supervisor",)))
    b.supervisor = line
    clinical = b.add(
        Person(
            name="Marcus Bell",
            organisation_uid=trust.uid,
            roles=("supervisor",),
            registration_body="NMC",
            registration_number="09I4521E",
        )
    )
    _profile(b, "Jordan Reid", [("Peer support worker", mind)], [], ("peer_support_induction",), ())
    for day in b.weekly(9):
        b.add(
            PracticeEntry(
                date=day,
                duration_minutes=b.rng.choice([30, 45, 60, 60, 90]),
                activity=c.PracticeActivity.PEER_SUPPORT,
                setting=b.rng.choice([c.Setting.COMMUNITY, c.Setting.SECONDARY_CARE]),
                delivery=b.rng.choice([c.Delivery.FACE_TO_FACE, c.Delivery.TELEPHONE]),
                client_group="adults",
                supervised=True,
                organisation_uid=mind.uid,
                notes="Contact took place.",
                did_not_attend=b.rng.random() < 0.1,
            )
        )
    for day in b.every(30):
        b.add(
            SupervisionSession(
                date=day,
                duration_minutes=60,
                counterpart_uid=line.uid,
                organisation_uid=mind.uid,
                supervision_type=c.SupervisionType.MANAGEMENT,
                themes=b.pick(THEMES["peer"]),
            )
        )
    for day in b.every(30):
        b.add(
            SupervisionSession(
                date=day,
                duration_minutes=60,
                counterpart_uid=clinical.uid,
                organisation_uid=trust.uid,
                supervision_type=c.SupervisionType.PEER,
                mode=c.Mode.VIDEO,
                themes=b.pick(THEMES["peer"]),
            )
        )
    _cpd(b, 120)
    _pathway(
        b,
        "Peer support worker induction",
        "peer_support_induction",
        [
            "Data protection",
            "Safeguarding adults and children",
            "Trauma-informed practice",
            "Breakaway training",
            "Facilitator training",
            "Sharing lived experience safely",
        ],
        line,
    )


def _supervisor(b: Builder) -> None:
    trust = b.add(
        Organisation(
            name="Oxford Health NHS FT",
            organisation_kind=c.OrganisationKind.NHS,
            employer=True,
            supervising=True,
        )
    )
    own = b.add(
        Person(
            name="Prof. Ruth Adeyemi",
            organisation_uid=trust.uid,
            roles=("supervisor",),
            registration_body="BABCP",
            registration_number="ACC-2210",
        )
    )
    b.supervisor = own
    supervisees = [
        b.add(Person(name=n, organisation_uid=trust.uid, roles=("supervisee",)))
        for n in ("Amira Hassan", "Ben Carter", "Chloe Evans", "Daniel Kim")
    ]
    _profile(
        b,
        "Dr Helen Okafor",
        [("CBT therapist", trust), ("Clinical supervisor", trust)],
        [
            Registration(body="BABCP", number="ACC-5521"),
            Registration(body="HCPC", number="PYL22310"),
        ],
        ("babcp_accreditation", "hcpc_cpd"),
        ("adults", "older adults"),
    )
    for day in b.weekly(14):
        b.add(
            PracticeEntry(
                date=day,
                duration_minutes=b.rng.choice([50, 60, 60, 90]),
                activity=b.rng.choice(
                    [c.PracticeActivity.ONE_TO_ONE] * 5 + [c.PracticeActivity.ASSESSMENT]
                ),
                setting=c.Setting.SECONDARY_CARE,
                client_group="adults",
                intervention="CBT",
                organisation_uid=trust.uid,
                did_not_attend=b.rng.random() < 0.07,
            )
        )
    for person in supervisees:
        for day in b.every(14):
            b.add(
                SupervisionSession(
                    date=day,
                    duration_minutes=60,
                    direction=c.Direction.GIVEN,
                    counterpart_uid=person.uid,
                    organisation_uid=trust.uid,
                    supervision_type=c.SupervisionType.CLINICAL,
                    themes=b.pick(THEMES["clinical"]),
                )
            )
    for day in b.every(30):
        b.add(
            SupervisionSession(
                date=day,
                duration_minutes=90,
                counterpart_uid=own.uid,
                organisation_uid=trust.uid,
                supervision_type=c.SupervisionType.SUPERVISION_OF_SUPERVISION,
                themes=b.pick(THEMES["clinical"]),
            )
        )
    _cpd(b, 45, skills_share=0.5, cbt=True)


# A counsellor's client work: (activity, minutes) drawn for each session, and how they meet.
PLACEMENT_WORK = [(c.PracticeActivity.ONE_TO_ONE, 50)] * 9 + [(c.PracticeActivity.ASSESSMENT, 60)]
NHS_WORK = [(c.PracticeActivity.ONE_TO_ONE, 50)] * 6 + [(c.PracticeActivity.ASSESSMENT, 60)]
COUNSELLING_DELIVERY = [c.Delivery.FACE_TO_FACE] * 3 + [c.Delivery.VIDEO, c.Delivery.TELEPHONE]


@dataclass(frozen=True)
class _Turns:
    """Where a counsellor's record turns: a second placement, qualifying, a post in the NHS,
    and a month away from client work (None when the record is too short to hold one)."""

    second_placement: date
    qualified_on: date
    nhs_from: date
    away: Period | None

    def working(self, day: date) -> bool:
        """Whether ``day`` falls outside the month away."""
        return self.away is None or not self.away.contains(day)


def _turns(b: Builder) -> _Turns:
    span = b.end - b.start
    qualified = _weekday(b.start + span * 0.4)
    away = month_of(add_months((b.start + span * 0.7).replace(day=1), 1))
    assert away.end is not None
    finished = away.end < b.end.replace(day=1)  # a whole month away, over before this one
    return _Turns(
        second_placement=_weekday(b.start + span * 0.15),
        qualified_on=qualified,
        nhs_from=_weekday(qualified + timedelta(weeks=6)),
        away=away if finished and away.start and away.start > qualified else None,
    )


def _counsellor(b: Builder) -> None:
    """A counsellor who trained on placements in a voluntary service and a university, and
    after qualifying works in NHS Talking Therapies while staying on at the voluntary service."""
    turns = _turns(b)
    charity = b.add(
        Organisation(
            name="Bristol Community Counselling",
            organisation_kind=c.OrganisationKind.CHARITY,
            employer=True,
            supervising=True,
        )
    )
    university = b.add(
        Organisation(
            name="University of the West of England Wellbeing Service",
            organisation_kind=c.OrganisationKind.EDUCATION,
            supervising=True,
        )
    )
    nhs = b.add(
        Organisation(
            name="Bristol NHS Talking Therapies",
            organisation_kind=c.OrganisationKind.NHS,
            employer=True,
            supervising=True,
        )
    )
    _counsellor_profile(b, turns, charity, university, nhs)
    _counsellor_placements(b, turns, charity, university)
    _counsellor_posts(b, turns, charity, nhs)
    first_cpd = len(b.records)
    _cpd(b, 55, titles=COUNSELLING_CPD, outcomes=COUNSELLING_OUTCOMES)
    # What each activity changed in the counsellor's work (BACP's criterion 6 asks for it),
    # written in after the draws so the rest of the demo stays as it was.
    impact = {
        "Working with suicidal clients": "Risk is now explored openly at assessment and "
        "reviewed with the client at every session, with a written safety plan where needed.",
        "Counselling for Depression": "Sessions in the NHS service now follow the Counselling "
        "for Depression competences, reviewed against the outcome measures each month.",
        "Research conference": "Brought two studies on early endings to the team and changed "
        "how clients are contacted after a missed first session.",
        "Working online and by telephone": "Contracts for online and telephone work now cover "
        "privacy, connection failures and what happens if the client is at risk.",
        "Trauma-informed counselling": "First sessions now begin by agreeing what helps the "
        "client feel safe, and pacing is reviewed in supervision.",
        "Working with bereavement": "Endings with bereaved clients are planned from the start "
        "and anniversaries are noted in the contract review.",
        "Reading group: person-centred theory": "Revisited the core conditions in supervision "
        "and noticed where advice-giving had crept into the work.",
        "Ethical Framework in practice": "Reviewed the consent and record-keeping sections of "
        "the contract against the Ethical Framework.",
    }
    b.records[first_cpd:] = [
        replace(r, impact=impact[r.title]) if isinstance(r, CpdActivity) else r
        for r in b.records[first_cpd:]
    ]
    leave = (turns.away,) if turns.away else ()
    b.settings["bacp_accreditation"] = PackSettings(qualified_on=turns.qualified_on, leave=leave)


def _counsellor_profile(
    b: Builder, turns: _Turns, charity: Organisation, university: Organisation, nhs: Organisation
) -> None:
    trainee = "Trainee counsellor (placement)"
    before = turns.qualified_on - timedelta(days=1)
    spells = (
        RoleSpell(title=trainee, organisation_uid=charity.uid, start=b.start, end=before),
        RoleSpell(
            title=trainee,
            organisation_uid=university.uid,
            start=turns.second_placement,
            end=before,
        ),
        RoleSpell(title="Counsellor", organisation_uid=charity.uid, start=turns.qualified_on),
        RoleSpell(
            title="Counsellor (Counselling for Depression)",
            organisation_uid=nhs.uid,
            start=turns.nhs_from,
        ),
    )
    registered = Registration(
        body="BACP",
        number="MBACP 392614",
        registered_on=turns.qualified_on,
        renewal_date=date(b.end.year + 1, 3, 31),
    )
    b.add(
        Profile(
            name="Hannah Osei",
            roles=spells,
            registrations=(registered,),
            followed_packs=("bacp_accreditation",),
            client_groups=("adults", "students in higher education"),
            qualified_on=turns.qualified_on,
        )
    )


def _counsellor_placements(
    b: Builder, turns: _Turns, charity: Organisation, university: Organisation
) -> None:
    """Client work on placement, each setting with its own supervision: individual and a
    large monthly group at the voluntary service, a small fortnightly group at the university."""
    before = turns.qualified_on - timedelta(days=1)
    individual = b.add(
        Person(
            name="Margaret Okonkwo",
            organisation_uid=charity.uid,
            roles=("supervisor",),
            registration_body="BACP",
            registration_number="MBACP (Snr Accred) 204118",
        )
    )
    b.supervisor = individual
    facilitator = b.add(
        Person(
            name="Tom Hargreaves",
            organisation_uid=charity.uid,
            roles=("supervisor",),
            registration_body="UKCP",
            registration_number="2008-114372",
        )
    )
    tutor = b.add(
        Person(
            name="Dr Nadia Rahman",
            organisation_uid=university.uid,
            roles=("supervisor",),
            registration_body="HCPC",
            registration_number="PYL31907",
        )
    )
    at_charity = _Place(charity, c.Setting.COMMUNITY, "adults")
    at_university = _Place(university, c.Setting.UNIVERSITY, "students in higher education")
    _client_work(b, _within(b.weekly(3), b.start, before, turns), at_charity, PLACEMENT_WORK)
    placement = _within(b.weekly(2), turns.second_placement, before, turns)
    _client_work(b, placement, at_university, PLACEMENT_WORK)

    def both_placements(day: date) -> tuple[c.Setting, ...]:
        # The individual supervisor takes the work of both placements while they overlap.
        if turns.second_placement <= day <= before:
            return (c.Setting.COMMUNITY, c.Setting.UNIVERSITY)
        return ()

    # The voluntary service's supervision goes on after qualifying: the counsellor stays.
    _supervise(
        b,
        _within(b.every(14), b.start, b.end, turns),
        individual,
        at_charity,
        60,
        arrangement="Fortnightly individual, M Okonkwo",
        settings=both_placements,
    )
    monthly = _within(b.every(28), b.start, b.end, turns)
    group = _colleagues(b, charity, COUNSELLING_COLLEAGUES[:6])
    _supervise(
        b,
        monthly,
        facilitator,
        at_charity,
        120,
        sizes=(5, 7),
        arrangement="Monthly group, T Hargreaves",
        colleagues=group,
    )
    fortnightly = _within(b.every(14), turns.second_placement, before, turns)
    peers = _colleagues(b, university, COUNSELLING_COLLEAGUES[6:9])
    _supervise(
        b,
        fortnightly,
        tutor,
        at_university,
        90,
        sizes=(3, 4),
        arrangement="Fortnightly placement group, N Rahman",
        colleagues=peers,
    )


def _counsellor_posts(b: Builder, turns: _Turns, charity: Organisation, nhs: Organisation) -> None:
    """After qualifying: sessional work at the voluntary service (with its helpline shifts and
    text counselling, which BACP does not count) and a post in NHS Talking Therapies, supervised
    one to one and in a case discussion group by one supervisor, line-managed by another."""
    supervisor = b.add(
        Person(
            name="Dr James Whitaker",
            organisation_uid=nhs.uid,
            roles=("supervisor",),
            registration_body="HCPC",
            registration_number="PYL27741",
        )
    )
    manager = b.add(Person(name="Claire Donnelly", organisation_uid=nhs.uid, roles=("manager",)))
    at_charity = _Place(charity, c.Setting.COMMUNITY, "adults")
    at_nhs = _Place(nhs, c.Setting.PRIMARY_CARE, "adults")
    after = turns.qualified_on
    _client_work(b, _within(b.weekly(2), after, b.end, turns), at_charity, PLACEMENT_WORK)
    shifts = _within(b.weekly(0.5, weekdays=(2, 5)), after, b.end, turns)
    _client_work(b, shifts, at_charity, [(c.PracticeActivity.HELPLINE, 180)], dna=0.0)
    texts = _within(b.weekly(0.4), after, b.end, turns)
    _client_work(b, texts, at_charity, [(c.PracticeActivity.TEXT_OR_EMAIL, 45)])
    _client_work(b, _within(b.weekly(9), turns.nhs_from, b.end, turns), at_nhs, NHS_WORK)
    _counselling_skills(b, turns, at_charity)
    individual = _within(b.every(14), turns.nhs_from, b.end, turns)
    whitaker = "Fortnightly individual, J Whitaker"
    _supervise(b, individual, supervisor, at_nhs, 60, arrangement=whitaker)
    groups = _within(b.every(30), turns.nhs_from, b.end, turns)
    team = _colleagues(b, nhs, COUNSELLING_COLLEAGUES[9:])
    _supervise(
        b,
        groups,
        supervisor,
        at_nhs,
        90,
        sizes=(4, 6),
        arrangement="Monthly case discussion group, J Whitaker",
        colleagues=team,
    )
    line = _within(b.every(30), turns.nhs_from, b.end, turns)
    _supervise(
        b,
        line,
        manager,
        at_nhs,
        45,
        kind=c.SupervisionType.MANAGEMENT,
        arrangement="Monthly line management, C Donnelly",
    )


# Colleagues in the counsellor's supervision groups: six at the voluntary service, three on the
# university placement, five in the NHS case discussion group.
COUNSELLING_COLLEAGUES = (
    "Kwame Asante",
    "Lucy Brennan",
    "Priya Nair",
    "Sean O'Connor",
    "Ffion Jones",
    "Dev Mistry",
    "Amara Okafor",
    "Ben Hughes",
    "Chloe Martin",
    "Grace Liu",
    "Owen Davies",
    "Rosa Fernandes",
    "Tariq Hussain",
    "Zoe Bennett",
)


def _colleagues(b: Builder, organisation: Organisation, names: Sequence[str]) -> list[Person]:
    """Colleagues at ``organisation`` who share a supervision group (never clients)."""
    return [
        b.add(Person(name=name, organisation_uid=organisation.uid, roles=("colleague",)))
        for name in names
    ]


def _present(colleagues: Sequence[Person], size: int | None, number: int) -> tuple[str, ...]:
    """The colleagues at the ``number``th session of a group of ``size`` supervisees, the
    practitioner one of them: they take turns to miss one. None for an individual session."""
    if not size or not colleagues:
        return ()
    start = number % len(colleagues)
    turn = [*colleagues[start:], *colleagues[:start]]
    return tuple(person.uid for person in turn[: min(size - 1, len(colleagues))])


def _counselling_skills(b: Builder, turns: _Turns, place: _Place) -> None:
    """A listening session at the voluntary service's drop-in every three months or so:
    counselling skills used in another role, which BACP does not count as practice."""
    first = turns.qualified_on.replace(day=1)
    for months in count(2, 3):
        day = _weekday(add_months(first, months) + timedelta(days=10))
        if not b.past(day):
            break
        if turns.working(day):
            b.add(
                PracticeEntry(
                    date=day,
                    duration_minutes=120,
                    activity=c.PracticeActivity.COUNSELLING_SKILLS,
                    setting=place.setting,
                    client_group=place.client_group,
                    intervention="listening support at the drop-in",
                    organisation_uid=place.organisation.uid,
                )
            )


@dataclass(frozen=True)
class _Place:
    """Where client work happens: the organisation, its setting and its clients."""

    organisation: Organisation
    setting: c.Setting
    client_group: str


def _within(days: Iterator[date], first: date, last: date, turns: _Turns) -> Iterator[date]:
    """The ``days`` from ``first`` to ``last``, leaving out the month away."""
    return (d for d in days if first <= d <= last and turns.working(d))


def _client_work(
    b: Builder,
    days: Iterator[date],
    place: _Place,
    work: Sequence[tuple[c.PracticeActivity, int]],
    dna: float = 0.08,
) -> None:
    for day in days:
        activity, minutes = b.rng.choice(work)
        text = activity is c.PracticeActivity.TEXT_OR_EMAIL
        b.add(
            PracticeEntry(
                date=day,
                duration_minutes=minutes,
                activity=activity,
                setting=place.setting,
                delivery=c.Delivery.ONLINE if text else b.rng.choice(COUNSELLING_DELIVERY),
                client_group=place.client_group,
                intervention="" if text else "person-centred counselling",
                organisation_uid=place.organisation.uid,
                did_not_attend=b.rng.random() < dna,
            )
        )


def _supervise(
    b: Builder,
    days: Iterator[date],
    supervisor: Person,
    place: _Place,
    minutes: int,
    sizes: tuple[int, int] | None = None,
    kind: c.SupervisionType = c.SupervisionType.CLINICAL,
    arrangement: str = "",
    colleagues: Sequence[Person] = (),
    settings: Callable[[date], tuple[c.Setting, ...]] = lambda _day: (),
) -> None:
    """Sessions with ``supervisor`` covering the work at ``place`` (and any other ``settings``
    on the day), under one ``arrangement``; a group of between ``sizes`` supervisees when
    given, contracted at the most, some of the ``colleagues`` in it."""
    group = c.SupervisionFormat.GROUP if sizes else c.SupervisionFormat.INDIVIDUAL
    for number, day in enumerate(days):
        size = b.rng.randint(*sizes) if sizes else None
        b.add(
            SupervisionSession(
                date=day,
                duration_minutes=minutes,
                counterpart_uid=supervisor.uid,
                organisation_uid=place.organisation.uid,
                arrangement=arrangement,
                supervision_type=kind,
                format=group,
                group_size=size,
                group_contracted_size=sizes[1] if sizes else None,
                group_member_uids=_present(colleagues, size, number),
                mode=b.rng.choice([c.Mode.IN_PERSON, c.Mode.IN_PERSON, c.Mode.VIDEO]),
                setting=place.setting,
                settings=settings(day),
                themes=b.pick(THEMES["clinical"]),
            )
        )


# --- a mental health nurse revalidating with the NMC ---------------------------------------------

# A community mental health nurse's working days: (scope, activity, minutes, what the day held),
# drawn for each day in the community team; mostly direct care, some teaching and some duty.
NURSE_DAYS = [
    (c.NmcScope.DIRECT_CLINICAL_CARE, c.PracticeActivity.ONE_TO_ONE, 450, "care coordination"),
    (c.NmcScope.DIRECT_CLINICAL_CARE, c.PracticeActivity.ONE_TO_ONE, 450, "depot clinic"),
    (
        c.NmcScope.DIRECT_CLINICAL_CARE,
        c.PracticeActivity.ASSESSMENT,
        450,
        "mental health assessment",
    ),
    (c.NmcScope.DIRECT_CLINICAL_CARE, c.PracticeActivity.GROUP, 450, "psychoeducation group"),
    (c.NmcScope.DIRECT_CLINICAL_CARE, c.PracticeActivity.ONE_TO_ONE, 450, "relapse prevention"),
    (c.NmcScope.DIRECT_CLINICAL_CARE, c.PracticeActivity.ONE_TO_ONE, 450, "physical health checks"),
    (c.NmcScope.EDUCATION, c.PracticeActivity.WORKSHOP, 450, "practice assessor for students"),
    (c.NmcScope.MANAGEMENT, c.PracticeActivity.ASSESSMENT, 450, "duty and allocation"),
]
# (title, provider, method, participatory, Code themes, what it changed in practice)
NURSE_CPD: list[tuple[str, str, c.CpdType, bool, tuple[c.CodeTheme, ...], str]] = [
    (
        "Safety planning with people at risk of suicide",
        "Zero Suicide Alliance",
        c.CpdType.WORKSHOP,
        True,
        (c.CodeTheme.PRESERVE_SAFETY, c.CodeTheme.PRIORITISE_PEOPLE),
        "Safety plans on my caseload are now written with the person and reviewed at each visit.",
    ),
    (
        "Physical health in severe mental illness",
        "Royal College of Nursing",
        c.CpdType.COURSE,
        True,
        (c.CodeTheme.PRACTISE_EFFECTIVELY,),
        "Annual physical health checks now include a discussion of smoking and activity.",
    ),
    (
        "Medicines management: long-acting injections",
        "Trust learning and development",
        c.CpdType.E_LEARNING,
        False,
        (c.CodeTheme.PRESERVE_SAFETY,),
        "Reviewed the depot clinic checklist with the team against current guidance.",
    ),
    (
        "Mental Health Act and Mental Capacity Act update",
        "Trust learning and development",
        c.CpdType.WORKSHOP,
        True,
        (c.CodeTheme.PROMOTE_PROFESSIONALISM, c.CodeTheme.PRIORITISE_PEOPLE),
        "Capacity assessments are now recorded in the decision-specific format.",
    ),
    (
        "Trauma-informed care in community teams",
        "Mental Health Nurses Association",
        c.CpdType.CONFERENCE,
        True,
        (c.CodeTheme.PRIORITISE_PEOPLE,),
        "First appointments now begin by asking what would help the person feel safe.",
    ),
    (
        "Reading: shared decision making in psychosis care",
        "Self-directed",
        c.CpdType.READING,
        False,
        (c.CodeTheme.PRACTISE_EFFECTIVELY,),
        "Brought two decision aids to the team meeting for medication reviews.",
    ),
    (
        "Supporting learners in practice",
        "University of Sheffield",
        c.CpdType.COURSE,
        True,
        (c.CodeTheme.PROMOTE_PROFESSIONALISM,),
        "Student nurses on placement now have a structured first-week plan.",
    ),
    (
        "Team reflective practice group",
        "Community mental health team",
        c.CpdType.PEER_LEARNING,
        True,
        (c.CodeTheme.PRACTISE_EFFECTIVELY, c.CodeTheme.PROMOTE_PROFESSIONALISM),
        "Bring difficult endings to the group earlier rather than managing them alone.",
    ),
]
NURSE_FEEDBACK = [
    (
        c.FeedbackSource.CLIENT,
        "Service user questionnaire: visits felt unhurried and the care plan was explained "
        "clearly.",
        "Kept the habit of summarising the plan at the end of each visit.",
    ),
    (
        c.FeedbackSource.COLLEAGUE,
        "A GP practice said my letters after reviews were clear and arrived promptly.",
        "Shared the letter template with two newer colleagues.",
    ),
    (
        c.FeedbackSource.MANAGER,
        "Annual appraisal: caseload records of a good standard; develop group work further.",
        "Agreed to co-facilitate the psychoeducation group for the next year.",
    ),
    (
        c.FeedbackSource.STUDENT,
        "Placement evaluation from a student nurse: well supported, wanted more feedback mid-way.",
        "Added a mid-placement review meeting for every student I assess.",
    ),
    (
        c.FeedbackSource.CLIENT,
        "Carers' group feedback: would like more information about medication side effects.",
        "Produced a plain-language side effects sheet with the team pharmacist.",
    ),
    (
        c.FeedbackSource.COLLEAGUE,
        "Ward staff fed back that my handover on bank shifts was thorough and well organised.",
        "Used the same structure for handovers in the community team.",
    ),
    (
        c.FeedbackSource.OTHER,
        "Team audit of care plans: most were up to date; crisis contacts missing from a few.",
        "Checked every care plan on my caseload for crisis contacts within the month.",
    ),
]
# (title, what happened, what I learned, what changed, Code themes)
NURSE_ACCOUNTS = [
    (
        "Safety planning workshop",
        "A workshop on collaborative safety planning, after which I reviewed the plans on my "
        "caseload.",
        "A plan written with the person is more likely to be used than one written for them.",
        "I now write safety plans in the visit, in the person's own words, and review them.",
        (c.CodeTheme.PRESERVE_SAFETY, c.CodeTheme.PRIORITISE_PEOPLE),
    ),
    (
        "Feedback from a student nurse",
        "A student's placement evaluation said she wanted more feedback part-way through.",
        "Feedback saved for the final interview comes too late to act on.",
        "Every student I assess now has a mid-placement review with written goals.",
        (c.CodeTheme.PROMOTE_PROFESSIONALISM,),
    ),
    (
        "A missed physical health review",
        "An annual physical health check on my caseload was overdue when the team audited records.",
        "Physical health reviews slip when they depend on memory rather than a system.",
        "I keep a monthly list of reviews due and book them with the depot appointments.",
        (c.CodeTheme.PRACTISE_EFFECTIVELY, c.CodeTheme.PRESERVE_SAFETY),
    ),
    (
        "Carers asking about medication",
        "Feedback from the carers' group asked for clearer information on side effects.",
        "Information I take for granted is often not what carers have been given.",
        "With the team pharmacist I wrote a side effects sheet, now offered at every review.",
        (c.CodeTheme.PRIORITISE_PEOPLE,),
    ),
    (
        "Working on an acute ward on a bank shift",
        "A bank shift on a busy admission ward, returning to inpatient work after some time.",
        "How much the ward depends on clear handover and on asking for help early.",
        "I prepare a short handover summary for every shift and keep it for community visits.",
        (c.CodeTheme.PRACTISE_EFFECTIVELY, c.CodeTheme.PROMOTE_PROFESSIONALISM),
    ),
]


# Professional addresses (where the trust and its community team work), which the NMC's forms
# ask for: organisations' addresses, never anyone's home.
NURSE_TRUST_ADDRESS = "Fulwood House, Old Fulwood Road, Sheffield S10 3TH"
NURSE_TEAM_ADDRESS = "Community Mental Health Team, Northlands, Southey Hill, Sheffield S5 8BE"


def _nurse(b: Builder) -> None:
    """A community mental health nurse who also takes bank shifts on an acute ward, in the
    current NMC revalidation cycle (renewal about a year away)."""
    trust = b.add(
        Organisation(
            name="Sheffield Health and Social Care NHS FT",
            organisation_kind=c.OrganisationKind.NHS,
            employer=True,
            supervising=True,
            address=NURSE_TRUST_ADDRESS,
        )
    )
    supervisor = b.add(
        Person(
            name="Gareth Lloyd",
            organisation_uid=trust.uid,
            roles=("supervisor",),
            registration_body="NMC",
            registration_number="02I1847E",
        )
    )
    b.supervisor = supervisor
    renewal = _month_end(add_months(b.end, 10))
    registered = Registration(
        body="NMC",
        number="11A2763E",
        registered_on=date(b.end.year - 12, 9, 1),
        renewal_date=renewal,
        indemnity=c.Indemnity.EMPLOYER,
    )
    b.add(
        Profile(
            name="Rebecca Thornton",
            roles=(
                RoleSpell(
                    title="Community mental health nurse",
                    organisation_uid=trust.uid,
                    start=b.start,
                ),
            ),
            registrations=(registered,),
            followed_packs=("nmc_revalidation",),
            client_groups=("adults with severe mental illness",),
            qualified_on=registered.registered_on,
        )
    )
    _nurse_practice(b, trust)
    for day in b.every(30):
        text, private = b.reflection()
        b.add(
            SupervisionSession(
                date=day,
                duration_minutes=60,
                counterpart_uid=supervisor.uid,
                organisation_uid=trust.uid,
                supervision_type=c.SupervisionType.CLINICAL,
                mode=b.rng.choice([c.Mode.IN_PERSON, c.Mode.IN_PERSON, c.Mode.VIDEO]),
                methods=(c.SupervisionMethod.CASE_DISCUSSION,),
                themes=b.pick(THEMES["clinical"]),
                reflection=text,
                reflection_private=private,
            )
        )
    _nurse_cpd(b)
    _nurse_revalidation(b, trust)


def _nurse_practice(b: Builder, trust: Organisation) -> None:
    """Working days in the community team, twelve-hour bank shifts on an acute ward, and a
    three-month secondment to the crisis team, recorded as a period a month at a time (as the
    NMC allows) rather than day by day."""
    secondment = _secondment(b)
    for day in b.weekly(3):
        scope, activity, minutes, work = b.rng.choice(NURSE_DAYS)
        clients = b.rng.randint(5, 8) if activity is c.PracticeActivity.GROUP else 1
        if secondment is not None and secondment[0] <= day <= secondment[1]:
            continue  # away from the community team
        b.add(
            PracticeEntry(
                date=day,
                duration_minutes=minutes,
                activity=activity,
                setting=c.Setting.SECONDARY_CARE,
                nmc_work_setting=c.NmcWorkSetting.COMMUNITY,
                nmc_scope=scope,
                nmc_registration=c.NmcRegistration.REGISTERED_NURSE,
                client_group="adults",
                intervention=work,
                clients=clients,
                organisation_uid=trust.uid,
            )
        )
    for day in b.weekly(0.4, weekdays=(5, 6)):
        b.add(
            PracticeEntry(
                date=day,
                duration_minutes=690,
                activity=c.PracticeActivity.ONE_TO_ONE,
                setting=c.Setting.SECONDARY_CARE,
                nmc_work_setting=c.NmcWorkSetting.SECONDARY_CARE,
                nmc_scope=c.NmcScope.DIRECT_CLINICAL_CARE,
                nmc_registration=c.NmcRegistration.REGISTERED_NURSE,
                client_group="adults",
                intervention="bank shift, acute admission ward",
                organisation_uid=trust.uid,
            )
        )
    if secondment is not None:
        _secondment_months(b, trust, *secondment)


def _secondment(b: Builder) -> tuple[date, date] | None:
    """The first and last days of three whole months starting a year ago (in the current
    revalidation cycle), when the record goes back that far."""
    first = add_months(b.end.replace(day=1), -12)
    last = add_months(first, 3) - timedelta(days=1)
    return (first, last) if b.start <= first and b.past(last) else None


def _secondment_months(b: Builder, trust: Organisation, first: date, last_day: date) -> None:
    """The secondment as one entry a month: full time (7.5 hours a weekday), from the first
    to the last day of the month."""
    month = first
    while month <= last_day:
        last = add_months(month, 1) - timedelta(days=1)
        weekdays = sum(
            1 for n in range((last - month).days + 1) if (month + timedelta(n)).weekday() < 5
        )
        b.add(
            PracticeEntry(
                date=month,
                end_date=last,
                duration_minutes=weekdays * 450,
                activity=c.PracticeActivity.ONE_TO_ONE,
                setting=c.Setting.SECONDARY_CARE,
                nmc_work_setting=c.NmcWorkSetting.COMMUNITY,
                nmc_scope=c.NmcScope.DIRECT_CLINICAL_CARE,
                nmc_registration=c.NmcRegistration.REGISTERED_NURSE,
                client_group="adults in mental health crisis",
                intervention="secondment, crisis resolution and home treatment team, full time",
                organisation_uid=trust.uid,
            )
        )
        month = last + timedelta(days=1)


# The participatory part of a CPD activity that was only partly with others: a conference's
# workshops (half the day), a course's taught sessions (two thirds, the rest study alone).
PARTLY_PARTICIPATORY: dict[c.CpdType, Callable[[int], int]] = {
    c.CpdType.CONFERENCE: lambda minutes: minutes // 2,
    c.CpdType.COURSE: lambda minutes: minutes * 2 // 3,
}


def _nurse_cpd(b: Builder) -> None:
    for day in b.every(45):
        title, provider, method, participatory, themes, impact = b.rng.choice(NURSE_CPD)
        text, private = b.reflection()
        minutes = b.rng.choice([90, 180, 210, 360, 420])
        part = PARTLY_PARTICIPATORY.get(method)
        b.add(
            CpdActivity(
                start_date=day,
                title=title,
                provider=provider,
                cpd_type=method,
                duration_minutes=minutes,
                participatory=participatory,
                participatory_minutes=part(minutes) if part else None,
                code_themes=themes,
                learning_outcomes="Discussed the learning with the team and applied it.",
                impact=impact,
                reflection=text,
                reflection_private=private,
            )
        )


def _nurse_revalidation(b: Builder, trust: Organisation) -> None:
    """Feedback and reflective accounts spread over the cycle; the reflective discussion and
    confirmation a few weeks before the demo's today, in the final twelve months."""
    for i, (source, summary, used) in enumerate(NURSE_FEEDBACK):
        b.add(
            FeedbackEntry(
                date=_weekday(b.end - timedelta(days=45 + 95 * i)),
                source=source,
                summary=summary,
                reflection=used,
                reflection_private=False,
            )
        )
    for i, (title, experience, learning, change, themes) in enumerate(NURSE_ACCOUNTS):
        b.add(
            ReflectiveAccount(
                date=_weekday(b.end - timedelta(days=35 + 120 * i)),
                title=title,
                experience=experience,
                learning=learning,
                change_in_practice=change,
                code_themes=tuple(theme.label for theme in themes),
            )
        )
    partner = b.add(
        Person(
            name="Samira Patel",
            organisation_uid=trust.uid,
            roles=("colleague",),
            registration_body="NMC",
            registration_number="07B3391E",
            email="samira.patel@nhs.net",
        )
    )
    manager = b.add(
        Person(
            name="Angela Brooks",
            organisation_uid=trust.uid,
            roles=("manager",),
            registration_body="NMC",
            registration_number="94C0172E",
            email="angela.brooks@nhs.net",
        )
    )
    b.add(
        Attestation(
            date=_weekday(b.end - timedelta(days=24)),
            attestation_kind=c.AttestationKind.REFLECTIVE_DISCUSSION,
            by_name=partner.name,
            by_role="Community mental health nurse",
            by_registration=partner.registration_number,
            by_email=partner.email,
            by_address=NURSE_TEAM_ADDRESS,
            notes="Discussed my five reflective accounts face to face.",
        )
    )
    b.add(
        Attestation(
            date=_weekday(b.end - timedelta(days=10)),
            attestation_kind=c.AttestationKind.CONFIRMATION,
            by_name=manager.name,
            by_role="Team manager",
            confirmer_category=c.ConfirmerCategory.NMC_LINE_MANAGER,
            by_registration=manager.registration_number,
            by_email=manager.email,
            by_address=NURSE_TRUST_ADDRESS,
        )
    )


def _month_end(day: date) -> date:
    """The last day of the month ``day`` is in."""
    return add_months(day.replace(day=1), 1) - timedelta(days=1)


# --- an arts therapist registered with the HCPC --------------------------------------------------

# (title, provider, form, HCPC type when it differs from the form's, outcomes, impact)
ARTS_CPD: list[tuple[str, str, c.CpdType, c.HcpcLearningType | None, str, str]] = [
    (
        "BAAT annual conference",
        "British Association of Art Therapists",
        c.CpdType.CONFERENCE,
        None,
        "Heard current research on art psychotherapy for people with psychosis.",
        "Shared the findings with the team; groups now keep a shared image log for review.",
    ),
    (
        "Mentalization-based approaches in arts therapies",
        "British Association of Art Therapists",
        c.CpdType.SPECIALIST_TRAINING,
        None,
        "Practised slowing down and wondering aloud about the image with the person.",
        "Service users in my groups said sessions felt less pressured and more collaborative.",
    ),
    (
        "Case presentation to the community team",
        "Community mental health team",
        c.CpdType.OTHER,
        c.HcpcLearningType.WORK_BASED,
        "Prepared and presented the arts therapies formulation of a complex referral.",
        "Referrals to the service are now better targeted, which shortened waiting times.",
    ),
    (
        "Supervising a trainee art therapist on placement",
        "University of Hertfordshire",
        c.CpdType.OTHER,
        c.HcpcLearningType.PROFESSIONAL,
        "Developed my own supervision practice and reflected on my model of work.",
        "",
    ),
    (
        "Reading: art therapy and psychosis",
        "Self-directed",
        c.CpdType.READING,
        None,
        "Summarised three recent papers on group art psychotherapy outcomes.",
        "",
    ),
    (
        "Arts therapies reflective practice group",
        "Trust arts therapies team",
        c.CpdType.PEER_LEARNING,
        None,
        "",
        "",
    ),
    (
        "Safeguarding adults level 3",
        "Trust learning and development",
        c.CpdType.E_LEARNING,
        None,
        "Updated my knowledge of the safeguarding pathway and of making referrals.",
        "",
    ),
    (
        "Trust arts therapies audit working group",
        "Trust clinical audit team",
        c.CpdType.OTHER,
        c.HcpcLearningType.PROFESSIONAL,
        "Designed the outcome audit for the arts therapies service.",
        "The audit showed who drops out early; we now offer a preparation session to everyone.",
    ),
    (
        "Journal club: outcome measures in arts therapies",
        "Arts therapies journal club",
        c.CpdType.PEER_LEARNING,
        c.HcpcLearningType.SELF_DIRECTED,
        "",
        "",
    ),
]


def _hcpc(b: Builder) -> None:
    """An art psychotherapist in an NHS community mental health team, registered with the
    HCPC, whose CPD over the last two years has a gap of some months."""
    trust = b.add(
        Organisation(
            name="North East London NHS FT",
            organisation_kind=c.OrganisationKind.NHS,
            employer=True,
            supervising=True,
        )
    )
    supervisor = b.add(
        Person(
            name="Dr Lena Fischer",
            organisation_uid=trust.uid,
            roles=("supervisor",),
            registration_body="HCPC",
            registration_number="AS08123",
        )
    )
    b.supervisor = supervisor
    _profile(
        b,
        "Tomás Rivera",
        [("Art psychotherapist", trust)],
        [Registration(body="HCPC", number="AS14876")],
        ("hcpc_cpd",),
        ("adults with severe and enduring mental illness", "adults with psychosis"),
    )
    work = [
        (c.PracticeActivity.ONE_TO_ONE, 60, "art psychotherapy"),
        (c.PracticeActivity.ONE_TO_ONE, 60, "art psychotherapy"),
        (c.PracticeActivity.ONE_TO_ONE, 60, "art psychotherapy"),
        (c.PracticeActivity.GROUP, 90, "group art psychotherapy"),
        (c.PracticeActivity.ASSESSMENT, 60, "arts therapies assessment"),
    ]
    for day in b.weekly(8, weekdays=(0, 1, 2, 3)):
        activity, minutes, intervention = b.rng.choice(work)
        group = activity is c.PracticeActivity.GROUP
        b.add(
            PracticeEntry(
                date=day,
                duration_minutes=minutes,
                activity=activity,
                setting=c.Setting.SECONDARY_CARE,
                role=c.FacilitationRole.LEAD if group else c.FacilitationRole.SOLE,
                client_group="adults",
                intervention=intervention,
                clients=b.rng.randint(4, 8) if group else 1,
                organisation_uid=trust.uid,
                did_not_attend=b.rng.random() < 0.1,
            )
        )
    for day in b.every(14):
        text, private = b.reflection()
        b.add(
            SupervisionSession(
                date=day,
                duration_minutes=60,
                counterpart_uid=supervisor.uid,
                organisation_uid=trust.uid,
                supervision_type=c.SupervisionType.CLINICAL,
                mode=b.rng.choice([c.Mode.IN_PERSON, c.Mode.VIDEO]),
                methods=(c.SupervisionMethod.CASE_DISCUSSION,),
                themes=b.pick(THEMES["clinical"]),
                reflection=text,
                reflection_private=private,
            )
        )
    # No CPD for about four months, some ten to five months ago (a gap to explain).
    quiet = Period(b.end - timedelta(days=300), b.end - timedelta(days=170))
    for day in b.every(35):
        if quiet.contains(day):
            continue
        title, provider, form, learning, outcomes, impact = b.rng.choice(ARTS_CPD)
        b.add(
            CpdActivity(
                start_date=day,
                title=title,
                provider=provider,
                cpd_type=form,
                learning_type=learning,
                duration_minutes=b.rng.choice([60, 90, 180, 360, 420]),
                participatory=form not in (c.CpdType.READING, c.CpdType.E_LEARNING),
                learning_outcomes=outcomes,
                impact=impact,
            )
        )
    b.settings["hcpc_cpd"] = PackSettings(working_fraction=0.8)


# --- shared pieces -----------------------------------------------------------------------------


def _profile(
    b: Builder,
    name: str,
    roles: list[tuple[str, Organisation]],
    registrations: list[Registration],
    packs: tuple[str, ...],
    client_groups: tuple[str, ...],
) -> None:
    span = (b.end - b.start) / max(1, len(roles))
    spells = tuple(
        RoleSpell(
            title=title,
            organisation_uid=org.uid,
            start=b.start + span * i,
            end=None if i == len(roles) - 1 else b.start + span * (i + 1) - timedelta(days=1),
        )
        for i, (title, org) in enumerate(roles)
    )
    renewal = date(b.end.year + 1, 3, 31)
    dated = tuple(replace(r, registered_on=b.start, renewal_date=renewal) for r in registrations)
    b.add(
        Profile(
            name=name,
            roles=spells,
            registrations=dated,
            followed_packs=packs,
            client_groups=client_groups,
            qualified_on=b.start + timedelta(days=365),
        )
    )


def _cpd(
    b: Builder,
    every_days: int,
    skills_share: float = 0.3,
    titles: Sequence[tuple[str, str, c.CpdType]] = CPD_TITLES,
    outcomes: str = CPD_OUTCOMES,
    cbt: bool = False,
) -> None:
    """CPD every ``every_days`` or so; for a CBT practitioner (``cbt``), the activities
    specific to CBT are marked as such."""
    for day in b.every(every_days):
        title, provider, kind = b.rng.choice(titles)
        text, private = b.reflection()
        b.add(
            CpdActivity(
                start_date=day,
                title=title,
                provider=provider,
                cpd_type=kind,
                duration_minutes=b.rng.choice([90, 180, 360, 420]),
                participatory=kind not in (c.CpdType.READING, c.CpdType.E_LEARNING),
                skills_focused=b.rng.random() < skills_share,
                cbt_related=cbt and title in CBT_TITLES,
                learning_outcomes=outcomes,
                reflection=text,
                reflection_private=private,
            )
        )


def _pathway(
    b: Builder,
    title: str,
    key: str,
    steps: list[str],
    assessor: Person,
    training_hours: float | None = None,
) -> None:
    pathway = b.add(
        Pathway(title=title, template_key=key, started_on=b.start, training_hours=training_hours)
    )
    span = (b.end - b.start) / (len(steps) + 1)
    for i, step in enumerate(steps):
        due = b.start + span * (i + 1)
        done = due < b.end - timedelta(days=60)
        b.add(
            Milestone(
                pathway_uid=pathway.uid,
                title=step,
                sequence=i + 1,
                due_date=due,
                status=c.MilestoneStatus.COMPLETE
                if done
                else c.MilestoneStatus.IN_PROGRESS
                if i == 0 or due < b.end
                else c.MilestoneStatus.NOT_STARTED,
                completed_on=due if done else None,
                assessor_uid=assessor.uid if done else None,
                evidence="Certificate on file." if done else "",
            )
        )


def _nmc_like(b: Builder) -> None:
    for day in b.every(180):
        b.add(
            FeedbackEntry(
                date=day,
                source=b.rng.choice(list(c.FeedbackSource)),
                summary="Feedback form comments: felt listened to; sessions well paced.",
                reflection="Will keep checking understanding at the end of sessions.",
            )
        )
        if not b.past(day + timedelta(days=10)):
            continue
        b.add(
            ReflectiveAccount(
                date=day + timedelta(days=10),
                title="Managing endings",
                experience="A planned ending brought up strong feelings in the group.",
                learning="Endings need naming early and revisiting.",
                change_in_practice="I now flag endings from session one.",
                code_themes=("Practise effectively",),
            )
        )
    b.add(
        Attestation(
            date=b.end - timedelta(days=30),
            by_name="Dr Fiona Brown",
            by_role="Line manager",
            by_registration="NMC 12A3456E",
        )
    )


_BUILDERS: dict[str, Callable[[Builder], None]] = {
    "mindfulness": _mindfulness,
    "pwp": _pwp,
    "peer": _peer,
    "supervisor": _supervisor,
    "counsellor": _counsellor,
    "nurse": _nurse,
    "hcpc": _hcpc,
}


@dataclass(frozen=True)
class DemoResult:
    """What a demo logbook holds.

    Attributes:
        counts: Records made, by kind.
        signoff: Sign-off made, by way: ``in_person``, ``batch``, ``period_summary`` and
            ``remote`` signatures, entries ``returned`` by the supervisor, signatures
            ``revoked``, and entries left ``awaiting`` an answer.
    """

    persona: str
    counts: dict[str, int]
    signoff: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """How many records the demo made, of every kind."""
        return sum(self.counts.values())


def generate_demo(
    logbook: Logbook,
    persona: str = "mindfulness",
    years: int = 3,
    scale: float = 1.0,
    seed: int = 2026,
    today: date | None = None,
) -> DemoResult:
    """Fill an empty logbook with a realistic record of ``years`` for ``persona``.

    Nothing is dated after ``today``. The persona's supervisor then signs a share of the
    entries in every way the app offers (see :func:`_sign_off`); their signing identity is left
    in the ``demo-supervisor`` folder of the logbook's data folder, unlocked by
    :data:`DEMO_SUPERVISOR_PASSPHRASE`.

    Raises:
        ValidationError: an unknown persona or a scale/years out of range.
        ConflictError: the logbook already has a profile (demos only fill empty logbooks).
    """
    if persona not in _BUILDERS:
        raise ValidationError(
            [], f"Unknown persona '{persona}': choose one of {', '.join(PERSONAS)}"
        )
    if not 1 <= years <= 40 or not 0.1 <= scale <= 20:
        raise ValidationError([], "years must be 1 to 40 and scale 0.1 to 20")
    if logbook.records.profile() is not None:
        raise ConflictError("This logbook already has records; a demo needs an empty logbook")
    end = today or date.today()
    start = end.replace(year=end.year - years)
    builder = Builder(random.Random(seed), start, end, scale)
    _BUILDERS[persona](builder)
    supervisor = _main_supervisor(builder)
    logbook.records.create_many(builder.records)
    if builder.settings:
        logbook.requirements.save_all_settings(builder.settings)
    signoff = _sign_off(logbook, supervisor, builder.records, end)
    return DemoResult(persona, dict(Counter(r.kind.value for r in builder.records)), signoff)


# --- sign-off ----------------------------------------------------------------------------------

DEMO_SUPERVISOR_FOLDER = "demo-supervisor"
"""Where the demo supervisor's identity is kept, inside the demo logbook's data folder (never in
the practitioner's identity store: a supervisor's private key stays on their own computer)."""
DEMO_SUPERVISOR_PASSPHRASE = "demo supervisor passphrase"
"""Unlocks the demo supervisor's identity, so whoever tries the demo can sign in person."""
IN_PERSON, REMOTE, AWAITING = 5, 4, 1
SESSION_RETURN = "Please add the action points we agreed, then send this session again."
OTHER_RETURN = "Please add what you took from this and how it changes your practice."
REVOKE_REASON = "Signed in error: the length recorded was wrong; to be corrected and signed again."


@dataclass(frozen=True)
class _Lane:
    """Entries of one kind (and sub-kinds) the demo supervisor may sign, newest first.

    Attributes:
        blocked: First days of the months holding entries of this kind and sub-kinds the
            supervisor may not sign (another supervisor's): a batch leaves those months alone.
    """

    kind: RecordKind
    subtypes: tuple[str, ...]
    records: tuple[Record, ...]
    blocked: frozenset[date]


@dataclass(frozen=True)
class _Plan:
    """Which entries are signed each way: a bounded number, whatever the logbook's size."""

    awaiting: tuple[Record, ...] = ()
    remote: tuple[Record, ...] = ()
    batch: tuple[_Lane, Period, frozenset[str]] | None = None
    in_person: tuple[Record, ...] = ()
    summary: tuple[_Lane, Period] | None = None


def _main_supervisor(b: Builder) -> Person:
    """The persona's main supervisor: set by its builder, else its first person in the
    supervisor role, else a supervisor added for the demo."""
    if b.supervisor is not None:
        return b.supervisor
    people = [r for r in b.records if isinstance(r, Person)]
    found = next((p for p in people if "supervisor" in p.roles), None)
    return found or b.add(Person(name="Dr Morgan Ellis", roles=("supervisor",)))


def _sign_off(
    logbook: Logbook, supervisor: Person, records: Sequence[Record], today: date
) -> dict[str, int]:
    """Have ``supervisor`` sign a share of the saved ``records`` in every way the app offers.

    Older entries are signed in person (which confirms the supervisor's key) and one of those
    signatures is revoked; a month is signed as a batch, and the last finished month as a
    period summary (of the supervisor's sessions where there are any); recent entries are
    signed remotely, one of them returned with a comment, and the newest left awaiting an
    answer. The work is bounded: a few entries each way, plus one month's batch.

    Args:
        logbook: The demo logbook, its records already saved.
        supervisor: The person who signs; their signing identity is made for the demo.
        records: The saved records to choose from.
        today: The demo's today; nothing later (nor after the real today) is signed.

    Returns:
        How many signatures were made by each way, and entries returned, revoked, awaiting.
    """
    limit = min(today, date.today())
    plan = _plan(_lanes(records, supervisor, limit), limit)
    identity = _supervisor_identity(logbook, supervisor, records)
    counts = {"in_person": _sign_in_person(logbook, identity, supervisor, plan.in_person)}
    counts["batch"] = _sign_batch(logbook, identity, plan.batch)
    counts["period_summary"] = _sign_summary(logbook, identity, plan.summary)
    counts["remote"], counts["returned"] = _sign_remotely(
        logbook, identity, supervisor, plan.remote
    )
    counts["awaiting"] = _request_signoff(logbook, supervisor, plan.awaiting)
    counts["revoked"] = _revoke_one(logbook, supervisor, plan.in_person)
    return counts


# --- what is signed ---


def _lanes(records: Sequence[Record], supervisor: Person, limit: date) -> list[_Lane]:
    """The supervisor's own sessions first, then CPD and practice (which name no supervisor)."""
    by_kind: dict[RecordKind, list[Record]] = {}
    for record in records:
        by_kind.setdefault(record.kind, []).append(record)
    sessions = [
        r for r in by_kind.get(RecordKind.SUPERVISION, []) if isinstance(r, SupervisionSession)
    ]
    own = {
        s.uid
        for s in sessions
        if s.direction is c.Direction.RECEIVED and s.counterpart_uid == supervisor.uid
    }
    types = tuple(sorted({s.supervision_type.value for s in sessions if s.uid in own}))
    lanes = [
        _lane(
            RecordKind.SUPERVISION,
            types,
            [s for s in sessions if s.supervision_type in types],
            lambda r: r.uid in own,
            limit,
        ),
        _lane(RecordKind.CPD, (), by_kind.get(RecordKind.CPD, []), lambda _: True, limit),
        _lane(RecordKind.PRACTICE, (), by_kind.get(RecordKind.PRACTICE, []), lambda _: True, limit),
    ]
    return [lane for lane in lanes if lane.records]


def _lane(
    kind: RecordKind,
    subtypes: tuple[str, ...],
    members: Sequence[Record],
    signable: Callable[[Record], bool],
    limit: date,
) -> _Lane:
    """The entries of ``members`` (a kind's, of ``subtypes`` when given) the supervisor may
    sign, newest first."""
    ok: list[tuple[date, Record]] = []
    blocked: set[date] = set()
    for record in members:
        day = entry_date(record)
        if day is not None and day <= limit and signable(record):
            ok.append((day, record))
        elif day is not None:
            blocked.add(day.replace(day=1))
    ok.sort(key=lambda pair: pair[0], reverse=True)
    return _Lane(kind, subtypes, tuple(r for _, r in ok), frozenset(blocked))


def _plan(lanes: Sequence[_Lane], limit: date) -> _Plan:
    """Newest entries awaiting and remote, then a batch month, then older ones in person."""
    total = sum(len(lane.records) for lane in lanes)
    newest = list(islice(_pool(lanes), AWAITING + REMOTE))
    awaiting = tuple(newest[:AWAITING]) if total > 2 * (AWAITING + REMOTE + IN_PERSON) else ()
    remote = tuple(newest[len(awaiting) : len(awaiting) + REMOTE])
    if len(remote) < 2:  # one signed and one returned, or none
        remote = ()
    taken = {r.uid for r in (*awaiting, *remote)}
    batch = _batch_month(lanes, taken, limit)
    if batch is not None:
        taken |= batch[2]
    before = batch[1].start if batch is not None and batch[1].start else limit
    older = (r for r in _pool(lanes) if r.uid not in taken and (entry_date(r) or limit) < before)
    in_person = tuple(islice(older, IN_PERSON)) or tuple(
        islice((r for r in _pool(lanes) if r.uid not in taken), IN_PERSON)
    )
    return _Plan(awaiting, remote, batch, in_person, _summary_month(lanes, limit))


def _pool(lanes: Sequence[_Lane]) -> Iterator[Record]:
    return chain.from_iterable(lane.records for lane in lanes)


def _batch_month(
    lanes: Sequence[_Lane], taken: set[str], limit: date
) -> tuple[_Lane, Period, frozenset[str]] | None:
    """The newest finished month of a lane whose entries the supervisor may all sign at once,
    none of them already chosen for another way; with the uids it holds."""
    this_month = limit.replace(day=1)
    for lane in lanes:
        for first, group in groupby(lane.records, key=lambda r: _month_start(r, limit)):
            uids = frozenset(r.uid for r in group)
            if first < this_month and first not in lane.blocked and not uids & taken:
                return lane, month_of(first), uids
    return None


def _summary_month(lanes: Sequence[_Lane], limit: date) -> tuple[_Lane, Period] | None:
    """The last finished month with entries of the first lane (a summary covers days over)."""
    this_month = limit.replace(day=1)
    first = lanes[0] if lanes else None
    months = (_month_start(r, limit) for r in (first.records if first else ()))
    month = next((m for m in months if m < this_month), None)
    return (first, month_of(month)) if first is not None and month is not None else None


def _month_start(record: Record, limit: date) -> date:
    return (entry_date(record) or limit).replace(day=1)


# --- signing each way ---


def _supervisor_identity(
    logbook: Logbook, supervisor: Person, records: Sequence[Record]
) -> SealedIdentity:
    """The supervisor's signing identity, in their name, kept in the demo-supervisor folder.

    A lighter Argon2id setting keeps the demo quick; it is still a real, sealed identity.
    """
    organisations = {r.uid: r.name for r in records if isinstance(r, Organisation)}
    identity = create_identity(
        supervisor.name,
        DEMO_SUPERVISOR_PASSPHRASE,
        registration_body=supervisor.registration_body,
        registration_number=supervisor.registration_number,
        organisation=organisations.get(supervisor.organisation_uid or "", ""),
        kdf=KdfParameters(salt=os.urandom(16), memory_kib=8192, iterations=1),
    )
    if logbook.location is not None:
        _keep_identity(identity, logbook.location.root / DEMO_SUPERVISOR_FOLDER)
    return identity


def _keep_identity(identity: SealedIdentity, folder: Path) -> Path:
    """Write the identity file, with a note saying what it is and how to unlock it."""
    slug = re.sub(r"[^a-z0-9]+", "-", identity.public.name.casefold()).strip("-")
    path = folder / f"{slug or 'supervisor'}{IDENTITY_SUFFIX}"
    folder.mkdir(parents=True, exist_ok=True)
    write_identity_file(identity, path)
    (folder / "README.txt").write_text(
        f"The signing identity of {identity.public.name}, the demo logbook's supervisor "
        f"(fingerprint {identity.fingerprint}).\n"
        f"Its passphrase is: {DEMO_SUPERVISOR_PASSPHRASE}\n"
        "Use it to try signing entries in person. A real supervisor's identity stays on their "
        "own computer, never on the practitioner's.\n",
        encoding="utf-8",
    )
    return path


def _sign_in_person(
    logbook: Logbook, identity: SealedIdentity, supervisor: Person, entries: Sequence[Record]
) -> int:
    """Sign ``entries`` with the supervisor present, who confirms their key on the way."""
    if not entries:
        logbook.signoff.confirm_key(supervisor.uid, identity.public, ConfirmMethod.IN_PERSON)
        return 0
    signed = logbook.signoff.sign(
        entries, identity, DEMO_SUPERVISOR_PASSPHRASE, confirm_for=supervisor.uid
    )
    return len(signed.signed)


def _sign_batch(
    logbook: Logbook, identity: SealedIdentity, batch: tuple[_Lane, Period, frozenset[str]] | None
) -> int:
    """Sign every entry of the batch month's lane at once."""
    if batch is None:
        return 0
    lane, period, _ = batch
    signed = logbook.signoff.sign_batch(
        lane.kind, period, identity, DEMO_SUPERVISOR_PASSPHRASE, subtypes=lane.subtypes
    )
    return len(signed.signed)


def _sign_summary(
    logbook: Logbook, identity: SealedIdentity, month: tuple[_Lane, Period] | None
) -> int:
    """Total a month of the lane's kind and have the supervisor sign that summary."""
    if month is None:
        return 0
    lane, period = month
    made = logbook.signoff.create_summary(lane.kind, period, subtypes=lane.subtypes)
    logbook.signoff.sign([made.summary], identity, DEMO_SUPERVISOR_PASSPHRASE)
    return 1


def _sign_remotely(
    logbook: Logbook, identity: SealedIdentity, supervisor: Person, entries: Sequence[Record]
) -> tuple[int, int]:
    """Send ``entries`` for remote sign-off; the supervisor signs all but one, which they
    return with a comment, in a logbook of their own. Returns (signed, returned)."""
    if not entries:
        return 0, 0
    back = next((r for r in entries if r.kind is RecordKind.SUPERVISION), entries[0])
    comment = SESSION_RETURN if back.kind is RecordKind.SUPERVISION else OTHER_RETURN
    decisions = {
        r.uid: Decision.returned(comment) if r is back else Decision.signed() for r in entries
    }
    with tempfile.TemporaryDirectory(prefix="logbook-demo-") as folder:
        request, response = Path(folder, "request.json"), Path(folder, "response.json")
        logbook.signoff.create_request(
            entries,
            request,
            supervisor_name=supervisor.name,
            message="My recent entries, please, as we agreed in supervision.",
        )
        _answer(Path(folder, "supervisor"), request, decisions, identity, response)
        applied = logbook.signoff.apply_response(response, trust_signer=True)
    return len(applied.signed), len(applied.returned)


def _answer(
    folder: Path,
    request: Path,
    decisions: Mapping[str, Decision],
    identity: SealedIdentity,
    response: Path,
) -> None:
    """The supervisor opens ``request`` in their own logbook and answers it in ``response``."""
    book = Logbook.open(DataLocation(folder), auto_backup=False)
    try:
        entry = book.signoff.open_request(request).entry
        book.signoff.respond(
            entry.uid,
            decisions,
            identity,
            DEMO_SUPERVISOR_PASSPHRASE,
            response,
            message="Signed; one returned with a comment.",
        )
    finally:
        book.close()


def _request_signoff(logbook: Logbook, supervisor: Person, entries: Sequence[Record]) -> int:
    """Send ``entries`` for sign-off and leave them awaiting the supervisor's answer."""
    if not entries:
        return 0
    with tempfile.TemporaryDirectory(prefix="logbook-demo-") as folder:
        logbook.signoff.create_request(
            entries,
            Path(folder, "request.json"),
            supervisor_name=supervisor.name,
            message="My latest entry, when you have a moment.",
        )
    return len(entries)


def _revoke_one(logbook: Logbook, supervisor: Person, signed: Sequence[Record]) -> int:
    """Revoke the oldest in-person signature at the supervisor's request (keeping one)."""
    if len(signed) < 2:
        return 0
    history = logbook.signoff.history(signed[-1].uid)
    event = next(e for e in history if e.event_type is EventType.SIGNED)
    logbook.signoff.revoke(event.uid, REVOKE_REASON, by=supervisor.name)
    return 1
