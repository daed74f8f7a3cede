"""Group supervision credit: how much of a group session counts for one supervisee.

Bodies differ. BACP counts half the time for groups of up to four supervisees and the time
divided by the group size for five or more; BABCP (in training) divides by the size and doubles
it; CWP clinical-skills groups count only with four supervisees at most and at least 30 minutes
each. A pack names its formula's parameters (``GroupCredit``); this module applies them.
"""

from __future__ import annotations

from logbook.domain.choices import SupervisionFormat, SupervisionType
from logbook.domain.records import SupervisionSession
from logbook.domain.requirements.model import GroupCredit
from logbook.domain.requirements.text import hm


def credit_minutes(session: SupervisionSession, formula: GroupCredit) -> tuple[float, str]:
    """The minutes of ``session`` that count under ``formula``, and how they were worked out.

    The note is empty when the session counts in full as an individual session.
    """
    minutes = float(session.duration_minutes)
    if session.format is not SupervisionFormat.GROUP:
        return minutes, ""
    contracted = formula.count_contracted and bool(session.group_contracted_size)
    size = session.group_contracted_size if contracted else session.group_size
    peer = " (peer group: everyone present counts)" if _is_peer(session) else ""
    if not size:
        return 0.0, "group size not recorded, so the session cannot be credited"
    if contracted:
        peer = f" contracted{peer}"
    whole = hm(minutes)
    if formula.max_group_size is not None and size > formula.max_group_size:
        return 0.0, (
            f"group of {size}{peer}: groups of more than {formula.max_group_size} "
            "supervisees do not count"
        )
    if formula.min_minutes_each is not None and minutes / size < formula.min_minutes_each:
        return 0.0, (
            f"group of {size}{peer}: {whole} gives {hm(minutes / size)} each, less than the "
            f"{formula.min_minutes_each} minutes per supervisee that count"
        )
    if formula.small_group_max is not None and size <= formula.small_group_max:
        credited = minutes * formula.small_group_share
        share = "half" if formula.small_group_share == 0.5 else f"{formula.small_group_share:g} ×"
        return credited, (
            f"group of {size}{peer} ({formula.small_group_max} or fewer): "
            f"{share} the time, {whole} → {hm(credited)}"
        )
    if formula.divide_by_size:
        credited = min(minutes, minutes * formula.multiplier / size)
        times = f" × {formula.multiplier:g}" if formula.multiplier != 1 else ""
        return credited, f"group of {size}{peer}: {whole} ÷ {size}{times} → {hm(credited)}"
    return minutes, f"group of {size}{peer}: counts in full"


def _is_peer(session: SupervisionSession) -> bool:
    return session.supervision_type is SupervisionType.PEER
