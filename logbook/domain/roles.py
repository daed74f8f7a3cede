"""The words a practitioner's own role uses for their record, so a peer support worker's log is
never titled "clinical supervision" and a mindfulness teacher's practice is the courses taught.

The role is read from the newest role in the profile (its title, as the practitioner wrote it),
else from the requirement packs they follow; what each role calls things follows
``docs/layouts.md`` ("Role words").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from logbook.domain.records import Profile


class Role(StrEnum):
    """The kinds of role whose words differ."""

    PEER = "peer"
    PWP = "pwp"
    MHWP = "mhwp"
    CBT = "cbt"
    COUNSELLOR = "counsellor"
    NURSE = "nurse"
    MINDFULNESS = "mindfulness"
    GENERAL = "general"


@dataclass(frozen=True)
class RoleWords:
    """What a role calls its logs and the people it works with.

    Attributes:
        supervision_log: The title of the log of supervision received.
        practice_log: The title of the log of practice.
        people: Whom the practice is with, as the role says it ("people supported").
    """

    supervision_log: str
    practice_log: str
    people: str


WORDS: dict[Role, RoleWords] = {
    Role.PEER: RoleWords(
        "Supervision and support log", "Peer support contacts", "people supported"
    ),
    Role.PWP: RoleWords(
        "Supervision log: case management and clinical skills",
        "Step 2 practice (low-intensity interventions)",
        "patients",
    ),
    Role.MHWP: RoleWords("Supervision log", "Practice", "people using the service"),
    Role.CBT: RoleWords("CBT clinical supervision log", "CBT practice", "clients"),
    Role.COUNSELLOR: RoleWords("Supervision record", "Practice log (client hours)", "clients"),
    Role.NURSE: RoleWords(
        "Clinical supervision log", "Practice hours", "patients and service users"
    ),
    Role.MINDFULNESS: RoleWords(
        "Mindfulness-based supervision log", "Courses taught", "participants"
    ),
    Role.GENERAL: RoleWords("Supervision log", "Practice", "the people worked with"),
}

# Read in this order: the first that matches a role title decides ("mental health and wellbeing
# practitioner" before "wellbeing practitioner").
_TITLE_WORDS: tuple[tuple[Role, str], ...] = (
    (Role.PEER, r"\bpeer\b|lived experience"),
    (Role.MHWP, r"\bmhwp\b|mental health and wellbeing"),
    (Role.PWP, r"\b(pwp|cwp|emhp)s?\b|wellbeing practitioner"),
    (Role.MINDFULNESS, r"mindfulness|\bmbct\b|\bmbsr\b"),
    (Role.NURSE, r"\bnurse\b|\b(rmn|cpn|rgn)\b|nursing"),
    (Role.CBT, r"\bcbt\b|cognitive behavioural"),
    (Role.COUNSELLOR, r"counsell|psychotherap"),
)
_PACK_WORDS: tuple[tuple[Role, str], ...] = (
    (Role.PEER, "peer"),
    (Role.NURSE, "nmc"),
    (Role.MINDFULNESS, "bamba"),
    (Role.MINDFULNESS, "mindfulness"),
    (Role.COUNSELLOR, "bacp"),
    (Role.PWP, "pwp"),
    (Role.CBT, "babcp"),
)


def role_of(profile: Profile) -> Role:
    """The role whose words the practitioner's record uses: the newest role's title, else the
    packs followed, else the general words."""
    newest = sorted(profile.roles, key=lambda spell: spell.start)[-1:] or []
    for spell in newest:
        title = spell.title.casefold()
        for role, pattern in _TITLE_WORDS:
            if re.search(pattern, title):
                return role
    packs = " ".join(profile.followed_packs).casefold()
    return next((role for role, word in _PACK_WORDS if word in packs), Role.GENERAL)


def words_for(profile: Profile) -> RoleWords:
    """The words of the practitioner's role."""
    return WORDS[role_of(profile)]
