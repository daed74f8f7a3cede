"""Every record kind has everything a kind needs: a descriptor, a form, a list, a way into the
portfolio, words that describe it and a place in the user guide.

Each check runs over ``RecordKind`` itself, so a kind added to the enum without the rest fails
here. A kind may go without one of them only where this file says why.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logbook.domain.catalogue import KINDS, LOG_KINDS, describe, mention, name_of
from logbook.domain.records import RecordKind
from logbook.export.layouts import LAYOUTS, GenericPortfolioRenderer
from logbook.export.layouts.log_columns import log_columns
from logbook.ui.columns import COLUMNS, column
from logbook.ui.editors.kinds import FORMS
from tests.strategies import records

K = RecordKind
ALL_KINDS = list(RecordKind)
GUIDE = Path(__file__).resolve().parent.parent / "docs" / "user-guide.md"

# Kinds that go without a form, a list or a log of their own, and why.
WITHOUT_FORM = {K.ATTACHMENT: "added from the attachments of the entry it belongs to"}
WITHOUT_LIST = {
    K.PROFILE: "one record, edited from File → Your profile",
    K.ATTACHMENT: "listed with the entry it belongs to",
}
NOT_IN_PORTFOLIO = {
    K.PROFILE: "the practitioner, printed on the cover",
    K.PERSON: "named beside the entries they took part in",
    K.ORGANISATION: "named beside the entries that happened there",
}
NAMED_WITH_ITS_ENTRY = {
    K.ATTACHMENT: "named in the HCPC evidence index beside the entry it belongs to",
}
PRINTED_WITHOUT_LOG = {
    K.PATHWAY: "the pathways section: a line per pathway",
    K.MILESTONE: "the pathways section: a table per pathway",
}

SAMPLES = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Names:
    """Stands in for the portfolio's and the app's directories of names."""

    def name(self, uid: str | None) -> str:
        return f"Name of {uid}" if uid else ""

    def person_name(self, uid: str | None) -> str:
        return f"Person {uid}" if uid else ""

    def organisation_name(self, uid: str | None) -> str:
        return f"Organisation {uid}" if uid else ""


def field_names(kind: RecordKind) -> set[str]:
    return {f.name for f in dataclasses.fields(KINDS[kind].record_type)}


@pytest.mark.parametrize("kind", ALL_KINDS, ids=str)
def test_each_kind_has_a_descriptor_naming_fields_it_has(kind: RecordKind) -> None:
    info = KINDS[kind]
    assert info.kind is kind
    assert kind.label == info.label
    assert all((info.label, info.noun, info.one, info.many))
    fields = field_names(kind)
    named = [
        info.date_field,
        info.subtype_field,
        info.person_field,
        info.organisation_field,
        info.title_field,
        info.about_field,
    ]
    assert {name for name in named if name} <= fields
    assert set(info.text_fields) <= fields
    assert info.labels, "the fields people see, with their labels"
    assert set(info.labels) <= fields
    assert all(info.labels.values())


@pytest.mark.parametrize("kind", ALL_KINDS, ids=str)
def test_each_kind_has_a_form_showing_the_fields_its_descriptor_labels(kind: RecordKind) -> None:
    if kind in WITHOUT_FORM:
        assert kind not in FORMS
        assert any(form.attachments for form in FORMS.values())
        return
    form = FORMS[kind]
    shown = {spec.name: spec.label for section in form.sections for spec in section.fields}
    assert set(shown) == set(KINDS[kind].labels)
    assert all(shown.values())


@pytest.mark.parametrize("kind", ALL_KINDS, ids=str)
def test_each_kind_has_a_list_of_columns_it_can_fill(kind: RecordKind) -> None:
    names = KINDS[kind].list_columns
    if kind in WITHOUT_LIST:
        assert not names
        assert kind not in COLUMNS
        return
    assert names
    assert set(names) <= field_names(kind)
    assert len(set(names)) == len(names)
    assert [c.key for c in COLUMNS[kind]] == [column(kind, name).key for name in names]
    assert len({c.key for c in COLUMNS[kind]}) == len(names), "layouts are remembered by key"


@pytest.mark.parametrize("kind", ALL_KINDS, ids=str)
def test_each_kind_has_a_way_into_the_portfolio(kind: RecordKind) -> None:
    printed = GenericPortfolioRenderer.kinds_needed(None)
    if kind in NOT_IN_PORTFOLIO:
        assert kind not in LOG_KINDS
        assert not any(kind in layout.kinds_needed(None) for layout in LAYOUTS.values())
        return
    if kind in NAMED_WITH_ITS_ENTRY:
        assert kind not in LOG_KINDS
        assert any(kind in layout.kinds_needed(None) for layout in LAYOUTS.values())
        return
    assert kind in LOG_KINDS
    assert kind in printed
    names = KINDS[kind].log_columns
    if kind in PRINTED_WITHOUT_LOG:
        assert not names
        return
    assert names
    assert set(names) <= field_names(kind)


@pytest.mark.parametrize("kind", ALL_KINDS, ids=str)
@SAMPLES
@given(data=st.data())
def test_each_kind_draws_its_columns_for_any_record(kind: RecordKind, data: st.DataObject) -> None:
    record = data.draw(records(kind))
    names = Names()
    for shown in COLUMNS.get(kind, ()):
        assert isinstance(shown.read(record, names), str)  # type: ignore[arg-type]
    if KINDS[kind].log_columns:
        for printed in log_columns(kind, names, lambda uid: uid):  # type: ignore[arg-type]
            assert isinstance(printed.value(record), str)


@pytest.mark.parametrize("kind", ALL_KINDS, ids=str)
@SAMPLES
@given(data=st.data())
def test_each_kind_is_described_in_words(kind: RecordKind, data: st.DataObject) -> None:
    record = data.draw(records(kind))
    line = describe(record, names=Names().person_name)
    assert line.startswith(KINDS[kind].label)
    assert describe(record, kind=False), "a listing of one kind still says what each entry is"
    assert "\n" not in describe(record, dated=True)
    assert mention(record).startswith(kind.label.lower())
    assert isinstance(name_of(record, or_date=True), str)


@pytest.mark.parametrize("kind", ALL_KINDS, ids=str)
def test_each_kind_is_in_the_user_guide_by_its_label(kind: RecordKind) -> None:
    assert KINDS[kind].label.lower() in GUIDE.read_text(encoding="utf-8").lower()
