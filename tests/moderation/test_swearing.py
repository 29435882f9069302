"""Issue 12's open gap "swearing is not abuse": OLID's untargeted profanity is civil
(docs/decisions/0074). Every text here is ours."""

from __future__ import annotations

from pathlib import Path

from dateline.moderation.classifier.corpora import olid


def _write_olid(folder: Path) -> None:
    folder.mkdir()
    (folder / "olid-training-v1.0.tsv").write_text(
        "id\ttweet\tsubtask_a\tsubtask_b\tsubtask_c\n"
        "1\t@USER you are a disgrace to the game\tOFF\tTIN\tIND\n"
        "2\tthis damn printer jammed again\tOFF\tUNT\tNULL\n"
        "3\t@USER lovely photo of the harbour URL\tNOT\tNULL\tNULL\n",
        encoding="utf-8",
    )


def test_olid_untargeted_profanity_is_civil(tmp_path: Path) -> None:
    """OLID's subtask B: an offensive tweet aimed at someone (TIN) is abusive; swearing at no one
    (UNT) is not, unless asked for the old labels."""
    _write_olid(tmp_path / "olid")
    examples = olid(tmp_path)
    assert examples.texts == [
        "you are a disgrace to the game",
        "this damn printer jammed again",
        "lovely photo of the harbour",
    ]
    assert examples.labels == [1, 0, 0]
    assert examples.groups == ["olid", "olid", "olid"]
    assert olid(tmp_path, untargeted_abusive=True).labels == [1, 1, 0]
