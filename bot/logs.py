"""One logging setup: plain or JSON lines, context fields, secrets redacted."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from telegram.error import TelegramError

# Bot tokens look like 123456789:AA…; they appear in Bot API URLs that httpx logs.
TOKEN_RE = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")
CONTEXT_FIELDS = ("update_id", "chat_id", "user_id", "comment_id", "article_id", "delivery_id", "job")
_STANDARD = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


class RedactFilter(logging.Filter):
    """Replace bot tokens and configured secrets in every record's text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def redact(self, text: str) -> str:
        """The text with every secret replaced by ``***``."""
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return TOKEN_RE.sub("***", text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, redacted, so arguments cannot leak a secret."""
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


class TelegramAnswerFilter(logging.Filter):
    """PTB logs some of Telegram's answers with a traceback (a refused webhook in its start-up retry loop):
    an answer is not a bug in Khabar, so the operator gets one line naming it instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Fold a Telegram error's traceback from PTB's own loggers into the message."""
        if record.exc_info and record.name.startswith("telegram"):
            error = record.exc_info[1]
            if (isinstance(error, ValueError) and record.name.startswith("telegram.request")
                    and str(record.msg).startswith("Can not load invalid JSON data")):
                # Not JSON: a proxy's or gateway's error page (nginx's HTML 502) instead of the Bot API. PTB
                # logs the whole page with a traceback, then raises a NetworkError the caller handles.
                args = record.args if isinstance(record.args, tuple) else ()
                page = " ".join(str(args[0] if args else "").split())[:160]
                record.msg = f"the Bot API answered with something that is not JSON (a proxy's error page?): {page}"
                record.args = None
                record.levelno, record.levelname = logging.WARNING, "WARNING"
                record.exc_info = None
                record.exc_text = None
            elif isinstance(error, TelegramError) and record.getMessage().startswith("Network Retry Loop"):
                # Only PTB's start-up retry loop (a refused webhook): an error handler's own failure keeps
                # its traceback, it may be a bug.
                record.msg = f"{record.getMessage()} ({type(error).__name__}: {error.message})"
                record.args = None
                record.exc_info = None
                record.exc_text = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line, with structured fields passed via ``extra``."""

    def format(self, record: logging.LogRecord) -> str:
        """Serialise the record."""
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = value
        if record.exc_text:
            data["exc"] = record.exc_text
        return json.dumps(data, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """Human-readable lines; extra fields appended as key=value."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """Base line plus context fields."""
        line = super().format(record)
        extras = [f"{k}={v}" for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")]
        if extras:
            first, sep, rest = line.partition("\n")
            line = first + " " + " ".join(extras) + sep + rest
        return line


def setup_logging(
    level: str = "INFO", fmt: str = "plain", secrets: Iterable[str] = (), stream: TextIO | None = None
) -> None:
    """Configure the root logger once (idempotent: replaces earlier Khabar handlers)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_khabar", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler._khabar = True  # type: ignore[attr-defined]
    handler.addFilter(TelegramAnswerFilter())
    handler.addFilter(RedactFilter(secrets))
    handler.setFormatter(JsonFormatter() if fmt == "json" else PlainFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO; keep it for DEBUG only.
    logging.getLogger("httpx").setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
