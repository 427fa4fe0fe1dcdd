"""The installation store encrypts tokens on save and decrypts on find."""

from __future__ import annotations

from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import text

from bot.channels.slack.installations import EncryptedInstallationStore
from storage.db import Database
from storage.encryption import PREFIX, Cipher, generate_key


async def test_tokens_are_ciphertext_in_the_table_and_plain_when_found(
    sqlite_database: Database,
) -> None:
    cipher = Cipher([generate_key()])
    store = EncryptedInstallationStore("cid", sqlite_database.engine, cipher)
    installation = Installation(
        app_id="A1",
        team_id="T1",
        user_id="U1",
        bot_token="xoxb-T1",
        bot_refresh_token="xoxe-1-bot",
        user_token="xoxp-U1",
        bot_id="B1",
        bot_user_id="UBOT",
        incoming_webhook_url="https://hooks.slack.com/services/T1/B1/x",
    )
    await store.async_save(installation)
    assert installation.bot_token == "xoxb-T1"  # the caller's object is not changed
    async with sqlite_database.engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT bot_token, bot_refresh_token, user_token, incoming_webhook_url"
                    " FROM slack_installations"
                )
            )
        ).one()
        bot = (await conn.execute(text("SELECT bot_token FROM slack_bots"))).scalar_one()
    assert all(value.startswith(PREFIX) and value.count(PREFIX) == 1 for value in (*row, bot))

    found = await store.async_find_installation(enterprise_id=None, team_id="T1")
    assert found is not None
    assert (found.bot_token, found.bot_refresh_token, found.user_token) == (
        "xoxb-T1",
        "xoxe-1-bot",
        "xoxp-U1",
    )
    assert found.incoming_webhook_url == "https://hooks.slack.com/services/T1/B1/x"
    found_bot = await store.async_find_bot(enterprise_id=None, team_id="T1")
    assert found_bot is not None and found_bot.bot_token == "xoxb-T1"
