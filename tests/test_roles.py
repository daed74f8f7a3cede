"""Each role's own words: a peer support worker's log is never "clinical supervision"."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pypdf
import pytest

from logbook.domain.periods import Period
from logbook.domain.records import Profile, RoleSpell
from logbook.domain.roles import Role, role_of, words_for
from logbook.services.demo import generate_demo
from logbook.services.export import ExportOptions, export_portfolio
from tests.signoff_support import open_book


def _profile(*titles: str, packs: tuple[str, ...] = ()) -> Profile:
    spells = tuple(
        RoleSpell(title=title, start=date(2020 + n, 1, 1)) for n, title in enumerate(titles)
    )
    return Profile(name="Sam Carter", roles=spells, followed_packs=packs)


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Peer support worker", Role.PEER),
        ("Lived experience practitioner", Role.PEER),
        ("Trainee PWP", Role.PWP),
        ("Psychological wellbeing practitioner", Role.PWP),
        ("Children's wellbeing practitioner", Role.PWP),
        ("Mental health and wellbeing practitioner", Role.MHWP),
        ("Registered mental health nurse", Role.NURSE),
        ("CPN", Role.NURSE),
        ("Mindfulness teacher", Role.MINDFULNESS),
        ("Mindfulness therapist", Role.MINDFULNESS),
        ("High-intensity CBT therapist", Role.CBT),
        ("Counsellor", Role.COUNSELLOR),
        ("Integrative psychotherapist", Role.COUNSELLOR),
        ("Support planner", Role.GENERAL),
    ],
)
def test_a_role_title_gives_its_words(title: str, role: Role) -> None:
    assert role_of(_profile(title)) is role


def test_the_newest_role_decides_and_packs_speak_when_no_role_does() -> None:
    assert role_of(_profile("Peer support worker", "Trainee PWP")) is Role.PWP
    assert role_of(_profile(packs=("bacp_accreditation",))) is Role.COUNSELLOR
    assert role_of(_profile(packs=("nmc_revalidation",))) is Role.NURSE
    assert role_of(_profile()) is Role.GENERAL


def test_a_peer_workers_supervision_log_is_theirs_not_clinical(tmp_path: Path) -> None:
    with open_book(tmp_path / "peer") as book:
        generate_demo(book, persona="peer", years=1, today=date(2026, 4, 30))
        profile = book.records.profile()
        assert profile is not None
        assert role_of(profile) is Role.PEER
        options = ExportOptions(Period(date(2025, 5, 1), date(2026, 4, 30)), layout="supervision")
        export_portfolio(book, tmp_path / "peer.pdf", options)
        portfolio = ExportOptions(Period(date(2025, 5, 1), date(2026, 4, 30)))
        export_portfolio(book, tmp_path / "portfolio.pdf", portfolio)
    log = " ".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "peer.pdf").pages)
    log = re.sub(r"\s+", " ", log)
    assert "Supervision and support log" in log
    assert "clinical supervision" not in log.casefold()
    whole = " ".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "portfolio.pdf").pages)
    whole = re.sub(r"\s+", " ", whole)
    assert f"{words_for(profile).practice_log}: what happened, never with whom" in whole
    assert "people supported are never identified" in whole
