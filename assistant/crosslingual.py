"""Questions in Spanish over documents mostly in English: read the question, search in both languages, frame the
reply in the asker's language.

The planner reads the English translation (its follow-up, town and comparison rules are English), every request is
searched with both the translation and the question as asked (the Spanish explainers answer the Spanish words),
the two rankings are fused, and each passage's sentences are scored against the question in the passage's own
language, so an English sentence is weighed against the translation and a Spanish one against the Spanish
question; whichever answers best is quoted verbatim.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np

from assistant.answer import Sentence
from assistant.citations import render
from assistant.compose import Draft, Evidence, ExtractiveComposer
from assistant.errors import TranslationUnavailableError
from assistant.language import content_words, detect_language, reply_language
from assistant.messages import message
from assistant.plan import EvidenceRequest, Plan
from assistant.retrieve import RetrievalConfig, retrieve
from assistant.translate import Translator
from assistant.types import Passage
from index.search import SearchIndex

# The records-request guide, searched for in Spanish too, so a Spanish question about a town with no document
# finds the Spanish guide (planning's RECORDS_QUERY is the English one).
RECORDS_QUERY_ES = (
    "pedir una copia de la política del departamento de policía según la ley de registros públicos encargado de "
    "acceso a registros"
)


@dataclass
class Reading:
    """A question as the planner reads it: in English, with its conversation, and the language to reply in."""

    question: str
    english: str
    history: list[str]
    language: str
    translated: bool = False
    notes: list[str] = field(default_factory=list)


class QuestionReader:
    """Tells a question's language and translates Spanish questions (and earlier ones) to English."""

    def __init__(self, translator: Translator):
        self.translator = translator

    def read(self, question: str, history: Iterable[str] = (), chosen: str | None = None, hint: str = "en") -> Reading:
        """The question and its history in English (Spanish ones translated), and the reply's language."""
        history = list(history)
        language = reply_language(question, history, chosen, hint)
        reading = Reading(question, question, history, language)
        spanish = detect_language(question) == "es"
        if not self.translator.config.enabled or not (spanish or any(detect_language(h) == "es" for h in history)):
            return reading
        try:
            reading.history = [self._english(h) for h in history]
            if spanish:
                reading.english = self.translator.translate(question).text
                reading.translated = True
        except TranslationUnavailableError as exc:
            if spanish:
                reading.notes.append(message("needs_apertium" if exc.missing else "translation_failed", language))
        return reading

    def _english(self, question: str) -> str:
        return self.translator.translate(question).text if detect_language(question) == "es" else question


def apply_reading(plan: Plan, reading: Reading) -> Plan:
    """The plan of the translated question, told what was asked: each request also searches with the question as
    asked (with the towns the plan placed in it), and the reply shows the Spanish question unless it was rewritten."""
    plan.question = reading.question
    plan.notes += reading.notes
    if not reading.translated:
        return plan
    if plan.literal:
        plan.standalone = reading.question
    for request in plan.requests:
        if request.role == "guide":
            request.asked = RECORDS_QUERY_ES
            continue
        missing = [t for t in request.towns if t.lower() not in reading.question.lower()]
        request.asked = " ".join([reading.question, *missing])
    return plan


def fuse_passages(rankings: list[list[Passage]], weights: list[float], k: int, limit: int) -> list[Passage]:
    """Weighted reciprocal rank fusion of passage rankings; a passage's score becomes its fused score."""
    scores: dict[str, float] = {}
    first: dict[str, Passage] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, passage in enumerate(ranking, start=1):
            key = passage.chunk.id
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
            first.setdefault(key, passage)
    order = sorted(scores, key=lambda key: -scores[key])[:limit]
    return [first[key].model_copy(update={"score": scores[key]}) for key in order]


def search_request(
    index: SearchIndex,
    request: EvidenceRequest,
    limit: int,
    config: RetrievalConfig,
    vectors: dict[str, np.ndarray],
    asked_weight: float,
) -> list[Passage]:
    """A request's passages: searched with its query, and also with the question as asked when there is one."""
    found = retrieve(
        index,
        request.searched_with,
        request.filters,
        limit,
        config,
        vectors[request.searched_with],
        towns=request.towns,
    )
    if not request.asked or asked_weight <= 0:
        return found
    asked = retrieve(index, request.asked, request.filters, limit, config, vectors[request.asked], towns=request.towns)
    return fuse_passages([found, asked], [1.0, asked_weight], config.rrf_k, limit)


class BilingualComposer(ExtractiveComposer):
    """The extractive composer, scoring each sentence against the question in its document's language and framing
    replies in Spanish around the verbatim quotes ("Según el documento citado …")."""

    def _score(
        self,
        request: EvidenceRequest,
        sentences: list[Sentence],
        passages: list[Passage],
        vector: np.ndarray | None,
        with_features: bool = False,
    ) -> np.ndarray:
        spanish = self._spanish(request, sentences, passages)
        if not spanish:
            return super()._score(request, sentences, passages, vector, with_features)
        english = [i for i in range(len(sentences)) if i not in spanish]
        rows: dict[int, np.ndarray] = {}
        for group, asked in ((english, False), (sorted(spanish), True)):
            if group:
                scored = self._in_spanish(request) if asked else request
                vectors = super()._score(
                    scored, [sentences[i] for i in group], passages, None if asked else vector, with_features
                )
                rows.update(zip(group, vectors, strict=True))
        return np.vstack([rows[i] for i in range(len(sentences))])

    def _signals(
        self, request: EvidenceRequest, sentences: list[Sentence], passages: list[Passage], asked: str | None = None
    ) -> dict[str, float]:
        """The surer of the two languages' evidence: English sentences with the translation's words, Spanish
        sentences with the Spanish question's (the signals whose calibrated probability is higher)."""
        spanish = self._spanish(request, sentences, passages)
        if not spanish:
            return super()._signals(request, sentences, passages, asked)
        english = [s for i, s in enumerate(sentences) if i not in spanish]
        # (a story's asking words are the English reading's: no Spanish sentence is weighed against them)
        found = [super()._signals(self._in_spanish(request), [sentences[i] for i in sorted(spanish)], passages)]
        if english:
            found.append(super()._signals(request, english, passages, asked))
        return max(found, key=lambda f: self.calibration.probability(f) if f else 0.0)

    def _ranked_fairly(
        self, request: EvidenceRequest, sentences: list[Sentence], passages: list[Passage]
    ) -> list[bool]:
        """Not a Spanish document's sentences, scored against the Spanish question: the ranker was fitted on English
        sentences weighed against English questions, and the English embedding model finds any two Spanish texts
        alike (a confident answer about licences had gained the records law and the Plymouth jail)."""
        spanish = self._spanish(request, sentences, passages)
        return [i not in spanish for i in range(len(sentences))]

    @staticmethod
    def _spanish(request: EvidenceRequest, sentences: list[Sentence], passages: list[Passage]) -> set[int]:
        """The sentences (by position) from Spanish documents, when the request has a Spanish question to weigh
        them against."""
        if not request.asked:
            return set()
        spanish = {i for i, p in enumerate(passages) if passage_language(p) == "es"}
        return {i for i, s in enumerate(sentences) if s.passage in spanish}

    @staticmethod
    def _in_spanish(request: EvidenceRequest) -> EvidenceRequest:
        # Function words left out, as English stop words are: "de la que los" is in every Spanish sentence.
        return replace(request, query=content_words(request.asked or request.query))

    def draft(self, plan: Plan, evidence: list[Evidence]) -> Draft:
        draft = super().draft(plan, evidence)
        if plan.language != "es" or draft.kind != "answer" or not draft.citations or plan.kind == "missing_town":
            return draft
        languages = {p.chunk.file: passage_language(p) for e in evidence for p in e.passages}
        draft = spanish_first(draft, languages)
        draft.text = f"{according_to(draft, languages)}\n{draft.text}"
        return draft


def spanish_first(draft: Draft, languages: dict[str, str]) -> Draft:
    """A Spanish reader reads the Spanish quotes first: a plain reply's citations reordered, Spanish ones ahead, and
    renumbered (a reply in another shape, labelled by town say, is left as it is)."""
    order = sorted(draft.citations, key=lambda c: languages.get(c.file, "en") != "es")
    if order == draft.citations or draft.text != render([(c, c.quote) for c in draft.citations]):
        return draft
    renumbered = [c.model_copy(update={"n": n}) for n, c in enumerate(order, start=1)]
    return replace(draft, text=render([(c, c.quote) for c in renumbered]), citations=renumbered)


def passage_language(passage: Passage) -> str:
    """A passage's language: its document's, else its text's (an upload whose metadata does not say)."""
    if passage.chunk.meta.language != "en":
        return passage.chunk.meta.language
    return detect_language(passage.chunk.text) or "en"


def according_to(draft: Draft, languages: dict[str, str]) -> str:
    """ "Según el documento citado (cita textual, en inglés):" and its variants, by how many documents are quoted
    and in which language."""
    files = {c.file for c in draft.citations}
    text = message("according_to_one" if len(files) == 1 else "according_to_many", "es")
    if {languages.get(f, "en") for f in files} == {"en"}:
        text += message("quoted_in_english_one" if len(draft.citations) == 1 else "quoted_in_english_many", "es")
    return text + ":"
