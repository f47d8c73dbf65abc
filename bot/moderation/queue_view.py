"""The batch view used in surges: one message listing pending comments, paged, each with buttons (pure)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.callbacks import Action, encode
from bot.domain.screen import Button, Keyboard
from bot.jalali import fa_digits, format_short
from bot.moderation.card import CardView, article_title_html, clip
from bot.publishing.post_format import utf16_len
from bot.texts import moderation as t

PAGE_ITEMS = 5
PAGE_CHARS = 3600  # leaves room for the header under Telegram's 4096
ITEM_TEXT = 1000  # a comment's text in the list at most; shorter when a page's long texts would not fit
MIN_ITEM_TEXT = 120

# Telegram lets a bot send about 20 messages a minute into one group, edits included. Cards use at
# most CARDS_PER_MINUTE of them; beyond that comments go to the queue view, whose automatic refreshes
# come at most every REFRESH_SECONDS — which leaves room for moderators' own menus and page turns.
CARDS_PER_MINUTE = 8
REFRESH_SECONDS = 10


def cards_to_send(backlog: int, cards_last_minute: int, *, view_open: bool) -> int:
    """How many of ``backlog`` new pending comments get their own card; the rest go to the queue view.

    While a queue view is open every new comment joins it; otherwise cards are sent only if all of
    the backlog fits in this minute's card budget (a surge goes to the queue as a whole).
    """
    if view_open or backlog <= 0:
        return 0
    return backlog if backlog <= CARDS_PER_MINUTE - cards_last_minute else 0


def render_item(n: int, view: CardView, tz: ZoneInfo, text_limit: int = ITEM_TEXT) -> str:
    """One comment in the list, its text cut to ``text_limit`` characters."""
    warnings = t.QUEUE_ITEM_WARNINGS.format(warnings="، ".join(view.warnings)) if view.warnings else ""
    return t.QUEUE_ITEM.format(
        n=fa_digits(n),
        title=article_title_html(view.article_title, view.article_link, 80),
        author=f"{t.SOURCE_WEB} · {view.author.label()}" if view.via == "web"
        else view.author.label() + f" · <code>{view.author.user_id}</code>",
        approved=fa_digits(view.author.approved),
        rejected=fa_digits(view.author.rejected),
        reply=t.QUEUE_ITEM_REPLY if view.parent_text is not None else "",
        text=html.escape(clip(view.text, text_limit)),
        warnings=warnings,
        time=format_short(view.created_at, tz),
    )


def clamp_page(page: int, pages: int) -> int:
    """A page index that exists (0 when there are none)."""
    return max(0, min(page, pages - 1)) if pages else 0


def page_count(total: int) -> int:
    """How many pages a list of ``total`` comments has (at least 1): PAGE_ITEMS comments a page.

    Every page but the last holds PAGE_ITEMS comments, so a page is found by its number alone and only
    its own comments are read and rendered (a surge's list has thousands)."""
    return max(1, -(-max(total, 0) // PAGE_ITEMS))


def page_offset(page: int) -> int:
    """Where ``page`` (already clamped) starts in the list."""
    return max(page, 0) * PAGE_ITEMS


def render_items(items: Sequence[CardView], tz: ZoneInfo) -> str:
    """A page's comments, within PAGE_CHARS UTF-16 units (as Telegram counts; the HTML's tags counted too,
    so the visible text is shorter still): when long texts would not fit, each text is cut shorter
    (a quarter at a time) until they do — a page always shows its PAGE_ITEMS comments."""
    limit = ITEM_TEXT
    while True:
        body = "\n\n".join(render_item(i + 1, v, tz, limit) for i, v in enumerate(items))
        if utf16_len(body) <= PAGE_CHARS or limit <= MIN_ITEM_TEXT:
            return body
        limit = max(MIN_ITEM_TEXT, limit * 3 // 4)


def render_page(items: Sequence[CardView], page: int, total: int, tz: ZoneInfo) -> tuple[str, Keyboard]:
    """The queue message for ``page`` of a list of ``total`` comments, ``items`` being that page's own:
    header, the page's comments, per-comment buttons, paging."""
    if not total or not items:
        return t.QUEUE_EMPTY, ()
    pages = page_count(total)
    page = clamp_page(page, pages)
    header = t.QUEUE_HEADER.format(count=fa_digits(total), page=fa_digits(page + 1), pages=fa_digits(pages))
    body = render_items(items, tz)
    rows: list[tuple[Button, ...]] = []
    for i, view in enumerate(items):
        n = fa_digits(i + 1)
        rows.append((
            Button(t.BUTTON_ITEM_APPROVE.format(n=n), callback_data=encode(Action.APPROVE, view.comment_id)),
            Button(t.BUTTON_ITEM_REJECT.format(n=n), callback_data=encode(Action.REJECT_MENU, view.comment_id)),
            Button(t.BUTTON_ITEM_BAN.format(n=n), callback_data=encode(Action.BAN_MENU, view.comment_id)),
        ))
    nav: list[Button] = []
    if page > 0:
        nav.append(Button(t.BUTTON_PREV, callback_data=encode(Action.QUEUE_PAGE, page - 1)))
    if page + 1 < pages:
        nav.append(Button(t.BUTTON_NEXT, callback_data=encode(Action.QUEUE_PAGE, page + 1)))
    if nav:
        rows.append(tuple(nav))
    return f"{header}\n{t.QUEUE_NOTE}\n\n{body}", tuple(rows)
