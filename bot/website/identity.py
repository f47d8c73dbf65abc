"""Web identities: a signed, cookie-less token the widget keeps, and what it maps to (pure).

A token is ``w1.<id>.<mac>``: a random id and an HMAC of it under the newsroom's secret, so a
reader cannot make up another reader's identity. Khabar never sees a reader's name in it, only
an id; moderators ban the identity (its user row) together with the client address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random

PREFIX = "w1"
ID_BYTES = 16
MAC_BYTES = 16
MAX_TOKEN = 80


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _mac(secret: bytes, ident: str) -> str:
    return _b64(hmac.new(secret, f"identity:{ident}".encode(), hashlib.sha256).digest()[:MAC_BYTES])


def new_id(rng: random.Random) -> str:
    """A fresh random identity id."""
    return _b64(rng.getrandbits(ID_BYTES * 8).to_bytes(ID_BYTES, "big"))


def sign(secret: bytes, ident: str) -> str:
    """The token the widget keeps for ``ident``."""
    return f"{PREFIX}.{ident}.{_mac(secret, ident)}"


def verify(secret: bytes, token: object) -> str | None:
    """The id inside a genuine token, or None (missing, malformed or forged)."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN:
        return None
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[1].isascii():
        return None
    if not hmac.compare_digest(parts[2], _mac(secret, parts[1])):
        return None
    return parts[1]


def user_id(ident: str) -> int:
    """The (negative) users.id that stands for a web identity: never a Telegram user's id."""
    digest = hashlib.sha256(f"web-user:{ident}".encode()).digest()
    return -(int.from_bytes(digest[:6], "big") + 1)


def is_web_user(user_id: int) -> bool:
    """Whether a users.id is a web identity's (Telegram user ids are positive)."""
    return user_id < 0


def address_key(secret: bytes, address: str) -> str:
    """The client address as stored: keyed hash, so the database holds no raw addresses."""
    return hmac.new(secret, f"address:{address}".encode(), hashlib.sha256).hexdigest()[:32]
