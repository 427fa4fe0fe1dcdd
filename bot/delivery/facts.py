"""What the planner and the tick read about enrollments (`storage.queries.enrollment_facts`),
and the rule it implies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.content import Catalog
from bot.content.schema import DEFAULT_CADENCE
from bot.delivery.rules import Rule, rule_for


@dataclass(frozen=True)
class Facts:
    enrollment_id: int
    workspace_id: str
    person_id: int
    program_id: str
    status: str
    started_at: datetime
    enrollment_cadence: str | None
    learner_cadence: str | None
    timezone: str
    quiet_hours: str | None
    cohort_cadence: str | None
    due_date: date | None

    def rule(self, catalog: Catalog, default_window: str) -> Rule:
        program = catalog.get(self.program_id)
        return rule_for(
            enrollment_cadence=self.enrollment_cadence,
            learner_cadence=self.learner_cadence,
            cohort_cadence=self.cohort_cadence,
            program_cadence=program.meta.cadence if program else DEFAULT_CADENCE,
            timezone=self.timezone,
            quiet_hours=self.quiet_hours,
            default_window=default_window,
            started_at=self.started_at,
        )


def to_facts(row: Any) -> Facts:
    """A row of `storage.queries.enrollment_facts` as `Facts`."""

    return Facts(*row)
