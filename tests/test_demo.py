"""The demo newsroom: what `load_demo` creates, and that a second run creates nothing."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from dateline.demo.services import demo_load
from dateline.news.models import ArticleCorrection, ArticlePage, Author, SectionPage, Tag

# The module fixture below writes to the database. pytest-django creates the test database
# only when a selected test asks for it, so every test here does.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for this module (it takes seconds) and rolled back at its end.

    Each test runs in a savepoint inside this transaction, so what a test changes is undone
    before the next one.
    """
    base = tmp_path_factory.mktemp("demo")
    paths = {"VAR_DIR": base / "var", "MEDIA_ROOT": base / "media"}
    with django_db_blocker.unblock(), override_settings(**paths), transaction.atomic():
        summary = demo_load()
        yield summary, paths
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded_demo, db, settings):
    summary, paths = loaded_demo
    # The demo's images and password file live where the module's load put them.
    for name, value in paths.items():
        setattr(settings, name, value)
    return summary


def inventory() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "authors": Author.objects.count(),
        "corrections": ArticleCorrection.objects.count(),
        "tags": Tag.objects.count(),
        "users": get_user_model().objects.count(),
    }


def test_demo_creates_six_sections_and_thirty_live_articles_with_corrections(demo):
    assert SectionPage.objects.live().count() == 6
    assert ArticlePage.objects.live().count() >= 30
    assert ArticleCorrection.objects.exists()
    assert ArticlePage.objects.live().filter(section=None).count() == 0
    assert (demo.sections, demo.articles) == (6, ArticlePage.objects.count())


def test_demo_has_the_moscow_story_in_international(client, demo):
    article = ArticlePage.objects.get(slug="sharaa-putin-meeting-moscow")

    assert article.dateline_place == "MOSCOW"
    assert article.section.slug == "international"
    assert article.url == "/international/sharaa-putin-meeting-moscow/"
    response = client.get("/international/sharaa-putin-meeting-moscow/")
    assert response.status_code == 200
    assert "MOSCOW" in response.content.decode()


def test_demo_arabic_articles_are_right_to_left(client, demo):
    arabic = list(ArticlePage.objects.live().filter(language="ar"))
    assert arabic

    for article in arabic:
        story = BeautifulSoup(client.get(article.url).content, "html.parser").select_one(
            "article.story"
        )
        assert (story["lang"], story["dir"]) == ("ar", "rtl"), article.url


def test_demo_front_page_and_every_section_render(client, demo):
    urls = ["/", *(s.url for s in SectionPage.objects.live())]

    for url in urls:
        assert client.get(url).status_code == 200, url


def test_loading_the_demo_twice_creates_nothing_the_second_time(demo):
    before = inventory()

    again = demo_load()

    assert inventory() == before
    assert (again.sections, again.authors, again.articles) == (0, 0, 0)
    assert again.password == demo.password


def test_load_demo_prints_the_login_and_keeps_the_password_in_var(demo, settings):
    out = StringIO()

    call_command("load_demo", stdout=out)

    password_file = settings.VAR_DIR / "demo-password.txt"
    password = password_file.read_text().strip()
    output = out.getvalue()
    assert "/admin/" in output
    assert "users: admin, editor, reporter, moderator" in output
    assert f"password: {password}" in output
    assert password == demo.password
    assert oct(password_file.stat().st_mode & 0o777) == "0o600"
    editor = get_user_model().objects.get(username="editor")
    assert editor.check_password(password)
    assert editor.groups.filter(name="Editor").exists()


def test_demo_gives_the_international_desk_work_to_do(client, demo):
    from dateline.moderation.desk_selectors import desk_counts

    User = get_user_model()
    desk = User.objects.get(username="intl-desk")
    chief = User.objects.get(username="moderator")
    mine, everything = desk_counts(user=desk), desk_counts(user=chief)
    assert mine["pending"] >= 10
    assert mine["reported"] >= 1
    assert mine["spam"] >= 2
    # Limited to International: the other sections' held comments are not on this desk.
    assert everything["pending"] > mine["pending"]

    client.force_login(desk)
    page = client.get("/admin/comments/desk/pending/")
    assert page.status_code == 200
    # Every held comment shows why it was held, in the rules' own words.
    assert "Held: first comment from this address." in page.text
    assert "Held: 3 links; comments with 2 or more are held." in page.text
    spam = client.get("/admin/comments/desk/spam/")
    assert "Spam: word “casino bonus” on the disallowed list." in spam.text


def test_readme_names_every_demo_user_with_its_role_and_what_make_demo_leaves_running(
    demo, settings
):
    base = Path(settings.BASE_DIR)
    readme = (base / "README.md").read_text()
    users = {
        user.username: user.groups.get().name
        for user in get_user_model().objects.filter(username__in=demo.users)
    }
    assert set(users) == set(demo.users) and "intl-desk" in users
    for username, role in users.items():
        assert re.search(rf"^\| `{re.escape(username)}` \| {role} \| \w", readme, re.M), username

    # What the demo target starts once the content is in: each is named, and how to stop them.
    recipe = re.search(r"^demo:.*?\n((?:\t.*\n)+)", (base / "Makefile").read_text(), re.M)
    assert recipe
    started = re.findall(r"manage\.py (\w+)", recipe.group(1).split("trap", 1)[1])
    assert set(started) == {"run_worker", "run_scheduler", "runserver"}
    for command in started:
        assert f"`{command}`" in readme or f"`manage.py {command}`" in readme, command
    assert "Ctrl+C stops all three" in readme


def test_demo_reporter_writes_as_an_author_and_starts_new_articles_with_that_byline(client, demo):
    reporter = get_user_model().objects.get(username="reporter")
    assert reporter.author_profile.slug == "priya-raman"
    section = SectionPage.objects.get(slug="business")
    client.force_login(reporter)

    response = client.get(f"/admin/pages/add/news/articlepage/{section.pk}/")

    assert response.status_code == 200
    byline = response.context["form"].formsets["byline"]
    assert [form["author"].value() for form in byline.forms] == [reporter.author_profile.pk]


def test_demo_comments_carry_the_learned_filters_scores_when_there_is_a_model(
    db, abuse_model, settings, tmp_path
):
    """make demo trains the filters before the demo's comments go in, so the desk shows their
    scores instead of "not scored" (issue 18, item 5)."""
    from dateline.comments.models import Comment

    settings.VAR_DIR = tmp_path / "var"
    # Another test's demo may be loaded (this is rolled back after): replies go first.
    for depth in sorted(set(Comment.objects.values_list("depth", flat=True)), reverse=True):
        Comment.objects.filter(depth=depth).delete()
    demo_load()
    scored = Comment.objects.exclude(scores={})
    assert scored.count() == Comment.objects.count() > 0
    assert all(set(c.scores) == {"abuse"} for c in scored)  # the fixture trains abuse only
