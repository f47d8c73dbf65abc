"""The Bot API spec (vendored ``data/api.json.gz``, gzipped to keep the wheel small): methods, types, fields."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "api.json.gz"
SCALARS = frozenset({"Integer", "String", "Boolean", "Float", "InputFile"})


@dataclass(frozen=True)
class Field:
    name: str
    types: tuple[str, ...]
    required: bool
    description: str


@dataclass(frozen=True)
class TypeDef:
    name: str
    fields: tuple[Field, ...]
    subtypes: tuple[str, ...]

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def discriminator(self) -> str | None:
        """For a subtype like ``BotCommandScopeChat`` the value its ``type`` field must have."""
        f = self.field("type")
        if f is None:
            return None
        m = re.search(r'(?:must be|always) [“"]?([a-z_]+)', f.description)
        return m.group(1) if m else None


@dataclass(frozen=True)
class MethodDef:
    name: str
    fields: tuple[Field, ...]
    returns: tuple[str, ...]

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def _fields(raw: list[dict[str, Any]] | None) -> tuple[Field, ...]:
    return tuple(
        Field(f["name"], tuple(f["types"]), bool(f["required"]), f.get("description", "")) for f in raw or []
    )


class Spec:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.version: str = raw.get("version", "")
        self.methods: dict[str, MethodDef] = {
            name: MethodDef(name, _fields(m.get("fields")), tuple(m.get("returns", [])))
            for name, m in raw["methods"].items()
        }
        self.types: dict[str, TypeDef] = {
            name: TypeDef(name, _fields(t.get("fields")), tuple(t.get("subtypes", [])))
            for name, t in raw["types"].items()
        }
        self._lower = {name.lower(): name for name in self.methods}

    def method(self, name: str) -> MethodDef | None:
        """Case-insensitive method lookup, as Telegram does."""
        canonical = self._lower.get(name.lower())
        return self.methods[canonical] if canonical else None

    def defaults(self, type_name: str, **given: Any) -> dict[str, Any]:
        """A minimal valid object of ``type_name``: required fields filled with neutral values."""
        td = self.types[type_name]
        out: dict[str, Any] = {}
        for f in td.fields:
            if f.name in given:
                out[f.name] = given[f.name]
            elif f.required:
                out[f.name] = self._neutral(f.types[0])
        return out

    def _neutral(self, t: str) -> Any:
        if t.startswith("Array of "):
            return []
        return {"Integer": 0, "Float": 0.0, "Boolean": False, "String": ""}.get(t) if t in SCALARS else (
            self.defaults(t)
        )


@cache
def load_spec() -> Spec:
    return Spec(json.loads(gzip.decompress(DATA.read_bytes()).decode("utf-8")))
