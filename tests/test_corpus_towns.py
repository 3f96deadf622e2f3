"""A question about any town's police policy gets a cited answer from the shipped corpus: the town's own documents
where it has some, else an honest "no policy here" that quotes its county page (sheriff, district attorney, whom to
ask) and the records-request guide. Runs the real pipeline on the real shipped corpus."""

from __future__ import annotations

import csv

import pytest

from tests.conftest import ROOT

COUNTY = {}
with (ROOT / "corpus" / "data" / "municipalities.csv").open(encoding="utf-8") as handle:
    COUNTY = {row["name"]: row["county"] for row in csv.DictReader(handle)}

# Towns with no document of their own, from every region (cities, small towns, islands, a common-word name).
WITHOUT_DOCUMENT = [
    "Springfield",
    "Pittsfield",
    "Lowell",
    "Brockton",
    "New Bedford",
    "Gosnold",
    "Nantucket",
    "Greenfield",
    "Northampton",
    "Lee",
    "Athol",
    "Revere",
]
WITH_DOCUMENT = {
    "Quincy": "quincy-police-ice-policy.md",
    "Framingham": "framingham-police-policy-200-15.md",
    "Amherst": "amherst-sanctuary-bylaw.md",
}


@pytest.fixture(scope="module")
def corpus_assistant(corpus_index):  # type: ignore[no-untyped-def]
    from assistant.service import AssistantService
    from assistant.settings import Settings

    return AssistantService(Settings.model_validate({"index": {"dir": corpus_index}}))


@pytest.mark.slow
@pytest.mark.parametrize("town", WITHOUT_DOCUMENT)
def test_a_town_without_a_document_gets_an_honest_cited_answer_with_its_county_facts(corpus_assistant, town):
    answer = corpus_assistant.ask(f"What is {town}'s police policy on ICE?")
    assert answer.town == town
    # Said by the assistant (the town's only mentions are in a county page listing dozens of towns) or quoted from
    # the county page's own line about the town (a small county's page is the town's only mention).
    said = f"no policy or other document about {town}" in answer.answer
    quoted = f"this collection has no {town} police policy or other document about {town}" in answer.answer
    assert said or quoted, answer.answer
    page = f"county-{COUNTY[town].lower()}.md"
    county_quotes = [c for c in answer.citations if c.file == page]
    assert county_quotes, f"{town}: the {page} line is not quoted: {answer.answer}"
    quoted = " ".join(c.quote for c in county_quotes)
    assert town in quoted and f"{COUNTY[town]} County" in quoted and "District Attorney" in quoted
    assert all(f"[{c.n}]" in answer.answer for c in answer.citations)


@pytest.mark.slow
@pytest.mark.parametrize(("town", "document"), WITH_DOCUMENT.items())
def test_a_town_with_a_document_is_answered_from_it(corpus_assistant, town, document):
    answer = corpus_assistant.ask(f"What is {town}'s police policy on ICE?")
    assert not answer.abstained and answer.citations
    assert answer.citations[0].file == document, answer.answer


@pytest.mark.slow
def test_a_reply_quotes_a_sentence_once_even_when_a_town_answer_and_its_county_lines_both_hold_it(corpus_assistant):
    from assistant.types import Filters

    # Dartmouth's answer and the Bristol County page's lines both reach the county page, whose overlapping passages
    # hold the same sentence about the detention contract.
    answer = corpus_assistant.ask(
        "what happened to the ice detention contract at the jail in my town", [], Filters(towns=["Dartmouth"])
    )
    quotes = [c.quote for c in answer.citations]
    assert quotes, answer.answer
    assert len(quotes) == len(set(quotes)), answer.answer
