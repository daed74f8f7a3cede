"""The shipped packs load and are complete; a bad pack says which file, line and field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from logbook.domain.requirements import PackError, load_folder, load_pack, parse_pack
from logbook.domain.requirements.model import MilestonesParams
from logbook.resources import resource_path, resource_roots

PACK_FOLDER = resource_path("packs")
SHIPPED = sorted(PACK_FOLDER.glob("*.toml"))

# Every scheme the requirements issue lists, by the id its pack ships under.
EXPECTED = {
    "bacp_accreditation",
    "bacp_student",
    "babcp_accreditation",
    "babcp_pwp",
    "cwp_emhp",
    "nhs_tt_pwp",
    "nmc_revalidation",
    "hcpc_cpd",
    "ukcp_cpd",
    "bamba_teacher",
    "scottish_nhs_mindfulness",
    "mbct_nhs_tt",
    "mhwp_training",
    "pwp_training",
    "peer_support_induction",
    "conversion_training",
}


def test_every_listed_scheme_ships_a_pack():
    assert {path.stem for path in SHIPPED} >= EXPECTED


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_pack_loads_with_sources_and_descriptions(path: Path):
    pack = load_pack(path, shipped=True)
    assert pack.id == path.stem
    assert pack.title
    assert pack.description
    assert pack.rules
    for rule in pack.rules:
        assert rule.description.strip(), rule.id
        assert rule.source.title, rule.id
        assert rule.source.url.startswith(("https://", "http://")), rule.id
        assert rule.source.checked_on.year >= 2025, rule.id
        assert rule.line > 0


def test_the_folder_loads_without_errors():
    packs, errors = load_folder(PACK_FOLDER, shipped=True)
    assert errors == []
    assert len(packs) == len(SHIPPED)


def test_resources_are_found_from_the_package_or_the_checkout():
    roots = resource_roots()
    assert roots[0] == Path(__file__).resolve().parents[1] / "logbook" / "resources"
    assert PACK_FOLDER.is_dir()
    assert PACK_FOLDER.parent in roots


def test_pathways_have_their_stages_as_milestones():
    scottish = load_pack(PACK_FOLDER / "scottish_nhs_mindfulness.toml")
    stages = scottish.rule("pathway-stages").params
    assert isinstance(stages, MilestonesParams)
    assert stages.ordered
    assert stages.milestones[0].title.startswith("Participant")
    peer = load_pack(PACK_FOLDER / "peer_support_induction.toml")
    induction = peer.rule("induction-training").params
    assert isinstance(induction, MilestonesParams)
    titles = " ".join(m.title.lower() for m in induction.milestones)
    for topic in ("data protection", "safeguarding", "trauma", "breakaway", "facilitator", "lived"):
        assert topic in titles
    assert [r.kind for r in peer.rules] == ["milestones"]  # no numeric targets
    conversion = load_pack(PACK_FOLDER / "conversion_training.toml")
    routes = conversion.rules[0].params
    assert isinstance(routes, MilestonesParams)
    assert {m.route for m in routes.milestones} == {
        "course_participant",
        "mentoring",
        "nhs_therapist_training",
        "co_teaching",
    }


GOOD = """\
id = "my_service"
title = "My service"
body = "Local NHS trust"
description = "Supervision as our service asks."

[sources.policy]
title = "Supervision policy"
url = "https://example.org/policy"
checked_on = 2026-01-31

[[rules]]
id = "monthly"
kind = "every_period"
title = "Monthly supervision"
description = "One hour a month."
source = "policy"
every = "month"
minimum = 1
[rules.count]
records = "supervision"
"""


def test_a_good_pack_parses():
    pack = parse_pack(GOOD, "my_service.toml")
    assert pack.rule("monthly").line == 11


def _problems(document: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(PackError) as caught:
        parse_pack(document, "service.toml")
    return [(p.line, p.field, p.message) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "words"),
    [
        ('every = "month"', 'every = "monthly"', 17, "rules[1].every", "did you mean 'month'"),
        ("minimum = 1\n", 'minimum = "one"\n', 18, "rules[1].minimum", "must be a number"),
        ("minimum = 1\n", "minimum = -1\n", 18, "rules[1].minimum", "at least 0"),
        ('source = "policy"', 'source = "polcy"', 16, "rules[1].source", "did you mean 'policy'"),
        (
            'records = "supervision"',
            'records = "supervisions"',
            20,
            "rules[1].count.records",
            "not one of",
        ),
        (
            "checked_on = 2026-01-31",
            'checked_on = "last week"',
            9,
            "sources.policy.checked_on",
            "date",
        ),
        (
            'url = "https://example.org/policy"',
            'url = "example.org"',
            8,
            "sources.policy.url",
            "https://",
        ),
        (
            'title = "Monthly supervision"',
            'titel = "Monthly supervision"',
            14,
            "rules[1].titel",
            "not a field",
        ),
        (
            'records = "supervision"',
            'records = "supervision"\nsupervised = true',
            21,
            "rules[1].count.supervised",
            "does not apply to supervision records",
        ),
        (
            'records = "supervision"',
            'records = "supervision"\ngroup_credit = "bacp"',
            21,
            "rules[1].count.group_credit",
            "not one of: full",
        ),
        (
            'records = "supervision"',
            'records = "supervision"\nmeasure = "days"',
            21,
            "rules[1].count.measure",
            "does not apply to supervision",
        ),
        (
            'records = "supervision"',
            'records = "supervision"\ntypes = ["clinical", "clinicall"]',
            21,
            "rules[1].count.types",
            "'clinicall' is not one of",
        ),
        ('kind = "every_period"', 'kind = "every_month"', 13, "rules[1].kind", "not one of"),
        ('id = "my_service"', 'id = "My Service!"', 1, "id", "lower-case"),
    ],
)
def test_bad_pack_reports_line_and_field(old: str, new: str, line: int, field: str, words: str):
    assert old in GOOD
    problems = _problems(GOOD.replace(old, new, 1))
    assert any(
        p_line == line and p_field == field and words in message
        for p_line, p_field, message in problems
    ), problems


def test_missing_fields_point_at_their_table():
    problems = _problems(GOOD.replace('description = "One hour a month."\n', ""))
    assert (11, "rules[1].description", "is required") in problems


def test_invalid_toml_reports_its_line():
    problems = _problems(GOOD.replace("minimum = 1", "minimum = = 1"))
    assert len(problems) == 1
    line, _, message = problems[0]
    assert line == 18
    assert "not valid TOML" in message


def test_every_problem_is_reported_at_once(tmp_path: Path):
    bad = GOOD.replace('every = "month"', 'every = "monthly"').replace(
        "minimum = 1", "minimum = 'x'"
    )
    path = tmp_path / "service.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(path)
    message = str(caught.value)
    assert "service.toml, line 17, rules[1].every" in message
    assert "service.toml, line 18, rules[1].minimum" in message


def test_inline_tables_and_later_rules_are_located():
    document = GOOD + textwrap.dedent(
        """
        [[rules]]
        id = "cpd"
        kind = "total"
        title = "CPD"
        description = "CPD hours."
        source = "policy"
        minimum = 10
        window = "rolling"
        count = { records = "cpd", measure = "hourz" }
        """
    )
    problems = _problems(document)
    assert any(field == "rules[2].window_months" and line == 29 for line, field, _ in problems)
    assert any(field == "rules[2].count.measure" and line == 30 for line, field, _ in problems)


def test_the_documented_example_is_a_valid_pack():
    import re

    guide = (PACK_FOLDER / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", guide, re.DOTALL)
    assert example is not None
    pack = parse_pack(example[1], "example.toml")
    assert pack.rule("monthly").params.count.group_credit.small_group_max == 4  # type: ignore[union-attr]
