"""What an import or export tells the operator reads as English for a count of one too."""

from __future__ import annotations

from dateline.portability.summary import Summary


def test_a_count_of_one_is_written_in_the_singular():
    summary = Summary()
    summary.created["articles"] += 2
    summary.created["comments"] += 1
    summary.counts["articles scheduled"] += 1
    summary.counts["comment bodies shortened to fit"] += 1
    summary.counts["email addresses too long, left out"] += 3
    summary.skipped["pingbacks"] += 1

    text = "\n".join(summary.lines())

    assert "Created: 2 articles, 1 comment." in text
    assert "1 article scheduled" in text
    assert "1 comment body shortened to fit" in text
    assert "3 email addresses too long, left out" in text
    assert "Not imported: 1 pingback." in text
