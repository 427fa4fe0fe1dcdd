"""Plain data about awards, as use cases return them: the badge snapshot and live status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from bot.content import Program
from bot.content.schema import Portfolio
from storage.models import BadgeAward

Status = Literal["valid", "expired", "revoked"]


def snapshot(program: Program) -> dict[str, Any]:
    """The badge of `program` as stored with each award (content may change later)."""
    badge = program.meta.badge
    found: dict[str, Any] = {
        "name": badge.name,
        "description": " ".join(badge.description.split()),
        "criteria": " ".join(badge.criteria.split()),
        "tags": list(badge.tags),
        "image": badge.image,
        "program_title": program.title,
        "expires_after_days": badge.expires_after_days,
        "skills": [
            {
                "id": s.id,
                "name": s.name,
                "framework": s.alignment.framework if s.alignment else "",
                "code": s.alignment.code if s.alignment else "",
                "url": s.alignment.url if s.alignment else "",
            }
            for s in program.meta.skills
        ],
    }
    if _peer_reviewed(program):
        review = program.meta.review
        found["review"] = {"reviewers": review.reviewers, "min_reviewers": review.min_reviewers}
    return found


def _peer_reviewed(program: Program) -> bool:
    """Whether a required quiz has portfolio work (reviewed by peers)."""
    return any(
        isinstance(question, Portfolio)
        for quiz_id in program.required_quizzes()
        if quiz_id in program.quizzes
        for question in program.quizzes[quiz_id].questions
    )


@dataclass(frozen=True)
class AwardView:
    """One award as people and documents see it."""

    uid: str
    program_id: str
    edition: int
    badge: dict[str, Any]
    holder: str | None
    awarded_at: datetime
    expires_at: datetime | None
    issued_at: datetime | None
    revoked_at: datetime | None
    revocation_reason: str | None
    withdrawn: bool
    source: str
    evidence: list[dict[str, Any]]

    @classmethod
    def of(cls, award: BadgeAward, holder: str | None) -> AwardView:
        return cls(
            uid=award.uid,
            program_id=award.program_id,
            edition=award.edition,
            badge=dict(award.badge or {}),
            holder=holder,
            awarded_at=award.awarded_at,
            expires_at=award.expires_at,
            issued_at=award.issued_at,
            revoked_at=award.revoked_at,
            revocation_reason=award.revocation_reason,
            withdrawn=award.person_id is None,
            source=award.source,
            evidence=list(award.evidence or []),
        )

    @property
    def name(self) -> str:
        return str(self.badge.get("name", self.program_id))

    @property
    def issued(self) -> bool:
        """Whether the credentials exist (they wait for the recipient's e-mail)."""
        return self.issued_at is not None

    def status(self, now: datetime) -> Status:
        if self.revoked_at is not None or self.withdrawn:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "valid"

    def status_text(self, now: datetime) -> str:
        """The status in words, e.g. `valid until 2028-11-28` or `revoked: reason`."""
        status = self.status(now)
        if status == "revoked":
            reason = self.revocation_reason or "no reason given"
            return f"revoked: {reason}"
        if status == "expired":
            assert self.expires_at is not None
            return f"expired on {self.expires_at.date().isoformat()}"
        if self.expires_at is not None:
            return f"valid until {self.expires_at.date().isoformat()}"
        return "valid, does not expire"
