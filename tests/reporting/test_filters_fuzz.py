"""Property-based tests of the report filter parser: any query string gives filters and French messages, never an exception."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from elearn.reporting.filters import FIRST_DAY, LAST_DAY, parse_filters

KEYS = ("from", "to", "module", "status", "profession", "q")

#: What a query string can carry, plus values shaped like the dates and statuses the parser reads.
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
shaped = st.one_of(
    st.dates().map(lambda day: day.isoformat()),
    st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
    st.from_regex(r"\A-?\d{1,6}[-/]\d{1,3}[-/]\d{1,6}\Z"),
    st.sampled_from(["not_started", "in_progress", "completed", "", " ", "0001-01-01", "9999-12-31", "2026-02-30"]),
)
queries = st.dictionaries(st.sampled_from(KEYS), st.one_of(st.none(), texts, shaped), max_size=len(KEYS))

#: Every message the parser writes begins with one of these (French) openings.
FRENCH_OPENINGS = re.compile(r"^(Date de (début|fin) (invalide|hors limites) : « |La date de début est postérieure|Statut inconnu : « )")


@given(queries)
@example({"from": "0001-01-01", "to": "9999-12-31"})
@example({"from": "2100-12-31", "to": "2100-12-31"})
def test_any_query_gives_filters_within_range_and_french_messages(query):
    filters, errors = parse_filters(query)
    for error in errors:
        assert FRENCH_OPENINGS.match(error), error
    for day in (filters.date_from, filters.date_to):
        assert day is None or FIRST_DAY <= day <= LAST_DAY
    if filters.date_from and filters.date_to:
        assert filters.date_from <= filters.date_to
    start, end = filters.moment_bounds()  # instants exist for every accepted day
    assert start is None or end is None or start < end


@given(queries)
def test_filters_survive_a_round_trip_through_their_query(query):
    filters, _ = parse_filters(query)
    assert parse_filters(filters.as_query()) == (filters, [])
