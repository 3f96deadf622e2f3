"""Pure parts of retrieval and conversation: fusion, authority ties, filters, follow-up rewriting."""

import pytest

from assistant.answer import answer_type
from assistant.chat import Turn, asks_about_rights, asks_for_my_town, rewrite_question
from assistant.plan import question_about
from assistant.retrieve import fuse_rankings, order_with_authority
from assistant.types import Filters
from corpus.towns import load_towns
from index.filters import build_where


def test_reciprocal_rank_fusion_rewards_agreement():
    scores = fuse_rankings([["a", "b", "c"], ["b", "c", "d"]], k=60)
    assert max(scores, key=scores.get) == "b"
    assert scores["a"] == pytest.approx(1 / 61)
    assert set(scores) == {"a", "b", "c", "d"}


def test_authority_breaks_near_ties_but_not_clear_wins():
    # news scores a hair higher than the policy: a tie, so the policy goes first
    assert order_with_authority([("news", 0.0330, 1), ("policy", 0.0325, 3)], margin=0.0015) == ["policy", "news"]
    # a clear win stays a win
    assert order_with_authority([("news", 0.0330, 1), ("policy", 0.0200, 3)], margin=0.0015) == ["news", "policy"]
    assert order_with_authority([("news", 0.0330, 1), ("policy", 0.0325, 3)], margin=0.0) == ["news", "policy"]


def test_filters_become_chroma_where_clauses():
    assert build_where(Filters()) is None
    # a town's own documents, passages elsewhere that name it, and statewide documents
    quincy = [{"towns": {"$contains": "Quincy"}}, {"mentions": {"$contains": "Quincy"}}]
    assert build_where(Filters(towns=["Quincy"])) == {"$or": [*quincy, {"statewide": True}]}
    assert build_where(Filters(towns=["Quincy"], include_statewide=False)) == {"$or": quincy}
    where = build_where(Filters(doc_types=["policy"], date_from="2025", date_to="2025-05"))
    assert where == {
        "$and": [{"doc_type": {"$in": ["policy"]}}, {"date_ord": {"$gte": 20250000}}, {"date_ord": {"$lte": 20250531}}]
    }


QUINCY = Turn("What is Quincy's police policy on ICE?", "What is Quincy's police policy on ICE?", ["Quincy"])
LUNN = Turn(
    "What did the court decide in Lunn v. Commonwealth?", "What did the court decide in Lunn v. Commonwealth?", []
)


@pytest.mark.parametrize(
    ("question", "previous", "expected"),
    [
        ("and Everett?", QUINCY, "What is Everett's police policy on ICE?"),
        ("What about Holyoke?", QUINCY, "What is Holyoke's police policy on ICE?"),
        ("who is their chief?", QUINCY, "who is Quincy's chief?"),
        ("does it require fingerprinting?", QUINCY, "does Quincy's policy require fingerprinting?"),
        ("When was it decided?", LUNN, "When was Lunn v. Commonwealth decided?"),
        (
            "What did the court decide in Lunn v. Commonwealth?",
            QUINCY,
            "What did the court decide in Lunn v. Commonwealth?",
        ),
        ("What is Chelsea's fingerprinting practice?", QUINCY, "What is Chelsea's fingerprinting practice?"),
    ],
)
def test_follow_ups_become_standalone_questions(question, previous, expected):
    assert rewrite_question(question, [previous], load_towns()) == expected


def test_a_first_question_is_never_rewritten():
    assert rewrite_question("and Everett?", [], load_towns()) == "and Everett?"


@pytest.mark.parametrize(
    ("question", "my_town", "rights"),
    [
        ("What is my town's police policy?", True, False),
        ("can the police in my town call ICE on me?", True, True),
        ("What did the court decide in Lunn?", False, False),
        ("Do I have to answer questions about my status?", False, True),
        ("How do I request my town's police policy?", False, False),
    ],
)
def test_my_town_and_rights_questions_are_recognised(question, my_town, rights):
    assert asks_for_my_town(question) is my_town
    assert asks_about_rights(question) is rights


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many departments?", "number"),
        ("When was it decided?", "date"),
        ("Who leads it?", "name"),
        ("What does it say?", None),
    ],
)
def test_answer_types(question, kind):
    assert answer_type(question) == kind


@pytest.mark.parametrize(
    ("question", "town", "others", "expected"),
    [
        (
            "How do Boston and Chelsea differ on telling ICE about releases?",
            "Chelsea",
            ["Boston"],
            "How do Chelsea on telling ICE about releases?",
        ),
        (
            "Compare Quincy, Everett and Holyoke",
            "Everett",
            ["Quincy", "Holyoke"],
            "What is Everett's police policy on ICE?",
        ),
    ],
)
def test_a_comparison_is_narrowed_to_one_town_at_a_time(question, town, others, expected):
    assert question_about(question, town, others) == expected
