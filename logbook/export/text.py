"""How values read in a portfolio: dates, hours, names, sign-off states."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from logbook.domain.durations import hours
from logbook.domain.findings import Finding
from logbook.domain.periods import Period
from logbook.domain.records import Profile, Registration, RoleSpell
from logbook.domain.requirements import text as requirement_text

DASH = "–"


def day(value: date | None) -> str:
    """A date as "03 Feb 2025" (an empty string for no date)."""
    return f"{value:%d %b %Y}" if value else ""


def day_range(start: date | None, end: date | None) -> str:
    """Dates as "03 Feb 2025 – 07 Feb 2025", or the one day when there is no later end."""
    if start and end and end != start:
        return f"{day(start)} {DASH} {day(end)}"
    return day(start)


def stamp(value: datetime) -> str:
    """A moment as "03 Feb 2025 14:05"."""
    return f"{value:%d %b %Y %H:%M}"


def period_text(period: Period) -> str:
    """The days a period covers ("01 Apr 2024 – 31 Mar 2025"), as the cover states them."""
    return day_range(period.start, period.end)


def hours_text(minutes: int) -> str:
    """Minutes as hours to two decimals, as everywhere in the app ("1.50")."""
    return hours(minutes)


def figure(value: float | None, unit: str) -> str:
    """A required/actual figure of a finding, in the words the app and the command line use
    ("1 h 30 min", "20 minutes", "5", "2 days")."""
    if value is None:
        return DASH
    return requirement_text.amount(value, "hours" if unit == "h" else unit)


def shortfall_count(findings: Sequence[Finding]) -> str:
    """ "2 periods not yet met, 1 in progress" for a rule's findings that fall short."""
    running = sum(1 for f in findings if f.in_progress)
    ended = len(findings) - running
    parts = [f"{requirement_text.counted(ended, 'periods')} not yet met"] if ended else []
    if running:
        parts.append(f"{requirement_text.counted(running, 'periods')} in progress")
    return ", ".join(parts) or "nothing short"


def join(parts: Sequence[str], separator: str = ", ") -> str:
    """The non-empty ``parts`` joined, so a field not recorded leaves no stray separator."""
    return separator.join(p for p in parts if p)


def roles_in(profile: Profile, period: Period) -> list[RoleSpell]:
    """The roles held at some point in ``period`` (all roles when none overlaps)."""
    held = [
        role
        for role in profile.roles
        if (period.end is None or role.start <= period.end)
        and (role.end is None or period.start is None or role.end >= period.start)
    ]
    return held or list(profile.roles)


def registration_text(registration: Registration) -> str:
    """A registration as "HCPC PYL01234 (renewal 31 May 2026)", leaving out what is not known."""
    parts = [registration.body]
    if registration.number:
        parts.append(registration.number)
    text = " ".join(parts)
    if registration.renewal_date:
        text += f" (renewal {day(registration.renewal_date)})"
    return text


def registration_for(profile: Profile, body: str) -> Registration | None:
    """The profile's registration with ``body`` (matched case-insensitively), if any."""
    wanted = body.strip().lower()
    for registration in profile.registrations:
        if registration.body.strip().lower() == wanted:
            return registration
    for registration in profile.registrations:
        if wanted in registration.body.strip().lower():
            return registration
    return None
