"""The newsroom's roles, its review workflow, revisions, scheduled publishing and previews."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail.users.models import UserProfile

from dateline.news.models import ArticlePage, Author
from dateline.news.selectors import newsroom_desk
from dateline.news.services import ADMINISTRATOR, EDITOR, MODERATOR, REPORTER, WORKFLOW_NAME

ROLES = (REPORTER, EDITOR, MODERATOR, ADMINISTRATOR)


@pytest.fixture
def staff(db):
    """One user per newsroom role, by role name, and (under None) a user with no role."""
    users = {}
    for role in ROLES:
        # Not is_staff: Wagtail lets people in by their group's permissions alone.
        user = get_user_model().objects.create_user(
            username=role.lower(), password="not-a-real-password"
        )
        user.groups.add(Group.objects.get(name=role))
        users[role] = user
    users[None] = get_user_model().objects.create_user(
        username="reader", password="not-a-real-password"
    )
    return users


@pytest.fixture
def draft(section, article_factory, staff):
    """A reporter's live article, waiting for their next edit."""
    return article_factory(
        parent=section, title="Ferry strike ends", slug="ferry-strike", owner=staff[REPORTER]
    )


def edit_form_data(
    article: ArticlePage, *, title: str, action: str, go_live_at: str = ""
) -> dict[str, str]:
    """What the Wagtail page editor posts for ``article``, with a new headline (and a go-live
    time as the schedule dialog's field holds it, "2026-12-07 09:00")."""
    byline = [{"id": str(e.pk), "author": str(e.author_id)} for e in article.byline.all()]
    data = nested_form_data(
        {
            "title": title,
            "slug": article.slug,
            "standfirst": article.standfirst,
            "dateline_place": article.dateline_place,
            "language": article.language,
            "byline": inline_formset(byline, initial=len(byline), min=1),
            "lead_image": "",
            "lead_image_caption": "",
            "lead_image_credit": "",
            "body": streamfield(
                [
                    ("paragraph", rich_text("<p>Crossings resume on Monday.</p>")),
                    ("heading", "What the union won"),
                ]
            ),
            "tags": "",
            "corrections": inline_formset([]),
            "comment_status": "open",
            "comments_close_at": "",
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
            "go_live_at": go_live_at,
            "expire_at": "",
        }
    )
    if action in ("approve", "reject"):
        # "Approve and Publish" / "Request changes" in the editor's footer menu.
        data["action-workflow-action"] = "true"
        data["workflow-action-name"] = action
    elif action:
        data[f"action-{action}"] = action
    return data


def form_errors(response) -> str:
    context = response.context or {}
    form = context.get("form")
    return str(form.errors if form is not None else response.content[:1000])


# --- Roles -------------------------------------------------------------------------------------


def test_migrate_creates_the_newsroom_groups(db):
    assert set(Group.objects.filter(name__in=ROLES).values_list("name", flat=True)) == set(ROLES)


@pytest.mark.parametrize(
    ("role", "can_add", "can_edit", "can_publish", "can_unpublish"),
    [
        (REPORTER, True, False, False, False),
        (EDITOR, True, True, True, True),
        (MODERATOR, False, False, False, False),
        (ADMINISTRATOR, True, True, True, True),
    ],
)
def test_what_each_role_may_do_with_articles(
    section, article_factory, staff, role, can_add, can_edit, can_publish, can_unpublish
):
    # Someone else's article: a reporter may only edit their own.
    article = article_factory(parent=section)
    user = staff[role]

    assert section.permissions_for_user(user).can_add_subpage() is can_add
    permissions = article.permissions_for_user(user)
    assert permissions.can_edit() is can_edit
    assert permissions.can_publish() is can_publish
    assert permissions.can_unpublish() is can_unpublish


def test_a_reporter_may_edit_but_not_publish_their_own_article(draft, staff):
    permissions = draft.permissions_for_user(staff[REPORTER])

    assert permissions.can_edit()
    assert not permissions.can_publish()


@pytest.mark.parametrize(("role", "allowed"), [*((role, True) for role in ROLES), (None, False)])
def test_every_newsroom_role_can_open_the_admin_and_nobody_else(client, staff, role, allowed):
    client.force_login(staff[role])

    response = client.get("/admin/")

    assert (response.status_code == 200) is allowed


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client, db):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_the_moderator_cannot_open_the_article_editor(client, draft, staff):
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    client.force_login(staff[EDITOR])
    assert client.get(edit_url).status_code == 200

    client.force_login(staff[MODERATOR])
    response = client.get(edit_url)

    assert response.status_code in (302, 403)


# --- Review workflow ---------------------------------------------------------------------------


def test_the_newsroom_review_workflow_covers_the_front_page_and_its_articles(home, draft):
    assert home.get_workflow().name == WORKFLOW_NAME
    assert draft.get_workflow().name == WORKFLOW_NAME


def test_a_reporters_submission_waits_for_an_editors_approval_before_it_is_published(
    client, draft, staff
):
    client.force_login(staff[REPORTER])
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])

    response = client.post(
        edit_url, edit_form_data(draft, title="Ferry strike ends after nine days", action="submit")
    )

    assert response.status_code == 302, form_errors(response)
    submitted = ArticlePage.objects.get(pk=draft.pk)
    assert submitted.workflow_in_progress
    assert submitted.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert submitted.has_unpublished_changes
    # Readers still see the published headline.
    assert submitted.title == "Ferry strike ends"
    assert "Ferry strike ends after nine days" not in client.get(draft.url).content.decode()

    client.force_login(staff[EDITOR])
    task_state = submitted.current_workflow_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk]),
        {"comment": "Good to go."},
    )

    assert response.status_code == 302
    published = ArticlePage.objects.get(pk=draft.pk)
    assert published.live
    assert not published.has_unpublished_changes
    assert published.title == "Ferry strike ends after nine days"
    assert not published.workflow_in_progress
    client.logout()
    assert "Ferry strike ends after nine days" in client.get(draft.url).content.decode()


def test_a_reporter_cannot_publish_from_the_editor_but_an_editor_can(client, draft, staff):
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    data = edit_form_data(draft, title="Ferry strike ends, union says", action="publish")

    client.force_login(staff[REPORTER])
    client.post(edit_url, data)
    assert ArticlePage.objects.get(pk=draft.pk).title == "Ferry strike ends"

    client.force_login(staff[EDITOR])
    response = client.post(edit_url, data)
    assert response.status_code == 302, form_errors(response)
    assert ArticlePage.objects.get(pk=draft.pk).title == "Ferry strike ends, union says"


def test_an_editor_can_unpublish_an_article(client, draft, staff):
    client.force_login(staff[EDITOR])

    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[draft.pk]))

    assert response.status_code == 302
    assert not ArticlePage.objects.get(pk=draft.pk).live
    client.logout()
    assert client.get(draft.url).status_code == 404


# --- Revisions, scheduling, preview ------------------------------------------------------------


def test_each_publication_is_a_revision_an_editor_can_compare(client, draft, staff):
    editor = staff[EDITOR]
    draft.save_revision(user=editor).publish(user=editor)
    draft.title = "Ferry strike ends after nine days"
    draft.save_revision(user=editor).publish(user=editor)

    first, second = draft.revisions.order_by("created_at", "pk")
    assert draft.revisions.count() == 2

    client.force_login(editor)
    response = client.get(
        reverse("wagtailadmin_pages:revisions_compare", args=[draft.pk, first.pk, second.pk])
    )

    assert response.status_code == 200
    assert "Ferry strike ends after nine days" in response.content.decode()


def test_a_scheduled_article_goes_live_only_when_its_time_has_come(
    client, section, article_factory, time_machine
):
    time_machine.move_to(datetime(2025, 3, 1, 8, 0, tzinfo=UTC), tick=False)
    article = article_factory(parent=section, slug="budget-day", live=False)
    article.go_live_at = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    article.save_revision().publish()

    article.refresh_from_db()
    assert not article.live
    assert article.latest_revision.approved_go_live_at == datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    call_command("publish_scheduled")
    assert client.get("/international/budget-day/").status_code == 404

    time_machine.move_to(datetime(2025, 3, 1, 12, 1, tzinfo=UTC), tick=False)
    call_command("publish_scheduled")

    article.refresh_from_db()
    assert article.live
    assert client.get("/international/budget-day/").status_code == 200


def test_an_editor_can_preview_an_unsaved_edit(client, draft, staff):
    client.force_login(staff[EDITOR])
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[draft.pk])

    response = client.post(
        preview_url, edit_form_data(draft, title="Preview: ferries sail again", action="")
    )
    assert response.status_code == 200
    assert response.json() == {"is_valid": True, "is_available": True}

    response = client.get(preview_url)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Preview: ferries sail again" in content
    assert "Crossings resume on Monday." in content
    # The published article is untouched.
    assert ArticlePage.objects.get(pk=draft.pk).title == "Ferry strike ends"


def test_unpublished_changes_are_not_shown_to_readers(client, draft, staff):
    draft.title = "A headline still in draft"
    draft.save_revision(user=staff[REPORTER])

    assert "A headline still in draft" not in client.get(draft.url).content.decode()
    assert ArticlePage.objects.get(pk=draft.pk).has_unpublished_changes


def test_publishing_keeps_the_first_publication_time(draft, staff, time_machine):
    first = draft.first_published_at
    time_machine.move_to(first + timedelta(hours=3), tick=False)

    draft.save_revision(user=staff[EDITOR]).publish(user=staff[EDITOR])

    draft.refresh_from_db()
    assert draft.first_published_at == first
    assert draft.last_published_at == first + timedelta(hours=3)


# --- A new page's slug -------------------------------------------------------------------------


def title_input(html: str) -> str:
    """The page editor's title field, as rendered."""
    match = re.search(r'<input[^>]*\bname="title"[^>]*>', html)
    assert match, "no title field in the page editor"
    return match.group(0)


@pytest.mark.parametrize(
    ("role", "page_type", "parent"),
    [
        (REPORTER, "news/articlepage", "section"),
        (ADMINISTRATOR, "news/sectionpage", "home"),
    ],
)
def test_a_new_pages_slug_is_filled_from_its_title(request, client, staff, role, page_type, parent):
    # The slug is on the Promote tab, where a reporter writing a first article never looks.
    parent_page = request.getfixturevalue(parent)
    client.force_login(staff[role])

    response = client.get(f"/admin/pages/add/{page_type}/{parent_page.pk}/")

    assert response.status_code == 200
    title = title_input(response.content.decode())
    assert "w-sync" in title
    assert re.search(r'data-w-sync-target-value="[^"]*#id_slug', title)
    assert "blur-&gt;w-sync#apply" in title or "blur->w-sync#apply" in title


# --- Saying when a scheduled article goes live -------------------------------------------------


def messages_after(response) -> list[str]:
    """The messages the admin shows on the page a POST redirected to."""
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def submitted(client, section, article_factory, staff, time_machine):
    """A reporter's new article (never published), submitted for review on 6 December 2026."""
    time_machine.move_to(datetime(2026, 12, 6, 13, 0, tzinfo=UTC), tick=False)
    article = article_factory(
        parent=section, title="Budget day", slug="budget-day", live=False, owner=staff[REPORTER]
    )
    client.force_login(staff[REPORTER])
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    response = client.post(edit_url, edit_form_data(article, title="Budget day", action="submit"))
    assert response.status_code == 302, form_errors(response)
    client.force_login(staff[EDITOR])
    return ArticlePage.objects.get(pk=article.pk)


def test_approve_and_publish_with_a_go_live_time_to_come_says_when_in_the_newsrooms_zone(
    client, submitted, staff, settings
):
    settings.TIME_ZONE = "Europe/Berlin"
    # The editor works in New York: the form's time is theirs, the message the newsroom's.
    profile = UserProfile.get_for_user(staff[EDITOR])
    profile.current_time_zone = "America/New_York"
    profile.save()
    edit_url = reverse("wagtailadmin_pages:edit", args=[submitted.pk])

    response = client.post(
        edit_url,
        edit_form_data(
            submitted, title="Budget day", action="approve", go_live_at="2026-12-07 09:00"
        ),
        follow=True,
    )

    article = ArticlePage.objects.get(pk=submitted.pk)
    assert not article.live
    assert article.scheduled_revision.approved_go_live_at == datetime(
        2026, 12, 7, 14, 0, tzinfo=UTC
    )
    shown = messages_after(response)
    assert (
        "‘Budget day’ is scheduled to go live on 7 December 2026, 15:00 CET; "
        "until then readers cannot see it."
    ) in shown
    assert not any("has been updated" in m for m in shown)


def test_approve_and_publish_without_a_go_live_time_keeps_wagtails_message(client, submitted):
    edit_url = reverse("wagtailadmin_pages:edit", args=[submitted.pk])

    response = client.post(
        edit_url, edit_form_data(submitted, title="Budget day", action="approve"), follow=True
    )

    assert ArticlePage.objects.get(pk=submitted.pk).live
    shown = messages_after(response)
    assert any("has been updated" in m for m in shown)
    assert not any("scheduled" in m for m in shown)


def test_publishing_a_new_version_later_says_readers_keep_the_published_one(
    client, draft, staff, time_machine
):
    time_machine.move_to(datetime(2026, 12, 6, 13, 0, tzinfo=UTC), tick=False)
    draft.save_revision(user=staff[EDITOR]).publish(user=staff[EDITOR])
    client.force_login(staff[EDITOR])
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])

    response = client.post(
        edit_url,
        edit_form_data(
            draft, title="Ferry strike ends", action="publish", go_live_at="2026-12-07 09:00"
        ),
        follow=True,
    )

    shown = messages_after(response)
    assert (
        "This version of ‘Ferry strike ends’ is scheduled to go live on 7 December 2026, "
        "09:00 UTC; until then readers see the published version."
    ) in shown
    assert not any("has been scheduled for publishing" in m for m in shown)


def test_saving_a_draft_with_a_go_live_time_schedules_nothing_and_says_so(
    client, draft, staff, time_machine
):
    time_machine.move_to(datetime(2026, 12, 6, 13, 0, tzinfo=UTC), tick=False)
    client.force_login(staff[EDITOR])
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])

    response = client.post(
        edit_url,
        edit_form_data(draft, title="Ferry strike ends", action="", go_live_at="2026-12-07 09:00"),
        follow=True,
    )

    assert ArticlePage.objects.get(pk=draft.pk).scheduled_revision is None
    shown = messages_after(response)
    assert any("has been updated" in m for m in shown)
    assert not any("scheduled" in m for m in shown)


# --- The writer's dashboard --------------------------------------------------------------------


def submit_for_review(article: ArticlePage, user) -> None:
    article.save_revision(user=user)
    article.get_workflow().start(article, user)


@pytest.fixture
def desk(section, article_factory, staff):
    """A reporter's draft and submitted article, next to a colleague's draft."""
    reporter = staff[REPORTER]
    draft = article_factory(
        parent=section, title="Port reopens", slug="port-reopens", live=False, owner=reporter
    )
    draft.save_revision(user=reporter)
    submitted = article_factory(
        parent=section, title="Budget day", slug="budget-day", live=False, owner=reporter
    )
    submit_for_review(submitted, reporter)
    others = article_factory(
        parent=section,
        title="Editor's own draft",
        slug="editors-draft",
        live=False,
        owner=staff[EDITOR],
    )
    return {"draft": draft, "submitted": submitted, "others": others}


def panel(html: str, panel_id: str) -> str:
    """One dashboard panel's HTML (Wagtail's panel tag names its section "<id>-section")."""
    found = BeautifulSoup(html, "html.parser").find(id=f"{panel_id}-section")
    return str(found) if found is not None else ""


def test_a_reporters_dashboard_shows_their_drafts_where_to_write_and_what_waits_for_review(
    client, section, desk, staff
):
    client.force_login(staff[REPORTER])

    response = client.get("/admin/")

    assert response.status_code == 200
    html = response.content.decode()
    new_article = panel(html, "desk-new-article")
    assert "Write a new article" in new_article
    assert f'href="/admin/pages/add/news/articlepage/{section.pk}/"' in new_article
    assert "New article in International" in new_article
    drafts = panel(html, "desk-drafts")
    assert "Your drafts" in drafts
    assert f'href="/admin/pages/{desk["draft"].pk}/edit/"' in drafts
    # Submitted work is listed under review, not twice; a colleague's draft not at all.
    assert "Budget day" not in drafts
    assert "Editor&#x27;s own draft" not in html and "Editor's own draft" not in html
    review = panel(html, "desk-in-review")
    assert "Waiting for review" in review
    assert f'href="/admin/pages/{desk["submitted"].pk}/edit/"' in review
    assert "In progress: Editor review" in review
    # Wagtail's own list of the same pages gives way to ours.
    assert "Your pages and snippets in a workflow" not in html


def test_a_moderators_dashboard_has_no_writers_panels(client, desk, staff):
    client.force_login(staff[MODERATOR])

    html = client.get("/admin/").content.decode()

    assert "Write a new article" not in html
    assert "Your drafts" not in html
    assert "Waiting for review" not in html


def test_an_editors_dashboard_lists_their_own_drafts(client, section, desk, staff):
    client.force_login(staff[EDITOR])

    html = client.get("/admin/").content.decode()

    assert f'href="/admin/pages/{desk["others"].pk}/edit/"' in panel(html, "desk-drafts")
    assert f"/admin/pages/add/news/articlepage/{section.pk}/" in panel(html, "desk-new-article")


@pytest.mark.parametrize("count", [1, 10])
def test_the_writers_desk_costs_the_same_queries_for_one_or_ten_drafts(
    section, article_factory, staff, django_assert_num_queries, count
):
    reporter = staff[REPORTER]
    for n in range(count):
        article_factory(parent=section, title=f"Draft {n}", live=False, owner=reporter)
        submit_for_review(
            article_factory(parent=section, title=f"In review {n}", live=False, owner=reporter),
            reporter,
        )
    reporter = get_user_model().objects.get(pk=reporter.pk)  # no cached permissions

    with django_assert_num_queries(5):
        desk = newsroom_desk(user=reporter)

    assert len(desk.drafts) == count
    assert len(desk.in_review) == count
    assert [s.pk for s in desk.sections] == [section.pk]


def test_a_new_article_starts_with_the_reporters_own_author_in_the_byline(
    client, section, author_factory, staff
):
    reporter = staff[REPORTER]
    author = author_factory(name="Priya Raman", slug="priya-raman", user=reporter)
    author_factory(name="Someone Else", slug="someone-else")
    client.force_login(reporter)
    add_url = f"/admin/pages/add/news/articlepage/{section.pk}/"

    response = client.get(add_url)

    byline = response.context["form"].formsets["byline"]
    assert [form["author"].value() for form in byline.forms] == [author.pk]
    # Without an author profile, the byline starts empty as before.
    client.force_login(staff[EDITOR])
    byline = client.get(add_url).context["form"].formsets["byline"]
    assert [form["author"].value() for form in byline.forms] == [None]


def _save_new_draft(client, section, **byline: str):
    """The reporter's "Save draft" of a new article, the byline as the add form posts it."""
    add_url = reverse("wagtailadmin_pages:add", args=["news", "articlepage", section.pk])
    data = _add_form_data(client.get(add_url).content.decode(), title="Quay fire", slug="quay-fire")
    data.update(
        nested_form_data(
            {"body": streamfield([("paragraph", rich_text("<p>Smoke over the quay.</p>"))])}
        )
    )
    data.update({f"byline-0-{name}": value for name, value in byline.items()})
    return client.post(add_url, data, follow=True)


def test_a_reporter_without_an_author_profile_saves_a_draft_under_their_own_name(
    client, section, author_factory, staff
):
    reporter = staff[REPORTER]
    reporter.first_name, reporter.last_name = "Noor", "Haddad"
    reporter.save()
    someone = author_factory(name="Noor Haddad", slug="noor-haddad")  # another writer's byline
    client.force_login(reporter)

    response = _save_new_draft(client, section)

    assert response.redirect_chain, form_errors(response)
    article = ArticlePage.objects.get(slug="quay-fire")
    assert not article.live
    author = article.get_latest_revision_as_object().byline.get().author
    assert (author.name, author.slug, author.user) == ("Noor Haddad", "noor-haddad-2", reporter)
    assert author != someone
    assert any("Your byline reads “Noor Haddad”" in m for m in messages_after(response))
    # The next article is theirs too, with the same profile; nothing new is made.
    ArticlePage.objects.filter(pk=article.pk).delete()
    _save_new_draft(client, section)
    byline = ArticlePage.objects.get(slug="quay-fire").get_latest_revision_as_object().byline
    assert [entry.author for entry in byline.all()] == [author]
    assert Author.objects.filter(user=reporter).count() == 1


def test_autosave_of_a_new_article_makes_no_author_profile_and_submitting_it_does(
    client, section, staff
):
    reporter = staff[REPORTER]
    reporter.first_name, reporter.last_name = "Noor", "Haddad"
    reporter.save()
    client.force_login(reporter)
    add_url = reverse("wagtailadmin_pages:add", args=["news", "articlepage", section.pk])
    data = _add_form_data(client.get(add_url).content.decode(), title="Quay fire", slug="quay-fire")
    data.update(
        nested_form_data(
            {"body": streamfield([("paragraph", rich_text("<p>Smoke over the quay.</p>"))])}
        )
    )

    # Wagtail's autosave: the first one creates the page, the next ones edit it.
    response = client.post(add_url, data, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["success"] is True, response.content
    article = ArticlePage.objects.get(slug="quay-fire")
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    edited = edit_form_data(article, title="Quay fire spreads", action="")
    response = client.post(edit_url, edited, HTTP_ACCEPT="application/json")
    assert response.json()["success"] is True, response.content
    assert not Author.objects.filter(user=reporter).exists()
    assert not article.get_latest_revision_as_object().byline.exists()

    # Saving it themselves (here: submitting it for review) puts their own name in the byline.
    response = client.post(edit_url, {**edited, "action-submit": "submit"}, follow=True)

    assert response.redirect_chain, form_errors(response)
    author = Author.objects.get(user=reporter)
    byline = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object().byline
    assert [entry.author for entry in byline.all()] == [author]
    assert any("Your byline reads “Noor Haddad”" in m for m in messages_after(response))


def test_a_byline_the_reporter_chose_is_kept_and_makes_no_profile(
    client, section, author_factory, staff
):
    wire = author_factory(name="Wire Desk", slug="wire-desk")
    client.force_login(staff[REPORTER])

    response = _save_new_draft(client, section, author=str(wire.pk))

    assert response.redirect_chain, form_errors(response)
    byline = ArticlePage.objects.get(slug="quay-fire").get_latest_revision_as_object().byline
    assert [entry.author for entry in byline.all()] == [wire]
    assert not Author.objects.filter(user=staff[REPORTER]).exists()


# --- Autosave and the publishing schedule ------------------------------------------------------


def autosave(client, url: str, data: dict[str, str]):
    """What Wagtail's autosave sends: the whole form, asking for JSON."""
    return client.post(url, data, HTTP_ACCEPT="application/json")


def test_autosave_does_not_keep_a_go_live_time_never_confirmed(client, draft, staff):
    client.force_login(staff[EDITOR])
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])

    response = autosave(
        client,
        edit_url,
        edit_form_data(draft, title="Ferry strike ends", action="", go_live_at="2030-01-07 09:00"),
    )

    assert response.status_code == 200, response.content[:500]
    assert response.json()["success"] is True
    revision = ArticlePage.objects.get(pk=draft.pk).latest_revision
    assert revision.as_object().go_live_at is None
    assert revision.as_object().body is not None


def test_autosave_keeps_a_confirmed_go_live_time_and_a_save_changes_it(client, draft, staff):
    client.force_login(staff[EDITOR])
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    # "Save schedule" is a save of the whole form: the time it carries is confirmed.
    response = client.post(
        edit_url,
        edit_form_data(draft, title="Ferry strike ends", action="", go_live_at="2030-01-07 09:00"),
    )
    assert response.status_code == 302, form_errors(response)
    confirmed = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
    assert ArticlePage.objects.get(pk=draft.pk).latest_revision.as_object().go_live_at == confirmed

    # The editor types another time in the dialog and closes it: autosave keeps the confirmed one.
    draft = ArticlePage.objects.get(pk=draft.pk)
    response = autosave(
        client,
        edit_url,
        edit_form_data(draft, title="Ferry strike over", action="", go_live_at="2031-05-01 10:00"),
    )
    assert response.json()["success"] is True
    latest = ArticlePage.objects.get(pk=draft.pk).latest_revision.as_object()
    assert latest.title == "Ferry strike over"
    assert latest.go_live_at == confirmed


def test_the_status_panel_shows_a_schedule_in_the_sites_date_format(client, submitted):
    edit_url = reverse("wagtailadmin_pages:edit", args=[submitted.pk])
    client.post(
        edit_url,
        edit_form_data(
            submitted, title="Budget day", action="approve", go_live_at="2026-12-07 09:00"
        ),
    )

    page = client.get(edit_url).content.decode()

    panel = BeautifulSoup(page, "html.parser").get_text(" ", strip=True)
    assert "Go-live: 7 December 2026, 09:00 UTC" in panel


# --- Approving from the dashboard --------------------------------------------------------------


def dashboard_action(client, article: ArticlePage, action: str, data: dict[str, str]):
    """What the dashboard's "Awaiting your review" panel sends: the modal's form, by script,
    coming back to the dashboard."""
    task_state = article.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[article.pk, action, task_state.pk])
    response = client.post(
        f"{url}?next=/admin/", data, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 200, response.content[:500]
    assert response.json()["step"] == "success"
    return client.get(response.json()["redirect"])


def test_approving_from_the_dashboard_says_the_article_is_published(client, submitted):
    landed = dashboard_action(client, submitted, "approve", {"comment": ""})

    assert ArticlePage.objects.get(pk=submitted.pk).live
    assert "‘Budget day’ has been approved and published." in messages_after(landed)


def test_approving_a_scheduled_article_from_the_dashboard_says_when(
    client, section, article_factory, staff, time_machine, settings
):
    settings.TIME_ZONE = "Europe/Berlin"
    time_machine.move_to(datetime(2026, 12, 6, 13, 0, tzinfo=UTC), tick=False)
    article = article_factory(
        parent=section, title="Budget day", slug="budget-day", live=False, owner=staff[REPORTER]
    )
    article.go_live_at = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    submit_for_review(article, staff[REPORTER])
    client.force_login(staff[EDITOR])

    landed = dashboard_action(
        client, ArticlePage.objects.get(pk=article.pk), "approve", {"comment": ""}
    )

    assert not ArticlePage.objects.get(pk=article.pk).live
    assert (
        "‘Budget day’ has been approved and is scheduled to go live on 7 December 2026, "
        "10:00 CET; until then readers cannot see this version."
    ) in messages_after(landed)


def test_requesting_changes_from_the_dashboard_says_so(client, submitted):
    landed = dashboard_action(client, submitted, "reject", {"comment": "Check the figures."})

    assert not ArticlePage.objects.get(pk=submitted.pk).live
    assert "Changes were requested on ‘Budget day’: it is back with its writer." in (
        messages_after(landed)
    )


def _add_form_data(html: str, **values: str) -> dict[str, str]:
    """What the Wagtail add-page form posts as it first opens (every field at its default),
    with ``values`` typed in."""
    form = BeautifulSoup(html, "html.parser").find("form", attrs={"data-edit-form": True})
    assert form is not None
    data: dict[str, str] = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.get("type") in ("checkbox", "radio") and not field.has_attr("checked"):
            continue
        if field.name == "textarea":
            data[name] = field.text
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            data[name] = chosen.get("value", "") if chosen else ""
        else:
            data[name] = field.get("value", "")
    data.update(values)
    return data


@pytest.mark.parametrize(("app", "model"), [("news", "articlepage"), ("live", "livepage")])
def test_an_editor_can_preview_a_page_never_saved(
    client, section, staff, author_factory, app, model
):
    """The preview of a page still being written in the add form (it has no id yet) shows the
    page, not an error: its feed links and other addresses need the id it does not have."""
    client.force_login(staff[EDITOR])
    author = author_factory()
    add_url = reverse("wagtailadmin_pages:add", args=[app, model, section.pk])
    preview_url = reverse("wagtailadmin_pages:preview_on_add", args=[app, model, section.pk])
    form = client.get(add_url)
    assert form.status_code == 200
    data = _add_form_data(
        form.content.decode(), title="Preview before the first save", slug="first-save"
    )
    data.update(
        nested_form_data(
            {
                "body": streamfield([("paragraph", rich_text("<p>Talks resume at noon.</p>"))]),
                "byline": inline_formset([{"id": "", "author": str(author.pk)}], min=1),
            }
        )
    )

    response = client.post(preview_url, data)
    assert response.status_code == 200
    assert response.json()["is_valid"] is True, response.json()

    response = client.get(preview_url)
    assert response.status_code == 200
    assert "Preview before the first save" in response.content.decode()
