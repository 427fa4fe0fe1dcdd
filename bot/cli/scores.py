"""`microcred scores pending|override|history` and `microcred score eval|fit` from the shell."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import click

from bot.application import Application
from bot.assessment import evaluate
from bot.assessment.llm import LlmRubricScorer
from bot.assessment.model import Models, default_models
from bot.assessment.training import fit_models
from bot.cli.people import workspace_option
from bot.cli.report import short_time, table
from bot.cli.runtime import run_with_services, settings
from bot.core.errors import BadRequest, CannotProceed
from bot.marking.rescore import Rescored, rescore
from storage.queries.assessment import QueueItem, review_queue, score_history


@click.group("scores")
def scores_group() -> None:
    """Answers waiting for a person, overrides, and every score's history."""


@scores_group.command("pending")
@workspace_option()
def pending(workspace: str) -> None:
    """List answers waiting for review: provisional scores and unscored answers."""

    async def work(services: Application) -> list[QueueItem]:
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

    async def work(services: Application) -> Rescored:
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

    async def work(services: Application) -> list[tuple[object, ...]]:
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


def _training(train: Path, top: int | None = None) -> tuple[list[evaluate.Row], Models]:
    rows = evaluate.read_rows(train)
    if not rows:
        raise click.ClickException(f"{train} has no rows")
    scale = top if top is not None else evaluate.top_label(rows)
    return rows, fit_models(rows, scale, source=train.name)


@score_group.command("fit")
@click.argument("train", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the model (JSON); the shipped one is bot/assessment/fitted/default.json.",
)
def fit_command(train: Path, out: Path) -> None:
    """Fit the offline scorer's classifier on graded answers in TRAIN.jsonl."""
    try:
        _, models = _training(train)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    out.write_text(models.to_json(), encoding="utf-8")
    click.echo(f"model written to {out}")
    click.echo(json.dumps(models.about, sort_keys=True))


def _echo_figures(title: str, result: dict[str, Any]) -> None:
    click.echo(title)
    for key, label in (("accuracy", "exact agreement"), ("macro_f1", "macro-F1")):
        click.echo(f"  {label}: {result[key]:.4f}")
    click.echo(f"  quadratic weighted kappa: {result['qwk']:.4f}")
    click.echo(f"  mean absolute error: {result['mae']:.4f}")


@score_group.command("eval")
@click.argument("dataset", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--scorer",
    type=click.Choice(["offline", "llm", "overlap"]),
    default="offline",
    show_default=True,
    help="overlap is the token-overlap baseline; offline is also compared with it.",
)
@click.option(
    "--train",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Fit on this file (never on DATASET); its answers to the same questions serve "
    "as answers reviewers already scored.",
)
def evaluate_command(dataset: Path, scorer: str, train: Path | None) -> None:
    """Agreement with the human scores in DATASET.jsonl; the last line is JSON.

    Answers the offline scorer sends to a person count as wrong; its figures are printed
    next to the overlap baseline's, fitted on the same training file in the same run."""
    if train is not None and train.resolve() == dataset.resolve():
        raise click.UsageError("--train must be a different file from the one evaluated")
    try:
        rows = evaluate.read_rows(dataset)
        top = evaluate.top_label(rows) if rows else 1
        train_rows, models = _training(train, top) if train else ([], default_models())
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    if not rows:
        raise click.ClickException(f"{dataset} has no rows")
    golds = [r.gold for r in rows]
    threshold = evaluate.fit_overlap(train_rows, top) if train_rows else 0.5
    baseline = evaluate.report(golds, evaluate.overlap_labels(rows, threshold, top))
    click.echo(f"rows: {len(rows)}  scale: 0..{top}")
    if scorer == "overlap":
        _echo_figures(f"token-overlap baseline, threshold {threshold:g}", baseline)
        click.echo(json.dumps(baseline))
        return
    if scorer == "offline":
        judged = evaluate.judge_offline(rows, models, top, train_rows)
        result = evaluate.report(golds, evaluate.counted(golds, judged.labels, top))
        reviewed = sum(label is None for label in judged.labels)
        result["review_rate"] = round(reviewed / len(rows), 4)
        source = f"fitted on {train.name}" if train else "the shipped model"
        _echo_figures(
            f"offline rubric scorer ({source}; answers sent to review count as wrong)", result
        )
        click.echo(f"  sent to review: {reviewed} ({result['review_rate']:.1%}) {judged.reasons}")
        _echo_figures(f"token-overlap baseline, threshold {threshold:g}", baseline)
        result["baseline"] = baseline
        result["margin"] = {
            key: round(result[key] - baseline[key], 4) for key in ("accuracy", "macro_f1")
        }
        click.echo(
            f"margin over the baseline: accuracy {result['margin']['accuracy']:+.4f}, "
            f"macro-F1 {result['margin']['macro_f1']:+.4f}"
        )
        click.echo(json.dumps(result))
        return
    config = settings()
    if not config.llm_model:
        raise click.ClickException("set MICROCRED_LLM_MODEL (and OPENAI_API_KEY) first")
    model = LlmRubricScorer(
        model=config.llm_model,
        api_key=config.openai_api_key,
        base_url=config.openai_base_url,
        timeout=config.llm_timeout,
    )
    result = evaluate.report(golds, asyncio.run(evaluate.llm_labels(rows, model, top)))
    _echo_figures(f"language model {config.llm_model}", result)
    _echo_figures(f"token-overlap baseline, threshold {threshold:g}", baseline)
    result["baseline"] = baseline
    click.echo(json.dumps(result))


def register(main: click.Group) -> None:
    main.add_command(scores_group)
    main.add_command(score_group)
