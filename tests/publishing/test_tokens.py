"""Article tokens: safe in deep links and on an operator's command line."""

from __future__ import annotations

import re

from bot.publishing.articles import new_token


def test_article_tokens_never_start_with_a_dash_and_stay_url_safe() -> None:
    # One in 64 random tokens would start with «-» (then `khabar export --article TOKEN` reads it as an option).
    tokens = [new_token() for _ in range(5000)]
    assert not [t for t in tokens if t.startswith("-")]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{12}", t) for t in tokens)
    assert len(set(tokens)) == len(tokens)
