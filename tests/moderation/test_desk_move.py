"""The desk's bans, assignments and bulk jobs moved from ``comments`` to ``moderation`` (issue 14,
§1) keep every row and every permission: the database is taken back to before the move,
filled the old way, and migrated forward again. Runs on the engine of the run (SQLite, and
PostgreSQL in ``make unit-postgres``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from dateline.moderation.models import CommentBan, DeskAssignment, DeskBulkJob

BEFORE = [("comments", "0009_comment_body_html"), ("moderation", "0003_filter_versions")]


def _migrate(targets: list[tuple[str, str]]) -> object:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def before_the_move(
    transactional_db: None, django_db_serialized_rollback: None
) -> Iterator[object]:
    """The historical apps just before the move; the database is back at the latest migration
    after the test, whatever happened in it. Serialized rollback, as every transactional test
    here: the rows the data migrations made (the site, its pages, the newsroom's groups) are put
    back before the test and nothing is made again by post_migrate after it. ContentType's
    cache is left alone: the moved models keep their content type ids."""
    apps = _migrate(BEFORE)
    try:
        yield apps
    finally:
        _migrate(_latest())


def _tables() -> set[str]:
    return set(connection.introspection.table_names())


def test_the_move_keeps_rows_permissions_and_groups(section, before_the_move) -> None:
    old = before_the_move
    assert {"comments_commentban", "comments_deskassignment", "comments_deskbulkjob"} <= _tables()
    assert not {"moderation_commentban", "moderation_deskassignment"} & _tables()

    OldBan = old.get_model("comments", "CommentBan")
    OldAssignment = old.get_model("comments", "DeskAssignment")
    OldJob = old.get_model("comments", "DeskBulkJob")
    OldContentType = old.get_model("contenttypes", "ContentType")
    OldPermission = old.get_model("auth", "Permission")
    OldGroup = old.get_model("auth", "Group")
    OldUser = old.get_model("auth", "User")

    now = timezone.now()
    moderator = OldUser.objects.create(username="mira", is_staff=True)
    desk = OldGroup.objects.create(name="Night desk")
    moderator.groups.add(desk)
    OldBan.objects.create(email_key="troll@example.org", reason="Repeated abuse")
    OldBan.objects.create(
        ip_prefix="203.0.113.0/24", reason="Spam run", expires_at=now + timedelta(days=3)
    )
    OldAssignment.objects.create(group=desk, section_id=section.pk)
    OldJob.objects.create(
        action="spam", comment_ids=[1, 2, 3], total=3, done=3, changed=2, state="done"
    )
    # The permission as it was: on the comments app's content type, held by a group.
    ban_type, _ = OldContentType.objects.get_or_create(app_label="comments", model="commentban")
    OldContentType.objects.filter(app_label="moderation", model="commentban").delete()
    add_ban, _ = OldPermission.objects.get_or_create(
        content_type=ban_type, codename="add_commentban", defaults={"name": "Can add commenter ban"}
    )
    desk.permissions.add(add_ban)
    ids = sorted(OldBan.objects.values_list("pk", flat=True))

    _migrate(_latest())

    tables = _tables()
    assert {
        "moderation_commentban",
        "moderation_deskassignment",
        "moderation_deskbulkjob",
    } <= tables
    assert not {"comments_commentban", "comments_deskassignment", "comments_deskbulkjob"} & tables
    assert sorted(CommentBan.objects.values_list("pk", flat=True)) == ids
    assert CommentBan.objects.active(now=now).count() == 2
    assert CommentBan.objects.get(email_key="troll@example.org").reason == "Repeated abuse"
    job = DeskBulkJob.objects.get()
    assert (job.action, job.comment_ids, job.changed, job.state) == ("spam", [1, 2, 3], 2, "done")
    assignment = DeskAssignment.objects.get()
    assert assignment.group.name == "Night desk" and assignment.section_id == section.pk

    # The group's grant followed the model: same row, now the moderation app's permission.
    perm = Permission.objects.get(pk=add_ban.pk)
    assert (perm.content_type.app_label, perm.codename) == ("moderation", "add_commentban")
    user = User.objects.get(username="mira")
    assert user.has_perm("moderation.add_commentban")
    assert not ContentType.objects.filter(app_label="comments", model="commentban").exists()

    # New rows go on after the old ones, on either engine (the id sequence moved with the table).
    fresh = CommentBan.objects.create(email_key="new@example.org", reason="New")
    assert fresh.pk > max(ids)


def test_a_content_type_made_in_between_takes_the_grants(before_the_move) -> None:
    """If a post_migrate run between the two steps already made the moderation app's content
    type and permission, the old grant moves onto it and the old content type goes."""
    old = before_the_move
    OldContentType = old.get_model("contenttypes", "ContentType")
    OldPermission = old.get_model("auth", "Permission")
    OldGroup = old.get_model("auth", "Group")

    group = OldGroup.objects.create(name="Weekend desk")
    old_type, _ = OldContentType.objects.get_or_create(app_label="comments", model="commentban")
    new_type, _ = OldContentType.objects.get_or_create(app_label="moderation", model="commentban")
    old_perm, _ = OldPermission.objects.get_or_create(
        content_type=old_type, codename="change_commentban", defaults={"name": "old"}
    )
    new_perm, _ = OldPermission.objects.get_or_create(
        content_type=new_type, codename="change_commentban", defaults={"name": "new"}
    )
    group.permissions.add(old_perm)

    _migrate(_latest())

    group_now = Group.objects.get(name="Weekend desk")
    assert list(group_now.permissions.values_list("pk", flat=True)) == [new_perm.pk]
    assert not ContentType.objects.filter(app_label="comments", model="commentban").exists()
