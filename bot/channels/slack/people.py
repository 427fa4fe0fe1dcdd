"""Who is on the other side: profiles from users.info and DM channels, cached per person."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack.errors import describe
from bot.core.events import Actor

log = logging.getLogger("bot.channels.slack")
T = TypeVar("T")


class TtlCache(Generic[T]):
    """A small LRU map whose entries expire."""

    def __init__(self, ttl: float, size: int = 10_000) -> None:
        self.ttl, self.size = ttl, size
        self.items: OrderedDict[str, tuple[float, T]] = OrderedDict()

    def get(self, key: str) -> T | None:
        found = self.items.get(key)
        if found is None or found[0] < time.monotonic():
            self.items.pop(key, None)
            return None
        self.items.move_to_end(key)
        return found[1]

    def put(self, key: str, value: T, ttl: float | None = None) -> None:
        self.items[key] = (time.monotonic() + (self.ttl if ttl is None else ttl), value)
        self.items.move_to_end(key)
        while len(self.items) > self.size:
            self.items.popitem(last=False)


@dataclass(frozen=True)
class Profile:
    display_name: str = ""
    timezone: str = ""
    locale: str = ""
    email: str = ""
    """Needs the users:read.email scope; empty without it (badges then ask in chat)."""


class People:
    """users.info (time zone, locale, name) and conversations.open (the DM), cached."""

    def __init__(self, ttl: float = 3600) -> None:
        self.profiles: TtlCache[Profile] = TtlCache(ttl)
        self.dms: TtlCache[str] = TtlCache(24 * 3600)

    async def profile(self, client: AsyncWebClient, team: str, user: str) -> Profile:
        key = f"{team}:{user}"
        cached = self.profiles.get(key)
        if cached is not None:
            return cached
        try:
            response = await client.users_info(user=user, include_locale=True)
        except Exception as exc:  # a profile is nice to have: go on without it, retry later
            log.warning(describe("users.info", key, exc))
            self.profiles.put(key, Profile(), ttl=60)
            return Profile()
        data = response.get("user") or {}
        names = data.get("profile") or {}
        name = names.get("display_name") or data.get("real_name") or data.get("name") or ""
        profile = Profile(str(name), str(data.get("tz") or ""), str(data.get("locale") or ""))
        profile = replace(profile, email=str(names.get("email") or ""))
        self.profiles.put(key, profile)
        return profile

    async def actor(self, client: AsyncWebClient, actor: Actor) -> Actor:
        """`actor` with the name, time zone and locale Slack knows."""
        team = actor.workspace.partition(":")[2]
        found = await self.profile(client, team, actor.user_id)
        return replace(
            actor,
            display_name=found.display_name or actor.display_name,
            timezone=found.timezone or actor.timezone,
            locale=found.locale or actor.locale,
            email=found.email or actor.email,
        )

    async def dm(self, client: AsyncWebClient, team: str, user: str) -> str:
        """The id of the bot's DM with `user` (raises SlackApiError when it cannot open)."""
        key = f"{team}:{user}"
        cached = self.dms.get(key)
        if cached is not None:
            return cached
        response = await client.conversations_open(users=user)
        channel = str((response.get("channel") or {}).get("id", ""))
        self.dms.put(key, channel)
        return channel

    def remember_dm(self, team: str, user: str, channel: str) -> None:
        self.dms.put(f"{team}:{user}", channel)
