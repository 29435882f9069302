"""Newsletters' fixtures: a real SMTP server (aiosmtpd) the test starts, newsletters and
subscribers."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import time, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from dateline.news.models import ArticlePage
from dateline.newsletters.models import Newsletter, Subscriber, Subscription
from tests.factories import ArticlePageFactory


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Mailbox:
    """What the SMTP server accepted, in order. ``refuse`` names recipients it answers 550."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), message)  # type: ignore[arg-type]
            )
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        with self.lock:
            return [to for r in self.received for to in r.rcpt_tos]


@pytest.fixture
def smtp(settings: Any) -> Iterator[Mailbox]:
    """A local SMTP server on a free port, and the site's mail sent to it."""
    mailbox = Mailbox()
    with socket.socket() as probe:  # a free port (aiosmtpd's start() checks it by connecting)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 10
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _https_site(settings: Any) -> None:
    settings.DATELINE_BASE_URL = "https://news.example"
    settings.DATELINE_NEWSLETTER_WEBHOOK_TOKEN = "hook-secret-for-tests"


@pytest.fixture
def article(section: Any) -> ArticlePage:
    return ArticlePageFactory(
        parent=section,
        title="Ferry crews agree a new timetable",
        slug="ferry-timetable",
        standfirst="Crossings every forty minutes from spring.",
        tags=["Transport"],
        first_published_at=timezone.now() - timedelta(hours=1),
    )


@pytest.fixture
def newsletter(section: Any) -> Newsletter:
    n = Newsletter.objects.create(
        name="International daily",
        slug="international-daily",
        description="The day's world news at seven.",
        schedule=Newsletter.Schedule.DAILY,
        send_time=time(7, 0),
        time_zone="Europe/London",
    )
    n.sections.add(section)
    return n


@pytest.fixture
def subscribe_confirmed(newsletter: Newsletter) -> Any:
    def make(count: int, *, to: Newsletter | None = None, start: int = 0) -> list[Subscriber]:
        made = []
        for n in range(start, start + count):
            address = f"reader{n}@mail.example"
            subscriber = Subscriber.objects.create(email=address, email_key=address)
            Subscription.objects.create(
                subscriber=subscriber,
                newsletter=to or newsletter,
                status=Subscription.Status.CONFIRMED,
            )
            made.append(subscriber)
        return made

    return make


@pytest.fixture
def editor(db: None) -> Any:
    """A newsroom editor with an address (the Editor group's permissions, as migrate grants)."""
    user = get_user_model().objects.create_user(
        username="nl-editor",
        email="desk@newsroom.example",
        password="not-a-real-password",
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name="Editor"))
    return user
