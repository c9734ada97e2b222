"""The concern buttons and which kind of team each one reaches (context.md's table)."""

from __future__ import annotations

import pytest

from kiosk.core.concerns import (
    CONCERN_KEYS,
    CONCERNS,
    Concern,
    TeamKind,
    UnknownConcern,
    concern_by_key,
)

# context.md, "What clients bring, and who handles it", in the table's order.
EXPECTED_TEAM = {
    "renewal": TeamKind.LEISTUNG,
    "requested": TeamKind.LEISTUNG,
    "income": TeamKind.LEISTUNG,
    "housing": TeamKind.LEISTUNG,
    "household": TeamKind.LEISTUNG,
    "sick": TeamKind.VERMITTLUNG,
    "travel": TeamKind.VERMITTLUNG,
    "jobsearch": TeamKind.VERMITTLUNG,
    "education": TeamKind.BUT,
    "onetime": TeamKind.LEISTUNG,
    "repayment": TeamKind.FORDERUNG,
    "objection": TeamKind.WIDERSPRUCH,
    "other": TeamKind.EINGANGSZONE,
}


def test_exactly_the_thirteen_concerns_in_the_table_order() -> None:
    assert tuple(EXPECTED_TEAM) == CONCERN_KEYS
    assert tuple(c.key for c in CONCERNS) == CONCERN_KEYS


@pytest.mark.parametrize(("key", "team"), EXPECTED_TEAM.items(), ids=list(EXPECTED_TEAM))
def test_each_concern_reaches_its_kind_of_team(key: str, team: TeamKind) -> None:
    concern = concern_by_key(key)
    assert concern.key == key
    assert concern.team_kind is team


def test_something_else_goes_to_triage_and_nothing_else_does() -> None:
    """Unroutable documents go to the entrance zone, never nowhere (context.md)."""
    triage = [c.key for c in CONCERNS if c.team_kind is TeamKind.EINGANGSZONE]
    assert triage == ["other"]
    assert CONCERNS[-1].key == "other"  # the fallback is the last button


@pytest.mark.parametrize("concern", CONCERNS, ids=CONCERN_KEYS)
def test_only_the_objection_carries_a_hint(concern: Concern) -> None:
    if concern.key == "objection":
        assert concern.hint is not None
        assert "signed" in concern.hint
        assert "letterbox" in concern.hint
    else:
        assert concern.hint is None


@pytest.mark.parametrize("concern", CONCERNS, ids=CONCERN_KEYS)
def test_plain_words_first_official_term_second(concern: Concern) -> None:
    """Düsseldorf's lesson: the button says it plainly; the official term is the subtitle."""
    assert concern.label.strip() and concern.official.strip() and concern.title_de.strip()
    official_term = concern.title_de.split()[0]
    assert official_term.lower() not in concern.label.lower()
    assert "(" in concern.official  # "Holiday (Ortsabwesenheit)": plain, then official


def test_holiday_is_the_everyday_word_for_ortsabwesenheit() -> None:
    travel = concern_by_key("travel")
    assert "holiday" in travel.label.lower()
    assert "Ortsabwesenheit" not in travel.label
    assert "Ortsabwesenheit" in travel.official
    assert travel.title_de == "Ortsabwesenheit"


def test_labels_and_staff_titles_are_unique() -> None:
    assert len({c.label for c in CONCERNS}) == len(CONCERNS)
    assert len({c.title_de for c in CONCERNS}) == len(CONCERNS)


@pytest.mark.parametrize(
    "key",
    ["", "Renewal", "SICK", " sick", "sick ", "holiday", "widerspruch", "objection\n", "0"],
    ids=repr,
)
def test_unknown_keys_raise_unknown_concern(key: str) -> None:
    with pytest.raises(UnknownConcern) as caught:
        concern_by_key(key)
    assert isinstance(caught.value, KeyError)  # callers that catch KeyError still work
    assert caught.value.args == (key,)
