"""Message text: Telegram's HTML parse mode, UTF-16 offsets, trimming and auto-detected entities."""

from __future__ import annotations

import re
from typing import Any

from .errors import ApiError, invalid

_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SIMPLE = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "tg-spoiler": "spoiler",
    "code": "code", "pre": "pre",
}
_ALLOWED = {*_SIMPLE, "a", "span", "tg-emoji", "blockquote", "tg-time"}
_TAG_CHAR = re.compile(r"[a-zA-Z0-9-]")
_ATTR_CHAR = re.compile(r"[a-zA-Z0-9_-]")


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def parse_error(message: str) -> ApiError:
    return invalid(f"can't parse entities: {message}")


class _Open:
    def __init__(self, name: str, attrs: dict[str, str], start: int) -> None:
        self.name = name
        self.attrs = attrs
        self.start = start
        self.language: str | None = None


def parse_html(src: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse ``src`` like Telegram's HTML mode; return plain text and entities (UTF-16 offsets)."""
    out: list[str] = []
    pos16 = 0
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    i = 0
    n = len(src)

    def byte_offset(k: int) -> int:
        return len(src[:k].encode("utf-8"))

    while i < n:
        ch = src[i]
        if ch == "&":
            decoded, used = _entity(src, i)
            out.append(decoded)
            pos16 += utf16_len(decoded)
            i += used
            continue
        if ch != "<":
            out.append(ch)
            pos16 += utf16_len(ch)
            i += 1
            continue
        at = byte_offset(i)
        if i + 1 < n and src[i + 1] == "/":
            close = src.find(">", i)
            if close < 0:
                raise parse_error(f"Unclosed end tag at byte offset {at}")
            name = src[i + 2:close].strip().lower()
            if not stack:
                raise parse_error(f'Unexpected end tag at byte offset {at}')
            top = stack[-1]
            if name != top.name:
                raise parse_error(
                    f'Unmatched end tag at byte offset {at}, expected "</{top.name}>", found "</{name}>"'
                )
            stack.pop()
            ent = _entity_for(top, pos16, stack)
            if ent is not None:
                entities.append(ent)
            i = close + 1
            continue
        j = i + 1
        while j < n and _TAG_CHAR.match(src[j]):
            j += 1
        name = src[i + 1:j].lower()
        if name not in _ALLOWED:
            raise parse_error(f'Unsupported start tag "{name}" at byte offset {at}')
        attrs, j = _attributes(src, j, name, at)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise parse_error(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
        if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise parse_error(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {at}')
        stack.append(_Open(name, attrs, pos16))
        i = j
    if stack:
        raise parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _entity(src: str, i: int) -> tuple[str, int]:
    end = src.find(";", i + 1, i + 12)
    if end > 0:
        body = src[i + 1:end]
        if body in _ENTITIES:
            return _ENTITIES[body], end - i + 1
        m = re.fullmatch(r"#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})", body)
        if m:
            code = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
            if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                return chr(code), end - i + 1
    return "&", 1  # like Telegram: an unrecognised '&' stays literal


def _attributes(src: str, j: int, tag: str, at: int) -> tuple[dict[str, str], int]:
    attrs: dict[str, str] = {}
    n = len(src)
    while True:
        while j < n and src[j].isspace():
            j += 1
        if j >= n:
            raise parse_error(f"Unclosed start tag at byte offset {at}")
        if src[j] == ">":
            return attrs, j + 1
        k = j
        while k < n and _ATTR_CHAR.match(src[k]):
            k += 1
        name = src[j:k].lower()
        if not name:
            raise parse_error(f'Empty attribute name in the tag "{tag}" at byte offset {at}')
        while k < n and src[k].isspace():
            k += 1
        if k < n and src[k] != "=":
            attrs[name] = ""  # valueless attribute, e.g. <blockquote expandable>
            j = k
            continue
        if k >= n:
            raise parse_error(f"Unclosed start tag at byte offset {at}")
        k += 1
        while k < n and src[k].isspace():
            k += 1
        if k < n and src[k] in "\"'":
            quote = src[k]
            end = src.find(quote, k + 1)
            if end < 0:
                raise parse_error(f"Unclosed start tag at byte offset {at}")
            raw = src[k + 1:end]
            j = end + 1
        else:
            end = k
            while end < n and not src[end].isspace() and src[end] != ">":
                end += 1
            raw = src[k:end]
            j = end
        attrs[name] = _unescape(raw)


def _unescape(raw: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(raw):
        if raw[i] == "&":
            decoded, used = _entity(raw, i)
            out.append(decoded)
            i += used
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


def _entity_for(tag: _Open, end: int, stack: list[_Open]) -> dict[str, Any] | None:
    length = end - tag.start
    name = tag.name
    if name == "code" and stack and stack[-1].name == "pre" and tag.attrs.get("class", "").startswith("language-"):
        stack[-1].language = tag.attrs["class"][len("language-"):]
        return None
    if length <= 0:
        return None
    ent: dict[str, Any] = {"offset": tag.start, "length": length}
    if name in _SIMPLE:
        ent["type"] = _SIMPLE[name]
        if name == "pre" and tag.language:
            ent["language"] = tag.language
    elif name == "span":
        ent["type"] = "spoiler"
    elif name == "blockquote":
        ent["type"] = "expandable_blockquote" if "expandable" in tag.attrs else "blockquote"
    elif name == "tg-emoji":
        ent["type"] = "custom_emoji"
        ent["custom_emoji_id"] = tag.attrs["emoji-id"]
    elif name == "tg-time":
        ent["type"] = "date_time"
        ent["unix_time"] = int(tag.attrs.get("unix", "0") or 0)
        if tag.attrs.get("format"):
            ent["date_time_format"] = tag.attrs["format"]
    else:  # a
        href = tag.attrs.get("href", "")
        m = re.fullmatch(r"tg://user\?id=(\d+)", href)
        if m:
            ent.update(type="text_mention", user={"id": int(m.group(1)), "is_bot": False, "first_name": ""})
        elif href:
            ent.update(type="text_link", url=href)
        else:
            return None
    return ent


def trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Strip surrounding whitespace as Telegram does, shifting and clipping entities."""
    stripped = text.lstrip()
    lead = utf16_len(text[: len(text) - len(stripped)])
    stripped = stripped.rstrip()
    total = utf16_len(stripped)
    out = []
    for e in entities:
        start = max(e["offset"] - lead, 0)
        stop = min(e["offset"] + e["length"] - lead, total)
        if stop > start:
            out.append({**e, "offset": start, "length": stop - start})
    return stripped, out


def check_entities(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    total = utf16_len(text)
    for e in entities:
        if e["offset"] < 0 or e["length"] <= 0 or e["offset"] + e["length"] > total:
            raise invalid("can't parse entities: entity is out of the text bounds")
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def format_text(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None
) -> tuple[str, list[dict[str, Any]]]:
    """Apply ``parse_mode`` or explicit ``entities``; return trimmed text and entities."""
    if parse_mode and entities:
        raise invalid("can't parse entities: parse_mode and entities can't be used together")
    if parse_mode:
        if parse_mode.lower() != "html":
            raise invalid(f"fakegram does not implement parse_mode {parse_mode}")
        text, entities = parse_html(text)
    else:
        entities = check_entities(text, entities or [])
    return trim(text, entities)


_AUTO = [
    ("bot_command", re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")),
    ("url", re.compile(r"\bhttps?://[^\s<>\"]+|\b(?:[a-z0-9-]+\.)+(?:com|org|net|ir|me|io|dev)(?:/[^\s]*)?\b")),
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z0-9_]{4,32}\b")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d]\w*")),
]


def detect_entities(text: str) -> list[dict[str, Any]]:
    """Entities a Telegram client would attach to a typed message (commands, URLs, mentions...)."""
    found: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in _AUTO:
        for m in rx.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append({"type": kind, "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group())})
    return sorted(found, key=lambda e: e["offset"])
