"""What the window asks of every section's page.

The window routes every change to every page it has built, once, through these methods; a
page overrides those it cares about. Nothing is probed for.
"""

from __future__ import annotations

from logbook.domain.records import Profile
from logbook.services.changes import Change
from logbook.ui.settings import UiState


class Page:
    """A section's page (mixed into its Qt widget class)."""

    def activate(self) -> None:
        """The page has just been shown: bring what it shows up to date if needed."""

    def apply_change(self, change: Change) -> None:
        """The logbook changed elsewhere (never called for a change the page made itself)."""

    def set_profile(self, profile: Profile | None) -> None:
        """The practitioner's profile changed."""

    def save_state(self, state: UiState) -> None:
        """Remember column widths and the like before the window closes."""
