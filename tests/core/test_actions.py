"""Typed actions: one encoder and decoder per button, old buttons keep working, presses checked."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.core.actions import (
    ANYONE_WHO_SEES_IT,
    ROLE_REFUSALS,
    ActionRegistry,
    ActionType,
    NoArgs,
    Role,
    Who,
    arg,
    not_yours_here,
    old_button,
)
from bot.core.errors import BadRequest
from bot.core.events import ActionInput
from bot.core.views import Action, Reply, say


@dataclass(frozen=True, kw_only=True)
class Pick:
    enrollment: int = arg("e")
    question: str = arg("q")
    run: int = arg("r", 0)
    value: str = arg("v", "")
    final: bool = arg("f", False)
    cohort: int | None = arg("c", None)


PICK = ActionType("answer-pick", Pick, aliases=("answer_pick",))


def test_a_payload_travels_in_short_keys_and_comes_back_typed() -> None:
    action = PICK(Pick(enrollment=7, question="quiz/q1", value="b", final=True))
    assert action == Action(
        "answer-pick", (("e", "7"), ("f", "1"), ("q", "quiz/q1"), ("r", "0"), ("v", "b"))
    )
    assert PICK.decode(action) == Pick(enrollment=7, question="quiz/q1", value="b", final=True)


def test_buttons_already_posted_decode_unchanged() -> None:
    """No version key, an older name, keys the payload no longer reads: still the same press."""
    posted = Action("answer_pick", (("e", "7"), ("q", "quiz/q1"), ("x", "gone")))
    assert PICK.decode(posted) == Pick(enrollment=7, question="quiz/q1")
    assert PICK.decode(Action("answer-pick", (("e", "7"), ("q", "a/b"), ("c", "")))).cohort is None


@pytest.mark.parametrize(
    "args",
    [
        (("q", "quiz/q1"),),  # the enrollment is missing
        (("e", "seven"), ("q", "quiz/q1")),
        (("e", "7"), ("q", "quiz/q1"), ("_v", "9")),  # from a newer bot than this one
        (("e", "7"), ("q", "quiz/q1"), ("_v", "x")),
    ],
)
def test_a_malformed_or_unknown_version_is_refused_as_an_old_button(args) -> None:
    with pytest.raises(BadRequest, match="older version"):
        PICK.decode(Action("answer-pick", args))


def test_a_new_version_upgrades_the_arguments_of_older_buttons() -> None:
    @dataclass(frozen=True, kw_only=True)
    class Pick2:
        enrollment: int = arg("e")
        question: str = arg("qq")

    def upgrade(version: int, args: dict[str, str]) -> dict[str, str]:
        assert version == 1
        return {"e": args["e"], "qq": args["q"]}

    pick2 = ActionType("answer-pick", Pick2, version=2, upgrade=upgrade)
    assert dict(pick2(Pick2(enrollment=1, question="a/b")).args)["_v"] == "2"
    old = Action("answer-pick", (("e", "3"), ("q", "quiz/q1")))
    assert pick2.decode(old) == Pick2(enrollment=3, question="quiz/q1")
    with pytest.raises(TypeError, match="needs an upgrade"):
        ActionType("answer-pick", Pick2, version=2)


def test_payloads_must_be_dataclasses_of_simple_fields() -> None:
    @dataclass(frozen=True)
    class Listy:
        items: list[str]

    with pytest.raises(TypeError, match="only str, int"):
        ActionType("x", Listy)
    with pytest.raises(TypeError, match="not a dataclass"):
        ActionType("x", dict)


LEAD_ONLY = ActionType("challenge-post", NoArgs, who=Who(role=Role.LEAD))
JOIN = ActionType("challenge-join", NoArgs, who=ANYONE_WHO_SEES_IT)


def _registry(pressed: list[str]) -> ActionRegistry[set[Role]]:
    registry: ActionRegistry[set[Role]] = ActionRegistry()

    def handler(name: str):
        async def handle(roles: set[Role], args: object, action_input: ActionInput) -> Reply:
            pressed.append(name)
            return say(name)

        return handle

    registry.register(PICK, handler("pick"))
    registry.register(LEAD_ONLY, handler("post"))
    registry.register(JOIN, handler("join"))
    return registry


async def _holds(roles: set[Role], role: Role) -> bool:
    return role in roles


async def test_the_press_check_runs_before_any_handler() -> None:
    pressed: list[str] = []
    registry = _registry(pressed)

    async def press(action: Action, *, shared: bool, roles: frozenset[Role] = frozenset()):
        return await registry.press(set(roles), ActionInput(action), shared=shared, holds=_holds)

    pick = PICK(Pick(enrollment=1, question="q/1"))
    with pytest.raises(BadRequest, match=not_yours_here()):
        await press(pick, shared=True)  # a DM's button, pressed in a channel
    with pytest.raises(BadRequest, match="Only team leads"):
        await press(LEAD_ONLY(), shared=False)
    with pytest.raises(BadRequest, match="older version"):
        await press(Action("no-such-button"), shared=False)
    assert pressed == []
    await press(pick, shared=False)
    await press(JOIN(), shared=True)
    await press(LEAD_ONLY(), shared=False, roles=frozenset({Role.LEAD}))
    assert pressed == ["pick", "join", "post"]
    assert registry.refusal("answer_pick", shared=True) == not_yours_here()
    assert registry.refusal("nothing", shared=False) == old_button()
    assert ROLE_REFUSALS.keys() == set(Role)
