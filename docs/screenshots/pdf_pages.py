"""Save a page of each PDF layout, exported from a demo logbook built for its body.

Run from the repository root:

    uv run python docs/screenshots/pdf_pages.py

Each layout is exported from the demo persona it is for, with the period its body asks about,
and the page that shows the body's own form best is saved as ``pdf-<layout>.png`` here.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

import pypdfium2

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from logbook.domain.periods import ALL_TIME  # noqa: E402
from logbook.services.demo import generate_demo  # noqa: E402
from logbook.services.export import ExportOptions, default_period, export_portfolio  # noqa: E402
from logbook.services.locations import DataLocation  # noqa: E402
from logbook.services.logbook import Logbook  # noqa: E402

TODAY = date(2026, 11, 30)
# (layout, the persona built for its body, the heading of the page to save)
PAGES = (
    ("portfolio", "pwp", "4  Practice"),
    ("supervision", "pwp", "1  Summary"),
    ("bacp", "counsellor", "6  Supervision month by month"),
    ("nmc", "nurse", "1  Revalidation summary"),
    ("hcpc", "hcpc", "4  Dated list of CPD activities"),
    ("mindfulness", "mindfulness", "2  Courses taught"),
)


def save_page(pdf: Path, heading: str, target: Path) -> None:
    """Render the first page after the contents whose text holds ``heading`` (else the third
    page) as a PNG."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        wanted = " ".join(heading.split())
        index = next(
            (
                i
                for i in range(2, len(document))
                if wanted in " ".join(document[i].get_textpage().get_text_range().split())
            ),
            2,
        )
        document[index].render(scale=1.4).to_pil().save(target)
    finally:
        document.close()
    print(f"saved {target.relative_to(HERE.parent.parent)}")


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        for layout, persona, heading in PAGES:
            root = Path(folder) / f"{layout}-{persona}"
            with Logbook.open(DataLocation(root)) as logbook:
                generate_demo(logbook, persona=persona, years=3, today=TODAY)
                chosen = default_period(layout, logbook.records.profile(), TODAY)
                period = chosen.period if chosen is not None else ALL_TIME
                pdf = root / f"{layout}.pdf"
                options = ExportOptions(period, layout=layout)
                export_portfolio(logbook, pdf, options, now=datetime(2026, 11, 30, 17, 0))
            save_page(pdf, heading, HERE / f"pdf-{layout}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
