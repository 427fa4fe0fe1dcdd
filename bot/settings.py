"""Typed settings: the only module that reads the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_database_url() -> str:
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'microcred.db'}"


def _flag(value: str | None, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    return value.strip().lower() not in ("0", "off", "false", "no")


def _numbers(value: str | None, default: tuple[int, ...]) -> tuple[int, ...]:
    """`7,1` → (7, 1); an empty value keeps the default, `none` means no numbers."""
    if value is None or not value.strip():
        return default
    if value.strip().lower() == "none":
        return ()
    return tuple(int(part) for part in value.replace(" ", "").split(",") if part)


def _keys(value: str | None, key_file: Path) -> tuple[str, ...]:
    """Comma-separated keys from the environment, else from `key_file` when it exists."""
    if not (value and value.strip()) and key_file.is_file():
        value = key_file.read_text()
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


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
    log_format: str = "text"
    """`json`: every log line is one JSON object (with the event id when there is one)."""
    metrics_token: str = ""
    """Bearer token for `/metrics` from anywhere but loopback (without it: loopback only)."""
    playground: str = "auto"
    """`auto`: the playground is mounted only when listening on loopback; `on` or `off`."""
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
    llm_timeout: float = 20.0
    llm_price_input: float = 0.0
    """USD per million prompt tokens, for the cost recorded with each model call."""
    llm_price_output: float = 0.0
    # Open Badges: the issuer named on every badge, and where signing keys live
    issuer_name: str = "microcred"
    issuer_url: str = ""
    issuer_email: str = ""
    keys_dir: Path = PROJECT_ROOT / "var" / "keys"
    signing_key: str = ""
    """An Ed25519 private key in PEM (overrides the generated key in `keys_dir`)."""
    # Scheduled delivery
    delivery: bool = True
    """Run the outbox dispatcher (every process) and stand for scheduler leader."""
    quiet_hours: str = "weekdays 09:00-18:00"
    """When scheduled messages may arrive, in each learner's zone, unless they chose otherwise."""
    catchup_grace_minutes: int = 180
    nudges: int = 2
    nudge_after_hours: float = 24.0
    deadline_days: tuple[int, ...] = (7, 1)
    tick_seconds: float = 15.0
    slack_workspace_rate: int = 8
    """Messages per second to one Slack workspace, over all processes (Slack: "several hundred
    a minute"); each conversation also gets at most one a second."""
    outbox_concurrency: int = 16
    outbox_max_failures: int = 6
    outbox_lease_seconds: float = 60.0
    # The durable inbox (Slack block actions, slash commands, DM messages)
    inbox_worker: bool = True
    """Run an inbox worker in this process (`serve --no-worker`: edge only)."""
    inbox_concurrency: int = 16
    """How many learners' events one worker runs at once (one event per learner at a time)."""
    inbox_lease_seconds: float = 60.0
    """How long a claimed event is held before another worker may take it back."""
    """How long a claimed message is held before another process may take it over."""
    # Secrets at rest (Slack tokens from OAuth installs)
    secret_keys: tuple[str, ...] = ()
    """Fernet keys, MICROCRED_SECRET_KEY comma-separated: the first encrypts, all decrypt.
    Without it, the keys in `secret_key_file` (written by `microcred db upgrade` for the
    default SQLite database)."""
    secret_key_file: Path = PROJECT_ROOT / "var" / "secret.key"
    # Engagement
    points_rules: str = ""
    """Changes to the points table, like `lesson=10,quiz=25` (see bot/engagement/rules.py)."""

    @property
    def base_url(self) -> str:
        """Where this server is reachable publicly (badge URLs are built on it)."""
        return (self.public_base_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def default_database(self) -> bool:
        """The embedded SQLite file under var/ (DATABASE_URL unset)."""
        return self.database_url == _default_database_url()

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        defaults = cls()
        key_file = Path(env.get("MICROCRED_SECRET_KEY_FILE") or defaults.secret_key_file)
        return cls(
            database_url=env.get("DATABASE_URL") or defaults.database_url,
            content_dir=Path(env.get("MICROCRED_CONTENT_DIR") or defaults.content_dir),
            host=env.get("MICROCRED_HOST") or defaults.host,
            port=int(env.get("MICROCRED_PORT") or defaults.port),
            public_base_url=env.get("PUBLIC_BASE_URL", ""),
            log_level=env.get("MICROCRED_LOG_LEVEL", "INFO"),
            log_format=(env.get("MICROCRED_LOG_FORMAT") or defaults.log_format).strip().lower(),
            metrics_token=env.get("MICROCRED_METRICS_TOKEN", "").strip(),
            playground=(env.get("MICROCRED_PLAYGROUND") or defaults.playground).strip().lower(),
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
            llm_timeout=float(env.get("MICROCRED_LLM_TIMEOUT") or defaults.llm_timeout),
            llm_price_input=float(env.get("MICROCRED_LLM_PRICE_INPUT") or 0),
            llm_price_output=float(env.get("MICROCRED_LLM_PRICE_OUTPUT") or 0),
            issuer_name=env.get("MICROCRED_ISSUER_NAME") or defaults.issuer_name,
            issuer_url=env.get("MICROCRED_ISSUER_URL", ""),
            issuer_email=env.get("MICROCRED_ISSUER_EMAIL", ""),
            keys_dir=Path(env.get("MICROCRED_KEYS_DIR") or defaults.keys_dir),
            signing_key=env.get("MICROCRED_SIGNING_KEY", "").replace("\\n", "\n"),
            points_rules=env.get("MICROCRED_POINTS", ""),
            secret_keys=_keys(env.get("MICROCRED_SECRET_KEY"), key_file),
            secret_key_file=key_file,
            delivery=_flag(env.get("MICROCRED_DELIVERY"), defaults.delivery),
            quiet_hours=env.get("MICROCRED_QUIET_HOURS") or defaults.quiet_hours,
            catchup_grace_minutes=int(
                env.get("MICROCRED_CATCHUP_GRACE_MINUTES") or defaults.catchup_grace_minutes
            ),
            nudges=int(env.get("MICROCRED_NUDGES") or defaults.nudges),
            nudge_after_hours=float(
                env.get("MICROCRED_NUDGE_AFTER_HOURS") or defaults.nudge_after_hours
            ),
            deadline_days=_numbers(env.get("MICROCRED_DEADLINE_DAYS"), defaults.deadline_days),
            tick_seconds=float(env.get("MICROCRED_TICK_SECONDS") or defaults.tick_seconds),
            slack_workspace_rate=int(
                env.get("MICROCRED_SLACK_WORKSPACE_RATE") or defaults.slack_workspace_rate
            ),
            outbox_concurrency=int(
                env.get("MICROCRED_OUTBOX_CONCURRENCY") or defaults.outbox_concurrency
            ),
            outbox_max_failures=int(
                env.get("MICROCRED_OUTBOX_MAX_FAILURES") or defaults.outbox_max_failures
            ),
            outbox_lease_seconds=float(
                env.get("MICROCRED_OUTBOX_LEASE_SECONDS") or defaults.outbox_lease_seconds
            ),
            inbox_worker=_flag(env.get("MICROCRED_INBOX_WORKER"), defaults.inbox_worker),
            inbox_concurrency=int(
                env.get("MICROCRED_INBOX_CONCURRENCY") or defaults.inbox_concurrency
            ),
            inbox_lease_seconds=float(
                env.get("MICROCRED_INBOX_LEASE_SECONDS") or defaults.inbox_lease_seconds
            ),
        )
