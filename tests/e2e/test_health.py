"""/healthz and /metrics on KHABAR_METRICS_PORT, in polling and webhook mode, over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import make_url

from bot.app import stop_app
from fakegram.control import FakeTelegram
from tests.e2e.driver import approve, find_card, send_comment, solve_captcha, start_payload
from tests.e2e.harness import Clock, Khabar, World, create_schema, free_port, launch, settings_for
from tests.e2e.publishing_helpers import TRAFFIC, queue_article
from tests.pg_admin import pg_admin

COMMENT = "ترافیک میدان آزادی واقعاً کلافه‌کننده شده و باید مترو را زودتر تکمیل کنند."


@pytest.fixture
async def monitored(fake: FakeTelegram, world: World, db_url: str, mode: str) -> AsyncIterator[Khabar]:
    """Khabar with /healthz and /metrics on a free port of 127.0.0.1."""
    await create_schema(db_url)
    port = free_port()
    settings = settings_for(fake, world, db_url, metrics_port=str(port), metrics_listen="127.0.0.1")
    khabar = await launch(world, settings, Clock(), webhook=mode == "webhook")
    khabar.extra["monitor"] = f"http://127.0.0.1:{port}"
    try:
        yield khabar
    finally:
        await stop_app(khabar.app)


async def get(khabar: Khabar, path: str) -> httpx.Response:
    async with httpx.AsyncClient(trust_env=False, timeout=15) as client:
        return await client.get(khabar.extra["monitor"] + path)


async def healthz(khabar: Khabar) -> tuple[int, dict[str, Any]]:
    response = await get(khabar, "/healthz")
    return response.status_code, response.json()


@pytest.mark.parametrize("mode", ["polling", "webhook"], indirect=True)
async def test_healthz_is_200_while_updates_arrive_and_503_once_they_stop(monitored: Khabar, mode: str) -> None:
    status, body = await healthz(monitored)
    assert status == 200, body
    assert body["status"] == "ok" and body["updates"]["live"] and body["updates"]["mode"] == mode
    assert body["database"] == {"ok": True}
    updater = monitored.app.updater
    assert updater is not None
    await updater.stop()  # polling (or the webhook server) stopped, the process still up
    status, body = await healthz(monitored)
    assert status == 503
    assert body["status"] == "unavailable" and body["updates"]["live"] is False and body["database"]["ok"]


class Outage:
    """Takes the database away and gives it back: a SQLite file gone, a PostgreSQL database refusing connections."""

    def __init__(self, khabar: Khabar) -> None:
        self.khabar = khabar
        self.url = make_url(khabar.settings.database_url)

    async def begin(self) -> None:
        if self.url.get_backend_name() == "sqlite":
            path = Path(str(self.url.database))
            path.rename(path.with_suffix(".away"))
            path.mkdir()  # nothing can open the database file any more
        else:
            name = self.url.database
            await pg_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            await pg_admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        await self.khabar.db.engine.dispose()  # connections already open are lost too

    async def end(self) -> None:
        if self.url.get_backend_name() == "sqlite":
            path = Path(str(self.url.database))
            path.rmdir()
            path.with_suffix(".away").rename(path)
        else:
            await pg_admin(f'ALTER DATABASE "{self.url.database}" ALLOW_CONNECTIONS true')


async def test_healthz_is_503_while_the_database_is_gone(monitored: Khabar) -> None:
    assert (await healthz(monitored))[0] == 200
    outage = Outage(monitored)
    await outage.begin()
    try:
        status, body = await healthz(monitored)
        metrics = (await get(monitored, "/metrics")).text
    finally:
        await outage.end()
    assert status == 503 and body["database"]["ok"] is False and body["updates"]["live"] is True
    assert "khabar_database_up 0.0" in metrics  # /metrics still answers, saying the database does not
    status, body = await healthz(monitored)
    assert status == 200, body


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a Prometheus text page: (name, sorted labels) → value."""
    out = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


async def test_metrics_after_a_comment_flows(fake: FakeTelegram, world: World, monitored: Khabar) -> None:
    await queue_article(monitored, TRAFFIC)
    await monitored.settle()
    (post,) = fake.bot_messages(world.channel)
    await fake.wait_for("getUpdates", timeout=5)
    reader = fake.make_user("سارا", "sara")
    captcha = await send_comment(fake, reader, start_payload(post), COMMENT)
    await solve_captcha(fake, reader, captcha)
    await monitored.settle()
    card = find_card(fake, world.mods_chat, COMMENT)
    assert card is not None
    await approve(fake, world.moderators[0], card)
    await monitored.settle()

    response = await get(monitored, "/metrics")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/plain")
    got = samples(response.text)
    assert got[("khabar_updates_total", (("kind", "message"),))] >= 3  # /start, the comment, the typed answer
    assert got[("khabar_updates_total", (("kind", "callback_query"),))] >= 1  # approve
    assert sum(v for (name, _), v in got.items() if name == "khabar_check_verdicts_total") == 1
    assert got[("khabar_comments", (("status", "approved"),))] == 1
    assert got[("khabar_comments", (("status", "pending"),))] == 0
    assert got[("khabar_outbox_backlog", (("status", "queued"),))] == 0
    assert got[("khabar_outbox_oldest_age_seconds", ())] == 0
    for kind in ("channel", "private", "moderators", "discussion"):
        assert got[("khabar_telegram_sends_total", (("chat_kind", kind), ("method", "sendMessage")))] >= 1, kind
    assert got[("khabar_decision_seconds_count", (("by", "moderator"), ("decision", "approved")))] == 1
    assert got[("khabar_updates_live", ())] == 1 and got[("khabar_database_up", ())] == 1
