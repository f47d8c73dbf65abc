"""``khabar chats``: the ids an operator needs, on a first install and beside a running bot."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from fakegram.control import FakeTelegram
from storage import migrate
from storage.repos import seen
from tests.e2e.harness import Khabar, World


async def chats(fake: FakeTelegram, cwd: Path, **settings: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    env.update({"KHABAR_BOT_TOKEN": fake.token, "KHABAR_BOT_API_URL": fake.base_url,
                "PYTHONPATH": str(Path(__file__).parents[2])})
    env.update({"KHABAR_" + k.upper(): v for k, v in settings.items()})
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "chats", cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode or 0, out.decode()


async def test_first_install_lists_ids_from_pending_updates_without_consuming_them(
    fake: FakeTelegram, world: World, tmp_path: Path
) -> None:
    """Only the token is set, no database yet, the bot never ran: the ids come from Telegram."""
    code, out = await chats(fake, tmp_path)
    assert code == 1 and "no chats seen yet" in out and "/start@khabar_test_bot" in out
    await fake.channel_post(world.channel, "خبر آزمایشی")
    await world.moderators[0].send(world.mods_chat, "سلام، من مدیرم")
    pending = len(fake.updates.pending)
    code, out = await chats(fake, tmp_path)
    assert code == 0, out
    assert f"{world.channel.id}  channel" in out and f"«{world.channel.title}»" in out
    assert f"{world.mods_chat.id}  supergroup" in out
    assert f"{world.moderators[0].id}  «{world.moderators[0].first_name}» @{world.moderators[0].username}" in out
    assert len(fake.updates.pending) == pending  # read, not confirmed: `khabar run` still gets them
    assert fake.token not in out


async def test_beside_a_running_bot_the_recorded_chats_are_listed(
    fake: FakeTelegram, world: World, khabar: Khabar, tmp_path: Path, db_url: str
) -> None:
    mod = world.moderators[1]
    await mod.send(world.mods_chat, "سلام")
    for _ in range(200):  # until the bot has handled the update (bounded)
        async with khabar.db.transaction() as session:
            if any(r.id == mod.id for r in await seen.all_seen(session)):
                break
        await asyncio.sleep(0.05)
    code, out = await chats(fake, tmp_path, database_url=db_url, moderator_chat=str(world.mods_chat.id),
                            moderators=str(mod.id))
    assert code == 0, out
    assert "the bot is running (polling)" in out
    assert f"{world.mods_chat.id}  supergroup  «{world.mods_chat.title}»  ← KHABAR_MODERATOR_CHAT" in out
    assert f"{mod.id}  «{mod.first_name}» @{mod.username}  in «{world.mods_chat.title}»  ← in KHABAR_MODERATORS" in out


async def test_seen_table_matches_the_migration(db_url: str) -> None:
    await migrate.upgrade_async(db_url)
    assert await migrate.pending_model_changes(db_url) == []
