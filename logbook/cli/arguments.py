"""What the set-up commands (``profile``, ``role``, ``registration``, ``organisation``,
``person``, ``packs``, ``leave``) share: typed values, examples under ``--help``, names
resolved to records, and the errors a user can act on.

Options that change something default to ``argparse.SUPPRESS``, so a handler sees only the
options that were typed and leaves every other field as it was.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import TYPE_CHECKING, Any

from logbook.cli.context import CliContext
from logbook.domain.dates import parse_date, short_date
from logbook.domain.errors import LogbookError, NotFoundError
from logbook.domain.records import RecordKind

if TYPE_CHECKING:
    from logbook.services.profile import ProfileService

Handler = Callable[[argparse.Namespace, CliContext], int]
Preparation = Callable[[argparse.ArgumentParser], None]

# Words that clear an optional date or reference ("--to none": the role is current).
CLEAR_WORDS = {"none", "-", ""}
# Full time, for a working pattern typed in days or hours a week (NHS Agenda for Change).
FULL_TIME_DAYS = 5
FULL_TIME_HOURS = 37.5
CREATE_PROFILE = 'logbook-cli profile set --name "Your Name"'


class CommandParser(argparse.ArgumentParser):
    """The parser of a command, whose options may be added only when the command is used.

    A command whose options are listed from a service (the layouts of ``export-pdf``, the
    personas of ``demo``) gives ``prepare``, a function adding its arguments: that service is
    then imported when the command is run or its ``--help`` shown, not whenever the command
    line starts.
    """

    def __init__(self, *args: Any, prepare: Preparation | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._prepare = prepare

    def _prepared(self) -> None:
        if self._prepare is not None:
            prepare, self._prepare = self._prepare, None
            prepare(self)

    def parse_known_args(self, *args: Any, **kw: Any) -> Any:
        """Add the command's arguments if not yet added, then parse as argparse does."""
        self._prepared()
        return super().parse_known_args(*args, **kw)

    def format_usage(self) -> str:
        """The usage line, with the command's arguments added first if not yet added."""
        self._prepared()
        return super().format_usage()

    def format_help(self) -> str:
        """The command's ``--help``, with its arguments added first if not yet added."""
        self._prepared()
        return super().format_help()


def command(sub: Any, name: str, summary: str, examples: str, **options: Any) -> Any:
    """A subcommand whose ``--help`` ends with worked examples, kept as written."""
    return sub.add_parser(
        name,
        help=summary,
        description=options.pop("description", summary[0].upper() + summary[1:] + "."),
        epilog="examples:\n" + examples.strip("\n"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        **options,
    )


def actions(parser: Any) -> Any:
    return parser.add_subparsers(dest="action", metavar="ACTION", required=True)


def action(commands: Any, name: str, summary: str, *examples: str, **options: Any) -> Any:
    """One action of a command (``person add``), with its examples under ``--help``."""
    return command(commands, name, summary, "\n".join(f"  {e}" for e in examples), **options)


def format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["text", "json"], default="text")


def day(text: str) -> date:
    """A typed date, read day first as in the UK (25/11/2026, 25 Nov 2026, 2026-11-25)."""
    try:
        return parse_date(text, date.today())
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def day_or_none(text: str) -> date | None:
    """A date, or ``none`` to clear one."""
    return None if text.strip().lower() in CLEAR_WORDS else day(text)


def name_or_none(text: str) -> str | None:
    return None if text.strip().lower() in CLEAR_WORDS else text


def text_list(text: str) -> tuple[str, ...]:
    """``"adults; older adults"`` as two items; an empty text clears the list."""
    return tuple(item.strip() for item in text.split(";") if item.strip())


def number(text: str) -> int:
    """A row number as ``list`` shows it (1 is the first)."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a row number (1, 2, …) from the list")
    return int(text)


def working_fraction(text: str) -> float:
    """A share of full time: ``0.6``, ``60%``, ``3 days`` (of 5) or ``22.5 hours`` (of 37.5)."""
    typed = text.strip().lower()
    if typed in ("full time", "full-time", "full"):
        return 1.0
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(%|days?|d|hours?|hrs?|h)?", typed)
    if match is None:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a working pattern: give 0.6, 60%, '3 days' or '22.5 hours'"
        )
    value, unit = float(match[1]), (match[2] or "")[:1]
    divisor = {"%": 100, "d": FULL_TIME_DAYS, "h": FULL_TIME_HOURS}.get(unit, 1)
    fraction = round(value / divisor, 4)
    if not 0 < fraction <= 1:
        raise argparse.ArgumentTypeError(
            f"'{text}' is {fraction:g} of full time: it must be more than 0 and at most full time"
        )
    return fraction


def given(args: argparse.Namespace, *names: str) -> dict[str, Any]:
    """The options among ``names`` that were typed (see the module note)."""
    return {name: getattr(args, name) for name in names if hasattr(args, name)}


def profiles(ctx: CliContext) -> ProfileService:
    from logbook.services.profile import ProfileService

    logbook = ctx.open()
    return ProfileService(logbook.records, logbook.requirements)


def resolve(service: ProfileService, kind: RecordKind, name: str | None, option: str) -> str | None:
    """The id of the person or organisation ``option`` names (None stays None).

    Raises:
        LogbookError: no such name, or more than one; the message names the option.
    """
    if name is None:
        return None
    try:
        return service.find(kind, name).uid
    except NotFoundError as error:
        hint = f'\n(add it with: logbook-cli {kind.value} add "{name.strip()}")'
        missing = str(error).startswith("no ")
        raise LogbookError(f"{option}: {error}{hint if missing else ''}") from None


def friendly(handler: Handler) -> Handler:
    """Turn the set-up errors that need a next step into messages that give it."""

    @wraps(handler)
    def run(args: argparse.Namespace, ctx: CliContext) -> int:
        from logbook.services.privacy import CLI_HINT, IdentifiersFoundError
        from logbook.services.profile import NoProfileError

        try:
            return handler(args, ctx)
        except NoProfileError:
            raise LogbookError(
                f"There is no profile yet: create it first with {CREATE_PROFILE}"
            ) from None
        except IdentifiersFoundError as error:
            raise error.with_hint(CLI_HINT) from None

    return run


def show_day(value: date | None, blank: str = "not set") -> str:
    """A date as running text shows it: ``25 Nov 2026``."""
    return short_date(value) if value else blank
