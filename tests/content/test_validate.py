"""Content validation: every error class is reported with its file and line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.content import load_library, validate_library
from bot.content.pages import PAGE_LIMIT
from bot.settings import PROJECT_ROOT

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "library"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    shutil.copytree(FIXTURE, root)
    return root


def edit(root: Path, relative: str, old: str, new: str) -> Path:
    path = root / relative
    text = path.read_text()
    assert old in text, f"fixture changed: {old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1))
    return path


def problems(root: Path) -> list[str]:
    _, found = validate_library(root)
    return [f"{p.path.relative_to(root)}:{p.line}: {p.message}" for p in found]


def test_fixture_and_bundled_library_are_valid(library: Path) -> None:
    assert problems(library) == []
    catalog = load_library(PROJECT_ROOT)
    assert {"secure-coding", "effective-feedback", "data-privacy"} <= set(catalog.programs)


def test_bundled_programs_use_every_question_type() -> None:
    catalog = load_library(PROJECT_ROOT)
    for program in catalog:
        kinds = {q.type for quiz in program.quizzes.values() for q in quiz.questions}
        assert len([s for s in program.steps if s.kind == "lesson"]) >= 4
        assert kinds == {
            "single_choice",
            "multiple_choice",
            "true_false",
            "numeric",
            "short_answer",
            "free_text",
            "portfolio",
        }, program.id


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "quizzes/mini/check.yaml",
            "type: true_false",
            "type: essay_question",
            "quizzes/mini/check.yaml:22: questions.2: unknown question type 'essay_question'",
        ),
        (
            "quizzes/mini/check.yaml",
            "{id: b, text: This one, correct: true}",
            "{id: b, text: This one}",
            "quizzes/mini/check.yaml:5: questions.0: needs exactly one correct option (has 0)",
        ),
        (
            "quizzes/mini/check.yaml",
            "    answer: true\n",
            "",
            "quizzes/mini/check.yaml:21: questions.2.answer: Field required",
        ),
        (
            "quizzes/mini/check.yaml",
            "  - id: many",
            "  - id: pick",
            "quizzes/mini/check.yaml:12: duplicate question id 'pick'",
        ),
        (
            "quizzes/mini/check.yaml",
            "{id: yes, label: Met, points: 2}",
            "{id: yes, label: Met, points: 0}",
            "quizzes/mini/check.yaml:42: questions.5.rubric.criteria.0: levels of criterion "
            "'names-it' must be ordered by strictly increasing points (got [0.0, 0.0])",
        ),
        (
            "lessons/mini/program.yaml",
            "  - quiz: check",
            "  - quiz: missing-quiz",
            "lessons/mini/program.yaml:9: step quiz 'missing-quiz' has no file "
            "quizzes/mini/missing-quiz.yaml",
        ),
        (
            "lessons/mini/intro.md",
            "skills: [basics]",
            "skills: [advanced]",
            "lessons/mini/intro.md:5: unknown skill 'advanced' (not in program.yaml)",
        ),
        (
            "quizzes/mini/check.yaml",
            "pass_mark: 60",
            "pass_mark: [60",
            "quizzes/mini/check.yaml:4: bad YAML:",
        ),
        (
            "quizzes/mini/check.yaml",
            "    tolerance: 0\n",
            "    tolerance: 0\n    wiggle: 2\n",
            "quizzes/mini/check.yaml:30: questions.3.wiggle: unknown field",
        ),
        (
            "lessons/mini/intro.md",
            "The second page.",
            "The second page.\n\n" + "word " * (PAGE_LIMIT // 5 + 10),
            "lessons/mini/intro.md:13: this block is",
        ),
        (
            "lessons/mini/intro.md",
            "---\nid: intro",
            "id: intro",
            "lessons/mini/intro.md:1: a lesson starts with YAML front matter",
        ),
    ],
    ids=[
        "unknown-type",
        "no-correct-option",
        "missing-answer",
        "duplicate-id",
        "unordered-levels",
        "dangling-step",
        "dangling-skill",
        "bad-yaml",
        "unknown-field",
        "block-too-long",
        "no-front-matter",
    ],
)
def test_each_error_class_names_file_and_line(
    library: Path, file: str, old: str, new: str, expected: str
) -> None:
    edit(library, file, old, new)
    found = problems(library)
    assert any(p.startswith(expected) for p in found), found


def test_long_pages_are_split_between_paragraphs(library: Path) -> None:
    paragraph = ("A sentence of the lesson. " * 40).strip()
    edit(library, "lessons/mini/intro.md", "The first page.", "\n\n".join([paragraph] * 5))
    catalog, found = validate_library(library)
    assert found == []
    pages = catalog.programs["mini"].lessons["intro"].pages
    assert len(pages) >= 3 and all(len(p) <= PAGE_LIMIT for p in pages)


def test_cli_prints_every_problem_and_exits_1(library: Path) -> None:
    edit(library, "quizzes/mini/check.yaml", "type: true_false", "type: essay_question")
    edit(library, "lessons/mini/intro.md", "skills: [basics]", "skills: [advanced]")
    run = subprocess.run(
        [sys.executable, "-m", "bot", "content", "validate", str(library)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("intro.md:5: unknown skill 'advanced' (not in program.yaml)")
    assert "check.yaml:22: questions.2: unknown question type 'essay_question'" in lines[1]


def test_cli_accepts_a_valid_library(library: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bot", "content", "validate", str(library)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 program(s) valid: mini" in run.stdout


def test_editing_content_changes_only_that_question_hash(library: Path) -> None:
    before = load_library(library).programs["mini"]
    edit(library, "quizzes/mini/check.yaml", "prompt: Pick B.", "prompt: Pick option B.")
    after = load_library(library).programs["mini"]
    assert before.question_hash("check", "pick") != after.question_hash("check", "pick")
    assert before.question_hash("check", "many") == after.question_hash("check", "many")
    assert before.hash != after.hash


def test_a_guessable_graded_quiz_gets_a_warning(library: Path) -> None:
    quiz = "quizzes/mini/check.yaml"
    text = (library / quiz).read_text()
    (library / quiz).write_text(text.split("  - id: truth")[0])  # only the two choice questions
    run = subprocess.run(
        [sys.executable, "-m", "bot", "content", "validate", str(library)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr  # a warning, not a problem
    assert (
        f"{library / quiz}:3: warning: a learner passes this graded quiz by guessing" in run.stdout
    )
    # 60 % of 2 points: the two-option pick (1/2) and any part of the multiple choice (4/7)
    assert "probability 28.6% in one run (limit 1%)" in run.stdout


def test_the_bundled_library_has_no_guessing_warning() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bot", "content", "validate", str(PROJECT_ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0 and "warning" not in run.stdout, run.stdout
