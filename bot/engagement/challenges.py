"""Running a challenge from chat: the form, preview, post, edit, cancel, join and own score."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Catalog
from bot.core.actions import Role, role_refusal
from bot.core.errors import BadRequest
from bot.core.events import ActionInput
from bot.core.ports import Clock
from bot.core.text import escape_markdown, shorten
from bot.core.views import Reply, message
from bot.delivery.rules import zone_of
from bot.engagement import challenge_views as views
from bot.engagement.actions import ChallengeRef, DraftArgs
from bot.engagement.challenge_form import ANY_SKILL, challenge_form, channel_label, parse_draft
from bot.engagement.challenge_plan import facts_of, plan_posts, refresh_soon
from bot.engagement.rules import PointsRules
from bot.engagement.scoring import standings
from bot.learning.turn import Turn
from storage.models import Challenge, ChallengeStatus, Person
from storage.queries import engagement as q
from storage.queries.org import channel_workspace

NO_CHANNEL = (
    "There is no channel to post a challenge in. Run `/learn challenge` in your team's "
    "channel, or ask an admin to bind one (`microcred bindings set announcements <channel>`)."
)


async def _allowed(session: AsyncSession, person: Person) -> int | None:
    """The lead's team (None for an admin without one); BadRequest for anyone else."""
    admin, teams = await q.roles_of(session, person_id=person.id)
    if not admin and not teams:
        raise BadRequest(role_refusal(Role.LEAD))
    return teams[0] if teams else None


async def _mine(session: AsyncSession, person: Person, challenge_id: int) -> Challenge:
    """A challenge of the person's workspace that they may change."""
    found = await q.challenge(session, challenge_id=challenge_id)
    if found is None or found.workspace_id != person.workspace_id:
        raise BadRequest("I know no such challenge here. It may have been removed.")
    admin, teams = await q.roles_of(session, person_id=person.id)
    if not (admin or found.created_by == person.id or (found.team_id in teams and teams)):
        raise BadRequest(
            "Only the lead who created this challenge, a lead of its team or an admin can "
            "change or cancel it."
        )
    return found


class Challenges:
    """The chat side of challenges; posting happens in the sweep, after the commit."""

    def __init__(
        self, catalog: Catalog, rules: PointsRules, clock: Clock, kick: Callable[[Turn], None]
    ) -> None:
        self.catalog, self.rules, self.clock, self.kick = catalog, rules, clock, kick

    async def _channels(self, turn: Turn, here: str) -> list[str]:
        found = await q.channel_choices(turn.session, workspace_id=turn.person.workspace_id)
        if here and channel_workspace(here) == turn.person.workspace_id:
            found = [here, *[c for c in found if c != here]]
        return found

    async def command(self, turn: Turn, arg: str) -> Reply:
        words = arg.split()
        if words[:1] == ["cancel"]:
            return await self.cancel(turn, words[1] if len(words) > 1 else "")
        await _allowed(turn.session, turn.person)
        channels = await self._channels(turn, turn.channel)
        if not channels:
            raise BadRequest(NO_CHANNEL)
        initial = self._defaults()
        if words:
            program = self.catalog.find(" ".join(words))
            if program is None:
                known = ", ".join(f"`{p.id}`" for p in self.catalog)
                shown = escape_markdown(shorten(arg, 60))
                raise BadRequest(f"I have no program called “{shown}”. Try one of: {known}.")
            initial["program"] = program.id
        form = challenge_form(self.catalog, channels, initial=initial, here=turn.channel)
        return Reply((message(form, fallback="Set up a team challenge"),))

    def _defaults(self) -> dict[str, str]:
        today = self.clock.now().date()
        return {
            "start": f"{today + timedelta(days=1):%Y-%m-%d}",
            "end": f"{today + timedelta(days=15):%Y-%m-%d}",
            "skill": ANY_SKILL,
        }

    async def preview(self, turn: Turn, args: DraftArgs, action_input: ActionInput) -> Reply:
        team_id = await _allowed(turn.session, turn.person)
        channels = await self._channels(turn, args.here)
        draft_id = args.challenge
        existing = await _mine(turn.session, turn.person, draft_id) if draft_id else None
        if existing is not None and existing.channel not in channels:
            channels.append(existing.channel)
        if not channels:
            raise BadRequest(NO_CHANNEL)
        now = self.clock.now()
        draft = parse_draft(
            action_input.values,
            catalog=self.catalog,
            channels=channels,
            zone=zone_of(turn.person.timezone or ""),
            now=now,
        )
        if existing is not None and existing.status != ChallengeStatus.DRAFT:
            raise BadRequest("That challenge is already posted; it cannot be edited any more.")
        row = existing or Challenge(
            workspace_id=turn.person.workspace_id,
            created_by=turn.person.id,
            team_id=team_id,
            status=ChallengeStatus.DRAFT,
        )
        row.lead_name = turn.person.display_name or "your team lead"
        for name in ("program_id", "skill", "goal", "scoring", "starts_at", "ends_at"):
            setattr(row, name, getattr(draft, name))
        row.progress, row.channel, row.prize = draft.progress, draft.channel, draft.prize
        row.daily_cap = self.rules.daily_cap(draft.scoring)
        if existing is None:
            turn.session.add(row)
        await turn.session.flush()
        facts = await facts_of(turn.session, self.catalog, row)
        return Reply((views.preview(facts, now, channel_label(row.channel)),))

    async def edit(self, turn: Turn, args: ChallengeRef, action_input: ActionInput) -> Reply:
        row = await _mine(turn.session, turn.person, args.challenge)
        if row.status != ChallengeStatus.DRAFT:
            return Reply(private=("That challenge is already posted; it cannot be edited.",))
        zone = zone_of(turn.person.timezone or "")
        initial = {
            "program": row.program_id,
            "skill": row.skill or ANY_SKILL,
            "goal": row.goal,
            "start": f"{row.starts_at.astimezone(zone):%Y-%m-%d %H:%M}",
            "end": f"{row.ends_at.astimezone(zone):%Y-%m-%d %H:%M}",
            "scoring": row.scoring,
            "progress": row.progress,
            "channel": row.channel,
            "prize": row.prize,
        }
        channels = await self._channels(turn, row.channel)
        form = challenge_form(self.catalog, channels, initial=initial, draft_id=row.id)
        return Reply((message(form, fallback="Edit your challenge"),))

    async def post(self, turn: Turn, args: ChallengeRef, action_input: ActionInput) -> Reply:
        row = await _mine(turn.session, turn.person, args.challenge)
        now = self.clock.now()
        if row.ends_at <= now:
            raise BadRequest(
                "That challenge would already be over. Press Edit to change its dates."
            )
        if not await q.set_status(
            turn.session,
            challenge_id=row.id,
            before=(ChallengeStatus.DRAFT,),
            after=ChallengeStatus.SCHEDULED,
        ):
            return Reply(private=("Already posted: each challenge is announced once.",))
        row.status, row.posted_at = ChallengeStatus.SCHEDULED, now
        if row.starts_at < now:
            row.starts_at = now
        await plan_posts(turn.session, row, now)
        self.kick(turn)
        facts = await facts_of(turn.session, self.catalog, row)
        note = (
            f"Posting in {channel_label(row.channel)} now. To cancel it: "
            f"`challenge cancel {row.id}`."
        )
        shown = views.retired_preview(facts, now, note)
        return Reply(replace_source=shown, private=(note,))

    async def cancel(self, turn: Turn, challenge_id: str) -> Reply:
        if not challenge_id.isdigit():
            raise BadRequest("Which challenge? Type `challenge cancel <number>`.")
        row = await _mine(turn.session, turn.person, int(challenge_id))
        before = (ChallengeStatus.DRAFT, ChallengeStatus.SCHEDULED, ChallengeStatus.RUNNING)
        if not await q.set_status(
            turn.session, challenge_id=row.id, before=before, after=ChallengeStatus.CANCELLED
        ):
            return Reply(private=(f"“{row.goal}” has already {row.status}.",))
        await q.cancel_for(turn.session, challenge_id=row.id)
        if row.announce_ref or row.posted_at:
            await refresh_soon(turn.session, row, self.clock.now(), kind="cancel")
            self.kick(turn)
        return Reply(private=(f"Cancelled “{row.goal}”. The channel post says so.",))

    async def join(self, turn: Turn, args: ChallengeRef, action_input: ActionInput) -> Reply:
        found = await q.challenge(turn.session, challenge_id=args.challenge)
        if found is None or found.workspace_id != turn.person.workspace_id:
            raise BadRequest("That challenge is not in your workspace, or no longer exists.")
        if found.status in (ChallengeStatus.ENDED, ChallengeStatus.CANCELLED):
            return Reply(private=(f"“{found.goal}” has {found.status}; nothing to join now.",))
        if found.status == ChallengeStatus.DRAFT:
            return Reply(private=("That challenge has not been posted yet.",))
        now = self.clock.now()
        if not await q.add_member(
            turn.session, challenge_id=found.id, person_id=turn.person.id, at=now
        ):
            return Reply(private=(f"You are already in “{found.goal}”.",))
        await refresh_soon(turn.session, found, now)
        self.kick(turn)
        note = f"You joined “{found.goal}”. What you do from now on counts."
        if not await _enrolled(turn, found):
            note += f" You are not enrolled yet: type `start {found.program_id}` to begin."
        return Reply(private=(note,))

    async def my_score(self, turn: Turn, args: ChallengeRef, action_input: ActionInput) -> Reply:
        found = await q.challenge(turn.session, challenge_id=args.challenge)
        if found is None or found.workspace_id != turn.person.workspace_id:
            raise BadRequest("That challenge is not in your workspace, or no longer exists.")
        now = self.clock.now()
        table = await standings(turn.session, self.catalog, found, now)
        mine = next((s for s in table if s.person_id == turn.person.id), None)
        facts = await facts_of(turn.session, self.catalog, found)
        line = views.Line(mine.rank, "", mine.score) if mine is not None else None
        return Reply(private=(views.my_score(facts, line, mine is not None, now),))


async def _enrolled(turn: Turn, challenge: Challenge) -> bool:
    return any(e.program_id == challenge.program_id for e in await turn.enrollments())
