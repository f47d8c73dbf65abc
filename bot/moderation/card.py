"""The moderators' card for one pending comment: its text and its buttons (pure)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.callbacks import Action, encode
from bot.checks.learned import Estimate
from bot.domain.screen import Button, Keyboard, grid
from bot.jalali import fa_digits, format_datetime
from bot.moderation.reasons import BAN_DURATIONS, REASONS
from bot.publishing.post_format import utf16_len, visible_text
from bot.texts import moderation as t
from bot.texts import tools as tools_text

MAX_TEXT = 3000
CARD_CHARS = 4000  # the whole card, as Telegram counts it (UTF-16, once the HTML is parsed): under its 4096
MAX_PARENT = 300
MAX_TITLE = 200


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (limits count characters, not bytes)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clip_units(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` UTF-16 units (as Telegram counts) with an ellipsis."""
    excess = utf16_len(text) - limit
    if excess <= 0:
        return text
    cut = text
    while excess > -1 and cut:  # room for the ellipsis; every character is one unit or two
        cut = cut[: len(cut) - max(1, (excess + 1) // 2)]
        excess = utf16_len(cut) - limit
    return cut.rstrip() + "…"


@dataclass(frozen=True, slots=True)
class CardAuthor:
    """What moderators see about a comment's author."""

    user_id: int
    name: str
    username: str | None = None
    approved: int = 0
    rejected: int = 0

    def label(self) -> str:
        """«name (@username)», escaped."""
        handle = f" (@{html.escape(self.username)})" if self.username else ""
        return f"{html.escape(clip(self.name or str(self.user_id), 64))}{handle}"


@dataclass(frozen=True, slots=True)
class CardDecision:
    """A decision to show on a decided card."""

    kind: str  # approve | reject | ban | undo
    who: str  # moderator's display name ("" for automatic)
    at: datetime
    reason_label: str = ""
    duration_label: str = ""
    auto: bool = False


@dataclass(frozen=True, slots=True)
class CardView:
    """Everything a card shows about one comment."""

    comment_id: int
    token: str
    text: str
    created_at: datetime
    article_title: str
    article_link: str | None
    author: CardAuthor
    parent_author: str | None = None
    parent_text: str | None = None
    warnings: list[str] = field(default_factory=list)
    via: str = "telegram"  # or "web": written on the newsroom's website (no Telegram identity)
    estimate: Estimate | None = None  # the learned model's, when it has learned enough
    penalty: str = ""  # the author's standing on the penalties ladder, rendered (issue 18; "" when none)


def article_title_html(title: str, link: str | None, limit: int = MAX_TITLE) -> str:
    """The article title, escaped, linked when it has a link."""
    title = html.escape(clip(title, limit))
    if link and link.startswith(("http://", "https://")):
        return f'<a href="{html.escape(link, quote=True)}">{title}</a>'
    return f"<b>{title}</b>"


def render_card(view: CardView, tz: ZoneInfo, decision: CardDecision | None = None) -> str:
    """The card's HTML text; with ``decision``, a last line saying what was decided, by whom, when."""
    head = t.CARD_NEW_REPLY if view.parent_text is not None else t.CARD_NEW
    a = view.author
    lines = [
        head.format(token=html.escape(view.token)),
        t.CARD_ARTICLE.format(title=article_title_html(view.article_title, view.article_link)),
        t.CARD_AUTHOR_WEB.format(
            name=html.escape(clip(a.name, 64)), approved=fa_digits(a.approved), rejected=fa_digits(a.rejected)
        )
        if view.via == "web"
        else t.CARD_AUTHOR.format(
            name=html.escape(clip(a.name or str(a.user_id), 64)),
            username=f" (@{html.escape(a.username)})" if a.username else "",
            user_id=a.user_id,
            approved=fa_digits(a.approved),
            rejected=fa_digits(a.rejected),
        ),
    ]
    if view.parent_text is not None:
        lines.append(
            t.CARD_PARENT.format(
                name=html.escape(clip(view.parent_author or "—", 64)),
                text=html.escape(clip(view.parent_text, MAX_PARENT)),
            )
        )
    text = clip(view.text, MAX_TEXT)
    text_at = len(lines)
    lines.append("")  # the comment: filled in last, with what the rest of the card leaves of CARD_CHARS
    if view.warnings:
        lines.append(t.CARD_WARNINGS.format(warnings="، ".join(view.warnings)))
    if view.estimate is not None:
        lines.append(estimate_line(view.estimate))
    if view.penalty:
        lines.append(view.penalty)
    lines.append(t.CARD_TIME.format(time=format_datetime(view.created_at, tz)))
    if decision is not None:
        lines.append("")
        lines.append(decision_line(decision, tz))
    frame = t.CARD_TEXT.format(text="")
    rest = utf16_len("\n".join(lines)) + utf16_len(frame)  # the markup: never shorter than what it shows
    if rest + utf16_len(text) > CARD_CHARS:
        rest = utf16_len(visible_text("\n".join(lines))) + utf16_len(visible_text(frame))
        text = clip_units(text, max(CARD_CHARS - rest, 0))
    lines[text_at] = t.CARD_TEXT.format(text=html.escape(text))
    return "\n".join(lines)


def estimate_line(estimate: Estimate) -> str:
    """«🤖 احتمال رد: ۸۵٪ · به خاطر «احمق»، «خفه»»."""
    percent = fa_digits(estimate.percent())
    if not estimate.words:
        return t.CARD_ESTIMATE.format(percent=percent)
    words = "، ".join(f"«{html.escape(clip(w, 40))}»" for w in estimate.words)
    return t.CARD_ESTIMATE_WORDS.format(percent=percent, words=words)


def decision_line(decision: CardDecision, tz: ZoneInfo) -> str:
    """«✅ منتشر شد · مدیر یک · پنج‌شنبه …»."""
    when = format_datetime(decision.at, tz)
    who = html.escape(clip(decision.who, 64))
    if decision.kind == "approve":
        if decision.auto:
            return t.CARD_APPROVED_AUTO.format(time=when)
        return t.CARD_APPROVED.format(who=who, time=when)
    if decision.kind == "reject":
        return t.CARD_REJECTED.format(reason=decision.reason_label, who=who, time=when)
    if decision.kind == "ban":
        return t.CARD_BANNED.format(duration=decision.duration_label, who=who, time=when)
    return t.CARD_REOPENED.format(who=who, time=when)


def main_keyboard(comment_id: int) -> Keyboard:
    """Approve, reject (→ reasons), ban (→ durations); the article's figures (issue 18)."""
    return (
        (Button(t.BUTTON_APPROVE, callback_data=encode(Action.APPROVE, comment_id)),),
        (Button(t.BUTTON_REJECT, callback_data=encode(Action.REJECT_MENU, comment_id)),
         Button(t.BUTTON_BAN, callback_data=encode(Action.BAN_MENU, comment_id))),
        (Button(tools_text.BUTTON_FIGURES, callback_data=encode(Action.FIGURES, comment_id)),),
    )


def _back(comment_id: int) -> tuple[Button, ...]:
    return (Button(t.BUTTON_BACK, callback_data=encode(Action.BACK, comment_id)),)


def reasons_keyboard(comment_id: int, prefix: str = "") -> Keyboard:
    """One button per rejection reason (three a row) and a way back."""
    buttons = [Button(f"{prefix}{t.BUTTON_REASON.format(label=r.label)}", callback_data=encode(Action.REJECT, comment_id, i))
               for i, r in enumerate(REASONS)]
    return (*grid(buttons, 3), _back(comment_id))


def durations_keyboard(comment_id: int, prefix: str = "") -> Keyboard:
    """One button per ban duration (two a row) and a way back."""
    buttons = [Button(f"{prefix}{t.BUTTON_DURATION.format(label=d.label)}", callback_data=encode(Action.BAN, comment_id, i))
               for i, d in enumerate(BAN_DURATIONS)]
    return (*grid(buttons, 2), _back(comment_id))


def decided_keyboard(comment_id: int, *, undo: bool) -> Keyboard:
    """After a decision: only the undo button while the window is open, else nothing."""
    return ((Button(t.BUTTON_UNDO, callback_data=encode(Action.UNDO, comment_id)),),) if undo else ()
