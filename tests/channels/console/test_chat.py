"""`microcred chat` in a subprocess, scripted from a pipe like a person's shell would."""

from __future__ import annotations

from bot.content import Catalog
from tests.driver import correct_answer
from tests.processes import microcred_env, run_cli


def script_for(catalog: Catalog, program_id: str) -> list[str]:
    """The lines a learner types to take the whole program in the terminal."""
    program = catalog.programs[program_id]
    lines = [f"start {program_id}"]
    for i, step in enumerate(program.steps):
        last = i == len(program.steps) - 1
        if step.kind == "lesson":
            lines += ["next"] * len(program.lessons[step.id].pages)
        else:
            quiz = program.quizzes[step.id]
            lines += [correct_answer(q).replace("\n", " ") for q in quiz.questions]
            lines += [] if last else ["next"]
    return [*lines, "progress"]


def test_a_program_end_to_end_in_the_terminal(sqlite_url: str, catalog: Catalog) -> None:
    lines = script_for(catalog, "effective-feedback")
    run = run_cli(
        "chat", "--user", "Ann", env=microcred_env(sqlite_url), stdin="\n".join(lines) + "\n"
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "== Welcome to Giving effective feedback ==" in out
    assert "✅ Correct" in out
    assert "Every step done" in out or "Program complete" in out
    assert "9 of 9 steps" in out
    assert "Traceback" not in out + run.stderr


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
