"""Pure metric functions: facts in an answer, retrieval ranks, citations, abstention, latency."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np


@dataclass(frozen=True)
class Metric:
    """One aggregate metric: what it means, what it is averaged over, which way is better, where it is shown."""

    name: str
    meaning: str
    over: Literal["answerable", "all", "followups", "answered", "confident", "unanswerable"]
    better: Literal["higher", "lower"] = "higher"
    shown: frozenset[str] = frozenset()  # beyond report.json: "cli", "breakdown", "sweep", "chart"


_ALL_VIEWS = frozenset({"cli", "breakdown", "sweep", "chart"})
# The one list of metrics: the runner computes these, the report, the charts, the sweep and the CLI show them.
METRICS: tuple[Metric, ...] = (
    Metric(
        "fact_recall",
        "answerable items with every fact in a confident or a closest-passages reply",
        "answerable",
        shown=_ALL_VIEWS,
    ),
    Metric(
        "confident_miss",
        "confident answers (to answerable items) missing a fact",
        "confident",
        "lower",
        frozenset({"cli", "breakdown", "sweep", "chart"}),
    ),
    Metric(
        "false_none", "answerable items answered 'nothing here'", "answerable", "lower", frozenset({"cli", "chart"})
    ),
    Metric(
        "unanswerable_confident",
        "unanswerable items given a confident answer",
        "unanswerable",
        "lower",
        frozenset({"cli", "chart"}),
    ),
    Metric("closest_share", "replies that were 'closest passages'", "all", "lower", frozenset({"cli"})),
    Metric("fact_coverage", "share of the facts present", "answerable", shown=frozenset({"chart"})),
    Metric("source_hit_at_1", "the first citation is from a right source", "answerable", shown=_ALL_VIEWS),
    Metric("hit_at_1", "a right source is the first retrieved document", "answerable", shown=frozenset({"chart"})),
    Metric("hit_at_5", "a right source among the first five retrieved", "answerable", shown=_ALL_VIEWS),
    Metric("recall_at_5", "share of the right sources among the first five", "answerable", shown=frozenset({"chart"})),
    Metric(
        "mrr",
        "mean reciprocal rank of the first right source",
        "answerable",
        shown=frozenset({"cli", "sweep", "chart"}),
    ),
    Metric(
        "citation_precision",
        "citations from a right source or quoting a fact",
        "answerable",
        shown=frozenset({"cli", "chart"}),
    ),
    Metric("quote_fidelity", "every quote verbatim at its offsets", "all", shown=frozenset({"cli", "chart"})),
    Metric("abstention_accuracy", "abstained exactly on the unanswerable items", "all", shown=_ALL_VIEWS),
    Metric("abstention_precision", "abstentions that were on unanswerable items", "all", shown=frozenset({"chart"})),
    Metric("abstention_recall", "unanswerable items abstained on", "all", shown=frozenset({"chart"})),
    Metric("followup_fact_recall", "fact recall on items with history", "followups", shown=frozenset({"cli", "chart"})),
    Metric(
        "mean_answer_chars", "length of given answers", "answered", "lower", frozenset({"cli", "breakdown", "sweep"})
    ),
    Metric("latency_p50_ms", "median time per question", "all", "lower", frozenset({"cli", "sweep"})),
    Metric("latency_p95_ms", "95th percentile time per question", "all", "lower", frozenset({"cli"})),
)


def shown_in(view: str) -> tuple[str, ...]:
    """The names of the metrics shown in a view ("cli", "breakdown", "sweep", "chart"), in registry order."""
    return tuple(m.name for m in METRICS if view in m.shown)


def fact_present(fact: str, answer: str) -> bool:
    """Whether any alternative of the fact ("three|3") occurs in the answer, case-insensitively, as whole words."""
    for alternative in (a.strip() for a in fact.split("|")):
        if alternative and re.search(rf"(?<!\w){re.escape(alternative)}(?!\w)", answer, re.IGNORECASE):
            return True
    return False


def fact_coverage(facts: Sequence[str], answer: str) -> float:
    """Share of the facts present (1.0 when there are none)."""
    return sum(fact_present(f, answer) for f in facts) / len(facts) if facts else 1.0


def first_relevant_rank(ranked: Sequence[str], relevant: set[str]) -> int | None:
    """1-based rank of the first relevant item, or None."""
    return next((i for i, item in enumerate(ranked, start=1) if item in relevant), None)


def hit_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    rank = first_relevant_rank(ranked, relevant)
    return 1.0 if rank is not None and rank <= k else 0.0


def recall_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """Share of the relevant items found in the top k."""
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: set[str]) -> float:
    rank = first_relevant_rank(ranked, relevant)
    return 1.0 / rank if rank else 0.0


def citation_precision(cited: Sequence[tuple[str, str]], sources: set[str], facts: Sequence[str]) -> float | None:
    """Share of (file, quote) citations from a right source or quoting a fact; None without citations."""
    if not cited:
        return None
    good = sum(1 for file, quote in cited if file in sources or any(fact_present(f, quote) for f in facts))
    return good / len(cited)


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else 0.0


def mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def abstention_scores(answerable: Sequence[bool], abstained: Sequence[bool]) -> dict[str, float | None]:
    """Precision and recall of abstaining (the positive class: unanswerable), and accuracy over all items."""
    pairs = list(zip(answerable, abstained, strict=True))
    true_abstain = sum(1 for a, x in pairs if not a and x)
    abstained_count = sum(1 for _, x in pairs if x)
    unanswerable = sum(1 for a, _ in pairs if not a)
    correct = sum(1 for a, x in pairs if a != x)
    return {
        "abstention_precision": true_abstain / abstained_count if abstained_count else None,
        "abstention_recall": true_abstain / unanswerable if unanswerable else None,
        "abstention_accuracy": correct / len(pairs) if pairs else None,
    }
