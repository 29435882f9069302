import pytest


def test_front_page_renders_without_articles(client, home):
    response = client.get("/")
    assert response.status_code == 200
    assert b"No articles have been published yet" in response.content


def test_article_page_shows_headline(client, article_factory, section):
    article = article_factory(parent=section, title="Rain returns to the valley")
    response = client.get(article.url)
    assert response.status_code == 200, response.content[:500]
    assert b"Rain returns to the valley" in response.content


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles/?section=%00",
        "/api/v1/articles/?tag=a%00b",
        "/api/v1/articles/?%00=1",
        "/international/%00/",
        "/api/v1/comments/?article=%00",
    ],
)
def test_a_nul_character_in_the_address_is_a_400_not_a_500(client, home, url):
    """PostgreSQL refuses NUL in any text value; found by schemathesis on the API."""
    response = client.get(url)
    assert response.status_code == 400
