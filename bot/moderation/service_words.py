"""Word lists at run time (issue 18, item 6): /words, ``khabar words``, and the lists intake applies.

Every change bumps one version row in the same transaction; each instance keeps the lists in memory
and compares that version (one primary-key read) before using them, so a change made on one
instance is in effect on every instance for the very next comment.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import words
from bot.checks.policy import Policy
from bot.checks.review import Verdict
from bot.deps import Deps
from bot.jalali import fa_digits
from bot.moderation.card import clip
from bot.moderation.service_decide import Moderator, remember
from bot.publishing.post_format import utf16_len, visible_text
from bot.texts import tools as t
from storage.repos import actions
from storage.repos import moderation as audit
from storage.repos import words as repo

log = logging.getLogger(__name__)
LISTED = 60  # entries per list shown by /words at most; the rest are counted
LIST_CHARS = 3800  # /words fits one message: Telegram counts 4096 characters once the HTML is parsed
ENTRY_CHARS = 60
VERBS = {"block": words.BLOCK, "add": words.BLOCK, "مسدود": words.BLOCK, "allow": words.ALLOW, "مجاز": words.ALLOW,
         "remove": "remove", "delete": "remove", "حذف": "remove"}
ACTIONS = {words.BLOCK: "words_block", words.ALLOW: "words_allow", "remove": "words_remove"}


@dataclass
class Cache:
    """This instance's copy of the lists and the version it was read at."""

    version: int = -1
    lists: words.WordLists = field(default_factory=words.WordLists)

    async def current(self, session: AsyncSession) -> words.WordLists:
        """The lists in effect now (reloaded when another change bumped the version)."""
        now_version = await repo.version(session)
        if now_version != self.version:
            rows = await repo.entries(session)
            self.lists = words.WordLists.of((w.category, w.kind, w.key) for w in rows)
            self.version = now_version
        return self.lists


def cache_of(deps: Deps) -> Cache:
    """The instance's cache (made on first use)."""
    if deps.parts.word_lists is None:
        deps.parts.word_lists = Cache()
    return deps.parts.word_lists


async def applied(session: AsyncSession, deps: Deps, verdict: Verdict, policy: Policy) -> Verdict:
    """The intake's hook: the checks' verdict with the newsroom's lists taken into account."""
    return words.apply(verdict, await cache_of(deps).current(session), policy)


@dataclass(frozen=True, slots=True)
class Change:
    """One entry to list or unlist."""

    verb: str  # block | allow | remove
    category: str
    entry: str


def parse(args: list[str]) -> Change | str:
    """``/words <verb> <category> <word or phrase>``: the change, or the Persian answer explaining why not."""
    if len(args) < 3 or args[0].lower() not in VERBS:
        return t.WORDS_USAGE
    category = words.category_of(args[1])
    if category is None:
        return t.WORDS_BAD_CATEGORY.format(name=html.escape(clip(args[1], 30)))
    entry = " ".join(args[2:]).strip()
    verb = VERBS[args[0].lower()]
    if not words.valid(category, words.ALLOW if verb == words.ALLOW else words.BLOCK, entry):
        return t.WORDS_BAD_ENTRY.format(limit=fa_digits(words.MAX_ENTRY))
    return Change(verb, category, entry)


async def change_in(session: AsyncSession, change: Change, moderator_id: int, now: datetime,
                    details: dict[str, object] | None = None) -> bool:
    """Apply one change (audited, version bumped); False if it changed nothing."""
    if change.verb == "remove":
        keys = {words.key(change.entry), words.spam_key(change.entry)} - {""}
        kinds = await repo.remove(session, category=change.category, keys=keys)
        changed = bool(kinds)
    else:
        changed = await repo.add(session, category=change.category, kind=change.verb, entry=change.entry,
                                 key=words.entry_key(change.category, change.verb, change.entry), by=moderator_id,
                                 now=now)
    if changed:
        await repo.bump(session, now)
        await audit.add_action(session, moderator_id=moderator_id, action=ACTIONS[change.verb], created_at=now,
                               details={"category": change.category, "entry": change.entry, **(details or {})})
    return changed


async def command(deps: Deps, mod: Moderator, args: list[str]) -> str:
    """/words: list the lists, or make one change; the Persian answer."""
    if not args or (len(args) == 1 and args[0].lower() in ("list", "فهرست")):
        return await listing(deps)
    parsed = parse(args)
    if isinstance(parsed, str):
        return parsed
    now = deps.clock()
    async with deps.db.transaction() as session:
        await remember(session, mod, now)
        changed = await change_in(session, parsed, mod.user_id, now)
    entry, category = html.escape(clip(parsed.entry, 100)), t.WORDS_CATEGORY[parsed.category]
    if changed:
        log.info("word lists changed", extra={"action": ACTIONS[parsed.verb], "moderator_id": mod.user_id})
    if parsed.verb == "remove":
        return (t.WORDS_REMOVED if changed else t.WORDS_NOT_LISTED).format(entry=entry, category=category)
    if not changed:
        return t.WORDS_ALREADY.format(entry=entry, category=category)
    return (t.WORDS_BLOCKED if parsed.verb == words.BLOCK else t.WORDS_ALLOWED).format(entry=entry, category=category)


def _shown(entries: list[str], count: int) -> str:
    """The first ``count`` of ``entries``, and how many more there are."""
    if not entries:
        return t.WORDS_NONE
    shown = "، ".join(f"<code>{html.escape(clip(e, ENTRY_CHARS))}</code>" for e in entries[:count])
    rest = len(entries) - count
    if rest <= 0:
        return shown
    more = t.WORDS_LIST_MORE.format(count=fa_digits(rest))
    return f"{shown} {more}" if shown else more


def _render(lists: list[tuple[str, list[str], list[str]]], counts: dict[tuple[str, str], int]) -> str:
    parts = [t.WORDS_LIST_HEAD]
    for category, blocked, allowed in lists:
        parts.append(t.WORDS_LIST_CATEGORY.format(
            category=t.WORDS_CATEGORY[category], blocked_count=fa_digits(len(blocked)),
            blocked=_shown(blocked, counts[(category, words.BLOCK)]),
            allowed_count=fa_digits(len(allowed)), allowed=_shown(allowed, counts[(category, words.ALLOW)])))
    parts.append(t.WORDS_LIST_NOTE)
    return "\n\n".join(parts)


async def listing(deps: Deps) -> str:
    """/words: every category's blocked and allowed entries, within one message (LIST_CHARS once parsed)."""
    async with deps.db.transaction() as session:
        rows = await repo.entries(session)
    lists = [(category, [w.entry for w in rows if w.category == category and w.kind == words.BLOCK],
              [w.entry for w in rows if w.category == category and w.kind == words.ALLOW])
             for category in words.CATEGORIES]
    counts = {(category, kind): 0 for category, _, _ in lists for kind in (words.BLOCK, words.ALLOW)}
    # the skeleton shows no entry and says "… and N more" for every non-empty list: the longest it can be
    budget = LIST_CHARS - utf16_len(visible_text(_render(lists, counts)))
    for category, blocked, allowed in lists:
        for kind, entries in ((words.BLOCK, blocked), (words.ALLOW, allowed)):
            for entry in entries[:LISTED]:
                cost = utf16_len(clip(entry, ENTRY_CHARS)) + len("، ")
                if cost > budget:
                    break
                budget -= cost
                counts[(category, kind)] += 1
    return _render(lists, counts)


async def stats_line(session: AsyncSession, since: datetime) -> str:
    """/stats: entries moderators listed and unlisted since ``since``."""
    counts = await actions.counts_since(session, ACTIONS.values(), since)
    added = counts.get("words_block", 0) + counts.get("words_allow", 0)
    return t.STATS_WORDS.format(added=fa_digits(added), removed=fa_digits(counts.get("words_remove", 0)))
