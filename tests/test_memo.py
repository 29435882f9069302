"""`core.memo`: a few seconds of per-process memory in front of the shared cache, and the sized
LRU kept fragments and their encoded bytes live in."""

from __future__ import annotations

import pytest

from dateline.core import memo


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: now[0])
    return now


def test_a_value_is_loaded_once_until_it_expires(clock):
    loads = []

    def load():
        loads.append(1)
        return len(loads)

    assert memo.remembered("k", load) == 1
    clock[0] += memo.SECONDS - 0.1
    assert memo.remembered("k", load) == 1
    clock[0] += 0.2  # another process's change shows within SECONDS
    assert memo.remembered("k", load) == 2
    assert len(loads) == 2


def test_forget_drops_only_the_keys_with_the_prefix(clock):
    memo.remembered("comment-settings:1", lambda: "old settings")
    memo.remembered("comment-policy:7:3", lambda: "old policy")

    memo.forget("comment-settings:")

    assert memo.remembered("comment-settings:1", lambda: "new settings") == "new settings"
    assert memo.remembered("comment-policy:7:3", lambda: "new policy") == "old policy"


def test_it_never_grows_past_its_bound(clock, monkeypatch):
    monkeypatch.setattr(memo, "MAX_ENTRIES", 10)
    for n in range(25):
        memo.remembered(f"k{n}", lambda n=n: n)
    assert len(memo._entries) <= 10


def test_a_policy_saved_in_this_process_applies_to_the_next_post_at_once(
    db, article_factory, section
):
    from dateline.comments.services import comment_policy_for
    from dateline.moderation.models import SectionPolicy

    article = article_factory(parent=section)
    before = comment_policy_for(article)
    SectionPolicy.objects.create(section=section, moderation="pre")

    fresh = type(article).objects.get(pk=article.pk)
    assert comment_policy_for(fresh).premoderate is True
    assert before.premoderate is False


def test_a_sized_lru_drops_the_least_recently_used_once_over_its_limit() -> None:
    lru = memo.SizedLRU(100)
    lru.put("a", "A", 20)
    lru.put("b", "B", 20)
    lru.put("c", "C", 20)
    assert lru.get("a") == "A"  # now the most recently used
    lru.put("d", "D", 25)
    lru.put("e", "E", 25)  # 110 > 100: "b", the least recently used, goes
    assert lru.get("b") is None
    assert [lru.get(k) for k in "acde"] == ["A", "C", "D", "E"]
    assert lru.size == 90


def test_a_sized_lru_keeps_nothing_over_a_quarter_and_counts_a_replaced_entry_once() -> None:
    lru = memo.SizedLRU(100)
    lru.put("big", "X", 26)
    assert lru.get("big") is None and lru.size == 0
    lru.put("k", "old", 20)
    lru.put("k", "new", 10)
    assert lru.get("k") == "new" and lru.size == 10
    lru.clear()
    assert lru.get("k") is None and lru.size == 0
