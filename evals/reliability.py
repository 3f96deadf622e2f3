"""Confidence against correctness: the reliability table and chart of an eval run (scikit-learn not needed, so
every `assistant eval` can report it without loading the fitting code in evals/calibrate.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from evals.runner import ItemResult


def reliability(results: Sequence[ItemResult], bins: int = 10) -> list[dict[str, float]]:
    """Per confidence bin: how many replies, their mean confidence, and how many held every fact (unanswerable
    items never do) — a calibrated model's two columns agree."""
    rows = []
    scored = [r for r in results if r.confidence is not None]
    for low in np.linspace(0, 1, bins, endpoint=False):
        high = low + 1 / bins
        members = [r for r in scored if low <= (r.confidence or 0) < high or (high >= 1 and r.confidence == 1)]
        if members:
            right = [1.0 if r.answerable and r.fact_recall == 1.0 else 0.0 for r in members]
            rows.append(
                {
                    "low": round(float(low), 2),
                    "high": round(float(high), 2),
                    "items": float(len(members)),
                    "mean_confidence": round(float(np.mean([r.confidence for r in members])), 4),
                    "right": round(float(np.mean(right)), 4),
                }
            )
    return rows


def chart_reliability(curves: dict[str, list[dict[str, float]]], path: Path) -> None:
    """Confidence against the share right, one line per set, with the diagonal a calibrated model follows."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(5, 5))
    axes.plot([0, 1], [0, 1], linestyle=":", color="grey", label="calibrated")
    for name, rows in curves.items():
        axes.plot([r["mean_confidence"] for r in rows], [r["right"] for r in rows], marker="o", label=f"{name}")
    axes.set_xlabel("confidence (estimated probability)")
    axes.set_ylabel("share of replies holding every fact")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
