"""The page shell's addresses, files and headers, worked out once per process (issue 13;
docs/decisions/0084-the-shell-kept-per-process.md): the same answers as Django's and
django-csp's, and a change of settings is seen at once."""

from __future__ import annotations

import pytest
from csp.constants import NONCE
from csp.utils import build_policy
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import NoReverseMatch

from dateline.core.headers import SecurityHeadersMiddleware


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(";") if part.strip()}


def test_route_and_asset_answer_as_url_and_static_do():
    ours = render(
        "{% load site_links %}{% route 'feeds:rss' %} {% route 'feeds:comments_rss' 7 %} "
        "{% asset 'dateline/site.css' %}"
    )
    django = render(
        "{% load static %}{% url 'feeds:rss' %} {% url 'feeds:comments_rss' 7 %} "
        "{% static 'dateline/site.css' %}"
    )
    assert ours == django
    assert "/7/" in ours


def test_a_missing_route_is_empty_with_as_and_an_error_without():
    source = "{% load site_links %}{% route 'no-such:name' as found %}[{{ found }}]"
    assert render(source) == render(source) == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% load site_links %}{% route 'no-such:name' %}")


def test_a_new_static_url_is_used_at_once(settings):
    source = "{% load site_links %}{% asset 'dateline/site.css' %}"
    before = render(source)
    settings.STATIC_URL = "/assets/"
    after = render(source)
    assert after.startswith("/assets/") and before != after


@pytest.fixture
def middleware():
    return SecurityHeadersMiddleware(lambda request: None)


def respond(middleware, path: str = "/news/", *, nonce: bool = False):
    from django.http import HttpResponse

    request = RequestFactory().get(path)
    middleware.process_request(request)
    if nonce:
        str(request.csp_nonce)  # a template asked for it
    return request, middleware.process_response(request, HttpResponse("page"))


def test_a_plain_response_gets_the_settings_policy(middleware):
    _request, response = respond(middleware)
    _request, again = respond(middleware)
    expected = directives(build_policy())
    assert directives(response["Content-Security-Policy"]) == expected
    assert again["Content-Security-Policy"] == response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_a_nonce_asked_for_reaches_the_header_of_that_response_only(middleware, settings):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            **settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
            "script-src": ["'self'", NONCE],
        }
    }
    request, with_nonce = respond(middleware, nonce=True)
    _request, without = respond(middleware)
    assert f"'nonce-{request._csp_nonce}'" in with_nonce["Content-Security-Policy"]
    assert "nonce-" not in without["Content-Security-Policy"]


def test_a_changed_policy_is_sent_at_once(middleware, settings):
    respond(middleware)
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    _request, response = respond(middleware)
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_the_tools_keep_their_own_policy(middleware):
    _request, response = respond(middleware, "/admin/")
    assert "'unsafe-inline'" in response["Content-Security-Policy"]
