"""What a requirement check says: per rule and per period, with the reasons behind it.

The wording is deliberate: a rule's criteria are "met for the recorded period" or "not yet met";
the logbook never declares anyone "compliant".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from logbook.domain.choices import Choice
from logbook.domain.periods import Period


class Status(Choice):
    MET = "met", "Criteria met for the recorded period"
    NOT_YET_MET = "not_yet_met", "Not yet met"
    NOT_APPLICABLE = "not_applicable", "Nothing to check in this period"


@dataclass(frozen=True)
class Finding:
    """One checked period (or the whole window) of one rule.

    Attributes:
        period: The month, fortnight, week or window the finding is about.
        required: The figure the rule asks for (hours, days, a count …) in ``unit``.
        actual: What the logbook holds, credited as the rule says.
        explanation: How the figure was reached (e.g. how group time was credited).
        to_close_gap: What would meet the rule, when it is not yet met.
        entries: The uids of the records that counted.
    """

    rule_id: str
    status: Status
    period: Period
    required: float | None
    actual: float | None
    unit: str
    explanation: str
    to_close_gap: str = ""
    entries: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleResult:
    """A rule of a pack with its source and every finding it produced."""

    rule_id: str
    title: str
    description: str
    source_title: str
    source_url: str
    checked_on: date
    status: Status
    findings: tuple[Finding, ...]
    projection: str = ""


@dataclass(frozen=True)
class PackResult:
    pack_id: str
    title: str
    status: Status
    rules: tuple[RuleResult, ...]
