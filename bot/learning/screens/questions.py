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
from bot.learning.screens.common import ANSWER_FIELD, points
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
                    Button("True", choose("true"), command="true"),
                    Button("False", choose("false"), command="false"),
                )
            ),
        )
    submit = Button("Submit answer", a.ANSWER(args), "primary")
    if isinstance(question, MultipleChoice):
        options = tuple(
            Option(o.id, f"{option_letter(i)}. {shorten(plain_text(o.text), 70)}")
            for i, o in enumerate(question.options)
        )
        choices = ChoiceField(
            ANSWER_FIELD, "Pick every answer that applies", options, multiple=True
        )
        return (Text(_choice_lines(question)), Form("Your answer", (choices,), submit))
    if isinstance(question, Numeric):
        label = f"Your answer ({question.unit})" if question.unit else "Your answer"
        return (
            Form(
                "Your answer",
                (TextField(ANSWER_FIELD, label, numeric=True, max_length=40),),
                submit,
            ),
        )
    if isinstance(question, ShortAnswer):
        return (
            Form("Your answer", (TextField(ANSWER_FIELD, "Your answer", max_length=200),), submit),
        )
    if isinstance(question, FreeText):
        field = TextField(
            ANSWER_FIELD,
            "Your answer",
            True,
            min_length=question.min_length,
            max_length=question.max_length,
        )
        return (_rubric_context(question), Form("Your answer", (field,), submit))
    assert isinstance(question, Portfolio)
    field = TextField(ANSWER_FIELD, "Your write-up and links", True, max_length=question.max_length)
    return (
        Text(question.instructions),
        rubric_text(question.rubric),
        Form("Your submission", (field,), submit),
        Context(
            "Peers review it against this rubric. Add links to documents or pull requests; "
            "a file shared in this chat is added by its link. `portfolio` keeps a draft."
        ),
    )


def _rubric_context(question: FreeText | Portfolio) -> Context:
    criteria = " · ".join(c.title for c in question.rubric.criteria)
    return Context(f"Scored against: {criteria}")


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
    hint = {
        SingleChoice: "Reply with a letter, or click one.",
        MultipleChoice: "Reply with every letter that applies, like `a, c`.",
        TrueFalse: "Reply true or false.",
    }.get(type(question), "Reply with your answer.")
    return message(
        Header(shorten(quiz.title, 150)),
        Text(question.prompt),
        *_answer_input(question, args),
        *(Context(notice) for notice in notices if notice),
        Context(
            f"Question {index + 1} of {len(quiz.questions)} · "
            f"{points(max_points(question))} · {hint}"
        ),
        fallback=f"Question {index + 1} of {len(quiz.questions)}: {shorten(question.prompt, 120)}",
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
        return "True" if response else "False"
    if isinstance(question, Numeric):
        return f"{response:g} {question.unit}".strip()
    return escape_markdown(shorten(str(response), 600))


def correct_answer(question: Question) -> str:
    """The correct answer in words ("" when it takes a judgement, as rubric answers do)."""
    if isinstance(question, SingleChoice | MultipleChoice):
        return describe_response(question, [o.id for o in question.options if o.correct])
    if isinstance(question, TrueFalse):
        return "True" if question.answer else "False"
    if isinstance(question, Numeric):
        return f"{question.answer:g} {question.unit}".strip()
    if isinstance(question, ShortAnswer) and question.accepted:
        return question.accepted[0]
    return ""


def _rubric_verdict(question: FreeText | Portfolio, score: Score) -> str:
    got = f"{score.points or 0:g} of {points(score.max_points)}"
    if score.provisional:
        return (
            f"⏳ Provisional: {got}. A reviewer will confirm this score; until then it does "
            "not count towards completion."
        )
    if score.correct:
        return f"✅ Passed: {got}."
    return f"Not yet: {got}; {question.rubric.pass_mark:g} needed to pass."


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
        Text(f"**Your answer:** {describe_response(question, response)}"),
    ]
    if isinstance(question, FreeText | Portfolio) and score.points is not None:
        verdict = _rubric_verdict(question, score)
    elif score.pending:
        verdict = (
            "📝 Received. This answer will be scored against the rubric; until then it does "
            "not count towards completion."
        )
    elif score.correct:
        verdict = f"✅ Correct: {points(score.points or 0)} of {score.max_points:g}."
    elif score.points:
        verdict = f"🟡 Partly right: {score.points:g} of {points(score.max_points)}."
    else:
        answer = correct_answer(question) if reveal else ""
        verdict = "❌ Not quite." + (f" The answer is: **{answer.rstrip('.')}**" if answer else "")
    blocks.append(Text(verdict))
    shown = score.points is not None
    notes = [*score.feedback, question.explanation if reveal else ""] if shown else []
    if any(notes):
        blocks.append(Text("\n\n".join(n for n in notes if n)))
    if note:
        blocks.append(Text(note))
    if keep is not None:
        blocks.append(Buttons((Button("Keep this answer", keep, command="keep-answer"),)))
    blocks.append(Context(f"Question {index + 1} of {len(quiz.questions)} · answered"))
    return message(*blocks, fallback=verdict)
