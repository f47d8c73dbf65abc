"""The ``khabar`` command line: run the bot, manage the database, check configuration."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from bot import __version__
from bot.settings import ENV_FILE_VARIABLE, ConfigError, env_file_default
from storage.db import DatabaseUnavailable


def _commands() -> list[ModuleType]:
    """Subcommand modules in --help order; each has ``add_parser(sub)`` and ``run(args) -> int``."""
    from bot.commands import backup, chats, check, db, demo, doctor, export, feeds, learn, post, run, words

    return [run, db, doctor, chats, check, learn, post, feeds, export, words, backup, demo]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="khabar",
        description="Khabar: a Telegram bot for Persian newsrooms (channel posts, moderated comments).",
    )
    parser.add_argument("--version", action="version", version=f"khabar {__version__}")
    parser.add_argument(
        "--env-file", default=None,
        help=f"settings file to read (default: ${ENV_FILE_VARIABLE} if set, else .env in the working directory)",
    )
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
        _settings_file(args)
        return int(args.handler(args))
    except ConfigError as exc:
        sys.stderr.write(f"khabar: configuration error:\n{exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except DatabaseUnavailable as exc:
        sys.stderr.write(f"khabar: configuration error:\nKHABAR_DATABASE_URL: {exc}\n")
        return 2
    except Exception as exc:
        if _is_not_a_database(exc):
            sys.stderr.write(f"khabar: configuration error:\nKHABAR_DATABASE_URL: the file is not a usable SQLite "
                             f"database ({_db_reason(exc)}): point it at the bot's database, or at a new file\n")
            return 2
        if not _is_database_error(exc):
            raise
        sys.stderr.write(f"khabar: the database cannot be used ({type(exc).__name__}: {exc}).\n"
                         "Check KHABAR_DATABASE_URL: the server, the user and password, or the file's folder.\n")
        return 1


def _is_database_error(exc: BaseException) -> bool:
    """A database that cannot be reached or opened: an operator's problem, shown without a traceback."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError | ConnectionError) or (
        isinstance(exc, OSError) and exc.errno is not None and "connect" in str(exc).lower()
    )


def _is_not_a_database(exc: BaseException) -> bool:
    """SQLite's "file is not a database" or "malformed" (sqlite3.DatabaseError itself, not a subclass): bad input."""
    import sqlite3

    from sqlalchemy.exc import DatabaseError

    cause = exc.orig if isinstance(exc, DatabaseError) else exc
    return type(cause) is sqlite3.DatabaseError


def _db_reason(exc: BaseException) -> str:
    from sqlalchemy.exc import DatabaseError

    return str(exc.orig if isinstance(exc, DatabaseError) else exc)


def _settings_file(args: argparse.Namespace) -> None:
    """Resolve ``--env-file``; a file the operator named must exist (the default ``.env`` may not)."""
    how = "--env-file" if args.env_file else ENV_FILE_VARIABLE if os.environ.get(ENV_FILE_VARIABLE) else None
    args.env_file = args.env_file or env_file_default()
    if how and not Path(args.env_file).exists():  # /dev/null is allowed: "no file, the environment only"
        raise ConfigError(f"the settings file {args.env_file} does not exist (named by {how})")


if __name__ == "__main__":
    raise SystemExit(main())
