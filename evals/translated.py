"""Spanish questions beside the English questions they were made from (an `es-` item's `note` is its original's id).

A Spanish question should be answered as well as its English original: the pair's figures side by side show the
cost of asking in Spanish, with the pairs that differ listed.
"""

from __future__ import annotations

from typing import Any

from evals.metrics import mean

SPANISH_PREFIX = "es-"


def translated_pairs(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Fact recall and passes of the Spanish items and of their English originals (both in this run), or None."""
    by_id = {item["id"]: item for item in items}
    pairs = [
        (item, by_id[item["note"]])
        for item in items
        if item["id"].startswith(SPANISH_PREFIX) and item.get("note") in by_id
    ]
    if not pairs:
        return None

    def side(members: list[dict[str, Any]]) -> dict[str, Any]:
        recall = mean([m["fact_recall"] for m in members if m["answerable"] and m["fact_recall"] is not None])
        return {
            "items": len(members),
            "passed": sum(bool(m["passed"]) for m in members),
            "fact_recall": None if recall is None else round(recall, 4),
        }

    spanish, english = side([s for s, _ in pairs]), side([e for _, e in pairs])
    gap = (
        round(english["fact_recall"] - spanish["fact_recall"], 4)
        if spanish["fact_recall"] is not None and english["fact_recall"] is not None
        else None
    )
    differing = [
        {"spanish": s["id"], "english": e["id"], "spanish_passed": s["passed"], "english_passed": e["passed"]}
        for s, e in pairs
        if s["passed"] != e["passed"]
    ]
    return {"spanish": spanish, "english": english, "fact_recall_gap": gap, "differing": differing}


def render_translated_pairs(summary: dict[str, Any] | None) -> list[str]:
    """The report.md section for `translated_pairs` (nothing when the set has no Spanish pairs)."""
    if not summary:
        return []
    lines = [
        "## Spanish questions beside their English originals",
        "",
        "| questions | items | passed | fact_recall |",
        "| --- | --- | --- | --- |",
    ]
    for name in ("spanish", "english"):
        values = summary[name]
        recall = "—" if values["fact_recall"] is None else f"{values['fact_recall']:.4g}"
        lines.append(f"| {name} | {values['items']} | {values['passed']} | {recall} |")
    gap = summary["fact_recall_gap"]
    lines += ["", f"Fact recall gap (English − Spanish): {'—' if gap is None else f'{gap:+.4g}'}", ""]
    if summary["differing"]:
        lines.append(
            "Pairs that differ: "
            + ", ".join(
                f"{d['spanish']} ({'passed' if d['spanish_passed'] else 'failed'}) / {d['english']} "
                f"({'passed' if d['english_passed'] else 'failed'})"
                for d in summary["differing"]
            )
        )
        lines.append("")
    return lines
