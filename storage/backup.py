"""Consistent copies of a live database: SQLite's online backup, PostgreSQL's pg_dump."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

# Pages copied per step (4 MB at SQLite's default 4 KiB page): the bot's writers wait at most one step.
STEP_PAGES = 1024
Progress = Callable[[int, int], None]


class BackupError(Exception):
    """The backup could not be made; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class SqliteCopy:
    """What a finished SQLite backup holds."""

    path: Path
    size_bytes: int
    pages: int
    tables: dict[str, int]


def sqlite_file(url: str) -> Path:
    """The database file an ``sqlite+aiosqlite:///…`` URL names."""
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("KHABAR_DATABASE_URL names an in-memory SQLite database: there is nothing to back up")
    return Path(database)


def backup_sqlite(source: Path, target: Path, progress: Progress | None = None, step: int = STEP_PAGES) -> SqliteCopy:
    """Copy ``source`` to ``target`` while others write to it: one snapshot, taken when the copy starts.

    The source connection holds a read transaction for the whole copy, so in WAL mode every step reads
    the same snapshot (writers go on; nothing committed after the start is half in the copy), and the
    copy is written to a temporary file that is renamed into place only once it passed an integrity check.
    """
    if not source.is_file():
        raise BackupError(f"the database file {source} does not exist (is KHABAR_DATABASE_URL right?)")
    if target.exists():
        raise BackupError(f"{target} exists already: choose a new file name (a backup never overwrites)")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30, isolation_level=None)
    try:
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the read snapshot starts here
        dst = sqlite3.connect(partial, isolation_level=None)
        try:

            def _step(status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            src.backup(dst, pages=step, progress=_step)
            tables = {
                name: int(dst.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
                for (name,) in dst.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            }
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
            pages = int(dst.execute("PRAGMA page_count").fetchone()[0])
        finally:
            dst.close()
        src.execute("COMMIT")
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"SQLite could not copy {source}: {exc}") from None
    finally:
        src.close()
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"the copy failed SQLite's integrity check ({check}); {source} itself may be damaged")
    os.replace(partial, target)
    return SqliteCopy(target, target.stat().st_size, pages, tables)


@dataclass(frozen=True, slots=True)
class PgDump:
    """A pg_dump invocation: the argument list, its environment (password), and its shown form."""

    argv: list[str]
    env: dict[str, str]

    @property
    def shown(self) -> str:
        """The command as an operator would type it, without the password."""
        return " ".join(self.argv)


def pg_dump_command(url: str, target: Path) -> PgDump:
    """pg_dump in its custom format (restore with pg_restore), the password passed in PGPASSWORD."""
    parsed: URL = make_url(url)
    argv = ["pg_dump", "--format=custom", f"--file={target}"]
    if parsed.host:
        argv.append(f"--host={parsed.host}")
    if parsed.port:
        argv.append(f"--port={parsed.port}")
    if parsed.username:
        argv.append(f"--username={parsed.username}")
    argv.append(f"--dbname={parsed.database or 'postgres'}")
    env = {"PGPASSWORD": parsed.password} if parsed.password else {}
    return PgDump(argv, {k: str(v) for k, v in env.items()})


def pg_dump_available() -> bool:
    """Whether pg_dump is on PATH."""
    return shutil.which("pg_dump") is not None
