"""The learner journey: one conversation handler for every channel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.assessment.scoring import ExactScorer, Scorer
from bot.content import Catalog, Program
from bot.core.actions import NoArgs
from bot.core.clock import SYSTEM_CLOCK
from bot.core.commands import Command, parse_command
from bot.core.copy import speaking, t, tn
from bot.core.errors import BadRequest
from bot.core.events import ActionInput, Inbound, TextInput
from bot.core.ports import Clock
from bot.core.text import escape_markdown, shorten
from bot.core.views import Header, Reply, Text, message, say
from bot.learning import actions as a
from bot.learning import keep, screens
from bot.learning.answers import answer, open_question
from bot.learning.cadence import effective_cadence
from bot.learning.enrollment import enroll
from bot.learning.hooks import CommandHandler, Hooks, PauseChanged
from bot.learning.progress import Standing, standing, standings
from bot.learning.roles import holds
from bot.learning.runs import closed_quizzes, retake_refusal
from bot.learning.settings import apply_settings, parse_settings_text
from bot.learning.steps import advance, complete_lesson, show_current
from bot.learning.turn import Turn
from bot.learning.window import DEFAULT_WINDOW
from storage.db import Database
from storage.models import UNDERWAY, Cohort, Enrollment, EnrollmentStatus, StepStatus
from storage.queries.people import ensure_person

MAX_TEXT = 10_000


TurnHandler = Callable[[Turn], Awaitable[Reply]]


def _as_command(run: TurnHandler) -> CommandHandler:
    async def command(turn: Turn, arg: str) -> Reply:
        return await run(turn)

    return command


def _as_action(run: TurnHandler) -> Callable[[Turn, NoArgs, ActionInput], Awaitable[Reply]]:
    async def action(turn: Turn, args: NoArgs, action_input: ActionInput) -> Reply:
        return await run(turn)

    return action


class Journey:
    """Handles help, catalog, start, lessons, quizzes, progress, pause/resume and settings."""

    def __init__(
        self,
        database: Database,
        catalog: Catalog,
        *,
        hooks: Hooks | None = None,
        scorer: Scorer | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.database = database
        self.catalog = catalog
        self.hooks = hooks or Hooks()
        self.scorer = scorer or ExactScorer()
        self.clock = clock
        self._register(self.hooks)

    async def handle(self, inbound: Inbound) -> Reply:
        actor = inbound.actor
        async with self.database.transaction() as session:
            person = await ensure_person(
                session,
                identity=actor.identity,
                display_name=actor.display_name,
                email=actor.email,
                timezone=actor.timezone,
                locale=actor.locale,
            )
            turn = Turn(
                session, person, self.catalog, self.hooks, self.scorer, inbound.channel, self.clock
            )
            with speaking(person.locale or actor.locale):
                if isinstance(inbound.input, TextInput):
                    return await self._text(turn, inbound.input.text)
                return await self._action(turn, inbound.input)

    async def _text(self, turn: Turn, text: str) -> Reply:
        if len(text) > MAX_TEXT:
            raise BadRequest(t("chat.too_long", length=len(text), limit=MAX_TEXT))
        command = parse_command(text, self.hooks.commands)
        if command is not None:
            return await self._command(turn, command)
        enrollment = await turn.enrollment()
        if enrollment is not None and enrollment.status in UNDERWAY:
            current = await open_question(turn.session, turn.program(enrollment), enrollment)
            if current is not None:
                quiz, index = current
                ref = f"{quiz.id}/{quiz.questions[index].id}"
                return await answer(
                    turn, enrollment, ref, enrollment.quiz_run, text, from_button=False
                )
        enrollments = await turn.enrollments()
        intro = (
            say(t("chat.not_understood", text=escape_markdown(shorten(text.strip(), 80))))
            if text.strip()
            else Reply()
        )
        reply = intro + Reply((screens.help_message(bool(enrollments)),))
        if not enrollments:
            reply = reply + Reply((screens.catalog_message(self.catalog, set()),))
        return reply

    async def _command(self, turn: Turn, command: Command) -> Reply:
        return await self.hooks.commands[command.name](turn, command.arg)

    async def _action(self, turn: Turn, action_input: ActionInput) -> Reply:
        return await self.hooks.actions.press(
            turn, action_input, shared=bool(turn.channel), holds=holds
        )

    def _register(self, hooks: Hooks) -> None:
        """The journey's own commands and buttons, in the registry the features use."""
        for name, kind, handler in (
            ("help", a.HELP, self._help),
            ("catalog", a.CATALOG, self._catalog),
            ("progress", a.PROGRESS, self._progress),
            ("pause", a.PAUSE, self._paused),
            ("resume", a.RESUME, self._resumed),
        ):
            hooks.command(name, _as_command(handler))
            hooks.action(kind, _as_action(handler))
        hooks.command("start", self._start)
        hooks.command("next", lambda turn, arg: self._next(turn, None))
        hooks.command("settings", self._settings_command)
        hooks.command("retake", lambda turn, arg: self._retake(turn, None, arg))
        hooks.action(a.ANSWER, self._answer)
        hooks.action(a.PAGE, lambda t, p, _: self._page(t, p.enrollment, p.step, p.page))
        hooks.action(a.CONTINUE, lambda t, p, _: self._continue(t, p.enrollment, p.step))
        hooks.action(a.START, lambda t, p, _: self._start(t, p.program))
        hooks.action(a.RETAKE, lambda t, p, _: self._retake(t, p.enrollment, p.quiz))
        hooks.action(a.NEXT, lambda t, p, _: self._next(t, p.enrollment))
        hooks.action(a.SETTINGS, self._settings_form)
        hooks.action(a.HOME, lambda t, p, _: self._home(t))
        keep.register(hooks)

    async def _help(self, turn: Turn) -> Reply:
        enrolled = bool(await turn.enrollments())
        reply = Reply((screens.help_message(enrolled),))
        return reply if enrolled else reply + await self._catalog(turn)

    async def _answer(self, turn: Turn, args: a.AnswerArgs, action_input: ActionInput) -> Reply:
        enrollment = await turn.enrollment(args.enrollment)
        if enrollment is None:
            raise BadRequest(t("start.first"))
        raw = args.value or action_input.values.get(screens.ANSWER_FIELD, "")
        return await answer(turn, enrollment, args.question, args.run, raw, from_button=True)

    async def _settings_command(self, turn: Turn, arg: str) -> Reply:
        if arg:
            return await self._save_settings(turn, parse_settings_text(arg))
        return await self._settings(turn)

    async def _settings_form(self, turn: Turn, args: NoArgs, action_input: ActionInput) -> Reply:
        values = action_input.values
        flat = {k: v if isinstance(v, str) else ",".join(v) for k, v in values.items()}
        return await self._save_settings(turn, flat)

    async def _catalog(self, turn: Turn) -> Reply:
        enrolled = {e.program_id for e in await turn.enrollments()}
        return Reply((screens.catalog_message(self.catalog, enrolled),))

    async def _start(self, turn: Turn, arg: str) -> Reply:
        if not arg:
            return await self._catalog(turn)
        program = self.catalog.find(arg)
        if program is None:
            known = ", ".join(f"`{p.id}`" for p in self.catalog)
            raise BadRequest(
                t("start.unknown_program", name=escape_markdown(shorten(arg, 60)), known=known)
            )
        enrollment, created = await enroll(turn.session, person=turn.person, program=program)
        if not created:
            if enrollment.status == EnrollmentStatus.PAUSED:
                enrollment.status = EnrollmentStatus.ACTIVE
            note = say(t("start.welcome_back", program=program.title))
            if enrollment.cursor_shown and enrollment.cursor_step:
                enrollment.cursor_shown = False
            return note + await show_current(turn, enrollment)
        cadence = await self._cadence(turn, enrollment, program)
        zone = turn.person.timezone
        when = (
            t("welcome.when", cadence=cadence, zone=zone)
            if zone
            else t("welcome.when_no_zone", cadence=cadence)
        )
        intro = message(
            Header(t("welcome.title", program=program.title)),
            Text(
                t(
                    "welcome.body",
                    summary=program.meta.summary,
                    steps=tn("welcome.steps", len(program.steps)),
                    badge=program.meta.badge.name,
                    when=when,
                )
            ),
            fallback=t("welcome.title", program=program.title),
        )
        return Reply((intro,)) + await show_current(turn, enrollment)

    async def _next(self, turn: Turn, enrollment_id: int | None) -> Reply:
        enrollment = await turn.enrollment(enrollment_id)
        if enrollment is None:
            return say(t("progress.not_enrolled")) + await self._catalog(turn)
        if enrollment.status not in UNDERWAY and enrollment.cursor_step is None:
            program = turn.program(enrollment)
            st = await standing(turn.session, program=program, enrollment=enrollment)
            failed = st.quizzes(StepStatus.FAILED)
            closed = await closed_quizzes(turn.session, program, enrollment.id, failed)
            return Reply((screens.finished_message(st, closed),))
        return await advance(turn, enrollment)

    async def _page(self, turn: Turn, enrollment_id: int, step_key: str, page: int) -> Reply:
        enrollment = await turn.enrollment(enrollment_id)
        assert enrollment is not None
        if enrollment.cursor_step != step_key or enrollment.cursor_part != page:
            return Reply(private=(t("lesson.page_turned"),))
        program = turn.program(enrollment)
        lesson = program.lessons[step_key.split(":", 1)[1]]
        done = screens.lesson_page(program, lesson, page, enrollment.id)
        return Reply(replace_source=done.without_actions()) + await advance(turn, enrollment)

    async def _continue(self, turn: Turn, enrollment_id: int, step_key: str) -> Reply:
        enrollment = await turn.enrollment(enrollment_id)
        assert enrollment is not None
        if enrollment.cursor_step == step_key and step_key.startswith("lesson:"):
            program = turn.program(enrollment)
            lesson = program.lessons[step_key.split(":", 1)[1]]
            page = screens.lesson_page(program, lesson, enrollment.cursor_part, enrollment.id)
            return Reply(replace_source=page.without_actions()) + await complete_lesson(
                turn, enrollment
            )
        if not enrollment.cursor_shown:
            return await show_current(turn, enrollment)
        return Reply(private=(t("step.already_done"),))

    async def _retake(self, turn: Turn, enrollment_id: int | None, quiz_id: str) -> Reply:
        enrollment = await turn.enrollment(enrollment_id)
        if enrollment is None:
            raise BadRequest(t("start.first"))
        program = turn.program(enrollment)
        if quiz_id not in program.quizzes:
            known = ", ".join(f"`{q}`" for q in program.quizzes)
            raise BadRequest(t("retake.which_quiz", known=known))
        st = await standing(turn.session, program=program, enrollment=enrollment)
        outcome = st.outcomes.get(f"quiz:{quiz_id}")
        if outcome is not None and outcome.status == StepStatus.PASSED:
            return say(t("retake.already_passed", quiz=program.quizzes[quiz_id].title))
        if outcome is None or outcome.status == StepStatus.PENDING:
            return say(t("retake.needs_result"))
        refused = await retake_refusal(
            turn.session, program.quizzes[quiz_id], enrollment.id, turn.clock.now()
        )
        if refused:
            return say(refused)
        enrollment.cursor_step, enrollment.cursor_part = f"quiz:{quiz_id}", 0
        enrollment.quiz_run += 1
        enrollment.cursor_shown = False
        if enrollment.status == EnrollmentStatus.FINISHED:
            enrollment.status = EnrollmentStatus.ACTIVE
        return await show_current(turn, enrollment)

    async def _standings(self, turn: Turn) -> list[Standing]:
        """Where each of the learner's enrollments stands (programs still loaded), at once."""
        found = []
        for enrollment in await turn.enrollments():
            program = self.catalog.get(enrollment.program_id)
            if program is not None:
                found.append((program, enrollment))
        return await standings(turn.session, enrollments=found)

    async def _progress(self, turn: Turn) -> Reply:
        rows = await self._standings(turn)
        return Reply((screens.progress_message(rows),))

    async def _paused(self, turn: Turn) -> Reply:
        return await self._pause(turn, paused=True)

    async def _resumed(self, turn: Turn) -> Reply:
        return await self._pause(turn, paused=False)

    async def _pause(self, turn: Turn, *, paused: bool) -> Reply:
        before, after = EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED
        if not paused:
            before, after = after, before
        changed = [e for e in await turn.enrollments() if e.status == before]
        for enrollment in changed:
            enrollment.status = after
            await self.hooks.emit(PauseChanged(turn.session, turn.person, enrollment, paused))
        if not changed:
            return say(t("pause.nothing_active") if paused else t("pause.nothing_paused"))
        titles = ", ".join(turn.program(e).title for e in changed)
        return say(t("pause.paused" if paused else "pause.resumed", programs=titles))

    async def _settings(self, turn: Turn) -> Reply:
        enrollment = await turn.enrollment()
        program = self.catalog.get(enrollment.program_id) if enrollment else None
        cadence = await self._cadence(turn, enrollment, program)
        paused = enrollment is not None and enrollment.status == EnrollmentStatus.PAUSED
        hours = turn.person.quiet_hours or DEFAULT_WINDOW
        return Reply((screens.settings_message(turn.person.timezone, cadence, paused, hours),))

    async def _home(self, turn: Turn) -> Reply:
        """The learner's dashboard (Slack App Home), from stored rows only."""
        rows = await self._standings(turn)
        current = next((r for r in rows if r.enrollment.status in UNDERWAY), None)
        cadence = await self._cadence(
            turn, current.enrollment if current else None, current.program if current else None
        )
        paused = current is not None and current.enrollment.status == EnrollmentStatus.PAUSED
        return Reply((screens.home_message(rows, turn.person.timezone, cadence, paused),))

    async def _cadence(
        self, turn: Turn, enrollment: Enrollment | None, program: Program | None
    ) -> str:
        """The rhythm the scheduler will use for this enrollment, as the learner is told it."""
        cohort_id = enrollment.cohort_id if enrollment else None
        cohort = await turn.session.get(Cohort, cohort_id) if cohort_id else None
        resolved = effective_cadence(
            enrollment=enrollment.cadence if enrollment else None,
            learner=turn.person.cadence,
            cohort=cohort.cadence if cohort else None,
            program=program.meta.cadence if program else None,
        )
        return str(resolved.cadence)

    async def _save_settings(self, turn: Turn, changes: dict[str, str]) -> Reply:
        done = apply_settings(turn.person, changes)
        with speaking(turn.person.locale):  # a new language answers in itself
            note = (
                say(t("settings.saved", changes=", ".join(done)))
                if done
                else say(t("settings.nothing_changed"))
            )
            return note + await self._settings(turn)
