"""Every rule kind of the registry is complete: it can be read and checked, says what it checks
and how its findings are cut, is shipped or documented for pack writers, and has a worked
example that loads and checks against an empty logbook. A pack naming an unknown kind is
refused with its file, line and field."""

from __future__ import annotations

import dataclasses
import textwrap
from datetime import date
from typing import Any

import pytest

from logbook.domain.findings import Granularity, Status
from logbook.domain.requirements import Evidence, PackError, evaluate_pack, load_pack, parse_pack
from logbook.domain.requirements.registry import RULE_KINDS, RuleKind, kind_of
from logbook.resources import resource_path

TODAY = date(2026, 3, 15)
PACKS = resource_path("packs")
SHIPPED_KINDS = {
    rule.kind for path in sorted(PACKS.glob("*.toml")) for rule in load_pack(path).rules
}
PACK_GUIDE = (PACKS / "README.md").read_text(encoding="utf-8")
KINDS = pytest.mark.parametrize("kind", list(RULE_KINDS.values()), ids=list(RULE_KINDS))

PACK_HEAD = """\
id = "worked_example"
title = "Worked example"
body = "Example body"
description = "One rule, to show how its kind is written."
cycle_years = 3

[sources.guidance]
title = "Guidance"
url = "https://example.org/guidance"
checked_on = 2026-01-31

[[rules]]
id = "example"
kind = "{kind}"
title = "Example rule"
description = "What the rule asks."
source = "guidance"
"""


def example_pack(kind_name: str, fields: str = "") -> str:
    return PACK_HEAD.format(kind=kind_name) + textwrap.dedent(fields)


@KINDS
def test_a_kind_can_be_read_and_checked(kind: RuleKind[Any]):
    assert callable(kind.read)
    assert callable(kind.check)
    assert dataclasses.is_dataclass(kind.params)


@KINDS
def test_a_kind_says_in_one_line_what_it_checks(kind: RuleKind[Any]):
    assert kind.description.strip()
    assert "\n" not in kind.description


@KINDS
def test_a_kind_cuts_its_findings_one_known_way(kind: RuleKind[Any]):
    assert isinstance(kind.granularity, Granularity) or callable(kind.granularity)


@KINDS
def test_a_kind_is_shipped_in_a_pack_or_documented_for_pack_writers(kind: RuleKind[Any]):
    assert kind.name in SHIPPED_KINDS or f"`{kind.name}`" in PACK_GUIDE


@KINDS
def test_a_kind_has_a_worked_example_that_loads_and_checks_an_empty_logbook(
    kind: RuleKind[Any],
):
    assert kind.example.strip(), "a kind needs a worked example"
    pack = parse_pack(example_pack(kind.name, kind.example), "example.toml")
    (rule,) = pack.rules
    assert rule.kind == kind.name
    assert isinstance(rule.params, kind.params)
    assert kind_of(rule.params) is kind

    (result,) = evaluate_pack(pack, Evidence([], TODAY)).rules

    assert result.kind == kind.name
    assert result.granularity is kind.granularity_of(rule.params)
    assert isinstance(result.granularity, Granularity)
    assert result.status in Status
    assert result.findings


def test_each_kind_reads_its_own_type_of_parameters():
    kinds = list(RULE_KINDS.values())
    assert len({kind.params for kind in kinds}) == len(kinds)
    assert all(name == kind.name for name, kind in RULE_KINDS.items())


def test_a_pack_naming_an_unknown_kind_is_refused_with_file_line_and_field():
    document = example_pack("every_month", 'every = "month"\nminimum = 1\n')
    line = document.splitlines().index('kind = "every_month"') + 1

    with pytest.raises(PackError) as caught:
        parse_pack(document, "service.toml")

    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.field) == ("service.toml", line, "rules[1].kind")
    assert "did you mean 'every_period'" in problem.message
    assert all(name in problem.message for name in RULE_KINDS)
    assert f"service.toml, line {line}, rules[1].kind" in str(caught.value)
