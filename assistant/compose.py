"""Composing: gathered evidence → a draft reply. One contract (`Composer`), many backends.

The shape is simonw/llm's `Model.execute` (one method, text as it is written, then the result) and paper-qa's
gather-then-answer. The extractive composer quotes the best sentences verbatim; the language-model composer
(assistant/model_composer.py) writes its own text behind the same contract, and the same verifier checks both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np

from assistant.answer import (
    AnswerConfig,
    Sentence,
    add_ranked,
    answer_type,
    asked_county,
    candidate_sentences,
    headed_sentence,
    names_absent_state,
    names_other_counties_only,
    rank_by,
    ranker_scores,
    score_sentences,
    select_sentences,
    signals,
    typed_among_best,
    with_law_name,
)
from assistant.calibration import Calibration, LogisticModel, load_calibration, load_ranker
from assistant.citations import build_citations, render
from assistant.messages import join_names, message
from assistant.plan import EvidenceRequest, Plan
from assistant.types import Citation, Passage
from corpus.towns import TownRegistry


@dataclass
class Evidence:
    """What one request found: its passages, best first, and the vector of the query they are scored against."""

    request: EvidenceRequest
    passages: list[Passage]
    vector: np.ndarray | None = None
    focus: np.ndarray | None = None  # a follow-up's own words' vector (`Plan.focus`), for its main request
    # after a story told first, the words of the sentences that ask (`Plan.focus` when `Plan.story`); else None
    story: str | None = None


@dataclass
class Draft:
    """A composer's reply before verification."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    closest: list[str] = field(default_factory=list)
    # The probability of each request held to the thresholds, in the plan's order.
    confidences: list[float] = field(default_factory=list)
    kind: str = "answer"  # answer, closest or none, from the probability (verification may lower it to none)
    signals: dict[str, float] = field(default_factory=dict)  # of the request that set the kind
    # A composer that checks its own sentences (a language model's) reports what it kept, dropped and repaired.
    counts: dict[str, int] | None = None
    notes: list[str] = field(default_factory=list)


class Composer(Protocol):
    """Turns a plan's evidence into a draft reply."""

    name: str

    def stream(self, plan: Plan, evidence: list[Evidence]) -> Iterator[str | Draft]:
        """The reply's text as it is written, in pieces, then the finished draft (always last)."""
        ...


def text_pieces(text: str, steps: int = 6) -> Iterator[str]:
    """A finished text in a few growing prefixes, for showing it as it streams."""
    words = text.split(" ")
    step = max(1, len(words) // steps)
    for end in range(step, len(words), step):
        yield " ".join(words[:end])


@dataclass
class _Part:
    """One request's quoted sentences and how sure the composer is of them."""

    evidence: Evidence
    cited: list[tuple[Citation, str]]
    confidence: float | None
    kind: str = "answer"
    signals: dict[str, float] = field(default_factory=dict)


class ExtractiveComposer:
    """Quotes the sentences that best answer the question, verbatim, each followed by its citation."""

    name = "extractive"

    def __init__(
        self,
        embed: Callable[[list[str]], np.ndarray],
        terms: Callable[[list[str]], list[list[str]]],
        registry: TownRegistry,
        config: AnswerConfig,
        cached: Callable[[list[str]], dict[str, Any]] | None = None,
        calibration: Calibration | None = None,
        idf: Callable[[list[str]], dict[str, float]] | None = None,
    ):
        self.embed = embed
        self.terms = terms
        self.registry = registry
        self.config = config
        self.calibration = calibration or load_calibration(config.calibration)
        self.idf = idf  # how rare each word is in the index: a rare question word in a sentence says more
        self.ranker: LogisticModel | None = None
        if config.sentence_ranker:
            self.ranker = load_ranker(config.ranker)
        # chunk ids → their sentences' spans and vectors, cached at ingest (SearchIndex.sentence_vectors)
        self.cached = cached

    def stream(self, plan: Plan, evidence: list[Evidence]) -> Iterator[str | Draft]:
        draft = self.draft(plan, evidence)
        yield from text_pieces(draft.text)
        yield draft

    def draft(self, plan: Plan, evidence: list[Evidence]) -> Draft:
        language = plan.language
        if plan.kind == "which_town":
            return Draft(message("which_town", language), abstained=True)
        parts: list[_Part] = []
        for item in evidence:
            # a sentence is quoted once in a reply: a comparison's sides ("As of April 2026 the only 287(g) agreement
            # left …" answers for Bristol and Plymouth alike), and a town's answer and its county's lines, which can
            # hold the same sentence (a county page and two overlapping passages of it)
            quoted = {c.quote for part in parts for c, _ in part.cited}
            parts.append(self._quote(plan, item, first=1 + sum(len(p.cited) for p in parts), quoted=quoted))
        if plan.kind == "answer" and all(not p.cited for p in parts if p.evidence.request.gated):
            # nothing answers the question: what the documents say of the town's county is no answer on its own
            parts = [p for p in parts if p.evidence.request.gated]
        cited = [pair for part in parts for pair in part.cited]
        confidences = [p.confidence for p in parts if p.confidence is not None]
        closest = closest_titles(p for part in parts[:1] for p in part.evidence.passages)
        # The reply is as sure as its surest gated part (a comparison answered for one town of two is an answer).
        gated = [p for p in parts if p.confidence is not None]
        deciding = max(gated, key=lambda p: p.confidence or 0.0) if gated else None
        kind = deciding.kind if deciding else "answer"
        sig = deciding.signals if deciding else {}
        if plan.kind == "missing_town":
            return self._missing_town(plan, parts, closest)
        if plan.kind == "compare":
            labels = [part.evidence.request.label or "" for part in parts for _ in part.cited]
            lacking = [part.evidence.request.label or "" for part in parts if not part.cited]
            text = render(cited, labels) if cited else ""
            if lacking:
                text += ("\n" if text else "") + message("not_said_for", language, towns=join_names(lacking, language))
            if cited and kind == "closest":
                text = message("closest_passages", language) + "\n" + text
            return Draft(
                text,
                [c for c, _ in cited],
                not cited,
                confidences=confidences,
                kind=kind if cited else "none",
                signals=sig,
            )
        if not cited:
            text = message("not_said", language, question=plan.standalone.rstrip("?"))
            if closest:
                text += message("closest", language, titles="; ".join(closest))
            return Draft(text, abstained=True, closest=closest, confidences=confidences, kind="none", signals=sig)
        text = render(cited)
        if kind == "closest":
            text = message("closest_passages", language) + "\n" + text
        return Draft(text, [c for c, _ in cited], confidences=confidences, kind=kind, signals=sig)

    def _quote(self, plan: Plan, evidence: Evidence, first: int, quoted: set[str] | None = None) -> _Part:
        """Score the request's sentences and keep the best (none already `quoted`), unless a gated request falls
        under the threshold."""
        request = evidence.request
        sentences, passages, vectors = self.scored(evidence, with_features=self.ranker is not None)
        if quoted:
            keep = [i for i, s in enumerate(sentences) if not any(s.text in quote for quote in quoted)]
            sentences, vectors = [sentences[i] for i in keep], vectors[keep]
        sure, kind, found = None, "answer", {}
        if request.gated:
            found = self._signals(request, sentences, passages)
            sure = self.calibration.probability(found) if found else 0.0
            kind = self.calibration.kind(sure, self.config.confident_above, self.config.abstain_below)
            if (
                kind == "none"
                and evidence.story
                and self._relevant_to_asked(request, sentences, passages, evidence.story)
            ):
                kind = "closest"
            if found.get("off_topic") and not request.asked:
                # nothing retrieved speaks of the thing asked, only of its town (a translated question's words are
                # a machine translation's, too unsure to rule on)
                kind = "none"
            if kind == "none" and found.get("definition"):
                kind = "closest"  # a sentence spelling out the very term asked is relevant, however unsure the rest
            if (
                kind == "none"
                and self.config.typed_is_relevant
                and not found.get("off_topic")
                # so is one of the best few sentences, close to the best in score, holding the kind of thing asked: a
                # reason for a "why", a date for a "when"
                and typed_among_best(request.query, sentences, self.config.typed_among, self.config.relative_floor)
            ):
                kind = "closest"
            if (
                kind == "answer"
                and answer_type(request.query) == "contact"
                and not typed_among_best(request.query, sentences, self.config.typed_among, self.config.relative_floor)
            ):
                # a phone number or an address asked for, and none of the best sentences gives one: they may say
                # where to look ("a result gives the facility's phone number"), they do not answer
                kind = "closest"
            if names_absent_state(request.query, passages):
                kind = "none"  # "does the new hampshire sheriff …": no passage here speaks of that state
            if kind == "none":
                return _Part(evidence, [], sure, kind, found)
        limits: dict[str, Any] = {
            "max_sentences": request.max_sentences or self.config.max_sentences,
            "max_chars": request.max_chars or self.config.max_chars,
        }
        if kind == "closest" and self.ranker is not None:
            # The reply kind is calibrated on the hand weights' scores; a "closest passages" reply, unsure which
            # sentence answers, orders its evidence by the sentence ranker fitted on the dev sets instead.
            rank_by(sentences, self.ranker)
        if kind == "closest" and not (request.max_sentences or request.max_chars):
            limits = {
                "max_sentences": self.config.closest_sentences,
                "max_chars": self.config.closest_chars,
                "relative_floor": self.config.closest_floor,
            }
        chosen = select_sentences(sentences, vectors, self.config.model_copy(update=limits))
        # a confident answer in its own right (not a comparison's side, a guide's line or a county's): the ranker's
        # best units it lacks join it
        plain = request.gated and not (request.max_sentences or request.max_chars)
        # and so does each side of a comparison, whatever its kind: a side's two sentences, chosen by the hand
        # weights, often both tell the gist ("ended its 287(g) agreement in May 2021") where the ranker's next
        # unit holds the thing asked (the day it ended)
        added, named = (
            (self.config.ranker_best, self.config.ranker_named)
            if kind == "answer" and plain
            else (self.config.compare_ranker_best, self.config.compare_named)
            if plan.kind == "compare" and request.label
            else (0, 0)
        )
        # a side's additions keep it within three times its share of the budget: at twice it, a side's best-named
        # unit (Quincy's "INS Immigration Alien Query") could find no room after the ranker's first picks (keeping
        # twice for those and three times for the named ones only lost 3 on dev)
        most = 3 * int(limits["max_chars"]) if plan.kind == "compare" else None
        if not added:
            # the named units come past the ranker's best; a closest reply, ordered by the ranker, holds those already
            named = self.config.closest_named if kind == "closest" and plain else 0
            most = int(self.config.closest_chars * 1.25)
        if (added or named) and self.ranker is not None:
            ranked = ranker_scores(sentences, self.ranker)
            # (a sentence the ranker cannot judge fairly is never its pick)
            fair = self._ranked_fairly(request, sentences, passages)
            days = answer_type(request.query) == "date"  # a "when" reply's month given to the day where one says it
            chosen = add_ranked(sentences, vectors, chosen, ranked, added, self.config, most, fair, named, days)
        if kind == "answer" and plain and self.config.law_name:
            chosen = with_law_name(sentences, passages, chosen, int(limits["max_chars"] * 1.25))
        if request.parts:
            chosen = self._each_part(request, sentences, passages, vectors, chosen)
        return _Part(evidence, build_citations(chosen, passages, first), sure, kind, found)

    def _ranked_fairly(
        self, request: EvidenceRequest, sentences: list[Sentence], passages: list[Passage]
    ) -> list[bool]:
        """Which sentences the sentence ranker judges on the features it was fitted on (all of them here)."""
        del request, passages
        return [True] * len(sentences)

    def _each_part(
        self,
        request: EvidenceRequest,
        sentences: list[Sentence],
        passages: list[Passage],
        vectors: np.ndarray,
        chosen: list[Sentence],
    ) -> list[Sentence]:
        """A two-part question's reply holds the best sentence for each part: the whole question's best sentences
        may all answer one part ("what happened to the detainees, and how did the sheriff react?")."""
        if not sentences:
            return chosen
        index = {(s.passage, s.start): i for i, s in enumerate(sentences)}
        # the candidates already quoted (a list item's lead-in line is no candidate of its own)
        rows = [index[(s.passage, s.start)] for s in chosen if (s.passage, s.start) in index]
        added = []
        for part in request.parts:
            copies = [replace(s) for s in sentences]
            score_sentences(
                part, copies, passages, self.embed, self.terms, self.config, request.towns, None, vectors, self.idf
            )
            best = max(range(len(copies)), key=lambda i: copies[i].score)
            if best in rows or any(
                float(np.dot(vectors[best], vectors[row])) >= self.config.duplicate_cosine for row in rows
            ):
                continue
            rows.append(best)
            added.append(sentences[best])
        return sorted([*chosen, *added], key=lambda s: (not s.local, s.passage, s.start))

    def scored(
        self, evidence: Evidence, with_features: bool = False
    ) -> tuple[list[Sentence], list[Passage], np.ndarray]:
        """The request's candidate sentences, scored (with the ranker's features if asked), with the passages they
        come from and their vectors."""
        request = evidence.request
        passages = evidence.passages
        said = re.compile(rf"\b{re.escape(request.must_say)}\b", re.IGNORECASE) if request.must_say else None
        if request.must_name:
            passages = [p for p in passages if request.must_name in self.registry.find(p.chunk.text)]
        if said:
            passages = [p for p in passages if said.search(p.chunk.text)]
        if request.document_kind:
            # "eastbrook's police policy" of two documents of Eastbrook's: the policy, not the council order
            word, doc_type = request.document_kind
            kind = re.compile(rf"\b{word}\b", re.IGNORECASE)
            of_kind = [p for p in passages if p.chunk.meta.doc_type == doc_type or kind.search(p.chunk.meta.title)]
            # (only when one of them is the owner's: "plymouth's policy" is none of Framingham's)
            if any(mentions(f"{p.chunk.text} {p.chunk.meta.title}", request) for p in of_kind):
                passages = of_kind
        numbered = numbered_document(request.query) if not request.label else None
        if numbered is not None:
            # "eastbrook pd policy 415 that i uploaded, who does the annual report go to": that document's words, not
            # the council order's about its own report (any document naming "Policy 415", its header's "Policy
            # Number: 415" too, when one was found; a comparison's side is named by its label instead)
            files = {p.chunk.file for p in passages if numbered.named_in(f"{p.chunk.meta.title}\n{p.chunk.text}")}
            passages = [p for p in passages if p.chunk.file in files] or passages
        sentences = candidate_sentences(passages, self.registry, request.towns)
        county = asked_county(request.query, self.registry)
        if county:
            # "who was the bristol county sheriff": not what the Plymouth and Barnstable sheriffs did
            sentences = [s for s in sentences if not names_other_counties_only(s.text, county, self.registry)]
        if request.must_name:
            sentences = [s for s in sentences if request.must_name in self.registry.find(s.text)]
        if said:
            sentences = [s for s in sentences if said.search(s.text)]
        vectors = self._score(request, sentences, passages, self._focused(evidence), with_features)
        if request.must_mention:
            # a thing compared is quoted from sentences that name it ("bristol": not Framingham's withdrawal), once
            # scored among their neighbours
            # (a document of the kind asked is named by any of its passages: policy 415's "6.2 Annual report" by its
            # opening's "Eastbrook Police Department")
            named = {p.chunk.file for p in passages if request.document_kind and mentions(p.chunk.text, request)}
            naming = [
                i
                for i, s in enumerate(sentences)
                if passages[s.passage].chunk.file in named
                or mentions(f"{s.text} {passages[s.passage].chunk.meta.title}", request)
            ]
            if naming:
                sentences, vectors = [sentences[i] for i in naming], vectors[naming]
        return sentences, passages, vectors

    def _focused(self, evidence: Evidence) -> np.ndarray | None:
        """The vector a request's units are scored against: a follow-up written as "<its own words>, about <the
        topic>" leans on its own words as much as on the topic ("who ended it and when, about did the barnstable
        sheriff's jail check inmates' status": who ended it, not whether the jail checked); a first question typed as
        a story first, on its asking sentences (`story_focus` times their vector, not `followup_focus`)."""
        weight = self.config.story_focus if evidence.story else self.config.followup_focus
        if evidence.vector is None or evidence.focus is None or not weight:
            return evidence.vector
        blended = evidence.vector + weight * evidence.focus
        return blended / np.linalg.norm(blended)  # type: ignore[no-any-return]

    def _signals(
        self, request: EvidenceRequest, sentences: list[Sentence], passages: list[Passage], asked: str | None = None
    ) -> dict[str, float]:
        return signals(request.query, sentences, passages, self.terms, request.towns, asked)

    def _relevant_to_asked(
        self, request: EvidenceRequest, sentences: list[Sentence], passages: list[Passage], asked: str
    ) -> bool:
        """After a story told first, whether the best sentence is relevant to what its asking sentences ask
        (`asked`): the story's words are in no answer and weigh down the share of the question's words it holds.
        Relevant only, never sure: the calibration was fitted on whole questions' words, so a reply it lifts is a
        "closest passages" one."""
        found = self._signals(request, sentences, passages, asked)
        sure = self.calibration.probability(found) if found else 0.0
        return self.calibration.kind(sure, self.config.confident_above, self.config.abstain_below) != "none"

    def _score(
        self,
        request: EvidenceRequest,
        sentences: list[Sentence],
        passages: list[Passage],
        vector: np.ndarray | None,
        with_features: bool = False,
    ) -> np.ndarray:
        """Score the sentences with the hand weights (and compute the ranker's features when asked)."""
        return score_sentences(
            request.query,
            sentences,
            passages,
            self.embed,
            self.terms,
            self.config,
            request.towns,
            vector,
            self._cached_vectors(sentences, passages),
            self.idf,
            with_features,
        )

    def _cached_vectors(self, sentences: list[Sentence], passages: list[Passage]) -> np.ndarray | None:
        """The sentences' vectors from the ingest-time cache; any it lacks are embedded now, in one batch."""
        if self.cached is None or not sentences:
            return None
        table = self.cached(distinct(p.chunk.id for p in passages))
        rows: list[np.ndarray | None] = [None] * len(sentences)
        for i, sentence in enumerate(sentences):
            entry = table.get(passages[sentence.passage].chunk.id)
            if entry is not None:
                hit = np.flatnonzero((entry.spans[:, 0] == sentence.start) & (entry.spans[:, 1] == sentence.end))
                if hit.size:
                    rows[i] = entry.vectors[hit[0]]
        missing = [i for i, row in enumerate(rows) if row is None]
        if missing:
            for i, vector in zip(missing, self.embed([headed_sentence(sentences[i]) for i in missing]), strict=True):
                rows[i] = vector
        return np.vstack([np.asarray(row, dtype=np.float32) for row in rows])

    def _missing_town(self, plan: Plan, parts: list[_Part], closest: list[str]) -> Draft:
        """No document about the town: say so, quote statewide mentions of it, point to a records request."""
        language, town = plan.language, plan.town or ""
        cited = [pair for part in parts for pair in part.cited]
        lines = [message("no_document", language, town=town)]
        county = [pair for part in parts if part.evidence.request.role == "county" for pair in part.cited]
        if county:
            label = next(p.evidence.request.label or "" for p in parts if p.evidence.request.role == "county")
            lines.append(message("county_mentions", language, town=town, county=label, quotes=render(county)))
        mention = [pair for pair in cited if town in self.registry.find(pair[1]) and pair not in county]
        if mention:
            lines.append(message("statewide_mentions", language, town=town, quotes=render(mention)))
        hint = [pair for pair in cited if pair not in mention and pair not in county]
        lines.append(message("records_request", language, town=town) + (f": {render(hint)}" if hint else "."))
        # Quotes that speak of the town or of its county's sheriff and courts (a county page) are the closest
        # evidence there is; with none, nothing here answers.
        found = bool(mention or county)
        kind = "closest" if found else "none"
        return Draft("\n".join(lines), [c for c, _ in cited], abstained=not found, closest=closest, kind=kind)


# A document named by its kind and number: "policy 415", "Council Order No. 2025-112", "policy #1.33"; not "the 2017
# bylaw" (a year), "orders 48 hours after release", "policy 2 of 3", "the order 5/1", "policy 287(g)".
_KINDS = {
    "policy": r"polic(?:y|ies)",
    "order": r"orders?",
    "ordinance": r"ordinances?",
    "bylaw": r"by-?laws?",
    "directive": r"directives?",
}
_NUMBER_LABEL = r"[\s:#]*(?:no\.?|number|num\.?)?[\s:#]*"
_NUMBERED = re.compile(
    rf"\b(?P<kind>{'|'.join(_KINDS.values())}){_NUMBER_LABEL}"
    r"(?!(?:19|20)\d\d(?![.-]?\d))(?P<number>\d+(?:[.-]\d+)*)"
    r"(?![\w(]|[.-]?\d|/\d| of \d| (?:hours?|days?|weeks?|months?|years?|people|times|percent)\b)"
    # a second number after it ("policies 200-15 and 200-16") makes two documents
    r"(?P<more>\s*(?:,|and|or|vs\.?|versus|/)\s*\d)?",
    re.IGNORECASE,
)
# Another document asked of besides: another kind's word (not a "court order", "in order to", "deportation orders"),
# a law, an agreement, a ruling, a case.
_ANOTHER_DOCUMENT = re.compile(
    rf"\b(?<!court )(?<!in )(?<!detainer )(?<!deportation )(?<!removal )(?<!gag )(?:{'|'.join(_KINDS.values())})\b"
    r"(?! to\b)|\b(?:act|law|statute|agreement|decision|ruling|opinion|bill|v\.|vs\.? commonwealth)\b",
    re.IGNORECASE,
)
_COMPARES = re.compile(r"\b(?:compare[sd]?|comparing|versus|vs\.?|differ\w*|stricter|looser|same as)\b", re.IGNORECASE)


@dataclass(frozen=True)
class NumberedDocument:
    """A document named by its kind ("policy") and number ("415")."""

    kind: str
    number: str

    def named_in(self, text: str) -> bool:
        """Whether the text names it: "Policy Number: 415", "Policy 415", "Council Order No. 2025-112"."""
        pattern = rf"\b{_KINDS[self.kind]}{_NUMBER_LABEL}(?<![\d.-]){re.escape(self.number)}(?!\d|[.-]\d)"
        return re.search(pattern, text, re.IGNORECASE) is not None


def numbered_document(question: str) -> NumberedDocument | None:
    """The one document the question names by kind and number ("policy 415"), or None when it names none, several,
    or another document besides ("the council order and police policy 415, who gets the report under each";
    "framingham policy 200-15 vs the trust act")."""
    named = list(_NUMBERED.finditer(question))
    documents = {(_kind(m.group("kind")), m.group("number")) for m in named}
    if len(documents) != 1 or any(m.group("more") for m in named) or _COMPARES.search(question):
        return None
    inside = [(m.start(), m.end()) for m in named]
    if any(not any(a <= m.start() < b for a, b in inside) for m in _ANOTHER_DOCUMENT.finditer(question)):
        return None
    kind, number = documents.pop()
    return NumberedDocument(kind, number)


def _kind(word: str) -> str:
    """The kind a document word names ("policies" → "policy", "By-law" → "bylaw")."""
    return next(kind for kind, pattern in _KINDS.items() if re.fullmatch(pattern, word, re.IGNORECASE))


def mentions(text: str, request: EvidenceRequest) -> bool:
    """Whether the text names one of the request's `must_mention` words (a plural or possessive too)."""
    words = "|".join(re.escape(w) for w in request.must_mention)
    return bool(re.search(rf"\b(?:{words})(?:s|['’]s)?\b", text.lower().replace("(g)", "g")))


def distinct(values: Iterable[str]) -> list[str]:
    """The values without repeats, in their first order."""
    return list(dict.fromkeys(values))


def closest_titles(passages: Iterable[Passage], limit: int = 3) -> list[str]:
    return distinct(p.chunk.meta.title for p in passages)[:limit]
