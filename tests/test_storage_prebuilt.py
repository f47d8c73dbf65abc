"""The statements built once with bound parameters (storage/repos/*), at the values that tell them apart
from statements built per call, on SQLite and PostgreSQL: Telegram ids above 2^31 (a parameter typed
narrower than its column fails on asyncpg), NULL where a per-call statement said IS NULL, an empty
expanding NOT IN."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from bot.domain.message_kinds import MessageKind
from storage.db import Database
from storage.models import Article, QueueView, User
from storage.repos import intake, moderation, outbox, users

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
BIG_USER = 5_000_000_000  # Telegram user ids pass 2^31 - 1
BIG_CHAT = -1_001_234_567_890


async def _article(db: Database) -> int:
    async with db.transaction() as s:
        article = Article(token=secrets.token_urlsafe(8), dedupe_key=secrets.token_hex(8), title="خبر")
        s.add(article)
        await s.flush()
        return article.id


async def test_a_user_with_a_big_id_is_created_then_read(db: Database) -> None:
    async with db.transaction() as s:
        made = await users.upsert(s, BIG_USER, display_name="مریم", username=None, now=NOW, started_bot=True)
        assert (made.id, made.display_name, made.started_bot) == (BIG_USER, "مریم", True)
    async with db.transaction() as s:
        again = await users.upsert(s, BIG_USER, display_name="مریم", username=None, now=NOW + timedelta(hours=1))
        assert again.created_at == NOW  # read, not written again
        renamed = await users.upsert(s, BIG_USER, display_name="مریم ر.", username="maryam", now=NOW + timedelta(hours=2))
        assert (renamed.display_name, renamed.username, renamed.created_at) == ("مریم ر.", "maryam", NOW)


async def test_decision_rows_find_an_author_and_a_view_with_big_ids(db: Database) -> None:
    article_id = await _article(db)
    async with db.transaction() as s:
        s.add(User(id=BIG_USER, display_name="نویسنده"))
        view = QueueView(chat_id=BIG_CHAT, message_id=77)
        s.add(view)
        await s.flush()
        view_id = view.id
    async with db.transaction() as s:
        rows = await moderation.decision_rows(s, article_id, BIG_USER, view_id)
        assert rows.article is not None and rows.article.id == article_id
        assert rows.author is not None and rows.author.id == BIG_USER
        assert rows.view is not None and rows.view.id == view_id and rows.view_pending is False
        plain = await moderation.decision_rows(s, article_id, BIG_USER)
        assert plain.author is not None and plain.view is None and plain.view_pending is None


async def test_a_draft_ends_only_for_its_own_article_and_parent(db: Database) -> None:
    article_id = await _article(db)
    async with db.transaction() as s:
        s.add(User(id=BIG_USER, display_name="نویسنده"))
    async with db.transaction() as s:
        await intake.set_draft(s, BIG_USER, article_id, None, NOW + timedelta(minutes=30))
        await intake.end_draft(s, BIG_USER, article_id, 5)  # a reply's draft: not this one (parent IS NULL)
    async with db.transaction() as s:
        user = await s.get(User, BIG_USER, populate_existing=True)
        assert user is not None and user.draft_article_id == article_id and user.draft_expires_at == NOW + timedelta(minutes=30)
        await intake.end_draft(s, BIG_USER, article_id, None)
    async with db.transaction() as s:
        user = await s.get(User, BIG_USER, populate_existing=True)
        assert user is not None and (user.draft_article_id, user.draft_parent_id, user.draft_expires_at) == (None, None, None)


async def test_claims_with_no_chat_excluded_and_with_one(db: Database) -> None:
    async with db.transaction() as s:
        for n, chat in enumerate([BIG_CHAT, BIG_USER, BIG_CHAT]):
            await outbox.enqueue(s, kind=MessageKind.NOTICE, dedupe_key=f"k{n}", chat_key=chat,
                                 payload={"method": "send_message", "chat_id": chat, "text": "x"}, now=NOW)
    async with db.transaction() as s:
        mine = await outbox.claim_due(s, owner="a", now=NOW, lease=timedelta(minutes=1), limit=10,
                                      exclude_chats=[str(BIG_CHAT)])
        assert [r.chat_key for r in mine] == [str(BIG_USER)]
    async with db.transaction() as s:
        rest = await outbox.claim_due(s, owner="b", now=NOW, lease=timedelta(minutes=1), limit=10)
        assert [r.dedupe_key for r in rest] == ["k0", "k2"]
        assert await outbox.mark_sent(s, rest[0].id, "b", 41, NOW)
        assert not await outbox.mark_sent(s, rest[1].id, "a", 42, NOW)  # not a's claim
        assert await outbox.last_message_id(s, str(BIG_CHAT)) == 41


async def test_the_queue_list_loads_no_estimates_and_a_card_does(db: Database) -> None:
    """A queue view's list shows no model estimate, so its refresh reads none (in a surge, estimating
    every pending comment was most of a refresh's CPU); a card still shows its estimate."""
    from bot.checks.learned import MIN_EACH
    from bot.moderation.loading import load_views, queue_views
    from storage.models import Comment
    from storage.repos import learning

    article_id = await _article(db)
    async with db.transaction() as s:
        for n in range(MIN_EACH):
            await learning.teach(s, f"a{n}", f"خبر خوبی بود {n}", rejected=False, reason=None, source="test", now=NOW)
            await learning.teach(s, f"r{n}", f"احمق دلقک {n}", rejected=True, reason="insult", source="test", now=NOW)
        s.add(User(id=BIG_USER, display_name="نویسنده"))
        await s.flush()
        view = QueueView(chat_id=BIG_CHAT, message_id=8)
        s.add(view)
        await s.flush()
        comment = Comment(token="tq1", article_id=article_id, author_id=BIG_USER, text="احمق دلقک",
                          normalized_text="x", status="pending", created_at=NOW, queue_view_id=view.id)
        s.add(comment)
        await s.flush()
        comment_id, view_id = comment.id, view.id
    async with db.transaction() as s:
        pending = [c for c in [await s.get(Comment, comment_id)] if c is not None]
        (listed,) = queue_views(await moderation.queue_rows(s, view_id, 0, 5))
        (carded,) = await load_views(s, pending)
    assert listed.estimate is None and listed.text == carded.text == "احمق دلقک"
    assert carded.estimate is not None and carded.estimate.probability > 0.5


async def test_the_queue_lists_plain_rows_as_the_cards_loader_would(db: Database) -> None:
    """A queue view's list is read as plain rows in one joined read (`queue_rows`); its card views equal
    what `load_views` makes of the same comments as ORM rows: Telegram and website authors, a reply to
    each, a reply whose parent's author has no row, counts, warnings, the time it was sent."""
    from bot.moderation.loading import load_views, queue_views
    from storage.models import Comment

    article_id = await _article(db)
    async with db.transaction() as s:
        s.add_all([User(id=BIG_USER, display_name="مریم", username="maryam", approved_count=3, rejected_count=1),
                   User(id=7, display_name="وب", approved_count=2)])
        view = QueueView(chat_id=BIG_CHAT, message_id=9)
        s.add(view)
        await s.flush()

        def comment(token: str, author: int, **extra: object) -> Comment:
            values: dict[str, object] = {"token": token, "article_id": article_id, "author_id": author,
                                         "text": f"متن {token}", "normalized_text": token, "status": "pending",
                                         "created_at": NOW, "queue_view_id": view.id, **extra}
            return Comment(**values)

        first = comment("t1", BIG_USER, submitted_at=NOW + timedelta(minutes=1),
                        checks={"warnings": ["link"], "flags": ["link"]})
        web = comment("w1", 7, source="web", web_author="خواننده")
        s.add_all([first, web])
        await s.flush()
        s.add_all([comment("r1", 7, parent_id=first.id), comment("r2", BIG_USER, parent_id=web.id, source="web",
                                                                   web_author="")])
        s.add(comment("other", BIG_USER, queue_view_id=None))  # not in the view
        s.add(comment("done", BIG_USER, status="approved"))  # decided: not listed
        view_id = view.id
    async with db.transaction() as s:
        rows = await moderation.queue_rows(s, view_id, 0, 5)
        plain = queue_views(rows)
        # a page of the list: its own rows only, in the same order
        assert [r.token for r in await moderation.queue_rows(s, view_id, 1, 2)] == ["w1", "r1"]
        assert await moderation.queue_rows(s, view_id, 4, 5) == []
        by_id = await moderation.comments_by_ids(s, [r.id for r in rows])
        loaded = await load_views(s, [by_id[r.id] for r in rows])  # no model learned: no estimates
    assert [v.token for v in plain] == ["t1", "w1", "r1", "r2"]
    assert plain == loaded
    assert plain[0].created_at == NOW + timedelta(minutes=1) and plain[0].author.approved == 3
    assert plain[1].via == "web" and plain[1].author.name == "خواننده" and plain[1].author.username is None
    assert plain[2].parent_author == "مریم" and plain[3].parent_author == "خواننده" and plain[3].author.name == "—"


async def test_a_batch_of_outbox_rows_keeps_its_order_and_skips_known_keys(db: Database) -> None:
    """`enqueue_many` sends its rows as executemany parameters of one statement: ids follow the given order
    (a thread reads in the order moderators approved) and a key already recorded is neither written again
    nor reported as recorded."""
    def one(key: str) -> dict[str, object]:
        return outbox.row(kind=MessageKind.NOTICE, dedupe_key=key, chat_key=BIG_CHAT,
                          payload={"method": "send_message", "chat_id": BIG_CHAT, "text": key}, now=NOW)

    async with db.transaction() as s:
        assert await outbox.enqueue(s, kind=MessageKind.NOTICE, dedupe_key="b", chat_key=BIG_CHAT,
                                    payload={"method": "send_message", "chat_id": BIG_CHAT, "text": "b"}, now=NOW)
        assert not await outbox.enqueue(s, kind=MessageKind.NOTICE, dedupe_key="b", chat_key=BIG_CHAT,
                                        payload={"method": "send_message", "chat_id": BIG_CHAT, "text": "again"}, now=NOW)
        assert await outbox.enqueue_many(s, [one(k) for k in ["e", "a", "b", "d", "c"]]) == {"e", "a", "d", "c"}
        assert await outbox.enqueue_many(s, [one("f")]) == {"f"}
    async with db.transaction() as s:
        rows = await outbox.claim_due(s, owner="x", now=NOW, lease=timedelta(minutes=1), limit=10, per_chat=10)
    assert [r.dedupe_key for r in rows] == ["b", "e", "a", "d", "c", "f"]
    assert rows[0].payload["text"] == "b"  # the first intent's payload stays
