"""`microcred chat` in a subprocess, driven line by line like a person reading the screen."""

from __future__ import annotations

import builtins
import os
import re
import subprocess
import sys
import threading
import time
from types import TracebackType

QUIET = 0.3
"""Seconds without output after which a reply counts as printed in full."""


class Terminal:
    """A running `microcred chat`: type a line, then read what it printed in reply."""

    def __init__(self, user: str, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat", "--user", user],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        self.output = ""
        self._changed = time.monotonic()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while chunk := os.read(self.process.stdout.fileno(), 65536):
            with self._lock:
                self.output += chunk.decode("utf-8", "replace")
                self._changed = time.monotonic()

    def type(self, line: str, timeout: float = 30) -> str:
        """Send one line; return what was printed after its echo."""
        assert self.process.stdin is not None
        with self._lock:
            start = len(self.output)
        self.process.stdin.write((line + "\n").encode())
        self.process.stdin.flush()
        echo = f"> {line}\n"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                seen = self.output.find(echo, start)
                after = self.output[seen + len(echo) :] if seen >= 0 else ""
                quiet = time.monotonic() - self._changed > QUIET
            if after and quiet:
                return after
            time.sleep(0.02)
        raise AssertionError(f"no reply to {line!r}; last output: {self.output[-500:]}")

    def close(self, timeout: float = 30) -> tuple[int, str]:
        """End the chat (Ctrl-D); the exit code and what went to stderr."""
        assert self.process.stdin is not None and self.process.stderr is not None
        self.process.stdin.close()
        code = self.process.wait(timeout)
        self._reader.join(timeout)
        return code, self.process.stderr.read().decode("utf-8", "replace")

    def __enter__(self) -> Terminal:
        return self

    def __exit__(
        self,
        kind: builtins.type[BaseException] | None,  # `type` here is Terminal.type
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[*_`]", "", text).split())


def letter_of(screen: str, option_text: str) -> str:
    """The letter the terminal shows an option under ("B. Some option text")."""
    wanted = _plain(option_text)[:25]
    for found in re.finditer(r"^([A-J])\. (.*)$", screen, re.MULTILINE):
        if _plain(found.group(2)).startswith(wanted):
            return found.group(1)
    raise AssertionError(f"no option {wanted!r} on screen:\n{screen[-800:]}")


def last_shown(screen: str, prompts: dict[str, str]) -> str | None:
    """Of `prompts` (key → question prompt), the one printed last on `screen`."""
    where = {key: _plain(screen).rfind(_plain(prompt)[:60]) for key, prompt in prompts.items()}
    key, index = max(where.items(), key=lambda item: item[1], default=("", -1))
    return key if index >= 0 else None
