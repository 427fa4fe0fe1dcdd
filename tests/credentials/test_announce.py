"""Announcements reach the bound channel through the Messenger; opt-outs and policy hold."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.application import Application
from bot.core.views import Image, Message
from storage.models import BadgeAward, BadgeReminder
from storage.queries.badges import set_recognition_policy
from storage.queries.org import set_binding
from storage.queries.people import ensure_workspace
from storage.types import utcnow
from tests.clock import FakeClock
from tests.credentials.conftest import Person as Learner
from tests.credentials.conftest import complete, serving
from tests.driver import all_text
from tests.fakes.messenger import FakeMessenger


async def bind(services: Application, workspace: str, channel: str, policy: str = "ask") -> None:
    async with services.database.transaction() as session:
        await ensure_workspace(session, workspace_id=workspace)
        await set_binding(
            session,
            workspace_id=workspace,
            purpose="announcements",
            program_id="*",
            channel=channel,
        )
        await set_recognition_policy(session, workspace_id=workspace, policy=policy)


def fake(services: Application, platform: str) -> FakeMessenger:
    messenger = FakeMessenger(platform)
    services.messengers.register(messenger)
    return messenger


async def drain(services: Application) -> None:
    await services.credentials.announcer.drain()


def images(message: Message) -> list[Image]:
    return [b for b in message.blocks if isinstance(b, Image)]


async def test_announce_policy_posts_in_the_bound_slack_channel(services: Application) -> None:
    slack = fake(services, "slack")
    await bind(services, "slack:T1", "slack:T1:C42", policy="announce")
    learner = Learner(services.router, "U1", workspace="slack:T1", email="ann@example.com")
    await complete(learner)
    await drain(services)
    [post] = slack.posts
    assert post.to == "slack:T1:C42" and post.key.endswith(":post")
    text = all_text(post.message)
    assert "U1 earned Mini Badge" in text and "See the badge" in text
    assert "%" not in text and "points" not in text
    [image] = images(post.message)
    assert image.url.endswith("/badges/images/mini.png") and "Mini Badge badge" in image.alt
    async with services.database.transaction() as session:
        award = await session.scalar(select(BadgeAward))
        assert award is not None and award.announce_state == "posted"
    # revocation withdraws the post
    await services.credentials.revoke_by_admin(award.uid, "Mistake")
    [withdrawn] = slack.of("update")
    assert withdrawn.to == award.announce_ref == post.ref
    assert "withdrawn" in all_text(withdrawn.message)


async def test_ask_policy_shares_on_click_in_teams(sqlite_services: Application) -> None:
    teams = fake(sqlite_services, "teams")
    await bind(sqlite_services, "teams:TEN", "teams:TEN:19:general@thread.tacv2")
    learner = Learner(sqlite_services.router, "aad-1", workspace="teams:TEN", email="b@x.org")
    await complete(learner)
    await drain(sqlite_services)
    assert teams.posts == []
    reply = await learner.click("Share in the team channel")
    await drain(sqlite_services)
    assert reply.replace_source is not None
    [post] = teams.posts
    assert post.to == "teams:TEN:19:general@thread.tacv2"
    assert "earned Mini Badge" in all_text(post.message)
    again = await learner.say(f"badges share {(await uid(sqlite_services))}")
    assert "Already shared." in learner.text(again)


async def uid(services: Application) -> str:
    async with services.database.transaction() as session:
        found = await session.scalar(select(BadgeAward.uid))
    assert found
    return found


async def test_a_learner_who_opted_out_is_never_announced(sqlite_services: Application) -> None:
    slack = fake(sqlite_services, "slack")
    await bind(sqlite_services, "slack:T1", "slack:T1:C42", policy="announce")
    learner = Learner(sqlite_services.router, "U2", workspace="slack:T1", email="c@x.org")
    await learner.say("badges announce off")
    await complete(learner)
    await drain(sqlite_services)
    assert slack.posts == []
    earned = next(m for m in learner.inbox if "You earned" in all_text(m))
    assert "Share in the team channel" not in all_text(earned)


async def test_playground_channel_shows_the_post_in_the_reply(sqlite_services: Application) -> None:
    await bind(sqlite_services, "local", "local:announcements", policy="announce")
    learner = Learner(sqlite_services.router, "dee", email="dee@example.com")
    await complete(learner)
    posted = [m for m in learner.inbox if "Posted in local:announcements" in all_text(m)]
    assert len(posted) == 1 and "Dee earned Mini Badge" in all_text(posted[0])


async def test_reminders_are_sent_once_before_expiry(sqlite_services: Application) -> None:
    slack = fake(sqlite_services, "slack")
    learner = Learner(sqlite_services.router, "U3", workspace="slack:T1", email="e@x.org")
    await complete(learner)
    feature = sqlite_services.credentials
    assert feature is not None
    assert await feature.sweep() == 0
    clock = FakeClock(utcnow())
    feature.ctx.clock = clock
    clock.set(utcnow() + timedelta(days=365 - 29))
    assert await feature.sweep() == 1
    [reminder] = slack.direct
    assert reminder.to == "slack:T1:U3" and reminder.key.endswith(":remind:30d")
    text = all_text(reminder.message)
    assert "expires in" in text and "badges renew mini" in text
    assert await feature.sweep() == 0
    clock.set(utcnow() + timedelta(days=365 - 6))
    assert await feature.sweep() == 1
    async with sqlite_services.database.transaction() as session:
        rows = list(await session.scalars(select(BadgeReminder)))
    assert all(r.sent_at is not None for r in rows)


async def test_renewal_earns_the_next_edition(sqlite_services: Application) -> None:
    learner = Learner(sqlite_services.router, "fin", email="fin@example.com")
    await complete(learner)
    early = learner.text(await learner.say("badges renew mini"))
    assert "renewal opens 30 days before it expires" in early
    feature = sqlite_services.credentials
    assert feature is not None
    clock = FakeClock(utcnow())
    feature.ctx.clock = clock
    clock.set(utcnow() + timedelta(days=350))
    assert "Renewing **Mini Badge**" in learner.text(await learner.say("badges renew mini"))
    for answer in ("b", "a c", "true", "72", "Situation-Behavior-Impact"):
        reply = await learner.say(answer)
    assert "You earned Mini Badge" in learner.text(reply)
    async with sqlite_services.database.transaction() as session:
        editions = list(await session.scalars(select(BadgeAward.edition).order_by(BadgeAward.id)))
    assert editions == [1, 2]


async def test_the_server_sweeps_reminders_by_itself(sqlite_services: Application) -> None:
    learner = Learner(sqlite_services.router, "U9", workspace="slack:T1", email="g@x.org")
    await complete(learner)
    feature = sqlite_services.credentials
    clock = FakeClock(utcnow())
    clock.set(utcnow() + timedelta(days=365 - 6))
    feature.ctx.clock = clock
    async with serving(sqlite_services):
        slack = fake(sqlite_services, "slack")  # after mounting, which registers the real ones
        await sqlite_services.start()  # the leader runs every sweep once at once
        await slack.wait_for("direct")
        for _ in range(2):  # more sweeps send nothing twice
            await feature.sweep()
    [reminder] = slack.direct
    assert reminder.to == "slack:T1:U9" and reminder.key.endswith(":remind:7d")
    assert slack.repeats == []
    async with sqlite_services.database.transaction() as session:
        assert all(r.sent_at for r in await session.scalars(select(BadgeReminder)))
