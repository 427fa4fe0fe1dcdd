"""manifest.yaml validates against Slack's official manifest schema and matches the code."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ruamel.yaml import YAML

from bot.channels.slack.oauth import BOT_SCOPES, INSTALL_PATH, REDIRECT_PATH
from bot.settings import PROJECT_ROOT
from tests.conftest import SHARED

SCHEMAS = SHARED / "conformance" / "slack"
REMOTE = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/"


def manifest() -> dict[str, Any]:
    return dict(YAML(typ="safe").load((PROJECT_ROOT / "manifest.yaml").read_text()))


def test_manifest_validates_against_the_official_schema() -> None:
    if not (SCHEMAS / "manifest.schema.json").exists():
        pytest.skip("../shared/conformance/slack is absent (a fresh clone): schema check skipped")
    from jsonschema import Draft7Validator
    from referencing import Registry, Resource

    def load(name: str) -> dict[str, Any]:
        return dict(json.loads((SCHEMAS / name).read_text()))

    registry: Registry = Registry().with_resources(
        (REMOTE + name, Resource.from_contents(load(name)))
        for name in ("manifest.schema.1.0.0.json", "manifest.schema.2.0.0.json")
    )
    validator = Draft7Validator(load("manifest.schema.json"), registry=registry)
    document = manifest()
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []
    # the top-level schema dispatches on major_version: check the versioned one directly too
    versioned = Draft7Validator(load("manifest.schema.1.0.0.json"), registry=registry)
    assert [e.message for e in versioned.iter_errors(document)] == []
    document["features"]["bot_user"]["bogus"] = True  # the check does catch mistakes
    assert list(versioned.iter_errors(document))


def test_manifest_matches_what_the_code_uses() -> None:
    document = manifest()
    assert tuple(document["oauth_config"]["scopes"]["bot"]) == BOT_SCOPES
    assert "user" not in document["oauth_config"]["scopes"]
    events = set(document["settings"]["event_subscriptions"]["bot_events"])
    assert events == {"app_home_opened", "message.im", "app_uninstalled", "tokens_revoked"}
    assert [c["command"] for c in document["features"]["slash_commands"]] == ["/learn"]
    home = document["features"]["app_home"]
    assert home["home_tab_enabled"] and home["messages_tab_enabled"]
    assert not home["messages_tab_read_only_enabled"]
    urls = [
        document["features"]["slash_commands"][0]["url"],
        document["settings"]["event_subscriptions"]["request_url"],
        document["settings"]["interactivity"]["request_url"],
    ]
    assert all(url.endswith("/slack/events") for url in urls)
    assert document["oauth_config"]["redirect_urls"][0].endswith(REDIRECT_PATH)
    readme = (PROJECT_ROOT / "README.md").read_text()  # where admins are told to go
    assert f"`{INSTALL_PATH}`" in readme and f"`{REDIRECT_PATH}`" in readme


USES = {
    # scope: a Web API call (or payload) in bot/channels/slack that needs it
    "chat:write": "chat_postMessage",
    "commands": '"/learn"',
    "im:history": "conversations_history",
    "im:write": "conversations_open",
    "users:read": "users_info",
    "users:read.email": '"email"',
    "channels:join": "conversations_join",
}


def test_every_scope_is_used_by_the_code_and_justified_in_the_manifest() -> None:
    """Least privilege: a scope nothing calls for, or one asked for without a reason, fails."""
    code = "\n".join(
        p.read_text() for p in (PROJECT_ROOT / "bot" / "channels" / "slack").glob("*.py")
    )
    lines = (PROJECT_ROOT / "manifest.yaml").read_text().splitlines()
    assert set(USES) == set(BOT_SCOPES)
    for scope in BOT_SCOPES:
        assert USES[scope] in code, f"{scope} is requested but nothing uses {USES[scope]}"
        line = next(li for li in lines if li.strip().startswith(f"- {scope} "))
        reason = line.split("#", 1)[1].strip() if "#" in line else ""
        assert len(reason.split()) >= 3, f"{scope} needs a reason in manifest.yaml"
