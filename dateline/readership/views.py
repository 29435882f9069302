"""The beacon an article page sends when it is read, and the image readers without JavaScript
load instead. Both always answer the same (nothing about whether the read counted) and are never
kept by any cache."""

from __future__ import annotations

import base64

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from dateline.core.net import client_ip, ip_prefix, same_origin

from .services import Read, page_read_count

# A transparent 1×1 GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _read(request: HttpRequest, page_id: int) -> Read:
    return Read(
        page_id=page_id,
        network=ip_prefix(client_ip(request)),
        user_agent=request.headers.get("User-Agent", ""),
    )


# No CSRF token: the beacon carries nothing but the page's id, and nothing personal is read;
# a read from another site's page is not counted (Origin), and the limits cap the rest.
@csrf_exempt
@require_POST
@never_cache
def beacon(request: HttpRequest, page_id: int) -> HttpResponse:
    if same_origin(request):
        page_read_count(read=_read(request, page_id))
    return HttpResponse(status=204)


@require_GET
@never_cache
def pixel(request: HttpRequest, page_id: int) -> HttpResponse:
    page_read_count(read=_read(request, page_id))
    return HttpResponse(PIXEL, content_type="image/gif")
