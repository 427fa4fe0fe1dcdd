"""Builders of the neutral messages a learner sees (lessons, questions, feedback, progress)."""

from __future__ import annotations

from typing import Any

from bot.assessment.responses import option_letter
from bot.assessment.score import Score
from bot.content import Catalog, Lesson, Program
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
from bot.core.text import escape_markdown, shorten
from bot.core.views import (
    Action,
    Button,
    Buttons,
    ChoiceField,
    Context,
    Divider,
    Form,
    Header,
    Message,
    Option,
    Text,
    TextField,
    message,
)
from bot.learning.progress import QuizResult, Standing

ANSWER_FIELD = "answer"


def _points(value: float) -> str:
    return f"{value:g} point" + ("" if value == 1 else "s")


def help_message(has_enrollments: bool) -> Message:
    lines = [
        "I deliver short lessons and quizzes and track your progress towards a credential.",
        "",
        "• `catalog`: the programs you can take",
        "• `start <program>`: begin a program",
        "• `next`: your next lesson or question",
        "• `progress`: where you stand",
        "• `pause` / `resume`: stop and restart scheduled lessons",
        "• `settings`: your time zone and lesson rhythm",
    ]
    primary = Button("Next step", Action.of("next"), "primary", "next")
    catalog = Button("Browse programs", Action.of("catalog"), "primary", "catalog")
    buttons = (
        (primary, Button("My progress", Action.of("progress"), command="progress"))
        if (has_enrollments)
        else (catalog,)
    )
    return message(
        Header("Learning in chat"),
        Text("\n".join(lines)),
        Buttons(buttons),
        fallback="What I can do: catalog, start, next, progress, pause, resume, settings.",
    )


def catalog_message(catalog: Catalog, enrolled: set[str]) -> Message:
    blocks: list[Any] = [Header("Programs")]
    for program in catalog:
        lessons = sum(1 for s in program.steps if s.kind == "lesson")
        quizzes = len(program.steps) - lessons
        blocks.append(
            Text(
                f"**{program.title}**\n{program.meta.summary}\n"
                f"{lessons} lessons · {quizzes} quizzes · earns *{program.meta.badge.name}*"
            )
        )
        label = "Continue" if program.id in enrolled else "Start"
        blocks.append(
            Buttons(
                (
                    Button(
                        f"{label}: {shorten(program.title, 60)}",
                        Action.of("start", program=program.id),
                        "primary",
                        f"start {program.id}",
                    ),
                )
            )
        )
    if len(blocks) == 1:
        blocks.append(Text("No programs are installed yet."))
    return message(*blocks, fallback="Programs you can take")


def lesson_page(program: Program, lesson: Lesson, page: int, enrollment_id: int) -> Message:
    step_no = next(i for i, s in enumerate(program.steps, 1) if s.key == f"lesson:{lesson.id}")
    pages = len(lesson.pages)
    title = lesson.meta.title if page == 0 else f"{lesson.meta.title} (continued)"
    where = f"Step {step_no} of {len(program.steps)} · {program.title}"
    page_info = f" · page {page + 1} of {pages}" if pages > 1 else ""
    last = page + 1 >= pages
    button = (
        Button(
            "Continue",
            Action.of("continue", e=enrollment_id, s=f"lesson:{lesson.id}"),
            "primary",
            "next",
        )
        if last
        else Button(
            "Next page",
            Action.of("page", e=enrollment_id, s=f"lesson:{lesson.id}", p=page),
            "primary",
            "next",
        )
    )
    return message(
        Header(shorten(title, 150)),
        Text(lesson.pages[page]),
        Context(f"{where}{page_info} · about {lesson.meta.minutes} min"),
        Buttons((button,)),
        fallback=f"{lesson.meta.title}: page {page + 1} of {pages}",
        key=f"{enrollment_id}:lesson:{lesson.id}:{page}",
    )


def _choice_lines(question: SingleChoice | MultipleChoice) -> str:
    return "\n".join(f"**{option_letter(i)}.** {o.text}" for i, o in enumerate(question.options))


def _answer_input(question: Question, action: Action) -> tuple[Any, ...]:
    if isinstance(question, SingleChoice):
        buttons = tuple(
            Button(
                option_letter(i),
                Action(action.name, (*action.args, ("v", o.id))),
                command=option_letter(i).lower(),
            )
            for i, o in enumerate(question.options)
        )
        return (Text(_choice_lines(question)), Buttons(buttons))
    if isinstance(question, TrueFalse):
        return (
            Buttons(
                (
                    Button(
                        "True", Action(action.name, (*action.args, ("v", "true"))), command="true"
                    ),
                    Button(
                        "False",
                        Action(action.name, (*action.args, ("v", "false"))),
                        command="false",
                    ),
                )
            ),
        )
    submit = Button("Submit answer", action, "primary")
    if isinstance(question, MultipleChoice):
        options = tuple(
            Option(o.id, f"{option_letter(i)}. {shorten(o.text, 70)}")
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
        _rubric_context(question),
        Form("Your submission", (field,), submit),
    )


def _rubric_context(question: FreeText | Portfolio) -> Context:
    criteria = " · ".join(c.title for c in question.rubric.criteria)
    return Context(f"Scored against: {criteria}")


def question_message(
    program: Program, quiz: Quiz, index: int, enrollment_id: int, run: int
) -> Message:
    question = quiz.questions[index]
    action = Action.of("answer", e=enrollment_id, q=f"{quiz.id}/{question.id}", r=run)
    hint = {
        SingleChoice: "Reply with a letter, or click one.",
        MultipleChoice: "Reply with every letter that applies, like `a, c`.",
        TrueFalse: "Reply true or false.",
    }.get(type(question), "Reply with your answer.")
    return message(
        Header(shorten(quiz.title, 150)),
        Text(question.prompt),
        *_answer_input(question, action),
        Context(
            f"Question {index + 1} of {len(quiz.questions)} · "
            f"{_points(max_points(question))} · {hint}"
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


def _correct_answer(question: Question) -> str:
    if isinstance(question, SingleChoice | MultipleChoice):
        return describe_response(question, [o.id for o in question.options if o.correct])
    if isinstance(question, TrueFalse):
        return "True" if question.answer else "False"
    if isinstance(question, Numeric):
        return f"{question.answer:g} {question.unit}".strip()
    if isinstance(question, ShortAnswer) and question.accepted:
        return question.accepted[0]
    return ""


def answered_message(
    quiz: Quiz, index: int, question: Question, response: Any, score: Score
) -> Message:
    """The question as answered: the choice, the verdict in words, and why."""
    blocks: list[Any] = [
        Header(shorten(quiz.title, 150)),
        Text(question.prompt),
        Text(f"**Your answer:** {describe_response(question, response)}"),
    ]
    if score.pending:
        verdict = (
            "📝 Received. This answer will be scored against the rubric; until then it does "
            "not count towards completion."
        )
    elif score.correct:
        verdict = f"✅ Correct: {_points(score.points or 0)} of {score.max_points:g}."
    elif score.points:
        verdict = f"🟡 Partly right: {score.points:g} of {_points(score.max_points)}."
    else:
        answer = _correct_answer(question)
        verdict = "❌ Not quite." + (f" The answer is: **{answer.rstrip('.')}**" if answer else "")
    blocks.append(Text(verdict))
    notes = [*score.feedback, question.explanation] if not score.pending else []
    if any(notes):
        blocks.append(Text("\n\n".join(n for n in notes if n)))
    blocks.append(Context(f"Question {index + 1} of {len(quiz.questions)} · answered"))
    return message(*blocks, fallback=verdict)


def quiz_result_message(
    quiz: Quiz, result: QuizResult, enrollment_id: int, has_next: bool
) -> Message:
    percent = f"{result.percent:.0f} %"
    if result.status == "passed":
        headline = f"✅ Passed: {result.points:g} of {result.max_points:g} points ({percent})."
    elif result.status == "failed":
        headline = (
            f"Not yet: {result.points:g} of {result.max_points:g} points ({percent}); "
            f"the pass mark is {result.pass_mark:g} %. Review the lessons and retake it when ready."
        )
    else:
        headline = (
            f"{result.points:g} of {result.max_points:g} points so far; {result.pending} "
            f"answer{'s' if result.pending != 1 else ''} awaiting review before this quiz counts."
        )
    buttons = []
    if has_next:
        buttons.append(
            Button(
                "Continue",
                Action.of("continue", e=enrollment_id, s=f"quiz:{quiz.id}"),
                "primary",
                "next",
            )
        )
    if result.status == "failed":
        buttons.append(
            Button(
                "Retake quiz",
                Action.of("retake", e=enrollment_id, quiz=quiz.id),
                command=f"retake {quiz.id}",
            )
        )
    blocks: list[Any] = [Header(f"{shorten(quiz.title, 120)}: result"), Text(headline)]
    if buttons:
        blocks.append(Buttons(tuple(buttons)))
    return message(*blocks, fallback=headline)


def finished_message(standing: Standing) -> Message:
    program = standing.program
    enrollment_id = standing.enrollment.id
    if standing.complete:
        text = (
            f"🎓 You completed **{program.title}**: every required quiz is passed. "
            f"Your credential *{program.meta.badge.name}* is on its way."
        )
        return message(
            Header("Program complete"), Text(text), fallback=f"You completed {program.title}"
        )
    blocks: list[Any] = [
        Header("Every step done"),
        Text(f"You have worked through every step of **{program.title}**."),
    ]
    pending = standing.quizzes("pending")
    failed = standing.quizzes("failed")
    if pending:
        titles = ", ".join(program.quizzes[q].title for q in pending)
        blocks.append(
            Text(f"📝 Awaiting review: {titles}. Your credential follows once they pass.")
        )
    if failed:
        titles = ", ".join(program.quizzes[q].title for q in failed)
        blocks.append(Text(f"To earn the credential, pass: {titles}."))
        blocks.append(
            Buttons(
                tuple(
                    Button(
                        f"Retake {shorten(program.quizzes[q].title, 60)}",
                        Action.of("retake", e=enrollment_id, quiz=q),
                        command=f"retake {q}",
                    )
                    for q in failed[:5]
                )
            )
        )
    return message(*blocks, fallback=f"Every step of {program.title} done")


def progress_message(standings: list[Standing]) -> Message:
    if not standings:
        return message(
            Header("Your progress"),
            Text("You are not enrolled in a program yet."),
            Buttons((Button("Browse programs", Action.of("catalog"), "primary", "catalog"),)),
            fallback="You are not enrolled in a program yet.",
        )
    blocks: list[Any] = [Header("Your progress")]
    for st in standings:
        total = len(st.program.steps)
        status = st.enrollment.status
        state = {
            "completed": "🎓 completed",
            "paused": "⏸ paused",
            "finished": "all steps done",
        }.get(status, "in progress")
        parts = [f"{st.steps_done} of {total} steps", state]
        if passed := st.quizzes("passed"):
            parts.append(f"{len(passed)} quiz{'zes' if len(passed) != 1 else ''} passed")
        if pending := st.quizzes("pending"):
            parts.append(f"{len(pending)} awaiting review")
        blocks.append(Text(f"**{st.program.title}**\n" + " · ".join(parts)))
        if status in ("active", "paused"):
            blocks.append(
                Buttons(
                    (Button("Continue", Action.of("next", e=st.enrollment.id), "primary", "next"),)
                )
            )
        blocks.append(Divider())
    return message(*blocks[:-1], fallback="Your progress")


def settings_message(timezone: str, cadence: str, paused: bool) -> Message:
    form = Form(
        "Your settings",
        (
            TextField(
                "timezone", "Time zone (like Europe/Berlin)", max_length=64, initial=timezone
            ),
            TextField(
                "cadence", "Lesson rhythm (like weekdays 09:30)", max_length=64, initial=cadence
            ),
        ),
        Button("Save settings", Action.of("settings"), "primary"),
    )
    state = "paused" if paused else "on"
    return message(
        Header("Settings"),
        Text(
            f"Time zone: **{timezone or 'not set (UTC)'}** · rhythm: **{cadence}** · "
            f"scheduled lessons: **{state}**"
        ),
        form,
        Context(
            "Type `settings timezone Europe/Paris` or `settings cadence mon,wed,fri 14:00` "
            "to change one."
        ),
        fallback="Your settings",
    )
