"""``khabar check``: try the comment policy on sample text; no token needed, the database only if it has a model."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.checks.learned import MIN_EACH, Counts
from bot.settings import load_settings


def add_parser(sub: Any) -> None:
    """Register ``check``."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "check", help="run the comment checks on stdin (one comment per line or JSON lines)"
    )
    parser.add_argument("--article", help="text file with the article (first line the title)")
    parser.add_argument("--no-model", action="store_true", help="ignore the model learned in the database")
    parser.set_defaults(handler=run)


def _sqlite_file(url: str) -> Path | None:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    return Path(parsed.database or "")


async def _read_model(url: str) -> Counts | None:
    """The learned counts in the database, or None when it has none (never creates a database)."""
    from sqlalchemy.exc import SQLAlchemyError

    from storage.db import Database
    from storage.repos import learning

    path = _sqlite_file(url)
    if path is not None and (not path.name or not path.is_file()):
        return None
    db = Database(url)
    try:
        async with db.transaction() as session:
            return await learning.all_counts(session)
    except (SQLAlchemyError, OSError):
        return None  # no such table yet, or no server: the rules alone
    finally:
        await db.close()


def run(args: argparse.Namespace) -> int:
    """Print one JSON verdict per input line (with the learned model's estimate when there is one)."""
    from bot.checks.cli import run_check
    from bot.checks.policy import Policy

    if args.article:
        try:
            Path(args.article).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            sys.stderr.write(f"khabar check: cannot read the article file {args.article}: {_reason(exc)}\n")
            return 2
    settings = load_settings(env_file=args.env_file)
    counts = None if args.no_model else asyncio.run(_read_model(settings.database_url))
    if counts is not None and counts.ready:
        sys.stderr.write(
            f"khabar check: using the model learned from {counts.approved_docs + counts.rejected_docs:,} decisions "
            f"({counts.approved_docs:,} approved, {counts.rejected_docs:,} rejected) in the database\n"
        )
    elif args.no_model:
        sys.stderr.write("khabar check: the learned model is left out (--no-model): the rules alone\n")
    elif counts is not None and counts.approved_docs + counts.rejected_docs > 0:
        sys.stderr.write(
            f"khabar check: the learned model has too few decisions yet ({counts.approved_docs:,} approved, "
            f"{counts.rejected_docs:,} rejected; it needs {MIN_EACH} of each, see `khabar learn`): the rules alone\n"
        )
        counts = None
    else:
        sys.stderr.write("khabar check: no learned model in the database (see `khabar learn`): the rules alone\n")
        counts = None
    policy = Policy(
        model_review_confidence=settings.model_review_confidence,
        model_reject_confidence=settings.model_reject_confidence,
    )
    return run_check(sys.stdin, sys.stdout, args.article, counts=counts, policy=policy)


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return "not UTF-8 text"
