"""All tables; importing this module registers them on `Base.metadata`."""

from storage.models.assessment import LearnerNotice, LlmScoreCache, ScoreRecord
from storage.models.audit import AuditAction, AuditEntry, Surface
from storage.models.badges import BadgeAward, BadgePolicy, BadgePreference, BadgeReminder
from storage.models.base import Base
from storage.models.delivery import (
    AdminAlert,
    DeliveryWorker,
    DueItem,
    InboxMessage,
    OutboxMessage,
    RecallCard,
)
from storage.models.engagement import (
    BoardPreference,
    Challenge,
    ChallengeMember,
    EngagementDue,
    PointsEntry,
    PointsTotal,
    Streak,
)
from storage.models.learning import (
    AnonymousAggregate,
    Attempt,
    Enrollment,
    ProcessedEvent,
    QuizRun,
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
from storage.models.review import (
    PeerAssignment,
    PeerCalibration,
    PeerDecision,
    PeerDraft,
    PeerPost,
    PeerSubmission,
    ReviewerStatus,
)
from storage.models.teams import TeamsConversation as TeamsConversation

__all__ = [
    "AdminAlert",
    "AnonymousAggregate",
    "Attempt",
    "AuditAction",
    "AuditEntry",
    "BadgeAward",
    "BadgePolicy",
    "BadgePreference",
    "BadgeReminder",
    "Base",
    "BoardPreference",
    "Challenge",
    "ChallengeMember",
    "ChannelBinding",
    "Cohort",
    "CohortMember",
    "DeliveryWorker",
    "DueItem",
    "EngagementDue",
    "Enrollment",
    "Identity",
    "InboxMessage",
    "LearnerNotice",
    "LlmScoreCache",
    "OutboxMessage",
    "PeerAssignment",
    "PeerCalibration",
    "PeerDecision",
    "PeerDraft",
    "PeerPost",
    "PeerSubmission",
    "Person",
    "PointsEntry",
    "PointsTotal",
    "ProcessedEvent",
    "QuizRun",
    "RecallCard",
    "ReviewerStatus",
    "RoleGrant",
    "ScoreRecord",
    "StepProgress",
    "Streak",
    "Surface",
    "Team",
    "TeamMember",
    "Workspace",
]
