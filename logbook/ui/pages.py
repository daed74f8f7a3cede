"""What the window asks of every section's page, and what it lends a page it builds.

The window routes every change to every page it has built, once, through these methods; a
page overrides those it cares about. Nothing is probed for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from logbook.domain.records import Profile
from logbook.services.changes import Change
from logbook.services.logbook import Logbook
from logbook.ui.columns import NameDirectory
from logbook.ui.settings import Preferences, UiState


@dataclass(frozen=True)
class PageContext:
    """The window's part in a page: the logbook, shared names and settings, and the calls a
    page makes back to the window.

    Attributes:
        report_change: A change the page made; the window passes it to every other page.
        show_section: Brings the section with this key to the front.
        say: Shows a passing message in the status bar.
        open_conflicts: Opens the review of records an import kept both versions of.
    """

    logbook: Logbook
    names: NameDirectory
    preferences: Preferences
    profile: Profile | None
    today: date | None
    report_change: Callable[[Change, Page | None], None]
    show_section: Callable[[str], None]
    say: Callable[[str], None]
    open_conflicts: Callable[[], None]


class Page:
    """A section's page (mixed into its Qt widget class)."""

    @classmethod
    def build(cls, context: PageContext) -> Page:
        """The page as the window shows it, wired to the window through ``context``."""
        raise NotImplementedError(f"{cls.__name__} is not a page of its own")

    def activate(self) -> None:
        """The page has just been shown: bring what it shows up to date if needed."""

    def apply_change(self, change: Change) -> None:
        """The logbook changed elsewhere (never called for a change the page made itself)."""

    def set_profile(self, profile: Profile | None) -> None:
        """The practitioner's profile changed."""

    def save_state(self, state: UiState) -> None:
        """Remember column widths and the like before the window closes."""
