"""How sure an extractive answer is: a probability from the answer's signals, and the reply kind it leads to.

The model is a logistic regression fitted on the dev eval set by `assistant eval --calibrate` (scikit-learn, in
`evals/calibrate.py`) and saved as JSON beside this module; answering needs only its coefficients (numpy).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from pydantic import BaseModel, ConfigDict, Field

SHIPPED = Path(__file__).parent / "calibration.json"


class Calibration(BaseModel):
    """A fitted logistic model of "the quoted sentences hold the answer", and the thresholds for the reply kinds."""

    model_config = ConfigDict(extra="forbid")

    features: list[str] = Field(description="Signal names, in the order of the coefficients.")
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    confident_above: float = Field(description="A confident answer at or above this probability.")
    abstain_below: float = Field(description="'Nothing here' below this probability; 'closest passages' between.")
    fitted_on: str = Field("", description="The eval set and its size, the date, the cross-validated figures.")
    report: dict[str, float] = Field(default_factory=dict, description="Figures of the fit (out-of-fold).")

    def probability(self, signals: dict[str, float]) -> float:
        """P(the quoted sentences answer the question) for these signals."""
        z = self.intercept
        for name, mean, scale, coef in zip(self.features, self.mean, self.scale, self.coef, strict=True):
            z += coef * (signals.get(name, 0.0) - mean) / (scale or 1.0)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def kind(self, probability: float, confident_above: float | None = None, abstain_below: float | None = None) -> str:
        """ "answer", "closest" or "none" for a probability (thresholds from settings override the fitted ones)."""
        if probability >= (self.confident_above if confident_above is None else confident_above):
            return "answer"
        if probability >= (self.abstain_below if abstain_below is None else abstain_below):
            return "closest"
        return "none"

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.model_dump(), indent=2) + "\n", encoding="utf-8")


@lru_cache(maxsize=4)
def load_calibration(path: Path = SHIPPED) -> Calibration:
    """The calibration saved at `path` (read once per process)."""
    return Calibration.model_validate_json(path.read_text(encoding="utf-8"))
