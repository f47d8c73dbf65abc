"""Engine and session factory; SQLite tuned for a bot, PostgreSQL pooled."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from storage.availability import Availability, unavailable

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PoolOptions:
    """Connection pool settings (PostgreSQL; SQLite ignores size)."""

    size: int = 5
    max_overflow: int = 10
    timeout: float = 30.0


def is_sqlite(url: str) -> bool:
    """Whether a database URL names SQLite."""
    return make_url(url).get_backend_name() == "sqlite"


BUSY_TIMEOUT_MS = 30000  # how long a transaction waits for another process's write lock
# Commits between two WAL checkpoints on SQLite (run on aiosqlite's thread). A Khabar transaction writes
# one to three pages, so the WAL stays near SQLite's own default threshold of 1,000 pages.
CHECKPOINT_EVERY = 300


class _InlineConnection(aiosqlite.Connection):
    """aiosqlite's connection, running on the caller's thread the calls that cannot wait on another process.

    Every Khabar transaction on SQLite begins with BEGIN IMMEDIATE, which takes the write lock (and is
    queued in-process by ``Database.transaction``), so the statements after it take microseconds and are
    run at once: each used to cost three or four hand-offs to aiosqlite's thread and back (a queue put, a
    thread wake-up, ``call_soon_threadsafe`` waking the loop), a third of Khabar's CPU per update (py-spy,
    bench/pipeline.py). What can wait on another process (a CLI command, a backup) goes to the thread,
    so the event loop never sleeps in SQLite's busy handler. BEGIN is first tried here with the busy
    timeout at zero (this process queues its own transactions, so the lock is nearly always free) and
    goes to the thread to wait only when another process holds the lock. In WAL mode COMMIT runs here
    too: it appends to the WAL and never waits for a lock, and the one slow thing a COMMIT may do, the
    automatic checkpoint that writes the WAL back into the database file, is turned off on these
    connections; ``Database`` checkpoints on aiosqlite's thread instead, every ``CHECKPOINT_EVERY``
    commits (a COMMIT handed to the thread cost ~0.4 ms of CPU, more than the rest of a small
    transaction). Without WAL (a file system that refuses it) COMMIT stays on the thread. The PRAGMAs a
    connection runs when it opens go to the thread too.
    Once a call handed to the thread was abandoned (its task cancelled while BEGIN waited for the lock),
    every later call on this connection queues behind it there: never two threads in one connection."""

    _abandoned = False
    wal = False  # set when the connection opens in WAL mode: COMMIT runs inline, checkpoints are Khabar's

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._abandoned and _is_begin(args) and self._running and self._connection is not None:
            # First without waiting, here: the lock is nearly always free (this process queues its own
            # transactions), and a BEGIN handed to the thread costs two thread hand-offs. Only when
            # another process holds the lock does the BEGIN go to the thread to wait for it.
            raw = self._connection
            try:
                raw.execute("PRAGMA busy_timeout=0")
                return fn(*args, **kwargs)
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise
            finally:
                raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if self._abandoned or _may_wait(fn, args, wal=self.wal):
            try:
                return await super()._execute(fn, *args, **kwargs)
            except asyncio.CancelledError:
                self._abandoned = True  # the call may still be running on the thread
                raise
        if not self._running or self._connection is None:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)


def _is_begin(args: tuple[Any, ...]) -> bool:
    return bool(args) and isinstance(args[0], str) and args[0].startswith("BEGIN")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    """SQLITE_BUSY (or one of its extended codes): another connection holds the lock."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF == sqlite3.SQLITE_BUSY
    return str(exc) == "database is locked"


def _may_wait(fn: Callable[..., Any], args: tuple[Any, ...], *, wal: bool) -> bool:
    """Whether a call can wait on SQLite's busy handler: BEGIN, a PRAGMA, and COMMIT unless in WAL mode
    (where it only appends to the WAL: the automatic checkpoint that could run inside it is off)."""
    if args and isinstance(args[0], str):
        head = args[0].lstrip().upper()
        return head.startswith(("BEGIN", "PRAGMA")) or (not wal and head.startswith("COMMIT"))
    return not wal and getattr(fn, "__name__", "") == "commit"


def _inline_connector(url: str) -> Callable[[], Awaitable[aiosqlite.Connection]]:
    """The ``async_creator`` for a SQLite URL: the arguments SQLAlchemy's own dialect would give sqlite3
    (a ``file:`` URI, ``check_same_thread=False``), a 30 s busy timeout, an :class:`_InlineConnection`."""
    args, options = SQLiteDialect_aiosqlite().create_connect_args(make_url(url))
    (database,) = args
    # Opened on aiosqlite's thread, used from the loop's too (never at once): ``:memory:`` URLs included.
    kwargs: dict[str, Any] = {"timeout": 30, **options, "check_same_thread": False}

    async def connect() -> aiosqlite.Connection:
        connection = _InlineConnection(lambda: sqlite3.connect(database, **kwargs), iter_chunk_size=64)
        connection._thread.daemon = True  # as SQLAlchemy does for aiosqlite's own connect
        return await connection

    return connect


def _tune_sqlite(engine: AsyncEngine) -> None:
    """WAL, foreign keys, a busy timeout, and BEGIN IMMEDIATE for every transaction.

    Immediate transactions take the write lock up front, so two writers queue on the busy
    timeout instead of one failing with "database is locked" when it upgrades its lock.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy's "begin" event issue BEGIN
        try:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            mode = cur.fetchone()
            if mode is not None and str(mode[0]).lower() == "wal" and isinstance(
                    getattr(dbapi_conn, "driver_connection", None), _InlineConnection):
                cur.execute("PRAGMA wal_autocheckpoint=0")  # Database checkpoints, off the loop's thread
                dbapi_conn.driver_connection.wal = True
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()
        except Exception:  # the file cannot be opened (an outage): SQLAlchemy drops the connection unclosed
            dbapi_conn.close()
            raise

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


# Set while an update's handlers run (and inherited by the tasks they start): which statements an update
# cost, apart from the outbox worker's and the jobs' background work.
IN_UPDATE: ContextVar[bool] = ContextVar("khabar_sql_in_update", default=False)


@dataclass(slots=True)
class SqlTally:
    """Statements (``reads``: those beginning SELECT or WITH) and transactions begun."""

    statements: int = 0
    reads: int = 0
    transactions: int = 0


@dataclass(slots=True)
class SqlCounts:
    """What this process has run on the database, split by scope: inside an update's handling (``update``)
    or elsewhere (``background``: outbox worker, jobs, startup). The BEGIN Khabar issues itself on SQLite
    counts as a transaction, not a statement. Read by /metrics and the pipeline bench."""

    update: SqlTally = field(default_factory=SqlTally)
    background: SqlTally = field(default_factory=SqlTally)

    def attach(self, engine: AsyncEngine) -> None:
        """Count on ``engine`` from now on."""

        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def _on_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            head = statement.lstrip()[:6].upper()
            if head == "BEGIN ":
                return
            tally = self.update if IN_UPDATE.get() else self.background
            tally.statements += 1
            if head == "SELECT" or head.startswith("WITH"):
                tally.reads += 1

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(_conn: Any) -> None:
            (self.update if IN_UPDATE.get() else self.background).transactions += 1


class DatabaseUnavailable(Exception):
    """The database named by the URL cannot be opened; the message says where and why."""


def _check_sqlite_path(url: str) -> None:
    """Refuse a SQLite file whose folder is missing or read-only before a connection is tried (a failed
    aiosqlite connect leaves its thread reporting to a closed event loop)."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DatabaseUnavailable(f"the folder {folder} of the SQLite database {path} does not exist")
    if not path.exists() and not os.access(folder, os.W_OK):
        raise DatabaseUnavailable(f"the SQLite database {path} cannot be created: {folder} is not writable")


def make_engine(url: str, pool: PoolOptions | None = None, *, echo: bool = False) -> AsyncEngine:
    """Create the async engine for ``url`` with the right settings for its backend."""
    pool = pool or PoolOptions()
    if is_sqlite(url):
        _check_sqlite_path(url)
        engine = create_async_engine(url, echo=echo, async_creator=_inline_connector(url))
        _tune_sqlite(engine)
        return engine
    return create_async_engine(
        url,
        echo=echo,
        pool_size=pool.size,
        max_overflow=pool.max_overflow,
        pool_timeout=pool.timeout,
        pool_pre_ping=True,
    )


class Database:
    """The engine plus one session factory; services open one session per unit of work."""

    def __init__(self, url: str, pool: PoolOptions | None = None) -> None:
        self.url = url
        self.engine = make_engine(url, pool)
        self.counts = SqlCounts()
        self.counts.attach(self.engine)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time and every transaction is BEGIN IMMEDIATE: queue them here
        # (FIFO, no thread parked in SQLite's sleeping busy handler); other processes still wait on
        # busy_timeout. A task already inside a transaction is not queued behind itself.
        self._serial: asyncio.Lock | None = asyncio.Lock() if is_sqlite(url) else None
        self._holder: asyncio.Task[object] | None = None
        # Once ``patient`` (the app is running), a transaction that cannot start because the database is
        # out of reach or locked waits for it to answer again instead of failing (storage/availability.py).
        self.availability = Availability(self._probe)
        self.patient = False
        self._commits = 0
        self._checkpoint: asyncio.Task[None] | None = None
        self._closing = False

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self, *, patient: bool | None = None) -> AsyncIterator[AsyncSession]:
        """One session in one transaction: commit on success, roll back on error.

        ``patient`` (default: the database's own setting) waits while the database does not answer.
        """
        wait = self.patient if patient is None else patient
        serial = self._serial
        if serial is None or (self._holder is not None and self._holder is asyncio.current_task()):
            async with self._begun(wait) as session:
                yield session
            return
        async with serial:
            self._holder = asyncio.current_task()
            try:
                async with self._begun(wait) as session:
                    yield session
            finally:
                self._holder = None

    @asynccontextmanager
    async def _begun(self, wait: bool) -> AsyncIterator[AsyncSession]:
        if not wait:
            async with self.sessions() as session, session.begin():
                yield session
            self._committed()
            return
        while True:
            await self.availability.wait_up()
            session = self.sessions()
            try:
                await session.connection()  # connects and begins (SQLite: takes the write lock)
            except Exception as exc:
                await session.close()
                if not unavailable(exc):
                    raise
                self.availability.report(exc)
                continue
            break
        async with session:
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise
            await session.commit()
        self._committed()

    def _committed(self) -> None:
        """Count a commit; on SQLite, every ``CHECKPOINT_EVERY`` start a WAL checkpoint in the background
        (the connections' own automatic one is off: it would run inside a COMMIT, on the loop's thread)."""
        if self._serial is None:
            return
        self._commits += 1
        if self._commits >= CHECKPOINT_EVERY and self._checkpoint is None and not self._closing:
            self._commits = 0
            task = asyncio.get_running_loop().create_task(self.checkpoint(), name="khabar-wal-checkpoint")
            self._checkpoint = task
            # cleared when the task ends, however (a task cancelled before it ran must not stop checkpoints)
            task.add_done_callback(lambda done: setattr(self, "_checkpoint", None) if self._checkpoint is done else None)

    async def checkpoint(self) -> None:
        """Write the SQLite WAL back into the database file, on aiosqlite's thread. It holds this process's
        transaction queue meanwhile, as SQLite's automatic checkpoint holds the COMMIT that runs it: a WAL
        written back whole is started over by the next writer, one still being appended to only grows.
        PASSIVE: it never waits for another process's reader (a backup); what that reader still needs
        is written next time. Never raises: a failure is logged and the next checkpoint tries again."""
        if self._serial is None:
            return  # PostgreSQL
        try:
            async with self._serial, self.engine.connect() as conn:
                driver = (await conn.get_raw_connection()).driver_connection
                if isinstance(driver, _InlineConnection) and driver.wal:
                    cursor = await driver.execute("PRAGMA wal_checkpoint(PASSIVE)")  # a PRAGMA: on the thread
                    await cursor.close()
        except Exception as exc:
            log.warning("SQLite WAL checkpoint failed (tried again later): %s", exc)

    async def _probe(self) -> None:
        """Open and roll back one transaction (the outage watcher's question: do you answer?)."""
        async with self.sessions() as session:
            await session.connection()
            await session.rollback()

    async def close(self) -> None:
        """Release every pooled connection (on SQLite the last one to close checkpoints the WAL)."""
        self._closing = True  # no new checkpoint on an engine being disposed
        if self._checkpoint is not None:
            await asyncio.wait({self._checkpoint})  # finished or cancelled: either way the rest is released
        await self.availability.close()
        await self.engine.dispose()
