"""`khabar check`: run the comment checks on lines of text, one JSON verdict per line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bot.checks.language import default_detector
from bot.checks.learned import Counts, estimate, features, text_words
from bot.checks.lexicon import default_lexicon
from bot.checks.policy import Policy
from bot.checks.relevance import ArticleProfile, TermStats
from bot.checks.review import review
from bot.checks.spam import AuthorHistory


def _comment_text(line: str) -> str:
    stripped = line.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError:
            return line.rstrip("\n")
        if isinstance(data, dict) and isinstance(data.get("text"), str):
            return data["text"]
    return line.rstrip("\n")


def _load_article(path: str, stats: TermStats) -> ArticleProfile:
    text = Path(path).read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    stats.add_article(f"{title}\n{body}")
    return ArticleProfile.build(body, stats, title=title)


def run_check(lines: Iterable[str], out: TextIO, article_path: str | None, *, counts: Counts | None = None,
              policy: Policy | None = None) -> int:
    """Check each comment (plain line or JSON with `text`) and print one JSON object per line.

    With ``counts`` (a learned model), each record also carries the model's estimate."""
    lexicon, detector = default_lexicon(), default_detector()
    stats = TermStats(lexicon)
    article = _load_article(article_path, stats) if article_path else None
    policy, history = policy or Policy(), AuthorHistory()
    for line in lines:
        text = _comment_text(line)
        guess = estimate(features(text), counts, text_words(text)) if counts is not None else None
        verdict = review(text, article, history, policy, detector=detector, lexicon=lexicon, stats=stats,
                         estimate=guess)
        record = {
            "text": text,
            "language": verdict.language.label,
            "language_reason": verdict.language.reason,
            "topic": verdict.relevance.label,
            "relevance": verdict.relevance.score,
            "insult": verdict.insult,
            "insult_terms": list(verdict.insult_terms),
            "accusation": verdict.accusation,
            "verdict": verdict.decision,
            "reasons": list(verdict.codes),
        }
        if counts is not None:
            record["model"] = (
                {"reject_probability": round(guess.probability, 3), "words": list(guess.words)} if guess else None
            )
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0
