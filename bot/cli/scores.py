"""`microcred scores pending|override|history` and `microcred score eval`: scores from the shell."""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict
from pathlib import Path

import click

from bot.assessment import evaluate
from bot.assessment.llm import LlmRubricScorer
from bot.assessment.offline import Tuning
from bot.assessment.rescore import Rescored, rescore
from bot.cli.people import workspace_option
from bot.cli.report import short_time, table
from bot.cli.runtime import run_with_services, settings
from bot.container import Services
from bot.core.errors import BadRequest, CannotProceed
from storage.queries.assessment import QueueItem, review_queue, score_history


@click.group("scores")
def scores_group() -> None:
    """Answers waiting for a person, overrides, and every score's history."""


@scores_group.command("pending")
@workspace_option()
def pending(workspace: str) -> None:
    """List answers waiting for review: provisional scores and unscored answers."""

    async def work(services: Services) -> list[QueueItem]:
        async with services.database.transaction() as session:
            return await review_queue(session, workspace_id=workspace, limit=500)

    items = run_with_services(work)
    if not items:
        click.echo(f"nothing waiting for review in workspace {workspace}", err=True)
        return
    rows = [
        (
            i.attempt.id,
            i.attempt.program_id,
            f"{i.attempt.quiz_id}/{i.attempt.question_id}",
            i.learner.display_name,
            "-" if i.attempt.points is None else f"{i.attempt.points:g}/{i.attempt.max_points:g}",
            str((i.attempt.scoring or {}).get("reason", "awaiting a score"))[:60],
            short_time(i.attempt.created_at),
        )
        for i in items
    ]
    headers = ("attempt", "program", "question", "learner", "provisional", "why", "answered")
    click.echo(table(headers, rows))


@scores_group.command("override")
@click.argument("attempt_id", type=int, metavar="ATTEMPT")
@click.option("--points", type=float, help="New points (omit to confirm the provisional score).")
@click.option("--reason", default="", help="Why; the learner sees it. Required for a change.")
@click.option("--by", "actor", default="cli", show_default=True, help="Who is scoring.")
def override(attempt_id: int, points: float | None, reason: str, actor: str) -> None:
    """Set (or confirm) the score of one answer; the learner's progress follows."""

    async def work(services: Services) -> Rescored:
        async with services.database.transaction() as session:
            return await rescore(
                session,
                catalog=services.catalog,
                hooks=services.hooks,
                attempt_id=attempt_id,
                actor=actor,
                source="cli",
                points=points,
                reason=reason,
            )

    try:
        result = run_with_services(work)
    except (BadRequest, CannotProceed) as exc:
        raise click.ClickException(str(exc)) from exc
    was = "-" if result.before is None else f"{result.before:g}"
    click.echo(
        f"attempt {result.attempt_id} ({result.learner}): {was} -> "
        f"{result.after:g}/{result.max_points:g}"
        + (f"; quiz {result.quiz_status}" if result.quiz_status else "")
    )
    click.echo("the learner is told with a notice (delivered by the scheduler)")


@scores_group.command("history")
@click.argument("attempt_id", type=int, metavar="ATTEMPT")
def history(attempt_id: int) -> None:
    """Every score one answer got, and who or what gave it."""

    async def work(services: Services) -> list[tuple[object, ...]]:
        async with services.database.transaction() as session:
            records = await score_history(session, attempt_id=attempt_id)
            return [
                (
                    short_time(r.created_at),
                    r.source,
                    r.actor,
                    "-" if r.points is None else f"{r.points:g}/{r.max_points:g}",
                    r.status + (" (stood)" if r.stood else ""),
                    r.reason[:60],
                )
                for r in records
            ]

    rows = run_with_services(work)
    if not rows:
        raise click.ClickException(f"no scores recorded for attempt {attempt_id}")
    click.echo(table(("when", "source", "by", "points", "status", "reason"), rows))


@click.group("score")
def score_group() -> None:
    """Measure scoring against human grades."""


@score_group.command("eval")
@click.argument("dataset", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--scorer",
    type=click.Choice(["offline", "llm", "overlap"]),
    default="offline",
    show_default=True,
    help="overlap is the token-overlap baseline.",
)
@click.option(
    "--train",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Fit thresholds on this file (never on DATASET).",
)
def evaluate_command(dataset: Path, scorer: str, train: Path | None) -> None:
    """Agreement with the human scores in DATASET.jsonl; the last line is JSON."""
    if train is not None and train.resolve() == dataset.resolve():
        raise click.UsageError("--train must be a different file from the one evaluated")
    try:
        rows = evaluate.read_rows(dataset)
        train_rows = evaluate.read_rows(train) if train else []
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    if not rows:
        raise click.ClickException(f"{dataset} has no rows")
    top = evaluate.top_label(rows)
    golds = [r.gold for r in rows]
    if scorer == "overlap":
        threshold = evaluate.fit_overlap(train_rows, top) if train_rows else 0.5
        click.echo(f"token-overlap baseline, threshold {threshold:g}")
        predicted = evaluate.overlap_labels(rows, threshold, top)
    elif scorer == "offline":
        tuning = evaluate.fit_offline(evaluate.prepare(train_rows), top) if train_rows else Tuning()
        click.echo(f"offline rubric scorer, tuning {json.dumps(asdict(tuning))}")
        predicted = evaluate.offline_labels(evaluate.prepare(rows), tuning, top)
    else:
        config = settings()
        if not config.llm_model:
            raise click.ClickException("set MICROCRED_LLM_MODEL (and OPENAI_API_KEY) first")
        model = LlmRubricScorer(
            model=config.llm_model,
            api_key=config.openai_api_key,
            base_url=config.openai_base_url,
            timeout=config.llm_timeout,
        )
        click.echo(f"language model {config.llm_model}")
        predicted = asyncio.run(evaluate.llm_labels(rows, model, top))
    result = evaluate.report(golds, predicted)
    click.echo(f"rows: {result['n']}  scale: 0..{top}")
    for key, label in (("accuracy", "exact agreement"), ("macro_f1", "macro-F1")):
        click.echo(f"{label}: {result[key]:.4f}")
    click.echo(f"quadratic weighted kappa: {result['qwk']:.4f}")
    click.echo(f"mean absolute error: {result['mae']:.4f}")
    click.echo(json.dumps(result))


def register(main: click.Group) -> None:
    main.add_command(scores_group)
    main.add_command(score_group)
