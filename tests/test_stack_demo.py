"""`make stack` on a new database loads the demo (as `make demo` does), and never adds to a
database someone has begun: the loader's `--if-new` and the target's recipe, without Varnish."""

from __future__ import annotations

import shutil
import subprocess
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page

from dateline.demo import content
from dateline.news.models import ArticlePage

pytestmark = pytest.mark.django_db


def stack_commands(*args: str) -> list[str]:
    """The `manage.py` commands `make stack` would run, in order (`make -n` runs nothing)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    shown = subprocess.run(
        ["make", "-n", "stack", *args],
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    return [line.split("manage.py ", 1)[1] for line in shown.splitlines() if "manage.py " in line]


def test_make_stack_loads_the_demo_on_a_new_database_after_migrating_before_serving() -> None:
    commands = stack_commands()
    assert commands[:3] == [
        "migrate --noinput -v0",
        "collectstatic --noinput -v0",
        "load_demo --if-new",
    ]
    assert commands[3].startswith("run_worker")


def test_make_stack_with_stack_demo_0_loads_nothing() -> None:
    commands = stack_commands("STACK_DEMO=0")
    assert commands[:2] == ["migrate --noinput -v0", "collectstatic --noinput -v0"]
    assert not [c for c in commands if c.startswith("load_demo")]


@pytest.fixture
def one_article_demo(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo with its lead article only (the rest loads the same way, only slower)."""
    monkeypatch.setattr(content, "ARTICLES", content.ARTICLES[:1])
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"


def load_demo_if_new() -> str:
    out = StringIO()
    call_command("load_demo", "--if-new", stdout=out)
    return out.getvalue()


def test_load_demo_if_new_fills_a_new_database_once(one_article_demo: None) -> None:
    assert Page.objects.filter(depth__gt=2).count() == 0  # as migrate left it

    first = load_demo_if_new()

    assert ArticlePage.objects.live().exists()
    assert get_user_model().objects.filter(username="editor").exists()
    assert "Newsroom login at /admin/" in first
    pages, users = Page.objects.count(), get_user_model().objects.count()
    second = load_demo_if_new()
    assert "no demo content loaded" in second
    assert (Page.objects.count(), get_user_model().objects.count()) == (pages, users)


@pytest.mark.parametrize("mailbox", [True, False], ids=["make-demo", "make-stack"])
def test_load_demo_points_at_the_mailbox_only_where_the_site_serves_it(
    one_article_demo: None, settings: Any, mailbox: bool
) -> None:
    settings.DATELINE_DEMO_MAILBOX = mailbox  # make demo sets it; make stack and production not

    said = load_demo_if_new()

    assert ("/demo/mailbox/" in said) is mailbox
    assert "/readers/sign-in/" in said


@pytest.mark.parametrize("begun_with", ["an account", "a section"])
def test_load_demo_if_new_leaves_a_database_someone_has_begun_alone(
    one_article_demo: None, begun_with: str, request: pytest.FixtureRequest
) -> None:
    if begun_with == "an account":
        get_user_model().objects.create_superuser("owner", "owner@example.org", "not-a-password")
    else:
        request.getfixturevalue("section")
    pages, users = Page.objects.count(), get_user_model().objects.count()

    said = load_demo_if_new()

    assert "no demo content loaded" in said
    assert (Page.objects.count(), get_user_model().objects.count()) == (pages, users)
    assert not ArticlePage.objects.exists()
