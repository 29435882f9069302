"""The rule that keeps banned commenters out (bans are made at the moderators' desk)."""

from __future__ import annotations

from django.db.models import F

from dateline.core.net import ip_prefix

from .models import CommentBan
from .rules import SPAM, Rule, ScreenContext, Submission, Verdict


class BannedCommenter(Rule):
    """Mark as spam a comment from a banned email key or network, naming the ban's end.

    One indexed query per comment. Listed after StaffAuthor, so staff are never caught."""

    code = "banned"

    def check(self, submission: Submission, context: ScreenContext) -> Verdict | None:
        network = ip_prefix(submission.ip)
        bans = CommentBan.objects.active(now=context.now)
        match = bans.filter(email_key=context.email_key) if context.email_key else bans.none()
        if network:
            match = match | bans.filter(ip_prefix=network)
        ban = match.order_by(F("expires_at").desc(nulls_first=True)).first()
        if ban is None:
            return None
        until = f"{ban.expires_at:%Y-%m-%d %H:%M %Z}" if ban.expires_at else "lifted"
        return Verdict(SPAM, self.code, f"Banned until {until}: {ban.reason}", final=True)
