"""CPU time of scoring one quiz answer offline, against a bare word-overlap score.

For every free-text question of the bundled programs, `RubricScoring.score` (the offline
rubric scorer with the program's lesson pages as sources, as the engine calls it) scores
answers made from the question's reference answers, lesson text and filler sentences; each
answer is different, so nothing keyed on the answer's text is reused. Short-answer questions
go through the exact scorer the same way. The bare baseline is the published content-word
overlap: the share of the reference's words the answer has (one regex, two sets).

    python benchmarks/scoring.py [--answers 2000] [--repeats 5] [--examples 40]

CPU time per answer (median of the repeats) is printed for each; `ratio` is ours ÷ bare
answers per second. With `--examples N`, the free-text answers are scored again with N
answers per question that people scored (the scorer then adds nearest-neighbour features),
as in a running program. `scores_sha256` digests every score given, to compare two versions of
the code. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.assessment.examples import StaticExamples  # noqa: E402
from bot.assessment.offline import Scored  # noqa: E402
from bot.assessment.scoring import RubricScoring  # noqa: E402
from bot.content import Program, load_library  # noqa: E402
from bot.content.schema import FreeText, ShortAnswer  # noqa: E402

FILLER = (
    "In my last project we learned this the hard way.",
    "I think this matters most when the team is under pressure.",
    "That is what I would explain to a new colleague.",
    "It also depends on who reads it and when.",
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"\w+")

Case = tuple[Program, FreeText, str]


def _answer(rng: random.Random, question: FreeText, pages: list[str], i: int) -> str:
    """A plausible answer: reference sentences, sometimes a lesson sentence, some filler."""
    sentences = [s for r in question.reference_answers for s in _SENTENCE.split(r) if s]
    picked = rng.sample(sentences, k=max(1, min(len(sentences), rng.randint(1, 4))))
    if rng.random() < 0.3:
        lesson = [s for s in _SENTENCE.split(rng.choice(pages)) if len(s.split()) > 5]
        picked.append(rng.choice(lesson or sentences))
    picked.append(rng.choice(FILLER))
    rng.shuffle(picked)
    return " ".join(picked) + f" (answer {i})"


def free_text_cases(n: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    pool = []
    for program in load_library(ROOT):
        pages = [page for lesson in program.lessons.values() for page in lesson.pages]
        for quiz in program.quizzes.values():
            for q in quiz.questions:
                if isinstance(q, FreeText) and q.reference_answers:
                    pool.append((program, q, pages))
    return [
        (program, q, _answer(rng, q, pages, seed * n + i))
        for i, (program, q, pages) in enumerate(rng.choice(pool) for _ in range(n))
    ]


def short_cases(n: int, seed: int) -> list[tuple[Program, ShortAnswer, str]]:
    rng = random.Random(seed)
    pool = [
        (program, q)
        for program in load_library(ROOT)
        for quiz in program.quizzes.values()
        for q in quiz.questions
        if isinstance(q, ShortAnswer)
    ]
    cases = []
    for i in range(n):
        program, q = rng.choice(pool)
        answer = rng.choice(q.accepted or ["no idea"])
        cases.append((program, q, answer if i % 2 else f"{answer.upper()} {i}"))
    return cases


def scored_examples(per_question: int) -> StaticExamples:
    """Answers people scored, `per_question` for each question, every other one passed."""
    examples = StaticExamples()
    for i, (program, q, answer) in enumerate(free_text_cases(per_question * 20, seed=1000)):
        if len(examples.examples.get((program.id, q.id), [])) < per_question:
            examples.add(program.id, q.id, Scored(answer, i % 2 == 0, {}))
    return examples


def bare(question: FreeText, answer: str) -> float:
    """Content-word overlap with the first reference answer."""
    reference = set(_WORD.findall(question.reference_answers[0].casefold()))
    mine = set(_WORD.findall(answer.casefold()))
    return len(reference & mine) / len(reference)


def cpu_ms_per_answer(score: Callable[[list[Any]], object], rounds: list[list[Any]]) -> float:
    """CPU time per answer in ms, the median over the rounds."""
    times = []
    for cases in rounds:
        start = time.process_time()
        score(cases)
        times.append((time.process_time() - start) / len(cases) * 1000)
    return statistics.median(times)


def main(answers: int, repeats: int, examples: int) -> dict[str, Any]:
    scoring = RubricScoring()
    learning = RubricScoring(examples=scored_examples(examples))
    warm: list[Any] = [*free_text_cases(50, seed=0), *short_cases(20, seed=0)]
    rounds: list[list[Any]] = [free_text_cases(answers, seed=r + 1) for r in range(repeats)]
    shorts: list[list[Any]] = [short_cases(answers, seed=r + 1) for r in range(repeats)]
    fresh: list[list[Any]] = [free_text_cases(answers, seed=r + 101) for r in range(repeats)]
    scores: list[Any] = []

    async def score_all(scorer: RubricScoring, cases: list[Any]) -> None:
        for program, q, answer in cases:
            scores.append(await scorer.score(program, q, answer))

    def ours(cases: list[Any]) -> None:
        asyncio.run(score_all(scoring, cases))

    def ours_with_examples(cases: list[Any]) -> None:
        asyncio.run(score_all(learning, cases))

    ours(warm)  # the first answer to a question works out what every later one reuses
    ours_with_examples(warm)
    free_text = cpu_ms_per_answer(ours, rounds)
    with_examples = cpu_ms_per_answer(ours_with_examples, fresh)
    short = cpu_ms_per_answer(ours, shorts)
    baseline = cpu_ms_per_answer(lambda cases: [bare(q, a) for _, q, a in cases], rounds)
    digest = hashlib.sha256(
        "\n".join(
            repr((s.points, s.status, s.levels, s.feedback, s.details)) for s in scores
        ).encode()
    ).hexdigest()
    return {
        "answers": answers,
        "repeats": repeats,
        "free_text_cpu_ms": round(free_text, 4),
        "examples": examples,
        "free_text_examples_cpu_ms": round(with_examples, 4),
        "short_answer_cpu_ms": round(short, 4),
        "bare_cpu_ms": round(baseline, 5),
        "ratio": round(baseline / free_text, 5),
        "scores_sha256": digest[:16],
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=2000, help="answers per repeat")
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats (median)")
    parser.add_argument("--examples", type=int, default=40, help="scored answers per question")
    options = parser.parse_args()
    result = main(options.answers, options.repeats, options.examples)
    print(f"free text, offline rubric scorer: {result['free_text_cpu_ms']} ms CPU per answer")
    print(
        f"  with {result['examples']} scored answers per question: "
        f"{result['free_text_examples_cpu_ms']} ms"
    )
    print(f"short answer, exact scorer:       {result['short_answer_cpu_ms']} ms CPU per answer")
    print(f"bare word overlap:                {result['bare_cpu_ms']} ms CPU per answer")
    print(f"ratio (ours ÷ bare answers/s):    {result['ratio']}")
    print(json.dumps(result))
