"""The fitted answer classifier: logistic regression over answer features, stored as JSON.

The default model ships in the package (`bot/assessment/fitted/default.json`) and is only
read, never downloaded; `microcred score fit TRAIN --out FILE` makes a new one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

FORMAT = 1


@dataclass(frozen=True)
class LinearModel:
    """P(the answer meets the criterion) from standardised features, with a decision line."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float = 0.5
    """Probability from which an answer meets the criterion (fitted for macro-F1)."""
    band: float = 0.0
    """Probabilities closer than this to the threshold are unsure: a person decides."""

    def probability(self, values: Mapping[str, float]) -> float:
        z = self.intercept
        for name, mean, scale, coef in zip(
            self.features, self.mean, self.scale, self.coef, strict=True
        ):
            z += coef * (values[name] - mean) / scale
        return 1 / (1 + math.exp(-max(-40.0, min(40.0, z))))

    def unsure(self, probability: float) -> bool:
        return abs(probability - self.threshold) < self.band

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LinearModel:
        return cls(
            tuple(data["features"]),
            tuple(float(x) for x in data["mean"]),
            tuple(float(x) for x in data["scale"]),
            tuple(float(x) for x in data["coef"]),
            float(data["intercept"]),
            float(data.get("threshold", 0.5)),
            float(data.get("band", 0.0)),
        )


@dataclass(frozen=True)
class Models:
    """One model for a question nobody has scored yet, one that also uses scored answers."""

    base: LinearModel
    examples: LinearModel | None = None
    min_examples: int = 4
    """Scored answers to the same question needed before the second model is used."""
    about: dict[str, Any] = field(default_factory=dict)
    """Where the model came from: training file, rows, cross-validated figures."""

    def pick(self, examples: int) -> LinearModel:
        if self.examples is not None and examples >= self.min_examples:
            return self.examples
        return self.base

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "about": self.about,
            "min_examples": self.min_examples,
            "base": asdict(self.base),
            "examples": asdict(self.examples) if self.examples else None,
        }
        return json.dumps(data, indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Models:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"not a scoring model of format {FORMAT}")
        examples = data.get("examples")
        return cls(
            LinearModel.from_dict(data["base"]),
            LinearModel.from_dict(examples) if examples else None,
            int(data.get("min_examples", 4)),
            dict(data.get("about") or {}),
        )


def load(path: Path) -> Models:
    return Models.from_json(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def default_models() -> Models:
    """The model shipped with the package (fitted on SciEntsBank's training split)."""
    text = resources.files("bot.assessment.fitted").joinpath("default.json").read_text("utf-8")
    return Models.from_json(text)
