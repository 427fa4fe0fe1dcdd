"""What a badge's evidence says was assessed: quiz scores, rubric levels, peer approvals.

Gathered from the records when the badge is awarded (never from the program's criteria
text) and stored with the award. The documents and the badge page draw their sentences
from it, so no badge claims more than was assessed.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Program
from bot.content.schema import FreeText, Portfolio, Quiz
from bot.core.text import shorten
from bot.credentials.view import AwardView
from bot.learning.progress import outcomes_of
from storage.models import Attempt, Enrollment, PeerSubmission, StepProgress, StepStatus
from storage.queries import review as review_q
from storage.queries.attempts import scored_attempts_in

URL = re.compile(r"https?://[^\s<>\"')\]]+")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")
ROLES = {
    "badge": "peer reviewer",
    "reviewer": "peer reviewer",
    "lead": "team lead",
    "escalation": "team lead",
    "admin": "admin",
}
"""How each kind of reviewer is named (`manual`: a person an admin asked, a `reviewer`)."""


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def ordinal(n: int) -> str:
    return ORDINALS[n - 1] if 1 <= n <= len(ORDINALS) else f"{n}th"


# --- gathering, when the badge is awarded ----------------------------------------------


async def gather(
    session: AsyncSession, program: Program, enrollment: Enrollment | None
) -> list[dict[str, Any]]:
    """One item per passed required quiz: its score, rubric levels and peer approvals."""
    if enrollment is None:
        return []
    outcomes = await outcomes_of(session, enrollment_id=enrollment.id)
    rows = await scored_attempts_in(
        session, enrollment_id=enrollment.id, quiz_ids=program.required_quizzes()
    )
    passed: list[tuple[Quiz, StepProgress, list[Attempt]]] = []
    for quiz_id in program.required_quizzes():
        quiz, outcome = program.quizzes.get(quiz_id), outcomes.get(f"quiz:{quiz_id}")
        if quiz is None or outcome is None or outcome.status != StepStatus.PASSED:
            continue
        mine = [a for a in rows if a.quiz_id == quiz_id]
        run = max((a.quiz_run for a in mine), default=None)
        passed.append((quiz, outcome, [a for a in mine if a.quiz_run == run]))
    portfolios = [
        a.id
        for quiz, _, attempts in passed
        for a in attempts
        if isinstance(program.question(quiz.id, a.question_id), Portfolio)
    ]
    approvals = await review_q.approvals_of(session, attempt_ids=portfolios)
    return [_quiz_item(program, quiz, outcome, mine, approvals) for quiz, outcome, mine in passed]


def _quiz_item(
    program: Program,
    quiz: Quiz,
    outcome: StepProgress,
    attempts: list[Attempt],
    approvals: dict[int, tuple[PeerSubmission, list[str]]],
) -> dict[str, Any]:
    order = {q.id: i for i, q in enumerate(quiz.questions)}
    rubrics, link = [], ""
    for attempt in sorted(attempts, key=lambda a: order.get(a.question_id, len(order))):
        question = program.question(quiz.id, attempt.question_id)
        if not isinstance(question, FreeText | Portfolio):
            continue
        given = dict((attempt.scoring or {}).get("levels") or {})
        entry: dict[str, Any] = {
            "question": question.id,
            "prompt": shorten(" ".join(question.prompt.split()), 120),
            "points": attempt.points or 0.0,
            "max_points": attempt.max_points,
            "levels": [
                {"criterion": c.title, "level": level.label}
                for c in question.rubric.criteria
                for level in c.levels
                if level.id == given.get(c.id)
            ],
        }
        if isinstance(question, Portfolio):
            entry["review"] = _review(program, approvals.get(attempt.id))
            links = URL.findall(attempt.response) if isinstance(attempt.response, str) else []
            link = link or (links[0].rstrip(".,;") if links else "")
        rubrics.append(entry)
    points, total = outcome.score or 0.0, outcome.max_score or 0.0
    assessed = {
        "quiz": quiz.id,
        "points": points,
        "max_points": total,
        "percent": round(100 * points / total, 1) if total else 100.0,
        "rubrics": rubrics,
    }
    item: dict[str, Any] = {
        "name": quiz.title,
        "description": describe(assessed),
        "genre": "Portfolio" if any("review" in r for r in rubrics) else "Quiz",
        "assessed": assessed,
    }
    details = detail_lines(assessed)
    if details:
        item["narrative"] = "\n".join(f"- {line}" for line in details)
    if link:
        item["url"] = link
    return item


def _review(program: Program, found: tuple[PeerSubmission, list[str]] | None) -> dict[str, Any]:
    """Who approved the portfolio (the approving reviewers of its final version)."""
    if found is None:
        return {"approvals": 0, "asked": program.meta.review.reviewers, "by": {}}
    sub, sources = found
    by = Counter(ROLES.get(source, "reviewer") for source in sources)
    return {
        "approvals": len(sources),
        "asked": sub.wanted,
        "min_reviewers": program.meta.review.min_reviewers,
        "by": dict(by),
    }


# --- sentences, from what was gathered --------------------------------------------------


def review_sentence(review: dict[str, Any]) -> str:
    """E.g. `approved by 1 peer reviewer (the program accepts 1 when no second reviewer is
    available)`; a portfolio scored by a person outside peer review says that instead."""
    n, asked = int(review.get("approvals", 0)), int(review.get("asked", 0))
    if not n:
        return "scored by a person directly, without peer review"
    by: dict[str, int] = dict(review.get("by") or {})
    if set(by) <= {"peer reviewer"}:
        text = f"approved by {plural(n, 'peer reviewer')}"
    else:
        kinds = ", ".join(plural(count, role) for role, count in sorted(by.items()))
        text = f"approved by {plural(n, 'reviewer')} ({kinds})"
    if n < asked:
        least = review.get("min_reviewers")
        if least is not None and int(least) <= n:
            text += f" (the program accepts {n} when no {ordinal(n + 1)} reviewer is available)"
        else:
            text += f" (the program asks for {asked}; no {ordinal(n + 1)} reviewer was available)"
    return text


def describe(assessed: dict[str, Any]) -> str:
    """The evidence's one-paragraph description: the score, then the peer review."""
    text = (
        f"Scored {assessed['points']:g} of {assessed['max_points']:g} points "
        f"({assessed['percent']:.0f}%)."
    )
    for rubric in assessed.get("rubrics", []):
        if "review" in rubric:
            text += (
                " Portfolio work assessed against the published rubric and "
                f"{review_sentence(rubric['review'])}."
            )
    return text


def detail_lines(assessed: dict[str, Any]) -> list[str]:
    """One line per rubric question: points and the level given for each criterion."""
    lines = []
    for rubric in assessed.get("rubrics", []):
        levels = "; ".join(f"{lv['criterion']}: {lv['level']}" for lv in rubric["levels"])
        line = f"“{rubric['prompt']}”: {rubric['points']:g} of {rubric['max_points']:g} points"
        line += f" ({levels})" if levels else ""
        if "review" in rubric:
            line += f", {review_sentence(rubric['review'])}"
        lines.append(line + ".")
    return lines


def statement(view: AwardView) -> str:
    """What was assessed for this award that the criteria may speak of (peer review, or none).

    Appended to the author's criteria text, which may say more ("two peer reviewers").
    """
    assessed = [
        item["assessed"] for item in view.evidence if isinstance(item.get("assessed"), dict)
    ]
    if not assessed and view.source == "admin":
        return (
            "Awarded by an administrator in recognition of prior learning; the program's "
            "assessments were not taken."
        )
    parts = [
        f"{item['name']}: {review_sentence(rubric['review'])}."
        for item in view.evidence
        for rubric in (item.get("assessed") or {}).get("rubrics", [])
        if "review" in rubric
    ]
    return " ".join(parts)


def rule(badge: dict[str, Any]) -> str:
    """The program's peer-review rule when it accepts fewer reviewers than it asks for."""
    review = badge.get("review") or {}
    asked, least = review.get("reviewers"), review.get("min_reviewers")
    if not asked or least is None or least >= asked:
        return ""
    return (
        f"Portfolio work is approved by {plural(asked, 'peer reviewer')}, or by {least} when no "
        f"{ordinal(least + 1)} reviewer is available."
    )


def criteria_text(badge: dict[str, Any], assessed: str = "") -> str:
    """The author's criteria, the program's review rule, and what this award's holder did."""
    parts = [str(badge.get("criteria", "")), rule(badge)]
    if assessed:
        parts.append(f"Assessed for this award: {assessed}")
    return " ".join(p for p in parts if p)


def summary(view: AwardView) -> str:
    """A narrative connecting the evidence (Markdown): one line per item."""
    return "\n".join(
        f"- {item.get('name', 'Evidence')}: {item.get('description', '')}".rstrip(": ")
        for item in view.evidence
    )
