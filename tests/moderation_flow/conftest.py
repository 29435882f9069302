"""The reader-conversation fixtures (an article, comments in the tree, the newsroom's
moderators), shared with tests/comments."""

from tests.comments.conftest import (  # noqa: F401 - fixtures
    article,
    comment_factory,
    comment_permissions,
    moderator,
    submission_factory,
)
