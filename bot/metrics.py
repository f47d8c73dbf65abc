"""Prometheus metrics: one registry per Application, counted in process or read from the database at scrape time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

from bot.states import CommentStatus
from storage.db import IN_UPDATE, SqlCounts
from storage.repos.monitoring import Backlog

# Seconds from entering the queue to a decision: moderators answer in minutes to hours.
DECISION_BUCKETS = (30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 43200, 86400)
PRIVATE, CHANNEL, DISCUSSION, MODERATORS, OPS, OTHER = (
    "private", "channel", "discussion", "moderators", "ops", "other")
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    """Every series Khabar exports, registered in its own registry (tests build many Applications)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.updates = Counter("khabar_updates", "Telegram updates handled, by kind.", ["kind"], registry=r)
        self.verdicts = Counter("khabar_check_verdicts", "The checks' verdicts on comments.", ["verdict"], registry=r)
        self.reasons = Counter("khabar_check_reasons", "Reasons the checks gave, by code.", ["reason"], registry=r)
        self.sends = Counter("khabar_telegram_sends", "Bot API calls into a chat that Telegram accepted.",
                             ["chat_kind", "method"], registry=r)
        self.flood = Counter("khabar_telegram_429", "429 Too Many Requests answers (retried or not), by chat kind.",
                             ["chat_kind"], registry=r)
        self.decision_seconds = Histogram(
            "khabar_decision_seconds", "Seconds from a comment entering the queue to its decision.",
            ["decision", "by"], buckets=DECISION_BUCKETS, registry=r)
        self.comments = Gauge("khabar_comments", "Comments in the database, by status.", ["status"], registry=r)
        self.outbox_backlog = Gauge("khabar_outbox_backlog", "Outbox rows not yet sent, by status.", ["status"],
                                    registry=r)
        self.outbox_oldest = Gauge("khabar_outbox_oldest_age_seconds",
                                   "Age of the oldest outbox row not yet sent (0: none).", registry=r)
        self.updates_live = Gauge("khabar_updates_live", "1 while polling or the webhook receives updates.",
                                  registry=r)
        self.database_up = Gauge("khabar_database_up", "1 when the database answered the last check.", registry=r)
        self.ops_alerts = Counter("khabar_ops_alerts", "Error reports for the operators' chat, by outcome.",
                                  ["outcome"], registry=r)
        self._chat_kinds: dict[int, str] = {}

    def know_chats(self, kinds: Mapping[int | None, str]) -> None:
        """Name the configured chats (channel, discussion, moderators, ops) for the chat_kind label."""
        self._chat_kinds = {chat: kind for chat, kind in kinds.items() if chat is not None}

    def chat_kind(self, chat_id: object) -> str:
        """private, channel, discussion, moderators, ops or other (an @username or an unknown group)."""
        try:
            ident = int(str(chat_id))
        except ValueError:
            return OTHER
        return self._chat_kinds.get(ident, PRIVATE if ident > 0 else OTHER)

    def sent(self, method: str, chat_id: object) -> None:
        """A Bot API call into a chat succeeded."""
        self.sends.labels(self.chat_kind(chat_id), method).inc()

    def rate_limited(self, chat_id: object) -> None:
        """Telegram answered 429 for a call into this chat (None: a call without a chat)."""
        self.flood.labels(OTHER if chat_id is None else self.chat_kind(chat_id)).inc()

    def count_verdict(self, decision: str, reasons: Iterable[str]) -> None:
        """One comment checked."""
        self.verdicts.labels(decision).inc()
        for code in reasons:
            self.reasons.labels(code).inc()

    def decided(self, decision: str, submitted_at: datetime | None, decided_at: datetime, *, auto: bool) -> None:
        """A pending comment was approved or rejected (by a moderator or automatically)."""
        if submitted_at is not None:
            seconds = max(0.0, (decided_at - submitted_at).total_seconds())
            self.decision_seconds.labels(decision, "auto" if auto else "moderator").observe(seconds)

    def read_database(self, comments: Mapping[str, int], backlog: Backlog, now: datetime) -> None:
        """Set the scrape-time gauges from the database's answers."""
        for status in {*CommentStatus, *comments}:  # a status nobody is in any more reads 0, not its last count
            self.comments.labels(str(status)).set(comments.get(status, 0))
        for status, count in backlog.by_status.items():
            self.outbox_backlog.labels(status).set(count)
        self.outbox_oldest.set(max(0.0, (now - backlog.oldest).total_seconds()) if backlog.oldest else 0.0)

    def update_began(self, kind: str) -> None:
        """An update arrived: count it, and count the SQL its handlers run as the ``update`` scope's."""
        self.updates.labels(kind).inc()
        IN_UPDATE.set(True)

    def watch_sql(self, counts: SqlCounts) -> None:
        """Export the database's statement and transaction counts (read at scrape time)."""
        self.registry.register(_SqlCollector(counts))

    def render(self) -> bytes:
        """The Prometheus text exposition of every series."""
        return generate_latest(self.registry)


class _SqlCollector(Collector):
    """khabar_sql_statements_total{kind, scope} and khabar_sql_transactions_total{scope}."""

    def __init__(self, counts: SqlCounts) -> None:
        self.counts = counts

    def collect(self) -> Iterator[CounterMetricFamily]:
        statements = CounterMetricFamily(
            "khabar_sql_statements", "SQL statements run, by kind (read, write) and scope (update: while handling "
            "an update; background: outbox, jobs).", labels=["kind", "scope"])
        transactions = CounterMetricFamily("khabar_sql_transactions", "Database transactions begun, by scope.",
                                           labels=["scope"])
        for scope, tally in (("update", self.counts.update), ("background", self.counts.background)):
            statements.add_metric(["read", scope], tally.reads)
            statements.add_metric(["write", scope], tally.statements - tally.reads)
            transactions.add_metric([scope], tally.transactions)
        yield statements
        yield transactions
