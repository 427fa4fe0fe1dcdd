"""The badges feature: awards on completion, revokes on withdrawal, admin use cases, sweeps."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Program
from bot.core.acting import acting_identity
from bot.core.errors import BadRequest
from bot.core.messengers import Messengers, platform_of
from bot.core.tasks import Tasks
from bot.core.views import Context, Message, Reply, say
from bot.credentials import awards, chat, messages, rules
from bot.credentials.announce import Announcer, channel_for, decide
from bot.credentials.context import Issuing
from bot.credentials.reminders import send_due_reminders
from bot.credentials.view import AwardView
from bot.learning.audit import audit
from bot.learning.hooks import CompletionWithdrawn, Hooks, ProgramCompleted
from storage.db import Database
from storage.models import AuditAction, BadgeAward, LearnerNotice, Person
from storage.queries import badges as q
from storage.queries.enrollments import enrollments_in
from storage.queries.org import identities_of
from storage.queries.people import ensure_person, person_by_identity
from storage.queries.runs import enrollment_in

log = logging.getLogger(__name__)
WITHDRAWN = "a re-score means the program's passing rules no longer hold"
PRIOR_LEARNING = {
    "name": "Recognition of prior learning",
    "description": "Awarded by an administrator on evidence of prior learning.",
    "genre": "Recognition of prior learning",
}


@dataclass(frozen=True)
class Awarded:
    """What `award_by_admin` reports (one JSON line in the CLI)."""

    view: AwardView
    created: bool
    email: str | None

    def as_dict(self, ctx: Issuing) -> dict[str, Any]:
        urls, view, now = ctx.urls, self.view, ctx.now()
        return {
            "id": view.uid,
            "program": view.program_id,
            "badge": view.name,
            "edition": view.edition,
            "created": self.created,
            "status": view.status(now),
            "issued": view.issued,
            "recipient": self.email,
            "awarded_at": view.awarded_at.isoformat(),
            "expires_at": view.expires_at.isoformat() if view.expires_at else None,
            "assertion_url": urls.assertion(view.uid),
            "credential_url": urls.credential(view.uid),
            "page_url": urls.page(view.uid),
        }


class Credentials:
    """Open Badges for the journey: subscribe with `install(hooks)`."""

    def __init__(
        self, database: Database, ctx: Issuing, messengers: Messengers, tasks: Tasks | None = None
    ) -> None:
        self.database, self.ctx, self.messengers = database, ctx, messengers
        self.announcer = Announcer(database, ctx, messengers, tasks or Tasks())

    def install(self, hooks: Hooks) -> None:
        hooks.on(ProgramCompleted, self.on_completed)
        hooks.on(CompletionWithdrawn, self.on_withdrawn)
        chat.register(hooks, self)

    # --- events -----------------------------------------------------------------------

    async def on_completed(self, event: ProgramCompleted) -> Reply | None:
        """Award the program's badge in the learner's transaction, once.

        When the learner is the one acting, the award is part of their reply; when someone
        else completed it (a reviewer approving the portfolio), it is DMed to the learner.
        """
        session, person = event.session, event.person
        reply = await self._award_completed(session, person, event.program)
        acting = acting_identity()
        if not reply.messages or acting in await identities_of(session, person_id=person.id):
            return reply
        await self.deliver(session, person, reply)
        return None

    async def deliver(self, session: AsyncSession, person: Person, reply: Reply) -> None:
        """DM `reply` to the person after commit, or leave a notice for the scheduler."""
        identities = await identities_of(session, person_id=person.id)
        identity = next((i for i in identities if i.startswith(f"{person.workspace_id}:")), "")
        if identity and self.messengers.for_address(identity) is not None:
            for index, message in enumerate(reply.messages):
                key = f"badge:{message.key or index}:dm"
                job = partial(self.announcer.direct, identity, message, key)
                self.announcer.after_commit(session, job)
        elif platform_of(person.workspace_id) != "local":
            names = [m.fallback for m in reply.messages]
            session.add(_notice(person, "; ".join(names)))

    async def _award_completed(
        self, session: AsyncSession, person: Person, program: Program, depth: int = 0
    ) -> Reply:
        enrollment = await enrollment_in(session, person_id=person.id, program_id=program.id)
        if enrollment is None or not await rules.passing_rules_hold(session, program, enrollment):
            return Reply()
        missing = await rules.missing_prerequisites(
            session, self.ctx.catalog, person_id=person.id, program=program, now=self.ctx.now()
        )
        if missing:
            names = ", ".join(f"*{n}*" for n in missing)
            return say(
                f"The **{program.meta.badge.name}** badge also needs {names}; "
                "it is awarded as soon as you hold them."
            )
        award, created = await awards.award_badge(
            session, self.ctx, person=person, program=program, enrollment=enrollment
        )
        reply = await self.celebrate(session, person, award) if created else Reply()
        others = rules.dependents(self.ctx.catalog, program.id) if depth < 5 else []
        enrolled = (
            await enrollments_in(session, person_id=person.id, program_ids=[o.id for o in others])
            if others
            else {}
        )
        for other in others:
            dependent = enrolled.get(other.id)
            if dependent is not None and dependent.completed_at is not None:
                reply = reply + await self._award_completed(session, person, other, depth + 1)
        return reply

    async def on_withdrawn(self, event: CompletionWithdrawn) -> Reply | None:
        """A re-score broke the award rule: revoke the current badge with the reason."""
        session = event.session
        latest = await q.latest_award(
            session, person_id=event.enrollment.person_id, program_id=event.program.id
        )
        if latest is None or latest.revoked_at is not None:
            return None
        award, changed = await awards.revoke(session, self.ctx, uid=latest.uid, reason=WITHDRAWN)
        if not changed:
            return None
        await _audit(session, AuditAction.BADGE_REVOKE, award, event.person, reason=WITHDRAWN)
        self.announcer.after_commit(session, partial(self.announcer.retract, award.uid))
        return say(f"Your **{award.badge['name']}** badge was revoked: {WITHDRAWN}.")

    async def celebrate(self, session: AsyncSession, person: Person, award: BadgeAward) -> Reply:
        """The earner's private message, and the channel post when the policy allows it."""
        view = AwardView.of(award, person.display_name)
        decision = await decide(session, award)
        channel = await channel_for(session, award)
        earned = messages.earned(
            view,
            self.ctx.urls,
            self.ctx.issuer.name,
            share=channel is not None and decision == "ask",
            needs_email=not view.issued,
        )
        reply = Reply((earned,))
        if channel is not None and decision == "post":
            reply = reply + await self.queue_post(session, award, channel, view)
        return reply

    async def queue_post(
        self, session: AsyncSession, award: BadgeAward, channel: str, view: AwardView
    ) -> Reply:
        """Announce after commit; a playground channel shows the post in the reply instead."""
        post = messages.channel_post(view, self.ctx.urls, self.ctx.issuer.name)
        if self.messengers.for_address(channel) is None and platform_of(channel) == "local":
            award.announce_state, award.announce_ref = "posted", channel
            shown = Message((Context(f"📣 Posted in {channel}"), *post.blocks), post.fallback)
            return Reply((shown,))
        award.announce_state = "queued"
        self.announcer.after_commit(session, partial(self.announcer.post, award.uid))
        return Reply(
            private=("Announced in the team channel. `badges announce off` stops future posts.",)
        )

    # --- admin --------------------------------------------------------------------------

    async def award_by_admin(self, identity: str, program_id: str, email: str = "") -> Awarded:
        """Recognition of prior learning: award a badge to `identity` without the program."""
        program = self.ctx.program(program_id)
        if program is None:
            known = ", ".join(sorted(self.ctx.catalog.programs))
            raise BadRequest(f"no program '{program_id}' (known: {known})")
        address = awards.valid_email(email) if email else None
        async with self.database.transaction() as session:
            try:
                person = await ensure_person(session, identity=identity)
            except ValueError as exc:
                raise BadRequest(str(exc)) from exc
            if address:
                pref = await q.preference(session, person_id=person.id)
                pref.email = pref.email or (None if person.email else address)
            enrollment = await enrollment_in(session, person_id=person.id, program_id=program.id)
            done = enrollment is not None and enrollment.completed_at is not None
            award, created = await awards.award_badge(
                session,
                self.ctx,
                person=person,
                program=program,
                source="completion" if done else "admin",
                enrollment=enrollment,
                email=address,
                evidence=None if done else [PRIOR_LEARNING],
            )
            if address and award.issued_at is None:
                awards.issue(self.ctx, award, address, holder=person.display_name)
            view = AwardView.of(award, person.display_name)
            if created:
                await _audit(session, AuditAction.BADGE_AWARD, award, person)
                await self.deliver(session, person, await self.celebrate(session, person, award))
            result = Awarded(view, created, award.recipient_email)
        await self.announcer.drain()
        return result

    async def revoke_by_admin(self, uid: str, reason: str) -> tuple[AwardView, bool]:
        async with self.database.transaction() as session:
            award, changed = await awards.revoke(session, self.ctx, uid=uid, reason=reason)
            view = AwardView.of(award, await q.holder_name(session, award=award))
            if changed:
                holder = await session.get(Person, award.person_id) if award.person_id else None
                await _audit(
                    session, AuditAction.BADGE_REVOKE, award, holder, reason=award.revocation_reason
                )
        if changed:
            try:
                await self.announcer.retract(view.uid)
            except Exception:
                log.exception("could not withdraw the announcement of badge %s", view.uid)
        return view, changed

    async def list_for(self, identity: str) -> list[AwardView]:
        async with self.database.transaction() as session:
            person = await person_by_identity(session, identity=identity)
            if person is None:
                raise BadRequest(f"no one is known as '{identity}'")
            rows = await q.awards_of(session, person_id=person.id)
            return [AwardView.of(a, person.display_name) for a in rows]

    # --- scheduler ------------------------------------------------------------------------

    async def sweep(self) -> int:
        """Send due re-certification reminders and retry stuck announcements.

        For the delivery scheduler: call every few minutes; safe to call concurrently
        (each reminder and post is keyed, so a duplicate is absorbed by the messenger).
        """
        sent = await send_due_reminders(self.announcer)
        return sent + await self.announcer.sweep()


async def _audit(
    session: AsyncSession,
    action: AuditAction,
    award: BadgeAward,
    holder: Person | None,
    reason: str | None = None,
) -> None:
    changes: dict[str, object] = {
        "program": award.program_id,
        "edition": award.edition,
        "source": award.source,
    }
    if reason is not None:
        changes["revoked"] = {"before": None, "after": reason}
    await audit(
        session,
        action,
        workspace_id=award.workspace_id,
        target=f"badge {award.uid} of {award.program_id}",
        subject=holder,
        changes=changes,
    )


def _notice(person: Person, what: str) -> LearnerNotice:
    """For the scheduler to deliver when this process cannot reach the platform (the CLI)."""
    text = f"🏅 {what}. Type `badges` to see it, download it or share it."
    return LearnerNotice(
        workspace_id=person.workspace_id, person_id=person.id, kind="badge", text=text
    )
