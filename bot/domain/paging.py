"""Article-view paging and quoting helpers (pure)."""

from __future__ import annotations

from dataclasses import dataclass

PER_PAGE = 5
QUOTE_CHARS = 120
COMMENT_CHARS = 500


@dataclass(frozen=True, slots=True)
class Page:
    """Which slice of an article's approved comments one view shows."""

    number: int  # 0-based, clamped into range
    count: int  # how many pages there are (at least 1)
    offset: int
    limit: int

    @property
    def has_prev(self) -> bool:
        """A page before this one exists."""
        return self.number > 0

    @property
    def has_next(self) -> bool:
        """A page after this one exists."""
        return self.number + 1 < self.count


def page_of(total: int, requested: int, per_page: int = PER_PAGE) -> Page:
    """The page to show for ``requested`` among ``total`` comments (out-of-range → nearest)."""
    count = max(1, -(-max(total, 0) // per_page))
    number = min(max(requested, 0), count - 1)
    return Page(number, count, number * per_page, per_page)


def units(text: str) -> int:
    """The length of ``text`` as Telegram counts it, in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def trim(text: str, limit: int = QUOTE_CHARS) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` UTF-16 units plus «…»: Telegram's
    limits count units, and while a Persian letter is one, most emoji are two (five comments of 500
    emoji would not fit a message counted in characters)."""
    flat = " ".join(text.split())
    if units(flat) <= limit:
        return flat
    cut = flat[:limit]
    while (excess := units(cut) - limit) > 0:
        cut = cut[: len(cut) - (excess + 1) // 2]  # each character is one unit or two
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"
