"""``profile``, ``role`` and ``registration``: the practitioner's profile, as the app's profile
editor sets it up."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from logbook.cli import arguments as a
from logbook.cli.context import CliContext
from logbook.domain.choices import Indemnity
from logbook.domain.codec import encode
from logbook.domain.errors import LogbookError
from logbook.domain.records import Profile, RecordKind, Registration, RoleSpell

if TYPE_CHECKING:
    from logbook.services.profile import ProfileService

PROFILE_FIELDS = ("name", "email", "qualified_on", "client_groups")
ROLE_FIELDS = ("title", "start", "end")
REGISTRATION_FIELDS = (
    "body",
    "number",
    "registered_on",
    "renewal_date",
    "indemnity",
    "indemnity_provider",
)


def register(sub: Any) -> None:
    _profile_commands(sub)
    _role_commands(sub)
    _registration_commands(sub)


def _profile_commands(sub: Any) -> None:
    profile = a.command(
        sub,
        "profile",
        "show or set your profile: name, email, qualification date, client groups",
        """
  logbook-cli profile set --name "Sam Carter" --email sam@example.org --qualified 01/09/2024
  logbook-cli profile set --client-groups "adults; older adults"
  logbook-cli profile show
""",
    )
    commands = a.actions(profile)
    show = a.action(
        commands,
        "show",
        "your profile, roles, registrations and packs",
        "logbook-cli profile show",
        "logbook-cli profile show --format json",
    )
    a.format_option(show)
    show.set_defaults(handler=a.friendly(run_show))
    change = a.action(
        commands,
        "set",
        "create the profile (with --name) or change the fields given",
        'logbook-cli profile set --name "Sam Carter" --qualified 01/09/2024',
        "logbook-cli profile set --email sam@example.org --qualified none",
        description="Create your profile (--name is needed the first time) or change the "
        "fields given; fields not given stay as they are. Dates are read day first "
        "(25/11/2026, 25 Nov 2026 or 2026-11-25); 'none' clears one.",
    )
    change.add_argument("--name", default=argparse.SUPPRESS, help="your name")
    change.add_argument("--email", default=argparse.SUPPRESS)
    change.add_argument(
        "--qualified",
        dest="qualified_on",
        type=a.day_or_none,
        default=argparse.SUPPRESS,
        metavar="DATE",
        help="when you qualified (packs count hours before and after it)",
    )
    change.add_argument(
        "--client-groups",
        type=a.text_list,
        default=argparse.SUPPRESS,
        metavar="GROUPS",
        help="the groups your qualification covers, separated by ';' (\"\" clears them)",
    )
    change.set_defaults(handler=a.friendly(run_set))


def _role_commands(sub: Any) -> None:
    role = a.command(
        sub,
        "role",
        "add, list, change or remove the roles you have held",
        """
  logbook-cli role add "Trainee PWP" --from 01/09/2023 --to 31/08/2024 --organisation "NHS Fife"
  logbook-cli role add "PWP" --from 01/09/2024 --organisation "NHS Fife"
  logbook-cli role set 2 --to 31/03/2026
  logbook-cli role remove 1
""",
    )
    commands = a.actions(role)
    add = a.action(
        commands,
        "add",
        "a role, from a date (and until one, if it ended)",
        'logbook-cli role add "Senior PWP" --from 01/04/2026 --organisation "NHS Fife"',
    )
    add.add_argument("title", help="e.g. 'Trainee PWP', 'Peer support worker'")
    _role_options(add, required=True)
    add.set_defaults(handler=a.friendly(run_role_add))
    listing = a.action(commands, "list", "your roles, numbered", "logbook-cli role list")
    a.format_option(listing)
    listing.set_defaults(handler=a.friendly(run_role_list))
    change = a.action(
        commands,
        "set",
        "change role N (as numbered by list); options not given stay",
        "logbook-cli role set 1 --to 31/03/2026",
        'logbook-cli role set 2 --to none --organisation "NHS Fife"',
    )
    change.add_argument("row", type=a.number, metavar="N")
    change.add_argument("--title", default=argparse.SUPPRESS)
    _role_options(change, required=False)
    change.set_defaults(handler=a.friendly(run_role_set))
    remove = a.action(
        commands, "remove", "remove role N (as numbered by list)", "logbook-cli role remove 1"
    )
    remove.add_argument("row", type=a.number, metavar="N")
    remove.set_defaults(handler=a.friendly(run_role_remove))


def _role_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    start = {"required": True} if required else {"default": argparse.SUPPRESS}
    parser.add_argument("--from", dest="start", type=a.day, metavar="DATE", **start)
    parser.add_argument(
        "--to",
        dest="end",
        type=a.day_or_none,
        default=argparse.SUPPRESS,
        metavar="DATE",
        help="last day in the role ('none': you still hold it)",
    )
    parser.add_argument(
        "--organisation",
        type=a.name_or_none,
        default=argparse.SUPPRESS,
        metavar="NAME",
        help="where you held it: an organisation already added (see organisation list)",
    )


def _registration_commands(sub: Any) -> None:
    registration = a.command(
        sub,
        "registration",
        "add, list, change or remove your professional registrations",
        """
  logbook-cli registration add BABCP --number 123456 --since 01/04/2024 --renewal 31/03/2027
  logbook-cli registration add NMC --number 12A3456E --renewal 2028-05-31
  logbook-cli registration set 1 --renewal 31/03/2028
  logbook-cli registration list
""",
    )
    commands = a.actions(registration)
    add = a.action(
        commands,
        "add",
        "a register you are on, with its renewal date",
        "logbook-cli registration add HCPC --number PYL12345 --renewal 31/05/2027",
    )
    add.add_argument("body", help="e.g. BACP, BABCP, HCPC, NMC, UKCP, BAMBA")
    _registration_options(add)
    add.set_defaults(handler=a.friendly(run_registration_add))
    listing = a.action(
        commands, "list", "your registrations, numbered", "logbook-cli registration list"
    )
    a.format_option(listing)
    listing.set_defaults(handler=a.friendly(run_registration_list))
    change = a.action(
        commands,
        "set",
        "change registration N (as numbered by list); options not given stay",
        "logbook-cli registration set 1 --renewal 31/05/2029",
    )
    change.add_argument("row", type=a.number, metavar="N")
    change.add_argument("--body", default=argparse.SUPPRESS)
    _registration_options(change)
    change.set_defaults(handler=a.friendly(run_registration_set))
    remove = a.action(
        commands,
        "remove",
        "remove registration N (as numbered by list)",
        "logbook-cli registration remove 2",
    )
    remove.add_argument("row", type=a.number, metavar="N")
    remove.set_defaults(handler=a.friendly(run_registration_remove))


def _registration_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--number", default=argparse.SUPPRESS, help="registration number")
    parser.add_argument(
        "--since",
        dest="registered_on",
        type=a.day_or_none,
        default=argparse.SUPPRESS,
        metavar="DATE",
        help="when you were first registered",
    )
    parser.add_argument(
        "--renewal",
        dest="renewal_date",
        type=a.day_or_none,
        default=argparse.SUPPRESS,
        metavar="DATE",
        help="when it must next be renewed (reminders and cycle-based packs use it)",
    )
    parser.add_argument(
        "--indemnity",
        type=_indemnity,
        default=argparse.SUPPRESS,
        metavar="HOW",
        help="how your practice is indemnified: "
        + ", ".join(m.value for m in Indemnity)
        + " (none to clear)",
    )
    parser.add_argument(
        "--indemnity-provider",
        dest="indemnity_provider",
        default=argparse.SUPPRESS,
        metavar="NAME",
        help="the indemnity provider, when not your employer",
    )


def _indemnity(text: str) -> Indemnity | None:
    """An indemnity arrangement by its value or words, or ``none`` to clear it."""
    if text.strip().lower() in a.CLEAR_WORDS:
        return None
    try:
        return Indemnity.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


# --- handlers ----------------------------------------------------------------------------------


def run_show(args: argparse.Namespace, ctx: CliContext) -> int:
    service = a.profiles(ctx)
    profile = service.profile()
    if args.format == "json":
        ctx.print(json.dumps(encode(profile), indent=2, ensure_ascii=False))
        return 0
    ctx.print(f"Name:          {profile.name}")
    ctx.print(f"Email:         {profile.email or 'not set'}")
    ctx.print(f"Qualified:     {a.show_day(profile.qualified_on)}")
    ctx.print(f"Client groups: {'; '.join(profile.client_groups) or 'not set'}")
    ctx.print("Roles:")
    _print_roles(ctx, service, profile)
    ctx.print("Registrations:")
    _print_registrations(ctx, profile)
    ctx.print(f"Packs followed: {', '.join(service.requirements.followed()) or 'none'}")
    return 0


def run_set(args: argparse.Namespace, ctx: CliContext) -> int:
    changes = a.given(args, *PROFILE_FIELDS)
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    if "email" in changes:
        changes["email"] = changes["email"].strip()
    if not changes:
        raise LogbookError("Nothing to set: give --name, --email, --qualified or --client-groups")
    service = a.profiles(ctx)
    if "name" not in changes and service.records.profile() is None:
        raise LogbookError("There is no profile yet: give --name (your name) to create it")
    profile = service.save_profile(**changes)
    ctx.print(f"Saved the profile of {profile.name}")
    return 0


def run_role_add(args: argparse.Namespace, ctx: CliContext) -> int:
    service = a.profiles(ctx)
    spell = RoleSpell(
        title=args.title.strip(),
        start=args.start,
        end=getattr(args, "end", None),
        organisation_uid=_organisation(service, args),
    )
    profile = service.add_role(spell)
    ctx.print(f"Added role {len(profile.roles)}: {_role_text(service, spell)}")
    return 0


def run_role_list(args: argparse.Namespace, ctx: CliContext) -> int:
    service = a.profiles(ctx)
    profile = service.profile()
    if args.format == "json":
        ctx.print(json.dumps(encode(profile)["roles"], indent=2, ensure_ascii=False))
        return 0
    _print_roles(ctx, service, profile)
    return 0


def run_role_set(args: argparse.Namespace, ctx: CliContext) -> int:
    service = a.profiles(ctx)
    changes = a.given(args, *ROLE_FIELDS)
    if hasattr(args, "organisation"):
        changes["organisation_uid"] = _organisation(service, args)
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    profile = service.change_role(args.row, **changes)
    ctx.print(f"Changed role {args.row}: {_role_text(service, profile.roles[args.row - 1])}")
    return 0


def run_role_remove(args: argparse.Namespace, ctx: CliContext) -> int:
    service = a.profiles(ctx)
    gone = _role_text(service, _row(service.profile().roles, args.row))
    service.remove_role(args.row)
    ctx.print(f"Removed role {args.row}: {gone}")
    return 0


def run_registration_add(args: argparse.Namespace, ctx: CliContext) -> int:
    service = a.profiles(ctx)
    fields = a.given(args, *REGISTRATION_FIELDS[1:])
    registration = Registration(body=args.body.strip(), **fields)
    profile = service.add_registration(registration)
    added = _registration_text(registration)
    ctx.print(f"Added registration {len(profile.registrations)}: {added}")
    return 0


def run_registration_list(args: argparse.Namespace, ctx: CliContext) -> int:
    profile = a.profiles(ctx).profile()
    if args.format == "json":
        ctx.print(json.dumps(encode(profile)["registrations"], indent=2, ensure_ascii=False))
        return 0
    _print_registrations(ctx, profile)
    return 0


def run_registration_set(args: argparse.Namespace, ctx: CliContext) -> int:
    changes = a.given(args, *REGISTRATION_FIELDS)
    if "body" in changes:
        changes["body"] = changes["body"].strip()
    profile = a.profiles(ctx).change_registration(args.row, **changes)
    changed = profile.registrations[args.row - 1]
    ctx.print(f"Changed registration {args.row}: {_registration_text(changed)}")
    return 0


def run_registration_remove(args: argparse.Namespace, ctx: CliContext) -> int:
    service = a.profiles(ctx)
    gone = _registration_text(_row(service.profile().registrations, args.row))
    service.remove_registration(args.row)
    ctx.print(f"Removed registration {args.row}: {gone}")
    return 0


# --- text --------------------------------------------------------------------------------------


def _organisation(service: ProfileService, args: argparse.Namespace) -> str | None:
    name = getattr(args, "organisation", None)
    return a.resolve(service, RecordKind.ORGANISATION, name, "--organisation")


def _row(rows: tuple[Any, ...], number: int) -> Any:
    """Row ``number`` of a profile's list, checked as the service checks it."""
    if not 1 <= number <= len(rows):
        return None
    return rows[number - 1]


def _print_roles(ctx: CliContext, service: ProfileService, profile: Profile) -> None:
    if not profile.roles:
        ctx.print("  none yet (add one with: logbook-cli role add TITLE --from DATE)")
    for n, spell in enumerate(profile.roles, 1):
        ctx.print(f"  {n}. {_role_text(service, spell)}")


def _print_registrations(ctx: CliContext, profile: Profile) -> None:
    if not profile.registrations:
        ctx.print("  none yet (add one with: logbook-cli registration add BODY --renewal DATE)")
    for n, registration in enumerate(profile.registrations, 1):
        ctx.print(f"  {n}. {_registration_text(registration)}")


def _role_text(service: ProfileService, spell: RoleSpell | None) -> str:
    if spell is None:
        return ""
    until = f" to {a.show_day(spell.end)}" if spell.end else " (current)"
    text = f"{spell.title}, from {a.show_day(spell.start)}{until}"
    if spell.organisation_uid:
        organisation = service.records.get(RecordKind.ORGANISATION, spell.organisation_uid)
        text += f", at {getattr(organisation, 'name', '')}"
    return text


def _registration_text(registration: Registration | None) -> str:
    if registration is None:
        return ""
    parts = [registration.body]
    if registration.number:
        parts.append(registration.number)
    if registration.registered_on:
        parts.append(f"since {a.show_day(registration.registered_on)}")
    parts.append(f"renews {a.show_day(registration.renewal_date, 'on a date not set')}")
    if registration.indemnity:
        parts.append(f"indemnity: {registration.indemnity.label.lower()}")
    if registration.indemnity_provider:
        parts.append(f"provider {registration.indemnity_provider}")
    return ", ".join(parts)
