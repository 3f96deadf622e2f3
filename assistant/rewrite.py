"""Follow-ups rewritten by the language model into standalone questions, checked; the rules in chat.py stay the
fallback whenever the model fails or writes something that is not a plain rewrite of the question."""

from __future__ import annotations

import re

from assistant.answer import INSTRUCTIONS as ADDRESSES_A_MODEL
from assistant.chat import Turn
from assistant.errors import ModelError
from assistant.llm import ChatModel
from assistant.prompts import rewrite_messages
from corpus.towns import TownRegistry


class ModelRewriter:
    """`Planner.rewrite`: the model's standalone question, or None to use the rules."""

    def __init__(self, model: ChatModel, registry: TownRegistry, timeout_s: float):
        self.model = model
        self.registry = registry
        self.timeout_s = timeout_s

    def __call__(self, question: str, history: list[Turn]) -> str | None:
        system, user = rewrite_messages(question, [t.standalone for t in history])
        try:
            reply = self.model.complete(system, user, self.timeout_s)
        except ModelError:
            return None
        return checked_rewrite(reply, question, history, self.registry)


def checked_rewrite(reply: str, question: str, history: list[Turn], registry: TownRegistry) -> str | None:
    """The model's rewrite when it is one short question naming no town the conversation did not name."""
    lines = [line.strip() for line in reply.strip().splitlines() if line.strip()]
    if len(lines) != 1:
        return None
    rewritten = re.sub(r"^(standalone|rewritten)?\s*question\s*:\s*", "", lines[0], flags=re.I).strip(" \"'“”")
    if not rewritten or len(rewritten) > 2 * len(question) + 200 or ADDRESSES_A_MODEL.search(rewritten):
        return None
    named = {t for turn in history for t in turn.towns} | set(registry.find(question))
    if any(town not in named for town in registry.find(rewritten)):
        return None
    return rewritten
