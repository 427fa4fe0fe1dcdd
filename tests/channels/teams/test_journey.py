"""A learner takes the bundled programs in Teams, over HTTP, against the fake connector."""

from __future__ import annotations

from typing import Any

from bot.content.schema import MultipleChoice, Question, SingleChoice, TrueFalse
from tests.channels.teams.driver import TeamsDriver, Turn, args, card_text, executes, inputs
from tests.driver import correct_answer

FINISHED = ("Every step done", "Program complete")


def _button(card: dict[str, Any], *titles: str) -> dict[str, Any] | None:
    return next((a for a in executes(card) if a["title"] in titles), None)


def _invoke_values(
    question: Question, card: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The action to click and the input values a person would submit for the right answer."""
    if isinstance(question, SingleChoice):
        right = next(o.id for o in question.options if o.correct)
        return next(a for a in executes(card) if args(a).get("v") == right), {}
    if isinstance(question, TrueFalse):
        wanted = "True" if question.answer else "False"
        return next(a for a in executes(card) if a["title"] == wanted), {}
    submit = next(a for a in executes(card) if a["title"] == "Submit answer")
    [field] = inputs(card)
    if isinstance(question, MultipleChoice):
        return submit, {field["id"]: ",".join(o.id for o in question.options if o.correct)}
    return submit, {field["id"]: correct_answer(question)}


def _typed(question: Question, card: dict[str, Any]) -> str:
    """The letters a person reads off the card for the right answer (options are shuffled)."""
    if isinstance(question, SingleChoice):
        right = next(o.id for o in question.options if o.correct)
        return str(next(a["title"] for a in executes(card) if args(a).get("v") == right))
    if isinstance(question, MultipleChoice):
        rights = {o.id for o in question.options if o.correct}
        [field] = inputs(card)
        picked = [c["title"].split(".")[0] for c in field["choices"] if c["value"] in rights]
        return ", ".join(sorted(picked))
    return correct_answer(question)


async def work_through(teams: TeamsDriver, user: str, program_id: str, mode: str) -> set[str]:
    """Take a whole program answering by Action.Execute, by typing, or alternating."""
    program = teams.catalog.programs[program_id]
    seen: set[str] = set()
    turn = await teams.say(user, f"start {program_id}")
    assert turn.status == 201 and "Welcome to" in card_text(turn.cards[0])
    for step in range(300):
        card = teams.last_card(user)
        text = card_text(card)
        if any(done in text for done in FINISHED):
            return seen
        by_invoke = mode == "invoke" or (mode == "mixed" and step % 2 == 0)
        question_action = next((a for a in executes(card) if "q" in args(a)), None)
        if question_action is None:
            action = _button(card, "Next page", "Continue")
            assert action is not None, f"stuck at: {text[:300]}"
            turn = await (teams.execute(user, action) if by_invoke else teams.say(user, "next"))
        else:
            quiz_id, question_id = args(question_action)["q"].split("/")
            question = program.question(quiz_id, question_id)
            assert question is not None
            seen.add(f"{question.type}:{'invoke' if by_invoke else 'text'}")
            if by_invoke:
                action, values = _invoke_values(question, card)
                turn = await teams.execute(user, action, values)
                _assert_answered(turn)
            else:
                turn = await teams.say(user, _typed(question, card))
                assert "Your answer" in card_text(turn.cards[0])
        assert turn.status in (200, 201)
    raise AssertionError("the program never ended")


def _assert_answered(turn: Turn) -> None:
    assert turn.status == 200
    answered = turn.card
    assert answered is not None, turn.body
    text = card_text(answered)
    verdicts = ("✅ Correct", "✅ Passed", "📝 Received")  # free text is scored against its rubric
    assert "Your answer" in text and any(v in text for v in verdicts), text
    assert executes(answered) == [] and inputs(answered) == []  # cannot be answered twice


async def test_a_learner_completes_every_bundled_program(teams: TeamsDriver) -> None:
    seen: set[str] = set()
    plan = [("secure-coding", "invoke"), ("effective-feedback", "text"), ("data-privacy", "mixed")]
    for program_id, mode in plan:
        seen |= await work_through(teams, "ann", program_id, mode)
        final = card_text(teams.last_card("ann"))
        assert "Every step done" in final and "Awaiting review" in final
    types = {entry.split(":")[0] for entry in seen}
    assert {f"{t}:{how}" for t in types for how in ("invoke", "text")} <= seen
    progress = await teams.say("ann", "My progress")  # the command menu's title
    text = card_text(progress.cards[-1])
    for program_id, _ in plan:
        steps = len(teams.catalog.programs[program_id].steps)
        assert f"{steps} of {steps} steps" in text
