from __future__ import annotations

import io
import json
from pathlib import Path

from bot.checks.cli import run_check


def test_run_check_with_article(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("قطعی برق در تهران\nوزیر نیرو گفت قطعی برق در تهران ادامه دارد.", encoding="utf-8")
    out = io.StringIO()
    lines = ["قطعی برق تهران کلافه کننده است\n", json.dumps({"text": "salam khobi"}) + "\n", "عالی بود\n"]
    assert run_check(lines, out, str(article)) == 0
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["verdict"] for r in records] == ["pass", "reject", "pass"]
    assert records[0]["topic"] == "related"
    assert records[1]["language_reason"] == "finglish"
    for key in ("language", "language_reason", "topic", "relevance", "insult", "accusation", "verdict", "reasons"):
        assert key in records[0]


def test_run_check_without_article() -> None:
    out = io.StringIO()
    run_check(["قطعی برق تهران\n"], out, None)
    record = json.loads(out.getvalue())
    assert record["topic"] == "unknown"
    assert "\\u" not in out.getvalue()
