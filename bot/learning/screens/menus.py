"""Help, catalog and lesson pages."""

from __future__ import annotations

from typing import Any

from bot.content import Catalog, Lesson, Program
from bot.core.text import shorten
from bot.core.views import (
    Button,
    Buttons,
    Context,
    Header,
    Message,
    Text,
    message,
)
from bot.learning import actions as a


def help_message(has_enrollments: bool) -> Message:
    lines = [
        "I deliver short lessons and quizzes and track your progress towards a credential.",
        "",
        "- `catalog`: the programs you can take",
        "- `start <program>`: begin a program",
        "- `next`: your next lesson or question",
        "- `progress`: where you stand",
        "- `pause` / `resume`: stop and restart scheduled lessons",
        "- `settings`: your time zone, lesson rhythm and quiet hours",
        "- `badges`: the credentials you have earned",
        "- `points` · `leaderboard` · `challenge`: points, boards and team challenges",
        "- `portfolio` · `review`: your portfolio submissions, and reviews you owe",
    ]
    primary = Button("Next step", a.NEXT(), "primary", "next")
    catalog = Button("Browse programs", a.CATALOG(), "primary", "catalog")
    buttons = (
        (primary, Button("My progress", a.PROGRESS(), command="progress"))
        if (has_enrollments)
        else (catalog,)
    )
    return message(
        Header("Learning in chat"),
        Text("\n".join(lines)),
        Buttons(buttons),
        fallback="What I can do: catalog, start, next, progress, pause, resume, settings.",
    )


def catalog_message(catalog: Catalog, enrolled: set[str]) -> Message:
    blocks: list[Any] = [Header("Programs")]
    for program in catalog:
        lessons = sum(1 for s in program.steps if s.kind == "lesson")
        quizzes = len(program.steps) - lessons
        blocks.append(
            Text(
                f"**{program.title}**\n{program.meta.summary}\n"
                f"{lessons} lessons · {quizzes} quizzes · earns *{program.meta.badge.name}*"
            )
        )
        label = "Continue" if program.id in enrolled else "Start"
        blocks.append(
            Buttons(
                (
                    Button(
                        f"{label}: {shorten(program.title, 60)}",
                        a.START(a.ProgramArgs(program=program.id)),
                        "primary",
                        f"start {program.id}",
                    ),
                )
            )
        )
    if len(blocks) == 1:
        blocks.append(Text("No programs are installed yet."))
    return message(*blocks, fallback="Programs you can take")


def lesson_page(program: Program, lesson: Lesson, page: int, enrollment_id: int) -> Message:
    step_no = program.step_number(f"lesson:{lesson.id}")
    pages = len(lesson.pages)
    title = lesson.meta.title if page == 0 else f"{lesson.meta.title} (continued)"
    where = f"Step {step_no} of {len(program.steps)} · {program.title}"
    page_info = f" · page {page + 1} of {pages}" if pages > 1 else ""
    last = page + 1 >= pages
    button = (
        Button(
            "Continue",
            a.CONTINUE(a.StepArgs(enrollment=enrollment_id, step=f"lesson:{lesson.id}")),
            "primary",
            "next",
        )
        if last
        else Button(
            "Next page",
            a.PAGE(a.PageArgs(enrollment=enrollment_id, step=f"lesson:{lesson.id}", page=page)),
            "primary",
            "next",
        )
    )
    return message(
        Header(shorten(title, 150)),
        Text(lesson.pages[page]),
        Context(f"{where}{page_info} · about {lesson.meta.minutes} min"),
        Buttons((button,)),
        fallback=f"{lesson.meta.title}: page {page + 1} of {pages}",
        key=f"{enrollment_id}:lesson:{lesson.id}:{page}",
    )
