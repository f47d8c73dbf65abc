"""The ``khabar`` command line: run the bot, manage the database, check configuration."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from bot import __version__
from bot.settings import ConfigError


def _commands() -> list[ModuleType]:
    """Subcommand modules in --help order; each has ``add_parser(sub)`` and ``run(args) -> int``."""
    from bot.commands import check, db, demo, doctor, export, feeds, learn, post, run

    return [run, db, doctor, check, learn, post, feeds, export, demo]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="khabar",
        description="Khabar: a Telegram bot for Persian newsrooms (channel posts, moderated comments).",
    )
    parser.add_argument("--version", action="version", version=f"khabar {__version__}")
    parser.add_argument("--env-file", default=".env", help="settings file to read (default: .env)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _commands():
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code (2 for bad configuration or usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args))
    except ConfigError as exc:
        sys.stderr.write(f"khabar: configuration error:\n{exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
