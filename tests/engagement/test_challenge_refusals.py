"""Challenges refuse clearly: permissions, dates, programs, skills and channels."""

from __future__ import annotations

import pytest

from bot.core.actions import Role, role_refusal
from bot.core.views import Action, ChoiceField
from bot.engagement.challenges import NO_CHANNEL
from tests.engagement.challenge_steps import challenge_row, create, form_of, submit
from tests.engagement.harness import CHANNEL, Harness

OTHER = "slack:T1:C2"


async def test_only_leads_and_admins_may_open_the_form(hs: Harness) -> None:
    ann = hs.member("ann")
    reply = await ann.say_in(CHANNEL, "challenge")
    refused = role_refusal(Role.LEAD)
    assert reply.refused == refused and reply.messages[0].fallback == refused
    await hs.admin("ada")
    assert form_of(await hs.member("ada").say_in(CHANNEL, "challenge"))


async def test_a_forged_form_submission_from_a_learner_is_refused(hs: Harness) -> None:
    ann = hs.member("ann")
    values = {"program": ["secure-coding"], "goal": "Sneaky", "channel": [CHANNEL]}
    reply = await ann.press_on_action(Action.of("challenge_preview"), values)
    assert reply.refused == role_refusal(Role.LEAD)


async def test_without_a_channel_there_is_nowhere_to_post(hs: Harness) -> None:
    await hs.team("platform", lead="dana")
    reply = await hs.member("dana").say("challenge")  # in a DM, and no binding
    assert reply.refused == NO_CHANNEL
    await hs.bind("announcements", OTHER)
    form = form_of(await hs.member("dana").say("challenge"))
    channel = next(f for f in form.fields if f.name == "channel")
    assert isinstance(channel, ChoiceField)
    assert [o.value for o in channel.options] == [OTHER]


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"start": "2026-02-20"}, "The start, 2026-02-20, is in the past"),
        ({"start": "2026-03-10", "end": "2026-03-05"}, "would end (2026-03-05 18:00) before it"),
        ({"start": "next week"}, "The start “next week” is not a date"),
        ({"end": "2026-09-30"}, "can last up to 92 days"),
        ({"program": "knitting"}, "I have no program called “knitting”"),
        ({"skill": "juggling"}, "Secure coding essentials has no skill “juggling”"),
        ({"goal": ""}, "Write a goal"),
        ({"channel": ""}, "Choose the channel to post the challenge in"),
        ({"channel": "slack:T1:CSECRET"}, "I cannot post in that channel"),
        ({"scoring": "speed"}, "Choose how progress counts"),
    ],
)
async def test_bad_forms_are_refused_with_every_reason(
    hs: Harness, values: dict[str, str], problem: str
) -> None:
    await hs.team("platform", lead="dana")
    dana = hs.member("dana")
    form = form_of(await dana.say_in(CHANNEL, "challenge"))
    base = {"goal": "Learn together", "program": "secure-coding"}
    reply = await submit(dana, form, **{**base, **values})
    assert reply.refused.startswith("Please fix the challenge:")
    assert problem in reply.refused
    assert hs.messenger.posts == []


async def test_an_unknown_program_in_the_command_is_refused(hs: Harness) -> None:
    await hs.team("platform", lead="dana")
    reply = await hs.member("dana").say_in(CHANNEL, "challenge knitting")
    assert "I have no program called “knitting”" in reply.refused


async def test_a_skill_challenge_is_accepted_for_a_skill_of_the_program(hs: Harness) -> None:
    await hs.team("platform", lead="dana")
    await create(hs, hs.member("dana"), CHANNEL, program="secure-coding", skill="untrusted-input")
    assert (await challenge_row(hs)).skill == "untrusted-input"


async def test_only_its_lead_or_an_admin_may_cancel(hs: Harness) -> None:
    await hs.team("platform", lead="dana")
    await hs.team("sales", lead="sam")
    await create(hs, hs.member("dana"), CHANNEL)
    row = await challenge_row(hs)
    for who in ("ann", "sam"):
        reply = await hs.member(who).say(f"challenge cancel {row.id}")
        assert "Only the lead who created this challenge" in reply.refused
    assert "Which challenge?" in (await hs.member("dana").say("challenge cancel")).refused
    await hs.admin("ada")
    reply = await hs.member("ada").say(f"challenge cancel {row.id}")
    assert reply.private == (f"Cancelled “{row.goal}”. The channel post says so.",)
    again = await hs.member("dana").say(f"challenge cancel {row.id}")
    assert again.private == (f"“{row.goal}” has already cancelled.",)


async def test_a_challenge_of_another_workspace_cannot_be_joined(hs: Harness) -> None:
    await hs.team("platform", lead="dana")
    await create(hs, hs.member("dana"), CHANNEL)
    row = await challenge_row(hs)
    outsider = hs.member("olga", workspace="slack:T9")
    reply = await outsider.press_on_action(Action.of("challenge_join", c=row.id))
    assert "not in your workspace" in reply.refused
