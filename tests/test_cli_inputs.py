"""The khabar command with wrong input an operator can give: one line per problem, no traceback, no secret."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path

import pytest

from fakegram.control import FakeTelegram
from tests.test_cli import TOKEN, khabar

ARTICLE = {"title": "افزایش قیمت نان در تهران", "link": "https://example.com/news/1"}


def _bot_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"KHABAR_BOT_TOKEN": TOKEN, "KHABAR_CHANNEL": "-1001", "KHABAR_MODERATOR_CHAT": "-1002",
            "KHABAR_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'k.db'}", **extra}


def _article(tmp_path: Path) -> Path:
    path = tmp_path / "article.json"
    path.write_text(json.dumps(ARTICLE, ensure_ascii=False), encoding="utf-8")
    return path


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, result.stdout
    return lines[-1]


async def test_post_with_a_refused_token_does_not_print_the_token(fake: FakeTelegram, tmp_path: Path) -> None:
    env = _bot_env(tmp_path, KHABAR_BOT_API_URL=fake.base_url)  # TOKEN is not the fake's token: refused
    result = await asyncio.to_thread(khabar, "post", str(_article(tmp_path)), "--yes", cwd=tmp_path, env=env)
    assert result.returncode == 1
    line = _one_line(result)
    assert line.startswith("khabar post: Telegram refused: ") and "***" in line, line
    assert TOKEN not in result.stdout + result.stderr
    assert TOKEN.split(":")[1] not in result.stdout + result.stderr


def test_post_with_telegram_unreachable_says_so_and_names_the_settings(tmp_path: Path) -> None:
    env = _bot_env(tmp_path, KHABAR_BOT_API_URL="http://127.0.0.1:9/bot")  # port 9: nothing listens
    result = khabar("post", str(_article(tmp_path)), "--yes", cwd=tmp_path, env=env)
    assert result.returncode == 1
    line = _one_line(result)
    assert line.startswith("khabar post: Telegram could not be reached"), line
    assert "KHABAR_PROXY_URL" in line and "refused" not in line
    assert TOKEN not in result.stdout + result.stderr


def test_doctor_with_a_dead_proxy_blames_the_network_not_the_token(tmp_path: Path) -> None:
    env = _bot_env(tmp_path, KHABAR_PROXY_URL="http://editor:s3cretProxyPw@127.0.0.1:1")
    result = khabar("doctor", cwd=tmp_path, env=env)
    assert result.returncode == 1
    out = result.stdout + result.stderr
    assert "Traceback" not in out
    assert "✗ Telegram can be reached (" in result.stdout
    assert "KHABAR_PROXY_URL" in result.stdout and "KHABAR_BOT_API_URL" in result.stdout
    assert "token works" not in result.stdout and "@BotFather" not in result.stdout
    assert "s3cretProxyPw" not in out and TOKEN not in out


def _garbage(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "garbage.db"
    path.write_text("hello\n", encoding="utf-8")
    return {"KHABAR_DATABASE_URL": f"sqlite:///{path}"}


@pytest.mark.parametrize("command", [["db", "current"], ["db", "upgrade"], ["learn", "-"],
                                     ["export", "--from", "2026-12-02"], ["feeds", "list"]])
def test_a_file_that_is_not_a_database_is_one_line_naming_the_setting(tmp_path: Path, command: list[str]) -> None:
    result = khabar(*command, cwd=tmp_path, env=_garbage(tmp_path), stdin='{"text": "x", "decision": "approved"}\n')
    assert result.returncode == 2
    assert _one_line(result) == ("KHABAR_DATABASE_URL: the file is not a usable SQLite database (file is not a "
                                 "database): point it at the bot's database, or at a new file")


def _upgraded(tmp_path: Path) -> None:
    assert khabar("db", "upgrade", cwd=tmp_path).returncode == 0


def test_learn_from_a_folder_is_one_line_exit_2(tmp_path: Path) -> None:
    result = khabar("learn", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert _one_line(result) == f"khabar learn: {tmp_path}: cannot read the file: Is a directory"


@pytest.mark.parametrize("where", ["missing", "folder"])
def test_export_to_a_bad_path_is_one_line_exit_2(tmp_path: Path, where: str) -> None:
    _upgraded(tmp_path)
    out = str(tmp_path / "no-such-dir" / "x.csv") if where == "missing" else str(tmp_path)
    why = "No such file or directory" if where == "missing" else "Is a directory"
    result = khabar("export", "--from", "2026-12-02", "--out", out, cwd=tmp_path)
    assert result.returncode == 2
    assert _one_line(result) == f"khabar export: {out}: cannot write the file: {why}"


@pytest.mark.parametrize("where", ["missing", "folder"])
def test_words_export_to_a_bad_path_is_one_line_exit_2(tmp_path: Path, where: str) -> None:
    _upgraded(tmp_path)
    out = str(tmp_path / "no-such-dir" / "x.csv") if where == "missing" else str(tmp_path)
    why = "No such file or directory" if where == "missing" else "Is a directory"
    result = khabar("words", "export", "--out", out, cwd=tmp_path)
    assert result.returncode == 2
    assert _one_line(result) == f"khabar words export: {out}: cannot write the file: {why}"


def test_backup_into_a_missing_folder_names_the_folder(tmp_path: Path) -> None:
    _upgraded(tmp_path)
    target = tmp_path / "bk" / "b1.db"
    result = khabar("backup", str(target), cwd=tmp_path)
    assert result.returncode == 2
    assert _one_line(result) == (f"khabar backup: the folder {tmp_path / 'bk'} for b1.db does not exist: "
                                 "create it or choose another path")
    assert "khabar.db" not in result.stderr


def _learn(tmp_path: Path, approved: int, rejected: int) -> None:
    lines = [json.dumps({"text": f"نظر شمارهٔ {i} دربارهٔ قیمت نان", "decision": "approved"}, ensure_ascii=False)
             for i in range(approved)]
    lines += [json.dumps({"text": f"توهین شمارهٔ {i} به نویسنده", "decision": "rejected"}, ensure_ascii=False)
              for i in range(rejected)]
    result = khabar("learn", "--migrate", "-", cwd=tmp_path, stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr


def test_check_no_model_says_the_model_was_left_out(tmp_path: Path) -> None:
    _learn(tmp_path, 20, 20)
    used = khabar("check", cwd=tmp_path, stdin="سلام\n")
    assert "using the model learned from 40 decisions" in used.stderr, used.stderr
    result = khabar("check", "--no-model", cwd=tmp_path, stdin="سلام\n")
    assert result.returncode == 0
    assert "khabar check: the learned model is left out (--no-model): the rules alone" in result.stderr
    assert "no learned model" not in result.stderr


def test_check_with_too_few_decisions_gives_the_counts(tmp_path: Path) -> None:
    _learn(tmp_path, 3, 2)
    result = khabar("check", cwd=tmp_path, stdin="سلام\n")
    assert result.returncode == 0
    assert ("khabar check: the learned model has too few decisions yet (3 approved, 2 rejected; it needs 20 of "
            "each, see `khabar learn`): the rules alone") in result.stderr, result.stderr
