"""Typed settings: the only module that reads the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_database_url() -> str:
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'microcred.db'}"


def _with_slash(url: str) -> str:
    """slack_sdk joins method names onto the base URL, which must end in '/'."""
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, read once from the environment."""

    database_url: str = field(default_factory=_default_database_url)
    content_dir: Path = PROJECT_ROOT
    host: str = "127.0.0.1"
    port: int = 3978
    public_base_url: str = ""
    log_level: str = "INFO"
    # Slack
    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_app_token: str = ""
    slack_client_id: str = ""
    slack_client_secret: str = ""
    slack_api_url: str = "https://slack.com/api/"
    # Microsoft Teams (Bot Framework)
    microsoft_app_id: str = ""
    microsoft_app_password: str = ""
    microsoft_app_type: str = "MultiTenant"
    microsoft_app_tenant_id: str = ""
    # Language model for rubric scoring (OpenAI-compatible)
    openai_api_key: str = ""
    openai_base_url: str = ""
    llm_model: str = ""

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
            slack_bot_token=env.get("SLACK_BOT_TOKEN", ""),
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET", ""),
            slack_app_token=env.get("SLACK_APP_TOKEN", ""),
            slack_client_id=env.get("SLACK_CLIENT_ID", ""),
            slack_client_secret=env.get("SLACK_CLIENT_SECRET", ""),
            slack_api_url=_with_slash(env.get("SLACK_API_URL") or defaults.slack_api_url),
            microsoft_app_id=env.get("MICROSOFT_APP_ID", ""),
            microsoft_app_password=env.get("MICROSOFT_APP_PASSWORD", ""),
            microsoft_app_type=env.get("MICROSOFT_APP_TYPE") or defaults.microsoft_app_type,
            microsoft_app_tenant_id=env.get("MICROSOFT_APP_TENANT_ID", ""),
            openai_api_key=env.get("OPENAI_API_KEY", ""),
            openai_base_url=env.get("OPENAI_BASE_URL", ""),
            llm_model=env.get("MICROCRED_LLM_MODEL", ""),
        )
