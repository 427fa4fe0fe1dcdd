"""The botbuilder configuration object built from our settings, and the loopback rule."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from types import SimpleNamespace

from bot.settings import Settings

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def is_loopback(host: str) -> bool:
    """Whether `host` only accepts connections from this machine."""
    host = host.strip().strip("[]")
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bot_config(settings: Settings, overrides: Mapping[str, str] | None = None) -> SimpleNamespace:
    """What ConfigurationBotFrameworkAuthentication reads (APP_ID, APP_PASSWORD, …).

    `overrides` adds SDK keys such as TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL (tests point
    it at a local issuer; sovereign clouds set CHANNEL_SERVICE).
    """
    values: dict[str, str] = {
        "APP_ID": settings.microsoft_app_id,
        "APP_PASSWORD": settings.microsoft_app_password,
        "APP_TYPE": settings.microsoft_app_type or "MultiTenant",
        "APP_TENANTID": settings.microsoft_app_tenant_id,
    }
    values.update(overrides or {})
    return SimpleNamespace(**values)
