"""What we keep about where a comment came from: a network, not an address, for 30 days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from dateline.comments.models import Comment
from dateline.comments.services import comment_metadata_purge, comment_post


@pytest.mark.parametrize(
    ("address", "stored"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::/48"),
        ("::ffff:203.0.113.77", "203.0.113.0/24"),
        ("not-an-address", ""),
    ],
)
def test_address_is_stored_truncated_to_its_network(post_comment, address, stored):
    post_comment(comment="Where am I?", headers={"REMOTE_ADDR": address})

    assert Comment.objects.get().ip_prefix == stored


def test_service_stores_the_network_and_the_browser(submission_factory):
    comment = comment_post(
        submission=submission_factory(ip="198.51.100.23", user_agent="Lynx/2.9")
    ).comment

    assert (comment.ip_prefix, comment.user_agent) == ("198.51.100.0/24", "Lynx/2.9")


@pytest.mark.parametrize(
    ("trusted_proxies", "stored"), [(0, "10.1.2.0/24"), (1, "198.51.100.0/24")]
)
def test_forwarded_for_counts_only_behind_a_trusted_proxy(
    post_comment, settings, trusted_proxies, stored
):
    settings.DATELINE_TRUSTED_PROXY_COUNT = trusted_proxies

    post_comment(
        comment="Through the proxy.",
        headers={"REMOTE_ADDR": "10.1.2.3", "HTTP_X_FORWARDED_FOR": "198.51.100.9"},
    )

    assert Comment.objects.get().ip_prefix == stored


def test_client_cannot_choose_its_address_by_prepending_to_forwarded_for(post_comment, settings):
    settings.DATELINE_TRUSTED_PROXY_COUNT = 1

    post_comment(
        comment="Spoofing.",
        headers={"REMOTE_ADDR": "10.1.2.3", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.9"},
    )

    assert Comment.objects.get().ip_prefix == "198.51.100.0/24"


@pytest.fixture
def aged(article, comment_factory):
    now = timezone.now()

    def at(days: float) -> Comment:
        return comment_factory(
            article=article,
            created_at=now - timedelta(days=days),
            ip_prefix="203.0.113.0/24",
            user_agent="Firefox/140",
        )

    return {"old": at(31), "edge": at(29.9), "new": at(1)}


def metadata(comment: Comment) -> tuple[str, str]:
    comment.refresh_from_db()
    return comment.ip_prefix, comment.user_agent


def test_purge_clears_network_and_browser_of_comments_older_than_30_days(aged):
    cleared = comment_metadata_purge()

    assert cleared == 1
    assert metadata(aged["old"]) == ("", "")
    assert metadata(aged["edge"]) == ("203.0.113.0/24", "Firefox/140")
    assert metadata(aged["new"]) == ("203.0.113.0/24", "Firefox/140")
    assert Comment.objects.filter(pk=aged["old"].pk).exists()  # the comment itself stays


def test_purge_follows_the_site_retention_setting(aged, site_settings):
    site_settings(retention_days=7)

    comment_metadata_purge()

    assert metadata(aged["edge"]) == ("", "")
    assert metadata(aged["new"]) == ("203.0.113.0/24", "Firefox/140")


def test_purge_management_command_reports_what_it_cleared(aged, capsys):
    call_command("purge_comment_metadata")

    assert "1 comments" in capsys.readouterr().out
    assert metadata(aged["old"]) == ("", "")
