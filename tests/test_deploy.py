"""The service files stay true to the code: what they copy exists, the commands they run parse."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

from bot.cli import build_parser

ROOT = Path(__file__).parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
UNIT = (ROOT / "deploy" / "khabar.service").read_text(encoding="utf-8")


def _parses(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert getattr(args, "handler", None) is not None, argv


def test_dockerfile_copies_every_package_and_what_the_build_reads() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = [p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]]
    copied = {line.split()[1] for line in DOCKERFILE.splitlines() if line.startswith("COPY ")}
    copied |= {word for line in DOCKERFILE.splitlines() if line.startswith("COPY ") for word in line.split()[1:-1]}
    for needed in [*packages, "pyproject.toml", project["project"]["readme"], "LICENSE"]:
        assert needed in copied, needed
        assert (ROOT / needed).exists(), needed


def test_container_runs_as_a_user_with_a_healthcheck_and_a_real_command() -> None:
    user = re.findall(r"^USER (\S+)", DOCKERFILE, flags=re.M)
    assert user and user[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK ", DOCKERFILE, flags=re.M)
    entry = json.loads(re.search(r"^ENTRYPOINT (.+)$", DOCKERFILE, flags=re.M).group(1))  # type: ignore[union-attr]
    cmd = json.loads(re.search(r"^CMD (.+)$", DOCKERFILE, flags=re.M).group(1))  # type: ignore[union-attr]
    assert entry == ["khabar"]
    _parses(cmd)
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".env" in ignored and "*.db" in ignored  # no secret or database is baked into an image


def test_compose_mounts_env_where_the_container_reads_it() -> None:
    compose = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    workdir = re.findall(r"^WORKDIR (\S+)", DOCKERFILE, flags=re.M)[-1]
    assert f"./.env:{workdir}/.env:ro" in compose and f"khabar-data:{workdir}" in compose
    assert 'profiles: ["postgres"]' in compose


def test_systemd_unit_runs_commands_that_exist() -> None:
    for key in ("ExecStartPre", "ExecStart"):
        line = re.search(rf"^{key}=(.+)$", UNIT, flags=re.M)
        assert line, key
        argv = shlex.split(line.group(1))
        assert argv[0].endswith("/khabar")
        _parses(argv[1:])
    assert "RestartPreventExitStatus=2" in UNIT  # bad configuration is not restarted in a loop
