"""Answers from documents shaped like the ones users bring: orders full of WHEREAS clauses, numbered policies with
header lines and page furniture, a court opinion with its caption, a news article with no metadata — and a shipped
summary beside the original it summarises. Fixtures: tests/fixtures/official/ (fictional, marked as such)."""

from __future__ import annotations

import pytest

from assistant.types import Filters
from corpus.chunking import split_sentences
from corpus.towns import load_towns
from tests.conftest import ROOT, fixture_settings

OFFICIAL = ROOT / "tests" / "fixtures" / "official"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from assistant.service import AssistantService

    index = tmp_path_factory.mktemp("official-index")
    service = AssistantService(fixture_settings(index))
    report = service.ingest([OFFICIAL], progress=False)
    assert report.count("failed") == 0, report.as_json()
    return service


def quotes(answer) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.quote for c in answer.citations]


def test_a_whereas_order_answers_from_its_clause(service):
    answer = service.ask("does the harbor city council say the police need a judge's warrant before holding someone?")
    assert answer.kind in ("answer", "closest"), answer.answer
    clause = next(q for q in quotes(answer) if "warrant signed by a judge" in q)
    assert clause.startswith("WHEREAS") and clause.endswith("; and")  # the clause, whole, as one quotable unit


def test_a_numbered_policy_answers_from_its_list_item_with_its_lead_in(service):
    answer = service.ask("can ICE agents use the police interview rooms under policy 412?")
    assert answer.kind in ("answer", "closest"), answer.answer
    assert any("(c) let ICE agents use department interview rooms" in q for q in quotes(answer)), answer.answer
    assert any("members of the department shall not:" in q for q in quotes(answer)), "quoted with its lead-in"


def test_a_header_line_answers_a_question_about_its_label(service):
    answer = service.ask("when did harbor city policy 412 take effect")
    assert any(q == "Effective Date: 03/01/2025" for q in quotes(answer)), answer.answer


def test_a_header_line_answers_a_question_asking_for_its_field_in_other_words(service):
    # "who signed it" asks for the "Issuing Authority" field
    answer = service.ask("who signed harbor city police policy 412")
    assert any(q.startswith("Issuing Authority: Chief of Police Morgan T. Ellery") for q in quotes(answer)), (
        answer.answer
    )


def test_an_attesting_clerk_answers_who_signed_an_order(service):
    # "Attest: …, City Clerk" for "which clerk put their name on it" (read as "signed it")
    answer = service.ask("harbor city council order 2025-7, which clerk put their name on it?")
    assert any(q.startswith("Attest: Jordan Avery Pell") for q in quotes(answer)), answer.answer


def test_a_header_line_whose_value_the_question_gives_is_not_the_answer(service):
    # "Policy Number: 412" names the asked label ("number") but tells nothing the question did not.
    for question in ("which policy number 412 item is about ICE interview rooms", "policy number 412 - what number"):
        assert "Policy Number: 412" not in quotes(service.ask(question)), question


def test_page_furniture_and_site_boilerplate_are_never_quoted(service):
    questions = [
        "what page is the harbor city procedure on",
        "what are the terms of use for the harbor city order",
        "does harbor city police log ICE requests",
        "what does the harbor city order say about city services",
    ]
    for question in questions:
        for quote in quotes(service.ask(question)):
            assert quote.strip() not in {"12", "Page 2 of 3"}, question
            assert "By using eCode360" not in quote and "HARBOR CITY POLICE DEPARTMENT" not in quote, question


def test_a_case_caption_is_not_the_answer_to_what_the_case_is(service):
    answer = service.ask("what is doe v. lakeshire county sheriff about?")
    assert answer.citations, answer.answer
    for quote in quotes(answer):
        assert "vs. LAKESHIRE" not in quote and not quote.startswith("Present:")


def test_an_upload_is_cited_before_a_shipped_summary_of_the_same_text(service):
    answer = service.ask("how long can the lakeshire sheriff hold somebody on an immigration detainer?")
    assert answer.kind in ("answer", "closest"), answer.answer
    assert answer.citations[0].file == "doe-v-lakeshire-opinion.txt", [c.file for c in answer.citations]
    assert "48 hours" in answer.citations[0].quote


def test_a_news_article_without_town_metadata_answers_about_the_town_it_discusses(service):
    answer = service.ask("lowell pd and ice")
    assert answer.town == "Lowell"
    assert answer.kind in ("answer", "closest"), answer.answer
    assert answer.citations and answer.citations[0].file == "city-desk-police-article.txt"
    assert "no policy or other document about Lowell" not in answer.answer
    named = service.ask("who leads the lowell police", filters=Filters())
    assert "Casey Vantongeren" in named.answer, named.answer


@pytest.mark.parametrize(
    "question",
    [
        "how many ICE detainers did harbor city police get in 2024",
        "what is the NYPD's policy on ICE detainers",
        "how much did lakeshire county pay in damages",
    ],
)
def test_a_question_the_documents_cannot_answer_never_gets_a_confident_answer(service, question):
    answer = service.ask(question)
    assert answer.kind in ("none", "closest"), answer.answer


@pytest.mark.parametrize("question", ["what's the weather in lowell", "lowell snow forecast"])
def test_a_question_about_something_no_passage_speaks_of_gets_nothing_here_not_its_towns_policy(service, question):
    answer = service.ask(question)
    assert answer.town == "Lowell"
    assert answer.kind == "none" and not answer.citations, answer.answer
    # the same town asked about its police is answered
    assert service.ask("lowell police and ice").kind in ("answer", "closest")


def test_abbreviations_ellipses_and_quotations_do_not_end_a_sentence():
    text = (OFFICIAL / "doe-v-lakeshire-opinion.txt").read_text()
    units = [text[s:e] for s, e in split_sentences(text)]
    assert any(u.startswith("See United States v. Rowe") and u.endswith("(1st Cir. 2019).") for u in units), units
    assert any("practice … Must end at once" in u and u.endswith("within sixty days.") for u in units), units


@pytest.mark.parametrize(
    ("question", "towns"),
    [
        ("lowell pd and ice", ["Lowell"]),
        ("reading police and ICE", ["Reading"]),
        ("I was reading the policy, what does it say", []),
        ("does evrett polcie work with ice", ["Everett"]),
        ("is worchester a sanctuary city", ["Worcester"]),
        ("what do boston cops do", ["Boston"]),
        # a common-word town at a question's end is a trip's end after "to", unless the cue names it
        ("could i use it to get on a plane to florida?", []),
        ("how does boston compare to reading?", ["Boston", "Reading"]),
        ("moving to orange, ma", ["Orange"]),
        ("im moving to florida?", []),  # a town named like a state, after any journey
        ("does the trust act apply to salem?", ["Salem"]),
    ],
)
def test_towns_in_typed_questions(question: str, towns: list[str]):
    assert load_towns().find_in_question(question) == towns


def test_chunks_record_the_towns_their_text_names(service):
    documents = {d.file: d for d in service.documents()}
    assert "Lowell" in documents["city-desk-police-article.txt"].mentions
    assert documents["doe-v-lakeshire-summary.md"].mentions == []
