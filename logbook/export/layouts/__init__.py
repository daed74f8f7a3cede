"""The layouts a portfolio can take, one module each, and the registry that lists them.

- ``portfolio``: every section (summary with charts, requirement status, each log, sign-offs).
- ``supervision``: the BABCP Clinical Supervision Logbook / BACP supervision record.
- ``nmc``: practice hours, CPD, feedback, reflective accounts, discussion, confirmation.
- ``hcpc``: practice summary, statement material and a dated activity list with gaps.
- ``mindfulness``: courses, supervision per course, retreats, practice, pathway.
- ``bacp``: BACP individual accreditation: supervised practice before and after qualifying,
  hours not counted, supervision arrangements and month by month, CPD, supervisors' boxes.
"""

from __future__ import annotations

from logbook.export.layouts.bacp import BacpAccreditationRenderer
from logbook.export.layouts.hcpc import HcpcCpdProfileRenderer
from logbook.export.layouts.mindfulness import MindfulnessTeacherRenderer
from logbook.export.layouts.nmc import NmcRevalidationRenderer
from logbook.export.layouts.portfolio import GenericPortfolioRenderer
from logbook.export.layouts.supervision import SupervisionLogRenderer
from logbook.export.renderer import LayoutRenderer

# Every layout by its key (as on the command line), in the order menus list them.
LAYOUTS: dict[str, type[LayoutRenderer]] = {
    renderer.key: renderer
    for renderer in (
        GenericPortfolioRenderer,
        SupervisionLogRenderer,
        NmcRevalidationRenderer,
        HcpcCpdProfileRenderer,
        MindfulnessTeacherRenderer,
        BacpAccreditationRenderer,
    )
}


def layout_titles() -> list[tuple[str, str, str]]:
    """(key, title, description) of every layout, for menus and ``--help``."""
    return [(key, layout.title, layout.description) for key, layout in LAYOUTS.items()]


__all__ = [
    "LAYOUTS",
    "BacpAccreditationRenderer",
    "GenericPortfolioRenderer",
    "HcpcCpdProfileRenderer",
    "LayoutRenderer",
    "MindfulnessTeacherRenderer",
    "NmcRevalidationRenderer",
    "SupervisionLogRenderer",
    "layout_titles",
]
