"""`microcred reviews pending|decide|assign|sweep`: peer review from the shell."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from bot.application import Application
from bot.cli.people import named_person, workspace_option
from bot.cli.report import short_time, table
from bot.cli.runtime import run_with_services
from bot.core.errors import BadRequest, CannotProceed
from bot.core.views import Reply
from bot.learning.audit import audit
from bot.review import admin, decisions, thread
from bot.review.env import Env
from bot.review.forms import typed_review
from storage.models import AuditAction, Person
from storage.queries import review as q


def _env(services: Application) -> Env:
    return services.reviews.env


@click.group("reviews")
def reviews_group() -> None:
    """Peer review of portfolios: what waits, and deciding or adding reviewers by hand."""


@reviews_group.command("pending")
@workspace_option()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def pending(workspace: str, as_json: bool) -> None:
    """Portfolios not decided yet, each reviewer's state, reminders, reassignment, escalation."""

    async def work(services: Application) -> list[admin.PendingRow]:
        async with services.database.transaction() as session:
            return await admin.pending(session, _env(services), workspace_id=workspace)

    rows = run_with_services(work)
    if as_json:
        for row in rows:
            click.echo(json.dumps(asdict(row), default=str))
        return
    if not rows:
        click.echo(f"no portfolio waits for review in workspace {workspace}", err=True)
        return
    lines = []
    for row in rows:
        reviewers = "; ".join(
            f"{r.name} ({r.source}) {r.state}" + (f", {r.next_step}" if r.next_step else "")
            for r in row.reviewers
        )
        lines.append(
            (
                row.id,
                row.program_id,
                row.author or "-",
                f"v{row.version}",
                row.status + (" · escalated" if row.escalated else ""),
                short_time(row.submitted_at),
                short_time(row.due_at),
                reviewers or "nobody yet",
            )
        )
    headers = ("id", "program", "author", "ver", "status", "submitted", "due", "reviewers")
    click.echo(table(headers, lines))
    for row in rows:
        if row.fallback:
            click.echo(f"#{row.id}: {row.fallback}")


def _notes(notes: tuple[str, ...]) -> dict[str, str]:
    found = {}
    for part in notes:
        criterion, sep, text = part.partition("=")
        if not sep:
            raise click.BadParameter("use CRITERION=TEXT", param_hint="--note")
        found[criterion.strip()] = text.strip()
    return found


@reviews_group.command("decide")
@click.argument("submission_id", type=int, metavar="ID")
@click.option("--reviewer", required=True, help="The assigned reviewer: identity or e-mail.")
@click.option("--approve", "decision", flag_value="approve", help="Approve this version.")
@click.option("--changes", "decision", flag_value="changes", help="Request changes.")
@click.option("--levels", required=True, help="One level per criterion, in the rubric's order.")
@click.option("--comment", default="", help="A comment for the criteria below their top level.")
@click.option("--note", "notes", multiple=True, help="CRITERION=TEXT: a comment on one criterion.")
def decide(
    submission_id: int,
    reviewer: str,
    decision: str | None,
    levels: str,
    comment: str,
    notes: tuple[str, ...],
) -> None:
    """Record an assigned reviewer's decision, as if they had used the rubric form."""
    if decision is None:
        raise click.UsageError("choose --approve or --changes")
    comments = _notes(notes)

    async def work(services: Application) -> Reply:
        env = _env(services)
        async with services.database.transaction() as session:
            sub = await q.submission(session, submission_id=submission_id)
            if sub is None:
                raise BadRequest(f"there is no portfolio #{submission_id}")
            person = await named_person(session, who=reviewer, workspace_id=sub.workspace_id)
            question = (await thread.facts(session, env, sub)).question
            review = typed_review(question, decision, levels, comment, comments)
            reply = await decisions.decide(
                session,
                env,
                submission_id=sub.id,
                version=sub.version,
                reviewer=person,
                review=review,
            )
            if reply.private != (decisions.ALREADY,):
                seat = await q.assignment(session, submission_id=sub.id, reviewer_id=person.id)
                await audit(
                    session,
                    AuditAction.REVIEW_DECIDE_OVERRIDE,
                    workspace_id=sub.workspace_id,
                    target=f"portfolio #{sub.id} v{sub.version} in {sub.program_id}/{sub.quiz_id}",
                    subject=await session.get(Person, sub.author_id),
                    changes={
                        "decision": {"before": None, "after": review.decision},
                        "levels": dict(review.levels),
                        "for": f"Reviewer {seat.ordinal}" if seat else "a reviewer",
                        "reviewer_person_id": person.id,
                    },
                )
        await env.outbox.deliver()
        return reply

    try:
        reply = run_with_services(work)
    except (BadRequest, CannotProceed) as exc:
        raise click.ClickException(str(exc)) from exc
    for line in reply.private:
        click.echo(line)


@reviews_group.command("assign")
@click.argument("submission_id", type=int, metavar="ID")
@click.argument("who")
def assign(submission_id: int, who: str) -> None:
    """Ask one more person to review a portfolio (an identity or an e-mail)."""

    async def work(services: Application) -> str:
        env = _env(services)
        async with services.database.transaction() as session:
            sub = await q.submission(session, submission_id=submission_id)
            if sub is None:
                raise BadRequest(f"there is no portfolio #{submission_id}")
            person = await named_person(session, who=who, workspace_id=sub.workspace_id)
            said = await admin.add_reviewer(session, env, submission_id=sub.id, person=person)
        await env.outbox.deliver()
        return said

    try:
        click.echo(run_with_services(work))
    except (BadRequest, CannotProceed) as exc:
        raise click.ClickException(str(exc)) from exc


@reviews_group.command("sweep")
def sweep() -> None:
    """Send due reminders, reassign and escalate once (the server's leader does this every tick)."""

    async def work(services: Application) -> str:
        result = await services.reviews.sweep()
        return (
            f"reminded {len(result.reminded)}, reassigned {len(result.reassigned)}, "
            f"escalated {len(result.escalated)}, topped up {len(result.topped_up)}, "
            f"sent {result.posts} post(s)"
        )

    click.echo(run_with_services(work))


def register(main: click.Group) -> None:
    main.add_command(reviews_group)
