"""A small real volume to fill: the tests and the fault matrix run the app against a full disk.

Mounting needs root; ``tmpfs`` raises ``PermissionError`` without it, so tests can skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def tmpfs(size_mb: int) -> Iterator[Path]:
    """A fresh tmpfs volume of ``size_mb`` MB, unmounted and removed afterwards.

    Raises:
        PermissionError: it could not be mounted (not root).
    """
    mount = Path(tempfile.mkdtemp(prefix="logbook-volume-"))
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mb}M", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        shutil.rmtree(mount, ignore_errors=True)
        raise PermissionError("mounting a small volume needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
        shutil.rmtree(mount, ignore_errors=True)


def free_kb(volume: Path) -> int:
    stat = os.statvfs(volume)
    return stat.f_bavail * stat.f_frsize // 1024


def leave_free(volume: Path, kb: int) -> None:
    """Fill the volume with a file named ``filler`` so that ``kb`` KB stay free."""
    with (volume / "filler").open("wb") as out:
        out.write(b"\0" * max(0, free_kb(volume) - kb) * 1024)
