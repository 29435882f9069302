"""Where a request came from, told only as much as we keep."""

from __future__ import annotations

import ipaddress

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


def ip_prefix(ip: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) network of ``ip``: what we store instead of the address."""
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
