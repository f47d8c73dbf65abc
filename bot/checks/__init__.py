"""Comment checks: a pure domain package (no Telegram, no database, no I/O after the factories).

Build the shared pieces once at startup and pass them to `review()`:
    lexicon = default_lexicon(); detector = default_detector(); stats = TermStats(lexicon, articles)
"""

from bot.checks.explain import EXPLANATIONS, explain
from bot.checks.language import (
    LangdetectDetector,
    LanguageDetector,
    LanguageResult,
    default_detector,
    detect_language,
)
from bot.checks.lexicon import Lexicon, default_lexicon
from bot.checks.normalize import clean_text, normalize, parse_number, to_latin_digits, to_persian_digits
from bot.checks.policy import Policy
from bot.checks.relevance import ArticleProfile, Relevance, TermStats, relevance
from bot.checks.review import Reason, Verdict, review
from bot.checks.spam import AuthorHistory, PastComment

__all__ = [
    "EXPLANATIONS",
    "ArticleProfile",
    "AuthorHistory",
    "LangdetectDetector",
    "LanguageDetector",
    "LanguageResult",
    "Lexicon",
    "PastComment",
    "Policy",
    "Reason",
    "Relevance",
    "TermStats",
    "Verdict",
    "clean_text",
    "default_detector",
    "default_lexicon",
    "detect_language",
    "explain",
    "normalize",
    "parse_number",
    "relevance",
    "review",
    "to_latin_digits",
    "to_persian_digits",
]
