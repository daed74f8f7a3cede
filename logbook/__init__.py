"""Practice Logbook: the professional record of the UK mental-health workforce."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("practice-logbook")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"
