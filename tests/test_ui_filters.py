"""Filters and search on a list give the right rows and the right totals line."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from logbook.domain.choices import Direction, SupervisionType
from logbook.domain.durations import hours
from logbook.domain.periods import Period
from logbook.domain.records import (
    Organisation,
    Person,
    Profile,
    RecordKind,
    Registration,
    SupervisionSession,
)
from logbook.domain.signoff import SignoffState
from logbook.services.logbook import Logbook
from logbook.ui.filters import registration_cycle
from logbook.ui.list_page import RecordListPage
from logbook.ui.models import RecordRole
from tests.ui_helpers import open_window

TODAY = date(2026, 6, 15)


class Diary:
    """A supervisee's year: two supervisors in two organisations, sessions of each type."""

    def __init__(self, logbook: Logbook) -> None:
        self.charity = Organisation(name="Leeds Mind", employer=True, supervising=True)
        self.trust = Organisation(name="Leeds and York NHS Trust", supervising=True)
        self.amira = Person(name="Amira Shah", organisation_uid=self.trust.uid)
        self.ben = Person(name="Ben Okafor", organisation_uid=self.charity.uid)
        self.profile = Profile(
            name="Sam Rivera",
            registrations=(
                Registration(body="HCPC", number="PYL1", renewal_date=date(2027, 3, 1)),
            ),
        )

        def session(day: date, minutes: int, who: Person, **extra: object) -> SupervisionSession:
            return SupervisionSession(
                date=day,
                duration_minutes=minutes,
                counterpart_uid=who.uid,
                organisation_uid=who.organisation_uid,
                **extra,  # type: ignore[arg-type]
            )

        self.sessions = [
            session(date(2024, 11, 2), 60, self.amira, themes=("risk",)),
            session(date(2025, 2, 10), 90, self.ben, themes=("endings",)),
            session(
                date(2025, 7, 1), 60, self.amira, supervision_type=SupervisionType.CASE_MANAGEMENT
            ),
            session(date(2026, 1, 9), 45, self.ben, themes=("risk", "endings")),
            session(date(2026, 5, 30), 60, self.amira, themes=("formulation",)),
            session(
                date(2026, 6, 3), 75, self.ben, supervision_type=SupervisionType.CASE_MANAGEMENT
            ),
            session(date(2026, 6, 12), 50, self.amira, direction=Direction.GIVEN),
        ]
        logbook.records.create_many(
            [self.charity, self.trust, self.amira, self.ben, self.profile, *self.sessions]
        )

    def expected(self, keep: object) -> list[SupervisionSession]:
        found = [s for s in self.sessions if keep(s)]  # type: ignore[operator]
        return sorted(found, key=lambda s: (s.date, s.uid), reverse=True)


@pytest.fixture
def diary(logbook: Logbook) -> Diary:
    return Diary(logbook)


@pytest.fixture
def page(qtbot: QtBot, logbook: Logbook, diary: Diary) -> RecordListPage:
    window = open_window(qtbot, logbook)
    window.show_section("supervision")
    found = window.list_page(RecordKind.SUPERVISION)
    found.filters.set_today(TODAY)
    found.filters.set_profile(diary.profile)
    found.filters.reset()
    return found


def shown(page: RecordListPage) -> list[SupervisionSession]:
    rows = [page.model.index(r, 0).data(RecordRole) for r in range(page.model.rowCount())]
    return rows  # type: ignore[return-value]


def totals_line(sessions: list[SupervisionSession]) -> str:
    noun = "session" if len(sessions) == 1 else "sessions"
    minutes = sum(s.duration_minutes for s in sessions)
    return f"{len(sessions)} {noun}  ·  {hours(minutes)} hours"


def check(page: RecordListPage, expected: list[SupervisionSession]) -> None:
    assert shown(page) == expected
    assert page.totals.text().startswith(totals_line(expected))


def choose(combo: object, data: object) -> None:
    index = combo.findData(data)  # type: ignore[attr-defined]
    assert index >= 0, f"{data!r} is not offered"
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def test_everything_is_listed_newest_first_with_totals(page: RecordListPage, diary: Diary) -> None:
    check(page, diary.expected(lambda s: True))
    assert page.totals.text() == "7 sessions  ·  7.33 hours"


@pytest.mark.parametrize(
    ("preset", "period"),
    [
        ("month", Period(date(2026, 6, 1), date(2026, 6, 30))),
        ("last_month", Period(date(2026, 5, 1), date(2026, 5, 31))),
        ("year", Period(date(2026, 1, 1), date(2026, 12, 31))),
        ("12_months", Period(date(2025, 7, 1), date(2026, 6, 30))),
        # HCPC renews every two years: the cycle ends the day before the renewal date.
        ("cycle", Period(date(2025, 3, 1), date(2027, 2, 28))),
    ],
)
def test_period_presets(page: RecordListPage, diary: Diary, preset: str, period: Period) -> None:
    page.filters.set_period(preset)
    check(page, diary.expected(lambda s: period.contains(s.date)))
    assert period.describe() in page.totals.text()


def test_custom_period(page: RecordListPage, diary: Diary) -> None:
    page.filters.set_custom_period(date(2025, 1, 1), date(2025, 12, 31))
    assert page.filters.start_edit is not None
    assert page.filters.start_edit.isVisible()
    check(page, diary.expected(lambda s: s.date.year == 2025))


def test_type_person_organisation_and_direction(page: RecordListPage, diary: Diary) -> None:
    filters = page.filters
    assert filters.subtype is not None
    assert filters.person is not None
    assert filters.organisation is not None
    assert filters.direction is not None

    choose(filters.subtype, SupervisionType.CASE_MANAGEMENT.value)
    check(page, diary.expected(lambda s: s.supervision_type is SupervisionType.CASE_MANAGEMENT))
    filters.reset()

    choose(filters.person, diary.ben.uid)
    check(page, diary.expected(lambda s: s.counterpart_uid == diary.ben.uid))
    assert "Ben Okafor" in page.totals.text()

    choose(filters.organisation, diary.trust.uid)  # Ben and the trust: nothing
    check(page, [])
    assert page.view.empty_text == "No sessions match these filters."
    filters.reset()

    choose(filters.organisation, diary.trust.uid)
    choose(filters.direction, "received")
    check(
        page,
        diary.expected(
            lambda s: s.organisation_uid == diary.trust.uid and s.direction is Direction.RECEIVED
        ),
    )
    filters.reset()
    check(page, diary.expected(lambda s: True))


def test_search_by_theme_and_by_supervisor_name(
    qtbot: QtBot, page: RecordListPage, diary: Diary
) -> None:
    search = page.filters.search
    search.setFocus()
    with qtbot.waitSignal(page.filters.changed, timeout=2000):
        qtbot.keyClicks(search, "end")  # words match from their start
    check(page, diary.expected(lambda s: "endings" in s.themes))

    search.clear()
    with qtbot.waitSignal(page.filters.changed, timeout=2000):
        qtbot.keyClicks(search, "amira risk")  # every word must match
    check(
        page,
        diary.expected(lambda s: s.counterpart_uid == diary.amira.uid and "risk" in s.themes),
    )
    assert "matching “amira risk”" in page.totals.text()

    # Escape clears the search at once.
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == ""
    check(page, diary.expected(lambda s: True))


def test_search_combines_with_the_period(qtbot: QtBot, page: RecordListPage, diary: Diary) -> None:
    page.filters.set_period("year")
    page.filters.search.setText("risk")
    qtbot.keyClick(page.filters.search, Qt.Key.Key_Return)
    check(page, diary.expected(lambda s: s.date.year == 2026 and "risk" in s.themes))


def test_sign_off_status_filter(
    qtbot: QtBot, logbook: Logbook, page: RecordListPage, diary: Diary
) -> None:
    combo = page.filters.signoff
    assert combo is not None, "the sign-off filter is offered on supervision"
    choose(combo, SignoffState.AWAITING.value)
    check(page, [])  # nothing has been sent for signing yet
    choose(combo, SignoffState.UNSIGNED.value)
    check(page, diary.expected(lambda s: True))


def test_a_newly_added_session_appears_in_the_filtered_list(
    logbook: Logbook, page: RecordListPage, diary: Diary
) -> None:
    page.filters.set_period("month")
    window = page.window()
    new = SupervisionSession(
        date=date(2026, 6, 14), duration_minutes=30, counterpart_uid=diary.ben.uid
    )
    window.history.create([new])  # type: ignore[attr-defined]
    june = [new, *diary.expected(lambda s: s.date >= date(2026, 6, 1))]
    check(page, sorted(june, key=lambda s: (s.date, s.uid), reverse=True))
    assert page.current_record() == new


def test_registration_cycle_uses_the_next_renewal() -> None:
    profile = Profile(
        name="Sam",
        registrations=(
            Registration(body="BACP", renewal_date=date(2026, 9, 30)),
            Registration(
                body="NMC", renewal_date=date(2028, 1, 31), registered_on=date(2026, 2, 1)
            ),
        ),
    )
    found = registration_cycle(profile, date(2026, 6, 15))
    assert found is not None
    registration, period = found
    assert registration.body == "BACP"
    assert period == Period(date(2025, 9, 30), date(2026, 9, 29))
    # After the BACP renewal, the NMC cycle (three years) is next, from registration.
    registration, period = registration_cycle(profile, date(2026, 10, 1))  # type: ignore[misc]
    assert registration.body == "NMC"
    assert period == Period(date(2026, 2, 1), date(2028, 1, 30))
    assert registration_cycle(Profile(name="Sam"), date(2026, 1, 1)) is None
