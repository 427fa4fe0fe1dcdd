"""Which questions a run of a quiz asks, and in which order their options appear.

Both follow from the run's seed alone, so every channel, every re-render and every restart
shows the same run the same way. Options keep their ids; only letters follow the order.
The seed comes from `secrets` and never leaves the server; `random.Random` only expands it
deterministically, which is why the S311 warnings below are silenced.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence

from bot.content.schema import MultipleChoice, Question, Quiz, SingleChoice


def draw_questions(quiz: Quiz, seed: int, earlier: Iterable[Sequence[str]] = ()) -> list[str]:
    """The ids of the questions one run asks, in the quiz's written order.

    `earlier` holds the questions of the learner's earlier runs, newest last: a question
    asked less often, and not in the latest run, is drawn first, so a retake asks others.
    """
    if quiz.draw is None:
        return [q.id for q in quiz.questions]
    history = [list(run) for run in earlier]
    asked = Counter(qid for run in history for qid in run)
    latest = set(history[-1]) if history else set()
    rng = random.Random(f"{seed}:draw")  # noqa: S311
    order = {q.id: (q.id in latest, asked[q.id], rng.random()) for q in quiz.questions}
    pooled = [q for q in quiz.questions if not q.always]
    wanted = quiz.draw if isinstance(quiz.draw, dict) else {"": quiz.draw}
    chosen: set[str] = {q.id for q in quiz.questions if q.always}
    for key, count in wanted.items():
        members = [q for q in pooled if q.id not in chosen and _belongs(q, key)]
        members.sort(key=lambda q: order[q.id])
        chosen.update(q.id for q in members[:count])
    return [q.id for q in quiz.questions if q.id in chosen]


def _belongs(question: Question, key: str) -> bool:
    return not key or question.pool == key or key in question.skills


def shuffled(question: Question, seed: int) -> Question:
    """The question with its options in this run's order (unchanged when pinned)."""
    if not isinstance(question, SingleChoice | MultipleChoice) or not question.shuffle:
        return question
    options = list(question.options)
    random.Random(f"{seed}:{question.id}").shuffle(options)  # noqa: S311
    return question.model_copy(update={"options": options})


def run_view(quiz: Quiz, seed: int, question_ids: Sequence[str]) -> Quiz:
    """The quiz as one run asks it: its drawn questions, options in the run's order."""
    by_id = {q.id: q for q in quiz.questions}
    questions = [shuffled(by_id[qid], seed) for qid in question_ids if qid in by_id]
    return quiz.model_copy(update={"questions": questions or list(quiz.questions)})
