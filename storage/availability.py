"""Whether the database answers: which errors mean "it went away", and waiting until it is back.

One WARNING when the database stops answering, one INFO (with how long) when it answers again;
work that needs it waits meanwhile instead of failing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

log = logging.getLogger("khabar.database")

# SQLite's OperationalError also covers mistakes ("no such table"): only these mean "try again later".
_SQLITE_TRANSIENT = ("database is locked", "database table is locked", "unable to open database", "disk i/o error")
_ASYNCPG_TRANSIENT = ("CannotConnectNowError", "ConnectionDoesNotExistError", "ConnectionFailureError",
                      "AdminShutdownError", "CrashShutdownError", "TooManyConnectionsError",
                      "InterfaceError", "InternalClientError",
                      "ObjectNotInPrerequisiteStateError")  # the last: a database not accepting connections
PROBE_FIRST = 0.2  # seconds before the first probe of a database that stopped answering
PROBE_MAX = 5.0  # the longest pause between probes


def unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database is out of reach or locked (not that a statement is wrong)."""
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        if isinstance(exc, OperationalError):
            message = str(exc.orig).lower()
            return "sqlite" not in type(exc.orig).__module__ or any(m in message for m in _SQLITE_TRANSIENT)
        if isinstance(exc, InterfaceError):
            return True
        return exc.orig is not None and unavailable(exc.orig)
    if isinstance(exc, PoolTimeout):
        return True
    if isinstance(exc, OSError):  # refused, reset, timed out (TimeoutError is an OSError)
        return True
    if type(exc).__module__.startswith("asyncpg"):
        return any(cls.__name__ in _ASYNCPG_TRANSIENT for cls in type(exc).__mro__)
    # SQLAlchemy's asyncpg adapter wraps the driver's exception in its own class (the driver's is the cause).
    cause = exc.__cause__
    return cause is not None and cause is not exc and unavailable(cause)


def conflict(exc: BaseException) -> bool:
    """Whether ``exc`` is PostgreSQL giving up on one transaction (deadlock, serialization): run it again."""
    orig = getattr(exc, "orig", None)
    names = {cls.__name__ for cls in type(orig).__mro__} if orig is not None else set()
    code = getattr(orig, "sqlstate", None) or getattr(getattr(orig, "__cause__", None), "sqlstate", None)
    return isinstance(exc, DBAPIError) and (
        code in ("40P01", "40001") or "deadlock detected" in str(exc) or bool(names & {"DeadlockDetectedError",
                                                                                      "SerializationError"}))


class Availability:
    """The database's state as the app sees it; ``probe`` opens one transaction (raises if it cannot)."""

    def __init__(self, probe: Callable[[], Awaitable[None]]) -> None:
        self._probe = probe
        self._up = asyncio.Event()
        self._up.set()
        self._prober: asyncio.Task[None] | None = None
        self.down_since: float | None = None  # time.monotonic() of the first failure
        self.waiting = 0  # pieces of work waiting for the database now
        self.waited = 0  # ... during the current (or last) outage
        self.outages = 0
        self.back_at: float | None = None  # time.monotonic() when it answered again

    @property
    def down(self) -> bool:
        """Whether an outage is in progress."""
        return self.down_since is not None

    def report(self, exc: BaseException) -> None:
        """A call failed with ``exc`` (an :func:`unavailable` error): start an outage if none is running."""
        if self.down_since is not None:
            return
        self.down_since = time.monotonic()
        self.waited = 0
        self.outages += 1
        self._up.clear()
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200] if str(exc) else ""
        log.warning("the database stopped answering; work waits for it",
                    extra={"error": f"{type(exc).__name__}: {detail}"})
        self._prober = asyncio.get_running_loop().create_task(self._watch(), name="database-probe")

    async def wait_up(self) -> None:
        """Return once the database answers again (at once if it does); waiters resume in arrival order."""
        if self._up.is_set():
            return
        self.waiting += 1
        self.waited += 1
        try:
            await self._up.wait()
        finally:
            self.waiting -= 1

    async def _watch(self) -> None:
        pause = PROBE_FIRST
        while True:
            await asyncio.sleep(pause)
            try:
                await self._probe()
            except Exception as exc:
                if not unavailable(exc):
                    log.warning("database probe failed", extra={"error": type(exc).__name__})
                pause = min(pause * 2, PROBE_MAX)
                continue
            break
        since = self.down_since if self.down_since is not None else time.monotonic()
        log.info("the database answers again", extra={"down_s": round(time.monotonic() - since, 1),
                                                      "waited": self.waited})
        self.down_since = None
        self.back_at = time.monotonic()
        self._prober = None
        self._up.set()

    async def close(self) -> None:
        """Stop probing (shutdown)."""
        prober, self._prober = self._prober, None
        if prober is not None:
            prober.cancel()
            await asyncio.gather(prober, return_exceptions=True)


class QuietWhileDown(logging.Filter):
    """Drops the scheduler's "skipped: maximum number of running instances reached" lines while the
    database is away and for AFTERMATH seconds after (the backlog): a job waiting for it makes every
    later run of that job skip, each a WARNING."""

    AFTERMATH = 60.0

    LOGGER = "apscheduler.scheduler"

    def __init__(self, availability: Availability) -> None:
        super().__init__()
        self.availability = availability

    def filter(self, record: logging.LogRecord) -> bool:
        """Pass every record except a skipped run during an outage."""
        outage = self.availability
        recent = outage.down or (outage.back_at is not None and time.monotonic() - outage.back_at < self.AFTERMATH)
        return not (recent and "maximum number of running instances" in record.getMessage())

    def attach(self) -> None:
        """Start filtering."""
        logging.getLogger(self.LOGGER).addFilter(self)

    def detach(self) -> None:
        """Stop filtering."""
        logging.getLogger(self.LOGGER).removeFilter(self)
