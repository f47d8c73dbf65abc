"""``khabar doctor`` against the fake Bot API: every right checked, the fix printed, exit codes."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from bot.outbox import call
from fakegram.control import FakeTelegram
from storage import migrate
from storage.db import Database
from storage.models import Delivery
from storage.repos import outbox
from tests.e2e.harness import World


async def doctor(fake: FakeTelegram, world: World, tmp_path: Path, db_url: str, *, command: str = "doctor",
                 **overrides: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    env.update(
        {
            "KHABAR_BOT_TOKEN": fake.token,
            "KHABAR_BOT_API_URL": fake.base_url,
            "KHABAR_CHANNEL": str(world.channel.id),
            "KHABAR_DISCUSSION_CHAT": str(world.group.id),
            "KHABAR_MODERATOR_CHAT": str(world.mods_chat.id),
            "KHABAR_DATABASE_URL": db_url,
            "PYTHONPATH": str(Path(__file__).parents[2]),
        }
    )
    env.update({"KHABAR_" + k.upper(): v for k, v in overrides.items()})
    env = {k: v for k, v in env.items() if v}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", command, cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode or 0, out.decode()


async def test_doctor_passes_when_everything_is_set_up(
    fake: FakeTelegram, world: World, tmp_path: Path, db_url: str
) -> None:
    await migrate.upgrade_async(db_url)
    code, out = await doctor(fake, world, tmp_path, db_url)
    assert code == 0, out
    assert "✗" not in out and out.count("✓") >= 8
    assert fake.token not in out


async def test_doctor_names_missing_rights_and_schema(
    fake: FakeTelegram, world: World, tmp_path: Path, db_url: str
) -> None:
    fake.set_bot_rights(world.group, "administrator", can_delete_messages=False)
    fake.set_bot_rights(world.channel, "member")
    code, out = await doctor(fake, world, tmp_path, db_url)
    assert code == 1
    assert "make the bot an admin of the discussion group with 'Delete messages'" in out
    assert "make the bot an admin of the channel" in out
    assert "run `khabar db upgrade`" in out


async def test_doctor_reports_the_outbox(fake: FakeTelegram, world: World, tmp_path: Path, db_url: str) -> None:
    """A message that failed for good and one nobody sent for an hour: named, with what to do."""
    await migrate.upgrade_async(db_url)
    db = Database(db_url)
    now = datetime.now(UTC)
    try:
        async with db.transaction() as s:
            await outbox.enqueue(s, kind="test", dedupe_key="f", chat_key=1, payload=call("send_message"), now=now)
            await outbox.enqueue(s, kind="test", dedupe_key="late", chat_key=1, payload=call("send_message"),
                                 now=now - timedelta(hours=1))
            await s.execute(update(Delivery).where(Delivery.dedupe_key == "f").values(
                status="failed", error="Forbidden: bot was kicked from the channel chat"))
    finally:
        await db.close()
    code, out = await doctor(fake, world, tmp_path, db_url)
    assert code == 1
    assert "✗ outbox: 1 message(s) queued in the last 24 h failed for good; last error: Forbidden: bot was kicked" in out
    assert "✗ outbox: 1 message(s) waiting for over 10 minutes" in out and "is `khabar run` running?" in out
    assert "✓ outbox: 0 thread message(s) whose possible copies are not checked yet" in out


async def test_doctor_never_prints_a_refused_token(fake: FakeTelegram, world: World, tmp_path: Path, db_url: str) -> None:
    wrong = "987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9"
    code, out = await doctor(fake, world, tmp_path, db_url, bot_token=wrong)
    assert code == 1
    assert "✗ token works" in out and "copy the token again from @BotFather" in out
    assert wrong not in out and wrong.split(":")[1] not in out
    fake.expect_failure("Unauthorized", strict=False)


async def test_doctor_checks_the_linked_group_when_discussion_chat_is_empty(
    fake: FakeTelegram, world: World, tmp_path: Path, db_url: str
) -> None:
    fake.set_bot_rights(world.group, "administrator", can_delete_messages=False)
    code, out = await doctor(fake, world, tmp_path, db_url, discussion_chat="")
    assert code == 1
    assert f"✓ the discussion group (linked to the channel) «{world.group.title}» (id {world.group.id}) is reachable" in out
    assert "✗ the discussion group (linked to the channel): right 'Delete messages'" in out


async def test_doctor_prints_ids_and_who_may_moderate(
    fake: FakeTelegram, world: World, tmp_path: Path, db_url: str
) -> None:
    await migrate.upgrade_async(db_url)
    code, out = await doctor(fake, world, tmp_path, db_url)
    assert code == 0, out
    assert f"(id {world.channel.id})" in out and f"(id {world.mods_chat.id})" in out
    admins = [line for line in out.splitlines() if "every admin of the moderators' group may moderate" in line]
    assert len(admins) == 1
    for mod in world.moderators:
        assert f"«{mod.first_name}» (id {mod.id})" in admins[0]
    assert str(world.outsider.id) not in admins[0]
    # Configured ids: each is looked up in the moderators' group; someone outside it is a ✗ with the fix.
    stranger = fake.make_user("غریبه", "stranger")
    configured = f"{world.moderators[0].id},{stranger.id}"
    code, out = await doctor(fake, world, tmp_path, db_url, moderators=configured)
    assert code == 1
    assert f"✓ moderator «{world.moderators[0].first_name}» (id {world.moderators[0].id}) is in the moderators' group" in out
    assert f"✗ moderator «{stranger.first_name}» (id {stranger.id}) is in the moderators' group" in out
