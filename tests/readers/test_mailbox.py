"""The demo's mailbox (make demo): lists what the file mail backend wrote, only when turned on,
and production settings refuse it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.mail import EmailMessage
from django.http import Http404
from django.test import RequestFactory

from dateline.demo.mailbox import mailbox_view


def test_the_mailbox_lists_the_mail_sent(db, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.DATELINE_DEMO_MAILBOX = True
    EmailMessage(
        "Sign in to Dateline", "Open http://127.0.0.1:8000/readers/link/x/", to=["a@example.org"]
    ).send()

    response = mailbox_view(RequestFactory().get("/demo/mailbox/"))

    body = response.content.decode()
    assert "Sign in to Dateline" in body
    assert '<a href="http://127.0.0.1:8000/readers/link/x/"' in body
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("on, backend", [(False, "filebased"), (True, "locmem")])
def test_the_mailbox_is_not_there_unless_turned_on_with_the_file_backend(settings, on, backend):
    settings.DATELINE_DEMO_MAILBOX = on
    settings.EMAIL_BACKEND = f"django.core.mail.backends.{backend}.EmailBackend"

    with pytest.raises(Http404):
        mailbox_view(RequestFactory().get("/demo/mailbox/"))


def test_production_settings_refuse_the_mailbox():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dateline.settings.production",
        "SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "news.example.com",
        "DATELINE_DEMO_MAILBOX": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode != 0
    assert "DATELINE_DEMO_MAILBOX" in done.stderr
