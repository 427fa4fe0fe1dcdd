"""The outcome of a verification: each check with its verdict, and the first reason to fail."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any


class Invalid(Exception):
    """Verification stops here; the message is the reason shown to the person."""


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class Verification:
    kind: str = "unknown"
    checks: list[Check] = field(default_factory=list)
    badge: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def reason(self) -> str:
        failed = next((c for c in self.checks if not c.ok), None)
        return f"{failed.name}: {failed.detail}" if failed else ""

    def passed(self, name: str, detail: str) -> None:
        self.checks.append(Check(name, True, detail))

    def failed(self, name: str, detail: str) -> None:
        self.checks.append(Check(name, False, detail))

    def as_dict(self) -> dict[str, Any]:
        return {
            "valid": self.ok,
            "kind": self.kind,
            "badge": self.badge,
            "reason": self.reason or None,
            "checks": [{"check": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks],
        }


def looks_like_jwt(text: str) -> bool:
    parts = text.strip().split(".")
    alphabet = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    return len(parts) == 3 and all(p and set(p) <= alphabet for p in parts)


def jwt_header(token: str) -> dict[str, Any]:
    head = token.split(".")[0]
    try:
        decoded = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except ValueError as exc:
        raise Invalid(f"the token header is not JSON: {exc}") from exc
    if not isinstance(decoded, dict):
        raise Invalid("the token header is not a JSON object")
    return decoded
