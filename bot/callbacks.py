"""Callback data on the wire: versioned, short, ids only, parsed in this one module."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

VERSION = "v1"
MAX_BYTES = 64
MAX_ID = 2**53


class Action(StrEnum):
    """What a button asks for; the two-letter code is what travels."""

    CAPTCHA = "cp"  # captcha_id, generation, option index
    APPROVE = "ap"  # comment_id
    REJECT_MENU = "rj"  # comment_id
    REJECT = "rr"  # comment_id, reason index
    BAN_MENU = "bn"  # comment_id
    BAN = "bd"  # comment_id, duration index
    BACK = "bk"  # comment_id (back to the card's main buttons)
    UNDO = "un"  # comment_id
    PAGE = "pg"  # article_id, page
    WRITE = "wr"  # article_id
    REPLY = "rp"  # comment_id
    CANCEL = "xx"  # (no ids): cancel the draft
    QUEUE_PAGE = "qp"  # page of the moderators' batch view
    PURGE = "pr"  # user_id: remove all of this author's published comments (issue 18)
    FIGURES = "af"  # comment_id: its article's figures, from a card (issue 18)
    REPORT_MENU = "rm"  # article_id, page: which comment of this page to report (issue 18)
    REPORT_PICK = "rc"  # comment_id, page: why report it
    REPORT = "rs"  # comment_id, reason index, page: the report itself
    REPORT_KEEP = "rk"  # review_id: a reported comment stays
    REPORT_REMOVE = "rx"  # review_id: a reported comment is taken down
    PENALTY_UNDO = "pu"  # penalty audit row id: lift an automatic penalty (issue 18)


ARITY: dict[Action, int] = {
    Action.CAPTCHA: 3,
    Action.APPROVE: 1,
    Action.REJECT_MENU: 1,
    Action.REJECT: 2,
    Action.BAN_MENU: 1,
    Action.BAN: 2,
    Action.BACK: 1,
    Action.UNDO: 1,
    Action.PAGE: 2,
    Action.WRITE: 1,
    Action.REPLY: 1,
    Action.CANCEL: 0,
    Action.QUEUE_PAGE: 1,
    Action.PURGE: 1,
    Action.FIGURES: 1,
    Action.REPORT_MENU: 2,
    Action.REPORT_PICK: 2,
    Action.REPORT: 3,
    Action.REPORT_KEEP: 1,
    Action.REPORT_REMOVE: 1,
    Action.PENALTY_UNDO: 1,
}
# Actions whose ids may be negative: user ids, which are negative for website authors. Every other id
# (comments, articles, pages, …) is not, and a negative one is forged.
SIGNED = frozenset({Action.PURGE})


def _allowed(action: Action, value: int) -> bool:
    """Whether ``value`` is an id ``action`` can carry: below 2**53 in absolute value, negative only if SIGNED."""
    return (value > -MAX_ID if action in SIGNED else value >= 0) and value < MAX_ID


@dataclass(frozen=True, slots=True)
class Callback:
    """A parsed button press: an action and its integer arguments."""

    action: Action
    args: tuple[int, ...] = ()

    def encode(self) -> str:
        """The wire form, e.g. ``v1:ap:1234``."""
        if len(self.args) != ARITY[self.action]:
            raise ValueError(f"{self.action.name} takes {ARITY[self.action]} ids")
        if not all(_allowed(self.action, a) for a in self.args):
            raise ValueError(f"{self.action.name}: an id parse would refuse ({self.args})")
        data = ":".join([VERSION, self.action.value, *(str(a) for a in self.args)])
        if len(data.encode()) > MAX_BYTES:
            raise ValueError("callback data longer than 64 bytes")
        return data


def encode(action: Action, *args: int) -> str:
    """Shorthand for ``Callback(action, args).encode()``."""
    return Callback(action, tuple(args)).encode()


def parse(data: str | None) -> Callback | None:
    """The press behind ``data``, or None for anything forged, stale-versioned or malformed."""
    if not data or len(data.encode("utf-8", "replace")) > MAX_BYTES:
        return None
    parts = data.split(":")
    if len(parts) < 2 or parts[0] != VERSION:
        return None
    try:
        action = Action(parts[1])
    except ValueError:
        return None
    raw = parts[2:]
    if len(raw) != ARITY[action]:
        return None
    args: list[int] = []
    for part in raw:
        digits = part[1:] if part.startswith("-") else part  # website authors' ids are negative
        if not digits.isascii() or not digits.isdigit() or len(digits) > 16:
            return None
        value = int(part)
        if not _allowed(action, value) or str(value) != part:  # only the form encode writes ("-0", "007" are not)
            return None
        args.append(value)
    return Callback(action, tuple(args))
