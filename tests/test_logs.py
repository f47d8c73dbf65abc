"""Logging: JSON lines with context fields, secrets never written."""

from __future__ import annotations

import io
import json
import logging

from bot.logs import setup_logging

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"


def test_json_lines_carry_context_and_redact_secrets() -> None:
    out = io.StringIO()
    setup_logging("INFO", "json", secrets=["s3cr3t-hook"], stream=out)
    log = logging.getLogger("khabar.test")
    log.info("calling https://api.telegram.org/bot%s/getMe with s3cr3t-hook", TOKEN, extra={"comment_id": 42})
    try:
        raise RuntimeError(f"boom {TOKEN}")
    except RuntimeError:
        log.exception("failed", extra={"update_id": 7})
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[0]["comment_id"] == 42 and lines[0]["level"] == "INFO"
    assert lines[1]["update_id"] == 7 and "RuntimeError" in lines[1]["exc"]
    assert TOKEN not in out.getvalue() and "s3cr3t-hook" not in out.getvalue()


def test_plain_lines_append_fields() -> None:
    out = io.StringIO()
    setup_logging("INFO", "plain", stream=out)
    logging.getLogger("khabar.test").warning("retry", extra={"delivery_id": 3})
    assert "WARNING khabar.test: retry delivery_id=3" in out.getvalue()
