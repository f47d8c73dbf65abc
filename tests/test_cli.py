"""The khabar command: help, exit codes, configuration errors, database commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot import __version__

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
    assert "KHABAR_BOT_API_URL" in result.stderr and "did not answer within 2 s" in result.stderr
    assert "Traceback" not in result.stderr and TOKEN not in result.stderr
    # Telegram is asked before any migration: no Alembic line precedes the error, the schema is not made.
    assert "alembic" not in result.stderr.lower()
    assert khabar("db", "current", cwd=tmp_path).returncode == 1


def test_commands_that_only_read_or_refuse_leave_no_empty_database_behind(tmp_path: Path) -> None:
    assert khabar("db", "current", cwd=tmp_path).returncode == 1  # no schema yet
    decisions = tmp_path / "d.jsonl"
    decisions.write_text('{"text": "نظر خوبی بود", "decision": "approved"}\n', encoding="utf-8")
    assert khabar("learn", str(decisions), cwd=tmp_path).returncode == 2  # needs --migrate first
    env = {"KHABAR_BOT_TOKEN": TOKEN, "KHABAR_CHANNEL": "-1001", "KHABAR_MODERATOR_CHAT": "-1002"}
    assert khabar("run", cwd=tmp_path, env=env).returncode == 2  # refuses an empty schema
    assert not (tmp_path / "khabar.db").exists()


def test_run_through_a_dead_proxy_names_the_proxy_not_the_bot_api(tmp_path: Path) -> None:
    env = {"KHABAR_BOT_TOKEN": TOKEN, "KHABAR_CHANNEL": "-1001", "KHABAR_MODERATOR_CHAT": "-1002",
           "KHABAR_PROXY_URL": "http://newsroom:hunter2@127.0.0.1:9"}  # nothing listens on port 9
    result = khabar("run", "--migrate", "--wait-for-telegram", "1", cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert "KHABAR_PROXY_URL: Telegram" in result.stderr and "did not answer within 1 s" in result.stderr
    assert "hunter2" not in result.stderr and "Traceback" not in result.stderr


def test_sigterm_while_waiting_for_telegram_stops_cleanly(tmp_path: Path) -> None:
    """An operator stopping a bot that still waits for Telegram (systemctl stop): exit 0, as once it runs."""
    import signal
    import time

    base = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    env = {**base, "PYTHONPATH": str(Path(__file__).parents[1]), "KHABAR_BOT_TOKEN": TOKEN,
           "KHABAR_CHANNEL": "-1001", "KHABAR_MODERATOR_CHAT": "-1002", "KHABAR_BOT_API_URL": "http://127.0.0.1:9/bot"}
    for sig in (signal.SIGTERM, signal.SIGINT):
        proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "run", "--migrate"], cwd=tmp_path, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stderr is not None
        line = ""
        deadline = time.monotonic() + 30
        while "not reachable yet" not in line and time.monotonic() < deadline:
            line = proc.stderr.readline()
        proc.send_signal(sig)
        _out, rest = proc.communicate(timeout=30)
        assert proc.returncode == 0, (sig, rest)
        assert "stopped before Telegram answered" in rest and "Traceback" not in rest


ROOT = Path(__file__).parents[1]


def test_untouched_env_example_names_all_three_required_keys(tmp_path: Path) -> None:
    """The README's run command on a fresh copy of .env.example: exit 2, every missing key, no traceback."""
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text(encoding="utf-8"), encoding="utf-8")
    result = khabar("run", "--migrate", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    for key in ("KHABAR_BOT_TOKEN", "KHABAR_CHANNEL", "KHABAR_MODERATOR_CHAT"):
        assert f"{key} is not set" in result.stderr
    assert "Traceback" not in result.stderr and "alembic" not in result.stderr.lower()
    assert not (tmp_path / "khabar.db").exists()


def test_placeholder_token_in_env_file_is_named_with_the_rest(tmp_path: Path) -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    (tmp_path / ".env").write_text(example.replace("KHABAR_BOT_TOKEN=\n", "KHABAR_BOT_TOKEN=123456:CHANGE_ME\n"),
                                   encoding="utf-8")
    result = khabar("run", cwd=tmp_path)
    assert result.returncode == 2
    assert "KHABAR_BOT_TOKEN holds a placeholder" in result.stderr
    assert "KHABAR_CHANNEL is not set" in result.stderr and "KHABAR_MODERATOR_CHAT is not set" in result.stderr


def test_misspelt_key_in_env_file_exits_2_naming_it(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"KHABAR_BOT_TOKEN={TOKEN}\nKHABAR_MODERATOR=501\n", encoding="utf-8")
    result = khabar("doctor", cwd=tmp_path)
    assert result.returncode == 2
    assert "KHABAR_MODERATOR (in .env)" in result.stderr and "KHABAR_MODERATORS" in result.stderr
    assert "Traceback" not in result.stderr and TOKEN not in result.stderr


def test_missing_env_file_named_by_flag_or_variable_exits_2(tmp_path: Path) -> None:
    by_flag = khabar("--env-file", "prod.env", "db", "current", cwd=tmp_path)
    assert by_flag.returncode == 2 and "prod.env does not exist (named by --env-file)" in by_flag.stderr
    by_var = khabar("db", "current", cwd=tmp_path, env={"KHABAR_ENV_FILE": str(tmp_path / "gone.env")})
    assert by_var.returncode == 2 and "gone.env does not exist (named by KHABAR_ENV_FILE)" in by_var.stderr


def test_env_file_variable_places_the_database_beside_the_file(tmp_path: Path) -> None:
    """Where .env and the database live does not depend on the working directory."""
    home, elsewhere = tmp_path / "srv", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    (home / "khabar.env").write_text("KHABAR_DATABASE_URL=sqlite:///data.db\n", encoding="utf-8")
    result = khabar("db", "upgrade", cwd=elsewhere, env={"KHABAR_ENV_FILE": str(home / "khabar.env")})
    assert result.returncode == 0, result.stderr
    assert (home / "data.db").exists() and not list(elsewhere.iterdir())
    assert str(home / "data.db") in result.stdout


def test_check_with_a_missing_article_file_exits_2_without_traceback(tmp_path: Path) -> None:
    result = khabar("check", "--article", "no-such-article.txt", cwd=tmp_path, stdin="سلام\n")
    assert result.returncode == 2
    assert "no-such-article.txt" in result.stderr and "Traceback" not in result.stderr


def test_unusable_database_exits_without_traceback(tmp_path: Path) -> None:
    env = {"KHABAR_DATABASE_URL": f"sqlite:///{tmp_path}/missing-folder/k.db"}
    result = khabar("db", "upgrade", cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert "KHABAR_DATABASE_URL: the folder" in result.stderr and "missing-folder" in result.stderr
    assert "Traceback" not in result.stderr
    refused = khabar("db", "current", cwd=tmp_path, env={"KHABAR_DATABASE_URL": "postgresql://u:p@127.0.0.1:9/x"})
    assert refused.returncode == 1 and "KHABAR_DATABASE_URL" in refused.stderr
    assert "Traceback" not in refused.stderr and "u:p@" not in refused.stderr


def test_python_dash_m_bot_is_the_cli(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    result = subprocess.run([sys.executable, "-m", "bot", "--version"], cwd=tmp_path, capture_output=True, text=True,
                            env={**base, "PYTHONPATH": str(ROOT)}, timeout=60, check=False)
    assert result.returncode == 0 and result.stdout.strip() == f"khabar {__version__}"


def test_env_file_dev_null_means_the_environment_only(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("KHABAR_LOG_LEVEL=LOUD\n", encoding="utf-8")  # would fail if read
    result = khabar("--env-file", os.devnull, "db", "current", cwd=tmp_path)
    assert result.returncode == 1 and "(empty)" in result.stdout, result.stderr
