"""SQLite's calls: statements and COMMIT run on the event loop's thread; BEGIN, which can wait on another
process's lock, waits on aiosqlite's thread when that lock is taken, so the loop keeps serving while it
waits; the WAL is checkpointed on aiosqlite's thread, never inside a COMMIT."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import BUSY_TIMEOUT_MS, CHECKPOINT_EVERY, Database, _is_busy


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A database file (WAL, as Khabar opens it) with one table ``t``."""
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'k.db'}")
    try:
        async with database.transaction() as session:
            await session.execute(text("CREATE TABLE t (a INTEGER)"))
        yield database
    finally:
        await database.close()


@pytest.fixture
def other_writer(tmp_path: Path, db: Database) -> Iterator[sqlite3.Connection]:
    """Another process's writer holding the database's write lock until the test releases it."""
    other = sqlite3.connect(tmp_path / "k.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()


async def _driver(session: AsyncSession) -> Any:
    """The aiosqlite connection under a session's transaction."""
    raw = await (await session.connection()).get_raw_connection()
    assert raw.driver_connection is not None
    return raw.driver_connection


def _trace(driver: Any) -> list[tuple[str, int]]:
    """Record each SQL statement's first word and the thread it ran on, from now on."""
    ran: list[tuple[str, int]] = []
    driver._conn.set_trace_callback(lambda sql: ran.append((sql.split()[0].upper(), threading.get_ident())))
    return ran


async def test_statements_run_on_the_loops_thread(db: Database) -> None:
    async with db.transaction() as session:
        (await _driver(session))._conn.create_function("thread_id", 0, threading.get_ident)
        ran_on = (await session.execute(text("SELECT thread_id()"))).scalar_one()
    assert ran_on == threading.get_ident()


async def test_a_lock_held_by_another_process_does_not_stop_the_loop(
        db: Database, other_writer: sqlite3.Connection) -> None:
    async def write() -> int:
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO t VALUES (1)"))
            return int((await session.execute(text("SELECT count(*) FROM t"))).scalar_one())

    task = asyncio.create_task(write())
    for _ in range(30):  # the loop serves other work while the BEGIN waits (inline, it would sleep in
        await asyncio.sleep(0.01)  # SQLite's busy handler and the task would have failed «locked» by now)
    assert not task.done()  # still waiting for the lock
    other_writer.execute("ROLLBACK")
    assert await asyncio.wait_for(task, 10) == 1


async def test_a_transaction_cancelled_while_begin_waits_leaves_the_loop_free(
        db: Database, other_writer: sqlite3.Connection) -> None:
    async def write() -> None:
        async with db.transaction(patient=False) as session:
            await session.execute(text("INSERT INTO t VALUES (1)"))

    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    ticker = asyncio.create_task(tick())
    task = asyncio.create_task(write())
    await asyncio.sleep(0.2)  # its BEGIN waits for the lock on aiosqlite's thread
    task.cancel()
    seen = ticks
    while ticks < seen + 5:  # the loop serves others meanwhile (closed inline, it would wait for BEGIN)
        await asyncio.sleep(0.01)
    assert not task.done()  # its clean-up queues behind the BEGIN, off the loop
    other_writer.execute("ROLLBACK")
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 35)
    ticker.cancel()
    async with db.transaction() as session:  # the database is usable after it
        await session.execute(text("INSERT INTO t VALUES (2)"))
        assert (await session.execute(text("SELECT count(*) FROM t"))).scalar_one() == 1


async def test_an_in_memory_database_works() -> None:
    memory = Database("sqlite+aiosqlite:///:memory:")
    try:
        async with memory.transaction() as session:
            assert (await session.execute(text("SELECT 41 + 1"))).scalar_one() == 42
    finally:
        await memory.close()


async def test_begin_and_commit_run_on_the_loops_thread_while_the_lock_is_free(db: Database) -> None:
    async with db.transaction() as session:
        ran = _trace(await _driver(session))
    async with db.transaction() as session:
        await session.execute(text("INSERT INTO t VALUES (1)"))
    async with db.transaction() as session:
        assert (await session.execute(text("SELECT count(*) FROM t"))).scalar_one() == 1
    kinds = [kind for kind, _ in ran]
    assert kinds.count("BEGIN") >= 2 and kinds.count("COMMIT") >= 2
    assert {thread for kind, thread in ran if kind in ("BEGIN", "COMMIT")} == {threading.get_ident()}


async def test_a_commit_never_checkpoints_and_khabar_keeps_the_wal_small(db: Database, tmp_path: Path) -> None:
    async with db.transaction() as session:
        # the connection's own checkpoint would run inside a COMMIT, on the loop's thread: it is off
        assert (await session.execute(text("PRAGMA wal_autocheckpoint"))).scalar_one() == 0
    checkpoints: list[int] = []
    original = db.checkpoint

    async def counted() -> None:
        checkpoints.append(threading.get_ident())
        await original()

    db.checkpoint = counted  # type: ignore[method-assign]
    row = "x" * 3000  # about a page a transaction
    for _ in range(6 * CHECKPOINT_EVERY):
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO t VALUES (:a)"), {"a": row})
        await asyncio.sleep(0)  # as between any two updates: the loop runs what else is ready
    # Without checkpoints the WAL would hold every page written, three a transaction here (22 MB); the
    # checkpoints let SQLite start it over, so it never grows much past what is written between two of
    # them (a WAL file keeps its largest size until the database closes).
    wal = tmp_path / "k.db-wal"
    assert wal.stat().st_size < 8 * CHECKPOINT_EVERY * 4096
    await db.close()  # waits for a checkpoint still running
    assert len(checkpoints) >= 5
    check = sqlite3.connect(tmp_path / "k.db")
    try:
        assert check.execute("SELECT count(*) FROM t").fetchone()[0] == 6 * CHECKPOINT_EVERY
    finally:
        check.close()


async def test_a_checkpoint_runs_off_the_loop_and_waits_for_no_reader(db: Database, tmp_path: Path) -> None:
    async with db.transaction() as session:
        await session.execute(text("INSERT INTO t VALUES (1)"))
    reader = sqlite3.connect(tmp_path / "k.db", isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM t").fetchone()  # holds a snapshot: the WAL cannot be written back whole
    try:
        async with db.transaction() as session:
            ran: list[tuple[str, int]] = []  # the one pooled connection, which the checkpoint uses next
            (await _driver(session))._conn.set_trace_callback(lambda sql: ran.append((sql, threading.get_ident())))
        await asyncio.wait_for(db.checkpoint(), 10)  # PASSIVE: returns although the reader holds the WAL
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO t VALUES (2)"))
        assert reader.execute("SELECT count(*) FROM t").fetchone()[0] == 1  # its snapshot is intact
        pragmas = {thread for sql, thread in ran if "wal_checkpoint" in sql}
        assert pragmas and threading.get_ident() not in pragmas  # the checkpoint ran on aiosqlite's thread
    finally:
        reader.execute("ROLLBACK")
        reader.close()
    async with db.transaction() as session:
        assert (await session.execute(text("SELECT count(*) FROM t"))).scalar_one() == 2


async def test_busy_timeout_is_back_after_a_begin_tried_at_once(
        db: Database, tmp_path: Path) -> None:
    async def timeout() -> int:
        async with db.transaction() as session:
            return int((await session.execute(text("PRAGMA busy_timeout"))).scalar_one())

    assert await timeout() == BUSY_TIMEOUT_MS  # after a BEGIN run at once
    other = sqlite3.connect(tmp_path / "k.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    task = asyncio.create_task(timeout())
    await asyncio.sleep(0.1)  # the BEGIN was refused at once, and now waits on the thread
    other.execute("ROLLBACK")
    other.close()
    assert await asyncio.wait_for(task, 10) == BUSY_TIMEOUT_MS


@pytest.mark.parametrize(("code", "busy"), [(5, True), (261, True), (517, True), (6, False), (1, False)])
def test_busy_codes(code: int, busy: bool) -> None:
    exc = sqlite3.OperationalError("database is locked" if busy else "other")
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    assert _is_busy(exc) is busy


async def test_a_checkpoint_cancelled_before_it_ran_stops_neither_checkpoints_nor_close(db: Database) -> None:
    runs = 0
    original = db.checkpoint

    async def counted() -> None:
        nonlocal runs
        runs += 1
        await original()

    db.checkpoint = counted  # type: ignore[method-assign]
    for _ in range(CHECKPOINT_EVERY):
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO t VALUES (1)"))
    first = db._checkpoint
    assert first is not None
    first.cancel()  # e.g. a shutdown cancelling every task, before this one ran
    await asyncio.wait({first})
    for _ in range(CHECKPOINT_EVERY):
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO t VALUES (1)"))
        await asyncio.sleep(0)
    assert runs >= 1  # the next one still ran
    second = db._checkpoint
    if second is not None:
        second.cancel()
    await db.close()  # returns, and releases the pool
    assert db.engine.pool.checkedout() == 0
