"""The log filter: no token, secret or key survives in a record, at any level."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.redaction import REDACTED, RedactSecrets, install_redaction, redact, uninstall_redaction
from bot.settings import Settings
from storage.encryption import generate_key

KEY = generate_key()
CASES = [
    ("bot token xoxb-123-456-abcDEF", "xoxb-123-456-abcDEF"),
    ("user token xoxp-1-2-3", "xoxp-1-2-3"),
    ("rotating xoxe.xoxb-1-MTIz and refresh xoxe-1-abc", "xoxe.xoxb-1-MTIz"),
    ("refresh xoxe-1-abcdef", "xoxe-1-abcdef"),
    ("app token xapp-1-A01-123-abc", "xapp-1-A01-123-abc"),
    ("headers {'Authorization': 'Bearer abc.def-123'}", "abc.def-123"),
    ("client_id=cid&client_secret=sup3rs3cret&code=1", "sup3rs3cret"),
    ('{"client_secret": "sup3rs3cret"}', "sup3rs3cret"),
    ("SLACK_SIGNING_SECRET=8f742231b10e8888abcd99yyyzzz85a5", "8f742231b10e8888abcd99yyyzzz85a5"),
    (f"key {KEY} loaded", KEY),
    ("webhook https://hooks.slack.com/services/T1/B2/xyz", "hooks.slack.com/services/T1"),
    ("body: {'ok': True, 'access_token': 'gho_abc'}", "gho_abc"),
]


@pytest.fixture
def redaction() -> Iterator[None]:
    install_redaction(Settings(slack_signing_secret="plain-signing-secret-value"))
    yield
    uninstall_redaction()


@pytest.mark.parametrize(("text", "secret"), CASES)
def test_redact_removes_the_secret(text: str, secret: str) -> None:
    assert secret not in redact(text) and REDACTED in redact(text)


def test_ordinary_text_is_left_alone() -> None:
    text = "token_type=bot scope=chat:write prompt_tokens=120 team T1 code=abc"
    assert redact(text) == text


def test_the_filter_rewrites_message_and_args() -> None:
    record = logging.LogRecord(
        "slack_sdk", logging.DEBUG, __file__, 1, "POST %s with %r: %d", None, None
    )
    record.args = ("client_secret=csecret1", {"token": "xoxb-9-9"}, 3)
    assert RedactSecrets().filter(record) is True
    message = record.getMessage()
    assert "csecret1" not in message and "xoxb-9-9" not in message
    assert message.endswith(": 3")
    plain = logging.LogRecord("x", logging.INFO, __file__, 1, "count %d", (3,), None)
    RedactSecrets().filter(plain)
    assert (plain.msg, plain.args) == ("count %d", (3,))


def test_every_logger_and_level_is_redacted_once_installed(
    redaction: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("slack_sdk.web.async_base_client").debug("body: %s", {"t": "xoxb-1-2"})
    logging.getLogger("deep.child").warning("signing with plain-signing-secret-value")
    try:
        raise RuntimeError("failed for xapp-1-A-2")
    except RuntimeError:
        logging.getLogger("bot").exception("Bearer xoxb-3-4")
    for secret in ("xoxb-1-2", "plain-signing-secret-value", "xapp-1-A-2", "xoxb-3-4"):
        assert secret not in caplog.text
    assert caplog.text.count(REDACTED) >= 4
