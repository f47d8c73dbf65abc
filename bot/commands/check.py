"""``khabar check``: try the comment policy on sample text, no token or database needed."""

from __future__ import annotations

import argparse
import sys
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

    return run_check(sys.stdin, sys.stdout, args.article)
