"""Settings for the real Celery worker the worker test starts: the test settings, with tasks sent to the
broker and a short visibility timeout so a message whose worker was killed is delivered again within seconds."""
from sikkerby.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 5}
# The job mechanism (operations.jobs): a heartbeat every second, a job without one for 3 s is taken over.
JOB_HEARTBEAT_SECONDS = 1
JOB_STALL_SECONDS = 3
