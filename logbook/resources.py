"""Finding the files shipped with the app (rule packs, icons, fonts) wherever it runs.

The same code runs from a source checkout (``<repo>/resources``), from an installed wheel (the
build copies ``resources`` into the package as ``logbook/resources``) and from a frozen
PyInstaller build (files unpacked under ``sys._MEIPASS``). The user guide and the documents it
links to live in ``<repo>/docs``; the builds ship them as ``resources/docs``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_roots() -> list[Path]:
    """The folders that may hold the shipped resources, most specific first."""
    roots = [_PACKAGE / "resources"]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        roots += [Path(frozen) / "logbook" / "resources", Path(frozen) / "resources"]
    roots.append(_PACKAGE.parent / "resources")
    return roots


def resource_root() -> Path:
    """The first folder of :func:`resource_roots` that exists.

    Raises:
        FileNotFoundError: no resource folder exists (a broken installation).
    """
    for root in resource_roots():
        if root.is_dir():
            return root
    searched = ", ".join(str(r) for r in resource_roots())
    raise FileNotFoundError(f"The app's resource folder is missing (looked in {searched})")


def resource_path(*parts: str) -> Path:
    """The path of a shipped resource, e.g. ``resource_path("packs", "bacp.toml")``.

    The first resource folder that holds the file wins; when none does, the path inside the
    first existing folder is returned so the caller's error names a sensible place.
    """
    for root in resource_roots():
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    return resource_root().joinpath(*parts)


def document_path(name: str) -> Path:
    """The path of a shipped document, e.g. ``document_path("user-guide.md")``: the copy in
    ``resources/docs`` of an installed or frozen app, else ``docs/`` of a source checkout."""
    for root in resource_roots():
        candidate = root / "docs" / name
        if candidate.exists():
            return candidate
    return _PACKAGE.parent / "docs" / name
