"""``organisation`` and ``person``: the employers, services and supervisors a logbook names,
found again by name (any case) wherever a command asks for one."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from logbook.cli import arguments as a
from logbook.cli.context import CliContext
from logbook.domain.choices import OrganisationKind
from logbook.domain.codec import encode
from logbook.domain.errors import LogbookError
from logbook.domain.records import Organisation, Person, RecordKind

if TYPE_CHECKING:
    from logbook.services.profile import ProfileService

ORGANISATION_FIELDS = ("name", "organisation_kind", "employer", "supervising", "notes")
PERSON_FIELDS = ("name", "roles", "registration_body", "registration_number", "email", "notes")
DEFAULT_PERSON_ROLES = ("supervisor",)


def register(sub: Any) -> None:
    _organisation_commands(sub)
    _person_commands(sub)


def _organisation_commands(sub: Any) -> None:
    organisation = a.command(
        sub,
        "organisation",
        "add, list, change or remove organisations (employers, services, charities)",
        """
  logbook-cli organisation add "NHS Lothian" --kind nhs --employer --supervising
  logbook-cli organisation add "Edinburgh Mind" --kind charity
  logbook-cli organisation set "edinburgh mind" --supervising
  logbook-cli organisation list
""",
    )
    commands = a.actions(organisation)
    add = a.action(
        commands,
        "add",
        "a new organisation",
        'logbook-cli organisation add "Fife Mind" --kind charity --employer --supervising',
    )
    add.add_argument("name", help="e.g. 'NHS Lothian', 'Edinburgh Mind'")
    _organisation_options(add)
    add.set_defaults(handler=a.friendly(run_organisation_add))
    listing = a.action(commands, "list", "every organisation", "logbook-cli organisation list")
    a.format_option(listing)
    listing.set_defaults(handler=a.friendly(run_organisation_list))
    change = a.action(
        commands,
        "set",
        "change the fields given (others stay)",
        'logbook-cli organisation set "fife mind" --name "Mind in Fife" --no-supervising',
    )
    change.add_argument("which", metavar="NAME", help="its name (any case) or id")
    change.add_argument("--name", default=argparse.SUPPRESS, help="a new name")
    _organisation_options(change)
    change.set_defaults(handler=a.friendly(run_organisation_set))
    remove = a.action(
        commands,
        "remove",
        "remove one that no entry or person refers to",
        'logbook-cli organisation remove "Fife Mind"',
    )
    remove.add_argument("which", metavar="NAME", help="its name (any case) or id")
    remove.set_defaults(handler=a.friendly(run_remove), kind=RecordKind.ORGANISATION)


def _organisation_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kind",
        dest="organisation_kind",
        type=_organisation_kind,
        default=argparse.SUPPRESS,
        metavar="KIND",
        help="one of: " + ", ".join(k.value for k in OrganisationKind),
    )
    parser.add_argument(
        "--employer",
        action=argparse.BooleanOptionalAction,
        default=argparse.SUPPRESS,
        help="you work for them",
    )
    parser.add_argument(
        "--supervising",
        action=argparse.BooleanOptionalAction,
        default=argparse.SUPPRESS,
        help="they supervise you",
    )
    _notes_options(parser)


def _person_commands(sub: Any) -> None:
    person = a.command(
        sub,
        "person",
        "add, list, change or remove people: supervisors, mentors, colleagues",
        """
  logbook-cli person add "Dr Ann Lee" --organisation "NHS Lothian" --role supervisor
  logbook-cli person add "Jo Bell" --role mentor --role co-teacher --body BAMBA
  logbook-cli person set "ann lee" --email ann.lee@example.org
  logbook-cli person list --role supervisor
""",
    )
    commands = a.actions(person)
    add = a.action(
        commands,
        "add",
        "a new person (a supervisor unless --role says)",
        'logbook-cli person add "Kirsty Brown" --organisation "Fife Mind"',
        'logbook-cli person add "Tom Clark" --role supervisee',
    )
    add.add_argument("name", help="their name, e.g. 'Dr Ann Lee'")
    _person_options(add)
    add.set_defaults(handler=a.friendly(run_person_add))
    listing = a.action(
        commands,
        "list",
        "every person",
        "logbook-cli person list --role supervisor",
    )
    listing.add_argument("--role", help="only people with this role, e.g. supervisor")
    a.format_option(listing)
    listing.set_defaults(handler=a.friendly(run_person_list))
    change = a.action(
        commands,
        "set",
        "change the fields given (others stay; --role replaces the roles)",
        'logbook-cli person set "kirsty brown" --organisation none --role mentor',
    )
    change.add_argument("which", metavar="NAME", help="their name (any case) or id")
    change.add_argument("--name", default=argparse.SUPPRESS, help="a new name")
    _person_options(change)
    change.set_defaults(handler=a.friendly(run_person_set))
    remove = a.action(
        commands,
        "remove",
        "remove one that no entry refers to",
        'logbook-cli person remove "Tom Clark"',
    )
    remove.add_argument("which", metavar="NAME", help="their name (any case) or id")
    remove.set_defaults(handler=a.friendly(run_remove), kind=RecordKind.PERSON)


def _person_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--organisation",
        type=a.name_or_none,
        default=argparse.SUPPRESS,
        metavar="NAME",
        help="their organisation, already added ('none' clears it)",
    )
    parser.add_argument(
        "--role",
        dest="roles",
        action="append",
        default=argparse.SUPPRESS,
        metavar="ROLE",
        help="supervisor, supervisee, mentor, assessor, co-teacher … (repeatable)",
    )
    parser.add_argument(
        "--body",
        dest="registration_body",
        default=argparse.SUPPRESS,
        metavar="BODY",
        help="their register, e.g. BACP, HCPC",
    )
    parser.add_argument(
        "--number",
        dest="registration_number",
        default=argparse.SUPPRESS,
        help="their registration number",
    )
    parser.add_argument("--email", default=argparse.SUPPRESS)
    _notes_options(parser)


def _notes_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--notes", default=argparse.SUPPRESS, metavar="TEXT", help="never a client's details"
    )
    parser.add_argument(
        "--allow-identifiers",
        action="store_true",
        help="keep notes that look like a client's details (the choice is recorded)",
    )


def _organisation_kind(text: str) -> OrganisationKind:
    try:
        return OrganisationKind.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


# --- handlers ----------------------------------------------------------------------------------


def run_organisation_add(args: argparse.Namespace, ctx: CliContext) -> int:
    fields = _cleaned(a.given(args, *ORGANISATION_FIELDS[1:]))
    organisation = Organisation(name=args.name.strip(), **fields)
    saved = a.profiles(ctx).add_named(organisation, allow_identifiers=args.allow_identifiers)
    ctx.print(f"Added organisation {_organisation_text(saved)}")
    return 0


def run_organisation_list(args: argparse.Namespace, ctx: CliContext) -> int:
    found = sorted(a.profiles(ctx).records.all(RecordKind.ORGANISATION), key=_by_name)
    if args.format == "json":
        ctx.print(json.dumps([encode(o) for o in found], indent=2, ensure_ascii=False))
        return 0
    for organisation in found:
        assert isinstance(organisation, Organisation)
        ctx.print(_organisation_text(organisation))
    ctx.print(f"{len(found)} organisation(s)")
    return 0


def run_organisation_set(args: argparse.Namespace, ctx: CliContext) -> int:
    service = a.profiles(ctx)
    current = service.find(RecordKind.ORGANISATION, args.which)
    assert isinstance(current, Organisation)
    changes = _cleaned(a.given(args, *ORGANISATION_FIELDS))
    _require_changes(changes)
    saved = service.change_named(
        replace(current, **changes), allow_identifiers=args.allow_identifiers
    )
    ctx.print(f"Changed organisation {_organisation_text(saved)}")
    return 0


def run_person_add(args: argparse.Namespace, ctx: CliContext) -> int:
    service = a.profiles(ctx)
    fields = _cleaned(a.given(args, *PERSON_FIELDS[1:]))
    fields.setdefault("roles", DEFAULT_PERSON_ROLES)
    person = Person(name=args.name.strip(), organisation_uid=_organisation(service, args), **fields)
    saved = service.add_named(person, allow_identifiers=args.allow_identifiers)
    ctx.print(f"Added person {_person_text(service, saved)}")
    return 0


def run_person_list(args: argparse.Namespace, ctx: CliContext) -> int:
    service = a.profiles(ctx)
    found = [p for p in service.records.all(RecordKind.PERSON) if isinstance(p, Person)]
    if args.role:
        wanted = args.role.strip().casefold()
        found = [p for p in found if wanted in (r.casefold() for r in p.roles)]
    found.sort(key=_by_name)
    if args.format == "json":
        ctx.print(json.dumps([encode(p) for p in found], indent=2, ensure_ascii=False))
        return 0
    for person in found:
        ctx.print(_person_text(service, person))
    ctx.print(f"{len(found)} person(s)")
    return 0


def run_person_set(args: argparse.Namespace, ctx: CliContext) -> int:
    service = a.profiles(ctx)
    current = service.find(RecordKind.PERSON, args.which)
    assert isinstance(current, Person)
    changes = _cleaned(a.given(args, *PERSON_FIELDS))
    if hasattr(args, "organisation"):
        changes["organisation_uid"] = _organisation(service, args)
    _require_changes(changes)
    saved = service.change_named(
        replace(current, **changes), allow_identifiers=args.allow_identifiers
    )
    ctx.print(f"Changed person {_person_text(service, saved)}")
    return 0


def run_remove(args: argparse.Namespace, ctx: CliContext) -> int:
    service = a.profiles(ctx)
    found = service.find(args.kind, args.which)
    service.records.delete(args.kind, found.uid)
    ctx.print(f"Removed {args.kind.label.lower()} {getattr(found, 'name', found.uid)}")
    return 0


# --- helpers -----------------------------------------------------------------------------------


def _cleaned(fields: dict[str, Any]) -> dict[str, Any]:
    """Typed text without the spaces around it; roles as a list without blanks."""
    # Only plain text: a choice is a str too, and must stay a choice.
    cleaned = {k: v.strip() if type(v) is str else v for k, v in fields.items()}
    if "roles" in cleaned:
        cleaned["roles"] = tuple(dict.fromkeys(r.strip() for r in cleaned["roles"] if r.strip()))
    return cleaned


def _require_changes(changes: dict[str, Any]) -> None:
    if not changes:
        raise LogbookError("Nothing to change: give at least one option (see --help)")


def _organisation(service: ProfileService, args: argparse.Namespace) -> str | None:
    name = getattr(args, "organisation", None)
    return a.resolve(service, RecordKind.ORGANISATION, name, "--organisation")


def _by_name(record: Any) -> str:
    return str(record.name).casefold()


def _organisation_text(organisation: Organisation) -> str:
    notes = [organisation.organisation_kind.label]
    if organisation.employer:
        notes.append("employer")
    if organisation.supervising:
        notes.append("supervises you")
    return f"{organisation.name} ({'; '.join(notes)})"


def _person_text(service: ProfileService, person: Person) -> str:
    notes = list(person.roles)
    if person.organisation_uid:
        organisation = service.records.get(RecordKind.ORGANISATION, person.organisation_uid)
        notes.append(f"at {getattr(organisation, 'name', '')}")
    if person.registration_body:
        notes.append(f"{person.registration_body} {person.registration_number}".strip())
    return f"{person.name} ({'; '.join(notes)})" if notes else person.name
