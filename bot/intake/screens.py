"""What the reader sees: texts and inline keyboards built from rows (every value escaped here)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.helpers import create_deep_linked_url, escape

from bot.callbacks import Action, encode, parse
from bot.intake import captcha as captcha_domain
from bot.intake.paging import COMMENT_CHARS, Page, trim
from bot.intake.payload import LinkKind, make_payload, parse_payload
from bot.jalali import fa_digits, format_datetime, format_short
from bot.texts import intake as t
from bot.texts import tools as tools_text
from storage.models import Article, Comment, User

TITLE_CHARS = 200


@dataclass(frozen=True, slots=True)
class Screen:
    """One message: HTML text and an optional keyboard."""

    text: str
    markup: InlineKeyboardMarkup | None = None


@dataclass(frozen=True, slots=True)
class Shown:
    """What a bot message shows, read back from its buttons' callback data."""

    article_id: int | None = None
    comment_id: int | None = None
    captcha_id: int | None = None


def what_it_shows(callback_datas: list[str]) -> Shown:
    """An article (it has «ثبت نظر»), one comment (a single «پاسخ»), or a captcha."""
    article = captcha = None
    replies: list[int] = []
    for data in callback_datas:
        press = parse(data)
        if press is None:
            continue
        if press.action is Action.WRITE:
            article = press.args[0]
        elif press.action is Action.REPLY:
            replies.append(press.args[0])
        elif press.action is Action.CAPTCHA:
            captcha = press.args[0]
    comment = replies[0] if article is None and len(replies) == 1 else None
    return Shown(article, comment, captcha)


def title_of(article: Article) -> str:
    """The article's title, trimmed and escaped."""
    return escape(trim(article.title, TITLE_CHARS))


def article_view(
    article: Article, comments: list[Comment], names: dict[int, User], page: Page, total: int, tz: ZoneInfo,
    *, closed: bool = False, closes_at: str | None = None,
) -> Screen:
    """Title, Jalali date, one page of approved comments (newest first) and the buttons."""
    parts = [t.ARTICLE_HEAD.format(title=title_of(article), date=format_datetime(article.published_at, tz))]
    rows: list[list[InlineKeyboardButton]] = []
    if not comments:
        parts.append(t.NO_COMMENTS)
    else:
        parts.append(t.COMMENTS_HEAD.format(total=fa_digits(total), page=fa_digits(page.number + 1),
                                            pages=fa_digits(page.count)))
        replies: list[InlineKeyboardButton] = []
        for n, comment in enumerate(comments, start=page.offset + 1):
            user = names.get(comment.author_id)
            author = escape(trim(user.display_name, 60)) if user and user.display_name else t.ANONYMOUS
            when = comment.published_at or comment.decided_at or comment.created_at
            mark = t.COMMENT_REPLY_MARK if comment.parent_id else ""
            parts.append(t.COMMENT_ITEM.format(n=fa_digits(n), author=author, date=format_short(when, tz),
                                               text=mark + escape(trim(comment.text, COMMENT_CHARS))))
            replies.append(InlineKeyboardButton(t.BUTTON_REPLY.format(n=fa_digits(n)),
                                                callback_data=encode(Action.REPLY, comment.id)))
        if not closed:  # a closed article takes no replies either (issue 18)
            rows.extend(replies[i : i + 3] for i in range(0, len(replies), 3))
    if closed:
        parts.append(tools_text.CLOSED_NOTE)
    else:
        if closes_at is not None:
            parts.append(tools_text.CLOSES_AT.format(time=closes_at))
        parts.append(t.WRITE_HINT)
        rows.append([InlineKeyboardButton(t.BUTTON_WRITE, callback_data=encode(Action.WRITE, article.id))])
    paging: list[InlineKeyboardButton] = []
    if page.has_prev:
        paging.append(InlineKeyboardButton(t.BUTTON_PREV, callback_data=encode(Action.PAGE, article.id,
                                                                              page.number - 1)))
    if page.has_next:
        paging.append(InlineKeyboardButton(t.BUTTON_NEXT, callback_data=encode(Action.PAGE, article.id,
                                                                              page.number + 1)))
    if paging:
        rows.append(paging)
    return Screen("\n\n".join(parts), InlineKeyboardMarkup(rows) if rows else None)


def cancel_markup() -> InlineKeyboardMarkup:
    """The one «انصراف» button under a draft prompt."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(t.BUTTON_CANCEL, callback_data=encode(Action.CANCEL))]])


def write_prompt(article: Article) -> Screen:
    """«write your comment on …» with a cancel button."""
    return Screen(t.WRITE_PROMPT.format(title=title_of(article)), cancel_markup())


def reply_prompt(parent: Comment) -> Screen:
    """«شما در حال ارسال پاسخ به نظر «…» هستید» with the parent quoted (trimmed) and cancel."""
    return Screen(t.REPLY_PROMPT.format(quote=escape(trim(parent.text))), cancel_markup())


def latest(articles: list[Article], bot_username: str, head: str) -> Screen:
    """An explanation plus the newest articles as deep-link buttons."""
    if not articles:
        return Screen(f"{head}\n\n{t.NO_ARTICLES}")
    rows = [
        [InlineKeyboardButton(trim(a.title, 60),
                              url=create_deep_linked_url(bot_username, make_payload(LinkKind.ARTICLE, a.token)))]
        for a in articles
        if parse_payload(f"{LinkKind.ARTICLE.value}-{a.token}")
    ]
    return Screen(f"{head}\n\n{t.LATEST_HEAD}", InlineKeyboardMarkup(rows))


def captcha_screen(
    captcha_id: int, generation: int, a: int, b: int, options: list[int], title: str, minutes: int, *,
    wrong_tries: int | None = None,
) -> Screen:
    """The question and its four answer buttons (ids only in the callback data)."""
    text = t.CAPTCHA.format(title=escape(trim(title, 80)), question=captcha_domain.render(a, b),
                            minutes=fa_digits(minutes))
    if wrong_tries is not None:
        text = t.CAPTCHA_WRONG.format(tries=fa_digits(wrong_tries)) + text
    buttons = [
        InlineKeyboardButton(captcha_domain.label(value), callback_data=encode(Action.CAPTCHA, captcha_id,
                                                                               generation, index))
        for index, value in enumerate(options)
    ]
    return Screen(text, InlineKeyboardMarkup([buttons[:2], buttons[2:]]))


def continue_markup(bot_username: str, comment_token: str) -> InlineKeyboardMarkup:
    """The group note's deep-link button that continues a comment in private."""
    url = create_deep_linked_url(bot_username, make_payload(LinkKind.CONTINUE, comment_token))
    return InlineKeyboardMarkup([[InlineKeyboardButton(t.GROUP_BUTTON, url=url)]])


def my_comments(rows: list[tuple[Comment, str]], tz: ZoneInfo) -> Screen:
    """The author's recent comments with status and Jalali date."""
    if not rows:
        return Screen(t.MY_EMPTY)
    items = [
        t.MY_ITEM.format(n=fa_digits(n), status=t.STATUS.get(c.status, c.status),
                         date=format_short(c.created_at, tz), text=escape(trim(c.text, 100)),
                         title=escape(trim(title, 60)), ref=escape(c.token))
        for n, (c, title) in enumerate(rows, start=1)
    ]
    return Screen("\n\n".join([t.MY_HEAD, *items]))
