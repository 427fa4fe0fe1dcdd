"""The `badges` chat command and the badge buttons: list, e-mail, share, announce, renew."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actions import NoArgs
from bot.core.errors import BadRequest, CannotProceed
from bot.core.events import ActionInput
from bot.core.views import Reply, message, say
from bot.credentials import actions, awards, messages
from bot.credentials.announce import channel_for
from bot.credentials.context import Issuing
from bot.credentials.renew import renew
from bot.credentials.view import AwardView
from bot.learning.hooks import Hooks
from bot.learning.turn import Turn
from storage.models import BadgeAward
from storage.queries import badges as q


class Feature(Protocol):
    """What the chat needs of the credentials feature (bot/credentials/service.py)."""

    ctx: Issuing

    async def queue_post(
        self, session: AsyncSession, award: BadgeAward, channel: str, view: AwardView
    ) -> Reply: ...


USAGE = (
    "Badge commands: `badges` lists yours · `badges email you@example.com` sets the address "
    "on your badges · `badges announce on|off|default` chooses whether your badges are "
    "celebrated in the team channel · `badges renew PROGRAM` re-certifies an expiring badge."
)
ANNOUNCE = {"on": "always", "always": "always", "off": "never", "never": "never", "default": None}


def register(hooks: Hooks, feature: Feature) -> None:
    """Add `badges …` and the badge buttons to the journey."""
    chat = BadgeChat(feature)
    hooks.command(actions.COMMAND, chat.command)
    hooks.action(actions.LIST, chat.list_action)
    hooks.action(actions.EMAIL, chat.email_action)
    hooks.action(actions.SHARE, chat.share_action)
    hooks.action(actions.RENEW, chat.renew_action)


class BadgeChat:
    def __init__(self, feature: Feature) -> None:
        self.feature = feature
        self.ctx = feature.ctx

    async def command(self, turn: Turn, arg: str) -> Reply:
        verb, _, rest = arg.strip().partition(" ")
        verb = verb.lower()
        if not verb or verb in ("list", "mine"):
            return await self.listing(turn)
        if verb in ("email", "e-mail", "mail"):
            return await self.email(turn, rest)
        if verb in ("announce", "sharing"):
            return await self.announce(turn, rest)
        if verb == "share":
            return await self.share(turn, rest)
        if verb == "renew":
            return await renew(turn, rest, now=self.ctx.now())
        return say(USAGE)

    async def listing(self, turn: Turn) -> Reply:
        rows = await q.awards_of(turn.session, person_id=turn.person.id)
        views = [AwardView.of(a, turn.person.display_name) for a in rows]
        listing = messages.badge_list(views, self.ctx.urls, self.ctx.issuer.name, self.ctx.now())
        waiting = [v.name for v in views if not v.issued and v.status(self.ctx.now()) != "revoked"]
        if waiting:
            form = messages.email_form(waiting)
            ask = message(form, fallback="Which e-mail should go on your badge?")
            return Reply((listing, ask))
        return Reply((listing,))

    async def email(self, turn: Turn, text: str) -> Reply:
        if not text.strip():
            raise BadRequest("Send the address like `badges email you@example.com`.")
        issued = await awards.set_email(turn.session, self.ctx, person=turn.person, text=text)
        address = awards.valid_email(text)
        if not issued:
            return say(f"Saved: your next badges will carry {address}.")
        views = [AwardView.of(a, turn.person.display_name) for a in issued]
        ready = messages.ready(views, self.ctx.urls, self.ctx.issuer.name)
        return say(f"Saved: {address} is on your badges.") + Reply((ready,))

    async def announce(self, turn: Turn, word: str) -> Reply:
        choice = word.strip().lower()
        if choice not in ANNOUNCE:
            raise BadRequest("Use `badges announce on`, `badges announce off` or `default`.")
        pref = await q.preference(turn.session, person_id=turn.person.id)
        pref.announce = ANNOUNCE[choice]
        if pref.announce == "never":
            return say("Done: your badges will not be announced in team channels.")
        if pref.announce == "always":
            return say("Done: new badges will be celebrated in your team's channel.")
        return say("Done: announcements follow your workspace's recognition policy.")

    async def share(self, turn: Turn, uid: str) -> Reply:
        award = await q.award_by_uid(turn.session, uid=uid.strip().lower())
        if award is None or award.person_id != turn.person.id:
            raise BadRequest("That is not one of your badges. Type `badges` to see yours.")
        view = AwardView.of(award, turn.person.display_name)
        if view.status(self.ctx.now()) != "valid":
            raise CannotProceed(f"This badge is {view.status_text(self.ctx.now())}.")
        if award.announce_state in ("queued", "posting", "posted"):
            return Reply(private=("Already shared.",))
        channel = await channel_for(turn.session, award)
        if channel is None:
            raise CannotProceed("No team channel is set up for badge announcements yet.")
        replaced = messages.earned(
            view, self.ctx.urls, self.ctx.issuer.name, share=False, needs_email=not view.issued
        )
        posted = await self.feature.queue_post(turn.session, award, channel, view)
        return Reply(replace_source=replaced) + posted

    async def list_action(self, turn: Turn, _: NoArgs, __: ActionInput) -> Reply:
        return await self.listing(turn)

    async def email_action(self, turn: Turn, _: NoArgs, action: ActionInput) -> Reply:
        value = action.values.get(messages.EMAIL_FIELD, "")
        text = value if isinstance(value, str) else ",".join(value)
        return await self.email(turn, text)

    async def share_action(self, turn: Turn, args: actions.BadgeRef, _: ActionInput) -> Reply:
        return await self.share(turn, args.badge)

    async def renew_action(self, turn: Turn, args: actions.ProgramRef, _: ActionInput) -> Reply:
        return await renew(turn, args.program, now=self.ctx.now())
