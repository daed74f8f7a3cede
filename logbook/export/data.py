"""What a portfolio is made from: plain data gathered by the services, rendered by a layout.

Nothing here reads the database. The services build a :class:`PortfolioData` for one period
and layout; a renderer turns it into a PDF. Private reflections are removed by the services
before the data reaches a renderer unless the practitioner asked for them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from logbook.domain.errors import LogbookError
from logbook.domain.findings import PackResult
from logbook.domain.periods import Period
from logbook.domain.queries import Total
from logbook.domain.records import (
    Organisation,
    Person,
    Profile,
    Record,
    RecordKind,
)
from logbook.domain.requirements.model import FULL_CREDIT, GroupCredit
from logbook.domain.signoff import SignoffEvidence, SignoffState

R = TypeVar("R", bound=Record)

# Called with (fraction done 0..1, what is happening); returns nothing.
Progress = Callable[[float, str], None]
# Returns True when the person asked to stop.
Cancelled = Callable[[], bool]


BACP_GROUP_CREDIT = GroupCredit(
    "bacp",
    description=(
        "Groups of four supervisees or fewer: half the time counts. Five or more: the time "
        "divided by the number of supervisees. The facilitator is not counted; in peer groups "
        "everyone present counts."
    ),
    small_group_max=4,
    small_group_share=0.5,
    divide_by_size=True,
)


class ExportCancelled(LogbookError):
    """The export was stopped on request; nothing was written under the final name."""

    def __init__(self) -> None:
        super().__init__("Export cancelled: no file was written")


@dataclass(frozen=True)
class SectionInfo:
    """A part of a layout a person can include or leave out.

    Attributes:
        key: Stable name used on the command line (``--sections``) and in settings.
        title: Heading printed in the document and shown in the export dialog.
        kinds: Record kinds the section prints (the services gather only these).
        uses: Other evidence it prints: "requirements" (requirement results) and
            "signoffs" (sign-off evidence); the services gather these only when needed.
        on_request: An appendix printed only when asked for (entry by entry logs), never by
            default.
        statement: What the practitioner writes in their own words for this section ("" when
            it prints only what is recorded), and ``words`` the most the body allows.
        omit_when_empty: A log left out (and named as empty) when the period holds none of
            its kinds.
    """

    key: str
    title: str
    kinds: frozenset[RecordKind] = frozenset()
    uses: frozenset[str] = frozenset()
    on_request: bool = False
    statement: str = ""
    words: int = 0
    omit_when_empty: bool = False


@dataclass(frozen=True)
class Revocation:
    """A signature of an entry that was withdrawn: who signed and when, who withdrew it and
    why."""

    signer_name: str
    signed_at: datetime
    revoked_by: str
    revoked_at: datetime
    reason: str


@dataclass(frozen=True)
class EntrySignoff:
    """Where one entry stands with its sign-off, as its row in a log shows it.

    Attributes:
        state: Its checked state, as the app's lists show it.
        comment: The supervisor's comment when they returned it.
        returned_by: Who returned it, and when (``returned_at``), when it was returned.
        revocations: Signatures of it that were withdrawn, oldest first.
    """

    state: SignoffState
    comment: str = ""
    returned_by: str = ""
    returned_at: datetime | None = None
    revocations: tuple[Revocation, ...] = ()


@dataclass(frozen=True)
class DocumentSigner:
    """Who signs the PDF itself: the practitioner, and the fingerprint of their signing key."""

    name: str
    fingerprint: str


@dataclass(frozen=True)
class PortfolioData:
    """Everything a layout prints, for one bounded period.

    Attributes:
        profile: The practitioner.
        period: The bounded period the document covers.
        records: Records of each gathered kind dated within the period, oldest first.
        totals: Count and minutes of each gathered kind in the period, as the services total
            them (the figures the document prints).
        people: Supervisors, assessors and co-teachers by uid (all of them, not just the period).
        organisations: Organisations by uid.
        courses: Every teaching course by uid, so supervision can name its course.
        pathways: Every pathway by uid, so milestones can name their pathway.
        requirements: Requirement results for the period (empty when no pack is followed).
        signoffs: Sign-off evidence for the records in the document.
        entry_signoffs: The sign-off state of each signable record in the document, by uid.
        signoff_history: The logbook's sign-off history when the document was made: how many
            events and the newest link's hash (a later deletion shows against it).
        sections: Section keys to print; None prints every section of the layout.
        include_private: Whether private reflections were asked for (the cover then warns).
        compact: A short document: a title block instead of the cover and contents, and the
            sections one after another (a one-page summary when the period is short).
        supervision_minimum_hours: Monthly supervision minimum of the followed packs, if any.
        group_credit: How group supervision is credited: the formula of the followed pack
            named in ``group_credit_source``, or in full when no pack followed says.
        group_credit_source: The title of the pack whose formula ``group_credit`` is ("" when
            none says).
        statements: What the practitioner wrote for each section that asks for their own
            words, by section key.
        generated_at: When the document was made (local time).
        app_version: Version of the app that made it.
        document_id: The document fingerprint printed on every page: the SHA-256 of the
            evidence embedded in the file ("" before it is worked out).
        signed_by: Who signs the file itself (None: it is not signed).
    """

    profile: Profile
    period: Period
    records: Mapping[RecordKind, Sequence[Record]]
    totals: Mapping[RecordKind, Total]
    generated_at: datetime
    app_version: str
    document_id: str
    people: Mapping[str, Person] = field(default_factory=dict)
    organisations: Mapping[str, Organisation] = field(default_factory=dict)
    courses: Mapping[str, Record] = field(default_factory=dict)
    pathways: Mapping[str, Record] = field(default_factory=dict)
    requirements: Sequence[PackResult] = ()
    signoffs: Sequence[SignoffEvidence] = ()
    entry_signoffs: Mapping[str, EntrySignoff] = field(default_factory=dict)
    signoff_history: tuple[int, str] | None = None
    sections: frozenset[str] | None = None
    include_private: bool = False
    compact: bool = False
    supervision_minimum_hours: float | None = None
    group_credit: GroupCredit = field(default_factory=lambda: FULL_CREDIT)
    group_credit_source: str = ""
    statements: Mapping[str, str] = field(default_factory=dict)
    signed_by: DocumentSigner | None = None

    def __post_init__(self) -> None:
        if self.period.start is None or self.period.end is None:
            raise ValueError("a portfolio covers a bounded period")

    @property
    def start(self) -> date:
        """The first day the document covers."""
        assert self.period.start is not None
        return self.period.start

    @property
    def end(self) -> date:
        """The last day the document covers."""
        assert self.period.end is not None
        return self.period.end

    def of(self, kind: RecordKind) -> Sequence[Record]:
        """The records of ``kind`` in the period (empty if the kind was not gathered)."""
        return self.records.get(kind, ())

    def typed(self, kind: RecordKind, record_type: type[R]) -> list[R]:
        """The records of ``kind`` in the period, typed as the record class that holds them."""
        return [r for r in self.of(kind) if isinstance(r, record_type)]

    def total(self, kind: RecordKind) -> Total:
        """Count and minutes of ``kind`` in the period, as the services totalled them (zero if
        the kind was not gathered)."""
        return self.totals.get(kind, Total(None, 0, 0))

    def person_name(self, uid: str | None) -> str:
        """The name of a supervisor, assessor or co-teacher ("" when none is recorded, and
        "(removed person)" when the person has since been deleted)."""
        if not uid:
            return ""
        person = self.people.get(uid)
        return person.name if person else "(removed person)"

    def organisation_name(self, uid: str | None) -> str:
        """The name of an organisation ("" when none is recorded, and "(removed organisation)"
        when it has since been deleted)."""
        if not uid:
            return ""
        organisation = self.organisations.get(uid)
        return organisation.name if organisation else "(removed organisation)"

    def wants(self, section: str) -> bool:
        """Whether the section with key ``section`` is to be printed."""
        return self.sections is None or section in self.sections
