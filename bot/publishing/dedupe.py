"""Duplicate guards for articles: feed guid, normalised link, or a hash of a manual post (pure)."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

KEY_MAX = 2000


def normalise_link(link: str) -> str:
    """Lowercase scheme and host, no utm_* parameters, no fragment, no trailing slash."""
    parts = urlsplit(link.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith("utm_")]
    path = parts.path.rstrip("/")
    host = parts.netloc.lower()
    if parts.scheme.lower() == "http" and host.endswith(":80"):
        host = host[:-3]
    if parts.scheme.lower() == "https" and host.endswith(":443"):
        host = host[:-4]
    return urlunsplit((parts.scheme.lower(), host, path, urlencode(query), ""))


def _bounded(key: str) -> str:
    if len(key) <= KEY_MAX:
        return key
    return key[:40] + "#sha256:" + hashlib.sha256(key.encode()).hexdigest()


def feed_key(guid: str | None, link: str | None) -> str | None:
    """The duplicate key of a feed entry: its guid, else its normalised link (None if neither)."""
    if guid and guid.strip():
        return _bounded("guid:" + guid.strip())
    if link and link.strip():
        return _bounded("link:" + normalise_link(link))
    return None


def manual_key(title: str, link: str | None) -> str:
    """The duplicate key of a manual post: a hash of its title and normalised link."""
    basis = " ".join(title.split()) + "\n" + (normalise_link(link) if link else "")
    return "manual:" + hashlib.sha256(basis.encode()).hexdigest()
