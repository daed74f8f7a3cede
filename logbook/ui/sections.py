"""The window's sections, in sidebar order: one line each.

Ctrl+1 … Ctrl+9 reach the first nine and Ctrl+0 the tenth; there is no key for an eleventh,
so one more section must make room rather than silently share Ctrl+1.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from logbook.domain.records import RecordKind as K

if TYPE_CHECKING:
    from logbook.ui.pages import Page


@dataclass(frozen=True)
class Section:
    """One sidebar section.

    Attributes:
        title: As menus show it ("&&" for an ampersand).
        icon: The icon's name in ``resources/icons``.
        subtitle: The line under the section's heading.
        lists: The record lists the section shows (as tabs when several), with their titles.
        page: For a page of its own instead of lists, its class as "module:Class"; imported
            when the section is first shown, so the window opens without it.
        heading: False where the page draws its own heading and actions.
    """

    key: str
    title: str
    icon: str
    subtitle: str
    lists: tuple[tuple[K, str], ...] = ()
    page: str = ""
    heading: bool = True

    @property
    def name(self) -> str:
        """The title as a label shows it."""
        return self.title.replace("&&", "&")

    def page_type(self) -> type[Page]:
        """The class of its page of its own (import errors propagate: a broken page fails)."""
        module, _, name = self.page.partition(":")
        page: type[Page] = getattr(import_module(module), name)
        return page


SECTIONS: tuple[Section, ...] = (
    Section(
        "dashboard",
        "Dashboard",
        "dashboard",
        "Where you stand, and what is coming up",
        page="logbook.ui.dashboard:DashboardPage",
    ),
    Section(
        "supervision",
        "Supervision",
        "supervision",
        "Sessions received and given",
        ((K.SUPERVISION, "Supervision"),),
    ),
    Section(
        "practice",
        "Practice",
        "practice",
        "Practice hours: what you did, never with whom",
        ((K.PRACTICE, "Practice"),),
    ),
    Section(
        "courses",
        "Teaching courses",
        "course",
        "Mindfulness-based courses taught",
        ((K.COURSE, "Teaching courses"),),
    ),
    Section(
        "cpd",
        "CPD",
        "cpd",
        "Continuing professional development, feedback and reflection",
        (
            (K.CPD, "CPD activities"),
            (K.FEEDBACK, "Feedback"),
            (K.REFLECTIVE_ACCOUNT, "Reflective accounts"),
            (K.ATTESTATION, "Discussions & confirmations"),
        ),
    ),
    Section(
        "personal_practice",
        "Practice && retreats",
        "retreat",
        "Personal meditation practice and retreat days",
        ((K.PERSONAL_PRACTICE, "Personal practice & retreats"),),
    ),
    Section(
        "pathways",
        "Pathways && milestones",
        "pathway",
        "Training pathways, conversion plans and their milestones",
        ((K.PATHWAY, "Pathways"), (K.MILESTONE, "Milestones")),
    ),
    Section(
        "signoff",
        "Sign-off",
        "signoff",
        "Supervisors' signatures on your entries",
        page="logbook.ui.signoff:SignoffPage",
        heading=False,
    ),
    Section(
        "people",
        "People && organisations",
        "people",
        "Supervisors, colleagues and the organisations you work with",
        ((K.PERSON, "People"), (K.ORGANISATION, "Organisations")),
    ),
    Section(
        "requirements",
        "Requirements",
        "requirements",
        "Professional requirements, checked month by month",
        page="logbook.ui.requirements_view:RequirementsView",
    ),
)

if len(SECTIONS) > 10:
    raise RuntimeError("Ctrl+1 … Ctrl+0 reach ten sections; give the eleventh another way in")

BY_KEY = {section.key: section for section in SECTIONS}


def section_shortcut(section: Section) -> str:
    """Its key: Ctrl+1 for the first, … Ctrl+0 for the tenth."""
    return f"Ctrl+{(SECTIONS.index(section) + 1) % 10}"
