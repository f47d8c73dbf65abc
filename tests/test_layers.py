"""The layering the design promises, read from the source: the pure domain imports neither Telegram nor SQL
(nor anything that does), services that return what to show import no Telegram, handlers import no storage,
storage imports no handlers.

Every ``import`` in a file counts, at any depth (inside functions and TYPE_CHECKING blocks too); a domain
module's imports of other Khabar modules are followed, so a domain module cannot reach Telegram or the
database through a helper either.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The pure domain: whole packages, and the pure modules that still live beside the services that use them.
DOMAIN_PACKAGES = ("bot/domain", "bot/checks", "bot/texts")
DOMAIN_MODULES = (
    "bot/callbacks.py", "bot/states.py", "bot/jalali.py", "bot/closing.py",
    "bot/intake/checking.py", "bot/intake/steps.py", "bot/intake/wording.py",
    "bot/moderation/card.py", "bot/moderation/queue_view.py", "bot/moderation/reasons.py",
    "bot/moderation/export_rows.py", "bot/moderation/stats.py",
    "bot/publishing/article_file.py", "bot/publishing/dedupe.py", "bot/publishing/feed_parse.py",
    "bot/publishing/post_format.py",
    "bot/website/addresses.py", "bot/website/atom.py", "bot/website/identity.py", "bot/website/limits.py",
    "bot/website/requests.py", "bot/website/threads.py",
)
# What the domain may not reach: Telegram, SQL and its drivers, the web stack, and the outer layers.
# Services that return what to show (screens, keyboards and direct replies as plain data) and never call
# Telegram themselves: the handler sends their replies (handlers/replies.py), the rest goes through the outbox.
TELEGRAM_FREE_SERVICES = ("bot/intake", "bot/moderation", "bot/publishing", "bot/website")
# Services whose SQL lives in storage/repos/ (issue 15): they may name AsyncSession for typing, nothing more.
SQL_FREE_SERVICES = ("bot/moderation", "bot/intake", "bot/publishing", "bot/website")
SQL_FREE_MODULES = ("bot/instance.py",)
SQL_ALLOWED = ("sqlalchemy.ext.asyncio", "sqlalchemy.exc")  # the session's type; catching its errors
IMPURE = frozenset({"telegram", "sqlalchemy", "aiosqlite", "asyncpg", "alembic", "aiohttp", "httpx",
                    "storage", "handlers"})


def _module_path(name: str) -> Path | None:
    """The file of a Khabar module named ``a.b.c`` (a package's __init__), or None if it is not ours."""
    base = ROOT.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


@cache
def imports_of(path: Path) -> frozenset[str]:
    """Every module ``path`` imports (``from a import b`` also names ``a.b``, which may be a module)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative imports: resolved against the file's package
                package = path.relative_to(ROOT).parent.parts
                package = package[: len(package) - (node.level - 1)]
                module = ".".join((*package, node.module)) if node.module else ".".join(package)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return frozenset(names)


def _reaches(path: Path) -> dict[str, list[str]]:
    """The impure top-level packages ``path`` reaches, each with one import chain that gets there."""
    found: dict[str, list[str]] = {}
    seen: set[Path] = set()
    todo: list[tuple[Path, list[str]]] = [(path, [str(path.relative_to(ROOT))])]
    while todo:
        current, chain = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for name in sorted(imports_of(current)):
            top = name.split(".")[0]
            if top in IMPURE:
                found.setdefault(top, [*chain, name])
            elif top == "bot":
                target = _module_path(name)
                if target is not None and target not in seen:
                    todo.append((target, [*chain, name]))
    return found


def _files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def domain_files() -> list[Path]:
    return [*_files(*DOMAIN_PACKAGES), *(ROOT / m for m in DOMAIN_MODULES)]


def test_the_domain_modules_named_here_exist() -> None:
    missing = [m for m in (*DOMAIN_PACKAGES, *DOMAIN_MODULES) if not (ROOT / m).exists()]
    assert not missing, f"moved or removed: update tests/test_layers.py: {missing}"


@pytest.mark.parametrize("path", domain_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_reaches_neither_telegram_nor_sql(path: Path) -> None:
    reached = _reaches(path)
    assert not reached, "the pure domain must not reach " + "; ".join(
        f"{top} via {' -> '.join(chain)}" for top, chain in reached.items())


@pytest.mark.parametrize("path", _files(*TELEGRAM_FREE_SERVICES), ids=lambda p: str(p.relative_to(ROOT)))
def test_services_import_no_telegram(path: Path) -> None:
    # PTB's string helpers (deep links, mentions, escaping) are pure and used rather than written again.
    telegram = sorted(n for n in imports_of(path)
                      if n.split(".")[0] == "telegram" and not n.startswith("telegram.helpers"))
    assert not telegram, f"a service returns steps for handlers/replies.py to send, it never imports {telegram}"


def sql_imports(path: Path) -> list[str]:
    """What ``path`` imports from SQLAlchemy beyond the session's type and its exceptions."""
    return sorted(n for n in imports_of(path) if n.split(".")[0] == "sqlalchemy"
                  and not any(n == allowed or n.startswith(allowed + ".") for allowed in SQL_ALLOWED))


def test_the_sql_free_modules_named_here_exist() -> None:
    missing = [m for m in (*SQL_FREE_SERVICES, *SQL_FREE_MODULES) if not (ROOT / m).exists()]
    assert not missing, f"moved or removed: update SQL_FREE_SERVICES / SQL_FREE_MODULES: {missing}"


@pytest.mark.parametrize("path", [*_files(*SQL_FREE_SERVICES), *(ROOT / m for m in SQL_FREE_MODULES)],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_services_build_no_sql(path: Path) -> None:
    assert not sql_imports(path), (
        f"statements belong in a storage/repos/ module taking the session; found {sql_imports(path)}")


def test_the_sql_rule_allows_only_the_session_type(tmp_path: Path) -> None:
    typed, building = tmp_path / "typed.py", tmp_path / "building.py"  # two files: imports_of is cached by path
    typed.write_text("from sqlalchemy.ext.asyncio import AsyncSession\nfrom sqlalchemy.exc import IntegrityError\n",
                     encoding="utf-8")
    assert sql_imports(typed) == []
    building.write_text("from sqlalchemy.ext.asyncio import AsyncSession\n"
                        "def f():\n    from sqlalchemy import select\n    import sqlalchemy.orm\n", encoding="utf-8")
    assert sql_imports(building) == ["sqlalchemy", "sqlalchemy.orm", "sqlalchemy.select"]


def test_handlers_import_no_storage() -> None:
    bad = {str(p.relative_to(ROOT)): sorted(n for n in imports_of(p) if n.split(".")[0] == "storage")
           for p in _files("handlers")}
    assert not {k: v for k, v in bad.items() if v}, "handlers go through bot/ services, never storage/"


def test_storage_imports_no_handlers() -> None:
    bad = {str(p.relative_to(ROOT)): sorted(n for n in imports_of(p) if n.split(".")[0] == "handlers")
           for p in _files("storage")}
    assert not {k: v for k, v in bad.items() if v}, "storage/ knows nothing of Telegram's glue"


def test_the_rule_sees_a_forbidden_import(tmp_path: Path) -> None:
    """The checker itself: an import at any depth is seen, a relative one is resolved."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from telegram import Bot\n    import sqlalchemy.orm\n", encoding="utf-8")
    assert {"telegram", "telegram.Bot", "sqlalchemy.orm"} <= imports_of(sample)


_DELIVERY_WRITE = re.compile(r"\b(update|delete|insert|insert_for)\(\s*(session,\s*)?Delivery\b")


def test_only_the_outbox_repository_writes_delivery_rows() -> None:
    writers = sorted(str(p.relative_to(ROOT)) for p in [*_files("bot", "storage", "handlers")]
                     if p != ROOT / "storage" / "repos" / "outbox.py"
                     and _DELIVERY_WRITE.search(p.read_text(encoding="utf-8")))
    assert writers == [], f"delivery rows are written by storage/repos/outbox.py only; also in {writers}"
    assert _DELIVERY_WRITE.search((ROOT / "storage" / "repos" / "outbox.py").read_text(encoding="utf-8"))
