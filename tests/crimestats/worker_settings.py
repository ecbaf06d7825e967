"""Settings for the real Celery worker the worker test starts: the test settings, with tasks sent to the
broker and a short visibility timeout so a message whose worker was killed is delivered again within seconds."""
from sikkerby.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 5}
