"""Configuration from the environment and ``.env`` (prefix ``KHABAR_``), built on demand."""

from __future__ import annotations

import difflib
import errno
import ipaddress
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

PREFIX = "KHABAR_"
TELEGRAM_API = "https://api.telegram.org/bot"
_HOSTNAME = re.compile(r"(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")
_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")  # Telegram's public usernames (4: Fragment's collectible ones)
# Where ``khabar`` looks for its settings file when --env-file is not given (read from the environment).
ENV_FILE_VARIABLE = PREFIX + "ENV_FILE"
Action = Literal["reject", "review", "allow"]
PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")
# Values people paste from guides instead of their own; treated as "not set" by require_bot.
PLACEHOLDERS = frozenset({"changeme", "change_me", "123456:change_me", "123456:abc", "your_token", "token",
                          "@your_channel", "@channel", "-100…", "-100...", "-100"})


class ConfigError(Exception):
    """Bad or missing configuration; the message names the key and the fix."""


class Settings(BaseSettings):
    """Every operator setting. Field ``x`` is read from ``KHABAR_X``."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="forbid", frozen=True)

    bot_token: SecretStr | None = None
    channel: str | None = None
    discussion_chat: str | None = None
    moderator_chat: str | None = None
    moderators: tuple[int, ...] = ()
    database_url: str = "sqlite+aiosqlite:///khabar.db"
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
    # The learned model (issue 14): flag for moderators from this P(reject); auto-reject only from the
    # second one (1.0 = never: the model alone never rejects a comment).
    model_review_confidence: float = Field(0.9, ge=0.5, le=1.0)
    model_reject_confidence: float = Field(1.0, ge=0.5, le=1.0)
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
    # Readers' reports: this many distinct readers send a published comment back to the moderators
    # (0: reports are recorded, never sent back); each reader may report this many comments an hour.
    reports_to_review: int = Field(3, ge=0, le=1000)
    reports_per_hour: int = Field(10, ge=1, le=1000)
    # Slow mode: an article drawing more than this many comments a minute (0: off) takes one comment per
    # author per surge_slow_minutes until the surge passes.
    surge_comments_per_minute: int = Field(0, ge=0, le=100000)
    surge_slow_minutes: int = Field(5, ge=1, le=1440)
    # Escalating penalties: this many rejections (0: off) for penalty_reasons within penalty_window_days
    # ban the author for the next step of penalty_steps (days, comma-separated; 0: permanent).
    penalty_rejections: int = Field(0, ge=0, le=1000)
    penalty_window_days: int = Field(7, ge=1, le=365)
    penalty_reasons: str = "insult"
    penalty_steps: str = "1,7,0"
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

    # The newsroom's website (handlers/web): off unless KHABAR_WEB_PORT is set.
    web_port: int | None = Field(None, ge=1, le=65535)
    web_listen: str = "127.0.0.1"
    web_origins: Annotated[tuple[str, ...], NoDecode] = ()  # comma-separated in .env, not JSON
    web_trusted_proxies: Annotated[tuple[str, ...], NoDecode] = ()
    web_to_thread: bool = False
    web_secret: SecretStr | None = None
    web_posts_per_minute: int = Field(6, ge=1, le=1000)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only what load_settings passes: it reads the environment and the .env file itself, alike."""
        return (init_settings,)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("log_format", "comment_mode", "link_policy", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("moderators", mode="before")
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().removeprefix("[").removesuffix("]")
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            try:
                return tuple(int(p) for p in parts)
            except ValueError as exc:
                raise ValueError("must be Telegram user ids separated by commas, e.g. 1234,5678") from exc
        return value

    @field_validator("web_origins", "web_trusted_proxies", mode="before")
    @classmethod
    def _split_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(p for p in value.replace(";", ",").replace(" ", ",").split(",") if p)
        return value

    @field_validator("web_origins", mode="after")
    @classmethod
    def _origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from bot.website.addresses import check_origin

        return tuple(check_origin(v) for v in value)

    @field_validator("web_trusted_proxies", mode="after")
    @classmethod
    def _proxies(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from bot.website.addresses import check_network

        return tuple(check_network(v) for v in value)

    @field_validator("web_secret", mode="after")
    @classmethod
    def _web_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or value.get_secret_value() == "":
            return None
        if len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters (e.g. the output of `openssl rand -hex 32`)")
        return value

    @field_validator("penalty_steps", mode="after")
    @classmethod
    def _penalty_steps(cls, value: str) -> str:
        if not all(p.strip().isdigit() and int(p) <= 3650 for p in value.split(",")) or not value.strip():
            raise ValueError("must be ban days separated by commas, 0 for permanent (e.g. 1,7,0)")
        return value.replace(" ", "")

    @field_validator("penalty_reasons", mode="after")
    @classmethod
    def _penalty_reasons(cls, value: str) -> str:
        from bot.moderation.reasons import REASONS

        known = {r.code for r in REASONS}
        given = [r.strip() for r in value.split(",") if r.strip()]
        if not given or any(r not in known for r in given):
            raise ValueError(f"must be rejection reasons separated by commas, from: {', '.join(sorted(known))}")
        return ",".join(given)

    @field_validator("channel", "discussion_chat", "moderator_chat", mode="after")
    @classmethod
    def _chat_ref(cls, value: str | None) -> str | None:
        if value is None or value.strip() == "":
            return None
        value = value.strip()
        if value.lower() in PLACEHOLDERS:
            return value  # require_bot names it with the fix, together with every other missing key
        if value.startswith("@") and _USERNAME.fullmatch(value[1:]):
            return value
        try:
            int(value)
        except ValueError as exc:
            raise ValueError("must be a numeric chat id (e.g. -1001234567890) or a public @username (4 to 32 "
                             "letters, digits or _; `khabar chats` lists the ids of the chats the bot is in)") from exc
        return value

    @field_validator("database_url", mode="after")
    @classmethod
    def _db_url(cls, value: str) -> str:
        value = value.strip()
        if value.startswith(("postgres://", "postgresql://")):
            value = "postgresql+asyncpg://" + value.split("://", 1)[1]
        if value.startswith("sqlite://"):
            value = "sqlite+aiosqlite://" + value.split("://", 1)[1]
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "must start with sqlite:///, sqlite+aiosqlite:///, postgresql:// or postgresql+asyncpg://"
            )
        return value

    @field_validator("bot_api_url", "webhook_url", mode="after")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("webhook_listen", "metrics_listen", "web_listen", mode="after")
    @classmethod
    def _listen(cls, value: str) -> str:
        value = value.strip()
        try:
            ipaddress.ip_address(value)
        except ValueError:
            # Not an address: a host name then («localhost», a name in /etc/hosts), never dotted numbers.
            if not _HOSTNAME.fullmatch(value) or value.replace(".", "").isdigit():
                raise ValueError("must be an address this machine has (127.0.0.1, 0.0.0.0, ::) or its host "
                                 "name") from None
        return value

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

    @field_validator("bot_token", mode="after")
    @classmethod
    def _token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or value.get_secret_value().strip() == "":
            return None
        return value

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

    def require_token(self) -> None:
        """Raise ConfigError when the token is missing or not a real one."""
        problem = _problem("bot_token", self.bot_token)
        if problem:
            raise ConfigError(problem)

    def require_bot(self, *, webhook: bool = False) -> None:
        """Raise ConfigError naming every key ``khabar run`` needs but lacks."""
        needed = ["bot_token", "channel", "moderator_chat"]
        if webhook:
            needed += ["webhook_url", "webhook_secret"]
        problems = [_problem(name, getattr(self, name)) for name in needed]
        if webhook and self.webhook_url and self.webhook_url.startswith("http://") and self.bot_api_url == TELEGRAM_API:
            problems.append(f"{PREFIX}WEBHOOK_URL must be an https:// URL: Telegram calls a webhook only over HTTPS "
                            f"(http:// works only with your own Bot API server, {PREFIX}BOT_API_URL)")
        found = [p for p in problems if p]
        if found:
            raise ConfigError("\n".join(found))


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


def _problem(name: str, value: object) -> str | None:
    """Why a value ``khabar run`` needs is unusable (never echoing a secret), or None when it is fine."""
    key = PREFIX + name.upper()
    if value is None:
        return _missing(name)
    raw = value.get_secret_value().strip() if isinstance(value, SecretStr) else str(value)
    if raw.lower() in PLACEHOLDERS:
        return f"{key} holds a placeholder, not a real value: {_FIXES.get(name, 'set it in .env')}"
    if name == "bot_token" and not _token_shaped(raw):
        return f"{key} does not look like a bot token (digits, a colon, then letters): {_FIXES[name]}"
    return None


def _token_shaped(raw: str) -> bool:
    head, sep, tail = raw.partition(":")
    return bool(sep) and head.isdigit() and len(tail) >= 20


def env_file_default(environ: Mapping[str, str] | None = None) -> str:
    """The settings file used when --env-file is not given: ``$KHABAR_ENV_FILE``, else ``./.env``."""
    source = os.environ if environ is None else environ
    return source.get(ENV_FILE_VARIABLE) or ".env"


def read_env_file(path: Path) -> dict[str, str]:
    """The ``KHABAR_*`` lines of a .env file (python-dotenv's syntax: quotes, ``#`` comments)."""
    try:
        values = dotenv_values(path, encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the settings file {path}: {exc}") from None
    return {k: v for k, v in values.items() if k.startswith(PREFIX) and v is not None}


def load_settings(environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env") -> Settings:
    """Build settings from ``environ`` (default: os.environ) over ``env_file``; ConfigError if bad.

    Both sources are read the same way: an empty value means the default, an unknown ``KHABAR_*`` key
    is refused by name, lists are comma-separated. A relative SQLite path is taken from the directory
    of the settings file, so ``khabar --env-file /srv/khabar/.env …`` finds one database from anywhere.
    """
    source = os.environ if environ is None else environ
    env_path = Path(env_file) if env_file else None
    from_file = read_env_file(env_path) if env_path is not None and env_path.is_file() else {}
    from_env = {k: v for k, v in source.items() if k.startswith(PREFIX)}
    from_file, from_env = ({k: v for k, v in d.items() if _is_setting(k)} for d in (from_file, from_env))
    known = set(Settings.model_fields)
    unknown = sorted(
        f"{k} (in {env_path})" if k not in from_env else k
        for k in {*from_file, *from_env}
        if k[len(PREFIX) :].lower() not in known
    )
    if unknown:
        raise ConfigError("\n".join(_unknown(key, known) for key in unknown))
    # The environment wins over the file; an empty value in either means the default.
    merged = {**from_file, **{k: v for k, v in from_env.items() if v.strip()}}
    values: dict[str, Any] = {k[len(PREFIX) :].lower(): v for k, v in merged.items() if v.strip()}
    if env_path is not None and env_path.is_file():
        url = values.get("database_url", Settings.model_fields["database_url"].default)
        values["database_url"] = _anchor_sqlite(url, env_path.resolve().parent)
    try:
        return Settings(**values)
    except ValidationError as exc:
        raise ConfigError(_describe(exc)) from None


def _is_setting(key: str) -> bool:
    """A ``KHABAR_*`` name that must be a setting (the tests' variables and KHABAR_ENV_FILE are not)."""
    return not key.startswith(PREFIX + "TEST_") and key != ENV_FILE_VARIABLE


def _unknown(key: str, known: set[str]) -> str:
    """The refusal of one unknown key, with the nearest real one when the spelling is close."""
    name = key.split(" ", 1)[0]
    near = difflib.get_close_matches(name, [PREFIX + k.upper() for k in known], n=1, cutoff=0.75)
    hint = f"did you mean {near[0]}?" if near else "check the spelling against .env.example"
    return f"unknown setting {key}: {hint}"


def _anchor_sqlite(url: str, base: Path) -> str:
    """A SQLite URL whose relative file path is made absolute under ``base``; other URLs unchanged."""
    for scheme in ("sqlite+aiosqlite:///", "sqlite:///"):
        if url.startswith(scheme):
            path = url[len(scheme) :]
            if path and not path.startswith(("/", ":memory:")) and "mode=memory" not in path:
                return scheme + os.path.normpath(base / path)
    return url


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


def cannot_listen(what: str, listen: str, port: int, exc: OSError) -> str:
    """Why a server could not start, naming the key to change: the port (taken, or below 1024 without the
    right) or the address (not one this machine has)."""
    if exc.errno in (errno.EADDRINUSE, errno.EACCES):
        return (f"{PREFIX}{what}_PORT={port}: cannot listen on {listen}:{port} ({exc.strerror}); "
                "choose a free port (1024 or above)")
    return (f"{PREFIX}{what}_LISTEN={listen}: cannot listen there ({exc.strerror}); "
            "use an address this machine has (127.0.0.1, 0.0.0.0)")
