"""Configuration from the environment and ``.env`` (prefix ``KHABAR_``), built on demand."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

PREFIX = "KHABAR_"
TELEGRAM_API = "https://api.telegram.org/bot"
Action = Literal["reject", "review", "allow"]
PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


class ConfigError(Exception):
    """Bad or missing configuration; the message names the key and the fix."""


class Settings(BaseSettings):
    """Every operator setting. Field ``x`` is read from ``KHABAR_X``."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", frozen=True)

    bot_token: SecretStr | None = None
    channel: str | None = None
    discussion_chat: str | None = None
    moderator_chat: str | None = None
    moderators: tuple[int, ...] = ()
    database_url: str = "sqlite+aiosqlite:///./khabar.db"
    db_pool_size: int = Field(5, ge=1, le=200)
    db_max_overflow: int = Field(10, ge=0, le=500)
    bot_api_url: str = TELEGRAM_API
    timezone: str = "Asia/Tehran"
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(8443, ge=1, le=65535)
    webhook_path: str = "telegram"
    webhook_secret: SecretStr | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["plain", "json"] = "plain"
    instance_name: str = ""
    comment_mode: Literal["buttons", "native"] = "buttons"
    captcha_ttl_seconds: int = Field(180, ge=30, le=3600)
    captcha_tries: int = Field(3, ge=1, le=10)
    comment_expiry_hours: int = Field(24, ge=1, le=24 * 14)
    rate_limit_comments: int = Field(5, ge=1, le=1000)
    rate_limit_window_seconds: int = Field(600, ge=10, le=86400)
    min_comment_length: int = Field(2, ge=1, le=100)
    max_comment_length: int = Field(1000, ge=10, le=4000)
    link_policy: Action = "reject"
    off_topic_threshold: float = Field(0.08, ge=0.0, le=1.0)
    feed_poll_seconds: int = Field(300, ge=15, le=86400)
    feed_first_poll_items: int = Field(3, ge=0, le=100)
    feed_timeout_seconds: float = Field(20.0, gt=0, le=300)
    count_edit_interval_seconds: int = Field(60, ge=1, le=3600)
    channel_posts_per_minute: int = Field(20, ge=1, le=60)
    api_messages_per_second: int = Field(30, ge=0, le=1000)
    api_group_messages_per_minute: int = Field(20, ge=0, le=1200)
    outbox_lease_seconds: int = Field(120, ge=5, le=3600)
    undo_window_seconds: int = Field(600, ge=0, le=86400)
    trusted_after: int = Field(0, ge=0, le=10000)
    hashtags: str = ""
    # Moderation tools (issue 18): an article takes comments for this many hours after it is posted (0: always).
    comments_open_hours: int = Field(0, ge=0, le=24 * 365)
    # Network and monitoring (proxies, /healthz and /metrics, the operators' chat): one block, own validators.
    proxy_url: str | None = None  # Bot API through http://, https:// or socks5:// (empty: direct)
    feed_proxy_url: str | None = None  # RSS/Atom feeds through a proxy (empty: direct, never the env's proxy)
    metrics_port: int | None = Field(None, ge=1, le=65535)  # /healthz and /metrics (empty: off)
    metrics_listen: str = "127.0.0.1"
    ops_chat: str | None = None  # errors worth a person's attention go here (empty: logs only)

    @field_validator("proxy_url", "feed_proxy_url", mode="after")
    @classmethod
    def _proxy(cls, value: str | None) -> str | None:
        if value is None or value.strip() == "":
            return None
        value = value.strip()
        scheme, sep, rest = value.partition("://")
        if not sep or scheme.lower() not in PROXY_SCHEMES or not rest.strip("/"):
            raise ValueError("must be a proxy URL: http://host:port, https://host:port or socks5://host:port")
        return value

    @field_validator("metrics_port", mode="before")
    @classmethod
    def _optional_port(cls, value: Any) -> Any:
        return None if isinstance(value, str) and value.strip() == "" else value

    @field_validator("ops_chat", mode="after")
    @classmethod
    def _ops_chat(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        if (value.startswith("@") and len(value) > 5) or value.lstrip("-").isdigit():
            return value
        raise ValueError("must be a numeric chat id (e.g. -1001234567890) or @username")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """The mapping given to load_settings wins over ``.env``; os.environ is read only by it."""
        return (init_settings, dotenv_settings)

    @field_validator("moderators", mode="before")
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            try:
                return tuple(int(p) for p in parts)
            except ValueError as exc:
                raise ValueError("must be Telegram user ids separated by commas, e.g. 1234,5678") from exc
        return value

    @field_validator("channel", "discussion_chat", "moderator_chat", mode="after")
    @classmethod
    def _chat_ref(cls, value: str | None) -> str | None:
        if value is None or value.strip() == "":
            return None
        value = value.strip()
        if value.startswith("@") and len(value) > 5:
            return value
        try:
            int(value)
        except ValueError as exc:
            raise ValueError("must be a numeric chat id (e.g. -1001234567890) or @username") from exc
        return value

    @field_validator("database_url", mode="after")
    @classmethod
    def _db_url(cls, value: str) -> str:
        value = value.strip()
        if value.startswith(("postgres://", "postgresql://")):
            value = "postgresql+asyncpg://" + value.split("://", 1)[1]
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("bot_api_url", "webhook_url", mode="after")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("timezone", mode="after")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("must be an IANA time zone such as Asia/Tehran") from exc
        return value

    @field_validator("webhook_secret", mode="after")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or value.get_secret_value() == "":
            return None
        raw = value.get_secret_value()
        if len(raw) > 256 or not all(c.isascii() and (c.isalnum() or c in "_-") for c in raw):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @model_validator(mode="after")
    def _token_shape(self) -> Settings:
        if self.bot_token is not None:
            raw = self.bot_token.get_secret_value().strip()
            if raw in {"", "changeme", "123456:CHANGE_ME"} or ":" not in raw:
                raise ValueError("KHABAR_BOT_TOKEN: looks like a placeholder; paste the token BotFather gave you")
        return self

    @property
    def token(self) -> str:
        """The bot token (raises ConfigError if unset)."""
        if self.bot_token is None:
            raise ConfigError(_missing("bot_token"))
        return self.bot_token.get_secret_value().strip()

    @property
    def file_api_url(self) -> str:
        """Base URL for file downloads, derived from the Bot API URL."""
        base = self.bot_api_url
        return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file/bot"

    @property
    def tz(self) -> ZoneInfo:
        """The newsroom's time zone."""
        return ZoneInfo(self.timezone)

    def require_bot(self, *, webhook: bool = False) -> None:
        """Raise ConfigError naming every key ``khabar run`` needs but lacks."""
        needed = ["bot_token", "channel", "moderator_chat"]
        if webhook:
            needed += ["webhook_url", "webhook_secret"]
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ConfigError("\n".join(_missing(name) for name in missing))


_FIXES = {
    "bot_token": "create a bot with @BotFather and put its token in .env as KHABAR_BOT_TOKEN=123456:ABC…",
    "channel": "set KHABAR_CHANNEL to the channel's @username or numeric id (-100…)",
    "moderator_chat": "set KHABAR_MODERATOR_CHAT to the moderators' group id (-100…)",
    "webhook_url": "set KHABAR_WEBHOOK_URL to the public https URL Telegram should call",
    "webhook_secret": "set KHABAR_WEBHOOK_SECRET to a random string of A-Z a-z 0-9 _ - (up to 256)",
}


def _missing(name: str) -> str:
    key = PREFIX + name.upper()
    return f"{key} is not set: {_FIXES.get(name, 'set it in .env')}"


def load_settings(environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env") -> Settings:
    """Build settings from ``environ`` (default: os.environ) over ``env_file``; ConfigError if bad."""
    source = os.environ if environ is None else environ
    values = {
        k[len(PREFIX) :].lower(): v
        for k, v in source.items()
        if k.startswith(PREFIX) and not k.startswith(PREFIX + "TEST_")
    }
    known = set(Settings.model_fields)
    unknown = sorted(PREFIX + k.upper() for k in values if k not in known)
    if unknown:
        raise ConfigError(f"unknown setting {', '.join(unknown)}: check the spelling against .env.example")
    env_path = Path(env_file) if env_file else None
    kwargs: dict[str, Any] = dict(values)
    kwargs["_env_file"] = env_path if env_path and env_path.exists() else None
    try:
        return Settings(**kwargs)
    except ValidationError as exc:
        raise ConfigError(_describe(exc)) from None


def _describe(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        loc = err.get("loc") or ()
        key = PREFIX + str(loc[0]).upper() if loc else "configuration"
        msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
        if msg.startswith(PREFIX):
            lines.append(msg)
        else:
            lines.append(f"{key}: {msg}")
    return "\n".join(lines)
