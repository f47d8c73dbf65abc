"""/stats: figures for today and the last 7 days in the newsroom's time zone (pure)."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.jalali import fa_digits, format_date
from bot.moderation.reasons import reason_label
from bot.texts import moderation as t

NOT_RECEIVED = frozenset({"awaiting_captcha", "expired"})


@dataclass(frozen=True, slots=True)
class StatRow:
    """One comment as /stats sees it."""

    created_at: datetime
    entered_at: datetime  # when it entered the queue (captcha solved), else created_at
    status: str
    reason: str | None = None
    decided_at: datetime | None = None
    moderator_id: int | None = None


@dataclass
class PeriodStats:
    """The figures of one period."""

    start: datetime
    end: datetime
    received: int = 0
    auto_rejected: Counter[str] = field(default_factory=Counter)
    approved: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    median_seconds: float | None = None
    per_moderator: dict[int, Counter[str]] = field(default_factory=dict)


def periods(now: datetime, tz: ZoneInfo) -> tuple[tuple[datetime, datetime], tuple[datetime, datetime]]:
    """(today, last 7 days including today) as UTC-aware [start, end) ranges, days cut in ``tz``."""
    local = now.astimezone(tz)
    midnight = datetime.combine(local.date(), time(0), tzinfo=tz)
    return (midnight, now), (midnight - timedelta(days=6), now)


def compute(rows: Iterable[StatRow], start: datetime, end: datetime) -> PeriodStats:
    """The figures of [start, end) from the rows touching it."""
    out = PeriodStats(start, end)
    waits: list[float] = []
    for row in rows:
        if start <= row.created_at < end:
            if row.status not in NOT_RECEIVED:
                out.received += 1
            if row.status == "auto_rejected":
                out.auto_rejected[row.reason or "other"] += 1
        if row.decided_at is None or not start <= row.decided_at < end:
            continue
        if row.status == "approved":
            out.approved += 1
        elif row.status == "rejected":
            out.rejected[row.reason or "other"] += 1
        else:
            continue
        if row.moderator_id:  # 0 = automatic
            waits.append((row.decided_at - row.entered_at).total_seconds())
            per = out.per_moderator.setdefault(row.moderator_id, Counter())
            per[row.status] += 1
    out.median_seconds = statistics.median(waits) if waits else None
    return out


def format_duration(seconds: float) -> str:
    """«۳ دقیقه», «۱ ساعت و ۵ دقیقه», «۴۰ ثانیه» with Persian digits."""
    total = round(seconds)
    if total < 60:
        return t.DURATION_SECONDS.format(s=fa_digits(max(total, 0)))
    minutes = total // 60
    if minutes < 60:
        return t.DURATION_MINUTES.format(m=fa_digits(minutes))
    return t.DURATION_HOURS.format(h=fa_digits(minutes // 60), m=fa_digits(minutes % 60))


def render_period(title: str, stats: PeriodStats, tz: ZoneInfo, names: Mapping[int, str]) -> str:
    """One period's block of the /stats answer."""
    start, end = format_date(stats.start, tz), format_date(stats.end, tz)
    period = t.STATS_DAY.format(title=title, date=start) if start == end else t.STATS_PERIOD.format(
        title=title, start=start, end=end)
    lines = [
        period,
        t.STATS_RECEIVED.format(n=fa_digits(stats.received)),
        t.STATS_AUTO_REJECTED.format(n=fa_digits(sum(stats.auto_rejected.values()))),
    ]
    lines += [t.STATS_BY_REASON.format(label=reason_label(c), n=fa_digits(n)) for c, n in stats.auto_rejected.most_common()]
    lines.append(t.STATS_APPROVED.format(n=fa_digits(stats.approved)))
    lines.append(t.STATS_REJECTED.format(n=fa_digits(sum(stats.rejected.values()))))
    lines += [t.STATS_BY_REASON.format(label=reason_label(c), n=fa_digits(n)) for c, n in stats.rejected.most_common()]
    if stats.median_seconds is None:
        lines.append(t.STATS_MEDIAN_NONE)
    else:
        lines.append(t.STATS_MEDIAN.format(value=format_duration(stats.median_seconds)))
    if stats.per_moderator:
        lines.append(t.STATS_MODERATORS)
        for mod_id, counts in sorted(stats.per_moderator.items(), key=lambda kv: -sum(kv[1].values())):
            lines.append(
                t.STATS_MODERATOR.format(
                    name=names.get(mod_id, str(mod_id)),
                    approved=fa_digits(counts["approved"]),
                    rejected=fa_digits(counts["rejected"]),
                )
            )
    return "\n".join(lines)


def render(rows: list[StatRow], now: datetime, tz: ZoneInfo, names: Mapping[int, str]) -> str:
    """The whole /stats answer: today, then the last 7 days."""
    (t0, t1), (w0, w1) = periods(now, tz)
    today = render_period(t.STATS_TODAY, compute(rows, t0, t1), tz, names)
    week = render_period(t.STATS_WEEK, compute(rows, w0, w1), tz, names)
    return f"{t.STATS_TITLE}\n\n{today}\n\n{week}"
