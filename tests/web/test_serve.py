"""`microcred serve`: health, refusal on invalid content, and clear start-up errors."""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path

from tests.processes import microcred_env, run_cli, serving

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "library"


def broken_library(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    shutil.copytree(FIXTURE, root)
    quiz = root / "quizzes" / "mini" / "check.yaml"
    quiz.write_text(quiz.read_text().replace("type: true_false", "type: essay_question"))
    return root


def test_health_lists_the_programs(sqlite_url: str) -> None:
    with serving(microcred_env(sqlite_url)) as base, urllib.request.urlopen(f"{base}/healthz") as r:
        body = json.load(r)
    assert body["status"] == "ok"
    assert {"secure-coding", "effective-feedback", "data-privacy"} <= set(body["programs"])


def test_invalid_content_refuses_to_start_and_lists_problems(
    sqlite_url: str, tmp_path: Path
) -> None:
    env = microcred_env(sqlite_url, broken_library(tmp_path))
    run = run_cli("serve", "--port", "1", env=env, timeout=30)
    assert run.returncode == 1
    assert "the program library has problems" in run.stderr
    assert "check.yaml:22: questions.2: unknown question type 'essay_question'" in run.stderr


def test_skip_invalid_starts_without_the_broken_program(sqlite_url: str, tmp_path: Path) -> None:
    env = microcred_env(sqlite_url, broken_library(tmp_path))
    with serving(env, "--skip-invalid") as base, urllib.request.urlopen(f"{base}/healthz") as r:
        assert json.load(r)["programs"] == []


def test_unreachable_database_is_one_clear_error() -> None:
    run = run_cli("serve", env=microcred_env("postgresql://nobody@127.0.0.1:9/x"), timeout=30)
    assert run.returncode == 1
    assert "Error: cannot reach the database postgresql://nobody@127.0.0.1:9/x" in run.stderr
    assert "Traceback" not in run.stderr


def test_db_upgrade_against_unreachable_database_fails_clearly() -> None:
    run = run_cli("db", "upgrade", env=microcred_env("postgresql://nobody@127.0.0.1:9/x"))
    assert run.returncode == 1
    assert "cannot reach the database" in run.stderr and "Traceback" not in run.stderr


def test_unknown_commands_get_help() -> None:
    run = run_cli("frobnicate", env=microcred_env("sqlite://"))
    assert run.returncode == 2
    assert "No such command 'frobnicate'" in run.stderr and "--help" in run.stderr
