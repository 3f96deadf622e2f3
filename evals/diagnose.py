"""Where a reply's missing facts were: among the sentences the answer step weighed or not, and how high its two
orders (the hand weights and the sentence ranker) put the best unit holding each one.

A fact no weighed sentence holds is retrieval's to find (or the documents do not state it in those words); one
ranked within the first three is a question of how many sentences a reply quotes; one ranked deeper is the
sentence scoring's. `assistant eval --diagnose` adds this to each report, for the replies that missed a fact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from assistant.calibration import LogisticModel
from assistant.service import AssistantService
from evals.dataset import EvalItem
from evals.metrics import fact_present
from evals.runner import ItemResult

# Where a missing fact's best unit was, by the better of its two ranks among its request's sentences.
PLACES = ("not weighed", "top 3", "4 to 6", "deeper")


def place(rank: int | None) -> str:
    """The bucket of a best rank (1-based), or of no unit holding the fact (None)."""
    if rank is None:
        return PLACES[0]
    return PLACES[1] if rank <= 3 else PLACES[2] if rank <= 6 else PLACES[3]


def diagnose(
    service: AssistantService,
    items: Sequence[EvalItem],
    results: Sequence[ItemResult],
    ranker: LogisticModel | None,
) -> dict[str, Any]:
    """For every answerable item whose reply missed a fact: each missing fact's best rank by the hand weights and
    by the ranker among the sentences weighed for it, and the count of missing facts in each place."""
    by_id = {item.id: item for item in items}
    rows, counts = [], Counter({name: 0 for name in PLACES})
    for result in results:
        if not result.answerable or result.passed:
            continue
        item = by_id[result.id]
        candidates = service.candidates(item.question, item.history, item.filters())
        for fact in [f for f in item.facts if not fact_present(f, result.answer)]:
            hand, ranked = _best_ranks(candidates, fact, ranker)
            where = place(min((r for r in (hand, ranked) if r is not None), default=None))
            counts[where] += 1
            rows.append({"id": item.id, "fact": fact, "hand_rank": hand, "ranker_rank": ranked, "place": where})
    return {"places": dict(counts), "facts": rows}


def _best_ranks(
    candidates: list[dict[str, Any]], fact: str, ranker: LogisticModel | None
) -> tuple[int | None, int | None]:
    """The best rank (1-based, within its own request) of a sentence holding the fact, by each order."""
    best: list[int | None] = [None, None]
    for request in sorted({c["request"] for c in candidates}):
        group = [c for c in candidates if c["request"] == request]
        orders = [[c["score"] for c in group], [ranker.score(c["features"]) for c in group] if ranker else None]
        for which, scores in enumerate(orders):
            if scores is None:
                continue
            ranking = sorted(range(len(group)), key=lambda k: -scores[k])
            for position, k in enumerate(ranking, start=1):
                if fact_present(fact, group[k]["text"]):
                    current = best[which]
                    best[which] = position if current is None else min(current, position)
                    break
    return best[0], best[1]


def render(diagnosis: dict[str, Any]) -> str:
    """The diagnosis as a Markdown section."""
    places = diagnosis["places"]
    lines = [
        "## Where the missing facts were",
        "",
        "Each fact a reply missed, by the best rank of a sentence holding it among those the answer step weighed "
        "(the better of the hand weights' and the sentence ranker's order).",
        "",
        "| place | facts |",
        "| --- | --- |",
        *(f"| {name} | {places.get(name, 0)} |" for name in PLACES),
        "",
    ]
    if diagnosis["facts"]:
        lines += ["| item | missing fact | hand rank | ranker rank |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {row['id']} | {row['fact']} | {row['hand_rank'] or '-'} | {row['ranker_rank'] or '-'} |"
            for row in diagnosis["facts"]
        ]
    return "\n".join(lines) + "\n"
