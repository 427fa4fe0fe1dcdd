"""All tables; importing this module registers them on `Base.metadata`."""

from storage.models.base import Base
from storage.models.learning import (
    AnonymousAggregate,
    Attempt,
    Enrollment,
    ProcessedEvent,
    StepProgress,
)
from storage.models.org import (
    ChannelBinding,
    Cohort,
    CohortMember,
    Identity,
    Person,
    RoleGrant,
    Team,
    TeamMember,
    Workspace,
)

__all__ = [
    "AnonymousAggregate",
    "Attempt",
    "Base",
    "ChannelBinding",
    "Cohort",
    "CohortMember",
    "Enrollment",
    "Identity",
    "Person",
    "ProcessedEvent",
    "RoleGrant",
    "StepProgress",
    "Team",
    "TeamMember",
    "Workspace",
]
