"""Choosing reviewers: eligible, never the author, balanced, overlapping hours, never stuck."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.review.quorum import Quorum, decides, ordinal, plural
from bot.review.timing import Timing, overlap_hours, remind_at
from storage.models import AssignmentStatus, PeerAssignment, PeerSubmission, Person
from storage.queries import review as q
from storage.queries import review_pool as pool

TIERS = {"badge": 0, "reviewer": 0, "lead": 1, "admin": 2}
"""Badge holders and named reviewers first, then the learner's team lead, then admins."""
WHY = {
    "badge": "you hold this program's badge",
    "reviewer": "you are a reviewer for this program",
    "lead": "you lead the learner's team",
    "admin": "you are an admin and nobody else could review it",
    "manual": "an admin asked you to",
}


@dataclass(frozen=True)
class Candidate:
    person: Person
    identity: str
    source: str
    open_reviews: int
    overlap: float
    """Working hours a week shared with the author."""

    @property
    def tier(self) -> int:
        return TIERS.get(self.source, 3)

    @property
    def rank(self) -> tuple[int, int, bool, int]:
        """Lower is better: tier, then open reviews, then overlapping hours, then seniority."""
        return (self.tier, self.open_reviews, self.overlap <= 0, self.person.id)


@dataclass(frozen=True)
class Choice:
    picked: tuple[Candidate, ...]
    required: int
    fallback: str
    """What was done about a small pool, said openly in the thread ('' when nothing)."""


async def candidates(
    session: AsyncSession,
    *,
    author: Person,
    program_id: str,
    exclude: Collection[int],
    now: datetime,
) -> list[Candidate]:
    """Everyone who may review the author's work now, best first."""
    workspace = author.workspace_id
    sources: dict[int, str] = {}
    for pid in await pool.admins(session, workspace_id=workspace):
        sources[pid] = "admin"
    for pid in await pool.team_leads(session, person_id=author.id):
        sources[pid] = "lead"
    for pid in await pool.named_reviewers(session, workspace_id=workspace, program_id=program_id):
        sources[pid] = "reviewer"
    for pid in await pool.badge_holders(
        session, workspace_id=workspace, program_id=program_id, now=now
    ):
        sources[pid] = "badge"
    ids = set(sources) - set(exclude) - {author.id}
    ids -= await pool.unavailable(session, person_ids=ids, now=now)
    people = await pool.people_with_identity(session, person_ids=ids, workspace_id=workspace)
    counts = await pool.open_reviews(session, person_ids=list(people))
    found = [
        Candidate(
            person, identity, sources[pid], counts.get(pid, 0), overlap_hours(person, author, now)
        )
        for pid, (person, identity) in people.items()
    ]
    return sorted(found, key=lambda c: c.rank)


def choose(ranked: list[Candidate], wanted: int, least: int | None = None) -> Choice:
    """K peers when there are enough; otherwise fewer plus the lead (or an admin), openly.

    The approvals needed stay `wanted` (the submission waits for more reviewers) unless the
    program accepts `least` when nobody else is eligible.
    """
    quorum = Quorum(wanted, max(1, min(least if least is not None else wanted, wanted)))
    peers = [c for c in ranked if c.tier == 0][:wanted]
    if len(peers) == wanted:
        return Choice(tuple(peers), wanted, "")
    picked = list(peers)
    extra = fallback_reviewer(ranked, have_fallback=False, have_any=bool(picked))
    if extra is not None:
        picked.append(extra)
    required = quorum.required(len(picked))
    found = f"only {plural(len(peers), 'eligible reviewer')}" if peers else "no eligible reviewer"
    asks = f"This program asks for {plural(wanted, 'reviewer')}"
    if not picked:
        text = (
            f"{asks} but has {found} yet: an admin was alerted, and reviewers are added as "
            "soon as someone is available."
        )
        return Choice((), required, text)
    added = " The team lead was added." if extra and extra.source == "lead" else ""
    added = " An admin was added." if extra and extra.source == "admin" else added
    if len(picked) >= wanted:
        then = f"{decides(required)}."
    elif len(picked) < required:
        then = (
            f"It needs {plural(required, 'approval')}, so it waits for a "
            f"{ordinal(len(picked) + 1)} reviewer, who is asked as soon as someone is eligible; "
            "an admin was alerted."
        )
    else:
        then = (
            f"It accepts {plural(required, 'approval')} when no {ordinal(required + 1)} reviewer "
            f"is available, so {decides(required)} unless another reviewer becomes eligible first."
        )
    return Choice(tuple(picked), required, f"{asks} but has {found}.{added} {then}")


def fallback_reviewer(
    ranked: list[Candidate], *, have_fallback: bool, have_any: bool
) -> Candidate | None:
    """The one non-peer a short pool may add: the team lead, or an admin when nobody else."""
    if have_fallback:
        return None
    lead = next((c for c in ranked if c.tier == 1), None)
    if lead is not None or have_any:
        return lead
    return next((c for c in ranked if c.tier == 2), None)


def more(ranked: list[Candidate], missing: int, active_sources: Collection[str]) -> list[Candidate]:
    """Up to `missing` new reviewers for a submission already under way, as `choose` would.

    Peers first; when they run out, one team lead or (with nobody at all) one admin, unless
    a non-peer already reviews it: a short pool waits rather than filling up with admins.
    """
    peers = [c for c in ranked if c.tier == 0][:missing]
    if len(peers) == missing:
        return peers
    have_fallback = any(TIERS.get(source, 3) > 0 for source in active_sources)
    extra = fallback_reviewer(
        ranked, have_fallback=have_fallback, have_any=bool(peers or active_sources)
    )
    return [*peers, extra] if extra is not None else peers


def replacement(ranked: list[Candidate]) -> Candidate | None:
    """The best single reviewer to take over (a peer, else the lead, else an admin)."""
    return ranked[0] if ranked else None


async def assign(
    session: AsyncSession,
    sub: PeerSubmission,
    picked: Collection[Candidate],
    *,
    now: datetime,
    timing: Timing,
    source: str = "",
) -> list[PeerAssignment]:
    """Add the picked reviewers to the submission, with their reminder and reassignment times."""
    existing = await q.assignments(session, submission_id=sub.id)
    ordinal = max((a.ordinal for a in existing), default=0)
    made = []
    for candidate in picked:
        ordinal += 1
        row = PeerAssignment(
            submission_id=sub.id,
            reviewer_id=candidate.person.id,
            ordinal=ordinal,
            source=source or candidate.source,
            status=AssignmentStatus.ACTIVE,
            asked_at=now,
            remind_at=remind_at(candidate.person, now, timing),
            reassign_at=now + timing.reassign,
        )
        session.add(row)
        made.append(row)
    await session.flush()
    return made


async def everyone_asked(session: AsyncSession, sub: PeerSubmission) -> set[int]:
    """Reviewers asked before (active or not), so a replacement is someone new."""
    return {a.reviewer_id for a in await q.assignments(session, submission_id=sub.id)}
