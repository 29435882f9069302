"""The sign-in mail, sent from the task queue after commit."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from dateline.core.links import absolute_url

from .models import SignInLink
from .tokens import link_max_age, link_token


@task()
def send_sign_in_link(link_id: int) -> bool:
    """Mail the link. Only the link's id travels through the queue: the token is signed here
    and the address read from the row, so neither sits in the task table."""
    link = (
        SignInLink.objects.select_related("reader")
        .filter(pk=link_id, used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if link is None or not link.email:
        return False
    context = {
        "link": absolute_url(f"/readers/link/{link_token(link.pk)}/"),
        "minutes": int(link_max_age().total_seconds() // 60),
        "new_account": link.reader_id is None,
        "SITE_NAME": settings.SITE_NAME,
    }
    subject = (
        f"Create your {settings.SITE_NAME} account"
        if link.reader_id is None
        else f"Sign in to {settings.SITE_NAME}"
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("readers/mail/sign_in.txt", context),
        # The bare address: no display name (a reader's text) ever goes into a header.
        to=[link.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("readers/mail/sign_in.html", context), "text/html")
    message.send()
    return True
