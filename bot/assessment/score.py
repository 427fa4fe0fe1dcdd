"""The result of scoring one answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from storage.models import AttemptStatus


@dataclass(frozen=True)
class Score:
    points: float | None
    max_points: float
    status: Literal[AttemptStatus.SCORED, AttemptStatus.PENDING]
    correct: bool | None
    feedback: tuple[str, ...] = field(default=())
    scorer: str = "exact"
    levels: dict[str, str] = field(default_factory=dict)
    """Rubric questions: the level id given to each criterion id."""
    details: dict[str, Any] = field(default_factory=dict)
    """How the score came about (scorers run, model usage, why it is provisional)."""

    @property
    def pending(self) -> bool:
        return self.status == AttemptStatus.PENDING

    @property
    def provisional(self) -> bool:
        """A score was given but waits for a reviewer before it counts."""
        return self.pending and self.points is not None
