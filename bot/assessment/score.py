"""The result of scoring one answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Score:
    points: float | None
    max_points: float
    status: Literal["scored", "pending"]
    correct: bool | None
    feedback: tuple[str, ...] = field(default=())
    scorer: str = "exact"

    @property
    def pending(self) -> bool:
        return self.status == "pending"
