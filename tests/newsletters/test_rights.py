"""A subscriber's data goes with the commenters' rights flow: exported with the rest of the
address's data, erased with it (core.personal_data), and nobody else's is touched."""

from __future__ import annotations

import json

from dateline.commenters.selectors import commenter_export
from dateline.commenters.services import commenter_erase
from dateline.newsletters.models import Subscriber, Subscription, Suppression
from dateline.newsletters.services import address_suppress


def test_the_export_lists_the_addresss_newsletters_and_nothing_of_others(
    subscribe_confirmed, newsletter
):
    _mine, other = subscribe_confirmed(2)
    address_suppress(email="READER0@mail.example", kind="bounce", source="test")

    export = commenter_export(email="reader0@mail.example")

    part = export["newsletters"]
    assert [s["newsletter"] for s in part["subscriptions"]] == ["International daily"]
    assert part["subscriptions"][0]["status"] == "bounced"
    assert [b["kind"] for b in part["bounces_and_complaints"]] == ["bounce"]
    assert other.email not in json.dumps(export)


def test_an_address_without_subscriptions_exports_none(db):
    assert commenter_export(email="nobody@mail.example")["newsletters"] is None


def test_erasure_removes_the_subscriber_its_subscriptions_and_its_bounces(
    subscribe_confirmed, newsletter
):
    _mine, other = subscribe_confirmed(2)
    address_suppress(email="reader0@mail.example", kind="complaint", source="test")

    erasure = commenter_erase(email="Reader0@mail.example")

    assert erasure.elsewhere["newsletters"] >= 3  # subscriber, subscription, complaint
    assert list(Subscriber.objects.values_list("email", flat=True)) == [other.email]
    assert list(Subscription.objects.values_list("subscriber_id", flat=True)) == [other.pk]
    assert not Suppression.objects.filter(email_key="reader0@mail.example").exists()
    assert commenter_export(email="reader0@mail.example")["newsletters"] is None
