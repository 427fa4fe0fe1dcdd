"""How many approvals decide a portfolio: the program's number, or its accepted minimum."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content import Program
from storage.models import PeerSubmission

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def ordinal(n: int) -> str:
    """`second` for 2 (reviewers are at most 5, so one past them still has a word)."""
    return ORDINALS[n - 1] if 1 <= n <= len(ORDINALS) else f"{n}th"


def decides(n: int) -> str:
    return f"{plural(n, 'approval')} {'decides' if n == 1 else 'decide'}"


@dataclass(frozen=True)
class Quorum:
    """`review.reviewers` approvals; `review.min_reviewers` only when nobody else can review."""

    wanted: int
    least: int

    @classmethod
    def of(cls, program: Program, wanted: int | None = None) -> Quorum:
        """The program's rule; `wanted` is what the submission recorded when it was made."""
        review = program.meta.review
        asked = wanted if wanted is not None else review.reviewers
        least = review.min_reviewers if review.min_reviewers is not None else asked
        return cls(asked, max(1, min(least, asked)))

    @classmethod
    def for_submission(cls, sub: PeerSubmission, program: Program) -> Quorum:
        return cls.of(program, sub.wanted)

    def required(self, reviewers: int) -> int:
        """Approvals needed when `reviewers` are all who can review it now.

        Never fewer than the accepted minimum (the submission waits for more reviewers
        instead), never more than the program asks for.
        """
        return min(self.wanted, max(self.least, reviewers))

    def waiting(self, reviewers: int) -> bool:
        """Whether the submission waits for someone to become eligible."""
        return reviewers < self.required(reviewers)

    def state(self, reviewers: int) -> str:
        """What the thread says about the pool now ('' when it is full)."""
        if reviewers >= self.wanted:
            return ""
        needed = self.required(reviewers)
        if not reviewers:
            return (
                f"No reviewer is available now and this program needs "
                f"{plural(needed, 'approval')}: the admins were alerted, and reviewers are "
                "asked as soon as someone is eligible."
            )
        if reviewers < needed:
            return (
                f"This program needs {plural(needed, 'approval')} and only "
                f"{plural(reviewers, 'reviewer')} can review this now. It waits for a "
                f"{ordinal(reviewers + 1)} reviewer, who is asked as soon as someone is "
                "eligible; the admins were alerted."
            )
        return (
            f"Nobody else can review this now. The program accepts {plural(needed, 'approval')} "
            f"when no {ordinal(needed + 1)} reviewer is available, so {decides(needed)} unless "
            "another reviewer becomes eligible first."
        )
