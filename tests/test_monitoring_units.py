"""Pieces of monitoring without a network: settings from a .env file, chat kinds, alert batching."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram import Bot

from bot.metrics import Metrics
from bot.network import proxy_secrets
from bot.ops_alerts import LINES, OpsAlerts
from bot.settings import ConfigError, Settings, load_settings
from storage.repos.monitoring import Backlog

TOKEN = "123456:" + "A" * 30


def settings_from(tmp_path: Path, lines: str) -> Settings:
    env = tmp_path / ".env"
    env.write_text(f"KHABAR_BOT_TOKEN={TOKEN}\n{lines}", encoding="utf-8")
    return load_settings({}, env_file=env)


@pytest.mark.parametrize("url", ["http://127.0.0.1:3128", "https://proxy.example:443", "socks5://u:p@10.0.0.1:1080",
                                 "socks5h://10.0.0.1:1080"])
def test_proxy_urls_of_each_scheme_are_accepted_from_env_file(tmp_path: Path, url: str) -> None:
    settings = settings_from(tmp_path, f"KHABAR_PROXY_URL={url}\nKHABAR_FEED_PROXY_URL=\nKHABAR_METRICS_PORT=\n")
    assert settings.proxy_url == url and settings.feed_proxy_url is None and settings.metrics_port is None


@pytest.mark.parametrize("url", ["ftp://127.0.0.1:21", "127.0.0.1:3128", "socks4://127.0.0.1:1080", "http://"])
def test_other_proxy_urls_are_refused_naming_the_key(tmp_path: Path, url: str) -> None:
    with pytest.raises(ConfigError, match="KHABAR_FEED_PROXY_URL"):
        settings_from(tmp_path, f"KHABAR_FEED_PROXY_URL={url}\n")


def test_metrics_port_ops_chat_and_proxy_passwords(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, "KHABAR_METRICS_PORT=9464\nKHABAR_OPS_CHAT=-1001234\n"
                                       "KHABAR_PROXY_URL=socks5://khabar:s3cret@10.0.0.1:1080\n")
    assert settings.metrics_port == 9464 and settings.metrics_listen == "127.0.0.1" and settings.ops_chat == "-1001234"
    assert proxy_secrets(settings) == ["s3cret"]
    with pytest.raises(ConfigError, match="KHABAR_OPS_CHAT"):
        settings_from(tmp_path, "KHABAR_OPS_CHAT=ops team\n")
    with pytest.raises(ConfigError, match="KHABAR_METRICS_PORT"):
        settings_from(tmp_path, "KHABAR_METRICS_PORT=99999\n")


def test_chat_kinds_and_scrape_time_gauges() -> None:
    metrics = Metrics()
    metrics.know_chats({-1001: "channel", -1002: "moderators", None: "discussion"})
    assert [metrics.chat_kind(c) for c in (-1001, "-1002", 42, -1009, "@news")] == [
        "channel", "moderators", "private", "other", "other"]
    now = datetime(2026, 1, 1, tzinfo=UTC)
    metrics.read_database({"pending": 3}, Backlog({"queued": 2, "sending": 0}, now - timedelta(seconds=90)), now)
    metrics.read_database({"approved": 3}, Backlog({"queued": 0, "sending": 0}, None), now)
    value = metrics.registry.get_sample_value
    assert value("khabar_comments", {"status": "pending"}) == 0  # emptied, not stuck at its last count
    assert value("khabar_comments", {"status": "approved"}) == 3
    assert value("khabar_outbox_oldest_age_seconds") == 0


def test_alert_batches_say_a_repeated_error_once_and_count_the_rest() -> None:
    alerts = OpsAlerts(Bot(TOKEN), -100, instance="news-1", secrets=["hook-secret"])
    lines = ["bot.outbox: permanent error"] * 3 + [f"khabar.errors: failure {n}" for n in range(LINES + 2)]
    text = alerts.render(lines, dropped=4)
    assert "news-1" in text and "bot.outbox: permanent error</code> (×۳)" in text
    assert text.count("•") == LINES and "۷ خطای دیگر" in text  # 3 lines not shown + 4 dropped
    assert alerts.redact(f"token {TOKEN} and hook-secret") == "token *** and ***"
