"""Requirements of professional bodies as data, and the engine that checks them.

* ``model``: packs, rules, selectors and settings as frozen values;
* ``registry``: every rule kind with its reader, its check and how its findings are cut;
* ``loader``, ``readers``, ``tables``: reading a pack from TOML, with file, line and field for
  every problem;
* ``evidence``: the logbook's records indexed for checking;
* ``rules``: running the checks of a rule or a pack; ``checking`` holds what every check shares,
  and ``totals``, ``periods``, ``gaps``, ``spans`` and ``milestones`` the checks by family;
* ``credit``: group supervision credit formulas.
"""

from logbook.domain.requirements.evidence import Evidence
from logbook.domain.requirements.loader import load_folder, load_pack, parse_pack
from logbook.domain.requirements.model import Pack, PackSettings, Rule
from logbook.domain.requirements.rules import Context, check_rule, evaluate_pack, evaluate_rule
from logbook.domain.requirements.tables import PackError, PackProblem

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
