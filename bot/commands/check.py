"""``khabar check``: try the comment policy on sample text, no token or database needed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    """Register ``check``."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "check", help="run the comment checks on stdin (one comment per line or JSON lines)"
    )
    parser.add_argument("--article", help="text file with the article (first line the title)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print one JSON verdict per input line."""
    from bot.checks.cli import run_check

    if args.article:
        try:
            Path(args.article).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            sys.stderr.write(f"khabar check: cannot read the article file {args.article}: {_reason(exc)}\n")
            return 2
    return run_check(sys.stdin, sys.stdout, args.article)


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return "not UTF-8 text"
