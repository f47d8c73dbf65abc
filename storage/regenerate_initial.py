"""Developer tool: rewrite the initial migration from the models (only before the first release)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from storage.migrate import MIGRATIONS, alembic_config


def main() -> None:
    """Autogenerate 0001_initial against an empty SQLite database."""
    versions = MIGRATIONS / "versions"
    for old in versions.glob("0001_*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        cfg = alembic_config(f"sqlite+aiosqlite:///{Path(tmp) / 'empty.db'}")
        command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001")
    for new in versions.glob("0001_*.py"):
        new.rename(versions / "0001_initial.py")
    sys.stdout.write("wrote storage/migrations/versions/0001_initial.py\n")


if __name__ == "__main__":
    main()
