"""Reactions to migrations: the newsroom's roles get live coverage's permissions."""

from __future__ import annotations

from typing import Any

from dateline.news.services import ADMINISTRATOR, EDITOR, REPORTER

# Reporters and editors file and correct updates; only editors flag breaking news.
ROLE_PERMISSIONS = {
    REPORTER: ["add_liveupdate", "change_liveupdate", "delete_liveupdate", "view_liveupdate"],
    EDITOR: [
        "add_liveupdate",
        "change_liveupdate",
        "delete_liveupdate",
        "view_liveupdate",
        "add_breakingnews",
        "change_breakingnews",
        "delete_breakingnews",
        "view_breakingnews",
    ],
}
ROLE_PERMISSIONS[ADMINISTRATOR] = ROLE_PERMISSIONS[EDITOR]


def grant_permissions(**kwargs: Any) -> None:
    """Additive, like ``news.services.newsroom_setup``: nothing an administrator gave is taken."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    create_permissions(apps.get_app_config("live"), verbosity=0)
    for name, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="live", codename__in=codenames)
            )
