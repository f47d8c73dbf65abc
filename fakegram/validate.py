"""Checking a request's parameters against the spec: presence, types (recursively) and prose limits."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .errors import ApiError, invalid
from .spec import SCALARS, MethodDef, Spec, TypeDef

_INT = re.compile(r"[+-]?\d+")
_TRUE = {"true", "1"}
_FALSE = {"false", "0"}
_CMD = re.compile(r"[a-z0-9_]{1,32}")
_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
_BUTTON_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay",
)


@dataclass(frozen=True)
class Upload:
    """A file uploaded in a multipart request."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


class _Mismatch(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f'field "{path}" {message}' if path else message)


def _tname(types: tuple[str, ...] | list[str]) -> str:
    return " or ".join(types)


class Validator:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec

    # ----- top level -------------------------------------------------------------------------------
    def params(self, method: MethodDef, raw: dict[str, Any], from_json: bool) -> dict[str, Any]:
        """Coerce raw request values (strings from a form, JSON values, uploads) to typed values."""
        out: dict[str, Any] = {}
        for name, value in raw.items():
            field = method.field(name)
            if field is None:
                raise invalid(f'unknown parameter "{name}" for method {method.name}')
            if value is None or (isinstance(value, str) and value == "" and "String" not in field.types):
                continue
            try:
                out[name] = self._top(field.types, value, from_json)
            except _Mismatch as e:
                raise invalid(f"can't parse {name}: {e}") from None
        for field in method.fields:
            if field.required and field.name not in out:
                raise _missing(method.name, field.name)
        if method.field("inline_message_id") and method.field("message_id") and "inline_message_id" not in out:
            for name in ("chat_id", "message_id"):
                if name not in out:
                    raise _missing(method.name, name)
        return out

    def _top(self, types: tuple[str, ...], value: Any, from_json: bool) -> Any:
        if isinstance(value, Upload):
            if "InputFile" in types:
                return value
            raise _Mismatch("", f"must be of type {_tname(types)}, not a file")
        objects = tuple(t for t in types if t not in SCALARS)
        if isinstance(value, str):
            for t in types:
                if t in SCALARS:
                    try:
                        return self._from_string(t, value)
                    except _Mismatch:
                        continue
            if not objects:
                raise _Mismatch("", f"must be of type {_tname(types)}")
            try:
                value = json.loads(value)
            except ValueError:
                raise _Mismatch("", f"must be a JSON-serialized {_tname(objects)}") from None
            return self._alternatives(objects, value, "")
        return self._alternatives(types, value, "")

    def _from_string(self, t: str, value: str) -> Any:
        if t == "Integer":
            if _INT.fullmatch(value.strip()):
                return int(value)
            raise _Mismatch("", "must be of type Integer")
        if t == "Float":
            try:
                return float(value)
            except ValueError:
                raise _Mismatch("", "must be of type Float") from None
        if t == "Boolean":
            if value.lower() in _TRUE:
                return True
            if value.lower() in _FALSE:
                return False
            raise _Mismatch("", "must be of type Boolean")
        if t in ("String", "InputFile"):
            return value
        try:
            decoded = json.loads(value)
        except ValueError:
            raise _Mismatch("", f"must be a JSON-serialized {t}") from None
        return self.check(t, decoded, "")

    # ----- JSON values (strict) --------------------------------------------------------------------
    def check(self, t: str, value: Any, path: str) -> Any:
        if t.startswith("Array of "):
            if not isinstance(value, list):
                raise _Mismatch(path, f"must be of type {t}")
            inner = t[len("Array of "):]
            return [self.check(inner, v, f"{path}[{i}]") for i, v in enumerate(value)]
        if t in SCALARS:
            ok = {
                "Integer": isinstance(value, int) and not isinstance(value, bool),
                "Float": isinstance(value, int | float) and not isinstance(value, bool),
                "Boolean": isinstance(value, bool),
                "String": isinstance(value, str),
                "InputFile": isinstance(value, str),
            }[t]
            if not ok:
                raise _Mismatch(path, f"must be of type {t}")
            return value
        td = self.spec.types.get(t)
        if td is None:
            raise _Mismatch(path, f"has unknown type {t}")
        if not isinstance(value, dict):
            raise _Mismatch(path, f"must be an object of type {t}")
        if td.subtypes:
            return self._subtype(td, value, path)
        return self._object(td, value, path)

    def _subtype(self, td: TypeDef, value: dict[str, Any], path: str) -> Any:
        kinds = {self.spec.types[s].discriminator(): s for s in td.subtypes}
        chosen = kinds.get(value.get("type"))
        if chosen is None:
            raise _Mismatch(_join(path, "type"), f"must be one of {sorted(k for k in kinds if k)} for {td.name}")
        return self._object(self.spec.types[chosen], value, path)

    def _object(self, td: TypeDef, value: dict[str, Any], path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, v in value.items():
            f = td.field(key)
            if f is None:
                raise _Mismatch(_join(path, key), f"is not a field of {td.name}")
            out[key] = self._alternatives(f.types, v, _join(path, key))
        for f in td.fields:
            if f.required and f.name not in value:
                raise _Mismatch(_join(path, f.name), f"is required in {td.name}")
        rule = _TYPE_RULES.get(td.name)
        if rule:
            rule(out, path)
        return out

    def _alternatives(self, types: tuple[str, ...], value: Any, path: str) -> Any:
        if len(types) == 1:
            return self.check(types[0], value, path)
        if isinstance(value, dict):
            # Several object types (e.g. reply_markup): try the best-fitting one first.
            def fit(t: str) -> int:
                td = self.spec.types.get(t)
                return -1 if td is None else sum(1 for k in value if td.field(k))

            types = tuple(sorted(types, key=fit, reverse=True))
        first: _Mismatch | None = None
        for t in types:
            try:
                return self.check(t, value, path)
            except _Mismatch as e:
                first = first or e
        assert first is not None
        raise first


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _missing(method: str, name: str) -> ApiError:
    if name == "chat_id":
        return invalid("chat_id is empty")
    if name == "text" and method.lower() in ("sendmessage", "editmessagetext"):
        return invalid("message text is empty")
    if name == "message_id":
        return invalid("message_id is empty" if method.lower().startswith("edit") else "message identifier is not specified")
    return invalid(f'parameter "{name}" is required')


# ----- prose rules per type ------------------------------------------------------------------------
def _button(obj: dict[str, Any], path: str) -> None:
    actions = [a for a in _BUTTON_ACTIONS if a in obj]
    if not actions:
        raise _ApiRule("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise _ApiRule(f"can't parse inline keyboard button: only one of {actions} may be used")
    if "callback_data" in obj:
        size = len(obj["callback_data"].encode("utf-8"))
        if not 1 <= size <= 64:
            raise _ApiRule("BUTTON_DATA_INVALID")
    if "url" in obj:
        check_button_url(obj["url"])


def check_button_url(url: str) -> None:
    if not re.match(r"(https?|tg)://", url):
        raise _ApiRule("BUTTON_URL_INVALID")
    m = re.match(r"https?://(?:t\.me|telegram\.me)/([A-Za-z0-9_]+)\?(?:start|startgroup)=([^&#]*)", url)
    if m and not _PAYLOAD.fullmatch(m.group(2)):
        raise _ApiRule(
            "fakegram: deep-link start payload must be 1-64 characters of A-Za-z0-9_- "
            f"(got {m.group(2)!r} in {url!r})"
        )


def _bot_command(obj: dict[str, Any], path: str) -> None:
    if not _CMD.fullmatch(obj["command"]):
        raise _ApiRule("BOT_COMMAND_INVALID")
    if not 1 <= len(obj["description"]) <= 256:
        raise _ApiRule("command description is empty" if not obj["description"] else "BOT_COMMAND_DESCRIPTION_INVALID")


def _keyboard(obj: dict[str, Any], path: str) -> None:
    for row in obj["inline_keyboard"]:
        if len(row) > 8:
            raise _ApiRule("BUTTON_TYPE_INVALID: too many buttons in a row")


class _ApiRule(Exception):
    """Raised by a type rule: becomes ``Bad Request: <message>`` verbatim."""


_TYPE_RULES = {
    "InlineKeyboardButton": _button,
    "BotCommand": _bot_command,
    "InlineKeyboardMarkup": _keyboard,
}


def run_validation(validator: Validator, method: MethodDef, raw: dict[str, Any], from_json: bool) -> dict[str, Any]:
    try:
        return validator.params(method, raw, from_json)
    except _ApiRule as e:
        raise invalid(str(e)) from None
