"""The outbox worker inside the running bot: retries, permanent errors, restarts — nothing lost or doubled."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import stop_app
from bot.outbox import Hooks, call
from fakegram.control import FakeTelegram
from storage.db import is_sqlite
from storage.models import Delivery
from storage.repos import outbox
from tests.e2e.harness import Khabar, World, launch


async def _enqueue(khabar: Khabar, key: str, payload: dict[str, Any], chat: int, kind: str = "test") -> None:
    async with khabar.db.transaction() as s:
        await outbox.enqueue(s, kind=kind, dedupe_key=key, chat_key=chat, payload=payload, now=khabar.clock())
    khabar.deps.outbox.wake()


async def _row(khabar: Khabar, key: str) -> Delivery:
    async with khabar.db.transaction() as s:
        row = await outbox.by_key(s, key)
        assert row is not None
        return row


def _texts(fake: FakeTelegram, world: World) -> list[str | None]:
    return [m.text for m in fake.bot_messages(world.mods_chat)]


async def test_429_and_5xx_are_retried_into_exactly_one_message(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    fake.faults.add("sendMessage", "429", retry_after=1, times=1)
    fake.faults.add("sendMessage", "502", times=2)
    await _enqueue(khabar, "m1", call("send_message", chat_id=world.mods_chat.id, text="سلام <b>مدیران</b>"), world.mods_chat.id)
    await khabar.settle()
    row = await _row(khabar, "m1")
    assert row.status == "sent"
    assert _texts(fake, world) == ["سلام مدیران"]
    assert row.message_id == fake.bot_messages(world.mods_chat)[0].message_id


async def test_dropped_connection_is_retried(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    fake.faults.add("sendMessage", "drop", times=1)
    await _enqueue(khabar, "m2", call("send_message", chat_id=world.mods_chat.id, text="دوباره"), world.mods_chat.id)
    await khabar.settle()
    assert (await _row(khabar, "m2")).status == "sent"
    assert _texts(fake, world) == ["دوباره"]


async def test_permanent_error_fails_once_and_runs_the_hook(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    failed: list[str] = []

    async def on_failed(_s: AsyncSession, row: Delivery, error: str, _now: datetime) -> None:
        failed.append(error)

    khabar.deps.outbox.hooks["blocked"] = Hooks(on_failed=on_failed)  # a kind of the test's own
    reader = fake.make_user("نگار")
    await reader.start_bot()
    await reader.block_bot()
    await _enqueue(khabar, "m3", call("send_message", chat_id=reader.id, text="x"), reader.id, kind="blocked")
    await khabar.settle()
    row = await _row(khabar, "m3")
    assert row.status == "failed" and "blocked" in (row.error or "")
    assert failed == [row.error]


async def test_not_modified_edit_counts_as_done(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    await _enqueue(khabar, "m4", call("send_message", chat_id=world.mods_chat.id, text="ثابت"), world.mods_chat.id)
    await khabar.settle()
    message_id = (await _row(khabar, "m4")).message_id
    edit = call("edit_message_text", chat_id=world.mods_chat.id, message_id=message_id, text="ثابت")
    await _enqueue(khabar, "m5", edit, world.mods_chat.id)
    await khabar.settle()
    assert (await _row(khabar, "m5")).status == "sent"


async def test_rows_queued_before_a_restart_are_sent_after_it(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    fake.faults.add("sendMessage", "500", times=None)
    await _enqueue(khabar, "m6", call("send_message", chat_id=world.mods_chat.id, text="پس از راه‌اندازی"), world.mods_chat.id)
    await khabar.deps.outbox.run_once()
    await khabar.restart()
    fake.faults.clear()
    async with khabar.db.transaction() as s:
        row = (await s.execute(select(Delivery).where(Delivery.dedupe_key == "m6"))).scalar_one()
        row.next_attempt_at = khabar.clock()  # skip the backoff wait
    await khabar.settle()
    assert (await _row(khabar, "m6")).status == "sent"
    assert _texts(fake, world) == ["پس از راه‌اندازی"]


async def test_stopping_mid_delivery_never_leaves_the_database_locked(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    """A stop lands wherever it lands (a call in flight, a claim, a hook's transaction): no
    connection is left holding SQLite's write lock, and every row is sent after the restarts."""
    rng = random.Random(5)

    async def slow_hook(session: AsyncSession, _row: Delivery, _message_id: int | None, _now: datetime) -> None:
        await session.execute(select(Delivery.id).limit(1))
        await asyncio.sleep(0.002)  # a hook doing real work keeps its transaction open a while

    chats = [world.mods_chat.id, world.group.id]
    for batch in range(40):
        khabar.deps.outbox.hooks["test"] = Hooks(on_sent=slow_hook)
        async with khabar.db.transaction() as s:
            for n in range(batch * 8, batch * 8 + 8):
                chat = chats[n % 2]
                payload = call("send_message", chat_id=chat, text=f"پیام {n}")
                await outbox.enqueue(s, kind="test", dedupe_key=f"s{n}", chat_key=chat, payload=payload, now=khabar.clock())
        khabar.deps.outbox.wake()
        await asyncio.sleep(rng.random() * 0.03)
        await stop_app(khabar.app)
        if is_sqlite(khabar.settings.database_url):
            probe = sqlite3.connect(khabar.settings.database_url.split("///", 1)[1], timeout=0.5)
            try:  # a leaked connection inside a transaction makes this fail with "database is locked"
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
            finally:
                probe.close()
        khabar.app = (await launch(world, khabar.settings, khabar.clock)).app
    await khabar.settle()
    async with khabar.db.transaction() as s:
        rows = list((await s.execute(select(Delivery))).scalars())
    assert len(rows) == 320 and {r.status for r in rows} == {"sent"}
    texts = [m.text for chat in (world.mods_chat, world.group) for m in fake.bot_messages(chat)]
    assert set(texts) == {f"پیام {n}" for n in range(320)}


async def test_every_message_kind_has_its_entry_in_the_table(khabar: Khabar) -> None:
    """bot/outbox_kinds.py declares every kind (start-up refuses a table missing one); the worker has it."""
    from bot.domain.message_kinds import MessageKind
    from bot.outbox_kinds import follow_ups

    table = follow_ups(khabar.deps)
    assert set(table) == set(MessageKind)
    assert {kind.value for kind in MessageKind} <= set(khabar.deps.outbox.hooks)
    assert table[MessageKind.NOTICE].before_send is not None and table[MessageKind.DELETE] == Hooks()


async def test_a_row_of_a_kind_no_longer_declared_is_sent_as_stored(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    """A row queued under a kind since retired (no entry in the table) is sent as it was stored, no hooks run."""
    assert "retired_kind" not in khabar.deps.outbox.hooks
    await _enqueue(khabar, "old1", call("send_message", chat_id=world.mods_chat.id, text="قدیمی"), world.mods_chat.id,
                   kind="retired_kind")
    await khabar.settle()
    row = await _row(khabar, "old1")
    assert row.status == "sent" and row.message_id is not None
    assert _texts(fake, world) == ["قدیمی"]
