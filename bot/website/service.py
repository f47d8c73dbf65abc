"""The website's services: each call one transaction, returning what the HTTP layer answers."""

from __future__ import annotations

import asyncio
import hashlib
import html
import json
import logging
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.comments_open import article_open
from bot.deps import Deps
from bot.domain.captcha import new_challenge, render
from bot.intake.service_submit import accept
from bot.intake.wording import ban_end
from bot.jalali import format_datetime
from bot.states import CommentStatus
from bot.texts import intake as intake_texts
from bot.texts import web as t
from bot.website import atom, identity, refusals
from bot.website.requests import NewComment
from bot.website.threads import WebComment, iso, page_json
from storage.models import Article
from storage.repos import comments as comments_repo
from storage.repos import intake as intake_repo
from storage.repos import users
from storage.repos import web as repo

log = logging.getLogger(__name__)
S = CommentStatus
KEY_NAME = "identity-secret"
# Approved comments of one article are served from memory for this long (and rebuilt at once when a
# decision in this process changes them): other instances' decisions show within this time.
FRESH_SECONDS = 2.0
CACHE_ARTICLES = 1000
_TAGS = re.compile(r"<[^>]+>")
_REF = re.compile(r"<code>([^<]+)</code>")


@dataclass(frozen=True, slots=True)
class Reply:
    """An HTTP answer in domain terms: a status and a JSON body (or raw bytes with a content type)."""

    status: int
    body: dict[str, Any] | None = None
    raw: bytes | None = None
    content_type: str = "application/json"
    etag: str | None = None
    retry_after: int | None = None  # seconds, for a 429


@dataclass
class _Cached:
    article: Article
    shown: list[WebComment]
    at: float
    pages: dict[int, tuple[bytes, str]] = field(default_factory=dict)


def plain(note: str) -> str:
    """A Telegram HTML note as plain text (the widget sets it with textContent)."""
    return html.unescape(_TAGS.sub("", note)).strip()


def _body(data: dict[str, Any]) -> tuple[bytes, str]:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return raw, '"' + hashlib.blake2b(raw, digest_size=12).hexdigest() + '"'


class Website:
    """The comment box's services over Khabar's database and checks."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.secret = b""
        self._cache: dict[str, _Cached] = {}
        self._tokens: dict[int, str] = {}
        self._loading: dict[str, asyncio.Future[_Cached | None]] = {}
        self._refreshes: set[asyncio.Task[_Cached | None]] = set()
        self._dropped: dict[str, float] = {}
        self._links: dict[str, tuple[float, Reply]] = {}  # page URL → its articles, for FRESH_SECONDS

    async def start(self) -> None:
        """Load the identity-signing secret (configured, else generated once and kept in the database)."""
        configured = self.deps.settings.web_secret
        if configured is not None:
            self.secret = configured.get_secret_value().encode()
            return
        async with self.deps.db.transaction() as session:
            value = await repo.key(session, KEY_NAME, secrets.token_urlsafe(32), self.deps.clock())
        self.secret = value.encode()

    async def close(self) -> None:
        """Stop background rebuilds (shutdown)."""
        for task in list(self._refreshes):
            task.cancel()
        await asyncio.gather(*self._refreshes, return_exceptions=True)

    def forget(self, article_id: int) -> None:
        """A decision changed an article's approved comments: rebuild them on the next read."""
        token = self._tokens.get(article_id)
        if token is not None:
            self._cache.pop(token, None)
            self._dropped[token] = time.monotonic()  # a read already under way must not keep the old page

    # ----- reads -----------------------------------------------------------------------------------------
    async def articles(self, link: str) -> Reply:
        """The articles a page's URL names (usually one)."""
        now = time.monotonic()
        link = link[:2000]
        known = self._links.get(link)
        if known is not None and now - known[0] < FRESH_SECONDS:
            return known[1]
        variants = _link_variants(link)
        async with self.deps.db.transaction() as session:
            found = await repo.articles_by_link(session, variants) if variants else []
            counts = await repo.approved_counts(session, [a.id for a in found])
        raw, etag = _body({"articles": [
            {
                "token": a.token,
                "title": a.title,
                "link": a.link,
                "published_at": iso(a.published_at),
                "comments_open": _open(a, self.deps),
                "comment_count": counts.get(a.id, 0),
            }
            for a in found
        ]})
        reply = Reply(200, raw=raw, etag=etag)
        if len(self._links) >= CACHE_ARTICLES:
            self._links.pop(next(iter(self._links)))
        self._links[link] = (now, reply)
        return reply

    async def _shown(self, token: str) -> _Cached | None:
        """The article's approved comments from memory; one reader rebuilds them, the others wait for it
        (a page no decision changed is served as it is while a rebuild after 2 s runs in the background)."""
        cached = self._cache.get(token)
        if cached is not None:
            if time.monotonic() - cached.at >= FRESH_SECONDS and token not in self._loading:
                task = asyncio.create_task(self._load(token))
                self._refreshes.add(task)
                task.add_done_callback(self._refreshed)
            return cached
        loading = self._loading.get(token)
        if loading is None:
            return await self._load(token)
        return await asyncio.shield(loading)

    def _refreshed(self, task: asyncio.Task[_Cached | None]) -> None:
        self._refreshes.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("website: refreshing comments failed; serving the previous page", exc_info=task.exception())

    async def _load(self, token: str) -> _Cached | None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[_Cached | None] = loop.create_future()
        self._loading[token] = future
        try:
            entry = await self._read(token)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: a waiter that left early must not leave it unobserved
            raise
        finally:
            self._loading.pop(token, None)
        future.set_result(entry)
        return entry

    async def _read(self, token: str) -> _Cached | None:
        began = time.monotonic()
        async with self.deps.db.transaction() as session:
            article = await intake_repo.article_by_token(session, token)
            rows = await repo.approved_rows(session, article.id) if article is not None else []
        if article is None:
            return None
        shown = [
            WebComment(r[0], (r[5] or t.ANONYMOUS) if r[4] == "web" else (r[6] or intake_texts.ANONYMOUS), r[2], r[3],
                  r[1], "web" if r[4] == "web" else "telegram")
            for r in rows
        ]
        entry = _Cached(article, shown, began)
        if began < self._dropped.get(token, float("-inf")):
            return entry  # a decision landed meanwhile: answer this once, read again next time
        if len(self._cache) >= CACHE_ARTICLES:
            self._cache.pop(next(iter(self._cache)))
        self._cache[token] = entry
        self._tokens[article.id] = token
        return entry

    async def exists(self, token: str) -> bool:
        """Whether an article has this public token."""
        return await self._shown(token) is not None

    async def comments(self, token: str, page: int) -> Reply:
        """One page of an article's approved comments, threaded; with an ETag."""
        entry = await self._shown(token)
        if entry is None:
            return Reply(404, {"status": "not_found", "message": t.NOT_FOUND})
        ready = entry.pages.get(page)
        if ready is None:
            data = page_json(entry.shown, page, lambda m: format_datetime(m, self.deps.settings.tz))
            data["article"] = {"token": entry.article.token, "title": entry.article.title,
                               "comments_open": _open(entry.article, self.deps)}
            ready = entry.pages[page] = _body(data)
        return Reply(200, raw=ready[0], etag=ready[1])

    async def feed(self, token: str, feed_url: str) -> Reply:
        """The article's Atom feed of approved comments."""
        entry = await self._shown(token)
        if entry is None:
            return Reply(404, {"status": "not_found", "message": t.NOT_FOUND})
        a = entry.article
        updated = max((c.created_at for c in entry.shown), default=a.published_at)
        raw = atom.render(feed_url=feed_url, article_title=a.title, article_link=a.link, article_token=a.token,
                          comments=entry.shown, updated=updated)
        etag = '"' + hashlib.blake2b(raw, digest_size=12).hexdigest() + '"'
        return Reply(200, raw=raw, content_type="application/atom+xml", etag=etag)

    # ----- writes ----------------------------------------------------------------------------------------
    async def captcha(self, address: str) -> Reply:
        """A fresh typed question, held server-side."""
        now = self.deps.clock()
        challenge = new_challenge(self.deps.rng)
        token = secrets.token_urlsafe(16)
        ttl = self.deps.settings.captcha_ttl_seconds
        async with self.deps.db.transaction() as session:
            await repo.add_captcha(session, token=token, a=challenge.a, b=challenge.b,
                                   address=identity.address_key(self.secret, address), created_at=now,
                                   expires_at=now + timedelta(seconds=ttl))
            if self.deps.rng.random() < 0.01:
                await repo.forget_captchas(session, now - timedelta(days=1))
        return Reply(201, {"id": token, "question": render(challenge.a, challenge.b), "expires_in": ttl})

    async def submit(self, token: str, given: NewComment, address: str) -> Reply:
        """A comment from the website: captcha used up, gates, the same checks, then the moderators' queue."""
        now = self.deps.clock()
        ident = identity.verify(self.secret, given.identity) or identity.new_id(self.deps.rng)
        token_out = identity.sign(self.secret, ident)
        where = identity.address_key(self.secret, address)
        pending: int | None = None
        async with self.deps.db.transaction() as session:
            article = await intake_repo.article_by_token(session, token)
            if article is None:
                return Reply(404, {"status": "not_found", "message": t.NOT_FOUND})
            captcha = await repo.use_captcha(session, given.captcha_id, now)
            if captcha is None:
                return Reply(400, {"status": "captcha", "message": t.CAPTCHA_USED})
            if captcha.a + captcha.b != given.captcha_answer:
                return Reply(400, {"status": "captcha", "message": t.CAPTCHA_WRONG})
            user = await users.upsert(session, identity.user_id(ident), display_name=given.author or t.ANONYMOUS,
                                      username=None, now=now)
            until = user.banned_until if user.banned_until and user.banned_until > now else None
            until = until or await repo.address_banned_until(session, where, now)
            if until is not None:
                return Reply(403, {"status": "banned",
                                   "message": t.BANNED.format(until=ban_end(until, self.deps.settings.tz))})
            parent = await comments_repo.get(session, given.parent_id) if given.parent_id is not None else None
            if given.parent_id is not None and (
                parent is None or parent.article_id != article.id or parent.status != S.APPROVED.value
            ):
                return Reply(422, {"status": "rejected", "reasons": ["parent"], "message": t.PARENT_MISSING,
                                   "identity": token_out})
            outcome = await accept(session, self.deps, user, article, parent, given.text, source="web")
            if outcome.comment_id is not None:
                await repo.set_web_fields(session, outcome.comment_id, given.author or t.ANONYMOUS, where)
                if await comments_repo.transition(session, outcome.comment_id, S.AWAITING_CAPTCHA, S.PENDING,
                                                  now=now, submitted_at=now):
                    pending = outcome.comment_id
                reply = Reply(202, {"status": "pending", "reference": outcome.token,
                                    "message": t.QUEUED.format(ref=outcome.token), "identity": token_out})
            elif (wait := self._too_many(outcome.note)) is not None:  # the author rate limit, slow mode
                reply = Reply(429, {"status": "rate_limited", "message": plain(outcome.note or t.RATE_LIMITED)},
                              retry_after=wait)
            elif outcome.note and (ref := _REF.search(outcome.note)) is not None:
                reply = Reply(202, {"status": "pending", "reference": ref.group(1),
                                    "message": t.ALREADY.format(ref=ref.group(1)), "identity": token_out})
            else:
                reasons = await _reasons(session, user.id, outcome.note)
                reply = Reply(422, {"status": "rejected", "reasons": reasons,
                                    "message": plain(outcome.note or intake_texts.REJECTED_GENERIC),
                                    "identity": token_out})
        if pending is not None:
            log.info("web comment submitted", extra={"comment_id": pending, "article_id": article.id})
            self.deps.events.emit("comment_pending", pending)
        return reply

    def _too_many(self, note: str | None) -> int | None:
        """Seconds to wait (at most) when ``note`` refuses for too many comments; None otherwise."""
        which = refusals.kind(note) if note else refusals.OTHER
        if which == refusals.RATE_LIMIT:
            return self.deps.settings.rate_limit_window_seconds
        if which == refusals.SLOWED:
            return self.deps.settings.surge_slow_minutes * 60
        return None


async def _reasons(session: AsyncSession, user_id: int, note: str | None) -> list[str]:
    """The codes of a refusal: the checks' (of the comment just stored), else what refused it."""
    which = refusals.kind(note) if note else refusals.OTHER
    if which == refusals.CLOSED:
        return ["closed"]
    if which != refusals.CHECKS:
        return ["policy"]  # no comment was stored: the newest one's checks are not this refusal's
    checks = await repo.latest_checks(session, user_id)
    reasons = [r.get("code", "") for r in checks.get("reasons", []) if r.get("action") == "reject"]
    return list(dict.fromkeys(r for r in reasons if r)) or ["policy"]


def _open(article: Article, deps: Deps) -> bool:
    """Whether the box takes comments: the post reached the channel, and neither /close nor the clock closed it."""
    return article.delivery_state != "failed" and article_open(article, deps.settings, deps.clock())


def _link_variants(link: str) -> list[str]:
    """The page URL as given, without its fragment, with and without a trailing slash."""
    link = link.strip()[:2000]
    if not link.startswith(("http://", "https://")) or any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in link):
        return []  # not a page address (and PostgreSQL refuses NUL in text)
    base = link.split("#", 1)[0]
    out = {link, base, base.rstrip("/"), base.rstrip("/") + "/"}
    return sorted(v for v in out if v)
