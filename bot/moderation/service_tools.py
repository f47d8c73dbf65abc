"""Moderators' commands (/stats, /ban, /unban, /trust) and readers' /notify."""

from __future__ import annotations

import html
from datetime import timedelta

from bot.deps import Deps
from bot.intake import slowmode
from bot.jalali import fa_digits, format_date
from bot.moderation import notices, service_close, service_penalties, service_reports, service_words, stats
from bot.moderation.loading import moderator_name
from bot.moderation.reasons import ban_until, is_permanent
from bot.moderation.service_decide import Moderator, ban_user_in
from bot.texts import moderation as t
from storage.models import User
from storage.repos import moderation as repo
from storage.repos import users


async def stats_text(deps: Deps) -> str:
    """Today's and the week's figures, rendered."""
    now = deps.clock()
    _, (week_start, _) = stats.periods(now, deps.settings.tz)
    async with deps.db.transaction() as session:
        found = await repo.comments_touching(session, week_start - timedelta(days=1))
        rows = [
            stats.StatRow(
                created_at=c.created_at,
                entered_at=c.submitted_at or c.created_at,
                status=c.status,
                reason=c.reason,
                decided_at=c.decided_at,
                moderator_id=c.moderator_id,
                via="web" if c.source == "web" else "telegram",
            )
            for c in found
        ]
        mods = await repo.users(session, {r.moderator_id for r in rows if r.moderator_id})
        tools_line = await service_close.stats_line(session, week_start)
        reports_line = await service_reports.stats_line(session, week_start)
        words_line = await service_words.stats_line(session, week_start)
        slowed_line = await slowmode.stats_line(session, deps, week_start)
        penalty_line = await service_penalties.stats_line(session, deps, week_start)
    names = {mod_id: html.escape(moderator_name(user, mod_id)) for mod_id, user in mods.items()}
    extra = "\n".join(line for line in (tools_line, reports_line, words_line, slowed_line, penalty_line) if line)
    return f"{stats.render(rows, now, deps.settings.tz, names)}\n\n{extra}"


def _name(user: User) -> str:
    return html.escape(user.display_name or str(user.id))


async def ban_user(deps: Deps, mod: Moderator, user_id: int, days: int | None) -> str:
    """/ban: ban a user (permanently without days) and reject their pending comments."""
    now = deps.clock()
    until = ban_until(now, days)
    async with deps.db.transaction() as session:
        user = await session.get(User, user_id)
        if user is None:
            return t.USER_UNKNOWN.format(user_id=user_id)
        await users.upsert(session, mod.user_id, display_name=mod.name, username=mod.username, now=now)
        label = "دائم" if days is None else f"{fa_digits(days)} روز"
        rejected = await ban_user_in(
            session, deps, user_id, until, mod, now, details={"ban": True, "days": days, "duration_label": label, "command": True}
        )
        name = _name(user)
    deps.outbox.wake()
    when = t.BAN_FOREVER if is_permanent(until) else t.BAN_UNTIL.format(date=format_date(until, deps.settings.tz))
    return t.BANNED_DONE.format(user_id=user_id, name=name, until=when, rejected=fa_digits(rejected))


async def _change_user(
    deps: Deps, mod: Moderator, user_id: int, action: str, changes: dict[str, object], done: str
) -> str:
    """Apply ``changes`` to a known user, with an audit row; the Persian answer for the moderator."""
    now = deps.clock()
    async with deps.db.transaction() as session:
        user = await session.get(User, user_id)
        if user is None:
            return t.USER_UNKNOWN.format(user_id=user_id)
        await users.upsert(session, mod.user_id, display_name=mod.name, username=mod.username, now=now)
        if action == "unban":
            await service_penalties.forgive_in(session, user, mod, now)  # a penalty's ban: no step of the ladder
        for column, value in changes.items():
            setattr(user, column, value)
        await repo.add_action(session, target_user_id=user_id, moderator_id=mod.user_id, action=action, created_at=now)
        if action == "unban":
            await notices.sync_ban(session, user_id, now)  # told that they may write again
        answer = done.format(user_id=user_id, name=_name(user))
    deps.outbox.wake()
    return answer


async def unban_user(deps: Deps, mod: Moderator, user_id: int) -> str:
    """/unban: lift a ban (the user is told, if they were told of it)."""
    changes: dict[str, object] = {"banned_until": None, "ban_notified": False}
    return await _change_user(deps, mod, user_id, "unban", changes, t.UNBANNED_DONE)


async def trust_user(deps: Deps, mod: Moderator, user_id: int) -> str:
    """/trust: the user's comments are published without waiting (each leaves a card with undo)."""
    return await _change_user(deps, mod, user_id, "trust", {"trusted": True}, t.TRUSTED_DONE)


async def untrust_user(deps: Deps, mod: Moderator, user_id: int) -> str:
    """/untrust: the user's comments wait for a moderator again."""
    return await _change_user(deps, mod, user_id, "untrust", {"trusted": False}, t.UNTRUSTED_DONE)


async def toggle_notify(deps: Deps, user_id: int, display_name: str, username: str | None) -> str:
    """/notify: switch reply notifications on or off for this reader."""
    now = deps.clock()
    async with deps.db.transaction() as session:
        user = await users.upsert(session, user_id, display_name=display_name, username=username, now=now, started_bot=True)
        user.notify_replies = not user.notify_replies
        return t.NOTIFY_ON if user.notify_replies else t.NOTIFY_OFF
