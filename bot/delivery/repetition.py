"""Spaced repetition: wrongly answered questions come back in Leitner boxes until known."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.assessment import parse_response, score_answer
from bot.assessment.draw import run_view, shuffled
from bot.assessment.policy import graded
from bot.content import Program
from bot.content.schema import (
    MultipleChoice,
    Numeric,
    Question,
    Quiz,
    ShortAnswer,
    SingleChoice,
)
from bot.content.schema import TrueFalse as TrueFalseQ
from bot.core.actions import ActionType, arg
from bot.core.copy import t, tn
from bot.core.errors import BadRequest
from bot.core.events import ActionInput
from bot.core.ports import Clock
from bot.core.views import Action, Block, Buttons, Context, Form, Header, Message, Reply
from bot.learning import screens
from bot.learning.actions import ANSWER
from bot.learning.hooks import AttemptRecorded, Hooks, StepFinished
from bot.learning.runs import latest_run, run_allowance
from bot.learning.turn import Turn
from storage.models import (
    AttemptStatus,
    Enrollment,
    RecallCard,
    RecallStatus,
    StepStatus,
)
from storage.queries.attempts import missed_questions
from storage.queries.recall import due_recall_cards, recall_card, recall_cards

BOXES = (1, 3, 7, 14)
"""Days until a card in box 1, 2, 3, 4 comes back."""
RECALLABLE = (SingleChoice, MultipleChoice, TrueFalseQ, Numeric, ShortAnswer)


@dataclass(frozen=True, kw_only=True)
class RecallArgs:
    """An answer to a review question: the card, the round it was asked in, the option."""

    card: int = arg("c")
    round: int = arg("n", 0)
    value: str = arg("v", "")


RECALL = ActionType("recall-answer", RecallArgs, aliases=("recall",))


def interval(box: int) -> timedelta:
    return timedelta(days=BOXES[min(max(box, 1), len(BOXES)) - 1])


def _to_recall(action: Action, card: RecallCard) -> Action:
    """The question screen's answer button, as the answer to this card."""
    value = ANSWER.decode(action).value
    return RECALL(RecallArgs(card=card.id, round=card.asked, value=value))


def _rewired(block: Block, card: RecallCard) -> Block:
    if isinstance(block, Buttons):
        buttons = tuple(replace(b, action=_to_recall(b.action, card)) for b in block.buttons)
        return Buttons(buttons)
    if isinstance(block, Form):
        return replace(
            block, submit=replace(block.submit, action=_to_recall(block.submit.action, card))
        )
    return block


def _as_recalled(program: Program, card: RecallCard) -> Quiz:
    """The card's quiz with options in an order of the card's own."""
    quiz = program.quizzes[card.quiz_id]
    return run_view(quiz, card.id, [q.id for q in quiz.questions])


def recall_message(program: Program, card: RecallCard) -> Message | None:
    """The card's question, answered through the `recall` action (None if it is gone)."""
    quiz = program.quizzes.get(card.quiz_id)
    question = program.question(card.quiz_id, card.question_id)
    if quiz is None or question is None:
        return None
    quiz = _as_recalled(program, card)
    shown = screens.question_message(program, quiz, quiz.questions.index(question), 0, 0)
    blocks: list[Block] = [Header(t("recall.title", quiz=quiz.title)[:150])]
    blocks += [_rewired(b, card) for b in shown.blocks[1:] if not isinstance(b, Context)]
    blocks.append(Context(t("recall.box_note", box=card.box, of=len(BOXES))))
    return Message(
        tuple(blocks), t("recall.fallback", question=shown.fallback), f"recall:{card.id}"
    )


async def due_cards(
    session: AsyncSession, *, enrollment_ids: list[int], now: datetime, per_slot: int
) -> dict[int, list[RecallCard]]:
    """Active cards due by `now`, oldest first, at most `per_slot` per enrollment."""
    if not enrollment_ids or per_slot <= 0:
        return {}
    found: dict[int, list[RecallCard]] = {}
    for card in await due_recall_cards(session, enrollment_ids=enrollment_ids, now=now):
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
        hooks.on(StepFinished, self.on_quiz_settled)
        hooks.action(RECALL, self.answer)

    async def on_attempt(self, event: AttemptRecorded) -> None:
        """A missed question of a practice quiz comes back; a graded one waits (below)."""
        attempt = event.attempt
        if attempt.status != AttemptStatus.SCORED or attempt.correct is not False:
            return
        if not isinstance(event.question, RECALLABLE) or graded(event.program, event.quiz):
            return
        await self._card(event.session, event.enrollment, event.quiz.id, event.question.id)

    async def on_quiz_settled(self, event: StepFinished) -> None:
        """A graded quiz's misses come back once the quiz is passed or has no run left, so
        review never answers a question the learner may still be assessed on."""
        kind, _, quiz_id = event.step_key.partition(":")
        quiz = event.program.quizzes.get(quiz_id) if kind == "quiz" else None
        if quiz is None or not graded(event.program, quiz) or event.status == StepStatus.PENDING:
            return
        run = await latest_run(event.session, event.enrollment.id, quiz_id)
        if run is None:
            return
        allowance = await run_allowance(event.session, quiz, event.enrollment.id)
        if event.status == StepStatus.FAILED and allowance.left != 0:
            return
        missed = await missed_questions(
            event.session, enrollment_id=event.enrollment.id, quiz_id=quiz_id, run=run.run
        )
        wanted = [q for q in missed if isinstance(event.program.question(quiz_id, q), RECALLABLE)]
        if not wanted:
            return
        cards = await recall_cards(
            event.session, enrollment_id=event.enrollment.id, quiz_id=quiz_id, question_ids=wanted
        )
        for question_id in wanted:
            self._renew(
                event.session, event.enrollment, quiz_id, question_id, cards.get(question_id)
            )

    async def _card(
        self, session: AsyncSession, enrollment: Enrollment, quiz_id: str, question_id: str
    ) -> None:
        card = await recall_card(
            session, enrollment_id=enrollment.id, quiz_id=quiz_id, question_id=question_id
        )
        self._renew(session, enrollment, quiz_id, question_id, card)

    def _renew(
        self,
        session: AsyncSession,
        enrollment: Enrollment,
        quiz_id: str,
        question_id: str,
        card: RecallCard | None,
    ) -> None:
        """Put the question's card (created if new) back in box 1, due tomorrow."""
        now = self.clock.now()
        if card is None:
            card = RecallCard(
                workspace_id=enrollment.workspace_id,
                enrollment_id=enrollment.id,
                quiz_id=quiz_id,
                question_id=question_id,
                created_at=now,
            )
            session.add(card)
        card.box, card.status, card.due_at, card.updated_at = (
            1,
            RecallStatus.ACTIVE,
            now + interval(1),
            now,
        )

    async def answer(self, turn: Turn, args: RecallArgs, action_input: ActionInput) -> Reply:
        card = await turn.session.get(RecallCard, args.card)
        enrollment = await turn.session.get(Enrollment, card.enrollment_id) if card else None
        if card is None or enrollment is None or enrollment.person_id != turn.person.id:
            raise BadRequest(t("recall.not_yours"))
        if (
            card.answered >= args.round
            or card.asked != args.round
            or card.status != RecallStatus.ACTIVE
        ):
            return Reply(private=(t("recall.already_recorded"),))
        program = turn.program(enrollment)
        question = program.question(card.quiz_id, card.question_id)
        if question is None:
            card.status = RecallStatus.RETIRED
            return Reply(private=(t("recall.question_gone"),))
        question = shuffled(question, card.id)
        raw = args.value or action_input.values.get(screens.ANSWER_FIELD, "")
        response = parse_response(question, raw, by_id=True)
        return self._scored(program, card, question, response)

    def _scored(
        self, program: Program, card: RecallCard, question: Question, response: object
    ) -> Reply:
        now = self.clock.now()
        score = score_answer(question, response)
        card.answered, card.updated_at = card.asked, now
        if score.correct and card.box >= len(BOXES):
            card.status = RecallStatus.RETIRED
            note = t("recall.retired")
        elif score.correct:
            card.box += 1
            card.due_at = now + interval(card.box)
            note = tn("recall.next_in", BOXES[card.box - 1])
        else:
            card.box, card.due_at = 1, now + interval(1)
            note = t("recall.tomorrow")
        quiz = _as_recalled(program, card)
        shown = screens.answered_message(
            quiz, quiz.questions.index(question), question, response, score
        )
        blocks: list[Block] = [b for b in shown.blocks if not isinstance(b, Context)]
        blocks.append(Context(note))
        return Reply(replace_source=Message(tuple(blocks), shown.fallback, f"recall:{card.id}"))
