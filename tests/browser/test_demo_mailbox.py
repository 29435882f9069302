"""The demo's mailbox read on a phone: a reader opens their sign-in link from it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.core.mail import EmailMessage
from django.test import RequestFactory
from playwright.sync_api import Page, Route, expect
from pytest_django.live_server_helper import LiveServer

from dateline.demo.mailbox import mailbox_view

if TYPE_CHECKING:
    from pytest_django.fixtures import Settings as DjangoSettings

LINK = "http://127.0.0.1:8000/readers/link/" + "eyJsIjoxfQ:1xacfi:" + "x" * 60 + "/"


def test_the_demo_mailbox_does_not_scroll_sideways_on_a_phone(
    live_site: LiveServer, page: Page, settings: DjangoSettings, tmp_path: Path
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.DATELINE_DEMO_MAILBOX = True
    text = (
        "Someone (we hope you) asked to create an account on Dateline with this address. To "
        f"create it and sign in, open this link and press the button on the page:\n\n{LINK}\n"
    )
    EmailMessage("Create your Dateline account", text, to=["ann@example.org"]).send()
    # The mailbox is routed only in `make demo`: the page is the view's answer, its stylesheet
    # the live server's.
    html = mailbox_view(RequestFactory().get("/demo/mailbox/")).content.decode()

    def answer(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    page.route("**/demo/mailbox/", answer)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_site.url + "/demo/mailbox/")

    expect(page.get_by_role("link", name=LINK)).to_be_visible()
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the mailbox scrolls sideways: {widths}"
