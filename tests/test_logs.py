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


def test_only_ptbs_start_up_retry_loop_and_gateway_pages_lose_their_tracebacks() -> None:
    """A refused webhook in PTB's retry loop and a proxy's HTML page are Telegram's answers: one line each.
    Any other traceback PTB logs (an error handler failing: maybe a bug) is kept whole."""
    from telegram.error import BadRequest

    out = io.StringIO()
    setup_logging("INFO", "plain", stream=out)
    try:
        json.loads("<html><title>502 Bad Gateway</title></html>")
    except ValueError:
        logging.getLogger("telegram.request.BaseRequest").exception(
            'Can not load invalid JSON data: "%s"', "<html>\r\n<title>502 Bad Gateway</title></html>")
    ptb = logging.getLogger("telegram.ext.Updater")
    for message in ("Network Retry Loop (Bootstrap Set Webhook): Failed run number 0 of 0. Aborting.",
                    "An error was raised and an uncaught error was raised while handling the error"):
        try:
            raise BadRequest("Bad webhook: webhook can be set up only on ports 80, 88, 443 or 8443")
        except BadRequest:
            ptb.exception(message)
    text = out.getvalue()
    first, second = text.split("An error was raised", 1)
    assert "Traceback" not in first and "(BadRequest: Bad webhook" in first
    assert "WARNING telegram.request.BaseRequest: the Bot API answered with something that is not JSON" in first
    assert "Traceback" in second  # kept: not Telegram's answer to the start-up loop
