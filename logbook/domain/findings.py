"""What a requirement check says: per rule and per period, with the reasons behind it.

The wording is deliberate: a rule's criteria are "met for the recorded period" or "not yet met";
the logbook never declares anyone "compliant".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from logbook.domain.choices import Choice
from logbook.domain.periods import Period


class Status(Choice):
    """The verdict of a finding, a rule or a pack: its label is the wording people read,
    which never says "compliant"."""

    MET = "met", "Criteria met for the recorded period"
    NOT_YET_MET = "not_yet_met", "Not yet met"
    NOT_APPLICABLE = "not_applicable", "Nothing to check in this period"


class Granularity(StrEnum):
    """How a rule's findings are cut: one per week, fortnight, month or year; one for the whole
    window; one per gap found, per item (a course) or per milestone."""

    WEEK = "week"
    FORTNIGHT = "fortnight"
    MONTH = "month"
    YEAR = "year"
    WINDOW = "window"
    GAP = "gap"
    ITEM = "item"
    MILESTONE = "milestone"

    @property
    def periodic(self) -> bool:
        """Checked period by period on a calendar grid, each period on its own."""
        return self in (
            Granularity.WEEK,
            Granularity.FORTNIGHT,
            Granularity.MONTH,
            Granularity.YEAR,
        )

    @property
    def plural(self) -> str:
        """The unit in a count ("3 of 12 months short")."""
        return f"{self.value}s"


@dataclass(frozen=True)
class Credit:
    """How one record counted towards a finding, where that differs from its plain length.

    Attributes:
        counted: What the record counted for, in the finding's unit (e.g. 0.3 hours).
        note: How that was worked out ("group of 5: 1:30 ÷ 5 → 0:18").
    """

    uid: str
    day: date
    counted: float
    note: str


@dataclass(frozen=True)
class Advice:
    """Something the practitioner can do that would change a finding's verdict.

    Advice is offered only where doing it would change the verdict, and is kept as data so
    that can be checked by doing it.

    Attributes:
        action: "record" (record ``amount`` more, dated within ``period``), "leave" (record
            ``period`` as leave in the pack settings) or "setting" (fill in the pack setting
            named ``setting``).
        text: The advice as the practitioner reads it.
    """

    action: str
    text: str
    amount: float | None = None
    period: Period | None = None
    setting: str = ""


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
        label: The period or item in words ("March 2025", "week of 3 Mar 2025", a milestone).
        in_progress: The period has not ended yet, so a shortfall can still be made up.
        credits: How group time (or a 50-minute hour) was credited, entry by entry.
        advice: What would change the verdict, as data (its words are in ``to_close_gap``).
        not_counted: Says what the rule left out of this finding and why ("Not counted: group
            sessions …"). Called when the words are read (``finding_words``), not during the
            check: a long logbook has thousands of met periods whose account nobody opens.
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
    label: str = ""
    in_progress: bool = False
    credits: tuple[Credit, ...] = ()
    advice: tuple[Advice, ...] = ()
    not_counted: Callable[[], str] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class RuleResult:
    """A rule of a pack with its source and every finding it produced.

    Attributes:
        kind: The rule kind ("every_period", "total", "milestones" …).
        granularity: How the findings are cut (by period, one window, gaps, items or
            milestones).
        unit: The unit of ``required``/``actual`` in the findings.
        window: The period the rule looked at.
        optional: A later stage (e.g. becoming a trainer): shown, but it does not decide the
            pack's status.
        basis: How the rule's periods were cut (what anchors them) and which window it looked
            at, in words, e.g. where the body's rule forces a wider window than the one asked.
    """

    rule_id: str
    title: str
    description: str
    source_title: str
    source_url: str
    checked_on: date
    status: Status
    findings: tuple[Finding, ...]
    projection: str = ""
    kind: str = ""
    granularity: Granularity = Granularity.WINDOW
    unit: str = ""
    window: Period | None = None
    optional: bool = False
    basis: str = ""


@dataclass(frozen=True)
class PackResult:
    """Every rule of a pack, checked.

    Attributes:
        notes: How the check was set up (the cycle used, settings assumed).
        not_checked: Parts of the scheme the logbook cannot check, so nobody mistakes the pack
            for the whole scheme.
    """

    pack_id: str
    title: str
    status: Status
    rules: tuple[RuleResult, ...]
    body: str = ""
    checked_on: date | None = None
    period: Period | None = None
    notes: tuple[str, ...] = ()
    not_checked: tuple[str, ...] = ()
