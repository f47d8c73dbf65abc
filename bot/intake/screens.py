"""What the reader sees: texts and keyboards (plain data, bot/domain/screen.py) built from rows (every value
escaped here)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from telegram.helpers import create_deep_linked_url, escape

from bot.callbacks import Action, encode, parse
from bot.domain import captcha as captcha_domain
from bot.domain.paging import COMMENT_CHARS, Page, trim
from bot.domain.payload import LinkKind, make_payload, parse_payload
from bot.domain.screen import Button, Keyboard, Screen, grid
from bot.intake.wording import fa_number, tries
from bot.jalali import fa_digits, format_datetime, format_short
from bot.texts import intake as t
from bot.texts import tools as tools_text
from storage.models import Article, Comment, User

TITLE_CHARS = 200
EXCERPT_CHARS = 100


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


@dataclass(frozen=True, slots=True)
class ParentRef:
    """Whom a reply in the article view answers: the parent's stable number (None: not shown) and name."""

    number: int | None
    name: str


def author_name(user: User | None) -> str:
    """A reader's display name, trimmed and escaped (or «خواننده»)."""
    return escape(trim(user.display_name, 60)) if user and user.display_name else t.ANONYMOUS


def article_view(
    article: Article, comments: list[Comment], names: dict[int, User], page: Page, total: int, tz: ZoneInfo,
    parents: dict[int, ParentRef] | None = None, writing_limit: int | None = None,
    *, closed: bool = False, closes_at: str | None = None,
) -> Screen:
    """Title, Jalali date, one page of approved comments (oldest first, stable numbers), whether the
    reader is writing on it (``writing_limit`` set: their next text is a comment), and the buttons."""
    parents = parents or {}
    parts = [t.ARTICLE_HEAD.format(title=title_of(article), date=format_datetime(article.published_at, tz))]
    lines: list[list[Button]] = []
    if not comments:
        parts.append(t.NO_COMMENTS)
    else:
        parts.append(t.COMMENTS_HEAD.format(total=fa_digits(total), page=fa_digits(page.number + 1),
                                            pages=fa_digits(page.count)))
        replies: list[Button] = []
        for n, comment in enumerate(comments, start=page.offset + 1):
            when = comment.published_at or comment.decided_at or comment.created_at
            mark = ""
            ref = parents.get(comment.parent_id) if comment.parent_id else None
            if ref is not None:
                mark = (t.COMMENT_REPLY_TO.format(n=fa_digits(ref.number), name=ref.name) if ref.number
                        else t.COMMENT_REPLY_TO_GONE.format(name=ref.name))
            parts.append(t.COMMENT_ITEM.format(n=fa_digits(n), author=author_name(names.get(comment.author_id)),
                                               date=format_short(when, tz),
                                               text=mark + escape(trim(comment.text, COMMENT_CHARS))))
            replies.append(Button(t.BUTTON_REPLY.format(n=fa_digits(n)), callback_data=encode(Action.REPLY, comment.id)))
        if not closed:  # a closed article takes no replies either (issue 18)
            lines.extend(replies[i : i + 3] for i in range(0, len(replies), 3))
    if closed:
        parts.append(tools_text.CLOSED_NOTE)
    else:
        if closes_at is not None:
            parts.append(tools_text.CLOSES_AT.format(time=closes_at))
        # Whether the reader's next text is a comment on this article, said where they look.
        parts.append(t.VIEW_WRITING.format(limit=fa_number(writing_limit)) if writing_limit else t.VIEW_NOT_WRITING)
        lines.append([Button(t.BUTTON_WRITE, callback_data=encode(Action.WRITE, article.id))])
    if comments:  # readers report a published comment, closed article or not (issue 18)
        report = Button(tools_text.BUTTON_REPORT, callback_data=encode(Action.REPORT_MENU, article.id, page.number))
        if closed:
            lines.append([report])
        else:
            lines[-1].append(report)
    paging: list[Button] = []
    if page.has_prev:
        paging.append(Button(t.BUTTON_PREV, callback_data=encode(Action.PAGE, article.id, page.number - 1)))
    if page.has_next:
        paging.append(Button(t.BUTTON_NEXT, callback_data=encode(Action.PAGE, article.id, page.number + 1)))
    if paging:
        lines.append(paging)
    return Screen("\n\n".join(parts), tuple(tuple(line) for line in lines))


def start_url(bot_username: str, payload: str) -> str:
    """The deep link that opens the private chat with the bot on ``/start <payload>`` (PTB's helper: a
    ValueError for a payload Telegram would not take)."""
    return create_deep_linked_url(bot_username, payload)


def cancel_keyboard() -> Keyboard:
    """The one «انصراف» button under a writing prompt."""
    return ((Button(t.BUTTON_CANCEL, callback_data=encode(Action.CANCEL)),),)


def write_prompt(article: Article, limit: int) -> Screen:
    """«write your comment on … (at most n characters)» with a cancel button."""
    return Screen(t.WRITE_PROMPT.format(title=title_of(article), limit=fa_number(limit)), cancel_keyboard())


def reply_prompt(parent: Comment, author: User | None, limit: int) -> Screen:
    """«در پاسخ به نظر {name}: «…»» with the parent quoted (trimmed) and cancel."""
    return Screen(t.REPLY_PROMPT.format(name=author_name(author), quote=escape(trim(parent.text)),
                                        limit=fa_number(limit)), cancel_keyboard())


def latest(articles: list[Article], bot_username: str, head: str) -> Screen:
    """An explanation plus the newest articles as deep-link buttons."""
    if not articles:
        return Screen(f"{head}\n\n{t.NO_ARTICLES}")
    keyboard = tuple(
        (Button(trim(a.title, 60), url=start_url(bot_username, make_payload(LinkKind.ARTICLE, a.token))),)
        for a in articles
        if parse_payload(f"{LinkKind.ARTICLE.value}-{a.token}")
    )
    return Screen(f"{head}\n\n{t.LATEST_HEAD}", keyboard)


def captcha_screen(
    captcha_id: int, generation: int, a: int, b: int, options: list[int], title: str, minutes: int, *,
    excerpt: str = "", wrong_tries: int | None = None,
) -> Screen:
    """The question, the comment it guards (quoted), and — only on captchas made before answers were
    typed — the old answer buttons (ids only in the callback data)."""
    text = t.CAPTCHA.format(title=escape(trim(title, 80)), excerpt=escape(trim(excerpt, EXCERPT_CHARS)),
                            question=captcha_domain.render(a, b), minutes=fa_digits(minutes))
    if wrong_tries is not None:
        text = t.CAPTCHA_WRONG.format(tries=tries(wrong_tries)) + text
    if not options:
        return Screen(text)
    buttons = tuple(
        Button(captcha_domain.label(value), callback_data=encode(Action.CAPTCHA, captcha_id, generation, index))
        for index, value in enumerate(options)
    )
    return Screen(text, (buttons[:2], buttons[2:]))


def write_again(text: str, article_id: int, parent_id: int | None) -> Screen:
    """A failed or expired captcha's note, with a button that opens writing again (same article/parent)."""
    data = encode(Action.REPLY, parent_id) if parent_id else encode(Action.WRITE, article_id)
    return Screen(text, ((Button(t.BUTTON_WRITE_AGAIN, callback_data=data),),))


def continue_url(bot_username: str, comment_token: str) -> str:
    """The deep link that shows an unfinished comment's captcha in private."""
    return start_url(bot_username, make_payload(LinkKind.CONTINUE, comment_token))


def continue_keyboard(bot_username: str, comment_token: str) -> Keyboard:
    """The group note's deep-link button that continues a comment in private."""
    return ((Button(t.GROUP_BUTTON, url=continue_url(bot_username, comment_token)),),)


def my_comments(rows: list[tuple[Comment, str]], tz: ZoneInfo, bot_username: str, open_ids: set[int]) -> Screen:
    """The author's recent comments with status and Jalali date; unfinished ones get a «تکمیل» button."""
    if not rows:
        return Screen(t.MY_EMPTY)
    items: list[str] = []
    buttons: list[Button] = []
    for n, (c, title) in enumerate(rows, start=1):
        status = t.STATUS.get(c.status, c.status)
        if c.status == "awaiting_captcha" and c.id not in open_ids:
            status = t.STATUS["expired"]
        items.append(t.MY_ITEM.format(n=fa_digits(n), status=status, date=format_short(c.created_at, tz),
                                      text=escape(trim(c.text, 100)), title=escape(trim(title, 60)),
                                      ref=escape(c.token)))
        if c.id in open_ids:
            buttons.append(Button(t.BUTTON_CONTINUE_N.format(n=fa_digits(n)), url=continue_url(bot_username, c.token)))
    return Screen("\n\n".join([t.MY_HEAD, *items]), grid(buttons, 2))


def unfinished(rows: list[tuple[Comment, str]], bot_username: str) -> Screen | None:
    """/start's note about comments still waiting for their captcha (None: there are none)."""
    if not rows:
        return None
    if len(rows) == 1:
        comment, title = rows[0]
        text = t.UNFINISHED.format(title=escape(trim(title, 80)), text=escape(trim(comment.text, EXCERPT_CHARS)))
        buttons = [Button(t.BUTTON_CONTINUE, url=continue_url(bot_username, comment.token))]
    else:
        text = t.UNFINISHED_MANY.format(n=fa_digits(len(rows)))
        buttons = [Button(t.BUTTON_CONTINUE_N.format(n=fa_digits(n)), url=continue_url(bot_username, c.token))
                   for n, (c, _) in enumerate(rows, start=1)]
    return Screen(text, grid(buttons, 2))
