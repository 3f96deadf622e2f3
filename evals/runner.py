"""Running an eval set: ask each question, score the answer, aggregate."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.service import AssistantService
from assistant.types import Answer
from evals import metrics
from evals.dataset import EvalItem

VERIFICATION_COUNTS = ("kept", "dropped", "repaired")


@dataclass
class ItemResult:
    """One item's question, expected answer, what came back, and its scores."""

    id: str
    category: str
    question: str
    answerable: bool
    facts: list[str]
    sources: list[str]
    history: list[str]
    town: str | None
    type: str | None
    note: str | None = None
    standalone_question: str = ""
    answer: str = ""
    abstained: bool = False
    kind: str = "answer"
    confidence: float | None = None
    signals: dict[str, float] = field(default_factory=dict)
    forced_abstention: bool = False
    cited_files: list[str] = field(default_factory=list)
    retrieved: list[str] = field(default_factory=list)
    source_doc_type: str | None = None
    fact_recall: float | None = None
    fact_coverage: float | None = None
    source_hit_at_1: float | None = None
    hit_at_1: float | None = None
    hit_at_5: float | None = None
    recall_at_5: float | None = None
    mrr: float | None = None
    citation_precision: float | None = None
    quote_fidelity: float = 1.0
    answer_chars: int = 0
    latency_ms: float = 0.0
    confident_miss: float | None = None  # a confident answer to an answerable item: 1 if it misses a fact
    false_none: float | None = None  # an answerable item: 1 if the reply was "nothing here"
    unanswerable_confident: float | None = None  # an unanswerable item: 1 if given a confident answer
    closest_share: float = 0.0
    # What verification did (for a language model's answer: its sentences kept, dropped, repaired), and the notes
    # shown under the answer (a model that could not answer says so there).
    verification: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Every fact in a confident or closest-passages reply, or, unanswerable, no confident answer."""
        return self.fact_recall == 1.0 if self.answerable else self.kind != "answer"


def score_item(item: EvalItem, answer: Answer, latency_ms: float, doc_types: dict[str, str]) -> ItemResult:
    """Score one answer against its item."""
    sources = set(item.sources)
    result = ItemResult(
        id=item.id,
        category=item.category,
        question=item.question,
        answerable=item.answerable,
        facts=item.facts,
        sources=item.sources,
        history=item.history,
        town=item.town,
        type=item.type,
        note=item.note,
        standalone_question=answer.standalone_question,
        answer=answer.answer,
        abstained=answer.abstained,
        kind=answer.kind,
        confidence=answer.confidence,
        signals=dict(answer.signals),
        forced_abstention=answer.abstained and answer.confidence is None,
        cited_files=[c.file for c in answer.citations],
        retrieved=answer.retrieved,
        source_doc_type=doc_types.get(item.sources[0]) if item.sources else None,
        quote_fidelity=1.0 if all(c.is_verbatim() for c in answer.citations) else 0.0,
        answer_chars=len(answer.answer),
        latency_ms=latency_ms,
        closest_share=1.0 if answer.kind == "closest" else 0.0,
        verification=dict(answer.verification),
        notes=list(answer.notes),
    )
    if not item.answerable:
        result.unanswerable_confident = 1.0 if answer.kind == "answer" else 0.0
    if item.answerable:
        shown = "" if answer.abstained else answer.answer
        result.fact_recall = 1.0 if all(metrics.fact_present(f, shown) for f in item.facts) else 0.0
        result.fact_coverage = metrics.fact_coverage(item.facts, shown)
        result.false_none = 1.0 if answer.kind == "none" else 0.0
        if answer.kind == "answer":
            result.confident_miss = 1.0 - result.fact_recall
        result.source_hit_at_1 = 1.0 if result.cited_files[:1] and result.cited_files[0] in sources else 0.0
        result.hit_at_1 = metrics.hit_at(answer.retrieved, sources, 1)
        result.hit_at_5 = metrics.hit_at(answer.retrieved, sources, 5)
        result.recall_at_5 = metrics.recall_at(answer.retrieved, sources, 5)
        result.mrr = metrics.reciprocal_rank(answer.retrieved, sources)
        result.citation_precision = metrics.citation_precision(
            [(c.file, c.quote) for c in answer.citations], sources, item.facts
        )
    return result


def run_items(
    service: AssistantService,
    items: Sequence[EvalItem],
    progress: bool = True,
    doc_types: dict[str, str] | None = None,
) -> list[ItemResult]:
    """Ask every item's question (as a follow-up to its history, within its filters) and score the answers."""
    from tqdm import tqdm

    if doc_types is None:
        doc_types = service.doc_types()
    results = []
    for item in tqdm(items, desc="Evaluating", unit="item", disable=not progress):
        started = time.perf_counter()
        answer = service.ask(item.question, item.history, item.filters())
        results.append(score_item(item, answer, (time.perf_counter() - started) * 1000, doc_types))
    return results


def aggregate(results: Sequence[ItemResult]) -> dict[str, Any]:
    """Every metric over all items, and broken down by category, source document type and answerability."""
    summary = _aggregate(results)
    breakdowns: dict[str, dict[str, dict[str, Any]]] = {}
    for name, key in (
        ("category", lambda r: r.category),
        ("doc_type", lambda r: r.source_doc_type or "(none)"),
        ("answerable", lambda r: "answerable" if r.answerable else "unanswerable"),
        ("followup", lambda r: "follow-up" if r.history else "first question"),
    ):
        groups: dict[str, list[ItemResult]] = defaultdict(list)
        for result in results:
            groups[key(result)].append(result)
        breakdowns[name] = {group: _aggregate(members) for group, members in sorted(groups.items())}
    return {"overall": summary, "breakdowns": breakdowns}


def _aggregate(results: Sequence[ItemResult]) -> dict[str, Any]:
    answerable = [r for r in results if r.answerable]
    groups = {
        "all": results,
        "answerable": answerable,
        "followups": [r for r in answerable if r.history],
        "answered": [r for r in answerable if not r.abstained],
        "confident": [r for r in answerable if r.kind == "answer"],
        "unanswerable": [r for r in results if not r.answerable],
    }
    abstention = metrics.abstention_scores([r.answerable for r in results], [r.abstained for r in results])
    latencies = [r.latency_ms for r in results]
    special: dict[str, float | None] = {
        **abstention,
        "followup_fact_recall": metrics.mean([r.fact_recall for r in groups["followups"]]),
        "mean_answer_chars": metrics.mean([float(r.answer_chars) for r in groups["answered"]]),
        "latency_p50_ms": metrics.percentile(latencies, 50),
        "latency_p95_ms": metrics.percentile(latencies, 95),
    }
    values: dict[str, Any] = {"items": len(results), "passed": sum(r.passed for r in results)}
    for metric in metrics.METRICS:
        value = (
            special[metric.name]
            if metric.name in special
            else metrics.mean([getattr(r, metric.name) for r in groups[metric.over]])
        )
        values[metric.name] = _round(value, 1 if metric.name.endswith(("_ms", "_chars")) else 4)
    # Summed, not averaged: how many sentences (or citations) verification kept, dropped and repaired overall.
    for count in VERIFICATION_COUNTS:
        values[f"verified_{count}"] = sum(r.verification.get(count, 0) for r in results)
    return values


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def result_dicts(results: Sequence[ItemResult]) -> list[dict[str, Any]]:
    return [{**asdict(r), "passed": r.passed} for r in results]
