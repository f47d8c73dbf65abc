"""SQLite's calls: statements run on the event loop's thread; BEGIN, which can wait on another process's
lock, still waits on aiosqlite's thread, so the loop keeps serving while it waits."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import Database


async def test_statements_run_on_the_loops_thread(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'k.db'}")
    try:
        async with db.transaction() as session:
            raw = await (await session.connection()).get_raw_connection()
            driver = raw.driver_connection
            assert driver is not None
            driver._conn.create_function("thread_id", 0, threading.get_ident)
            ran_on = (await session.execute(text("SELECT thread_id()"))).scalar_one()
        assert ran_on == threading.get_ident()
    finally:
        await db.close()


async def test_a_lock_held_by_another_process_does_not_stop_the_loop(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        async with db.transaction() as session:  # creates the file in WAL mode
            await session.execute(text("CREATE TABLE t (a INTEGER)"))
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process's writer holds the lock

        async def write() -> int:
            async with db.transaction() as session:
                await session.execute(text("INSERT INTO t VALUES (1)"))
                return int((await session.execute(text("SELECT count(*) FROM t"))).scalar_one())

        task = asyncio.create_task(write())
        for _ in range(30):  # the loop serves other work while the BEGIN waits (inline, it would sleep in
            await asyncio.sleep(0.01)  # SQLite's busy handler and the task would have failed «locked» by now)
        assert not task.done()  # still waiting for the lock
        other.execute("ROLLBACK")
        other.close()
        assert await asyncio.wait_for(task, 10) == 1
    finally:
        await db.close()


async def test_a_transaction_cancelled_while_begin_waits_leaves_the_loop_free(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        async with db.transaction() as session:
            await session.execute(text("CREATE TABLE t (a INTEGER)"))
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")

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
        other.execute("ROLLBACK")
        other.close()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, 35)
        ticker.cancel()
        async with db.transaction() as session:  # the database is usable after it
            await session.execute(text("INSERT INTO t VALUES (2)"))
            assert (await session.execute(text("SELECT count(*) FROM t"))).scalar_one() == 1
    finally:
        await db.close()


async def test_an_in_memory_database_works(tmp_path: Path) -> None:
    db = Database("sqlite+aiosqlite:///:memory:")
    try:
        async with db.transaction() as session:
            assert (await session.execute(text("SELECT 41 + 1"))).scalar_one() == 42
    finally:
        await db.close()


async def test_begin_and_commit_run_on_the_loops_thread_while_the_lock_is_free(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'k.db'}")
    ran: list[tuple[str, int]] = []
    try:
        async with db.transaction() as session:
            await session.execute(text("CREATE TABLE t (a INTEGER)"))
            raw = await (await session.connection()).get_raw_connection()
            driver = raw.driver_connection
            assert driver is not None
            driver._conn.set_trace_callback(lambda sql: ran.append((sql.split()[0].upper(), threading.get_ident())))
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO t VALUES (1)"))
        async with db.transaction() as session:
            assert (await session.execute(text("SELECT count(*) FROM t"))).scalar_one() == 1
    finally:
        await db.close()
    kinds = [kind for kind, _ in ran]
    assert kinds.count("BEGIN") >= 2 and kinds.count("COMMIT") >= 2
    assert {thread for kind, thread in ran if kind in ("BEGIN", "COMMIT")} == {threading.get_ident()}


async def test_commit_waits_on_the_thread_without_wal(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'k.db'}")
    ran: list[tuple[str, int]] = []
    try:
        async with db.transaction() as session:
            raw = await (await session.connection()).get_raw_connection()
            driver = raw.driver_connection
            assert driver is not None
            driver.wal = False  # as on a file system where SQLite cannot use WAL
            driver._conn.set_trace_callback(lambda sql: ran.append((sql.split()[0].upper(), threading.get_ident())))
            await session.execute(text("CREATE TABLE t (a INTEGER)"))
    finally:
        await db.close()
    commits = [thread for kind, thread in ran if kind == "COMMIT"]
    assert commits and threading.get_ident() not in commits
