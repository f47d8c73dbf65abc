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


def test_every_command_is_documented_and_every_documented_command_exists() -> None:
    from bot.cli import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    commands = set(sub.choices)  # type: ignore[arg-type]
    for name in commands:
        assert f"`khabar {name}" in readme, name
    documented = set(re.findall(r"^\| `khabar (\w+)", readme, flags=re.M))
    assert documented <= commands, documented - commands


def test_readme_links_point_at_files_that_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(((?!https?:|#)[^)]+)\)", readme):
        assert (ROOT / target).exists(), target


def test_readme_table_defaults_are_the_settings_defaults() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        row = re.search(rf"^\| `{PREFIX}{name.upper()}` \| ([^|]*) \|", readme, flags=re.M)
        assert row, name
        if isinstance(field.default, int | float | str) and field.default not in ("",) and name != "database_url":
            assert f"`{field.default}`" in row.group(1), (name, row.group(1))
