"""``gather_portfolio``: the data a portfolio prints, read from one state of the logbook.

Records of every kind, their totals, requirement results, sign-off evidence and the profile are
read in one read transaction: the services' own readings join it, so a change saved while the
portfolio is read is either wholly in the document or wholly left out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from logbook import __version__
from logbook.domain.allowances import Door
from logbook.domain.catalogue import KINDS
from logbook.domain.errors import LogbookError, Problem, ValidationError
from logbook.domain.identity import PublicIdentity
from logbook.domain.periods import Period
from logbook.domain.queries import RecordQuery, Total
from logbook.domain.records import (
    Organisation,
    Person,
    Profile,
    Record,
    RecordKind,
    ReflectiveAccount,
    entry_date,
)
from logbook.domain.requirements.model import FULL_CREDIT, EveryPeriodParams, GroupCredit
from logbook.domain.signing import SIGNABLE_KINDS, Assessment, EventType, SignoffEvent
from logbook.domain.signoff import SignoffState
from logbook.export.data import (
    Cancelled,
    EntrySignoff,
    ExportCancelled,
    PortfolioData,
    Progress,
    Revocation,
)
from logbook.export.layouts import LAYOUTS, layout_titles
from logbook.export.renderer import LayoutRenderer
from logbook.services.logbook import Logbook
from logbook.services.privacy import Screening
from logbook.services.signoff.evidence import CheckedSignoffs

K = RecordKind

# Kinds that are the state of a plan rather than entries of the period: printed whole.
UNDATED_KINDS = frozenset({K.PATHWAY, K.MILESTONE})
# Kinds that belong to another entry: read whatever their date, and kept only for the entries
# the document prints.
OWNED_KINDS = frozenset({K.ATTACHMENT})


# Asked for the passphrase of the signing identity named, when it is about to sign.
PassphraseSource = Callable[[PublicIdentity], str]


class ExportError(LogbookError):
    """The portfolio could not be made or written; the message says why and what to do."""


@dataclass(frozen=True)
class ExportOptions:
    """What to export.

    Attributes:
        period: The dates covered; an open end is closed at the first or last entry.
        layout: A key of :data:`LAYOUTS` ("portfolio", "supervision", "nmc", "hcpc",
            "mindfulness").
        sections: Section keys of the layout to include; None includes them all.
        include_private: Include private reflections (the cover then carries a warning).
        pdfa: Write PDF/A-3b for archiving, and check the result.
        compact: Leave out the cover and contents page (a short document, e.g. one page).
        sign_with: The fingerprint of the practitioner's signing identity (kept on this
            computer) that signs the file; None leaves it unsigned.
        passphrase: Gives the passphrase of that identity when it is about to sign.
        entry_by_entry: Add the appendices the layout prints only on request: the long logs
            (practice, personal practice) entry by entry, beside their monthly summaries.
        statements: The practitioner's own words for the sections that ask for them (by
            section key); the privacy guard reads them before anything is written.
    """

    period: Period
    layout: str = "portfolio"
    sections: frozenset[str] | None = None
    include_private: bool = False
    pdfa: bool = False
    compact: bool = False
    sign_with: str | None = None
    passphrase: PassphraseSource | None = None
    entry_by_entry: bool = False
    statements: Mapping[str, str] = dataclasses.field(default_factory=dict)


def layout_choices() -> list[tuple[str, str, str]]:
    """(key, title, description) of every layout, for menus and ``--help``."""
    return layout_titles()


def renderer_for(layout: str) -> type[LayoutRenderer]:
    """The renderer class of a layout key.

    Raises:
        ValidationError: the layout is unknown (the message lists the known ones).
    """
    try:
        return LAYOUTS[layout]
    except KeyError:
        known = ", ".join(LAYOUTS)
        raise ValidationError(
            [Problem("layout", f"'{layout}' is not a layout: choose one of {known}")],
            "Cannot export",
        ) from None


# --- gathering -----------------------------------------------------------------------------------


def stop_if_cancelled(cancelled: Cancelled | None) -> None:
    """Raises ExportCancelled when the person asked to stop."""
    if cancelled and cancelled():
        raise ExportCancelled()


def _signed_summaries(logbook: Logbook, kinds: Iterable[RecordKind], period: Period) -> list[str]:
    """Period summaries ("37.50 h of practice in Q1") of the document's kinds and period."""
    wanted = set(kinds)
    return [
        s.uid
        for s in logbook.signoff.summaries()
        if s.record_kind in wanted and s.period.overlaps(period)
    ]


def _without_private(record: Record) -> Record | None:
    """The record as it may leave the app: private reflections blanked, private accounts gone."""
    if isinstance(record, ReflectiveAccount):
        return None if record.private else record
    if getattr(record, "reflection_private", False) and getattr(record, "reflection", ""):
        return dataclasses.replace(record, reflection="")  # type: ignore[call-arg]
    return record


@dataclass(frozen=True)
class SupervisionRules:
    """What the followed packs say of supervision that a log draws: the monthly minimum (hours)
    and how group time is credited, with the title of the pack whose formula it is."""

    minimum: float | None = None
    group_credit: GroupCredit = FULL_CREDIT
    source: str = ""


def supervision_rules(logbook: Logbook) -> SupervisionRules:
    """The monthly supervision minimum and group credit of the followed packs.

    Read from the packs' rules, not from checking them, so a log that only draws the minimum
    line does not pay for a full requirement check. The first formula a followed pack's rule
    applies decides; a pack whose rules count group time in full says so too; with no pack
    counting supervision, it counts in full.
    """
    service = logbook.requirements
    minimums: list[float] = []
    credits: list[tuple[GroupCredit, str]] = []
    for pack_id in service.followed():
        pack = service.pack(pack_id)
        for rule in pack.rules:
            params = rule.params
            if isinstance(params, EveryPeriodParams) and params.count.records is K.SUPERVISION:
                if params.every == "month" and params.count.direction in (None, "received"):
                    minimums.append(params.minimum)
                credits.append((params.count.group_credit, pack.title))
    credits.sort(key=lambda found: found[0].key == FULL_CREDIT.key)  # a formula first
    credit, source = credits[0] if credits else (FULL_CREDIT, "")
    return SupervisionRules(max(minimums) if minimums else None, credit, source)


def gather_portfolio(
    logbook: Logbook,
    options: ExportOptions,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> PortfolioData:
    """The data a layout prints for ``options``, read from one state of the logbook.

    Everything (records, totals, requirement results, sign-off evidence, profile) is read in
    one read transaction, so a change saved meanwhile is either wholly in the document or
    wholly left out.

    Raises:
        ExportError: no profile, an empty period, or a layout needing data the logbook lacks.
        ValidationError: an unknown layout or section.
        ExportCancelled: ``cancelled`` returned True.
    """
    renderer = renderer_for(options.layout)
    _check_sections(renderer, options.sections)
    check_statements(renderer, options.statements)
    when = now or datetime.now().replace(microsecond=0)
    # The services' own readings join this one: a single snapshot of the logbook.
    with logbook.db.reading():
        return _read_portfolio(logbook, renderer, options, when, progress, cancelled)


def check_statements(renderer: type[LayoutRenderer], statements: Mapping[str, str]) -> None:
    """Refuse statements for sections that ask for none, over the body's word limit, or that
    may identify a client.

    Raises:
        ValidationError: naming the section and what is wrong.
        IdentifiersFoundError: the privacy guard found a client identifier.
    """
    asking = {s.key: s for s in renderer.sections() if s.statement}
    problems = []
    for key, text in statements.items():
        section = asking.get(key)
        if section is None:
            known = ", ".join(asking) or "none"
            problems.append(
                Problem(
                    key,
                    f"the {renderer.title} asks for no statement '{key}' (it asks for: {known})",
                )
            )
        elif section.words and len(text.split()) > section.words:
            problems.append(
                Problem(
                    key,
                    f"{section.statement} has {len(text.split()):,} words; the most "
                    f"allowed is {section.words:,}",
                )
            )
    if problems:
        raise ValidationError(problems, "Cannot export")
    screening = Screening(Door.FORM)
    screening.check_texts("statements", [(asking[k].statement, v) for k, v in statements.items()])
    screening.refuse_if_found("The portfolio was not made")


def _check_sections(renderer: type[LayoutRenderer], sections: frozenset[str] | None) -> None:
    if sections is None:
        return
    known = [s.key for s in renderer.sections()]
    unknown = sorted(sections - set(known))
    if unknown:
        raise ValidationError(
            [
                Problem(
                    "sections",
                    f"'{name}' is not a section of the {renderer.title.lower()}; "
                    f"choose from {', '.join(known)}",
                )
                for name in unknown
            ],
            "Cannot export",
        )
    if not sections:
        raise ExportError("Choose at least one section to export.")


def _read_portfolio(
    logbook: Logbook,
    renderer: type[LayoutRenderer],
    options: ExportOptions,
    when: datetime,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> PortfolioData:
    profile = _profile_for(logbook, renderer)
    sections = printed_sections(renderer, options)
    kinds = renderer.kinds_needed(sections)
    asked = up_to(options.period, when.date())
    totals = _period_totals(logbook, renderer, kinds, asked)
    stop_if_cancelled(cancelled)
    records = _read_records(logbook, kinds, asked, options.include_private, progress, cancelled)
    if not options.include_private and K.REFLECTIVE_ACCOUNT in totals:
        # Private accounts are left out, so the printed count is of what is printed.
        shown = len(records[K.REFLECTIVE_ACCOUNT])
        if shown != totals[K.REFLECTIVE_ACCOUNT].count:
            totals[K.REFLECTIVE_ACCOUNT] = Total(None, shown, 0)
    period = _bounded(asked, [records[kind] for kind in totals], when)
    service = logbook.records
    uids = [r.uid for kind in sorted(records) for r in records[kind]]
    uses = renderer.uses(sections)
    rules = supervision_rules(logbook)
    checked = _checked_signoffs(logbook, uids, kinds, period) if "signoffs" in uses else None
    return PortfolioData(
        profile=profile,
        period=period,
        records=records,
        totals=totals,
        generated_at=when,
        app_version=__version__,
        document_id="",
        people={p.uid: p for p in service.all(K.PERSON) if isinstance(p, Person)},
        organisations={
            o.uid: o for o in service.all(K.ORGANISATION) if isinstance(o, Organisation)
        },
        courses={c.uid: c for c in service.all(K.COURSE)} if K.SUPERVISION in kinds else {},
        pathways={p.uid: p for p in records.get(K.PATHWAY, [])},
        requirements=logbook.requirements.evaluate(period) if "requirements" in uses else [],
        signoffs=checked.evidence if checked else [],
        entry_signoffs=_entry_signoffs(checked, records) if checked else {},
        signoff_history=logbook.signoff.history_head() if "signoffs" in uses else None,
        sections=sections,
        include_private=options.include_private,
        compact=options.compact,
        supervision_minimum_hours=rules.minimum,
        group_credit=rules.group_credit,
        group_credit_source=rules.source,
        statements=dict(options.statements),
    )


def printed_sections(renderer: type[LayoutRenderer], options: ExportOptions) -> frozenset[str]:
    """The sections chosen (every one when none were), with the appendices printed only on
    request when ``entry_by_entry`` asks for them."""
    appendices = {s.key for s in renderer.sections() if s.on_request}
    chosen = (
        {s.key for s in renderer.sections() if not s.on_request}
        if options.sections is None
        else set(options.sections)
    )
    return frozenset(chosen | appendices if options.entry_by_entry else chosen)


def _profile_for(logbook: Logbook, renderer: type[LayoutRenderer]) -> Profile:
    profile = logbook.records.profile()
    if profile is None:
        raise ExportError(
            "The logbook has no profile yet: add your name and registrations before exporting."
        )
    missing = renderer.missing_data(profile)
    if missing:
        raise ExportError(" ".join(missing))
    return profile


def _period_totals(
    logbook: Logbook,
    renderer: type[LayoutRenderer],
    kinds: frozenset[RecordKind],
    period: Period,
) -> dict[RecordKind, Total]:
    """Count and minutes of each dated kind in the period; refuses a period with nothing."""
    dated = [k for k in kinds if KINDS[k].date_field and k not in UNDATED_KINDS]
    totals = {k: logbook.records.summarise(RecordQuery(k, period=period)) for k in dated}
    if not any(total.count for total in totals.values()):
        raise ExportError(
            f"Nothing to export: the logbook has no entries for the {renderer.title.lower()} "
            f"in {period.describe()}. Choose a period that has entries."
        )
    return totals


def up_to(period: Period, today: date) -> Period:
    """The period asked for, ending today at the latest: a portfolio states what happened, so
    an entry dated after the day it is made (a course planned, a session booked) is not in it.
    """
    end = today if period.end is None else min(period.end, today)
    start = None if period.start is None else min(period.start, end)
    return Period(start, end)


def _read_records(
    logbook: Logbook,
    kinds: frozenset[RecordKind],
    period: Period,
    include_private: bool,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> dict[RecordKind, list[Record]]:
    """The records of each kind in ``period``, oldest first (private ones only when
    ``include_private``)."""
    service = logbook.records
    records: dict[RecordKind, list[Record]] = {}
    steps = max(1, len(kinds))
    for step, kind in enumerate(sorted(kinds), 1):
        if kind in UNDATED_KINDS or kind in OWNED_KINDS:
            found = service.all(kind)
        else:
            found = service.query(
                RecordQuery(kind, period=period, limit=None, descending=False, sort="")
            )
        if not include_private:
            kept = (_without_private(r) for r in found)
            found = [r for r in kept if r is not None]
        records[kind] = found
        if progress:
            progress(step / steps, f"Reading {kind.label.lower()}")
        stop_if_cancelled(cancelled)
    printed = {r.uid for kind, found in records.items() if kind not in OWNED_KINDS for r in found}
    for kind in OWNED_KINDS & records.keys():
        records[kind] = [r for r in records[kind] if getattr(r, "owner_uid", None) in printed]
    return records


def _bounded(period: Period, dated: Iterable[list[Record]], when: datetime) -> Period:
    """The period with an open end closed at the first or last entry (or today)."""
    days = [
        day
        for found in dated
        if found
        for day in (entry_date(found[0]), entry_date(found[-1]))
        if day is not None
    ]
    start = period.start or min(days)
    end = period.end or max([*days, when.date()])
    return Period(start, end)


def _checked_signoffs(
    logbook: Logbook, uids: list[str], kinds: Iterable[RecordKind], period: Period
) -> CheckedSignoffs:
    """The sign-off of the document's records and of the period summaries it covers."""
    return logbook.signoff.checked_signoffs([*uids, *_signed_summaries(logbook, kinds, period)])


def _entry_signoffs(
    checked: CheckedSignoffs, records: Mapping[RecordKind, Sequence[Record]]
) -> dict[str, EntrySignoff]:
    """The checked sign-off state of each signable record, with the supervisor's comment on a
    returned one and the signatures of it that were withdrawn."""
    unsigned = Assessment(SignoffState.UNSIGNED)
    return {
        r.uid: _entry_signoff(
            checked.assessments.get(r.uid, unsigned), checked.events.get(r.uid, [])
        )
        for kind, found in records.items()
        if kind in SIGNABLE_KINDS
        for r in found
    }


def _entry_signoff(assessment: Assessment, events: Sequence[SignoffEvent]) -> EntrySignoff:
    """One record's sign-off from its assessment and its events (oldest first)."""
    by_uid = {e.uid: e for e in events}
    revocations = tuple(
        Revocation(signed.actor_name, signed.occurred_at, e.actor_name, e.occurred_at, e.comment)
        for e in events
        if e.event_type is EventType.REVOKED and (signed := by_uid.get(e.refers_to or ""))
    )
    returned = [e for e in events if e.event_type is EventType.RETURNED]
    if assessment.state is not SignoffState.RETURNED or not returned:
        return EntrySignoff(assessment.state, revocations=revocations)
    last = returned[-1]
    return EntrySignoff(
        assessment.state, assessment.comment, last.actor_name, last.occurred_at, revocations
    )
