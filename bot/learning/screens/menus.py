"""Help, catalog and lesson pages."""

from __future__ import annotations

from typing import Any

from bot.content import Catalog, Lesson, Program
from bot.core.copy import t, tn
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
    primary = Button(t("help.next_step"), a.NEXT(), "primary", "next")
    catalog = Button(t("help.browse"), a.CATALOG(), "primary", "catalog")
    buttons = (
        (primary, Button(t("help.my_progress"), a.PROGRESS(), command="progress"))
        if (has_enrollments)
        else (catalog,)
    )
    return message(
        Header(t("help.title")),
        Text(t("help.body")),
        Buttons(buttons),
        fallback=t("help.fallback"),
    )


def catalog_message(catalog: Catalog, enrolled: set[str]) -> Message:
    blocks: list[Any] = [Header(t("catalog.title"))]
    for program in catalog:
        lessons = sum(1 for s in program.steps if s.kind == "lesson")
        quizzes = len(program.steps) - lessons
        blocks.append(
            Text(
                t(
                    "catalog.program",
                    title=program.title,
                    summary=program.meta.summary,
                    lessons=tn("catalog.lessons", lessons),
                    quizzes=tn("catalog.quizzes", quizzes),
                    badge=program.meta.badge.name,
                )
            )
        )
        continuing = program.id in enrolled
        blocks.append(
            Buttons(
                (
                    Button(
                        t(
                            "catalog.continue" if continuing else "catalog.start",
                            title=shorten(program.title, 60),
                        ),
                        a.START(a.ProgramArgs(program=program.id)),
                        "primary",
                        f"start {program.id}",
                    ),
                )
            )
        )
    if len(blocks) == 1:
        blocks.append(Text(t("catalog.empty")))
    return message(*blocks, fallback=t("catalog.fallback"))


def lesson_page(program: Program, lesson: Lesson, page: int, enrollment_id: int) -> Message:
    step_no = program.step_number(f"lesson:{lesson.id}")
    pages = len(lesson.pages)
    title = lesson.meta.title if page == 0 else t("lesson.continued", title=lesson.meta.title)
    steps = len(program.steps)
    where = (
        t(
            "lesson.where_paged",
            step=step_no,
            steps=steps,
            program=program.title,
            page=page + 1,
            pages=pages,
        )
        if pages > 1
        else t("lesson.where", step=step_no, steps=steps, program=program.title)
    )
    last = page + 1 >= pages
    button = (
        Button(
            t("lesson.continue"),
            a.CONTINUE(a.StepArgs(enrollment=enrollment_id, step=f"lesson:{lesson.id}")),
            "primary",
            "next",
        )
        if last
        else Button(
            t("lesson.next_page"),
            a.PAGE(a.PageArgs(enrollment=enrollment_id, step=f"lesson:{lesson.id}", page=page)),
            "primary",
            "next",
        )
    )
    return message(
        Header(shorten(title, 150)),
        Text(lesson.pages[page]),
        Context(t("lesson.minutes", where=where, minutes=lesson.meta.minutes)),
        Buttons((button,)),
        fallback=t("lesson.fallback", title=lesson.meta.title, page=page + 1, pages=pages),
        key=f"{enrollment_id}:lesson:{lesson.id}:{page}",
    )
