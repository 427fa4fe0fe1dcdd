"""`microcred chat` in a subprocess, scripted from a pipe like a person's shell would."""

from __future__ import annotations

from bot.content import Catalog
from bot.content.schema import MultipleChoice, Question, SingleChoice
from tests.channels.console.terminal import Terminal, last_shown, letter_of
from tests.driver import correct_answer
from tests.processes import microcred_env, run_cli


def answer_for(question: Question, screen: str) -> str:
    """What a learner who knows the material types, reading the letters off the screen."""
    if isinstance(question, SingleChoice | MultipleChoice):
        right = [o.text for o in question.options if o.correct]
        return ", ".join(sorted(letter_of(screen, text) for text in right))
    return correct_answer(question).replace("\n", " ")


def test_a_program_end_to_end_in_the_terminal(sqlite_url: str, catalog: Catalog) -> None:
    program = catalog.programs["effective-feedback"]
    prompts = {
        f"{quiz.id}/{q.id}": q.prompt for quiz in program.quizzes.values() for q in quiz.questions
    }
    with Terminal("Ann", microcred_env(sqlite_url)) as terminal:
        screen = terminal.type("start effective-feedback")
        out = screen
        for _ in range(120):
            if "Every step done" in screen or "Program complete" in screen:
                break
            if "(Question " in screen.rsplit("==", 1)[-1] and "· answered)" not in screen[-80:]:
                ref = last_shown(screen, prompts)
                assert ref is not None, screen[-800:]
                question = program.question(*ref.split("/"))
                assert question is not None
                screen = terminal.type(answer_for(question, screen))
            else:
                screen = terminal.type("next")
            out += screen
        out += terminal.type("progress")
        code, errors = terminal.close()
    assert code == 0, errors
    assert "== Welcome to Giving effective feedback ==" in out
    assert "✅ Correct" in out
    assert "Every step done" in out or "Program complete" in out
    assert "9 of 9 steps" in out
    assert "Traceback" not in out + errors


def test_unknown_text_gets_help(sqlite_url: str) -> None:
    run = run_cli(
        "chat", "--user", "bo", env=microcred_env(sqlite_url), stdin="fly me to the moon\n"
    )
    assert run.returncode == 0
    assert "I didn't catch “fly me to the moon”" in run.stdout
    assert "type “catalog”" in run.stdout


def test_unreachable_database_is_one_clear_error() -> None:
    env = microcred_env("postgresql://nobody@127.0.0.1:9/nowhere")
    run = run_cli("chat", "--user", "cy", env=env, stdin="help\n")
    assert run.returncode == 1
    assert run.stderr.startswith(
        "Error: cannot reach the database postgresql://nobody@127.0.0.1:9/nowhere"
    )
    assert "Traceback" not in run.stderr
