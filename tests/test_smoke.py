def test_front_page_renders_without_articles(client, home):
    response = client.get("/")
    assert response.status_code == 200
    assert b"No articles have been published yet" in response.content


def test_article_page_shows_headline(client, article_factory, section):
    article = article_factory(parent=section, title="Rain returns to the valley")
    response = client.get(article.url)
    assert response.status_code == 200, response.content[:500]
    assert b"Rain returns to the valley" in response.content
