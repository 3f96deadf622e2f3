"""Question/answer checks over fictional test documents: facts, towns, follow-ups, abstention, citations."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from assistant.types import CITATION_MARKER, Answer, Filters


def assert_verified(answer: Answer) -> None:
    """Every [n] has its citation and every quote stands verbatim at its offsets in its passage."""
    numbers = {c.n for c in answer.citations}
    assert {int(n) for n in CITATION_MARKER.findall(answer.answer)} <= numbers, answer.answer
    assert all(c.is_verbatim() for c in answer.citations)


pytestmark = pytest.mark.slow

# (question, history, words the answer must contain, the file it must cite)
FACTS = [
    ("Who leads the department that wrote test policy 9.1?", [], ["Avery Marlowe"], "fictional-quincy-test-policy.md"),
    ("Who is the chief of police in the Everett test policy?", [], ["Rowan Pike"], "fictional-everett-test-policy.md"),
    (
        "Does the Quincy test policy send status queries for people born abroad?",
        [],
        ["status query"],
        "fictional-quincy-test-policy.md",
    ),
    (
        "How long before release does Quincy's test policy notify the federal office?",
        [],
        ["four hours"],
        "fictional-quincy-test-policy.md",
    ),
    (
        "Can Everett officers ask about immigration status under test policy 4.7?",
        [],
        ["forbids"],
        "fictional-everett-test-policy.md",
    ),
    ("Does Everett give notice of release dates?", [], ["release date"], "fictional-everett-test-policy.md"),
    (
        "What did the court hold in Doe v. Harbor County?",
        [],
        ["past midnight"],
        "fictional-ruling-doe-v-harbor-county.md",
    ),
    ("What was the vote in Doe v. Harbor County?", [], ["seven to zero"], "fictional-ruling-doe-v-harbor-county.md"),
    (
        "How many departments had a written detainer policy in the statewide survey?",
        [],
        ["forty-seven"],
        "fictional-statewide-survey.txt",
    ),
    ("Who ran the fictional statewide survey?", [], ["Bureau of Test Statistics"], "fictional-statewide-survey.txt"),
    ("How many workers were questioned at the Chelsea bakery?", [], ["eleven"], "fictional-harbor-gazette.html"),
    (
        "Did the agents at the Chelsea bakery show a judicial warrant?",
        [],
        ["judicial warrant"],
        "fictional-harbor-gazette.html",
    ),
    ("How many times did the Lakeshire jail share booking photos?", [], ["312"], "fictional-audit.pdf"),
    ("How many guards did the Lakeshire jail employ?", [], ["ninety"], "fictional-audit.pdf"),
    ("Which years does the Lakeshire jail audit cover?", [], ["2028"], "fictional-audit.pdf"),
    ("Who leads the Quincy department in the test policy?", [], ["Avery Marlowe"], "fictional-quincy-test-policy.md"),
    (
        "and Everett?",
        ["Who leads the Quincy department in the test policy?"],
        ["Rowan Pike"],
        "fictional-everett-test-policy.md",
    ),
    (
        "who is their chief?",
        ["What does the Everett test policy say about status questions?"],
        ["Rowan Pike"],
        "fictional-everett-test-policy.md",
    ),
    (
        "what was the vote?",
        ["What did the court hold in Doe v. Harbor County?"],
        ["seven to zero"],
        "fictional-ruling-doe-v-harbor-county.md",
    ),
]


@pytest.mark.parametrize(("question", "history", "facts", "source"), FACTS, ids=[q for q, *_ in FACTS])
def test_answers_carry_the_fact_quoted_from_the_right_document(fixture_assistant, question, history, facts, source):
    answer = fixture_assistant.ask(question, history)
    assert not answer.abstained, answer.answer
    for fact in facts:
        assert fact.lower() in answer.answer.lower(), f"{fact!r} not in {answer.answer!r}"
    assert source in {c.file for c in answer.citations}
    assert_verified(answer)
    assert len(answer.answer) <= 700


@pytest.mark.parametrize(
    "question",
    [
        "What is the population of Mars?",
        "Who won the 1986 World Series?",
        "What does the Lakeshire jail serve for lunch?",
    ],
)
def test_questions_the_documents_do_not_answer_never_get_a_confident_answer(fixture_assistant, question):
    answer = fixture_assistant.ask(question)
    assert answer.kind in ("none", "closest"), answer.answer
    if answer.kind == "none":
        assert answer.abstained and answer.answer.startswith("The documents here don't say")
        assert answer.closest and not answer.citations, "'nothing here' lists the closest documents, quotes none"
    else:  # the nearest passages, labelled as such, quoted and cited
        assert not answer.abstained and answer.answer.startswith("These are the closest passages found")
        assert answer.citations


def test_a_town_question_retrieves_only_that_towns_and_statewide_documents(fixture_assistant):
    from assistant.retrieve import retrieve

    passages = retrieve(
        fixture_assistant.index, "status queries policy", Filters(towns=["Quincy"]), 20, fixture_assistant.retrieval
    )
    assert passages
    for passage in passages:
        assert passage.chunk.meta.towns in ([], ["Quincy"]), passage.chunk.file
    answer = fixture_assistant.ask("What does Quincy's test policy say about status queries?")
    assert answer.town == "Quincy"
    assert all(c.towns in ([], ["Quincy"]) for c in answer.citations)


def test_my_town_without_a_name_asks_which_town(fixture_assistant):
    answer = fixture_assistant.ask("What is my town's police policy on ICE?")
    assert answer.abstained and answer.kind == "which_town" and "Which city or town" in answer.answer
    assert not answer.citations


def test_a_real_town_with_no_document_is_named_as_missing_with_the_records_hint(fixture_assistant):
    answer = fixture_assistant.ask("What is Springfield's police policy on ICE?")
    assert answer.kind in ("none", "closest") and answer.town == "Springfield"
    assert "no policy or other document about Springfield" in answer.answer
    assert "public records law" in answer.answer
    # "Closest passages" only when it quotes a passage that speaks of Springfield; never a confident answer.
    assert answer.abstained == (answer.kind == "none")


def test_a_follow_up_is_rewritten_and_the_rewrite_is_shown(fixture_assistant):
    answer = fixture_assistant.ask("and Everett?", ["Who leads the Quincy department in the test policy?"])
    assert answer.standalone_question == "Who leads the Everett department in the test policy?"
    assert answer.town == "Everett"


def test_a_comparison_labels_each_town_and_never_blends_them(fixture_assistant):
    answer = fixture_assistant.ask("Compare the Quincy and Everett test policies on notice of release")
    assert not answer.abstained
    # each line labelled with its town, Quincy's lines (as asked, first) then Everett's, each quoting its own policy
    labels = [line.split(":")[0] for line in answer.answer.splitlines()]
    assert labels[0] == "Quincy" and set(labels) == {"Quincy", "Everett"}
    assert labels == sorted(labels, key=["Quincy", "Everett"].index)
    files = {"Quincy": "fictional-quincy-test-policy.md", "Everett": "fictional-everett-test-policy.md"}
    assert [files[label] for label in labels] == [c.file for c in answer.citations]
    # Held to the threshold town by town, like any answer: its confidence is the best town's, and it is verified.
    assert answer.kind == "answer" and answer.confidence is not None and answer.confidence >= 0.55
    assert answer.verification == {"kept": len(answer.citations), "dropped": 0, "repaired": 0}
    assert_verified(answer)


def test_every_reply_goes_through_the_verifier_whatever_composed_it(fixture_service):
    """A composer whose draft cites [7] (no such citation) and mangles one quote: in production the marker is
    stripped, the bad citation dropped, and what remains is verified."""
    from assistant.compose import Draft
    from assistant.pipeline import Assistant

    assistant = fixture_service.assistant

    class CarelessComposer:
        name = "careless"

        def stream(self, plan, evidence):  # type: ignore[no-untyped-def]
            draft = next(d for d in assistant.composer.stream(plan, evidence) if isinstance(d, Draft))
            good = draft.citations[0]
            bad = good.model_copy(update={"n": 2, "quote": good.quote + " (not in the passage)"})
            yield Draft(draft.text + " Also this [2]. And this [7].", [good, bad], confidences=draft.confidences)

    careless = Assistant(assistant.index, assistant.config, assistant.retrieval, assistant.registry, CarelessComposer())
    answer = careless.ask("How many guards did the Lakeshire jail employ?")
    assert "[7]" not in answer.answer and "[2]" not in answer.answer and "[1]" in answer.answer
    assert [c.n for c in answer.citations] == [1]
    assert answer.verification == {"kept": 1, "dropped": 1, "repaired": 0}
    assert_verified(answer)


def test_an_answer_from_a_pdf_cites_the_right_page(fixture_assistant):
    answer = fixture_assistant.ask("How many times did the Lakeshire jail share booking photos with a federal office?")
    cited = [c for c in answer.citations if c.file == "fictional-audit.pdf"]
    assert cited and cited[0].page == 3
    assert "312" in cited[0].quote


def test_rights_questions_carry_the_not_legal_advice_note(fixture_assistant):
    assert "not legal advice" in " ".join(
        fixture_assistant.ask("Can the police in Quincy send a status query about me?").notes
    )
    assert not fixture_assistant.ask("Who ran the fictional statewide survey?").notes


def test_filters_by_type_limit_the_citations(fixture_assistant):
    answer = fixture_assistant.ask("What happened at the bakery?", filters=Filters(doc_types=["policy"]))
    assert all(c.doc_type == "policy" for c in answer.citations)
    assert "type: policy" in answer.filters


def test_ask_json_prints_the_documented_schema(answering_index):
    from assistant.cli import cli

    result = CliRunner().invoke(
        cli,
        ["ask", "How many guards did the Lakeshire jail employ?", "--index", str(answering_index), "--json"],
        catch_exceptions=False,
    )
    payload = json.loads(result.output)
    assert {"question", "standalone_question", "answer", "abstained", "town", "citations", "timings_ms"} <= set(payload)
    assert set(payload["timings_ms"]) == {"retrieve", "compose", "total"}
    citation_keys = {
        "n",
        "title",
        "doc_type",
        "date",
        "page",
        "section",
        "file",
        "source_url",
        "quote",
        "passage",
        "score",
    }
    assert payload["citations"] and all(citation_keys <= set(c) for c in payload["citations"])
    for citation in payload["citations"]:
        assert citation["quote"] in citation["passage"]
    numbers = {c["n"] for c in payload["citations"]}
    assert {int(n) for n in re.findall(r"\[(\d+)\]", payload["answer"])} <= numbers


def test_ask_takes_history_from_the_command_line(answering_index):
    from assistant.cli import cli

    result = CliRunner().invoke(
        cli,
        [
            "ask",
            "and Everett?",
            "--history",
            "Who leads the Quincy department in the test policy?",
            "--index",
            str(answering_index),
            "--json",
        ],
        catch_exceptions=False,
    )
    payload = json.loads(result.output)
    assert "Everett" in payload["standalone_question"] and "Rowan Pike" in payload["answer"]


def test_a_possessive_names_no_one_new_beside_the_plain_name() -> None:
    from assistant.answer import _names_new

    kept = "In 2026 the report listed Holyoke's police policy among the permissive ones (Biometric Update, 2026)."
    again = "Biometric Update wrote that the 2026 report placed Holyoke among the permissive departments."
    assert not _names_new(again, kept)
    assert not _names_new(kept, again)
    assert _names_new("The 2026 report placed Everett among them.", kept)


def test_a_best_sentence_holding_the_kind_of_thing_asked_is_quoted_as_closest_not_nothing(answering_index):
    from assistant.service import AssistantService
    from tests.conftest import fixture_settings

    question = "Why could the jail not keep the person past midnight in Doe v. Harbor County?"
    unsure = {"abstain_below": 0.99, "confident_above": 0.995}  # every probability under "nothing here"
    kept = AssistantService(fixture_settings(answering_index, **unsure)).ask(question)
    assert kept.kind == "closest" and "held that jail staff may not keep" in kept.answer
    # without the rule, the same reply is "nothing here"
    plain = AssistantService(fixture_settings(answering_index, **unsure, typed_is_relevant=False)).ask(question)
    assert plain.kind == "none"


def test_a_phone_number_asked_for_is_no_confident_answer_without_one(answering_index):
    from assistant.service import AssistantService
    from tests.conftest import fixture_settings

    sure = AssistantService(fixture_settings(answering_index, confident_above=0.0, abstain_below=0.0))
    # every reply confident at these thresholds, but none of the documents gives the office's phone number
    assert sure.ask("when does the desk sergeant tell the federal office").kind == "answer"
    reply = sure.ask("what is the phone number for the federal office the desk sergeant notifies")
    assert reply.kind == "closest"


def test_one_owners_two_documents_compared_are_each_quoted_from_their_own(tmp_path):
    """ "eastbrook's police policy and its council order": the two sides are two kinds of Eastbrook's documents (a
    policy, an order), each quoted from its own even where the other says nearly the same."""
    import shutil
    from pathlib import Path

    from assistant.service import AssistantService
    from tests.conftest import fixture_settings

    realworld = Path(__file__).resolve().parent.parent / "evals" / "fixtures" / "realworld"
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("eastbrook-police-policy-415.txt", "eastbrook-council-order-2025-112.html"):
        shutil.copy(realworld / name, docs / name)
    service = AssistantService(fixture_settings(tmp_path / "index"))
    assert service.ingest([docs], progress=False).count("failed") == 0
    answer = service.ask(
        "eastbrook's police policy and its council order both want a yearly report from the chief, "
        "who does it go to under each?"
    )
    assert_verified(answer)
    cited = {c.n: c.file for c in answer.citations}
    sides = {
        "eastbrook's police policy": "eastbrook-police-policy-415.txt",
        "eastbrook's council order": "eastbrook-council-order-2025-112.html",
    }
    for label, file in sides.items():
        lines = [line for line in answer.answer.splitlines() if line.startswith(f"{label}:")]
        assert lines, answer.answer
        assert {cited[int(n)] for line in lines for n in CITATION_MARKER.findall(line)} == {file}, answer.answer
    assert "City Council by March 31" in answer.answer and "City Clerk" in answer.answer


def test_a_document_named_by_its_number_is_the_one_quoted(fixture_assistant) -> None:  # type: ignore[no-untyped-def]
    from assistant.compose import NumberedDocument, numbered_document

    policy = NumberedDocument("policy", "415")
    assert numbered_document("eastbrook pd policy 415 that i uploaded, who does the annual report go to") == policy
    assert numbered_document("Who sponsored Eastbrook Council Order No. 2025-112?") == NumberedDocument(
        "order", "2025-112"
    )
    assert numbered_document("under chelsea policy 1.33 can cops ask status in order to id someone") is not None
    # two documents, another document beside it, a comparison, or no document number at all: none named
    for question in (
        "do policy 415 and policy 416 agree",
        "compare framingham policies 200-15 and 200-16",
        "under the council order and its police policy 415, who gets the report",
        "framingham policy 200-15 cites the trust act, what does the act say about detainers",
        "is framingham policy 200-15 stricter than the trust act",
        "amherst bylaw 2017, does it cover detainers",
        "do police honor ice orders 48 hours after release",
        "does policy 2 of 3 apply",
        "is there a statewide policy 287(g) ban",
    ):
        assert numbered_document(question) is None, question
    assert policy.named_in("Policy Number: 415") and policy.named_in("under Policy 415, officers")
    assert not policy.named_in("Policy 4150") and not policy.named_in("policy 415.2")
    assert not policy.named_in("Eastbrook Police Department, 415 Main Street")
    assert NumberedDocument("order", "2025-112").named_in("Council Order No. 2025-112")
    composer = getattr(fixture_assistant.composer, "extractive", fixture_assistant.composer)

    def files(question: str) -> set[str]:
        plan, evidence = fixture_assistant.prepare(question)
        main = next(e for e in evidence if e.request.query == plan.standalone)
        sentences, passages, _ = composer.scored(main)
        return {passages[s.passage].chunk.file for s in sentences}

    assert files("under test policy 9.1, when is the federal office told") == {"fictional-quincy-test-policy.md"}
    # no number, or a number no document names: every document found
    assert len(files("under the test policy, when is the federal office told")) > 1
    assert len(files("under test policy 7.7, when is the federal office told")) > 1
