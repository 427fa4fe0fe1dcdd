"""Log output: `text` lines, or (MICROCRED_LOG_FORMAT=json) one JSON object per line."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from bot.core.observing import EVENT_ID
from bot.redaction import install_redaction
from bot.settings import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, the current `event_id` (the
    inbound event or outbox row being handled) and any exception, each already redacted by
    the redaction filter (bot/redaction.py), which rewrites records as they are made."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        event_id = EVENT_ID.get()
        if event_id:
            entry["event_id"] = event_id
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


def formatter_for(settings: Settings) -> logging.Formatter:
    """The formatter MICROCRED_LOG_FORMAT asks for (`text` unless it says `json`)."""
    return JsonFormatter() if settings.log_format == "json" else logging.Formatter(TEXT_FORMAT)


def configure_logging(settings: Settings) -> None:
    """Log to stderr at `settings.log_level` in `settings.log_format`, secrets redacted."""
    logging.basicConfig(level=settings.log_level, format=TEXT_FORMAT)
    formatter = formatter_for(settings)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)
    install_redaction(settings)  # after basicConfig, so its handler filters too
