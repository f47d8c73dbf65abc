"""Readers and moderators who put up with a flaky bot, and the audit of what the run left behind.

A person whose message got no answer taps the link again and re-sends; a moderator whose button
did nothing presses it again. Everyone acts only on what the fake Telegram shows. The audit then
compares the database with what chats show: used by tests/e2e/test_chaos.py and bench/chaos.py.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from fakegram.actors import FakeUser
from fakegram.control import FakeTelegram
from fakegram.world import StoredMessage
from storage.db import Database
from storage.models import Article, Captcha, Comment
from tests.e2e.driver import is_captcha, type_answer
from tests.e2e.harness import World

FA = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
TO_FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
MARK = re.compile(r"نظر شمارهٔ ([۰-۹]+)")
RECEIPT = "شمارهٔ پیگیری"
# The receipt's message becomes the outcome once moderators decide: a person who sees «نظر شما … منتشر شد»
# or «… منتشر نشد» knows the comment arrived, even if the receipt itself was replaced before they looked.
OUTCOMES = ("✅ نظر شما دربارهٔ", "❌ نظر شما دربارهٔ")


def _received(messages: list[StoredMessage]) -> bool:
    return any(RECEIPT in (m.text or "") or (m.text or "").startswith(OUTCOMES) for m in messages)
QUEUED = {"pending", "approved", "rejected"}


def comment_text(n: int) -> str:
    """A relevant comment carrying a unique visible number, how the audit follows it."""
    return f"ترافیک میدان آزادی واقعاً کلافه‌کننده شده و باید مترو را زودتر تکمیل کنند؛ نظر شمارهٔ {str(n).translate(TO_FA)}"


def numbers(text: str | None) -> list[int]:
    return [int(m.translate(FA)) for m in MARK.findall(text or "")]


def decide(comment_id: int) -> str:
    """The moderators' policy: reject every fifth comment, approve the rest."""
    return "reject" if comment_id % 5 == 0 else "approve"


@dataclass
class Tally:
    """What the people did and saw."""

    receipts: set[int] = field(default_factory=set)
    gave_up: set[int] = field(default_factory=set)
    sends: Counter[int] = field(default_factory=Counter)
    presses: int = 0
    moderator_presses: int = 0


def _captcha(messages: list[StoredMessage], dead: set[int] | None = None) -> StoredMessage | None:
    for message in reversed(messages):
        if dead and message.message_id in dead:
            continue
        if _received([message]) or "ثبت نشد" in (message.text or ""):
            continue
        if is_captcha(message):
            return message
    return None


async def reader(fake: FakeTelegram, user: FakeUser, payload: str, n: int, tally: Tally, *,
                 patience: float = 3.0, give_up: float = 120.0) -> None:
    """Open the deep link, write comment ``n``, solve the captcha; retry like a person until a receipt."""
    chat = user.private_chat
    began = time.monotonic()
    last_send = -1e9
    pressed: dict[tuple[int, str], float] = {}
    dead: set[int] = set()  # captcha messages whose typed answer drew no receipt
    while time.monotonic() - began < give_up:
        shown = fake.bot_messages(chat)
        if _received(shown):
            tally.receipts.add(n)
            return
        captcha = _captcha(shown, dead)
        now = time.monotonic()
        if captcha is not None and now - pressed.get((captcha.message_id, captcha.text or ""), -1e9) > patience:
            pressed[(captcha.message_id, captcha.text or "")] = now
            try:
                await type_answer(user, captcha)
            except (LookupError, ValueError):
                continue
            tally.presses += 1
            deadline = time.monotonic() + patience
            while time.monotonic() < deadline:
                if _received(fake.bot_messages(chat)):
                    tally.receipts.add(n)
                    return
                await asyncio.sleep(0.05)
            dead.add(captcha.message_id)  # a person gives up on that message and writes again
        elif captcha is None and now - last_send > 2 * patience:
            last_send = now
            before = len(shown)
            await user.start_bot(payload)
            deadline = time.monotonic() + patience
            while len(fake.bot_messages(chat)) == before and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            await user.send(comment_text(n))
            tally.sends[n] += 1
        await asyncio.sleep(0.1)
    tally.gave_up.add(n)


async def moderators(fake: FakeTelegram, world: World, stop: asyncio.Event, tally: Tally, *,
                     patience: float = 3.0, policy: Callable[[int], str] = decide) -> None:
    """Press approve (or reject, first reason) on every card or queue-view item until ``stop``; again if nothing happened."""
    pressed: dict[tuple[int, str], float] = {}
    pressed_count: dict[tuple[int, str], int] = {}
    turn = 0
    while not stop.is_set():
        acted = False
        now = time.monotonic()
        for message in fake.bot_messages(world.mods_chat):
            datas = [str(b.get("callback_data", "")) for b in message.buttons()]
            for data in datas:
                parts = data.split(":")
                if data.startswith("v1:ap:"):
                    cid = int(parts[2])
                    target = data if policy(cid) == "approve" else f"v1:rj:{cid}"
                elif data.startswith("v1:rr:") and parts[3] == "0":
                    # A reason menu that stays after pressing its reason twice: go back, as a person would.
                    tries = pressed_count.get((message.message_id, data), 0)
                    target = data if tries < 2 else f"v1:bk:{parts[2]}"
                    if tries >= 2:
                        pressed_count[(message.message_id, data)] = 0  # after going back, pick the reason anew
                else:
                    continue
                key = (message.message_id, target)
                wait = patience if pressed_count.get(key, 0) < 3 else 5 * patience  # stale: a view refreshes later
                if target not in datas or now - pressed.get(key, -1e9) < wait:
                    continue
                pressed[key] = now
                pressed_count[key] = pressed_count.get(key, 0) + 1
                try:
                    await world.moderators[turn % 2].press(message, target)
                except ValueError:
                    continue
                turn += 1
                tally.moderator_presses += 1
                acted = True
        if not acted:
            for message in fake.bot_messages(world.mods_chat):
                pages = [str(b.get("callback_data")) for b in message.buttons()
                         if str(b.get("callback_data", "")).startswith("v1:qp:")]
                for data in reversed(pages):  # «next» first
                    key = (message.message_id, data + (message.text or ""))
                    if now - pressed.get(key, -1e9) >= 2 * patience:
                        pressed[key] = now
                        await world.moderators[0].press(message, data)
                        break
            await asyncio.sleep(0.2)
        else:
            await asyncio.sleep(0.05)


def open_items(fake: FakeTelegram, world: World) -> set[int]:
    """Comment ids that still show an approve button somewhere in the moderators' chat."""
    out = set()
    for message in fake.bot_messages(world.mods_chat):
        for b in message.buttons():
            data = str(b.get("callback_data", ""))
            if data.startswith("v1:ap:"):
                out.add(int(data.split(":")[2]))
    return out


async def statuses(db: Database) -> Counter[str]:
    """Comments per status, now."""
    async with db.transaction() as session:
        return Counter(status for (status,) in (await session.execute(select(Comment.status))).all())


@dataclass
class Audit:
    """The invariants, counted."""

    comments: Counter[str]
    receipts: int
    receipt_not_queued: list[int]
    duplicates: dict[int, int]
    lost: list[int]
    rejected_published: list[int]
    article_posts: dict[str, int]
    pending_without_card: list[int]
    decided_with_open_card: list[int]
    captcha_open: int
    captcha_stale_buttons: int
    ambiguous: Counter[int]  # per comment: publication sends whose answer was lost (Telegram had acted)

    @property
    def violations(self) -> int:
        return (len(self.receipt_not_queued) + sum(c - 1 for c in self.duplicates.values()) + len(self.lost)
                + len(self.rejected_published) + sum(abs(c - 1) for c in self.article_posts.values())
                + len(self.pending_without_card) + len(self.decided_with_open_card) + self.captcha_stale_buttons)

    def lines(self) -> list[str]:
        posts = sum(self.article_posts.values())
        return [
            f"comments in the database by status: {dict(sorted(self.comments.items()))}",
            f"receipts shown to readers: {self.receipts}; receipt but not pending/approved/rejected: "
            f"{len(self.receipt_not_queued)}",
            f"published twice or more in the thread: {len(self.duplicates)} comments "
            f"({sum(c - 1 for c in self.duplicates.values())} extra messages; after a lost answer: "
            f"{len(set(self.duplicates) & set(self.ambiguous))}; publication sends with a lost answer: {sum(self.ambiguous.values())})",
            f"approved but not in the thread (lost): {len(self.lost)}; rejected but in the thread: "
            f"{len(self.rejected_published)}",
            f"articles: {len(self.article_posts)}, channel posts {posts} (each exactly once: "
            f"{all(c == 1 for c in self.article_posts.values())})",
            f"pending without a usable card: {len(self.pending_without_card)}; decided but card still open: "
            f"{len(self.decided_with_open_card)}",
            f"captchas still open (usable): {self.captcha_open}; expired/failed comments whose captcha "
            f"still shows answer buttons: {self.captcha_stale_buttons}",
            f"VIOLATIONS: {self.violations}",
        ]


async def audit(db: Database, fake: FakeTelegram, world: World, tally: Tally) -> Audit:
    """Compare the database with what the chats show."""
    async with db.transaction() as session:
        rows = list((await session.execute(select(Comment))).scalars())
        articles = list((await session.execute(select(Article))).scalars())
        captchas = [tuple(row) for row in await session.execute(select(Captcha, Comment.status).join(Comment))]
    thread = Counter(n for m in fake.bot_messages(world.group) for n in numbers(m.text))
    by_n: dict[int, list[Comment]] = {}
    for row in rows:
        for n in numbers(row.text):
            by_n.setdefault(n, []).append(row)
    open_cards = open_items(fake, world)
    approved = {n for n, cs in by_n.items() if any(c.status == "approved" for c in cs)}
    rejected = {n for n, cs in by_n.items() if any(c.status == "rejected" for c in cs)} - approved
    stale = 0
    for captcha, status in captchas:
        if status in ("expired", "auto_rejected") and captcha.chat_id and captcha.message_id:
            message = fake.world.chats[captcha.chat_id].messages.get(captcha.message_id)
            stale += message is not None and any("callback_data" in b for b in message.buttons())
    posts = Counter(a.title for a in articles for m in fake.bot_messages(world.channel) if a.title in (m.text or ""))
    return Audit(
        comments=Counter(c.status for c in rows),
        receipts=len(tally.receipts),
        receipt_not_queued=sorted(n for n in tally.receipts if not any(c.status in QUEUED for c in by_n.get(n, []))),
        duplicates={n: k for n, k in thread.items() if k > 1},
        lost=sorted(n for n in approved if thread[n] == 0),
        rejected_published=sorted(n for n in rejected if thread[n] > 0),
        article_posts={a.title: posts[a.title] for a in articles},
        pending_without_card=sorted(c.id for c in rows if c.status == "pending" and c.id not in open_cards),
        decided_with_open_card=sorted(c.id for c in rows if c.status in ("approved", "rejected") and c.id in open_cards),
        captcha_open=sum(c.status == "awaiting_captcha" for c in rows),
        captcha_stale_buttons=stale,
        ambiguous=Counter(n for c in fake.calls if c.fault == "lost" and c.method == "sendMessage"
                          and str(c.params.get("chat_id")) == str(world.group.id) for n in numbers(c.params.get("text"))),
    )
