"""What the planner and the tick read about enrollments, in one query, and the rule it implies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select

from bot.content import Catalog
from bot.content.schema import DEFAULT_CADENCE
from bot.delivery.rules import Rule, rule_for
from storage.models import Cohort, Enrollment, Person


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


def facts_query() -> Select[*tuple[Any, ...]]:
    """Enrollments with their learner's settings and cohort; add `where` and `order_by`."""
    return (
        select(
            Enrollment.id,
            Enrollment.workspace_id,
            Enrollment.person_id,
            Enrollment.program_id,
            Enrollment.status,
            Enrollment.started_at,
            Enrollment.cadence,
            Person.cadence,
            Person.timezone,
            Person.quiet_hours,
            Cohort.cadence,
            Cohort.due_date,
        )
        .join(Person, Person.id == Enrollment.person_id)
        .outerjoin(Cohort, Cohort.id == Enrollment.cohort_id)
    )


def to_facts(row: Any) -> Facts:
    return Facts(*row)
