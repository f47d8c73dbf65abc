"""The captcha's life: shown to the author, answered (button or typed), failed or expired."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps
from bot.domain import captcha as domain
from bot.domain.message_kinds import MessageKind
from bot.domain.screen import Screen, keyboard_dict
from bot.intake.screens import captcha_screen, write_again
from bot.intake.steps import AnswerShown, CaptchaShown, Edit, GroupNote, Send, Step, Submitted
from bot.intake.wording import duration, tries
from bot.moderation import notices
from bot.outbox import call
from bot.states import CommentStatus
from bot.texts import intake as t
from storage.models import Captcha, Comment, Delivery, User
from storage.repos import comments, outbox
from storage.repos import intake as repo

log = logging.getLogger(__name__)
S = CommentStatus
SWEEP_BATCH = 200
FAILED = "captcha_failed"  # the reason an expired comment carries when its tries ran out
DRAFT_TTL = timedelta(hours=1)


def _minutes(deps: Deps) -> int:
    return max(1, round(deps.settings.captcha_ttl_seconds / 60))


def _screen(deps: Deps, captcha: Captcha, title: str, comment: Comment, wrong_tries: int | None = None) -> Screen:
    return captcha_screen(captcha.id, captcha.generation, captcha.a, captcha.b, list(captcha.options), title,
                          _minutes(deps), excerpt=comment.text, wrong_tries=wrong_tries)


def _receipt(comment: Comment, author: User | None) -> Screen:
    """The receipt: trusted authors are published without review, so theirs does not promise one."""
    text = t.RECEIPT_TRUSTED if author is not None and author.trusted else t.RECEIPT
    return Screen(text.format(ref=comment.token))


def _again(text: str, comment: Comment) -> Screen:
    return write_again(text, comment.article_id, comment.parent_id)


async def show(deps: Deps, comment_id: int, *, otherwise: Send | GroupNote | None = None) -> Send | None:
    """Create the comment's captcha if needed: the message that shows it to the author privately.

    None if the comment no longer waits. If Telegram refuses the message, no captcha is left behind (so
    the comment can still be continued by deep link until it expires) and ``otherwise`` follows.
    """
    async with deps.db.transaction() as session:
        ready = await prepare(session, deps, comment_id)
    return to_send(ready, otherwise) if ready is not None else None


@dataclass(frozen=True, slots=True)
class Ready:
    """A captcha stored and rendered, to be sent once its transaction has committed."""

    comment_id: int
    author_id: int
    captcha_id: int
    screen: Screen


async def prepare(session: AsyncSession, deps: Deps, comment_id: int, *, stored: Comment | None = None
                  ) -> Ready | None:
    """The comment's captcha, created if needed (None: the comment no longer waits).

    ``stored``: the comment row this transaction has just inserted (so it has no captcha yet)."""
    now = deps.clock()
    comment = stored if stored is not None else await comments.get(session, comment_id)
    if comment is None or comment.status != S.AWAITING_CAPTCHA.value:
        return None
    article = await repo.article(session, comment.article_id)
    title = article.title if article else ""
    captcha = None if stored is not None else await repo.captcha_of(session, comment_id)
    if captcha is not None and captcha.expires_at <= now:
        await comments.transition(session, comment_id, S.AWAITING_CAPTCHA, S.EXPIRED, now=now)
        return None
    if captcha is None:
        challenge = domain.new_challenge(deps.rng)
        captcha = await repo.add_captcha(
            session, comment_id=comment_id, a=challenge.a, b=challenge.b, options=[],
            generation=1, tries_left=deps.settings.captcha_tries, created_at=now,
            expires_at=now + timedelta(seconds=deps.settings.captcha_ttl_seconds),
        )
    return Ready(comment_id, comment.author_id, captcha.id, _screen(deps, captcha, title, comment))


def to_send(ready: Ready, otherwise: Send | GroupNote | None = None) -> Send:
    """The message that shows a prepared captcha, once its transaction has committed."""
    return Send(ready.author_id, ready.screen,
                then=CaptchaShown(ready.comment_id, ready.author_id, ready.captcha_id, otherwise))


async def shown(deps: Deps, sent: CaptchaShown, message_id: int | None) -> bool:
    """Record where a captcha is shown (False: Telegram refused it; the captcha is dropped)."""
    comment_id, author_id, captcha_id = sent.comment_id, sent.author_id, sent.captcha_id
    async with deps.db.transaction() as session:
        if message_id is None:
            await repo.drop_unshown_captcha(session, captcha_id)
            return False
        await repo.set_captcha_message(session, captcha_id, author_id, message_id)
    log.info("captcha shown", extra={"comment_id": comment_id, "captcha_id": captcha_id})
    return True


@dataclass(frozen=True, slots=True)
class Answer:
    """A reader's answer: a button (captcha, generation, option) or a typed number."""

    captcha_id: int
    generation: int | None = None
    option: int | None = None
    typed: int | None = None
    shown_in: tuple[int, int] | None = None  # the pressed message, if the row does not know it yet
    reply_to: int | None = None  # a typed answer's own message: the reader gets a visible reply to it


@dataclass
class Decided:
    toast: str
    screen: Screen | None = None
    where: tuple[int, int] | None = None
    pending: int | None = None
    reply: str | None = None  # what a typed answer is told (default: the screen's text, else the toast)
    queued: bool = False  # an outbox row was queued: the worker is woken once the transaction is committed


async def answer(deps: Deps, user_id: int, given: Answer) -> tuple[str, list[Step]]:
    """Check an answer, move the comment; the short note for the reader and the edit of the captcha message.

    A typed answer also gets a reply right under it (the captcha message may be far above): the
    receipt, the new question, or why nothing changed — but not a right answer typed straight under the
    captcha, whose message becomes the receipt right above it.
    """
    async with deps.db.transaction() as session:
        result = await decide(session, deps, user_id, given, await repo.captcha_context(session, given.captcha_id))
    return result.toast, await show_result(deps, user_id, given, result)


async def show_result(deps: Deps, user_id: int, given: Answer, result: Decided) -> list[Step]:
    """After ``decide``'s transaction: the edit of the captcha message, the reply to a typed answer, and
    then the card is queued (steps.AnswerShown)."""
    if result.queued:
        deps.outbox.wake()
    where = result.where
    if result.screen is not None and where is None:
        # The answer overtook the record of the captcha's own send (it may have committed since).
        async with deps.db.transaction() as session:
            where = await repo.captcha_location(session, given.captcha_id)
    reply = None
    if given.reply_to is not None:
        note = result.reply or (result.screen.text if result.screen is not None else result.toast)
        keyboard = result.screen.keyboard if result.screen is not None and result.reply is None else ()
        reply = Send(user_id, Screen(note, keyboard), reply_to=given.reply_to)
    if result.screen is not None and where is not None:
        # A right answer typed straight under its captcha: that message, right above, is now the receipt
        # once edited; a reply repeating it would be one more message for nothing (message ids in a
        # private chat are consecutive).
        right_above = result.pending is not None and given.reply_to == where[1] + 1
        return [Edit(where[0], where[1], result.screen, then=AnswerShown(reply, right_above, result.pending))]
    if reply is not None:
        return [replace(reply, then=Submitted(result.pending, receipt_in=user_id)) if result.pending is not None
                else reply]
    if result.pending is not None:
        submitted(deps, result.pending)
    return []


async def receipt_moved(deps: Deps, comment_id: int, chat_id: int, message_id: int) -> None:
    """The receipt was shown again in a reply under the typed answer, below the captcha message: that reply
    is now the comment's receipt, so the outcome is written where the author's chat ends (the captcha
    message far above keeps «ثبت شد», which is no longer the last word)."""
    async with deps.db.transaction() as session:
        before = await repo.move_receipt(session, comment_id, chat_id, message_id)
        if before is not None:  # decided meanwhile (a trusted author, a quick moderator): the outcome moves too
            await notices.receipt_moved(session, comment_id, chat_id, before, message_id, deps.clock())


def submitted(deps: Deps, comment_id: int) -> None:
    """The comment's captcha is solved and the reader told: moderation takes it from here."""
    deps.events.emit("comment_pending", comment_id)


async def decide(session: AsyncSession, deps: Deps, user_id: int, given: Answer,
                 loaded: repo.CaptchaContext | None) -> Decided:
    """The answer's effect, inside the caller's transaction; ``loaded`` is the captcha, its comment and its
    author as read in that transaction (one read per answer: repo.captcha_context or
    repo.open_captchas_in_context)."""
    now = deps.clock()
    if loaded is None:
        return Decided(t.ANSWER_INVALID)
    captcha, comment, author = loaded
    if comment.author_id != user_id:
        return Decided(t.ANSWER_NOT_YOURS)
    where = (captcha.chat_id, captcha.message_id) if captcha.chat_id and captcha.message_id else given.shown_in
    if captcha.solved_at is not None or comment.status in {S.PENDING.value, S.APPROVED.value, S.REJECTED.value}:
        if comment.status != S.PENDING.value:
            return Decided(t.ANSWER_ALREADY)  # decided: its message is the outcome's now (moderation/notices.py)
        # Show the receipt again: heals a process that died between the commit and the edit, or a
        # press that committed between our two reads (READ COMMITTED on PostgreSQL). Through the outbox,
        # in the author's chat's lane behind any outcome already queued, and sent only while the comment
        # still waits (receipt_still_true): an approval at this very moment writes its outcome into this
        # message, and a direct edit racing it could put «ثبت شد» back over «منتشر شد».
        if where is None:
            return Decided(t.ANSWER_ALREADY)
        payload = call("edit_message_text", chat_id=where[0], message_id=where[1], text=_receipt(comment, author).text)
        queued = await outbox.enqueue(session, kind=MessageKind.RECEIPT_EDIT, dedupe_key=f"receipt-again:{comment.id}",
                                      chat_key=where[0], payload=payload, now=now, comment_id=comment.id)
        return Decided(t.ANSWER_ALREADY, queued=queued)
    if comment.status != S.AWAITING_CAPTCHA.value:
        return Decided(t.ANSWER_EXPIRED)
    if given.generation is not None and given.generation != captcha.generation:
        return Decided(t.ANSWER_OLD)
    if captcha.expires_at <= now:
        if await comments.transition(session, comment.id, S.AWAITING_CAPTCHA, S.EXPIRED, now=now):
            await _write_again_later(session, user_id, comment, now)
            return Decided(t.ANSWER_EXPIRED, _again(t.CAPTCHA_EXPIRED, comment), where)
        return Decided(t.ANSWER_EXPIRED)
    challenge = domain.Challenge(captcha.a, captcha.b, tuple(captcha.options))
    value = challenge.option(given.option) if given.option is not None else given.typed
    if value is None:
        return Decided(t.ANSWER_INVALID)
    generation = captcha.generation
    if challenge.is_right(value):
        if not await repo.solve_captcha(session, captcha.id, generation, now):
            return Decided(t.ANSWER_ALREADY)
        if not await comments.transition(session, comment.id, S.AWAITING_CAPTCHA, S.PENDING, now=now,
                                         submitted_at=now):
            return Decided(t.ANSWER_EXPIRED)
        await repo.end_draft(session, user_id, comment.article_id, comment.parent_id)
        log.info("comment submitted", extra={"comment_id": comment.id})
        return Decided(t.ANSWER_RIGHT, _receipt(comment, author), where, comment.id)
    if captcha.tries_left <= 1:
        if await comments.transition(session, comment.id, S.AWAITING_CAPTCHA, S.EXPIRED, now=now, reason=FAILED):
            failures, _ = await repo.captcha_failures(session, user_id, now - repo.FAILURE_MEMORY)
            await _write_again_later(session, user_id, comment, now)
            log.info("captcha failed", extra={"comment_id": comment.id, "failures": failures})
            text = t.CAPTCHA_FAILED.format(wait=duration(domain.cooldown(failures)))
            return Decided(t.ANSWER_WRONG, _again(text, comment), where)
        return Decided(t.ANSWER_OLD)
    fresh = domain.new_challenge(deps.rng)
    if not await repo.renew_captcha(session, captcha.id, generation, a=fresh.a, b=fresh.b, options=[]):
        return Decided(t.ANSWER_OLD)
    await repo.reload_captcha(session, captcha)
    article = await repo.article(session, comment.article_id)
    screen = _screen(deps, captcha, article.title if article else "", comment, wrong_tries=captcha.tries_left)
    reply = t.TYPED_WRONG.format(answer=domain.label(value), tries=tries(captcha.tries_left),
                                 question=domain.render(captcha.a, captcha.b))
    return Decided(t.ANSWER_WRONG, screen, where, reply=reply)


async def receipt_still_true(session: AsyncSession, row: Delivery, _now: datetime) -> dict[str, Any] | None:
    """The outbox's check right before a receipt is shown again: only while its comment still waits for
    the moderators (once decided, the message is the outcome's: bot/moderation/notices.py)."""
    comment = await comments.get(session, row.comment_id) if row.comment_id is not None else None
    return row.payload if comment is not None and comment.status == S.PENDING.value else None


async def _write_again_later(session: AsyncSession, user_id: int, comment: Comment, now: datetime) -> None:
    """After a failed or expired captcha the reader is writing on the same article again (a resend works)."""
    await repo.set_draft(session, user_id, comment.article_id, comment.parent_id, now + DRAFT_TTL)


async def sweep(deps: Deps) -> int:
    """Expire comments whose captcha ran out (or that never got one); edit their captcha messages."""
    now = deps.clock()
    never_shown = now - timedelta(hours=deps.settings.comment_expiry_hours)
    expired = 0
    async with deps.db.transaction() as session:
        for comment, captcha in await repo.expired_waiting(session, now, never_shown, SWEEP_BATCH):
            if not await comments.transition(session, comment.id, S.AWAITING_CAPTCHA, S.EXPIRED, now=now):
                continue
            expired += 1
            if captcha is not None and captcha.chat_id and captcha.message_id:
                note = _again(t.CAPTCHA_EXPIRED, comment)
                payload = call("edit_message_text", chat_id=captcha.chat_id, message_id=captcha.message_id,
                               text=note.text, reply_markup=keyboard_dict(note.keyboard))
                await outbox.enqueue(session, kind=MessageKind.INTAKE_EDIT, dedupe_key=f"captcha-expired:{comment.id}",
                                     chat_key=captcha.chat_id, payload=payload, now=now, comment_id=comment.id)
    if expired:
        log.info("comments expired", extra={"count": expired})
        deps.outbox.wake()
    return expired

