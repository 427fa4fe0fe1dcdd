"""Drive the Teams endpoint over HTTP like Teams does, and read the cards that come back."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp.test_utils import TestClient
from jsonschema import Draft6Validator

from bot.channels.teams.app import TeamsChannel
from bot.content import Catalog
from bot.settings import PROJECT_ROOT
from tests.fakes.bot_connector import Call, FakeConnector

BOT_ID = "28:microcred-bot"
TENANT = "tenant-1"
CARD_SCHEMA = (
    PROJECT_ROOT.parent / "shared" / "conformance" / "adaptivecards" / "adaptive-card-1.5.0.json"
)
NO_SCHEMA = "../shared/conformance/adaptivecards is absent (a fresh clone): cards are not validated"
_validator: Draft6Validator | None = None


def card_validator() -> Draft6Validator | None:
    global _validator
    if _validator is None and CARD_SCHEMA.exists():
        _validator = Draft6Validator(json.loads(CARD_SCHEMA.read_text()))
    return _validator


def card_errors(card: dict[str, Any]) -> list[str]:
    """Schema problems of one card (the Teams-only `msteams` key is not in the schema)."""
    validator = card_validator()
    assert validator is not None, NO_SCHEMA
    plain = {k: v for k, v in card.items() if k != "msteams"}
    errors = []
    for error in validator.iter_errors(plain):
        deepest = max(error.context or [error], key=lambda e: len(e.absolute_path))
        errors.append(f"{list(deepest.absolute_path)}: {deepest.message[:200]}")
    return errors


def elements(card: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every element and action of a card, depth first."""
    stack = list(reversed(card.get("body", []))) + list(reversed(card.get("actions", [])))
    while stack:
        item = stack.pop()
        yield item
        for key in ("items", "actions"):
            stack.extend(reversed(item.get(key, [])))


def card_text(card: dict[str, Any]) -> str:
    return "\n".join(e["text"] for e in elements(card) if e.get("type") == "TextBlock")


def executes(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in elements(card) if e.get("type") == "Action.Execute"]


def inputs(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in elements(card) if str(e.get("type", "")).startswith("Input.")]


def args(action: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = action["data"]["microcred"]["args"]
    return found


@dataclass
class Turn:
    status: int
    body: Any
    calls: list[Call]

    @property
    def card(self) -> dict[str, Any] | None:
        """The card an Action.Execute response swapped in, if any."""
        if isinstance(self.body, dict) and self.body.get("type", "").endswith("card.adaptive"):
            value: dict[str, Any] = self.body["value"]
            return value
        return None

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [c.card for c in self.calls if c.card]


@dataclass
class TeamsDriver:
    client: TestClient
    connector: FakeConnector
    catalog: Catalog
    channel: TeamsChannel
    tenant: str = TENANT
    sent_cards: list[dict[str, Any]] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def activity(self, user: str, **extra: Any) -> dict[str, Any]:
        base: dict[str, Any] = {
            "id": f"act-{next(self._ids)}",
            "serviceUrl": self.connector.url,
            "channelId": "msteams",
            "locale": "en-GB",
            "localTimezone": "Europe/Berlin",
            "from": {"id": f"29:{user}", "aadObjectId": f"aad-{user}", "name": user.title()},
            "recipient": {"id": BOT_ID, "name": "microcred"},
            "conversation": {
                "id": f"a:{user}",
                "conversationType": "personal",
                "tenantId": self.tenant,
            },
            "channelData": {"tenant": {"id": self.tenant}},
            "entities": [{"type": "clientInfo", "locale": "en-GB", "timezone": "Europe/Berlin"}],
        }
        base.update(extra)
        return base

    async def post(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> Turn:
        before = len(self.connector.calls)
        response = await self.client.post("/api/messages", json=activity, headers=headers or {})
        text = await response.text()
        body = json.loads(text) if text and "json" in response.content_type else text
        turn = Turn(response.status, body, self.connector.calls[before:])
        self.sent_cards += turn.cards + ([turn.card] if turn.card else [])
        if card_validator() is not None:
            for card in turn.cards + ([turn.card] if turn.card else []):
                assert card_errors(card) == [], card
        return turn

    async def say(self, user: str, text: str, **extra: Any) -> Turn:
        return await self.post(self.activity(user, type="message", text=text, **extra))

    async def execute(
        self,
        user: str,
        action: dict[str, Any],
        values: dict[str, Any] | None = None,
        *,
        reply_to: str = "card-1",
        **extra: Any,
    ) -> Turn:
        data = {**action.get("data", {}), **(values or {})}
        value = {
            "action": {"type": "Action.Execute", "verb": action.get("verb", ""), "data": data},
            "trigger": "manual",
        }
        return await self.post(
            self.activity(
                user,
                type="invoke",
                name="adaptiveCard/action",
                value=value,
                replyToId=reply_to,
                **extra,
            )
        )

    async def install(self, user: str) -> Turn:
        return await self.post(self.activity(user, type="installationUpdate", action="add"))

    def last_card(self, user: str) -> dict[str, Any]:
        cards = self.connector.cards(conversation=f"a:{user}")
        assert cards, f"nothing was sent to {user}"
        return cards[-1]
