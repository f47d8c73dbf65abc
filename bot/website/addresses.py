"""Who is calling: allowed origins, trusted proxies and the client address they report (pure)."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from urllib.parse import urlsplit

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def check_origin(value: str) -> str:
    """``https://news.example`` (scheme, host, optional port; no path), lower-cased; ValueError if not."""
    raw = value.strip().rstrip("/")
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path or parts.query or parts.fragment:
        raise ValueError(f"{value!r} is not an origin such as https://news.example (scheme and host, no path)")
    return raw.lower()


def check_network(value: str) -> str:
    """An address or network (``10.0.0.1``, ``10.0.0.0/8``, ``::1``); ValueError if not one."""
    try:
        return str(ipaddress.ip_network(value.strip(), strict=False))
    except ValueError:
        raise ValueError(f"{value!r} is not an IP address or network such as 10.0.0.0/8") from None


def networks(values: Sequence[str]) -> tuple[Network, ...]:
    """Parsed networks of the settings' ``web_trusted_proxies``."""
    return tuple(ipaddress.ip_network(v, strict=False) for v in values)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.5:4711
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """The caller's address: the peer, unless the peer is a trusted proxy — then the right-most address
    in ``X-Forwarded-For`` that is not itself a trusted proxy (what the nearest untrusted hop said)."""
    here = _address(peer or "")
    if here is None:
        return "unknown"
    if not forwarded_for or not _trusted(here, trusted):
        return str(here)
    hops = [_address(part) for part in forwarded_for.split(",")[-20:]]
    for hop in reversed(hops):
        if hop is None:
            return str(here)  # a malformed hop: do not believe anything left of it
        if not _trusted(hop, trusted):
            return str(hop)
        here = hop
    return str(here)


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, trusted: Sequence[Network]) -> bool:
    return any(address.version == net.version and address in net for net in trusted)
