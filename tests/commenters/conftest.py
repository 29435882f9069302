from tests.comments.conftest import (  # noqa: F401 - the comment fixtures, shared
    article,
    comment_factory,
    other_article,
    site_settings,
    submission_factory,
)
