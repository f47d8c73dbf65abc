from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.checks.explain import EXPLANATIONS, explain
from bot.checks.language import LangdetectDetector
from bot.checks.lexicon import Lexicon
from bot.checks.policy import Policy
from bot.checks.relevance import ArticleProfile, TermStats
from bot.checks.review import review
from bot.checks.spam import AuthorHistory

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "decision", "code"),
    [
        ("قطعی برق تهران واقعا کلافه کننده است", "pass", None),
        ("خسته نباشید، گزارش خوبی بود", "pass", None),
        ("salam khobi", "reject", "finglish"),
        ("This is a great article about power cuts", "reject", "not_persian"),
        ("😀😀", "reject", "not_persian"),
        ("قطعی برق را ببینید https://example.com", "reject", "link"),
        ("برق رایگان t.me/joinchat/AbCd", "reject", "invite_link"),
        ("برق تهران رو به @someone بگید", "review", "mention"),
        ("برای برق تهران با ۰۹۱۲۳۴۵۶۷۸۹ تماس بگیرید", "review", "phone"),
        ("ب", "reject", "too_short"),
        ("\u200f\u200e", "reject", "empty"),
        ("برق " + "ر" * 40, "review", "flood"),
        ("وزیر نیرو احمق است", "review", "insult"),
        ("این وزیر دزد است", "review", "accusation"),
        ("این گوشی دوربین خوبی دارد و باتری‌اش زود تمام نمی‌شود", "review", "off_topic"),
        ("ممنون", "pass", None),
    ],
)
def test_review_reasons(text: str, decision: str, code: str | None, article: ArticleProfile, stats: TermStats,
                        detector: LangdetectDetector, lexicon: Lexicon) -> None:
    verdict = review(text, article, AuthorHistory(), Policy(), detector=detector, lexicon=lexicon, stats=stats,
                     now=NOW)
    assert verdict.decision == decision, verdict.codes
    if code is not None:
        assert code in verdict.codes


def test_too_long(article: ArticleProfile, stats: TermStats, detector: LangdetectDetector) -> None:
    verdict = review("برق " * 300, article, AuthorHistory(), Policy(), detector=detector, stats=stats, now=NOW)
    assert "too_long" in verdict.codes and verdict.decision == "reject"


def test_duplicate(article: ArticleProfile, stats: TermStats, detector: LangdetectDetector) -> None:
    history = AuthorHistory.from_texts(["قطعی برق تهران کلافه کننده است"])
    verdict = review("قطعی برق تهران کلافه‌کننده است!", article, history, Policy(), detector=detector, stats=stats,
                     now=NOW)
    assert verdict.codes == ("duplicate",)


def test_policy_is_configurable(article: ArticleProfile, stats: TermStats, detector: LangdetectDetector) -> None:
    lenient = Policy(on_link="review", on_finglish="allow", max_length=5)
    assert review("salam khobi", article, AuthorHistory(), lenient, detector=detector, stats=stats,
                  now=NOW).codes == ("too_long",)
    assert review("برق https://example.com", article, AuthorHistory(), Policy(on_link="review"), detector=detector,
                  stats=stats, now=NOW).decision == "review"


def test_verdict_to_dict_is_json(article: ArticleProfile, stats: TermStats, detector: LangdetectDetector) -> None:
    verdict = review("وزیر احمق است", article, AuthorHistory(), Policy(), detector=detector, stats=stats, now=NOW)
    data = json.loads(json.dumps(verdict.to_dict(), ensure_ascii=False))
    assert data["decision"] == "review"
    assert data["reasons"][0]["code"] == "insult"
    assert data["language"]["label"] == "fa"
    assert data["cleaned_text"] == "وزیر احمق است"


def test_every_reason_has_a_persian_explanation() -> None:
    codes = [name.removeprefix("on_") for name in Policy.__dataclass_fields__ if name.startswith("on_")]
    assert set(codes) <= set(EXPLANATIONS)
    assert explain("not_persian") == "لطفاً نظر خود را به فارسی و با حروف فارسی بنویسید."
