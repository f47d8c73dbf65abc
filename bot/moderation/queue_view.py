"""The batch view used in surges: one message listing pending comments, paged, each with buttons (pure)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.callbacks import Action, encode
from bot.domain.screen import Button, Keyboard
from bot.jalali import fa_digits, format_short
from bot.moderation.card import CardView, article_title_html, clip
from bot.texts import moderation as t

PAGE_ITEMS = 5
PAGE_CHARS = 3600  # leaves room for the header under Telegram's 4096
ITEM_TEXT = 1000

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


def render_item(n: int, view: CardView, tz: ZoneInfo) -> str:
    """One comment in the list."""
    warnings = t.QUEUE_ITEM_WARNINGS.format(warnings="، ".join(view.warnings)) if view.warnings else ""
    return t.QUEUE_ITEM.format(
        n=fa_digits(n),
        title=article_title_html(view.article_title, view.article_link, 80),
        author=f"{t.SOURCE_WEB} · {view.author.label()}" if view.via == "web"
        else view.author.label() + f" · <code>{view.author.user_id}</code>",
        approved=fa_digits(view.author.approved),
        rejected=fa_digits(view.author.rejected),
        reply=t.QUEUE_ITEM_REPLY if view.parent_text is not None else "",
        text=html.escape(clip(view.text, ITEM_TEXT)),
        warnings=warnings,
        time=format_short(view.created_at, tz),
    )


def paginate(views: Sequence[CardView], tz: ZoneInfo) -> list[list[CardView]]:
    """Split the queue into pages of at most PAGE_ITEMS comments and PAGE_CHARS characters."""
    pages: list[list[CardView]] = []
    current: list[CardView] = []
    size = 0
    for view in views:
        length = len(render_item(len(current) + 1, view, tz)) + 2
        if current and (len(current) >= PAGE_ITEMS or size + length > PAGE_CHARS):
            pages.append(current)
            current, size = [], 0
        current.append(view)
        size += length
    if current:
        pages.append(current)
    return pages


def clamp_page(page: int, pages: int) -> int:
    """A page index that exists (0 when there are none)."""
    return max(0, min(page, pages - 1)) if pages else 0


def render_page(pages: Sequence[Sequence[CardView]], page: int, tz: ZoneInfo) -> tuple[str, Keyboard]:
    """The queue message for ``page``: header, the page's comments, per-comment buttons, paging."""
    total = sum(len(p) for p in pages)
    if not total:
        return t.QUEUE_EMPTY, ()
    page = clamp_page(page, len(pages))
    items = pages[page]
    header = t.QUEUE_HEADER.format(
        count=fa_digits(total), page=fa_digits(page + 1), pages=fa_digits(len(pages))
    )
    body = "\n\n".join(render_item(i + 1, v, tz) for i, v in enumerate(items))
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
    if page + 1 < len(pages):
        nav.append(Button(t.BUTTON_NEXT, callback_data=encode(Action.QUEUE_PAGE, page + 1)))
    if nav:
        rows.append(tuple(nav))
    return f"{header}\n{t.QUEUE_NOTE}\n\n{body}", tuple(rows)


def item_number(pages: Sequence[Sequence[CardView]], page: int, comment_id: int) -> int | None:
    """The 1-based number of a comment on ``page`` (for labelling its menus), or None."""
    if not pages:
        return None
    for i, view in enumerate(pages[clamp_page(page, len(pages))]):
        if view.comment_id == comment_id:
            return i + 1
    return None
