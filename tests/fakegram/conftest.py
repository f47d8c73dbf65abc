"""Fixtures for fakegram's own tests: ``fake`` and ``fake_bot`` from the reusable plugin.

This folder is named like the package it tests. Under pytest's default ``prepend`` import mode ``tests/``
lands on ``sys.path`` and ``tests/fakegram`` (no ``__init__.py``) would shadow the real package as a
namespace package; a regular package anywhere on ``sys.path`` wins over that, so put the project root
there (the proper fix is ``pythonpath = ["."]`` in pyproject's pytest options).
"""

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.append(_ROOT)
if getattr(sys.modules.get("fakegram"), "__file__", "") is None:  # a cached namespace package
    del sys.modules["fakegram"]

from fakegram.pytest_plugin import fake, fake_bot, pytest_runtest_makereport  # noqa: E402

__all__ = ["fake", "fake_bot", "pytest_runtest_makereport"]
