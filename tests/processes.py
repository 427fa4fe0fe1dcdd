"""Running `microcred` as a real process, the way a person does."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import aiohttp


def microcred_env(
    database_url: str, content_dir: Path | None = None, **extra: str
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_"))}
    env["DATABASE_URL"] = database_url
    if content_dir is not None:
        env["MICROCRED_CONTENT_DIR"] = str(content_dir)
    env.update(extra)
    return env


def run_cli(
    *args: str, env: dict[str, str], stdin: str = "", timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(env: dict[str, str], *extra_args: str) -> Iterator[str]:
    """`microcred serve` on a free port; yields its base URL and stops it afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port), *extra_args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(
                    f"serve exited: {process.stdout.read() if process.stdout else ''}"
                )
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("serve did not answer /healthz in 30 s")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def servers(env: dict[str, str], count: int, logs: Path) -> Iterator[list[subprocess.Popen[str]]]:
    """`count` `microcred serve` processes on ports PORT0… of `env`, logging into `logs`."""
    processes: list[subprocess.Popen[str]] = []
    files: list[IO[str]] = []
    try:
        for n in range(count):
            log = (logs / f"serve-{n}.log").open("w")
            files.append(log)
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "bot", "serve", "--port", env[f"PORT{n}"]],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            )
        yield processes
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for file in files:
            file.close()


async def wait_healthy(ports: list[str], processes: list[subprocess.Popen[str]]) -> None:
    """Until every server answers /healthz (a server that exits fails at once)."""
    async with aiohttp.ClientSession() as http:
        for port, process in zip(ports, processes, strict=True):
            for _ in range(600):
                assert process.poll() is None, "a server exited early"
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(f"server on {port} never became healthy")
