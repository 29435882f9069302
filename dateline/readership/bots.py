"""Which visitors are robots: the maintained crawler list of the crawler-user-agents project
(PyPI ``crawler-user-agents``, released with the list), plus what sends no user agent at all."""

from __future__ import annotations

from functools import lru_cache

import crawleruseragents

# A longer user agent is no browser's: nothing a real reader sends is this long.
MAX_USER_AGENT = 512


@lru_cache(maxsize=4096)
def is_robot(user_agent: str) -> bool:
    """Whether ``user_agent`` is a crawler, a scraper, a monitor or a headless browser (the same
    few browsers' strings come back all day: remembered per process)."""
    agent = user_agent.strip()
    if not agent or len(agent) > MAX_USER_AGENT:
        return True
    return bool(crawleruseragents.is_crawler(agent))
