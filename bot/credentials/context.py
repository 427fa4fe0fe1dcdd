"""What issuing needs to know: public URLs, the issuer, signing keys, content and the clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.content import Catalog, Program
from bot.core.clock import SYSTEM_CLOCK
from bot.core.ports import Clock
from bot.credentials.image import badge_png
from bot.credentials.keys import KeyRing, load_keyring
from bot.credentials.urls import Issuer, Urls
from bot.settings import Settings


@dataclass
class Issuing:
    urls: Urls
    issuer: Issuer
    catalog: Catalog
    keys_dir: Path
    content_dir: Path
    env_key: str = ""
    clock: Clock = field(default=SYSTEM_CLOCK)

    @classmethod
    def from_settings(
        cls, settings: Settings, catalog: Catalog, clock: Clock = SYSTEM_CLOCK
    ) -> Issuing:
        base = settings.base_url
        return cls(
            clock=clock,
            urls=Urls(base),
            issuer=Issuer(settings.issuer_name, settings.issuer_url or base, settings.issuer_email),
            catalog=catalog,
            keys_dir=settings.keys_dir,
            content_dir=settings.content_dir,
            env_key=settings.signing_key,
        )

    def keyring(self) -> KeyRing:
        """Read on every use, so a rotation by another process is seen at once."""
        return load_keyring(self.keys_dir, self.env_key)

    def now(self) -> datetime:
        return self.clock.now()

    def program(self, program_id: str) -> Program | None:
        return self.catalog.get(program_id)

    def image(self, program_id: str, badge: dict[str, object]) -> bytes:
        folder = self.content_dir / "lessons" / program_id
        return badge_png(str(badge.get("name", program_id)), str(badge.get("image") or ""), folder)
