"""Deep-link payloads (`a-`, `c-` plus a token) and comment reference tokens (pure)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from enum import StrEnum

_PAYLOAD = re.compile(r"([ac])-([A-Za-z0-9_-]{4,60})")
_TOKEN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
TOKEN_LENGTH = 8


class LinkKind(StrEnum):
    """What a deep link asks for."""

    ARTICLE = "a"  # open an article (view + write)
    CONTINUE = "c"  # continue a comment started in the discussion group


@dataclass(frozen=True, slots=True)
class DeepLink:
    """A parsed ``/start`` payload."""

    kind: LinkKind
    token: str


def parse_payload(payload: str | None) -> DeepLink | None:
    """The link behind a ``/start`` payload, or None when it is missing or malformed."""
    if not payload or len(payload) > 64:
        return None
    match = _PAYLOAD.fullmatch(payload.strip())
    if match is None:
        return None
    return DeepLink(LinkKind(match.group(1)), match.group(2))


def make_payload(kind: LinkKind, token: str) -> str:
    """The payload for a link; raises on a token that would not survive the trip."""
    payload = f"{kind.value}-{token}"
    if parse_payload(payload) != DeepLink(kind, token):
        raise ValueError("token not usable in a deep link")
    return payload


def new_token(rng: random.Random, length: int = TOKEN_LENGTH) -> str:
    """A short random reference (no look-alike letters), e.g. ``K7pQx2Mz``."""
    return "".join(rng.choice(_TOKEN_ALPHABET) for _ in range(length))
