"""Spaced repetition: wrongly answered questions come back in Leitner boxes until known."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.assessment import parse_response, score_answer
from bot.content import Program
from bot.content.schema import MultipleChoice, Numeric, Question, ShortAnswer, SingleChoice
from bot.content.schema import TrueFalse as TrueFalseQ
from bot.core.errors import BadRequest
from bot.core.events import ActionInput
from bot.core.ports import Clock
from bot.core.views import Action, Block, Buttons, Context, Form, Header, Message, Reply
from bot.learning import screens
from bot.learning.hooks import AttemptRecorded, Hooks
from bot.learning.turn import Turn
from storage.models import Enrollment, RecallCard

BOXES = (1, 3, 7, 14)
"""Days until a card in box 1, 2, 3, 4 comes back."""
RECALLABLE = (SingleChoice, MultipleChoice, TrueFalseQ, Numeric, ShortAnswer)
ACTION = "recall"


def interval(box: int) -> timedelta:
    return timedelta(days=BOXES[min(max(box, 1), len(BOXES)) - 1])


def _to_recall(action: Action, card: RecallCard) -> Action:
    value = [(k, v) for k, v in action.args if k == "v"]
    return Action(ACTION, (("c", str(card.id)), ("n", str(card.asked)), *value))


def _rewired(block: Block, card: RecallCard) -> Block:
    if isinstance(block, Buttons):
        buttons = tuple(replace(b, action=_to_recall(b.action, card)) for b in block.buttons)
        return Buttons(buttons)
    if isinstance(block, Form):
        return replace(
            block, submit=replace(block.submit, action=_to_recall(block.submit.action, card))
        )
    return block


def recall_message(program: Program, card: RecallCard) -> Message | None:
    """The card's question, answered through the `recall` action (None if it is gone)."""
    quiz = program.quizzes.get(card.quiz_id)
    question = program.question(card.quiz_id, card.question_id)
    if quiz is None or question is None:
        return None
    shown = screens.question_message(program, quiz, quiz.questions.index(question), 0, 0)
    blocks: list[Block] = [Header(f"Quick review: {quiz.title}"[:150])]
    blocks += [_rewired(b, card) for b in shown.blocks[1:] if not isinstance(b, Context)]
    blocks.append(
        Context(f"Spaced review {card.box} of {len(BOXES)}: a question you missed before.")
    )
    return Message(tuple(blocks), f"Quick review: {shown.fallback}", f"recall:{card.id}")


async def due_cards(
    session: AsyncSession, *, enrollment_ids: list[int], now: datetime, per_slot: int
) -> dict[int, list[RecallCard]]:
    """Active cards due by `now`, oldest first, at most `per_slot` per enrollment."""
    if not enrollment_ids or per_slot <= 0:
        return {}
    rows = await session.scalars(
        select(RecallCard)
        .where(
            RecallCard.enrollment_id.in_(enrollment_ids),
            RecallCard.status == "active",
            RecallCard.due_at <= now,
        )
        .order_by(RecallCard.due_at, RecallCard.id)
    )
    found: dict[int, list[RecallCard]] = {}
    for card in rows:
        picked = found.setdefault(card.enrollment_id, [])
        if len(picked) < per_slot:
            picked.append(card)
    return found


def ask(card: RecallCard, now: datetime) -> int:
    """Open a new round; an ignored card comes back after its box's interval."""
    card.asked += 1
    card.due_at = now + interval(card.box)
    card.updated_at = now
    return card.asked


class Recall:
    """Creates cards from wrong answers and scores the answers to review questions."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def install(self, hooks: Hooks) -> None:
        hooks.on(AttemptRecorded, self.on_attempt)
        hooks.action(ACTION, self.answer)

    async def on_attempt(self, event: AttemptRecorded) -> None:
        attempt = event.attempt
        if attempt.status != "scored" or attempt.correct is not False:
            return
        if not isinstance(event.question, RECALLABLE):
            return
        now = self.clock.now()
        card = await event.session.scalar(
            select(RecallCard).where(
                RecallCard.enrollment_id == event.enrollment.id,
                RecallCard.quiz_id == event.quiz.id,
                RecallCard.question_id == event.question.id,
            )
        )
        if card is None:
            card = RecallCard(
                workspace_id=event.enrollment.workspace_id,
                enrollment_id=event.enrollment.id,
                quiz_id=event.quiz.id,
                question_id=event.question.id,
                created_at=now,
            )
            event.session.add(card)
        card.box, card.status, card.due_at, card.updated_at = 1, "active", now + interval(1), now

    async def answer(self, turn: Turn, action_input: ActionInput) -> Reply:
        action = action_input.action
        card = await turn.session.get(RecallCard, int(action.arg("c", "0") or 0))
        enrollment = await turn.session.get(Enrollment, card.enrollment_id) if card else None
        if card is None or enrollment is None or enrollment.person_id != turn.person.id:
            raise BadRequest("That review question is not yours, or it is gone.")
        round_ = int(action.arg("n", "0") or 0)
        if card.answered >= round_ or card.asked != round_ or card.status != "active":
            return Reply(private=("Already recorded: each review question counts once.",))
        program = turn.program(enrollment)
        question = program.question(card.quiz_id, card.question_id)
        if question is None:
            card.status = "retired"
            return Reply(private=("That question is no longer part of the program.",))
        raw = action.arg("v") or action_input.values.get(screens.ANSWER_FIELD, "")
        response = parse_response(question, raw)
        return self._scored(program, card, question, response)

    def _scored(
        self, program: Program, card: RecallCard, question: Question, response: object
    ) -> Reply:
        now = self.clock.now()
        score = score_answer(question, response)
        card.answered, card.updated_at = card.asked, now
        if score.correct and card.box >= len(BOXES):
            card.status = "retired"
            note = "✅ You know this one now: it will not come back."
        elif score.correct:
            card.box += 1
            card.due_at = now + interval(card.box)
            note = f"Next review in {BOXES[card.box - 1]} days."
        else:
            card.box, card.due_at = 1, now + interval(1)
            note = "It comes back tomorrow."
        quiz = program.quizzes[card.quiz_id]
        shown = screens.answered_message(
            quiz, quiz.questions.index(question), question, response, score
        )
        blocks: list[Block] = [b for b in shown.blocks if not isinstance(b, Context)]
        blocks.append(Context(f"Spaced review. {note}"))
        return Reply(replace_source=Message(tuple(blocks), shown.fallback, f"recall:{card.id}"))
