"""Shared bench plumbing: a fake Telegram with an indexed call log, and Khabar / echo bots as real processes.

Everything listens on and talks to 127.0.0.1 only. Used by bench/pipeline.py and bench/flood.py.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fakegram.control import FakeTelegram  # noqa: E402
from fakegram.server import CallRecord  # noqa: E402

Predicate = Callable[[CallRecord], bool]

ARTICLE = {
    "kicker": "گزارش میدانی",
    "title": "ترافیک سنگین در میدان آزادی تهران",
    "lead": "ترافیک میدان آزادی تهران امروز صبح سنگین بود و رانندگان از کندی تکمیل خط مترو گله داشتند.",
}


class BenchFake(FakeTelegram):
    """FakeTelegram whose call log is indexed by chat, so thousands of readers can wait for replies cheaply."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._waiters: dict[str, list[tuple[str, Predicate, asyncio.Future[CallRecord]]]] = defaultdict(list)
        self.listeners: list[Callable[[CallRecord], None]] = []

    def record_call(self, record: CallRecord) -> None:
        """Keep the log (as the fake does) and resolve the waiters of the call's chat."""
        super().record_call(record)
        for listener in self.listeners:
            listener(record)
        chat = str(record.params.get("chat_id", ""))
        waiting = self._waiters.get(chat)
        if not waiting or not record.ok:
            return
        method = record.method.lower()
        for item in list(waiting):
            name, predicate, future = item
            if future.done():
                waiting.remove(item)
            elif name == method and predicate(record):
                future.set_result(record)
                waiting.remove(item)
                break

    def expect(self, chat_id: int, method: str, predicate: Predicate | None = None) -> asyncio.Future[CallRecord]:
        """A future for the next successful ``method`` call to ``chat_id`` matching ``predicate`` (register first)."""
        future: asyncio.Future[CallRecord] = asyncio.get_running_loop().create_future()
        self._waiters[str(chat_id)].append((method.lower(), predicate or (lambda _r: True), future))
        return future


def pct(values: Sequence[float], q: float) -> float:
    """The q-th percentile (nearest rank) of ``values``; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def latency_line(label: str, seconds: Sequence[float]) -> str:
    """``label  p50 / p95 / p99 / max (n)`` in milliseconds."""
    if not seconds:
        return f"{label:<44} n/a"
    ms = [s * 1000 for s in seconds]
    return (f"{label:<44} p50 {pct(ms, 50):7.1f}  p95 {pct(ms, 95):7.1f}  p99 {pct(ms, 99):7.1f}  "
            f"max {max(ms):7.1f} ms  (n={len(ms)}, mean {statistics.fmean(ms):.1f})")


def khabar_env(fake: FakeTelegram, db_url: str, **settings: str) -> dict[str, str]:
    """The environment of a Khabar process pointed at the fake (no other KHABAR_* leaks in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    env.update({
        "KHABAR_BOT_TOKEN": fake.token,
        "KHABAR_BOT_API_URL": fake.base_url,
        "KHABAR_DATABASE_URL": db_url,
        "KHABAR_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    })
    env.update({"KHABAR_" + k.upper(): v for k, v in settings.items()})
    return env


async def khabar_cli(env: dict[str, str], tmp: Path, *args: str, stdin: bytes | None = None) -> str:
    """Run ``python -m bot.cli ARGS`` to completion (raises on a non-zero exit); its stdout."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "--env-file", os.devnull, *args,
        cwd=ROOT, env=env, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(stdin), timeout=120)
    if proc.returncode != 0:
        raise RuntimeError(f"khabar {' '.join(args)} exited {proc.returncode}: {err.decode()[-2000:]}")
    return out.decode()


async def post_article(env: dict[str, str], tmp: Path, article: dict[str, str] | None = None, name: str = "a") -> None:
    """Store an article with ``khabar post FILE --yes`` (the running bot sends it)."""
    path = tmp / f"article-{name}.json"
    path.write_text(json.dumps(article or ARTICLE, ensure_ascii=False), encoding="utf-8")
    await khabar_cli(env, tmp, "post", str(path), "--yes")


@dataclass
class Proc:
    """A bot running as a separate process, watched with psutil (CPU seconds, RSS peak)."""

    name: str
    process: asyncio.subprocess.Process
    log_path: Path
    ps: psutil.Process = field(init=False)
    rss_peak: int = 0
    _sampler: asyncio.Task[None] | None = None

    def __post_init__(self) -> None:
        self.ps = psutil.Process(self.process.pid)
        self._sampler = asyncio.get_running_loop().create_task(self._sample())

    async def _sample(self) -> None:
        while True:
            try:
                self.rss_peak = max(self.rss_peak, self.ps.memory_info().rss)
            except psutil.Error:
                return
            await asyncio.sleep(0.05)

    def cpu(self) -> float:
        """User + system CPU seconds so far."""
        times = self.ps.cpu_times()
        return float(times.user + times.system)

    def rss(self) -> int:
        return int(self.ps.memory_info().rss)

    def high_water(self) -> int:
        """Peak RSS: the kernel's VmHWM where available, else the sampled peak."""
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return max(self.rss_peak, int(line.split()[1]) * 1024)
        except OSError:
            pass
        return self.rss_peak

    async def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM, wait; SIGKILL if it does not stop in ``timeout`` seconds. The exit code."""
        if self._sampler is not None:
            self._sampler.cancel()
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), timeout)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        return int(self.process.returncode or 0)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


async def spawn(name: str, args: Sequence[str], env: dict[str, str], tmp: Path) -> Proc:
    """Start ``python ARGS`` in the repository with output to ``tmp/<name>.log``."""
    log_path = tmp / f"{name}.log"
    log = log_path.open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable, *args, cwd=ROOT, env=env, stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log
    )
    log.close()
    return Proc(name, process, log_path)


async def spawn_khabar(env: dict[str, str], tmp: Path, name: str = "khabar") -> Proc:
    """``python -m bot.cli run`` (long polling) as its own process."""
    return await spawn(name, ["-m", "bot.cli", "--env-file", os.devnull, "run"], env, tmp)


async def quiet(fake: FakeTelegram, seconds: float = 1.0, limit: float = 120.0,
                ignore: Sequence[str] = ("getupdates",)) -> None:
    """Wait until no API call (other than ``ignore``) has arrived for ``seconds`` (at most ``limit``)."""
    deadline = time.monotonic() + limit
    seen = len(fake.calls)
    last = time.monotonic()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        fresh = [c for c in fake.calls[seen:] if c.method.lower() not in ignore]
        seen = len(fake.calls)
        if fresh:
            last = time.monotonic()
        elif time.monotonic() - last >= seconds:
            return
