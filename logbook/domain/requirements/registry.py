"""Every rule kind a pack can name, in one place: what it checks, the parameters it takes, how
they are read from the pack, how they are checked and how its findings are cut.

The loader reads a rule with the entry its ``kind`` names; the engine checks it with the entry
of its parameters' type. A kind missing here can be neither read nor checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from logbook.domain.findings import Granularity
from logbook.domain.requirements.checking import Context, Outcome
from logbook.domain.requirements.evidence import Evidence
from logbook.domain.requirements.gaps import check_gap, check_timing
from logbook.domain.requirements.milestones import check_milestones, check_per_item
from logbook.domain.requirements.model import (
    AverageParams,
    CoverageParams,
    EveryPeriodParams,
    GapParams,
    MilestonesParams,
    PerItemParams,
    RatioParams,
    RuleParams,
    SpanParams,
    TimingParams,
    TotalParams,
)
from logbook.domain.requirements.periods import check_every_period, check_ratio
from logbook.domain.requirements.readers import (
    PackContext,
    read_average,
    read_coverage,
    read_every_period,
    read_gap,
    read_milestones,
    read_per_item,
    read_ratio,
    read_span,
    read_timing,
    read_total,
)
from logbook.domain.requirements.spans import check_coverage, check_span
from logbook.domain.requirements.tables import Table
from logbook.domain.requirements.totals import check_average, check_total

P = TypeVar("P", bound=RuleParams)


@dataclass(frozen=True)
class RuleKind(Generic[P]):
    """One kind of rule.

    Attributes:
        name: How a pack names it (``kind = "every_period"``).
        description: What it checks, in a line.
        params: The type of its parameters.
        read: Reads the parameters from the rule's table of a pack (None after a problem).
        check: Checks the parameters against the logbook's records.
        granularity: How its findings are cut, or how that follows from the parameters.
        example: The fields of a rule of this kind as a pack writes them (in a pack with a
            cycle), which the tests load and check.
    """

    name: str
    description: str
    params: type[P]
    read: Callable[[Table, PackContext], P | None]
    check: Callable[[P, Evidence, Context, str], Outcome]
    granularity: Granularity | Callable[[P], Granularity]
    example: str

    def granularity_of(self, params: P) -> Granularity:
        """How the findings of a rule with ``params`` are cut."""
        if isinstance(self.granularity, Granularity):
            return self.granularity
        return self.granularity(params)


def by_every(params: EveryPeriodParams | RatioParams) -> Granularity:
    """One finding per period of the rule's ``every``; without one, one for the whole window."""
    return Granularity(params.every) if params.every else Granularity.WINDOW


# Not annotated, so the type checker holds each entry's reader, check and parameters to one type.
_KINDS = (
    RuleKind(
        name="total",
        description="a total (hours, a count or days) in a window, optionally with a minimum share",
        params=TotalParams,
        read=read_total,
        check=check_total,
        granularity=Granularity.WINDOW,
        example="""
        minimum = 450
        window = "cycle"
        count = { records = "practice", label = "client work" }
        share = { minimum = 100, label = "one-to-one therapy", types = ["one_to_one"] }
        """,
    ),
    RuleKind(
        name="every_period",
        description="a minimum in every week, fortnight, month or year, with no averaging",
        params=EveryPeriodParams,
        read=read_every_period,
        check=check_every_period,
        granularity=by_every,
        example="""
        every = "month"
        minimum = 1.5
        count = { records = "supervision" }
        only_when = { records = "practice" }
        """,
    ),
    RuleKind(
        name="average",
        description="an average per week, fortnight or month over the rule's window",
        params=AverageParams,
        read=read_average,
        check=check_average,
        granularity=Granularity.WINDOW,
        example="""
        every = "fortnight"
        minimum = 1
        window = "cycle"
        count = { records = "supervision", types = ["clinical_skills"] }
        """,
    ),
    RuleKind(
        name="ratio",
        description="supervision in proportion to practice (a ratio, or tiers)",
        params=RatioParams,
        read=read_ratio,
        check=check_ratio,
        granularity=by_every,
        example="""
        every = "month"
        tiers = [{ up_to = 12, minimum = 1 }, { minimum = 1.5 }]
        count = { records = "supervision" }
        per = { records = "practice" }
        """,
    ),
    RuleKind(
        name="gap",
        description="no gap longer than a limit between activities",
        params=GapParams,
        read=read_gap,
        check=check_gap,
        granularity=Granularity.GAP,
        example="""
        max_gap_days = 14
        count = { records = "supervision", measure = "count" }
        within = { records = "practice", measure = "count" }
        """,
    ),
    RuleKind(
        name="timing",
        description="something done within the final months of a cycle",
        params=TimingParams,
        read=read_timing,
        check=check_timing,
        granularity=Granularity.WINDOW,
        example="""
        final_months = 12
        count = { records = "attestation", measure = "count", types = ["confirmation"] }
        """,
    ),
    RuleKind(
        name="span",
        description="activity spread over at least a number of months",
        params=SpanParams,
        read=read_span,
        check=check_span,
        granularity=Granularity.WINDOW,
        example="""
        minimum_months = 36
        count = { records = "practice" }
        """,
    ),
    RuleKind(
        name="coverage",
        description="every work setting covered by supervision",
        params=CoverageParams,
        read=read_coverage,
        check=check_coverage,
        granularity=Granularity.WINDOW,
        example="""
        field = "setting"
        count = { records = "practice", measure = "count" }
        by = { records = "supervision", measure = "count" }
        """,
    ),
    RuleKind(
        name="per_item",
        description="a minimum for each course (or other item), e.g. supervision per course",
        params=PerItemParams,
        read=read_per_item,
        check=check_per_item,
        granularity=Granularity.ITEM,
        example="""
        minimum = 3
        link_field = "course_uid"
        items = { records = "course", measure = "count", roles = ["trainee"] }
        count = { records = "supervision" }
        """,
    ),
    RuleKind(
        name="milestones",
        description="milestones of a pathway completed, in order and on time",
        params=MilestonesParams,
        read=read_milestones,
        check=check_milestones,
        granularity=Granularity.MILESTONE,
        example="""
        template = "my_training"
        ordered = true
        milestones = [
            { title = "Teaching practice assessed", due_months = 12 },
            { title = "Final portfolio", due_months = 24 },
        ]
        """,
    ),
)

# The rule kinds by the name a pack gives them.
RULE_KINDS: dict[str, RuleKind[Any]] = {kind.name: kind for kind in _KINDS}
_BY_PARAMS: dict[type[Any], RuleKind[Any]] = {kind.params: kind for kind in _KINDS}


def kind_of(params: RuleParams) -> RuleKind[Any]:
    """The rule kind whose parameters ``params`` are."""
    return _BY_PARAMS[type(params)]
