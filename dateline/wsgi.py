import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings.dev")

application = get_wsgi_application()

# The learned filters load here, when the server process starts, not in the first comment's
# request (scikit-learn and the model files take seconds on a busy machine).
from dateline.moderation.classifier.storage import warm_up  # noqa: E402

warm_up()
