"""``khabar backup FILE``: a consistent copy of the database while the bot runs."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bot.settings import load_settings
from storage import backup
from storage.db import is_sqlite


def add_parser(sub: Any) -> None:
    """Register ``backup``."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "backup",
        help="copy the database consistently while the bot runs (SQLite online backup, or pg_dump)",
        description=(
            "SQLite: an online backup to FILE (never overwritten), checked before it is kept. "
            "PostgreSQL: runs pg_dump --format=custom into FILE, or prints the command if pg_dump is missing."
        ),
    )
    parser.add_argument("file", help="the new backup file, e.g. backups/khabar-2026-12-01.db")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Back up the database the settings name; exit 0 when FILE holds a good copy."""
    settings = load_settings(env_file=args.env_file)
    target = Path(args.file)
    if not target.parent.is_dir():  # checked first: SQLite's own message would blame the source
        sys.stderr.write(f"khabar backup: the folder {target.parent} for {target.name} does not exist: create it "
                         "or choose another path\n")
        return 2
    try:
        if is_sqlite(settings.database_url):
            return _sqlite(backup.sqlite_file(settings.database_url), target)
        return _postgres(settings.database_url, target)
    except backup.BackupError as exc:
        sys.stderr.write(f"khabar backup: {exc}\n")
        return 1


class _Reporter:
    """Progress on stderr: a line per tenth of the copy, so a long backup shows it is moving."""

    def __init__(self) -> None:
        self.shown = -1
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if tenth > self.shown:
            self.shown = tenth
            elapsed = time.monotonic() - self.started
            sys.stderr.write(f"backup: {done} of {total} pages ({tenth * 10} %), {elapsed:.1f} s\n")
            sys.stderr.flush()


def _sqlite(source: Path, target: Path) -> int:
    sys.stderr.write(f"backup: copying {source} to {target} (the bot may keep running)\n")
    copy = backup.backup_sqlite(source, target, progress=_Reporter())
    rows = ", ".join(f"{name} {count}" for name, count in copy.tables.items() if count)
    sys.stdout.write(
        f"backup written: {copy.path} ({copy.size_bytes / 1e6:.1f} MB, integrity ok)\nrows: {rows or 'none'}\n"
        f"restore: stop the bot, move {source.name} and its -wal/-shm files aside, copy {copy.path} to {source}, "
        "then `khabar db upgrade` and start the bot\n"
    )
    return 0


def _postgres(url: str, target: Path) -> int:
    if target.exists():
        raise backup.BackupError(f"{target} exists already: choose a new file name (a backup never overwrites)")
    dump = backup.pg_dump_command(url, target)
    password = " (password from KHABAR_DATABASE_URL in PGPASSWORD)" if dump.env else ""
    if not backup.pg_dump_available():
        sys.stderr.write(
            "khabar backup: pg_dump is not installed here (Debian: apt install postgresql-client). "
            f"Run this where it is{password}:\n  {dump.shown}\n"
        )
        return 1
    sys.stderr.write(f"backup: running {dump.shown}{password}\n")
    started = time.monotonic()
    done = subprocess.run(dump.argv, env={**os.environ, **dump.env}, check=False)
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        sys.stderr.write(f"khabar backup: pg_dump failed (exit {done.returncode}); see its message above\n")
        return 1
    sys.stdout.write(
        f"backup written: {target} ({target.stat().st_size / 1e6:.1f} MB in {time.monotonic() - started:.1f} s)\n"
        f"restore: stop the bot, then pg_restore --clean --if-exists --no-owner --dbname=DATABASE {target}\n"
    )
    return 0
