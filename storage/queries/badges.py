"""Badge queries: awards, reminders, preferences and the recognition policy."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    BadgeAward,
    BadgePolicy,
    BadgePreference,
    BadgeReminder,
    Identity,
    Person,
    Workspace,
)

# --- awards -------------------------------------------------------------------------


def _insert(session: AsyncSession) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


async def latest_award(
    session: AsyncSession, *, person_id: int, program_id: str
) -> BadgeAward | None:
    return await session.scalar(
        select(BadgeAward)
        .where(BadgeAward.person_id == person_id, BadgeAward.program_id == program_id)
        .order_by(BadgeAward.edition.desc())
        .limit(1)
    )


async def latest_awards(
    session: AsyncSession, *, person_id: int, program_ids: Collection[str]
) -> dict[str, BadgeAward]:
    """The person's newest award (highest edition) of each of these programs, by program id."""
    rows = await session.scalars(
        select(BadgeAward)
        .where(BadgeAward.person_id == person_id, BadgeAward.program_id.in_(program_ids))
        .order_by(BadgeAward.edition)
    )
    return {award.program_id: award for award in rows}


async def insert_award(session: AsyncSession, values: dict[str, Any]) -> BadgeAward:
    """Insert an award unless its (person, program, edition) exists; return the stored one.

    One atomic statement, so concurrent completions and retries end with one row: on
    PostgreSQL the loser waits for the winner's commit, then reads its row.
    """
    stmt = _insert(session)(BadgeAward).values(**values)
    await session.execute(
        stmt.on_conflict_do_nothing(index_elements=["person_id", "program_id", "edition"])
    )
    found = await session.scalar(
        select(BadgeAward)
        .where(
            BadgeAward.person_id == values["person_id"],
            BadgeAward.program_id == values["program_id"],
            BadgeAward.edition == values["edition"],
        )
        .execution_options(populate_existing=True)
    )
    assert found is not None
    return found


async def award_by_uid(session: AsyncSession, *, uid: str) -> BadgeAward | None:
    return await session.scalar(select(BadgeAward).where(BadgeAward.uid == uid))


async def awards_of(session: AsyncSession, *, person_id: int) -> list[BadgeAward]:
    """A person's awards, newest first."""
    rows = await session.scalars(
        select(BadgeAward)
        .where(BadgeAward.person_id == person_id)
        .order_by(BadgeAward.awarded_at.desc(), BadgeAward.id.desc())
    )
    return list(rows)


async def holder_name(session: AsyncSession, *, award: BadgeAward) -> str | None:
    if award.person_id is None:
        return None
    return await session.scalar(select(Person.display_name).where(Person.id == award.person_id))


async def holders(
    session: AsyncSession, *, person_ids: Collection[int]
) -> dict[int, tuple[str, list[str]]]:
    """Each holder's name and identities, in two queries for any number of awards."""
    ids = set(person_ids)
    if not ids:
        return {}
    found: dict[int, tuple[str, list[str]]] = {
        pid: (name, [])
        for pid, name in await session.execute(
            select(Person.id, Person.display_name).where(Person.id.in_(ids))
        )
    }
    for pid, identity in await session.execute(
        select(Identity.person_id, Identity.identity)
        .where(Identity.person_id.in_(ids))
        .order_by(Identity.id)
    ):
        found[pid][1].append(identity)
    return found


async def status_list_bits(session: AsyncSession) -> tuple[int, list[int]]:
    """The highest award id, and the ids of revoked or withdrawn awards."""
    top = await session.scalar(select(func.max(BadgeAward.id))) or 0
    ids = await session.scalars(
        select(BadgeAward.id).where(
            or_(BadgeAward.revoked_at.is_not(None), BadgeAward.person_id.is_(None))
        )
    )
    return int(top), list(ids)


async def revoked_awards(session: AsyncSession) -> list[BadgeAward]:
    rows = await session.scalars(
        select(BadgeAward)
        .where(or_(BadgeAward.revoked_at.is_not(None), BadgeAward.person_id.is_(None)))
        .where(BadgeAward.issued_at.is_not(None))
        .order_by(BadgeAward.id)
    )
    return list(rows)


async def queued_announcements(session: AsyncSession, *, before: datetime) -> list[BadgeAward]:
    rows = await session.scalars(
        select(BadgeAward)
        .where(BadgeAward.announce_state == "queued", BadgeAward.awarded_at <= before)
        .order_by(BadgeAward.id)
        .limit(200)
    )
    return list(rows)


async def set_announce_state(
    session: AsyncSession, *, award_id: int, state: str, ref: str | None = None, when: str
) -> bool:
    """Move an award's announcement from `when` to `state`; False if someone else did."""
    result = await session.execute(
        update(BadgeAward)
        .where(BadgeAward.id == award_id, BadgeAward.announce_state == when)
        .values(announce_state=state, announce_ref=ref)
    )
    return bool(getattr(result, "rowcount", 0))


# --- reminders ----------------------------------------------------------------------


async def add_reminders(session: AsyncSession, *, award_id: int, due: dict[str, datetime]) -> None:
    for kind, when in due.items():
        stmt = _insert(session)(BadgeReminder).values(award_id=award_id, kind=kind, due_at=when)
        await session.execute(stmt.on_conflict_do_nothing(index_elements=["award_id", "kind"]))


async def cancel_reminders(session: AsyncSession, *, award_ids: Collection[int]) -> None:
    """Drop unsent reminders of these awards (revoked, or renewed by a newer edition)."""
    if award_ids:
        await session.execute(
            delete(BadgeReminder).where(
                BadgeReminder.award_id.in_(list(award_ids)), BadgeReminder.sent_at.is_(None)
            )
        )


async def mark_reminder(
    session: AsyncSession, *, reminder_id: int, sent_at: datetime | None
) -> bool:
    """Claim a reminder (set `sent_at` while unset), or give it back (`sent_at` None); True
    when the row changed."""
    stmt = update(BadgeReminder).where(BadgeReminder.id == reminder_id)
    if sent_at is not None:
        stmt = stmt.where(BadgeReminder.sent_at.is_(None))
    result = await session.execute(stmt.values(sent_at=sent_at))
    return bool(getattr(result, "rowcount", 0))


async def due_reminders(
    session: AsyncSession, *, now: datetime, platforms: Collection[str], limit: int = 100
) -> list[tuple[BadgeReminder, BadgeAward]]:
    """Unsent reminders due by `now` for live awards in workspaces on `platforms`."""
    rows = await session.execute(
        select(BadgeReminder, BadgeAward)
        .join(BadgeAward, BadgeAward.id == BadgeReminder.award_id)
        .join(Workspace, Workspace.id == BadgeAward.workspace_id)
        .where(
            BadgeReminder.sent_at.is_(None),
            BadgeReminder.due_at <= now,
            BadgeAward.revoked_at.is_(None),
            BadgeAward.person_id.is_not(None),
            Workspace.platform.in_(list(platforms)),
        )
        .order_by(BadgeReminder.due_at)
        .limit(limit)
    )
    return [(row[0], row[1]) for row in rows.all()]


# --- preferences and policy ---------------------------------------------------------


async def preference(session: AsyncSession, *, person_id: int) -> BadgePreference:
    """The person's badge preferences (a new, unsaved default when they have none)."""
    found = await session.get(BadgePreference, person_id)
    if found is None:
        found = BadgePreference(person_id=person_id, email=None, announce=None)
        session.add(found)
    return found


async def recognition_policy(session: AsyncSession, *, workspace_id: str) -> str:
    found = await session.get(BadgePolicy, workspace_id)
    return found.recognition if found is not None else "ask"


async def set_recognition_policy(session: AsyncSession, *, workspace_id: str, policy: str) -> None:
    found = await session.get(BadgePolicy, workspace_id)
    if found is None:
        session.add(BadgePolicy(workspace_id=workspace_id, recognition=policy))
    else:
        found.recognition = policy
    await session.flush()


# --- privacy --------------------------------------------------------------------------


async def scrub_awards(session: AsyncSession, *, person_id: int) -> int:
    """Before a person is erased: drop the personal parts of their awards.

    The rows stay (without the person) so that the public status lists keep saying the
    credentials were withdrawn.
    """
    result = await session.execute(
        update(BadgeAward)
        .where(BadgeAward.person_id == person_id)
        .values(
            person_id=None,
            recipient_email=None,
            salt=None,
            identity_hash=None,
            evidence=None,
            credential_jwt=None,
            revocation_reason="withdrawn: the earner's records were erased",
        )
    )
    return int(getattr(result, "rowcount", 0))


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


async def export_awards(session: AsyncSession, *, person_id: int) -> list[dict[str, Any]]:
    """A person's badges as JSON-ready data (for `learners export`)."""
    return [
        {
            "id": a.uid,
            "program": a.program_id,
            "edition": a.edition,
            "badge": (a.badge or {}).get("name"),
            "awarded_at": _when(a.awarded_at),
            "issued_at": _when(a.issued_at),
            "expires_at": _when(a.expires_at),
            "recipient_email": a.recipient_email,
            "revoked_at": _when(a.revoked_at),
            "revocation_reason": a.revocation_reason,
            "evidence": a.evidence,
        }
        for a in await awards_of(session, person_id=person_id)
    ]


async def latest_badge_snapshot(session: AsyncSession, *, program_id: str) -> dict[str, Any] | None:
    """The badge as most recently awarded (for programs no longer in the library)."""
    found = await session.scalar(
        select(BadgeAward.badge)
        .where(BadgeAward.program_id == program_id)
        .order_by(BadgeAward.id.desc())
        .limit(1)
    )
    return dict(found) if found else None
