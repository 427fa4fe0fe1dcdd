"""slack_sdk's SQLAlchemy installation store with every token encrypted at rest."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TypeVar

from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.encrypted_columns import SECRET_COLUMNS
from storage.encryption import Cipher

BOT_SECRETS = SECRET_COLUMNS["slack_bots"]
INSTALLATION_SECRETS = SECRET_COLUMNS["slack_installations"]

Entity = TypeVar("Entity", Bot, Installation)


def _convert(entity: Entity, fields: tuple[str, ...], change: Callable[[str], str]) -> Entity:
    """A copy of `entity` with `change` applied to each non-empty secret field."""
    converted = copy.copy(entity)
    for name in fields:
        value = getattr(converted, name, None)
        if isinstance(value, str) and value:
            setattr(converted, name, change(value))
    return converted


class EncryptedInstallationStore(AsyncSQLAlchemyInstallationStore):
    """Saves tokens (and incoming webhook URLs) as `enc:v1:` ciphertexts; finds decrypt them."""

    def __init__(self, client_id: str, engine: AsyncEngine, cipher: Cipher) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self.cipher = cipher

    async def async_save(self, installation: Installation) -> None:
        # slack_sdk saves the bot through self.async_save_bot; encrypting is idempotent.
        await super().async_save(_convert(installation, INSTALLATION_SECRETS, self.cipher.encrypt))

    async def async_save_bot(self, bot: Bot) -> None:
        await super().async_save_bot(_convert(bot, BOT_SECRETS, self.cipher.encrypt))

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        bot = await super().async_find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        return None if bot is None else _convert(bot, BOT_SECRETS, self.cipher.decrypt)

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        found = await super().async_find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        if found is None:
            return None
        return _convert(found, INSTALLATION_SECRETS, self.cipher.decrypt)
