"""The run-time word lists applied to the checks' verdict (bot/words.py, pure)."""

from __future__ import annotations

from bot import words
from bot.checks.policy import Policy
from bot.checks.review import review
from bot.checks.spam import AuthorHistory

NONE = AuthorHistory(())


def lists(*rows: tuple[str, str, str]) -> words.WordLists:
    return words.WordLists.of((c, k, words.entry_key(c, k, e)) for c, k, e in rows)


def checked(text: str, given: words.WordLists) -> tuple[str, list[str]]:
    verdict = words.apply(review(text, None, NONE, Policy()), given, Policy())
    return verdict.decision, list(verdict.codes)


def test_a_blocked_phrase_matches_however_it_is_spaced() -> None:
    given = lists(("insult", "block", "نان‌خورِ‌بی‌مصرف"))
    for text in ("مدیر نان خور بی مصرف است", "مدیر نان‌خور بی‌مصرف است", "مدیر نانخوربیمصرف است"):
        assert checked(text, given) == ("review", ["insult"]), text
    assert checked("نان خوردم و مصرف کردم", given) == ("pass", [])


def test_an_allowed_link_lifts_the_refusal_only_when_every_link_is_allowed() -> None:
    given = lists(("spam", "allow", "Example.com"))
    assert "link" not in checked("گزارش در https://example.com/nan آمده است", given)[1]
    decision, codes = checked("گزارش در https://example.com/nan و https://other.org آمده است", given)
    assert decision == "reject" and "link" in codes


def test_an_allowed_exception_lifts_only_its_own_term() -> None:
    given = lists(("insult", "allow", "احمق"))
    assert "insult" not in checked("آقای احمق مدیر اتحادیه است", given)[1]
    assert "insult" in checked("آقای احمق مدیر اتحادیه است", words.WordLists())[1]


def test_blocked_spam_words_flag_for_review_and_empty_lists_change_nothing() -> None:
    given = lists(("spam", "block", "خرید فالوور"))
    assert checked("برای خرید فالوور پیام بدهید", given) == ("review", ["spam_word"])
    verdict = review("نان گران شد", None, NONE, Policy())
    assert words.apply(verdict, words.WordLists(), Policy()) is verdict


def test_categories_and_entries() -> None:
    assert words.category_of("توهین") == "insult" and words.category_of("SPAM") == "spam"
    assert words.category_of("رنگ") is None
    assert not words.valid("insult", "block", "؟؟") and not words.valid("insult", "block", "ب" * 101)
    assert words.valid("spam", "allow", "@khabar")
