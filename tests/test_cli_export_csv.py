"""``khabar export``: a reader's text that a spreadsheet would run as a formula is neutralised in the CSV only."""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path

from bot.states import CommentStatus
from storage.db import Database
from tests.moderation import factory
from tests.test_cli import khabar

NASTY = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


async def test_formula_cells_get_a_quote_in_csv_and_stay_exact_in_json(db: Database, db_url: str,
                                                                       tmp_path: Path) -> None:
    art = await factory.article(db)
    await factory.user(db, 501, "=cmd|' /C calc'!A0")
    for text in NASTY:
        await factory.comment(db, art, 501, text, status=CommentStatus.APPROVED)
    await factory.comment(db, art, 501, "نظر عادی - بدون فرمول", status=CommentStatus.APPROVED)
    env = {"KHABAR_DATABASE_URL": db_url}
    out = tmp_path / "c.csv"
    done = await asyncio.to_thread(khabar, "export", "--article", str(art.id), "--out", str(out),
                                   cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8-sig", newline="") as handle:  # newline="": keep the "\r" inside a cell
        rows = list(csv.DictReader(handle))
    assert [r["text"] for r in rows] == ["'" + t for t in NASTY] + ["نظر عادی - بدون فرمول"]
    assert {r["author_name"] for r in rows} == {"'=cmd|' /C calc'!A0"}
    assert rows[0]["comment_id"].isdigit()
    as_json = await asyncio.to_thread(khabar, "export", "--article", str(art.id), "--format", "json",
                                      cwd=tmp_path, env=env)
    assert as_json.returncode == 0, as_json.stderr
    records = json.loads(as_json.stdout)
    assert [r["text"] for r in records] == [*NASTY, "نظر عادی - بدون فرمول"]
    assert records[0]["author_name"] == "=cmd|' /C calc'!A0"
