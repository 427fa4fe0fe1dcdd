"""Neutral messages for reviewers: the queue, and one answer with Confirm and a rubric form."""

from __future__ import annotations

from typing import Any

from bot.content import Program
from bot.content.schema import FreeText, Portfolio, Question
from bot.core.text import escape_markdown, shorten
from bot.core.views import (
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
from bot.marking.actions import COMMAND, CONFIRM, OPEN, SCORE, AnswerRef
from storage.models import AttemptStatus
from storage.queries.assessment import QueueItem

REASON = "reason"
POINTS = "points"


def level_field(criterion_id: str) -> str:
    return f"level-{criterion_id}"


def _learner(item: QueueItem, program: Program | None) -> str:
    if program is not None and program.meta.review.anonymous:
        return f"learner #{item.learner.id}"
    return item.learner.display_name


def _state(item: QueueItem) -> str:
    attempt = item.attempt
    if attempt.status == AttemptStatus.PENDING and attempt.points is None:
        return "awaiting a score"
    if attempt.status == AttemptStatus.PENDING:
        return f"provisional {attempt.points:g}/{attempt.max_points:g}"
    return f"{attempt.points:g}/{attempt.max_points:g}"


def queue_message(items: list[tuple[QueueItem, Program | None]]) -> Message:
    if not items:
        return message(
            Header("Reviews"),
            Text("Nothing is waiting for review. Thank you!"),
            fallback="Nothing is waiting for review.",
        )
    blocks: list[Any] = [Header(f"Reviews waiting: {len(items)}")]
    for item, program in items[:10]:
        attempt = item.attempt
        title = program.title if program else attempt.program_id
        blocks.append(
            Text(
                f"**#{attempt.id}** · {escape_markdown(title)} · {attempt.quiz_id}/"
                f"{attempt.question_id} · {escape_markdown(_learner(item, program))} · "
                f"{_state(item)}"
            )
        )
        blocks.append(
            Buttons(
                (
                    Button(
                        f"Review #{attempt.id}",
                        OPEN(AnswerRef(attempt=attempt.id)),
                        command=f"{COMMAND} {attempt.id}",
                    ),
                )
            )
        )
    if len(items) > 10:
        blocks.append(Context(f"{len(items) - 10} more: work through these first."))
    return message(*blocks, fallback=f"{len(items)} answers waiting for review")


def _rubric_form(item: QueueItem, question: FreeText | Portfolio) -> Form:
    suggested = dict((item.attempt.scoring or {}).get("levels") or {})
    fields: list[Any] = []
    for criterion in question.rubric.criteria:
        options = tuple(Option(lvl.id, f"{lvl.label} ({lvl.points:g})") for lvl in criterion.levels)
        initial = (suggested[criterion.id],) if criterion.id in suggested else ()
        fields.append(
            ChoiceField(level_field(criterion.id), criterion.title, options, False, initial)
        )
    fields.append(TextField(REASON, "Reason (the learner sees it)", max_length=500))
    submit = Button("Save score", SCORE(AnswerRef(attempt=item.attempt.id)), "primary")
    return Form("Score with the rubric", tuple(fields), submit)


def _points_form(item: QueueItem) -> Form:
    fields = (
        TextField(POINTS, f"Points (0–{item.attempt.max_points:g})", numeric=True, max_length=10),
        TextField(REASON, "Reason (the learner sees it)", max_length=500),
    )
    submit = Button("Save score", SCORE(AnswerRef(attempt=item.attempt.id)), "primary")
    return Form("Override the score", fields, submit)


def review_message(item: QueueItem, program: Program, question: Question) -> Message:
    """One answer to review: what was asked, what was written, the score so far, and actions."""
    attempt = item.attempt
    scoring = dict(attempt.scoring or {})
    blocks: list[Any] = [
        Header(f"Review answer #{attempt.id}"),
        Context(
            f"{program.title} · {attempt.quiz_id} · by {_learner(item, program)} · {_state(item)}"
        ),
        Text(shorten(question.prompt, 1500)),
        Text("**Answer:**\n\n> " + escape_markdown(shorten(str(attempt.response), 2500))),
    ]
    if attempt.points is not None:
        lines = "\n".join(str(line) for line in (attempt.feedback or []))
        blocks.append(Text(f"**Score so far ({attempt.scorer}):**\n{lines}"))
    if scoring.get("reason"):
        blocks.append(Context(f"Why it is here: {shorten(str(scoring['reason']), 300)}"))
    if attempt.status == AttemptStatus.PENDING and attempt.points is not None:
        confirm = Button(
            f"Confirm {attempt.points:g}/{attempt.max_points:g}",
            CONFIRM(AnswerRef(attempt=attempt.id)),
            "primary",
            f"{COMMAND} confirm {attempt.id}",
        )
        blocks.append(Buttons((confirm,)))
    if isinstance(question, FreeText | Portfolio):
        blocks.append(_rubric_form(item, question))
    else:
        blocks.append(_points_form(item))
    blocks.append(
        Context(f"Or type `{COMMAND} override {attempt.id} POINTS REASON` to set the points.")
    )
    return message(*blocks, fallback=f"Review answer #{attempt.id}", key=f"review:{attempt.id}")
