"""Pages go out compressed to clients that accept it (Brotli, gzip, zstd), page-cache hits too,
and as they are to clients that don't (issue 13, §1)."""

from __future__ import annotations

import gzip

import brotli
import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(section, article_factory):
    return article_factory(parent=section, title="Sea wall", slug="sea-wall")


@pytest.mark.parametrize(
    ("accept", "encoding", "decompress"),
    [
        ("gzip", "gzip", gzip.decompress),
        ("br", "br", brotli.decompress),
        ("gzip, deflate, br", "br", brotli.decompress),
    ],
)
def test_a_page_is_compressed_for_a_client_that_accepts_it(
    client, article, accept, encoding, decompress
):
    plain = client.get(article.url).content

    response = client.get(article.url, HTTP_ACCEPT_ENCODING=accept)

    assert response["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response["Vary"]
    assert decompress(response.content) == plain


def test_a_page_cache_hit_is_compressed_too(client, article):
    client.get(article.url)

    hit = client.get(article.url, HTTP_ACCEPT_ENCODING="br")

    assert hit["X-Page-Cache"] == "hit"
    assert hit["Content-Encoding"] == "br"


def test_a_client_that_accepts_nothing_gets_the_page_as_it_is(client, article):
    response = client.get(article.url)

    assert "Content-Encoding" not in response
    assert b"</html>" in response.content
    assert "Accept-Encoding" in response["Vary"]
