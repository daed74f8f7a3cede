"""Wording of findings: amounts, periods and dates the way a practitioner reads them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from logbook.domain.dates import MONTH_NAMES
from logbook.domain.findings import Finding, Status
from logbook.domain.periods import Period, add_months
from logbook.domain.requirements.model import Selector


def amount(value: float, unit: str) -> str:
    """``1.5, "hours"`` -> ``"1 h 30 min"``; counts read as whole numbers when they are whole.

    Hours are always written in hours and minutes, so a shortfall reads the same as the credit
    notes beside it ("20 minutes", never "0.33 hours").
    """
    if unit == "hours":
        return duration(value * 60)
    number = f"{value:g}" if value == int(value) else f"{value:.1f}"
    if not unit:
        return number
    if value == 1 and unit.endswith("s"):
        return f"{number} {unit[:-1]}"
    return f"{number} {unit}"


def duration(minutes: float) -> str:
    """Minutes in words, rounded to the minute: "10 minutes", "1 h", "1 h 20 min", "450 h"."""
    whole = round(minutes)
    if whole < 60:
        return f"{whole} minute{'' if whole == 1 else 's'}"
    h, m = divmod(whole, 60)
    return f"{h} h {m} min" if m else f"{h} h"


def cap(phrase: str) -> str:
    """Capitalise the first letter only ("fortnight 2 Nov" -> "Fortnight 2 Nov")."""
    return phrase[:1].upper() + phrase[1:]


def quantity(value: float, selector: Selector) -> str:
    """An amount with what it is of: "1 h 30 min of supervision", "4 CPD activities"."""
    if selector.measure == "hours":
        return f"{amount(value, 'hours')} of {selector.noun}"
    return counted(value, selector.noun)


def counted(value: float, noun: str) -> str:
    """A number with its noun in the right number: "1 reflective discussion", "2 days"."""
    return f"{amount(value, '')} {singular(noun) if value == 1 else noun}"


# Nouns whose singular is not the plural without its "s".
_QUALIFIERS = frozenset({"of", "with", "linked", "for", "from", "in", "on", "taught"})
_SINGULAR = {"pieces": "piece", "activities": "activity", "entries": "entry", "kinds": "kind"}


def singular(noun: str) -> str:
    """ "reflective discussions" -> "reflective discussion"; "pieces of feedback" -> "piece of
    feedback"; uncountable nouns ("supervision", "CPD") are left as they are."""
    words = noun.split(" ")
    # The counted word comes before the first qualifier ("pieces of feedback", "accounts
    # linked to the Code"), or last.
    at = next((i - 1 for i, w in enumerate(words) if i and w in _QUALIFIERS), len(words) - 1)
    word = words[at]
    if word in _SINGULAR:
        words[at] = _SINGULAR[word]
    elif word.endswith("ies") and len(word) > 4:
        words[at] = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 2 and word[-2].islower():
        words[at] = word[:-1]
    return " ".join(words)


def target(value: float, unit: str) -> str:
    """A required figure as people quote it: "450 h", "1 h 30 min", "5", "1 day"."""
    if unit == "hours":
        return amount(value, unit)
    number = f"{value:g}" if abs(value - round(value, 2)) < 1e-9 else f"{value:.2f}"
    if not unit:
        return number
    if value == 1 and unit.endswith("s"):
        return f"1 {unit[:-1]}"
    return f"{number} {unit}"


def hm(minutes: float) -> str:
    """Minutes as words for credit notes, e.g. 90 -> ``"1 h 30 min"`` (the same unit as every
    amount in an explanation)."""
    return duration(minutes)


# English month names, whatever the system locale (strftime would follow it, and is slower).
MONTHS = MONTH_NAMES
SHORT_MONTHS = tuple(name[:3] for name in MONTHS)


@lru_cache(maxsize=65536)
def day(value: date) -> str:
    """ "3 Mar 2025"."""
    return f"{value.day} {SHORT_MONTHS[value.month - 1]} {value.year}"


@lru_cache(maxsize=65536)
def short_day(value: date) -> str:
    """ "3 Mar"."""
    return f"{value.day} {SHORT_MONTHS[value.month - 1]}"


def span(period: Period) -> str:
    """A period as people write it: "1 Jan 2025 – 31 Dec 2027", "from 3 Mar 2025"."""
    if period.start and period.end:
        return f"{day(period.start)} – {day(period.end)}"
    if period.start:
        return f"from {day(period.start)}"
    if period.end:
        return f"up to {day(period.end)}"
    return "all dates"


def month(value: date) -> str:
    """ "March 2025"."""
    return f"{MONTHS[value.month - 1]} {value.year}"


@lru_cache(maxsize=16384)
def period_label(period: Period, every: str) -> str:
    """How a checked period is named: "March 2025", "week of 3 Mar 2025", "2025"."""
    assert period.start is not None
    assert period.end is not None
    if every == "month":
        return month(period.start)
    if every == "year":
        if period.start.month == 1 and period.start.day == 1:
            return str(period.start.year)
        return f"{day(period.start)} – {day(period.end)}"
    if every == "week":
        return f"week of {day(period.start)}"
    if every == "fortnight":
        return f"fortnight {short_day(period.start)} – {day(period.end)}"
    return f"{day(period.start)} – {day(period.end)}"


def months_between(start: date, end: date) -> str:
    """A span in words: "3 months 18 days", "2 years 1 month"."""
    months = (end.year - start.year) * 12 + end.month - start.month
    anchor = add_months(start, months)
    if anchor > end:
        months -= 1
        anchor = add_months(start, months)
    days = (end - anchor).days
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if months:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    if days or not parts:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    return " ".join(parts)


# --- one wording of a finding for the CLI, the app and the PDF ---------------------------------


@dataclass(frozen=True)
class FindingWords:
    """A finding in words, the same wherever it is shown.

    Attributes:
        title: The period or item, with "(in progress)" while it is still running.
        state: "met", "not yet met", "in progress" or "nothing to check".
        figures: What was recorded against what is required ("20 minutes of 1 h 30 min").
        explanation: How the figure was reached, what was not counted and why.
        to_close: What would meet it (only advice that would change the verdict).
    """

    title: str
    state: str
    figures: str
    explanation: str
    to_close: str


def finding_words(finding: Finding) -> FindingWords:
    """The words of ``finding`` for every place it is shown."""
    heading = finding.label or span(finding.period)
    running = finding.in_progress and finding.status is Status.NOT_YET_MET
    state = "in progress" if running else _STATES[finding.status]
    figures = ""
    if finding.required is not None and finding.actual is not None:
        figures = (
            f"{amount(finding.actual, finding.unit)} of {amount(finding.required, finding.unit)}"
        )
    return FindingWords(
        title=f"{heading} (in progress)" if running else heading,
        state=state,
        figures=figures,
        explanation=finding.explanation + (finding.not_counted() if finding.not_counted else ""),
        to_close=finding.to_close_gap,
    )


def finding_line(finding: Finding) -> str:
    """ "April 2025: 24 minutes of supervision …": the finding's title and explanation, the
    title left out where the explanation already names it."""
    words = finding_words(finding)
    if finding.label and finding.label in words.explanation:
        return words.explanation
    return f"{words.title}: {words.explanation}"


def shortfall(finding: Finding) -> str:
    """How far a finding is from its figure: "20 minutes", "2 days", or "" with no figures."""
    if finding.required is None or finding.actual is None:
        return ""
    return amount(max(0.0, finding.required - finding.actual), finding.unit)


_STATES = {
    Status.MET: "met",
    Status.NOT_YET_MET: "not yet met",
    Status.NOT_APPLICABLE: "nothing to check",
}
