"""Where a request came from, told only as much as we keep."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address. ``X-Forwarded-For`` counts only for the number of proxies the
    operator trusts (``DATELINE_TRUSTED_PROXY_COUNT``): the address the nearest trusted proxy
    saw. Anything a client writes into the header itself is ignored."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.DATELINE_TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [
            p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(forwarded) >= hops:
            remote = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(remote))
    except ValueError:
        return ""


@lru_cache(maxsize=1024)
def ip_prefix(ip: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) network of ``ip``: what we store instead of the address.
    Remembered per process: a post asks for it several times (limits, bans, the row)."""
    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def same_origin(request: HttpRequest) -> bool:
    """The request comes from a page of this site (browsers send Origin with every POST; a
    missing Origin falls back to Referer)."""
    origin = request.headers.get("Origin")
    if origin is None:
        referer = request.headers.get("Referer")
        if not referer:
            return False
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    if origin == "null":
        return False
    return origin in {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
