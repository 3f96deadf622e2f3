"""Pure parts of retrieval and conversation: fusion, authority ties, filters, follow-up rewriting."""

import numpy as np
import pytest

from assistant.answer import (
    AnswerConfig,
    Sentence,
    add_ranked,
    answer_type,
    holds_new_answer,
    score_sentences,
    select_sentences,
    typed_among_best,
)
from assistant.calibration import LogisticModel
from assistant.chat import Turn, asks_about_rights, asks_for_my_town, has_content, own_words, rewrite_question
from assistant.plan import question_about
from assistant.retrieve import fuse_rankings, order_with_authority, with_leaders
from assistant.types import Filters, Passage
from corpus.towns import load_towns
from index.filters import build_where
from index.keyword import tokenize
from tests.factories import make_passage


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
        ("does it require fingerprinting?", QUINCY, "does Quincy's police policy require fingerprinting?"),
        # "it" is the thing the previous question was about, put in the town it was asked of
        (
            "when was it started",
            Turn("what is the BRIC in boston", "what is the BRIC in boston", ["Boston"]),
            "when was Boston's BRIC started",
        ),
        (
            "when was it passed",
            Turn("does lowell have a sanctuary policy?", "does lowell have a sanctuary policy?", ["Lowell"]),
            "when was Lowell's sanctuary policy passed",
        ),
        ("When was it decided?", LUNN, "When was Lunn v. Commonwealth decided?"),
        # "they" after "who …, and where": whoever does it, not the town's police
        (
            "who actually answers those queries and where are they",
            QUINCY,
            "who actually answers those queries and where are they in Quincy?",
        ),
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


@pytest.mark.parametrize(
    ("standalone", "own"),
    [
        (
            "who ended it and when, about did barnstable county's sheriff ever check inmates' status?",
            "who ended it and when",
        ),
        ("who sued, about has anyone sued ICE over courthouse arrests?", "who sued"),
        ("what did the chief say about it?", None),  # no topic put after it
        ("when was Boston's BRIC started", None),
    ],
)
def test_a_follow_up_with_its_topic_after_it_keeps_its_own_words_apart(standalone, own):
    assert own_words(standalone) == own


@pytest.mark.parametrize(("words", "content"), [("and", False), ("ok so", False), ("hey", False), ("who sued", True)])
def test_chat_filler_asks_nothing_by_itself(words, content):
    assert has_content(words) is content


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
        ("what dates did the agreement cover", "date"),
        ("barnstable sheriff 287g when did it end", "date"),
        ("arent they banned from city lots? and boston too? since when for each", "date"),
        ("since when can cops ask about status??", None),
        # "when" joining a clause asks for no date
        ("what happens when ice asks the police about a kid", None),
        ("when the feds pulled out where did the detainees go", None),
        ("are there any exceptions", "exception"),
        ("is it ever allowed for police to hold someone for ICE", "exception"),
        ("which is older, boston's trust act or amherst's bylaw", "date"),
        ("what was the court's holding in lunn", "holding"),
        # "holding" as what a jail does asks for no court's holding
        ("what happens when ice asks the police about a juvenile they're holding", None),
        ("which agreement started earlier, barnstable's or plymouth's", "date"),
        # a person asked about without "who" opening the question
        ("and the guy who signed it in the first place?", "name"),
        ("and the woman from the group that wrote it, who's she", "name"),
        # "who" inside a question about what happens is no name asked for
        ("what happens to someone who's undocumented if police stop them", None),
        ("what happens to the guy who gets detained by ice", None),
        # how current something is asks for a date; how old a person must be does not
        ("how current is the data in that toolkit", "date"),
        ("how old is it", "date"),
        ("how old do you have to be to get a license", None),
        # a reason asked for without "why"
        ("what's quincy police's reason for checking the immigration status of people they arrest", "reason"),
        # what someone said in answer to it; not what a document, the news or a court says
        ("what did the sheriff say about it", "statement"),
        ("how did the quincy chief react to the report", "statement"),
        ("what does the policy say about juveniles", None),
        ("what did the news say about the senate vote", None),
        ("what did the sjc say about detainers", None),
        ("what did each city say about whether its cops tip off ice", None),
        ("what does the policy manual say about juveniles", None),
        ("what did lunn v commonwealth say about detainers", None),
        ("how old is the sheriff", None),
        # the name of a thing asked for
        ("whats the law called?", "name"),
        ("what is the law called", "name"),
        ("what is the name of the database", "name"),
        ("can i get a license if im undocumented? whats the law called", "name"),
        ("what are my rights if the police are called", None),
        # how long something has been around asks since when; how long a hold lasts, a length
        ("how long has that locator been around?", "date"),
        ("how long has the trust act been in place", "date"),
        ("how long can they hold you", "number"),
        # where a bill stands
        ("so is it a law now or what", "status"),
        ("did either the safe communities act or the protect act actually become law?", "status"),
        ("whats the status of the protect act", "status"),
        ("is it against the law for police to ask my status", None),
        # what happens next to a bill is its status; what happens after an arrest, or where someone stands, is not
        ("what's the status of the protect act?", "status"),
        ("what happens to the bill next", "status"),
        ("my brother was arrested by ice, what happens now", None),
        ("where does the sheriff stand on ice", None),
        ("what's the status of someone detained by ice", None),
        ("how long have they been doing this", "date"),
        ("how long had the agreement been in place before it ended", "number"),
        # a term in quotes, with where it is seen
        ("what does the 'A-number' on immigration papers mean?", "definition"),
        # what an update changed: a change over time, not two towns' or two versions' differences
        ("what changed in boston's trust act in 2019 compared to the original 2014 one", "change"),
        ("whats the difference between boston's original trust act and the 2019 update", "change"),
        ("how is the 2019 boston trust act different from the 2014 one", "change"),
        ("so what did they add to it in feb 2026", "change"),
        ("quincy cops vs brookline cops on checking someones immigration status, how are they different", None),
        ("the senate version vs the house version, how do they differ", None),
        ("when did it change", "date"),
        ("what did ice say about the change", "statement"),
        ("what is different about boston's policy vs cambridge's", None),
        ("whats new in boston", None),
        # a reason asked for by name
        ("what reason did the new cape sheriff give for ripping up the ICE agreement?", "reason"),
        ("which justification did the chief offer", "reason"),
        ("what explanation was given", "reason"),
        ("what explanations did hodgson give", "reason"),
        # what is required, or which account, is no reason asked for
        ("what justification do cops need to hold someone for ice", None),
        ("what reason do cops need to stop you", None),
        ("which explanation of the trust act is right", None),
        # a way to reach someone: a phone number, an address, a website; not calling a line, nor a phone's camera
        ("whats the phone number for ice's detainee locator", "contact"),
        ("i need to call ice's burlington office — what number do i dial?", "contact"),
        ("where's the ice office, the street address?", "contact"),
        ("is there a state website where i can report ice agents", "contact"),
        ("did shrewsbury pd call that ice hotline", None),
        ("am i allowed to record it on my phone", None),
        ("can i just email my records request", None),
        ("do i have to give police my phone number", None),
        ("can police look through my phone no matter what", None),
        ("does the rmv share phone numbers and addresses with ice", None),
        ("what's the policy number", "definition"),
        ("whats the number of people held", None),
        ("what's the number of the sheriff's office?", "contact"),
        ("what's their number", "contact"),
        # the kind asked for first: why, when, how many, who
        ("why did the city take down the website for reporting ice", "reason"),
        ("how many phone numbers did the police give ice", "number"),
        ("when did the hotline number start", "date"),
        # a term named, then asked about; not what a thing is about, nor a follow-up's "and everett? what is it"
        ("the ice website wants my dad's a-number, what is that even", "definition"),
        ("they gave him an I-247A, what's that?", "definition"),
        ("my son got a letter from ICE, what is that about", None),
        ("and everett? what is it", None),
        ("and everett, what is it", None),
        ("the detainer policy in worcester, what is it", None),
        ("I got a call from ICE, what is that", None),
        ("ice is outside my door right now, what is this", None),
    ],
)
def test_answer_types(question, kind):
    assert answer_type(question) == kind


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("The sheriff ended the agreement in 2021, citing too few trained staff.", True),
        ("The jail stopped, since it no longer had the staff.", True),
        ("Since March 2026, residents can report misconduct online.", False),
        ("The county has held detainees ever since 2017.", False),
        ("Nothing changed since the Trust Act passed.", False),
        ("Officers were cited for misconduct twice.", False),
        ("Buckley said the program had not made Cape Cod safer.", True),  # a reason given in someone's words
        ("The sheriff ended it in September 2021, saying he had too few trained staff.", True),
        ("Saying no to ICE is allowed.", False),  # not an act's stated reason
        ("The council voted 9-2 on Tuesday, saying yes to the ordinance.", False),
        ("Hodgson declined to comment, saying nothing about the contract.", False),
        ("A sign was posted, saying 'No ICE'.", False),
        ("The sheriff said in May 2021 that the contract had ended.", False),  # when it was said is no reason
        # a judgment that reads as the reason: "called the conditions unacceptable", "argues that"
        ("The secretary called the treatment of detainees at the county's center unacceptable when he ended it.", True),
        ("The group argues that nothing in state law requires the query.", True),
        ("Officers called ICE after the arrest.", False),  # a phone call
        ("The officer in charge shall be called to the scene if necessary.", False),
        ("Critics of so-called sanctuary policies call them illegal.", False),
        ("The case was argued before the SJC in April 2017.", False),  # when it was argued is no reason
        # a purpose is a reason
        ("The chief called the query a tool that helps officers identify the people they arrest.", True),
        ("Its purpose is to keep ICE out of schools.", True),
        ("Officers needed to get a warrant before the arrest.", False),  # an obligation, not a purpose
        ("It helps to call a lawyer first.", False),
        # an opinion's own voice: "We conclude that …" is the court's reasoning
        ("We conclude that holding a person on a detainer is an arrest under Massachusetts law.", True),
        ("We were told the hearing moved.", False),
    ],
)
def test_a_reason_is_told_from_a_time(sentence, reason):
    assert holds_new_answer(sentence, "why did the sheriff end it", "reason") is reason


def test_a_reason_among_the_best_few_sentences_is_enough_to_quote_them():
    question = "what reason did the new sheriff give for ending the agreement?"
    texts = [
        ("Sheriff Cummings signed the agreement in June 2007.", 0.45),
        ("Sheriff Buckley ended the agreement on her first day in office.", 0.43),
        ("Buckley said the program had not made the county safer.", 0.40),
        ("The agreement covered the county jail.", 0.38),
    ]
    sentences = [Sentence(i, 0, len(t), t, score=s) for i, (t, s) in enumerate(texts)]
    assert typed_among_best(question, sentences, 3, 0.8)
    assert not typed_among_best(question, sentences, 2, 0.8)  # the reason is third
    assert not typed_among_best("tell me about the agreement", sentences, 3, 0.8)  # nothing of a kind is asked
    # one far below the best is no evidence the question is about it (a false premise: "why did nlets get shut down")
    sentences[2].score = 0.2
    assert not typed_among_best(question, sentences, 3, 0.8)


@pytest.mark.parametrize(
    ("sentence", "holding"),
    [
        ("We hold that a State officer has no authority to arrest on a civil detainer.", True),
        ("We conclude that the petition is moot.", True),
        ("We discuss the facts first.", False),
        ("We therefore hold that the detainer gave no authority to arrest.", True),
        ("We hold detainees for no more than 48 hours.", False),  # a jail's own voice: no holding
    ],
)
def test_an_opinion_in_its_own_voice_holds(sentence, holding):
    assert holds_new_answer(sentence, "what did the court decide", "holding") is holding


@pytest.mark.parametrize(
    ("sentence", "exception"),
    [
        ("Officers may not share release dates unless required by law.", True),
        ("The rule does not apply to criminal warrants signed by a judge.", True),
        ("The act would bar law enforcement from asking about status.", False),
    ],
)
def test_an_exception_is_recognised(sentence, exception):
    assert holds_new_answer(sentence, "are there any exceptions", "exception") is exception


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        ("Town Meeting adopted the bylaw by a vote of 165 to 4 in May 2017.", True),
        ("| Amherst | Sanctuary bylaw | 2017 |", False),  # a year is no answer to "how many"
        ("Chelsea police detained five juveniles (GBH, 2025-05-20).", True),
        ("The policy was issued in 2019 (Boston Globe, 2019-06-15).", False),
    ],
)
def test_a_count_is_recognised_and_a_year_is_not_one(sentence, count):
    assert holds_new_answer(sentence, "how many votes were there", "number") is count


@pytest.mark.parametrize(
    ("sentence", "day", "any_date"),
    [
        ("The amended Boston Trust Act was signed on December 19, 2019 (Boston city code).", True, True),
        ("The Chief shall file a written report no later than March 31 of each year.", True, True),
        ("Boston's Trust Act was amended in December 2019.", False, True),
        ("The sheriff ended the agreement (Patriot Ledger, 2021-09-10).", False, True),  # an attribution's day
        ("The order was signed Dec. 19, 2019.", True, True),
    ],
)
def test_a_question_asking_what_date_wants_a_day_and_one_asking_when_any_date(sentence, day, any_date):
    assert holds_new_answer(sentence, "on what date was it amended", "date") is day
    assert holds_new_answer(sentence, "when was it amended", "date") is any_date


def _passage(name: str, dense: int | None, keyword: int | None) -> Passage:
    return make_passage(name, dense, keyword)


def test_each_retrievers_leaders_make_the_cut():
    # fused order: four chunks both retrievers rank fairly well, then one only BM25 ranks first
    fused = [_passage(f"both{i}", i + 3, i + 3) for i in range(4)] + [_passage("bm25-first", None, 1)]
    assert [p.chunk.id for p in with_leaders(fused, 3, 2)] == ["both0", "both1", "bm25-first"]
    assert [p.chunk.id for p in with_leaders(fused, 3, 0)] == ["both0", "both1", "both2"]
    # a leader already in the cut is never pushed out by another
    leaders = [_passage("dense-first", 1, None), _passage("dense-second", 2, None), _passage("bm25-first", None, 1)]
    assert [p.chunk.id for p in with_leaders(leaders, 2, 2)] == ["dense-first", "dense-second"]
    # BM25's first was a never-quoted section, left out before the cut: its third is now among its best two
    kept = [_passage(f"both{i}", i + 3, i + 5) for i in range(4)] + [_passage("bm25-third", None, 3)]
    assert [p.chunk.id for p in with_leaders(kept, 3, 2)] == ["both0", "both1", "bm25-third"]


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
        # typed in lower case, as people type
        (
            "do quincy and everett police share info with ice",
            "Everett",
            ["Quincy"],
            "do everett police share info with ice?",
        ),
        # each town's own thing goes out with the other town's name
        (
            "which is older, boston's trust act or amherst's sanctuary bylaw",
            "Amherst",
            ["Boston"],
            "which is older, amherst's sanctuary bylaw?",
        ),
        (
            "which is older, boston's trust act or amherst's sanctuary bylaw",
            "Boston",
            ["Amherst"],
            "which is older, boston's trust act?",
        ),
        # "each one" is the one town now, and no joining word is left hanging
        (
            "compare boston's ice executive order with worcester's - when was each one signed?",
            "Boston",
            ["Worcester"],
            "boston's ice executive order: when was it signed?",
        ),
        # the thing named once, after the first town, is the second town's too
        (
            "compare boston's ice executive order with worcester's - when was each one signed?",
            "Worcester",
            ["Boston"],
            "worcester's ice executive order: when was it signed?",
        ),
        (
            "boston's trust act or amherst's sanctuary bylaw, which is older",
            "Boston",
            ["Amherst"],
            "boston's trust act, which is older?",
        ),
        # a shared thing stays: "framingham's and lowell's police rules"
        (
            "framingham's and lowell's police rules on ice",
            "Framingham",
            ["Lowell"],
            "framingham's police rules on ice?",
        ),
    ],
)
def test_a_comparison_is_narrowed_to_one_town_at_a_time(question, town, others, expected):
    assert question_about(question, town, others) == expected


def _one_after_another(passage: int, *units: tuple[str, float]) -> list[Sentence]:
    """Units of one passage, each right after the one before (text, score)."""
    sentences, start = [], 0
    for text, score in units:
        sentences.append(Sentence(passage, start, start + len(text), text, score=score))
        start += len(text) + 1
    return sentences


@pytest.mark.parametrize(
    ("best", "joined"),
    [
        ("The Attorney General wrote that nobody has to open the door unless agents show such a warrant.", True),
        ("Such a warrant must be signed by a judge.", True),
        ("A person does not have to open the door to ICE agents without a judicial warrant.", False),
        ("The guide is written in such a way that anyone can follow it.", False),
    ],
)
def test_a_unit_that_leans_on_the_one_before_brings_it_along(best, joined):
    before = "Under the guide, ICE agents may not enter a home unless they show a judicial warrant signed by a judge."
    sentences = [*_one_after_another(0, (before, 0.35), (best, 0.8)), Sentence(1, 0, 10, "Unrelated.", score=0.1)]
    chosen = select_sentences(sentences, np.eye(3), AnswerConfig())
    assert [s.text for s in chosen] == ([before, best] if joined else [best])


def test_a_unit_that_only_says_again_what_was_asked_brings_what_follows_it():
    units = _one_after_another(
        0,
        ("Holyoke's record points two ways.", 0.9),
        ("In November 2014, the mayor ordered the police not to honor civil immigration detainers.", 0.3),
        ("In 2026, a report listed the police policy among the permissive ones.", 0.3),
        ("Holyoke is in Hampden County.", 0.3),
    )
    sentences = [*units, Sentence(1, 0, 10, "Unrelated.", score=0.1)]
    units[0].echo = True
    chosen = select_sentences(sentences, np.eye(5), AnswerConfig())
    assert [s.text for s in chosen] == [u.text for u in units[:3]]
    units[0].echo = False  # a unit that tells something new stands alone
    assert [s.text for s in select_sentences(sentences, np.eye(5), AnswerConfig())] == [units[0].text]


@pytest.mark.parametrize(
    ("text", "echo"),
    [
        ("Holyoke's record points two ways.", True),
        ("Holyoke's record points two ways since 2014.", False),  # a year the question lacks
        ("In November 2014, the mayor ordered the police not to honor detainers.", False),
        ("Holyoke's record does not point two ways.", False),  # a "not" tells something new
    ],
)
def test_a_unit_holding_no_word_or_number_the_question_lacks_is_an_echo(text, echo):
    passage = make_passage(text, dense=1, keyword=1).model_copy(update={"score": 1.0})
    sentence = Sentence(0, 0, len(text), text)
    question = "the findings say holyoke's record points two ways. what are the two?"
    score_sentences(
        question, [sentence], [passage], lambda texts: np.ones((len(texts), 2)), tokenize, AnswerConfig(), []
    )
    assert sentence.echo is echo


def test_a_yes_or_no_question_is_answered_by_its_own_words():
    text = "Milford police honor ICE detainers."
    passage = make_passage(text, dense=1, keyword=1).model_copy(update={"score": 1.0})
    sentence = Sentence(0, 0, len(text), text)
    question = "do milford police honor ice detainers?"
    score_sentences(
        question, [sentence], [passage], lambda texts: np.ones((len(texts), 2)), tokenize, AnswerConfig(), []
    )
    assert not sentence.echo


def test_of_the_same_words_in_a_summary_and_its_original_the_original_is_quoted():
    words = "The court held that the sheriff may not hold anyone more than 48 hours on a detainer."
    sentences = [
        Sentence(0, 0, len(words), words, score=0.9, original=False),  # the shipped summary scores a little higher
        Sentence(1, 0, len(words), words, score=0.88),  # the user's upload of the opinion
        Sentence(2, 0, 10, "Unrelated.", score=0.1),
    ]
    vectors = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    chosen = select_sentences(sentences, vectors, AnswerConfig())
    assert [(s.passage, s.original) for s in chosen] == [(1, True)]


def _chosen_in_turn(texts: list[str], vectors: np.ndarray) -> list[int]:
    """Which of the texts, each its own passage and each scoring a little less than the one before, are quoted."""
    sentences = [Sentence(i, 0, len(t), t, score=0.9 - i / 100) for i, t in enumerate(texts)]
    return [s.passage for s in select_sentences(sentences, vectors, AnswerConfig())]


def test_like_sentences_naming_different_places_are_a_list_not_repeats():
    # "which sheriffs did not answer the survey": one sentence per county, nearly the same words in each
    texts = [
        "The Suffolk County sheriff's office did not answer the February 2025 survey (GBH News, 2025-02-04).",
        "The Essex County sheriff's office did not answer the February 2025 survey (GBH News, 2025-02-04).",
        "The Suffolk County sheriff's office did not answer the survey of February 2025 (GBH News).",
    ]
    vectors = np.array([[1.0, 0.0], [0.99, 0.141], [1.0, 0.0]])  # all three alike by the embedding
    # the Essex one is kept (it names another county); the second Suffolk one is a repeat, its source aside
    assert _chosen_in_turn(texts, vectors) == [0, 1]


def test_a_sentence_that_only_names_its_source_up_front_is_a_repeat():
    texts = [
        "Governor Maura Healey's order forbids new 287(g) agreements (NEPM, 2026-01-29).",
        "As NEPM reported it, Governor Maura Healey's order forbids new 287(g) agreements (NEPM, 2026-01-29).",
        "Governor Maura Healey's order also bars ICE from the non-public areas of state buildings (NEPM).",
    ]
    vectors = np.array([[1.0, 0.0], [0.995, 0.0999], [0.6, 0.8]])
    # "Governor" and "NEPM" are no one new: the first sentence says both
    assert _chosen_in_turn(texts, vectors) == [0, 2]


def test_one_statement_reworded_in_two_documents_is_a_repeat_whatever_its_vectors():
    texts = [
        "CBS Boston reported that ICE lodged a detainer after Everett police booked a 13-year-old, and that Everett's "
        "mayor said the police did not contact ICE (CBS Boston).",
        "CBS Boston reported that ICE lodged an immigration detainer after a 13-year-old was booked by Everett police, "
        "and that Everett's mayor said the police had not contacted ICE (CBS Boston).",
        "The Quincy chief said the check is a tool recognized at the federal level (GBH News, 2026).",
    ]
    # under two headings the first two embed apart; their words say they are one statement
    assert _chosen_in_turn(texts, np.eye(3)) == [0, 2]
    # like words saying the opposite, or another thing done, are no repeat
    for one, two in [
        ("Police may ask about immigration status.", "Police may not ask about immigration status."),
        ("The sheriff signed the 287(g) agreement in 2007.", "The sheriff ended the 287(g) agreement in 2007."),
        ("Officers hold people before release.", "Officers hold people after release."),
    ]:
        assert _chosen_in_turn([one, two, texts[2]], np.eye(3)) == [0, 1, 2]
    # like words naming another place are no repeat
    other = [texts[0], texts[0].replace("Everett", "Chelsea"), texts[2]]
    assert _chosen_in_turn(other, np.eye(3)) == [0, 1, 2]


def test_a_sentence_naming_the_asked_town_joins_it_from_another_towns_document():
    everett = "Everett's policy spells out cooperation with ICE."
    from_quincy = "Everett's policy explicitly outlines cooperation with ICE, the article said."
    only_quincy = "Quincy officers check the status of everyone born abroad."
    sentences = [
        Sentence(0, 0, len(everett), everett, ("Everett",), score=0.9),
        Sentence(1, 0, len(from_quincy), from_quincy, ("Quincy", "Everett"), score=0.89),
        Sentence(1, 100, 100 + len(only_quincy), only_quincy, ("Quincy",), score=0.88),
    ]
    chosen = select_sentences(sentences, np.eye(3), AnswerConfig())
    assert [s.text for s in chosen] == [everett, from_quincy]


def test_any_quoted_sentence_that_leans_on_the_one_before_brings_it_along():
    before = "Under the guide, ICE agents may not enter a home unless they show a judicial warrant."
    leaning = "The Attorney General wrote that nobody has to open the door unless agents show such a warrant."
    best = "A judicial warrant is signed by a judge."
    sentences = [Sentence(0, 0, len(best), best, score=0.9), *_one_after_another(1, (before, 0.2), (leaning, 0.85))]
    chosen = select_sentences(sentences, np.eye(3), AnswerConfig())
    assert [s.text for s in chosen] == [best, before, leaning]


def test_a_unit_pointing_at_the_text_above_comes_with_it_or_not_at_all():
    before = "Everett's mayor said the police did not contact ICE."
    above = "The two accounts above differ in emphasis: the city says its police did not reach out to ICE."
    other = "Everett police book juveniles the same way as adults."
    # after the sentence it points at, in one passage: the two come together
    sentences = [*_one_after_another(0, (before, 0.35), (above, 0.9)), Sentence(1, 0, len(other), other, score=0.8)]
    assert [s.text for s in select_sentences(sentences, np.eye(3), AnswerConfig())][:2] == [before, above]
    # opening its passage, what it points at is not there: it is not quoted
    sentences = [Sentence(0, 0, len(above), above, score=0.9), Sentence(1, 0, len(other), other, score=0.8)]
    assert [s.text for s in select_sentences(sentences, np.eye(2), AnswerConfig())] == [other]


def test_the_same_statement_cited_to_two_sources_is_quoted_once():
    texts = [
        "The Department of Homeland Security ended the Bristol County agreement in May 2021.",
        "The Department of Homeland Security ended the Bristol County agreement in May 2021 (ACLU of Massachusetts).",
        "Sheriff Hodgson called the decision political.",
    ]
    # embedded under different headings, the first two are not alike enough to count as repeats by their vectors
    assert _chosen_in_turn(texts, np.eye(3)) == [0, 2]


def test_a_question_about_another_state_that_no_passage_names_is_told_apart():
    from assistant.answer import names_absent_state

    passages = [_passage("the ACLU of Southern California said Lexipol's policy invites profiling", 1, 1)]
    assert names_absent_state("does the new hampshire sheriff have a 287g agreement", passages)
    assert not names_absent_state("what did the ACLU of Southern California say about Lexipol", passages)
    assert not names_absent_state("does the plymouth sheriff have a 287g agreement", passages)
    # a trip's end is not what is asked about
    assert not names_absent_state("can i use my license to get on a plane to florida?", passages)
    assert names_absent_state("do the florida police honor detainers", passages)
    assert not names_absent_state("i have a flight to florida next week, do police at logan check ids", passages)
    assert names_absent_state("if i move to new york, do they have sanctuary laws?", passages)
    # a postal abbreviation after a place is the state: "nashua nh", "Providence, RI", "Hartford CT"
    assert names_absent_state("whats the nashua nh police policy on ice detainers", passages)
    assert names_absent_state("does the Providence, RI police department honor detainers", passages)
    assert names_absent_state("what do Hartford CT police do", passages)
    assert names_absent_state("nashua n.h. police policy", passages)
    # a lower-case "ct" is a court, not Connecticut, and so is the Appeals Court's "App CT"
    assert not names_absent_state("what did the app ct say about detainers", passages)
    assert not names_absent_state("what did the SJC and App CT say", passages)
    # New York City and its and Los Angeles's police by their initials
    assert names_absent_state("what is the NYPD's policy on ICE detainers?", passages)
    assert names_absent_state("does the nypd honor ice detainers", passages)
    assert not names_absent_state("does lapd work with ice", passages)  # the passage names California
    nypd = [_passage("The NYPD does not honor ICE detainers without a judicial warrant", 1, 1)]
    assert not names_absent_state("does the nypd honor ice detainers", nypd)
    assert names_absent_state("nyc sanctuary law on detainers", passages)


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "what rules did brookline police have about ice before 2017, and what did the selectmen say that february",
            [
                "what rules did brookline police have about ice before 2017?",
                "what did the selectmen say that february?",
            ],
        ),
        (
            "who is the plymouth sheriff? did he sign a 287g deal",
            ["who is the plymouth sheriff?", "did he sign a 287g deal?"],
        ),
        (
            "can i get a license if im undocumented? whats the law called",
            ["can i get a license if im undocumented?", "whats the law called?"],
        ),
        ("when did dhs end it and why", []),  # "why" alone is no question of its own
        ("can police and ice share a building", []),  # "and" between two nouns
    ],
)
def test_a_two_part_question_is_split_into_its_parts(question: str, parts: list[str]) -> None:
    from assistant.plan import asked_parts

    assert asked_parts(question) == parts


@pytest.mark.slow
def test_a_two_part_question_quotes_an_answer_to_each_part(corpus_index) -> None:  # type: ignore[no-untyped-def]
    from assistant.service import AssistantService
    from tests.conftest import fixture_settings

    assistant = AssistantService(fixture_settings(corpus_index)).assistant
    answer = assistant.ask("when did amherst pass its sanctuary bylaw and what did the attorney general say about it")
    assert answer.kind in ("answer", "closest"), answer.answer
    assert "May 2017" in answer.answer, answer.answer
    assert "Attorney General approved" in answer.answer, answer.answer  # the second part's own best sentence


def test_a_question_about_a_beginning_or_an_end_is_told_apart_from_one_about_the_other() -> None:
    from assistant.answer import _ASKED_EVENT, _SUBORDINATE, _TOLD_EVENT, event_kind

    def asked(question: str) -> str | None:
        return event_kind(_SUBORDINATE.sub("", question), _ASKED_EVENT)

    assert asked("which 287g deal started earlier, barnstable's or plymouth's?") == "start"
    assert asked("when did each one withdraw from 287g") == "end"
    assert asked("bristol vs plymouth sheriffs: when did each one drop their 287g") == "end"
    # an ending that only says when ("… when the contract ended, and how did he react?") is not what is asked
    assert asked("what happened to the detainees when the contract ended, and how did the sheriff react?") is None
    assert asked("what does the trust act say about detainers") is None
    assert asked("when did framingham leave the 287g program") == "end"  # leaving an agreement, not a place
    assert asked("when did he leave the jail") is None
    told = _TOLD_EVENT
    assert event_kind("The sheriff signed a 287(g) agreement with ICE in June 2007.", told) == "start"
    assert event_kind("Sheriff Buckley ended the agreement in January 2023.", told) == "end"
    assert event_kind("The agreement was signed in 2017 and ended in 2021.", told) is None  # both: no preference


@pytest.mark.slow
def test_a_county_pages_line_for_one_town_is_quoted_only_for_a_question_about_that_town(corpus_index) -> None:  # type: ignore[no-untyped-def]
    from assistant.service import AssistantService
    from tests.conftest import fixture_settings

    assistant = AssistantService(fixture_settings(corpus_index)).assistant
    county = assistant.ask("who was the bristol county sheriff")
    assert county.citations, county.answer
    assert not [c for c in county.citations if c.section == "Cities and towns"], county.answer
    # a town with no document of its own still gets its county page's line
    town = assistant.ask("who prosecutes crimes in norton")
    assert any(c.section == "Cities and towns" and "Norton" in c.quote for c in town.citations), town.answer


@pytest.mark.slow
def test_a_question_about_a_towns_sheriff_quotes_what_its_county_pages_say(corpus_index) -> None:  # type: ignore[no-untyped-def]
    from assistant.service import AssistantService
    from tests.conftest import fixture_settings

    assistant = AssistantService(fixture_settings(corpus_index)).assistant
    # Springfield has no document; its county's sheriff does, under the county's name
    reply = assistant.ask(
        "has ice been contacting the sheriff here more since trump got in", filters=Filters(towns=["Springfield"])
    )
    assert "Hampden County" in reply.answer and "more often" in reply.answer, reply.answer
    assert reply.kind == "closest", reply.kind
    # Revere is named only on its county's page: the Suffolk sheriff's own sentences answer, not only that line
    reply = assistant.ask("did the sheriff for my city stop working with ice", filters=Filters(towns=["Revere"]))
    assert "2019" in reply.answer, reply.answer
    # a police question about a town asks nothing of its county, jail or not
    for question in ("does the quincy pd have a written ice policy", "can boston police put me in jail for no license"):
        plan = assistant.plan(question, [])
        assert [r.role for r in plan.requests] == ["answer"], question
    # nor a question nothing answers: what its county says is no answer on its own
    reply = assistant.ask("what did the sheriff for my city say about the weather", filters=Filters(towns=["Revere"]))
    assert reply.kind != "answer" or "Suffolk" not in reply.answer, reply.answer


def test_a_who_question_about_an_office_wants_a_name_given_as_that_offices() -> None:
    question = "who was the Bristol County sheriff back then"
    assert holds_new_answer(
        "Under Sheriff Thomas Hodgson, the Bristol County Sheriff's Office had both …", question, "name"
    )
    assert holds_new_answer("Donna Buckley, elected sheriff in November 2022, ended it.", question, "name")
    # a name, but not the sheriff's
    assert not holds_new_answer("DHS Secretary Alejandro Mayorkas called the treatment unacceptable.", question, "name")
    # a question naming no office takes any new name
    assert holds_new_answer("DHS Secretary Alejandro Mayorkas ended it.", "who ended the contract", "name")
    # a county is no person; the office's last word is its title; an office not asked for asks for any name
    assert not holds_new_answer("In Plymouth County, the sheriff ended it.", question, "name")
    assert holds_new_answer("Chief Jane Smith signed it.", "who is the police chief in quincy", "name")
    assert holds_new_answer("The mayor, Michelle Wu, signed it.", "who is the mayor of boston", "name")
    assert holds_new_answer("The city handed Jose Garcia to ICE.", "who did the sheriff hand over to ice", "name")


def test_a_question_about_one_county_is_not_answered_with_other_counties_sentences() -> None:
    from assistant.answer import asked_county, names_other_counties_only

    registry = load_towns()
    assert asked_county("who was the bristol county sheriff back then", registry) == "bristol"
    assert asked_county("did plymouth county or barnstable county keep it", registry) is None
    assert names_other_counties_only(
        "The Plymouth County Sheriff's Office ended its agreement in September 2021.", "bristol", registry
    )
    assert not names_other_counties_only("Massachusetts has 14 county sheriffs.", "bristol", registry)
    assert not names_other_counties_only(
        "The Bristol County sheriff and the Plymouth County sheriff …", "bristol", registry
    )


def _scores(sentences: list[Sentence], feature: str) -> list[float]:
    """The scores of a sentence ranker that orders by one feature alone."""
    ranker = LogisticModel(features=[feature], mean=[0.0], scale=[1.0], coef=[1.0], intercept=0.0, link="linear")
    return [ranker.score(s.features) for s in sentences]


def test_a_confident_answer_also_quotes_the_rankers_best_units_it_lacks():
    gist = (
        "When Quincy officers arrest someone born abroad, they check the person's status with the federal government."
    )
    specific = 'Officers must run an "Immigration Alien Query" through NLETS.'
    repeat = (
        "When Quincy officers arrest someone born abroad, they check that person's status with the federal government."
    )
    elsewhere = "Everett police do not ask about immigration status."
    aside = "Residents can request the policy under the public records law."
    sentences = [
        Sentence(0, 0, len(gist), gist, ("Quincy",), score=0.9, features={"specific": 0.5}),
        Sentence(0, 200, 200 + len(specific), specific, ("Quincy",), score=0.6, features={"specific": 0.9}),
        Sentence(1, 0, len(repeat), repeat, ("Quincy",), score=0.5, features={"specific": 1.0}),
        Sentence(2, 0, len(elsewhere), elsewhere, ("Everett",), score=0.4, features={"specific": 0.95}),
        Sentence(3, 0, len(aside), aside, score=0.3, features={"specific": 0.1}),
    ]
    vectors = np.eye(5)
    vectors[2] = vectors[0]  # the same words again: a near-duplicate of the gist
    config = AnswerConfig()
    chosen = select_sentences(sentences, vectors, config)
    assert [s.text for s in chosen] == [gist]  # the hand weights' pick alone: the others score under its floor
    ranked = add_ranked(sentences, vectors, chosen, _scores(sentences, "specific"), 3, config)
    # the ranker's best three: the repeat (a near-duplicate: left out), the specific one (quoted, in reading order)
    # and the other town's (never mixed into a Quincy answer)
    assert [s.text for s in ranked] == [gist, specific]
    assert add_ranked(sentences, vectors, chosen, _scores(sentences, "specific"), 0, config) == chosen
    # however many it may add, a unit far under the ranker's best (0.1 against 1.0) stays out
    assert [s.text for s in add_ranked(sentences, vectors, chosen, _scores(sentences, "specific"), 5, config)] == [
        gist,
        specific,
    ]


def test_a_unit_quoting_a_documents_own_words_counts_as_saying_something_new():
    gist = "Under Policy 200-15, Framingham officers are not to ask about a person's immigration status."
    quoted = 'Policy 200-15 opens by stating that "Enforcing federal immigration law is not a mission of the Police".'
    others = [
        'It calls that "the officer\'s own call".',  # three words ("officer's" one): no quotation
        'Its title is "Policy on Enforcement of Immigration Laws".',  # a title: most words capitalised
        'Officers treat "civil" detainers as "requests" from federal agents.',  # two one-word quotations
        'The policy says officers are "not to ask about a person\'s immigration status".',  # already quoted
        'away from the station." The chief added "we never hold people for them."',  # starts inside a quotation
    ]
    texts = [gist, quoted, *others]
    sentences = [
        Sentence(i, 0, len(t), t, score=0.9 if i == 0 else 0.4, features={"f": 1.0 - 0.01 * i})
        for i, t in enumerate(texts)
    ]
    config = AnswerConfig()
    vectors = np.eye(len(texts))
    chosen = select_sentences(sentences, vectors, config)
    assert [s.text for s in chosen] == [gist]
    # past the ranker's best (the gist) in a confident answer or a comparison's side
    more = add_ranked(sentences, vectors, chosen, _scores(sentences, "f"), 1, config, named=len(texts))
    assert [s.text for s in more] == [gist, quoted]
    # a "closest passages" reply's additions (none of the ranker's best taken as such) weigh names only: a quotation
    # there would take the room of a unit naming something
    assert add_ranked(sentences, vectors, chosen, _scores(sentences, "f"), 0, config, named=len(texts)) == chosen


def test_an_answer_to_when_takes_one_unit_giving_the_day_of_a_month_it_names_only_by_month_and_year():
    month = "DHS ended the Bristol County sheriff's 287(g) agreement in May 2021 (Biometric Update, April 2026)."
    other = ["Sheriff Hodgson ran the Dartmouth jail (ACLU, 2021-05-20).", "The jail held ICE detainees for years."]
    report = "GBH News reported on April 27, 2026 that a statewide report found gaps."  # the source's month only
    briefing = "The sheriff held a briefing on May 3, 2021 about the pandemic."  # another event that month
    plymouth = "The Plymouth County sheriff's 287(g) agreement was ended by DHS on May 27, 2021."  # another town's
    day = "DHS cut its ties with the Bristol County sheriff on May 20, 2021, ending the 287(g) agreement."
    again = "The Bristol County sheriff's agreement with DHS ended on May 21, 2021."
    texts = [month, *other, report, briefing, plymouth, day, again]
    towns = {0: ("Bristol",), 6: ("Bristol",), 7: ("Bristol",), 5: ("Plymouth",)}
    sentences = [
        Sentence(i, 0, len(t), t, towns.get(i, ()), score=0.9 if i == 0 else 0.3, features={"f": 1.0 - 0.04 * i})
        for i, t in enumerate(texts)
    ]
    config = AnswerConfig()
    vectors = np.eye(len(texts))
    chosen = select_sentences(sentences, vectors, config)
    assert [s.text for s in chosen] == [month]
    ranks = _scores(sentences, "f")
    # past the ranker's best two (the month, Hodgson's line) and its next one, one unit giving the day joins: not
    # the day of the source's month, of another event or of another town's agreement, and only one
    more = add_ranked(sentences, vectors, chosen, ranks, 2, config, named=1, days=True)
    assert [s.text for s in more] == [month, other[0], day]
    assert add_ranked(sentences, vectors, chosen, ranks, 2, config, named=1) == [*chosen[:1], sentences[1]]


def test_a_line_pointing_the_reader_to_a_records_request_is_never_added_even_among_the_rankers_best():
    gist = "Quincy officers check the status of people born abroad whom they arrest."
    records = (
        "Residents who want to read Quincy's policy can ask its records access officer under the public records law."
    )
    named = 'Officers run an "Immigration Alien Query" through NLETS on each of them.'
    sentences = [
        Sentence(0, 0, len(gist), gist, score=0.9, features={"f": 1.0}),
        Sentence(1, 0, len(records), records, score=0.5, features={"f": 0.97}),
        Sentence(2, 0, len(named), named, score=0.4, features={"f": 0.95}),
    ]
    config = AnswerConfig()
    chosen = select_sentences(sentences, np.eye(3), config)
    ranks = _scores(sentences, "f")
    # the pointer, second in the ranker's order, would take the room the query's name needs
    room = len(gist) + len(records) + 5  # room for either, not both
    assert [s.text for s in add_ranked(sentences, np.eye(3), chosen, ranks, 3, config, room)] == [gist, named]


def test_past_the_rankers_best_units_an_answer_takes_the_next_ones_only_when_they_name_something_new():
    gist = "Quincy officers check the status of people born abroad whom they arrest."
    kennedy = "The chief called the check a tool that helps identify people."
    again = "Quincy officers check with the federal government on people born abroad."
    named = 'Officers run an "Immigration Alien Query" through NLETS on each of them.'
    sentences = [
        Sentence(0, 0, len(gist), gist, score=0.9, features={"f": 1.0}),
        Sentence(1, 0, len(kennedy), kennedy, score=0.5, features={"f": 0.95}),
        Sentence(2, 0, len(again), again, score=0.5, features={"f": 0.9}),
        Sentence(3, 0, len(named), named, score=0.4, features={"f": 0.85}),
    ]
    config = AnswerConfig()
    chosen = select_sentences(sentences, np.eye(4), config)
    assert [s.text for s in chosen] == [gist]
    ranks = _scores(sentences, "f")
    # the ranker's best two: the gist (held) and the chief's words
    assert [s.text for s in add_ranked(sentences, np.eye(4), chosen, ranks, 2, config)] == [gist, kennedy]
    # two more looked at: the one telling the gist again names nothing new and stays out; the query's name joins
    more = add_ranked(sentences, np.eye(4), chosen, ranks, 2, config, named=2)
    assert [s.text for s in more] == [gist, kennedy, named]
    # a "closest passages" reply holds the ranker's best already: of its next ones, only those naming something new
    closest = add_ranked(sentences, np.eye(4), chosen, ranks, 0, config, named=4)
    assert [s.text for s in closest] == [gist, named]
    # and none that would take it past its length budget
    assert add_ranked(sentences, np.eye(4), chosen, ranks, 0, config, len(gist) + 20, named=4) == chosen


def test_what_counts_as_naming_something_new_for_the_rankers_next_units():
    from assistant.answer import _names_new

    # thousands commas do not make a number new
    assert not _names_new("About 5,500 people were held.", "ICE held about 5,500 people.")
    assert _names_new("About 6,000 people were held.", "ICE held about 5,500 people.")
    # words every page here holds, a word opening a quotation or a list item, a footnote mark: nothing new
    kept = "Everett police do not ask about status."
    assert not _names_new("Residents can ask the Everett Police Department in Massachusetts.", kept, strict=True)
    assert not _names_new('It says "Nothing in this policy" applies [2].', kept, strict=True)
    assert _names_new('Officers run an "Immigration Alien Query" through NLETS.', kept, strict=True)


def test_the_rankers_next_units_leave_out_pointers_elsewhere_and_other_towns():
    gist = "The county sheriff ended the agreement in 2023."
    pointer = "Chelsea is in Suffolk County; see the Suffolk County page in this collection."
    chelsea = "Chelsea police adopted Policy 1.33 in 2019."
    signed = "Sheriff James Cummings signed it in June 2007."
    sentences = [
        Sentence(0, 0, len(gist), gist, score=0.9, features={"f": 1.0}),
        Sentence(1, 0, len(pointer), pointer, score=0.5, features={"f": 0.95}),
        Sentence(2, 0, len(chelsea), chelsea, ("Chelsea",), score=0.5, features={"f": 0.9}),
        Sentence(3, 0, len(signed), signed, score=0.4, features={"f": 0.85}),
    ]
    config = AnswerConfig()
    chosen = select_sentences(sentences, np.eye(4), config)
    assert [s.text for s in chosen] == [gist]
    more = add_ranked(sentences, np.eye(4), chosen, _scores(sentences, "f"), 0, config, named=4)
    assert [s.text for s in more] == [gist, signed]


def test_a_list_items_lead_in_counts_in_the_budget_of_the_units_added():
    best = "The ordinance takes effect on passage."
    lead = "No city employee shall:"
    item = "(b) hold a person on a detainer from ICE in Boston;"
    sentences = [
        Sentence(0, 0, len(best), best, score=0.9, features={"f": 0.0}),
        Sentence(1, 30, 30 + len(item), item, lead=(0, len(lead), lead), score=0.2, features={"f": 1.0}),
    ]
    chosen = select_sentences(sentences, np.eye(2), AnswerConfig())
    room = len(best) + len(item) + 2  # the item fits, its lead-in does not
    assert add_ranked(sentences, np.eye(2), chosen, _scores(sentences, "f"), 1, AnswerConfig(), room) == chosen


def test_a_list_item_the_ranker_adds_comes_with_its_lead_in():
    best = "The ordinance takes effect on passage."
    lead = "No city employee shall:"
    item = "(b) hold a person solely on an immigration detainer;"
    sentences = [
        Sentence(0, 0, len(best), best, score=0.9, features={"f": 0.0}),
        Sentence(1, 30, 30 + len(item), item, lead=(0, len(lead), lead), score=0.2, features={"f": 1.0}),
    ]
    chosen = select_sentences(sentences, np.eye(2), AnswerConfig())
    ranked = add_ranked(sentences, np.eye(2), chosen, _scores(sentences, "f"), 1, AnswerConfig())
    assert [s.text for s in ranked] == [best, lead, item]


def test_the_rankers_additions_keep_to_one_town_quote_no_line_twice_and_nothing_leaning_back():
    statewide = "Massachusetts law does not let police hold anyone on a civil detainer alone."
    quincy = "Quincy officers run a status query for every arrested person born abroad."
    everett = "Everett officers do not ask about status."
    lead = "No city employee shall:"
    item = "(b) hold a person solely on an immigration detainer;"
    leaning = "It requires a judicial warrant signed by a judge."
    sentences = [
        Sentence(0, 0, len(statewide), statewide, score=0.9, features={"f": 0.5}),
        Sentence(1, 0, len(quincy), quincy, ("Quincy",), score=0.3, features={"f": 1.0}),
        Sentence(2, 0, len(everett), everett, ("Everett",), score=0.3, features={"f": 0.95}),
        Sentence(3, 0, len(lead), lead, score=0.2, features={"f": 0.9}),
        Sentence(3, 30, 30 + len(item), item, lead=(0, len(lead), lead), score=0.85, features={"f": 0.2}),
        Sentence(4, 50, 50 + len(leaning), leaning, score=0.2, features={"f": 0.92}),
    ]
    config = AnswerConfig(relative_floor=0.9)
    chosen = select_sentences(sentences, np.eye(6), config)
    assert [s.text for s in chosen] == [statewide, lead, item]  # the list item quoted with its lead-in
    ranked = add_ranked(sentences, np.eye(6), chosen, _scores(sentences, "f"), 5, config)
    # Quincy's unit joins and, once it has, Everett's does not; the lead-in line, a candidate of its own, is not
    # quoted a second time; "It requires …" leans on a line not quoted
    assert [s.text for s in ranked] == [statewide, quincy, lead, item]


def test_the_rankers_floor_is_a_share_of_its_best_whatever_the_sign():
    texts = ["The best unit.", "A near tie.", "Far below."]
    sentences = [
        Sentence(i, 0, len(t), t, score=0.9 - i / 2, features={"f": f})
        for i, (t, f) in enumerate(zip(texts, (-0.50, -0.55, -2.0), strict=True))
    ]
    config = AnswerConfig()
    chosen = select_sentences(sentences, np.eye(3), config)
    assert [s.text for s in chosen] == ["The best unit."]
    ranked = add_ranked(sentences, np.eye(3), chosen, _scores(sentences, "f"), 3, config)
    assert [s.text for s in ranked] == ["The best unit.", "A near tie."]


@pytest.mark.parametrize(
    ("title", "name"),
    [
        (
            "Driver's licenses regardless of immigration status — the Work and Family Mobility Act and RMV data limits",
            "Work and Family Mobility Act",
        ),
        ("The Boston Trust Act", "Boston Trust Act"),
        ("Cambridge Welcoming Community Ordinance", "Cambridge Welcoming Community Ordinance"),
        ("The Safe Communities Act (Massachusetts, filed 2017–2025)", "Safe Communities Act"),
        ("Healey executive order 2026", None),  # no law's name
        ("City of Eastbrook, MA - Council Order No. 2025-112", None),  # an order is no named law
        ("Lunn v. Commonwealth (2017)", None),
        # a bill's formal title is no name ("An Act" is in every one)
        ("An Act to protect the civil rights and safety of all Massachusetts residents", None),
    ],
)
def test_a_title_names_the_law_its_document_is_about(title: str, name: str | None) -> None:
    from assistant.answer import law_named

    assert law_named(title) == name


def test_a_contact_detail_is_a_number_an_address_or_a_website_not_words_about_one() -> None:
    question = "whats the phone number for the ice office"
    assert holds_new_answer("Call the office at 617-727-2200 for help.", question, "contact")
    assert holds_new_answer("Report it through the form at mass.gov/fedmisconduct.", question, "contact")
    assert holds_new_answer("The office is at 1 Ashburton Place in Boston.", question, "contact")
    assert not holds_new_answer("A result gives the facility, its phone number and its office.", question, "contact")
    # a date or an attribution is no telephone number
    assert not holds_new_answer("ICE launched it in July 2010 (Los Angeles Times, 2010-07-24).", question, "contact")
    # nor a source named in brackets; a street abbreviation's stop and a capitalised domain are
    assert not holds_new_answer("The Senate passed it (allstonia.com, 2026-05-24).", question, "contact")
    assert holds_new_answer("The office is at 10 Main St. in Burlington.", question, "contact")
    assert holds_new_answer("Search the locator at ICE.gov/detain.", question, "contact")
