"""``khabar words import|export``: the newsroom's run-time word lists as CSV (category, kind, entry)."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import sys
from datetime import UTC, datetime
from typing import Any

from bot.settings import Settings, load_settings

COLUMNS = ("category", "kind", "entry")
PROGRESS = 500  # a progress line every this many rows
OPERATOR = 0  # moderator_id of changes made from the command line


def add_parser(sub: Any) -> None:
    """Register ``words``."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "words", help="import or export the blocked words and allowed exceptions moderators edit with /words")
    action = parser.add_subparsers(dest="words_action", metavar="ACTION", required=True)
    out = action.add_parser("export", help="write every entry as CSV: category,kind,entry")
    out.add_argument("--out", help="file to write (default: standard output)")
    out.set_defaults(handler=run)
    into = action.add_parser("import", help="add the entries of a CSV file (category,kind,entry); existing ones stay")
    into.add_argument("file", help="CSV file with a header row: category,kind,entry (kind: block or allow)")
    into.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Export (exit 0) or import (exit 0; 1 if some rows were refused; 2 for an unreadable file)."""
    settings = load_settings(env_file=args.env_file)
    if args.words_action == "export":
        text, count = asyncio.run(_export(settings))
        if args.out:
            try:
                with open(args.out, "w", encoding="utf-8", newline="") as handle:
                    handle.write("\ufeff" + text)  # Excel needs the BOM to read UTF-8
            except OSError as exc:
                sys.stderr.write(f"khabar words export: {args.out}: cannot write the file: {exc.strerror or exc}\n")
                return 2
        else:
            sys.stdout.write(text)
        sys.stderr.write(f"exported {count} entries\n")
        return 0
    try:
        with open(args.file, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        sys.stderr.write(f"khabar words import: cannot read {args.file}: {exc}\n")
        return 2
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [c.strip().lower() for c in rows[0]] != list(COLUMNS):
        sys.stderr.write("khabar words import: the first row must be the header category,kind,entry\n")
        return 2
    return asyncio.run(_import(settings, rows[1:]))


async def _export(settings: Settings) -> tuple[str, int]:
    from storage.db import Database
    from storage.repos import words as repo

    db = Database(settings.database_url)
    try:
        async with db.transaction() as session:
            entries = await repo.entries(session)
    finally:
        await db.close()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows((w.category, w.kind, w.entry) for w in entries)
    return buffer.getvalue(), len(entries)


async def _import(settings: Settings, rows: list[list[str]]) -> int:
    from bot import words
    from bot.moderation.service_words import Change, change_in
    from storage.db import Database

    db = Database(settings.database_url)
    added = present = 0
    refused: list[str] = []
    try:
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            category = words.category_of(row[0]) if row else None
            kind = row[1].strip().lower() if len(row) > 1 else ""
            entry = row[2].strip() if len(row) > 2 else ""
            if category is None or kind not in (words.BLOCK, words.ALLOW) or not words.valid(category, kind, entry):
                refused.append(f"line {number}: {','.join(row)[:80]!r}")
                continue
            async with db.transaction() as session:  # one row, one transaction: an interrupted import resumes
                changed = await change_in(session, Change(kind, category, entry), OPERATOR, datetime.now(UTC),
                                          details={"import": True})
            added, present = added + changed, present + (not changed)
            if (added + present) % PROGRESS == 0:
                sys.stderr.write(f"{added + present} rows read…\n")
    finally:
        await db.close()
    for line in refused:
        sys.stderr.write(f"khabar words import: refused {line} (category: insult, accusation or spam; "
                         "kind: block or allow; an entry of 1-100 characters)\n")
    sys.stderr.write(f"imported: {added} added, {present} already listed, {len(refused)} refused\n")
    return 1 if refused else 0
