"""The real Application against the fake: start-up sequence and a /start answered, both modes."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from fakegram.control import FakeTelegram
from tests.e2e.harness import Khabar, World


@pytest.mark.parametrize("mode", ["polling", "webhook"], indirect=True)
async def test_startup_and_start_answered(fake: FakeTelegram, world: World, khabar: Khabar, mode: str) -> None:
    reader = fake.make_user("زهرا", "zahra")
    await reader.start_bot()
    reply = await fake.wait_for("sendMessage", lambda c: c.params.get("chat_id") in (reader.id, str(reader.id)))
    assert "ثبت نظر" in reply.params["text"]
    methods = [c.method.lower() for c in fake.calls]
    assert methods[0] == "getme"
    if mode == "polling":
        # getUpdates is a long poll: it is recorded when it returns, after deleteWebhook.
        assert methods.index("deletewebhook") < methods.index("getupdates")
    else:
        assert "setwebhook" in methods and "getupdates" not in methods
    assert khabar.deps.chats.discussion == world.group.id


async def test_run_with_a_refused_token_exits_2_naming_it(fake: FakeTelegram, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    wrong = "7000000001:AAWrongTokenWrongTokenWrongToken123"
    env.update({"KHABAR_BOT_TOKEN": wrong, "KHABAR_BOT_API_URL": fake.base_url, "KHABAR_CHANNEL": "-1001",
                "KHABAR_MODERATOR_CHAT": "-1002", "KHABAR_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'k.db'}",
                "PYTHONPATH": str(Path(__file__).parents[2])})
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", "--migrate", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    _out, err = await asyncio.wait_for(proc.communicate(), 60)
    text = err.decode()
    assert proc.returncode == 2
    assert "KHABAR_BOT_TOKEN" in text and "refused the token" in text
    assert "Traceback" not in text and wrong not in text


async def test_command_menus_are_set_at_start_up_once(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    from telegram import Bot, BotCommandScopeAllPrivateChats, BotCommandScopeChat, BotCommandScopeDefault

    async with Bot(fake.token, base_url=fake.base_url) as client:
        private = await client.get_my_commands(scope=BotCommandScopeAllPrivateChats())
        mods = await client.get_my_commands(scope=BotCommandScopeChat(world.mods_chat.id))
        elsewhere = await client.get_my_commands(scope=BotCommandScopeDefault())
    assert [c.command for c in private] == ["start", "my", "notify", "help"]
    assert [c.command for c in mods] == ["queue", "stats", "ban", "unban", "trust", "untrust", "close", "open", "remove", "purge", "words", "feeds"]
    assert elsewhere == ()  # groups and channels other than the moderators' get no menu
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in c.description) for c in (*private, *mods))  # Persian
    assert len(fake.calls_of("setMyCommands")) == 2
    await khabar.restart()  # the same menus again: compared, not set again
    assert len(fake.calls_of("setMyCommands")) == 2
    assert len(fake.calls_of("getMyCommands")) == 2 + 3 + 2  # start-up, this test, restart


async def test_khabar_run_serves_healthz_from_env_file_settings(fake: FakeTelegram, world: World, tmp_path: Path) -> None:
    import signal

    import httpx

    from tests.e2e.harness import free_port

    port = free_port()
    (tmp_path / ".env").write_text(
        f"KHABAR_BOT_TOKEN={fake.token}\nKHABAR_BOT_API_URL={fake.base_url}\nKHABAR_CHANNEL={world.channel.id}\n"
        f"KHABAR_MODERATOR_CHAT={world.mods_chat.id}\nKHABAR_DATABASE_URL=sqlite+aiosqlite:///{tmp_path / 'k.db'}\n"
        f"KHABAR_METRICS_PORT={port}\nKHABAR_METRICS_LISTEN=127.0.0.1\nKHABAR_LOG_FORMAT=json\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    env["PYTHONPATH"] = str(Path(__file__).parents[2])
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", "--migrate", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    body: dict[str, object] = {}
    try:
        async with httpx.AsyncClient(trust_env=False, timeout=5) as client:
            for _ in range(300):  # until the bot polls (start-up takes a few seconds)
                try:
                    response = await client.get(f"http://127.0.0.1:{port}/healthz")
                except httpx.TransportError:
                    response = None
                if response is not None and response.status_code == 200:
                    body = response.json()
                    break
                await asyncio.sleep(0.1)
            metrics = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert body.get("status") == "ok", err.decode()[-2000:]
    assert "khabar_updates_live 1.0" in metrics and "khabar_database_up 1.0" in metrics
    assert proc.returncode == 0
    assert "Traceback" not in err.decode() and fake.token not in err.decode()


async def test_run_webhook_refused_by_telegram_exits_2_naming_the_key(fake: FakeTelegram, world: World,
                                                                       tmp_path: Path) -> None:
    """A webhook Telegram refuses (a port it does not call, a bad certificate) is a configuration error, exit 2:
    not "Telegram stopped answering" and exit 1, which a supervisor would restart every few seconds."""
    from tests.e2e.harness import free_port

    refusal = "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
    fake.faults.add("setWebhook", "400", times=None, description=refusal)
    (tmp_path / ".env").write_text(
        f"KHABAR_BOT_TOKEN={fake.token}\nKHABAR_BOT_API_URL={fake.base_url}\nKHABAR_CHANNEL={world.channel.id}\n"
        f"KHABAR_MODERATOR_CHAT={world.mods_chat.id}\nKHABAR_DATABASE_URL=sqlite+aiosqlite:///{tmp_path / 'k.db'}\n"
        f"KHABAR_WEBHOOK_URL=https://news.example:9999/telegram\nKHABAR_WEBHOOK_SECRET=a_secret_of_the_newsroom\n"
        f"KHABAR_WEBHOOK_PORT={free_port()}\nKHABAR_METRICS_PORT={free_port()}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    env["PYTHONPATH"] = str(Path(__file__).parents[2])
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", "--webhook", "--migrate", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    _out, err = await asyncio.wait_for(proc.communicate(), 60)
    text = err.decode()
    assert proc.returncode == 2, text[-2000:]
    assert "KHABAR_WEBHOOK_URL: Telegram refused the webhook" in text and "ports 80, 88, 443 or 8443" in text
    assert "Traceback" not in text, text[-3000:]
    assert fake.token not in text and "a_secret_of_the_newsroom" not in text


@pytest.mark.parametrize("channel", ["numeric", "username"])
async def test_a_gateway_failing_at_start_up_is_an_outage_exit_1_without_tracebacks(
    fake: FakeTelegram, world: World, tmp_path: Path, channel: str
) -> None:
    """Telegram answers who the bot is, then the proxy in front of it (nginx) answers its own HTML 502 page:
    an outage, exit 1 (the service restarts it), never "configuration error", exit 2 (the unit's
    RestartPreventExitStatus would keep the bot down), and no traceback or page dump in the log."""
    fake.faults.add("getChat", "gateway", times=None)
    ref = str(world.channel.id) if channel == "numeric" else "@khabar_news"
    (tmp_path / ".env").write_text(
        f"KHABAR_BOT_TOKEN={fake.token}\nKHABAR_BOT_API_URL={fake.base_url}\nKHABAR_CHANNEL={ref}\n"
        f"KHABAR_MODERATOR_CHAT={world.mods_chat.id}\nKHABAR_DATABASE_URL=sqlite+aiosqlite:///{tmp_path / 'k.db'}\n",
        encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    env["PYTHONPATH"] = str(Path(__file__).parents[2])
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", "--migrate", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    _out, err = await asyncio.wait_for(proc.communicate(), 60)
    text = err.decode()
    assert proc.returncode == 1, text[-2000:]
    assert "Telegram stopped answering during start-up" in text
    assert "configuration error" not in text and "Traceback" not in text, text[-3000:]
    assert " ERROR telegram" not in text and text.count("502 Bad Gateway") <= 2, text  # one short line, not the page


async def test_a_server_that_cannot_listen_names_the_key_to_change(fake: FakeTelegram, world: World,
                                                                    tmp_path: Path) -> None:
    """A taken port names the port; an address this machine does not have names the address (exit 2 both)."""
    import socket

    from tests.e2e.harness import free_port

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    base = (f"KHABAR_BOT_TOKEN={fake.token}\nKHABAR_BOT_API_URL={fake.base_url}\nKHABAR_CHANNEL={world.channel.id}\n"
            f"KHABAR_MODERATOR_CHAT={world.mods_chat.id}\nKHABAR_DATABASE_URL=sqlite+aiosqlite:///{tmp_path / 'k.db'}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    env["PYTHONPATH"] = str(Path(__file__).parents[2])
    port = taken.getsockname()[1]
    cases = [
        (f"KHABAR_METRICS_PORT={port}\n", f"KHABAR_METRICS_PORT={port}: cannot listen"),
        # 192.0.2.1 is TEST-NET-1 (RFC 5737): no machine has it
        (f"KHABAR_WEB_PORT={free_port()}\nKHABAR_WEB_LISTEN=192.0.2.1\n", "KHABAR_WEB_LISTEN=192.0.2.1: cannot listen there"),
        # webhook mode: PTB registers the webhook with Telegram, then binds its port
        (f"KHABAR_WEBHOOK_URL=https://news.example/tg\nKHABAR_WEBHOOK_SECRET=a_secret_value\nKHABAR_WEBHOOK_PORT={port}\n",
         f"KHABAR_WEBHOOK_PORT={port}: cannot listen"),
    ]
    try:
        for extra, expected in cases:
            (tmp_path / ".env").write_text(base + extra, encoding="utf-8")
            mode = ["--webhook"] if "WEBHOOK_URL" in extra else []
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "run", "--migrate", *mode, cwd=tmp_path, env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )
            _out, err = await asyncio.wait_for(proc.communicate(), 60)
            text = err.decode()
            assert proc.returncode == 2, text[-2000:]
            assert expected in text and "Traceback" not in text, text[-2000:]
    finally:
        taken.close()


async def test_a_proxy_refusing_get_me_is_waited_for_without_a_traceback(fake: FakeTelegram, world: World,
                                                                         tmp_path: Path) -> None:
    """A proxy answering 403 (or Telegram a 429) to getMe at start is waited for like an outage; with
    --wait-for-telegram it gives up with one line, exit 2, no traceback."""
    fake.faults.add("getMe", "403", times=None, description="Forbidden: proxy authentication required")
    (tmp_path / ".env").write_text(
        f"KHABAR_BOT_TOKEN={fake.token}\nKHABAR_BOT_API_URL={fake.base_url}\nKHABAR_CHANNEL={world.channel.id}\n"
        f"KHABAR_MODERATOR_CHAT={world.mods_chat.id}\nKHABAR_DATABASE_URL=sqlite+aiosqlite:///{tmp_path / 'k.db'}\n",
        encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    env["PYTHONPATH"] = str(Path(__file__).parents[2])
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", "--migrate", "--wait-for-telegram", "2", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    _out, err = await asyncio.wait_for(proc.communicate(), 60)
    text = err.decode()
    assert proc.returncode == 2, text[-2000:]
    assert "not reachable yet; retrying" in text and "did not answer within 2 s" in text
    assert "proxy authentication required" in text and "Traceback" not in text, text[-2000:]
