"""``logbook-cli`` run in this process, through ``main(argv)``: the function the console script
calls, so the same parsing, messages and exit statuses, without the second a new Python process
takes to start. Tests of what only a separate process shows (the module run as a program, no
terminal to ask a passphrase on) start one themselves."""

from __future__ import annotations

import io
import sys
from collections.abc import Mapping
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest

from logbook.cli.main import main


@dataclass(frozen=True)
class Ran:
    """What one command printed and its exit status, named as ``subprocess`` names them."""

    returncode: int
    stdout: str
    stderr: str


class RunCli(Protocol):
    def __call__(
        self, *args: str | Path, data: Path | None = None, env: Mapping[str, str] | None = None
    ) -> Ran: ...


def run_cli(
    *args: str | Path, data: Path | None = None, env: Mapping[str, str] | None = None
) -> Ran:
    """``logbook-cli [--data-dir DATA] ARGS…`` with ``env`` added to the environment for this
    command only, and nothing to read on stdin (no terminal, as for a script or a scheduled job).

    An exception the command does not turn into a message and an exit status is raised here,
    so the test fails on it as a user would see a traceback.
    """
    argv = [*(["--data-dir", str(data)] if data is not None else []), *map(str, args)]
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        patch.setattr(sys, "stdin", io.StringIO())
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as stop:  # argparse: --help, --version or a usage error
                code = _exit_status(stop, err)
    return Ran(code, out.getvalue(), err.getvalue())


def _exit_status(stop: SystemExit, err: io.StringIO) -> int:
    """The status ``sys.exit(value)`` gives a process (a message is printed, and means 1)."""
    if stop.code is None:
        return 0
    if isinstance(stop.code, int):
        return stop.code
    print(stop.code, file=err)
    return 1
