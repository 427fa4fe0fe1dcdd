"""Load and validate the program library from files, collecting every problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.content.catalog import Catalog, Lesson, Program, build_program, content_hash
from bot.content.pages import BlockTooLong, split_pages
from bot.content.problems import InvalidContent, Problem
from bot.content.schema import LessonMeta, LessonStep, ProgramMeta, Quiz
from bot.content.yaml_source import (
    SourceError,
    line_of,
    parse_yaml,
    plain,
    read_content,
    validation_messages,
)

M = TypeVar("M", bound=BaseModel)


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message))

    def read(self, path: Path) -> str | None:
        """The file's text within the size limit, or None with a problem recorded."""
        try:
            return read_content(path)
        except SourceError as exc:
            self.add(path, exc.line, str(exc))
            return None

    def model(
        self, cls: type[M], path: Path, text: str, line_offset: int = 0
    ) -> tuple[M | None, Any]:
        """Parse YAML text into `cls`, recording problems; return (model, raw tree)."""
        try:
            raw = parse_yaml(text)
        except SourceError as exc:
            self.add(path, exc.line + line_offset, str(exc))
            return None, None
        if not isinstance(raw, dict):
            self.add(
                path, 1 + line_offset, f"expected a mapping of fields, got {type(raw).__name__}"
            )
            return None, raw
        try:
            return cls.model_validate(plain(raw)), raw
        except ValidationError as exc:
            for line, message in validation_messages(exc, raw):
                self.add(path, line + line_offset, message)
            return None, raw


def _split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, 1-based line where the body starts) or None."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    return None


def _load_lesson(path: Path, c: _Collector) -> tuple[Lesson | None, Any]:
    text = c.read(path)
    if text is None:
        return None, None
    parts = _split_front_matter(text)
    if parts is None:
        c.add(path, 1, "a lesson starts with YAML front matter between two '---' lines")
        return None, None
    front, body, body_line = parts
    meta, raw = c.model(LessonMeta, path, front, line_offset=1)
    if meta is None:
        return None, raw
    if not body.strip():
        c.add(path, body_line, "the lesson has no text after its front matter")
        return None, raw
    try:
        pages = split_pages(body, first_line=body_line)
    except BlockTooLong as exc:
        c.add(path, exc.line, str(exc))
        return None, raw
    return Lesson(meta, tuple(pages), content_hash({"meta": meta.model_dump(), "body": body})), raw


def _check_stem(path: Path, item_id: str, raw: Any, c: _Collector, offset: int = 0) -> None:
    if path.stem != item_id:
        c.add(
            path,
            line_of(raw, ["id"]) + offset,
            f"id '{item_id}' must match the file name '{path.stem}'",
        )


def _load_program(program_file: Path, root: Path, c: _Collector) -> Program | None:
    text = c.read(program_file)
    if text is None:
        return None
    meta, raw = c.model(ProgramMeta, program_file, text)
    if meta is None:
        return None
    if program_file.parent.name != meta.id:
        c.add(
            program_file,
            line_of(raw, ["id"]),
            f"program id '{meta.id}' must match its folder '{program_file.parent.name}'",
        )
    before = len(c.problems)
    skills = {s.id for s in meta.skills}

    lessons: dict[str, Lesson] = {}
    for path in sorted(program_file.parent.glob("*.md")):
        lesson, lraw = _load_lesson(path, c)
        if lesson is None:
            continue
        _check_stem(path, lesson.id, lraw, c, offset=1)
        for skill in lesson.meta.skills:
            if skill not in skills:
                c.add(
                    path,
                    line_of(lraw, ["skills"]) + 1,
                    f"unknown skill '{skill}' (not in program.yaml)",
                )
        lessons[lesson.id] = lesson

    quizzes: dict[str, Quiz] = {}
    for path in sorted((root / "quizzes" / meta.id).glob("*.y*ml")):
        text = c.read(path)
        if text is None:
            continue
        quiz, qraw = c.model(Quiz, path, text)
        if quiz is None:
            continue
        _check_stem(path, quiz.id, qraw, c)
        for i, question in enumerate(quiz.questions):
            for skill in question.skills:
                if skill not in skills:
                    c.add(
                        path,
                        line_of(qraw, ["questions", i, "skills"]),
                        f"unknown skill '{skill}' (not in program.yaml)",
                    )
        quizzes[quiz.id] = quiz

    seen: set[str] = set()
    for i, step in enumerate(meta.steps):
        kind, ref = ("lesson", step.lesson) if isinstance(step, LessonStep) else ("quiz", step.quiz)
        known = lessons if kind == "lesson" else quizzes
        line = line_of(raw, ["steps", i])
        if ref not in known:
            where = (
                f"lessons/{meta.id}/{ref}.md"
                if kind == "lesson"
                else f"quizzes/{meta.id}/{ref}.yaml"
            )
            if not (root / where).exists():
                c.add(program_file, line, f"step {kind} '{ref}' has no file {where}")
        if f"{kind}:{ref}" in seen:
            c.add(program_file, line, f"duplicate step {kind} '{ref}'")
        seen.add(f"{kind}:{ref}")
    if meta.passing.quizzes != "all":
        for i, quiz_id in enumerate(meta.passing.quizzes):
            if f"quiz:{quiz_id}" not in seen:
                c.add(
                    program_file,
                    line_of(raw, ["passing", "quizzes", i]),
                    f"passing names quiz '{quiz_id}', which is not a step",
                )
    if len(c.problems) > before:
        return None
    return build_program(meta, lessons, quizzes)


def _check_badge_requirements(
    lessons_dir: Path, programs: dict[str, Program], skipped: list[str], c: _Collector
) -> None:
    """A badge may require only other programs' badges that are in the library."""
    for program in programs.values():
        path = lessons_dir / program.id / "program.yaml"
        lines = path.read_text().splitlines() if path.exists() else []
        line = next((i + 1 for i, text in enumerate(lines) if "requires:" in text), 1)
        for required in program.meta.badge.requires:
            if required == program.id:
                c.add(path, line, "a badge cannot require itself")
            elif required not in programs and required not in skipped:
                c.add(path, line, f"badge requires '{required}', which is not a program here")


def validate_library(root: Path) -> tuple[Catalog, list[Problem]]:
    """Load every program under `root`; return the valid ones and all problems."""
    c = _Collector()
    programs: dict[str, Program] = {}
    skipped: list[str] = []
    lessons_dir = root / "lessons"
    if not lessons_dir.is_dir():
        c.add(lessons_dir, 1, "no lessons/ folder: nothing to load")
    for folder in sorted(p for p in lessons_dir.glob("*") if p.is_dir()):
        program_file = folder / "program.yaml"
        if not program_file.exists():
            c.add(folder, 1, "a program folder needs a program.yaml")
            skipped.append(folder.name)
            continue
        program = _load_program(program_file, root, c)
        if program is None:
            skipped.append(folder.name)
        elif program.id in programs:
            c.add(program_file, 1, f"duplicate program id '{program.id}'")
        else:
            programs[program.id] = program
    _check_badge_requirements(lessons_dir, programs, skipped, c)
    quizzes_dir = root / "quizzes"
    for folder in sorted(p for p in quizzes_dir.glob("*") if p.is_dir()):
        if not (lessons_dir / folder.name / "program.yaml").exists():
            c.add(folder, 1, f"quizzes for unknown program '{folder.name}'")
    return Catalog(programs, tuple(skipped)), sorted(c.problems)


def load_library(root: Path, *, skip_invalid: bool = False) -> Catalog:
    """Load the library; raise InvalidContent unless `skip_invalid`."""
    catalog, problems = validate_library(root)
    if problems and not skip_invalid:
        raise InvalidContent(problems)
    return catalog
