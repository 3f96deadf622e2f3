"""Extractive answers: score the sentences of the top passages against the question, keep the best verbatim."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from assistant.chat import QUESTION_WORDS
from assistant.types import Passage
from corpus.chunking import ends_sentence, section_name, split_sentences
from corpus.towns import TownRegistry

_URL = re.compile(r"https?://\S+")
# Text written to steer a language model ("ignore previous instructions and …") is never quoted as an answer.
_INSTRUCTIONS = re.compile(
    r"\b(ignore|disregard|forget|override)\b[^.!?]{0,40}\b(previous|prior|above|earlier|all|your)\b[^.!?]{0,30}"
    r"\b(instructions?|prompts?|rules|directions)\b|\bsystem prompt\b|\byou are now\b|\bas an ai\b",
    re.IGNORECASE,
)


class AnswerConfig(BaseModel):
    """How answers are composed and when the assistant abstains."""

    model_config = ConfigDict(extra="forbid")

    passages: int = Field(8, ge=1, le=50, description="Top passages whose sentences are considered.")
    max_sentences: int = Field(4, ge=1, le=8, description="Most sentences quoted in one answer.")
    max_chars: int = Field(600, ge=100, le=3000, description="Longest answer body, in characters.")
    relative_floor: float = Field(0.8, ge=0, le=1, description="Extra sentences must score this share of the best.")
    duplicate_cosine: float = Field(0.9, ge=0, le=1, description="Sentences this similar to a kept one are dropped.")
    # Calibrated with `assistant eval --calibrate` on evals/sets/starter.jsonl (141 items): 0.54 to 0.56 gave the
    # best abstention accuracy, 0.9858 (0.52: 0.9716; 0.57: 0.9787); the middle of that run is 0.55.
    # Recalibrate after changing the scoring.
    abstain_below: float = Field(
        0.55, ge=0, le=1, description="Abstain when the answer's confidence is below this (calibrated on the eval set)."
    )
    semantic_weight: float = Field(0.6, ge=0, le=1, description="Weight of embedding similarity in a sentence's score.")
    keyword_weight: float = Field(0.3, ge=0, le=1, description="Weight of question-word overlap.")
    rank_weight: float = Field(0.1, ge=0, le=1, description="Weight of the passage's retrieval rank.")
    town_bonus: float = Field(0.05, ge=0, le=1, description="Bonus for sentences from the asked town's own documents.")
    type_bonus: float = Field(
        0.12,
        ge=0,
        le=1,
        description="Bonus for sentences holding what the question asks for (a number, a date, a name).",
    )
    holding_bonus: float = Field(
        0.25,
        ge=0,
        le=1,
        description="The bonus instead, when the question asks what a court decided and the sentence states a holding.",
    )
    coverage_penalty: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Subtracted from the best score times the share of question words found in no retrieved passage.",
    )


_NUMBER_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|dozen)"
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# What kind of answer a question wants, and how to recognise a sentence that holds one.
_QUESTION_TYPES = [
    (
        "number",
        re.compile(
            r"\bhow (many|much|long|often)\b|\bwhat (number|share|percent(age)?|fraction)\b|\bwhat was the vote\b", re.I
        ),
    ),
    ("date", re.compile(r"\bwhen\b|\bwhat (year|date|month|day)\b|\bhow long ago\b", re.I)),
    (
        "name",
        re.compile(
            r"^\W*(and )?who(m|se)?\b|\bwho (is|was|are|were|leads|led|ran|runs|wrote|sponsored|filed|decided|said)\b",
            re.I,
        ),
    ),
    (
        "holding",
        re.compile(
            r"\bwhat (did|does|was)\b.*\b(decide|rule|hold|find|order|conclude|do)\b|\b(holding|ruling|outcome)\b", re.I
        ),
    ),
]
_ANSWER_TYPES = {
    "number": re.compile(rf"\d|\b{_NUMBER_WORDS}(-\w+)?\b", re.I),
    "date": re.compile(rf"\b(1[89]|20)\d\d\b|\b{_MONTHS}\b"),
    "name": re.compile(
        r"\b(?!(?:The|A|An|In|On|Under|Of|For|According|After|Before|Since|When|This|That|These|Both|Each|Some)\b)"
        r"[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z]+"
    ),
    "holding": re.compile(
        r"\b(held|holds|ruled|concluded|found|decided) that\b|\b(vacated|enjoined|barred|ordered|remanded|reversed|affirmed)\b",
        re.I,
    ),
}


def answer_type(question: str) -> str | None:
    """ "number", "date", "name" or "holding" (what a court decided) when the question asks for one, else None."""
    return next((kind for kind, pattern in _QUESTION_TYPES if pattern.search(question)), None)


def holds_new_answer(sentence: str, question: str, kind: str) -> bool:
    """Whether the sentence holds something of the wanted kind that the question does not already say
    (a "who" question is not answered by repeating the name it asks about)."""
    asked = question.lower()
    return any(m.group(0).lower() not in asked for m in _ANSWER_TYPES[kind].finditer(sentence))


@dataclass
class Sentence:
    """A candidate sentence: where it lies in which passage, and how well it answers."""

    passage: int
    start: int
    end: int
    text: str
    towns: tuple[str, ...] = ()
    semantic: float = 0.0
    keyword: float = 0.0
    score: float = 0.0


def candidate_sentences(passages: list[Passage], registry: TownRegistry, towns: list[str]) -> list[Sentence]:
    """Sentences of the passages worth quoting: no bare links or headings, and, for a question about one town,
    none that speak only of other towns (passages from sections never quoted were left out by retrieval)."""
    sentences = []
    for index, passage in enumerate(passages):
        text = passage.chunk.text
        for start, end in split_sentences(text):
            sentence = text[start:end]
            prose = _URL.sub("", sentence)
            if len(re.findall(r"[A-Za-z]{2,}", prose)) < 4 or len(prose) < 0.6 * len(sentence):
                continue
            if _INSTRUCTIONS.search(sentence):
                continue
            if not ends_sentence(sentence):  # a title or heading line, not a statement
                continue
            if len(towns) == 1:
                named = registry.find(sentence)
                if named and towns[0] not in named:
                    continue
            sentences.append(Sentence(index, start, end, sentence, tuple(passage.chunk.meta.towns)))
    return sentences


def score_sentences(
    question: str,
    sentences: list[Sentence],
    passages: list[Passage],
    embed: Callable[[list[str]], np.ndarray],
    terms: Callable[[list[str]], list[list[str]]],
    config: AnswerConfig,
    towns: list[str],
    question_vector: np.ndarray | None = None,
    sentence_vectors: np.ndarray | None = None,
) -> np.ndarray:
    """Fill in each sentence's score; returns the sentence vectors (for duplicate checks). The question's vector
    may be given, so a question is embedded once however many times its evidence is scored."""
    if not sentences:
        return np.zeros((0, 1))
    # A sentence is embedded with its section heading: "What the policy requires" says what the sentence is for.
    headed = [headed_sentence(s, passages) for s in sentences]
    if question_vector is None and sentence_vectors is None:
        vectors = embed([question, *headed])
        question_vector, sentence_vectors = vectors[0], vectors[1:]
    else:
        if question_vector is None:
            question_vector = embed([question])[0]
        if sentence_vectors is None:
            sentence_vectors = embed(headed)
    question_terms = set(terms([question])[0])
    # A sentence is about its document: "The court held that…" answers a question naming the case in the title.
    sentence_terms = terms(
        [f"{h} {passages[s.passage].chunk.meta.title}" for h, s in zip(headed, sentences, strict=True)]
    )
    best_passage = max(p.score for p in passages)
    wanted = answer_type(question)
    for sentence, vector, words in zip(sentences, sentence_vectors, sentence_terms, strict=True):
        passage = passages[sentence.passage]
        sentence.semantic = float(np.dot(question_vector, vector))
        sentence.keyword = len(question_terms & set(words)) / len(question_terms) if question_terms else 0.0
        own_town = bool(towns) and any(t in passage.chunk.meta.towns for t in towns)
        typed = wanted is not None and holds_new_answer(sentence.text, question, wanted)
        sentence.score = (
            config.semantic_weight * sentence.semantic
            + config.keyword_weight * sentence.keyword
            + config.rank_weight * passage.score / best_passage
            + (config.town_bonus if own_town else 0.0)
            + ((config.holding_bonus if wanted == "holding" else config.type_bonus) if typed else 0.0)
        )
    return sentence_vectors


def confidence(
    question: str,
    sentences: list[Sentence],
    passages: list[Passage],
    terms: Callable[[list[str]], list[list[str]]],
    config: AnswerConfig,
) -> float:
    """How sure we are that the evidence answers the question: the best sentence's score, lowered by the share
    of the question's words that no retrieved passage contains (a question about "lunch" where no passage
    mentions lunch is probably not answered by them)."""
    if not sentences:
        return 0.0
    asked = {t for t in terms([question])[0] if len(t) > 2 and t not in QUESTION_WORDS}
    present = {t for words in terms([p.chunk.context_text() for p in passages]) for t in words}
    missing = len(asked - present) / len(asked) if asked else 0.0
    return max(s.score for s in sentences) - config.coverage_penalty * missing


def select_sentences(sentences: list[Sentence], vectors: np.ndarray, config: AnswerConfig) -> list[Sentence]:
    """The best sentence, then others close to it in score, skipping near-duplicates, within the length budget.

    Sentences from one town's documents are never mixed with another town's (statewide ones mix with either)."""
    order = sorted(range(len(sentences)), key=lambda i: -sentences[i].score)
    if not order:
        return []
    best = sentences[order[0]].score
    chosen: list[int] = []
    length = 0
    towns: set[str] = set()
    for i in order:
        sentence = sentences[i]
        if chosen and (sentence.score < config.relative_floor * best or len(chosen) >= config.max_sentences):
            break
        if sentence.towns and towns and not towns & set(sentence.towns):
            continue
        if any(float(np.dot(vectors[i], vectors[j])) >= config.duplicate_cosine for j in chosen):
            continue
        if chosen and length + len(sentence.text) + 1 > config.max_chars:
            continue
        chosen.append(i)
        towns |= set(sentence.towns)
        length += len(sentence.text) + 1
    # Reading order: by the passage's rank, then by position within it.
    return sorted((sentences[i] for i in chosen), key=lambda s: (s.passage, s.start))


def headed_sentence(sentence: Sentence, passages: list[Passage]) -> str:
    """The sentence as it is embedded: after its section heading (the same text the index caches vectors for)."""
    section = section_name(passages[sentence.passage].chunk.section)
    return f"{section}: {sentence.text}" if section else sentence.text
