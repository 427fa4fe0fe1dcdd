"""A question as asked, and as answered with its verdict."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.assessment.responses import option_letter
from bot.assessment.score import Score
from bot.content import Program
from bot.content.schema import (
    FreeText,
    MultipleChoice,
    Numeric,
    Portfolio,
    Question,
    Quiz,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
    max_points,
)
from bot.core.copy import t
from bot.core.text import escape_markdown, plain_text, shorten
from bot.core.views import (
    Action,
    Button,
    Buttons,
    ChoiceField,
    Context,
    Form,
    Header,
    Message,
    Option,
    Text,
    TextField,
    message,
)
from bot.learning import actions as a
from bot.learning.screens.common import ANSWER_FIELD, out_of, points
from bot.learning.screens.rubric import rubric_text


def _choice_lines(question: SingleChoice | MultipleChoice) -> str:
    # One paragraph per option: CommonMark would join single newlines into one line.
    return "\n\n".join(f"**{option_letter(i)}.** {o.text}" for i, o in enumerate(question.options))


def _answer_input(question: Question, args: a.AnswerArgs) -> tuple[Any, ...]:
    def choose(value: str) -> Action:
        return a.ANSWER(replace(args, value=value))

    if isinstance(question, SingleChoice):
        buttons = tuple(
            Button(
                option_letter(i),
                choose(o.id),
                command=option_letter(i).lower(),
            )
            for i, o in enumerate(question.options)
        )
        return (Text(_choice_lines(question)), Buttons(buttons))
    if isinstance(question, TrueFalse):
        return (
            Buttons(
                (
                    Button(t("question.true"), choose("true"), command="true"),
                    Button(t("question.false"), choose("false"), command="false"),
                )
            ),
        )
    submit = Button(t("question.submit"), a.ANSWER(args), "primary")
    if isinstance(question, MultipleChoice):
        options = tuple(
            Option(o.id, f"{option_letter(i)}. {shorten(plain_text(o.text), 70)}")
            for i, o in enumerate(question.options)
        )
        choices = ChoiceField(ANSWER_FIELD, t("question.pick_all"), options, multiple=True)
        return (Text(_choice_lines(question)), Form(t("question.your_answer"), (choices,), submit))
    if isinstance(question, Numeric):
        label = (
            t("question.your_answer_in", unit=question.unit)
            if question.unit
            else t("question.your_answer")
        )
        return (
            Form(
                t("question.your_answer"),
                (TextField(ANSWER_FIELD, label, numeric=True, max_length=40),),
                submit,
            ),
        )
    if isinstance(question, ShortAnswer):
        return (
            Form(
                t("question.your_answer"),
                (TextField(ANSWER_FIELD, t("question.your_answer"), max_length=200),),
                submit,
            ),
        )
    if isinstance(question, FreeText):
        field = TextField(
            ANSWER_FIELD,
            t("question.your_answer"),
            True,
            min_length=question.min_length,
            max_length=question.max_length,
        )
        return (_rubric_context(question), Form(t("question.your_answer"), (field,), submit))
    assert isinstance(question, Portfolio)
    field = TextField(ANSWER_FIELD, t("question.write_up"), True, max_length=question.max_length)
    return (
        Text(question.instructions),
        rubric_text(question.rubric),
        Form(t("question.your_submission"), (field,), submit),
        Context(t("question.portfolio_hint")),
    )


def _rubric_context(question: FreeText | Portfolio) -> Context:
    criteria = " · ".join(c.title for c in question.rubric.criteria)
    return Context(t("question.scored_against", criteria=criteria))


def question_message(
    program: Program,
    quiz: Quiz,
    index: int,
    enrollment_id: int,
    run: int,
    notices: tuple[str, ...] = (),
) -> Message:
    question = quiz.questions[index]
    args = a.AnswerArgs(enrollment=enrollment_id, question=f"{quiz.id}/{question.id}", run=run)
    hint = t(
        {
            SingleChoice: "question.hint_letter",
            MultipleChoice: "question.hint_letters",
            TrueFalse: "question.hint_true_false",
        }.get(type(question), "question.hint_answer")
    )
    number, total = index + 1, len(quiz.questions)
    return message(
        Header(shorten(quiz.title, 150)),
        Text(question.prompt),
        *_answer_input(question, args),
        *(Context(notice) for notice in notices if notice),
        Context(
            t(
                "question.progress",
                number=number,
                total=total,
                points=points(max_points(question)),
                hint=hint,
            )
        ),
        fallback=t(
            "question.fallback", number=number, total=total, prompt=shorten(question.prompt, 120)
        ),
        key=f"{enrollment_id}:quiz:{quiz.id}:{run}:{question.id}",
    )


def describe_response(question: Question, response: Any) -> str:
    if isinstance(question, SingleChoice | MultipleChoice):
        picked = [response] if isinstance(response, str) else list(response)
        return ", ".join(
            f"{option_letter(i)}. {o.text}"
            for i, o in enumerate(question.options)
            if o.id in picked
        )
    if isinstance(question, TrueFalse):
        return t("question.true") if response else t("question.false")
    if isinstance(question, Numeric):
        return f"{response:g} {question.unit}".strip()
    return escape_markdown(shorten(str(response), 600))


def correct_answer(question: Question) -> str:
    """The correct answer in words ("" when it takes a judgement, as rubric answers do)."""
    if isinstance(question, SingleChoice | MultipleChoice):
        return describe_response(question, [o.id for o in question.options if o.correct])
    if isinstance(question, TrueFalse):
        return t("question.true") if question.answer else t("question.false")
    if isinstance(question, Numeric):
        return f"{question.answer:g} {question.unit}".strip()
    if isinstance(question, ShortAnswer) and question.accepted:
        return question.accepted[0]
    return ""


def _rubric_verdict(question: FreeText | Portfolio, score: Score) -> str:
    got = t("answer.got", points=score.points or 0, out_of=out_of(score.max_points))
    if score.provisional:
        return t("answer.provisional", got=got)
    if score.correct:
        return t("answer.passed", got=got)
    return t("answer.not_yet", got=got, needed=question.rubric.pass_mark)


def answered_message(
    quiz: Quiz,
    index: int,
    question: Question,
    response: Any,
    score: Score,
    *,
    reveal: bool = True,
    note: str = "",
    keep: Action | None = None,
) -> Message:
    """The question as answered: the choice, the verdict in words, and why.

    `reveal` shows the correct answer and explanation; `note` and `keep` offer another try.
    """
    blocks: list[Any] = [
        Header(shorten(quiz.title, 150)),
        Text(question.prompt),
        Text(t("answer.yours", answer=describe_response(question, response))),
    ]
    if isinstance(question, FreeText | Portfolio) and score.points is not None:
        verdict = _rubric_verdict(question, score)
    elif score.pending:
        verdict = t("answer.received")
    elif score.correct:
        verdict = t("answer.correct", points=score.points or 0, out_of=out_of(score.max_points))
    elif score.points:
        verdict = t("answer.partly", points=score.points, out_of=out_of(score.max_points))
    else:
        answer = correct_answer(question) if reveal else ""
        verdict = (
            t("answer.not_quite_reveal", answer=answer.rstrip("."))
            if answer
            else t("answer.not_quite")
        )
    blocks.append(Text(verdict))
    shown = score.points is not None
    notes = [*score.feedback, question.explanation if reveal else ""] if shown else []
    if any(notes):
        blocks.append(Text("\n\n".join(n for n in notes if n)))
    if note:
        blocks.append(Text(note))
    if keep is not None:
        blocks.append(Buttons((Button(t("answer.keep"), keep, command="keep-answer"),)))
    blocks.append(
        Context(t("question.answered_progress", number=index + 1, total=len(quiz.questions)))
    )
    return message(*blocks, fallback=verdict)
