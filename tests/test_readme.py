"""The README stays true: its test command is the one CI runs, every setting is documented."""

from __future__ import annotations

import re
from pathlib import Path

from bot.settings import PREFIX, Settings

ROOT = Path(__file__).parents[1]


def _ci_test_command() -> str:
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    marker = next(i for i, line in enumerate(lines) if "README test command" in line)
    return lines[marker + 1].strip()


def test_ci_runs_the_readme_test_command() -> None:
    assert _ci_test_command() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_env_example_and_readme() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    keys = {PREFIX + name.upper() for name in Settings.model_fields}
    in_example = set(re.findall(r"^#?\s*(KHABAR_[A-Z0-9_]+)=", example, flags=re.M))
    assert keys == in_example
    for key in keys:
        assert f"`{key}`" in readme, key
