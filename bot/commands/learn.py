"""``khabar learn FILE``: teach the comment model past moderation decisions (JSON lines)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.checks.learned import MIN_EACH
from bot.settings import Settings, load_settings

BATCH = 200  # decisions per transaction
PROGRESS_EVERY = 1000
SHOWN_ERRORS = 5


def add_parser(sub: Any) -> None:
    """Register ``learn``."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "learn",
        help="teach the comment model past decisions: JSON lines {text, decision: approved|rejected, reason?}",
    )
    parser.add_argument("file", help="JSON-lines file of decisions ('-' reads standard input)")
    parser.add_argument("--migrate", action="store_true", help="upgrade the database schema first")
    parser.set_defaults(handler=run)


@dataclass(frozen=True, slots=True)
class PastDecision:
    """One past decision read from the file."""

    text: str
    rejected: bool
    reason: str | None


def parse_line(line: str) -> PastDecision | str:
    """A decision, or why the line is not one."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        return "not JSON"
    if not isinstance(data, dict):
        return "not a JSON object"
    text, decision, reason = data.get("text"), data.get("decision"), data.get("reason")
    if not isinstance(text, str) or not text.strip():
        return 'no "text"'
    if decision not in ("approved", "rejected"):
        return '"decision" must be "approved" or "rejected"'
    if reason is not None and not isinstance(reason, str):
        return '"reason" must be a string'
    return PastDecision(text, decision == "rejected", reason or None)


@dataclass
class Tally:
    """What the import did, for the progress lines and the summary."""

    lines: int = 0
    approved: int = 0
    rejected: int = 0
    known: int = 0
    bad: int = 0
    errors: list[str] = field(default_factory=list)

    def bad_line(self, number: int, why: str) -> None:
        """Count a line that is not a decision."""
        self.bad += 1
        if len(self.errors) < SHOWN_ERRORS:
            self.errors.append(f"line {number}: {why}")


def _numbered(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(lines, 1):
        if line.strip():
            yield number, line


def run(args: argparse.Namespace) -> int:
    """Import the file; exit 1 when it cannot be read or holds no decision, 2 for an old schema."""
    settings = load_settings(env_file=args.env_file)
    if args.file == "-":
        return asyncio.run(_learn(settings, sys.stdin, "standard input", args.migrate))
    path = Path(args.file)
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        sys.stderr.write(f"khabar learn: no such file: {path}\n")
        return 1
    except OSError as exc:  # a folder, no permission: the operator named the wrong thing
        sys.stderr.write(f"khabar learn: {path}: cannot read the file: {exc.strerror or exc}\n")
        return 2
    try:
        with handle:
            return asyncio.run(_learn(settings, handle, str(path), args.migrate))
    except UnicodeDecodeError:
        sys.stderr.write(f"khabar learn: {path} is not UTF-8 text\n")
        return 1


async def _learn(settings: Settings, lines: Iterable[str], name: str, migrate_first: bool) -> int:
    from storage import migrate
    from storage.db import Database

    url = settings.database_url
    if migrate_first:
        await migrate.upgrade_async(url)
    elif not await migrate.is_up_to_date(url):
        sys.stderr.write("khabar learn: the database schema is not up to date: run `khabar db upgrade` "
                         "(or add --migrate)\n")
        return 2
    db = Database(url)
    tally = Tally()
    try:
        batch: list[PastDecision] = []
        for number, line in _numbered(lines):
            tally.lines += 1
            parsed = parse_line(line)
            if isinstance(parsed, str):
                tally.bad_line(number, parsed)
            else:
                batch.append(parsed)
            if len(batch) >= BATCH:
                await _store(db, batch, tally)
                batch = []
            if tally.lines % PROGRESS_EVERY == 0:
                sys.stderr.write(f"learn: {tally.lines:,} lines read, {tally.approved + tally.rejected:,} taught…\n")
        if batch:
            await _store(db, batch, tally)
        async with db.transaction() as session:
            from storage.repos import learning

            model = await learning.summary(session)
    finally:
        await db.close()
    _report(name, tally, model)
    return 0 if tally.approved + tally.rejected + tally.known else 1


async def _store(db: Any, batch: list[PastDecision], tally: Tally) -> None:
    from storage.repos import learning

    now = datetime.now(UTC)
    async with db.transaction() as session:
        for item in batch:
            key = learning.import_key(item.text, item.rejected)
            taught = await learning.teach(
                session, key, item.text, rejected=item.rejected, reason=item.reason, source="import", now=now
            )
            if not taught:
                tally.known += 1
            elif item.rejected:
                tally.rejected += 1
            else:
                tally.approved += 1


def _report(name: str, tally: Tally, model: dict[str, int]) -> None:
    out = sys.stdout.write
    out(f"learned from {name}\n")
    out(f"  lines read            {tally.lines:,}\n")
    out(f"  approved, taught      {tally.approved:,}\n")
    out(f"  rejected, taught      {tally.rejected:,}\n")
    out(f"  already known         {tally.known:,}\n")
    out(f"  not a decision        {tally.bad:,}\n")
    for error in tally.errors:
        out(f"    {error}\n")
    approved = model.get("import_approved", 0) + model.get("decision_approved", 0)
    rejected = model.get("import_rejected", 0) + model.get("decision_rejected", 0)
    ready = approved >= MIN_EACH and rejected >= MIN_EACH
    state = "in use by the bot and `khabar check`" if ready else f"not used until it has {MIN_EACH} of each kind"
    out(f"model: {approved + rejected:,} decisions ({approved:,} approved, {rejected:,} rejected), "
        f"{model.get('features', 0):,} features; {state}\n")
