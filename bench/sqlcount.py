"""What one reader's steps cost in SQL, read from a running Khabar's /metrics (bench/pipeline.py).

Khabar counts every statement and transaction (storage/db.py ``SqlCounts``) in two scopes: ``update``
(while an update's handlers run, and the tasks they start) and ``background`` (the outbox worker, jobs).
The update scope is exact; the background scope also holds the idle jobs' polling, so its per-step figure
subtracts the idle rate measured just before.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp
from prometheus_client.parser import text_string_to_metric_families


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Sample:
    at: float
    upd_statements: float = 0.0
    upd_reads: float = 0.0
    upd_transactions: float = 0.0
    bg_statements: float = 0.0
    bg_transactions: float = 0.0
    updates: float = 0.0

    def __sub__(self, other: Sample) -> Sample:
        return Sample(self.at - other.at, *(getattr(self, f) - getattr(other, f) for f in _FIELDS))


_FIELDS = ("upd_statements", "upd_reads", "upd_transactions", "bg_statements", "bg_transactions", "updates")


async def scrape(port: int) -> Sample:
    """One /metrics read (it costs Khabar two background statements of its own; see ``Idle``)."""
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/metrics") as resp:
        text = await resp.text()
    got: dict[str, float] = dict.fromkeys(_FIELDS, 0.0)
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            scope = s.labels.get("scope")
            if s.name == "khabar_sql_statements_total":
                key = "upd" if scope == "update" else "bg"
                got[f"{key}_statements"] += s.value
                if key == "upd" and s.labels.get("kind") == "read":
                    got["upd_reads"] += s.value
            elif s.name == "khabar_sql_transactions_total":
                got["upd_transactions" if scope == "update" else "bg_transactions"] += s.value
            elif s.name == "khabar_updates_total":
                got["updates"] += s.value
    return Sample(time.monotonic(), **got)


@dataclass
class Idle:
    """Background statements, transactions and bot CPU seconds per second with nothing happening (scrapes
    included)."""

    statements: float = 0.0
    transactions: float = 0.0
    cpu: float = 0.0

    @classmethod
    async def measure(cls, port: int, cpu: Callable[[], float], seconds: float = 6.0) -> Idle:
        a, c = await scrape(port), cpu()
        await asyncio.sleep(seconds)
        d, c = await scrape(port) - a, cpu() - c
        return cls(d.bg_statements / d.at, d.bg_transactions / d.at, c / d.at)


@dataclass
class Step:
    """The summed cost of one step over every reader that took it."""

    label: str
    n: int = 0
    updates: float = 0.0
    statements: float = 0.0
    reads: float = 0.0
    transactions: float = 0.0
    bg_statements: float = 0.0
    bg_transactions: float = 0.0
    cpu: float = 0.0

    def add(self, d: Sample, idle: Idle, cpu: float) -> None:
        self.n += 1
        self.cpu += max(0.0, cpu - idle.cpu * d.at)
        self.updates += d.updates
        self.statements += d.upd_statements
        self.reads += d.upd_reads
        self.transactions += d.upd_transactions
        self.bg_statements += max(0.0, d.bg_statements - idle.statements * d.at)
        self.bg_transactions += max(0.0, d.bg_transactions - idle.transactions * d.at)

    def line(self) -> str:
        n = max(self.n, 1)
        return (f"  {self.label:<34} updates {self.updates / n:4.1f} | in the update: {self.statements / n:5.1f} "
                f"statements ({self.reads / n:4.1f} reads) in {self.transactions / n:4.1f} transactions | "
                f"after it (outbox, hooks): ~{self.bg_statements / n:5.1f} statements in "
                f"~{self.bg_transactions / n:4.1f} transactions | bot CPU ~{self.cpu / n * 1000:5.1f} ms")


async def measured(port: int, cpu: Callable[[], float], idle: Idle, step: Step,
                   action: Callable[[], Awaitable[object]], settle: Callable[[], Awaitable[None]]) -> None:
    """Run ``action``, wait for ``settle`` (everything it caused is done), add the difference to ``step``."""
    before, c = await scrape(port), cpu()
    await action()
    await settle()
    step.add(await scrape(port) - before, idle, cpu() - c)


def total_line(steps: list[Step]) -> str:
    n = max(min(s.n for s in steps), 1)
    st = sum(s.statements + s.bg_statements for s in steps) / n
    tx = sum(s.transactions + s.bg_transactions for s in steps) / n
    up = sum(s.statements for s in steps) / n
    ut = sum(s.transactions for s in steps) / n
    ms = sum(s.cpu for s in steps) / n * 1000
    return (f"  {'one submission, all steps':<34} {up:5.1f} statements in {ut:4.1f} transactions in its updates; "
            f"~{st:5.1f} statements in ~{tx:4.1f} transactions with the background work; bot CPU ~{ms:.1f} ms")
