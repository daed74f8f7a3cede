"""``logbook-cli``: global options, then a subcommand.

Each command module registers its subparser and sets ``handler``; a handler returns the exit
status. User errors print one clear message to stderr and exit 1; usage errors exit 2.

Building the parser loads no service: the command modules import what their handlers use inside
the handlers, and a command whose options are listed by a service adds them only when it is
used (``arguments.CommandParser``). ``bench/bench_cli.py`` times the start.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from logbook.cli import (
    backup,
    exchange,
    export,
    packs,
    people,
    profile,
    records,
    reminders,
    signoff,
    status,
    verify,
)
from logbook.cli.arguments import CommandParser
from logbook.cli.context import CliContext
from logbook.domain.errors import LogbookError
from logbook.services.locations import ENV_DATA_DIR, resolve_location

COMMANDS: list[ModuleType] = [
    records,
    exchange,
    export,
    backup,
    signoff,
    status,
    reminders,
    profile,
    people,
    packs,
    verify,
]


class _Version(argparse._VersionAction):
    """``--version``, reading the version only when asked (see ``logbook.__version__``)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        from logbook import __version__

        self.version = f"%(prog)s {__version__}"
        super().__call__(parser, *args, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="logbook-cli",
        description="Practice Logbook on the command line: set up, log, list, import, export, "
        "check.",
    )
    parser.add_argument("--version", action=_Version)
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"folder of the logbook (default: ${ENV_DATA_DIR} or your user data folder)",
    )
    where.add_argument(
        "--temp-data-dir", action="store_true", help="use a new throwaway folder (demos, tests)"
    )
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=CommandParser
    )
    for module in COMMANDS:
        module.register(sub)
    return parser


# The exit status of a command stopped by a problem in the app or its data (sysexits.h).
EX_SOFTWARE = 70


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    context = CliContext(resolve_location(args.data_dir, temporary=args.temp_data_dir))
    try:
        return int(args.handler(args, context))
    except LogbookError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: nothing was changed by the unfinished command", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Whoever read the output stopped early (``| head``); say nothing more to them.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as error:  # never a traceback: say what happened and what to do
        from logbook.services.failures import in_words

        print(
            f"error: an unexpected problem stopped the command: {in_words(error)}. Every "
            "change is saved in one piece, so nothing was half-saved. If the logbook file was "
            "edited outside the app, `logbook-cli check` lists what it cannot read.",
            file=sys.stderr,
        )
        return EX_SOFTWARE
    finally:
        context.close()


if __name__ == "__main__":
    sys.exit(main())
