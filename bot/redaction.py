"""Secrets never reach a log: a filter that redacts tokens and keys from every record."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from bot.settings import Settings

REDACTED = "[redacted]"

_NAMED = re.compile(
    r"""(?ix)
    (?P<name>\b[\w-]*(?:secret|password|token|api[_-]?key|private[_-]?key))
    (?P<sep>['"]?\s*[:=]\s*)
    (?P<value>"[^"]*"|'[^']*'|[^\s,;&'"}\])]+)
    """
)
_PATTERNS = (
    re.compile(r"\bxox[a-z](?:\.xox[a-z])?-[\w-]+"),  # Slack bot/user/refresh tokens
    re.compile(r"\bxapp-[\w-]+"),  # Slack app-level tokens
    re.compile(r"https://hooks\.slack\.com/[\w/.-]+"),  # incoming webhook URLs
    re.compile(r"(?i)(?<=\bbearer\s)\s*[\w.~+/=-]+"),
    re.compile(r"(?i)(?<=\bbasic\s)\s*[A-Za-z0-9+/=]{8,}"),
    re.compile(r"(?<![\w-])[A-Za-z0-9_-]{43}=(?![\w=-])"),  # Fernet keys
    re.compile(r"\bsk-[\w-]{16,}"),  # OpenAI-style API keys
)


def _named(match: re.Match[str]) -> str:
    value = match.group("value")
    quote = value[0] if value[:1] in ("'", '"') else ""
    return f"{match.group('name')}{match.group('sep')}{quote}{REDACTED}{quote}"


def redact(text: str, literals: Iterable[str] = ()) -> str:
    """`text` with every token, key and named secret replaced by [redacted]."""
    for literal in literals:
        text = text.replace(literal, REDACTED)
    text = _NAMED.sub(_named, text)
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


class RedactSecrets(logging.Filter):
    """Rewrites a record's message (formatted with its args), exception and stack text."""

    def __init__(self, literals: Iterable[str] = ()) -> None:
        super().__init__()
        self.literals = tuple(literals)

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_redacted", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: redact the parts, logging reports the rest
            record.msg = redact(str(record.msg), self.literals)
            if isinstance(record.args, tuple):
                record.args = tuple(self._arg(arg) for arg in record.args)
        else:
            clean = redact(message, self.literals)
            if clean != message:
                record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.literals)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.literals)
        record.__dict__["_redacted"] = True
        return True

    def _arg(self, arg: object) -> object:
        if isinstance(arg, (int, float, bool)) or arg is None:
            return arg
        return redact(str(arg), self.literals)


def configured_secrets(settings: Settings) -> tuple[str, ...]:
    """The secret values in `settings`, redacted wherever they appear."""
    values = (
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
        settings.slack_client_secret,
        settings.microsoft_app_password,
        settings.openai_api_key,
        settings.metrics_token,
        *settings.secret_keys,
    )
    return tuple(value for value in values if len(value) >= 8)


_installed: RedactSecrets | None = None
_previous_factory = logging.getLogRecordFactory()


def install_redaction(settings: Settings | None = None) -> RedactSecrets:
    """Redact every log record from now on, at every level and from every logger.

    The filter sits on the root logger and its handlers, and also runs as each record is
    made (records from child loggers skip the root logger's own filters). Calling it again
    adds the secrets of `settings`; it never installs twice.
    """
    global _installed, _previous_factory
    literals = configured_secrets(settings) if settings else ()
    if _installed is None:
        _installed = RedactSecrets(literals)
        previous = _previous_factory = logging.getLogRecordFactory()
        current = _installed

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            current.filter(record)
            return record

        logging.setLogRecordFactory(factory)
    else:
        _installed.literals = tuple(dict.fromkeys((*_installed.literals, *literals)))
    root = logging.getLogger()
    for target in (root, *root.handlers):
        if _installed not in target.filters:
            target.addFilter(_installed)
    return _installed


def uninstall_redaction() -> None:
    """Undo `install_redaction` (for tests)."""
    global _installed
    if _installed is None:
        return
    root = logging.getLogger()
    for target in (root, *root.handlers):
        target.removeFilter(_installed)
    logging.setLogRecordFactory(_previous_factory)
    _installed = None
