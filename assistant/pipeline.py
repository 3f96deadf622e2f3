"""One path for every answer: plan → retrieve → compose → verify.

The planner decides what to look for (follow-ups, towns, comparisons); retrieval gathers passages for each of its
requests, embedding each query once; the composer drafts the reply; the verifier checks it and sets its kind.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from assistant.answer import AnswerConfig, asked_acronym
from assistant.compose import Composer, Draft, Evidence, ExtractiveComposer, distinct
from assistant.crosslingual import BilingualComposer, QuestionReader, apply_reading, search_request
from assistant.messages import describe_filters
from assistant.plan import Plan, Planner
from assistant.retrieve import RetrievalConfig, retrieve, with_law_named, with_more, with_spelled_out
from assistant.spelling import misspelled, nearest_terms, respelled, unknown_words
from assistant.translate import TranslationConfig, Translator
from assistant.types import Answer, Filters
from assistant.verify import verify
from corpus.towns import TownRegistry, load_towns
from index.keyword import tokenize
from index.search import SearchIndex


class Assistant:
    """Answers questions from one index; keeps no state between questions (history is passed in)."""

    def __init__(
        self,
        index: SearchIndex,
        answer_config: AnswerConfig | None = None,
        retrieval_config: RetrievalConfig | None = None,
        registry: TownRegistry | None = None,
        composer: Composer | None = None,
        translation_config: TranslationConfig | None = None,
    ):
        self.index = index
        self.config = answer_config or AnswerConfig()
        self.retrieval = retrieval_config or RetrievalConfig()
        self.translation = translation_config or TranslationConfig()
        self.registry = registry or load_towns()
        self.planner = Planner(
            self.registry,
            self.towns_with_documents,
            self.config.max_chars,
            self.config.compare_sentences,
            self.config.compare_chars,
        )
        self.reader = QuestionReader(Translator(self.translation, self.registry))
        self.composer = composer or BilingualComposer(
            index.embedder.embed, tokenize, self.registry, self.config, index.sentence_vectors, idf=index.idf
        )
        self._towns_with_documents: set[str] | None = None
        self._words: frozenset[str] | None = None

    def ask(
        self,
        question: str,
        history: Iterable[str] = (),
        filters: Filters | None = None,
        language: str | None = None,
        hint: str = "en",
    ) -> Answer:
        """Answer one question, as a follow-up to `history` (earlier questions, oldest first). The reply is in
        `language` if given, else in the question's own (`hint` when the question does not tell)."""
        answer = None
        for item in self.stream(question, history, filters, language, hint):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None  # stream always ends with the answer
        return answer

    def stream(
        self,
        question: str,
        history: Iterable[str] = (),
        filters: Filters | None = None,
        language: str | None = None,
        hint: str = "en",
    ) -> Iterator[str | Answer]:
        """The reply's text in growing pieces as it is composed, then the verified answer (always last)."""
        started = time.perf_counter()
        plan, evidence = self.prepare(question, history, filters, language, hint)
        retrieved_at = time.perf_counter()
        draft: Draft | None = None
        for item in self.composer.stream(plan, evidence):
            if isinstance(item, Draft):
                draft = item
            else:
                yield item
        if draft is None:
            raise RuntimeError(f"composer {self.composer.name!r} finished without a draft")
        yield self._answer(plan, evidence, draft, started, retrieved_at)

    def prepare(
        self,
        question: str,
        history: Iterable[str] = (),
        filters: Filters | None = None,
        language: str | None = None,
        hint: str = "en",
    ) -> tuple[Plan, list[Evidence]]:
        """The plan and its passages. A misspelled word ("sherrif") is read as the word the passages use
        ("sheriff"), and the question planned and searched again with it (English questions; see spelling.py)."""
        history = list(history)
        plan = self.plan(question, history, filters, language, hint)
        evidence = self.gather(plan)
        if plan.language != "en" or not self.config.respell:
            return plan, evidence
        fixes = misspelled(
            plan.standalone,  # the words left after the planner's own rewording (towns' names, the documents' words)
            distinct(p.chunk.text for e in evidence for p in e.passages),
            self._is_word,
            self._indexed,
            _stem,
            self.registry.name_words(),
        )
        fixes |= self._respelled_from_index(plan.standalone, fixes)
        if not fixes:
            return plan, evidence
        respelled_plan = self.plan(
            respelled(question, fixes), [respelled(h, fixes) for h in history], filters, language, hint
        )
        respelled_plan.question = plan.question
        respelled_plan.notes.append(
            "Spelling: read " + ", ".join(f'"{typed}" as "{fixed}"' for typed, fixed in fixes.items()) + "."
        )
        return respelled_plan, self.gather(respelled_plan)

    def _respelled_from_index(self, question: str, fixes: dict[str, str]) -> dict[str, str]:
        """Misspelled names of six letters or more that no retrieved passage spells right ("heally order" finds no
        passage about Governor Healey): read as the one word of the whole index a letter away, when the chunks
        holding it write it as a name (capitalised); everyday words are left to the passages."""
        names = self.registry.name_words()
        found: dict[str, str] = {}
        for word in unknown_words(question, self._is_word, self._indexed, names):
            if word in fixes or len(word) < 6:
                continue
            # the index holds stems ("Marlowe" as "marlow"): the word as typed or its stem a letter from one; among
            # the words that share its first two letters (what a large index can afford on each question)
            terms = self.index.terms_starting(word[:2].lower())
            near = nearest_terms(word.lower(), terms) or nearest_terms(_stem(word.lower()), terms)
            near = [t for t, idf in self.index.idf(near).items() if idf > 0]  # held by a live chunk
            if len(near) != 1:
                continue
            holding = self.index.store.get([chunk_id for chunk_id, _ in self.index.keyword(near[0], 3)])
            fixed = misspelled(word, [c.text for c in holding], self._is_word, self._indexed, _stem, names).get(word)
            if not fixed:
                continue
            written = Counter(
                m.group(0) for c in holding for m in re.finditer(rf"\b{re.escape(fixed)}\b", c.text, re.IGNORECASE)
            )
            name = max(written, key=lambda w: (written[w], w[:1].isupper()), default="")
            if name[:1].isupper():
                found[word] = name
        return found

    def _is_word(self, word: str) -> bool:
        """Whether a lower-case word is a whole word of the embedding model's vocabulary (an everyday word)."""
        if self._words is None:
            self._words = frozenset(w for w in self.index.embedder.tokenizer.get_vocab() if w.isalpha())
        return word in self._words

    def _indexed(self, words: list[str]) -> set[str]:
        """Those of the words whose stem some chunk of the index has."""
        stems = {word: _stem(word) for word in words}
        idf = self.index.idf(sorted(set(stems.values())))  # a stop word, kept as itself, is in no chunk
        return {word for word, stem in stems.items() if idf.get(stem, 0.0) > 0}

    def plan(
        self,
        question: str,
        history: Iterable[str] = (),
        filters: Filters | None = None,
        language: str | None = None,
        hint: str = "en",
    ) -> Plan:
        """What to look for: a Spanish question is planned from its English translation and searched in both
        languages."""
        reading = self.reader.read(question, history, language, hint)
        return apply_reading(self.planner.plan(reading.english, reading.history, filters, reading.language), reading)

    def candidates(
        self, question: str, history: Iterable[str] = (), filters: Filters | None = None
    ) -> list[dict[str, Any]]:
        """Every sentence the extractive composer weighed for the question, each with its request's position, its
        file, text, score and features: what the sentence ranker is fitted on (`assistant eval --fit-ranker`)."""
        extractive = getattr(self.composer, "extractive", self.composer)  # under a language model's composer
        if not isinstance(extractive, ExtractiveComposer):
            raise TypeError("sentence candidates come from the extractive composer")
        rows = []
        for position, item in enumerate(self.prepare(question, history, filters)[1]):
            sentences, passages, _ = extractive.scored(item, with_features=True)
            rows += [
                {
                    "request": position,
                    "file": passages[s.passage].chunk.file,
                    "text": s.text,
                    "score": s.score,
                    "features": s.features,
                }
                for s in sentences
            ]
        return rows

    def gather(self, plan: Plan) -> list[Evidence]:
        """Passages for each of the plan's requests; every distinct query is embedded once, in one batch."""
        if not plan.requests:
            return []
        asked = [q for r in plan.requests for q in (r.searched_with, r.query, r.asked) if q]
        queries = distinct([*asked, plan.focus] if plan.focus else asked)
        vectors = dict(zip(queries, self.index.embedder.embed(queries), strict=True))
        evidence = []
        for request in plan.requests:
            passages = []
            if request.searched:
                limit = request.limit or self.config.passages
                passages = search_request(
                    self.index, request, limit, self.retrieval, vectors, self.translation.asked_weight
                )
                acronym = asked_acronym(request.query) if request.role == "answer" else None
                if acronym:
                    passages = with_spelled_out(self.index, acronym, request.filters, passages, self.retrieval)
                if request.role == "answer" and self.config.law_named_lift:
                    passages = with_law_named(self.index, request.filters, passages, self.retrieval)
                kind = request.document_kind
                if kind and (not request.filters.doc_types or kind[1] in request.filters.doc_types):
                    # one owner's two documents compared: this side's kind searched on its own too, so the other's
                    # passages cannot crowd it out
                    typed = request.filters.model_copy(update={"doc_types": [kind[1]]})
                    vector = vectors[request.searched_with]
                    found = retrieve(
                        self.index, request.searched_with, typed, limit, self.retrieval, vector, towns=request.towns
                    )
                    passages = with_more(passages, found)
            # the main request of a follow-up written as "<its own words>, about <the topic>": its own words' vector too
            focus = vectors[plan.focus] if plan.focus and request.query == plan.standalone else None
            story = plan.focus if plan.story and focus is not None else None
            evidence.append(Evidence(request, passages, vectors[request.query], focus=focus, story=story))
        return evidence

    def _answer(
        self, plan: Plan, evidence: list[Evidence], draft: Draft, started: float, retrieved_at: float
    ) -> Answer:
        checked = verify(plan, draft)
        answer = Answer(
            question=plan.question,
            standalone_question=plan.standalone,
            answer=checked.text,
            abstained=checked.kind in ("none", "which_town"),
            kind=checked.kind,
            town=plan.town,
            citations=checked.citations,
            notes=[*plan.notes, *draft.notes],
            filters=self._describe(plan),
            closest=draft.closest,
            retrieved=distinct(p.chunk.file for e in evidence if e.request.role != "guide" for p in e.passages),
            confidence=checked.confidence,
            signals=draft.signals,
            verification=checked.counts,
        )
        total = time.perf_counter() - started
        retrieve_seconds = retrieved_at - started
        answer.timings_ms = {
            "retrieve": round(retrieve_seconds * 1000, 1),
            "compose": round((total - retrieve_seconds) * 1000, 1),
            "total": round(total * 1000, 1),
        }
        return answer

    @staticmethod
    def _describe(plan: Plan) -> str:
        if plan.kind == "which_town":
            return ""
        return describe_filters(plan.filters, plan.language) if plan.language != "en" else plan.filters.describe()

    def refresh(self) -> None:
        """Forget what was cached about the index's contents (after documents are added or removed)."""
        self._towns_with_documents = None

    def towns_with_documents(self) -> set[str]:
        """Towns that at least one document in the index is about or discusses in its text. A directory that
        names dozens of towns (a county page listing each one's records office) does not count as discussing
        them: for those towns the reply says that no document is about them and how to request their policy."""
        if self._towns_with_documents is None:
            self._towns_with_documents = {
                t
                for tagged, named in self.index.document_towns().values()
                for t in (*tagged, *(named if len(named) <= DIRECTORY_TOWNS else ()))
            }
        return self._towns_with_documents


def _stem(word: str) -> str:
    """A word's stem as the keyword index has it (the word itself when it is a stop word)."""
    stems = tokenize([word])[0]
    return stems[0] if stems else word


# A document naming more towns than this is a directory, not a discussion of each.
DIRECTORY_TOWNS = 12
