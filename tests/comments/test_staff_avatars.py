"""Staff avatars in the admin: the site's own drawing, as commenters get, never Gravatar; an
avatar a staff member uploads in their account comes first."""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.users.models import UserProfile

DATA_URL = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


@pytest.fixture
def editors(db):
    users = []
    for name in ("ada", "ben"):
        user = get_user_model().objects.create_user(
            username=name, email=f"{name}@dateline.example", password="not-a-real-password"
        )
        user.groups.add(Group.objects.get(name="Editor"))
        users.append(user)
    return users


def avatars_on_the_dashboard(client, user) -> set[str]:
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    assert "gravatar" not in html.lower()
    return set(DATA_URL.findall(html))


def test_a_staff_members_avatar_is_the_sites_own_drawing_and_never_gravatar(client, editors):
    ada, ben = editors

    first = avatars_on_the_dashboard(client, ada)
    again = avatars_on_the_dashboard(client, ada)
    other = avatars_on_the_dashboard(client, ben)

    assert len(first) == 1
    assert first == again
    assert other and other != first
    svg = base64.b64decode(first.pop()).decode()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "ada" not in svg  # drawn from a keyed hash, nothing of the user in it


def test_an_avatar_uploaded_in_the_account_is_shown_instead(client, editors):
    ada = editors[0]
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(png, format="PNG")
    profile = UserProfile.get_for_user(ada)
    profile.avatar = SimpleUploadedFile("ada.png", png.getvalue(), content_type="image/png")
    profile.save()

    client.force_login(ada)
    html = client.get("/admin/").content.decode()

    assert profile.avatar.url in html
    assert not DATA_URL.search(html)
    assert "gravatar" not in html.lower()
