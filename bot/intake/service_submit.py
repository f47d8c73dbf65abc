"""A comment arrives (private text or a discussion-group reply): gates, checks, stored, captcha."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.helpers import mention_html

from bot.checks.explain import explain
from bot.checks.normalize import clean_text, normalize
from bot.comments_open import article_open
from bot.deps import Deps
from bot.domain.captcha import cooldown, parse_answer, read_question, render
from bot.domain.message_kinds import MessageKind
from bot.domain.payload import new_token
from bot.domain.screen import Screen, keyboard_dict
from bot.intake import service_captcha, slowmode
from bot.intake.checking import HISTORY_WINDOW
from bot.intake.readers import Author, remember
from bot.intake.screens import Shown, continue_keyboard, latest, title_of
from bot.intake.steps import GroupNote, IfRefused, Send, Step
from bot.intake.wording import ban_end, duration, fa_number
from bot.jalali import fa_digits
from bot.moderation import service_words
from bot.outbox import call
from bot.states import CommentStatus
from bot.texts import intake as t
from bot.texts import tools as tools_text
from storage.models import Article, Comment, Delivery, User
from storage.repos import author_history as history
from storage.repos import comments, learning, outbox
from storage.repos import intake as repo

log = logging.getLogger(__name__)
S = CommentStatus
DRAFT_TTL = service_captcha.DRAFT_TTL
NOTE_LIFETIME = timedelta(seconds=60)  # a group note is deleted this long after it is posted


@dataclass(frozen=True, slots=True)
class SubmitOutcome:
    """What became of a submitted text: a stored comment waiting for its captcha, or a note to the author."""

    comment_id: int | None = None
    token: str | None = None
    note: str | None = None  # HTML, already escaped
    stored: Comment | None = None  # the row just stored (no captcha yet), to save reading it again


SPLIT_WINDOW = timedelta(seconds=10)  # Telegram clients send a long text's parts within a second or two


async def _ban_gate(session: AsyncSession, deps: Deps, user: User, now: datetime) -> SubmitOutcome | None:
    """Banned: a refusal (the ban told once); None lets the comment through."""
    if user.banned_until is None or user.banned_until <= now:
        return None
    if await repo.claim_ban_notice(session, user.id):
        return SubmitOutcome(note=t.BANNED.format(until=ban_end(user.banned_until, deps.settings.tz)))
    return SubmitOutcome()


def _rate_gate(deps: Deps, recent: history.AuthorRecent, now: datetime) -> SubmitOutcome | None:
    """Cooling down after failed captchas, or over the rate limit: a refusal; None lets the comment through."""
    failures, last = recent.failures, recent.last_failure
    if last is not None and now < last + cooldown(failures):
        return SubmitOutcome(note=t.COOLDOWN.format(wait=duration(last + cooldown(failures) - now)))
    window = timedelta(seconds=deps.settings.rate_limit_window_seconds)
    counted = recent.counted
    limit = deps.settings.rate_limit_comments
    if len(counted) >= limit:
        frees_at = counted[len(counted) - limit] + window  # when enough of them leave the window
        return SubmitOutcome(note=t.RATE_LIMITED.format(window=duration(window), count=fa_digits(len(counted)),
                                                  wait=duration(frees_at - now)))
    return None


def _split_tail(deps: Deps, newest: history.AuthorComment | None, article: Article, now: datetime) -> bool:
    """Whether this text follows, within seconds, a refused too-long text on the same article: the tail
    of one long message that the reader's Telegram split into parts (never a comment on its own)."""
    return (newest is not None and newest.status == S.AUTO_REJECTED.value and newest.article_id == article.id
            and len(newest.text) > deps.settings.max_comment_length and now - newest.created_at <= SPLIT_WINDOW)


def _explain(codes: list[str], text: str, deps: Deps) -> str:
    """The refusal in sentences; «too long» says the limit and the length."""
    limit = deps.settings.max_comment_length
    lines = [t.TOO_LONG.format(length=fa_number(len(text)), limit=fa_number(limit)) if code == "too_long"
             else explain(code) for code in codes]
    return "\n".join(dict.fromkeys(line for line in lines if line)) or t.REJECTED_GENERIC


async def accept(
    session: AsyncSession, deps: Deps, user: User, article: Article, parent: Comment | None, text: str, *,
    source: str = "private", origin: tuple[int, int] | None = None,
) -> SubmitOutcome:
    """Gates, then the checks; a rejected comment is stored as auto_rejected and explained."""
    now = deps.clock()
    banned = await _ban_gate(session, deps, user, now)
    if banned is not None:
        return banned
    if not article_open(article, deps.settings, now):  # closed by a moderator or by the clock (issue 18)
        return SubmitOutcome(note=tools_text.CLOSED_REFUSED.format(title=title_of(article)))
    normalized = normalize(clean_text(text))[:4096]
    # One read of the author's recent comments feeds the same-text rule, the split tail, the captcha
    # cooldown, the rate limit and the checks' duplicate rule.
    recent = await history.author_recent(
        session, user.id, article.id, parent.id if parent else None, normalized,
        rate_since=now - timedelta(seconds=deps.settings.rate_limit_window_seconds),
        texts_since=now - HISTORY_WINDOW, failures_since=now - repo.FAILURE_MEMORY,
    )
    earlier = recent.same_text
    if earlier is not None and earlier.status == S.AWAITING_CAPTCHA.value:
        return SubmitOutcome(comment_id=earlier.id, token=earlier.token)  # its captcha never showed up: show it again
    if earlier is not None:  # sent again (a lost receipt, a double send): it is registered, say so
        return SubmitOutcome(note=t.ALREADY_REGISTERED.format(ref=earlier.token))
    if _split_tail(deps, recent.newest, article, now):
        log.info("tail of a split long text refused", extra={"user_id": user.id})
        return SubmitOutcome(note=t.SPLIT_TAIL.format(limit=fa_number(deps.settings.max_comment_length)))
    refused = _rate_gate(deps, recent, now)
    if refused is not None:
        return refused
    slowed = await slowmode.gate(session, deps, user.id, article, now)  # a surge on this article (issue 18)
    if slowed is not None:
        return SubmitOutcome(note=slowed)
    checks = deps.parts.checks
    if checks is None:
        raise RuntimeError("intake's setup builds the checks' resources before any comment arrives")
    profile = checks.profile(article.id, article.title, " ".join(p for p in (article.lead, article.body) if p))
    verdict = checks.review(text, profile, recent.texts, now, await learning.estimate_text(session, text))
    verdict = await service_words.applied(session, deps, verdict, checks.policy)  # /words lists (issue 18)
    rejected = verdict.decision == "reject"
    reject_codes = [r.code for r in verdict.reasons if r.action == "reject"]
    comment = await repo.add_comment(
        session, token=new_token(deps.rng), article_id=article.id, parent_id=parent.id if parent else None,
        author_id=user.id, text=verdict.cleaned_text[:4096], normalized_text=verdict.normalized_text[:4096],
        status=(S.AUTO_REJECTED if rejected else S.AWAITING_CAPTCHA).value, verdict=verdict.decision,
        checks=verdict.to_dict(), source=source, origin_chat_id=origin[0] if origin else None,
        origin_message_id=origin[1] if origin else None, created_at=now, status_changed_at=now,
        reason=reject_codes[0] if rejected and reject_codes else None,
        decided_at=now if rejected else None,
    )
    if rejected:
        await repo.count_auto_rejected(session, user.id)
        log.info("comment rejected by the checks", extra={"comment_id": comment.id, "reasons": reject_codes})
        return SubmitOutcome(note=t.REJECTED.format(why=_explain(reject_codes, verdict.cleaned_text, deps)))
    return SubmitOutcome(comment_id=comment.id, token=comment.token, stored=comment)


async def _target(session: AsyncSession, user: User, shown: Shown, now: datetime) -> tuple[Article, Comment | None] | None:
    """What a private text comments on: the bot message it replies to, else the open draft."""
    article_id, parent_id = shown.article_id, None
    if shown.comment_id is not None:
        parent = await comments.get(session, shown.comment_id)
        if parent is not None:
            article_id, parent_id = parent.article_id, parent.id
    if article_id is None and user.draft_article_id and user.draft_expires_at and user.draft_expires_at > now:
        article_id, parent_id = user.draft_article_id, user.draft_parent_id
    article = await session.get(Article, article_id) if article_id else None
    if article is None:
        return None
    parent = await comments.get(session, parent_id) if parent_id else None
    if parent is not None and (parent.article_id != article.id or parent.status != S.APPROVED.value):
        parent = None
    return article, parent


async def _typed_answer(deps: Deps, who: Author, typed: int | None, replied: tuple[int, str] | None,
                        message_id: int | None) -> list[Step] | None:
    """A typed number goes to the captcha the reader is looking at, with a visible reply: those steps, or
    None if the text is not an answer (nor a non-answer to a captcha it replies to).

    Replying to a message that shows a question, the answer is for those numbers: charged to the open
    captcha asking them, or — a question renewed since, or shown by a message whose edit was lost —
    to none (the reader is shown the question now asked). Otherwise it goes to the captcha shown last.
    """
    if typed is None and replied is None:
        return None
    note: str | None = None
    given: service_captcha.Answer | None = None
    async with deps.db.transaction() as session:  # one read: the open captchas with their comments
        open_ = await repo.open_captchas_in_context(session, who.id, deps.clock())
        replied_id, replied_text = replied if replied else (None, "")
        by_message = next((row for row in open_ if replied_id is not None and row[0].message_id == replied_id), None)
        seen = read_question(replied_text)
        if typed is None:
            if by_message is None:
                return None
            note = t.NOT_AN_ANSWER  # a reply to the question
        elif not open_:
            note = t.NO_QUESTION
        else:
            target = ((by_message or open_[0]) if seen is None
                      else next((row for row in open_ if (row[0].a, row[0].b) == seen), None))
            if target is None:
                current = (by_message or open_[0])[0]
                note = t.STALE_QUESTION.format(question=render(current.a, current.b))
            else:
                shown_in = (who.id, replied_id) if replied_id is not None and target[0].message_id is None else None
                given = service_captcha.Answer(target[0].id, typed=typed, shown_in=shown_in, reply_to=message_id)
                result = await service_captcha.decide(session, deps, who.id, given, target)
    if given is not None:
        return await service_captcha.show_result(deps, who.id, given, result)
    return [Send(who.id, Screen(note), reply_to=message_id)] if note is not None else []


async def submit_private(deps: Deps, who: Author, text: str, shown: Shown,
                         replied: tuple[int, str] | None = None, message_id: int | None = None) -> list[Step]:
    """A reader's private text: a typed captcha answer, a comment while they are writing one, else help.

    ``replied``: the id and text of the bot message the text replies to, if any."""
    answered = await _typed_answer(deps, who, parse_answer(text), replied, message_id)
    if answered is not None:
        return answered
    now = deps.clock()
    ready = None
    async with deps.db.transaction() as session:
        user = await remember(session, deps, who, private=True)
        target = await _target(session, user, shown, now)
        if target is None:
            screen = latest(await repo.latest_articles(session), deps.bot_username, t.NOT_WRITING)
            outcome = None
        else:
            article, parent = target
            outcome = await accept(session, deps, user, article, parent, text)
            if outcome.comment_id is not None:
                # Still writing on this article until the captcha is solved (a second text is a second comment).
                await repo.set_draft(session, user.id, article.id, parent.id if parent else None, now + DRAFT_TTL)
                ready = await service_captcha.prepare(session, deps, outcome.comment_id, stored=outcome.stored)
    if outcome is None:
        return [Send(who.id, screen)]
    if ready is not None:
        return [service_captcha.to_send(ready)]
    return [Send(who.id, Screen(outcome.note), reply_to=message_id)] if outcome.note else []


@dataclass(frozen=True, slots=True)
class GroupMessage:
    """A member's message in the discussion group, as intake needs it."""

    chat_id: int
    message_id: int
    thread_id: int | None
    reply_to_id: int | None
    author: Author
    text: str | None  # None: not a text message


async def _group_target(session: AsyncSession, msg: GroupMessage) -> tuple[Article, Comment | None] | None:
    """The article whose thread the message is in, and the published comment it answers."""
    parent = None
    if msg.reply_to_id is not None:
        parent = await repo.comment_by_thread_message(session, msg.reply_to_id)
        if parent is not None:
            article = await session.get(Article, parent.article_id)
            return (article, parent) if article else None
    for root in (msg.thread_id, msg.reply_to_id):
        if root is not None:
            article = await repo.article_by_thread(session, msg.chat_id, root)
            if article is not None:
                return article, None
    return None


def _note(msg: GroupMessage, root: int | None, text: str, comment: tuple[int, str] | None = None) -> GroupNote:
    return GroupNote(msg.chat_id, msg.message_id, msg.author.id, msg.author.display_name, root, text, comment)


async def _group_note(session: AsyncSession, deps: Deps, note: GroupNote) -> None:
    """A short note in the thread (deleted about a minute after it is sent: ``note_sent``)."""
    name = mention_html(note.author_id, note.author_name or t.ANONYMOUS)  # mention_html escapes
    args: dict[str, object] = {"chat_id": note.chat_id, "text": t.GROUP_NOTICE.format(name=name, text=note.text)}
    comment = note.comment
    if comment is not None:
        args["text"] = t.GROUP_CONTINUE.format(name=name)
        args["reply_markup"] = keyboard_dict(continue_keyboard(deps.bot_username, comment[1]))
    if note.root is not None:
        args["reply_to"] = note.root
    await outbox.enqueue(session, kind=MessageKind.INTAKE_NOTE, dedupe_key=f"intake-note:{note.chat_id}:{note.message_id}",
                         chat_key=note.chat_id, payload=call("send_message", **args), now=deps.clock(),
                         comment_id=comment[0] if comment else None)


async def post_note(deps: Deps, note: GroupNote) -> None:
    """A direct reply to the member was refused: the note goes to the thread instead."""
    async with deps.db.transaction() as session:
        await _group_note(session, deps, note)
    deps.outbox.wake()


async def note_sent(session: AsyncSession, row: Delivery, message_id: int | None, now: datetime) -> None:
    """Outbox hook: a group note was posted; schedule its deletion (a row, so a restart still deletes it)."""
    if message_id is None:
        return
    chat_id = int(row.payload["args"]["chat_id"])
    await outbox.enqueue(session, kind=MessageKind.DELETE, dedupe_key=f"intake-note-delete:{chat_id}:{message_id}",
                         chat_key=chat_id, payload=call("delete_message", chat_id=chat_id, message_id=message_id),
                         now=now, not_before=now + NOTE_LIFETIME)


async def submit_group(deps: Deps, msg: GroupMessage) -> list[Step] | None:
    """A reply in an article's thread: taken down at once, stored, continued privately (those steps);
    None if it is not one."""
    now = deps.clock()
    async with deps.db.transaction() as session:
        target = await _group_target(session, msg)
        if target is None:
            return None
        article, parent = target
        root = article.discussion_message_id
        await outbox.enqueue(session, kind=MessageKind.DELETE, dedupe_key=f"intake-delete:{msg.chat_id}:{msg.message_id}",
                             chat_key=msg.chat_id, now=now,
                             payload=call("delete_message", chat_id=msg.chat_id, message_id=msg.message_id))
        await remember(session, deps, msg.author, private=False)
        user = await session.get(User, msg.author.id, populate_existing=True)
        if user is None:  # pragma: no cover - just written
            return []
        reachable = user.started_bot and not user.blocked_bot
        private_note = None
        if msg.text is None:
            outcome = SubmitOutcome(note=t.GROUP_TEXT_ONLY)
            private_note = t.GROUP_TEXT_ONLY_PRIVATE.format(title=title_of(article))
        else:
            outcome = await accept(session, deps, user, article, parent, msg.text, source="group",
                                   origin=(msg.chat_id, msg.message_id))
        if not reachable and outcome.comment_id is not None and outcome.token:
            await _group_note(session, deps, _note(msg, root, "", (outcome.comment_id, outcome.token)))
        elif not reachable and outcome.note:
            await _group_note(session, deps, _note(msg, root, outcome.note))
    deps.outbox.wake()
    if reachable and outcome.comment_id is not None:
        fallback = _note(msg, root, "", (outcome.comment_id, outcome.token or ""))
        captcha = await service_captcha.show(deps, outcome.comment_id, otherwise=fallback)
        if captcha is None:
            await post_note(deps, fallback)
            return []
        return [captcha]
    if reachable and outcome.note:
        return [Send(msg.author.id, Screen(private_note or outcome.note),
                     then=IfRefused(_note(msg, root, outcome.note)))]
    return []
