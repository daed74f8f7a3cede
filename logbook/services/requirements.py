"""Requirement checks as use cases: which packs exist, their settings, and what they find.

Shipped packs come with the app (``resources/packs``); a user's own packs (copies they edited,
or their service's pack) live in the data folder under ``packs/``. Settings per pack (cycle
start, qualification date, working pattern, leave) are stored in the logbook file itself, so
they travel with it.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from logbook.domain.catalogue import KINDS, describe
from logbook.domain.choices import ConversionRoute, MilestoneStatus, PathwayKind
from logbook.domain.durations import hours
from logbook.domain.errors import NotFoundError, Problem, ValidationError
from logbook.domain.findings import Finding, Granularity, PackResult, RuleResult, Status
from logbook.domain.periods import ALL_TIME, Period, add_months
from logbook.domain.queries import RecordQuery
from logbook.domain.records import (
    Milestone,
    Pathway,
    Record,
    RecordKind,
    entry_date,
    minutes_of,
)
from logbook.domain.requirements import (
    Evidence,
    Pack,
    PackError,
    PackProblem,
    PackSettings,
    evaluate_pack,
    load_folder,
    parse_pack,
)
from logbook.domain.requirements.evidence import ACTIVITY_KINDS
from logbook.domain.requirements.loader import MAX_PACK_CHARS, PACK_SUFFIX
from logbook.domain.requirements.model import MilestonesParams, Selector
from logbook.domain.requirements.rules import milestones_reached
from logbook.domain.requirements.text import amount
from logbook.resources import resource_path
from logbook.services.changes import Change
from logbook.services.records import RecordService
from logbook.storage import repository as repo
from logbook.storage.database import Database

SETTINGS_KEY = "requirements.{}"
# No pack file is larger (four bytes at most to a character): a larger one is refused unread.
MAX_PACK_BYTES = 4 * MAX_PACK_CHARS
# Kinds every evaluation reads besides the ones the packs count.
ALWAYS_READ = (RecordKind.PROFILE,)


@dataclass(frozen=True)
class PackInfo:
    """A pack as listed for choosing and managing (no rules)."""

    id: str
    title: str
    body: str
    description: str
    shipped: bool
    path: Path | None
    rules: int


@dataclass(frozen=True)
class PathwayTemplate:
    """A pathway a pack describes: its stages, or for a conversion plan the routes to pick."""

    pack_id: str
    rule_id: str
    title: str
    description: str
    kind: PathwayKind
    stages: tuple[str, ...]
    routes: tuple[tuple[str, str], ...] = ()  # (route, title)


@dataclass(frozen=True)
class Badge:
    """What the dashboard shows for one followed pack.

    Attributes:
        headline: "Criteria met for the recorded period" or "Not yet met: 2 of 6 rules".
        detail: The most pressing shortfall, or the next projection, in one sentence.
    """

    pack_id: str
    title: str
    status: Status
    headline: str
    detail: str
    rules_met: int
    rules_total: int
    progress: str = ""  # "3 of 6 rules met", or for a pathway's milestones "3 of 6 reached"


@dataclass(frozen=True)
class EntryLine:
    """One record behind a finding, as the detail panel lists it.

    Attributes:
        summary: What the record is ("Supervision · clinical · group of 5").
        counted: What it counted for, when that differs from its length ("0:18 credited …").
    """

    uid: str
    kind: RecordKind
    day: date | None
    summary: str
    duration: str
    counted: str


class RequirementService:
    """Requirement packs, their settings and their findings for one open logbook.

    Args:
        db: The open logbook.
        records: Its record service (for the profile and for starting pathways).
        user_packs: The folder of the user's own packs (``<data folder>/packs``); None when the
            logbook was opened without a data folder.
        clock: Today's date (tests pass a fixed day).
    """

    def __init__(
        self,
        db: Database,
        records: RecordService,
        user_packs: Path | None = None,
        clock: Callable[[], date] = date.today,
    ) -> None:
        self.db = db
        self.records = records
        self.user_packs = user_packs
        self.clock = clock
        self._packs: dict[str, Pack] | None = None
        self._problems: list[PackError] = []
        self._evidence: Evidence | None = None
        self._cached: tuple[date, frozenset[tuple[str, int, str]], Evidence] | None = None

    # --- packs -----------------------------------------------------------------------------

    @property
    def shipped_folder(self) -> Path:
        """The folder of the packs that come with the app (read-only)."""
        return resource_path("packs")

    def packs(self) -> list[Pack]:
        """Every usable pack, shipped ones first, then the user's, each sorted by title."""
        return sorted(self._loaded().values(), key=lambda p: (not p.shipped, p.title.casefold()))

    def pack_infos(self) -> list[PackInfo]:
        """Every usable pack as :meth:`packs` orders them, without their rules, for listing."""
        return [
            PackInfo(p.id, p.title, p.body, p.description, p.shipped, p.path, len(p.rules))
            for p in self.packs()
        ]

    def pack(self, pack_id: str) -> Pack:
        """The pack with ``pack_id``.

        Raises:
            NotFoundError: no such pack (it may have been deleted, or its file is broken).
        """
        found = self._loaded().get(pack_id)
        if found is None:
            raise NotFoundError(f"No requirement pack '{pack_id}' is installed")
        return found

    def problems(self) -> list[PackError]:
        """Pack files that could not be used, each with its file, line and field."""
        self._loaded()
        return list(self._problems)

    def reload(self) -> None:
        """Read the pack files again (after they were edited outside the app)."""
        self._packs = None

    def _loaded(self) -> dict[str, Pack]:
        if self._packs is None:
            shipped, problems = load_folder(self.shipped_folder, shipped=True)
            packs = {p.id: p for p in shipped}
            if self.user_packs is not None:
                own, own_problems = load_folder(self.user_packs)
                problems += own_problems
                for pack in own:
                    if pack.id in packs:
                        problems.append(_clash(pack, packs[pack.id]))
                    else:
                        packs[pack.id] = pack
            self._packs, self._problems = packs, problems
        return self._packs

    def copy_pack(self, pack_id: str, new_id: str | None = None, title: str | None = None) -> Pack:
        """Copy a pack into the user's folder under a new id, ready to edit.

        The copy keeps the original's comments and layout; only its id and title change.

        Raises:
            NotFoundError: no such pack.
            ValidationError: no folder for the user's packs, or ``new_id`` is taken.
        """
        original = self.pack(pack_id)
        folder = self._own_folder()
        new_id = new_id or self._free_id(f"{original.id}_copy")
        if new_id in self._loaded():
            raise ValidationError([Problem("id", f"a pack '{new_id}' already exists")])
        title = title or f"{original.title} (my copy)"
        document = _source_text(original)
        document = _replace_top_level(document, "id", new_id)
        document = _replace_top_level(document, "title", title)
        target = folder / f"{new_id}{PACK_SUFFIX}"
        pack = parse_pack(document, target.name, path=target)
        _write_new(target, document)
        self.reload()
        return pack

    def import_pack(self, path: Path, *, replace_existing: bool = False) -> Pack:
        """Check a pack file and add it to the user's packs.

        Raises:
            PackError: the file is not a valid pack (file, line and field of each problem), or
                its id is already used by another pack.
        """
        document = _read_text(path)
        pack = parse_pack(document, path.name, path=path)
        existing = self._loaded().get(pack.id)
        if existing is not None and (existing.shipped or not replace_existing):
            line = _line_of_top_level(document, "id")
            owner = "comes with the app" if existing.shipped else "is already in your packs"
            raise PackError(
                [
                    PackProblem(
                        path.name,
                        line,
                        "id",
                        f"a pack '{pack.id}' {owner}: change the id to import this one",
                    )
                ]
            )
        folder = self._own_folder()
        target = folder / f"{pack.id}{PACK_SUFFIX}"
        if existing is not None and existing.path is not None and existing.path != target:
            existing.path.unlink(missing_ok=True)
        tmp = target.with_suffix(".part")
        tmp.write_text(document, encoding="utf-8")
        tmp.replace(target)
        self.reload()
        return self.pack(pack.id)

    def save_pack_text(self, pack_id: str, document: str) -> Pack:
        """Replace the text of one of the user's packs, if the new text is a valid pack.

        Raises:
            ValidationError: the pack comes with the app (copy it first).
            PackError: the new text is not valid; the file is unchanged.
        """
        pack = self.pack(pack_id)
        if pack.shipped or pack.path is None:
            raise ValidationError([], "Packs that come with the app cannot be edited: copy it")
        checked = parse_pack(document, pack.path.name, path=pack.path)
        if checked.id != pack_id:
            raise PackError(
                [
                    PackProblem(
                        pack.path.name,
                        _line_of_top_level(document, "id"),
                        "id",
                        "the id cannot change here: copy the pack to give it a new id",
                    )
                ]
            )
        tmp = pack.path.with_suffix(".part")
        tmp.write_text(document, encoding="utf-8")
        tmp.replace(pack.path)
        self.reload()
        return self.pack(pack_id)

    def delete_pack(self, pack_id: str) -> None:
        """Remove one of the user's own packs (shipped packs cannot be deleted).

        Raises:
            ValidationError: the pack comes with the app.
        """
        pack = self.pack(pack_id)
        if pack.shipped or pack.path is None:
            raise ValidationError([], f"'{pack.title}' comes with the app and cannot be deleted")
        pack.path.unlink(missing_ok=True)
        self.reload()

    def pack_text(self, pack_id: str) -> str:
        """The text of a pack's file as it is on disk, for viewing or copying to edit.

        Raises:
            NotFoundError: no such pack, or it has no file.
            PackError: the file cannot be read now, or has grown too large to be a pack.
        """
        return _source_text(self.pack(pack_id))

    def _own_folder(self) -> Path:
        if self.user_packs is None:
            raise ValidationError([], "This logbook has no data folder for your own packs")
        self.user_packs.mkdir(parents=True, exist_ok=True)
        return self.user_packs

    def _free_id(self, base: str) -> str:
        base = re.sub(r"[^a-z0-9_]", "_", base.lower())[:36]
        taken = set(self._loaded())
        if self.user_packs is not None:
            taken |= {p.stem for p in self.user_packs.glob(f"*{PACK_SUFFIX}")}
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}{n}", n + 1
        return candidate

    # --- following and settings ------------------------------------------------------------

    def followed(self) -> list[str]:
        """Ids of the packs the practitioner follows (that are installed), in their order."""
        profile = self.records.profile()
        if profile is None:
            return []
        known = self._loaded()
        return [pack_id for pack_id in profile.followed_packs if pack_id in known]

    def follow(self, pack_ids: Sequence[str]) -> Change:
        """Set the packs the practitioner follows (saved on the profile).

        Raises:
            NotFoundError: a pack id is unknown, or there is no profile yet.
        """
        for pack_id in pack_ids:
            self.pack(pack_id)
        profile = self.records.profile()
        if profile is None:
            raise NotFoundError("Create your profile first (the first-run welcome)")
        saved = self.records.update(replace(profile, followed_packs=tuple(dict.fromkeys(pack_ids))))
        return saved.change

    def settings(self, pack_id: str) -> PackSettings:
        """The practitioner's settings for a pack (defaults when none were saved)."""
        with self.db.reading() as session:
            stored = repo.meta(session, SETTINGS_KEY.format(pack_id))
        if not stored:
            return PackSettings()
        try:
            return settings_from_json(json.loads(stored))
        except (ValueError, TypeError, KeyError):
            # Unreadable settings are not fatal: the pack is checked with defaults.
            return PackSettings()

    def save_settings(self, pack_id: str, settings: PackSettings) -> None:
        """Store a pack's settings in the logbook (one transaction).

        Raises:
            ValidationError: a fraction outside 0–1, or a leave period that ends before it
                starts; nothing is saved.
        """
        self.save_all_settings({pack_id: settings})

    def save_all_settings(self, settings: dict[str, PackSettings]) -> None:
        """Store the settings of several packs at once (leave taken for every followed pack),
        in one transaction: all of them or none.

        Raises:
            NotFoundError: a pack id is unknown; nothing is saved.
            ValidationError: as ``save_settings``, for any of them; nothing is saved.
        """
        for pack_id, chosen in settings.items():
            self.pack(pack_id)
            problems = check_settings(chosen)
            if problems:
                which = f"The settings of {pack_id}" if len(settings) > 1 else "These pack settings"
                raise ValidationError(problems, f"{which} cannot be saved")
        with self.db.transaction() as session:
            for pack_id, chosen in settings.items():
                repo.set_meta(
                    session, SETTINGS_KEY.format(pack_id), json.dumps(settings_to_json(chosen))
                )

    # --- checking --------------------------------------------------------------------------

    def evidence(self, packs: Iterable[Pack] = ()) -> Evidence:
        """The records the given packs count (every log kind when none are given).

        The records read are kept until the logbook changes (a count and the latest edit time
        per kind tell), so checking again after changing a setting does not read them again.
        """
        kinds = _kinds_needed(packs) or set(RecordKind) - {RecordKind.ATTACHMENT}
        wanted = (*ALWAYS_READ, *sorted(kinds - set(ALWAYS_READ)))
        stamp = (self.clock(), self._fingerprint(wanted))
        cached = self._cached
        if cached is not None and cached[0] == stamp[0] and stamp[1] <= cached[1]:
            return cached[2]
        records: list[Record] = []
        for kind in wanted:
            records.extend(self.records.all(kind))
        evidence = Evidence(records, stamp[0], presorted=True)
        self._cached = (stamp[0], stamp[1], evidence)
        return evidence

    def _fingerprint(self, kinds: Sequence[RecordKind]) -> frozenset[tuple[str, int, str]]:
        """Per kind: how many records, the latest edit and the sum of revisions (every edit
        raises one), which any change moves."""
        with self.db.reading() as session:
            found = set()
            for kind in kinds:
                count, latest, revisions = repo.edit_totals(session, kind)
                found.add((kind.value, int(count), f"{latest}/{revisions}"))
        return frozenset(found)

    def evaluate(
        self, period: Period | None = None, pack_ids: Sequence[str] | None = None
    ) -> list[PackResult]:
        """Check packs against the logbook.

        Args:
            period: Limit the check to these dates (open ends allowed); None checks the
                recorded period (and each pack's current cycle).
            pack_ids: Packs to check; None checks the followed packs.

        Raises:
            NotFoundError: an unknown pack id.
        """
        ids = list(pack_ids) if pack_ids is not None else self.followed()
        packs = [self.pack(pack_id) for pack_id in ids]
        if not packs:
            return []
        evidence = self.evidence(packs)
        self._evidence = evidence
        requested = period or ALL_TIME
        return [evaluate_pack(p, evidence, self.settings(p.id), requested) for p in packs]

    def first_recorded_day(self, packs: Iterable[Pack]) -> date | None:
        """The earliest activity of the kinds ``packs`` count, read with one small query per
        kind: where a full check counts fortnights from when no cycle start is set."""
        found = []
        for kind in sorted(_kinds_needed(packs) & set(ACTIVITY_KINDS)):
            field = KINDS[kind].date_field
            query = RecordQuery(kind, sort=field or "", descending=False, limit=1)
            first = self.records.query(query)
            if first and field:
                found.append(getattr(first[0], field))
        return min(found, default=None)

    def status(self, pack_ids: Sequence[str]) -> list[PackResult]:
        """The packs ``pack_ids`` checked over the recorded period (for the dashboard)."""
        return self.evaluate(pack_ids=pack_ids)

    def badges(self, results: Sequence[PackResult] | None = None) -> list[Badge]:
        """One badge per followed pack for the dashboard (checks them unless given results)."""
        results = self.evaluate() if results is None else results
        return [badge_for(result) for result in results]

    def entries(self, finding: Finding, within: Period | None = None) -> list[EntryLine]:
        """The records behind a finding (only those dated within ``within`` when given)."""
        evidence = self._evidence or self.evidence()
        credits = {c.uid: c for c in finding.credits}
        lines = []
        for uid in finding.entries:
            record = evidence.get(uid)
            if record is None:
                continue
            day = entry_date(record)
            if within is not None and (day is None or not within.contains(day)):
                continue
            credit = credits.get(uid)
            counted = (
                f"{hours(round(credit.counted * 60))} h credited: {credit.note}" if credit else ""
            )
            lines.append(
                EntryLine(
                    uid=uid,
                    kind=record.kind,
                    day=day,
                    summary=describe(record),
                    duration=_duration(record),
                    counted=counted,
                )
            )
        return lines

    def pathway_templates(self) -> list[PathwayTemplate]:
        """Every pathway a pack describes (each milestones rule), to start one from."""
        found = []
        for info in self.pack_infos():
            pack = self.pack(info.id)
            for rule in pack.rules:
                params = rule.params
                if not isinstance(params, MilestonesParams):
                    continue
                routes = tuple((s.route, s.title) for s in params.milestones if s.route)
                found.append(
                    PathwayTemplate(
                        pack.id,
                        rule.id,
                        pack.title,
                        " ".join(rule.description.split()),
                        PathwayKind(params.pathway_kind),
                        tuple(s.title for s in params.milestones if not s.route),
                        routes,
                    )
                )
        return found

    def start_pathway(
        self,
        pack_id: str,
        rule_id: str,
        started_on: date | None = None,
        *,
        routes: Sequence[str] = (),
        title: str = "",
        notes: str = "",
    ) -> Change:
        """Create a pathway (or conversion plan) with the milestones a pack rule lists.

        A conversion plan gets the ``routes`` chosen (each a route of the rule); ``title`` and
        ``notes`` (e.g. the curricula converted from and to) replace the pack's title and
        nothing.

        Raises:
            NotFoundError: no such pack or rule.
            ValidationError: the rule is not a milestones rule.
        """
        pack = self.pack(pack_id)
        try:
            rule = pack.rule(rule_id)
        except KeyError:
            raise NotFoundError(f"The pack '{pack.title}' has no rule '{rule_id}'") from None
        params = rule.params
        if not isinstance(params, MilestonesParams):
            raise ValidationError([], f"'{rule.title}' has no milestones to start from")
        start = started_on or self.clock()
        kind = PathwayKind(params.pathway_kind)
        pathway = Pathway(
            title=title or pack.title,
            pathway_kind=kind,
            template_key=params.template,
            started_on=start,
            notes=notes,
        )
        milestones = [
            Milestone(
                pathway_uid=pathway.uid,
                title=spec.title,
                sequence=n,
                status=MilestoneStatus.NOT_STARTED,
                route=None if spec.route is None else ConversionRoute(spec.route),
                due_date=add_months(start, spec.due_months) if spec.due_months else None,
                notes=spec.description,
            )
            for n, spec in enumerate(params.milestones, start=1)
            # A conversion plan has the routes the practitioner picked.
            if not (kind is PathwayKind.CONVERSION and spec.optional and spec.route not in routes)
        ]
        return self.records.create_many([pathway, *milestones])


# --- settings as JSON ------------------------------------------------------------------------


def settings_to_json(settings: PackSettings) -> dict[str, object]:
    """A pack's settings as JSON, dates in ISO form, as they are stored and printed."""
    return {
        "cycle_start": settings.cycle_start.isoformat() if settings.cycle_start else None,
        "qualified_on": settings.qualified_on.isoformat() if settings.qualified_on else None,
        "working_fraction": settings.working_fraction,
        "leave": [
            [p.start.isoformat() if p.start else None, p.end.isoformat() if p.end else None]
            for p in settings.leave
        ],
    }


def settings_from_json(data: dict[str, object]) -> PackSettings:
    """The settings :func:`settings_to_json` wrote (a missing fraction is full time).

    Raises:
        ValueError, TypeError: a date or a leave period is malformed.
    """

    def day(value: object) -> date | None:
        return date.fromisoformat(str(value)) if value else None

    leave_data = data.get("leave") or []
    if not isinstance(leave_data, list):
        raise TypeError("leave must be a list of periods")
    fraction = data.get("working_fraction", 1.0)
    return PackSettings(
        cycle_start=day(data.get("cycle_start")),
        qualified_on=day(data.get("qualified_on")),
        working_fraction=float(fraction) if isinstance(fraction, int | float) else 1.0,
        leave=tuple(Period(day(a), day(b)) for a, b in leave_data),
    )


def check_settings(settings: PackSettings) -> list[Problem]:
    """The problems that stop a pack's settings being saved (none when they can be)."""
    problems = []
    if not 0 < settings.working_fraction <= 1:
        problems.append(
            Problem(
                "working_fraction", "the working pattern is a fraction of full time, from 0 to 1"
            )
        )
    for n, spell in enumerate(settings.leave, start=1):
        if spell.start is None or spell.end is None:
            problems.append(Problem("leave", f"leave period {n} needs a first and a last day"))
    return problems


# --- badges ------------------------------------------------------------------------------------


def badge_for(result: PackResult) -> Badge:
    """The dashboard badge of one checked pack."""
    counted = [r for r in result.rules if not r.optional]
    met = sum(1 for r in counted if r.status is Status.MET)
    short = [r for r in counted if r.status is Status.NOT_YET_MET]
    stages = [r for r in counted if r.granularity is Granularity.MILESTONE]
    progress = f"{met} of {len(counted)} rules met"
    if stages and len(stages) == len(counted):  # a pathway's milestones: count them
        counts = [milestones_reached(r.findings) for r in stages]
        progress = f"{sum(c[0] for c in counts)} of {sum(c[1] for c in counts)} reached"
        verdict = {Status.MET: ": criteria met", Status.NOT_YET_MET: ": not yet met"}
        headline = progress + verdict.get(result.status, "")
    elif result.status is Status.MET:
        headline = Status.MET.label
    elif result.status is Status.NOT_YET_MET:
        headline = f"{Status.NOT_YET_MET.label}: {len(short)} of {len(counted)} rules"
    else:
        headline = Status.NOT_APPLICABLE.label
    return Badge(
        pack_id=result.pack_id,
        title=result.title,
        status=result.status,
        headline=headline,
        detail=_pressing(short) if short else _next_projection(counted),
        rules_met=met,
        rules_total=len(counted),
        progress=progress,
    )


def _pressing(short: list[RuleResult]) -> str:
    """The shortfall to mention first: the latest period that ended short (one still running
    only when nothing has ended short), then the first projection."""
    best: tuple[bool, date, str] | None = None
    for rule in short:
        for finding in rule.findings:
            if finding.status is not Status.NOT_YET_MET:
                continue
            end = finding.period.end or finding.period.start or date.min
            gap = ""
            if finding.required is not None and finding.actual is not None:
                gap = f": {amount(finding.required - finding.actual, finding.unit)} short"
            where = f" ({finding.label})" if finding.label else ""
            key = (not finding.in_progress, end, f"{rule.title}{where}{gap}")
            if best is None or key[:2] > best[:2]:
                best = key
    if best is None:
        return short[0].title
    projection = next((r.projection for r in short if r.projection), "")
    return best[2] + (f". {projection}" if projection else "")


def _next_projection(rules: list[RuleResult]) -> str:
    return next((r.projection for r in rules if r.projection), "")


def _duration(record: Record) -> str:
    minutes = minutes_of(record)
    return f"{minutes // 60}:{minutes % 60:02d}" if minutes else ""


# --- pack files --------------------------------------------------------------------------------


def _kinds_needed(packs: Iterable[Pack]) -> set[RecordKind]:
    kinds: set[RecordKind] = set()
    for pack in packs:
        for rule in pack.rules:
            params = rule.params
            if isinstance(params, MilestonesParams):
                kinds |= {RecordKind.PATHWAY, RecordKind.MILESTONE}
                continue
            for value in vars(params).values():
                if isinstance(value, Selector):
                    kinds.add(value.records)
            share = getattr(params, "share", None)
            if share is not None and share.count is not None:
                kinds.add(share.count.records)
    return kinds


def _source_text(pack: Pack) -> str:
    if pack.path is None:
        raise NotFoundError(f"The pack '{pack.title}' has no file")
    return _read_text(pack.path)


def _read_text(path: Path) -> str:
    """The text of a pack file; one too large to be a pack is refused without being read."""
    try:
        too_large = path.stat().st_size > MAX_PACK_BYTES
        if not too_large:
            # Read with a bound all the same (the file may have grown since, or be a pipe);
            # one character over, and a byte order mark, are left for parse_pack to count.
            with path.open(encoding="utf-8") as handle:
                document = handle.read(MAX_PACK_CHARS + 2)
            too_large = len(document) > MAX_PACK_CHARS + 1
    except (OSError, UnicodeDecodeError) as error:
        raise PackError([PackProblem(path.name, None, "", f"cannot be read ({error})")]) from None
    if too_large:
        message = (
            f"is too large to be a pack (a pack is at most {MAX_PACK_CHARS:,} characters, "
            f"about {MAX_PACK_CHARS // 1024**2} MB)"
        )
        raise PackError([PackProblem(path.name, None, "", message)])
    return document


_TOP_KEY = "^{}\\s*=.*$"


def _replace_top_level(document: str, key: str, value: str) -> str:
    """Set a top-level ``key = "value"`` line (before the first table) in TOML text."""
    head, sep, tail = _split_head(document)
    pattern = re.compile(_TOP_KEY.format(re.escape(key)), re.MULTILINE)
    line = f"{key} = {json.dumps(value, ensure_ascii=False)}"
    if pattern.search(head):
        head = pattern.sub(lambda _: line, head, count=1)
    else:
        head = f"{head.rstrip()}\n{line}\n"
    return head + sep + tail


def _line_of_top_level(document: str, key: str) -> int | None:
    head, _, _ = _split_head(document)
    match = re.search(_TOP_KEY.format(re.escape(key)), head, re.MULTILINE)
    return head[: match.start()].count("\n") + 1 if match else None


def _split_head(document: str) -> tuple[str, str, str]:
    match = re.search(r"^\s*\[", document, re.MULTILINE)
    if not match:
        return document, "", ""
    return document[: match.start()], "", document[match.start() :]


def _write_new(target: Path, document: str) -> None:
    if target.exists():
        raise ValidationError([Problem("id", f"a pack file {target.name} already exists")])
    tmp = target.with_suffix(".part")
    tmp.write_text(document, encoding="utf-8")
    shutil.move(str(tmp), target)


def _clash(pack: Pack, other: Pack) -> PackError:
    name = pack.path.name if pack.path else pack.id
    document = pack.path.read_text(encoding="utf-8") if pack.path else ""
    owner = "a pack that comes with the app" if other.shipped else "another of your packs"
    return PackError(
        [
            PackProblem(
                name,
                _line_of_top_level(document, "id"),
                "id",
                f"'{pack.id}' is already the id of {owner}; change it to use this pack",
            )
        ]
    )
