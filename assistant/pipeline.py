"""The assistant: question → (follow-up rewrite, town) → hybrid retrieval → extractive answer with citations."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable

import numpy as np

from assistant.answer import (
    AnswerConfig,
    Sentence,
    candidate_sentences,
    confidence,
    is_skipped,
    score_sentences,
    select_sentences,
)
from assistant.chat import Conversation, asks_about_rights, asks_for_my_town, place_in_town, rewrite_question
from assistant.citations import build_citations, render
from assistant.retrieve import RetrievalConfig, retrieve
from assistant.types import Answer, Citation, Filters, Passage
from corpus.towns import TownRegistry, load_towns
from index.keyword import tokenize
from index.search import SearchIndex

LEGAL_NOTE = "This is information from documents, not legal advice."
RECORDS_QUERY = "request a copy of the police department policy under the public records law Records Access Officer"


class Assistant:
    """Answers questions from one index; keeps no state between questions (history is passed in)."""

    def __init__(
        self,
        index: SearchIndex,
        answer_config: AnswerConfig | None = None,
        retrieval_config: RetrievalConfig | None = None,
        registry: TownRegistry | None = None,
    ):
        self.index = index
        self.config = answer_config or AnswerConfig()
        self.retrieval = retrieval_config or RetrievalConfig()
        self.registry = registry or load_towns()
        self._towns_with_documents: set[str] | None = None

    def conversation(self, history: Iterable[str]) -> Conversation:
        """Replay earlier questions (oldest first) so the next one can lean on them."""
        conversation = Conversation()
        for question in history:
            standalone = rewrite_question(question, conversation.turns, self.registry)
            conversation.add(question, standalone, self.registry.find(standalone))
        return conversation

    def ask(self, question: str, history: Iterable[str] = (), filters: Filters | None = None) -> Answer:
        """Answer one question, as a follow-up to `history` (earlier questions, oldest first)."""
        started = time.perf_counter()
        filters = filters or Filters()
        conversation = self.conversation(history)
        standalone = rewrite_question(question, conversation.turns, self.registry)
        chosen = [self.registry.canonical(t) for t in filters.towns]
        if len(chosen) == 1 and chosen[0] not in self.registry.find(standalone):
            standalone = place_in_town(standalone, chosen[0])
        towns = chosen or self.registry.find(standalone)
        base = {"question": question, "standalone_question": standalone, "town": towns[0] if towns else None}
        notes = [LEGAL_NOTE] if asks_about_rights(standalone) else []
        if not towns and asks_for_my_town(standalone):
            return self._finish(Answer(**base, answer=_ask_which_town(), abstained=True, notes=notes), started, 0.0)
        missing = [t for t in towns if t not in self.towns_with_documents()]
        if len(towns) == 1 and missing:
            return self._missing_town(base, towns[0], filters, notes, started)
        scoped = filters.model_copy(update={"towns": towns})
        if len(towns) > 1:
            return self._compare(base, standalone, towns, scoped, notes, started)
        passages = self._passages(standalone, scoped)
        retrieved_at = time.perf_counter()
        sentences, vectors = self._scored(standalone, passages, towns)
        sure = confidence(standalone, sentences, passages, tokenize, self.config)
        if sure < self.config.abstain_below:
            answer = Answer(
                **base,
                answer=_abstain_text(standalone, passages),
                abstained=True,
                notes=notes,
                closest=_closest_titles(passages),
            )
        else:
            selected = select_sentences(sentences, vectors, self.config)
            cited = build_citations(selected, passages)
            answer = Answer(**base, answer=render(cited), abstained=False, citations=[c for c, _ in cited], notes=notes)
        answer.filters = scoped.describe()
        answer.retrieved = _distinct_files(passages)
        answer.confidence = round(sure, 4)
        return self._finish(answer, started, retrieved_at - started)

    def _scored(self, question: str, passages: list[Passage], towns: list[str]) -> tuple[list[Sentence], np.ndarray]:
        """The quotable sentences of the passages, scored against the question, and their vectors."""
        sentences = candidate_sentences(passages, self.registry, towns, self.config)
        vectors = score_sentences(
            question, sentences, passages, self.index.embedder.embed, tokenize, self.config, towns
        )
        return sentences, vectors

    def _passages(self, question: str, filters: Filters) -> list[Passage]:
        """The top passages that can be quoted (retrieving extra, since source lists and notes are left out)."""
        found = retrieve(self.index, question, filters, self.config.passages * 2, self.retrieval)
        return [p for p in found if not is_skipped(p, self.config)][: self.config.passages]

    def refresh(self) -> None:
        """Forget what was cached about the index's contents (after documents are added or removed)."""
        self._towns_with_documents = None

    def towns_with_documents(self) -> set[str]:
        """Towns that at least one document in the index is about."""
        if self._towns_with_documents is None:
            self._towns_with_documents = {t for r in self.index.store.documents() for t in r.meta.towns}
        return self._towns_with_documents

    def _compare(
        self, base: dict, question: str, towns: list[str], filters: Filters, notes: list[str], started: float
    ) -> Answer:
        """One best-supported passage per town, labelled, never blended."""
        cited: list[tuple[Citation, str]] = []
        labels: list[str] = []
        lacking: list[str] = []
        retrieved: list[str] = []
        retrieve_seconds = 0.0
        for town in towns:
            t0 = time.perf_counter()
            own = filters.model_copy(update={"towns": [town], "include_statewide": False})
            about = question_about(question, town, [t for t in towns if t != town])
            passages = self._passages(about, own) if town in self.towns_with_documents() else []
            retrieve_seconds += time.perf_counter() - t0
            retrieved = _distinct([*retrieved, *(p.chunk.file for p in passages)])
            sentences, vectors = self._scored(about, passages, [town])
            if confidence(about, sentences, passages, tokenize, self.config) < self.config.abstain_below:
                lacking.append(town)
                continue
            one_town = self.config.model_copy(
                update={"max_sentences": 1, "max_chars": self.config.max_chars // len(towns)}
            )
            for citation, text in build_citations(
                select_sentences(sentences, vectors, one_town), passages, len(cited) + 1
            ):
                cited.append((citation, text))
                labels.append(town)
        text = render(cited, labels) if cited else ""
        if lacking:
            text += ("\n" if text else "") + f"The documents here don't say this for {_join(lacking)}."
        answer = Answer(
            **base, answer=text, abstained=not cited, citations=[c for c, _ in cited], notes=notes, retrieved=retrieved
        )
        answer.filters = filters.describe()
        return self._finish(answer, started, retrieve_seconds)

    def _missing_town(self, base: dict, town: str, filters: Filters, notes: list[str], started: float) -> Answer:
        """No document is about this town: say so, quote statewide mentions of it, and point to a records request."""
        statewide = filters.model_copy(update={"towns": [], "include_statewide": True})
        passages = retrieve(
            self.index, f"{base['standalone_question']} {town}", statewide, self.config.passages, self.retrieval
        )
        mentions = [p for p in passages if town in self.registry.find(p.chunk.text)]
        guide = retrieve(self.index, RECORDS_QUERY, statewide, 3, self.retrieval)
        retrieved_at = time.perf_counter()
        cited: list[tuple[Citation, str]] = []
        for group in (mentions, guide):
            if not group:
                continue
            sentences = candidate_sentences(group, self.registry, [town] if group is mentions else [], self.config)
            if group is mentions:
                sentences = [s for s in sentences if town in self.registry.find(s.text)]
            query = base["standalone_question"] if group is mentions else RECORDS_QUERY
            vectors = score_sentences(query, sentences, group, self.index.embedder.embed, tokenize, self.config, [])
            top = self.config.model_copy(update={"max_sentences": 1})
            cited.extend(build_citations(select_sentences(sentences, vectors, top), group, len(cited) + 1))
        lines = [f"The documents here have no policy or other document about {town}."]
        mention = [pair for pair in cited if town in self.registry.find(pair[1])]
        if mention:
            lines.append(f"Statewide documents mention {town}: {render(mention)}")
        hint = [pair for pair in cited if pair not in mention]
        lines.append(
            f"{town}'s police policy can be requested from the {town} Police Department under the Massachusetts "
            "public records law (G.L. c. 66, § 10)" + (f": {render(hint)}" if hint else ".")
        )
        answer = Answer(
            **base,
            answer="\n".join(lines),
            abstained=True,
            citations=[c for c, _ in cited],
            notes=notes,
            closest=_closest_titles(passages),
            retrieved=_distinct_files(passages),
        )
        answer.filters = filters.model_copy(update={"towns": [town]}).describe()
        return self._finish(answer, started, retrieved_at - started)

    def _finish(self, answer: Answer, started: float, retrieve_seconds: float) -> Answer:
        total = time.perf_counter() - started
        answer.timings_ms = {
            "retrieve": round(retrieve_seconds * 1000, 1),
            "compose": round((total - retrieve_seconds) * 1000, 1),
            "total": round(total * 1000, 1),
        }
        return answer


_COMPARING = re.compile(
    r"\b(compare[sd]?|comparing|comparison|differ(s|ent|ence|ences)?|between|versus|vs\.?|both)\b", re.I
)


def question_about(question: str, town: str, others: list[str]) -> str:
    """A comparison narrowed to one town: the other towns and the comparing words taken out."""
    narrowed = question
    for other in others:
        name = rf"\b{re.escape(other)}('s|’s)?\b"
        joiner = r"(,|\band\b|\bor\b|\bvs\.?|\bversus\b)"
        narrowed = re.sub(rf"\s*{joiner}\s*{name}|{name}\s*{joiner}?\s*", " ", narrowed)
    narrowed = re.sub(r"\s{2,}", " ", _COMPARING.sub("", narrowed)).strip(" ,?")
    # "Compare Quincy and Everett" names no topic: this assistant's topic is their police policy on ICE.
    if len(re.findall(r"\w+", narrowed)) <= len(town.split()) + 1:
        return f"What is {town}'s police policy on ICE?"
    return narrowed + "?"


def _ask_which_town() -> str:
    return (
        "Which city or town do you mean? Name it in your question (for example, \"What is Quincy's police policy on "
        "ICE?\") or choose it in the town filter, and I will look for that town's documents."
    )


def _abstain_text(question: str, passages: list[Passage]) -> str:
    text = f"The documents here don't say: {question.rstrip('?')}?"
    titles = _closest_titles(passages)
    if titles:
        text += " The closest documents are: " + "; ".join(titles) + "."
    return text


def _distinct(values: Iterable[str]) -> list[str]:
    """The values without repeats, in their first order."""
    return list(dict.fromkeys(values))


def _closest_titles(passages: list[Passage], limit: int = 3) -> list[str]:
    return _distinct(p.chunk.meta.title for p in passages)[:limit]


def _distinct_files(passages: list[Passage]) -> list[str]:
    return _distinct(p.chunk.file for p in passages)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
