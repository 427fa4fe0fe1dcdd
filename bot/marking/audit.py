"""The audit trail: every score an answer gets, with who or what gave it."""

from __future__ import annotations

from typing import Any

from bot.core.views import Reply
from bot.learning.hooks import AttemptRecorded
from storage.models import Attempt, AttemptStatus, ScoreRecord, ScoreStatus
from storage.queries.assessment import score_record


def attempt_status(attempt: Attempt) -> ScoreStatus:
    if attempt.status == AttemptStatus.PENDING:
        return ScoreStatus.PENDING if attempt.points is None else ScoreStatus.PROVISIONAL
    return ScoreStatus(attempt.status)


def records_for_answer(attempt: Attempt) -> list[ScoreRecord]:
    """One record per scorer that ran on a new answer; the one that stood is marked."""
    scoring: dict[str, Any] = dict(attempt.scoring or {})
    reason = str(scoring.get("reason", ""))
    if "llm" not in scoring:
        return [
            score_record(
                attempt,
                source=attempt.scorer,
                status=attempt_status(attempt),
                points=attempt.points,
                stood=True,
                levels=scoring.get("levels"),
                reason=reason,
            )
        ]
    stood = scoring.get("stood")
    offline, model = scoring.get("offline") or {}, scoring["llm"]
    status = attempt_status(attempt)
    llm_status = status if stood == "llm" else ScoreStatus.SCORED
    return [
        score_record(
            attempt,
            source="offline",
            status=status if stood == "offline" else ScoreStatus.SCORED,
            points=offline.get("points"),
            stood=stood == "offline",
            levels=offline.get("levels"),
            reason=reason if stood == "offline" else "",
        ),
        score_record(
            attempt,
            source="llm",
            actor=str(model.get("model", "")),
            status=ScoreStatus.FAILED if model.get("error") else llm_status,
            points=model.get("points"),
            stood=stood == "llm",
            levels=model.get("levels"),
            reason=str(model.get("error") or (reason if stood == "llm" else "")),
            details={k: v for k, v in model.items() if k not in ("levels", "points")},
        ),
    ]


async def on_attempt_recorded(event: AttemptRecorded) -> Reply | None:
    event.session.add_all(records_for_answer(event.attempt))
    await event.session.flush()
    return None
