"""Word lists moderators edit at run time (issue 18, item 6), applied to the checks' verdict (pure).

Each category (insult, accusation, spam) has *blocked* entries — a comment containing one is flagged
for that category exactly as the checks' own lists flag it — and *allowed* exceptions — a word the
checks flag that this newsroom accepts (a place name, a family name). The checks (bot/checks) run
unchanged; ``apply`` then adjusts their verdict:

- insult / accusation: the category's reason is dropped when every term the checks found is allowed;
  a blocked entry adds the reason (the policy's action for it, at least «review»);
- spam: a blocked entry adds ``spam_word`` (review); an allowed entry (a domain, a @handle) drops the
  ``link`` / ``mention`` reason when every link / mention in the comment contains an allowed entry.

Invite links, phones, language and everything else stay as the checks decided.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.checks.normalize import normalize, tokenize
from bot.checks.policy import Policy
from bot.checks.review import Decision, Reason, Verdict
from bot.checks.spam import find_spam

CATEGORIES: tuple[str, ...] = ("insult", "accusation", "spam")
# What moderators may type for a category (Persian or English).
CATEGORY_NAMES: dict[str, str] = {
    "insult": "insult", "توهین": "insult",
    "accusation": "accusation", "اتهام": "accusation", "تهمت": "accusation",
    "spam": "spam", "تبلیغ": "spam", "هرزنامه": "spam",
}
BLOCK, ALLOW = "block", "allow"
SPAM_CODE = "spam_word"
MAX_ENTRY = 100
MAX_RUN = 6  # a listed phrase spans at most this many words
_RUNS = re.compile(r"(.)\1+")
_RANK = {"allow": 0, "review": 1, "reject": 2}
_DECISIONS: tuple[Decision, Decision, Decision] = ("pass", "review", "reject")


def category_of(name: str) -> str | None:
    """The category a moderator named («توهین» or «insult» …), or None."""
    return CATEGORY_NAMES.get(name.strip().lower())


def key(entry: str) -> str:
    """An entry in matching form: normalised words, doubled letters squeezed, written together.

    Written together so that «نان‌خور» (half-space), «نانخور» and «نان خور» are one entry.
    """
    return "".join(_RUNS.sub(r"\1", word) for word in tokenize(normalize(entry)))


def spam_key(entry: str) -> str:
    """An allowed spam entry (a domain, a @handle): lower-cased, without spaces."""
    return "".join(entry.split()).lower()


def entry_key(category: str, kind: str, entry: str) -> str:
    """How an entry is stored and compared: allowed spam entries as typed (lower-cased), the rest as words."""
    return spam_key(entry) if category == "spam" and kind == ALLOW else key(entry)


def valid(category: str, kind: str, entry: str) -> bool:
    """Whether an entry can be listed: some letters or digits, not too long."""
    return 0 < len(entry.strip()) <= MAX_ENTRY and bool(key(entry)) and bool(entry_key(category, kind, entry))


@dataclass(frozen=True, slots=True)
class WordLists:
    """The lists in effect: category → keys, for blocked entries and for allowed exceptions."""

    blocked: dict[str, frozenset[str]] = field(default_factory=dict)
    allowed: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: Iterable[tuple[str, str, str]]) -> WordLists:
        """From (category, kind, key) rows."""
        blocked: dict[str, set[str]] = {}
        allowed: dict[str, set[str]] = {}
        for category, kind, entry_key in rows:
            (blocked if kind == BLOCK else allowed).setdefault(category, set()).add(entry_key)
        return cls({c: frozenset(v) for c, v in blocked.items()}, {c: frozenset(v) for c, v in allowed.items()})

    def empty(self) -> bool:
        return not any(self.blocked.values()) and not any(self.allowed.values())


def blocked_in(text: str, entries: frozenset[str]) -> list[str]:
    """The blocked entries a text contains as whole words or runs of words (however they are spaced)."""
    if not entries:
        return []
    tokens = [_RUNS.sub(r"\1", word) for word in tokenize(normalize(text))]
    longest = max(len(e) for e in entries)
    hits: set[str] = set()
    for i in range(len(tokens)):
        run = ""
        for token in tokens[i : i + MAX_RUN]:
            run += token
            if len(run) > longest:
                break
            if run in entries:
                hits.add(run)
    return sorted(hits)


def _terms(reason: Reason | None, fallback: Iterable[str]) -> list[str]:
    found = [term.strip() for term in reason.detail.split("،")] if reason is not None and reason.detail else []
    return [t for t in found or list(fallback) if t]


def _all_allowed(terms: list[str], allowed: frozenset[str]) -> bool:
    return bool(terms) and all(key(term) in allowed for term in terms)


def _all_contain(found: tuple[str, ...], allowed: frozenset[str]) -> bool:
    return bool(found) and all(any(a in item.lower() for a in allowed) for item in found)


def apply(verdict: Verdict, lists: WordLists, policy: Policy) -> Verdict:
    """The verdict with this newsroom's blocked words and allowed exceptions taken into account."""
    if lists.empty():
        return verdict
    reasons = list(verdict.reasons)
    by_code = {r.code: r for r in reasons}
    insult, insult_terms, accusation = verdict.insult, verdict.insult_terms, verdict.accusation
    drop: set[str] = set()
    insult_allowed = lists.allowed.get("insult", frozenset())
    if ("insult" in by_code or insult) and _all_allowed(_terms(by_code.get("insult"), insult_terms), insult_allowed):
        drop.add("insult")
        insult, insult_terms = False, ()
    if "accusation" in by_code and _all_allowed(_terms(by_code["accusation"], ()),
                                                lists.allowed.get("accusation", frozenset())):
        drop.add("accusation")
        accusation = False
    allowed_spam = lists.allowed.get("spam", frozenset())
    if allowed_spam and ("link" in by_code or "mention" in by_code):
        spam = find_spam(verdict.cleaned_text)
        if "link" in by_code and _all_contain(spam.links, allowed_spam):
            drop.add("link")
        if "mention" in by_code and _all_contain(spam.mentions, allowed_spam):
            drop.add("mention")
    reasons = [r for r in reasons if r.code not in drop]
    for category in CATEGORIES:
        hits = blocked_in(verdict.cleaned_text, lists.blocked.get(category, frozenset()))
        if not hits:
            continue
        code = SPAM_CODE if category == "spam" else category
        action = policy.action_for(code) if category != "spam" else "review"
        action = "review" if action == "allow" else action
        detail = "، ".join(hits)
        reasons = [r for r in reasons if r.code != code] + [Reason(code, action, detail)]
        if category == "insult":
            insult, insult_terms = True, tuple(dict.fromkeys((*insult_terms, *hits)))
        elif category == "accusation":
            accusation = True
    if reasons == list(verdict.reasons) and insult == verdict.insult and accusation == verdict.accusation:
        return verdict
    worst = max((_RANK[r.action] for r in reasons), default=0)
    return dataclasses.replace(verdict, decision=_DECISIONS[worst], reasons=tuple(reasons), insult=insult,
                               insult_terms=insult_terms, accusation=accusation)
