"""All SQL in storage/repos/ (issue 15, item 3), read from the source: the intake, publishing and website
services and the instance guard build no statements themselves. From SQLAlchemy they may import only
``sqlalchemy.ext.asyncio`` (``AsyncSession``, for annotations) and ``sqlalchemy.exc`` (to catch its errors);
a select, update, insert, delete, func or text they need is a named function in a storage/repos/ module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_layers import ROOT, imports_of

SQL_FREE_PACKAGES = ("bot/intake", "bot/publishing", "bot/website")
SQL_FREE_MODULES = ("bot/instance.py",)
ALLOWED = ("sqlalchemy.ext.asyncio", "sqlalchemy.exc")


def sql_free_files() -> list[Path]:
    return sorted({*(p for folder in SQL_FREE_PACKAGES for p in (ROOT / folder).rglob("*.py")),
                   *(ROOT / m for m in SQL_FREE_MODULES)})


def sql_builders(path: Path) -> list[str]:
    """What ``path`` imports from SQLAlchemy beyond the session type and the exceptions."""
    return sorted(n for n in imports_of(path) if n.split(".")[0] == "sqlalchemy"
                  and not any(n == allowed or n.startswith(allowed + ".") for allowed in ALLOWED))


def test_the_modules_named_here_exist() -> None:
    missing = [m for m in (*SQL_FREE_PACKAGES, *SQL_FREE_MODULES) if not (ROOT / m).exists()]
    assert not missing, f"moved or removed: update tests/test_layers_sql.py: {missing}"


@pytest.mark.parametrize("path", sql_free_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_services_build_no_sql(path: Path) -> None:
    builders = sql_builders(path)
    assert not builders, f"a service calls storage/repos/ for its SQL, it never imports {builders}"


def test_the_rule_sees_a_query_builder(tmp_path: Path) -> None:
    """The checker itself: the session type and the exceptions pass, a builder at any depth does not."""
    allowed = tmp_path / "allowed.py"
    allowed.write_text("from sqlalchemy.ext.asyncio import AsyncSession\nimport sqlalchemy.exc\n"
                       "from sqlalchemy.exc import IntegrityError\n", encoding="utf-8")
    assert sql_builders(allowed) == []
    forbidden = tmp_path / "forbidden.py"
    forbidden.write_text("def f():\n    from sqlalchemy import select\n    import sqlalchemy\n"
                         "    from sqlalchemy.dialects.postgresql import insert\n", encoding="utf-8")
    assert sql_builders(forbidden) == ["sqlalchemy", "sqlalchemy.dialects.postgresql",
                                       "sqlalchemy.dialects.postgresql.insert", "sqlalchemy.select"]
