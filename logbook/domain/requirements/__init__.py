"""Requirements of professional bodies as data, and the engine that checks them.

* ``model``: packs, rules, selectors and settings as frozen values;
* ``loader``: reading a pack from TOML, with file, line and field for every problem;
* ``evidence``: the logbook's records indexed for checking;
* ``rules``: the rule kinds as pure functions returning findings;
* ``credit``: group supervision credit formulas.
"""

from logbook.domain.requirements.evidence import Evidence
from logbook.domain.requirements.loader import (
    PackError,
    PackProblem,
    load_folder,
    load_pack,
    parse_pack,
)
from logbook.domain.requirements.model import Pack, PackSettings, Rule
from logbook.domain.requirements.rules import Context, check_rule, evaluate_pack, evaluate_rule

__all__ = [
    "Context",
    "Evidence",
    "Pack",
    "PackError",
    "PackProblem",
    "PackSettings",
    "Rule",
    "check_rule",
    "evaluate_pack",
    "evaluate_rule",
    "load_folder",
    "load_pack",
    "parse_pack",
]
