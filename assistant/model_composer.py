"""The language-model composer: the model writes the reply from numbered passages; each sentence is checked before
anyone sees it.

The extractive composer runs first. Its draft decides the kind of reply (the model never answers what the
extractive composer abstains on) and is the answer whenever the model fails, declines, or writes nothing that
survives checking.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from assistant.answer import INSTRUCTIONS as ADDRESSES_A_MODEL
from assistant.answer import Sentence
from assistant.citations import build_citations
from assistant.claims import Checked, SentenceChecker, flatten, reply_sentences
from assistant.compose import Draft, Evidence, ExtractiveComposer, text_pieces
from assistant.errors import ModelError
from assistant.llm import ChatModel, LLMConfig
from assistant.messages import message
from assistant.plan import Plan
from assistant.prompts import CANNOT_ANSWER, answer_messages
from assistant.types import Citation, Passage
from corpus.towns import TownRegistry


class LLMComposer:
    """Has the configured model write the answer; keeps only what the passages bear out."""

    name = "llm"

    def __init__(
        self,
        extractive: ExtractiveComposer,
        model: ChatModel,
        embed: Callable[[list[str]], np.ndarray],
        registry: TownRegistry,
        config: LLMConfig,
        max_sentences: int = 5,
    ):
        self.extractive = extractive
        self.model = model
        self.embed = embed
        self.registry = registry
        self.config = config
        self.max_sentences = max_sentences

    def stream(self, plan: Plan, evidence: list[Evidence]) -> Iterator[str | Draft]:
        quoted = self.extractive.draft(plan, evidence)
        passages = self.passages(evidence, quoted) if plan.kind == "answer" and quoted.kind == "answer" else []
        if not passages:
            # No answer, a question back, a town without documents, a comparison: the extractive reply stands.
            yield from text_pieces(quoted.text)
            yield quoted
            return
        reply = _Reply(
            SentenceChecker(passages, self.embed, self.registry, self.config.support_above, self.config.cited_floor),
            passages,
        )
        system, user = answer_messages(plan.standalone, passages, plan.language, self.max_sentences)
        written = ""
        done = 0
        try:
            for piece in self.model.stream(system, user):
                written += piece
                # The last sentence may still be growing; every one before it is finished and can be checked.
                sentences = reply_sentences(written)
                for sentence in sentences[done:-1]:
                    if reply.add(sentence):
                        yield reply.text()
                done = max(done, len(sentences) - 1)
        except ModelError as exc:
            yield from self._instead(quoted, message("model_failed", plan.language, reason=_reason(exc)))
            return
        if not written.strip():
            yield from self._instead(quoted, message("model_failed", plan.language, reason="empty reply"))
            return
        for sentence in reply_sentences(written)[done:]:
            if reply.add(sentence):
                yield reply.text()
        if reply.declined and not reply.kept:
            yield from self._instead(quoted, message("model_declined", plan.language))
            return
        if not reply.kept:
            yield from self._instead(quoted, message("model_unverified", plan.language), reply.counts)
            return
        note = message("model_written", plan.language, **{k: str(v) for k, v in reply.counts.items()})
        yield Draft(
            reply.text(),
            reply.citations(),
            closest=quoted.closest,
            confidences=quoted.confidences,
            kind=quoted.kind,
            signals=quoted.signals,
            counts=reply.counts,
            notes=[note],
        )

    def passages(self, evidence: list[Evidence], quoted: Draft) -> list[Passage]:
        """The passages the model is given: the best ranked, always those the quoted answer drew on, none that
        address a model (a document that tries to instruct one is kept out of its sight entirely)."""
        found = [p for p in evidence[0].passages if not ADDRESSES_A_MODEL.search(p.chunk.text)] if evidence else []
        drawn_on = {c.passage for c in quoted.citations}
        chosen = [p for p in found if p.chunk.text in drawn_on][: self.config.passages]
        for passage in found:
            if len(chosen) >= self.config.passages:
                break
            if passage not in chosen:
                chosen.append(passage)
        return sorted(chosen, key=found.index)

    def _instead(self, quoted: Draft, note: str, counts: dict[str, int] | None = None) -> Iterator[str | Draft]:
        """The quoted answer, with a note on why the model's is not shown."""
        yield from text_pieces(quoted.text)
        quoted.notes = [*quoted.notes, note]
        quoted.counts = counts
        yield quoted


class _Reply:
    """The checked sentences so far, rendered with citation numbers in order of first use."""

    def __init__(self, checker: SentenceChecker, passages: list[Passage]):
        self.checker = checker
        self.passages = passages
        self.shown: list[Checked] = []
        self.counts = {"kept": 0, "dropped": 0, "repaired": 0}
        self.declined = False
        self.numbers: dict[int, int] = {}  # passage number in the prompt → citation number shown

    @property
    def kept(self) -> bool:
        return bool(self.shown)

    def add(self, sentence: str) -> bool:
        """Check a finished sentence; whether it changed what is shown."""
        if flatten(sentence).upper().startswith(CANNOT_ANSWER):
            self.declined = True
            return False
        checked = self.checker.check(sentence)
        if checked.status == "repaired" and any(c.text == checked.text for c in self.shown):
            checked = Checked("dropped", reason="repeats a quoted sentence")
        self.counts[checked.status] += 1
        if checked.status == "dropped":
            return False
        self.shown.append(checked)
        for n in checked.sources:
            self.numbers.setdefault(n, len(self.numbers) + 1)
        return True

    def text(self) -> str:
        return " ".join(self._sentence(c) for c in self.shown)

    def _sentence(self, checked: Checked) -> str:
        """A model's sentence with its markers before its closing stop ("… release [1]."); a passage's own
        sentence whole, then its marker, as quoted answers show them."""
        marks = "".join(f"[{self.numbers[n]}]" for n in checked.sources)
        body, stop = checked.text, ""
        if checked.status == "kept" and body[-1:] in ".!?":
            body, stop = body[:-1], body[-1]
        return f"{body} {marks}{stop}"

    def citations(self) -> list[Citation]:
        """One citation per passage used, quoting its sentence most like the claims resting on it."""
        cited = []
        for n, shown_as in self.numbers.items():
            supports = [c.supports[n] for c in self.shown if n in c.supports]
            if not supports:
                continue
            similarity, start, end = max(supports)
            passage = self.passages[n - 1]
            sentence = Sentence(0, start, end, passage.chunk.text[start:end], score=round(similarity, 4))
            cited.append(build_citations([sentence], [passage], shown_as)[0][0])
        return sorted(cited, key=lambda c: c.n)


def _reason(exc: ModelError) -> str:
    return str(exc).removeprefix("the language model ").removeprefix("failed: ")
