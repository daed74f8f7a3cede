"""Practice Logbook: the professional record of the UK mental-health workforce.

``__version__`` is read from the installed package's metadata when first asked for: importing
``importlib.metadata`` takes longer than a whole command-line summary, and most commands never
show the version.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    __version__: str


@cache
def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("practice-logbook")
    except PackageNotFoundError:  # running from a source tree without installation
        return "0.0.0+source"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _installed_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
