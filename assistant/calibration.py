"""Fitted linear models the answer step uses: how sure an extractive answer is (a logistic regression: a probability
from the answer's signals, and the reply kind it leads to), and which sentences a "closest passages" reply quotes
(the sentence ranker: a weighted sum of each sentence's features on the hand weights' scale).

Both are fitted on eval sets by `assistant eval --calibrate` / `--fit-ranker` (scikit-learn and scipy, in
`evals/calibrate.py`) and saved as JSON beside this module; answering needs only their coefficients.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SHIPPED = Path(__file__).parent / "calibration.json"
SHIPPED_RANKER = Path(__file__).parent / "ranker.json"


class LogisticModel(BaseModel):
    """A fitted linear model over named features (standardised with the fit's mean and scale): a logistic regression
    by default, or a plain weighted sum (`link = "linear"`)."""

    model_config = ConfigDict(extra="forbid")

    features: list[str] = Field(description="Feature names, in the order of the coefficients.")
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    fitted_on: str = Field("", description="The eval sets and their size, the date, the cross-validated figures.")
    report: dict[str, float] = Field(default_factory=dict, description="Figures of the fit (out-of-fold).")
    link: Literal["logistic", "linear"] = Field(
        "logistic",
        description="logistic: a score is a probability; linear: the weighted sum itself (the sentence ranker, on "
        "the hand weights' scale, so the answer's relative floors keep their meaning).",
    )

    def probability(self, values: dict[str, float]) -> float:
        """The modelled probability for these feature values (a missing one counts as 0)."""
        z = self.linear(values)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def linear(self, values: dict[str, float]) -> float:
        """The weighted sum of the standardised feature values, plus the intercept."""
        z = self.intercept
        for name, mean, scale, coef in zip(self.features, self.mean, self.scale, self.coef, strict=True):
            z += coef * (values.get(name, 0.0) - mean) / (scale or 1.0)
        return z

    def score(self, values: dict[str, float]) -> float:
        """The model's score: a probability, or the weighted sum for a linear link."""
        return self.linear(values) if self.link == "linear" else self.probability(values)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.model_dump(), indent=2) + "\n", encoding="utf-8")


class Calibration(LogisticModel):
    """A fitted logistic model of "the quoted sentences hold the answer", and the thresholds for the reply kinds."""

    confident_above: float = Field(description="A confident answer at or above this probability.")
    abstain_below: float = Field(description="'Nothing here' below this probability; 'closest passages' between.")

    def kind(self, probability: float, confident_above: float | None = None, abstain_below: float | None = None) -> str:
        """ "answer", "closest" or "none" for a probability (thresholds from settings override the fitted ones)."""
        if probability >= (self.confident_above if confident_above is None else confident_above):
            return "answer"
        if probability >= (self.abstain_below if abstain_below is None else abstain_below):
            return "closest"
        return "none"


@lru_cache(maxsize=4)
def load_calibration(path: Path | None = None) -> Calibration:
    """The calibration saved at `path`, the shipped one when None (read once per process)."""
    return Calibration.model_validate_json((path or SHIPPED).read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def load_ranker(path: Path | None = None) -> LogisticModel | None:
    """The sentence ranker saved at `path`, the shipped one when None, or None when there is none (sentences are then
    scored by hand weights)."""
    path = path or SHIPPED_RANKER
    if not path.is_file():
        return None
    return LogisticModel.model_validate_json(path.read_text(encoding="utf-8"))
