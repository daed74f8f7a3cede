"""The Sign-off section: in person, batch and remote sign-off, the supervisor's inbox."""

from logbook.ui.signoff.page import SignoffPage

__all__ = ["SignoffPage"]
