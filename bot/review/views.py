"""The thread: its parent (submission, rubric, due date, status, "Review this") and replies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.content import Program
from bot.content.schema import Portfolio, Quiz
from bot.core.text import escape_markdown, shorten
from bot.core.views import (
    Code,
    Context,
    DateLine,
    Header,
    Message,
    Text,
    message,
)
from bot.learning.screens.rubric import rubric_text
from bot.review.actions import DECIDE, DecisionArgs
from bot.review.forms import rubric_form
from bot.review.quorum import ordinal
from storage.models import AssignmentStatus, PeerSubmission, SubmissionStatus


@dataclass(frozen=True)
class Seat:
    """An assigned reviewer as the thread shows them."""

    person_id: int
    ordinal: int
    name: str
    status: str
    decided: str | None
    """`approve` or `changes` on the current version, or None."""


@dataclass(frozen=True)
class Facts:
    sub: PeerSubmission
    program: Program
    quiz: Quiz
    question: Portfolio
    author: str
    seats: tuple[Seat, ...]

    @property
    def approvals(self) -> int:
        return sum(1 for s in self.seats if s.decided == "approve")

    @property
    def reviewers(self) -> int:
        """Reviewers asked now (those replaced, released or gone no longer count)."""
        return sum(1 for s in self.seats if s.status == AssignmentStatus.ACTIVE)

    def seat(self, person_id: int | None) -> Seat | None:
        return next((s for s in self.seats if s.person_id == person_id), None)

    def label(self, seat: Seat) -> str:
        return f"Reviewer {seat.ordinal}" if self.sub.anonymous else escape_markdown(seat.name)

    @property
    def by(self) -> str:
        if self.sub.anonymous or not self.sub.named or not self.author:
            return "a learner"
        return escape_markdown(self.author)


def status_line(facts: Facts) -> str:
    """The status in words, as the parent always shows it."""
    sub = facts.sub
    count = f"{facts.approvals} of {sub.required} approval{'s' if sub.required != 1 else ''}"
    if sub.status == SubmissionStatus.APPROVED:
        return f"✅ Approved · {count}"
    if sub.status == SubmissionStatus.CHANGES_REQUESTED:
        return f"✏️ Changes requested · waiting for version {sub.version + 1}"
    if sub.status == SubmissionStatus.SETTLED:
        return "Settled by an admin outside peer review"
    if facts.reviewers < sub.required:
        which = f"a {ordinal(facts.reviewers + 1)} reviewer" if facts.reviewers else "a reviewer"
        return f"⏳ Pending · {count} · waiting for {which}"
    return f"⏳ Pending · {count}"


def links_text(links: str) -> str:
    items = [line.strip() for line in links.splitlines() if line.strip()]
    return "\n".join(f"- {escape_markdown(shorten(i, 300))}" for i in items[:20])


def submission_blocks(facts: Facts, limit: int = 6000) -> list[Any]:
    sub = facts.sub
    blocks: list[Any] = [
        Context(f"{escape_markdown(facts.program.title)} · version {sub.version} · by {facts.by}"),
        Text(f"**Task:** {escape_markdown(shorten(' '.join(facts.question.prompt.split()), 300))}"),
        Text("**Submission**"),
        Code(shorten(sub.writeup, limit)),
    ]
    if sub.links.strip():
        blocks.append(Text("**Links**\n" + links_text(sub.links)))
    return blocks


def parent_message(facts: Facts, viewer: int | None = None) -> Message:
    """The thread's parent; `viewer` is the reviewer whose direct messages hold it."""
    sub = facts.sub
    blocks: list[Any] = [
        Header(shorten(f"Portfolio review: {facts.quiz.title}", 150)),
        *submission_blocks(facts),
        rubric_text(facts.question.rubric),
    ]
    if sub.fallback:
        blocks.append(Context(sub.fallback))
    mine = facts.seat(viewer)
    released = viewer is not None and (mine is None or mine.status != AssignmentStatus.ACTIVE)
    if sub.status == SubmissionStatus.OPEN and not released:
        blocks.append(DateLine("Reviews due {date}", sub.due_at))
    blocks.append(Context(status_line(facts)))
    if released:
        blocks.append(Context("You are no longer asked to review this one. Thank you!"))
    elif sub.status == SubmissionStatus.OPEN:
        action = DECIDE(DecisionArgs(submission=sub.id, version=sub.version))
        blocks.append(rubric_form(facts.question, action))
    return message(
        *blocks, fallback=f"Portfolio review: {status_line(facts)}", key=f"peer:{sub.id}"
    )


def note(text: str) -> Message:
    """A short reply in the thread: no scores, no comments (the channel may see it)."""
    return message(Text(text), fallback=text)


def decided_note(facts: Facts, seat: Seat, decision: str) -> Message:
    who, version = facts.label(seat), facts.sub.version
    if decision == "approve":
        return note(
            f"✅ {who} approved version {version} · {facts.approvals} of "
            f"{facts.sub.required} approvals"
        )
    return note(f"✏️ {who} requested changes to version {version}.")


def closed_note(facts: Facts) -> Message:
    if facts.sub.status == SubmissionStatus.APPROVED:
        return note("🎉 Approved. The learner was told, with the rubric score.")
    return note(
        f"↩️ Version {facts.sub.version} went back to the learner with the reviewers' "
        "feedback. The same reviewers are asked again when it is resubmitted."
    )
