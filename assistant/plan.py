"""Planning: a question and its conversation → what to retrieve (labelled evidence requests), or a reply at once.

Follow-ups, towns and comparisons decide *what* to look for here, and nothing more: composing the reply from what
is found is the composer's job, the same for every kind of plan.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from assistant.chat import Conversation, asks_about_rights, asks_for_my_town, place_in_town, rewrite_question
from assistant.messages import message
from assistant.types import Filters
from corpus.towns import TownRegistry

PlanKind = Literal["answer", "compare", "missing_town", "which_town"]
Role = Literal["answer", "mentions", "guide"]
RECORDS_QUERY = "request a copy of the police department policy under the public records law Records Access Officer"


@dataclass
class EvidenceRequest:
    """One search and what its passages are for.

    `query` is what the passages' sentences are scored against; `search_query` what is searched with (the same
    unless said otherwise). `towns` are the towns whose sentences may be quoted and whose own documents get a
    bonus; `must_name` keeps only passages and sentences that name that town. `gated` requests are held to the
    abstention threshold; the others are quoted whenever they have a sentence."""

    role: Role
    query: str
    filters: Filters
    towns: list[str] = field(default_factory=list)
    label: str | None = None
    search_query: str | None = None
    limit: int | None = None
    must_name: str | None = None
    gated: bool = True
    max_sentences: int | None = None
    max_chars: int | None = None
    searched: bool = True

    @property
    def searched_with(self) -> str:
        return self.search_query or self.query


@dataclass
class Plan:
    """What the question was taken to mean and what to gather to answer it."""

    kind: PlanKind
    question: str
    standalone: str
    towns: list[str]
    filters: Filters
    requests: list[EvidenceRequest] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    language: str = "en"

    @property
    def town(self) -> str | None:
        return self.towns[0] if self.towns else None


class Planner:
    """Turns questions into plans; knows the towns and which of them have documents of their own."""

    def __init__(self, registry: TownRegistry, towns_with_documents: Callable[[], set[str]], max_chars: int):
        self.registry = registry
        self.towns_with_documents = towns_with_documents
        self.max_chars = max_chars

    def conversation(self, history: Iterable[str]) -> Conversation:
        """Replay earlier questions (oldest first) so the next one can lean on them."""
        conversation = Conversation()
        for question in history:
            standalone = self.registry.spell_towns(rewrite_question(question, conversation.turns, self.registry))
            conversation.add(question, standalone, self.registry.find_in_question(standalone))
        return conversation

    def plan(
        self, question: str, history: Iterable[str] = (), filters: Filters | None = None, language: str = "en"
    ) -> Plan:
        filters = filters or Filters()
        standalone = self.registry.spell_towns(rewrite_question(question, self.conversation(history).turns, self.registry))
        chosen = [self.registry.canonical(t) for t in filters.towns]
        if len(chosen) == 1 and chosen[0] not in self.registry.find_in_question(standalone):
            standalone = place_in_town(standalone, chosen[0])
        towns = chosen or self.registry.find_in_question(standalone)
        notes = [message("legal_note", language)] if asks_about_rights(standalone) else []
        plan = Plan("answer", question, standalone, towns, filters, notes=notes, language=language)
        if not towns and asks_for_my_town(standalone):
            plan.kind = "which_town"
            return plan
        having = self.towns_with_documents()
        if len(towns) == 1 and towns[0] not in having:
            return self._missing_town(plan, towns[0])
        scoped = filters.model_copy(update={"towns": towns})
        plan.filters = scoped
        if len(towns) > 1:
            plan.kind = "compare"
            for town in towns:
                plan.requests.append(
                    EvidenceRequest(
                        role="answer",
                        query=question_about(standalone, town, [t for t in towns if t != town]),
                        filters=scoped.model_copy(update={"towns": [town], "include_statewide": False}),
                        towns=[town],
                        label=town,
                        max_sentences=1,
                        max_chars=self.max_chars // len(towns),
                        searched=town in having,
                    )
                )
            return plan
        plan.requests.append(EvidenceRequest(role="answer", query=standalone, filters=scoped, towns=towns))
        return plan

    def _missing_town(self, plan: Plan, town: str) -> Plan:
        """No document is about this town: statewide documents that mention it, and how to request its policy."""
        statewide = plan.filters.model_copy(update={"towns": [], "include_statewide": True})
        plan.kind = "missing_town"
        plan.filters = plan.filters.model_copy(update={"towns": [town]})
        plan.requests += [
            EvidenceRequest(
                role="mentions",
                query=plan.standalone,
                search_query=f"{plan.standalone} {town}",
                filters=statewide,
                towns=[town],
                must_name=town,
                gated=False,
                max_sentences=1,
            ),
            EvidenceRequest(
                role="guide", query=RECORDS_QUERY, filters=statewide, limit=3, gated=False, max_sentences=1
            ),
        ]
        return plan


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
