"""``khabar backup``: a copy taken under concurrent writes holds everything committed before it began."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests import conftest

ROOT = Path(__file__).parents[1]
PAD = "ن" * 150  # ~300 bytes a row, so the database spans several backup steps


def khabar(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True,
                          env={**base, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=300, check=False)


class Writer(threading.Thread):
    """Inserts users one transaction at a time, as the bot would, remembering what is committed."""

    def __init__(self, path: Path, first: int) -> None:
        super().__init__(daemon=True)
        self.path, self.next_id = path, first
        self.committed: list[int] = []
        self.stop = threading.Event()

    def run(self) -> None:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            while not self.stop.is_set():
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "INSERT INTO users (id, display_name, started_bot, blocked_bot, ban_notified, trusted, "
                    "notify_replies, approved_count, rejected_count, auto_rejected_count, created_at, updated_at) "
                    "VALUES (?, ?, 1, 0, 0, 0, 1, 0, 0, 0, '2026-12-01 00:00:00', '2026-12-01 00:00:00')",
                    (self.next_id, PAD),
                )
                conn.execute("COMMIT")
                self.committed.append(self.next_id)
                self.next_id += 1
        finally:
            conn.close()


@pytest.mark.sqlite_only(reason="SQLite's online backup; PostgreSQL goes through pg_dump below")
def test_sqlite_backup_under_writes_then_restore(tmp_path: Path) -> None:
    live = tmp_path / "live"
    live.mkdir()
    assert khabar("db", "upgrade", cwd=live).returncode == 0
    db = live / "khabar.db"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executemany(
            "INSERT INTO users (id, display_name, started_bot, blocked_bot, ban_notified, trusted, notify_replies, "
            "approved_count, rejected_count, auto_rejected_count, created_at, updated_at) "
            "VALUES (?, ?, 1, 0, 0, 0, 1, 0, 0, 0, '2026-12-01 00:00:00', '2026-12-01 00:00:00')",
            [(i, PAD) for i in range(1, 30_001)],
        )
    writer = Writer(db, first=30_001)
    writer.start()
    try:
        while len(writer.committed) < 50:
            threading.Event().wait(0.01)
        before = set(range(1, 30_001)) | set(writer.committed)
        result = khabar("backup", str(tmp_path / "copy.db"), cwd=live)
        during = len(writer.committed)
        threading.Event().wait(0.2)
    finally:
        writer.stop.set()
        writer.join(30)
    assert result.returncode == 0, result.stderr
    assert "backup: " in result.stderr and "pages (100 %)" in result.stderr  # progress, to the end
    assert result.stderr.count(" pages (") >= 3
    assert "integrity ok" in result.stdout and "restore:" in result.stdout
    assert during > 50 and len(writer.committed) > during  # the bot's writes went on during and after

    # Restore as the README says: stop, move the live files aside, copy the backup in place, db upgrade.
    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copy(tmp_path / "copy.db", restored / "khabar.db")
    assert khabar("db", "upgrade", cwd=restored).returncode == 0
    assert khabar("db", "current", cwd=restored).returncode == 0
    with sqlite3.connect(restored / "khabar.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = {row[0] for row in conn.execute("SELECT id FROM users")}
    assert before <= ids  # nothing committed before the backup began is lost
    assert ids == set(range(1, max(ids) + 1))  # one snapshot: a prefix of the commits, no hole


def test_backup_never_overwrites_and_names_a_missing_database(tmp_path: Path) -> None:
    missing = khabar("backup", str(tmp_path / "b.db"), cwd=tmp_path)
    assert missing.returncode == 1 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    assert khabar("db", "upgrade", cwd=tmp_path).returncode == 0
    (tmp_path / "b.db").write_text("keep me", encoding="utf-8")
    again = khabar("backup", str(tmp_path / "b.db"), cwd=tmp_path)
    assert again.returncode == 1 and "exists already" in again.stderr
    assert (tmp_path / "b.db").read_text(encoding="utf-8") == "keep me"


@pytest.mark.postgres
@pytest.mark.skipif(not conftest.PG_BASE_URL or shutil.which("pg_dump") is None,
                    reason="needs KHABAR_TEST_POSTGRES_URL and pg_dump/pg_restore (postgresql-client)")
def test_postgres_backup_is_a_pg_dump_that_restores(tmp_path: Path) -> None:
    source, target = f"khabar_bk_src_{os.getpid()}", f"khabar_bk_dst_{os.getpid()}"
    for name in (source, target):
        conftest._pg_admin(f"DROP DATABASE IF EXISTS {name}")
        conftest._pg_admin(f"CREATE DATABASE {name}")
    base = conftest.PG_BASE_URL.rsplit("/", 1)[0]
    try:
        env = {"KHABAR_DATABASE_URL": f"{base}/{source}"}
        assert khabar("db", "upgrade", cwd=tmp_path, env=env).returncode == 0
        dump = tmp_path / "khabar.pgdump"
        result = khabar("backup", str(dump), cwd=tmp_path, env=env)
        assert result.returncode == 0, result.stderr
        assert "running pg_dump --format=custom" in result.stderr and "pg_restore" in result.stdout
        plain = base.replace("postgresql+asyncpg://", "postgresql://")
        restore = subprocess.run(["pg_restore", "--no-owner", f"--dbname={plain}/{target}", str(dump)],
                                 capture_output=True, text=True, timeout=120, check=False)
        assert restore.returncode == 0, restore.stderr
        current = khabar("db", "current", cwd=tmp_path, env={"KHABAR_DATABASE_URL": f"{base}/{target}"})
        assert current.returncode == 0 and "up to date" in current.stdout
    finally:
        for name in (source, target):
            conftest._pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
