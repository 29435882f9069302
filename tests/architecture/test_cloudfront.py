"""The CloudFront purge of wagtail.contrib.frontend_cache works from an install of the lock:
boto3 is pinned there (the `cloudfront` extra), and the backend is built and sends its
invalidation through boto3, here to botocore's stub instead of the network."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

LOCK = Path(__file__).resolve().parents[2] / "requirements.lock"

CLOUDFRONT = {
    "cdn": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": "E2EXAMPLE",
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "not-a-real-secret",
    }
}


def test_the_lock_installs_boto3_with_hashes() -> None:
    text = LOCK.read_text()
    for package in ("boto3", "botocore"):
        pinned = re.search(
            rf"^{package}==[\w.]+ \\\n(\s+--hash=sha256:[0-9a-f]{{64}}.*\n)+", text, re.M
        )
        assert pinned, f"{package} is not pinned with hashes in requirements.lock"


def test_the_cloudfront_backend_invalidates_the_pages_paths(monkeypatch) -> None:
    from botocore.stub import ANY, Stubber
    from wagtail.contrib.frontend_cache.backends import CloudfrontBackend
    from wagtail.contrib.frontend_cache.utils import get_backends

    # No credentials or region of the machine's are read.
    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    backends = get_backends(backend_settings=CLOUDFRONT)
    backend = backends["cdn"]
    assert isinstance(backend, CloudfrontBackend)
    assert backend.client.meta.service_model.service_name == "cloudfront"

    paths = ["/international/a-story/"]
    with Stubber(backend.client) as stub:
        stub.add_response(
            "create_invalidation",
            {
                "Location": "https://cloudfront.example/invalidation/I1",
                "Invalidation": {
                    "Id": "I1",
                    "Status": "InProgress",
                    "CreateTime": datetime(2026, 1, 1, tzinfo=UTC),
                    "InvalidationBatch": {
                        "Paths": {"Quantity": 1, "Items": paths},
                        "CallerReference": "ref",
                    },
                },
            },
            {
                "DistributionId": "E2EXAMPLE",
                "InvalidationBatch": {
                    "Paths": {"Quantity": 1, "Items": paths},
                    "CallerReference": ANY,
                },
            },
        )
        backend.purge_batch(["https://news.example/international/a-story/"])
        stub.assert_no_pending_responses()


def test_without_a_distribution_the_backend_is_refused() -> None:
    from django.core.exceptions import ImproperlyConfigured
    from wagtail.contrib.frontend_cache.utils import get_backends

    settings = {"cdn": {k: v for k, v in CLOUDFRONT["cdn"].items() if k != "DISTRIBUTION_ID"}}
    with pytest.raises(ImproperlyConfigured):
        get_backends(backend_settings=settings)
