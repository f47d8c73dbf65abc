"""The khabar command: help, exit codes, configuration errors, database commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"


def khabar(*args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        env={**base, "PYTHONPATH": str(Path(__file__).parents[1]), **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_help_lists_commands(tmp_path: Path) -> None:
    result = khabar("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("run", "db", "doctor", "check"):
        assert command in result.stdout


def test_version(tmp_path: Path) -> None:
    result = khabar("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("khabar ")


def test_run_without_token_exits_2_naming_the_key(tmp_path: Path) -> None:
    result = khabar("run", cwd=tmp_path)
    assert result.returncode == 2
    assert "KHABAR_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_value_exits_2_without_traceback_or_token(tmp_path: Path) -> None:
    env = {"KHABAR_BOT_TOKEN": TOKEN, "KHABAR_WEBHOOK_PORT": "eighty"}
    result = khabar("run", cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert "KHABAR_WEBHOOK_PORT" in result.stderr
    assert TOKEN not in result.stderr + result.stdout and "Traceback" not in result.stderr


def test_env_file_is_read_from_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("KHABAR_LOG_LEVEL=LOUD\n", encoding="utf-8")
    result = khabar("db", "current", cwd=tmp_path)
    assert result.returncode == 2 and "KHABAR_LOG_LEVEL" in result.stderr


# These run the CLI with the default KHABAR_DATABASE_URL (./khabar.db): SQLite-only on purpose. The same
# migrations run on PostgreSQL in tests/test_storage.py and tests/e2e/test_doctor.py (both engines).
def test_db_upgrade_creates_sqlite_and_current_reports_it(tmp_path: Path) -> None:
    before = khabar("db", "current", cwd=tmp_path)
    assert before.returncode == 1 and "(empty)" in before.stdout
    up = khabar("db", "upgrade", cwd=tmp_path)
    assert up.returncode == 0, up.stderr
    assert (tmp_path / "khabar.db").exists()
    after = khabar("db", "current", cwd=tmp_path)
    assert after.returncode == 0 and "up to date" in after.stdout


def test_run_refuses_an_out_of_date_schema(tmp_path: Path) -> None:
    env = {"KHABAR_BOT_TOKEN": TOKEN, "KHABAR_CHANNEL": "-1001", "KHABAR_MODERATOR_CHAT": "-1002"}
    result = khabar("run", cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert "khabar db upgrade" in result.stderr


def test_run_waits_for_an_unreachable_telegram_then_names_the_setting(tmp_path: Path) -> None:
    env = {"KHABAR_BOT_TOKEN": TOKEN, "KHABAR_CHANNEL": "-1001", "KHABAR_MODERATOR_CHAT": "-1002",
           "KHABAR_BOT_API_URL": "http://127.0.0.1:9/bot"}  # port 9 (discard): nothing listens
    result = khabar("run", "--migrate", "--wait-for-telegram", "2", cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert result.stderr.count("not reachable yet; retrying") >= 1  # one log line per try
    assert "KHABAR_BOT_API_URL" in result.stderr and "did not answer" in result.stderr
    assert "Traceback" not in result.stderr and TOKEN not in result.stderr
