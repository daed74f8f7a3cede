"""The BACP accreditation record, exported from the counsellor demo logbook and read back: its
sections, the supervision arrangements, the month-by-month grid against the requirement results,
practice before and after qualifying, the hours not counted and why, and BACP's group formula.

Every figure the test compares is worked out here from the records (or read from the
requirement results), never with the layout's own code.
"""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest

from logbook.domain.choices import PracticeActivity, SupervisionFormat, SupervisionType
from logbook.domain.findings import PackResult, RuleResult, Status
from logbook.domain.periods import Period, add_months
from logbook.domain.records import PracticeEntry, Profile, RecordKind, SupervisionSession
from logbook.domain.requirements.model import EveryPeriodParams
from logbook.export.layouts import LAYOUTS
from logbook.services.demo import generate_demo
from logbook.services.export import ExportOptions, export_portfolio
from logbook.services.logbook import Logbook
from tests.signoff_support import open_book

PACK = "bacp_accreditation"
# The work BACP does not count (docs/layouts.md, "BACP accreditation").
EXCLUDED = {
    PracticeActivity.ASSESSMENT,
    PracticeActivity.HELPLINE,
    PracticeActivity.COUNSELLING_SKILLS,
    PracticeActivity.GUIDED_SELF_HELP,
    PracticeActivity.TEXT_OR_EMAIL,
}
DAY = r"\d\d [A-Z][a-z]{2} \d{4}"
MONTH_LINE = re.compile(
    r"^\s*([A-Z][a-z]{2} \d{4})\s+(\d+\.\d\d)\s+(\d+\.\d\d)\s+(\d+\.\d\d|–)\s+(Yes|No|Running|–)"
)


@dataclass(frozen=True)
class Exported:
    """The counsellor's logbook as read after the export, and the PDF's text by section: as
    laid out (a table's rows on lines) and in reading order (each cell's words together)."""

    today: date
    period: Period
    profile: Profile
    qualified_on: date
    practice: list[PracticeEntry]
    received: list[SupervisionSession]
    results: PackResult
    formula: str
    text: str
    sections: dict[str, str]
    plain: dict[str, str]

    def rule(self, rule_id: str) -> RuleResult:
        return next(r for r in self.results.rules if r.rule_id == rule_id)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exported]:
    folder = tmp_path_factory.mktemp("bacp")
    today = date.today()
    period = Period(add_months(today, -72), today)  # BACP's six years, up to the day of export
    with open_book(folder / "logbook") as book:
        generate_demo(book, persona="counsellor", years=3, today=today)
        options = ExportOptions(period, layout="bacp", entry_by_entry=True)
        export_portfolio(book, folder / "bacp.pdf", options)
        yield read_back(book, folder / "bacp.pdf", today, period)


def read_back(book: Logbook, path: Path, today: date, period: Period) -> Exported:
    """What the logbook holds and what the PDF says."""
    profile = book.records.profile()
    assert profile is not None
    qualified = book.requirements.settings(PACK).qualified_on
    assert qualified is not None
    practice = [
        r
        for r in book.records.all(RecordKind.PRACTICE)
        if isinstance(r, PracticeEntry) and period.contains(r.date)
    ]
    received = [
        r
        for r in book.records.all(RecordKind.SUPERVISION)
        if isinstance(r, SupervisionSession) and period.contains(r.date)
    ]
    [results] = book.requirements.evaluate(period, [PACK])
    monthly = next(r for r in book.requirements.pack(PACK).rules if r.id == "monthly-supervision")
    assert isinstance(monthly.params, EveryPeriodParams)
    text = pdf_text(path, "-layout")
    return Exported(
        today,
        period,
        profile,
        qualified,
        sorted(practice, key=lambda e: e.date),
        sorted(received, key=lambda s: s.date),
        results,
        flat(monthly.params.count.group_credit.description),
        text,
        by_section(text),
        {title: flat(words) for title, words in by_section(pdf_text(path, "-raw")).items()},
    )


def pdf_text(path: Path, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def by_section(text: str) -> dict[str, str]:
    """The text under each numbered section heading of the body, by its title."""
    titles = [s.title for s in LAYOUTS["bacp"].sections()]
    lines = text.splitlines()
    starts = []
    for number, title in enumerate(titles, 1):
        found = [i for i, line in enumerate(lines) if line.strip() == f"{number} {title}"]
        assert found, f"no heading {number} {title}"
        starts.append(found[0])
    ends = [*starts[1:], len(lines)]
    return {title: "\n".join(lines[a:b]) for title, a, b in zip(titles, starts, ends, strict=True)}


def flat(text: str) -> str:
    return " ".join(text.split())


def hours(minutes: float) -> str:
    return f"{minutes / 60:.2f}"


def counted(entry: PracticeEntry) -> bool:
    """Whether BACP counts the entry: supervised, attended, and of a kind it counts."""
    return entry.supervised and not entry.did_not_attend and entry.activity not in EXCLUDED


def credit(session: SupervisionSession) -> float:
    """BACP's group formula, worked by hand: half the time for four supervisees or fewer, the
    time divided by the group for five or more, counting those contracted to the group (those
    present when no number contracted is recorded)."""
    minutes = float(session.duration_minutes)
    if session.format is not SupervisionFormat.GROUP:
        return minutes
    size = session.group_contracted_size or session.group_size or 0
    return minutes / 2 if size <= 4 else minutes / size


def spoken_minutes(words: str) -> int:
    """ "568 h 20 min" as minutes."""
    hours_part = re.search(r"(\d+) h", words)
    minutes_part = re.search(r"(\d+) min", words)
    return 60 * int(hours_part[1] if hours_part else 0) + int(
        minutes_part[1] if minutes_part else 0
    )


# --- the document --------------------------------------------------------------------------------


def test_every_section_is_headed_in_order(exported: Exported) -> None:
    sections = LAYOUTS["bacp"].sections()
    assert [s.key for s in sections][-1] == "entries"  # the appendix was asked for
    assert list(exported.sections) == [s.title for s in sections]
    assert "BACP accreditation record" in exported.text
    assert f"Qualified on {exported.qualified_on:%d %b %Y}" in exported.plain["Summary"]
    assert exported.profile.qualified_on == exported.qualified_on


def test_each_supervision_arrangement_is_listed_with_its_group_sizes(exported: Exported) -> None:
    section = exported.plain["Supervision arrangements"]
    arrangements: dict[str, list[SupervisionSession]] = defaultdict(list)
    for session in exported.received:
        assert session.arrangement  # the demo names every arrangement
        arrangements[session.arrangement].append(session)
    assert f"{len(arrangements)} supervision arrangements" in section
    groups = [found for found in arrangements.values() if found[0].format == "group"]
    assert len(groups) >= 3  # a small group, a large one, and a supervisor's second arrangement
    for name, found in arrangements.items():
        assert name in section
        first, last = found[0].date, found[-1].date
        assert f"{first:%d %b %Y} – {last:%d %b %Y}" in section
    for found in groups:
        [contracted] = {s.group_contracted_size for s in found}
        present = sorted({s.group_size for s in found if s.group_size})
        assert f"Group of {contracted} contracted ({present[0]}–{present[-1]} present)" in section
    line = [f for f in arrangements.values() if f[0].supervision_type is SupervisionType.MANAGEMENT]
    assert line
    assert "Not counted by the BACP pack" in section


def test_the_month_grid_adds_up_to_the_records_and_the_requirement_results(
    exported: Exported,
) -> None:
    section = exported.sections["Supervision month by month"]
    rows = [m.groups() for line in section.splitlines() if (m := MONTH_LINE.match(line))]
    total = re.search(r"All months\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+) of (\d+)", section)
    assert rows
    assert total

    practice = [e for e in exported.practice if counted(e)]
    assert total[1] == hours(sum(e.duration_minutes for e in practice))
    pack_total = exported.rule("supervised-practice-hours").findings[0].actual
    assert pack_total is not None
    assert total[1] == f"{pack_total:.2f}"
    assert total[2] == hours(sum(s.duration_minutes for s in exported.received))

    # Credited: the formula worked by hand, with the supervisees contracted to each group, in
    # each month the pack checked; a month meets the minimum on that credited time.
    findings = exported.rule("monthly-supervision").findings
    checked = [
        f
        for f in findings
        if f.status is not Status.NOT_APPLICABLE and f.period.overlaps(exported.period)
    ]
    credited = {
        f.period.start: sum(
            credit(s)
            for s in exported.received
            if f.period.contains(s.date) and s.supervision_type is not SupervisionType.MANAGEMENT
        )
        for f in checked
    }
    assert total[3] == hours(sum(credited.values()))
    ended = [f for f in checked if not f.in_progress]
    met = sum(credited[f.period.start] >= 90 for f in ended)
    assert (int(total[4]), int(total[5])) == (met, len(ended))

    # Each month's counted practice, by hand.
    for month, practised, _, _, _ in rows:
        first = datetime.strptime(month, "%b %Y").date()
        in_month = [e for e in practice if e.date.replace(day=1) == first]
        assert practised == hours(sum(e.duration_minutes for e in in_month)), month
    assert "No client work this month: on leave" in section  # the month away, as the pack has it


def test_practice_before_and_after_qualifying_adds_up(exported: Exported) -> None:
    section = exported.sections["Practice log (supervised client hours)"]
    figures = re.findall(r"(\d+\.\d\d)\s+(\d+\.\d\d)\s+(\d+\.\d\d)\s", section)
    *lines, (before, after, total) = [tuple(map(float, f)) for f in figures]
    assert len(lines) >= 3  # a setting on each placement, and the NHS after qualifying
    for line in (*lines, (before, after, total)):
        assert line[0] + line[1] == pytest.approx(line[2], abs=0.011)
    assert sum(line[2] for line in lines) == pytest.approx(total, abs=0.011 * len(lines))

    practice = [e for e in exported.practice if counted(e)]
    qualified = exported.qualified_on
    early = sum(e.duration_minutes for e in practice if e.date < qualified)
    late = sum(e.duration_minutes for e in practice if e.date >= qualified)
    assert (f"{before:.2f}", f"{after:.2f}") == (hours(early), hours(late))
    assert before > 0
    assert after > 0
    # The requirement result states the same hours after qualifying.
    explanation = exported.rule("supervised-practice-hours").findings[0].explanation
    stated = re.search(r"Of these, (.+?) after qualifying", explanation)
    assert stated
    assert spoken_minutes(stated[1]) == round(late)
    # Practice in more than one setting before qualifying and after.
    settings = {(e.date >= qualified, e.setting) for e in practice}
    assert len({s for after_, s in settings if not after_}) >= 2
    assert len({s for after_, s in settings if after_}) >= 2


def test_hours_not_counted_are_named_with_their_reason(exported: Exported) -> None:
    section = exported.sections["Hours not counted"]
    reasons = {
        "Assessment": "You cannot use hours completed through: assessment interviews",
        "Helpline": "You cannot use hours completed through: assessment interviews, helpline",
        "Counselling skills work": "helpline or counselling skills work",
        "Asynchronous text / email": "asynchronous support such as texting or email",
        "Did not attend": "no contact took place",
    }
    plain = exported.plain["Hours not counted"]
    for what, why in reasons.items():
        assert what in plain
        assert why in plain
    for activity in (
        PracticeActivity.ASSESSMENT,
        PracticeActivity.HELPLINE,
        PracticeActivity.COUNSELLING_SKILLS,
    ):
        found = [e for e in exported.practice if e.activity is activity and not e.did_not_attend]
        minutes = sum(e.duration_minutes for e in found)
        assert re.search(rf"{activity.label}\s+{len(found)}\s+{hours(minutes)}\s", plain)
    missed = [e for e in exported.practice if e.did_not_attend]
    assert re.search(rf"Did not attend\s+{len(missed)}\s+0\.00\s", section)
    appendix = exported.sections["Appendix: practice log entry by entry"]
    assert "Helpline" in appendix
    assert "Counted" in appendix


def test_the_bacp_group_formula_is_named_where_credit_is_shown(exported: Exported) -> None:
    for title in ("Supervision arrangements", "Supervision month by month"):
        section = exported.plain[title]
        assert "BACP group supervision credit." in section
        assert exported.formula in section
        assert re.search(
            r"Worked example, the session of .+?: \d+ contracted to the group, \d+ present: "
            r"group of \d+: .+ → ",
            section,
        )


def test_the_summary_states_the_pack_figures(exported: Exported) -> None:
    summary = exported.plain["Summary"]
    for rule in exported.results.rules:
        assert flat(rule.title) in summary
    hours_rule = exported.rule("supervised-practice-hours").findings[0]
    assert hours_rule.required is not None
    assert f"of {hours_rule.required:g} h" in summary
    months = exported.rule("monthly-supervision").findings
    ended = [f for f in months if f.status is not Status.NOT_APPLICABLE and not f.in_progress]
    met = sum(f.status is Status.MET for f in ended)
    assert f"{met} of {len(ended)} months met" in summary


def test_no_entry_is_dated_after_the_day_of_export(exported: Exported) -> None:
    assert exported.period.end == exported.today
    body = "\n".join(
        text for title, text in exported.sections.items() if title != "Requirement status"
    )
    days = [datetime.strptime(d, "%d %b %Y").date() for d in re.findall(DAY, body)]
    assert days
    assert max(days) <= exported.today
    months = [
        datetime.strptime(d, "%b %Y").date()
        for d in re.findall(r"^\s*([A-Z][a-z]{2} \d{4})\s", body, re.M)
    ]
    assert max(months) <= exported.today
