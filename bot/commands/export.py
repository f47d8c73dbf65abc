"""``khabar export``: an article's or a date range's comments as CSV (Excel-ready) or JSON."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import sys
from typing import Any, TextIO

from bot.moderation import export_rows
from bot.settings import Settings, load_settings

PAGE = 1000


def add_parser(sub: Any) -> None:
    """Register ``export``."""
    parser: argparse.ArgumentParser = sub.add_parser("export", help="write comments as CSV or JSON for the newsroom")
    parser.add_argument("--article", help="article id or token")
    parser.add_argument("--from", dest="first", help="first day, e.g. 2025-01-05 or Jalali 1403-10-16")
    parser.add_argument("--to", dest="last", help="last day (inclusive); default: --from")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--out", help="file to write (default: standard output)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the export; exit 2 for bad arguments, 1 for an unknown article."""
    if bool(args.article) == bool(args.first):
        sys.stderr.write("khabar export: give either --article or --from [--to]\n")
        return 2
    settings = load_settings(env_file=args.env_file)
    window = None
    if args.first:
        try:
            first = export_rows.parse_day(args.first)
            last = export_rows.parse_day(args.last) if args.last else first
            window = export_rows.day_range(first, last, settings.tz)
        except ValueError as exc:
            sys.stderr.write(f"khabar export: {exc}\n")
            return 2
    return asyncio.run(_export(settings, args, window))


async def _export(settings: Settings, args: argparse.Namespace, window: Any) -> int:
    from storage.db import Database
    from storage.repos import moderation as repo

    db = Database(settings.database_url)
    records: list[dict[str, Any]] = []
    try:
        article_id = None
        if args.article:
            async with db.transaction() as session:
                article = await repo.article_by_ref(session, args.article)
            if article is None:
                sys.stderr.write(f"khabar export: no article {args.article!r}\n")
                return 1
            article_id = article.id
        since, until = window if window else (None, None)
        after = 0
        while True:
            async with db.transaction() as session:
                page = await repo.export_rows(
                    session, article_id=article_id, since=since, until=until, after_id=after, limit=PAGE
                )
            for comment, article, user in page:
                src = export_rows.Source(
                    comment.id, comment.token, article.id, article.title, comment.parent_id, comment.author_id,
                    (comment.web_author or "") if comment.source == "web" else (user.display_name if user else ""),
                    comment.text, comment.status, comment.reason,
                    comment.created_at, comment.decided_at, comment.published_at,
                    "web" if comment.source == "web" else "telegram",
                )
                records.append(export_rows.row(src, settings.tz))
            if len(page) < PAGE:
                break
            after = page[-1][0].id
            sys.stderr.write(f"exported {len(records)} comments…\n")
    finally:
        await db.close()
    try:
        _write(records, args.format, args.out)
    except OSError as exc:
        sys.stderr.write(f"khabar export: {args.out}: cannot write the file: {exc.strerror or exc}\n")
        return 2
    sys.stderr.write(f"exported {len(records)} comments\n")
    return 0


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula gets a leading ``'``; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _write(records: list[dict[str, Any]], fmt: str, out: str | None) -> None:
    """Write the records as JSON (exactly as stored) or as CSV for Excel (UTF-8 with a BOM).

    CSV injection: readers write the author names and comment texts, and Excel runs a cell that starts with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula. In the CSV only, such a text cell is
    prefixed with a single quote ``'`` (the usual OWASP advice: Excel shows the text, not a formula); a
    negative number is not a text cell and stays as it is. The JSON output is never altered.
    """
    buffer = io.StringIO()
    if fmt == "json":
        json.dump(records, buffer, ensure_ascii=False, indent=2)
        buffer.write("\n")
    else:
        writer = csv.DictWriter(buffer, fieldnames=export_rows.COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({key: _csv_cell(value) for key, value in record.items()} for record in records)
    text = buffer.getvalue()
    if out:
        bom = "\ufeff" if fmt == "csv" else ""  # Excel needs the BOM to read UTF-8
        with open(out, "w", encoding="utf-8", newline="") as handle:
            handle.write(bom + text)
    else:
        stream: TextIO = sys.stdout
        stream.write(("\ufeff" if fmt == "csv" else "") + text)
