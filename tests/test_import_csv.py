"""`manage.py import_news_csv`: categories become sections, rows become live articles, all or nothing."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils.text import slugify

from dateline.news.models import ArticlePage, SectionPage

SMALL_CSV = Path(__file__).parent / "fixtures" / "news_small.csv"
HEADER = "id,category,title,body\n"
GOOD_ROWS = 'a1,science,Comet seen over the bay,"It was bright.\n\nIt was brief."\na2,culture,Library extends its hours,Open until nine.\n'


def import_csv(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_news_csv", str(path), "--no-progress", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, int]:
    return ArticlePage.objects.count(), SectionPage.objects.count()


def write(tmp_path: Path, text: str, name: str = "news.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_creates_an_article_per_row_and_a_section_per_category(client, home):
    output = import_csv(SMALL_CSV)

    assert "Imported 5 articles (0 already present, 2 new sections)" in output
    sections = {s.slug: s for s in SectionPage.objects.child_of(home).live().specific()}
    assert {(slug, s.title) for slug, s in sections.items()} == {
        ("science", "Science"),
        ("culture", "Culture"),
    }
    by_section = {
        slug: sorted(ArticlePage.objects.live().filter(section=s).values_list("title", flat=True))
        for slug, s in sections.items()
    }
    assert by_section == {
        "science": [
            "Lake sensors record a warm winter",
            "New telescope mirror passes first test",
            "Seed bank adds rare mountain grasses",
        ],
        "culture": ["Old cinema reopens after repairs", "Village choir wins regional prize"],
    }


def test_import_splits_the_body_into_paragraphs_on_blank_lines(client, home):
    import_csv(SMALL_CSV)

    article = ArticlePage.objects.get(title="Village choir wins regional prize")

    assert [block.block_type for block in article.body] == ["paragraph"] * 4
    assert [block.value.source for block in article.body] == [
        "<p>The forty-voice choir sang two hymns and a folk song in the final round.</p>",
        "<p>The judges praised the altos.</p>",
        "<p>Rehearsals start again in March.</p>",
        "<p>The choir is looking for tenors.</p>",
    ]
    assert article.standfirst.startswith("The forty-voice choir")


def test_imported_articles_are_published_at_their_section_url(client, home):
    import_csv(SMALL_CSV)

    response = client.get("/culture/old-cinema-reopens-after-repairs/")

    assert response.status_code == 200
    assert "a week of silent comedies" in response.content.decode()


def test_importing_the_same_file_again_adds_nothing(home):
    import_csv(SMALL_CSV)
    before = counts()

    output = import_csv(SMALL_CSV)

    assert "Imported 0 articles (5 already present, 0 new sections)" in output
    assert counts() == before


def test_import_limit_stops_after_that_many_rows(home):
    output = import_csv(SMALL_CSV, "--limit", "2")

    assert "Imported 2 articles" in output
    assert sorted(ArticlePage.objects.values_list("title", flat=True)) == [
        "Lake sensors record a warm winter",
        "New telescope mirror passes first test",
    ]


def test_import_keeps_the_published_date_from_the_file(home, tmp_path):
    path = write(
        tmp_path,
        "category,title,body,published\n"
        "science,Eclipse draws crowds,People gathered on the hill.,2024-04-08T18:15:00+00:00\n",
    )

    import_csv(path)

    article = ArticlePage.objects.get(title="Eclipse draws crowds")
    assert article.first_published_at == datetime(2024, 4, 8, 18, 15, tzinfo=UTC)


def test_import_shows_markup_in_the_file_as_text(client, home, tmp_path):
    path = write(
        tmp_path, HEADER + "x1,science,Odd characters,Use <script>alert(1)</script> & co.\n"
    )

    import_csv(path)

    content = client.get("/science/odd-characters/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co." in content
    assert "<script>alert(1)</script>" not in content


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("a3,science,Missing its body\n", "line 6: the row has a different number of fields"),
        (
            "a3,science,,A body without a headline.\n",
            "line 6: category, title and body must not be empty",
        ),
        (
            "a3,,Headline,A body without a category.\n",
            "line 6: category, title and body must not be empty",
        ),
        (
            "a3,science,Extra field,Body.,surplus\n",
            "line 6: the row has a different number of fields",
        ),
    ],
)
def test_a_malformed_row_stops_the_import_before_anything_is_written(
    home, tmp_path, bad_row, message
):
    # The good rows come first (lines 2-5: the first body spans three lines), so a partial
    # import would show.
    path = write(tmp_path, HEADER + GOOD_ROWS + bad_row)
    before = counts()

    with pytest.raises(CommandError) as excinfo:
        import_csv(path)

    assert message in str(excinfo.value)
    assert "Nothing was imported" in str(excinfo.value)
    assert counts() == before
    assert not SectionPage.objects.filter(slug__in=["science", "culture"]).exists()


def test_a_row_with_a_bad_published_date_stops_the_import(home, tmp_path):
    path = write(
        tmp_path,
        "category,title,body,published\n"
        "science,Good row,Fine.,2024-04-08T18:15:00\n"
        "science,Bad row,Fine too.,next Tuesday\n",
    )
    before = counts()

    with pytest.raises(CommandError, match="line 3: “next Tuesday” is not a date and time"):
        import_csv(path)

    assert counts() == before


def test_the_same_file_imports_once_its_malformed_row_is_fixed(home, tmp_path):
    path = write(tmp_path, HEADER + GOOD_ROWS + "a3,science,,Body.\n")
    with pytest.raises(CommandError):
        import_csv(path)

    write(tmp_path, HEADER + GOOD_ROWS + "a3,science,Fixed headline,Body.\n")

    assert "Imported 3 articles" in import_csv(path)


def test_a_category_the_site_reserves_is_refused_before_anything_is_written(home, tmp_path):
    path = write(tmp_path, HEADER + GOOD_ROWS + "m1,Media,Press freedom report out,Body.\n")

    with pytest.raises(CommandError, match="line 6"):
        import_csv(path)

    assert counts() == (0, 0)


def test_headlines_with_the_same_slug_get_distinct_urls(client, home, tmp_path):
    path = write(
        tmp_path,
        HEADER + "p1,science,Prices rise!,First body.\np2,science,Prices rise?,Second body.\n",
    )

    import_csv(path)

    assert client.get("/science/prices-rise/").status_code == 200
    assert "Second body." in client.get("/science/prices-rise-2/").content.decode()


@pytest.mark.parametrize(
    "header",
    ["id,headline,text\n", "category,body\n", "category,title\n", "id;category;title;body\n"],
)
def test_a_file_without_the_required_columns_is_refused_with_the_columns_it_needs(
    home, tmp_path, header
):
    path = write(tmp_path, header + "1,x,y\n")

    with pytest.raises(CommandError, match="must name the columns category, title and body"):
        import_csv(path)

    assert counts() == (0, 0)


def test_an_empty_file_is_refused(home, tmp_path):
    with pytest.raises(CommandError, match="found: nothing"):
        import_csv(write(tmp_path, ""))


def test_a_missing_file_is_refused_with_its_path(home, tmp_path):
    missing = tmp_path / "nowhere.csv"

    with pytest.raises(CommandError, match=f"Cannot open {missing}"):
        import_csv(missing)


def test_a_file_that_is_not_utf8_is_refused(home, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "1,science,Caf\xe9 opens,Body.\n").encode("latin-1"))

    with pytest.raises(CommandError, match="not a readable UTF-8 CSV file"):
        import_csv(path)

    assert counts() == (0, 0)


def test_an_unknown_author_is_refused(home):
    with pytest.raises(CommandError, match="No author with the slug"):
        import_csv(SMALL_CSV, "--author", "nobody")


def test_import_puts_the_given_author_in_every_byline(home, author_factory):
    author_factory(name="Desk Editor", slug="desk")

    import_csv(SMALL_CSV, "--author", "desk")

    assert set(ArticlePage.objects.values_list("byline__author__slug", flat=True).distinct()) == {
        "desk"
    }


def test_import_of_the_bbc_corpus_makes_sections_of_its_categories(home, shared_data):
    path = shared_data / "bbc-news" / "bbc-news.csv"
    if not path.is_file():
        pytest.skip(f"the BBC News corpus is not at {path}")
    with path.open(encoding="utf-8", newline="") as handle:
        first_rows = [row for _, row in zip(range(60), csv.DictReader(handle), strict=False)]
    categories = {row["category"] for row in first_rows}

    output = import_csv(path, "--limit", "60")

    created = ArticlePage.objects.count()
    skipped = 60 - created
    assert f"Imported {created} articles ({skipped} already present" in output
    assert created > 0
    assert set(SectionPage.objects.values_list("slug", "title")) == {
        (slugify(c), c.title()) for c in categories
    }
    assert (
        ArticlePage.objects.live()
        .filter(section__slug__in=[slugify(c) for c in categories])
        .count()
        == created
    )
