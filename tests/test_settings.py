"""Settings from a mapping and a .env file: good values, bad values named with their fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import ConfigError, Settings, load_settings

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"


def test_defaults_and_parsing() -> None:
    s = load_settings({"KHABAR_MODERATORS": "11, 22;33", "KHABAR_CHANNEL": "@akhbar_news"}, env_file=None)
    assert s.moderators == (11, 22, 33)
    assert s.channel == "@akhbar_news"
    assert s.database_url == "sqlite+aiosqlite:///khabar.db"
    assert s.timezone == "Asia/Tehran"
    assert s.file_api_url == "https://api.telegram.org/file/bot"


def test_env_file_is_read_and_mapping_wins(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("KHABAR_CHANNEL=-1001\nKHABAR_LOG_LEVEL=DEBUG\n", encoding="utf-8")
    s = load_settings({"KHABAR_CHANNEL": "-1002"}, env_file=env)
    assert (s.channel, s.log_level) == ("-1002", "DEBUG")


def test_a_username_too_short_for_telegram_says_what_a_username_is() -> None:
    with pytest.raises(ConfigError) as err:
        load_settings({"KHABAR_MODERATOR_CHAT": "@mod"}, env_file=None)
    assert "4 to 32" in str(err.value) and "khabar chats" in str(err.value)
    assert load_settings({"KHABAR_MODERATOR_CHAT": "@mods"}, env_file=None).moderator_chat == "@mods"  # Fragment
    assert load_settings({"KHABAR_CHANNEL": "@khabar_news"}, env_file=None).channel == "@khabar_news"


def test_listen_addresses_take_addresses_and_host_names() -> None:
    s = load_settings({"KHABAR_WEB_LISTEN": "0.0.0.0", "KHABAR_METRICS_LISTEN": "::", "KHABAR_WEBHOOK_LISTEN": "localhost"},
                      env_file=None)
    assert (s.web_listen, s.metrics_listen, s.webhook_listen) == ("0.0.0.0", "::", "localhost")


def test_postgres_url_is_normalised() -> None:
    s = load_settings({"KHABAR_DATABASE_URL": "postgres://u:p@h/db"}, env_file=None)
    assert s.database_url == "postgresql+asyncpg://u:p@h/db"


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({"KHABAR_WEBHOOK_PORT": "http"}, "KHABAR_WEBHOOK_PORT"),
        ({"KHABAR_MODERATORS": "ali,reza"}, "KHABAR_MODERATORS"),
        ({"KHABAR_CHANNEL": "news channel"}, "KHABAR_CHANNEL"),
        ({"KHABAR_MODERATOR_CHAT": "@mod"}, "KHABAR_MODERATOR_CHAT"),  # too short for a Telegram username
        ({"KHABAR_WEB_LISTEN": "999.1.1.1"}, "KHABAR_WEB_LISTEN"),
        ({"KHABAR_METRICS_LISTEN": "http://0.0.0.0"}, "KHABAR_METRICS_LISTEN"),
        ({"KHABAR_WEBHOOK_LISTEN": "0.0.0.0:8443"}, "KHABAR_WEBHOOK_LISTEN"),
        ({"KHABAR_CHANNEL": "@news-desk"}, "KHABAR_CHANNEL"),
        ({"KHABAR_DATABASE_URL": "mysql://x"}, "KHABAR_DATABASE_URL"),
        ({"KHABAR_TIMEZONE": "Mars/Olympus"}, "KHABAR_TIMEZONE"),
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


def test_a_webhook_url_telegram_would_refuse_is_named_before_start(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(f"KHABAR_BOT_TOKEN={TOKEN}\nKHABAR_CHANNEL=@akhbar_news\nKHABAR_MODERATOR_CHAT=-1002\n"
                   "KHABAR_WEBHOOK_URL=http://news.example/telegram\nKHABAR_WEBHOOK_SECRET=s3cret_value\n",
                   encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings({}, env_file=env).require_bot(webhook=True)
    assert str(err.value).startswith("KHABAR_WEBHOOK_URL must be an https:// URL")
    load_settings({}, env_file=env).require_bot()  # long polling needs no webhook URL at all
    # With its own Bot API server (--local), a newsroom may use http:// webhooks.
    load_settings({"KHABAR_BOT_API_URL": "http://127.0.0.1:8081/bot"}, env_file=env).require_bot(webhook=True)
    load_settings({"KHABAR_WEBHOOK_URL": "https://news.example/telegram"}, env_file=env).require_bot(webhook=True)


def test_placeholder_token_is_named_with_the_other_missing_keys() -> None:
    s = load_settings({"KHABAR_BOT_TOKEN": "123456:CHANGE_ME"}, env_file=None)
    with pytest.raises(ConfigError) as err:
        s.require_bot()
    lines = str(err.value).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["KHABAR_BOT_TOKEN", "KHABAR_CHANNEL", "KHABAR_MODERATOR_CHAT"]
    assert "placeholder" in lines[0]


def test_malformed_token_is_named_without_echoing_it() -> None:
    s = load_settings({"KHABAR_BOT_TOKEN": "not-a-token-at-all", "KHABAR_CHANNEL": "@akhbar_news",
                       "KHABAR_MODERATOR_CHAT": "-1002"}, env_file=None)
    with pytest.raises(ConfigError) as err:
        s.require_bot()
    assert "KHABAR_BOT_TOKEN" in str(err.value) and "not-a-token-at-all" not in str(err.value)


def test_test_only_variables_are_not_settings() -> None:
    load_settings({"KHABAR_TEST_POSTGRES_URL": "postgresql+asyncpg://x/y"}, env_file=None)


def _env(tmp_path: Path, text: str) -> Path:
    path = tmp_path / ".env"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("line", "expected"), [("", ()), ("501", (501,)), ("501,503", (501, 503)),
                                                ("501, 503", (501, 503)), ("[501,503]", (501, 503))])
def test_moderators_from_a_dotenv_file_as_documented(tmp_path: Path, line: str, expected: tuple[int, ...]) -> None:
    s = load_settings({}, env_file=_env(tmp_path, f"KHABAR_MODERATORS={line}\n"))
    assert s.moderators == expected


def test_every_key_of_env_example_parses_from_a_file(tmp_path: Path) -> None:
    """An untouched copy of .env.example loads (empty = default), and every value in it is the default."""
    example = (Path(__file__).parents[1] / ".env.example").read_text(encoding="utf-8")
    s = load_settings({}, env_file=_env(tmp_path, example))
    defaults = load_settings({}, env_file=None)
    for name in Settings.model_fields:
        if name != "database_url":
            assert getattr(s, name) == getattr(defaults, name), name
    assert s.database_url == f"sqlite+aiosqlite:///{tmp_path / 'khabar.db'}"
    with pytest.raises(ConfigError) as err:
        s.require_bot()
    assert [line.split(" ", 1)[0] for line in str(err.value).splitlines()] == [
        "KHABAR_BOT_TOKEN", "KHABAR_CHANNEL", "KHABAR_MODERATOR_CHAT"]


def test_empty_value_means_the_default(tmp_path: Path) -> None:
    s = load_settings({}, env_file=_env(tmp_path, "KHABAR_WEBHOOK_PORT=\nKHABAR_CAPTCHA_TRIES=\nKHABAR_LOG_LEVEL=\n"))
    assert (s.webhook_port, s.captcha_tries, s.log_level) == (8443, 3, "INFO")


def test_misspelt_key_in_dotenv_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings({}, env_file=_env(tmp_path, "KHABAR_MODERATOR=501\n"))
    assert "KHABAR_MODERATOR " in str(err.value) and "did you mean KHABAR_MODERATORS?" in str(err.value)


def test_other_programs_keys_in_dotenv_are_left_alone(tmp_path: Path) -> None:
    load_settings({}, env_file=_env(tmp_path, "POSTGRES_PASSWORD=x\nKHABAR_TEST_POSTGRES_URL=y\n"))


def test_quoted_hashtags_keep_every_tag(tmp_path: Path) -> None:
    s = load_settings({}, env_file=_env(tmp_path, 'KHABAR_HASHTAGS="#لرستان #خبر"  # two tags\n'))
    assert s.hashtags == "#لرستان #خبر"


@pytest.mark.parametrize("level", ["debug", "Debug", "DEBUG", " debug "])
def test_log_level_in_any_case(tmp_path: Path, level: str) -> None:
    assert load_settings({}, env_file=_env(tmp_path, f"KHABAR_LOG_LEVEL={level}\n")).log_level == "DEBUG"


def test_plain_sqlite_url_is_accepted_and_anchored_at_the_env_file(tmp_path: Path) -> None:
    s = load_settings({}, env_file=_env(tmp_path, "KHABAR_DATABASE_URL=sqlite:///data/k.db\n"))
    assert s.database_url == f"sqlite+aiosqlite:///{tmp_path / 'data' / 'k.db'}"
    absolute = load_settings({"KHABAR_DATABASE_URL": "sqlite:////var/lib/khabar/khabar.db"}, env_file=None)
    assert absolute.database_url == "sqlite+aiosqlite:////var/lib/khabar/khabar.db"


def test_environment_wins_over_the_file_and_empty_environment_does_not_blank_it(tmp_path: Path) -> None:
    env = _env(tmp_path, "KHABAR_CHANNEL=-1001\nKHABAR_CAPTCHA_TRIES=5\n")
    s = load_settings({"KHABAR_CHANNEL": "-1002", "KHABAR_CAPTCHA_TRIES": ""}, env_file=env)
    assert (s.channel, s.captcha_tries) == ("-1002", 5)
