"""``khabar demo`` as a person runs it: no token, no .env; Ctrl-C stops it and removes its temporary files."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import sys
import urllib.request
from pathlib import Path

import pytest

from bot.texts import demo as texts

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
URL = re.compile(r"http://127\.0\.0\.1:\d+/")


def khabar() -> str:
    """The installed ``khabar`` script next to this Python (what the README's install puts there)."""
    script = Path(sys.executable).with_name("khabar")
    found = str(script) if script.exists() else shutil.which("khabar")
    if found is None:
        pytest.skip("the khabar script is not installed (pip install -e .)")
    return found


def clean_env(tmp: Path) -> dict[str, str]:
    """The environment without any KHABAR_* setting, with temporary files going to ``tmp``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    env.update(TMPDIR=str(tmp), PYTHONUNBUFFERED="1")
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


async def start(cwd: Path, tmp: Path, *extra: str) -> tuple[asyncio.subprocess.Process, str, list[str]]:
    """Start ``khabar demo --no-browser --port 0``; its URL once printed, and the lines read so far."""
    proc = await asyncio.create_subprocess_exec(
        khabar(), "demo", "--no-browser", "--port", "0", *extra, cwd=cwd, env=clean_env(tmp),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    while True:
        line = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode()
        if not line:
            raise AssertionError("khabar demo exited before printing its address:\n" + "".join(lines))
        lines.append(line)
        found = URL.search(line)
        if found:
            return proc, found.group(0), lines


async def stop(proc: asyncio.subprocess.Process, lines: list[str]) -> int:
    """Ctrl-C (SIGINT) and wait for the exit; the rest of the output goes into ``lines``."""
    assert proc.stdout is not None
    proc.send_signal(signal.SIGINT)
    rest = await asyncio.wait_for(proc.stdout.read(), 60)
    lines.append(rest.decode())
    return await asyncio.wait_for(proc.wait(), 60)


def get_state(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url + "api/state", timeout=10) as response:
        state: dict[str, object] = json.loads(response.read().decode())
        return state


async def test_demo_needs_no_token_and_ctrl_c_removes_its_files(tmp_path: Path) -> None:
    cwd, tmp = tmp_path / "work", tmp_path / "tmp"
    cwd.mkdir()
    tmp.mkdir()
    assert not (cwd / ".env").exists()
    proc, url, lines = await start(cwd, tmp)
    try:
        state = await asyncio.to_thread(get_state, url)
        data = state["data"]
        assert isinstance(data, dict) and data["temporary"] is True
        db = Path(str(data["path"]))
        assert db.exists() and db.parent.parent == tmp, db
        with urllib.request.urlopen(url, timeout=10) as response:
            page = response.read().decode()
        assert texts.PAGE["banner"].split("،")[0] in page
    finally:
        code = await stop(proc, lines)
    output = "".join(lines)
    assert code == 0, output
    assert "fakegram" in output and str(db) in output and "Traceback" not in output, output
    assert list(tmp.iterdir()) == [], "temporary files left behind"
    assert list(cwd.iterdir()) == [], "the demo wrote into the current folder"


async def test_demo_keeps_a_db_file_it_was_given(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    kept = tmp_path / "kept" / "demo.db"
    proc, url, lines = await start(tmp_path, tmp, "--db", str(kept))
    try:
        state = await asyncio.to_thread(get_state, url)
        assert state["data"] == {"path": str(kept), "temporary": False}
    finally:
        code = await stop(proc, lines)
    assert code == 0, "".join(lines)
    assert kept.exists() and kept.stat().st_size > 0
    assert list(tmp.iterdir()) == []


async def test_a_busy_port_is_a_clear_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = await asyncio.create_subprocess_exec(
            khabar(), "demo", "--no-browser", "--port", str(port), cwd=tmp_path, env=clean_env(tmp_path),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await asyncio.wait_for(proc.communicate(), 60)
    text = out.decode()
    assert proc.returncode == 2, text
    assert f"127.0.0.1:{port}" in text and "--port 0" in text and "Traceback" not in text
    assert [p for p in tmp_path.iterdir() if p.name.startswith("khabar-demo-")] == []


async def test_a_db_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("not a database", encoding="utf-8")
    proc = await asyncio.create_subprocess_exec(
        khabar(), "demo", "--no-browser", "--port", "0", "--db", str(bad), cwd=tmp_path, env=clean_env(tmp_path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    text = out.decode()
    assert proc.returncode == 1, text
    assert "could not start" in text and "not a database" in text and "Traceback" not in text
    assert bad.read_text(encoding="utf-8") == "not a database"


def fetch(url: str) -> tuple[int, dict[str, str], str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read().decode()


async def test_demo_runs_the_website_comment_box_in_its_own_pane(tmp_path: Path) -> None:
    cwd, tmp = tmp_path / "work", tmp_path / "tmp"
    cwd.mkdir()
    tmp.mkdir()
    proc, url, lines = await start(cwd, tmp)
    try:
        state = await asyncio.to_thread(get_state, url)
        web = state["web"]
        assert isinstance(web, dict), state
        base = str(web["base"])
        link = None
        for _ in range(100):  # the sample article reaches the channel through the outbox
            channel = (await asyncio.to_thread(get_state, url))["channel"]
            link = re.search(r'"start": "a-([A-Za-z0-9_-]+)"', json.dumps(channel))
            if link:
                break
            await asyncio.sleep(0.2)
        assert link, "the sample article never reached the channel"
        status, headers, page = await asyncio.to_thread(fetch, f"{base}/embed/{link.group(1)}")
        assert status == 200 and 'dir="rtl"' in page
        ancestors = headers["Content-Security-Policy"].split("frame-ancestors", 1)[1].split(";")[0].split()
        assert url.rstrip("/") in ancestors, headers  # the demo page may frame it; other sites may not
    finally:
        code = await stop(proc, lines)
    assert code == 0, "".join(lines)
