"""The reader conversation's fixtures (tests/comments/conftest.py), for the speed tests."""

from tests.comments.conftest import article, comment_factory, site_settings  # noqa: F401
