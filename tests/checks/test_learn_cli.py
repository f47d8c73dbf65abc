"""`khabar learn FILE` and `khabar check` with the learned model, as an operator runs them (a .env file)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import khabar

APPROVED = ["گزارش خوبی بود ممنون", "امیدوارم مشکل آب زودتر حل شود", "کاش قیمت‌ها را هم می‌نوشتید"]
REJECTED = ["مجری دلقک برنامه رو خراب کرد", "عجب دلقک بی مزه ای", "دلقک بازی بسه دیگه"]


def decisions_file(path: Path) -> Path:
    lines = []
    for i in range(8):
        lines += [json.dumps({"text": f"{t} {i}", "decision": "approved"}, ensure_ascii=False) for t in APPROVED]
        lines += [json.dumps({"text": f"{t} {i}", "decision": "rejected", "reason": "insult"}, ensure_ascii=False)
                  for t in REJECTED]
    lines += ["not json", json.dumps({"text": "بی تصمیم"}), ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_learn_then_check_uses_the_model(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"KHABAR_DATABASE_URL=sqlite+aiosqlite:///{tmp_path / 'k.db'}\n", encoding="utf-8")
    before = khabar("check", cwd=tmp_path, stdin="عجب دلقکی\n")
    assert before.returncode == 0
    assert "no learned model" in before.stderr and "model" not in json.loads(before.stdout)
    assert not (tmp_path / "k.db").exists()  # check never creates a database

    decisions_file(tmp_path / "decisions.jsonl")
    refused = khabar("learn", "decisions.jsonl", cwd=tmp_path)
    assert refused.returncode == 2 and "khabar db upgrade" in refused.stderr  # no schema yet: says what to run
    result = khabar("learn", "decisions.jsonl", "--migrate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "approved, taught      24" in result.stdout and "rejected, taught      24" in result.stdout
    assert "not a decision        2" in result.stdout and "line 49: not JSON" in result.stdout
    assert "48 decisions (24 approved, 24 rejected)" in result.stdout
    again = khabar("learn", "decisions.jsonl", cwd=tmp_path)
    assert "already known         48" in again.stdout and "48 decisions" in again.stdout  # idempotent

    after = khabar("check", cwd=tmp_path, stdin="عجب دلقکی\nگزارش خوبی بود\n")
    assert after.returncode == 0
    assert "using the model learned from 48 decisions" in after.stderr
    bad, good = (json.loads(line) for line in after.stdout.splitlines())
    assert bad["model"]["reject_probability"] > 0.9 and bad["model"]["words"][0] == "دلقکی"
    assert "model" in bad["reasons"] and bad["verdict"] == "review"
    assert good["model"]["reject_probability"] < 0.5 and good["verdict"] == "pass"
    no_model = khabar("check", "--no-model", cwd=tmp_path, stdin="عجب دلقکی\n")
    assert "the learned model is left out (--no-model)" in no_model.stderr  # there is one: left out on request


def test_learn_missing_file_exits_1(tmp_path: Path) -> None:
    result = khabar("learn", "nothing.jsonl", cwd=tmp_path)
    assert result.returncode == 1 and "no such file" in result.stderr
