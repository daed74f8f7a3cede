"""Setting a logbook up without the forms: the practitioner's profile with its roles and
registrations, the people and organisations it names, the packs it follows and leave.

The command line uses these; each method is one transaction, as the forms' saves are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar

from logbook.domain.allowances import Door
from logbook.domain.errors import NotFoundError, Problem, ValidationError
from logbook.domain.periods import Period
from logbook.domain.records import (
    Organisation,
    Person,
    Profile,
    Record,
    RecordKind,
    Registration,
    RoleSpell,
)
from logbook.services.records import RecordService
from logbook.services.requirements import RequirementService

Row = TypeVar("Row", RoleSpell, Registration)
Named = TypeVar("Named", Person, Organisation)


class NoProfileError(NotFoundError):
    """The action needs the practitioner's profile, and there is none yet."""

    def __init__(self) -> None:
        super().__init__("There is no profile yet: create it first with your name")


@dataclass(frozen=True)
class LeaveSpell:
    """A period of leave and the packs whose checks it is marked in."""

    period: Period
    pack_ids: tuple[str, ...]


class ProfileService:
    """The practitioner's set-up for one open logbook."""

    def __init__(self, records: RecordService, requirements: RequirementService) -> None:
        self.records = records
        self.requirements = requirements

    # --- the profile -----------------------------------------------------------------------

    def profile(self) -> Profile:
        """The profile.

        Raises:
            NoProfileError: none was created yet.
        """
        found = self.records.profile()
        if found is None:
            raise NoProfileError()
        return found

    def save_profile(self, **changes: Any) -> Profile:
        """Create the profile from ``changes`` (a name is needed) or change those fields.

        Raises:
            ValidationError: no name for a new profile, or a value the form would refuse.
        """
        current = self.records.profile()
        if current is None:
            if not str(changes.get("name") or "").strip():
                raise ValidationError([Problem("name", "a new profile needs your name")])
            created = Profile(**changes)
            return self.records.create(created).record
        return self.records.update(replace(current, **changes)).record

    def add_role(self, spell: RoleSpell) -> Profile:
        """Add a role to the end of the profile's list; returns the profile as saved.

        Raises:
            NoProfileError: there is no profile yet.
        """
        return self._edit_rows("roles", lambda rows: [*rows, spell])

    def change_role(self, number: int, **changes: Any) -> Profile:
        """Change role ``number`` (1 is the first listed).

        Raises:
            NotFoundError: there is no such role.
        """
        return self._edit_rows("roles", _changed(number, "role", changes))

    def remove_role(self, number: int) -> Profile:
        """Remove role ``number`` (1 is the first listed); returns the profile as saved.

        Raises:
            NotFoundError: there is no such role.
        """
        return self._edit_rows("roles", _without(number, "role"))

    def add_registration(self, registration: Registration) -> Profile:
        """Add a professional registration to the end of the profile's list; returns the
        profile as saved.

        Raises:
            NoProfileError: there is no profile yet.
        """
        return self._edit_rows("registrations", lambda rows: [*rows, registration])

    def change_registration(self, number: int, **changes: Any) -> Profile:
        """Change registration ``number`` (1 is the first listed).

        Raises:
            NotFoundError: there is no such registration.
        """
        return self._edit_rows("registrations", _changed(number, "registration", changes))

    def remove_registration(self, number: int) -> Profile:
        """Remove registration ``number`` (1 is the first listed); returns the profile as saved.

        Raises:
            NotFoundError: there is no such registration.
        """
        return self._edit_rows("registrations", _without(number, "registration"))

    def _edit_rows(self, field: str, edit: Callable[[list[Any]], list[Any]]) -> Profile:
        profile = self.profile()
        changes: dict[str, Any] = {field: tuple(edit(list(getattr(profile, field))))}
        return self.records.update(replace(profile, **changes)).record

    # --- people and organisations ----------------------------------------------------------

    def find(self, kind: RecordKind, name: str) -> Record:
        """The person or organisation called ``name`` (any case) or with that id.

        Raises:
            NotFoundError: none is, or more than one is (the message lists their ids).
        """
        wanted = name.strip()
        matches = [
            r
            for r in self.records.all(kind)
            if r.uid == wanted or str(getattr(r, "name", "")).casefold() == wanted.casefold()
        ]
        what = kind.label.lower()
        if not matches:
            raise NotFoundError(f"no {what} called '{wanted}' in this logbook")
        if len(matches) > 1:
            ids = ", ".join(r.uid for r in matches)
            raise NotFoundError(
                f"{len(matches)} records are called '{wanted}': give the id of the {what} "
                f"you mean ({ids})"
            )
        return matches[0]

    def add_named(self, record: Named, *, allow_identifiers: bool = False) -> Named:
        """Save a new person or organisation, its notes checked for client identifiers.

        Raises:
            ValidationError: another record of the kind has this name (names must tell
                them apart on the command line), or the record is not valid.
            IdentifiersFoundError: the notes look client-identifiable and were not allowed.
        """
        self._refuse_taken_name(record)
        self.records.create_many([record], guard=Door.CLI, allow_identifiers=allow_identifiers)
        return record

    def change_named(self, record: Named, *, allow_identifiers: bool = False) -> Named:
        """Save an edit of a person or organisation, checked as ``add_named`` checks (a name
        shared before, by records made elsewhere, may stay shared)."""
        stored = self.records.get(record.kind, record.uid)
        if str(getattr(stored, "name", "")).casefold() != record.name.strip().casefold():
            self._refuse_taken_name(record)
        saved = self.records.update(record, guard=Door.CLI, allow_identifiers=allow_identifiers)
        return saved.record

    def _refuse_taken_name(self, record: Person | Organisation) -> None:
        taken = [
            r
            for r in self.records.all(record.kind)
            if r.uid != record.uid
            and str(getattr(r, "name", "")).casefold() == record.name.strip().casefold()
        ]
        if taken:
            what = record.kind.label.lower()
            message = f"another {what} is called '{record.name.strip()}'"
            raise ValidationError([Problem("name", message)])

    # --- packs and leave -------------------------------------------------------------------

    def follow(self, pack_ids: Sequence[str]) -> list[str]:
        """Follow these packs as well as those followed; returns the ones newly followed.

        Raises:
            NotFoundError: a pack is not installed, or there is no profile yet.
        """
        followed = self.requirements.followed()
        new = [p for p in dict.fromkeys(pack_ids) if p not in followed]
        for pack_id in new:
            self.requirements.pack(pack_id)
        self.profile()
        if new:
            self.requirements.follow([*followed, *new])
        return new

    def unfollow(self, pack_ids: Sequence[str]) -> list[str]:
        """Stop following these packs (their settings are kept); returns the ones dropped."""
        for pack_id in pack_ids:
            self.requirements.pack(pack_id)
        followed = self.requirements.followed()
        dropped = [p for p in followed if p in pack_ids]
        if dropped:
            self.requirements.follow([p for p in followed if p not in dropped])
        return dropped

    def leave(self) -> list[LeaveSpell]:
        """Every period of leave marked in any pack, earliest first."""
        found: dict[Period, list[str]] = {}
        for info in self.requirements.pack_infos():
            for spell in self.requirements.settings(info.id).leave:
                found.setdefault(spell, []).append(info.id)
        ordered = sorted(found.items(), key=lambda item: _by_start(item[0]))
        return [LeaveSpell(period, tuple(packs)) for period, packs in ordered]

    def add_leave(self, period: Period, pack_ids: Sequence[str] = ()) -> list[str]:
        """Mark leave in these packs (by default every followed pack), in one transaction.

        Returns the packs it was marked in.

        Raises:
            NotFoundError: a pack is not installed, or none is given and none is followed.
        """
        targets = self._leave_targets(pack_ids)
        changed = {}
        for pack_id in targets:
            settings = self.requirements.settings(pack_id)
            if period not in settings.leave:
                leave = sorted((*settings.leave, period), key=_by_start)
                changed[pack_id] = replace(settings, leave=tuple(leave))
        self.requirements.save_all_settings(changed)
        return targets

    def remove_leave(self, period: Period, pack_ids: Sequence[str] = ()) -> list[str]:
        """Remove this leave from these packs (by default every pack it is marked in).

        Raises:
            NotFoundError: no pack has this leave.
        """
        marked = [p for spell in self.leave() if spell.period == period for p in spell.pack_ids]
        targets = list(pack_ids) or marked
        changed = {}
        for pack_id in targets:
            settings = self.requirements.settings(pack_id)
            if period in settings.leave:
                kept = tuple(p for p in settings.leave if p != period)
                changed[pack_id] = replace(settings, leave=kept)
        if not changed:
            raise NotFoundError(f"no leave from {period.describe()} is marked in these packs")
        self.requirements.save_all_settings(changed)
        return list(changed)

    def _leave_targets(self, pack_ids: Sequence[str]) -> list[str]:
        for pack_id in pack_ids:
            self.requirements.pack(pack_id)
        targets = list(dict.fromkeys(pack_ids)) or self.requirements.followed()
        if not targets:
            raise NotFoundError("you follow no packs: follow one first, or name the pack")
        return targets


def _by_start(period: Period) -> tuple[date, date]:
    return (period.start or date.min, period.end or date.max)


def _changed(number: int, what: str, changes: dict[str, Any]) -> Callable[[list[Row]], list[Row]]:
    def edit(rows: list[Row]) -> list[Row]:
        index = _index(number, len(rows), what)
        rows[index] = replace(rows[index], **changes)
        return rows

    return edit


def _without(number: int, what: str) -> Callable[[list[Any]], list[Any]]:
    def edit(rows: list[Any]) -> list[Any]:
        del rows[_index(number, len(rows), what)]
        return rows

    return edit


def _index(number: int, count: int, what: str) -> int:
    if not 1 <= number <= count:
        listed = f"numbered 1 to {count}" if count else "none yet"
        raise NotFoundError(f"there is no {what} {number} (your {what}s: {listed})")
    return number - 1
