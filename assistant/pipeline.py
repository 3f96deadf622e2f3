"""One path for every answer: plan → retrieve → compose → verify.

The planner decides what to look for (follow-ups, towns, comparisons); retrieval gathers passages for each of its
requests, embedding each query once; the composer drafts the reply; the verifier checks it and sets its kind.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

from assistant.answer import AnswerConfig
from assistant.compose import Composer, Draft, Evidence, ExtractiveComposer, distinct
from assistant.plan import Plan, Planner
from assistant.retrieve import RetrievalConfig, retrieve
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
    ):
        self.index = index
        self.config = answer_config or AnswerConfig()
        self.retrieval = retrieval_config or RetrievalConfig()
        self.registry = registry or load_towns()
        self.planner = Planner(self.registry, self.towns_with_documents, self.config.max_chars)
        self.composer = composer or ExtractiveComposer(
            index.embedder.embed, tokenize, self.registry, self.config, index.sentence_vectors
        )
        self._towns_with_documents: set[str] | None = None

    def ask(
        self, question: str, history: Iterable[str] = (), filters: Filters | None = None, language: str = "en"
    ) -> Answer:
        """Answer one question, as a follow-up to `history` (earlier questions, oldest first)."""
        answer = None
        for item in self.stream(question, history, filters, language):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None  # stream always ends with the answer
        return answer

    def stream(
        self, question: str, history: Iterable[str] = (), filters: Filters | None = None, language: str = "en"
    ) -> Iterator[str | Answer]:
        """The reply's text in growing pieces as it is composed, then the verified answer (always last)."""
        started = time.perf_counter()
        plan = self.planner.plan(question, history, filters, language)
        evidence = self.gather(plan)
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

    def gather(self, plan: Plan) -> list[Evidence]:
        """Passages for each of the plan's requests; every distinct query is embedded once, in one batch."""
        if not plan.requests:
            return []
        queries = distinct(q for r in plan.requests for q in (r.searched_with, r.query))
        vectors = dict(zip(queries, self.index.embedder.embed(queries), strict=True))
        evidence = []
        for request in plan.requests:
            passages = []
            if request.searched:
                limit = request.limit or self.config.passages
                passages = retrieve(
                    self.index,
                    request.searched_with,
                    request.filters,
                    limit,
                    self.retrieval,
                    vectors[request.searched_with],
                )
            evidence.append(Evidence(request, passages, vectors[request.query]))
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
            notes=plan.notes,
            filters=plan.filters.describe() if plan.kind != "which_town" else "",
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

    def refresh(self) -> None:
        """Forget what was cached about the index's contents (after documents are added or removed)."""
        self._towns_with_documents = None

    def towns_with_documents(self) -> set[str]:
        """Towns that at least one document in the index is about or names in its text."""
        if self._towns_with_documents is None:
            records = self.index.store.documents()
            self._towns_with_documents = {t for r in records for t in (*r.meta.towns, *r.mentions)}
        return self._towns_with_documents
