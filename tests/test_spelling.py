"""Misspelled question words read as the retrieved passages' spelling (assistant/spelling.py)."""

from __future__ import annotations

import pytest

from assistant.spelling import edit_distance, misspelled, respelled

WORDS = {"what", "the", "weather", "would", "does", "police", "sheriff", "licence", "guards"}


def is_word(word: str) -> bool:
    return word in WORDS


def nothing_indexed(words: list[str]) -> set[str]:
    return set()


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("polcie", "police", 1),  # two neighbours swapped
        ("imigration", "immigration", 1),
        ("sherrif", "sheriff", 2),
        ("barnstible", "barnstable", 1),
        ("weather", "whether", 2),
        ("amherst", "amherst", 0),
        ("quincy", "boston", 3),  # anything past the limit is the limit + 1
    ],
)
def test_edit_distance_counts_changes_additions_drops_and_swaps(a, b, distance):
    assert edit_distance(a, b, 2) == distance


def test_a_word_that_is_neither_english_nor_indexed_takes_the_passages_spelling():
    passages = ["The Barnstable County Sheriff's Office ended its agreement.", "The sheriff said so."]
    fixes = misspelled("barnstible sherrif 287g when did it end", passages, is_word, nothing_indexed)
    assert fixes == {"barnstible": "Barnstable", "sherrif": "sheriff"}
    assert respelled("barnstible sherrif 287g", fixes) == "Barnstable sheriff 287g"


def test_real_words_indexed_words_contractions_and_far_words_are_left_as_typed():
    passages = ["Whether the police may hold someone is a separate question; the detainers were civil."]
    # "weather" is an English word; "detainees" is in the index; "wouldnt" is "would" + "nt"; "quincey" has no
    # passage word within one letter; short words are never touched.
    question = "what's the weather, wouldnt the detainees in quincey go"
    assert misspelled(question, passages, is_word, lambda words: {"detainees"} & set(words)) == {}


def test_names_and_other_words_of_a_family_are_not_misspellings():
    from assistant.pipeline import _stem

    passages = ["ICE asked for support; the jails and the arrests were counted, and the amendment passed."]
    fixes = misspelled(
        "ICE arrests in the Seaport, jailers, arrestees, amendmant",
        passages,
        is_word,
        nothing_indexed,
        _stem,
        {"seaport"},
    )
    assert fixes == {"amendmant": "amendment"}


def test_a_six_letter_word_takes_only_one_letter_of_difference():
    # "polcie" → "police" is one swap; "pulise" is two changes from "police", too many for six letters.
    assert misspelled("polcie", ["Police said"], is_word, nothing_indexed) == {"polcie": "Police"}
    assert misspelled("pulise", ["police said"], is_word, nothing_indexed) == {}


def test_a_misspelled_question_is_searched_again_with_the_documents_spelling(fixture_assistant):
    answer = fixture_assistant.ask("how many gaurds did the lakeshire jail employ")
    assert 'Spelling: read "gaurds" as "guards".' in answer.notes
    assert "guards" in answer.standalone_question
    assert "ninety" in answer.answer and answer.question == "how many gaurds did the lakeshire jail employ"


def test_a_misspelled_name_no_retrieved_passage_holds_is_read_as_the_index_spells_it(fixture_assistant):
    # "marlove" is one letter from "Marlowe", a name (capitalised) the whole index holds once; everyday words
    # ("happend") are left to the retrieved passages, and so is a word two letters from anything.
    assert fixture_assistant._respelled_from_index("what did chief marlove say about it", {}) == {"marlove": "Marlowe"}
    assert fixture_assistant._respelled_from_index("what happend to the policy", {}) == {}
    assert fixture_assistant._respelled_from_index("what did chief marluve say about it", {}) == {}
