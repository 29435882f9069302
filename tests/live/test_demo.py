"""`make demo`: the International section has live coverage of the Moscow meeting, updates
from two reporters, and a breaking-news flag an editor can switch on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from dateline.demo import content, services
from dateline.live.models import BreakingNews, LivePage, LiveUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    # The lead article only, and plain pictures: the live page is what is tested here.
    monkeypatch.setattr(content, "ARTICLES", content.ARTICLES[:1])
    monkeypatch.setattr(services, "illustration", lambda **kwargs: _png())
    monkeypatch.setattr(services, "portrait", lambda **kwargs: _png())
    settings.VAR_DIR = tmp_path / "var"
    return services.demo_load(with_users=True)


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 90, 60)).save(out, format="JPEG")
    return out.getvalue()


def test_the_demo_covers_the_moscow_meeting_live(client: Client, demo: Any) -> None:
    live = LivePage.objects.live().get(section__slug="international")
    updates = LiveUpdate.objects.published().filter(page=live)
    assert updates.count() >= 8
    assert set(updates.values_list("author__slug", flat=True)) == {"mara-ellison", "yusuf-haddad"}
    assert updates.filter(pinned=True).exists() and updates.filter(key_event=True).count() >= 2
    html = client.get(live.url).content.decode()
    assert "Key points" in html and "Hmeimim" in html
    flag = BreakingNews.objects.get(page_id=live.pk)
    assert flag.status == BreakingNews.Status.CLEARED
    assert client.get("/live/breaking/").content.decode().strip() == ""
    # Loading again adds nothing.
    services.demo_load(with_users=True)
    assert LivePage.objects.count() == 1 and LiveUpdate.objects.count() == updates.count()
