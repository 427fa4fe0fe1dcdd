"""The learner's side: `portfolio` (status, drafts, submitting) and the submission form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.content.schema import Portfolio, Quiz
from bot.core.errors import BadRequest
from bot.core.events import ActionInput
from bot.core.text import escape_markdown
from bot.core.views import Action, Context, Header, Reply, Text, message, say
from bot.learning.answers import answer, open_question
from bot.learning.screens.rubric import rubric_text
from bot.learning.turn import Turn
from bot.review import submissions, thread
from bot.review.actions import SUBMIT, SubmitArgs
from bot.review.env import Env
from bot.review.forms import INTENT, LINKS, NAMED, WRITEUP, flat, portfolio_form
from bot.review.views import status_line
from storage.models import Enrollment, PeerSubmission, SubmissionStatus
from storage.queries import review as q


@dataclass(frozen=True)
class Task:
    """The portfolio the learner can work on now: a new one, or one to revise."""

    enrollment: Enrollment
    quiz: Quiz
    question: Portfolio
    submission: PeerSubmission | None

    @property
    def action(self) -> Action:
        if self.submission is not None:
            return SUBMIT(SubmitArgs(submission=self.submission.id))
        ref = f"{self.quiz.id}/{self.question.id}"
        return SUBMIT(
            SubmitArgs(enrollment=self.enrollment.id, question=ref, run=self.enrollment.quiz_run)
        )


async def current_task(turn: Turn) -> Task | None:
    for sub in await q.submissions_of(turn.session, author_id=turn.person.id):
        if sub.status == SubmissionStatus.CHANGES_REQUESTED:
            enrollment = await turn.enrollment(sub.enrollment_id)
            program = turn.program(enrollment) if enrollment else None
            question = program.question(sub.quiz_id, sub.question_id) if program else None
            if enrollment and program and isinstance(question, Portfolio):
                return Task(enrollment, program.quizzes[sub.quiz_id], question, sub)
    enrollment = await turn.enrollment()
    if enrollment is None:
        return None
    found = await open_question(turn.session, turn.program(enrollment), enrollment)
    if found is None or not isinstance(found[0].questions[found[1]], Portfolio):
        return None
    quiz, index = found
    question = quiz.questions[index]
    assert isinstance(question, Portfolio)
    return Task(enrollment, quiz, question, None)


async def overview(turn: Turn, env: Env) -> Reply:
    """Where each submission stands, and the form of the task open now (with the draft)."""
    blocks: list[Any] = [Header("Your portfolio work")]
    latest = (await q.submissions_of(turn.session, author_id=turn.person.id))[:10]
    for shown in await thread.facts_of(turn.session, env, latest):
        row = shown.sub
        blocks.append(
            Text(
                f"**{escape_markdown(shown.quiz.title)}** ({escape_markdown(shown.program.title)})"
                f" · version {row.version} · {status_line(shown)}"
            )
        )
    task = await current_task(turn)
    if task is not None:
        kept = await q.draft(
            turn.session,
            enrollment_id=task.enrollment.id,
            quiz_id=task.quiz.id,
            question_id=task.question.id,
        )
        sub = task.submission
        writeup = kept.writeup if kept else (sub.writeup if sub else "")
        links = kept.links if kept else (sub.links if sub else "")
        blocks += [
            Text(task.question.instructions),
            rubric_text(task.question.rubric),
            portfolio_form(
                task.question,
                task.action,
                writeup=writeup,
                links=links,
                named=bool(sub and sub.named),
                anonymous=turn.program(task.enrollment).meta.review.anonymous,
            ),
        ]
        if kept:
            blocks.append(Context("Your draft is filled in above."))
    if len(blocks) == 1:
        blocks.append(Text("No portfolio task is open. Type `next` for your current step."))
    return Reply((message(*blocks, fallback="Your portfolio work"),))


async def draft(turn: Turn, task: Task, writeup: str, links: str) -> Reply:
    await q.save_draft(
        turn.session,
        enrollment_id=task.enrollment.id,
        quiz_id=task.quiz.id,
        question_id=task.question.id,
        writeup=writeup,
        links=links,
    )
    return say("💾 Draft kept. Type `portfolio` to go on with it; nothing was sent yet.")


async def submit(
    turn: Turn, env: Env, task: Task, writeup: str, links: str, named: bool | None
) -> Reply:
    """Send it: the first version through the journey's answer, later ones as new versions."""
    reason = submissions.problem(task.question, writeup, links)
    if reason:
        await draft(turn, task, writeup, links)
        return submissions.kept(reason, writeup)
    text = submissions.combine(writeup, links)
    if task.submission is not None:
        return await submissions.resubmit(
            turn.session, env, task.submission.id, writeup, links, named
        )
    ref = f"{task.quiz.id}/{task.question.id}"
    reply = await answer(
        turn, task.enrollment, ref, task.enrollment.quiz_run, text, from_button=False
    )
    sub = await q.submission_for(
        turn.session,
        enrollment_id=task.enrollment.id,
        quiz_id=task.quiz.id,
        question_id=task.question.id,
        run=task.enrollment.quiz_run,
    )
    if sub is not None and named is not None and sub.named != named:
        sub.named = named
        await env.outbox.refresh(turn.session, sub)
    return reply


async def attach(turn: Turn, task: Task, urls: str) -> Reply:
    """A file shared in the chat (or a link typed): added to the draft's links."""
    kept = await q.draft(
        turn.session,
        enrollment_id=task.enrollment.id,
        quiz_id=task.quiz.id,
        question_id=task.question.id,
    )
    sub = task.submission
    writeup = kept.writeup if kept else (sub.writeup if sub else "")
    links = (kept.links if kept else (sub.links if sub else "")).splitlines()
    added = [u for u in urls.split() if u.startswith(("http://", "https://")) and u not in links]
    if not added:
        raise BadRequest(
            "Give a link that starts with https://, like `portfolio attach https://…`."
        )
    await draft(turn, task, writeup, "\n".join([*links, *added]))
    return say(
        f"📎 Added to your portfolio draft: {', '.join(added)}. Type `portfolio` to finish "
        "and submit it."
    )


async def command(turn: Turn, env: Env, arg: str) -> Reply:
    """`portfolio`, `portfolio draft TEXT`, `portfolio submit TEXT`, `portfolio attach URL`."""
    head, _, rest = arg.strip().partition(" ")
    if not head:
        return await overview(turn, env)
    if head.lower() not in ("draft", "submit", "attach"):
        raise BadRequest(
            "Try `portfolio`, `portfolio draft YOUR TEXT`, `portfolio submit YOUR TEXT` or "
            "`portfolio attach LINK`."
        )
    task = await current_task(turn)
    if task is None:
        raise BadRequest("No portfolio task is open right now. Type `next` for your current step.")
    if head.lower() == "attach":
        return await attach(turn, task, rest)
    writeup, links = submissions.split(rest.strip())
    if head.lower() == "draft":
        return await draft(turn, task, writeup, links)
    return await submit(turn, env, task, writeup, links, None)


async def _task_of(turn: Turn, args: SubmitArgs) -> Task | None:
    """The task a submission form belongs to (it must be the person's own)."""
    if args.submission is not None:
        sub = await q.submission(turn.session, submission_id=args.submission)
        if sub is None or sub.author_id != turn.person.id:
            return None
        enrollment = await turn.enrollment(sub.enrollment_id)
        quiz_id, question_id = sub.quiz_id, sub.question_id
    else:
        enrollment = await turn.enrollment(args.enrollment)
        quiz_id, _, question_id = args.question.partition("/")
        sub = None
    program = turn.program(enrollment) if enrollment is not None else None
    question = program.question(quiz_id, question_id) if program else None
    if enrollment is None or program is None or not isinstance(question, Portfolio):
        return None
    return Task(enrollment, program.quizzes[quiz_id], question, sub)


async def submit_action(turn: Turn, env: Env, args: SubmitArgs, action_input: ActionInput) -> Reply:
    """The submission form: write-up, links, naming, and submit or keep as a draft."""
    values = flat(action_input.values)
    task = await _task_of(turn, args)
    if task is None:
        return Reply(private=("That form is closed: type `portfolio` to see where it stands.",))
    writeup, links = values.get(WRITEUP, ""), values.get(LINKS, "")
    named = {"yes": True, "no": False}.get(values.get(NAMED, ""))
    if values.get(INTENT) == "draft":
        return await draft(turn, task, writeup, links)
    return await submit(turn, env, task, writeup, links, named)
