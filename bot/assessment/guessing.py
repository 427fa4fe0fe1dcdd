"""How likely a learner who only guesses is to pass a quiz: the check behind a validate warning.

A guesser picks choice options at random (retrying without repeats where a question allows
more tries), answers every true/false question at random or always "true" or always
"false", and scores nothing on numeric, short-answer and rubric questions. The draw that
helps the guesser most is assumed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from bot.assessment.exact import score_answer
from bot.content import Program
from bot.content.schema import MultipleChoice, Question, Quiz, SingleChoice, TrueFalse, max_points

LIMIT = 0.01
"""A graded quiz passed by guessing more often than this gets a warning."""

Distribution = dict[float, float]
"""Points → probability."""


@dataclass(frozen=True)
class GuessRisk:
    quiz_id: str
    per_run: float
    """The best guessing strategy's chance to pass one run."""
    runs: int | None
    """Runs a learner gets (None: no limit)."""
    strategy: str

    @property
    def overall(self) -> float:
        """The chance over every run the quiz allows (per run when runs are unlimited)."""
        return self.per_run if self.runs is None else 1 - (1 - self.per_run) ** self.runs


def _tries(question: Question, outcomes: Sequence[float], p: float) -> Distribution:
    """The points after up to `max_attempts` tries, retrying while not fully right."""
    best = max(outcomes)
    once: Distribution = defaultdict(float)
    for points in outcomes:
        once[points] += 1 / len(outcomes)
    if question.max_attempts == 1:
        return dict(once)
    if isinstance(question, SingleChoice | TrueFalse):  # tries never repeat a wrong pick
        hit = min(1.0, question.max_attempts * once[best])
        return {best: hit, 0.0: 1 - hit} if hit < 1 else {best: 1.0}
    miss = 1 - once[best]
    last = {k: v / miss for k, v in once.items() if k != best} if miss else {}
    keep_trying = miss ** (question.max_attempts - 1)
    out: Distribution = {best: 1 - keep_trying * miss}
    for points, chance in last.items():
        out[points] = out.get(points, 0.0) + keep_trying * miss * chance
    return out


def _subsets(ids: Sequence[str]) -> Iterable[list[str]]:
    for size in range(1, len(ids) + 1):
        for combo in combinations(ids, size):
            yield list(combo)


def guess_distribution(question: Question, true_false: str = "random") -> Distribution:
    """Points a guesser gets on one question; `true_false` is random, true or false."""
    if isinstance(question, TrueFalse):
        if true_false != "random":
            right = question.answer == (true_false == "true")
            return {question.points if right else 0.0: 1.0}
        responses: list[object] = [True, False]
    elif isinstance(question, SingleChoice):
        responses = [o.id for o in question.options]
    elif isinstance(question, MultipleChoice):
        responses = list(_subsets([o.id for o in question.options]))
    else:
        return {0.0: 1.0}
    outcomes = [round(score_answer(question, r).points or 0.0, 6) for r in responses]
    return _tries(question, outcomes, question.points)


def _convolve(a: Distribution, b: Distribution) -> Distribution:
    out: Distribution = defaultdict(float)
    for x, px in a.items():
        for y, py in b.items():
            out[round(x + y, 6)] += px * py
    return dict(out)


def _easiest_run(quiz: Quiz) -> list[Question]:
    """The run a guesser would wish for: each draw filled with its most guessable questions."""
    if quiz.draw is None:
        return list(quiz.questions)

    def ease(question: Question) -> float:
        dist = guess_distribution(question)
        return sum(p * x for x, p in dist.items()) / max_points(question)

    chosen = [q for q in quiz.questions if q.always]
    wanted = quiz.draw if isinstance(quiz.draw, dict) else {"": quiz.draw}
    for key, count in wanted.items():
        members = [
            q
            for q in quiz.questions
            if not q.always and q not in chosen and (not key or q.pool == key or key in q.skills)
        ]
        chosen += sorted(members, key=ease, reverse=True)[:count]
    return chosen


def pass_by_guessing(quiz: Quiz, true_false: str = "random") -> float:
    """The chance one run of `quiz` is passed by a guesser with this true/false habit."""
    questions = _easiest_run(quiz)
    total = sum(max_points(q) for q in questions)
    needed = quiz.pass_mark / 100 * total - 1e-9
    dist: Distribution = {0.0: 1.0}
    for question in questions:
        dist = _convolve(dist, guess_distribution(question, true_false))
    return sum(p for points, p in dist.items() if points >= needed)


def guess_risk(quiz: Quiz) -> GuessRisk:
    """The best of the guessing strategies against one run of `quiz`."""
    chances = {habit: pass_by_guessing(quiz, habit) for habit in ("random", "true", "false")}
    habit = max(chances, key=lambda h: chances[h])
    runs = None if quiz.retakes is None else quiz.retakes + 1
    return GuessRisk(quiz.id, chances[habit], runs, habit)


def guessing_warnings(program: Program) -> list[tuple[str, str]]:
    """(quiz id, warning) for each graded quiz a guesser passes more often than LIMIT."""
    found = []
    for quiz_id in program.required_quizzes():
        risk = guess_risk(program.quizzes[quiz_id])
        if risk.overall <= LIMIT:
            continue
        habit = {"random": "guessing", "true": "answering “true” to every true/false question"}
        how = habit.get(risk.strategy, "answering “false” to every true/false question")
        runs = "in one run" if risk.runs is None else f"within its {risk.runs} runs"
        found.append(
            (
                quiz_id,
                f"a learner passes this graded quiz by {how} with probability "
                f"{risk.overall:.1%} {runs} (limit {LIMIT:.0%}): add options or questions "
                "that cannot be guessed, balance true and false, or raise the pass mark",
            )
        )
    return found
