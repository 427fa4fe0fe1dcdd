"""`microcred worker`: PostgreSQL only (on SQLite, `serve` runs the one worker)."""

from __future__ import annotations

from tests.processes import microcred_env, run_cli


def test_the_worker_refuses_sqlite_with_one_clear_line(sqlite_url: str) -> None:
    run = run_cli("worker", env=microcred_env(sqlite_url), timeout=30)
    assert run.returncode == 1
    assert "needs PostgreSQL" in run.stderr and "microcred serve" in run.stderr
    assert "Traceback" not in run.stderr


def test_serve_and_worker_describe_the_split() -> None:
    env = microcred_env("sqlite:///unused.db")
    assert "--no-worker" in run_cli("serve", "--help", env=env).stdout
    assert "--concurrency" in run_cli("worker", "--help", env=env).stdout
