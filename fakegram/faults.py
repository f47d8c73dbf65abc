"""Scripted and random faults: errors, slow answers, timeouts and dropped connections."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

KINDS = ("429", "400", "403", "500", "502", "gateway", "slow", "timeout", "drop", "lost")
DEFAULT_DESCRIPTIONS = {
    "400": "Bad Request: fakegram scripted fault",
    "403": "Forbidden: bot was blocked by the user",
    "500": "Internal Server Error",
    "502": "Bad Gateway",
}

Predicate = Callable[[dict[str, Any]], bool]


@dataclass
class Fault:
    """One scripted fault. ``method`` is case-insensitive, ``"*"`` matches every method."""

    method: str
    kind: str
    times: int | None = 1  # None: forever
    when: Predicate | None = None
    retry_after: int = 1
    description: str | None = None
    delay: float = 0.0  # "slow": seconds before answering normally; "timeout": seconds before closing
    hits: int = 0

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method != "*" and self.method.lower() != method.lower():
            return False
        return self.when is None or bool(self.when(params))

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times


class Faults:
    """``fake.faults``: script faults per method, or switch on seeded random chaos."""

    def __init__(self) -> None:
        self.rules: list[Fault] = []
        self.injected: list[tuple[str, str]] = []  # (method, kind) of every fault given
        self._chaos_p = 0.0
        self._chaos_kinds: tuple[str, ...] = ()
        self._chaos_exclude: frozenset[str] = frozenset()
        self._chaos_timeout = 3600.0
        self._rng = random.Random(0)

    def add(self, method: str, kind: str = "429", *, times: int | None = 1, when: Predicate | None = None,
            retry_after: int = 1, description: str | None = None, delay: float | None = None) -> Fault:
        """Script a fault for ``method``.

        kinds: ``"429"`` (with retry_after), ``"400"``/``"403"`` (with description), ``"500"``/``"502"``,
        ``"gateway"`` (a proxy's own HTML error page with status 502, as nginx answers when the Bot API is away),
        ``"slow"`` (answer normally after ``delay`` s), ``"timeout"`` (hold the request ``delay`` s, default
        3600, then drop it), ``"drop"`` (close the connection without an answer), ``"lost"`` (perform the
        method, then close the connection without answering: the caller cannot tell it happened).
        """
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {KINDS}")
        if delay is None:
            delay = 3600.0 if kind == "timeout" else 1.0 if kind == "slow" else 0.0
        fault = Fault(method, kind, times, when, retry_after, description, delay)
        self.rules.append(fault)
        return fault

    def chaos(self, p: float, *, seed: int = 0, kinds: tuple[str, ...] = ("429", "500", "drop"),
              exclude: tuple[str, ...] = ("getUpdates",), timeout_delay: float = 3600.0) -> None:
        """Fail each request (other than ``exclude``) with probability ``p``, kind picked at random.

        A chaos ``"timeout"`` holds the request ``timeout_delay`` seconds before dropping it.
        """
        for kind in kinds:
            if kind not in KINDS:
                raise ValueError(f"unknown fault kind {kind!r}; expected one of {KINDS}")
        self._chaos_p = p
        self._chaos_timeout = timeout_delay
        self._chaos_kinds = kinds
        self._chaos_exclude = frozenset(m.lower() for m in exclude)
        self._rng = random.Random(seed)

    def clear(self) -> None:
        self.rules.clear()
        self._chaos_p = 0.0

    def pick(self, method: str, params: dict[str, Any]) -> Fault | None:
        for fault in self.rules:
            if fault.matches(method, params):
                fault.hits += 1
                self.injected.append((method, fault.kind))
                return fault
        if self._chaos_p and method.lower() not in self._chaos_exclude and self._rng.random() < self._chaos_p:
            kind = self._rng.choice(self._chaos_kinds)
            self.injected.append((method, kind))
            return Fault(method, kind, delay=self._chaos_timeout if kind == "timeout" else 1.0 if kind == "slow" else 0.0)
        return None
