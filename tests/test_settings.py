"""Settings from a mapping and a .env file: good values, bad values named with their fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import ConfigError, load_settings

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"


def test_defaults_and_parsing() -> None:
    s = load_settings({"KHABAR_MODERATORS": "11, 22;33", "KHABAR_CHANNEL": "@akhbar_news"}, env_file=None)
    assert s.moderators == (11, 22, 33)
    assert s.channel == "@akhbar_news"
    assert s.database_url == "sqlite+aiosqlite:///./khabar.db"
    assert s.timezone == "Asia/Tehran"
    assert s.file_api_url == "https://api.telegram.org/file/bot"


def test_env_file_is_read_and_mapping_wins(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("KHABAR_CHANNEL=-1001\nKHABAR_LOG_LEVEL=DEBUG\n", encoding="utf-8")
    s = load_settings({"KHABAR_CHANNEL": "-1002"}, env_file=env)
    assert (s.channel, s.log_level) == ("-1002", "DEBUG")


def test_postgres_url_is_normalised() -> None:
    s = load_settings({"KHABAR_DATABASE_URL": "postgres://u:p@h/db"}, env_file=None)
    assert s.database_url == "postgresql+asyncpg://u:p@h/db"


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({"KHABAR_WEBHOOK_PORT": "http"}, "KHABAR_WEBHOOK_PORT"),
        ({"KHABAR_MODERATORS": "ali,reza"}, "KHABAR_MODERATORS"),
        ({"KHABAR_CHANNEL": "news channel"}, "KHABAR_CHANNEL"),
        ({"KHABAR_DATABASE_URL": "mysql://x"}, "KHABAR_DATABASE_URL"),
        ({"KHABAR_TIMEZONE": "Mars/Olympus"}, "KHABAR_TIMEZONE"),
        ({"KHABAR_BOT_TOKEN": "changeme"}, "KHABAR_BOT_TOKEN"),
        ({"KHABAR_WEBHOOK_SECRET": "has space"}, "KHABAR_WEBHOOK_SECRET"),
        ({"KHABAR_LOG_FORMAT": "xml"}, "KHABAR_LOG_FORMAT"),
        ({"KHABAR_CHANEL": "@x"}, "KHABAR_CHANEL"),
    ],
)
def test_bad_values_name_the_key(env: dict[str, str], key: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(env, env_file=None)
    assert key in str(err.value)


def test_require_bot_lists_every_missing_key_and_never_the_token() -> None:
    s = load_settings({"KHABAR_BOT_TOKEN": TOKEN}, env_file=None)
    with pytest.raises(ConfigError) as err:
        s.require_bot(webhook=True)
    text = str(err.value)
    for key in ("KHABAR_CHANNEL", "KHABAR_MODERATOR_CHAT", "KHABAR_WEBHOOK_URL", "KHABAR_WEBHOOK_SECRET"):
        assert key in text
    assert TOKEN not in text and TOKEN not in repr(s)


def test_test_only_variables_are_not_settings() -> None:
    load_settings({"KHABAR_TEST_POSTGRES_URL": "postgresql+asyncpg://x/y"}, env_file=None)
