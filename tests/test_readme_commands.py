"""The README's install-and-run command, as written, in a fresh clone, against the fake Telegram.

The operator's path word for word: run the command (it installs, copies .env.example to .env and stops
naming the three keys to fill in), edit .env's lines, run the same command again: the bot polls and
answers a reader. The clone is of the committed tree (``git clone``), as CI's clean clone is.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from fakegram.control import FakeTelegram
from tests.e2e.harness import build_world

ROOT = Path(__file__).parents[1]


def readme_command(title: str) -> str:
    """The command in the first ```bash block after the line naming ``title``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(re.escape(title) + r".*?```bash\n(.+?)\n```", text, flags=re.S)
    assert found, f"README has no command block after {title!r}"
    return found.group(1).strip()


def fresh_clone(dest: Path) -> Path:
    if (ROOT / ".git").exists() and shutil.which("git"):
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(dest)], check=True, timeout=120)
    else:  # a source tree without git: the files as they are
        shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(".venv", "__pycache__", "*.db*"))
    return dest


def edit_env(path: Path, values: dict[str, str]) -> None:
    """Change ``KEY=`` lines in place, as an operator does in an editor (never appending or exporting)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    todo = dict(values)
    for i, line in enumerate(lines):
        key = line.split("=", 1)[0]
        if key in todo:
            lines[i] = f"{key}={todo.pop(key)}"
    assert not todo, f"not in .env.example: {sorted(todo)}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


async def run_shell(command: str, cwd: Path) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_") and k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    return await asyncio.create_subprocess_exec(
        "bash", "-c", command, cwd=cwd, env=env, start_new_session=True,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )


@pytest.mark.slow
async def test_readme_install_and_run_command_as_written(fake: FakeTelegram, tmp_path: Path) -> None:
    command = readme_command("Install and start the bot")
    assert "khabar run" in command and ".env.example" in command
    clone = fresh_clone(tmp_path / "khabar")

    first = await run_shell(command, clone)
    out, _ = await asyncio.wait_for(first.communicate(), 600)
    text = out.decode()
    assert first.returncode == 2, text
    for key in ("KHABAR_BOT_TOKEN", "KHABAR_CHANNEL", "KHABAR_MODERATOR_CHAT"):
        assert f"{key} is not set" in text
    assert "Traceback" not in text and (clone / ".env").exists()

    world = build_world(fake)
    edit_env(clone / ".env", {
        "KHABAR_BOT_TOKEN": fake.token,
        "KHABAR_CHANNEL": "@" + (world.channel.username or ""),
        "KHABAR_MODERATOR_CHAT": str(world.mods_chat.id),
        "KHABAR_MODERATORS": f"{world.moderators[0].id},{world.moderators[1].id}",
        "KHABAR_BOT_API_URL": fake.base_url,
    })
    second = await run_shell(command, clone)
    try:
        await fake.wait_for("getUpdates", timeout=300, ok=None)  # polling has begun
        reader = fake.make_user("خواننده", "reader")
        await reader.start_bot()
        welcome = await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(reader.id),
                                      timeout=60)
        assert welcome.params.get("text")
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        out, _ = await asyncio.wait_for(second.communicate(), 60)
    text = out.decode()
    assert "starting long polling" in text and "Traceback" not in text, text
    assert (clone / "khabar.db").exists()  # the SQLite database, beside .env
