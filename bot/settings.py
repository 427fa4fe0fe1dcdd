"""Typed settings: the only module that reads the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_database_url() -> str:
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'microcred.db'}"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, read once from the environment."""

    database_url: str = field(default_factory=_default_database_url)
    content_dir: Path = PROJECT_ROOT
    host: str = "127.0.0.1"
    port: int = 3978
    public_base_url: str = ""
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        defaults = cls()
        return cls(
            database_url=env.get("DATABASE_URL") or defaults.database_url,
            content_dir=Path(env.get("MICROCRED_CONTENT_DIR") or defaults.content_dir),
            host=env.get("MICROCRED_HOST") or defaults.host,
            port=int(env.get("MICROCRED_PORT") or defaults.port),
            public_base_url=env.get("PUBLIC_BASE_URL", ""),
            log_level=env.get("MICROCRED_LOG_LEVEL", "INFO"),
        )
