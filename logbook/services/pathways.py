"""Where a practitioner stands on a training pathway or conversion plan: its stages in order,
the one they are at, what comes next and what evidence is still missing."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from logbook.domain.choices import MilestoneStatus, PathwayKind
from logbook.domain.dates import short_date
from logbook.domain.records import Milestone, Pathway, RecordKind
from logbook.storage import repository as repo
from logbook.storage.database import Database


class StageState(enum.Enum):
    """Where a stage stands: reached (complete or waived), the one the practitioner is at,
    past its due date without being reached, or still to come. The value is its label."""

    REACHED = "reached"
    HERE = "you are here"
    OVERDUE = "overdue"
    TO_COME = "to come"


@dataclass(frozen=True)
class Stage:
    """One milestone of a pathway, with its state and what evidence backs it."""

    milestone: Milestone
    state: StageState
    evidence: str  # what backs it ("2 files", "notes"), or "" when nothing does

    @property
    def missing_evidence(self) -> bool:
        """Reached, with nothing recorded to show for it."""
        return self.state is StageState.REACHED and not self.evidence


@dataclass(frozen=True)
class Progress:
    """A pathway's stages in order, each with its state: what :meth:`PathwayService.progress`
    gives."""

    pathway: Pathway
    stages: tuple[Stage, ...]

    @property
    def reached(self) -> int:
        """How many stages are complete or waived."""
        return sum(1 for s in self.stages if s.state is StageState.REACHED)

    @property
    def current(self) -> Stage | None:
        """The first stage not yet reached: where the practitioner is."""
        return next((s for s in self.stages if s.state is not StageState.REACHED), None)

    def summary(self) -> str:
        """ "3 of 6 reached · next: Breakaway training, due 3 Mar 2027"."""
        text = f"{self.reached} of {len(self.stages)} reached"
        current = self.current
        if current is None:
            return text + (" · complete" if self.stages else " · no stages yet")
        due = current.milestone.due_date
        when = f", due {short_date(due)}" if due else ""
        late = " (overdue)" if current.state is StageState.OVERDUE else ""
        return f"{text} · next: {current.milestone.title}{when}{late}"


_REACHED = (MilestoneStatus.COMPLETE, MilestoneStatus.WAIVED)
PLAN_WORDS = {PathwayKind.CONVERSION: "conversion plan", PathwayKind.TRAINING: "pathway"}


class PathwayService:
    """Progress along the pathways and conversion plans of one open logbook."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def progress(self, pathway_uid: str, today: date | None = None) -> Progress:
        """The stages of a pathway in their order, each with its state and evidence.

        Raises:
            NotFoundError: no such pathway.
        """
        today = today or date.today()
        with self.db.reading() as session:
            pathway = repo.get(session, RecordKind.PATHWAY, pathway_uid)
            assert isinstance(pathway, Pathway)
            milestones = repo.milestones_of(session, pathway_uid)
            files = {m.uid: len(repo.attachments_of(session, m.uid)) for m in milestones}
        ordered = sorted(
            (m for m in milestones if isinstance(m, Milestone)),
            key=lambda m: (m.sequence, m.due_date or date.max, m.title),
        )
        stages, here_given = [], False
        for milestone in ordered:
            state = _state(milestone, today, here_given)
            here_given = here_given or state is not StageState.REACHED
            stages.append(Stage(milestone, state, _evidence(milestone, files[milestone.uid])))
        return Progress(pathway, tuple(stages))


def _state(milestone: Milestone, today: date, past_here: bool) -> StageState:
    if milestone.status in _REACHED:
        return StageState.REACHED
    if milestone.due_date is not None and milestone.due_date < today:
        return StageState.OVERDUE
    return StageState.TO_COME if past_here else StageState.HERE


def _evidence(milestone: Milestone, files: int) -> str:
    parts = [f"{files} file{'s' if files != 1 else ''}"] if files else []
    if milestone.evidence.strip():
        parts.append("notes")
    return " and ".join(parts)
